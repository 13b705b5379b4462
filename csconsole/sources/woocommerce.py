"""WooCommerce REST API v3: orders changed since a time, their notes, and order actions.

Auth is HTTP Basic with the consumer key and secret, over HTTPS only (plain HTTP
is allowed to loopback, for tests). Some hosts strip the Authorization header
("Consumer key is missing"); ``auth_in_query`` then sends the keys as query
parameters instead — only when the user configured it.

Change detection sends ``modified_after`` with ``dates_are_gmt=true`` and then
checks ``date_modified_gmt`` itself, because some stores ignore the flag. Pages
are followed with ``X-WP-TotalPages`` at ``per_page=100`` in id order, so an
order changing while we page can only repeat, never be skipped.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from csconsole.domain.orders import OrderNoteRecord, OrderRecord
from csconsole.sources.http_client import (
    HttpClient,
    MalformedResponseError,
    SourceError,
    parse_json,
)
from csconsole.sources.woocommerce_mapping import gmt, map_note, map_order, wc_time

PER_PAGE = 100
LOOPBACK = {"127.0.0.1", "::1", "localhost"}


@dataclass(frozen=True)
class WooPage:
    """Raw orders of one page (notes are fetched by the sync only for changed orders)."""

    orders: list[dict[str, Any]]
    page: int
    total_pages: int


@dataclass
class WooCommerceClient:
    """Talks to one WooCommerce store."""

    site_url: str
    consumer_key: str
    consumer_secret: str
    auth_in_query: bool = False
    timeout: float = 30.0
    ca_file: str | None = None
    sleep: Callable[[float], None] = time.sleep
    http: HttpClient = field(init=False)

    def __post_init__(self) -> None:
        self.site_url = self.site_url.rstrip("/")
        parts = urlsplit(self.site_url)
        if parts.scheme != "https" and parts.hostname not in LOOPBACK:
            raise SourceError(
                f"WooCommerce {self.site_url}: the keys would cross the network in clear text; "
                "use an https:// URL"
            )
        self.http = HttpClient(
            name=f"WooCommerce {self.site_url}",
            timeout=self.timeout,
            ca_file=self.ca_file,
            sleep=self.sleep,
        )

    @property
    def api(self) -> str:
        return f"{self.site_url}/wp-json/wc/v3"

    def close(self) -> None:
        self.http.close()

    def call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json_body: Mapping[str, Any] | None = None,
    ) -> tuple[Any, Mapping[str, str]]:
        """One API call; returns (decoded JSON, response headers)."""
        query = dict(params or {})
        kwargs: dict[str, Any] = {}
        if self.auth_in_query:
            query.update(consumer_key=self.consumer_key, consumer_secret=self.consumer_secret)
        else:
            kwargs["auth"] = (self.consumer_key, self.consumer_secret)
        if json_body is not None:
            kwargs["json"] = dict(json_body)
        response = self.http.request(method, f"{self.api}{path}", params=query, **kwargs)
        return parse_json(response, self.http.name), response.headers

    # -- reads --------------------------------------------------------------

    def orders_modified(self, since: str | None) -> Iterator[WooPage]:
        """Orders modified at or after ``since`` (UTC text), in id order, page by page."""
        page = 1
        while True:
            params: dict[str, Any] = {
                "per_page": PER_PAGE,
                "page": page,
                "orderby": "id",
                "order": "asc",
                "dates_are_gmt": "true",
            }
            if since:
                params["modified_after"] = wc_time(since)
            body, headers = self.call("GET", "/orders", params=params)
            if not isinstance(body, list):
                raise MalformedResponseError(f"{self.http.name}: /orders did not return a list")
            try:
                total_pages = int(headers.get("X-WP-TotalPages", "1") or 1)
            except ValueError as error:
                raise MalformedResponseError(f"{self.http.name}: bad X-WP-TotalPages") from error
            orders = [o for o in body if isinstance(o, dict) and _modified_since(o, since)]
            yield WooPage(orders, page, total_pages)
            if page >= total_pages or not body:
                return
            page += 1

    def notes(self, order_id: str) -> tuple[OrderNoteRecord, ...]:
        """Every note of an order, private and customer-visible."""
        body, _ = self.call("GET", f"/orders/{order_id}/notes", params={"type": "any"})
        if not isinstance(body, list):
            raise MalformedResponseError(f"{self.http.name}: notes of {order_id} are not a list")
        try:
            return tuple(map_note(note) for note in body if isinstance(note, Mapping))
        except (KeyError, TypeError) as error:
            raise MalformedResponseError(f"{self.http.name}: a note lacks {error}") from error

    def order(self, order_id: str, *, with_notes: bool = True) -> OrderRecord:
        """One order, fresh from the store."""
        body, _ = self.call("GET", f"/orders/{order_id}")
        if not isinstance(body, Mapping):
            raise MalformedResponseError(f"{self.http.name}: order {order_id} is not an object")
        return self.map(body, self.notes(order_id) if with_notes else ())

    def map(self, raw: Mapping[str, Any], notes: tuple[OrderNoteRecord, ...] = ()) -> OrderRecord:
        try:
            return map_order(raw, notes)
        except (KeyError, TypeError, ValueError) as error:
            raise MalformedResponseError(
                f"{self.http.name}: an order is not in the documented shape ({error})"
            ) from error

    # -- actions ------------------------------------------------------------

    def add_note(self, order_id: str, note: str, *, customer_note: bool = False) -> Any:
        body, _ = self.call(
            "POST",
            f"/orders/{order_id}/notes",
            json_body={"note": note, "customer_note": customer_note},
        )
        return body

    def set_status(self, order_id: str, status: str) -> Any:
        body, _ = self.call("PUT", f"/orders/{order_id}", json_body={"status": status})
        return body

    def refund(
        self, order_id: str, *, amount: str, reason: str, api_refund: bool, api_restock: bool
    ) -> Any:
        body, _ = self.call(
            "POST",
            f"/orders/{order_id}/refunds",
            json_body={
                "amount": amount,
                "reason": reason,
                "api_refund": api_refund,
                "api_restock": api_restock,
            },
        )
        return body


def _modified_since(order: Mapping[str, Any], since: str | None) -> bool:
    if not since:
        return True
    modified = gmt(order.get("date_modified_gmt"))
    return modified is None or modified >= since

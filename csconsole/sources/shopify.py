"""Shopify through the GraphQL Admin API only (REST is legacy since 2024-10).

Auth: apps made in the Dev Dashboard for one's own store use the client-credentials
grant (``POST /admin/oauth/access_token``); those tokens expire after about a day,
so the client fetches a new one shortly before expiry and once more when a call is
refused with 401. A legacy custom-app token (``shpat_…``) given as the secret is
used as is.

Rate limits are a cost bucket: every answer carries
``extensions.cost.throttleStatus``; before the next call we sleep until the bucket
holds the last query's cost, and a ``THROTTLED`` answer (HTTP 200 or 429) waits
for the bucket to refill and tries again.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from csconsole.domain.orders import OrderRecord
from csconsole.sources.http_client import (
    AuthError,
    ClientError,
    HttpClient,
    MalformedResponseError,
    RateLimitedError,
    SourceError,
    parse_json,
)
from csconsole.sources.shopify_mapping import (
    ORDER_BY_ID_QUERY,
    ORDERS_QUERY,
    map_order,
    search_window,
)

TOKEN_REFRESH_MARGIN = 300.0  # seconds before expiry at which a new token is fetched
THROTTLE_RETRIES = 5
FIRST_PAGE = 10  # the first page is small; later pages grow to what the cost limit allows
MAX_PAGE = 250
MAX_QUERY_COST = 1000.0  # Shopify refuses a single query that requests more


class ShopifyError(SourceError):
    """A GraphQL answer carried errors (``messages`` lists them) or userErrors."""

    def __init__(
        self,
        message: str,
        messages: list[str] | None = None,
        codes: list[str] | None = None,
        extensions: list[Mapping[str, Any]] | None = None,
    ) -> None:
        super().__init__(message)
        self.messages = messages or [message]
        self.codes = codes or []
        self.extensions = extensions or []


@dataclass(frozen=True)
class OrderPage:
    """One page of orders and whether more follow."""

    orders: list[OrderRecord]
    has_next: bool
    end_cursor: str | None


def throttle_wait(cost: Mapping[str, Any] | None, needed: float | None = None) -> float:
    """Seconds until the bucket holds ``needed`` points (default: the last requested cost)."""
    if not isinstance(cost, Mapping):
        return 0.0
    status = cost.get("throttleStatus")
    if not isinstance(status, Mapping):
        return 0.0
    try:
        available = float(status["currentlyAvailable"])
        restore = float(status["restoreRate"]) or 1.0
        if needed is None:
            # Shopify admits a query only when the bucket holds its *requested* cost.
            needed = float(cost.get("requestedQueryCost") or cost.get("actualQueryCost") or 0)
    except (KeyError, TypeError, ValueError):
        return 0.0
    return max(0.0, (needed - available) / restore)


class _ShopifyHttp(HttpClient):
    def retry_hint(self, response: httpx.Response) -> float | None:
        try:
            body = response.json()
        except ValueError:
            return None
        if isinstance(body, Mapping) and isinstance(body.get("extensions"), Mapping):
            cost = body["extensions"].get("cost")
            return max(throttle_wait(cost), 0.5)
        return None


@dataclass
class ShopifyClient:
    """Reads orders and performs order actions for one shop."""

    shop_url: str
    client_id: str
    secret: str
    api_version: str = "2026-10"
    timeout: float = 30.0
    ca_file: str | None = None
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.time
    http: HttpClient = field(init=False)
    _token: str | None = field(default=None, init=False)
    _token_expires: float = field(default=0.0, init=False)
    _next_wait: float = field(default=0.0, init=False)
    last_cost: dict[str, Any] = field(default_factory=dict, init=False)
    learned_page: int = field(default=FIRST_PAGE, init=False)  # kept between polls

    def __post_init__(self) -> None:
        self.shop_url = self.shop_url.rstrip("/")
        self.http = _ShopifyHttp(
            name=f"Shopify {self.shop_url}",
            timeout=self.timeout,
            ca_file=self.ca_file,
            sleep=self.sleep,
        )
        if self.secret.startswith(("shpat_", "shpca_", "shppa_")):
            self._token = self.secret
            self._token_expires = float("inf")

    @property
    def graphql_url(self) -> str:
        return f"{self.shop_url}/admin/api/{self.api_version}/graphql.json"

    def close(self) -> None:
        self.http.close()

    # -- auth ---------------------------------------------------------------

    def access_token(self) -> str:
        """A token valid for at least a few more minutes, fetched when needed."""
        if self._token and self.clock() < self._token_expires - TOKEN_REFRESH_MARGIN:
            return self._token
        response = self.http.request(
            "POST",
            f"{self.shop_url}/admin/oauth/access_token",
            data={
                "grant_type": "client_credentials",
                "client_id": self.client_id,
                "client_secret": self.secret,
            },
            headers={"Accept": "application/json"},
            idempotent=True,
        )
        body = parse_json(response, self.http.name)
        if not isinstance(body, Mapping) or not isinstance(body.get("access_token"), str):
            raise MalformedResponseError(f"{self.http.name}: the token answer has no access_token")
        self._token = body["access_token"]
        expires_in = body.get("expires_in")
        lifetime = float(expires_in) if isinstance(expires_in, int | float) else 86_399.0
        self._token_expires = self.clock() + lifetime
        return self._token

    # -- GraphQL ------------------------------------------------------------

    def graphql(self, query: str, variables: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Run one document; returns ``data``. Paces and retries throttled calls."""
        refreshed = False
        for _ in range(THROTTLE_RETRIES):
            if self._next_wait > 0:
                self.sleep(self._next_wait)
                self._next_wait = 0.0
            try:
                response = self.http.request(
                    "POST",
                    self.graphql_url,
                    json={"query": query, "variables": dict(variables or {})},
                    idempotent=not query.lstrip().startswith("mutation"),
                    headers={"X-Shopify-Access-Token": self.access_token()},
                )
            except AuthError:
                if refreshed or self.secret.startswith("shpat_"):
                    raise
                self._token, refreshed = None, True  # expired early or revoked: one new token
                continue
            body = parse_json(response, self.http.name)
            if not isinstance(body, Mapping):
                raise MalformedResponseError(f"{self.http.name}: the answer is not a JSON object")
            cost = (body.get("extensions") or {}).get("cost")
            errors = body.get("errors") or []
            if any(_is_throttled(error) for error in errors):
                self.sleep(max(throttle_wait(cost), 1.0))
                continue
            if errors:
                messages = [str(e.get("message", e)) for e in errors if isinstance(e, Mapping)]
                extensions = [e.get("extensions") or {} for e in errors if isinstance(e, Mapping)]
                codes = [str(x.get("code", "")) for x in extensions]
                raise ShopifyError(
                    f"{self.http.name}: {'; '.join(messages)}", messages, codes, extensions
                )
            self._next_wait = throttle_wait(cost)
            self.last_cost = dict(cost) if isinstance(cost, Mapping) else {}
            data = body.get("data")
            if not isinstance(data, dict):
                raise MalformedResponseError(f"{self.http.name}: the answer has no data")
            return data
        raise RateLimitedError(
            f"{self.http.name}: still throttled after {THROTTLE_RETRIES} tries", 0
        )

    # -- reads --------------------------------------------------------------

    def orders_updated(
        self, since: str | None, until: str, *, page_size: int | None = None
    ) -> Iterator[OrderPage]:
        """Orders updated in ``[since, until]``, oldest change first, page by page.

        Without ``page_size`` the page grows to what the single-query cost limit
        allows, learnt from ``requestedQueryCost`` of the first answer.
        """
        cursor: str | None = None
        query = search_window(since, until)
        first = page_size or self.learned_page
        while True:
            try:
                data = self.graphql(ORDERS_QUERY, {"cursor": cursor, "q": query, "first": first})
                self.last_cost["_first"] = first
            except ShopifyError as error:
                if "MAX_COST_EXCEEDED" in error.codes and first > 1:
                    first = _smaller_page(first, error)
                    self.learned_page = first
                    continue
                raise
            connection = data.get("orders")
            if not isinstance(connection, Mapping):
                raise MalformedResponseError(f"{self.http.name}: the answer has no orders")
            try:
                orders = [map_order(node) for node in connection.get("nodes") or []]
                info = connection["pageInfo"]
                has_next, cursor = bool(info["hasNextPage"]), info.get("endCursor")
            except (KeyError, TypeError, ValueError, AttributeError) as error:
                raise MalformedResponseError(
                    f"{self.http.name}: an order is not in the documented shape ({error})"
                ) from error
            yield OrderPage(orders, has_next, cursor)
            if not has_next or not cursor:
                return
            if page_size is None:
                first = self.learned_page = self._affordable_page(first)
            self._pace(first)

    def _pace(self, first: int) -> None:
        """Wait before the next page until the bucket can admit its estimated cost."""
        requested = self.last_cost.get("requestedQueryCost")
        previous = self.last_cost.get("_first")
        if isinstance(requested, int | float) and isinstance(previous, int) and previous:
            estimate = 2 + (float(requested) - 2) / previous * first
            self._next_wait = throttle_wait(self.last_cost, estimate)

    def _affordable_page(self, first: int) -> int:
        """The largest page whose requested cost stays under the single-query limit."""
        requested = self.last_cost.get("requestedQueryCost")
        if not isinstance(requested, int | float) or requested <= 0:
            return first
        per_order = max(1.0, (float(requested) - 2) / first)
        limit = MAX_QUERY_COST
        status = self.last_cost.get("throttleStatus")
        if isinstance(status, Mapping) and isinstance(status.get("maximumAvailable"), int | float):
            limit = min(limit, float(status["maximumAvailable"]))
        return max(1, min(MAX_PAGE, int((limit - 2) / per_order)))

    def order(self, external_id: str) -> OrderRecord | None:
        """One order by its GID, fresh from the shop."""
        node = self.graphql(ORDER_BY_ID_QUERY, {"id": external_id}).get("order")
        return map_order(node) if isinstance(node, Mapping) else None

    def mutate(self, document: str, variables: Mapping[str, Any], field_name: str) -> Any:
        """Run a mutation; raise ``ShopifyError`` with the shop's words on userErrors."""
        payload = self.graphql(document, variables).get(field_name)
        if not isinstance(payload, Mapping):
            raise MalformedResponseError(f"{self.http.name}: {field_name} returned nothing")
        errors = payload.get("userErrors") or payload.get("orderCancelUserErrors") or []
        if errors:
            messages = [str(e.get("message", "")) for e in errors if isinstance(e, Mapping)]
            raise ShopifyError(f"{self.http.name}: {'; '.join(messages)}", messages)
        return payload


def _smaller_page(first: int, error: ShopifyError) -> int:
    """A page size under the limit: from the error's ``cost``/``maxCost``, else half."""
    for extension in error.extensions:
        cost, limit = extension.get("cost"), extension.get("maxCost")
        if isinstance(cost, int | float) and isinstance(limit, int | float) and cost > 2:
            per_order = (float(cost) - 2) / first
            return max(1, min(first - 1, int((float(limit) - 2) / per_order)))
    return max(1, first // 2)


def _is_throttled(error: Any) -> bool:
    if not isinstance(error, Mapping):
        return False
    code = (error.get("extensions") or {}).get("code")
    return code == "THROTTLED" or str(error.get("message", "")).lower() == "throttled"


__all__ = ["ClientError", "OrderPage", "ShopifyClient", "ShopifyError", "throttle_wait"]

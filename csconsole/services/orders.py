"""Orders for the order pane and the CLI: lookups, links, refresh, and confirmed actions.

Reading (no network): ``get(order_id)``, ``by_number("1001")``, ``linked(conversation_id)``,
``candidates(conversation_id)``, ``for_customer(customer_id)``, ``for_email(email)``,
``recent(limit)``. Orders are dicts of the ``orders`` row plus ``account_name``,
``platform``, ``items`` (list), ``shipping_address`` (dict), ``shipments`` and ``notes``.

Linking: ``link(conversation_id, order_id)``, ``unlink(…)``, ``link_by_number(conversation_id,
"#1001")`` (raises ``AmbiguousOrder`` with the candidates when several shops share it),
``match(conversation_id)`` (auto-links a single match, returns ``MatchResult``).

Acting — always two steps, so the console can show a confirm dialog in between::

    plan = services.orders.plan_refund(order_id, amount="150.00", call_gateway=True)
    dialog(plan.title, plan.lines, plan.amount, plan.currency, plan.restock,
           plan.calls_gateway, plan.notifies_customer, plan.irreversible)
    result = services.orders.execute(plan, reason="damaged in transit")
    result.ok, result.message, result.order   # message is the API's own error text

Planners: ``plan_note(order_id, text, customer_visible=False)``, ``plan_status(order_id,
"completed" | "on-hold")`` (WooCommerce), ``plan_cancel(order_id, restock=, refund=,
notify_customer=)``, ``plan_refund(order_id, amount=None, call_gateway=, notify_customer=)``;
``refund_amount(plan, "100.00")`` redoes a refund plan for another amount without the network
(checked against ``plan.refundable``), so a dialog can let the amount be lowered.
Some planners and every ``execute``/``refresh`` use the network: call them from a worker.
``execute`` saves the reason as an internal note in ``plan.conversation_id`` (or the
conversation given), logs an ``order.<action>`` event, and refreshes the order.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from csconsole.domain.clock import now_iso
from csconsole.domain.models import Direction, NewMessage
from csconsole.services.order_plans import (
    Action,
    ActionNotPossible,
    OrderActionPlan,
    plan_cancel,
    plan_note,
    plan_refund,
    plan_status,
    refund_amount,
)
from csconsole.sources.http_client import SourceError
from csconsole.sources.shopify import ShopifyClient
from csconsole.sources.shopify_mapping import (
    ORDER_CANCEL_MUTATION,
    ORDER_UPDATE_MUTATION,
    REFUND_CREATE_MUTATION,
)
from csconsole.store import orders as order_store
from csconsole.store.inbox import add_message, record_event
from csconsole.store.order_matching import MatchResult, match_orders_for_conversation
from csconsole.sync.shop_clients import ShopClient, make_shop_client

if TYPE_CHECKING:
    from sqlite_utils import Database

    from csconsole.services import Services

__all__ = [
    "ActionNotPossible",
    "ActionResult",
    "AmbiguousOrder",
    "OrderActionPlan",
    "OrderNotFound",
    "OrdersService",
    "refund_amount",
]


class OrderNotFound(LookupError):
    """No order with that id or number is in the store."""


class AmbiguousOrder(LookupError):
    """Several orders share the number; ``candidates`` lists them for the user."""

    def __init__(self, message: str, candidates: list[dict[str, Any]]) -> None:
        super().__init__(message)
        self.candidates = candidates


@dataclass(frozen=True)
class ActionResult:
    """How an executed action went; ``message`` quotes the shop's error when it failed."""

    ok: bool
    message: str
    order: dict[str, Any] | None


class OrdersService:
    """Orders as the console and the CLI see them."""

    def __init__(
        self, services: Services, *, client_factory: Callable[[str], ShopClient] | None = None
    ) -> None:
        self.services = services
        self._factory = client_factory or self._client_from_config
        self._clients: dict[str, ShopClient] = {}

    def _db(self) -> Database:
        return self.services.db()

    def _client_from_config(self, shop_name: str) -> ShopClient:
        for shop in self.services.config.shops:
            if shop.name == shop_name:
                return make_shop_client(shop)
        raise ActionNotPossible(f"shop {shop_name!r} is not in the config")

    def client(self, shop_name: str) -> ShopClient:
        if shop_name not in self._clients:
            self._clients[shop_name] = self._factory(shop_name)
        return self._clients[shop_name]

    # -- reads -----------------------------------------------------------------

    def get(self, order_id: int) -> dict[str, Any]:
        order = order_store.get_order(self._db(), order_id)
        if order is None:
            raise OrderNotFound(f"no order with id {order_id}")
        return order

    def by_number(self, number: str) -> list[dict[str, Any]]:
        return [self.get(o["id"]) for o in order_store.find_orders_by_number(self._db(), number)]

    def linked(self, conversation_id: int) -> list[dict[str, Any]]:
        return [self.get(o["id"]) for o in order_store.linked_orders(self._db(), conversation_id)]

    def candidates(self, conversation_id: int) -> list[dict[str, Any]]:
        from csconsole.store.order_matching import order_candidates

        linked = {o["id"] for o in order_store.linked_orders(self._db(), conversation_id)}
        ids = order_candidates(self._db(), conversation_id)
        return [self.get(i) for i in ids if i not in linked]

    def for_customer(self, customer_id: int) -> list[dict[str, Any]]:
        return order_store.orders_for_customer(self._db(), customer_id)

    def for_email(self, email: str) -> list[dict[str, Any]]:
        from csconsole.domain.text import normalize_email

        return order_store.orders_for_email(self._db(), normalize_email(email))

    def recent(self, limit: int = 100) -> list[dict[str, Any]]:
        return order_store.list_orders(self._db(), limit)

    # -- links -----------------------------------------------------------------

    def link(self, conversation_id: int, order_id: int) -> bool:
        db = self._db()
        with db.atomic():
            return order_store.link_order(
                db, conversation_id, order_id, "user", actor=self.services.actor
            )

    def unlink(self, conversation_id: int, order_id: int) -> bool:
        db = self._db()
        with db.atomic():
            return order_store.unlink_order(
                db, conversation_id, order_id, actor=self.services.actor
            )

    def link_by_number(self, conversation_id: int, number: str) -> dict[str, Any]:
        found = self.by_number(number)
        if not found:
            raise OrderNotFound(f"no order numbered {number!r} in the store")
        if len(found) > 1:
            raise AmbiguousOrder(f"{len(found)} orders are numbered {number!r}", found)
        self.link(conversation_id, found[0]["id"])
        return found[0]

    def unlink_by_number(self, conversation_id: int, number: str) -> bool:
        return any(self.unlink(conversation_id, o["id"]) for o in self.by_number(number))

    def match(self, conversation_id: int) -> MatchResult:
        db = self._db()
        with db.atomic():
            return match_orders_for_conversation(db, conversation_id, actor="system")

    # -- network ---------------------------------------------------------------

    def refresh(self, order_id: int) -> dict[str, Any]:
        """Fetch the order from its shop now and store it."""
        order = self.get(order_id)
        client = self.client(order["account_name"])
        record = client.order(order["external_id"])
        if record is None:
            raise OrderNotFound(f"the shop no longer has order #{order['number']}")
        db = self._db()
        with db.atomic():
            order_store.upsert_order(db, int(order["account_id"]), record, force=True)
        return self.get(order_id)

    def plan_note(
        self,
        order_id: int,
        text: str,
        *,
        customer_visible: bool = False,
        conversation_id: int | None = None,
    ) -> OrderActionPlan:
        order = self.get(order_id)
        return plan_note(
            order,
            text,
            customer_visible=customer_visible,
            client=self.client(order["account_name"]),
            conversation_id=conversation_id,
        )

    def plan_status(self, order_id: int, status: Action) -> OrderActionPlan:
        return plan_status(self.get(order_id), status)

    def plan_cancel(
        self,
        order_id: int,
        *,
        restock: bool = True,
        refund: bool = False,
        notify_customer: bool = False,
        conversation_id: int | None = None,
    ) -> OrderActionPlan:
        return plan_cancel(
            self.get(order_id),
            restock=restock,
            refund=refund,
            notify_customer=notify_customer,
            conversation_id=conversation_id,
        )

    def plan_refund(
        self,
        order_id: int,
        *,
        amount: str | None = None,
        call_gateway: bool = True,
        notify_customer: bool = False,
        conversation_id: int | None = None,
    ) -> OrderActionPlan:
        order = self.get(order_id)
        return plan_refund(
            order,
            self.client(order["account_name"]),
            amount=amount,
            call_gateway=call_gateway,
            notify_customer=notify_customer,
            conversation_id=conversation_id,
        )

    def execute(
        self, plan: OrderActionPlan, reason: str, *, conversation_id: int | None = None
    ) -> ActionResult:
        """Send the planned request; record the reason and the outcome; refresh the order."""
        reason = reason.strip()
        if plan.action in ("cancel", "refund") and not reason:
            raise ActionNotPossible("a reason is required to cancel or refund")
        conversation_id = conversation_id or plan.conversation_id
        client = self.client(plan.shop)
        try:
            response = _send(client, plan, reason)
        except SourceError as error:
            self._record(plan, reason, conversation_id, ok=False, detail=str(error))
            return ActionResult(False, str(error), self.get(plan.order_id))
        self._record(plan, reason, conversation_id, ok=True, detail=_summary(response))
        try:
            order = self.refresh(plan.order_id)
        except (SourceError, OrderNotFound) as error:
            return ActionResult(True, f"{plan.title}: done; refresh failed: {error}", None)
        return ActionResult(True, f"{plan.title}: done", order)

    def _record(
        self,
        plan: OrderActionPlan,
        reason: str,
        conversation_id: int | None,
        *,
        ok: bool,
        detail: str,
    ) -> None:
        db = self._db()
        outcome = "done" if ok else f"failed: {detail}"
        with db.atomic():
            if conversation_id is not None:
                body = "\n".join([f"{plan.title} — {outcome}", *plan.lines, f"Reason: {reason}"])
                add_message(
                    db,
                    conversation_id,
                    NewMessage(
                        direction=Direction.NOTE,
                        sent_at=now_iso(),
                        body_text=body,
                        author=self.services.actor,
                        seen=True,
                    ),
                )
            record_event(
                db,
                f"order.{plan.action}" if ok else "order.action_failed",
                actor=self.services.actor,
                conversation_id=conversation_id,
                order_id=plan.order_id,
                data={
                    "action": plan.action,
                    "title": plan.title,
                    "amount": plan.amount,
                    "currency": plan.currency,
                    "reason": reason,
                    "ok": ok,
                    "detail": detail,
                },
            )


def _send(client: ShopClient, plan: OrderActionPlan, reason: str) -> Any:
    request: dict[str, Any] = dict(plan.request)
    if isinstance(client, ShopifyClient):
        if plan.action == "note":
            return client.mutate(ORDER_UPDATE_MUTATION, request, "orderUpdate")
        if plan.action == "cancel":
            return client.mutate(
                ORDER_CANCEL_MUTATION, {**request, "staffNote": reason[:255]}, "orderCancel"
            )
        if plan.action == "refund":
            payload = {**request["input"], "note": reason}
            return client.mutate(REFUND_CREATE_MUTATION, {"input": payload}, "refundCreate")
        raise ActionNotPossible(f"Shopify has no {plan.action!r} action here")
    if plan.action == "note":
        return client.add_note(
            plan.external_id, str(request["note"]), customer_note=bool(request["customer_note"])
        )
    if plan.action in ("completed", "on-hold", "cancel"):
        return client.set_status(plan.external_id, str(request["status"]))
    if plan.action == "refund":
        return client.refund(
            plan.external_id,
            amount=str(request["amount"]),
            reason=reason,
            api_refund=bool(request["api_refund"]),
            api_restock=bool(request["api_restock"]),
        )
    raise ActionNotPossible(f"unknown action {plan.action!r}")


def _summary(response: Any) -> str:
    if isinstance(response, Mapping):
        for key in ("id", "status", "job", "refund"):
            if key in response:
                return f"{key}={response[key]}"
    return ""

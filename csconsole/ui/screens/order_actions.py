"""Acting on the conversation's order: plan in a worker, confirm, execute in a worker.

The order is the first linked one in the order pane. Planning may read the shop
(a Shopify refund needs the original payment) and executing always writes to it,
so both run off the UI thread; the confirm dialog sits between them and nothing
is sent when it is cancelled.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.message import Message

from csconsole.services.orders import ActionResult, OrderActionPlan
from csconsole.ui.messages import ActionFailed
from csconsole.ui.screens.conversation_actions import ConversationActions
from csconsole.ui.screens.order_action_dialog import Confirmed, OrderActionDialog
from csconsole.ui.workers import run_in_thread

NO_ORDER = "no order is linked to this conversation (L links one by number)"


@dataclass
class OrderPlanned(Message):
    """A plan is ready for the confirm dialog."""

    action_id: str
    conversation_id: int
    plan: OrderActionPlan


@dataclass
class OrderActed(Message):
    """An order action ran; ``result.message`` holds the shop's error when it failed."""

    action_id: str
    conversation_id: int
    result: ActionResult


class OrderActions(ConversationActions):
    """Order actions for a screen that shows one conversation and its order pane."""

    def first_linked_order(self) -> int | None:
        """Subclasses return the id of the first linked order shown, if any."""
        raise NotImplementedError

    def order_feedback(self, text: str) -> None:
        """Subclasses show ``text`` to the user."""
        raise NotImplementedError

    def _plan(self, action_id: str, planner: Callable[[int, int], OrderActionPlan]) -> None:
        conversation_id = self.current_id()
        if conversation_id is None:
            return
        order_id = self.first_linked_order()
        if order_id is None:
            self.order_feedback(NO_ORDER)
            return

        def job() -> Message:
            try:
                return OrderPlanned(action_id, conversation_id, planner(order_id, conversation_id))
            except Exception as error:  # any shop, secret or config problem is shown
                return ActionFailed(action_id, str(error) or type(error).__name__)

        run_in_thread(self, self.services, job, group=f"order:{conversation_id}", name=action_id)

    def action_order_note(self) -> None:
        self._ask("Order note (shop staff only)", "", self.order_note_with)

    def order_note_with(self, text: str) -> None:
        orders = self.services.orders
        self._plan("order.note", lambda o, c: orders.plan_note(o, text, conversation_id=c))

    def action_order_complete(self) -> None:
        self._plan("order.complete", lambda o, _c: self.services.orders.plan_status(o, "completed"))

    def action_order_hold(self) -> None:
        self._plan("order.hold", lambda o, _c: self.services.orders.plan_status(o, "on-hold"))

    def action_order_cancel(self) -> None:
        self._plan(
            "order.cancel", lambda o, c: self.services.orders.plan_cancel(o, conversation_id=c)
        )

    def action_order_refund(self) -> None:
        """Refund through the gateway: all that is left, or less when the dialog's amount
        is lowered; a shop that cannot refund through its gateway says so in its error."""
        self._plan(
            "order.refund", lambda o, c: self.services.orders.plan_refund(o, conversation_id=c)
        )

    def on_order_planned(self, message: OrderPlanned) -> None:
        message.stop()

        def confirmed(answer: Confirmed | None) -> None:
            if answer is not None:  # the plan may differ from the one planned (a lower amount)
                self._execute(
                    OrderPlanned(message.action_id, message.conversation_id, answer.plan),
                    answer.reason,
                )
            else:
                self.order_feedback(f"{message.plan.title}: cancelled, nothing was sent")

        self.app.push_screen(OrderActionDialog(message.plan), confirmed)

    def _execute(self, planned: OrderPlanned, reason: str) -> None:
        orders = self.services.orders

        def job() -> Message:
            try:
                result = orders.execute(
                    planned.plan, reason, conversation_id=planned.conversation_id
                )
            except Exception as error:  # refused before sending: say why
                return ActionFailed(planned.action_id, str(error) or type(error).__name__)
            return OrderActed(planned.action_id, planned.conversation_id, result)

        self.order_feedback(f"{planned.plan.title}: sending…")
        run_in_thread(
            self,
            self.services,
            job,
            group=f"order:{planned.conversation_id}",
            name=planned.action_id,
        )

    async def on_order_acted(self, message: OrderActed) -> None:
        message.stop()
        await self.reload_after_order_action()
        result = message.result
        text = result.message if result.ok else f"{message.action_id} failed: {result.message}"
        self.order_feedback(text)
        if not result.ok:
            self.notify(text, severity="error", timeout=10)

    async def reload_after_order_action(self) -> None:
        """Subclasses re-read the thread and the order pane."""
        raise NotImplementedError

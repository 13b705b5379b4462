"""The confirm step of every order action: exactly what will happen, and why.

Money, stock, the payment gateway and the customer's inbox are each stated as a
plain yes/no line, so nobody refunds through a gateway they thought was manual.
Cancel and refund do not go through without a reason; it becomes an internal note.
A refund's amount can be lowered in the dialog: the plan is redone as it is typed
(no network), so the text shown is always what will be sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from csconsole.domain.text import sanitize
from csconsole.services.orders import ActionNotPossible, OrderActionPlan, refund_amount

REASON_REQUIRED = frozenset({"cancel", "refund"})


def plan_facts(plan: OrderActionPlan) -> list[str]:
    """The yes/no lines every plan gets, whatever its own wording says."""
    currency = sanitize(plan.currency)
    facts = [
        f"Amount: {sanitize(plan.amount)} {currency}".rstrip()
        if plan.amount is not None
        else "Amount: no money moves",
        "Stock: items are restocked" if plan.restock else "Stock: unchanged",
        "Payment gateway: called (money is sent back)"
        if plan.calls_gateway
        else "Payment gateway: not called",
        "Customer: the shop may email them (its email settings decide)"
        if plan.notifies_customer
        else "Customer: not notified",
    ]
    if plan.irreversible:
        facts.append("⚠ This cannot be undone.")
    return facts


@dataclass(frozen=True)
class Confirmed:
    """What the user agreed to: the plan as last shown, and the reason typed."""

    plan: OrderActionPlan
    reason: str


def _facts_text(plan: OrderActionPlan) -> Text:
    facts = Text()
    for fact in plan_facts(plan):
        facts.append(fact + "\n", style="bold red" if fact.startswith("⚠") else "")
    return facts


class OrderActionDialog(ModalScreen[Confirmed | None]):
    """Show a plan; Enter confirms with the typed reason, Escape cancels (None)."""

    DEFAULT_CSS = """
    OrderActionDialog { align: center middle; }
    OrderActionDialog > Vertical { width: 76; height: auto; padding: 1 2; background: $panel;
                                   border: solid $warning; }
    OrderActionDialog #title { text-style: bold; }
    OrderActionDialog #facts { margin: 1 0; }
    OrderActionDialog #problem { color: $error; height: auto; }
    OrderActionDialog #amount { width: 32; }
    """
    AUTO_FOCUS = "#reason"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel")
    ]

    def __init__(self, plan: OrderActionPlan) -> None:
        super().__init__()
        self.plan = plan
        self.reason_required = plan.action in REASON_REQUIRED
        self.amount_problem: str | None = None

    def compose(self) -> ComposeResult:
        plan = self.plan
        with Vertical():
            yield Label(Text(sanitize(plan.title)), id="title")
            yield Static(Text("\n".join(sanitize(line) for line in plan.lines)), id="lines")
            yield Static(_facts_text(plan), id="facts")
            if plan.action == "refund" and plan.refundable is not None:
                currency = sanitize(plan.currency)
                yield Label(
                    Text(f"Amount to refund in {currency} (at most {sanitize(plan.refundable)})")
                )
                yield Input(value=plan.amount or "", id="amount")
            label = "Reason (required, kept as an internal note)"
            if not self.reason_required:
                label = "Reason (optional, kept as an internal note)"
            yield Label(label)
            yield Input(placeholder="e.g. arrived damaged", id="reason")
            yield Static("", id="problem")
            yield Label(Text("Enter confirms · Escape cancels", style="dim"))

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "amount":
            return
        event.stop()
        try:
            plan = refund_amount(self.plan, event.value)
        except ActionNotPossible as error:
            self.amount_problem = f"Amount: {error}."
            self.query_one("#problem", Static).update(Text(sanitize(self.amount_problem)))
            return
        self.amount_problem = None
        self.plan = plan
        self.query_one("#problem", Static).update("")
        self.query_one("#title", Label).update(Text(sanitize(plan.title)))
        lines = Text("\n".join(sanitize(line) for line in plan.lines))
        self.query_one("#lines", Static).update(lines)
        self.query_one("#facts", Static).update(_facts_text(plan))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "amount":  # Enter in the amount moves on to the reason
            if self.amount_problem is None:
                self.query_one("#reason", Input).focus()
            return
        reason = event.value.strip()
        problem = self.amount_problem
        if problem is None and self.reason_required and not reason:
            problem = "A reason is required for this action."
        if problem is not None:
            self.query_one("#problem", Static).update(Text(sanitize(problem)))
            return
        self.dismiss(Confirmed(self.plan, reason))

    def action_cancel(self) -> None:
        self.dismiss(None)

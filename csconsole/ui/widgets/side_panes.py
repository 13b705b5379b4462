"""The panes beside a thread: who the customer is, and their orders with shipments."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from csconsole.domain.detail_models import CustomerCard, OrderInfo
from csconsole.domain.display_dates import format_full
from csconsole.domain.text import sanitize
from csconsole.ui.rtl import display


class CustomerPane(Static):
    """Names, contacts, language, lifetime orders and value, other conversations."""

    DEFAULT_CSS = "CustomerPane { height: auto; padding: 0 1; border-bottom: solid $panel; }"

    def show(self, card: CustomerCard | None, bidi: str) -> None:
        text = Text()
        if card is None:
            self.update(Text("No customer on file", style="italic"))
            return
        names = [display(sanitize(n), bidi) for n in card.names] or ["(no name)"]
        text.append(names[0] + "\n", style="bold")
        for extra in names[1:]:
            text.append(f"aka {extra}\n")
        for label, values in (("mail", card.emails), ("phone", card.phones), ("chat", card.chats)):
            for value in values:
                text.append(f"{label}: {sanitize(value)}\n")
        if card.language:
            text.append(f"language: {sanitize(card.language)}\n")
        text.append(f"orders: {card.order_count}")
        if card.lifetime_value:
            text.append(f" · {card.lifetime_value}")
        text.append("\n")
        if card.other_conversations:
            text.append("other conversations:\n", style="dim")
            for _, subject, status in card.other_conversations[:5]:
                text.append(f"  {display(sanitize(subject), bidi)[:30]} ({status})\n")
        self.update(text)


class OrderPane(Static):
    """Linked orders first, then the customer's others: status, items, total, tracking."""

    DEFAULT_CSS = "OrderPane { height: auto; padding: 0 1; }"

    def show(self, orders: tuple[OrderInfo, ...], calendar: str, timezone: str) -> None:
        if not orders:
            self.update(Text("No orders (L links one by number)", style="italic"))
            return
        text = Text()
        for order in orders:
            mark = "★ linked" if order.linked else ""
            text.append(f"#{sanitize(order.number)} ", style="bold")
            text.append(f"{mark}\n", style="bold")
            placed = format_full(order.placed_at, calendar=calendar, timezone=timezone)
            text.append(f"{placed} · {sanitize(order.account)}\n", style="dim")
            text.append(
                f"{sanitize(order.financial_status) or '?'} / "
                f"{sanitize(order.fulfillment_status) or '?'} · "
                f"{sanitize(order.total)} {sanitize(order.currency)}\n"
            )
            for item in order.items[:4]:
                text.append(f"  {sanitize(item)}\n")
            for shipment in order.shipments:
                text.append(
                    f"  {sanitize(shipment.carrier)} {sanitize(shipment.tracking_number)} "
                    f"· {sanitize(shipment.status)}\n"
                )
                if shipment.tracking_url:
                    text.append(f"  {sanitize(shipment.tracking_url)}\n", style="underline")
            text.append("\n")
        self.update(text)

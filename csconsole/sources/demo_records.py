"""The plain records the demo generator hands to ``sync.demo_load``.

Orders and shipments use ``domain.orders`` records, messages ``domain.models.NewMessage``;
these dataclasses add what a real source would have told us about people and threads.
Keys are 1-based and dense, so a fresh store can use them as row ids.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from csconsole.domain.models import Contact, NewMessage, Status
from csconsole.domain.orders import OrderRecord


@dataclass(frozen=True)
class DemoAccount:
    """A source the demo pretends to sync from."""

    name: str
    kind: str
    address: str
    display_name: str


MAIL_ACCOUNT = DemoAccount("demo-mail", "demo", "support@demo-shop.example", "Demo Shop mail")
TELEGRAM_ACCOUNT = DemoAccount("demo-telegram", "demo", "@demo_shop_bot", "Demo Shop Telegram")
SHOP_ACCOUNT = DemoAccount("demo-shop", "demo", "https://demo-shop.example", "Demo Shop orders")
DEMO_ACCOUNTS = (MAIL_ACCOUNT, TELEGRAM_ACCOUNT, SHOP_ACCOUNT)
ACCOUNT_FOR_CHANNEL = {"email": MAIL_ACCOUNT, "telegram": TELEGRAM_ACCOUNT, "shop": SHOP_ACCOUNT}


@dataclass(frozen=True)
class DemoCustomer:
    """A person who wrote or ordered; ``contacts`` are as they typed them."""

    key: int
    display_name: str
    language: str
    contacts: tuple[Contact, ...]
    notes: str = ""


@dataclass(frozen=True)
class DemoOrder:
    """An order of the demo shop and whose it is."""

    key: int
    customer_key: int
    record: OrderRecord


@dataclass(frozen=True)
class StatusChange:
    """An agent moving a conversation (pending, snoozed, closed) between messages."""

    at: str
    status: Status
    actor: str
    snooze_until: str | None = None


Step = NewMessage | StatusChange


@dataclass(frozen=True)
class DemoConversation:
    """A thread as it happened: messages and status changes in time order."""

    key: int
    channel: str
    account: str
    customer_key: int
    subject: str
    language: str
    created_at: str
    steps: tuple[Step, ...]
    situation: str  # overdue | due_soon | waiting | answered | pending | snoozed | closed
    story: str
    order_keys: tuple[int, ...] = ()
    tags: tuple[str, ...] = ()
    external_id: str | None = None
    assignee: str | None = None


@dataclass
class DemoBatch:
    """A slice of the demo, small enough to write in one go; keys continue across batches."""

    customers: list[DemoCustomer] = field(default_factory=list)
    orders: list[DemoOrder] = field(default_factory=list)
    conversations: list[DemoConversation] = field(default_factory=list)


_PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
_ARABIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def native_digits(text: str, language: str) -> str:
    """Write ASCII digits the way a Persian or Arabic keyboard would."""
    if language == "fa":
        return text.translate(_PERSIAN)
    if language == "ar":
        return text.translate(_ARABIC)
    return text


def iso(moment: datetime) -> str:
    """``domain.clock.to_iso`` for the aware UTC datetimes the generator uses, but faster.

    The demo formats a few million instants; ``isoformat`` is several times quicker
    than ``strftime`` and gives the same text once the offset and microseconds go.
    """
    return moment.isoformat()[:19] + "Z"

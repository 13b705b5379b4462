"""The inbox service: views, counts, paging and every state change with its event."""

from __future__ import annotations

import json
import resource
import signal
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from csconsole.config import Config, RepliesConfig
from csconsole.domain.clock import to_iso
from csconsole.domain.inbox_models import ConversationFilter, Sort, View
from csconsole.domain.models import Direction, NewMessage
from csconsole.services import Services
from csconsole.services.inbox import AttachmentUnavailable, NotFound
from csconsole.store.inbox import add_message
from tests.ui.store_builder import NOW, Built, build_store


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self):  # type: ignore[no-untyped-def]
        return self.now


@pytest.fixture
def built(store_path: Path) -> Built:
    return build_store(store_path, extra=30)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def services(store_path: Path, built: Built, clock: Clock) -> Iterator[Services]:
    config = Config(replies=RepliesConfig(agent_name="sam"))
    svc = Services(store_path, config, clock=clock)
    yield svc
    svc.close()


def events(services: Services, kind: str) -> list[tuple[str, int | None, dict[str, str]]]:
    rows = services.db().execute(
        "SELECT actor, conversation_id, data FROM events WHERE kind = ? ORDER BY id", [kind]
    )
    return [(actor, conv, json.loads(data)) for actor, conv, data in rows]


def test_pages_never_overlap_and_cover_the_view(services: Services) -> None:
    spec = ConversationFilter(view=View.ALL)
    total = services.inbox.count(spec)
    seen = []
    for offset in range(0, total, 7):
        seen += [row.id for row in services.inbox.page(spec, offset, 7)]
    assert len(seen) == total == len(set(seen)) == 34


def test_urgency_puts_the_nearest_deadline_first(services: Services, built: Built) -> None:
    rows = services.inbox.page(ConversationFilter(view=View.OPEN), 0, 100)
    dues = [row.sla_due_at for row in rows if row.sla_due_at]
    assert dues == sorted(dues)
    # The Persian Telegram chat has a 1h policy and wrote 30 minutes ago: due first of the
    # not-yet-overdue ones; the Arabic mail (26h ago, 24h policy) is overdue and comes earlier.
    ids = [row.id for row in rows]
    assert ids.index(built.conversations["ar"]) < ids.index(built.conversations["fa"])
    newest = services.inbox.page(ConversationFilter(view=View.ALL, sort=Sort.NEWEST), 0, 1)
    assert newest[0].id == built.conversations["fa"]


def test_views_and_counts(services: Services, built: Built) -> None:
    counts = services.inbox.counts(ConversationFilter())
    assert counts[View.ALL] == 34
    assert counts[View.OPEN] == 34
    assert counts[View.OVERDUE] >= 1
    overdue = services.inbox.page(ConversationFilter(view=View.OVERDUE), 0, 100)
    assert built.conversations["ar"] in [row.id for row in overdue]
    due_soon = services.inbox.page(ConversationFilter(view=View.DUE_SOON), 0, 100)
    assert built.conversations["fa"] in [row.id for row in due_soon]
    services.inbox.close(built.conversations["ar"])
    counts = services.inbox.counts(ConversationFilter())
    assert counts[View.CLOSED] == 1 and counts[View.OPEN] == 33


def test_filters_by_channel_tag_and_text(services: Services, built: Built) -> None:
    telegram = services.inbox.page(ConversationFilter(view=View.ALL, channel="telegram"), 0, 10)
    assert [row.id for row in telegram] == [built.conversations["fa"]]
    tagged = services.inbox.page(ConversationFilter(view=View.ALL, tag="shipping"), 0, 10)
    assert [row.id for row in tagged] == [built.conversations["en"]]
    # Persian digits and Arabic yeh in the query still find the Persian chat.
    found = services.inbox.page(ConversationFilter(view=View.ALL, text="سفارش 1003"), 0, 10)
    assert [row.id for row in found] == [built.conversations["fa"]]


def test_status_changes_write_events(services: Services, built: Built) -> None:
    conv = built.conversations["en"]
    assert services.inbox.close(conv) == "open"
    assert services.inbox.reopen(conv) == "closed"
    services.inbox.set_pending(conv)
    assert services.inbox.summary(conv).status == "pending"  # type: ignore[union-attr]
    recorded = events(services, "conversation.status")
    assert [(e[2]["from"], e[2]["to"]) for e in recorded] == [
        ("open", "closed"),
        ("closed", "open"),
        ("open", "pending"),
    ]
    assert all(actor == "agent:sam" and c == conv for actor, c, _ in recorded)


def test_snooze_presets_and_waking(services: Services, built: Built, clock: Clock) -> None:
    conv = built.conversations["en"]
    until = services.inbox.snooze_preset(conv, "tomorrow")
    assert to_iso(until) == "2026-11-24T09:00:00Z"
    assert services.inbox.summary(conv).status == "snoozed"  # type: ignore[union-attr]
    assert services.inbox.wake_due_snoozes() == []
    clock.now = NOW + timedelta(days=1, minutes=1)
    assert services.inbox.wake_due_snoozes() == [conv]
    assert services.inbox.summary(conv).status == "open"  # type: ignore[union-attr]
    assert events(services, "conversation.status")[-1][2]["reason"] == "snooze ended"


def test_customer_message_wakes_a_snooze(services: Services, built: Built) -> None:
    conv = built.conversations["ar"]
    services.inbox.snooze_typed(conv, "3d")
    db = services.db()
    with db.atomic():
        add_message(
            db,
            conv,
            NewMessage(Direction.IN, sent_at=to_iso(NOW), body_text="?", message_id="wake@test"),
        )
    assert services.inbox.summary(conv).status == "open"  # type: ignore[union-attr]


def test_typed_snooze_rejects_nonsense(services: Services, built: Built) -> None:
    with pytest.raises(ValueError, match="cannot read"):
        services.inbox.snooze_typed(built.conversations["en"], "whenever")


def test_tags_read_state_and_notes(services: Services, built: Built) -> None:
    conv = built.conversations["fa"]
    assert services.inbox.tag(conv, "  VIP ")
    assert not services.inbox.tag(conv, "vip")
    assert services.inbox.summary(conv).tags == ("vip",)  # type: ignore[union-attr]
    assert services.inbox.untag(conv, "vip")
    assert services.inbox.summary(conv).unread == 1  # type: ignore[union-attr]
    services.inbox.mark_read(conv)
    assert services.inbox.summary(conv).unread == 0  # type: ignore[union-attr]
    services.inbox.mark_read(conv, False)
    assert services.inbox.summary(conv).unread == 1  # type: ignore[union-attr]
    services.inbox.add_note(conv, "Called her, parcel is at the depot")
    detail = services.inbox.detail(conv)
    assert detail is not None
    assert detail.messages[-1].direction == "note"
    assert detail.messages[-1].author == "sam"
    kinds = [row[0] for row in services.db().execute("SELECT kind FROM events ORDER BY id")]
    for kind in (
        "conversation.tag",
        "conversation.untag",
        "conversation.read",
        "conversation.unread",
        "conversation.note",
    ):
        assert kind in kinds


def test_link_and_unlink_orders(services: Services, built: Built) -> None:
    conv = built.conversations["ar"]
    with pytest.raises(NotFound):
        services.inbox.link_order(conv, "#4242")
    services.inbox.link_order(conv, "#0999")
    detail = services.inbox.detail(conv)
    assert detail is not None and detail.orders[0].number == "0999" and detail.orders[0].linked
    assert detail.summary.order_number == "0999"
    services.inbox.unlink_order(conv, "0999")
    assert services.inbox.detail(conv).orders == ()  # type: ignore[union-attr]
    assert [e[1] for e in events(services, "order.linked")] == [conv]


def test_detail_has_customer_card_and_orders_linked_first(services: Services, built: Built) -> None:
    detail = services.inbox.detail(built.conversations["en"])
    assert detail is not None
    assert [m.direction for m in detail.messages] == ["in", "out", "in"]
    assert detail.customer is not None
    assert detail.customer.emails == ("alice@example.com",)
    assert detail.customer.order_count == 2
    assert detail.customer.lifetime_value == "65.00 EUR"
    assert [o.number for o in detail.orders] == ["1001", "0999"]
    assert detail.orders[0].shipments[0].tracking_number == "JD1001"


def test_saved_views_round_trip(services: Services) -> None:
    spec = ConversationFilter(view=View.OVERDUE, channel="email", tag="shipping")
    services.inbox.save_view("Late mail", spec)
    (view,) = services.inbox.saved_views()
    assert services.inbox.view_filter(view) == spec
    assert services.inbox.delete_view("Late mail")


def test_attachment_saved_under_a_safe_unused_name(
    services: Services, built: Built, tmp_path: Path
) -> None:
    detail = services.inbox.detail(built.conversations["hostile"])
    assert detail is not None
    (attachment,) = [a for m in detail.messages for a in m.attachments]
    with pytest.raises(AttachmentUnavailable):
        services.inbox.save_attachment(attachment.id, tmp_path)
    db = services.db()
    with db.atomic():
        db.execute("UPDATE attachments SET content = ? WHERE id = ?", [b"data", attachment.id])
    first = services.inbox.save_attachment(attachment.id, tmp_path / "dl")
    second = services.inbox.save_attachment(attachment.id, tmp_path / "dl")
    assert first.parent == second.parent == tmp_path / "dl"
    assert first != second and first.read_bytes() == b"data"
    assert "\x1b" not in first.name and "\u202e" not in first.name and "/" not in first.name


def test_each_thread_gets_its_own_connection(services: Services) -> None:
    results: list[int] = []

    def work() -> None:
        results.append(services.inbox.count(ConversationFilter(view=View.ALL)))
        services.close_thread()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert results == [34]


def test_an_attachment_that_does_not_fit_leaves_no_half_file(
    services: Services, built: Built, tmp_path: Path
) -> None:
    detail = services.inbox.detail(built.conversations["hostile"])
    assert detail is not None
    (attachment,) = [a for m in detail.messages for a in m.attachments]
    db = services.db()
    with db.atomic():
        db.execute("UPDATE attachments SET content = ? WHERE id = ?", [b"x" * 65536, attachment.id])
    target = tmp_path / "dl"
    target.mkdir()
    # The kernel refuses to grow a file past 16 KB, as a full disk refuses a block.
    previous_signal = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (16384, hard))
    try:
        with pytest.raises(OSError, match="not saved"):
            services.inbox.save_attachment(attachment.id, target)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous_signal)
    assert list(target.iterdir()) == []  # nothing that looks like a complete download
    saved = services.inbox.save_attachment(attachment.id, target)  # room again: saved whole
    assert saved.read_bytes() == b"x" * 65536

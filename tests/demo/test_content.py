"""What a user of the default demo finds: languages, channels, order states, SLA situations."""

from __future__ import annotations

from datetime import timedelta

from sqlite_utils import Database

from csconsole.domain.clock import to_iso
from csconsole.sources.demo_content import FINANCIAL_STATES, FULFILLMENT_STATES
from tests.demo.conftest import NOW, NOW_TEXT


def _values(db: Database, sql: str) -> set[str]:
    return {row[0] for row in db.execute(sql)}


def test_the_default_demo_has_at_least_300_conversations(demo_db: Database) -> None:
    assert demo_db.execute("SELECT count(*) FROM conversations").fetchone()[0] >= 300


def test_customers_write_in_english_arabic_and_persian(demo_db: Database) -> None:
    assert {"en", "ar", "fa"} <= _values(demo_db, "SELECT language FROM conversations")
    assert {"en", "ar", "fa"} <= _values(demo_db, "SELECT language FROM messages")
    assert {"email", "telegram", "shop"} <= _values(demo_db, "SELECT channel FROM conversations")


def test_orders_come_in_every_financial_and_fulfillment_state(demo_db: Database) -> None:
    assert set(FINANCIAL_STATES) <= _values(demo_db, "SELECT financial_status FROM orders")
    assert set(FULFILLMENT_STATES) <= _values(demo_db, "SELECT fulfillment_status FROM orders")


def test_shipped_orders_carry_tracking(demo_db: Database) -> None:
    rows = demo_db.execute(
        "SELECT carrier, tracking_number, tracking_url FROM shipments WHERE tracking_number != ''"
    ).fetchall()
    assert len(rows) >= 20
    assert all(carrier and url.startswith("https://") for carrier, _, url in rows)
    assert len({carrier for carrier, _, _ in rows}) >= 2
    linked = demo_db.execute(
        "SELECT count(*) FROM conversation_orders co JOIN shipments s ON s.order_id = co.order_id"
    ).fetchone()[0]
    assert linked > 0


def test_every_sla_situation_is_there(demo_db: Database) -> None:
    def count(where: str, *params: str) -> int:
        return int(
            demo_db.execute(f"SELECT count(*) FROM conversations WHERE {where}", params).fetchone()[
                0
            ]
        )

    soon = to_iso(NOW + timedelta(hours=4))
    assert count("status = 'open' AND sla_due_at < ?", NOW_TEXT) > 0  # overdue
    assert count("status = 'open' AND sla_due_at >= ? AND sla_due_at <= ?", NOW_TEXT, soon) > 0
    assert count("status = 'pending'") > 0  # waiting on the customer
    assert count("status = 'snoozed' AND snooze_until > ?", NOW_TEXT) > 0
    expired = "status = 'snoozed' AND (snooze_until IS NULL OR snooze_until <= ?)"
    assert count(expired, NOW_TEXT) == 0
    assert count("status = 'closed'") > 0
    assert count("status = 'open' AND awaiting_since IS NULL") > 0  # answered, still open


def test_starter_canned_responses_are_loaded_in_three_languages(demo_db: Database) -> None:
    rows = demo_db.execute(
        "SELECT r.id, group_concat(v.language) FROM canned_responses r "
        "JOIN canned_variants v ON v.canned_id = r.id GROUP BY r.id"
    ).fetchall()
    assert len(rows) >= 20
    for canned_id, languages in rows:
        assert {"en", "ar", "fa"} <= set(languages.split(",")), canned_id

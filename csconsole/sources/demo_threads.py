"""Threads for the demo: who writes when, and what each message says.

A thread is planned first (slots and times, anchored so its SLA situation holds at
``now``), then written in the customer's language on the conversation's channel.
Customers take minutes to days to answer; the shop answers within working hours
or, in the overdue cases, not yet.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from csconsole.domain.models import Direction, NewMessage, Status
from csconsole.sources import demo_text_ar, demo_text_en, demo_text_fa
from csconsole.sources.demo_content import SHOP_EMAIL, SHOP_NAME
from csconsole.sources.demo_records import StatusChange, Step, iso

TEXT = {"en": demo_text_en.TEXT, "ar": demo_text_ar.TEXT, "fa": demo_text_fa.TEXT}
GENERIC = {"en": demo_text_en.GENERIC, "ar": demo_text_ar.GENERIC, "fa": demo_text_fa.GENERIC}
AGENT_NAMES = {
    "sara": {"en": "Sara", "ar": "سارة", "fa": "سارا"},
    "omid": {"en": "Omid", "ar": "أميد", "fa": "امید"},
    "layla": {"en": "Layla", "ar": "ليلى", "fa": "لیلا"},
    "reza": {"en": "Reza", "ar": "رضا", "fa": "رضا"},
    "noor": {"en": "Noor", "ar": "نور", "fa": "نور"},
}

AWAITING = ("overdue", "due_soon", "waiting")
_IN_SLOTS = {"open", "follow", "nudge", "thanks"}
_OUT_SLOTS = {"reply", "close"}

# Thread shapes per situation; '>x' is a status change to x.
_PLANS: dict[str, tuple[tuple[str, ...], ...]] = {
    "awaiting": (
        ("open",),
        ("open", "nudge"),
        ("open", "reply", "follow"),
        ("open", "reply", ">pending", "follow"),
        ("open", "reply", "follow", "nudge"),
    ),
    "answered": (("open", "reply"), ("open", "note", "reply")),
    "pending": (("open", "reply", ">pending"), ("open", "note", "reply", ">pending")),
    "snoozed": (("open", "reply", "note", ">snoozed"), ("open", "reply", ">snoozed")),
    "closed": (
        ("open", "reply", "follow", "close", ">closed"),
        ("open", "reply", ">pending", "follow", "close", ">closed"),
        ("open", "reply", "follow", "close", ">closed", "thanks", ">closed"),
        ("open", "note", "reply", "follow", "close", ">closed"),
    ),
}

_HOUR = 3600.0


def _age_seconds(rng: random.Random, situation: str) -> float:
    """How long before ``now`` the thread's anchor lies."""
    if situation == "overdue":
        return rng.uniform(25, 96) * _HOUR
    if situation == "due_soon":
        return rng.uniform(20.3, 23.7) * _HOUR
    if situation == "waiting":
        return rng.uniform(0.05, 19) * _HOUR
    if situation == "answered":
        return rng.uniform(0.25, 30) * _HOUR
    if situation == "pending":
        return rng.uniform(0.5, 120) * _HOUR
    if situation == "snoozed":
        return rng.uniform(1, 72) * _HOUR
    return 2 * _HOUR + float(rng.random() ** 1.5) * 120 * 24 * _HOUR


def _gap(rng: random.Random, previous: str, slot: str) -> float:
    """Seconds between one step and the next, by who is answering whom."""
    if slot.startswith(">"):
        return rng.uniform(60, 480) if previous in _OUT_SLOTS else rng.uniform(600, 3 * _HOUR)
    if slot == "note":
        return rng.uniform(120, 2400)
    if slot in _OUT_SLOTS:
        return 300 + rng.random() ** 2 * 18 * _HOUR
    return 300 + rng.random() ** 2 * 30 * _HOUR


@dataclass(frozen=True)
class PlannedStep:
    """One slot of a thread and when it happens."""

    slot: str
    at: datetime


def plan_thread(rng: random.Random, situation: str, now: datetime) -> list[PlannedStep]:
    """Slots with times such that the thread is in ``situation`` at ``now``."""
    shape = list(rng.choice(_PLANS["awaiting" if situation in AWAITING else situation]))
    if "note" not in shape and rng.random() < 0.25:
        shape.insert(1, "note")
    if situation in AWAITING:
        # The SLA clock starts at the first message of the final run of customer messages.
        anchor = len(shape) - 1
        while anchor > 0 and (shape[anchor - 1] in _IN_SLOTS or shape[anchor - 1] == "note"):
            anchor -= 1
        while shape[anchor] not in _IN_SLOTS:
            anchor += 1
    else:
        anchor = len(shape) - 1
    offsets = [0.0]
    for previous, slot in itertools.pairwise(shape):
        offsets.append(offsets[-1] + _gap(rng, previous, slot))
    anchor_at = now - timedelta(seconds=_age_seconds(rng, situation))
    steps: list[PlannedStep] = []
    for index, slot in enumerate(shape):
        if index <= anchor:
            at = anchor_at - timedelta(seconds=offsets[anchor] - offsets[index])
        else:  # a nudge after the anchor: somewhere between it and now
            room = (now - steps[-1].at).total_seconds()
            at = steps[-1].at + timedelta(seconds=room * rng.uniform(0.3, 0.85))
        steps.append(PlannedStep(slot, at.replace(microsecond=0)))
    return steps


@dataclass(frozen=True)
class ThreadContext:
    """Everything a thread's text and headers need from its customer and order."""

    language: str
    channel: str
    name: str
    email: str
    chat_id: str
    order_external_id: str
    agent: str
    subject: str
    customer_values: dict[str, str]
    shop_values: dict[str, str]


def write_thread(
    rng: random.Random,
    ctx: ThreadContext,
    story: str,
    situation: str,
    plan: list[PlannedStep],
    now: datetime,
) -> tuple[Step, ...]:
    """Turn a plan into messages and status changes on the context's channel."""
    lang = ctx.language
    texts = TEXT[lang][story]
    generic = GENERIC[lang]
    steps: list[Step] = []
    chain: list[str] = []
    actor = f"agent:{ctx.agent}"
    last_in_run_start = len(plan)
    if situation in AWAITING:
        last_in_run_start = (
            max((i for i, s in enumerate(plan) if s.slot in _OUT_SLOTS), default=-1) + 1
        )
    counter = 0
    for index, planned in enumerate(plan):
        slot, at = planned.slot, iso(planned.at)
        if slot.startswith(">"):
            status = Status(slot[1:])
            until = None
            if status is Status.SNOOZED:
                until = iso(now + timedelta(hours=rng.uniform(3, 96)))
            steps.append(StatusChange(at, status, actor, until))
            continue
        bank = generic[slot] if slot in {"nudge", "thanks"} else texts[slot]
        values = ctx.shop_values if slot in _OUT_SLOTS or slot == "note" else ctx.customer_values
        body = rng.choice(bank).format_map(values)
        if slot == "note":
            steps.append(
                NewMessage(
                    direction=Direction.NOTE,
                    sent_at=at,
                    body_text=body,
                    from_name=AGENT_NAMES[ctx.agent]["en"],
                    author=ctx.agent,
                    language=lang,
                    seen=True,
                )
            )
            continue
        counter += 1
        inbound = slot in _IN_SLOTS
        seen = not inbound or index < last_in_run_start or rng.random() < 0.35
        steps.append(_message(ctx, rng, body, at, inbound, seen, counter, chain))
    return tuple(steps)


def _message(
    ctx: ThreadContext,
    rng: random.Random,
    body: str,
    at: str,
    inbound: bool,
    seen: bool,
    counter: int,
    chain: list[str],
) -> NewMessage:
    direction = Direction.IN if inbound else Direction.OUT
    author = None if inbound else ctx.agent
    from_name = ctx.name if inbound else SHOP_NAME
    size = len(body.encode())
    if ctx.channel == "email":
        domain = ctx.email.rpartition("@")[2] if inbound else "demo-shop.example"
        message_id = f"{rng.getrandbits(64):016x}.{counter}@{domain}"
        parent = chain[-1] if chain else None
        refs = tuple(chain[-10:])
        chain.append(message_id)
        subject = ctx.subject if counter == 1 else f"Re: {ctx.subject}"
        return NewMessage(
            direction=direction,
            sent_at=at,
            body_text=body,
            subject=subject,
            from_name=from_name,
            from_addr=ctx.email if inbound else SHOP_EMAIL,
            to_addrs=(SHOP_EMAIL,) if inbound else (ctx.email,),
            message_id=message_id,
            in_reply_to=parent,
            refs=refs,
            language=ctx.language,
            size=size + 900,  # a typical header block
            seen=seen,
            author=author,
        )
    if ctx.channel == "telegram":
        external = f"{ctx.chat_id}:{counter}"
        from_addr = ""
    else:
        base = f"order-note:{ctx.order_external_id}"
        external = base if counter == 1 else f"{base}:{counter}"
        from_addr = ctx.email if inbound else SHOP_EMAIL
    return NewMessage(
        direction=direction,
        sent_at=at,
        body_text=body,
        from_name=from_name,
        from_addr=from_addr,
        language=ctx.language,
        size=size,
        seen=seen,
        author=author,
        external_id=external,
    )

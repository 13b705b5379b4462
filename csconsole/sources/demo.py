"""The demo shop: a deterministic stream of customers, orders and conversations.

``generate(size, seed=..., now=...)`` yields ``DemoBatch`` slices; the same
arguments always give the same records, so a demo store can be rebuilt exactly
and tests can name what they expect. Everything is relative to ``now``: the
overdue threads are overdue whenever the demo is built. Nothing here touches the
store; ``sync.demo_load`` writes the batches.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from csconsole.domain.models import Contact, Direction, NewMessage
from csconsole.sources.demo_catalogue import PRODUCTS, Product
from csconsole.sources.demo_content import (
    AGENTS,
    COMPANIES,
    LANGUAGE_WEIGHTS,
    LANGUAGES,
    STORIES,
    OrderState,
    Story,
)
from csconsole.sources.demo_orders import BuiltOrder, Buyer, OrderNumbers, build_order
from csconsole.sources.demo_people import (
    Person,
    Uniques,
    chat_id,
    make_person,
    order_ref,
    placed_words,
)
from csconsole.sources.demo_records import (
    ACCOUNT_FOR_CHANNEL,
    DemoBatch,
    DemoConversation,
    DemoCustomer,
    DemoOrder,
    iso,
)
from csconsole.sources.demo_threads import (
    AGENT_NAMES,
    GENERIC,
    TEXT,
    ThreadContext,
    plan_thread,
    write_thread,
)

DEFAULT_SEED = 1042
DEFAULT_SIZE = 300
# Bump when the generator's output changes, so stores built by an older one are rebuilt.
GENERATOR_VERSION = 2
# Demos larger than two slices are generated in slices of about this many conversations
# (in worker processes, see sync.demo_parallel); the slicing depends only on the size,
# so the output never depends on the machine.
SLICE_SIZE = 12_500
ORDERS_PER_CONVERSATION = 3

SITUATIONS = ("overdue", "due_soon", "waiting", "answered", "pending", "snoozed", "closed")
_SITUATION_WEIGHTS = (5, 4, 10, 4, 10, 5, 62)
_CHANNEL_WEIGHTS = {"email": 5, "telegram": 3, "shop": 3}
_CONVERSATIONS_PER_CUSTOMER = (1, 1, 1, 1, 1, 1, 1, 2, 2, 3)
# Before the shop has acted, the order is still in the state the customer complains about.
_BEFORE_ACTION: dict[str, OrderState] = {
    "cancel": ("paid", "unfulfilled", None),
    "refund": ("paid", "returned", "delivered"),
    "wrong_size": ("paid", "fulfilled", "delivered"),
}
SIZED = tuple(p for p in PRODUCTS if p.sizes)
_ALL_STATES: tuple[OrderState, ...] = tuple(
    dict.fromkeys(state for story in STORIES for state in story.order_states)
)


class _Generator:
    """Keeps the counters and the random stream of one generation run (or of one slice).

    Slice ``index`` of ``slices`` starts its keys at ``base`` (conversations and
    customers) and ``base * ORDERS_PER_CONVERSATION`` (orders): a customer has at
    least one conversation and at most two orders more than conversations, so the
    key ranges of slices never overlap and need no coordination.
    """

    def __init__(
        self,
        size: int,
        seed: int | str,
        now: datetime,
        *,
        index: int = 0,
        slices: int = 1,
        base: int = 0,
    ) -> None:
        self.size = size
        self.end = base + size
        self.now = now.replace(microsecond=0)
        self.rng = random.Random(seed)
        self.uniques = Uniques(index, slices)
        self.numbers = OrderNumbers(
            self.now - timedelta(days=125), self.now, int(size * 1.25), index, slices
        )
        self.customer_key = self.conversation_key = base
        self.order_key = base * ORDERS_PER_CONVERSATION
        self.story_turns: dict[str, int] = {}

    def run(self, batch_size: int) -> Iterator[DemoBatch]:
        batch = DemoBatch()
        while self.conversation_key < self.end:
            self._customer(batch)
            if len(batch.conversations) >= batch_size:
                yield batch
                batch = DemoBatch()
        if batch.conversations or batch.customers:
            yield batch

    def _customer(self, batch: DemoBatch) -> None:
        rng = self.rng
        self.customer_key += 1
        lang = rng.choices(LANGUAGES, LANGUAGE_WEIGHTS)[0]
        person = make_person(rng, self.customer_key, lang, self.uniques)
        wanted = min(rng.choice(_CONVERSATIONS_PER_CUSTOMER), self.end - self.conversation_key)
        channels_used: set[str] = set()
        for _ in range(wanted):
            batch.conversations.append(self._conversation(person, batch, channels_used))
        for _ in range(rng.choice((0, 0, 0, 1, 1, 2))):
            placed = self.now - timedelta(hours=rng.uniform(2, 120 * 24))
            state = rng.choice(_ALL_STATES)
            self._order(person, batch, state, placed)
        # Orders carry the email and phone, and the store files both under the customer.
        contacts = [Contact("email", person.email), Contact("phone", person.phone)]
        if person.chat_id:
            contacts.append(Contact("telegram", person.chat_id))
        notes = rng.choice(GENERIC[lang]["customer_note"]) if rng.random() < 0.06 else ""
        batch.customers.append(DemoCustomer(person.key, person.name, lang, tuple(contacts), notes))

    def _order(
        self,
        person: Person,
        batch: DemoBatch,
        state: OrderState,
        placed: datetime,
        *,
        cod: bool = False,
        product: Product | None = None,
    ) -> tuple[int, BuiltOrder]:
        generic = GENERIC[person.language]
        buyer = Buyer(
            person.name,
            person.language,
            person.email,
            person.phone,
            person.address,
            person.currency,
        )
        built = build_order(
            self.rng,
            buyer,
            state,
            number=self.numbers.take(placed),
            placed=placed,
            now=self.now,
            cod=cod,
            product=product,
            shipped_note=generic["shipped_note"][0],
            packed_note=generic["packed_note"][0],
        )
        self.order_key += 1
        batch.orders.append(DemoOrder(self.order_key, person.key, built.record))
        return self.order_key, built

    def _pick(self, person: Person, channels_used: set[str]) -> tuple[str, Story, str]:
        rng = self.rng
        key = self.conversation_key
        if key <= len(SITUATIONS) * 3:
            situation = SITUATIONS[(key - 1) % len(SITUATIONS)]
        else:
            situation = rng.choices(SITUATIONS, _SITUATION_WEIGHTS)[0]
        if key <= len(STORIES) * 2:
            story = STORIES[(key - 1) % len(STORIES)]
        else:
            story = rng.choices(STORIES, [s.weight for s in STORIES])[0]
        options = [c for c in story.channels if c != "telegram" or "telegram" not in channels_used]
        channel = rng.choices(options, [_CHANNEL_WEIGHTS[c] for c in options])[0]
        return situation, story, channel

    def _conversation(
        self, person: Person, batch: DemoBatch, channels_used: set[str]
    ) -> DemoConversation:
        rng = self.rng
        self.conversation_key += 1
        situation, story, channel = self._pick(person, channels_used)
        channels_used.add(channel)
        if channel == "telegram" and not person.chat_id:
            person.chat_id = chat_id(rng, self.uniques)
        plan = plan_thread(rng, situation, self.now)
        lang = person.language
        first_at = plan[0].at
        order_key: int | None = None
        built: BuiltOrder | None = None
        values = {
            "first": person.first,
            "city": person.city,
            "address": person.address_text,
            "phone": person.phone,
            "agent": "",
            "order": "",
            "order_ref": "",
            "size": "",
            "carrier": "",
            "tracking": "",
            "tracking_url": "",
            "amount": "",
            "cod_fee": "",
            "placed": "",
            "product": "",
        }
        agent = rng.choice(AGENTS)
        values["agent"] = AGENT_NAMES[agent][lang]
        values["company"] = rng.choice(COMPANIES[lang])
        values["vat"] = {
            "en": f"GB{rng.randint(100000000, 999999999)}",
            "ar": f"3{rng.randint(10**12, 10**13 - 1)}03",
            "fa": str(rng.randint(10**11, 10**12 - 1)),
        }[lang]
        if story.needs_order:
            turn = self.story_turns.get(story.key, 0)
            self.story_turns[story.key] = turn + 1
            state = story.order_states[turn % len(story.order_states)]
            if situation != "closed" and story.key in _BEFORE_ACTION:
                state = _BEFORE_ACTION[story.key]
            if channel == "shop":
                placed = first_at
            else:
                hours = (1, 40) if story.key in {"cancel", "address_change", "cod"} else (30, 300)
                placed = first_at - timedelta(hours=rng.uniform(*hours))
            product = rng.choice(SIZED) if story.key in {"wrong_size", "out_of_stock"} else None
            order_key, built = self._order(
                person, batch, state, placed, cod=story.key == "cod", product=product
            )
            number = built.record.number
            values.update(
                order=number,
                order_ref=order_ref(rng, number, lang, True),
                product=built.product.names[lang],
                size=built.size,
                amount=built.amount,
                cod_fee=built.cod_fee,
                placed=placed_words(placed, self.now, lang),
            )
            if built.carrier is not None:
                values.update(
                    carrier=built.carrier.name,
                    tracking=built.tracking,
                    tracking_url=built.tracking_url,
                )
        else:
            values["product"] = rng.choice(PRODUCTS).names[lang]
        shop_values = dict(values)
        if built is not None:
            shop_values["order_ref"] = order_ref(rng, built.record.number, lang, False)
        subject = rng.choice(TEXT[lang][story.key]["subject"]).format_map(values)
        external_id = None
        if channel == "telegram":
            subject, external_id = person.name, person.chat_id
        elif channel == "shop" and built is not None:
            subject = f"Order #{built.record.number}"
            external_id = f"order:{built.record.external_id}"
        ctx = ThreadContext(
            language=lang,
            channel=channel,
            name=person.name,
            email=person.email,
            chat_id=person.chat_id,
            agent=agent,
            subject=subject,
            order_external_id=built.record.external_id if built else "",
            customer_values=values,
            shop_values=shop_values,
        )
        steps = write_thread(rng, ctx, story.key, situation, plan, self.now)
        if channel == "shop" and built is not None:
            # The customer's first words on a shop conversation are the order's checkout note.
            opening = next(s for s in steps if isinstance(s, NewMessage))
            if opening.direction is Direction.IN:
                last = batch.orders[-1]
                batch.orders[-1] = replace(
                    last, record=replace(last.record, note=opening.body_text)
                )
        tags = list(story.tags)
        if situation == "overdue" and rng.random() < 0.5:
            tags.append("urgent")
        if rng.random() < 0.04:
            tags.append("vip")
        assignee = agent if situation != "waiting" or rng.random() < 0.3 else None
        return DemoConversation(
            key=self.conversation_key,
            channel=channel,
            account=ACCOUNT_FOR_CHANNEL[channel].name,
            customer_key=person.key,
            subject=subject,
            language=lang,
            created_at=iso(first_at),
            steps=steps,
            situation=situation,
            story=story.key,
            order_keys=(order_key,) if order_key is not None else (),
            tags=tuple(tags),
            external_id=external_id,
            assignee=assignee,
        )


def slice_plan(size: int, slice_size: int = SLICE_SIZE) -> list[tuple[int, int]]:
    """(base key, size) of each slice; small demos are one slice."""
    if size <= 2 * slice_size:
        return [(0, size)]
    count = -(-size // slice_size)
    sizes = [size // count + (1 if i < size % count else 0) for i in range(count)]
    bases = [sum(sizes[:i]) for i in range(count)]
    return list(zip(bases, sizes, strict=True))


@dataclass(frozen=True)
class SliceJob:
    """Everything a worker process needs to generate one slice on its own."""

    size: int
    seed: int
    now: datetime
    batch_size: int
    index: int
    slices: int
    base: int


def slice_jobs(
    size: int,
    *,
    seed: int = DEFAULT_SEED,
    now: datetime,
    batch_size: int = 2000,
    slice_size: int = SLICE_SIZE,
) -> list[SliceJob]:
    """The demo as independent slices, in key order."""
    if size < 1:
        raise ValueError("the demo needs at least one conversation")
    plan = slice_plan(size, slice_size)
    moment = now.astimezone(UTC)
    return [
        SliceJob(part, seed, moment, batch_size, index, len(plan), base)
        for index, (base, part) in enumerate(plan)
    ]


def run_slice(job: SliceJob) -> Iterator[DemoBatch]:
    """The batches of one slice (a one-slice demo keeps the plain seed)."""
    seed: int | str = job.seed if job.slices == 1 else f"{job.seed}/{job.index}/{job.slices}"
    generator = _Generator(
        job.size, seed, job.now, index=job.index, slices=job.slices, base=job.base
    )
    return generator.run(job.batch_size)


def generate(
    size: int = DEFAULT_SIZE,
    *,
    seed: int = DEFAULT_SEED,
    now: datetime,
    batch_size: int = 2000,
    slice_size: int = SLICE_SIZE,
) -> Iterator[DemoBatch]:
    """The demo shop in batches of about ``batch_size`` conversations, slice after slice.

    ``sync.demo_parallel`` runs the same slices in worker processes.
    """
    for job in slice_jobs(size, seed=seed, now=now, batch_size=batch_size, slice_size=slice_size):
        yield from run_slice(job)

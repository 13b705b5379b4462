"""Search latency on the demo store: median and p95 over 100 mixed queries.

Usage: .venv/bin/python bench/search_latency.py [--size 100000] [--store FILE]

Builds (or reuses) a demo store through the real CLI, then times 100 queries
mixing English, Arabic and Persian words, word prefixes, order numbers in both
digit forms, people, tags, statuses, channels and date ranges. Half of the
names and numbers are sampled from the store itself so that most queries hit.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from csconsole.domain.search_query import parse_query
from csconsole.store.db import open_store
from csconsole.store.search import search_conversations

FIXED_QUERIES = [
    "refund",
    "damaged",
    "tracking",
    "size",
    "deliver",
    "invoice",
    "cash on delivery",
    "سفارش",
    "مرجوع",
    "ارسال",
    "پیگیری",
    "طلب",
    "الشحن",
    "استرجاع",
    "تالف",
    "مقاس",
    "status:open",
    "status:pending refund",
    "channel:telegram",
    "channel:email damaged",
    "status:closed after:2026-01-01",
    "before:2026-06-01",
    "tag:refund",
    "tag:vip status:open",
    "where is my order",
    "wrong size",
    "پول",
    "ref",
    "trac",
    "سفا",
]


def sampled_queries(db_path: Path, rng: random.Random) -> list[str]:
    db = open_store(db_path)
    names = [
        row[0]
        for row in db.execute(
            "SELECT display_name FROM customers WHERE display_name != '' ORDER BY random() LIMIT 40"
        )
    ]
    numbers = [row[0] for row in db.execute("SELECT number FROM orders ORDER BY random() LIMIT 40")]
    db.close()
    persian = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
    queries = [f"from:{name.split()[0]}" for name in names[:20]]
    queries += [f"order:{n}" for n in numbers[:10]]
    queries += [n.translate(persian) for n in numbers[10:20]]
    queries += [f"{name.split()[-1]} status:open" for name in names[20:30]]
    rng.shuffle(queries)
    return queries


def build_demo(path: Path, size: int) -> float:
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "csconsole",
            "demo",
            "--build-only",
            "--path",
            str(path),
            "--size",
            str(size),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--store", type=Path, help="reuse this demo store")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.store or Path(tmp) / "demo.sqlite"
        build_seconds = build_demo(path, args.size) if not path.exists() else 0.0
        rng = random.Random(7)
        queries = (FIXED_QUERIES + sampled_queries(path, rng))[:100]
        while len(queries) < 100:
            queries.append(rng.choice(FIXED_QUERIES))
        db = open_store(path)
        conversations = db.execute("SELECT count(*) FROM conversations").fetchone()[0]
        search_conversations(db, parse_query("warm up"))
        timings, hits = [], 0
        for text in queries:
            started = time.perf_counter()
            found = search_conversations(db, parse_query(text), limit=50)
            timings.append((time.perf_counter() - started) * 1000)
            hits += bool(found)
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        rows = [
            ("conversations in store", f"{conversations:,}"),
            ("demo build (s)", f"{build_seconds:.1f}" if build_seconds else "reused"),
            ("queries", str(len(queries))),
            ("queries with hits", str(hits)),
            ("median (ms)", f"{statistics.median(timings):.1f}"),
            ("p95 (ms)", f"{p95:.1f}"),
            ("max (ms)", f"{timings[-1]:.1f}"),
        ]
        width = max(len(label) for label, _ in rows)
        print(f"{'search latency':<{width}}  value")
        for label, value in rows:
            print(f"{label:<{width}}  {value:>10}")


if __name__ == "__main__":
    main()

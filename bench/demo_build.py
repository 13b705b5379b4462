"""Demo build: time and store size for the demo shop (default 100,000 conversations).

Usage: .venv/bin/python bench/demo_build.py [--size 100000] [--seed 1042]

Builds into a fresh temporary file with ``sync.demo_load.build_demo_store`` (what
``csconsole demo --build-only`` runs) and prints the counts, the build time and the
store size after ``PRAGMA wal_checkpoint(TRUNCATE)``.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import tempfile
import time
from pathlib import Path

from csconsole.sources.demo import DEFAULT_SEED
from csconsole.sync.demo_load import build_demo_store


def _size_mb(path: Path) -> float:
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    total = sum(
        Path(f"{path}{suffix}").stat().st_size
        for suffix in ("", "-wal")
        if Path(f"{path}{suffix}").exists()
    )
    return total / 1_000_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "demo.sqlite"
        started = time.perf_counter()
        build = build_demo_store(path, size=args.size, seed=args.seed)
        seconds = time.perf_counter() - started
        rows = [
            ("conversations", f"{build.conversations:,}"),
            ("messages", f"{build.messages:,}"),
            ("customers", f"{build.customers:,}"),
            ("orders", f"{build.orders:,}"),
            ("build time (s)", f"{seconds:.1f}"),
            ("store size (MB)", f"{_size_mb(path):.1f}"),
            ("cpus", str(os.cpu_count())),
        ]
    width = max(len(label) for label, _ in rows)
    print(f"{'demo build':<{width}}  {'value':>10}")
    for label, value in rows:
        print(f"{label:<{width}}  {value:>10}")


if __name__ == "__main__":
    main()

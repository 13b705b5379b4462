"""Console speed: start-up, keypress-to-repaint, memory, and bytes written per keypress.

    .venv/bin/python bench/console.py [--size 100000] [--store FILE] [--startup-only]
                                      [--runs N] [--bytecode]

* start-up: process start to the first frame of the inbox handed to the terminal
  (the child notes the time, then exits), next to a bare Textual app that shows one
  static line;
* keypress-to-repaint: median/p95 over 200 list moves and 100 opens and backs, driven
  through Pilot's app; each press is timed to the first frame the app paints and to
  the last frame of the burst (the screen settled);
* peak memory (max RSS) of the start-up run;
* bytes the app writes to a real pseudo-terminal at 120x40 per row move and per
  open, in normal and low-bandwidth mode.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import pty
import resource
import select
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FIRST_PAINT_HOOK = r"""
import time
def stop_at_first_paint(app, out_path):
    # Note the wall-clock time the first frame is handed to the terminal, then leave.
    display = app._display
    def first(screen, renderable):
        display(screen, renderable)
        if renderable is not None and not getattr(app, "_painted", False):
            app._painted = True
            with open(out_path, "w") as out:
                out.write(repr(time.time()))
            app.exit()
    app._display = first
"""

CHILD_APP = (
    FIRST_PAINT_HOOK
    + r"""
import sys
from pathlib import Path
from csconsole.config import Config, DisplayConfig
from csconsole.services import Services
from csconsole.ui.app import make_app
low = sys.argv[2] == "low"
config = Config(display=DisplayConfig(low_bandwidth=low))
app = make_app(Services(Path(sys.argv[1]), config), config)
if sys.argv[3] == "first-paint":
    stop_at_first_paint(app, sys.argv[4])
app.run()
"""
)

BARE_APP = (
    FIRST_PAINT_HOOK
    + r"""
import sys
from textual.app import App
from textual.widgets import Static
class Bare(App):
    def compose(self):
        yield Static("hello")
app = Bare()
stop_at_first_paint(app, sys.argv[4])
app.run()
"""
)


def ensure_store(path: Path, size: int) -> None:
    """The demo shop's store when its builder works, else a plain bulk-built one."""
    if path.exists():
        return
    print(f"building a {size:,}-conversation store at {path} …", flush=True)
    try:
        from csconsole.sync.demo_load import build_demo_store

        build_demo_store(path, size=size)
    except Exception as error:  # the demo builder may be unavailable in this checkout
        print(f"demo builder failed ({error!r}); bulk-building instead", flush=True)
        for leftover in path.parent.glob(path.name + "*"):
            leftover.unlink()
        bulk_build(path, size)


def bulk_build(path: Path, size: int) -> None:
    """Conversations with one customer message each, in English, Arabic and Persian."""
    from datetime import timedelta

    from csconsole.domain.clock import to_iso, utc_now
    from csconsole.store.db import open_store
    from csconsole.store.fts import rebuild_search_index

    db = open_store(path)
    now = utc_now()
    subjects = ["Where is my order #{n}?", "طلب رقم {n} لم يصل", "سفارش {n} کجاست؟"]
    with db.atomic():
        db.execute(
            "INSERT INTO accounts(id, name, kind, created_at) VALUES (1, 'shop-mail', 'imap', ?)",
            [to_iso(now)],
        )
        customers, conversations, messages = [], [], []
        for n in range(1, size + 1):
            at = to_iso(now - timedelta(minutes=7 * n))
            subject = subjects[n % 3].format(n=1000 + n)
            status = ("open", "open", "pending", "closed", "snoozed")[n % 5]
            due = to_iso(now + timedelta(hours=24) - timedelta(minutes=7 * n))
            customers.append((n, f"Customer {n}", at, at))
            conversations.append(
                (n, "email", 1, n, subject, status, n % 2, 1, subject, at, at, at, at, due)
            )
            messages.append((n, n, 1, "in", f"Customer {n}", subject, at, at, subject, at))
        db.conn.executemany(
            "INSERT INTO customers(id, display_name, created_at, updated_at) VALUES (?,?,?,?)",
            customers,
        )
        db.conn.executemany(
            "INSERT INTO conversations(id, channel, account_id, customer_id, subject, status, "
            "unread, message_count, preview, created_at, updated_at, last_message_at, "
            "awaiting_since, sla_due_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            conversations,
        )
        db.conn.executemany(
            "INSERT INTO messages(id, conversation_id, account_id, direction, from_name, "
            "subject, sent_at, received_at, body_text, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
            messages,
        )
        rebuild_search_index(db)
    db.close()


def run_in_pty(args: list[str], keys: list[bytes], settle: float = 0.6) -> tuple[float, list[int]]:
    """Run a child in a 120x40 pty; return seconds to first output quiet and bytes per key."""
    import fcntl
    import struct
    import termios

    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        os.environ["COLUMNS"], os.environ["LINES"] = "120", "40"
        os.execv(sys.executable, [sys.executable, *args])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    started = time.perf_counter()

    def drain(quiet: float, limit: float = 30.0) -> int:
        total, deadline, last = 0, time.perf_counter() + limit, time.perf_counter()
        while time.perf_counter() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                total += len(chunk)
                last = time.perf_counter()
            elif total and time.perf_counter() - last > quiet:
                break
        return total

    drain(1.5)
    first = time.perf_counter() - started
    sizes = []
    for key in keys:
        os.write(fd, key)
        sizes.append(drain(settle, 5.0))
    os.write(fd, b"\x11")  # ctrl+q
    try:
        drain(0.5, 3.0)
    finally:
        os.close(fd)
        os.waitpid(pid, 0)
    return first, sizes


def time_to_first_paint(
    store: Path, runs: int = 5, *, bytecode: bool = False
) -> tuple[float, float, float]:
    """Median of ``runs`` runs: process start to first frame for the console and a bare app
    (seconds), and the console's max RSS (MB). The child notes the wall-clock time it
    hands its first frame to the terminal; shutting down is not counted.

    With ``bytecode`` the children may cache compiled modules (in a scratch folder, after
    one untimed run each), as an installed package has them; by default a checkout run
    under PYTHONDONTWRITEBYTECODE compiles csconsole's modules at every start while
    Textual's come precompiled."""
    console, bare, rss = [], [], 0.0
    with tempfile.TemporaryDirectory() as scratch:
        stamp = Path(scratch) / "painted"
        env = {**os.environ, "TEXTUAL_HEADLESS": "1"}
        if bytecode:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(Path(scratch) / "pycache")
        for run in range(runs + 1 if bytecode else runs):
            for code, bucket in ((CHILD_APP, console), (BARE_APP, bare)):
                args = ["-c", code, str(store), "normal", "first-paint", str(stamp)]
                started = time.time()
                subprocess.run(
                    [sys.executable, *args],
                    cwd=ROOT,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    env=env,
                    check=False,
                )
                if bytecode and run == 0:
                    continue  # the warm-up that writes the compiled modules
                bucket.append(float(stamp.read_text()) - started)
                if code is CHILD_APP:
                    rss = max(rss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
    return statistics.median(console), statistics.median(bare), rss


async def keypress_latency(store: Path) -> dict[str, list[tuple[float, float]]]:
    """Seconds from a key reaching the app to its first repaint and to the last one.

    Pilot's own ``press`` waits out idle periods of 20 ms several times per key, so
    timing it would measure Pilot. Instead the key goes in through the test driver and
    the app's display hook timestamps every frame it would write to the terminal; a
    press is done when no frame has followed for 80 ms.
    """
    from textual import events

    from csconsole.config import Config
    from csconsole.services import Services
    from csconsole.ui.app import make_app

    config = Config()
    app = make_app(Services(store, config), config)
    frames: list[float] = []
    display = app._display

    def timed_display(screen: object, renderable: object) -> None:
        if renderable is not None:
            frames.append(time.perf_counter())
        display(screen, renderable)  # type: ignore[arg-type]

    app._display = timed_display  # type: ignore[method-assign]

    async def press(key: str) -> tuple[float, float]:
        frames.clear()
        started = time.perf_counter()
        assert app._driver is not None
        app._driver.send_message(events.Key(key, key if len(key) == 1 else None))
        while True:
            await asyncio.sleep(0.005)
            now = time.perf_counter()
            if (frames and now - frames[-1] >= 0.08) or now - started > 5:
                break
        if not frames:
            return float("nan"), float("nan")
        return frames[0] - started, frames[-1] - started

    timings: dict[str, list[tuple[float, float]]] = {"move": [], "open": [], "back": []}
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.5)
        for index in range(200):
            timings["move"].append(await press("j" if index % 40 < 20 else "k"))
        for _ in range(100):
            timings["open"].append(await press("enter"))
            timings["back"].append(await press("escape"))
            await press("j")
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--store", type=Path)
    parser.add_argument("--bulk", action="store_true", help="skip the demo builder")
    parser.add_argument(
        "--startup-only", action="store_true", help="measure start-up and memory, nothing else"
    )
    parser.add_argument("--runs", type=int, default=5, help="start-up runs (median is shown)")
    parser.add_argument(
        "--bytecode",
        action="store_true",
        help="start-up with compiled modules cached, as an installed package starts",
    )
    options = parser.parse_args()
    store = options.store or Path(tempfile.gettempdir()) / f"csconsole-bench-{options.size}.sqlite"
    if options.bulk and not store.exists():
        bulk_build(store, options.size)
    ensure_store(store, options.size)

    console, bare, rss = time_to_first_paint(store, options.runs, bytecode=options.bytecode)
    rows = [
        ("first painted inbox (s)", f"{console:.2f}", f"bare Textual app {bare:.2f}"),
        (
            "  ratio to bare app",
            f"{console / bare:.2f}x",
            "target <= 1.5x" + (" (compiled modules cached)" if options.bytecode else ""),
        ),
        ("peak memory, max RSS (MB)", f"{rss:.0f}", "target < 150"),
    ]
    if options.startup_only:
        print_rows(options.size, store, rows)
        return
    timings = asyncio.run(keypress_latency(store))
    for name, pairs in timings.items():
        for label, values in (
            ("first frame", [p[0] for p in pairs]),
            ("settled", [p[1] for p in pairs]),
        ):
            ms = sorted(v * 1000 for v in values)
            p95 = ms[int(len(ms) * 0.95) - 1]
            rows.append(
                (
                    f"{name}: key to {label} (ms)",
                    f"{statistics.median(ms):.1f}",
                    f"p95 {p95:.1f} over {len(ms)}"
                    + (", target median < 30" if label == "first frame" else ""),
                )
            )
    keys = [b"j"] * 15 + [b"k"] * 15
    for mode in ("normal", "low"):
        args = ["-c", CHILD_APP, str(store), mode, "interactive"]
        _, moves = run_in_pty(args, keys)
        _, opens = run_in_pty(args, [b"\r", b"\x1b"] * 5, settle=1.0)
        rows.append(
            (
                f"bytes per row move, {mode}",
                f"{statistics.median(moves):.0f}",
                f"max {max(moves)} over {len(moves)} (120x40 pty)",
            )
        )
        rows.append(
            (
                f"bytes per open, {mode}",
                f"{statistics.median(opens[0::2]):.0f}",
                f"back to inbox {statistics.median(opens[1::2]):.0f}",
            )
        )
    print_rows(options.size, store, rows)


def print_rows(size: int, store: Path, rows: list[tuple[str, str, str]]) -> None:
    """The table: one measured figure per line with what it is compared to."""
    width = max(len(r[0]) for r in rows)
    print(f"\nconsole bench, {size:,} conversations ({store})")
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:>9}  {note}")


if __name__ == "__main__":
    main()

"""Benchmark of the IMAP sync against a throwaway Dovecot, measured through a byte-counting proxy.

Prints a table: first sync (wall time, bytes down/up) beside a bare FETCH of
ENVELOPE+BODYSTRUCTURE+FLAGS+RFC822.SIZE parsed by imapclient (the lower bound; the
same FETCH through the sync's own parser is shown below it), with and without
COMPRESS; no-change resync round trips and bytes; and, on a simulated 64 kbit/s link
with 250 ms each way, the time until the newest 50 conversations are in the store, and
until the console (started headless) lists them.

    python -m bench.imap_sync --messages 10000 [--mix realistic|simple] [--runs 3]

The first-sync rows run ``--runs`` times, each engine run on a fresh store, the lower
bound measured right before it; the ratio row is each run's own ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from imapclient.response_parser import parse_fetch_response

from bench.mail_mix import MIXES
from csconsole.sources import imap_commands as cmd
from csconsole.sources.imap_connection import open_imap
from csconsole.sources.imap_parse import parse_fetch
from csconsole.store.db import open_store
from csconsole.store.inbox import ensure_account
from csconsole.sync.imap_sync import ImapAccountSync
from tests.servers.dovecot import VARIANTS, DovecotServer, start_dovecot
from tests.servers.proxy import ThrottlingProxy
from tests.sync.helpers import account_for


def build_mailbox(
    server: DovecotServer, user: tuple[str, str], count: int, mix: str = "realistic"
) -> None:
    """``count`` messages of the given mix (see ``bench.mail_mix``) in INBOX."""
    with server.client(*user) as client:
        for raw in MIXES[mix](count):
            client.append("INBOX", raw)


def bare_fetch(
    server: DovecotServer, user: tuple[str, str], compress: bool, *, ours: bool = False
) -> tuple[float, int, int]:
    """The lower bound: one FETCH of the listing data for every message, nothing stored,
    read and parsed as stock imapclient does (``ours``: with the sync's own parser and
    without imaplib's per-line debug formatting, as the sync runs)."""
    with ThrottlingProxy((server.host, server.port)) as proxy:
        account = account_for(server, user, port=proxy.port)
        started = time.monotonic()
        client = open_imap(account.imap, user[1], compress=compress)
        if not ours:
            client.transport.debug = 5  # stock imapclient: imaplib formats its protocol log
        client.select_folder("INBOX")
        tag = cmd.send(
            client, "UID", "FETCH", "1:*", "(UID ENVELOPE BODYSTRUCTURE FLAGS RFC822.SIZE)"
        )
        cmd.complete(client, "FETCH", tag)
        parse = parse_fetch if ours else parse_fetch_response
        parse(cmd.take(client, "FETCH"), True, False)
        elapsed = time.monotonic() - started
        client.close_now()
        return elapsed, proxy.stats.down, proxy.stats.up


def engine_sync(
    server: DovecotServer, user: tuple[str, str], compress: bool, store: Path
) -> tuple[float, int, int, int, int, int]:
    """A first sync with csconsole, then a no-change resync of INBOX (trips, down, up)."""
    with ThrottlingProxy((server.host, server.port)) as proxy:
        account = account_for(server, user, port=proxy.port, sent_folder="Sent")
        db = open_store(store)
        started = time.monotonic()
        client = open_imap(account.imap, user[1], compress=compress)
        account_id = ensure_account(db, account.name, "imap")
        engine = ImapAccountSync(db, account, client, account_id=account_id)
        engine.sync_folder("INBOX", "inbox")
        elapsed = time.monotonic() - started
        down, up = proxy.stats.down, proxy.stats.up
        proxy.stats.reset()
        engine.sync_folder("INBOX", "inbox")
        resync = (proxy.stats.round_trips, proxy.stats.down, proxy.stats.up)
        client.close_now()
        db.close()
        return elapsed, down, up, *resync


def slow_link(server: DovecotServer, user: tuple[str, str], store: Path) -> float:
    """Seconds until the newest 50 conversations are stored, at 64 kbit/s and 250 ms each way."""
    with ThrottlingProxy((server.host, server.port), rate=8000, delay=0.25) as proxy:
        account = replace(account_for(server, user, port=proxy.port), sent_folder="Sent")
        open_store(store).close()  # migrated before the clock starts and the reader looks
        reader = open_store(store)
        started = time.monotonic()

        def run() -> None:
            db = open_store(store)
            try:
                client = open_imap(account.imap, user[1])
                account_id = ensure_account(db, account.name, "imap")
                ImapAccountSync(db, account, client, account_id=account_id).sync_folder(
                    "INBOX", "inbox"
                )
            except Exception:  # cut below, once we have what we measure
                pass
            finally:
                db.close()

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        elapsed = float("nan")
        while time.monotonic() - started < 120:
            count = reader.execute("SELECT count(*) FROM conversations").fetchone()[0]
            if count >= 50:
                elapsed = time.monotonic() - started
                break
            time.sleep(0.05)
        proxy.cut_now()
        thread.join(timeout=30)
        reader.close()
        return elapsed


def slow_link_console(server: DovecotServer, user: tuple[str, str], store: Path) -> float:
    """Seconds from launching the console (headless, 120x60) until its inbox list holds
    the newest 50 conversations, syncing at 64 kbit/s and 250 ms each way."""
    from csconsole.config import Config
    from csconsole.services import Services
    from csconsole.ui.app import make_app
    from csconsole.ui.widgets.conversation_list import ConversationList

    async def measure(config: Config, proxy: ThrottlingProxy) -> float:
        started = time.monotonic()
        services = Services(store, config)
        app = make_app(services, config, environ={"TERM": "xterm-256color"})
        elapsed = float("nan")
        try:
            async with app.run_test(size=(120, 60)) as pilot:
                while time.monotonic() - started < 120:
                    if app.screen.query(ConversationList).first().row_count >= 50:
                        await pilot.pause()  # the repaint that shows them
                        elapsed = time.monotonic() - started
                        break
                    await pilot.pause(0.05)
                # The rest of the mailbox would take an hour at this rate: stop the
                # background sync and drop its link so the app can exit now.
                app.stop_sync.set()
                proxy.cut_now()
        finally:
            services.close()
        return elapsed

    with ThrottlingProxy((server.host, server.port), rate=8000, delay=0.25) as proxy:
        account = account_for(server, user, port=proxy.port, sent_folder="Sent")
        imap = replace(account.imap, password_command=f"printf %s {user[1]}")
        config = Config(accounts=(replace(account, imap=imap),))
        open_store(store).close()  # as a returning user's store: created, empty
        return asyncio.run(measure(config, proxy))


def _spread(values: list[float]) -> str:
    """The median, with the range when there are several runs."""
    middle = f"{statistics.median(values):.2f}"
    return middle if len(values) == 1 else f"{middle} ({min(values):.2f}-{max(values):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--mix", choices=sorted(MIXES), default="realistic")
    parser.add_argument(
        "--runs", type=int, default=3, help="timed runs per measurement (median and range shown)"
    )
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="csbench-"))
    full = start_dovecot(VARIANTS["full"])
    try:
        user = full.new_user()
        started = time.monotonic()
        build_mailbox(full, user, args.messages, args.mix)
        print(
            f"built {args.messages} messages in {time.monotonic() - started:.1f} s", file=sys.stderr
        )
        rows = []
        for compress in (False, True):
            label = "with COMPRESS" if compress else "no COMPRESS"
            bound: list[float] = []
            own_parser: list[float] = []
            first: list[float] = []
            # Interleaved, so a slow spell of the machine touches both sides of the ratio.
            for run in range(args.runs):
                t, down, up = bare_fetch(full, user, compress)
                bound.append(t)
                t, odown, oup = bare_fetch(full, user, compress, ours=True)
                own_parser.append(t)
                t, sdown, sup, trips, rdown, rup = engine_sync(
                    full, user, compress, workdir / f"engine-{compress}-{run}.sqlite"
                )
                first.append(t)
            ratios = [f / b for f, b in zip(first, bound, strict=True)]
            rows += [
                (f"lower bound FETCH, {label}", _spread(bound), down, up, "-"),
                (f"  same FETCH, our parser, {label}", _spread(own_parser), odown, oup, "-"),
                (f"csconsole first sync, {label}", _spread(first), sdown, sup, "-"),
                (f"  first sync / lower bound, {label}", _spread(ratios), "-", "-", "-"),
                (f"no-change resync, {label}", "-", rdown, rup, str(trips)),
            ]
        first50 = [
            slow_link(full, user, workdir / f"slow-{run}.sqlite") for run in range(args.runs)
        ]
        slow = "64 kbit/s + 250 ms: newest 50 conversations"
        rows.append((slow + " stored", _spread(first50), "-", "-", "-"))
        on_screen = [
            slow_link_console(full, user, workdir / f"console-{run}.sqlite")
            for run in range(args.runs)
        ]
        rows.append(("  ... and in the console's list", _spread(on_screen), "-", "-", "-"))
    finally:
        full.stop()
    print(
        f"\nIMAP sync benchmark, {args.messages} messages, {args.mix} mix, "
        f"{args.runs} run(s) each (Dovecot on loopback)\n"
    )
    print(f"{'measurement':52} {'seconds':>18} {'bytes down':>12} {'bytes up':>10} {'RTTs':>5}")
    for name, seconds, down, up, trips in rows:
        print(f"{name:52} {seconds:>18} {down!s:>12} {up!s:>10} {trips:>5}")


if __name__ == "__main__":
    main()

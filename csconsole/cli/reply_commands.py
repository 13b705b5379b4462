"""Answering from the shell: ``reply``, ``outbox`` and ``canned`` (scripts and SSH one-liners)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from csconsole import paths
from csconsole.cli.options import JsonOption, StoreOption
from csconsole.domain.text import sanitize

if TYPE_CHECKING:
    from csconsole.domain.outgoing import OutboxItem
    from csconsole.services.replies import RepliesService


outbox_app = typer.Typer(
    name="outbox", help="Replies on their way out.", invoke_without_command=True
)
canned_app = typer.Typer(name="canned", help="Canned responses.", no_args_is_help=True)


def _fail(message: str) -> typer.Exit:
    typer.echo(f"csconsole: {message}", err=True)
    return typer.Exit(1)


def _replies(store: Path | None) -> RepliesService:
    from csconsole.config import ConfigError, load_config
    from csconsole.services import Services
    from csconsole.services.replies import RepliesService

    try:
        config = load_config()
    except ConfigError as error:
        raise _fail(str(error)) from error
    path = store or paths.store_file()
    return RepliesService(Services(path, config))


def _item_json(item: OutboxItem) -> dict[str, Any]:
    return {
        "id": item.id,
        "state": item.state.value,
        "channel": item.channel,
        "conversation_id": item.conversation_id,
        "recipients": list(item.recipients),
        "subject": item.subject,
        "message_id": item.message_id,
        "attempts": item.attempts,
        "send_after": item.send_after,
        "next_attempt_at": item.next_attempt_at,
        "last_error": item.last_error,
        "sent_at": item.sent_at,
    }


def reply(
    conversation: Annotated[int, typer.Argument(help="Conversation id (see `csconsole search`).")],
    canned: Annotated[
        str | None, typer.Option("--canned", help="Canned response id or shortcut.")
    ] = None,
    body_file: Annotated[
        Path | None, typer.Option("--body-file", help="Text of the reply ('-' reads stdin).")
    ] = None,
    kind: Annotated[
        str, typer.Option("--kind", help="reply | reply_all | note | new (a new message)")
    ] = "reply",
    subject: Annotated[
        str | None, typer.Option("--subject", help="Subject (a new message needs one).")
    ] = None,
    fallback: Annotated[
        list[str] | None,
        typer.Option("--fallback", help="Text for a missing variable: NAME=TEXT (repeatable)."),
    ] = None,
    language: Annotated[
        str | None, typer.Option("--language", help="Canned variant to use (default: customer's).")
    ] = None,
    send: Annotated[
        bool, typer.Option("--send", help="Queue it and send after the undo window.")
    ] = False,
    now: Annotated[bool, typer.Option("--now", help="With --send: no undo window.")] = False,
    store: StoreOption = None,
) -> None:
    """Write a reply from a canned response or a file; preview it, or send it with --send.

    Without --send the reply is shown and kept as the conversation's draft. With
    --send it is queued, then sent when the undo window ends (Ctrl-C cancels).

    Example: csconsole reply 42 --canned wism --send
    """
    from dataclasses import replace

    from csconsole.domain.outgoing import ReplyError, ReplyKind

    if (canned is None) == (body_file is None):
        raise _fail("give exactly one of --canned or --body-file")
    try:
        reply_kind = ReplyKind(kind.replace("-", "_"))
    except ValueError:
        raise _fail(f"--kind must be reply, reply_all, note or new, not {kind!r}") from None
    service = _replies(store)
    try:
        plan = service.plan(conversation, reply_kind)
        if subject is not None:
            plan = replace(plan, subject=subject.strip())
        if canned is not None:
            fallbacks = dict(item.split("=", 1) for item in (fallback or []) if "=" in item)
            rendered = service.render_canned(plan, canned, language=language, fallbacks=fallbacks)
            if rendered.body is None:
                names = ", ".join(rendered.missing)
                raise _fail(
                    f"{canned}: no value for {names}; add --fallback NAME=TEXT to send anyway"
                )
            if rendered.fallback_note:
                typer.echo(f"note: {rendered.fallback_note}", err=True)
            body = rendered.body
        else:
            assert body_file is not None
            text = sys.stdin.read() if str(body_file) == "-" else body_file.read_text("utf-8")
            body = text
        if not send:
            plan = service.save_draft(plan, body, canned_id=canned)
            typer.echo(f"From: {plan.from_name} <{plan.from_addr}>" if plan.from_addr else "")
            typer.echo(f"To: {', '.join(plan.to)}")
            if plan.cc:
                typer.echo(f"Cc: {', '.join(plan.cc)}")
            typer.echo(f"Subject: {sanitize(plan.subject)}\n")
            typer.echo(sanitize(service.final_body(plan, body), multiline=True))
            typer.echo("\n(saved as a draft; add --send to send it)", err=True)
            return
        queued = service.send(plan, body, canned_id=canned, undo_seconds=0 if now else None)
    except ReplyError as error:
        raise _fail(str(error)) from error
    if queued.outbox_id is None:
        typer.echo(f"note {queued.note_id} added")
        return
    _wait_and_send(
        service, queued.outbox_id, queued.send_after.timestamp() if queued.send_after else 0
    )


def _wait_and_send(service: RepliesService, outbox_id: int, send_after: float) -> None:
    try:
        while (left := send_after - time.time()) > 0:
            typer.echo(f"\rsending in {left:4.0f} s; Ctrl-C to cancel", nl=False, err=True)
            time.sleep(min(left, 1.0))
    except KeyboardInterrupt:
        typer.echo("", err=True)
        if service.undo(outbox_id):
            typer.echo(f"cancelled; the text is back in the draft (outbox {outbox_id})")
            raise typer.Exit(130) from None
        raise _fail("too late to cancel: it is already being sent") from None
    typer.echo("", err=True)
    service.outbox.drain()
    item = service.outbox.get(outbox_id)
    if item is None:
        raise _fail(f"outbox {outbox_id} vanished")
    if item.state.value == "sent":
        typer.echo(f"sent (outbox {outbox_id}, Message-ID {item.message_id})")
        return
    when = f"; next try {item.next_attempt_at}" if item.next_attempt_at else ""
    typer.echo(f"{item.state.value}: {sanitize(item.last_error or '')}{when}", err=True)
    raise typer.Exit(0 if item.state.value == "queued" else 2)


@outbox_app.callback()
def outbox_main(ctx: typer.Context) -> None:
    """Replies on their way out: list, retry, cancel or send now.

    Example: csconsole outbox list --json
    """
    if ctx.invoked_subcommand is None:
        outbox_list(state=None, store=None, as_json=False)


@outbox_app.command("list")
def outbox_list(
    state: Annotated[
        str | None, typer.Option("--state", help="queued, sending, sent, failed...")
    ] = None,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """List the outbox, newest first, with errors and the next attempt.

    Example: csconsole outbox list --state failed --json
    """
    from csconsole.domain.models import OutboxState

    states = None
    if state:
        try:
            states = [OutboxState(state)]
        except ValueError:
            raise _fail(f"unknown state {state!r}") from None
    items = _replies(store).outbox.items(states)
    if as_json:
        typer.echo(json.dumps([_item_json(i) for i in items], ensure_ascii=False, indent=2))
        return
    for item in items:
        error = f"  ! {sanitize(item.last_error)}" if item.last_error else ""
        typer.echo(
            f"{item.id:>5}  {item.state.value:<9} {item.channel:<8} "
            f"{sanitize(', '.join(item.recipients))[:40]:<40}  {sanitize(item.subject)[:40]}{error}"
        )
    if not items:
        typer.echo("the outbox is empty", err=True)


@outbox_app.command("retry")
def outbox_retry(
    item_id: Annotated[int, typer.Argument(help="Outbox id.")], store: StoreOption = None
) -> None:
    """Queue a failed reply again; it leaves at the next send.

    Example: csconsole outbox retry 7
    """
    if not _replies(store).outbox.retry(item_id):
        raise _fail(f"outbox {item_id} is not failed or waiting")
    typer.echo(f"outbox {item_id} queued again")


@outbox_app.command("cancel")
def outbox_cancel(
    item_id: Annotated[int, typer.Argument(help="Outbox id.")], store: StoreOption = None
) -> None:
    """Cancel a queued or failed reply; its text goes back to the draft.

    Example: csconsole outbox cancel 7
    """
    if not _replies(store).undo(item_id):
        raise _fail(f"outbox {item_id} cannot be cancelled (sent, sending or unknown)")
    typer.echo(f"outbox {item_id} cancelled")


@outbox_app.command("flush")
def outbox_flush(store: StoreOption = None, as_json: JsonOption = False) -> None:
    """Send every reply that is due now (the console and `sync --watch` do this too).

    Example: csconsole outbox flush
    """
    reports = _replies(store).outbox.drain()
    if as_json:
        typer.echo(
            json.dumps(
                [{"id": r.outbox_id, "outcome": r.outcome, "detail": r.detail} for r in reports],
                ensure_ascii=False,
            )
        )
        return
    for report in reports:
        detail = f": {sanitize(report.detail)}" if report.detail else ""
        typer.echo(f"{report.outbox_id:>5}  {report.outcome}{detail}")
    if not reports:
        typer.echo("nothing due", err=True)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
    from csconsole.cli import canned_commands

    app.command("reply")(reply)
    app.add_typer(outbox_app)
    canned_commands.register(canned_app, _replies, _fail)
    app.add_typer(canned_app)

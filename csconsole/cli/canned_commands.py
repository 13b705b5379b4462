"""``csconsole canned list|check|new|show``: the canned-response files from the shell."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from csconsole.cli.options import StoreOption
from csconsole.domain.text import sanitize

if TYPE_CHECKING:
    from csconsole.services.replies import RepliesService


def register(
    group: typer.Typer,
    replies: Callable[[Path | None], RepliesService],
    fail: Callable[[str], typer.Exit],
) -> None:
    """Attach the commands to the ``canned`` group."""

    @group.command("list")
    def canned_list(
        store: StoreOption = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    ) -> None:
        """List the canned responses (the starter set and your own), reloading the files.

        Example: csconsole canned list --json
        """
        service = replies(store)
        result = service.canned.reload()
        for error in result.errors:
            typer.echo(f"csconsole: {error}", err=True)
        responses = service.canned.all()
        if as_json:
            data = [
                {
                    "id": r.id,
                    "title": r.title,
                    "shortcut": r.shortcut,
                    "intent": r.intent,
                    "tags": list(r.tags),
                    "languages": sorted(r.bodies),
                    "actions": r.actions.as_dict(),
                    "source_file": r.source_file,
                }
                for r in responses
            ]
            typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
            return
        for r in responses:
            languages = ",".join(sorted(r.bodies))
            typer.echo(f"{r.shortcut or '-':<12} {r.id:<36} [{languages}]  {sanitize(r.title)}")

    @group.command("check")
    def canned_check(store: StoreOption = None) -> None:
        """Validate every canned-response file; errors name the file and the key.

        Example: csconsole canned check
        """
        service = replies(store)
        count, errors = service.canned.check()
        for error in errors:
            typer.echo(f"csconsole: {error}", err=True)
        if errors:
            raise typer.Exit(1)
        typer.echo(f"{count} canned responses are valid")

    @group.command("new")
    def canned_new(
        response_id: Annotated[str, typer.Argument(help="Id such as returns/late-return.")],
        title: Annotated[str, typer.Option("--title", help="What the picker shows.")],
        shortcut: Annotated[str | None, typer.Option("--shortcut", help="Quick key.")] = None,
        store: StoreOption = None,
    ) -> None:
        """Start a new canned response file in your canned folder, with en/ar/fa bodies to fill.

        Variables: customer.first_name, order.number, order.total | money,
        order.items | list, order.placed_at | date("jalali"), tracking.url, shop.name,
        agent.first_name, and more (see the file's comments).

        Example: csconsole canned new returns/late-return --title "Late return" --shortcut late
        """
        from csconsole.domain.canned import CannedError

        service = replies(store)
        key = shortcut or response_id.rsplit("/", 1)[-1]
        try:
            path = service.canned.new(response_id, title, key)
        except (FileExistsError, CannedError) as error:
            raise fail(str(error)) from error
        typer.echo(str(path))

    @group.command("show")
    def canned_show(
        key: Annotated[str, typer.Argument(help="Id or shortcut.")],
        conversation: Annotated[
            int | None, typer.Option("--conversation", help="Fill it for this conversation.")
        ] = None,
        language: Annotated[str | None, typer.Option("--language", help="en, ar, fa...")] = None,
        store: StoreOption = None,
    ) -> None:
        """Show a canned response, filled in for a conversation when one is given.

        Example: csconsole canned show wism --conversation 42
        """
        from csconsole.domain.outgoing import ReplyError, ReplyKind, ReplyPlan

        service = replies(store)
        try:
            if conversation is None:
                plan = ReplyPlan(None, ReplyKind.REPLY, "email", None, language=language)
            else:
                plan = service.plan(conversation)
            rendered = service.render_canned(plan, key, language=language)
        except ReplyError as error:
            raise fail(str(error)) from error
        if rendered.fallback_note:
            typer.echo(f"note: {rendered.fallback_note}", err=True)
        if rendered.body is None:
            response = service.canned.get(key)
            typer.echo(f"missing values: {', '.join(rendered.missing)}", err=True)
            if response is not None:
                body = response.bodies.get(rendered.language, "")
                typer.echo(sanitize(body, multiline=True))
            return
        typer.echo(sanitize(rendered.body, multiline=True))

"""Commands that show shop orders from the local store: ``order`` and ``orders``."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from csconsole.cli.options import JsonOption, StoreOption, open_existing_store
from csconsole.domain.text import sanitize

JSON_DROP = ("raw",)


def _clean(order: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in order.items() if k not in JSON_DROP}


def _s(value: Any) -> str:
    return sanitize(str(value)) if value not in (None, "") else "-"


def _print_order(order: dict[str, Any]) -> None:
    contact = " ".join(x for x in (order.get("email"), order.get("phone")) if x)
    typer.echo(
        f"#{_s(order['number'])}  {_s(order['account_name'])} ({order['platform']})  "
        f"{_s(order['customer_name'])}  {sanitize(contact)}"
    )
    refunded = f"  refunded {_s(order['refunded_total'])}" if order.get("refunded_total") else ""
    typer.echo(
        f"  status {_s(order['status'])} · payment {_s(order['financial_status'])} · "
        f"fulfilment {_s(order['fulfillment_status'])}   "
        f"total {_s(order['total'])} {_s(order['currency'])}{refunded}"
    )
    typer.echo(f"  placed {_s(order['placed_at'])}  updated {_s(order['updated_at'])}")
    for item in order.get("items") or []:
        sku = f" ({sanitize(item['sku'])})" if item.get("sku") else ""
        typer.echo(f"  {item['quantity']} × {_s(item['name'])}{sku}  {_s(item.get('price'))}")
    for shipment in order.get("shipments") or []:
        typer.echo(
            f"  tracking {_s(shipment['carrier'])} {_s(shipment['tracking_number'])}  "
            f"{_s(shipment['status'])}  {_s(shipment['tracking_url'])}"
        )
    if order.get("note"):
        typer.echo(f"  note: {sanitize(order['note'])}")
    for note in order.get("notes") or []:
        who = "customer" if note["customer_visible"] else "private"
        typer.echo(f"  [{who}] {_s(note['created_at'])} {sanitize(note['body'])}")


def order(
    number: Annotated[str, typer.Argument(help="The number the customer sees, e.g. 1001")],
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Print one order: status, items, total and tracking (every shop that has the number).

    Example: csconsole order 1001 --json
    """
    from csconsole.domain.text import to_ascii_digits
    from csconsole.store.orders import find_orders_by_number, get_order

    db = open_existing_store(store)
    found = [get_order(db, o["id"]) for o in find_orders_by_number(db, to_ascii_digits(number))]
    orders = [o for o in found if o is not None]
    if as_json:
        typer.echo(json.dumps([_clean(o) for o in orders], ensure_ascii=False, indent=2))
    if not orders:
        if not as_json:
            typer.echo(f"csconsole: no order numbered {sanitize(number)} in the store", err=True)
        raise typer.Exit(1)
    if not as_json:
        for index, one in enumerate(orders):
            if index:
                typer.echo("")
            _print_order(one)


def orders(
    customer: Annotated[
        str | None, typer.Option("--customer", help="Only orders placed with this email.")
    ] = None,
    limit: Annotated[int, typer.Option(help="Show at most this many.")] = 50,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """List recent orders, newest first, optionally for one customer's email.

    Example: csconsole orders --customer ali@example.ir --json
    """
    from csconsole.domain.text import normalize_email
    from csconsole.store.orders import list_orders, orders_for_email

    db = open_existing_store(store)
    rows = orders_for_email(db, normalize_email(customer)) if customer else list_orders(db, limit)
    rows = rows[:limit]
    if as_json:
        for row in rows:
            row["items"] = json.loads(row["items"] or "[]")
            row["shipping_address"] = json.loads(row["shipping_address"] or "{}")
        typer.echo(json.dumps([_clean(r) for r in rows], ensure_ascii=False, indent=2))
        return
    for row in rows:
        typer.echo(
            f"#{_s(row['number']):<10} {_s(row['placed_at'])[:10]}  "
            f"{_s(row['status']):<11} {_s(row['financial_status']):<19} "
            f"{_s(row['total']):>12} {_s(row['currency']):<4} {_s(row['customer_name'])}  "
            f"[{_s(row['account_name'])}]"
        )
    if not rows:
        typer.echo("no orders", err=True)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
    app.command("order")(order)
    app.command("orders")(orders)

"""`patron availability`: the per-tenant SKU register behind availability notifications."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import Progress
from rich.table import Table

from patron.cli.common import TenantOption, console, with_core
from patron.core.domain.errors.invalid_input import FieldsInvalid
from patron.core.domain.errors.not_found import TenantNotFound
from patron.core.domain.model import ProductSummary
from patron.core.domain.text import PRODUCT_TEXT, problems_in
from patron.core.use_cases import Core

availability_app = typer.Typer(
    help="The per-tenant SKU register behind availability notifications.", no_args_is_help=True
)

TRUE = frozenset({"true", "1", "yes"})
FALSE = frozenset({"false", "0", "no"})
COLUMNS = ("sku", "available", "name")


@dataclass(frozen=True, slots=True)
class RegisterRow:
    line: int
    sku: str
    available: bool
    name: str | None


class RegisterFileError(ValueError):
    """A register file that cannot be imported; the message names the line."""


def _flag(raw: str) -> bool | None:
    value = raw.strip().lower()
    return True if value in TRUE else False if value in FALSE else None


def read_register(path: Path) -> list[RegisterRow]:
    """Parse a whole `sku,available,name` file before anything is written.

    An empty `name` leaves the stored name alone; `available` is true/false, 1/0 or yes/no.
    """
    with path.open(newline="", encoding="utf-8-sig") as file:
        reader = csv.DictReader(file)
        header = [name.strip().lower() for name in reader.fieldnames or ()]
        missing = [name for name in ("sku", "available") if name not in header]
        unknown = [name for name in header if name not in COLUMNS]
        if missing or unknown:
            problem = (
                f"missing {', '.join(missing)}" if missing else f"unknown {', '.join(unknown)}"
            )
            raise RegisterFileError(f"line 1: header must be sku,available[,name] ({problem})")
        reader.fieldnames = header
        rows: list[RegisterRow] = []
        for record in reader:
            line = reader.line_num
            if None in record:
                raise RegisterFileError(f"line {line}: more fields than the header names")
            sku = (record.get("sku") or "").strip()
            available = _flag(record.get("available") or "")
            if not sku:
                raise RegisterFileError(f"line {line}: the SKU is empty")
            name = (record.get("name") or "").strip() or None
            if found := problems_in({"sku": sku, "name": name}, PRODUCT_TEXT):
                raise RegisterFileError(
                    f"line {line}: {found[0].field} is too long or holds characters "
                    "that are not allowed"
                )
            if available is None:
                raise RegisterFileError(
                    f"line {line}: available must be true/false, 1/0 or yes/no, "
                    f"not {record.get('available')!r}"
                )
            rows.append(RegisterRow(line, sku, available, name))
    return rows


@availability_app.command("set")
def availability_set(
    sku: str,
    available: Annotated[
        bool, typer.Option("--available/--unavailable", help="The SKU's new state.")
    ],
    name: Annotated[str | None, typer.Option(help="Product name used in the mail.")] = None,
    tenant: TenantOption = "default",
) -> None:
    """Register a SKU or change it; a change to available mails its subscribers once."""

    async def work(core: Core) -> int:
        found = await core.tenants.get(tenant)
        return await core.availability.set_availability(found, sku, available=available, name=name)

    sku = sku.strip()
    if not sku:
        console.print("[red]refused:[/red] the SKU is empty")
        raise typer.Exit(2)
    try:
        notified = with_core(work)
    except TenantNotFound:
        console.print(f"no tenant {tenant!r}")
        raise typer.Exit(1) from None
    except FieldsInvalid as error:
        console.print(f"[red]refused:[/red] {escape(str(error))}")
        raise typer.Exit(2) from None
    state = "available" if available else "unavailable"
    console.print(f"{escape(sku)} is {state}; {notified} notification(s) queued")


@availability_app.command("import")
def availability_import(
    file: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="CSV file.")
    ],
    tenant: TenantOption = "default",
) -> None:
    """Apply a `sku,available,name` CSV file, row by row, in file order.

    The whole file is checked first: one bad line and nothing is applied. Each row is then
    its own transaction, so an interrupted import can simply be run again.
    """
    try:
        rows = read_register(file)
    except (RegisterFileError, UnicodeDecodeError, csv.Error) as error:
        console.print(f"[red]refused:[/red] {escape(f'{file}: {error}')}")
        raise typer.Exit(2) from None

    async def work(core: Core) -> int:
        found = await core.tenants.get(tenant)
        notified = 0
        with Progress(console=console) as progress:
            task = progress.add_task("importing", total=len(rows))
            for row in rows:
                notified += await core.availability.set_availability(
                    found, row.sku, available=row.available, name=row.name
                )
                progress.advance(task)
        return notified

    try:
        notified = with_core(work)
    except TenantNotFound:
        console.print(f"no tenant {tenant!r}")
        raise typer.Exit(1) from None
    console.print(f"imported {len(rows)} row(s); {notified} notification(s) queued")


@availability_app.command("list")
def availability_list(tenant: TenantOption = "default") -> None:
    """List the register with the open subscriptions of each SKU."""

    async def work(core: Core) -> list[ProductSummary]:
        return await core.availability.products(await core.tenants.get(tenant))

    try:
        summaries = with_core(work)
    except TenantNotFound:
        console.print(f"no tenant {tenant!r}")
        raise typer.Exit(1) from None
    table = Table("sku", "name", "available", "subscriptions", "updated")
    for summary in summaries:
        product = summary.product
        table.add_row(
            escape(product.sku),
            escape(product.name or ""),
            "yes" if product.is_available else "no",
            str(summary.open_subscriptions),
            product.updated_at.isoformat(timespec="seconds"),
        )
    console.print(table)

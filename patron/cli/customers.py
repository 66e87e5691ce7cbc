"""`patron customers import`: customers with the password hashes of the shop they come
from, in CSV or JSON Lines files of any size, through the same use case as Emporix' bulk
import (`CustomerImports.import_batch`)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from itertools import islice
from pathlib import Path
from typing import IO, Annotated, Any

import typer
from rich.markup import escape
from rich.progress import Progress

from patron.cli.common import TenantOption, console, with_core
from patron.core.back_office.imports import MAX_BATCH, ImportedCustomer, Refused
from patron.core.domain.commands import Registration
from patron.core.domain.errors.base import DomainError, ErrorCode
from patron.core.domain.errors.not_found import TenantNotFound
from patron.core.domain.password_migration import ImportedPassword, LegacyHash
from patron.core.domain.principals import Scope, operator
from patron.core.use_cases import Core

customers_app = typer.Typer(help="Customers in bulk.", no_args_is_help=True)

TEXT_COLUMNS = (
    "email", "customer_number", "password_hash", "legacy_algorithm", "legacy_hash", "title",
    "first_name", "middle_name", "last_name", "phone", "company", "language", "currency",
    "site", "website",
)  # fmt: skip
OBJECT_COLUMNS = ("legacy_context", "metadata")
"""JSON objects: as such in JSON Lines, as JSON text in a CSV cell."""
COLUMNS = frozenset(TEXT_COLUMNS + OBJECT_COLUMNS)
ROW_INVALID = "row_invalid"
MESSAGES = {
    ErrorCode.EMAIL_TAKEN: "a customer of the tenant has this email",
    ErrorCode.GUEST_EXISTS: "a customer of the tenant has this email",
    ErrorCode.CUSTOMER_NUMBER_TAKEN: "a customer of the tenant has this customer number",
    ErrorCode.EMAIL_INVALID: "the email is not valid",
    ErrorCode.PASSWORD_HASH_INVALID: "the password hash is in no supported format",
    ErrorCode.CREDENTIAL_CHOICE: "give exactly one of password_hash or legacy_hash",
    ErrorCode.MIGRATION_WINDOW_REQUIRED: "a legacy hash needs an open migration window",
}


class FileFormat(StrEnum):
    CSV = "csv"
    JSONL = "jsonl"


class RowInvalid(ValueError):
    """A row that is no customer to import; the message says why."""


@dataclass(frozen=True, slots=True)
class Row:
    line: int
    index: int
    """The row's position among the file's rows, from 0."""
    values: dict[str, Any] | None
    problem: str | None = None


@dataclass(frozen=True, slots=True)
class Failure:
    line: int
    index: int
    code: str
    message: str

    def to_json(self) -> str:
        return json.dumps(
            {"line": self.line, "index": self.index, "code": self.code, "message": self.message}
        )


def rows_of(file: IO[str], file_format: FileFormat) -> Iterator[Row]:
    """The file's rows, read as they are needed. A CSV header naming an unknown column
    raises `RowInvalid` before any row is read; a line that is no JSON object is a row
    with a problem, which fails alone."""
    if file_format is FileFormat.CSV:
        reader = csv.DictReader(file)
        header = [name.strip() for name in reader.fieldnames or ()]
        if unknown := [name for name in header if name not in COLUMNS]:
            raise RowInvalid(f"line 1: unknown column(s) {', '.join(unknown)}")
        if "email" not in header:
            raise RowInvalid("line 1: the header has no email column")
        reader.fieldnames = header
        for index, record in enumerate(reader):
            if None in record:
                yield Row(reader.line_num, index, None, "more fields than the header names")
                continue
            try:
                yield Row(reader.line_num, index, _from_csv(record))
            except RowInvalid as error:
                yield Row(reader.line_num, index, None, str(error))
        return
    index = 0
    for number, text in enumerate(file, start=1):
        if not text.strip():
            continue
        try:
            values = json.loads(text)
        except json.JSONDecodeError as error:
            yield Row(number, index, None, f"not JSON: {error.msg}")
        else:
            if isinstance(values, dict):
                yield Row(number, index, values)
            else:
                yield Row(number, index, None, "not a JSON object")
        index += 1


def _from_csv(record: dict[str, str]) -> dict[str, Any]:
    """Empty cells are unset; object columns hold JSON text."""
    values: dict[str, Any] = {}
    for name, cell in record.items():
        if cell is None or not cell.strip():
            continue
        if name in OBJECT_COLUMNS:
            try:
                values[name] = json.loads(cell)
            except json.JSONDecodeError:
                raise RowInvalid(f"{name} is not JSON") from None
        else:
            values[name] = cell
    return values


def imported_customer(values: dict[str, Any]) -> ImportedCustomer:
    """A row (Patron's own field names) as the core's command."""
    if unknown := sorted(set(values) - COLUMNS):
        raise RowInvalid(f"unknown field(s) {', '.join(unknown)}")
    for name in TEXT_COLUMNS:
        if values.get(name) is not None and not isinstance(values[name], str):
            raise RowInvalid(f"{name} must be text")
    for name in OBJECT_COLUMNS:
        if values.get(name) is not None and not isinstance(values[name], dict):
            raise RowInvalid(f"{name} must be a JSON object")
    context = values.get("legacy_context") or {}
    if not all(isinstance(value, str) for value in context.values()):
        raise RowInvalid("legacy_context must map names to text")
    if not values.get("email"):
        raise RowInvalid("email is missing")
    text = {name: values.get(name) for name in TEXT_COLUMNS}
    legacy = None
    if text["legacy_hash"] is not None or text["legacy_algorithm"] is not None:
        legacy = LegacyHash(text["legacy_algorithm"] or "", text["legacy_hash"] or "", context)
    registration = Registration(
        email=text["email"] or "",
        title=text["title"],
        first_name=text["first_name"],
        middle_name=text["middle_name"],
        last_name=text["last_name"],
        phone=text["phone"],
        company=text["company"],
        language=text["language"],
        currency=text["currency"],
        site=text["site"],
        website=text["website"],
        metadata=values.get("metadata") or {},
    )
    password = ImportedPassword(hash=text["password_hash"], legacy=legacy)
    return ImportedCustomer(registration, password, customer_number=text["customer_number"])


def message_of(error: DomainError) -> str:
    return MESSAGES.get(error.code, str(error))


async def import_file(
    core: Core,
    tenant_code: str,
    file: IO[str],
    file_format: FileFormat,
    *,
    batch_size: int,
    total: int,
    failures: IO[str],
) -> tuple[int, int]:
    """Import every row, `batch_size` at a time; each failure is a line of `failures`.
    Returns how many were imported and how many failed."""
    tenant = await core.tenants.get(tenant_code)
    principal = operator(tenant.id, Scope.IMPORTS_MANAGE)
    imported = failed = 0
    with Progress(console=console) as progress:
        task = progress.add_task("importing", total=total)
        for batch in _batches(rows_of(file, file_format), batch_size):
            refused: list[Failure] = []
            accepted: list[tuple[Row, ImportedCustomer]] = []
            for row in batch:
                try:
                    if row.values is None:
                        raise RowInvalid(row.problem)
                    accepted.append((row, imported_customer(row.values)))
                except RowInvalid as error:
                    refused.append(Failure(row.line, row.index, ROW_INVALID, str(error)))
            outcomes = await core.imports.import_batch(
                principal, tenant, [command for _, command in accepted]
            )
            for outcome in outcomes:
                if isinstance(outcome, Refused):
                    row = accepted[outcome.index][0]
                    code, message = outcome.error.code.value, message_of(outcome.error)
                    refused.append(Failure(row.line, row.index, code, message))
            for failure in sorted(refused, key=lambda f: f.index):
                failures.write(failure.to_json() + "\n")
            failed += len(refused)
            imported += len(batch) - len(refused)
            progress.advance(task, len(batch))
    return imported, failed


def _batches(rows: Iterator[Row], size: int) -> Iterator[list[Row]]:
    while batch := list(islice(rows, size)):
        yield batch


def _count_rows(path: Path, file_format: FileFormat) -> int:
    """A first pass for the progress bar: streamed, as the import is."""
    with path.open(newline="", encoding="utf-8-sig") as file:
        if file_format is FileFormat.CSV:
            return max(sum(1 for _ in csv.reader(file)) - 1, 0)
        return sum(1 for text in file if text.strip())


@customers_app.command("import")
def customers_import(
    file: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="CSV or JSONL.")
    ],
    tenant: TenantOption = "default",
    file_format: Annotated[
        FileFormat | None,
        typer.Option("--format", help="csv or jsonl; by default from the file's extension."),
    ] = None,
    batch_size: Annotated[
        int, typer.Option(min=1, max=MAX_BATCH, help="Customers per batch.")
    ] = MAX_BATCH,
    failures: Annotated[
        Path | None,
        typer.Option(help="Where the failures go (JSON Lines); default FILE.failures.jsonl."),
    ] = None,
) -> None:
    """Import customers with their password hashes, each on its own: a refused row is
    written to the failures file (line, index, code, message) and the others go in.

    Columns (CSV header or JSON keys): email (required), customer_number, password_hash
    (argon2id, bcrypt or version:iterations:salt:hash), or legacy_algorithm +
    legacy_hash + legacy_context (a JSON object, e.g. {"originalUid": "..."}), title,
    first_name, middle_name, last_name, phone, company, language, currency, site, website,
    metadata (a JSON object). No mails are sent; the accounts log in with their old
    passwords, which the first login re-hashes.
    """
    chosen = file_format or (FileFormat.CSV if file.suffix.lower() == ".csv" else FileFormat.JSONL)
    report = failures or file.with_name(file.name + ".failures.jsonl")
    total = _count_rows(file, chosen)

    async def work(core: Core) -> tuple[int, int]:
        with (
            file.open(newline="", encoding="utf-8-sig") as source,
            report.open("w", encoding="utf-8") as sink,
        ):
            return await import_file(
                core, tenant, source, chosen, batch_size=batch_size, total=total, failures=sink
            )

    try:
        imported, failed = with_core(work)
    except TenantNotFound:
        console.print(f"no tenant {tenant!r}")
        raise typer.Exit(1) from None
    except (RowInvalid, UnicodeDecodeError, csv.Error) as error:
        console.print(f"[red]refused:[/red] {escape(f'{file}: {error}')}")
        raise typer.Exit(2) from None
    console.print(f"imported {imported} customer(s); {failed} failed")
    if failed:
        console.print(f"failures: {escape(str(report))}")
        raise typer.Exit(1)

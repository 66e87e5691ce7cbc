"""`patron`: serve, migrate, read the outbox, manage tenants, the SKU register and the
back office's users and API clients."""

from __future__ import annotations

import asyncio
import csv
import json
import os
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress
from rich.table import Table

from patron.core.errors import (
    AdminEmailTaken,
    EmailInvalid,
    FieldsInvalid,
    PasswordPolicyViolation,
    PrincipalNotFound,
    ScopeMissing,
    TenantNotFound,
    TenantSettingInvalid,
)
from patron.core.model import (
    AdminRole,
    AdminUser,
    ApiClient,
    PasswordPolicyName,
    PrincipalKind,
    ProductSummary,
    Scope,
    Tenant,
    TenantSettings,
)
from patron.core.text import PRODUCT_TEXT, problems_in
from patron.core.use_cases import Core
from patron.services import Services, resolve_database_url
from patron.settings import Settings
from patron.storage.database import create_pool
from patron.storage.migrate import migrate as run_migrations
from patron.storage.outbox import OutboxStore

app = typer.Typer(
    help="Patron: one customer store, many commerce API dialects.", no_args_is_help=True
)
mail_app = typer.Typer(help="Read the mail outbox.", no_args_is_help=True)
tenant_app = typer.Typer(help="View and change tenants and their settings.", no_args_is_help=True)
availability_app = typer.Typer(
    help="The per-tenant SKU register behind availability notifications.", no_args_is_help=True
)
app.add_typer(mail_app, name="mail")
app.add_typer(tenant_app, name="tenant")
admin_app = typer.Typer(
    help="Back-office users and API clients. Secrets are shown once and stored hashed.",
    no_args_is_help=True,
)
app.add_typer(availability_app, name="availability")
app.add_typer(admin_app, name="admin")
console = Console()
T = TypeVar("T")


def _settings() -> Settings:
    return Settings()


def _with_pool(work: Callable[[Any], Awaitable[T]]) -> T:
    dsn = resolve_database_url(_settings())

    async def run() -> T:
        pool = await create_pool(dsn, min_size=1, max_size=2)
        try:
            return await work(pool)
        finally:
            await pool.close()

    return asyncio.run(run())


def _with_core(work: Callable[[Core], Awaitable[T]]) -> T:
    """Run use cases of the core, so the CLI obeys the same rules (and writes the same mails)
    as every dialect."""
    settings = _settings()
    dsn = resolve_database_url(settings)

    async def run() -> T:
        services = await Services.start(settings, dsn)
        try:
            return await work(services.core)
        finally:
            await services.close()

    return asyncio.run(run())


@app.command()
def migrate() -> None:
    """Bring the schema to the newest revision (idempotent; safe from several processes)."""
    asyncio.run(run_migrations(resolve_database_url(_settings())))
    console.print("schema is current")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to bind.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to bind.")] = None,
    workers: Annotated[int | None, typer.Option(help="Worker processes.")] = None,
    migrate_first: Annotated[bool, typer.Option("--migrate/--no-migrate")] = True,
) -> None:
    """Serve every dialect with granian."""
    from granian import Granian
    from granian.constants import Interfaces, Loops

    settings = _settings()
    dsn = resolve_database_url(settings)
    if migrate_first:
        asyncio.run(run_migrations(dsn))
    # Workers are separate processes: hand them the resolved database, not the embedded start.
    os.environ["PATRON_DATABASE_URL"] = dsn
    console.print(f"serving on http://{host or settings.host}:{port or settings.port}")
    Granian(
        "patron.app:app_from_environment",
        factory=True,
        address=host or settings.host,
        port=port or settings.port,
        workers=workers or settings.workers,
        interface=Interfaces.ASGI,
        loop=Loops.uvloop,
        log_access=False,
        # A crashed worker is replaced; the others answer meanwhile.
        respawn_failed_workers=True,
    ).serve()


@mail_app.command("list")
def mail_list(
    limit: Annotated[int, typer.Option(help="How many, newest first.")] = 20,
    to: Annotated[str | None, typer.Option(help="Only messages to this address.")] = None,
) -> None:
    """List outbox messages."""
    messages = _with_pool(lambda pool: OutboxStore(pool).recent(limit=limit, recipient=to))
    table = Table("id", "created", "to", "subject", "status", "attempts")
    for m in messages:
        table.add_row(
            str(m.id),
            m.created_at.isoformat(timespec="seconds"),
            m.recipient,
            m.subject,
            m.status,
            str(m.attempts),
        )
    console.print(table)


@mail_app.command("show")
def mail_show(message_id: int) -> None:
    """Show one outbox message in full."""
    message = _with_pool(lambda pool: OutboxStore(pool).get(message_id))
    if message is None:
        console.print(f"no message {message_id}")
        raise typer.Exit(1)
    console.print(f"To: {message.recipient}\nSubject: {message.subject}\nStatus: {message.status}")
    if message.last_error:
        console.print(f"Last error: {message.last_error}")
    console.print()
    console.print(message.body, markup=False, highlight=False)


@tenant_app.command("list")
def tenant_list() -> None:
    """List tenants."""
    tenants = _with_core(lambda core: core.tenant_admin.list())
    table = Table("id", "code", "name", "settings")
    for t in tenants:
        table.add_row(str(t.id), t.code, t.name, json.dumps(t.settings.to_json()))
    console.print(table)


@tenant_app.command("show")
def tenant_show(code: Annotated[str, typer.Argument()] = "default") -> None:
    """Show one tenant's settings as JSON."""
    try:
        tenant = _with_core(lambda core: core.tenant_admin.get(code))
    except TenantNotFound:
        console.print(f"no tenant {code!r}")
        raise typer.Exit(1) from None
    console.print_json(
        json.dumps({"code": tenant.code, "name": tenant.name, **tenant.settings.to_json()})
    )


@tenant_app.command("create")
def tenant_create(code: str, name: Annotated[str | None, typer.Option()] = None) -> None:
    """Create a tenant with default settings and the policy of PATRON_PASSWORD_POLICY."""
    policy = PasswordPolicyName(_settings().password_policy)
    try:
        tenant = _with_core(
            lambda core: core.tenant_admin.create(
                code, name or code, TenantSettings(password_policy=policy)
            )
        )
    except FieldsInvalid as error:
        console.print(f"[red]refused:[/red] {escape(str(error))}")
        raise typer.Exit(2) from None
    console.print(f"created tenant {tenant.code} (id {tenant.id})")


@tenant_app.command("set")
def tenant_set(
    code: str,
    assignments: Annotated[list[str], typer.Argument(help="KEY=VALUE; VALUE is JSON or text.")],
) -> None:
    """Change settings, e.g. `patron tenant set default password_policy=strict`.

    All or nothing: an unknown key or a bad value is refused, naming the key.
    """
    changes: dict[str, Any] = {}
    for assignment in assignments:
        key, sep, raw = assignment.partition("=")
        if not sep:
            raise typer.BadParameter(f"expected KEY=VALUE, got {assignment!r}")
        try:
            changes[key] = json.loads(raw)
        except json.JSONDecodeError:
            changes[key] = raw
    try:
        tenant = _with_core(lambda core: core.tenant_admin.change_settings(code, changes))
    except TenantSettingInvalid as error:
        console.print(f"[red]refused:[/red] {escape(str(error))}")
        raise typer.Exit(2) from None
    except TenantNotFound:
        console.print(f"no tenant {code!r}")
        raise typer.Exit(1) from None
    console.print_json(json.dumps(tenant.settings.to_json()))


# --- availability ------------------------------------------------------------------------

TenantOption = Annotated[str, typer.Option("--tenant", help="Tenant code.")]
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
        notified = _with_core(work)
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
        notified = _with_core(work)
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
        summaries = _with_core(work)
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


# --- back office ---------------------------------------------------------------------------

ScopesOption = Annotated[
    list[Scope] | None, typer.Option("--scope", help="A scope to grant; repeat for several.")
]


def _back_office(tenant_code: str, work: Callable[[Core, Tenant], Awaitable[T]]) -> T:
    """Run `work` for the tenant; every refusal is one line and a non-zero exit (2 for bad
    input, 1 for what is missing or taken)."""

    async def run(core: Core) -> T:
        return await work(core, await core.tenants.get(tenant_code))

    try:
        return _with_core(run)
    except TenantNotFound:
        problem, code = f"no tenant {tenant_code!r}", 1
    except PrincipalNotFound:
        problem, code = "no such user or client in this tenant", 1
    except AdminEmailTaken:
        problem, code = "refused: the tenant has a user with that email", 1
    except PasswordPolicyViolation as error:
        problem, code = f"refused: password {error}", 2
    except EmailInvalid:
        problem, code = "refused: not a valid email address", 2
    except ScopeMissing as error:
        problem, code = f"refused: unknown scope {error.scope!r}", 2
    except FieldsInvalid as error:
        problem, code = f"refused: {error}", 2
    console.print(escape(problem), highlight=False)
    raise typer.Exit(code)


def _show_once(label: str, secret: str) -> None:
    """Printed, never logged: this is the only time anybody sees it."""
    console.print(f"{label}: {secret}", highlight=False, markup=False, soft_wrap=True)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return password


@admin_app.command("create-user")
def admin_create_user(
    email: str,
    tenant: TenantOption = "default",
    role: Annotated[AdminRole, typer.Option(help="A label; scopes decide.")] = AdminRole.ADMIN,
    scope: ScopesOption = None,
    first_name: Annotated[str | None, typer.Option()] = None,
    last_name: Annotated[str | None, typer.Option()] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Create a back-office user (every scope unless --scope is given).

    The password is asked for twice, hidden, unless --password-stdin is given.
    """
    password = _read_password(password_stdin)
    user = _back_office(
        tenant,
        lambda core, found: core.back_office.create_user(
            found,
            email=email,
            password=password,
            role=role,
            scopes=scope,
            first_name=first_name,
            last_name=last_name,
        ),
    )
    scopes = " ".join(sorted(user.scopes)) or "none"
    console.print(f"created user {escape(user.email)} ({user.role}; scopes: {scopes})")


@admin_app.command("create-client")
def admin_create_client(
    name: str,
    scope: Annotated[list[Scope], typer.Option("--scope", help="A scope to grant; repeat.")],
    tenant: TenantOption = "default",
) -> None:
    """Create an API client; its secret is shown this once."""
    client, secret = _back_office(
        tenant, lambda core, found: core.back_office.create_client(found, name=name, scopes=scope)
    )
    _show_once("client id", client.client_id)
    _show_once("secret", secret)
    console.print("The secret is shown only now; Patron keeps only its hash.")


def _set_enabled(kind: PrincipalKind, key: str, tenant: str, *, enabled: bool) -> None:
    _back_office(
        tenant,
        lambda core, found: core.back_office.set_enabled(found, kind, key, enabled=enabled),
    )
    console.print(f"{kind} {escape(key)} {'enabled' if enabled else 'disabled'}")


@admin_app.command("disable")
def admin_disable(kind: PrincipalKind, key: str, tenant: TenantOption = "default") -> None:
    """Disable a user (by email) or client (by client id): its credentials stop working.

    They stay dead when it is enabled again; the user logs in anew, the client asks for
    new tokens.
    """
    _set_enabled(kind, key, tenant, enabled=False)


@admin_app.command("enable")
def admin_enable(kind: PrincipalKind, key: str, tenant: TenantOption = "default") -> None:
    """Enable a user (by email) or client (by client id) again."""
    _set_enabled(kind, key, tenant, enabled=True)


@admin_app.command("rotate-secret")
def admin_rotate_secret(client_id: str, tenant: TenantOption = "default") -> None:
    """Give a client a new secret (shown once); tokens issued before stop working."""
    secret = _back_office(
        tenant, lambda core, found: core.back_office.rotate_secret(found, client_id)
    )
    _show_once("secret", secret)


@admin_app.command("issue-token")
def admin_issue_token(email: str, tenant: TenantOption = "default") -> None:
    """Issue a user's API token (shown once); it replaces the user's previous one."""
    token = _back_office(tenant, lambda core, found: core.back_office.issue_api_token(found, email))
    _show_once("API token", token)


@admin_app.command("list")
def admin_list(tenant: TenantOption = "default") -> None:
    """List the tenant's users and API clients."""

    async def work(core: Core, found: Tenant) -> tuple[list[AdminUser], list[ApiClient]]:
        return (
            await core.back_office.list_users(found),
            await core.back_office.list_clients(found),
        )

    users, clients = _back_office(tenant, work)
    table = Table("email", "role", "scopes", "state", "created", title="users")
    for user in users:
        table.add_row(
            escape(user.email),
            user.role.value,
            " ".join(sorted(user.scopes)),
            "disabled" if user.is_disabled else "enabled",
            user.created_at.isoformat(timespec="seconds"),
        )
    console.print(table)
    table = Table("client id", "name", "scopes", "state", "created", title="clients")
    for client in clients:
        table.add_row(
            client.client_id,
            escape(client.name),
            " ".join(sorted(client.scopes)),
            "disabled" if client.is_disabled else "enabled",
            client.created_at.isoformat(timespec="seconds"),
        )
    console.print(table)


def main() -> None:
    app()

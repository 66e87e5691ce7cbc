"""`patron admin`: back-office users and API clients."""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable
from typing import Annotated
from uuid import UUID

import typer
from rich.markup import escape
from rich.table import Table

from patron.cli.common import T, TenantOption, console, with_core
from patron.core.domain.errors.conflict import AdminEmailTaken
from patron.core.domain.errors.forbidden import ScopeMissing
from patron.core.domain.errors.invalid_input import (
    EmailInvalid,
    FieldsInvalid,
    PasswordPolicyViolation,
)
from patron.core.domain.errors.not_found import GroupNotFound, PrincipalNotFound, TenantNotFound
from patron.core.domain.principals import AdminRole, AdminUser, ApiClient, PrincipalKind, Scope
from patron.core.domain.tenants import Tenant
from patron.core.use_cases import Core
from patron.dialects.emporix.scopes import to_core

admin_app = typer.Typer(
    help="Back-office users and API clients. Secrets are shown once and stored hashed.",
    no_args_is_help=True,
)

ScopesOption = Annotated[
    list[Scope] | None, typer.Option("--scope", help="A scope to grant; repeat for several.")
]


def _back_office(tenant_code: str, work: Callable[[Core, Tenant], Awaitable[T]]) -> T:
    """Run `work` for the tenant; every refusal is one line and a non-zero exit (2 for bad
    input, 1 for what is missing or taken)."""

    async def run(core: Core) -> T:
        return await work(core, await core.tenants.get(tenant_code))

    try:
        return with_core(run)
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
    except GroupNotFound:
        problem, code = "no such customer group in this tenant", 1
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
        lambda core, found: core.staff_accounts.create_user(
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
    scope: Annotated[
        list[str] | None,
        typer.Option(
            "--scope",
            help="A scope to grant; repeat. Patron's (customers:read, with _own or --DE "
            "narrowing) or Emporix' (customer.customer_read--DE). None: a storefront "
            "client, whose public id opens Emporix' anonymous sessions and nothing else.",
        ),
    ] = None,
    tenant: TenantOption = "default",
    company: Annotated[
        UUID | None,
        typer.Option(help="The customer group (its id) whose customers _own scopes reach."),
    ] = None,
) -> None:
    """Create an API client; its secret is shown this once."""
    granted = [to_core(text) or text for text in scope or ()]
    client, secret = _back_office(
        tenant,
        lambda core, found: core.staff_accounts.create_client(
            found, name=name, scopes=granted, company=company
        ),
    )
    _show_once("client id", client.client_id)
    _show_once("secret", secret)
    console.print("The secret is shown only now; Patron keeps only its hash.")


def _set_enabled(kind: PrincipalKind, key: str, tenant: str, *, enabled: bool) -> None:
    _back_office(
        tenant,
        lambda core, found: core.staff_accounts.set_enabled(found, kind, key, enabled=enabled),
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
        tenant, lambda core, found: core.staff_accounts.rotate_secret(found, client_id)
    )
    _show_once("secret", secret)


@admin_app.command("issue-token")
def admin_issue_token(email: str, tenant: TenantOption = "default") -> None:
    """Issue a user's API token (shown once); it replaces the user's previous one."""
    token = _back_office(
        tenant, lambda core, found: core.staff_accounts.issue_api_token(found, email)
    )
    _show_once("API token", token)


@admin_app.command("list")
def admin_list(tenant: TenantOption = "default") -> None:
    """List the tenant's users and API clients."""

    async def work(core: Core, found: Tenant) -> tuple[list[AdminUser], list[ApiClient]]:
        return (
            await core.staff_accounts.list_users(found),
            await core.staff_accounts.list_clients(found),
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

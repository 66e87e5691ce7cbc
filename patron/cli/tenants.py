"""`patron tenant`: view and change tenants and their settings."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from patron.cli.common import console, load_settings, with_core
from patron.core.domain.errors.invalid_input import FieldsInvalid, TenantSettingInvalid
from patron.core.domain.errors.not_found import TenantNotFound
from patron.core.domain.tenants import PasswordPolicyName, TenantSettings

tenant_app = typer.Typer(help="View and change tenants and their settings.", no_args_is_help=True)


@tenant_app.command("list")
def tenant_list() -> None:
    """List tenants."""
    tenants = with_core(lambda core: core.tenant_admin.list())
    table = Table("id", "code", "name", "settings")
    for t in tenants:
        table.add_row(str(t.id), t.code, t.name, json.dumps(t.settings.to_json()))
    console.print(table)


@tenant_app.command("show")
def tenant_show(code: Annotated[str, typer.Argument()] = "default") -> None:
    """Show one tenant's settings as JSON."""
    try:
        tenant = with_core(lambda core: core.tenant_admin.get(code))
    except TenantNotFound:
        console.print(f"no tenant {code!r}")
        raise typer.Exit(1) from None
    console.print_json(
        json.dumps({"code": tenant.code, "name": tenant.name, **tenant.settings.to_json()})
    )


@tenant_app.command("create")
def tenant_create(code: str, name: Annotated[str | None, typer.Option()] = None) -> None:
    """Create a tenant with default settings and the policy of PATRON_PASSWORD_POLICY."""
    policy = PasswordPolicyName(load_settings().password_policy)
    try:
        tenant = with_core(
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
        tenant = with_core(lambda core: core.tenant_admin.change_settings(code, changes))
    except TenantSettingInvalid as error:
        console.print(f"[red]refused:[/red] {escape(str(error))}")
        raise typer.Exit(2) from None
    except TenantNotFound:
        console.print(f"no tenant {code!r}")
        raise typer.Exit(1) from None
    console.print_json(json.dumps(tenant.settings.to_json()))


# --- availability ------------------------------------------------------------------------

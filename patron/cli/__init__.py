"""`patron`: serve, migrate, read the outbox, manage tenants, the SKU register and the
back office's users and API clients, import customers. One module per command group."""

from __future__ import annotations

import asyncio
import errno
import os
import socket
from typing import Annotated

import typer

from patron.cli.admin import admin_app
from patron.cli.availability import RegisterFileError, RegisterRow, availability_app, read_register
from patron.cli.common import console, load_settings
from patron.cli.customers import customers_app
from patron.cli.mail import mail_app
from patron.cli.tenants import tenant_app
from patron.services import resolve_database_url
from patron.storage.migrate import migrate as run_migrations

__all__ = ["RegisterFileError", "RegisterRow", "app", "main", "read_register"]

app = typer.Typer(
    help="Patron: one customer store, many commerce API dialects.", no_args_is_help=True
)
app.add_typer(mail_app, name="mail")
app.add_typer(tenant_app, name="tenant")
app.add_typer(availability_app, name="availability")
app.add_typer(admin_app, name="admin")
app.add_typer(customers_app, name="customers")


@app.command()
def migrate() -> None:
    """Bring the schema to the newest revision (idempotent; safe from several processes)."""
    asyncio.run(run_migrations(resolve_database_url(load_settings())))
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

    settings = load_settings()
    host, port = host or settings.host, port or settings.port
    if port_in_use(host, port):
        console.print(f"[red]port {port} is in use on {host}: another server listens there[/red]")
        raise typer.Exit(1)
    dsn = resolve_database_url(settings)
    if migrate_first:
        asyncio.run(run_migrations(dsn))
    # Workers are separate processes: hand them the resolved database, not the embedded start.
    os.environ["PATRON_DATABASE_URL"] = dsn
    console.print(f"serving on http://{host}:{port}")
    Granian(
        "patron.app:app_from_environment",
        factory=True,
        address=host,
        port=port,
        workers=workers or settings.workers,
        interface=Interfaces.ASGI,
        loop=Loops.uvloop,
        log_access=False,
        # A crashed worker is replaced; the others answer meanwhile.
        respawn_failed_workers=True,
        # SIGTERM stops the server even when requests are stuck (waiting on a lock, say).
        workers_kill_timeout=settings.shutdown_timeout_seconds,
    ).serve()


def port_in_use(host: str, port: int) -> bool:
    """Whether a server listens on `host:port` already. Granian binds with SO_REUSEPORT, so
    a second granian (beside a hung one, say) would share the port and take half its
    requests; a bind without it fails wherever any socket listens. SO_REUSEADDR keeps a
    closed server's lingering connections from counting."""
    if port == 0:
        return False
    try:
        addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror:
        return False  # granian names the bad address itself
    for family, kind, protocol, _, address in addresses:
        with socket.socket(family, kind, protocol) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(address)
            except OSError as error:
                if error.errno == errno.EADDRINUSE:
                    return True
    return False


def main() -> None:
    app()

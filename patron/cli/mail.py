"""`patron mail`: read the outbox."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from patron.cli.common import console, with_pool
from patron.storage.outbox import OutboxStore

mail_app = typer.Typer(help="Read the mail outbox.", no_args_is_help=True)


@mail_app.command("list")
def mail_list(
    limit: Annotated[int, typer.Option(help="How many, newest first.")] = 20,
    to: Annotated[str | None, typer.Option(help="Only messages to this address.")] = None,
) -> None:
    """List outbox messages."""
    messages = with_pool(lambda pool: OutboxStore(pool).recent(limit=limit, recipient=to))
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
    message = with_pool(lambda pool: OutboxStore(pool).get(message_id))
    if message is None:
        console.print(f"no message {message_id}")
        raise typer.Exit(1)
    console.print(f"To: {message.recipient}\nSubject: {message.subject}\nStatus: {message.status}")
    if message.last_error:
        console.print(f"Last error: {message.last_error}")
    console.print()
    # soft_wrap: a long link stays one line, so it can be copied whole from any terminal.
    console.print(message.body, markup=False, highlight=False, soft_wrap=True)

"""Password migration: each tenant's window for legacy password hashes of imported
accounts, and a partial index over the accounts that still hold one (their hashes start
with `$legacy-`, `patron.core.domain.password_migration.LEGACY_HASH_PREFIX`).

Revision ID: 0009
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

SCHEMA = """
        CREATE TABLE password_migration_windows (
            tenant_id     integer PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
            ends_on       date NOT NULL,
            reminder_on   date NOT NULL,
            notifications boolean NOT NULL,
            updated_at    timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX customers_legacy_hash ON customers (tenant_id)
            WHERE password_hash LIKE '$legacy-%'
"""


def upgrade() -> None:
    for statement in SCHEMA.split(";"):
        if statement.strip():
            op.execute(statement)


def downgrade() -> None:
    op.execute("DROP INDEX customers_legacy_hash")
    op.execute("DROP TABLE password_migration_windows")

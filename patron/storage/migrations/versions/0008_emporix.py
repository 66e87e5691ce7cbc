"""Emporix' tenant-managed data: a customer's `restriction` (site permission), address
tags and caller-chosen address ids, and the company (a customer group) an API client acts
for under `_own` scopes.

Revision ID: 0008
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

SCHEMA = """
        ALTER TABLE customers ADD COLUMN restriction text;
        CREATE INDEX customers_restriction ON customers (tenant_id, restriction)
            WHERE restriction IS NOT NULL;
        ALTER TABLE addresses
            ADD COLUMN tags text[] NOT NULL DEFAULT '{}',
            ADD COLUMN code text;
        -- A caller-chosen address id is one address's per customer.
        CREATE UNIQUE INDEX addresses_code_unique ON addresses (customer_id, code)
            WHERE code IS NOT NULL;
        ALTER TABLE api_clients
            ADD COLUMN company_group_id bigint REFERENCES customer_groups (id) ON DELETE SET NULL
"""


def upgrade() -> None:
    for statement in SCHEMA.split(";"):
        if statement.strip():
            op.execute(statement)


def downgrade() -> None:
    op.execute("ALTER TABLE api_clients DROP COLUMN company_group_id")
    op.execute("DROP INDEX addresses_code_unique")
    op.execute("ALTER TABLE addresses DROP COLUMN tags, DROP COLUMN code")
    op.execute("DROP INDEX customers_restriction")
    op.execute("ALTER TABLE customers DROP COLUMN restriction")

"""Per-tenant SKU register and availability-notification subscriptions.

Revision ID: 0002
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SCHEMA = """
        CREATE TABLE products (
            tenant_id    integer NOT NULL REFERENCES tenants(id),
            sku          text NOT NULL CHECK (sku <> ''),
            name         text,
            is_available boolean NOT NULL DEFAULT false,
            updated_at   timestamptz NOT NULL,
            PRIMARY KEY (tenant_id, sku)
        );

        CREATE TABLE availability_subscriptions (
            id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            tenant_id        integer NOT NULL REFERENCES tenants(id),
            subscription_key text NOT NULL UNIQUE,
            sku              text NOT NULL,
            email            text NOT NULL,
            customer_id      bigint REFERENCES customers(id) ON DELETE CASCADE,
            locale           text NOT NULL,
            created_at       timestamptz NOT NULL,
            FOREIGN KEY (tenant_id, sku) REFERENCES products (tenant_id, sku)
        );
        -- One open subscription per address and SKU, whatever the letter case.
        CREATE UNIQUE INDEX availability_subscriptions_unique
            ON availability_subscriptions (tenant_id, sku, lower(email));
        CREATE INDEX availability_subscriptions_customer
            ON availability_subscriptions (customer_id, id) WHERE customer_id IS NOT NULL
"""


def upgrade() -> None:
    for statement in SCHEMA.split(";"):
        if statement.strip():
            op.execute(statement)


def downgrade() -> None:
    op.execute("DROP TABLE availability_subscriptions, products")

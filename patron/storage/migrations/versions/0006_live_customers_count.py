"""A narrow index of the customers that are not deleted, per tenant: the back-office list's
total (`count`) is an index-only scan of it instead of a scan of the whole table.

Revision ID: 0006
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE INDEX customers_live ON customers (tenant_id) WHERE deleted_at IS NULL")


def downgrade() -> None:
    op.execute("DROP INDEX customers_live")

"""Find a tenant's mail by recipient, so anonymization can redact guest mail too.

Revision ID: 0003
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE INDEX outbox_recipient ON outbox (tenant_id, lower(recipient))")


def downgrade() -> None:
    op.execute("DROP INDEX outbox_recipient")

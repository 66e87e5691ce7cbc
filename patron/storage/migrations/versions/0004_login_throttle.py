"""Login throttle counters in PostgreSQL, shared by every worker and host when no Redis is
configured.

UNLOGGED: the counters are cheap to lose (a crash forgets some failures and blocks) and
are written on every failed login, so they skip the write-ahead log.

Revision ID: 0004
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # One statement per call: asyncpg prepares each, and a prepared statement holds one.
    op.execute(
        """
        CREATE UNLOGGED TABLE login_throttle (
            key            text PRIMARY KEY,
            failures       integer NOT NULL DEFAULT 0,
            window_ends_at timestamptz,
            blocked_until  timestamptz,
            -- The row means nothing once both have passed (or both are unset).
            expires_at     timestamptz NOT NULL GENERATED ALWAYS AS (
                               coalesce(GREATEST(window_ends_at, blocked_until), '-infinity')
                           ) STORED
        )
        """
    )
    op.execute("CREATE INDEX login_throttle_expiry ON login_throttle (expires_at)")


def downgrade() -> None:
    op.execute("DROP TABLE login_throttle")

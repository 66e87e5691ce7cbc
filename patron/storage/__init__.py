"""PostgreSQL behind the core's ports: hand-written SQL over asyncpg."""

"""`patron serve --workers 2` as it runs in production: one lockout for all workers."""

from __future__ import annotations

from pathlib import Path

import asyncpg
import httpx
import pytest

from tests.e2e.serving import Server, running_server

JSON_API = {"Accept": "application/vnd.api+json", "Content-Type": "application/vnd.api+json"}
LOGIN = {
    "data": {
        "type": "access-tokens",
        "attributes": {"username": "nobody@example.com", "password": "not-the-password"},
    }
}


def _log_in(server: Server) -> httpx.Response:
    """One attempt on a connection of its own, so each worker gets its turn at accepting."""
    return httpx.post(f"{server.base}/glue/access-tokens", json=LOGIN, headers=JSON_API, timeout=10)


@pytest.mark.slow
def test_two_workers_without_redis_share_one_lockout(
    clean_db: asyncpg.Pool, database_url: str, tmp_path: Path
) -> None:
    with running_server(
        database_url, tmp_path / "server.log", "--workers", "2", PATRON_LOGIN_MAX_FAILURES="3"
    ) as server:
        server.wait_for_workers(2)  # both take connections from the start
        failed = [_log_in(server).status_code for _ in range(3)]
        refused = [_log_in(server) for _ in range(12)]

    assert failed == [401, 401, 401]
    assert [r.status_code for r in refused] == [429] * 12, [r.text for r in refused]
    assert {r.json()["errors"][0]["code"] for r in refused} == {"4401"}

"""`patron serve --workers 2` as it runs in production: shared lockouts, respawned workers."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import asyncpg
import httpx
import psutil
import pytest

from tests.servers import Server, running_server
from tests.waiting import wait_until

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


def _gone(pid: int) -> bool:
    """Dead, and so its listening socket closed (a zombie holds no sockets)."""
    try:
        status: str = psutil.Process(pid).status()
        return status == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def _kill(pid: int) -> None:
    os.kill(pid, signal.SIGKILL)
    wait_until(lambda: _gone(pid), within=10, what=f"worker {pid} to die")


def _answers(server: Server) -> None:
    for _ in range(6):
        assert httpx.get(f"{server.base}/ready", timeout=10).status_code == 200


@pytest.mark.slow
def test_a_killed_worker_is_respawned_and_the_server_keeps_answering(
    clean_db: asyncpg.Pool, database_url: str, tmp_path: Path
) -> None:
    with running_server(database_url, tmp_path / "server.log", "--workers", "2") as server:
        first, second = sorted(server.wait_for_workers(2))

        _kill(first)
        _answers(server)
        (replacement,) = server.wait_for_workers(2, without={first}) - {second}

        # Now the other original goes: only the replacement can answer meanwhile.
        _kill(second)
        _answers(server)
        assert replacement in server.wait_for_workers(2, without={first, second})
        _answers(server)
        assert server.process.poll() is None

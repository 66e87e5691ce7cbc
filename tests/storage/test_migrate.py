"""Migrations: idempotent, safe from several processes at once, and the embedded server."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import asyncpg
import httpx
import pytest

from patron.storage.migrate import current_revision, head_revision
from tests.conftest import ROOT
from tests.smtp import free_port
from tests.waiting import wait_until

PATRON = [sys.executable, "-m", "patron"]


async def test_four_processes_migrating_at_once_leave_one_schema(empty_database: str) -> None:
    env = {**os.environ, "PATRON_DATABASE_URL": empty_database}
    processes = [
        await asyncio.create_subprocess_exec(
            *PATRON,
            "migrate",
            env=env,
            cwd=ROOT,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        for _ in range(4)
    ]
    outputs = [await p.communicate() for p in processes]

    assert [p.returncode for p in processes] == [0] * 4, outputs
    assert await current_revision(empty_database) == head_revision()
    connection = await asyncpg.connect(empty_database)
    try:
        assert await connection.fetchval("SELECT count(*) FROM tenants") == 1
    finally:
        await connection.close()


@pytest.mark.slow
def test_the_embedded_server_serves_without_any_configuration(tmp_path: Path) -> None:
    """`make run` on a fresh machine: no database configured, a private PostgreSQL starts."""
    port = free_port()
    env = {**os.environ, "PATRON_VAR_DIR": str(tmp_path / "var"), "PATRON_PORT": str(port)}
    log = tmp_path / "serve.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [*PATRON, "serve"], env=env, cwd=tmp_path, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        base = f"http://127.0.0.1:{port}"

        def answered() -> httpx.Response | None:
            assert server.poll() is None, log.read_text()
            try:
                return httpx.get(f"{base}/ready", timeout=1)
            except httpx.TransportError:
                return None

        ready = wait_until(answered, within=60, what="the embedded server to answer")
        assert ready.status_code == 200, log.read_text()
        created = httpx.post(
            f"{base}/glue/customers",
            headers={"Accept": "application/vnd.api+json"},
            json={
                "data": {
                    "type": "customers",
                    "attributes": {
                        "salutation": "Mr",
                        "firstName": "Emb",
                        "lastName": "Edded",
                        "email": "embedded@example.com",
                        "gender": "Male",
                        "password": "change123",
                        "confirmPassword": "change123",
                        "acceptedTerms": True,
                    },
                }
            },
        )
        assert created.status_code == 201, created.text
        assert (tmp_path / "var" / "pg" / "PG_VERSION").exists()
    finally:
        server.terminate()
        server.wait(timeout=60)

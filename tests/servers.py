"""A real Patron server process (`patron serve`) for tests that talk to it over HTTP."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT
from tests.smtp import free_port


@contextmanager
def patron_server(database_url: str, log: Path, **settings: str) -> Iterator[str]:
    """Serve the migrated database on a free port until the block ends; yields the base URL.

    Cheap argon2, no `PATRON_*` from the caller's environment; `settings` (full `PATRON_*`
    names) are added. The server's output goes to `log`, shown if it fails to start.
    """
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PATRON_")}
    env.update(
        PATRON_DATABASE_URL=database_url,
        PATRON_PUBLIC_URL=base,
        PATRON_PORT=str(port),
        PATRON_ARGON2_MEMORY_KIB="1024",
        PATRON_ARGON2_TIME_COST="1",
        **settings,
    )
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "patron", "serve", "--no-migrate"],
            env=env,
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{base}/ready", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None:
                pytest.fail(log.read_text())
            time.sleep(0.2)  # waiting for readiness, not asserting on time
        else:
            pytest.fail(f"the server did not get ready:\n{log.read_text()}")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)

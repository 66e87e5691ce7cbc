"""The Medusa client tests' fixtures: Node with medusa-js installed as locked, and a real
Patron server that lets the admin dashboard's and the storefront's origins in."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from tests.clients.medusa.harness import DASHBOARD, HERE, STOREFRONT
from tests.conftest import IN_CI
from tests.servers import running_server


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        reason = f"`{name}` is not installed (Node.js 20+ runs medusa-js)"
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)
    return path


def _versions(lock: Path) -> dict[str, str | None]:
    packages: dict[str, dict[str, Any]] = json.loads(lock.read_text())["packages"]
    return {path: entry.get("version") for path, entry in packages.items() if path}


def _installed() -> bool:
    """node_modules holds exactly what package-lock.json locks (npm records what it installed
    in node_modules/.package-lock.json)."""
    installed = HERE / "node_modules" / ".package-lock.json"
    return installed.exists() and _versions(installed) == _versions(HERE / "package-lock.json")


@pytest.fixture(scope="session")
def node() -> str:
    """The `node` binary, with medusa-js installed from the committed lock file."""
    node = _tool("node")
    if not _installed():
        npm = _tool("npm")
        installed = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"],
            cwd=HERE,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert installed.returncode == 0, installed.stdout + installed.stderr
        assert _installed()
    return node


@pytest.fixture
def server(clean_db: asyncpg.Pool, database_url: str, tmp_path: Path) -> Iterator[str]:
    """Patron, with the admin dashboard's and the storefront's origins allowed (each only
    on its own API, with credentials), as a deployment behind browsers configures it."""
    cors = {
        "PATRON_MEDUSA_ADMIN_CORS_ORIGINS": json.dumps([DASHBOARD]),
        "PATRON_MEDUSA_STORE_CORS_ORIGINS": json.dumps([STOREFRONT]),
    }
    with running_server(database_url, tmp_path / "server.log", **cors) as running:
        yield running.base

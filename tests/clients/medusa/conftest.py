"""The Medusa client tests' fixtures: Node with medusa-js installed as locked, and a real
Patron server that lets the admin dashboard's and the storefront's origins in."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest

from tests.clients.medusa.harness import DASHBOARD, HERE, STOREFRONT
from tests.clients.node import node_with_packages
from tests.servers import running_server


@pytest.fixture(scope="session")
def node() -> str:
    """The `node` binary, with medusa-js installed from the committed lock file."""
    return node_with_packages(HERE, "medusa-js")


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

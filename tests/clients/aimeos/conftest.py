"""The jQuery guide test's fixtures: Node with jQuery and playwright-core installed as
locked, Debian's Chromium, and a real Patron server to serve the page's origin."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest

from tests.clients.node import node_with_packages
from tests.conftest import IN_CI
from tests.servers import running_server

HERE = Path(__file__).resolve().parent
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="session")
def node() -> str:
    """The `node` binary, with jQuery and playwright-core installed from the lock file."""
    return node_with_packages(HERE, "jQuery in Chromium")


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's Chromium, which playwright-core drives (it downloads no browser); skips
    (fails in CI, whose .ci/run installs it) when it is missing."""
    if not os.access(CHROMIUM, os.X_OK):
        reason = f"{CHROMIUM} is not installed (apt-get install chromium)"
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)
    return CHROMIUM


@pytest.fixture
def server(clean_db: asyncpg.Pool, database_url: str, tmp_path: Path) -> Iterator[str]:
    """Patron as deployed for a front end on its own origin: no CORS settings at all."""
    with running_server(database_url, tmp_path / "server.log") as running:
        yield running.base

"""`patron serve` on a port another server listens on refuses to start, rather than share it.

A hung granian listens with SO_REUSEPORT, and so does a new one: the kernel let both bind,
and requests went to either. The listener here sets SO_REUSEPORT too, as that server did.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
from collections.abc import Iterator

import psutil
import pytest

from tests.conftest import ROOT
from tests.servers import START_SECONDS
from tests.smtp import free_port

pytestmark = pytest.mark.slow


@pytest.fixture(params=[True, False], ids=["reuseport", "plain"])
def listening(request: pytest.FixtureRequest) -> Iterator[int]:
    """A port something listens on (with SO_REUSEPORT, as granian binds, or without)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        if request.param:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind(("127.0.0.1", free_port()))
        sock.listen()
        yield sock.getsockname()[1]


def serve(database_url: str, port: int) -> tuple[int, str]:
    """`patron serve --port PORT`: its exit code and output; a failure if it serves."""
    env = {**os.environ, "PATRON_DATABASE_URL": database_url, "PATRON_HOST": "127.0.0.1"}
    command = [sys.executable, "-m", "patron", "serve", "--no-migrate", "--port", str(port)]
    process = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        output, _ = process.communicate(timeout=START_SECONDS)
    except subprocess.TimeoutExpired:  # it serves: the bug this test is about
        for worker in psutil.Process(process.pid).children(recursive=True):
            with contextlib.suppress(psutil.NoSuchProcess):
                worker.kill()
        process.kill()
        output, _ = process.communicate()
        pytest.fail(f"patron serve started on port {port}, which was in use:\n{output}")
    return process.returncode, output


def test_given_a_port_in_use_when_serving_on_it_then_patron_refuses_to_start(
    database_url: str, listening: int
) -> None:
    code, output = serve(database_url, listening)

    assert code != 0
    assert f"port {listening} is in use" in output, output
    assert "Traceback" not in output

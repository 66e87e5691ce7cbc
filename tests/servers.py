"""Start `patron serve` as a real process and wait until it is ready."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil
import pytest

from tests.conftest import ROOT
from tests.smtp import free_port
from tests.waiting import wait_until

START_SECONDS = 30.0


@dataclass(frozen=True)
class Server:
    base: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    def workers(self) -> set[int]:
        """Process ids of the granian workers that listen now: on Linux each worker binds
        its own socket (SO_REUSEPORT), so a worker answers once it has one."""
        listening: set[int] = set()
        for child in psutil.Process(self.process.pid).children():
            with contextlib.suppress(psutil.NoSuchProcess, psutil.ZombieProcess):
                sockets = child.net_connections(kind="tcp")
                ports = {s.laddr.port for s in sockets if s.status == psutil.CONN_LISTEN}
                if self.port in ports:
                    listening.add(child.pid)
        return listening

    def wait_for_workers(self, count: int, *, without: Collection[int] = ()) -> set[int]:
        """The listening workers, once there are `count` of them and none of `without`."""

        def settled() -> set[int] | None:
            workers = self.workers()
            return workers if len(workers) == count and workers.isdisjoint(without) else None

        return wait_until(settled, within=START_SECONDS, what=f"{count} listening workers")


def _ready(server: Server) -> bool:
    if server.process.poll() is not None:
        pytest.fail(f"the server exited:\n{server.log.read_text()}")
    try:
        return httpx.get(f"{server.base}/ready", timeout=1).status_code == 200
    except httpx.TransportError:
        return False


@contextlib.contextmanager
def running_server(
    database_url: str, log: Path, *arguments: str, **environment: str
) -> Iterator[Server]:
    """`patron serve --no-migrate ARGUMENTS` with only the given `PATRON_*` settings (no
    Redis unless named: `clean_environment` cleared the shell's), cheap argon2, and a free
    port; stopped (workers too) on exit."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ)
    env.update(
        PATRON_DATABASE_URL=database_url,
        PATRON_PUBLIC_URL=base,
        PATRON_PORT=str(port),
        PATRON_ARGON2_MEMORY_KIB="1024",
        PATRON_ARGON2_TIME_COST="1",
        **environment,
    )
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "patron", "serve", "--no-migrate", *arguments],
            env=env,
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    server = Server(base, port, process, log)
    workers: list[psutil.Process] = []
    try:
        wait_until(lambda: _ready(server), within=START_SECONDS, what=f"{base}/ready")
        yield server
    finally:
        with contextlib.suppress(psutil.NoSuchProcess):
            workers = psutil.Process(process.pid).children()
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)
        # A worker the server failed to stop must not outlive the test.
        for worker in workers:
            with contextlib.suppress(psutil.NoSuchProcess):
                worker.kill()

"""What every vendor-client test needs from Node: the `node` binary with the folder's npm
packages installed exactly as its package-lock.json locks them, and a way to run a script
that prints one JSON line per step and asks the test for a secret (a key from the outbox)
on stdin."""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import IN_CI

NODE_TIMEOUT_SECONDS = 120

Answer = Callable[[dict[str, Any]], Awaitable[str | None]]
"""Given a line the script printed, the text to write to its stdin, or None."""


def _tool(name: str, needed_for: str) -> str:
    path = shutil.which(name)
    if path is None:
        reason = f"`{name}` is not installed (Node.js 20+ runs {needed_for})"
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)
    return path


def _versions(lock: Path) -> dict[str, str | None]:
    packages: dict[str, dict[str, Any]] = json.loads(lock.read_text())["packages"]
    return {path: entry.get("version") for path, entry in packages.items() if path}


def _installed(folder: Path) -> bool:
    """node_modules holds exactly what package-lock.json locks (npm records what it installed
    in node_modules/.package-lock.json)."""
    installed = folder / "node_modules" / ".package-lock.json"
    return installed.exists() and _versions(installed) == _versions(folder / "package-lock.json")


def node_with_packages(folder: Path, needed_for: str) -> str:
    """The `node` binary, with `folder`'s packages installed from its committed lock file;
    skips (fails in CI) when Node is missing."""
    node = _tool("node", needed_for)
    if not _installed(folder):
        npm = _tool("npm", needed_for)
        installed = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert installed.returncode == 0, installed.stdout + installed.stderr
        assert _installed(folder)
    return node


async def run_script(
    node: str, script: str, *, cwd: Path, env: Mapping[str, str], answer: Answer
) -> tuple[int, list[dict[str, Any]], str]:
    """Run `script`, answering its lines through `answer`: the exit code, the JSON lines
    printed, and stderr."""
    process = await asyncio.create_subprocess_exec(
        node,
        script,
        cwd=cwd,
        env=dict(env),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert process.stdin and process.stdout and process.stderr
    lines: list[dict[str, Any]] = []

    async def read() -> None:
        assert process.stdin and process.stdout
        async for raw in process.stdout:
            line = json.loads(raw)
            lines.append(line)
            reply = await answer(line)
            if reply is not None:
                process.stdin.write(f"{reply}\n".encode())
                await process.stdin.drain()
        process.stdin.close()

    try:
        _, errors = await asyncio.wait_for(
            asyncio.gather(read(), process.stderr.read()), NODE_TIMEOUT_SECONDS
        )
        code = await asyncio.wait_for(process.wait(), NODE_TIMEOUT_SECONDS)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    return code, lines, errors.decode()

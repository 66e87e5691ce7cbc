"""A small HTTP/1.1 keep-alive load generator on raw asyncio sockets (uvloop).

Each connection sends one request at a time and reads the full response (Content-Length),
recording its latency. Bounded by a duration; targets only the loopback address.
"""

from __future__ import annotations

import asyncio
import itertools
import statistics
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class LoadResult:
    requests: int
    errors: int
    seconds: float
    p50_ms: float
    p99_ms: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds


async def _connection(
    port: int, requests: itertools.cycle[bytes], deadline: float, latencies: list[float],
    errors: list[int],
) -> None:  # fmt: skip
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            writer.write(next(requests))
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head[9:12])
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            await reader.readexactly(length)
            if status != 200:
                errors.append(status)
            else:
                latencies.append(time.perf_counter() - started)
    finally:
        writer.close()


async def run(
    port: int, raw_requests: list[bytes], *, connections: int, seconds: float, warmup: float
) -> LoadResult:
    requests = itertools.cycle(raw_requests)
    warm: list[float] = []
    await asyncio.gather(
        *(_connection(port, requests, time.perf_counter() + warmup, warm, [])
          for _ in range(connections))
    )  # fmt: skip
    latencies: list[float] = []
    errors: list[int] = []
    started = time.perf_counter()
    await asyncio.gather(
        *(_connection(port, requests, started + seconds, latencies, errors)
          for _ in range(connections))
    )  # fmt: skip
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies) or [0.0]
    return LoadResult(
        requests=len(latencies),
        errors=len(errors),
        seconds=elapsed,
        p50_ms=statistics.median(ordered) * 1000,
        p99_ms=ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000,
    )


def request_bytes(path: str, headers: dict[str, str]) -> bytes:
    lines = [f"GET {path} HTTP/1.1", "Host: 127.0.0.1"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()

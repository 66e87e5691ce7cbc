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
    latencies: list[float]
    errors: int
    seconds: float

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    def percentile_ms(self, fraction: float) -> float:
        ordered = sorted(self.latencies) or [0.0]
        return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] * 1000

    @property
    def p50_ms(self) -> float:
        return statistics.median(self.latencies or [0.0]) * 1000

    @property
    def p99_ms(self) -> float:
        return self.percentile_ms(0.99)

    def __add__(self, other: LoadResult) -> LoadResult:
        return LoadResult(
            self.latencies + other.latencies,
            self.errors + other.errors,
            self.seconds + other.seconds,
        )


async def _connection(
    port: int,
    requests: itertools.cycle[bytes],
    deadline: float,
    latencies: list[float],
    errors: list[int],
) -> None:
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
        *(
            _connection(port, requests, time.perf_counter() + warmup, warm, [])
            for _ in range(connections)
        )
    )
    latencies: list[float] = []
    errors: list[int] = []
    started = time.perf_counter()
    await asyncio.gather(
        *(
            _connection(port, requests, started + seconds, latencies, errors)
            for _ in range(connections)
        )
    )
    return LoadResult(latencies, len(errors), time.perf_counter() - started)


def request_bytes(path: str, headers: dict[str, str]) -> bytes:
    lines = [f"GET {path} HTTP/1.1", "Host: 127.0.0.1"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()

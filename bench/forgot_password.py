"""`make bench-forgot`: does POST /glue/customer-forgotten-password answer a known address as
fast as an unknown one? Requests alternate between the two kinds, one at a time, against a
real server on the benchmark database; the report gives the ratio of their medians.

Settings as for `make bench` (the database is shared); BENCH_FORGOT_REQUESTS per kind
(default 300).
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import statistics
import time
from datetime import UTC, datetime

import asyncpg
import httpx

from bench.run import RESULTS, _database_url, _prepare, _start, _wait

PORT = 18002
PAUSE_SECONDS = 0.02


async def _known_emails(dsn: str, count: int) -> list[str]:
    connection = await asyncpg.connect(dsn)
    try:
        rows = await connection.fetch(
            "SELECT email FROM customers WHERE has_account ORDER BY random() LIMIT $1", count
        )
    finally:
        await connection.close()
    return [row["email"] for row in rows]


def _timed_post(client: httpx.Client, email: str) -> float:
    body = {"data": {"type": "customer-forgotten-password", "attributes": {"email": email}}}
    started = time.perf_counter()
    response = client.post("/glue/customer-forgotten-password", json=body)
    elapsed = time.perf_counter() - started
    if response.status_code != 204:
        raise RuntimeError(f"{response.status_code}: {response.text}")
    # Let the work behind a known address finish, so it does not slow the next request.
    time.sleep(PAUSE_SECONDS)
    return elapsed * 1000


def main() -> None:
    count = int(os.environ.get("BENCH_FORGOT_REQUESTS", "300"))
    dsn = asyncio.run(_prepare(_database_url(), int(os.environ.get("BENCH_CUSTOMERS", "100000"))))
    known = asyncio.run(_known_emails(dsn, count))
    unknown = [f"nobody-{secrets.token_hex(6)}@example.com" for _ in known]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PATRON_")}
    env.update(PATRON_DATABASE_URL=dsn)
    server = _start("patron.app:app_from_environment", PORT, 1, env)
    timings: dict[str, list[float]] = {"known": [], "unknown": []}
    try:
        _wait(PORT, "/health")
        headers = {"Accept": "application/vnd.api+json"}
        with httpx.Client(base_url=f"http://127.0.0.1:{PORT}", headers=headers) as client:
            for _ in range(20):  # warm-up
                _timed_post(client, unknown[0])
            for known_email, unknown_email in zip(known, unknown, strict=True):
                timings["known"].append(_timed_post(client, known_email))
                timings["unknown"].append(_timed_post(client, unknown_email))
    finally:
        server.terminate()
        server.wait(timeout=30)

    medians = {kind: statistics.median(values) for kind, values in timings.items()}
    ratio = medians["known"] / medians["unknown"]
    report = {
        "benchmark": "POST /glue/customer-forgotten-password, known vs unknown address",
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "requests_per_kind": count,
        "median_ms": {kind: round(value, 3) for kind, value in medians.items()},
        "p90_ms": {
            kind: round(statistics.quantiles(values, n=10)[-1], 3)
            for kind, values in timings.items()
        },
        "ratio_known_to_unknown": round(ratio, 3),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    (RESULTS / f"glue-forgotten-password-{stamp}.json").write_text(
        json.dumps(report, indent=2) + "\n"
    )
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()

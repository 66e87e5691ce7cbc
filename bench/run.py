"""`make bench`: GET /glue/customers/{ref} with valid tokens over 100,000 customers, then
Medusa's admin read and list (bench/medusa.py), then Aimeos' logged-in customer read
(bench/aimeos.py), then Emporix' customer list with `q` (bench/emporix.py), each next to a
bare Starlette + asyncpg baseline doing the same queries, all measured in this run on the
same database, with the same number of granian workers.

Settings: PATRON_BENCH_DATABASE_URL (else PATRON_DATABASE_URL, else the embedded server),
PATRON_WORKERS (default 1), BENCH_SECONDS (per target, default 20), BENCH_ROUNDS (default 4:
the targets alternate, each round measuring both), BENCH_CONNECTIONS (default 32),
BENCH_CUSTOMERS (default 100000), BENCH_ONLY (`glue`, `medusa`, `aimeos` or `emporix`: one
benchmark only).
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import secrets
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import httpx
import uvloop

from bench import aimeos, emporix, medusa
from bench.load import LoadResult, request_bytes, run
from patron.core.domain.model import CUSTOMER_SCOPE
from patron.dialects.glue.tokens import spryker_claims
from patron.security.codec import JwtCodec
from patron.settings import Settings
from patron.storage.customers import COLUMNS, row_to_customer
from patron.storage.migrate import migrate

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
BENCH_DATABASE = "patron_bench"
TOKENS = 1000


def _database_url() -> str:
    base = os.environ.get("PATRON_BENCH_DATABASE_URL") or os.environ.get("PATRON_DATABASE_URL")
    if base is None:
        from patron.storage.embedded import start_embedded

        return start_embedded(ROOT / "var" / "bench-pg")
    return base


async def _prepare(server_dsn: str, customers: int) -> str:
    """A database of its own with `customers` registered customers in the default tenant."""
    admin = await asyncpg.connect(server_dsn)
    try:
        if not await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", BENCH_DATABASE):
            await admin.execute(f'CREATE DATABASE "{BENCH_DATABASE}"')
    finally:
        await admin.close()
    dsn = _swap_database(server_dsn, BENCH_DATABASE)
    await migrate(dsn)
    connection = await asyncpg.connect(dsn)
    try:
        have = await connection.fetchval("SELECT count(*) FROM customers")
        if have < customers:
            await connection.execute(
                """
                INSERT INTO customers (uuid, tenant_id, customer_number, email, password_hash,
                    salutation, first_name, last_name, gender, email_verified_at,
                    terms_accepted_at, created_at, updated_at)
                SELECT gen_random_uuid(), 1, 'DE--' || n, 'user' || n || '@bench.example',
                    'not-a-usable-hash', 'Ms', 'First' || n, 'Last' || n, 'Female',
                    now(), now(), now(), now()
                FROM generate_series($1::bigint, $2::bigint) AS n
                """,
                have + 1,
                customers,
            )
            await connection.execute(
                "UPDATE tenants SET next_customer_number = $1 WHERE id = 1", customers + 1
            )
        if await connection.fetchval(
            "SELECT 1 FROM customers WHERE first_name LIKE 'First%' LIMIT 1"
        ):
            await _name(connection)
        # As autovacuum leaves a table: rows' visibility known (counts can be index-only
        # scans) and fresh statistics. Quick when nothing changed since the last run.
        await connection.execute("VACUUM ANALYZE customers")
    finally:
        await connection.close()
    return dsn


FIRST_NAMES = (
    "Sophie", "Mateo", "Aiko", "Lukas", "Emma", "Noah", "Olivia", "Liam", "Mia", "Jonas",
    "Hannah", "Elias", "Lea", "Amara", "Anna", "Felix", "Marie", "Paul", "Lena", "Leon",
    "Clara", "Finn", "Ida", "Emil", "Nora", "Oskar", "Zoe", "Anton", "Greta", "Theo",
    "Ella", "Karl",
)  # fmt: skip
LAST_NAMES = (
    "Schmidt", "Müller", "Nguyen", "García", "Kowalski", "Rossi", "Yilmaz", "Johansson",
    "Smith", "Jones", "Brown", "Dubois", "Martin", "Bernard", "Fischer", "Weber", "Meyer",
    "Wagner", "Becker", "Hoffmann", "Schulz", "Koch", "Richter", "Klein", "Wolf", "Neumann",
    "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Werner",
    "Krause", "Lehmann", "Köhler", "Maier", "Herrmann", "König", "Walter", "Peters", "Kaiser",
    "Fuchs", "Lang", "Weiß", "Jung", "Hahn",
)  # fmt: skip


async def _name(connection: asyncpg.Connection) -> None:
    """Real-looking names (1,536 first/last pairs, so a surname matches about one customer
    in 48) and sign-up times a minute apart, so the back office's `q` and sort have a
    realistic spread to work on. The Glue read does not look at either."""
    await connection.execute(
        """
        UPDATE customers SET first_name = ($1::text[])[1 + n % $3],
            last_name = ($2::text[])[1 + (n / $3) % $4],
            created_at = now() - make_interval(mins => ($5 - n)::int),
            updated_at = now() - make_interval(mins => ($5 - n)::int)
        FROM (SELECT id AS named, substring(customer_number FROM 5)::bigint AS n
              FROM customers WHERE customer_number LIKE 'DE--%') AS numbered
        WHERE id = named AND first_name LIKE 'First%'
        """,
        list(FIRST_NAMES),
        list(LAST_NAMES),
        len(FIRST_NAMES),
        len(LAST_NAMES),
        await connection.fetchval("SELECT count(*) FROM customers"),
    )


def _swap_database(dsn: str, database: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    return urlunsplit(urlsplit(dsn)._replace(path=f"/{database}"))


async def _tokens(dsn: str, secret: bytes, customers: int) -> list[tuple[str, str]]:
    """(reference, bearer token) for a random sample of customers, each logged in: a
    session (refresh-token family) per customer, as a login leaves it, so every request
    pays for the check that the session is still open."""
    codec = JwtCodec(secret=secret, access_ttl_seconds=3600)
    picks = random.sample(range(1, customers + 1), min(TOKENS, customers))
    now = datetime.now(UTC)
    connection = await asyncpg.connect(dsn)
    try:
        rows = await connection.fetch(
            f"SELECT {COLUMNS} FROM customers WHERE tenant_id = 1 AND customer_number = ANY($1)",
            [f"DE--{n}" for n in picks],
        )
        sessions = {row["id"]: uuid.uuid4() for row in rows}
        await connection.execute("DELETE FROM refresh_tokens")
        await connection.executemany(
            "INSERT INTO refresh_tokens (customer_id, family_id, token_hash, expires_at, "
            "created_at) VALUES ($1, $2, $3, $4::timestamptz + interval '30 days', $4)",
            [(cid, sid, codec.new_opaque()[1], now) for cid, sid in sessions.items()],
        )
    finally:
        await connection.close()
    return [
        (
            row["customer_number"],
            codec.issue_access(
                row_to_customer(row),
                now,
                session_id=sessions[row["id"]],
                scopes=(CUSTOMER_SCOPE,),
                vendor_claims=spryker_claims(row_to_customer(row)),
            )[0],
        )
        for row in rows
    ]


def _start(target: str, port: int, workers: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    command = [
        sys.executable, "-m", "granian", "--interface", "asgi", "--factory", "--loop", "uvloop",
        "--workers", str(workers), "--host", "127.0.0.1", "--port", str(port), "--no-log",
        target,
    ]  # fmt: skip
    return subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)


def _wait(port: int, path: str) -> None:
    for _ in range(150):
        try:
            httpx.get(f"http://127.0.0.1:{port}{path}", timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing answers on port {port}")


def _measure(port: int, requests: list[bytes], seconds: float, connections: int) -> LoadResult:
    return uvloop.run(run(port, requests, connections=connections, seconds=seconds, warmup=1))


def compare(
    targets: dict[str, tuple[int, list[bytes]]], seconds: float, rounds: int, connections: int
) -> dict[str, LoadResult]:
    """Each target's load result. They alternate in rounds, so a drift of the machine's
    speed hits both alike."""
    results: dict[str, LoadResult] = {}
    for round_ in range(rounds):
        order = list(targets) if round_ % 2 == 0 else list(reversed(targets))
        for name in order:
            port, requests = targets[name]
            measured = _measure(port, requests, seconds / rounds, connections)
            results[name] = results[name] + measured if name in results else measured
    return results


def summary(results: dict[str, LoadResult]) -> dict[str, dict[str, float | int]]:
    return {
        name: {
            "requests_per_second": round(r.rps, 1),
            "p50_ms": round(r.p50_ms, 2),
            "p99_ms": round(r.p99_ms, 2),
            "requests": r.requests,
            "errors": r.errors,
        }
        for name, r in results.items()
    }


def write_report(prefix: str, report: dict[str, object]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS / f"{prefix}-{stamp}.json"
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    return path


def print_table(title: str, results: dict[str, LoadResult]) -> None:
    print(title)
    print(f"{'target':<10}{'req/s':>12}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}")
    for name, r in results.items():
        print(f"{name:<10}{r.rps:>12.1f}{r.p50_ms:>10.2f}{r.p99_ms:>10.2f}{r.errors:>8}")


BASELINE_PORT = 18000
PATRON_PORT = 18001


def main() -> None:
    customers = int(os.environ.get("BENCH_CUSTOMERS", "100000"))
    seconds = float(os.environ.get("BENCH_SECONDS", "20"))
    connections = int(os.environ.get("BENCH_CONNECTIONS", "32"))
    rounds = int(os.environ.get("BENCH_ROUNDS", "4"))
    only = os.environ.get("BENCH_ONLY")
    workers = Settings().workers
    server_dsn = _database_url()
    dsn = asyncio.run(_prepare(server_dsn, customers))
    # The key reaches the server through the environment, so it is printable text.
    secret = secrets.token_urlsafe(48)
    pairs = asyncio.run(_tokens(dsn, secret.encode(), customers))
    asyncio.run(medusa.ensure_admin(dsn))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PATRON_")}
    env.update(PATRON_DATABASE_URL=dsn, PATRON_JWT_SECRET=secret, BENCH_DATABASE_URL=dsn)
    setup: dict[str, object] = {
        "customers": customers,
        "workers": workers,
        "connections": connections,
        "seconds": seconds,
        "rounds": rounds,
        "cpus": os.cpu_count(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }

    servers = [
        _start("bench.baseline:app", BASELINE_PORT, workers, env),
        _start("patron.app:app_from_environment", PATRON_PORT, workers, env),
    ]
    try:
        _wait(BASELINE_PORT, "/customers/DE--1")
        _wait(PATRON_PORT, "/health")
        if only in (None, "glue"):
            _glue(pairs, setup, seconds, rounds, connections)
        if only in (None, "medusa"):
            _medusa(dsn, setup, customers, seconds, rounds, connections)
        if only in (None, "aimeos"):
            _aimeos(dsn, setup, customers, seconds, rounds, connections)
        if only in (None, "emporix"):
            _emporix(dsn, setup, customers, seconds, rounds, connections)
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)


def _glue(
    pairs: list[tuple[str, str]],
    setup: dict[str, object],
    seconds: float,
    rounds: int,
    connections: int,
) -> None:
    accept = {"Accept": "application/vnd.api+json"}
    patron_requests = [
        request_bytes(f"/glue/customers/{ref}", {**accept, "Authorization": f"Bearer {token}"})
        for ref, token in pairs
    ]
    baseline_requests = [request_bytes(f"/customers/{ref}", accept) for ref, _ in pairs]
    title = "GET /glue/customers/{ref}"
    _pair(
        title,
        "glue-customer-read",
        patron_requests,
        baseline_requests,
        setup,
        seconds,
        rounds,
        connections,
    )


def _pair(
    title: str,
    report_name: str,
    patron_requests: list[bytes],
    baseline_requests: list[bytes],
    setup: dict[str, object],
    seconds: float,
    rounds: int,
    connections: int,
) -> None:
    """One request of Patron's against the baseline's: measured, printed and reported."""
    targets = {
        "baseline": (BASELINE_PORT, baseline_requests),
        "patron": (PATRON_PORT, patron_requests),
    }
    results = compare(targets, seconds, rounds, connections)
    ratio = results["patron"].rps / results["baseline"].rps
    report = {
        "benchmark": title,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        **setup,
        "results": summary(results),
        "ratio_to_baseline": round(ratio, 3),
    }
    write_report(report_name, report)
    print_table(title, results)
    print(f"ratio patron/baseline: {ratio:.3f}  (target >= 0.5)")


def _medusa(
    dsn: str,
    setup: dict[str, object],
    customers: int,
    seconds: float,
    rounds: int,
    connections: int,
) -> None:
    token = medusa.admin_jwt(PATRON_PORT)
    ids = medusa.customer_ids(PATRON_PORT, token, customers)
    plan = medusa.scenarios(ids, token, customers)
    medusa.check_same_answers(PATRON_PORT, BASELINE_PORT, token, plan)
    scenarios: dict[str, object] = {}
    for name, (title, patron_requests, baseline_requests) in plan.items():
        targets = {
            "baseline": (BASELINE_PORT, baseline_requests),
            "patron": (PATRON_PORT, patron_requests),
        }
        results = compare(targets, seconds, rounds, connections)
        ratio = results["patron"].rps / results["baseline"].rps
        scenarios[name] = {
            "request": title,
            "results": summary(results),
            "ratio_to_baseline": round(ratio, 3),
        }
        print_table(title, results)
        print(f"ratio patron/baseline: {ratio:.3f}  (target >= 0.5)")
    # `q` one request at a time: its own latency, not the queue's.
    _, q_patron, q_baseline = plan["q"]
    latency = compare(
        {"baseline": (BASELINE_PORT, q_baseline), "patron": (PATRON_PORT, q_patron)},
        seconds,
        rounds,
        1,
    )
    print_table("q, one connection", latency)
    explain = medusa.run_explain(dsn)
    report = {
        "benchmark": "Medusa admin read and list with an admin Bearer JWT",
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        **setup,
        "q_values": list(medusa.QUERIES),
        "scenarios": scenarios,
        "q_latency_one_connection": summary(latency),
        "q_explain": explain,
    }
    write_report("medusa-admin", report)
    for plan_of_q in explain:
        print(
            f"q={plan_of_q['q']!r}: {plan_of_q['matches']} matches, indexes "
            f"{', '.join(plan_of_q['indexes'])}, {plan_of_q['execution_ms']} ms"
        )


def _aimeos(
    dsn: str,
    setup: dict[str, object],
    customers: int,
    seconds: float,
    rounds: int,
    connections: int,
) -> None:
    pairs = aimeos.sessions(dsn, customers)
    aimeos.check_same_answers(PATRON_PORT, BASELINE_PORT, pairs)
    title, patron_requests, baseline_requests = aimeos.scenario(pairs)
    _pair(
        title,
        "aimeos-customer-read",
        patron_requests,
        baseline_requests,
        setup,
        seconds,
        rounds,
        connections,
    )


def _emporix(
    dsn: str,
    setup: dict[str, object],
    customers: int,
    seconds: float,
    rounds: int,
    connections: int,
) -> None:
    token = emporix.service_token(dsn, PATRON_PORT)
    plan = emporix.queries(dsn, customers)
    emporix.check_same_answers(PATRON_PORT, BASELINE_PORT, token, plan)
    explained = emporix.run_explain(dsn, plan)
    for name, (title, patron_requests, baseline_requests) in emporix.scenarios(plan, token).items():
        _pair(
            title,
            f"emporix-list-{name}",
            patron_requests,
            baseline_requests,
            {**setup, "explain": explained[name]},
            seconds,
            rounds,
            connections,
        )
    for plan_of_q in explained.values():
        print(
            f"q={plan_of_q['q']!r}: {plan_of_q['matches']} matches, indexes "
            f"{', '.join(plan_of_q['indexes']) or 'none'} ({', '.join(plan_of_q['scans'])}), "
            f"{plan_of_q['execution_ms']} ms"
        )


if __name__ == "__main__":
    main()

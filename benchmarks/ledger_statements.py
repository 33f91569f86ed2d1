"""CPU and wall time of each database statement a saved-card payment runs, in process, one after another.

    .venv/bin/python benchmarks/ledger_statements.py [--databases sqlite,postgresql] [--count 2000]

A payment reads the saved card with its owner (`CardRepository.get_owned`) and writes its ledger row three times
(`PaymentLedger.begin`, `mark_sent`, `complete`). Each is timed here over `--count` fresh rows, with
`time.process_time` (this process's CPU: PostgreSQL's own work is not in it) and the wall clock. For comparison,
the same UPDATE as `mark_sent` sent straight through psycopg's connection, and a bare `SELECT 1` (PostgreSQL only):
the least any statement costs from Python.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from pydantic import SecretStr

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.support import postgres_database, table

from robotpayment_app.store.crypto import SecretBox, generate_key
from robotpayment_app.store.database import create_engine_from_url, create_session_factory
from robotpayment_app.store.migrations import upgrade_to_head
from robotpayment_app.store.records import CardDetails, LedgerIntent, LedgerKind, LedgerStatus
from robotpayment_app.store.repositories import Store

ANSWER = {"result": "CHARGE_SUCCESS", "amount": 3500, "pspReference": "1095729", "data": None}


async def _timed(count: int, step: Callable[[int], Awaitable[object]]) -> tuple[float, float]:
    """(CPU ms, wall ms) per call of `step(0 … count-1)`."""
    cpu, wall = time.process_time(), time.perf_counter()
    for number in range(count):
        await step(number)
    return (time.process_time() - cpu) / count * 1000, (time.perf_counter() - wall) / count * 1000


async def _measure(database_url: str, count: int) -> list[tuple[str, float, float]]:
    upgrade_to_head(database_url)
    engine = create_engine_from_url(database_url)
    store = Store.create(create_session_factory(engine), SecretBox.from_secret(SecretStr(generate_key())))
    try:
        installation = await store.installations.upsert(
            saleor_api_url="https://bench.example.com/graphql/",
            domain="bench.example.com",
            app_id="QXBwOjE=",
            app_token=SecretStr("bench-app-token"),
            jwks={"keys": []},
        )
        customer = await store.customers.create(
            installation_id=installation.id,
            store_id="000000",
            saleor_user_id="VXNlcjox",
            gateway_customer_id="bench-user",
            gateway_key=SecretStr("k" * 16),
            email="bench@example.com",
        )
        card = await store.cards.add(customer.id, 1, CardDetails(masked_number="************1111", brand="VISA"))
        ledger = store.ledger
        ids: list[int] = []

        def intent(number: int) -> LedgerIntent:
            return LedgerIntent(
                kind=LedgerKind.PAYMENT,
                saleor_transaction_id=f"T{number}",
                shop_order_code=f"o{number}",
                amount=3500,
                currency="JPY",
                job_type="CAPTURE",
                customer_id=customer.id,
                card_id=card.id,
            )

        async def begin(number: int) -> None:
            ids.append((await ledger.begin(installation.id, f"initialize:{number}", "fp", intent(number))).entry.id)

        async def complete(number: int) -> None:
            await ledger.complete(ids[number], status=LedgerStatus.SUCCEEDED, psp_reference="1", saleor_response=ANSWER)

        async def get_owned(_number: int) -> None:
            await store.cards.get_owned(
                installation_id=installation.id, store_id="000000", saleor_user_id="VXNlcjox", public_id=card.public_id
            )

        for warm in range(50):  # connections, prepared statements
            await ledger.begin(installation.id, f"warm:{warm}", "fp", intent(-warm))
            await get_owned(warm)
        rows = [
            ("get_owned (card + owner)", *await _timed(count, get_owned)),
            ("ledger begin (INSERT … ON CONFLICT)", *await _timed(count, begin)),
            ("ledger mark_sent (UPDATE)", *await _timed(count, lambda number: ledger.mark_sent(ids[number]))),
            ("ledger complete (UPDATE)", *await _timed(count, complete)),
        ]
        if engine.dialect.name == "postgresql":
            async with engine.connect() as connection:
                driver = (await connection.get_raw_connection()).driver_connection
                assert driver is not None
                await driver.set_autocommit(True)

                async def bare_update(number: int) -> None:
                    cursor = await driver.execute(
                        "UPDATE payments SET updated_at = now() WHERE id = %(id)s RETURNING id", {"id": ids[number]}
                    )
                    await cursor.fetchall()

                async def select_one(_number: int) -> None:
                    await (await driver.execute("SELECT 1")).fetchall()

                rows.append(("bare UPDATE on psycopg's connection", *await _timed(count, bare_update)))
                rows.append(("bare SELECT 1 on psycopg's connection", *await _timed(count, select_one)))
                await driver.set_autocommit(False)
        return rows
    finally:
        await engine.dispose()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--count", type=int, default=2000)
    args = parser.parse_args(argv)
    for backend in [name.strip() for name in args.databases.split(",") if name.strip()]:
        if backend == "sqlite":
            with tempfile.TemporaryDirectory(prefix="rp-statements-") as folder:
                rows = asyncio.run(_measure(f"sqlite:///{folder}/bench.sqlite3", args.count))
        elif backend == "postgresql":
            with postgres_database("postgresql://127.0.0.1:5432/") as url:
                rows = asyncio.run(_measure(url, args.count))
        else:
            parser.error("--databases: sqlite, postgresql")
        print(f"\n{backend}: per statement, {args.count} calls each, one after another")
        figures = [[name, f"{cpu:.3f}", f"{wall:.3f}"] for name, cpu, wall in rows]
        print(table(["statement", "CPU ms", "wall ms"], figures))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

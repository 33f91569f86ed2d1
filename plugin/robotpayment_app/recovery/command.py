"""`robotpayment-app recover`: rebuild gateway customers and saved cards after the app's database was lost."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    import httpx

    from robotpayment_app.recovery.rebuild import RecoveryOptions
    from robotpayment_app.settings import AppSettings

    SubParsers = argparse._SubParsersAction[argparse.ArgumentParser]


def add_command(subparsers: SubParsers) -> None:
    parser = subparsers.add_parser(
        "recover",
        help="rebuild gateway customers and saved cards from Saleor and the gateway",
        description="For each installation (or the one given), read every Saleor customer's private metadata, "
        "find their ROBOT PAYMENT customer (the uid kept there, or derived from the user id; its key from the "
        "customer read) and read their cards one by one. Restores what the app lost; keeps what it has. "
        "Needs the app's database settings and encryption key, as `serve` does.",
    )
    parser.add_argument("--saleor-api-url", help="only this installation (default: every installation)")
    parser.add_argument(
        "--gateway-base-url",
        help="gateway for store ids no channel configuration names any more (e.g. after the whole database "
        "was lost): https://credit.j-payment.co.jp/gateway/",
    )
    parser.add_argument(
        "--store-id", action="append", default=[], help="a store id (aid) to check besides those found (repeatable)"
    )
    parser.add_argument(
        "--metadata-only",
        action="store_true",
        help="only users whose private metadata names a uid (default: also try the derived uid of every user)",
    )
    parser.add_argument(
        "--max-card-gap", type=int, default=5, help="stop reading card numbers after this many unknown in a row"
    )
    parser.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    from robotpayment_app.flows.customers import CardScanLimits
    from robotpayment_app.recovery.rebuild import RecoveryOptions
    from robotpayment_app.settings import SettingsError, load_settings

    try:
        settings = load_settings()
        options = RecoveryOptions(
            gateway_base_url=args.gateway_base_url,
            store_ids=tuple(args.store_id),
            derive_uids=not args.metadata_only,
            scan=CardScanLimits(max_gap=args.max_card_gap),
        )
    except (SettingsError, ValueError) as error:
        print(f"recover: {error}", file=sys.stderr)
        return 2
    return asyncio.run(run_recovery(settings, options, saleor_api_url=args.saleor_api_url))


async def run_recovery(
    settings: AppSettings,
    options: RecoveryOptions,
    *,
    saleor_api_url: str | None = None,
    saleor_transport: httpx.AsyncBaseTransport | None = None,
    gateway_transport: httpx.AsyncBaseTransport | None = None,
    out: TextIO | None = None,
) -> int:
    """Recover every installation (or one); prints one line each. 0: done, 1: problems, 2: nothing to do."""
    from robotpayment_app.recovery.rebuild import recover_installation
    from robotpayment_app.saleor.graphql_client import SaleorApiError
    from robotpayment_app.web.services import open_services

    stream = out or sys.stdout
    async with open_services(
        settings, saleor_transport=saleor_transport, gateway_transport=gateway_transport
    ) as services:
        installations = await services.store.installations.list_all()
        if saleor_api_url is not None:
            installations = [item for item in installations if item.saleor_api_url == saleor_api_url]
        if not installations:
            print(f"recover: no installation{' for ' + saleor_api_url if saleor_api_url else ''}", file=stream)
            return 2
        status = 0
        for installation in installations:
            try:
                report = await recover_installation(services, installation, options)
            except SaleorApiError as error:
                print(f"{installation.saleor_api_url}: cannot list Saleor customers: {error}", file=stream)
                status = 1
                continue
            print(f"{installation.saleor_api_url}: {report.summary()}", file=stream)
            for problem in report.problems:
                print(f"  problem: {problem}", file=stream)
            if report.problems:
                status = 1
        return status

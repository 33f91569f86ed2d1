"""`robotpayment-app payments list | resolve`: the payments a person has to settle, from a shell.

Runs with the same settings as `serve` (database, encryption key; the demo's database too, with the variables
the demo prints), beside running app processes: it changes the ledger only through the same conditional
updates they use, and tells Saleor itself (a report Saleor refuses now is retried by the app's watch).
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import sys
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    import httpx

    from robotpayment_app.settings import AppSettings
    from robotpayment_app.store.records import Installation, LedgerEntry, PaymentResolution
    from robotpayment_app.web.services import AppServices, Clock

    SubParsers = argparse._SubParsersAction[argparse.ArgumentParser]

DEFAULT_LIST_LENGTH = 50
EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2


def add_command(subparsers: SubParsers) -> None:
    parser = subparsers.add_parser(
        "payments",
        help="list payments and settle those whose outcome is unknown",
        description="The app's payment ledger. A payment, capture, cancel or refund whose answer never came "
        "(and that no result notification settled), or one frozen by disagreeing notifications, waits for a "
        "person: look it up in the ROBOT PAYMENT control panel, then record what you found with `resolve`. "
        "Needs the app's database settings and encryption key, as `serve` does.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    listing = actions.add_parser("list", help="recent payments, or (--unresolved) those waiting for a person")
    listing.add_argument("--unresolved", action="store_true", help="only calls without an outcome or in conflict")
    listing.add_argument("--saleor-api-url", help="only this installation (default: every installation)")
    listing.add_argument("--limit", type=int, default=DEFAULT_LIST_LENGTH, help="at most this many per installation")
    listing.add_argument("--json", action="store_true", help="one JSON document instead of text")
    listing.set_defaults(run=_run_list)

    resolving = actions.add_parser(
        "resolve",
        help="record what the control panel shows about an unresolved call, and tell Saleor",
        description="PAYMENT is the app's payment id (as `payments list` shows it) or the Saleor transaction id. "
        "--charged GID: it went through, with the gateway's payment number (決済番号; for a capture, cancel "
        "or refund: the number of the payment it is for). --not-charged: it did not.",
    )
    resolving.add_argument("payment", metavar="PAYMENT")
    decision = resolving.add_mutually_exclusive_group(required=True)
    decision.add_argument("--charged", metavar="GID", help="it went through, as this payment number")
    decision.add_argument("--not-charged", action="store_true", help="it did not go through")
    resolving.add_argument("--reason", required=True, help="what you found, and where (kept with the decision)")
    resolving.add_argument("--by", help="who decides (default: the login name running the command)")
    resolving.add_argument("--saleor-api-url", help="the installation, when several have this transaction")
    resolving.set_defaults(run=_run_resolve)


def _settings_or_exit(command: str) -> AppSettings | None:
    from robotpayment_app.settings import SettingsError, load_settings

    try:
        return load_settings()
    except SettingsError as error:
        print(f"payments {command}: {error}", file=sys.stderr)
        return None


def _completed_or_exit(command: str, work: Coroutine[Any, Any, int]) -> int:
    from robotpayment_app.settings import SettingsError

    try:
        return asyncio.run(work)
    except SettingsError as error:  # found while opening the database (a SQLite file missing or not a database)
        print(f"payments {command}: {error}", file=sys.stderr)
        return EXIT_USAGE


def _run_list(args: argparse.Namespace) -> int:
    settings = _settings_or_exit("list")
    if settings is None:
        return EXIT_USAGE
    if not 1 <= args.limit <= 1000:
        print("payments list: --limit must be between 1 and 1000", file=sys.stderr)
        return EXIT_USAGE
    return _completed_or_exit(
        "list",
        list_payments(
            settings,
            unresolved=args.unresolved,
            saleor_api_url=args.saleor_api_url,
            limit=args.limit,
            as_json=args.json,
        ),
    )


def _run_resolve(args: argparse.Namespace) -> int:
    settings = _settings_or_exit("resolve")
    if settings is None:
        return EXIT_USAGE
    return _completed_or_exit(
        "resolve",
        resolve_from_shell(
            settings,
            args.payment,
            gid=args.charged,
            charged=args.charged is not None,
            reason=args.reason,
            resolved_by=args.by or _login_name(),
            saleor_api_url=args.saleor_api_url,
        ),
    )


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (a container's random uid)
        return "an operator (no login name)"


def _offline_services(settings: AppSettings) -> AppSettings:
    # a shell command never changes the schema under running processes, nor listens for card-list changes
    return settings.model_copy(update={"apply_migrations_on_start": False, "card_list_cache": False})


async def _installations(services: AppServices, saleor_api_url: str | None) -> list[Installation]:
    installations = await services.store.installations.list_all()
    if saleor_api_url is not None:
        installations = [item for item in installations if item.saleor_api_url == saleor_api_url]
    return installations


# ---- list ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Listed:
    installation: Installation
    entry: LedgerEntry
    resolution: PaymentResolution | None
    card: str | None
    notifications: int


async def list_payments(
    settings: AppSettings,
    *,
    unresolved: bool = False,
    saleor_api_url: str | None = None,
    limit: int = DEFAULT_LIST_LENGTH,
    as_json: bool = False,
    out: TextIO | None = None,
    clock: Clock | None = None,
) -> int:
    """Print the ledger (or the calls waiting for a person). 0: listed (even nothing), 2: no installation."""
    from robotpayment_app.web.services import open_services

    stream = out or sys.stdout
    from robotpayment_app.web.services import utc_now

    async with open_services(_offline_services(settings), clock=clock or utc_now) as services:
        installations = await _installations(services, saleor_api_url)
        if not installations:
            print(f"payments list: no installation{' for ' + saleor_api_url if saleor_api_url else ''}", file=stream)
            return EXIT_USAGE
        listed: list[Listed] = []
        for installation in installations:
            listed.extend(await _listed(services, installation, unresolved=unresolved, limit=limit))
        if as_json:
            json.dump([_as_json(services, item) for item in listed], stream, ensure_ascii=False, indent=2)
            stream.write("\n")
        else:
            _print_text(services, listed, unresolved=unresolved, stream=stream)
        return EXIT_OK


async def _listed(services: AppServices, installation: Installation, *, unresolved: bool, limit: int) -> list[Listed]:
    from robotpayment_app.flows.customers import card_display_name

    store = services.store
    if unresolved:
        entries = await store.settlements.needing_attention(installation_id=installation.id, limit=limit)
    else:
        entries = await store.ledger.list_recent(installation.id, limit=limit)
    resolutions = await store.settlements.resolutions_of([entry.id for entry in entries])
    listed = []
    for entry in entries:
        card = await store.cards.get(entry.card_id) if entry.card_id is not None else None
        notifications = await store.kickbacks.for_payment(entry.id)
        listed.append(
            Listed(
                installation=installation,
                entry=entry,
                resolution=resolutions.get(entry.id),
                card=card_display_name(card) if card is not None else None,
                notifications=len(notifications),
            )
        )
    return listed


def _state(services: AppServices, entry: LedgerEntry) -> str:
    """What a person reads first: why the call waits (or how it was settled)."""
    from robotpayment_app.flows.ledger_runs import is_stale
    from robotpayment_app.store.records import LedgerStatus

    now = services.clock()
    if entry.conflict_at is not None and entry.unresolved:
        return "in conflict"
    if entry.status is LedgerStatus.PENDING and not is_stale(entry, now):
        return "in flight"
    if entry.unresolved:
        overdue = now - entry.created_at > services.settlement_policy.alert_after
        return "no outcome (overdue)" if overdue else "no outcome"
    return f"{entry.status.value}" + (f", settled by {entry.settled_by.value}" if entry.settled_by else "")


def _print_text(services: AppServices, listed: list[Listed], *, unresolved: bool, stream: TextIO) -> None:
    from robotpayment_app.flows.resolution import japan_time, lookup_advice

    if not listed:
        print("nothing waits for a person" if unresolved else "no payments yet", file=stream)
        return
    for item in listed:
        entry = item.entry
        amount = f"{entry.amount:,} yen" if entry.amount is not None else "no amount"
        print(
            f"#{entry.id}  {entry.kind.value}  {_state(services, entry)}  {amount}  {japan_time(entry.created_at)}",
            file=stream,
        )
        details = [
            ("transaction", entry.saleor_transaction_id),
            ("order code (cod)", entry.shop_order_code),
            ("gid", entry.psp_reference),
            ("card", item.card),
            ("error", " ".join(part for part in (entry.error_code, entry.failure_reason) if part) or None),
            ("conflict", entry.conflict_reason if entry.unresolved else None),
            ("notifications", str(item.notifications) if item.notifications else None),
            ("saleor", "not told yet (the app retries)" if entry.report_pending else None),
        ]
        if item.resolution is not None:
            resolution = item.resolution
            details.append(
                (
                    "resolved",
                    f"{resolution.decision.value} by {resolution.resolved_by} ({resolution.via.value}), "
                    f"{japan_time(resolution.resolved_at)}: {resolution.reason}",
                )
            )
        if unresolved:
            details.append(("look up", lookup_advice(entry)))
        for label, value in details:
            if value:
                print(f"    {label}: {value}", file=stream)
        if len({listed_item.installation.id for listed_item in listed}) > 1:
            print(f"    saleor api: {item.installation.saleor_api_url}", file=stream)


def _as_json(services: AppServices, item: Listed) -> dict[str, Any]:
    from robotpayment_app.flows.resolution import lookup_advice

    entry = item.entry
    resolution = item.resolution
    return {
        "id": entry.id,
        "saleorApiUrl": item.installation.saleor_api_url,
        "kind": entry.kind.value,
        "status": entry.status.value,
        "state": _state(services, entry),
        "settledBy": entry.settled_by.value if entry.settled_by else None,
        "amount": entry.amount,
        "createdAt": entry.created_at.isoformat(),
        "sentAt": entry.sent_at.isoformat() if entry.sent_at else None,
        "transactionId": entry.saleor_transaction_id,
        "shopOrderCode": entry.shop_order_code,
        "gid": entry.psp_reference,
        "storeId": entry.store_id,
        "card": item.card,
        "errorCode": entry.error_code,
        "failureReason": entry.failure_reason,
        "inConflict": entry.conflict_at is not None and entry.unresolved,
        "conflictReason": entry.conflict_reason,
        "reportPending": entry.report_pending,
        "notifications": item.notifications,
        "lookup": lookup_advice(entry) if entry.unresolved else None,
        "resolution": None
        if resolution is None
        else {
            "decision": resolution.decision.value,
            "gid": resolution.psp_reference,
            "reason": resolution.reason,
            "resolvedBy": resolution.resolved_by,
            "via": resolution.via.value,
            "resolvedAt": resolution.resolved_at.isoformat(),
        },
    }


# ---- resolve -------------------------------------------------------------------------------------------------


class _NotFound(Exception):
    pass


async def _find(
    services: AppServices, reference: str, saleor_api_url: str | None
) -> tuple[Installation, LedgerEntry]:
    """The ledger row PAYMENT names: an app payment id, or the one unresolved call of a Saleor transaction."""
    installations = await _installations(services, saleor_api_url)
    by_id = {installation.id: installation for installation in installations}
    if reference.isascii() and reference.isdigit():
        entry = await services.store.ledger.get(int(reference))
        if entry is not None and entry.installation_id in by_id:
            return by_id[entry.installation_id], entry
        raise _NotFound(f"PAYMENT: no payment has the app id {reference} (see `payments list`)")
    found: list[tuple[Installation, LedgerEntry]] = []
    for installation in installations:
        rows = await services.store.ledger.find_by_transaction(installation.id, reference)
        found.extend((installation, row) for row in rows)
    if not found:
        raise _NotFound(f"PAYMENT: no payment of this app belongs to the Saleor transaction {reference!r}")
    waiting = [item for item in found if item[1].unresolved] or found
    if len(waiting) > 1:
        ids = ", ".join(str(entry.id) for _installation, entry in waiting)
        raise _NotFound(f"PAYMENT: transaction {reference!r} has several calls to settle ({ids}): give the app id")
    return waiting[0]


async def resolve_from_shell(
    settings: AppSettings,
    reference: str,
    *,
    gid: str | None,
    charged: bool,
    reason: str,
    resolved_by: str,
    saleor_api_url: str | None = None,
    saleor_transport: httpx.AsyncBaseTransport | None = None,
    out: TextIO | None = None,
) -> int:
    """Resolve one call; prints what was recorded and what Saleor was told. 0: resolved, 1: refused, 2: not found."""
    from robotpayment_app.flows.context import WebhookContext
    from robotpayment_app.flows.resolution import DONE_WORDS, ResolutionError, resolve_payment
    from robotpayment_app.store.records import ResolutionDecision, ResolutionVia
    from robotpayment_app.web.services import open_services

    stream = out or sys.stdout
    async with open_services(_offline_services(settings), saleor_transport=saleor_transport) as services:
        try:
            installation, entry = await _find(services, reference.strip(), saleor_api_url)
        except _NotFound as missing:
            print(f"payments resolve: {missing}", file=stream)
            return EXIT_USAGE
        try:
            resolved = await resolve_payment(
                WebhookContext(services, installation, request_id="cli"),
                entry,
                decision=ResolutionDecision.CHARGED if charged else ResolutionDecision.NOT_CHARGED,
                gid=gid.strip() if gid is not None else None,
                reason=reason,
                resolved_by=resolved_by,
                via=ResolutionVia.CLI,
            )
        except ResolutionError as refused:
            field = {"payment": "PAYMENT", "gid": "--charged", "reason": "--reason"}.get(refused.field, refused.field)
            print(f"payments resolve: {field}: {refused.message}", file=stream)
            return EXIT_REFUSED
        done, not_done = DONE_WORDS[entry.kind]
        print(
            f"{entry.kind.value} {entry.id} resolved as {done if charged else not_done}"
            + (f" (gid {gid})" if charged else "")
            + f" by {resolved_by}",
            file=stream,
        )
        if resolved.event is None:
            print("saleor: already shows this outcome; nothing new to report", file=stream)
        elif resolved.reported:
            print(f"saleor: told {resolved.event} on transaction {entry.saleor_transaction_id}", file=stream)
        else:
            print(
                f"saleor: not reachable now; the running app tells it {resolved.event} as soon as it answers",
                file=stream,
            )
        return EXIT_OK

"""`robotpayment-app migrate`: bring the database schema to the newest revision (and re-seal secrets)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from robotpayment_app.store.crypto import SecretBox

    SubParsers = argparse._SubParsersAction[argparse.ArgumentParser]


def add_command(subparsers: SubParsers) -> None:
    parser = subparsers.add_parser(
        "migrate",
        help="bring the database schema up to date",
        description="Apply pending schema migrations to the app's database (safe to run from several "
        "processes at once). The database comes from ROBOTPAYMENT_APP_DATABASE_URL unless given here.",
    )
    parser.add_argument("--database-url", help="sqlite:///… or postgresql://… (default: from the settings)")
    parser.add_argument(
        "--check",
        action="store_true",
        help="change nothing; exit 1 when migrations are pending",
    )
    parser.add_argument(
        "--reencrypt-secrets",
        action="store_true",
        help="afterwards, re-seal stored secrets with the first key of ROBOTPAYMENT_APP_ENCRYPTION_KEY "
        "(key rotation: configure 'new,old', run this, then drop the old key)",
    )
    parser.set_defaults(run=run_migrate)


def run_migrate(args: argparse.Namespace) -> int:
    # heavy imports here, so that `robotpayment-app --help` stays fast
    from sqlalchemy.exc import SQLAlchemyError

    from robotpayment_app.settings import SettingsError, load_encryption_key, load_settings
    from robotpayment_app.store.crypto import DecryptionError, SecretBox
    from robotpayment_app.store.database_urls import DatabaseUrlError, redact_database_url
    from robotpayment_app.store.migrations import current_revision, head_revision, upgrade_to_head

    try:
        overrides = {"database_url": args.database_url} if args.database_url else {}
        settings = load_settings(**overrides)
    except SettingsError as error:
        print(f"migrate: {error}", file=sys.stderr)
        return 2
    shown = redact_database_url(settings.database_url)
    try:
        if args.check:
            current, head = current_revision(settings.database_url), head_revision()
            print(f"{shown}: at {current or 'an empty schema'}; newest is {head}")
            return 0 if current == head else 1
        box = SecretBox.from_secret(load_encryption_key(settings))
        revision = upgrade_to_head(settings.database_url, secret_box=box)
        print(f"{shown}: schema at revision {revision}")
        if args.reencrypt_secrets:
            changed = asyncio.run(_reencrypt(settings.database_url, box))
            print(f"re-sealed {changed} secret(s) with key {box.primary_key_id}")
    except (SettingsError, DatabaseUrlError, DecryptionError) as error:
        print(f"migrate: {error}", file=sys.stderr)
        return 2
    except SQLAlchemyError as error:
        reason = str(getattr(error, "orig", None) or error).splitlines()[0]
        print(f"migrate: database {shown} failed: {reason}", file=sys.stderr)
        return 1
    return 0


async def _reencrypt(database_url: str, box: SecretBox) -> int:
    from robotpayment_app.store.database import create_engine_from_url, create_session_factory
    from robotpayment_app.store.rotation import reencrypt_secrets

    engine = create_engine_from_url(database_url)
    try:
        return await reencrypt_secrets(create_session_factory(engine), box)
    finally:
        await engine.dispose()

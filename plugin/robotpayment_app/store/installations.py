"""Installations (the APL): one row per Saleor instance that installed the app."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from typing import Any

from pydantic import SecretStr
from sqlalchemy import delete, select, update

from robotpayment_app.store._sql import Clock, conflict_aware_insert, utc_now
from robotpayment_app.store.card_lists import CardChanges, NoCardChanges, changing_cards
from robotpayment_app.store.crypto import SecretBox
from robotpayment_app.store.database import SessionFactory
from robotpayment_app.store.errors import RecordNotFound
from robotpayment_app.store.records import Installation
from robotpayment_app.store.tables import InstallationRow


def new_kickback_secret() -> str:
    """Random, URL-safe: it goes into the kickback URL path configured at the gateway."""
    return secrets.token_urlsafe(24)


def kickback_secret_hash(kickback_secret: str) -> str:
    """How the route finds an installation by the secret in the URL without the store holding it in clear:
    the secret is 24 random bytes, so a plain SHA-256 reveals nothing."""
    return hashlib.sha256(kickback_secret.encode("utf-8")).hexdigest()


def app_token_context(saleor_api_url: str) -> str:
    return f"installations.app_token:{saleor_api_url}"


def kickback_secret_context(saleor_api_url: str) -> str:
    # migration 0003 seals existing secrets with this same context
    return f"installations.kickback_secret:{saleor_api_url}"


class InstallationRepository:
    def __init__(
        self,
        sessions: SessionFactory,
        secret_box: SecretBox,
        *,
        clock: Clock = utc_now,
        card_changes: CardChanges | None = None,
    ) -> None:
        self._sessions = sessions
        self._box = secret_box
        self._clock = clock
        self._card_changes = card_changes or NoCardChanges()  # deleting an installation deletes its cards

    async def upsert(
        self,
        *,
        saleor_api_url: str,
        domain: str,
        app_id: str,
        app_token: SecretStr,
        jwks: Mapping[str, Any] | None,
    ) -> Installation:
        """Store an installation; a re-install of the same Saleor replaces token, app id, domain and JWKS.

        The row id and the kickback secret survive a re-install, so saved customers and the kickback URL
        configured at the gateway stay valid.
        """
        now = self._clock()
        encrypted = self._box.encrypt(app_token, context=app_token_context(saleor_api_url))
        jwks_document = dict(jwks) if jwks is not None else None
        kickback_secret = new_kickback_secret()
        async with self._sessions.begin() as session:
            insert = await conflict_aware_insert(session, InstallationRow)
            statement = insert.values(
                saleor_api_url=saleor_api_url,
                domain=domain,
                app_id=app_id,
                app_token_encrypted=encrypted,
                jwks=jwks_document,
                kickback_secret_hash=kickback_secret_hash(kickback_secret),
                kickback_secret_encrypted=self._box.encrypt(
                    kickback_secret, context=kickback_secret_context(saleor_api_url)
                ),
                kickback_secret_created_at=now,
                created_at=now,
                updated_at=now,
            ).on_conflict_do_update(
                index_elements=[InstallationRow.saleor_api_url],
                set_={
                    "domain": domain,
                    "app_id": app_id,
                    "app_token_encrypted": encrypted,
                    "jwks": jwks_document,
                    "updated_at": now,
                },
            )
            await session.execute(statement)
            row = await session.scalar(
                select(InstallationRow).where(InstallationRow.saleor_api_url == saleor_api_url)
            )
            assert row is not None  # just written in this transaction
            return self._record(row)

    async def get(self, installation_id: int) -> Installation | None:
        async with self._sessions() as session:
            row = await session.get(InstallationRow, installation_id)
            return self._record(row) if row is not None else None

    async def get_by_api_url(self, saleor_api_url: str) -> Installation | None:
        async with self._sessions() as session:
            row = await session.scalar(
                select(InstallationRow).where(InstallationRow.saleor_api_url == saleor_api_url)
            )
            return self._record(row) if row is not None else None

    async def get_by_kickback_secret(self, kickback_secret: str) -> Installation | None:
        async with self._sessions() as session:
            row = await session.scalar(
                select(InstallationRow).where(
                    InstallationRow.kickback_secret_hash == kickback_secret_hash(kickback_secret)
                )
            )
            return self._record(row) if row is not None else None

    async def rotate_kickback_secret(self, installation_id: int) -> Installation:
        """Give the installation a new kickback secret: the old URL is refused from now on."""
        installation = await self.get(installation_id)
        if installation is None:
            raise RecordNotFound(f"no installation {installation_id}")
        secret = new_kickback_secret()
        now = self._clock()
        async with self._sessions.begin() as session:
            result = await session.execute(
                update(InstallationRow)
                .where(InstallationRow.id == installation_id)
                .values(
                    kickback_secret_hash=kickback_secret_hash(secret),
                    kickback_secret_encrypted=self._box.encrypt(
                        secret, context=kickback_secret_context(installation.saleor_api_url)
                    ),
                    kickback_secret_created_at=now,
                    updated_at=now,
                )
                .returning(InstallationRow)
            )
            row = result.scalar_one_or_none()
            if row is None:
                raise RecordNotFound(f"no installation {installation_id}")
            return self._record(row)

    async def list_all(self) -> list[Installation]:
        async with self._sessions() as session:
            rows = await session.scalars(select(InstallationRow).order_by(InstallationRow.id))
            return [self._record(row) for row in rows]

    async def update_jwks(self, installation_id: int, jwks: Mapping[str, Any]) -> Installation:
        """Keep a refetched JWKS (after an unknown `kid`)."""
        async with self._sessions.begin() as session:
            result = await session.execute(
                update(InstallationRow)
                .where(InstallationRow.id == installation_id)
                .values(jwks=dict(jwks), updated_at=self._clock())
                .returning(InstallationRow)
            )
            row = result.scalar_one_or_none()
            if row is None:
                raise RecordNotFound(f"no installation {installation_id}")
            return self._record(row)

    async def delete(self, saleor_api_url: str) -> bool:
        """Forget an installation and everything stored for it (channel configs, customers, cards, ledger,
        kickback log). Returns False when there was nothing to delete."""
        async with changing_cards(self._sessions, self._card_changes) as session:
            result = await session.execute(
                delete(InstallationRow)
                .where(InstallationRow.saleor_api_url == saleor_api_url)
                .returning(InstallationRow.id)
            )
            return result.scalar_one_or_none() is not None

    def _record(self, row: InstallationRow) -> Installation:
        return Installation(
            id=row.id,
            saleor_api_url=row.saleor_api_url,
            domain=row.domain,
            app_id=row.app_id,
            app_token=self._box.decrypt(
                row.app_token_encrypted, context=app_token_context(row.saleor_api_url)
            ),
            jwks=row.jwks,
            kickback_secret=self._box.decrypt(
                row.kickback_secret_encrypted, context=kickback_secret_context(row.saleor_api_url)
            ).get_secret_value(),
            created_at=row.created_at,
            updated_at=row.updated_at,
            kickback_secret_created_at=row.kickback_secret_created_at,
        )

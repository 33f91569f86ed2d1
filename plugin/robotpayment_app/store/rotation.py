"""Key rotation: re-seal every encrypted column with the current (first) key.

Rotate by configuring `new,old` keys, running `reencrypt_secrets`, then dropping the old key.
"""

from __future__ import annotations

from sqlalchemy import select, update

from robotpayment_app.store.crypto import SecretBox
from robotpayment_app.store.customers import gateway_key_context
from robotpayment_app.store.database import SessionFactory
from robotpayment_app.store.installations import app_token_context, kickback_secret_context
from robotpayment_app.store.tables import CustomerRow, InstallationRow


async def reencrypt_secrets(sessions: SessionFactory, secret_box: SecretBox) -> int:
    """Re-seal values sealed with an older key; returns how many values changed. Safe to run repeatedly."""
    changed = 0
    async with sessions.begin() as session:
        installations = await session.execute(
            select(
                InstallationRow.id,
                InstallationRow.saleor_api_url,
                InstallationRow.app_token_encrypted,
                InstallationRow.kickback_secret_encrypted,
            )
        )
        for row_id, api_url, sealed_token, sealed_secret in installations.all():
            values: dict[str, str] = {}
            if secret_box.needs_rotation(sealed_token):
                values["app_token_encrypted"] = secret_box.reencrypt(sealed_token, context=app_token_context(api_url))
            if secret_box.needs_rotation(sealed_secret):
                values["kickback_secret_encrypted"] = secret_box.reencrypt(
                    sealed_secret, context=kickback_secret_context(api_url)
                )
            if values:
                await session.execute(update(InstallationRow).where(InstallationRow.id == row_id).values(**values))
                changed += len(values)
        customers = await session.execute(
            select(
                CustomerRow.id,
                CustomerRow.installation_id,
                CustomerRow.store_id,
                CustomerRow.gateway_customer_id,
                CustomerRow.gateway_key_encrypted,
            )
        )
        for row_id, installation_id, store_id, gateway_customer_id, sealed in customers.all():
            if secret_box.needs_rotation(sealed):
                context = gateway_key_context(installation_id, store_id, gateway_customer_id)
                await session.execute(
                    update(CustomerRow)
                    .where(CustomerRow.id == row_id)
                    .values(gateway_key_encrypted=secret_box.reencrypt(sealed, context=context))
                )
                changed += 1
    return changed

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import pytest
from pydantic import ValidationError
from sqlalchemy import update

from robotpayment_app.store.channels import ChannelConfigRepository
from robotpayment_app.store.crypto import SecretBox
from robotpayment_app.store.database import SessionFactory
from robotpayment_app.store.records import (
    ChannelSettings,
    Installation,
    JobType,
    PaymentMethodCode,
    TokenMode,
)
from robotpayment_app.store.repositories import Store
from robotpayment_app.store.tables import ChannelConfigRow


@dataclass
class FakeMonotonic:
    now: float = 100.0

    def __call__(self) -> float:
        return self.now


async def test_defaults_are_stored_and_read_back(store: Store, installation: Installation) -> None:
    saved = await store.channels.upsert(
        installation.id, "default-channel", ChannelSettings(store_id="000123")
    )

    assert saved.channel_slug == "default-channel"
    assert saved.store_id == "000123"
    assert saved.gateway_base_url == "https://credit.j-payment.co.jp/gateway/"
    assert saved.job_type is JobType.AUTH
    assert saved.token_mode is TokenMode.POPUP
    assert saved.payment_methods == (PaymentMethodCode.LUMP_SUM,)
    assert saved.split_tax_and_shipping is False
    assert await store.channels.get(installation.id, "default-channel") == saved


async def test_upsert_replaces_the_configuration(store: Store, installation: Installation) -> None:
    await store.channels.upsert(installation.id, "jp", ChannelSettings(store_id="000123"))
    replaced = await store.channels.upsert(
        installation.id,
        "jp",
        ChannelSettings(
            store_id="654321",
            gateway_base_url="http://127.0.0.1:9000/gateway",
            job_type=JobType.CAPTURE,
            token_mode=TokenMode.CUSTOMIZE,
            payment_methods=(
                PaymentMethodCode.LUMP_SUM,
                PaymentMethodCode.INSTALLMENTS,
                PaymentMethodCode.REVOLVING,
            ),
            installment_counts=(12, 3, 6, 3),
            product_mode=True,
            product_code_metadata_key="rp_iid",
            product_job_type=JobType.AUTH,
            save_cards_allowed=False,
            cvv_required=True,
            split_tax_and_shipping=True,
        ),
    )

    assert replaced.store_id == "654321"
    assert replaced.gateway_base_url == "http://127.0.0.1:9000/gateway/"
    assert replaced.installment_counts == (3, 6, 12)
    assert replaced.payment_methods == (PaymentMethodCode.LUMP_SUM, PaymentMethodCode.INSTALLMENTS, "80")
    assert (replaced.product_mode, replaced.save_cards_allowed, replaced.cvv_required) == (True, False, True)
    assert replaced.product_job_type is JobType.AUTH
    assert await store.channels.get(installation.id, "jp") == replaced
    assert [
        config.channel_slug for config in await store.channels.list_for_installation(installation.id)
    ] == ["jp"]


async def test_unknown_channel_and_delete(store: Store, installation: Installation) -> None:
    assert await store.channels.get(installation.id, "nope") is None
    await store.channels.upsert(installation.id, "jp", ChannelSettings(store_id="000123"))
    assert await store.channels.delete(installation.id, "jp") is True
    assert await store.channels.delete(installation.id, "jp") is False
    assert await store.channels.get(installation.id, "jp") is None


@pytest.mark.parametrize(
    ("values", "field", "rule"),
    [
        ({"store_id": "12345"}, "store_id", "six-digit store id"),
        ({"store_id": "123456", "gateway_base_url": "ftp://x/"}, "gateway_base_url", "http(s) URL"),
        ({"store_id": "123456", "payment_methods": ()}, "payment_methods", "at least one"),
        ({"store_id": "123456", "payment_methods": ("10", "10")}, "payment_methods", "twice"),
        ({"store_id": "123456", "payment_methods": ("99",)}, "payment_methods", "'10', '61' or '80'"),
        ({"store_id": "123456", "installment_counts": (4,)}, "installment_counts", "[4] not allowed"),
        (
            {"store_id": "123456", "payment_methods": ("61",)},
            "installment_counts",
            "needed when payment method 61",
        ),
        ({"store_id": "123456", "job_type": "SALES"}, "job_type", "'AUTH' or 'CAPTURE'"),
        ({"store_id": "123456", "colour": "red"}, "colour", "Extra inputs are not permitted"),
    ],
)
def test_bad_settings_name_the_field_and_rule(values: dict[str, object], field: str, rule: str) -> None:
    with pytest.raises(ValidationError) as raised:
        ChannelSettings.model_validate(values)
    text = str(raised.value)
    assert field in text
    assert rule in text


async def test_webhooks_get_a_copy_that_a_save_here_replaces_at_once(
    session_factory: SessionFactory, secret_box: SecretBox, installation: Installation
) -> None:
    clock = FakeMonotonic()
    here = ChannelConfigRepository(session_factory, cache_seconds=5.0, monotonic=clock)
    elsewhere = Store.create(session_factory, secret_box).channels  # another process, writing to the same database
    await here.upsert(installation.id, "jp", ChannelSettings(store_id="000001"))
    assert (await here.get_for_webhook(installation.id, "jp")).store_id == "000001"  # type: ignore[union-attr]

    await elsewhere.upsert(installation.id, "jp", ChannelSettings(store_id="000002"))
    clock.now += 4.9
    assert (await here.get_for_webhook(installation.id, "jp")).store_id == "000001"  # type: ignore[union-attr]
    clock.now += 0.2  # older than cache_seconds: read again
    assert (await here.get_for_webhook(installation.id, "jp")).store_id == "000002"  # type: ignore[union-attr]

    await here.upsert(installation.id, "jp", ChannelSettings(store_id="000003"))
    assert (await here.get_for_webhook(installation.id, "jp")).store_id == "000003"  # type: ignore[union-attr]
    assert await here.delete(installation.id, "jp")
    assert await here.get_for_webhook(installation.id, "jp") is None
    assert (await here.get(installation.id, "jp")) is None


async def test_without_a_cache_webhooks_read_the_database_every_time(
    store: Store, secret_box: SecretBox, session_factory: SessionFactory, installation: Installation
) -> None:
    elsewhere = Store.create(session_factory, secret_box).channels
    await store.channels.upsert(installation.id, "jp", ChannelSettings(store_id="000001"))
    assert (await store.channels.get_for_webhook(installation.id, "jp")).store_id == "000001"  # type: ignore[union-attr]
    await elsewhere.upsert(installation.id, "jp", ChannelSettings(store_id="000002"))
    assert (await store.channels.get_for_webhook(installation.id, "jp")).store_id == "000002"  # type: ignore[union-attr]


def test_a_negative_cache_age_is_refused(session_factory: SessionFactory) -> None:
    with pytest.raises(ValueError, match="cache_seconds"):
        ChannelConfigRepository(session_factory, cache_seconds=-1)


async def test_a_read_does_not_wait_for_another_connections_write(
    session_factory: SessionFactory, store: Store, installation: Installation
) -> None:
    await store.channels.upsert(installation.id, "jp", ChannelSettings(store_id="000001"))
    async with session_factory.begin() as writer:
        await writer.execute(update(ChannelConfigRow).values(store_id="000009"))
        # the write lock is held until this block ends; a read must still answer (the committed value)
        config = await asyncio.wait_for(store.channels.get(installation.id, "jp"), timeout=3.0)
    assert config is not None and config.store_id == "000001"
    assert (await store.channels.get(installation.id, "jp")).store_id == "000009"  # type: ignore[union-attr]

"""A server process exempts what start-up built from garbage collection (its full passes paused workers); an app
built by a test leaves the collector alone."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from robotpayment_app.settings import load_settings
from robotpayment_app.store.crypto import generate_key
from robotpayment_app.web.app import create_app


@pytest.fixture
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    try:
        yield
    finally:
        gc.unfreeze()  # later tests run with the collector as it was


@pytest.mark.parametrize("freeze", [True, False])
async def test_start_up_objects_are_frozen_only_when_asked(
    database_url: str, tmp_path: Path, freeze: bool, unfrozen: None
) -> None:
    settings = load_settings(
        database_url=database_url,
        data_dir=tmp_path,
        encryption_key=SecretStr(generate_key()),
        apply_migrations_on_start=False,
    )
    app = create_app(settings, freeze_startup_objects=freeze)
    async with app.router.lifespan_context(app):
        frozen = gc.get_freeze_count()
    assert (frozen > 0) is freeze

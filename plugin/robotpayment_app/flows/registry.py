"""Which use case answers which Saleor event. The web layer mounts one route per manifest webhook and looks
its handler up here, so an event without a use case is caught by a test, not by Saleor."""

from __future__ import annotations

from collections.abc import Mapping

from robotpayment_app.flows import app_deleted
from robotpayment_app.flows.context import EventHandler
from robotpayment_app.saleor.webhooks import SaleorEvent

HANDLERS: Mapping[SaleorEvent, EventHandler] = {
    SaleorEvent.APP_DELETED: app_deleted.forget_installation,
}

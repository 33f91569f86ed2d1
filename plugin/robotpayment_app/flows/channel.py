"""The channel's ROBOT PAYMENT configuration, or a typed refusal when the merchant has not set it up."""

from __future__ import annotations

from robotpayment_app.flows.context import WebhookContext
from robotpayment_app.flows.errors import ChannelNotConfigured
from robotpayment_app.store.records import ChannelConfig


async def channel_config(context: WebhookContext, channel_slug: str | None) -> ChannelConfig:
    if not channel_slug:
        raise ChannelNotConfigured("<none>")
    config = await context.deps.store.channels.get_for_webhook(context.installation.id, channel_slug)
    if config is None:
        raise ChannelNotConfigured(channel_slug)
    return config

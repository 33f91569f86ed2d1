"""Input checks of the configuration API: every refused value is reported at once, named by its input field.

The rules of a channel's settings live in `store.records.ChannelSettings`; this module only runs them, adds the
rules that depend on where the app runs (production), and turns each failure into a `FieldError`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from pydantic import ValidationError
from pydantic.alias_generators import to_camel

from robotpayment_app.store.records import ChannelSettings, PaymentMethodCode
from robotpayment_app.web.config_api.types import FieldError

MAX_CHANNEL_SLUG_LENGTH = 255  # the store's column


@dataclass(frozen=True)
class CheckedSettings:
    """Either valid settings or the reasons, per field, why not."""

    settings: ChannelSettings | None
    errors: list[FieldError] = field(default_factory=list)


def input_field_name(settings_field: str) -> str:
    """`installment_counts` -> `installmentCounts`, the name the GraphQL input uses."""
    return to_camel(settings_field)


def check_channel_slug(channel_slug: str) -> FieldError | None:
    if not channel_slug.strip():
        return FieldError(field="channelSlug", message="must not be empty")
    if len(channel_slug) > MAX_CHANNEL_SLUG_LENGTH:
        return FieldError(field="channelSlug", message=f"must be at most {MAX_CHANNEL_SLUG_LENGTH} characters")
    if any(char.isspace() or not char.isprintable() for char in channel_slug):
        return FieldError(field="channelSlug", message="must be the channel's slug (no spaces or control characters)")
    return None


def check_settings(values: Mapping[str, object]) -> CheckedSettings:
    """Build `ChannelSettings` from the given fields (defaults for the rest), or say what is wrong with each.
    (Which gateway hosts production allows is checked apart, as it resolves names: `gateway_url.py`.)"""
    errors: dict[str, str] = {}
    methods = values.get("payment_methods")
    if (
        isinstance(methods, tuple)
        and PaymentMethodCode.INSTALLMENTS in methods
        and not values.get("installment_counts")
    ):
        errors["installmentCounts"] = "needed when the INSTALLMENTS payment method (61) is enabled"
    settings: ChannelSettings | None = None
    try:
        settings = ChannelSettings.model_validate(dict(values))
    except ValidationError as error:
        for name, message in _problems(error):
            errors.setdefault(name, message)
    if errors:
        return CheckedSettings(None, [FieldError(field=name, message=message) for name, message in errors.items()])
    return CheckedSettings(settings)


def _problems(error: ValidationError) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    for detail in error.errors(include_input=False, include_url=False):
        cause = (detail.get("ctx") or {}).get("error")
        message = str(cause) if isinstance(cause, ValueError) else detail.get("msg", "invalid value")
        location = detail.get("loc", ())
        if location:
            problems.append((input_field_name(str(location[0])), message))
            continue
        # a rule across fields names its field first: "installment_counts: needed when …"
        name, separator, rule = message.partition(": ")
        if separator and name in ChannelSettings.model_fields:
            problems.append((input_field_name(name), rule))
        else:
            problems.append(("input", message))
    return problems

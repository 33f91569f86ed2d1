"""The shopper's language for messages: Japanese unless the checkout or order says otherwise."""

from __future__ import annotations

from enum import StrEnum


class Language(StrEnum):
    JA = "ja"
    EN = "en"


def language_of(code: str | None) -> Language:
    """Saleor's `languageCode` (`JA`, `EN`, `EN_US`, `ja-JP`…) → the language of our messages.

    English for any non-Japanese language code: English is the closer fallback for a foreign shopper.
    """
    if not code:
        return Language.JA
    return Language.JA if code.strip().upper().replace("-", "_").startswith("JA") else Language.EN


def bilingual(japanese: str, english: str) -> dict[Language, str]:
    return {Language.JA: japanese, Language.EN: english}

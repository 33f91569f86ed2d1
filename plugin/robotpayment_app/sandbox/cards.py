"""Test cards and the card checks a real gateway makes (check digit, brand, expiry, holder name).

TEST_CARDS is the one table of cards with a special behaviour; README.md beside this file shows it
to people. Any other number that passes the checks is approved with frictionless 3-D Secure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from robotpayment_app.sandbox.errors import GatewayError


class CardBehaviour(Enum):
    APPROVE = "approve"
    DECLINE = "decline"  # the card company answers the card's G code
    THREE_DS_FAILURE = "3ds_failure"  # frictionless 3-D Secure that fails: the payment answers ER900
    THREE_DS_CHALLENGE = "3ds_challenge"  # a challenge form; the right code passes, anything else ER901
    SLOW = "slow"  # processed, answered after SandboxConfig.slow_delay_seconds
    DROP_BEFORE = "drop_before"  # the connection is dropped before anything is processed
    DROP_AFTER = "drop_after"  # processed (charged!), then the connection is dropped unanswered


@dataclass(frozen=True, slots=True)
class CardProfile:
    number: str
    behaviour: CardBehaviour
    decline_code: str = ""  # the G code for DECLINE cards
    note: str = ""


# The code the 3-D Secure challenge form of the challenge card accepts.
CHALLENGE_CODE = "1234"

TEST_CARDS: tuple[CardProfile, ...] = (
    CardProfile("4444333322221111", CardBehaviour.APPROVE, note="VISA: approved, frictionless 3DS (CVV 123)"),
    CardProfile("5555555555554444", CardBehaviour.APPROVE, note="MASTER: approved, frictionless 3DS"),
    CardProfile("3530111333300000", CardBehaviour.APPROVE, note="JCB: approved, frictionless 3DS"),
    CardProfile("378282246310005", CardBehaviour.APPROVE, note="AMEX: approved, frictionless 3DS (4-digit CVV)"),
    CardProfile("4000000000000044", CardBehaviour.DECLINE, "G04", "declined: insufficient funds (残高不足)"),
    CardProfile("4000000000000556", CardBehaviour.DECLINE, "G55", "declined: over limit (限度額オーバー)"),
    CardProfile("4000000000000127", CardBehaviour.DECLINE, "G12", "declined: card not accepted (取扱不可)"),
    CardProfile("4000000000000838", CardBehaviour.DECLINE, "G83", "declined: expiry error (有効期限エラー)"),
    CardProfile("4000000000000903", CardBehaviour.THREE_DS_FAILURE, note="3DS fails: the payment answers ER900"),
    CardProfile(
        "4000000000000911",
        CardBehaviour.THREE_DS_CHALLENGE,
        note=f"3DS challenge: code {CHALLENGE_CODE} passes; anything else makes the payment answer ER901",
    ),
    CardProfile("4000000000000994", CardBehaviour.SLOW, note="processed, answered after slow_delay_seconds"),
    CardProfile("4000000000000986", CardBehaviour.DROP_BEFORE, note="connection dropped, nothing processed"),
    CardProfile("4000000000000978", CardBehaviour.DROP_AFTER, note="processed (charged), then connection dropped"),
)

_TEST_CARDS_BY_NUMBER = {card.number: card for card in TEST_CARDS}
_DEFAULT_CARD_BEHAVIOUR = CardProfile("", CardBehaviour.APPROVE)

# Leading digits -> brand, longest prefixes first (the gateway reports no brand; the sandbox shows one).
_BRAND_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("AMEX", re.compile(r"^3[47]\d{13}$")),
    ("JCB", re.compile(r"^35(2[89]|[3-8]\d)\d{12}$")),
    ("DINERS", re.compile(r"^3(0[0-5]|[689]\d)\d{10,14}$")),
    ("MASTER", re.compile(r"^(5[1-5]\d{14}|2(22[1-9]|2[3-9]\d|[3-6]\d\d|7[01]\d|720)\d{12})$")),
    ("VISA", re.compile(r"^4\d{12}(\d{3})?$")),
)
# 半角英数記号(43), the only 記号 being '.' and '-' [spec]; spaces only with SandboxConfig.lenient_fields.
_NAME = re.compile(r"^[A-Za-z0-9.\-]{1,43}$")
_LENIENT_NAME = re.compile(r"^[A-Za-z0-9 .\-]{1,43}$")
NAME_MAX_COMBINED = 44


def card_profile(number: str) -> CardProfile:
    """The behaviour of a card number: its TEST_CARDS row, or plain approval."""
    return _TEST_CARDS_BY_NUMBER.get(number, _DEFAULT_CARD_BEHAVIOUR)


def luhn_ok(number: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(number)):
        digit = int(char)
        if position % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def brand_of(number: str) -> str | None:
    return next((brand for brand, pattern in _BRAND_PATTERNS if pattern.match(number)), None)


def masked(number: str) -> str:
    """The card read answer's form: five asterisks and the last four digits (`*****1111`)."""
    return "*****" + number[-4:]


def decline_code(g_code: str) -> str:
    """The 12-character `ec` of a card-company error: G55 -> G5542G550000."""
    digits = g_code[1:]
    return f"G{digits}42G{digits}0000"


def check_card_number(number: str) -> str:
    if not re.fullmatch(r"\d{14,16}", number):
        raise GatewayError("ER055", "cn: 14 to 16 digits")
    if not luhn_ok(number):
        raise GatewayError("ER014", "cn: check digit")
    if brand_of(number) is None:
        raise GatewayError("ER015", "cn: no accepted card brand")
    return number


def check_expiry(expiry: str, today_yymm: str) -> str:
    """Accept YYMM (as the spec's samples build it) or YYYYMM; answer YYMM; refuse past months."""
    if re.fullmatch(r"\d{6}", expiry):
        expiry = expiry[2:]
    if not re.fullmatch(r"\d{2}(0[1-9]|1[0-2])", expiry):
        raise GatewayError("ER056", "ed: YYMM with month 01-12")
    if expiry < today_yymm:
        raise GatewayError("ER056", "ed: expired")
    return expiry


def check_holder_names(first_name: str, last_name: str, *, spaces: bool = False) -> tuple[str, str]:
    """fn and ln as CPToken.TokenCreate takes them; `spaces` allows spaces as well (lenient)."""
    pattern, allowed = (_LENIENT_NAME, "A-Z a-z 0-9 space . -") if spaces else (_NAME, "A-Z a-z 0-9 . -")
    if not pattern.fullmatch(first_name):
        raise GatewayError("ER057", f"fn: 1-43 of {allowed}")
    if not pattern.fullmatch(last_name):
        raise GatewayError("ER058", f"ln: 1-43 of {allowed}")
    if len(first_name) + len(last_name) > NAME_MAX_COMBINED:
        raise GatewayError("ER058", f"fn + ln: at most {NAME_MAX_COMBINED} characters together")
    return first_name, last_name


def check_cvv(cvv: str | None, number: str, *, required: bool) -> bool:
    """Answer whether a CVV was given; AMEX has four digits, the others three."""
    if not cvv:
        if required:
            raise GatewayError("ER079", "cvv: required for this store")
        return False
    digits = 4 if brand_of(number) == "AMEX" else 3
    if not re.fullmatch(rf"\d{{{digits}}}", cvv):
        raise GatewayError("ER079", f"cvv: {digits} digits")
    return True

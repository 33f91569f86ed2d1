"""The one error catalogue: every code of gateway-notes, G codes by family, unknown codes kept verbatim."""

from __future__ import annotations

import pytest

from robotpayment_app.gateway import Fixer, catalogue, lookup_error

# Every code gateway-notes lists, copied from its table.
NOTES_ER_CODES = [
    "ER000", "ER001", "ER002", "ER003", "ER004", "ER005", "ER010", "ER011", "ER012", "ER013", "ER014",
    "ER015", "ER016", "ER017", "ER018", "ER019", "ER020", "ER021", "ER030", "ER031", "ER032", "ER033",
    "ER042",
    *(f"ER0{n}" for n in range(50, 70)),
    "ER079", "ER564", "ER565", "ER567", "ER583", "ER584", "ER585", "ER586", "ER900", "ER901", "ER998",
    "ER999",
]  # fmt: skip
NOTES_G_CODES = [
    "G04", "G12", "G30", "G42", "G44", "G45", "G54", "G55", "G56", "G60", "G61", "G65", "G68", "G69", "G74",
    "G78", "G80", "G83", "G97", "G98", "G99",
]  # fmt: skip


@pytest.mark.parametrize("code", NOTES_ER_CODES + NOTES_G_CODES)
def test_every_documented_code_is_known(code: str) -> None:
    entry = lookup_error(code)
    assert entry.known and entry.code == code
    assert entry.japanese and entry.english
    assert entry.fixer in set(Fixer)


def test_catalogue_lists_exactly_the_documented_codes() -> None:
    assert sorted(entry.code for entry in catalogue()) == sorted(NOTES_ER_CODES + NOTES_G_CODES)


@pytest.mark.parametrize(
    ("code", "english", "fixer"),
    [
        ("G0442G040000", "Insufficient funds", Fixer.SHOPPER),
        ("G1242G120000", "Card not accepted", Fixer.SHOPPER),
        ("G5542G550000", "Over the card's limit", Fixer.SHOPPER),
        ("G8342G830000", "Card expiry error", Fixer.SHOPPER),
        ("G6842G680000", "Amount error", Fixer.MERCHANT),
    ],
)
def test_twelve_character_g_codes_map_by_their_family(code: str, english: str, fixer: Fixer) -> None:
    entry = lookup_error(code)
    assert entry.code == code  # kept verbatim
    assert (entry.english, entry.fixer, entry.known) == (english, fixer, True)


@pytest.mark.parametrize("code", ["ER010", "ER042", "ER999", "ER000"])
def test_gateway_side_troubles_can_be_retried_later(code: str) -> None:
    entry = lookup_error(code)
    assert entry.retryable and entry.fixer is Fixer.RETRY_LATER


@pytest.mark.parametrize("code", ["ER003", "ER014", "ER584", "ER900", "G0442G040000", "ER032"])
def test_refusals_do_not_change_on_retry(code: str) -> None:
    assert not lookup_error(code).retryable


def test_shopper_and_merchant_problems() -> None:
    assert lookup_error("ER585").fixer is Fixer.SHOPPER  # expired token: enter the card again
    assert lookup_error("ER003").fixer is Fixer.MERCHANT  # source IP not allow-listed
    assert lookup_error("ER021").fixer is Fixer.MERCHANT


@pytest.mark.parametrize("code", ["ER777", "XYZ", "", "G07", "G0742G070000"])
def test_unknown_codes_are_kept_verbatim(code: str) -> None:
    entry = lookup_error(code)
    assert entry.code == code and not entry.known and entry.english
    assert not entry.retryable


def test_unknown_g_code_is_a_card_company_decline() -> None:
    entry = lookup_error("G0742G070000")
    assert entry.fixer is Fixer.SHOPPER and entry.english == "Declined by the card company"

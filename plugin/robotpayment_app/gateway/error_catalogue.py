"""The one catalogue of ROBOT PAYMENT error codes (`ec`): meaning, who can fix it, whether a retry can help.

Sources, as rated in `docs/gateway-notes.md`: the ER codes come from the vendor's old module and a published
client library; the card-company G codes from the same. Texts are our own wording of those meanings. Unknown
codes are kept verbatim with generic texts, never dropped: the gateway may add codes we have not seen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Fixer(StrEnum):
    """Who can make the next attempt succeed."""

    SHOPPER = "shopper"  # another card, other details, another payment method
    MERCHANT = "merchant"  # configuration, contract or a bug in the request
    RETRY_LATER = "retry_later"  # the gateway side is busy or down


@dataclass(frozen=True, slots=True)
class ErrorEntry:
    """One catalogue entry. `code` is the code exactly as the gateway sent it (e.g. `G1242G120000`)."""

    code: str
    japanese: str
    english: str
    fixer: Fixer
    retryable: bool  # can the very same request succeed if sent again later?
    known: bool = True


_S, _M, _R = Fixer.SHOPPER, Fixer.MERCHANT, Fixer.RETRY_LATER

# code: (japanese, english, fixer, retryable)
_ER_CODES: dict[str, tuple[str, str, Fixer, bool]] = {
    "ER000": ("システムエラー", "Gateway internal error", _R, True),
    "ER001": ("リクエストエラー", "Request error", _M, False),
    "ER002": ("送信元URLエラー", "Source URL not registered", _M, False),
    "ER003": ("送信元IPエラー", "Source IP address not allowed", _M, False),
    "ER004": ("店舗IDエラー", "Unknown store ID (aid)", _M, False),
    "ER005": ("商品コードエラー", "Unknown product code (iid)", _M, False),
    "ER010": ("混雑エラー", "Gateway busy", _R, True),
    "ER011": ("IPアドレスブロックエラー", "Refused: IP address blocklisted", _S, False),
    "ER012": ("メールアドレスブロックエラー", "Refused: e-mail address blocklisted", _S, False),
    "ER013": ("カード番号ブロックエラー", "Refused: card number blocklisted", _S, False),
    "ER014": ("カード番号チェックデジットエラー", "Card number check digit error", _S, False),
    "ER015": ("取扱不可カード種別", "Card type not accepted", _S, False),
    "ER016": ("与信枠エラー", "Credit limit error", _S, False),
    "ER017": ("最低金額未満エラー", "Amount below the minimum", _M, False),
    "ER018": ("最高金額超過エラー", "Amount above the maximum", _M, False),
    "ER019": ("分割払い不可金額エラー", "Amount cannot be paid in instalments", _S, False),
    "ER020": ("ボーナス金額超過エラー", "Bonus amount over the limit", _M, False),
    "ER021": ("ワンタッチ課金条件エラー", "One-touch charge condition error (user, key or card)", _M, False),
    "ER030": ("決済失敗", "Payment failed", _S, False),
    "ER031": ("CHECK失敗", "Card check (CHECK) failed", _S, False),
    "ER032": ("実売上失敗", "Capture (SALES) failed or already captured", _M, False),
    "ER033": ("取消失敗", "Cancel failed", _M, False),
    "ER042": ("通信エラー", "Communication error", _R, True),
    "ER050": ("パラメータエラー(店舗ID)", "Parameter error: aid (store ID)", _M, False),
    "ER051": ("パラメータエラー(ジョブタイプ)", "Parameter error: jb (job type)", _M, False),
    "ER052": ("パラメータエラー(決済結果返信方法)", "Parameter error: rt (answer method)", _M, False),
    "ER053": ("パラメータエラー(決済番号)", "Parameter error: tid/gid (payment number)", _M, False),
    "ER054": ("パラメータエラー(店舗オーダー番号)", "Parameter error: cod (order reference)", _M, False),
    "ER055": ("パラメータエラー(カード番号)", "Parameter error: card number", _S, False),
    "ER056": ("パラメータエラー(有効期限)", "Parameter error: card expiry", _S, False),
    "ER057": ("パラメータエラー(カード名義 名)", "Parameter error: card holder first name", _S, False),
    "ER058": ("パラメータエラー(カード名義 姓)", "Parameter error: card holder last name", _S, False),
    "ER059": ("パラメータエラー(メールアドレス)", "Parameter error: em (e-mail)", _M, False),
    "ER060": ("パラメータエラー(電話番号)", "Parameter error: pn (phone)", _M, False),
    "ER061": ("パラメータエラー(商品金額)", "Parameter error: am (amount)", _M, False),
    "ER062": ("パラメータエラー(税金額)", "Parameter error: tx (tax)", _M, False),
    "ER063": ("パラメータエラー(送料)", "Parameter error: sf (shipping fee)", _M, False),
    "ER064": ("パラメータエラー(支払方法)", "Parameter error: md (payment method)", _M, False),
    "ER065": ("パラメータエラー(分割回数)", "Parameter error: pt (instalment count)", _M, False),
    "ER066": ("パラメータエラー(ボーナス回数)", "Parameter error: bonus count", _M, False),
    "ER067": ("パラメータエラー(ボーナス金額)", "Parameter error: bonus amount", _M, False),
    "ER068": ("パラメータエラー(商品コード)", "Parameter error: iid (product code)", _M, False),
    "ER069": ("パラメータエラー(変更タイプ)", "Parameter error: cmd", _M, False),
    "ER079": ("パラメータエラー(セキュリティコード)", "Parameter error: security code (CVV)", _S, False),
    "ER564": ("カード決済未契約", "Card payments not contracted for this store", _M, False),
    "ER565": (
        "トークン決済キー未発行",
        "Token payment keys not issued (token payment not enabled)",
        _M,
        False,
    ),
    "ER567": (
        "トークン決済キー未発行",
        "Token payment keys not issued (token payment not enabled)",
        _M,
        False,
    ),
    "ER583": ("トークン未指定", "Token missing", _M, False),
    "ER584": ("トークン不正", "Token invalid", _S, False),
    "ER585": ("トークン有効期限切れ", "Token expired", _S, False),
    "ER586": ("トークン方式にカード番号送信", "A card number was sent to a token endpoint", _M, False),
    "ER900": ("3Dセキュア認証エラー", "3-D Secure authentication error", _S, False),
    "ER901": ("3Dセキュア認証エラー", "3-D Secure authentication error", _S, False),
    "ER998": ("アカウント停止中", "Store account suspended", _M, False),
    "ER999": ("メンテナンス中", "Gateway under maintenance", _R, True),
}

_NOT_ACCEPTED = ("取扱不可カード", "Card not accepted", _S, False)
_SECURITY_CODE = ("セキュリティコードエラー", "Security code error", _S, False)

# Card-company codes, keyed by their leading `Gnn`.
_G_CODES: dict[str, tuple[str, str, Fixer, bool]] = {
    "G04": ("残高不足", "Insufficient funds", _S, False),
    "G12": _NOT_ACCEPTED,
    "G30": _NOT_ACCEPTED,
    "G42": ("暗証番号エラー", "PIN error", _S, False),
    "G44": _SECURITY_CODE,
    "G45": _SECURITY_CODE,
    "G54": _NOT_ACCEPTED,
    "G55": ("限度額オーバー", "Over the card's limit", _S, False),
    "G56": ("カード読込エラー", "Card read error", _S, False),
    "G60": ("事故カード", "Card reported lost or stolen", _S, False),
    "G61": ("無効カード", "Invalid card", _S, False),
    "G65": ("会員番号エラー", "Card number error", _S, False),
    "G68": ("金額エラー", "Amount error", _M, False),
    "G69": ("税送料エラー", "Tax or shipping amount error", _M, False),
    "G74": ("分割回数エラー", "Instalment count not accepted for this card", _S, False),
    "G78": ("支払区分エラー", "Payment method not accepted for this card", _S, False),
    "G80": ("取消区分エラー", "Cancellation type error", _M, False),
    "G83": ("有効期限エラー", "Card expiry error", _S, False),
    "G97": _NOT_ACCEPTED,
    "G98": _NOT_ACCEPTED,
    "G99": _NOT_ACCEPTED,
}

_G_PREFIX = re.compile(r"G[0-9]{2}", re.ASCII)

_UNKNOWN_CARD_COMPANY = ("カード会社エラー", "Declined by the card company", _S, False)
_UNKNOWN = ("不明なエラー", "Unknown gateway error", _M, False)


def _entry(code: str, texts: tuple[str, str, Fixer, bool], *, known: bool) -> ErrorEntry:
    japanese, english, fixer, retryable = texts
    return ErrorEntry(code, japanese, english, fixer, retryable, known)


def lookup_error(code: str) -> ErrorEntry:
    """The catalogue entry for `code`, keeping the code verbatim; never raises.

    G codes (up to 12 chars: `G` + 2 digits + `42G` + the same 2 digits + `0000`) match by their `Gnn`.
    """
    verbatim = code.strip()
    if verbatim in _ER_CODES:
        return _entry(verbatim, _ER_CODES[verbatim], known=True)
    prefix = _G_PREFIX.match(verbatim)
    if prefix is not None:
        family = _G_CODES.get(prefix.group())
        if family is not None:
            return _entry(verbatim, family, known=True)
        return _entry(verbatim, _UNKNOWN_CARD_COMPANY, known=False)
    return _entry(verbatim, _UNKNOWN, known=False)


def catalogue() -> tuple[ErrorEntry, ...]:
    """Every known entry (ER codes then G families), for documentation and tests."""
    entries = [_entry(code, texts, known=True) for code, texts in _ER_CODES.items()]
    entries += [_entry(code, texts, known=True) for code, texts in _G_CODES.items()]
    return tuple(entries)

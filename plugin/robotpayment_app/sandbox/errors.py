"""The error codes the sandbox answers, with the short text its browser scripts show.

The sandbox has its own small table (it imports nothing of the app). Which situation gets which
code is listed in README.md beside this file; the ones the documents do not pin down are marked
[inferred] there.
"""

from __future__ import annotations

ERROR_MESSAGES: dict[str, str] = {
    "ER001": "リクエストエラー (request error)",
    "ER002": "送信元URLエラー (page origin not registered)",
    "ER003": "送信元IPエラー (source IP not allowed)",
    "ER004": "店舗IDエラー (unknown store)",
    "ER005": "商品コードエラー (unknown product)",
    "ER010": "混雑中です。時間をおいて再度お試しください (gateway busy)",
    "ER014": "カード番号エラー (card number check digit error)",
    "ER015": "取扱不可カード (card type not accepted)",
    "ER017": "金額エラー (amount below minimum)",
    "ER018": "金額エラー (amount above maximum)",
    "ER021": "ワンタッチ課金条件エラー (no such user, key or card)",
    "ER032": "実売上エラー (capture failed)",
    "ER033": "取消エラー (cancel failed)",
    "ER042": "通信エラー (communication error)",
    "ER050": "パラメータエラー aid",
    "ER051": "パラメータエラー jb",
    "ER052": "パラメータエラー rt",
    "ER053": "パラメータエラー tid",
    "ER054": "パラメータエラー cod",
    "ER055": "パラメータエラー カード番号 (card number)",
    "ER056": "パラメータエラー 有効期限 (expiry)",
    "ER057": "パラメータエラー カード名義(名) (first name)",
    "ER058": "パラメータエラー カード名義(姓) (last name)",
    "ER059": "パラメータエラー em",
    "ER060": "パラメータエラー pn",
    "ER061": "パラメータエラー am",
    "ER062": "パラメータエラー tx",
    "ER063": "パラメータエラー sf",
    "ER064": "パラメータエラー md",
    "ER065": "パラメータエラー pt",
    "ER068": "パラメータエラー iid",
    "ER069": "パラメータエラー cmd",
    "ER079": "パラメータエラー セキュリティコード (CVV)",
    "ER565": "トークン決済未設定 (token payments not enabled)",
    "ER583": "トークンがありません (token missing)",
    "ER584": "トークンが無効です (token invalid or used)",
    "ER585": "トークンの有効期限切れ (token expired)",
    "ER586": "カード番号が送信されました (raw card number sent to a token endpoint)",
    "ER900": "3Dセキュアエラー (3-D Secure failed)",
    "ER901": "3Dセキュア認証エラー (3-D Secure challenge failed)",
    "ER999": "メンテナンス中 (maintenance)",
}


def message_for(code: str) -> str:
    return ERROR_MESSAGES.get(code, code)


class GatewayError(Exception):
    """A request the gateway refuses with an ER code (before or instead of reaching the card company)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail or message_for(code)}")
        self.code = code
        self.detail = detail

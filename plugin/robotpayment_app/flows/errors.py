"""Typed failures of the use cases, each carrying what the shopper, the merchant and the logs should read.

A use case raises one of these; the event's own answer builder (one per event, next to its use case) turns
it into the Saleor result for that event, using `shopper_text` for the storefront and `merchant_text` for the
message Saleor shows staff. Gateway declines are results, not exceptions (see `gateway.PaymentResult`).
"""

from __future__ import annotations

from decimal import Decimal

from robotpayment_app.flows.language import Language, bilingual
from robotpayment_app.gateway import ErrorEntry, Fixer


class FlowError(Exception):
    """Base: `code` is stable and public (storefronts may branch on it)."""

    code = "APP_ERROR"
    retryable = False

    def __init__(self, merchant_text: str, *, japanese: str, english: str) -> None:
        super().__init__(merchant_text)
        self.merchant_text = merchant_text
        self._shopper = {Language.JA: japanese, Language.EN: english}

    def shopper_text(self, language: Language) -> str:
        return self._shopper[language]


class InvalidPaymentData(FlowError):
    """The storefront's `data` breaks the storefront contract; nothing was sent to the gateway."""

    code = "INVALID_DATA"

    def __init__(self, field: str, rule: str) -> None:
        super().__init__(
            f"data.{field}: {rule}",
            japanese=f"お支払い情報が正しくありません（{field}: {rule}）。",
            english=f"The payment details are invalid ({field}: {rule}).",
        )
        self.field = field
        self.rule = rule


class UnsupportedAmount(FlowError):
    """Not JPY, or not whole yen, or not positive: nothing was sent."""

    code = "UNSUPPORTED_AMOUNT"

    def __init__(self, rule: str) -> None:
        super().__init__(
            f"amount: {rule}",
            japanese="この金額・通貨ではお支払いいただけません。",
            english="This amount or currency cannot be paid with this method.",
        )


class AmountAboveGatewayMaximum(FlowError):
    """More yen than the gateway takes in one card payment: refused before anything is recorded or sent."""

    code = "AMOUNT_ABOVE_MAXIMUM"

    def __init__(self, amount: Decimal, maximum: int) -> None:
        shown = f"{int(amount):,}" if amount < 10**15 else f"{amount:.3E}"  # never spell out a 1e100000
        super().__init__(
            f"amount: {shown} yen is above {maximum:,} yen, the most one card payment through ROBOT PAYMENT "
            "can take (am + tx + sf, 7 digits)",
            japanese=f"1回のカードでのお支払いは{maximum:,}円までです。",
            english=f"A single card payment can be at most {maximum:,} yen.",
        )


class AuthenticatedTermsChanged(FlowError):
    """The payment no longer matches what the browser authenticated with 3-D Secure (the checkout changed after
    paymentGatewayInitialize): the gateway would refuse it (ER900). Nothing was sent; authenticating again works."""

    code = "ORDER_CHANGED"
    retryable = True

    def __init__(self, changed: list[str]) -> None:
        super().__init__(
            "the payment no longer matches the 3-D Secure parameters the browser was given "
            f"({', '.join(changed)} changed since paymentGatewayInitialize); nothing was sent",
            japanese="ご注文の内容が変わりました。お手数ですが、もう一度カードの認証を行ってください。",
            english="The order changed: please authenticate the card again.",
        )
        self.changed = changed


class ChannelNotConfigured(FlowError):
    code = "CHANNEL_NOT_CONFIGURED"

    def __init__(self, channel_slug: str) -> None:
        super().__init__(
            f"ROBOT PAYMENT is not configured for channel {channel_slug!r}: set the store id (aid) and options "
            "in the app's configuration page in the Saleor dashboard",
            japanese="現在このお支払い方法はご利用いただけません。",
            english="This payment method is not available right now.",
        )


class SavedCardNotFound(FlowError):
    """The card does not exist or is not the requester's: the same answer either way (no probing)."""

    code = "CARD_NOT_FOUND"

    def __init__(self) -> None:
        super().__init__(
            "stored payment method not found for this user (missing, deleted or owned by someone else)",
            japanese="保存されたカードが見つかりません。",
            english="The saved card could not be found.",
        )


class SignInRequired(FlowError):
    code = "SIGN_IN_REQUIRED"

    def __init__(self, what: str) -> None:
        super().__init__(
            f"{what} needs a signed-in customer",
            japanese="カードの保存・利用にはログインが必要です。",
            english="Please sign in to save or use a card.",
        )


class SavingCardsDisabled(FlowError):
    code = "SAVING_CARDS_DISABLED"

    def __init__(self) -> None:
        super().__init__(
            "saving cards is turned off for this channel",
            japanese="このストアではカードを保存できません。",
            english="Cards cannot be saved in this shop.",
        )


class GatewayRefused(FlowError):
    """The gateway refused a non-payment call (customer/card management) with an error code."""

    def __init__(self, entry: ErrorEntry, what: str) -> None:
        japanese, english = shopper_texts(entry)
        super().__init__(f"{what}: gateway answered {entry.code} ({entry.english})", japanese=japanese, english=english)
        self.code = entry.code
        self.retryable = entry.retryable
        self.entry = entry


class GatewayNotReachable(FlowError):
    """Nothing reached the gateway (safe to try again)."""

    code = "GATEWAY_UNAVAILABLE"
    retryable = True

    def __init__(self, what: str) -> None:
        super().__init__(
            f"{what}: the gateway could not be reached",
            japanese="決済サービスに接続できませんでした。しばらくしてからもう一度お試しください。",
            english="The payment service could not be reached. Please try again in a moment.",
        )


_SHOPPER_BY_FIXER = {
    Fixer.SHOPPER: bilingual(
        "カードをご利用いただけませんでした。カード情報をご確認のうえ、別のカードもお試しください。",
        "Your card could not be used. Please check the card details or try another card.",
    ),
    Fixer.MERCHANT: bilingual(
        "現在このお支払い方法はご利用いただけません。お手数ですがストアにお問い合わせください。",
        "This payment method is not available right now. Please contact the shop.",
    ),
    Fixer.RETRY_LATER: bilingual(
        "決済サービスが混み合っています。しばらくしてからもう一度お試しください。",
        "The payment service is busy. Please try again in a moment.",
    ),
}

# Codes whose cause the shopper can act on precisely: name it instead of the generic text.
_SPECIFIC_SHOPPER_TEXT = {
    "G04": bilingual("残高不足のためご利用いただけませんでした。", "The card was declined: insufficient funds."),
    "G55": bilingual("ご利用限度額を超えています。", "The card was declined: over its limit."),
    "G83": bilingual("カードの有効期限をご確認ください。", "Please check the card's expiry date."),
    "G44": bilingual("セキュリティコードをご確認ください。", "Please check the card's security code."),
    "G45": bilingual("セキュリティコードをご確認ください。", "Please check the card's security code."),
    "G65": bilingual("カード番号をご確認ください。", "Please check the card number."),
    "ER014": bilingual("カード番号をご確認ください。", "Please check the card number."),
    "ER900": bilingual(
        "本人認証（3Dセキュア）に失敗しました。もう一度お試しいただくか、別のカードをご利用ください。",
        "Card authentication (3-D Secure) failed. Please try again or use another card.",
    ),
    "ER901": bilingual(
        "本人認証（3Dセキュア）に失敗しました。もう一度お試しいただくか、別のカードをご利用ください。",
        "Card authentication (3-D Secure) failed. Please try again or use another card.",
    ),
    "ER584": bilingual(
        "カード情報の有効期限が切れました。もう一度カード情報を入力してください。",
        "The card entry has expired. Please enter the card details again.",
    ),
    "ER585": bilingual(
        "カード情報の有効期限が切れました。もう一度カード情報を入力してください。",
        "The card entry has expired. Please enter the card details again.",
    ),
}


def shopper_texts(entry: ErrorEntry) -> tuple[str, str]:
    """(Japanese, English) text a shopper should read for a gateway error: never the raw code alone."""
    key = entry.code[:3] if entry.code.startswith("G") else entry.code
    texts = _SPECIFIC_SHOPPER_TEXT.get(key) or _SHOPPER_BY_FIXER[entry.fixer]
    return texts[Language.JA], texts[Language.EN]


def shopper_text(entry: ErrorEntry, language: Language) -> str:
    japanese, english = shopper_texts(entry)
    return japanese if language is Language.JA else english


def merchant_text(entry: ErrorEntry) -> str:
    """For Saleor's transaction event message and logs: the code and its meaning, in English."""
    return f"{entry.code}: {entry.english}"

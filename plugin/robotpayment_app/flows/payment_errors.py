"""Failures specific to payments and to capture/cancel/refund (the shared ones live in `flows/errors.py`).

Each carries the shopper's texts (Japanese, English) and the merchant's text, like every `FlowError`; the
answers are built from them in one place, `flows/payment_answers.py`.
"""

from __future__ import annotations

from robotpayment_app.flows.errors import FlowError


class ContactMissing(FlowError):
    """A token payment needs an e-mail address or a phone number the gateway accepts (3-D Secure uses them)."""

    code = "CONTACT_MISSING"

    def __init__(self) -> None:
        super().__init__(
            "the checkout has neither an e-mail address nor a billing phone number the gateway accepts "
            "(em: printable ASCII with one @; pn: up to 15 digits)",
            japanese="お支払いには有効なメールアドレスまたは電話番号が必要です。",
            english="A valid e-mail address or phone number is needed to pay.",
        )


class ProductCodeMissing(FlowError):
    """Product mode: every line must name the same gateway product code (iid) in its metadata."""

    code = "PRODUCT_CODE_MISSING"

    def __init__(self, metadata_key: str, problem: str) -> None:
        super().__init__(
            f"product mode: {problem}; set the gateway product code (iid, ASCII letters and digits) under the "
            f"metadata key {metadata_key!r} of the variant or its product",
            japanese="現在この商品はこのお支払い方法でご購入いただけません。ストアにお問い合わせください。",
            english="This item cannot be bought with this payment method right now. Please contact the shop.",
        )


class GatewayRequestInvalid(FlowError):
    """A value from Saleor breaks a gateway field rule (the gateway layer refused to build the request)."""

    code = "GATEWAY_REQUEST_INVALID"

    def __init__(self, field: str, rule: str) -> None:
        super().__init__(
            f"the gateway request cannot be built: {field}: {rule}",
            japanese="お支払い情報を処理できませんでした。ストアにお問い合わせください。",
            english="The payment could not be processed. Please contact the shop.",
        )
        self.field = field


class RequestConflict(FlowError):
    """The same Saleor transaction was seen before with a different request (another amount, card...)."""

    code = "REQUEST_CONFLICT"

    def __init__(self) -> None:
        super().__init__(
            "this Saleor transaction was already used for a different payment request; nothing was sent",
            japanese="このお支払い手続きは既に別の内容で使われています。最初からやり直してください。",
            english="This payment attempt was already used with other details. Please start again.",
        )


class PaymentStillPending(FlowError):
    """Not an error of the shopper: the outcome is not known yet and must not be paid again."""

    code = "PAYMENT_PENDING"

    def __init__(self, detail: str) -> None:
        super().__init__(
            f"outcome not known yet ({detail}); the gateway's notification or a later check settles it",
            japanese="お支払い結果を確認しています。重複してお支払いにならないよう、しばらくお待ちください。",
            english="We are confirming your payment. Please wait and do not pay again.",
        )


class PaymentNotCompleted(FlowError):
    """A payment whose answer never came, found not processed by a person who checked the control panel."""

    code = "PAYMENT_NOT_COMPLETED"
    retryable = True

    def __init__(self, merchant_text: str) -> None:
        super().__init__(
            merchant_text,
            japanese="お支払いは完了しませんでした。もう一度お試しいただくか、別のカードをご利用ください。",
            english="The payment did not go through. Please try again or use another card.",
        )


class CardNotConfirmed(FlowError):
    """Saving the new card (cmd 4) got no usable answer, so the one-touch charge after it was not sent."""

    code = "CARD_NOT_CONFIRMED"
    retryable = True

    def __init__(self) -> None:
        super().__init__(
            "card registration before the one-touch charge: no usable answer; the payment was not sent",
            japanese="お支払いは完了していません。お手数ですが、もう一度カード情報を入力してください。",
            english="The payment was not made. Please enter your card details again.",
        )


class PaymentNotFound(FlowError):
    """TRANSACTION_PROCESS_SESSION for a transaction this app never started a payment for."""

    code = "PAYMENT_NOT_FOUND"

    def __init__(self) -> None:
        super().__init__(
            "no payment of this app for this transaction (it was never initialized here)",
            japanese="お支払い手続きが見つかりません。もう一度最初からお試しください。",
            english="The payment could not be found. Please start again.",
        )

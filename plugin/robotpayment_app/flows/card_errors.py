"""Failures specific to gateway customers and saved cards (the shared ones live in `flows/errors.py`)."""

from __future__ import annotations

from robotpayment_app.flows.errors import FlowError


class ContactUnusable(FlowError):
    """The gateway registers a customer only with an e-mail address or a phone number it accepts."""

    code = "CUSTOMER_CONTACT_MISSING"

    def __init__(self) -> None:
        super().__init__(
            "the Saleor user has neither an e-mail address nor a phone number the gateway accepts "
            "(em: printable ASCII with one @; pn: up to 15 digits)",
            japanese="カードを保存するには、有効なメールアドレスまたは電話番号の登録が必要です。",
            english="A valid e-mail address or phone number is needed to save a card.",
        )


class CardOutcomeUnknown(FlowError):
    """A card registration or update was sent and no usable answer came back: the gateway may have done it.

    Never reported as a failure: `session_id` names the pending session, which
    PAYMENT_METHOD_PROCESS_TOKENIZATION_SESSION (or the recover command) settles by reading the cards.
    """

    code = "CARD_OUTCOME_UNKNOWN"

    def __init__(self, what: str, session_id: str) -> None:
        super().__init__(
            f"{what}: sent, but no usable answer came back; pending session {session_id}",
            japanese="カードの登録結果を確認しています。しばらくしてから保存済みカードをご確認ください。",
            english="We are confirming whether your card was saved. Please check your saved cards shortly.",
        )
        self.session_id = session_id


class CardSessionNotFound(FlowError):
    """A tokenization session id that does not exist or is not this shopper's (the same answer either way)."""

    code = "SESSION_NOT_FOUND"

    def __init__(self) -> None:
        super().__init__(
            "tokenization session or card not found for this user (missing, finished or someone else's)",
            japanese="カードの登録手続きが見つかりません。もう一度最初からお試しください。",
            english="The card registration could not be found. Please start again.",
        )

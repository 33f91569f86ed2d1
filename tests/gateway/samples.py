"""Valid requests of every kind (override any field), and the sample lines printed in the spec."""

from __future__ import annotations

from typing import Any

from robotpayment_app.gateway import (
    AmountsCharge,
    BulkRegistrationPayment,
    Cancellation,
    Capture,
    CardDeletion,
    CardLookup,
    CardRegistration,
    CardUpdate,
    CustomerDeletion,
    CustomerLookup,
    CustomerRegistration,
    CustomerUpdate,
    JobType,
    OneTouchCharge,
    TokenPayment,
)

STORE = "000000"
BASE_URL = "https://gateway.test/gateway/"
# Distinctive secrets: no exception text, repr or log line may ever contain them.
SECRET_KEY = "SeCrEtKey9"
SECRET_TOKEN = "TKN-s3cr3t-0f-a-sh0pper"


def customer_registration(**changes: Any) -> CustomerRegistration:
    values: dict[str, Any] = {"store_id": STORE, "customer_id": "012345", "email": "sample@sample.jp"}
    return CustomerRegistration(**(values | changes))


def customer_update(**changes: Any) -> CustomerUpdate:
    values: dict[str, Any] = {
        "store_id": STORE,
        "customer_id": "012345",
        "customer_key": SECRET_KEY,
        "phone": "09011111111",
    }
    return CustomerUpdate(**(values | changes))


def customer_deletion(**changes: Any) -> CustomerDeletion:
    values: dict[str, Any] = {"store_id": STORE, "customer_id": "012345", "customer_key": SECRET_KEY}
    return CustomerDeletion(**(values | changes))


def customer_lookup(**changes: Any) -> CustomerLookup:
    values: dict[str, Any] = {"store_id": STORE, "customer_id": "012345"}
    return CustomerLookup(**(values | changes))


def card_registration(**changes: Any) -> CardRegistration:
    values: dict[str, Any] = {
        "store_id": STORE,
        "customer_id": "012345",
        "customer_key": SECRET_KEY,
        "token": SECRET_TOKEN,
    }
    return CardRegistration(**(values | changes))


def card_update(**changes: Any) -> CardUpdate:
    values: dict[str, Any] = {
        "store_id": STORE,
        "customer_id": "012345",
        "customer_key": SECRET_KEY,
        "card_seq": "1",
        "token": SECRET_TOKEN,
    }
    return CardUpdate(**(values | changes))


def card_lookup(**changes: Any) -> CardLookup:
    values: dict[str, Any] = {
        "store_id": STORE,
        "customer_id": "012345",
        "customer_key": SECRET_KEY,
        "card_seq": "1",
    }
    return CardLookup(**(values | changes))


def card_deletion(**changes: Any) -> CardDeletion:
    values: dict[str, Any] = {
        "store_id": STORE,
        "customer_id": "012345",
        "customer_key": SECRET_KEY,
        "card_seq": "1",
    }
    return CardDeletion(**(values | changes))


def amounts(**changes: Any) -> AmountsCharge:
    values: dict[str, Any] = {"job": JobType.AUTH, "amount": 1000, "tax": 80, "shipping": 500}
    return AmountsCharge(**(values | changes))


def bulk_payment(**changes: Any) -> BulkRegistrationPayment:
    values: dict[str, Any] = {
        "store_id": STORE,
        "order_ref": "order-1",
        "customer_id": "012345",
        "token": SECRET_TOKEN,
        "charge": amounts(),
        "email": "sample@sample.jp",
    }
    return BulkRegistrationPayment(**(values | changes))


def token_payment(**changes: Any) -> TokenPayment:
    values: dict[str, Any] = {
        "store_id": STORE,
        "order_ref": "order-1",
        "token": SECRET_TOKEN,
        "charge": amounts(),
        "email": "sample@sample.jp",
    }
    return TokenPayment(**(values | changes))


def one_touch(**changes: Any) -> OneTouchCharge:
    values: dict[str, Any] = {
        "store_id": STORE,
        "order_ref": "order-1",
        "customer_id": "012345",
        "customer_key": SECRET_KEY,
        "card_seq": "1",
        "charge": amounts(),
    }
    return OneTouchCharge(**(values | changes))


def capture(**changes: Any) -> Capture:
    return Capture(**({"store_id": STORE, "gid": "1095729"} | changes))


def cancellation(**changes: Any) -> Cancellation:
    return Cancellation(**({"store_id": STORE, "gid": "1095729"} | changes))


# Every answer line printed in the spec, verbatim (the PDF wrapped the first kickback sample after `012345`).
SPEC_CUSTOMER_ANSWER = "1,,012345,vnjpBycDO5"  # user register, update and delete
SPEC_CUSTOMER_READ_ANSWER = "1,,012345,vnjpBycDO5,sample@sample.jp,09011111111"
SPEC_CARD_ANSWER = "1,,012345,vnjpBycDO5,1"  # card register, update and delete
# The card read sample lacks the empty ec field of its own table.
SPEC_CARD_READ_ANSWER = "1,012345,vnjpBycDO5,1,*****9999,2512,sample,sample"
SPEC_BULK_PAYMENT_ANSWER = "1095729,1,TestMod,,205685,,1000,2,4,1006,,012345,vnpjBycDO5,1"
SPEC_ONE_TOUCH_ANSWER = "1095729,1,TestMod,,205685,,1000,2,4,1006,.."  # the spec's ".." means "and so on"
SPEC_BULK_KICKBACK = (
    "決済結果通知URL?gid=10000001&rst=1&ap=0001112&ec=&god=10000002&cod=test &am=1000&tx=80&sf=500&ta=1580"
    "&uid= 012345\n&key=vnpjBycDO5&num=1"
)
SPEC_ONE_TOUCH_KICKBACK = (
    "決済結果通知URL?gid=10000001&rst=1&ap=0001112&ec=&god=10000002&cod=test &am=1000&tx=80&sf=500&ta=1580"
)
OFFICIAL_FAILURE_ANSWER = "0,2,,ER900,,,0,0,0,0,,,0,"  # [official] companion spec

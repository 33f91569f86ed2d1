"""`RobotPaymentClient` against a scripted gateway (httpx.MockTransport): what it sends, how it reads answers,
and how it tells a refusal, an unavailable gateway and an unknown outcome apart."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from robotpayment_app.gateway import (
    GatewayAnswerError,
    GatewayOutcomeUnknown,
    GatewayRejected,
    GatewayTimeouts,
    GatewayUnavailable,
    JobType,
    PaymentResult,
    ProductCharge,
    ReadRetryPolicy,
    RobotPaymentClient,
)

from . import samples
from .conftest import ScriptedGateway, SleepRecorder
from .samples import SECRET_KEY, SECRET_TOKEN

Call = Callable[[RobotPaymentClient], Awaitable[Any]]

PAYMENT_OK = "1095729,1,TestMod,,205685,order-1,1000,80,500,1580,,"
BULK_OK = f"1095729,1,TestMod,,205685,order-1,1000,80,500,1580,,,012345,{SECRET_KEY},1"

# name, call, answer, endpoint, exact parameters sent
CALLS: list[tuple[str, Call, str, str, list[tuple[str, str]]]] = [
    (
        "register_customer",
        lambda c: c.register_customer(samples.customer_registration()),
        f"1,,012345,{SECRET_KEY}",
        "carduser.aspx",
        [("aid", "000000"), ("cmd", "0"), ("uid", "012345"), ("em", "sample@sample.jp")],
    ),
    (
        "update_customer",
        lambda c: c.update_customer(samples.customer_update()),
        f"1,,012345,{SECRET_KEY}",
        "carduser.aspx",
        [("aid", "000000"), ("cmd", "1"), ("uid", "012345"), ("key", SECRET_KEY), ("pn", "09011111111")],
    ),
    (
        "delete_customer",
        lambda c: c.delete_customer(samples.customer_deletion()),
        f"1,,012345,{SECRET_KEY}",
        "carduser.aspx",
        [("aid", "000000"), ("cmd", "2"), ("uid", "012345"), ("key", SECRET_KEY)],
    ),
    (
        "read_customer",
        lambda c: c.read_customer(samples.customer_lookup()),
        f"1,,012345,{SECRET_KEY},sample@sample.jp,09011111111",
        "carduser.aspx",
        [("aid", "000000"), ("cmd", "3"), ("uid", "012345")],
    ),
    (
        "register_card",
        lambda c: c.register_card(samples.card_registration()),
        f"1,,012345,{SECRET_KEY},1",
        "carduser_token.aspx",
        [("aid", "000000"), ("cmd", "4"), ("uid", "012345"), ("key", SECRET_KEY), ("tkn", SECRET_TOKEN)],
    ),
    (
        "update_card",
        lambda c: c.update_card(samples.card_update()),
        f"1,,012345,{SECRET_KEY},1",
        "carduser_token.aspx",
        [
            ("aid", "000000"),
            ("cmd", "4"),
            ("uid", "012345"),
            ("key", SECRET_KEY),
            ("num", "1"),
            ("tkn", SECRET_TOKEN),
        ],
    ),
    (
        "read_card",
        lambda c: c.read_card(samples.card_lookup()),
        f"1,,012345,{SECRET_KEY},1,*****1111,2912,TARO,YAMADA",
        "carduser.aspx",
        [("aid", "000000"), ("cmd", "6"), ("uid", "012345"), ("key", SECRET_KEY), ("num", "1")],
    ),
    (
        "delete_card",
        lambda c: c.delete_card(samples.card_deletion()),
        f"1,,012345,{SECRET_KEY},1",
        "carduser.aspx",
        [("aid", "000000"), ("cmd", "5"), ("uid", "012345"), ("key", SECRET_KEY), ("num", "1")],
    ),
    (
        "pay_and_register",
        lambda c: c.pay_and_register(samples.bulk_payment()),
        BULK_OK,
        "gateway_token.aspx",
        [
            ("aid", "000000"),
            ("jb", "AUTH"),
            ("rt", "1"),
            ("cod", "order-1"),
            ("uid", "012345"),
            ("tkn", SECRET_TOKEN),
            ("em", "sample@sample.jp"),
            ("am", "1000"),
            ("tx", "80"),
            ("sf", "500"),
        ],
    ),
    (
        "pay_with_token",
        lambda c: c.pay_with_token(samples.token_payment(charge=ProductCharge(item_id="item01"))),
        PAYMENT_OK,
        "gateway_token.aspx",
        [
            ("aid", "000000"),
            ("rt", "1"),
            ("cod", "order-1"),
            ("tkn", SECRET_TOKEN),
            ("em", "sample@sample.jp"),
            ("iid", "item01"),
        ],
    ),
    (
        "charge_one_touch",
        lambda c: c.charge_one_touch(samples.one_touch(payment_method="61", installments=3)),
        PAYMENT_OK,
        "onetouch.aspx",
        [
            ("aid", "000000"),
            ("rt", "1"),
            ("cmd", "4"),
            ("cod", "order-1"),
            ("uid", "012345"),
            ("key", SECRET_KEY),
            ("num", "1"),
            ("jb", "AUTH"),
            ("am", "1000"),
            ("tx", "80"),
            ("sf", "500"),
            ("md", "61"),
            ("pt", "3"),
        ],
    ),
    (
        "capture",
        lambda c: c.capture(samples.capture()),
        "1095729,1,,,205685,,1000,80,500,1580,,",
        "gateway.aspx",
        [("aid", "000000"), ("jb", "SALES"), ("tid", "1095729"), ("rt", "1")],
    ),
    (
        "cancel",
        lambda c: c.cancel(samples.cancellation()),
        "1095729,1,,,205685,,1000,80,500,1580,,",
        "gateway.aspx",
        [("aid", "000000"), ("jb", "CANCEL"), ("tid", "1095729"), ("rt", "1")],
    ),
]
CALL_IDS = [name for name, *_ in CALLS]
MONEY_CALLS = [
    c for c in CALLS if c[0] in {"pay_and_register", "pay_with_token", "charge_one_touch", "capture", "cancel"}
]
MONEY_IDS = [name for name, *_ in MONEY_CALLS]


@pytest.mark.parametrize(("name", "call", "answer", "endpoint", "params"), CALLS, ids=CALL_IDS)
async def test_each_call_sends_exactly_the_spec_parameters(
    client: RobotPaymentClient,
    gateway: ScriptedGateway,
    name: str,
    call: Call,
    answer: str,
    endpoint: str,
    params: list[tuple[str, str]],
) -> None:
    gateway.reply(answer + "\r\n")
    result = await call(client)
    assert len(gateway.requests) == 1
    sent = gateway.requests[0]
    assert sent.method == "POST"
    assert str(sent.url) == samples.BASE_URL + endpoint
    assert sent.headers["content-type"] == "application/x-www-form-urlencoded; charset=utf-8"
    assert gateway.sent() == params
    assert sent.extensions["timeout"] == {"connect": 3.0, "read": 10.0, "write": 5.0, "pool": 2.0}
    assert result.succeeded
    assert SECRET_KEY not in repr(result) and SECRET_TOKEN not in repr(result)


async def test_answers_are_read_into_typed_results(client: RobotPaymentClient, gateway: ScriptedGateway) -> None:
    gateway.reply(f"1,,012345,{SECRET_KEY},sample@sample.jp,09011111111")
    customer = await client.read_customer(samples.customer_lookup())
    assert (customer.customer_key, customer.email, customer.phone) == (
        SECRET_KEY,
        "sample@sample.jp",
        "09011111111",
    )

    gateway.reply(samples.SPEC_CARD_READ_ANSWER)
    card = await client.read_card(samples.card_lookup())
    assert (card.masked_number, card.expiry, card.first_name) == ("*****9999", "2512", "sample")

    gateway.reply(f"1,,012345,{SECRET_KEY},3")
    assert (await client.register_card(samples.card_registration())).card_seq == "3"

    gateway.reply(BULK_OK + ",memo=hi")
    paid = await client.pay_and_register(samples.bulk_payment(extra={"memo": "hi"}))
    assert (paid.gid, paid.customer_id, paid.customer_key, paid.card_seq) == (
        "1095729",
        "012345",
        SECRET_KEY,
        "1",
    )
    assert (paid.amount, paid.tax, paid.shipping, paid.total) == (1000, 80, 500, 1580)
    assert dict(paid.extra) == {"memo": "hi"}


async def test_base_url_without_trailing_slash(http: httpx.AsyncClient, gateway: ScriptedGateway) -> None:
    client = RobotPaymentClient(http, base_url="http://127.0.0.1:8765/gateway")
    assert client.base_url == "http://127.0.0.1:8765/gateway/"
    gateway.reply(PAYMENT_OK)
    await client.charge_one_touch(samples.one_touch())
    assert str(gateway.requests[0].url) == "http://127.0.0.1:8765/gateway/onetouch.aspx"


async def test_production_host_is_the_default(http: httpx.AsyncClient) -> None:
    assert RobotPaymentClient(http).base_url == "https://credit.j-payment.co.jp/gateway/"


class TestDeclinesAndRefusals:
    async def test_declined_payment_is_a_result(self, client: RobotPaymentClient, gateway: ScriptedGateway) -> None:
        gateway.reply("1095730,2,,G5542G550000,205686,order-1,1000,80,500,1580,,")
        result = await client.charge_one_touch(samples.one_touch())
        assert isinstance(result, PaymentResult) and not result.succeeded
        assert result.gid == "1095730"
        assert result.error is not None and result.error.code == "G5542G550000"
        assert result.error.english == "Over the card's limit"

    async def test_3ds_failure_of_a_bulk_payment(self, client: RobotPaymentClient, gateway: ScriptedGateway) -> None:
        gateway.reply(samples.OFFICIAL_FAILURE_ANSWER)
        result = await client.pay_and_register(samples.bulk_payment())
        assert not result.succeeded and result.gid is None
        assert result.error is not None and result.error.code == "ER900"

    async def test_plain_error_answer_to_a_payment(self, client: RobotPaymentClient, gateway: ScriptedGateway) -> None:
        gateway.reply("ER:ER010\r\n")
        result = await client.pay_with_token(samples.token_payment())
        assert not result.succeeded and result.error is not None
        assert result.error.code == "ER010" and result.error.retryable
        assert len(gateway.requests) == 1

    async def test_capture_refused(self, client: RobotPaymentClient, gateway: ScriptedGateway) -> None:
        gateway.reply("1095729,2,,ER032,,,0,0,0,0,,")
        result = await client.capture(samples.capture())
        assert not result.succeeded and result.error is not None and result.error.code == "ER032"

    async def test_capture_answer_without_gid_gets_the_one_sent(
        self, client: RobotPaymentClient, gateway: ScriptedGateway
    ) -> None:
        gateway.reply(",1,,,,,1000,80,500,1580,,")
        assert (await client.capture(samples.capture())).gid == "1095729"

    @pytest.mark.parametrize(
        ("call", "answer", "code"),
        [
            (lambda c: c.register_card(samples.card_registration()), "2,ER584,012345,", "ER584"),
            (lambda c: c.update_card(samples.card_update()), "2,ER900", "ER900"),
            (lambda c: c.register_customer(samples.customer_registration()), "ER:ER003\r\n", "ER003"),
            (lambda c: c.read_card(samples.card_lookup()), "2,ER021,,", "ER021"),
            (lambda c: c.delete_customer(samples.customer_deletion()), "2,", ""),
        ],
    )
    async def test_refused_management_call_raises_with_the_entry(
        self, client: RobotPaymentClient, gateway: ScriptedGateway, call: Call, answer: str, code: str
    ) -> None:
        gateway.reply(answer)
        with pytest.raises(GatewayRejected) as refused:
            await call(client)
        assert refused.value.entry.code == code
        assert len(gateway.requests) == 1


# Failures after the request may have reached the gateway.
UNKNOWN_OUTCOMES: list[tuple[str, object]] = [
    ("read timeout", httpx.ReadTimeout("timed out")),
    ("connection dropped", httpx.RemoteProtocolError("Server disconnected without sending a response.")),
    ("connection reset while reading", httpx.ReadError("connection reset")),
    ("write failed midway", httpx.WriteError("broken pipe")),
    ("500", httpx.Response(500, text="Server Error")),
    ("503", httpx.Response(503)),
    # the request was written: a front server's refusal proves nothing about what the gateway behind it did
    ("404", httpx.Response(404)),
    ("403", httpx.Response(403)),
    ("400", httpx.Response(400, text="Bad Request")),
    ("redirect", httpx.Response(302, headers={"Location": "https://elsewhere.example/gateway/gateway_token.aspx"})),
    ("empty body", ""),
    ("garbage", "<html><body>Runtime Error</body></html>"),
    ("stray comma in an amount", "1095729,1,TestMod,,205685,order-1,1,000,80,500,1580,,"),
    ("not UTF-8", b"\xff\xfe1,1"),
]
# Answers that parse but cannot be the answer to what was sent (the call's own success answer, altered).
MISMATCHES: list[tuple[str, Callable[[str], str], set[str]]] = [
    (
        "answer for another order",
        lambda a: a.replace("order-1", "order-2"),
        {"pay_and_register", "charge_one_touch"},
    ),
    (
        "answer for other amounts",
        lambda a: a.replace("1000,80,500,1580", "100,80,500,680"),
        {"charge_one_touch"},
    ),
    ("answer for another payment", lambda a: a.replace("1095729", "1095799"), {"capture", "cancel"}),
]
UNKNOWN_CASES = [
    pytest.param(call, failure, reply, id=f"{call[0]}-{failure}")
    for call in MONEY_CALLS
    for failure, reply in UNKNOWN_OUTCOMES
] + [
    pytest.param(call, failure, alter(call[2]), id=f"{call[0]}-{failure}")
    for call in MONEY_CALLS
    for failure, alter, names in MISMATCHES
    if call[0] in names
]


@pytest.mark.parametrize(("money_call", "failure", "reply"), UNKNOWN_CASES)
async def test_money_call_with_unknown_outcome_is_reported_unknown_and_not_retried(
    client: RobotPaymentClient,
    gateway: ScriptedGateway,
    sleeps: SleepRecorder,
    money_call: tuple[str, Call, str, str, list[tuple[str, str]]],
    failure: str,
    reply: Any,
) -> None:
    _, call, answer, endpoint, _ = money_call
    gateway.reply(reply, answer)  # a second attempt would succeed: it must not happen
    with pytest.raises(GatewayOutcomeUnknown) as unknown:
        await call(client)
    assert len(gateway.requests) == 1
    assert sleeps.delays == []
    assert unknown.value.call.endpoint == endpoint
    shown = str(unknown.value) + repr(unknown.value)
    assert SECRET_KEY not in shown and SECRET_TOKEN not in shown


async def test_unknown_outcome_carries_what_was_sent_without_secrets(
    client: RobotPaymentClient, gateway: ScriptedGateway
) -> None:
    gateway.reply(httpx.ReadTimeout("timed out"))
    with pytest.raises(GatewayOutcomeUnknown) as unknown:
        await client.charge_one_touch(samples.one_touch(card_seq="2", charge=samples.amounts(job=JobType.CAPTURE)))
    call = unknown.value.call
    assert (call.endpoint, call.cmd, call.jb, call.cod) == ("onetouch.aspx", "4", "CAPTURE", "order-1")
    assert (call.amount, call.tax, call.shipping, call.customer_id, call.card_seq) == (
        1000,
        80,
        500,
        "012345",
        "2",
    )
    assert unknown.value.reason == "ReadTimeout"
    assert str(unknown.value) == (
        "outcome unknown for onetouch.aspx cmd=4 jb=CAPTURE cod=order-1 am=1000 tx=80 sf=500 uid=012345 "
        "num=2: ReadTimeout"
    )
    assert SECRET_KEY not in repr(call) and SECRET_TOKEN not in repr(call)


async def test_answer_for_another_order_is_unknown(client: RobotPaymentClient, gateway: ScriptedGateway) -> None:
    gateway.reply(PAYMENT_OK.replace("order-1", "order-2"))
    with pytest.raises(GatewayOutcomeUnknown, match="cod in the answer differs"):
        await client.charge_one_touch(samples.one_touch())


async def test_bulk_answer_for_another_user_is_unknown(client: RobotPaymentClient, gateway: ScriptedGateway) -> None:
    gateway.reply(BULK_OK.replace(",012345,", ",999999,"))
    with pytest.raises(GatewayOutcomeUnknown, match="uid in the answer differs"):
        await client.pay_and_register(samples.bulk_payment())


async def test_capture_answer_for_another_payment_is_unknown(
    client: RobotPaymentClient, gateway: ScriptedGateway
) -> None:
    gateway.reply("1095799,1,,,205685,,1000,80,500,1580,,")
    with pytest.raises(GatewayOutcomeUnknown, match="gid in the answer differs"):
        await client.capture(samples.capture())


@pytest.mark.parametrize(
    "call",
    [lambda c: c.register_card(samples.card_registration()), lambda c: c.update_card(samples.card_update())],
    ids=["register_card", "update_card"],
)
@pytest.mark.parametrize(
    "reply",
    [httpx.ReadTimeout("t"), "", "OK", httpx.Response(502)],
    ids=["timeout", "empty", "garbage", "502"],
)
async def test_card_registration_with_unknown_outcome(
    client: RobotPaymentClient, gateway: ScriptedGateway, call: Call, reply: Any
) -> None:
    gateway.reply(reply, f"1,,012345,{SECRET_KEY},1")
    with pytest.raises(GatewayOutcomeUnknown):
        await call(client)
    assert len(gateway.requests) == 1


NOT_SENT = [
    ("connection refused", httpx.ConnectError("[Errno 111] Connection refused")),
    ("DNS failure", httpx.ConnectError("[Errno -2] Name or service not known")),
    ("connect timeout", httpx.ConnectTimeout("timed out")),
    ("pool timeout", httpx.PoolTimeout("no connection free")),
]


@pytest.mark.parametrize(("failure", "reply"), NOT_SENT, ids=[f for f, _ in NOT_SENT])
@pytest.mark.parametrize(("name", "call", "answer", "endpoint", "params"), MONEY_CALLS, ids=MONEY_IDS)
async def test_money_call_that_never_reached_the_gateway_is_unavailable_and_not_retried(
    client: RobotPaymentClient,
    gateway: ScriptedGateway,
    sleeps: SleepRecorder,
    failure: str,
    reply: Any,
    name: str,
    call: Call,
    answer: str,
    endpoint: str,
    params: list[tuple[str, str]],
) -> None:
    gateway.reply(reply, answer)
    with pytest.raises(GatewayUnavailable) as unavailable:
        await call(client)
    assert len(gateway.requests) == 1 and sleeps.delays == []
    if isinstance(reply, httpx.Response):
        assert unavailable.value.status_code == reply.status_code


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.delete_customer(samples.customer_deletion()),
        lambda c: c.delete_card(samples.card_deletion()),
        lambda c: c.register_customer(samples.customer_registration()),
        lambda c: c.update_customer(samples.customer_update()),
    ],
    ids=["delete_customer", "delete_card", "register_customer", "update_customer"],
)
async def test_writes_are_not_retried(
    client: RobotPaymentClient, gateway: ScriptedGateway, sleeps: SleepRecorder, call: Call
) -> None:
    gateway.reply(httpx.Response(503), f"1,,012345,{SECRET_KEY},1")
    with pytest.raises(GatewayOutcomeUnknown):
        await call(client)
    gateway.requests.clear()
    gateway.reply(httpx.ConnectError("refused"), f"1,,012345,{SECRET_KEY},1")
    with pytest.raises(GatewayUnavailable):
        await call(client)
    assert len(gateway.requests) == 1 and sleeps.delays == []


async def test_malformed_answer_to_a_management_call(client: RobotPaymentClient, gateway: ScriptedGateway) -> None:
    gateway.reply("<html>oops</html>")
    with pytest.raises(GatewayAnswerError) as malformed:
        await client.register_customer(samples.customer_registration())
    assert malformed.value.call is not None and malformed.value.call.cmd == "0"
    gateway.reply(f"1,,999999,{SECRET_KEY}")
    with pytest.raises(GatewayAnswerError, match="uid in the answer differs"):
        await client.update_customer(samples.customer_update())
    gateway.reply(f"1,,012345,{SECRET_KEY},7")
    with pytest.raises(GatewayAnswerError, match="num in the answer differs"):
        await client.delete_card(samples.card_deletion())


class TestReadRetries:
    async def test_reads_are_retried_with_capped_backoff(
        self, client: RobotPaymentClient, gateway: ScriptedGateway, sleeps: SleepRecorder
    ) -> None:
        gateway.reply(httpx.Response(503), httpx.ConnectError("refused"), f"1,,012345,{SECRET_KEY},,0311112222")
        record = await client.read_customer(samples.customer_lookup())
        assert record.phone == "0311112222"
        assert len(gateway.requests) == 3
        assert sleeps.delays == [0.2, 0.3]  # 0.2, then 0.4 capped at 0.3

    async def test_read_gives_up_after_the_last_attempt(
        self, client: RobotPaymentClient, gateway: ScriptedGateway, sleeps: SleepRecorder
    ) -> None:
        gateway.reply(httpx.Response(500))
        with pytest.raises(GatewayUnavailable) as failed:  # a read moves nothing: no outcome to be unknown
            await client.read_card(samples.card_lookup())
        assert failed.value.status_code == 500
        assert len(gateway.requests) == 3 and len(sleeps.delays) == 2

    @pytest.mark.parametrize(
        "reply", [httpx.ReadTimeout("t"), "garbage", "2,ER021"], ids=["read timeout", "garbage", "refused"]
    )
    async def test_reads_are_not_retried_on_slow_or_bad_answers(
        self, client: RobotPaymentClient, gateway: ScriptedGateway, sleeps: SleepRecorder, reply: Any
    ) -> None:
        gateway.reply(reply, samples.SPEC_CARD_READ_ANSWER)
        with pytest.raises((GatewayOutcomeUnknown, GatewayAnswerError, GatewayRejected)):
            await client.read_card(samples.card_lookup())
        assert len(gateway.requests) == 1 and sleeps.delays == []

    async def test_retries_stay_within_the_total_budget(
        self, http: httpx.AsyncClient, gateway: ScriptedGateway, sleeps: SleepRecorder
    ) -> None:
        client = RobotPaymentClient(
            http,
            timeouts=GatewayTimeouts(total=1.0),
            read_retry=ReadRetryPolicy(attempts=5, first_delay=5.0, max_delay=5.0),
            sleep=sleeps,
        )
        gateway.reply(httpx.Response(503), samples.SPEC_CUSTOMER_READ_ANSWER)
        with pytest.raises(GatewayUnavailable):
            await client.read_customer(samples.customer_lookup())
        assert len(gateway.requests) == 1 and sleeps.delays == []


async def test_total_budget_bounds_a_call(http: httpx.AsyncClient, gateway: ScriptedGateway) -> None:
    async def never_answers(request: httpx.Request) -> httpx.Response:
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    gateway.reply(never_answers)
    client = RobotPaymentClient(http, timeouts=GatewayTimeouts(total=0.05))
    with pytest.raises(GatewayOutcomeUnknown, match="total time budget"):
        await client.charge_one_touch(samples.one_touch())


def test_timeouts_and_retry_policy_refuse_nonsense() -> None:
    with pytest.raises(ValueError, match=r"GatewayTimeouts\.read"):
        GatewayTimeouts(read=0)
    with pytest.raises(ValueError, match=r"GatewayTimeouts\.total"):
        GatewayTimeouts(total=-1)
    with pytest.raises(ValueError, match="attempts"):
        ReadRetryPolicy(attempts=0)
    with pytest.raises(ValueError, match="delays"):
        ReadRetryPolicy(first_delay=2.0, max_delay=1.0)
    assert GatewayTimeouts().total < 18  # under Saleor's sync webhook timeout


class TestLogging:
    async def test_one_debug_line_per_call_with_endpoint_job_cod_duration_outcome(
        self, client: RobotPaymentClient, gateway: ScriptedGateway, caplog: pytest.LogCaptureFixture
    ) -> None:
        caplog.set_level(logging.DEBUG, logger="robotpayment_app.gateway")
        gateway.reply("1095730,2,,G1242G120000,205686,order-1,1000,80,500,1580,,")
        await client.charge_one_touch(samples.one_touch())
        [record] = caplog.records
        assert record.levelno == logging.DEBUG
        message = record.getMessage()
        assert message.startswith("gateway call onetouch.aspx cmd=4 jb=AUTH cod=order-1 ")
        assert "duration_ms=" in message and message.endswith("outcome=declined:G1242G120000")

    async def test_secrets_never_reach_logs_or_exception_texts(
        self, client: RobotPaymentClient, gateway: ScriptedGateway, caplog: pytest.LogCaptureFixture
    ) -> None:
        caplog.set_level(logging.DEBUG)
        shown: list[str] = []
        replies: list[Any] = [
            None,  # the call's own success answer
            "2,ER584",
            "ER:ER003",
            f"{SECRET_KEY},{SECRET_TOKEN}",
            f"1,,012345,{SECRET_KEY},x,y,z,{SECRET_TOKEN}",
            httpx.ReadTimeout(f"timed out {SECRET_TOKEN}"),
            httpx.ConnectError(f"refused {SECRET_KEY}"),
            httpx.Response(500, text=f"{SECRET_KEY} {SECRET_TOKEN}"),
        ]
        for _, call, answer, _, _ in CALLS:
            for reply in replies:
                gateway.reply(answer if reply is None else reply)
                try:
                    result = await call(client)
                except Exception as error:  # every error type is inspected
                    shown += [str(error), repr(error), repr(error.__cause__), repr(error.__context__)]
                else:
                    shown.append(repr(result))
        shown.append(caplog.text)
        assert len(caplog.records) >= len(CALLS) * len(replies)
        for text in shown:
            assert SECRET_KEY not in text
            assert SECRET_TOKEN not in text

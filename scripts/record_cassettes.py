"""Record the gateway client's vcrpy cassettes (`cassettes/*.yaml`), one per call and outcome, secrets scrubbed.

    .venv/bin/python scripts/record_cassettes.py                 # against a local sandbox (started for the run)
    .venv/bin/python scripts/record_cassettes.py --token-needs   # what each browser-made token must be

By default the sandbox gateway runs on a free loopback port for the duration of the run and makes its own
tokens (`SandboxShopper`). Setting ROBOTPAYMENT_RECORD_STORE_ID records against a real (test) store instead:

    ROBOTPAYMENT_RECORD_STORE_ID  the store's `aid` (6 digits); this machine's IP must be allow-listed for it
    ROBOTPAYMENT_RECORD_BASE_URL  gateway base URL (default https://credit.j-payment.co.jp/gateway/)
    ROBOTPAYMENT_RECORD_ITEM_ID   a product code registered in the store (alphanumerics; default EBOOK001)
    ROBOTPAYMENT_RECORD_RUN       suffix making customer ids and order refs unique (alphanumerics; default
                                  r<UTC date and time>); fix it before preparing tokens, 3-D Secure binds the uid
    ROBOTPAYMENT_RECORD_TOKENS    a JSON file {cassette name: token}; tokens are made in a browser with CPToken.js
                                  and authenticated with ThreeDSAdapter as `--token-needs` prints. Missing ones
                                  are asked for on the terminal when there is one, else their cassettes are skipped.

Cassettes are written only when every call gave the outcome its cassette is for (else nothing is written and the
exit status is 1), unless --force, which writes those recorded and leaves the others as they were.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import enum
import json
import os
import shutil
import sys
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol, TypeVar

import httpx
from starlette.types import ASGIApp

if __package__ in (None, ""):  # run as a file: make the repository's `tests` package importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.gateway import cassette_support as cs

from robotpayment_app.gateway import (
    PRODUCTION_BASE_URL,
    AmountsCharge,
    BulkRegistrationPayment,
    CardRegistration,
    CardUpdate,
    GatewayError,
    GatewayRejected,
    PaymentMethod,
    PaymentResult,
    ProductCharge,
    ReadRetryPolicy,
    RobotPaymentClient,
    TokenPayment,
)
from robotpayment_app.sandbox.app import create_sandbox_app
from robotpayment_app.sandbox.config import Product, SandboxConfig, StoreConfig
from robotpayment_app.sandbox.server import serving
from robotpayment_app.sandbox.shopper import SandboxShopper

Answer = TypeVar("Answer")
TokenRequest = CardRegistration | CardUpdate | BulkRegistrationPayment | TokenPayment

# The store the sandbox records with: revolving (md=80) not contracted, so that one-touch call is refused; one
# alphanumeric content product, so product payments answer an issued password to scrub.
RECORDING_SANDBOX = SandboxConfig(
    stores=(StoreConfig(store_id=cs.CANONICAL.store_id, revolving=False),),
    products=(
        Product(item_id=cs.CANONICAL.item_id, name="Recorded e-book (ID/PW)", amount=980, tax=98,
                issues_credentials=True),
    ),
)  # fmt: skip


class CardRole(enum.Enum):
    APPROVES = "a card the gateway approves"
    DECLINES = "a card the card company declines (G code)"
    FAILS_3DS = "a card whose 3-D Secure fails (or authenticate with other amounts than the payment)"


SANDBOX_CARDS = {
    CardRole.APPROVES: "4444333322221111",
    CardRole.DECLINES: "4000000000000556",  # G55 over limit
    CardRole.FAILS_3DS: "4000000000000903",  # the payment answers ER900
}


@dataclass(frozen=True)
class TokenNeed:
    """A token for one cassette: the card to enter in CPToken.js and the ThreeDSAdapter.authenticate params."""

    cassette: str
    card: CardRole
    three_ds: dict[str, str]

    def describe(self) -> str:
        return json.dumps({"cassette": self.cassette, "card": self.card.value, "authenticate": self.three_ds})


class TokenUnavailable(Exception):
    """No token for a cassette: it is skipped."""


class TokenSource(Protocol):
    async def token(self, need: TokenNeed) -> str: ...


class SandboxTokens:
    """Tokens the sandbox makes, 3-D Secure included, as its browser scripts would."""

    def __init__(self, shopper: SandboxShopper) -> None:
        self._shopper = shopper

    async def token(self, need: TokenNeed) -> str:
        aid = need.three_ds["aid"]
        token = await self._shopper.create_token(aid, SANDBOX_CARDS[need.card], "3912", "TARO", "YAMADA")
        result = await self._shopper.authenticate(need.three_ds, token)
        if result != "Success":
            raise TokenUnavailable(f"sandbox 3-D Secure answered {result}")
        return token


class BrowserTokens:
    """Tokens made in a browser against the real gateway: from a JSON file, else asked for on the terminal."""

    def __init__(self, known: Mapping[str, str], ask: Callable[[str], str] | None) -> None:
        self._known = dict(known)
        self._ask = ask

    async def token(self, need: TokenNeed) -> str:
        if need.cassette in self._known:
            return self._known[need.cassette]
        if self._ask is None:
            raise TokenUnavailable(f"no token in ROBOTPAYMENT_RECORD_TOKENS for {need.cassette}")
        print(f"token needed: {need.describe()}", file=sys.stderr)
        answer = (await asyncio.to_thread(self._ask, "token (empty to skip): ")).strip()
        if not answer:
            raise TokenUnavailable(f"skipped {need.cassette}")
        return answer


def three_ds_params(store_id: str, request: TokenRequest) -> dict[str, str]:
    """What ThreeDSAdapter.authenticate must be given for this request: `uid` for a card, else the payment's
    terms (am tx sf, or iid) and contact, exactly as sent."""
    params = {"aid": store_id}
    if isinstance(request, CardRegistration | CardUpdate):
        return params | {"uid": request.customer_id}
    charge = request.charge
    if isinstance(charge, AmountsCharge):
        params |= {"am": str(charge.amount), "tx": str(charge.tax), "sf": str(charge.shipping)}
    elif isinstance(charge, ProductCharge):
        params["iid"] = charge.item_id
    if request.email is not None:
        params["em"] = request.email
    if request.phone is not None:
        params["pn"] = request.phone
    return params


@dataclass(frozen=True)
class Target:
    base_url: str
    identity: cs.Identity
    tokens: TokenSource
    origin: str | None = None  # the base URL's origin when it is a sandbox on a passing port


@dataclass
class Report:
    recorded: list[str] = field(default_factory=list)
    outcomes: dict[str, str] = field(default_factory=dict)  # cassette -> what the gateway answered (no secrets)
    problems: list[str] = field(default_factory=list)


class Aborted(Exception):
    """A later call needs something an earlier one did not give."""


BuildWithToken = Callable[[str], TokenRequest]


def token_requests(ids: cs.Identity, key: str, card_seq: str) -> dict[str, tuple[CardRole, BuildWithToken]]:
    """Every cassette whose call spends a new token: the card it needs and its request, given the token."""
    return {
        "card_register_success": (CardRole.APPROVES, lambda token: cs.card_registration(ids, key, token)),
        "card_update_success": (CardRole.DECLINES, lambda token: cs.card_update(ids, key, card_seq, token)),
        "bulk_payment_amounts_success": (
            CardRole.APPROVES, lambda token: cs.bulk_payment_amounts(ids, cs.BULK_SHOPPER, "bulk-amounts", token)
        ),
        "bulk_payment_amounts_failure": (
            CardRole.DECLINES,
            lambda token: cs.bulk_payment_amounts(ids, cs.DECLINED_SHOPPER, "bulk-declined", token),
        ),
        "bulk_payment_product_success": (
            CardRole.APPROVES,
            lambda token: cs.bulk_payment_product(ids, cs.PRODUCT_SHOPPER, "bulk-product", token),
        ),
        "token_payment_amounts_success": (
            CardRole.APPROVES, lambda token: cs.token_payment_amounts(ids, "token-amounts", token)
        ),
        "token_payment_amounts_failure": (
            CardRole.FAILS_3DS, lambda token: cs.token_payment_amounts(ids, "token-3ds-failed", token)
        ),
        "token_payment_product_success": (
            CardRole.APPROVES, lambda token: cs.token_payment_product(ids, "token-product", token)
        ),
        "token_payment_check_success": (
            CardRole.APPROVES, lambda token: cs.token_payment_check(ids, "token-check", token)
        ),
        "token_payment_check_failure": (
            CardRole.DECLINES, lambda token: cs.token_payment_check(ids, "token-check-declined", token)
        ),
    }  # fmt: skip


def token_needs(ids: cs.Identity) -> list[TokenNeed]:
    """What each token a recording spends must be (the key and card number do not enter 3-D Secure)."""
    table = token_requests(ids, cs.KEY_PLACEHOLDER, "1")
    return [
        TokenNeed(name, card, three_ds_params(ids.store_id, build(cs.TOKEN_PLACEHOLDER)))
        for name, (card, build) in table.items()
    ]


class Recorder:
    def __init__(self, target: Target, output: Path, http: httpx.AsyncClient, report: Report) -> None:
        self.ids = target.identity
        self.report = report
        self.client = RobotPaymentClient(http, base_url=target.base_url, read_retry=ReadRetryPolicy(attempts=1))
        self._tokens = target.tokens
        self._output = output
        scrubber = cs.Scrubber(identity=target.identity, origin=target.origin)
        self._vcr = cs.gateway_vcr(output, record_mode="all", scrubber=scrubber)

    async def record(self, name: str, call: Callable[[], Awaitable[Answer]]) -> Answer | None:
        """Record one cassette; answers what the client answered when the call succeeded, else None.

        A failure cassette must hold a refusal (rst=2, an ER or a G code): an unknown outcome, an unavailable
        gateway or a malformed answer is a problem whatever the cassette is for."""
        entry = next(entry for entry in cs.CASSETTES if entry.name == name)
        (self._output / f"{name}.yaml").unlink(missing_ok=True)
        answer: Answer | None = None
        refused = False
        with self._vcr.use_cassette(name) as cassette:
            try:
                answer = await call()
            except GatewayRejected as rejection:
                outcome, refused = f"rejected {rejection.entry.code}", True
            except GatewayError as error:  # its text holds no secret
                outcome = f"{type(error).__name__}: {error}"
            else:
                outcome = "succeeded"
                if isinstance(answer, PaymentResult) and not answer.succeeded:
                    outcome, refused, answer = _payment_outcome(answer), True, None
                elif isinstance(answer, PaymentResult):
                    outcome = _payment_outcome(answer)
            interactions = len(cassette)
        self.report.outcomes[name] = outcome
        as_expected = answer is not None if entry.succeeds else refused
        if interactions != 1:
            self.report.problems.append(f"{name}: {interactions} interactions recorded, expected 1 ({outcome})")
        elif not as_expected:
            expected = "success" if entry.succeeds else "refusal"
            self.report.problems.append(f"{name}: expected a {expected}, the gateway answered: {outcome}")
        else:
            self.report.recorded.append(name)
        return answer

    async def with_token(self, name: str, key: str = "", card_seq: str = "1") -> TokenRequest | None:
        """The cassette's request with a fresh token, or None (reported) when there is none."""
        card, build = token_requests(self.ids, key or cs.KEY_PLACEHOLDER, card_seq)[name]
        need = TokenNeed(name, card, three_ds_params(self.ids.store_id, build(cs.TOKEN_PLACEHOLDER)))
        try:
            token = await self._tokens.token(need)
        except TokenUnavailable as missing:
            self.report.problems.append(f"{name}: not recorded: {missing}")
            return None
        return build(token)


def _payment_outcome(result: PaymentResult) -> str:
    if result.succeeded:
        return f"succeeded gid={result.gid}"
    return f"declined {result.error.code if result.error else '(no code)'}"


Required = TypeVar("Required")


def _required(value: Required | None, what: str) -> Required:
    if value is None:
        raise Aborted(f"stopped: {what}")
    return value


async def _customers_and_cards(rec: Recorder) -> tuple[str, str]:
    """Register the shopper and a card; answers (key, card_seq)."""
    ids, client = rec.ids, rec.client
    registration = cs.customer_registration(ids)
    registered = await rec.record("customer_register_success", lambda: client.register_customer(registration))
    key = _required(registered, "the shopper could not be registered").customer_key
    await rec.record("customer_register_failure", lambda: client.register_customer(registration))  # taken
    await rec.record("customer_read_success", lambda: client.read_customer(cs.customer_lookup(ids, cs.SHOPPER)))
    await rec.record("customer_read_failure", lambda: client.read_customer(cs.customer_lookup(ids, cs.STRANGER)))
    update, stranger = cs.customer_update(ids, cs.SHOPPER, key), cs.customer_update(ids, cs.STRANGER, key)
    await rec.record("customer_update_success", lambda: client.update_customer(update))
    await rec.record("customer_update_failure", lambda: client.update_customer(stranger))
    request = _required(await rec.with_token("card_register_success", key), "no token to register a card")
    assert isinstance(request, CardRegistration)
    card = await rec.record("card_register_success", lambda: client.register_card(request))
    card_seq = _required(card, "the card could not be registered").card_seq
    await rec.record("card_register_failure", lambda: client.register_card(request))  # the token is spent
    await rec.record("card_read_success", lambda: client.read_card(cs.card_lookup(ids, key, card_seq)))
    await rec.record("card_read_failure", lambda: client.read_card(cs.card_lookup(ids, key, cs.UNKNOWN_CARD_SEQ)))
    return key, card_seq


async def _one_touch_capture_and_cancel(rec: Recorder, key: str, card_seq: str) -> None:
    ids, client = rec.ids, rec.client
    product = cs.one_touch_product(ids, key, card_seq, "onetouch-product", ids.item_id)
    await rec.record("one_touch_product_success", lambda: client.charge_one_touch(product))
    unknown = cs.one_touch_product(ids, key, card_seq, "onetouch-product-unknown", cs.UNKNOWN_ITEM)
    await rec.record("one_touch_product_failure", lambda: client.charge_one_touch(unknown))
    instalments = cs.one_touch_instalments(ids, key, card_seq, "onetouch-instalments", PaymentMethod.INSTALLMENTS, 3)
    await rec.record("one_touch_instalments_success", lambda: client.charge_one_touch(instalments))
    revolving = cs.one_touch_instalments(ids, key, card_seq, "onetouch-revolving", PaymentMethod.REVOLVING, None)
    await rec.record("one_touch_instalments_failure", lambda: client.charge_one_touch(revolving))
    amounts = cs.one_touch_amounts(ids, key, card_seq, "onetouch-amounts")
    paid = await rec.record("one_touch_amounts_success", lambda: client.charge_one_touch(amounts))
    gid = _required(_required(paid, "no AUTH payment to capture").gid, "the AUTH payment has no gid")
    await rec.record("capture_success", lambda: client.capture(cs.capture(ids, gid)))
    await rec.record("capture_failure", lambda: client.capture(cs.capture(ids, gid)))  # captured already
    await rec.record("cancel_success", lambda: client.cancel(cs.cancellation(ids, gid)))
    await rec.record("cancel_failure", lambda: client.cancel(cs.cancellation(ids, gid)))  # cancelled already


async def _declining_card(rec: Recorder, key: str, card_seq: str) -> None:
    """Replace the saved card by a declining one (card update), then charge it in one touch."""
    ids, client = rec.ids, rec.client
    update = await rec.with_token("card_update_success", key, card_seq)
    if update is None:
        return
    assert isinstance(update, CardUpdate)
    await rec.record("card_update_success", lambda: client.update_card(update))
    unknown = dataclasses.replace(update, card_seq=cs.UNKNOWN_CARD_SEQ)  # with the token just spent
    await rec.record("card_update_failure", lambda: client.update_card(unknown))
    declined = cs.one_touch_amounts(ids, key, card_seq, "onetouch-declined")
    await rec.record("one_touch_amounts_failure", lambda: client.charge_one_touch(declined))


def _pay(client: RobotPaymentClient, request: TokenRequest) -> Callable[[], Awaitable[PaymentResult]]:
    if isinstance(request, BulkRegistrationPayment):
        return lambda: client.pay_and_register(request)
    assert isinstance(request, TokenPayment)
    return lambda: client.pay_with_token(request)


async def _token_payments(rec: Recorder) -> None:
    names = [name for name in token_requests(rec.ids, "", "1") if not name.startswith("card_")]
    spent: dict[str, TokenRequest] = {}
    for name in names:
        request = await rec.with_token(name)
        if request is not None:
            spent[name] = request
            await rec.record(name, _pay(rec.client, request))
    # Failures that need no new token: a customer id registered already, a token used already.
    bulk = spent.get("bulk_payment_amounts_success")
    if bulk is not None:
        taken = cs.bulk_payment_product(rec.ids, cs.BULK_SHOPPER, "bulk-product-taken", bulk.token)
        await rec.record("bulk_payment_product_failure", _pay(rec.client, taken))
    product = spent.get("token_payment_product_success")
    if product is not None:
        reused = cs.token_payment_product(rec.ids, "token-product-reused", product.token)
        await rec.record("token_payment_product_failure", _pay(rec.client, reused))


async def _deletions(rec: Recorder, key: str, card_seq: str) -> None:
    ids, client = rec.ids, rec.client
    card, customer = cs.card_deletion(ids, key, card_seq), cs.customer_deletion(ids, key)
    await rec.record("card_delete_success", lambda: client.delete_card(card))
    await rec.record("card_delete_failure", lambda: client.delete_card(card))  # deleted already
    await rec.record("customer_delete_success", lambda: client.delete_customer(customer))
    await rec.record("customer_delete_failure", lambda: client.delete_customer(customer))  # deleted already


async def record_all(target: Target, output: Path, http: httpx.AsyncClient) -> Report:
    """Record every cassette of `cs.CASSETTES` into the directory `output` (one file each); the report says what
    went wrong."""
    report = Report()
    rec = Recorder(target, output, http, report)
    try:
        key, card_seq = await _customers_and_cards(rec)
        await _one_touch_capture_and_cancel(rec, key, card_seq)
        await _declining_card(rec, key, card_seq)
        await _token_payments(rec)
        await _deletions(rec, key, card_seq)
    except Aborted as stopped:
        report.problems.append(str(stopped))
    missing = [entry.name for entry in cs.CASSETTES if entry.name not in report.outcomes]
    if missing:
        report.problems.append("not recorded: " + ", ".join(missing))
    return report


@asynccontextmanager
async def sandbox_target(http: httpx.AsyncClient, app: ASGIApp | None = None) -> AsyncIterator[Target]:
    """A sandbox gateway (by default one set up with RECORDING_SANDBOX) on a free loopback port for as long as
    the context lasts, and a target for it."""
    async with serving(app or create_sandbox_app(RECORDING_SANDBOX)) as url:
        tokens = SandboxTokens(SandboxShopper(http, url))
        yield Target(base_url=url + "/gateway/", identity=cs.CANONICAL, tokens=tokens, origin=url)


class ConfigurationError(Exception):
    """A ROBOTPAYMENT_RECORD_* variable is missing or malformed."""


def real_target(environ: Mapping[str, str], ask: Callable[[str], str] | None) -> Target:
    """The target the ROBOTPAYMENT_RECORD_* variables describe (see the module docstring)."""
    run = environ.get("ROBOTPAYMENT_RECORD_RUN") or "r" + datetime.now(UTC).strftime("%y%m%d%H%M%S")
    identity = cs.Identity(
        store_id=environ.get("ROBOTPAYMENT_RECORD_STORE_ID", ""),
        item_id=environ.get("ROBOTPAYMENT_RECORD_ITEM_ID") or cs.CANONICAL.item_id,
        run=run,
    )
    for variable, value, rule in (
        ("ROBOTPAYMENT_RECORD_STORE_ID", identity.store_id, "6 digits"),
        ("ROBOTPAYMENT_RECORD_ITEM_ID", identity.item_id, "1-50 ASCII letters or digits"),
        ("ROBOTPAYMENT_RECORD_RUN", run, "ASCII letters or digits, at most 20"),
    ):
        valid = value.isascii() and value.isalnum()
        if not valid or (variable.endswith("STORE_ID") and not (value.isdigit() and len(value) == 6)):
            raise ConfigurationError(f"{variable}: must be {rule}")
        if variable.endswith("RUN") and len(value) > 20:
            raise ConfigurationError(f"{variable}: must be {rule}")
    tokens_file = environ.get("ROBOTPAYMENT_RECORD_TOKENS")
    known: dict[str, str] = {}
    if tokens_file:
        try:
            known = json.loads(Path(tokens_file).read_text("utf-8"))
        except (OSError, ValueError) as error:
            raise ConfigurationError(f"ROBOTPAYMENT_RECORD_TOKENS: {type(error).__name__}") from None
        if not isinstance(known, dict) or not all(isinstance(v, str) for v in known.values()):
            raise ConfigurationError("ROBOTPAYMENT_RECORD_TOKENS: must be a JSON object of cassette name: token")
    base_url = environ.get("ROBOTPAYMENT_RECORD_BASE_URL") or PRODUCTION_BASE_URL
    return Target(base_url=base_url, identity=identity, tokens=BrowserTokens(known, ask))


def _install(recorded: Path, output: Path, names: list[str]) -> None:
    output.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copyfile(recorded / f"{name}.yaml", output / f"{name}.yaml")


async def _run(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    real = bool(environ.get("ROBOTPAYMENT_RECORD_STORE_ID") or environ.get("ROBOTPAYMENT_RECORD_BASE_URL"))
    ask = input if sys.stdin.isatty() else None
    with tempfile.TemporaryDirectory(prefix="cassettes-") as scratch:
        async with httpx.AsyncClient() as http:
            if real:
                target = real_target(environ, ask)
                print(f"recording against {target.base_url} (run {target.identity.run})", file=sys.stderr)
                report = await record_all(target, Path(scratch), http)
            else:
                async with sandbox_target(http) as target:
                    print(f"recording against the local sandbox at {target.base_url}", file=sys.stderr)
                    report = await record_all(target, Path(scratch), http)
        for name, outcome in report.outcomes.items():
            print(f"{name}: {outcome}")
        for problem in report.problems:
            print(f"problem: {problem}", file=sys.stderr)
        if report.problems and not args.force:
            print(f"nothing written to {args.output} (use --force to write what was recorded)", file=sys.stderr)
            return 1
        _install(Path(scratch), args.output, report.recorded)
    print(f"{len(report.recorded)} cassettes written to {args.output}", file=sys.stderr)
    return 1 if report.problems else 0


def main(argv: list[str] | None = None, environ: Mapping[str, str] = os.environ) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--output", type=Path, default=cs.CASSETTE_DIR, help="where to write (default: %(default)s)")
    parser.add_argument("--force", action="store_true", help="write what was recorded even when some calls failed")
    parser.add_argument(
        "--token-needs", action="store_true", help="print, one JSON line each, the tokens a real-store run spends"
    )
    args = parser.parse_args(argv)
    try:
        if args.token_needs:
            real = environ.get("ROBOTPAYMENT_RECORD_STORE_ID")
            for need in token_needs(real_target(environ, None).identity if real else cs.CANONICAL):
                print(need.describe())
            return 0
        return asyncio.run(_run(args, environ))
    except ConfigurationError as error:
        print(f"record_cassettes: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

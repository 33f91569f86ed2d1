"""`running_stack` in process: the port layout, what start-up configures, the kickback path, a fresh database."""

from __future__ import annotations

import io
import json
import os
import random
import shlex
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio

from robotpayment_app.demo.servers import PortUnavailable
from robotpayment_app.demo.stack import DemoStack, DemoStartError, running_stack
from robotpayment_app.store.records import JobType, PaymentMethodCode, TokenMode
from robotpayment_app.web.payments_command import list_payments, resolve_from_shell
from tests.demo.storefront_client import DemoStorefront

pytestmark = pytest.mark.asyncio(loop_scope="module")
DROPPED_AFTER_CHARGING = "4000000000000978"  # the sandbox charges it, then drops the connection unanswered


def free_port_run(length: int = 4) -> int:
    """A base port with `length` free consecutive ports after it (checked by binding, then released)."""
    for _ in range(200):
        base = random.randrange(20000, 60000)
        sockets: list[socket.socket] = []
        try:
            for port in range(base, base + length):
                sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                sockets.append(sock)
                sock.bind(("127.0.0.1", port))
            return base
        except OSError:
            continue
        finally:
            for sock in sockets:
                sock.close()
    raise AssertionError("no run of free ports found")


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def base_port() -> int:
    return free_port_run()


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def stack(base_port: int, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[DemoStack]:
    async with running_stack(base_port, tmp_path_factory.mktemp("stack")) as running:
        yield running


async def test_services_take_consecutive_ports_from_the_one_given(stack: DemoStack, base_port: int) -> None:
    assert stack.storefront_url == f"http://127.0.0.1:{base_port}"
    assert stack.app_url == f"http://127.0.0.1:{base_port + 1}"
    assert stack.saleor_api_url == f"http://127.0.0.1:{base_port + 2}/graphql/"
    assert stack.gateway_url == f"http://127.0.0.1:{base_port + 3}/gateway/"
    assert stack.banner()[:4] == [
        f"storefront: {stack.storefront_url}",
        f"app: {stack.app_url}",
        f"saleor: {stack.saleor_api_url}",
        f"gateway: {stack.gateway_url}",
    ]


async def test_the_app_is_installed_through_its_manifest_and_the_channel_configured(stack: DemoStack) -> None:
    (installed,) = stack.devshop.store.apps.values()
    assert installed.manifest_url == stack.app_url + "/api/manifest"
    assert installed.identifier == stack.gateway_id == "jp.robotpayment.saleor"
    assert stack.installation.saleor_api_url == stack.saleor_api_url

    saved = await stack.app_services.store.channels.get(stack.installation.id, "default-channel")
    assert saved is not None
    assert saved.store_id == "000000"
    assert saved.gateway_base_url == stack.gateway_url
    assert saved.job_type is JobType.CAPTURE and saved.token_mode is TokenMode.POPUP
    assert saved.payment_methods == (
        PaymentMethodCode.LUMP_SUM,
        PaymentMethodCode.INSTALLMENTS,
        PaymentMethodCode.REVOLVING,
    )
    assert saved.installment_counts == (3, 5, 6, 10, 12)
    assert saved.save_cards_allowed is True


async def test_a_lost_answer_waits_for_a_person_who_settles_it_with_the_command(stack: DemoStack) -> None:
    """The demo's gateway knows the app's notification URL, but notifies only after rt=0 calls, as the spec
    describes: a charge whose answer was dropped stays pending in Saleor until `payments resolve` (run with the
    demo's own settings, on its database) records it, and the devshop shows the event."""
    (store,) = stack.sandbox.config.stores
    assert store.kickback_url == f"{stack.app_url}/api/kickback/{stack.installation.kickback_secret}"
    assert not stack.sandbox.config.kickback_for_rt1

    async with httpx.AsyncClient(timeout=30.0) as http:
        shop = DemoStorefront(http, stack.saleor_api_url, stack.gateway_url, stack.storefront_url, stack.channel_slug)
        await shop.sign_in(stack.shopper.email, stack.shopper.password.get_secret_value())
        checkout = await shop.create_checkout(await shop.first_variant())
        lost = await shop.pay_with_new_card_and_save(checkout["id"], card=DROPPED_AFTER_CHARGING)
    assert lost["data"]["error"]["code"] == "PAYMENT_PENDING"
    await stack.sandbox.kickbacks.wait_idle()
    assert stack.sandbox.kickbacks.deliveries == []
    [charge] = [payment for payment in stack.sandbox.payments() if payment.card_masked.endswith("0978")]
    [transaction] = stack.devshop.store.transactions.values()
    assert transaction.amounts.charged == 0

    listing = io.StringIO()
    assert await list_payments(stack.app_services.settings, unresolved=True, out=listing) == 0
    assert "payment  no outcome" in listing.getvalue()
    # the command the demo prints, as a person would paste it into another shell
    [line] = [line for line in stack.banner() if line.startswith("payments: ")]
    environment = {name: value for name, value in (item.split("=", 1) for item in shlex.split(line)[1:3])}
    inherited = {name: value for name, value in os.environ.items() if not name.startswith("ROBOTPAYMENT_APP_")}
    shell = subprocess.run(
        [str(Path(sys.executable).with_name("robotpayment-app")), "payments", "list", "--unresolved", "--json"],
        env={**inherited, **environment},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert shell.returncode == 0, shell.stderr
    [listed] = json.loads(shell.stdout)
    assert (listed["shopOrderCode"], listed["status"]) == (charge.order_code, "unknown")
    out = io.StringIO()
    [entry] = await stack.app_services.store.settlements.needing_attention()
    status = await resolve_from_shell(
        stack.app_services.settings,
        entry.saleor_transaction_id or "",
        gid=str(charge.gid),
        charged=True,
        reason="control panel lists it as 成功",
        resolved_by="demo staff",
        out=out,
    )

    assert status == 0, out.getvalue()
    assert "saleor: told CHARGE_SUCCESS" in out.getvalue()
    assert transaction.events[-1].type.value == "CHARGE_SUCCESS" and transaction.amounts.charged == 1500
    assert "resolved by demo staff (cli)" in transaction.events[-1].message


async def test_a_taken_port_is_named_before_anything_starts(tmp_path: Path) -> None:
    base = free_port_run()
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", base + 1))
        taken.listen(1)
        with pytest.raises(PortUnavailable, match=rf"app: cannot listen on 127\.0\.0\.1:{base + 1}"):
            async with running_stack(base, tmp_path / "data"):
                raise AssertionError("started although the app's port is taken")
    # nothing was left listening: the whole run binds again at once
    for port in (base, base + 2, base + 3):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.bind(("127.0.0.1", port))


async def test_without_the_snippets_folder_the_demo_says_where_it_looked(tmp_path: Path) -> None:
    with pytest.raises(DemoStartError, match=r"frontend_snippets not found at .*nowhere"):
        async with running_stack(0, tmp_path / "data", snippets_dir=tmp_path / "nowhere"):
            raise AssertionError("started without snippets")


async def test_each_run_starts_the_app_on_a_fresh_database_and_keeps_the_key(tmp_path: Path) -> None:
    # the devshop and the sandbox forget everything when they stop; a kept app database would remember
    # installations and cards that no longer exist anywhere else
    data_dir = tmp_path / "data"
    async with running_stack(0, data_dir) as first:
        assert len(await first.app_services.store.installations.list_all()) == 1
    key = (data_dir / "encryption.key").read_text()
    async with running_stack(0, data_dir) as second:
        (installation,) = await second.app_services.store.installations.list_all()
        assert installation.saleor_api_url == second.saleor_api_url
    assert (data_dir / "encryption.key").read_text() == key


async def test_a_staff_user_shops_with_saved_cards(stack: DemoStack) -> None:
    """Saleor withholds a staff user's private metadata from the app (reading it needs MANAGE_STAFF): the app
    works from its own record, so a staff user saves a card, sees it listed and pays with it in one touch."""
    async with httpx.AsyncClient(timeout=30.0) as http:
        shop = DemoStorefront(http, stack.saleor_api_url, stack.gateway_url, stack.storefront_url, stack.channel_slug)
        await shop.sign_in(stack.staff.email, stack.staff.password.get_secret_value())
        first = await shop.create_checkout(await shop.first_variant())
        saved = await shop.pay_with_new_card_and_save(first["id"])
        methods = await shop.stored_methods()
        second = await shop.create_checkout(await shop.first_variant())
        one_touch = await shop.pay_in_one_touch(second["id"], methods[0]["id"]) if methods else None

    assert saved["data"]["error"] is None and saved["data"]["savedCard"] is not None, saved["data"]
    assert [method["name"][-4:] for method in methods] == ["1111"]
    assert one_touch is not None and one_touch["data"]["error"] is None, one_touch
    assert one_touch["transactionEvent"]["type"] == "CHARGE_SUCCESS"

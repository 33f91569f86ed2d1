"""Sign-in, tokens, permissions, metadata, catalog and checkout operations; bad input is an answer."""

from __future__ import annotations

import time

from tests.devshop.harness import Harness

ME = "{ me { id email isStaff } }"


async def test_sign_in_with_wrong_password_is_refused(shop: Harness) -> None:
    result = await shop.data(
        'mutation { tokenCreate(email: "shopper@example.com", password: "wrong") { token errors { field code } } }'
    )
    assert result["tokenCreate"] == {"token": None, "errors": [{"field": "email", "code": "INVALID_CREDENTIALS"}]}


async def test_tokens_identify_shoppers_and_staff(shop: Harness) -> None:
    shopper = await shop.login(shop.devshop.config.shopper)
    staff = await shop.login(shop.devshop.config.staff)
    assert (await shop.data(ME, token=shopper))["me"]["isStaff"] is False
    assert (await shop.data(ME, token=staff))["me"]["isStaff"] is True
    assert (await shop.data(ME))["me"] is None
    assert (await shop.data(ME, token=shop.app_token))["me"] is None


async def test_expired_or_forged_tokens_are_reported(shop: Harness) -> None:
    now = int(time.time())
    expired = shop.devshop.key.issue_token(
        {"iat": now - 600, "exp": now - 300, "type": "access", "user_id": "VXNlcjox"}
    )
    result = await shop.gql(ME, token=expired)
    assert result["data"]["me"] is None
    assert result["errors"][0]["message"] == "Signature has expired"
    forged = await shop.gql(ME, token="a.b.c")
    assert forged["errors"][0]["message"] == "Invalid token"
    unknown_app = await shop.gql("{ app { id } }", token="not-an-app-token")
    assert unknown_app["errors"][0]["message"] == "Invalid app token."


async def test_private_metadata_is_for_those_who_manage_users(shop: Harness) -> None:
    shopper = await shop.login(shop.devshop.config.shopper)
    refused = await shop.gql("{ me { privateMetadata { key } } }", token=shopper)
    assert refused["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    listed = await shop.data(
        "{ customers(first: 5) { totalCount edges { node { email privateMetadata { key } } } } }", token=shop.app_token
    )
    assert listed["customers"]["totalCount"] == 1
    assert listed["customers"]["edges"][0]["node"]["email"] == "shopper@example.com"
    denied = await shop.gql("{ customers(first: 5) { totalCount } }", token=shopper)
    assert denied["data"]["customers"] is None


async def test_an_app_keeps_settings_in_its_own_private_metadata(shop: Harness) -> None:
    app_id = (await shop.data("{ app { id } }", token=shop.app_token))["app"]["id"]
    await shop.data(
        'mutation($id: ID!) { updatePrivateMetadata(id: $id, input: [{key: "k", value: "v"}]) { errors { code } } }',
        {"id": app_id},
        token=shop.app_token,
    )
    mine = await shop.data("{ app { privateMetadata { key value } } }", token=shop.app_token)
    assert mine["app"]["privateMetadata"] == [{"key": "k", "value": "v"}]


async def test_products_are_paged_and_priced_in_yen(shop: Harness) -> None:
    page = await shop.data(
        '{ products(channel: "default-channel", first: 3) { totalCount pageInfo { hasNextPage endCursor } '
        "edges { node { name pricing { priceRange { start { gross { amount currency } } } } } } } }"
    )
    products = page["products"]
    assert products["totalCount"] == 4 and len(products["edges"]) == 3 and products["pageInfo"]["hasNextPage"]
    assert products["edges"][0]["node"]["pricing"]["priceRange"]["start"]["gross"] == {
        "amount": 1500.0,
        "currency": "JPY",
    }
    rest = await shop.data(
        'query($after: String) { products(channel: "default-channel", first: 3, after: $after) '
        "{ edges { node { name } } } }",
        {"after": products["pageInfo"]["endCursor"]},
    )
    assert [e["node"]["name"] for e in rest["products"]["edges"]] == ["Arita Mug"]
    channel = await shop.data('{ channel(slug: "default-channel") { slug currencyCode defaultCountry { code } } }')
    assert channel["channel"] == {"slug": "default-channel", "currencyCode": "JPY", "defaultCountry": {"code": "JP"}}


async def test_checkout_lines_and_address_changes(shop: Harness) -> None:
    token = await shop.login(shop.devshop.config.shopper)
    checkout = await shop.new_checkout(token, quantity=1)
    mug = await shop.first_variant_id("MUG-WHT")
    added = await shop.data(
        "mutation($id: ID!, $v: ID!) { checkoutLinesAdd(id: $id, lines: [{variantId: $v, quantity: 2}]) "
        "{ checkout { totalPrice { gross { amount } } lines { quantity } } errors { code } } }",
        {"id": checkout["id"], "v": mug},
        token=token,
    )
    assert added["checkoutLinesAdd"]["checkout"]["totalPrice"]["gross"]["amount"] == 1500.0 + 2 * 2000.0
    updated = await shop.data(
        "mutation($id: ID!, $v: ID!) { checkoutLinesUpdate(id: $id, lines: [{variantId: $v, quantity: 0}]) "
        "{ checkout { totalPrice { gross { amount } } } errors { code } } }",
        {"id": checkout["id"], "v": mug},
        token=token,
    )
    assert updated["checkoutLinesUpdate"]["checkout"]["totalPrice"]["gross"]["amount"] == 1500.0
    address = await shop.data(
        'mutation($id: ID!) { checkoutBillingAddressUpdate(id: $id, billingAddress: {firstName: "花子", '
        'lastName: "鈴木", postalCode: "150-0001", country: JP, countryArea: "東京都", phone: "+81312345678"}) '
        "{ checkout { billingAddress { firstName postalCode country { code } } } errors { field code message } } }",
        {"id": checkout["id"]},
        token=token,
    )
    assert address["checkoutBillingAddressUpdate"]["checkout"]["billingAddress"] == {
        "firstName": "花子",
        "postalCode": "150-0001",
        "country": {"code": "JP"},
    }


async def test_bad_input_gets_typed_errors_naming_the_field(shop: Harness) -> None:
    token = await shop.login(shop.devshop.config.shopper)
    checkout = await shop.new_checkout(token, quantity=1)
    cases = [
        (
            "mutation { checkoutCreate(input: {lines: []}) { errors { field code } } }",
            "checkoutCreate",
            {"field": "channel", "code": "MISSING_CHANNEL_SLUG"},
        ),
        (
            'mutation { checkoutCreate(input: {channel: "default-channel", lines: [{variantId: "bad", quantity: 1}]}) '
            "{ errors { field code } } }",
            "checkoutCreate",
            {"field": "variantId", "code": "INVALID"},
        ),
        (
            'mutation { checkoutCreate(input: {channel: "default-channel", '
            'lines: [{variantId: "UHJvZHVjdFZhcmlhbnQ6MQ==", '
            "quantity: 0}]}) { errors { field code } } }",
            "checkoutCreate",
            {"field": "quantity", "code": "ZERO_QUANTITY"},
        ),
        (
            'mutation($id: ID!) { checkoutBillingAddressUpdate(id: $id, billingAddress: {postalCode: "1500001x"}) '
            "{ errors { field code } } }",
            "checkoutBillingAddressUpdate",
            {"field": "postalCode", "code": "INVALID"},
        ),
        (
            'mutation($id: ID!) { checkoutEmailUpdate(id: $id, email: "not-an-email") { errors { field code } } }',
            "checkoutEmailUpdate",
            {"field": "email", "code": "INVALID"},
        ),
        (
            'mutation { transactionInitialize(id: "Q2hlY2tvdXQ6bm9wZQ==", paymentGateway: {id: "x"}) '
            "{ errors { field code } } }",
            "transactionInitialize",
            {"field": "id", "code": "INVALID"},
        ),
        (
            'mutation { transactionProcess(id: "nope") { errors { field code } } }',
            "transactionProcess",
            {"field": "id", "code": "INVALID"},
        ),
    ]
    for query, name, error in cases:
        result = await shop.data(query, {"id": checkout["id"]} if "$id" in query else None, token=token)
        assert result[name]["errors"] == [error], query


async def test_malformed_requests_are_client_errors_not_500(shop: Harness) -> None:
    syntax = await shop.http.post(shop.api_url, json={"query": "{ me { "})
    assert syntax.status_code in (200, 400) and syntax.json()["errors"]
    not_json = await shop.http.post(shop.api_url, content=b"{", headers={"content-type": "application/json"})
    assert 400 <= not_json.status_code < 500
    negative = await shop.http.post(
        shop.api_url, json={"query": 'mutation { paymentGatewayInitialize(id: "x", amount: -1) { errors { code } } }'}
    )
    assert negative.status_code in (200, 400) and "PositiveDecimal" in negative.text
    cursor = await shop.gql('{ products(first: 1, after: "garbage") { totalCount } }')
    assert cursor["data"]["products"] is None and "Invalid cursor" in cursor["errors"][0]["message"]


async def test_a_refresh_token_gets_a_new_access_token(shop: Harness) -> None:
    account = shop.devshop.config.shopper
    created = await shop.data(
        "mutation($e: String!, $p: String!) { tokenCreate(email: $e, password: $p) { token refreshToken } }",
        {"e": account.email, "p": account.password.get_secret_value()},
    )
    refresh = created["tokenCreate"]["refreshToken"]
    refreshed = await shop.data(
        "mutation($r: String) { tokenRefresh(refreshToken: $r) { token user { email } errors { field code } } }",
        {"r": refresh},
    )
    assert refreshed["tokenRefresh"]["user"] == {"email": "shopper@example.com"}
    assert (await shop.data(ME, token=refreshed["tokenRefresh"]["token"]))["me"]["email"] == "shopper@example.com"
    refused = await shop.gql(ME, token=refresh)  # a refresh token is not an access token
    assert refused["errors"][0]["message"] == "Invalid token type"
    wrong = await shop.data(
        "mutation($r: String) { tokenRefresh(refreshToken: $r) { token errors { field code } } }",
        {"r": created["tokenCreate"]["token"]},
    )
    assert wrong["tokenRefresh"] == {"token": None, "errors": [{"field": "refreshToken", "code": "JWT_INVALID_TOKEN"}]}


async def test_browsers_on_other_origins_may_call_the_api(shop: Harness) -> None:
    preflight = await shop.http.options(
        shop.api_url,
        headers={
            "Origin": "http://127.0.0.1:3000",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] in ("*", "http://127.0.0.1:3000")
    assert "authorization" in preflight.headers["access-control-allow-headers"].lower()

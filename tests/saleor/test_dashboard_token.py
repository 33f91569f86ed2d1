from __future__ import annotations

import json
from typing import Any

import pytest

from robotpayment_app.saleor.dashboard_token import (
    DashboardTokenBadSignature,
    DashboardTokenError,
    DashboardTokenExpired,
    DashboardTokenUnknownKey,
    DashboardTokenWrongApp,
    DashboardTokenWrongType,
    DashboardUser,
    MissingPermission,
    verify_dashboard_token,
)

from .support import SigningKey, b64url

APP_ID = "QXBwOjQ="
NOW = 1_800_000_000.0


def claims(**changes: Any) -> dict[str, Any]:
    base = {
        "iat": int(NOW) - 10,
        "exp": int(NOW) + 300,
        "iss": "https://shop.example.com/graphql/",
        "email": "staff@example.com",
        "user_id": "VXNlcjox",
        "type": "thirdparty",
        "is_staff": True,
        "app": APP_ID,
        "permissions": ["HANDLE_PAYMENTS"],
        "user_permissions": ["HANDLE_PAYMENTS", "MANAGE_ORDERS"],
    }
    base.update(changes)
    return base


def _unsigned(header: dict[str, Any], payload: dict[str, Any]) -> str:
    return b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(payload).encode()) + ".c2ln"


def verify(token: str, key: SigningKey, **kwargs: Any) -> DashboardUser:
    return verify_dashboard_token(token, jwks=key.jwks(), app_id=APP_ID, clock=lambda: NOW, **kwargs)


def test_valid_token_gives_the_staff_user(signing_key: SigningKey) -> None:
    user = verify(signing_key.sign_jwt(claims()), signing_key, required_permissions=["HANDLE_PAYMENTS"])
    assert user == DashboardUser(
        "staff@example.com", frozenset({"HANDLE_PAYMENTS", "MANAGE_ORDERS"}), "VXNlcjox"
    )
    assert user.has_permission("MANAGE_ORDERS") and not user.has_permission("MANAGE_APPS")


def test_missing_permission(signing_key: SigningKey) -> None:
    token = signing_key.sign_jwt(claims(user_permissions=["MANAGE_ORDERS"]))
    user = verify(token, signing_key)  # reading is allowed
    with pytest.raises(MissingPermission, match="HANDLE_PAYMENTS") as caught:
        user.require_permission("HANDLE_PAYMENTS")
    assert caught.value.permission == "HANDLE_PAYMENTS"
    with pytest.raises(MissingPermission):
        verify(token, signing_key, required_permissions=["HANDLE_PAYMENTS"])


def test_expired_within_and_beyond_leeway(signing_key: SigningKey) -> None:
    assert verify(signing_key.sign_jwt(claims(exp=int(NOW) - 5)), signing_key).email == "staff@example.com"
    with pytest.raises(DashboardTokenExpired):
        verify(signing_key.sign_jwt(claims(exp=int(NOW) - 11)), signing_key)


def test_token_for_another_app(signing_key: SigningKey) -> None:
    with pytest.raises(DashboardTokenWrongApp):
        verify(signing_key.sign_jwt(claims(app="QXBwOjk5")), signing_key)
    with pytest.raises(DashboardTokenWrongApp):
        verify(signing_key.sign_jwt({k: v for k, v in claims().items() if k != "app"}), signing_key)


@pytest.mark.parametrize("token_type", ["access", "refresh", "email", None])
def test_only_the_app_token_saleor_issues_for_the_dashboard_is_accepted(
    signing_key: SigningKey, token_type: str | None
) -> None:
    """A staff login (`access`, `refresh`) is Saleor's too, but proves no dashboard opened this app; it is told
    which token is needed, before any other check (a login token has no `app` claim either)."""
    token_claims = {k: v for k, v in claims(type=token_type).items() if v is not None and k != "app"}
    with pytest.raises(DashboardTokenWrongType, match="app token the Saleor dashboard hands this app"):
        verify(signing_key.sign_jwt(token_claims), signing_key)


def test_wrong_key_and_unknown_kid_may_mean_rotated_keys(
    signing_key: SigningKey, other_signing_key: SigningKey
) -> None:
    with pytest.raises(DashboardTokenUnknownKey) as unknown:
        verify(other_signing_key.sign_jwt(claims()), signing_key)
    assert unknown.value.stale_keys_possible
    impostor = SigningKey(signing_key.kid, other_signing_key.private_key)
    with pytest.raises(DashboardTokenBadSignature) as bad:
        verify(impostor.sign_jwt(claims()), signing_key)
    assert bad.value.stale_keys_possible


@pytest.mark.parametrize(
    ("make_token", "reason"),
    [
        (lambda key: "", "not a compact JWT"),
        (lambda key: "a.b", "not a compact JWT"),
        (
            lambda key: key.sign_jwt({k: v for k, v in claims().items() if k != "exp"}),
            "MissingRequiredClaimError",
        ),
        (lambda key: key.sign_jwt(claims(exp="soon")), "DecodeError|exp"),
        (lambda key: key.sign_jwt(claims(email=None)), "email"),
        (lambda key: key.sign_jwt(claims(user_permissions="HANDLE_PAYMENTS")), "user_permissions"),
        (lambda key: _unsigned({"alg": "RS256"}, claims()), "no key id"),
        (lambda key: key.sign_jwt(claims(nbf=int(NOW) + 60)), "not valid yet"),
        (
            lambda key: (
                b64url(b'{"alg":"none","kid":"local-key-1"}') + "." + b64url(b'{"app":"QXBwOjQ="}') + "."
            ),
            "algorithm 'none' refused",
        ),
        (
            lambda key: b64url(b'{"alg":"HS256","kid":"local-key-1"}') + "." + b64url(b"{}") + ".c2ln",
            "algorithm 'HS256' refused",
        ),
    ],
)
def test_untrustworthy_tokens(signing_key: SigningKey, make_token: Any, reason: str) -> None:
    with pytest.raises(DashboardTokenError, match=reason) as caught:
        verify(make_token(signing_key), signing_key)
    assert caught.value.__cause__ is None

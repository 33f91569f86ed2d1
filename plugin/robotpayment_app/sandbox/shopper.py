"""What CPToken.js and EMV3DSAdapter.js do in a shopper's browser, in Python, for tests without one.

It makes the same calls to the sandbox's browser endpoints with the same page-origin header, so a
token made here is indistinguishable from one made by the scripts.
"""

from __future__ import annotations

from collections.abc import Mapping

import httpx

from robotpayment_app.sandbox.cards import CHALLENGE_CODE

SUCCESS = "Success"


class TokenRefused(Exception):
    """CPToken answered an error code instead of a token."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class SandboxShopper:
    def __init__(self, http: httpx.AsyncClient, base_url: str, *, origin: str = "http://127.0.0.1") -> None:
        """`base_url` is the sandbox's root (the gateway lives under `base_url/gateway/`)."""
        self._http = http
        self._gateway = base_url.rstrip("/") + "/gateway/"
        self._origin = origin

    async def _post(self, path: str, fields: Mapping[str, str]) -> dict[str, str]:
        response = await self._http.post(self._gateway + path, data=dict(fields), headers={"Origin": self._origin})
        response.raise_for_status()
        answer: dict[str, str] = response.json()
        return answer

    async def create_token(
        self,
        aid: str,
        card_number: str,
        expiry: str,
        first_name: str,
        last_name: str,
        cvv: str | None = None,
    ) -> str:
        """CPToken.TokenCreate: answers the token; raises TokenRefused with the gateway's code."""
        fields = {"aid": aid, "cn": card_number, "ed": expiry, "fn": first_name, "ln": last_name}
        if cvv is not None:
            fields["cvv"] = cvv
        answer = await self._post("sandbox/token", fields)
        if answer["resultCode"] != SUCCESS:
            raise TokenRefused(answer["resultCode"], answer.get("errMsg", ""))
        return answer["tkn"]

    async def authenticate(
        self, params: Mapping[str, str | int], token: str, *, challenge_code: str = CHALLENGE_CODE
    ) -> str:
        """ThreeDSAdapter.authenticate: "Success" or the error code; a challenge gets `challenge_code`."""
        fields = {name: str(value) for name, value in params.items()} | {"tkn": token}
        answer = await self._post("sandbox/3ds/authenticate", fields)
        if answer["resultCode"] == "Challenge":
            answer = await self._post(
                "sandbox/3ds/challenge", {"aid": fields.get("aid", ""), "tkn": token, "code": challenge_code}
            )
        return answer["resultCode"]

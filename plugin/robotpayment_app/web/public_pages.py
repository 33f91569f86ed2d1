"""The small public pages the manifest points at: logo, privacy statement, support."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, HTMLResponse

from robotpayment_app.saleor.manifest import DATA_PRIVACY_PATH, LOGO_PATH, SUPPORT_PATH

STATIC_DIR = Path(__file__).resolve().parent / "static"

router = APIRouter()

_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family:system-ui,sans-serif;max-width:42rem;margin:2rem auto;line-height:1.6">
<h1>{title}</h1>{body}</body></html>"""

_PRIVACY = """<p>The app stores, per Saleor installation: the app token Saleor issued (encrypted), the channel
configuration, and for shoppers who save cards the ROBOT PAYMENT user id and key (the key encrypted) and each
card's masked number, brand and expiry. Card numbers never reach the app: the shopper's browser sends them to
ROBOT PAYMENT, which returns a single-use token. A shopper's rows are deleted when Saleor deletes the customer,
and everything is deleted when the app is uninstalled.</p>
<p>アプリはカード番号を受け取りません。保存されるのはROBOT PAYMENTのユーザーID・キー(暗号化)と、
マスクされたカード番号・ブランド・有効期限のみです。</p>"""

_SUPPORT = """<p>Questions and problems: open an issue in the project's repository, with the time, the Saleor
transaction id and the gateway payment number (gid) if there is one. Never send card numbers, tokens or keys.</p>
<p>お問い合わせの際は、日時・Saleorの取引ID・決済番号(gid)をお知らせください。カード番号やキーは送らないでください。</p>"""


@router.get(LOGO_PATH, include_in_schema=False)
async def logo() -> FileResponse:
    return FileResponse(STATIC_DIR / "logo.png", media_type="image/png")


@router.get(DATA_PRIVACY_PATH, include_in_schema=False)
async def privacy() -> HTMLResponse:
    return HTMLResponse(_PAGE.format(title="Data privacy / 個人情報の取り扱い", body=_PRIVACY))


@router.get(SUPPORT_PATH, include_in_schema=False)
async def support() -> HTMLResponse:
    return HTMLResponse(_PAGE.format(title="Support / サポート", body=_SUPPORT))

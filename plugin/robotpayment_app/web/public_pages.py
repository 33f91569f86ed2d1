"""The small public pages the manifest points at: homepage, logo, privacy statement, support."""

from __future__ import annotations

import html
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse

from robotpayment_app.saleor.manifest import DATA_PRIVACY_PATH, LOGO_PATH, MANIFEST_PATH, SUPPORT_PATH

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


_HOME = """<p><img src="{public}{logo}" alt="" width="96" height="96"></p>
<p>A Saleor payment app for ROBOT PAYMENT (credit.j-payment.co.jp): card payments with the token method and 3-D
Secure 2.0, saved cards paid in one touch, and capture, cancel and refund from the Saleor dashboard. Card numbers
never reach this server: the shopper's browser hands them to ROBOT PAYMENT, which returns a single-use token.</p>
<h2>Set up</h2>
<ol>
<li>In the Saleor dashboard, Apps → Install external app, with the manifest URL
<code>{public}{manifest}</code>.</li>
<li>Open the app (Apps → ROBOT PAYMENT) and add each channel that takes cards: the six-digit store id (店舗ID)
from the ROBOT PAYMENT control panel, and the payment methods it has contracted.</li>
<li>Paste the result notification URL the page shows into the control panel (決済結果通知設定 → 決済結果通知URL),
and register this server's outgoing IP address there (決済データ送信元IP).</li>
<li>In the storefront, use the app's snippets (frontend_snippets/ in the project) for CPToken.js and
EMV3DSAdapter.js.</li>
</ol>
<p><a href="{public}{privacy}">Data privacy / 個人情報の取り扱い</a> ·
<a href="{public}{support}">Support / サポート</a></p>
<h2>日本語</h2>
<p>ROBOT PAYMENT(クレジットカード決済)のSaleor用決済アプリです。トークン決済・3Dセキュア2.0、登録済みカードでの
ワンタッチ決済、管理画面からの売上確定・取消・返金に対応します。カード番号はこのサーバーを通りません。</p>
<p>設定: Saleorの管理画面で「Apps → Install external app」に上記のマニフェストURLを入力してインストールし、
アプリの設定画面でチャンネルごとに店舗IDを登録してください。表示される決済結果通知URLをROBOT PAYMENT管理画面に設定し、
このサーバーの送信元IPアドレスを登録してください。</p>"""


@router.get("/", include_in_schema=False)
async def homepage(request: Request) -> HTMLResponse:
    public = html.escape(request.app.state.services.settings.public_url)  # never the request's Host
    body = _HOME.format(
        public=public, logo=LOGO_PATH, manifest=MANIFEST_PATH, privacy=DATA_PRIVACY_PATH, support=SUPPORT_PATH
    )
    return HTMLResponse(_PAGE.format(title="ROBOT PAYMENT for Saleor", body=body))


@router.get(LOGO_PATH, include_in_schema=False)
async def logo() -> FileResponse:
    return FileResponse(STATIC_DIR / "logo.png", media_type="image/png")


@router.get(DATA_PRIVACY_PATH, include_in_schema=False)
async def privacy() -> HTMLResponse:
    return HTMLResponse(_PAGE.format(title="Data privacy / 個人情報の取り扱い", body=_PRIVACY))


@router.get(SUPPORT_PATH, include_in_schema=False)
async def support() -> HTMLResponse:
    return HTMLResponse(_PAGE.format(title="Support / サポート", body=_SUPPORT))

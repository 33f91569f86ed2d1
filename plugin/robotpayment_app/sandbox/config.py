"""What a sandbox gateway is set up with: stores, products, limits and timings.

Everything a test or the console command may want to vary lives here, so the gateway code
itself holds no literals about a particular store or timing.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from robotpayment_app.sandbox.wire import BulkAnswerLayout

DEFAULT_STORE_ID = "000000"
LOOPBACK_IPS: tuple[str, ...] = ("127.0.0.1", "::1")
# Page origins the browser scripts accept when a store lists none: any local development page.
LOCAL_ORIGINS: tuple[str, ...] = (
    "http://127.0.0.1",
    "http://127.0.0.1:*",
    "http://localhost",
    "http://localhost:*",
)


class StoreConfig(BaseModel):
    """One merchant store (店舗) as its control panel would be set up."""

    model_config = ConfigDict(frozen=True)

    store_id: str = Field(default=DEFAULT_STORE_ID, pattern=r"^\d{6}$")
    token_payments: bool = True
    cvv_required: bool = False
    instalments: bool = True
    revolving: bool = True
    # 決済結果通知URL: where kickbacks go; None means the store receives none.
    kickback_url: str | None = None
    # 決済データ送信元URL: page origins allowed to use CPToken / ThreeDSAdapter ('*': a port or a label).
    allowed_origins: tuple[str, ...] = LOCAL_ORIGINS


class Product(BaseModel):
    """An item of the store catalogue that `iid` payments refer to."""

    model_config = ConfigDict(frozen=True)

    item_id: str = Field(pattern=r"^[A-Za-z0-9]{1,50}$")  # 半角英数(50), as the spec says
    name: str
    amount: int = Field(ge=0)
    tax: int = Field(default=0, ge=0)
    shipping: int = Field(default=0, ge=0)
    # A content (ID/PW) product: its payments answer an issued id and ps.
    issues_credentials: bool = False
    # What the product is set to in the control panel (the product forms carry no jb): 即時売上 or 仮売上.
    job: Literal["CAPTURE", "AUTH"] = "CAPTURE"


DEFAULT_PRODUCTS: tuple[Product, ...] = (
    Product(item_id="ITEM001", name="Sandbox T-shirt", amount=3000, tax=300),
    Product(item_id="ITEM002", name="Sandbox mug", amount=1200, tax=120, shipping=500),
    Product(item_id="CONTENT001", name="Sandbox e-book (ID/PW)", amount=980, tax=98, issues_credentials=True),
    Product(item_id="PREORDER001", name="Sandbox pre-order (仮売上)", amount=5000, tax=500, job="AUTH"),
)


class SandboxConfig(BaseModel):
    """The whole sandbox: its stores, who may call it, and its timings (seconds)."""

    model_config = ConfigDict(frozen=True)

    stores: tuple[StoreConfig, ...] = (StoreConfig(),)
    products: tuple[Product, ...] = DEFAULT_PRODUCTS
    # 決済データ送信元IP: server-to-server calls from anywhere else answer ER003.
    allowed_ips: tuple[str, ...] = LOOPBACK_IPS
    token_ttl_seconds: float = Field(default=15 * 60, gt=0)
    # How long the slow test card (and the `slow` fault) keeps the caller waiting.
    slow_delay_seconds: float = Field(default=35.0, ge=0)
    # The spec describes result notifications for rt=0 calls only; on (the other reading of the spec) the sandbox
    # also notifies after rt=1 calls, which answer at once as well.
    kickback_for_rt1: bool = False
    kickback_attempts: int = Field(default=5, ge=1, le=20)
    kickback_backoff_seconds: float = Field(default=1.0, ge=0)
    kickback_timeout_seconds: float = Field(default=10.0, gt=0)
    # The real answers carry no line ending; set "\r\n" to exercise clients that must strip one.
    line_ending: str = Field(default="", pattern=r"^(|\n|\r\n)$")
    # The bulk registration payment's answer: as its table lists the fields (... id,ps,uid,key,num), or as
    # its printed sample has them (14 fields: one of the empty id/ps fewer; the sandbox leaves out ps).
    bulk_answer_layout: BulkAnswerLayout = "table"
    # Answer the free-data field also when no free data was sent, empty (so the line ends in a comma, as the
    # official failure sample `0,2,,ER900,,,0,0,0,0,,,0,` does).
    empty_free_data_field: bool = False
    # Off: the spec's formats, strictly (uid 半角英数(50); key 半角英数(10) on card and one-touch calls, (100)
    # on user update/delete; iid 半角英数(50); card names of letters, digits, '.' and '-'). On: what an older
    # sandbox accepted (uid also with . _ @ + = -, key up to 100 on every call, iid also with _ and -, card
    # names also with spaces), for callers not yet as strict as the spec.
    lenient_fields: bool = False

    @field_validator("stores")
    @classmethod
    def _unique_store_ids(cls, stores: tuple[StoreConfig, ...]) -> tuple[StoreConfig, ...]:
        ids = [store.store_id for store in stores]
        if len(ids) != len(set(ids)):
            raise ValueError("stores: each store_id may appear once")
        return stores

    def store(self, store_id: str) -> StoreConfig | None:
        return next((store for store in self.stores if store.store_id == store_id), None)

    def product(self, item_id: str) -> Product | None:
        return next((product for product in self.products if product.item_id == item_id), None)

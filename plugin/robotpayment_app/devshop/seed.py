"""Seed data: one JPY channel, a few products with yen prices, a shopper and a staff account."""

from __future__ import annotations

from decimal import Decimal

from .config import DevshopConfig, SeedAccount
from .domain.records import Address, Channel, Product, ProductVariant, TransactionFlowStrategy, User
from .domain.store import ShopStore
from .passwords import hash_password

STAFF_PERMISSIONS = frozenset(
    {
        "HANDLE_PAYMENTS",
        "MANAGE_APPS",
        "MANAGE_CHANNELS",
        "MANAGE_CHECKOUTS",
        "MANAGE_ORDERS",
        "MANAGE_PRODUCTS",
        "MANAGE_SETTINGS",
        "MANAGE_STAFF",
        "MANAGE_USERS",
    }
)

# (product name, slug, description, [(variant name, sku, price in yen)])
_CATALOG: tuple[tuple[str, str, str, tuple[tuple[str, str, int], ...]], ...] = (
    (
        "Monospace Tee",
        "monospace-tee",
        "A cotton T-shirt.",
        (("S", "TEE-S", 1500), ("M", "TEE-M", 1500), ("L", "TEE-L", 1800)),
    ),
    ("Sencha 100 g", "sencha-100g", "Green tea from Shizuoka.", (("100 g", "TEA-100", 1200),)),
    ("Furoshiki", "furoshiki", "A wrapping cloth, 70 cm.", (("Indigo", "FRS-IND", 3500),)),
    ("Arita Mug", "arita-mug", "A porcelain mug.", (("White", "MUG-WHT", 2000),)),
)


def _seed_user(store: ShopStore, account: SeedAccount, *, is_staff: bool) -> User:
    digest, salt = hash_password(account.password.get_secret_value())
    user = User(
        pk=store.next_pk("user"),
        email=account.email,
        first_name=account.first_name,
        last_name=account.last_name,
        password_hash=digest,
        password_salt=salt,
        is_staff=is_staff,
        permissions=STAFF_PERMISSIONS if is_staff else frozenset(),
    )
    store.users[user.pk] = user
    return user


def seed_store(store: ShopStore, config: DevshopConfig) -> None:
    channel = Channel(
        pk=store.next_pk("channel"),
        slug=config.channel_slug,
        name=config.channel_name,
        currency_code="JPY",
        default_country="JP",
        default_transaction_flow=TransactionFlowStrategy(config.default_transaction_flow),
    )
    store.channels[channel.slug] = channel

    for name, slug, description, variants in _CATALOG:
        product = Product(pk=store.next_pk("product"), name=name, slug=slug, description=description, variant_pks=[])
        for variant_name, sku, yen in variants:
            variant = ProductVariant(
                pk=store.next_pk("variant"),
                product_pk=product.pk,
                name=variant_name,
                sku=sku,
                prices={channel.slug: Decimal(yen)},
            )
            store.variants[variant.pk] = variant
            product.variant_pks.append(variant.pk)
        store.products[product.pk] = product

    shopper = _seed_user(store, config.shopper, is_staff=False)
    shopper.default_billing_address = Address(
        first_name=config.shopper.first_name,
        last_name=config.shopper.last_name,
        street_address_1="1-1 Chiyoda",
        city="Chiyoda-ku",
        postal_code="100-0001",
        country="JP",
        country_area="東京都",
        phone="+81312345678",
    )
    _seed_user(store, config.staff, is_staff=True)

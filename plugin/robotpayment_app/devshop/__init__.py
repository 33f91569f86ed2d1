"""A local Saleor-compatible platform (the "devshop") for the demo and end-to-end tests.

It speaks only Saleor's public contract: the GraphQL API at `/graphql/`, the JWKS at
`/.well-known/jwks.json`, app installation from a manifest (`appInstall` or
`Devshop.install_app`) and webhooks built from the apps' own subscription documents, signed
with RS256 (detached JWS). It imports nothing else from `robotpayment_app`.
"""

from .app import create_devshop_app
from .config import DevshopConfig, SeedAccount
from .errors import PermissionDeniedError, ShopError
from .shop import Devshop

__all__ = [
    "Devshop",
    "DevshopConfig",
    "PermissionDeniedError",
    "SeedAccount",
    "ShopError",
    "create_devshop_app",
]

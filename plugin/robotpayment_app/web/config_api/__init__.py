"""The configuration API the app's dashboard page talks to: a strawberry GraphQL schema at `POST /graphql`,
for the staff user the Saleor dashboard's token proves (see `auth`).

Queries read the installation's channel configurations, kickback URL, recent ledger rows and kickbacks;
mutations save/delete a channel's configuration (values refused field by field) and test the connection to
the gateway. Mount with `app.include_router(config_api_router())`.
"""

from robotpayment_app.web.config_api.router import CONFIG_API_PATH, config_api_router

__all__ = ["CONFIG_API_PATH", "config_api_router"]

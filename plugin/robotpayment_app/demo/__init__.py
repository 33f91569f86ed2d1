"""The one-command demo: storefront, app, devshop and sandbox gateway on this machine (`robotpayment-app demo`).

`stack.running_stack` starts everything in one event loop and yields a `DemoStack`; `storefront` serves the demo
pages and `frontend_snippets/`; `provisioning` configures the installed app through its configuration API.
"""

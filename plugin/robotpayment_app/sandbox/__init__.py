"""A local, stateful double of ROBOT PAYMENT's card gateway (see README.md beside this file).

It imports nothing of the rest of the app: it stands for a foreign system, with its own parsing and
state. Entry points: `app.create_sandbox_app`, `gateway.SandboxGateway`, `server.serving`,
`shopper.SandboxShopper`, and the `robotpayment-app sandbox` command (`command.py`).
"""

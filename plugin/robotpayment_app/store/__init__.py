"""Persistent state: installations, channel configuration, gateway customers and cards, the payment ledger and
the kickback log (SQLAlchemy 2, async; SQLite by default, PostgreSQL in production; Alembic migrations).

Entry points: `database.create_engine_from_url` + `database.create_session_factory`,
`crypto.SecretBox.from_secret`, `repositories.Store.create(sessions, secret_box)`,
`migrations.upgrade_to_head`.
Importing this package imports nothing else, so the settings can use the small modules cheaply.
"""

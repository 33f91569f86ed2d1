"""Alembic environment. Run through `robotpayment_app.store.migrations` (never needs an alembic.ini).

The caller hands over an open connection inside a transaction (`config.attributes["connection"]`), so the
whole upgrade is one transaction on PostgreSQL and the caller controls locking.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from robotpayment_app.store.tables import Base


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # SQLite cannot ALTER most things: later revisions rebuild tables ("batch" mode)
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _main() -> None:
    connection = context.config.attributes.get("connection")
    if not isinstance(connection, Connection):
        raise RuntimeError(
            "run migrations through robotpayment_app.store.migrations (e.g. `robotpayment-app migrate`), "
            "which provides the database connection"
        )
    _run(connection)


_main()

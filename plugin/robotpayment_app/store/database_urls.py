"""Database URL normalisation: the one place that knows which drivers the app runs on.

Pure string functions (no SQLAlchemy import) so settings can validate a URL cheaply.
"""

from __future__ import annotations

import re

SQLITE_ASYNC_SCHEME = "sqlite+aiosqlite"
POSTGRESQL_ASYNC_SCHEME = "postgresql+psycopg"

# scheme as written by the operator -> scheme of the async driver we ship
_SCHEME_ALIASES = {
    "sqlite": SQLITE_ASYNC_SCHEME,
    "sqlite+pysqlite": SQLITE_ASYNC_SCHEME,
    "sqlite+aiosqlite": SQLITE_ASYNC_SCHEME,
    "postgres": POSTGRESQL_ASYNC_SCHEME,
    "postgresql": POSTGRESQL_ASYNC_SCHEME,
    "postgresql+psycopg": POSTGRESQL_ASYNC_SCHEME,
    "postgresql+psycopg_async": POSTGRESQL_ASYNC_SCHEME,
}

# scheme of the async driver -> its synchronous twin (Alembic runs on plain threads)
_SYNC_SCHEMES = {
    SQLITE_ASYNC_SCHEME: "sqlite+pysqlite",
    POSTGRESQL_ASYNC_SCHEME: "postgresql+psycopg",
}

_PASSWORD_IN_NETLOC = re.compile(r"^(?P<scheme>[^:/]+://[^:/@]*):(?P<password>[^@]*)@")


class DatabaseUrlError(ValueError):
    """A database URL the app cannot use; the message states the rule."""


def normalize_database_url(url: str) -> str:
    """Return the async-driver form of `url` (`sqlite+aiosqlite://…` or `postgresql+psycopg://…`).

    Accepts the plain forms operators write (`sqlite:///file.db`, `postgresql://…`, `postgres://…`).
    """
    text = url.strip()
    scheme, separator, rest = text.partition("://")
    if not separator or not scheme:
        raise DatabaseUrlError(
            "must look like sqlite:///path/to/file.sqlite3 or postgresql://user@host/dbname"
        )
    normalized_scheme = _SCHEME_ALIASES.get(scheme.lower())
    if normalized_scheme is None:
        raise DatabaseUrlError(
            f"unsupported scheme {scheme!r}: "
            "use sqlite:/// (sqlite+aiosqlite) or postgresql:// (postgresql+psycopg)"
        )
    if normalized_scheme == SQLITE_ASYNC_SCHEME:
        _check_sqlite_path(rest)
    elif not rest.partition("/")[2].split("?", 1)[0]:
        raise DatabaseUrlError("a PostgreSQL URL needs a database name: postgresql://user@host:5432/dbname")
    return f"{normalized_scheme}://{rest}"


def sync_database_url(url: str) -> str:
    """The same database through the synchronous driver (used for migrations and test housekeeping)."""
    normalized = normalize_database_url(url)
    scheme, _, rest = normalized.partition("://")
    return f"{_SYNC_SCHEMES[scheme]}://{rest}"


def is_sqlite_url(url: str) -> bool:
    return normalize_database_url(url).startswith(SQLITE_ASYNC_SCHEME + "://")


def sqlite_file_path(url: str) -> str:
    """The file path in a SQLite URL (`sqlite:///relative.db` → `relative.db`, `sqlite:////abs` → `/abs`)."""
    normalized = normalize_database_url(url)
    if not normalized.startswith(SQLITE_ASYNC_SCHEME + "://"):
        raise DatabaseUrlError("not a SQLite URL")
    path = normalized[len(SQLITE_ASYNC_SCHEME + ":///") :]
    return path.split("?", 1)[0]


def redact_database_url(url: str) -> str:
    """The URL with any password replaced by `***`, for logs and error texts."""
    return _PASSWORD_IN_NETLOC.sub(r"\g<scheme>:***@", url.strip())


def _check_sqlite_path(rest: str) -> None:
    if rest and not rest.startswith("/"):
        raise DatabaseUrlError(
            "a SQLite URL needs three slashes before the path: sqlite:///path/to/file.sqlite3"
        )
    path = rest[1:].split("?", 1)[0]  # `sqlite://` alone (empty rest) is SQLite's in-memory form
    if path in ("", ":memory:") or "mode=memory" in rest:
        # every pooled connection would see its own empty database, and the ledger's
        # cross-connection uniqueness guarantees would silently not hold
        raise DatabaseUrlError(
            "in-memory SQLite is not supported: give a file path, e.g. sqlite:///data/app.sqlite3"
        )


def libpq_url(url: str) -> str:
    """A PostgreSQL URL as libpq (plain psycopg) takes it: `postgresql://…` without the SQLAlchemy driver name."""
    normalized = normalize_database_url(url)
    if not normalized.startswith(POSTGRESQL_ASYNC_SCHEME + "://"):
        raise DatabaseUrlError("not a PostgreSQL URL")
    return "postgresql://" + normalized[len(POSTGRESQL_ASYNC_SCHEME + "://") :]

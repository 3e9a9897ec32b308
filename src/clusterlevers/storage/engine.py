"""Database URLs and engines: SQLite under the user data directory by default, PostgreSQL by URL.

SQLite connections run in WAL mode (readers never block the writer), with a busy timeout and foreign
keys on; a write transaction starts with ``BEGIN IMMEDIATE`` so it takes the write lock up front
instead of failing half-way when another process is writing. PostgreSQL goes through psycopg 3.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import StaticPool

ENV_VAR = "CLUSTERLEVERS_DB"
APP_NAME = "clusterlevers"
BUSY_TIMEOUT_MS = 30_000
# Execution option that marks a connection's transaction as a write (SQLite: BEGIN IMMEDIATE).
WRITE = "clusterlevers_write"


def default_db_url() -> str:
    """The database the app uses when none is given: ``$CLUSTERLEVERS_DB`` if set, else a SQLite file
    ``clusterlevers.db`` in the user data directory (created if missing)."""
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return env
    import platformdirs

    directory = Path(platformdirs.user_data_dir(APP_NAME))
    directory.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{directory / 'clusterlevers.db'}"


def normalise_url(url: str) -> URL:
    """Parse a database URL; plain ``postgresql://`` and ``postgres://`` URLs get the psycopg 3 driver."""
    if not isinstance(url, str) or not url.strip():
        raise ValueError("database URL is empty")
    text = url.strip()
    if text.startswith("postgres://"):
        text = "postgresql://" + text[len("postgres://"):]
    try:
        parsed = make_url(text)
    except Exception as exc:  # sqlalchemy.exc.ArgumentError and friends
        raise ValueError(f"not a database URL: {url!r}") from exc
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise ValueError(f"unsupported database {parsed.get_backend_name()!r}: use sqlite:/// or postgresql://")
    return parsed


def make_engine(url: str) -> Engine:
    """An engine set up for the store's concurrency rules (see the module docstring)."""
    parsed = normalise_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed)
    return create_engine(parsed, pool_pre_ping=True)


def _sqlite_engine(url: URL) -> Engine:
    memory = url.database in (None, "", ":memory:")
    kwargs: dict[str, Any] = {"connect_args": {"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000}}
    if memory:
        kwargs["poolclass"] = StaticPool  # one shared connection, else every connection is a new empty DB
    else:
        Path(url.database or "").expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy (not the sqlite3 module) decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            if not memory:
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=NORMAL")  # durable across process crashes in WAL mode
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys=ON")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        write = conn.get_execution_options().get(WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine

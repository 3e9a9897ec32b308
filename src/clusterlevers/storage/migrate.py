"""Bring a database's schema to the latest Alembic revision, safely when several processes open it at once.

The upgrade runs in one transaction that first takes a lock (SQLite: ``BEGIN IMMEDIATE``, the database
write lock; PostgreSQL: a transaction-scoped advisory lock). Alembic reads the current revision only
after the lock is held, so a second process waits, then finds the schema already at head and does
nothing. Both backends have transactional DDL, so a crash mid-migration leaves the old schema intact.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

from .engine import WRITE

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Arbitrary constant key for pg_advisory_xact_lock ("clusterl" as bytes, fits a signed bigint).
_PG_LOCK_KEY = 0x636C75737465726C


def alembic_config() -> Config:
    """An Alembic config pointing at the migrations shipped in the package (no alembic.ini needed)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade_to_head(engine: Engine) -> None:
    """Run pending migrations; a no-op (one cheap read) when the schema is already at head."""
    head = head_revision()
    if current_revision(engine) == head:
        return
    cfg = alembic_config()
    with engine.connect().execution_options(**{WRITE: True}) as conn, conn.begin():
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")

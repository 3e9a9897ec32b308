"""``ScenarioStore``: named, versioned, append-only saved scenarios.

Every write is one short transaction, so a process killed mid-write leaves either the whole write or
none of it. Appends lock the scenario row (PostgreSQL ``SELECT … FOR UPDATE``; SQLite ``BEGIN
IMMEDIATE``), compute the next version and insert it; the unique constraint (scenario_id, version) is
the last line of defence, and a conflict or a busy database is retried (bounded, with jittered
back-off) so concurrent writers lose nothing and see no error.
"""

from __future__ import annotations

import json
import random
import secrets
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from .engine import WRITE, make_engine
from .migrate import upgrade_to_head
from .models import AUTHOR_MAX, NAME_MAX, NOTE_MAX, Scenario, ScenarioVersion
from .records import NotFound, Saved, ScenarioRecord, ScenarioSummary, VersionRecord

DESIGN_MAX_BYTES = 256 * 1024
ID_BYTES = 9  # secrets.token_urlsafe(9) -> 12 URL-safe characters, 72 random bits
MAX_ATTEMPTS = 30

T = TypeVar("T")


def _now() -> datetime:
    return datetime.now(UTC)


def _check_text(value: str | None, field: str, limit: int, *, required: bool = False) -> str | None:
    if value is None:
        if required:
            raise ValueError(f"{field} is required")
        return None
    if not isinstance(value, str):
        raise ValueError(f"{field} must be text")
    if required and not value.strip():
        raise ValueError(f"{field} must not be blank")
    if len(value) > limit:
        raise ValueError(f"{field} is {len(value)} characters long; the limit is {limit}")
    if "\x00" in value:
        raise ValueError(f"{field} contains a NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(f"{field} is not valid Unicode text") from exc
    return value


def _encode_design(design: dict[str, Any]) -> str:
    if not isinstance(design, dict):
        raise ValueError("design must be a JSON object (a dict)")
    try:
        text = json.dumps(design, ensure_ascii=False, allow_nan=False)
        size = len(text.encode("utf-8"))
    except (TypeError, ValueError, UnicodeEncodeError) as exc:
        raise ValueError(f"design is not JSON-serialisable: {exc}") from exc
    if size > DESIGN_MAX_BYTES:
        raise ValueError(f"design is {size} bytes as JSON; the limit is {DESIGN_MAX_BYTES}")
    return text


def _is_transient(exc: DBAPIError) -> bool:
    """A conflict or lock that a retry can resolve (not a bug or a broken schema)."""
    orig = exc.orig
    sqlstate = getattr(orig, "sqlstate", None)
    if sqlstate is not None:  # psycopg: unique violation, serialization failure, deadlock, lock not available
        return sqlstate in {"23505", "40001", "40P01", "55P03"}
    message = str(orig).lower()
    if isinstance(exc, IntegrityError):
        return "unique constraint failed" in message
    return "locked" in message or "busy" in message


class ScenarioStore:
    """Saved scenarios in a SQLite file or a PostgreSQL database; migrates the schema on open.

    ``url`` is a SQLAlchemy URL: ``sqlite:////abs/path.db`` or ``postgresql://user@host/db`` (psycopg 3
    is used). Safe to share between threads; several processes may use the same database at once.
    """

    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)
        try:
            self._retry(lambda: upgrade_to_head(self.engine))
        except Exception:
            self.engine.dispose()
            raise
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(self.engine.execution_options(**{WRITE: True}), expire_on_commit=False)

    # -- plumbing --------------------------------------------------------------------------------

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> ScenarioStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @staticmethod
    def _retry(fn: Callable[[], T]) -> T:
        delay = 0.005
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                return fn()
            except (IntegrityError, OperationalError) as exc:
                if attempt == MAX_ATTEMPTS or not _is_transient(exc):
                    raise
            time.sleep(delay * (0.5 + random.random()))
            delay = min(delay * 2, 0.5)
        raise AssertionError("unreachable")

    def _transaction(self, work: Callable[[Session], T]) -> T:
        def attempt() -> T:
            with self._write() as session, session.begin():
                return work(session)

        return self._retry(attempt)

    @staticmethod
    def _scenario(session: Session, scenario_id: str, *, lock: bool, include_deleted: bool = False) -> Scenario:
        if not isinstance(scenario_id, str) or not scenario_id:
            raise NotFound(f"no scenario {scenario_id!r}")
        stmt = select(Scenario).where(Scenario.id == scenario_id)
        if lock:
            stmt = stmt.with_for_update()
        row = session.scalars(stmt).one_or_none()
        if row is None or (row.deleted_at is not None and not include_deleted):
            raise NotFound(f"no scenario {scenario_id!r}")
        return row

    @staticmethod
    def _latest(session: Session, scenario_id: str) -> ScenarioVersion:
        stmt = (select(ScenarioVersion).where(ScenarioVersion.scenario_id == scenario_id)
                .order_by(ScenarioVersion.version.desc()).limit(1))
        row = session.scalars(stmt).first()
        if row is None:  # cannot happen: a scenario is created together with its version 1
            raise NotFound(f"scenario {scenario_id!r} has no versions")
        return row

    @staticmethod
    def _version_record(row: ScenarioVersion) -> VersionRecord:
        return VersionRecord(version=row.version, name=row.name, design=json.loads(row.design_json), note=row.note,
                             author=row.author, created_at=row.created_at)

    def _append(self, scenario_id: str, *, design_json: str | None, name: str | None, note: str | None,
                author: str | None) -> Saved:
        def work(session: Session) -> Saved:
            scenario = self._scenario(session, scenario_id, lock=True)
            latest = self._latest(session, scenario_id)
            now = _now()
            new_name = name if name is not None else scenario.name
            session.add(ScenarioVersion(scenario_id=scenario_id, version=latest.version + 1, name=new_name,
                                        design_json=design_json if design_json is not None else latest.design_json,
                                        note=note, author=author, created_at=now))
            scenario.name = new_name
            scenario.updated_at = now
            return Saved(id=scenario_id, version=latest.version + 1)

        return self._transaction(work)

    # -- writes ----------------------------------------------------------------------------------

    def create(self, name: str, design: dict[str, Any], note: str | None = None, author: str | None = None) -> Saved:
        """Save a new scenario; its first version is ``design``. Returns the new id and version 1."""
        name = _check_text(name, "name", NAME_MAX, required=True)  # type: ignore[assignment]
        note = _check_text(note, "note", NOTE_MAX)
        author = _check_text(author, "author", AUTHOR_MAX)
        return self._create(name, _encode_design(design), note, author)

    def _create(self, name: str, design_json: str, note: str | None, author: str | None) -> Saved:
        def work(session: Session) -> Saved:
            # A fresh id on every attempt: an (astronomically unlikely) id collision is retried too.
            scenario_id = secrets.token_urlsafe(ID_BYTES)
            now = _now()
            session.add(Scenario(id=scenario_id, name=name, created_at=now, updated_at=now))
            session.flush()
            session.add(ScenarioVersion(scenario_id=scenario_id, version=1, name=name, design_json=design_json,
                                        note=note, author=author, created_at=now))
            return Saved(id=scenario_id, version=1)

        return self._transaction(work)

    def append(self, scenario_id: str, design: dict[str, Any], note: str | None = None,
               author: str | None = None) -> Saved:
        """Record ``design`` as the scenario's next version. Raises ``NotFound`` for unknown or deleted ids."""
        note = _check_text(note, "note", NOTE_MAX)
        author = _check_text(author, "author", AUTHOR_MAX)
        return self._append(scenario_id, design_json=_encode_design(design), name=None, note=note, author=author)

    def rename(self, scenario_id: str, name: str, note: str | None = None, author: str | None = None) -> Saved:
        """Rename, recorded as a new version (same design) so the history keeps the old name."""
        name = _check_text(name, "name", NAME_MAX, required=True)  # type: ignore[assignment]
        note = _check_text(note, "note", NOTE_MAX)
        author = _check_text(author, "author", AUTHOR_MAX)
        return self._append(scenario_id, design_json=None, name=name, note=note, author=author)

    def duplicate(self, scenario_id: str, name: str | None = None, author: str | None = None) -> Saved:
        """A new scenario whose version 1 copies the latest version of ``scenario_id``.

        The default name is "<old name> (copy)" (cut to the name limit)."""
        if name is not None:
            name = _check_text(name, "name", NAME_MAX, required=True)
        author = _check_text(author, "author", AUTHOR_MAX)
        with self._read() as session:
            source = self._scenario(session, scenario_id, lock=False)
            latest = self._latest(session, scenario_id)
            new_name = name if name is not None else (source.name[: NAME_MAX - 7] + " (copy)")
            note = f"duplicated from {scenario_id} v{latest.version}"
            design_json = latest.design_json
        return self._create(new_name, design_json, note, author)

    def delete(self, scenario_id: str, author: str | None = None) -> None:
        """Soft delete: the scenario and its versions stay in the database, marked with who and when."""
        author = _check_text(author, "author", AUTHOR_MAX)

        def work(session: Session) -> None:
            scenario = self._scenario(session, scenario_id, lock=True)
            now = _now()
            scenario.deleted_at = now
            scenario.deleted_by = author
            scenario.updated_at = now

        self._transaction(work)

    def restore(self, scenario_id: str) -> None:
        """Undo a soft delete (no-op if the scenario is not deleted). Raises ``NotFound`` for unknown ids."""

        def work(session: Session) -> None:
            scenario = self._scenario(session, scenario_id, lock=True, include_deleted=True)
            if scenario.deleted_at is not None:
                scenario.deleted_at = None
                scenario.deleted_by = None
                scenario.updated_at = _now()

        self._transaction(work)

    # -- reads -----------------------------------------------------------------------------------

    def list(self, include_deleted: bool = False) -> list[ScenarioSummary]:
        """All scenarios, most recently updated first."""
        latest = (select(ScenarioVersion.scenario_id, func.max(ScenarioVersion.version).label("latest"))
                  .group_by(ScenarioVersion.scenario_id).subquery())
        stmt = (select(Scenario, latest.c.latest).join(latest, latest.c.scenario_id == Scenario.id)
                .order_by(Scenario.updated_at.desc(), Scenario.id))
        if not include_deleted:
            stmt = stmt.where(Scenario.deleted_at.is_(None))
        with self._read() as session:
            return [ScenarioSummary(id=s.id, name=s.name, latest_version=v, created_at=s.created_at,
                                    updated_at=s.updated_at, deleted=s.deleted_at is not None,
                                    deleted_at=s.deleted_at, deleted_by=s.deleted_by)
                    for s, v in session.execute(stmt).all()]

    def get(self, scenario_id: str, include_deleted: bool = False, history_limit: int | None = None
            ) -> ScenarioRecord:
        """The scenario with its latest version and history (newest first, at most ``history_limit``)."""
        with self._read() as session, session.begin():
            scenario = self._scenario(session, scenario_id, lock=False, include_deleted=include_deleted)
            stmt = (select(ScenarioVersion).where(ScenarioVersion.scenario_id == scenario_id)
                    .order_by(ScenarioVersion.version.desc()))
            if history_limit is not None:
                stmt = stmt.limit(max(1, history_limit))
            history = [self._version_record(v) for v in session.scalars(stmt)]
            return ScenarioRecord(id=scenario.id, name=scenario.name, deleted=scenario.deleted_at is not None,
                                  deleted_at=scenario.deleted_at, deleted_by=scenario.deleted_by,
                                  created_at=scenario.created_at, updated_at=scenario.updated_at,
                                  latest=history[0], history=history)

    def get_version(self, scenario_id: str, version: int, include_deleted: bool = False) -> VersionRecord:
        """One version of a scenario; ``NotFound`` if the scenario or the version does not exist."""
        with self._read() as session:
            self._scenario(session, scenario_id, lock=False, include_deleted=include_deleted)
            row = session.scalars(select(ScenarioVersion).where(ScenarioVersion.scenario_id == scenario_id,
                                                                 ScenarioVersion.version == version)).one_or_none()
            if row is None:
                raise NotFound(f"scenario {scenario_id!r} has no version {version!r}")
            return self._version_record(row)

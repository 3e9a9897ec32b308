"""What the store returns: frozen pydantic models (``model_dump(mode="json")`` or ``as_dict()`` gives
JSON-ready dicts with ISO-8601 UTC timestamps), and the ``NotFound`` error."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


class NotFound(LookupError):
    """No such scenario (or version), or the scenario is soft-deleted and deleted ones were not asked for."""


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready dict: timestamps as ISO-8601 strings in UTC."""
        return self.model_dump(mode="json")


class Saved(_Record):
    """The outcome of a write: which scenario, which version was recorded."""

    id: str
    version: int


class VersionRecord(_Record):
    """One saved state of a scenario. ``name`` is the name the scenario had in this version."""

    version: int
    name: str
    design: dict[str, Any]
    note: str | None
    author: str | None
    created_at: datetime


class ScenarioSummary(_Record):
    """One row of the scenario list."""

    id: str
    name: str
    latest_version: int
    created_at: datetime
    updated_at: datetime
    deleted: bool
    deleted_at: datetime | None = None
    deleted_by: str | None = None


class ScenarioRecord(_Record):
    """A scenario with its latest version and its history (newest first; ``history[0] == latest``)."""

    id: str
    name: str
    deleted: bool
    deleted_at: datetime | None
    deleted_by: str | None
    created_at: datetime
    updated_at: datetime
    latest: VersionRecord
    history: list[VersionRecord]

"""Storage adapter: saved, versioned scenarios (SQLAlchemy; SQLite by default, PostgreSQL by URL).

    from clusterlevers.storage import ScenarioStore, default_db_url, NotFound
    store = ScenarioStore(default_db_url())
    saved = store.create("Arena 2025", design_dict, note="first draft", author="ana")
    store.append(saved.id, changed_design, note="longer horizon")
    store.get(saved.id).history        # newest first

See docs/storage.md for the schema and the consistency guarantees.
"""

from .engine import default_db_url
from .records import NotFound, Saved, ScenarioRecord, ScenarioSummary, VersionRecord
from .store import DESIGN_MAX_BYTES, ScenarioStore

__all__ = [
    "DESIGN_MAX_BYTES",
    "NotFound",
    "Saved",
    "ScenarioRecord",
    "ScenarioStore",
    "ScenarioSummary",
    "VersionRecord",
    "default_db_url",
]

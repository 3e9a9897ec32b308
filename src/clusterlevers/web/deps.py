"""Shared request dependencies: the scenario store, opened once per app."""

from __future__ import annotations

import threading
from typing import Any

from fastapi import Request

_lock = threading.Lock()


def store_of(request: Request) -> Any:
    app = request.app
    store = getattr(app.state, "store", None)
    if store is None:
        with _lock:
            store = getattr(app.state, "store", None)
            if store is None:
                from ..storage import ScenarioStore, default_db_url

                store = ScenarioStore(app.state.db_url or default_db_url())
                app.state.store = store
    return store

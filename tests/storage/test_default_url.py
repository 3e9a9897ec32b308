"""default_db_url: $CLUSTERLEVERS_DB wins, else a SQLite file in the user data directory."""

from __future__ import annotations

from pathlib import Path

import platformdirs
import pytest

from clusterlevers.storage import ScenarioStore, default_db_url
from clusterlevers.storage.engine import normalise_url


def test_env_var_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLUSTERLEVERS_DB", "postgresql+psycopg://u@db.example/team")
    assert default_db_url() == "postgresql+psycopg://u@db.example/team"


def test_default_is_sqlite_in_user_data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("CLUSTERLEVERS_DB", raising=False)
    target = tmp_path / "data" / "clusterlevers"
    calls: list[str] = []

    def fake_dir(appname: str, *a: object, **k: object) -> str:
        calls.append(appname)
        return str(target)

    monkeypatch.setattr(platformdirs, "user_data_dir", fake_dir)
    url = default_db_url()
    assert calls == ["clusterlevers"]
    assert url == f"sqlite:///{target / 'clusterlevers.db'}"
    assert target.is_dir()
    with ScenarioStore(url) as store:
        store.create("A", {"levers": {}})
    assert (target / "clusterlevers.db").is_file()


def test_url_normalisation() -> None:
    assert normalise_url("postgresql://u@h/db").drivername == "postgresql+psycopg"
    assert normalise_url("postgres://u@h/db").drivername == "postgresql+psycopg"
    assert normalise_url("sqlite:////tmp/x.db").drivername == "sqlite"
    for bad in ["", "   ", "not a url", "mysql://u@h/db"]:
        with pytest.raises(ValueError):
            normalise_url(bad)


def test_in_memory_sqlite_works() -> None:
    with ScenarioStore("sqlite://") as store:
        saved = store.create("A", {"levers": {}})
        assert store.append(saved.id, {"levers": {"x": 1}}).version == 2

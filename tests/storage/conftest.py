"""Fixtures for the storage tests: every test that takes ``db_url`` runs once on SQLite (a temp file) and
once on PostgreSQL (a throwaway server started for the session, a fresh database per test).

The PostgreSQL server uses Debian's binaries (/usr/lib/postgresql/*/bin). Under CI=true a missing
PostgreSQL is a failure; locally the PostgreSQL variants are skipped with the reason.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from clusterlevers.storage import ScenarioStore


def _missing(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"PostgreSQL is required under CI=true: {reason}", pytrace=False)
    pytest.skip(f"PostgreSQL not available: {reason}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PgServer:
    def __init__(self, bindir: Path, datadir: Path, port: int, as_user: list[str]) -> None:
        self.bindir, self.datadir, self.port, self.as_user = bindir, datadir, port, as_user

    def run(self, *args: str, timeout: int = 60) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*self.as_user, *args], capture_output=True, text=True, timeout=timeout)

    def url(self, dbname: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{dbname}"

    def create_database(self) -> str:
        import psycopg

        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return name


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    bindirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name)
                     if Path(p).parent.name.isdigit() else 0)
    bindir = next((Path(b) for b in reversed(bindirs) if (Path(b) / "initdb").exists()), None)
    if bindir is None:
        which = shutil.which("initdb")
        bindir = Path(which).parent if which else None
    if bindir is None:
        _missing("no initdb in /usr/lib/postgresql/*/bin or on PATH (apt-get install -y postgresql)")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _missing("psycopg is not installed (pip install 'psycopg[binary]')")
    assert bindir is not None
    workdir = Path(tempfile.mkdtemp(prefix="clpg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root: run the server as the postgres user
        try:
            pw = pwd.getpwnam("postgres")
        except KeyError:
            _missing("running as root and there is no 'postgres' system user")
        os.chown(workdir, pw.pw_uid, pw.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    datadir = workdir / "data"
    server = PgServer(bindir, datadir, _free_port(), as_user)
    r = server.run(str(bindir / "initdb"), "-D", str(datadir), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                   "--no-sync")
    if r.returncode != 0:
        shutil.rmtree(workdir, ignore_errors=True)
        _missing(f"initdb failed: {r.stderr.strip()[-500:]}")
    opts = (f"-p {server.port} -k {workdir} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c max_connections=50 -c shared_buffers=32MB")
    r = server.run(str(bindir / "pg_ctl"), "-D", str(datadir), "-o", opts, "-l", str(workdir / "log"), "-w",
                   "start")
    if r.returncode != 0:
        log = (workdir / "log").read_text(errors="replace")[-1000:] if (workdir / "log").exists() else ""
        shutil.rmtree(workdir, ignore_errors=True)
        _missing(f"pg_ctl start failed: {r.stderr.strip()[-500:]} {log}")
    try:
        yield server
    finally:
        server.run(str(bindir / "pg_ctl"), "-D", str(datadir), "-m", "fast", "-w", "stop")
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL of an empty database: a SQLite file, or a fresh database on the throwaway PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'scenarios.db'}"
    server: PgServer = request.getfixturevalue("pg_server")
    return server.url(server.create_database())


@pytest.fixture
def store(db_url: str) -> Iterator[ScenarioStore]:
    s = ScenarioStore(db_url)
    try:
        yield s
    finally:
        s.close()

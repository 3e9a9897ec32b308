"""A real server on loopback for browser tests and benchmarks (uvicorn in a subprocess)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def live_server(db_path: Path, workers: int = 1, token: str | None = None):
    port = free_port()
    env = dict(os.environ, CLUSTERLEVERS_DB=f"sqlite:///{db_path}")
    if token:
        env["CLUSTERLEVERS_TOKEN"] = token
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "clusterlevers.web.main:app", "--host", "127.0.0.1",
                             "--port", str(port), "--workers", str(workers), "--log-level", "warning"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/api/v1/levers", timeout=2).read()
                break
            except OSError as exc:
                if proc.poll() is not None or time.time() > deadline:
                    err = (proc.stderr.read() if proc.stderr else b"") or b""
                    raise RuntimeError("server did not start: " + err.decode()[-2000:]) from exc
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def launch_browser(playwright):  # type: ignore[no-untyped-def]
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

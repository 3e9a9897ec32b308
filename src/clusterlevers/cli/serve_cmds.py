"""``serve``: the navigation panel and the JSON API on a local web server."""

from __future__ import annotations

import os

import typer

from .main import app
from .output import fail


@app.command("serve")
def serve_cmd(
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to bind; loopback by default."),
    port: int = typer.Option(8050, "--port", min=1, max=65535),
    db: str | None = typer.Option(None, "--db", help="Database URL (default: SQLite in the user data directory; "
                                                      "postgresql+psycopg://... for a team server)."),
    open_browser: bool = typer.Option(False, "--open", help="Open the panel in the default browser."),
    workers: int = typer.Option(1, "--workers", min=1, max=32, help="Worker processes (the app is stateless)."),
) -> None:
    """Start the navigation panel on http://HOST:PORT/ (binds 127.0.0.1 unless a token is configured)."""
    from ..web.security import is_loopback

    token = os.environ.get("CLUSTERLEVERS_TOKEN") or None
    if not is_loopback(host) and not token:
        fail(f"--host: refusing to bind {host}, which is not a loopback address, without an access token: "
             "set CLUSTERLEVERS_TOKEN (it then guards every write)")
    import uvicorn

    from ..storage import default_db_url

    url = db or os.environ.get("CLUSTERLEVERS_DB") or default_db_url()
    os.environ["CLUSTERLEVERS_DB"] = url
    shown = f"http://{'localhost' if is_loopback(host) else host}:{port}/"
    typer.echo(f"clusterlevers panel on {shown}  (database: {_redact(url)}; Ctrl+C to stop)", err=True)
    if open_browser:
        import threading
        import webbrowser

        threading.Timer(1.0, lambda: webbrowser.open(shown)).start()
    uvicorn.run("clusterlevers.web.main:app", host=host, port=port, workers=workers, log_level="warning",
                proxy_headers=False)


def _redact(url: str) -> str:
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return url

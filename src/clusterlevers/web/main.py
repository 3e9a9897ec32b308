"""ASGI entry point for uvicorn workers: the app configured from the environment."""

import os

from .app import create_app

app = create_app(db_url=os.environ.get("CLUSTERLEVERS_DB") or None, token=os.environ.get("CLUSTERLEVERS_TOKEN") or None)

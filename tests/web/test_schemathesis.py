"""schemathesis against the OpenAPI document: no generated request may cause a server error."""

from __future__ import annotations

import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings

from clusterlevers.web.app import create_app

_DB = Path(tempfile.mkdtemp(prefix="cl-schemathesis-")) / "st.db"
APP = create_app(db_url=f"sqlite:///{_DB}")
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case):
    response = case.call()
    assert response.status_code < 500, (case.method, case.path, response.status_code, response.text[:500])

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from clusterlevers.web.app import create_app

CANADA = {
    "name": "Canada ISI 2017",
    "context": {"country": "CA", "currency": "CAD", "price_year": 2018},
    "levers": {"ambition_level": "build", "portfolio_size": 5, "funding_intensity": 38, "funding_horizon": 5,
               "private_match": 50, "funding_uses": "projects", "cluster_org_model": "delegated_funder"},
}


@pytest.fixture
def db_url(tmp_path):
    return f"sqlite:///{tmp_path / 'web.db'}"


@pytest.fixture
def client(db_url):
    app = create_app(db_url=db_url)
    with TestClient(app) as c:
        yield c
    if app.state.store is not None:
        app.state.store.close()

"""``GET /brief`` (the panel's Download brief link) and ``GET /brief/compare``."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from clusterlevers.web.app import create_app


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    app = create_app(db_url=f"sqlite:///{tmp_path_factory.mktemp('db') / 'web.db'}")
    with TestClient(app) as c:
        yield c
    if app.state.store is not None:
        app.state.store.close()


QUERY = "v=1&n=Ten-year+taper&cu=EUR&am=grow&ps=12&fi=3&fh=10&pm=50&b=program:ca-isi-2017"


def test_brief_is_a_pdf_download(client):
    r = client.get("/brief?" + QUERY)
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/pdf"
    assert r.headers["content-disposition"].startswith('attachment; filename="brief-ten-year-taper.pdf"')
    assert r.content[:5] == b"%PDF-"


def test_brief_as_html_with_absolute_scenario_url(client):
    r = client.get("/brief?" + QUERY + "&format=html&paper=letter")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "script-src" not in r.headers["content-security-policy"]
    assert "size: letter" in r.text
    assert "http://testserver/?v=1&amp;n=Ten-year+taper" in r.text


def test_bad_canvas_query_gets_the_problems(client):
    r = client.get("/brief?v=1&n=X&am=grwo&format=html")
    assert r.status_code == 422
    assert "levers.ambition_level" in r.text and "did you mean" in r.text


def test_bad_format_is_refused(client):
    assert client.get("/brief?" + QUERY + "&format=docx").status_code == 422


def test_compare_two_programs_and_a_saved_scenario(client):
    saved = client.post("/api/v1/scenarios", json={"name": "Mine <b>", "design": {
        "name": "Mine <b>", "context": {"currency": "EUR"}, "levers": {"ambition_level": "transform"}}})
    assert saved.status_code in (200, 201), saved.text
    sid = saved.json()["id"]
    r = client.get(f"/brief/compare?ids=program:ca-isi-2017&ids=program:no-nic-2014&ids={sid}&format=html")
    assert r.status_code == 200
    assert "3 designs side by side" in r.text and "Mine &lt;b&gt;" in r.text


@pytest.mark.parametrize("ids", ["ids=program:ca-isi-2017", "ids=program:nope&ids=program:ca-isi-2017",
                                 "ids=blank&ids=program:ca-isi-2017"])
def test_compare_needs_two_to_four_real_designs(client, ids):
    r = client.get(f"/brief/compare?{ids}&format=html")
    assert r.status_code == 422 and "problems" in r.text

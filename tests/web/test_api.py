import json

from fastapi.testclient import TestClient

from clusterlevers.web.app import create_app
from tests.web.conftest import CANADA


def test_levers_and_programs(client):
    r = client.get("/api/v1/levers")
    assert r.status_code == 200 and len(r.json()) == 16
    progs = client.get("/api/v1/programs").json()
    assert len(progs) >= 50
    one = client.get("/api/v1/programs/no-nic-2014").json()
    assert one["id"] == "no-nic-2014" and "facts" in one and "levers" in one
    assert client.get("/api/v1/programs/nope").status_code == 404
    nb = client.get("/api/v1/programs/ca-isi-2017/neighbours?top=3").json()["neighbours"]
    assert len(nb) == 3 and all(n["program"] != "ca-isi-2017" for n in nb)


def test_assess_one_round_trip(client):
    r = client.post("/api/v1/assess", json=CANADA)
    assert r.status_code == 200, r.text
    data = r.json()
    assert {"derived", "findings", "neighbours", "projection", "program_type"} <= set(data)
    assert data["derived"]["total_public_budget_m"] == 950
    assert data["neighbours"][0]["program"] == "ca-isi-2017"
    assert any(f["severity"] == "critical" for f in data["findings"])
    assert len(data["projection"]["year"]) == 15


def test_assess_bad_design_is_422_naming_the_field(client):
    bad = {**CANADA, "levers": {**CANADA["levers"], "portfolio_size": 999, "cluster_reach": "planetary"}}
    r = client.post("/api/v1/assess", json=bad)
    assert r.status_code == 422
    fields = {d["field"] for d in r.json()["detail"]}
    assert {"levers.portfolio_size", "levers.cluster_reach"} <= fields
    for body in ([1, 2], "text", None):
        assert client.post("/api/v1/assess", json=body).status_code == 422
    r = client.post("/api/v1/assess", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 422


def test_body_size_limit_413(client):
    huge = {"name": "x" * 300_000, "levers": {}}
    assert client.post("/api/v1/assess", json=huge).status_code == 413
    assert client.post("/api/v1/scenarios", json={"name": "a", "design": huge}).status_code == 413


def test_scenarios_versioned_append_only(client):
    r = client.post("/api/v1/scenarios", json={"name": "Draft A", "note": "first", "design": CANADA})
    assert r.status_code == 201, r.text
    sid = r.json()["id"]
    assert r.json()["version"] == 1
    changed = {**CANADA, "levers": {**CANADA["levers"], "funding_horizon": 10}}
    r2 = client.put(f"/api/v1/scenarios/{sid}", json={"design": changed, "note": "ten years"},
                    headers={"X-Clusterlevers-User": "Ana"})
    assert r2.json() == {"id": sid, "version": 2}
    got = client.get(f"/api/v1/scenarios/{sid}").json()
    assert got["latest"]["version"] == 2 and got["latest"]["design"]["levers"]["funding_horizon"] == 10
    assert [v["version"] for v in got["history"]] == [2, 1]
    assert got["latest"]["author"] == "Ana" and got["latest"]["note"] == "ten years"
    assert got["history"][1]["design"]["levers"]["funding_horizon"] == 5  # nothing overwritten
    listed = client.get("/api/v1/scenarios").json()
    assert [s["id"] for s in listed] == [sid]
    dup = client.post(f"/api/v1/scenarios/{sid}/duplicate").json()
    assert dup["version"] == 1 and dup["id"] != sid
    assert client.delete(f"/api/v1/scenarios/{sid}").status_code == 204
    assert client.get(f"/api/v1/scenarios/{sid}").status_code == 404
    assert sid not in [s["id"] for s in client.get("/api/v1/scenarios").json()]
    assert sid in [s["id"] for s in client.get("/api/v1/scenarios?include_deleted=true").json()]


def test_scenario_bad_bodies(client):
    r = client.post("/api/v1/scenarios", json={"name": "", "design": CANADA})
    assert r.status_code == 422
    r = client.post("/api/v1/scenarios", json={"name": "x", "design": {"name": "x", "levers": {"bogus": 1}}})
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "levers.bogus"
    r = client.post("/api/v1/scenarios", json={"name": "x"})
    assert r.status_code == 422 and "design" in json.dumps(r.json())
    assert client.put("/api/v1/scenarios/nope", json={"design": CANADA}).status_code == 404
    assert client.get("/api/v1/scenarios/nope").status_code == 404


def test_token_guards_writes(db_url):
    app = create_app(db_url=db_url, token="s3cret-token")
    with TestClient(app) as c:
        assert c.post("/api/v1/assess", json=CANADA).status_code == 200  # reads stay open
        assert c.post("/api/v1/scenarios", json={"name": "x", "design": CANADA}).status_code == 401
        r = c.post("/api/v1/scenarios", json={"name": "x", "design": CANADA},
                   headers={"X-Clusterlevers-Token": "s3cret-token"})
        assert r.status_code == 201
        sid = r.json()["id"]
        assert c.delete(f"/api/v1/scenarios/{sid}", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert c.delete(f"/api/v1/scenarios/{sid}", headers={"Authorization": "Bearer s3cret-token"}).status_code == 204


def test_openapi_lists_the_api(client):
    spec = client.get("/openapi.json").json()
    for path in ("/api/v1/levers", "/api/v1/programs", "/api/v1/programs/{program_id}", "/api/v1/assess",
                 "/api/v1/scenarios", "/api/v1/scenarios/{scenario_id}"):
        assert path in spec["paths"], path

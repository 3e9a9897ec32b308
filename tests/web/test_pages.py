import re
from urllib.parse import parse_qs, urlparse

from tests.web.conftest import CANADA

PAGES = ["/", "/?from=program:no-nic-2014", "/atlas", "/archetypes", "/glossary", "/scenarios",
         "/programs/fr-poles-phase4-2019", "/programs/ca-isi-2017?v=1&n=Mine&am=build"]
EXTERNAL = re.compile(
    r"""(?:src|srcset|action|poster|data)\s*=\s*["']?\s*(?:https?:)?//"""
    r"""|<link[^>]+href\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?\s*(?:https?:)?//|@import""", re.I)


def _get(client, url):
    r = client.get(url, follow_redirects=True)
    assert r.status_code == 200, (url, r.status_code, r.text[:300])
    return r.text


def test_pages_load_nothing_external(client):
    for url in PAGES:
        html = _get(client, url)
        assert not EXTERNAL.search(html), (url, EXTERNAL.search(html).group(0))
    for asset in ("/static/app.js", "/static/app.css"):
        text = client.get(asset).text
        assert "http://" not in text and "https://" not in text, asset


def test_start_from_program_puts_its_levers_in_the_url(client):
    r = client.get("/?from=program:no-nic-2014", follow_redirects=False)
    assert r.status_code == 303
    q = parse_qs(urlparse(r.headers["location"]).query)
    assert q["v"] == ["1"] and q["mf"] == ["tiered_ladder"] and q["b"] == ["program:no-nic-2014"]
    html = _get(client, r.headers["location"])
    assert "Tiered ladder" in html


def test_url_reproduces_the_canvas(client):
    html = _get(client, "/?v=1&n=Shared+one&cu=CAD&am=build&ps=5&fi=38&fh=5&pm=50")
    assert 'value="Shared one"' in html
    assert re.search(r'name="ambition_level" value="build" checked', html)
    assert "950.0 million CAD" in html


def test_newer_url_version_refused_with_a_message(client):
    r = client.get("/?v=99&am=build")
    assert r.status_code == 422 and "newer clusterlevers" in r.text
    r = client.get("/?v=1&zz=1")
    assert r.status_code == 422 and "unknown URL parameter" in r.text


def test_stack_archetype_fills_only_undecided(client):
    r = client.get("/?v=1&n=x&am=transform&stack=archetype:supercluster_flagship", follow_redirects=False)
    assert r.status_code == 303
    q = parse_qs(urlparse(r.headers["location"]).query)
    assert q["am"] == ["transform"]          # the decision is kept
    assert len([k for k in q if len(k) == 2 and k not in ("cu",)]) > 3  # undecided levers were filled


def test_xss_payload_renders_as_text(client):
    payload = "<script>alert(1)</script>"
    client.post("/api/v1/scenarios", json={"name": payload, "design": {**CANADA, "name": payload}})
    for url in ("/scenarios", "/?v=1&n=" + payload.replace("<", "%3C").replace(">", "%3E") + "&am=build"):
        html = _get(client, url)
        assert "<script>alert(1)" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_ui_assess_fragment_and_errors(client):
    r = client.post("/ui/assess", json={"design": CANADA, "b": "program:ca-isi-2017"})
    assert r.status_code == 200 and 'data-finding="' in r.text and "<svg" in r.text
    r = client.post("/ui/assess", json={"design": {"name": "x", "levers": {"portfolio_size": -3}}})
    assert r.status_code == 422 and "levers.portfolio_size" in r.text


def test_redesign_mode_lists_similar_generation_moves(client):
    q = ("/?v=1&n=Next+phase&cu=EUR&am=transform&ps=40&fh=4&sm=competitive_call&ac=milestone_gated"
         "&cur=program:fr-poles-phase3-2013")
    html = _get(client, q)
    assert "Redesign of" in html


def test_compare_two_scenarios(client):
    a = client.post("/api/v1/scenarios", json={"name": "A", "design": CANADA}).json()["id"]
    b = client.post("/api/v1/scenarios", json={"name": "B", "design": {**CANADA, "levers": {
        **CANADA["levers"], "funding_horizon": 10}}}).json()["id"]
    html = _get(client, f"/compare?ids=scenario:{a}&ids=scenario:{b}")
    assert "<svg" in html and ">A<" in html and ">B<" in html
    assert client.get(f"/compare?ids=scenario:{a}").status_code == 422


def test_scenario_page_lists_history_and_actions(client):
    sid = client.post("/api/v1/scenarios", json={"name": "Hist", "note": "v1 note", "design": CANADA}).json()["id"]
    client.put(f"/api/v1/scenarios/{sid}", json={"design": CANADA, "note": "second"})
    html = _get(client, f"/scenarios/{sid}")
    assert "v1 note" in html and "second" in html and 'data-action="duplicate"' in html
    assert client.get("/scenarios/nope").status_code == 404

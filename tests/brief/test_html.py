"""The HTML brief: self-contained (no resource loads), escaped, with every source and the provenance."""

from __future__ import annotations

import re

import pytest
from markupsafe import escape

from clusterlevers.domain.canvas import load_canvas
from clusterlevers.domain.errors import InputError
from clusterlevers.export.brief import render_brief_html
from clusterlevers.export.context import scenario_hash, scenario_url

from .conftest import small_design

TAG = re.compile(r"<[a-zA-Z][^>]*>")
RESOURCE_ATTR = re.compile(r"\s(src|srcset|poster|data|background|action|formaction)\s*=", re.I)


def assert_self_contained(html: str) -> None:
    for tag in TAG.findall(html):  # attributes that load something (text that merely mentions them is fine)
        assert not RESOURCE_ATTR.search(tag), tag
    assert "<link" not in html.lower() and "<script" not in html.lower() and "@import" not in html.lower()
    assert "<iframe" not in html.lower() and "<object" not in html.lower() and "<img" not in html.lower()
    for m in re.finditer(r"url\(\s*['\"]?([^'\")\s]*)", html, re.I):
        assert m.group(1).startswith("data:"), m.group(0)
    for m in re.finditer(r"""\shref\s*=\s*["']([^"']*)""", html, re.I):
        start = html.rfind("<", 0, m.start())
        assert html[start:start + 3].lower() == "<a ", "href outside a link: " + html[start:m.end()]
        assert m.group(1).startswith(("http://", "https://")), m.group(1)  # a source, never a relative app link
    # a URL in any other attribute: only an SVG namespace (a name, not a load) or a tooltip
    for m in re.finditer(r"""([\w:-]+)\s*=\s*["']\s*https?://""", html):
        assert m.group(1).lower() in ("href", "title", "xmlns"), m.group(0)


def test_html_references_no_external_resource(canada_html):
    assert_self_contained(canada_html)
    assert "<style>" in canada_html  # the print stylesheet is inlined


def test_html_lists_every_source(canada, canada_html):
    from clusterlevers.domain.assess import assess

    a = assess(canada, projection=False)
    cited = {e["href"] for f in a["findings"] for e in f["evidence"] if isinstance(e, dict) and e.get("href")}
    cited |= {r.href for lv in load_canvas().levers for r in lv.references}
    assert cited
    for href in cited:
        assert f'href="{href}"' in canada_html.replace("&amp;", "&"), href


def test_html_has_provenance_and_the_scenario_url(canada, canada_html):
    assert scenario_hash(canada) in canada_html
    assert scenario_url(canada).replace("&", "&amp;") in canada_html
    assert "relative to the clusterlevers server" in canada_html


def test_base_url_makes_links_absolute_and_still_loads_nothing(canada):
    html = render_brief_html([canada], base_url="http://127.0.0.1:8050")
    assert_self_contained(html)
    assert "http://127.0.0.1:8050/?v=1" in html
    assert 'href="http://127.0.0.1:8050/programs/ca-isi-2017' in html


def test_script_in_a_design_name_renders_as_text():
    html = render_brief_html([small_design("<script>alert(1)</script>")], notes="<img src=x onerror=alert(2)>")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(2)&gt;" in html
    assert_self_contained(html)


def test_undecided_levers_say_not_decided():
    html = render_brief_html([small_design("Mostly undecided")])
    assert html.count("not decided") >= 2 * (16 - 5)  # on the glance and in the lever table


def test_evaluation_plan_uses_the_logic_model(canada, canada_html):
    from clusterlevers.domain.evaluation import logic_model

    for kpi in logic_model(canada).kpis:
        assert str(escape(kpi.name)) in canada_html, kpi.name
    assert "Regression discontinuity on application scores" in canada_html  # staged competition keeps scores
    assert "Minimal plan" not in canada_html


def test_evaluation_plan_falls_back_when_the_module_fails(monkeypatch, canada):
    import clusterlevers.domain.evaluation as evaluation

    def broken(design):
        raise RuntimeError("boom")

    monkeypatch.setattr(evaluation, "logic_model", broken, raising=False)
    html = render_brief_html([canada])
    assert "Minimal plan" in html and "Staggered difference-in-differences" in html


def test_comparison_brief_side_by_side(canada, norway):
    html = render_brief_html([canada, norway])
    assert "2 designs side by side" in html
    for d in (canada, norway):
        assert html.count(d.name) >= 3
        assert scenario_hash(d) in html
    for lever in load_canvas().levers:
        assert lever.name in html
    assert_self_contained(html)


@pytest.mark.parametrize("count", [0, 5])
def test_one_to_four_designs(count):
    with pytest.raises(InputError) as exc:
        render_brief_html([small_design(f"d{i}") for i in range(count)])
    assert exc.value.problems[0].field == "designs"


def test_bad_paper_and_base_url_are_refused(canada):
    with pytest.raises(InputError) as exc:
        render_brief_html([canada], paper="a5", base_url="javascript:alert(1)")
    assert {p.field for p in exc.value.problems} == {"paper", "base_url"}

"""The panel in Debian's chromium through Playwright: move levers, apply a suggestion, save, reload, compare."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.web.live import CHROMIUM, launch_browser, live_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser_page(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing: .ci/run must install Debian's chromium")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    db = tmp_path_factory.mktemp("browser") / "b.db"
    with live_server(db) as base, sync_playwright() as p:
        browser = launch_browser(p)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        yield base, page, errors
        browser.close()


def settle(page, before: str, timeout: float = 15.0) -> str:
    """Wait until the panel has applied a newer move (polled from Python: the page's CSP forbids eval)."""
    import time

    end = time.time() + timeout
    while time.time() < end:
        now = page.evaluate("[document.body.dataset.settled, "
                            "document.getElementById('results').getAttribute('aria-busy')]")
        if now[0] != before and now[1] == "false":
            return str(now[0])
        page.wait_for_timeout(20)
    raise AssertionError("the panel did not settle")


def test_move_levers_apply_save_reload_compare(browser_page):
    base, page, errors = browser_page
    page.goto(base + "/?from=program:ca-isi-2017")
    page.wait_for_selector("#results .findings")
    first_neighbour = page.locator(".nb-list li").first.get_attribute("data-program")
    assert first_neighbour == "ca-isi-2017"
    assert page.locator('.finding[data-finding="build-ambition-short-horizon"]').count() == 1

    # move an ordinal lever: ambition build -> grow; the build/horizon tension disappears
    s = page.evaluate("document.body.dataset.settled")
    page.locator('.lever[data-lever="ambition_level"] label:has-text("Grow")').click()
    s = settle(page, s)
    assert page.locator('.finding[data-finding="build-ambition-short-horizon"]').count() == 0
    assert "am=grow" in page.url

    # move it back and apply the suggested move (horizon to ten years) with one click
    page.locator('.lever[data-lever="ambition_level"] label:has-text("Build")').click()
    s = settle(page, s)
    apply = page.locator('.finding[data-finding="build-ambition-short-horizon"] button.apply')
    assert apply.count() == 1
    apply.click()
    s = settle(page, s)
    assert page.locator('.finding[data-finding="build-ambition-short-horizon"]').count() == 0
    assert "fh=10" in page.url
    assert page.locator('.lever[data-lever="funding_horizon"] input.num').input_value() == "10"

    # a numeric slider moves the budget: keyboard on the portfolio slider
    budget_before = page.locator('[data-testid="budget"]').inner_text()
    slider = page.locator('.lever[data-lever="portfolio_size"] input.slider')
    slider.focus()
    for _ in range(60):
        page.keyboard.press("ArrowRight")
    s = settle(page, s)
    assert page.locator('[data-testid="budget"]').inner_text() != budget_before
    neighbours_now = page.locator(".nb-list li").all_inner_texts()
    assert neighbours_now

    # save, then reload from the URL: the same canvas comes back
    page.fill("#design-name", "Canada redesign A")
    s = settle(page, s)
    page.click("#save-btn")
    page.wait_for_selector("#save-status a")
    url_a = page.url
    page.goto(url_a)
    page.wait_for_selector("#results .findings")
    assert page.locator("#design-name").input_value() == "Canada redesign A"
    assert page.locator('.lever[data-lever="funding_horizon"] input.num').input_value() == "10"
    assert page.locator('.lever[data-lever="ambition_level"] input[value="build"]').is_checked()

    # a second scenario, then compare both side by side
    s = page.evaluate("document.body.dataset.settled")
    page.fill("#design-name", "Canada redesign B")
    page.locator('.lever[data-lever="revenue_transition"] label:has-text("Tapering")').click()
    s = settle(page, s)
    page.click("#save-btn")
    page.locator("#save-status", has_text="redesign B").wait_for()
    page.goto(base + "/scenarios")
    boxes = page.locator("input[name=ids]")
    assert boxes.count() == 2
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.click("text=Compare selected")
    page.wait_for_selector("table.compare")
    text = page.locator("table.compare").inner_text()
    assert "Canada redesign A" in text and "Canada redesign B" in text and "Tapering" in text
    assert not errors, errors


def test_keyboard_and_labels(browser_page):
    base, page, errors = browser_page
    page.goto(base + "/")
    page.wait_for_selector("#results")
    # every control has an accessible name
    unnamed = page.evaluate("""[...document.querySelectorAll('#canvas input, #canvas select')]
        .filter(e => e.type !== 'hidden' && !(e.labels && e.labels.length) && !e.getAttribute('aria-label')
                 && !e.getAttribute('aria-labelledby')).map(e => e.name || e.id)""")
    assert unnamed == []
    # the definition shows on keyboard focus
    info = page.locator('.lever[data-lever="spatial_logic"] .info')
    info.focus()
    assert page.locator("#def-spatial_logic").is_visible()
    assert not errors, errors


def test_duplicate_and_delete_from_the_scenario_page(browser_page):
    base, page, errors = browser_page
    import json
    import urllib.request

    body = json.dumps({"name": "To copy", "design": {"name": "To copy", "levers": {"ambition_level": "grow"}}})
    req = urllib.request.Request(base + "/api/v1/scenarios", data=body.encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    sid = json.loads(urllib.request.urlopen(req).read())["id"]
    page.goto(f"{base}/scenarios/{sid}")
    page.click("button[data-action=duplicate]")
    page.wait_for_url(lambda u: "/scenarios/" in u and not u.endswith(sid))
    assert "To copy (copy)" in page.content()
    page.on("dialog", lambda d: d.accept())
    page.click("button[data-action=delete]")
    page.wait_for_url(lambda u: u.rstrip("/").endswith("/scenarios"))
    assert "To copy (copy)" not in page.locator("table").inner_text()
    assert not errors, errors

"""Lever move in the page -> panel settled, headless Debian chromium on loopback (budget p95 <= 150 ms).

Clicks alternate between two positions of several ordinal levers and step a numeric slider; the time
runs from the input event until the results fragment is swapped in and the panel marks itself settled.
Baseline in the same run: a fetch of /api/v1/levers from the page (the network round trip alone).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.web.live import launch_browser, live_server  # noqa: E402

MOVES = 60


def wait_settled(page, before: str, timeout: float = 10.0) -> None:
    end = time.perf_counter() + timeout
    while time.perf_counter() < end:
        now = page.evaluate("[document.body.dataset.settled, document.getElementById('results')"
                            ".getAttribute('aria-busy')]")
        if now[0] != before and now[1] == "false":
            return
        time.sleep(0.002)
    raise TimeoutError("the panel did not settle")


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, live_server(Path(tmp) / "b.db") as base, sync_playwright() as p:
        browser = launch_browser(p)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(base + "/?from=program:no-nic-2014")
        page.wait_for_selector("#results .findings")
        rtt = []
        for _ in range(20):
            rtt.append(page.evaluate("(async () => { const t = performance.now(); "
                                     "await (await fetch('/api/v1/levers')).text(); "
                                     "return performance.now() - t; })()"))
        levers = ["ambition_level", "funding_uses", "revenue_transition", "accountability_model"]
        times = []
        for i in range(MOVES):
            before = page.evaluate("document.body.dataset.settled")
            if i % 3 == 2:
                slider = page.locator('.lever[data-lever="portfolio_size"] input.slider')
                slider.focus()
                t = time.perf_counter()
                page.keyboard.press("ArrowRight" if (i // 3) % 2 == 0 else "ArrowLeft")
            else:  # an ordinal lever: click a position other than the current one
                lever = levers[i % len(levers)]
                radios = page.locator(f'.lever[data-lever="{lever}"] input[type=radio]')
                checked = page.evaluate(f"[...document.querySelectorAll('.lever[data-lever=\\'{lever}\\'] "
                                        "input[type=radio]')].findIndex(r => r.checked)")
                target = 1 if checked != 1 else 2
                loc = radios.nth(target).locator("xpath=..")
                t = time.perf_counter()
                loc.click()
            wait_settled(page, before)
            times.append(time.perf_counter() - t)
        browser.close()
    xs = sorted(times)
    p95 = xs[int(0.95 * (len(xs) - 1))] * 1000
    print(f"baseline fetch /api/v1/levers from the page: median {statistics.median(rtt):.1f} ms")
    print(f"lever move -> panel settled ({MOVES} moves): median {statistics.median(xs) * 1000:.0f} ms, "
          f"p95 {p95:.0f} ms ({p95 / 150:.0%} of the 150 ms budget)")


if __name__ == "__main__":
    main()

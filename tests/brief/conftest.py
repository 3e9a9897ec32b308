from __future__ import annotations

from pathlib import Path

import pytest

from clusterlevers.domain.design import Design, load_design, parse_design

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
BAD = ROOT / "tests" / "fixtures" / "designs" / "bad"
MM = 72 / 25.4  # PDF points per millimetre


@pytest.fixture(scope="session")
def canada() -> Design:
    return load_design(EXAMPLES / "canada-isi-2017.yaml")


@pytest.fixture(scope="session")
def norway() -> Design:
    return load_design(EXAMPLES / "norway-nic-2014.yaml")


@pytest.fixture(scope="session")
def canada_html(canada) -> str:
    from clusterlevers.export.brief import render_brief_html

    return render_brief_html([canada])


@pytest.fixture(scope="session")
def canada_pdf(canada_html) -> bytes:
    from clusterlevers.export.brief import html_to_pdf

    return html_to_pdf(canada_html)


def small_design(name: str) -> Design:
    return parse_design({"name": name, "context": {"currency": "EUR"},
                         "levers": {"ambition_level": "grow", "portfolio_size": 12, "funding_intensity": 3,
                                    "funding_horizon": 10, "private_match": 50}})

from __future__ import annotations

from pathlib import Path

import pytest

from clusterlevers.domain.design import Design, load_design

DESIGNS = Path(__file__).parent / "designs"


@pytest.fixture(scope="session")
def canada() -> Design:
    return load_design(DESIGNS / "canada-isi-2017.yaml")


@pytest.fixture(scope="session")
def norway() -> Design:
    return load_design(DESIGNS / "norway-nic-2014.yaml")


@pytest.fixture(scope="session")
def taper() -> Design:
    return load_design(DESIGNS / "taper-10y.yaml")

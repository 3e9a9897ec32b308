from __future__ import annotations

from pathlib import Path

import pytest

from clusterlevers.domain.evaluation import synthetic

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def homogeneous() -> synthetic.SyntheticStudy:
    return synthetic.firm_panel(2000, seed=11)


@pytest.fixture(scope="session")
def heterogeneous() -> synthetic.SyntheticStudy:
    return synthetic.firm_panel(2000, seed=11, cohort_scale=(2.0, 1.0, 0.2), ramp_years=5)

"""Calibration: recover known parameters from a panel the simulator generated; reject bad CSVs."""

from __future__ import annotations

import pytest

from clusterlevers.domain.errors import InputError
from clusterlevers.domain.financing import calibrate, simulate
from clusterlevers.domain.financing.calibration import COLUMNS, write_panel_csv

from .helpers import design

KNOWN = {"fee": 0.6, "service_max": 1.2, "learning_rate": 0.2, "sponsorship_scale": 1.5,
         "sponsorship_exponent": 0.7, "project_public_origin": 0.65, "other_public": 80.0, "call_trend": -0.02,
         "churn_base": 0.08, "recruitment": 5.0, "member_capacity": 300.0, "wtp_base": 0.6, "wtp_value": 2.0,
         "overhead_rate": 0.1, "project_volume": 20.0}
# fees stay below willingness to pay (0.6 <= 0.6 + 2 V), so total churn is the base churn
TRUTH = {**{k: KNOWN[k] for k in ("fee", "service_max", "learning_rate", "sponsorship_scale", "sponsorship_exponent",
                                  "project_public_origin", "other_public", "call_trend", "recruitment",
                                  "member_capacity")},
         "churn_total": KNOWN["churn_base"], "overhead_volume": KNOWN["overhead_rate"] * KNOWN["project_volume"]}


@pytest.fixture(scope="module")
def panel(tmp_path_factory):
    d = design(funding_uses="management", funding_intensity=0.5, funding_horizon=8, portfolio_size=50)
    res = simulate(d, draws=1, years=20, clusters=50, seed=3, params=KNOWN, record_full=True)
    path = tmp_path_factory.mktemp("panel") / "panel.csv"
    assert write_panel_csv(res, path) > 500
    return path


def test_recovers_known_parameters_within_25_percent(panel):
    fit = calibrate(panel)
    got = fit["parameters"]
    for key, truth in TRUTH.items():
        assert key in got, key
        assert got[key]["value"] == pytest.approx(truth, rel=0.25), (key, got[key]["value"], truth)
    assert fit["as_params"]["churn_base"] == got["churn_total"]["value"]
    # the fitted values run straight through the simulator
    simulate(design(), draws=5, years=3, params=fit["as_params"])


def _write(tmp_path, text):
    p = tmp_path / "bad.csv"
    p.write_text(text)
    return p


def _good_rows(n=12):
    rows = [",".join(COLUMNS)]
    for i in range(n):
        rows.append(f"c1,{2000 + i},100,50,80,10,5,3,20,90,3")
    return rows


def test_missing_column_named(tmp_path):
    rows = _good_rows()
    rows[0] = rows[0].replace(",staff", "")
    rows = [rows[0]] + [r.rsplit(",", 1)[0] for r in rows[1:]]
    with pytest.raises(InputError) as exc:
        calibrate(_write(tmp_path, "\n".join(rows)))
    p = exc.value.problems[0]
    assert p.field == "staff" and p.line == 1 and "missing" in p.message


def test_bad_value_names_row_and_column(tmp_path):
    rows = _good_rows()
    rows[5] = rows[5].replace(",90,3", ",ninety,3")
    rows[8] = rows[8].replace("c1,2007,100", "c1,2007,-4")
    with pytest.raises(InputError) as exc:
        calibrate(_write(tmp_path, "\n".join(rows)))
    where = {(p.line, p.field) for p in exc.value.problems}
    assert (6, "members") in where and (9, "program_grant") in where
    assert all(p.file.endswith("bad.csv") for p in exc.value.problems)


def test_duplicate_cluster_year_and_short_row(tmp_path):
    rows = _good_rows()
    rows.append(rows[3])
    rows.append("c2,2001,1,2")
    with pytest.raises(InputError) as exc:
        calibrate(_write(tmp_path, "\n".join(rows)))
    msgs = " | ".join(str(p) for p in exc.value.problems)
    assert "duplicate row" in msgs and ":14:" in msgs and "expected 11 values, got 4" in msgs


def test_empty_and_missing_files(tmp_path):
    with pytest.raises(InputError):
        calibrate(_write(tmp_path, ""))
    with pytest.raises(InputError):
        calibrate(tmp_path / "nope.csv")
    with pytest.raises(InputError, match="at least 10"):
        calibrate(_write(tmp_path, "\n".join(_good_rows(3))))

"""Negative fixtures: one file per malformed case; the error names file, CSV line and column."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from clusterlevers.domain.errors import InputError
from clusterlevers.domain.evaluation.csvio import read_table
from clusterlevers.domain.evaluation.panels import load_monitoring_panel, load_treatment, prepare_firm_data

FIXTURES = Path(__file__).parent / "fixtures"

GOOD_TREATMENT = pd.DataFrame({"firm_id": ["A", "B"], "treatment_year": [2011, None]})
GOOD_PANEL = pd.DataFrame({"firm_id": ["A", "A", "B", "B"], "year": [2010, 2011, 2010, 2011],
                           "log_rd": [1.0, 1.1, 0.9, 1.0], "size0": [3, 3, 2, 2]})


def _firm(path):
    return prepare_firm_data(path, GOOD_TREATMENT, "log_rd", ["size0"])


def _treat(path):
    return prepare_firm_data(GOOD_PANEL, path, "log_rd", ["size0"])


# (loader, fixture, expected line, expected field, words expected in the message)
CASES = [
    (_firm, "firm_missing_firm_id.csv", 1, "firm_id", "missing"),
    (_firm, "firm_bad_year.csv", 4, "year", "expected a year"),
    (_firm, "firm_duplicate_row.csv", 5, "year", "duplicate row"),
    (_firm, "firm_bad_outcome.csv", 3, "log_rd", "expected a number"),
    (_firm, "firm_ragged_row.csv", 3, "", "malformed CSV"),
    (_firm, "firm_empty.csv", 1, "", "empty file"),
    (_firm, "firm_not_utf8.csv", 3, "", "UTF-8"),
    (_firm, "firm_tab_separated.csv", 1, "", "tab-separated"),
    (_firm, "firm_empty_id.csv", 3, "firm_id", "identifier"),
    (_firm, "firm_year_out_of_range.csv", 4, "year", ">= 1950"),
    (_firm, "firm_duplicate_column.csv", 1, "log_rd", "duplicate column"),
    (_firm, "firm_quoted_newline.csv", 5, "log_rd", "expected a number"),
    (_firm, "firm_bad_numeric_covariate.csv", 5, "size0", "expected a number"),
    (_treat, "treat_bad_year.csv", 3, "treatment_year", "expected a year"),
    (_treat, "treat_missing_column.csv", 1, "treatment_year", "missing"),
    (_treat, "treat_conflicting_rows.csv", 4, "treatment_year", "another row"),
    (_treat, "treat_bad_score.csv", 3, "score", "expected a number"),
    (_treat, "treat_fractional_year.csv", 2, "treatment_year", "whole number"),
    (load_monitoring_panel, "mon_negative_members.csv", 3, "members", ">= 0"),
    (load_monitoring_panel, "mon_fractional_projects.csv", 2, "projects_n", "whole number"),
    (load_monitoring_panel, "mon_missing_column.csv", 1, "projects_eur", "missing"),
    (load_monitoring_panel, "mon_duplicate_cluster_year.csv", 4, "year", "first at line 2"),
    (load_monitoring_panel, "mon_bad_extra_column.csv", 1, "Comments", "snake_case"),
    (load_monitoring_panel, "mon_bad_money.csv", 3, "budget_public", "amount"),
    (load_monitoring_panel, "mon_bad_tier.csv", 3, "tier", "whole number"),
]


@pytest.mark.parametrize(("loader", "name", "line", "field", "words"), CASES, ids=[c[1] for c in CASES])
def test_malformed_csv_names_file_line_and_column(loader, name, line, field, words):
    path = FIXTURES / name
    with pytest.raises(InputError) as info:
        loader(path)
    problem = info.value.problems[0]
    assert problem.file == str(path)
    assert problem.line == line, str(problem)
    assert problem.field == field, str(problem)
    assert words in problem.message, str(problem)


def test_every_fixture_file_is_a_tested_case():
    tested = {c[1] for c in CASES}
    assert {p.name for p in FIXTURES.glob("*.csv")} == tested


def test_size_limit(tmp_path):
    path = tmp_path / "big.csv"
    path.write_text("firm_id,year\n" + "A,2010\n" * 100)
    with pytest.raises(InputError, match="over the 500-byte limit"):
        read_table(path, max_bytes=500)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        load_monitoring_panel(tmp_path / "nope.csv")
    with pytest.raises(InputError, match="is a directory"):
        load_monitoring_panel(tmp_path)


def test_outcome_and_covariate_must_exist():
    with pytest.raises(InputError) as info:
        prepare_firm_data(GOOD_PANEL, GOOD_TREATMENT, "sales", None)
    assert info.value.problems[0].field == "sales"
    with pytest.raises(InputError) as info:
        prepare_firm_data(GOOD_PANEL, GOOD_TREATMENT, "log_rd", ["size0", "employees"])
    assert info.value.problems[0].field == "employees"


def test_blank_lines_are_skipped_and_lines_stay_true(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("firm_id,year,log_rd\nA,2010,1\n\nA,2011,oops\n")
    with pytest.raises(InputError) as info:
        prepare_firm_data(path, GOOD_TREATMENT, "log_rd", [])
    assert info.value.problems[0].line == 4


def test_several_problems_are_all_reported():
    with pytest.raises(InputError) as info:
        load_monitoring_panel(FIXTURES / "mon_negative_members.csv")
    assert len(info.value.problems) == 1  # one bad cell, one problem (no cascade)


def test_treatment_takes_first_year_of_several_rows(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("firm_id,start_year,treat_type\nA,2014,project\nA,2012,member\nB,,\n")
    t = load_treatment(path)
    assert dict(zip(t["firm_id"], t["cohort"], strict=True)) == {"A": 2012, "B": 0}


def test_valid_monitoring_panel_loads(tmp_path):
    from clusterlevers.domain.evaluation.synthetic import monitoring_panel

    df = monitoring_panel(3, n_years=4, seed=2)
    path = tmp_path / "m.csv"
    df.to_csv(path, index=False)
    out = load_monitoring_panel(path)
    assert len(out) == 12 and out["members"].dtype == float and out["year"].dtype.kind == "i"
    assert out["tier"].between(1, 3).all()

"""The three evaluation inputs and their validation.

* monitoring panel (research note §2.5 ``cluster_panel.csv``): one row per cluster and year;
* firm panel: one row per firm and year with outcome and covariate columns;
* treatment file: one row per firm with its first treatment year (empty = never treated).

Formats are documented in ``docs/evaluation.md``. Every loader accepts a path or a DataFrame and
raises :class:`InputError` naming the file, the CSV line and the column of each bad cell.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TypeAlias

import numpy as np
import pandas as pd

from ..errors import InputError, Problem
from .csvio import Table, bad_cells, duplicate_keys, raise_if, read_table, require_columns, to_number

YEAR_MIN, YEAR_MAX = 1950, 2100

# §2.5 cluster_panel.csv: fixed column names. Money columns are in the program's currency (any unit,
# used consistently); counts are whole numbers.
MONITORING_COLUMNS: dict[str, str] = {
    "members": "count",
    "fte": "number",
    "budget_public": "money",
    "budget_fees": "money",
    "budget_services": "money",
    "budget_projects": "money",
    "private_coinvest": "money",
    "projects_n": "count",
    "projects_eur": "money",
}
MONITORING_OPTIONAL_TEXT = ("cluster_name",)
MONITORING_OPTIONAL_NUMERIC = {"tier": "count"}  # tier on a ladder: 1 = entry level

FIRM_KEYS = ("firm_id", "year")
TREATMENT_ALIASES = {"start_year": "treatment_year", "cohort": "treatment_year"}
CATEGORICAL_HINTS = ("sector", "region", "nace", "industry", "country", "cluster_id")

Source: TypeAlias = str | os.PathLike[str] | pd.DataFrame


def _table(data: Source, name: str) -> Table:
    if isinstance(data, pd.DataFrame):
        frame = data.copy()
        frame.columns = [str(c).strip() for c in frame.columns]
        frame = frame.astype(object).where(frame.notna(), "").astype(str).apply(lambda s: s.str.strip())
        frame = frame.reset_index(drop=True)
        # A DataFrame has no CSV lines: report the line the row would have if written with a header.
        return Table(frame=frame, lines=np.arange(2, len(frame) + 2), source=f"<{name} DataFrame>")
    return read_table(data)


def _year(table: Table, problems: list[Problem]) -> pd.Series:
    return to_number(table, "year", problems, allow_empty=False, integer=True, minimum=YEAR_MIN, maximum=YEAR_MAX,
                     what="a year")


def _ids(table: Table, column: str, problems: list[Problem]) -> pd.Series:
    s = table.frame[column]
    bad_cells(table, column, (s == "").to_numpy(), "expected an identifier", problems)
    return s


# ------------------------------------------------------------------ monitoring panel

def load_monitoring_panel(path: Source) -> pd.DataFrame:
    """Load and validate a cluster monitoring panel (§2.5 schema).

    Required columns: ``cluster_id, year`` and the nine KPI columns of :data:`MONITORING_COLUMNS`
    (cells may be empty = not reported). Optional: ``cluster_name`` (text), ``tier`` (whole number,
    1 = entry tier of a ladder) and any further numeric column, kept as an extra KPI.
    Returns a DataFrame sorted by cluster and year, numeric columns as float.
    """
    table = _table(path, "monitoring panel")
    require_columns(table, ("cluster_id", "year", *MONITORING_COLUMNS))
    problems: list[Problem] = []
    out = pd.DataFrame({"cluster_id": _ids(table, "cluster_id", problems)})
    out["year"] = _year(table, problems)
    for col in table.frame.columns:
        if col in ("cluster_id", "year"):
            continue
        if col in MONITORING_OPTIONAL_TEXT:
            out[col] = table.frame[col]
            continue
        kind = MONITORING_COLUMNS.get(col) or MONITORING_OPTIONAL_NUMERIC.get(col) or "number"
        if col not in MONITORING_COLUMNS and col not in MONITORING_OPTIONAL_NUMERIC and not _is_snake(col):
            problems.append(table.problem("extra columns need snake_case names (letters, digits, _)", column=col))
            continue
        what = {"count": "a whole number", "money": "an amount", "number": "a number"}[kind]
        out[col] = to_number(table, col, problems, integer=kind == "count", minimum=0, what=what)
    if not problems:
        duplicate_keys(table, ["cluster_id", "year"], problems)
    raise_if(problems)
    out["year"] = out["year"].astype(int)
    out.attrs["source"] = table.source
    return out.sort_values(["cluster_id", "year"], kind="stable").reset_index(drop=True)


def _is_snake(name: str) -> bool:
    import re

    return re.fullmatch(r"[a-z][a-z0-9_]*", name) is not None


# ------------------------------------------------------------------ firm panel and treatment

@dataclass
class FirmData:
    """A validated firm panel joined with treatment cohorts, ready for the estimators."""

    panel: pd.DataFrame  # firm_id, year, outcome, covariate columns; cohort (0 = never treated)
    outcome: str
    covariates: list[str]
    numeric_covariates: list[str]
    categorical_covariates: list[str]
    warnings: list[str] = field(default_factory=list)
    source: str = ""


def load_firm_panel(path: Source) -> tuple[pd.DataFrame, Table]:
    """Validate the firm panel's keys (firm_id, year, no duplicates); other columns stay text."""
    table = _table(path, "firm panel")
    require_columns(table, FIRM_KEYS)
    problems: list[Problem] = []
    ids = _ids(table, "firm_id", problems)
    years = _year(table, problems)
    if not problems:
        duplicate_keys(table, list(FIRM_KEYS), problems)
    raise_if(problems)
    frame = table.frame.copy()
    frame["firm_id"] = ids
    frame["year"] = years.astype(int)
    return frame, table


def load_treatment(path: Source) -> pd.DataFrame:
    """Load the treatment file: ``firm_id, treatment_year`` (empty = never treated), optional ``score``.

    ``start_year`` (the research note's name) is accepted for ``treatment_year``. A firm may appear on
    several rows (several memberships or projects): its cohort is its first treatment year.
    Returns one row per firm: firm_id, cohort (0 = never treated), score (NaN when absent).
    """
    table = _table(path, "treatment")
    require_columns(table, ("firm_id", "treatment_year"), aliases=TREATMENT_ALIASES)
    problems: list[Problem] = []
    ids = _ids(table, "firm_id", problems)
    year = to_number(table, "treatment_year", problems, integer=True, minimum=YEAR_MIN, maximum=YEAR_MAX,
                     what="a year or an empty cell (never treated)")
    score = (to_number(table, "score", problems, what="a number") if "score" in table.frame.columns
             else pd.Series(np.nan, index=table.frame.index))
    raise_if(problems)
    df = pd.DataFrame({"firm_id": ids, "year": year, "score": score})
    # A firm listed both as never treated (empty year) and as treated is contradictory.
    has_year = df.groupby("firm_id")["year"].transform(lambda s: s.notna().any())
    conflict = (df["year"].isna() & has_year).to_numpy()
    bad_cells(table, "treatment_year", conflict,
              "firm has another row with a treatment year; leave this row out or give its year", problems)
    raise_if(problems)
    agg = df.groupby("firm_id", sort=False).agg(cohort=("year", "min"), score=("score", "first")).reset_index()
    agg["cohort"] = agg["cohort"].fillna(0).astype(int)
    agg.attrs["source"] = table.source
    return agg


def prepare_firm_data(firm_panel: Source, treatment: Source, outcome: str,
                      covariates: list[str] | None) -> FirmData:
    """Join panel and treatment, validate the outcome and covariates, derive cohorts."""
    frame, table = load_firm_panel(firm_panel)
    treat = load_treatment(treatment)
    warnings: list[str] = []
    problems: list[Problem] = []
    if outcome not in frame.columns:
        raise InputError([table.problem(f"outcome column not found; columns: {', '.join(frame.columns)}",
                                        column=outcome)])
    if outcome in FIRM_KEYS:
        raise InputError([table.problem("the outcome cannot be a key column", column=outcome)])
    y = to_number(table, outcome, problems, what="a number (empty = not observed)")
    if covariates is None:
        from .estimators.common import DEFAULT_COVARIATES

        covs = [c for c in DEFAULT_COVARIATES if c in frame.columns and c != outcome]
        if not covs:
            warnings.append("no covariates: none of the default covariates (" + ", ".join(DEFAULT_COVARIATES)
                            + ") is in the panel, so parallel trends are assumed unconditionally")
    else:
        covs = []
        for c in covariates:
            if c not in frame.columns:
                problems.append(table.problem(f"covariate column not found; columns: {', '.join(frame.columns)}",
                                              column=c))
            elif c in (*FIRM_KEYS, outcome):
                problems.append(table.problem("a covariate cannot be the outcome or a key column", column=c))
            elif c not in covs:
                covs.append(c)
    raise_if(problems)
    panel = pd.DataFrame({"firm_id": frame["firm_id"], "year": frame["year"], outcome: y})
    numeric, categorical = [], []
    for c in covs:
        s = frame[c]
        nonempty = s != ""
        num = pd.to_numeric(s.where(nonempty, None), errors="coerce")
        share_num = float(num.notna().sum()) / max(1, int(nonempty.sum()))
        if c.lower() in CATEGORICAL_HINTS or share_num < 0.5:
            categorical.append(c)
            panel[c] = s.where(nonempty, None)
        else:
            numeric.append(c)
            panel[c] = to_number(table, c, problems, what="a number (the column is numeric)")
    raise_if(problems)
    # Cohorts: firms missing from the treatment file are never treated (said in the warnings).
    cohort = panel["firm_id"].map(dict(zip(treat["firm_id"], treat["cohort"], strict=False)))
    n_missing = int(panel.loc[cohort.isna(), "firm_id"].nunique())
    if n_missing:
        warnings.append(f"{n_missing} firm(s) of the panel are not in the treatment file and are taken as never "
                        "treated")
    panel["cohort"] = cohort.fillna(0).astype(int)
    unknown = sorted(set(treat["firm_id"]) - set(panel["firm_id"]))
    if unknown:
        warnings.append(f"{len(unknown)} firm(s) of the treatment file have no rows in the panel "
                        f"(e.g. {', '.join(unknown[:3])})")
    return FirmData(panel=panel.sort_values(["firm_id", "year"], kind="stable").reset_index(drop=True),
                    outcome=outcome, covariates=covs, numeric_covariates=numeric, categorical_covariates=categorical,
                    warnings=warnings, source=table.source)

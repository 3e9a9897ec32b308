"""KPIs computed from a monitoring panel (§2.5 schema), per cluster and year."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError
from .panels import MONITORING_COLUMNS, MONITORING_OPTIONAL_TEXT

PROGRAM = "all clusters"


@dataclass(frozen=True)
class PanelKPI:
    id: str
    name: str
    unit: str
    per_cluster: bool
    needs: tuple[str, ...]


def _total(df: pd.DataFrame) -> pd.Series:
    t = df[["budget_public", "budget_fees", "budget_services", "budget_projects"]].sum(axis=1, min_count=4)
    return t.where(t > 0)


def _ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    return (num / den.where(den > 0)).astype(float)


_FORMULAS: dict[str, Callable[[pd.DataFrame], pd.Series]] = {
    "public_share": lambda d: _ratio(d["budget_public"], _total(d)),
    "self_generated_share": lambda d: _ratio(d["budget_fees"] + d["budget_services"], _total(d)),
    "leverage_ratio": lambda d: _ratio(d["private_coinvest"], d["budget_public"]),
    "project_leverage": lambda d: _ratio(d["private_coinvest"], d["projects_eur"] - d["private_coinvest"]),
    "total_budget": _total,
}

BUILT_IN: dict[str, PanelKPI] = {k.id: k for k in [
    PanelKPI("members", "Member organisations", "organisations", True, ("members",)),
    PanelKPI("fte", "Cluster management staff", "FTE", True, ("fte",)),
    PanelKPI("budget_public", "Public funding", "money (panel currency)", True, ("budget_public",)),
    PanelKPI("budget_services", "Services sold", "money (panel currency)", True, ("budget_services",)),
    PanelKPI("projects_n", "Collaborative projects started", "projects", True, ("projects_n",)),
    PanelKPI("projects_eur", "Value of collaborative projects", "money (panel currency)", True, ("projects_eur",)),
    PanelKPI("total_budget", "Total budget of the cluster organisation", "money (panel currency)", True, ()),
    PanelKPI("public_share", "Public share of the budget", "share", True, ()),
    PanelKPI("self_generated_share", "Self-generated revenue share (fees + services)", "share", True, ()),
    PanelKPI("leverage_ratio", "Private co-investment per public unit", "ratio", True, ()),
    PanelKPI("project_leverage", "Private per public unit within projects", "ratio", True, ()),
    PanelKPI("clusters_reporting", "Clusters reporting", "clusters", False, ()),
    PanelKPI("promotion_rate", "Share of clusters promoted to a higher tier", "share per year", False, ("tier",)),
]}


def monitoring_kpis(panel: pd.DataFrame) -> list[PanelKPI]:
    """KPIs computable from this panel: the built-in ones plus one per extra numeric column."""
    out = [k for k in BUILT_IN.values() if all(c in panel.columns for c in k.needs)]
    known = {"cluster_id", "year", "tier", *MONITORING_COLUMNS, *MONITORING_OPTIONAL_TEXT}
    for col in panel.columns:
        if col not in known and col not in BUILT_IN and pd.api.types.is_numeric_dtype(panel[col]):
            out.append(PanelKPI(col, col.replace("_", " ").capitalize(), "as reported", True, (col,)))
    return out


def kpi_series(panel: pd.DataFrame, kpi: str) -> pd.DataFrame:
    """One KPI as a year x cluster table (program-level KPIs have one column, ``all clusters``)."""
    available = {k.id: k for k in monitoring_kpis(panel)}
    if kpi not in available:
        raise InputError.single(f"unknown KPI for this panel; available: {', '.join(available)}", field="kpi")
    if kpi == "clusters_reporting":
        s = panel.groupby("year")["cluster_id"].nunique().astype(float)
        return s.to_frame(PROGRAM)
    if kpi == "promotion_rate":
        d = panel[["cluster_id", "year", "tier"]].dropna().sort_values(["cluster_id", "year"])
        prev = d.groupby("cluster_id")["tier"].shift(1)
        gap = d["year"] - d.groupby("cluster_id")["year"].shift(1)
        ok = prev.notna() & (gap == 1)
        rate = (d.loc[ok, "tier"] > prev[ok]).groupby(d.loc[ok, "year"]).mean().astype(float)
        return rate.to_frame(PROGRAM)
    values = _FORMULAS[kpi](panel) if kpi in _FORMULAS else panel[kpi].astype(float)
    frame = pd.DataFrame({"cluster_id": panel["cluster_id"], "year": panel["year"], "v": values})
    return frame.pivot(index="year", columns="cluster_id", values="v").sort_index()


def kpi_summary(panel: pd.DataFrame, kpi: str, target: dict[str, Any] | float | None = None) -> dict[str, Any]:
    """Latest value, trend per year and position against the target, per cluster."""
    table = kpi_series(panel, kpi)
    meta = {k.id: k for k in monitoring_kpis(panel)}[kpi]
    tval, direction = _target_value(target)
    rows = []
    for col in table.columns:
        s = table[col].dropna()
        if s.empty:
            rows.append({"cluster_id": col, "first_year": None, "last_year": None, "last": None, "trend_per_year": None,
                         "on_target": None})
            continue
        slope = float(np.polyfit(s.index.to_numpy(float), s.to_numpy(float), 1)[0]) if len(s) >= 2 else None
        last = float(s.iloc[-1])
        on = None
        if tval is not None:
            on = last >= tval if direction == "at_least" else last <= tval if direction == "at_most" else \
                abs(last - tval) <= 0.1 * max(abs(tval), 1e-9)
        rows.append({"cluster_id": str(col), "first_year": int(s.index[0]), "last_year": int(s.index[-1]),
                     "first": float(s.iloc[0]), "last": last, "trend_per_year": slope, "on_target": on})
    return {"kpi": kpi, "name": meta.name, "unit": meta.unit,
            "target": None if tval is None else {"value": tval, "direction": direction},
            "clusters": rows}


def _target_value(target: dict[str, Any] | float | None) -> tuple[float | None, str]:
    if target is None:
        return None, "about"
    if isinstance(target, (int, float)):
        return float(target), "about"
    v = target.get("value")
    return (None if v is None else float(v)), str(target.get("direction", "about"))

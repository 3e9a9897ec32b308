"""Atlas export: one row per program (CSV or JSON) plus a Frictionless ``datapackage.json``."""

from __future__ import annotations

import csv
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from ..canvas import load_canvas
from .loader import atlas_version, load_atlas

_FACT_COLUMNS: list[tuple[str, str, str]] = [
    ("id", "string", "Program generation id"),
    ("family", "string", "Program line shared by its generations"),
    ("name", "string", "English name"),
    ("native_name", "string", "Native-language name"),
    ("country", "string", "ISO 3166-1 alpha-2"),
    ("region", "string", "ISO 3166-2 for regional programs"),
    ("level", "string", "national or regional"),
    ("start_year", "integer", "First year"),
    ("end_year", "string", "Last year, or ongoing"),
    ("agency", "string", "Administering agency"),
    ("clusters", "integer", "Number of clusters supported"),
    ("total_public_budget_m", "number", "Total public budget, millions of budget_currency"),
    ("budget_currency", "string", "ISO 4217"),
    ("budget_period", "string", "Period the budget covers"),
    ("funding_per_cluster_year_m", "number", "Public money per cluster-year, millions of funding_currency"),
    ("funding_currency", "string", "ISO 4217"),
    ("funding_horizon_years", "number", "Years of committed support per cluster"),
    ("private_match_pct", "number", "Required non-program share of eligible cost, %"),
    ("predecessors", "string", "Ids of earlier generations, ;-separated"),
    ("successors", "string", "Ids of later generations, ;-separated"),
    ("sources", "string", "All source URLs of the record, space-separated"),
]


def _num(v: Any) -> Any:
    return v if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def rows() -> list[dict[str, Any]]:
    canvas = load_canvas()
    out = []
    for p in load_atlas().values():
        f = p.facts
        srcs: list[str] = []
        for _, fact in f:
            if fact is not None and not isinstance(fact, str):
                srcs += fact.sources
        for c in p.levers.values():
            srcs += c.sources
        row: dict[str, Any] = {
            "id": p.id, "family": p.family, "name": p.name, "native_name": p.native_name, "country": p.country,
            "region": p.region, "level": p.level, "start_year": _num(f.start_year.value),
            "end_year": f.end_year.value, "agency": f.agency.value, "clusters": _num(f.clusters.value),
            "total_public_budget_m": f.total_public_budget.amount, "budget_currency": f.total_public_budget.currency,
            "budget_period": f.total_public_budget.period,
            "funding_per_cluster_year_m": f.funding_per_cluster_year.amount,
            "funding_currency": f.funding_per_cluster_year.currency,
            "funding_horizon_years": _num(f.funding_horizon_years.value),
            "private_match_pct": _num(f.private_match_pct.value),
            "predecessors": ";".join(p.predecessors), "successors": ";".join(p.successors),
            "sources": " ".join(dict.fromkeys(srcs)),
        }
        for lv in canvas.levers:
            c = p.levers[lv.id]
            row[f"lever_{lv.id}"] = (c.value if lv.kind == "numeric" else c.position) if c.known else "unknown"
            row[f"lever_{lv.id}_confidence"] = c.confidence
        out.append(row)
    return out


def datapackage(resource_path: str, fmt: str) -> dict[str, Any]:
    canvas = load_canvas()
    fields: list[dict[str, Any]] = [{"name": n, "type": t, "description": d} for n, t, d in _FACT_COLUMNS]
    for lv in canvas.levers:
        desc = lv.definition + (" Positions: " + ", ".join(lv.position_ids) if lv.kind == "ordinal"
                                else f" Unit: {lv.unit}.") + " 'unknown' when not established from sources."
        fields.append({"name": f"lever_{lv.id}", "type": "string", "description": desc})
        fields.append({"name": f"lever_{lv.id}_confidence", "type": "string",
                       "constraints": {"enum": ["high", "medium", "low"]}})
    return {
        "profile": "tabular-data-package" if fmt == "csv" else "data-package",
        "name": "clusterlevers-atlas",
        "title": "Atlas of national cluster programs on the Cluster Policy Levers Canvas",
        "version": atlas_version(),
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}],
        "resources": [{"name": "programs", "path": resource_path, "format": fmt,
                       "mediatype": "text/csv" if fmt == "csv" else "application/json",
                       "schema": {"fields": fields, "primaryKey": ["id"]}}],
    }


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def export_atlas(output: Path, fmt: str) -> list[Path]:
    """Write the atlas as CSV or JSON at ``output`` and ``datapackage.json`` beside it (both or neither)."""
    data = rows()
    if fmt == "csv":
        import io

        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(data[0].keys()) if data else [c[0] for c in _FACT_COLUMNS])
        writer.writeheader()
        writer.writerows(data)
        text = buf.getvalue()
    else:
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    pkg = json.dumps(datapackage(output.name, fmt), indent=2, ensure_ascii=False) + "\n"
    pkg_path = output.parent / "datapackage.json"
    _atomic_write(output, text)
    _atomic_write(pkg_path, pkg)
    return [output, pkg_path]

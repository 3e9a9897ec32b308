"""What a brief shows about one design: the page's result context plus the brief-only sections."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any
from urllib.parse import urlencode

from ..domain.design import Design

SIM_DRAWS = 1000
SIM_YEARS = 15
SIM_SEED = 0

# headline figure -> (label, summary key, band key, assumption channel, kind)
KEY_FIGURES = (
    ("Private share of the budget reaches 50 %", "year_private_share_50", None, "year_private_share_50", "year"),
    ("Budget drop when the grant ends", "budget_drop_at_grant_end", "budget_drop_at_grant_end_band",
     "budget_drop_at_grant_end", "share"),
    ("Clusters alive 3 years after the grant", "alive_3y_after_grant_end", None, "alive_after_grant_end", "share"),
    ("Clusters alive 5 years after the grant", "alive_5y_after_grant_end", None, "alive_after_grant_end", "share"),
    ("Probability a cluster is self-sustaining at the horizon", "self_sustaining_probability", None,
     "self_sustaining_probability", "share"),
    ("Public cost per surviving cluster", "public_cost_per_surviving_cluster_m",
     "public_cost_per_surviving_cluster_band", "public_cost_per_surviving_cluster_m", "money"),
)


OUTPUT_LABELS = {
    "public_share": "Public share of the budget", "budget": "Budget per live cluster",
    "members": "Paying members per cluster", "alive_share": "Share of clusters alive",
    "year_private_share_50": "Year the private share reaches 50 %",
    "budget_drop_at_grant_end": "Budget drop when the grant ends",
    "alive_after_grant_end": "Clusters alive after the grant",
    "self_sustaining_probability": "Self-sustaining probability",
    "public_cost_per_surviving_cluster_m": "Public cost per surviving cluster",
}


def scenario_hash(design: Design) -> str:
    """First 12 hex digits of the SHA-256 of the design's canonical JSON (sorted keys, no spaces)."""
    doc = json.dumps(design.to_document(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(doc.encode("utf-8")).hexdigest()[:12]


def scenario_url(design: Design, base_url: str | None = None) -> str:
    """The canvas URL of the design: relative (``/?…``) unless a server base URL is given."""
    from ..domain.urlstate import design_to_query

    path = "/?" + urlencode(design_to_query(design))
    return (base_url.rstrip("/") + path) if base_url else path


def provenance(designs: list[Design], base_url: str | None = None,
               today: dt.date | None = None) -> dict[str, Any]:
    from .. import __version__
    from ..domain.atlas.loader import atlas_version

    return {"tool_version": __version__, "atlas_version": atlas_version(),
            "date": (today or dt.date.today()).isoformat(), "base_url": base_url,
            "financing_run": {"draws": SIM_DRAWS, "years": SIM_YEARS, "seed": SIM_SEED},
            "scenarios": [{"name": d.name, "hash": scenario_hash(d), "url": scenario_url(d, base_url)}
                          for d in designs]}


def _fmt_figure(value: Any, kind: str, currency: str | None) -> str:
    if value is None:
        return "not reached within the horizon" if kind == "year" else "–"
    if kind == "year":
        return f"year {int(value)}"
    if kind == "share":
        return f"{float(value) * 100:.0f} %".replace("-0 %", "0 %")
    v = float(value)
    return f"{v:,.1f} million {currency or ''}".rstrip() if v >= 1 else f"{v:.3g} million {currency or ''}".rstrip()


def key_figures(summary: dict[str, Any]) -> list[dict[str, Any]]:
    """The financing headline figures with their 10-90 % range and evidence grade."""
    outputs = summary["assumptions"]["outputs"]
    cur = summary.get("currency")
    rows = []
    for label, key, band_key, channel, kind in KEY_FIGURES:
        assumed = outputs.get(channel, [])
        band = summary.get(band_key) if band_key else None
        rng = None
        if isinstance(band, dict) and band.get("p10") is not None and band.get("p90") is not None:
            rng = f"{_fmt_figure(band['p10'], kind, cur)} to {_fmt_figure(band['p90'], kind, cur)}"
        rows.append({"label": label, "value": _fmt_figure(summary.get(key), kind, cur), "range": rng,
                     "grade": "assumption" if assumed else "evidence", "assumptions": assumed,
                     "key_unknowns": [u for u in summary["assumptions"]["key_unknowns"] if u in assumed]})
    share = summary["public_share"]
    last = len(summary["years"]) - 1
    assumed = outputs.get("public_share", [])
    rows.insert(0, {"label": f"Public share of the clusters' budget in year {summary['years'][last]}",
                    "value": _fmt_figure(share["p50"][last], "share", cur),
                    "range": (f"{_fmt_figure(share['p10'][last], 'share', cur)} to "
                              f"{_fmt_figure(share['p90'][last], 'share', cur)}"),
                    "grade": "assumption" if assumed else "evidence", "assumptions": assumed,
                    "key_unknowns": [u for u in summary["assumptions"]["key_unknowns"] if u in assumed]})
    return rows


def _projection_for_partial(summary: dict[str, Any]) -> dict[str, Any]:
    """A ``project_median``-shaped dict from a full simulation, so the page's projection partial shows it."""
    head = {k: summary.get(k) for k in ("year_private_share_50", "grant_end_year", "budget_drop_at_grant_end",
                                        "alive_3y_after_grant_end", "alive_5y_after_grant_end",
                                        "self_sustaining_probability", "public_cost_per_surviving_cluster_m")}
    return {**summary, "headline": head, "defaulted_levers": summary.get("defaulted_levers", []),
            "label": f"Median of {SIM_DRAWS:,} simulated draws",
            "note": (f"{SIM_DRAWS:,} draws × {summary.get('clusters_simulated')} clusters, seed {SIM_SEED}; the shaded "
                     "band is the 10–90 % range across draws")}


def three_things(design: Design, a: dict[str, Any]) -> list[dict[str, Any]]:
    """Page one's three things to know: headline budget, the most serious finding, the closest real program."""
    from ..render import environment

    money = environment().filters["money"]
    d = a["derived"]
    if d.get("total_public_budget_m") is not None:
        lv = design.levers
        how = ""
        if all(k in lv for k in ("portfolio_size", "funding_intensity", "funding_horizon")):
            how = (f": {lv['portfolio_size']:,.0f} clusters × {_short(lv['funding_intensity'])} million "
                   f"{d.get('currency') or ''} per cluster-year × {_short(lv['funding_horizon'])} years")
            if design.context.overhead_pct:
                how += f", plus {design.context.overhead_pct:g} % administration"
        budget = {"title": "Headline budget", "figure": money(d["total_public_budget_m"], d.get("currency")),
                  "text": (f"Total public budget{how}. With the private match the clusters' total resources are "
                           f"{money(d.get('total_resources_m'), d.get('currency'))}.")}
        env = design.context.budget_envelope
        if env:
            share = d["total_public_budget_m"] / env
            budget["text"] += f" That is {share * 100:.0f} % of the {money(env, d.get('currency'))} envelope."
    else:
        budget = {"title": "Headline budget", "figure": "not computable yet",
                  "text": "Decide " + ", ".join(m.replace("_", " ") for m in d.get("missing", [])) + "."}
    if a["findings"]:
        f = a["findings"][0]
        n = len(a["findings"])
        finding = {"title": "Most serious finding", "figure": f.get("title") or f["id"], "severity": f["severity"],
                   "text": _first_sentence(f["message"])
                   + (f" ({n - 1} more finding{'s' if n > 2 else ''} in this brief.)" if n > 1 else "")}
    else:
        finding = {"title": "Most serious finding", "figure": "No tension found",
                   "text": "No coherence rule fires among the decided levers."}
    if a["neighbours"]:
        nb = a["neighbours"][0]
        from ..domain.canvas import load_canvas

        names = {lv.id: lv.name.lower() for lv in load_canvas().levers}
        diffs = [names.get(x["lever"], x["lever"]) for x in nb.get("differences", [])[:3]]
        closest = {"title": "Closest real program", "figure": f"{nb['name']} ({nb['country']})",
                   "text": (f"Similarity {nb['similarity'] * 100:.0f} %"
                            + (f"; differs most on {', '.join(diffs)}." if diffs else "; same coding on every "
                               "compared lever."))}
        if a.get("archetype"):
            closest["text"] += f" Program model: {a['archetype']['name']}."
    else:
        closest = {"title": "Closest real program", "figure": "none yet",
                   "text": "Decide at least one lever to compare with the atlas."}
    return [budget, finding, closest]


def _first_sentence(text: str) -> str:
    import re

    m = re.match(r"(.+?[.!?])(\s|$)", text.strip(), re.S)
    return m.group(1) if m else text


def _short(x: Any) -> str:
    v = float(x)
    return f"{v:,.0f}" if v.is_integer() else f"{v:,.2f}".rstrip("0").rstrip(".")


def glance_rows(design: Design) -> list[dict[str, Any]]:
    """The canvas at a glance: areas with their levers, the chosen position and a small position track."""
    from ..render.viewmodel import areas_with_rows

    out = []
    for area in areas_with_rows(design):
        rows = []
        for r in area["rows"]:
            lv = r["lever"]
            track: dict[str, Any]
            if lv.kind == "ordinal":
                track = {"kind": "ordinal", "n": len(lv.positions), "at": r.get("rank")}
            else:
                at = lv.unit_interval(float(r["value"])) if r["decided"] else None
                track = {"kind": "numeric", "at": None if at is None else round(at * 100, 1)}
            meaning = None
            if lv.kind == "ordinal" and r["decided"]:
                meaning = lv.position(str(r["value"])).meaning
            elif lv.kind == "numeric":
                cur = f" {lv.range_currency}-equivalent" if lv.money and lv.range_currency else ""
                meaning = (f"Canvas range {lv.min:g}–{lv.max:g} {lv.unit}{cur}; bands: "
                           + ", ".join(b.label.lower() for b in lv.bands) + ".")
            rows.append({**r, "track": track, "meaning": meaning})
        out.append({"area": area["area"], "rows": rows})
    return out


def design_context(design: Design, *, base_url: str | None = None) -> dict[str, Any]:
    """Everything the brief templates need about one design."""
    from ..domain.assess import assess
    from ..domain.financing import simulate
    from ..render.results import results_context
    from .plan import evaluation_plan
    from .sources import collect_sources

    a = assess(design, projection=False)
    summary = simulate(design, draws=SIM_DRAWS, years=SIM_YEARS, seed=SIM_SEED).summary()
    a["projection"] = _projection_for_partial(summary)
    ctx = results_context(design, a=a, design_label="this design")
    plan = evaluation_plan(design)
    ctx.update({
        "glance": glance_rows(design), "three": three_things(design, a), "key_figures": key_figures(summary),
        "assumptions": summary["assumptions"], "summary": summary, "output_labels": OUTPUT_LABELS, "plan": plan,
        "sources": collect_sources(design, a, plan, summary.get("parameters")),
        "hash": scenario_hash(design), "url": scenario_url(design, base_url),
        "context_line": _context_line(design),
    })
    return ctx


def _context_line(design: Design) -> str:
    import pycountry

    c = design.context
    parts = []
    if c.country:
        country = pycountry.countries.get(alpha_2=c.country)
        parts.append(getattr(country, "name", c.country))
    if c.region:
        parts.append(c.region)
    if c.currency:
        parts.append(f"money in millions of {c.currency}, priced in {design.price_year}")
    if c.state_structure:
        parts.append(f"{c.state_structure} state")
    if c.political_cycle:
        parts.append(f"elections every {c.political_cycle} years")
    if c.starting_point:
        parts.append(f"starting point: {c.starting_point}")
    return " · ".join(parts)

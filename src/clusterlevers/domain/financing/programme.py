"""From a design's levers to the program rules the simulator runs.

Unset levers fall back to the lever's default in ``canvas.yaml`` and are listed as defaulted.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..canvas import load_canvas
from ..design import Design
from ..errors import InputError, Problem
from ..money import eur_per_unit
from .parameters import ParameterFile, load_parameters

LEVERS = ("funding_intensity", "funding_horizon", "revenue_transition", "private_match", "funding_uses",
          "portfolio_size", "maturity_focus", "accountability_model")
MAX_CLUSTERS = 50  # simulated clusters per draw are capped here for speed; shares and medians are per cluster


@dataclass(frozen=True)
class Programme:
    """Program rules in model units (kEUR per cluster-year)."""

    grant_keur: float              # planned program money per cluster-year (all uses)
    horizon: float                 # committed years
    transition: str
    match_ratio: float             # private EUR required per program EUR (0 = none)
    uses: str
    org_share: float               # share of program money funding the organisation itself
    projects_match: bool           # members' project co-investment counts towards the match
    learning_boost: float
    maturity_focus: str
    phi: float
    gate_every: int
    gate_threshold: float
    portfolio_size: int
    clusters: int                  # simulated clusters per draw
    currency: str
    eur_per_unit: float            # EUR per unit of the design currency
    defaulted: tuple[str, ...]
    rules_used: tuple[str, ...]
    cap_path: tuple[float, ...] = ()
    taper: tuple[float, float] = (0.4, 0.3)
    core_level: float = 0.6
    scale: float = 1.0             # applied by equal-public-money mode

    @property
    def grant_end_index(self) -> int:
        """0-based index of the first year without the full committed grant."""
        return int(math.ceil(self.horizon - 1e-9))

    def profile(self, years: int) -> np.ndarray:
        """Planned grant level by year as a share of the full grant (before performance and caps)."""
        t = np.arange(years, dtype=float)
        d = self.horizon
        # share of year t inside the committed horizon (partial last year)
        inside = np.clip(d - t, 0.0, 1.0)
        if self.transition == "tapering":
            flat_share, final = self.taper
            start = flat_share * d
            last = max(d - 1.0, start)
            frac = np.where(t <= start, 0.0, (t - start) / max(last - start, 1e-9))
            level = 1.0 - (1.0 - final) * np.clip(frac, 0.0, 1.0)
            p = level * inside
        else:
            p = inside.copy()
        if self.transition == "permanent_core":
            p = p + self.core_level * (1.0 - inside)
        return p * self.scale

    def cap_by_year(self, years: int) -> np.ndarray | None:
        if self.transition != "capped_share" or not self.cap_path:
            return None
        path = list(self.cap_path)
        return np.array([path[min(t, len(path) - 1)] for t in range(years)], dtype=float)

    def key(self) -> tuple[Any, ...]:
        return (self.grant_keur, self.horizon, self.transition, self.match_ratio, self.uses, self.maturity_focus,
                self.phi, self.gate_every, self.clusters, self.scale)


def lever_values(design: Design) -> tuple[dict[str, Any], list[str]]:
    """The levers the simulator uses, with canvas defaults for unset ones, and the defaulted ids."""
    canvas = load_canvas()
    values: dict[str, Any] = {}
    defaulted: list[str] = []
    for lid in LEVERS:
        v = design.levers.get(lid)
        if v is None:
            v = canvas.lever(lid).default
            defaulted.append(lid)
        values[lid] = v
    return values, defaulted


def build_programme(design: Design, *, clusters: int | None = None, spec: ParameterFile | None = None,
                    scale: float = 1.0) -> Programme:
    spec = spec or load_parameters()
    values, defaulted = lever_values(design)
    canvas = load_canvas()
    currency = (design.context.currency or "EUR").upper()
    if "funding_intensity" in defaulted:  # the canvas default is stated in the lever's range currency
        fi_lever = canvas.lever("funding_intensity")
        currency_of_fi = fi_lever.range_currency or "EUR"
    else:
        currency_of_fi = currency
    rate = eur_per_unit(currency, design.price_year)
    if rate is None:
        raise InputError([Problem(f"no exchange rate for {currency}: the model's EUR parameters cannot be converted",
                                  field="context.currency")])
    fi_rate = eur_per_unit(currency_of_fi, design.price_year)
    assert fi_rate is not None
    grant_keur = float(values["funding_intensity"]) * fi_rate[0] * 1000.0

    rules: list[str] = []
    uses = str(values["funding_uses"])
    org_share = float(spec.rule("org_share_by_use").model_extra["values"][uses])  # type: ignore[index]
    rules.append("org_share_by_use")
    boost = 1.0
    if canvas.lever("funding_uses").rank(uses) >= 1:
        boost = float(spec.rule("services_learning_boost").model_extra["value"])  # type: ignore[index]
        rules.append("services_learning_boost")
    projects_match = canvas.lever("funding_uses").rank(uses) >= 2

    pm = float(values["private_match"])
    max_ratio = float(spec.rule("max_match_ratio").model_extra["value"])  # type: ignore[index]
    match_ratio = 0.0 if pm <= 0 else min(pm / max(100.0 - pm, 1e-9), max_ratio)

    acc = str(values["accountability_model"])
    acc_rule = spec.rule("accountability").model_extra["values"][acc]  # type: ignore[index]
    rules.append("accountability")
    gate_every = int(acc_rule["gate_every"])
    if gate_every:
        rules.append("gate_threshold")

    transition = str(values["revenue_transition"])
    cap_path: tuple[float, ...] = ()
    taper_rule = spec.rule("taper").model_extra or {}
    core = float((spec.rule("permanent_core_level").model_extra or {})["value"])
    if transition == "capped_share":
        cap_path = tuple(float(x) for x in (spec.rule("capped_share_path").model_extra or {})["values"])
        rules.append("capped_share_path")
    elif transition == "tapering":
        rules.append("taper")
    elif transition == "permanent_core":
        rules.append("permanent_core_level")
    rules.append("maturity_focus")
    if match_ratio > 0 and pm / max(100.0 - pm, 1e-9) > max_ratio:
        rules.append("max_match_ratio")

    size = int(values["portfolio_size"])
    n = clusters if clusters is not None else min(size, MAX_CLUSTERS)
    if n < 1 or n > 10_000:
        raise InputError([Problem(f"clusters must be between 1 and 10000, got {n}", field="clusters")])
    return Programme(
        grant_keur=grant_keur, horizon=float(values["funding_horizon"]), transition=transition,
        match_ratio=match_ratio, uses=uses, org_share=org_share, projects_match=projects_match,
        learning_boost=boost, maturity_focus=str(values["maturity_focus"]), phi=float(acc_rule["phi"]),
        gate_every=gate_every,
        gate_threshold=float((spec.rule("gate_threshold").model_extra or {})["value"]),
        portfolio_size=size, clusters=n, currency=currency, eur_per_unit=rate[0],
        defaulted=tuple(defaulted), rules_used=tuple(rules), cap_path=cap_path,
        taper=(float(taper_rule["flat_share"]), float(taper_rule["final_level"])), core_level=core, scale=scale,
    )

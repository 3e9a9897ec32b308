"""Derived budget figures of a design (the budget identity of the canvas).

total public budget = clusters x public money per cluster-year x years x (1 + overhead)
total resources     = total public budget / (1 - private match share)
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from .canvas import load_canvas
from .design import Design
from .money import convert


class Derived(BaseModel):
    total_public_budget_m: float | None = Field(description="Millions of currency; null until its levers are decided")
    total_resources_m: float | None = Field(description="Public budget plus required private match, millions")
    public_per_year_m: float | None = Field(description="Public money per program year across the portfolio, millions")
    currency: str | None
    price_year: int
    eur: dict[str, float | str | None] | None = Field(
        None, description="The same figures in EUR for comparison, with the conversion note")
    formula: str
    missing: list[str] = Field(default_factory=list, description="Levers still needed for the budget figures")
    undecided: list[str] = Field(default_factory=list, description="All levers not decided yet")


def derive(design: Design) -> Derived:
    lv = design.levers
    n, fi, fh, pm = (lv.get(k) for k in ("portfolio_size", "funding_intensity", "funding_horizon", "private_match"))
    overhead = (design.context.overhead_pct or 0.0) / 100.0
    missing = [k for k, v in (("portfolio_size", n), ("funding_intensity", fi), ("funding_horizon", fh)) if v is None]
    budget = per_year = resources = None
    if not missing:
        assert isinstance(n, (int, float)) and isinstance(fi, (int, float)) and isinstance(fh, (int, float))
        per_year = float(n) * float(fi) * (1.0 + overhead)
        budget = per_year * float(fh)
        if pm is not None:
            assert isinstance(pm, (int, float))
            resources = budget / (1.0 - float(pm) / 100.0)
        else:
            missing.append("private_match")
    elif pm is None:
        missing.append("private_match")
    currency = design.context.currency
    eur = None
    if budget is not None and currency and currency != "EUR":
        conv = convert(budget, currency, "EUR", design.price_year)
        if conv is not None:
            eur = {"total_public_budget_m": round(conv.value, 3),
                   "total_resources_m": round(resources * conv.value / budget, 3) if resources else None,
                   "note": conv.note}
    formula = "clusters x public money per cluster-year x years" + (
        f" x (1 + {overhead:.0%} overhead)" if overhead else "") + "; resources = budget / (1 - private match)"
    return Derived(
        total_public_budget_m=None if budget is None else round(budget, 6),
        total_resources_m=None if resources is None else round(resources, 6),
        public_per_year_m=None if per_year is None else round(per_year, 6),
        currency=currency, price_year=design.price_year, eur=eur, formula=formula,
        missing=missing, undecided=design.undecided(load_canvas()),
    )

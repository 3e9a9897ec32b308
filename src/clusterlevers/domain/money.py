"""Currency conversion through the shipped table of ECB annual average reference rates.

Money keeps the currency it was given in; a conversion is only done to compare across programs,
and every converted figure carries a note saying how it was converted.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .canvas import data_text
from .documents import parse_text


@dataclass(frozen=True)
class Converted:
    value: float
    currency: str
    note: str


@lru_cache(maxsize=1)
def _table() -> dict[str, dict[int, float]]:
    doc = parse_text(data_text("fx/ecb_annual.yaml"), "clusterlevers/data/fx/ecb_annual.yaml")
    rates: dict[str, dict[int, float]] = {"EUR": {}}
    for cur, years in doc.data["rates"].items():
        rates[str(cur)] = {int(y): float(r) for y, r in years.items()}
    return rates


def fx_source() -> dict[str, str]:
    doc = parse_text(data_text("fx/ecb_annual.yaml"), "fx")
    return {k: str(v) for k, v in doc.data["source"].items()}


def known_currencies() -> set[str]:
    return set(_table())


def eur_per_unit(currency: str, year: int) -> tuple[float, int] | None:
    """Euros per one unit of ``currency`` in ``year`` (nearest available year), and the year used."""
    currency = currency.upper()
    if currency == "EUR":
        return 1.0, year
    years = _table().get(currency)
    if not years:
        return None
    used = min(years, key=lambda y: (abs(y - year), -y))
    return 1.0 / years[used], used


def convert(amount: float, currency: str, to: str, year: int) -> Converted | None:
    """Convert ``amount`` of ``currency`` into ``to`` at the annual average rate of ``year``."""
    a = eur_per_unit(currency, year)
    b = eur_per_unit(to, year)
    if a is None or b is None:
        return None
    value = amount * a[0] / b[0]
    if currency.upper() == to.upper():
        return Converted(value, to.upper(), "same currency, not converted")
    used = {a[1], b[1]} - {year}
    when = f"{year}" if not used else f"{year} (nearest available rate: {'/'.join(map(str, sorted(used)))})"
    return Converted(value, to.upper(), f"converted from {currency.upper()} at the ECB annual average rate of {when}")

"""One Jinja2 environment for the page and the brief: the same templates, partials and SVG charts."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup


def _money(x: Any, currency: str | None = None, digits: int = 1) -> str:
    if x is None:
        return "not computable yet"
    try:
        v = float(x)
    except (TypeError, ValueError):
        return str(x)
    s = f"{v:,.{digits}f}" if abs(v) >= 1 or v == 0 else f"{v:.3g}"
    return f"{s} million {currency}".strip() if currency else f"{s} million"


def _pct(x: Any, digits: int = 0) -> str:
    if x is None:
        return "–"
    return f"{float(x) * 100:.{digits}f} %"


def _num(x: Any, digits: int = 2) -> str:
    if x is None:
        return "–"
    if isinstance(x, (int, float)):
        return f"{x:,.{digits}f}".rstrip("0").rstrip(".") if isinstance(x, float) else f"{x:,}"
    return str(x)


def _plain(x: Any) -> str:
    """A number as an HTML number input wants it: no thousands separator, no trailing .0."""
    if x is None or x == "":
        return ""
    try:
        return format(float(x), ".10g")
    except (TypeError, ValueError):
        return str(x)


def _svg(text: str | None) -> Markup:
    """Mark an SVG produced by clusterlevers.charts as safe: the chart functions escape every text."""
    return Markup(text or "")


def _lever_name(lever_id: Any) -> str:
    """A lever's display name from its id (the id itself when unknown)."""
    from ..domain.canvas import load_canvas

    lv = load_canvas().by_id.get(str(lever_id))
    return lv.name if lv else str(lever_id)


def _lever_value(value: Any, lever_id: Any, currency: str | None = None) -> str:
    """A lever value as people read it: the position label, or the number with its unit ("unknown" for None)."""
    from ..domain.canvas import load_canvas

    lv = load_canvas().by_id.get(str(lever_id))
    if value is None:
        return "unknown"
    if lv is None:
        return str(value)
    if lv.kind == "ordinal":
        return lv.position(str(value)).label if value in lv.position_ids else str(value)
    try:
        v = float(value)
    except (TypeError, ValueError):
        return str(value)
    txt = f"{v:,.0f}" if lv.integer or v >= 100 or v.is_integer() else f"{v:,.2f}".rstrip("0").rstrip(".")
    unit = f"{currency} m/cluster-year" if lv.money and currency else ("m/cluster-year" if lv.money else lv.unit)
    return f"{txt} {unit or ''}".strip()


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=PackageLoader("clusterlevers", "templates"),
                      autoescape=select_autoescape(["html", "xml", "svg"], default=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(money=_money, pct=_pct, num=_num, svg=_svg, plain=_plain, lever_name=_lever_name,
                       lever_value=_lever_value)
    from .. import __version__

    env.globals["version"] = __version__
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)

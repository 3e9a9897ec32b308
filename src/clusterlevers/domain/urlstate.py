"""The scenario in the URL: tool URL-format version plus only the decided levers, by short code.

``?v=1&n=My+program&cu=NOK&am=grow&ps=40&fi=4.3`` - lever codes come from canvas.yaml (stable,
never reused); context fields use the short keys below. A URL from an older format version is
migrated through ``MIGRATIONS``; one from a newer or unknown version is refused with a message.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .canvas import load_canvas
from .design import Design, parse_design
from .errors import InputError, Problem

URL_VERSION = 1
# version -> function turning that version's query dict into the next version's. Version 1 is the
# first public format, so nothing needs migrating yet; the mechanism and its refusal are tested.
MIGRATIONS: dict[int, Any] = {}

CONTEXT_KEYS = {"cy": "country", "rg": "region", "cu": "currency", "py": "price_year", "be": "budget_envelope",
                "po": "population", "gd": "gdp", "rd": "rd_intensity", "st": "state_structure",
                "pc": "political_cycle", "sp": "starting_point", "cs": "continuity_safeguard",
                "oh": "overhead_pct"}
_NUMERIC_CONTEXT = {"price_year", "budget_envelope", "population", "gdp", "rd_intensity", "political_cycle",
                    "overhead_pct"}
RESERVED = {"v", "n", "b", "pin", "cur", "s", "from", "stack"}


def _fmt(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def design_to_query(design: Design) -> dict[str, str]:
    canvas = load_canvas()
    q: dict[str, str] = {"v": str(URL_VERSION), "n": design.name}
    ctx = design.context.model_dump(exclude_none=True)
    for short, long in CONTEXT_KEYS.items():
        if long in ctx:
            q[short] = _fmt(ctx[long])
    for lv in canvas.levers:
        if lv.id in design.levers:
            q[lv.code] = _fmt(design.levers[lv.id])
    return q


def _number(text: str) -> float | int | str:
    try:
        f = float(text)
    except ValueError:
        return text  # left as text: design validation names the field and the problem
    return int(f) if f.is_integer() and "." not in text else f


def query_to_design(query: Mapping[str, str], source: str = "URL") -> Design:
    """Rebuild a design from URL query parameters (validated like a design file)."""
    q = dict(query)
    version_text = q.get("v", str(URL_VERSION))
    try:
        version = int(version_text)
    except ValueError:
        raise InputError([Problem(f"'{version_text}' is not a URL format version", field="v", file=source)]) from None
    if version > URL_VERSION:
        raise InputError([Problem(f"this link was made by a newer clusterlevers (URL format {version}; this one "
                                  f"reads up to {URL_VERSION}); update the tool to open it", field="v", file=source)])
    while version < URL_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise InputError([Problem(f"URL format {version} is no longer supported; open the link in the "
                                      f"version that made it and save the scenario", field="v", file=source)])
        q = step(q)
        version += 1
    canvas = load_canvas()
    by_code = {lv.code: lv for lv in canvas.levers}
    levers: dict[str, Any] = {}
    context: dict[str, Any] = {}
    unknown: list[Problem] = []
    for key, raw in q.items():
        if key in RESERVED:
            continue
        if key in by_code:
            lv = by_code[key]
            levers[lv.id] = _number(raw) if lv.kind == "numeric" else raw
        elif key in CONTEXT_KEYS:
            long = CONTEXT_KEYS[key]
            if long in _NUMERIC_CONTEXT:
                context[long] = _number(raw)
            elif long == "continuity_safeguard":
                context[long] = raw in ("1", "true", "yes")
            else:
                context[long] = raw
        else:
            unknown.append(Problem(f"unknown URL parameter '{key}'", field=key, file=source))
    if unknown:
        raise InputError(unknown)
    return parse_design({"name": q.get("n") or "Untitled design", "context": context, "levers": levers}, source)

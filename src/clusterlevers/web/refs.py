"""References to designs the page can start from, pin or compare: program:ID, scenario:ID, archetype:ID."""

from __future__ import annotations

from typing import Any

from ..domain.canvas import load_canvas
from ..domain.design import Design, parse_design
from ..domain.errors import InputError


def program_design(program_id: str) -> Design:
    from ..domain.atlas.loader import load_atlas

    prog = load_atlas().get(program_id)
    if prog is None:
        raise InputError.single(f"no atlas program '{program_id}'", field="from")
    fi = prog.levers.get("funding_intensity")
    context: dict[str, Any] = {"country": prog.country}
    if prog.region:
        context["region"] = prog.region
    if fi and fi.currency:
        context["currency"] = fi.currency
        context["price_year"] = fi.price_year or prog.start_year
    return _lenient(prog.label(), context, prog.lever_values(), f"atlas:{program_id}")


def archetype_design(archetype_id: str) -> Design:
    from ..domain.atlas.archetypes import shipped_archetypes
    from ..render.viewmodel import slider_value

    arc = next((a for a in shipped_archetypes() if a.id == archetype_id), None)
    if arc is None:
        raise InputError.single(f"no archetype '{archetype_id}'", field="from")
    canvas = load_canvas()
    levers: dict[str, Any] = {}
    for lv in canvas.levers:
        entry = arc.levers.get(lv.id) or {}
        if not entry.get("known"):
            continue
        if lv.kind == "ordinal":
            levers[lv.id] = entry["mode"]
        elif lv.money:
            if entry.get("median_unit") is not None:  # EUR-converted median on the lever's scale
                levers[lv.id] = round(slider_value(lv, entry["median_unit"] * 1000), 3)
        else:
            v = float(entry["median"])
            levers[lv.id] = int(round(v)) if lv.integer else round(v, 2)
    return _lenient(f"Archetype: {arc.name}", {"currency": "EUR"}, levers, f"archetype:{archetype_id}")


def scenario_design(store: Any, scenario_id: str) -> Design:
    from ..storage import NotFound

    try:
        rec = store.get(scenario_id)
    except NotFound:
        raise InputError.single(f"no saved scenario '{scenario_id}'", field="from") from None
    return parse_design(rec.latest.design, f"scenario:{scenario_id}")


def _lenient(name: str, context: dict[str, Any], levers: dict[str, Any], source: str) -> Design:
    """Build a design, dropping (not guessing) any coding the canvas would refuse."""
    try:
        return parse_design({"name": name, "context": context, "levers": levers}, source)
    except InputError as exc:
        bad = {p.field.split(".", 1)[1] for p in exc.problems if p.field.startswith("levers.")}
        bad_ctx = {p.field.split(".", 1)[1] for p in exc.problems if p.field.startswith("context.")}
        return parse_design({"name": name, "context": {k: v for k, v in context.items() if k not in bad_ctx},
                             "levers": {k: v for k, v in levers.items() if k not in bad}}, source)


def resolve(ref: str | None, store_getter: Any) -> Design | None:
    """Turn 'program:ID', 'scenario:ID', 'archetype:ID' or 'blank' into a design (None for blank/empty)."""
    if not ref or ref == "blank":
        return None
    kind, _, ident = ref.partition(":")
    if kind == "program":
        return program_design(ident)
    if kind == "archetype":
        return archetype_design(ident)
    if kind == "scenario":
        return scenario_design(store_getter(), ident)
    raise InputError.single(f"'{ref}' is not program:ID, scenario:ID, archetype:ID or blank", field="ref")


def defaults_design() -> Design:
    """The canvas defaults, used as the baseline when a canvas starts blank."""
    canvas = load_canvas()
    return parse_design({"name": "Canvas defaults", "context": {"currency": "EUR"},
                         "levers": {lv.id: lv.default for lv in canvas.levers}}, "defaults")

"""Design files: a named set of lever positions plus optional context.

A design file is YAML or JSON::

    name: My program
    context: {country: NO, currency: NOK, budget_envelope: 1200, political_cycle: 4}
    levers: {ambition_level: grow, portfolio_size: 40, funding_intensity: 6.5}
    notes: {ambition_level: "why we chose this"}

Levers may be left out or set to null / ``not_decided``: "not decided yet" is a legitimate state.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import os
from typing import Any, Literal

import pycountry
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .canvas import Canvas, Lever, load_canvas
from .documents import Document, load_document, parse_text
from .errors import InputError, Problem
from .money import convert, known_currencies

LeverValue = str | int | float
NOT_DECIDED = ("not_decided", "undecided", "")
STARTING_POINTS = ("start", "grow", "upgrade", "develop", "reinvent")


class Context(BaseModel):
    """Where the program lives. Context is not a lever: it frames the levers."""

    model_config = ConfigDict(extra="forbid")
    country: str | None = Field(None, description="ISO 3166-1 alpha-2 country code, e.g. NO")
    region: str | None = Field(None, description="ISO 3166-2 subdivision for a regional program, e.g. ES-PV")
    currency: str | None = Field(None, description="ISO 4217 code of every money figure in the design, e.g. NOK")
    price_year: int | None = Field(None, description="Year the money figures are priced in (default: this year)")
    budget_envelope: float | None = Field(None, gt=0, description="Total public budget available, millions of currency")
    population: float | None = Field(None, gt=0, description="Population, number of people")
    gdp: float | None = Field(None, gt=0, description="Gross domestic product per year, millions of currency")
    rd_intensity: float | None = Field(None, ge=0, le=10, description="Gross R&D expenditure, % of GDP")
    state_structure: Literal["federal", "unitary"] | None = Field(None, description="federal or unitary state")
    political_cycle: int | None = Field(None, ge=1, le=10, description="Years between national elections")
    starting_point: Literal["start", "grow", "upgrade", "develop", "reinvent"] | None = Field(
        None, description="Where the program starts from (Strategy Tools starting point)")
    continuity_safeguard: bool | None = Field(
        None, description="True when the commitment is protected across elections (law, multi-party deal, fund)")
    overhead_pct: float | None = Field(None, ge=0, le=50, description="Program administration on top, %")


class Design(BaseModel):
    """A program design on the canvas."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=200)
    description: str | None = Field(None, max_length=5000)
    context: Context = Field(default_factory=Context)
    levers: dict[str, LeverValue] = Field(default_factory=dict, description="lever id -> position id or number")
    notes: dict[str, str] = Field(default_factory=dict, description="lever id -> the designer's note")

    def value(self, lever_id: str) -> LeverValue | None:
        return self.levers.get(lever_id)

    def undecided(self, canvas: Canvas | None = None) -> list[str]:
        canvas = canvas or load_canvas()
        return [lv.id for lv in canvas.levers if lv.id not in self.levers]

    @property
    def price_year(self) -> int:
        return self.context.price_year or dt.date.today().year

    def to_document(self) -> dict[str, Any]:
        """Plain data in canvas order, as it would be written to a design file."""
        canvas = load_canvas()
        out: dict[str, Any] = {"name": self.name}
        if self.description:
            out["description"] = self.description
        ctx = self.context.model_dump(exclude_none=True)
        if ctx:
            out["context"] = ctx
        out["levers"] = {lv.id: self.levers[lv.id] for lv in canvas.levers if lv.id in self.levers}
        if self.notes:
            out["notes"] = {lv.id: self.notes[lv.id] for lv in canvas.levers if lv.id in self.notes}
        return out


# ------------------------------------------------------------------ validation

_TOP_KEYS = ("name", "description", "context", "levers", "notes")
_CONTEXT_ALIASES = {"political_cycle_years": "political_cycle", "federal": "state_structure",
                    "envelope": "budget_envelope", "budget_envelope_m": "budget_envelope"}


_ISO_CODES: dict[str, tuple[Any, str]] = {
    "country": (lambda v: pycountry.countries.get(alpha_2=v), "an ISO 3166-1 alpha-2 country code (e.g. NO, CA)"),
    "region": (lambda v: pycountry.subdivisions.get(code=v), "an ISO 3166-2 subdivision code (e.g. ES-PV)"),
    "currency": (lambda v: pycountry.currencies.get(alpha_3=v), "an ISO 4217 currency code (e.g. EUR, NOK)"),
}


def _suggest(word: str, options: list[str] | tuple[str, ...]) -> str:
    """A "did you mean" hint: a prefix match first, then the closest spelling."""
    w = word.lower()
    prefixed = [o for o in options if o.startswith(w[:4]) and len(w) >= 3]
    match = prefixed[:1] or difflib.get_close_matches(w, list(options), n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def validate_lever_value(lever: Lever, raw: Any) -> tuple[LeverValue | None, str | None]:
    """Check one lever value. Returns (value or None when not decided, problem message or None)."""
    if raw is None or (isinstance(raw, str) and raw.strip().lower() in NOT_DECIDED):
        return None, None
    if lever.kind == "ordinal":
        if not isinstance(raw, str):
            return None, f"expected one of {', '.join(lever.position_ids)}, got {raw!r}"
        if raw not in lever.position_ids:
            return None, (f"'{raw}' is not a position of {lever.id}; positions: "
                          f"{', '.join(lever.position_ids)}{_suggest(raw, lever.position_ids)}")
        return raw, None
    if not _is_number(raw):
        return None, f"expected a number in {lever.unit} ({_fmt(lever.min)}-{_fmt(lever.max)}), got {raw!r}"
    value = float(raw)
    if lever.integer and not value.is_integer():
        return None, f"expected a whole number of {lever.unit}, got {raw!r}"
    return (int(value) if lever.integer else value), None


def _fmt(x: float | None) -> str:
    return "" if x is None else (f"{x:g}")


def _check_range(lever: Lever, value: float, currency: str | None, year: int) -> str | None:
    assert lever.min is not None and lever.max is not None
    if lever.money and lever.range_currency and currency and currency != lever.range_currency:
        conv = convert(value, currency, lever.range_currency, year)
        if conv is None:
            return None  # no rate for this currency: the range cannot be checked, the value stands
        if not lever.min <= conv.value <= lever.max:
            return (f"{value:g} {currency} m is {conv.value:.3g} {lever.range_currency} m, outside "
                    f"{lever.min:g}-{lever.max:g} {lever.range_currency} m ({conv.note})")
        return None
    if not lever.min <= value <= lever.max:
        unit = f"{lever.range_currency} m" if lever.money and lever.range_currency else (lever.unit or "")
        return f"{value:g} is outside the range {lever.min:g}-{lever.max:g} {unit}".rstrip()
    return None


def _validate_context(doc: Document, raw: Any, problems: list[Problem]) -> dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems.append(doc.problem("expected a mapping of context fields", "context"))
        return {}
    fields = list(Context.model_fields)
    out: dict[str, Any] = {}
    for key, value in raw.items():
        k = _CONTEXT_ALIASES.get(str(key), str(key))
        if k not in fields:
            problems.append(doc.problem(f"unknown context field{_suggest(str(key), fields)}", "context", key,
                                        field_name=f"context.{key}"))
            continue
        if key == "federal" and isinstance(value, bool):
            value = "federal" if value else "unitary"
        if value is None:
            continue
        out[k] = value
        fname = f"context.{key}"
        if k == "country" and isinstance(value, bool):
            problems.append(doc.problem(f"{value!r} is not a country code (YAML reads a bare NO as false: "
                                        "write \"NO\" in quotes)", "context", key, field_name=fname))
        elif k in _ISO_CODES:
            lookup, what = _ISO_CODES[k]
            if not isinstance(value, str) or lookup(value.upper()) is None:
                problems.append(doc.problem(f"'{value}' is not {what}", "context", key, field_name=fname))
            else:
                out[k] = value.upper()
        elif k == "population" and _is_number(value) and value < 10_000:
            problems.append(doc.problem(f"population is a number of people (e.g. 5500000), got {value!r}",
                                        "context", key, field_name=fname))
        elif k == "price_year" and (not _is_number(value) or not 1950 <= value <= 2100
                                    or not float(value).is_integer()):
            problems.append(doc.problem(f"expected a year between 1950 and 2100, got {value!r}",
                                        "context", key, field_name=fname))
    flagged = {p.field.split(".", 1)[1] for p in problems if p.field.startswith("context.")}
    flagged = {_CONTEXT_ALIASES.get(k, k) for k in flagged}
    try:
        Context.model_validate({k: v for k, v in out.items() if k not in flagged})
    except ValidationError as exc:  # turn each field error into a problem
        for err in exc.errors():
            key = str(err["loc"][0]) if err.get("loc") else ""
            out.pop(key, None)
            problems.append(doc.problem(_pyd_msg(err), "context", key, field_name=f"context.{key}"))
    return out


def _pyd_msg(err: Any) -> str:
    msg = str(err.get("msg", "invalid value"))
    return f"{msg}, got {err.get('input')!r}"


def design_from_document(doc: Document) -> Design:
    """Validate a parsed document as a design, collecting every problem before failing."""
    canvas = load_canvas()
    data = doc.data
    problems: list[Problem] = []
    if not isinstance(data, dict):
        raise InputError([Problem("expected a mapping with name, context and levers", file=doc.source, line=1)])
    for key in data:
        if key not in _TOP_KEYS:
            problems.append(doc.problem(f"unknown field{_suggest(str(key), _TOP_KEYS)}", key, field_name=str(key)))
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append(doc.problem("a design needs a name (non-empty text)", "name", field_name="name"))
    elif len(name) > 200:
        problems.append(doc.problem("name is longer than 200 characters", "name", field_name="name"))
    description = data.get("description")
    if description is not None and not isinstance(description, str):
        problems.append(doc.problem("expected text", "description", field_name="description"))
    context = _validate_context(doc, data.get("context"), problems)
    currency = context.get("currency") if isinstance(context.get("currency"), str) else None
    year = int(context["price_year"]) if _is_number(context.get("price_year")) else dt.date.today().year

    levers: dict[str, LeverValue] = {}
    raw_levers = data.get("levers")
    if raw_levers is None:
        raw_levers = {}
    if not isinstance(raw_levers, dict):
        problems.append(doc.problem("expected a mapping of lever id to position or number", "levers",
                                    field_name="levers"))
        raw_levers = {}
    ids = list(canvas.by_id)
    for key, raw in raw_levers.items():
        fname = f"levers.{key}"
        lever = canvas.by_id.get(str(key))
        if lever is None:
            problems.append(doc.problem(f"unknown lever{_suggest(str(key), ids)}", "levers", key, field_name=fname))
            continue
        value, msg = validate_lever_value(lever, raw)
        if msg:
            problems.append(doc.problem(msg, "levers", key, field_name=fname))
            continue
        if value is None:
            continue
        if lever.kind == "numeric":
            assert isinstance(value, (int, float))
            if lever.money and currency is None:
                problems.append(doc.problem("money without a currency: set context.currency (e.g. EUR)",
                                            "levers", key, field_name=fname))
                continue
            msg = _check_range(lever, float(value), currency, year)
            if msg:
                problems.append(doc.problem(msg, "levers", key, field_name=fname))
                continue
        levers[lever.id] = value
    if "budget_envelope" in context and currency is None:
        problems.append(doc.problem("money without a currency: set context.currency (e.g. EUR)",
                                    "context", "budget_envelope", field_name="context.budget_envelope"))
    if "gdp" in context and currency is None:
        problems.append(doc.problem("money without a currency: set context.currency (e.g. EUR)",
                                    "context", "gdp", field_name="context.gdp"))

    notes: dict[str, str] = {}
    raw_notes = data.get("notes") or {}
    if not isinstance(raw_notes, dict):
        problems.append(doc.problem("expected a mapping of lever id to text", "notes", field_name="notes"))
    else:
        for key, text in raw_notes.items():
            if str(key) not in canvas.by_id:
                problems.append(doc.problem(f"note for an unknown lever{_suggest(str(key), ids)}", "notes", key,
                                            field_name=f"notes.{key}"))
            elif not isinstance(text, str):
                problems.append(doc.problem("expected text", "notes", key, field_name=f"notes.{key}"))
            else:
                notes[str(key)] = text
    if problems:
        raise InputError(problems)
    ordered = {lv.id: levers[lv.id] for lv in canvas.levers if lv.id in levers}
    return Design(name=str(name).strip(), description=description, context=Context.model_validate(context),
                  levers=ordered, notes=notes)


def load_design(path: str | os.PathLike[str]) -> Design:
    """Load and validate a design file (YAML or JSON). Raises :class:`InputError` listing every problem."""
    return design_from_document(load_document(path))


def parse_design(data: Any, source: str = "<design>") -> Design:
    """Validate plain data (e.g. a JSON request body) as a design."""
    if isinstance(data, (str, bytes)):
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        return design_from_document(parse_text(text, source, fmt="json" if text.lstrip()[:1] == "{" else "yaml"))
    return design_from_document(Document(data=data, source=source))


def known_currency(code: str) -> bool:
    return code.upper() in known_currencies()

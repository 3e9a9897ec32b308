"""Loading and validating the atlas: schema, sources, lever codes, generation links, budget identity."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..canvas import Canvas, load_canvas
from ..documents import Document, load_document
from ..errors import InputError, Problem
from ..money import convert
from .model import UNKNOWN, Program

# Budget identity tolerance: programs count project money differently and budget periods rarely
# equal the per-cluster horizon, so a factor of 2.5 either way is accepted; beyond it a fact is
# probably mis-keyed (wrong unit, wrong period) and validation fails.
IDENTITY_TOLERANCE = 2.5
MAX_ATLAS_FILE = 256_000


def default_atlas_dir() -> Path:
    override = os.environ.get("CLUSTERLEVERS_ATLAS_DIR")
    if override:
        return Path(override)
    return Path(str(resources.files("clusterlevers").joinpath("data/atlas/programs")))


def _files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        raise InputError.single("atlas directory not found", file=str(directory))
    return sorted(p for p in directory.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def _pydantic_problems(doc: Document, exc: ValidationError) -> list[Problem]:
    out = []
    for err in exc.errors():
        loc = tuple(str(x) if not isinstance(x, int) else x for x in err["loc"])
        msg = str(err["msg"])
        if err.get("type") not in ("missing", "extra_forbidden"):
            got = err.get("input")
            msg += f", got {got!r}"
            if got is False or got is True:
                msg += " (YAML reads bare yes/no/on/off as true/false: quote it)"
        out.append(doc.problem(msg, *loc))
    return out


def _check_levers(doc: Document, prog: Program, canvas: Canvas) -> list[Problem]:
    problems: list[Problem] = []
    for lid in prog.levers:
        if lid not in canvas.by_id:
            problems.append(doc.problem("unknown lever", "levers", lid))
    for lv in canvas.levers:
        coding = prog.levers.get(lv.id)
        if coding is None:
            problems.append(doc.problem("lever coding missing (use position: unknown when it cannot be coded)",
                                        "levers", lv.id))
            continue
        if lv.kind == "ordinal":
            if coding.value is not None:
                problems.append(doc.problem("an ordinal lever takes a position, not a value", "levers", lv.id))
            elif coding.position not in (*lv.position_ids, UNKNOWN):
                problems.append(doc.problem(f"'{coding.position}' is not a position of {lv.id} "
                                            f"({', '.join(lv.position_ids)} or unknown)", "levers", lv.id, "position"))
        else:
            if coding.position not in (None, UNKNOWN):
                problems.append(doc.problem("a numeric lever takes a value (or position: unknown)", "levers", lv.id))
            if coding.value is not None:
                assert lv.min is not None and lv.max is not None
                value = coding.value
                if lv.money:
                    if not coding.currency:
                        problems.append(doc.problem("money without a currency", "levers", lv.id, "currency"))
                        continue
                    conv = convert(value, coding.currency, lv.range_currency or "EUR",
                                   coding.price_year or prog.start_year or 2020)
                    if conv is None:
                        continue
                    value = conv.value
                if not lv.min <= value <= lv.max:
                    problems.append(doc.problem(f"{coding.value:g} is outside {lv.min:g}-{lv.max:g} {lv.unit}",
                                                "levers", lv.id, "value"))
        if coding.known and not coding.sources:
            problems.append(doc.problem("a coded lever needs at least one source URL", "levers", lv.id, "sources"))
        if coding.known and not coding.why:
            problems.append(doc.problem("a coded lever needs a one-line why", "levers", lv.id, "why"))
    return problems


def _check_facts(doc: Document, prog: Program) -> list[Problem]:
    problems: list[Problem] = []
    for name, fact in prog.facts:
        if fact is None or isinstance(fact, str):
            continue
        value = getattr(fact, "amount", None) if hasattr(fact, "amount") else fact.value
        if value is not None and not fact.sources:
            problems.append(doc.problem("a fact needs at least one source URL", "facts", name, "sources"))
        if hasattr(fact, "amount") and fact.amount is not None and not fact.currency:
            problems.append(doc.problem("money without a currency", "facts", name, "currency"))
    for i, ev in enumerate(prog.evaluations):
        if not ev.sources:
            problems.append(doc.problem("an evaluation needs a source URL", "evaluations", i, "sources"))
    for i, oc in enumerate(prog.outcomes):
        if not oc.sources:
            problems.append(doc.problem("an outcome needs a source URL", "outcomes", i, "sources"))
    f = prog.facts
    budget, per, n, h = (f.total_public_budget, f.funding_per_cluster_year, f.clusters.value,
                         f.funding_horizon_years.value)
    nums = (budget.amount, per.amount, n)
    if f.identity_exception or budget.currency != per.currency or not all(
            isinstance(x, (int, float)) and not isinstance(x, bool) and x > 0 for x in nums):
        return problems
    spans = period_years(budget.period)
    if not spans and isinstance(h, (int, float)) and not isinstance(h, bool) and h > 0:
        spans = [float(h)]
    if not spans:
        return problems
    implied = [float(budget.amount) / (float(n) * y) for y in spans]  # type: ignore[arg-type]
    ratios = [float(per.amount) / i for i in implied]  # type: ignore[arg-type]
    if not any(1 / IDENTITY_TOLERANCE <= r <= IDENTITY_TOLERANCE for r in ratios):
        problems.append(doc.problem(
            f"budget identity off by {ratios[0]:.2f}x: {budget.amount:g} / ({n} clusters x {spans[0]:g} years) = "
            f"{implied[0]:.3g} per cluster-year, but funding_per_cluster_year is {per.amount:g} "
            f"(tolerance {IDENTITY_TOLERANCE}x; set facts.identity_exception if the facts legitimately differ)",
            "facts", "funding_per_cluster_year", "amount"))
    return problems


def period_years(period: str | None) -> list[float]:
    """Years a budget period covers: '2018-2023' -> [5, 6] (exclusive or inclusive), '2017' or 'per year' -> [1]."""
    import re

    if not period:
        return []
    text = period.lower()
    if any(w in text for w in ("per year", "annual", "a year", "/yr", "per annum", "yearly")):
        return [1.0]
    m = re.search(r"((?:19|20)\d\d)\s*(?:-|–|—|to)\s*((?:19|20)\d\d)", text)
    if m:
        a, b = int(m.group(1)), int(m.group(2))
        return [float(max(b - a, 1)), float(b - a + 1)] if b >= a else []
    m = re.search(r"(\d+(?:\.\d+)?)\s*(?:years|yrs|year)", text)
    if m:
        return [float(m.group(1))]
    if re.fullmatch(r"\s*(?:19|20)\d\d\s*", text):
        return [1.0]
    return []


def _check_links(docs: dict[str, Document], programs: dict[str, Program]) -> list[Problem]:
    problems: list[Problem] = []
    for pid, prog in programs.items():
        doc = docs[pid]
        for field, back in (("predecessors", "successors"), ("successors", "predecessors")):
            for i, other in enumerate(getattr(prog, field)):
                target = programs.get(other)
                if target is None:
                    problems.append(doc.problem(f"links to '{other}', which is not in the atlas", field, i))
                elif pid not in getattr(target, back):
                    problems.append(doc.problem(f"'{other}' does not list '{pid}' in its {back}", field, i))
                elif target.family != prog.family:
                    problems.append(doc.problem(f"'{other}' belongs to family '{target.family}', not '{prog.family}'",
                                                field, i))
    return problems


def validate_atlas(directory: Path | None = None) -> tuple[dict[str, Program], list[Problem]]:
    """Load every record in ``directory`` and return (programs, problems); never raises on bad records."""
    directory = directory or default_atlas_dir()
    canvas = load_canvas()
    problems: list[Problem] = []
    docs: dict[str, Document] = {}
    programs: dict[str, Program] = {}
    for path in _files(directory):
        try:
            doc = load_document(path, max_bytes=MAX_ATLAS_FILE)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        doc.source = _short(path)
        if not isinstance(doc.data, dict):
            problems.append(Problem("expected a mapping (an atlas record)", file=doc.source, line=1))
            continue
        try:
            prog = Program.model_validate(doc.data)
        except ValidationError as exc:
            problems.extend(_pydantic_problems(doc, exc))
            continue
        if prog.id != path.stem:
            problems.append(doc.problem(f"id '{prog.id}' does not match the file name '{path.stem}'", "id"))
            continue
        if prog.id in programs:
            problems.append(doc.problem("duplicate program id", "id"))
            continue
        problems.extend(_check_levers(doc, prog, canvas))
        problems.extend(_check_facts(doc, prog))
        docs[prog.id] = doc
        programs[prog.id] = prog
    problems.extend(_check_links(docs, programs))
    return programs, problems


def _short(path: Path) -> str:
    parts = path.parts
    if "clusterlevers" in parts:
        return "/".join(parts[parts.index("clusterlevers"):])
    return str(path)


@lru_cache(maxsize=4)
def _load(directory: str) -> dict[str, Program]:
    programs, problems = validate_atlas(Path(directory))
    if problems:
        raise InputError(problems)
    return programs


def load_atlas(directory: Path | None = None) -> dict[str, Program]:
    """The validated atlas as {id: Program}, loaded once and cached. Raises InputError if any record is bad."""
    return _load(str(directory or default_atlas_dir()))


def atlas_version(programs: Iterable[Program] | None = None) -> str:
    """A short content hash of the atlas, for provenance in briefs and URLs."""
    progs = sorted(programs if programs is not None else load_atlas().values(), key=lambda p: p.id)
    h = hashlib.sha256()
    for p in progs:
        h.update(p.model_dump_json().encode())
    return h.hexdigest()[:12]


def public_record(prog: Program) -> dict[str, Any]:
    """JSON shape of one program for `atlas show --json` and the API."""
    data = prog.model_dump(mode="json")
    data["lever_values"] = prog.lever_values()
    data["unknown_levers"] = [k for k, c in prog.levers.items() if not c.known]
    return data

"""Rule files (``data/rules/<id>.yaml``): loading and validation.

A rule is data; see ``docs/rules.md`` for the format. Loading checks every field and reports each
problem with file, line and field, so a broken rule file never reaches the engine.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from ..canvas import Canvas, load_canvas
from ..design import Context
from ..documents import Document, load_document, parse_text
from ..errors import InputError, Problem
from .conditions import Clause, ClauseParser, Ref, refs
from .facts import DERIVED_FACTS, derived_specs

SEVERITIES = ("info", "warning", "critical")
ID_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
PROGRAM_RE = re.compile(r"^[a-z]{2}(-[a-z0-9]+)+$")
TENSION_RE = re.compile(r"^[TW][0-9]{1,2}$|^C[0-9]{1,2}$")
PLACEHOLDER_RE = re.compile(r"\{([a-z_]+)\.([a-z0-9_]+)\}")
TOP_KEYS = ("id", "title", "covers", "severity", "levers", "context", "derived", "parameters", "when", "escalate",
            "message", "why", "evidence", "suggestion")
REQUIRED = ("id", "title", "severity", "levers", "when", "message", "why", "evidence", "suggestion")
PARAM_KEYS = ("value", "unit", "basis", "low", "high", "note", "sources")


@dataclass(frozen=True)
class Parameter:
    name: str
    value: float
    unit: str
    basis: str  # sourced | assumption
    note: str
    low: float | None = None
    high: float | None = None
    sources: tuple[dict[str, str], ...] = ()


@dataclass(frozen=True)
class Escalation:
    severity: str
    when: Clause
    levers: tuple[str, ...] = ()


@dataclass(frozen=True)
class MoveSpec:
    lever: str
    to: Any = None  # a position id, a number, or a Ref
    direction: str | None = None  # up | down (ordinal levers)


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    severity: str
    levers: tuple[str, ...]
    when: Clause
    message: str
    why: str
    evidence: tuple[dict[str, str], ...]
    suggestion: str
    move: MoveSpec | None = None
    covers: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    derived: tuple[str, ...] = ()
    parameters: dict[str, Parameter] = field(default_factory=dict)
    escalate: Escalation | None = None
    source: str = ""

    @property
    def all_levers(self) -> tuple[str, ...]:
        """Levers the rule reads directly, including those of its escalation."""
        extra = self.escalate.levers if self.escalate else ()
        return self.levers + tuple(x for x in extra if x not in self.levers)

    def reads_levers(self) -> set[str]:
        """Every lever that can change this rule's outcome or text (directly or through derived facts)."""
        out = set(self.all_levers)
        for name in self.derived:
            out.update(DERIVED_FACTS[name].levers)
        return out


class _Loader:
    def __init__(self, doc: Document, canvas: Canvas, stem: str | None) -> None:
        self.doc = doc
        self.canvas = canvas
        self.stem = stem
        self.problems: list[Problem] = []

    def fail(self, message: str, *path: str | int) -> None:
        self.problems.append(self.doc.problem(message, *path))

    def names(self, raw: Any, key: str, known: list[str], what: str) -> tuple[str, ...]:
        if raw is None:
            return ()
        if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
            self.fail(f"expected a list of {what} names", key)
            return ()
        for i, name in enumerate(raw):
            if name not in known:
                self.fail(f"unknown {what} '{name}'" + _hint(name, known), key, i)
        if len(set(raw)) != len(raw):
            self.fail(f"{what} listed twice", key)
        return tuple(x for x in raw if x in known)

    def text(self, data: dict[str, Any], key: str) -> str:
        value = data.get(key)
        if key not in data:  # a missing required field is reported once, by the REQUIRED check
            return ""
        if not isinstance(value, str) or not value.strip():
            self.fail("expected non-empty text", key)
            return ""
        return " ".join(value.split())

    def load(self) -> Rule | None:
        data = self.doc.data
        if not isinstance(data, dict):
            self.problems.append(Problem("a rule file is a mapping with id, title, levers, when, ...",
                                         file=self.doc.source, line=1))
            return None
        for key in data:
            if key not in TOP_KEYS:
                self.fail(f"unknown field{_hint(str(key), TOP_KEYS)}; fields: {', '.join(TOP_KEYS)}", str(key))
        for key in REQUIRED:
            if key not in data:
                self.problems.append(Problem(f"missing required field '{key}'", field=key, file=self.doc.source,
                                             line=1))
        rid = data.get("id")
        if not isinstance(rid, str) or not ID_RE.match(rid):
            self.fail("id must be lowercase words joined by hyphens, e.g. build-ambition-short-horizon", "id")
        elif self.stem is not None and rid != self.stem:
            self.fail(f"id '{rid}' must match the file name '{self.stem}.yaml'", "id")
        title = self.text(data, "title")
        severity = data.get("severity")
        if severity not in SEVERITIES:
            self.fail(f"severity must be one of {', '.join(SEVERITIES)}, got {severity!r}", "severity")
        covers = data.get("covers") or []
        if not isinstance(covers, list) or not all(isinstance(c, str) and TENSION_RE.match(c) for c in covers):
            self.fail("covers is a list of tension / warning ids such as T1, W1 (research/levers.md §5)", "covers")
            covers = []
        lever_ids = list(self.canvas.by_id)
        levers = self.names(data.get("levers"), "levers", lever_ids, "lever")
        if "levers" in data and not data.get("levers"):
            self.fail("a rule must read at least one lever", "levers")
        context = self.names(data.get("context"), "context", list(Context.model_fields), "context field")
        derived = self.names(data.get("derived"), "derived", sorted(DERIVED_FACTS), "derived fact")
        params = self.parameters(data.get("parameters"))
        parser = ClauseParser(self.doc, self.canvas, derived_specs(), {k: p.value for k, p in params.items()},
                              self.problems)
        when = parser.parse(data["when"], ("when",)) if "when" in data else None
        if when is not None:
            self.check_refs(when, set(levers), set(context), set(derived), set(params), ("when",), exact=True)
        escalate = self.escalation(data.get("escalate"), parser, levers, context, derived, params)
        message = self.text(data, "message")
        why = self.text(data, "why")
        known_levers = set(levers) | set(escalate.levers if escalate else ())
        for key, value in (("message", message), ("why", why)):
            self.placeholders(value, key, known_levers, set(derived), set(params))
        evidence = self.evidence(data.get("evidence"))
        suggestion, move = self.suggestion(data.get("suggestion"), set(derived), set(params))
        if self.problems or when is None or not isinstance(rid, str) or severity not in SEVERITIES:
            return None
        return Rule(id=rid, title=title, severity=str(severity), levers=levers, when=when, message=message, why=why,
                    evidence=evidence, suggestion=suggestion, move=move, covers=tuple(covers), context=context,
                    derived=derived, parameters=params, escalate=escalate, source=self.doc.source)

    def check_refs(self, clause: Clause, levers: set[str], context: set[str], derived: set[str], params: set[str],
                   path: tuple[str, ...], exact: bool) -> None:
        used = refs(clause)
        declared = {"lever": levers, "context": context, "derived": derived, "param": params}
        for r in used:
            if r.name not in declared[r.kind]:
                key = {"lever": "levers", "context": "context", "derived": "derived", "param": "parameters"}[r.kind]
                self.fail(f"{path[0]} reads {r.kind} '{r.name}' but '{key}' does not list it", *path)
        via_derived = {lv for r in used if r.kind == "derived" for lv in DERIVED_FACTS[r.name].levers}
        for name in sorted(via_derived - levers):
            self.fail(f"{path[0]} reads lever '{name}' through a derived fact but 'levers' does not list it", *path)
        if exact:
            read = {r.name for r in used if r.kind == "lever"} | via_derived
            for name in sorted(levers - read):
                self.fail(f"lever '{name}' is listed but never read by 'when'", "levers")

    def escalation(self, raw: Any, parser: ClauseParser, levers: tuple[str, ...], context: tuple[str, ...],
                   derived: tuple[str, ...], params: dict[str, Parameter]) -> Escalation | None:
        if raw is None:
            return None
        if not isinstance(raw, dict) or set(raw) - {"severity", "when", "levers"} or "when" not in raw:
            self.fail("escalate is a mapping with severity, when and optional levers", "escalate")
            return None
        sev = raw.get("severity")
        if sev not in SEVERITIES:
            self.fail(f"severity must be one of {', '.join(SEVERITIES)}", "escalate", "severity")
            return None
        extra = self.names(raw.get("levers"), "escalate", list(self.canvas.by_id), "lever")
        clause = parser.parse(raw["when"], ("escalate", "when"))
        if clause is None:
            return None
        self.check_refs(clause, set(levers) | set(extra), set(context), set(derived), set(params),
                        ("escalate", "when"), exact=False)
        return Escalation(str(sev), clause, extra)

    def parameters(self, raw: Any) -> dict[str, Parameter]:
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            self.fail("parameters is a mapping of name to {value, unit, basis, ...}", "parameters")
            return {}
        out: dict[str, Parameter] = {}
        for name, spec in raw.items():
            path = ("parameters", str(name))
            if not isinstance(spec, dict):
                self.fail("expected {value, unit, basis, note, ...}", *path)
                continue
            for key in spec:
                if key not in PARAM_KEYS:
                    self.fail(f"unknown field{_hint(str(key), PARAM_KEYS)}", *path, str(key))
            value: Any = spec.get("value")
            if not _is_number(value):
                self.fail("value must be a number", *path, "value")
                continue
            basis = spec.get("basis")
            if basis not in ("sourced", "assumption"):
                self.fail("basis must be 'sourced' or 'assumption'", *path, "basis")
                continue
            low: Any = spec.get("low")
            high: Any = spec.get("high")
            if basis == "assumption" and not (_is_number(low) and _is_number(high) and low <= value <= high):
                self.fail("an assumption needs a range: numbers low <= value <= high", *path)
                continue
            sources = self.references(spec.get("sources") or [], path + ("sources",))
            if basis == "sourced" and not sources:
                self.fail("a sourced parameter needs at least one source {title, href}", *path, "sources")
                continue
            unit, note = spec.get("unit"), spec.get("note")
            if not isinstance(unit, str) or not isinstance(note, str) or not note.strip():
                self.fail("unit and note are required text", *path)
                continue
            out[str(name)] = Parameter(str(name), float(value), unit, str(basis), " ".join(note.split()),
                                       float(low) if _is_number(low) else None,
                                       float(high) if _is_number(high) else None, tuple(sources))
        return out

    def references(self, raw: Any, path: tuple[str | int, ...]) -> list[dict[str, str]]:
        if not isinstance(raw, list):
            self.fail("expected a list of {title, href}", *path)
            return []
        out = []
        for i, item in enumerate(raw):
            if not isinstance(item, dict) or set(item) != {"title", "href"}:
                self.fail("expected {title, href}", *path, i)
                continue
            if not url_ok(item["href"]):
                self.fail(f"not a well-formed http(s) URL: {item['href']!r}", *path, i, "href")
                continue
            out.append({"title": str(item["title"]), "href": str(item["href"])})
        return out

    def evidence(self, raw: Any) -> tuple[dict[str, str], ...]:
        if not isinstance(raw, list) or not raw:
            self.fail("evidence is a non-empty list of {program, title} or {href, title}", "evidence")
            return ()
        out = []
        for i, item in enumerate(raw):
            if not isinstance(item, dict):
                self.fail("expected {program, title} or {href, title}", "evidence", i)
                continue
            bad = set(map(str, item)) - {"program", "href", "title"}
            if bad:
                self.fail(f"unknown field '{sorted(bad)[0]}' (program, href, title)", "evidence", i)
                continue
            title = item.get("title")
            if not isinstance(title, str) or not title.strip():
                self.fail("every evidence item needs a title", "evidence", i)
                continue
            if "program" not in item and "href" not in item:
                self.fail("an evidence item needs an atlas program id or an href", "evidence", i)
                continue
            entry = {"title": " ".join(title.split())}
            if "program" in item:
                if not isinstance(item["program"], str) or not PROGRAM_RE.match(item["program"]):
                    self.fail(f"not an atlas program id (e.g. ca-isi-2017): {item['program']!r}", "evidence", i,
                              "program")
                    continue
                entry["program"] = item["program"]
            if "href" in item:
                if not url_ok(item["href"]):
                    self.fail(f"not a well-formed http(s) URL: {item['href']!r}", "evidence", i, "href")
                    continue
                entry["href"] = str(item["href"])
            out.append(entry)
        return tuple(out)

    def suggestion(self, raw: Any, derived: set[str], params: set[str]) -> tuple[str, MoveSpec | None]:
        if not isinstance(raw, dict):
            self.fail("suggestion is a mapping with text and optional lever + to / direction", "suggestion")
            return "", None
        bad = set(map(str, raw)) - {"text", "lever", "to", "direction"}
        if bad:
            self.fail(f"unknown field '{sorted(bad)[0]}' (text, lever, to, direction)", "suggestion")
        text = raw.get("text")
        if not isinstance(text, str) or not text.strip():
            self.fail("suggestion needs text", "suggestion", "text")
            text = ""
        lever_id = raw.get("lever")
        if lever_id is None:
            if "to" in raw or "direction" in raw:
                self.fail("'to' and 'direction' need a lever", "suggestion")
            return " ".join(text.split()), None
        lever = self.canvas.by_id.get(str(lever_id))
        if lever is None:
            self.fail(f"unknown lever '{lever_id}'" + _hint(str(lever_id), list(self.canvas.by_id)), "suggestion",
                      "lever")
            return text, None
        if ("to" in raw) == ("direction" in raw):
            self.fail("give exactly one of 'to' (position or number) and 'direction' (up or down)", "suggestion")
            return text, None
        if "direction" in raw:
            if raw["direction"] not in ("up", "down"):
                self.fail("direction must be up or down", "suggestion", "direction")
            elif lever.kind != "ordinal":
                self.fail("direction works on ordinal levers; give a number in 'to' for a numeric lever",
                          "suggestion", "direction")
            return " ".join(text.split()), MoveSpec(lever.id, direction=str(raw["direction"]))
        to = raw["to"]
        if isinstance(to, dict):
            if len(to) != 1 or next(iter(to)) not in ("derived", "param") or lever.kind != "numeric":
                self.fail("'to' may reference {derived: NAME} or {param: NAME} for a numeric lever", "suggestion",
                          "to")
                return text, None
            kind, name = next(iter(to.items()))
            if name not in (derived if kind == "derived" else params):
                self.fail(f"'to' references {kind} '{name}' that the rule does not declare", "suggestion", "to")
                return text, None
            return " ".join(text.split()), MoveSpec(lever.id, to=Ref(str(kind), str(name)))
        if lever.kind == "ordinal":
            if to not in lever.position_ids:
                self.fail(f"'{to}' is not a position of {lever.id}{_hint(str(to), lever.position_ids)}",
                          "suggestion", "to")
                return text, None
        elif not _is_number(to) or (not lever.money and not (lever.min or 0) <= to <= (lever.max or 0)):
            self.fail(f"'to' must be a number within {lever.min:g}-{lever.max:g} {lever.unit}", "suggestion", "to")
            return text, None
        return " ".join(text.split()), MoveSpec(lever.id, to=to)

    def placeholders(self, text: str, key: str, levers: set[str], derived: set[str], params: set[str]) -> None:
        stripped = PLACEHOLDER_RE.sub("", text)
        if "{" in stripped or "}" in stripped:
            self.fail("braces are only for placeholders such as {derived.total_public_budget_m}", key)
        for kind, name in PLACEHOLDER_RE.findall(text):
            ok = {"lever": name in levers, "context": name in Context.model_fields, "derived": name in derived,
                  "param": name in params}.get(kind)
            if ok is None:
                self.fail(f"unknown placeholder kind '{kind}' (lever, context, derived, param)", key)
            elif not ok:
                self.fail(f"placeholder {{{kind}.{name}}} names something the rule does not read", key)


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _hint(word: str, options: Any) -> str:
    import difflib

    match = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


def url_ok(href: Any) -> bool:
    """A well-formed absolute http(s) URL with a host and no whitespace."""
    if not isinstance(href, str) or any(c.isspace() for c in href):
        return False
    parsed = urlparse(href)
    return parsed.scheme in ("http", "https") and "." in parsed.netloc


def parse_rule(doc: Document, stem: str | None = None) -> Rule:
    """Validate one parsed rule document; raises :class:`InputError` listing every problem."""
    loader = _Loader(doc, load_canvas(), stem)
    rule = loader.load()
    if loader.problems or rule is None:
        raise InputError(loader.problems or [Problem("invalid rule", file=doc.source)])
    return rule


def load_rule_file(path: str | os.PathLike[str]) -> Rule:
    return parse_rule(load_document(path), Path(path).stem)


def load_rules(directory: str | os.PathLike[str] | None = None) -> list[Rule]:
    """Every rule in ``directory`` (default: the shipped ``data/rules``), validated, sorted by id."""
    if directory is None:
        return list(_shipped_rules())
    return _load_dir([(p.name, p.read_text(encoding="utf-8"), str(p)) for p in sorted(Path(directory).glob("*.yaml"))])


@lru_cache(maxsize=1)
def _shipped_rules() -> tuple[Rule, ...]:
    base = resources.files("clusterlevers").joinpath("data", "rules")
    items = sorted((p.name, p.read_text(encoding="utf-8"), f"clusterlevers/data/rules/{p.name}")
                   for p in base.iterdir() if p.name.endswith(".yaml"))
    return tuple(_load_dir(items))


def _load_dir(items: list[tuple[str, str, str]]) -> list[Rule]:
    problems: list[Problem] = []
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for name, text, source in items:
        try:
            rule = parse_rule(parse_text(text, source), name.removesuffix(".yaml"))
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        if rule.id in seen:
            problems.append(Problem(f"duplicate rule id (also in {seen[rule.id]})", "id", source))
            continue
        seen[rule.id] = source
        rules.append(rule)
    if problems:
        raise InputError(problems)
    return sorted(rules, key=lambda r: r.id)

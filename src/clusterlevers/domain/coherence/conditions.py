"""The tiny declarative condition language of rule files.

Why hand-written: the language is a dozen operators over three kinds of fact; a general expression
library would bring ``eval``-like power we must not have. Nothing here executes rule text.

A condition is a clause::

    {all: [clause, ...]} | {any: [clause, ...]} | {not: clause} | comparison

    comparison := {SUBJECT: NAME, OP: OPERAND[, when_missing: true|false]}
    SUBJECT    := lever | context | derived
    OP         := eq | ne | in | not_in | lt | le | gt | ge | at_least | at_most
    OPERAND    := a literal, a list of literals (in / not_in), or a reference
                  {lever|context|derived|param: NAME}

``at_least`` / ``at_most`` compare positions of an ordinal lever by rank. ``lt``..``ge`` compare
numbers. A comparison on a fact that is not known (an undecided lever, an unset context field, a
derived figure that cannot be computed) is *unknown*; ``when_missing`` turns that into a plain
true/false. Clauses combine in three-valued logic, and a rule fires only when its condition is true.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, get_args

from ..canvas import Canvas
from ..design import Context
from ..documents import Document
from ..errors import Problem

SUBJECTS = ("lever", "context", "derived")
REF_KINDS = ("lever", "context", "derived", "param")
ORDER_OPS = ("lt", "le", "gt", "ge")
RANK_OPS = ("at_least", "at_most")
SET_OPS = ("in", "not_in")
EQ_OPS = ("eq", "ne")
OPS = EQ_OPS + SET_OPS + ORDER_OPS + RANK_OPS
Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Ref:
    """A reference to a fact: ``kind`` is lever, context, derived or param."""

    kind: str
    name: str


@dataclass(frozen=True)
class Comparison:
    subject: Ref
    op: str
    operand: Any  # literal, tuple of literals, or Ref
    when_missing: bool | None = None


@dataclass(frozen=True)
class Group:
    kind: str  # all | any | not
    items: tuple[Clause, ...]


Clause = Comparison | Group


class Facts:
    """What a condition may read: lever values, context fields, derived figures and rule parameters."""

    def __init__(self, levers: dict[str, Any], context: dict[str, Any], derived: dict[str, Any],
                 params: dict[str, Any] | None = None) -> None:
        self.levers = levers
        self.context = context
        self.derived = derived
        self.params = params or {}

    def get(self, ref: Ref) -> Any:
        table = {"lever": self.levers, "context": self.context, "derived": self.derived, "param": self.params}[ref.kind]
        return table.get(ref.name)

    def with_params(self, params: dict[str, Any]) -> Facts:
        return Facts(self.levers, self.context, self.derived, params)


# ------------------------------------------------------------------ evaluation (three-valued)

def evaluate(clause: Clause, facts: Facts, canvas: Canvas) -> bool | None:
    """True, False, or None when the clause cannot be decided from the facts."""
    if isinstance(clause, Group):
        results = [evaluate(c, facts, canvas) for c in clause.items]
        if clause.kind == "not":
            r = results[0]
            return None if r is None else not r
        if clause.kind == "all":
            if any(r is False for r in results):
                return False
            return None if any(r is None for r in results) else True
        if any(r is True for r in results):
            return True
        return None if any(r is None for r in results) else False
    return _compare(clause, facts, canvas)


def _compare(c: Comparison, facts: Facts, canvas: Canvas) -> bool | None:
    left = facts.get(c.subject)
    right = facts.get(c.operand) if isinstance(c.operand, Ref) else c.operand
    if left is None or right is None:
        return c.when_missing
    op = c.op
    if op in EQ_OPS:
        return (left == right) == (op == "eq")
    if op in SET_OPS:
        members = right if isinstance(right, (list, tuple, set, frozenset)) else (right,)
        return (left in members) == (op == "in")
    if op in RANK_OPS:
        lever = canvas.by_id[c.subject.name]
        a, b = lever.rank(str(left)), lever.rank(str(right))
        return a >= b if op == "at_least" else a <= b
    if not _number(left) or not _number(right):
        return c.when_missing
    x, y = float(left), float(right)
    return {"lt": x < y, "le": x <= y, "gt": x > y, "ge": x >= y}[op]


def _number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def refs(clause: Clause) -> list[Ref]:
    """Every fact reference in a clause (subjects and operands), in order."""
    if isinstance(clause, Group):
        return [r for c in clause.items for r in refs(c)]
    out = [clause.subject]
    if isinstance(clause.operand, Ref):
        out.append(clause.operand)
    return out


# ------------------------------------------------------------------ parsing and validation

@dataclass(frozen=True)
class DerivedSpec:
    """What the parser needs to know about a derived fact: its name and value type."""

    name: str
    type: str  # number | text | list


_CONTEXT_NUMERIC = ("price_year", "budget_envelope", "population", "gdp", "rd_intensity", "political_cycle",
                    "overhead_pct")


def context_choices(field_name: str) -> tuple[Any, ...] | None:
    """Allowed literal values of a context field with a closed set (Literal or bool), else None."""
    ann = Context.model_fields[field_name].annotation
    for arg in get_args(ann) or (ann,):
        if arg is bool:
            return (True, False)
        inner = get_args(arg)
        if inner and all(isinstance(x, str) for x in inner):
            return tuple(inner)
    return None


class ClauseParser:
    """Parses the ``when`` tree of one rule file, collecting problems with file, line and field."""

    def __init__(self, doc: Document, canvas: Canvas, derived: dict[str, DerivedSpec], params: dict[str, Any],
                 problems: list[Problem]) -> None:
        self.doc = doc
        self.canvas = canvas
        self.derived = derived
        self.params = params
        self.problems = problems

    def fail(self, message: str, path: Path) -> None:
        self.problems.append(self.doc.problem(message, *path, field_name=_field(path)))

    def parse(self, raw: Any, path: Path) -> Clause | None:
        if isinstance(raw, list):  # a bare list means all of them
            return self._group("all", raw, path)
        if not isinstance(raw, dict) or not raw:
            self.fail("expected a clause: a mapping such as {lever: funding_horizon, lt: 10} or {all: [...]}", path)
            return None
        groups = [k for k in raw if k in ("all", "any", "not")]
        if groups:
            if len(raw) != 1:
                self.fail(f"'{groups[0]}' must be the only key of its clause, found {sorted(map(str, raw))}", path)
                return None
            key = groups[0]
            if key == "not":
                inner = self.parse(raw["not"], path + ("not",))
                return None if inner is None else Group("not", (inner,))
            return self._group(key, raw[key], path + (key,))
        return self._comparison(raw, path)

    def _group(self, kind: str, items: Any, path: Path) -> Clause | None:
        if not isinstance(items, list) or not items:
            self.fail(f"'{kind}' needs a non-empty list of clauses", path)
            return None
        parsed = [self.parse(item, path + (i,)) for i, item in enumerate(items)]
        if any(p is None for p in parsed):
            return None
        return Group(kind, tuple(p for p in parsed if p is not None))

    def _comparison(self, raw: dict[Any, Any], path: Path) -> Clause | None:
        keys = [str(k) for k in raw]
        subjects = [k for k in keys if k in SUBJECTS]
        ops = [k for k in keys if k in OPS]
        extra = [k for k in keys if k not in SUBJECTS and k not in OPS and k != "when_missing"]
        if extra:
            self.fail(f"unknown key '{extra[0]}' in a clause; subjects: {', '.join(SUBJECTS)}; "
                      f"operators: {', '.join(OPS)}; plus when_missing", path + (extra[0],))
            return None
        if len(subjects) != 1:
            self.fail(f"a comparison needs exactly one subject ({', '.join(SUBJECTS)}), found {len(subjects)}", path)
            return None
        if len(ops) != 1:
            self.fail(f"a comparison needs exactly one operator ({', '.join(OPS)}), found {len(ops)}", path)
            return None
        when_missing = raw.get("when_missing")
        if when_missing is not None and not isinstance(when_missing, bool):
            self.fail("when_missing must be true or false", path + ("when_missing",))
            return None
        subj_kind, op = subjects[0], ops[0]
        subject = self._ref(subj_kind, raw[subj_kind], path + (subj_kind,))
        if subject is None:
            return None
        operand = self._operand(subject, op, raw[op], path + (op,))
        if operand is _BAD:
            return None
        return Comparison(subject, op, operand, when_missing)

    def _ref(self, kind: str, name: Any, path: Path) -> Ref | None:
        if not isinstance(name, str):
            self.fail(f"expected the name of a {kind}, got {name!r}", path)
            return None
        known: list[str]
        if kind == "lever":
            known = list(self.canvas.by_id)
        elif kind == "context":
            known = list(Context.model_fields)
        elif kind == "derived":
            known = sorted(self.derived)
        else:
            known = sorted(self.params)
        if name not in known:
            self.fail(f"unknown {kind} '{name}'{_hint(name, known)}", path)
            return None
        return Ref(kind, name)

    def _type(self, ref: Ref) -> str:
        """number | position | text | bool | list, the value type of a fact."""
        if ref.kind == "lever":
            return "position" if self.canvas.by_id[ref.name].kind == "ordinal" else "number"
        if ref.kind == "context":
            if ref.name in _CONTEXT_NUMERIC:
                return "number"
            choices = context_choices(ref.name)
            return "bool" if choices == (True, False) else "text"
        if ref.kind == "derived":
            return self.derived[ref.name].type
        value = self.params[ref.name]
        return "number" if _number(value) else "text"

    def _operand(self, subject: Ref, op: str, raw: Any, path: Path) -> Any:
        stype = self._type(subject)
        if isinstance(raw, dict):
            if len(raw) != 1 or str(next(iter(raw))) not in REF_KINDS:
                self.fail(f"a reference is a mapping with one key out of {', '.join(REF_KINDS)}", path)
                return _BAD
            kind = str(next(iter(raw)))
            ref = self._ref(kind, raw[kind], path + (kind,))
            if ref is None:
                return _BAD
            otype = self._type(ref)
            if op in ORDER_OPS and (stype != "number" or otype != "number"):
                self.fail(f"'{op}' compares numbers; {subject.kind} {subject.name} is {stype} and "
                          f"{ref.kind} {ref.name} is {otype}", path)
                return _BAD
            if op in RANK_OPS:
                self.fail(f"'{op}' takes a position of {subject.name}, not a reference", path)
                return _BAD
            if op in SET_OPS and otype != "list":
                self.fail(f"'{op}' needs a list; {ref.kind} {ref.name} is {otype}", path)
                return _BAD
            return ref
        if op in ORDER_OPS:
            if stype != "number":
                self.fail(f"'{op}' compares numbers, but {subject.kind} {subject.name} is {stype}"
                          + ("; use at_least / at_most for positions" if stype == "position" else ""), path)
                return _BAD
            if not _number(raw):
                self.fail(f"'{op}' needs a number, got {raw!r}", path)
                return _BAD
            return raw
        if op in RANK_OPS:
            if stype != "position":
                self.fail(f"'{op}' compares positions of an ordinal lever; {subject.name} is {stype}", path)
                return _BAD
            return self._literal(subject, stype, raw, path)
        if op in SET_OPS:
            if not isinstance(raw, list) or not raw:
                self.fail(f"'{op}' needs a non-empty list, got {raw!r}", path)
                return _BAD
            items = [self._literal(subject, stype, item, path + (i,)) for i, item in enumerate(raw)]
            return _BAD if any(i is _BAD for i in items) else tuple(items)
        return self._literal(subject, stype, raw, path)

    def _literal(self, subject: Ref, stype: str, raw: Any, path: Path) -> Any:
        if stype == "position":
            lever = self.canvas.by_id[subject.name]
            if raw not in lever.position_ids:
                self.fail(f"'{raw}' is not a position of {lever.id}; positions: {', '.join(lever.position_ids)}"
                          f"{_hint(str(raw), lever.position_ids)}", path)
                return _BAD
            return raw
        if stype == "number":
            if not _number(raw):
                self.fail(f"expected a number for {subject.kind} {subject.name}, got {raw!r}", path)
                return _BAD
            return raw
        if subject.kind == "context":
            choices = context_choices(subject.name)
            if choices is not None and raw not in choices:
                self.fail(f"{raw!r} is not a value of context.{subject.name}; values: "
                          f"{', '.join(map(str, choices))}", path)
                return _BAD
        return raw


class _Bad:
    pass


_BAD = _Bad()


def _field(path: Path) -> str:
    return ".".join(str(p) for p in path)


def _hint(word: str, options: list[str] | tuple[str, ...]) -> str:
    import difflib

    match = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""

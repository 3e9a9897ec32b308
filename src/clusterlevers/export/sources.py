"""Every URL a brief cites, grouped by where it comes from and de-duplicated within each group."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..domain.design import Design


def _add(group: list[dict[str, str]], seen: set[str], href: Any, title: Any = None) -> None:
    if not isinstance(href, str) or not href.startswith(("http://", "https://")) or href in seen:
        return
    seen.add(href)
    group.append({"href": href, "title": str(title) if title else ""})


def program_urls(program: Any) -> Iterable[tuple[str, str]]:
    """(url, what it supports) for every source in an atlas program record: facts, evaluations, outcomes, levers."""
    for name in type(program.facts).model_fields:
        fact = getattr(program.facts, name)
        for url in getattr(fact, "sources", None) or []:
            yield url, name.replace("_", " ")
    for ev in program.evaluations:
        for url in ev.sources:
            yield url, f"evaluation{' by ' + ev.by if ev.by else ''}"
    for out in program.outcomes:
        for url in out.sources:
            yield url, "outcome"
    for lever_id, coding in program.levers.items():
        for url in coding.sources:
            yield url, f"lever {lever_id.replace('_', ' ')}"


def collect_sources(design: Design, a: dict[str, Any], plan: dict[str, Any] | None = None,
                    financing_parameters: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Groups ``[{group, links:[{href, title}]}]``: findings, nearest programs (one group each), levers,
    evaluation plan, financing model parameters. Empty groups are left out."""
    from ..domain.atlas.loader import load_atlas
    from ..domain.canvas import load_canvas

    atlas = load_atlas()
    groups: list[dict[str, Any]] = []

    seen: set[str] = set()
    items: list[dict[str, str]] = []
    for f in a.get("findings", []):
        for e in f.get("evidence") or []:
            if isinstance(e, dict):
                if e.get("href"):
                    _add(items, seen, e["href"], e.get("title"))
                elif e.get("program") and e["program"] in atlas:
                    for url, what in program_urls(atlas[e["program"]]):
                        _add(items, seen, url, f"{atlas[e['program']].name}: {what}")
    groups.append({"group": "Findings", "links": items})

    for n in a.get("neighbours", []):
        prog = atlas.get(n["program"])
        if prog is None:
            continue
        seen, items = set(), []
        for url, what in program_urls(prog):
            _add(items, seen, url, what)
        groups.append({"group": f"Nearest program: {prog.label()}", "links": items})

    seen, items = set(), []
    for lv in load_canvas().levers:
        for r in lv.references:
            _add(items, seen, r.href, f"{lv.name}: {r.title}")
    groups.append({"group": "Lever definitions", "links": items})

    if plan:
        seen, items = set(), []
        for k in plan.get("kpis", []):
            for s in k.get("sources") or []:
                _add(items, seen, s.get("href"), s.get("title"))
        for m in plan.get("methods", []):
            for r in m.get("references") or []:
                _add(items, seen, r.get("href"), r.get("title"))
        groups.append({"group": "Evaluation plan", "links": items})

    if financing_parameters:
        seen, items = set(), []
        for p in financing_parameters:
            for url in p.get("sources") or []:
                _add(items, seen, url, f"parameter {p.get('id')} ({p.get('evidence')})")
        groups.append({"group": "Financing model parameters", "links": items})
    return [g for g in groups if g["links"]]

"""The navigation panel and the other pages (server-rendered HTML; the JS only swaps fragments)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Body, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..domain.design import Design, parse_design
from ..domain.errors import InputError
from ..domain.urlstate import design_to_query, query_to_design
from ..render import render
from .deps import store_of
from .refs import defaults_design, resolve

router = APIRouter(include_in_schema=False)
HTML_HEADERS = {"Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                                           "script-src 'self'; object-src 'none'; base-uri 'none'; "
                                           "frame-ancestors 'none'",
                "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"}


def page(template: str, status: int = 200, **ctx: Any) -> HTMLResponse:
    return HTMLResponse(render(template, **ctx), status_code=status, headers=HTML_HEADERS)


def error_fragment(exc: InputError) -> HTMLResponse:
    return HTMLResponse(render("partials/problems.html", problems=exc.problems), status_code=422,
                        headers=HTML_HEADERS)


def _store_getter(request: Request) -> Any:
    return lambda: store_of(request)


def _ref_name(ref: str | None, request: Request) -> str | None:
    try:
        d = resolve(ref, _store_getter(request))
    except InputError:
        return None
    return d.name if d else None


def _choices(request: Request) -> dict[str, Any]:
    from ..domain.atlas.archetypes import shipped_archetypes
    from ..domain.atlas.loader import load_atlas

    programs = sorted(load_atlas().values(), key=lambda p: (p.country, p.start_year or 0, p.name))
    try:
        scenarios = store_of(request).list()
    except Exception:  # the page still works without storage; the scenarios list says why
        scenarios = []
    return {"programs": programs, "archetypes": shipped_archetypes(), "scenarios": scenarios}


@router.get("/", response_class=HTMLResponse)
def panel(request: Request) -> Response:
    q = dict(request.query_params)
    start = q.pop("from", None)
    stack = q.pop("stack", None)
    problems: list[Any] = []
    if start is not None:  # start from a program, archetype, scenario or blank: redirect to its URL
        try:
            d = resolve(start, _store_getter(request))
        except InputError as exc:
            return page("panel.html", status=422, **_panel_ctx(request, None, {}, exc.problems))
        query = design_to_query(d) if d else {"v": "1", "n": "Untitled design"}
        if d is not None:
            query["b"] = start
        return RedirectResponse("/?" + urlencode(query), status_code=303)
    try:
        design = query_to_design(q) if any(k not in ("b", "pin", "cur", "s") for k in q) else None
    except InputError as exc:
        design, problems = None, exc.problems
    if stack and design is not None:
        try:
            arc = resolve(stack, _store_getter(request))
        except InputError as exc:
            problems = exc.problems
        else:
            if arc is not None:
                merged = dict(design.levers)
                for k, v in arc.levers.items():
                    merged.setdefault(k, v)
                ctx = design.context.model_dump(exclude_none=True)
                if "currency" not in ctx and "funding_intensity" in arc.levers:
                    ctx["currency"] = arc.context.currency
                d2 = parse_design({"name": design.name, "context": ctx, "levers": merged})
                query = design_to_query(d2)
                for k in ("b", "pin", "cur", "s"):
                    if k in q:
                        query[k] = q[k]
                return RedirectResponse("/?" + urlencode(query), status_code=303)
    return page("panel.html", status=422 if problems else 200, **_panel_ctx(request, design, q, problems))


def _panel_ctx(request: Request, design: Design | None, q: dict[str, str], problems: list[Any]) -> dict[str, Any]:
    from ..domain.design import STARTING_POINTS
    from ..render.viewmodel import areas_with_rows

    design = design or parse_design({"name": "Untitled design", "context": {"currency": "EUR"}})
    baseline_ref = q.get("b")
    try:
        baseline = resolve(baseline_ref, _store_getter(request)) if baseline_ref else None
    except InputError:
        baseline = None
    from ..domain.urlstate import CONTEXT_KEYS, URL_VERSION

    return {
        "ctx_keys": {v: k for k, v in CONTEXT_KEYS.items()}, "url_version": URL_VERSION,
        "design": design, "areas": areas_with_rows(design, baseline or defaults_design()),
        "baseline_ref": baseline_ref or "", "baseline_name": baseline.name if baseline else "canvas defaults",
        "pin_ref": q.get("pin", ""), "cur_ref": q.get("cur", ""), "scenario_id": q.get("s", ""),
        "ctx": design.context.model_dump(), "starting_points": STARTING_POINTS, "problems": problems,
        "results": _results_ctx(request, design, baseline_ref, q.get("pin"), q.get("cur")),
        **_choices(request),
    }


def _results_ctx(request: Request, design: Design, baseline_ref: str | None, pin_ref: str | None,
                 cur_ref: str | None) -> dict[str, Any]:
    from ..render.results import results_context

    getter = _store_getter(request)
    baseline = resolve(baseline_ref, getter) if baseline_ref else defaults_design()
    pinned = resolve(pin_ref, getter) if pin_ref else None
    current = resolve(cur_ref, getter) if cur_ref else None
    return results_context(design, baseline=baseline, pinned=pinned, current=current)


@router.post("/ui/assess", response_class=HTMLResponse)
def ui_assess(request: Request, body: dict[str, Any] = Body(...)) -> HTMLResponse:
    design = parse_design(body.get("design"), "canvas")
    refs = {k: body.get(k) if isinstance(body.get(k), str) and body.get(k) else None for k in ("b", "pin", "cur")}
    ctx = _results_ctx(request, design, refs["b"], refs["pin"], refs["cur"])
    return HTMLResponse(render("partials/results.html", **ctx), headers=HTML_HEADERS)


@router.get("/atlas", response_class=HTMLResponse)
def atlas_page(request: Request) -> HTMLResponse:
    from ..charts.atlas_map import atlas_map_svg
    from ..domain.atlas.archetypes import shipped_archetypes
    from ..domain.atlas.atlas_map import shipped_map
    from ..domain.atlas.coverage import coverage

    ch = _choices(request)
    return page("atlas.html", atlas_svg=atlas_map_svg(shipped_map(), shipped_archetypes()), coverage=coverage(), **ch)


@router.get("/programs/{program_id}", response_class=HTMLResponse)
def program_page(program_id: str, request: Request) -> HTMLResponse:
    from ..domain.atlas.loader import load_atlas
    from ..domain.atlas.similarity import compare_program
    from ..render.viewmodel import show_value

    atlas = load_atlas()
    prog = atlas.get(program_id)
    if prog is None:
        raise HTTPException(404, f"no program '{program_id}'")
    q = dict(request.query_params)
    try:
        design = query_to_design(q) if q else None
    except InputError:
        design = None
    family = sorted((p for p in atlas.values() if p.family == prog.family), key=lambda p: (p.start_year or 0, p.id))
    from ..domain.canvas import load_canvas

    rows = []
    for lv in load_canvas().levers:
        c = prog.levers[lv.id]
        value = (c.value if lv.kind == "numeric" else c.position) if c.known else None
        rows.append({"lever": lv, "coding": c, "shown": show_value(lv, value, c.currency) if c.known else "unknown",
                     "design": show_value(lv, design.levers.get(lv.id), design.context.currency) if design else None})
    return page("program.html", prog=prog, family=family, rows=rows, design=design,
                neighbours=compare_program(prog, top=5), back="/?" + urlencode(q) if q else "/")


@router.get("/archetypes", response_class=HTMLResponse)
def archetypes_page(request: Request) -> HTMLResponse:
    from ..charts.atlas_map import atlas_map_svg
    from ..domain.atlas.archetypes import shipped_archetypes
    from ..domain.atlas.atlas_map import shipped_map
    from ..domain.atlas.loader import load_atlas

    return page("archetypes.html", archetypes=shipped_archetypes(), atlas=load_atlas(),
                atlas_svg=atlas_map_svg(shipped_map(), shipped_archetypes()))


@router.get("/glossary", response_class=HTMLResponse)
def glossary_page() -> HTMLResponse:
    from ..domain.coherence import glossary

    return page("glossary.html", terms=glossary())


@router.get("/scenarios", response_class=HTMLResponse)
def scenarios_page(request: Request) -> HTMLResponse:
    return page("scenarios.html", scenarios=store_of(request).list())


@router.get("/scenarios/{scenario_id}", response_class=HTMLResponse)
def scenario_page(scenario_id: str, request: Request) -> HTMLResponse:
    from ..storage import NotFound

    try:
        rec = store_of(request).get(scenario_id)
    except NotFound:
        raise HTTPException(404, f"no scenario '{scenario_id}'") from None
    links: list[tuple[Any, str | None]] = []
    for v in rec.history:
        try:
            d = parse_design(v.design, f"scenario:{scenario_id}")
            links.append((v, "/?" + urlencode({**design_to_query(d), "s": scenario_id})))
        except InputError:
            links.append((v, None))
    return page("scenario.html", rec=rec, links=links)


@router.get("/compare", response_class=HTMLResponse)
def compare_page(request: Request, ids: list[str] = Query(default_factory=list)) -> HTMLResponse:
    from ..charts.financing import series_from, trajectory_svg
    from ..domain.assess import assess
    from ..render.viewmodel import lever_rows

    refs = [i for i in ids if i][:4]
    if len(refs) < 2:
        return page("compare.html", status=422, items=[], error="choose two to four scenarios or programs")
    items: list[dict[str, Any]] = []
    for ref in refs:
        d = resolve(ref if ":" in ref else f"scenario:{ref}", _store_getter(request))
        if d is None:
            continue
        a = assess(d)
        items.append({"ref": ref, "design": d, "a": a, "rows": lever_rows(d)})
    roles = ["design", "baseline", "pinned", "fourth"]
    series = [series_from(it["a"]["projection"], "public_share", label=it["design"].name[:40], role=roles[i])
              for i, it in enumerate(items)]
    chart = trajectory_svg(series, metric="public_share", title="Public share of the cluster budget (median)")
    return page("compare.html", items=items, chart=chart, error=None)

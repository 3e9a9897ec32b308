"""``GET /brief`` and ``GET /brief/compare``: the panel's "Download brief" link, rendered by the export adapter."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from ..domain.design import Design
from ..domain.errors import InputError, Problem

router = APIRouter(include_in_schema=False)

# the HTML brief is self-contained: inline styles and SVG, no scripts, nothing fetched
BRIEF_HTML_HEADERS = {"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                                                 "base-uri 'none'; frame-ancestors 'none'",
                      "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"}
_MEDIA = {"pdf": "application/pdf", "html": "text/html; charset=utf-8", "png": "image/png"}


def _problems(problems: list[Problem]) -> HTMLResponse:
    from ..render import render

    body = ('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Brief: problems</title></head><body>'
            + render("partials/problems.html", problems=problems)
            + '<p><a href="/">Back to the canvas</a></p></body></html>')
    return HTMLResponse(body, status_code=422, headers=BRIEF_HTML_HEADERS)


def _slug(name: str) -> str:
    s = re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").lower()
    return (s or "design")[:60]


def _options(q: dict[str, str]) -> tuple[str, str, list[Problem]]:
    fmt = (q.pop("format", "pdf") or "pdf").lower()
    paper = (q.pop("paper", "a4") or "a4").lower()
    problems = []
    if fmt not in _MEDIA:
        problems.append(Problem(f"format must be pdf, html or png, got {fmt!r}", field="format"))
    if paper not in ("a4", "letter"):
        problems.append(Problem(f"paper must be a4 or letter, got {paper!r}", field="paper"))
    return fmt, paper, problems


def _respond(designs: list[Design], fmt: str, paper: str, request: Request, stem: str) -> Response:
    from ..export.brief import render_brief

    base = str(request.base_url).rstrip("/")
    data = render_brief(designs, fmt, base_url=base, paper=paper)
    if fmt == "html":
        return HTMLResponse(data.decode("utf-8"), headers=BRIEF_HTML_HEADERS)
    filename = f"{stem}.{fmt}"
    disposition = f"attachment; filename=\"{filename}\"; filename*=UTF-8''{quote(filename)}"
    return Response(data, media_type=_MEDIA[fmt],
                    headers={"Content-Disposition": disposition, "X-Content-Type-Options": "nosniff"})


@router.get("/brief")
def brief(request: Request) -> Response:
    """The design brief of the canvas in the query (same parameters as the canvas URL), as a PDF download;
    ``format=html`` shows it in the browser, ``format=png`` gives page one; ``paper=letter`` for US Letter."""
    from ..domain.urlstate import query_to_design

    q = dict(request.query_params)
    fmt, paper, problems = _options(q)
    if problems:
        return _problems(problems)
    try:
        design = query_to_design(q)
        return _respond([design], fmt, paper, request, f"brief-{_slug(design.name)}")
    except InputError as exc:
        return _problems(exc.problems)


@router.get("/brief/compare")
def brief_compare(request: Request, ids: list[str] = Query(default_factory=list)) -> Response:
    """A comparison brief of two to four saved scenarios or atlas programs:
    ``?ids=scenario:ID&ids=program:ID`` (a bare id means a saved scenario)."""
    from .deps import store_of
    from .refs import resolve

    q = {k: v for k, v in request.query_params.items() if k != "ids"}
    fmt, paper, problems = _options(q)
    refs = [i for i in ids if i]
    if not 2 <= len(refs) <= 4:
        problems.append(Problem(f"choose two to four scenarios or programs to compare, got {len(refs)}", field="ids"))
    if problems:
        return _problems(problems)
    designs: list[Any] = []
    try:
        for ref in refs:
            d = resolve(ref if ":" in ref else f"scenario:{ref}", lambda: store_of(request))
            if d is None:
                raise InputError.single(f"'{ref}' is blank: choose a scenario or program", field="ids")
            designs.append(d)
        return _respond(designs, fmt, paper, request, "comparison-brief")
    except InputError as exc:
        return _problems(exc.problems)

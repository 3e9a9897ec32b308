"""The JSON API (``/api/v1``). The page calls the same domain functions."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Body, HTTPException, Query, Request, Response
from pydantic import BaseModel, Field

from ..domain.design import Design, parse_design
from .deps import store_of

router = APIRouter(prefix="/api/v1", tags=["api"])


def _design_schema() -> dict[str, Any]:
    from ..domain.schemas import design_schema

    s = design_schema()
    s.pop("$schema", None)
    return s


DESIGN_BODY = Body(..., description="A design document: name, optional context, levers (id -> position or number).",
                   openapi_examples={"canada": {"summary": "Canada 2017", "value": {
                       "name": "Canada ISI 2017", "context": {"currency": "CAD", "price_year": 2018},
                       "levers": {"ambition_level": "build", "portfolio_size": 5, "funding_intensity": 38,
                                  "funding_horizon": 5, "private_match": 50}}}})


def validated(data: Any, source: str = "body") -> Design:
    return parse_design(data, source)


@router.get("/levers", summary="The 16 levers of the canvas")
def get_levers() -> list[dict[str, Any]]:
    from ..domain.canvas import load_canvas

    return [lv.public_dict() for lv in load_canvas().levers]


@router.get("/programs", summary="The atlas of real programs")
def get_programs() -> list[dict[str, Any]]:
    from ..domain.atlas.loader import load_atlas

    return [{"id": p.id, "name": p.name, "native_name": p.native_name, "country": p.country, "region": p.region,
             "level": p.level, "family": p.family, "start_year": p.facts.start_year.value,
             "end_year": p.facts.end_year.value, "levers": p.lever_values()} for p in load_atlas().values()]


@router.get("/programs/{program_id}", summary="One program with its facts, sources and lever coding")
def get_program(program_id: str) -> dict[str, Any]:
    from ..domain.atlas.loader import load_atlas, public_record

    prog = load_atlas().get(program_id)
    if prog is None:
        raise HTTPException(404, f"no program '{program_id}'")
    return public_record(prog)


@router.get("/programs/{program_id}/neighbours", summary="Programs nearest to an atlas program (never itself)")
def get_program_neighbours(program_id: str, top: int = Query(5, ge=1, le=50)) -> dict[str, Any]:
    from ..domain.atlas.loader import load_atlas
    from ..domain.atlas.similarity import compare_program

    prog = load_atlas().get(program_id)
    if prog is None:
        raise HTTPException(404, f"no program '{program_id}'")
    return {"program": program_id, "neighbours": [n.model_dump() for n in compare_program(prog, top=top)]}


@router.get("/archetypes", summary="Program models found in the atlas")
def get_archetypes() -> dict[str, Any]:
    from ..domain.atlas.archetypes import shipped_archetypes

    return {"archetypes": [a.model_dump() for a in shipped_archetypes()]}


@router.get("/glossary", summary="Glossary of cluster-policy terms, with sources")
def get_glossary() -> list[dict[str, Any]]:
    from ..domain.coherence import glossary

    return glossary()


@router.post("/assess", summary="Assess a design: derived, findings, neighbours and projection in one response",
             openapi_extra={"requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}}})
async def post_assess(body: dict[str, Any] = DESIGN_BODY, top: int = Query(5, ge=1, le=20),
                      years: int = Query(15, ge=5, le=30)) -> Response:
    """CPU-bound for about a millisecond, so it runs on the event loop (no thread hop) and its plain-JSON
    result is serialised directly rather than through FastAPI's generic encoder."""
    from ..domain.assess import assess

    result = assess(validated(body), top=top, years=years)
    return Response(json.dumps(result, ensure_ascii=False, allow_nan=False), media_type="application/json")


class ScenarioIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    note: str | None = Field(None, max_length=2000)
    design: dict[str, Any]


class ScenarioUpdate(BaseModel):
    design: dict[str, Any]
    note: str | None = Field(None, max_length=2000)


class Saved(BaseModel):
    id: str
    version: int


def _author(request: Request) -> str | None:
    who = request.headers.get("x-clusterlevers-user")
    return who[:80] if who else None


@router.post("/scenarios", status_code=201, response_model=Saved, summary="Save a new scenario")
def post_scenario(body: ScenarioIn, request: Request) -> Saved:
    design = validated(body.design, "body.design")
    doc = design.to_document()
    doc["name"] = body.name
    saved = store_of(request).create(body.name, doc, note=body.note, author=_author(request))
    return Saved(id=saved.id, version=saved.version)


@router.get("/scenarios", summary="List saved scenarios")
def list_scenarios(request: Request, include_deleted: bool = False) -> list[dict[str, Any]]:
    return [_dump(s) for s in store_of(request).list(include_deleted=include_deleted)]


@router.get("/scenarios/{scenario_id}", summary="A scenario's latest version and its history")
def get_scenario(scenario_id: str, request: Request) -> dict[str, Any]:
    return _dump(_get(request, scenario_id))


@router.put("/scenarios/{scenario_id}", response_model=Saved, summary="Append a new version")
def put_scenario(scenario_id: str, body: ScenarioUpdate, request: Request) -> Saved:
    store = store_of(request)
    current = _get(request, scenario_id)
    design = validated(body.design, "body.design").to_document()
    design["name"] = current.name
    saved = store.append(scenario_id, design, note=body.note, author=_author(request))
    return Saved(id=saved.id, version=saved.version)


@router.post("/scenarios/{scenario_id}/duplicate", status_code=201, response_model=Saved,
             summary="Duplicate a scenario")
def duplicate_scenario(scenario_id: str, request: Request, name: str | None = Query(None, max_length=200)) -> Saved:
    _get(request, scenario_id)
    saved = store_of(request).duplicate(scenario_id, name=name, author=_author(request))
    return Saved(id=saved.id, version=saved.version)


@router.delete("/scenarios/{scenario_id}", status_code=204, summary="Delete a scenario (soft: history is kept)")
def delete_scenario(scenario_id: str, request: Request) -> None:
    _get(request, scenario_id)
    store_of(request).delete(scenario_id, author=_author(request))


def _get(request: Request, scenario_id: str) -> Any:
    from ..storage import NotFound

    try:
        return store_of(request).get(scenario_id)
    except NotFound:
        raise HTTPException(404, f"no scenario '{scenario_id}'") from None


def _dump(obj: Any) -> dict[str, Any]:
    if hasattr(obj, "model_dump"):
        return obj.model_dump(mode="json")
    if hasattr(obj, "as_dict"):
        return obj.as_dict()
    return dict(obj)

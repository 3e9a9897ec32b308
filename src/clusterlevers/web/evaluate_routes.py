"""The evaluation section of the panel: the design's logic model and an impact estimate from uploaded CSVs."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse

from ..domain.errors import InputError, Problem
from ..domain.urlstate import query_to_design
from .pages import page
from .security import MAX_UPLOAD_BODY

router = APIRouter(include_in_schema=False)
METHODS = ("cs", "twfe", "psm")


def _logic(request: Request) -> tuple[Any, Any, list[Problem]]:
    q = dict(request.query_params)
    if not any(k not in ("b", "pin", "cur", "s") for k in q):
        return None, None, []
    try:
        design = query_to_design(q)
    except InputError as exc:
        return None, None, exc.problems
    from ..domain.evaluation import logic_model

    return design, logic_model(design), []


@router.get("/evaluate", response_class=HTMLResponse)
def evaluate_page(request: Request) -> HTMLResponse:
    design, lm, problems = _logic(request)
    return page("evaluate.html", design=design, lm=lm, problems=problems, result=None, methods=METHODS,
                form={"outcome": "", "method": "cs", "covariates": ""}, limit_mb=MAX_UPLOAD_BODY // 1_000_000)


async def _save(upload: UploadFile, folder: Path, fallback: str) -> Path:
    name = Path(upload.filename or fallback).name or fallback
    if not name.lower().endswith(".csv"):
        raise InputError.single("expected a .csv file", file=name)
    data = await upload.read(MAX_UPLOAD_BODY + 1)
    if len(data) > MAX_UPLOAD_BODY:
        raise InputError.single(f"file over the {MAX_UPLOAD_BODY:,}-byte upload limit", file=name)
    path = folder / name
    path.write_bytes(data)
    return path


@router.post("/ui/evaluate", response_class=HTMLResponse)
async def evaluate_upload(firm_panel: UploadFile = File(...), treatment: UploadFile = File(...),
                          outcome: str = Form(..., max_length=100), method: str = Form("cs"),
                          covariates: str = Form("", max_length=500)) -> HTMLResponse:
    form = {"outcome": outcome, "method": method, "covariates": covariates}
    ctx: dict[str, Any] = {"design": None, "lm": None, "methods": METHODS, "form": form,
                           "limit_mb": MAX_UPLOAD_BODY // 1_000_000}
    with tempfile.TemporaryDirectory(prefix="cl-eval-") as tmp:
        folder = Path(tmp)
        try:
            (folder / "t").mkdir()
            fp = await _save(firm_panel, folder, "firm_panel.csv")
            tr = await _save(treatment, folder / "t", "treatment.csv")
            from ..charts.monitoring import event_study_chart
            from ..domain.evaluation import estimate

            covs = None if not covariates.strip() else (
                [] if covariates.strip() == "none" else [c.strip() for c in covariates.split(",") if c.strip()])
            result = estimate(fp, tr, outcome.strip(), method=method, covariates=covs).as_dict()
        except InputError as exc:
            problems = [Problem(p.message, p.field, Path(p.file).name if p.file else "", p.line)
                        for p in exc.problems]
            return page("evaluate.html", status=422, problems=problems, result=None, **ctx)
    chart = event_study_chart(result["event_study"]) if result.get("event_study") else ""
    return page("evaluate.html", problems=[], result=result, chart=chart, **ctx)

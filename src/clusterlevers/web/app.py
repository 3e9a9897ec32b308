"""The FastAPI application: the navigation panel (server-rendered, shipped assets only) and the JSON API."""

from __future__ import annotations

import logging
from importlib import resources
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from .. import __version__
from ..domain.errors import InputError
from .security import GuardMiddleware

log = logging.getLogger("clusterlevers.web")


def _problems_detail(exc: InputError) -> list[dict[str, Any]]:
    out = []
    for p in exc.problems:
        loc = ["body", *p.field.split(".")] if p.field else ["body"]
        out.append({"loc": loc, "msg": p.message, "type": "value_error", "field": p.field, "line": p.line})
    return out


def create_app(db_url: str | None = None, token: str | None = None) -> FastAPI:
    """Build the app. ``db_url`` defaults to the SQLite file in the user data directory."""
    app = FastAPI(title="clusterlevers", version=__version__,
                  description="Design national cluster programs on the 16-lever canvas: assess designs, compare "
                              "them with real programs, save versioned scenarios.",
                  docs_url="/api/docs", redoc_url=None)
    app.state.db_url = db_url
    app.state.token = token
    app.state.store = None
    app.add_middleware(GuardMiddleware, token=token)

    @app.exception_handler(InputError)
    async def _input_error(request: Request, exc: InputError) -> JSONResponse:
        if request.url.path.startswith("/ui/"):
            from .pages import error_fragment

            return error_fragment(exc)  # type: ignore[return-value]
        return JSONResponse({"detail": _problems_detail(exc)}, status_code=422)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        detail = [{"loc": list(e.get("loc", [])), "msg": e.get("msg", "invalid"), "type": e.get("type", "")}
                  for e in exc.errors()]
        return JSONResponse({"detail": detail}, status_code=422)

    @app.exception_handler(ValueError)
    async def _value_error(request: Request, exc: ValueError) -> JSONResponse:
        # storage limits (name, note, design size) raise ValueError: the client's input is at fault
        return JSONResponse({"detail": [{"loc": ["body"], "msg": str(exc), "type": "value_error"}]},
                            status_code=422)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> HTMLResponse | JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return JSONResponse({"detail": "internal error; see the server log"}, status_code=500)

    static_dir = str(resources.files("clusterlevers").joinpath("web/static"))
    app.mount("/static", StaticFiles(directory=static_dir), name="static")

    from .api import router as api_router
    from .evaluate_routes import router as evaluate_router
    from .pages import router as pages_router

    app.include_router(api_router)
    app.include_router(evaluate_router)
    app.include_router(pages_router)
    app.include_router(__import__("clusterlevers.web.brief_routes", fromlist=["router"]).router)  # /brief
    return app

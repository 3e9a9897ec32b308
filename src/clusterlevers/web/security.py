"""Request guards: body size limits and the access token for writes."""

from __future__ import annotations

import hmac
import ipaddress

from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

MAX_JSON_BODY = 256 * 1024        # a design is a few KB
MAX_UPLOAD_BODY = 8 * 1024 * 1024  # CSV uploads (evaluation)
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
READ_ONLY_POSTS = {"/api/v1/assess", "/ui/assess", "/ui/brief", "/api/v1/compare", "/api/v1/simulate"}


def is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class GuardMiddleware(BaseHTTPMiddleware):
    def __init__(self, app: object, token: str | None) -> None:
        super().__init__(app)  # type: ignore[arg-type]
        self.token = token

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        limit = MAX_UPLOAD_BODY if request.url.path.startswith("/ui/evaluate") else MAX_JSON_BODY
        length = request.headers.get("content-length")
        if length is not None:
            try:
                too_big = int(length) > limit
            except ValueError:
                return JSONResponse({"detail": [{"loc": ["header", "content-length"], "msg": "invalid"}]},
                                    status_code=400)
            if too_big:
                return JSONResponse({"detail": f"request body over the {limit:,}-byte limit"}, status_code=413)
        elif request.method in WRITE_METHODS:
            body = await request.body()  # chunked upload: measure what arrived
            if len(body) > limit:
                return JSONResponse({"detail": f"request body over the {limit:,}-byte limit"}, status_code=413)
        if self.token and request.method in WRITE_METHODS and request.url.path not in READ_ONLY_POSTS:
            given = request.headers.get("x-clusterlevers-token") or ""
            auth = request.headers.get("authorization", "")
            if auth.lower().startswith("bearer "):
                given = auth[7:]
            if not given:
                given = request.cookies.get("clusterlevers_token", "")
            if not hmac.compare_digest(given.encode(), self.token.encode()):
                return JSONResponse({"detail": "a valid access token is required for writes "
                                               "(X-Clusterlevers-Token header)"}, status_code=401)
        return await call_next(request)

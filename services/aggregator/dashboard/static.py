"""The dashboard's static files: its stylesheet and script, and plotly.js from the plotly
package (compressed once, cached by browsers for a year: its URL names the version)."""

from __future__ import annotations

import gzip
from functools import cache
from pathlib import Path

import plotly
from fastapi import APIRouter, Request, Response
from plotly.offline import get_plotlyjs

from services.aggregator.dashboard.access import PUBLIC_PAGES
from services.aggregator.dashboard.pages import SECURITY_HEADERS
from shared.errors import NotFound

router = APIRouter(
    prefix="/dashboard/static",
    tags=["dashboard"],
    include_in_schema=False,
    dependencies=PUBLIC_PAGES,
)
STATIC = Path(__file__).parent / "static"
FILES = {
    "dashboard.css": "text/css",
    "dashboard.js": "text/javascript",
    "import.js": "text/javascript",
    "work.js": "text/javascript",
}
FOREVER = "public, max-age=31536000, immutable"


@cache
def plotly_bundle() -> tuple[bytes, bytes]:
    script = get_plotlyjs().encode()
    return script, gzip.compress(script, 6)


@router.get(f"/plotly-{plotly.__version__}.min.js")
def plotly_js(request: Request) -> Response:
    plain, packed = plotly_bundle()
    headers = {**SECURITY_HEADERS, "Cache-Control": FOREVER, "Vary": "Accept-Encoding"}
    if "gzip" in request.headers.get("accept-encoding", ""):
        headers["Content-Encoding"] = "gzip"
        return Response(packed, media_type="text/javascript", headers=headers)
    return Response(plain, media_type="text/javascript", headers=headers)


@router.get("/{name}")
def static_file(name: str) -> Response:
    if name not in FILES:
        raise NotFound("not_found")
    headers = {**SECURITY_HEADERS, "Cache-Control": "public, max-age=3600"}
    return Response((STATIC / name).read_bytes(), media_type=FILES[name], headers=headers)

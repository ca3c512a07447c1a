"""Security headers on every HTML answer of a service: a Content-Security-Policy, nosniff, no
framing, a referrer policy and a permissions policy (a pure ASGI middleware).

The services' own HTML is the dashboard (its pages set a policy of their own, which is kept)
and FastAPI's documentation pages: Swagger UI, its OAuth2 redirect and ReDoc, which load their
scripts, styles and fonts from CDNs and start with an inline script. Their policy allows exactly
the files FastAPI names (its defaults, read from FastAPI itself) and that inline script by its
hash, computed from the page as served: FastAPI writes those pages from the app's settings
alone (title, OpenAPI URL, root path), never from anything in the request. Every other HTML
answer (an error page, say) may load nothing at all.
"""

from __future__ import annotations

import base64
import hashlib
import inspect
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

FRAMING = "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
NOTHING = f"default-src 'none'; {FRAMING}"
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "accelerometer=(), camera=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), payment=(), usb=()",
}
REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"  # the bundle's "API docs by Redocly"
SCRIPTS = "{scripts}"  # where a page's inline scripts' hashes go
INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S | re.I)


def _default(function: Any, parameter: str) -> str:
    value: str = inspect.signature(function).parameters[parameter].default
    return value


def _without_query(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def documentation_policies(app: FastAPI) -> dict[str, str]:
    """The policy of each of the app's documentation pages, by path."""
    swagger = {
        name: _default(get_swagger_ui_html, name)
        for name in ("swagger_js_url", "swagger_css_url", "swagger_favicon_url")
    }
    redoc = {name: _default(get_redoc_html, name) for name in ("redoc_js_url", "redoc_favicon_url")}
    fonts = "https://fonts.googleapis.com/css"  # get_redoc_html's link (with_google_fonts)
    policies = {}
    if app.docs_url:
        policies[app.docs_url] = (
            f"default-src 'none'; script-src {swagger['swagger_js_url']} {SCRIPTS}; "
            f"style-src {swagger['swagger_css_url']}; "
            f"img-src 'self' data: {swagger['swagger_favicon_url']}; connect-src 'self'; {FRAMING}"
        )
    if app.docs_url and app.swagger_ui_oauth2_redirect_url:
        policies[app.swagger_ui_oauth2_redirect_url] = (
            f"default-src 'none'; script-src {SCRIPTS}; {FRAMING}"
        )
    if app.redoc_url:
        policies[app.redoc_url] = (
            f"default-src 'none'; script-src {redoc['redoc_js_url']}; "
            # ReDoc writes its styles into <style> elements as it renders
            f"style-src 'unsafe-inline' {_without_query(fonts)}; "
            "font-src https://fonts.gstatic.com; "
            f"img-src 'self' data: {redoc['redoc_favicon_url']} {REDOC_LOGO}; worker-src blob:; "
            f"connect-src 'self'; {FRAMING}"
        )
    return policies


def script_hashes(html: bytes) -> str:
    return " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(m.group(1)).digest()).decode() + "'"
        for m in INLINE_SCRIPT.finditer(html)
    )


def _is_html(message: Message) -> bool:
    content_type = MutableHeaders(raw=message["headers"]).get("content-type", "")
    return content_type.lower().startswith("text/html")


def _add_headers(message: Message, policy: str) -> None:
    headers = MutableHeaders(raw=message["headers"])
    headers.setdefault("Content-Security-Policy", policy)
    for name, value in HEADERS.items():
        headers.setdefault(name, value)


class SecurityHeaders:
    def __init__(self, app: ASGIApp, pages: Mapping[str, str]) -> None:
        self.app, self.pages = app, dict(pages)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"].removeprefix(scope.get("root_path", "").rstrip("/")) or "/"
        policy = self.pages.get(path)
        if policy is None:
            await self.app(scope, receive, self._plain(send))
        else:
            await self.app(scope, receive, self._hashed(send, policy))

    @staticmethod
    def _plain(send: Send) -> Send:
        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start" and _is_html(message):
                _add_headers(message, NOTHING)
            await send(message)

        return sending

    @staticmethod
    def _hashed(send: Send, policy: str) -> Send:
        """Holds a documentation page until its body is whole, to hash its inline scripts."""
        start: Message | None = None
        body: list[bytes] = []

        async def sending(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start" and _is_html(message):
                start = message
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            body.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            content = b"".join(body)
            _add_headers(start, policy.replace(SCRIPTS, script_hashes(content)))
            await send(start)
            await send({"type": "http.response.body", "body": content})

        return sending

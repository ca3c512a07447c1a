"""Signing in and out: the login page takes a bearer token or a JWT and opens a server-side
session (services.aggregator.dashboard.session) whose id alone goes in an HttpOnly, Secure,
SameSite=Strict cookie; signing out deletes the session. Citizens are refused."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse

from services.aggregator.dashboard.access import PUBLIC_PAGES
from services.aggregator.dashboard.pages import render, words
from services.aggregator.dashboard.session import close_session, open_session
from shared.api_errors import record_denial
from shared.auth import principal_for_credential
from shared.policy import DASHBOARD, permits

router = APIRouter(
    prefix="/dashboard", tags=["dashboard"], include_in_schema=False, dependencies=PUBLIC_PAGES
)


def safe_next(target: str | None) -> str:
    """Only back into the dashboard: never to another site."""
    parts = urlsplit(target or "")
    if parts.scheme or parts.netloc or not parts.path.startswith("/dashboard"):
        return "/dashboard"
    return target or "/dashboard"


def login_page(
    request: Request, lang: str, target: str, error: str | None = None, status: int = 200
) -> Response:
    context = {**words(lang), "next": target, "error": error, "title": words(lang)["t"]("login")}
    return render(request, "login.html", context, status)


def same_origin(request: Request) -> bool:
    """A form posted from our own pages (browsers send Origin with every POST)."""
    origin = request.headers.get("origin")
    return origin is None or urlsplit(origin).netloc == request.headers.get("host")


@router.get("/login", summary="Đăng nhập / sign in")
def login_form(request: Request, next: str | None = None, lang: str | None = None) -> Response:
    return login_page(request, "en" if lang == "en" else "vi", safe_next(next))


@router.post("/login", summary="Đăng nhập / sign in")
def login(
    request: Request,
    token: Annotated[str, Form(max_length=8192)],
    next: Annotated[str | None, Form()] = None,
    lang: Annotated[str | None, Form()] = None,
) -> Response:
    language = "en" if lang == "en" else "vi"
    target = safe_next(next)
    if not same_origin(request):
        return login_page(request, language, target, "login_invalid", 403)
    credential = token.strip()
    principal = principal_for_credential(request, credential) if credential else None
    if principal is None:
        return login_page(request, language, target, "login_invalid", 401)
    if not permits(DASHBOARD, principal):
        request.state.principal = principal
        record_denial(request, "forbidden_role", {"role": str(principal.role)})
        return login_page(request, language, target, "login_refused", 403)
    response = RedirectResponse(target, 303)
    open_session(request, response, principal, credential)
    return response


@router.post("/logout", summary="Đăng xuất / sign out")
def logout(request: Request, lang: Annotated[str | None, Form()] = None) -> Response:
    query = urlencode({"lang": "en"}) if lang == "en" else ""
    response = RedirectResponse("/dashboard/login" + (f"?{query}" if query else ""), 303)
    if not same_origin(request):  # another site may not sign anyone out
        return response
    close_session(request, response)
    return response

"""Who reads the dashboard, through the shared policy (shared.policy): every page declares the
DASHBOARD rule by its Reader dependency, whose caller is the session (or an Authorization
header). Without one, the page sends the browser to the login page and back; a role the rule
leaves out gets the refusal page, recorded for auditors like every refusal."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, Request, Response
from fastapi.responses import RedirectResponse
from fastapi.routing import APIRoute

from services.aggregator.dashboard.pages import error_page
from services.aggregator.dashboard.session import signed_in
from shared.api_errors import record_if_refused
from shared.errors import Forbidden, Unauthenticated
from shared.policy import DASHBOARD, PUBLIC, allow
from shared.principal import Principal


class SignInRequired(Unauthenticated):
    """No session: answered by the login page, not the API's 401."""


Reader = Annotated[
    Principal, Depends(allow(DASHBOARD, signed_in, lambda: SignInRequired("unauthenticated")))
]
PUBLIC_PAGES = [Depends(allow(PUBLIC))]  # the login page, sign-out, the static files


def lang_of(request: Request) -> str:
    return "en" if request.query_params.get("lang") == "en" else "vi"


def to_login(request: Request) -> Response:
    """To the login page, and back to this page afterwards."""
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    query = {"next": target, **({"lang": "en"} if lang_of(request) == "en" else {})}
    return RedirectResponse(f"/dashboard/login?{urlencode(query)}", 303)


class DashboardRoute(APIRoute):
    """A page whose reader the policy refused is answered as a page: the login page, or the
    refusal."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def dashboard_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except SignInRequired:
                return to_login(request)
            except Forbidden as exc:
                record_if_refused(request, exc)
                reader = getattr(request.state, "principal", None)
                return error_page(request, 403, "forbidden", "login_refused", reader=reader)

        return dashboard_handler

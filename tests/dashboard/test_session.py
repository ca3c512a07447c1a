"""The dashboard's login, server-side session and views without a browser: the cookie holds a
random session id (never the token) that only the dashboard accepts, signing out or revoking
the token ends it, the Authorization header keeps working on the pages, citizens and foreign
redirects are refused, and a view's comparison period is the one just before."""

from __future__ import annotations

import json
import time
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from services.aggregator.dashboard.session import SESSION_COOKIE
from services.aggregator.dashboard.view import previous_period
from services.aggregator.main import create_app as create_aggregator
from shared.auth import TokenStore
from shared.periods import parse_period
from shared.principal import Role
from shared.sessions import SessionStore, dashboard_sessions, sealed_credentials
from shared.settings import Settings
from tests.conftest import bearer
from tests.helpers import app_of
from tests.security.test_jwt import key_pair, token

# the cookie is Secure: a client sends it back over https only (browsers: and to loopback)
DASHBOARD = "https://testserver"


def dashboard_client(aggregator: TestClient, **kwargs: Any) -> TestClient:
    return TestClient(aggregator.app, base_url=DASHBOARD, follow_redirects=False, **kwargs)


def signed_in(aggregator: TestClient, token: str = "token-auditor") -> TestClient:
    client = dashboard_client(aggregator)
    response = client.post("/dashboard/login", data={"token": token, "next": "/dashboard"})
    assert response.status_code == 303, response.text
    return client


def session_of(client: TestClient) -> str:
    session: str = client.cookies[SESSION_COOKIE]
    return session


def stored_sessions(
    aggregator: TestClient, table: Any = dashboard_sessions
) -> list[dict[str, Any]]:
    """What the security store holds of the dashboard's sessions (or their credentials)."""
    engine = SessionStore(app_of(aggregator).state.denials.engine).engine
    with engine.connect() as connection:
        return [dict(row._mapping) for row in connection.execute(select(table))]


@pytest.mark.parametrize(
    ("period", "before"),
    [
        ("2023", "2022"),
        ("2023-Q1", "2022-Q4"),
        ("2023-Q3", "2023-Q2"),
        ("2023-01", "2022-12"),
        ("2023-07", "2023-06"),
        ("term:2020-2025", "term:2015-2020"),
        ("term:2020-2025/1", "term:2015-2020/1"),
        ("2023-01-01..2023-03-31", "2022-10-03..2022-12-31"),
        ("term:2010-2015", "2005-10-01..2010-09-30"),
    ],
)
def test_the_comparison_is_the_period_just_before(period: str, before: str) -> None:
    assert previous_period(period, parse_period(period)) == before


def test_login_opens_a_server_side_session_named_by_a_random_id(aggregator: TestClient) -> None:
    client = dashboard_client(aggregator)
    response = client.post(
        "/dashboard/login", data={"token": "token-officer", "next": "/dashboard?province=01"}
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/dashboard?province=01"
    cookie = response.headers["set-cookie"]
    session = session_of(client)
    assert cookie.startswith(f"{SESSION_COOKIE}={session};")
    assert "token-officer" not in cookie and len(session) >= 43  # 32 random bytes, base64url
    for attribute in ("HttpOnly", "Path=/", "SameSite=strict", "Max-Age=28800", "Secure"):
        assert attribute in cookie
    page = client.get("/dashboard", params={"province": "01", "period": "2023"})
    assert page.status_code == 200 and "officer-hanoi" in page.text
    # the store keeps the session's hash with the principal: neither the id nor the token
    [stored] = stored_sessions(aggregator)
    assert stored["principal"] == "officer-hanoi"
    assert session not in str(stored) and "token-officer" not in str(stored)
    # a second login in the same browser ends the first session
    client.post("/dashboard/login", data={"token": "token-officer"})
    assert session_of(client) != session and len(stored_sessions(aggregator)) == 1


def test_the_session_keeps_its_credential_sealed_under_the_session_id(
    aggregator: TestClient,
) -> None:
    client = signed_in(aggregator, "token-officer")
    session = session_of(client)
    store = SessionStore(app_of(aggregator).state.denials.engine)
    [kept] = stored_sessions(aggregator, sealed_credentials)
    assert b"token-officer" not in kept["sealed"] and session.encode() not in kept["sealed"]
    assert store.credential_for(session) == "token-officer"
    assert store.credential_for(session[:-1] + ("A" if session[-1] != "A" else "B")) is None
    client.post("/dashboard/logout")
    assert stored_sessions(aggregator, sealed_credentials) == []
    assert store.credential_for(session) is None


def test_the_cookie_is_secure_on_plain_http_too(aggregator: TestClient) -> None:
    client = TestClient(aggregator.app, follow_redirects=False)  # http://testserver
    response = client.post("/dashboard/login", data={"token": "token-auditor"})
    assert response.status_code == 303 and "Secure" in response.headers["set-cookie"]


def test_the_apis_accept_no_cookie(
    aggregator: TestClient, registry: TestClient, dialogue: TestClient
) -> None:
    client = signed_in(aggregator)
    session = session_of(client)
    assert client.get("/dashboard", params={"province": "01"}).status_code in (200, 303)
    for path in ("/followers", "/reports/models", "/security/denials"):
        assert client.get(path).status_code == 401, path
    # nor a token put in the cookie by hand: on the aggregator, the registry and the dialogue
    reads = {aggregator: "/followers", registry: "/events/head", dialogue: "/events/head"}
    for service, path in reads.items():
        for value in ("token-auditor", session):
            bare = TestClient(service.app, base_url=DASHBOARD, cookies={SESSION_COOKIE: value})
            assert bare.get(path).status_code == 401, path
            assert bare.get("/security/denials").status_code == 401
    # a raw token in the cookie is no session on the dashboard either
    forged = dashboard_client(aggregator, cookies={SESSION_COOKIE: "token-auditor"})
    assert forged.get("/dashboard").status_code == 303  # to the login


def test_the_pages_download_links_answer_for_the_session(aggregator: TestClient) -> None:
    client = signed_in(aggregator, "token-officer_badinh")
    params = {"district": "001", "period": "2023", "group_by": "unit"}
    for fmt, media in (("csv", "text/csv"), ("xlsx", "spreadsheetml"), ("json", "json")):
        answer = client.get("/dashboard/reports/models", params={**params, "format": fmt})
        assert answer.status_code == 200 and media in answer.headers["content-type"], fmt
        assert answer.headers["cache-control"] == "no-store"
    # in the reader's scope, exactly as the API answers the same reader
    outside = client.get("/dashboard/reports/kien-nghi", params={"district": "002"}).json()
    api = aggregator.get(
        "/reports/kien-nghi", params={"district": "002"}, headers=bearer("officer_badinh")
    ).json()
    assert outside == api and outside["total"]["received"] == 0
    anonymous = dashboard_client(aggregator).get("/dashboard/reports/models")
    assert anonymous.status_code == 303
    assert anonymous.headers["location"].startswith("/dashboard/login?next=")


def test_signing_out_deletes_the_session_server_side(aggregator: TestClient) -> None:
    client = signed_in(aggregator)
    session = session_of(client)
    out = client.post("/dashboard/logout")
    assert out.status_code == 303 and f'{SESSION_COOKIE}=""' in out.headers["set-cookie"]
    assert stored_sessions(aggregator) == []
    # a copy of the cookie kept from before is worth nothing now
    copy = dashboard_client(aggregator, cookies={SESSION_COOKIE: session})
    assert copy.get("/dashboard", params={"province": "01"}).status_code == 303


def test_a_revoked_token_ends_its_sessions_at_the_next_request(
    aggregator: TestClient, settings: Settings
) -> None:
    tokens = TokenStore(settings.token_path)
    issued = tokens.issue("officer-temporary", Role.OFFICER, ["01"])
    client = signed_in(aggregator, issued)
    page = {"province": "01", "period": "2023"}
    assert client.get("/dashboard", params=page).status_code == 200
    tokens.revoke("officer-temporary")
    assert client.get("/dashboard", params=page).status_code == 303
    assert stored_sessions(aggregator) == []


def test_a_jwt_session_ends_when_the_jwt_expires(settings: Settings, tmp_path: Path) -> None:
    private, public = key_pair()
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps({"keys": [public]}))
    configured = settings.model_copy(
        update={"jwt_jwks": str(jwks), "jwt_issuer": "https://idp.gov.vn", "jwt_audience": "danvan"}
    )
    with TestClient(create_aggregator(configured, {}), base_url=DASHBOARD) as aggregator:
        client = dashboard_client(aggregator)
        expires = int(time.time()) + 600  # well within the working day
        login = client.post("/dashboard/login", data={"token": token(private, exp=expires)})
        assert login.status_code == 303
        max_age = int(login.headers["set-cookie"].split("Max-Age=")[1].split(";")[0])
        assert expires - time.time() - 2 <= max_age <= expires - time.time() + 2
        [stored] = stored_sessions(aggregator)
        assert abs(stored["expires_at"].replace(tzinfo=UTC).timestamp() - expires) < 1
        page = client.get("/dashboard", params={"district": "001", "period": "all"})
        assert page.status_code == 200 and "nguyen.van.a" in page.text
        # an expired JWT signs nobody in; another issuer's neither
        for refused in (token(private, exp=int(time.time()) - 5), token(private, iss="x")):
            answer = dashboard_client(aggregator).post("/dashboard/login", data={"token": refused})
            assert answer.status_code == 401 and "set-cookie" not in answer.headers


def test_citizens_unknown_tokens_and_other_origins_are_refused(aggregator: TestClient) -> None:
    client = dashboard_client(aggregator)
    refused = client.post("/dashboard/login", data={"token": "token-citizen"})
    assert refused.status_code == 403 and "set-cookie" not in refused.headers
    assert "không được dùng bảng điều khiển" in refused.text
    unknown = client.post("/dashboard/login", data={"token": "token-nobody"})
    assert unknown.status_code == 401 and "set-cookie" not in unknown.headers
    foreign = client.post(
        "/dashboard/login",
        data={"token": "token-auditor"},
        headers={"Origin": "https://elsewhere.example"},
    )
    assert foreign.status_code == 403 and "set-cookie" not in foreign.headers
    assert stored_sessions(aggregator) == []
    # a citizen's own token on the pages (the header): refused, and recorded
    page = dashboard_client(aggregator, headers=bearer("citizen"))
    assert page.get("/dashboard?province=01&period=2023").status_code == 403
    denials = aggregator.get("/security/denials").json()
    assert any(d["principal"] == "citizen-1" for d in denials)


def test_the_authorization_header_still_opens_the_pages(aggregator: TestClient) -> None:
    client = dashboard_client(aggregator, headers=bearer("auditor"))
    assert client.get("/dashboard", params={"province": "01", "period": "2023"}).status_code == 200
    wrong = dashboard_client(aggregator, headers={"Authorization": "Bearer wrong"})
    assert wrong.get("/dashboard", params={"province": "01"}).status_code == 303


def test_after_login_only_dashboard_pages(aggregator: TestClient) -> None:
    client = dashboard_client(aggregator)
    for target in ("https://evil.example/x", "//evil.example", "/reports/models"):
        response = client.post("/dashboard/login", data={"token": "token-auditor", "next": target})
        assert response.headers["location"] == "/dashboard"


def test_the_aggregators_address_opens_the_dashboard(aggregator: TestClient) -> None:
    client = TestClient(aggregator.app, follow_redirects=False)
    response = client.get("/")
    assert response.status_code == 307 and response.headers["location"] == "/dashboard"


def test_pages_send_readers_to_the_login_and_back(aggregator: TestClient) -> None:
    client = TestClient(aggregator.app, follow_redirects=False)
    response = client.get("/dashboard/models", params={"province": "31", "lang": "en"})
    assert response.status_code == 303
    assert response.headers["location"] == (
        "/dashboard/login?next=%2Fdashboard%2Fmodels%3Fprovince%3D31%26lang%3Den&lang=en"
    )
    login = client.get(response.headers["location"])
    assert login.status_code == 200 and "Sign in" in login.text


def test_pages_answer_with_security_headers_and_errors_in_html(aggregator: TestClient) -> None:
    client = signed_in(aggregator)
    page = client.get("/dashboard", params={"province": "01", "period": "2023"})
    assert page.status_code == 200
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store"
    assert client.get("/dashboard", params={"province": "99"}).status_code == 404
    assert client.get("/dashboard", params={"period": "someday"}).status_code == 422
    assert client.get("/dashboard/elsewhere").status_code == 404
    empty = client.get("/dashboard")  # no records at all: opens on all time
    assert empty.status_code == 303 and empty.headers["location"].endswith("period=all")


def test_plotly_js_comes_from_the_plotly_package(aggregator: TestClient) -> None:
    client = signed_in(aggregator)
    page = client.get("/dashboard", params={"province": "01", "period": "2023"}).text
    src = page.split('<script src="')[1].split('"')[0]
    script = client.get(src, headers={"Accept-Encoding": "gzip"})
    assert script.status_code == 200 and "plotly.js v" in script.text[:200]
    assert "immutable" in script.headers["cache-control"]

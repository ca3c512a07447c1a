"""The dashboard's login, session cookie and views without a browser: the cookie only reads, the
Authorization header keeps working as before, citizens and foreign redirects are refused, and a
view's comparison period is the one just before."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from services.aggregator.dashboard.view import previous_period
from shared.auth import SESSION_COOKIE
from shared.periods import parse_period
from tests.conftest import bearer


def signed_in(aggregator: TestClient, token: str = "token-auditor") -> TestClient:
    client = TestClient(aggregator.app, follow_redirects=False)
    response = client.post("/dashboard/login", data={"token": token, "next": "/dashboard"})
    assert response.status_code == 303, response.text
    return client


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


def test_login_sets_an_http_only_strict_cookie_that_reads_reports(aggregator: TestClient) -> None:
    client = TestClient(aggregator.app, follow_redirects=False)
    response = client.post(
        "/dashboard/login", data={"token": "token-officer", "next": "/dashboard?province=01"}
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/dashboard?province=01"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=token-officer;")
    for attribute in ("HttpOnly", "Path=/", "SameSite=strict", "Max-Age=28800"):
        assert attribute in cookie
    assert "Secure" not in cookie
    assert client.get("/reports/models", params={"province": "01"}).status_code == 200
    # reads only: a write with the cookie alone is not authenticated
    assert client.post("/dashboard/logout").status_code == 303  # needs no authentication
    assert client.get("/reports/models").status_code == 401


def test_over_https_the_cookie_is_secure(aggregator: TestClient) -> None:
    client = TestClient(
        aggregator.app, base_url="https://dashboard.example", follow_redirects=False
    )
    response = client.post("/dashboard/login", data={"token": "token-auditor"})
    assert "Secure" in response.headers["set-cookie"]


def test_the_cookie_authenticates_reads_only(aggregator: TestClient) -> None:
    client = signed_in(aggregator)
    assert client.get("/followers").status_code == 200
    assert client.post("/followers").status_code in (401, 405)
    cookies = {SESSION_COOKIE: "token-auditor"}
    bare = TestClient(aggregator.app, cookies=cookies)
    assert bare.get("/followers").status_code == 200
    # the header, when there is one, is what counts, exactly as before
    assert bare.get("/followers", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert bare.get("/followers", headers=bearer("citizen")).status_code == 403


def test_citizens_unknown_tokens_and_other_origins_are_refused(aggregator: TestClient) -> None:
    client = TestClient(aggregator.app, follow_redirects=False)
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
    # a citizen's own token on the pages: refused, and recorded
    page = TestClient(aggregator.app, cookies={SESSION_COOKIE: "token-citizen"})
    assert page.get("/dashboard?province=01&period=2023").status_code == 403
    denials = aggregator.get("/security/denials").json()
    assert any(d["principal"] == "citizen-1" for d in denials)


def test_after_login_only_dashboard_pages(aggregator: TestClient) -> None:
    client = TestClient(aggregator.app, follow_redirects=False)
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

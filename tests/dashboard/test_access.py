"""Who may use the dashboard, in Chromium: officers and auditors sign in with a token and get a
server-side session whose id alone is kept in an HttpOnly, Secure, SameSite=Strict cookie
(Chromium keeps Secure cookies from http://127.0.0.1); an officer sees only their scope;
citizens are refused; signing out ends it; English is a click away and stays in every link."""

from __future__ import annotations

import pytest

from tests.dashboard.helpers import Browse, check_cards

pytestmark = pytest.mark.e2e


def test_the_session_cookie_is_http_only_and_strict(browse: Browse) -> None:
    browse.login("auditor")
    cookies = {c["name"]: c for c in browse.page.context.cookies()}
    session = cookies["danvan_session"]
    assert session["httpOnly"] and session["sameSite"] == "Strict" and session["path"] == "/"
    assert session["secure"] is True  # kept on plain http too: 127.0.0.1 is trustworthy
    assert session["value"] != "token-auditor" and len(session["value"]) >= 43
    assert "danvan_session" not in browse.page.evaluate("document.cookie")
    # the cookie opens the dashboard's pages and its download links, not the report API
    assert browse.page.request.get("/dashboard/reports/models?province=01").status == 200
    assert browse.page.request.get("/reports/models?province=01").status == 401


def test_an_officer_of_a_district_sees_only_that_district(browse: Browse) -> None:
    browse.login("officer_badinh")
    assert browse.query() == {"district": "001", "period": "2023"}
    assert "officer-badinh" in browse.text("#reader")
    check_cards(browse, "officer_badinh", district="001", period="2023", compare="2022")
    browse.shot("ba-dinh")

    for other in ("/dashboard?district=002&period=2023", "/dashboard?province=01&period=2023"):
        response = browse.open(other)
        assert response.status == 403
        assert browse.text("#error-heading") == "Không có quyền truy cập"
    browse.shot("refused")
    browse.errors.clear()  # the browser logs the two 403s
    # the page's report links, through the same session, count nothing outside the scope
    answer = browse.page.request.get("/dashboard/reports/models?district=002&period=2023").json()
    assert answer["total"]["registered"] == 0
    everyone = browse.dashboard.report("models", district="002", period="2023")
    assert everyone["total"]["registered"] > 0

    # rolled up onto the 2025 province, still only the district's own records
    browse.open("/dashboard?province=01&structure=2025&period=2023")
    scoped = check_cards(browse, "officer_badinh", province="01", structure="2025", period="2023")
    own = browse.dashboard.report("models", "officer_badinh", district="001", period="2023")
    assert scoped["models"]["total"]["registered"] == own["total"]["registered"]
    assert browse.errors == []


def test_an_officer_of_the_city_opens_on_the_city(browse: Browse) -> None:
    browse.login("officer")
    assert browse.query()["province"] == "01"
    check_cards(browse, "officer", province="01", period="2023", compare="2022")
    browse.open("/dashboard?province=31&period=2022")
    assert browse.text("#error-heading") == "Không có quyền truy cập"


def test_signing_out_ends_the_session(browse: Browse) -> None:
    browse.login("auditor")
    [kept] = [c for c in browse.page.context.cookies() if c["name"] == "danvan_session"]
    browse.click("#logout")
    assert browse.page.url.endswith("/dashboard/login")
    assert not [c for c in browse.page.context.cookies() if c["name"] == "danvan_session"]
    browse.page.context.add_cookies([kept])  # a copy kept from before: the session is gone
    browse.open("/dashboard?province=01&period=2023")
    assert "/dashboard/login" in browse.page.url  # back to the login, then here again
    signed_out = browse.page.request.get("/dashboard/reports/models?province=01", max_redirects=0)
    assert signed_out.status == 303  # to the login
    browse.shot("signed-out")


def test_citizens_and_unknown_tokens_are_refused(browse: Browse) -> None:
    for who, text in (
        ("citizen", "Tài khoản này không được dùng bảng điều khiển"),
        ("nobody", "Mã truy cập không hợp lệ hoặc đã bị thu hồi."),
    ):
        browse.login(who)
        assert text in browse.text("#login-error")
        assert not browse.page.context.cookies()
    browse.shot("refused-citizen")


def test_english_is_one_click_away_and_stays_in_the_links(browse: Browse) -> None:
    browse.login("auditor")
    browse.click("#switch-language")
    assert browse.query()["lang"] == "en"
    assert browse.page.evaluate("document.documentElement.lang") == "en"
    assert browse.text("#card-models .metric") == "Registered"
    body = browse.dashboard.report("models", province="01", period="2023", locale="en")
    assert browse.card("models")["value"] == body["total"]["formatted"]["registered"]
    links = browse.page.locator("nav.areas a, #table-children a.drill").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    assert links and all("lang=en" in link for link in links)
    separators = browse.page.evaluate("document.getElementById('chart-ratios').layout.separators")
    assert separators == ".,"
    browse.click("nav.areas a:text('Dân vận khéo models')")
    assert browse.query()["lang"] == "en"
    browse.shot("english-models")
    assert browse.errors == []

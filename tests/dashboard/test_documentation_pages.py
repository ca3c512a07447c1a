"""The services' Swagger UI and ReDoc pages in Chromium under their Content-Security-Policy:
the CDN files FastAPI names load and the page's inline script runs, with no violation. The CDN
answers are stand-ins (the test has no network): what is tested is the policy, not the UIs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from services.processes import Service, service_env
from shared.settings import Settings

pytestmark = pytest.mark.e2e

STAND_INS = {
    # records the options its page's inline script starts it with
    "swagger-ui-bundle.js": "window.SwaggerUIBundle = function (options) {"
    " document.body.dataset.started = options.url; };"
    " SwaggerUIBundle.presets = {apis: {}}; SwaggerUIBundle.SwaggerUIStandalonePreset = {};",
    "redoc.standalone.js": "document.body.dataset.started = "
    "document.querySelector('redoc').getAttribute('spec-url');",
}
VIOLATIONS = (
    "document.addEventListener('securitypolicyviolation',"
    " e => (window.violations = window.violations || []).push(e.violatedDirective))"
)


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    data = tmp_path_factory.mktemp("documentation")
    settings = Settings(_env_file=None, data_dir=data / "data")
    service = Service("registry", service_env(settings), data).start()
    yield service
    service.stop()


def stand_in(route: Any) -> None:
    url: str = route.request.url
    name = url.rsplit("/", 1)[-1].split("?")[0]
    if name in STAND_INS:
        route.fulfill(body=STAND_INS[name], content_type="text/javascript")
    elif url.startswith("http://127.0.0.1"):
        route.continue_()
    else:
        route.fulfill(body="", content_type="text/css" if ".css" in url else "image/png")


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_the_documentation_pages_run_under_their_policy(
    browser: Any, registry: Service, path: str, tmp_path: Path
) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.route("**/*", stand_in)
    page.add_init_script(VIOLATIONS)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    answer = page.goto(registry.url + path)
    assert (
        answer.status == 200 and "default-src 'none'" in answer.headers["content-security-policy"]
    )
    page.wait_for_selector("body[data-started]", state="attached")
    assert page.evaluate("document.body.dataset.started") == "/openapi.json"
    assert page.evaluate("window.violations || []") == [] and errors == []
    context.close()


def test_an_inline_script_other_than_the_pages_is_refused(browser: Any, registry: Service) -> None:
    """The policy names the page's own script by its hash: a changed one does not run."""
    context = browser.new_context()
    page = context.new_page()

    def tampered(route: Any) -> None:
        served = route.fetch()
        body = served.text().replace("url: '/openapi.json'", "url: '/elsewhere.json'")
        route.fulfill(response=served, body=body)

    page.route("**/*", stand_in)
    page.route(registry.url + "/docs", tampered)
    page.add_init_script(VIOLATIONS)
    page.goto(registry.url + "/docs")
    page.wait_for_function("(window.violations || []).length > 0")
    assert page.evaluate("document.body.dataset.started") is None
    context.close()

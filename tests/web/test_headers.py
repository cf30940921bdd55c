"""Every response carries the security headers: pages, error pages, JSON, feeds, the
original text, static files and redirects alike."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.web.app import create_app
from app.web.headers import CONTENT_SECURITY_POLICY

EXPECTED = {
    "content-security-policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "connect-src 'self'; form-action 'self'; "
        "base-uri 'none'; frame-ancestors 'none'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
}


def _security_headers(response: object) -> dict[str, str]:
    headers = response.headers  # type: ignore[attr-defined]
    return {name: headers.get(name) for name in EXPECTED}


@pytest.mark.parametrize(
    ("path", "status", "content_type"),
    [
        ("/", 200, "text/html; charset=utf-8"),
        ("/c/1", 200, "text/html; charset=utf-8"),
        ("/search?q=降息", 200, "text/html; charset=utf-8"),
        ("/search?q=*x", 400, "text/html; charset=utf-8"),
        ("/search?page=0", 400, "text/html; charset=utf-8"),
        ("/c/99999", 404, "text/html; charset=utf-8"),
        ("/no/such/page", 404, "text/html; charset=utf-8"),
        ("/tickers/NOPE", 404, "text/html; charset=utf-8"),
        ("/timeline/2024/13", 404, "text/html; charset=utf-8"),
        ("/api/search?q=降息", 200, "application/json"),
        ("/api/search?q=*x", 400, "application/json"),
        ("/api/commentaries/99999", 404, "application/json"),
        ("/healthz", 200, "application/json"),
        ("/openapi.json", 200, "application/json"),
        ("/feed.atom", 200, "application/atom+xml; charset=utf-8"),
        ("/search.atom?q=降息", 200, "application/atom+xml; charset=utf-8"),
        ("/tickers/NVDA.atom", 200, "application/atom+xml; charset=utf-8"),
        ("/c/1.txt", 200, "text/plain; charset=utf-8"),
        ("/static/css/site.css", 200, "text/css; charset=utf-8"),
        ("/static/favicon.svg", 200, "image/svg+xml"),
        ("/static/nothing.css", 404, "text/html; charset=utf-8"),
    ],
)
def test_every_response_is_secured(
    client: TestClient, path: str, status: int, content_type: str
) -> None:
    response = client.get(path)
    assert (response.status_code, response.headers["content-type"]) == (status, content_type)
    assert _security_headers(response) == EXPECTED


def test_a_redirect_is_secured(client: TestClient) -> None:
    response = client.get("/tickers/nvda", follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (308, "/tickers/NVDA")
    assert _security_headers(response) == EXPECTED


def test_a_schema_less_database_page_is_secured(settings: Settings) -> None:
    with TestClient(create_app(settings)) as fresh:
        response = fresh.get("/")
    assert response.status_code == 503
    assert _security_headers(response) == EXPECTED


def test_a_server_error_page_is_secured(failing_home: TestClient) -> None:
    response = failing_home.get("/")
    assert response.status_code == 500
    assert "<h1>服务器出错了" in response.text
    assert _security_headers(response) == EXPECTED


INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
LOADED = re.compile(r'<(?:img|script|iframe|link rel="(?:stylesheet|icon)")[^>]*')


@pytest.mark.parametrize(
    "path", ["/", "/c/1?q=降息", "/search?q=降息", "/tickers/NVDA", "/timeline/2024", "/c/99999"]
)
def test_pages_need_nothing_the_policy_forbids(client: TestClient, path: str) -> None:
    """No inline script, style or event handler, and nothing loaded from elsewhere: the
    policy blocks them, so a page that used one would break."""
    html = client.get(path).text
    # Scripts only from our own files: none inline.
    assert re.findall(r"<script[^>]*>(.*?)</script>", html, re.S) == [""]
    assert "<style" not in html
    assert " style=" not in html
    assert INLINE_HANDLER.search(html) is None
    assert [tag for tag in LOADED.findall(html) if "/static/" not in tag] == []
    assert len(LOADED.findall(html)) == 3  # the stylesheet, the icon, the suggestion script


def test_the_api_docs_live_under_the_policy(client: TestClient) -> None:
    """Swagger UI at /docs is served from this site with the same policy as every page,
    started by a script file; FastAPI's CDN page and its OAuth redirect are not served."""
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert docs.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert client.get("/docs/oauth2-redirect").status_code == 404
    assert client.get("/redoc").status_code == 404
    assert client.get("/openapi.json").json()["info"]["title"] == "Commentary Archive"
    assert '<a href="/docs">API</a>' in client.get("/").text

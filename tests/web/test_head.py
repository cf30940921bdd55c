"""HEAD answers like GET without the body, on pages, the API, feeds and static files
(pages whose bytes do not change between requests: a search states how long it took)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.web.headers import CONTENT_SECURITY_POLICY


@pytest.mark.parametrize(
    ("path", "status", "media_type"),
    [
        ("/", 200, "text/html; charset=utf-8"),
        ("/help", 200, "text/html; charset=utf-8"),
        ("/timeline/2024/09", 200, "text/html; charset=utf-8"),
        ("/api/tickers/NVDA", 200, "application/json"),
        ("/tickers/NVDA", 200, "text/html; charset=utf-8"),
        ("/feed.atom", 200, "application/atom+xml; charset=utf-8"),
        ("/timeline/2024", 200, "text/html; charset=utf-8"),
        ("/healthz", 200, "application/json"),
        ("/static/css/site.css", 200, "text/css; charset=utf-8"),
        ("/c/999999", 404, "text/html; charset=utf-8"),
    ],
)
def test_head_is_a_get_without_the_body(
    client: TestClient, path: str, status: int, media_type: str
) -> None:
    got = client.get(path)
    head = client.head(path)
    assert (head.status_code, got.status_code) == (status, status)
    assert head.headers["content-type"] == got.headers["content-type"] == media_type
    assert head.headers["content-length"] == str(len(got.content))
    assert head.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert head.content == b""

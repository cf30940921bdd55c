"""Random and hostile input against every route of the seeded archive: never a server
error, never slower than two seconds, and nothing a request carries comes back as live
markup. The JSON API is also fuzzed from its own OpenAPI description by Schemathesis.

Examples are few, fixed (derandomized) and not stored, so a run takes seconds and every
run tries the same inputs."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import quote

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

SLOWEST = 2.0
FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Markup that would run or change the page if it came back unescaped. Each is checked
# by the part that must never appear as written.
PAYLOADS = {
    "<script>alert(1)</script>": "<script>alert(1)",
    '"><img src=x onerror=alert(1)>': "<img src=x onerror",
    "'><svg onload=alert(1)>": "<svg onload",
    "</textarea><iframe src=javascript:alert(1)>": "<iframe src",
    "</title><b>bold</b>": "<b>bold",
    "<!--<script>x</script>-->": "<!--<script>",
    '" onmouseover="alert(1)': '" onmouseover="alert(1)',
    "javascript:alert(1)": 'href="javascript:',
}

# Letters from every corner that has broken a web app somewhere: CJK in both scripts,
# full-width forms, controls and NUL, bidi overrides, combining marks, query syntax.
ODD = (
    "降息英伟达輝達聯準會ＮＶＤＡ１２３\x00\x01\x1b\x7f\u202e\u202d\u200b\ufeff\u0301"
    "<>\"'&;%/\\?#*()-:$“”「」 \t\n"
)
hostile_text = st.one_of(
    st.text(alphabet=st.characters(codec="utf-8"), max_size=40),
    st.text(alphabet=ODD + "abcXYZ019", max_size=40),
    st.builds(
        lambda before, payload, after: before + payload + after,
        st.text(alphabet=ODD, max_size=8),
        st.sampled_from(sorted(PAYLOADS)),
        st.text(alphabet=ODD, max_size=8),
    ),
)
# Bytes that are no UTF-8 at all, percent-encoded as a URL may carry them.
raw_bytes = st.binary(min_size=1, max_size=12).map(lambda b: "".join(f"%{x:02x}" for x in b))


def _check(response: Any, started: float, sent: str) -> None:
    elapsed = time.perf_counter() - started
    assert response.status_code < 500, (sent, response.status_code)
    assert elapsed < SLOWEST, (sent, elapsed)
    kind = response.headers.get("content-type", "")
    if kind.startswith(("text/html", "application/atom+xml")):
        body = response.text
        for dangerous in PAYLOADS.values():
            assert dangerous not in body, (sent, dangerous)
    if kind.startswith("application/json") and "hits" in response.text:
        for hit in response.json().get("hits", []):
            for snippet in hit["snippets_html"]:
                assert "<" not in snippet.replace("<mark>", "").replace("</mark>", "")


QUERY_ROUTES = [
    ("/search", "q"),
    ("/search", "ticker"),
    ("/search", "from"),
    ("/search", "sort"),
    ("/search", "page"),
    ("/api/search", "q"),
    ("/api/search", "to"),
    ("/search.atom", "q"),
    ("/c/1", "q"),
    ("/tickers", "filter"),
    ("/tickers", "sort"),
    ("/tickers/NVDA", "page"),
    ("/api/commentaries", "ticker"),
    ("/api/commentaries", "from"),
    ("/timeline/undated", "page"),
]
PATH_ROUTES = [
    "/tickers/{}",
    "/tickers/{}.atom",
    "/api/tickers/{}",
    "/c/{}",
    "/c/{}.txt",
    "/api/commentaries/{}",
    "/timeline/{}",
    "/timeline/2024/{}",
    "/timeline/2024/9/{}",
    "/static/{}",
    "/{}",
]


@FUZZ
@given(route=st.sampled_from(QUERY_ROUTES), value=hostile_text)
def test_query_parameters(client: TestClient, route: tuple[str, str], value: str) -> None:
    path, name = route
    started = time.perf_counter()
    response = client.get(path, params={name: value})
    _check(response, started, value)


@FUZZ
@given(template=st.sampled_from(PATH_ROUTES), value=hostile_text.filter(bool))
def test_path_segments(client: TestClient, template: str, value: str) -> None:
    started = time.perf_counter()
    response = client.get(template.format(quote(value, safe="")))
    _check(response, started, value)


@FUZZ
@given(
    template=st.sampled_from(
        ["/search?q={}", "/api/search?q={}", "/c/1?q={}", "/tickers/{}", "/api/tickers/{}"]
    ),
    value=raw_bytes,
)
def test_invalid_utf8(client: TestClient, template: str, value: str) -> None:
    started = time.perf_counter()
    response = client.get(template.format(value))
    _check(response, started, value)


@FUZZ
@given(
    params=st.lists(
        st.tuples(
            st.sampled_from(["q", "ticker", "from", "to", "sort", "page", "per_page", "literal"]),
            hostile_text,
        ),
        max_size=6,
    )
)
def test_parameter_mixtures(client: TestClient, params: list[tuple[str, str]]) -> None:
    for path in ("/search", "/api/search"):
        started = time.perf_counter()
        response = client.get(path, params=params)
        _check(response, started, repr(params))


@pytest.mark.parametrize("payload", sorted(PAYLOADS))
def test_every_payload_everywhere(client: TestClient, payload: str) -> None:
    """The fixed payloads through every input at least once, whatever Hypothesis picks."""
    for path, name in QUERY_ROUTES:
        started = time.perf_counter()
        _check(client.get(path, params={name: payload}), started, payload)
    for template in PATH_ROUTES:
        started = time.perf_counter()
        _check(client.get(template.format(quote(payload, safe=""))), started, payload)


# Every operation /openapi.json describes; tests/web/test_api.py checks the list is whole.
API_PATHS = [
    "/api/home",
    "/api/search",
    "/api/commentaries",
    "/api/commentaries/{commentary_id}",
    "/api/suggest",
    "/api/tickers",
    "/api/tickers/{symbol}",
    "/api/timeline",
    "/api/timeline/undated",
    "/api/timeline/{year}",
    "/api/timeline/{year}/{month}",
    "/api/timeline/{year}/{month}/{day}",
    "/healthz",
]


def test_every_operation_is_fuzzed(client: TestClient) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    assert sorted(schema) == sorted(API_PATHS)


# Invalid requests are made of invalid parameters: these operations take none.
WITHOUT_PARAMETERS = {"/api/home", "/api/timeline", "/healthz"}


@pytest.mark.parametrize(
    ("path", "mode"),
    [(path, GenerationMode.POSITIVE) for path in API_PATHS]
    + [(path, GenerationMode.NEGATIVE) for path in API_PATHS if path not in WITHOUT_PARAMETERS],
)
def test_api_matches_its_description(client: TestClient, path: str, mode: GenerationMode) -> None:
    """Requests built from /openapi.json for each operation, valid and invalid: answers
    within the time, with a documented status, content type and body."""
    operation = schemathesis.openapi.from_asgi("/openapi.json", client.app)[path]["GET"]

    @settings(FUZZ, max_examples=30)
    @given(case=operation.as_strategy(mode))
    def call(case: Any) -> None:
        started = time.perf_counter()
        response = case.call()
        assert time.perf_counter() - started < SLOWEST, case
        case.validate_response(
            response,
            checks=[
                not_a_server_error,
                status_code_conformance,
                content_type_conformance,
                response_schema_conformance,
            ],
        )

    call()

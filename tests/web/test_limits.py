"""Hostile and absurd requests: out-of-range parameters, expensive queries, path
parameters that name nothing, and paths that try to leave static/. Each gets a 400 or a
404 that says why, never a 500."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import unquote

import anyio
import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from app.web.app import STATIC_DIR

BIG = "99999999999999999999"
NOT_FOUND = "这个地址没有对应的页面，可能是链接写错了，或者内容已被移除。"


def _error(response: Any) -> tuple[int, str]:
    """Status and the reader-facing message of an HTML error page."""
    start = response.text.index('<p class="error">') + len('<p class="error">')
    return response.status_code, response.text[start : response.text.index("</p>", start)]


@pytest.mark.parametrize(
    ("params", "detail"),
    [
        ({"page": 0}, "page: Input should be greater than or equal to 1"),
        ({"page": -1}, "page: Input should be greater than or equal to 1"),
        ({"page": 1001}, "page: Input should be less than or equal to 1000"),
        ({"page": 10**9}, "page: Input should be less than or equal to 1000"),
        ({"page": BIG}, "page: Input should be less than or equal to 1000"),
        (
            {"page": "1e3"},
            "page: Input should be a valid integer, unable to parse string as an integer",
        ),
        ({"per_page": 0}, "per_page: Input should be greater than or equal to 1"),
        ({"per_page": 1000}, "per_page: Input should be less than or equal to 100"),
        ({"per_page": -5}, "per_page: Input should be greater than or equal to 1"),
    ],
)
def test_search_paging_out_of_range(
    client: TestClient, params: dict[str, object], detail: str
) -> None:
    api = client.get("/api/search", params={"q": "降息", **params})
    assert (api.status_code, api.json()) == (400, {"error": "invalid request", "detail": detail})
    page = client.get("/search", params={"q": "降息", **params})
    assert _error(page) == (400, f"请求参数有误：{detail}")


@pytest.mark.parametrize(
    ("params", "detail"),
    [
        (
            {"from": "0000-01-01"},
            "invalid date in from:0000-01-01 (use YYYY-MM-DD, YYYY-MM or YYYY)",
        ),
        (
            {"from": "99999-01-01"},
            "invalid date in from:99999-01-01 (use YYYY-MM-DD, YYYY-MM or YYYY)",
        ),
        ({"to": "2024-02-30"}, "invalid date in to:2024-02-30 (use YYYY-MM-DD, YYYY-MM or YYYY)"),
        ({"to": "2024-13"}, "invalid date in to:2024-13 (use YYYY-MM-DD, YYYY-MM or YYYY)"),
        (
            {"q": "from:0000-01-01"},
            "invalid date in from:0000-01-01 (use YYYY-MM-DD, YYYY-MM or YYYY)",
        ),
        ({"q": "year:99999"}, "invalid year in year:99999 (use YYYY)"),
        ({"q": "*的"}, "a word cannot start with a wildcard: *的"),
        ({"q": "a* b* c* d* e*"}, "the query has too many wildcards (at most 4)"),
        ({"q": "的* 是* 在* 了* 和*"}, "the query has too many wildcards (at most 4)"),
        (
            {"q": '"' + " ".join(f"w{i}" for i in range(33)) + '"'},
            "the query has too many words (at most 32)",
        ),
        ({"q": " ".join(f"w{i}" for i in range(33))}, "the query has too many words (at most 32)"),
        ({"q": "\x00"}, "the query has no searchable words"),
        ({"q": "\u202e"}, "the query has no searchable words"),
        ({"ticker": "x" * 2000}, f"unknown ticker '{'x' * 2000}'"),
    ],
)
def test_unusable_searches_are_a_400_that_says_why(
    client: TestClient, params: dict[str, str], detail: str
) -> None:
    api = client.get("/api/search", params=params)
    assert (api.status_code, api.json()) == (400, {"error": "bad query", "detail": detail})
    page = client.get("/search", params=params)
    assert page.status_code == 400
    assert f'<p class="error" role="alert">查询无法执行：{escape(detail)}</p>' in page.text


@pytest.mark.parametrize("q", ["*", "a*", "的*", "a* b* c* d*", "降息 OR 英伟达*"])
def test_wildcards_within_the_limit_run(client: TestClient, q: str) -> None:
    response = client.get("/api/search", params={"q": q})
    assert response.status_code == 200


def test_a_page_past_the_results_says_so(client: TestClient) -> None:
    api = client.get("/api/search", params={"q": "降息", "page": 1000}).json()
    assert (api["total"], api["page"], api["hits"]) == (5, 1000, [])
    html = client.get("/search", params={"q": "降息", "page": 1000}).text
    assert (
        '<p class="empty">第 1000 页超出了结果范围：共 1 页。'
        '<a href="/search?q=%E9%99%8D%E6%81%AF">看最后一页</a></p>'
    ) in html
    assert "没有找到匹配的评论" not in html


@pytest.mark.parametrize(
    ("path", "message"),
    [
        (
            "/tickers/NVDA?page=99",
            '第 99 页超出了结果范围：共 1 页。<a href="/tickers/NVDA?page=1">',
        ),
        ("/timeline/2024/09?page=5", '第 5 页超出了结果范围：共 1 页。<a href="?page=1">'),
        ("/timeline/2024/09/14?page=2", '第 2 页超出了结果范围：共 1 页。<a href="?page=1">'),
        ("/timeline/undated?page=7", '第 7 页超出了结果范围：共 1 页。<a href="?page=1">'),
    ],
)
def test_listings_past_their_last_page_say_so(client: TestClient, path: str, message: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert f'<p class="empty">{message}看最后一页</a></p>' in response.text
    for empty in ("还没有评论提到", "这段时间没有评论", "所有评论都注明了日期"):
        assert empty not in response.text


def test_a_word_repeated_is_searched_once(client: TestClient) -> None:
    """降息 written 250 times unspaced (500 characters) or 32 times spaced means 降息: the
    same hits with the same scores. An intersection of 250 copies (35 s on 2,000
    commentaries) would add up 250 scores per hit."""

    def scored(q: str) -> list[tuple[int, float]]:
        response = client.get("/api/search", params={"q": q})
        assert response.status_code == 200
        return [(h["id"], h["score"]) for h in response.json()["hits"]]

    once = scored("降息")
    assert len(once) == 5
    assert scored("降息" * 250) == once
    assert scored(" ".join(["降息"] * 32)) == once
    assert scored(" OR ".join(["降息"] * 16)) == once


def test_a_ticker_repeated_a_thousand_times_is_one_filter(client: TestClient) -> None:
    repeated = client.get("/api/search", params=[("ticker", "NVDA")] * 1000)
    once = client.get("/api/search", params={"ticker": "NVDA"})
    assert repeated.status_code == 200
    assert repeated.json()["hits"] == once.json()["hits"]


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/c/0", "no commentary 0"),
        ("/c/2147483648", "no commentary 2147483648"),
        (f"/c/{BIG}", f"no commentary {BIG}"),
        (f"/c/{BIG}.txt", f"no commentary {BIG}"),
        ("/c/abc", NOT_FOUND),
        ("/c/-1", NOT_FOUND),
        ("/c/1.5", NOT_FOUND),
        ("/timeline/0", "no such date: 0"),
        ("/timeline/99999", "no such date: 99999"),
        (f"/timeline/{BIG}", f"no such date: {BIG}"),
        ("/timeline/2024/13", "no such date: 2024/13"),
        ("/timeline/2024/0", "no such date: 2024/0"),
        ("/timeline/2024/2/30", "no such date: 2024/2/30"),
        (f"/timeline/2024/{BIG}", f"no such date: 2024/{BIG}"),
        (f"/timeline/2024/2/{BIG}", f"no such date: 2024/2/{BIG}"),
        ("/timeline/-1", NOT_FOUND),
        ("/timeline/2024/x", NOT_FOUND),
        ("/tickers/%00", "词典里没有代码或名称为“\x00”的标的。"),
        ("/tickers/%ff%fe", "词典里没有代码或名称为“\ufffd\ufffd”的标的。"),
        ("/tickers/" + "x" * 2000, f"词典里没有代码或名称为“{'x' * 2000}”的标的。"),
        ("/tickers/..%2f..%2fpyproject.toml", NOT_FOUND),
    ],
)
def test_path_parameters_that_name_nothing_are_404(
    client: TestClient, path: str, message: str
) -> None:
    response = client.get(path)
    assert _error(response) == (404, message)


@pytest.mark.parametrize(
    ("path", "error"),
    [
        (f"/api/commentaries/{BIG}", f"no commentary {BIG}"),
        ("/api/commentaries/0", "no commentary 0"),
        ("/api/commentaries/-1", NOT_FOUND),
    ],
)
def test_api_paths_that_name_nothing_are_404(client: TestClient, path: str, error: str) -> None:
    response = client.get(path)
    assert (response.status_code, response.json()) == (404, {"error": error, "detail": None})


@pytest.mark.parametrize(
    ("params", "detail"),
    [
        ({"page": BIG}, "page: Input should be less than or equal to 10000"),
        ({"per_page": 0}, "per_page: Input should be greater than or equal to 1"),
    ],
)
def test_api_listing_limits(client: TestClient, params: dict[str, str], detail: str) -> None:
    response = client.get("/api/commentaries", params=params)
    assert (response.status_code, response.json()) == (
        400,
        {"error": "invalid request", "detail": detail},
    )


def _raw_get(app: Any, target: str) -> tuple[int, bytes]:
    """Send ``target`` as written, the way uvicorn hands it to the app (``path``
    percent-decoded, dot segments kept): HTTP clients would tidy it first."""
    raw_path, _, query = target.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "server": ("testserver", 80),
        "client": ("127.0.0.1", 50000),
        "root_path": "",
        "path": unquote(raw_path),
        "raw_path": raw_path.encode("ascii"),
        "query_string": query.encode("ascii"),
        "headers": [(b"host", b"testserver")],
    }
    sent: list[dict[str, Any]] = []
    requested = False

    async def main() -> None:
        done = anyio.Event()

        async def receive() -> dict[str, Any]:
            nonlocal requested
            if not requested:
                requested = True
                return {"type": "http.request", "body": b"", "more_body": False}
            await done.wait()
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                done.set()

        await app(scope, receive, send)

    # In a thread of its own: a session fixture (Playwright) may hold this thread's loop.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(anyio.run, main).result()
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, body


@pytest.mark.parametrize(
    "target",
    [
        "/static/../app/config.py",
        "/static/../../etc/passwd",
        "/static/..%2f..%2fpyproject.toml",
        "/static/%2e%2e/pyproject.toml",
        "/static/%2e%2e/%2e%2e/etc/passwd",
        "/static/css/../../pyproject.toml",
        "/static/..%5cpyproject.toml",
        "/static//etc/passwd",
        "/static/%2fetc%2fpasswd",
        "/static/css/site.css%00",
        "/static/css/site.css%00.txt",
        "/static/%00",
        "/static/",
        "/static/css",
        "/static/" + "a" * 5000,
    ],
)
def test_static_files_stay_inside_static(client: TestClient, target: str) -> None:
    status, body = _raw_get(client.app, target)
    assert status == 404
    assert "这个地址没有对应的页面".encode() in body


def test_static_files_are_served(client: TestClient) -> None:
    status, body = _raw_get(client.app, "/static/css/../favicon.svg")
    assert status == 200
    assert body == (STATIC_DIR / "favicon.svg").read_bytes()


def test_static_has_no_symlinks_to_follow() -> None:
    assert [p for p in STATIC_DIR.rglob("*") if p.is_symlink()] == []


def test_the_description_lists_the_errors_the_api_gives(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    statuses = {
        path: sorted(operation["responses"])
        for path, ops in document["paths"].items()
        for operation in ops.values()
    }
    assert statuses == {
        "/api/commentaries": ["200", "400"],
        "/api/commentaries/{commentary_id}": ["200", "400", "404"],
        "/api/search": ["200", "400", "503"],
        "/api/suggest": ["200", "400"],
        "/api/tickers": ["200", "400"],
        "/api/tickers/{symbol}": ["200", "400", "404"],
        "/api/timeline": ["200"],
        "/healthz": ["200", "503"],
    }
    assert document["components"]["schemas"]["ErrorBody"]["required"] == ["error", "detail"]
    assert "HTTPValidationError" not in document["components"]["schemas"]

"""The typed API: its OpenAPI description, the one error shape on every JSON route, the
JSON twin of every page, empty periods, and the documentation page at /docs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient

from app.config import Settings
from app.db import upgrade
from app.web.app import create_app
from app.web.errors import ErrorBody, ErrorCode
from tests.conftest import SEED_000, SEED_001, SEED_002, SEED_003, SEED_004, without_index

BIG = "99999999999999999999"
JSON_ROUTES = {
    "/api/home": ["200", "503"],
    "/api/search": ["200", "400", "503"],
    "/api/commentaries": ["200", "400", "503"],
    "/api/commentaries/{commentary_id}": ["200", "404", "503"],
    "/api/suggest": ["200", "400", "503"],
    "/api/tickers": ["200", "400", "503"],
    "/api/tickers/{symbol}": ["200", "308", "400", "404", "503"],
    "/api/timeline": ["200", "503"],
    "/api/timeline/undated": ["200", "400", "503"],
    "/api/timeline/{year}": ["200", "404", "503"],
    "/api/timeline/{year}/{month}": ["200", "400", "404", "503"],
    "/api/timeline/{year}/{month}/{day}": ["200", "400", "404", "503"],
    "/healthz": ["200", "503"],
}


def _document(client: TestClient) -> dict[str, Any]:
    document: dict[str, Any] = client.get("/openapi.json").json()
    return document


def test_the_description_lists_every_json_route_and_its_answers(client: TestClient) -> None:
    statuses = {
        path: sorted(operation["responses"])
        for path, ops in _document(client)["paths"].items()
        for operation in ops.values()
    }
    assert statuses == JSON_ROUTES
    schemas = _document(client)["components"]["schemas"]
    assert schemas["ErrorBody"]["required"] == ["error", "message", "detail"]
    assert schemas["ErrorCode"]["enum"] == [code.value for code in ErrorCode]
    assert "HTTPValidationError" not in schemas


def test_the_description_validates(client: TestClient) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    schema.validate()
    assert _document(client)["openapi"].startswith("3.")


def test_every_answer_has_a_schema_and_every_field_a_description(client: TestClient) -> None:
    document = _document(client)
    groups = {tag["name"] for tag in document["tags"]}
    for path, ops in document["paths"].items():
        for operation in ops.values():
            assert operation.get("summary") and operation.get("description"), path
            assert len(operation.get("tags", [])) == 1, path
            assert set(operation["tags"]) <= groups, path
            for parameter in operation.get("parameters", []):
                assert parameter.get("description"), (path, parameter["name"])
            for status, answer in operation["responses"].items():
                if status == "308":
                    assert "content" not in answer
                    continue
                schema = answer["content"]["application/json"]["schema"]
                assert schema != {}, (path, status)
                assert "$ref" in schema or schema.get("items", {}).get("$ref"), (path, status)
    undescribed = [
        f"{name}.{field}"
        for name, model in document["components"]["schemas"].items()
        for field, spec in model.get("properties", {}).items()
        if not spec.get("description")
    ]
    assert undescribed == []


ERROR_CASES = [
    # 400: a parameter out of range, or a query, date or ticker that cannot be used.
    ("/api/search?page=0", 400, ErrorCode.BAD_REQUEST),
    ("/api/search?q=*abc", 400, ErrorCode.BAD_QUERY),
    ("/api/search?ticker=NOPE", 400, ErrorCode.BAD_QUERY),
    ("/api/commentaries?per_page=101", 400, ErrorCode.BAD_REQUEST),
    ("/api/commentaries?from=soon", 400, ErrorCode.BAD_QUERY),
    ("/api/tickers?sort=price", 400, ErrorCode.BAD_REQUEST),
    ("/api/tickers/NVDA?page=0", 400, ErrorCode.BAD_REQUEST),
    ("/api/timeline/undated?page=x", 400, ErrorCode.BAD_REQUEST),
    ("/api/timeline/2024/09?page=0", 400, ErrorCode.BAD_REQUEST),
    ("/api/timeline/2024/09/14?page=10001", 400, ErrorCode.BAD_REQUEST),
    # 404: nothing by that id, symbol or date; a period with nothing in it.
    ("/api/commentaries/0", 404, ErrorCode.NOT_FOUND),
    (f"/api/commentaries/{BIG}", 404, ErrorCode.NOT_FOUND),
    ("/api/tickers/NVDX", 404, ErrorCode.UNKNOWN_TICKER),
    ("/api/timeline/1999", 404, ErrorCode.EMPTY_PERIOD),
    ("/api/timeline/0", 404, ErrorCode.NOT_FOUND),
    ("/api/timeline/2024/02", 404, ErrorCode.EMPTY_PERIOD),
    ("/api/timeline/2024/13", 404, ErrorCode.NOT_FOUND),
    ("/api/timeline/2024/09/15", 404, ErrorCode.EMPTY_PERIOD),
    ("/api/timeline/2024/02/30", 404, ErrorCode.NOT_FOUND),
    ("/api/nowhere", 404, ErrorCode.NOT_FOUND),
]


def _operation(document: dict[str, Any], path: str) -> dict[str, Any] | None:
    """The described operation a concrete path belongs to."""
    for template, ops in document["paths"].items():
        pattern = re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path.split("?")[0]):
            operation: dict[str, Any] = ops["get"]
            return operation
    return None


def _assert_error(response: Any, status: int, code: ErrorCode) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body: dict[str, Any] = response.json()
    assert list(body) == ["error", "message", "detail"]
    assert ErrorBody.model_validate(body).error == code
    assert re.search(r"[\u4e00-\u9fff]", body["message"]), body["message"]
    return body


@pytest.mark.parametrize(("path", "status", "code"), ERROR_CASES)
def test_every_error_has_one_shape(
    client: TestClient, path: str, status: int, code: ErrorCode
) -> None:
    _assert_error(client.get(path), status, code)
    operation = _operation(_document(client), path)
    if operation is not None:
        assert str(status) in operation["responses"], path


def test_a_bad_request_names_each_parameter(client: TestClient) -> None:
    body = _assert_error(
        client.get("/api/commentaries", params={"page": 0, "per_page": "many"}),
        400,
        ErrorCode.BAD_REQUEST,
    )
    assert body == {
        "error": "bad_request",
        "message": "请求参数有误：页码 page 至少为 1；每页条数 per_page 必须是整数",
        "detail": [
            {"parameter": "page", "message": "页码 page 至少为 1"},
            {"parameter": "per_page", "message": "每页条数 per_page 必须是整数"},
        ],
    }


def test_an_unknown_ticker_suggests_close_ones(client: TestClient) -> None:
    body = _assert_error(client.get("/api/tickers/NVDX"), 404, ErrorCode.UNKNOWN_TICKER)
    assert body["message"] == "词典里没有代码或名称为“NVDX”的标的。"
    assert body["detail"]["suggestions"][:2] == ["NDX", "NVDA"]


def test_other_methods_are_refused_in_the_same_shape(client: TestClient) -> None:
    response = client.post("/api/search")
    body = _assert_error(response, 405, ErrorCode.METHOD_NOT_ALLOWED)
    assert body["message"] == "这个地址只能用 GET 请求读取。"
    assert response.headers["allow"] == "GET"


DATABASE_ROUTES = [
    "/api/home",
    "/api/suggest?q=nv",
    "/api/commentaries",
    "/api/commentaries/1",
    "/api/tickers",
    "/api/tickers/NVDA",
    "/api/timeline",
    "/api/timeline/undated",
    "/api/timeline/2024",
    "/api/timeline/2024/09",
    "/api/timeline/2024/09/14",
]
NO_SCHEMA = "the database has no schema yet: run `alembic upgrade head` or `archive ingest`"


@pytest.fixture
def unmigrated(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as fresh:
        yield fresh


def test_an_unusable_database_is_a_503_everywhere(unmigrated: TestClient) -> None:
    document = _document(unmigrated)
    for path in DATABASE_ROUTES:
        body = _assert_error(unmigrated.get(path), 503, ErrorCode.DATABASE_UNAVAILABLE)
        assert body["detail"] == {"reason": NO_SCHEMA}, path
        operation = _operation(document, path)
        assert operation is not None and "503" in operation["responses"], path
    page = unmigrated.get("/timeline")
    assert page.status_code == 503
    assert '<p class="error">档案数据库暂时不可用，请稍后再试。</p>' in page.text
    assert "给管理员：<code>" in page.text


def test_a_missing_index_is_a_503(settings: Settings) -> None:
    upgrade(settings)
    reason = without_index(settings)
    with TestClient(create_app(settings)) as fresh:
        body = _assert_error(fresh.get("/api/search?q=降息"), 503, ErrorCode.INDEX_UNAVAILABLE)
        assert body["message"] == "搜索索引暂时不可用，请稍后再试。"
        assert body["detail"]["reason"] == reason
        page = fresh.get("/search?q=降息")
    assert page.status_code == 503
    assert "搜索索引暂时不可用，请稍后再试。" in page.text


def test_empty_periods_point_at_the_nearest_with_commentaries(client: TestClient) -> None:
    def link(period: str, label: str, count: int) -> dict[str, Any]:
        path = "/timeline/" + period.replace("-", "/")
        return {
            "period": period,
            "label": label,
            "count": count,
            "url": path,
            "api_url": f"/api{path}",
        }

    year = _assert_error(client.get("/api/timeline/1999"), 404, ErrorCode.EMPTY_PERIOD)
    assert year == {
        "error": "empty_period",
        "message": "1999年没有评论。",
        "detail": {"earlier": None, "later": link("2024", "2024年", 1)},
    }
    month = client.get("/api/timeline/2024/12").json()
    assert month["message"] == "2024年12月没有评论。"
    assert month["detail"] == {
        "earlier": link("2024-09", "2024年9月", 1),
        "later": link("2025-01", "2025年1月", 1),
    }
    day = client.get("/api/timeline/2030/1/1").json()
    assert day["detail"] == {"earlier": link("2025-01-20", "2025年1月20日", 1), "later": None}
    page = client.get("/timeline/2024/12")
    assert page.status_code == 404
    assert '<p class="error">2024年12月没有评论。</p>' in page.text
    assert '<a rel="prev" href="/timeline/2024/09">← 2024年9月（1 篇）</a>' in page.text
    assert '<a rel="next" href="/timeline/2025/01">2025年1月（1 篇） →</a>' in page.text
    assert (
        '<link rel="alternate" type="application/json" href="/api/timeline/2024/12">' in page.text
    )


def _cards(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<h2><a href="/c/(\d+)">', html)]


def _twin(html: str) -> str:
    (found,) = re.findall(r'<link rel="alternate" type="application/json" href="([^"]+)">', html)
    return found.replace("&amp;", "&")


def test_every_page_links_its_json_twin(client: TestClient, seed_ids: dict[str, int]) -> None:
    doc = seed_ids[SEED_003]
    pages = {
        "/": "/api/home",
        "/search?q=%E9%99%8D%E6%81%AF&sort=newest": "/api/search?q=%E9%99%8D%E6%81%AF&sort=newest",
        f"/c/{doc}?q=NVDA": f"/api/commentaries/{doc}",
        "/tickers?sort=symbol": "/api/tickers?sort=symbol",
        "/tickers/NVDA?page=1": "/api/tickers/NVDA?page=1",
        "/timeline": "/api/timeline",
        "/timeline/2025": "/api/timeline/2025",
        "/timeline/2024/09": "/api/timeline/2024/09",
        "/timeline/2025/1/20?page=1": "/api/timeline/2025/1/20?page=1",
        "/timeline/undated": "/api/timeline/undated",
    }
    for page, twin in pages.items():
        html = client.get(page).text
        assert _twin(html) == twin, page
        assert client.get(twin).status_code == 200, twin
    for alone in ("/help", "/docs"):
        assert 'type="application/json"' not in client.get(alone).text


def test_twins_hold_what_their_pages_show(client: TestClient, seed_ids: dict[str, int]) -> None:
    home = client.get("/api/home").json()
    assert [c["id"] for c in home["latest"]] == _cards(client.get("/").text)
    assert home["stats"] == {
        "commentaries": 5,
        "dated": 2,
        "first": "2024-09-14",
        "last": "2025-01-20",
    }
    assert (home["tickers"], home["recent_from"]) == (58, "2024-12-22")
    assert [t["symbol"] for t in home["recent"]] == [
        "IXIC",
        "META",
        "MSFT",
        "TSLA",
        "9984.T",
        "AMD",
        "ORCL",
    ]
    assert home["recent"][0] == {"symbol": "IXIC", "name": "纳斯达克综合指数", "mentions": 3}

    year = client.get("/api/timeline/2025").json()
    assert year == {
        "year": 2025,
        "count": 1,
        "months": [{"month": "2025-01", "count": 1}],
        "days": [{"date": "2025-01-20", "count": 1}],
        "earlier": {
            "period": "2024",
            "label": "2024年",
            "count": 1,
            "url": "/timeline/2024",
            "api_url": "/api/timeline/2024",
        },
        "later": None,
    }
    month = client.get("/api/timeline/2024/09").json()
    assert [c["id"] for c in month["items"]] == [seed_ids[SEED_000]]
    assert (month["period"], month["label"], month["kind"], month["total"]) == (
        "2024-09",
        "2024年9月",
        "month",
        1,
    )
    assert month["earlier"] is None and month["later"]["url"] == "/timeline/2025/01"
    day = client.get("/api/timeline/2025/01/20").json()
    assert [c["id"] for c in day["items"]] == [seed_ids[SEED_003]]
    assert (day["period"], day["kind"]) == ("2025-01-20", "day")
    assert day["earlier"]["url"] == "/timeline/2024/09/14"
    undated = client.get("/api/timeline/undated").json()
    expected = sorted((seed_ids[SEED_001], seed_ids[SEED_002], seed_ids[SEED_004]), reverse=True)
    assert [c["id"] for c in undated["items"]] == expected
    assert (undated["total"], undated["page"], undated["per_page"]) == (3, 1, 50)
    assert _cards(client.get("/timeline/undated").text) == expected


def test_the_docs_are_served_from_this_site(client: TestClient) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    html = response.text
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert [(re.search(r'src="([^"]+)"', a)[1], body) for a, body in scripts] == [  # type: ignore[index]
        ("/docs/ui/swagger-ui-bundle.js", ""),
        ("/static/js/api-docs.js", ""),
    ]
    assert 'data-openapi-url="/openapi.json"' in html
    assert " style=" not in html and "<style" not in html
    for asset, kind in (
        ("/docs/ui/swagger-ui-bundle.js", "text/javascript"),
        ("/docs/ui/swagger-ui.css", "text/css"),
        ("/static/js/api-docs.js", "text/javascript"),
    ):
        served = client.get(asset)
        assert served.status_code == 200, asset
        assert served.headers["content-type"].startswith(kind), asset
    external = re.findall(r'(?:src|href)="(https?://(?!testserver)[^"]+)"', html)
    assert external == []
    assert '<a href="/docs">API</a>' in client.get("/").text

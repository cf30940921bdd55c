"""``/api/suggest``: what the search box offers while a reader types, over the seeded
archive and over small archives built for one ranking rule each."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from app.text.pinyin import readings, search_key
from app.web.app import create_app
from app.web.queries import suggest as suggest_module
from app.web.queries import suggest_index
from app.web.queries.suggest_index import codes
from tests.conftest import SEED_000, SEED_001, SEED_002, SEED_003, SEED_004, build_archive

NVDA = {
    "kind": "instrument",
    "label": "英伟达",
    "symbol": "NVDA",
    "name": "Nvidia",
    "category": "股票",
    "matched": None,
    "mentions": 34,
    "url": "/tickers/NVDA",
}


def _suggest(client: TestClient, q: str) -> list[dict[str, Any]]:
    response = client.get("/api/suggest", params={"q": q})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["q"] == q
    found: list[dict[str, Any]] = body["suggestions"]
    return found


def _symbols(client: TestClient, q: str) -> list[str]:
    return [s["symbol"] for s in _suggest(client, q) if s["kind"] == "instrument"]


def _title_ids(client: TestClient, q: str) -> list[int]:
    return [s["id"] for s in _suggest(client, q) if s["kind"] == "title"]


@pytest.mark.parametrize("typed", ["英伟", "英伟达", "ywd", "yingweida", "ying wei da", "nvda"])
def test_nvidia_by_name_pinyin_initials_and_symbol(client: TestClient, typed: str) -> None:
    assert _suggest(client, typed) == [NVDA]


def test_other_names_say_what_matched(client: TestClient) -> None:
    # A name in the other script is shown; the English name and the symbol are already.
    assert _suggest(client, "輝達") == [{**NVDA, "matched": "輝達"}]
    assert _suggest(client, "Nvidia") == [NVDA]
    assert _suggest(client, "茅台")[0]["matched"] == "茅台"


def test_nv_begins_nvidia_first_as_the_most_mentioned(client: TestClient) -> None:
    symbols = _symbols(client, "NV")
    assert symbols[:3] == ["NVDA", "NVO", "NVR"]
    assert len(symbols) == 8


def test_tsmc_in_traditional_script_and_by_its_code(client: TestClient) -> None:
    found = _suggest(client, "台積電")
    assert [(s["symbol"], s["label"], s["url"]) for s in found] == [
        ("2330.TW", "台積電", "/tickers/2330.TW"),
        ("TSM", "台积电", "/tickers/TSM"),
    ]
    assert _symbols(client, "台积电") == ["2330.TW", "TSM"]
    # The code itself first (TSMC before the small 2330.HK), then codes that hold it.
    assert _symbols(client, "2330") == ["2330.TW", "2330.HK", "012330.KS", "002330.SZ"]


def test_moutai_by_code_name_and_initials(client: TestClient) -> None:
    for typed in ("600519", "茅台", "贵州茅台", "gzmt", "guizhoumaotai"):
        assert _symbols(client, typed) == ["600519.SS"], typed
    assert _symbols(client, "60051")[0] == "600519.SS"


def test_hong_kong_codes_with_or_without_zeros(client: TestClient) -> None:
    for typed in ("700", "0700", "00700"):
        assert _symbols(client, typed)[0] == "0700.HK", typed


def test_polyphonic_characters_read_as_in_the_word(client: TestClient) -> None:
    assert _symbols(client, "zhaoshangyinhang") == ["600036.SS", "3968.HK"]
    assert _symbols(client, "zsyh")[:2] == ["600036.SS", "3968.HK"]
    assert _symbols(client, "zhaoshangyinxing") == []


def test_titles_by_a_word(client: TestClient, seed_ids: dict[str, int]) -> None:
    weekend = seed_ids[SEED_000]
    assert _suggest(client, "周末特辑") == [
        {
            "kind": "title",
            "label": "2024年9月14日周末特辑:SPY收复失地,小盘股抢跑降息;FOMC真的会降50个基点吗,"
            "OpenAI新模型对行业又意味着什么?附本周操作总结",
            "id": weekend,
            "date": "2024年9月14日",
            "url": f"/c/{weekend}",
        }
    ]
    # Inside titles: the dated one before the undated one.
    assert _title_ids(client, "市场") == [seed_ids[SEED_003], seed_ids[SEED_001]]
    # A title that begins with the word comes before one that holds it.
    assert _title_ids(client, "AI") == [seed_ids[SEED_004], weekend]
    assert _title_ids(client, "科技") == [seed_ids[SEED_002]]


def test_instruments_come_before_titles_within_their_limits(client: TestClient) -> None:
    found = _suggest(client, "AI")
    kinds = [s["kind"] for s in found]
    assert kinds == ["instrument"] * 8 + ["title"] * 2
    assert _symbols(client, "AI")[0] == "AI"  # the symbol itself


@pytest.mark.parametrize("typed", ["", "   ", "%", "_", "%%", "'", "🚀", "x" * 100, "\u200b"])
def test_nothing_to_offer(client: TestClient, typed: str) -> None:
    assert _suggest(client, typed) == []


def test_no_query_at_all(client: TestClient) -> None:
    response = client.get("/api/suggest")
    assert response.status_code == 200
    assert response.json() == {"q": "", "suggestions": []}


def test_a_long_query_is_refused(client: TestClient) -> None:
    for typed in ("x" * 101, "降" * 500):
        response = client.get("/api/suggest", params={"q": typed})
        assert response.status_code == 400
        assert response.json() == {
            "error": "bad_request",
            "message": "请求参数有误：查询 q 最长 100 个字符",
            "detail": [{"parameter": "q", "message": "查询 q 最长 100 个字符"}],
        }


def test_openapi_describes_the_answer(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    operation = document["paths"]["/api/suggest"]["get"]
    assert set(operation["responses"]) == {"200", "400", "503"}
    schemas = document["components"]["schemas"]
    assert set(schemas["SuggestResponse"]["properties"]) == {"q", "suggestions"}
    assert set(schemas["InstrumentSuggestion"]["properties"]) == {
        "kind",
        "label",
        "symbol",
        "name",
        "category",
        "matched",
        "mentions",
        "url",
    }
    assert set(schemas["TitleSuggestion"]["properties"]) == {"kind", "label", "id", "date", "url"}


def test_readings_codes_and_keys() -> None:
    assert readings("银行") == ("yinhang", "yh")
    assert readings("重庆啤酒") == ("chongqingpijiu", "cqpj")
    assert readings("sk海力士") == ("skhailishi", "skhls")
    assert readings("Nvidia") is None
    assert codes("0700.HK") == ["0700", "700", "00700"]
    assert codes("600519.SS") == ["600519"]
    assert codes("2330.TW") == ["2330"]
    assert codes("NVDA") == []
    assert search_key("輝達 Ｎｖｉｄｉａ") == "辉达nvidia"


@pytest.fixture(scope="module")
def ranked(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[TestClient, dict[str, int]]]:
    """An archive built so that each ranking rule decides an order."""
    root = tmp_path_factory.mktemp("ranked")
    settings, ids = build_archive(
        root,
        {
            "exact": ("腾讯控股公布业绩。", {"title": "降息", "date": "2024-01-02"}),
            "prefix-old": (
                "腾讯音乐、腾讯音乐、腾讯音乐。",
                {"title": "降息预期", "date": "2023-05-01"},
            ),
            "prefix-new": ("预期升温。", {"title": "降息预期升温", "date": "2025-03-01"}),
            "inside": ("美联储议息。", {"title": "美联储降息", "date": "2026-01-01"}),
            "learned": ("某某新能源(02999)公布业绩，某某新能源大涨。", {"title": "新股"}),
        },
    )
    # Served through its lifespan, so that its engine is disposed of at the end.
    with TestClient(create_app(settings)) as client:
        yield client, ids


def test_titles_whole_then_beginning_then_inside_newest_first(
    ranked: tuple[TestClient, dict[str, int]],
) -> None:
    client, ids = ranked
    order = ["exact", "prefix-new", "prefix-old", "inside"]
    assert _title_ids(client, "降息") == [ids[key] for key in order]


def test_a_whole_name_before_a_beginning_mentioned_more(
    ranked: tuple[TestClient, dict[str, int]],
) -> None:
    client, _ = ranked
    found = _suggest(client, "腾讯")
    assert [(s["symbol"], s["mentions"]) for s in found[:2]] == [("0700.HK", 1), ("TME", 3)]


def test_a_listing_learned_from_a_commentary(ranked: tuple[TestClient, dict[str, int]]) -> None:
    client, _ = ranked
    assert _suggest(client, "某某新") == [
        {
            "kind": "instrument",
            "label": "某某新能源",
            "symbol": "2999.HK",
            "name": "某某新能源",
            "category": "股票",
            "matched": None,
            "mentions": 2,
            "url": "/tickers/2999.HK",
        }
    ]
    assert _symbols(client, "mmxny") == ["2999.HK"]


def test_new_titles_are_offered_after_an_ingest(tmp_path: Path) -> None:
    settings, ids = build_archive(tmp_path / "a", {"one": ("正文。", {"title": "第一篇周报"})})
    with TestClient(create_app(settings)) as client:
        assert _title_ids(client, "周报") == [ids["one"]]
        from app.ingest import ingest
        from tests.conftest import TODAY, write_commentary

        folder = tmp_path / "more"
        folder.mkdir()
        write_commentary(folder, "two.md", "另一篇正文。", title="第二篇周报", date="2025-01-01")
        report = ingest(settings, [folder], today=TODAY)
        (added,) = [r.id for r in report.files]
        assert _title_ids(client, "周报") == [added, ids["one"]]


@pytest.mark.parametrize("typed", ["6", "00", "1", "3", "y", "a", "s", "z", "N"])
def test_a_query_beginning_thousands_of_keys_ranks_as_a_full_scan(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, typed: str
) -> None:
    shortcut = _suggest(client, typed)
    assert len(shortcut) >= 8
    monkeypatch.setattr(suggest_index, "_WIDE", 10**9)
    assert _suggest(client, typed) == shortcut


def test_a_server_stopped_during_its_head_start_opens_no_connection_afterwards(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The background read of the archive must not open a connection after the
    application has disposed of its engine: nothing would ever close it (PostgreSQL's
    driver says so in a ResourceWarning)."""
    settings, _ = build_archive(tmp_path, {"a": ("英伟达财报超预期。", {"title": "周评"})})
    built = threading.Event()
    real_index = suggest_module.instrument_index

    def slow_index(dictionary: Any) -> Any:
        built.wait(timeout=30)
        return real_index(dictionary)

    monkeypatch.setattr(suggest_module, "instrument_index", slow_index)
    app = create_app(settings)
    stopped = False
    late: list[bool] = []
    event.listen(app.state.engine, "connect", lambda *_: late.append(stopped))
    with TestClient(app):
        pass
    stopped = True
    built.set()
    for thread in threading.enumerate():
        if thread.name == "suggest-index":
            thread.join(timeout=30)
    assert True not in late

"""A name taught with ``archive aliases`` while the server runs is known to its searches
at once (the server looks at the alias file again, ``WatchedDictionary``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

from app.config import Settings
from app.ingest import ingest
from app.instruments import load, user_aliases
from app.web.app import create_app
from tests.conftest import TODAY


def test_a_name_taught_while_serving_expands_searches(
    index_commentary: Callable[..., int], settings: Settings, docs_dir: Path
) -> None:
    nickname = index_commentary("老黄在发布会上展示新芯片。")
    company = index_commentary("英伟达股价走高。")
    with TestClient(create_app(settings)) as client:
        client.app.state.dictionary.every = 0  # type: ignore[attr-defined]
        before = client.get("/api/search", params={"q": "老黄"}).json()
        assert (before["expanded"], [h["id"] for h in before["hits"]]) == ([], [nickname])
        path = settings.data_dir / "aliases.csv"
        added, _ = user_aliases.add(load(), [], "NVDA", "老黄")
        user_aliases.write(path, added, load())
        report = ingest(settings, [docs_dir], today=TODAY)
        assert report.reanalysis is not None and report.reanalysis.ids == [nickname]
        after = client.get("/api/search", params={"q": "老黄"}).json()
        assert [e["symbol"] for e in after["expanded"]] == ["NVDA"]
        assert {h["id"] for h in after["hits"]} == {nickname, company}
        path.write_text("symbol,aliases\nNOPE1,名字\n", "utf-8")
        kept = client.get("/api/search", params={"q": "老黄"}).json()
        assert [e["symbol"] for e in kept["expanded"]] == ["NVDA"]

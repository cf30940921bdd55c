"""The archive on real market news: titles, dates and mentions of the labelled sets
(articles modelled on public Hong Kong, Taiwan, mainland, US, Japan and Korea news),
scored per market and overall. ``real_news.yaml`` is the set the rules were written
against; ``real_news_holdout.yaml`` was labelled apart, without running the extractor,
so its figures say how the rules carry over to text they were not tuned on.

Mentions are scored by issuer: TSMC named in a Taiwan wrap counts whether it was resolved
to 2330.TW or TSM; the listing itself is checked by the tests of ``extract``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from app.ingest.analyse import Analysed, analyse
from app.ingest.readers import Record
from app.instruments import Dictionary, prepare_analysis
from app.models import DatePrecision, TitleSource
from app.text.normalize import fold
from tests.conftest import Metric

HERE = Path(__file__).parent
SETS = ("real_news.yaml", "real_news_holdout.yaml")
TODAY = dt.date(2026, 12, 3)
MIN_RECALL, MIN_PRECISION, MIN_TITLES = 0.95, 0.98, 0.95


@cache
def _entries(name: str = SETS[0]) -> tuple[dict[str, Any], ...]:
    return tuple(yaml.safe_load((HERE / name).read_text("utf-8")))


@pytest.fixture(scope="module")
def dictionary() -> Dictionary:
    return prepare_analysis(None)


def _analysed(entry: dict[str, Any]) -> Analysed:
    text = entry["text"]
    path = Path(f"{entry['id']}.txt")
    record = Record(str(path), path, path.name, entry["id"], text, text, "utf-8")
    result = analyse(record, TODAY)
    assert isinstance(result, Analysed), f"{entry['id']}: {result}"
    return result


@dataclass
class Score:
    true: int = 0
    false: int = 0
    missed: int = 0

    @property
    def recall(self) -> float:
        return self.true / max(1, self.true + self.missed)

    @property
    def precision(self) -> float:
        return self.true / max(1, self.true + self.false)


@pytest.mark.parametrize(("name", "at_least"), [(SETS[0], 40), (SETS[1], 24)])
def test_the_set_is_broad_enough(name: str, at_least: int) -> None:
    articles = [e for e in _entries(name) if e["source"] != "trap"]
    assert len(articles) >= at_least
    assert len({e["source"] for e in articles}) >= 8
    assert {e["script"] for e in articles} == {"simplified", "traditional"}
    markets = Counter(e["market"] for e in articles)
    assert {"TW", "HK", "CN", "US", "JP", "KR"} <= set(markets)
    assert len({e["id"] for e in _entries(name)}) == len(_entries(name))


def test_the_held_out_set_shares_no_article() -> None:
    urls = [{e["url"] for e in _entries(name) if e["url"]} for name in SETS]
    assert urls[0] & urls[1] == set()


@pytest.mark.parametrize("name", SETS)
def test_mentions_by_issuer(dictionary: Dictionary, metric: Metric, name: str) -> None:
    scores: dict[str, Score] = defaultdict(Score)
    wrong: list[str] = []
    for entry in _entries(name):
        expected = {dictionary.issuer(s).id for s in entry["symbols"]}
        # A name the labels leave open is neither right nor wrong.
        unsure = [fold(name) for name in entry.get("unsure", ())]
        found = {
            dictionary.issuer(f.symbol).id
            for f in _analysed(entry).mentions
            if not any(fold(f.alias) in name for name in unsure)
        }
        for key in (entry["market"], "all"):
            scores[key].true += len(found & expected)
            scores[key].false += len(found - expected)
            scores[key].missed += len(expected - found)
        if found != expected:
            extra, missing = sorted(found - expected), sorted(expected - found)
            wrong.append(f"{entry['id']}: extra {extra} missing {missing}")
    for market, score in sorted(scores.items()):
        metric(
            f"{name}, mentions by issuer, {market}",
            f"recall {score.recall:.3f}, precision {score.precision:.3f}"
            f" ({score.true} right, {score.false} wrong, {score.missed} missed)",
        )
    overall = scores["all"]
    assert overall.recall >= MIN_RECALL, "\n".join(wrong)
    assert overall.precision >= MIN_PRECISION, "\n".join(wrong)


@pytest.mark.parametrize("name", SETS)
def test_dates_are_exact_and_never_invented(metric: Metric, name: str) -> None:
    wrong = []
    for entry in _entries(name):
        prepared = _analysed(entry).prepared
        expected = (entry["date"], DatePrecision(entry["date_precision"]))
        if (prepared.published, prepared.date_precision) != expected:
            wrong.append(f"{entry['id']}: {prepared.published} {prepared.date_precision}")
    total = len(_entries(name))
    metric(f"{name}, exact dates", f"{total - len(wrong)} of {total}")
    assert wrong == []


@pytest.mark.parametrize("name", SETS)
def test_titles(metric: Metric, name: str) -> None:
    right, wrong = 0, []
    articles = [e for e in _entries(name) if e["source"] != "trap"]
    for entry in articles:
        prepared = _analysed(entry).prepared
        if entry["title"] is None:
            ok = prepared.title_source is TitleSource.DERIVED
        else:
            ok = prepared.title == entry["title"]
        right += ok
        if not ok:
            wrong.append(f"{entry['id']}: {prepared.title!r} ({prepared.title_source})")
    metric(f"{name}, titles right", f"{right} of {len(articles)}")
    assert right / len(articles) >= MIN_TITLES, "\n".join(wrong)

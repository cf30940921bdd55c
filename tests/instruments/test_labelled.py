"""Precision and recall of mention extraction over our own labelled sentences."""

from __future__ import annotations

from pathlib import Path

import yaml

from app.instruments import extract, prepare_analysis
from tests.conftest import Metric

LABELLED = Path(__file__).with_name("labelled_sentences.yaml")


def test_precision_and_recall(metric: Metric) -> None:
    dictionary = prepare_analysis(None)
    cases = yaml.safe_load(LABELLED.read_text("utf-8"))
    assert len(cases) >= 40
    true_pos = false_pos = false_neg = 0
    wrong: list[str] = []
    for case in cases:
        expected = set(case["symbols"])
        found = {f.symbol for f in extract(case["text"], dictionary)}
        true_pos += len(found & expected)
        false_pos += len(found - expected)
        false_neg += len(expected - found)
        if found != expected:
            extra, missing = sorted(found - expected), sorted(expected - found)
            wrong.append(f"{case['text']}\n  extra {extra} missing {missing}")
    precision = true_pos / (true_pos + false_pos)
    recall = true_pos / (true_pos + false_neg)
    metric(
        f"mention extraction over {len(cases)} labelled sentences",
        f"precision {precision:.3f}, recall {recall:.3f}",
    )
    assert false_pos == 0, "\n".join(wrong)
    assert recall >= 0.95, "\n".join(wrong)

"""The floor for ingest: jieba alone segmenting every title and body of a corpus in a
pool of two processes, nothing else (no decoding, mentions, database or index).

    python -m bench.segment CORPUS.jsonl
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import sys
from collections.abc import Iterator
from pathlib import Path

import jieba

WORKERS = 2


def _start() -> None:
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()


def _segment(text: str) -> int:
    return len(jieba.lcut(text))


def _texts(corpus: Path) -> Iterator[str]:
    with corpus.open(encoding="utf-8") as fh:
        for line in fh:
            item = json.loads(line)
            yield f"{item.get('title', '')}\n{item['body']}"


def segment(corpus: Path, workers: int = WORKERS) -> int:
    """The number of words in the corpus, as jieba's accurate mode cuts them."""
    with multiprocessing.get_context("fork").Pool(workers, initializer=_start) as pool:
        return sum(pool.imap(_segment, _texts(corpus), chunksize=16))


if __name__ == "__main__":
    print(segment(Path(sys.argv[1])))

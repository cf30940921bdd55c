"""The naive stack the archive is measured against.

What a first version would do: jieba's stock Whoosh ``ChineseAnalyzer``, the body
stored in the index, one writer adding every document then committing, a searcher
opened for each query, and Whoosh's own highlighter cutting snippets from the stored
body. No mention extraction, no database.

    python -m bench.naive build CORPUS.jsonl INDEX_DIR
"""

from __future__ import annotations

import json
import logging
import sys
import time
from pathlib import Path
from typing import Any

import jieba
from jieba.analyse import ChineseAnalyzer
from whoosh import highlight, index
from whoosh.fields import ID, STORED, TEXT, Schema
from whoosh.qparser import MultifieldParser

jieba.setLogLevel(logging.WARNING)
PAGE = 20


def schema() -> Schema:
    analyzer = ChineseAnalyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=analyzer, stored=True),
        body=TEXT(analyzer=analyzer, stored=True),
        date=STORED(),
    )


def build(corpus: Path, index_dir: Path) -> int:
    index_dir.mkdir(parents=True, exist_ok=True)
    ix = index.create_in(str(index_dir), schema())
    writer = ix.writer()
    count = 0
    with corpus.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh):
            item = json.loads(line)
            writer.add_document(
                id=str(number),
                title=item.get("title", ""),
                body=item["body"],
                date=item.get("date"),
            )
            count += 1
    writer.commit()
    return count


def search(index_dir: Path, text: str) -> dict[str, Any]:
    """One query as the naive web app would answer it: open, parse, search, highlight."""
    started = time.perf_counter()
    ix = index.open_dir(str(index_dir))
    with ix.searcher() as searcher:
        query = MultifieldParser(["title", "body"], ix.schema).parse(text)
        results = searcher.search(query, limit=PAGE)
        results.fragmenter = highlight.ContextFragmenter(maxchars=200, surround=48)
        hits = [{"id": hit["id"], "snippets": hit.highlights("body", top=3)} for hit in results]
        total = len(results)
    return {"total": total, "hits": hits, "took_ms": (time.perf_counter() - started) * 1000}


if __name__ == "__main__":
    if sys.argv[1] == "build":
        print(build(Path(sys.argv[2]), Path(sys.argv[3])))

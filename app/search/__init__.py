"""Full-text search: the one place the rest of the app talks to the index.

Whoosh stays behind these names so another engine can replace it later.
"""

from app.search.highlight import find_spans, mark, snippets, term_pattern
from app.search.indexer import SyncReport, rebuild, sync
from app.search.query import SORTS, QueryError, SearchPage, Sort, query_terms, run
from app.search.reader import SearchIndex
from app.search.segmenter import configure as configure_segmenter
from app.search.store import IndexUnavailable, MissingIndex, StaleIndex

__all__ = [
    "SORTS",
    "IndexUnavailable",
    "MissingIndex",
    "QueryError",
    "SearchIndex",
    "SearchPage",
    "Sort",
    "StaleIndex",
    "SyncReport",
    "configure_segmenter",
    "find_spans",
    "mark",
    "query_terms",
    "rebuild",
    "run",
    "snippets",
    "sync",
    "term_pattern",
]

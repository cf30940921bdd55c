"""Full-text search: the one place the rest of the app talks to the index.

Whoosh stays behind these names so another engine can replace it later.
"""

from app.search.facets import Facets
from app.search.highlight import find_spans, mark, snippets, term_pattern
from app.search.indexer import SyncReport, rebuild, sync
from app.search.query import SORTS, Hit, SearchPage, SearchRequest, Sort, query_terms, run
from app.search.reader import SearchIndex
from app.search.segmenter import configure as configure_segmenter
from app.search.similar import similar
from app.search.store import IndexUnavailable, MissingIndex, StaleIndex
from app.search.syntax import MAX_QUERY_CHARS, QueryError
from app.search.translate import Highlight, Named, Names, date_bound

__all__ = [
    "MAX_QUERY_CHARS",
    "SORTS",
    "Facets",
    "Highlight",
    "Hit",
    "IndexUnavailable",
    "MissingIndex",
    "Named",
    "Names",
    "QueryError",
    "SearchIndex",
    "SearchPage",
    "SearchRequest",
    "Sort",
    "StaleIndex",
    "SyncReport",
    "configure_segmenter",
    "date_bound",
    "find_spans",
    "mark",
    "query_terms",
    "rebuild",
    "run",
    "similar",
    "snippets",
    "sync",
    "term_pattern",
]

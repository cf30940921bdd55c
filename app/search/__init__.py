"""Full-text search: the one place the rest of the app talks to the index.

Whoosh stays behind these names so another engine can replace it later.
"""

from app.search.analyzer import words
from app.search.backend import Facets
from app.search.highlight import (
    SnippetTerms,
    find_spans,
    mark,
    snippet_terms,
    snippets,
    term_pattern,
)
from app.search.indexer import (
    Indexable,
    IndexTarget,
    SyncReport,
    document_fields,
    mentioned_symbols,
    open_target,
    with_terms,
)
from app.search.planner import Highlight, Names, Plan, Sought, date_bound, plan
from app.search.reader import SearchIndex
from app.search.searching import (
    SORTS,
    Hit,
    SearchPage,
    SearchRequest,
    Sort,
    listings,
    query_terms,
    search,
)
from app.search.segmenter import configure as configure_segmenter
from app.search.segmenter import get as load_segmenter
from app.search.similar import likeness, similar
from app.search.state import IndexState, index_state
from app.search.store import IndexUnavailable, MissingIndex, StaleIndex
from app.search.syntax import MAX_QUERY_CHARS, QueryError, quoted
from app.search.terms import DocumentTerms, body_terms, document_terms, title_terms

__all__ = [
    "MAX_QUERY_CHARS",
    "SORTS",
    "DocumentTerms",
    "Facets",
    "Highlight",
    "Hit",
    "IndexState",
    "IndexTarget",
    "IndexUnavailable",
    "Indexable",
    "MissingIndex",
    "Names",
    "Plan",
    "QueryError",
    "SearchIndex",
    "SearchPage",
    "SearchRequest",
    "SnippetTerms",
    "Sort",
    "Sought",
    "StaleIndex",
    "SyncReport",
    "body_terms",
    "configure_segmenter",
    "date_bound",
    "document_fields",
    "document_terms",
    "find_spans",
    "index_state",
    "likeness",
    "listings",
    "load_segmenter",
    "mark",
    "mentioned_symbols",
    "open_target",
    "plan",
    "query_terms",
    "quoted",
    "search",
    "similar",
    "snippet_terms",
    "snippets",
    "term_pattern",
    "title_terms",
    "with_terms",
    "words",
]

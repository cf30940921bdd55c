"""Full-text search: the one place the rest of the app talks to the index.

Everything here is in the archive's own terms: a request and its page of hits, the
criteria an engine matches, the ``SearchBackend`` contract and ``open_backend`` to get
the engine the settings choose, the neutral writer's sync, highlights and snippets.
An engine's own modules (Whoosh's: ``app.search.whoosh`` and the modules it builds on)
stay behind these names.
"""

from app.search.analyzer import words
from app.search.backend import (
    Document,
    Facets,
    Filters,
    Found,
    IndexStatus,
    IndexUnavailable,
    IndexWriter,
    Lookup,
    Preparer,
    RowWriter,
    SearchBackend,
    Similar,
    Synced,
)
from app.search.engines import BACKENDS, backend_problem, database_problem, open_backend
from app.search.highlight import (
    SnippetTerms,
    find_spans,
    mark,
    snippet_terms,
    snippets,
    term_pattern,
)
from app.search.planner import Highlight, Names, Plan, Sought, date_bound, plan
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
from app.search.sync import Indexable, document, sync_index
from app.search.syntax import MAX_QUERY_CHARS, QueryError, quoted

__all__ = [
    "BACKENDS",
    "MAX_QUERY_CHARS",
    "SORTS",
    "Document",
    "Facets",
    "Filters",
    "Found",
    "Highlight",
    "Hit",
    "IndexStatus",
    "IndexUnavailable",
    "IndexWriter",
    "Indexable",
    "Lookup",
    "Names",
    "Plan",
    "Preparer",
    "QueryError",
    "RowWriter",
    "SearchBackend",
    "SearchPage",
    "SearchRequest",
    "Similar",
    "SnippetTerms",
    "Sort",
    "Sought",
    "Synced",
    "backend_problem",
    "configure_segmenter",
    "database_problem",
    "date_bound",
    "document",
    "find_spans",
    "listings",
    "load_segmenter",
    "mark",
    "open_backend",
    "plan",
    "query_terms",
    "quoted",
    "search",
    "snippet_terms",
    "snippets",
    "sync_index",
    "term_pattern",
    "words",
]

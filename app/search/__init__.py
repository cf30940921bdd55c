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
    Filters,
    Found,
    IndexStatus,
    IndexUnavailable,
    IndexWriter,
    Lookup,
    Preparer,
    SearchBackend,
    Similar,
    Synced,
)
from app.search.backends import BACKENDS, open_backend
from app.search.highlight import (
    SnippetTerms,
    find_spans,
    mark,
    snippet_terms,
    snippets,
    term_pattern,
)
from app.search.query import SORTS, SearchPage, SearchRequest, Sort, query_terms
from app.search.segmenter import configure as configure_segmenter
from app.search.segmenter import get as load_segmenter
from app.search.sync import Indexable, document, sync_index
from app.search.syntax import MAX_QUERY_CHARS, QueryError, quoted
from app.search.translate import Highlight, Named, Names, Sought, date_bound

__all__ = [
    "BACKENDS",
    "MAX_QUERY_CHARS",
    "SORTS",
    "Document",
    "Filters",
    "Found",
    "Highlight",
    "IndexStatus",
    "IndexUnavailable",
    "IndexWriter",
    "Indexable",
    "Lookup",
    "Named",
    "Names",
    "Preparer",
    "QueryError",
    "SearchBackend",
    "SearchPage",
    "SearchRequest",
    "Similar",
    "SnippetTerms",
    "Sort",
    "Sought",
    "Synced",
    "configure_segmenter",
    "date_bound",
    "document",
    "find_spans",
    "load_segmenter",
    "mark",
    "open_backend",
    "query_terms",
    "quoted",
    "snippet_terms",
    "snippets",
    "sync_index",
    "term_pattern",
    "words",
]

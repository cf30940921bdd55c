"""Full-text search: the one place the rest of the app talks to the index.

Everything here is in the archive's own terms: a request and its page of hits, the
criteria an engine matches, the ``SearchBackend`` contract and ``open_backend`` to get
the engine the settings choose, the neutral writer's sync, highlights and snippets.
An engine's own modules (Whoosh's: ``app.search.whoosh`` and the modules it builds on)
stay behind these names.
"""

from app.search.analyzer import ANALYZER_VERSION, words
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
from app.search.engines import (
    BACKENDS,
    IN_POSTGRESQL,
    backend_problem,
    database_problem,
    open_backend,
)
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
from app.search.segmenter import base_fingerprint as segmenter_base
from app.search.segmenter import configure as configure_segmenter
from app.search.segmenter import get as load_segmenter
from app.search.segmenter import user_words as jieba_words
from app.search.segmenter import user_words_from, vocabulary_texts
from app.search.sync import Indexable, document, sync_index
from app.search.synonyms import SynonymError
from app.search.synonyms import groups_differ as synonym_groups_differ
from app.search.syntax import MAX_QUERY_CHARS, QueryError, quoted
from app.search.syntax import Word as QueryWord

__all__ = [
    "ANALYZER_VERSION",
    "BACKENDS",
    "IN_POSTGRESQL",
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
    "QueryWord",
    "RowWriter",
    "SearchBackend",
    "SearchPage",
    "SearchRequest",
    "Similar",
    "SnippetTerms",
    "Sort",
    "Sought",
    "Synced",
    "SynonymError",
    "backend_problem",
    "configure_segmenter",
    "database_problem",
    "date_bound",
    "document",
    "find_spans",
    "jieba_words",
    "listings",
    "load_segmenter",
    "mark",
    "open_backend",
    "plan",
    "query_terms",
    "quoted",
    "search",
    "segmenter_base",
    "snippet_terms",
    "snippets",
    "sync_index",
    "synonym_groups_differ",
    "term_pattern",
    "user_words_from",
    "vocabulary_texts",
    "words",
]

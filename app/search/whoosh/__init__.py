"""The Whoosh engine behind the archive's search contract (``app.search.backend``)."""

"""The PostgreSQL engine: the index is a table of the archive's own database.

Each commentary's analysed words live in a ``tsvector`` beside its symbols, dates and
sort keys (``table``), written in the transaction that stores the commentary
(``rows``), so search is never behind the database and the web processes need no
files. Criteria become a ``tsquery`` and SQL conditions (``compile``); ``finder``
ranks, pages and counts them within the search budget; ``similar`` finds related
commentaries from the key words stored with each row.
"""

"""The search table, as the PostgreSQL engine reads and writes it.

One row per commentary (deleted with it): its analysed words as a ``tsvector``
(title at weight A, body at weight B, in the ``simple`` sense: PostgreSQL adds no
stemming or stop words of its own), the symbols it mentions, its period and month,
the ``app.periods`` sort keys, the key words ``similar`` draws from, and the
analysis version the words were made by. The migration ``0004`` creates it; it is
described here on metadata of its own, since only PostgreSQL has it.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, TSVECTOR
from sqlalchemy.engine import Connection

from app.search.analyzer import ANALYZER_VERSION

TABLE_NAME = "commentary_search"
WORDS_INDEX = "ix_commentary_search_words"

# The words' format: bump with any change to how ``words`` builds them (as the
# analyzer's version is bumped with any change to its words).
WORDS_FORMAT = 2
ANALYSIS = ANALYZER_VERSION * 100 + WORDS_FORMAT

metadata = MetaData()

search_table = Table(
    TABLE_NAME,
    metadata,
    Column(
        "commentary_id",
        Integer,
        ForeignKey("commentary.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("revision", Integer, nullable=False),
    Column("analysis", Integer, nullable=False),
    Column("words", TSVECTOR, nullable=False),
    Column("symbols", ARRAY(Text), nullable=False),
    Column("source", Text),
    Column("date_from", Date),
    Column("date_to", Date),
    Column("month", String(7)),
    Column("newest", BigInteger, nullable=False),
    Column("oldest", BigInteger, nullable=False),
    Column("keys", Text, nullable=False),
)


def has_rum(connection: Connection) -> bool:
    """Whether the RUM extension is installed in this database."""
    found = connection.execute(text("SELECT 1 FROM pg_extension WHERE extname = 'rum'"))
    return found.first() is not None


def words_index_method(connection: Connection) -> str | None:
    """The access method of the words' index (``rum`` or ``gin``), None without one."""
    found = connection.execute(
        text(
            "SELECT am.amname FROM pg_class i JOIN pg_am am ON am.oid = i.relam"
            " WHERE i.relname = :name AND i.relkind = 'i'"
        ),
        {"name": WORDS_INDEX},
    ).first()
    return None if found is None else str(found[0])


def ensure_words_index(connection: Connection) -> str:
    """Give the words the best index the database offers: RUM when its extension is
    installed (top hits come from the index in rank order), GIN otherwise. Builds it
    anew when the method should change; returns the method in use."""
    wanted = "rum" if has_rum(connection) else "gin"
    current = words_index_method(connection)
    if current == wanted:
        return wanted
    if current is not None:
        connection.execute(text(f"DROP INDEX {WORDS_INDEX}"))
    opclass = " rum_tsvector_ops" if wanted == "rum" else ""
    connection.execute(
        text(f"CREATE INDEX {WORDS_INDEX} ON {TABLE_NAME} USING {wanted} (words{opclass})")
    )
    return wanted


def table_exists(connection: Connection) -> bool:
    found = connection.execute(text("SELECT to_regclass(:name)"), {"name": TABLE_NAME})
    return found.scalar() is not None

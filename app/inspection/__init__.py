"""What the archive makes of one text (``archive inspect``): the normalised text, the
words the index stores, every candidate mention with its verdict, what a query for each
word would expand to, and the title and date rules that fired.

Each part comes from the code ingest runs: ``prepare`` cleans the text and finds its
title and date, ``words`` segments the body, ``extract`` (with a trace) weighs the
candidates, and the search planner expands the words. A text given on the command line
reads as a ``.txt`` file holding it would; a stored commentary is read again from the
text its file held.
"""

from app.inspection.build import (
    expansions,
    inspect_commentary,
    inspect_file,
    inspect_record,
    inspect_text,
    record_of,
)
from app.inspection.lines import inspection_lines
from app.inspection.model import (
    Candidate,
    DateRule,
    Expansion,
    IndexWord,
    InspectError,
    Inspection,
    Mention,
    Metadata,
)

__all__ = [
    "Candidate",
    "DateRule",
    "Expansion",
    "IndexWord",
    "InspectError",
    "Inspection",
    "Mention",
    "Metadata",
    "expansions",
    "inspect_commentary",
    "inspect_file",
    "inspect_record",
    "inspect_text",
    "inspection_lines",
    "record_of",
]

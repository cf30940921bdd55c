"""What the archive makes of one text, for ``archive inspect`` (see ``build``)."""

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

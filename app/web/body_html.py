"""A commentary's body as the HTML of its page: Markdown rendered, plain text with the
headings and lists its lines show, and in both the mention links and highlights, which
are offsets into the stored body, on exactly the characters they cover.

Whether a body is Markdown is known from the file it was read from (``.md``,
``.markdown``): the stored body is that file's text without its front matter and
title line, so nothing else needs storing. Text from HTML pages, plain text and JSON
Lines is plain.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import PurePath

from markupsafe import Markup

from app.text.structure import Heading, ItemList, Paragraph, blocks
from app.web.annotate import Link, Piece, Run, Span, annotate_pieces
from app.web.markdown_body import markdown_pieces

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})


class BodyFormat(StrEnum):
    MARKDOWN = "markdown"
    PLAIN = "plain"


def body_format(origin_path: str) -> BodyFormat:
    """How the body of a commentary read from ``origin_path`` is written."""
    suffix = PurePath(origin_path).suffix.lower()
    return BodyFormat.MARKDOWN if suffix in MARKDOWN_SUFFIXES else BodyFormat.PLAIN


_P, _P_END = Markup("<p>"), Markup("</p>\n")
_LI, _LI_END = Markup("<li>"), Markup("</li>\n")


def plain_pieces(text: str) -> list[Piece]:
    """The pieces of a plain ``text``: a paragraph for each line, and the headings and
    lists ``structure`` finds."""
    out: list[Piece] = []
    for block in blocks(text):
        if isinstance(block, Paragraph):
            out += [_P, Run(*block.span), _P_END]
        elif isinstance(block, Heading):
            tag = f"h{block.level}"
            out += [Markup(f"<{tag}>"), Run(*block.span), Markup(f"</{tag}>\n")]
        elif isinstance(block, ItemList):
            out.append(Markup(_list_open(block)))
            for item in block.items:
                out += [_LI, Run(*item.span), _LI_END]
            out.append(Markup("</ul>\n" if block.style == "bullet" else "</ol>\n"))
    return out


def _list_open(block: ItemList) -> str:
    if block.style == "bullet":
        return "<ul>\n"
    first = block.items[0].number or 1
    start = f' start="{first}"' if first != 1 else ""
    return f'<ol class="{block.style.replace("_", "-")}"{start}>\n'


_BLOCK_ENDS = ("</p>", "</li>", "</h", "</td>", "</th>", "</tr>", "</blockquote>", "</pre>")


def body_text(text: str, fmt: BodyFormat) -> str:
    """What a reader reads of the body, without Markdown's markers (``**``, ``#``, ``-``,
    table rules): for an opening line or a lead. Blocks are kept apart by line breaks."""
    if fmt is BodyFormat.PLAIN:
        return text
    parts: list[str] = []
    for piece in markdown_pieces(text):
        if isinstance(piece, Run):
            parts.append(text[piece.start : piece.end])
        elif any(end in piece for end in _BLOCK_ENDS):
            parts.append("\n")
    return "".join(parts)


def body_html(
    text: str,
    fmt: BodyFormat,
    links: list[Link],
    marks: list[Span],
    first_mark_id: str | None = None,
) -> Markup:
    """The body as HTML, its links and marks placed as ``annotate`` places them."""
    pieces = markdown_pieces(text) if fmt is BodyFormat.MARKDOWN else plain_pieces(text)
    return annotate_pieces(text, pieces, links, marks, first_mark_id)

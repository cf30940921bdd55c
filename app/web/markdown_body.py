"""A Markdown body as pieces for ``annotate_pieces``: the markup of its structure, and
runs that point at the characters of the body each piece of text came from.

markdown-it (CommonMark with tables and strikethrough) reads the text; its tokens are
turned into markup here, tag by tag, so only what is listed below can come out:

- Raw HTML is never markup: it is shown as the text it is.
- Links go only to web (http, https), mail and relative addresses; any other link is
  its text alone. Images are never loaded (the pages allow images from this site only):
  an image is a link to its address labelled 图片 and its description.
- Headings move down so that the largest is ``<h2>`` (the page title is ``<h1>``).
- A line break inside a paragraph stays a line break: Chinese has no spaces between
  words, so joining the lines would only run them together.
- Table cells are aligned by class, not by a style attribute; a table scrolls inside a
  box of its own.

Tokens carry no character offsets, so each text token is looked for in the body from
where the previous one ended, within the lines its block covers. A text markdown-it
changed (an escape such as ``\\*``, an entity such as ``&amp;``) is shown, but no
highlight or mention falls on it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup, escape

from app.web.annotate import Piece, Run

TOP_HEADING = 2
LOWEST_HEADING = 6
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
EXTERNAL_REL = "nofollow noopener noreferrer"
IMAGE_LABEL = "图片"
TABLE_LABEL = "表格"

_PARSER = (
    MarkdownIt("commonmark", {"html": False, "breaks": True})
    .enable(["table", "strikethrough"])
    # Escapes and entities stay tokens of their own, so text tokens are the body's text.
    .disable("text_join")
)
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
# What follows a link's text in the body: (destination "title") or [label].
_DESTINATION = re.compile(
    r"""\(\s*(?:<[^<>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)
        (?:\s+(?:"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|\((?:\\.|[^()\\])*\)))?\s*\)
      |\[(?:\\.|[^\[\]\\])*\]""",
    re.X,
)
_TAGS = {
    "strong": "strong",
    "em": "em",
    "s": "s",
    "blockquote": "blockquote",
    "bullet_list": "ul",
    "list_item": "li",
    "thead": "thead",
    "tbody": "tbody",
    "tr": "tr",
}
_ALIGN = re.compile(r"text-align:(left|right|center)")


def safe_href(url: str) -> str | None:
    """``url`` when it is a web, mail or relative address; None for any other scheme
    (``javascript:``, ``data:``, ``vbscript:``…) or a colon that hides one."""
    url = url.strip()
    scheme = _SCHEME.match(url)
    if scheme:
        return url if scheme[1].lower() in SAFE_SCHEMES else None
    before = re.split(r"[/?#]", url, maxsplit=1)[0]
    return None if ":" in before else url


def _is_external(href: str) -> bool:
    return href.startswith("//") or bool(_SCHEME.match(href))


class _Source:
    """Finds each text in the body, in order, within the lines of its block."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.line_starts = [0, *(m.end() for m in re.finditer("\n", text))]
        self.cursor = 0
        self.floor = 0
        self.limit = len(text)

    def enter(self, lines: Sequence[int] | None) -> None:
        if lines is None:
            return
        first, past = lines
        self.floor = self.line_starts[min(first, len(self.line_starts) - 1)]
        self.limit = self.line_starts[past] if past < len(self.line_starts) else len(self.text)

    def find(self, part: str) -> int | None:
        at = self.text.find(part, max(self.cursor, self.floor), self.limit)
        if at < 0:
            return None
        self.cursor = at + len(part)
        return at

    def skip_destination(self) -> None:
        """Past the ``](…)`` or ``][…]`` after a link's or image's text."""
        close = self.text.find("]", max(self.cursor, self.floor), self.limit)
        if close < 0:
            return
        self.cursor = close + 1
        found = _DESTINATION.match(self.text, self.cursor, self.limit)
        if found:
            self.cursor = found.end()

    def runs(self, part: str, in_link: bool = False) -> list[Piece]:
        """``part`` as runs of the body (line by line when it is not found whole), or as
        plain text where it is not there."""
        if not part:
            return []
        at = self.find(part)
        if at is not None:
            return [Run(at, at + len(part), in_link)]
        if "\n" not in part:
            return [Markup(escape(part))]
        out: list[Piece] = []
        for number, line in enumerate(part.split("\n")):
            if number:
                out.append(Markup("\n"))
            out.extend(self.runs(line, in_link))
        return out


class _Writer:
    def __init__(self, text: str, tokens: list[Token]) -> None:
        self.source = _Source(text)
        self.out: list[Piece] = []
        levels = [int(t.tag[1]) for t in tokens if t.type == "heading_open"]
        self.heading_shift = TOP_HEADING - min(levels) if levels else 0
        self.links: list[bool] = []  # for each open link: whether it was written as <a>
        self.tokens = tokens

    def tag(self, html: str) -> None:
        self.out.append(Markup(html))

    def heading(self, token: Token) -> str:
        return f"h{min(int(token.tag[1]) + self.heading_shift, LOWEST_HEADING)}"

    def block(self, token: Token) -> None:
        kind = token.type
        self.source.enter(token.map)
        if kind == "inline":
            self.inline(token.children or [])
        elif kind in ("paragraph_open", "paragraph_close"):
            if not token.hidden:
                self.tag("<p>" if kind == "paragraph_open" else "</p>\n")
        elif kind == "heading_open":
            self.tag(f"<{self.heading(token)}>")
        elif kind == "heading_close":
            self.tag(f"</{self.heading(token)}>\n")
        elif kind == "ordered_list_open":
            start = str(token.attrGet("start") or "1")
            self.tag(f'<ol start="{int(start)}">' if start.isdigit() and start != "1" else "<ol>")
        elif kind == "ordered_list_close":
            self.tag("</ol>\n")
        elif kind == "table_open":
            self.tag(
                f'<div class="table-scroll" tabindex="0" role="region"'
                f' aria-label="{TABLE_LABEL}"><table>'
            )
        elif kind == "table_close":
            self.tag("</table></div>\n")
        elif kind in ("th_open", "td_open"):
            align = _ALIGN.search(str(token.attrGet("style") or ""))
            at = f' class="align-{align[1]}"' if align else ""
            self.tag(f"<{token.tag}{at}>")
        elif kind in ("th_close", "td_close"):
            self.tag(f"</{token.tag}>")
        elif kind == "hr":
            self.tag("<hr>\n")
        elif kind in ("code_block", "fence"):
            self.tag("<pre><code>")
            self.out.extend(self.source.runs(token.content.removesuffix("\n")))
            self.tag("</code></pre>\n")
        elif kind.endswith(("_open", "_close")) and token.tag and _tag_of(kind):
            self.tag(f"<{'/' if kind.endswith('_close') else ''}{_tag_of(kind)}>")
        elif token.content:
            self.out.extend(self.source.runs(token.content))

    def inline(self, children: list[Token]) -> None:
        in_link = any(self.links)
        for child in children:
            kind = child.type
            if kind == "text":
                self.out.extend(self.source.runs(child.content, in_link))
            elif kind == "text_special":
                self.source.find(child.markup)
                self.out.append(Markup(escape(child.content)))
            elif kind in ("softbreak", "hardbreak"):
                self.tag("<br>\n")
            elif kind == "code_inline":
                self.tag("<code>")
                self.out.extend(self.source.runs(child.content, in_link))
                self.tag("</code>")
            elif kind == "link_open":
                self.open_link(child, in_link)
                in_link = any(self.links)
            elif kind == "link_close":
                if self.links.pop():
                    self.tag("</a>")
                if child.markup != "autolink":
                    self.source.skip_destination()
                in_link = any(self.links)
            elif kind == "image":
                self.image(child, in_link)
            elif kind.endswith(("_open", "_close")) and _tag_of(kind):
                self.tag(f"<{'/' if kind.endswith('_close') else ''}{_tag_of(kind)}>")
            elif child.content:
                self.out.extend(self.source.runs(child.content, in_link))

    def open_link(self, token: Token, in_link: bool) -> None:
        href = safe_href(str(token.attrGet("href") or ""))
        if href is None or in_link:
            self.links.append(False)
            return
        rel = f' rel="{EXTERNAL_REL}"' if _is_external(href) else ""
        title = token.attrGet("title")
        at = f' title="{escape(title)}"' if title else ""
        self.tag(f'<a href="{escape(href)}"{rel}{at}>')
        self.links.append(True)

    def image(self, token: Token, in_link: bool) -> None:
        href = safe_href(str(token.attrGet("src") or ""))
        as_link = href is not None and not in_link
        if as_link and href is not None:
            rel = f' rel="{EXTERNAL_REL}"' if _is_external(href) else ""
            self.tag(f'<a class="md-image" href="{escape(href)}"{rel}>')
        else:
            self.tag('<span class="md-image">')
        self.tag(f'<span class="md-image-label">{IMAGE_LABEL}</span>')
        alt = token.children or []
        if alt:
            self.tag(" ")
            self.links.append(as_link)
            self.inline(alt)
            self.links.pop()
        self.tag("</a>" if as_link else "</span>")
        self.source.skip_destination()

    def write(self) -> list[Piece]:
        for token in self.tokens:
            self.block(token)
        return self.out


def _tag_of(kind: str) -> str | None:
    return _TAGS.get(kind.removesuffix("_open").removesuffix("_close"))


def markdown_pieces(text: str) -> list[Piece]:
    """The pieces of a Markdown ``text``, in order."""
    return _Writer(text, _PARSER.parse(text)).write()

"""The commentary in an HTML page: its main text, and title, date and author from the markup.

The tree is walked with an explicit stack, never by recursion or by inserting into it:
a page nested a hundred thousand tags deep is read in time proportional to its size.
A page with more tags than ``MAX_TAGS`` is refused before it is parsed, since a parsed
tag costs about a kilobyte.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from bs4 import BeautifulSoup, Comment, Declaration, Doctype, ProcessingInstruction, Tag
from bs4.element import NavigableString, PageElement

MAX_TAGS = 50_000

_TAG = re.compile(r"<[A-Za-z]")
_DROP_TAGS = frozenset(
    ("script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form")
)
_BLOCK_TAGS = frozenset(
    ("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr", "blockquote", "pre")
)
_NOT_TEXT = (Comment, Declaration, Doctype, ProcessingInstruction)
_DATE_META = ("article:published_time", "date", "pubdate", "publishdate")


def _count_tags(markup: str) -> int:
    if markup.count("<") <= MAX_TAGS:
        return 0
    return sum(1 for _ in _TAG.finditer(markup))


def html_text(markup: str) -> tuple[str, dict[str, Any]]:
    """The page's main text (``<article>``, ``<main>`` or ``<body>`` without navigation
    and the title heading) and its metadata; ValueError says why there is none."""
    tags = _count_tags(markup)
    if tags > MAX_TAGS:
        raise ValueError(f"HTML has {tags:,} tags, more than the {MAX_TAGS:,} limit")
    soup = BeautifulSoup(markup, "lxml")
    meta: dict[str, Any] = {}
    heading = soup.find("h1")
    title_tag = soup.find("meta", attrs={"property": "og:title"})
    if heading and heading.get_text(strip=True):
        meta["title"] = heading.get_text(" ", strip=True)
    elif title_tag and title_tag.get("content"):
        meta["title"] = str(title_tag["content"]).strip()
    elif soup.title and soup.title.get_text(strip=True):
        meta["title"] = soup.title.get_text(" ", strip=True)
    for name in _DATE_META:
        tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name})
        if tag and tag.get("content"):
            meta["date"] = str(tag["content"]).strip()[:10]
            break
    author = soup.find("meta", attrs={"name": "author"})
    if author and author.get("content"):
        meta["author"] = str(author["content"]).strip()
    root = soup.find("article") or soup.find("main") or soup.body or soup
    skip = heading if isinstance(heading, Tag) else None
    pieces = "".join(_pieces(root, skip))
    lines = [" ".join(line.split()) for line in pieces.split("\n")]
    text = "\n".join(line for line in lines if line)
    if not text.strip():
        raise ValueError("no text found in the HTML body")
    return text, meta


def _pieces(root: PageElement, skip: Tag | None) -> Iterator[str]:
    """The strings under ``root`` in document order, a line break around each block,
    leaving out dropped tags and ``skip``."""
    stack: list[PageElement | str] = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, str) and not isinstance(node, NavigableString):
            yield node  # a line break queued after a block's children
        elif isinstance(node, NavigableString):
            if not isinstance(node, _NOT_TEXT):
                yield str(node)
        elif isinstance(node, Tag) and node is not skip and node.name not in _DROP_TAGS:
            block = node.name in _BLOCK_TAGS
            if block:
                yield "\n"
                stack.append("\n")
            stack.extend(reversed(node.contents))

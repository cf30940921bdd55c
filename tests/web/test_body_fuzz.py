"""Random Markdown and plain text, with random mentions and highlights, through the body
renderer: it never fails, writes only the tags and attributes it knows, links only
where links are safe, and gives each id once."""

from __future__ import annotations

from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from app.web.annotate import Link
from app.web.body_html import BodyFormat, body_html
from app.web.markdown_body import safe_href

FUZZ = settings(max_examples=300, deadline=None, derandomize=True, database=None)

PIECES = [
    "# ", "## ", "- ", "* ", "1. ", "一、", "> ", "**", "*", "_", "`", "```\n", "~~",
    "| a | b |\n|--|--|\n| 降息 | c |\n", "[", "]", "(", ")", "![", "<", ">", "&amp;",
    "\\", "javascript:", "https://x.example/", "data:", "\n", "\n\n", " ", "    ",
    "降息", "英伟达", "茅台", "。", "，", "：", "NVDA",
]  # fmt: skip
TEXT = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)
TAGS = {
    "p", "br", "h2", "h3", "h4", "h5", "h6", "strong", "em", "s", "code", "pre", "ul", "ol",
    "li", "blockquote", "hr", "table", "thead", "tbody", "tr", "th", "td", "div", "a",
    "span", "mark",
}  # fmt: skip
ATTRIBUTES = {"class", "id", "href", "title", "rel", "start", "tabindex", "role", "aria-label"}


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


@FUZZ
@given(text=TEXT, markdown=st.booleans(), data=st.data())
def test_random_bodies_render_safely(text: str, markdown: bool, data: st.DataObject) -> None:
    cuts = sorted(set(data.draw(st.lists(st.integers(0, len(text)), max_size=8))))
    spans = [(a, b) for a, b in zip(cuts[::2], cuts[1::2], strict=False) if a < b]
    links = [Link(a, b, f"/tickers/T{a}", f"m{a}", "T") for a, b in spans[::2]]
    marks = spans[1::2]
    fmt = BodyFormat.MARKDOWN if markdown else BodyFormat.PLAIN
    html = str(body_html(text, fmt, links, marks, first_mark_id="hl"))
    ids: list[str] = []
    for tag, attrs in _tags(html):
        assert tag in TAGS, html
        assert set(attrs) <= ATTRIBUTES, html
        if "href" in attrs:
            assert attrs["href"] is not None
            assert safe_href(attrs["href"]) == attrs["href"], html
        if attrs.get("id"):
            ids.append(str(attrs["id"]))
    assert len(ids) == len(set(ids)), html
    assert "<script" not in html

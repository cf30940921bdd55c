"""Trailing site furniture (comment counters, pagers, "END") that is not part of a text.

News-page furniture (editor credits, disclaimers, share rows, "related" link blocks, a
final line of tag words, see ``furniture``) is stripped from the end in the same pass,
and a paywall marker ("以下内容为会员可见" on a line of its own) is cut with everything
after it, which is a teaser or a login prompt. Only the body changes: the record's raw
text is stored as read.
"""

from __future__ import annotations

import re

from app.text.bylines import is_paywall_marker
from app.text.furniture import block_start, is_furniture_line, is_tag_line

_TRAILING_LINE = re.compile(
    r"""^(?:
        有\s*\d+\s*条评论
      | 暂无评论
      | \d+\s*条评论
      | comments?\s*\(\s*\d+\s*\)
      | \d+\s+comments?
      | add\s+(?:a\s+)?comment
      | leave\s+a\s+comment
      | 关键词\s*[:：]?
      | 标签\s*[:：]?
      | tags?\s*[:：]
      | 页\s*[:：]?(?:\s*\[?\d+\]?)*
      | (?:\[\d+\]\s*)+
      | [-—–=_*\s]*end[-—–=_*\s]*
      | [-—–=_*\s]*完[-—–=_*\s]*
      | 返回顶部
      | 分享到[:：]?.{0,30}
    )$""",
    re.IGNORECASE | re.VERBOSE,
)

# A counter glued to the end of a real line, as in "《…》 有 2 条评论".
_TRAILING_COUNTER = re.compile(r"\s*(?:有\s*\d+\s*条评论|comments?\s*\(\s*\d+\s*\))\s*$", re.I)


def is_boilerplate_line(line: str) -> bool:
    stripped = line.strip()
    return not stripped or _TRAILING_LINE.match(stripped) is not None or is_furniture_line(stripped)


def strip_trailing_counter(line: str) -> str:
    return _TRAILING_COUNTER.sub("", line)


def cut_at_paywall(lines: list[str]) -> list[str]:
    """``lines`` up to the first paywall marker line after some text; a marker with
    nothing above it is dropped alone, since the text below it is all there is."""
    for at, line in enumerate(lines):
        if is_paywall_marker(line):
            if any(earlier.strip() for earlier in lines[:at]):
                return lines[:at]
            return [*lines[:at], *lines[at + 1 :]]
    return lines


def strip_trailing_boilerplate(lines: list[str]) -> list[str]:
    """``lines`` without the boilerplate and blank lines at the end (and the counter
    glued to the last real line), and without a paywall marker and what follows it."""
    lines = cut_at_paywall(lines)
    end = len(lines)
    tag_line_seen = False  # only one: two short lines of words may be the text's own
    while True:
        while end and is_boilerplate_line(lines[end - 1]):
            end -= 1
        block = block_start(lines, end)
        if block is not None:
            end = block
        elif not tag_line_seen and end and is_tag_line(lines[end - 1]):
            end -= 1
            tag_line_seen = True
        else:
            break
    kept = lines[:end]
    if kept:
        kept[-1] = strip_trailing_counter(kept[-1])
    return kept

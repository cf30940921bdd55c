"""Trailing site furniture (comment counters, pagers, "END") that is not part of a text."""

from __future__ import annotations

import re

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
    return not stripped or _TRAILING_LINE.match(stripped) is not None


def strip_trailing_counter(line: str) -> str:
    return _TRAILING_COUNTER.sub("", line)


def strip_trailing_boilerplate(lines: list[str]) -> list[str]:
    """``lines`` without the boilerplate and blank lines at the end (and the counter
    glued to the last real line)."""
    end = len(lines)
    while end and is_boilerplate_line(lines[end - 1]):
        end -= 1
    kept = lines[:end]
    if kept:
        kept[-1] = strip_trailing_counter(kept[-1])
    return kept

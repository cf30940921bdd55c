"""News-page furniture at the end of a text: editor credits, sources, disclaimers,
share and subscribe prompts, "related" link blocks and a final line of tag words.

``boilerplate`` strips these from the end together with the comment counters and pagers.
Like ``bylines``, every rule matches the folded line (simplified script, half-width
punctuation), so ``責任編輯：`` is matched as ``责任编辑:``.
"""

from __future__ import annotations

import re

from app.text.normalize import fold

MAX_PROMPT_CHARS = 40  # a subscribe or "see more" prompt; longer lines are prose
MAX_LINK_CHARS = 60  # a link title in a "related" block
MAX_BLOCK_LINES = 15  # link lines after a block marker
MAX_TAG_LINE_CHARS = 40
MAX_TAG_CHARS = 10
MIN_TAG_WORDS = 3  # bare words; "#美股 #降息" needs no minimum

# One line of furniture, matched whole.
_FURNITURE_LINE = re.compile(
    r"""^(?:
        \(?\s*(?:责任)?编辑\s*[:/].{0,30}           # 责任编辑:王小明, (编辑:…)
      | 责任编辑\s*\S.{0,20}                         # 责任编辑 王小明
      | \(?\s*(?:文章|本文|新闻|资料)?来源\s*[:/].{0,40}   # (文章来源:…)
      | (?:免责声明|免责申明|版权声明|风险提示)\s*[:/].*   # a disclaimer, however long
      | (?:点我|点此|点击)(?:加入|订阅|下载|看).{0,40}  # 点我加入…
      | 订阅.{0,40}
    )$""",
    re.I | re.X,
)
# Share and print buttons; a line made only of these is a button row.
_SHARE_WORDS = (
    "分享",
    "转寄",
    "转发",
    "列印",
    "打印",
    "收藏",
    "留言",
    "赞",
    "复制链接",
    "复制连结",
)
_PLATFORMS = ("facebook", "fb", "line", "twitter", "x", "telegram", "whatsapp", "email", "qq")
_CHINESE_PLATFORMS = ("微信", "微博", "推特", "朋友圈")
_BUTTONS = frozenset((*_SHARE_WORDS, *_PLATFORMS, *_CHINESE_PLATFORMS))
# A heading over a list of links or stocks; the list runs to the end of the page.
_BLOCK_MARKER = re.compile(
    r"""^(?:
        延伸阅读|相关阅读|相关新闻|相关文章|相关报导|相关报道|相关专题|推荐阅读
      | 相关港股|相关个股|相关股票|相关美股|相关a股|相关标的|相关概念股?
      | 热门内容|热门文章|热门新闻|全站最新|最新新闻|更多新闻|往期回顾
      | 猜你喜欢|你可能(?:也想看|会喜欢|感兴趣)|看更多|更多\s*[>»›]
    )(?:\s*[:>»›|]?\s*.{0,60})?$""",
    re.I | re.X,
)
_SENTENCE_END = ("。", ".", "!", "?")
# Punctuation a sentence or a link row has and a tag line has not ("更多>" is a link).
_SENTENCE_MARK = re.compile(r"""[。!?,;:…"“”'‘’「」『』《》()\[\]<>»›=]|\.(?=\s|$)""")
_TAG_SEPARATOR = re.compile(r"[\s、|/]+")
_LETTER = re.compile(r"[^\W\d_]")


def _folded(line: str) -> str:
    return fold(line).strip()


def is_furniture_line(line: str) -> bool:
    """A credit, source, disclaimer, prompt or button row that ends a news page."""
    folded = _folded(line)
    if not folded:
        return False
    if folded.startswith(("订阅", "点")) and (
        len(folded) > MAX_PROMPT_CHARS or folded.endswith(_SENTENCE_END)
    ):
        return False  # "订阅制是未来的趋势。" is a sentence, not a prompt
    if _FURNITURE_LINE.match(folded):
        return True
    words = folded.lower().split()
    return all(word in _BUTTONS for word in words)


def is_block_marker(line: str) -> bool:
    folded = _folded(line)
    return bool(folded) and not folded.endswith(_SENTENCE_END) and bool(_BLOCK_MARKER.match(folded))


def _is_link(line: str) -> bool:
    stripped = line.strip()
    return len(stripped) <= MAX_LINK_CHARS and not stripped.endswith(("。", "."))


def block_start(lines: list[str], end: int) -> int | None:
    """Where a "related" block ending at ``end`` starts: its marker line followed only by
    short link lines (``延伸閱讀`` and the titles under it); None when there is none."""
    links = 0
    at = end
    while at > 0 and links <= MAX_BLOCK_LINES:
        at -= 1
        line = lines[at]
        if not line.strip():
            continue
        if is_block_marker(line):
            return at
        if not _is_link(line):
            return None
        links += 1
    return None


def is_tag_line(line: str) -> bool:
    """Tag words such as ``台積電 輝達 AI 半導體`` or ``#美股 #降息``: several short words
    separated by spaces, 、 or #, with no sentence punctuation, short overall."""
    folded = _folded(line)
    if not folded or len(folded) > MAX_TAG_LINE_CHARS or _SENTENCE_MARK.search(folded):
        return False
    pieces = [piece for piece in _TAG_SEPARATOR.split(folded) if piece]
    hashtags = all(piece.startswith("#") for piece in pieces)
    words = [word for piece in pieces for word in piece.split("#") if word]
    if not words or any(len(w) > MAX_TAG_CHARS or not _LETTER.search(w) for w in words):
        return False
    return hashtags or len(words) >= MIN_TAG_WORDS

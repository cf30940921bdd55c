"""Lines at the top of a news page that are not its headline: bylines, datelines,
photo captions, paywall markers, section labels (快訊, a weather badge, • 會員), the
site's own name, font-size buttons and breadcrumbs.

Pages copied from Hong Kong, Taiwan and mainland news sites often open with
``鉅亨網編譯陳韋廷 綜合外電 2025-08-26 12:10``, ``發布日期: 2026年01月07日``, a photo
caption or a bare ``2025-09-19`` before (or after) the headline. ``titles`` skips
these lines to find the headline, ``dates`` still reads the date they state, and
``prepare`` takes a news outlet named in a byline as the source.

Decision: these lines stay in the body. A byline or a dateline is metadata a reader
likes to see above the text, and a caption describes the page's picture; none of them
is invented or lost. Only the headline leaves the body, and for a headline glued to a
metadata prefix (``date 2025-08-28 台積電法說會前夕``) the prefix stays as its own line.
Paywall markers are pure furniture: ``boilerplate`` cuts them with what follows.

Every rule matches the folded line (NFKC and traditional to simplified script, see
``normalize.fold``), so each pattern is written once, in simplified characters with
half-width punctuation: ``經濟日報／ 記者`` is matched as ``经济日报/ 记者``.
"""

from __future__ import annotations

import re

from app.text.normalize import fold, normalise

# Metadata lines are short; a longer line is prose even if it mentions a reporter.
MAX_BYLINE_CHARS = 60
MAX_CAPTION_CHARS = 100
MAX_PAYWALL_CHARS = 40
MAX_SECTION_CHARS = 12

# A date in the forms pages print: 2025-08-26, 2025/08/26, 2025.08.26, 2025年8月26日,
# and the day-first 28/08/2025 of Hong Kong pages.
_DATE = r"""(?:\d{4}\s*(?:[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,2}
                      |年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*[日号])?)
    |\d{1,2}/\d{1,2}/\d{4})"""
_TIME = r"(?:[上下]午\s*)?\d{1,2}:\d{2}(?::\d{2})?"
_WEEKDAY = r"(?:(?:星期|周|礼拜)[一二三四五六日天]|\([一二三四五六日天]\))"
# Labels of a publication or update stamp; "时间" and "date" only count before a date.
_STAMP_LABEL = r"""(?:date|time|published|updated|posted|日期|时间
    |(?:发布|发表|更新|出版|刊登|上架|修改)\s*(?:日期|时间))"""

# A line that is nothing but dates, times and weekdays (and separators between them).
_BARE_STAMP = re.compile(
    rf"""^(?:{_STAMP_LABEL}\s*:?\s*)?
    (?:{_DATE}|{_TIME})                      # at least one date or time
    (?:[\s,|·-]*(?:{_DATE}|{_TIME}|{_WEEKDAY}))*
    (?:\s*更新)?$""",
    re.I | re.X,
)
# A stamp label on its own line, e.g. "更新时间" above the stamp.
_LABELLED_STAMP = re.compile(
    r"""^(?:(?:发布|发表|更新|出版|刊登|上架|修改)\s*(?:日期|时间)
        |published|updated|posted)\s*:?$""",
    re.I | re.X,
)
# A headline glued after a labelled stamp or a date with its time:
# "date 2025-08-28 台积电法说会前夕 外资连3买". A bare date before words is left
# alone, since "2024年9月14日周末特辑" is a title that happens to start with a date.
_GLUED = re.compile(
    rf"""^(?P<prefix>
        (?:{_STAMP_LABEL}\s*:?\s*{_DATE}(?:\s*{_TIME})?   # labelled date, optional time
          |{_DATE}\s*{_TIME})                            # or a date with its time
        (?:\s*{_WEEKDAY})?)
    \s+(?P<rest>\S.*)$""",
    re.I | re.X,
)

# Cues that a line names its writer or outlet rather than news.
_BYLINE = re.compile(
    r"""
      记者(?!会)\s*[^\s/]{2,4}(?:/|\s|$)           # 记者杨伶雯/台北即时报导, 记者 王小明
    | 记者(?!会).{2,16}(?:\d{1,2}日电|报导|报道)\)?$  # 中央社记者王小明台北26日电
    | 编译(?!器)\S{0,4}(?:\s|/|$)                  # 巨亨网编译陈韦廷
    | 综合(?:外电|报导|报道)                       # 综合外电, 综合报导
    | 新闻中心(?:\s|/|$)                           # 巨亨网新闻中心
    | ^(?:作者|来源|出处|撰文|文|编辑|责任编辑|主编|采访|整理|图文)\s*[:/]\s*\S.{0,30}$
    | ^【[^】]{1,20}(?:讯|电|报导|报道)】$          # 【财华社讯】 alone on its line
    | ^\([^()]{1,20}(?:电|讯|报导|报道)\)$          # (中央社台北26日电) alone on its line
    | ^\S{2,12}?(?:app)?获悉[:,]?$                 # 智通财经APP获悉 alone on its line
    | ^[^\s/]{2,8}\s*/\s*[^\s/]{0,6}\d{1,2}日电$     # 中央社/ 台北24日电
    """,
    re.I | re.X,
)

# Section labels, weather and member badges printed around a headline.
_SECTION = re.compile(
    r"""^(?:•\s*)?(?:
        快讯|即时新闻|即时|独家|热搜|会员|会员专区|焦点|头条|要闻
      | [^\s:]{1,6}新闻                              # AH股新闻, 国际新闻
      | (?:[^\s:]{1,4}\s+)?正文                      # 投资 正文
      | [晴阴雨多云时短暂阵雷偶有]{1,6}               # 晴时多云: a weather badge
      | [^\s,，。:：]{2,8}(?:网|博客|频道|财经|日报|时报|晚报)  # the site: 明报新闻网, 自由财经
      | (?:[Aa][-+]?\s*){2,3}                        # font size buttons: A- A+
    )\s*:?$""",
    re.X,
)
# Where the page sits on its site: 当前位置:首页 > 网络营销 > 杂谈 >
_BREADCRUMB = re.compile(
    r"^(?:(?:当前位置|您的位置|你的位置)\s*:|[^。,，>]{1,12}>[^。,，>]{1,12}>)"
)

# Agencies and picture libraries credited in brackets at the end of a caption.
_PHOTO_CREDIT = r"""(?:路透社?|美联社|法新社|彭博社?|中央社|欧新社|达志影像|新华社|中新社
    |getty\s*images|ap|afp|reuters|bloomberg|epa|shutterstock|istock
    |取自\S{0,20}|翻摄\S{0,20}|截图\S{0,10})"""
_CAPTION = re.compile(
    rf"""
      摄影?\)?$                                    # (记者王小明摄影), (…摄)
    | 资料(?:照片?|图片?)\)?$                        # (本报资料照), 资料图
    | ^(?:图|图片|图说|照片|图片来源)\s*[/:]         # 图/路透, 图: …
    | ^[▲▼△]                                     # ▲韩国综合股价指数…
    | ^图为                                         # 图为…。(美联社)
    | 图为.{{0,80}}{_PHOTO_CREDIT}$                  # …。图为13日行人…。欧新社
    | \(\s*图\s*/[^()]{{0,20}}\)$                    # …。(图/路透)
    | \(\s*{_PHOTO_CREDIT}(?:\s*/\s*[^()]{{0,20}})?\s*\)$   # …(路透), (Getty Images/…)
    """,
    re.I | re.X,
)

# "The rest is for members": what follows on the page is a teaser or a login prompt.
_PAYWALL = re.compile(
    r"""^(?:
        (?:以下|下文|后文|余下|剩余|剩下)(?:的)?(?:内容|部分|全文)?
          (?:为|是|仅|仅限|只有|只限)?(?:付费)?(?:会员|订户|订阅者)
          (?:可见|专属|专享|阅读|可读|可看|才能阅读|才能查看|独享)
      | (?:本文|全文|此文|这篇文章)?(?:为|是)?(?:付费|会员|订户)(?:内容|专属|专享|文章|独享)
      | (?:订阅|登录|登入|加入会员|成为会员)(?:后|即可|以|才能)?(?:阅读|查看|继续阅读|解锁)
      | (?:解锁|阅读|查看)(?:完整)?全文
    )""",
    re.X,
)

# A news outlet named by a byline, e.g. 经济日报 in "经济日报/ 记者…" or 巨亨网 in
# "巨亨网编译…"; the suffixes keep it to outlet names.
_OUTLET = r"[^\s/:()【】]{1,10}?(?:网|报|社|新闻|财经|周刊|电视|电台)"
_OUTLET_BYLINE = re.compile(
    rf"""^(?:
        (?P<a>{_OUTLET})\s*/?\s*(?:记者|编译|新闻中心)   # 经济日报/ 记者…, 巨亨网编译…
      | 【(?P<b>{_OUTLET})(?:讯|电)】$                 # 【财华社讯】
      | \((?P<c>{_OUTLET})[^()]{{0,12}}电\)$           # (中央社台北26日电)
      | (?P<d>{_OUTLET})(?:app)?获悉[:,]?$            # 智通财经APP获悉
    )""",
    re.I | re.X,
)


_LETTER = re.compile(r"[^\W\d_]")


def _folded(line: str) -> str:
    return fold(line).strip()


def is_stamp(line: str) -> bool:
    """A dateline: a bare date or time, or a labelled publication or update stamp."""
    folded = _folded(line)
    return bool(_BARE_STAMP.match(folded) or _LABELLED_STAMP.match(folded))


def is_byline(line: str) -> bool:
    folded = _folded(line)
    return 0 < len(folded) <= MAX_BYLINE_CHARS and _BYLINE.search(folded) is not None


def is_section_label(line: str) -> bool:
    """A section, the site's name, a badge or a breadcrumb: page furniture."""
    folded = _folded(line)
    if 0 < len(folded) <= MAX_SECTION_CHARS and _SECTION.match(folded) is not None:
        return True
    return 0 < len(folded) <= MAX_CAPTION_CHARS and _BREADCRUMB.match(folded) is not None


def is_caption(line: str) -> bool:
    folded = _folded(line)
    return 0 < len(folded) <= MAX_CAPTION_CHARS and _CAPTION.search(folded) is not None


def is_paywall_marker(line: str) -> bool:
    """A line that says the rest of the page is for members only."""
    stripped = line.strip()
    if not stripped or len(stripped) > MAX_PAYWALL_CHARS:
        return False
    return _PAYWALL.match(_folded(stripped)) is not None


def is_page_metadata(line: str) -> bool:
    """A byline, dateline, photo caption, paywall marker or section label, or a stamp
    followed by one on the same line (``发布时间: 2025-08-26 09:30 来源: 证券时报``):
    never a headline."""
    stripped = line.strip()
    if not stripped or len(stripped) > MAX_CAPTION_CHARS:
        return False  # checked first: folding a long paragraph is wasted work
    if _is_one_item(stripped):
        return True
    glued = _split_stamp(stripped)
    return glued is not None and _is_one_item(glued[1])


def _is_one_item(line: str) -> bool:
    return (
        is_stamp(line)
        or is_byline(line)
        or is_caption(line)
        or is_paywall_marker(line)
        or is_section_label(line)
    )


def _split_stamp(line: str) -> tuple[str, str] | None:
    """``(stamp, rest)`` for a line that opens with a labelled stamp or a date and time,
    in the original spelling."""
    n = normalise(line)
    found = _GLUED.match(n.text)
    if not found:
        return None
    prefix_end = n.span(0, found.end("prefix"))[1]
    rest_start = n.span(found.start("rest"), found.end("rest"))[0]
    return line[:prefix_end].strip(), line[rest_start:].strip()


def split_glued_headline(line: str) -> tuple[str, str] | None:
    """``(prefix, headline)`` for a headline glued after a metadata prefix on one line
    (``date 2025-08-28 台積電法說會前夕``), in the original spelling; None otherwise."""
    stripped = line.strip()
    if len(stripped) > MAX_CAPTION_CHARS or is_page_metadata(stripped):
        return None
    glued = _split_stamp(stripped)
    if glued is None or not _LETTER.search(glued[1]):
        return None
    return glued


def byline_outlet(line: str) -> str | None:
    """The news outlet a byline names, in the original spelling, or None."""
    stripped = line.strip()
    if not 0 < len(stripped) <= MAX_BYLINE_CHARS or not is_byline(stripped):
        return None
    n = normalise(stripped)
    found = _OUTLET_BYLINE.match(n.text)
    if not found:
        return None
    group = next(g for g in "abcd" if found[g])
    start, end = n.span(found.start(group), found.end(group))
    return stripped[start:end]

"""Commentary bodies as HTML: Markdown rendered and sanitised, plain-text structure,
and mention links and highlights on exactly their characters in every format."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.web.annotate import Link
from app.web.app import create_app
from app.web.body_html import BodyFormat, body_format, body_html, body_text
from app.web.markdown_body import safe_href

MD = BodyFormat.MARKDOWN
PLAIN = BodyFormat.PLAIN


def at(text: str, words: str, nth: int = 0) -> tuple[int, int]:
    """The span of the ``nth`` occurrence of ``words`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(words, start + 1)
    return start, start + len(words)


def mention(text: str, words: str, symbol: str, mention_id: int, nth: int = 0) -> Link:
    start, end = at(text, words, nth)
    return Link(start, end, f"/tickers/{symbol}", f"m{mention_id}", symbol)


def md(
    text: str, links: list[Link] | None = None, marks: list[tuple[int, int]] | None = None
) -> str:
    return str(body_html(text, MD, links or [], marks or [], first_mark_id="hl"))


def plain(
    text: str, links: list[Link] | None = None, marks: list[tuple[int, int]] | None = None
) -> str:
    return str(body_html(text, PLAIN, links or [], marks or [], first_mark_id="hl"))


REPORT = (
    "## 业绩概览\n"
    "\n"
    "**贵州茅台**2024年营收同比增长15%，*直销*占比继续提升。\n"
    "\n"
    "- 直销渠道收入增长24%，i茅台贡献显著\n"
    "- 批发渠道保持稳定，**五粮液**同样稳健\n"
    "\n"
    "| 指标 | 2024年 | 同比 |\n"
    "|:--|--:|:-:|\n"
    "| 营收 | 1,741亿 | +15% |\n"
    "| 直销 | 740亿 | +24% |\n"
    "\n"
    "### 直销与茅台的估值\n"
    "\n"
    "> 直销占比提升是利润率的关键。\n"
)


def test_a_markdown_report_renders_its_structure() -> None:
    assert md(REPORT) == (
        "<h2>业绩概览</h2>\n"
        "<p><strong>贵州茅台</strong>2024年营收同比增长15%，<em>直销</em>占比继续提升。</p>\n"
        "<ul><li>直销渠道收入增长24%，i茅台贡献显著</li>"
        "<li>批发渠道保持稳定，<strong>五粮液</strong>同样稳健</li></ul>"
        '<div class="table-scroll" tabindex="0" role="region" aria-label="表格"><table>'
        '<thead><tr><th class="align-left">指标</th><th class="align-right">2024年</th>'
        '<th class="align-center">同比</th></tr></thead>'
        '<tbody><tr><td class="align-left">营收</td><td class="align-right">1,741亿</td>'
        '<td class="align-center">+15%</td></tr>'
        '<tr><td class="align-left">直销</td><td class="align-right">740亿</td>'
        '<td class="align-center">+24%</td></tr></tbody></table></div>\n'
        "<h3>直销与茅台的估值</h3>\n"
        "<blockquote><p>直销占比提升是利润率的关键。</p>\n</blockquote>"
    )


def test_marks_and_mentions_land_in_a_list_item_bold_text_a_cell_and_a_heading() -> None:
    links = [
        mention(REPORT, "贵州茅台", "600519.SS", 1),  # in bold text
        mention(REPORT, "五粮液", "000858.SZ", 2),  # bold text in a list item
        mention(REPORT, "茅台", "600519.SS", 3, nth=2),  # in the heading
    ]
    marks = [at(REPORT, "直销", n) for n in range(5)]
    html = md(REPORT, links, marks)
    assert "<h2>业绩概览</h2>" in html
    assert (
        '<p><strong><a class="mention" id="m1" href="/tickers/600519.SS" title="600519.SS">'
        "贵州茅台</a></strong>2024年营收同比增长15%，"
        '<em><mark id="hl">直销</mark></em>占比继续提升。</p>'
    ) in html
    assert "<li><mark>直销</mark>渠道收入增长24%，i茅台贡献显著</li>" in html
    assert (
        "<li>批发渠道保持稳定，<strong>"
        '<a class="mention" id="m2" href="/tickers/000858.SZ" title="000858.SZ">五粮液</a>'
        "</strong>同样稳健</li>"
    ) in html
    assert '<td class="align-left"><mark>直销</mark></td>' in html
    assert (
        "<h3><mark>直销</mark>与"
        '<a class="mention" id="m3" href="/tickers/600519.SS" title="600519.SS">茅台</a>'
        "的估值</h3>"
    ) in html
    assert "<blockquote><p><mark>直销</mark>占比提升是利润率的关键。</p>" in html
    assert html.count("<mark") == 5


def test_a_plain_text_bullet_and_heading_carry_marks_and_mentions() -> None:
    text = (
        "上周美股全线收涨，英伟达领涨。\n"
        "一周走势回顾\n"
        "本周英伟达盘中深V，突破阻力位，降息预期升温。\n"
        "- 如果最终降息50bps，英伟达会继续上涨；\n"
        "- 如果最终降息25bps，市场会失望"
    )
    links = [mention(text, "英伟达", "NVDA", n + 1, nth=n) for n in range(3)]
    marks = [at(text, "降息", n) for n in range(3)] + [at(text, "走势")]
    assert plain(text, links, marks) == (
        "<p>上周美股全线收涨，"
        '<a class="mention" id="m1" href="/tickers/NVDA" title="NVDA">英伟达</a>领涨。</p>\n'
        '<h2>一周<mark id="hl">走势</mark>回顾</h2>\n'
        '<p>本周<a class="mention" id="m2" href="/tickers/NVDA" title="NVDA">英伟达</a>'
        "盘中深V，突破阻力位，<mark>降息</mark>预期升温。</p>\n"
        "<ul>\n"
        "<li>如果最终<mark>降息</mark>50bps，"
        '<a class="mention" id="m3" href="/tickers/NVDA" title="NVDA">英伟达</a>会继续上涨；</li>\n'
        "<li>如果最终<mark>降息</mark>25bps，市场会失望</li>\n"
        "</ul>\n"
    )


def test_plain_numbered_lists_keep_their_numbering_style() -> None:
    text = "要点如下：\n3、美联储降息\n4、日本央行加息\n（一）非农\n（二）通胀"
    assert plain(text, marks=[at(text, "加息")]) == (
        "<p>要点如下：</p>\n"
        '<ol class="num-comma" start="3">\n<li>美联储降息</li>\n'
        '<li>日本央行<mark id="hl">加息</mark></li>\n</ol>\n'
        '<ol class="cjk-paren">\n<li>非农</li>\n<li>通胀</li>\n</ol>\n'
    )


def test_a_mark_over_markup_is_cut_and_keeps_one_id() -> None:
    text = "降息**预期**升温"
    assert md(text, marks=[(0, len(text))]) == (
        '<p><mark id="hl">降息</mark><strong><mark>预期</mark></strong><mark>升温</mark></p>\n'
    )
    links = [Link(0, len(text), "/tickers/X", "m9", "X")]
    assert md(text, links) == (
        '<p><a class="mention" id="m9" href="/tickers/X" title="X">降息</a><strong>'
        '<a class="mention" href="/tickers/X" title="X">预期</a></strong>'
        '<a class="mention" href="/tickers/X" title="X">升温</a></p>\n'
    )


def test_a_mention_inside_a_link_is_a_jump_target_not_a_nested_link() -> None:
    text = "详见[英伟达公告](https://example.com/nvda)。英伟达"
    links = [mention(text, "英伟达", "NVDA", 4), mention(text, "英伟达", "NVDA", 5, nth=1)]
    assert md(text, links) == (
        '<p>详见<a href="https://example.com/nvda" rel="nofollow noopener noreferrer">'
        '<span class="mention" id="m4" title="NVDA">英伟达</span>公告</a>。'
        '<a class="mention" id="m5" href="/tickers/NVDA" title="NVDA">英伟达</a></p>\n'
    )


def test_text_after_escapes_entities_and_link_addresses_keeps_its_offsets() -> None:
    text = "a\\*b &amp; [研报](https://x.example/降息)降息 `降息` 降息"
    marks = [at(text, "降息", n) for n in (1, 2, 3)]
    assert md(text, marks=marks) == (
        "<p>a*b &amp; "
        '<a href="https://x.example/%E9%99%8D%E6%81%AF" rel="nofollow noopener noreferrer">'
        '研报</a><mark id="hl">降息</mark> <code><mark>降息</mark></code> <mark>降息</mark></p>\n'
    )


def test_headings_move_down_so_the_largest_is_h2() -> None:
    assert md("# 一级\n\n### 三级\n\n###### 六级") == (
        "<h2>一级</h2>\n<h4>三级</h4>\n<h6>六级</h6>\n"
    )
    assert md("### 三级\n\n#### 四级") == "<h2>三级</h2>\n<h3>四级</h3>\n"


def test_code_ordered_lists_breaks_and_rules() -> None:
    assert md("```python\nx = '<b>'\n```\n\n3. 三\n4. 四\n\n甲\n乙\n\n---") == (
        "<pre><code>x = &#39;&lt;b&gt;&#39;</code></pre>\n"
        '<ol start="3"><li>三</li><li>四</li></ol>\n'
        "<p>甲<br>\n乙</p>\n"
        "<hr>\n"
    )


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "<div onclick=alert(1)>降息</div>",
        '<img src="x" onerror="alert(1)">',
        "段落 <b onmouseover=alert(1)>粗体</b>",
        "<!-- <script>alert(1)</script> -->",
    ],
)
def test_raw_html_is_shown_as_text(text: str) -> None:
    html = md(text)
    assert "<script" not in html
    assert "<div" not in html
    assert "<img" not in html
    assert "<b " not in html
    assert "<!--" not in html
    assert "&lt;" in html


@pytest.mark.parametrize(
    "text",
    [
        "[点我](javascript:alert(1))",
        "[点我](JaVaScRiPt:alert(1))",
        "[点我](&#106;avascript:alert(1))",
        "[点我](vbscript:msgbox(1))",
        "[点我](data:text/html;base64,PHNjcmlwdD4=)",
        "[点我](file:///etc/passwd)",
        "<javascript:alert(1)>",
        "[点我][x]\n\n[x]: javascript:alert(1)",
    ],
)
def test_links_to_other_schemes_are_only_their_text(text: str) -> None:
    html = md(text)
    assert "href" not in html
    assert "点我" in html or "javascript" in html


def test_safe_link_kinds() -> None:
    assert md("[官网](https://www.moutaichina.com) [邮件](mailto:ir@example.com) [上篇](/c/3)") == (
        '<p><a href="https://www.moutaichina.com" rel="nofollow noopener noreferrer">官网</a> '
        '<a href="mailto:ir@example.com" rel="nofollow noopener noreferrer">邮件</a> '
        '<a href="/c/3">上篇</a></p>\n'
    )
    assert md('[年报](https://example.com/a "2024年报")') == (
        '<p><a href="https://example.com/a" rel="nofollow noopener noreferrer" title="2024年报">'
        "年报</a></p>\n"
    )


def test_images_are_links_never_loaded() -> None:
    assert md("![K线图](https://img.example.com/k.png)") == (
        '<p><a class="md-image" href="https://img.example.com/k.png"'
        ' rel="nofollow noopener noreferrer">'
        '<span class="md-image-label">图片</span> K线图</a></p>\n'
    )
    assert md("![](/static/chart.png)") == (
        '<p><a class="md-image" href="/static/chart.png">'
        '<span class="md-image-label">图片</span></a></p>\n'
    )
    data = md("![走势](data:image/png;base64,iVBORw0KGgo=)")
    assert data == (
        '<p><span class="md-image"><span class="md-image-label">图片</span> 走势</span></p>\n'
    )
    linked = md("[![走势](https://img.example.com/k.png)](https://example.com)")
    assert linked == (
        '<p><a href="https://example.com" rel="nofollow noopener noreferrer">'
        '<span class="md-image"><span class="md-image-label">图片</span> 走势</span></a></p>\n'
    )


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://a.example/x", True),
        ("HTTP://a.example/x", True),
        ("mailto:a@b.example", True),
        ("/c/1", True),
        ("../x", True),
        ("#m1", True),
        ("?q=降息", True),
        ("javascript:alert(1)", False),
        (" javascript:alert(1)", False),
        ("data:image/png;base64,AAAA", False),
        ("java%09script:alert(1)", False),
        ("tel:123", False),
    ],
)
def test_safe_href(url: str, safe: bool) -> None:
    assert (safe_href(url) is not None) is safe


def test_the_format_comes_from_the_file_name() -> None:
    assert body_format("/data/2024/茅台.md") is MD
    assert body_format("/data/NOTE.MARKDOWN") is MD
    assert body_format("/data/note.txt") is PLAIN
    assert body_format("/data/page.html") is PLAIN
    assert body_format("/data/feed.jsonl") is PLAIN


SEED_NAMES = [
    "000_c914eaaa9e4764eb.txt",
    "001_ec83c6fb50b098af.txt",
    "002_31a3cd2343be7dca.txt",
    "003_70f6b4f1b0cd2a58.txt",
    "004_a5ac74193c901af3.txt",
]


@pytest.mark.parametrize("name", SEED_NAMES)
def test_every_seed_mention_links_its_own_characters(
    client: TestClient, seed_ids: dict[str, int], name: str
) -> None:
    doc = seed_ids[name]
    mentions = client.get(f"/api/commentaries/{doc}").json()["mentions"]
    html = client.get(f"/c/{doc}").text
    assert mentions
    for m in mentions:
        link = (
            f'<a class="mention" id="m{m["id"]}" href="/tickers/{m["symbol"]}"'
            f' title="{m["symbol"]}">{m["alias"]}</a>'
        )
        assert html.count(link) == 1, link
        assert html.count(f'id="m{m["id"]}"') == 1


def test_a_seed_shows_its_sections_with_their_mentions(
    client: TestClient, seed_ids: dict[str, int]
) -> None:
    doc = seed_ids["003_70f6b4f1b0cd2a58.txt"]
    mentions = client.get(f"/api/commentaries/{doc}").json()["mentions"]
    nasdaq = next(m for m in mentions if m["alias"] == "纳指")
    html = client.get(f"/c/{doc}", params={"q": "市场"}).text
    body = html.split('<div class="body">')[1].split("</div>")[0]
    assert body.startswith('\n<h2>美国<mark id="hl">市场</mark></h2>\n<h3>一、')
    assert (
        f'<h3>一、<a class="mention" id="m{nasdaq["id"]}" href="/tickers/IXIC" title="IXIC">'
        "纳指</a>如期突破年内高点</h3>"
    ) in body
    assert "<h2>A股<mark>市场</mark></h2>" in body
    assert body.count("<ul>") == 2
    assert body.count("<li>") == 6


def test_a_markdown_commentary_page(
    index_commentary: Callable[..., int], settings: Settings
) -> None:
    doc = index_commentary(
        "## 本周要点\n\n"
        "**英伟达**财报超预期。\n\n"
        "- 降息预期升温，英伟达领涨\n"
        "- 美元走弱\n\n"
        "<script>alert(1)</script> [点我](javascript:alert(2))\n",
        title="英伟达周评",
        date="2024-09-14",
    )
    with TestClient(create_app(settings)) as fresh:
        mentions = fresh.get(f"/api/commentaries/{doc}").json()["mentions"]
        html = fresh.get(f"/c/{doc}", params={"q": "降息"}).text
    first, second = (m["id"] for m in mentions)
    body = html.split('<div class="body">')[1].split("</div>")[0]
    assert body == (
        "\n<h2>本周要点</h2>\n"
        f'<p><strong><a class="mention" id="m{first}" href="/tickers/NVDA" title="NVDA">'
        "英伟达</a></strong>财报超预期。</p>\n"
        '<ul><li><mark id="hl">降息</mark>预期升温，'
        f'<a class="mention" id="m{second}" href="/tickers/NVDA" title="NVDA">英伟达</a>领涨</li>'
        "<li>美元走弱</li></ul><p>&lt;script&gt;alert(1)&lt;/script&gt; "
        "[点我](javascript:alert(2))</p>\n\n  "
    )
    with TestClient(create_app(settings)) as fresh:
        home = fresh.get("/").text
    assert (
        '<p class="snippet lead">本周要点 英伟达财报超预期。 降息预期升温，英伟达领涨 美元走弱'
        in home
    )


def test_the_text_of_a_markdown_body_has_no_markers() -> None:
    assert body_text(REPORT, MD) == (
        "业绩概览\n贵州茅台2024年营收同比增长15%，直销占比继续提升。\n"
        "直销渠道收入增长24%，i茅台贡献显著\n批发渠道保持稳定，五粮液同样稳健\n"
        "指标\n2024年\n同比\n\n营收\n1,741亿\n+15%\n\n直销\n740亿\n+24%\n\n"
        "直销与茅台的估值\n直销占比提升是利润率的关键。\n\n"
    )
    assert body_text("**不是** Markdown", PLAIN) == "**不是** Markdown"

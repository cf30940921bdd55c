"""A deterministic synthetic corpus of commentaries as JSON Lines.

Built from the sentences of the seed commentaries, sentence templates of our own
filled with instruments drawn from the dictionary with a long-tail (Zipf) distribution
and written the ways commentators write them (NVDA, $NVDA$, 英伟达, 輝達, Nvidia,
英伟达(NVDA)), and sentences of words drawn from jieba's dictionary by their corpus
frequency, so that words are spread over documents as in real text (a few in most
documents, most in a few) rather than every seed phrase being in every document.
Dates spread over 2019-2026, some by month only, some missing; about one commentary
in seven is in traditional script; bodies run from 1 to 12 KB.

    python -m bench.corpus N OUT.jsonl
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
import re
import sys
from functools import lru_cache
from pathlib import Path

import jieba
import opencc

from app.instruments import load
from app.instruments.dictionary import Instrument

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED = 20261122
FIRST_DAY, LAST_DAY = dt.date(2019, 1, 1), dt.date(2026, 10, 31)
SOURCES = [
    "华尔街见闻",
    "财新",
    "雪球专栏",
    "格隆汇",
    "Morning Brief",
    "周末特辑",
    "研报摘要",
    "群内分享",
]
# The names commentary talks about most, most talked about first; the rest of the
# dictionary follows in its own order, each less likely than the one before.
POPULAR = [
    *("NVDA", "TSLA", "AAPL", "MSFT", "SPY", "QQQ", "AMZN", "META", "GOOGL", "AMD"),
    *("AVGO", "TSM", "BTC", "XAU", "SPX", "IXIC", "BABA", "0700.HK", "PLTR", "ORCL"),
    *("MU", "SMCI", "ARM", "COIN", "HOOD", "NFLX", "JPM", "GS", "PDD", "JD", "BIDU"),
    *("NIO", "XPEV", "LI", "9984.T", "005930.KS", "000660.KS", "2330.TW", "TLT", "IWM"),
    *("SMH", "SOXX", "HSI", "HSTECH", "000001.SS", "600519.SS", "300750.SZ", "ETH"),
]
TEMPLATES = [
    "{a}今日收涨{p}%，成交额放大到{n}亿美元，资金明显回流科技板块。",
    "{a}盘后公布季报，营收同比增长{p}%，毛利率指引好于市场预期。",
    "我们维持对{a}的谨慎看法，估值已经透支了未来两年的增长。",
    "市场担心{a}的资本开支过高，股价在{n}日均线附近反复震荡。",
    "{a}与{b}的走势出现明显分化，说明资金开始在板块内部做选择。",
    "本周{a}期权的隐含波动率回落到{p}%，看涨期权成交占比超过六成。",
    "如果{a}守不住前低，{b}和{c}也很难独善其身。",
    "机构在{a}上的仓位已经降到年内低点，反弹时空头回补的力量不可小觑。",
    "{a}宣布{n}亿美元回购计划，管理层对下半年订单能见度表示乐观。",
    "从资金流向看，{a}连续{k}个交易日净流入，而{b}则遭遇净流出。",
    "美联储议息会议前，{a}和{b}都出现了放量下跌，降息预期再度摇摆。",
    "{a}的供应链人士透露，新一代产品的备货量比去年同期多出{p}%。",
    "海外对冲基金在{a}上加仓明显，但零售资金仍在追逐{b}。",
    "我们把{a}的目标价上调至{n}美元，对应明年约{k}倍市盈率。",
    "{a}跌破关键支撑后，技术面转弱，短线不宜抄底。",
    "港股方面，{a}领涨科技股，恒生科技指数收涨{p}%。",
    "A股市场成交清淡，{a}逆势走强，北向资金小幅净买入。",
    "{a}的管理层在电话会上表示，AI相关收入占比已升至{p}%。",
    "债市方面，十年期美债收益率升至{p}%，压制了{a}等成长股的估值。",
    "黄金再创新高，{a}与美元指数的负相关性重新增强。",
    "{a}公布的月度数据低于预期，拖累{b}和相关概念股集体回调。",
    "在降息周期里，{a}这样的高股息资产仍有配置价值。",
    "半导体板块全线反弹，{a}涨{p}%，{b}涨幅也超过{k}%。",
    "有读者问到{a}和{b}怎么选，我们的建议是先看现金流，再看估值。",
    "{a}被纳入指数后，被动资金的买盘将在月底集中体现。",
]
DIGITS = re.compile(r"\d")
_CJK_WORD = re.compile(r"[\u4e00-\u9fff]+")


@lru_cache(maxsize=1)
def _to_traditional() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


@lru_cache(maxsize=1)
def seed_sentences() -> list[str]:
    sentences: list[str] = []
    for path in sorted(SEEDS.iterdir()):
        text = path.read_text("utf-8")
        for piece in re.split(r"(?<=[。！？!?；])", text):
            piece = piece.strip()
            if 12 <= len(piece) <= 160:
                sentences.append(piece)
    return sentences


@lru_cache(maxsize=1)
def instruments() -> tuple[list[Instrument], list[float]]:
    """Instruments in popularity order, with Zipf weights."""
    dictionary = load()
    first = [dictionary.by_symbol[s] for s in POPULAR if s in dictionary.by_symbol]
    chosen = {i.symbol for i in first}
    ordered = first + [i for i in dictionary.instruments if i.symbol not in chosen]
    weights = [1 / (rank + 1) ** 1.1 for rank in range(len(ordered))]
    return ordered, weights


def _surface(rng: random.Random, instrument: Instrument) -> str:
    """One way a commentator might write the instrument."""
    latin = [a for a in instrument.aliases if a.isascii() and " " not in a]
    chinese = [a for a in instrument.aliases if not a.isascii()]
    unambiguous = [a for a in chinese if a not in instrument.ambiguous]
    symbol = instrument.symbol
    forms = [symbol, symbol, f"${symbol}$"]
    if instrument.name_zh:
        forms += [instrument.name_zh] * 3 + [f"{instrument.name_zh}({symbol})"]
    forms += unambiguous + latin[:1]
    return rng.choice(forms)


@lru_cache(maxsize=1)
def vocabulary() -> tuple[list[str], list[float]]:
    """Chinese words of jieba's dictionary and their cumulative frequencies."""
    words: list[str] = []
    cumulative: list[float] = []
    total = 0.0
    with jieba.get_dict_file() as fh:
        for line in fh.read().decode("utf-8").splitlines():
            word, freq, *_ = line.split(" ")
            if _CJK_WORD.fullmatch(word):
                total += int(freq)
                words.append(word)
                cumulative.append(total)
    return words, cumulative


def _words_sentence(rng: random.Random) -> str:
    words, cumulative = vocabulary()
    clauses = [
        "".join(rng.choices(words, cum_weights=cumulative, k=rng.randint(3, 8)))
        for _ in range(rng.randint(1, 3))
    ]
    return "，".join(clauses) + "。"


def _sentence(rng: random.Random, names: list[Instrument]) -> str:
    # Mostly dictionary words, some real seed sentences and templates: a seed or
    # template phrase ends up in a tenth to a quarter of the documents, as a stock
    # phrase of market commentary would, not in nearly all of them.
    roll = rng.random()
    if roll < 0.06:
        return rng.choice(seed_sentences())
    if roll < 0.96:
        return _words_sentence(rng)
    template = rng.choice(TEMPLATES)
    slots = {k: _surface(rng, rng.choice(names)) for k in ("a", "b", "c")}
    numbers = {
        "p": f"{rng.uniform(0.1, 30):.1f}",
        "n": rng.randint(2, 900),
        "k": rng.randint(2, 40),
    }
    return template.format(**slots, **numbers)


def _date(rng: random.Random) -> str | None:
    roll = rng.random()
    if roll < 0.08:
        return None
    day = FIRST_DAY + dt.timedelta(days=rng.randint(0, (LAST_DAY - FIRST_DAY).days))
    return day.strftime("%Y-%m") if roll < 0.13 else day.isoformat()


def commentary(index: int) -> dict[str, object]:
    rng = random.Random(SEED * 1_000_003 + index)
    ordered, weights = instruments()
    names = rng.choices(ordered, weights=weights, k=rng.randint(1, 6))
    # Bodies of 1-12 KB, most near 4-5 KB.
    target = int(min(12_000, max(1_000, rng.lognormvariate(math.log(4_600), 0.45))))
    paragraphs: list[str] = []
    size = 0
    while size < target:
        paragraph = "".join(_sentence(rng, names) for _ in range(rng.randint(2, 6)))
        paragraphs.append(paragraph)
        size += len(paragraph.encode("utf-8")) + 1
    body = "\n".join(paragraphs)
    title = f"{_surface(rng, names[0])}：{rng.choice(seed_sentences())[:24]}（第{index}期）"
    if rng.random() < 0.15:
        body, title = _to_traditional().convert(body), _to_traditional().convert(title)
    record: dict[str, object] = {"title": title, "body": body, "source": rng.choice(SOURCES)}
    date = _date(rng)
    if date is not None:
        record["date"] = date
    return record


def write(count: int, out: Path, start: int = 0) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as fh:
        for index in range(start, start + count):
            fh.write(json.dumps(commentary(index), ensure_ascii=False) + "\n")
    return out


if __name__ == "__main__":
    write(int(sys.argv[1]), Path(sys.argv[2]))

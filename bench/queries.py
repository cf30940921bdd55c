"""The fixed query mix of the search benchmark: 220 queries of eight kinds."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

WORDS = [
    *("降息", "财报", "期权", "估值", "美联储", "半导体", "回购", "资本开支", "毛利率", "港股"),
    *("科技股", "通胀", "收益率", "黄金", "比特币", "机构", "仓位", "流动性", "回调", "反弹"),
    *("市盈率", "指引", "订单", "供应链", "成交额", "净流入", "波动率", "板块", "空头", "多头"),
    *("就业", "点阵图", "算力", "数据中心", "推理", "芯片", "国债", "美元", "日元", "关税"),
]
PAIRS = [
    *("英伟达 财报", "降息 预期", "美联储 降息", "半导体 反弹", "资本开支 指引", "港股 科技股"),
    *("期权 波动率", "回购 计划", "机构 仓位", "黄金 新高", "比特币 反弹", "美债 收益率"),
    *("数据中心 收入", "订单 能见度", "估值 透支", "空头 回补", "北向资金 净买入", "恒生科技 涨"),
    *("芯片 需求", "算力 投资", "就业 数据", "通胀 数据", "日元 套息", "关税 立场"),
    *("现金流 估值", "毛利率 指引", "成交额 放大", "资金 回流", "技术面 转弱", "被动资金 买盘"),
]
PHRASES = [
    *("降息预期", "资本开支", "看涨期权", "毛利率指引", "回购计划", "隐含波动率"),
    *("空头回补", "资金回流", "技术面转弱", "被动资金", "净流入", "数据中心"),
    *("高股息资产", "月度数据", "目标价", "市盈率", "电话会", "供应链人士"),
    *("恒生科技指数", "北向资金", "十年期美债", "成长股", "相关概念股", "放量下跌"),
    *("关键支撑", "板块内部", "年内低点", "订单能见度", "算力需求", "推理芯片"),
]
TICKERS = [
    *("NVDA", "TSLA", "AAPL", "MSFT", "SPY", "QQQ", "AMZN", "META", "GOOGL", "AMD"),
    *("AVGO", "TSM", "BTC", "XAU", "SPX", "IXIC", "BABA", "0700.HK", "PLTR", "ORCL"),
    *("MU", "SMCI", "ARM", "COIN", "HOOD", "NFLX", "JPM", "PDD", "9984.T", "005930.KS"),
]
ALIASES = [
    *("英伟达", "輝達", "Nvidia", "苹果", "蘋果", "特斯拉", "微软", "谷歌", "亚马逊", "博通"),
    *("台积电", "台積電", "阿里巴巴", "腾讯", "比特币", "黄金", "甲骨文", "美光科技", "软银"),
    *("三星电子", "SK海力士", "帕兰提尔", "超微电脑", "标普500", "纳指"),
]
TRADITIONAL = [
    *("聯準會", "降息預期", "財報", "資本開支", "半導體", "期權", "估值", "回購", "港股"),
    *("科技股", "通膨", "殖利率", "黃金", "比特幣", "機構", "倉位", "流動性", "輝達 財報"),
    *("台積電 營收", "美聯儲 降息"),
]
DATED = [
    *("降息 from:2024-01-01 to:2024-06-30", "财报 year:2023", "英伟达 from:2025-01"),
    *("半导体 to:2020-12-31", "期权 year:2021", "黄金 from:2022-03 to:2022-09"),
    *("回购 year:2024", "ticker:NVDA year:2025", "ticker:TSLA from:2023-01-01"),
    *("资本开支 from:2019-06 to:2019-12", "港股 year:2020", "美联储 from:2026-01-01"),
    *("估值 to:2021-06", "比特币 year:2024", "ticker:AAPL to:2022-12-31"),
    *("科技股 from:2023-07 to:2023-09", "通胀 year:2022", "收益率 from:2024-10"),
    *("流动性 year:2019", "反弹 from:2025-06", "订单 to:2020-06"),
    *("芯片 year:2026", "算力 from:2024-01 to:2024-12", "机构 year:2021"),
    "仓位 from:2020-01-01 to:2020-03-31",
]
NEWEST = [
    *("降息", "英伟达", "财报", "ticker:NVDA", "半导体 反弹", '"降息预期"', "黄金", "比特币"),
    *("回购", "港股", "特斯拉", "苹果", "聯準會", "资本开支", "期权", "估值"),
    *("ticker:AAPL", "美联储 降息", "科技股", "台积电"),
]


@dataclass(frozen=True, slots=True)
class Query:
    kind: str
    text: str
    options: dict[str, Any] = field(default_factory=dict)


def mix() -> list[Query]:
    queries = [Query("word", w) for w in WORDS]
    queries += [Query("and", p) for p in PAIRS]
    queries += [Query("phrase", f'"{p}"') for p in PHRASES]
    queries += [Query("ticker", f"ticker:{t}" if i % 2 else f"${t}") for i, t in enumerate(TICKERS)]
    queries += [Query("alias", a) for a in ALIASES]
    queries += [Query("traditional", t) for t in TRADITIONAL]
    queries += [Query("dated", d) for d in DATED]
    queries += [Query("newest", n, {"sort": "newest"}) for n in NEWEST]
    return queries


_FILTERS = re.compile(r"\b(?:from|to|year):\S+")


def naive_text(text: str) -> str:
    """The query as the naive stack can read it: no filters, tickers as plain words."""
    text = _FILTERS.sub("", text).replace("ticker:", "").replace("$", "")
    return text.strip() or text

"""The Chinese a reader is shown when a request cannot be served: parameters that fail
validation, dates and ids that name nothing, services that are down."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from app.web.errors import ParameterProblem

# Request parameters as a reader knows them, each with its name as sent.
PARAMETER_LABELS = {
    "q": "查询 q",
    "page": "页码 page",
    "per_page": "每页条数 per_page",
    "sort": "排序方式 sort",
    "literal": "只搜字面 literal",
    "filter": "筛选词 filter",
    "ticker": "代码 ticker",
    "from": "起始日期 from",
    "to": "截止日期 to",
}

NOT_FOUND = "这个地址没有对应的页面，可能是链接写错了，或者内容已被移除。"
METHOD_NOT_ALLOWED = "这个地址只能用 GET 请求读取。"
INTERNAL_ERROR = "处理这个请求时出了错，已经记录下来。请稍后再试。"
DATABASE_UNAVAILABLE = "档案数据库暂时不可用，请稍后再试。"
INDEX_UNAVAILABLE = "搜索索引暂时不可用，请稍后再试。"
BAD_REQUEST = "请求参数有误"


def _choices(expected: str) -> str:
    """``'a', 'b' or 'c'`` (pydantic's wording) as ``a、b、c``."""
    found = re.findall(r"'([^']*)'", expected)
    return "、".join(found) if found else expected


def _problem(kind: str, ctx: Mapping[str, Any]) -> str:
    """What is wrong with a value, from pydantic's error type and context."""
    if kind in ("greater_than_equal", "greater_than"):
        bound = ctx.get("ge", ctx.get("gt"))
        return f"至少为 {bound}" if kind == "greater_than_equal" else f"必须大于 {bound}"
    if kind in ("less_than_equal", "less_than"):
        bound = ctx.get("le", ctx.get("lt"))
        return f"最多为 {bound}" if kind == "less_than_equal" else f"必须小于 {bound}"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return "必须是整数"
    if kind in ("bool_parsing", "bool_type"):
        return "只能是 true 或 false（也可写 1 或 0）"
    if kind in ("literal_error", "enum"):
        return f"只能是 {_choices(str(ctx.get('expected', '')))} 之一"
    if kind == "string_too_long":
        return f"最长 {ctx.get('max_length')} 个字符"
    if kind == "string_too_short":
        return f"至少 {ctx.get('min_length')} 个字符"
    if kind == "missing":
        return "不能省略"
    if kind in ("string_unicode", "string_type"):
        return "必须是文字"
    return "的值无法使用"


def parameter_problems(errors: Sequence[Mapping[str, Any]]) -> list[ParameterProblem]:
    """FastAPI's validation errors as one Chinese sentence per parameter."""
    problems: list[ParameterProblem] = []
    for error in errors:
        location = [str(part) for part in error.get("loc", ())]
        name = ".".join(location[1:]) or (location[0] if location else "?")
        label = PARAMETER_LABELS.get(name, name)
        problem = _problem(str(error.get("type", "")), error.get("ctx") or {})
        joiner = "" if problem.startswith("的") else " "
        problems.append(ParameterProblem(parameter=name, message=f"{label}{joiner}{problem}"))
    return problems


def problems_sentence(problems: Sequence[ParameterProblem]) -> str:
    return f"{BAD_REQUEST}：" + "；".join(p.message for p in problems)


def no_such_date(year: int, month: int | None = None, day: int | None = None) -> str:
    parts = "/".join(str(p) for p in (year, month, day) if p is not None)
    return f"没有这个日期：{parts}"


def no_commentary(commentary_id: int | str) -> str:
    return f"没有编号为 {commentary_id} 的评论。"


def unknown_ticker(symbol: str) -> str:
    return f"词典里没有代码或名称为“{symbol}”的标的。"


def empty_period(label: str) -> str:
    return f"{label}没有评论。"

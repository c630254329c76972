"""Recognising the headers of coding sheets, in English and Chinese.

Coders name their columns as they like (``政策工具``, ``Policy instrument``,
``Tool``).  :func:`standardize_columns` renames them onto policyquant's fields:
first through the user's explicit ``columns`` mapping, then through the
built-in aliases below and the framework's dimension keys and labels.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import pandas as pd

from .._i18n import _, table_name
from .._text import normalize_name
from ..errors import ValidationError
from ..model import Framework

__all__ = ["HEADER_ALIASES", "standardize_columns"]

Table = Literal["documents", "units"]

# A coder's free-text note on a clause or a document (why this code, what to check): the same
# spellings on both sheets, as both tables have a memo.
_MEMO_ALIASES = ("memo", "memos", "note", "notes", "comment", "备注", "备忘", "备忘录", "批注")

#: Header spellings recognised for each field, per table.
HEADER_ALIASES: Mapping[Table, Mapping[str, tuple[str, ...]]] = {
    "documents": {
        "doc_id": (
            "doc_id",
            "doc id",
            "doc",
            "document",
            "document_id",
            "document id",
            "id",
            "policy_id",
            "policy id",
            "文件编号",
            "政策编号",
            "文件id",
            "政策id",
            "编号",
            "序号",
        ),
        "title": (
            "title",
            "document title",
            "policy title",
            "name",
            "标题",
            "政策名称",
            "文件名称",
            "政策标题",
            "名称",
        ),
        "issuers": (
            "issuers",
            "issuer",
            "issuing body",
            "issuing bodies",
            "issued by",
            "发文机构",
            "发文单位",
            "发布机构",
            "发文部门",
            "发文主体",
        ),
        "level": ("level", "administrative level", "policy level", "层级", "级别", "政策层级", "行政级别"),
        "region": ("region", "province", "地区", "省份", "区域", "地域"),
        "year": ("year", "年份", "发文年份", "发布年份", "年度"),
        "date": (
            "date",
            "issue date",
            "issued",
            "publication date",
            "发文日期",
            "发布日期",
            "日期",
            "发文时间",
            "发布时间",
        ),
        "memo": _MEMO_ALIASES,
    },
    "units": {
        "unit_id": (
            "unit_id",
            "unit id",
            "unit",
            "clause_id",
            "clause id",
            "id",
            "code",
            "编号",
            "条款编号",
            "编码",
            "单元编号",
            "条款id",
        ),
        "doc_id": (
            "doc_id",
            "doc id",
            "doc",
            "document",
            "document_id",
            "document id",
            "policy_id",
            "policy id",
            "文件编号",
            "政策编号",
            "文件id",
            "政策id",
        ),
        "text": ("text", "clause text", "content", "条款内容", "文本", "内容", "政策文本", "条款文本"),
        "instrument": (
            "instrument",
            "policy instrument",
            "tool",
            "policy tool",
            "政策工具",
            "工具",
            "工具类型",
            "政策工具类型",
        ),
        "objectives": (
            "objectives",
            "objective",
            "policy objectives",
            "policy objective",
            "goals",
            "goal",
            "政策目标",
            "目标",
            "目标类型",
        ),
        "memo": _MEMO_ALIASES,
    },
}


def _dimension_aliases(framework: Framework, table: Table) -> dict[str, str]:
    scale = framework.scale
    if scale is None:
        return {}
    unit = "document" if table == "documents" else "unit"
    aliases = {}
    for dimension in scale.dimensions_for(unit):
        for name in (dimension.key, dimension.label, *dimension.labels.values()):
            aliases[normalize_name(name)] = dimension.key
    return aliases


def standardize_columns(
    frame: pd.DataFrame,
    table: Table,
    framework: Framework,
    columns: Mapping[str, str] | None = None,
    source: str | None = None,
) -> pd.DataFrame:
    """Rename a sheet's headers onto policyquant's fields.

    Parameters
    ----------
    frame : pandas.DataFrame
        The sheet as read.
    table : {"documents", "units"}
        Which sheet it is.
    framework : Framework
        Supplies the dimension keys and labels (``DA``, 发文权威, ...).
    columns : mapping of str to str, optional
        ``{"their header": "field"}``; applied first, to the headers this
        sheet has (a mapping may cover both sheets).  Headers that name neither
        a field nor an alias are kept as they are.
    source : str, optional
        The file name, for messages.

    Returns
    -------
    pandas.DataFrame
        The same data with renamed columns.

    Raises
    ------
    ValidationError
        If two headers would become the same field.

    Examples
    --------
    >>> import policyquant as pq
    >>> sheet = pd.DataFrame(columns=["条款编号", "文件编号", "政策工具", "政策目标", "Audience scope", "措施力度"])
    >>> list(standardize_columns(sheet, "units", pq.get_framework("wang2026")).columns)
    ['unit_id', 'doc_id', 'instrument', 'objectives', 'AS', 'MI']
    """
    headers = [str(c) for c in frame.columns]
    problems = []
    rename: dict[str, str] = {}
    user = dict(columns or {})
    for header, field in user.items():
        if header in headers:
            rename[header] = field
    aliases = {normalize_name(a): field for field, names in HEADER_ALIASES[table].items() for a in names}
    aliases.update(_dimension_aliases(framework, table))
    for header in headers:
        if header not in rename:
            rename[header] = aliases.get(normalize_name(header), header)
    targets: dict[str, str] = {}
    for header in headers:
        target = rename[header]
        if target in targets:
            problems.append(
                {
                    "file": source,
                    "column": header,
                    "problem": _("a second column for {field!r}").format(field=target),
                    "expected": _("one column per field; {header!r} is already {field!r}").format(
                        header=targets[target], field=target
                    ),
                }
            )
        targets[target] = header
    if problems:
        raise ValidationError(
            _("{source}: the headers cannot be mapped").format(
                source=source or _("the {table} sheet").format(table=table_name(table))
            ),
            problems,
        )
    renamed = frame.copy(deep=False)
    renamed.columns = [rename[h] for h in headers]
    return renamed

"""Writing the PMC coding template and codebook."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ...errors import ValidationError
from .index import _WORDS, PMC_EXAMPLE_VARIABLES, PMCIndex, PMCScale, _parse_column

_BOOK_HEADERS = {
    "en": {"part": "part", "key": "key", "label": "label", "parent": "parent", "score": "score",
           "description": "description"},
    "zh": {"part": "类别", "key": "键", "label": "名称", "parent": "上级", "score": "分值",
           "description": "编码规则"},
}


def _system(
    source: PMCIndex | PMCScale | None, language: str
) -> list[tuple[str, str, list[tuple[str, str, str]]]]:
    """Each first-level variable with its label, and its sub-variables as (column, label, description)."""
    words = _WORDS[language]
    if source is None or (isinstance(source, PMCScale) and source.index is None):
        pick = 1 if language == "zh" else 0
        return [
            (
                variable,
                names[pick],
                [
                    (f"{variable}_{j}", sub[pick], words["sub.description"].format(label=sub[pick]))
                    for j, sub in enumerate(subs, start=1)
                ],
            )
            for variable, (names, subs) in PMC_EXAMPLE_VARIABLES.items()
        ]
    if isinstance(source, PMCScale):
        index, dimensions = source.index, source.dimensions
    elif isinstance(source, PMCIndex):
        index, dimensions = source, source.dimensions()
    else:
        raise ValidationError(
            f"expected a PMCIndex, a PMCScale or None for the example system, got {type(source).__name__}"
        )
    assert index is not None
    described = iter(dimensions)
    system = []
    for variable, columns in index.variables.items():
        subs = []
        for column in columns:
            dimension = next(described)
            label = dimension.label_in(None if language == "en" else language)
            # A label that only repeats the column's name says nothing: the rule says it all.
            parsed = _parse_column(label)
            shown = "" if parsed is not None and parsed == _parse_column(str(column)) else label
            subs.append((str(column), shown, dimension.description or words["sub.description"].format(label=shown)))
        system.append((variable, "", subs))
    return system


def pmc_codebook(source: PMCIndex | PMCScale | None = None, *, language: str | None = None) -> pd.DataFrame:
    """The variable system in words: every first-level variable and sub-variable with its meaning.

    Parameters
    ----------
    source : PMCIndex, PMCScale or None
        The system to describe.  ``None``, or a scale that finds its variables
        in each frame (the ``"pmc"`` framework's), gives
        :data:`PMC_EXAMPLE_VARIABLES`, the ten-variable example of the how-to.
    language : {None, "en", "zh"}
        The language of the labels and the rules (``"zh-CN"`` is ``"zh"``).

    Returns
    -------
    pandas.DataFrame
        One row per first-level variable followed by one per sub-variable,
        with the columns ``part`` (``variable`` or ``sub-variable``), ``key``
        (``X1``, ``X1_1``), ``label``, ``parent`` (a sub-variable's
        variable), ``score`` (``0, 1`` for a sub-variable) and
        ``description``.

    Examples
    --------
    >>> from policyquant.frameworks.pmc import pmc_codebook
    >>> book = pmc_codebook()
    >>> book.loc[book["key"].isin(["X1", "X1_2"]), ["part", "key", "label", "parent"]]
               part   key          label parent
    0      variable    X1  Policy nature
    2  sub-variable  X1_2    supervisory     X1
    >>> pmc_codebook(language="zh").iloc[:2][["key", "label", "description"]]
        key label        description
    0    X1  政策性质  其5个二级变量的均值，介于0与1之间。
    1  X1_1    预测     政策涉及（预测）记1，否则记0。
    """
    from ..._language import interface_language

    language = interface_language(language)
    words = _WORDS[language]
    rows = []
    for variable, label, subs in _system(source, language):
        rows.append(
            {
                "part": words["variable"],
                "key": variable,
                "label": label,
                "parent": "",
                "score": "",
                "description": words["variable.description"].format(n=len(subs)),
            }
        )
        rows += [
            {
                "part": words["sub-variable"],
                "key": column,
                "label": sub_label,
                "parent": variable,
                "score": words["scores"],
                "description": description,
            }
            for column, sub_label, description in subs
        ]
    return pd.DataFrame(rows, columns=["part", "key", "label", "parent", "score", "description"], dtype=object)


def _template_headers(system: list[tuple[str, str, list[tuple[str, str, str]]]]) -> list[tuple[str, str, str, str]]:
    """(header, variable, variable label, sub-variable label) of every sub-variable column, in order.

    Columns are numbered ``X<i>_<j>`` by position, so that ``policyquant pmc`` finds them
    whatever the system calls them; the label follows after a space.
    """
    return [
        (f"X{i}_{j}" + (f" {_one_line_label(label)}" if label else ""), variable, variable_label, label)
        for i, (variable, variable_label, subs) in enumerate(system, start=1)
        for j, (_, label, _) in enumerate(subs, start=1)
    ]


def _one_line_label(label: str) -> str:
    return " ".join(label.split())


def write_pmc_template(
    path: Any,
    source: PMCIndex | PMCScale | None = None,
    *,
    language: str | None = None,
    rows: int = 200,
    force: bool = False,
) -> Any:
    """Write an Excel workbook for coding policies on a PMC variable system, one row per policy.

    Its first sheet (``coding``; ``编码表`` in Chinese, names that ``pmc`` reads first) has a policy id column, a
    title column and one column per sub-variable, headed ``X1_1 predictive``
    (``X1_1 预测``): the number that :meth:`PMCIndex.from_columns` and
    ``policyquant pmc`` read, then what it means.  Every sub-variable cell
    offers a 0/1 drop-down list and refuses anything else; a prompt says
    what the column means.  The second sheet is the codebook
    (:func:`pmc_codebook`).  The filled-in workbook is read by
    ``policyquant pmc FILE`` as it is.

    This is what :func:`~policyquant.io.write_coding_template` (and
    ``policyquant template pmc``) writes for a framework made of a PMC scale
    only.

    Parameters
    ----------
    path : str or path-like
        The workbook to write, ending in ``.xlsx``.
    source : PMCIndex, PMCScale or None
        The variable system; ``None`` (or a scale that finds its variables in
        each frame) is :data:`PMC_EXAMPLE_VARIABLES`.
    language : {None, "en", "zh"}
        The language of sheet names, headers, prompts and the codebook.
    rows : int, default 200
        How many policy rows get the drop-down lists.
    force : bool, default False
        Replace a workbook that already holds coded rows.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    WriteError
        If ``path`` holds coded rows (without ``force``) or cannot be written.
    ValidationError
        For a path not ending in ``.xlsx``, a bad row count or language.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import openpyxl
    >>> from policyquant.frameworks.pmc import write_pmc_template
    >>> path = write_pmc_template(pathlib.Path(tempfile.mkdtemp()) / "pmc.xlsx", language="zh")
    >>> book = openpyxl.load_workbook(path)
    >>> book.sheetnames
    ['编码表', '编码手册']
    >>> [cell.value for cell in book["编码表"][1]][:4]
    ['政策编号', '政策名称', 'X1_1 预测', 'X1_2 监管']
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from ..._excel import _display_width
    from ..._files import in_memory, write_bytes
    from ..._language import interface_language
    from ...io.template import (
        _PROMPT_LIMIT,
        _TITLE_LIMIT,
        _check_path,
        _check_rows,
        _clip,
        _put,
        _refuse_coded_workbook,
        _style_header,
    )

    language = interface_language(language, "template language")
    path = _check_path(path)
    if not force:
        _refuse_coded_workbook(path)
    rows = _check_rows(rows, "rows")
    words = _WORDS[language]
    system = _system(source, language)
    headers = _template_headers(system)
    # The header row must read back as the system it was written from, one column per sub-variable.
    found = PMCIndex.from_columns([h for h, _, _, _ in headers], strict=True)
    if [len(c) for c in found.variables.values()] != [len(subs) for _, _, subs in system]:
        raise AssertionError("the PMC template's headers do not read back as its variables")  # pragma: no cover

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = words["sheet.pmc"]
    widths: list[float] = [14, 40]
    for column, (key, prompt) in enumerate(
        [("policy_id", "prompt.policy_id"), ("title", "prompt.title")], start=1
    ):
        _put(sheet.cell(row=1, column=column), words[key])
        letter = get_column_letter(column)
        sheet.column_dimensions[letter].number_format = "@"
        validation = DataValidation(
            allow_blank=True, showInputMessage=True, promptTitle=_clip(words[key], _TITLE_LIMIT),
            prompt=_clip(words[prompt], _PROMPT_LIMIT),
        )
        validation.add(f"{letter}2:{letter}{rows + 1}")
        sheet.add_data_validation(validation)
    centred = Alignment(horizontal="center")
    for column, (header, variable, variable_label, label) in enumerate(headers, start=3):
        _put(sheet.cell(row=1, column=column), header)
        letter = get_column_letter(column)
        sheet.column_dimensions[letter].alignment = centred
        widths.append(min(24.0, max(8.0, _display_width(header) + 2)))
        prompt = words["prompt.sub"].format(
            variable=variable, variable_label=variable_label, label=label or header.split(" ")[0]
        )
        validation = DataValidation(
            type="list",
            formula1='"0,1"',
            allow_blank=True,
            showInputMessage=True,
            showErrorMessage=True,
            errorStyle="stop",
            promptTitle=_clip(header, _TITLE_LIMIT),
            prompt=_clip(prompt, _PROMPT_LIMIT),
            errorTitle=_clip(header, _TITLE_LIMIT),
            error=_clip(words["error.sub"], _PROMPT_LIMIT),
        )
        validation.add(f"{letter}2:{letter}{rows + 1}")
        sheet.add_data_validation(validation)
    _style_header(sheet, widths)
    sheet.freeze_panes = "C2"

    book = pmc_codebook(source, language=language)
    codebook = workbook.create_sheet(words["sheet.codebook"])
    names = [_BOOK_HEADERS[language][c] for c in book.columns]
    for column, name in enumerate(names, start=1):
        _put(codebook.cell(row=1, column=column), name)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row, record in enumerate(book.itertuples(index=False), start=2):
        for column, value in enumerate(record, start=1):
            if value:
                cell = codebook.cell(row=row, column=column)
                _put(cell, value)
                cell.alignment = wrap
    _style_header(codebook, [14, 8, 28, 8, 8, 60])
    workbook.properties.title = "policyquant PMC coding template"
    workbook.properties.keywords = f"policyquant; framework=pmc; language={language}"
    workbook.properties.creator = "policyquant"
    write_bytes(path, in_memory(workbook.save, path, what="the template"), what="the template")
    return path

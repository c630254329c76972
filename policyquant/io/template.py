"""Excel coding templates: a workbook that hand coders fill in and :func:`read_coding` reads back.

:func:`write_coding_template` (also :meth:`Framework.coding_template
<policyquant.Framework.coding_template>` and ``policyquant template NAME -o
FILE``) writes one ``.xlsx`` workbook with

* an *instructions* sheet saying how to fill in the workbook and read it back;
* a *documents* sheet: ``doc_id``, ``title``, ``issuers``, ``level``,
  ``region``, ``year``, ``date``, the framework's document-level scores and
  a ``memo`` (备注) for the coder's notes;
* a *units* sheet: ``unit_id``, ``doc_id``, ``text``, then ``instrument``,
  ``objectives`` and the unit-level scores as far as the framework has them,
  and a ``memo`` (备注);
* the *codebook*: every family, instrument, objective and score level, with
  its label and coding rule;
* a hidden *lists* sheet feeding the drop-down lists (a list kept on a sheet
  has no length limit, unlike Excel's inline lists of 255 characters).

Headers and sheet names are ones :func:`~policyquant.read_coding` recognises,
in English or Chinese, so a filled-in template reads back without a column
mapping.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._excel import _EXCEL_ILLEGAL, _display_width, _excel_text_problems, _put_text
from .._i18n import catalogued, pgettext
from .._language import LANGUAGES, interface_language
from .._text import closest, normalize_name
from ..corpus import DOCUMENT_FIELDS, UNIT_FIELDS, Corpus, split_multi
from ..errors import ScoreError, ValidationError
from ..model import ADMINISTRATIVE_LEVELS, AdministrativeLevel, Dimension, Framework
from ..plugins import get_framework
from .columns import HEADER_ALIASES, standardize_columns
from .tabular import read_table

__all__ = ["TEMPLATE_LANGUAGES", "TEMPLATE_SHEETS", "write_coding_template"]

#: The languages a template's sheet names, headers, labels and instructions come in.
TEMPLATE_LANGUAGES = LANGUAGES

#: The sheet names of a template, by language, in workbook order.
TEMPLATE_SHEETS = {
    "en": {
        "instructions": "instructions",
        "documents": "documents",
        "units": "units",
        "codebook": "codebook",
        "lists": "lists",
    },
    "zh": {
        "instructions": "填写说明",
        "documents": "文件",
        "units": "条款",
        "codebook": "编码手册",
        "lists": "选项",
    },
}

# The header written for each field, by language; if the framework claims one of
# these names for a score dimension, the next alias of HEADER_ALIASES is used.
_FIELD_HEADERS = {
    "en": {"documents": {f: f for f in DOCUMENT_FIELDS}, "units": {f: f for f in UNIT_FIELDS}},
    "zh": {
        "documents": {
            "doc_id": "文件编号",
            "title": "政策名称",
            "issuers": "发文机构",
            "level": "层级",
            "region": "地区",
            "year": "年份",
            "date": "发文日期",
            "memo": "备注",
        },
        "units": {
            "unit_id": "条款编号",
            "doc_id": "文件编号",
            "text": "条款内容",
            "instrument": "政策工具",
            "objectives": "政策目标",
            "memo": "备注",
        },
    },
}


def _level_entry(level: AdministrativeLevel, language: str) -> str:
    # English sheets show the key (a coder types "county"); others the localized label (县级).
    return level.key if language == "en" else level.label_in(language)


#: The list entry of every level policyquant knows, for pre-filled cells; a framework's
#: own levels are shown by their keys.
_LEVEL_LABELS = {
    language: {level.key: _level_entry(level, language) for level in ADMINISTRATIVE_LEVELS}
    for language in ("en", "zh")
}

_CODEBOOK_HEADERS = {
    "zh": {
        "part": "类别",
        "key": "键",
        "label": "名称",
        "parent": "上级",
        "score": "分值",
        "unit": "评分对象",
        "description": "编码规则",
        "aliases": "别名",
    }
}
_CODEBOOK_VALUES = {
    "zh": {
        "part": {
            "family": "工具类型",
            "instrument": "政策工具",
            "objective": "政策目标",
            "level": "评分等级",
        },
        "unit": {"document": "文件", "unit": "条款"},
    }
}


def _template_words() -> dict[str, str]:
    return {
        "prompt.doc_id": pgettext(
            "template",
            "Required. The document's identifier, unique. Ids are kept as text: 007 stays 007.",
        ),
        "prompt.title": pgettext("template", "The document's title."),
        "prompt.issuers": pgettext(
            "template",
            "The issuing bodies; separate several with ; (not with commas).",
        ),
        "prompt.level": pgettext("template", "{levels}: pick from the list."),
        "prompt.region": pgettext(
            "template",
            "The province or municipality; the country for national documents.",
        ),
        "prompt.year": pgettext(
            "template",
            "The year of issue, e.g. 2023. Taken from the date when left blank.",
        ),
        "prompt.date": pgettext("template", "The date of issue, e.g. 2023-07-13."),
        "prompt.unit_id": pgettext(
            "template",
            "Required. The clause's identifier, unique, e.g. N01-2-3 (document-chapter-clause).",
        ),
        "prompt.unit_doc_id": pgettext(
            "template",
            "Required. The clause's document: a doc_id of the {documents} sheet.",
        ),
        "prompt.text": pgettext("template", "The clause's text."),
        "prompt.instrument": pgettext(
            "template",
            "Required. Pick the clause's policy instrument from the list, or none if it carries no "
            "instrument (then leave objectives and scores empty); the {codebook} sheet gives the "
            "coding rules.",
        ),
        "prompt.objectives": pgettext(
            "template",
            "Required. Pick the objective from the list. Several objectives: type them separated by ; "
            "(e.g. A; B) and click OK at the notice.",
        ),
        "prompt.score": pgettext("template", "{name}. Pick the score: {levels}"),
        "prompt.memo": pgettext(
            "template",
            "Optional. Your note: why this code, what to check. Free text, line breaks allowed "
            "(Alt+Enter); never read as a code.",
        ),
        "separator": pgettext("template", "; "),
        "error.level": pgettext("template", "Pick {levels} from the list."),
        "error.unit_doc_id": pgettext(
            "template",
            "This doc_id is not (yet) in the {documents} sheet. Keep it?",
        ),
        "error.instrument": pgettext(
            "template",
            "Not an instrument of the list. Pick one from the list; the {codebook} sheet gives the "
            "coding rules.",
        ),
        "error.objectives": pgettext(
            "template",
            "Not one objective of the list. Several objectives separated by ; are fine: click OK to "
            "keep them.",
        ),
        "error.score": pgettext(
            "template",
            "Not a score of {dimension}. Pick one of {scores}; the {codebook} sheet says what they mean.",
        ),
        "title.list": pgettext("template", "Pick from the list"),
        "title.objectives": pgettext("template", "Objectives"),
        "title.doc_id": pgettext("template", "Unknown doc_id"),
        "intro": pgettext("template", "Coding template for the framework {name}: {title}"),
        "made_by": pgettext(
            "template",
            "Written by policyquant {version}. Keep the sheet names and the header rows as they are: "
            "policyquant finds the sheets and columns by their names.",
        ),
        "sheets": pgettext("template", "The sheets"),
        "sheet.documents": pgettext(
            "template",
            "{documents}: one row per policy document. doc_id is required and unique; the other "
            "columns are optional.",
        ),
        "sheet.documents_scores": pgettext(
            "template",
            "{documents}: the document-level scores, {keys}, are scored per document.",
        ),
        "sheet.units": pgettext(
            "template",
            "{units}: one row per coded clause (unit). Every clause needs its unit_id and doc_id (a "
            "document of the {documents} sheet){required}.",
        ),
        "sheet.codebook": pgettext(
            "template",
            "{codebook}: every instrument family, instrument, objective and score level, with its "
            "label and coding rule.",
        ),
        "filling": pgettext("template", "Filling it in"),
        "fill.lists": pgettext(
            "template",
            "Cells with a drop-down list: pick from the list; Excel refuses what is not in it, except "
            "in the objectives column.",
        ),
        "fill.none": pgettext(
            "template",
            "A clause that carries no policy instrument: pick {none} as its instrument and leave its "
            "objectives and scores empty. It is counted apart as not coded. An empty instrument cell "
            "is an error, so that a forgotten clause is caught.",
        ),
        "fill.suggested": pgettext(
            "template",
            "Suggested scores ({keys}): policyquant suggested them from the document's form and issuer "
            "(the basis is in the cell's comment and the suggestion columns). A suggestion is not a "
            "code: type the score into the {keys} cell to confirm or override it; a cell left empty is "
            "reported as a missing score when the workbook is read.",
        ),
        "fill.objectives": pgettext(
            "template",
            "Several objectives for one clause: type them into one cell separated by ; (or ；、|), e.g. "
            "{example}. Excel shows a notice that the cell does not match one entry of the list: click "
            "OK to keep it.",
        ),
        "fill.scores": pgettext(
            "template",
            "Scores: enter the number. What each score means is in the cell's prompt and in the "
            "{codebook} sheet.",
        ),
        "fill.memo": pgettext(
            "template",
            "Memo: a note of your own on a clause or document (why this code, what to check), in any "
            "words; it is kept with the coding and shown to the adjudicator, never read as a code.",
        ),
        "fill.ids": pgettext(
            "template",
            "Ids are text: 007 stays 007. Fill in the {documents} sheet first: the doc_id cells of the "
            "{units} sheet offer its doc_ids.",
        ),
        "fill.rows": pgettext(
            "template",
            "The first {units_rows} rows of the {units} sheet and {documents_rows} rows of the "
            "{documents} sheet have drop-down lists. For more, copy a filled row down: its lists come "
            "along.",
        ),
        "reading": pgettext("template", "Reading it back"),
        "read.python": pgettext(
            "template",
            'In Python:  import policyquant as pq;  corpus = pq.read_coding("{file}", framework="{name}")',
        ),
        "read.cli": pgettext(
            "template",
            "On the command line:  policyquant validate {file} --framework {name}",
        ),
        "read.problems": pgettext(
            "template",
            "Every problem is reported at once, with its sheet, row, column and the closest valid choices.",
        ),
        "required.instrument": pgettext("template", ", an instrument"),
        "required.objectives": pgettext("template", ", one or more objectives"),
        "required.scores": pgettext("template", " and its scores: {keys}"),
    }


# What coders read: cell prompts, error messages and the instructions sheet.
_UI: dict[str, dict[str, str]] = catalogued(_template_words)

# Excel's limits on a data validation's texts.
_PROMPT_LIMIT = 255
_TITLE_LIMIT = 32
_MAX_ROWS = 1_048_575  # data rows below the header

_HEADER_FILL = "DDEBF7"


@dataclasses.dataclass
class _Column:
    """One column of a data sheet and how coders fill it in."""

    field: str
    header: str
    prompt: str
    width: float = 14
    entries: tuple[Any, ...] | None = None  # the drop-down list, written to the lists sheet
    source: str | None = None  # a drop-down list taken from another sheet's range instead
    style: str = "stop"
    error_title: str = ""
    error: str = ""
    number_format: str | None = None
    wrap: bool = False


def _check_language(language: Any) -> str:
    # One resolver for the package: "zh-CN" makes the same template as "zh".
    return interface_language(language, "template language")


def _check_rows(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not 1 <= value <= _MAX_ROWS:
        raise ValidationError(
            f"{name} must be a whole number of rows from 1 to {_MAX_ROWS}, got {value!r}",
            [{"column": name, "value": value, "problem": "not a row count", "expected": f"1 to {_MAX_ROWS}"}],
        )
    return int(value)


def _check_path(path: str | os.PathLike[str]) -> Path:
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise ValidationError(
            f"{path}: a coding template is an Excel workbook; give a file name ending in .xlsx "
            f"(got {path.suffix or 'no suffix'!r})",
            [
                {
                    "file": str(path),
                    "value": path.suffix or None,
                    "problem": "not an .xlsx file name",
                    "expected": "a path ending in .xlsx",
                    "suggestions": str(path.with_suffix(".xlsx")),
                }
            ],
        )
    if path.is_dir():
        raise ValidationError(
            f"{path}: is a directory; give the template's file name, e.g. {path / 'coding.xlsx'}",
            [{"file": str(path), "problem": "is a directory", "expected": "a file name ending in .xlsx"}],
        )
    return path


def _ui(language: str, key: str, **values: Any) -> str:
    return _UI[language][key].format(**values)


def _clip(text: str, limit: int) -> str:
    text = _shown(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _maps_to(header: str, table: str, framework: Framework) -> str:
    frame = pd.DataFrame(columns=[header])
    return str(standardize_columns(frame, table, framework).columns[0])  # type: ignore[arg-type]


def _header(field: str, preferred: Iterable[str], table: str, framework: Framework) -> str:
    """The first candidate header that read_coding maps back onto ``field``."""
    candidates = list(dict.fromkeys(h for h in preferred if h and h.strip() and _shown(h) == h))
    for header in candidates:
        if _maps_to(header, table, framework) == field:
            return header
    raise ValidationError(
        f"framework {framework.name!r}: no header of the {table} sheet reads back as {field!r}; "
        "its names are taken by other columns",
        [
            {
                "column": field,
                "problem": "no unambiguous header",
                "expected": "a framework whose dimension keys and labels differ from the other columns' names",
                "suggestions": ", ".join(candidates[:5]) or None,
            }
        ],
    )


def _field_header(field: str, table: str, framework: Framework, language: str) -> str:
    preferred = [_FIELD_HEADERS[language][table][field], *HEADER_ALIASES[table][field], field]  # type: ignore[index]
    return _header(field, preferred, table, framework)


def _dimension_header(dimension: Dimension, table: str, framework: Framework, language: str) -> str:
    preferred = [dimension.key, dimension.label, *dimension.labels.values()]
    if language != "en":
        preferred.insert(0, dimension.label_in(language))
    return _header(dimension.key, preferred, table, framework)


def _label(item: Any, language: str) -> str:
    return item.label_in(None if language == "en" else language)


def _entry(item: Any, part: str, framework: Framework, language: str) -> str:
    """What the drop-down list offers for an item: its label if it reads back as the item, else its key.

    An objective's entry must also survive the splitting of multi-objective
    cells, and no entry may look like a formula to Excel.
    """
    lookup = framework.name_lookup(part)  # type: ignore[arg-type]
    for name in (_label(item, language), item.label, item.key):
        text = name.strip()
        if text != name or not text or text[0] in "=+-@" or _shown(text) != text:
            continue
        if part == "objective" and split_multi(text) != (text,):
            continue
        if lookup.get(normalize_name(text)) == item.key:
            return text
    if _shown(item.key) != item.key:
        raise ValidationError(
            f"framework {framework.name!r}: {part} {item.key!r} has no name an Excel cell can hold",
            [
                {
                    "value": item.key,
                    "problem": "control characters in every name",
                    "expected": "printable names",
                }
            ],
        )
    return item.key


def _score_value(score: Any) -> Any:
    number = float(score)
    return int(number) if number.is_integer() else number


def _dimension_column(
    dimension: Dimension, table: str, framework: Framework, language: str, sheets: dict[str, str]
) -> _Column:
    header = _dimension_header(dimension, table, framework, language)
    levels = _ui(language, "separator").join(
        f"{_score_value(lv.score)} = {_label(lv, language)}" for lv in dimension.levels
    )
    scores = ", ".join(str(_score_value(s)) for s in dimension.scores)
    name = _label(dimension, language)
    return _Column(
        field=dimension.key,
        header=header,
        prompt=_ui(language, "prompt.score", name=name, levels=levels),
        width=max(10, _display_width(header) + 4),
        entries=tuple(_score_value(s) for s in dimension.scores),
        error_title=dimension.key,
        error=_ui(
            language, "error.score", dimension=dimension.key, scores=scores, codebook=sheets["codebook"]
        ),
    )


def _document_columns(framework: Framework, language: str, sheets: dict[str, str]) -> list[_Column]:
    ui = {"documents": sheets["documents"], "units": sheets["units"], "codebook": sheets["codebook"]}
    formats = {"doc_id": "@", "title": "@", "issuers": "@", "region": "@", "date": "yyyy-mm-dd"}
    widths = {"doc_id": 12, "title": 50, "issuers": 36, "level": 12, "region": 14, "year": 8, "date": 12}
    entries = [_level_entry(level, language) for level in framework.levels]
    # "national or provincial", "国家级或省级": the framework's own levels, not a fixed pair.
    either, comma = {"en": (" or ", ", "), "zh": ("或", "、")}.get(language, (" / ", " / "))
    levels = either.join(filter(None, [comma.join(entries[:-1]), entries[-1]]))
    columns = []
    for field in DOCUMENT_FIELDS:
        if field == "memo":
            continue  # last, after the scores: the note on what was coded
        column = _Column(
            field=field,
            header=_field_header(field, "documents", framework, language),
            prompt=_ui(language, f"prompt.{field}", **ui, levels=levels),
            width=widths[field],
            number_format=formats.get(field),
            wrap=field in ("title", "issuers"),
        )
        if field == "level":
            column.entries = tuple(entries)
            column.error_title = _ui(language, "title.list")
            column.error = _ui(language, "error.level", levels=levels)
        columns.append(column)
    if framework.scale is not None:
        for dimension in framework.scale.dimensions_for("document"):
            columns.append(_dimension_column(dimension, "documents", framework, language, sheets))
    columns.append(_memo_column("documents", framework, language))
    return columns


def _memo_column(table: str, framework: Framework, language: str) -> _Column:
    """The coder's memo, last: free text, wide and wrapped, formatted as text so ``007`` stays ``007``."""
    return _Column(
        "memo",
        _field_header("memo", table, framework, language),
        _ui(language, "prompt.memo"),
        width=40,
        number_format="@",
        wrap=True,
    )


_NO_INSTRUMENT_RULE = {
    "en": (
        "Reserved in every framework, not an instrument: the clause carries no policy instrument. "
        "Leave its objectives and scores empty; it is counted apart as not coded "
        "(Corpus.not_coded), outside every table and efficacy score. An empty cell is an error."
    ),
    "zh": (
        "所有框架的保留项，不是政策工具：条款不含政策工具。政策目标和评分留空；"
        "该条款单独计为“未编码”（Corpus.not_coded），不进入任何统计表和效力评分。单元格留空会报错。"
    ),
}


def _no_instrument_entry(framework: Framework, language: str) -> tuple[str, ...]:
    """The drop-down entry for a clause without an instrument (``none``, ``无``), unless the framework uses that name."""
    from ..corpus import NO_INSTRUMENT, NO_INSTRUMENT_ALIASES, NO_INSTRUMENT_NAMES

    lookup = framework.name_lookup("instrument")
    # The first spelling the framework does not use for an instrument of its own.
    for name in (NO_INSTRUMENT_NAMES.get(language, NO_INSTRUMENT), *NO_INSTRUMENT_ALIASES):
        if normalize_name(name) not in lookup:
            return (name,)
    return ()


def _with_no_instrument(book: pd.DataFrame, framework: Framework, language: str) -> pd.DataFrame:
    """The codebook with the reserved ``none`` after the instruments: coders look it up there."""
    from ..corpus import NO_INSTRUMENT, NO_INSTRUMENT_ALIASES

    entry = _no_instrument_entry(framework, language)
    if not entry or not framework.instruments:
        return book
    row = pd.DataFrame(
        [
            {
                "part": "instrument",
                "key": NO_INSTRUMENT,
                "label": entry[0],
                "description": _NO_INSTRUMENT_RULE.get(language, _NO_INSTRUMENT_RULE["en"]),
                "aliases": "; ".join(
                    a
                    for a in NO_INSTRUMENT_ALIASES
                    if a != entry[0] and normalize_name(a) not in framework.name_lookup("instrument")
                ),
            }
        ],
        columns=book.columns,
    )
    last = int(np.flatnonzero((book["part"] == "instrument").to_numpy())[-1])
    return pd.concat([book.iloc[: last + 1], row, book.iloc[last + 1 :]], ignore_index=True)


def _unit_columns(framework: Framework, language: str, sheets: dict[str, str], doc_ids: str) -> list[_Column]:
    ui = {"documents": sheets["documents"], "units": sheets["units"], "codebook": sheets["codebook"]}
    columns = [
        _Column(
            "unit_id",
            _field_header("unit_id", "units", framework, language),
            _ui(language, "prompt.unit_id"),
            width=14,
            number_format="@",
        ),
        _Column(
            "doc_id",
            _field_header("doc_id", "units", framework, language),
            _ui(language, "prompt.unit_doc_id", **ui),
            width=12,
            number_format="@",
            source=doc_ids,
            style="warning",
            error_title=_ui(language, "title.doc_id"),
            error=_ui(language, "error.unit_doc_id", **ui),
        ),
        _Column(
            "text",
            _field_header("text", "units", framework, language),
            _ui(language, "prompt.text"),
            width=60,
            number_format="@",
            wrap=True,
        ),
    ]
    if framework.instruments:
        entries = tuple(_entry(i, "instrument", framework, language) for i in framework.instruments)
        entries += _no_instrument_entry(framework, language)
        columns.append(
            _Column(
                "instrument",
                _field_header("instrument", "units", framework, language),
                _ui(language, "prompt.instrument", **ui),
                width=min(40, max(16, *(_display_width(e) + 2 for e in entries))),
                entries=entries,
                error_title=_ui(language, "title.list"),
                error=_ui(language, "error.instrument", **ui),
                number_format="@",
            )
        )
    if framework.objectives:
        entries = tuple(_entry(o, "objective", framework, language) for o in framework.objectives)
        columns.append(
            _Column(
                "objectives",
                _field_header("objectives", "units", framework, language),
                _ui(language, "prompt.objectives"),
                width=min(48, max(20, *(_display_width(e) + 2 for e in entries))),
                entries=entries,
                # "information" lets a coder keep "A; B" after one click: a list validation
                # can only check a single entry, and a clause may serve several objectives.
                style="information",
                error_title=_ui(language, "title.objectives"),
                error=_ui(language, "error.objectives"),
                number_format="@",
                wrap=True,
            )
        )
    if framework.scale is not None:
        for dimension in framework.scale.dimensions_for("unit"):
            columns.append(_dimension_column(dimension, "units", framework, language, sheets))
    columns.append(_memo_column("units", framework, language))
    return columns


# Pre-filled documents --------------------------------------------------------------


def _blank(values: pd.Series) -> np.ndarray:
    text = values.astype(object).map(lambda v: "" if v is None or v is pd.NA or v != v else str(v).strip())
    return (text == "").to_numpy(dtype=bool)


def _prefilled_documents(documents: Any, framework: Framework) -> tuple[pd.DataFrame, list[str]]:
    """The documents to pre-fill, validated, as cell values; and the names of their extra columns.

    Scores may be left blank (they are coded in the template); everything
    else is checked as :func:`~policyquant.read_coding` would check it.
    """
    if isinstance(documents, Corpus):
        frame, source = documents.documents, "documents"
    elif isinstance(documents, pd.DataFrame):
        frame, source = documents, None
    elif isinstance(documents, (str, os.PathLike)):
        frame, source = read_table(documents, "documents"), str(documents)
    elif hasattr(documents, "to_frame") and not isinstance(documents, (pd.Series, pd.Index)):
        # A DocumentSet of policyquant.read_documents (metadata and suggestions included).
        from ..documents._frame import documents_frame

        frame, source = documents_frame(documents, "documents", ("doc_id",)), None
    else:
        raise ValidationError(
            "documents must be a DocumentSet, a pandas.DataFrame, a Corpus or the path of a documents file, "
            f"got {type(documents).__name__}"
        )
    # A whole document's text is no cell's content (its clauses go to the units sheet).
    frame = frame.drop(columns=[c for c in ("text",) if c in frame.columns])
    frame = standardize_columns(frame, "documents", framework, source=source)
    dimensions = framework.scale.dimensions_for("document") if framework.scale is not None else ()
    dimensions = tuple(d for d in dimensions if d.key in frame.columns)
    problems: list[dict[str, Any]] = []
    scores: dict[str, np.ndarray] = {}
    for dimension in dimensions:
        values = frame[dimension.key]
        filled = ~_blank(values)
        scores[dimension.key] = np.full(len(frame), np.nan)
        try:
            scores[dimension.key][filled] = dimension.coerce(values[filled], source=source)
        except ScoreError as error:
            problems.extend(error.problems.to_dict("records"))
    units = pd.DataFrame(columns=["unit_id", "doc_id", "instrument", "objectives"])
    try:
        corpus = Corpus(
            frame.drop(columns=[d.key for d in dimensions]), units, framework, sources={"documents": source}
        )
    except ValidationError as error:
        problems = error.problems.to_dict("records") + problems
    if problems:
        raise ValidationError(f"{source or 'documents'}: cannot pre-fill the template", problems)
    table = corpus.documents
    for key, values in scores.items():
        table[key] = values
    extras = [c for c in table.columns if c not in DOCUMENT_FIELDS and c not in scores]
    return table, extras


#: The columns of a pre-filled units sheet taken from the segmented units; the coding columns
#: (instrument, objectives, scores, memo) are taken too when given, so that a table coded in
#: part can be pre-filled again.  Anything else (headings, spans) stays in the units table.
_PREFILLED_UNIT_FIELDS = ("unit_id", "doc_id", "text")


def _units_frame(units: Any) -> pd.DataFrame:
    """The table of ``units``: a Segmentation (``to_frame()`` or ``.units``/``.table``) or a DataFrame."""
    from ..documents._frame import documents_frame
    from ..errors import InputTypeError

    if not isinstance(units, pd.DataFrame):
        for attribute in ("units", "table"):
            table = getattr(units, attribute, None)
            if isinstance(table, pd.DataFrame) and not hasattr(units, "to_frame"):
                units = table
                break
    try:
        return documents_frame(units, "units", _PREFILLED_UNIT_FIELDS)
    except InputTypeError:
        raise InputTypeError(
            "units must be the result of policyquant.segment (a Segmentation) or a pandas DataFrame "
            f"with columns unit_id, doc_id, text; got {type(units).__name__}",
            [{"value": type(units).__name__, "problem": "not a units table", "expected": "a Segmentation or a DataFrame"}],
        ) from None


def _prefilled_units(units: Any, framework: Framework, documents: pd.DataFrame | None) -> pd.DataFrame:
    """The segmented units to pre-fill the units sheet with, checked: ids as read_coding checks them.

    Unit ids must be unique and present, every unit's document must be one of
    ``documents`` (when given), and the texts are kept exactly (line breaks,
    spaces and all).  Coding columns given are kept; nothing is coded here.
    """
    frame = standardize_columns(_units_frame(units), "units", framework)
    scores = [d.key for d in framework.scale.dimensions_for("unit")] if framework.scale is not None else []
    coding = [c for c in ("instrument", "objectives", *scores, "memo") if c in frame.columns]
    frame = frame[[*_PREFILLED_UNIT_FIELDS, *coding]]
    # The ids are checked by the corpus's own rules, against a framework that codes nothing.
    bare = Framework(framework.name, framework.title, levels=framework.levels)
    known = None if documents is None else pd.DataFrame({"doc_id": documents["doc_id"]})
    try:
        Corpus(known, frame[["unit_id", "doc_id"]], bare)
    except ValidationError as error:
        raise ValidationError("units: cannot pre-fill the template", error.problems) from None
    out = frame.copy()
    for column in ("unit_id", "doc_id"):
        out[column] = out[column].astype(str).str.strip()
    # Clause text as written: Python strings, so that a lone surrogate is reported, not raised.
    out["text"] = pd.Series(
        [None if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)) else str(v) for v in out["text"].to_numpy(dtype=object)],
        index=out.index,
        dtype=object,
    )
    return out.reset_index(drop=True)


def _suggestion_columns(extras: Sequence[str], framework: Framework) -> dict[str, tuple[str, str | None]]:
    """For each document-level dimension with suggestions: its ``<key>_suggested`` and basis column."""
    found: dict[str, tuple[str, str | None]] = {}
    dimensions = framework.scale.dimensions_for("document") if framework.scale is not None else ()
    for dimension in dimensions:
        suggested = f"{dimension.key}_suggested"
        if suggested in extras:
            basis = next(
                (c for c in (f"{suggested}_basis", f"{dimension.key}_basis") if c in extras), None
            )
            found[dimension.key] = (suggested, basis)
    return found


_SUGGESTION_FILL = "FFF2CC"

_SUGGESTION_NOTE = {
    "en": "Suggested: {score} ({basis}). A suggestion, not a code: type {score} here to confirm it, or another score.",
    "zh": "建议：{score}（{basis}）。建议不是编码：在此填写 {score} 以确认，或填写其他分值。",
}


def _mark_suggestions(
    sheet: Any,
    columns: Sequence[_Column],
    extras: Sequence[str],
    values: pd.DataFrame,
    framework: Framework,
    language: str,
) -> list[str]:
    """Show each suggested score beside the empty score cell it is for; returns the dimensions marked.

    The score cell is left empty (a suggestion is never read as a code): it
    gets a comment with the suggestion and its basis, and the suggestion
    column a fill, so that the coder sees what to confirm.
    """
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    found = _suggestion_columns(extras, framework)
    position = {c.field: i for i, c in enumerate(columns, start=1)}
    position.update({name: i for i, name in enumerate(extras, start=len(columns) + 1)})
    fill = PatternFill("solid", fgColor=_SUGGESTION_FILL)
    for key, (suggested, basis) in found.items():
        dimension = framework.scale.dimension(key)  # type: ignore[union-attr]
        given = values[suggested]
        present = ~_blank(given)
        try:
            dimension.coerce(given[present])
        except ScoreError as error:
            raise ValidationError(
                f"documents: {suggested} holds values that are not scores of {key}", error.problems
            ) from None
        for row, (score, reason, confirmed) in enumerate(
            zip(
                given.to_numpy(dtype=object),
                values[basis].to_numpy(dtype=object) if basis else [None] * len(values),
                values[key].to_numpy(dtype=object) if key in values.columns else [None] * len(values),
                strict=True,
            ),
            start=2,
        ):
            if _cell_value(suggested, score, language) is None:
                continue
            sheet.cell(row=row, column=position[suggested]).fill = fill
            if _cell_value(key, confirmed, language) is not None:
                continue  # scored already (given in the documents): nothing to confirm
            shown = _score_value(score)
            note = _SUGGESTION_NOTE.get(language, _SUGGESTION_NOTE["en"]).format(
                score=shown, basis=_shown(str(reason)) if _cell_value(basis or "", reason, language) else "—"
            )
            sheet.cell(row=row, column=position[key]).comment = Comment(_clip(note, 2000), "policyquant")
    return list(found)


def _explain_suggestions(sheet: Any, keys: Sequence[str], language: str) -> None:
    """Say on the instructions sheet, under "Filling it in", how suggested scores are confirmed."""
    from openpyxl.styles import Alignment

    heading = _ui(language, "filling")
    row = next((cell.row for cell in sheet["A"] if cell.value == heading), sheet.max_row) + 1
    sheet.insert_rows(row)
    cell = sheet.cell(row=row, column=1)
    _put(cell, _ui(language, "fill.suggested", keys=", ".join(keys)))
    cell.alignment = Alignment(wrap_text=True, vertical="top")


def _cell_value(field: str, value: Any, language: str) -> Any:
    if isinstance(value, tuple):
        return "; ".join(value) or None
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
        return None
    if field == "level":
        return _LEVEL_LABELS[language].get(value, value)
    if field == "date":
        return pd.Timestamp(value).to_pydatetime()
    if isinstance(value, (np.integer, np.floating, float)):
        return _score_value(value)
    return value if isinstance(value, (int, str)) else str(value)


# Writing ---------------------------------------------------------------------------


def _sheet_ref(sheet: str, column: int, first: int, last: int) -> str:
    from openpyxl.utils import get_column_letter

    letter = get_column_letter(column)
    quoted = sheet.replace("'", "''")
    return f"'{quoted}'!${letter}${first}:${letter}${last}"


def _shown(text: str) -> str:
    """Framework text for people to read, with the characters no Excel cell can hold made visible."""
    return _EXCEL_ILLEGAL.sub("\ufffd", text)


def _put(cell: Any, value: Any) -> None:
    """Write a value; text stays text (never a formula or an error code), escaped as Excel does."""
    if isinstance(value, str):
        # _put_text refuses, naming the cell, a text longer than a cell holds (openpyxl cuts it).
        _put_text(cell, _shown(value))
    else:
        cell.value = value


def _style_header(sheet: Any, widths: Sequence[float]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    for index, width in enumerate(widths, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=_HEADER_FILL)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"


def _write_data_sheet(
    sheet: Any,
    columns: Sequence[_Column],
    rows: int,
    lists: Any,
    list_column: list[int],
    values: pd.DataFrame | None,
    extras: Sequence[str],
    language: str,
) -> None:
    """Headers, column formats, drop-down lists and prompts (and pre-filled rows) of one data sheet."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    for index, column in enumerate(columns, start=1):
        _put(sheet.cell(row=1, column=index), column.header)
        letter = get_column_letter(index)
        # Column styles, not cell styles: they hold for every row a coder types into,
        # and leave no empty cells behind for a reader to trip over.
        dimension = sheet.column_dimensions[letter]
        if column.number_format:
            dimension.number_format = column.number_format
        if column.wrap:
            dimension.alignment = Alignment(wrap_text=True, vertical="top")
        cells = f"{letter}2:{letter}{rows + 1}"
        if column.entries is not None:
            list_column[0] += 1
            _put(lists.cell(row=1, column=list_column[0]), f"{sheet.title}: {column.header}")
            for row, entry in enumerate(column.entries, start=2):
                _put(lists.cell(row=row, column=list_column[0]), entry)
            formula = "=" + _sheet_ref(lists.title, list_column[0], 2, len(column.entries) + 1)
        elif column.source is not None:
            formula = "=" + column.source
        else:
            formula = None
        validation = DataValidation(
            type="list" if formula else None,
            formula1=formula,
            allow_blank=True,
            showInputMessage=True,
            showErrorMessage=formula is not None,
            errorStyle=column.style if formula else None,
            promptTitle=_clip(column.header, _TITLE_LIMIT),
            prompt=_clip(column.prompt, _PROMPT_LIMIT),
            errorTitle=_clip(column.error_title, _TITLE_LIMIT) if formula else None,
            error=_clip(column.error, _PROMPT_LIMIT) if formula else None,
        )
        validation.add(cells)
        sheet.add_data_validation(validation)
    for offset, name in enumerate(extras, start=len(columns) + 1):
        _put(sheet.cell(row=1, column=offset), name)
        sheet.column_dimensions[get_column_letter(offset)].number_format = "@"
    _style_header(sheet, [c.width for c in columns] + [max(12, _display_width(e) + 2) for e in extras])
    if values is None:
        return
    fields = [c.field for c in columns] + list(extras)
    _check_excel_text(values, fields, sheet.title)
    for row, record in enumerate(values.reindex(columns=fields).itertuples(index=False), start=2):
        for index, (field, value) in enumerate(zip(fields, record, strict=True), start=1):
            cell_value = _cell_value(field, value, language)
            if cell_value is not None:
                cell = sheet.cell(row=row, column=index)
                _put(cell, cell_value)
                if field == "date":
                    cell.number_format = "yyyy-mm-dd"


def _check_excel_text(values: pd.DataFrame, fields: Sequence[str], sheet: str) -> None:
    """Refuse pre-filled text that an Excel cell cannot hold (control characters, too long)."""
    # Several names in one cell (issuers) are written joined, so they are checked joined.  Python
    # strings (object), not Arrow's: half a surrogate pair is reported, not a UnicodeEncodeError.
    text = pd.DataFrame(
        {
            field: [("; ".join(v) if isinstance(v, tuple) else v) for v in values[field].to_numpy(dtype=object)]
            for field in fields
            if field in values.columns
        },
        index=values.index,
        dtype=object,
    )
    positions = {field: number for number, field in enumerate(fields, start=1)}
    problems = _excel_text_problems(text, sheet, instead="", positions=positions)
    if problems:
        raise ValidationError(f"cannot pre-fill the {sheet} sheet", problems)


def _write_codebook(sheet: Any, framework: Framework, language: str) -> None:
    from openpyxl.styles import Alignment

    book = _with_no_instrument(framework.codebook(language=None if language == "en" else language), framework, language)
    headers = [_CODEBOOK_HEADERS.get(language, {}).get(c, c) for c in book.columns]
    translate = _CODEBOOK_VALUES.get(language, {})
    for index, header in enumerate(headers, start=1):
        _put(sheet.cell(row=1, column=index), header)
    wrap = Alignment(wrap_text=True, vertical="top")
    widths = [float(_display_width(h) + 2) for h in headers]
    for row, record in enumerate(book.itertuples(index=False), start=2):
        for index, (column, value) in enumerate(zip(book.columns, record, strict=True), start=1):
            if (
                value is None
                or value is pd.NA
                or (isinstance(value, float) and np.isnan(value))
                or value == ""
            ):
                continue
            if column == "score":
                value = _score_value(value)
            else:
                value = translate.get(column, {}).get(value, value)
            cell = sheet.cell(row=row, column=index)
            _put(cell, value)
            cell.alignment = wrap
            widths[index - 1] = max(widths[index - 1], _display_width(value) + 2)
    caps = {"description": 80, "label": 40, "aliases": 40}
    _style_header(sheet, [min(w, caps.get(c, 30)) for w, c in zip(widths, book.columns, strict=True)])
    if len(book):
        sheet.auto_filter.ref = sheet.dimensions


def _write_instructions(
    sheet: Any,
    framework: Framework,
    language: str,
    sheets: dict[str, str],
    file_name: str,
    units_rows: int,
    documents_rows: int,
    objectives: tuple[str, ...],
) -> None:
    from openpyxl.styles import Alignment, Font

    from .. import __version__

    names = {"documents": sheets["documents"], "units": sheets["units"], "codebook": sheets["codebook"]}
    scale = framework.scale
    dimensions = {
        unit: [f"{_label(d, language)} ({d.key})" for d in scale.dimensions_for(unit)]
        if scale is not None
        else []
        for unit in Dimension.UNITS
    }
    document_keys, unit_keys = dimensions["document"], dimensions["unit"]
    required = ""
    if framework.instruments:
        required += _ui(language, "required.instrument")
    if framework.objectives:
        required += _ui(language, "required.objectives")
    if unit_keys:
        required += _ui(language, "required.scores", keys=_ui(language, "separator").join(unit_keys))
    separator = "; " if language == "en" else "；"
    example = separator.join(objectives[:2]) if objectives else ""
    lines: list[tuple[str, bool]] = [
        (_ui(language, "intro", name=framework.name, title=framework.title), True),
        (_ui(language, "made_by", version=__version__), False),
        ("", False),
        (_ui(language, "sheets"), True),
        (_ui(language, "sheet.documents", **names), False),
    ]
    if document_keys:
        lines.append(
            (
                _ui(
                    language,
                    "sheet.documents_scores",
                    keys=_ui(language, "separator").join(document_keys),
                    **names,
                ),
                False,
            )
        )
    lines += [
        (_ui(language, "sheet.units", required=required, **names), False),
        (_ui(language, "sheet.codebook", **names), False),
        ("", False),
        (_ui(language, "filling"), True),
        (_ui(language, "fill.lists"), False),
        *([(_ui(language, "fill.none", none=_no_instrument_entry(framework, language)[0]), False)]
          if _no_instrument_entry(framework, language) else []),
    ]
    if framework.objectives:
        lines.append((_ui(language, "fill.objectives", example=example), False))
    if scale is not None and scale.dimensions:
        lines.append((_ui(language, "fill.scores", **names), False))
    lines += [
        (_ui(language, "fill.memo"), False),
        (_ui(language, "fill.ids", **names), False),
        (_ui(language, "fill.rows", units_rows=units_rows, documents_rows=documents_rows, **names), False),
        ("", False),
        (_ui(language, "reading"), True),
        (_ui(language, "read.python", file=file_name, name=framework.name), False),
        (_ui(language, "read.cli", file=file_name, name=framework.name), False),
        (_ui(language, "read.problems"), False),
    ]
    wrap = Alignment(wrap_text=True, vertical="top")
    for row, (text, bold) in enumerate(lines, start=1):
        if text:
            cell = sheet.cell(row=row, column=1)
            _put(cell, text)
            cell.alignment = wrap
            if bold:
                cell.font = Font(bold=True, size=13 if row == 1 else 11)
    sheet.column_dimensions["A"].width = 110


def write_coding_template(
    framework: str | Framework,
    path: str | os.PathLike[str],
    *,
    language: str | None = None,
    documents: Any = None,
    units: Any = None,
    suggestions: Any = None,
    order: str = "given",
    units_rows: int = 500,
    documents_rows: int = 200,
    force: bool = False,
) -> Path:
    """Write an Excel workbook for hand coders to fill in, with drop-down lists and the codebook.

    The workbook reads back with :func:`~policyquant.read_coding` (give it
    the framework) without any column mapping: sheet names and headers are
    ones it recognises.  Its sheets:

    *instructions* (填写说明)
        How to fill in the template and read it back.
    *documents* (文件)
        ``doc_id``, ``title``, ``issuers``, ``level``, ``region``, ``year``,
        ``date``, the framework's document-level scores (``DA``) and
        ``memo`` (备注).
    *units* (条款)
        ``unit_id``, ``doc_id``, ``text``, then ``instrument`` and
        ``objectives`` if the framework has them, the unit-level scores
        (``AS``, ``MI``) and ``memo`` (备注): the coder's free-text note on
        the clause (why this code, what to check), read back as the units'
        ``memo`` and never as a code.
    *codebook* (编码手册)
        :meth:`Framework.codebook <policyquant.Framework.codebook>`: every
        family, instrument, objective and score level with its label and
        coding rule.
    *lists* (选项), hidden
        The entries of the drop-down lists.

    A framework made of a PMC scale only (``"pmc"``) gets the workbook of
    :func:`~policyquant.frameworks.pmc.write_pmc_template` instead: one row
    per policy (``documents_rows`` of them), one 0/1 column per sub-variable,
    and the codebook of its variables; ``policyquant pmc`` reads it back.

    Every column has a prompt that Excel shows when a cell is selected.  The
    ``level``, instrument and score columns take one entry of their
    drop-down list (Excel refuses anything else); score cells take the
    number, and the prompt says what each number means.  The objectives
    column offers the objectives too, but accepts several separated by
    ``;`` (Excel then shows a notice that the coder dismisses with OK): one
    clause may serve several objectives.  The ``doc_id`` column of the units
    sheet offers the ``doc_id`` values of the documents sheet.  Id, text,
    instrument and objective columns are formatted as text so that Excel
    keeps ``007`` as ``007``.

    Parameters
    ----------
    framework : str or Framework
        The framework to code against (a registered name or alias, or a
        :class:`~policyquant.Framework`).  The columns and lists follow the
        parts it has: no objectives column without objectives, no score
        columns without a scale.
    path : str or path-like
        The workbook to write, ending in ``.xlsx``; missing folders are
        created and an existing file is replaced.
    language : {None, "en", "zh"}
        The language of sheet names, headers, list entries, prompts and
        instructions; ``None`` is English.  Chinese uses the framework's
        Chinese labels where it has them.  Resolved as everywhere in the
        package: ``"zh-CN"``, ``"zh_Hans"`` and ``"ZH"`` are ``"zh"``,
        ``"en-US"`` is ``"en"``.
    documents : DocumentSet, pandas.DataFrame, Corpus or path, optional
        Documents to pre-fill the documents sheet with (the result of
        :func:`policyquant.read_documents` with its metadata, a table or file
        with at least ``doc_id``, headers as :func:`~policyquant.read_coding`
        recognises them, or a corpus whose documents to take).  Scores may
        be blank; everything given is validated first.  Columns the template
        does not have are added after its own; a document's whole ``text``
        is not written (its clauses are the units).  Suggested scores,
        columns ``<key>_suggested`` (``DA_suggested``) with their basis in
        ``<key>_basis`` or ``<key>_suggested_basis``, are shown as
        suggestions, never as codes: see Notes.
    units : Segmentation or pandas.DataFrame, optional
        Clauses to pre-fill the units sheet with: the result of
        :func:`policyquant.segment` or a table with ``unit_id``, ``doc_id``
        and ``text`` (one row per clause, ids unique, every ``doc_id`` one of
        ``documents`` when given).  The texts are written exactly as given
        (line breaks included; text is never taken for a formula).  The
        coding cells stay empty unless the table has ``instrument``,
        ``objectives``, score or ``memo`` columns (a table coded in part);
        other columns (headings, spans) are not written.  Every unit given
        is written, the preamble, signature and attachments of a
        segmentation included (coders code them ``none``, or filter the
        table first, e.g. on ``kind == "clause"``).  A workbook with
        pre-filled units holds rows: writing over it needs ``force=True``.
    suggestions : policyquant.coders.Suggestions, optional
        A machine coder's suggestions for ``units`` (from
        :meth:`Coder.suggest <policyquant.coders.Coder.suggest>`), shown
        beside the coding columns, never inside them: ``suggested`` (the
        chosen instrument and objectives, as the drop-down lists name them),
        ``suggested_confidence`` (the coder's confidence in its instrument,
        or first field) and ``suggested_evidence``, after the template's
        own columns.  The coding cells stay empty: a suggestion is read back
        by :func:`~policyquant.read_coding` as a text column of the units,
        never as a code.  Needs ``units``; a suggestion for a unit not in
        ``units`` is an error, a unit without one has empty cells.
    order : {"given", "least-confident"}, default "given"
        The order of the pre-filled units: as given, or least-confident
        first (units without a suggestion first, then by ascending
        confidence; ties as given), so that coders spend their attention
        where the machine is least sure.  ``"least-confident"`` needs
        ``suggestions``.
    units_rows, documents_rows : int
        How many rows of the units and documents sheets get the drop-down
        lists and prompts (at least as many documents rows as pre-filled
        documents).
    force : bool, default False
        Replace an existing workbook even when it holds coded rows (a filled
        units sheet, or any other sheet with data).  Without it such a
        workbook is refused, so that coders' work is never replaced by an
        empty template; an untouched template is replaced either way.

    Returns
    -------
    pathlib.Path
        The workbook written.

    Raises
    ------
    WriteError
        If ``path`` holds coded rows (without ``force``), is the
        ``documents`` file, or cannot be written (the file is then as it
        was: the workbook is written to a temporary file and renamed into
        place).
    ValidationError
        For an unknown language, a path not ending in ``.xlsx``, a bad row
        count, or pre-filled documents that do not validate (every problem
        listed).
    UnknownFrameworkError
        If ``framework`` names no registered framework.

    Notes
    -----
    *Suggested scores are never codes.*  A suggested document-level score
    (``DA_suggested``, from the document's form and issuer) is written in its
    own column, with its basis beside it, and as a comment on the document's
    empty score cell; the score cell itself stays empty.  The coder confirms
    a suggestion by typing it into the score cell (or copying the suggestion
    column into it) and overrides it by typing another score.  What
    :func:`~policyquant.read_coding` reads as the score is the score cell
    only: a suggestion left unconfirmed leaves the cell empty, which
    :func:`~policyquant.read_coding` reports as a missing score (sheet, row
    and column) like any other, and the suggestion and basis columns are
    read back as the documents' own text columns, a record of what was
    suggested.  To accept
    every suggestion without a coder, give the score column itself
    (``documents.assign(DA=documents["DA_suggested"])``): that is then your
    coding decision, made explicitly.

    *No instrument.*  The instrument list ends with ``none`` (``无`` in
    Chinese templates; the codebook sheet explains it): a clause that
    carries no policy instrument is coded so, with its objectives and
    scores left empty.  It is read back into :attr:`Corpus.not_coded
    <policyquant.Corpus.not_coded>`, counted apart from the coded clauses;
    an empty instrument cell is still an error.

    See Also
    --------
    policyquant.read_coding : Read the filled-in template.
    policyquant.Framework.codebook : The coding rules on the codebook sheet.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import openpyxl
    >>> import policyquant as pq
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> path = write_coding_template("wang2026", folder / "coding.xlsx", language="zh")
    >>> book = openpyxl.load_workbook(path)
    >>> book.sheetnames
    ['填写说明', '文件', '条款', '编码手册', '选项']
    >>> [cell.value for cell in book["条款"][1]]
    ['条款编号', '文件编号', '条款内容', '政策工具', '政策目标', '作用范围', '措施力度', '备注']

    Coders fill it in (here with openpyxl) and it reads back as a corpus:

    >>> book["文件"].append(["P01", "示例文件", None, "国家级", None, 2023, None, 3])
    >>> book["条款"].append(["P01-1-1", "P01", "……", "标准规范", "公共安全与利益；技术安全与创新", 5, 3, "试点？\\n待核对"])
    >>> book.save(path)
    >>> corpus = pq.read_coding(path, framework="wang2026")
    >>> corpus.units.loc[0, ["instrument", "objectives", "memo"]].tolist()
    ['standards_and_norms', ('public_safety', 'tech_innovation'), '试点？\\n待核对']
    >>> pq.efficacy(corpus).tolist()
    [24.0]

    Pre-filled with documents (and a suggested ``DA``) and their clauses:

    >>> import pandas as pd
    >>> documents = pd.DataFrame({"doc_id": ["N01"], "title": ["生成式人工智能服务管理办法"],
    ...                           "DA_suggested": [3], "DA_basis": ["办法: departmental rules"]})
    >>> units = pd.DataFrame({"unit_id": ["N01-1-1", "N01-1-2"], "doc_id": ["N01", "N01"],
    ...                       "text": ["第一条 为了促进……，制定本办法。", "第二条 提供者应当……"]})
    >>> path = write_coding_template("wang2026", folder / "prefilled.xlsx", documents=documents, units=units)
    >>> book = openpyxl.load_workbook(path)
    >>> [cell.value for cell in book["units"]["A"][1:]]
    ['N01-1-1', 'N01-1-2']
    >>> book["documents"]["H2"].value is None, book["documents"]["H2"].comment.text[:13]
    (True, 'Suggested: 3 ')
    """
    language = _check_language(language)
    path = _check_path(path)
    from .._files import in_memory, refuse_overwriting_inputs, write_bytes

    refuse_overwriting_inputs({"the template": path}, {"the documents file": documents})
    if not force:
        _refuse_coded_workbook(path)
    units_rows = _check_rows(units_rows, "units_rows")
    documents_rows = _check_rows(documents_rows, "documents_rows")
    framework = get_framework(framework)
    from ..frameworks.pmc import PMCScale, write_pmc_template

    if isinstance(framework.scale, PMCScale) and not framework.instruments and not framework.objectives:
        # A PMC study codes policies, not clauses: one row per policy, one 0/1 column per
        # sub-variable, read back by `policyquant pmc` (the units sheet would hold nothing).
        if documents is not None or units is not None:
            raise ValidationError(
                f"framework {framework.name!r}: a PMC template is filled in one row per policy and "
                "takes no pre-filled documents or units; leave documents and units out",
                [
                    {"column": name, "problem": "not used by a PMC template", "expected": "None"}
                    for name, given in (("documents", documents), ("units", units))
                    if given is not None
                ],
            )
        return write_pmc_template(
            path, framework.scale, language=language, rows=documents_rows, force=force
        )
    values, extras = (None, []) if documents is None else _prefilled_documents(documents, framework)
    if values is not None:
        documents_rows = max(documents_rows, len(values))
        # The suggestions and their basis beside the template's own columns, before any other extra.
        suggestion_columns = [c for pair in _suggestion_columns(extras, framework).values() for c in pair if c]
        extras = [*suggestion_columns, *(c for c in extras if c not in suggestion_columns)]
    unit_values = None if units is None else _prefilled_units(units, framework, values)
    unit_values, unit_extras = _with_machine_suggestions(unit_values, suggestions, order, framework, language)
    if unit_values is not None:
        units_rows = max(units_rows, len(unit_values))

    from openpyxl import Workbook

    sheets = TEMPLATE_SHEETS[language]
    document_columns = _document_columns(framework, language, sheets)
    doc_ids = _sheet_ref(sheets["documents"], 1, 2, documents_rows + 1)
    unit_columns = _unit_columns(framework, language, sheets, doc_ids)
    _check_headers(framework, "documents", [c.header for c in document_columns] + extras, document_columns)
    _check_headers(framework, "units", [c.header for c in unit_columns] + unit_extras, unit_columns)

    workbook = Workbook()
    instructions = workbook.active
    instructions.title = sheets["instructions"]
    document_sheet = workbook.create_sheet(sheets["documents"])
    unit_sheet = workbook.create_sheet(sheets["units"])
    codebook_sheet = workbook.create_sheet(sheets["codebook"])
    lists = workbook.create_sheet(sheets["lists"])
    lists.sheet_state = "hidden"
    list_column = [0]
    _write_data_sheet(
        document_sheet, document_columns, documents_rows, lists, list_column, values, extras, language
    )
    _write_data_sheet(unit_sheet, unit_columns, units_rows, lists, list_column, unit_values, unit_extras, language)
    if unit_extras:
        _mark_machine_suggestions(unit_sheet, len(unit_columns), len(unit_values))
    suggested = (
        [] if values is None else _mark_suggestions(document_sheet, document_columns, extras, values, framework, language)
    )
    _write_codebook(codebook_sheet, framework, language)
    objective_entries = next((c.entries for c in unit_columns if c.field == "objectives"), ()) or ()
    _write_instructions(
        instructions, framework, language, sheets, path.name, units_rows, documents_rows, objective_entries
    )
    if suggested:
        _explain_suggestions(instructions, suggested, language)
    workbook.properties.title = f"policyquant coding template: {framework.name}"
    workbook.properties.subject = framework.name
    workbook.properties.keywords = f"policyquant; framework={framework.name}; language={language}"
    workbook.properties.creator = "policyquant"
    # Built in memory, then written to a temporary file renamed into place: a full disk leaves
    # the old file as it was (and no half-written zip archive complaining from ZipFile.__del__).
    write_bytes(path, in_memory(workbook.save, path, what="the template"), what="the template")
    return path


#: The columns a machine coder's suggestions take on the units sheet, after the template's own.
MACHINE_SUGGESTION_COLUMNS = ("suggested", "suggested_confidence", "suggested_evidence")


def _with_machine_suggestions(
    units: pd.DataFrame | None, suggestions: Any, order: str, framework: Framework, language: str
) -> tuple[pd.DataFrame | None, list[str]]:
    """The pre-filled units with a machine coder's suggestions beside them (and reordered), and the extra columns."""
    if order not in ("given", "least-confident"):
        near = closest(str(order), ["given", "least-confident"])
        raise ValidationError(
            f"order must be 'given' or 'least-confident', got {order!r}"
            + (f"; did you mean {near[0]!r}?" if near else "")
        )
    if suggestions is None:
        if order != "given":
            raise ValidationError("order='least-confident' needs suggestions= (a coder's Suggestions) to order by")
        return units, []
    from ..coders import Suggestions

    if not isinstance(suggestions, Suggestions):
        raise ValidationError(
            f"suggestions must be a coder's Suggestions (coder.suggest(units)), got {type(suggestions).__name__}"
        )
    if units is None:
        raise ValidationError("suggestions= needs units=: the clauses the suggestions are for")
    if suggestions.framework.name != framework.name:
        raise ValidationError(
            f"the suggestions are for framework {suggestions.framework.name!r}, the template for {framework.name!r}"
        )
    extra = ~suggestions.unit_ids.isin(units["unit_id"])
    if extra.any():
        raise ValidationError(
            f"suggestions for {int(extra.sum())} unit(s) not in units, such as {str(suggestions.unit_ids[extra][0])!r}",
            [{"column": "unit_id", "value": str(v), "problem": "suggested for a unit not in units", "expected": "a unit_id of units"}
             for v in suggestions.unit_ids[extra][:20]],
        )
    best = suggestions.best().set_index("unit_id")
    best = best.reindex(pd.Index(units["unit_id"], dtype=best.index.dtype))
    entries = {}
    for part, field in (("instrument", "instrument"), ("objective", "objectives")):
        if field in suggestions.fields:
            items = framework.instruments if part == "instrument" else framework.objectives
            entries[field] = {item.key: _entry(item, part, framework, language) for item in items}
    parts = []
    for field, names in entries.items():
        values = best[field].astype(object).where(best[field].notna(), None).to_numpy(dtype=object)
        if field == "objectives":
            text = ["; ".join(names.get(k, k) for k in v) if isinstance(v, tuple) else "" for v in values]
        else:
            text = ["" if v is None else names.get(str(v), str(v)) for v in values]
        parts.append(np.array([t or "—" for t in text], dtype=object))
    # Positional, "instrument | objectives", with a dash for a field without a suggestion.
    shown = pd.Series([" | ".join(p) for p in zip(*parts, strict=True)] if parts else [""] * len(units), dtype=object)
    shown = shown.where(~shown.str.fullmatch(r"[—| ]*"), "")
    first = next((f for f in ("instrument", *suggestions.fields) if f in suggestions.fields), None)
    confidence = best[f"{first}_score"].to_numpy(dtype="float64") if first else np.full(len(units), np.nan)
    frame = suggestions.frame
    chosen = frame[frame["chosen"].to_numpy(dtype=bool)]
    evidence = chosen[chosen["evidence"].fillna("") != ""].groupby("unit_id", sort=False)["evidence"].agg(" | ".join)
    out = units.copy()
    out["suggested"] = shown.where(shown != "", None).to_numpy()
    out["suggested_confidence"] = np.round(confidence, 3)
    out["suggested_evidence"] = evidence.reindex(units["unit_id"].to_numpy()).to_numpy(dtype=object)
    if order == "least-confident":
        # No suggestion at all sorts first: the machine is least sure where it says nothing.
        key = np.where(np.isnan(confidence), -1.0, confidence)
        out = out.iloc[np.argsort(key, kind="stable")].reset_index(drop=True)
    return out, list(MACHINE_SUGGESTION_COLUMNS)


def _mark_machine_suggestions(sheet: Any, first: int, rows: int) -> None:
    """Fill the suggestion columns as the suggested scores are: visibly not coding cells."""
    from openpyxl.styles import PatternFill

    fill = PatternFill("solid", fgColor=_SUGGESTION_FILL)
    for column in range(first + 1, first + 1 + len(MACHINE_SUGGESTION_COLUMNS)):
        for row in range(1, rows + 2):
            sheet.cell(row=row, column=column).fill = fill


def _refuse_coded_workbook(path: Path) -> None:
    """Refuse to replace a workbook that holds coders' work: filled rows outside the template's own sheets."""
    if not path.is_file() or path.stat().st_size == 0:
        return
    from openpyxl import load_workbook

    from ..errors import WriteError
    from .tabular import SHEET_NAMES

    # The template's instructions, codebook and lists are its own text; pre-filled documents
    # are too.  Rows anywhere else (the units sheet first of all) are somebody's coding.
    own = {
        normalize_name(sheets[key]) for sheets in TEMPLATE_SHEETS.values() for key in sheets if key != "units"
    }
    own |= {normalize_name(name) for name in SHEET_NAMES["documents"]}
    advice = "give another file name, or force=True (--force on the command line) to replace it"
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - whatever it is, it is not a template to replace silently
        raise WriteError(
            f"{path} exists and is not a workbook policyquant can read, so it may hold work; {advice}",
            path=path,
        ) from None
    try:
        for sheet in book.worksheets:
            if normalize_name(sheet.title) in own:
                continue
            for number, row in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
                if any(value is not None and str(value).strip() != "" for value in row):
                    raise WriteError(
                        f"{path} already holds coded rows (sheet {sheet.title!r}, row {number}); "
                        f"replacing it with an empty template would lose them: {advice}",
                        path=path,
                    )
    finally:
        book.close()


def _check_headers(framework: Framework, table: str, headers: list[str], columns: Sequence[_Column]) -> None:
    """Make sure the whole header row reads back as the fields meant, extra columns included."""
    frame = pd.DataFrame(columns=headers)
    mapped = list(standardize_columns(frame, table, framework).columns)  # type: ignore[arg-type]
    expected = [c.field for c in columns] + headers[len(columns) :]
    wrong = [(h, m, e) for h, m, e in zip(headers, mapped, expected, strict=True) if m != e]
    if wrong:
        raise ValidationError(
            f"the {table} sheet's header row would not read back as meant",
            [{"column": h, "problem": f"reads back as {m!r}", "expected": repr(e)} for h, m, e in wrong],
        )

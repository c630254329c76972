"""The errors and warnings that policyquant raises on purpose.

Every exception raised deliberately by policyquant derives from
:class:`PolicyQuantError`, so that a caller can catch all of them with one
``except`` clause while letting genuine bugs propagate.  Subclasses exist where a
caller needs to tell situations apart.

Validation errors carry the problems they found as a :class:`pandas.DataFrame`
(:attr:`ValidationError.problems`): a researcher can sort, filter or export it
instead of parsing a message.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ._i18n import _, current_language, pgettext

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "DuplicateFrameworkError",
    "FormulaError",
    "InputTypeError",
    "InvalidFrameworkError",
    "PluginError",
    "PluginWarning",
    "PolicyQuantError",
    "ReadError",
    "ScoreError",
    "SheetWarning",
    "UnknownCategoryError",
    "UnknownFrameworkError",
    "ValidationError",
    "WriteError",
]

#: Columns of :attr:`ValidationError.problems`, in this order.
PROBLEM_COLUMNS = ("file", "row", "column", "value", "problem", "expected", "suggestions")

#: How many problems a message spells out before it summarises the rest.
MESSAGE_PROBLEM_LIMIT = 20


class PolicyQuantError(Exception):
    """Base class of every error that policyquant raises on purpose.

    Examples
    --------
    >>> import policyquant as pq
    >>> try:
    ...     pq.get_framework("no-such-framework")
    ... except pq.PolicyQuantError as error:
    ...     print(type(error).__name__)
    UnknownFrameworkError
    """


class UnknownFrameworkError(PolicyQuantError, LookupError):
    """No registered framework has the requested name or alias.

    The message lists the known names and the closest matches.
    """


class InvalidFrameworkError(PolicyQuantError, ValueError):
    """A framework, or one of its parts, is inconsistent.

    Raised when a model object is constructed with an empty or duplicate key, an
    instrument names a family that the framework does not hold, a dimension has
    no levels, and similar mistakes.
    """


class FormulaError(PolicyQuantError, ValueError):
    """A formula is not a safe arithmetic expression, or cannot be evaluated.

    Attributes
    ----------
    formula : str
        The formula's text.
    part : str or None
        The offending part of the formula, where one can be named.
    offset : int or None
        Zero-based column of the offending part in ``formula``.
    """

    def __init__(
        self, message: str, *, formula: str = "", part: str | None = None, offset: int | None = None
    ) -> None:
        super().__init__(message)
        self.formula = formula
        self.part = part
        self.offset = offset


class PluginError(PolicyQuantError):
    """A plugin could not be loaded or misbehaved while registering."""


class DuplicateFrameworkError(PluginError):
    """Two plugins claimed the same framework name or alias.

    The message names both plugins.
    """


class ValidationError(PolicyQuantError, ValueError):
    """Data did not pass validation; every problem found is listed.

    Parameters
    ----------
    summary : str
        One sentence on what was being validated.
    problems : iterable of mapping, or pandas.DataFrame
        One mapping (or row) per problem with any of the keys ``file``,
        ``row``, ``column``, ``value``, ``problem``, ``expected`` and
        ``suggestions``.  A DataFrame is taken as it is, column by column:
        the cheap way to report a million problems.
    stopped : str, optional
        Where collecting stopped, when ``problems`` are not all there are
        (a guard on memory); the message then says there are more.

    Attributes
    ----------
    problems : pandas.DataFrame
        One row per problem, with the columns named above.
    stopped : str or None
        Where collecting stopped, or None when :attr:`problems` holds every problem.

    Examples
    --------
    >>> from policyquant.errors import ValidationError
    >>> error = ValidationError(
    ...     "units.csv has 1 problem",
    ...     [{"file": "units.csv", "row": 3, "column": "AS", "value": 4,
    ...       "problem": "not a level of AS", "expected": "5, 3, 1"}],
    ... )
    >>> print(error)
    units.csv has 1 problem:
      - units.csv, row 3, column 'AS', value 4: not a level of AS; expected 5, 3, 1
    >>> error.problems.loc[0, "column"]
    'AS'

    A message spells out the first 20 problems and counts the others:

    >>> import pandas as pd
    >>> many = pd.DataFrame({"row": range(2, 25002), "column": "AS", "problem": "not a level of AS"})
    >>> print(ValidationError("units.csv: 25,000 problems found", many))
    units.csv: 25,000 problems found:
      - row 2, column 'AS': not a level of AS
    ...
      - row 21, column 'AS': not a level of AS
      ... and 24,980 more (see .problems)
    """

    def __init__(
        self,
        summary: str,
        problems: Iterable[Mapping[str, Any]] | pd.DataFrame = (),
        *,
        stopped: str | None = None,
    ) -> None:
        self.summary = summary
        self.stopped = stopped
        # The language its texts are in, so that a one-line summary made later (the command
        # line's) is in the same language.
        self.language = current_language()
        self.problems = problem_table(problems)
        super().__init__(self._format(summary, self.problems, stopped))

    @property
    def complete(self) -> bool:
        """Whether :attr:`problems` holds every problem (False when collecting stopped, see :attr:`stopped`)."""
        return self.stopped is None

    @staticmethod
    def _format(summary: str, table: pd.DataFrame, stopped: str | None = None) -> str:
        if not len(table) and stopped is None:
            return summary
        lines = [_("{summary}:").format(summary=summary)]
        for record in table.iloc[:MESSAGE_PROBLEM_LIMIT].to_dict("records"):
            lines.append("  - " + describe_problem(record))
        more = len(table) - MESSAGE_PROBLEM_LIMIT
        if stopped is not None:
            # Every problem collected is in .problems; the "+" says there are others beyond them.
            lines.append("  " + _("... and {more:,}+ more (see .problems; {stopped})").format(
                more=max(more, 0), stopped=stopped))
        elif more > 0:
            lines.append("  " + _("... and {more:,} more (see .problems)").format(more=more))
        return "\n".join(lines)


class InputTypeError(ValidationError, TypeError):
    """A function was given an object of the wrong type (a DataFrame where a Corpus belongs, None ...).

    The message names the function, what it expects, what it got and, where
    there is one, how to make what it expects.  It is a :class:`TypeError`, and
    a :class:`ValidationError` as wrong types were reported before it existed,
    so that ``except ValidationError`` keeps catching them.

    Examples
    --------
    >>> import policyquant as pq
    >>> try:
    ...     pq.crosstab(None)
    ... except pq.InputTypeError as error:
    ...     print(error)
    crosstab expects a Corpus (from pq.read_coding or pq.Corpus); got None
    """


class UnknownCategoryError(ValidationError, LookupError):
    """A value names no instrument, objective, family or level of the framework."""


class ScoreError(ValidationError):
    """A score is not one of its dimension's levels."""


class ReadError(ValidationError):
    """A file could not be read at all: missing, empty, corrupt or in an unknown format or encoding.

    The message names the file and, where it can, what was expected.
    """


class WriteError(ValidationError):
    """A file could not be written, or writing it would replace one of the inputs.

    policyquant writes every file to a temporary file next to it and renames
    it into place, so when this is raised the file at :attr:`path` is as it
    was before (or still absent).  The message is one sentence naming the
    file: no space left, a read-only file system, permission denied, a
    folder where a file was expected, or the input it would replace.

    Attributes
    ----------
    path : pathlib.Path or None
        The file that was not written.
    input : pathlib.Path or None
        The input file that ``path`` is, when that is the reason.
    errno : int or None
        The operating system's error number, when the system refused.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import policyquant as pq
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "notes.txt").write_text("a file, not a folder")
    >>> try:
    ...     pq.write_coding(pq.datasets.load_genai_china(), folder / "notes.txt" / "study.json")
    ... except pq.WriteError as error:
    ...     print(error.path.name, "|", str(error).split(": ", 1)[1])
    study.json | a part of the path is a file, not a folder (notes.txt); nothing was written
    """

    def __init__(self, message: str, *, path: Any = None, input: Any = None, errno: int | None = None) -> None:
        from pathlib import Path

        super().__init__(message)
        self.path = None if path is None else Path(path)
        self.input = None if input is None else Path(input)
        self.errno = errno


class PluginWarning(UserWarning):
    """A third-party plugin failed to load; the other frameworks still work."""


class SheetWarning(UserWarning):
    """A workbook's sheet was chosen by its headers, not its name, or holds data that was not read.

    :func:`read_coding` recognises the units and documents sheets of a
    workbook by their names (``units``, ``documents``, 条款, 文件 ...).  When the
    names say nothing (``Sheet1``, ``Sheet2``), it reads each sheet's headers
    and says which sheet it read as what; a sheet holding data that it did
    not read is named too, so that no sheet is left out silently.

    Examples
    --------
    >>> import pathlib, tempfile, warnings
    >>> import pandas as pd
    >>> import policyquant as pq
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "study.xlsx"
    >>> units = pd.DataFrame({"unit_id": ["P01-1-1"], "doc_id": ["P01"], "instrument": ["标准规范"],
    ...                       "objectives": ["公共安全"], "AS": ["5"], "MI": ["3"]})
    >>> with pd.ExcelWriter(path) as writer:
    ...     pd.DataFrame({"doc_id": ["P01"], "DA": ["3"]}).to_excel(writer, sheet_name="Sheet1", index=False)
    ...     units.to_excel(writer, sheet_name="Sheet2", index=False)
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     corpus = pq.read_coding(path)
    >>> print(caught[0].message)
    /...study.xlsx: read sheet 'Sheet2' as the units and sheet 'Sheet1' as the documents, by their headers (name the sheets 'units' and 'documents' to choose them yourself)
    >>> len(corpus.documents), len(corpus.units)
    (1, 1)
    """


def problem_table(problems: Iterable[Mapping[str, Any]] | pd.DataFrame) -> pd.DataFrame:
    """Problems as a DataFrame with exactly the columns of :data:`PROBLEM_COLUMNS` (object dtype, None where absent).

    Examples
    --------
    >>> problem_table([{"row": 2, "column": "AS", "value": 4}]).loc[0].tolist()
    [None, 2, 'AS', 4, None, None, None]
    """
    import pandas as pd

    if isinstance(problems, pd.DataFrame):
        count = len(problems)
        columns = {}
        for column in PROBLEM_COLUMNS:
            if column in problems.columns:
                values = problems[column].astype(object).reset_index(drop=True)
                # pandas' missing markers (NaN, NA) read as "no value", as a record's None does.
                columns[column] = values.where(values.notna(), None)
            else:
                columns[column] = pd.Series([None] * count, dtype=object)
        return pd.DataFrame(columns)
    records = [{column: problem.get(column) for column in PROBLEM_COLUMNS} for problem in problems]
    # object dtype: rows stay integers (2, not 2.0) even next to problems without a row.
    return pd.DataFrame(
        {column: pd.Series([r[column] for r in records], dtype=object) for column in PROBLEM_COLUMNS}
    )


def describe_problem(record: Mapping[str, Any]) -> str:
    """Render one problem record as a sentence fragment.

    Parameters
    ----------
    record : mapping
        A problem with any of the keys of :data:`PROBLEM_COLUMNS`.

    Returns
    -------
    str
        Where the problem is, then what it is, what was expected and what is
        closest.

    Examples
    --------
    >>> describe_problem({"row": 2, "column": "instrument", "value": "subsidy",
    ...                   "problem": "unknown instrument", "suggestions": "subsidies"})
    "row 2, column 'instrument', value 'subsidy': unknown instrument; did you mean subsidies?"
    """
    where = []
    if record.get("file") is not None:
        where.append(str(record["file"]))
    if record.get("row") is not None:
        where.append(_("row {row}").format(row=record["row"]))
    if record.get("column") is not None:
        where.append(_("column {column!r}").format(column=record["column"]))
    if "value" in record and record.get("value") is not None:
        where.append(_("value {value!r}").format(value=record["value"]))
    text = pgettext("list separator", ", ").join(where)
    what = str(record.get("problem") or _("invalid"))
    text = _("{where}: {what}").format(where=text, what=what) if text else what
    if record.get("expected"):
        text = _("{text}; expected {expected}").format(text=text, expected=record["expected"])
    if record.get("suggestions"):
        text = _("{text}; did you mean {suggestions}?").format(text=text, suggestions=record["suggestions"])
    return text

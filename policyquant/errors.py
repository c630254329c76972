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
from typing import Any

__all__ = [
    "DuplicateFrameworkError",
    "FormulaError",
    "InvalidFrameworkError",
    "PluginError",
    "PluginWarning",
    "PolicyQuantError",
    "ReadError",
    "ScoreError",
    "UnknownCategoryError",
    "UnknownFrameworkError",
    "ValidationError",
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
    problems : iterable of mapping
        One mapping per problem with any of the keys ``file``, ``row``,
        ``column``, ``value``, ``problem``, ``expected`` and ``suggestions``.

    Attributes
    ----------
    problems : pandas.DataFrame
        One row per problem, with the columns named above.

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
    """

    def __init__(self, summary: str, problems: Iterable[Mapping[str, Any]] = ()) -> None:
        import pandas as pd

        records = [{column: problem.get(column) for column in PROBLEM_COLUMNS} for problem in problems]
        self.summary = summary
        # object dtype: rows stay integers (2, not 2.0) even next to problems without a row.
        self.problems = pd.DataFrame(
            {column: pd.Series([r[column] for r in records], dtype=object) for column in PROBLEM_COLUMNS}
        )
        super().__init__(self._format(summary, records))

    @staticmethod
    def _format(summary: str, records: list[dict[str, Any]]) -> str:
        if not records:
            return summary
        lines = [summary + ":"]
        for record in records[:MESSAGE_PROBLEM_LIMIT]:
            lines.append("  - " + describe_problem(record))
        if len(records) > MESSAGE_PROBLEM_LIMIT:
            lines.append(f"  ... and {len(records) - MESSAGE_PROBLEM_LIMIT} more (see .problems)")
        return "\n".join(lines)


class UnknownCategoryError(ValidationError, LookupError):
    """A value names no instrument, objective, family or level of the framework."""


class ScoreError(ValidationError):
    """A score is not one of its dimension's levels."""


class ReadError(ValidationError):
    """A file could not be read at all: missing, empty, corrupt or in an unknown format or encoding.

    The message names the file and, where it can, what was expected.
    """


class PluginWarning(UserWarning):
    """A third-party plugin failed to load; the other frameworks still work."""


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
        where.append(f"row {record['row']}")
    if record.get("column") is not None:
        where.append(f"column {record['column']!r}")
    if "value" in record and record.get("value") is not None:
        where.append(f"value {record['value']!r}")
    text = ", ".join(where)
    what = str(record.get("problem") or "invalid")
    text = f"{text}: {what}" if text else what
    if record.get("expected"):
        text += f"; expected {record['expected']}"
    if record.get("suggestions"):
        text += f"; did you mean {record['suggestions']}?"
    return text

"""The one check of what a public function was given, and the one message for a wrong type.

Every public function that takes a corpus calls :func:`require_corpus` first,
so that ``pq.crosstab(frame)`` says what was given, what is expected and how
to make it, instead of failing deep inside with an ``AttributeError``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .errors import InputTypeError

if TYPE_CHECKING:
    from .corpus import Corpus

__all__ = [
    "describe_value",
    "how_to_read",
    "require_coders",
    "require_corpus",
    "require_equal_lengths",
    "require_path",
    "require_read_sources",
    "require_write_target",
]

_CORPUS = "a Corpus (from pq.read_coding or pq.Corpus)"


def describe_value(value: Any) -> str:
    """What a value is, as a message names it: ``None``, ``a pandas DataFrame``, ``the text 'x'``.

    Examples
    --------
    >>> import pandas as pd
    >>> describe_value(pd.DataFrame()), describe_value("units.csv"), describe_value(3)
    ('a pandas DataFrame', "the text 'units.csv'", 'the int 3')
    >>> describe_value(None)
    'None'
    """
    if value is None:
        return "None"
    kind = type(value)
    module = kind.__module__.split(".")[0]
    if module == "pandas":
        return f"a pandas {kind.__name__}"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:60] + "..."
        return f"the text {shown!r}"
    if isinstance(value, os.PathLike):
        return f"the path '{os.fspath(value)}'"
    if isinstance(value, (bool, int, float, complex)):
        return f"the {kind.__name__} {value!r}"
    name = kind.__name__ if module == "builtins" else f"{module}.{kind.__name__}"
    return f"{'an' if name[0].lower() in 'aeiou' else 'a'} {name}"


def how_to_read(value: Any) -> str:
    import pandas as pd

    if isinstance(value, pd.DataFrame):
        return ": read it with pq.read_coding(frame) (the units) or pq.Corpus(documents, units)"
    if isinstance(value, (str, os.PathLike)):
        return ": read the file with pq.read_coding(path) first"
    return ""


def require_corpus(value: Any, function: str) -> Corpus:
    """``value`` if it is a :class:`~policyquant.Corpus`; else :class:`~policyquant.errors.InputTypeError`.

    Parameters
    ----------
    value : object
        What the caller gave as the corpus.
    function : str
        The public function's name, for the message.

    Returns
    -------
    Corpus

    Raises
    ------
    InputTypeError
        Saying what was given, what is expected and how to make it.

    Examples
    --------
    >>> import pandas as pd
    >>> require_corpus(pd.DataFrame({"unit_id": ["N01-1-1"]}), "crosstab")
    Traceback (most recent call last):
    ...
    policyquant.errors.InputTypeError: crosstab expects a Corpus (from pq.read_coding or pq.Corpus); got a pandas DataFrame: read it with pq.read_coding(frame) (the units) or pq.Corpus(documents, units)
    """
    from .corpus import Corpus

    if isinstance(value, Corpus):
        return value
    raise InputTypeError(f"{function} expects {_CORPUS}; got {describe_value(value)}{how_to_read(value)}")


def require_coders(value: Any, function: str) -> dict[str, Corpus]:
    """``value`` as a dict if it maps coder names to corpora; else :class:`~policyquant.errors.InputTypeError`.

    Examples
    --------
    >>> require_coders({"A": None}, "agreement_report")
    Traceback (most recent call last):
    ...
    policyquant.errors.InputTypeError: agreement_report expects a Corpus (from pq.read_coding or pq.Corpus) for coder 'A'; got None
    """
    from .corpus import Corpus

    if not isinstance(value, Mapping):
        raise InputTypeError(
            f"{function} expects the coders' corpora as a mapping {{coder name: Corpus}}, such as "
            f"{{'A': pq.read_coding('a.xlsx'), 'B': pq.read_coding('b.xlsx')}}; got {describe_value(value)}"
        )
    for name, corpus in value.items():
        if not isinstance(corpus, Corpus):
            raise InputTypeError(
                f"{function} expects {_CORPUS} for coder {name!r}; got {describe_value(corpus)}{how_to_read(corpus)}"
            )
    return dict(value)


def require_path(value: Any, function: str, argument: str, *, frame: bool = False) -> None:
    """Raise :class:`~policyquant.errors.InputTypeError` unless ``value`` is a path (or, with ``frame``, a DataFrame).

    Examples
    --------
    >>> require_path(None, "read_coding", "units", frame=True)
    Traceback (most recent call last):
    ...
    policyquant.errors.InputTypeError: read_coding expects units as a file or folder path (str or pathlib.Path) or a pandas DataFrame; got None
    """
    import pandas as pd

    if isinstance(value, (str, bytes, os.PathLike)) or (frame and isinstance(value, pd.DataFrame)):
        return
    expected = "a file or folder path (str or pathlib.Path)" + (" or a pandas DataFrame" if frame else "")
    raise InputTypeError(f"{function} expects {argument} as {expected}; got {describe_value(value)}")


def require_read_sources(units: Any, documents: Any) -> None:
    """The argument check of :func:`policyquant.read_coding`: paths or DataFrames (documents may be None).

    Examples
    --------
    >>> require_read_sources("units.csv", 3)
    Traceback (most recent call last):
    ...
    policyquant.errors.InputTypeError: read_coding expects documents as a file or folder path (str or pathlib.Path) or a pandas DataFrame; got the int 3
    """
    require_path(units, "read_coding", "units", frame=True)
    if documents is not None:
        require_path(documents, "read_coding", "documents", frame=True)


def require_write_target(corpus: Any, path: Any) -> None:
    """The argument check of :func:`policyquant.write_coding`: a corpus and a path.

    Examples
    --------
    >>> require_write_target(None, "out")
    Traceback (most recent call last):
    ...
    policyquant.errors.InputTypeError: write_coding expects a Corpus (from pq.read_coding or pq.Corpus); got None
    """
    require_corpus(corpus, "write_coding")
    require_path(path, "write_coding", "path")


def require_equal_lengths(columns: Any, function: str) -> None:
    """Raise a :class:`~policyquant.errors.ValidationError` unless every column of a mapping has one length.

    A shorter column would otherwise be broadcast over the rows (one value for
    all of them) or fail inside numpy.

    Examples
    --------
    >>> require_equal_lengths({"DA": [5, 1], "AS": [5], "MI": [5, 1]}, "score_columns")
    Traceback (most recent call last):
    ...
    policyquant.errors.ValidationError: score_columns expects one value per row in every column, all of one length; got DA: 2, AS: 1, MI: 2 values
    """
    import numpy as np

    from .errors import ValidationError

    if not isinstance(columns, Mapping):
        raise InputTypeError(
            f"{function} expects a mapping {{column: values}}, such as {{'DA': [5, 1], 'AS': [3, 1]}}; "
            f"got {describe_value(columns)}"
        )
    lengths = {
        str(key): (np.shape(values)[0] if np.ndim(values) else None) for key, values in columns.items()
    }
    if len(set(lengths.values())) > 1 or None in lengths.values():
        shown = ", ".join(
            f"{key}: {'one value, not a column' if n is None else n}" for key, n in lengths.items()
        )
        raise ValidationError(
            f"{function} expects one value per row in every column, all of one length; got {shown} values"
        )

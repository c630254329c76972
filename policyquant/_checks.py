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

__all__ = ["describe_value", "require_coders", "require_corpus", "require_path"]

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


def _hint(value: Any) -> str:
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
    raise InputTypeError(f"{function} expects {_CORPUS}; got {describe_value(value)}{_hint(value)}")


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
                f"{function} expects {_CORPUS} for coder {name!r}; got {describe_value(corpus)}{_hint(corpus)}"
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

    if isinstance(value, (str, os.PathLike)) or (frame and isinstance(value, pd.DataFrame)):
        return
    expected = "a file or folder path (str or pathlib.Path)" + (" or a pandas DataFrame" if frame else "")
    raise InputTypeError(f"{function} expects {argument} as {expected}; got {describe_value(value)}")

"""Deprecation helpers: renamed arguments and the DataFrame access of result objects.

One decorator, :func:`renamed_arguments`, keeps an old argument name working
as an alias of its new name with a :class:`DeprecationWarning` naming the new
one; the aliases it adds are recorded on the function
(``__deprecated_arguments__``) so that the conventions test can check that each
of them warns.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

from .errors import ValidationError

__all__ = ["deprecated", "renamed_arguments"]

F = TypeVar("F", bound=Callable[..., Any])

#: The attribute on which :func:`renamed_arguments` records ``{old name: new name}``.
ALIASES = "__deprecated_arguments__"


def deprecated(message: str, stacklevel: int = 2) -> None:
    """Warn with a :class:`DeprecationWarning` pointing at the caller's caller.

    ``stacklevel`` counts as :func:`warnings.warn` does, from the function calling
    this one.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     deprecated("old is deprecated: use new")
    >>> caught[0].category.__name__, str(caught[0].message)
    ('DeprecationWarning', 'old is deprecated: use new')
    """
    warnings.warn(message, DeprecationWarning, stacklevel=stacklevel + 1)


def renamed_arguments(**renamed: str) -> Callable[[F], F]:
    """Accept each old keyword (``old="new"``) as a deprecated alias of the new one.

    The alias warns with a :class:`DeprecationWarning` that names the new
    argument; giving both is a :class:`~policyquant.errors.ValidationError`.
    The function's signature (``inspect.signature``) shows the new names only.

    Parameters
    ----------
    **renamed : str
        Old name = new name.

    Returns
    -------
    callable
        A decorator.

    Examples
    --------
    >>> import warnings
    >>> @renamed_arguments(split="by")
    ... def tally(values, by=None):
    ...     return by
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     tally([], split="family")
    'family'
    >>> str(caught[0].message)
    'tally(split=...) is deprecated: use by=... (the same argument under its new name)'
    >>> tally.__deprecated_arguments__
    {'split': 'by'}
    """

    def decorate(function: F) -> F:
        name = getattr(function, "__name__", "function")

        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            for old, new in renamed.items():
                if old in kwargs:
                    if new in kwargs:
                        raise ValidationError(
                            f"{name}() got both {new}= and its deprecated alias {old}=: give {new}= only"
                        )
                    deprecated(
                        f"{name}({old}=...) is deprecated: use {new}=... (the same argument under its new name)"
                    )
                    kwargs[new] = kwargs.pop(old)
            return function(*args, **kwargs)

        setattr(wrapper, ALIASES, {**getattr(function, ALIASES, {}), **renamed})
        return wrapper  # type: ignore[return-value]

    return decorate

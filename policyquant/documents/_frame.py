"""The one way every step of :mod:`policyquant.documents` takes its documents."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..errors import InputTypeError, ValidationError

#: Columns every documents table has, in this order (metadata columns follow).
DOCUMENT_COLUMNS = ("doc_id", "path", "title", "text")


def documents_frame(documents: Any, what: str = "documents", required: tuple[str, ...] = ("doc_id", "text")) -> pd.DataFrame:
    """The documents table of ``documents``: a DocumentSet (anything with ``to_frame()``) or a DataFrame.

    The frame is returned as it is (not copied); callers must not modify it.
    Raises :class:`~policyquant.errors.InputTypeError` for anything else and
    :class:`~policyquant.errors.ValidationError` when a required column is missing.

    Examples
    --------
    >>> import pandas as pd
    >>> from policyquant.documents._frame import documents_frame
    >>> documents_frame(pd.DataFrame({"doc_id": ["D1"], "text": ["第一条 ..."]})).columns.tolist()
    ['doc_id', 'text']
    """
    if isinstance(documents, pd.DataFrame):
        frame = documents
    elif hasattr(documents, "to_frame") and not isinstance(documents, (pd.Series, pd.Index)):
        frame = documents.to_frame()
    else:
        raise InputTypeError(
            f"{what} must be the result of policyquant.read_documents (a DocumentSet) or a pandas DataFrame "
            f"with columns {', '.join(required)}; got {type(documents).__name__}",
            [{"value": type(documents).__name__, "problem": "not a documents table", "expected": "a DocumentSet or a DataFrame"}],
        )
    missing = [column for column in required if column not in frame.columns]
    if missing:
        raise ValidationError(
            f"{what}: missing column {', '.join(map(repr, missing))}",
            [
                {"column": column, "problem": "missing required column", "expected": f"a column {column!r}"}
                for column in missing
            ],
        )
    return frame

"""quanteda-style analyses of tokens, on sparse matrices.

:func:`dfm` (a document-feature matrix), :func:`top_features` (quanteda's
``textstat_frequency``), :func:`keyness` (``textstat_keyness``), :func:`kwic`
and :func:`cooccurrence` (``fcm``).  Names and columns follow quanteda's, so
that a table reads as the R package's does.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .._text import closest
from ..errors import ValidationError
from ..results import FrameResult, TableResult
from ._tokens import (
    TidyTable,
    Tokens,
    _check_units,
    _cut_all,
    _encode,
    _resolve,
    _titled,
    _units_frame,
    _user_words,
    detect_language,
    require,
)

#: Column titles of the text-analysis tables, by language (kept here, with the tables they head).
TITLES = {
    "en": {
        "feature": "Feature",
        "frequency": "Frequency",
        "rank": "Rank",
        "docfreq": "Documents",
        "group": "Group",
        "tfidf": "TF-IDF",
        "chi2": "χ²",
        "G2": "G²",
        "n_target": "n (target)",
        "n_reference": "n (reference)",
        "from": "From",
        "to": "To",
        "pre": "Before",
        "keyword": "Keyword",
        "post": "After",
        "pattern": "Pattern",
        "feature1": "Feature 1",
        "feature2": "Feature 2",
        "cooccurrences": "Co-occurrences",
    },
    "zh": {
        "feature": "词",
        "frequency": "词频",
        "rank": "排名",
        "docfreq": "文档频数",
        "group": "分组",
        "tfidf": "TF-IDF",
        "chi2": "χ²",
        "G2": "G²",
        "n_target": "目标组频数",
        "n_reference": "参照组频数",
        "from": "起",
        "to": "止",
        "pre": "上文",
        "keyword": "关键词",
        "post": "下文",
        "pattern": "检索式",
        "feature1": "词 1",
        "feature2": "词 2",
        "cooccurrences": "共现次数",
    },
}


class TextTable(TidyTable, FrameResult):
    """A text-analysis table: a DataFrame with the exports of a result, headed in a language on request."""

    def to_frame(self, language: str | None = None) -> pd.DataFrame:
        """The table (a copy); with ``language``, its columns titled for a reader in it."""
        return _titled(self.frame.copy(), language, TITLES)


class FrequencyTable(TextTable):
    """What :func:`top_features` returns: feature, frequency, rank, docfreq, group (``textstat_frequency``)."""


class KeynessTable(TextTable):
    """What :func:`keyness` returns: feature, chi2 or G2, p, n_target, n_reference (``textstat_keyness``).

    Attributes
    ----------
    target, reference : str
        The names of the two groups compared.
    """

    def __init__(self, frame: pd.DataFrame, target: str, reference: str, decimals: int = 3) -> None:
        super().__init__(frame, decimals)
        self.target = target
        self.reference = reference


class KwicTable(TextTable):
    """What :func:`kwic` returns: unit id, from, to, pre, keyword, post, pattern."""


# -- Document-feature matrix ----------------------------------------------------------------


class DocumentFeatureMatrix(TableResult):
    """A document-feature matrix: counts of each feature (token) in each document or group.

    Attributes
    ----------
    matrix : scipy.sparse.csr_matrix of int64
        Documents (rows) by features (columns).
    features : numpy.ndarray of str
        The features, in order of first appearance.
    docnames : pandas.Index
        The rows' names: unit ids, or group names after grouping.
    docvars : pandas.DataFrame
        One row per document: its other columns (before grouping), or the
        number of units of each group (``n_units``) after.
    ndoc : numpy.ndarray of int
        How many units each row sums (1 before grouping).

    Examples
    --------
    >>> import pandas as pd
    >>> from policyquant.text import dfm, tokenize
    >>> units = pd.DataFrame({"unit_id": ["u1", "u2", "u3"], "level": ["national", "national", "provincial"],
    ...                       "text": ["数据 安全 数据", "算法 安全", "数据 算法"]})
    >>> matrix = dfm(tokenize(units, language="zh"))
    >>> matrix.to_frame()
             数据  安全  算法
    unit_id
    u1        2   1   0
    u2        0   1   1
    u3        1   0   1
    >>> dfm(tokenize(units, language="zh"), groups="level").to_frame()
                数据  安全  算法
    level
    national     2   2   1
    provincial   1   0   1
    """

    decimals = 0

    #: Cells above which :meth:`to_frame` refuses to build a dense table.
    DENSE_LIMIT = 20_000_000

    def __init__(
        self, matrix: Any, features: np.ndarray, docnames: pd.Index, docvars: pd.DataFrame, ndoc: np.ndarray
    ) -> None:
        self.matrix = matrix
        self.features = features
        self.docnames = docnames
        self.docvars = docvars
        self.ndoc = ndoc

    @property
    def shape(self) -> tuple[int, int]:
        """(documents, features)."""
        return self.matrix.shape

    def total(self) -> int:
        """The number of tokens counted."""
        return int(self.matrix.sum())

    def to_frame(self, language: str | None = None) -> pd.DataFrame:
        """The matrix as a dense DataFrame (documents by features), for small matrices only."""
        from .._language import resolve_language

        resolve_language(language)
        cells = self.shape[0] * self.shape[1]
        if cells > self.DENSE_LIMIT:
            raise ValidationError(
                f"the matrix has {self.shape[0]:,} documents x {self.shape[1]:,} features ({cells:,} cells): "
                f"too many for a dense table (at most {self.DENSE_LIMIT:,}); use .matrix (scipy.sparse) or "
                "top_features()"
            )
        return pd.DataFrame(
            self.matrix.toarray(), index=self.docnames, columns=pd.Index(self.features, dtype="str")
        )

    def __str__(self) -> str:
        return repr(self)

    def __repr__(self) -> str:
        return f"<DocumentFeatureMatrix: {self.shape[0]:,} documents x {self.shape[1]:,} features, {self.total():,} tokens>"


def _group_codes(
    tokens_or_dfm: Any, groups: object, docvars: pd.DataFrame, docnames: pd.Index
) -> tuple[np.ndarray, pd.Index]:
    """Each document's group code and the groups (in order of first appearance)."""
    if isinstance(groups, str):
        if groups in ("unit_id", "doc_id") and groups not in docvars.columns and docnames.name == groups:
            values = pd.Series(docnames, dtype=object)
        elif groups not in docvars.columns:
            choices = [str(c) for c in docvars.columns]
            raise ValidationError(
                f"groups={groups!r}: no such column of the units",
                [
                    {
                        "column": "groups",
                        "value": groups,
                        "problem": "not a column of the units",
                        "expected": ", ".join(choices)
                        or "a column (the units have none besides their id and text)",
                        "suggestions": ", ".join(closest(groups, choices)) or None,
                    }
                ],
            )
        else:
            values = docvars[groups].reset_index(drop=True)
        name = groups
    else:
        if isinstance(groups, (bytes, dict)) or not isinstance(groups, Iterable):
            raise ValidationError(
                f"groups must be a column name or one value per document, got {type(groups).__name__}"
            )
        values = pd.Series(list(groups), dtype=object)
        name = getattr(groups, "name", None) or "group"
        if len(values) != len(docnames):
            raise ValidationError(
                f"groups has {len(values)} values for {len(docnames)} documents",
                [
                    {
                        "column": "groups",
                        "value": len(values),
                        "problem": "wrong length",
                        "expected": f"{len(docnames)} values",
                    }
                ],
            )
    missing = pd.isna(values).to_numpy()
    if missing.any():
        rows = np.flatnonzero(missing)
        raise ValidationError(
            f"groups={name!r}: {len(rows)} document(s) have no group",
            [
                {
                    "row": int(r) + 1,
                    "value": str(docnames[r]),
                    "column": str(name),
                    "problem": "missing group",
                    "expected": "a group for every document (fill the column first)",
                }
                for r in rows[:1000]
            ],
        )
    text = values.map(
        lambda v: (
            v if isinstance(v, str) else (str(int(v)) if isinstance(v, float) and v.is_integer() else str(v))
        )
    )
    codes, uniques = pd.factorize(text, sort=False)
    return codes, pd.Index(uniques, dtype="str", name=str(name))


def dfm(tokens: Tokens, *, groups: object = None) -> DocumentFeatureMatrix:
    """A document-feature matrix of the tokens (quanteda's ``dfm``, grouped as ``dfm_group``).

    Built straight from the tokens' codes as a CSR matrix (no second pass over
    the text).  With ``groups``, the rows of each group are summed (one sparse
    matrix product).

    Parameters
    ----------
    tokens : Tokens
        From :func:`~policyquant.text.tokenize`.
    groups : str or sequence, optional
        A column of the units (``doc_id``, ``level``, ``year``, ``instrument``
        ...), or one value per unit.  Groups are in order of first appearance;
        a group whose units have no tokens is a row of zeros.

    Returns
    -------
    DocumentFeatureMatrix

    Raises
    ------
    ValidationError
        For a column that does not exist (with the closest), a unit without a
        group, or a list of groups of the wrong length.

    Examples
    --------
    >>> from policyquant.text import dfm, tokenize
    >>> matrix = dfm(tokenize(["数据安全 数据", "算法推荐"], language="zh", stopwords=None))
    >>> matrix.shape, matrix.total(), list(matrix.features)
    ((2, 4), 4, ['数据安全', '数据', '算法', '推荐'])
    """
    from scipy import sparse

    if not isinstance(tokens, Tokens):
        raise ValidationError(
            f"dfm needs Tokens from policyquant.text.tokenize(), got {type(tokens).__name__}"
        )
    n = len(tokens)
    data = np.ones(len(tokens.codes), dtype=np.int64)
    # Copies: sum_duplicates sorts the index arrays in place, and they are the tokens' own.
    matrix = sparse.csr_matrix(
        (data, tokens.codes.copy(), tokens.offsets.copy()), shape=(n, len(tokens.vocabulary))
    )
    matrix.sum_duplicates()
    docnames = pd.Index(tokens.unit_ids, dtype="str", name=tokens.id_column)
    result = DocumentFeatureMatrix(
        matrix, tokens.vocabulary, docnames, tokens.docvars, np.ones(n, dtype=np.int64)
    )
    return result if groups is None else group(result, groups)


def group(matrix: DocumentFeatureMatrix, groups: object) -> DocumentFeatureMatrix:
    """Sum the rows of a document-feature matrix by group (quanteda's ``dfm_group``).

    Examples
    --------
    >>> from policyquant.text import dfm, group, tokenize
    >>> matrix = dfm(tokenize(["数据", "数据 算法", "算法"], language="zh"))
    >>> group(matrix, ["a", "a", "b"]).to_frame()
           数据  算法
    group
    a       2   1
    b       0   1
    """
    from scipy import sparse

    codes, names = _group_codes(matrix, groups, matrix.docvars, matrix.docnames)
    n = len(matrix.docnames)
    indicator = sparse.csr_matrix((np.ones(n, dtype=np.int64), (codes, np.arange(n))), shape=(len(names), n))
    summed = (indicator @ matrix.matrix).tocsr()
    ndoc = np.bincount(codes, weights=matrix.ndoc, minlength=len(names)).astype(np.int64)
    docvars = pd.DataFrame({"n_units": ndoc}, index=names)
    return DocumentFeatureMatrix(summed, matrix.features, names, docvars, ndoc)


def _as_dfm(value: Any, what: str) -> DocumentFeatureMatrix:
    if isinstance(value, Tokens):
        return dfm(value)
    if isinstance(value, DocumentFeatureMatrix):
        return value
    raise ValidationError(f"{what} needs a dfm() or tokenize() result, got {type(value).__name__}")


def _choice(name: str, value: object, choices: Sequence[str]) -> str:
    if isinstance(value, str) and value in choices:
        return value
    raise ValidationError(
        f"{name}={value!r} is not one of {', '.join(choices)}",
        [
            {
                "column": name,
                "value": repr(value),
                "problem": f"unknown {name}",
                "expected": ", ".join(choices),
                "suggestions": ", ".join(closest(str(value), list(choices))) or None,
            }
        ],
    )


# -- Frequencies -----------------------------------------------------------------------------


def top_features(
    matrix: DocumentFeatureMatrix | Tokens,
    n: int | None = 20,
    *,
    by: str = "frequency",
    groups: object = None,
) -> FrequencyTable:
    """The most frequent features, as quanteda's ``textstat_frequency`` reports them.

    Parameters
    ----------
    matrix : DocumentFeatureMatrix or Tokens
        Ungrouped, so that ``docfreq`` counts units (a grouped matrix counts groups).
    n : int or None, default 20
        Features per group (every feature with None).  Ties at the cut are cut
        in order of the feature's first appearance.
    by : {"frequency", "docfreq", "tfidf"}
        What to rank by: the count of the feature; the number of documents
        (units) it occurs in; or its summed TF-IDF weight, ``count *
        log10(N / docfreq)`` over the documents (quanteda's ``dfm_tfidf``
        defaults: counts and inverse document frequency in base 10, N the
        documents of the group).
    groups : str or sequence, optional
        As in :func:`dfm`: rank within each group.

    Returns
    -------
    FrequencyTable
        Columns ``feature``, ``frequency``, ``rank`` (1 for the first; ties
        share the lowest rank, as R's ``rank(ties.method = "min")``),
        ``docfreq``, ``group`` (``"all"`` without groups), and ``tfidf`` when
        ranked by it.  Sorted by group, then rank.

    Raises
    ------
    ValidationError
        For an unknown ``by`` (naming the choices), ``n`` not a positive whole
        number, or a bad ``groups``.

    Examples
    --------
    >>> from policyquant.text import tokenize, top_features
    >>> tokens = tokenize(["数据 安全 数据", "算法 安全", "数据"], language="zh")
    >>> top_features(tokens, 2).to_frame()
      feature  frequency  rank  docfreq group
    0      数据          3     1        2   all
    1      安全          2     2        2   all
    >>> top_features(tokens, 2, groups=["a", "a", "b"]).to_frame()["group"].tolist()
    ['a', 'a', 'b']
    """
    by = _choice("by", by, ("frequency", "docfreq", "tfidf"))
    if n is not None and (isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1):
        raise ValidationError(f"n must be a whole number of 1 or more (or None for all), got {n!r}")
    base = _as_dfm(matrix, "top_features")
    counts = base.matrix.tocsr()
    if groups is None:
        codes, names = np.zeros(counts.shape[0], dtype=np.intp), pd.Index(["all"], dtype="str")
    else:
        codes, names = _group_codes(base, groups, base.docvars, base.docnames)
    from scipy import sparse

    indicator = sparse.csr_matrix(
        (np.ones(len(codes), dtype=np.int64), (codes, np.arange(len(codes)))), shape=(len(names), len(codes))
    )
    # Sparse group rows (a dense groups x features table is too big when every unit is a group).
    frequency = (indicator @ counts).tocsr()
    present = counts.copy()
    present.data = np.ones_like(present.data)
    docfreq = (indicator @ present).tocsr()
    frequency.sort_indices()
    docfreq.sort_indices()
    ndocs = np.bincount(codes, minlength=len(names)).astype(np.float64)
    rows = []
    for g, name in enumerate(names):
        span = slice(frequency.indptr[g], frequency.indptr[g + 1])
        features, counted = frequency.indices[span], frequency.data[span]
        # Both products have the same pattern: a feature occurs in a group iff some unit of it has it.
        in_documents = docfreq.data[docfreq.indptr[g] : docfreq.indptr[g + 1]]
        tfidf = counted * np.log10(ndocs[g] / in_documents)
        score = {"frequency": counted, "docfreq": in_documents, "tfidf": tfidf}[by]
        # Ties keep the order of first appearance (the stable sort of the features in that order).
        first = np.argsort(features, kind="stable")
        order = first[np.argsort(-score[first], kind="stable")]
        ranks = pd.Series(-score[order]).rank(method="min").to_numpy(dtype=np.int64)
        if n is not None:
            order, ranks = order[:n], ranks[:n]
        part = {
            "feature": base.features[features[order]],
            "frequency": counted[order],
            "rank": ranks,
            "docfreq": in_documents[order],
            "group": np.full(len(order), name, dtype=object),
        }
        if by == "tfidf":
            part["tfidf"] = tfidf[order]
        rows.append(pd.DataFrame(part))
    columns = ["feature", "frequency", "rank", "docfreq", "group"] + (["tfidf"] if by == "tfidf" else [])
    frame = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=columns)
    frame = frame.astype(
        {"feature": "str", "group": "str", "frequency": "int64", "rank": "int64", "docfreq": "int64"}
    )
    return FrequencyTable(frame, decimals=3)


# -- Keyness --------------------------------------------------------------------------------

#: quanteda's offset inside the logarithms of G2, for zero cells.
_EPSILON = 1e-9


def _yates(a: np.ndarray, b: np.ndarray, c: np.ndarray, d: np.ndarray) -> np.ndarray:
    """quanteda's continuity correction: 0.5 when |ad - bc| >= N/2 and an expected count is below 5, else 0."""
    n = a + b + c + d
    small = (
        ((a + b) * (a + c) / n < 5)
        | ((a + b) * (b + d) / n < 5)
        | ((a + c) * (c + d) / n < 5)
        | ((c + d) * (b + d) / n < 5)
    )
    return np.where((np.abs(a * d - b * c) >= n / 2) & small, 0.5, 0.0)


def _williams(a: np.ndarray, b: np.ndarray, c: np.ndarray, d: np.ndarray) -> np.ndarray:
    n = a + b + c + d
    with np.errstate(divide="ignore", invalid="ignore"):
        q = 1.0 + (n / (a + b) + n / (c + d) - 1.0) * (n / (a + c) + n / (b + d) - 1.0) / (6.0 * n)
    return np.where(a * b * c * d == 0, 1.0, q)


def keyness_statistic(
    a: Any, b: Any, c: Any, d: Any, measure: str = "chi2", correction: str = "default"
) -> np.ndarray:
    """quanteda's signed keyness statistic of 2x2 tables, vectorised.

    ``a``/``b``: the feature's count in the target/reference; ``c``/``d``: the
    other tokens of the target/reference.  Positive when the feature is more
    frequent in the target than expected.

    Examples
    --------
    >>> from policyquant.text import keyness_statistic
    >>> float(keyness_statistic(10, 2, 90, 98, "chi2", "none").round(4))
    5.6738
    """
    a, b, c, d = (np.asarray(v, dtype=np.float64) for v in (a, b, c, d))
    n = a + b + c + d
    expected = (a + b) * (a + c) / n
    sign = np.where(a > expected, 1.0, -1.0)
    delta = _yates(a, b, c, d) if correction in ("default", "yates") else np.zeros_like(a)
    q = _williams(a, b, c, d) if correction == "williams" else np.ones_like(a)
    if measure == "chi2":
        with np.errstate(divide="ignore", invalid="ignore"):
            stat = n * (np.abs(a * d - b * c) - n * delta) ** 2 / ((a + b) * (c + d) * (a + c) * (b + d)) * q
        return sign * stat
    # G2, with quanteda's adjustment of the cells by the continuity correction.
    positive = a * d - b * c > 0
    shift = np.where(positive, -delta, delta)
    aa, bb, cc, dd = a + shift, b - shift, c - shift, d + shift
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = (
            aa * np.log(aa / ((aa + bb) * (aa + cc) / n) + _EPSILON)
            + bb * np.log(bb / ((aa + bb) * (bb + dd) / n) + _EPSILON)
            + cc * np.log(cc / ((aa + cc) * (cc + dd) / n) + _EPSILON)
            + dd * np.log(dd / ((bb + dd) * (cc + dd) / n) + _EPSILON)
        )
    stat = 2 * np.nan_to_num(terms) * sign
    return stat / q if correction == "williams" else stat


def keyness(
    matrix: DocumentFeatureMatrix | Tokens,
    target: object,
    *,
    measure: str = "chi2",
    groups: object = None,
    correction: str = "default",
) -> KeynessTable:
    """Keyness of each feature in a target group against the rest (quanteda's ``textstat_keyness``).

    For every feature, a 2x2 table: its count in the target (``a``) and in the
    reference (``b``), and the other tokens of each (``c``, ``d``).  The
    statistic is signed: positive when the feature is more frequent in the
    target than expected.  ``p`` is the upper tail of the chi-square
    distribution with 1 degree of freedom at the statistic's absolute value.

    As in quanteda (``quanteda.textstats``' ``keyness.cpp``), the default
    correction subtracts 0.5 from ``|ad - bc|`` (Yates) only when ``|ad - bc|
    >= N/2`` *and* some expected count is below 5; otherwise the statistic is
    uncorrected.  ``measure="lr"`` (G2) applies the same correction to the
    cells (quanteda's documentation says Williams' for G2, its code does
    this).  ``correction="williams"`` divides by Williams' q, ``"none"``
    leaves the statistic as it is.

    Parameters
    ----------
    matrix : DocumentFeatureMatrix or Tokens
        Documents or groups; with ``groups``, grouped first.
    target : str, list of str, or sequence of bool
        The target document(s) (group names after grouping); the rest are the reference.
    measure : {"chi2", "lr"}
        Pearson's chi-square or the likelihood ratio G2.
    groups : str or sequence, optional
        As in :func:`dfm`.
    correction : {"default", "yates", "williams", "none"}

    Returns
    -------
    KeynessTable
        ``feature``, ``chi2`` (or ``G2``), ``p``, ``n_target``,
        ``n_reference``, sorted by the statistic (largest first), then the
        feature.  ``.target``/``.reference`` name the groups.

    Raises
    ------
    ValidationError
        For an unknown measure or correction, a target that names no
        document (with the closest names), a target that is every document,
        or a target or reference with no tokens.

    Examples
    --------
    >>> from policyquant.text import keyness, tokenize
    >>> tokens = tokenize(["算法 算法 算法 数据", "数据 数据 安全"], language="zh")
    >>> table = keyness(tokens, "text1")
    >>> table.to_frame()[["feature", "n_target", "n_reference"]].values.tolist()
    [['算法', 3, 0], ['安全', 0, 1], ['数据', 1, 2]]
    """
    measure = _choice("measure", measure, ("chi2", "lr"))
    correction = _choice("correction", correction, ("default", "yates", "williams", "none"))
    base = _as_dfm(matrix, "keyness")
    if groups is not None:
        base = group(base, groups)
    names = pd.Index(base.docnames).astype(str)
    if len(names) < 2:
        raise ValidationError(f"keyness needs at least two documents or groups, got {len(names)}")
    is_target = _target_mask(target, names)
    if is_target.all():
        raise ValidationError("the target cannot be every document: nothing is left to compare it with")
    counts = base.matrix.tocsr()
    t = np.asarray(counts[is_target].sum(axis=0)).ravel().astype(np.float64)
    r = np.asarray(counts[~is_target].sum(axis=0)).ravel().astype(np.float64)
    target_name = names[is_target][0] if is_target.sum() == 1 else "target"
    reference_name = names[~is_target][0] if (~is_target).sum() == 1 else "reference"
    empty = [name for name, total in ((target_name, t.sum()), (reference_name, r.sum())) if total == 0]
    if empty:
        raise ValidationError(
            f"keyness: {' and '.join(map(repr, empty))} ha{'s' if len(empty) == 1 else 've'} no tokens",
            [
                {
                    "value": name,
                    "problem": "no tokens to compare",
                    "expected": "a group with at least one token",
                }
                for name in empty
            ],
        )
    occurring = (t + r) > 0
    a, b = t[occurring], r[occurring]
    stat = keyness_statistic(a, b, t.sum() - a, r.sum() - b, measure, correction)
    from scipy.stats import chi2 as chi2_distribution

    p = chi2_distribution.sf(np.abs(stat), 1)
    frame = pd.DataFrame(
        {
            "feature": pd.array(base.features[occurring], dtype="str"),
            "chi2" if measure == "chi2" else "G2": stat,
            "p": p,
            "n_target": a.astype(np.int64),
            "n_reference": b.astype(np.int64),
        }
    )
    # Largest first, ties by feature in code-point order (R's radix sort).
    order = np.lexsort((frame["feature"].to_numpy(dtype=object), -stat))
    frame = frame.iloc[order].reset_index(drop=True)
    return KeynessTable(frame, str(target_name), str(reference_name))


def _target_mask(target: object, names: pd.Index) -> np.ndarray:
    if isinstance(target, (str, int, np.integer)) and not isinstance(target, bool):
        wanted = [str(target)]
    elif isinstance(target, Iterable) and not isinstance(target, (bytes, dict)):
        values = list(target)
        if values and all(isinstance(v, (bool, np.bool_)) for v in values):
            if len(values) != len(names):
                raise ValidationError(f"target has {len(values)} values for {len(names)} documents")
            return np.asarray(values, dtype=bool)
        wanted = [str(v) for v in values]
    else:
        raise ValidationError(f"target must name a document or group, got {type(target).__name__}")
    unknown = [w for w in wanted if w not in set(names)]
    if unknown or not wanted:
        choices = names.tolist()
        raise ValidationError(
            "target names no document or group"
            if not wanted
            else f"target {unknown[0]!r} is not a document or group",
            [
                {
                    "column": "target",
                    "value": w,
                    "problem": "not a document or group",
                    "expected": ", ".join(choices[:10]) + (" ..." if len(choices) > 10 else ""),
                    "suggestions": ", ".join(closest(w, choices)) or None,
                }
                for w in unknown
            ],
        )
    return names.isin(wanted)


# -- Keyword in context -------------------------------------------------------------------


def _pattern_codes(patterns: list[str], vocabulary: np.ndarray) -> dict[str, np.ndarray]:
    """The vocabulary codes each one-token glob pattern matches (case-insensitive)."""
    words = pd.Series(vocabulary, dtype=object)
    found = {}
    for pattern in patterns:
        regex = re.compile(fnmatch.translate(pattern.lower()), re.DOTALL)
        found[pattern] = np.flatnonzero(
            words.map(lambda w, regex=regex: regex.match(w) is not None).to_numpy(dtype=bool)
        )
    return found


def kwic(
    tokens_or_units: Tokens | object,
    pattern: str | Sequence[str],
    *,
    window: int = 5,
    language: str | None = None,
    user_words: Iterable[str] | None = None,
) -> KwicTable:
    """Keyword in context: every match of ``pattern`` with ``window`` tokens either side (quanteda's ``kwic``).

    Parameters
    ----------
    tokens_or_units : Tokens, or units
        Tokens, searched as they are; or units (anything :func:`tokenize`
        takes), tokenized for the purpose with every word and punctuation
        kept, and with the patterns (those without ``*``/``?``) added to the
        user dictionary so that a Chinese term is found whole.
    pattern : str or list of str
        Glob patterns (``*`` any characters, ``?`` one), case-insensitive,
        each matching one token; a pattern that tokenizes into several tokens
        (``"artificial intelligence"``) matches that sequence.
    window : int, default 5
        Tokens shown before and after; never beyond the unit's own tokens.
    language, user_words
        As in :func:`tokenize`, when units are given.

    Returns
    -------
    KwicTable
        One row per match: the unit's id, ``from`` and ``to`` (token
        positions, from 1), ``pre``, ``keyword``, ``post`` (tokens joined
        with a space; in Chinese without one) and the ``pattern`` matched.
        In unit order, then position.

    Raises
    ------
    ValidationError
        For an empty pattern or a window that is not a whole number of 0 or more.

    Examples
    --------
    >>> from policyquant.text import kwic
    >>> units = {"unit_id": ["a", "b"], "text": ["国家网信部门负责统筹协调深度合成服务的治理。", "深度合成服务提供者应当落实主体责任。"]}
    >>> import pandas as pd
    >>> kwic(pd.DataFrame(units), "深度合成", window=3).to_frame()
      unit_id  from  to     pre keyword     post pattern
    0       a     7   7  负责统筹协调    深度合成  服务的治理     深度合成
    1       b     1   1            深度合成  服务提供者应当落实     深度合成
    """
    patterns = (
        [pattern] if isinstance(pattern, str) else list(pattern) if isinstance(pattern, Iterable) else []
    )
    if not patterns or any(not isinstance(p, str) or not p.strip() for p in patterns):
        raise ValidationError(f"pattern must be a word or a list of words, got {pattern!r}")
    if isinstance(window, bool) or not isinstance(window, (int, np.integer)) or window < 0:
        raise ValidationError(f"window must be a whole number of 0 or more, got {window!r}")
    patterns = [p.strip() for p in patterns]
    if isinstance(tokens_or_units, Tokens):
        tokens = tokens_or_units
    else:
        frame, id_column = _units_frame(tokens_or_units)
        ids, texts = _check_units(frame, id_column)
        code = detect_language(texts) if language is None else _resolve(language)
        literal = tuple(p for p in patterns if not any(ch in p for ch in "*?["))
        words = tuple(dict.fromkeys([*_user_words(user_words), *literal]))
        offsets, codes, vocabulary = _encode(_cut_all(texts, code, words), frozenset(), punctuation=True)
        tokens = Tokens(
            ids,
            offsets,
            codes,
            vocabulary,
            pd.DataFrame(index=range(len(ids))),
            id_column=id_column,
            language=code,
            user_words=words,
        )
    joiner = "" if tokens.language == "zh" else " "
    codes, offsets = tokens.codes, tokens.offsets
    lengths = np.diff(offsets)
    unit_of = np.repeat(np.arange(len(tokens)), lengths)
    starts = offsets[:-1][unit_of] if len(codes) else np.zeros(0, dtype=np.int64)
    ends = offsets[1:][unit_of] if len(codes) else np.zeros(0, dtype=np.int64)
    found = []
    for p in patterns:
        if any(ch in p for ch in "*?["):
            # A glob is matched as written (the segmenter would drop its wildcards), word by word.
            parts = p.lower().split()
        else:
            parts = next(iter(_cut_all([p], tokens.language, tokens.user_words)))
            parts = [w.lower() for w in parts if w.strip()] or [p.lower()]
        matches = np.ones(len(codes), dtype=bool)
        for k, part in enumerate(parts):
            wanted = _pattern_codes([part], tokens.vocabulary)[part]
            shifted = np.zeros(len(codes), dtype=bool)
            hit = np.isin(codes, wanted)
            if k:
                # Token i + k must be in the same unit as token i.
                ok = np.arange(len(codes)) + k < ends
                shifted[ok] = hit[np.flatnonzero(ok) + k]
            else:
                shifted = hit
            matches &= shifted
        for i in np.flatnonzero(matches):
            found.append((int(i), int(i) + len(parts), p))
    words = tokens.vocabulary[codes].tolist()
    rows = []
    for i, stop, p in sorted(found):
        lo, hi = int(starts[i]), int(ends[i])
        rows.append(
            {
                tokens.id_column: tokens.unit_ids[unit_of[i]],
                "from": i - lo + 1,
                "to": stop - lo,
                "pre": joiner.join(words[max(lo, i - window) : i]),
                "keyword": joiner.join(words[i:stop]),
                "post": joiner.join(words[stop : min(hi, stop + window)]),
                "pattern": p,
            }
        )
    columns = [tokens.id_column, "from", "to", "pre", "keyword", "post", "pattern"]
    frame = pd.DataFrame(rows, columns=columns).astype(
        {c: "str" for c in (tokens.id_column, "pre", "keyword", "post", "pattern")}
        | {"from": "int64", "to": "int64"}
    )
    return KwicTable(frame, decimals=0)


# -- Co-occurrence ---------------------------------------------------------------------------


class Cooccurrence(TextTable):
    """A feature co-occurrence matrix (quanteda's ``fcm``) of the top features, and its graph.

    :meth:`to_frame` lists the pairs (``feature1``, ``feature2``,
    ``cooccurrences``), most frequent first; :attr:`matrix` is the symmetric
    matrix as a DataFrame; :attr:`graph` a networkx graph (nodes with their
    ``frequency``, edges with their ``weight``).

    Attributes
    ----------
    matrix : pandas.DataFrame
        Features by features; the diagonal counts pairs of the same feature.
    frequency : pandas.Series
        Each feature's count.
    context : str
        ``"unit"`` or ``"window"``.
    """

    def __init__(self, frame: pd.DataFrame, matrix: pd.DataFrame, frequency: pd.Series, context: str) -> None:
        super().__init__(frame, decimals=0)
        self.matrix = matrix
        self.frequency = frequency
        self.context = context

    @property
    def graph(self) -> Any:
        """The co-occurrence network: a :class:`networkx.Graph` with a node per feature and an edge per pair."""
        networkx = require("networkx", "A co-occurrence network")
        graph = networkx.Graph()
        for feature, count in self.frequency.items():
            graph.add_node(feature, frequency=int(count))
        for a, b, weight in self.frame[["feature1", "feature2", "cooccurrences"]].itertuples(index=False):
            graph.add_edge(a, b, weight=int(weight))
        return graph


def cooccurrence(
    tokens: Tokens,
    *,
    top: int = 50,
    window: int | None = None,
    count: str = "frequency",
) -> Cooccurrence:
    """How often the ``top`` most frequent features occur together (quanteda's ``fcm``).

    Parameters
    ----------
    tokens : Tokens
        From :func:`tokenize` (stop words removed, as a co-word network wants).
    top : int, default 50
        Keep the most frequent features (ties by first appearance).
    window : int, optional
        None: co-occurrence within a unit (quanteda's ``context =
        "document"``); a whole number: within that many tokens either side
        (``context = "window"``), never across units.
    count : {"frequency", "boolean"}
        ``"frequency"``: within a unit, the product of the two counts (the
        diagonal: pairs of one feature, ``n (n - 1) / 2``); within windows,
        every pair of tokens in reach.  ``"boolean"``: the number of units
        (or windows' units) in which both occur.

    Returns
    -------
    Cooccurrence

    Examples
    --------
    >>> from policyquant.text import cooccurrence, tokenize
    >>> tokens = tokenize(["数据 安全 算法", "数据 安全", "算法"], language="zh")
    >>> result = cooccurrence(tokens, top=3)
    >>> result.to_frame()
      feature1 feature2  cooccurrences
    0       数据       安全              2
    1       数据       算法              1
    2       安全       算法              1
    >>> sorted(result.graph.edges(data="weight"))[0]
    ('安全', '算法', 1)
    """
    from scipy import sparse

    if not isinstance(tokens, Tokens):
        raise ValidationError(f"cooccurrence needs Tokens from tokenize(), got {type(tokens).__name__}")
    if isinstance(top, bool) or not isinstance(top, (int, np.integer)) or top < 2:
        raise ValidationError(f"top must be a whole number of 2 or more, got {top!r}")
    if window is not None and (
        isinstance(window, bool) or not isinstance(window, (int, np.integer)) or window < 1
    ):
        raise ValidationError(f"window must be None or a whole number of 1 or more, got {window!r}")
    count = _choice("count", count, ("frequency", "boolean"))
    frequency = np.bincount(tokens.codes, minlength=len(tokens.vocabulary))
    order = np.argsort(-frequency, kind="stable")[: min(top, int((frequency > 0).sum()))]
    keep = np.full(len(tokens.vocabulary), -1, dtype=np.int64)
    keep[order] = np.arange(len(order))
    k = len(order)
    codes = keep[tokens.codes]
    unit_of = np.repeat(np.arange(len(tokens)), tokens.lengths())
    if window is None:
        mask = codes >= 0
        x = sparse.csr_matrix(
            (np.ones(int(mask.sum()), dtype=np.int64), (unit_of[mask], codes[mask])), shape=(len(tokens), k)
        )
        x.sum_duplicates()
        if count == "boolean":
            x.data = np.ones_like(x.data)
        fcm = (x.T @ x).toarray()
        diagonal = np.asarray(x.multiply(x).sum(axis=0)).ravel()
        totals = np.asarray(x.sum(axis=0)).ravel()
        np.fill_diagonal(fcm, (diagonal - totals) // 2 if count == "frequency" else 0)
    else:
        pairs_a, pairs_b, pairs_u = [], [], []
        for shift in range(1, window + 1):
            a, b = codes[:-shift], codes[shift:]
            same = (unit_of[:-shift] == unit_of[shift:]) & (a >= 0) & (b >= 0)
            pairs_a.append(a[same])
            pairs_b.append(b[same])
            pairs_u.append(unit_of[:-shift][same])
        a, b, u = (
            np.concatenate(p) if p else np.zeros(0, dtype=np.int64) for p in (pairs_a, pairs_b, pairs_u)
        )
        if count == "boolean":
            triples = pd.DataFrame({"u": u, "a": np.minimum(a, b), "b": np.maximum(a, b)}).drop_duplicates()
            a, b = triples["a"].to_numpy(), triples["b"].to_numpy()
        half = sparse.coo_matrix((np.ones(len(a), dtype=np.int64), (a, b)), shape=(k, k)).toarray()
        fcm = half + half.T
        np.fill_diagonal(fcm, np.diag(half))
    labels = pd.Index(tokens.vocabulary[order], dtype="str")
    matrix = pd.DataFrame(fcm, index=labels, columns=labels)
    upper_a, upper_b = np.triu_indices(k, 1)
    weights = fcm[upper_a, upper_b]
    present = weights > 0
    pairs = pd.DataFrame(
        {
            "feature1": labels[upper_a[present]],
            "feature2": labels[upper_b[present]],
            "cooccurrences": weights[present].astype(np.int64),
        }
    )
    pairs = pairs.iloc[np.argsort(-pairs["cooccurrences"].to_numpy(), kind="stable")].reset_index(drop=True)
    return Cooccurrence(
        pairs,
        matrix,
        pd.Series(frequency[order], index=labels, name="frequency"),
        "unit" if window is None else "window",
    )

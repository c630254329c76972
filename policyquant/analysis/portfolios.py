"""Policy-portfolio measures: size, coverage, diversity and burden of instrument x target spaces.

A *policy portfolio* is a two-dimensional space of policy instruments and
policy targets in which each cell is covered by policy intervention (1) or not
(0).  :func:`portfolio_measures` computes, for every portfolio at once, the
measures of the R package PolicyPortfolios (Fernández-i-Marín, Knill &
Steinebach; its ``pp_measures()``), including the Average Instrument Diversity
of Fernández-i-Marín, Knill & Steinebach (2021, *American Political Science
Review*); :func:`portfolio_similarity` compares two portfolios.

All portfolios are held in one boolean array, portfolios x instruments x
targets, built from categorical codes; every measure is an array operation
over it.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .._checks import describe_value, how_to_read
from .._deprecation import renamed_arguments
from .._text import closest, format_choices
from ..corpus import MAX_PROBLEMS, Corpus
from ..errors import InputTypeError, ValidationError
from ..results import AnalysisTable, TableResult
from .groups import MISSING, group_codes

__all__ = [
    "MEASURES",
    "SIMILARITIES",
    "PortfolioMeasuresResult",
    "PortfolioSimilarityResult",
    "portfolio_measures",
    "portfolio_similarity",
]

#: The measures of :func:`portfolio_measures` in column order: name -> (R name, label).
MEASURES: dict[str, tuple[str, str]] = {
    "space": ("Space", "Portfolio space"),
    "size": ("Size", "Portfolio size"),
    "n_instruments": ("n.Instruments", "Number of instruments covered"),
    "p_instruments": ("p.Instruments", "Proportion of instruments covered"),
    "n_targets": ("n.Targets", "Number of targets covered"),
    "p_targets": ("p.Targets", "Proportion of targets covered"),
    "unique": ("Unique", "Number of unique instrument configurations"),
    "c_eq": ("C.eq", "Equality of instrument configurations"),
    "div_aid": ("Div.aid", "Diversity (Average Instrument Diversity)"),
    "div_gs": ("Div.gs", "Diversity (Gini-Simpson)"),
    "div_sh": ("Div.sh", "Diversity (Shannon)"),
    "eq_sh": ("Eq.sh", "Equitability (Shannon)"),
    "in_prep": ("In.Prep", "Instrument preponderance"),
    "burden_continuous": ("Burden.continuous", "Burden (continuous learning)"),
    "burden_steep": ("Burden.steep", "Burden (steep learning)"),
    "burden_capped": ("Burden.capped", "Burden (capped learning)"),
    "burden_targets_continuous": (
        "Burden.targets.continuous",
        "Burden (weight by targets, continuous learning)",
    ),
    "burden_targets_steep": ("Burden.targets.steep", "Burden (weight by targets, steep learning)"),
    "burden_targets_capped": ("Burden.targets.capped", "Burden (weight by targets, capped learning)"),
}

_COUNTS = ("space", "n_instruments", "n_targets", "unique")

#: The values of :func:`portfolio_similarity`, in order: name -> label.
SIMILARITIES: dict[str, str] = {
    "jaccard": "Jaccard",
    "dice": "Sørensen-Dice",
    "overlap": "Overlap (Szymkiewicz-Simpson)",
    "rand": "Rand (simple matching)",
    "hamming": "Hamming distance (cells that differ)",
    "p_hamming": "Proportion of cells that differ",
    "both": "Cells covered in both",
    "only_a": "Cells covered in a only",
    "only_b": "Cells covered in b only",
    "neither": "Cells covered in neither",
    "cells": "Cells of the space",
}


class PortfolioMeasuresResult(AnalysisTable):
    """The measures of every portfolio, as :func:`portfolio_measures` computes them.

    :meth:`to_frame` gives one row per portfolio with the columns of
    :data:`MEASURES`; :meth:`save` and the exports write it.  DataFrame access
    on the result itself is deprecated (see
    :class:`~policyquant.results.AnalysisTable`).

    Attributes
    ----------
    corpus : Corpus or None
        The corpus measured, or None for a tidy frame.

    Examples
    --------
    >>> import policyquant as pq
    >>> result = pq.portfolio_measures(pq.datasets.load_genai_china(), by="level")
    >>> result.to_frame().loc["national", ["space", "n_instruments"]].tolist()
    [64, 15]
    >>> result.to_frame(language="zh").index.tolist()
    ['国家级', '省级']
    """

    function = "portfolio_measures()"


class PortfolioSimilarityResult(TableResult, Mapping[str, float | int]):
    """The similarity of two portfolios, as :func:`portfolio_similarity` computes it.

    A read-only mapping of the names of :data:`SIMILARITIES` to their values
    (``result["jaccard"]``, ``dict(result)``), and a table result:
    :meth:`to_frame` has one row per measure (index ``measure``, column
    ``value``), :meth:`save` and the exports write it, and :meth:`summary`
    gives one line.

    Examples
    --------
    >>> from policyquant.analysis.portfolios import portfolio_similarity
    >>> result = portfolio_similarity([[1, 1, 0], [0, 1, 0]], [[1, 0, 0], [0, 1, 1]])
    >>> result["jaccard"], result.to_frame().loc["cells", "value"]
    (0.5, 6)
    >>> print(result.summary())
    Jaccard 0.50, Dice 0.67, overlap 0.67, Rand 0.67; 2 of 6 cells differ (both 2, a only 1, b only 1, neither 2)
    """

    decimals = 3

    def __init__(self, values: Mapping[str, float | int]) -> None:
        self._values = {name: values[name] for name in SIMILARITIES}

    def __getitem__(self, name: str) -> float | int:
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"PortfolioSimilarityResult({self._values!r})"

    def to_frame(self, language: str | None = None) -> pd.DataFrame:
        """One row per measure: index ``measure``, column ``value`` (as ``export`` laid out the dict).

        ``language`` is checked, for the common contract; the measures keep their names.
        """
        if language is not None:
            from .._language import resolve_language

            resolve_language(language)
        return pd.DataFrame(
            {"value": pd.Series(list(self._values.values()), index=list(self._values), dtype=object)}
        ).rename_axis("measure")

    def summary(self) -> str:
        """The similarity in one line."""
        v = self._values
        return (
            f"Jaccard {v['jaccard']:.2f}, Dice {v['dice']:.2f}, overlap {v['overlap']:.2f}, "
            f"Rand {v['rand']:.2f}; {v['hamming']} of {v['cells']} cells differ (both {v['both']}, "
            f"a only {v['only_a']}, b only {v['only_b']}, neither {v['neither']})"
        )

_BINARY = "0 or 1 (or True / False)"

#: The dtype of per-row codes.
_CODE = np.int32


# Input ---------------------------------------------------------------------------


def _as_list(value: str | Sequence[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _check_columns(frame: pd.DataFrame, wanted: dict[str, str], source: str) -> None:
    """Raise naming every wanted column the frame lacks, with the closest headers."""
    headers = [str(c) for c in frame.columns]
    missing = [(column, role) for column, role in wanted.items() if column not in frame.columns]
    if missing:
        raise ValidationError(
            f"{source} lacks {len(missing)} column{'s' if len(missing) != 1 else ''}",
            [
                {
                    "column": column,
                    "problem": "missing column",
                    "expected": f"the {role} column; the columns are " + format_choices(headers),
                    "suggestions": ", ".join(closest(column, headers)) or None,
                }
                for column, role in missing
            ],
        )


def _binary_mask(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """``(covered, bad)``: each value as a boolean, and where it is not 0, 1, True or False."""
    dtype = values.dtype
    if pd.api.types.is_bool_dtype(dtype) and not values.hasnans:
        return values.to_numpy(dtype=bool), np.zeros(len(values), dtype=bool)
    if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
        numbers = values.to_numpy(dtype=np.float64, na_value=np.nan)
        return numbers == 1, ~((numbers == 0) | (numbers == 1))
    # Text, object or nullable boolean columns: classify each distinct value once.
    cells = values.astype(object).to_numpy()
    codes, uniques = pd.factorize(cells, use_na_sentinel=True)
    ok = np.array([_is_binary(u) for u in uniques] + [False], dtype=bool)
    one = np.array([_is_binary(u) and bool(u) for u in uniques] + [False], dtype=bool)
    return one[codes], ~ok[codes]


def _is_binary(value: Any) -> bool:
    if isinstance(value, (bool, np.bool_)):
        return True
    if isinstance(value, (int, float, np.integer, np.floating)):
        return value in (0, 1)
    return False


def _covered(frame: pd.DataFrame, covered: str, source: str) -> np.ndarray:
    one, bad = _binary_mask(frame[covered])
    if bad.any():
        rows = np.flatnonzero(bad)
        values = frame[covered].iloc[rows[:MAX_PROBLEMS]]
        raise ValidationError(
            f"{source}: {len(rows)} value{'s' if len(rows) != 1 else ''} of {covered!r} "
            f"{'are' if len(rows) != 1 else 'is'} not {_BINARY}",
            [
                {
                    "row": row,
                    "column": covered,
                    "value": None if pd.isna(value) else value,
                    "problem": "empty cell" if pd.isna(value) else "not a presence value",
                    "expected": _BINARY,
                }
                for row, value in values.items()
            ],
            stopped=_stopped(len(rows)),
        )
    return one


def _sorted(labels: pd.Index) -> pd.Index:
    """The labels sorted, or as they are when they do not compare (mixed types)."""
    try:
        return labels.sort_values()
    except TypeError:
        return labels


def _codes(values: pd.Series, compact: bool = True) -> tuple[np.ndarray, pd.Index]:
    """Integer codes (int32) and labels: a categorical's categories, otherwise the sorted distinct values.

    With ``compact=False`` a range of integers may keep labels that do not
    occur (cheaper, for columns whose combinations are compacted afterwards).
    Codes are int32: half the memory traffic of int64 over long tables.
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy().astype(_CODE), pd.Index(values.cat.categories)
    if pd.api.types.is_integer_dtype(values.dtype) and not values.hasnans and len(values):
        # Years and other small integer ranges: an offset and a bincount, no hashing or sorting.
        numbers = values.to_numpy(dtype=np.int64)
        low, high = int(numbers.min()), int(numbers.max())
        if high - low < 4 * len(numbers) + 1024:
            offset = numbers.astype(_CODE) if low == 0 else (numbers - low).astype(_CODE)
            if not compact:
                return offset, pd.Index(np.arange(low, high + 1), dtype=values.dtype)
            codes, used = _compact(offset, high - low + 1)
            return codes, pd.Index(used + low, dtype=values.dtype)
    starts = _run_starts(values)
    if starts is not None:
        # Tidy data come sorted by portfolio, instrument or target: code one value per run.
        head_codes, labels = _codes(values.iloc[starts])
        return np.repeat(head_codes, np.diff(np.append(starts, len(values)))), labels
    # Factorize in order of appearance, then sort the (few) distinct values: cheaper than sort=True.
    codes, uniques = pd.factorize(values, sort=False)
    labels = pd.Index(uniques)
    try:
        order = labels.argsort()
    except TypeError:  # values that do not compare (mixed types): pandas' safe sort
        codes, uniques = pd.factorize(values, sort=True)
        return codes.astype(_CODE), pd.Index(uniques)
    rank = np.empty(len(order), dtype=_CODE)
    rank[order] = np.arange(len(order))
    return rank[codes], labels[order]


def _run_starts(values: pd.Series) -> np.ndarray | None:
    """Where runs of equal values start, when there are few runs and comparing is cheap; else None."""
    dtype = values.dtype
    cheap = (isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow") or (
        isinstance(dtype, np.dtype) and dtype.kind in "iufbmM"
    )
    if not cheap or len(values) < 4096:
        return None
    array = values.array
    differs = array[1:] != array[:-1]
    if not (isinstance(differs, np.ndarray) and differs.dtype == bool):
        differs = pd.array(differs).to_numpy(dtype=bool, na_value=True)
    starts = np.flatnonzero(differs) + 1
    if len(starts) > len(values) // 8:
        return None
    return np.concatenate([[0], starts])


def _compact(codes: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Renumber codes in ``range(size)`` to the (int32) ranks of the ones that occur, keeping their order."""
    if size > 4 * len(codes) + 1024:
        used, inverse = np.unique(codes, return_inverse=True)
        return inverse.astype(_CODE).ravel(), used
    occurs = np.bincount(codes, minlength=size) > 0
    renumber = np.cumsum(occurs, dtype=_CODE) - 1
    return renumber[codes], np.flatnonzero(occurs)


def _stopped(total: int) -> str | None:
    """Where a list of problems stops when a check found more than the memory guard lets it list."""
    return None if total <= MAX_PROBLEMS else f"listed the first {MAX_PROBLEMS:,} of {total:,}"


def _check_blank(frame: pd.DataFrame, columns: Sequence[str], source: str) -> None:
    problems = []
    total = 0
    for column in columns:
        blank = frame[column].isna().to_numpy()
        total += int(blank.sum())
        for row in frame.index[blank][: MAX_PROBLEMS - len(problems)]:
            problems.append(
                {"row": row, "column": column, "problem": "empty required cell", "expected": f"a {column}"}
            )
    if problems:
        raise ValidationError(
            f"{source}: empty cells in columns that identify a cell",
            problems,
            stopped=_stopped(total),
        )


def _combined(frame: pd.DataFrame, columns: Sequence[str]) -> tuple[np.ndarray, pd.Index, np.ndarray]:
    """The observed combinations of ``columns``: one code per row, their labels (sorted), and their codes.

    The last item holds, for each combination, the code of each column in it
    (combinations x columns), from which groups of portfolios are formed
    without another pass over the rows.
    """
    if not columns:
        return np.zeros(len(frame), dtype=_CODE), pd.RangeIndex(1), np.zeros((1, 0), dtype=np.intp)
    parts = [_codes(frame[column], compact=False) for column in columns]
    shape = tuple(len(labels) for _, labels in parts)
    if math.prod(shape) < 2**62:
        flat = np.ravel_multi_index(tuple(codes for codes, _ in parts), shape)
        inverse, observed = _compact(flat, math.prod(shape))
        combinations = np.column_stack(np.unravel_index(observed, shape))
    else:  # too many combinations for one integer: number the observed ones by sorting the rows
        combinations, inverse = np.unique(
            np.column_stack([codes for codes, _ in parts]), axis=0, return_inverse=True
        )
        inverse = inverse.ravel().astype(_CODE)
    if len(columns) == 1:
        index = parts[0][1][combinations[:, 0]].rename(columns[0])
    else:  # the codes are already there: no need for from_arrays to factorize the labels again
        index = pd.MultiIndex(
            levels=[labels for _, labels in parts],
            codes=[combinations[:, k] for k in range(len(parts))],
            names=list(columns),
            verify_integrity=False,
        ).remove_unused_levels()
    return inverse, index, combinations


def _label(index: pd.Index, position: int) -> str:
    value = index[position]
    return repr(value) if not isinstance(value, tuple) else "(" + ", ".join(map(str, value)) + ")"


def _tidy_presence(
    frame: pd.DataFrame,
    instrument: str,
    target: str,
    covered: str,
    by: str | Sequence[str] | None,
    space_by: str | Sequence[str] | None,
    fill_missing: bool,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, pd.Index, pd.Index, pd.Index]:
    source = "the portfolio data"
    own = [instrument, target, covered]
    if len(set(own)) < 3:
        raise ValidationError(f"instrument, target and covered must be three columns, got {own}")
    fields = [c for c in frame.columns if c not in own] if by is None else _as_list(by)
    spaces = _as_list(space_by)
    wanted = {instrument: "instrument", target: "target", covered: "covered (0/1)"}
    wanted |= {c: "portfolio (by)" for c in fields if c not in wanted}
    wanted |= {c: "space (space_by)" for c in spaces if c not in wanted}
    _check_columns(frame, wanted, source)
    clashes = [c for c in fields if c in own]
    if clashes:
        raise ValidationError(f"by cannot name the instrument, target or covered column: {clashes}")
    outside = [c for c in spaces if c not in fields]
    if outside:
        raise ValidationError(
            f"space_by must be among the by columns {fields}: each portfolio lies in one space",
            [
                {
                    "column": c,
                    "problem": "space_by column not in by",
                    "expected": "one of " + format_choices(fields),
                }
                for c in outside
            ],
        )
    if len(frame) == 0:
        raise ValidationError(f"{source} has no rows")
    _check_blank(frame, [instrument, target, *fields], source)
    one = _covered(frame, covered, source)

    i_codes, instruments = _codes(frame[instrument])
    t_codes, targets = _codes(frame[target])
    p_codes, index, combinations = _combined(frame, fields)
    n_p, n_i, n_t = len(index), len(instruments), len(targets)

    # Which cells have a row, and which a covered row: conflicts, gaps and presence from two
    # boolean arrays (cheaper than counting rows per cell).
    cell = p_codes.astype(np.int64 if n_p * n_i * n_t >= 2**31 else _CODE)
    cell *= n_i
    cell += i_codes
    cell *= n_t
    cell += t_codes
    has_row = np.zeros(n_p * n_i * n_t, dtype=bool)
    has_row[cell] = True
    has_one = np.zeros(n_p * n_i * n_t, dtype=bool)
    has_one[cell[one]] = True

    # Each portfolio's space: every instrument and target, or those with rows in its space_by group.
    if spaces:
        positions = [fields.index(c) for c in spaces]
        _, group_of = np.unique(combinations[:, positions], axis=0, return_inverse=True)
        group_of = group_of.ravel()
        rows_of = has_row.reshape(n_p, n_i, n_t)
        # groups x portfolios membership, times portfolios x instruments (targets) with rows.
        member = (group_of[None, :] == np.arange(int(group_of.max()) + 1)[:, None]).astype(np.float32)
        in_group_i = member @ rows_of.any(axis=2).astype(np.float32) > 0
        in_group_t = member @ rows_of.any(axis=1).astype(np.float32) > 0
        in_space_i, in_space_t = in_group_i[group_of], in_group_t[group_of]
    else:
        in_space_i = np.ones((n_p, n_i), dtype=bool)
        in_space_t = np.ones((n_p, n_t), dtype=bool)
    conflict_rows = ~one & has_one[cell]
    if conflict_rows.any():
        conflicting = np.unique(cell[conflict_rows])
        bad = np.flatnonzero(np.isin(cell, conflicting))
        raise ValidationError(
            f"{source}: {len(conflicting)} portfolio cell{'s are' if len(conflicting) != 1 else ' is'} "
            "given both as covered and as not covered",
            [
                {
                    "row": frame.index[r],
                    "column": covered,
                    "value": frame[covered].iloc[r],
                    "problem": f"conflicting duplicate of portfolio {_label(index, p_codes[r])}, "
                    f"instrument {instruments[i_codes[r]]!r}, target {targets[t_codes[r]]!r}",
                    "expected": "one value (or equal values) per portfolio, instrument and target",
                }
                for r in bad[:MAX_PROBLEMS]
            ],
            stopped=_stopped(len(bad)),
        )
    if not fill_missing:
        # Every row lies in its portfolio's space, so the gaps are the space's cells minus the cells with rows.
        expected = in_space_i.sum(axis=1) * in_space_t.sum(axis=1)
        per_portfolio = expected - has_row.reshape(n_p, -1).sum(axis=1)
        incomplete = np.flatnonzero(per_portfolio)
        if len(incomplete):
            absent = ~has_row.reshape(n_p, n_i, n_t) & in_space_i[:, :, None] & in_space_t[:, None, :]
            first = absent.reshape(n_p, -1).argmax(axis=1)
            hint = "; pass fill_missing=True to count cells without a row as not covered (as R's pp_complete() does)"
            if not spaces:
                hint += ", or space_by=... when groups of portfolios have their own instruments and targets"
            n_absent = int(per_portfolio.sum())
            raise ValidationError(
                f"{source}: {len(incomplete)} of {n_p} portfolio{'s' if n_p != 1 else ''} "
                f"{'lack' if len(incomplete) != 1 else 'lacks'} rows for {n_absent} "
                f"cell{'s' if n_absent != 1 else ''} of {'their' if len(incomplete) != 1 else 'its'} space{hint}",
                [
                    {
                        "value": index[p],
                        "problem": f"no row for {int(per_portfolio[p])} of the portfolio's "
                        f"{int(in_space_i[p].sum() * in_space_t[p].sum())} cells, e.g. instrument "
                        f"{instruments[first[p] // n_t]!r} x target {targets[first[p] % n_t]!r}",
                        "expected": "one row per instrument and target of the space",
                    }
                    for p in incomplete[:MAX_PROBLEMS]
                ],
                stopped=_stopped(len(incomplete)),
            )
    presence = has_one.reshape(n_p, n_i, n_t)
    return presence, in_space_i, in_space_t, index, instruments, targets


def _corpus_presence(
    corpus: Corpus, by: str | Sequence[str] | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, pd.Index, pd.Index, pd.Index]:
    fields, coding_codes, categories, i_codes, o_codes = _corpus_codes(corpus, by)
    presence, in_space_i, in_space_t, index = _presence_from_codes(
        corpus, fields, coding_codes, categories, i_codes, o_codes
    )
    instruments = pd.Index(corpus.framework.instrument_keys, name="instrument")
    objectives = pd.Index(corpus.framework.objective_keys, name="objective")
    return presence, in_space_i, in_space_t, index, instruments, objectives


def _corpus_codes(
    corpus: Corpus, by: str | Sequence[str] | None
) -> tuple[list[str], list[np.ndarray], list[pd.Index], np.ndarray, np.ndarray]:
    """The portfolio fields, their codes and categories for every coding, and the codings' instrument and objective codes."""
    framework = corpus.framework
    if not framework.instruments or not framework.objectives:
        raise ValidationError(
            f"framework {framework.name!r} needs both instruments and objectives to form portfolios"
        )
    fields = _as_list(by) or ["doc_id"]
    if len(set(fields)) != len(fields):
        raise ValidationError(f"by names a field twice: {fields}")
    documents = corpus.documents
    coding_codes, categories = [], []
    for field in fields:
        codes, labels = corpus.memoized(
            ("group_codes", field, "codings"), lambda f=field: group_codes(corpus, f, "codings")
        )
        codes = np.asarray(codes, dtype=np.intp)
        if field in documents.columns and field != "issuers":
            # The same field for every document, so that documents without coded clauses
            # (and their values) form portfolios too, empty ones.
            values = documents[field].astype(object).where(documents[field].notna(), MISSING)
            extra = pd.Index(pd.unique(values.to_numpy())).difference(labels)
            if len(extra):
                missing_last = [MISSING] if MISSING in labels or MISSING in extra else []
                known = labels.difference(pd.Index([MISSING]), sort=False).append(
                    extra.difference(pd.Index([MISSING]))
                )
                known = _sorted(known)
                merged = known.append(pd.Index(missing_last)) if missing_last else known
                codes = merged.get_indexer(labels)[codes]
                labels = merged
        coding_codes.append(codes)
        categories.append(labels)
    i_codes = corpus.memoized(
        ("group_codes", "instrument", "codings"), lambda: group_codes(corpus, "instrument", "codings")
    )[0]
    o_codes = corpus.memoized(
        ("group_codes", "objective", "codings"), lambda: group_codes(corpus, "objective", "codings")
    )[0]
    return fields, coding_codes, categories, i_codes, o_codes


def _presence_from_codes(
    corpus: Corpus,
    fields: list[str],
    coding_codes: list[np.ndarray],
    categories: list[pd.Index],
    i_codes: np.ndarray,
    o_codes: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, pd.Index]:
    """The portfolios' presence array from the codes of the codings (all, or only the distinct ones).

    ``corpus`` gives the documents: its clauses are not used.
    """
    documents = corpus.documents
    document_codes = []
    for field, labels in zip(fields, categories, strict=True):
        if field in documents.columns and field != "issuers":
            values = documents[field].astype(object).where(documents[field].notna(), MISSING)
            document_codes.append(labels.get_indexer(values))
    shape = tuple(len(c) for c in categories)
    flat = np.ravel_multi_index(tuple(coding_codes), shape)
    # The portfolios: the combinations of the by values found among the documents (or, for
    # clause fields such as AS, among the coded clauses).
    if len(document_codes) == len(fields):
        observed = np.unique(np.ravel_multi_index(tuple(document_codes), shape))
    else:
        observed = np.unique(flat)
    group = np.searchsorted(observed, flat)
    positions = np.unravel_index(observed, shape)
    if len(fields) == 1:
        index = categories[0][positions[0]].rename(fields[0])
    else:
        index = pd.MultiIndex.from_arrays(
            [labels[p] for labels, p in zip(categories, positions, strict=True)], names=fields
        )
    framework = corpus.framework
    instruments = pd.Index(framework.instrument_keys, name="instrument")
    objectives = pd.Index(framework.objective_keys, name="objective")
    # A validated corpus has an instrument and objectives for every clause; "(missing)" cannot occur.
    valid = (i_codes < len(instruments)) & (o_codes < len(objectives))
    n_p = len(index)
    presence = np.zeros((n_p, len(instruments), len(objectives)), dtype=bool)
    presence[group[valid], i_codes[valid], o_codes[valid]] = True
    in_space_i = np.ones((n_p, len(instruments)), dtype=bool)
    in_space_t = np.ones((n_p, len(objectives)), dtype=bool)
    return presence, in_space_i, in_space_t, index


# Measures ------------------------------------------------------------------------


def _configurations(presence: np.ndarray, in_space_i: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``unique`` and ``c_eq``: distinct target patterns of the instruments (rows) of each portfolio."""
    n_p = presence.shape[0]
    portfolio, instrument = np.nonzero(in_space_i)
    # One byte string per instrument row: its portfolio (big-endian, so that keys sort by
    # portfolio) followed by its targets as bits; equal keys are equal configurations.
    packed = np.packbits(presence[portfolio, instrument], axis=1)
    keyed = np.ascontiguousarray(
        np.concatenate([portfolio.astype(">u4").view(np.uint8).reshape(-1, 4), packed], axis=1)
    )
    keys = keyed.view(np.dtype((np.void, keyed.shape[1]))).ravel()
    _, first, counts = np.unique(keys, return_index=True, return_counts=True)
    owner = portfolio[first]
    unique = np.bincount(owner, weights=counts == 1, minlength=n_p).astype(np.int64)
    # ineq::Gini over each portfolio's configuration counts: sort within portfolio, rank, sum.
    order = np.lexsort((counts, owner))
    sorted_counts = counts[order].astype(np.float64)
    n_configs = np.bincount(owner, minlength=n_p)
    start = np.concatenate([[0], np.cumsum(n_configs)[:-1]])
    rank = np.arange(len(order)) - start[owner] + 1
    weighted = np.bincount(owner, weights=sorted_counts * rank, minlength=n_p)
    total = np.bincount(owner, weights=sorted_counts, minlength=n_p)
    with np.errstate(invalid="ignore", divide="ignore"):
        gini = (2 * weighted / total - (n_configs + 1)) / n_configs
    return unique, 1 - gini


def _burden(counts: np.ndarray, n_other: np.ndarray, n_own: np.ndarray) -> dict[str, np.ndarray]:
    """The three learning assumptions, from the number of cells covered per row (instrument or target)."""
    k = counts.astype(np.float64)
    harmonic = np.concatenate([[0.0], np.cumsum(1.0 / np.arange(1, max(int(counts.max(initial=0)), 1) + 1))])
    with np.errstate(invalid="ignore", divide="ignore"):
        parts = {
            "continuous": (k - k * (k - 1) / (2 * n_other[:, None])).sum(axis=1),
            "steep": harmonic[counts].sum(axis=1),
            "capped": np.where(counts > 0, (k + 1) / 2, 0.0).sum(axis=1),
        }
    # R's burden() returns NA when the weighting dimension has a single level.
    single = n_own < 2
    return {name: np.where(single, np.nan, value / (n_own * n_other)) for name, value in parts.items()}


def _measures(presence: np.ndarray, in_space_i: np.ndarray, in_space_t: np.ndarray) -> dict[str, np.ndarray]:
    # float32 is exact for these counts (below 2**24) and halves the memory traffic.
    exact = np.float32 if presence.shape[1] * presence.shape[2] < 2**24 else np.float64
    cells = presence.astype(exact)
    per_instrument = presence.sum(axis=2)  # targets covered by each instrument
    per_target = presence.sum(axis=1)  # instruments covering each target
    total = per_instrument.sum(axis=1)
    n_i = in_space_i.sum(axis=1)
    n_t = in_space_t.sum(axis=1)
    space = n_i * n_t
    n_instruments = (per_instrument > 0).sum(axis=1)
    n_targets = (per_target > 0).sum(axis=1)
    unique, c_eq = _configurations(presence, in_space_i)

    # Average Instrument Diversity: for every covered cell (i, t), the share of covered cells
    # outside target t that use another instrument; summed per target t in closed form.
    with np.errstate(invalid="ignore", divide="ignore"):
        outside = total[:, None] - per_target
        same = np.matmul(per_instrument[:, None, :].astype(exact), cells)[:, 0, :] - per_target
        terms = np.where(per_target > 0, (per_target * outside - same) / outside, 0.0)
        div_aid = np.where(n_targets >= 2, terms.sum(axis=1) / total, 0.0)

        share = per_instrument / total[:, None]
        div_gs = np.where(total > 0, 1 - (share * share).sum(axis=1), 1.0)
        logs = np.log2(np.where(per_instrument > 0, share, 1.0))
        div_sh = np.where(total > 0, -(share * logs).sum(axis=1), 0.0) + 0.0
        eq_sh = div_sh / np.log2(n_i)
        size = total / space
        in_prep = total / n_targets
    measures: dict[str, np.ndarray] = {
        "space": space,
        "size": size,
        "n_instruments": n_instruments,
        "p_instruments": n_instruments / n_i,
        "n_targets": n_targets,
        "p_targets": n_targets / n_t,
        "unique": unique,
        "c_eq": c_eq,
        "div_aid": div_aid,
        "div_gs": div_gs,
        "div_sh": div_sh,
        "eq_sh": eq_sh,
        "in_prep": in_prep,
    }
    by_instrument = _burden(per_instrument, n_t, n_i)
    by_target = _burden(per_target, n_i, n_t)
    for learning in ("continuous", "steep", "capped"):
        measures[f"burden_{learning}"] = by_instrument[learning]
    for learning in ("continuous", "steep", "capped"):
        measures[f"burden_targets_{learning}"] = by_target[learning]
    return measures


@renamed_arguments(data="corpus")
def portfolio_measures(
    corpus: pd.DataFrame | Corpus,
    instrument: str = "Instrument",
    target: str = "Target",
    covered: str = "covered",
    by: str | Sequence[str] | None = None,
    *,
    space_by: str | Sequence[str] | None = None,
    fill_missing: bool = False,
) -> PortfolioMeasuresResult:
    """Measures of policy portfolios, as the R package PolicyPortfolios' ``pp_measures()``.

    Parameters
    ----------
    corpus : pandas.DataFrame or Corpus
        Either a tidy frame with one row per portfolio, instrument and target
        and a 0/1 ``covered`` column (the format of PolicyPortfolios and of
        its CONSENSUS data), or a :class:`~policyquant.Corpus`, whose
        portfolios are instrument x objective spaces: a cell is covered when at
        least one coded clause of the portfolio's documents uses the
        instrument for the objective.  Named ``corpus`` as the first
        parameter of every analysis; ``data=`` is its deprecated alias.
    instrument, target, covered : str
        Column names in a tidy frame (ignored for a corpus).  ``covered``
        holds 0/1 or True/False.  The space of the portfolios is every
        instrument x every target found in the frame (for a categorical
        column, all its categories, even those no row uses).  R's
        ``pp_measures()`` differs there: it drops unused factor levels.
        R's ``pp_complete()`` adds not-covered rows for every level, so
        ``fill_missing=True`` gives what ``pp_complete()`` followed by
        ``pp_measures()`` gives in R.  For a corpus the space is every
        instrument x every objective of its framework.
    by : str or list of str, optional
        What identifies a portfolio.  For a tidy frame, columns (e.g.
        ``["Sector", "Country", "Year"]``); by default every column other than
        ``instrument``, ``target`` and ``covered``.  For a corpus, document
        fields accepted by :func:`~policyquant.analysis.groups.group_codes`
        (``"doc_id"``, the default, ``"region"``, ``"level"``, ``"year"`` ...).
    space_by : str or list of str, optional
        Tidy frame only: columns among ``by`` whose groups have their own
        space, the instruments and targets found in the group's rows; e.g.
        ``"Sector"`` for CONSENSUS, where environmental and social portfolios
        have different instruments and targets (R runs ``pp_measures()`` on
        each sector).  By default all portfolios share one space.
    fill_missing : bool, default False
        Tidy frame only: what to do with cells of a portfolio's space that have
        no row.  ``False`` raises :class:`~policyquant.errors.ValidationError`;
        ``True`` counts them as not covered, as R's ``pp_complete()`` does.

    Returns
    -------
    PortfolioMeasuresResult
        Its :meth:`~PortfolioMeasuresResult.to_frame` has one row per
        portfolio, indexed by the ``by`` values: for a tidy
        frame, the combinations present in it; for a corpus, the combinations
        found among its documents (a document, or a group of documents, without
        coded clauses is an empty portfolio), or among its coded clauses for
        clause fields such as ``"AS"``.  Labels are sorted (categoricals in
        category order).  The columns are those of :data:`MEASURES`, in order:
        ``space``, ``size``, ``n_instruments``, ``p_instruments``,
        ``n_targets``, ``p_targets``, ``unique``, ``c_eq``, ``div_aid``,
        ``div_gs``, ``div_sh``, ``eq_sh``, ``in_prep`` and the burden
        measures ``burden_continuous``, ``burden_steep``, ``burden_capped``
        (weighted by instrument; R's ``Burden.continuous`` ...) and
        ``burden_targets_continuous``, ``burden_targets_steep``,
        ``burden_targets_capped`` (weighted by target; R's
        ``Burden.targets.continuous`` ...).  ``space``, ``n_instruments``,
        ``n_targets`` and ``unique`` are integers, the rest floats.  Before
        0.1 this function returned that DataFrame itself; DataFrame access on
        the result still works, with a :class:`DeprecationWarning`.

    Raises
    ------
    ValidationError
        If columns are missing (naming them and the closest headers), a
        ``covered`` value is not 0/1 (naming row, column and value), a cell is
        given as both covered and not covered, cells of a space have no row
        (unless ``fill_missing``), or the corpus' framework has no
        instruments or no objectives.

    See Also
    --------
    portfolio_similarity : Compare two portfolios.

    Notes
    -----
    The definitions are those of PolicyPortfolios (``pp_measures()``,
    ``diversity_aid()``, ``burden()``, ``configurations()``), applied to
    each portfolio's instrument x target matrix :math:`M` (:math:`M_{it} = 1`
    when instrument :math:`i` covers target :math:`t`), with :math:`I` and
    :math:`T` the numbers of instruments and targets of the space,
    :math:`r_i = \\sum_t M_{it}`, :math:`s_t = \\sum_i M_{it}` and
    :math:`S = \\sum_{it} M_{it}`:

    - ``space`` :math:`= I T`; ``size`` :math:`= S / (I T)`.
    - ``n_instruments`` :math:`= \\#\\{i : r_i > 0\\}`, ``p_instruments``
      :math:`= n_{instruments} / I`; ``n_targets`` and ``p_targets`` likewise
      over targets.
    - ``unique``: the number of configurations (distinct rows of :math:`M`,
      i.e. target patterns, the empty one included, as ``mgcv::uniquecombs``)
      used by exactly one instrument; ``c_eq`` :math:`= 1 - G(c)`, with
      :math:`c` the number of instruments per configuration and :math:`G` the
      Gini coefficient of ``ineq::Gini``,
      :math:`G = \\frac{2 \\sum_j j c_{(j)}}{n \\sum_j c_j} - \\frac{n + 1}{n}`.
    - ``div_aid``, Average Instrument Diversity (Fernández-i-Marín, Knill &
      Steinebach 2021): the mean, over the covered cells :math:`(i, t)`, of
      the share of covered cells outside target :math:`t` that use another
      instrument, :math:`\\frac{(S - s_t) - (r_i - 1)}{S - s_t}`; 0 when
      fewer than two targets are covered.
    - ``div_gs`` :math:`= 1 - \\sum_i p_i^2` and ``div_sh``
      :math:`= -\\sum_i p_i \\log_2 p_i`, with :math:`p_i = r_i / S`
      (``vegan::diversity``); ``eq_sh`` :math:`= div_{sh} / \\log_2 I`.
    - ``in_prep`` :math:`= S / n_{targets}`, instruments per covered target.
    - ``burden_*`` :math:`= \\frac{1}{I T} \\sum_i b(r_i)`, portfolio size
      when policy learning lightens every further target of an instrument:
      continuous :math:`b(k) = k - \\frac{k (k - 1)}{2 T}`, steep
      :math:`b(k) = \\sum_{j=1}^{k} 1/j`, capped :math:`b(k) = (k + 1) / 2`
      (and :math:`b(0) = 0`).  ``burden_targets_*`` swap the roles of
      instruments and targets (:math:`s_t` and :math:`I`).

    As in R, a portfolio with nothing covered has ``size``, ``div_aid`` and
    ``div_sh`` 0, ``div_gs`` 1 (vegan's value for an all-zero vector),
    ``c_eq`` 1 and ``in_prep`` NaN (0 / 0).  ``eq_sh`` is NaN for a single
    instrument (:math:`\\log_2 1 = 0`), and the burden measures are NaN when
    the dimension they weight by has a single level, as R's ``burden()``
    returns.  (R's ``pp_measures()`` itself stops on such a space, whose
    matrix R drops to a vector.)

    Reference implementation: PolicyPortfolios, https://github.com/xfim/PolicyPortfolios;
    Fernández-i-Marín, X., Knill, C. & Steinebach, Y. (2021). Studying Policy
    Design Quality in Comparative Perspective. *American Political Science
    Review*, 115(3), 931-947.

    Examples
    --------
    >>> import pandas as pd
    >>> from policyquant.analysis.portfolios import portfolio_measures
    >>> data = pd.DataFrame({
    ...     "Country": ["A"] * 4 + ["B"] * 4,
    ...     "Instrument": ["tax", "tax", "ban", "ban"] * 2,
    ...     "Target": ["air", "water"] * 4,
    ...     "covered": [1, 1, 1, 0, 1, 0, 0, 1],
    ... })
    >>> m = portfolio_measures(data, by="Country").to_frame()
    >>> m[["space", "size", "n_targets", "div_aid", "div_gs", "in_prep"]]
             space  size  n_targets  div_aid    div_gs  in_prep
    Country
    A            4  0.75          2      0.5  0.444444      1.5
    B            4  0.50          2      1.0  0.500000      1.0
    >>> m.loc["B", ["burden_continuous", "burden_steep", "burden_capped"]].tolist()
    [0.5, 0.5, 0.5]
    """
    from .partial import PartitionedCorpus, PortfolioMeasuresKernel

    if isinstance(corpus, PartitionedCorpus):
        if space_by is not None:
            raise ValidationError("space_by applies to tidy frames only: a corpus has one space")
        return corpus.aggregate(PortfolioMeasuresKernel(by))
    if isinstance(corpus, Corpus):
        if space_by is not None:
            raise ValidationError("space_by applies to tidy frames only: a corpus has one space")
        presence, in_space_i, in_space_t, index, _, _ = _corpus_presence(corpus, by)
    elif isinstance(corpus, pd.DataFrame):
        presence, in_space_i, in_space_t, index, _, _ = _tidy_presence(
            corpus, instrument, target, covered, by, space_by, fill_missing
        )
    else:
        raise InputTypeError(
            "portfolio_measures expects a Corpus (from pq.read_coding or pq.Corpus) or a tidy "
            f"pandas DataFrame (columns {instrument!r}, {target!r}, {covered!r}); "
            f"got {describe_value(corpus)}{how_to_read(corpus)}"
        )
    frame = _measures_frame(presence, in_space_i, in_space_t, index)
    return PortfolioMeasuresResult(frame, corpus if isinstance(corpus, Corpus) else None)


def _measures_frame(
    presence: np.ndarray, in_space_i: np.ndarray, in_space_t: np.ndarray, index: pd.Index
) -> pd.DataFrame:
    """One row per portfolio, the columns of :data:`MEASURES`."""
    measures = _measures(presence, in_space_i, in_space_t)
    return pd.DataFrame(
        {
            name: np.asarray(measures[name], dtype=np.int64 if name in _COUNTS else np.float64)
            for name in MEASURES
        },
        index=index,
    )


# Similarity ----------------------------------------------------------------------


def _matrix_from_tidy(
    frame: pd.DataFrame,
    instrument: str,
    target: str,
    covered: str,
    name: str,
    instruments: pd.Index,
    targets: pd.Index,
    fill_missing: bool,
) -> np.ndarray:
    source = f"portfolio {name}"
    _check_blank(frame, [instrument, target], source)
    one = _covered(frame, covered, source)
    i = instruments.get_indexer(frame[instrument])
    t = targets.get_indexer(frame[target])
    cell = i * len(targets) + t
    rows = np.bincount(cell, minlength=len(instruments) * len(targets))
    ones = np.bincount(cell[one], minlength=len(instruments) * len(targets))
    conflict = (ones > 0) & (ones < rows)
    if conflict.any():
        bad = np.flatnonzero(conflict[cell])
        raise ValidationError(
            f"{source} gives {int(conflict.sum())} cell{'s' if conflict.sum() != 1 else ''} both as "
            "covered and as not covered (does the selection hold several portfolios?)",
            [
                {
                    "row": frame.index[r],
                    "column": covered,
                    "value": frame[covered].iloc[r],
                    "problem": f"conflicting duplicate of instrument {instruments[i[r]]!r}, "
                    f"target {targets[t[r]]!r}",
                    "expected": "one value per instrument and target",
                }
                for r in bad[:MAX_PROBLEMS]
            ],
            stopped=_stopped(len(bad)),
        )
    if not fill_missing and (rows == 0).any():
        absent = np.flatnonzero(rows == 0)
        raise ValidationError(
            f"{source} has no row for {len(absent)} of {len(rows)} cells of the space both portfolios "
            "span; pass fill_missing=True to count them as not covered",
            [
                {
                    "value": f"{instruments[c // len(targets)]} x {targets[c % len(targets)]}",
                    "problem": "no row for this instrument and target",
                    "expected": "one row per instrument and target",
                }
                for c in absent[:MAX_PROBLEMS]
            ],
            stopped=_stopped(len(absent)),
        )
    return (ones > 0).reshape(len(instruments), len(targets))


def _matrix(value: Any, name: str) -> tuple[np.ndarray, pd.Index | None, pd.Index | None]:
    """A 2-D presence array, with its row and column labels when it was a DataFrame."""
    rows = columns = None
    if isinstance(value, pd.DataFrame):
        rows, columns = value.index, value.columns
        array = value.to_numpy()
        flat = pd.Series(array.ravel(), dtype=object if array.dtype == object else array.dtype)
        one, bad = _binary_mask(flat)
        if bad.any():
            positions = np.flatnonzero(bad)[:MAX_PROBLEMS]
            raise ValidationError(
                f"portfolio {name}: {int(bad.sum())} cells are not {_BINARY}",
                [
                    {
                        "row": rows[p // array.shape[1]],
                        "column": columns[p % array.shape[1]],
                        "value": array.flat[p],
                        "problem": "not a presence value",
                        "expected": _BINARY,
                    }
                    for p in positions
                ],
                stopped=_stopped(int(bad.sum())),
            )
        return one.reshape(array.shape), rows, columns
    array = np.asarray(value)
    if array.ndim != 2:
        raise ValidationError(
            f"portfolio {name} must be 2-D (instruments x targets), got {array.ndim} dimension(s)"
        )
    flat = pd.Series(array.ravel(), dtype=object if array.dtype.kind in "OUS" else array.dtype)
    one, bad = _binary_mask(flat)
    if bad.any():
        positions = np.flatnonzero(bad)[:MAX_PROBLEMS]
        raise ValidationError(
            f"portfolio {name}: {int(bad.sum())} cells are not {_BINARY}",
            [
                {
                    "row": int(p // array.shape[1]),
                    "column": int(p % array.shape[1]),
                    "value": array.flat[p],
                    "problem": "not a presence value",
                    "expected": _BINARY,
                }
                for p in positions
            ],
            stopped=_stopped(int(bad.sum())),
        )
    return one.reshape(array.shape), rows, columns


def _is_tidy(value: Any, instrument: str, target: str, covered: str) -> bool:
    return isinstance(value, pd.DataFrame) and {instrument, target, covered} <= set(value.columns)


def portfolio_similarity(
    a: Any,
    b: Any,
    *,
    instrument: str = "Instrument",
    target: str = "Target",
    covered: str = "covered",
    fill_missing: bool = False,
) -> PortfolioSimilarityResult:
    """Similarity of two portfolios of the same instrument x target space.

    Parameters
    ----------
    a, b : array-like, pandas.DataFrame
        The two portfolios, both in the same form: 2-D presence arrays of the
        same shape (instruments x targets, 0/1 or bool); presence tables
        (instruments as index, targets as columns) with the same labels, in
        any order; or two selections of a tidy frame, each holding one
        portfolio (columns ``instrument``, ``target`` and ``covered``), whose
        space is the union of the instruments and targets of both.
    instrument, target, covered : str
        Column names of tidy selections.
    fill_missing : bool, default False
        Tidy selections only: count cells of the space without a row as not
        covered, instead of raising.

    Returns
    -------
    PortfolioSimilarityResult
        A read-only mapping (as the dict this function returned before 0.1)
        of ``jaccard``, ``dice``, ``overlap`` (Szymkiewicz-Simpson), ``rand``
        (simple matching), ``hamming`` (the number of cells that differ),
        ``p_hamming`` (its proportion of the space), and the counts ``both``,
        ``only_a``, ``only_b``, ``neither`` and ``cells``; with
        :meth:`~PortfolioSimilarityResult.to_frame`, ``save`` and
        ``summary``.

    Raises
    ------
    ValidationError
        If the portfolios differ in shape or labels, hold values other than
        0/1, or a tidy selection is invalid (as in :func:`portfolio_measures`).

    Notes
    -----
    With :math:`n_{11}` cells covered in both, :math:`n_{10}` only in ``a``,
    :math:`n_{01}` only in ``b``, :math:`n_{00}` in neither and
    :math:`N` cells in all (PolicyPortfolios' ``pp_similarity()``):

    - Jaccard :math:`= n_{11} / (n_{11} + n_{10} + n_{01})`
    - Sørensen-Dice :math:`= 2 n_{11} / (2 n_{11} + n_{10} + n_{01})`
    - Overlap :math:`= n_{11} / \\min(n_{11} + n_{10}, n_{11} + n_{01})`
    - Rand :math:`= (n_{11} + n_{00}) / N`
    - Hamming :math:`= n_{10} + n_{01}`, ``p_hamming`` :math:`= (n_{10} + n_{01}) / N`

    As in R, a ratio 0 / 0 (e.g. Jaccard of two empty portfolios) is 0.  R's
    "Distance (Hamming)" is :math:`n_{11} / N`, the share of cells covered
    in both; here ``hamming`` is the true Hamming distance, and R's value is
    ``both / cells``.

    Examples
    --------
    >>> from policyquant.analysis.portfolios import portfolio_similarity
    >>> a = [[1, 1, 0], [0, 1, 0]]
    >>> b = [[1, 0, 0], [0, 1, 1]]
    >>> s = portfolio_similarity(a, b)
    >>> s["jaccard"], s["dice"], s["overlap"], s["rand"]
    (0.5, 0.6666666666666666, 0.6666666666666666, 0.6666666666666666)
    >>> s["hamming"], s["p_hamming"], s["both"], s["cells"]
    (2, 0.3333333333333333, 2, 6)
    """
    tidy_a, tidy_b = _is_tidy(a, instrument, target, covered), _is_tidy(b, instrument, target, covered)
    if tidy_a != tidy_b:
        raise ValidationError(
            f"compare two tidy selections (columns {instrument!r}, {target!r}, {covered!r}) or two "
            f"presence arrays or tables, not one of each; portfolio {'a' if tidy_a else 'b'} is the tidy one"
        )
    if tidy_a:
        instruments = _sorted(pd.Index(pd.unique(pd.concat([a[instrument], b[instrument]]).dropna())))
        targets = _sorted(pd.Index(pd.unique(pd.concat([a[target], b[target]]).dropna())))
        left = _matrix_from_tidy(a, instrument, target, covered, "a", instruments, targets, fill_missing)
        right = _matrix_from_tidy(b, instrument, target, covered, "b", instruments, targets, fill_missing)
    else:
        left, rows_a, columns_a = _matrix(a, "a")
        right, rows_b, columns_b = _matrix(b, "b")
        if rows_a is not None and rows_b is not None and columns_a is not None and columns_b is not None:
            problems = _label_problems(rows_a, rows_b, "instrument") + _label_problems(
                columns_a, columns_b, "target"
            )
            if problems:
                raise ValidationError("the two portfolios do not cover the same space", problems)
            right = right[rows_b.get_indexer(rows_a)][:, columns_b.get_indexer(columns_a)]
        elif (rows_a is None) != (rows_b is None):
            raise ValidationError("compare two arrays or two DataFrames, not one of each")
        if left.shape != right.shape:
            raise ValidationError(
                f"the two portfolios differ in shape: {left.shape} and {right.shape} (instruments x targets)"
            )
    both = int((left & right).sum())
    only_a = int((left & ~right).sum())
    only_b = int((~left & right).sum())
    cells = int(left.size)
    neither = cells - both - only_a - only_b

    def ratio(numerator: int, denominator: int) -> float:
        return numerator / denominator if denominator else 0.0

    return PortfolioSimilarityResult({
        "jaccard": ratio(both, both + only_a + only_b),
        "dice": ratio(2 * both, 2 * both + only_a + only_b),
        "overlap": ratio(both, min(both + only_a, both + only_b)),
        "rand": ratio(both + neither, cells),
        "hamming": only_a + only_b,
        "p_hamming": ratio(only_a + only_b, cells),
        "both": both,
        "only_a": only_a,
        "only_b": only_b,
        "neither": neither,
        "cells": cells,
    })


def _label_problems(left: pd.Index, right: pd.Index, part: str) -> list[dict[str, Any]]:
    problems: list[dict[str, Any]] = []
    for value in left.difference(right, sort=False):
        problems.append({"value": value, "problem": f"{part} only in portfolio a"})
    for value in right.difference(left, sort=False):
        problems.append({"value": value, "problem": f"{part} only in portfolio b"})
    if not problems and (left.has_duplicates or right.has_duplicates):
        problems.append({"problem": f"duplicate {part} labels"})
    return problems

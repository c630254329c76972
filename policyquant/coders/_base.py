"""The contract every coder implements: :class:`Coder`, its :class:`Suggestions`, and :class:`MachineCorpus`.

A coder suggests codes for clauses (units) under a framework.  It is one more
coder of the study, never an authority: :meth:`Coder.code` returns a corpus
attributed to it (:attr:`MachineCorpus.coder`) that the reliability module
scores against the human coders exactly as it scores a human, and a suggestion
is never written into a human's code column.

A coder subclasses :class:`Coder` and implements :meth:`Coder.suggest`, which
returns :class:`Suggestions`: one row per unit x field x rank.  The base class
turns suggestions into codes (:meth:`Coder.code`), and checks every suggested
code against the framework (a code outside it is a
:class:`~policyquant.errors.ValidationError` naming the coder, the unit and the
closest codes, never a code).  Units for which a coder has no suggestion are
reported in :attr:`Suggestions.problems` and :attr:`MachineCorpus.uncoded`,
never coded silently.

Plugins register coders with the ``policyquant_register_coders(register)`` hook:
``register(name, factory)``, where ``factory(framework=..., **options)`` (a
:class:`Coder` subclass, say) returns a :class:`Coder`; see
:func:`policyquant.coders.get_coder`.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from .._text import closest, format_choices
from ..corpus import NO_INSTRUMENT, Corpus
from ..errors import InputTypeError, ValidationError
from ..model import Framework
from ..plugins import get_framework
from ..results import FrameResult

__all__ = [
    "PROBLEM_COLUMNS",
    "SUGGESTION_COLUMNS",
    "Coder",
    "CoderFactory",
    "MachineCorpus",
    "Suggestions",
    "coder_fields",
    "units_frame",
]

#: The columns of :attr:`Suggestions.frame`, in order: one row per unit x field x rank.
#: ``code`` is a key of the framework (an instrument key, an objective key, or a score as text),
#: ``score`` the coder's confidence in [0, 1] (a probability for a calibrated coder; a coder
#: without one gives a documented heuristic), ``evidence`` what the suggestion rests on (the
#: matched terms, the model's reason), ``chosen`` whether :meth:`Coder.code` takes it as a code.
SUGGESTION_COLUMNS = ("unit_id", "field", "rank", "code", "score", "evidence", "chosen")

#: The columns of :attr:`Suggestions.problems`: one row per unit (and field) left without a code.
PROBLEM_COLUMNS = ("unit_id", "field", "problem", "message")

#: What a factory registered for a coder is called with: ``factory(framework=..., **options)``.
CoderFactory = Callable[..., "Coder"]

TEXT = pd.StringDtype("pyarrow")


def coder_fields(framework: Framework) -> tuple[str, ...]:
    """The unit-level fields a coder may suggest under a framework.

    ``instrument`` and ``objectives`` when the framework has them, then the
    keys of the efficacy scale's unit-level dimensions.

    Examples
    --------
    >>> import policyquant as pq
    >>> from policyquant.coders import coder_fields
    >>> coder_fields(pq.get_framework("wang2026"))
    ('instrument', 'objectives', 'AS', 'MI')
    """
    fields = []
    if framework.instruments:
        fields.append("instrument")
    if framework.objectives:
        fields.append("objectives")
    if framework.scale is not None:
        fields.extend(d.key for d in framework.scale.dimensions if d.unit == "unit")
    return tuple(fields)


def _field_codes(framework: Framework, field: str) -> tuple[str, ...]:
    """Every code (as text) a field can take under the framework."""
    if field == "instrument":
        return (*framework.instrument_keys, NO_INSTRUMENT)
    if field == "objectives":
        return tuple(framework.objective_keys)
    for dimension in framework.scale.dimensions if framework.scale is not None else ():
        if dimension.key == field:
            return tuple(str(score) for score in dimension.scores)
    return ()


def _text_in(values: pd.Series, allowed: Any) -> np.ndarray:
    """``values.isin(allowed)`` for columns of ids, hashed by pyarrow in compiled code.

    pandas' Arrow-backed strings make a Python string of every allowed value on every
    call (about 20 ms for 3,000 ids, paid by each partition a coder codes).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        left = pa.array(values.astype(TEXT) if values.dtype != TEXT else values)
        right = pa.array(pd.Series(allowed, dtype=TEXT)).cast(left.type)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError):  # not text: pandas compares the objects
        return values.isin(allowed).to_numpy(dtype=bool)
    return pc.fill_null(pc.is_in(left, value_set=right), False).to_numpy(zero_copy_only=False)


def units_frame(units: Any, *, function: str = "suggest") -> pd.DataFrame:
    """The units a coder reads, as a DataFrame with text columns ``unit_id``, ``doc_id`` and ``text``.

    Parameters
    ----------
    units : Corpus, Segmentation, DataFrame
        A :class:`~policyquant.Corpus` (its coded and not-coded units), the
        result of :func:`policyquant.documents.segment`, or a DataFrame with
        ``unit_id`` and ``text`` (``doc_id`` optional).
    function : str
        The caller's name, for messages.

    Returns
    -------
    pandas.DataFrame
        ``unit_id``, ``doc_id`` (missing when not given) and ``text``
        (missing text is empty text), as strings, in the order given.

    Raises
    ------
    InputTypeError
        If ``units`` is none of these.
    ValidationError
        For a missing ``unit_id`` or ``text`` column (with the closest
        column), blank or duplicate unit ids (with their rows).

    Examples
    --------
    >>> import pandas as pd
    >>> from policyquant.coders import units_frame
    >>> units_frame(pd.DataFrame({"unit_id": ["N01-1-1"], "text": ["制定标准。"]}))
       unit_id doc_id   text
    0  N01-1-1   <NA>  制定标准。
    """
    if isinstance(units, Corpus):
        frame = units.all_units()
    elif isinstance(units, pd.DataFrame):
        frame = units
    elif isinstance(units, FrameResult):
        frame = units.to_frame()
    else:
        raise InputTypeError(
            f"{function}() takes the units as a Corpus, the result of segment() or a DataFrame "
            f"with unit_id and text, got {type(units).__name__}"
        )
    missing = [column for column in ("unit_id", "text") if column not in frame.columns]
    if missing:
        near = closest(missing[0], [str(c) for c in frame.columns])
        raise ValidationError(
            f"{function}(): the units have no {missing[0]!r} column"
            + (f"; did you mean {near[0]!r}?" if near else f"; columns: {format_choices(map(str, frame.columns))}")
        )
    ids = frame["unit_id"].astype(TEXT).str.strip()
    blank = ids.isna() | (ids == "")
    if blank.any():
        rows = frame.index[blank.to_numpy()]
        raise ValidationError(
            f"{function}(): {int(blank.sum())} unit(s) have no unit_id, at rows {format_choices(map(str, rows), 5)}"
        )
    duplicated = ids.duplicated(keep=False)
    if duplicated.any():
        first = ids[duplicated].iloc[0]
        rows = frame.index[(ids == first).to_numpy()]
        raise ValidationError(
            f"{function}(): unit_id {first!r} appears more than once, at rows {format_choices(map(str, rows), 5)}"
            f" ({int(ids[duplicated].nunique())} duplicated id(s) in all)"
        )
    doc_ids = frame["doc_id"].astype(TEXT) if "doc_id" in frame.columns else pd.Series(pd.NA, index=frame.index, dtype=TEXT)
    return pd.DataFrame(
        {
            "unit_id": ids.to_numpy(),
            "doc_id": doc_ids.to_numpy(),
            "text": frame["text"].astype(TEXT).fillna("").to_numpy(),
        }
    ).astype(TEXT)


class Suggestions(FrameResult):
    """The codes a coder suggests: one row per unit x field x rank, with the units it could not code.

    Build one with :meth:`Suggestions.build` (which checks every code against
    the framework); coders return them from :meth:`Coder.suggest`.

    Attributes
    ----------
    frame : pandas.DataFrame
        :data:`SUGGESTION_COLUMNS`: ``unit_id``, ``field``, ``rank`` (1 is
        the best), ``code``, ``score`` (confidence in [0, 1]), ``evidence``
        (text), ``chosen`` (taken by :meth:`Coder.code`).
    problems : pandas.DataFrame
        :data:`PROBLEM_COLUMNS`: the units (and fields) left without a
        suggestion, and why (no term matched, the endpoint timed out ...).
    coder : str
        The name of the coder that made them.
    framework : Framework
        The framework the codes belong to.
    unit_ids : pandas.Index
        Every unit asked about, in the order given.

    Examples
    --------
    >>> import policyquant as pq
    >>> from policyquant.coders import Suggestions
    >>> rows = pd.DataFrame({"unit_id": ["u1"], "field": ["instrument"], "code": ["standards_and_norms"],
    ...                      "score": [0.9], "evidence": ["标准"]})
    >>> found = Suggestions.build(rows, coder="me", framework="wang2026", unit_ids=["u1", "u2"])
    >>> found.frame[["unit_id", "field", "rank", "code", "chosen"]].to_numpy().tolist()
    [['u1', 'instrument', 1, 'standards_and_norms', True]]
    >>> found.problems[["unit_id", "field", "problem"]].to_numpy().tolist()
    [['u2', 'instrument', 'no suggestion']]
    """

    #: Per unit, what asking cost (a coder that calls a service sets it: cached, requests, seconds, tokens).
    usage: pd.DataFrame | None = None

    def __init__(
        self,
        frame: pd.DataFrame,
        problems: pd.DataFrame,
        coder: str,
        framework: Framework,
        unit_ids: pd.Index,
        fields: tuple[str, ...],
    ) -> None:
        super().__init__(frame, decimals=3)
        self.problems = problems
        self.coder = coder
        self.framework = framework
        self.unit_ids = unit_ids
        self.fields = fields

    @classmethod
    def build(
        cls,
        rows: pd.DataFrame,
        *,
        coder: str,
        framework: str | Framework,
        unit_ids: Iterable[str],
        fields: Sequence[str] = ("instrument",),
        problems: pd.DataFrame | Iterable[Mapping[str, Any]] | None = None,
        multi: Sequence[str] = ("objectives",),
    ) -> Suggestions:
        """Check and rank a coder's raw suggestions.

        Parameters
        ----------
        rows : pandas.DataFrame
            ``unit_id``, ``field``, ``code``, ``score``, optional ``evidence``,
            ``rank`` and ``chosen``.  Without ``rank``, rows are ranked by
            descending score (ties by code order in the framework) within
            each unit and field.  Without ``chosen``, rank 1 is chosen
            (for a multi-label field, every row the coder gives is chosen).
        coder : str
            The coder's name.
        framework : str or Framework
        unit_ids : iterable of str
            Every unit asked about.
        fields : sequence of str
            The fields asked about: a unit with no chosen suggestion for one
            of them gets a ``"no suggestion"`` problem (unless the coder
            already reported a problem for that unit and field).
        problems : DataFrame or iterable of mappings, optional
            The coder's own problems (:data:`PROBLEM_COLUMNS`).
        multi : sequence of str
            The multi-label fields.

        Raises
        ------
        ValidationError
            For a field or code outside the framework (naming the coder, the
            unit, the code and the closest codes) or a unit not asked about.
        """
        framework = get_framework(framework)
        ids = pd.Index(pd.Series(list(unit_ids), dtype=TEXT), name="unit_id")
        rows = rows.copy()
        for column in ("unit_id", "field", "code"):
            if column not in rows.columns:
                raise ValidationError(f"coder {coder!r} returned suggestions without a {column!r} column")
        if "evidence" not in rows.columns:
            rows["evidence"] = ""
        if "score" not in rows.columns:
            rows["score"] = np.nan
        rows = rows.astype({"unit_id": TEXT, "field": TEXT, "code": TEXT, "evidence": TEXT})
        rows["score"] = pd.to_numeric(rows["score"], errors="coerce").astype("float64")
        rows["evidence"] = rows["evidence"].fillna("")
        allowed = coder_fields(framework)
        for field in pd.unique(rows["field"]):
            if field not in allowed:
                raise ValidationError(
                    f"coder {coder!r} suggested codes for field {field!r}, which framework "
                    f"{framework.name!r} does not have; fields: {format_choices(allowed)}"
                )
        for field, group in rows.groupby("field", sort=False, observed=True):
            codes = _field_codes(framework, str(field))
            bad = ~group["code"].isin(codes).to_numpy(dtype=bool)
            if bad.any():
                first = group[bad].iloc[0]
                near = closest(first["code"], codes)
                raise ValidationError(
                    f"coder {coder!r} suggested {first['code']!r} for {field!r} of unit {first['unit_id']!r}, "
                    f"not a code of framework {framework.name!r}"
                    + (f"; closest: {format_choices(near)}" if near else f"; codes: {format_choices(codes)}")
                )
        unknown = ~_text_in(rows["unit_id"], ids)
        if unknown.any():
            raise ValidationError(
                f"coder {coder!r} suggested codes for unit {rows.loc[unknown, 'unit_id'].iloc[0]!r}, "
                "which it was not asked about"
            )
        if "rank" not in rows.columns:
            # Ties go to the framework's order, so that the ranking never depends on the row order.
            order = {(f, c): i for f in allowed for i, c in enumerate(_field_codes(framework, f))}
            rows["_order"] = [order[(f, c)] for f, c in zip(rows["field"].tolist(), rows["code"].tolist(), strict=True)]
            rows = rows.sort_values(
                ["unit_id", "field", "score", "_order"], ascending=[True, True, False, True], na_position="last", kind="stable"
            )
            rows["rank"] = rows.groupby(["unit_id", "field"], sort=False).cumcount() + 1
            rows = rows.drop(columns="_order")
        rows["rank"] = rows["rank"].astype("int64")
        if "chosen" not in rows.columns:
            rows["chosen"] = rows["field"].isin(list(multi)).to_numpy() | (rows["rank"] == 1).to_numpy()
        rows["chosen"] = rows["chosen"].astype(bool)
        position = pd.Series(np.arange(len(ids)), index=ids)
        rows["_position"] = position.reindex(rows["unit_id"]).to_numpy()
        rows = rows.sort_values(["_position", "field", "rank"], kind="stable").drop(columns="_position")
        frame = rows[list(SUGGESTION_COLUMNS)].reset_index(drop=True)
        given = pd.DataFrame(list(problems) if problems is not None and not isinstance(problems, pd.DataFrame) else problems)
        if given.empty:
            given = pd.DataFrame(columns=list(PROBLEM_COLUMNS))
        given = given.reindex(columns=list(PROBLEM_COLUMNS)).astype(TEXT)
        chosen = frame.loc[frame["chosen"], ["unit_id", "field"]]
        grid = pd.MultiIndex.from_product([ids, list(fields)], names=["unit_id", "field"])
        have = pd.MultiIndex.from_frame(chosen.astype(object)).unique()
        reported = pd.MultiIndex.from_frame(given[["unit_id", "field"]].astype(object)) if len(given) else have[:0]
        lacking = grid.difference(have, sort=False).difference(reported, sort=False)
        missing = pd.DataFrame(
            {
                "unit_id": lacking.get_level_values(0),
                "field": lacking.get_level_values(1),
                "problem": "no suggestion",
                "message": f"coder {coder!r} has no suggestion for this unit and field",
            }
        ).astype(TEXT)
        everything = pd.concat([given, missing], ignore_index=True) if len(given) else missing
        everything["_position"] = position.reindex(everything["unit_id"]).to_numpy()
        everything = everything.sort_values(["_position", "field"], kind="stable", na_position="last")
        return cls(
            frame,
            everything.drop(columns="_position").reset_index(drop=True),
            coder,
            framework,
            ids,
            tuple(fields),
        )

    def best(self) -> pd.DataFrame:
        """One row per unit asked about: each field's chosen code(s) and confidence.

        Returns
        -------
        pandas.DataFrame
            ``unit_id``; per field ``<field>`` (the code; a tuple of codes for
            a multi-label field; missing without one) and ``<field>_score``
            (the confidence of the rank-1 suggestion).

        Examples
        --------
        >>> import pandas as pd
        >>> from policyquant.coders import Suggestions
        >>> rows = pd.DataFrame({"unit_id": ["u1", "u1"], "field": ["instrument", "instrument"],
        ...                      "code": ["infrastructure", "standards_and_norms"], "score": [0.4, 0.6]})
        >>> Suggestions.build(rows, coder="me", framework="wang2026", unit_ids=["u1"]).best()
          unit_id           instrument  instrument_score
        0      u1  standards_and_norms               0.6
        """
        result = pd.DataFrame({"unit_id": self.unit_ids.to_numpy()}).astype(TEXT)
        frame = self.frame
        for field in self.fields:
            rows = frame[(frame["field"] == field).to_numpy(dtype=bool) & frame["chosen"].to_numpy(dtype=bool)]
            if field == "objectives":
                # One tuple per unit, in rank order: built from the sorted codes by splitting at unit starts.
                ids = rows["unit_id"].to_numpy(dtype=object)
                codes = rows["code"].to_numpy(dtype=object)
                starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]]) if len(ids) else np.array([], dtype=np.int64)
                tuples = np.empty(len(starts), dtype=object)
                tuples[:] = [tuple(part) for part in np.split(codes, starts[1:])] if len(starts) else []
                found = pd.Series(tuples, index=pd.Index(ids[starts], dtype=object), dtype=object)
                values = pd.Series(found.reindex(self.unit_ids.astype(object)).to_numpy(), dtype=object)
            else:
                first = rows.drop_duplicates("unit_id").set_index("unit_id")["code"]
                values = pd.Series(first.reindex(self.unit_ids).to_numpy(), dtype=TEXT)
            top = frame[(frame["field"] == field).to_numpy(dtype=bool) & (frame["rank"] == 1).to_numpy()]
            scores = top.drop_duplicates("unit_id").set_index("unit_id")["score"]
            result[field] = values.to_numpy()
            result[f"{field}_score"] = scores.reindex(self.unit_ids).to_numpy(dtype="float64")
        return result

    def __repr__(self) -> str:
        return (
            f"Suggestions(coder={self.coder!r}, units={len(self.unit_ids)}, "
            f"suggestions={len(self.frame)}, problems={len(self.problems)})"
        )


class MachineCorpus(Corpus):
    """A :class:`~policyquant.Corpus` coded by a machine coder, attributed to it.

    It is a corpus like any other (the reliability module compares it with
    the human coders' corpora unchanged), plus:

    Attributes
    ----------
    coder : str
        The name of the coder that produced it (also in the units' ``coder`` column).
    uncoded : pandas.DataFrame
        :data:`PROBLEM_COLUMNS`: the units the coder could not code and why;
        they are not in the corpus (a machine never codes a unit by default).
    suggestions : Suggestions
        Everything the coder suggested.
    """

    # Class-level defaults: a subset (built without __init__) is still a machine's corpus.
    coder: str = "machine"
    uncoded: pd.DataFrame = pd.DataFrame(columns=list(PROBLEM_COLUMNS))
    suggestions: Suggestions | None = None

    def __repr__(self) -> str:
        count = len(self.uncoded["unit_id"].unique())
        return f"{super().__repr__()[:-1]}, coder {self.coder!r}, {count} unit{'s' if count != 1 else ''} uncoded>"


class Coder(abc.ABC):
    """A machine coder: suggests codes for units under a framework.

    Subclasses set :attr:`name` and implement :meth:`suggest`; :meth:`code`
    and :meth:`suggested_codes` come with the base class.

    Parameters
    ----------
    framework : str or Framework, default "wang2026"
    fields : sequence of str, optional
        The fields to suggest (by default :attr:`default_fields` that the
        framework has).

    Attributes
    ----------
    name : str
        The coder's registered name (``"dictionary"``, ``"tfidf-linear"`` ...).
    framework : Framework
    fields : tuple of str
    """

    name: ClassVar[str] = "coder"
    #: The fields a coder of this kind suggests by default (those the framework has).
    default_fields: ClassVar[tuple[str, ...]] = ("instrument", "objectives")

    def __init__(self, framework: str | Framework = "wang2026", *, fields: Sequence[str] | None = None) -> None:
        self.framework = get_framework(framework)
        available = coder_fields(self.framework)
        if fields is None:
            fields = [f for f in self.default_fields if f in available]
        elif isinstance(fields, str):
            fields = [fields]
        for field in fields:
            if field not in available:
                near = closest(field, available)
                raise ValidationError(
                    f"{self.name} coder: framework {self.framework.name!r} has no field {field!r}; "
                    + (f"did you mean {near[0]!r}?" if near else f"fields: {format_choices(available)}")
                )
        self.fields = tuple(fields)

    @abc.abstractmethod
    def suggest(self, units: Any, top: int = 3) -> Suggestions:
        """Suggest up to ``top`` codes per unit and field (all chosen ones for a multi-label field).

        Parameters
        ----------
        units : Corpus, Segmentation or DataFrame
            See :func:`units_frame`.
        top : int, default 3

        Returns
        -------
        Suggestions
        """

    def code(self, units: Any, *, documents: pd.DataFrame | None = None) -> MachineCorpus:
        """Code the units with each field's chosen suggestion: a corpus attributed to this coder.

        Parameters
        ----------
        units : Corpus, Segmentation or DataFrame
            See :func:`units_frame`.  Given a corpus, the machine's corpus
            keeps its documents' metadata (not their scores: a machine that
            does not score documents has no document scores).
        documents : pandas.DataFrame, optional
            The documents table (as for :class:`~policyquant.Corpus`).

        Returns
        -------
        MachineCorpus
            The units with a chosen suggestion for every field of the coder;
            those without are left out and listed in ``uncoded``.
        """
        suggestions = self.suggest(units, top=1)
        return self.corpus_from(suggestions, units, documents=documents)

    def corpus_from(self, suggestions: Suggestions, units: Any, *, documents: pd.DataFrame | None = None) -> MachineCorpus:
        """The :class:`MachineCorpus` of some suggestions (see :meth:`code`)."""
        required = [f for f in ("instrument", "objectives") if f in coder_fields(self.framework)]
        lacking = [f for f in required if f not in self.fields]
        if lacking:
            raise ValidationError(
                f"coder {self.name!r} suggests {', '.join(self.fields)} only; a corpus of framework "
                f"{self.framework.name!r} needs {' and '.join(required)}: use suggest() for its suggestions, "
                f"or build the coder with fields={tuple(required)!r}"
            )
        frame = units_frame(units, function="code")
        best = suggestions.best()
        coded = np.ones(len(best), dtype=bool)
        # A clause coded "none" serves no objective: it needs no objective suggestion.
        no_instrument = (
            (best["instrument"] == NO_INSTRUMENT).fillna(False).to_numpy(dtype=bool)
            if "instrument" in best.columns
            else np.zeros(len(best), dtype=bool)
        )
        for field in self.fields:
            values = best[field]
            present = values.notna().to_numpy(dtype=bool, copy=True)
            if field == "objectives":
                present &= values.map(lambda v: isinstance(v, tuple) and len(v) > 0).to_numpy(dtype=bool)
                present |= no_instrument
            coded &= present
        table = best.loc[coded, ["unit_id", *self.fields]].reset_index(drop=True)
        if "objectives" in table.columns:
            table["objectives"] = table["objectives"].map(lambda v: v if isinstance(v, tuple) else ())
        text = frame.set_index("unit_id")
        table.insert(1, "doc_id", text["doc_id"].reindex(table["unit_id"]).to_numpy())
        table.insert(2, "text", text["text"].reindex(table["unit_id"]).to_numpy())
        if table["doc_id"].isna().all():
            table = table.drop(columns="doc_id")
        table["coder"] = self.name
        if documents is None and isinstance(units, Corpus):
            scores = {d.key for d in units.framework.scale.dimensions} if units.framework.scale is not None else set()
            documents = units.documents[[c for c in units.documents.columns if c not in scores]]
            documents = documents[_text_in(documents["doc_id"], table.get("doc_id", pd.Series(dtype=TEXT)))]
        corpus = MachineCorpus(documents, table, self.framework)
        corpus.coder = self.name
        corpus.suggestions = suggestions
        corpus.uncoded = suggestions.problems[
            _text_in(suggestions.problems["unit_id"], best.loc[~coded, "unit_id"])
        ].reset_index(drop=True)
        return corpus

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}: framework {self.framework.name!r}, fields {list(self.fields)}>"

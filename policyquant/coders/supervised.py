"""The supervised coder ``"tfidf-linear"``: character n-grams and linear models learnt from human codes.

:func:`train` learns, from a coded corpus, one linear model per coded field on
TF-IDF weighted character n-grams of the clause texts (character n-grams need
no word segmenter, which suits Chinese): the instrument as one class among the
framework's instruments (multinomial logistic regression), the objectives as
one present/absent decision per objective (one-vs-rest logistic regressions),
and each unit-level score as one class among its levels (multinomial logistic
regression over the levels, the level with the highest probability being the
suggestion).  The probabilities are the logistic regressions' own: fitted by
maximum likelihood, a proper scoring rule, they need no held-out calibration
set, which a corpus of a few hundred clauses with rare instruments cannot
spare (:class:`sklearn.calibration.CalibratedClassifierCV` needs several units
of every class in each inner fold) and they restore exactly from plain arrays.

The coder is held to the standards of a human coder: :meth:`SupervisedCoder.evaluate`
cross-validates it and measures Krippendorff's alpha between its codes and the
human codes, next to a majority-class baseline.

A trained coder saves to a folder of JSON and ``.npz`` arrays
(:meth:`SupervisedCoder.save`), which :func:`load` reads without executing
anything: no pickle.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
import warnings
import zipfile
from collections.abc import Mapping, Sequence
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._text import closest, format_choices
from ..errors import PolicyQuantError, ReadError, ValidationError
from ..hookspecs import hookimpl
from ..model import Framework
from ..plugins import get_framework
from ..results import FrameResult
from ._base import Coder, Suggestions, units_frame

__all__ = ["CoderEvaluation", "SupervisedCoder", "load", "train"]

#: The coder's registered name.
MODEL = "tfidf-linear"
#: The fields a coder learns unless told otherwise.
DEFAULT_FIELDS = ("instrument", "objectives", "AS", "MI")
#: What a saved coder's manifest says it is, and the layout version this module reads.
FORMAT = "policyquant-coder"
FORMAT_VERSION = 1
#: Clauses vectorised at a time: bounds memory whatever the number of clauses.
CHUNK = 20_000
_MANIFEST = "manifest.json"
_MODEL_FILE = "model.json"
_ARRAYS_FILE = "arrays.npz"


def _sklearn() -> Any:
    try:
        import sklearn
    except ImportError as error:  # pragma: no cover - depends on the installation
        raise ImportError(
            "the tfidf-linear coder needs scikit-learn: pip install 'policyquant[coders]'"
        ) from error
    return sklearn


# -- features ---------------------------------------------------------------------------------


def _normalized(texts: Sequence[str]) -> list[str]:
    # Full-width letters and digits (Ａ１) and their half-width forms count as the same characters.
    return [unicodedata.normalize("NFKC", text) for text in texts]


class _Features:
    """TF-IDF weighted character n-grams, computed from a fixed vocabulary and idf weights.

    Computed here rather than by a fitted :class:`~sklearn.feature_extraction.text.TfidfVectorizer`
    so that a coder rebuilt from its saved arrays weighs every clause exactly as the trained one.
    """

    def __init__(
        self, terms: Sequence[str], idf: np.ndarray, analyzer: str, ngram_range: tuple[int, int], sublinear_tf: bool
    ) -> None:
        from sklearn.feature_extraction.text import CountVectorizer

        self.terms = list(terms)
        self.idf = np.asarray(idf, dtype=np.float64)
        self.analyzer = analyzer
        self.ngram_range = (int(ngram_range[0]), int(ngram_range[1]))
        self.sublinear_tf = bool(sublinear_tf)
        # char_wb pads words with spaces: evidence shows the n-grams without them.
        self.stripped_terms = np.asarray([term.strip() for term in self.terms], dtype=object)
        self._counter = CountVectorizer(
            analyzer=analyzer,
            ngram_range=self.ngram_range,
            vocabulary={term: i for i, term in enumerate(self.terms)},
            lowercase=True,
            dtype=np.float64,
        )

    @classmethod
    def fit(
        cls, texts: Sequence[str], analyzer: str, ngram_range: tuple[int, int], sublinear_tf: bool, min_df: int
    ) -> _Features:
        from sklearn.feature_extraction.text import TfidfVectorizer

        vectorizer = TfidfVectorizer(
            analyzer=analyzer, ngram_range=ngram_range, sublinear_tf=sublinear_tf, min_df=min_df, lowercase=True
        )
        vectorizer.fit(_normalized(texts))
        terms = np.empty(len(vectorizer.vocabulary_), dtype=object)
        for term, column in vectorizer.vocabulary_.items():
            terms[column] = term
        return cls(list(terms), vectorizer.idf_, analyzer, ngram_range, sublinear_tf)

    def transform(self, texts: Sequence[str]) -> Any:
        from sklearn.preprocessing import normalize

        counts = self._counter.transform(_normalized(texts)).tocsr()
        if self.sublinear_tf:
            np.log(counts.data, out=counts.data)
            counts.data += 1.0
        # Scaling each stored value by its column's idf, in place: the matrix keeps its sparsity.
        counts.data *= self.idf[counts.indices]
        return normalize(counts, norm="l2", copy=False)


# -- one linear model per field ---------------------------------------------------------------


class _FieldModel:
    """One field's linear model: ``kind`` "single" (one class of ``classes``) or "multi" (each present or not)."""

    def __init__(
        self, field: str, kind: str, classes: Sequence[Any], coef: np.ndarray, intercept: np.ndarray, *, at_least_one: bool = False
    ) -> None:
        self.field = field
        self.kind = kind
        self.classes = list(classes)
        self.coef = np.asarray(coef, dtype=np.float64)
        self.intercept = np.asarray(intercept, dtype=np.float64)
        self.at_least_one = bool(at_least_one)

    def probabilities(self, features: Any) -> np.ndarray:
        """Units x classes: a distribution per unit ("single"), a probability per class ("multi")."""
        from scipy.special import expit, softmax

        scores = np.asarray(features @ self.coef.T) + self.intercept
        if self.kind == "multi":
            return expit(scores)
        if len(self.classes) == 1:
            return np.ones((scores.shape[0], 1))
        if self.coef.shape[0] == 1:
            # A two-class logistic regression keeps one row of weights, for the second class.
            second = expit(scores[:, 0])
            return np.column_stack([1.0 - second, second])
        return softmax(scores, axis=1)

    def decide(self, probabilities: np.ndarray) -> np.ndarray:
        """The codes: the most probable class, or (multi) every class at 0.5 or more, as a boolean matrix."""
        if self.kind == "single":
            return np.asarray(self.classes, dtype=object)[probabilities.argmax(axis=1)]
        present = probabilities >= 0.5
        if self.at_least_one and present.shape[1]:
            # Every training clause had an objective: a clause with none above 0.5 gets its likeliest one.
            empty = ~present.any(axis=1)
            present[empty, probabilities[empty].argmax(axis=1)] = True
        return present

    @classmethod
    def fit(cls, field: str, kind: str, features: Any, target: Any, classes: Sequence[Any], c: float, seed: int) -> _FieldModel:
        """Fit on ``target``: class values (single) or a units x classes boolean matrix (multi)."""
        n_features = features.shape[1]
        if kind == "multi":
            target = np.asarray(target, dtype=bool)
            coef = np.zeros((len(classes), n_features))
            intercept = np.zeros(len(classes))
            for column in range(len(classes)):
                present = target[:, column]
                if present.all() or not present.any():
                    # A class always (never) present in training: probability 1 (0) whatever the text.
                    intercept[column] = np.inf if present.all() else -np.inf
                    continue
                model = _logistic(c, seed).fit(features, present)
                coef[column] = model.coef_[0]
                intercept[column] = model.intercept_[0]
            at_least_one = bool(target.shape[0]) and bool(target.any(axis=1).all())
            return cls(field, kind, classes, coef, intercept, at_least_one=at_least_one)
        target = np.asarray(target, dtype=object)
        seen = [value for value in classes if (target == value).any()]
        if len(seen) == 1:
            # One class in this training set (a cross-validation fold, say): it is always the answer.
            return cls(field, kind, seen, np.zeros((1, n_features)), np.zeros(1))
        codes = pd.Categorical(target, categories=seen).codes
        model = _logistic(c, seed).fit(features, codes)
        return cls(field, kind, seen, model.coef_, model.intercept_)

    def weights(self) -> np.ndarray:
        """Classes x features: how much each n-gram speaks for each class (for the evidence)."""
        if self.kind == "single" and self.coef.shape[0] == 1 and len(self.classes) == 2:
            return np.vstack([-self.coef[0], self.coef[0]])
        return self.coef


def _logistic(c: float, seed: int) -> Any:
    from sklearn.linear_model import LogisticRegression

    # Newton-CG converges in a handful of iterations on these small, well-conditioned problems
    # (L-BFGS needs about ten times as many to the same optimum).
    return LogisticRegression(C=c, solver="newton-cg", max_iter=1000, random_state=seed)


def _one_thread() -> Any:
    """A context in which BLAS and OpenMP use one thread.

    A few hundred clauses make problems so small that thread start-up and contention cost more
    than they save: on two busy cores, fitting was 15 times slower with the default threads.
    """
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1)


# -- training data --------------------------------------------------------------------------


class _Training:
    """What a coder learns from: unit ids, texts, and each field's human codes (missing where not coded)."""

    def __init__(
        self, unit_ids: np.ndarray, texts: list[str], targets: dict[str, Any], classes: dict[str, list[Any]], coded: np.ndarray
    ):
        self.unit_ids = unit_ids
        self.texts = texts
        self.targets = targets  # field -> object array (single) or units x classes bool matrix (multi)
        self.classes = classes
        # A clause coded "none" has no objectives to learn or to score, not "no objective present".
        self.has = {
            field: (coded.copy() if value.ndim == 2 else pd.notna(value).astype(bool))
            for field, value in targets.items()
        }


def _kind(field: str) -> str:
    return "multi" if field == "objectives" else "single"


def _field_classes(framework: Framework, field: str) -> list[Any]:
    from ..corpus import NO_INSTRUMENT

    if field == "instrument":
        return [*framework.instrument_keys, NO_INSTRUMENT]
    if field == "objectives":
        return list(framework.objective_keys)
    dimension = next(d for d in framework.scale.dimensions if d.key == field)
    return sorted(int(score) for score in dimension.scores)


def _training_data(corpus: Any, fields: Sequence[str], function: str) -> _Training:
    from ..corpus import NO_INSTRUMENT, Corpus
    from ..errors import InputTypeError

    if not isinstance(corpus, Corpus):
        raise InputTypeError(f"{function}() learns from a coded policyquant.Corpus, got {type(corpus).__name__}")
    framework = corpus.framework
    # Clauses coded "none" teach the instrument model to say "none"; they carry no other code.
    units = pd.concat([corpus.units, corpus.not_coded], ignore_index=True)
    if "text" not in units.columns:
        raise ValidationError(
            f"{function}(): the corpus has no clause texts (no 'text' column in its units); "
            "a supervised coder learns codes from the texts of coded clauses"
        )
    text = units["text"].astype(pd.StringDtype())
    blank = (text.isna() | (text.str.strip() == "")).to_numpy(dtype=bool)
    if blank.any():
        ids = units.loc[blank, "unit_id"].astype(str).tolist()
        raise ValidationError(
            f"{function}(): {len(ids)} coded unit(s) have no text to learn from: {format_choices(ids, 10)}; "
            "give every unit its clause text, or leave these units out of the corpus",
            [{"row": uid, "column": "text", "value": "", "problem": "no text", "expected": "the clause's text"} for uid in ids[:200]],
        )
    coded = np.arange(len(units)) < len(corpus.units)
    targets: dict[str, Any] = {}
    classes: dict[str, list[Any]] = {}
    for field in fields:
        allowed = _field_classes(framework, field)
        if field == "instrument":
            values = units["instrument"].astype(object).to_numpy().copy()
            values[~coded] = NO_INSTRUMENT
        elif field == "objectives":
            keys = allowed
            exploded = units.loc[coded, "objectives"].explode()
            present = pd.crosstab(exploded.index, pd.Categorical(exploded, categories=keys), dropna=False)
            matrix = np.zeros((len(units), len(keys)), dtype=bool)
            matrix[present.index.to_numpy()] = present.to_numpy()[:, : len(keys)] > 0
            targets[field], classes[field] = matrix, keys
            continue
        else:
            scores = pd.to_numeric(units[field], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
            values = np.where(np.isnan(scores), None, scores).astype(object)
            values[~np.isnan(scores)] = scores[~np.isnan(scores)].astype(int)
        if field != "instrument":
            values[~coded] = None
        targets[field], classes[field] = values, [c for c in allowed if (values == c).any()]
    return _Training(units["unit_id"].astype(str).to_numpy(dtype=object), text.tolist(), targets, classes, coded)


def _class_counts(training: _Training, field: str) -> pd.Series:
    target = training.targets[field]
    if target.ndim == 2:
        return pd.Series(target[training.has[field]].sum(axis=0), index=training.classes[field], dtype="int64")
    has = training.has[field]
    return pd.Series(target[has]).value_counts().reindex(training.classes[field], fill_value=0).astype("int64")


def _describe_counts(counts: pd.Series) -> str:
    return ", ".join(f"{key} {int(n)}" for key, n in counts.items())


def _check_learnable(training: _Training, fields: Sequence[str], function: str) -> None:
    for field in fields:
        counts = _class_counts(training, field)
        if training.targets[field].ndim == 2:
            total = int(training.has[field].sum())
            varying = (counts > 0) & (counts < total)
            if not varying.any():
                raise ValidationError(
                    f"{function}(): cannot learn {field!r}: each of its codes is in every unit or in none "
                    f"(units with each code, of {total}: {_describe_counts(counts)}); "
                    "a model needs units with and units without a code"
                )
            continue
        seen = counts[counts > 0]
        if len(seen) < 2:
            raise ValidationError(
                f"{function}(): cannot learn {field!r} from one class only: every unit with a code has "
                f"{_describe_counts(seen) or 'no code'}; a model needs at least two different codes "
                f"(leave {field!r} out of fields=, or add units coded otherwise)"
            )


def _check_option(name: str, value: Any, ok: bool, expected: str) -> None:
    if not ok:
        raise ValidationError(f"train(): {name} must be {expected}, got {value!r}")


# -- the coder ----------------------------------------------------------------------------------


def train(
    corpus: Any,
    fields: Sequence[str] = DEFAULT_FIELDS,
    model: str = MODEL,
    *,
    analyzer: str = "char_wb",
    ngram_range: tuple[int, int] = (1, 3),
    min_df: int = 1,
    C: float = 10.0,  # noqa: N803 - scikit-learn's name, which its users know
    sublinear_tf: bool = True,
    seed: int = 0,
) -> SupervisedCoder:
    """Learn a coder from a coded corpus: TF-IDF character n-grams and one logistic regression per field.

    Parameters
    ----------
    corpus : Corpus
        Coded clauses with their texts (the units' ``text`` column).  Clauses
        coded ``none`` teach the instrument model to suggest ``none``.
    fields : sequence of str, default ("instrument", "objectives", "AS", "MI")
        The fields to learn (those of :func:`~policyquant.coders.coder_fields`).
        A unit without a score is left out of that score's model only.
    model : str, default "tfidf-linear"
        The kind of model; ``"tfidf-linear"`` is the one there is.
    analyzer : {"char_wb", "char"}, default "char_wb"
        Character n-grams within (``char_wb``) or across (``char``) spaces.
    ngram_range : (int, int), default (1, 3)
        The smallest and largest n-gram length.  Measured by 5-fold
        cross-validated alpha: on the bundled corpus 1-3 beats 2-4 (0.81
        against 0.75 for the instrument, 0.65 against 0.64 for AS; 1-2
        reaches 0.85 and 0.66); on a noisy synthetic corpus 1-3 beats 2-4 (0.65
        against 0.62 for the instrument, 0.13 against 0.09 for AS) with half
        the features.
    min_df : int, default 1
        Keep n-grams found in at least this many training clauses.
    C : float, default 10.0
        Inverse regularisation strength of the logistic regressions.
    sublinear_tf : bool, default True
        Weigh an n-gram's count as ``1 + log(count)``.
    seed : int, default 0
        Seed of the solvers (the result is deterministic for a given seed).

    Returns
    -------
    SupervisedCoder

    Raises
    ------
    ValidationError
        For a field the framework lacks (naming the closest), a field whose
        training units all have the same code (naming the field and its class
        counts), coded units without text (naming them), or a bad option.
    InputTypeError
        If ``corpus`` is not a :class:`~policyquant.Corpus`.

    Examples
    --------
    >>> import policyquant as pq
    >>> from policyquant.coders import train
    >>> corpus = pq.datasets.load_genai_china()
    >>> coder = train(corpus, fields=("instrument", "objectives"))
    >>> coder
    <SupervisedCoder 'tfidf-linear': framework 'wang2026', fields ['instrument', 'objectives']>
    >>> best = coder.suggest(corpus.units.head(2)).best()
    >>> best[["unit_id", "instrument"]].to_numpy().tolist()
    [['N01-2-2', 'standards_and_norms'], ['N01-2-4', 'standards_and_norms']]
    """
    _sklearn()
    if model != MODEL:
        near = closest(str(model), [MODEL])
        raise ValidationError(
            f"train(): unknown model {model!r}; models: {MODEL!r}" + (f" (did you mean {near[0]!r}?)" if near else "")
        )
    _check_option("analyzer", analyzer, analyzer in ("char_wb", "char"), "'char_wb' or 'char'")
    ok = (
        isinstance(ngram_range, tuple | list)
        and len(ngram_range) == 2
        and all(isinstance(n, int) and not isinstance(n, bool) for n in ngram_range)
        and 1 <= ngram_range[0] <= ngram_range[1] <= 8
    )
    _check_option("ngram_range", ngram_range, ok, "two whole numbers (low, high) with 1 <= low <= high <= 8")
    _check_option("min_df", min_df, isinstance(min_df, int) and not isinstance(min_df, bool) and min_df >= 1, "a whole number of 1 or more")
    _check_option("C", C, isinstance(C, int | float) and not isinstance(C, bool) and np.isfinite(C) and C > 0, "a positive number")
    options = {
        "analyzer": analyzer,
        "ngram_range": [int(ngram_range[0]), int(ngram_range[1])],
        "min_df": int(min_df),
        "C": float(C),
        "sublinear_tf": bool(sublinear_tf),
        "seed": int(seed),
    }
    framework = getattr(corpus, "framework", None)
    coder = SupervisedCoder(framework if framework is not None else "wang2026", fields=fields, options=options)
    training = _training_data(corpus, coder.fields, "train")
    _check_learnable(training, coder.fields, "train")
    coder._fit(training)
    coder._training = training
    return coder


class SupervisedCoder(Coder):
    """A coder learnt from human codes (see :func:`train`); suggests codes with probabilities.

    Build one with :func:`train` or :func:`load`.

    Attributes
    ----------
    framework : Framework
    fields : tuple of str
    options : dict
        The training options (analyzer, ngram_range, min_df, C, sublinear_tf, seed).
    classes : dict
        Per field, the codes the model can suggest (those seen in training).

    Examples
    --------
    >>> import policyquant as pq
    >>> from policyquant.coders import train
    >>> corpus = pq.datasets.load_genai_china()
    >>> coder = train(corpus, fields=("instrument",))
    >>> suggestions = coder.suggest(corpus.units.head(1), top=2)
    >>> suggestions.frame[["field", "rank", "code"]].to_numpy().tolist()
    [['instrument', 1, 'standards_and_norms'], ['instrument', 2, 'organizational_support']]
    >>> 0.7 < float(suggestions.frame["score"].iloc[0]) < 0.9  # a probability: 0.82 here
    True
    """

    name = MODEL
    default_fields = DEFAULT_FIELDS

    def __init__(
        self, framework: str | Framework = "wang2026", *, fields: Sequence[str] | None = None, options: Mapping[str, Any] | None = None
    ) -> None:
        super().__init__(framework, fields=fields)
        self.options = dict(options or {})
        self._features: _Features | None = None
        self._models: dict[str, _FieldModel] = {}
        self._training: _Training | None = None

    @property
    def classes(self) -> dict[str, list[Any]]:
        """Per field, the codes the model can suggest: those its training units had.

        Examples
        --------
        >>> import policyquant as pq
        >>> from policyquant.coders import train
        >>> train(pq.datasets.load_genai_china(), fields=("AS",)).classes
        {'AS': [1, 3, 5]}
        """
        return {field: list(model.classes) for field, model in self._models.items()}

    # -- fitting ---------------------------------------------------------------------------

    def _fit(self, training: _Training) -> None:
        self._features, self._models = self._fitted(training, np.arange(len(training.unit_ids)))

    def _fitted(self, training: _Training, rows: np.ndarray) -> tuple[_Features, dict[str, _FieldModel]]:
        options = self.options
        texts = [training.texts[i] for i in rows]
        features = _Features.fit(
            texts, options["analyzer"], tuple(options["ngram_range"]), options["sublinear_tf"], options["min_df"]
        )
        matrix = features.transform(texts)
        models = {}
        with _one_thread():
            for field in self.fields:
                has = training.has[field][rows]
                target = training.targets[field][rows]
                models[field] = _FieldModel.fit(
                    field, _kind(field), matrix[has], target[has], training.classes[field], options["C"], options["seed"]
                )
        return features, models

    # -- suggesting --------------------------------------------------------------------------

    def _probabilities(self, texts: Sequence[str]) -> tuple[Any, dict[str, np.ndarray]]:
        if self._features is None:
            raise PolicyQuantError("this coder has not been trained: build it with train() or load()")
        matrix = self._features.transform(texts)
        return matrix, {field: model.probabilities(matrix) for field, model in self._models.items()}

    def suggest(self, units: Any, top: int = 3) -> Suggestions:
        """Suggest the ``top`` most probable codes per unit and field, with their probabilities.

        Parameters
        ----------
        units : Corpus, Segmentation or DataFrame
            The clauses (see :func:`~policyquant.coders.units_frame`).
        top : int, default 3
            How many codes to suggest per unit and field.  For the
            objectives, every objective with a probability of 0.5 or more is
            chosen (at least the likeliest one when every training clause
            had an objective), even beyond ``top``.

        Returns
        -------
        Suggestions
            ``score`` is the model's probability: for the instrument and the
            scores, a distribution over the codes (summing to 1 over all
            codes of a unit); for each objective, the probability that it is
            present.  ``evidence`` names the n-grams that weigh most for the
            rank-1 code.  A unit without text is not suggested anything and
            is listed in ``problems`` (problem ``"no text"``).

        Examples
        --------
        >>> import pandas as pd
        >>> import policyquant as pq
        >>> from policyquant.coders import train
        >>> coder = train(pq.datasets.load_genai_china(), fields=("instrument",))
        >>> units = pd.DataFrame({"unit_id": ["a", "b"], "text": ["开展试点示范工作。", ""]})
        >>> found = coder.suggest(units, top=1)
        >>> found.frame[["unit_id", "code"]].to_numpy().tolist()
        [['a', 'pilots_and_demonstrations']]
        >>> found.problems[["unit_id", "problem"]].to_numpy().tolist()
        [['b', 'no text']]
        """
        if isinstance(top, bool) or not isinstance(top, int | np.integer) or top < 1:
            raise ValidationError(f"suggest(): top must be a whole number of 1 or more, got {top!r}")
        frame = units_frame(units, function="suggest")
        ids = frame["unit_id"].to_numpy(dtype=object)
        blank = (frame["text"].str.strip() == "").to_numpy(dtype=bool)
        texts = frame["text"].to_numpy(dtype=object)
        problems = pd.DataFrame(
            {
                "unit_id": np.repeat(ids[blank], len(self.fields)),
                "field": np.tile(np.asarray(self.fields, dtype=object), int(blank.sum())),
                "problem": "no text",
                "message": "the unit has no text to suggest codes from",
            }
        )
        rows = np.flatnonzero(~blank)
        parts = []
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            parts.append(self._suggestion_rows(ids[chunk], texts[chunk].tolist(), int(top)))
        columns = ["unit_id", "field", "code", "score", "evidence", "rank", "chosen"]
        found = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
        if len(found) and "instrument" in self.fields:
            from ..corpus import NO_INSTRUMENT

            top_none = (found["field"] == "instrument") & (found["rank"] == 1) & (found["code"] == NO_INSTRUMENT)
            none = found.loc[top_none, "unit_id"].to_numpy(dtype=object)
            others = [field for field in self.fields if field != "instrument"]
            problems = pd.concat(
                [
                    problems,
                    pd.DataFrame(
                        {
                            "unit_id": np.repeat(none, len(others)),
                            "field": np.tile(np.asarray(others, dtype=object), len(none)),
                            "problem": "not coded",
                            "message": "the suggested instrument is none: a clause without an instrument has no other codes",
                        }
                    ),
                ],
                ignore_index=True,
            )
        return Suggestions.build(
            found, coder=self.name, framework=self.framework, unit_ids=ids, fields=self.fields, problems=problems
        )

    def _suggestion_rows(self, ids: np.ndarray, texts: list[str], top: int) -> pd.DataFrame:
        matrix, probabilities = self._probabilities(texts)
        parts = []
        for field in self.fields:
            model = self._models[field]
            p = probabilities[field]
            order = np.argsort(-p, axis=1, kind="stable")
            ranked = np.take_along_axis(p, order, axis=1)
            if model.kind == "multi":
                chosen_matrix = np.take_along_axis(model.decide(p), order, axis=1)
                keep = (np.arange(p.shape[1])[None, :] < top) | chosen_matrix
            else:
                chosen_matrix = np.zeros_like(ranked, dtype=bool)
                chosen_matrix[:, 0] = True
                keep = np.arange(p.shape[1])[None, :] < min(top, p.shape[1])
                keep = np.broadcast_to(keep, p.shape)
            unit, position = np.nonzero(keep)
            classes = np.asarray([str(c) for c in model.classes], dtype=object)
            evidence = np.full(len(unit), "", dtype=object)
            first = position == 0
            evidence[first] = _evidence(matrix, model.weights(), order[:, 0], self._features)
            parts.append(
                pd.DataFrame(
                    {
                        "unit_id": ids[unit],
                        "field": field,
                        "code": classes[order[unit, position]],
                        "score": ranked[unit, position],
                        "evidence": evidence,
                        "rank": position + 1,
                        "chosen": chosen_matrix[unit, position],
                    }
                )
            )
        rows = pd.concat(parts, ignore_index=True)
        if "instrument" in probabilities and len(self.fields) > 1:
            from ..corpus import NO_INSTRUMENT

            none = rows.loc[(rows["field"] == "instrument") & (rows["rank"] == 1) & (rows["code"] == NO_INSTRUMENT), "unit_id"]
            # A clause without an instrument carries no other code (as a human codes it): suggested, never chosen.
            rows.loc[rows["unit_id"].isin(none) & (rows["field"] != "instrument"), "chosen"] = False
        return rows

    # -- evaluation --------------------------------------------------------------------------

    def evaluate(self, cv: int = 5, seed: int = 0, *, corpus: Any = None) -> CoderEvaluation:
        """Cross-validate the coder and score it as one more coder: Krippendorff's alpha against the human codes.

        The units are split into ``cv`` folds (stratified by instrument, or
        by the first single-code field, when one of its codes has at least
        ``cv`` units; else shuffled folds, after the warning below);
        each fold is coded by a coder trained, with the same options, on the
        other folds only (vocabulary and idf weights included), and by a
        majority-class baseline that always answers the training folds' most
        frequent code (for the objectives: each objective present in more
        than half of the training units, at least the most frequent one).
        The out-of-fold codes of every unit are then compared with the human
        codes.

        Parameters
        ----------
        cv : int, default 5
            Number of folds.
        seed : int, default 0
            Seed of the fold assignment.
        corpus : Corpus, optional
            The coded corpus to cross-validate on; by default the one the
            coder was trained on (a loaded coder has none: pass it).

        Returns
        -------
        CoderEvaluation

        Raises
        ------
        ValidationError
            If ``cv`` is not a whole number from 2 to the number of units.

        Warns
        -----
        UserWarning
            When a code of a field has fewer than ``cv`` units (usual in real
            codings: a rare instrument).  It is still evaluated: in the folds
            whose training units lack it the coder cannot suggest it, as a
            coder who never saw it, and its recall in :attr:`CoderEvaluation.precision_recall`
            shows that.  The warning names the field and its class counts.

        Examples
        --------
        >>> import policyquant as pq
        >>> from policyquant.coders import train
        >>> coder = train(pq.datasets.load_genai_china(), fields=("instrument", "AS"))
        >>> evaluation = coder.evaluate(cv=5, seed=0)
        >>> evaluation.frame[["alpha", "baseline_alpha"]].round(2)
                    alpha  baseline_alpha
        dimension
        instrument   0.81           -0.28
        AS           0.65           -0.05
        """
        if isinstance(cv, bool) or not isinstance(cv, int | np.integer):
            raise ValidationError(f"evaluate(): cv must be a whole number of folds, got {cv!r}")
        if corpus is None:
            training = self._training
            if training is None:
                raise ValidationError(
                    "evaluate(): this coder was loaded from a file and has no training data; "
                    "pass the coded corpus to cross-validate on: evaluate(corpus=...)"
                )
        else:
            training = _training_data(corpus, self.fields, "evaluate")
            _check_learnable(training, self.fields, "evaluate")
        n = len(training.unit_ids)
        if cv < 2 or cv > n:
            raise ValidationError(f"evaluate(): cv must be from 2 to the number of units ({n}), got {cv}")
        for field in self.fields:
            counts = _class_counts(training, field)
            counts = counts[counts > 0]
            if training.targets[field].ndim == 2:
                absent = training.has[field].sum() - counts
                rare = counts[(counts < cv) | (absent < cv)]
            else:
                rare = counts[counts < cv]
            if len(rare):
                # Real codings have rare codes; refusing would leave a researcher no evaluation at all.
                warnings.warn(
                    f"evaluate(cv={cv}): field {field!r} has codes with fewer than {cv} units: "
                    f"{_describe_counts(rare)} (all codes: {_describe_counts(counts)}); in the folds whose "
                    "training units lack such a code the coder cannot suggest it, as a coder who never saw it "
                    "(their recall shows it); lower cv, or merge codes, for a steadier estimate",
                    UserWarning,
                    stacklevel=2,
                )
        folds = _folds(training, self.fields, cv, seed)
        machine = {field: _empty_like(training.targets[field]) for field in self.fields}
        baseline = {field: _empty_like(training.targets[field]) for field in self.fields}
        for fold in range(cv):
            test = np.flatnonzero(folds == fold)
            learn = np.flatnonzero(folds != fold)
            features, models = self._fitted(training, learn)
            matrix = features.transform([training.texts[i] for i in test])
            for field in self.fields:
                model = models[field]
                machine[field][test] = model.decide(model.probabilities(matrix))
                baseline[field][test] = _majority(training, field, learn)
        return CoderEvaluation._build(self, training, folds, machine, baseline, cv, seed)

    # -- saving and loading ------------------------------------------------------------------

    def save(self, path: str | PathLike[str]) -> Path:
        """Save the coder to a folder of JSON and ``.npz`` arrays that :func:`load` reads back.

        Nothing in the folder is code: ``manifest.json`` (what the coder is,
        for which framework and version, with which library versions, and the
        SHA-256 of the other files), ``model.json`` (fields, classes, options)
        and ``arrays.npz`` (the vocabulary, the idf weights and each field's
        coefficients, stored without pickle).

        Parameters
        ----------
        path : str or path-like
            The folder (created if needed).  A folder that holds other files
            and no saved coder is refused rather than mixed with the coder's.

        Returns
        -------
        pathlib.Path
            The folder.

        Examples
        --------
        >>> import tempfile
        >>> import policyquant as pq
        >>> from policyquant.coders.supervised import train, load
        >>> corpus = pq.datasets.load_genai_china()
        >>> coder = train(corpus, fields=("instrument",))
        >>> folder = coder.save(tempfile.mkdtemp() + "/coder")
        >>> sorted(p.name for p in folder.iterdir())
        ['arrays.npz', 'manifest.json', 'model.json']
        >>> load(folder).suggest(corpus.units.head(3)).frame.equals(coder.suggest(corpus.units.head(3)).frame)
        True
        """
        from .. import __version__

        if self._features is None:
            raise PolicyQuantError("this coder has not been trained: nothing to save")
        folder = Path(path)
        if folder.exists() and not folder.is_dir():
            raise ValidationError(f"{folder}: is a file; a coder is saved to a folder")
        if folder.is_dir() and any(folder.iterdir()) and not (folder / _MANIFEST).is_file():
            raise ValidationError(
                f"{folder}: the folder holds other files and no saved coder; save the coder to an empty or new folder"
            )
        folder.mkdir(parents=True, exist_ok=True)
        features = self._features
        arrays = {"terms": np.asarray(features.terms, dtype=str), "idf": features.idf}
        model = {"fields": list(self.fields), "options": self.options, "models": {}}
        for index, field in enumerate(self.fields):
            field_model = self._models[field]
            arrays[f"coef_{index}"] = field_model.coef
            arrays[f"intercept_{index}"] = field_model.intercept
            model["models"][field] = {
                "kind": field_model.kind,
                "classes": field_model.classes,
                "at_least_one": field_model.at_least_one,
                "arrays": [f"coef_{index}", f"intercept_{index}"],
            }
        # Each file is written whole or not at all, and the manifest last: its checksums tell
        # load() whether the two files beside it are the ones it was written with.
        from .._files import write_bytes, write_text

        write_bytes(folder / _ARRAYS_FILE, lambda handle: np.savez_compressed(handle, **arrays))
        write_text(folder / _MODEL_FILE, json.dumps(model, ensure_ascii=False, indent=1))
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "coder": self.name,
            "framework": self.framework.name,
            "framework_version": self.framework.version,
            "fields": list(self.fields),
            "policyquant": __version__,
            "scikit-learn": _sklearn().__version__,
            "numpy": np.__version__,
            "sha256": {name: _sha256(folder / name) for name in (_MODEL_FILE, _ARRAYS_FILE)},
        }
        write_text(folder / _MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
        return folder

    @classmethod
    def from_options(cls, framework: str | Framework = "wang2026", *, path: Any = None, corpus: Any = None, **options: Any) -> SupervisedCoder:
        """The factory registered as ``"tfidf-linear"``: load a saved coder (``path=``) or train one (``corpus=``).

        Examples
        --------
        >>> import policyquant as pq
        >>> from policyquant.coders.supervised import SupervisedCoder
        >>> SupervisedCoder.from_options(corpus=pq.datasets.load_genai_china(), fields=["instrument"])
        <SupervisedCoder 'tfidf-linear': framework 'wang2026', fields ['instrument']>
        """
        if (path is None) == (corpus is None):
            raise ValidationError(
                "the tfidf-linear coder is either loaded from a saved folder (path=...) or trained on a coded corpus "
                "(corpus=...): give one of them"
            )
        if path is not None:
            return load(path, framework=framework)
        corpus_framework = corpus.framework if hasattr(corpus, "framework") else None
        if corpus_framework is not None and get_framework(framework).name != corpus_framework.name:
            raise ValidationError(
                f"the corpus is coded with framework {corpus_framework.name!r}, not {get_framework(framework).name!r}"
            )
        return train(corpus, **options)

    def __repr__(self) -> str:
        return f"<SupervisedCoder {self.name!r}: framework {self.framework.name!r}, fields {list(self.fields)}>"


def _empty_like(target: np.ndarray) -> np.ndarray:
    if target.ndim == 2:
        return np.zeros_like(target, dtype=bool)
    return np.full(len(target), None, dtype=object)


def _folds(training: _Training, fields: Sequence[str], cv: int, seed: int) -> np.ndarray:
    """The fold of each unit: stratified by the first single-code field (the instrument) when there is one.

    Stratifying needs one code with at least ``cv`` units; without one (a small corpus, many codes)
    the folds are plain shuffled ones, with the same seed: evaluate() has warned about the rare codes.
    """
    from sklearn.model_selection import KFold, StratifiedKFold

    n = len(training.unit_ids)
    folds = np.empty(n, dtype=np.int64)
    strata = next((f for f in fields if training.targets[f].ndim == 1 and training.has[f].all()), None)
    if strata is not None and pd.Series(training.targets[strata].astype(str)).value_counts().max() < cv:
        strata = None
    if strata is not None:
        labels = training.targets[strata].astype(str)
        with warnings.catch_warnings():
            # Codes rarer than the folds are warned about once, by evaluate(), in the coder's terms.
            warnings.filterwarnings("ignore", message="The least populated class", category=UserWarning)
            splits = list(StratifiedKFold(n_splits=cv, shuffle=True, random_state=seed).split(np.zeros(n), labels))
    else:
        splits = KFold(n_splits=cv, shuffle=True, random_state=seed).split(np.zeros(n))
    for fold, (_, test) in enumerate(splits):
        folds[test] = fold
    return folds


def _majority(training: _Training, field: str, learn: np.ndarray) -> Any:
    """The baseline's answer: the training units' most frequent code (ties: the framework's order)."""
    target = training.targets[field][learn]
    if target.ndim == 2:
        coded = training.targets[field][training.has[field]]
        share = target[training.has[field][learn]].mean(axis=0)
        answer = share > 0.5
        if not answer.any() and coded.any(axis=1).all():
            answer[int(np.argmax(share))] = True
        return answer
    counts = pd.Series(target[training.has[field][learn]]).value_counts()
    counts = counts.reindex([c for c in training.classes[field] if c in counts.index])
    return counts.index[int(np.argmax(counts.to_numpy()))]


def _evidence(matrix: Any, weights: np.ndarray, best: np.ndarray, features: _Features, terms: int = 3) -> np.ndarray:
    """Per unit, the n-grams of its text that weigh most for its rank-1 code, joined by " | "."""
    matrix = matrix.tocsr()
    n = matrix.shape[0]
    result = np.full(n, "", dtype=object)
    row = np.repeat(np.arange(n), np.diff(matrix.indptr))
    contribution = matrix.data * weights[best[row], matrix.indices]
    keep = (contribution > 0) & (features.stripped_terms[matrix.indices] != "")
    row, contribution, column = row[keep], contribution[keep], matrix.indices[keep]
    # A stable sort by unit, then by falling contribution; ties keep the column order of the CSR rows,
    # so that the evidence of a clause never depends on the other clauses asked about with it.
    order = np.lexsort((-contribution, row))
    row, column = row[order], column[order]
    position = np.arange(len(row)) - np.searchsorted(row, row, side="left")
    take = position < terms
    vocabulary = features.stripped_terms
    # The best n-grams of a unit hold positions 0, 1, 2: joined column by column, not unit by unit.
    for place in range(terms):
        at = take & (position == place)
        words = vocabulary[column[at]]
        result[row[at]] = words if place == 0 else result[row[at]] + " | " + words
    return result


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _load_error(folder: Path, message: str) -> ReadError:
    return ReadError(f"{folder}: {message}")


def load(path: str | PathLike[str], framework: str | Framework | None = None) -> SupervisedCoder:
    """Load a coder saved by :meth:`SupervisedCoder.save`, checking what it was saved for.

    Only JSON and ``.npz`` arrays are read (``allow_pickle=False``):
    loading a coder executes nothing from its files.

    Parameters
    ----------
    path : str or path-like
        The folder the coder was saved to.
    framework : str or Framework, optional
        The framework the coder must belong to; by default the one it was
        saved for (which must be installed, at the same version).

    Returns
    -------
    SupervisedCoder

    Raises
    ------
    ReadError
        If the folder holds no saved coder, a file is missing, damaged or
        changed since it was saved (checksums), the coder is of another kind,
        was saved by a newer layout, for another framework or another
        version of it, or with another major version of scikit-learn (whose
        n-gram analysis it relies on).

    Examples
    --------
    >>> import tempfile
    >>> import policyquant as pq
    >>> from policyquant.coders.supervised import train, load
    >>> folder = train(pq.datasets.load_genai_china(), fields=("AS",)).save(tempfile.mkdtemp())
    >>> load(folder)
    <SupervisedCoder 'tfidf-linear': framework 'wang2026', fields ['AS']>
    >>> load(folder, framework="peng2008")
    Traceback (most recent call last):
    ...
    policyquant.errors.ReadError: ...: the coder was trained for framework 'wang2026', not 'peng2008'; ...
    """
    folder = Path(path)
    manifest_path = folder / _MANIFEST
    if not manifest_path.is_file():
        raise _load_error(folder, f"no saved coder here (no {_MANIFEST}); save one with coder.save(folder)")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise _load_error(folder, f"{_MANIFEST} is not readable JSON ({error})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _load_error(folder, f"{_MANIFEST} does not describe a policyquant coder")
    if manifest.get("coder") != MODEL:
        raise _load_error(
            folder, f"the saved coder is {manifest.get('coder')!r}, not {MODEL!r}; load it with get_coder({manifest.get('coder')!r}, ...)"
        )
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION or version < 1:
        raise _load_error(
            folder,
            f"the coder was saved in layout {version!r} by policyquant {manifest.get('policyquant')}; this policyquant "
            f"reads layout {FORMAT_VERSION}: upgrade policyquant, or train the coder again",
        )
    saved_name, saved_version = manifest.get("framework"), manifest.get("framework_version")
    try:
        installed = get_framework(saved_name if framework is None else framework)
    except PolicyQuantError as error:
        raise _load_error(folder, f"the coder was trained for framework {saved_name!r}, which is not available: {error}") from None
    if installed.name != saved_name:
        raise _load_error(
            folder,
            f"the coder was trained for framework {saved_name!r}, not {installed.name!r}; "
            f"its codes mean nothing under another framework: train a coder on a corpus coded with {installed.name!r}",
        )
    if installed.version != saved_version:
        raise _load_error(
            folder,
            f"the coder was trained for framework {saved_name!r} version {saved_version!r}, but version "
            f"{installed.version!r} is installed; its codes may have changed: train the coder again",
        )
    saved_sklearn = str(manifest.get("scikit-learn", ""))
    here = _sklearn().__version__
    if saved_sklearn.split(".")[0] != here.split(".")[0]:
        raise _load_error(
            folder,
            f"the coder was saved with scikit-learn {saved_sklearn or '(unknown)'}, and scikit-learn {here} is "
            "installed; its n-gram analysis may differ across major versions: install scikit-learn "
            f"{saved_sklearn.split('.')[0]}.x or train the coder again",
        )
    checksums = manifest.get("sha256")
    for name in (_MODEL_FILE, _ARRAYS_FILE):
        if not (folder / name).is_file():
            raise _load_error(folder, f"{name} is missing")
        if not isinstance(checksums, dict) or checksums.get(name) != _sha256(folder / name):
            raise _load_error(folder, f"{name} has changed since the coder was saved (its checksum differs)")
    try:
        model = json.loads((folder / _MODEL_FILE).read_text(encoding="utf-8"))
        with np.load(folder / _ARRAYS_FILE, allow_pickle=False) as stored:
            arrays = {key: stored[key] for key in stored.files}
        options = model["options"]
        _check_saved_options(options)
        fields = list(model["fields"])
        coder = SupervisedCoder(installed, fields=fields, options=options)
        terms, idf = arrays["terms"], arrays["idf"]
        if terms.ndim != 1 or idf.shape != terms.shape:
            raise ValueError("vocabulary and idf weights differ in length")
        if not len(terms) or terms.dtype.kind != "U" or idf.dtype.kind != "f":
            raise ValueError("the vocabulary must be a non-empty array of text, and its idf weights numbers")
        coder._features = _Features(
            terms.tolist(), idf, options["analyzer"], tuple(options["ngram_range"]), options["sublinear_tf"]
        )
        for field in coder.fields:
            entry = model["models"][field]
            coef, intercept = (arrays[name] for name in entry["arrays"])
            classes = entry["classes"]
            if coef.ndim != 2 or coef.shape[1] != len(terms) or intercept.shape != (coef.shape[0],):
                raise ValueError(f"the coefficients of {field!r} do not fit the vocabulary")
            if coef.dtype.kind != "f" or intercept.dtype.kind != "f":
                raise ValueError(f"the coefficients of {field!r} are not numbers")
            # The kind follows from the field, as train() sets it: only the objectives are several codes.
            kind = _kind(field)
            if entry["kind"] != kind:
                raise ValueError(f"the model of {field!r} has kind {entry['kind']!r}, expected {kind!r}")
            allowed = _field_classes(installed, field)
            unknown = [c for c in classes if c not in allowed]
            if unknown:
                raise ValueError(f"{field!r} has codes the framework does not know: {format_choices(map(str, unknown))}")
            coder._models[field] = _FieldModel(
                field, entry["kind"], classes, coef, intercept, at_least_one=bool(entry.get("at_least_one"))
            )
    except (KeyError, TypeError, ValueError, OSError, EOFError, zipfile.BadZipFile) as error:
        raise _load_error(folder, f"the saved coder is damaged: {error}") from None
    return coder


def _check_saved_options(options: Any) -> None:
    """The training options read back from model.json, checked as train() checks them (ValueError)."""
    if not isinstance(options, dict):
        raise ValueError(f"options must be a mapping, got {options!r}")
    analyzer = options["analyzer"]
    if analyzer not in ("char_wb", "char"):
        raise ValueError(f"options: analyzer must be 'char_wb' or 'char', got {analyzer!r}")
    ngram = options["ngram_range"]
    ok = (
        isinstance(ngram, list | tuple)
        and len(ngram) == 2
        and all(isinstance(n, int) and not isinstance(n, bool) for n in ngram)
        and 1 <= ngram[0] <= ngram[1] <= 8
    )
    if not ok:
        raise ValueError(f"options: ngram_range must be two whole numbers (low, high) with 1 <= low <= high <= 8, got {ngram!r}")
    if not isinstance(options["sublinear_tf"], bool):
        raise ValueError(f"options: sublinear_tf must be true or false, got {options['sublinear_tf']!r}")


# -- evaluation result --------------------------------------------------------------------------

_COLUMN_TITLES_ZH = {
    "measurement": "测量层次",
    "units": "单元数",
    "alpha": "α（模型）",
    "baseline_alpha": "α（多数类基线）",
    "agreement": "一致率（模型）",
    "baseline_agreement": "一致率（多数类基线）",
    "precision": "精确率",
    "recall": "召回率",
    "f1": "F1",
    "support": "人工编码数",
    "baseline_precision": "精确率（基线）",
    "baseline_recall": "召回率（基线）",
}


class CoderEvaluation(FrameResult):
    """A machine coder cross-validated against human codes, next to a majority-class baseline.

    :attr:`frame` has one row per coded dimension, named as in
    :func:`~policyquant.reliability.agreement_report` (``instrument``,
    ``objective:<key>`` for each objective as a present/absent decision,
    ``objectives`` for all of them pooled, each score): ``measurement``
    (nominal, or ordinal for scores), ``units``, ``alpha`` (Krippendorff's
    alpha, machine vs human), ``baseline_alpha``, ``agreement`` and
    ``baseline_agreement`` (shares of units coded alike).  The pooled
    ``objectives`` row rewards a baseline for knowing which objectives are
    common (its alpha can be above 0); judge the objectives by their own rows.

    Attributes
    ----------
    precision_recall : pandas.DataFrame
        Per instrument the human codes: ``precision``, ``recall``, ``f1``,
        ``support`` (units the humans coded with it), and the baseline's
        precision and recall.  A precision with no machine code of that
        instrument is NaN, not 0.
    confusion, baseline_confusion : pandas.DataFrame
        Instrument codes, human (rows) x machine (columns), of the model and
        of the baseline.
    predictions : pandas.DataFrame
        Per unit: ``unit_id``, ``fold``, and per field the human, machine and
        baseline codes (``<field>_human`` ...).
    folds : numpy.ndarray
        The fold of each unit, in the order of ``predictions``.
    cv, seed : int

    Examples
    --------
    >>> import policyquant as pq
    >>> from policyquant.coders import train
    >>> evaluation = train(pq.datasets.load_genai_china(), fields=("instrument",)).evaluate(cv=3)
    >>> evaluation.to_frame(language="zh").columns[:3].tolist()
    ['测量层次', '单元数', 'α（模型）']
    >>> fig = evaluation.figure()
    >>> [ax.get_title() for ax in fig.axes[:2]]
    ['tfidf-linear', 'Majority-class baseline']
    """

    def __init__(self, frame: pd.DataFrame, **parts: Any) -> None:
        super().__init__(frame, decimals=3)
        self.framework: Framework = parts["framework"]
        self.coder: str = parts["coder"]
        self.precision_recall: pd.DataFrame = parts["precision_recall"]
        self.confusion: pd.DataFrame = parts["confusion"]
        self.baseline_confusion: pd.DataFrame = parts["baseline_confusion"]
        self.predictions: pd.DataFrame = parts["predictions"]
        self.folds: np.ndarray = parts["folds"]
        self.cv: int = parts["cv"]
        self.seed: int = parts["seed"]

    def to_frame(self, language: str | None = None) -> pd.DataFrame:
        """The alpha table; with ``language="zh"``, dimensions and columns titled in Chinese."""
        from .._language import dimension_label, is_chinese, resolve_language

        code = resolve_language(language)
        if not is_chinese(code):
            return self.frame
        frame = self.frame.copy()
        frame.index = pd.Index(
            [
                "政策目标（合并）" if name == "objectives" else dimension_label(self.framework, name, code)
                for name in frame.index
            ],
            name="维度",
        )
        frame["measurement"] = frame["measurement"].map({"nominal": "定类", "ordinal": "定序"})
        return frame.rename(columns=_COLUMN_TITLES_ZH)

    def figure(self, *, language: str | None = None, font: str | None = None, shares: bool = True) -> Any:
        """The confusion matrices of the instrument, model and baseline side by side.

        See :func:`policyquant.coders.figures.confusion_matrix_plot`.
        """
        from .figures import confusion_pair

        return confusion_pair(self, language=language, font=font, shares=shares)

    @classmethod
    def _build(
        cls,
        coder: SupervisedCoder,
        training: _Training,
        folds: np.ndarray,
        machine: dict[str, np.ndarray],
        baseline: dict[str, np.ndarray],
        cv: int,
        seed: int,
    ) -> CoderEvaluation:
        framework = coder.framework
        rows = []
        predictions = pd.DataFrame({"unit_id": training.unit_ids, "fold": folds})
        for field in coder.fields:
            human = training.targets[field]
            has = training.has[field]
            if human.ndim == 2:
                keys = training.classes[field]
                ours, base, theirs = machine[field][has], baseline[field][has], human[has]
                for index, key in enumerate(keys):
                    rows.append(_alpha_row(f"objective:{key}", theirs[:, index], ours[:, index], base[:, index], "nominal"))
                rows.append(_alpha_row("objectives", theirs.ravel(), ours.ravel(), base.ravel(), "nominal"))
                as_text = np.asarray(keys, dtype=object)
                for name, values in (("human", human), ("machine", machine[field]), ("baseline", baseline[field])):
                    predictions[f"{field}_{name}"] = ["; ".join(as_text[row]) for row in values]
                continue
            measurement = "nominal" if field == "instrument" else "ordinal"
            values = _field_classes(framework, field) if measurement == "ordinal" else None
            rows.append(
                _alpha_row(field, human[has], machine[field][has], baseline[field][has], measurement, values=values)
            )
            for name, column in (("human", human), ("machine", machine[field]), ("baseline", baseline[field])):
                predictions[f"{field}_{name}"] = pd.array(column, dtype=object)
        table = pd.DataFrame(rows).set_index("dimension")
        if "instrument" in coder.fields:
            has = training.has["instrument"]
            order = [c for c in _field_classes(framework, "instrument")]
            human = training.targets["instrument"][has]
            confusion = _confusion(human, machine["instrument"][has], order)
            baseline_confusion = _confusion(human, baseline["instrument"][has], order)
            precision_recall = _precision_recall(confusion, baseline_confusion)
        else:
            confusion = baseline_confusion = precision_recall = pd.DataFrame()
        return cls(
            table,
            framework=framework,
            coder=coder.name,
            precision_recall=precision_recall,
            confusion=confusion,
            baseline_confusion=baseline_confusion,
            predictions=predictions,
            folds=folds,
            cv=cv,
            seed=seed,
        )


def _alpha(human: np.ndarray, other: np.ndarray, measurement: str, values: Sequence[Any] | None) -> float:
    from ..reliability import krippendorff_alpha

    data = pd.DataFrame([list(human), list(other)], index=["human", "machine"], dtype=object)
    try:
        return float(krippendorff_alpha(data, measurement, values=values).alpha)
    except ValidationError:
        # Nothing pairable or one category only: alpha is undefined, not an error of the coder.
        return float("nan")


def _alpha_row(
    name: str, human: np.ndarray, machine: np.ndarray, baseline: np.ndarray, measurement: str, values: Sequence[Any] | None = None
) -> dict[str, Any]:
    human, machine, baseline = (np.asarray(v, dtype=object) for v in (human, machine, baseline))
    return {
        "dimension": name,
        "measurement": measurement,
        "units": len(human),
        "alpha": _alpha(human, machine, measurement, values),
        "baseline_alpha": _alpha(human, baseline, measurement, values),
        "agreement": float(np.mean(human == machine)) if len(human) else float("nan"),
        "baseline_agreement": float(np.mean(human == baseline)) if len(human) else float("nan"),
    }


def _confusion(human: np.ndarray, machine: np.ndarray, order: Sequence[str]) -> pd.DataFrame:
    present = set(human.tolist()) | set(machine.tolist())
    keys = [key for key in order if key in present]
    table = pd.crosstab(
        pd.Categorical(human, categories=keys), pd.Categorical(machine, categories=keys), dropna=False
    )
    table.index = pd.Index(keys, name="human")
    table.columns = pd.Index(keys, name="machine")
    return table.astype("int64")


def _precision_recall(confusion: pd.DataFrame, baseline: pd.DataFrame) -> pd.DataFrame:
    def scores(table: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        counts = table.to_numpy(dtype=np.float64)
        hits = np.diag(counts)
        with np.errstate(invalid="ignore", divide="ignore"):
            return hits / counts.sum(axis=0), hits / counts.sum(axis=1)

    precision, recall = scores(confusion)
    base_precision, base_recall = scores(baseline.reindex(index=confusion.index, columns=confusion.columns, fill_value=0))
    with np.errstate(invalid="ignore", divide="ignore"):
        f1 = 2 * precision * recall / (precision + recall)
    frame = pd.DataFrame(
        {
            "precision": precision,
            "recall": recall,
            "f1": f1,
            "support": confusion.sum(axis=1).to_numpy(),
            "baseline_precision": base_precision,
            "baseline_recall": base_recall,
        },
        index=pd.Index(confusion.index, name="instrument"),
    )
    return frame[frame["support"] > 0]


@hookimpl
def policyquant_register_coders(register: Any) -> None:
    """Register ``"tfidf-linear"``: trained on a corpus (``corpus=``) or loaded from a folder (``path=``).

    Examples
    --------
    >>> registered = {}
    >>> policyquant_register_coders(lambda name, factory: registered.setdefault(name, factory))
    >>> sorted(registered)
    ['tfidf-linear']
    """
    register(MODEL, SupervisedCoder.from_options)

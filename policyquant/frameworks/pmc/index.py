"""The PMC index and scale: variables, bands, grades, parsing and the plugin hooks."""

from __future__ import annotations

import itertools
import keyword
import math
import numbers
import re
import unicodedata
import warnings
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import pandas as pd

from ..._text import closest, format_choices, normalize_name
from ...errors import InvalidFrameworkError, ScoreError, ValidationError
from ...hookspecs import hookimpl
from ...model import Dimension, EfficacyScale, Framework, LabelMap, Level

#: Citation of the PMC index.
PMC_CITATION = (
    "Ruiz Estrada, M. A. (2011). Policy modeling: Definition, classification and evaluation. "
    "Journal of Policy Modeling, 33(4), 523-536. https://doi.org/10.1016/j.jpolmod.2011.02.003"
)

#: The published grades, best first, with the Chinese terms of PMC studies.
GRADE_LABELS: Mapping[str, str] = {
    "Perfect": "完美",
    "Excellent": "优秀",
    "Acceptable": "可接受",
    "Bad": "不良",
}

#: Published grade bands by number of first-level variables: (grade, lowest PMC, highest PMC).
_PRESETS: dict[int, tuple[tuple[str, float, float], ...]] = {
    10: (("Bad", 0, 4.99), ("Acceptable", 5, 6.99), ("Excellent", 7, 8.99), ("Perfect", 9, 10)),
    9: (("Bad", 0, 3.99), ("Acceptable", 4, 5.99), ("Excellent", 6, 7.99), ("Perfect", 8, 9)),
}

#: The widest gap allowed between one band's upper bound and the next band's lower bound
#: (published bands are written 5-6.99, 7-8.99: a gap of 0.01).
_BAND_GAP = 0.01

#: Decimals PMC values are rounded to before grading, so that float sums such as
#: 1/3 + 1/3 + 1/3 land on the band edge they equal.
_GRADE_DECIMALS = 9

#: A guard on memory: a validation error lists every offending value up to this many (about
#: 100 bytes each); past it, its message says how many it found and that it listed the first.
MAX_PROBLEMS = 1_000_000

#: Output columns of :meth:`PMCIndex.score` besides the variables.
_RESULT_COLUMNS = ("PMC", "concavity", "grade")

_SEPARATORS = "_.:\\-\u2010\u2011\u2013"
# A label may follow the number after a space or in brackets ("X1_1 predictive", "X1_1（预测）"):
# the headers of the PMC template carry one, so that a coder sees what each column means.
_SUB_VARIABLE = re.compile(rf"^x\s*(\d+)\s*[{_SEPARATORS}]\s*(\d+)(?:\s+\S.*|\s*\(.*)?$", re.DOTALL)
_NEAR_MISS = re.compile(rf"^x[\s{_SEPARATORS}]*\d")
_FIRST_LEVEL = re.compile(r"^x\s*(\d+)$")

#: Row labels of :meth:`PMCIndex.compare` and figure texts, by language.
_TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "PMC": "PMC",
        "concavity": "concavity",
        "rank": "rank",
        "grade": "grade",
        "mean": "mean",
        "variable": "variable",
        "surface_title": "PMC surface",
        "surface_title_of": "PMC surface: {}",
        "radar_title": "PMC index by first-level variable",
        "legend": "{policy} (PMC = {pmc:.2f}, {grade})",
        "legend_ungraded": "{policy} (PMC = {pmc:.2f})",
        "policy": "Policy",
        "column": "Column",
        "row": "Row",
        "score": "Score",
    },
    "zh": {
        "PMC": "PMC指数",
        "concavity": "凹陷指数",
        "rank": "排名",
        "grade": "等级",
        "mean": "均值",
        "variable": "变量",
        "surface_title": "PMC曲面图",
        "surface_title_of": "{}的PMC曲面图",
        "radar_title": "一级变量的PMC指数雷达图",
        "legend": "{policy}（PMC = {pmc:.2f}，{grade}）",
        "legend_ungraded": "{policy}（PMC = {pmc:.2f}）",
        "policy": "政策",
        "column": "列",
        "row": "行",
        "score": "得分",
    },
}


class PMCWarning(UserWarning):
    """A column looks almost like a PMC sub-variable (``X1_a``, ``X1``) but is not one, and is ignored.

    Examples
    --------
    >>> import warnings
    >>> from policyquant.frameworks.pmc import PMCIndex, PMCWarning
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     index = PMCIndex.from_columns(["X1_1", "X1_a"])
    >>> caught[0].category is PMCWarning
    True
    """


def _language_key(language: str | None) -> str | None:
    if language is None:
        return None
    if not isinstance(language, str) or not language.strip():
        raise ValidationError(
            f"language must be a language code such as 'en' or 'zh', or None; got {language!r}"
        )
    return language


def _text(key: str, language: str | None) -> str:
    table = _TEXTS.get(language or "en") or _TEXTS.get((language or "en").lower().split("-")[0].split("_")[0])
    return (table or _TEXTS["en"])[key]


# --------------------------------------------------------------------------
# Grade bands.


def _check_number(instance: Any, attribute: attrs.Attribute, value: Any) -> None:
    if value is None and attribute.name == "upper":
        return
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(float(value)):
        raise InvalidFrameworkError(
            f"PMC grade band {getattr(instance, 'label', '')!r}: {attribute.name} must be a finite number, "
            f"got {value!r}"
        )


def _to_number(value: Any) -> Any:
    if isinstance(value, (np.integer, np.floating)):
        return value.item()
    return value


def _default_band_labels(value: Any) -> LabelMap:
    if value is not None:
        return value if isinstance(value, LabelMap) else _as_label_map(value)
    return LabelMap()


def _as_label_map(value: Any) -> LabelMap:
    if not isinstance(value, Mapping):
        raise InvalidFrameworkError(f"labels must map a language code to a label, got {value!r}")
    return LabelMap(value)


def _check_band_label(instance: Any, attribute: attrs.Attribute, value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidFrameworkError(f"a PMC grade band needs a label (non-empty text), got {value!r}")


@attrs.frozen
class PMCBand:
    """One grade of the PMC index: a label and the PMC values it covers.

    Parameters
    ----------
    label : str
        The grade, e.g. ``"Excellent"``.
    lower : float
        The lowest PMC of the grade.
    upper : float, optional
        The highest PMC of the grade as published (``8.99`` for *Excellent*
        with ten variables).  A PMC between one band's ``upper`` and the next
        band's ``lower`` (possible only with many sub-variables) gets the lower
        grade: the bands are read as ``lower <= PMC < next lower``.
    labels : mapping of str to str, optional
        Localized labels.  The four published grades get their Chinese terms
        (完美, 优秀, 可接受, 不良) unless given.

    Examples
    --------
    >>> from policyquant.frameworks.pmc import PMCBand
    >>> band = PMCBand("Excellent", 7, 8.99)
    >>> band.label_in("zh"), band.label_in("en")
    ('优秀', 'Excellent')
    >>> PMCBand("Good", 6, 8, labels={"zh": "良好"}).label_in("zh")
    '良好'
    """

    label: str = attrs.field(validator=_check_band_label)
    lower: float = attrs.field(converter=_to_number, validator=_check_number)
    upper: float | None = attrs.field(default=None, converter=_to_number, validator=_check_number)
    labels: LabelMap = attrs.field(default=None, converter=_default_band_labels)

    def __attrs_post_init__(self) -> None:
        if self.upper is not None and self.upper < self.lower:
            raise InvalidFrameworkError(
                f"PMC grade band {self.label!r}: upper bound {self.upper:g} is below its lower bound {self.lower:g}"
            )
        if "zh" not in self.labels:
            for english, chinese in GRADE_LABELS.items():
                if normalize_name(self.label) == normalize_name(english):
                    object.__setattr__(self, "labels", LabelMap({**self.labels, "zh": chinese}))

    def label_in(self, language: str | None = None) -> str:
        """The label in ``language`` (``"zh"``, ``"zh-CN"``, ...), falling back to :attr:`label`.

        Examples
        --------
        >>> from policyquant.frameworks.pmc import PMCBand
        >>> PMCBand("Perfect", 9, 10).label_in("zh-CN")
        '完美'
        """
        if language is None:
            return self.label
        if language in self.labels:
            return self.labels[language]
        return self.labels.get(language.lower().split("-")[0].split("_")[0], self.label)


_BAND_KEYS = {"label", "min", "max", "lower", "upper", "labels"}


def _band_from(item: Any, label: Any = None) -> PMCBand:
    """One band from any of the accepted spellings."""
    if isinstance(item, PMCBand):
        return item
    if isinstance(item, Mapping):
        unknown = sorted(set(map(str, item)) - _BAND_KEYS)
        if unknown:
            raise InvalidFrameworkError(
                f"PMC grade band {label or item.get('label')!r}: unknown key(s) {', '.join(unknown)}; "
                "a band takes label, min (or lower), max (or upper) and labels"
            )
        lower = item.get("min", item.get("lower"))
        if lower is None:
            raise InvalidFrameworkError(
                f"PMC grade band {label or item.get('label')!r} needs its lowest PMC as min"
            )
        return PMCBand(
            item.get("label", label),
            lower,
            item.get("max", item.get("upper")),
            labels=item.get("labels"),
        )
    if isinstance(item, numbers.Real) and label is not None:
        return PMCBand(label, item)
    if isinstance(item, Sequence) and not isinstance(item, str):
        parts = list(item)
        if label is not None and len(parts) in (1, 2):
            return PMCBand(label, *parts)
        if label is None and len(parts) in (2, 3) and isinstance(parts[0], str):
            return PMCBand(*parts)
    raise InvalidFrameworkError(
        f"cannot read a PMC grade band from {item!r}"
        + (f" (grade {label!r})" if label is not None else "")
        + "; give a band as label -> lowest PMC, label -> [lowest, highest], (label, lowest, highest) "
        "or a table with label, min, max and labels"
    )


class PMCBands:
    """The grades of the PMC index: which PMC values are *Perfect*, *Excellent*, ...

    Parameters
    ----------
    bands : mapping or iterable
        The bands, in any order, as one of

        * a mapping of grade to its lowest PMC, ``{"Perfect": 9, "Excellent": 7, ...}``,
          or to ``[lowest, highest]``;
        * an iterable of :class:`PMCBand`, of ``(label, lowest, highest)`` tuples,
          or of tables with the keys ``label``, ``min``, ``max`` and ``labels``
          (as in a TOML file).

    Raises
    ------
    InvalidFrameworkError
        For a duplicate grade or lower bound, overlapping bands, or a gap
        between bands wider than 0.01 (a PMC in it would have no grade).

    Examples
    --------
    >>> from policyquant.frameworks.pmc import PMCBands
    >>> bands = PMCBands.preset(10)
    >>> bands
    PMCBands([('Bad', 0, 4.99), ('Acceptable', 5, 6.99), ('Excellent', 7, 8.99), ('Perfect', 9, 10)])
    >>> list(bands.grade([4.99, 5.0, 8.99, 9.0]))
    ['Bad', 'Acceptable', 'Excellent', 'Perfect']
    >>> list(PMCBands({"High": 6, "Middle": 3, "Low": 0}).grade([2.5, 3, 7.5], language="zh"))
    ['Low', 'Middle', 'High']
    """

    __slots__ = ("_bands",)

    def __init__(self, bands: Any) -> None:
        if isinstance(bands, PMCBands):
            self._bands: tuple[PMCBand, ...] = bands.bands
            return
        if isinstance(bands, Mapping):
            items = [_band_from(spec, label) for label, spec in bands.items()]
        elif isinstance(bands, Iterable) and not isinstance(bands, str):
            items = [_band_from(item) for item in bands]
        else:
            raise InvalidFrameworkError(
                f"PMC grade bands must be a mapping of grade to lowest PMC or a list of bands, got {bands!r}"
            )
        if not items:
            raise InvalidFrameworkError("PMC grade bands: give at least one band")
        items.sort(key=lambda band: band.lower)
        languages = {language for band in items for language in band.labels}
        for language in (None, *sorted(languages)):
            seen: dict[str, str] = {}
            for band in items:
                name = normalize_name(band.label_in(language))
                if name in seen:
                    raise InvalidFrameworkError(
                        f"PMC grade bands: the grade {band.label_in(language)!r} is given twice"
                        + (f" (as the {language!r} label of {band.label!r})" if language else "")
                    )
                seen[name] = band.label
        for below, above in itertools.pairwise(items):
            if above.lower == below.lower:
                raise InvalidFrameworkError(
                    f"PMC grade bands {below.label!r} and {above.label!r} both start at {below.lower:g}"
                )
            if below.upper is None:
                continue
            if below.upper > above.lower:
                raise InvalidFrameworkError(
                    f"PMC grade bands overlap: {below.label!r} ({below.lower:g}-{below.upper:g}) and "
                    f"{above.label!r} (from {above.lower:g})"
                )
            if above.lower - below.upper > _BAND_GAP + 1e-9:
                raise InvalidFrameworkError(
                    f"PMC grade bands leave a gap between {below.upper:g} ({below.label!r}) and "
                    f"{above.lower:g} ({above.label!r}): a PMC in it would have no grade"
                )
        self._bands = tuple(items)

    @classmethod
    def preset(cls, n_variables: int) -> PMCBands:
        """The published grade bands for 9 or 10 first-level variables.

        ===========  ==============  ==============
        Grade        10 variables    9 variables
        ===========  ==============  ==============
        Perfect      9 - 10          8 - 9
        Excellent    7 - 8.99        6 - 7.99
        Acceptable   5 - 6.99        4 - 5.99
        Bad          0 - 4.99        0 - 3.99
        ===========  ==============  ==============

        Raises
        ------
        InvalidFrameworkError
            For any other number of variables, for which no bands are
            published: give your own.

        Examples
        --------
        >>> from policyquant.frameworks.pmc import PMCBands
        >>> PMCBands.preset(9).to_frame()
                grade  lower  upper
        0         Bad      0   3.99
        1  Acceptable      4   5.99
        2   Excellent      6   7.99
        3     Perfect      8   9.00
        >>> PMCBands.preset(8)
        Traceback (most recent call last):
        ...
        policyquant.errors.InvalidFrameworkError: no published PMC grade bands for 8 first-level variables (presets exist for 9 and 10); pass the bands your study uses as bands=..., the lowest PMC of each grade, e.g. bands={'Perfect': 7.2, 'Excellent': 5.6, 'Acceptable': 4, 'Bad': 0}
        """
        if isinstance(n_variables, bool) or not isinstance(n_variables, numbers.Integral):
            raise InvalidFrameworkError(f"the number of variables must be an integer, got {n_variables!r}")
        spec = _PRESETS.get(int(n_variables))
        if spec is None:
            example = {
                label: round(share * n_variables, 1) if share else 0
                for label, share in (("Perfect", 0.9), ("Excellent", 0.7), ("Acceptable", 0.5), ("Bad", 0))
            }
            example = {k: int(v) if float(v).is_integer() else v for k, v in example.items()}
            raise InvalidFrameworkError(
                f"no published PMC grade bands for {n_variables} first-level variables "
                f"(presets exist for {' and '.join(map(str, sorted(_PRESETS)))}); pass the bands your study "
                f"uses as bands=..., the lowest PMC of each grade, e.g. bands={example!r}"
            )
        return cls([PMCBand(label, lower, upper) for label, lower, upper in spec])

    @property
    def bands(self) -> tuple[PMCBand, ...]:
        """The bands, lowest first."""
        return self._bands

    def labels(self, language: str | None = None) -> list[str]:
        """The grades, lowest first, in ``language``.

        Examples
        --------
        >>> from policyquant.frameworks.pmc import PMCBands
        >>> PMCBands.preset(10).labels("zh")
        ['不良', '可接受', '优秀', '完美']
        """
        return [band.label_in(language) for band in self._bands]

    def check_range(self, n_variables: int) -> None:
        """Raise unless every PMC from 0 to ``n_variables`` has a grade.

        Examples
        --------
        >>> from policyquant.frameworks.pmc import PMCBands
        >>> PMCBands.preset(9).check_range(10)
        Traceback (most recent call last):
        ...
        policyquant.errors.InvalidFrameworkError: PMC grade bands end at 9, but 10 first-level variables give a PMC up to 10: a PMC above 9 would have no grade
        """
        lowest, highest = self._bands[0], self._bands[-1]
        if lowest.lower > 0:
            raise InvalidFrameworkError(
                f"PMC grade bands start at {lowest.lower:g} ({lowest.label!r}): a PMC below it would have "
                "no grade; let the lowest band start at 0"
            )
        if highest.upper is not None and highest.upper < n_variables - 1e-9:
            raise InvalidFrameworkError(
                f"PMC grade bands end at {highest.upper:g}, but {n_variables} first-level variables give a "
                f"PMC up to {n_variables}: a PMC above {highest.upper:g} would have no grade"
            )

    def grade(self, pmc: Any, language: str | None = None) -> pd.Categorical:
        """The grade of every PMC value, as an ordered categorical (lowest grade first).

        Vectorised: one :func:`numpy.searchsorted` over all values.  A value
        belongs to the band with the highest lower bound not above it; values
        are rounded to nine decimals first, so that a float sum equal to a band
        edge lands on it.  Missing values and values below the lowest band give
        a missing grade.

        Parameters
        ----------
        pmc : array-like
            PMC values.
        language : str, optional
            ``"zh"`` for the Chinese grades.

        Examples
        --------
        >>> from policyquant.frameworks.pmc import PMCBands
        >>> grades = PMCBands.preset(10).grade([7.2833, 9.5])
        >>> list(grades), grades.ordered
        (['Excellent', 'Perfect'], True)
        >>> list(PMCBands.preset(10).grade([1 / 3 + 1 / 3 + 1 / 3 + 4], language="zh"))
        ['可接受']
        """
        language = _language_key(language)
        values = np.round(np.asarray(pmc, dtype=np.float64), _GRADE_DECIMALS)
        lowers = np.array([band.lower for band in self._bands], dtype=np.float64)
        positions = np.searchsorted(lowers, values, side="right") - 1
        codes = np.where(np.isnan(values) | (positions < 0), -1, positions)
        return pd.Categorical.from_codes(np.atleast_1d(codes), categories=self.labels(language), ordered=True)

    def to_frame(self, language: str | None = None) -> pd.DataFrame:
        """The bands as a table: ``grade``, ``lower``, ``upper`` (missing when open), lowest first.

        Examples
        --------
        >>> from policyquant.frameworks.pmc import PMCBands
        >>> PMCBands({"Good": 6, "Poor": 0}).to_frame(language="zh")
          grade  lower  upper
        0  Poor      0    NaN
        1  Good      6    NaN
        """
        return pd.DataFrame(
            {
                "grade": self.labels(language),
                "lower": [band.lower for band in self._bands],
                "upper": [np.nan if band.upper is None else band.upper for band in self._bands],
            }
        )

    def __iter__(self) -> Iterator[PMCBand]:
        return iter(self._bands)

    def __len__(self) -> int:
        return len(self._bands)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PMCBands):
            return self._bands == other._bands
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._bands)

    def __repr__(self) -> str:
        def show(band: PMCBand) -> tuple[Any, ...]:
            return (band.label, band.lower) if band.upper is None else (band.label, band.lower, band.upper)

        return f"PMCBands({[show(band) for band in self._bands]!r})"

    def __getstate__(self) -> tuple[PMCBand, ...]:
        return self._bands

    def __setstate__(self, state: tuple[PMCBand, ...]) -> None:
        self._bands = state


def _to_bands(value: Any) -> PMCBands | None:
    if value is None or isinstance(value, PMCBands):
        return value
    return PMCBands(value)


# --------------------------------------------------------------------------
# Column names and values.


def _parse_column(name: object) -> tuple[int, int] | None:
    """``(variable, sub-variable)`` numbers of a name such as ``X1_2``, ``x1.2``, ``X1:2`` or ``X1-2``."""
    if not isinstance(name, str):
        return None
    match = _SUB_VARIABLE.match(unicodedata.normalize("NFKC", name).strip().casefold())
    if match is None:
        return None
    return int(match.group(1)), int(match.group(2))


def _is_near_miss(name: object) -> bool:
    if not isinstance(name, str):
        return False
    return _NEAR_MISS.match(unicodedata.normalize("NFKC", name).strip().casefold()) is not None


def _near_miss_problem(name: str) -> str:
    folded = unicodedata.normalize("NFKC", name).strip().casefold()
    if _FIRST_LEVEL.match(folded):
        return "a first-level variable, not a sub-variable"
    return "looks like a PMC sub-variable but is not named like one"


def _identifier(name: Hashable) -> str:
    """A dimension key for a column: the name itself if it is a Python name, else a folded form."""
    text = unicodedata.normalize("NFKC", str(name)).strip()
    parsed = _parse_column(text)
    if parsed is not None:
        return f"X{parsed[0]}_{parsed[1]}"
    key = re.sub(r"\W+", "_", text, flags=re.ASCII).strip("_") or "column"
    if key[0].isdigit():
        key = f"v_{key}"
    if keyword.iskeyword(key):
        key += "_"
    return key


#: The one rule for a sub-variable's value, in the library and on the command line: 0 or 1, as
#: a number, a boolean or text, or true/false, yes/no, 是/否 as text in any case and width.
_BINARY_TEXT: Mapping[str, float] = {
    **dict.fromkeys(("1", "1.0", "true", "yes", "是"), 1.0),
    **dict.fromkeys(("0", "0.0", "false", "no", "否"), 0.0),
}

#: What every sub-variable value is expected to be, as messages say it.
_BINARY_EXPECTED = "0 or 1 (or True/False, Yes/No, 是/否)"


def _binary_value(value: Any) -> float:
    """1.0 or 0.0 for a value that means 1 or 0 (see :data:`_BINARY_TEXT`); NaN for anything else."""
    if isinstance(value, (bool, np.bool_)):
        return float(value)
    if isinstance(value, numbers.Real):
        number = float(value)
        return number if number in (0.0, 1.0) else np.nan
    if isinstance(value, str):
        return _BINARY_TEXT.get(unicodedata.normalize("NFKC", value).strip().casefold(), np.nan)
    return np.nan


def _binary_column(values: pd.Series) -> np.ndarray:
    """One column as floats; anything but what means 0 or 1 becomes NaN."""
    dtype = values.dtype
    if pd.api.types.is_bool_dtype(dtype) or (
        (pd.api.types.is_integer_dtype(dtype) or pd.api.types.is_float_dtype(dtype))
        and not isinstance(dtype, pd.CategoricalDtype)
    ):
        numeric = values.to_numpy(dtype=np.float64, na_value=np.nan)
    else:
        # Text, mixed or categorical columns: each distinct value is read once.
        codes, distinct = pd.factorize(values.astype(object))
        per_value = np.array([_binary_value(v) for v in distinct] + [np.nan], dtype=np.float64)
        numeric = per_value[codes]
    return np.where((numeric == 0) | (numeric == 1), numeric, np.nan)


def _describe_bad_value(value: Any) -> tuple[Any, str]:
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None, "missing value"
    if isinstance(value, str):
        return value, "not 0 or 1"
    return _to_number(value), "not 0 or 1"


def _binary_matrix(frame: pd.DataFrame, columns: Sequence[Hashable], source: str | None) -> np.ndarray:
    """The sub-variable columns of ``frame`` as a float matrix, one row per policy; every value checked.

    The loop runs over columns; every check within a column is vectorised, and
    each distinct bad value is described once.
    """
    values = np.empty((len(frame), len(columns)), dtype=np.float64)
    for j, column in enumerate(columns):
        values[:, j] = _binary_column(frame[column])
    bad = np.isnan(values)
    if bad.any():
        count = int(bad.sum())
        parts = []
        for j in np.flatnonzero(bad.any(axis=0)):
            at = np.flatnonzero(bad[:, j])
            codes, distinct = pd.factorize(frame[columns[j]].iloc[at].astype(object))
            described = [_describe_bad_value(v) for v in distinct] + [(None, "missing value")]
            table = np.empty((len(described), 2), dtype=object)
            table[:] = described
            parts.append((at, np.full(len(at), j), table[codes]))
        rows = np.concatenate([at for at, _, _ in parts])
        positions = np.concatenate([js for _, js, _ in parts])
        found = np.concatenate([d for _, _, d in parts])
        # Row by row, as the policies are read; a policy's columns in the frame's order.
        order = np.lexsort((positions, rows))[:MAX_PROBLEMS]
        column_names = np.empty(len(columns), dtype=object)
        column_names[:] = list(columns)
        problems = pd.DataFrame(
            {
                "file": source,
                "row": frame.index.to_numpy(dtype=object)[rows[order]],
                "column": column_names[positions[order]],
                "value": found[order, 0],
                "problem": found[order, 1],
                "expected": _BINARY_EXPECTED,
            }
        )
        raise ScoreError(
            f"{count:,} PMC sub-variable value{'s' if count != 1 else ''} "
            f"{'are' if count != 1 else 'is'} not 0 or 1",
            problems,
            stopped=f"listed the first {MAX_PROBLEMS:,} of {count:,}" if count > MAX_PROBLEMS else None,
        )
    return values


#: Rows summed at a time by :func:`_integer_means`: a column's slice stays in cache between its two uses.
_CHUNK_ROWS = 1 << 16


def _integer_means(
    frame: pd.DataFrame, variables: Sequence[tuple[str, tuple[Hashable, ...]]]
) -> np.ndarray | None:
    """The variables' means when every sub-variable column is integer or boolean and 0/1; else None.

    The common case (a 0/1 matrix as coded) in one pass over the data: each
    column's slice is checked (a bitwise OR of all values is 0 or 1 only when
    every value is) and added to its variable's sum while in cache.  Any other
    case returns None and :func:`_binary_matrix` checks and reports value by value.
    """
    arrays = []
    for _, columns in variables:
        group = []
        for column in columns:
            values = frame[column]
            dtype = values.dtype
            if not isinstance(dtype, np.dtype) or dtype.kind not in "biu":
                return None
            group.append(values.to_numpy())
        arrays.append(group)
    n = len(frame)
    means = np.empty((n, len(variables)), dtype=np.float64, order="F")
    seen = np.zeros(min(n, _CHUNK_ROWS), dtype=np.int64)
    total = np.zeros(min(n, _CHUNK_ROWS), dtype=np.int64)
    for start in range(0, n, _CHUNK_ROWS):
        stop = min(start + _CHUNK_ROWS, n)
        rows = stop - start
        for k, group in enumerate(arrays):
            total[:rows] = 0
            for values in group:
                chunk = values[start:stop]
                if chunk.dtype.kind != "b":
                    np.bitwise_or(seen[:rows], chunk, out=seen[:rows], casting="unsafe")
                np.add(total[:rows], chunk, out=total[:rows], casting="unsafe")
            np.divide(total[:rows], len(group), out=means[start:stop, k])
        if (np.bitwise_or.reduce(seen[:rows]) & ~1) != 0:
            return None  # some value is not 0 or 1 (or is above the int64 range)
    return means


def _to_variables(value: Any) -> tuple[tuple[str, tuple[Hashable, ...]], ...]:
    if not isinstance(value, Mapping):
        raise InvalidFrameworkError(
            "variables must map each first-level variable to its sub-variable columns, "
            f"e.g. {{'X1': ['X1_1', 'X1_2']}}; got {type(value).__name__}"
        )
    if not value:
        raise InvalidFrameworkError("a PMC index needs at least one first-level variable")
    pairs = []
    owner: dict[Hashable, str] = {}
    for name, columns in value.items():
        if not isinstance(name, str) or not name.strip():
            raise InvalidFrameworkError(f"a first-level variable needs a name (non-empty text), got {name!r}")
        if name in _RESULT_COLUMNS:
            raise InvalidFrameworkError(
                f"{name!r} cannot name a first-level variable: it is a column of the PMC result"
            )
        if isinstance(columns, str) or not isinstance(columns, Iterable):
            columns = [columns]
        columns = tuple(columns)
        if not columns:
            raise InvalidFrameworkError(f"first-level variable {name!r} has no sub-variables")
        for column in columns:
            try:
                hash(column)
            except TypeError:
                raise InvalidFrameworkError(
                    f"first-level variable {name!r}: {column!r} cannot name a column"
                ) from None
            if column in owner:
                where = "twice" if owner[column] == name else f"under both {owner[column]!r} and {name!r}"
                raise InvalidFrameworkError(f"the sub-variable column {column!r} is listed {where}")
            owner[column] = name
        pairs.append((name, columns))
    return tuple(pairs)


# --------------------------------------------------------------------------
# The index.


class PMCIndex:
    """Ruiz Estrada's PMC index over a system of first-level variables and their binary sub-variables.

    Parameters
    ----------
    variables : mapping of str to list of column names
        Each first-level variable (``"X1"``, ``"X2"``, ...) and the columns of
        its sub-variables, in order.  Most studies name the columns ``X1_1``,
        ``X1_2``, ...; :meth:`from_columns` then finds them.
    bands : PMCBands or mapping or list, optional
        The grade bands (see :class:`PMCBands`).  By default the published
        bands for 9 or 10 variables; for any other number give your own, or
        :meth:`score` cannot grade.

    Raises
    ------
    InvalidFrameworkError
        For an empty system, a variable without sub-variables, a column listed
        twice, a variable named ``PMC``, ``concavity`` or ``grade``, or bands
        that leave part of the range 0 to ``n`` without a grade.

    See Also
    --------
    PMCScale : the index as an efficacy scale of a framework.
    pmc_surface_plot, pmc_radar : its figures.

    Examples
    --------
    Two small policies and three variables, graded with bands of one's own:

    >>> import pandas as pd
    >>> from policyquant.frameworks.pmc import PMCIndex
    >>> index = PMCIndex(
    ...     {"X1": ["a1", "a2"], "X2": ["b1", "b2", "b3", "b4"], "X3": ["c1"]},
    ...     bands={"Good": 2, "Fair": 1, "Poor": 0},
    ... )
    >>> frame = pd.DataFrame(
    ...     {"a1": [1, 0], "a2": [1, 1], "b1": [1, 0], "b2": [0, 0], "b3": [1, 0], "b4": [1, 1], "c1": [1, 0]},
    ...     index=["P1", "P2"],
    ... )
    >>> index.score(frame)
         X1    X2   X3   PMC  concavity grade
    P1  1.0  0.75  1.0  2.75       0.25  Good
    P2  0.5  0.25  0.0  0.75       2.25  Poor
    """

    __slots__ = ("_bands", "_columns", "_counts", "_starts", "_variables")

    def __init__(self, variables: Mapping[str, Iterable[Hashable]], bands: Any = None) -> None:
        self._variables = _to_variables(variables)
        self._columns: tuple[Hashable, ...] = tuple(c for _, columns in self._variables for c in columns)
        self._counts = np.array([len(columns) for _, columns in self._variables], dtype=np.float64)
        self._starts = np.concatenate([[0], np.cumsum(self._counts[:-1])]).astype(np.intp)
        self._bands = _to_bands(bands)
        if self._bands is not None:
            self._bands.check_range(self.n_variables)

    @classmethod
    def from_columns(
        cls, columns: Iterable[Hashable] | pd.DataFrame, bands: Any = None, *, strict: bool = False
    ) -> PMCIndex:
        """Find the variables in column names such as ``X1_1``, ``X1.1``, ``X1:1`` or ``X1-1``.

        The ``X`` may be upper or lower case, and full-width characters (``Ｘ１：１``)
        are folded.  Variables are named ``X1``, ``X2``, ... and ordered by number
        (``X2`` before ``X10``), and so are the sub-variables within each.  Other
        columns are ignored, but a column that looks almost like a sub-variable
        (``X1_a``, ``X1``, ``X_1``) is reported with a :class:`PMCWarning`.

        Parameters
        ----------
        columns : iterable of column names, or DataFrame
            The names, or a frame whose columns to read.
        bands : optional
            As in :class:`PMCIndex`.
        strict : bool, default False
            Raise instead of warning about columns that look almost like
            sub-variables.

        Raises
        ------
        ValidationError
            If no column is a sub-variable, two columns name the same
            sub-variable (``X1_1`` and ``X1.1``), or, with ``strict=True``,
            for a near miss.

        Examples
        --------
        >>> from policyquant.frameworks.pmc import PMCIndex
        >>> PMCIndex.from_columns(["id", "X10_1", "x2.2", "X2.1", "X1:1", "X10-2"]).variables
        {'X1': ('X1:1',), 'X2': ('X2.1', 'x2.2'), 'X10': ('X10_1', 'X10-2')}
        >>> PMCIndex.from_columns(["X1_1", "X1_a"], strict=True)
        Traceback (most recent call last):
        ...
        policyquant.errors.ValidationError: 1 column looks like a PMC sub-variable but is not named like one:
          - column 'X1_a': looks like a PMC sub-variable but is not named like one; expected X<variable>_<sub-variable>, such as X1_1 (or X1.1, X1:1, X1-1)
        """
        names = list(columns.columns if isinstance(columns, pd.DataFrame) else columns)
        found: dict[tuple[int, int], Hashable] = {}
        duplicates: list[dict[str, Any]] = []
        near: list[dict[str, Any]] = []
        expected = "X<variable>_<sub-variable>, such as X1_1 (or X1.1, X1:1, X1-1)"
        for name in names:
            parsed = _parse_column(name)
            if parsed is None:
                if _is_near_miss(name):
                    near.append(
                        {
                            "column": name,
                            "problem": _near_miss_problem(name),
                            "expected": expected,
                        }
                    )
                continue
            if parsed in found:
                duplicates.append(
                    {
                        "column": name,
                        "problem": f"names sub-variable {parsed[1]} of X{parsed[0]}, as {found[parsed]!r} does",
                        "expected": "one column per sub-variable",
                    }
                )
                continue
            found[parsed] = name
        if duplicates:
            raise ValidationError(
                f"{len(duplicates)} column{'s' if len(duplicates) != 1 else ''} repeat{'' if len(duplicates) != 1 else 's'} "
                "a PMC sub-variable",
                duplicates,
            )
        if near and (strict or not found):
            count = len(near)
            summary = (
                f"{count} column{'s' if count != 1 else ''} look{'' if count != 1 else 's'} like "
                "a PMC sub-variable but "
                + ("are not named like one" if count != 1 else "is not named like one")
            )
            if not found:
                summary = "no PMC sub-variable columns found; " + summary
            raise ValidationError(summary, near)
        if not found:
            shown = format_choices(map(repr, names)) or "(none)"
            raise ValidationError(
                f"no PMC sub-variable columns found among the columns {shown}; name them {expected}"
            )
        if near:
            listed = "; ".join(f"{record['column']!r} ({record['problem']})" for record in near[:20])
            more = f"; and {len(near) - 20} more" if len(near) > 20 else ""
            warnings.warn(
                f"ignoring {len(near)} column{'s' if len(near) != 1 else ''} that look almost like PMC "
                f"sub-variables: {listed}{more}; name sub-variables {expected}",
                PMCWarning,
                stacklevel=2,
            )
        variables: dict[str, list[Hashable]] = {}
        for (variable, _), name in sorted(found.items()):
            variables.setdefault(f"X{variable}", []).append(name)
        return cls(variables, bands)

    # Description ---------------------------------------------------------------

    @property
    def variables(self) -> dict[str, tuple[Hashable, ...]]:
        """Each first-level variable and its sub-variable columns, in order (a copy).

        Examples
        --------
        >>> from policyquant.frameworks.pmc import PMCIndex
        >>> PMCIndex({"X1": ["X1_1", "X1_2"], "X2": "X2_1"}).variables
        {'X1': ('X1_1', 'X1_2'), 'X2': ('X2_1',)}
        """
        return dict(self._variables)

    @property
    def variable_names(self) -> tuple[str, ...]:
        """The first-level variables, in order."""
        return tuple(name for name, _ in self._variables)

    @property
    def columns(self) -> tuple[Hashable, ...]:
        """Every sub-variable column, variable by variable."""
        return self._columns

    @property
    def n_variables(self) -> int:
        """The number of first-level variables, which is also the highest possible PMC."""
        return len(self._variables)

    @property
    def bands(self) -> PMCBands | None:
        """The grade bands: those given, else the published ones for 9 or 10 variables, else None.

        Examples
        --------
        >>> from policyquant.frameworks.pmc import PMCIndex
        >>> PMCIndex({f"X{i}": [f"X{i}_1"] for i in range(1, 10)}).bands.labels()
        ['Bad', 'Acceptable', 'Excellent', 'Perfect']
        >>> PMCIndex({"X1": ["X1_1"]}).bands is None
        True
        """
        if self._bands is not None:
            return self._bands
        if self.n_variables in _PRESETS:
            return PMCBands.preset(self.n_variables)
        return None

    def _require_bands(self) -> PMCBands:
        bands = self.bands
        if bands is None:
            PMCBands.preset(self.n_variables)  # raises, with the advice
        assert bands is not None
        return bands

    # Scoring -------------------------------------------------------------------

    def _check_frame(self, frame: Any, source: str | None = None) -> None:
        if not isinstance(frame, pd.DataFrame):
            raise ValidationError(
                "the PMC index scores a pandas.DataFrame with one row per policy and one column per "
                f"sub-variable, got {type(frame).__name__}"
            )
        missing = [column for column in self._columns if column not in frame.columns]
        if missing:
            present = list(map(str, frame.columns))
            raise ValidationError(
                f"cannot compute the PMC index: {len(missing)} sub-variable column(s) missing",
                [
                    {
                        "file": source,
                        "column": column,
                        "problem": "missing column",
                        "expected": "one column per sub-variable",
                        "suggestions": ", ".join(closest(str(column), present)) or None,
                    }
                    for column in missing
                ],
            )
        repeated = [column for column in dict.fromkeys(self._columns) if (frame.columns == column).sum() > 1]
        if repeated:
            raise ValidationError(
                f"cannot compute the PMC index: {len(repeated)} sub-variable column(s) appear more than once",
                [
                    {"file": source, "column": column, "problem": "repeated column", "expected": "one column"}
                    for column in repeated
                ],
            )

    def _means(self, frame: pd.DataFrame, source: str | None = None) -> np.ndarray:
        """The first-level variables of every policy: a (policies x variables) float matrix."""
        self._check_frame(frame, source)
        means = _integer_means(frame, self._variables)
        if means is not None:
            return means
        values = _binary_matrix(frame, self._columns, source)
        if values.shape[0] == 0:
            return np.zeros((0, self.n_variables), dtype=np.float64)
        return np.add.reduceat(values, self._starts, axis=1) / self._counts

    def variable_scores(self, frame: pd.DataFrame, *, source: str | None = None) -> pd.DataFrame:
        """The first-level variables of every policy: each the mean of its sub-variables.

        Needs no grade bands.

        Parameters
        ----------
        frame : pandas.DataFrame
            One row per policy, one column per sub-variable (0 or 1); other
            columns are ignored.
        source : str, optional
            Where the frame came from, for error messages.

        Returns
        -------
        pandas.DataFrame
            One column per first-level variable, on ``frame``'s index.

        Examples
        --------
        >>> import pandas as pd
        >>> from policyquant.frameworks.pmc import PMCIndex
        >>> frame = pd.DataFrame({"X1_1": [1, 0], "X1_2": [1, 1], "X2_1": [True, False]})
        >>> PMCIndex.from_columns(frame).variable_scores(frame)
            X1   X2
        0  1.0  1.0
        1  0.5  0.0
        """
        return pd.DataFrame(self._means(frame, source), index=frame.index, columns=list(self.variable_names))

    def score(
        self, frame: pd.DataFrame, *, language: str | None = None, source: str | None = None
    ) -> pd.DataFrame:
        """Score every policy: its first-level variables, PMC, concavity and grade.

        Vectorised over the whole frame.

        Parameters
        ----------
        frame : pandas.DataFrame
            One row per policy, one column per sub-variable, each 0 or 1 (or
            True/False); other columns are ignored.
        language : str, optional
            ``"zh"`` for the Chinese grades (完美, 优秀, 可接受, 不良).
        source : str, optional
            Where the frame came from, for error messages.

        Returns
        -------
        pandas.DataFrame
            On ``frame``'s index, the columns:

            ``X1``, ``X2``, ...
                Each first-level variable: the mean of its sub-variables.
            ``PMC``
                Their sum, from 0 to the number of variables.
            ``concavity``
                The number of variables minus the PMC.
            ``grade``
                An ordered categorical, lowest grade first.

        Raises
        ------
        ScoreError
            Listing every value other than 0 and 1 (missing ones included)
            with its row, column and value (the first 1000 of them).
        ValidationError
            If a sub-variable column is missing.
        InvalidFrameworkError
            If the index has no grade bands (neither given nor published for
            its number of variables).

        Examples
        --------
        >>> import pandas as pd
        >>> from policyquant.frameworks.pmc import PMCIndex
        >>> index = PMCIndex({"X1": ["X1_1", "X1_2"], "X2": ["X2_1"]}, bands={"Good": 1, "Poor": 0})
        >>> index.score(pd.DataFrame({"X1_1": [1, 2], "X1_2": [None, 0], "X2_1": ["x", 1]}, index=["A", "B"]))
        Traceback (most recent call last):
        ...
        policyquant.errors.ScoreError: 3 PMC sub-variable values are not 0 or 1:
          - row A, column 'X1_2': missing value; expected 0 or 1 (or True/False, Yes/No, 是/否)
          - row A, column 'X2_1', value 'x': not 0 or 1; expected 0 or 1 (or True/False, Yes/No, 是/否)
          - row B, column 'X1_1', value 2: not 0 or 1; expected 0 or 1 (or True/False, Yes/No, 是/否)
        >>> index.score(pd.DataFrame({"X1_1": [1], "X1_2": [0], "X2_1": [1]}), language="zh")
            X1   X2  PMC  concavity grade
        0  0.5  1.0  1.5        0.5  Good
        """
        language = _language_key(language)
        bands = self._require_bands()
        means = self._means(frame, source)
        return self._table(means, frame.index, bands, language)

    def _table(
        self, means: np.ndarray, index: pd.Index, bands: PMCBands | None, language: str | None
    ) -> pd.DataFrame:
        pmc = means.sum(axis=1)
        table = pd.DataFrame(means, index=index, columns=list(self.variable_names))
        table["PMC"] = pmc
        table["concavity"] = self.n_variables - pmc
        if bands is not None:
            table["grade"] = pd.Categorical(bands.grade(pmc, language))
        return table

    # Surface and comparison -------------------------------------------------------

    def surface_layout(self) -> pd.DataFrame:
        """Where each of the first nine variables sits on the PMC surface.

        Examples
        --------
        >>> from policyquant.frameworks.pmc import PMCIndex
        >>> PMCIndex({f"X{i}": [f"X{i}_1"] for i in range(1, 11)}).surface_layout()
        column   1   2   3
        row
        1       X1  X2  X3
        2       X4  X5  X6
        3       X7  X8  X9
        """
        self._require_surface()
        return _surface_frame(np.array(self.variable_names[:9], dtype=object).reshape(3, 3))

    def _require_surface(self) -> None:
        if self.n_variables < 9:
            raise ValidationError(
                f"the PMC surface needs at least nine first-level variables; this index has {self.n_variables}"
            )

    def surface(self, row: pd.Series | pd.DataFrame) -> pd.DataFrame:
        """The PMC surface of one policy: its first nine variables as a 3 x 3 matrix.

        As in Ruiz Estrada (2011), the variables fill the matrix row by row::

            X1  X2  X3
            X4  X5  X6
            X7  X8  X9

        A tenth (and later) variable is left out; in many studies it is policy
        openness, the same for every published policy.

        Parameters
        ----------
        row : pandas.Series or one-row DataFrame
            One policy's sub-variables (``frame.loc["P1"]``), or its row of a
            :meth:`score` table.

        Returns
        -------
        pandas.DataFrame
            3 x 3, rows and columns numbered 1 to 3.  ``attrs["variables"]``
            holds the variable names in the same layout and
            ``attrs["policy"]`` the row's name.

        Raises
        ------
        ValidationError
            With fewer than nine variables, or a row that holds neither the
            sub-variables nor the first-level variables.

        Examples
        --------
        >>> import pandas as pd
        >>> from policyquant.frameworks.pmc import PMCIndex
        >>> index = PMCIndex({f"X{i}": [f"X{i}_1", f"X{i}_2"] for i in range(1, 11)})
        >>> policy = pd.Series({c: int(c.endswith("_1") or c < "X5") for c in index.columns}, name="P1")
        >>> index.surface(policy)
        column    1    2    3
        row
        1       1.0  1.0  1.0
        2       1.0  0.5  0.5
        3       0.5  0.5  0.5
        """
        self._require_surface()
        means = self._row_means(row)
        surface = _surface_frame(means[:9].reshape(3, 3).astype(np.float64))
        surface.attrs["variables"] = [list(self.variable_names[i : i + 3]) for i in (0, 3, 6)]
        surface.attrs["policy"] = row.name if isinstance(row, pd.Series) else row.index[0]
        return surface

    def _row_means(self, row: pd.Series | pd.DataFrame) -> np.ndarray:
        if isinstance(row, pd.DataFrame):
            if len(row) != 1:
                raise ValidationError(
                    f"a PMC surface shows one policy; got {len(row)} rows (pick one, e.g. frame.loc['P1'])"
                )
            frame = row
        elif isinstance(row, pd.Series):
            frame = row.to_frame().T
        else:
            raise ValidationError(
                f"a PMC surface needs one policy as a pandas Series or one-row DataFrame, got {type(row).__name__}"
            )
        if all(column in frame.columns for column in self._columns):
            return self._means(frame)[0]
        if all(name in frame.columns for name in self.variable_names):
            values = pd.to_numeric(frame.iloc[0][list(self.variable_names)], errors="coerce").to_numpy(
                dtype=np.float64
            )
            bad = [n for n, v in zip(self.variable_names, values, strict=True) if not 0 <= v <= 1]
            if bad:
                raise ValidationError(
                    "first-level variables must lie between 0 and 1",
                    [{"column": n, "value": frame.iloc[0][n], "problem": "not between 0 and 1"} for n in bad],
                )
            return values
        self._check_frame(frame)  # names the missing sub-variable columns
        raise AssertionError("unreachable")  # pragma: no cover

    def compare(
        self,
        frame: pd.DataFrame,
        *,
        language: str | None = None,
        decimals: int | None = None,
        labels: Mapping[Hashable, str] | None = None,
    ) -> pd.DataFrame:
        """Compare several policies side by side, as PMC studies tabulate them.

        Parameters
        ----------
        frame : pandas.DataFrame
            One row per policy, one column per sub-variable.
        language : str, optional
            ``"zh"`` for Chinese row labels and grades.
        decimals : int, optional
            Round the variables, PMC, concavity and means to this many decimals.
        labels : mapping, optional
            Display names of policies, by id (a row label of ``frame``), e.g.
            ``{"P1": "新一代人工智能发展规划"}``: the columns of the table show
            them.  Policies left out keep their ids.

        Returns
        -------
        pandas.DataFrame
            One column per policy, then ``mean`` (均值), the mean across the
            policies; one row per first-level variable, then ``PMC``,
            ``concavity``, ``rank`` (1 for the highest PMC; ties share the
            best rank) and ``grade``.  The mean's grade is that of the mean
            PMC; it has no rank.

        Examples
        --------
        >>> import pandas as pd
        >>> from policyquant.frameworks.pmc import PMCIndex
        >>> index = PMCIndex({"X1": ["X1_1", "X1_2"], "X2": ["X2_1"]}, bands={"Good": 1.5, "Poor": 0})
        >>> frame = pd.DataFrame({"X1_1": [1, 1, 0], "X1_2": [1, 0, 0], "X2_1": [1, 1, 0]}, index=["A", "B", "C"])
        >>> index.compare(frame)
                      A     B     C      mean
        variable
        X1          1.0   0.5   0.0       0.5
        X2          1.0   1.0   0.0  0.666667
        PMC         2.0   1.5   0.0  1.166667
        concavity   0.0   0.5   2.0  0.833333
        rank          1     2     3       NaN
        grade      Good  Good  Poor      Poor
        >>> index.compare(frame, language="zh", decimals=2).loc[["排名", "等级"]]
              A     B     C    均值
        变量
        排名     1     2     3   NaN
        等级  Good  Good  Poor  Poor
        >>> index.compare(frame, labels={"A": "Plan 2017", "C": "Rules 2023"}).columns.tolist()
        ['Plan 2017', 'B', 'Rules 2023', 'mean']
        """
        language = _language_key(language)
        names = _policy_labels(labels, frame.index)
        table = self.score(frame, language=language)
        numeric_columns = [*self.variable_names, "PMC", "concavity"]
        numeric = table[numeric_columns]
        means = numeric.mean(axis=0)
        if decimals is not None:
            numeric = numeric.round(decimals)
            means = means.round(decimals)
        rank = table["PMC"].round(_GRADE_DECIMALS).rank(ascending=False, method="min")
        bands = self._require_bands()
        mean_grade = bands.grade([means["PMC"]], language)[0] if len(table) else np.nan
        labels = [*self.variable_names, _text("PMC", language), _text("concavity", language)]
        body = numeric.T.astype(object)
        body.index = labels
        extra = pd.DataFrame(
            [list(rank.astype("Int64").astype(object)), list(table["grade"].astype(object))],
            index=[_text("rank", language), _text("grade", language)],
            columns=table.index,
            dtype=object,
        )
        result = pd.concat([body, extra])
        result[_text("mean", language)] = [*means.to_list(), np.nan, mean_grade]
        if names is not None:
            result.columns = [*names, _text("mean", language)]
        result.index.name = _text("variable", language)
        result.columns.name = frame.index.name
        return result

    # Scale support -------------------------------------------------------------------

    def dimensions(self) -> tuple[Dimension, ...]:
        """One binary :class:`~policyquant.Dimension` per sub-variable, scored per document.

        Keys are the column names where they are Python names, else a folded
        form (``X1.1`` becomes ``X1_1``); labels are the column names.

        Examples
        --------
        >>> from policyquant.frameworks.pmc import PMCIndex
        >>> dims = PMCIndex({"X1": ["X1.1", "X1.2"]}).dimensions()
        >>> [(d.key, d.label, d.scores, d.unit) for d in dims]
        [('X1_1', 'X1.1', (1, 0), 'document'), ('X1_2', 'X1.2', (1, 0), 'document')]
        """
        # The words of the one rule for sub-variable values (_BINARY_TEXT), also in a corpus.
        levels = (
            Level(1, "Yes", labels={"zh": "是"}, aliases=("True",)),
            Level(0, "No", labels={"zh": "否"}, aliases=("False",)),
        )
        result = []
        for variable, columns in self._variables:
            for number, column in enumerate(columns, start=1):
                result.append(
                    Dimension(
                        _identifier(column),
                        str(column),
                        levels,
                        unit="document",
                        description=f"Sub-variable {number} of the first-level variable {variable} of the "
                        "PMC index: 1 if the policy covers it, 0 if not.",
                    )
                )
        keys = [d.key for d in result]
        clashes = sorted({k for k in keys if keys.count(k) > 1})
        if clashes:
            raise InvalidFrameworkError(
                f"the sub-variable columns give the same dimension key(s) {', '.join(clashes)}; rename them"
            )
        return tuple(result)

    # Python protocol -------------------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PMCIndex):
            return (self._variables, self.bands) == (other._variables, other.bands)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self._variables, self.bands))

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}: {len(columns)}" for name, columns in self._variables)
        return f"PMCIndex({self.n_variables} variables ({shown}), bands={self.bands!r})"

    def __getstate__(self) -> dict[str, Any]:
        return {"variables": dict(self._variables), "bands": self._bands}

    def __setstate__(self, state: dict[str, Any]) -> None:
        fresh = PMCIndex(state["variables"], state["bands"])
        for slot in PMCIndex.__slots__:
            object.__setattr__(self, slot, getattr(fresh, slot))


def _policy_labels(labels: Any, policies: pd.Index) -> list[Any] | None:
    """The column names of :meth:`PMCIndex.compare`: each policy's display name, or its id."""
    if labels is None:
        return None
    if not isinstance(labels, Mapping):
        raise ValidationError(
            f"labels must map policy ids to display names, e.g. {{'P1': 'AI plan'}}; got {type(labels).__name__}"
        )
    known = set(policies)
    problems = []
    for policy, name in labels.items():
        if policy not in known:
            hint = closest(str(policy), [str(p) for p in policies])
            problems.append(
                {
                    "column": "labels",
                    "value": policy,
                    "problem": "no such policy",
                    "expected": "a policy id of the frame",
                    "suggestions": ", ".join(hint) or None,
                }
            )
        elif not isinstance(name, str) or not name.strip():
            problems.append(
                {"column": "labels", "row": policy, "value": name, "problem": "no display name",
                 "expected": "non-empty text"}
            )
    names = [labels.get(policy, policy) for policy in policies]
    shown = pd.Series([str(n) for n in names], dtype=object)
    for name in shown[shown.duplicated()].unique():
        problems.append(
            {"column": "labels", "value": name, "problem": "two policies would show the same name",
             "expected": "one name per policy"}
        )
    if problems:
        raise ValidationError(f"labels: {len(problems)} problem(s) with the policies' display names", problems)
    return names


def _surface_frame(values: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame(
        values,
        index=pd.Index([1, 2, 3], name="row"),
        columns=pd.Index([1, 2, 3], name="column"),
    )


# --------------------------------------------------------------------------
# The scale.


class PMCScale(EfficacyScale):
    """The PMC index as an :class:`~policyquant.EfficacyScale`: scores each policy's PMC.

    Parameters
    ----------
    variables : mapping of str to list of column names, optional
        As in :class:`PMCIndex`.  Without it the scale finds the variables in
        each frame it scores (:meth:`PMCIndex.from_columns`), as the
        registered ``"pmc"`` framework does.
    bands : optional
        Grade bands, as in :class:`PMCIndex`; used by :meth:`table`.
    dimensions : iterable of Dimension, optional
        Binary (0/1) dimensions to use instead of the generated ones, e.g. with
        labels of their own; one per sub-variable.  Given without
        ``variables``, their keys name the sub-variables (``X1_1``, ...).

    Attributes
    ----------
    dimensions : tuple of Dimension
        One binary dimension per sub-variable (see
        :meth:`PMCIndex.dimensions`); none while the variables are unknown.
    min_score, max_score : float
        0 and the number of variables (NaN while it is unknown).

    Examples
    --------
    >>> import pandas as pd
    >>> from policyquant.frameworks.pmc import PMCScale
    >>> frame = pd.DataFrame({"X1_1": [1, 0], "X1_2": [1, 1], "X2_1": [0, 1]}, index=["P1", "P2"])
    >>> PMCScale().score(frame)
    P1    1.0
    P2    1.5
    Name: PMC, dtype: float64
    >>> fixed = PMCScale({"X1": ["X1_1", "X1_2"], "X2": ["X2_1"]})
    >>> fixed.dimension_keys, fixed.min_score, fixed.max_score
    (('X1_1', 'X1_2', 'X2_1'), 0.0, 2.0)
    """

    name = "PMC"
    label = "PMC index"

    def __init__(
        self,
        variables: Mapping[str, Iterable[Hashable]] | None = None,
        bands: Any = None,
        *,
        dimensions: Iterable[Dimension] | None = None,
    ) -> None:
        self._bands = _to_bands(bands)
        given = None if dimensions is None else tuple(dimensions)
        if variables is None and given:
            variables = PMCIndex.from_columns([d.key for d in given], strict=True).variables
        self._index = None if variables is None else PMCIndex(variables, self._bands)
        if self._index is None:
            self._dimensions: tuple[Dimension, ...] = ()
        elif given:
            self._dimensions = _check_given_dimensions(given, self._index)
        else:
            self._dimensions = self._index.dimensions()

    @property
    def index(self) -> PMCIndex | None:
        """The fixed variable system, or None if the scale finds it in each frame."""
        return self._index

    @property
    def bands(self) -> PMCBands | None:
        """The grade bands given, if any."""
        return self._bands

    @property
    def dimensions(self) -> tuple[Dimension, ...]:
        """One binary dimension per sub-variable; empty while the variables are unknown."""
        return self._dimensions

    @property
    def min_score(self) -> float:
        """The lowest PMC: 0."""
        return 0.0

    @property
    def max_score(self) -> float:
        """The highest PMC: the number of variables (NaN while the variables are unknown)."""
        return float(self._index.n_variables) if self._index is not None else math.nan

    def index_for(self, frame: pd.DataFrame | Iterable[Hashable]) -> PMCIndex:
        """The index that scores ``frame``: the fixed one, or one found in the frame's columns.

        Examples
        --------
        >>> from policyquant.frameworks.pmc import PMCScale
        >>> PMCScale().index_for(["X1_1", "X2_1", "X2_2"]).variables
        {'X1': ('X1_1',), 'X2': ('X2_1', 'X2_2')}
        """
        if self._index is not None:
            return self._index
        return PMCIndex.from_columns(frame, self._bands)

    def _aligned(self, frame: pd.DataFrame) -> pd.DataFrame:
        """``frame`` with dimension keys (``X1_1``) renamed to the columns they stand for (``X1.1``)."""
        if self._index is None or not isinstance(frame, pd.DataFrame):
            return frame
        rename = {
            dimension.key: column
            for dimension, column in zip(self._dimensions, self._index.columns, strict=True)
            if column not in frame.columns and dimension.key in frame.columns
        }
        return frame.rename(columns=rename) if rename else frame

    def check_frame(self, frame: Any, *, source: str | None = None) -> None:
        """Raise :class:`~policyquant.errors.ValidationError` unless ``frame`` holds every sub-variable column.

        Examples
        --------
        >>> import pandas as pd
        >>> from policyquant.frameworks.pmc import PMCScale
        >>> PMCScale({"X1": ["X1_1", "X1_2"]}).check_frame(pd.DataFrame({"X1_1": [1]}))
        Traceback (most recent call last):
        ...
        policyquant.errors.ValidationError: cannot compute the PMC index: 1 sub-variable column(s) missing:
          - column 'X1_2': missing column; expected one column per sub-variable; did you mean X1_1?
        """
        frame = self._aligned(frame)
        self.index_for(frame)._check_frame(frame, source)

    def coerce_frame(self, frame: pd.DataFrame, *, source: str | None = None) -> pd.DataFrame:
        """The sub-variables of ``frame`` as floats (0.0 or 1.0), every value checked.

        Examples
        --------
        >>> import pandas as pd
        >>> from policyquant.frameworks.pmc import PMCScale
        >>> PMCScale().coerce_frame(pd.DataFrame({"X1_1": [True, False], "note": ["a", "b"]}))
           X1_1
        0   1.0
        1   0.0
        """
        frame = self._aligned(frame)
        index = self.index_for(frame)
        index._check_frame(frame, source)
        values = _binary_matrix(frame, index.columns, source)
        return pd.DataFrame(values, index=frame.index, columns=list(index.columns))

    def coerce_columns(
        self, columns: Mapping[str, Any], *, source: str | None = None
    ) -> dict[str, np.ndarray]:
        """Like :meth:`coerce_frame`, for a mapping of column to values; returns float arrays.

        Examples
        --------
        >>> from policyquant.frameworks.pmc import PMCScale
        >>> PMCScale().coerce_columns({"X1_1": [1, 0], "X1_2": [True, True]})
        {'X1_1': array([1., 0.]), 'X1_2': array([1., 1.])}
        """
        frame = self.coerce_frame(pd.DataFrame(dict(columns)), source=source)
        return {column: frame[column].to_numpy() for column in frame.columns}

    def score(self, frame: pd.DataFrame, *, source: str | None = None) -> pd.Series:
        """The PMC of every policy (row) of ``frame``.

        Parameters
        ----------
        frame : pandas.DataFrame
            One row per policy, one column per sub-variable, 0 or 1.
        source : str, optional
            Where the frame came from, for error messages.

        Returns
        -------
        pandas.Series
            Named ``"PMC"``, on ``frame``'s index.

        Raises
        ------
        ScoreError
            For any value other than 0 and 1, with its row and column.
        ValidationError
            If a sub-variable column is missing, or (for a scale that finds
            its variables) the frame has none.

        Examples
        --------
        >>> import pandas as pd
        >>> from policyquant.frameworks.pmc import PMCScale
        >>> PMCScale().score(pd.DataFrame({"X1_1": [1], "X1_2": [3]}, index=["P1"]))
        Traceback (most recent call last):
        ...
        policyquant.errors.ScoreError: 1 PMC sub-variable value is not 0 or 1:
          - row P1, column 'X1_2', value 3: not 0 or 1; expected 0 or 1 (or True/False, Yes/No, 是/否)
        """
        if not isinstance(frame, pd.DataFrame):
            raise ValidationError(f"a PMC scale scores a pandas.DataFrame, got {type(frame).__name__}")
        frame = self._aligned(frame)
        index = self.index_for(frame)
        pmc = index._means(frame, source).sum(axis=1)
        return pd.Series(pmc, index=frame.index, name=self.name, dtype=np.float64)

    def score_columns(self, columns: Mapping[str, Any], *, source: str | None = None) -> np.ndarray:
        """Score rows given as one array per sub-variable column (or dimension key).

        Examples
        --------
        >>> from policyquant.frameworks.pmc import PMCScale
        >>> PMCScale().score_columns({"X1_1": [1, 0], "X2_1": [1, 1]})
        array([2., 1.])
        """
        from ..._checks import require_equal_lengths

        require_equal_lengths(columns, "the scale")
        frame = pd.DataFrame(dict(columns))
        return self.score(frame, source=source).to_numpy(dtype=np.float64)

    def table(self, frame: pd.DataFrame, *, language: str | None = None) -> pd.DataFrame:
        """The full result of :meth:`PMCIndex.score`: variables, PMC, concavity and grade.

        Examples
        --------
        >>> import pandas as pd
        >>> from policyquant.frameworks.pmc import PMCScale
        >>> scale = PMCScale(bands={"High": 1, "Low": 0})
        >>> scale.table(pd.DataFrame({"X1_1": [1, 0], "X2_1": [1, 1]}, index=["P1", "P2"]))
             X1   X2  PMC  concavity grade
        P1  1.0  1.0  2.0        0.0  High
        P2  0.0  1.0  1.0        1.0  High
        """
        frame = self._aligned(frame)
        return self.index_for(frame).score(frame, language=language)

    @property
    def toml_spec(self) -> Callable[[], tuple[str, dict[str, Any]]] | None:
        """How a declarative (TOML) framework writes the scale, or None for a scale that finds its variables.

        Calling it returns ``("pmc", spec)``: the scale type and the other keys
        of its ``[scale]`` table (``variables`` and, if given, ``bands``), from
        which :func:`pmc_scale` and the scale's dimensions rebuild an equal
        scale.  A scale without fixed variables has no dimensions to write, so
        it has no ``toml_spec``.

        Examples
        --------
        >>> from policyquant.frameworks.pmc import PMCScale, pmc_scale
        >>> scale = PMCScale({"X1": ["X1_1", "X1_2"], "X2": ["X2_1"]}, bands={"Good": 1, "Poor": 0})
        >>> kind, spec = scale.toml_spec()
        >>> kind, spec["variables"], spec["bands"][0]
        ('pmc', {'X1': ['X1_1', 'X1_2'], 'X2': ['X2_1']}, {'label': 'Poor', 'min': 0})
        >>> pmc_scale(spec, scale.dimensions) == scale
        True
        >>> PMCScale().toml_spec is None
        True
        """
        if self._index is None:
            return None
        index, bands = self._index, self._bands

        def spec() -> tuple[str, dict[str, Any]]:
            table: dict[str, Any] = {
                "variables": {name: list(columns) for name, columns in index.variables.items()}
            }
            if bands is not None:
                rows = []
                for band in bands:
                    row: dict[str, Any] = {"label": band.label, "min": band.lower}
                    if band.upper is not None:
                        row["max"] = band.upper
                    if band.labels:
                        row["labels"] = dict(band.labels)
                    rows.append(row)
                table["bands"] = rows
            return "pmc", table

        return spec

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PMCScale):
            return (self._index, self._bands, self._dimensions) == (
                other._index,
                other._bands,
                other._dimensions,
            )
        return NotImplemented

    def __hash__(self) -> int:
        return hash((PMCScale, self._index, self._bands, self._dimensions))

    def __repr__(self) -> str:
        if self._index is None:
            return f"PMCScale(variables found in each frame, bands={self._bands!r})"
        return f"PMCScale({self._index!r})"


def _check_given_dimensions(given: tuple[Dimension, ...], index: PMCIndex) -> tuple[Dimension, ...]:
    by_key = {}
    for dimension in given:
        if not isinstance(dimension, Dimension):
            raise InvalidFrameworkError(f"PMC scale dimensions must be Dimension objects, got {dimension!r}")
        if sorted(float(s) for s in dimension.scores) != [0.0, 1.0]:
            raise InvalidFrameworkError(
                f"PMC sub-variable {dimension.key!r} must have exactly the levels 0 and 1, "
                f"got {dimension.describe_levels()}"
            )
        by_key[dimension.key] = dimension
    keys = [d.key for d in index.dimensions()]
    if sorted(by_key) != sorted(keys):
        raise InvalidFrameworkError(
            f"the PMC scale's dimensions ({format_choices(by_key)}) do not match its sub-variables "
            f"({format_choices(keys)})"
        )
    return tuple(by_key[key] for key in keys)


# --------------------------------------------------------------------------
# Framework, scale type and hooks.


def pmc_framework() -> Framework:
    """The ``"pmc"`` framework: a scale only, which finds its variables in the frame it scores.

    Returns
    -------
    Framework

    Examples
    --------
    >>> import pandas as pd
    >>> from policyquant.frameworks.pmc import pmc_framework
    >>> framework = pmc_framework()
    >>> framework.parts, framework.scale.name
    (('scale',), 'PMC')
    >>> framework.scale.score(pd.DataFrame({"X1_1": [1], "X1_2": [0], "X2_1": [1]})).tolist()
    [1.5]
    """
    return Framework(
        name="pmc",
        title="PMC index (Policy Modeling Consistency)",
        scale=PMCScale(),
        citation=PMC_CITATION,
        version="2011",
        description=(
            "Ruiz Estrada's Policy Modeling Consistency index: first-level variables, each the mean of "
            "binary sub-variables, summed into the PMC index and graded Perfect, Excellent, Acceptable "
            "or Bad. Name the sub-variable columns X1_1, X1_2, ..."
        ),
    )


def pmc_scale(spec: Mapping[str, Any], dimensions: tuple[Dimension, ...]) -> PMCScale:
    """Build a :class:`PMCScale` from a ``[scale]`` table with ``type = "pmc"``.

    Parameters
    ----------
    spec : mapping
        The table, without ``type``:

        ``variables`` (optional)
            A table of first-level variable to its sub-variable columns
            (``X1 = ["X1_1", "X1_2"]``), or a list of column names to find
            them in.  Without it, the framework's dimensions name the
            sub-variables, or, with no dimensions either, the scale finds them
            in each frame it scores.
        ``bands`` (optional)
            The grade bands: ``{Perfect = 7, Excellent = 5, ...}``, or a list
            of tables with ``label``, ``min``, ``max`` and ``labels``.
    dimensions : tuple of Dimension
        The framework's dimensions (binary, one per sub-variable), or empty.

    Examples
    --------
    >>> from policyquant.frameworks.pmc import pmc_scale
    >>> scale = pmc_scale(
    ...     {"variables": {"X1": ["X1_1", "X1_2"], "X2": ["X2_1"]},
    ...      "bands": [{"label": "Good", "min": 1.5, "labels": {"zh": "好"}}, {"label": "Poor", "min": 0}]},
    ...     (),
    ... )
    >>> scale.max_score, scale.bands.labels("zh")
    (2.0, ['Poor', '好'])
    >>> pmc_scale({"formula": "X1 + X2"}, ())
    Traceback (most recent call last):
    ...
    policyquant.errors.InvalidFrameworkError: scale: unknown key(s) formula; a pmc scale takes variables and bands
    """
    if not isinstance(spec, Mapping):
        raise InvalidFrameworkError(f"scale: a pmc scale is described by a table, got {type(spec).__name__}")
    unknown = sorted(set(map(str, spec)) - {"variables", "bands"})
    if unknown:
        raise InvalidFrameworkError(
            f"scale: unknown key(s) {', '.join(unknown)}; a pmc scale takes variables and bands"
        )
    variables = spec.get("variables")
    if variables is not None and not isinstance(variables, Mapping):
        if isinstance(variables, str) or not isinstance(variables, Iterable):
            raise InvalidFrameworkError(
                "scale: variables must be a table of first-level variable to sub-variable columns, "
                f"or a list of columns; got {variables!r}"
            )
        try:
            variables = PMCIndex.from_columns(list(variables), strict=True).variables
        except ValidationError as error:
            raise InvalidFrameworkError(f"scale: {error}") from None
    try:
        return PMCScale(variables, spec.get("bands"), dimensions=dimensions or None)
    except ValidationError as error:
        raise InvalidFrameworkError(f"scale: {error}") from None


@hookimpl
def policyquant_register_frameworks(register: Callable[..., None]) -> None:
    """Register the ``"pmc"`` framework (alias ``"pmc-index"``).

    Examples
    --------
    >>> from policyquant.plugins import FrameworkRegistry
    >>> registry = FrameworkRegistry(default_plugins=["policyquant.frameworks.pmc"], entry_point_group=None)
    >>> registry.get("pmc-index").citation.startswith("Ruiz Estrada")
    True
    """
    register(pmc_framework(), aliases=("pmc-index",))


@hookimpl
def policyquant_register_scale_types(register: Callable[..., None]) -> None:
    """Register the ``"pmc"`` scale type (:func:`pmc_scale`).

    Examples
    --------
    >>> from policyquant.plugins import FrameworkRegistry
    >>> registry = FrameworkRegistry(default_plugins=["policyquant.frameworks.pmc"], entry_point_group=None)
    >>> registry.scale_type("pmc")({"variables": ["X1_1", "X2_1"]}, ()).max_score
    2.0
    """
    register("pmc", pmc_scale)


# --------------------------------------------------------------------------
# The variable system in words: codebook and coding template.


#: The ten-variable system of the PMC how-to, for a technology sector: each first-level
#: variable with its English and Chinese names and its sub-variables' names.  An example to
#: adapt, not a standard; the ``"pmc"`` framework's codebook and template show it.
PMC_EXAMPLE_VARIABLES: Mapping[str, tuple[tuple[str, str], tuple[tuple[str, str], ...]]] = {
    "X1": (
        ("Policy nature", "政策性质"),
        (("predictive", "预测"), ("supervisory", "监管"), ("advisory", "建议"), ("descriptive", "描述"),
         ("guiding", "引导")),
    ),
    "X2": (
        ("Timeliness", "政策时效"),
        (("long term, over 5 years", "长期"), ("medium term, 3-5 years", "中期"),
         ("short term, under 3 years", "短期")),
    ),
    "X3": (
        ("Issuing body", "发布机构"),
        (("State Council", "国务院"), ("ministries and commissions", "部委"),
         ("provincial governments", "省级政府"), ("joint issuance", "联合发文")),
    ),
    "X4": (
        ("Policy domain", "政策领域"),
        (("economy", "经济"), ("society", "社会"), ("politics", "政治"), ("technology", "技术"),
         ("environment", "环境"), ("culture", "文化")),
    ),
    "X5": (
        ("Policy content", "政策内容"),
        (("research and development", "技术研发"), ("safety and supervision", "安全监管"),
         ("application and promotion", "应用推广")),
    ),
    "X6": (
        ("Incentive measures", "激励措施"),
        (("talent", "人才激励"), ("funding", "资金支持"), ("tax preferences", "税收优惠"),
         ("legal safeguards", "法规保障")),
    ),
    "X7": (
        ("Policy evaluation", "政策评价"),
        (("well founded", "依据充分"), ("clear objectives", "目标明确"), ("sound plan", "方案科学"),
         ("detailed planning", "规划翔实"), ("clear responsibilities", "权责清晰")),
    ),
    "X8": (
        ("Policy focus", "政策重点"),
        (("innovation", "技术创新"), ("industrial development", "产业发展"), ("talent training", "人才培养"),
         ("infrastructure", "基础设施")),
    ),
    "X9": (
        ("Policy object", "政策对象"),
        (("government", "政府"), ("enterprises", "企业"), ("universities", "高校"),
         ("research institutes", "科研机构"), ("social organisations", "社会组织"), ("the public", "公众")),
    ),
    "X10": (
        ("Policy openness", "政策公开"),
        (("published in full", "公开发布"), ("with an official interpretation", "政策解读")),
    ),
}

_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "variable": "variable",
        "sub-variable": "sub-variable",
        "variable.description": "The mean of its {n} sub-variables, from 0 to 1.",
        "sub.description": "1 if the policy covers it ({label}), 0 if not.",
        "policy_id": "policy",
        "title": "title",
        "sheet.pmc": "coding",
        "sheet.codebook": "codebook",
        "prompt.policy_id": "One id per policy, each once; the PMC table is reported by it.",
        "prompt.title": "The policy's title (optional; not scored).",
        "prompt.sub": "{variable} {variable_label}: {label}. 1 if the policy covers it, 0 if not.",
        "error.sub": "Type 1 (the policy covers it) or 0 (it does not).",
        "scores": "0, 1",
    },
    "zh": {
        "variable": "一级变量",
        "sub-variable": "二级变量",
        "variable.description": "其{n}个二级变量的均值，介于0与1之间。",
        "sub.description": "政策涉及（{label}）记1，否则记0。",
        "policy_id": "政策编号",
        "title": "政策名称",
        "sheet.pmc": "编码表",
        "sheet.codebook": "编码手册",
        "prompt.policy_id": "每项政策一个编号，不得重复；PMC结果按编号列出。",
        "prompt.title": "政策名称（可选，不计分）。",
        "prompt.sub": "{variable} {variable_label}：{label}。政策涉及记1，否则记0。",
        "error.sub": "请填1（政策涉及）或0（未涉及）。",
        "scores": "0, 1",
    },
}

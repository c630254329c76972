"""The framework-neutral model of a policy-analysis framework.

A *framework* is what a coder codes against: a taxonomy of policy instruments
grouped into families, a list of policy objectives, and optionally an efficacy
scale that turns a few scored dimensions into one number.  The classes here
are plain, immutable, validated data (``attrs`` frozen classes); any framework,
built in or from a plugin, is made of them.  :class:`EfficacyScale` is the one
abstract base class, because how a framework scores is behaviour, not data.

Every constructor validates its input and raises
:class:`~policyquant.errors.InvalidFrameworkError` naming the field and the
offending value.
"""

from __future__ import annotations

import abc
import decimal
import itertools
import math
import numbers
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, ClassVar, Literal

import attrs
import numpy as np
import pandas as pd

from ._i18n import _, current_language, join_choices, ngettext, pgettext
from ._text import closest, format_choices, normalize_name
from .errors import InvalidFrameworkError, ScoreError, UnknownCategoryError, ValidationError
from .formula import Formula

__all__ = [
    "ADMINISTRATIVE_LEVELS",
    "AdministrativeLevel",
    "Dimension",
    "EfficacyScale",
    "FormulaScale",
    "Framework",
    "Instrument",
    "InstrumentFamily",
    "LabelMap",
    "Level",
    "Objective",
]

#: The parts of a framework that :meth:`Framework.resolve` looks names up in.
Part = Literal["family", "instrument", "objective", "level"]

# --------------------------------------------------------------------------
# Validators and converters shared by the model classes.


def _check_key(instance: Any, attribute: attrs.Attribute, value: Any) -> None:
    """A key is non-empty text without surrounding or inner whitespace."""
    owner = type(instance).__name__
    if not isinstance(value, str):
        raise InvalidFrameworkError(
            f"{owner}.{attribute.name} must be text, got {type(value).__name__} {value!r}"
        )
    if not value or not value.strip():
        raise InvalidFrameworkError(f"{owner}.{attribute.name} must not be empty")
    if any(ch.isspace() for ch in value):
        raise InvalidFrameworkError(
            f"{owner}.{attribute.name} {value!r} must not contain whitespace; "
            f"use underscores or hyphens, e.g. {'_'.join(value.split())!r}"
        )


def _check_label(instance: Any, attribute: attrs.Attribute, value: Any) -> None:
    owner = type(instance).__name__
    if not isinstance(value, str) or not value.strip():
        raise InvalidFrameworkError(
            f"{owner}.{attribute.name} must be non-empty text, got {value!r}"
            + (f" (key {instance.key!r})" if hasattr(instance, "key") else "")
        )


def _check_text(instance: Any, attribute: attrs.Attribute, value: Any) -> None:
    if not isinstance(value, str):
        raise InvalidFrameworkError(
            f"{type(instance).__name__}.{attribute.name} must be text, got {type(value).__name__}"
        )


def _to_aliases(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    try:
        return tuple(value)
    except TypeError:
        raise InvalidFrameworkError(f"aliases must be text or a list of texts, got {value!r}") from None


def _check_aliases(instance: Any, attribute: attrs.Attribute, value: tuple[Any, ...]) -> None:
    for alias in value:
        if not isinstance(alias, str) or not alias.strip():
            raise InvalidFrameworkError(
                f"{type(instance).__name__} {getattr(instance, 'key', '')!r}: "
                f"every alias must be non-empty text, got {alias!r}"
            )


class LabelMap(Mapping[str, str]):
    """An immutable, hashable mapping of language code to label.

    Used for the ``labels`` field of model objects, e.g. ``{"zh": "标准规范"}``.

    Examples
    --------
    >>> labels = LabelMap({"zh": "标准规范"})
    >>> labels["zh"]
    '标准规范'
    >>> labels == {"zh": "标准规范"}
    True
    """

    __slots__ = ("_items",)

    def __init__(self, items: Mapping[str, str] | Iterable[tuple[str, str]] = ()) -> None:
        pairs = dict(items)
        for language, label in pairs.items():
            if not isinstance(language, str) or not language.strip():
                raise InvalidFrameworkError(
                    f"a label's language code must be non-empty text, got {language!r}"
                )
            if not isinstance(label, str) or not label.strip():
                raise InvalidFrameworkError(f"the {language!r} label must be non-empty text, got {label!r}")
        self._items = tuple(sorted(pairs.items()))

    def __getitem__(self, key: str) -> str:
        for language, label in self._items:
            if language == key:
                return label
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return (language for language, _ in self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(self._items)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return dict(self._items) == dict(other)
        return NotImplemented

    def __repr__(self) -> str:
        return f"LabelMap({dict(self._items)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (LabelMap, (self._items,))


def _to_labels(value: Any) -> LabelMap:
    if isinstance(value, LabelMap):
        return value
    if value is None:
        return LabelMap()
    if not isinstance(value, Mapping):
        raise InvalidFrameworkError(f"labels must map a language code to a label, got {value!r}")
    return LabelMap(value)


def _key_field() -> Any:
    return attrs.field(validator=_check_key)


def _label_field() -> Any:
    return attrs.field(validator=_check_label)


def _description_field() -> Any:
    return attrs.field(default="", validator=_check_text, kw_only=False)


def _labels_field() -> Any:
    return attrs.field(factory=LabelMap, converter=_to_labels)


def _aliases_field() -> Any:
    return attrs.field(default=(), converter=_to_aliases, validator=_check_aliases)


class _Named:
    """Behaviour shared by everything that has a key, a label and localized labels."""

    key: str
    label: str
    labels: LabelMap

    def label_in(self, language: str | None = None) -> str:
        """Return the label in ``language``, falling back to the default label.

        Parameters
        ----------
        language : str, optional
            A language code such as ``"zh"``; ``None`` gives the default label.
            Looked up as the package resolves languages everywhere: case and
            ``-``/``_`` do not matter and a regional or script tag falls back
            to its language (``"zh-CN"``, ``"zh_Hans"`` and ``"中文"`` find the
            ``"zh"`` label).  A language with no label gives the default label.

        Raises
        ------
        ValidationError
            When ``language`` is neither None nor a non-blank text.

        Examples
        --------
        >>> from policyquant import Objective
        >>> goal = Objective("safety", "Public safety", labels={"zh": "公共安全"})
        >>> goal.label_in("zh"), goal.label_in("zh-CN"), goal.label_in("fr")
        ('公共安全', '公共安全', 'Public safety')
        """
        from ._language import label_lookup

        found = label_lookup(self.labels, language)
        return self.label if found is None else found

    def names(self) -> tuple[str, ...]:
        """Every name a coder may use for this item: key, label, localized labels, aliases.

        Examples
        --------
        >>> from policyquant import Objective
        >>> Objective("safety", "Public safety", labels={"zh": "公共安全"}, aliases=("security",)).names()
        ('safety', 'Public safety', '公共安全', 'security')
        """
        return (self.key, self.label, *self.labels.values(), *getattr(self, "aliases", ()))


# --------------------------------------------------------------------------
# Taxonomy: families, instruments, objectives.


@attrs.frozen
class InstrumentFamily(_Named):
    """A family of policy instruments, such as Howlett and Ramesh's *mandatory*.

    Parameters
    ----------
    key : str
        Identifier, unique within the framework (no whitespace).
    label : str
        Human-readable name.
    description : str, optional
        What the family comprises, for the codebook.
    labels : mapping of str to str, optional
        Localized labels by language code, e.g. ``{"zh": "强制型"}``.

    Examples
    --------
    >>> from policyquant import InstrumentFamily
    >>> InstrumentFamily("mandatory", "Mandatory", labels={"zh": "强制型"}).label_in("zh")
    '强制型'
    >>> InstrumentFamily("", "Mandatory")
    Traceback (most recent call last):
    ...
    policyquant.errors.InvalidFrameworkError: InstrumentFamily.key must not be empty
    """

    key: str = _key_field()
    label: str = _label_field()
    description: str = _description_field()
    labels: LabelMap = _labels_field()


@attrs.frozen
class Instrument(_Named):
    """A policy instrument, coded on clauses.

    Parameters
    ----------
    key : str
        Identifier, unique within the framework (no whitespace).
    label : str
        Human-readable name.
    family : str
        The key of the :class:`InstrumentFamily` it belongs to.
    description : str, optional
        The coding rule: when a clause uses this instrument.
    labels : mapping of str to str, optional
        Localized labels by language code.
    aliases : iterable of str, optional
        Other names coders use for it (accepted when reading coding sheets).

    Examples
    --------
    >>> from policyquant import Instrument
    >>> subsidies = Instrument("subsidies", "Subsidies", family="mixed", aliases=["grants"])
    >>> subsidies.family, subsidies.aliases
    ('mixed', ('grants',))
    """

    key: str = _key_field()
    label: str = _label_field()
    family: str = attrs.field(validator=_check_key)
    description: str = _description_field()
    labels: LabelMap = _labels_field()
    aliases: tuple[str, ...] = _aliases_field()


@attrs.frozen
class Objective(_Named):
    """A policy objective that clauses serve.

    Parameters
    ----------
    key : str
        Identifier, unique within the framework (no whitespace).
    label : str
        Human-readable name.
    description : str, optional
        The coding rule: when a clause serves this objective.
    labels : mapping of str to str, optional
        Localized labels by language code.
    aliases : iterable of str, optional
        Other names coders use for it.

    Examples
    --------
    >>> from policyquant import Objective
    >>> Objective("public_safety", "Public Safety and Interests").key
    'public_safety'
    """

    key: str = _key_field()
    label: str = _label_field()
    description: str = _description_field()
    labels: LabelMap = _labels_field()
    aliases: tuple[str, ...] = _aliases_field()


@attrs.frozen
class AdministrativeLevel(_Named):
    """An administrative level of the government that issues a document: national, provincial ...

    A framework's :attr:`Framework.levels` are the values a document's
    ``level`` column may take; coders may write any of a level's names.

    Parameters
    ----------
    key : str
        Identifier, unique within the framework (no whitespace).
    label : str
        Human-readable name.
    description : str, optional
        Which documents the level covers.
    labels : mapping of str to str, optional
        Localized labels by language code.
    aliases : iterable of str, optional
        Other names coders use for it.

    Examples
    --------
    >>> import policyquant as pq
    >>> town = pq.AdministrativeLevel("township", "Township", labels={"zh": "乡镇级"}, aliases=["乡镇"])
    >>> town.names()
    ('township', 'Township', '乡镇级', '乡镇')
    """

    key: str = _key_field()
    label: str = _label_field()
    description: str = _description_field()
    labels: LabelMap = _labels_field()
    aliases: tuple[str, ...] = _aliases_field()


#: The administrative levels policyquant knows, from the top down: the default
#: :attr:`Framework.levels`, and what a level given by name alone (``"municipal"``,
#: ``"市级"``) stands for.  "Municipality" is not a name of ``municipal``: China's
#: municipalities (直辖市) are provincial-level; "local" (地方) stays a name of
#: ``provincial``, as in the wang2026 coding.
ADMINISTRATIVE_LEVELS = (
    AdministrativeLevel(
        "national",
        "National",
        "Documents of the central government, its ministries and national bodies.",
        labels={"zh": "国家级"},
        aliases=("central", "nation", "国家", "中央", "全国", "中央级"),
    ),
    AdministrativeLevel(
        "provincial",
        "Provincial",
        "Documents of provinces, autonomous regions and the municipalities directly under the central government.",
        labels={"zh": "省级"},
        aliases=("province", "provincial-level", "local", "省", "地方", "省级地方"),
    ),
    AdministrativeLevel(
        "municipal",
        "Municipal",
        "Documents of prefecture-level cities and other prefecture-level divisions.",
        labels={"zh": "市级"},
        aliases=(
            "prefecture-level",
            "prefectural",
            "prefecture",
            "city",
            "地市级",
            "地级",
            "地级市",
            "市",
            "地市",
        ),
    ),
    AdministrativeLevel(
        "county",
        "County",
        "Documents of counties, county-level cities and urban districts.",
        labels={"zh": "县级"},
        aliases=("county-level", "district", "区县", "县区", "县", "区", "区县级", "县市区"),
    ),
)


# --------------------------------------------------------------------------
# Scoring: levels, dimensions, scales.


def _check_score(instance: Any, attribute: attrs.Attribute, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise InvalidFrameworkError(f"Level.score must be a number, got {value!r}")
    try:
        finite = math.isfinite(float(value))
    except OverflowError:
        finite = False
    if not finite:
        raise InvalidFrameworkError(f"Level.score must be a finite number, got {value!r}")


def _to_score(value: Any) -> Any:
    if isinstance(value, (np.integer, np.floating)):
        return value.item()
    return value


@attrs.frozen
class Level:
    """One level of a scored dimension: a score and what it means.

    Parameters
    ----------
    score : int or float
        The score coders assign.
    label : str
        What the level means, in short (a coder may type it instead of the score).
    description : str, optional
        The scoring standard in full.
    labels : mapping of str to str, optional
        Localized labels by language code.
    aliases : iterable of str, optional
        Other names accepted for this level.

    Examples
    --------
    >>> from policyquant import Level
    >>> Level(3, "Departmental rules", labels={"zh": "部门规章"}).score
    3
    """

    score: int | float = attrs.field(converter=_to_score, validator=_check_score)
    label: str = _label_field()
    description: str = _description_field()
    labels: LabelMap = _labels_field()
    aliases: tuple[str, ...] = _aliases_field()

    label_in = _Named.label_in

    def names(self) -> tuple[str, ...]:
        """The label, localized labels and aliases by which a coder may name the level.

        Examples
        --------
        >>> from policyquant import Level
        >>> Level(1, "Working documents", labels={"zh": "工作文件"}).names()
        ('Working documents', '工作文件')
        """
        return (self.label, *self.labels.values(), *self.aliases)


def _to_levels(value: Any) -> tuple[Level, ...]:
    try:
        return tuple(value)
    except TypeError:
        raise InvalidFrameworkError(
            f"Dimension levels must be a list of Level objects, got {value!r}"
        ) from None


def _check_levels(instance: Dimension, attribute: attrs.Attribute, value: tuple[Any, ...]) -> None:
    if not value:
        raise InvalidFrameworkError(f"Dimension {instance.key!r} must have at least one level")
    for level in value:
        if not isinstance(level, Level):
            raise InvalidFrameworkError(
                f"Dimension {instance.key!r}: levels must be Level objects, got {level!r}"
            )
    _reject_duplicates([level.score for level in value], f"score of dimension {instance.key!r}")
    _reject_ambiguous_names(
        ((level.score, name) for level in value for name in level.names()),
        f"levels of dimension {instance.key!r}",
    )


def _check_unit(instance: Dimension, attribute: attrs.Attribute, value: Any) -> None:
    if value not in Dimension.UNITS:
        raise InvalidFrameworkError(
            f"Dimension {instance.key!r}: unit must be one of {', '.join(Dimension.UNITS)}, got {value!r}"
        )


def _check_identifier(instance: Any, attribute: attrs.Attribute, value: Any) -> None:
    _check_key(instance, attribute, value)
    import keyword

    # Python folds full-width and other compatibility characters in names
    # (ＤＡ is parsed as DA), so a key must already be in that folded form.
    if not value.isidentifier() or keyword.iskeyword(value) or unicodedata.normalize("NFKC", value) != value:
        raise InvalidFrameworkError(
            f"Dimension key {value!r} must be a name a formula can use "
            "(letters, digits and underscores, not starting with a digit, not a Python keyword, "
            "no full-width characters)"
        )


@attrs.frozen
class Dimension:
    """A scored dimension of efficacy, such as authority strength (``DA``).

    Parameters
    ----------
    key : str
        Identifier, also the column name in scored frames and the name used in
        formulas (letters, digits, underscores).
    label : str
        Human-readable name.
    levels : iterable of Level
        The allowed levels; scores must be unique.
    unit : {"unit", "document"}, default "unit"
        What is scored: each coded clause (``"unit"``) or each policy document
        (``"document"``, e.g. authority strength, which comes from the
        document's form and issuer).
    description : str, optional
        What the dimension measures.
    labels : mapping of str to str, optional
        Localized labels by language code.

    Examples
    --------
    >>> from policyquant import Dimension, Level
    >>> scope = Dimension("AS", "Audience scope", [Level(5, "All"), Level(3, "Several"), Level(1, "One")])
    >>> scope.scores
    (5, 3, 1)
    >>> scope.min_score, scope.max_score
    (1, 5)
    >>> Dimension("AS", "Audience scope", [Level(1, "One")], unit="clause")
    Traceback (most recent call last):
    ...
    policyquant.errors.InvalidFrameworkError: Dimension 'AS': unit must be one of document, unit, got 'clause'
    """

    UNITS: ClassVar[tuple[str, ...]] = ("document", "unit")

    key: str = attrs.field(validator=_check_identifier)
    label: str = _label_field()
    levels: tuple[Level, ...] = attrs.field(converter=_to_levels, validator=_check_levels)
    unit: str = attrs.field(default="unit", validator=_check_unit)
    description: str = attrs.field(default="", validator=_check_text)
    labels: LabelMap = _labels_field()

    label_in = _Named.label_in

    @property
    def scores(self) -> tuple[int | float, ...]:
        """The allowed scores, in the order the levels were given."""
        return tuple(level.score for level in self.levels)

    @property
    def min_score(self) -> int | float:
        """The lowest allowed score."""
        return min(self.scores)

    @property
    def max_score(self) -> int | float:
        """The highest allowed score."""
        return max(self.scores)

    def level(self, value: Any) -> Level:
        """Return the level with this score, label, localized label or alias.

        Parameters
        ----------
        value : number or str
            A score (``3``, ``"3"``) or a level name (``"Departmental rules"``).

        Raises
        ------
        ScoreError
            If ``value`` names no level; the message lists the allowed levels.

        Examples
        --------
        >>> from policyquant import Dimension, Level
        >>> da = Dimension("DA", "Authority", [Level(3, "Departmental rules", labels={"zh": "部门规章"})])
        >>> da.level("部门规章").score
        3
        """
        scores = self.coerce(pd.Series([value], dtype=object))
        return self.levels[self.scores.index(scores[0])]

    def describe_levels(self) -> str:
        """The allowed levels as text for messages, e.g. ``5 (All), 3 (Several)``.

        Examples
        --------
        >>> from policyquant import Dimension, Level
        >>> Dimension("MI", "Measures", [Level(5, "Detailed"), Level(1, "Macro")]).describe_levels()
        '5 (Detailed), 1 (Macro)'
        """
        language = current_language()
        if language == "en":
            return ", ".join(f"{level.score} ({level.label})" for level in self.levels)
        # Chinese messages show a level by its Chinese label, as the drop-down lists it.
        return join_choices(
            (_("{score} ({label})").format(score=f"{level.score:g}", label=level.label_in(language))
             for level in self.levels),
            limit=len(self.levels),
        )

    def coerce(self, values: Any, *, source: str | None = None, column: str | None = None) -> np.ndarray:
        """Turn scores or level names into scores, checking every value.

        Vectorised: numbers are checked with :func:`numpy.isin`; text is matched
        against the levels' names once per distinct value.

        Parameters
        ----------
        values : array-like or pandas.Series
            Scores as numbers or numeric text, or level labels.  A Series'
            index labels the rows in error messages.
        source : str, optional
            The file or table the values come from, for error messages.
        column : str, optional
            The column name to report; defaults to the dimension's key.

        Returns
        -------
        numpy.ndarray
            The scores as floats, one per value.

        Raises
        ------
        ScoreError
            Listing every value that is missing or not a level, with its row.

        Examples
        --------
        >>> import pandas as pd
        >>> from policyquant import Dimension, Level
        >>> mi = Dimension("MI", "Measures", [Level(5, "Detailed"), Level(3, "Clear"), Level(1, "Macro")])
        >>> mi.coerce(pd.Series([5, "3", "macro"]))
        array([5., 3., 1.])
        >>> mi.coerce(pd.Series([5, 4]))
        Traceback (most recent call last):
        ...
        policyquant.errors.ScoreError: 1 value of MI is not a level of the scale:
          - row 1, column 'MI', value 4: not a level of MI (Measures); expected 5 (Detailed), 3 (Clear), 1 (Macro)
        """
        series = values if isinstance(values, pd.Series) else pd.Series(values, dtype=object)
        allowed = np.asarray(self.scores, dtype=np.float64)
        numeric, text = score_numbers(series)
        result = np.where(np.isin(numeric, allowed), numeric, np.nan)
        # Only text can name a level; True, 5+0j and the like are no score (score_numbers).
        unresolved = np.isnan(result) & text
        if unresolved.any():
            # Level names are resolved per distinct text, not per row.
            lookup = {normalize_name(name): level.score for level in self.levels for name in level.names()}
            # Scores typed as text in any width ("５", "5.0") also name their level.
            lookup.update({normalize_name(f"{s:g}"): s for s in self.scores})
            lookup.update({normalize_name(str(float(s))): s for s in self.scores})
            texts = series[unresolved]
            distinct = pd.unique(texts.astype(object))
            mapping = {name: lookup.get(normalize_name(name), np.nan) for name in distinct}
            result[unresolved] = texts.astype(object).map(mapping).to_numpy(dtype=np.float64)
        bad = np.isnan(result)
        if bad.any():
            rows = series.index[bad]
            offenders = series[bad]
            problems = []
            names = [n for lv in self.levels for n in lv.names()]
            suggestions: dict[str, str | None] = {}

            def suggest(value: str) -> str | None:
                # A wrong value typed on many rows is looked up once: closest() is a string search.
                if value not in suggestions:
                    suggestions[value] = ", ".join(closest(value, names)) or None
                return suggestions[value]

            # English lists the levels as they are; Chinese says "one of" before them.
            expected = pgettext("expected levels", "{levels}").format(levels=self.describe_levels())
            for row, value in zip(rows, offenders, strict=True):
                missing = (
                    value is None
                    or value is pd.NA
                    or value is pd.NaT
                    or (isinstance(value, (float, np.floating)) and np.isnan(value))
                )
                problems.append(
                    {
                        "file": source,
                        "row": row,
                        "column": column or self.key,
                        "value": None if missing else value,
                        "problem": _("missing score")
                        if missing
                        else _("not a level of {key} ({label})").format(
                            key=self.key, label=self.label_in(current_language())
                        ),
                        "expected": expected,
                        "suggestions": None if missing or not isinstance(value, str) else suggest(value),
                    }
                )
            count = len(problems)
            raise ScoreError(
                ngettext(
                    "{count} value of {key} is not a level of the scale",
                    "{count} values of {key} are not a level of the scale",
                    count,
                ).format(count=count, key=self.key),
                problems,
            )
        return result


def _score_kind(kind: type) -> int:
    """0 for a type that is never a score, 1 for a real number, 2 for text."""
    if issubclass(kind, (bool, np.bool_)):
        return 0
    if issubclass(kind, str):
        return 2
    if issubclass(kind, (numbers.Real, decimal.Decimal)):
        return 1
    return 0


def _floats(objects: np.ndarray) -> np.ndarray:
    """Real numbers as floats; NaN for one beyond the float range (10 ** 400) or not a number."""
    try:
        return objects.astype(np.float64)
    except (OverflowError, TypeError, ValueError, ArithmeticError):

        def one(value: Any) -> float:
            try:
                return float(value)
            except (OverflowError, TypeError, ValueError, ArithmeticError):
                return np.nan

        return np.fromiter((one(v) for v in objects), dtype=np.float64, count=len(objects))


def score_numbers(values: Any) -> tuple[np.ndarray, np.ndarray]:
    """Read score cells as numbers, by the one rule for what a score may be.

    A score is a real number (``int``, ``float``, a numpy integer or float,
    :class:`~decimal.Decimal`, :class:`~fractions.Fraction`) or text: a number
    written out (``"5"``, ``"5.0"``, ``" 5 "``) or a level's name.
    ``True``/``False`` (Python or numpy), complex numbers (even ``5+0j``),
    bytes, dates and other objects are never scores.  Every check of scores,
    :meth:`Dimension.coerce` (behind ``scale.score`` and ``Dimension.level``)
    and :func:`~policyquant.read_coding`, follows this rule.

    Parameters
    ----------
    values : array-like or pandas.Series
        The cells.

    Returns
    -------
    numbers : numpy.ndarray
        Each cell as a float: a real number's value, numeric text's value,
        NaN for anything else (including a missing cell and a level name).
    text : numpy.ndarray of bool
        Which cells are text, to be looked up among the level names where they
        are not a number.

    Examples
    --------
    >>> import numpy as np
    >>> from policyquant.model import score_numbers
    >>> numbers, text = score_numbers([5, "3", "Macro", True, 5 + 0j, np.float32(1), None])
    >>> numbers
    array([ 5.,  3., nan, nan, nan,  1., nan])
    >>> text
    array([False,  True,  True, False, False, False, False])
    """
    series = values if isinstance(values, pd.Series) else pd.Series(values, dtype=object)
    count = len(series)
    numbers_ = np.full(count, np.nan)
    text = np.zeros(count, dtype=bool)
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_complex_dtype(dtype):
        return numbers_, text
    if pd.api.types.is_numeric_dtype(dtype):
        return series.to_numpy(dtype=np.float64, na_value=np.nan), text
    if isinstance(dtype, pd.StringDtype):
        text = series.notna().to_numpy(dtype=bool)
        return pd.to_numeric(series, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan), text
    objects = series.to_numpy(dtype=object)
    # One call of type() per cell, in C; the rule is then applied once per distinct type.
    codes, kinds = pd.factorize(np.frompyfunc(type, 1, 1)(objects) if count else np.empty(0, dtype=object))
    kind = np.array([_score_kind(k) for k in kinds], dtype=np.int8)[codes] if count else np.empty(0, np.int8)
    number = kind == 1
    text = kind == 2
    if number.any():
        numbers_[number] = _floats(objects[number])
    if text.any():
        numbers_[text] = pd.to_numeric(pd.Series(objects[text], dtype=object), errors="coerce").to_numpy(
            dtype=np.float64, na_value=np.nan
        )
    return numbers_, text


class EfficacyScale(abc.ABC):
    """Abstract base of efficacy scales: turn dimension scores into one score.

    A scale holds its :attr:`dimensions` and scores many units at once with
    :meth:`score`, which takes a DataFrame with one column per dimension key.
    Concrete scales implement :meth:`score`, :attr:`min_score` and
    :attr:`max_score`; :class:`FormulaScale` covers any arithmetic formula.

    Subclasses should call :meth:`coerce_frame` in :meth:`score` so that every
    input is checked against the dimensions' levels the same way.

    Examples
    --------
    A scale that takes the largest of its dimensions:

    >>> import pandas as pd
    >>> from policyquant import Dimension, EfficacyScale, Level
    >>> class MaxScale(EfficacyScale):
    ...     def __init__(self, dimensions):
    ...         self._dimensions = tuple(dimensions)
    ...     @property
    ...     def dimensions(self):
    ...         return self._dimensions
    ...     def score(self, frame):
    ...         scores = self.coerce_frame(frame)
    ...         return scores.max(axis=1).rename("score")
    ...     @property
    ...     def min_score(self):
    ...         return max(d.min_score for d in self.dimensions)
    ...     @property
    ...     def max_score(self):
    ...         return max(d.max_score for d in self.dimensions)
    >>> levels = [Level(1, "low"), Level(2, "high")]
    >>> scale = MaxScale([Dimension("a", "A", levels), Dimension("b", "B", levels)])
    >>> scale.score(pd.DataFrame({"a": [1, 2], "b": [1, 1]})).tolist()
    [1.0, 2.0]
    """

    #: Name of the score column and Series that :meth:`score` returns.
    name: str = "score"

    @property
    @abc.abstractmethod
    def dimensions(self) -> tuple[Dimension, ...]:
        """The scored dimensions, in order."""

    @abc.abstractmethod
    def score(self, frame: pd.DataFrame) -> pd.Series:
        """Score every row of ``frame`` (one column per dimension key)."""

    @property
    @abc.abstractmethod
    def min_score(self) -> float:
        """The lowest score the scale can give."""

    @property
    @abc.abstractmethod
    def max_score(self) -> float:
        """The highest score the scale can give."""

    @property
    def dimension_keys(self) -> tuple[str, ...]:
        """The dimensions' keys, in order."""
        return tuple(d.key for d in self.dimensions)

    def dimension(self, key: str) -> Dimension:
        """Return the dimension with this key.

        Raises
        ------
        UnknownCategoryError
            If there is none; the message lists the dimension keys.
        """
        for dimension in self.dimensions:
            if dimension.key == key:
                return dimension
        raise UnknownCategoryError(
            f"the scale has no dimension {key!r}",
            [
                {
                    "value": key,
                    "problem": "unknown dimension",
                    "expected": format_choices(self.dimension_keys),
                    "suggestions": ", ".join(closest(key, self.dimension_keys)) or None,
                }
            ],
        )

    def dimensions_for(self, unit: str) -> tuple[Dimension, ...]:
        """The dimensions scored per ``"document"`` or per ``"unit"``."""
        return tuple(d for d in self.dimensions if d.unit == unit)

    def coerce_frame(self, frame: pd.DataFrame, *, source: str | None = None) -> pd.DataFrame:
        """Check and convert every dimension column of ``frame`` to scores.

        Collects the problems of all dimensions before raising, so that one
        error lists everything that is wrong.

        Parameters
        ----------
        frame : pandas.DataFrame
            One column per dimension key; other columns are ignored.
        source : str, optional
            Where the frame came from, for messages.

        Returns
        -------
        pandas.DataFrame
            One float column per dimension, on ``frame``'s index.

        Raises
        ------
        ValidationError
            If a dimension column is missing.
        ScoreError
            If any value is not a level of its dimension.
        """
        self.check_frame(frame, source=source)
        return pd.DataFrame(self.coerce_columns(frame, source=source), index=frame.index)

    def check_frame(self, frame: Any, *, source: str | None = None) -> None:
        """Raise :class:`ValidationError` unless ``frame`` is a DataFrame with every dimension column.

        Examples
        --------
        >>> import pandas as pd
        >>> import policyquant as pq
        >>> pq.get_framework("wang2026").scale.check_frame(pd.DataFrame({"DA": [5], "AS": [5]}))
        Traceback (most recent call last):
        ...
        policyquant.errors.ValidationError: cannot score: 1 dimension column(s) missing:
          - column 'MI': missing column; expected one column per dimension: DA, AS, MI
        """
        if not isinstance(frame, pd.DataFrame):
            raise ValidationError(
                f"a scale scores a pandas.DataFrame with the columns {', '.join(self.dimension_keys)}, "
                f"got {type(frame).__name__}"
            )
        missing = [key for key in self.dimension_keys if key not in frame.columns]
        if missing:
            raise ValidationError(
                f"cannot score: {len(missing)} dimension column(s) missing",
                [
                    {
                        "file": source,
                        "column": key,
                        "problem": "missing column",
                        "expected": f"one column per dimension: {', '.join(self.dimension_keys)}",
                        "suggestions": ", ".join(closest(key, map(str, frame.columns))) or None,
                    }
                    for key in missing
                ],
            )

    def coerce_columns(
        self, columns: Mapping[str, Any], *, source: str | None = None
    ) -> dict[str, np.ndarray]:
        """Like :meth:`coerce_frame`, for a mapping of dimension key to column; returns float arrays.

        The fast path for millions of rows: no DataFrame is assembled.

        Examples
        --------
        >>> import policyquant as pq
        >>> ape = pq.get_framework("wang2026").scale
        >>> ape.coerce_columns({"DA": [5], "AS": ["3"], "MI": ["Macro-level only"]})
        {'DA': array([5.]), 'AS': array([3.]), 'MI': array([1.])}
        """
        missing = [key for key in self.dimension_keys if key not in columns]
        if missing:
            raise ValidationError(f"cannot score: no values for the dimension(s) {', '.join(missing)}")
        from ._checks import require_equal_lengths

        require_equal_lengths({key: columns[key] for key in self.dimension_keys}, "the scale")
        arrays: dict[str, np.ndarray] = {}
        problems: list[pd.DataFrame] = []
        for dimension in self.dimensions:
            try:
                arrays[dimension.key] = dimension.coerce(columns[dimension.key], source=source)
            except ScoreError as error:
                problems.append(error.problems)
        if problems:
            table = pd.concat(problems, ignore_index=True).astype(object)
            table = table.where(table.notna(), None)
            count = len(table)
            raise ScoreError(
                f"{count} score{'s' if count != 1 else ''} {'are' if count != 1 else 'is'} "
                f"not a level of {'their' if count != 1 else 'its'} dimension",
                table.to_dict("records"),
            )
        return arrays

    def score_columns(self, columns: Mapping[str, Any]) -> np.ndarray:
        """Score rows given as one array per dimension; returns the scores as a float array.

        The default builds a DataFrame and calls :meth:`score`; concrete
        scales may override it with a faster path.

        Examples
        --------
        >>> import policyquant as pq
        >>> pq.get_framework("wang2026").scale.score_columns({"DA": [5, 1], "AS": [5, 1], "MI": [5, 1]})
        array([50.,  2.])
        """
        frame = pd.DataFrame({key: columns[key] for key in self.dimension_keys})
        return self.score(frame).to_numpy(dtype=np.float64)


def _to_dimensions(value: Any) -> tuple[Dimension, ...]:
    return tuple(value)


def _check_dimensions(instance: Any, attribute: attrs.Attribute, value: tuple[Any, ...]) -> None:
    if not value:
        raise InvalidFrameworkError("a scale needs at least one dimension")
    for dimension in value:
        if not isinstance(dimension, Dimension):
            raise InvalidFrameworkError(f"scale dimensions must be Dimension objects, got {dimension!r}")
    _reject_duplicates([d.key for d in value], "dimension key")


@attrs.frozen
class FormulaScale(EfficacyScale):
    """An efficacy scale computed by a safe arithmetic formula over its dimensions.

    Parameters
    ----------
    dimensions : iterable of Dimension
        The scored dimensions; their keys are the formula's variables.
    formula : str
        An arithmetic expression over the dimension keys, parsed by
        :class:`policyquant.formula.Formula` (never evaluated as Python).
    name : str, default "score"
        Name of the resulting score (e.g. ``"APE"``).
    label : str, optional
        Human-readable name of the score.

    Attributes
    ----------
    min_score, max_score : float
        The bounds of the score over every combination of levels.

    Examples
    --------
    The study's policy efficacy, APE = DA x (AS + MI):

    >>> import pandas as pd
    >>> import policyquant as pq
    >>> ape = pq.get_framework("wang2026").scale
    >>> ape.formula
    'DA * (AS + MI)'
    >>> ape.min_score, ape.max_score
    (2.0, 50.0)
    >>> frame = pd.DataFrame({"DA": [5, 3, 1], "AS": [5, 3, 1], "MI": [5, 1, 1]})
    >>> ape.score(frame).tolist()
    [50.0, 12.0, 2.0]
    """

    dimensions: tuple[Dimension, ...] = attrs.field(converter=_to_dimensions, validator=_check_dimensions)
    formula: str = attrs.field()
    name: str = attrs.field(default="score", kw_only=True, validator=_check_key)
    label: str = attrs.field(default="", kw_only=True, validator=_check_text)
    _compiled: Formula = attrs.field(init=False, repr=False, eq=False)
    _bounds: tuple[float, float] = attrs.field(init=False, repr=False, eq=False)

    @formula.validator
    def _check_formula(self, attribute: attrs.Attribute, value: Any) -> None:
        # Parsing happens here so that an unsafe formula never yields an object.
        compiled = Formula(value, variables=[d.key for d in self.dimensions])
        object.__setattr__(self, "_compiled", compiled)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_bounds", self._find_bounds())

    def __getstate__(self) -> dict[str, Any]:
        return {
            "dimensions": self.dimensions,
            "formula": self.formula,
            "name": self.name,
            "label": self.label,
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        fresh = FormulaScale(**state)
        for field in ("dimensions", "formula", "name", "label", "_compiled", "_bounds"):
            object.__setattr__(self, field, getattr(fresh, field))

    def _find_bounds(self) -> tuple[float, float]:
        # Exact whatever the number of combinations (see Formula.range): bounds
        # are scores some combination gets, and a score that is not finite
        # anywhere is found, not only at the dimensions' extremes.
        found = self._compiled.range({d.key: d.scores for d in self.dimensions})
        if not found.finite:
            assert found.undefined_at is not None
            dimensions = {d.key: d for d in self.dimensions}
            where = ", ".join(
                f"{key} = {score:g} ({dimensions[key].levels[dimensions[key].scores.index(score)].label})"
                for key, score in found.undefined_at.items()
            )
            raise InvalidFrameworkError(
                f"formula {self.formula!r} is not finite for every combination of levels: it is "
                f"{found.undefined}{' when ' + where if where else ''} (division by zero or log of zero?)"
            )
        return found.low, found.high

    @property
    def min_score(self) -> float:
        """The lowest score over every combination of levels."""
        return self._bounds[0]

    @property
    def max_score(self) -> float:
        """The highest score over every combination of levels."""
        return self._bounds[1]

    def score(self, frame: pd.DataFrame, *, source: str | None = None) -> pd.Series:
        """Score every row of ``frame``.

        Parameters
        ----------
        frame : pandas.DataFrame
            One column per dimension key, holding scores or level names.
        source : str, optional
            Where the frame came from, for error messages.

        Returns
        -------
        pandas.Series
            Float scores named :attr:`name`, on ``frame``'s index.

        Raises
        ------
        ScoreError
            If any value is not one of its dimension's levels; the message names
            the dimension, the value, its row and the allowed levels.
        ValidationError
            If a dimension column is missing.

        Examples
        --------
        >>> import pandas as pd
        >>> import policyquant as pq
        >>> ape = pq.get_framework("wang2026").scale
        >>> ape.score(pd.DataFrame({"DA": [2], "AS": [4], "MI": [3]}))
        Traceback (most recent call last):
        ...
        policyquant.errors.ScoreError: 1 score is not a level of its dimension:
          - row 0, column 'AS', value 4: not a level of AS (Audience scope); expected 5 (...), 3 (...), 1 (...)
        """
        self.check_frame(frame, source=source)
        values = self.score_columns({key: frame[key] for key in self.dimension_keys}, source=source)
        return pd.Series(values, index=frame.index, name=self.name, dtype=np.float64)

    def score_columns(self, columns: Mapping[str, Any], *, source: str | None = None) -> np.ndarray:
        """Score rows given as one array (or Series) per dimension, without building a DataFrame.

        Values are checked like :meth:`score`'s; a Series' index labels the
        rows in errors.

        Examples
        --------
        >>> import policyquant as pq
        >>> pq.get_framework("wang2026").scale.score_columns({"DA": [5, 1], "AS": [5, 1], "MI": [5, 1]})
        array([50.,  2.])
        """
        scores = self.coerce_columns(columns, source=source)
        length = len(next(iter(scores.values())))
        return np.broadcast_to(self._compiled.evaluate(scores), (length,)).astype(np.float64, copy=False)


# --------------------------------------------------------------------------
# Framework.


def _reject_duplicates(keys: Iterable[str], what: str) -> None:
    seen: set[Any] = set()
    for key in keys:
        if key in seen:
            raise InvalidFrameworkError(f"duplicate {what} {key!r}")
        seen.add(key)


def _reject_ambiguous_names(pairs: Iterable[tuple[Any, str]], what: str) -> dict[str, Any]:
    """Map each normalized name to its owner, rejecting a name two owners share."""
    owners: dict[str, Any] = {}
    spelled: dict[str, str] = {}
    for owner, name in pairs:
        normal = normalize_name(name)
        if normal in owners and owners[normal] != owner:
            raise InvalidFrameworkError(
                f"the name {name!r} is ambiguous among the {what}: it names both "
                f"{owners[normal]!r} and {owner!r} (as {spelled[normal]!r})"
            )
        owners[normal] = owner
        spelled.setdefault(normal, name)
    return owners


def _typed_tuple(kind: type) -> Any:
    def convert(value: Any) -> tuple[Any, ...]:
        if value is None:
            return ()
        items = tuple(value)
        for item in items:
            if not isinstance(item, kind):
                raise InvalidFrameworkError(f"expected {kind.__name__} objects, got {item!r}")
        return items

    return convert


def _check_scale(instance: Any, attribute: attrs.Attribute, value: Any) -> None:
    if value is not None and not isinstance(value, EfficacyScale):
        raise InvalidFrameworkError(
            f"Framework {instance.name!r}: scale must be an EfficacyScale or None, got {type(value).__name__}"
        )


def _to_administrative_levels(value: Any) -> tuple[AdministrativeLevel, ...]:
    """Levels given as objects, or by any name of a level policyquant knows (``"市级"``)."""
    if value is None:
        return ADMINISTRATIVE_LEVELS
    if isinstance(value, (str, AdministrativeLevel)):
        value = (value,)
    try:
        items = tuple(value)
    except TypeError:
        raise InvalidFrameworkError(
            f"Framework.levels must be a list of level names or AdministrativeLevel objects, got {value!r}"
        ) from None
    known = {normalize_name(name): level for level in ADMINISTRATIVE_LEVELS for name in level.names()}
    out = []
    for item in items:
        if isinstance(item, AdministrativeLevel):
            out.append(item)
        elif isinstance(item, str) and normalize_name(item) in known:
            out.append(known[normalize_name(item)])
        else:
            names = [name for level in ADMINISTRATIVE_LEVELS for name in level.names()]
            nearest = dict.fromkeys(known[normalize_name(m)].key for m in closest(str(item), names, n=6))
            hint = f"; did you mean {' or '.join(nearest)}?" if nearest else ""
            raise InvalidFrameworkError(
                f"Framework.levels: {item!r} is not an administrative level policyquant knows "
                f"({format_choices([level.key for level in ADMINISTRATIVE_LEVELS])}){hint} "
                "Give a new level as an AdministrativeLevel(key, label, labels=..., aliases=...)"
            )
    return tuple(out)


def _check_administrative_levels(instance: Any, attribute: attrs.Attribute, value: tuple[Any, ...]) -> None:
    if not value:
        raise InvalidFrameworkError(
            f"Framework {instance.name!r}: levels must name at least one administrative level"
        )


def _check_optional_text(instance: Any, attribute: attrs.Attribute, value: Any) -> None:
    if value is not None and not isinstance(value, str):
        raise InvalidFrameworkError(
            f"Framework.{attribute.name} must be text or None, got {type(value).__name__}"
        )


@attrs.frozen
class Framework:
    """A complete coding framework: instrument taxonomy, objectives and efficacy scale.

    Any part may be absent: a taxonomy-only framework has no scale, and an
    index-only framework (such as the PMC index) has only a scale.

    Parameters
    ----------
    name : str
        Registry name, e.g. ``"wang2026"`` (no whitespace).
    title : str
        Human-readable title.
    families : iterable of InstrumentFamily, optional
        Instrument families, in display order.
    instruments : iterable of Instrument, optional
        Instruments, in display order; each names one of ``families``.
    objectives : iterable of Objective, optional
        Policy objectives, in display order.
    scale : EfficacyScale, optional
        How clauses are scored.
    citation : str, optional
        The work the framework comes from.
    version : str, optional
        The framework's version.
    description : str, optional
        What the framework is for.
    levels : iterable of str or AdministrativeLevel, optional
        The administrative levels a document's ``level`` may take, from the
        top down: by default :data:`ADMINISTRATIVE_LEVELS` (national,
        provincial, municipal, county).  A level policyquant knows may be given
        by any of its names (``"municipal"``, ``"市级"``); a new one as an
        :class:`AdministrativeLevel`.  The order is the order of tables and
        figures.

    Raises
    ------
    InvalidFrameworkError
        For duplicate keys, an instrument whose family the framework does not
        hold, or a name (label, alias) shared by two items of one part.

    Examples
    --------
    >>> import policyquant as pq
    >>> framework = pq.Framework(
    ...     "demo", "A demo taxonomy",
    ...     families=[pq.InstrumentFamily("soft", "Soft")],
    ...     instruments=[pq.Instrument("info", "Information", family="soft")],
    ... )
    >>> framework.instrument_keys
    ('info',)
    >>> pq.Framework("demo", "Broken", instruments=[pq.Instrument("info", "Information", family="soft")])
    Traceback (most recent call last):
    ...
    policyquant.errors.InvalidFrameworkError: Framework 'demo': instrument 'info' names family 'soft', which the framework does not hold; families: (none)
    """

    name: str = _key_field()
    title: str = attrs.field(validator=_check_label)
    families: tuple[InstrumentFamily, ...] = attrs.field(default=(), converter=_typed_tuple(InstrumentFamily))
    instruments: tuple[Instrument, ...] = attrs.field(default=(), converter=_typed_tuple(Instrument))
    objectives: tuple[Objective, ...] = attrs.field(default=(), converter=_typed_tuple(Objective))
    scale: EfficacyScale | None = attrs.field(default=None, validator=_check_scale)
    citation: str | None = attrs.field(default=None, validator=_check_optional_text)
    version: str | None = attrs.field(default=None, validator=_check_optional_text)
    description: str = attrs.field(default="", validator=_check_text)
    levels: tuple[AdministrativeLevel, ...] = attrs.field(
        default=ADMINISTRATIVE_LEVELS,
        converter=_to_administrative_levels,
        validator=_check_administrative_levels,
        kw_only=True,
    )
    _lookups: dict[str, dict[str, str]] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        for part, items in (
            ("family", self.families),
            ("instrument", self.instruments),
            ("objective", self.objectives),
            ("level", self.levels),
        ):
            _reject_duplicates([item.key for item in items], f"{part} key in framework {self.name!r}")
        family_keys = {family.key for family in self.families}
        for instrument in self.instruments:
            if instrument.family not in family_keys:
                raise InvalidFrameworkError(
                    f"Framework {self.name!r}: instrument {instrument.key!r} names family "
                    f"{instrument.family!r}, which the framework does not hold; "
                    f"families: {format_choices(self.family_keys) or '(none)'}"
                )
        lookups = {
            part: _reject_ambiguous_names(
                ((item.key, name) for item in items for name in item.names()),
                f"{part} names of framework {self.name!r}",
            )
            for part, items in (
                ("family", self.families),
                ("instrument", self.instruments),
                ("objective", self.objectives),
                ("level", self.levels),
            )
        }
        object.__setattr__(self, "_lookups", lookups)

    # Keys and lookups -------------------------------------------------------

    @property
    def family_keys(self) -> tuple[str, ...]:
        """Family keys, in order."""
        return tuple(f.key for f in self.families)

    @property
    def instrument_keys(self) -> tuple[str, ...]:
        """Instrument keys, in order."""
        return tuple(i.key for i in self.instruments)

    @property
    def objective_keys(self) -> tuple[str, ...]:
        """Objective keys, in order."""
        return tuple(o.key for o in self.objectives)

    @property
    def level_keys(self) -> tuple[str, ...]:
        """Administrative level keys, from the top down.

        Examples
        --------
        >>> import policyquant as pq
        >>> pq.get_framework("wang2026").level_keys
        ('national', 'provincial')
        >>> pq.Framework("city", "A city study", levels=["市级", "县级"]).level_keys
        ('municipal', 'county')
        """
        return tuple(level.key for level in self.levels)

    def with_levels(self, levels: Iterable[str | AdministrativeLevel]) -> Framework:
        """This framework with other administrative levels: a study's own choice.

        Parameters
        ----------
        levels : iterable of str or AdministrativeLevel
            As the ``levels`` parameter of :class:`Framework`.

        Examples
        --------
        >>> import policyquant as pq
        >>> city = pq.get_framework("wang2026").with_levels(["municipal", "区县"])
        >>> city.level_keys, city.instrument_keys == pq.get_framework("wang2026").instrument_keys
        (('municipal', 'county'), True)
        """
        return attrs.evolve(self, levels=levels)

    @property
    def parts(self) -> tuple[str, ...]:
        """Which parts the framework has, among ``"instruments"``, ``"objectives"``, ``"scale"``.

        Examples
        --------
        >>> import policyquant as pq
        >>> pq.get_framework("wang2026").parts
        ('instruments', 'objectives', 'scale')
        >>> pq.get_framework("howlett-ramesh-1995").parts
        ('instruments',)
        """
        present = (
            ("instruments", self.instruments),
            ("objectives", self.objectives),
            ("scale", self.scale is not None),
        )
        return tuple(name for name, has in present if has)

    def family_of(self, instrument: str) -> InstrumentFamily:
        """Return the family of an instrument given by any of its names.

        Examples
        --------
        >>> import policyquant as pq
        >>> pq.get_framework("wang2026").family_of("Pilots & demonstrations").key
        'mixed'
        """
        key = self.resolve("instrument", instrument)
        family = next(i.family for i in self.instruments if i.key == key)
        return next(f for f in self.families if f.key == family)

    def _items(self, part: str) -> tuple[Any, ...]:
        if part not in self._lookups:
            raise ValueError(f"part must be one of family, instrument, objective, level; got {part!r}")
        return {
            "family": self.families,
            "instrument": self.instruments,
            "objective": self.objectives,
            "level": self.levels,
        }[part]

    def get(self, part: Part, name: str) -> InstrumentFamily | Instrument | Objective:
        """Return the family, instrument or objective that ``name`` names.

        Examples
        --------
        >>> import policyquant as pq
        >>> pq.get_framework("wang2026").get("objective", "公共安全与利益").label
        'Public Safety and Interests'
        """
        key = self.resolve(part, name)
        return next(item for item in self._items(part) if item.key == key)

    def resolve(self, part: Part, name: Any) -> str:
        """Return the key of the family, instrument or objective that ``name`` names.

        Keys, labels, localized labels and aliases are all accepted, case-,
        width- and whitespace-insensitively.

        Parameters
        ----------
        part : {"family", "instrument", "objective"}
            Which part of the framework to look in.
        name : str
            What the coder wrote.

        Returns
        -------
        str
            The item's key.

        Raises
        ------
        UnknownCategoryError
            If nothing matches; the message suggests the closest names.

        Examples
        --------
        >>> import policyquant as pq
        >>> wang = pq.get_framework("wang2026")
        >>> wang.resolve("instrument", "Standards & norms")
        'standards_and_norms'
        >>> wang.resolve("instrument", "标准规范")
        'standards_and_norms'
        >>> wang.resolve("instrument", "Standard and norm")
        Traceback (most recent call last):
        ...
        policyquant.errors.UnknownCategoryError: 'Standard and norm' is not an instrument of framework 'wang2026':
          - value 'Standard and norm': unknown instrument; expected one of standards_and_norms, ...; did you mean Standards and Norms (standards_and_norms)?
        """
        lookup = self._lookups.get(part)
        if lookup is None:
            raise ValueError(f"part must be one of family, instrument, objective, level; got {part!r}")
        key = lookup.get(normalize_name(name)) if isinstance(name, str) else None
        if key is None:
            items = self._items(part)
            raise UnknownCategoryError(
                f"{name!r} is not a{'n' if part[0] in 'aeiou' else ''} {part} of framework {self.name!r}",
                [
                    {
                        "value": name,
                        "problem": f"unknown {part}",
                        "expected": "one of " + (format_choices([i.key for i in items]) or "(none)"),
                        "suggestions": " or ".join(self.suggest(part, name)) or None,
                    }
                ],
            )
        return key

    def suggest(self, part: Part, name: Any, n: int = 3) -> list[str]:
        """The items of a part whose names are closest to ``name``, as ``"Label (key)"``.

        Each item appears once, however many of its names are close.

        Examples
        --------
        >>> import policyquant as pq
        >>> pq.get_framework("wang2026").suggest("instrument", "Standard and norm")
        ['Standards and Norms (standards_and_norms)']
        """
        items = self._items(part)
        owner = {normalize_name(alias): item for item in items for alias in item.names()}
        nearest = dict.fromkeys(owner[normalize_name(m)] for m in closest(str(name), list(owner), n=2 * n))
        language = current_language()
        if language != "en":
            # What a Chinese coder picks from the drop-down and types: the label in the language.
            return [item.label_in(language) for item in list(nearest)[:n]]
        return [f"{item.label} ({item.key})" for item in list(nearest)[:n]]

    def name_lookup(self, part: Part) -> Mapping[str, str]:
        """A mapping from every normalized name of a part to its key.

        Readers use it to resolve whole columns at once: normalize the distinct
        values with :func:`policyquant._text.normalize_name` and map them.

        Examples
        --------
        >>> import policyquant as pq
        >>> pq.get_framework("howlett-ramesh-1995").name_lookup("family")["compulsory"]
        'compulsory'
        """
        if part not in self._lookups:
            raise ValueError(f"part must be one of family, instrument, objective, level; got {part!r}")
        return dict(self._lookups[part])

    # Codebook ---------------------------------------------------------------

    def codebook(self, language: str | None = None) -> pd.DataFrame:
        """The coding rules as a table: every family, instrument, objective and level.

        Parameters
        ----------
        language : str, optional
            If given (e.g. ``"zh"``), the ``label`` column holds the localized
            labels where they exist.

        Returns
        -------
        pandas.DataFrame
            One row per rule, with the columns:

            ``part``
                ``"family"``, ``"instrument"``, ``"objective"`` or ``"level"``.
            ``key``
                The item's key; for a level, ``"<dimension>=<score>"``.
            ``label``
                The item's label.
            ``parent``
                The instrument's family, or the level's dimension.
            ``score``
                The level's score (missing for other parts).
            ``unit``
                For a level, whether its dimension scores a ``"document"`` or a
                ``"unit"``.
            ``description``
                The coding rule in words.
            ``aliases``
                Other accepted names, joined with ``"; "``.
            ``label_<language>``
                One column per language with localized labels.

        Examples
        --------
        >>> import policyquant as pq
        >>> book = pq.get_framework("wang2026").codebook()
        >>> book["part"].value_counts().to_dict()
        {'instrument': 16, 'level': 11, 'objective': 4, 'family': 3}
        >>> book.loc[book["key"] == "DA=3", "label"].item()
        'Departmental rules'
        """
        rows: list[dict[str, Any]] = []

        def add(
            part: str,
            key: str,
            item: Any,
            parent: str | None = None,
            score: Any = None,
            unit: str | None = None,
        ) -> None:
            rows.append(
                {
                    "part": part,
                    "key": key,
                    "label": item.label_in(language),
                    "parent": parent,
                    "score": score,
                    "unit": unit,
                    "description": item.description,
                    "aliases": "; ".join(getattr(item, "aliases", ())),
                    **{f"label_{lang}": text for lang, text in item.labels.items()},
                }
            )

        for family in self.families:
            add("family", family.key, family)
        for instrument in self.instruments:
            add("instrument", instrument.key, instrument, parent=instrument.family)
        for objective in self.objectives:
            add("objective", objective.key, objective)
        if self.scale is not None:
            for dimension in self.scale.dimensions:
                for level in dimension.levels:
                    add(
                        "level",
                        f"{dimension.key}={level.score}",
                        level,
                        parent=dimension.key,
                        score=level.score,
                        unit=dimension.unit,
                    )
        base = ["part", "key", "label", "parent", "score", "unit", "description", "aliases"]
        frame = pd.DataFrame.from_records(rows)
        if frame.empty:
            return pd.DataFrame(columns=base)
        languages = sorted(c for c in frame.columns if c.startswith("label_"))
        frame = frame.reindex(columns=base + languages)
        frame["score"] = frame["score"].astype("Float64") if frame["score"].notna().any() else frame["score"]
        return frame

    def coding_template(
        self,
        path: Any,
        *,
        language: str | None = None,
        documents: Any = None,
        units: Any = None,
        units_rows: int = 500,
        documents_rows: int = 200,
        force: bool = False,
    ) -> Any:
        """Write an Excel coding template for this framework; see :func:`policyquant.io.write_coding_template`.

        The workbook has a documents sheet, a units sheet with drop-down lists
        for the instrument, objectives and every score, and the codebook; a
        filled-in template reads back with :func:`policyquant.read_coding`
        without any column mapping.

        Parameters
        ----------
        path : str or path-like
            The ``.xlsx`` file to write.
        language : {None, "en", "zh"}
            Sheet names, headers, list entries and instructions in English
            (``None``) or Chinese.
        documents : DocumentSet, pandas.DataFrame, Corpus or path, optional
            Documents to pre-fill the documents sheet with (their metadata,
            and suggested scores shown as suggestions, never as codes).
        units : Segmentation or pandas.DataFrame, optional
            Segmented clauses to pre-fill the units sheet with (``unit_id``,
            ``doc_id``, ``text``), left for the coder to code.
        units_rows, documents_rows : int
            How many rows get drop-down lists.
        force : bool, default False
            Replace an existing workbook that holds coded rows (refused without it).

        Returns
        -------
        pathlib.Path
            The workbook written.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> import policyquant as pq
        >>> path = pq.get_framework("wang2026").coding_template(pathlib.Path(tempfile.mkdtemp()) / "coding.xlsx")
        >>> path.name
        'coding.xlsx'
        >>> len(pq.read_coding(path).units)
        0
        """
        from .io.template import write_coding_template

        return write_coding_template(
            self,
            path,
            language=language,
            documents=documents,
            units=units,
            units_rows=units_rows,
            documents_rows=documents_rows,
            force=force,
        )

    def to_toml(self) -> str:
        """The framework as TOML text that :func:`policyquant.load_framework` reads back equal.

        See :func:`policyquant.declarative.framework_to_toml`.

        Examples
        --------
        >>> import policyquant as pq
        >>> wang = pq.get_framework("wang2026")
        >>> pq.load_framework(wang.to_toml()) == wang
        True
        """
        from .declarative import framework_to_toml

        return framework_to_toml(self)

    def summary(self) -> str:
        """A short, human-readable description of the framework's parts.

        Examples
        --------
        >>> import policyquant as pq
        >>> print(pq.get_framework("wang2026").summary())
        wang2026: Policy instruments, objectives and efficacy of generative AI regulation in China
          families: 3 (mandatory, voluntary, mixed)
          instruments: 16
          objectives: 4 (rights_protection, public_safety, tech_innovation, application_scenarios)
          scale: APE = DA * (AS + MI), from 2 to 50
        """
        lines = [f"{self.name}: {self.title}"]
        if self.families:
            lines.append(f"  families: {len(self.families)} ({', '.join(self.family_keys)})")
        if self.instruments:
            lines.append(f"  instruments: {len(self.instruments)}")
        if self.objectives:
            lines.append(f"  objectives: {len(self.objectives)} ({', '.join(self.objective_keys)})")
        if self.scale is not None:
            formula = getattr(self.scale, "formula", None)
            what = f"{self.scale.name} = {formula}" if formula else type(self.scale).__name__
            lo, hi = self.scale.min_score, self.scale.max_score
            lines.append(f"  scale: {what}, from {lo:g} to {hi:g}")
        return "\n".join(lines)


def level_combinations(scale: EfficacyScale) -> pd.DataFrame:
    """Every combination of the scale's levels, one row each.

    Useful to tabulate a scale or to test it exhaustively.

    Examples
    --------
    >>> import policyquant as pq
    >>> combos = level_combinations(pq.get_framework("wang2026").scale)
    >>> len(combos), list(combos.columns)
    (45, ['DA', 'AS', 'MI'])
    """
    keys = [d.key for d in scale.dimensions]
    return pd.DataFrame(list(itertools.product(*(d.scores for d in scale.dimensions))), columns=keys)

"""Conformance checks that every framework, built in or from a plugin, must pass.

:func:`check_framework` runs them all and reports every failure at once, so
that a plugin author sees the whole list instead of fixing one mistake per
test run.  The checks, in order:

``type``
    The object is a :class:`~policyquant.Framework` (the registry refuses
    anything else), with a name without whitespace and a non-empty title.
``keys``
    Keys are non-empty text without whitespace and unique within their part
    (families, instruments, objectives, dimensions); dimension keys are names
    a formula can use; level scores are finite numbers, unique per dimension.
``families``
    Every instrument names a family the framework holds.
``names``
    No key, label, localized label or alias names two items of one part (or
    two levels of one dimension), compared the way coders' spellings are;
    every name of a real framework resolves to its own item.
``bounds``
    The scale's ``min_score`` and ``max_score`` are finite numbers with
    ``min_score <= max_score``, and every dimension has a known unit.  (A
    scale without dimensions, which finds its variables in the data it scores,
    may leave its bounds undefined until then.)
``scores``
    Every combination of levels (or, beyond ``max_combinations``, a random
    sample plus the extremes) scores a finite number within the bounds.
``codebook``
    :meth:`~policyquant.Framework.codebook` renders one row per family,
    instrument, objective and level, in every language the labels use.
``toml``
    :func:`~policyquant.declarative.framework_to_toml` writes the framework
    and :func:`~policyquant.declarative.load_framework` reads back an equal
    one (skipped when the scale cannot be written, see
    :class:`~policyquant.declarative.TomlScale`).
"""

from __future__ import annotations

import itertools
import keyword
import math
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import attrs
import numpy as np
import pandas as pd

from .._text import normalize_name
from ..errors import PolicyQuantError
from ..model import Dimension, EfficacyScale, Framework

__all__ = [
    "CHECKS",
    "DEFAULT_MAX_COMBINATIONS",
    "CheckFailure",
    "FrameworkCheckError",
    "FrameworkReport",
    "check_framework",
]

#: The names of the checks :func:`check_framework` runs, in order.
CHECKS: tuple[str, ...] = ("type", "keys", "families", "names", "bounds", "scores", "codebook", "toml")

#: Combinations of levels up to which every one is scored; beyond it, a sample of this size.
DEFAULT_MAX_COMBINATIONS = 20_000

#: How many offending examples a failure message shows.
_EXAMPLES = 3


@attrs.frozen
class CheckFailure:
    """One failed check: which check, and what is wrong.

    Attributes
    ----------
    check : str
        One of :data:`CHECKS`.
    problem : str
        What is wrong, naming the offending item.

    Examples
    --------
    >>> from policyquant.testing import CheckFailure
    >>> print(CheckFailure("families", "instrument 'info' names family 'sfot', which the framework does not hold"))
    families: instrument 'info' names family 'sfot', which the framework does not hold
    """

    check: str
    problem: str

    def __str__(self) -> str:
        return f"{self.check}: {self.problem}"


class FrameworkCheckError(PolicyQuantError, AssertionError):
    """A framework failed one or more conformance checks; every failure is listed.

    Also an :class:`AssertionError`, so that a test calling
    :func:`check_framework` fails (rather than errors) and shows the list.

    Attributes
    ----------
    name : str
        The framework's name (or the object's ``repr`` if it has none).
    failures : list of CheckFailure
        Every failure, in the order of :data:`CHECKS`.

    Examples
    --------
    >>> from policyquant.testing import CheckFailure, FrameworkCheckError
    >>> error = FrameworkCheckError("demo", [CheckFailure("keys", "duplicate instrument key 'a'")])
    >>> print(error)
    framework 'demo' failed 1 conformance check:
      - keys: duplicate instrument key 'a'
    >>> error.failures[0].check
    'keys'
    """

    def __init__(self, name: str, failures: Iterable[CheckFailure]) -> None:
        self.name = name
        self.failures = list(failures)
        checks = len(dict.fromkeys(f.check for f in self.failures))
        lines = [f"framework {name!r} failed {checks} conformance check{'s' if checks != 1 else ''}:"]
        lines += [f"  - {failure}" for failure in self.failures]
        super().__init__("\n".join(lines))

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.name, self.failures))


@attrs.frozen
class FrameworkReport:
    """What :func:`check_framework` checked, for a framework that passed.

    Attributes
    ----------
    name : str
        The framework's name.
    passed : tuple of str
        The checks that ran and passed.
    skipped : tuple of (str, str)
        The checks that did not apply, with the reason.
    combinations : int
        How many combinations of levels were scored (0 without a scale).
    exhaustive : bool
        Whether that was every combination.
    score_range : tuple of float, or None
        The lowest and highest score seen.

    Examples
    --------
    >>> import policyquant as pq
    >>> from policyquant.testing import check_framework
    >>> report = check_framework(pq.get_framework("howlett-ramesh-1995"))
    >>> report.skipped
    (('bounds', 'the framework has no scale'), ('scores', 'the framework has no scale'))
    """

    name: str
    passed: tuple[str, ...]
    skipped: tuple[tuple[str, str], ...]
    combinations: int = 0
    exhaustive: bool = True
    score_range: tuple[float, float] | None = None

    def __str__(self) -> str:
        text = f"framework {self.name!r} passed {len(self.passed)} checks"
        if self.combinations:
            how = "every one" if self.exhaustive else "a sample"
            text += f"; {self.combinations} combinations of levels scored ({how})"
            if self.score_range is not None:
                text += f", from {self.score_range[0]:g} to {self.score_range[1]:g}"
        if self.skipped:
            text += "; skipped: " + ", ".join(f"{name} ({why})" for name, why in self.skipped)
        return text


class _NotApplicableError(Exception):
    """A check that does not apply to this framework."""


@attrs.define
class _Context:
    framework: Any
    max_combinations: int
    seed: int
    registry: Any
    combinations: int = 0
    exhaustive: bool = True
    score_range: tuple[float, float] | None = None
    bounds_ok: bool = False


# --------------------------------------------------------------------------
# Helpers that work on framework-like objects too.


_PARTS = (("family", "families"), ("instrument", "instruments"), ("objective", "objectives"))


def _items(framework: Any, attribute: str) -> tuple[Any, ...]:
    value = getattr(framework, attribute, None)
    return tuple(value) if value is not None else ()


def _scale(framework: Any) -> Any:
    return getattr(framework, "scale", None)


def _dimensions(scale: Any) -> tuple[Any, ...]:
    return tuple(getattr(scale, "dimensions", None) or ())


def _key_problem(key: Any) -> str | None:
    if not isinstance(key, str):
        return f"is {type(key).__name__} {key!r}, not text"
    if not key.strip():
        return "is empty"
    if any(ch.isspace() for ch in key):
        return "contains whitespace"
    return None


def _names(item: Any) -> Iterator[str]:
    """Every name of an item: key, label, localized labels, aliases (levels have no key)."""
    if hasattr(item, "key"):
        yield item.key
    yield item.label
    yield from dict(getattr(item, "labels", None) or {}).values()
    yield from tuple(getattr(item, "aliases", None) or ())


def _is_number(value: Any) -> bool:
    return not isinstance(value, bool) and isinstance(value, (int, float, np.integer, np.floating))


def _finite(value: Any) -> bool:
    return _is_number(value) and math.isfinite(float(value))


# --------------------------------------------------------------------------
# The checks.


def _check_type(ctx: _Context) -> list[str]:
    framework = ctx.framework
    problems = []
    if not isinstance(framework, Framework):
        problems.append(
            f"is a {type(framework).__name__}, not a policyquant.Framework: the registry refuses to register it"
        )
    name = getattr(framework, "name", None)
    why = _key_problem(name)
    if why:
        problems.append(f"the framework's name {why}")
    title = getattr(framework, "title", None)
    if not isinstance(title, str) or not title.strip():
        problems.append(f"the framework's title must be non-empty text, got {title!r}")
    return problems


def _check_keys(ctx: _Context) -> list[str]:
    framework = ctx.framework
    problems = []
    for part, attribute in _PARTS:
        seen: set[Any] = set()
        for item in _items(framework, attribute):
            key = getattr(item, "key", None)
            why = _key_problem(key)
            if why:
                problems.append(f"the key of {part} {getattr(item, 'label', item)!r} {why}")
            elif key in seen:
                problems.append(f"duplicate {part} key {key!r}")
            seen.add(key)
            label = getattr(item, "label", None)
            if not isinstance(label, str) or not label.strip():
                problems.append(f"{part} {key!r} has no label (got {label!r})")
    scale = _scale(framework)
    if scale is None:
        return problems
    dimensions = _dimensions(scale)
    seen = set()
    for dimension in dimensions:
        key = getattr(dimension, "key", None)
        if not isinstance(key, str) or not key.isidentifier() or keyword.iskeyword(key):
            problems.append(f"dimension key {key!r} is not a name a formula can use")
        elif unicodedata.normalize("NFKC", key) != key:
            problems.append(f"dimension key {key!r} holds full-width or other compatibility characters")
        elif key in seen:
            problems.append(f"duplicate dimension key {key!r}")
        seen.add(key)
        levels = tuple(getattr(dimension, "levels", None) or ())
        if not levels:
            problems.append(f"dimension {key!r} has no levels")
        scores: set[float] = set()
        for level in levels:
            score = getattr(level, "score", None)
            if not _finite(score):
                problems.append(
                    f"dimension {key!r}: level {getattr(level, 'label', level)!r} has score {score!r}, not a finite number"
                )
                continue
            if float(score) in scores:
                problems.append(f"dimension {key!r}: duplicate score {score!r}")
            scores.add(float(score))
    return problems


def _check_families(ctx: _Context) -> list[str]:
    framework = ctx.framework
    families = [getattr(f, "key", None) for f in _items(framework, "families")]
    problems = []
    for instrument in _items(framework, "instruments"):
        family = getattr(instrument, "family", None)
        if family not in families:
            problems.append(
                f"instrument {getattr(instrument, 'key', instrument)!r} names family {family!r}, "
                f"which the framework does not hold (families: {', '.join(map(str, families)) or 'none'})"
            )
    return problems


def _clashes(owned: Iterable[tuple[Any, str]], what: str) -> list[str]:
    owners: dict[str, tuple[Any, str]] = {}
    problems = []
    for owner, name in owned:
        normal = normalize_name(name)
        if normal in owners and owners[normal][0] != owner:
            first_owner, first_name = owners[normal]
            problems.append(
                f"the name {name!r} is ambiguous among the {what}: it names {first_owner!r} "
                f"(as {first_name!r}) and {owner!r}"
            )
        owners.setdefault(normal, (owner, name))
    return problems


def _check_names(ctx: _Context) -> list[str]:
    framework = ctx.framework
    problems = []
    for part, attribute in _PARTS:
        items = _items(framework, attribute)
        problems += _clashes(((item.key, name) for item in items for name in _names(item)), f"{part} names")
        if isinstance(framework, Framework) and not problems:
            for item in items:
                for name in _names(item):
                    try:
                        resolved = framework.resolve(part, name)  # type: ignore[arg-type]
                    except PolicyQuantError:
                        resolved = None
                    if resolved != item.key:
                        problems.append(
                            f"the {part} name {name!r} resolves to {resolved!r}, not to {item.key!r}"
                        )
    for dimension in _dimensions(_scale(framework)):
        levels = tuple(getattr(dimension, "levels", None) or ())
        problems += _clashes(
            ((level.score, name) for level in levels for name in _names(level)),
            f"level names of dimension {getattr(dimension, 'key', dimension)!r}",
        )
    return problems


def _check_bounds(ctx: _Context) -> list[str]:
    scale = _scale(ctx.framework)
    if scale is None:
        raise _NotApplicableError("the framework has no scale")
    problems = []
    if not isinstance(scale, EfficacyScale):
        problems.append(f"the scale is a {type(scale).__name__}, not a policyquant.EfficacyScale")
    low, high = getattr(scale, "min_score", None), getattr(scale, "max_score", None)
    if not _dimensions(scale) and not (_finite(low) and _finite(high)) and not problems:
        # A scale that finds its variables in the data it scores (a PMC index) has no bounds before.
        raise _NotApplicableError("the scale has no dimensions, and no bounds until it scores")
    for which, value in (("min_score", low), ("max_score", high)):
        if not _finite(value):
            problems.append(f"the scale's {which} is {value!r}, not a finite number")
    if not problems and low > high:
        problems.append(f"the scale's min_score {low!r} is above its max_score {high!r}")
    for dimension in _dimensions(scale):
        unit = getattr(dimension, "unit", None)
        if unit not in Dimension.UNITS:
            problems.append(
                f"dimension {getattr(dimension, 'key', dimension)!r} has unit {unit!r}; "
                f"expected one of {', '.join(Dimension.UNITS)}"
            )
    ctx.bounds_ok = not any("_score" in p for p in problems)
    return problems


def _combinations(dimensions: tuple[Any, ...], limit: int, seed: int) -> tuple[pd.DataFrame, bool]:
    """Every combination of levels, or a random sample of ``limit`` of them plus the extremes."""
    keys = [d.key for d in dimensions]
    scores = [[float(s) for s in dict.fromkeys(level.score for level in d.levels)] for d in dimensions]
    total = math.prod(len(s) for s in scores)
    if total <= limit:
        return pd.DataFrame(list(itertools.product(*scores)), columns=keys), True
    rng = np.random.default_rng(seed)
    sample = {
        key: rng.choice(np.asarray(values), size=limit) for key, values in zip(keys, scores, strict=True)
    }
    extremes = [[min(s), max(s)] for s in scores]
    corners = (
        list(itertools.product(*extremes))
        if 2 ** len(keys) <= limit
        else [tuple(e[0] for e in extremes), tuple(e[1] for e in extremes)]
    )
    frame = pd.concat([pd.DataFrame(corners, columns=keys), pd.DataFrame(sample)], ignore_index=True)
    return frame.drop_duplicates(ignore_index=True), False


def _describe_row(row: pd.Series) -> str:
    return ", ".join(f"{key}={value:g}" for key, value in row.items())


def _check_scores(ctx: _Context) -> list[str]:
    scale = _scale(ctx.framework)
    if scale is None:
        raise _NotApplicableError("the framework has no scale")
    dimensions = _dimensions(scale)
    if not dimensions:
        raise _NotApplicableError("the scale has no dimensions: its variables are known only when it scores")
    frame, exhaustive = _combinations(dimensions, ctx.max_combinations, ctx.seed)
    ctx.combinations, ctx.exhaustive = len(frame), exhaustive
    result = scale.score(frame)
    values = np.asarray(result, dtype=np.float64).ravel()
    if len(values) != len(frame):
        return [f"scoring {len(frame)} combinations of levels gave {len(values)} scores"]
    if isinstance(result, pd.Series) and not result.index.equals(frame.index):
        return ["score() returned a Series on another index than the frame it scored"]
    problems = []
    finite = np.isfinite(values)
    if finite.any():
        ctx.score_range = (float(values[finite].min()), float(values[finite].max()))
    if not finite.all():
        bad = frame[~finite]
        examples = "; ".join(
            f"{_describe_row(row)} -> {values[i]}" for i, row in bad.head(_EXAMPLES).iterrows()
        )
        problems.append(
            f"{len(bad)} of {len(frame)} combinations of levels score no finite number, e.g. {examples}"
        )
    if ctx.bounds_ok:
        low, high = float(scale.min_score), float(scale.max_score)
        tolerance = 1e-9 * max(1.0, abs(low), abs(high))
        outside = finite & ((values < low - tolerance) | (values > high + tolerance))
        if outside.any():
            bad = frame[outside]
            examples = "; ".join(
                f"{_describe_row(row)} -> {values[i]:g}" for i, row in bad.head(_EXAMPLES).iterrows()
            )
            problems.append(
                f"{len(bad)} of {len(frame)} combinations of levels score outside the scale's bounds "
                f"[{low:g}, {high:g}], e.g. {examples}"
            )
    return problems


def _check_codebook(ctx: _Context) -> list[str]:
    framework = ctx.framework
    expected = {part: len(_items(framework, attribute)) for part, attribute in _PARTS}
    expected["level"] = sum(len(tuple(d.levels)) for d in _dimensions(_scale(framework)))
    codebook = getattr(framework, "codebook", None)
    if not callable(codebook):
        return ["the framework has no codebook() method"]
    languages = sorted(
        {
            language
            for _, attribute in _PARTS
            for item in _items(framework, attribute)
            for language in dict(getattr(item, "labels", None) or {})
        }
        | {
            language
            for dimension in _dimensions(_scale(framework))
            for level in dimension.levels
            for language in dict(getattr(level, "labels", None) or {})
        }
    )
    problems = []
    for language in [None, *languages]:
        book = codebook(language=language)
        where = "the codebook" + (f" in {language!r}" if language else "")
        if not isinstance(book, pd.DataFrame):
            problems.append(f"{where} is a {type(book).__name__}, not a DataFrame")
            continue
        if "part" not in book.columns:
            problems.append(f"{where} has no 'part' column")
            continue
        counts = book["part"].value_counts().to_dict()
        for part, count in expected.items():
            if counts.get(part, 0) != count:
                problems.append(f"{where} has {counts.get(part, 0)} {part} rows for {count} {part} items")
        extra = sorted(set(counts) - set(expected))
        if extra:
            problems.append(f"{where} has rows of unknown parts {', '.join(map(str, extra))}")
        if book["label"].isna().any() if "label" in book.columns else True:
            problems.append(f"{where} has rows without a label")
    return problems


def _check_toml(ctx: _Context) -> list[str]:
    from ..declarative import framework_to_toml, is_writable, load_framework

    framework = ctx.framework
    if not isinstance(framework, Framework):
        raise _NotApplicableError("not a policyquant.Framework")
    if not is_writable(framework):
        raise _NotApplicableError(f"a {type(framework.scale).__name__} has no toml_spec() method")
    text = framework_to_toml(framework)
    try:
        back = load_framework(text, registry=ctx.registry)
    except PolicyQuantError as error:
        return [f"the framework's TOML does not load back: {error}"]
    if back == framework:
        return []
    fields = [f.name for f in attrs.fields(Framework) if f.eq]
    differ = [name for name in fields if getattr(back, name) != getattr(framework, name)]
    return [f"the framework's TOML loads back different in: {', '.join(differ) or 'its type'}"]


_CHECK_FUNCTIONS: dict[str, Callable[[_Context], list[str]]] = {
    "type": _check_type,
    "keys": _check_keys,
    "families": _check_families,
    "names": _check_names,
    "bounds": _check_bounds,
    "scores": _check_scores,
    "codebook": _check_codebook,
    "toml": _check_toml,
}


def check_framework(
    framework: Any,
    *,
    max_combinations: int = DEFAULT_MAX_COMBINATIONS,
    seed: int = 0,
    registry: Any = None,
) -> FrameworkReport:
    """Run every conformance check on a framework; raise one error listing all failures.

    Meant for a plugin's test suite: ``check_framework(my_framework)`` in a
    test fails with the complete list of what is wrong.

    Parameters
    ----------
    framework : Framework
        The framework to check.  Framework-like objects (anything with the
        same attributes) are checked too, as far as they go: the ``type``
        check fails for them.
    max_combinations : int, default :data:`DEFAULT_MAX_COMBINATIONS`
        Score every combination of levels up to this many; beyond, score a
        random sample of this size plus the extreme combinations.
    seed : int, default 0
        Seed of that sample, so that a run can be repeated.
    registry : FrameworkRegistry, optional
        Where the TOML round trip looks up scale types; defaults to
        :func:`policyquant.plugins.get_registry`.

    Returns
    -------
    FrameworkReport
        Which checks passed, which were skipped and why, and how many
        combinations of levels were scored.

    Raises
    ------
    FrameworkCheckError
        Listing every failure of every check (a check that raises counts as
        failed, with the exception as its problem).

    Examples
    --------
    >>> import policyquant as pq
    >>> from policyquant.testing import check_framework
    >>> print(check_framework(pq.get_framework("wang2026")))
    framework 'wang2026' passed 8 checks; 45 combinations of levels scored (every one), from 2 to 50

    A framework-like object with mistakes gets every one reported:

    >>> from types import SimpleNamespace as Fake
    >>> broken = Fake(
    ...     name="broken", title="Broken", scale=None, objectives=(),
    ...     families=[Fake(key="soft", label="Soft", labels={})],
    ...     instruments=[
    ...         Fake(key="info", label="Information", family="soft", labels={}, aliases=()),
    ...         Fake(key="info", label="Info", family="sfot", labels={}, aliases=()),
    ...         Fake(key="campaigns", label="Campaigns", family="soft", labels={}, aliases=["information"]),
    ...     ],
    ... )
    >>> check_framework(broken)
    Traceback (most recent call last):
    ...
    policyquant.testing.checks.FrameworkCheckError: framework 'broken' failed 5 conformance checks:
      - type: is a SimpleNamespace, not a policyquant.Framework: the registry refuses to register it
      - keys: duplicate instrument key 'info'
      - families: instrument 'info' names family 'sfot', which the framework does not hold (families: soft)
      - names: the name 'information' is ambiguous among the instrument names: it names 'info' (as 'Information') and 'campaigns'
      - codebook: the framework has no codebook() method
    """
    ctx = _Context(framework, max_combinations, seed, registry)
    passed: list[str] = []
    skipped: list[tuple[str, str]] = []
    failures: list[CheckFailure] = []
    for name in CHECKS:
        try:
            problems = _CHECK_FUNCTIONS[name](ctx)
        except _NotApplicableError as skip:
            skipped.append((name, str(skip)))
            continue
        except Exception as error:  # noqa: BLE001 - a broken framework may raise anything; it is a failure
            problems = [f"the check raised {type(error).__name__}: {error}"]
        if problems:
            failures += [CheckFailure(name, problem) for problem in problems]
        else:
            passed.append(name)
    label = getattr(framework, "name", None)
    label = label if isinstance(label, str) else repr(framework)
    if failures:
        raise FrameworkCheckError(label, failures)
    return FrameworkReport(
        label, tuple(passed), tuple(skipped), ctx.combinations, ctx.exhaustive, ctx.score_range
    )

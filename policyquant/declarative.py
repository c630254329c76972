"""Declarative frameworks: a framework written as a TOML file instead of Python code.

A TOML file holds everything a :class:`~policyquant.Framework` holds, in tables a
researcher can edit without writing Python::

    name = "school-meals"
    title = "School meal policy instruments"
    version = "1.0"

    [[families]]
    key = "regulatory"
    label = "Regulatory"
    labels = { zh = "管制型" }

    [[instruments]]
    key = "nutrition_standards"
    label = "Nutrition standards"
    family = "regulatory"
    aliases = ["menu rules"]

    [[objectives]]
    key = "health"
    label = "Child health"

    [scale]
    type = "formula"                 # the default; plugins may add other types
    name = "strength"
    formula = "LV * SP"

    [[scale.dimensions]]
    key = "LV"
    label = "Legal level"
    unit = "document"

    [[scale.dimensions.levels]]
    score = 2
    label = "Law"

:func:`load_framework` reads such a file (or TOML text) into a validated
:class:`~policyquant.Framework`; :func:`framework_to_toml` and
:func:`write_framework` write a framework back, so that
``load_framework(framework_to_toml(framework)) == framework``.

The tables and their keys:

Top level
    ``name`` and ``title`` (required), ``version``, ``citation``,
    ``description``, and ``levels``: the administrative levels a document's
    ``level`` may take, from the top down, by the name of a level
    policyquant knows (``national``, ``provincial``, ``municipal``,
    ``county``, or 市级, 区县 ...) or as a table of a new one with
    ``key``, ``label`` (required), ``description``, ``labels``, ``aliases``:
    ``levels = ["municipal", "county", { key = "township", label = "Township",
    labels = { zh = "乡镇级" } }]``.  Without it, all four known levels.
``[[families]]``
    ``key``, ``label`` (required), ``description``, ``labels``.
``[[instruments]]``
    ``key``, ``label``, ``family`` (required; the key of a family),
    ``description``, ``labels``, ``aliases``.
``[[objectives]]``
    ``key``, ``label`` (required), ``description``, ``labels``, ``aliases``.
``[scale]``
    ``type`` (default ``"formula"``), the keys of that type (for a formula
    scale: ``formula``, required, and ``name``, ``label``), and
    ``[[scale.dimensions]]``.
``[[scale.dimensions]]``
    ``key``, ``label`` (required), ``unit`` (``"unit"``, the default, or
    ``"document"``), ``description``, ``labels`` and at least one
    ``[[scale.dimensions.levels]]``.
``[[scale.dimensions.levels]]``
    ``score``, ``label`` (required), ``description``, ``labels``, ``aliases``.

``labels`` is a table of language code to label (``labels = { zh = "标准规范" }``);
``aliases`` is a list of texts.  Every part may be left out: a taxonomy has no
``[scale]``, an index has nothing but a ``[scale]``.

**Scale types.**  ``type`` is looked up in the plugin registry
(:meth:`~policyquant.plugins.FrameworkRegistry.scale_type`), so plugins add
kinds of scale through the ``policyquant_register_scale_types`` hook.  The
factory receives the ``[scale]`` table without ``type`` and ``dimensions``, and
the parsed :class:`~policyquant.Dimension` objects (none if the table has no
``[[scale.dimensions]]``, which only a formula scale requires).  A formula is
parsed by :class:`policyquant.formula.Formula`, never evaluated as Python.

**Writing.**  :func:`framework_to_toml` writes a
:class:`~policyquant.FormulaScale` as ``type = "formula"``.  Any other scale is
writable only if it follows the :class:`TomlScale` protocol: its
``toml_spec()`` method returns the type name (registered by its plugin) and
the keys of its ``[scale]`` table, from which that type's factory rebuilds an
equal scale.  Otherwise :class:`ScaleNotWritableError` is raised.

**Errors.**  Every mistake is reported with its place in the file, as a key
path such as ``instruments[3].family`` or
``scale.dimensions[0].levels[2].score`` (positions count from 0:
``instruments[3]`` is the fourth ``[[instruments]]`` table).  The whole file is
checked before anything is raised, and one :class:`FrameworkFileError` lists
every problem found; TOML syntax errors give the file, line and column
instead.
"""

from __future__ import annotations

import datetime
import functools
import math
import os
import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from ._text import closest, format_choices, normalize_name
from .errors import FormulaError, InvalidFrameworkError, PolicyQuantError
from .model import (
    ADMINISTRATIVE_LEVELS,
    AdministrativeLevel,
    Dimension,
    EfficacyScale,
    FormulaScale,
    Framework,
    Instrument,
    InstrumentFamily,
    Level,
    Objective,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = [
    "FrameworkFileError",
    "ScaleNotWritableError",
    "TomlScale",
    "framework_from_dict",
    "framework_to_dict",
    "framework_to_toml",
    "is_writable",
    "load_framework",
    "write_framework",
]


# --------------------------------------------------------------------------
# Errors and the writing protocol.


class FrameworkFileError(InvalidFrameworkError):
    """A framework file (or TOML text) is not valid TOML, or not a valid framework.

    Attributes
    ----------
    problems : list of tuple of (str, str)
        Every problem found, as ``(key path, what is wrong)``, in file order;
        the key path is ``""`` for the file as a whole.
    path : str or None
        The key path of the first problem, e.g. ``"instruments[3].family"``;
        ``None`` for a TOML syntax error.
    file : str or None
        The file read, or ``None`` for TOML text.
    line, column : int or None
        Where a TOML syntax error is (1-based); ``None`` otherwise.

    Examples
    --------
    >>> from policyquant.declarative import FrameworkFileError, load_framework
    >>> try:
    ...     load_framework('name = "demo"\\ntitel = "Demo"\\nversion = 2')
    ... except FrameworkFileError as error:
    ...     print(error)
    ...     print(error.path)
    2 problems in the framework:
      - titel: unknown key; did you mean title?
      - version: must be text in quotes, e.g. version = "2"; got an integer
    titel
    """

    def __init__(
        self,
        problems: Sequence[tuple[str, str]],
        *,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
        message: str | None = None,
    ) -> None:
        self.problems = list(problems)
        self.file = file
        self.line = line
        self.column = column
        self.path = self.problems[0][0] if self.problems and line is None else None
        super().__init__(message or self._format())

    def __reduce__(self) -> tuple[Any, ...]:
        # Keyword arguments survive pickling (e.g. to another process), the cause does not.
        rebuild = functools.partial(
            type(self), self.problems, file=self.file, line=self.line, column=self.column, message=str(self)
        )
        return (rebuild, ())

    def _format(self) -> str:
        where = f"{self.file}: " if self.file else ""
        if len(self.problems) == 1:
            path, problem = self.problems[0]
            return f"{where}{path}: {problem}" if path else f"{where}{problem}"
        lines = [f"{len(self.problems)} problems in {self.file or 'the framework'}:"]
        lines += [f"  - {path}: {problem}" if path else f"  - {problem}" for path, problem in self.problems]
        return "\n".join(lines)


class ScaleNotWritableError(PolicyQuantError, TypeError):
    """A framework's scale cannot be written as TOML.

    Raised by :func:`framework_to_toml` for a scale that is neither a
    :class:`~policyquant.FormulaScale` nor follows the :class:`TomlScale`
    protocol.

    Examples
    --------
    >>> import policyquant as pq
    >>> from policyquant.declarative import ScaleNotWritableError
    >>> issubclass(ScaleNotWritableError, pq.PolicyQuantError)
    True
    """


@runtime_checkable
class TomlScale(Protocol):
    """The protocol of scales that :func:`framework_to_toml` can write.

    A scale with a ``toml_spec()`` method returning ``(type, spec)`` is written
    as a ``[scale]`` table with ``type = <type>``, the keys of ``spec`` and
    the scale's dimensions.  ``type`` must be a scale type that a plugin
    registers, whose factory rebuilds an equal scale from ``spec`` and the
    dimensions; ``spec`` holds TOML values only (text, numbers, booleans,
    dates, lists and tables) and neither ``type`` nor ``dimensions``.

    Examples
    --------
    A scale that scores the highest of its dimensions, with a floor:

    >>> import pandas as pd
    >>> import policyquant as pq
    >>> from policyquant.declarative import TomlScale, framework_to_toml
    >>> class FloorScale(pq.EfficacyScale):
    ...     def __init__(self, dimensions, floor=0):
    ...         self._dimensions, self.floor = tuple(dimensions), floor
    ...     dimensions = property(lambda self: self._dimensions)
    ...     min_score = property(lambda self: max(self.floor, *(d.min_score for d in self.dimensions)))
    ...     max_score = property(lambda self: max(self.floor, *(d.max_score for d in self.dimensions)))
    ...     def score(self, frame):
    ...         return self.coerce_frame(frame).max(axis=1).clip(lower=self.floor).rename("score")
    ...     def toml_spec(self):
    ...         return "floor", {"floor": self.floor}
    >>> scale = FloorScale([pq.Dimension("a", "A", [pq.Level(1, "low"), pq.Level(3, "high")])], floor=2)
    >>> isinstance(scale, TomlScale)
    True
    >>> print(framework_to_toml(pq.Framework("floor-demo", "Floor demo", scale=scale)))
    name = "floor-demo"
    title = "Floor demo"
    <BLANKLINE>
    [scale]
    type = "floor"
    floor = 2
    <BLANKLINE>
    [[scale.dimensions]]
    key = "a"
    label = "A"
    unit = "unit"
    <BLANKLINE>
    [[scale.dimensions.levels]]
    score = 1
    label = "low"
    <BLANKLINE>
    [[scale.dimensions.levels]]
    score = 3
    label = "high"
    <BLANKLINE>

    Loading it back needs a plugin that registers the ``floor`` type, e.g.
    ``register("floor", lambda spec, dimensions: FloorScale(dimensions, **spec))``.
    """

    def toml_spec(self) -> tuple[str, Mapping[str, Any]]:
        """The scale type's name and the other keys of the ``[scale]`` table."""
        ...  # pragma: no cover


# --------------------------------------------------------------------------
# Reading.

#: The keys each table accepts: key -> kind, and which are required.
_TOP = {
    "name": "key",
    "title": "label",
    "version": "text",
    "citation": "text",
    "description": "text",
    "families": "tables",
    "instruments": "tables",
    "objectives": "tables",
    "levels": "list",
    "scale": "table",
}
#: An administrative level given as a table (one policyquant does not know by name).
_ADMIN_LEVEL = {
    "key": "key",
    "label": "label",
    "description": "text",
    "labels": "labels",
    "aliases": "aliases",
}
_FAMILY = {"key": "key", "label": "label", "description": "text", "labels": "labels"}
_INSTRUMENT = {
    "key": "key",
    "label": "label",
    "family": "key",
    "description": "text",
    "labels": "labels",
    "aliases": "aliases",
}
_OBJECTIVE = {"key": "key", "label": "label", "description": "text", "labels": "labels", "aliases": "aliases"}
_DIMENSION = {
    "key": "key",
    "label": "label",
    "unit": "text",
    "description": "text",
    "labels": "labels",
    "levels": "tables",
}
_LEVEL = {"score": "score", "label": "label", "description": "text", "labels": "labels", "aliases": "aliases"}
_FORMULA_KEYS = {"formula": "text", "name": "key", "label": "text"}

#: Where a key that is unknown at the top level belongs instead.
_MISPLACED = {
    "dimensions": "dimensions belong to the scale: write [[scale.dimensions]]",
    "formula": "the formula belongs to the scale: write it under [scale]",
    "type": "the scale type belongs to the scale: write it under [scale]",
    "family": "write each family as a [[families]] table",
    "instrument": "write each instrument as an [[instruments]] table",
    "objective": "write each objective as an [[objectives]] table",
}

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)$")


def _key_part(key: str) -> str:
    return key if _BARE_KEY.match(key) else _toml_string(key)


def _join(path: str, key: str) -> str:
    return f"{path}.{_key_part(key)}" if path else _key_part(key)


def _toml_type(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a float"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, (datetime.date, datetime.time)):
        return "a date or time"
    return type(value).__name__


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


#: Fields of a model class that its error messages name as ``Class.field`` or ``Class field``.
_MESSAGE_FIELD = re.compile(r"^[A-Z]\w*[. ](\w+)\b")


def _field_from_message(message: str, fields: Sequence[str]) -> str | None:
    match = _MESSAGE_FIELD.match(message)
    if match and match.group(1) in fields:
        return match.group(1)
    return None


class _Reader:
    """Walks the parsed TOML, collecting every problem with its key path."""

    def __init__(self, registry: Any = None) -> None:
        self.registry = registry
        self.problems: list[tuple[str, str]] = []
        #: The first exception behind a problem (a FormulaError, a plugin's error), kept as the cause.
        self.cause: BaseException | None = None

    def problem(self, path: str, message: str) -> None:
        self.problems.append((path, message))

    def unique_key(self, key: str | None, here: str, what: str, first: dict[str, str]) -> bool:
        """Record where ``key`` first appears; report (and return False for) a repeat."""
        if key is None:
            return True
        if key in first:
            self.problem(f"{here}.key", f"duplicate {what} key {key!r}; {first[key]} has it too")
            return False
        first[key] = here
        return True

    # Tables and values --------------------------------------------------------

    def table(
        self,
        data: Mapping[str, Any],
        path: str,
        fields: Mapping[str, str],
        required: Sequence[str],
        what: str,
        *,
        extra: Sequence[str] = (),
        misplaced: Mapping[str, str] | None = None,
    ) -> tuple[dict[str, Any], bool]:
        """Check one table's keys and value types; return the valid values and whether all were."""
        ok = True
        values: dict[str, Any] = {}
        unset = [k for k in (*fields, *extra) if k not in data]
        suggested = {
            key: closest(key, unset)
            for key in data
            if key not in fields and key not in extra and key not in (misplaced or {})
        }
        # A misspelt required key is one mistake: reported at the misspelling, not also as missing.
        misspelt = {found[0] for found in suggested.values() if found}
        for key in required:
            if key not in data and key in misspelt:
                ok = False
            elif key not in data:
                ok = False
                example = {
                    "name": 'name = "my-taxonomy"',
                    "title": 'title = "My taxonomy"',
                    "key": 'key = "subsidies"',
                    "label": 'label = "Subsidies"',
                    "family": 'family = "mixed"',
                    "score": "score = 3",
                    "levels": "[[scale.dimensions.levels]]",
                    "formula": 'formula = "DA * (AS + MI)"',
                }.get(key)
                hint = f", e.g. {example}" if example else ""
                if key == "levels":
                    self.problem(_join(path, key), f"missing; {what} needs at least one {example} table")
                else:
                    self.problem(_join(path, key), f"missing; {what} needs a {key}{hint}")
        for key, value in data.items():
            here = _join(path, key)
            kind = fields.get(key)
            if kind is None:
                if key in extra:
                    continue
                ok = False
                if misplaced and key in misplaced:
                    self.problem(here, f"unknown key; {misplaced[key]}")
                    continue
                suggestions = suggested.get(key, [])
                hint = (
                    f"did you mean {' or '.join(suggestions)}?"
                    if suggestions
                    else f"{what} takes {format_choices([*fields, *extra], limit=20)}"
                )
                self.problem(here, f"unknown key; {hint}")
                continue
            checked = self.value(value, here, kind)
            if checked is _INVALID:
                ok = False
            else:
                values[key] = checked
        return values, ok

    def value(self, value: Any, path: str, kind: str) -> Any:
        if kind in ("text", "key", "label"):
            if not isinstance(value, str):
                quoted = _toml_string(str(value)) if isinstance(value, (int, float)) else '"..."'
                self.problem(
                    path,
                    f"must be text in quotes, e.g. {path.rsplit('.', 1)[-1]} = {quoted}; got {_toml_type(value)}",
                )
                return _INVALID
            if kind in ("key", "label") and not value.strip():
                self.problem(path, "must not be empty")
                return _INVALID
            if kind == "key" and any(ch.isspace() for ch in value):
                self.problem(
                    path,
                    f"{value!r} must not contain whitespace; use underscores or hyphens, "
                    f"e.g. {'_'.join(value.split())!r}",
                )
                return _INVALID
            return value
        if kind == "score":
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                self.problem(
                    path, f"must be a number, e.g. score = 3; got {_toml_type(value)} {_shown(value)}"
                )
                return _INVALID
            if not math.isfinite(value):
                self.problem(path, f"must be a finite number, got {value!r}")
                return _INVALID
            return value
        if kind == "labels":
            if not isinstance(value, dict):
                self.problem(
                    path,
                    f'must be a table of language = label, e.g. labels = {{ zh = "..." }}; got {_toml_type(value)}',
                )
                return _INVALID
            ok = True
            for language, label in value.items():
                if not isinstance(label, str) or not label.strip():
                    self.problem(
                        _join(path, language),
                        f"a label must be non-empty text, got {_toml_type(label)} {_shown(label)}",
                    )
                    ok = False
            return dict(value) if ok else _INVALID
        if kind == "aliases":
            items = [value] if isinstance(value, str) else value
            if not isinstance(items, list):
                self.problem(
                    path, f'must be a list of texts, e.g. aliases = ["...", "..."]; got {_toml_type(value)}'
                )
                return _INVALID
            ok = True
            for index, alias in enumerate(items):
                if not isinstance(alias, str) or not alias.strip():
                    self.problem(
                        f"{path}[{index}]",
                        f"an alias must be non-empty text, got {_toml_type(alias)} {_shown(alias)}",
                    )
                    ok = False
            return tuple(items) if ok else _INVALID
        if kind == "tables":
            if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
                name = path.rsplit(".", 1)[-1]
                header = re.sub(r"\[\d+\]", "", path)  # scale.dimensions[0].levels -> scale.dimensions.levels
                self.problem(
                    path,
                    f"must be an array of tables, written [[{header}]] before each one "
                    f"(or {name} = [{{ ... }}, {{ ... }}]); got {_toml_type(value)}",
                )
                return _INVALID
            return value
        if kind == "list":
            if not isinstance(value, list):
                self.problem(
                    path,
                    f'must be a list, e.g. levels = ["national", "provincial"]; got {_toml_type(value)}',
                )
                return _INVALID
            return value
        if kind == "table":
            if not isinstance(value, dict):
                self.problem(path, f"must be a table, written [{path}]; got {_toml_type(value)}")
                return _INVALID
            return value
        raise AssertionError(kind)  # pragma: no cover

    def build(self, path: str, kind: type, fields: Sequence[str], **values: Any) -> Any:
        """Construct a model object, reporting its validation error at the field it names."""
        try:
            return kind(**values)
        except InvalidFrameworkError as error:
            field = _field_from_message(str(error), fields)
            self.problem(_join(path, field) if field else path, str(error))
            self.cause = self.cause or error
            return None

    # Parts ------------------------------------------------------------------

    def items(
        self,
        tables: list[dict[str, Any]],
        part: str,
        path: str,
        fields: Mapping[str, str],
        kind: type,
        family_keys: Sequence[str] = (),
    ) -> list[tuple[str, Any]]:
        """Read the [[families]], [[instruments]] or [[objectives]] tables: (path, object) pairs."""
        required = ["key", "label", "family"] if part == "instrument" else ["key", "label"]
        article = "an" if part[0] in "aeiou" else "a"
        built = []
        first: dict[str, str] = {}
        for index, data in enumerate(tables):
            here = f"{path}[{index}]"
            values, ok = self.table(data, here, fields, required, f"{article} {part}")
            ok = self.unique_key(values.get("key"), here, part, first) and ok
            family = values.get("family")
            if family is not None and family not in family_keys:
                suggestions = closest(family, family_keys)
                hint = f"; did you mean {' or '.join(suggestions)}?" if suggestions else ""
                self.problem(
                    f"{here}.family",
                    f"unknown family {family!r} (instrument {values.get('key', '?')!r}); "
                    f"families: {format_choices(family_keys) or '(none: add [[families]] tables)'}{hint}",
                )
                ok = False
            if ok:
                item = self.build(here, kind, list(fields), **values)
                if item is not None:
                    built.append((here, item))
        return built

    def ambiguous(self, items: list[tuple[str, Any]], what: str, owner: Callable[[Any], Any]) -> None:
        """Report every name (label, localized label, alias) that two items share."""
        owners: dict[str, tuple[Any, str]] = {}
        for here, item in items:
            own = owner(item)
            for field, name in _named_fields(item):
                normal = normalize_name(name)
                holder = owners.get(normal)
                if holder is None:
                    owners[normal] = (own, f"{here}.{field}")
                elif holder[0] != own:
                    self.problem(
                        f"{here}.{field}",
                        f"the name {name!r} is ambiguous: it also names {what} {holder[0]!r} ({holder[1]}); "
                        "keys, labels and aliases must name one item only "
                        "(compared ignoring case, width and spacing)",
                    )

    def scale(self, data: dict[str, Any], path: str = "scale") -> EfficacyScale | None:
        type_name = data.get("type", "formula")
        factory = None
        if not isinstance(type_name, str) or not type_name.strip():
            self.problem(
                f"{path}.type",
                f'must be the name of a scale type in quotes, e.g. type = "formula"; got {_shown(type_name)}',
            )
        else:
            factory = self.scale_factory(type_name, f"{path}.type")
        spec = {k: v for k, v in data.items() if k not in ("type", "dimensions")}
        spec_ok = True
        builtin_formula = factory is not None and _is_formula_factory(factory)
        if builtin_formula:
            checked, spec_ok = self.table(
                spec, path, _FORMULA_KEYS, ["formula"], "a formula scale", extra=("type", "dimensions")
            )
            spec = checked
        dimensions = self.dimensions(data, path, required=builtin_formula)
        if factory is None or dimensions is None or not spec_ok:
            return None
        try:
            scale = factory(spec, dimensions)
        except FormulaError as error:
            self.problem(f"{path}.formula" if builtin_formula else path, str(error))
            self.cause = self.cause or error
            return None
        except (PolicyQuantError, TypeError, ValueError, KeyError) as error:
            self.cause = self.cause or error
            message = str(error)
            if message.startswith("scale: "):
                message = message[len("scale: ") :]
            field = _field_from_message(message, list(spec))
            if field is None and builtin_formula:
                field = "formula"
            if not isinstance(error, PolicyQuantError):
                message = f"the {type_name!r} scale type could not build the scale: {type(error).__name__}: {message}"
            self.problem(_join(path, field) if field else path, message)
            return None
        if not isinstance(scale, EfficacyScale):
            self.problem(
                f"{path}.type",
                f"the scale type {type_name!r} built {type(scale).__name__}, not an EfficacyScale "
                "(a bug in the plugin that registers it)",
            )
            return None
        return scale

    def scale_factory(self, type_name: str, path: str) -> Callable[..., Any] | None:
        from .errors import UnknownFrameworkError
        from .plugins import get_registry

        registry = self.registry if self.registry is not None else get_registry()
        try:
            return registry.scale_type(type_name)
        except UnknownFrameworkError:
            known = sorted(registry.scale_types())
            suggestions = closest(type_name, known)
            hint = f"; did you mean {' or '.join(suggestions)}?" if suggestions else ""
            self.problem(
                path,
                f"unknown scale type {type_name!r}; known scale types: {format_choices(known) or '(none)'}"
                f"{hint} (plugins add scale types through the policyquant_register_scale_types hook)",
            )
            return None

    def dimensions(self, data: dict[str, Any], path: str, *, required: bool) -> tuple[Dimension, ...] | None:
        """The [[scale.dimensions]]; a formula needs at least one, other scale types may have none."""
        where = f"{path}.dimensions"
        if "dimensions" not in data and not required:
            return ()
        if "dimensions" not in data:
            self.problem(where, "missing; a formula scale needs at least one [[scale.dimensions]] table")
            return None
        tables = self.value(data["dimensions"], where, "tables")
        if tables is _INVALID:
            return None
        if not tables and required:
            self.problem(where, "a formula scale needs at least one [[scale.dimensions]] table")
            return None
        built: list[Dimension] = []
        ok = True
        first: dict[str, str] = {}
        for index, table in enumerate(tables):
            here = f"{where}[{index}]"
            values, good = self.table(table, here, _DIMENSION, ["key", "label", "levels"], "a dimension")
            good = self.unique_key(values.get("key"), here, "dimension", first) and good
            unit = values.get("unit", "unit")
            if "unit" in values and unit not in Dimension.UNITS:
                self.problem(
                    f"{here}.unit", f'must be "unit" (scored per clause) or "document", got {unit!r}'
                )
                good = False
            levels = self.levels(values["levels"], f"{here}.levels") if "levels" in values else None
            if levels is None or not good:
                ok = False
                continue
            values["levels"] = levels
            dimension = self.build(here, Dimension, list(_DIMENSION), **values)
            if dimension is None:
                ok = False
            else:
                built.append(dimension)
        return tuple(built) if ok else None

    def levels(self, tables: list[dict[str, Any]], path: str) -> tuple[Level, ...] | None:
        if not tables:
            self.problem(path, "a dimension needs at least one [[scale.dimensions.levels]] table")
            return None
        built: list[tuple[str, Level]] = []
        ok = True
        first: dict[float, str] = {}
        for index, table in enumerate(tables):
            here = f"{path}[{index}]"
            values, good = self.table(table, here, _LEVEL, ["score", "label"], "a level")
            score = values.get("score")
            if score is not None:
                if score in first:
                    self.problem(f"{here}.score", f"duplicate score {score!r}; {first[score]} has it too")
                    good = False
                else:
                    first[score] = here
            level = self.build(here, Level, list(_LEVEL), **values) if good else None
            if level is None:
                ok = False
            else:
                built.append((here, level))
        before = len(self.problems)
        self.ambiguous(built, "the level with score", lambda level: level.score)
        if not ok or len(self.problems) > before:
            return None
        return tuple(level for _, level in built)

    def administrative_levels(self, items: list[Any], path: str) -> tuple[AdministrativeLevel, ...] | None:
        """The top-level ``levels``: names of levels policyquant knows, or tables of new ones."""
        if not items:
            self.problem(path, 'must name at least one level, e.g. levels = ["municipal", "county"]')
            return None
        known = {normalize_name(name): level for level in ADMINISTRATIVE_LEVELS for name in level.names()}
        names = [name for level in ADMINISTRATIVE_LEVELS for name in level.names()]
        built: list[tuple[str, AdministrativeLevel]] = []
        first: dict[str, str] = {}
        ok = True
        for index, item in enumerate(items):
            here = f"{path}[{index}]"
            level = None
            if isinstance(item, str):
                level = known.get(normalize_name(item))
                if level is None:
                    nearest = list(
                        dict.fromkeys(known[normalize_name(m)].key for m in closest(item, names, n=6))
                    )
                    hint = f"did you mean {' or '.join(nearest)}? " if nearest else ""
                    self.problem(
                        here,
                        f"{item!r} is not an administrative level policyquant knows "
                        f"({format_choices([lv.key for lv in ADMINISTRATIVE_LEVELS])}); {hint}"
                        'a new level is a table: { key = "township", label = "Township", labels = { zh = "乡镇级" } }',
                    )
            elif isinstance(item, dict):
                if "score" in item:
                    self.problem(
                        here,
                        "an administrative level has no score; "
                        "the levels of a score belong to a dimension: write [[scale.dimensions.levels]]",
                    )
                else:
                    values, good = self.table(
                        item, here, _ADMIN_LEVEL, ["key", "label"], "an administrative level"
                    )
                    if good:
                        level = self.build(here, AdministrativeLevel, list(_ADMIN_LEVEL), **values)
            else:
                self.problem(
                    here,
                    f"must be a level's name in quotes or a table of a new level; got {_toml_type(item)}",
                )
            if level is None:
                ok = False
            elif self.unique_key(level.key, here, "administrative level", first):
                built.append((here, level))
            else:
                ok = False
        before = len(self.problems)
        self.ambiguous(built, "the administrative level", lambda level: level.key)
        if not ok or len(self.problems) > before:
            return None
        return tuple(level for _, level in built)

    def framework(self, data: dict[str, Any]) -> Framework | None:
        values, _ = self.table(data, "", _TOP, ["name", "title"], "every framework", misplaced=_MISPLACED)
        # Keys of every [[families]] table, valid or not, so that instruments are checked against them all.
        family_keys = list(
            dict.fromkeys(
                table["key"] for table in values.get("families", []) if isinstance(table.get("key"), str)
            )
        )
        parts: dict[str, list[tuple[str, Any]]] = {}
        for part, path, fields, kind in (
            ("family", "families", _FAMILY, InstrumentFamily),
            ("instrument", "instruments", _INSTRUMENT, Instrument),
            ("objective", "objectives", _OBJECTIVE, Objective),
        ):
            parts[part] = self.items(values.get(path, []), part, path, fields, kind, family_keys)
            self.ambiguous(parts[part], f"the {part}", lambda item: item.key)
        scale = self.scale(values["scale"]) if "scale" in values else None
        levels = self.administrative_levels(values["levels"], "levels") if "levels" in values else None
        if self.problems:
            return None
        try:
            return Framework(
                values["name"],
                values["title"],
                families=[item for _, item in parts["family"]],
                instruments=[item for _, item in parts["instrument"]],
                objectives=[item for _, item in parts["objective"]],
                scale=scale,
                citation=values.get("citation"),
                version=values.get("version"),
                description=values.get("description", ""),
                levels=levels,
            )
        except InvalidFrameworkError as error:
            field = _field_from_message(str(error), list(_TOP))
            self.problem(field or "", str(error))
            self.cause = self.cause or error
            return None


class _Invalid:
    def __repr__(self) -> str:  # pragma: no cover
        return "<invalid>"


_INVALID: Any = _Invalid()


def _named_fields(item: Any) -> Iterator[tuple[str, str]]:
    """(key path suffix, name) for every name of an item, in the model's order."""
    if hasattr(item, "key"):
        yield "key", item.key
    yield "label", item.label
    for language, label in item.labels.items():
        yield f"labels.{_key_part(language)}", label
    for index, alias in enumerate(getattr(item, "aliases", ())):
        yield f"aliases[{index}]", alias


def _is_formula_factory(factory: Callable[..., Any]) -> bool:
    from .frameworks.scales import formula_scale

    return factory is formula_scale


def framework_from_dict(
    data: Mapping[str, Any], *, registry: Any = None, file: str | os.PathLike[str] | None = None
) -> Framework:
    """Build a framework from already-parsed TOML (nested dicts and lists).

    The dictionary form of :func:`load_framework`, e.g. for a framework kept in
    JSON or in a table of a larger TOML file.

    Parameters
    ----------
    data : mapping
        The framework's tables, as :mod:`tomllib` returns them.
    registry : FrameworkRegistry, optional
        Where scale types are looked up; defaults to
        :func:`policyquant.plugins.get_registry`.
    file : str or path, optional
        The file the data came from, for messages.

    Returns
    -------
    Framework

    Raises
    ------
    FrameworkFileError
        Listing every problem, each with its key path.

    Examples
    --------
    >>> from policyquant.declarative import framework_from_dict
    >>> framework = framework_from_dict({
    ...     "name": "demo", "title": "Demo",
    ...     "families": [{"key": "soft", "label": "Soft"}],
    ...     "instruments": [{"key": "info", "label": "Information", "family": "soft"}],
    ... })
    >>> framework.instrument_keys
    ('info',)
    """
    file_name = os.fspath(file) if file is not None else None
    if not isinstance(data, Mapping):
        raise FrameworkFileError(
            [("", f"a framework must be a table, got {_toml_type(data)}")], file=file_name
        )
    reader = _Reader(registry)
    framework = reader.framework(dict(data))
    if reader.problems or framework is None:
        raise FrameworkFileError(reader.problems, file=file_name) from reader.cause
    return framework


def _looks_like_text(source: str) -> bool:
    if "\n" in source:
        return True
    if "=" not in source and "[" not in source:
        return False
    try:
        return not os.path.isfile(source)
    except (OSError, ValueError):
        return True


def _parse_toml(text: str, file: str | None) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except RecursionError:
        # tomllib recurses once per nested array or inline table; no framework nests that deep.
        raise FrameworkFileError(
            [("", "invalid TOML: arrays or tables nested too deeply")],
            file=file,
            message=f"{file + ': ' if file else ''}invalid TOML: arrays or tables nested too deeply",
        ) from None
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        line = getattr(error, "lineno", None)
        column = getattr(error, "colno", None)
        match = _TOML_POSITION.search(message)
        if match:
            line, column = int(match.group(1)), int(match.group(2))
        elif message.endswith("(at end of document)"):
            lines = text.splitlines() or [""]
            line, column = len(lines), len(lines[-1]) + 1
        reason = getattr(error, "msg", None) or _TOML_POSITION.sub("", message).replace(
            "(at end of document)", ""
        )
        reason = reason.strip()
        where = ", ".join(
            part
            for part in (file, f"line {line}" if line else None, f"column {column}" if column else None)
            if part
        )
        summary = f"{where}: invalid TOML: {reason}" if where else f"invalid TOML: {reason}"
        if line:
            source_lines = text.splitlines()
            if 0 < line <= len(source_lines):
                gutter = f"{line} | "
                summary += f"\n    {gutter}{source_lines[line - 1]}"
                if column:
                    summary += "\n    " + " " * (len(gutter) - 2) + "| " + " " * (column - 1) + "^"
        raise FrameworkFileError(
            [("", f"invalid TOML: {reason}")], file=file, line=line, column=column, message=summary
        ) from None


def load_framework(source: Any, *, registry: Any = None) -> Framework:
    """Read a framework from a TOML file or from TOML text.

    Parameters
    ----------
    source : str, path or file-like resource
        A path (:class:`str` or :class:`os.PathLike`), an object with a
        ``read_bytes()`` method (such as the result of
        :func:`importlib.resources.files`), or the TOML text itself.  A
        :class:`str` is taken as TOML text when it holds a line break, or
        ``=`` or ``[`` and names no existing file; pass a
        :class:`pathlib.Path` to be unambiguous.
    registry : FrameworkRegistry, optional
        Where ``[scale] type`` is looked up; defaults to the process-wide
        registry (:func:`policyquant.plugins.get_registry`).

    Returns
    -------
    Framework

    Raises
    ------
    FrameworkFileError
        If the text is not valid TOML (with the file, line and column) or not
        a valid framework (every problem, each with its key path).
    FileNotFoundError
        If the file does not exist.

    Examples
    --------
    >>> from policyquant.declarative import load_framework
    >>> framework = load_framework('''
    ... name = "demo"
    ... title = "A demo taxonomy"
    ...
    ... [[families]]
    ... key = "soft"
    ... label = "Soft instruments"
    ... labels = { zh = "软性工具" }
    ...
    ... [[instruments]]
    ... key = "info"
    ... label = "Information"
    ... family = "soft"
    ... aliases = ["campaigns"]
    ...
    ... [scale]
    ... formula = "2 * SP"
    ...
    ... [[scale.dimensions]]
    ... key = "SP"
    ... label = "Specificity"
    ... levels = [{ score = 1, label = "Vague" }, { score = 2, label = "Precise" }]
    ... ''')
    >>> framework.resolve("instrument", "campaigns"), framework.scale.max_score
    ('info', 4.0)

    Mistakes are reported at their key path:

    >>> load_framework('''
    ... name = "demo"
    ... title = "Demo"
    ... [[families]]
    ... key = "soft"
    ... label = "Soft"
    ... [[instruments]]
    ... key = "info"
    ... label = "Information"
    ... family = "sfot"
    ... ''')
    Traceback (most recent call last):
    ...
    policyquant.declarative.FrameworkFileError: instruments[0].family: unknown family 'sfot' (instrument 'info'); families: soft; did you mean soft?
    """
    file: str | None = None
    if isinstance(source, bytes):
        raw = source
    elif isinstance(source, str) and _looks_like_text(source):
        raw = None
        text = source
    elif isinstance(source, (str, os.PathLike)):
        file = os.fspath(source)
        raw = Path(file).read_bytes()
    elif hasattr(source, "read_bytes"):
        file = str(source)
        raw = source.read_bytes()
    else:
        raise TypeError(f"load_framework() needs a path or TOML text, got {type(source).__name__}")
    if raw is not None:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise FrameworkFileError(
                [("", f"not UTF-8 text (byte {error.start}): save the file as UTF-8")], file=file
            ) from None
    data = _parse_toml(text, file)
    return framework_from_dict(data, registry=registry, file=file)


# --------------------------------------------------------------------------
# Writing.


def is_writable(framework: Framework) -> bool:
    """Whether :func:`framework_to_toml` can write the framework.

    True without a scale, with a :class:`~policyquant.FormulaScale`, or with a
    scale that has a ``toml_spec()`` method (:class:`TomlScale`).

    Examples
    --------
    >>> import policyquant as pq
    >>> from policyquant.declarative import is_writable
    >>> is_writable(pq.get_framework("wang2026"))
    True
    """
    scale = framework.scale
    return scale is None or type(scale) is FormulaScale or callable(getattr(scale, "toml_spec", None))


def _scale_spec(scale: EfficacyScale) -> dict[str, Any]:
    spec_method = getattr(scale, "toml_spec", None)
    if callable(spec_method):
        type_name, spec = spec_method()
        if not isinstance(type_name, str) or not type_name.strip() or not isinstance(spec, Mapping):
            raise ScaleNotWritableError(
                f"{type(scale).__name__}.toml_spec() must return (type name, mapping), "
                f"got ({type_name!r}, {type(spec).__name__})"
            )
        reserved = sorted({"type", "dimensions"} & set(spec))
        if reserved:
            raise ScaleNotWritableError(
                f"{type(scale).__name__}.toml_spec() must not return the key(s) {', '.join(reserved)}: "
                "the type is the first item, and the dimensions are written from scale.dimensions"
            )
        return {"type": type_name, **spec}
    if type(scale) is FormulaScale:
        spec = {"type": "formula", "name": scale.name}
        if scale.label:
            spec["label"] = scale.label
        spec["formula"] = scale.formula
        return spec
    raise ScaleNotWritableError(
        f"cannot write a {type(scale).__name__} as TOML: only a FormulaScale, or a scale with a "
        "toml_spec() method returning (type, spec) for a registered scale type, can be written "
        "(see policyquant.declarative.TomlScale)"
    )


def _item(item: Any, *fields: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field in fields:
        value = getattr(item, field)
        if field in ("description",) and value == "":
            continue
        if field in ("labels", "aliases") and not value:
            continue
        out[field] = dict(value) if field == "labels" else list(value) if field == "aliases" else value
    return out


def framework_to_dict(framework: Framework) -> dict[str, Any]:
    """The framework as plain TOML data (dicts, lists, text and numbers).

    :func:`framework_from_dict` turns it back into an equal framework.
    Empty descriptions, labels and aliases and missing versions and citations
    are left out.

    Raises
    ------
    ScaleNotWritableError
        If the scale is neither a :class:`~policyquant.FormulaScale` nor a
        :class:`TomlScale`.

    Examples
    --------
    >>> import policyquant as pq
    >>> from policyquant.declarative import framework_to_dict
    >>> data = framework_to_dict(pq.get_framework("wang2026"))
    >>> data["scale"]["formula"], data["families"][0]
    ('DA * (AS + MI)', {'key': 'mandatory', 'label': 'Mandatory', 'description': 'Instruments through which the state acts directly and with authority: it sets rules, plans, builds and supervises, leaving the targets little discretion.', 'labels': {'zh': '强制型'}})
    """
    if not isinstance(framework, Framework):
        raise TypeError(f"expected a policyquant.Framework, got {type(framework).__name__}")
    data: dict[str, Any] = {"name": framework.name, "title": framework.title}
    if framework.version is not None:
        data["version"] = framework.version
    if framework.citation is not None:
        data["citation"] = framework.citation
    if framework.description:
        data["description"] = framework.description
    if framework.levels != ADMINISTRATIVE_LEVELS:
        # A level policyquant knows is written by its key; a new one as a table of its own.
        data["levels"] = [
            level.key
            if level in ADMINISTRATIVE_LEVELS
            else _item(level, "key", "label", "description", "labels", "aliases")
            for level in framework.levels
        ]
    if framework.families:
        data["families"] = [_item(f, "key", "label", "description", "labels") for f in framework.families]
    if framework.instruments:
        data["instruments"] = [
            _item(i, "key", "label", "family", "description", "labels", "aliases")
            for i in framework.instruments
        ]
    if framework.objectives:
        data["objectives"] = [
            _item(o, "key", "label", "description", "labels", "aliases") for o in framework.objectives
        ]
    if framework.scale is not None:
        scale = framework.scale
        data["scale"] = _scale_spec(scale)
        if scale.dimensions:
            data["scale"]["dimensions"] = [
                {
                    **_item(d, "key", "label"),
                    "unit": d.unit,
                    **_item(d, "description", "labels"),
                    "levels": [
                        _item(level, "score", "label", "description", "labels", "aliases")
                        for level in d.levels
                    ],
                }
                for d in scale.dimensions
            ]
    return data


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def _toml_string(text: str, *, multiline: bool = False) -> str:
    """A TOML basic string; with ``multiline``, line breaks stay as they are (in triple quotes)."""
    out = []
    for ch in text:
        if multiline and ch == "\n":
            out.append(ch)
        elif ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    body = "".join(out)
    # A line break right after the opening quotes is dropped by TOML readers: it only starts the text.
    return '"""\n' + body + '"""' if multiline else '"' + body + '"'


def _toml_value(value: Any, *, multiline: bool = False) -> str:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        if multiline and "\n" in value and "\r" not in value:
            return _toml_string(value, multiline=True)
        return _toml_string(value)
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        return "{ " + ", ".join(f"{_key_part(str(k))} = {_toml_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise ScaleNotWritableError(f"cannot write {type(value).__name__} {value!r} as a TOML value")


#: The keys written as arrays of tables ([[families]], [[scale.dimensions]], ...); other lists stay inline.
_TABLE_ARRAYS = ("families", "instruments", "objectives", "dimensions", "levels")


def _is_table_array(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, Mapping) for v in value)


def _emit_table(lines: list[str], header: str | None, table: Mapping[str, Any], path: str) -> None:
    if header is not None:
        if lines:
            lines.append("")
        lines.append(header)
    arrays = []
    for key, value in table.items():
        if (_is_table_array(value) and key in _TABLE_ARRAYS) or (key == "scale" and not path):
            arrays.append((key, value))
        else:
            lines.append(f"{_key_part(key)} = {_toml_value(value, multiline=key == 'description')}")
    for key, value in arrays:
        sub = _join(path, key)
        if isinstance(value, Mapping):
            _emit_table(lines, f"[{sub}]", value, sub)
        else:
            for item in value:
                _emit_table(lines, f"[[{sub}]]", item, sub)


def framework_to_toml(framework: Framework) -> str:
    """Write a framework as TOML text that :func:`load_framework` reads back equal.

    Parameters
    ----------
    framework : Framework
        A framework whose scale is ``None``, a :class:`~policyquant.FormulaScale`
        or a :class:`TomlScale`.

    Returns
    -------
    str
        TOML text: the top-level keys, then ``[[families]]``,
        ``[[instruments]]``, ``[[objectives]]`` and ``[scale]`` with its
        ``[[scale.dimensions]]`` and ``[[scale.dimensions.levels]]``.

    Raises
    ------
    ScaleNotWritableError
        If the scale is of another kind: give it a ``toml_spec()`` method
        (see :class:`TomlScale`).

    Examples
    --------
    >>> import policyquant as pq
    >>> from policyquant.declarative import framework_to_toml, load_framework
    >>> wang = pq.get_framework("wang2026")
    >>> text = framework_to_toml(wang)
    >>> print(text[text.index("[scale]"):text.index("[[scale.dimensions]]")].strip())
    [scale]
    type = "formula"
    name = "APE"
    label = "Policy efficacy"
    formula = "DA * (AS + MI)"
    >>> load_framework(text) == wang
    True
    """
    lines: list[str] = []
    _emit_table(lines, None, framework_to_dict(framework), "")
    return "\n".join(lines) + "\n"


def write_framework(framework: Framework, path: str | os.PathLike[str]) -> Path:
    """Write a framework to a TOML file (UTF-8); see :func:`framework_to_toml`.

    Parameters
    ----------
    framework : Framework
        The framework to write.
    path : str or path
        The file to write; its folder must exist.

    Returns
    -------
    pathlib.Path
        The file written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import policyquant as pq
    >>> from policyquant.declarative import load_framework, write_framework
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "howlett-ramesh.toml"
    >>> written = write_framework(pq.get_framework("howlett-ramesh-1995"), target)
    >>> load_framework(written) == pq.get_framework("howlett-ramesh-1995")
    True
    """
    from ._files import write_text

    text = framework_to_toml(framework)
    # A temporary file renamed into place: a reader never loads half a framework.
    return write_text(Path(path), text, encoding="utf-8", newline="\n", create_folders=False)

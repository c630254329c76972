"""Mapping the codes of a QDA project onto a framework's instruments, objectives and levels."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from ..._text import closest, normalize_name
from ...errors import ScoreError
from ...model import Dimension, Framework
from ._xml import _read_trailer, _score_text, qdc_guid

#: Top-level codes of a foreign codebook whose children are objectives (compared normalized).
OBJECTIVE_BRANCH_NAMES = (
    "objectives",
    "objective",
    "goals",
    "goal",
    "policy objectives",
    "policy goals",
    "政策目标",
    "目标",
)

#: Codes of a project whose sub-codes may be instruments of any family (compared normalized):
#: a team may group its instruments under one such code instead of, or above, the families.
INSTRUMENT_BRANCH_NAMES = (
    "instruments",
    "instrument",
    "policy instruments",
    "policy tools",
    "tools",
    "政策工具",
    "工具",
)

#: Codes of a project whose sub-codes may be levels of any dimension (compared normalized).
SCALE_BRANCH_NAMES = (
    "scale",
    "scores",
    "levels",
    "efficacy",
    "policy efficacy",
    "政策效力",
    "效力",
)

_LEVEL_NAME = re.compile(
    r"^\s*(?P<dim>[^\s=＝:：·]+)\s*[=＝:：]\s*(?P<score>[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)"
)


# --------------------------------------------------------------------------
# The tree of codes read from a codebook or project.


@attrs.define
class _Code:
    guid: str
    name: str
    codable: bool
    description: str
    parent: str | None
    locator: str
    children: list[_Code] = attrs.field(factory=list)

    def leaves(self) -> Iterator[_Code]:
        return (code for code in self.walk() if not code.children)

    def walk(self) -> Iterator[_Code]:
        """This code and every code below it, depth first in document order."""
        # An explicit stack: a tree as deep as MAX_CODE_DEPTH must not exhaust the call stack.
        stack = [self]
        while stack:
            code = stack.pop()
            yield code
            stack.extend(reversed(code.children))


# --------------------------------------------------------------------------
# Mapping codes onto a framework.


@attrs.frozen
class _Target:
    """What a code stands for in the framework."""

    part: str  # family, instrument, objective, objectives, dimension, level
    key: str
    dimension: Dimension | None = None
    score: float | None = None


def _framework_guids(framework: Framework) -> dict[str, _Target]:
    targets = {}
    for family in framework.families:
        targets[qdc_guid(framework, "family", family.key)] = _Target("family", family.key)
    for instrument in framework.instruments:
        targets[qdc_guid(framework, "instrument", instrument.key)] = _Target("instrument", instrument.key)
    if framework.objectives:
        targets[qdc_guid(framework, "objectives", "objectives")] = _Target("objectives", "objectives")
    for objective in framework.objectives:
        targets[qdc_guid(framework, "objective", objective.key)] = _Target("objective", objective.key)
    if framework.scale is not None:
        for dimension in framework.scale.dimensions:
            targets[qdc_guid(framework, "dimension", dimension.key)] = _Target(
                "dimension", dimension.key, dimension
            )
            for level in dimension.levels:
                key = f"{dimension.key}={_score_text(level.score)}"
                targets[qdc_guid(framework, "level", key)] = _Target("level", key, dimension, level.score)
    return targets


class _Mapper:
    """Maps codebook codes onto a framework: by GUID, then by name."""

    def __init__(self, framework: Framework, by_guid: dict[str, _Code], own: Mapping[str, tuple[str, str]]):
        self.framework = framework
        self.codes = by_guid
        self.guids = _framework_guids(framework)
        for guid, (part, key) in own.items():
            self.guids.setdefault(guid, _Target(part, key))
        self.lookups = {part: framework.name_lookup(part) for part in ("family", "instrument", "objective")}
        scale = framework.scale
        self.dimensions = {d.key.casefold(): d for d in scale.dimensions} if scale is not None else {}
        self.cache: dict[str, tuple[_Target | None, str]] = {}
        self.roles: dict[str, frozenset[tuple[str, str]]] = {}

    def _dimension_named(self, name: str) -> Dimension | None:
        head = re.split(r"\s*[·:：=＝]\s*", name.strip(), maxsplit=1)[0]
        for candidate in (head, name):
            dimension = self.dimensions.get(normalize_name(candidate))
            if dimension is not None:
                return dimension
        for dimension in self.dimensions.values():
            if normalize_name(name) in {
                normalize_name(n) for n in (dimension.label, *dimension.labels.values())
            }:
                return dimension
        return None

    def _level(self, dimension: Dimension, value: Any) -> _Target | None:
        try:
            level = dimension.level(value)
        except (ScoreError, ValueError, TypeError):
            return None
        return _Target("level", f"{dimension.key}={_score_text(level.score)}", dimension, level.score)

    def target(self, guid: str) -> tuple[_Target | None, str]:
        """The code's target, or None and why it did not map."""
        if guid not in self.cache:
            self.cache[guid] = self._target(guid)
        return self.cache[guid]

    def _keyed(self, code: _Code) -> _Target | None:
        """What the ``[policyquant]`` key line of the code's description names in the framework.

        QDA programs that give codes new GUIDs on export (QualCoder does, every time) keep
        descriptions: the key there identifies a code written by :func:`write_qdc` however it
        was renamed.  None when the description has no key, or one the framework does not hold.
        """
        trailer = _read_trailer(code.description)
        framework, kind, key = self.framework, trailer.kind, trailer.key
        if kind == "objectives":
            return _Target("objectives", "objectives") if framework.objectives else None
        if key is None:
            return None
        if kind in ("family", "instrument", "objective"):
            return _Target(kind, key) if key in getattr(framework, f"{kind}_keys") else None
        if kind == "dimension":
            dimension = self.dimensions.get(key.casefold())
            return _Target("dimension", dimension.key, dimension) if dimension is not None else None
        if kind == "level":
            name, _, score = key.rpartition("=")
            dimension = self.dimensions.get(name.casefold())
            try:
                value = float(score)
            except ValueError:
                return None
            return self._level(dimension, value) if dimension is not None else None
        return None

    def _target(self, guid: str) -> tuple[_Target | None, str]:
        target = self.guids.get(guid)
        if target is not None:
            return self._usable(target)
        code = self.codes[guid]
        # Like a GUID write_qdc gave, the key it wrote is trusted wherever the code sits.
        target = self._keyed(code)
        if target is not None:
            return self._usable(target)
        trailer = _read_trailer(code.description)
        names = [code.name, *([trailer.label] if trailer.label else [])]
        found: dict[str, _Target] = {}
        for part in ("instrument", "objective", "family"):
            for name in names:
                key = self.lookups[part].get(normalize_name(name))
                if key is not None:
                    found.setdefault(part, _Target(part, key))
        if self.dimensions:
            match = _LEVEL_NAME.match(code.name)
            if match and match.group("dim").casefold() in self.dimensions:
                level = self._level(
                    self.dimensions[match.group("dim").casefold()], float(match.group("score"))
                )
                if level is not None:
                    found.setdefault("level", level)
            parent = self.codes.get(code.parent) if code.parent else None
            if parent is not None and "level" not in found:
                dimension = self._dimension_named(parent.name)
                if dimension is not None:
                    level = self._level(dimension, code.name.split("·", 1)[-1].strip())
                    if level is not None:
                        found["level"] = level
        if not found:
            return None, "no instrument, objective or level of the framework has this name"
        # A name is only half the evidence: the branch the code sits in must say the same, or
        # "Memo flags > Public safety" would count as the objective.  Top-level codes have no
        # branch to contradict them (flat codebooks, and uncategorised codes next to categories,
        # as QualCoder and MAXQDA allow).
        path, roles = self._branch(code)
        if path:
            agreeing = {part: t for part, t in found.items() if self._agrees(t, roles)}
            if not agreeing:
                return None, self._disagreement(found, path)
            found = agreeing
        if len(found) > 1 and "family" in found and not code.children:
            # A code without sub-codes is coded, and a family is not: frameworks that give a
            # family one instrument often name both alike (Hood's "Nodality").
            del found["family"]
        if len(found) > 1:
            return None, "the name is ambiguous: it names " + " and ".join(
                f"the {part} {t.key!r}" for part, t in found.items()
            )
        return self._usable(next(iter(found.values())))

    def _roles(self, code: _Code) -> frozenset[tuple[str, str]]:
        """What a code stands for as a parent: ``("family", key)``, ``("objectives", "")``, ...

        Empty for a code that stands for nothing of the framework (a memo or grouping code).
        """
        if code.guid in self.roles:
            return self.roles[code.guid]
        target = self.guids.get(code.guid) or self._keyed(code)
        roles: set[tuple[str, str]] = set()
        if target is not None:
            roles.add((target.part, target.key if target.part != "objectives" else ""))
        else:
            trailer = _read_trailer(code.description)
            for name in (code.name, *([trailer.label] if trailer.label else [])):
                normal = normalize_name(name)
                for branch, names in (
                    ("objectives", OBJECTIVE_BRANCH_NAMES),
                    ("instruments", INSTRUMENT_BRANCH_NAMES),
                    ("scale", SCALE_BRANCH_NAMES),
                ):
                    if normal in names:
                        roles.add((branch, ""))
                for part in ("family", "instrument", "objective"):
                    key = self.lookups[part].get(normal)
                    if key is not None:
                        roles.add((part, key))
                dimension = self._dimension_named(name) if self.dimensions else None
                if dimension is not None:
                    roles.add(("dimension", dimension.key))
            if trailer.kind == "objectives":
                roles.add(("objectives", ""))
            # A code with sub-codes named like a family and an instrument (frameworks may reuse
            # a name across parts) is the family: parents are branches first.
            branches = {role for role in roles if role[0] not in ("instrument", "objective")}
            roles = branches or roles
        self.roles[code.guid] = frozenset(roles)
        return self.roles[code.guid]

    def _branch(self, code: _Code) -> tuple[list[str], frozenset[tuple[str, str]]]:
        """The names of the code's parents, nearest first, up to the first that stands for something.

        Parents that stand for nothing only group (``Regulation > Standards > ...``); the
        nearest one that stands for something says what the code may be.  No parents: ``[]``.
        """
        path: list[str] = []
        parent = code.parent
        while parent:
            ancestor = self.codes[parent]
            path.append(ancestor.name)
            roles = self._roles(ancestor)
            if roles:
                return path, roles
            parent = ancestor.parent
        return path, frozenset()

    def _agrees(self, target: _Target, roles: frozenset[tuple[str, str]]) -> bool:
        """Whether a code standing for ``target`` may sit under a parent standing for ``roles``."""
        if target.part != "family" and (target.part, target.key) in roles:
            return True  # a sub-code of the same item (a translation, a finer name)
        if target.part == "instrument":
            family = self.framework.get("instrument", target.key).family
            return bool({("instruments", ""), ("family", family)} & roles)
        if target.part == "objective":
            return ("objectives", "") in roles
        if target.part == "level":
            return bool({("scale", ""), ("dimension", target.dimension.key)} & roles)
        return ("instruments", "") in roles  # a family, under a code grouping the instruments

    def _disagreement(self, found: Mapping[str, _Target], path: list[str]) -> str:
        """Why a code named like something of the framework is not read as it, in words."""
        framework = self.framework
        named, expected = [], []
        for part, target in found.items():
            if part == "instrument":
                family = framework.get("family", framework.get("instrument", target.key).family)
                named.append(f"the instrument {target.key!r} (family {family.label!r})")
                expected.append(f"an instrument under its family's code ({family.label!r})")
            elif part == "objective":
                named.append(f"the objective {target.key!r}")
                expected.append("an objective under an objectives code ('Objectives')")
            elif part == "level":
                dimension = target.dimension
                named.append(f"the level {target.key}")
                expected.append(
                    f"a level under its dimension's code ({dimension.key!r} or "
                    f"'{dimension.key} · {dimension.label}')"
                )
        if not named:  # only a family: not for coding, wherever it sits
            return self._usable(found["family"])[1]
        under = " / ".join(reversed(path))
        return (
            f"named like {' and '.join(named)} but under {under!r}; read only as "
            + ", or as ".join(expected)
            + ", or at top level"
        )

    @staticmethod
    def _usable(target: _Target) -> tuple[_Target | None, str]:
        if target.part == "family":
            return None, f"the instrument family {target.key!r}: code an instrument of it instead"
        if target.part in ("objectives", "dimension"):
            return None, f"a parent code ({target.key}): code one of its sub-codes instead"
        return target, ""

    def suggestions(self, name: str) -> str:
        framework = self.framework
        found = []
        for part in ("instrument", "objective"):
            if getattr(framework, f"{part}s"):
                found += framework.suggest(part, name, n=2)
        if framework.scale is not None:
            levels = [
                f"{d.key} = {_score_text(level.score)} · {level.label}"
                for d in framework.scale.dimensions
                for level in d.levels
            ]
            found += closest(name, levels, n=2)
        return "; ".join(found)

"""REFI-QDA codebooks (``.qdc``) read and written, and the CSV codebook Taguette imports."""

from __future__ import annotations

import io
import os
import warnings
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from ..._text import normalize_name
from ...errors import ReadError, ValidationError
from ...model import Framework, Instrument, InstrumentFamily, Objective
from ...plugins import get_framework
from ._archive import _load_root
from ._xml import (
    CODEBOOK_NAMESPACE,
    _check_xml_text,
    _child,
    _children,
    _escape_value,
    _guid,
    _local,
    _read_trailer,
    _score_text,
    _serialize,
    _slug,
    _with_trailer,
    qdc_guid,
)
from .mapping import OBJECTIVE_BRANCH_NAMES, _Code, _Mapper

#: The deepest nesting of codes read from a codebook.  QDA programs nest codes a handful of
#: levels deep; a codebook nested deeper is corrupt or hostile and is refused.
MAX_CODE_DEPTH = 100

_FAMILY_COLORS = ("#1F77B4", "#D62728", "#2CA02C", "#9467BD", "#FF7F0E", "#8C564B", "#E377C2", "#17BECF")
_OBJECTIVE_COLOR = "#BCBD22"
_DIMENSION_COLOR = "#7F7F7F"

_UNGROUPED = "ungrouped"


# --------------------------------------------------------------------------
# Writing a codebook.


def _label_lines(item: Any, name: str, language: str | None) -> list[str]:
    lines = []
    if item.label != name:
        lines.append("label=" + _escape_value(item.label))
    lines += [f"label:{lang}={_escape_value(text)}" for lang, text in item.labels.items()]
    lines += ["alias=" + _escape_value(alias) for alias in getattr(item, "aliases", ())]
    return lines


def _codes_element(framework: Framework, namespace: str, language: str | None) -> tuple[ET.Element, list]:
    """The ``Codes`` element of a framework, and problems with text XML cannot hold."""
    ns = "{" + namespace + "}"
    codes = ET.Element(ns + "Codes")
    records: list[dict[str, Any]] = []

    def add(
        parent: ET.Element, guid: str, name: str, codable: bool, color: str, description: str
    ) -> ET.Element:
        _check_xml_text(records, framework.name, f"code {name!r}", name)
        _check_xml_text(records, framework.name, f"description of code {name!r}", description)
        code = ET.SubElement(
            parent,
            ns + "Code",
            {"guid": guid, "name": name, "isCodable": "true" if codable else "false", "color": color},
        )
        if description:
            ET.SubElement(code, ns + "Description").text = description
        return code

    grouped = [i for family in framework.families for i in framework.instruments if i.family == family.key]
    ordered = grouped == list(framework.instruments)
    position = {instrument.key: n for n, instrument in enumerate(framework.instruments)}
    for n, family in enumerate(framework.families):
        color = _FAMILY_COLORS[n % len(_FAMILY_COLORS)]
        name = family.label_in(language)
        parent = add(
            codes,
            qdc_guid(framework, "family", family.key),
            name,
            False,
            color,
            _with_trailer(
                family.description,
                ["family=" + _escape_value(family.key), *_label_lines(family, name, language)],
            ),
        )
        for instrument in framework.instruments:
            if instrument.family != family.key:
                continue
            name = instrument.label_in(language)
            lines = ["instrument=" + _escape_value(instrument.key), *_label_lines(instrument, name, language)]
            if not ordered:
                lines.append(f"position={position[instrument.key]}")
            add(
                parent,
                qdc_guid(framework, "instrument", instrument.key),
                name,
                True,
                color,
                _with_trailer(instrument.description, lines),
            )
    if framework.objectives:
        parent = add(
            codes,
            qdc_guid(framework, "objectives", "objectives"),
            "政策目标" if language == "zh" else "Objectives",
            False,
            _OBJECTIVE_COLOR,
            _with_trailer("Policy objectives: code every objective a clause serves.", ["objectives"]),
        )
        for objective in framework.objectives:
            name = objective.label_in(language)
            add(
                parent,
                qdc_guid(framework, "objective", objective.key),
                name,
                True,
                _OBJECTIVE_COLOR,
                _with_trailer(
                    objective.description,
                    ["objective=" + _escape_value(objective.key), *_label_lines(objective, name, language)],
                ),
            )
    if framework.scale is not None:
        for dimension in framework.scale.dimensions:
            per = (
                "Scored once per document: code any passage of the document (or the whole document)."
                if dimension.unit == "document"
                else "Scored per clause: code the clause's selection."
            )
            parent = add(
                codes,
                qdc_guid(framework, "dimension", dimension.key),
                f"{dimension.key} · {dimension.label_in(language)}",
                False,
                _DIMENSION_COLOR,
                _with_trailer(
                    f"{dimension.description}\n{per}" if dimension.description else per,
                    ["dimension=" + _escape_value(dimension.key)],
                ),
            )
            for level in dimension.levels:
                score = _score_text(level.score)
                label = level.labels.get(language, level.label) if language else level.label
                add(
                    parent,
                    qdc_guid(framework, "level", f"{dimension.key}={score}"),
                    f"{dimension.key} = {score} · {label}",
                    True,
                    _DIMENSION_COLOR,
                    _with_trailer(level.description, [f"level={_escape_value(dimension.key)}={score}"]),
                )
    if not len(codes):
        records.append(
            {
                "file": framework.name,
                "problem": "nothing to code: the framework has no instruments, objectives or scale levels",
                "expected": "a framework with instruments, objectives or a scale with dimensions",
            }
        )
    return codes, records


def _origin() -> str:
    from ... import __version__

    return f"policyquant {__version__}"


def write_qdc(
    framework: str | Framework, path: str | os.PathLike[str], *, language: str | None = None
) -> Path:
    """Write a framework as a REFI-QDA codebook (``.qdc``) for MAXQDA, NVivo, ATLAS.ti, QualCoder.

    The codebook holds one parent code per instrument family (not codable)
    with its instruments, a parent code ``Objectives`` with the objectives,
    and, when the framework has an efficacy scale, one parent code per
    dimension with one codable code per level, named so that a coder sees
    dimension, score and label (``DA = 5 · Administrative regulations``).
    Descriptions carry the framework's coding rules, followed by a few
    ``[policyquant] ...`` lines (key, localized labels, aliases) from which
    :func:`read_qdc` restores the framework.

    Parameters
    ----------
    framework : str or Framework
        A registered framework name or a :class:`~policyquant.Framework`.
    path : path-like
        The file to write (conventionally ``*.qdc``).
    language : str, optional
        Label language, e.g. ``"zh"`` for the Chinese labels where they exist.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    ValidationError
        If a name or description holds characters XML cannot represent, or
        the framework has nothing to code (the PMC index has no levels).

    Notes
    -----
    GUIDs come from :func:`qdc_guid` and the file has no timestamp: writing
    the same framework twice gives the same bytes.  The output validates
    against the standard's ``Codebook.xsd`` (version 1.0).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from policyquant.io import read_qdc, write_qdc
    >>> target = write_qdc("wang2026", pathlib.Path(tempfile.mkdtemp()) / "wang2026.qdc")
    >>> read_qdc(target).instrument_keys[:3]
    ('standards_and_norms', 'infrastructure', 'development_planning')
    >>> "DA = 5 · Administrative regulations" in target.read_text(encoding="utf-8")
    True
    """
    framework = get_framework(framework)
    codes, records = _codes_element(framework, CODEBOOK_NAMESPACE, language)
    if records:
        raise ValidationError(f"framework {framework.name!r} cannot be written as a codebook", records)
    ET.register_namespace("", CODEBOOK_NAMESPACE)
    root = ET.Element("{" + CODEBOOK_NAMESPACE + "}CodeBook", {"origin": _origin()})
    root.append(codes)
    from ..._files import write_bytes

    # A temporary file renamed into place: never half a codebook on disk.
    return write_bytes(Path(path), _serialize(root), what="the codebook")


#: The longest tag name Taguette accepts (its ``validate.tag_path``).
TAGUETTE_TAG_LENGTH = 200


def _taguette_rows(framework: Framework, language: str | None) -> list[tuple[str, str, str, str]]:
    """(tag, description, part, key) of every codable code, named as in :func:`write_qdc`."""
    rows = []
    families = {family.key: family.label_in(language) for family in framework.families}
    for instrument in framework.instruments:
        where = f"Policy instrument (family: {families.get(instrument.family, instrument.family)})."
        rows.append(
            (instrument.label_in(language), instrument.description, where, "instrument", instrument.key)
        )
    for objective in framework.objectives:
        rows.append(
            (
                objective.label_in(language),
                objective.description,
                "Policy objective.",
                "objective",
                objective.key,
            )
        )
    for dimension in framework.scale.dimensions if framework.scale is not None else ():
        per = (
            "Scored once per document: tag any passage of the document."
            if dimension.unit == "document"
            else "Scored per clause: tag the clause."
        )
        for level in dimension.levels:
            score = _score_text(level.score)
            label = level.labels.get(language, level.label) if language else level.label
            rows.append(
                (
                    f"{dimension.key} = {score} · {label}",
                    level.description,
                    f"Level of {dimension.key} · {dimension.label_in(language)}. {per}",
                    "level",
                    f"{dimension.key}={score}",
                )
            )
    return [
        (
            tag,
            _with_trailer("\n".join(t for t in (description, where) if t), [f"{part}={_escape_value(key)}"]),
            part,
            key,
        )
        for tag, description, where, part, key in rows
    ]


def write_taguette_codebook(
    framework: str | Framework, path: str | os.PathLike[str], *, language: str | None = None
) -> Path:
    """Write a framework's codes as a codebook Taguette imports (CSV with ``tag`` and ``description``).

    Taguette imports codebooks only as CSV (*Project* > *Import codebook*), not
    as REFI-QDA ``.qdc``, and its tags are flat.  One tag is written per code a
    coder applies: every instrument and objective, named by its label, and
    every level of the efficacy scale, named as :func:`write_qdc` names it
    (``DA = 5 · Administrative regulations``).  Each description is the
    coding rule, the instrument's family or the level's dimension, and a
    ``[policyquant] ...`` key line.

    Parameters
    ----------
    framework : str or Framework
        A registered framework name or a :class:`~policyquant.Framework`.
    path : path-like
        The file to write (conventionally ``*.csv``).
    language : str, optional
        Label language, e.g. ``"zh"`` for the Chinese labels where they exist.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    ValidationError
        If the framework has nothing to code, a tag name is longer than
        Taguette allows (:data:`~policyquant.io.refi.TAGUETTE_TAG_LENGTH`
        characters), or a tag
        would not read back as its own code by its name alone (two codes
        sharing a label, say): Taguette exports tags without descriptions or
        GUIDs, so a tag's name is all :func:`read_qdc` and :func:`read_qdpx`
        have.  Nothing is written then.

    Notes
    -----
    The file is UTF-8 with a byte-order mark, which Taguette's encoding
    detection (and Excel) recognise for Chinese labels; rows are in the
    framework's order (Taguette sorts tags by name).  A tag read back by its
    name (from Taguette's REFI-QDA codebook export, or a project holding
    those codes at top level) maps onto the same instrument, objective or
    level: the function checks this before writing.

    Examples
    --------
    >>> import csv, tempfile, pathlib
    >>> from policyquant.io import write_taguette_codebook
    >>> target = write_taguette_codebook("wang2026", pathlib.Path(tempfile.mkdtemp()) / "wang2026.csv")
    >>> with target.open(encoding="utf-8-sig", newline="") as handle:
    ...     rows = list(csv.DictReader(handle))
    >>> list(rows[0]), rows[0]["tag"], rows[-1]["tag"]
    (['tag', 'description'], 'Standards and Norms', 'MI = 1 · Macro-level only')
    >>> rows[0]["description"].splitlines()[-1]
    '[policyquant] instrument=standards_and_norms'
    >>> len(rows)
    31
    """
    import csv

    framework = get_framework(framework)
    rows = _taguette_rows(framework, language)
    records: list[dict[str, Any]] = []
    if not rows:
        records.append(
            {
                "file": framework.name,
                "problem": "nothing to code: the framework has no instruments, objectives or scale levels",
                "expected": "a framework with instruments, objectives or a scale with dimensions",
            }
        )
    # Taguette keeps a tag's name and nothing else of policyquant's: check that each name alone,
    # as a top-level code of a flat codebook, reads back as its own code.
    codes = {f"{n:032X}": _Code(f"{n:032X}", tag, True, "", None, "") for n, (tag, *_) in enumerate(rows)}
    mapper = _Mapper(framework, codes, {})
    for (tag, _, part, key), guid in zip(rows, codes, strict=True):
        if len(tag) > TAGUETTE_TAG_LENGTH:
            records.append(
                {
                    "file": framework.name,
                    "column": part,
                    "value": key,
                    "problem": f"its tag name is {len(tag)} characters long: {tag[:40]!r}...",
                    "expected": f"a label of at most {TAGUETTE_TAG_LENGTH} characters (Taguette's limit)",
                }
            )
        target, reason = mapper.target(guid)
        if target is None or (target.part, target.key) != (part, key):
            reads_as = f"the {target.part} {target.key!r}" if target is not None else reason
            records.append(
                {
                    "file": framework.name,
                    "column": part,
                    "value": key,
                    "problem": f"its tag {tag!r} would read back by name as {reads_as}",
                    "expected": f"a label naming only the {part} {key!r}: give it a label of its own",
                }
            )
    if records:
        raise ValidationError(
            f"framework {framework.name!r} cannot be written as a Taguette codebook ({len(records)} problem(s))",
            records,
        )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["tag", "description"])
    writer.writerows((tag, description) for tag, description, _, _ in rows)
    from ..._files import write_bytes

    # A byte-order mark: Taguette guesses the encoding, and a short Chinese file may fool it.
    return write_bytes(Path(path), buffer.getvalue().encode("utf-8-sig"), what="the codebook")


# --------------------------------------------------------------------------
# Reading codebooks.


def _elide_locator(locator: str, *, keep: int = 3) -> str:
    steps = locator.split("/")
    if len(steps) <= 2 * keep + 1:
        return locator
    return "/".join([*steps[:keep], "...", *steps[-keep:]])


def _code_path(code: _Code, by_guid: Mapping[str, _Code], *, keep: int = 3) -> str:
    """The names from the top-level code down to ``code``, the middle elided when deep."""
    names = [code.name]
    parent = code.parent
    while parent:
        names.append(by_guid[parent].name)
        parent = by_guid[parent].parent
    names.reverse()
    if len(names) > 2 * keep + 1:
        names = [*names[:keep], f"... {len(names) - 2 * keep} more ...", *names[-keep:]]
    return " / ".join(names)


def _parse_codes(codes: ET.Element | None, where: str) -> tuple[list[_Code], dict[str, _Code]]:
    """The code tree under a ``Codes`` element, and every code by GUID."""
    records: list[dict[str, Any]] = []
    by_guid: dict[str, _Code] = {}
    tree: list[_Code] = []
    if codes is None:
        return tree, by_guid
    # Depth first with an explicit stack (a deeply nested file must not exhaust the call stack);
    # each entry is the Code elements left to read at one level, the list their codes go to,
    # their parent, its locator and its depth.
    stack: list[tuple[Iterator[tuple[int, ET.Element]], list[_Code], _Code | None, str, int]] = [
        (enumerate(_children(codes, "Code"), 1), tree, None, "Codes", 0)
    ]
    while stack:
        pending, found, parent, locator, depth = stack[-1]
        step = next(pending, None)
        if step is None:
            stack.pop()
            continue
        n, child = step
        here = f"{locator}/Code[{n}]"
        guid, name = _guid(child.get("guid")), child.get("name")
        if not guid or name is None or not name.strip():
            records.append(
                {
                    "file": where,
                    "column": here,
                    "value": name,
                    "problem": "code without " + ("a guid" if not guid else "a name"),
                    "expected": "Code elements with guid and name attributes",
                }
            )
            continue
        description = _child(child, "Description")
        code = _Code(
            guid,
            name,
            (child.get("isCodable") or "true").strip().lower() in ("true", "1"),
            (description.text or "") if description is not None else "",
            parent.guid if parent else None,
            f"{here}[@name={name!r}]",
        )
        if guid in by_guid:
            records.append(
                {
                    "file": where,
                    "column": here,
                    "value": guid,
                    "problem": f"duplicate code GUID (also {by_guid[guid].name!r})",
                    "expected": "one GUID per code",
                }
            )
            continue
        if depth + 1 > MAX_CODE_DEPTH:
            path = _code_path(code, by_guid)
            raise ReadError(
                f"{where}: codes nested more than {MAX_CODE_DEPTH} levels deep, at {path}; "
                "refused as corrupt or hostile",
                [
                    {
                        "file": where,
                        "column": _elide_locator(here),
                        "value": path,
                        "problem": f"code nested {depth + 1} levels deep",
                        "expected": f"codes nested at most {MAX_CODE_DEPTH} levels deep",
                    }
                ],
            )
        by_guid[guid] = code
        found.append(code)
        stack.append((enumerate(_children(child, "Code"), 1), code.children, code, here, depth + 1))
    if records:
        raise ValidationError(f"{where}: the codebook has {len(records)} problem(s)", records)
    return tree, by_guid


def _dangling_set_members(
    sets: Sequence[tuple[str, str, list[str]]], by_guid: Mapping[str, _Code]
) -> list[str]:
    """What each set member naming no code of the codebook is, in words."""
    return [
        f"set {set_name or '(unnamed)'!r} names the code {guid}, which the codebook does not hold"
        if guid
        else f"set {set_name or '(unnamed)'!r} has a MemberCode without a GUID"
        for set_name, _, members in sets
        for guid in members
        if guid not in by_guid
    ]


def _parse_sets(sets: ET.Element | None) -> list[tuple[str, str, list[str]]]:
    """(name, description, member GUIDs) of each code set (ATLAS.ti's code groups)."""
    found = []
    for element in _children(sets, "Set") if sets is not None else []:
        description = _child(element, "Description")
        members = [
            _guid(member.get("guid") or member.get("targetGUID"))
            for member in _children(element, "MemberCode")
        ]
        found.append(
            (
                (element.get("name") or "").strip(),
                (description.text or "") if description is not None else "",
                members,
            )
        )
    return found


class _Names:
    """Keys and names already taken in one part of a framework being built, and by whom."""

    def __init__(self) -> None:
        self.owner: dict[str, str] = {}
        self.keys: set[str] = set()

    def _free(self, name: str, owner: str) -> bool:
        return self.owner.get(normalize_name(name), owner) == owner

    def key(self, wanted: str, owner: str) -> str:
        candidate, n = wanted, 1
        while candidate in self.keys or not self._free(candidate, owner):
            n += 1
            candidate = f"{wanted}_{n}"
        self.keys.add(candidate)
        return candidate

    def label(self, wanted: str, context: str, owner: str) -> str:
        candidate, n = wanted, 1
        if not self._free(candidate, owner) and context:
            candidate = f"{wanted} ({context})"
        while not self._free(candidate, owner):
            n += 1
            candidate = f"{wanted} ({context or 'code'} {n})"
        return candidate

    def claim(self, owner: str, *names: str) -> tuple[str, ...]:
        """The names not taken by another owner, now taken by this one."""
        kept = []
        for name in names:
            if self._free(name, owner):
                kept.append(name)
                self.owner[normalize_name(name)] = owner
        return tuple(kept)


def _codebook_framework(
    tree: list[_Code], sets: list[tuple[str, str, list[str]]], name: str, title: str
) -> tuple[Framework, dict[str, tuple[str, str]], list[str]]:
    """A taxonomy from a code tree: the framework, GUID -> (part, key), and what was not used."""
    names = {"family": _Names(), "instrument": _Names(), "objective": _Names()}
    families: list[InstrumentFamily] = []
    instruments: list[tuple[int | None, Instrument]] = []
    objectives: list[Objective] = []
    mapping: dict[str, tuple[str, str]] = {}
    ignored: list[str] = []

    def make(part: str, code: _Code, context: str = "", **extra: Any) -> Any:
        trailer = _read_trailer(code.description)
        space = names[part]
        owner = f"{part}\x1f{len(space.keys)}"
        label = space.label(trailer.label or code.name, context, owner)
        # The key and label are claimed first: they must stay; other names give way.
        key = space.key(trailer.key if trailer.key and trailer.kind == part else _slug(label), owner)
        space.claim(owner, key, label)
        labels = {lang: text for lang, text in trailer.labels.items() if space.claim(owner, text)}
        aliases = space.claim(owner, *trailer.aliases)
        if trailer.label and normalize_name(code.name) not in map(
            normalize_name, (label, *labels.values(), *aliases)
        ):
            # A code renamed in the QDA program: its new name still resolves.
            aliases = aliases + space.claim(owner, code.name)
        cls = {"family": InstrumentFamily, "instrument": Instrument, "objective": Objective}[part]
        if part != "family":
            extra["aliases"] = aliases
        item = cls(key, label, description=trailer.description, labels=labels, **extra)
        mapping[code.guid] = (part, key)
        return item, trailer

    def family_from(code: _Code) -> InstrumentFamily:
        family, _ = make("family", code)
        families.append(family)
        return family

    def instruments_under(root: _Code, family: InstrumentFamily) -> None:
        for leaf in root.leaves():
            if leaf is root:
                continue
            instrument, trailer = make("instrument", leaf, family.label, family=family.key)
            instruments.append((trailer.position, instrument))
        for inner in root.walk():
            if inner is not root and inner.children and inner.codable:
                ignored.append(
                    f"{inner.name!r} (a codable code with sub-codes; its sub-codes are instruments)"
                )

    set_of: dict[str, list[str]] = {}
    for set_name, _, members in sets:
        for member in members:
            set_of.setdefault(member, []).append(set_name)
    loose: dict[str, list[_Code]] = {}
    for top in tree:
        trailer = _read_trailer(top.description)
        if trailer.kind in ("dimension", "level"):
            continue  # the efficacy scale: read_qdpx maps its levels; the taxonomy has none
        if trailer.kind == "objectives" or (
            trailer.kind is None and normalize_name(top.name) in OBJECTIVE_BRANCH_NAMES
        ):
            for leaf in top.leaves():
                if leaf is not top:
                    objectives.append(make("objective", leaf)[0])
            if not top.children:
                ignored.append(f"{top.name!r} (an objectives branch without objectives below it)")
            continue
        if top.children or trailer.kind == "family":
            instruments_under(top, family_from(top))
            continue
        groups = set_of.get(top.guid, [])
        if len(groups) > 1:
            ignored.append(
                f"{top.name!r} belongs to the sets {', '.join(groups)}; only {groups[0]!r} is its family"
            )
        loose.setdefault(groups[0] if groups else _UNGROUPED, []).append(top)
    set_descriptions = {set_name: description for set_name, description, _ in sets}
    for group, codes in loose.items():
        label = "Ungrouped codes" if group == _UNGROUPED else group
        family = family_from(_Code("", label, False, set_descriptions.get(group, ""), None, ""))
        mapping.pop("", None)
        for top in codes:
            instrument, trailer = make("instrument", top, family.label, family=family.key)
            instruments.append((trailer.position, instrument))
    if instruments and all(position is not None for position, _ in instruments):
        instruments.sort(key=lambda pair: pair[0])
    framework = Framework(
        name,
        title,
        families=families if instruments else [],
        instruments=[instrument for _, instrument in instruments],
        objectives=objectives,
    )
    return framework, mapping, ignored


def read_qdc(path: str | os.PathLike[str], *, name: str | None = None) -> Framework:
    """Read a REFI-QDA codebook written by any QDA program into a taxonomy-only framework.

    Parameters
    ----------
    path : path-like
        A codebook (``.qdc``), or a project (``.qdpx`` or its ``project.qde``)
        whose codebook to read.  Namespaces ``urn:QDA-XML:codebook:1.0``,
        ATLAS.ti's older ``urn:QDA-XML:codebook:0:4`` and none at all are
        accepted, with or without a byte-order mark.
    name : str, optional
        The framework's name; by default taken from the file name.

    Returns
    -------
    Framework
        Families, instruments and objectives (no efficacy scale).

    Raises
    ------
    ReadError
        If the file is missing, not XML, or not a codebook; if it declares a
        document type (``<!DOCTYPE``: the door to XML bombs and external
        entities, which REFI-QDA files never use); for a project archive, on
        the same grounds as :func:`read_qdpx`; if the codebook holds no codes,
        or its codes are nested more than 100 levels deep (``MAX_CODE_DEPTH``;
        QDA programs nest a handful).
    ValidationError
        If codes lack a GUID or name, or two codes share a GUID.

    Warns
    -----
    UserWarning
        If a code set names a code the codebook does not hold (the member is
        ignored), or the rules below leave part of a code aside.

    Notes
    -----
    A codebook written by :func:`write_qdc` reads back to the same families,
    instruments and objectives (keys, labels, localized labels, aliases,
    descriptions, order); its dimension and level codes are skipped.  Any
    other codebook is read by these rules:

    * a top-level code named ``Objectives``, ``Goals``, ``Policy objectives``,
      ``政策目标`` or ``目标`` holds the objectives: its leaves (codes without
      sub-codes);
    * every other top-level code with sub-codes is an instrument family, and
      the leaves below it are its instruments (codes in between only group);
    * top-level codes without sub-codes are instruments of the family named
      by the code set (ATLAS.ti's code group) they belong to, else of a family
      ``Ungrouped codes``;
    * keys are made from the names (``"Tax incentives"`` -> ``tax_incentives``);
      a name two codes share gets its family's name added.

    What these rules leave aside (a code in several sets, a codable code with
    sub-codes) is reported in a :class:`UserWarning`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from policyquant.io import read_qdc
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "atlas.qdc"
    >>> _ = path.write_text('''<?xml version="1.0" encoding="utf-8"?>
    ... <CodeBook xmlns="urn:QDA-XML:codebook:0:4" origin="ATLAS.ti">
    ...   <Codes>
    ...     <Code guid="1FF58B12-6F6F-4B0C-8BE5-BBDC91F55294" name="Regulation" isCodable="false">
    ...       <Code guid="14C4E248-F726-42CB-B1CD-A65D6A86F296" name="Licensing" isCodable="true"/>
    ...     </Code>
    ...     <Code guid="51191CEE-BF78-4E92-9DF8-3AE66721E038" name="政策目标" isCodable="false">
    ...       <Code guid="9FCD0F84-AA08-4765-B1B1-57A39966042A" name="公共安全" isCodable="true"/>
    ...     </Code>
    ...   </Codes>
    ... </CodeBook>''', encoding="utf-8")
    >>> framework = read_qdc(path)
    >>> framework.family_keys, framework.instrument_keys, framework.objective_keys
    (('regulation',), ('licensing',), ('公共安全',))
    """
    path = Path(path)
    root, archive, where = _load_root(path)
    try:
        if _local(root.tag) == "Project":
            book = _child(root, "CodeBook")
            if book is None:
                raise ReadError(
                    f"{where}: the project has no CodeBook", [{"file": where, "problem": "no CodeBook"}]
                )
            sets = _child(root, "Sets")
        elif _local(root.tag) == "CodeBook":
            book, sets = root, _child(root, "Sets")
        else:
            raise ReadError(
                f"{where}: not a REFI-QDA codebook (root element {_local(root.tag)!r})",
                [
                    {
                        "file": where,
                        "column": "root element",
                        "value": _local(root.tag),
                        "problem": "not a codebook",
                        "expected": "CodeBook (a .qdc file) or Project (a .qdpx project)",
                    }
                ],
            )
        tree, by_guid = _parse_codes(_child(book, "Codes"), where)
        if not tree:
            # An empty framework would only fail later, far from the file that caused it.
            raise ReadError(
                f"{where}: the codebook holds no codes",
                [
                    {
                        "file": where,
                        "column": "CodeBook/Codes",
                        "problem": "the codebook holds no Code elements",
                        "expected": "a Codes element holding at least one Code",
                    }
                ],
            )
        code_sets = _parse_sets(sets)
    finally:
        if archive is not None:
            archive.close()
    dangling = _dangling_set_members(code_sets, by_guid)
    if dangling:
        warnings.warn(
            f"{path.name}: {len(dangling)} set member(s) ignored: " + "; ".join(dangling),
            UserWarning,
            stacklevel=2,
        )
    framework, _, ignored = _codebook_framework(
        tree, code_sets, name or _slug(path.stem), f"Codebook read from {path.name}"
    )
    if ignored:
        warnings.warn(
            f"{path.name}: {len(ignored)} code(s) read partly: " + "; ".join(ignored),
            UserWarning,
            stacklevel=2,
        )
    return framework

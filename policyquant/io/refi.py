"""REFI-QDA exchange: codebooks (``.qdc``) and coded projects (``.qdpx``).

Researchers often code in QDA software (MAXQDA, NVivo, ATLAS.ti, QualCoder,
Taguette) rather than in spreadsheets.  REFI-QDA (https://www.qdasoftware.org)
is the open standard those programs exchange codebooks and projects in:

* a *codebook* (``.qdc``) is XML in the namespace
  ``urn:QDA-XML:codebook:1.0``: a tree of codes, each with a GUID, a name,
  whether it may be coded, an optional colour and description;
* a *project* (``.qdpx``) is a zip archive holding ``project.qde`` (XML in
  ``urn:QDA-XML:project:1.0``: users, the codebook, the text sources with
  their coded selections, each coding recording the user who made it) and a
  ``sources/`` folder with the texts.

:func:`write_qdc` exports a framework's coding rules for a QDA program;
:func:`read_qdc` reads any program's codebook back into a taxonomy;
:func:`read_qdpx` turns a coded project into one :class:`~policyquant.Corpus`
per coder (a :class:`QDAProject`, ready for
:func:`policyquant.reliability.agreement_report`); :func:`write_qdpx` writes
corpora as a project.  Taguette imports no ``.qdc``: :func:`write_taguette_codebook`
writes the CSV codebook it does import.  All XML is parsed with :mod:`defusedxml` and any
document type declaration is refused, so no entity is expanded and nothing
outside the file is fetched; zip members are read by name, never extracted to
disk, within limits on their number, sizes and compression ratios.
"""

from __future__ import annotations

import io
import os
import re
import stat
import unicodedata
import uuid
import warnings
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote
from xml.etree import ElementTree as ET

import attrs
import numpy as np
import pandas as pd

from .._text import closest, format_choices, normalize_name
from ..corpus import Corpus
from ..errors import PROBLEM_COLUMNS, ReadError, ScoreError, ValidationError
from ..model import Dimension, Framework, Instrument, InstrumentFamily, Objective
from ..plugins import get_framework

__all__ = [
    "CODEBOOK_NAMESPACE",
    "PROJECT_NAMESPACE",
    "TAGUETTE_TAG_LENGTH",
    "QDAProject",
    "qdc_guid",
    "read_qdc",
    "read_qdpx",
    "write_qdc",
    "write_qdpx",
    "write_taguette_codebook",
]

#: The XML namespace of REFI-QDA codebooks (``.qdc``), version 1.0.
CODEBOOK_NAMESPACE = "urn:QDA-XML:codebook:1.0"

#: The XML namespace of REFI-QDA projects (``project.qde`` inside a ``.qdpx``), version 1.0.
PROJECT_NAMESPACE = "urn:QDA-XML:project:1.0"

#: The largest uncompressed size read from a ``.qdpx`` archive, all members together.
MAX_UNCOMPRESSED_BYTES = 1 << 30

#: The most members a ``.qdpx`` archive may hold (checked before the archive is parsed).
MAX_MEMBERS = 100_000

#: Members larger than this must not be compressed more than :data:`MAX_COMPRESSION_RATIO` times.
_RATIO_FLOOR_BYTES = 1 << 20

#: The highest compression ratio accepted for a large member: plain text compresses about
#: 3 to 10 times, a zip bomb thousands of times.
MAX_COMPRESSION_RATIO = 200

#: The deepest nesting of codes read from a codebook.  QDA programs nest codes a handful of
#: levels deep; a codebook nested deeper is corrupt or hostile and is refused.
MAX_CODE_DEPTH = 100

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

# All GUIDs policyquant writes derive from this namespace, so re-exporting gives the same ones.
_GUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://policyquant.io/refi-qda")

# Machine-readable lines appended to descriptions so that keys, localized labels and aliases
# survive a trip through a QDA program (descriptions are kept by every program).
_MARK = "[policyquant] "

_FAMILY_COLORS = ("#1F77B4", "#D62728", "#2CA02C", "#9467BD", "#FF7F0E", "#8C564B", "#E377C2", "#17BECF")
_OBJECTIVE_COLOR = "#BCBD22"
_DIMENSION_COLOR = "#7F7F7F"

_UNGROUPED = "ungrouped"

# XML 1.0 forbids these code points anywhere in a document.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# Lone surrogates: the only code points a UTF-8 text file (a project's text source) cannot hold.
_NOT_UTF8 = re.compile("[\ud800-\udfff]")

_LEVEL_NAME = re.compile(
    r"^\s*(?P<dim>[^\s=＝:：·]+)\s*[=＝:：]\s*(?P<score>[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)"
)


# --------------------------------------------------------------------------
# GUIDs and small helpers.


def qdc_guid(framework: str | Framework, part: str, key: str) -> str:
    """The GUID that :func:`write_qdc` gives a part of a framework.

    GUIDs are name-based (UUID version 5) on the framework's name, the part
    and the key, so that exporting the same framework twice gives the same
    GUIDs and a project coded with the codebook maps back by GUID.

    Parameters
    ----------
    framework : str or Framework
        The framework, or its name.
    part : {"family", "instrument", "objectives", "objective", "dimension", "level"}
        What the code stands for (``"objectives"`` is the parent of the objectives).
    key : str
        The item's key; for a level ``"<dimension>=<score>"`` such as ``"DA=5"``.

    Returns
    -------
    str
        An upper-case GUID, as QDA programs write them.

    Examples
    --------
    >>> from policyquant.io import qdc_guid
    >>> qdc_guid("wang2026", "instrument", "standards_and_norms") == qdc_guid("wang2026", "instrument", "standards_and_norms")
    True
    >>> len(qdc_guid("wang2026", "level", "DA=5"))
    36
    """
    name = framework.name if isinstance(framework, Framework) else str(framework)
    return str(uuid.uuid5(_GUID_NAMESPACE, f"{name}\x1f{part}\x1f{key}")).upper()


def _guid(value: str | None) -> str:
    return (value or "").strip().strip("{}").upper()


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element: ET.Element, name: str) -> list[ET.Element]:
    return [child for child in element if _local(child.tag) == name]


def _child(element: ET.Element, name: str) -> ET.Element | None:
    found = _children(element, name)
    return found[0] if found else None


def _score_text(score: float) -> str:
    if isinstance(score, (int, np.integer)) or float(score).is_integer():
        return str(int(score))
    return repr(float(score))


def _slug(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    slug = re.sub(r"[\W]+", "_", folded).strip("_")
    return slug or "code"


def _escape_value(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r")


def _unescape_value(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "r": "\r"}.get(m.group(1), m.group(1)), text)


def _with_trailer(description: str, lines: Iterable[str]) -> str:
    trailer = "\n".join(_MARK + line for line in lines)
    if not trailer:
        return description
    return f"{description}\n\n{trailer}" if description else trailer


@attrs.frozen
class _Trailer:
    """What policyquant wrote into a code's description, and the description without it."""

    description: str
    kind: str | None = None
    key: str | None = None
    label: str | None = None
    labels: dict[str, str] = attrs.field(factory=dict)
    aliases: tuple[str, ...] = ()
    position: int | None = None


def _read_trailer(text: str) -> _Trailer:
    lines = text.split("\n")
    start = len(lines)
    while start > 0 and lines[start - 1].startswith(_MARK):
        start -= 1
    if start == len(lines) or (start > 0 and (start < 2 or lines[start - 1] != "")):
        return _Trailer(text)
    description = "\n".join(lines[: start - 1]) if start > 0 else ""
    found: dict[str, Any] = {"labels": {}, "aliases": []}
    for line in lines[start:]:
        name, _, value = line[len(_MARK) :].partition("=")
        value = _unescape_value(value)
        if name in ("family", "instrument", "objective", "dimension", "level"):
            found["kind"], found["key"] = name, value
        elif name == "objectives":
            found["kind"] = "objectives"
        elif name == "label":
            found["label"] = value
        elif name.startswith("label:"):
            found["labels"][name[len("label:") :]] = value
        elif name == "alias":
            found["aliases"].append(value)
        elif name == "position" and value.isdigit():
            found["position"] = int(value)
    return _Trailer(
        description,
        found.get("kind"),
        found.get("key"),
        found.get("label"),
        found["labels"],
        tuple(found["aliases"]),
        found.get("position"),
    )


def _check_xml_text(records: list[dict[str, Any]], where: str, what: str, text: str) -> None:
    match = _ILLEGAL_XML.search(text)
    if match:
        records.append(
            {
                "file": where,
                "column": what,
                "value": text,
                "problem": f"holds the character U+{ord(match.group()):04X} at position {match.start()}, "
                "which XML 1.0 cannot represent",
                "expected": "text without control characters (but tab and line breaks), U+FFFE, U+FFFF "
                "or lone surrogates: edit the framework's name or description",
            }
        )


def _refuse_unwritable(
    records: list[dict[str, Any]], where: str, column: str, value: str, owner: str
) -> None:
    """Report a value a project cannot hold exactly, naming its unit, document or coder.

    Ids and coder names are XML attributes of ``project.qde``, which XML 1.0
    restricts; a unit's text is only in its source file (UTF-8 text), which
    holds any character but a lone surrogate.
    """
    match = (_NOT_UTF8 if column == "text" else _ILLEGAL_XML).search(value)
    if match is None:
        return
    character, at = match.group(), match.start()
    code = f"U+{ord(character):04X}"
    owner_name = {"units": "unit", "documents": "document", "coders": "coder"}[where]
    if "\ud800" <= character <= "\udfff":
        why = "a lone surrogate (half of a UTF-16 pair), which no UTF-8 text can hold"
    else:
        why = "which XML 1.0 cannot hold in project.qde"
    if column == "text":
        thing = f"the text of unit {owner!r}"
        fix = (
            "text UTF-8 can encode: decode the original bytes with their real encoding, or "
            "replace the character (for example with U+FFFD) before writing"
        )
    else:
        thing = f"the {column} {owner!r}"
        fix = (
            f"a {column} without control characters (but tab and line breaks), U+FFFE, U+FFFF "
            f"or lone surrogates: rename the {owner_name}"
        )
    records.append(
        {
            "file": where,
            "column": column,
            # Around the character only: a clause may be pages long.
            "value": value[max(0, at - 20) : at + 20] if column == "text" else value,
            "problem": f"{thing} holds the character {code} at position {at}, {why}",
            "expected": fix,
        }
    )


def _serialize(root: ET.Element) -> bytes:
    ET.indent(root, space="  ")
    text = ET.tostring(root, encoding="unicode")
    # ElementTree leaves a carriage return in element text raw, which every parser turns into
    # a line feed; a character reference keeps it.
    text = text.replace("\r", "&#13;")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + text + "\n").encode("utf-8")


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
    from .. import __version__

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
    from .._files import write_bytes

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
    from .._files import write_bytes

    # A byte-order mark: Taguette guesses the encoding, and a short Chinese file may fool it.
    return write_bytes(Path(path), buffer.getvalue().encode("utf-8-sig"), what="the codebook")


# --------------------------------------------------------------------------
# Reading XML and zip archives safely.


def _unsafe_xml_reason(error: Exception) -> str:
    """What a defusedxml refusal means, in words a researcher can act on."""
    import defusedxml

    def external(sysid: str | None) -> str:
        return f" SYSTEM {sysid!r}" if sysid else ""

    if isinstance(error, defusedxml.DTDForbidden):
        return (
            f"it declares a document type (<!DOCTYPE {error.name}{external(error.sysid)}>), which "
            "REFI-QDA files never do; a DTD is how XML bombs and external entities get in"
        )
    if isinstance(error, defusedxml.EntitiesForbidden):
        kind = f"an external entity{external(error.sysid)}" if error.sysid else "an entity"
        return f"it declares {kind} named {error.name!r}; entities are refused (XML bomb or file disclosure)"
    if isinstance(error, defusedxml.ExternalReferenceForbidden):
        return f"it refers to an external resource{external(error.sysid)}; nothing outside the file is read"
    return f"{type(error).__name__}: {error}"


def _parse_xml(data: bytes, where: str) -> ET.Element:
    import defusedxml
    import defusedxml.ElementTree as SafeET

    if data[:4] == b"PK\x03\x04":
        raise ReadError(
            f"{where} is a zip archive, not XML; archives inside a project are not opened",
            [{"file": where, "problem": "nested zip archive", "expected": "a REFI-QDA XML document"}],
        )
    try:
        # REFI-QDA documents are described by XML schemas and never carry a DTD, so any
        # DOCTYPE is refused outright: no entity is ever expanded, no external file fetched.
        return SafeET.fromstring(data, forbid_dtd=True)
    except defusedxml.DefusedXmlException as error:
        reason = _unsafe_xml_reason(error)
        raise ReadError(
            f"{where}: refused to parse: {reason}",
            [
                {
                    "file": where,
                    "problem": f"unsafe XML ({type(error).__name__})",
                    "expected": "plain XML without a DOCTYPE",
                }
            ],
        ) from None
    except ET.ParseError as error:
        line, column = getattr(error, "position", (None, None))
        raise ReadError(
            f"{where} is not well-formed XML (line {line}, column {column}): {error}",
            [
                {
                    "file": where,
                    "row": line,
                    "column": f"character {column}" if column is not None else None,
                    "problem": f"not well-formed XML: {error}",
                    "expected": "a REFI-QDA XML document",
                }
            ],
        ) from None


def _member_problem(path: Path, name: str, message: str, problem: str, expected: str) -> ReadError:
    return ReadError(
        f"{path}: refused the member {name!r}: {message}",
        [
            {
                "file": str(path),
                "column": "zip member",
                "value": name,
                "problem": problem,
                "expected": expected,
            }
        ],
    )


def _declared_member_count(path: Path) -> int | None:
    """How many members the end-of-central-directory record announces, read before parsing.

    :class:`zipfile.ZipFile` builds an object per member as it opens an archive; reading
    the count first keeps an archive of millions of empty members from costing gigabytes
    before it can be refused.
    """
    with path.open("rb") as handle:
        size = handle.seek(0, os.SEEK_END)
        # The record is 22 bytes plus a comment of at most 65535, preceded by the
        # 20-byte zip64 locator when there is one.
        length = min(size, 22 + 0xFFFF + 20)
        handle.seek(size - length)
        tail = handle.read(length)
        at = tail.rfind(b"PK\x05\x06")
        if at < 0 or len(tail) - at < 22:
            return None
        count = int.from_bytes(tail[at + 10 : at + 12], "little")
        if count == 0xFFFF and at >= 20 and tail[at - 20 : at - 16] == b"PK\x06\x07":
            handle.seek(int.from_bytes(tail[at - 12 : at - 4], "little"))
            record = handle.read(40)
            if record[:4] == b"PK\x06\x06" and len(record) == 40:
                count = int.from_bytes(record[32:40], "little")
    return count


class _Archive:
    """A ``.qdpx`` zip archive whose members are read by name, with limits against zip bombs.

    Nothing is extracted to disk.  Refused before anything is decompressed: member names
    that are absolute or climb out with ``..``, symbolic links and other special files,
    duplicate and encrypted members, more than :data:`MAX_MEMBERS` members, a member larger
    than 1 MiB that expands more than :data:`MAX_COMPRESSION_RATIO` times (and the same
    ratio over the whole archive), and more than :data:`MAX_UNCOMPRESSED_BYTES` in all.
    Reading never decompresses past the size a member's header declares, nor more than
    :data:`MAX_UNCOMPRESSED_BYTES` in all.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._left = MAX_UNCOMPRESSED_BYTES
        declared = _declared_member_count(path)
        if declared is not None and declared > MAX_MEMBERS:
            raise self._too_many(declared)
        try:
            self.zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as error:
            raise ReadError(
                f"{path}: not a REFI-QDA project (.qdpx is a zip archive): {error}",
                [
                    {
                        "file": str(path),
                        "problem": f"not a zip archive: {error}",
                        "expected": "a .qdpx zip archive",
                    }
                ],
            ) from None
        try:
            self._check(self.zip.infolist())
        except ReadError:
            self.zip.close()
            raise
        self.names = {info.filename: info for info in self.zip.infolist() if not info.is_dir()}
        self._folded = {name.casefold(): name for name in self.names}

    def _too_many(self, count: int) -> ReadError:
        return ReadError(
            f"{self.path}: refused to read: the archive has {count} members, more than the limit of {MAX_MEMBERS}",
            [
                {
                    "file": str(self.path),
                    "column": "zip members",
                    "value": count,
                    "problem": "too many members",
                    "expected": f"at most {MAX_MEMBERS} members",
                }
            ],
        )

    def _check(self, infos: list[zipfile.ZipInfo]) -> None:
        path = self.path
        if len(infos) > MAX_MEMBERS:
            raise self._too_many(len(infos))
        seen: set[str] = set()
        total = compressed = 0
        for info in infos:
            name = info.filename
            parts = re.split(r"[\\/]+", name)
            if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or ".." in parts:
                raise ReadError(
                    f"{path}: refused the member {name!r}, whose name leads outside the archive",
                    [
                        {
                            "file": str(path),
                            "column": "zip member",
                            "value": name,
                            "problem": "member name escapes the archive (absolute, or with ..)",
                            "expected": "relative member names such as sources/x.txt",
                        }
                    ],
                )
            kind = stat.S_IFMT(info.external_attr >> 16)
            if stat.S_ISLNK(info.external_attr >> 16):
                raise _member_problem(
                    path,
                    name,
                    "it is a symbolic link, which could point anywhere on the reader's disk",
                    "symbolic link",
                    "regular files only",
                )
            if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
                raise _member_problem(
                    path, name, "it is not a regular file", "special file", "regular files only"
                )
            if name in seen:
                raise _member_problem(
                    path,
                    name,
                    "the archive holds two members of this name, so which one is read is ambiguous",
                    "duplicate member",
                    "each member name once",
                )
            seen.add(name)
            if info.flag_bits & 0x1:
                raise _member_problem(
                    path, name, "it is encrypted", "encrypted member", "an unencrypted archive"
                )
            total += info.file_size
            compressed += info.compress_size
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > _RATIO_FLOOR_BYTES and ratio > MAX_COMPRESSION_RATIO:
                raise ReadError(
                    f"{path}: refused the member {name!r}: it would expand {ratio:.0f} times "
                    f"to {info.file_size} bytes (a zip bomb?)",
                    [
                        {
                            "file": str(path),
                            "column": "zip member",
                            "value": name,
                            "problem": f"compression ratio {ratio:.0f}",
                            "expected": f"at most {MAX_COMPRESSION_RATIO}",
                        }
                    ],
                )
        if total > MAX_UNCOMPRESSED_BYTES:
            raise ReadError(
                f"{path}: refused to read: the members would expand to {total} bytes, "
                f"more than the limit of {MAX_UNCOMPRESSED_BYTES}",
                [
                    {
                        "file": str(path),
                        "value": total,
                        "problem": "uncompressed size too large",
                        "expected": f"at most {MAX_UNCOMPRESSED_BYTES} bytes",
                    }
                ],
            )
        # Many small members each under the per-member floor can still add up to a bomb.
        ratio = total / max(compressed, 1)
        if total > _RATIO_FLOOR_BYTES and ratio > MAX_COMPRESSION_RATIO:
            raise ReadError(
                f"{path}: refused to read: its {len(infos)} members would expand {ratio:.0f} times "
                f"to {total} bytes (a zip bomb?)",
                [
                    {
                        "file": str(path),
                        "value": total,
                        "problem": f"compression ratio {ratio:.0f} over the whole archive",
                        "expected": f"at most {MAX_COMPRESSION_RATIO}",
                    }
                ],
            )

    def find(self, name: str) -> str | None:
        """The member called ``name`` (exactly, else ignoring case), or None."""
        if name in self.names:
            return name
        return self._folded.get(name.casefold())

    def read(self, name: str) -> bytes:
        info = self.names[name]
        if info.file_size > self._left:
            raise _member_problem(
                self.path,
                name,
                f"reading it would take the text read from the archive past {MAX_UNCOMPRESSED_BYTES} bytes",
                "too much text read from the archive",
                f"at most {MAX_UNCOMPRESSED_BYTES} bytes in all",
            )
        try:
            with self.zip.open(info) as member:
                # The header's size may lie; never read past it.
                data = member.read(info.file_size + 1)
        except (
            zipfile.BadZipFile,
            zlib.error,
            EOFError,
            OSError,
            ValueError,
            NotImplementedError,
            RuntimeError,
        ) as error:
            # A bad CRC (also what a header understating the size gives), a corrupt
            # deflate stream or an unsupported compression method.
            raise _member_problem(
                self.path,
                name,
                f"it cannot be decompressed ({type(error).__name__}: {error})",
                "corrupt member",
                "an intact zip member",
            ) from None
        if len(data) > info.file_size:
            raise ReadError(
                f"{self.path}: the member {name!r} is larger than its header says",
                [{"file": str(self.path), "value": name, "problem": "member size does not match its header"}],
            )
        self._left -= len(data)
        return data

    def close(self) -> None:
        self.zip.close()


def _load_root(path: Path) -> tuple[ET.Element, _Archive | None, str]:
    """The XML root of a codebook, a project.qde, or the project.qde inside a .qdpx."""
    if not path.exists():
        raise ReadError(f"{path}: no such file", [{"file": str(path), "problem": "file not found"}])
    if path.is_dir():
        raise ReadError(f"{path} is a directory; give a .qdc or .qdpx file", [{"file": str(path)}])
    if zipfile.is_zipfile(path):
        archive = _Archive(path)
        member = archive.find("project.qde")
        if member is None:
            candidates = [n for n in archive.names if n.casefold().endswith(".qde") and "/" not in n]
            member = candidates[0] if len(candidates) == 1 else None
        if member is None:
            archive.close()
            raise ReadError(
                f"{path}: the archive holds no project.qde",
                [
                    {
                        "file": str(path),
                        "column": "zip member",
                        "value": "project.qde",
                        "problem": "missing project.qde",
                        "expected": "project.qde at the top of the archive",
                        "suggestions": format_choices(sorted(archive.names), limit=8) or None,
                    }
                ],
            )
        where = f"{path}:{member}"
        try:
            return _parse_xml(archive.read(member), where), archive, where
        except BaseException:
            archive.close()
            raise
    data = path.read_bytes()
    if not data.strip():
        raise ReadError(f"{path}: the file is empty", [{"file": str(path), "problem": "empty file"}])
    return _parse_xml(data, str(path)), None, str(path)


# --------------------------------------------------------------------------
# Reading codebooks.


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


# --------------------------------------------------------------------------
# Reading projects.


@attrs.frozen
class _Coding:
    coder: str
    source: int  # position of the source
    start: int | None  # None: the whole document
    end: int | None
    guid: str  # of the code
    selection: str  # the selection's GUID, or the source's for whole-document codings
    name: str  # the selection's name


class QDAProject(Mapping[str, Corpus]):
    """A coded REFI-QDA project: one :class:`~policyquant.Corpus` per coder.

    A read-only mapping from coder name to corpus, as returned by
    :func:`read_qdpx`, so that
    :func:`policyquant.reliability.agreement_report` runs on it directly.

    Attributes
    ----------
    framework : Framework
        The framework the codes were mapped onto.
    path : pathlib.Path
        The project file.
    unmapped : pandas.DataFrame
        Codings whose code did not map onto the framework, one row each:
        ``file``, ``source``, ``selection`` (``"start-end"`` or ``"whole
        document"``), ``coder``, ``code`` (its name), ``guid``, ``reason`` and
        ``closest`` (the closest names in the framework).
    problems : pandas.DataFrame
        Codings that mapped but could not be used, and coders left without
        usable codings: ``coder`` and the columns of
        :attr:`policyquant.errors.ValidationError.problems` (``file``,
        ``row``, ``column`` (where: source and selection), ``value``,
        ``problem``, ``expected``, ``suggestions``).
    users : pandas.DataFrame
        The project's users: ``guid``, ``name``, ``coder`` (the name in this
        mapping, missing for users left out), ``codings``, ``units``.
    sources : pandas.DataFrame
        The text sources: ``guid``, ``name``, ``doc_id``, ``path``,
        ``characters``, ``selections``, ``codings``.
    codes : pandas.DataFrame
        The project's codebook: ``guid``, ``name``, ``path`` (parents and
        name), ``codable``, and what each code mapped to: ``part`` and
        ``key``, or the ``reason`` it did not.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import policyquant as pq
    >>> from policyquant.io import read_qdpx, write_qdpx
    >>> corpus = pq.datasets.load_genai_china().subset(["N01"])
    >>> project = read_qdpx(write_qdpx(corpus, pathlib.Path(tempfile.mkdtemp()) / "n01.qdpx"))
    >>> project
    <QDAProject n01.qdpx (wang2026): coder: 20 units; 0 unmapped, 0 problems>
    >>> project.sources[["doc_id", "selections"]].to_numpy().tolist()  # 20 clauses and the whole text (DA)
    [['N01', 21]]
    """

    def __init__(
        self,
        coders: Mapping[str, Corpus],
        *,
        framework: Framework,
        path: Path,
        unmapped: pd.DataFrame,
        problems: pd.DataFrame,
        users: pd.DataFrame,
        sources: pd.DataFrame,
        codes: pd.DataFrame,
    ) -> None:
        self._coders = dict(coders)
        self.framework = framework
        self.path = path
        self.unmapped = unmapped
        self.problems = problems
        self.users = users
        self.sources = sources
        self.codes = codes

    def __getitem__(self, coder: str) -> Corpus:
        try:
            return self._coders[coder]
        except KeyError:
            raise KeyError(
                f"no coder {coder!r} in {self.path.name}; coders: {format_choices(self._coders) or '(none)'}"
            ) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._coders)

    def __len__(self) -> int:
        return len(self._coders)

    def __repr__(self) -> str:
        coders = ", ".join(f"{name}: {len(corpus)} units" for name, corpus in self._coders.items())
        return (
            f"<QDAProject {self.path.name} ({self.framework.name}): {coders or 'no coders'}; "
            f"{len(self.unmapped)} unmapped, {len(self.problems)} problems>"
        )


def _source_text(
    element: ET.Element, archive: _Archive, where: str, locator: str, records: list[dict[str, Any]]
) -> tuple[str | None, str]:
    """The plain text of a TextSource (inline or a member of the archive) and where it came from."""
    inline = _child(element, "PlainTextContent")
    if inline is not None:
        return inline.text or "", "(inline PlainTextContent)"
    path = (element.get("plainTextPath") or "").strip()
    if not path:
        records.append(
            {
                "file": where,
                "column": locator,
                "problem": "text source without text",
                "expected": "a plainTextPath attribute or a PlainTextContent element",
            }
        )
        return None, ""
    reference = unquote(path)
    if reference.startswith("internal://"):
        wanted = ["sources/" + reference[len("internal://") :].lstrip("/")]
    else:
        # relative:// and absolute paths point outside the archive; exporters still usually
        # put the file in sources/, so look for it there by its name.
        tail = re.split(r"[\\/]+", re.sub(r"^[a-z]+://", "", reference))[-1]
        wanted = ["sources/" + tail, tail]
    member = next((found for name in wanted if (found := archive.find(name)) is not None), None)
    if member is None:
        raise ReadError(
            f"{where}: {locator}: its text {path!r} is not in the archive",
            [
                {
                    "file": where,
                    "column": locator,
                    "value": path,
                    "problem": "source file missing from the archive",
                    "expected": f"a member {wanted[0]!r}",
                    "suggestions": ", ".join(closest(wanted[0], archive.names)) or None,
                }
            ],
        )
    data = archive.read(member)
    if data[:4] == b"PK\x03\x04":
        raise ReadError(
            f"{where}: {locator}: the text {member!r} is a zip archive, not plain text; "
            "archives inside a project are not opened",
            [
                {
                    "file": where,
                    "column": locator,
                    "value": member,
                    "problem": "nested zip archive",
                    "expected": "plain text (UTF-8)",
                }
            ],
        )
    try:
        if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
            return data.decode("utf-16"), path
        return data.decode("utf-8-sig"), path
    except UnicodeDecodeError as error:
        raise ReadError(
            f"{where}: {locator}: the text {member!r} is not UTF-8 ({error})",
            [
                {
                    "file": where,
                    "column": locator,
                    "value": member,
                    "problem": "text not UTF-8",
                    "expected": "UTF-8",
                }
            ],
        ) from None


def _int(value: str | None) -> int | None:
    try:
        return int((value or "").strip())
    except ValueError:
        return None


def _coder_names(root: ET.Element) -> tuple[dict[str, str], pd.DataFrame]:
    names: dict[str, str] = {}
    rows = []
    users = _child(root, "Users")
    for user in _children(users, "User") if users is not None else []:
        guid = _guid(user.get("guid"))
        name = (user.get("name") or user.get("id") or guid).strip() or guid
        if name in names.values():
            name = f"{name} ({guid[:8]})"
        names[guid] = name
        rows.append({"guid": guid, "name": name})
    return names, pd.DataFrame(rows, columns=["guid", "name"])


def read_qdpx(
    path: str | os.PathLike[str],
    framework: str | Framework | None = "wang2026",
    *,
    coders: Sequence[str] | Mapping[str, str] | None = None,
    strict: bool = False,
) -> QDAProject:
    """Read a coded REFI-QDA project (``.qdpx``) into one corpus per coder.

    Parameters
    ----------
    path : path-like
        The project: a ``.qdpx`` archive as MAXQDA, NVivo, ATLAS.ti and
        QualCoder export it (a bare ``project.qde`` is read too when all its
        texts are inline).
    framework : str, Framework or None, default "wang2026"
        What to map the codes onto.  ``None`` uses the project's own
        codebook, read as :func:`read_qdc` reads codebooks.
    coders : sequence of str or mapping of str to str, optional
        Which users to keep, by name (or GUID), in this order; a mapping
        ``{user name: coder name}`` also renames them.  By default every user
        who coded something usable, in the order of the project's users.
    strict : bool, default False
        Raise a :class:`~policyquant.errors.ValidationError` listing every
        unmapped coding and problem instead of warning.

    Returns
    -------
    QDAProject
        A read-only mapping coder name -> :class:`~policyquant.Corpus`, with
        the reports ``unmapped`` and ``problems``.

    Raises
    ------
    ReadError
        If the file is not a zip archive, has no ``project.qde``, holds
        malformed XML or XML with a document type declaration (``<!DOCTYPE``,
        see :func:`read_qdc`), an unsafe member name (absolute or with
        ``..``), a symbolic link, a duplicate or encrypted member, a nested
        archive where text is expected, more than :data:`MAX_MEMBERS`
        members, a member or archive that would expand absurdly (a zip bomb),
        or misses a source's text file.
    ValidationError
        If a selection lies outside its text or is reversed, a coding refers
        to a code the codebook does not hold, no coder coded anything usable,
        or ``coders`` names unknown users; with ``strict=True``, also for
        unmapped codings and problems.

    Warns
    -----
    UserWarning
        Naming how many codings did not map and how many problems were
        found (see :attr:`QDAProject.unmapped` and
        :attr:`QDAProject.problems`).

    Notes
    -----
    *Codes.* A code maps onto the framework by the GUID :func:`write_qdc`
    gave it, else by the key on the ``[policyquant] ...`` line that
    :func:`write_qdc` appended to its description (so a code renamed in the
    QDA program, or given a new GUID on export as QualCoder does every time,
    still maps), else by its name: any key, label, localized label or alias of an
    instrument or objective (case-, width- and space-insensitively, Chinese
    too), and for levels a name such as ``DA = 5 · ...`` or a level's name
    under its dimension's code.  Family and other parent codes are not
    codable.  A code mapped by name must also sit where the framework puts
    it: an instrument under its family's code (or a code named like
    ``Instruments`` or ``政策工具``, see ``INSTRUMENT_BRANCH_NAMES``), an
    objective under an objectives code (``Objectives``, ``政策目标``, see
    ``OBJECTIVE_BRANCH_NAMES``), a level under its dimension's code (or a
    code in ``SCALE_BRANCH_NAMES``), or at top level, as in the flat
    codebooks of Taguette or ATLAS.ti.  Parents that stand for nothing of
    the framework only group codes and are looked through; the nearest one
    that stands for something decides.  A code under another branch
    (``Memo flags > Public safety``) is unmapped, with the reason.  A code
    with a GUID or key line :func:`write_qdc` gave is trusted wherever it sits.

    *Units.* Each coded span (source, start, end) is one unit, with the same
    ``unit_id`` for every coder who coded that span, so that coders align;
    two selections on the same span (one per user, as some programs write
    them) are one unit.  Its ``text`` is the span of the source text
    (positions count characters of the text, a byte-order mark excluded).
    The unit id is ``<doc_id>:<start>-<end>``, where ``doc_id`` is the
    source's name; a project written by :func:`write_qdpx` keeps its unit
    ids (the selections' names).

    *Scores.* A level of a clause-level dimension (AS, MI) scores the unit it
    is coded on; a level of a document-level dimension (DA) may be coded on
    any passage of the document, or on the whole document, and scores the
    document.

    *Problems.* A unit a coder gave two instruments, or two levels of one
    dimension, a document given two levels, a unit without an instrument,
    objective or a score the project uses, are listed in
    :attr:`QDAProject.problems` and left out of that coder's corpus (a
    :class:`~policyquant.Corpus` cannot hold them); so is a coder left with
    no usable unit.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import policyquant as pq
    >>> from policyquant.io import read_qdpx, write_qdpx
    >>> from policyquant.reliability import agreement_report
    >>> corpus = pq.datasets.load_genai_china().subset(["N01", "N02"])
    >>> units = corpus.units.copy()
    >>> units.loc[0, "instrument"] = "infrastructure"
    >>> other = pq.Corpus(corpus.documents, units)
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "study.qdpx"
    >>> project = read_qdpx(write_qdpx({"Li": corpus, "Wang": other}, target))
    >>> list(project), len(project["Li"])
    (['Li', 'Wang'], 26)
    >>> project["Li"].units["unit_id"].tolist() == corpus.units["unit_id"].tolist()
    True
    >>> round(float(agreement_report(project).table.loc["instrument", "percent_agreement"]), 3)
    0.962
    """
    path = Path(path)
    framework_given = framework
    root, archive, where = _load_root(path)
    try:
        if _local(root.tag) != "Project":
            raise ReadError(
                f"{where}: not a REFI-QDA project (root element {_local(root.tag)!r})",
                [
                    {
                        "file": where,
                        "column": "root element",
                        "value": _local(root.tag),
                        "problem": "not a project",
                        "expected": "Project",
                    }
                ],
            )
        return _read_project(root, archive, path, where, framework_given, coders, strict)
    finally:
        if archive is not None:
            archive.close()


def _read_project(
    root: ET.Element,
    archive: _Archive | None,
    path: Path,
    where: str,
    framework: str | Framework | None,
    wanted_coders: Sequence[str] | Mapping[str, str] | None,
    strict: bool,
) -> QDAProject:
    book = _child(root, "CodeBook")
    tree, by_guid = _parse_codes(_child(book, "Codes") if book is not None else None, where)
    own_mapping: dict[str, tuple[str, str]] = {}
    if framework is None:
        framework, own_mapping, _ = _codebook_framework(
            tree, _parse_sets(_child(root, "Sets")), _slug(path.stem), f"Codebook of {path.name}"
        )
    else:
        framework = get_framework(framework)
    mapper = _Mapper(framework, by_guid, own_mapping)
    user_names, users = _coder_names(root)
    project_user = _guid(root.get("creatingUserGUID"))

    # ---- sources, selections and codings
    fatal: list[dict[str, Any]] = []
    source_rows: list[dict[str, Any]] = []
    texts: list[str] = []
    codings: list[_Coding] = []
    skipped_sources: list[dict[str, Any]] = []
    sources_element = _child(root, "Sources")
    elements = list(sources_element) if sources_element is not None else []

    def coder_of(*guids: str | None) -> str:
        for guid in guids:
            guid = _guid(guid)
            if guid:
                return user_names.setdefault(guid, guid)
        return "unknown"

    for n, element in enumerate(elements, 1):
        kind = _local(element.tag)
        name = (element.get("name") or "").strip()
        locator = f"{kind} {name!r}" if name else f"{kind}[{n}]"
        if kind != "TextSource":
            skipped_sources.append(
                {
                    "coder": None,
                    "file": where,
                    "column": locator,
                    "value": name,
                    "problem": f"a {kind}: only text sources are read",
                    "expected": "TextSource",
                }
            )
            continue
        if archive is None and _child(element, "PlainTextContent") is None:
            raise ReadError(
                f"{where}: {locator} keeps its text in a file; read the .qdpx archive, not the bare project.qde",
                [{"file": where, "column": locator, "problem": "text outside the file"}],
            )
        text, text_path = _source_text(element, archive, where, locator, fatal)  # type: ignore[arg-type]
        if text is None:
            continue
        position = len(texts)
        texts.append(text)
        source_guid = _guid(element.get("guid"))
        count = 0
        for coding in _children(element, "Coding"):
            codings.append(
                _Coding(
                    coder_of(coding.get("creatingUser"), element.get("creatingUser"), project_user),
                    position,
                    None,
                    None,
                    _guid(_child(coding, "CodeRef").get("targetGUID"))
                    if _child(coding, "CodeRef") is not None
                    else "",
                    source_guid,
                    "",
                )
            )
            count += 1
        selections = _children(element, "PlainTextSelection")
        for selection in selections:
            guid = _guid(selection.get("guid"))
            start, end = _int(selection.get("startPosition")), _int(selection.get("endPosition"))
            here = f"{locator} / PlainTextSelection {guid or '?'}"
            if start is None or end is None or start < 0 or end > len(text) or start > end:
                fatal.append(
                    {
                        "file": where,
                        "column": here,
                        "value": f"{selection.get('startPosition')}-{selection.get('endPosition')}",
                        "problem": "selection outside the text"
                        if start is not None and end is not None and start <= end
                        else "selection positions are not integers with start <= end",
                        "expected": f"0 <= startPosition <= endPosition <= {len(text)} (the text's length)",
                    }
                )
                continue
            for coding in _children(selection, "Coding"):
                reference = _child(coding, "CodeRef")
                code_guid = _guid(reference.get("targetGUID")) if reference is not None else ""
                codings.append(
                    _Coding(
                        coder_of(
                            coding.get("creatingUser"),
                            selection.get("creatingUser"),
                            element.get("creatingUser"),
                            project_user,
                        ),
                        position,
                        start,
                        end,
                        code_guid,
                        guid,
                        (selection.get("name") or "").strip(),
                    )
                )
                count += 1
        source_rows.append(
            {
                "guid": source_guid,
                "name": name,
                "path": text_path,
                "characters": len(text),
                "selections": len(selections),
                "codings": count,
            }
        )
    for coding in codings:
        if coding.guid not in by_guid:
            source = source_rows[coding.source]["name"]
            fatal.append(
                {
                    "file": where,
                    "column": f"TextSource {source!r} / "
                    + (f"PlainTextSelection {coding.selection}" if coding.start is not None else "Coding"),
                    "value": coding.guid or None,
                    "problem": "CodeRef to a code the codebook does not hold"
                    if coding.guid
                    else "Coding without a CodeRef targetGUID",
                    "expected": "the GUID of a code of the project's CodeBook",
                }
            )
    if fatal:
        raise ValidationError(f"{where}: {len(fatal)} problem(s) in the project", fatal)

    # ---- documents: the source names, made unique
    doc_ids: list[str] = []
    seen: set[str] = set()
    for row in source_rows:
        doc_id = row["name"] or row["guid"]
        if doc_id in seen:
            doc_id = f"{doc_id}~{row['guid'][:8]}"
        seen.add(doc_id)
        doc_ids.append(doc_id)
        row["doc_id"] = doc_id
    sources = pd.DataFrame(
        source_rows, columns=["guid", "name", "doc_id", "path", "characters", "selections", "codings"]
    )

    # ---- map every coding
    unmapped_rows: list[dict[str, Any]] = []
    mapped: list[tuple[_Coding, _Target]] = []
    for coding in codings:
        target, reason = mapper.target(coding.guid)
        if target is None:
            code = by_guid[coding.guid]
            unmapped_rows.append(
                {
                    "file": str(path),
                    "source": doc_ids[coding.source],
                    "selection": "whole document" if coding.start is None else f"{coding.start}-{coding.end}",
                    "coder": coding.coder,
                    "code": code.name,
                    "guid": coding.guid,
                    "reason": reason,
                    "closest": mapper.suggestions(code.name) or None,
                }
            )
        else:
            mapped.append((coding, target))
    unmapped = pd.DataFrame(
        unmapped_rows, columns=["file", "source", "selection", "coder", "code", "guid", "reason", "closest"]
    )

    # ---- unit ids: one per coded span, shared by every coder
    spans: dict[tuple[int, int, int], set[str]] = {}
    for coding, target in mapped:
        if coding.start is not None and not (target.part == "level" and target.dimension.unit == "document"):
            spans.setdefault((coding.source, coding.start, coding.end), set()).add(coding.name)
    order = sorted(spans)
    by_name = _unit_ids_from_names(root, spans)
    unit_ids = {span: by_name.get(span) or f"{doc_ids[span[0]]}:{span[1]}-{span[2]}" for span in order}

    problems: list[dict[str, Any]] = list(skipped_sources)
    corpora, _ = _build_corpora(framework, mapped, order, unit_ids, doc_ids, texts, where, problems)

    # ---- which coders, in which order
    all_coders = list(dict.fromkeys([*user_names.values(), *(c.coder for c in codings)]))
    if wanted_coders is not None:
        renames = dict(wanted_coders) if isinstance(wanted_coders, Mapping) else {c: c for c in wanted_coders}
        by_any = {name: name for name in all_coders} | {guid: name for guid, name in user_names.items()}
        unknown = [name for name in renames if name not in by_any and _guid(name) not in by_any]
        if unknown:
            raise ValidationError(
                f"{path.name}: {len(unknown)} coder(s) not in the project",
                [
                    {
                        "file": str(path),
                        "column": "coders",
                        "value": name,
                        "problem": "no user with this name or GUID",
                        "expected": "one of " + (format_choices(all_coders) or "(no users)"),
                        "suggestions": ", ".join(closest(name, all_coders)) or None,
                    }
                    for name in unknown
                ],
            )
        chosen = {by_any.get(name) or by_any[_guid(name)]: new for name, new in renames.items()}
    else:
        chosen = {name: name for name in all_coders}
    total: dict[str, int] = {}
    for coding in codings:
        total[coding.coder] = total.get(coding.coder, 0) + 1
    result: dict[str, Corpus] = {}
    for name, new_name in chosen.items():
        if name in corpora:
            result[new_name] = corpora[name]
        elif wanted_coders is not None or total.get(name, 0):
            problems.append(
                {
                    "coder": name,
                    "file": where,
                    "problem": "this coder coded nothing usable"
                    + (f" ({total[name]} codings, none usable)" if total.get(name) else " (no codings)"),
                    "expected": "codings that map onto the framework, with a complete unit",
                }
            )
    users = users.assign(
        coder=users["name"].map(lambda n: chosen.get(n) if chosen.get(n) in result else None),
        codings=users["name"].map(lambda n: total.get(n, 0)).astype("int64"),
        units=users["name"].map(lambda n: len(corpora[n]) if n in corpora else 0).astype("int64"),
    )
    problem_frame = pd.DataFrame(problems, columns=["coder", *PROBLEM_COLUMNS]).astype(object)
    code_rows = []
    for code in (c for top in tree for c in top.walk()):
        target, reason = mapper.target(code.guid)
        parents, parent = [], code.parent
        while parent:
            parents.append(by_guid[parent].name)
            parent = by_guid[parent].parent
        code_rows.append(
            {
                "guid": code.guid,
                "name": code.name,
                "path": " / ".join([*reversed(parents), code.name]),
                "codable": code.codable,
                "part": target.part if target else None,
                "key": target.key if target else None,
                "reason": reason or None,
            }
        )
    codes = pd.DataFrame(code_rows, columns=["guid", "name", "path", "codable", "part", "key", "reason"])
    # In a raised error's message the coder must show: it is part of the problem's text there.
    named = [{**p, "problem": f"{p['coder']}: {p['problem']}"} if p.get("coder") else p for p in problems]
    if strict and (len(unmapped) or problems):
        records = [
            {
                "file": row["file"],
                "column": f"{row['source']} / {row['selection']}",
                "value": row["code"],
                "problem": f"unmapped code ({row['reason']}), coded by {row['coder']}",
                "suggestions": row["closest"],
            }
            for row in unmapped_rows
        ] + named
        raise ValidationError(
            f"{path.name}: {len(unmapped)} unmapped coding(s) and {len(problems)} problem(s)", records
        )
    if not result:
        raise ValidationError(
            f"{path.name}: no coder coded anything usable with framework {framework.name!r} "
            f"({len(unmapped)} coding(s) did not map)",
            named
            + [
                {
                    "file": row["file"],
                    "column": f"{row['source']} / {row['selection']}",
                    "value": row["code"],
                    "problem": f"unmapped code ({row['reason']})",
                    "suggestions": row["closest"],
                }
                for row in unmapped_rows[:50]
            ],
        )
    if len(unmapped) or problems:
        warnings.warn(
            f"{path.name}: {len(unmapped)} coding(s) did not map onto framework {framework.name!r} "
            f"(see .unmapped) and {len(problems)} problem(s) were found (see .problems)",
            UserWarning,
            stacklevel=3,
        )
    return QDAProject(
        result,
        framework=framework,
        path=path,
        unmapped=unmapped,
        problems=problem_frame,
        users=users,
        sources=sources,
        codes=codes,
    )


def _unit_ids_from_names(root: ET.Element, spans: Mapping[tuple[int, int, int], set[str]]) -> dict:
    """Selection names as unit ids, for projects policyquant wrote, when they are unambiguous."""
    if not (root.get("origin") or "").startswith("policyquant"):
        return {}
    names = {}
    for span, found in spans.items():
        # Unit ids are stripped but may hold inner spaces and tabs ("a b"); the attribute
        # escapes keep those exact.
        found = {name for name in found if name and name == name.strip()}
        if len(found) != 1:
            return {}
        names[span] = found.pop()
    if len(set(names.values())) != len(names):
        return {}
    return names


def _build_corpora(
    framework: Framework,
    mapped: list[tuple[_Coding, _Target]],
    order: list[tuple[int, int, int]],
    unit_ids: Mapping[tuple[int, int, int], str],
    doc_ids: list[str],
    texts: list[str],
    where: str,
    problems: list[dict[str, Any]],
) -> tuple[dict[str, Corpus], dict[str, int]]:
    """One corpus per coder from the mapped codings; what cannot be used goes to ``problems``."""
    scale = framework.scale
    unit_dims = [d.key for d in scale.dimensions_for("unit")] if scale is not None else []
    doc_dims = [d.key for d in scale.dimensions_for("document")] if scale is not None else []
    used_dims = {target.dimension.key for _, target in mapped if target.part == "level"}
    unit_dims = [d for d in unit_dims if d in used_dims]
    doc_dims = [d for d in doc_dims if d in used_dims]
    counts: dict[str, int] = {}
    # coder -> span -> {"instrument": set, "objectives": set, dim: set}
    units: dict[str, dict[tuple[int, int, int], dict[str, set]]] = {}
    documents: dict[str, dict[int, dict[str, set]]] = {}
    for coding, target in mapped:
        counts[coding.coder] = counts.get(coding.coder, 0) + 1
        coder_docs = documents.setdefault(coding.coder, {})
        coder_docs.setdefault(coding.source, {})
        if target.part == "level" and target.dimension.unit == "document":
            coder_docs[coding.source].setdefault(target.dimension.key, set()).add(target.score)
            continue
        if coding.start is None:
            problems.append(
                {
                    "coder": coding.coder,
                    "file": where,
                    "column": f"{doc_ids[coding.source]} / whole document",
                    "value": target.key,
                    "problem": f"a clause-level code ({target.part}) on the whole document",
                    "expected": "a coded passage (selection)",
                }
            )
            continue
        span = (coding.source, coding.start, coding.end)
        cell = units.setdefault(coding.coder, {}).setdefault(span, {})
        if target.part == "level":
            cell.setdefault(target.dimension.key, set()).add(target.score)
        else:
            cell.setdefault("instrument" if target.part == "instrument" else "objectives", set()).add(
                target.key
            )
    for coder in list(documents) + [c for c in units if c not in documents]:
        counts.setdefault(coder, 0)
    corpora: dict[str, Corpus] = {}
    objective_order = {key: n for n, key in enumerate(framework.objective_keys)}
    for coder in counts:
        doc_scores: dict[int, dict[str, Any]] = {}
        for source, cell in documents.get(coder, {}).items():
            scores = {}
            for dim in doc_dims:
                values = cell.get(dim, set())
                if len(values) > 1:
                    problems.append(
                        {
                            "coder": coder,
                            "file": where,
                            "column": doc_ids[source],
                            "value": ", ".join(_score_text(v) for v in sorted(values)),
                            "problem": f"{len(values)} levels of {dim} in one document",
                            "expected": f"one level of {dim} per document",
                        }
                    )
                scores[dim] = values.pop() if len(values) == 1 else None
            doc_scores[source] = scores
        unit_rows = []
        for span in order:
            cell = units.get(coder, {}).get(span)
            if cell is None:
                continue
            here = f"{doc_ids[span[0]]} / {span[1]}-{span[2]}"
            missing, conflicts = [], []
            row: dict[str, Any] = {"unit_id": unit_ids[span], "doc_id": doc_ids[span[0]]}
            row["text"] = texts[span[0]][span[1] : span[2]]
            if framework.instruments:
                found = cell.get("instrument", set())
                if len(found) > 1:
                    conflicts.append(("instrument", sorted(found)))
                elif not found:
                    missing.append("an instrument")
                else:
                    row["instrument"] = next(iter(found))
            if framework.objectives:
                found = cell.get("objectives", set())
                if not found:
                    missing.append("an objective")
                row["objectives"] = tuple(sorted(found, key=objective_order.get))
            for dim in unit_dims:
                found = cell.get(dim, set())
                if len(found) > 1:
                    conflicts.append((dim, [_score_text(v) for v in sorted(found)]))
                elif not found:
                    missing.append(f"a level of {dim}")
                else:
                    row[dim] = next(iter(found))
            scores = doc_scores.get(span[0], {})
            lacking = [dim for dim in doc_dims if scores.get(dim) is None]
            for what, values in conflicts:
                problems.append(
                    {
                        "coder": coder,
                        "file": where,
                        "column": here,
                        "value": ", ".join(values),
                        "problem": f"{len(values)} {'instruments' if what == 'instrument' else 'levels of ' + what}"
                        " on one span; the unit is left out",
                        "expected": f"one {what} per unit",
                    }
                )
            if missing:
                problems.append(
                    {
                        "coder": coder,
                        "file": where,
                        "column": here,
                        "value": row["text"][:40],
                        "problem": "incomplete unit, left out: no "
                        + ", no ".join(m.split(" ", 1)[1] for m in missing),
                        "expected": ", ".join(missing),
                    }
                )
            if lacking and not (missing or conflicts):
                problems.append(
                    {
                        "coder": coder,
                        "file": where,
                        "column": here,
                        "value": row["text"][:40],
                        "problem": f"the document has no single level of {', '.join(lacking)}; the unit is left out",
                        "expected": f"one level of {', '.join(lacking)} coded in document {doc_ids[span[0]]}",
                    }
                )
            if missing or conflicts or lacking:
                continue
            unit_rows.append(row)
        if not unit_rows:
            continue
        kept_docs = [
            source
            for source in range(len(doc_ids))
            if (not doc_dims and any(r["doc_id"] == doc_ids[source] for r in unit_rows))
            or (doc_dims and all(doc_scores.get(source, {}).get(d) is not None for d in doc_dims))
        ]
        documents_frame = pd.DataFrame({"doc_id": [doc_ids[s] for s in kept_docs]})
        for dim in doc_dims:
            documents_frame[dim] = [doc_scores[s][dim] for s in kept_docs]
        columns = ["unit_id", "doc_id", "text"]
        if framework.instruments:
            columns.append("instrument")
        if framework.objectives:
            columns.append("objectives")
        units_frame = pd.DataFrame(unit_rows, columns=[*columns, *unit_dims])
        corpora[coder] = Corpus(
            documents_frame, units_frame, framework, sources={"documents": where, "units": where}
        )
    return corpora, counts


# --------------------------------------------------------------------------
# Writing projects.


def write_qdpx(
    corpus_or_coders: Corpus | Mapping[str, Corpus],
    path: str | os.PathLike[str],
    *,
    framework: str | Framework | None = None,
) -> Path:
    """Write coded corpora as a REFI-QDA project (``.qdpx``) that QDA programs import.

    Parameters
    ----------
    corpus_or_coders : Corpus or mapping of str to Corpus
        One coder's corpus (written as the user ``coder``) or
        ``{coder name: corpus}`` for several coders of the same documents.
    path : path-like
        The archive to write (conventionally ``*.qdpx``).
    framework : str or Framework, optional
        The framework whose codebook to write; by default the corpora's
        (which must all use the same one).

    Returns
    -------
    pathlib.Path
        The archive written.

    Raises
    ------
    ValidationError
        If the corpora use different frameworks, or one unit id stands for
        different documents or texts in two corpora; if a unit's text holds a
        lone surrogate (no UTF-8 file can hold one), or a unit id, document
        id or coder name holds a character XML 1.0 cannot (control
        characters but tab and line breaks, U+FFFE, U+FFFF, surrogates): each
        is named with its unit, document or coder and the character as
        ``U+XXXX``, and nothing is written.

    Notes
    -----
    The codebook is the one :func:`write_qdc` writes.  Each document becomes
    a text source whose text is its units' texts (in unit order, separated
    by blank lines), stored as UTF-8 in ``sources/<guid>.txt``; each unit
    coded by a coder is one selection of that coder, named by its
    ``unit_id``, whose ``creatingUser`` is the coder (as are its codings'),
    holding one coding per code (instrument, objectives, clause-level
    scores).  Two coders of a unit therefore give two selections of the same
    span: QualCoder takes a coding's user from its selection alone, and a
    selection shared by several coders would reach it as one user's, with
    identical codings merged.  A unit's text is
    written exactly as it is: whitespace only, line breaks of any kind
    (``\\r\\n``, ``\\r``), control characters and U+FFFE or U+FFFF included,
    since the text lives in the source file and not in the XML; a unit
    without text is an empty selection, read back as missing text.
    Document-level scores are coded on a selection of the whole text (the
    coder's own).  Document metadata other than the id (title, issuers, dates) is not
    written.  GUIDs are name-based and no timestamps are written, so the same
    corpora give the same bytes; the ``project.qde`` validates against the
    standard's ``Project.xsd``.

    Examples
    --------
    >>> import tempfile, pathlib, zipfile
    >>> import policyquant as pq
    >>> from policyquant.io import write_qdpx
    >>> corpus = pq.datasets.load_genai_china().subset(["N01"])
    >>> target = write_qdpx(corpus, pathlib.Path(tempfile.mkdtemp()) / "n01.qdpx")
    >>> zipfile.ZipFile(target).namelist()[0]
    'project.qde'
    """
    if isinstance(corpus_or_coders, Corpus):
        coders: dict[str, Corpus] = {"coder": corpus_or_coders}
    elif isinstance(corpus_or_coders, Mapping) and corpus_or_coders:
        coders = dict(corpus_or_coders)
    else:
        raise ValidationError(
            f"write_qdpx needs a Corpus or a non-empty mapping {{coder: Corpus}}, got {type(corpus_or_coders).__name__}"
        )
    for name, corpus in coders.items():
        if not isinstance(corpus, Corpus):
            raise ValidationError(
                f"coder {name!r}: expected a policyquant.Corpus, got {type(corpus).__name__}"
            )
    names = {corpus.framework.name for corpus in coders.values()}
    if framework is None:
        if len(names) > 1:
            raise ValidationError(f"the coders used different frameworks: {', '.join(sorted(names))}")
        framework = next(iter(coders.values())).framework
    else:
        framework = get_framework(framework)
        if names != {framework.name}:
            raise ValidationError(
                f"the corpora use {', '.join(sorted(names))}, not the framework {framework.name!r}"
            )
    records: list[dict[str, Any]] = []
    ns = "{" + PROJECT_NAMESPACE + "}"

    # ---- documents and their units, in first-seen order across coders
    doc_order: dict[str, None] = {}
    unit_doc: dict[str, str] = {}
    unit_text: dict[str, str] = {}
    doc_units: dict[str, dict[str, None]] = {}
    for coder, corpus in coders.items():
        for doc_id in corpus.documents["doc_id"].tolist():
            doc_order.setdefault(doc_id, None)
        units = corpus.units
        texts = units["text"].tolist() if "text" in units.columns else [None] * len(units)
        for unit_id, doc_id, text in zip(
            units["unit_id"].tolist(), units["doc_id"].tolist(), texts, strict=True
        ):
            # A unit's text lives only in the source file, as it is (blank or whitespace-only
            # included); a unit without text is an empty selection, which reads back as missing.
            text = text if isinstance(text, str) else ""
            if unit_id in unit_doc and (unit_doc[unit_id], unit_text[unit_id]) != (doc_id, text):
                records.append(
                    {
                        "file": coder,
                        "column": "unit_id",
                        "value": unit_id,
                        "problem": "this unit id has another document or text in another coder's corpus",
                        "expected": "the same document and text for a unit id in every corpus",
                    }
                )
                continue
            unit_doc[unit_id], unit_text[unit_id] = doc_id, text
            doc_order.setdefault(doc_id, None)
            doc_units.setdefault(doc_id, {})[unit_id] = None
    for unit_id, text in unit_text.items():
        _refuse_unwritable(records, "units", "unit_id", unit_id, unit_id)
        _refuse_unwritable(records, "units", "text", text, unit_id)
    for doc_id in doc_order:
        _refuse_unwritable(records, "documents", "doc_id", doc_id, doc_id)
    for coder in coders:
        _refuse_unwritable(records, "coders", "coder", coder, coder)
    if records:
        raise ValidationError(
            f"the corpora cannot be written as one REFI-QDA project ({len(records)} problem(s))", records
        )

    # The project's name is only a label: characters XML cannot hold are left out of it.
    project_name = _ILLEGAL_XML.sub("", Path(path).stem) or "policyquant"
    user_guids = {coder: str(uuid.uuid5(_GUID_NAMESPACE, f"user\x1f{coder}")).upper() for coder in coders}
    ET.register_namespace("", PROJECT_NAMESPACE)
    root = ET.Element(ns + "Project", {"name": project_name, "origin": _origin()})
    users = ET.SubElement(root, ns + "Users")
    for coder, guid in user_guids.items():
        ET.SubElement(users, ns + "User", {"guid": guid, "name": coder})
    book = ET.SubElement(root, ns + "CodeBook")
    codes, problems = _codes_element(framework, PROJECT_NAMESPACE, None)
    if problems:
        raise ValidationError(f"framework {framework.name!r} cannot be written as a codebook", problems)
    book.append(codes)
    sources = ET.SubElement(root, ns + "Sources")
    scale = framework.scale
    unit_dims = scale.dimensions_for("unit") if scale is not None else ()
    doc_dims = scale.dimensions_for("document") if scale is not None else ()
    by_coder_units = {
        coder: corpus.units.set_index("unit_id", drop=False) for coder, corpus in coders.items()
    }
    by_coder_docs = {
        coder: corpus.documents.set_index("doc_id", drop=False) for coder, corpus in coders.items()
    }
    members: list[tuple[str, bytes]] = []

    def coding(selection: ET.Element, coder: str, part: str, key: str, where: str) -> None:
        element = ET.SubElement(
            selection,
            ns + "Coding",
            {
                "guid": str(
                    uuid.uuid5(_GUID_NAMESPACE, f"coding\x1f{where}\x1f{coder}\x1f{part}\x1f{key}")
                ).upper(),
                "creatingUser": user_guids[coder],
            },
        )
        ET.SubElement(element, ns + "CodeRef", {"targetGUID": qdc_guid(framework, part, key)})

    def selection(
        source: ET.Element,
        made: dict[str, ET.Element],
        coder: str,
        key: str,
        name: str,
        span: tuple[int, int],
    ) -> ET.Element:
        """The coder's selection of a span of ``source`` (made on first use), owned by the coder."""
        if key not in made:
            made[key] = ET.SubElement(
                source,
                ns + "PlainTextSelection",
                {
                    "guid": str(
                        uuid.uuid5(_GUID_NAMESPACE, f"selection\x1f{source.get('name')}\x1f{key}\x1f{coder}")
                    ).upper(),
                    "name": name,
                    "startPosition": str(span[0]),
                    "endPosition": str(span[1]),
                    "creatingUser": user_guids[coder],
                },
            )
        return made[key]

    for doc_id in doc_order:
        unit_list = list(doc_units.get(doc_id, {}))
        pieces, spans, offset = [], {}, 0
        for unit_id in unit_list:
            if pieces:
                pieces.append("\n\n")
                offset += 2
            pieces.append(unit_text[unit_id])
            spans[unit_id] = (offset, offset + len(unit_text[unit_id]))
            offset += len(unit_text[unit_id])
        text = "".join(pieces) or f"[{doc_id}]"
        source_guid = str(uuid.uuid5(_GUID_NAMESPACE, f"source\x1f{doc_id}")).upper()
        member = f"{source_guid}.txt"
        # Readers (this one included) drop a leading byte-order mark; a text that itself starts
        # with U+FEFF gets a real one in front, so that its own survives and offsets still match.
        encoded = text.encode("utf-8-sig" if text.startswith("\ufeff") else "utf-8")
        members.append((f"sources/{member}", encoded))
        source = ET.SubElement(
            sources,
            ns + "TextSource",
            {"guid": source_guid, "name": doc_id, "plainTextPath": f"internal://{member}"},
        )
        whole = next((u for u, s in spans.items() if s == (0, len(text))), None)
        for coder in coders:
            # One selection per coder and unit, owned by the coder: QualCoder takes a coding's
            # user from its selection alone, and merges identical codings of one user.
            units = by_coder_units[coder]
            made: dict[str, ET.Element] = {}
            for unit_id in unit_list:
                if unit_id not in units.index:
                    continue
                row = units.loc[unit_id]
                here = f"{doc_id}\x1f{unit_id}"
                element = selection(source, made, coder, unit_id, unit_id, spans[unit_id])
                if framework.instruments:
                    coding(element, coder, "instrument", row["instrument"], here)
                for key in row["objectives"] if framework.objectives else ():
                    coding(element, coder, "objective", key, here)
                for dimension in unit_dims:
                    if dimension.key in units.columns and pd.notna(row[dimension.key]):
                        score = _score_text(row[dimension.key])
                        coding(element, coder, "level", f"{dimension.key}={score}", here)
            documents = by_coder_docs[coder]
            if doc_id not in documents.index:
                continue
            for dimension in doc_dims:
                if dimension.key in documents.columns and pd.notna(documents.loc[doc_id, dimension.key]):
                    score = _score_text(documents.loc[doc_id, dimension.key])
                    # On the coder's selection of a unit spanning the whole text, else on a
                    # selection of the whole text of its own.
                    element = (
                        selection(source, made, coder, whole, whole, (0, len(text)))
                        if whole is not None and whole in units.index
                        else selection(source, made, coder, "\x00(document)", doc_id, (0, len(text)))
                    )
                    coding(element, coder, "level", f"{dimension.key}={score}", f"{doc_id}\x1f(document)")
    target = Path(path)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in [("project.qde", _serialize(root)), *members]:
            # A fixed timestamp: the same corpora give the same bytes.
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    from .._files import write_bytes

    # Built in memory, then a temporary file renamed into place: never half a project on disk.
    return write_bytes(target, buffer.getbuffer(), what="the project")

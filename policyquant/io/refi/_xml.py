"""Parsing and serialising REFI-QDA XML safely, and the XML-illegal character checks."""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Iterable
from typing import Any
from xml.etree import ElementTree as ET

import attrs
import numpy as np

from ...errors import ReadError
from ...model import Framework

#: The XML namespace of REFI-QDA codebooks (``.qdc``), version 1.0.
CODEBOOK_NAMESPACE = "urn:QDA-XML:codebook:1.0"

#: The XML namespace of REFI-QDA projects (``project.qde`` inside a ``.qdpx``), version 1.0.
PROJECT_NAMESPACE = "urn:QDA-XML:project:1.0"

# All GUIDs policyquant writes derive from this namespace, so re-exporting gives the same ones.
_GUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://policyquant.io/refi-qda")

# Machine-readable lines appended to descriptions so that keys, localized labels and aliases
# survive a trip through a QDA program (descriptions are kept by every program).
_MARK = "[policyquant] "

# XML 1.0 forbids these code points anywhere in a document.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# Lone surrogates: the only code points a UTF-8 text file (a project's text source) cannot hold.
_NOT_UTF8 = re.compile("[\ud800-\udfff]")


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
    elif column == "memo":
        # A memo is written into project.qde (a Note's PlainTextContent), so XML's rule holds.
        thing = f"the memo of {owner_name} {owner!r}"
        fix = (
            "a memo without control characters (but tab and line breaks), U+FFFE, U+FFFF or "
            "lone surrogates: remove or replace the character"
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
            "value": value[max(0, at - 20) : at + 20] if column in ("text", "memo") else value,
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

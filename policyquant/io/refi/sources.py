"""A REFI-QDA project of documents and their segmented units, not yet coded: sources for QDA coders.

:func:`~policyquant.io.write_qdpx` writes a coded corpus; given the units of
:func:`policyquant.segment` (and the documents they were cut from) instead,
it writes a project for coders who code in a QDA program: every document a
text source, every unit a named selection of it, and the framework's
codebook, ready to code.  :func:`~policyquant.io.read_qdpx` reads the coded
project back with the units' ids.
"""

from __future__ import annotations

import io
import os
import uuid
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import numpy as np
import pandas as pd

from ...errors import ValidationError
from ...model import Framework
from ._xml import _GUID_NAMESPACE, _ILLEGAL_XML, PROJECT_NAMESPACE, _refuse_unwritable, _serialize
from .codebook import _codes_element, _origin

__all__ = ["write_source_project"]

#: Between two units' texts in a source made of the units alone (no document text given).
_UNIT_SEPARATOR = "\n\n"


def _unit_table(units: Any) -> pd.DataFrame:
    from ..template import _units_frame

    return _units_frame(units)


def _document_texts(documents: Any) -> dict[str, str] | None:
    if documents is None:
        return None
    from ...documents._frame import documents_frame

    frame = documents_frame(documents, "documents", ("doc_id", "text"))
    ids = frame["doc_id"].astype(str).str.strip().tolist()
    texts = [v if isinstance(v, str) else "" for v in frame["text"].to_numpy(dtype=object)]
    repeated = sorted({d for d in ids if ids.count(d) > 1}) if len(set(ids)) != len(ids) else []
    if repeated:
        raise ValidationError(
            f"documents: {len(repeated)} doc_id(s) used twice",
            [
                {"column": "doc_id", "value": d, "problem": "duplicate doc_id", "expected": "unique doc_ids"}
                for d in repeated
            ],
        )
    return dict(zip(ids, texts, strict=True))


def _spans(
    units: pd.DataFrame, texts: dict[str, str] | None
) -> tuple[dict[str, str], list[tuple[str, str, int, int]]]:
    """Each source's text and each unit's (unit_id, doc_id, start, end) in it; problems raised, all at once."""
    records: list[dict[str, Any]] = []
    unit_ids = units["unit_id"].astype(str).str.strip().tolist()
    doc_ids = units["doc_id"].astype(str).str.strip().tolist()
    unit_texts = [v if isinstance(v, str) else "" for v in units["text"].to_numpy(dtype=object)]
    seen: dict[str, int] = {}
    for row, unit_id in enumerate(unit_ids):
        if unit_id in seen:
            records.append(
                {
                    "file": "units",
                    "row": row,
                    "column": "unit_id",
                    "value": unit_id,
                    "problem": "duplicate unit_id",
                    "expected": f"unique unit ids; first used in row {seen[unit_id]}",
                }
            )
        seen.setdefault(unit_id, row)
    has_spans = texts is not None and {"start", "end"} <= set(units.columns)
    if has_spans:
        starts = pd.to_numeric(units["start"], errors="coerce").to_numpy(dtype=float)
        ends = pd.to_numeric(units["end"], errors="coerce").to_numpy(dtype=float)
    placed: list[tuple[str, str, int, int]] = []
    offsets: dict[str, int] = {}
    pieces: dict[str, list[str]] = {}
    for row, (unit_id, doc_id, text) in enumerate(zip(unit_ids, doc_ids, unit_texts, strict=True)):
        if texts is None:
            # Without the documents' texts, a source is its units' texts, one after another.
            offset = offsets.get(doc_id, 0)
            if doc_id in pieces:
                pieces[doc_id].append(_UNIT_SEPARATOR)
                offset += len(_UNIT_SEPARATOR)
            pieces.setdefault(doc_id, []).append(text)
            placed.append((unit_id, doc_id, offset, offset + len(text)))
            offsets[doc_id] = offset + len(text)
            continue
        if doc_id not in texts:
            records.append(
                {
                    "file": "units",
                    "row": row,
                    "column": "doc_id",
                    "value": doc_id,
                    "problem": "no document with this doc_id",
                    "expected": "a doc_id of the documents",
                }
            )
            continue
        whole = texts[doc_id]
        if has_spans:
            start, end = starts[row], ends[row]
            if np.isnan(start) or np.isnan(end) or not 0 <= start <= end <= len(whole):
                records.append(
                    {
                        "file": "units",
                        "row": row,
                        "column": "start, end",
                        "value": f"{start}, {end}",
                        "problem": f"unit {unit_id!r}: not a span of its document (0 to {len(whole)})",
                        "expected": "the character offsets of the unit in its document's text",
                    }
                )
                continue
            start, end = int(start), int(end)
        else:
            # No spans given: the unit is found in its document after the previous unit.
            start = whole.find(text, offsets.get(doc_id, 0)) if text else -1
            end = start + len(text)
        if start < 0 or whole[start:end] != text:
            records.append(
                {
                    "file": "units",
                    "row": row,
                    "column": "text",
                    "value": text[:40],
                    "problem": f"unit {unit_id!r}: its text is not in its document"
                    + (f" at {start}-{end}" if has_spans else " (after the document's previous unit)"),
                    "expected": "the units segmented from these documents, in document order",
                }
            )
            continue
        offsets[doc_id] = end if not has_spans else offsets.get(doc_id, 0)
        placed.append((unit_id, doc_id, start, end))
    # Every document given is a source, even one no unit was cut from: the coder sees it all.
    sources = (
        dict(texts) if texts is not None else {doc_id: "".join(parts) for doc_id, parts in pieces.items()}
    )
    for unit_id in dict.fromkeys(unit_ids):
        _refuse_unwritable(records, "units", "unit_id", unit_id, unit_id)
    for doc_id, text in sources.items():
        _refuse_unwritable(records, "documents", "doc_id", doc_id, doc_id)
        _refuse_unwritable(records, "units", "text", text, doc_id)
    if records:
        raise ValidationError(
            f"the units cannot be written as REFI-QDA sources ({len(records)} problem(s))", records
        )
    return sources, placed


def write_source_project(
    units: Any, path: str | os.PathLike[str], framework: Framework, documents: Any = None
) -> Path:
    """Write documents and their units as an uncoded REFI-QDA project; see :func:`policyquant.io.write_qdpx`.

    Examples
    --------
    >>> import tempfile, pathlib, zipfile
    >>> import pandas as pd
    >>> import policyquant as pq
    >>> documents = pd.DataFrame({"doc_id": ["D1"], "text": ["总则\\n第一条 甲。\\n第二条 乙。"]})
    >>> units = pd.DataFrame({"unit_id": ["D1-0-1", "D1-0-2"], "doc_id": ["D1", "D1"],
    ...                       "text": ["第一条 甲。", "第二条 乙。"], "start": [3, 10], "end": [9, 16]})
    >>> target = write_source_project(units, pathlib.Path(tempfile.mkdtemp()) / "s.qdpx",
    ...                               pq.get_framework("wang2026"), documents)
    >>> zipfile.ZipFile(target).namelist()[0]
    'project.qde'
    """
    table = _unit_table(units)
    texts = _document_texts(documents)
    # Ids checked as everywhere (blank, mangled, repeated, naming no document), all at once.
    from ...corpus import Corpus

    bare = Framework(framework.name, framework.title, levels=framework.levels)
    known = None if texts is None else pd.DataFrame({"doc_id": list(texts)})
    try:
        Corpus(known, table[["unit_id", "doc_id"]], bare)
    except ValidationError as error:
        raise ValidationError("units: cannot be written as REFI-QDA sources", error.problems) from None
    sources, placed = _spans(table, texts)
    ns = "{" + PROJECT_NAMESPACE + "}"
    project_name = _ILLEGAL_XML.sub("", Path(path).stem) or "policyquant"
    ET.register_namespace("", PROJECT_NAMESPACE)
    root = ET.Element(ns + "Project", {"name": project_name, "origin": _origin()})
    book = ET.SubElement(root, ns + "CodeBook")
    codes, problems = _codes_element(framework, PROJECT_NAMESPACE, None)
    if problems:
        raise ValidationError(f"framework {framework.name!r} cannot be written as a codebook", problems)
    book.append(codes)
    element = ET.SubElement(root, ns + "Sources")
    by_doc: dict[str, list[tuple[str, int, int]]] = {}
    for unit_id, doc_id, start, end in placed:
        by_doc.setdefault(doc_id, []).append((unit_id, start, end))
    members: list[tuple[str, bytes]] = []
    for doc_id, text in sources.items():
        guid = str(uuid.uuid5(_GUID_NAMESPACE, f"source\x1f{doc_id}")).upper()
        member = f"{guid}.txt"
        # As write_qdpx: a text starting with U+FEFF gets a byte-order mark in front of its own.
        members.append(
            (f"sources/{member}", text.encode("utf-8-sig" if text.startswith("\ufeff") else "utf-8"))
        )
        source = ET.SubElement(
            element,
            ns + "TextSource",
            {"guid": guid, "name": doc_id, "plainTextPath": f"internal://{member}"},
        )
        for unit_id, start, end in by_doc.get(doc_id, ()):
            # A selection without codings (the standard allows it), named by its unit id: the coder
            # codes it, and read_qdpx gives the codings on its span this unit id.
            ET.SubElement(
                source,
                ns + "PlainTextSelection",
                {
                    "guid": str(uuid.uuid5(_GUID_NAMESPACE, f"unit\x1f{doc_id}\x1f{unit_id}")).upper(),
                    "name": unit_id,
                    "startPosition": str(start),
                    "endPosition": str(end),
                },
            )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in [("project.qde", _serialize(root)), *members]:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    from ..._files import write_bytes

    return write_bytes(Path(path), buffer.getbuffer(), what="the project")

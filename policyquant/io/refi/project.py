"""REFI-QDA projects (``.qdpx``): coded corpora read per coder, and written."""

from __future__ import annotations

import io
import os
import re
import uuid
import warnings
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote
from xml.etree import ElementTree as ET

import attrs
import pandas as pd

from ..._text import closest, format_choices
from ...corpus import Corpus
from ...errors import PROBLEM_COLUMNS, ReadError, ValidationError
from ...model import Framework
from ...plugins import get_framework
from ._archive import _Archive, _load_root
from ._xml import (
    _GUID_NAMESPACE,
    _ILLEGAL_XML,
    PROJECT_NAMESPACE,
    _child,
    _children,
    _guid,
    _local,
    _refuse_unwritable,
    _score_text,
    _serialize,
    _slug,
    qdc_guid,
)
from .codebook import _codebook_framework, _codes_element, _origin, _parse_codes, _parse_sets
from .mapping import _Code, _Mapper, _Target

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

    *Memos.* A coder's memo on a unit is the text of the ``Note`` elements
    that their selection of the span (or one of their codings on it) refers
    to with ``NoteRef``, else the selection's ``Description`` (where QualCoder
    and MAXQDA keep a coding's memo); a document's is the text of the Notes its
    ``TextSource`` refers to, by their ``creatingUser`` (a Note of no user,
    or of a user who coded nothing, is every coder's), else the source's
    ``Description``.  Several memos on
    one unit are joined by a blank line.  Every coder's corpus then has a
    ``memo`` column (missing where a coder wrote none); a project without
    memos gives none.

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
    """Read a parsed project in five phases, one function each, then report or refuse what did not map."""
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
    source_rows, texts, codings, skipped_sources, memos = _read_sources(
        root, archive, where, by_guid, user_names, project_user
    )
    doc_ids, sources = _document_ids(source_rows)
    mapped, unmapped_rows, unmapped = _map_codings(codings, mapper, by_guid, doc_ids, path)
    order, unit_ids = _unit_ids(root, mapped, doc_ids)
    problems: list[dict[str, Any]] = list(skipped_sources)
    corpora, _ = _build_corpora(framework, mapped, order, unit_ids, doc_ids, texts, where, problems, memos)
    result, users = _choose_coders(wanted_coders, user_names, users, codings, corpora, path, where, problems)
    problem_frame = pd.DataFrame(problems, columns=["coder", *PROBLEM_COLUMNS]).astype(object)
    codes = _code_table(tree, by_guid, mapper)
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


def _read_sources(
    root: ET.Element,
    archive: _Archive | None,
    where: str,
    by_guid: Mapping[str, _Code],
    user_names: dict[str, str],
    project_user: str,
) -> tuple[list[dict[str, Any]], list[str], list[_Coding], list[dict[str, Any]], _Memos]:
    """Phase 1: the text sources, their selections and codings (``user_names`` gains unknown users).

    Sources other than text are skipped and returned as problems; codings that point
    nowhere and selections outside their text are refused together.  Also returns the
    memos (:class:`_Memos`) of the selections and sources.
    """
    notes = _read_notes(root, archive, where)
    memos = _Memos()
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
        referenced = [notes[g] for g in _note_refs(element) if g in notes]
        for note_text, note_user in referenced:
            memos.add(("document", coder_of(note_user) if _guid(note_user) else None, position), note_text)
        if not referenced:
            # Other programs keep a document's memo as the source's Description (QualCoder's file memo).
            memos.add(("document", None, position), _description(element))
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
            owner = coder_of(selection.get("creatingUser"), element.get("creatingUser"), project_user)
            referenced = [notes[g] for g in _note_refs(selection) if g in notes]
            for note_text, _ in referenced:
                memos.add(("unit", owner, position, start, end), note_text)
            if not referenced:
                # QualCoder and MAXQDA keep a coding's memo as its selection's Description.
                memos.add(("unit", owner, position, start, end), _description(selection))
            for coding in _children(selection, "Coding"):
                reference = _child(coding, "CodeRef")
                code_guid = _guid(reference.get("targetGUID")) if reference is not None else ""
                coder = coder_of(
                    coding.get("creatingUser"),
                    selection.get("creatingUser"),
                    element.get("creatingUser"),
                    project_user,
                )
                for guid in _note_refs(coding):
                    if guid in notes:
                        memos.add(("unit", coder, position, start, end), notes[guid][0])
                codings.append(
                    _Coding(
                        coder,
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
    return source_rows, texts, codings, skipped_sources, memos


class _Memos:
    """The memos of a project, by what they are on: ``("unit", coder, source, start, end)`` or
    ``("document", coder, source)`` (coder None: a memo of nobody in particular, every coder's).

    Several memos on one thing are kept in order, each once, and read as one, separated by a blank line.
    """

    def __init__(self) -> None:
        self._found: dict[tuple[Any, ...], dict[str, None]] = {}

    def add(self, key: tuple[Any, ...], text: str | None) -> None:
        if text is not None and text.strip():
            self._found.setdefault(key, {})[text] = None

    def has(self, kind: str) -> bool:
        return any(key[0] == kind for key in self._found)

    def owners(self, kind: str) -> list[str]:
        """The coders with memos of this kind, in the order first found."""
        return list(dict.fromkeys(key[1] for key in self._found if key[0] == kind and key[1] is not None))

    def get(self, *keys: tuple[Any, ...]) -> str | None:
        texts = [text for key in keys for text in self._found.get(key, ())]
        return "\n\n".join(dict.fromkeys(texts)) if texts else None


def _note_refs(element: ET.Element) -> list[str]:
    return [_guid(ref.get("targetGUID")) for ref in _children(element, "NoteRef")]


def _description(element: ET.Element) -> str | None:
    description = _child(element, "Description")
    return description.text if description is not None else None


def _read_notes(root: ET.Element, archive: _Archive | None, where: str) -> dict[str, tuple[str, str | None]]:
    """The project's Notes: ``{guid: (text, creating user GUID)}``, their text inline or in the archive."""
    found: dict[str, tuple[str, str | None]] = {}
    element = _child(root, "Notes")
    for n, note in enumerate(_children(element, "Note") if element is not None else [], 1):
        if archive is None and _child(note, "PlainTextContent") is None:
            continue  # a bare project.qde holds no files: a Note kept in one has no text here
        name = (note.get("name") or "").strip()
        locator = f"Note {name!r}" if name else f"Note[{n}]"
        # A Note without any text is no memo; one naming a missing file is refused as a source is.
        text, _ = _source_text(note, archive, where, locator, [])  # type: ignore[arg-type]
        if text is not None:
            found[_guid(note.get("guid"))] = (text, note.get("creatingUser") or note.get("modifyingUser"))
    return found


def _document_ids(source_rows: list[dict[str, Any]]) -> tuple[list[str], pd.DataFrame]:
    """Phase 2: one document per source, named by the source, made unique (``source_rows`` gains ``doc_id``)."""
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
    return doc_ids, sources


def _map_codings(
    codings: list[_Coding], mapper: _Mapper, by_guid: Mapping[str, _Code], doc_ids: list[str], path: Path
) -> tuple[list[tuple[_Coding, _Target]], list[dict[str, Any]], pd.DataFrame]:
    """Phase 3: every coding mapped onto the framework, or listed with the reason it is not."""
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
    return mapped, unmapped_rows, unmapped


def _unit_ids(
    root: ET.Element, mapped: list[tuple[_Coding, _Target]], doc_ids: list[str]
) -> tuple[list[tuple[int, int, int]], dict[tuple[int, int, int], str]]:
    """Phase 4: one unit id per coded span, shared by every coder who coded it."""
    spans: dict[tuple[int, int, int], set[str]] = {}
    for coding, target in mapped:
        if coding.start is not None and not (target.part == "level" and target.dimension.unit == "document"):
            spans.setdefault((coding.source, coding.start, coding.end), set()).add(coding.name)
    order = sorted(spans)
    by_name = _unit_ids_from_names(root, spans)
    unit_ids = {span: by_name.get(span) or f"{doc_ids[span[0]]}:{span[1]}-{span[2]}" for span in order}
    return order, unit_ids


def _choose_coders(
    wanted_coders: Sequence[str] | Mapping[str, str] | None,
    user_names: dict[str, str],
    users: pd.DataFrame,
    codings: list[_Coding],
    corpora: dict[str, Corpus],
    path: Path,
    where: str,
    problems: list[dict[str, Any]],
) -> tuple[dict[str, Corpus], pd.DataFrame]:
    """Phase 5: which coders, in which order and under which names (``problems`` gains the empty ones)."""
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
    return result, users


def _code_table(tree: list[_Code], by_guid: Mapping[str, _Code], mapper: _Mapper) -> pd.DataFrame:
    """Every code of the codebook with its path and what it maps onto (:attr:`QDAProject.codes`)."""
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
    return codes


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
    memos: _Memos | None = None,
) -> tuple[dict[str, Corpus], dict[str, int]]:
    """One corpus per coder from the mapped codings; what cannot be used goes to ``problems``.

    A unit's memo is its coder's (the memos of their selection and codings of its span);
    a document's is its coder's and those of nobody in particular.  Every coder's corpus
    has a ``memo`` column when the project holds any memo of that kind.
    """
    memos = memos or _Memos()
    unit_memos, document_memos = memos.has("unit"), memos.has("document")
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
            if unit_memos:
                row["memo"] = memos.get(("unit", coder, *span))
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
        if document_memos:
            # A document's Notes by users who coded nothing here are nobody's in particular: every coder's.
            others = [None, *(user for user in memos.owners("document") if user not in counts)]
            documents_frame["memo"] = [
                memos.get(("document", coder, s), *(("document", user, s) for user in others)) for s in kept_docs
            ]
        columns = ["unit_id", "doc_id", "text"]
        if framework.instruments:
            columns.append("instrument")
        if framework.objectives:
            columns.append("objectives")
        units_frame = pd.DataFrame(unit_rows, columns=[*columns, *unit_dims, *(["memo"] if unit_memos else [])])
        corpora[coder] = Corpus(
            documents_frame, units_frame, framework, sources={"documents": where, "units": where}
        )
    return corpora, counts


# --------------------------------------------------------------------------
# Writing projects.

#: The date written on every Note (the date of the archive's members): not when the memo was
#: written, which a corpus does not record.
_NOTE_DATE = "1980-01-01T00:00:00Z"


def _memos(corpus: Corpus) -> tuple[dict[str, str], dict[str, str]]:
    """A coder's memos: ``{unit_id: memo}`` and ``{doc_id: memo}``, blank memos left out."""
    found = []
    for table, key in ((corpus.units, "unit_id"), (corpus.documents, "doc_id")):
        if "memo" not in table.columns:
            found.append({})
            continue
        kept = table.loc[table["memo"].notna().to_numpy(dtype=bool), [key, "memo"]]
        found.append(dict(zip(kept[key].tolist(), kept["memo"].tolist(), strict=True)))
    return found[0], found[1]


def write_qdpx(
    corpus_or_coders: Any,
    path: str | os.PathLike[str],
    *,
    framework: str | Framework | None = None,
    documents: Any = None,
) -> Path:
    """Write coded corpora as a REFI-QDA project (``.qdpx``) that QDA programs import.

    Or, given segmented units, a project to code in a QDA program: see *Sources to code* below.

    Parameters
    ----------
    corpus_or_coders : Corpus, mapping of str to Corpus, Segmentation or DataFrame
        One coder's corpus (written as the user ``coder``) or
        ``{coder name: corpus}`` for several coders of the same documents.
        Or the units still to code: the result of :func:`policyquant.segment`
        or a table with ``unit_id``, ``doc_id`` and ``text`` (and ``start``,
        ``end``, the unit's span in its document).
    path : path-like
        The archive to write (conventionally ``*.qdpx``).
    framework : str or Framework, optional
        The framework whose codebook to write; by default the corpora's
        (which must all use the same one); ``"wang2026"`` for units to code.
    documents : DocumentSet or pandas.DataFrame, optional
        With units to code: the documents they were cut from (``doc_id`` and
        ``text``), so that each source is the whole document.

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
    coder's own).  Document metadata other than the id and the memo (title,
    issuers, dates) is not written.

    *Memos.* A memo belongs to its coder, like a code: each coder's corpus
    keeps its own in ``units["memo"]`` and ``documents["memo"]`` (units may be
    coded by several coders, each with reasons of their own).  A unit's memo
    becomes a ``Note`` in the project's ``Notes``, owned by the coder
    (``creatingUser``) and holding the text (``PlainTextContent``), referenced
    by a ``NoteRef`` from that coder's selection of the unit; it is also the
    selection's ``Description``, where QualCoder and MAXQDA read a coding's
    memo.  A document's memo is a coder's Note referenced from the document's
    ``TextSource``, and the source's ``Description`` (QualCoder's file memo:
    with several coders, each memo after its coder's name).  Memos are written exactly (line breaks, ``\\r`` and
    leading or trailing spaces included); one holding a character XML 1.0
    cannot hold is refused, naming the unit or document and coder.  Every
    Note carries the fixed date 1980-01-01T00:00:00Z (QualCoder's import fails
    on a Note without a date), which is not when the memo was written.

    *Sources to code.*  Given units rather than corpora, the project holds
    the framework's codebook, no users and no codings: each document is a
    text source (named by its ``doc_id``) holding the document's whole text
    when ``documents`` are given (preamble, signature and attachments
    included), else its units' texts separated by blank lines; each unit is
    a ``PlainTextSelection`` of its span, named by its ``unit_id``, with no
    coding (the standard allows a selection without codings).  The span is
    the unit's ``start`` and ``end`` when given, else where its text is
    found in the document after the previous unit's; a unit whose text is
    not its document's there is refused, naming it.  Coders code in the QDA
    program; :func:`read_qdpx` gives a coding on a unit's span that unit's
    id (a span a coder marks otherwise gets ``<doc_id>:<start>-<end>``), and
    document-level scores are coded on any passage of the document.  A
    program that drops selections without codings on import (QualCoder does)
    shows the documents only; its coders then mark each clause themselves.

    GUIDs are name-based and no other timestamps are written, so the same
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
    if isinstance(corpus_or_coders, pd.DataFrame) or hasattr(corpus_or_coders, "to_frame"):
        # Units not yet coded: sources for coders who code in a QDA program.
        from .sources import write_source_project

        return write_source_project(
            corpus_or_coders, path, get_framework("wang2026" if framework is None else framework), documents
        )
    if documents is not None:
        raise ValidationError(
            "write_qdpx: documents= goes with units to code (a Segmentation or a DataFrame of units), "
            "not with coded corpora, whose documents they hold"
        )
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
    memos = {coder: _memos(corpus) for coder, corpus in coders.items()}
    for coder, (unit_memos, doc_memos) in memos.items():
        for where, found in (("units", unit_memos), ("documents", doc_memos)):
            for owner, memo in found.items():
                before = len(records)
                _refuse_unwritable(records, where, "memo", memo, owner)
                if len(records) > before:
                    records[-1]["problem"] += f" (coder {coder!r})"
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
    notes = ET.Element(ns + "Notes")

    def note(coder: str, kind: str, owner: str, memo: str) -> str:
        """A Note holding a coder's memo on a unit or document; returns its GUID for the NoteRef."""
        guid = str(uuid.uuid5(_GUID_NAMESPACE, f"note\x1f{kind}\x1f{owner}\x1f{coder}")).upper()
        element = ET.SubElement(
            notes,
            ns + "Note",
            {
                "guid": guid,
                "name": owner,
                "creatingUser": user_guids[coder],
                # QualCoder's import fails on a Note without a date; a fixed one (the archive
                # members' own) keeps the same corpora giving the same bytes.
                "creationDateTime": _NOTE_DATE,
            },
        )
        ET.SubElement(element, ns + "PlainTextContent").text = memo
        return guid

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
        note_refs: list[tuple[ET.Element, str]] = []
        source_notes: list[str] = []
        source_memos: list[str] = []
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
                memo = memos[coder][0].get(unit_id)
                if memo is not None:
                    # The selection's Description is where QualCoder and MAXQDA keep a coding's
                    # memo; the Note (referenced after the codings, as the schema orders them)
                    # is the standard's own.
                    ET.SubElement(element, ns + "Description").text = memo
                    note_refs.append((element, note(coder, "unit", unit_id, memo)))
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
            memo = memos[coder][1].get(doc_id)
            if memo is not None:
                source_notes.append(note(coder, "document", doc_id, memo))
                source_memos.append(memo if len(coders) == 1 else f"{coder}: {memo}")
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
        # NoteRefs close their element's content: after every coding of a selection, after every
        # selection of a source.
        for element, guid in note_refs:
            ET.SubElement(element, ns + "NoteRef", {"targetGUID": guid})
        for guid in source_notes:
            ET.SubElement(source, ns + "NoteRef", {"targetGUID": guid})
        if source_memos:
            # The source's Description (first in its content) is QualCoder's file memo: one text,
            # so several coders' memos each follow their coder's name.
            description = ET.Element(ns + "Description")
            description.text = "\n\n".join(source_memos)
            source.insert(0, description)
    if len(notes):
        root.append(notes)
    target = Path(path)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in [("project.qde", _serialize(root)), *members]:
            # A fixed timestamp: the same corpora give the same bytes.
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    from ..._files import write_bytes

    # Built in memory, then a temporary file renamed into place: never half a project on disk.
    return write_bytes(target, buffer.getbuffer(), what="the project")

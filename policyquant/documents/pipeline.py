"""From a folder of policy documents to the tables a coding study starts from, in one call.

:func:`ingest` runs the front half of a study, the steps of
:mod:`policyquant.documents` one after the other, and writes what each
produced into one folder: it reads the documents
(:func:`~policyquant.documents.read_documents`), finds their metadata
(:func:`~policyquant.documents.extract_metadata`), selects the sample when a
query or a screening principle is given (:func:`~policyquant.documents.select`)
and cuts the kept documents into numbered clauses
(:func:`~policyquant.documents.segment`).  ``policyquant ingest`` is this
function; :func:`read_ingested` reads the folder back for the coding
template (``policyquant template --from DIR``).

The module is named ``pipeline`` (not ``ingest``) so that the function
:func:`ingest` and its module never share the name
``policyquant.documents.ingest``: importing a submodule of that name would
replace the function on the package.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from os import PathLike
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pandas as pd

from ..errors import InputTypeError, ReadError, ValidationError, WriteError
from .selection import DEFAULT_FIELDS

__all__ = [
    "DOCUMENT_COLUMNS",
    "DOCUMENT_HEADERS_ZH",
    "OUTPUT_FILES",
    "PROBLEM_HEADERS",
    "Ingestion",
    "ingest",
    "read_ingested",
]

#: Every file :func:`ingest` may write into its folder (besides policyquant's manifest).
OUTPUT_FILES = ("documents.csv", "units.csv", "selection.csv", "selection.png", "selection.svg", "problems.csv")

#: The columns of ``documents.csv`` in this order (those a run has; ``<key>_suggested`` and
#: ``<key>_basis`` follow ``provisional`` when a framework suggests scores).
DOCUMENT_COLUMNS = (
    "doc_id", "title", "attached_title", "doc_number", "issuers", "issuer_kind", "level", "region",
    "date", "year", "effective_date", "form", "provisional",
    "included", "step", "reason", "detail", "matched",
    "path", "format", "encoding", "pages", "sha256", "duplicate_of",
)  # fmt: skip

#: Columns of ``documents.csv`` about reading the file and the selection decision: a record of
#: the study, not facts of the document, so they stay out of the coding template.
_BOOKKEEPING = ("included", "step", "reason", "detail", "matched", "format", "encoding", "pages", "sha256", "duplicate_of")

#: Headers of ``documents.csv`` with ``language="zh"``.
DOCUMENT_HEADERS_ZH = {
    "doc_id": "文件编号", "title": "政策名称", "attached_title": "印发文件标题", "doc_number": "发文字号",
    "issuers": "发文机构", "issuer_kind": "发文机构类型", "level": "层级", "region": "地区", "date": "发文日期",
    "year": "年份", "effective_date": "施行日期", "form": "文种", "provisional": "暂行或试行",
    "included": "是否纳入", "step": "步骤", "reason": "原因", "detail": "依据", "matched": "命中检索词",
    "path": "文件路径", "format": "格式", "encoding": "文本编码", "pages": "页数", "sha256": "SHA-256",
    "duplicate_of": "重复于",
}  # fmt: skip
_SUGGESTED_ZH = ("{key}（建议）", "{key}（建议依据）")

#: Columns of ``problems.csv``: the step that met the problem, the document, then as everywhere.
PROBLEM_HEADERS = {
    "en": ("step", "doc_id", "file", "line", "column", "value", "problem", "expected", "suggestions"),
    "zh": ("步骤", "文件编号", "文件", "行", "列", "值", "问题", "应为", "建议"),
}
_STEP_ZH = {"read": "读取", "metadata": "元数据", "segment": "切分"}


@attrs.frozen(eq=False)
class Ingestion:
    """What :func:`ingest` did: every step's result and the files written.

    Attributes
    ----------
    documents : DocumentSet
        The documents read (:func:`~policyquant.documents.read_documents`).
    metadata : DocumentMetadata
        Their metadata with the evidence (:func:`~policyquant.documents.extract_metadata`).
    selection : Selection or None
        The sample selection; None when no query and no principle was given
        (every document read is kept).
    segmentation : Segmentation
        The units of the kept documents (:func:`~policyquant.documents.segment`).
    problems : pandas.DataFrame
        Every problem of every step, as written to ``problems.csv``.
    paths : dict of str to pathlib.Path
        The files written, by name (``"documents.csv"`` ...).
    removed : tuple of pathlib.Path
        Outputs of an earlier run that this run does not write (a
        ``problems.csv`` when there are none now), removed so that the
        folder never mixes two runs.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from policyquant.documents.pipeline import ingest
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "办法.txt").write_text("某某管理办法\\n第一条 为了规范管理。\\n第二条 本办法自发布之日起施行。", encoding="utf-8")
    >>> result = ingest(folder / "办法.txt", folder / "out", progress=False)
    >>> result
    Ingestion: 1 document read, 1 kept, 3 units (article)
    >>> sorted(result.paths)
    ['documents.csv', 'problems.csv', 'units.csv']
    >>> sorted(result.problems["column"])  # what the short text does not show
    ['date', 'doc_number', 'effective_date', 'issuers']
    """

    documents: Any
    metadata: Any
    selection: Any
    segmentation: Any
    problems: pd.DataFrame
    paths: dict[str, Path]
    removed: tuple[Path, ...] = ()

    @property
    def kept(self) -> int:
        """The number of documents kept (all read without a selection)."""
        return len(self.documents) if self.selection is None else int(self.selection.counts()["included"])

    def __repr__(self) -> str:
        n = len(self.documents)
        return (
            f"Ingestion: {n} document{'s' if n != 1 else ''} read, {self.kept} kept, "
            f"{len(self.segmentation.frame)} units ({self.segmentation.unit})"
        )


# -- Checks before anything is read -----------------------------------------------------------


def _is_within(inner: Path, outer: Path) -> bool:
    try:
        Path(os.path.realpath(inner)).relative_to(os.path.realpath(outer))
    except ValueError:
        return False
    return True


def _check_places(source: Path, folder: Path, exclude: Any, recursive: bool) -> None:
    """Refuse an output folder that would replace an input or be read as documents next time."""
    from .._files import refuse_overwriting_inputs

    inputs: dict[str, Any] = {f"the documents source {source}": source}
    if isinstance(exclude, (str, PathLike)):
        inputs[f"the exclusion list {exclude}"] = exclude
    refuse_overwriting_inputs({f"the output folder {folder}": folder}, inputs)
    refuse_overwriting_inputs({f"the output {folder / name}": folder / name for name in OUTPUT_FILES}, inputs)
    if folder.exists() and not folder.is_dir():
        raise WriteError(f"cannot write into {folder}: it is a file, not a folder; give a folder for the outputs", path=folder)
    if source.is_dir() and _is_within(folder, source) and (recursive or _same_folder(folder, source)):
        raise WriteError(
            f"the output folder {folder} is inside the documents folder {source}: the tables written there "
            "would be read as documents next time; give a folder outside it",
            path=folder,
        )


def _same_folder(a: Path, b: Path) -> bool:
    return os.path.realpath(a) == os.path.realpath(b)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while block := stream.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _check_earlier_outputs(folder: Path, force: bool) -> dict[str, Path]:
    """The outputs of an earlier run in ``folder``, refused if policyquant did not write them as they are.

    A file of an output's name that policyquant's manifest does not list, or
    whose bytes changed since it was written (a documents table corrected by
    hand), is somebody's work: it is replaced only with ``force``.
    """
    from .._files import MANIFEST_NAME, _load_manifest

    present = {name: folder / name for name in OUTPUT_FILES if (folder / name).is_file()}
    if not present or force:
        return present
    manifest = _load_manifest(folder / MANIFEST_NAME) if (folder / MANIFEST_NAME).is_file() else None
    files = (manifest or {}).get("files", {})
    for name, path in present.items():
        entry = files.get(name)
        if not isinstance(entry, dict):
            why = "policyquant did not write it"
        elif entry.get("sha256") != _sha256(path):
            why = "it was changed after policyquant wrote it"
        else:
            continue
        raise WriteError(
            f"{path} exists and {why}: replacing it could lose that work; move it away, give another folder, "
            "or force=True (--force on the command line) to replace it",
            path=path,
        )
    return present


def _exclusions(exclude: Any) -> Any:
    """``exclude`` as :func:`select` takes it; a file (CSV, Excel ...) of doc_id and reason read as text."""
    if not isinstance(exclude, (str, PathLike)):
        return exclude
    from .._text import normalize_name
    from ..io import read_table

    path = Path(exclude)
    table = read_table(path, "documents")
    names = {normalize_name(str(c)): c for c in table.columns}
    id_column = next((names[n] for n in ("doc_id", "文件编号", "doc id", "id") if n in names), None)
    if id_column is None:
        raise ValidationError(
            f"{path}: no doc_id column in the exclusion list",
            [{"file": str(path), "row": 1, "problem": "no doc_id column", "value": ", ".join(map(str, table.columns)),
              "expected": "the columns doc_id and reason (reason optional; 文件编号 and 原因 work too)"}],
        )  # fmt: skip
    reason_column = next((names[n] for n in ("reason", "原因", "理由", "why") if n in names), None)
    ids = table[id_column].astype("string").str.strip()
    blank = ids.isna() | (ids == "")
    if blank.any():
        rows = (np.flatnonzero(blank.to_numpy()) + 2).tolist()
        raise ValidationError(
            f"{path}: no doc_id in row {rows[0]} of the exclusion list",
            [{"file": str(path), "row": row, "column": str(id_column), "problem": "no doc_id", "expected": "a doc_id of the documents"} for row in rows],
        )
    if reason_column is None:
        return ids.tolist()
    reasons = table[reason_column].astype("string").str.strip()
    # A row without a reason gets select's default reason ("excluded by the researcher").
    reasons = reasons.where(reasons.notna() & (reasons != ""), None)
    # A document named twice with two reasons: the selection table and the flow diagram give each
    # document one reason, and choosing one would drop the other; the researcher decides.
    given = pd.DataFrame({"id": ids, "reason": reasons}).dropna(subset=["reason"]).drop_duplicates()
    torn = given["id"].duplicated(keep=False).to_numpy()
    if torn.any():
        clash = given[torn]
        rows = {key: [str(row) for row in clash.index[clash["id"] == key]] for key in clash["id"].unique()}
        first = next(iter(rows))
        raise ValidationError(
            f"{path}: doc_id {first!r} is in the exclusion list {len(rows[first])} times with different reasons "
            f"(rows {', '.join(rows[first])})",
            [{"file": str(path), "row": row, "column": str(reason_column), "value": reason,
              "problem": f"doc_id {key!r} is excluded again with another reason (rows {', '.join(rows[key])})",
              "expected": "one row per document, with one reason (join the reasons in one cell if both apply)"}
             for row, key, reason in zip(clash.index, clash["id"], clash["reason"], strict=True)],
        )  # fmt: skip
    # Rows repeating a reason, or without one beside a row with one, lose nothing when merged.
    reasons = reasons.groupby(ids.to_numpy(), sort=False).transform("first")
    return {key: (None if pd.isna(reason) else str(reason)) for key, reason in zip(ids, reasons, strict=True)}


# -- Tables -----------------------------------------------------------------------------------


def _date_text(values: pd.Series) -> pd.Series:
    dates = pd.to_datetime(values, errors="coerce")
    return pd.Series(np.where(dates.notna(), dates.dt.strftime("%Y-%m-%d"), None), index=values.index, dtype=object)


def _documents_table(metadata: Any, selection: Any, language: str | None) -> pd.DataFrame:
    frame = metadata.documents.reset_index(drop=True)
    out = frame.drop(columns=["text"]).copy()
    for column in ("date", "effective_date"):
        if column in out.columns:
            out[column] = _date_text(out[column])
    if "year" in out.columns:
        out["year"] = pd.to_numeric(out["year"], errors="coerce").astype("Int64")
    if selection is not None:
        records = selection.records.to_frame(language=language).reset_index()
        records = records.drop(columns=records.columns[[0, 1]])  # doc_id and title: the documents' own
        for position, column in enumerate(("included", "step", "reason", "detail", "matched")):
            out[column] = records.iloc[:, position].to_numpy()
    suggested = [c for c in out.columns if re.fullmatch(r".+_(suggested|basis)", str(c))]
    ordered = [c for c in DOCUMENT_COLUMNS[:13] if c in out.columns] + suggested
    ordered += [c for c in DOCUMENT_COLUMNS[13:] if c in out.columns]
    ordered += [c for c in out.columns if c not in ordered]
    out = out[ordered]
    if language == "zh":
        names = dict(DOCUMENT_HEADERS_ZH)
        for column in suggested:
            key, _, what = str(column).rpartition("_")
            names[column] = _SUGGESTED_ZH[what == "basis"].format(key=key)
        out = out.rename(columns=names)
    return out


def _problems(documents: Any, metadata: Any, segmentation: Any, language: str | None) -> pd.DataFrame:
    """Every step's problems in one table (:data:`PROBLEM_HEADERS`), in the order of the steps."""
    columns = PROBLEM_HEADERS["en"]
    read = documents.problems.assign(step="read", doc_id=None, line=None)
    meta = metadata.problems.assign(step="metadata", line=None)
    parts = [read, meta]
    if segmentation is not None and len(segmentation.problems):
        seg = segmentation.problems
        paths = dict(zip(metadata.documents["doc_id"].astype(str), metadata.documents["path"], strict=True))
        # The message says it all (where, what was found, what was expected); found and expected
        # stay in their own columns for filtering.
        message = seg["message"].str.replace(r"^.*? line \d+: ", "", regex=True)
        parts.append(
            pd.DataFrame({
                "step": "segment", "doc_id": seg["doc_id"], "file": seg["doc_id"].map(paths),
                "line": seg["line"], "column": seg["level"], "value": seg["found"],
                "problem": seg["problem"] + ": " + message, "expected": seg["expected"], "suggestions": None,
            })
        )  # fmt: skip
    table = pd.concat([part.reindex(columns=list(columns)) for part in parts], ignore_index=True)
    table = table.astype(object).where(table.notna(), None)
    table["line"] = pd.to_numeric(table["line"], errors="coerce").astype("Int64")
    if language == "zh":
        table["step"] = table["step"].map(_STEP_ZH)
        table.columns = list(PROBLEM_HEADERS["zh"])
    return table


def _figure_bytes(selection: Any, language: str | None) -> dict[str, bytes]:
    import matplotlib.pyplot as plt

    figure = selection.flow_figure(language=language)
    try:
        out = {}
        for suffix in ("png", "svg"):
            buffer = io.BytesIO()
            # No date in the SVG's metadata: the same selection gives the same bytes.
            metadata = {"Date": None} if suffix == "svg" else {"Software": "policyquant"}
            figure.savefig(buffer, format=suffix, dpi=200, bbox_inches="tight", metadata=metadata)
            out[f"selection.{suffix}"] = buffer.getvalue()
    finally:
        plt.close(figure)
    return out


def _csv_bytes(frame: pd.DataFrame) -> bytes:
    # UTF-8 with a byte-order mark, as every CSV policyquant writes: Excel then shows Chinese text.
    return frame.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


# -- ingest -----------------------------------------------------------------------------------


def ingest(
    source: str | PathLike[str],
    output_dir: str | PathLike[str],
    *,
    query: Any = None,
    fields: Sequence[str] = DEFAULT_FIELDS,
    period: Any = None,
    level: str | Iterable[str] | None = None,
    forms: Iterable[str] | None = None,
    exclude: Mapping[str, str] | Iterable[str] | str | PathLike[str] | None = None,
    unit: str = "article",
    framework: Any = None,
    language: str | None = None,
    encoding: str | None = None,
    recursive: bool = True,
    progress: bool | None = None,
    force: bool = False,
) -> Ingestion:
    """Read policy documents, find their metadata, select the sample, cut it into clauses; write the tables.

    The steps are :func:`~policyquant.documents.read_documents`,
    :func:`~policyquant.documents.extract_metadata`,
    :func:`~policyquant.documents.select` (only when ``query`` or a screening
    principle is given: ``period``, ``level``, ``forms``, ``exclude``) and
    :func:`~policyquant.documents.segment` of the kept documents.  Into
    ``output_dir`` go:

    ``documents.csv``
        Every document read, one row each: the metadata
        (:data:`DOCUMENT_COLUMNS`; dates as ``YYYY-MM-DD``), the suggested
        document scores of ``framework`` (``DA_suggested``, ``DA_basis``), the
        selection decision (``included``, ``step``, ``reason``, ``detail``,
        ``matched``) and the file it came from.  Not the whole text: a
        spreadsheet cuts long cells, and the clauses are in ``units.csv``.
    ``units.csv``
        The units of the kept documents, as :func:`segment` numbers them
        (``<doc_id>-<chapter>-<article>``), with their kind, heading path,
        text and span.
    ``selection.csv``, ``selection.png``, ``selection.svg``
        With a selection: the selection table and the PRISMA-style flow
        diagram (:func:`policyquant.plotting.selection_flow`).
    ``problems.csv``
        When any step met a problem: one row per problem (:data:`PROBLEM_HEADERS`):
        a file not read, a document number not found, a numbering gap.

    CSV files are UTF-8 with a byte-order mark.  The files are written
    only after every step succeeded, and all or none: each goes to a
    temporary file in the folder, and only when all are written are they
    renamed into place, the manifest last (recording the run, so that
    :func:`read_ingested` refuses tables of two runs).  When writing fails
    part-way (a full disk, ``units.csv`` open in Excel), the earlier run's
    outputs and manifest are left as they were.  Ids are text, so they read
    back as written (``policyquant.io.read_table``, :func:`read_ingested`).

    Parameters
    ----------
    source : str or path-like
        A document, a folder of them or a .zip archive.
    output_dir : str or path-like
        The folder to write into (created if missing).  Other files in it
        are left alone.  An output of an earlier run is replaced when
        policyquant wrote it and it is unchanged since (the folder's
        manifest, ``policyquant-manifest.json``, records what was written);
        one that was edited, or that policyquant did not write, is refused
        unless ``force``.  Outputs of the earlier run that this run does not
        write (``problems.csv`` when there are none now) are removed, so
        the folder never mixes two runs.
    query : str, optional
        The search query (terms, "phrases", AND, OR, NOT, parentheses,
        ``title:``); see :mod:`policyquant.documents.selection`.
    fields, period, level, forms
        As :func:`~policyquant.documents.select` takes them.
    exclude : mapping, list of doc_ids, or path, optional
        Documents the researcher excludes: as :func:`select` takes it, or a
        table file (CSV, Excel) with a ``doc_id`` column and an optional
        ``reason`` column (``文件编号``, ``原因`` too).
    unit : str, default "article"
        The unit of :func:`~policyquant.documents.segment`.
    framework : str or Framework, optional
        A framework whose plugins suggest document-level scores
        (``"wang2026"`` suggests ``DA``).
    language : {None, "en", "zh"}
        ``"zh"`` heads the columns of every table in Chinese and words the
        selection's steps and reasons and the flow diagram in Chinese.
    encoding, recursive, progress
        As :func:`~policyquant.documents.read_documents` takes them.
    force : bool, default False
        Replace outputs in ``output_dir`` even when they were edited or not
        written by policyquant.

    Returns
    -------
    Ingestion
        Every step's result, the problems and the paths written.

    Raises
    ------
    ReadError
        When ``source`` does not exist or holds no document that could be
        read (``problems.csv`` is written first, saying why for each file).
    WriteError
        When ``output_dir`` is (or is inside) the documents folder, is a
        file, would replace an input, or holds an output that was edited
        (without ``force``), or when an output cannot be written; nothing
        is written then, and the folder is as it was.
    ValidationError
        For a query that cannot be read (:class:`~policyquant.documents.selection.QueryError`
        points at the position), a period, level or form that cannot be
        used, an ``exclude`` naming no document, an unknown unit or
        language.

    Examples
    --------
    >>> import pathlib, shutil, tempfile
    >>> import policyquant as pq
    >>> from policyquant.documents.pipeline import ingest
    >>> work = pathlib.Path(tempfile.mkdtemp())
    >>> folder = shutil.copytree(pq.datasets.example_documents_path(), work / "documents")
    >>> result = ingest(folder, work / "out", query="人工智能 OR 算法", period=("2017-07", "2025-06"),
    ...                 level=["national", "provincial"], framework="wang2026", progress=False)
    >>> result.selection.counts()
    {'searched': 9, 'found': 8, 'duplicate': 0, 'period': 1, 'level': 0, 'included': 7}
    >>> sorted(path.name for path in (work / "out").iterdir())  # doctest: +NORMALIZE_WHITESPACE
    ['documents.csv', 'policyquant-manifest.json', 'problems.csv', 'selection.csv', 'selection.png',
     'selection.svg', 'units.csv']
    """
    from .._language import resolve_language
    from .metadata import extract_metadata
    from .reading import read_documents
    from .segmentation import segment
    from .selection import parse_query, select

    for name, value in (("source", source), ("output_dir", output_dir)):
        if not isinstance(value, (str, PathLike)):
            raise InputTypeError(
                f"ingest: {name} must be a path, got {type(value).__name__}",
                [{"column": name, "value": type(value).__name__, "problem": "not a path", "expected": "a str or pathlib.Path"}],
            )
    language = resolve_language(language)
    language = None if language == "en" else language
    source, folder = Path(source), Path(output_dir)
    _check_places(source, folder, exclude, recursive)
    earlier = _check_earlier_outputs(folder, force)
    # What can be checked without the documents is checked before reading them: a folder of
    # thousands of files is not read only to find an unclosed parenthesis in the query.
    _check_unit(unit)
    if query is not None:
        query = parse_query(query)
    exclusions = None if exclude is None else _exclusions(exclude)

    documents = read_documents(source, encoding=encoding, recursive=recursive, progress=progress)
    if not len(documents):
        _write_problems_only(documents, source, folder, language, earlier)
    metadata = extract_metadata(documents, framework=framework)
    selecting = query is not None or any(v is not None for v in (period, level, forms, exclude))
    selection = None
    kept = metadata.documents
    if selecting:
        selection = select(
            metadata.documents, query, fields=fields, period=period, level=level, forms=forms,
            exclude=exclusions,
        )  # fmt: skip
        kept = selection.kept
    segmentation = segment(kept, unit=unit)
    problems = _problems(documents, metadata, segmentation, language)

    # Everything is computed (the figure drawn) before the first file is written.
    contents: dict[str, bytes] = {
        "documents.csv": _csv_bytes(_documents_table(metadata, selection, language)),
        "units.csv": _csv_bytes(segmentation.to_frame(language=language)),
    }
    rows = {"documents.csv": len(metadata.documents), "units.csv": len(segmentation.frame)}
    if selection is not None:
        table = selection.to_frame(language=language).reset_index()
        contents["selection.csv"] = _csv_bytes(table)
        rows["selection.csv"] = len(table)
        contents.update(_figure_bytes(selection, language))
    if len(problems):
        contents["problems.csv"] = _csv_bytes(problems)
        rows["problems.csv"] = len(problems)
    paths, removed = _write(folder, contents, rows, earlier)
    return Ingestion(documents, metadata, selection, segmentation, problems, paths, removed)


def _check_unit(unit: Any) -> None:
    from ..plugins import get_registry
    from .segmentation import _unit_error

    # The lookup segment() makes, made before the documents are read.
    if not isinstance(unit, str):
        raise _unit_error(unit, sorted(get_registry().segmenters()))
    try:
        get_registry().segmenter(unit)
    except LookupError:
        raise _unit_error(unit, sorted(get_registry().segmenters())) from None


def _write(
    folder: Path, contents: Mapping[str, bytes], rows: Mapping[str, int], earlier: Mapping[str, Path]
) -> tuple[dict[str, Path], tuple[Path, ...]]:
    """Write every output, or none: the folder holds one run's outputs and their manifest, never a mix.

    Each output goes to a hidden temporary file in ``folder`` first; only
    when all are written are they renamed into place, the earlier outputs
    this run does not write moved away, and the manifest, recording this
    run's id for each output, renamed last.  A failure at any point puts
    back what was moved (the old files are kept under a hidden name until
    the end) and removes the temporaries: the old outputs and manifest stay
    as they were, and the :class:`~policyquant.errors.WriteError` says so.
    """
    import uuid

    from .. import __version__
    from .._files import (
        _MANIFEST_KEY,
        MANIFEST_NAME,
        _describe_file,
        _existing_manifest,
        _fsync_folder,
        _mode_for,
        _resolve,
        _temporary_name,
        write_error,
    )

    run = uuid.uuid4().hex
    stale = [path for name, path in earlier.items() if name not in contents]
    manifest_path = folder / MANIFEST_NAME
    old_manifest = _existing_manifest(manifest_path, "; nothing was written")
    temporaries: dict[Path, Path] = {}  # target -> its new content, not yet in place
    current: tuple[str, Path] = ("", folder)

    def temporary(name: str, data: bytes) -> Path:
        target = _resolve(folder / name)
        prefix, suffix = _temporary_name(target)
        handle, made = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=target.parent)
        temporaries[target] = Path(made)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(made, _mode_for(target))
        return Path(made)

    try:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            described = {}
            for name, data in contents.items():
                current = (name, folder / name)
                described[name] = {**_describe_file(temporary(name, data), rows.get(name, 0)), "run": run}
            files: dict[str, Any] = dict(old_manifest["files"]) if old_manifest else {}
            for path in stale:
                files.pop(path.name, None)
            files.update(described)
            manifest = {
                _MANIFEST_KEY: 1,
                "about": "what policyquant wrote to this folder, so that a table cut short (by an interrupted "
                "copy) is reported when read; delete this file if you edit the tables on purpose",
                "written_by": f"policyquant {__version__}",
                "files": dict(sorted(files.items())),
            }
            current = (MANIFEST_NAME, manifest_path)
            temporary(MANIFEST_NAME, (json.dumps(manifest, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
        except OSError as error:
            raise _not_written(write_error(error, current[1], what=f"the {current[0]}" if current[0] else "", existed=False), folder, earlier) from None
        _put_in_place(folder, temporaries, stale, earlier)
    finally:
        for made in temporaries.values():
            with contextlib.suppress(OSError):
                os.unlink(made)
    _fsync_folder(folder)
    return {name: folder / name for name in contents}, tuple(stale)


def _not_written(error: WriteError, folder: Path, earlier: Mapping[str, Path], restored: bool = True) -> WriteError:
    """``error`` saying truthfully what became of the folder: its earlier outputs are as they were."""
    message = str(error).split("\n", 1)[0]
    if restored and earlier:
        message += f"; the outputs of the earlier run in {folder} and its manifest are unchanged"
    return WriteError(message, path=error.path, errno=error.errno)


def _put_in_place(folder: Path, temporaries: dict[Path, Path], stale: Sequence[Path], earlier: Mapping[str, Path]) -> None:
    """Rename the new outputs over the old (the manifest last) and move the stale ones away; all or none."""
    from .._files import write_error

    kept: list[tuple[Path, Path | None]] = []  # (target, where its old content waits), in the order done
    current = folder
    try:
        for target in stale:
            current = target
            backup = target.with_name(f".{target.name}.{os.getpid()}.old")
            os.replace(target, backup)
            kept.append((target, backup))
        for target, made in temporaries.items():
            current = target
            if not os.path.lexists(target):
                os.replace(made, target)
                kept.append((target, None))
                continue
            backup = target.with_name(f".{target.name}.{os.getpid()}.old")
            try:
                # A hard link keeps the old file in place until the new one replaces it: a file that
                # cannot be replaced (open in Excel on Windows) then needs no putting back.
                os.link(target, backup)
            except OSError:
                os.replace(target, backup)
                kept.append((target, backup))
            else:
                try:
                    os.replace(made, target)
                except BaseException:
                    with contextlib.suppress(OSError):
                        os.unlink(backup)
                    raise
                kept.append((target, backup))
                continue
            os.replace(made, target)
    except BaseException as error:
        failed = []
        for target, backup in reversed(kept):
            try:
                if backup is not None:
                    os.replace(backup, target)
                elif os.path.lexists(target):
                    os.unlink(target)
            except OSError:
                failed.append((target, backup))
        if not isinstance(error, OSError):
            raise
        shown = write_error(error, current, what="", existed=False)
        if failed:
            from .._files import write_manifest

            # The manifest is still the old one: it must not vouch for what could not be put back,
            # so that read_ingested refuses the mix.
            with contextlib.suppress(OSError, WriteError):
                write_manifest(folder, forget=[target.name for target, _ in failed])
            names = ", ".join(
                f"{target}" + (f" (its earlier content is in {backup.name})" if backup is not None else "")
                for target, backup in failed
            )
            raise WriteError(
                f"{shown}; putting back the earlier outputs failed for {names}: the folder may mix two runs; "
                "run ingest again (with --force)",
                path=current,
                errno=shown.errno,
            ) from None
        raise _not_written(shown, folder, earlier) from None
    for _, backup in kept:
        if backup is not None:
            with contextlib.suppress(OSError):
                os.unlink(backup)


def _write_problems_only(documents: Any, source: Path, folder: Path, language: str | None, earlier: Mapping[str, Path]) -> None:
    """Save why no file could be read, then say so: a folder with nothing to segment is a mistake."""
    from .metadata import extract_metadata

    empty = extract_metadata(pd.DataFrame({"doc_id": pd.Series([], dtype=object), "text": pd.Series([], dtype=object)}))
    problems = _problems(documents, empty, None, language)
    saved = ""
    if len(problems):
        _write(folder, {"problems.csv": _csv_bytes(problems)}, {"problems.csv": len(problems)}, {})
        saved = f"; why, for each file: {folder / 'problems.csv'}"
    unread = documents.unread
    first = ""
    if len(unread):
        row = unread.iloc[0]
        first = f" (first: {row['file']}: {row['problem']}; {row['expected']})" if row["expected"] else f" (first: {row['file']}: {row['problem']})"
    found = len(unread)
    error = ReadError(
        f"{source}: no document could be read: {found} file{'s' if found != 1 else ''} found, none readable"
        f"{first}{saved}",
        documents.problems,
    )
    if saved:
        # The command line's one line then says where every problem is (ingest has no --problems).
        error.saved_to = folder / "problems.csv"  # type: ignore[attr-defined]
    raise error


# -- Reading the folder back ------------------------------------------------------------------

#: Kinds of unit that are the documents' body text, coded in the template by default.
BODY_KINDS = ("clause", "preamble", "text")


def read_ingested(folder: str | PathLike[str], *, all_units: bool = False) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """The kept documents and their units from a folder :func:`ingest` wrote, ids and texts as text.

    Headers written in Chinese (``language="zh"``) are read back too.

    Parameters
    ----------
    folder : str or path-like
        The folder holding ``documents.csv`` and ``units.csv``.
    all_units : bool, default False
        Keep every unit; by default only the body text (kinds ``clause``,
        ``preamble``, ``text``) is kept, not signatures, dates, notes and
        attachments.

    Returns
    -------
    documents : pandas.DataFrame
        The documents the selection included (every one without a
        selection), without the selection's and the file's bookkeeping
        columns; indexed by their row in ``documents.csv`` (the header is
        row 1), so that a problem names the row as a spreadsheet shows it.
    units : pandas.DataFrame
        ``unit_id``, ``doc_id``, ``text`` (and ``kind``) of their units,
        indexed by their row in ``units.csv``.
    left_out : int
        The units not kept (signatures, dates ... unless ``all_units``).

    Raises
    ------
    ReadError
        When a table is missing, cut short, or written by another run of
        ingest than the other (both checked against the folder's manifest).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from policyquant.documents.pipeline import ingest, read_ingested
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "007.txt").write_text("某某办法\\n第一条 甲。\\n第二条 乙。\\n\\n某某局\\n2024年1月2日", encoding="utf-8")
    >>> _ = ingest(folder / "007.txt", folder / "out", progress=False)
    >>> documents, units, left_out = read_ingested(folder / "out")
    >>> documents["doc_id"].tolist(), units["unit_id"].tolist(), left_out
    (['007'], ['007-0-0', '007-0-1', '007-0-2'], 2)
    >>> units.index.tolist()  # the rows of units.csv
    [2, 3, 4]
    """
    from .._files import check_complete
    from ..io import read_table
    from .segmentation import _ZH_COLUMNS

    folder = Path(folder)
    paths = {name: folder / name for name in ("documents.csv", "units.csv")}
    for name, path in paths.items():
        if not path.is_file():
            raise ReadError(
                f"{folder}: no {name} in it; give the folder that `policyquant ingest` (or ingest()) wrote",
                [{"file": str(path), "problem": "not found", "expected": f"{name} written by policyquant ingest"}],
            )
    check_complete(*paths.values())
    _check_one_run(folder, paths)
    documents = read_table(paths["documents.csv"], "documents")
    units = read_table(paths["units.csv"], "units")
    back = {v: k for k, v in DOCUMENT_HEADERS_ZH.items()}
    names = {}
    for column in documents.columns:
        found = re.fullmatch(r"(.+)（建议(依据)?）", str(column))
        names[column] = f"{found.group(1)}_{'basis' if found.group(2) else 'suggested'}" if found else back.get(column, column)
    documents = documents.rename(columns=names)
    units = units.rename(columns={v: k for k, v in _ZH_COLUMNS.items()})
    if "included" in documents.columns:
        included = documents["included"].astype("string").str.strip().str.lower()
        documents = documents[included.isin(["true", "是", "1", "yes"]).to_numpy(dtype=bool)]
    # Each row keeps its row in the file (read_table's index: the header is row 1), so that a
    # problem found later names the row the researcher sees in documents.csv or units.csv.
    documents = documents.drop(columns=[c for c in _BOOKKEEPING if c in documents.columns])
    body = np.ones(len(units), dtype=bool) if all_units or "kind" not in units.columns else units["kind"].isin(BODY_KINDS).to_numpy(dtype=bool)
    kept = units[body]
    kept = kept[[c for c in ("unit_id", "doc_id", "text", "kind") if c in kept.columns]]
    documents.index.name = kept.index.name = "row"
    return documents, kept, int((~body).sum())


def _check_one_run(folder: Path, paths: Mapping[str, Path]) -> None:
    """Refuse tables that the folder's manifest records as written by different runs of :func:`ingest`.

    Without a manifest, or one listing none of the tables (copied without
    it, or deleted on purpose), there is nothing to compare.
    """
    from .._files import MANIFEST_NAME, _load_manifest

    manifest = folder / MANIFEST_NAME
    data = _load_manifest(manifest) if manifest.is_file() else None
    if data is None:
        return
    entries = {name: data["files"].get(name) for name in paths}
    listed = {name: entry.get("run") for name, entry in entries.items() if isinstance(entry, dict)}
    if not listed or (len(listed) == len(paths) and len(set(listed.values())) == 1):
        return
    unlisted = [name for name in paths if name not in listed]
    if unlisted:
        why = f"{manifest.name} lists {', '.join(listed)} but not {', '.join(unlisted)}"
    else:
        why = f"{manifest.name} records them as written by different runs"
    raise ReadError(
        f"{folder}: {' and '.join(paths)} do not come from the same run of ingest ({why}): the documents and "
        f"the units would not match; run `policyquant ingest` into this folder again (or, if you put these "
        f"tables together on purpose, delete {manifest})",
        [
            {
                "file": str(path),
                "value": listed.get(name) or "(not recorded)",
                "problem": "written by another run of ingest than the other tables",
                "expected": f"the {', '.join(paths)} of one run of ingest",
            }
            for name, path in paths.items()
        ],
    )

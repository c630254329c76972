"""Run policyquant on a Dask cluster: documents read, segmented and coded partition by partition.

The functions here take Dask collections (a :class:`dask.bag.Bag` of document
paths, a :class:`dask.dataframe.DataFrame` of documents, units or codings) and
return Dask collections of the same tables as the in-memory functions, or, for
the tabulations, the same result objects.  Each partition goes through the
in-memory code itself (:func:`policyquant.read_documents`'s reader,
:func:`policyquant.segment`, a coder's :meth:`~policyquant.coders.Coder.code`),
so a partition's rows are what the in-memory function gives for them; what
spans partitions (document ids, duplicate texts, repeated ids) is settled with
small tables of ids and hashes, never the text.  No text comes back to the
calling process unless asked for with ``compute()``.

Any Dask scheduler runs them: a :class:`distributed.Client` when one is
connected (then third-party plugins are checked on every worker before
anything runs), else Dask's local threads.  A trained coder and the documents
table are one key of the task graph that every task refers to: each worker
receives them once, never with every task.  Install with ``pip install 'policyquant[dask]'``.

Examples
--------
>>> import dask
>>> import policyquant as pq
>>> from policyquant import dask as pqd
>>> documents = pqd.read_documents(pq.datasets.example_documents_path(), files_per_partition=2)
>>> documents.frame.npartitions
5
>>> units = pqd.segment(documents)
>>> with dask.config.set(scheduler="synchronous"):
...     len(units.frame)
126
"""

from __future__ import annotations

import hashlib
import operator
import os
import warnings
from collections.abc import Sequence
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ._text import format_choices
from .errors import (
    InputTypeError,
    PluginError,
    PolicyQuantError,
    ReadError,
    UnknownFrameworkError,
    ValidationError,
    problem_table,
)

__all__ = [
    "DaskCoding",
    "DaskCorpus",
    "DaskDocumentSet",
    "DaskSegmentation",
    "agreement",
    "check_plugins",
    "code",
    "krippendorff_alpha",
    "read_documents",
    "segment",
]

#: How to install what this module needs.
INSTALL = "pip install 'policyquant[dask]'"

#: Files read by one task of :func:`read_documents` unless told otherwise.  Each partition
#: costs its tasks about 0.1-0.15 s whatever its size (a coder's patterns compiled, its tables
#: built, the scheduler's bookkeeping): 256 files of national legal texts, about 2.5 s of
#: reading, segmenting and coding, keep that under 5% (64 files made it a third).
FILES_PER_PARTITION = 256

# Joins a document id to its path in the table of text hashes: NUL is in no path, and it sorts before
# every other character, so the smallest joined value is the one of the smallest id.
_JOIN = "\x00"


def _require() -> Any:
    """:func:`dask.delayed`, or one ReadError naming the extra that installs Dask."""
    try:
        import dask.dataframe  # noqa: F401 - the DataFrames need it, and pandas' pyarrow
        from dask import delayed
    except ImportError:
        raise ReadError(
            f"policyquant.dask needs the optional packages dask and distributed: {INSTALL}",
            [{"value": "dask", "problem": "optional package not installed", "expected": INSTALL}],
        ) from None
    return delayed


def _client() -> Any:
    """The distributed client in use, or None (Dask's local schedulers)."""
    try:
        from distributed import get_client
    except ImportError:
        return None
    try:
        return get_client()
    except ValueError:
        return None


def _is_dask_frame(value: Any) -> bool:
    try:
        import dask.dataframe as dd
    except ImportError:
        return False
    return isinstance(value, dd.DataFrame)


# -- Plugins on the workers -------------------------------------------------------------------------


def _worker_plugin_problems(wanted: list[tuple[str, str, str, str]]) -> list[str]:
    """On a worker: why each of ``wanted`` (kind, name, plugin, source) is not available there, if it is not.

    Runs in the worker's process through :meth:`distributed.Client.run`: it loads the
    worker's own plugins (third-party ones from its own entry points) and looks each
    name up as the caller would.
    """
    from .plugins import get_registry

    registry = get_registry()
    with warnings.catch_warnings():
        # A plugin that fails here is reported to the caller below, not in the worker's log.
        warnings.simplefilter("ignore")
        try:
            registry.load()
        except PolicyQuantError as error:
            return [f"{kind} {name!r}: the worker's plugins do not load ({error})" for kind, name, _, _ in wanted]
    failures = {failure.plugin: failure for failure in registry._failures}
    problems = []
    for kind, name, plugin, source in wanted:
        if kind == "framework":
            available = name in registry._entries
        elif kind == "segmenter":
            available = name in registry._segmenters
        else:
            available = name in registry._coders
        if available:
            continue
        if plugin in failures:
            why = f"it failed at {failures[plugin].stage} there: {failures[plugin].error}"
        elif source == "runtime":
            why = "it was registered at run time in the calling process only (register it on the workers too, or install it)"
        else:
            why = f"it is not installed there (no entry point {plugin!r} in the group 'policyquant')"
        problems.append(f"{kind} {name!r} of plugin {plugin!r} ({source}): {why}")
    return problems


def _third_party(frameworks: Sequence[Any] = (), segmenters: Sequence[str] = (), coders: Sequence[str] = ()) -> list[tuple[str, str, str, str]]:
    """(kind, name, plugin, source) of each framework, segmenter and coder that a third-party plugin provides."""
    from .plugins import get_registry

    registry = get_registry()
    wanted = []
    for framework in frameworks:
        try:
            entry = registry.entry(framework, load_entry_points=False)
        except UnknownFrameworkError:
            continue  # a framework object no plugin registered (a TOML file, say) travels to the workers whole
        if not entry.builtin:
            wanted.append(("framework", entry.framework.name, entry.plugin, registry._sources.get(entry.plugin, ("runtime", False))[0]))
    for kind, names, table in (("segmenter", segmenters, registry.segmenters()), ("coder", coders, registry.coders())):
        for name in names:
            plugin = table.get(name)
            if plugin is None:
                continue
            source, builtin = registry._sources.get(plugin, ("runtime", False))
            if not builtin:
                wanted.append((kind, name, plugin, source))
    return wanted


def check_plugins(
    client: Any = None,
    *,
    frameworks: Sequence[Any] = (),
    segmenters: Sequence[str] = (),
    coders: Sequence[str] = (),
) -> None:
    """Check that every worker of a cluster has the third-party plugins a computation needs.

    The functions of this module call it before they build anything; call it
    yourself after adding workers.  The built-in frameworks, segmenters and
    coders need no check.  A worker lacking a plugin would otherwise fail in
    the middle of the computation with a traceback about unpickling a module
    it cannot import.

    Parameters
    ----------
    client : distributed.Client, optional
        The cluster's client; by default the one in use.  Without one (Dask's
        local schedulers run in this process) there is nothing to check.
    frameworks : sequence of str or Framework
        Frameworks by name or alias, or as objects.
    segmenters, coders : sequence of str
        Registered names of segmenters (``unit=``) and coders.

    Raises
    ------
    PluginError
        Naming, for every worker that lacks one, the worker's address, the
        framework, segmenter or coder, its plugin and entry point, and why
        (not installed there, or its import failed there, with the error).

    Examples
    --------
    >>> from policyquant import dask as pqd
    >>> pqd.check_plugins(frameworks=["wang2026"], segmenters=["article"], coders=["dictionary"])
    """
    wanted = _third_party(frameworks, segmenters, coders)
    client = _client() if client is None else client
    if not wanted or client is None:
        return
    answers = client.run(_worker_plugin_problems, wanted)
    lines = [f"worker {address}: {problem}" for address, problems in sorted(answers.items()) for problem in problems]
    if lines:
        raise PluginError(
            f"{len({line.split(': ', 1)[0] for line in lines})} of {len(answers)} Dask worker(s) cannot use "
            "what this computation needs; install the plugin in the workers' environment "
            "(the same packages as here):\n  " + "\n  ".join(lines)
        )


# -- Reading ----------------------------------------------------------------------------------------


class DaskDocumentSet:
    """Documents read by :func:`read_documents`, partition by partition; nothing is read until computed.

    Attributes
    ----------
    frame : dask.dataframe.DataFrame
        The documents, columns and types of
        :attr:`policyquant.documents.DocumentSet.frame`, in ``doc_id`` order
        (partitions of consecutive ids).
    problems : dask.dataframe.DataFrame
        One partition: the problems of :attr:`DocumentSet.problems`, in the
        order :func:`policyquant.read_documents` gives them.
    source : str
        What was read.

    Examples
    --------
    >>> import policyquant as pq
    >>> from policyquant import dask as pqd
    >>> documents = pqd.read_documents(pq.datasets.example_documents_path())
    >>> documents
    DaskDocumentSet(9 files in 1 partition from ...)
    >>> documents.compute().frame["format"].tolist()
    ['docx', 'html', 'text', 'text', 'text', 'text', 'text', 'text', 'markdown']
    """

    def __init__(self, frame: Any, problems: Any, source: str, files: int) -> None:
        self.frame = frame
        # Whether each problem's file is not among the documents travels with the problems.
        self._problems = problems
        self.problems = problems.drop(columns="_unread")
        self.source = source
        self.files = files

    def compute(self, **kwargs: Any) -> Any:
        """The :class:`~policyquant.documents.DocumentSet` that :func:`policyquant.read_documents` returns.

        The text of every document comes to this process: for corpora that
        fit in its memory.  Keyword arguments go to :func:`dask.compute`.
        """
        import dask

        from .documents.reading import DocumentSet

        frame, problems = dask.compute(self.frame, self._problems, **kwargs)
        unread = problems.pop("_unread").rename(None)
        duplicates = int(frame["duplicate_of"].notna().sum())
        if duplicates:
            warnings.warn(
                f"{duplicates} document{'s have' if duplicates != 1 else ' has'} the same text as another "
                "(see .duplicates and the column duplicate_of; none was dropped)",
                UserWarning,
                stacklevel=2,
            )
        return DocumentSet(frame.reset_index(drop=True), problems, self.source, unread)

    def persist(self, **kwargs: Any) -> DaskDocumentSet:
        """The same documents, read once and kept in the workers' memory (:func:`dask.persist`).

        Then the steps that follow (segmenting, and the problems) do not read the files again.
        """
        import dask

        frame, problems = dask.persist(self.frame, self._problems, **kwargs)
        return DaskDocumentSet(frame, problems, self.source, self.files)

    def __repr__(self) -> str:
        count = self.frame.npartitions
        return f"DaskDocumentSet({self.files:,} file{'s' * (self.files != 1)} in {count:,} partition{'s' * (count != 1)} from {self.source})"


def _check_count(name: str, value: Any, function: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValidationError(
            f"{function}: {name} must be a whole number of 1 or more, got {value!r}",
            [{"column": name, "value": repr(value), "problem": "not a whole number of 1 or more", "expected": "1, 2, 3 ..."}],
        )
    return int(value)


def _found_from_paths(paths: list[Any], root: str | PathLike[str] | None) -> tuple[list[Any], list[dict[str, Any]], str]:
    """The files of a list of paths, named relative to ``root`` (by default the folder they share)."""
    from .documents.reading import _Found

    found, skipped = [], []
    bad = [p for p in paths if not isinstance(p, (str, PathLike))]
    if bad:
        raise InputTypeError(
            f"read_documents: the bag holds {type(bad[0]).__name__} values; it must hold paths of document files",
            [{"value": repr(bad[0])[:80], "problem": "not a path", "expected": "a str or pathlib.Path"}],
        )
    files = [Path(p) for p in paths]
    if root is None:
        parents = [str(f.absolute().parent) for f in files]
        base = Path(os.path.commonpath(parents)) if parents else Path(".")
    else:
        base = Path(root)
    shown_root = str(root) if root is not None else str(base)
    for file in files:
        try:
            relative = file.absolute().relative_to(base.absolute()).as_posix()
        except ValueError:
            skipped.append({"file": str(file), "problem": f"not read: not inside the root folder {shown_root}", "expected": "give a root= that holds every file"})
            continue
        if not file.is_file():
            problem = "not read: a folder (give the files in it)" if file.is_dir() else "not read: no such file"
            skipped.append({"file": str(file), "problem": problem, "expected": "paths of document files"})
            continue
        found.append(_Found(file, f"{shown_root}/{relative}", relative))
    order = sorted(range(len(found)), key=lambda i: found[i].relative)
    return [found[i] for i in order], skipped, shown_root


def read_documents(
    source: Any,
    *,
    root: str | PathLike[str] | None = None,
    format: str | None = None,
    encoding: str | None = None,
    recursive: bool = True,
    files_per_partition: int = FILES_PER_PARTITION,
) -> DaskDocumentSet:
    """Read policy documents on the workers, ``files_per_partition`` files per task.

    The same documents, ids, texts, duplicates and problems as
    :func:`policyquant.read_documents`: each task reads its files with that
    function's reader.  The list of files (their paths, not their text) is
    made here, so that every document gets the id it gets in memory; the
    workers must see the files at the same paths (a shared or network file
    system on a cluster).

    Parameters
    ----------
    source : str, path-like or dask.bag.Bag
        A folder (or one file) of documents, or a bag of paths of document
        files.  A .zip archive is not read on a cluster: unpack it into a
        folder the workers can read (a .zip inside the folder is reported as
        not read).
    root : str or path-like, optional
        For a bag: the folder the ids are relative to (by default the folder
        the files share); ``read_documents(bag_of_files, root=folder)`` gives
        the ids of ``policyquant.read_documents(folder)``.
    format, encoding, recursive
        As for :func:`policyquant.read_documents`.
    files_per_partition : int, default 256
        Files read by one task: the documents table has one partition per
        task.

    Returns
    -------
    DaskDocumentSet
        Its ``compute()`` is the :class:`~policyquant.documents.DocumentSet`
        of :func:`policyquant.read_documents`.

    Raises
    ------
    ReadError
        When ``source`` does not exist or is a .zip, or (on the workers) a
        format found needs a package that is not installed there.
    ValidationError
        For an unknown ``format`` or ``encoding``, or a bad ``files_per_partition``.

    Examples
    --------
    >>> import dask.bag as db
    >>> import policyquant as pq
    >>> from policyquant import dask as pqd
    >>> folder = pq.datasets.example_documents_path()
    >>> paths = db.from_sequence(sorted(str(p) for p in folder.iterdir()), npartitions=2)
    >>> documents = pqd.read_documents(paths, root=folder, files_per_partition=4)
    >>> documents.frame["doc_id"].compute().tolist()[:2]
    ['algorithm_governance_regulation', 'beijing_agi_action_plan']
    """
    delayed = _require()
    import dask.bag as db

    from .documents.reading import _check_arguments, _document_ids_reported, _Found, _walk

    per_partition = _check_count("files_per_partition", files_per_partition, "read_documents")
    if isinstance(source, db.Bag):
        probe = Path(root) if root is not None else Path(".")
        _, format = _check_arguments(probe, format, encoding, recursive, False)
        found, skipped, shown = _found_from_paths(list(source.compute()), root)
    else:
        path, format = _check_arguments(source, format, encoding, recursive, False)
        shown = str(path)
        found, skipped = [], []
        if path.is_dir():
            # No scratch folder: an archive would be unpacked here, where the workers may not see it.
            _walk(path, str(path), "", recursive, found, skipped, None)
            for problem in skipped:
                if problem["problem"] == "not read: a zip archive inside a zip archive":
                    problem["problem"] = "not read: a zip archive (policyquant.dask reads files, not archives)"
                    problem["expected"] = "unpack it into the folder, where the workers can read its files"
        elif path.suffix.lower() == ".zip":
            raise ReadError(
                f"{path}: policyquant.dask does not read .zip archives",
                [{"file": str(path), "problem": "a zip archive", "expected": "unpack it into a folder the workers can read, and read the folder"}],
            )
        else:
            found.append(_Found(path, str(path), path.name))
    ids, renamed = _document_ids_reported(found)
    # Ids changed from their file names (spaces, Unicode form, a collision, a formula), reported as in
    # memory: before the file's other problems.
    renamings = [((position, -1, 0), problem, unread) for position, problem, unread in renamed]
    rows = sorted(
        ((ids[position], position, str(item.disk), item.shown, item.relative) for position, item in enumerate(found)),
    )
    chunks = [rows[start : start + per_partition] for start in range(0, len(rows), per_partition)] or [[]]
    read = [delayed(_read_chunk, pure=True)(chunk, format, encoding) for chunk in chunks]
    hashes = _from_delayed([delayed(_hashes)(part) for part in read], meta=_HASH_META)
    counts = hashes.groupby("key").agg({"first": "min", "key": "count"}, split_out=1)
    # One row per text found more than once, sent to every task: tiny unless the corpus is mostly copies.
    repeated = counts[counts["key"] > 1].to_delayed()[0]
    # Split into ids and paths once, in one task: every task gets the same table (one key of the
    # graph), and its hash index is built once per worker, however many tasks look it up.
    originals = delayed(_originals, pure=True)(repeated)
    marked = [delayed(_mark_duplicates, pure=True)(part, originals) for part in read]
    frame = _from_delayed([delayed(_first)(part) for part in marked], meta=_documents_meta())
    gathered = delayed(_gather_problems, pure=True)(skipped, [delayed(_second)(part) for part in marked], renamings)
    problems = _from_delayed([gathered], meta=problem_table([]).assign(_unread=pd.Series([], dtype=bool)))
    return DaskDocumentSet(frame, problems, shown, len(found))


def _from_delayed(parts: list[Any], meta: pd.DataFrame) -> Any:
    """A Dask DataFrame of delayed partitions whose columns keep the types of ``meta``.

    Dask converts object columns to Arrow strings by default ("dataframe.convert-string"):
    the tuples of an ``objectives`` column would become their repr.
    """
    import dask
    import dask.dataframe as dd

    with dask.config.set({"dataframe.convert-string": False}):
        return dd.from_delayed(parts, meta=meta, verify_meta=False)


def _first(pair: tuple[Any, Any]) -> Any:
    return pair[0]


def _second(pair: tuple[Any, Any]) -> Any:
    return pair[1]


_HASH_META = pd.DataFrame({"key": pd.Series([], dtype="str"), "first": pd.Series([], dtype="str")})


def _documents_meta() -> pd.DataFrame:
    from .documents.reading import _frame

    return _frame([], [], {})


def _read_chunk(chunk: list[tuple[str, int, str, str, str]], format: str | None, encoding: str | None) -> tuple[pd.DataFrame, list[tuple[tuple[int, int, int], dict[str, Any], bool]]]:
    """Read one partition's files with :func:`policyquant.read_documents`' reader, in this process.

    Returns the documents (with a ``_key`` column: the hash of the text, whitespace
    aside, that finds duplicates) and the problems, each with the key that puts it
    where :func:`policyquant.read_documents` lists it.
    """
    from .documents.reading import _check_libraries, _format_for, _Found, _frame, _read_one

    found = [_Found(Path(disk), shown, relative) for _, _, disk, shown, relative in chunk]
    ids = [doc_id for doc_id, *_ in chunk]
    positions = [position for _, position, *_ in chunk]
    jobs, problems = [], []
    for local, item in enumerate(found):
        chosen, problem = _format_for(item, format)
        if problem is not None:
            problems.append(((positions[local], 0, 0), problem, True))
        else:
            jobs.append((local, chosen))
    _check_libraries({chosen for _, chosen in jobs})
    results: dict[int, dict[str, Any]] = {}
    for local, chosen in jobs:
        # Read here, not in a pool of processes: the cluster's workers are the parallelism.
        status, value = _read_one(str(found[local].disk), chosen, encoding, None)
        if status == "ok":
            results[local] = value
            for problem, expected in value.pop("notes", None) or []:
                problems.append(((positions[local], 1, 0), {"file": found[local].shown, "problem": problem, "expected": expected}, False))
        else:
            problem, expected, shown_value = value
            problems.append(((positions[local], 0, 0), {"file": found[local].shown, "value": shown_value, "problem": problem, "expected": expected}, True))
    frame = _frame(found, ids, results)
    frame["duplicate_of"] = pd.array([None] * len(frame), dtype="str")
    frame["_key"] = pd.array([hashlib.sha256("".join(text.split()).encode("utf-8")).hexdigest() for text in frame["text"].tolist()], dtype="str")
    position_of = dict(zip(ids, positions, strict=True))
    frame["_position"] = np.array([position_of[doc_id] for doc_id in frame["doc_id"].tolist()], dtype=np.int64)
    return frame, problems


def _hashes(part: tuple[pd.DataFrame, Any]) -> pd.DataFrame:
    frame = part[0]
    return pd.DataFrame({"key": frame["_key"], "first": frame["doc_id"] + _JOIN + frame["path"]}).astype("str")


def _originals(counts: pd.DataFrame) -> pd.DataFrame:
    """The first document of each text found more than once, by the text's key: ``doc_id`` and ``path``."""
    parts = counts["first"].astype("str").str.split(_JOIN, n=1, expand=True, regex=False)
    if parts.shape[1] < 2:  # no text repeated: no column to split into
        parts = pd.DataFrame({0: pd.Series([], dtype="str"), 1: pd.Series([], dtype="str")})
    return pd.DataFrame(
        {"doc_id": parts[0].to_numpy(), "path": parts[1].to_numpy()}, index=pd.Index(counts.index, dtype="str")
    ).astype("str")


def _mark_duplicates(part: tuple[pd.DataFrame, Any], originals: pd.DataFrame) -> tuple[pd.DataFrame, list[Any]]:
    """Set ``duplicate_of`` from the corpus-wide table of repeated texts, and report each duplicate."""
    frame, problems = part
    frame = frame.copy()
    problems = list(problems)
    where = originals.index.get_indexer(frame["_key"])
    found = where >= 0
    original = np.full(len(frame), None, dtype=object)
    original[found] = originals["doc_id"].to_numpy(dtype=object)[where[found]]
    is_duplicate = found & (original != frame["doc_id"].to_numpy(dtype=object))
    frame.loc[is_duplicate, "duplicate_of"] = original[is_duplicate]
    # One problem per duplicate, as policyquant.read_documents lists it: a loop over the
    # duplicates of this partition only (the problems are records, one per document).
    rows = np.flatnonzero(is_duplicate)
    for doc_id, path, position, original_id, original_path in zip(
        frame["doc_id"].to_numpy(dtype=object)[rows],
        frame["path"].to_numpy(dtype=object)[rows],
        frame["_position"].to_numpy()[rows],
        original[rows],
        originals["path"].to_numpy(dtype=object)[where[rows]],
        strict=True,
    ):
        problems.append(
            (
                (int(position), 1, 1),
                {
                    "file": path,
                    "value": doc_id,
                    "problem": f"read; the same text as {original_id!r} ({original_path}): a duplicate (both kept)",
                    "expected": "if they are one document, leave one out (e.g. documents.frame[documents.frame.duplicate_of.isna()])",
                },
                False,
            )
        )
    return frame.drop(columns=["_key", "_position"]), problems


def _gather_problems(
    skipped: list[dict[str, Any]], parts: list[list[Any]], renamings: Sequence[Any] = ()
) -> pd.DataFrame:
    """Every partition's problems in the order of :func:`policyquant.read_documents`: skipped files first, then by file.

    ``renamings``: the files whose ids differ from their names, each keyed before its file's other problems.
    """
    entries = sorted([*renamings, *(entry for part in parts for entry in part)], key=lambda entry: entry[0])
    rows = skipped + [problem for _, problem, _ in entries]
    unread = [True] * len(skipped) + [flag for _, _, flag in entries]
    return problem_table(rows).assign(_unread=np.array(unread, dtype=bool))


# -- Segmenting -------------------------------------------------------------------------------------


class DaskSegmentation:
    """The units :func:`segment` cut documents into, partition by partition.

    Attributes
    ----------
    frame : dask.dataframe.DataFrame
        The units table of :class:`~policyquant.documents.Segmentation`
        (columns, types and order), one partition per partition of documents.
    problems : dask.dataframe.DataFrame
        Its problems, in one partition, in the order of :func:`policyquant.segment`.
    headings : dask.dataframe.DataFrame
        Its headings, partition by partition.
    unit : str
        The unit.

    Examples
    --------
    >>> import pandas as pd, dask.dataframe as dd
    >>> from policyquant import dask as pqd
    >>> documents = dd.from_pandas(pd.DataFrame({"doc_id": ["D1", "D2"], "text": ["第一条 甲。", "第一条 乙。\\n第三条 丙。"]}), npartitions=2)
    >>> result = pqd.segment(documents)
    >>> result.frame["unit_id"].compute().tolist()
    ['D1-0-1', 'D2-0-1', 'D2-0-3']
    >>> result.compute()
    Segmentation(unit='article', documents=2, units=3, problems=1)
    """

    def __init__(self, frame: Any, problems: Any, headings: Any, unit: str, documents: Any) -> None:
        self.frame = frame
        self.problems = problems
        self.headings = headings
        self.unit = unit
        self._documents = documents

    def to_frame(self) -> Any:
        """The units table (a Dask DataFrame)."""
        return self.frame

    def compute(self, **kwargs: Any) -> Any:
        """The :class:`~policyquant.documents.Segmentation` of :func:`policyquant.segment` (every unit's text comes here)."""
        import dask

        from .documents.segmentation import Segmentation

        frame, problems, headings, documents = dask.compute(self.frame, self.problems, self.headings, self._documents, **kwargs)
        return Segmentation(frame.reset_index(drop=True), problems.reset_index(drop=True), self.unit, int(documents), headings.reset_index(drop=True))

    def persist(self, **kwargs: Any) -> DaskSegmentation:
        """The same units, cut once and kept in the workers' memory (:func:`dask.persist`)."""
        import dask

        frame, problems, headings, documents = dask.persist(self.frame, self.problems, self.headings, self._documents, **kwargs)
        return DaskSegmentation(frame, problems, headings, self.unit, documents)

    def __repr__(self) -> str:
        count = self.frame.npartitions
        return f"DaskSegmentation(unit={self.unit!r}, {count:,} partition{'s' * (count != 1)})"


def _segment_meta(unit: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Empty units, problems and headings tables with the columns and types that ``unit`` gives."""
    from .documents.segmentation import segment as segment_here

    sample = pd.DataFrame({"doc_id": ["D"], "text": ["第一章 总则\n第一条 甲：\n（一）乙；\n（二）丙。\n第三条 丁。"]})
    result = segment_here(sample, unit=unit)
    return result.frame.iloc[:0], result.problems.iloc[:0], result.headings.iloc[:0]


def _typed(frame: pd.DataFrame, meta: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the types of ``meta`` (a partition without units has untyped empty columns)."""
    if list(frame.columns) != list(meta.columns):
        raise PluginError(
            f"segment: a partition's table has the columns {format_choices(map(str, frame.columns))}, "
            f"where another has {format_choices(map(str, meta.columns))}; a segmenter must give the same columns for every document"
        )
    if len(frame) == 0:
        return meta.copy()
    return frame.astype(meta.dtypes.to_dict())


def _segment_partition(documents: pd.DataFrame, unit: str, metas: tuple[pd.DataFrame, ...], repeated: Any) -> tuple[pd.DataFrame, ...]:
    from .documents.segmentation import segment as segment_here

    if repeated is not None and len(repeated):
        _repeated_error("segment", "doc_id", repeated, "unit ids are built from it, so each document needs its own")
    result = segment_here(documents, unit=unit)
    return tuple(_typed(table, meta) for table, meta in zip((result.frame, result.problems, result.headings), metas, strict=True))


def _repeated_error(function: str, column: str, repeated: pd.Series, why: str) -> None:
    names = sorted(map(str, repeated.index))
    raise ValidationError(
        f"{function}: {column} {', '.join(map(repr, names[:10]))} is used in more than one row; {why}",
        [{"column": column, "value": name, "problem": f"repeated ({int(repeated[name])} rows)", "expected": f"a unique {column}"} for name in names],
    )


def _repeated(frame: Any, column: str, *, as_corpus: bool = False) -> Any:
    """A delayed Series: the values of ``column`` in more than one row (counted per partition, then combined).

    The counts are hashed into one output partition per :data:`SPLIT_EVERY` input
    partitions, so no worker holds every id; only the repeated ones (usually none) are
    brought together.  ``as_corpus`` counts the ids as :class:`~policyquant.Corpus`
    compares them (:func:`_id_keys`: stripped, in NFC; blank ones not counted), the
    Series then indexed by those keys; :func:`policyquant.segment` and a coder compare
    ids exactly, as they are.
    """
    from dask import delayed

    from .corpus import TEXT

    values = frame[column]
    if as_corpus:
        values = values.map_partitions(_counted_keys, meta=pd.Series([], dtype=TEXT, name=column))
    counts = values.value_counts(split_out=max(1, frame.npartitions // SPLIT_EVERY))
    return delayed(_concat_repeated, pure=True)(counts[counts > 1].to_delayed())


def _id_keys(ids: pd.Series) -> tuple[Any, Any]:
    """Ids as :class:`~policyquant.Corpus` compares them, as pyarrow arrays: ``(stripped, keys)``.

    ``stripped`` is each id without the white space around it (the id the corpus keeps
    and reports); ``keys`` is that id in NFC: an id typed as ``é`` on one system and as
    ``e`` and a combining accent on another names the same clause.  Stripping is one
    pyarrow pass; ASCII ids are in NFC already, so only the others (usually none) are
    normalised in Python, once per distinct id.  Missing ids stay missing, blank ones
    empty; a number keeps its text form (``1.0``), as the corpus keeps it.

    Examples
    --------
    >>> import pandas as pd
    >>> from policyquant.dask import _id_keys
    >>> stripped, keys = _id_keys(pd.Series([" N01-1-1 ", "Cafe\\u0301-1-1", None]))
    >>> stripped.to_pylist() == ["N01-1-1", "Cafe\\u0301-1-1", None], keys.to_pylist() == ["N01-1-1", "Caf\\u00e9-1-1", None]
    (True, True)
    """
    import unicodedata

    import pyarrow as pa
    import pyarrow.compute as pc

    from .corpus import _WHITESPACE, TEXT, _arrow_storage

    arrow = _arrow_storage(ids)
    if arrow is None:
        arrow = _arrow_storage(ids.astype(TEXT))
    if isinstance(arrow, pa.ChunkedArray):
        arrow = arrow.combine_chunks()
    stripped = pc.utf8_trim(arrow, characters=_WHITESPACE)
    other = pc.invert(pc.string_is_ascii(stripped))
    if not pc.any(other).as_py():
        return stripped, stripped
    other = pc.fill_null(other, False)
    values = stripped.filter(other).to_pylist()
    normal = {value: unicodedata.normalize("NFC", value) for value in set(values)}
    keys = pc.replace_with_mask(stripped, other, pa.array([normal[value] for value in values], type=stripped.type))
    return stripped, keys


def _counted_keys(ids: pd.Series) -> pd.Series:
    """The keys (:func:`_id_keys`) of the ids present: a blank or missing id is no id to repeat (the corpus reports it)."""
    import pyarrow.compute as pc

    from .corpus import TEXT

    _, keys = _id_keys(ids)
    # filter() drops the missing ids with the blank ones.
    return pd.Series(pd.array(keys.filter(pc.greater(pc.binary_length(keys), 0)), dtype=TEXT), name=ids.name)


class _RepeatedIdsError(ValidationError):
    """Unit ids in more than one row (counted, not yet found): a tabulation's tasks raise it, and the
    calling process answers it with the rows of every use (:meth:`DaskCorpus._duplicates`)."""

    def __init__(self, summary: str, problems: Any, repeated: pd.Series) -> None:
        super().__init__(summary, problems)
        self.repeated = repeated


def _repeated_rows(ids: pd.Series, keys: Any, number: int) -> pd.DataFrame:
    """Partition ``number``'s uses of ``keys`` (:func:`_id_keys`): its name, the row within it, the id, its key."""
    import pyarrow as pa
    import pyarrow.compute as pc

    stripped, found = _id_keys(ids)
    hit = pc.fill_null(pc.is_in(found, value_set=pa.array(keys, type=found.type)), False)
    rows = np.flatnonzero(hit.to_numpy(zero_copy_only=False))
    return pd.DataFrame(
        {
            "file": f"units, partition {number}",
            # Rows counted from 1 within the partition, as an invalid clause's are.
            "row": rows + 1,
            "value": np.asarray(stripped.filter(hit).to_pylist(), dtype=object),
            "key": np.asarray(found.filter(hit).to_pylist(), dtype=object),
        }
    )


def _concat_repeated(parts: list[pd.Series]) -> pd.Series:
    return pd.concat(parts) if parts else pd.Series([], dtype=np.int64)


def segment(documents: Any, *, unit: str = "article") -> DaskSegmentation:
    """Cut documents into numbered units on the workers, partition by partition: :func:`policyquant.segment` on each.

    A document is never split between partitions, so the units are those of
    :func:`policyquant.segment`, in the same order.

    Parameters
    ----------
    documents : DaskDocumentSet or dask.dataframe.DataFrame
        The documents (:func:`read_documents`), or a Dask DataFrame with
        ``doc_id`` and ``text``.  The ids of a DataFrame are checked to be
        unique across partitions (a pass over ``doc_id`` only) before any
        document is cut.
    unit : str, default "article"
        As for :func:`policyquant.segment`.

    Returns
    -------
    DaskSegmentation

    Raises
    ------
    ValidationError
        As :func:`policyquant.segment` does (unknown unit, missing column,
        repeated ``doc_id``: raised when computed).
    PluginError
        When ``unit`` is a third-party segmenter that a worker cannot load
        (see :func:`check_plugins`).

    Examples
    --------
    >>> import policyquant as pq
    >>> from policyquant import dask as pqd
    >>> units = pqd.segment(pqd.read_documents(pq.datasets.example_documents_path(), files_per_partition=3), unit="item")
    >>> units.frame[["unit_id", "item"]].head(2)
                                     unit_id  item
    0    algorithm_governance_regulation-0-0  <NA>
    1  algorithm_governance_regulation-1-1-0     0
    """
    delayed = _require()
    from .documents.segmentation import _BuiltinSegmenter, _unit_error
    from .plugins import get_registry

    if not isinstance(unit, str) or unit not in get_registry().segmenters():
        raise _unit_error(unit, sorted(get_registry().segmenters()))
    check_plugins(segmenters=[unit])
    if isinstance(documents, DaskDocumentSet):
        frame, repeated = documents.frame, None  # ids made unique by read_documents
    elif _is_dask_frame(documents):
        missing = [c for c in ("doc_id", "text") if c not in documents.columns]
        if missing:
            raise ValidationError(
                f"segment: the documents have no column {', '.join(map(repr, missing))}",
                [{"column": c, "problem": "missing required column", "expected": f"a column {c!r}"} for c in missing],
            )
        frame, repeated = documents, _repeated(documents, "doc_id")
    else:
        raise InputTypeError(
            f"policyquant.dask.segment takes the result of policyquant.dask.read_documents or a Dask DataFrame "
            f"with doc_id and text, got {type(documents).__name__} (use policyquant.segment for documents in memory)",
            [{"value": type(documents).__name__, "problem": "not a Dask collection of documents", "expected": "a DaskDocumentSet or a dask.dataframe.DataFrame"}],
        )
    metas = _segment_meta(unit)
    parts = [delayed(_segment_partition, pure=True)(part, unit, metas, repeated) for part in frame.to_delayed()]
    units = _from_delayed([delayed(operator.getitem)(part, 0) for part in parts], meta=metas[0])
    builtin = isinstance(get_registry().segmenter(unit), _BuiltinSegmenter)
    problems = delayed(_gather_segment_problems, pure=True)([delayed(operator.getitem)(part, 1) for part in parts], metas[1], builtin)
    headings = _from_delayed([delayed(operator.getitem)(part, 2) for part in parts], meta=metas[2])
    return DaskSegmentation(units, _from_delayed([problems], meta=metas[1]), headings, unit, frame.shape[0])


#: The levels whose numbering the built-in segmenters check, in the order they list their problems.
_NUMBERED_LEVELS = ("part", "subpart", "chapter", "section", "article", "item")
#: Problems of a whole document, listed after every numbering problem.
_DOCUMENT_PROBLEMS = ("empty", "unstructured", "article without space")


def _gather_segment_problems(parts: list[pd.DataFrame], meta: pd.DataFrame, builtin: bool) -> pd.DataFrame:
    """Every partition's problems in one table, in the order of :func:`policyquant.segment`.

    The built-in segmenters list, each document by document: the numbers they cannot
    read, then the numbering problems level by level (parts first, items last), then the
    empty and unstructured documents.  A plugin's problems come document by document.
    Partitions hold consecutive documents, so a stable sort on that group restores the order.
    """
    frame = pd.concat([meta, *parts], ignore_index=True) if parts else meta.copy()
    if builtin and len(frame):
        level = frame["level"].map({name: number for number, name in enumerate(_NUMBERED_LEVELS, start=1)})
        group = np.where(
            frame["problem"].eq("unreadable number").to_numpy(dtype=bool),
            0,
            np.where(frame["problem"].isin(_DOCUMENT_PROBLEMS).to_numpy(dtype=bool), len(_NUMBERED_LEVELS) + 1, level.fillna(0).to_numpy()),
        )
        frame = frame.iloc[np.argsort(group, kind="stable")].reset_index(drop=True)
    return frame.astype(meta.dtypes.to_dict())


# -- Coding -----------------------------------------------------------------------------------------


class DaskCoding:
    """The codes a machine coder gave units on the workers (:func:`code`): the tables of its :class:`~policyquant.coders.MachineCorpus`.

    Attributes
    ----------
    units : dask.dataframe.DataFrame
        :attr:`MachineCorpus.units <policyquant.Corpus.units>`: one row per
        coded clause (``unit_id``, ``doc_id``, ``text``, ``instrument``,
        ``objectives`` as tuples, the unit scores, ``coder``).
    not_coded : dask.dataframe.DataFrame
        The clauses the coder coded ``none`` (:attr:`policyquant.Corpus.not_coded`).
    codings : dask.dataframe.DataFrame
        One row per clause and objective (:attr:`policyquant.Corpus.codings`).
    uncoded : dask.dataframe.DataFrame
        The units the coder could not code, and why
        (:attr:`MachineCorpus.uncoded <policyquant.coders.MachineCorpus>`).
    all_units : dask.dataframe.DataFrame
        :meth:`policyquant.Corpus.all_units`: the coded clauses, then those
        coded ``none``, as a coding sheet holds them (what
        :class:`DaskCorpus` takes).
    coder : str
        The coder's name.
    framework : Framework

    Examples
    --------
    >>> import pandas as pd, dask.dataframe as dd
    >>> import policyquant as pq
    >>> from policyquant import dask as pqd
    >>> units = dd.from_pandas(pd.DataFrame({"unit_id": ["u1", "u2"], "doc_id": ["D", "D"],
    ...                                      "text": ["制定行业标准和技术规范。", "今天天气很好。"]}), npartitions=2)
    >>> coded = pqd.code(units, pq.Dictionary.starter("wang2026"))
    >>> coded.units[["unit_id", "instrument"]].compute().to_numpy().tolist()
    [['u1', 'standards_and_norms']]
    >>> coded.uncoded["unit_id"].compute().unique().tolist()
    ['u2']
    """

    def __init__(self, tables: dict[str, Any], coder: str, framework: Any, *, unique_ids: bool = False) -> None:
        # True when the units came from segment(): their ids are unique by construction, so a
        # DaskCorpus of these codes need not count them again.
        self._unique_ids = unique_ids
        self.units = tables["units"]
        self.not_coded = tables["not_coded"]
        self.codings = tables["codings"]
        self.uncoded = tables["uncoded"]
        self.all_units = tables["all_units"]
        self.coder = coder
        self.framework = framework

    def persist(self, **kwargs: Any) -> DaskCoding:
        """The same codes, computed once and kept in the workers' memory (:func:`dask.persist`).

        Worth it before several analyses of the codes: each would code the units again.
        """
        import dask

        tables = dict(zip(_CODING_TABLES, dask.persist(*(getattr(self, name) for name in _CODING_TABLES), **kwargs), strict=True))
        return DaskCoding(tables, self.coder, self.framework, unique_ids=self._unique_ids)

    def __repr__(self) -> str:
        count = self.units.npartitions
        return f"DaskCoding(coder={self.coder!r}, framework={self.framework.name!r}, {count:,} partition{'s' * (count != 1)})"


_CODING_TABLES = ("units", "not_coded", "codings", "uncoded", "all_units")


def _coding_tables(corpus: Any) -> tuple[pd.DataFrame, ...]:
    return (corpus.units, corpus.not_coded, corpus.codings, corpus.uncoded, corpus.all_units())


def _code_partition(units: pd.DataFrame, coder: Any, metas: tuple[pd.DataFrame, ...], repeated: Any) -> tuple[pd.DataFrame, ...]:
    if repeated is not None and len(repeated):
        _repeated_error("code", "unit_id", repeated, "a unit's codes are found by it, so each unit needs its own")
    tables = _coding_tables(coder.code(units))
    return tuple(meta.copy() if len(table) == 0 else table.astype(meta.dtypes.to_dict()) for table, meta in zip(tables, metas, strict=True))


def _shipped(value: Any) -> Any:
    """``value`` as one key of the graph that many tasks take: each worker receives it once, not once per task.

    Not :meth:`distributed.Client.scatter`: the scheduler's active memory manager drops the
    copies of scattered data that no task is waiting for, and scattered data whose last
    copy was on a worker that died is lost for good; a key of the graph is computed again.
    """
    from dask import delayed

    return delayed(value, pure=False)


def code(units: Any, coder: Any) -> DaskCoding:
    """Code units with a machine coder on the workers: :meth:`Coder.code <policyquant.coders.Coder.code>` on each partition.

    The coder (a :class:`~policyquant.Dictionary`, a trained
    :class:`~policyquant.coders.SupervisedCoder`, any
    :class:`~policyquant.coders.Coder`) is one key of the task graph that
    every task refers to: each worker receives it once and its tasks use that
    copy, so a trained model is not serialised with every task, and a worker
    restarted after a crash receives it again.  The codes of a unit depend on its text only,
    so each partition's codes are those the coder gives in memory.

    Parameters
    ----------
    units : DaskSegmentation or dask.dataframe.DataFrame
        The units (:func:`segment`), or a Dask DataFrame with ``unit_id`` and
        ``text`` (``doc_id`` optional), whose ids are checked to be unique
        across partitions (a pass over ``unit_id`` only).
    coder : Coder

    Returns
    -------
    DaskCoding

    Raises
    ------
    InputTypeError
        If ``units`` is not a Dask collection of units or ``coder`` not a coder.
    PluginError
        When the coder or its framework comes from a third-party plugin that
        a worker cannot load (see :func:`check_plugins`).
    ValidationError
        As the coder raises it, and for a unit id in more than one row.

    Examples
    --------
    >>> import dask
    >>> import policyquant as pq
    >>> from policyquant import dask as pqd
    >>> units = pqd.segment(pqd.read_documents(pq.datasets.example_documents_path(), files_per_partition=3))
    >>> coded = pqd.code(units, pq.Dictionary.starter("wang2026"))
    >>> coded
    DaskCoding(coder='dictionary', framework='wang2026', 3 partitions)
    >>> with dask.config.set(scheduler="synchronous"):
    ...     coded.codings["objective"].value_counts().compute().sort_index().to_dict()
    {'rights_protection': 12, 'public_safety': 6, 'tech_innovation': 65, 'application_scenarios': 25}
    """
    delayed = _require()
    from .coders import Coder

    if not isinstance(coder, Coder):
        raise InputTypeError(
            f"code: coder must be a policyquant coder (policyquant.Dictionary, policyquant.coders.train, load or get_coder), got {type(coder).__name__}",
            [{"column": "coder", "value": type(coder).__name__, "problem": "not a coder", "expected": "a policyquant.coders.Coder"}],
        )
    if isinstance(units, DaskSegmentation):
        frame, repeated = units.frame, None  # unit ids are unique within each document, and documents across partitions
    elif _is_dask_frame(units):
        missing = [c for c in ("unit_id", "text") if c not in units.columns]
        if missing:
            raise ValidationError(
                f"code: the units have no column {', '.join(map(repr, missing))}",
                [{"column": c, "problem": "missing required column", "expected": f"a column {c!r}"} for c in missing],
            )
        frame, repeated = units, _repeated(units, "unit_id")
    else:
        raise InputTypeError(
            f"policyquant.dask.code takes the result of policyquant.dask.segment or a Dask DataFrame with unit_id and text, "
            f"got {type(units).__name__} (use coder.code for units in memory)",
            [{"value": type(units).__name__, "problem": "not a Dask collection of units", "expected": "a DaskSegmentation or a dask.dataframe.DataFrame"}],
        )
    client = _client()
    check_plugins(client, frameworks=[coder.framework], coders=[coder.name])
    empty = pd.DataFrame({"unit_id": pd.Series([], dtype="str"), "doc_id": pd.Series([], dtype="str"), "text": pd.Series([], dtype="str")})
    metas = _coding_tables(coder.code(empty))
    shipped = _shipped(coder)
    parts = [delayed(_code_partition, pure=True)(part, shipped, metas, repeated) for part in frame.to_delayed()]
    tables = {
        name: _from_delayed([delayed(operator.getitem)(part, i) for part in parts], meta=metas[i])
        for i, name in enumerate(_CODING_TABLES)
    }
    return DaskCoding(tables, coder.name, coder.framework, unique_ids=repeated is None)


# -- Tabulating -------------------------------------------------------------------------------------

#: Partial states combined by one task of the tree reduction.
SPLIT_EVERY = 8


def _document_ids(units: pd.DataFrame) -> np.ndarray:
    from .corpus import _UNIT_ID_PARTS

    if "doc_id" in units.columns:
        ids = units["doc_id"].astype("str").str.strip()
    else:  # ids such as N01-2-3 name their document, as Corpus(None, units) reads them
        ids = units["unit_id"].astype("str").str.strip().str.extract(_UNIT_ID_PARTS)["doc"].astype("str")
    return pd.unique(ids[ids.notna() & (ids != "")].to_numpy(dtype=object))


def _all_document_ids(parts: list[np.ndarray]) -> pd.DataFrame:
    # In order of first appearance, partition after partition: the order of Corpus(None, units).
    ids = pd.unique(np.concatenate([np.asarray(part, dtype=object) for part in parts])) if parts else np.array([], dtype=object)
    return pd.DataFrame({"doc_id": pd.array(ids, dtype="str")})


def _partition_corpus(units: pd.DataFrame, base: Any, number: int, repeated: Any, derived: bool) -> Any:
    """Partition ``number`` of the units, validated against the shared documents (rows named within the partition)."""
    from .io.chunked import validate_units

    if repeated is not None and len(repeated):
        # Counted, not yet found: the calling process finds every use and raises (DaskCorpus._duplicates).
        raise _RepeatedIdsError("the corpus: unit ids are used in more than one row", [], repeated)
    return validate_units(units.reset_index(drop=True), base, source=f"units, partition {number}", first_row=1, derived=derived)


def _partial_state(units: pd.DataFrame, base: Any, kernel: Any, number: int, repeated: Any, derived: bool) -> tuple[Any, int]:
    part = _partition_corpus(units, base, number, repeated, derived)
    return kernel.partial(part), len(part.not_coded)


def _combine_states(states: list[tuple[Any, int]]) -> tuple[Any, int]:
    from .analysis.partial import combine_all

    return combine_all(state for state, _ in states), sum(count for _, count in states)


def _not_coded_count(units: pd.DataFrame, base: Any, number: int, repeated: Any, derived: bool) -> int:
    return len(_partition_corpus(units, base, number, repeated, derived).not_coded)


def _tree(tasks: list[Any], function: Any, split_every: int) -> Any:
    """One delayed value: ``function`` applied to groups of ``split_every`` tasks, level by level."""
    from dask import delayed

    while len(tasks) > 1:
        tasks = [delayed(function, pure=True)(tasks[i : i + split_every]) for i in range(0, len(tasks), split_every)]
    return tasks[0]


def _partitioned_corpus_class() -> type:
    from .analysis.partial import PartitionedCorpus

    return PartitionedCorpus


class DaskCorpus(_partitioned_corpus_class()):  # type: ignore[misc]
    """A coded corpus whose clauses are a Dask DataFrame: tabulated on the workers, exactly as in memory.

    :func:`policyquant.crosstab`, :func:`~policyquant.fit`,
    :func:`~policyquant.efficacy_summary`, :func:`~policyquant.trends`,
    :func:`~policyquant.authority_distribution` and
    :func:`~policyquant.portfolio_measures` take it in place of a
    :class:`~policyquant.Corpus` and return the same result objects, equal to
    those of the corpus in memory.  Each runs as a tree reduction of the count
    kernels of :mod:`policyquant.analysis.partial`: every partition of clauses
    is validated against the documents and reduced to a small table of counts
    on its worker; the counts are combined :data:`SPLIT_EVERY` at a time, and
    only the combined counts come back.  No clause comes to this process.

    Parameters
    ----------
    documents : pandas.DataFrame or None
        The documents table, as for :class:`~policyquant.Corpus` (metadata
        and document scores, no text needed): held here and sent to every
        worker once.  ``None`` makes one from the ``doc_id`` of the units (a
        pass over that column), as :class:`~policyquant.Corpus` does.
    units : dask.dataframe.DataFrame or DaskCoding
        One row per coded clause, the columns of a coding sheet's units
        (``unit_id``, ``doc_id``, ``instrument``, ``objectives`` ...), for
        instance ``dask.dataframe.read_parquet`` of a folder; or the codes of
        a machine coder (:func:`code`).  Unit ids are checked to be unique
        across partitions, compared as :class:`~policyquant.Corpus` compares
        them (without the spaces around them, and in NFC: ``é`` typed as one
        code point or as ``e`` and an accent is one id); counted in hashed
        groups; not for the codes of :func:`segment`, whose ids are unique by
        construction.
    framework : str or Framework, default "wang2026"
    columns : mapping, optional
        ``{"their header": "field"}``, as for :func:`policyquant.read_coding`;
        headers policyquant knows (Chinese ones included) are renamed without it.
    levels : iterable, optional
        As for :class:`~policyquant.Corpus`.

    Raises
    ------
    ValidationError
        When the documents are invalid (here, at once), or a partition of
        units is (when tabulated: naming the partition, the row within it,
        the column and the value, as :class:`~policyquant.Corpus` does), or
        a unit id is used in more than one row (when tabulated: each later
        use named by partition and row, the first use in ``expected``; the
        rows are looked for in a second pass over ``unit_id``, made only then).
    PluginError
        When the framework comes from a third-party plugin that a worker
        cannot load (see :func:`check_plugins`).

    Examples
    --------
    >>> import dask.dataframe as dd
    >>> import policyquant as pq
    >>> from policyquant import dask as pqd
    >>> corpus = pq.datasets.load_genai_china()
    >>> sheet = corpus.all_units()  # as a coding sheet holds them: objectives as text
    >>> sheet["objectives"] = sheet["objectives"].map("; ".join)
    >>> units = dd.from_pandas(sheet, npartitions=4)
    >>> distributed = pqd.DaskCorpus(corpus.documents, units)
    >>> distributed
    DaskCorpus(63 documents, units in 4 partitions, framework 'wang2026')
    >>> pq.crosstab(distributed).counts.equals(pq.crosstab(corpus).counts)
    True
    >>> pq.efficacy_summary(distributed, by="family").to_frame()["count"].tolist()
    [348, 147, 175]
    """

    def __init__(
        self,
        documents: pd.DataFrame | None,
        units: Any,
        framework: Any = "wang2026",
        *,
        columns: Any = None,
        levels: Any = None,
    ) -> None:
        delayed = _require()
        from .corpus import Corpus
        from .io.chunked import base_corpus, check_units
        from .io.columns import standardize_columns
        from .plugins import get_framework

        unique_ids = isinstance(units, DaskCoding) and units._unique_ids
        if isinstance(units, DaskCoding):
            units = units.all_units
        if not _is_dask_frame(units):
            raise InputTypeError(
                f"DaskCorpus: units must be a Dask DataFrame (or the result of policyquant.dask.code), got {type(units).__name__}",
                [{"column": "units", "value": type(units).__name__, "problem": "not a Dask DataFrame", "expected": "a dask.dataframe.DataFrame"}],
            )
        if documents is not None and not isinstance(documents, pd.DataFrame):
            raise InputTypeError(
                f"DaskCorpus: documents must be a pandas DataFrame (the documents table) or None, got {type(documents).__name__}",
                [{"column": "documents", "value": type(documents).__name__, "problem": "not a DataFrame", "expected": "a pandas.DataFrame or None"}],
            )
        framework = get_framework(framework)
        check_plugins(frameworks=[framework])
        # The headers of the sheet (Chinese ones, a study's own) renamed onto policyquant's fields, once.
        meta = standardize_columns(units._meta, "units", framework, columns, "units")
        if list(meta.columns) != list(units.columns):
            units = units.rename(columns=dict(zip(units.columns, meta.columns, strict=True)))
        if "unit_id" not in units.columns:
            raise ValidationError(
                "DaskCorpus: the units have no column 'unit_id'",
                [{"column": "unit_id", "problem": "missing required column", "expected": "a column 'unit_id'"}],
            )
        self.units = units
        self._derived = documents is None
        if self._derived:
            documents = delayed(_all_document_ids)([delayed(_document_ids)(part) for part in units.to_delayed()]).compute()
        else:
            documents = standardize_columns(documents, "documents", framework, columns, "documents")
        base = base_corpus(documents, framework, levels=levels, source=None if self._derived else "documents", derived=self._derived)
        # The clauses' columns, empty: every analysis knows them (a study's own unit fields too).
        empty, _, _ = check_units(meta.iloc[:0], base, source="units", derived=self._derived)
        if empty is not None:
            base = Corpus._from_validated(base.framework, base._documents, empty._units, empty._objective_mask, empty._not_coded)
        self._base = base
        self._repeated = None if unique_ids else _repeated(units, "unit_id", as_corpus=True)
        self._not_coded: int | None = None
        self._shipped: Any = None

    @property
    def base(self) -> Any:
        """The corpus of the documents (no clauses) that every partition is validated against."""
        return self._base

    def _base_ref(self) -> Any:
        # One key of every graph made from this corpus: each worker receives the documents once.
        if self._shipped is None:
            self._shipped = _shipped(self._base)
        return self._shipped

    @property
    def n_not_coded(self) -> int:
        """How many clauses are coded ``none`` (counted on the workers, once)."""
        if self._not_coded is None:
            from dask import delayed

            base = self._base_ref()
            counts = [
                delayed(_not_coded_count, pure=True)(part, base, number, self._repeated, self._derived)
                for number, part in enumerate(self.units.to_delayed(), start=1)
            ]
            try:
                self._not_coded = int(_tree(counts, sum, SPLIT_EVERY).compute())
            except _RepeatedIdsError as error:
                raise self._duplicates(error.repeated) from None
        return self._not_coded

    def partitions(self) -> Any:
        """The partitions as validated corpora, computed one at a time here (for inspection; the analyses do not use it)."""
        for number, part in enumerate(self.units.to_delayed(), start=1):
            yield _partition_corpus(part.compute(), self._base, number, None, self._derived)

    def aggregate(self, kernel: Any) -> Any:
        """Run ``kernel`` on every partition on the workers, combine the states in a tree, finalize here.

        Parameters
        ----------
        kernel : policyquant.analysis.partial.Kernel

        Returns
        -------
        object
            The result object of the kernel's in-memory function.
        """
        from dask import delayed

        from .analysis.partial import combine

        base = self._base_ref()
        kernel_ref = delayed(kernel, pure=False)  # a few arguments: one key of the graph, not a copy per task
        states = [
            delayed(_partial_state, pure=True)(part, base, kernel_ref, number, self._repeated, self._derived)
            for number, part in enumerate(self.units.to_delayed(), start=1)
        ]
        try:
            state, not_coded = _tree(states, _combine_states, SPLIT_EVERY).compute()
        except _RepeatedIdsError as error:
            raise self._duplicates(error.repeated) from None
        self._not_coded = int(not_coded)
        return kernel.finalize(combine(kernel.empty(self), state), self)

    def _duplicates(self, repeated: pd.Series) -> ValidationError:
        """The error of unit ids counted more than once: every use named by partition and row.

        A second pass over the ``unit_id`` column only, made when some are repeated
        (never in the usual case): each partition gives the rows of those few ids.
        """
        import dask

        from .corpus import MAX_PROBLEMS
        from .io.chunked import _duplicate_problems

        keys = _shipped(np.asarray(repeated.index, dtype=object))
        found = dask.compute(
            *(
                dask.delayed(_repeated_rows, pure=True)(part, keys, number)
                for number, part in enumerate(self.units["unit_id"].to_delayed(), start=1)
            )
        )
        problems = _duplicate_problems(pd.concat(found, ignore_index=True))
        stopped = None
        if len(problems) > MAX_PROBLEMS:
            stopped = f"stopped looking after {MAX_PROBLEMS:,} problems, at {problems['file'].iloc[MAX_PROBLEMS]}, row {problems['row'].iloc[MAX_PROBLEMS]}"
            problems = problems.iloc[:MAX_PROBLEMS]
        names = list(dict.fromkeys(problems["value"].iloc[:10]))
        return ValidationError(
            f"the corpus: unit_id {', '.join(map(repr, names))} is used in more than one row; "
            "each clause is coded once (a second coder's sheet is a corpus of its own)",
            problems,
            stopped=stopped,
        )

    def __repr__(self) -> str:
        count = self.units.npartitions
        documents = len(self._base.documents)
        return (
            f"DaskCorpus({documents:,} document{'s' * (documents != 1)}, units in {count:,} partition{'s' * (count != 1)}, "
            f"framework {self._base.framework.name!r})"
        )


# -- Reliability ------------------------------------------------------------------------------------


def _reliability_state(part: pd.DataFrame, kernel: Any) -> Any:
    return kernel.partial(part)


def _combine_reliability(states: list[Any]) -> Any:
    from .analysis.partial import combine_all

    return combine_all(states)


def _reliability(data: Any, kernel_of: Any, function: str, unit: str, coder: str, value: str, by_unit: bool) -> Any:
    """Run a reliability kernel over a long Dask DataFrame: states per partition, a tree of combines, finalize here."""
    delayed = _require()
    if not _is_dask_frame(data):
        raise InputTypeError(
            f"policyquant.dask.{function} takes a Dask DataFrame with one row per unit, coder and value, "
            f"got {type(data).__name__} (use policyquant.reliability.{function} for data in memory)",
            [{"value": type(data).__name__, "problem": "not a Dask DataFrame", "expected": "a dask.dataframe.DataFrame"}],
        )
    missing = [c for c in (unit, coder, value) if c not in data.columns]
    if missing:
        from ._text import closest

        near = closest(missing[0], [str(c) for c in data.columns])
        raise ValidationError(
            f"{function}: the data have no column {missing[0]!r}" + (f"; did you mean {near[0]!r}?" if near else ""),
            [{"column": c, "problem": "missing required column", "expected": "columns unit=, coder= and value= name", "suggestions": ", ".join(closest(c, [str(x) for x in data.columns])) or None} for c in missing],
        )
    frame = data[[unit, coder, value]]
    if by_unit:
        # Every value of a unit in one partition: repeated values are caught, and the states
        # hold the distinct patterns of counts only.
        frame = frame.shuffle(on=unit)
    kernel = kernel_of(by_unit)
    kernel_ref = delayed(kernel, pure=False)
    states = [delayed(_reliability_state, pure=True)(part, kernel_ref) for part in frame.to_delayed()]
    from .analysis.partial import combine

    state = _tree(states, _combine_reliability, SPLIT_EVERY).compute()
    return kernel.finalize(combine(kernel.empty(), state))


def krippendorff_alpha(
    data: Any,
    measurement: Any = "nominal",
    values: Sequence[Any] | None = None,
    bootstrap: int | None = None,
    ci: float = 0.95,
    seed: int | None = None,
    minimums: Sequence[float] = (0.667, 0.8),
    *,
    unit: str = "unit",
    coder: str = "coder",
    value: str = "value",
    by_unit: bool = True,
) -> Any:
    """Krippendorff's alpha of reliability data held as a Dask DataFrame, as :func:`policyquant.reliability.krippendorff_alpha` gives it.

    Each partition is reduced on its worker to counts of values per unit
    (:class:`~policyquant.reliability.partial.AlphaKernel`), the counts are
    combined in a tree, and alpha (with its bootstrap interval) is computed
    here from them: equal to the in-memory alpha of the same data (to
    rounding, about 1e-15), and the same seed draws the same interval.

    Parameters
    ----------
    data : dask.dataframe.DataFrame
        One row per unit, coder and value (missing values are no value).
    measurement, values, bootstrap, ci, seed, minimums
        As for :func:`policyquant.reliability.krippendorff_alpha`.
    unit, coder, value : str
        The columns of ``data``.
    by_unit : bool, default True
        Shuffle the rows so that each unit's values are in one partition
        (:meth:`dask.dataframe.DataFrame.shuffle`): a coder who gives a unit
        two values is then found, and what is combined grows with the
        distinct patterns of values, not with the units.  ``False`` when the
        data are already partitioned by unit.

    Returns
    -------
    AlphaResult

    Raises
    ------
    ValidationError
        For a missing column (with the closest), a coder giving a unit two
        values, or what :func:`policyquant.reliability.krippendorff_alpha` refuses.

    Examples
    --------
    >>> import pandas as pd, dask.dataframe as dd
    >>> from policyquant import dask as pqd
    >>> long = pd.DataFrame({"unit": [1, 1, 2, 2, 3, 3], "coder": ["a", "b"] * 3,
    ...                      "value": ["x", "x", "y", "x", "y", "y"]})
    >>> pqd.krippendorff_alpha(dd.from_pandas(long, npartitions=2))
    AlphaResult(alpha=0.4444, level='nominal', n_units=3, n_pairable=6, n_coders=2)
    """
    from .reliability.partial import AlphaKernel

    def kernel(complete: bool) -> Any:
        return AlphaKernel(measurement, bootstrap, ci, seed, minimums, values=values, complete_units=complete, unit=unit, coder=coder, value=value)

    kernel(by_unit)  # the arguments are checked before anything runs
    return _reliability(data, kernel, "krippendorff_alpha", unit, coder, value, by_unit)


def agreement(
    data: Any,
    coefficient: str = "gwet_ac1",
    values: Sequence[Any] | None = None,
    ci: float = 0.95,
    *,
    unit: str = "unit",
    coder: str = "coder",
    value: str = "value",
    by_unit: bool = True,
) -> Any:
    """Fleiss' kappa, Gwet's AC1, Brennan-Prediger or percent agreement of reliability data held as a Dask DataFrame.

    As :func:`krippendorff_alpha`, with
    :class:`~policyquant.reliability.partial.ReliabilityKernel`: the result is
    that of :func:`policyquant.reliability.fleiss_kappa`,
    :func:`~policyquant.reliability.gwet_ac1`,
    :func:`~policyquant.reliability.brennan_prediger` or
    :func:`~policyquant.reliability.percent_agreement` on the same data.

    Parameters
    ----------
    data : dask.dataframe.DataFrame
        One row per unit, coder and value.
    coefficient : {"gwet_ac1", "fleiss_kappa", "brennan_prediger", "percent_agreement"}
    values : sequence, optional
        Every category the coders could choose.
    ci : float, default 0.95
        Coverage of the interval (not for Fleiss' kappa).
    unit, coder, value, by_unit
        As for :func:`krippendorff_alpha`.

    Returns
    -------
    FleissKappaResult or AgreementResult

    Examples
    --------
    >>> import pandas as pd, dask.dataframe as dd
    >>> from policyquant import dask as pqd
    >>> long = pd.DataFrame({"unit": [1, 1, 2, 2, 3, 3], "coder": ["a", "b"] * 3,
    ...                      "value": ["x", "x", "y", "x", "y", "y"]})
    >>> round(pqd.agreement(dd.from_pandas(long, npartitions=2), "percent_agreement").estimate, 4)
    0.6667
    """
    from .reliability.partial import ReliabilityKernel

    def kernel(complete: bool) -> Any:
        return ReliabilityKernel(coefficient, ci, values=values, complete_units=complete, unit=unit, coder=coder, value=value)

    kernel(by_unit)
    return _reliability(data, kernel, coefficient, unit, coder, value, by_unit)

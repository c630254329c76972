"""Corpora larger than memory: coding tables read and validated chunk by chunk.

:func:`policyquant.read_coding` returns a :class:`ChunkedCorpus` for a
Parquet dataset (a folder of ``.parquet`` files, as :mod:`pyarrow.dataset`
reads it), for many CSV files (a list, or a glob pattern such as
``"coding/*.csv"``), or for any CSV or Parquet units file when ``chunksize=``
is given.  The clauses are never held all at once: each analysis reads them
chunk by chunk, validates each chunk as :class:`~policyquant.Corpus` would,
computes the chunk's partial counts (:mod:`policyquant.analysis.partial`) and
combines them once.  The documents table (one row per document) is read and
validated once and held in memory.

Validation names every problem by file, row (the row within that file, as a
spreadsheet shows it for CSV and from 1 for Parquet) and column, across all
chunks, up to :data:`~policyquant.corpus.MAX_PROBLEMS`; the same unit id in two
chunks or two files is found too.
"""

from __future__ import annotations

import glob
import os
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pandas as pd

from .._i18n import _, chosen_language, ngettext, using_language
from .._text import format_choices
from ..analysis.partial import PartitionedCorpus
from ..corpus import MAX_PROBLEMS, TEXT, Corpus, _document_index, _Problems
from ..errors import ReadError, ValidationError, problem_table
from ..model import Framework
from ..plugins import get_framework
from .columns import standardize_columns

__all__ = ["DEFAULT_CHUNKSIZE", "ChunkedCorpus", "base_corpus", "check_units", "validate_units"]

#: Rows per chunk when none is given: about 0.5 GiB of clauses with their texts.
DEFAULT_CHUNKSIZE = 1_000_000

#: A CSV file up to this size is read whole, with every check of :func:`policyquant.read_coding`
#: (encodings detected, blank lines told from rows of empty cells); a larger one is streamed.
WHOLE_FILE_BYTES = 64 << 20

#: Buckets of unit-id hashes kept on disk for the duplicate check across chunks.
_BUCKETS = 64


# --------------------------------------------------------------------------
# Validating a chunk against documents validated once.


def base_corpus(
    documents: pd.DataFrame | None,
    framework: str | Framework = "wang2026",
    *,
    levels: Any = None,
    source: str | None = None,
    derived: bool = False,
) -> Corpus:
    """Validate a documents table once: a corpus of the documents and no clauses.

    Parameters
    ----------
    documents : pandas.DataFrame
        One row per document (see :class:`~policyquant.Corpus`), its index the
        row labels that problems name.
    framework : str or Framework, default "wang2026"
    levels : list, optional
        The study's administrative levels (see :func:`policyquant.read_coding`).
    source : str, optional
        The file name problems name.
    derived : bool, default False
        The documents were made from the units' ``doc_id`` values: their ids
        are checked (and reported) as the units', not again here.

    Returns
    -------
    Corpus
        With every document and no units; the base of :func:`validate_units`.

    Raises
    ------
    ValidationError
        Listing the documents' problems.

    Examples
    --------
    >>> import pandas as pd
    >>> base = base_corpus(pd.DataFrame({"doc_id": ["N01"], "level": ["national"], "year": [2023]}))
    >>> len(base.documents), len(base.units)
    (1, 0)
    """
    framework = get_framework(framework)
    if levels is not None:
        framework = framework.with_levels(levels)
    if documents is None:
        documents = pd.DataFrame({"doc_id": pd.Series([], dtype=TEXT)})
    corpus = object.__new__(Corpus)
    corpus._framework = framework
    corpus._derived_documents = derived
    problems = _Problems(source)
    validated = corpus._validate_documents(documents, problems)
    del corpus._derived_documents
    if problems.count:
        raise _error([problems.frame()], [problems.stopped] if problems.stopped else [], source)
    units = pd.DataFrame({"unit_id": pd.Series([], dtype=TEXT), "doc_id": pd.Series([], dtype=TEXT)})
    return Corpus._from_validated(framework, validated, units, np.zeros(0, dtype=np.int64))


def check_units(
    units: pd.DataFrame, base: Corpus, *, source: str | None = None, derived: bool = False
) -> tuple[Corpus | None, pd.DataFrame, str | None]:
    """Validate some clauses against documents validated once; the problems, not an error.

    Parameters
    ----------
    units : pandas.DataFrame
        Clauses with policyquant's column names (see
        :func:`~policyquant.io.standardize_columns`), indexed by the row
        labels problems name (row numbers of the file).
    base : Corpus
        The documents, from :func:`base_corpus`.
    source : str, optional
        The file name problems name.
    derived : bool, default False
        The documents were made from the units' ``doc_id`` values.

    Returns
    -------
    corpus : Corpus or None
        The validated clauses with every document of ``base`` (None if
        there are problems): one partition of a
        :class:`~policyquant.analysis.partial.PartitionedCorpus`.
    problems : pandas.DataFrame
        The problems, as :attr:`ValidationError.problems <policyquant.errors.ValidationError.problems>`.
    stopped : str or None
        Where collecting stopped, if the chunk alone has more than
        :data:`~policyquant.corpus.MAX_PROBLEMS` problems.

    Examples
    --------
    >>> import pandas as pd
    >>> base = base_corpus(pd.DataFrame({"doc_id": ["N01"]}))
    >>> units = pd.DataFrame({"unit_id": ["N01-1-1"], "doc_id": ["N02"], "instrument": ["试点示范"],
    ...                       "objectives": ["应用场景完善"]}, index=[7])
    >>> corpus, problems, stopped = check_units(units, base, source="units.csv")
    >>> corpus is None, problems.loc[0, ["file", "row", "column", "value"]].tolist()
    (True, ['units.csv', 7, 'doc_id', 'N02'])
    """
    framework = base.framework
    documents = base._documents
    corpus = object.__new__(Corpus)
    corpus._framework = framework
    corpus._documents = documents
    corpus._derived_documents = derived
    # Built once per base (per worker, on a cluster): each partition looks its documents up in it.
    corpus._document_index = base.memoized("document_index", lambda: _document_index(documents))
    problems = _Problems(source)
    frame, corpus._reported_doc_rows = Corpus._derive_doc_ids(units, problems)
    validated, mask = corpus._validate_units(frame, problems)
    not_coded_rows = corpus._not_coded_rows
    if problems.count:
        return None, problems.frame(), problems.stopped
    coded = ~not_coded_rows
    not_coded = validated[~coded].reset_index(drop=True)
    if not coded.all():
        validated, mask = validated[coded].reset_index(drop=True), mask[coded]
    return (
        Corpus._from_validated(framework, documents, validated, mask, not_coded, corpus._document_index),
        problem_table(()),
        None,
    )


def validate_units(
    units: pd.DataFrame,
    base: Corpus,
    *,
    source: str | None = None,
    first_row: int | None = None,
    derived: bool = False,
) -> Corpus:
    """Validate some clauses against documents validated once: one partition of a corpus.

    As :func:`check_units`, raising the problems.

    Parameters
    ----------
    units : pandas.DataFrame
        Clauses with policyquant's column names.
    base : Corpus
        The documents, from :func:`base_corpus`.
    source : str, optional
        The file name problems name.
    first_row : int, optional
        Number the rows from this (2 for the first record of a CSV file with
        a header); by default the frame's index labels are the rows.
    derived : bool, default False
        The documents were made from the units' ``doc_id`` values.

    Returns
    -------
    Corpus
        The clauses, with every document of ``base``.

    Raises
    ------
    ValidationError
        Naming file, row, column and value of every problem.

    Examples
    --------
    >>> import pandas as pd
    >>> base = base_corpus(pd.DataFrame({"doc_id": ["007"]}))
    >>> units = pd.DataFrame({"unit_id": ["007-1-1"], "doc_id": ["007"], "instrument": ["试点示范"],
    ...                       "objectives": ["应用场景完善"]})
    >>> part = validate_units(units, base, first_row=2)
    >>> part.units["doc_id"].tolist(), len(part.documents)
    (['007'], 1)
    """
    if first_row is not None:
        units = units.set_axis(pd.RangeIndex(first_row, first_row + len(units)), axis=0)
    corpus, problems, stopped = check_units(units, base, source=source, derived=derived)
    if corpus is None:
        raise _error([problems], [f"{source or 'the units'}: {stopped}"] if stopped else [], source)
    return corpus


def _error(frames: Sequence[pd.DataFrame], stopped: Sequence[str], source: str | None = None) -> ValidationError:
    problems = pd.concat(list(frames), ignore_index=True) if frames else problem_table(())
    count = len(problems)
    files = {str(file) for file in pd.unique(problems["file"]) if file is not None and not pd.isna(file)}
    where = ", ".join(sorted(files)) or source or _("the coding")
    message = (
        ngettext("{where}: {count:,}+ problem found", "{where}: {count:,}+ problems found", count)
        if stopped
        else ngettext("{where}: {count:,} problem found", "{where}: {count:,} problems found", count)
    ).format(where=where, count=count)
    return ValidationError(message, problems, stopped="; ".join(stopped) or None)


# --------------------------------------------------------------------------
# Sources: Parquet files of a dataset, CSV files.


@attrs.frozen
class _Source:
    path: str
    kind: str  # "parquet" or "csv"


_CSV_SUFFIXES = (".csv", ".tsv", ".txt")
_PARQUET_SUFFIXES = (".parquet", ".pq")


def _kind(path: Path) -> str | None:
    suffix = path.suffix.lower()
    if suffix in _PARQUET_SUFFIXES:
        return "parquet"
    if suffix in _CSV_SUFFIXES:
        return "csv"
    return None


def is_dataset(units: Any) -> bool:
    """Whether ``units`` names many files (a list, a glob) or a folder of Parquet files with no units file.

    Examples
    --------
    >>> is_dataset(["a.csv", "b.csv"]), is_dataset("coding/*.csv"), is_dataset("units.csv")
    (True, True, False)
    """
    if isinstance(units, (list, tuple)):
        return True
    if not isinstance(units, (str, os.PathLike)):
        return False
    text = os.fspath(units)
    if glob.has_magic(text) and not Path(text).exists():
        return True
    path = Path(text)
    if not path.is_dir():
        return False
    from .tabular import _find_in_directory

    try:
        if _find_in_directory(path, "units") is not None:
            return False
    except ReadError:
        return False
    return any(p.suffix.lower() in _PARQUET_SUFFIXES for p in path.rglob("*") if p.is_file())


def _sources(units: Any) -> tuple[list[_Source], Path | None]:
    """The units files, in order, and the documents file of a study folder (if any)."""
    documents = None
    if isinstance(units, (list, tuple)):
        paths = [Path(p) for p in units]
        if not paths:
            raise ReadError("no units files given: the list is empty")
    else:
        text = os.fspath(units)
        path = Path(text)
        if path.is_dir():
            from .tabular import _find_in_directory

            found = _find_in_directory(path, "units")
            if found is not None:
                paths = [found]
                documents = _find_in_directory(path, "documents")
            else:
                paths = _dataset_files(path)
        elif glob.has_magic(text) and not path.exists():
            paths = [Path(p) for p in sorted(glob.glob(text, recursive=True)) if Path(p).is_file()]
            if not paths:
                raise ReadError(f"{text}: no file matches the pattern")
        else:
            paths = [path]
    sources = []
    for path in paths:
        if not path.exists():
            raise ReadError(_("{path}: no such file").format(path=path))
        kind = _kind(path)
        if kind is None:
            raise ReadError(
                f"{path}: chunked reading reads Parquet (.parquet) and CSV (.csv, .tsv) files; "
                "read a workbook or JSON file whole with read_coding (without chunksize=)"
            )
        sources.append(_Source(str(path), kind))
    return sources, documents


def _dataset_files(folder: Path) -> list[Path]:
    """The files of a Parquet dataset folder, as pyarrow.dataset finds them, in path order."""
    try:
        import pyarrow.dataset as ds
    except ImportError:  # pragma: no cover - pyarrow is a dependency of the parquet extra
        raise ReadError(f"{folder}: reading a Parquet dataset needs pyarrow: pip install 'policyquant[parquet]'") from None
    try:
        dataset = ds.dataset(folder, format="parquet", exclude_invalid_files=False)
    except Exception as error:  # noqa: BLE001 - pyarrow raises its own error types
        raise ReadError(f"{folder}: not a readable Parquet dataset ({type(error).__name__}: {error})") from None
    files = sorted(dataset.files)
    # A folder may hold other files next to its Parquet parts (a manifest, a README).
    named = [f for f in files if Path(f).suffix.lower() in _PARQUET_SUFFIXES]
    files = named or files
    if not files:
        raise ReadError(f"{folder}: no Parquet files in the folder")
    return [Path(f) for f in files]


def _check_schemas(sources: Sequence[_Source]) -> None:
    """Refuse Parquet files that disagree with the first on columns or types, naming each file."""
    parquet = [s for s in sources if s.kind == "parquet"]
    if len(parquet) < 2:
        return
    import pyarrow.parquet as pq

    schemas = []
    for source in parquet:
        try:
            schemas.append(pq.read_schema(source.path))
        except Exception as error:  # noqa: BLE001 - pyarrow raises its own error types
            raise ReadError(
                _("{path}: not a readable Parquet file ({kind}: {error})").format(
                    path=source.path, kind=type(error).__name__, error=error
                )
            ) from None
    first, reference = parquet[0].path, schemas[0]
    problems: list[dict[str, Any]] = []
    for source, schema in zip(parquet[1:], schemas[1:], strict=True):
        names = set(schema.names)
        for field in reference:
            if field.name not in names:
                problems.append(
                    {
                        "file": source.path,
                        "column": field.name,
                        "problem": "missing column",
                        "expected": f"the columns of {first}: {format_choices(reference.names)}",
                    }
                )
            elif not schema.field(field.name).type.equals(field.type):
                problems.append(
                    {
                        "file": source.path,
                        "column": field.name,
                        "value": str(schema.field(field.name).type),
                        "problem": "another type than in the first file",
                        "expected": f"{field.type}, as in {first}",
                    }
                )
        for name in schema.names:
            if name not in set(reference.names):
                problems.append(
                    {
                        "file": source.path,
                        "column": name,
                        "problem": "a column the first file does not have",
                        "expected": f"the columns of {first}: {format_choices(reference.names)}",
                    }
                )
    if problems:
        files = sorted({p["file"] for p in problems})
        raise ValidationError(
            f"{len(files)} Parquet file{'s' if len(files) != 1 else ''} of the dataset disagree with "
            f"{first} on columns or types: {', '.join(files[:10])}" + (" ..." if len(files) > 10 else ""),
            problems[:MAX_PROBLEMS],
        )


def _raw_chunks(source: _Source, chunksize: int, encoding: str | None) -> Iterator[pd.DataFrame]:
    """The rows of one file as frames of at most ``chunksize`` rows, indexed by row number."""
    if source.kind == "parquet":
        yield from _parquet_chunks(source.path, chunksize)
    elif Path(source.path).stat().st_size <= WHOLE_FILE_BYTES:
        from .tabular import read_table

        frame = read_table(source.path, "units", encoding=encoding)
        for start in range(0, max(len(frame), 1), chunksize):
            yield frame.iloc[start : start + chunksize]
    else:
        yield from _csv_chunks(source.path, chunksize, encoding)


def _parquet_chunks(path: str, chunksize: int) -> Iterator[pd.DataFrame]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from .tabular import _arrow_text_dtype

    try:
        reader = pq.ParquetFile(path)
        batches = reader.iter_batches(batch_size=chunksize)
        row = 1
        pending: list[Any] = []
        count = 0
        mapper = _arrow_text_dtype(pa)

        def frame(parts: list[Any], start: int) -> pd.DataFrame:
            table = pa.Table.from_batches(parts, schema=reader.schema_arrow)
            out = table.to_pandas(types_mapper=mapper)
            return out.set_axis(pd.RangeIndex(start, start + len(out)), axis=0)

        for batch in batches:
            pending.append(batch)
            count += batch.num_rows
            if count >= chunksize:
                yield frame(pending, row)
                row += count
                pending, count = [], 0
        if pending or row == 1:
            yield frame(pending, row)
    except (OSError, pa.ArrowException) as error:
        raise ReadError(
            _("{path}: not a readable Parquet file ({kind}: {error})").format(
                path=path, kind=type(error).__name__, error=error
            )
        ) from None


def _csv_chunks(path: str, chunksize: int, encoding: str | None) -> Iterator[pd.DataFrame]:
    """A large CSV file streamed by pyarrow, every cell as text, rows numbered as a spreadsheet shows them."""
    import pyarrow as pa
    from pyarrow import csv as arrow_csv

    from .tabular import (
        _arrow_text_dtype,
        _check_headers,
        _first_records,
        _guess_separator,
        _leading_blank_lines,
    )

    with open(path, "rb") as stream:
        head = stream.read(1 << 16)
    if encoding is None or encoding.lower().replace("_", "-") in ("utf-8", "utf8", "utf-8-sig"):
        text_head = head.decode("utf-8", errors="ignore")
        encoding = "utf8"
    else:
        text_head = head.decode(encoding, errors="ignore")
    default = "\t" if path.lower().endswith(".tsv") else ","
    skip = _leading_blank_lines(text_head, default)
    lines = text_head.removeprefix("\ufeff").splitlines()
    if len(lines) <= skip:
        raise ReadError(_("{path}: the file has no header row").format(path=path))
    separator = _guess_separator(lines[skip], default)
    try:
        header = _first_records(Path(path) if encoding == "utf8" else text_head, separator, skip, 1)[0]
    except (IndexError, Exception):  # noqa: BLE001 - any failure to parse the header is a read error
        raise ReadError(_("{path}: the file has no header row").format(path=path)) from None
    header = [cell.lstrip("\ufeff") if i == 0 else cell for i, cell in enumerate(header)]
    names = [f"f{i}" for i in range(len(header))]
    mapper = _arrow_text_dtype(pa)
    try:
        reader = arrow_csv.open_csv(
            path,
            read_options=arrow_csv.ReadOptions(
                column_names=names, skip_rows=skip + 1, encoding=encoding, block_size=16 << 20
            ),
            parse_options=arrow_csv.ParseOptions(
                delimiter=separator, newlines_in_values=True, ignore_empty_lines=False
            ),
            convert_options=arrow_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.large_string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                null_values=[],
            ),
        )
        row = skip + 2
        pending: list[Any] = []
        count = 0

        def frame(parts: list[Any], start: int) -> pd.DataFrame:
            table = pa.Table.from_batches(parts, schema=reader.schema)
            out = table.to_pandas(types_mapper=mapper)
            out.columns = header
            out.index = pd.RangeIndex(start, start + len(out))
            # A blank line holds no row; it keeps its number, as a spreadsheet counts it.
            empty = np.ones(len(out), dtype=bool)
            for column in range(out.shape[1]):
                empty &= out.iloc[:, column].to_numpy(dtype=object) == ""
            # Repeated headers, data under a blank header: refused as for a file read whole.
            return _check_headers(out[~empty], header, Path(path), header_row=skip + 1)

        for batch in reader:
            pending.append(batch)
            count += batch.num_rows
            if count >= chunksize:
                table_rows = pa.Table.from_batches(pending, schema=reader.schema)
                for start in range(0, count - count % chunksize, chunksize):
                    yield frame(table_rows.slice(start, chunksize).to_batches(), row + start)
                done = count - count % chunksize
                row += done
                pending = table_rows.slice(done).to_batches()
                count -= done
        if pending:
            yield frame(pending, row)
    except (OSError, pa.ArrowException) as error:
        raise ReadError(
            f"{path}: not a valid CSV file in {encoding} ({type(error).__name__}: {error}); "
            "give encoding= for a file in another encoding"
        ) from None


# --------------------------------------------------------------------------
# Duplicate unit ids across chunks.


class _DuplicateIds:
    """Unit ids seen so far, as 64-bit hashes in bucket files on disk (8 bytes a clause, not in memory)."""

    def __init__(self) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="policyquant-ids-")
        self._paths = [Path(self._folder.name) / f"{b:02d}.u64" for b in range(_BUCKETS)]

    def add(self, ids: pd.Series) -> None:
        values = ids.dropna().to_numpy(dtype=object)
        if not len(values):
            return
        hashes = pd.util.hash_array(values.astype(object), categorize=False)
        bucket = (hashes >> np.uint64(64 - 6)).astype(np.intp)
        order = np.argsort(bucket, kind="stable")
        bounds = np.searchsorted(bucket[order], np.arange(_BUCKETS + 1))
        for b in range(_BUCKETS):
            if bounds[b] < bounds[b + 1]:
                with open(self._paths[b], "ab") as stream:
                    hashes[order[bounds[b] : bounds[b + 1]]].tofile(stream)

    def repeated(self) -> np.ndarray:
        """The hashes seen more than once (candidates: the ids are compared exactly afterwards)."""
        found = []
        for path in self._paths:
            if not path.exists():
                continue
            hashes = np.sort(np.fromfile(path, dtype=np.uint64))
            same = hashes[1:] == hashes[:-1]
            if same.any():
                found.append(np.unique(hashes[1:][same]))
        self._folder.cleanup()
        return np.concatenate(found) if found else np.zeros(0, dtype=np.uint64)


# --------------------------------------------------------------------------
# The chunked corpus.


class ChunkedCorpus(PartitionedCorpus):
    """A coded corpus read chunk by chunk: clauses from Parquet or CSV files, never all at once.

    :func:`policyquant.read_coding` returns one for a Parquet dataset folder,
    a list or glob of CSV or Parquet files, or any CSV or Parquet file read
    with ``chunksize=``.  The analyses :func:`~policyquant.crosstab`,
    :func:`~policyquant.fit`, :func:`~policyquant.efficacy_summary`,
    :func:`~policyquant.trends`, :func:`~policyquant.authority_distribution`
    and :func:`~policyquant.portfolio_measures` accept it as they accept a
    :class:`~policyquant.Corpus`, and return the same results: each reads the
    files once, chunk by chunk, adds up each chunk's counts
    (:mod:`policyquant.analysis.partial`) and combines them once.  Memory
    holds one chunk of clauses (``chunksize`` rows) and the documents table.

    Parameters
    ----------
    units : path, list of paths or glob pattern
        A Parquet dataset folder (its ``.parquet`` files, in path order), a
        study folder holding a units file, CSV or Parquet files, or a pattern
        such as ``"coding/*.csv"``.
    documents : path or pandas.DataFrame, optional
        The documents table, read whole (any format
        :func:`policyquant.read_coding` reads).  Without it, the documents
        are the units' distinct ``doc_id`` values (one more pass over the
        files).
    framework : str or Framework, default "wang2026"
    columns : mapping of str to str, optional
        ``{"their header": "field"}``, as for :func:`policyquant.read_coding`.
    encoding : str, optional
        The encoding of the CSV files; UTF-8 by default for large files,
        detected for files up to :data:`WHOLE_FILE_BYTES`.
    levels : list, optional
        The study's administrative levels.
    chunksize : int, default 1,000,000
        Clauses per chunk (a chunk never spans two files).
    language : str, optional
        The language of the problems reported, as for :func:`policyquant.read_coding`.
    validate : bool, default True
        Read every chunk once now, reporting every problem of every file
        (file, row within that file, column, value) and unit ids repeated
        across chunks or files, as one :class:`~policyquant.errors.ValidationError`.
        With False the problems surface when an analysis reads the chunk.

    Raises
    ------
    ReadError
        If a file cannot be read.
    ValidationError
        Naming every problem by file, row and column (up to
        :data:`~policyquant.corpus.MAX_PROBLEMS`), or the Parquet files that
        disagree with the first on columns or types.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import pandas as pd
    >>> import policyquant as pq
    >>> corpus = pq.datasets.load_genai_china()
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = corpus.to_csv(folder / "study")
    >>> units = pd.read_csv(folder / "study" / "units.csv", dtype=str, keep_default_na=False)
    >>> (folder / "units").mkdir()
    >>> for i in range(3):  # a Parquet dataset of three files
    ...     units.iloc[i::3].to_parquet(folder / "units" / f"part-{i}.parquet")
    >>> chunked = pq.read_coding(folder / "units", folder / "study" / "documents.csv", chunksize=100)
    >>> chunked
    <ChunkedCorpus wang2026: 3 files, 63 documents, 670 units, 908 codings, chunks of 100>
    >>> pq.crosstab(chunked).counts.equals(pq.crosstab(corpus).counts)
    True
    """

    def __init__(
        self,
        units: Any,
        documents: Any = None,
        framework: str | Framework = "wang2026",
        columns: Mapping[str, str] | None = None,
        encoding: str | None = None,
        levels: Any = None,
        *,
        chunksize: int | None = None,
        language: str | None = None,
        validate: bool = True,
    ) -> None:
        chunksize = DEFAULT_CHUNKSIZE if chunksize is None else chunksize
        if isinstance(chunksize, bool) or not isinstance(chunksize, (int, np.integer)) or chunksize < 1:
            raise ValidationError(f"chunksize must be a number of rows (1 or more), got {chunksize!r}")
        self._chunksize = int(chunksize)
        self._framework = get_framework(framework)
        if levels is not None:
            self._framework = self._framework.with_levels(levels)
        self._columns = dict(columns) if columns else None
        self._encoding = encoding
        self._language = language or chosen_language()
        self._sources, found_documents = _sources(units)
        _check_schemas(self._sources)
        if documents is None:
            documents = found_documents
        self._derived = documents is None
        self._documents_source: str | None = None
        self._document_headers: dict[str, str] = {}
        self._document_frame = self._read_documents(documents)
        self._code: str | None = None
        self._base: Corpus | None = None
        self._counts: dict[str, int] | None = None
        if validate:
            self.validate()

    # Reading ------------------------------------------------------------------

    def _read_documents(self, documents: Any) -> pd.DataFrame | None:
        if documents is None:
            return None
        if isinstance(documents, pd.DataFrame):
            frame = documents
        else:
            from .tabular import read_table

            self._documents_source = str(documents)
            frame = read_table(documents, "documents", encoding=self._encoding)
        standardized = standardize_columns(frame, "documents", self._framework, self._columns, self._documents_source)
        self._document_headers = {
            str(field): str(header) for header, field in zip(frame.columns, standardized.columns, strict=False)
        }
        return standardized

    def _language_code(self, frame: pd.DataFrame, headers: list[str]) -> str:
        if self._code is None:
            from .tabular import _sheet_language

            frames = {"units": frame}
            heads = {"units": headers}
            if self._document_frame is not None:
                frames["documents"] = self._document_frame
                heads["documents"] = list(self._document_headers.values())
            self._code = self._language or _sheet_language(heads, frames, self._framework)
        return self._code

    def _chunks(self) -> Iterator[tuple[_Source, pd.DataFrame, dict[str, str]]]:
        """Every chunk of every file, its columns renamed onto policyquant's fields."""
        for source in self._sources:
            for raw in _raw_chunks(source, self._chunksize, self._encoding):
                frame = standardize_columns(raw, "units", self._framework, self._columns, source.path)
                renamed = {
                    str(field): str(header) for header, field in zip(raw.columns, frame.columns, strict=False)
                }
                self._language_code(frame, [str(c) for c in raw.columns])
                yield source, frame, renamed

    def _derived_documents(self) -> pd.DataFrame:
        """The units' distinct doc_id values, in order of first use (one pass over the doc_id column)."""
        from ..corpus import _UNIT_ID_PARTS

        found: list[Any] = []
        for _source, frame, _renamed in self._chunks():
            if "doc_id" in frame.columns:
                ids = frame["doc_id"].astype(TEXT).str.strip()
            elif "unit_id" in frame.columns:
                ids = frame["unit_id"].astype(TEXT).str.strip().str.extract(_UNIT_ID_PARTS)["doc"].astype(TEXT)
            else:
                continue
            found.append(pd.unique(ids[ids.notna() & (ids != "")]))
        ids = pd.unique(np.concatenate(found)) if found else np.array([], dtype=object)
        return pd.DataFrame({"doc_id": pd.array(ids, dtype=TEXT)})

    @property
    def base(self) -> Corpus:
        """The documents, validated once, with no clauses (and the clauses' columns, empty)."""
        if self._base is None:
            # The first chunk's headers choose the language of the problems, as a sheet's do.
            first = next(self._chunks(), None)
            documents = self._derived_documents() if self._derived else self._document_frame
            code = self._code or self._language or "en"
            with using_language(code):
                try:
                    base = base_corpus(documents, self._framework, source=self._documents_source, derived=self._derived)
                except ValidationError as error:
                    raise self._localized(error, self._document_headers, self._documents_source) from None
                # The empty clauses of the first chunk: every analysis knows the clause columns.
                if first is not None:
                    part, _problems, _stopped = check_units(
                        first[1].iloc[:0], base, source=first[0].path, derived=self._derived
                    )
                    if part is not None:
                        base = Corpus._from_validated(
                            base.framework, base._documents, part._units, part._objective_mask, part._not_coded
                        )
            self._base = base
        return self._base

    def _localized(self, error: ValidationError, renamed: Mapping[str, str], source: str | None) -> ValidationError:
        """The error with each problem's column named by the sheet's header, in a language other than English."""
        if (self._code or "en") == "en" or not renamed:
            return error
        problems = error.problems.copy()
        changed = {field: header for field, header in renamed.items() if field != header}
        column = problems["column"]
        mapped = column.map(changed)
        problems["column"] = mapped.where(mapped.notna(), column)
        return ValidationError(error.summary, problems, stopped=error.stopped)

    # Validation ---------------------------------------------------------------

    def validate(self) -> ChunkedCorpus:
        """Read every chunk once and report every problem of every file, then count the clauses.

        Returns
        -------
        ChunkedCorpus
            Itself, its counts (:attr:`n_units`, :attr:`n_not_coded`) known.

        Raises
        ------
        ValidationError
            Every problem, by file, row and column, up to
            :data:`~policyquant.corpus.MAX_PROBLEMS`, and every unit id used
            in two chunks or files.
        """
        base = self.base
        frames: list[pd.DataFrame] = []
        stopped: list[str] = []
        total = 0
        units = codings = not_coded = 0
        seen = _DuplicateIds()
        try:
            for source, frame, renamed in self._chunks():
                with using_language(self._code or "en"):
                    part, problems, chunk_stopped = check_units(frame, base, source=source.path, derived=self._derived)
                if part is None:
                    if (self._code or "en") != "en":
                        problems = self._localized(ValidationError("", problems), renamed, source.path).problems
                    room = MAX_PROBLEMS - total
                    if len(problems) > room or chunk_stopped:
                        kept = problems.iloc[: max(room, 0)]
                        frames.append(kept)
                        total += len(kept)
                        at = problems.iloc[min(room, len(problems) - 1)]
                        stopped.append(
                            f"{source.path}: "
                            + _("stopped looking after {count:,} problems, at {where}").format(
                                count=MAX_PROBLEMS, where=_("row {row}").format(row=at["row"])
                            )
                        )
                        break
                    frames.append(problems)
                    total += len(problems)
                    continue
                units += len(part.units)
                not_coded += len(part.not_coded)
                codings += len(part.codings) if self._framework.objectives else 0
                if not frames:
                    ids = pd.concat([part.units["unit_id"], part.not_coded["unit_id"]], ignore_index=True)
                    seen.add(ids)
            repeated = seen.repeated() if not frames else np.zeros(0, dtype=np.uint64)
        finally:
            seen._folder.cleanup()
        if frames:
            raise _error(frames, stopped)
        if len(repeated):
            raise _error([self._duplicates(repeated)], [])
        self._counts = {"units": units, "codings": codings, "not_coded": not_coded}
        return self

    def _duplicates(self, repeated: np.ndarray) -> pd.DataFrame:
        """The problems of unit ids used in two chunks or files (hash candidates compared exactly)."""
        rows = []
        for source, frame, _renamed in self._chunks():
            if "unit_id" not in frame.columns:
                continue
            ids = frame["unit_id"].astype(TEXT).str.strip()
            valid = ids.notna().to_numpy()
            hashes = np.zeros(len(ids), dtype=np.uint64)
            hashes[valid] = pd.util.hash_array(ids[valid].to_numpy(dtype=object), categorize=False)
            hit = valid & np.isin(hashes, repeated)
            if hit.any():
                rows.append(pd.DataFrame({"file": source.path, "row": frame.index[hit], "value": ids[hit].to_numpy()}))
        found = pd.concat(rows, ignore_index=True)
        first = found.groupby("value", sort=False).transform("first")
        found["first_file"], found["first_row"] = first["file"], found.groupby("value", sort=False)["row"].transform(
            "first"
        )
        later = found.duplicated("value", keep="first")
        found = found[later]
        return pd.DataFrame(
            {
                "file": found["file"].to_numpy(dtype=object),
                "row": found["row"].to_numpy(dtype=object),
                "column": "unit_id",
                "value": found["value"].to_numpy(dtype=object),
                "problem": _("duplicate {column}").format(column="unit_id"),
                "expected": [
                    f"unique unit_ids; first used in {file}, row {row}"
                    for file, row in zip(found["first_file"], found["first_row"], strict=True)
                ],
                "suggestions": None,
            }
        )

    # Partitions ---------------------------------------------------------------

    def partitions(self) -> Iterator[Corpus]:
        """Every chunk as a validated corpus: its clauses, and every document.

        Raises
        ------
        ValidationError
            If a chunk has problems (a file changed since :meth:`validate`, or
            ``validate=False``).
        """
        base = self.base
        for source, frame, renamed in self._chunks():
            with using_language(self._code or "en"):
                part, problems, stopped = check_units(frame, base, source=source.path, derived=self._derived)
            if part is None:
                error = _error([problems], [f"{source.path}: {stopped}"] if stopped else [])
                raise self._localized(error, renamed, source.path)
            yield part

    def aggregate(self, kernel: Any) -> Any:
        """Run a count kernel over every chunk, combine the partial counts once, and finalize.

        Parameters
        ----------
        kernel : policyquant.analysis.partial.Kernel

        Returns
        -------
        object
            The result object of the kernel's in-memory function.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> import policyquant as pq
        >>> from policyquant.analysis.partial import CrosstabKernel
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = pq.datasets.load_genai_china().to_parquet(folder)
        >>> chunked = pq.read_coding(folder, chunksize=200)
        >>> chunked.aggregate(CrosstabKernel("family", "level", count="units")).total
        670
        """
        return super().aggregate(kernel)

    def to_corpus(self) -> Corpus:
        """All the clauses in memory, as one :class:`~policyquant.Corpus` (for corpora that fit).

        Examples
        --------
        >>> import tempfile, pathlib
        >>> import policyquant as pq
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> corpus = pq.datasets.load_genai_china()
        >>> _ = corpus.to_parquet(folder)
        >>> pq.read_coding(folder, chunksize=100).to_corpus() == corpus
        True
        """
        base = self.base
        parts = list(self.partitions())
        if not parts:
            return base
        units = pd.concat([p._units for p in parts], ignore_index=True)
        mask = np.concatenate([p._objective_mask for p in parts])
        not_coded = pd.concat([p._not_coded for p in parts], ignore_index=True)
        return Corpus._from_validated(base.framework, base._documents, units, mask, not_coded)

    # Views --------------------------------------------------------------------

    def _count(self, name: str) -> int:
        if self._counts is None:
            self.validate()
        assert self._counts is not None
        return self._counts[name]

    @property
    def n_units(self) -> int:
        """How many clauses carry an instrument (the rows of every analysis)."""
        return self._count("units")

    @property
    def n_codings(self) -> int:
        """How many clause-objective codings."""
        return self._count("codings")

    @property
    def n_not_coded(self) -> int:
        """How many clauses are coded ``none`` (counted apart, as :attr:`policyquant.Corpus.not_coded`)."""
        return self._count("not_coded")

    @property
    def files(self) -> list[str]:
        """The units files, in the order they are read."""
        return [s.path for s in self._sources]

    @property
    def chunksize(self) -> int:
        """Clauses per chunk."""
        return self._chunksize

    def __len__(self) -> int:
        return self.n_units

    def __repr__(self) -> str:
        counts = (
            f", {self._counts['units']} units, {self._counts['codings']} codings"
            + (f", {self._counts['not_coded']} not coded" if self._counts["not_coded"] else "")
            if self._counts is not None
            else ""
        )
        documents = f", {len(self._base.documents)} documents" if self._base is not None else ""
        count = len(self._sources)
        return (
            f"<ChunkedCorpus {self._framework.name}: {count} file{'s' if count != 1 else ''}"
            f"{documents}{counts}, chunks of {self._chunksize:,}>"
        )

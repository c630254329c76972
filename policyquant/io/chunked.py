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

import contextlib
import glob
import itertools
import os
import re
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pandas as pd

from .._i18n import _, chosen_language, field_name, ngettext, using_language
from .._text import format_choices
from ..analysis.partial import PartitionedCorpus
from ..corpus import MAX_PROBLEMS, TEXT, UNIT_FIELDS, Corpus, _document_index, _escaped, _nfc, _Problems
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
_HEAD_READ = 1 << 16  # the bytes read to find a streamed file's encoding, separator and header
_BLOCK_BYTES = 16 << 20  # pyarrow's block: the memory of one read, and the longest record it holds
_MAX_BLOCK = 1 << 30  # the largest block pyarrow is given to hold one record

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
    # A folder may hold other files next to its Parquet parts (a manifest, a README): the parts are
    # listed first, as pyarrow would read the schema of whichever file sorts first. Names starting
    # with "." or "_" are hidden or metadata files, as pyarrow's own discovery skips them.
    parts = sorted(
        str(path)
        for path in folder.rglob("*")
        if path.is_file()
        and path.suffix.lower() in _PARQUET_SUFFIXES
        and not any(part.startswith((".", "_")) for part in path.relative_to(folder).parts)
    )
    try:
        dataset = ds.dataset(parts or folder, format="parquet", exclude_invalid_files=False)
    except Exception as error:  # noqa: BLE001 - pyarrow raises its own error types
        raise ReadError(f"{folder}: not a readable Parquet dataset ({type(error).__name__}: {error})") from None
    files = sorted(dataset.files)
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


def _check_csv_columns(first: tuple[str, list[str]], path: str, columns: list[str], coded: set[str]) -> None:
    """Refuse a CSV file whose coded columns (after standardizing) are not the first file's, naming each.

    ``coded``: the columns validation and the analyses read (ids, text, instrument, objectives,
    scores).  Other columns (notes, a coder's own) may differ from sheet to sheet, as they may
    between the sheets of one study concatenated in memory.
    """
    first_path, reference = first
    expected = f"the columns of {first_path}: {format_choices([c for c in reference if c in coded])}"
    problems = [
        {"file": path, "column": name, "problem": "missing column", "expected": expected}
        for name in reference
        if name in coded and name not in set(columns)
    ] + [
        {"file": path, "column": name, "problem": "a column the first file does not have", "expected": expected}
        for name in columns
        if name in coded and name not in set(reference)
    ]
    if problems:
        raise ValidationError(
            f"1 CSV file of the corpus disagrees with {first_path} on columns: {path}",
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


def _stream_encoding(path: str, head: bytes, encoding: str | None) -> tuple[str, str]:
    """The encoding to stream a CSV file in, and its first bytes decoded, decoded strictly.

    As the whole-file reader does, a file given no encoding is UTF-8 (with or
    without a byte-order mark) or else GB18030 (GBK), judged here by its first
    bytes; a file in neither, or not in the encoding given, is refused with the
    byte and line where it fails, never read as a file without a header.
    """
    import codecs

    from .tabular import CSV_ENCODINGS, _text_encoding, _undecodable

    given = _text_encoding(Path(path), encoding)
    tried = list(CSV_ENCODINGS) if given is None else [given]
    failures: list[UnicodeDecodeError] = []
    for name in tried:
        try:
            # Not final: the head may end inside a character.
            text = codecs.getincrementaldecoder(name)().decode(head, final=len(head) < _HEAD_READ)
        except UnicodeDecodeError as error:
            failures.append(error)
            continue
        utf8 = codecs.lookup(name).name in ("utf-8", "utf-8-sig")
        return ("utf8" if utf8 else name), text
    raise _undecodable(Path(path), head, tried, failures[0])


def _python_records(path: str, encoding: str, separator: str) -> Iterator[list[str]]:
    """The records of a CSV file as Python's csv module reads them, one at a time (the slow, exact path)."""
    import csv

    from .tabular import _long_cells

    name = "utf-8-sig" if encoding == "utf8" else encoding
    with _long_cells(), open(path, encoding=name, newline="", errors="replace") as stream:
        yield from csv.reader(stream, delimiter=separator)


def _blank_records(path: str, encoding: str, separator: str, header_records: int) -> np.ndarray:
    """The numbers (from 0, after the header) of the records of a CSV file that are blank lines.

    Only read when a chunk has a record of empty cells, which pyarrow does not
    tell from a blank line: Python's csv reader gives a blank line as no cells.
    """
    found = [i for i, cells in enumerate(_python_records(path, encoding, separator)) if not cells]
    numbers = np.asarray(found, dtype=np.int64) - header_records
    return numbers[numbers >= 0]


_COLUMN_COUNT = re.compile(r"Expected (\d+) columns, got (\d+)")


def _parse_error(path: str, encoding: str, separator: str, skip: int, error: Exception) -> ReadError:
    """A pyarrow parse error as the whole-file reader words it: rows longer than the header by number."""
    match = _COLUMN_COUNT.search(str(error))
    if match is not None and int(match.group(2)) > int(match.group(1)):
        width = int(match.group(1))
        long_rows, counts = [], []
        records = itertools.islice(_python_records(path, encoding, separator), skip + 1, None)
        for number, cells in enumerate(records, start=skip + 2):
            if len(cells) > width:
                long_rows.append(number)
                counts.append(len(cells))
        if long_rows:
            from .tabular import _long_rows_error

            return _long_rows_error(path, long_rows, counts, width, skip, limit=MAX_PROBLEMS)
    return ReadError(_("{path}: not a valid CSV file: {error}").format(path=path, error=error))


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
        head = stream.read(_HEAD_READ)
    encoding, text_head = _stream_encoding(path, head, encoding)
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
    schema = pa.schema([(name, pa.large_string()) for name in names])
    blanks: list[np.ndarray] = []

    def blank_records() -> np.ndarray:
        if not blanks:
            blanks.append(_blank_records(path, encoding, separator, skip + 1))
        return blanks[0]

    def frame(parts: list[Any], start: int) -> pd.DataFrame:
        table = pa.Table.from_batches(parts, schema=schema)
        out = table.to_pandas(types_mapper=mapper)
        out.columns = header
        out.index = pd.RangeIndex(start, start + len(out))
        # A blank line holds no row; it keeps its number, as a spreadsheet counts it. pyarrow
        # gives a blank line and a record of bare delimiters (",,,") alike, all cells empty:
        # the records of delimiters are rows with empty cells, kept to be reported.
        empty = np.ones(len(out), dtype=bool)
        for column in range(out.shape[1]):
            empty &= out.iloc[:, column].to_numpy(dtype=object) == ""
        if empty.any() and len(header) > 1:
            empty &= np.isin(np.arange(start, start + len(out)) - (skip + 2), blank_records())
        # Repeated headers, data under a blank header: refused as for a file read whole.
        return _check_headers(out[~empty], header, Path(path), header_row=skip + 1)

    def batches(block_size: int, done: int) -> Iterator[Any]:
        """The record batches after the first ``done`` records, the reader closed however it ends."""
        reader = arrow_csv.open_csv(
            path,
            read_options=arrow_csv.ReadOptions(
                column_names=names, skip_rows=skip + 1, encoding=encoding, block_size=block_size
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
        try:
            for batch in reader:
                if done >= batch.num_rows:
                    done -= batch.num_rows
                    continue
                yield batch.slice(done)
                done = 0
        finally:
            reader.close()

    row = skip + 2
    pending: list[Any] = []
    count = 0
    block_size = _BLOCK_BYTES
    while True:
        stream_ = batches(block_size, row - (skip + 2))
        try:
            for batch in stream_:
                pending.append(batch)
                count += batch.num_rows
                if count >= chunksize:
                    table_rows = pa.Table.from_batches(pending, schema=schema)
                    for start in range(0, count - count % chunksize, chunksize):
                        yield frame(table_rows.slice(start, chunksize).to_batches(), row + start)
                    done = count - count % chunksize
                    row += done
                    pending = table_rows.slice(done).to_batches()
                    count -= done
            break
        except UnicodeDecodeError as error:
            raise ReadError(
                f"{path}: not a valid CSV file in {encoding} ({type(error).__name__}: {error}); "
                "give encoding= for a file in another encoding"
            ) from None
        except (OSError, pa.ArrowException) as error:
            message = str(error)
            if "straddling object" in message and block_size < _MAX_BLOCK:
                # A record longer than a block (a cell of 20 MiB): read again from the first
                # record not yet yielded, in blocks large enough to hold it.
                block_size *= 4
                pending, count = [], 0
                continue
            if "invalid UTF8" in message or "decode" in message.lower():
                raise ReadError(
                    f"{path}: not a valid CSV file in {encoding} ({type(error).__name__}: {error}); "
                    "give encoding= for a file in another encoding"
                ) from None
            raise _parse_error(path, encoding, separator, skip, error) from None
        finally:
            stream_.close()
    if pending:
        yield frame(pending, row)


# --------------------------------------------------------------------------
# Duplicate unit ids across chunks.


def _present_ids(ids: pd.Series) -> pd.Series:
    """A chunk's unit ids as the readers compare them: stripped, missing and empty ones left out."""
    ids = ids.astype(TEXT).str.strip()
    return ids[ids.notna() & (ids != "")]


def _id_keys(values: np.ndarray) -> np.ndarray:
    """The ids as compared for duplicates: non-ASCII ids by their NFC form, as the in-memory reader does.

    An id typed as ``é`` on one system and as ``e`` and a combining accent on
    another names the same clause; ASCII ids are in NFC already and are kept
    as they are (the usual case, no Python loop).
    """
    values = values.astype(object, copy=False)
    if not len(values) or "".join(values).isascii():
        return values
    ascii_ = pd.Series(values, dtype=TEXT).str.isascii().fillna(True).to_numpy(dtype=bool)
    keys = values.copy()
    other = np.flatnonzero(~ascii_)
    keys[other] = [_nfc(value) for value in values[other]]
    return keys


class _DuplicateIds:
    """Unit ids seen so far, as 64-bit hashes in bucket files on disk (8 bytes a clause, not in memory).

    The hashes are of the ids' NFC form (:func:`_id_keys`): two spellings of
    one id in different Unicode normalization forms are one id used twice.
    """

    def __init__(self) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="policyquant-ids-")
        self._paths = [Path(self._folder.name) / f"{b:02d}.u64" for b in range(_BUCKETS)]

    def add(self, ids: pd.Series) -> None:
        values = ids.dropna().to_numpy(dtype=object)
        if not len(values):
            return
        hashes = pd.util.hash_array(_id_keys(values), categorize=False)
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
        first: tuple[str, list[str]] | None = None
        for source in self._sources:
            checked = source.kind != "csv"
            for raw in _raw_chunks(source, self._chunksize, self._encoding):
                frame = standardize_columns(raw, "units", self._framework, self._columns, source.path)
                renamed = {
                    str(field): str(header) for header, field in zip(raw.columns, frame.columns, strict=False)
                }
                if not checked:
                    # CSV sheets of one corpus have the same columns, as Parquet parts must
                    # (_check_schemas): in memory, their concatenation would leave a sheet's
                    # missing scores empty and be refused.
                    checked = True
                    columns = [str(c) for c in frame.columns]
                    if first is None:
                        first = (source.path, columns)
                    else:
                        scale = self._framework.scale
                        scores = [] if scale is None else [d.key for d in scale.dimensions_for("unit")]
                        _check_csv_columns(first, source.path, columns, {*UNIT_FIELDS, *scores} - {"memo"})
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
            # Closed at once: an unfinished generator would hold pyarrow's reader open until exit.
            with contextlib.closing(self._chunks()) as chunks:
                first = next(chunks, None)
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
        chunks = self._chunks()
        try:
            for source, frame, renamed in chunks:
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
                    # A chunk with problems still holds ids a later chunk may repeat: the in-memory
                    # reader reports those too, so they are kept for the duplicate pass.
                    if "unit_id" in frame.columns:
                        seen.add(_present_ids(frame["unit_id"]))
                    continue
                units += len(part.units)
                not_coded += len(part.not_coded)
                codings += len(part.codings) if self._framework.objectives else 0
                ids = pd.concat([part.units["unit_id"], part.not_coded["unit_id"]], ignore_index=True)
                seen.add(ids)
            repeated = seen.repeated() if not stopped else np.zeros(0, dtype=np.uint64)
        finally:
            # Stopping early leaves the generator unfinished: close its file now, not at exit.
            chunks.close()
            seen._folder.cleanup()
        with using_language(self._code or "en"):
            if len(repeated):
                duplicates = self._duplicates(repeated)
                if frames:
                    # A chunk's check reports a repeat against the chunk's first use, the pass over
                    # every chunk against the corpus's first use (as in memory): that one is kept.
                    prefix = _("duplicate {column}").format(column=field_name("unit_id"))
                    again = set(zip(duplicates["file"], duplicates["row"], strict=True))
                    frames = [
                        frame[
                            ~np.array(
                                [
                                    column == "unit_id" and str(problem).startswith(prefix) and (file, row) in again
                                    for file, row, column, problem in zip(
                                        frame["file"], frame["row"], frame["column"], frame["problem"], strict=True
                                    )
                                ],
                                dtype=bool,
                            )
                        ]
                        for frame in frames
                    ]
                frames.append(duplicates)
            if frames:
                raise _error(frames, stopped)
        self._counts = {"units": units, "codings": codings, "not_coded": not_coded}
        return self

    def _duplicates(self, repeated: np.ndarray) -> pd.DataFrame:
        """The problems of unit ids used in two chunks or files (hash candidates compared exactly).

        Ids are compared by their NFC form, and a twin in another Unicode
        normalization form gets the in-memory reader's problem text
        (:func:`policyquant.corpus._report_duplicates`), both spellings'
        code points shown.
        """
        rows = []
        for source, frame, _renamed in self._chunks():
            if "unit_id" not in frame.columns:
                continue
            ids = frame["unit_id"].astype(TEXT).str.strip()
            valid = (ids.notna() & (ids != "")).fillna(False).to_numpy(dtype=bool)
            hashes = np.zeros(len(ids), dtype=np.uint64)
            values = ids[valid].to_numpy(dtype=object)
            keys = _id_keys(values)
            hashes[valid] = pd.util.hash_array(keys, categorize=False)
            hit = np.isin(hashes[valid], repeated)
            if hit.any():
                rows.append(
                    pd.DataFrame(
                        {
                            "file": source.path,
                            "row": frame.index[valid][hit],
                            "value": values[hit],
                            "key": keys[hit],
                        }
                    )
                )
        found = pd.concat(rows, ignore_index=True)
        return _duplicate_problems(found)

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
        with contextlib.closing(self._chunks()) as chunks:
            yield from self._checked(chunks, base)

    def _checked(self, chunks: Iterator[tuple[_Source, pd.DataFrame, dict[str, str]]], base: Corpus) -> Iterator[Corpus]:
        for source, frame, renamed in chunks:
            with using_language(self._code or "en"):
                part, problems, stopped = check_units(frame, base, source=source.path, derived=self._derived)
            if part is None:
                # The error's summary in the sheet's language, as in memory (not English around Chinese problems).
                with using_language(self._code or "en"):
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


def _duplicate_problems(found: pd.DataFrame) -> pd.DataFrame:
    """The problems of ids used twice, from every use (``file``, ``row``, ``value``, comparison
    ``key``) in file (or partition) and row order: each use after the first names the first, and a
    twin in another Unicode normalization form gets the in-memory reader's problem text.  Shared by
    :class:`ChunkedCorpus` and :class:`policyquant.dask.DaskCorpus`."""

    first = found.groupby("key", sort=False)[["file", "row", "value"]].transform("first")
    later = found.duplicated("key", keep="first").to_numpy()
    found, first = found[later], first[later]
    name = field_name("unit_id")
    same = (found["value"].to_numpy() == first["value"].to_numpy()).tolist()
    problem = [
        _("duplicate {column}").format(column=name)
        if alike
        else _("duplicate {column} in another Unicode normalization form: {value} here, {earlier} in row {row}").format(
            column=name, value=_escaped(value), earlier=_escaped(earlier), row=row
        )
        for alike, value, earlier, row in zip(same, found["value"], first["value"], first["row"], strict=True)
    ]
    expected = [
        f"unique {name}s; first used in {file}, row {row}"
        + ("" if alike else "; the same text typed on two systems: save both as NFC, or give them different ids")
        for alike, file, row in zip(same, first["file"], first["row"], strict=True)
    ]
    return pd.DataFrame(
        {
            "file": found["file"].to_numpy(dtype=object),
            "row": found["row"].to_numpy(dtype=object),
            "column": "unit_id",
            "value": found["value"].to_numpy(dtype=object),
            "problem": np.array(problem, dtype=object),
            "expected": np.array(expected, dtype=object),
            "suggestions": None,
        }
    )

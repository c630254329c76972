"""Reading a folder of policy documents as downloaded: text, Markdown, Word, PDF and web pages.

:func:`read_documents` takes a file, a folder or a .zip archive and returns a
:class:`DocumentSet`: one row per document with its text, and one row of
:attr:`DocumentSet.problems` for every file that needs the researcher's
attention (not read, skipped, or read with a caveat), saying what to do.
Nothing is dropped silently: every file found is a document or has a row in
:attr:`DocumentSet.unread`.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
import tempfile
import warnings
import zipfile
from collections.abc import Callable, Iterator
from os import PathLike
from pathlib import Path
from typing import Any

import pandas as pd

from .._text import closest, format_choices
from ..errors import InputTypeError, ReadError, ValidationError, problem_table
from ..results import FrameResult
from ._formats import FORMAT_ALIASES, FORMATS, OLD_FORMATS, Unreadable, format_of_suffix, read_file, sniff

__all__ = ["DOCUMENT_SET_COLUMNS", "DocumentSet", "read_documents"]

#: Columns of :meth:`DocumentSet.to_frame`, in this order.
DOCUMENT_SET_COLUMNS = ("doc_id", "path", "title", "text", "format", "encoding", "pages", "sha256", "duplicate_of")

#: Word and PDF files read before a second process is started to share them: below this the
#: start-up of the pool costs more than it saves (measured: benchmarks/README.md).
PARALLEL_MIN_FILES = 8

#: A PDF with at least this many pages gets its own progress bar, page by page.
PAGE_BAR_MIN_PAGES = 100

#: Files a folder or a computer leaves beside documents: skipped, but reported.
_HIDDEN_NAMES = frozenset({"thumbs.db", "desktop.ini", "icon\r"})
_SYSTEM_FOLDERS = frozenset({"__macosx"})

#: Lines of problems :meth:`DocumentSet.__repr__` shows before counting the rest.
_REPR_PROBLEMS = 5


class DocumentSet(FrameResult):
    """Documents read by :func:`read_documents`: one row each, and the problems met on the way.

    A table result (:class:`~policyquant.results.TableResult`): it saves to
    CSV, Excel and the other formats with :meth:`save` (written atomically;
    CSV and Excel without the row numbers), and every step of
    :mod:`policyquant.documents` takes it.  An Excel cell holds at most 32,767
    characters, so that a long law is refused by :meth:`to_excel`: save the
    documents as CSV.

    Attributes
    ----------
    frame : pandas.DataFrame
        The documents, columns :data:`DOCUMENT_SET_COLUMNS`:

        ``doc_id``
            The file's path relative to the source, ``/``-separated, without
            its suffix (``行政法规/网络数据安全管理条例``); a single file's name
            without its suffix.  Where two files would get the same id
            (``notice.pdf`` and ``notice.docx``) both keep their suffix
            (``notice.pdf``, ``notice.docx``); ids are unique and do not depend on
            the order in which the files were read.
        ``path``
            Where the file is: its path, or ``archive.zip/member`` inside a zip.
        ``title``
            The first Markdown heading or, in a text file or PDF, the first
            non-empty line; a Word document's first paragraph in the Title
            style, else the first Heading 1, else the first line; a web page's
            ``ArticleTitle`` meta, else the ``<h1>`` that its ``<title>``
            repeats, else the ``<title>`` before its first ``_`` (the site's name
            follows).  :func:`policyquant.documents.extract_metadata` refines it.
        ``text``
            The text, lines ended by ``\\n`` (a byte-order mark and ``\\r``
            removed).  Word: paragraphs and tables in reading order, a table
            row's cells joined by tabs; no page headers or footers.  PDF: the
            pages joined by a blank line.  HTML: the article, a line per
            paragraph, its title first.
        ``format``
            ``text``, ``markdown``, ``docx``, ``pdf`` or ``html``.
        ``encoding``
            How a text or HTML file was decoded (``utf-8``, ``gb18030``,
            ``utf-16``); empty for other formats.
        ``pages``
            A PDF's number of pages.
        ``sha256``
            The SHA-256 of the file's bytes, for the record of the study.
        ``duplicate_of``
            The ``doc_id`` of the first document (in ``doc_id`` order) with the same
            text, whitespace aside; empty for the first or only one.  Both are
            kept; the duplicate also has a row in :attr:`problems`.
    problems : pandas.DataFrame
        One row per file and issue, columns of
        :func:`policyquant.errors.problem_table` (``file``, ``row``,
        ``column``, ``value``, ``problem``, ``expected``, ``suggestions``): the
        ``problem`` starts with what became of the file (``not read: ...``,
        ``skipped: ...``, ``read; ...``) and ``expected`` says what to do.
    source : str
        What was read.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from policyquant.documents import read_documents
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "notice.txt").write_text("关于加强数据安全管理的通知\\n第一条 为了规范数据处理活动。", encoding="utf-8")
    >>> _ = (folder / "old.doc").write_bytes(b"\\xd0\\xcf\\x11\\xe0\\xa1\\xb1\\x1a\\xe1" + bytes(100))
    >>> documents = read_documents(folder)
    >>> len(documents), documents.frame.loc[0, "title"]
    (1, '关于加强数据安全管理的通知')
    >>> print(documents.problems.loc[0, "problem"])
    not read: an old or unsupported format (Word 97-2003 document)
    >>> for document in documents:
    ...     print(document.doc_id, document.format, document.encoding)
    notice text utf-8
    """

    def __init__(self, frame: pd.DataFrame, problems: pd.DataFrame, source: str, unread: pd.Series | None = None) -> None:
        super().__init__(frame)
        self.problems = problem_table(problems)
        self.source = source
        self._unread = (
            pd.Series(False, index=self.problems.index) if unread is None else pd.Series(unread, dtype=bool).reset_index(drop=True)
        )

    @property
    def unread(self) -> pd.DataFrame:
        """The problems of files that are not among the documents (not read, or skipped).

        Examples
        --------
        >>> import pathlib, tempfile
        >>> from policyquant.documents import read_documents
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (folder / "empty.txt").write_bytes(b"")
        >>> read_documents(folder).unread[["file", "problem"]].to_dict("records")  # doctest: +ELLIPSIS
        [{'file': '...empty.txt', 'problem': 'not read: the file is empty (0 bytes)'}]
        """
        return self.problems[self._unread.to_numpy()].reset_index(drop=True)

    @property
    def duplicates(self) -> pd.DataFrame:
        """The documents whose text another document already has (``duplicate_of`` set); none dropped.

        Examples
        --------
        >>> import pathlib, tempfile
        >>> from policyquant.documents import read_documents
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> for name in ("a.txt", "b.txt"):
        ...     _ = (folder / name).write_text("第一条 同一份文件。", encoding="utf-8")
        >>> import warnings
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     documents = read_documents(folder)
        >>> print(caught[0].message)
        1 document has the same text as another (see .duplicates and the column duplicate_of; none was dropped)
        >>> documents.duplicates[["doc_id", "duplicate_of"]].values.tolist()
        [['b', 'a']]
        """
        return self.frame[self.frame["duplicate_of"].notna()]

    def to_frame(self, language: str | None = None) -> pd.DataFrame:
        """The documents, one row each (columns :data:`DOCUMENT_SET_COLUMNS`); the frame itself, not a copy.

        Examples
        --------
        >>> import pathlib, tempfile
        >>> from policyquant.documents import read_documents
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "规定.md"
        >>> _ = path.write_text("# 数据出境安全评估办法\\n\\n第一条 为了规范数据出境活动。\\n", encoding="utf-8")
        >>> read_documents(path).to_frame()[["doc_id", "title", "format"]]
          doc_id       title    format
        0     规定  数据出境安全评估办法  markdown
        """
        return super().to_frame(language)

    def to_csv(self, path: str | PathLike[str] | None = None, **kwargs: Any) -> str | None:
        """Write the documents as CSV (UTF-8 with BOM, written atomically), without row numbers; see :meth:`TableResult.to_csv`.

        Examples
        --------
        >>> import pathlib, tempfile
        >>> from policyquant.documents import read_documents
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
        >>> _ = path.write_text("第一条 内容。", encoding="utf-8")
        >>> print(read_documents(path).to_csv().splitlines()[0])
        doc_id,path,title,text,format,encoding,pages,sha256,duplicate_of
        """
        kwargs.setdefault("index", False)
        return super().to_csv(path, **kwargs)

    def to_excel(self, path: str | PathLike[str], *args: Any, index: bool = False, **kwargs: Any) -> Path:
        """Write the documents to an Excel workbook, without row numbers; see :meth:`TableResult.to_excel`.

        A text longer than an Excel cell holds (32,767 characters) is refused,
        never cut: save long documents as CSV.

        Examples
        --------
        >>> import pathlib, tempfile
        >>> from policyquant.documents import read_documents
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (folder / "a.txt").write_text("第一条 内容。", encoding="utf-8")
        >>> read_documents(folder).save(folder / "documents.xlsx").name
        'documents.xlsx'
        """
        return super().to_excel(path, *args, index=index, **kwargs)

    def __len__(self) -> int:
        return len(self.frame)

    def __iter__(self) -> Iterator[Any]:
        """The documents as named tuples (``document.doc_id``, ``document.text`` ...), in ``doc_id`` order."""
        return self.frame.itertuples(index=False, name="Document")

    def _summary_frame(self) -> pd.DataFrame:
        shown = self.frame[["doc_id", "title", "format", "pages"]].copy()
        shown["characters"] = self.frame["text"].str.len()
        return shown

    def __repr__(self) -> str:
        counts = self.frame["format"].value_counts()
        formats = ", ".join(f"{count:,} {name}" for name, count in counts.items())
        characters = int(self.frame["text"].str.len().sum()) if len(self.frame) else 0
        lines = [
            f"DocumentSet: {len(self):,} document{'s' * (len(self) != 1)} from {self.source}"
            + (f" ({formats}; {characters:,} characters)" if len(self) else ""),
        ]
        duplicates = int(self.frame["duplicate_of"].notna().sum())
        unread = int(self._unread.sum())
        lines.append(
            f"  {unread:,} file{'s' * (unread != 1)} not read or skipped, {duplicates:,} duplicate{'s' * (duplicates != 1)}, "
            f"{len(self.problems):,} problem{'s' * (len(self.problems) != 1)} in all (see .problems)"
        )
        from ..errors import describe_problem

        for record in self.problems.iloc[:_REPR_PROBLEMS].to_dict("records"):
            lines.append("  - " + describe_problem(record))
        if len(self.problems) > _REPR_PROBLEMS:
            lines.append(f"  ... and {len(self.problems) - _REPR_PROBLEMS:,} more")
        return "\n".join(lines)

    def __str__(self) -> str:
        with pd.option_context("display.max_rows", 20, "display.width", 120, "display.max_colwidth", 40):
            return repr(self) + "\n" + self._summary_frame().to_string(max_rows=20)

    def _repr_html_(self) -> str:
        import html

        return f"<pre>{html.escape(repr(self))}</pre>" + self._summary_frame().head(50).to_html(index=False)


# -- Finding the files -------------------------------------------------------------------------------


class _Found:
    """A file to read (or to report): where it is on disk, how it is shown, and its id before any collision."""

    __slots__ = ("disk", "relative", "shown")

    def __init__(self, disk: Path, shown: str, relative: str) -> None:
        self.disk = disk
        self.shown = shown
        self.relative = relative


def _is_hidden(name: str) -> bool:
    return name.startswith((".", "~$")) or name.lower() in _HIDDEN_NAMES


def _walk(folder: Path, shown: str, prefix: str, recursive: bool, found: list[_Found], skipped: list[dict[str, Any]], scratch: Callable[[], Path] | None) -> None:
    """Every file under ``folder`` in name order; hidden files, system folders and (not recursive) subfolders reported."""
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as error:
        skipped.append({"file": shown, "problem": f"not read: the folder cannot be listed ({error.strerror or error})", "expected": "check its permissions"})
        return
    for entry in entries:
        relative = f"{prefix}{entry.name}"
        where = f"{shown}/{entry.name}" if shown else entry.name
        path = Path(entry.path)
        if entry.is_dir(follow_symlinks=False):
            if _is_hidden(entry.name) or entry.name.lower() in _SYSTEM_FOLDERS:
                count = sum(len(files) for _, _, files in os.walk(path))
                skipped.append({"file": where, "value": f"{count} files", "problem": f"skipped: a hidden or system folder ({count} files in it)", "expected": "nothing, unless documents are kept in it: move them out"})
            elif recursive:
                _walk(path, where, relative + "/", recursive, found, skipped, scratch)
            else:
                skipped.append({"file": where, "problem": "skipped: a subfolder (recursive=False)", "expected": "read it with recursive=True, or on its own"})
        elif _is_hidden(entry.name):
            skipped.append({"file": where, "problem": "skipped: a hidden file or an Office lock file (~$...)", "expected": "nothing to do"})
        elif entry.is_symlink() and entry.is_dir():
            # Never followed: a link back up the tree would read the folder again and again.
            skipped.append({"file": where, "problem": "skipped: a link to a folder (links to folders are not followed)", "expected": "read the folder it points to on its own, or copy its documents here"})
        elif entry.is_symlink() and not entry.is_file():
            skipped.append({"file": where, "problem": "not read: a broken link", "expected": "point it at the document, or remove it"})
        elif entry.name.lower().endswith(".zip") and entry.is_file():
            if scratch is None:
                # One level of archives only: a zip of zips could expand past any limit, level by level.
                skipped.append({"file": where, "problem": "not read: a zip archive inside a zip archive", "expected": "unpack it and read the folder"})
            else:
                _unpack(path, where, relative[: -len(".zip")] + "/", recursive, found, skipped, scratch)
        else:
            found.append(_Found(path, where, relative))


def _unpack(archive_path: Path, shown: str, prefix: str, recursive: bool, found: list[_Found], skipped: list[dict[str, Any]], scratch: Callable[[], Path]) -> None:
    """The members of a zip archive, checked against zip bombs and unpacked to a private folder, as a folder's files."""
    from ..io.refi._archive import _Archive

    try:
        if not zipfile.is_zipfile(archive_path):
            raise ReadError(f"{archive_path}: not a zip archive")
        archive = _Archive(archive_path)
    except (ReadError, OSError) as error:
        skipped.append({"file": shown, "problem": f"not read: the zip archive was refused or is damaged: {str(error).split(': ', 1)[-1]}", "expected": "download it again, or unpack it yourself and read the folder"})
        return
    target = scratch()
    try:
        for name, info in sorted(archive.names.items()):
            readable = _member_name(name, info)
            # The archive's checks refused absolute names and "..": the member stays inside target.
            destination = target.joinpath(*[part for part in re.split(r"[\\/]+", readable) if part])
            try:
                destination.parent.mkdir(parents=True, exist_ok=True)
                destination.write_bytes(archive.read(name))
            except ReadError as error:
                skipped.append({"file": f"{shown}/{readable}", "problem": f"not read: {str(error).split(': ', 1)[-1]}", "expected": "download the archive again"})
            except OSError as error:
                skipped.append({"file": f"{shown}/{readable}", "problem": f"not read: it cannot be unpacked ({error.strerror or error})", "expected": "unpack the archive yourself and read the folder"})
    finally:
        archive.close()
    _walk(target, shown, prefix, recursive, found, skipped, None)


def _member_name(name: str, info: zipfile.ZipInfo) -> str:
    """A member's name as its maker wrote it: zips made on Chinese Windows store GBK names without saying so.

    Without the UTF-8 flag, :mod:`zipfile` decodes a name as CP437; its bytes are
    taken back and decoded as UTF-8 (some tools omit the flag), else as GB18030.
    """
    if info.flag_bits & 0x800:
        return name
    try:
        raw = name.encode("cp437")
    except UnicodeEncodeError:
        return name
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return name


def _document_ids(found: list[_Found]) -> list[str]:
    """Each file's id (:func:`_document_ids_reported`, without the renamings to report).

    Examples
    --------
    >>> from pathlib import Path
    >>> _document_ids([_Found(Path(name), name, name) for name in ("x.txt", " x .md")])
    ['x.txt', 'x.md']
    """
    return _document_ids_reported(found)[0]


def _document_ids_reported(found: list[_Found]) -> tuple[list[str], list[tuple[int, dict[str, Any], bool]]]:
    """Each file's path without its suffix, as an id the next steps accept; and the renamings to report.

    Ids are stripped of white space at the ends and put in Unicode NFC, as
    segmentation and the coding template compare ids: ``" x.txt"`` is
    ``x``, and a name typed on a Mac (NFD) is the same id as on Windows.
    Where two collide, both keep their suffix; still colliding, the one
    whose name is the id as it is keeps it and the others are numbered
    (``~2``), with a problem naming both files.  An id the coding template
    would refuse as a spreadsheet formula or a missing value (``=1+1``,
    ``nan``) is prefixed with ``_``, and reported.

    Examples
    --------
    >>> from pathlib import Path
    >>> found = [_Found(Path(name), name, name) for name in ("a.txt", " a.txt", "b.txt", "b.docx", "=1+1.txt")]
    >>> ids, problems = _document_ids_reported(found)
    >>> ids
    ['a.txt', 'a.txt~2', 'b.txt', 'b.docx', '_=1+1']
    >>> sorted(problem["value"] for _, problem, _ in problems)
    ['_=1+1', 'a.txt~2']
    """
    import unicodedata

    from ..corpus import _SUSPECT_ID

    def clean(text: str) -> str:
        return unicodedata.normalize("NFC", text).strip()

    stems, relatives = [], []
    for item in found:
        suffix = re.search(r"\.[^./]*$", item.relative)
        stem = clean(item.relative[: suffix.start()] if suffix else item.relative)
        # A name that is all suffix (".txt", " .md") is its own id.
        relative = stem + clean(suffix.group()) if stem and suffix else clean(item.relative)
        stems.append(stem or relative)
        relatives.append(relative)
    counts = pd.Series(stems, dtype=object).value_counts()
    chosen = [relative if counts[stem] > 1 else stem for stem, relative in zip(stems, relatives, strict=True)]
    problems: list[tuple[int, dict[str, Any], bool]] = []
    for position, doc_id in enumerate(chosen):
        if _SUSPECT_ID.match(doc_id):
            chosen[position] = f"_{doc_id}"
            problems.append((position, {
                "file": found[position].shown, "value": chosen[position],
                "problem": f"its name gives the doc_id {doc_id!r}, which a spreadsheet reads as a formula or a "
                f"missing value: the doc_id is {chosen[position]!r}",
                "expected": "a file name that starts with a letter or digit; rename the file to choose another id",
            }, False))  # fmt: skip
    # The file whose name is its id as it is keeps the id; the others, in order, are numbered.
    exact = [item.relative in (doc_id, f"{doc_id}{Path(item.relative).suffix}") for item, doc_id in zip(found, chosen, strict=True)]
    order = sorted(range(len(found)), key=lambda position: (chosen[position], not exact[position], position))
    taken = set(chosen)
    owner: dict[str, int] = {}
    unique = list(chosen)
    for position in order:
        doc_id = chosen[position]
        if doc_id not in owner:
            owner[doc_id] = position
            continue
        number = 2
        while f"{doc_id}~{number}" in taken:
            number += 1
        unique[position] = f"{doc_id}~{number}"
        taken.add(unique[position])
        first = found[owner[doc_id]]
        problems.append((position, {
            "file": found[position].shown, "value": unique[position],
            "problem": f"its name gives the doc_id {doc_id!r}, as {first.shown} does (names that differ only in "
            f"spaces at the ends or in Unicode normalization form give one id): the doc_id is {unique[position]!r}",
            "expected": "one name per document; rename one of the files if you want another id",
        }, False))  # fmt: skip
    return unique, problems


# -- Reading -----------------------------------------------------------------------------------------


def _format_for(item: _Found, format: str | None) -> tuple[str | None, dict[str, Any] | None]:
    """The format to read a file in, or the problem that stops it."""
    if format is not None:
        return format, None
    suffix = item.disk.suffix.lower()
    found = format_of_suffix(suffix)
    if found is not None:
        return found, None
    if suffix in OLD_FORMATS:
        return "old", None  # read_file reports it from its bytes
    try:
        with open(item.disk, "rb") as handle:
            kind = sniff(item.disk, handle.read(8))
    except OSError:
        kind = None
    if kind == "pdf":
        return "pdf", None
    if kind == "ole2":
        return "old", None
    known = [s for suffixes in FORMATS.values() for s in suffixes]
    return None, {
        "file": item.shown,
        "value": suffix or "(no suffix)",
        "problem": f"not read: unknown file type {suffix or '(no suffix)'!r}",
        "expected": f"a document saved as {', '.join(known)}; or give format= to read it as one of them",
        "suggestions": ", ".join(closest(suffix, known)) or None,
    }


def _read_job(path: str, format: str, encoding: str | None) -> tuple[str, Any]:
    """Read one file in a worker process: ``("ok", result)`` or ``("problem", (problem, expected, value))``."""
    return _read_one(path, format, encoding, None)


def _read_one(path: str, format: str, encoding: str | None, on_page: Callable[[int, int], None] | None) -> tuple[str, Any]:
    try:
        # read_file refuses format "old" from the file's bytes, unless they are a web page (a site's "Word" .doc).
        return "ok", read_file(path, format, encoding, on_page)
    except Unreadable as unreadable:
        return "problem", (unreadable.problem, unreadable.expected, unreadable.value)
    except ReadError:
        raise  # an optional package is missing: no file of the format can be read
    except OSError as error:
        return "problem", (f"not read: the file cannot be opened ({error.strerror or error})", "check it exists and you may read it", None)
    except RecursionError:
        return "problem", ("not read: the file nests too deeply to be read", "save it again from the program that made it", None)
    except Exception as error:  # noqa: BLE001 - one damaged file must not stop a folder of them
        return "problem", (
            f"not read: the reader failed on it ({type(error).__name__}: {error})",
            "open it and save it again (or as PDF or .txt); if it opens fine, report this to policyquant with the file",
            None,
        )


def _progress_bar(progress: bool | None, total: int, unit: str, description: str, position: int = 0) -> Any:
    """A tqdm bar, or None: ``progress=None`` shows one when standard error is a terminal and tqdm is installed."""
    if progress is False or total == 0:
        return None
    if progress is None and not (hasattr(sys.stderr, "isatty") and sys.stderr.isatty()):
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError:
        if progress:
            warnings.warn(
                "progress=True needs the optional package tqdm (pip install 'policyquant[progress]'); reading without a bar",
                stacklevel=4,
            )
        return None
    return tqdm(total=total, desc=description, unit=unit, position=position)


def _check_libraries(formats: set[str]) -> None:
    """Raise once, before reading anything, when a format in the folder needs a package that is missing."""
    from ._formats import require

    needs = {"docx": [("docx", "Word .docx files")], "pdf": [("pdfplumber", "PDF files")], "html": [("lxml.html", "HTML pages"), ("readability", "HTML pages")]}
    for format in sorted(formats):
        for module, what in needs.get(format, []):
            require(module, what)


def _check_arguments(source: Any, format: Any, encoding: Any, recursive: Any, progress: Any) -> tuple[Path, str | None]:
    if not isinstance(source, (str, PathLike)):
        raise InputTypeError(
            f"read_documents: source must be a file, a folder or a .zip (a path), got {type(source).__name__}",
            [{"column": "source", "value": type(source).__name__, "problem": "not a path", "expected": "a str or pathlib.Path"}],
        )
    path = Path(source)
    if format is not None:
        names = {**{name: name for name in FORMATS}, **FORMAT_ALIASES}
        key = format.lower().lstrip(".") if isinstance(format, str) else None
        if key not in names:
            raise ValidationError(
                f"read_documents: unknown format {format!r}",
                [{"column": "format", "value": format, "problem": "not a document format", "expected": ", ".join(FORMATS), "suggestions": ", ".join(closest(str(format), list(names))) or None}],
            )
        format = names[key]
    if encoding is not None:
        from ..io.tabular import _text_encoding

        _text_encoding(path, encoding)
    for name, value in (("recursive", recursive), ("progress", progress)):
        if not (isinstance(value, bool) or (name == "progress" and value is None)):
            raise ValidationError(
                f"read_documents: {name} must be True or False, got {value!r}",
                [{"column": name, "value": value, "problem": "not True or False", "expected": "True or False" + (" (or None)" if name == "progress" else "")}],
            )
    if not path.exists():
        near = closest(path.name, [p.name for p in path.parent.iterdir()]) if path.parent.is_dir() else []
        raise ReadError(
            f"{path}: no such file or folder",
            [{"file": str(path), "problem": "not found", "expected": "a file, a folder or a .zip of documents", "suggestions": format_choices(near) or None}],
        )
    return path, format


def read_documents(
    source: str | PathLike[str],
    *,
    format: str | None = None,
    encoding: str | None = None,
    recursive: bool = True,
    progress: bool | None = None,
) -> DocumentSet:
    """Read policy documents from a file, a folder or a .zip archive.

    Formats, by suffix: ``.txt`` and ``.md`` (UTF-8, UTF-8 with a byte-order
    mark, UTF-16 or UTF-32 with one, GBK/GB18030: the decoding of
    :func:`policyquant.read_coding`), ``.docx`` (paragraphs and tables in
    reading order), ``.pdf`` with a text layer, and ``.html``/``.htm`` pages
    as saved from government sites (the article, without menus, scripts,
    iframes or footers).  Word, PDF and HTML need the optional packages of
    ``pip install 'policyquant[documents]'`` (python-docx, pdfplumber,
    readability-lxml); a missing one raises one :class:`~policyquant.errors.ReadError`
    naming it before anything is read.

    Every file found becomes a document or gets a row in
    :attr:`DocumentSet.problems` saying what to do: a scanned PDF without a
    text layer (needs OCR), an encrypted PDF, an old ``.doc``/``.wps``/``.et``
    (save it as .docx), an empty file, bytes in no encoding that was tried, a
    .docx that is a zip bomb, an unknown suffix, a file that a reader failed
    on.  Hidden files (``.DS_Store``), Office lock files (``~$report.docx``)
    and hidden folders are skipped and reported.  Files with the same text
    are both kept and marked (``duplicate_of``), with a warning.  Nothing is
    fetched from the network: links, frames and remote templates stay
    unresolved.

    Parameters
    ----------
    source : str or path-like
        A document, a folder of them, or a .zip archive of them (unpacked to a
        private temporary folder within the limits against zip bombs of
        :mod:`policyquant.io.refi`; a .zip inside a folder is read as a
        subfolder of that name).
    format : {"text", "docx", "pdf", "html"}, optional
        Read every file in this format whatever its suffix (``"txt"``,
        ``"md"``, ``"word"``, ``"htm"`` are accepted too); by default each
        file's suffix decides, and a file without a known suffix is recognised
        by its first bytes where it is a PDF.
    encoding : str, optional
        The encoding of the text and HTML files (``"gb18030"`` for GBK); by
        default detected as above.
    recursive : bool, default True
        Read the subfolders too (their files' ids start with the subfolder).
    progress : bool, optional
        Show a progress bar of files (and of pages for a PDF of 100 pages or
        more).  By default one is shown when standard error is a terminal and
        tqdm is installed (``pip install 'policyquant[progress]'``).

    Returns
    -------
    DocumentSet
        The documents in ``doc_id`` order, and the problems.

    Raises
    ------
    ReadError
        When ``source`` does not exist, or a format found needs a package
        that is not installed.
    ValidationError
        For an unknown ``format`` or ``encoding`` (with the closest valid ones).

    Notes
    -----
    With :data:`PARALLEL_MIN_FILES` or more Word and PDF files on a machine
    with more than one core, they are read by a pool of processes, one per
    core; text files are read in the calling process.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from policyquant.documents import read_documents
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "国家").mkdir()
    >>> _ = (folder / "国家" / "办法.txt").write_text("生成式人工智能服务管理暂行办法\\n第一条 为了促进生成式人工智能健康发展。", encoding="gb18030")
    >>> _ = (folder / "notes.xyz").write_text("?", encoding="utf-8")
    >>> documents = read_documents(folder, progress=False)
    >>> documents.to_frame()[["doc_id", "title", "encoding"]]
        doc_id            title encoding
    0  国家/办法  生成式人工智能服务管理暂行办法  gb18030
    >>> documents  # doctest: +ELLIPSIS
    DocumentSet: 1 document from ... (1 text; 36 characters)
      1 file not read or skipped, 0 duplicates, 1 problem in all (see .problems)
      - ...notes.xyz, value '.xyz': not read: unknown file type '.xyz'; expected a document saved as .txt, ...
    """
    path, format = _check_arguments(source, format, encoding, recursive, progress)
    with tempfile.TemporaryDirectory(prefix="policyquant-documents-") as scratch_root:
        counter = iter(range(1 << 30))

        def scratch() -> Path:
            folder = Path(scratch_root) / str(next(counter))
            folder.mkdir()
            return folder

        found: list[_Found] = []
        skipped: list[dict[str, Any]] = []
        if path.is_dir():
            _walk(path, str(path), "", recursive, found, skipped, scratch)
        elif path.suffix.lower() == ".zip" or (format is None and zipfile.is_zipfile(path) and format_of_suffix(path.suffix) is None):
            _unpack(path, str(path), "", recursive, found, skipped, scratch)
        else:
            found.append(_Found(path, str(path), path.name))
        return _read_found(found, skipped, str(path), format, encoding, progress)


def _read_found(found: list[_Found], skipped: list[dict[str, Any]], source: str, format: str | None, encoding: str | None, progress: bool | None) -> DocumentSet:
    ids, renamed = _document_ids_reported(found)
    jobs: list[tuple[int, str]] = []
    problems: list[tuple[int, dict[str, Any], bool]] = list(renamed)  # (position, problem, unread)
    for position, item in enumerate(found):
        chosen, problem = _format_for(item, format)
        if problem is not None:
            problems.append((position, problem, True))
        else:
            jobs.append((position, chosen))
    _check_libraries({chosen for _, chosen in jobs})
    results: dict[int, dict[str, Any]] = {}

    def record(position: int, outcome: tuple[str, Any]) -> None:
        status, value = outcome
        if status == "ok":
            results[position] = value
            for problem, expected in value.pop("notes", None) or []:
                problems.append((position, {"file": found[position].shown, "problem": problem, "expected": expected}, False))
        else:
            problem, expected, shown_value = value
            problems.append((position, {"file": found[position].shown, "value": shown_value, "problem": problem, "expected": expected}, True))

    heavy = [(position, chosen) for position, chosen in jobs if chosen in ("pdf", "docx")]
    cores = os.cpu_count() or 1
    pool, futures = None, {}
    if len(heavy) >= PARALLEL_MIN_FILES and cores > 1:
        # Started before the progress bar, whose monitor thread would make forking unsafe.
        pool, futures = _start_pool(heavy, found, encoding, min(cores, len(heavy)))
    pooled = {position for position, _ in futures.values()}
    bar = _progress_bar(progress, len(jobs), "file", "reading documents")
    try:
        # The text files are read here while the pool reads the Word and PDF files.
        serial = [job for job in jobs if job[0] not in pooled]
        for position, chosen in serial:
            _read_here(position, chosen, found, encoding, progress, bar, record)
        if pool is not None:
            for position, chosen in _collect(futures, record, bar):
                _read_here(position, chosen, found, encoding, progress, bar, record)
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        if bar is not None:
            bar.close()
    frame = _frame(found, ids, results)
    problems += _duplicate_problems(frame, found, ids)
    problems.sort(key=lambda entry: (entry[0], not entry[2]))
    rows = skipped + [problem for _, problem, _ in problems]
    unread = [True] * len(skipped) + [flag for _, _, flag in problems]
    duplicates = int(frame["duplicate_of"].notna().sum())
    if duplicates:
        warnings.warn(
            f"{duplicates} document{'s have' if duplicates != 1 else ' has'} the same text as another "
            "(see .duplicates and the column duplicate_of; none was dropped)",
            UserWarning,
            stacklevel=3,
        )
    return DocumentSet(frame, problem_table(rows), source, pd.Series(unread, dtype=bool))


def _read_here(position: int, chosen: str, found: list[_Found], encoding: str | None, progress: bool | None, bar: Any, record: Callable[[int, tuple[str, Any]], None]) -> None:
    """Read one file in this process; a long PDF gets a bar of its pages below the bar of files."""
    page_bar: list[Any] = []

    def on_page(done: int, total: int) -> None:
        if not page_bar:
            long = total >= PAGE_BAR_MIN_PAGES and bar is not None
            page_bar.append(_progress_bar(progress, total, "page", found[position].disk.name, position=1) if long else None)
        if page_bar[0] is not None:
            page_bar[0].update(1)

    try:
        record(position, _read_one(str(found[position].disk), chosen, encoding, on_page))
    finally:
        if page_bar and page_bar[0] is not None:
            page_bar[0].close()
    if bar is not None:
        bar.update(1)


def _start_pool(heavy: list[tuple[int, str]], found: list[_Found], encoding: str | None, workers: int) -> tuple[Any, dict[Any, tuple[int, str]]]:
    """A process pool reading the Word and PDF files, largest first; ``(None, {})`` where none can be started."""
    import multiprocessing
    import threading
    from concurrent.futures import ProcessPoolExecutor

    # fork starts in milliseconds and needs no re-import of the caller's script (which spawn
    # cannot do for a script read from standard input), but forking a process that runs other
    # threads can deadlock: then spawn.
    methods = multiprocessing.get_all_start_methods()
    method = "fork" if "fork" in methods and threading.active_count() == 1 else "spawn"
    # The largest files first, so that one long PDF does not start last and finish alone.
    order = sorted(heavy, key=lambda job: -_size(found[job[0]].disk))
    try:
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method))
        futures = {pool.submit(_read_job, str(found[position].disk), chosen, encoding): (position, chosen) for position, chosen in order}
    except (OSError, RuntimeError, ValueError):
        return None, {}
    return pool, futures


def _collect(futures: dict[Any, tuple[int, str]], record: Callable[[int, tuple[str, Any]], None], bar: Any) -> list[tuple[int, str]]:
    """Record the pool's results as they come; the files left unread if the pool broke (read here instead)."""
    from concurrent.futures import as_completed
    from concurrent.futures.process import BrokenProcessPool

    done: set[int] = set()
    try:
        for future in as_completed(futures):
            position, _ = futures[future]
            outcome = future.result()
            record(position, outcome)
            done.add(position)
            if bar is not None:
                bar.update(1)
    except BrokenProcessPool:
        pass  # a worker could not start or died: the files it had not read are read in this process
    return [job for job in futures.values() if job[0] not in done]


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _frame(found: list[_Found], ids: list[str], results: dict[int, dict[str, Any]]) -> pd.DataFrame:
    positions = sorted(results, key=lambda position: ids[position])
    column = {name: [results[p].get(name) for p in positions] for name in ("title", "text", "format", "encoding", "sha256")}
    frame = pd.DataFrame(
        {
            "doc_id": pd.array([ids[p] for p in positions], dtype="str"),
            "path": pd.array([found[p].shown for p in positions], dtype="str"),
            "title": pd.array(column["title"], dtype="str"),
            "text": pd.array(column["text"], dtype="str"),
            "format": pd.array(column["format"], dtype="str"),
            "encoding": pd.array(column["encoding"], dtype="str"),
            "pages": pd.array([results[p].get("pages") for p in positions], dtype="Int64"),
            "sha256": pd.array(column["sha256"], dtype="str"),
        }
    )
    # Same text, whitespace aside: the same document saved twice, or as .docx and as .pdf.
    keys = pd.Series([hashlib.sha256("".join(text.split()).encode("utf-8")).hexdigest() for text in column["text"]], dtype="str")
    first = pd.Series(frame["doc_id"].to_numpy(), index=keys.to_numpy()).groupby(level=0).transform("first").to_numpy()
    frame["duplicate_of"] = pd.array(first, dtype="str")
    frame.loc[frame["duplicate_of"] == frame["doc_id"], "duplicate_of"] = None
    return frame


def _duplicate_problems(frame: pd.DataFrame, found: list[_Found], ids: list[str]) -> list[tuple[int, dict[str, Any], bool]]:
    position_of = {doc_id: position for position, doc_id in enumerate(ids)}
    paths = dict(zip(frame["doc_id"], frame["path"], strict=True))
    problems = []
    for doc_id, original in frame.loc[frame["duplicate_of"].notna(), ["doc_id", "duplicate_of"]].itertuples(index=False):
        problems.append(
            (
                position_of[doc_id],
                {
                    "file": paths[doc_id],
                    "value": doc_id,
                    "problem": f"read; the same text as {original!r} ({paths[original]}): a duplicate (both kept)",
                    "expected": "if they are one document, leave one out (e.g. documents.frame[documents.frame.duplicate_of.isna()])",
                },
                False,
            )
        )
    return problems

"""Writing files so that nothing is lost: atomically, never over an input, with a manifest.

Every file policyquant writes goes through :func:`atomic_path` (or the
:func:`write_bytes` and :func:`write_text` helpers built on it): the content is
written to a hidden temporary file in the target's own folder, flushed to the
disk, and renamed over the target with :func:`os.replace`, which is atomic on
one file system.  A reader, a concurrent run or a crash therefore sees the old
file or the whole new one, never a part; on any failure (a full disk,
Ctrl-C, a bug) the temporary file is removed and the old file is untouched.

A folder of CSV or Parquet tables written by :func:`policyquant.write_coding`
also gets a manifest (:data:`MANIFEST_NAME`) recording each table's size,
rows and SHA-256; :func:`check_complete` uses it to report a table cut short
by an interrupted copy instead of reading the rows that are left as if they
were all.
"""

from __future__ import annotations

import contextlib
import errno as errnos
import gc
import hashlib
import io
import json
import os
import re
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO

from .errors import ReadError, WriteError

__all__ = [
    "MANIFEST_NAME",
    "atomic_path",
    "check_complete",
    "in_memory",
    "refuse_overwriting_inputs",
    "write_bytes",
    "write_manifest",
    "write_text",
]

#: The file, next to the tables of a folder written by write_coding, that says what was written.
MANIFEST_NAME = "policyquant-manifest.json"
_MANIFEST_KEY = "policyquant-manifest"

#: Longest temporary file name stem, in bytes: file systems allow 255 bytes a name.
_NAME_BYTES = 180


# -- Errors --------------------------------------------------------------------------------------

_REASONS = {
    errnos.ENOSPC: "no space left on device",
    errnos.EFBIG: "the file is larger than the file system or a size limit allows",
    errnos.EROFS: "the file system is read-only",
    errnos.EACCES: "permission denied (the file or its folder is not writable for you, or the file is open in another program)",
    errnos.EPERM: "the operation is not permitted (the file or its folder is protected)",
    errnos.EISDIR: "it is a folder, not a file; give a file name",
    errnos.ENAMETOOLONG: "the file name is too long for the file system",
    errnos.EIO: "the device reported an input/output error",
}
if hasattr(errnos, "EDQUOT"):
    _REASONS[errnos.EDQUOT] = "the disk quota is exceeded"


def _errno(error: OSError) -> int | None:
    if error.errno is not None:
        return error.errno
    # Some libraries (pyarrow) raise an OSError carrying only the text "[Errno 28] ...".
    found = re.search(r"\[Errno (\d+)\]", str(error))
    return int(found.group(1)) if found else None


def _blocking_file(path: Path) -> Path | None:
    """The first part of ``path`` that exists but is not a folder, if any."""
    for parent in [*reversed(path.parents), path]:
        if parent.exists() and not parent.is_dir():
            return parent
        if not parent.exists():
            return None
    return None


def write_error(error: OSError, target: Path, *, what: str = "", existed: bool | None = None) -> WriteError:
    """The :class:`~policyquant.errors.WriteError` for an OS error met while writing ``target``.

    One sentence naming the file, what went wrong in words (not an errno) and
    what became of the file.

    Examples
    --------
    >>> import errno, pathlib
    >>> print(write_error(OSError(errno.ENOSPC, "No space left on device"), pathlib.Path("out/report.html")))
    no space left on device while writing out/report.html; nothing was written
    """
    number = _errno(error)
    if existed is None:
        existed = os.path.lexists(target)
    outcome = "nothing was written, the old file is unchanged" if existed else "nothing was written"
    name = f"{what} {target}" if what else str(target)
    if number in (errnos.ENOTDIR, errnos.EEXIST) or (number == errnos.ENOENT and _blocking_file(target)):
        blocker = _blocking_file(target)
        part = f" ({blocker.name})" if blocker is not None else ""
        return WriteError(
            f"cannot write {name}: a part of the path is a file, not a folder{part}; {outcome}",
            path=target,
            errno=number,
        )
    if number == errnos.ENOENT:
        return WriteError(
            f"cannot write {name}: its folder does not exist; {outcome}", path=target, errno=number
        )
    if number == errnos.ENOSPC:
        message = f"no space left on device while writing {name}; {outcome}"
    elif number in _REASONS:
        message = f"cannot write {name}: {_REASONS[number]}; {outcome}"
    else:
        reason = (error.strerror or str(error) or type(error).__name__).strip()
        message = f"cannot write {name}: {reason[:1].lower() + reason[1:]}; {outcome}"
    return WriteError(message, path=target, errno=number)


# -- Atomic writing -------------------------------------------------------------------------------


def _umask() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    # Elsewhere the only way to read the umask is to set it; it is put back at once.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _mode_for(target: Path) -> int:
    """The permissions the file gets: an existing file's own, else what open() would give."""
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        return 0o666 & ~_umask()


def _temporary_name(target: Path) -> tuple[str, str]:
    stem = target.stem.encode("utf-8", "surrogateescape")[:_NAME_BYTES].decode("utf-8", "ignore")
    # Hidden, marked as temporary, and with the target's suffix: writers that choose a format
    # or a compression by the suffix (pandas, matplotlib) still do.
    return f".{stem}.", f".tmp{target.suffix}"


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); Windows cannot open a folder, and needs not."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def _resolve(target: Path) -> Path:
    # Writing through a symbolic link writes the file it points to, as open() would; replacing
    # the link itself with a file would leave the file it pointed to stale.
    return Path(os.path.realpath(target)) if target.is_symlink() else target


@contextlib.contextmanager
def atomic_path(
    target: str | os.PathLike[str], *, what: str = "", keep: bool = False, create_folders: bool = True
) -> Iterator[Path]:
    """A temporary path to write ``target``'s new content to; it replaces ``target`` on success.

    The temporary file is hidden, in the target's own folder (so that the
    rename is atomic), ends with the target's suffix, and is removed when
    the block raises anything, ``KeyboardInterrupt`` included.  On success
    it is flushed to the disk, given the target's permissions (an existing
    file's own, else the ones a newly created file gets under the umask),
    and renamed over the target with :func:`os.replace`.

    Parameters
    ----------
    target : str or path-like
        The file to write.  A symbolic link is followed.  A device or pipe
        (``/dev/null``, ``/dev/stdout``) is written directly: it cannot be
        replaced, and holds nothing to lose.
    what : str, optional
        What the file is, for messages (``"the template"``).
    keep : bool, default False
        Start the temporary file as a copy of the target, for writers that
        append to it.
    create_folders : bool, default True
        Create missing folders on the way.

    Yields
    ------
    pathlib.Path
        The temporary file (it exists, empty unless ``keep``).

    Raises
    ------
    WriteError
        For any OS error while writing (no space left, permission denied, a
        read-only file system, a folder in the way): one sentence naming
        ``target``, which is unchanged.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> with atomic_path(folder / "table.csv") as temporary:
    ...     _ = temporary.write_text("a,b\\n1,2\\n", encoding="utf-8")
    ...     print(temporary.name.startswith(".table.") and temporary.suffix)
    .csv
    >>> sorted(p.name for p in folder.iterdir())
    ['table.csv']
    >>> with atomic_path(folder / "table.csv") as temporary:
    ...     _ = temporary.write_text("a,b\\n3,", encoding="utf-8")
    ...     raise RuntimeError("stopped half-way")
    Traceback (most recent call last):
    ...
    RuntimeError: stopped half-way
    >>> sorted(p.name for p in folder.iterdir()), (folder / "table.csv").read_text(encoding="utf-8")
    (['table.csv'], 'a,b\\n1,2\\n')
    """
    target = _resolve(Path(target))
    existed = os.path.lexists(target)
    if existed and not target.is_dir() and not target.is_file():
        # A device or a pipe: replacing it with a file would be wrong (and, for /dev/null, harmful).
        try:
            yield target
        except OSError as error:
            raise write_error(error, target, what=what, existed=True) from None
        return
    if target.is_dir():
        raise WriteError(
            f"cannot write {what + ' ' if what else ''}{target}: it is a folder, not a file; give a file name",
            path=target,
            errno=errnos.EISDIR,
        )
    folder = target.parent
    try:
        if create_folders:
            folder.mkdir(parents=True, exist_ok=True)
        prefix, suffix = _temporary_name(target)
        handle, name = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=folder)
        os.close(handle)
    except OSError as error:
        raise write_error(error, target, what=what, existed=existed) from None
    temporary = Path(name)
    try:
        if keep and existed:
            shutil.copyfile(target, temporary)
        yield temporary
        os.chmod(temporary, _mode_for(target))
        with open(temporary, "r+b") as written:
            os.fsync(written.fileno())
        os.replace(temporary, target)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError) and not isinstance(error, WriteError):
            raise write_error(error, target, what=what, existed=existed) from None
        raise
    _fsync_folder(folder)


def write_bytes(
    target: str | os.PathLike[str],
    data: bytes | Callable[[BinaryIO], object],
    *,
    what: str = "",
    create_folders: bool = True,
) -> Path:
    """Write ``data`` (bytes, or a function writing to a binary file) to ``target`` atomically.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = write_bytes(pathlib.Path(tempfile.mkdtemp()) / "a.bin", b"\\x00\\x01")
    >>> path.read_bytes()
    b'\\x00\\x01'
    """
    target = Path(target)
    with (
        atomic_path(target, what=what, create_folders=create_folders) as temporary,
        open(temporary, "wb") as stream,
    ):
        if isinstance(data, bytes | bytearray | memoryview):
            stream.write(data)
        else:
            data(stream)
    return target


@contextlib.contextmanager
def _unraisable_os_errors_ignored() -> Iterator[None]:
    previous = sys.unraisablehook

    def hook(unraisable: Any) -> None:
        error = unraisable.exc_value
        if not (isinstance(error, OSError) or (isinstance(error, Exception) and _lxml_io_errno(error))):
            previous(unraisable)

    sys.unraisablehook = hook
    try:
        yield
    finally:
        sys.unraisablehook = previous


def _lxml_io_errno(error: Exception) -> int | None:
    """The errno of an lxml ``SerialisationError("IO_ENOSPC")``-style I/O failure, else None."""
    text = str(error)
    if type(error).__name__ != "SerialisationError" or not text.startswith("IO_E"):
        return None
    number = getattr(errnos, text[3:].split()[0], None)
    return number if isinstance(number, int) else None


def in_memory(
    write: Callable[[io.BytesIO], object], target: str | os.PathLike[str], *, what: str = ""
) -> memoryview:
    """The bytes ``write`` writes to a buffer, for :func:`write_bytes` to put at ``target``.

    For zip-based formats (xlsx): the archive is built in memory, so that a
    full disk cannot leave half an archive whose ``ZipFile.__del__`` then
    complains.  openpyxl still spools each sheet through a temporary file of
    its own; when that fails (a full disk, a file-size limit), its
    half-closed writers complain again when collected: that is silenced
    here, and the failure becomes one :class:`~policyquant.errors.WriteError`.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> data = in_memory(lambda buffer: buffer.write(b"PK"), "book.xlsx")
    >>> bytes(data)
    b'PK'
    """
    buffer = io.BytesIO()
    failed: tuple[int | None, str] | None = None
    with _unraisable_os_errors_ignored():
        try:
            write(buffer)
        except OSError as error:
            # Only the numbers are kept: the traceback, and the writers it holds, go now.
            failed = (_errno(error), error.strerror or str(error))
        except Exception as error:
            # lxml (openpyxl's XML writer when installed) reports an I/O failure of its own
            # temporary file as SerialisationError("IO_EFBIG"), not as an OSError.
            number = _lxml_io_errno(error)
            if number is None:
                raise
            failed = (number, os.strerror(number))
        if failed is not None:
            gc.collect()
    if failed is not None:
        raise write_error(OSError(*failed), Path(target), what=what)
    return buffer.getbuffer()


def write_text(
    target: str | os.PathLike[str],
    text: str,
    *,
    encoding: str = "utf-8",
    newline: str | None = None,
    what: str = "",
    create_folders: bool = True,
) -> Path:
    """Write ``text`` to ``target`` atomically (as :meth:`pathlib.Path.write_text` would).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = write_text(pathlib.Path(tempfile.mkdtemp()) / "a.md", "# 标题\\n")
    >>> path.read_text(encoding="utf-8")
    '# 标题\\n'
    """
    target = Path(target)
    with (
        atomic_path(target, what=what, create_folders=create_folders) as temporary,
        open(temporary, "w", encoding=encoding, newline=newline) as stream,
    ):
        stream.write(text)
    return target


# -- Outputs that are inputs ---------------------------------------------------------------------


def _labelled(paths: Mapping[str, Any] | Iterable[Any]) -> list[tuple[str, Path]]:
    if isinstance(paths, Mapping):
        items = list(paths.items())
    else:
        items = [("", path) for path in paths]
    return [(label, Path(path)) for label, path in items if isinstance(path, str | os.PathLike)]


def _same(output: Path, source: Path) -> bool:
    try:
        return os.path.samefile(output, source)
    except OSError:
        # One of them does not exist (yet): the same path is the same file.
        return os.path.normcase(os.path.realpath(output)) == os.path.normcase(os.path.realpath(source))


def refuse_overwriting_inputs(
    outputs: Mapping[str, Any] | Iterable[Any], inputs: Mapping[str, Any] | Iterable[Any]
) -> None:
    """Raise if any output is one of the inputs: writing it would replace what is being read.

    Paths are compared as files (:func:`os.path.samefile` where both exist),
    so a symbolic link, a hard link, a relative path or, on a
    case-insensitive disk, another case of the same name all count.

    Parameters
    ----------
    outputs, inputs : mapping of str to path, or iterable of paths
        The files to write and the files read; a mapping's keys say what
        each is (``"--problems"``, ``"the units file"``) for the message.
        Entries that are not paths (DataFrames, None) are skipped.

    Raises
    ------
    WriteError
        Naming the output and the input it is, before anything is written.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "units.csv").write_text("unit_id\\n", encoding="utf-8")
    >>> refuse_overwriting_inputs({"--problems": folder / "problems.csv"}, {"the units file": folder / "units.csv"})
    >>> refuse_overwriting_inputs({"--problems": folder / "units.csv"}, {"the units file": folder / "units.csv"})
    Traceback (most recent call last):
    ...
    policyquant.errors.WriteError: --problems .../units.csv is the units file .../units.csv: writing it would replace that input; give another file name
    """
    sources = _labelled(inputs)
    for out_label, output in _labelled(outputs):
        for in_label, source in sources:
            if _same(output, source):
                # A label may name its path already (the command line's "--problems FILE").
                what = out_label if str(output) in out_label else f"{out_label} {output}".strip()
                was = in_label if str(source) in in_label else f"{in_label or 'the input'} {source}"
                raise WriteError(
                    f"{what} is {was}: writing it would replace that input; give another file name",
                    path=output,
                    input=source,
                )


# -- The manifest of a folder of tables ----------------------------------------------------------


def _chunk_size(size: int) -> int:
    # At most about 512 chunks a file, and none smaller than 64 KiB: the manifest stays small.
    chunk = 1 << 16
    while size > chunk * 512:
        chunk <<= 1
    return chunk


def _first_line(data: bytes) -> bytes:
    end = data.find(b"\n")
    return data if end < 0 else data[: end + 1]


def _describe_file(path: Path, rows: int) -> dict[str, Any]:
    size = path.stat().st_size
    chunk = _chunk_size(size)
    whole = hashlib.sha256()
    chunks = []
    head = b""
    with open(path, "rb") as stream:
        while block := stream.read(chunk):
            if not chunks:
                head = _first_line(block[: 1 << 16])
            whole.update(block)
            if len(block) == chunk:
                chunks.append(hashlib.sha256(block).hexdigest()[:16])
    return {
        "rows": int(rows),
        "bytes": size,
        "sha256": whole.hexdigest(),
        "first_line_sha256": hashlib.sha256(head).hexdigest(),
        "chunk_bytes": chunk,
        "chunk_sha256": chunks,
    }


def _existing_manifest(target: Path, consequence: str = "") -> dict[str, Any] | None:
    """The manifest at ``target`` (None if there is none), refusing a file of that name that is no manifest.

    ``consequence``: what the error adds (``"; nothing was written"``).
    """
    data = _load_manifest(target) if target.exists() else None
    if data is None and os.path.lexists(target):
        raise WriteError(
            f"{target} exists and is not a policyquant manifest; move it away, as policyquant "
            f"records the tables it writes to this folder in a file of that name{consequence}",
            path=target,
        )
    return data


def _load_manifest(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get(_MANIFEST_KEY) != 1 or not isinstance(data.get("files"), dict):
        return None
    return data


def write_manifest(
    folder: str | os.PathLike[str],
    written: Mapping[str | os.PathLike[str], int] | None = None,
    *,
    forget: Iterable[str] = (),
) -> Path:
    """Record the tables just written to ``folder`` in its manifest (:data:`MANIFEST_NAME`).

    Parameters
    ----------
    folder : path
        The folder holding the tables.
    written : mapping of path to int, optional
        Each table written and its number of rows.
    forget : iterable of str
        File names to drop from the manifest: called with the tables about
        to be rewritten before writing them, so that no reader checks a new
        table against the old one's record.

    Returns
    -------
    pathlib.Path
        The manifest.

    Raises
    ------
    WriteError
        If a file of that name exists that is not a policyquant manifest.

    Examples
    --------
    >>> import json, pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "units.csv").write_text("unit_id\\nA\\nB\\n", encoding="utf-8")
    >>> manifest = json.loads(write_manifest(folder, {folder / "units.csv": 2}).read_text())
    >>> manifest["files"]["units.csv"]["rows"], manifest["files"]["units.csv"]["bytes"]
    (2, 12)
    """
    from . import __version__

    folder = Path(folder)
    target = folder / MANIFEST_NAME
    if not written and not os.path.lexists(target):
        return target
    data = _existing_manifest(target)
    files: dict[str, Any] = dict(data["files"]) if data else {}
    for name in forget:
        files.pop(name, None)
    for path, rows in (written or {}).items():
        files[Path(path).name] = _describe_file(Path(path), rows)
    manifest = {
        _MANIFEST_KEY: 1,
        "about": "what policyquant wrote to this folder, so that a table cut short (by an interrupted "
        "copy) is reported when read; delete this file if you edit the tables on purpose",
        "written_by": f"policyquant {__version__}",
        "files": dict(sorted(files.items())),
    }
    return write_text(target, json.dumps(manifest, ensure_ascii=False, indent=1) + "\n")


def _is_cut_from(path: Path, entry: Mapping[str, Any]) -> bool:
    """Whether the file starts exactly as the recorded one did (every whole chunk alike) but is shorter."""
    chunk = int(entry.get("chunk_bytes") or 0)
    hashes = entry.get("chunk_sha256") or []
    if chunk <= 0:
        return False
    with open(path, "rb") as stream:
        first = stream.read(1 << 16)
        line = _first_line(first)
        if not line.endswith(b"\n") or hashlib.sha256(line).hexdigest() != entry.get("first_line_sha256"):
            # Another header (or none): the file was rewritten, not cut.
            return False
        stream.seek(0)
        position = 0
        while len(block := stream.read(chunk)) == chunk:
            if position >= len(hashes) or hashlib.sha256(block).hexdigest()[:16] != hashes[position]:
                return False
            position += 1
    return True


def check_complete(*sources: Any) -> None:
    """Refuse a table that is shorter than the one policyquant wrote and starts the same: a cut copy.

    A table is checked when its folder has a manifest (:data:`MANIFEST_NAME`)
    that lists it.  A table as long as written or longer, or one that starts
    differently (edited, re-saved by a spreadsheet), is read as it is: the
    manifest only catches the silent loss of rows from the end.

    Parameters
    ----------
    *sources : path, DataFrame or None
        What is about to be read; anything but an existing file is skipped.

    Raises
    ------
    ReadError
        Naming the file, its size against the size written, and the way out.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import policyquant as pq
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> documents, units = pq.datasets.load_genai_china().to_csv(folder)
    >>> check_complete(units, documents)
    >>> data = units.read_bytes()
    >>> _ = units.write_bytes(data[: data.index(b"\\r\\n", len(data) // 2) + 2])
    >>> check_complete(units, documents)
    Traceback (most recent call last):
    ...
    policyquant.errors.ReadError: .../units.csv is cut short: ...
    """
    for source in sources:
        if not isinstance(source, str | os.PathLike):
            continue
        path = Path(source)
        manifest = path.parent / MANIFEST_NAME
        try:
            if not path.is_file() or not manifest.is_file():
                continue
            data = _load_manifest(manifest)
            entry = (data or {}).get("files", {}).get(path.name)
            if not isinstance(entry, dict):
                continue
            size = path.stat().st_size
            recorded = int(entry.get("bytes", 0))
            if size >= recorded or not _is_cut_from(path, entry):
                continue
        except OSError:
            # Reading the file itself reports what is wrong with it.
            continue
        rows = int(entry.get("rows", 0))
        left = ""
        if path.suffix.lower() == ".csv":
            with contextlib.suppress(OSError):
                lines = path.read_bytes().count(b"\n")
                left = f" (about {max(lines - 1, 0):,} of its {rows:,} rows)"
        else:
            left = f" (of {rows:,} rows)"
        raise ReadError(
            f"{path} is cut short: it holds {size:,} of the {recorded:,} bytes policyquant wrote "
            f"to it{left}, as an interrupted copy or download leaves a file; copy it again, or, "
            f"if rows were removed on purpose, delete {manifest.name} next to it"
        )

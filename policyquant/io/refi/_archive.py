"""Reading ``.qdpx`` zip archives safely: members read by name, within limits."""

from __future__ import annotations

import os
import re
import stat
import zipfile
import zlib
from pathlib import Path
from xml.etree import ElementTree as ET

from ..._text import format_choices
from ...errors import ReadError
from ._xml import _parse_xml

#: The largest uncompressed size read from a ``.qdpx`` archive, all members together.
MAX_UNCOMPRESSED_BYTES = 1 << 30

#: The most members a ``.qdpx`` archive may hold (checked before the archive is parsed).
MAX_MEMBERS = 100_000

#: Members larger than this must not be compressed more than :data:`MAX_COMPRESSION_RATIO` times.
_RATIO_FLOOR_BYTES = 1 << 20

#: The highest compression ratio accepted for a large member: plain text compresses about
#: 3 to 10 times, a zip bomb thousands of times.
MAX_COMPRESSION_RATIO = 200


# --------------------------------------------------------------------------
# Reading zip archives safely.


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

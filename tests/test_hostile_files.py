"""Hostile files: XML bombs, external entities, path-traversing and bombing archives, no network.

Every attack must be refused with a :class:`~policyquant.errors.ReadError` that names the
file (and the member, for an archive), *without effect*: no other file is opened (checked
with a :func:`sys.addaudithook` hook that sees every ``open`` and socket call the
interpreter makes), nothing is written, no connection is attempted, and a bomb is refused
before it is decompressed (checked loosely with :mod:`tracemalloc`, never with timings).
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import sys
import tracemalloc
import warnings
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import defusedxml.ElementTree  # noqa: F401 - imported now, so that its import opens no file during a test
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policyquant as pq
from policyquant.errors import ReadError
from policyquant.io import read_qdc, read_qdpx, refi, write_coding_template, write_qdc, write_qdpx

SECRET = "TOP-SECRET-d41d8cd9"

# --------------------------------------------------------------------------
# Watching what a read touches.

_watching: list[list[tuple[str, str]]] = []


def _audit(event: str, args: tuple) -> None:
    if not _watching:
        return
    if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        path = os.fsdecode(args[0])
        # The interpreter's own imports are not reads of user data.
        if not path.endswith((".py", ".pyc", ".so")) and "__pycache__" not in path:
            _watching[-1].append((event, path))
    elif event.startswith(("socket.", "urllib.", "subprocess.", "os.system", "os.exec", "os.posix_spawn")):
        _watching[-1].append((event, repr(args[:2])))


sys.addaudithook(_audit)


@contextlib.contextmanager
def watched() -> Iterator[list[tuple[str, str]]]:
    """Record the files opened and the network and process calls made inside the block."""
    events: list[tuple[str, str]] = []
    _watching.append(events)
    try:
        yield events
    finally:
        _watching.remove(events)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def refused_without_effect(
    read: Callable[[Path], object], path: Path, folder: Path, *, match: str = ""
) -> ReadError:
    """Read ``path``, expect a ReadError naming it, and check nothing else was touched."""
    before = snapshot(folder)
    with watched() as events, pytest.raises(ReadError) as raised, warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        read(path)
    message = str(raised.value)
    assert str(path) in message, message
    assert re.search(match, message), message
    assert not isinstance(raised.value.__cause__, Exception) or raised.value.__suppress_context__
    assert SECRET not in message
    assert SECRET not in raised.value.problems.to_string()
    opened = {detail for event, detail in events if event == "open"}
    assert opened <= {str(path)}, opened
    assert [e for e in events if e[0] != "open"] == []
    assert snapshot(folder) == before
    assert not (folder.parent / "evil.txt").exists()
    return raised.value


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list:
    """Make every outgoing connection fail, and record the attempts."""
    attempts: list = []

    def refuse(self, address, *args, **kwargs):
        attempts.append(address)
        raise OSError(f"network access blocked by the test: {address}")

    def refuse_connection(address, *args, **kwargs):
        attempts.append(address)
        raise OSError(f"network access blocked by the test: {address}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse_connection)
    return attempts


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(SECRET, encoding="utf-8")
    return path


@pytest.fixture
def listener() -> Iterator[str]:
    """A local port that would see a connection if a reader fetched an http URL."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.setblocking(False)
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}"
        with pytest.raises(BlockingIOError):
            server.accept()  # nobody connected
    finally:
        server.close()


# --------------------------------------------------------------------------
# Hostile XML, in a codebook and in a project.

CORPUS = pq.datasets.load_genai_china().subset(["N01"])


def assert_same_coding(read: pq.Corpus, corpus: pq.Corpus) -> None:
    """A project keeps the units and the document scores, not the document metadata."""
    pd.testing.assert_frame_equal(read.units, corpus.units, check_dtype=False, check_categorical=False)
    pd.testing.assert_frame_equal(
        read.documents, corpus.documents[["doc_id", "DA"]], check_dtype=False, check_categorical=False
    )


def xml_attacks(secret: Path, url: str) -> dict[str, tuple[str, str]]:
    """Attack name -> (DOCTYPE to insert, entity reference to use in an attribute)."""
    laughs = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    )
    return {
        "billion laughs": (f"<!DOCTYPE lolz [{laughs}]>", "&lol9;"),
        "quadratic blowup": (f'<!DOCTYPE q [<!ENTITY big "{"x" * 50_000}">]>', "&big;" * 2_000),
        "external entity /etc/passwd": ('<!DOCTYPE q [<!ENTITY x SYSTEM "file:///etc/passwd">]>', "&x;"),
        "external entity file": (f'<!DOCTYPE q [<!ENTITY x SYSTEM "{secret.as_uri()}">]>', "&x;"),
        "external entity http": (f'<!DOCTYPE q [<!ENTITY x SYSTEM "{url}/entity">]>', "&x;"),
        "external parameter entity": (
            f'<!DOCTYPE q [<!ENTITY % p SYSTEM "{secret.as_uri()}"> %p;]>',
            "",
        ),
        "external DTD http": (f'<!DOCTYPE Project SYSTEM "{url}/refi.dtd">', ""),
        "external DTD file": (f'<!DOCTYPE Project SYSTEM "{secret.as_uri()}">', ""),
        "public DTD": (f'<!DOCTYPE Project PUBLIC "-//EVIL//DTD x//EN" "{url}/public.dtd">', ""),
    }


ATTACKS = list(xml_attacks(Path("/x"), "http://x"))


def poison(xml: bytes, doctype: str, reference: str) -> bytes:
    """Insert a DOCTYPE after the XML declaration and an entity reference into the root's origin."""
    text = xml.decode("utf-8")
    declaration = '<?xml version="1.0" encoding="utf-8"?>\n'
    assert text.startswith(declaration)
    text = declaration + doctype + "\n" + text[len(declaration) :]
    if reference:
        assert text.count(' origin="') == 1
        text = text.replace(' origin="', f' origin="{reference}', 1)
    return text.encode("utf-8")


def rezip(source: Path, target: Path, *, replace=None, add=()) -> Path:
    """Copy an archive, replacing (or with None dropping) members and appending others."""
    replace = replace or {}
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename in replace:
                if replace[info.filename] is not None:
                    new.writestr(info.filename, replace[info.filename])
            else:
                new.writestr(info, old.read(info))
        for name, data in add:
            new.writestr(name, data)
    return target


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A clean project written by policyquant: one document of the study."""
    return write_qdpx(CORPUS, tmp_path_factory.mktemp("clean") / "clean.qdpx")


@pytest.fixture
def attacks(secret: Path, listener: str) -> dict[str, tuple[str, str]]:
    return xml_attacks(secret, listener)


def test_the_clean_files_read(project, tmp_path):
    # The attacks below start from these files: they must be readable as they are.
    assert_same_coding(read_qdpx(project)["coder"], CORPUS)
    codebook = write_qdc("wang2026", tmp_path / "wang.qdc")
    assert read_qdc(codebook).instrument_keys == pq.get_framework("wang2026").instrument_keys
    for doctype, reference in xml_attacks(tmp_path / "s.txt", "http://127.0.0.1:9").values():
        assert b"<!DOCTYPE" in poison(codebook.read_bytes(), doctype, reference)


@pytest.mark.parametrize("attack", ATTACKS)
def test_hostile_codebook_is_refused_without_effect(attack, attacks, tmp_path, no_network):
    doctype, reference = attacks[attack]
    clean = write_qdc("wang2026", tmp_path / "clean.qdc").read_bytes()
    path = tmp_path / "hostile.qdc"
    path.write_bytes(poison(clean, doctype, reference))
    tracemalloc.start()
    try:
        error = refused_without_effect(
            read_qdc, path, tmp_path, match="refused to parse: it declares a document type"
        )
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20 << 20  # nothing was expanded (a billion laughs would need gigabytes)
    assert no_network == []
    (problem,) = error.problems.to_dict("records")
    assert problem["file"] == str(path)
    assert problem["problem"] == "unsafe XML (DTDForbidden)"


@pytest.mark.parametrize("attack", ATTACKS)
@pytest.mark.parametrize("reader", [read_qdpx, read_qdc], ids=["read_qdpx", "read_qdc"])
def test_hostile_project_is_refused_without_effect(attack, reader, attacks, project, tmp_path, no_network):
    doctype, reference = attacks[attack]
    with zipfile.ZipFile(project) as archive:
        qde = archive.read("project.qde")
    path = rezip(project, tmp_path / "hostile.qdpx", replace={"project.qde": poison(qde, doctype, reference)})
    error = refused_without_effect(
        reader, path, tmp_path, match=r"refused to parse: it declares a document type"
    )
    assert f"{path}:project.qde" in str(error)
    assert no_network == []


def test_hostile_bare_project_file_is_refused(attacks, project, tmp_path, no_network):
    with zipfile.ZipFile(project) as archive:
        qde = archive.read("project.qde")
    path = tmp_path / "project.qde"
    path.write_bytes(poison(qde, *attacks["external entity file"]))
    refused_without_effect(read_qdpx, path, tmp_path, match="refused to parse")


def test_the_refusal_says_what_was_declared(tmp_path, secret):
    path = tmp_path / "dtd.qdc"
    path.write_bytes(
        poison(
            write_qdc("howlett-ramesh-1995", tmp_path / "hr.qdc").read_bytes(),
            f'<!DOCTYPE CodeBook SYSTEM "{secret.as_uri()}">',
            "",
        )
    )
    with pytest.raises(ReadError) as raised:
        read_qdc(path)
    assert str(raised.value).startswith(
        f"{path}: refused to parse: it declares a document type "
        f"(<!DOCTYPE CodeBook SYSTEM '{secret.as_uri()}'>), which REFI-QDA files never do"
    )


def test_a_harmless_doctype_is_refused_too(tmp_path):
    # REFI-QDA files are described by XML schemas and never carry a DTD; refusing every
    # DOCTYPE is what guarantees that none is fetched or expanded.
    path = tmp_path / "doctype.qdc"
    path.write_bytes(
        poison(write_qdc("howlett-ramesh-1995", tmp_path / "hr.qdc").read_bytes(), "<!DOCTYPE CodeBook>", "")
    )
    with pytest.raises(ReadError, match=r"<!DOCTYPE CodeBook>"):
        read_qdc(path)


# --------------------------------------------------------------------------
# Archive members that lead outside the archive, or are not plain files.


@pytest.mark.parametrize(
    "name",
    [
        "../evil.txt",
        "/abs.txt",
        "C:\\x.txt",
        "C:/x.txt",
        "sources/../../x",
        "sources\\..\\..\\evil.txt",
        "\\\\server\\share\\evil.txt",
    ],
)
def test_member_names_leading_outside_are_refused_naming_the_member(name, project, tmp_path):
    path = rezip(project, tmp_path / "traversal.qdpx", add=[(zipfile.ZipInfo(name), b"evil")])
    error = refused_without_effect(read_qdpx, path, tmp_path, match="leads outside the archive")
    assert repr(name) in str(error)
    (problem,) = error.problems.to_dict("records")
    assert (problem["column"], problem["value"]) == ("zip member", name)
    # The codebook reader opens the same archive through the same checks.
    refused_without_effect(read_qdc, path, tmp_path, match=re.escape(repr(name)))


@pytest.mark.parametrize(
    "reference", ["file://{secret}", "relative://../../secret.txt", "{secret}", "internal://../secret.txt"]
)
def test_a_source_path_pointing_outside_reads_nothing_outside(reference, project, secret, tmp_path):
    with zipfile.ZipFile(project) as archive:
        qde = archive.read("project.qde").decode("utf-8")
    pointed = reference.format(secret=secret)
    qde = re.sub(r'plainTextPath="[^"]*"', f'plainTextPath="{pointed}"', qde, count=1)
    path = rezip(project, tmp_path / "outside.qdpx", replace={"project.qde": qde.encode("utf-8")})
    refused_without_effect(read_qdpx, path, tmp_path, match="is not in the archive")


def unix_member(name: str, mode: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.create_system = 3  # Unix: the mode sits in the high bits of the external attributes
    info.external_attr = mode << 16
    return info


@pytest.mark.parametrize("member", ["project.qde", "source"])
def test_a_symbolic_link_member_is_refused(member, project, secret, tmp_path):
    with zipfile.ZipFile(project) as archive:
        source = next(n for n in archive.namelist() if n.startswith("sources/"))
    name = "project.qde" if member == "project.qde" else source
    path = rezip(
        project,
        tmp_path / "link.qdpx",
        replace={name: None},
        add=[(unix_member(name, 0o120777), str(secret).encode())],
    )
    error = refused_without_effect(read_qdpx, path, tmp_path, match="it is a symbolic link")
    assert repr(name) in str(error)


def test_a_device_member_is_refused(project, tmp_path):
    path = rezip(project, tmp_path / "fifo.qdpx", add=[(unix_member("sources/pipe", 0o010644), b"")])
    refused_without_effect(read_qdpx, path, tmp_path, match="'sources/pipe': it is not a regular file")


def test_an_ordinary_unix_member_is_fine(project, tmp_path):
    with zipfile.ZipFile(project) as archive:
        source = next(n for n in archive.namelist() if n.startswith("sources/"))
        data = archive.read(source)
    path = rezip(
        project, tmp_path / "mode.qdpx", replace={source: None}, add=[(unix_member(source, 0o100644), data)]
    )
    assert_same_coding(read_qdpx(path)["coder"], CORPUS)


def test_duplicate_member_names_are_refused(project, tmp_path):
    path = rezip(project, tmp_path / "twice.qdpx")
    with warnings.catch_warnings(), zipfile.ZipFile(path, "a") as archive:
        warnings.simplefilter("ignore", UserWarning)  # zipfile warns about the duplicate name
        archive.writestr("project.qde", b"<Project xmlns='urn:QDA-XML:project:1.0'/>")
    refused_without_effect(read_qdpx, path, tmp_path, match="'project.qde': the archive holds two members")


def test_an_encrypted_member_is_refused(project, tmp_path):
    path = rezip(project, tmp_path / "locked.qdpx")
    flip_flag_bit(path, "project.qde", 0x1)
    refused_without_effect(read_qdpx, path, tmp_path, match="'project.qde': it is encrypted")


@pytest.mark.parametrize("member", ["project.qde", "source"])
def test_a_nested_zip_is_not_opened(member, project, tmp_path):
    inner = tmp_path / "inner.zip"
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as archive, archive.open("zeros.txt", "w") as out:
        for _ in range(64):
            out.write(bytes(1 << 20))
    with zipfile.ZipFile(project) as archive:
        source = next(n for n in archive.namelist() if n.startswith("sources/"))
    name = "project.qde" if member == "project.qde" else source
    path = rezip(project, tmp_path / "nested.qdpx", replace={name: inner.read_bytes()})
    inner.unlink()
    tracemalloc.start()
    try:
        refused_without_effect(read_qdpx, path, tmp_path, match="is a zip archive, not (XML|plain text)")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 16 << 20  # the 64 MiB inside was never decompressed


# --------------------------------------------------------------------------
# Zip bombs.


def central_directory_entry(data: bytes, name: str) -> int:
    """Offset of the central-directory header of member ``name``."""
    encoded = name.encode("utf-8")
    for match in re.finditer(rb"PK\x01\x02", data):
        at = match.start()
        length = int.from_bytes(data[at + 28 : at + 30], "little")
        if data[at + 46 : at + 46 + length] == encoded:
            return at
    raise AssertionError(f"no member {name!r}")


def declare_size(path: Path, name: str, size: int) -> None:
    """Make the headers of member ``name`` declare ``size`` uncompressed bytes, whatever it holds."""
    data = bytearray(path.read_bytes())
    central = central_directory_entry(bytes(data), name)
    local = int.from_bytes(data[central + 42 : central + 46], "little")
    data[central + 24 : central + 28] = size.to_bytes(4, "little")
    data[local + 22 : local + 26] = size.to_bytes(4, "little")
    path.write_bytes(bytes(data))


def flip_flag_bit(path: Path, name: str, bit: int) -> None:
    data = bytearray(path.read_bytes())
    central = central_directory_entry(bytes(data), name)
    local = int.from_bytes(data[central + 42 : central + 46], "little")
    for at in (central + 8, local + 6):
        flags = int.from_bytes(data[at : at + 2], "little") | bit
        data[at : at + 2] = flags.to_bytes(2, "little")
    path.write_bytes(bytes(data))


def add_zeros(path: Path, name: str, mebibytes: int) -> None:
    """Append a member of zeros, streamed, so that the test itself never holds it in memory."""
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive, archive.open(name, "w") as out:
        for _ in range(mebibytes):
            out.write(bytes(1 << 20))


@contextlib.contextmanager
def peak_memory(limit: int) -> Iterator[None]:
    tracemalloc.start()
    try:
        yield
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < limit, f"peak {peak} bytes"


def test_a_member_with_a_huge_compression_ratio_is_refused(project, tmp_path):
    path = rezip(project, tmp_path / "bomb.qdpx")
    add_zeros(path, "sources/bomb.txt", 256)
    info = zipfile.ZipFile(path).getinfo("sources/bomb.txt")
    assert info.file_size == 256 << 20 and info.file_size / info.compress_size > 500
    with peak_memory(16 << 20):
        error = refused_without_effect(
            read_qdpx, path, tmp_path, match=r"'sources/bomb.txt': it would expand \d+ times"
        )
    assert "zip bomb" in str(error)
    assert error.problems.loc[0, "expected"] == f"at most {refi.MAX_COMPRESSION_RATIO}"


def test_a_member_declaring_gigabytes_is_refused_before_decompressing(project, tmp_path):
    path = rezip(project, tmp_path / "huge.qdpx", add=[("sources/huge.txt", b"small really")])
    declare_size(path, "sources/huge.txt", 0xF000_0000)
    with peak_memory(4 << 20):
        error = refused_without_effect(
            read_qdpx,
            path,
            tmp_path,
            match=r"'sources/huge.txt': it would expand \d+ times to 4026531840 bytes",
        )
    assert error.problems.loc[0, "value"] == "sources/huge.txt"


def test_members_adding_up_to_more_than_the_limit_are_refused(project, tmp_path, monkeypatch):
    # Incompressible text: no ratio is suspicious, only the total.
    path = rezip(project, tmp_path / "big.qdpx", add=[("sources/big.txt", os.urandom(3 << 20))])
    monkeypatch.setattr(refi._archive, "MAX_UNCOMPRESSED_BYTES", 2 << 20)
    error = refused_without_effect(read_qdpx, path, tmp_path, match="more than the limit of 2097152")
    assert error.problems.loc[0, "problem"] == "uncompressed size too large"


def test_a_member_declaring_less_than_it_holds_is_not_read_past_its_header(project, tmp_path):
    with zipfile.ZipFile(project) as archive:
        source = next(n for n in archive.namelist() if n.startswith("sources/"))
    path = rezip(project, tmp_path / "liar.qdpx", replace={source: None})
    add_zeros(path, source, 64)
    declare_size(path, source, 1_000)
    with peak_memory(8 << 20):
        error = refused_without_effect(read_qdpx, path, tmp_path, match="it cannot be decompressed")
    assert repr(source) in str(error)
    assert error.problems.loc[0, "problem"] == "corrupt member"


def test_many_small_members_adding_up_to_a_bomb_are_refused(project, tmp_path):
    # Each member stays under the size from which its own ratio is checked; together they
    # expand about a thousand times.
    path = rezip(project, tmp_path / "swarm.qdpx")
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        for n in range(400):
            archive.writestr(f"sources/part{n}.txt", bytes(256 << 10))
    with peak_memory(16 << 20):
        refused_without_effect(read_qdpx, path, tmp_path, match=r"its \d+ members would expand \d+ times")


def test_too_many_members_are_refused(project, tmp_path, monkeypatch):
    path = rezip(project, tmp_path / "crowd.qdpx", add=[(f"sources/m{n}.txt", b"") for n in range(60)])
    monkeypatch.setattr(refi._archive, "MAX_MEMBERS", 50)
    error = refused_without_effect(
        read_qdpx, path, tmp_path, match="the archive has 62 members, more than the limit of 50"
    )
    assert error.problems.loc[0, "problem"] == "too many members"


def test_too_many_members_are_refused_before_the_archive_is_parsed(project, tmp_path, monkeypatch):
    path = rezip(project, tmp_path / "crowd.qdpx", add=[(f"sources/m{n}.txt", b"") for n in range(60)])
    monkeypatch.setattr(refi._archive, "MAX_MEMBERS", 50)

    def never(*args, **kwargs):
        raise AssertionError("the archive was parsed")

    monkeypatch.setattr(refi._archive.zipfile, "ZipFile", never)
    with pytest.raises(ReadError, match="62 members"):
        read_qdpx(path)


def test_the_limits_leave_a_real_project_alone(tmp_path):
    corpus = pq.datasets.load_genai_china()
    path = write_qdpx(corpus, tmp_path / "study.qdpx")
    with zipfile.ZipFile(path) as archive:
        assert len(archive.namelist()) == len(corpus.documents) + 1
    assert_same_coding(read_qdpx(path)["coder"], corpus)


def test_reading_one_member_again_and_again_stops_at_the_limit(project, tmp_path, monkeypatch):
    with zipfile.ZipFile(project) as archive:
        qde = archive.read("project.qde").decode("utf-8")
        source = next(n for n in archive.namelist() if n.startswith("sources/"))
        size = archive.getinfo(source).file_size
        total = sum(info.file_size for info in archive.infolist())
    member = source.split("/", 1)[1]
    copies = "".join(
        f'<TextSource guid="00000000-0000-4000-8000-{n:012d}" name="copy{n}" plainTextPath="internal://{member}"/>'
        for n in range(50)
    )
    qde = qde.replace("</Sources>", copies + "</Sources>")
    path = rezip(project, tmp_path / "again.qdpx", replace={"project.qde": qde.encode("utf-8")})
    # Enough for every member once, not for the same text read fifty times over.
    monkeypatch.setattr(refi._archive, "MAX_UNCOMPRESSED_BYTES", total + 10 * size)
    refused_without_effect(read_qdpx, path, tmp_path, match="past .* bytes")


def test_corrupt_member_data_is_a_read_error(project, tmp_path):
    path = rezip(project, tmp_path / "corrupt.qdpx")
    data = bytearray(path.read_bytes())
    central = central_directory_entry(bytes(data), "project.qde")
    local = int.from_bytes(data[central + 42 : central + 46], "little")
    start = local + 30 + len("project.qde")
    data[start : start + 64] = bytes(range(64))
    path.write_bytes(bytes(data))
    refused_without_effect(read_qdpx, path, tmp_path, match="'project.qde': it cannot be decompressed")


# --------------------------------------------------------------------------
# No network access while reading anything.


def test_reading_every_kind_of_input_needs_no_network(tmp_path, no_network):
    corpus = pq.datasets.load_genai_china().subset(["N01", "N02", "P01"])
    written = {
        "csv": corpus.to_csv(tmp_path / "csv")[0].parent,
        "xlsx": corpus.to_excel(tmp_path / "study.xlsx")[0],
        "json": corpus.to_json(tmp_path / "study.json")[0],
        "parquet": corpus.to_parquet(tmp_path / "parquet")[0].parent,
    }
    toml = tmp_path / "wang.toml"
    toml.write_text(pq.get_framework("wang2026").to_toml(), encoding="utf-8")
    codebook = write_qdc("wang2026", tmp_path / "wang.qdc")
    project = write_qdpx({"甲": corpus, "B": corpus}, tmp_path / "study.qdpx")
    template = write_coding_template("wang2026", tmp_path / "template.xlsx", documents=corpus)

    with watched() as events:
        for kind, path in written.items():
            assert pq.read_coding(path) == corpus, kind
            units = path if path.is_file() else path / f"units.{kind}"
            assert pq.io.read_table(units).shape[0] == len(corpus)
        framework = pq.load_framework(toml)
        assert framework.instrument_keys == pq.get_framework("wang2026").instrument_keys
        assert read_qdc(codebook).instrument_keys == framework.instrument_keys
        assert read_qdc(project).instrument_keys == framework.instrument_keys
        read = read_qdpx(project)
        assert read["甲"] == read["B"]
        assert_same_coding(read["B"], corpus)
        prefilled = pq.read_coding(template)
        # The template's memo column comes back, blank: the documents are the corpus's.
        pd.testing.assert_frame_equal(prefilled.documents.drop(columns="memo"), corpus.documents, check_dtype=False)
    assert no_network == []
    assert [event for event in events if event[0] != "open"] == []
    assert {Path(path).parent for _, path in events} <= {
        tmp_path,
        tmp_path / "csv",
        tmp_path / "parquet",
    }


def test_the_network_block_is_real(no_network):
    # The readers' test above means something only if the block catches a connection.
    with pytest.raises(OSError, match="network access blocked"):
        socket.create_connection(("127.0.0.1", 9))
    with socket.socket() as sock, pytest.raises(OSError, match="network access blocked"):
        sock.connect(("127.0.0.1", 9))
    assert no_network == [("127.0.0.1", 9), ("127.0.0.1", 9)]


def test_the_audit_hook_sees_an_open(secret):
    with watched() as events:
        assert secret.read_text(encoding="utf-8") == SECRET
    assert ("open", str(secret)) in events


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/units.csv", "https://example.invalid/study.xlsx"])
def test_a_url_is_not_fetched(url, no_network):
    with watched() as events, pytest.raises(pq.PolicyQuantError):
        pq.read_coding(url)
    assert no_network == []
    assert [event for event in events if event[0] != "open"] == []


# --------------------------------------------------------------------------
# Codes nested absurdly deep.


def nested_codes(depth: int, *, prefix: str = "", namespace: str = "") -> str:
    """``depth`` codes each inside the one before: names c0, c1, ...; only the last codable."""
    opening = "".join(
        f'<Code guid="{prefix}{n:08X}-0000-4000-8000-000000000000" name="c{n}" '
        f'isCodable="{"true" if n == depth - 1 else "false"}">'
        for n in range(depth)
    )
    return opening + "</Code>" * depth


def nested_codebook(depth: int) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
        + nested_codes(depth)
        + "</Codes></CodeBook>"
    )


@pytest.mark.parametrize("depth", [refi.MAX_CODE_DEPTH + 1, 3000, 50_000])
def test_a_codebook_nested_too_deep_is_refused_naming_the_code(depth, tmp_path):
    path = tmp_path / "deep.qdc"
    path.write_text(nested_codebook(depth), encoding="utf-8")
    error = refused_without_effect(read_qdc, path, tmp_path, match="nested more than 100 levels deep")
    message = str(error).splitlines()[0]
    # The path runs from the top-level code to the first code too deep, its middle elided.
    assert "at c0 / c1 / c2 / ... 95 more ... / c98 / c99 / c100;" in message
    (record,) = error.problems.to_dict("records")
    assert record["file"] == str(path)
    assert record["problem"] == "code nested 101 levels deep"
    assert record["column"] == "Codes/Code[1]/Code[1]/.../Code[1]/Code[1]/Code[1]"


def test_a_project_whose_codebook_is_nested_too_deep_is_refused(project, tmp_path):
    with zipfile.ZipFile(project) as archive:
        qde = archive.read("project.qde").decode("utf-8")
    assert qde.count("<Codes>") == 1
    deep = qde.replace("<Codes>", "<Codes>" + nested_codes(5000, prefix="D"))
    path = rezip(project, tmp_path / "deep.qdpx", replace={"project.qde": deep})
    for reader in (read_qdpx, read_qdc):
        error = refused_without_effect(reader, path, tmp_path, match="nested more than 100 levels deep")
        assert error.problems.loc[0, "file"] == f"{path}:project.qde"


def test_a_codebook_nested_to_the_limit_still_reads(tmp_path):
    path = tmp_path / "deep.qdc"
    path.write_text(nested_codebook(refi.MAX_CODE_DEPTH), encoding="utf-8")
    framework = read_qdc(path)
    # The top-level code is the family, the one leaf its instrument; the codes between only group.
    assert framework.family_keys == ("c0",)
    assert [(i.key, i.family) for i in framework.instruments] == [(f"c{refi.MAX_CODE_DEPTH - 1}", "c0")]


# A code tree: each node is the list of its children.
code_trees = st.lists(
    st.recursive(st.just([]), lambda children: st.lists(children, min_size=1, max_size=3), max_leaves=12),
    min_size=1,
    max_size=4,
)


def tree_xml(nodes: list, counter: list[int]) -> str:
    parts = []
    for children in nodes:
        n = counter[0]
        counter[0] += 1
        codable = "false" if children else "true"
        parts.append(
            f'<Code guid="{n:08X}-0000-4000-8000-000000000000" name="c{n}" isCodable="{codable}">'
            + tree_xml(children, counter)
            + "</Code>"
        )
    return "".join(parts)


def leaves_in_order(nodes: list, counter: list[int]) -> list[str]:
    """The names of the leaves below ``nodes`` in document order, by plain recursion."""
    found = []
    for children in nodes:
        name = f"c{counter[0]}"
        counter[0] += 1
        found += leaves_in_order(children, counter) if children else [name]
    return found


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tree=code_trees)
def test_any_code_tree_reads_its_leaves_in_document_order(tree, tmp_path):
    path = tmp_path / "tree.qdc"
    path.write_text(
        f'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>{tree_xml(tree, [0])}</Codes></CodeBook>',
        encoding="utf-8",
    )
    framework = read_qdc(path)
    counter, expected, loose = [0], [], []
    for children in tree:
        top = f"c{counter[0]}"
        counter[0] += 1
        if children:
            expected += [(leaf, top) for leaf in leaves_in_order(children, counter)]
        else:
            loose.append((top, "ungrouped_codes"))
    assert [(i.key, i.family) for i in framework.instruments] == expected + loose

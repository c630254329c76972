"""Nothing lost, nothing altered when writing (issue 13, items 2, 3 and 15).

Every file policyquant writes appears whole or not at all: it is written to a
temporary file next to the target and renamed into place, and removed on any
failure (an exception, Ctrl-C, a full disk).  No output replaces an input, and a
template does not replace a workbook holding coded rows without ``--force``.  A
folder of tables carries a manifest that makes a copy cut short visible.

These tests run real processes where the behaviour needs one: concurrent
reports, Ctrl-C in the middle of a write, a file-size limit (``RLIMIT_FSIZE``)
and, where the system lets root mount one, a small tmpfs that really fills up.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policyquant as pq
from policyquant._files import (
    MANIFEST_NAME,
    atomic_path,
    check_complete,
    refuse_overwriting_inputs,
    write_bytes,
    write_error,
    write_text,
)
from policyquant.cli import main
from policyquant.io import write_coding_template

ROOT = Path(__file__).resolve().parents[1]
POSIX = os.name == "posix"


@pytest.fixture(scope="module")
def corpus() -> pq.Corpus:
    return pq.datasets.load_genai_china()


@pytest.fixture(scope="module")
def small(corpus: pq.Corpus) -> pq.Corpus:
    return corpus.subset(corpus.documents["doc_id"].iloc[:4])


def invoke(*args: object) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], prog_name="policyquant")


def leftovers(folder: Path) -> list[str]:
    """Temporary files left behind anywhere under ``folder``."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if ".tmp" in p.name)


def one_error_line(result: Result, *fragments: str) -> str:
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("policyquant: error: ")
    assert "Traceback" not in result.stderr and "Errno" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


def run_process(*args: str, limit: int | None = None, **kwargs) -> subprocess.CompletedProcess[str]:
    """``python -m policyquant ARGS`` in a fresh process, with a file-size limit if asked."""

    def limited() -> None:
        import resource

        # Ignored, the signal that a process exceeding its limit gets turns into EFBIG from write().
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        [sys.executable, "-m", "policyquant", *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=kwargs.pop("cwd", None),
        preexec_fn=limited if limit is not None else None,
        **kwargs,
    )


# -- The primitive: atomic_path ----------------------------------------------------------------------


def test_a_file_is_written_whole_with_no_temporary_file_left(tmp_path):
    target = tmp_path / "deep" / "table.csv"
    with atomic_path(target) as temporary:
        assert temporary.parent == target.parent
        assert temporary.name.startswith(".table.") and temporary.suffix == ".csv"
        assert not target.exists(), "nothing is at the target before the rename"
        temporary.write_text("a,b\n1,2\n", encoding="utf-8")
    assert target.read_text(encoding="utf-8") == "a,b\n1,2\n"
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("failure", [RuntimeError("bug"), KeyboardInterrupt(), OSError(errno.ENOSPC, "full")])
def test_any_failure_leaves_the_old_file_and_no_temporary_file(tmp_path, failure):
    target = tmp_path / "units.csv"
    target.write_bytes(b"old content\r\n")
    with pytest.raises(BaseException) as caught, atomic_path(target) as temporary:
        temporary.write_bytes(b"new content, half of it")
        raise failure
    if isinstance(failure, OSError):
        assert isinstance(caught.value, pq.WriteError)
        assert str(caught.value) == (
            f"no space left on device while writing {target}; nothing was written, the old file is unchanged"
        )
    else:
        assert caught.value is failure
    assert target.read_bytes() == b"old content\r\n"
    assert leftovers(tmp_path) == []


@pytest.mark.skipif(not POSIX, reason="POSIX permissions")
def test_a_new_file_gets_the_umask_permissions_and_an_old_one_keeps_its_own(tmp_path):
    previous = os.umask(0o027)
    try:
        created = write_text(tmp_path / "new.md", "x")
    finally:
        os.umask(previous)
    assert stat.S_IMODE(created.stat().st_mode) == 0o640
    kept = tmp_path / "kept.md"
    kept.write_text("old")
    kept.chmod(0o604)
    write_text(kept, "new")
    assert stat.S_IMODE(kept.stat().st_mode) == 0o604 and kept.read_text() == "new"


@pytest.mark.skipif(not POSIX, reason="symbolic links and /dev/null")
def test_a_link_is_followed_and_a_device_is_written_not_replaced(tmp_path):
    real = tmp_path / "real.csv"
    real.write_text("old")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    write_text(link, "new")
    assert link.is_symlink() and real.read_text() == "new"
    write_text("/dev/null", "discarded")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_os_errors_become_sentences_naming_the_file(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(pq.WriteError) as caught:
        write_text(blocker / "sub" / "t.md", "x")
    assert str(caught.value) == (
        f"cannot write {blocker / 'sub' / 't.md'}: a part of the path is a file, not a folder (a-file); "
        "nothing was written"
    )
    folder = tmp_path / "folder.html"
    folder.mkdir()
    with pytest.raises(pq.WriteError, match="it is a folder, not a file; give a file name"):
        write_text(folder, "x")
    target = tmp_path / "t.csv"
    target.write_text("old")
    for number, words in [
        (errno.EROFS, "the file system is read-only"),
        (errno.EACCES, "permission denied"),
        (errno.EFBIG, "larger than the file system or a size limit allows"),
        (errno.EEXIST, "a part of the path is a file, not a folder"),
    ]:
        message = str(write_error(OSError(number, os.strerror(number)), target))
        assert str(target) in message and words in message and "Errno" not in message
        assert message.endswith("the old file is unchanged") or "not a folder" in message
    # pyarrow's errors carry the number only in their text.
    assert "no space left" in str(write_error(OSError("[Errno 28] Error writing bytes to file"), target))


# -- Whatever the failure point, the old bytes or the whole new ones ---------------------------------


def _failing_writer(data: bytes, chunk: int, fail_at: int | None, failure: BaseException):
    def write(stream) -> None:
        for number, start in enumerate(range(0, max(len(data), 1), chunk)):
            if fail_at is not None and number == fail_at:
                raise failure
            stream.write(data[start : start + chunk])

    return write


FAILURES = st.sampled_from(
    [OSError(errno.ENOSPC, "No space left on device"), KeyboardInterrupt(), ValueError("a bug")]
)


@settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    old=st.none() | st.binary(max_size=3000),
    new=st.binary(max_size=12000),
    chunk=st.integers(1, 4096),
    fail_at=st.none() | st.integers(0, 12),
    step=st.sampled_from(["write", "fsync", "chmod", "replace"]),
    failure=FAILURES,
)
def test_the_target_holds_the_old_bytes_or_all_the_new_ones(
    tmp_path, old, new, chunk, fail_at, step, failure
):
    folder = tmp_path / f"case-{time.monotonic_ns()}"
    folder.mkdir()
    target = folder / "out.bin"
    if old is not None:
        target.write_bytes(old)
    writes = (len(new) + chunk - 1) // chunk or 1
    at_write = fail_at if step == "write" and fail_at is not None and fail_at < writes else None
    fails = at_write is not None or (step != "write" and fail_at is not None)
    with pytest.MonkeyPatch.context() as patch:
        if step != "write" and fail_at is not None:

            def broken(*args, **kwargs):
                raise failure

            patch.setattr(os, step, broken)
        try:
            write_bytes(target, _failing_writer(new, chunk, at_write, failure))
        except BaseException as error:  # noqa: BLE001 - KeyboardInterrupt included, on purpose
            assert fails, error
            expected = pq.WriteError if isinstance(failure, OSError) else type(failure)
            assert isinstance(error, expected)
        else:
            assert not fails
    if fails:
        assert target.read_bytes() == old if old is not None else not target.exists()
    else:
        assert target.read_bytes() == new
    assert [p.name for p in folder.iterdir()] == (["out.bin"] if target.exists() else [])


@settings(
    max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cut=st.floats(0, 1), failure=FAILURES, table=st.sampled_from(["documents", "units"]))
def test_write_coding_stopped_anywhere_leaves_each_table_old_or_whole(
    tmp_path, small, corpus, cut, failure, table
):
    folder = tmp_path / f"case-{time.monotonic_ns()}"
    small.to_csv(folder)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    real = pd.DataFrame.to_csv
    calls = []

    def stopping(frame, path, **kwargs):
        calls.append(path)
        whole = real(frame, None, **{k: v for k, v in kwargs.items() if k != "encoding"})
        data = ("\ufeff" + whole).encode("utf-8")
        if (table == "documents") == (len(calls) == 1):
            Path(path).write_bytes(data[: int(len(data) * cut)])
            raise failure
        Path(path).write_bytes(data)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pd.DataFrame, "to_csv", stopping)
        with pytest.raises(BaseException):  # noqa: B017 - KeyboardInterrupt, WriteError or the bug
            corpus.to_csv(folder)
    after = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert leftovers(folder) == []
    assert after["units.csv"] == before["units.csv"], "the units table is never left half-written"
    if table == "documents":
        assert after["documents.csv"] == before["documents.csv"]
    else:
        assert pq.io.read_table(folder / "documents.csv", "documents").shape[0] == len(corpus.documents)


# -- A folder's manifest: a table cut short is reported ----------------------------------------------


def test_write_coding_records_what_it_wrote(tmp_path, small):
    _, units = pq.write_coding(small, tmp_path / "csv")
    manifest = json.loads((tmp_path / "csv" / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert manifest["files"]["units.csv"]["rows"] == len(small.units)
    assert manifest["files"]["documents.csv"]["rows"] == len(small.documents)
    assert manifest["files"]["units.csv"]["bytes"] == units.stat().st_size
    assert pq.read_coding(tmp_path / "csv") == small
    parquet = pq.write_coding(small, tmp_path / "csv", format="parquet")
    files = json.loads((tmp_path / "csv" / MANIFEST_NAME).read_text(encoding="utf-8"))["files"]
    assert sorted(files) == ["documents.csv", "documents.parquet", "units.csv", "units.parquet"]
    assert [p.name for p in parquet] == ["documents.parquet", "units.parquet"]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fraction=st.floats(0.0, 0.999))
def test_a_units_table_cut_at_any_row_boundary_is_reported(tmp_path_factory, corpus, fraction):
    folder = tmp_path_factory.mktemp("cut")
    _, units = corpus.to_csv(folder)
    data = units.read_bytes()
    ends = [m.end() for m in re.finditer(rb"\r\n", data)][:-1]  # every row boundary but the last
    cut = ends[int(fraction * len(ends))]
    units.write_bytes(data[:cut])
    with pytest.raises(pq.ReadError, match=r"units\.csv is cut short: it holds [\d,]+ of the [\d,]+ bytes"):
        pq.read_coding(folder)
    with pytest.raises(pq.ReadError, match="cut short"):
        pq.read_coding(units, folder / "documents.csv")


def test_the_cut_table_is_one_line_from_validate_and_edits_are_still_read(tmp_path, corpus):
    _, units = corpus.to_csv(tmp_path)
    data = units.read_bytes()
    cut = [m.end() for m in re.finditer(rb"\r\n", data)][300]
    units.write_bytes(data[:cut])
    line = one_error_line(
        invoke("validate", units, tmp_path / "documents.csv"), "cut short", "of its 670 rows"
    )
    assert "delete policyquant-manifest.json" in line
    # Edited on purpose (another header, rows added, or re-saved by a spreadsheet): read as it is.
    frame = pd.read_csv(io_bytes(data), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame.iloc[:100].to_csv(units, index=False)
    assert len(pq.read_coding(tmp_path).units) == 100
    units.write_bytes(data + b"\r\n")  # longer than written: not a cut
    assert len(pq.read_coding(tmp_path).units) == 670
    # Without a manifest a table is read as it is, as before.
    units.write_bytes(data[:cut])
    (tmp_path / MANIFEST_NAME).unlink()
    assert len(pq.read_coding(tmp_path).units) == 300


def io_bytes(data: bytes):
    import io

    return io.BytesIO(data)


def test_a_foreign_file_of_the_manifests_name_is_not_replaced(tmp_path, small):
    (tmp_path / MANIFEST_NAME).write_text('{"mine": true}', encoding="utf-8")
    with pytest.raises(pq.WriteError, match="is not a policyquant manifest"):
        small.to_csv(tmp_path)
    assert json.loads((tmp_path / MANIFEST_NAME).read_text(encoding="utf-8")) == {"mine": True}
    check_complete(None, pd.DataFrame(), tmp_path / "nothing.csv")


# -- Outputs that are inputs --------------------------------------------------------------------------


def test_an_output_that_is_an_input_is_refused_however_it_is_named(tmp_path):
    source = tmp_path / "units.csv"
    source.write_text("unit_id\n1\n")
    names = [source, Path(os.path.relpath(source)), tmp_path / "." / "units.csv"]
    if POSIX:
        (tmp_path / "link.csv").symlink_to(source)
        os.link(source, tmp_path / "hard.csv")
        names += [tmp_path / "link.csv", tmp_path / "hard.csv"]
    for name in names:
        with pytest.raises(pq.WriteError, match=r"is the units file .*: writing it would replace that input") as caught:
            refuse_overwriting_inputs({"--problems": name}, {"the units file": source})
        assert caught.value.input == source and caught.value.path == name
    refuse_overwriting_inputs([tmp_path / "problems.csv"], [source, None, pd.DataFrame()])


@pytest.fixture
def study(tmp_path, small) -> tuple[Path, Path, bytes]:
    documents, units = small.to_csv(tmp_path / "study")
    return units, documents, units.read_bytes()


def test_validate_refuses_to_save_problems_over_the_coding_sheet(study):
    units, documents, before = study
    bad = units.read_text(encoding="utf-8-sig").replace("standards_and_norms", "subsidy", 1)
    units.write_text(bad, encoding="utf-8-sig")
    before = units.read_bytes()
    for name in (units, units.parent / ".." / units.parent.name / "units.csv"):
        one_error_line(
            invoke("validate", units, documents, "--problems", name),
            "--problems",
            "would replace that input",
            "another file",
        )
        assert units.read_bytes() == before
    one_error_line(invoke("validate", units.parent, "--problems", units), "would replace that input")
    assert units.read_bytes() == before


def test_every_command_refuses_an_output_that_is_an_input(tmp_path, study, small):
    units, documents, before = study
    one_error_line(invoke("tables", units, documents, "--problems", documents), "would replace that input")
    crosstab = tmp_path / "out" / "crosstab.csv"
    crosstab.parent.mkdir()
    shutil.copy(units, crosstab)
    one_error_line(
        invoke("tables", crosstab, documents, "-o", crosstab.parent), "-o", "crosstab.csv", "would replace that input"
    )
    page = tmp_path / "page.html"
    page.write_text("<p>the coders' notes</p>")
    one_error_line(invoke("report", page, documents, "-o", page), "-o", "would replace that input")
    assert page.read_text() == "<p>the coders' notes</p>"
    coder = tmp_path / "coder_a.xlsx"
    small.to_excel(coder)
    other = tmp_path / "coder_b.xlsx"
    small.to_excel(other)
    saved = coder.read_bytes()
    one_error_line(
        invoke("reliability", coder, other, "--disagreements", coder), "--disagreements", "a coder's file"
    )
    assert coder.read_bytes() == saved
    scores = tmp_path / "scores.csv"
    scores.write_text("policy,X1_1\nP1,1\n")
    one_error_line(invoke("pmc", scores, "--problems", scores), "would replace that input")
    toml = tmp_path / "mine.toml"
    toml.write_text(pq.get_framework("wang2026").to_toml(), encoding="utf-8")
    text = toml.read_text(encoding="utf-8")
    one_error_line(invoke("codebook", toml, "--format", "toml", "-o", toml), "the framework file")
    one_error_line(invoke("template", toml, "-o", toml), "the framework file")
    assert toml.read_text(encoding="utf-8") == text
    assert units.read_bytes() == before


def test_the_library_refuses_an_output_that_is_an_input(tmp_path, small):
    from policyquant.reporting import report

    _, units = small.to_csv(tmp_path)
    target = tmp_path / "report.html"
    target.write_text("mine")
    with pytest.raises(pq.WriteError, match=r"the report .* is the input"):
        report(small, target, sources=[units, target])
    assert target.read_text() == "mine"
    book = tmp_path / "documents.xlsx"
    small.to_excel(book)
    with pytest.raises(pq.WriteError, match=r"is the documents file .*: writing it would replace that input"):
        write_coding_template("wang2026", book, documents=book, force=True)


# -- A template over coders' work ---------------------------------------------------------------------


def test_a_template_does_not_replace_a_workbook_holding_coded_rows(tmp_path, small):
    path = write_coding_template("wang2026", tmp_path / "coding.xlsx", documents=small)
    write_coding_template("wang2026", path, documents=small)  # an untouched template: replaced
    book = openpyxl.load_workbook(path)
    book["units"].append(["N01-1", "N01", "第一条", "标准规范", "公共安全与利益", 5, 3])
    book.save(path)
    filled = path.read_bytes()
    with pytest.raises(pq.WriteError, match=r"already holds coded rows \(sheet 'units', row 2\).*force=True"):
        write_coding_template("wang2026", path)
    line = one_error_line(invoke("template", "-o", path), "already holds coded rows", "--force")
    assert str(path) in line
    assert path.read_bytes() == filled
    result = invoke("template", "-o", path, "--force")
    assert result.exit_code == 0, result.output
    assert len(pq.read_coding(path).units) == 0
    # Any workbook with data outside the template's own sheets is somebody's work, too.
    other = tmp_path / "mine.xlsx"
    pd.DataFrame({"anything": ["a row"]}).to_excel(other, index=False)
    with pytest.raises(pq.WriteError, match="sheet 'Sheet1', row 2"):
        pq.get_framework("wang2026").coding_template(other)
    garbage = tmp_path / "broken.xlsx"
    garbage.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(pq.WriteError, match="not a workbook policyquant can read"):
        write_coding_template("wang2026", garbage)


# -- Failing to save --problems does not hide the problems ----------------------------------------------


def test_problems_that_cannot_be_saved_are_still_reported(study, tmp_path):
    units, documents, _ = study
    units.write_text(units.read_text(encoding="utf-8-sig").replace("standards_and_norms", "subsidy", 1))
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    result = invoke("validate", units, documents, "--problems", blocker / "problems.csv")
    assert result.exit_code == 2
    warning, error = result.stderr.splitlines()
    assert warning.startswith("policyquant: warning: the problems were not saved: cannot write the problems ")
    assert "a part of the path is a file" in warning and str(blocker / "problems.csv") in warning
    assert error.startswith("policyquant: error: ") and "'subsidy'" in error
    assert "Errno" not in result.stderr and leftovers(tmp_path) == []


# -- Real processes: concurrent runs, Ctrl-C, a full disk ------------------------------------------------


class _Outline(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.starts: dict[str, int] = {}
        self.headings: list[str] = []
        self._in_h2 = False

    def handle_starttag(self, tag, attrs):
        self.starts[tag] = self.starts.get(tag, 0) + 1
        self._in_h2 = tag == "h2"

    def handle_endtag(self, tag):
        if tag == "h2":
            self._in_h2 = False

    def handle_data(self, data):
        if self._in_h2:
            self.headings.append(data.strip())


def _outline(text: str) -> tuple[list[str], dict[str, int]]:
    parser = _Outline()
    parser.feed(text)
    return parser.headings, {tag: parser.starts.get(tag, 0) for tag in ("html", "body", "h2", "table", "svg")}


def test_concurrent_reports_into_one_folder_leave_one_whole_report(tmp_path):
    single = run_process("report", "--example", "-o", str(tmp_path / "single"))
    assert single.returncode == 0, single.stderr
    one = (tmp_path / "single" / "report.html").read_text(encoding="utf-8")
    expected = _outline(one)
    shared = tmp_path / "shared"
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "policyquant", "report", "--example", "-o", str(shared)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(6)
    ]
    for process in processes:
        _, stderr = process.communicate(timeout=600)
        assert process.returncode == 0, stderr
    text = (shared / "report.html").read_text(encoding="utf-8")
    assert text.count("<html") == 1 and text.rstrip().endswith("</html>")
    assert _outline(text) == expected
    assert text.count("Written by policyquant") == one.count("Written by policyquant")
    assert abs(len(text) - len(one)) < len(one) // 20, "one report, not one and the tail of another"
    assert sorted(p.name for p in shared.iterdir()) == ["report.html"]


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:  # a temporary file renamed into place meanwhile
        return 0


CTRL_C_SCRIPT = """
import sys, pandas as pd, policyquant as pq
corpus = pq.datasets.load_genai_china()
units = pd.concat(
    [corpus.units.assign(unit_id=corpus.units["unit_id"] + f"-r{i}") for i in range(1500)], ignore_index=True
)
big = pq.Corpus(corpus.documents, units, corpus.framework)
print("writing", flush=True)
pq.write_coding(big, sys.argv[1])
print("done", flush=True)
"""


@pytest.mark.skipif(not POSIX, reason="SIGINT to a child process")
def test_ctrl_c_in_the_middle_of_write_coding_leaves_the_old_tables(tmp_path, small):
    folder = tmp_path / "study"
    small.to_csv(folder)
    old = {p.name: p.read_bytes() for p in folder.iterdir()}
    process = subprocess.Popen(
        [sys.executable, "-c", CTRL_C_SCRIPT, str(folder)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and process.poll() is None:
            # The temporary file (or, written in place, the table itself) is well under way.
            partial = [p for p in folder.glob("*units*") if _size(p) > 5_000_000]
            if partial:
                break
            time.sleep(0.02)
        assert partial, "the units table was being written"
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    # What the child said and how it ended, should it not have been interrupted (a race to explain).
    assert b"KeyboardInterrupt" in stderr, (process.returncode, stdout[-500:], stderr[-2000:])
    assert leftovers(folder) == []
    assert (folder / "units.csv").read_bytes() == old["units.csv"], "the old units table, untouched"
    # The documents table was written whole before Ctrl-C; each table is old or whole.
    assert pq.read_coding(folder).units.shape[0] == len(small.units)


@pytest.mark.skipif(not POSIX, reason="RLIMIT_FSIZE")
@pytest.mark.parametrize(
    ("command", "target"),
    [
        (["codebook", "wang2026", "--format", "xlsx", "-o", "{out}/codebook.xlsx"], "codebook.xlsx"),
        (["template", "wang2026", "-o", "{out}/template.xlsx"], "template.xlsx"),
        (["tables", "--example", "-o", "{out}", "--save-as", "xlsx"], "crosstab.xlsx"),
        (["report", "--example", "-o", "{out}"], "report.html"),
    ],
)
def test_a_file_size_limit_leaves_old_files_and_says_so_in_one_line(tmp_path, command, target):
    out = tmp_path / "out"
    out.mkdir()
    if target == "template.xlsx":
        write_coding_template("pmc", out / target)  # an untouched template may be replaced
    else:
        (out / target).write_bytes(b"old")
    old = (out / target).read_bytes()
    args = [part.format(out=out) for part in command]
    result = run_process(*args, limit=4_000)
    assert result.returncode == 2, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("policyquant: error:")]
    assert len(lines) == 1, result.stderr
    assert "cannot write the" in lines[0] and str(out / target) in lines[0]
    assert (
        "larger than the file system or a size limit allows; nothing was written, the old file is unchanged"
        in lines[0]
    )
    assert "Exception ignored" not in result.stderr and "Traceback" not in result.stderr
    assert (out / target).read_bytes() == old
    assert leftovers(out) == []


@pytest.mark.skipif(not POSIX, reason="RLIMIT_FSIZE")
def test_a_problems_file_over_the_limit_still_shows_the_problems(tmp_path, small):
    documents, units = small.to_csv(tmp_path / "study")
    units.write_text(units.read_text(encoding="utf-8-sig").replace("standards_and_norms", "subsidy"))
    problems = tmp_path / "problems.csv"
    result = run_process("validate", str(units), str(documents), "--problems", str(problems), limit=64)
    assert result.returncode == 2
    assert "policyquant: warning: the problems were not saved: cannot write the problems" in result.stderr
    assert "'subsidy'" in result.stderr.splitlines()[-1] and "Exception ignored" not in result.stderr
    assert not problems.exists() and leftovers(tmp_path) == []


@contextlib.contextmanager
def small_disk(folder: Path, size: str = "512k"):
    """A tmpfs of ``size`` mounted at ``folder``; the test is skipped where mounting is not allowed."""
    if not POSIX or os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root")
    folder.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True, check=False
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode(errors='replace').strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_full_disk_leaves_the_old_files_and_says_so_in_one_line(tmp_path):
    with small_disk(tmp_path / "disk") as disk:
        (disk / "report.html").write_text("the old report")
        result = run_process("report", "--example", "-o", str(disk))
        assert result.returncode == 2, result.stderr
        assert result.stderr.splitlines()[-1] == (
            f"policyquant: error: no space left on device while writing the report {disk / 'report.html'}; "
            "nothing was written, the old file is unchanged"
        )
        assert (disk / "report.html").read_text() == "the old report"
        # Fill the disk to the last few kilobytes: the workbook's zip archive meets the full disk.
        with open(disk / "filler", "wb") as filler, contextlib.suppress(OSError):
            filler.write(b"\0" * (600 * 1024))
        (disk / "filler").write_bytes(b"\0" * max((disk / "filler").stat().st_size - 8 * 1024, 0))
        (disk / "codebook.xlsx").write_bytes(b"old")
        result = run_process("codebook", "--format", "xlsx", "-o", str(disk / "codebook.xlsx"))
        assert result.returncode == 2, result.stderr
        assert "no space left on device while writing the file" in result.stderr
        assert "Exception ignored" not in result.stderr and "Traceback" not in result.stderr
        assert (disk / "codebook.xlsx").read_bytes() == b"old"
        assert leftovers(disk) == []

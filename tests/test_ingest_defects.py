"""Defects of ``policyquant ingest`` and ``template --from`` found by break-testing.

A re-run that fails part-way leaves the earlier run's folder as it was; the
tables read back come from one run; file names give doc_ids that the next
steps accept; an exclusion list names each document once; the command line's
hints name options that exist and refuses empty principles; ``select`` takes
years as numbers; problems name the file's own rows.
"""

from __future__ import annotations

import json
import os
import shutil
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policyquant as pq
from policyquant._files import MANIFEST_NAME
from policyquant.cli import main
from policyquant.documents import read_documents, segment, select
from policyquant.documents.pipeline import ingest, read_ingested
from policyquant.errors import ReadError, ValidationError, WriteError

DRAFT = "draft_ai_content_labelling_measures"


def invoke(*args: object) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], prog_name="policyquant")


def one_error_line(result: Result) -> str:
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("policyquant: error: "), lines[0]
    assert "Traceback" not in result.stderr
    return lines[0]


@pytest.fixture
def documents(tmp_path: Path) -> Path:
    return Path(shutil.copytree(pq.datasets.example_documents_path(), tmp_path / "documents"))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


# -- 1. A failed re-run leaves the earlier run as it was -----------------------------------------


def failing_replace(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Make renaming anything onto (or away from) ``name`` fail, as a file open in Excel does on Windows."""
    real = os.replace

    def replace(source, target, *args, **kwargs):
        if Path(target).name == name or (
            Path(source).name == name and not Path(target).name.endswith(".tmp.csv")
        ):
            raise PermissionError(13, "Permission denied", str(target))
        return real(source, target, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)


@pytest.mark.parametrize("locked", ["documents.csv", "units.csv", "selection.svg", MANIFEST_NAME])
def test_a_failed_rerun_leaves_the_earlier_run_as_it_was(
    documents: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, locked: str
) -> None:
    out = tmp_path / "out"
    first = ingest(documents, out, query="title:人工智能", progress=False)
    before = snapshot(out)
    failing_replace(monkeypatch, locked)
    # The second run writes no selection (and so would remove selection.*) and other tables.
    with pytest.raises(WriteError) as raised:
        ingest(documents, out, progress=False)
    monkeypatch.undo()
    message = str(raised.value)
    assert "nothing was written" in message and "are unchanged" in message, message
    assert str(out) in message
    # Byte for byte the earlier run: no file replaced, none removed, no temporary left behind.
    assert snapshot(out) == before
    kept, units, _ = read_ingested(out)
    assert sorted(kept["doc_id"]) == sorted(first.selection.kept["doc_id"])
    assert set(units["doc_id"]) <= set(kept["doc_id"])
    # The next run is not refused as if the folder held somebody else's files.
    again = ingest(documents, out, progress=False)
    assert again.selection is None and not (out / "selection.csv").exists()
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == []


def test_an_interrupted_rerun_leaves_the_earlier_run_as_it_was(
    documents: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    ingest(documents, out, query="人工智能", progress=False)
    before = snapshot(out)
    real = os.replace

    def replace(source, target, *args, **kwargs):
        if Path(target).name == "units.csv":
            raise KeyboardInterrupt
        return real(source, target, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(KeyboardInterrupt):
        ingest(documents, out, progress=False)
    monkeypatch.undo()
    assert snapshot(out) == before


def test_the_cli_says_the_folder_is_unchanged(
    documents: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    assert invoke("ingest", documents, "-o", out, "--no-progress", "--query", "title:人工智能").exit_code == 0
    before = snapshot(out)
    failing_replace(monkeypatch, "units.csv")
    line = one_error_line(invoke("ingest", documents, "-o", out, "--no-progress"))
    monkeypatch.undo()
    assert "units.csv" in line and "are unchanged" in line
    assert snapshot(out) == before
    assert invoke("template", "wang2026", "--from", out, "-o", tmp_path / "t.xlsx").exit_code == 0


def test_the_manifest_records_one_run_for_every_output(documents: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = ingest(documents, out, query="人工智能", progress=False)
    files = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))["files"]
    assert set(files) == set(result.paths)
    runs = {entry["run"] for entry in files.values()}
    assert len(runs) == 1
    ingest(documents, out, query="人工智能", progress=False)
    again = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))["files"]
    assert len({entry["run"] for entry in again.values()}) == 1 and again["units.csv"]["run"] not in runs


def test_tables_of_two_runs_are_refused(documents: Path, tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    ingest(documents, one, query="title:人工智能", progress=False)
    ingest(documents, two, progress=False)
    # The mix a failed run of an earlier version left: the units of another run.
    shutil.copyfile(two / "units.csv", one / "units.csv")
    manifest = json.loads((one / MANIFEST_NAME).read_text(encoding="utf-8"))
    manifest["files"]["units.csv"] = json.loads((two / MANIFEST_NAME).read_text(encoding="utf-8"))["files"][
        "units.csv"
    ]
    (one / MANIFEST_NAME).write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(ReadError, match="do not come from the same run") as raised:
        read_ingested(one)
    assert set(raised.value.problems["file"]) == {str(one / "documents.csv"), str(one / "units.csv")}
    line = one_error_line(invoke("template", "wang2026", "--from", one, "-o", tmp_path / "t.xlsx"))
    assert "documents.csv and units.csv do not come from the same run" in line
    # A manifest that lists only one of them is a mix too.
    del manifest["files"]["units.csv"]
    (one / MANIFEST_NAME).write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(ReadError, match=r"lists documents\.csv but not units\.csv"):
        read_ingested(one)
    # Deleting the manifest on purpose (as the message says) reads them as they are.
    (one / MANIFEST_NAME).unlink()
    read_ingested(one)


def test_edited_tables_of_one_run_still_read(documents: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    ingest(documents, out, query="人工智能", progress=False)
    table = pd.read_csv(out / "documents.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    table.loc[0, "title"] = "corrected by hand"
    table.to_csv(out / "documents.csv", index=False, encoding="utf-8-sig")
    kept, _, _ = read_ingested(out)
    assert len(kept)


def test_a_failed_rerun_without_hard_links(
    documents: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A file system without hard links (FAT, some network shares): the old files are moved away and back.
    out = tmp_path / "out"
    ingest(documents, out, query="title:人工智能", progress=False)
    before = snapshot(out)

    def no_link(*args, **kwargs):
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_link)
    failing_replace(monkeypatch, "units.csv")
    with pytest.raises(WriteError, match="are unchanged"):
        ingest(documents, out, progress=False)
    monkeypatch.undo()
    assert snapshot(out) == before


def test_a_failure_to_put_back_is_said_and_refused_on_reading(
    documents: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    ingest(documents, out, query="title:人工智能", progress=False)
    real = os.replace

    def replace(source, target, *args, **kwargs):
        new_units = Path(target).name == "units.csv" and Path(source).name.endswith(".tmp.csv")
        if new_units or Path(source).name.startswith(".documents.csv."):
            raise PermissionError(13, "Permission denied", str(target))
        return real(source, target, *args, **kwargs)

    monkeypatch.setattr(os, "link", lambda *a, **k: (_ for _ in ()).throw(OSError(1, "no links")))
    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(
        WriteError, match=r"putting back the earlier outputs failed for .*documents\.csv"
    ) as raised:
        ingest(documents, out, progress=False)
    monkeypatch.undo()
    assert "may mix two runs" in str(raised.value)
    with pytest.raises(ReadError, match="do not come from the same run"):
        read_ingested(out)


# -- 2. File names give doc_ids the next steps accept --------------------------------------------


def clause_file(folder: Path, name: str, body: str) -> None:
    (folder / name).write_text(f"某办法\n第一条　{body}。\n", encoding="utf-8")


def test_names_differing_by_spaces_at_the_ends_are_one_id_numbered(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    clause_file(source, "x.txt", "甲")
    clause_file(source, " x.txt", "乙")
    result = ingest(source, tmp_path / "out", progress=False)
    frame = result.documents.to_frame()
    ids = dict(zip(frame["path"].map(lambda p: Path(p).name), frame["doc_id"], strict=True))
    # The file named as its id keeps it; the other is numbered, and the problem names both files.
    assert ids == {"x.txt": "x.txt", " x.txt": "x.txt~2"}
    renamed = result.problems[result.problems["value"] == "x.txt~2"]
    assert len(renamed) == 1 and renamed["step"].iloc[0] == "read"
    assert renamed["file"].iloc[0].endswith(" x.txt") and str(source / "x.txt") in renamed["problem"].iloc[0]
    units = pd.read_csv(tmp_path / "out" / "units.csv", dtype=str, encoding="utf-8-sig")
    assert set(units["doc_id"]) == {"x.txt", "x.txt~2"}


def test_an_id_is_stripped_in_every_table(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    clause_file(source, " x .txt", "甲")
    ingest(source, tmp_path / "out", progress=False)
    documents = pd.read_csv(tmp_path / "out" / "documents.csv", dtype=str, encoding="utf-8-sig")
    units = pd.read_csv(tmp_path / "out" / "units.csv", dtype=str, encoding="utf-8-sig")
    assert documents["doc_id"].tolist() == ["x"] and set(units["doc_id"]) == {"x"}
    assert documents["path"].iloc[0].endswith(" x .txt")  # the file is named as it is


def test_nfc_and_nfd_twins_are_one_id_numbered(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    clause_file(source, unicodedata.normalize("NFC", "café") + ".txt", "甲")
    clause_file(source, unicodedata.normalize("NFD", "café") + ".txt", "乙")
    out = tmp_path / "out"
    result = ingest(source, out, progress=False)
    assert sorted(result.documents.to_frame()["doc_id"]) == ["café.txt", "café.txt~2"]
    assert all(unicodedata.is_normalized("NFC", i) for i in result.documents.to_frame()["doc_id"])
    assert invoke("template", "wang2026", "--from", out, "-o", tmp_path / "t.xlsx").exit_code == 0


def test_a_name_read_as_a_formula_gets_a_safe_id(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    clause_file(source, "=1+1.txt", "甲")
    clause_file(source, "nan.txt", "乙")
    out = tmp_path / "out"
    result = ingest(source, out, progress=False)
    assert sorted(result.documents.to_frame()["doc_id"]) == ["_=1+1", "_nan"]
    assert set(result.problems["value"]) >= {"_=1+1", "_nan"}
    assert invoke("template", "wang2026", "--from", out, "-o", tmp_path / "t.xlsx").exit_code == 0


def test_ordinary_names_keep_their_ids(tmp_path: Path) -> None:
    source = tmp_path / "in"
    (source / "国家").mkdir(parents=True)
    clause_file(source, "a.txt", "甲")
    clause_file(source, "a.md", "乙")
    clause_file(source / "国家", "办法 2024.txt", "丙")
    documents = read_documents(source, progress=False)
    assert sorted(documents.to_frame()["doc_id"]) == ["a.md", "a.txt", "国家/办法 2024"]
    assert documents.problems.empty


NAME = st.text(alphabet=" xé\u0301=n", min_size=1, max_size=4)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(NAME, min_size=1, max_size=5))
def test_every_file_gets_an_id_segment_and_the_template_accept(tmp_path_factory, names: list[str]) -> None:
    source = tmp_path_factory.mktemp("in")
    written = []
    for position, name in enumerate(names):
        try:
            clause_file(source, f"{name}.txt", f"第{position}")
        except OSError:
            continue
        written.append(name)
    files = {path.name for path in source.iterdir()}
    documents = read_documents(source, progress=False).to_frame()
    ids = documents["doc_id"].tolist()
    assert len(ids) == len(files)  # no file lost
    assert len(set(ids)) == len(ids)
    assert len({unicodedata.normalize("NFC", i).strip() for i in ids}) == len(ids)
    assert all(i == i.strip() and unicodedata.is_normalized("NFC", i) and not i.startswith("=") for i in ids)
    segment(documents, unit="article")  # refuses repeated or padded ids


# -- 3. An exclusion list names each document once -----------------------------------------------


def test_a_document_excluded_twice_with_two_reasons_is_refused(documents: Path, tmp_path: Path) -> None:
    listed = tmp_path / "exclude.csv"
    listed.write_text(
        f"doc_id,reason\n{DRAFT},not formally published\nbeijing_agi_action_plan,local\n{DRAFT},not relevant\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError, match=f"doc_id '{DRAFT}' is in the exclusion list 2 times") as raised:
        ingest(documents, tmp_path / "out", exclude=listed, progress=False)
    problems = raised.value.problems
    assert problems["row"].astype(int).tolist() == [2, 4]
    assert problems["value"].tolist() == ["not formally published", "not relevant"]
    assert not (tmp_path / "out").exists()
    line = one_error_line(
        invoke("ingest", documents, "-o", tmp_path / "out", "--no-progress", "--exclude", listed)
    )
    assert "rows 2, 4" in line


def test_repeated_rows_that_agree_are_one_exclusion(documents: Path, tmp_path: Path) -> None:
    listed = tmp_path / "exclude.csv"
    listed.write_text(
        f"doc_id,reason\n{DRAFT},not formally published\n{DRAFT},not formally published\n{DRAFT},\n",
        encoding="utf-8",
    )
    result = ingest(documents, tmp_path / "out", exclude=listed, progress=False)
    records = result.selection.records.to_frame().reset_index()
    row = records[records.iloc[:, 0] == DRAFT]
    assert row["reason"].tolist() == ["not formally published"]  # the blank row gave no reason to lose


# -- 4. Hints name only options the command has --------------------------------------------------


def test_template_from_does_not_point_at_a_missing_option(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    (source / "big.txt").write_text(
        "关于人工智能的通知\n" + "人工智能发展应当规范。" * 4000, encoding="utf-8"
    )
    (source / "big2.txt").write_text("关于算法的通知\n" + "算法应当规范。" * 6000, encoding="utf-8")
    ingest(source, tmp_path / "out", progress=False)
    line = one_error_line(
        invoke("template", "wang2026", "--from", tmp_path / "out", "-o", tmp_path / "t.xlsx")
    )
    assert "--problems" not in line and line.endswith("(and 1 more)"), line
    zh = invoke("template", "wang2026", "--from", tmp_path / "out", "-o", tmp_path / "t.xlsx", "--lang", "zh")
    assert (
        zh.exit_code == 2
        and "--problems" not in zh.stderr
        and zh.stderr.rstrip().endswith("（另有 1 个问题）")
    )


def test_ingest_points_at_its_problems_file(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    for name in ("a.xyz", "b.xyz"):
        (source / name).write_text("?", encoding="utf-8")
    line = one_error_line(invoke("ingest", source, "-o", tmp_path / "out", "--no-progress"))
    assert "--problems" not in line
    assert line.endswith(f"(and 1 more; all 2 saved to {tmp_path / 'out' / 'problems.csv'})"), line
    assert len(pd.read_csv(tmp_path / "out" / "problems.csv", encoding="utf-8-sig")) == 2


def test_commands_with_the_option_still_name_it(tmp_path: Path) -> None:
    bad = tmp_path / "units.csv"
    bad.write_text("unit_id,doc_id,text,instrument\nU1,D1,a,nonsense\nU2,D1,b,nonsense\n", encoding="utf-8")
    line = one_error_line(invoke("validate", bad))
    assert "--problems FILE saves them all" in line


# -- 5. An empty principle on the command line is refused -----------------------------------------


@pytest.mark.parametrize(
    ("option", "value"), [("--level", ""), ("--forms", ""), ("--forms", ",,"), ("--level", " 、 ")]
)
def test_an_empty_principle_is_refused(documents: Path, tmp_path: Path, option: str, value: str) -> None:
    line = one_error_line(invoke("ingest", documents, "-o", tmp_path / "out", "--no-progress", option, value))
    assert f"Invalid value for '{option}'" in line and "names no value" in line
    assert not (tmp_path / "out").exists()


def test_a_principle_with_blanks_between_values_is_read(documents: Path, tmp_path: Path) -> None:
    result = invoke(
        "ingest", documents, "-o", tmp_path / "out", "--no-progress", "--level", "national,,provincial"
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "selection.csv").exists()


# -- 6. Years as numbers are periods --------------------------------------------------------------

SELECT_DOCUMENTS = Path(__file__).parents[1] / "docs" / "how-to" / "examples" / "select-documents.csv"


@pytest.mark.parametrize(
    ("numbers", "texts"),
    [
        ((2017, 2025), ("2017", "2025")),
        ((2019, None), ("2019", None)),
        (2023, "2023"),
        ((np.int64(2018), 2024), ("2018", "2024")),
    ],
)
def test_years_as_numbers_select_as_years_as_text(numbers, texts) -> None:
    docs = pd.read_csv(SELECT_DOCUMENTS, dtype=str)
    by_number, by_text = select(docs, None, period=numbers), select(docs, None, period=texts)
    assert by_number.counts() == by_text.counts()
    assert by_number.kept["doc_id"].tolist() == by_text.kept["doc_id"].tolist()


@pytest.mark.parametrize("bad", [(True, 2025), (0, 2025), (2017, 10000), (2017.5, 2025)])
def test_what_is_no_year_is_still_refused(bad) -> None:
    docs = pd.read_csv(SELECT_DOCUMENTS, dtype=str)
    with pytest.raises(ValidationError, match=r"cannot read .* as a date") as raised:
        select(docs, None, period=bad)
    assert "a year as a number (2017)" in raised.value.problems["expected"].iloc[0]


# -- 7. Problems name the file and its own row ------------------------------------------------------


def test_template_from_names_the_file_and_its_row(documents: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    ingest(documents, out, query="人工智能", progress=False)
    path = out / "documents.csv"
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    table.loc[table["doc_id"] == "beijing_agi_action_plan", "included"] = "False"  # un-included by hand
    table.to_csv(path, index=False, encoding="utf-8-sig")
    units = pd.read_csv(out / "units.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    rows = (units.index[units["doc_id"] == "beijing_agi_action_plan"] + 2).tolist()  # header = row 1
    result = invoke("template", "wang2026", "--from", out, "-o", tmp_path / "t.xlsx", "--all-units")
    line = one_error_line(result)
    assert line.startswith(f"policyquant: error: {out / 'units.csv'}: cannot pre-fill the template: ")
    assert f"{out / 'units.csv'}, row {rows[0]}, column 'doc_id'" in line, line
    kept, kept_units, _ = read_ingested(out)
    # The rows of the files, as a spreadsheet shows them.
    assert kept_units.index.name == "row" and kept.index.name == "row"
    row = kept_units.index[0]
    assert units.loc[row - 2, "unit_id"] == kept_units.loc[row, "unit_id"]
    assert "beijing_agi_action_plan" not in set(kept["doc_id"])


def test_a_really_unwritable_output_leaves_the_earlier_run(documents: Path, tmp_path: Path) -> None:
    # The break-tester's case without monkeypatching: units.csv made immutable (Linux, as root).
    import subprocess

    out = tmp_path / "out"
    ingest(documents, out, query="title:人工智能", progress=False)
    before = snapshot(out)
    chattr = shutil.which("chattr")
    if (
        chattr is None
        or subprocess.run([chattr, "+i", str(out / "units.csv")], capture_output=True).returncode
    ):
        pytest.skip("cannot make a file immutable here (needs chattr and root)")
    try:
        with pytest.raises(WriteError, match="are unchanged"):
            ingest(documents, out, progress=False)
    finally:
        subprocess.run([chattr, "-i", str(out / "units.csv")], check=True)
    assert snapshot(out) == before


@pytest.mark.parametrize("value", ["", ",,"])
def test_train_with_an_empty_fields_option_is_refused(tmp_path: Path, value: str) -> None:
    # An empty shell variable must not silently train the default fields.
    line = one_error_line(invoke("train", "--example", "-o", tmp_path / "model", "--fields", value))
    assert "Invalid value for '--fields'" in line and "names no value" in line
    assert not (tmp_path / "model").exists()


@pytest.mark.parametrize("written", ["7", "7.0", 7])
def test_an_exclusion_of_an_id_a_spreadsheet_unpadded_suggests_the_id(written) -> None:
    # An exclusion list kept in Excel turns 007 into 7: the message names 007 first.
    from policyquant.documents import select

    documents = pd.DataFrame({"doc_id": ["007", "017", "070"], "title": ["办法"] * 3, "text": ["第一条 内容"] * 3})
    with pytest.raises(ValidationError) as raised:
        select(documents, None, exclude={written: "duplicate"})
    problem = raised.value.problems.iloc[0]
    assert problem["problem"] == "not a doc_id of the documents"
    assert str(problem["suggestions"]).split(", ")[0] == "007"

"""``policyquant ingest`` and ``template --from``: from a folder of documents to a coding workbook.

The pipeline function :func:`policyquant.documents.pipeline.ingest` and the command share
one code path; the command is tested end to end on the bundled example documents
(ingest -> template --from -> filled with openpyxl -> tables), the function on documents
written by the tests.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policyquant as pq
from policyquant.cli import main
from policyquant.documents import segment
from policyquant.documents.pipeline import OUTPUT_FILES, ingest, read_ingested
from policyquant.errors import ReadError, WriteError
from policyquant.io import read_table

QUERY = "人工智能 OR 算法"
DRAFT = "draft_ai_content_labelling_measures"


def invoke(*args: object) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], prog_name="policyquant")


def assert_user_error(result: Result, message: str) -> str:
    """Exit status 2, nothing on stdout, one line on stderr starting 'policyquant: error: <message>'."""
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"policyquant: error: {message}"), lines[0]
    assert "Traceback" not in result.stderr
    return lines[0]


@pytest.fixture
def documents(tmp_path: Path) -> Path:
    """The bundled example documents, copied as a reader copies them."""
    return Path(shutil.copytree(pq.datasets.example_documents_path(), tmp_path / "documents"))


@pytest.fixture
def exclusions(tmp_path: Path) -> Path:
    path = tmp_path / "exclude.csv"
    path.write_text(f"doc_id,reason\n{DRAFT},not formally published (a draft for comment)\n", encoding="utf-8")
    return path


def _ingest(documents: Path, out: Path, exclusions: Path, *more: object) -> Result:
    return invoke(
        "ingest", documents, "-o", out, "--query", QUERY, "--period", "2017-07:2025-06",
        "--level", "national,provincial", "--exclude", exclusions, "--no-progress", *more,
    )  # fmt: skip


def _fill(workbook: Path) -> tuple[int, int]:
    """Code the workbook as a coder would by hand: a clause with 应当 is a standard, others none."""
    book = openpyxl.load_workbook(workbook)
    documents, units = book["documents"], book["units"]
    header = {cell.value: cell.column for cell in documents[1]}
    filled_documents = 0
    for row in range(2, documents.max_row + 1):
        suggested = documents.cell(row, header["DA_suggested"]).value
        if documents.cell(row, 1).value:
            # The coder confirms the suggestion by typing it into the score cell.
            documents.cell(row, header["DA"]).value = int(suggested)
            filled_documents += 1
    coded = 0
    for row in range(2, units.max_row + 1):
        text = units.cell(row, 3).value
        if not units.cell(row, 1).value:
            continue
        if "应当" in text:
            units.cell(row, 4).value = "Standards and Norms"
            units.cell(row, 5).value = "Public Safety and Interests"
            units.cell(row, 6).value = 5
            units.cell(row, 7).value = 3
            coded += 1
        else:
            units.cell(row, 4).value = "none"
    book.save(workbook)
    return filled_documents, coded


# --------------------------------------------------------------------------
# End to end.


def test_ingest_template_fill_tables_end_to_end(documents: Path, exclusions: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = _ingest(documents, out, exclusions)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "9 documents read (0 files not read), 6 kept, 100 units (article)"
    assert sorted(p.name for p in out.iterdir()) == sorted([*OUTPUT_FILES, "policyquant-manifest.json"])
    # The problems are counted on stderr, by step, and saved.
    assert "policyquant: note: 5 problems (metadata: 2, segment: 3)" in result.stderr
    table = read_table(out / "documents.csv", "documents")
    assert len(table) == 9
    decided = dict(zip(table["doc_id"], table["step"], strict=True))
    assert decided[DRAFT] == "exclude"
    assert decided["jiangsu_intelligent_voice_opinions_2016"] == "period"
    assert decided["farmland_water_conservancy_notice"] == "query"
    assert (table["included"] == "True").sum() == 6
    selection = read_table(out / "selection.csv", "documents")
    assert selection.set_index("step").loc["included", "documents"] == "6"
    assert (out / "selection.png").read_bytes()[:4] == b"\x89PNG"
    assert b"<svg" in (out / "selection.svg").read_bytes()[:500]

    workbook = tmp_path / "coding.xlsx"
    result = invoke("template", "wang2026", "--from", out, "-o", workbook)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"policyquant: template written to {workbook} (6 documents, 91 units)\n"
    assert "9 units that are no body text" in result.stderr
    book = openpyxl.load_workbook(workbook)
    unit_ids = [c.value for c in book["units"]["A"][1:] if c.value]
    units = read_table(out / "units.csv")
    body = units[units["kind"].isin(["clause", "preamble", "text"])]
    assert unit_ids == body["unit_id"].tolist()
    assert "genai_service_security_measures-3-10.1" in unit_ids  # the inserted 第十条之一

    n_documents, coded = _fill(workbook)
    assert n_documents == 6 and coded > 0
    result = invoke("tables", workbook, "--format", "csv")
    assert result.exit_code == 0, result.output
    corpus = pq.read_coding(workbook, framework="wang2026")
    assert len(corpus.codings) == coded
    assert len(corpus.not_coded) == len(unit_ids) - coded
    crosstab = pq.crosstab(corpus).to_frame()
    assert int(crosstab.loc[("Mandatory", "Standards and Norms"), ("Public Safety and Interests", "count")]) == coded


def test_the_python_function_is_the_command(documents: Path, exclusions: Path, tmp_path: Path) -> None:
    assert _ingest(documents, tmp_path / "cli", exclusions).exit_code == 0
    ingest(
        documents, tmp_path / "py", query=QUERY, period=("2017-07", "2025-06"), level=["national", "provincial"],
        exclude=exclusions, framework="wang2026", progress=False,
    )  # fmt: skip
    for name in ("documents.csv", "units.csv", "selection.csv", "problems.csv"):
        assert (tmp_path / "cli" / name).read_bytes() == (tmp_path / "py" / name).read_bytes(), name


def test_ids_stay_text(tmp_path: Path) -> None:
    source = tmp_path / "source"
    source.mkdir()
    (source / "007.txt").write_text("某某管理办法\n第一条 为了规范管理。\n第二条 本办法自发布之日起施行。", encoding="utf-8")
    (source / "0042.txt").write_text("某某实施细则\n第一条 为了实施。", encoding="utf-8")
    result = invoke("ingest", source, "-o", tmp_path / "out", "--no-progress")
    assert result.exit_code == 0, result.output
    # Without a query or principle there is no selection, and no selection file.
    assert not (tmp_path / "out" / "selection.csv").exists()
    units = (tmp_path / "out" / "units.csv").read_text(encoding="utf-8-sig")
    assert "\n007-0-1,007," in units.replace("\r\n", "\n")
    assert "\n0042-0-1,0042," in units.replace("\r\n", "\n")
    result = invoke("template", "wang2026", "--from", tmp_path / "out", "-o", tmp_path / "coding.xlsx")
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(tmp_path / "coding.xlsx")
    assert [c.value for c in book["documents"]["A"][1:3]] == ["0042", "007"]
    # The title line before the first article is the preamble, unit 0-0.
    assert [c.value for c in book["units"]["A"][1:6]] == ["0042-0-0", "0042-0-1", "007-0-0", "007-0-1", "007-0-2"]


def test_chinese_headers_and_template_from_them(documents: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke("ingest", documents, "-o", out, "--period", "2017-07", "2025-06", "--lang", "zh", "--no-progress")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("读取 9 份文件（0 个文件未读取），纳入 8 份，切分为 ")
    header = (out / "documents.csv").read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    assert header[:4] == ["文件编号", "政策名称", "印发文件标题", "发文字号"]
    assert "DA（建议）" in header and "是否纳入" in header
    assert (out / "units.csv").read_text(encoding="utf-8-sig").startswith("单元编号,文件编号,类型,")
    assert (out / "selection.csv").read_text(encoding="utf-8-sig").startswith("步骤,原因,文件数")
    assert (out / "problems.csv").read_text(encoding="utf-8-sig").startswith("步骤,文件编号,文件,行,")
    kept, units, _ = read_ingested(out)
    assert len(kept) == 8 and {"DA_suggested", "DA_basis", "doc_number"} <= set(kept.columns)
    result = invoke("template", "wang2026", "--from", out, "-o", tmp_path / "编码.xlsx", "--lang", "zh")
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(tmp_path / "编码.xlsx")
    assert [c.value for c in book["条款"]["A"][1:]][: len(units)] == units["unit_id"].tolist()


def test_period_forms_agree(documents: Path, tmp_path: Path) -> None:
    runs = {
        "colon": ("--period", "2017-07:2025-06"),
        "two": ("--period", "2017-07", "2025-06"),
        "open": ("--period", "2017-07:"),
    }
    outputs = {}
    for name, option in runs.items():
        result = invoke("ingest", documents, "-o", tmp_path / name, *option, "--no-progress")
        assert result.exit_code == 0, result.output
        outputs[name] = (tmp_path / name / "selection.csv").read_bytes()
    assert outputs["colon"] == outputs["two"]
    assert b"2017-07-01" in outputs["open"]
    assert_user_error(invoke("ingest", documents, "-o", tmp_path / "x", "--period", ":"), "Invalid value for '--period'")


# --------------------------------------------------------------------------
# Bad inputs: one line, exit status 2, nothing half-written.


def test_missing_source(tmp_path: Path) -> None:
    line = assert_user_error(invoke("ingest", tmp_path / "nowhere", "-o", tmp_path / "out"), f"{tmp_path / 'nowhere'}: no such file")
    assert "expected a file, a folder or a .zip of documents" in line
    assert not (tmp_path / "out").exists()


def test_nothing_readable(tmp_path: Path) -> None:
    source = tmp_path / "source"
    source.mkdir()
    (source / "empty.txt").write_bytes(b"")
    (source / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100))
    line = assert_user_error(invoke("ingest", source, "-o", tmp_path / "out"), f"{source}: no document could be read")
    assert "2 files found, none readable" in line
    assert f"why, for each file: {tmp_path / 'out' / 'problems.csv'}" in line
    problems = read_table(tmp_path / "out" / "problems.csv", "documents")
    assert sorted(Path(f).name for f in problems["file"]) == ["empty.txt", "old.doc"]
    assert set(problems["step"]) == {"read"}
    assert not (tmp_path / "out" / "documents.csv").exists()


def test_unbalanced_query_points_at_the_position(documents: Path, tmp_path: Path) -> None:
    line = assert_user_error(invoke("ingest", documents, "-o", tmp_path / "out", "--query", "人工智能 AND (算法 OR AI"), "query")
    assert "'(' at column 10 is never closed" in line
    assert not (tmp_path / "out").exists()


def test_output_is_an_input(documents: Path, tmp_path: Path) -> None:
    one = documents / "genai_service_security_measures.txt"
    assert_user_error(invoke("ingest", one, "-o", one), f"the output folder {one} is the documents source")
    assert_user_error(invoke("ingest", documents, "-o", one), f"cannot write into {one}: it is a file")
    line = assert_user_error(invoke("ingest", documents, "-o", documents / "out"), "the output folder")
    assert "inside the documents folder" in line
    assert_user_error(invoke("ingest", documents, "-o", documents), "the output folder")
    exclude = tmp_path / "out" / "documents.csv"
    exclude.parent.mkdir()
    exclude.write_text(f"doc_id\n{DRAFT}\n", encoding="utf-8")
    assert_user_error(invoke("ingest", documents, "-o", tmp_path / "out", "--exclude", exclude), "the output")
    assert exclude.read_text(encoding="utf-8") == f"doc_id\n{DRAFT}\n"
    assert sorted(p.name for p in one.parent.iterdir()) == sorted(p.name for p in pq.datasets.example_documents_path().iterdir())


def test_exclude_names_no_document(documents: Path, tmp_path: Path) -> None:
    exclude = tmp_path / "exclude.csv"
    exclude.write_text("doc_id,reason\ndraft_ai_content_labeling_measures,draft\n", encoding="utf-8")
    line = assert_user_error(invoke("ingest", documents, "-o", tmp_path / "out", "--exclude", exclude), "")
    assert "draft_ai_content_labeling_measures" in line and DRAFT in line  # the closest doc_id suggested


def test_existing_folder_rules(documents: Path, exclusions: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    (out / "units.csv").write_text("unit_id\nA\n", encoding="utf-8")
    # A file of an output's name that policyquant did not write is somebody's work.
    line = assert_user_error(_ingest(documents, out, exclusions), f"{out / 'units.csv'} exists and policyquant did not write it")
    assert "--force" in line
    assert (out / "units.csv").read_text(encoding="utf-8") == "unit_id\nA\n"
    assert _ingest(documents, out, exclusions, "--force").exit_code == 0
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"  # other files are left alone
    # A rerun replaces its own outputs; those it does not write now are removed.
    result = invoke("ingest", documents / "genai_service_security_measures.txt", "-o", out, "--no-progress")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["documents.csv", "notes.txt", "policyquant-manifest.json", "units.csv"]
    # An output edited by hand is refused.
    with open(out / "documents.csv", "a", encoding="utf-8") as stream:
        stream.write("corrected,by hand\n")
    line = assert_user_error(_ingest(documents, out, exclusions), f"{out / 'documents.csv'} exists and it was changed")
    assert (out / "documents.csv").read_text(encoding="utf-8-sig").endswith("corrected,by hand\n")


def test_nothing_is_written_when_a_step_fails(documents: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import policyquant.documents.pipeline as pipeline

    def fail(*args: object, **kwargs: object) -> None:
        raise pq.errors.ValidationError("the figure cannot be drawn")

    monkeypatch.setattr(pipeline, "_figure_bytes", fail)
    assert_user_error(invoke("ingest", documents, "-o", tmp_path / "out", "--query", QUERY), "the figure cannot be drawn")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_writes_leave_no_temporary_files(documents: Path, tmp_path: Path) -> None:
    result = ingest(documents, tmp_path / "out", query=QUERY, progress=False)
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.startswith(".")]
    assert set(result.paths) == {"documents.csv", "units.csv", "selection.csv", "selection.png", "selection.svg", "problems.csv"}


def test_template_from_a_folder_without_tables(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert_user_error(
        invoke("template", "wang2026", "--from", tmp_path / "empty", "-o", tmp_path / "c.xlsx"),
        f"{tmp_path / 'empty'}: no documents.csv in it",
    )
    assert_user_error(invoke("template", "wang2026", "--all-units", "-o", tmp_path / "c.xlsx"), "--all-units goes with --from")


def test_template_from_a_cut_table(tmp_path: Path) -> None:
    source = tmp_path / "law.txt"
    source.write_text("某某条例\n" + "".join(f"第{pq.documents.segmentation.chinese_numeral(n)}条 内容{n}。\n" for n in range(1, 400)), encoding="utf-8")
    ingest(source, tmp_path / "out", progress=False)
    data = (tmp_path / "out" / "units.csv").read_bytes()
    (tmp_path / "out" / "units.csv").write_bytes(data[: len(data) // 2 + data[len(data) // 2 :].index(b"\r\n") + 2])
    assert_user_error(
        invoke("template", "wang2026", "--from", tmp_path / "out", "-o", tmp_path / "c.xlsx"), f"{tmp_path / 'out' / 'units.csv'} is cut short"
    )


def test_cli_reference_lists_ingest() -> None:
    result = invoke("ingest", "--help")
    assert result.exit_code == 0
    for option in ("--query", "--period", "--level", "--forms", "--exclude", "--unit", "--framework", "--lang", "--progress / --no-progress"):
        assert option in result.output, option
    assert "--from" in invoke("template", "--help").output
    text = (Path(__file__).resolve().parents[1] / "docs" / "reference" / "cli.rst").read_text(encoding="utf-8")
    assert ".. click:: policyquant.cli:main" in text and ":nested: full" in text


# --------------------------------------------------------------------------
# Property: units.csv is segment()'s table, as text.

_ARTICLE = st.text(alphabet="数据安全应当规范管理007，。AI ", min_size=1, max_size=20).map(str.strip).filter(bool)


@pytest.mark.filterwarnings("ignore:1 document has the same text")
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(st.sampled_from(["007", "0042", "甲", "a b", "N01"]), st.lists(_ARTICLE, min_size=0, max_size=5), st.booleans()),
        min_size=1, max_size=3, unique_by=lambda d: d[0],
    )
)  # fmt: skip
def test_units_csv_reads_back_as_segment_table(docs: list[tuple[str, list[str], bool]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "source"
        source.mkdir()
        for name, articles, chapters in docs:
            lines = ["某某办法"]
            for n, text in enumerate(articles, start=1):
                if chapters and n % 2 == 1:
                    lines.append(f"第{pq.documents.segmentation.chinese_numeral((n + 1) // 2)}章 章名")
                lines.append(f"第{pq.documents.segmentation.chinese_numeral(n)}条 {text}")
            (source / f"{name}.txt").write_text("\n".join(lines), encoding="utf-8")
        try:
            result = ingest(source, Path(folder) / "out", progress=False)
        except ReadError:
            return
        expected = segment(result.metadata.documents).to_frame()
        written = read_table(Path(folder) / "out" / "units.csv")
        assert list(written.columns) == list(expected.columns)
        as_text = expected.astype(object).map(lambda v: "" if v is None or v is pd.NA or v != v else str(v))
        assert written.fillna("").astype(str).to_numpy().tolist() == as_text.to_numpy().tolist()


def test_ingest_rejects_non_paths(tmp_path: Path) -> None:
    with pytest.raises(pq.errors.InputTypeError, match="source must be a path"):
        ingest(42, tmp_path)  # type: ignore[arg-type]
    with pytest.raises(WriteError):
        ingest(tmp_path, tmp_path)


def test_mistakes_are_found_before_reading(documents: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import policyquant.documents.reading as reading

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("the documents were read before the arguments were checked")

    monkeypatch.setattr(reading, "read_documents", never)
    line = assert_user_error(invoke("ingest", documents, "-o", tmp_path / "out", "--unit", "artcle"), "segment: unknown unit 'artcle'")
    assert "did you mean article" in line
    assert_user_error(invoke("ingest", documents, "-o", tmp_path / "out", "--query", "AND 算法"), "query")
    assert_user_error(invoke("ingest", documents, "-o", tmp_path / "out", "--exclude", tmp_path / "missing.csv"), "")
    assert not (tmp_path / "out").exists()


def test_a_selection_that_keeps_nothing(documents: Path, tmp_path: Path) -> None:
    result = invoke("ingest", documents, "-o", tmp_path / "out", "--query", "区块链", "--no-progress")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("9 documents read (0 files not read), 0 kept, 0 units (article)")
    assert "no document was kept" in result.stderr
    assert read_table(tmp_path / "out" / "units.csv").empty

"""Corpora larger than memory: read_coding in chunks from Parquet datasets and many CSV files (issue 17)."""

from __future__ import annotations

import itertools
import pathlib
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policyquant as pq
import policyquant.io.chunked as chunked_module
from policyquant.errors import ReadError, ValidationError
from policyquant.io.chunked import ChunkedCorpus, base_corpus, check_units, is_dataset, validate_units

GENAI = pq.datasets.load_genai_china()


def text_units(corpus: pq.Corpus = GENAI) -> pd.DataFrame:
    """The units as a coder's sheet holds them: every cell text."""
    units = corpus.all_units().copy()
    units["objectives"] = units["objectives"].map("; ".join)
    return units.astype(object).where(units.notna(), None).astype("string").fillna("")


def write_dataset(folder: pathlib.Path, units: pd.DataFrame, cuts: list[int], kind: str = "parquet") -> list[pathlib.Path]:
    """The units split at ``cuts`` into files of a dataset folder."""
    folder.mkdir(parents=True, exist_ok=True)
    bounds = [0, *cuts, len(units)]
    paths = []
    for i, (start, stop) in enumerate(itertools.pairwise(bounds)):
        path = folder / f"part-{i:03d}.{'parquet' if kind == 'parquet' else 'csv'}"
        piece = units.iloc[start:stop]
        if kind == "parquet":
            piece.to_parquet(path, index=False)
        else:
            piece.to_csv(path, index=False)
        paths.append(path)
    return paths


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    folder = tmp_path_factory.mktemp("study")
    GENAI.to_csv(folder / "study")
    write_dataset(folder / "units", text_units(), [200, 201, 450])
    return folder


def analyses(corpus: Any) -> list[pd.DataFrame]:
    """Every aggregation of the issue, as frames."""
    return [
        pq.crosstab(corpus).counts,
        pq.crosstab(corpus, "objective", "objective").counts,
        pq.crosstab(corpus, "instrument", "instrument").counts,
        pq.crosstab(corpus, "region", "DA", "documents").counts,
        pq.fit(corpus, "family").residuals,
        pq.efficacy_summary(corpus, "objective").to_frame(),
        pq.efficacy_summary(corpus, ["family", "level"]).to_frame(),
        pq.trends(corpus).to_frame(),
        pq.trends(corpus, by="family", cumulative=True).to_frame(),
        pq.authority_distribution(corpus, admin_level="provincial").counts,
        pq.portfolio_measures(corpus, by="level").to_frame(),
    ]


def assert_same(chunked: Any, corpus: pq.Corpus = GENAI) -> None:
    for got, expected in zip(analyses(chunked), analyses(corpus), strict=True):
        pd.testing.assert_frame_equal(got, expected, check_exact=True)


# --------------------------------------------------------------------------
# Equal to the in-memory results.


def test_a_parquet_dataset_folder_is_read_in_chunks(study):
    chunked = pq.read_coding(study / "units", study / "study" / "documents.csv", chunksize=64)
    assert isinstance(chunked, ChunkedCorpus)
    assert (chunked.n_units, chunked.n_codings, chunked.n_not_coded, len(chunked)) == (670, 908, 0, 670)
    assert [pathlib.Path(f).name for f in chunked.files] == ["part-000.parquet", "part-001.parquet", "part-002.parquet", "part-003.parquet"]
    assert_same(chunked)
    assert chunked.to_corpus() == GENAI
    assert repr(chunked) == "<ChunkedCorpus wang2026: 4 files, 63 documents, 670 units, 908 codings, chunks of 64>"


def test_memory_holds_one_chunk_of_clauses(study):
    chunked = pq.read_coding(study / "units", study / "study" / "documents.csv", chunksize=64)
    sizes = [len(part.units) for part in chunked.partitions()]
    assert max(sizes) <= 64 and sum(sizes) == 670
    # A chunk never spans two files: the file of one row is 200 rows... then one row, then 249.
    assert sizes[:4] == [64, 64, 64, 8] and sizes[4] == 1


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    cuts=st.lists(st.integers(1, 669), max_size=4, unique=True).map(sorted),
    chunksize=st.integers(40, 700),
    seed=st.integers(0, 2**16),
)
def test_any_files_any_chunks_any_row_order(tmp_path_factory, cuts, chunksize, seed):
    folder = tmp_path_factory.mktemp("dataset")
    units = text_units().sample(frac=1.0, random_state=seed)
    write_dataset(folder / "units", units, cuts)
    GENAI.to_csv(folder / "study")
    chunked = pq.read_coding(folder / "units", folder / "study" / "documents.csv", chunksize=chunksize)
    assert_same(chunked)


def test_many_csv_files_as_a_list_and_as_a_glob(study, tmp_path):
    paths = write_dataset(tmp_path / "csv", text_units(), [100, 400], kind="csv")
    documents = study / "study" / "documents.csv"
    listed = pq.read_coding(paths, documents, chunksize=150)
    globbed = pq.read_coding(str(tmp_path / "csv" / "*.csv"), documents)
    assert listed.files == globbed.files == [str(p) for p in paths]
    assert globbed.chunksize == chunked_module.DEFAULT_CHUNKSIZE
    assert_same(listed)
    assert_same(globbed)


def csv_with_blank_lines(units: pd.DataFrame, blank_after: set[int]) -> tuple[str, list[int]]:
    """The units as CSV text with a blank line after some records, and each record's spreadsheet row."""
    parts, rows, row = [units.iloc[:0].to_csv(index=False, lineterminator="\n")], [], 1
    for i in range(len(units)):
        row += 1
        parts.append(units.iloc[[i]].to_csv(index=False, header=False, lineterminator="\n"))
        rows.append(row)
        if i in blank_after:
            parts.append("\n")
            row += 1
    return "".join(parts), rows


def test_a_large_csv_file_is_streamed_with_the_same_results_and_row_numbers(study, tmp_path, monkeypatch):
    monkeypatch.setattr(chunked_module, "WHOLE_FILE_BYTES", 0)
    units = text_units()
    # A quoted cell spanning two lines is one record, one row; blank lines are rows holding none.
    units.loc[5, "text"] = "第一行,\n第二行 with a \"quote\""
    path = tmp_path / "units.csv"
    text, rows = csv_with_blank_lines(units, {2, 300, 301})
    path.write_text(text, encoding="utf-8-sig")
    chunked = pq.read_coding(path, study / "study" / "documents.csv", chunksize=97)
    assert chunked.to_corpus().units.loc[5, "text"] == units.loc[5, "text"]
    assert_same(chunked)
    units.loc[[4, 450], "instrument"] = "Subsidy"
    text, rows = csv_with_blank_lines(units, {2, 300, 301})
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationError) as error:
        pq.read_coding(path, study / "study" / "documents.csv", chunksize=97)
    assert error.value.problems[["file", "row", "column", "value"]].to_numpy().tolist() == [
        [str(path), rows[4], "instrument", "Subsidy"],
        [str(path), rows[450], "instrument", "Subsidy"],
    ]
    # The same rows as the in-memory reader names.
    monkeypatch.setattr(chunked_module, "WHOLE_FILE_BYTES", 1 << 30)
    with pytest.raises(ValidationError) as memory:
        pq.read_coding(path, study / "study" / "documents.csv")
    assert memory.value.problems["row"].tolist() == [rows[4], rows[450]] == [7, 455]


@pytest.mark.parametrize("kind", ["parquet", "csv", "csv-streamed"])
def test_ids_are_read_as_text_in_every_path(tmp_path, monkeypatch, kind):
    if kind == "csv-streamed":
        monkeypatch.setattr(chunked_module, "WHOLE_FILE_BYTES", 0)
    units = pd.DataFrame(
        {
            "unit_id": ["007-1-1", "007-1-2", "0100-2-1"],
            "doc_id": ["007", "007", "0100"],
            "instrument": ["标准规范", "试点示范", "标准规范"],
            "objectives": ["公共安全与利益", "应用场景完善", "法定权益保护"],
            "AS": ["5", "3", "1"],
            "MI": ["5", "3", "1"],
        }
    )
    documents = pd.DataFrame({"doc_id": ["007", "0100"], "year": ["2023", "2024"], "DA": ["3", "5"]})
    folder = tmp_path / "units"
    write_dataset(folder, units, [1], kind="parquet" if kind == "parquet" else "csv")
    documents.to_csv(tmp_path / "documents.csv", index=False)
    chunked = pq.read_coding(folder if kind == "parquet" else sorted(folder.glob("*.csv")), tmp_path / "documents.csv", chunksize=1)
    corpus = chunked.to_corpus()
    assert corpus.units["doc_id"].tolist() == ["007", "007", "0100"]
    assert corpus.units["unit_id"].tolist() == ["007-1-1", "007-1-2", "0100-2-1"]
    assert list(pq.crosstab(chunked, "doc_id", "family", "units").counts.index) == ["007", "0100"]
    # Without a documents table, the documents are the units' doc_ids, as text too.
    derived = pq.read_coding(folder if kind == "parquet" else sorted(folder.glob("*.csv")), chunksize=2)
    assert derived.documents["doc_id"].tolist() == ["007", "0100"]
    assert pq.crosstab(derived).total == 3


def test_documents_built_from_the_units_equal_the_in_memory_ones(study):
    chunked = pq.read_coding(study / "units", chunksize=100)
    memory = pq.read_coding(study / "study" / "units.csv")
    pd.testing.assert_frame_equal(chunked.documents, memory.documents)
    pd.testing.assert_frame_equal(pq.crosstab(chunked).counts, pq.crosstab(memory).counts)


def test_chunksize_reads_a_single_file_or_a_study_folder_in_chunks(study):
    single = pq.read_coding(study / "study" / "units.csv", study / "study" / "documents.csv", chunksize=300)
    folder = pq.read_coding(study / "study", chunksize=300)
    assert isinstance(single, ChunkedCorpus) and isinstance(folder, ChunkedCorpus)
    assert_same(single)
    assert folder.to_corpus() == GENAI
    # Without chunksize, a study folder is read in memory as before.
    assert isinstance(pq.read_coding(study / "study"), pq.Corpus)


def test_clauses_coded_none_are_counted_apart(tmp_path):
    units = text_units()
    units.loc[:4, ["instrument", "objectives", "AS", "MI"]] = ["none", "", "", ""]
    write_dataset(tmp_path / "units", units, [3])
    GENAI.to_csv(tmp_path / "study")
    chunked = pq.read_coding(tmp_path / "units", tmp_path / "study" / "documents.csv", chunksize=50)
    assert chunked.n_not_coded == 5 and chunked.n_units == 665
    assert pq.crosstab(chunked).not_coded == 5
    assert len(chunked.to_corpus().not_coded) == 5


# --------------------------------------------------------------------------
# Bad input.


def test_parquet_files_that_disagree_on_columns_or_types_are_named(tmp_path):
    units = text_units()
    folder = tmp_path / "units"
    paths = write_dataset(folder, units, [200, 400])
    units.iloc[200:400].drop(columns=["MI"]).to_parquet(paths[1], index=False)
    typed = units.iloc[400:].copy()
    typed["AS"] = typed["AS"].astype(int)
    typed.to_parquet(paths[2], index=False)
    with pytest.raises(ValidationError) as error:
        pq.read_coding(folder)
    message = str(error.value)
    assert "2 Parquet files of the dataset disagree with" in message
    assert str(paths[1]) in message and str(paths[2]) in message
    problems = error.value.problems
    assert problems[["file", "column", "problem"]].to_numpy().tolist() == [
        [str(paths[1]), "MI", "missing column"],
        [str(paths[2]), "AS", "another type than in the first file"],
    ]
    assert problems.loc[1, "value"] == "int64" and "string, as in" in problems.loc[1, "expected"]


def test_invalid_rows_in_the_middle_of_a_million_are_all_reported(tmp_path):
    units = text_units()
    n = 1_000_000
    big = units.iloc[np.arange(n) % len(units)].reset_index(drop=True)
    big["unit_id"] = big["doc_id"] + "-9-" + pd.Series(np.arange(n)).astype(str)
    bad = [499_998, 500_000, 500_001, 650_123]
    big.loc[bad[0], "instrument"] = "Subsidy"
    big.loc[bad[1], "AS"] = "4"
    big.loc[bad[2], "doc_id"] = "N999"
    big.loc[bad[3], "objectives"] = "innovation"
    paths = write_dataset(tmp_path / "units", big, [400_000])
    GENAI.to_csv(tmp_path / "study")
    with pytest.raises(ValidationError) as error:
        pq.read_coding(tmp_path / "units", tmp_path / "study" / "documents.csv", chunksize=200_000)
    problems = error.value.problems
    # Rows are numbered within each file, from 1 (Parquet records).
    assert problems[["file", "row", "column"]].to_numpy().tolist() == [
        [str(paths[1]), bad[0] - 400_000 + 1, "instrument"],
        [str(paths[1]), bad[1] - 400_000 + 1, "AS"],
        [str(paths[1]), bad[2] - 400_000 + 1, "doc_id"],
        [str(paths[1]), bad[3] - 400_000 + 1, "objectives"],
    ]
    assert str(error.value).startswith(f"{paths[1]}: 4 problems found")


def test_problems_of_many_chunks_are_capped(tmp_path, monkeypatch):
    monkeypatch.setattr(chunked_module, "MAX_PROBLEMS", 5)
    units = text_units()
    units.loc[[10, 20, 30, 110, 120, 130, 210, 220], "instrument"] = "Subsidy"
    paths = write_dataset(tmp_path / "units", units, [300])
    GENAI.to_csv(tmp_path / "study")
    with pytest.raises(ValidationError) as error:
        pq.read_coding(tmp_path / "units", tmp_path / "study" / "documents.csv", chunksize=100)
    problems = error.value.problems
    assert len(problems) == 5
    assert problems["row"].tolist() == [11, 21, 31, 111, 121]
    assert "5+ problems found" in str(error.value)
    assert error.value.stopped == f"{paths[0]}: stopped looking after 5 problems, at row 131"


def test_a_unit_id_in_two_files_is_a_duplicate(tmp_path):
    units = text_units()
    paths = write_dataset(tmp_path / "units", units, [300])
    again = units.iloc[300:].copy()
    again.iloc[5, again.columns.get_loc("unit_id")] = units.iloc[7]["unit_id"]
    again.to_parquet(paths[1], index=False)
    GENAI.to_csv(tmp_path / "study")
    with pytest.raises(ValidationError) as error:
        pq.read_coding(tmp_path / "units", tmp_path / "study" / "documents.csv", chunksize=1000)
    problems = error.value.problems
    assert problems[["file", "row", "column", "value", "problem"]].to_numpy().tolist() == [
        [str(paths[1]), 6, "unit_id", units.iloc[7]["unit_id"], "duplicate unit_id"]
    ]
    assert problems.loc[0, "expected"] == f"unique unit_ids; first used in {paths[0]}, row 8"


def test_without_validation_problems_surface_when_an_analysis_reads_the_chunk(tmp_path):
    units = text_units()
    units.loc[600, "instrument"] = "Subsidy"
    paths = write_dataset(tmp_path / "units", units, [])
    GENAI.to_csv(tmp_path / "study")
    chunked = ChunkedCorpus(tmp_path / "units", tmp_path / "study" / "documents.csv", chunksize=100, validate=False)
    with pytest.raises(ValidationError) as error:
        pq.crosstab(chunked)
    assert error.value.problems[["file", "row", "column"]].to_numpy().tolist() == [[str(paths[0]), 601, "instrument"]]


def test_a_chinese_sheet_gets_its_problems_in_chinese_by_its_headers(tmp_path):
    units = pd.DataFrame(
        {
            "条款编号": ["P01-1-1", "P01-1-2"],
            "文件编号": ["P01", "P01"],
            "政策工具": ["标准规范", "试点示范"],
            "政策目标": ["公共安全与利益", "创新发展"],
            "作用范围": ["3", "3"],
            "措施力度": ["5", "5"],
        }
    )
    paths = write_dataset(tmp_path / "units", units, [1], kind="csv")
    (tmp_path / "documents.csv").write_text("文件编号,发文权威\nP01,部门或省级工作文件\n", encoding="utf-8")
    with pytest.raises(ValidationError) as error:
        pq.read_coding(paths, tmp_path / "documents.csv", chunksize=1)
    problems = error.value.problems
    assert problems[["file", "row", "column", "value"]].to_numpy().tolist() == [[str(paths[1]), 2, "政策目标", "创新发展"]]
    assert "未知的政策目标" in problems.loc[0, "problem"]


def test_problems_of_the_documents_table_follow_the_language_of_the_sheets(tmp_path):
    units = pd.DataFrame(
        {
            "条款编号": ["P01-1-1"],
            "文件编号": ["P01"],
            "政策工具": ["标准规范"],
            "政策目标": ["公共安全与利益"],
            "作用范围": ["3"],
            "措施力度": ["5"],
        }
    )
    paths = write_dataset(tmp_path / "units", units, [], kind="csv")
    (tmp_path / "documents.csv").write_text("文件编号,发文权威\nP01,很高\n", encoding="utf-8")
    with pytest.raises(ValidationError) as error:
        pq.read_coding(paths, tmp_path / "documents.csv", chunksize=10)
    problems = error.value.problems
    assert problems[["file", "row", "column", "value"]].to_numpy().tolist() == [
        [str(tmp_path / "documents.csv"), 2, "发文权威", "很高"]
    ]
    assert "发文权威" in problems.loc[0, "problem"]


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda d: pq.read_coding(d / "units", chunksize=0), ValidationError, "chunksize must be a number of rows"),
        (lambda d: pq.read_coding(d / "units", chunksize=True), ValidationError, "chunksize must be a number of rows"),
        (lambda d: pq.read_coding(d / "units", sheet="units", chunksize=10), ValidationError, "sheet= names a workbook sheet"),
        (lambda d: pq.read_coding([d / "study.xlsx"]), ReadError, "chunked reading reads Parquet"),
        (lambda d: pq.read_coding([]), ReadError, "no units files given"),
        (lambda d: pq.read_coding(str(d / "nothing-*.csv")), ReadError, "no file matches the pattern"),
        (lambda d: pq.read_coding([d / "missing.csv"]), ReadError, "no such file"),
    ],
)
def test_bad_arguments(tmp_path, call, error, message):
    write_dataset(tmp_path / "units", text_units(), [])
    (tmp_path / "study.xlsx").write_bytes(b"")
    with pytest.raises(error, match=message):
        call(tmp_path)


def test_a_corrupt_parquet_file_is_a_read_error(tmp_path):
    paths = write_dataset(tmp_path / "units", text_units(), [300])
    paths[1].write_bytes(b"PAR1 not really")
    with pytest.raises(ReadError, match="not a readable Parquet file"):
        pq.read_coding(tmp_path / "units")


def test_is_dataset():
    assert is_dataset(["a.csv"]) and is_dataset("x/*.parquet")
    assert not is_dataset("units.csv") and not is_dataset(pd.DataFrame())


# --------------------------------------------------------------------------
# The validation pieces, for other partitioned corpora (Dask).


def test_validating_clauses_against_documents_validated_once():
    base = base_corpus(GENAI.documents.assign(year=GENAI.documents["year"].astype("Int64")))
    units = text_units()
    part = validate_units(units.iloc[100:200], base, source="units-2.csv", first_row=2)
    assert len(part.units) == 100 and len(part.documents) == 63
    bad = units.iloc[100:103].copy()
    bad.iloc[1, bad.columns.get_loc("doc_id")] = "N1"
    with pytest.raises(ValidationError) as error:
        validate_units(bad, base, source="units-2.csv", first_row=2)
    assert error.value.problems[["file", "row", "column", "value", "suggestions"]].to_numpy().tolist()[0][:4] == [
        "units-2.csv",
        3,
        "doc_id",
        "N1",
    ]
    corpus, problems, stopped = check_units(units.iloc[:5], base)
    assert corpus is not None and problems.empty and stopped is None
    with pytest.raises(ValidationError, match="documents: 1 problem found"):
        base_corpus(pd.DataFrame({"doc_id": ["N01", "N01"]}), source="documents")


def test_the_command_line_reads_a_parquet_dataset_folder(study):
    from click.testing import CliRunner

    from policyquant.cli import main

    result = CliRunner().invoke(
        main, ["validate", str(study / "units"), str(study / "study" / "documents.csv")], prog_name="policyquant"
    )
    assert result.exit_code == 0, result.output
    assert "63 documents, 670 units, 908 codings" in result.stdout

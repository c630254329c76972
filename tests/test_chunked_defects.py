"""Chunked reading equals the in-memory reader on the inputs a break-tester found it did not."""

from __future__ import annotations

import pathlib
import unicodedata
from typing import ClassVar

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policyquant as pq
import policyquant.io.chunked as chunked_module
from policyquant.errors import PolicyQuantError, ReadError, ValidationError

DOCS = "doc_id,level,year\nCafé,national,2020\n"
HEADER = "unit_id,doc_id,instrument,objectives\n"
ROW = "Café,standards_and_norms,public_safety\n"


def write_docs(folder: pathlib.Path) -> pathlib.Path:
    path = folder / "documents.csv"
    path.write_text(DOCS, encoding="utf-8")
    return path


def problem_rows(error: ValidationError, with_file: bool = False) -> list[tuple]:
    columns = ["file", "row", "value", "problem"] if with_file else ["row", "value", "problem"]
    return sorted(tuple(str(v) for v in row) for row in error.problems[columns].to_numpy().tolist())


def read_problems(*args, **kwargs) -> ValidationError | None:
    try:
        result = pq.read_coding(*args, **kwargs)
        if isinstance(result, chunked_module.ChunkedCorpus):
            result.validate()
    except ValidationError as error:
        return error
    return None


# 1. Unit ids in two Unicode normalization forms -----------------------------

NFC = unicodedata.normalize("NFC", "Café-1-1")
NFD = unicodedata.normalize("NFD", "Café-1-1")


def test_nfc_nfd_twins_in_two_files_are_refused(tmp_path: pathlib.Path) -> None:
    docs = write_docs(tmp_path)
    (tmp_path / "a.csv").write_text(HEADER + f"{NFC},{ROW}Café-1-2,{ROW}", encoding="utf-8")
    (tmp_path / "b.csv").write_text(HEADER + f"{NFD},{ROW}", encoding="utf-8")
    error = read_problems([tmp_path / "a.csv", tmp_path / "b.csv"], docs)
    assert error is not None
    problems = error.problems
    assert len(problems) == 1
    assert problems.loc[0, "file"] == str(tmp_path / "b.csv")
    assert problems.loc[0, "row"] == 2
    assert problems.loc[0, "value"] == NFD
    assert problems.loc[0, "problem"] == (
        "duplicate unit_id in another Unicode normalization form: 'Cafe\\u0301-1-1' here, 'Caf\\u00e9-1-1' in row 2"
    )
    assert str(tmp_path / "a.csv") in problems.loc[0, "expected"]
    assert "save both as NFC" in problems.loc[0, "expected"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    ids=st.lists(st.sampled_from(["Café-1-1", "Café-1-2", "Zoë-1", "a-1", "a-2", "a-3"]), min_size=1, max_size=9),
    forms=st.lists(st.sampled_from(["NFC", "NFD"]), min_size=9, max_size=9),
    chunksize=st.integers(1, 10),
)
def test_duplicate_problems_do_not_depend_on_chunks(
    tmp_path: pathlib.Path, ids: list[str], forms: list[str], chunksize: int
) -> None:
    docs = write_docs(tmp_path)
    spelled = [unicodedata.normalize(form, value) for value, form in zip(ids, forms, strict=False)]
    path = tmp_path / "units.csv"
    path.write_text(HEADER + "".join(f"{value},{ROW}" for value in spelled), encoding="utf-8")
    whole = read_problems(path, docs)
    chunked = read_problems(path, docs, chunksize=chunksize)
    assert (whole is None) == (chunked is None)
    if whole is not None:
        assert problem_rows(chunked) == problem_rows(whole)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    ids=st.lists(st.sampled_from(["Café-1-1", "Café-1-2", "Zoë-1", "a-1", "a-2"]), min_size=2, max_size=8),
    forms=st.lists(st.sampled_from(["NFC", "NFD"]), min_size=8, max_size=8),
    cut=st.integers(1, 7),
)
def test_duplicate_problems_do_not_depend_on_files(
    tmp_path: pathlib.Path, ids: list[str], forms: list[str], cut: int
) -> None:
    docs = write_docs(tmp_path)
    spelled = [unicodedata.normalize(form, value) for value, form in zip(ids, forms, strict=False)]
    cut = min(cut, len(spelled) - 1)
    whole = tmp_path / "units.csv"
    whole.write_text(HEADER + "".join(f"{value},{ROW}" for value in spelled), encoding="utf-8")
    files = [tmp_path / "a.csv", tmp_path / "b.csv"]
    for path, part in zip(files, (spelled[:cut], spelled[cut:]), strict=True):
        path.write_text(HEADER + "".join(f"{value},{ROW}" for value in part), encoding="utf-8")
    expected = read_problems(whole, docs)
    split = read_problems(files, docs)
    assert (expected is None) == (split is None)
    if expected is not None:
        # The same clauses refused with the same words; a row of b.csv is its row in the whole file less the cut.
        in_whole = [(int(row), value, problem.split(" in row ")[0]) for row, value, problem in problem_rows(expected)]
        in_files = [
            (int(row) + (cut if file.endswith("b.csv") else 0), value, problem.split(" in row ")[0])
            for file, row, value, problem in problem_rows(split, with_file=True)
        ]
        assert sorted(in_files) == sorted(in_whole)


# 2. CSV sheets with different columns -----------------------------------------

SCORED = "unit_id,doc_id,instrument,objectives,AS,MI\n"


@pytest.mark.parametrize(("first", "second", "column", "problem"), [
    (SCORED, HEADER.replace("\n", ",AS\n"), "MI", "missing column"),
    (HEADER.replace("\n", ",AS\n"), SCORED, "MI", "a column the first file does not have"),
])
def test_csv_sheets_must_have_the_first_sheets_columns(
    tmp_path: pathlib.Path, first: str, second: str, column: str, problem: str
) -> None:
    docs = write_docs(tmp_path)
    cells = {SCORED: ",5,3", HEADER.replace("\n", ",AS\n"): ",5"}
    (tmp_path / "a.csv").write_text(first + f"Café-1-1,{ROW.strip()}{cells[first]}\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text(second + f"Café-1-2,{ROW.strip()}{cells[second]}\n", encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        pq.read_coding([tmp_path / "a.csv", tmp_path / "b.csv"], docs)
    problems = caught.value.problems
    assert problems[["file", "column", "problem"]].to_numpy().tolist() == [[str(tmp_path / "b.csv"), column, problem]]
    assert str(tmp_path / "a.csv") in problems.loc[0, "expected"]


def test_sheets_may_differ_in_columns_nothing_reads(tmp_path: pathlib.Path) -> None:
    # A coder's own notes column in one sheet only: as in memory, the sheets still make one corpus.
    docs = write_docs(tmp_path)
    (tmp_path / "a.csv").write_text(SCORED + f"Café-1-1,{ROW.strip()},5,3\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text(
        SCORED.replace("\n", ",notes\n") + f"Café-1-2,{ROW.strip()},5,3,checked twice\n", encoding="utf-8"
    )
    chunked = pq.read_coding([tmp_path / "a.csv", tmp_path / "b.csv"], docs)
    units = chunked.to_corpus().all_units()
    assert units["unit_id"].tolist() == ["Café-1-1", "Café-1-2"]


def test_parts_of_different_kernels_do_not_combine() -> None:
    from policyquant.analysis.partial import _Parts

    with pytest.raises(PolicyQuantError, match="different parts"):
        _Parts({"a": 1, "b": 2}).combine(_Parts({"a": 1}))


# 5. Chinese-headed sheets: the whole error in Chinese ----------------------------

ZH_DOCS = "文件编号,发文权威\nD1,5\n"
ZH_HEADER = "条款编号,文件编号,政策工具,政策目标\n"


@pytest.mark.parametrize("validate", [True, False])
def test_chinese_sheets_get_a_chinese_error(tmp_path: pathlib.Path, validate: bool) -> None:
    (tmp_path / "documents.csv").write_text(ZH_DOCS, encoding="utf-8")
    (tmp_path / "a.csv").write_text(ZH_HEADER + "D1-1-1,D1,standards_and_norms,public_safety\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text(ZH_HEADER + "D1-1-2,D1,补贴,public_safety\n", encoding="utf-8")
    files = [tmp_path / "a.csv", tmp_path / "b.csv"]
    with pytest.raises(ValidationError) as caught:
        corpus = chunked_module.ChunkedCorpus(files, tmp_path / "documents.csv", validate=validate)
        pq.crosstab(corpus)
    message = str(caught.value)
    assert "problem" not in message and "found" not in message, message
    assert "发现" in message
    assert caught.value.problems.loc[0, "column"] == "政策工具"


# 6. A Parquet dataset folder with a README or manifest ----------------------------


@pytest.mark.parametrize("name", ["README.md", "manifest.json", "_SUCCESS", ".hidden.parquet", "zz_notes.txt"])
def test_dataset_folder_ignores_other_files(tmp_path: pathlib.Path, name: str) -> None:
    units = pd.DataFrame(
        {"unit_id": ["N01-1-1"], "doc_id": ["N01"], "instrument": ["standards_and_norms"], "objectives": ["public_safety"]}
    )
    units.to_parquet(tmp_path / "part-0.parquet", index=False)
    (tmp_path / name).write_text("a note about the dataset\n")
    corpus = pq.read_coding(tmp_path)
    assert corpus.files == [str(tmp_path / "part-0.parquet")]
    assert pq.crosstab(corpus).total == 1


# 3. Streamed files: a record of bare delimiters is a row, a blank line is not ----------

STREAM_DOCS = "doc_id,level,year\n007,national,2020\nNA,provincial,2021\n"
STREAM_HEADER = "unit_id,doc_id,text,instrument,objectives,AS,MI\r\n"
STREAM_ROWS = [
    '007-1-1,007,"line one\r\nline two",standards_and_norms,public_safety,5,5\r\n',
    "\r\n",
    'NA-1-1,NA,"quoted, comma",infrastructure,tech_innovation,3,3\r\n',
    ",,,,,,\r\n",
    '007-1-2,007,"",infrastructure,public_safety;tech_innovation,1,1\r\n',
    "\r\n",
    ',,"",,,,\r\n',
]


def whole_and_streamed(path: pathlib.Path, docs: pathlib.Path, chunksize: int, monkeypatch: pytest.MonkeyPatch):
    """The in-memory reading of a small file and its streamed chunked reading (the size threshold patched down)."""
    results = []
    for streamed in (False, True):
        with monkeypatch.context() as patch:
            if streamed:
                patch.setattr(chunked_module, "WHOLE_FILE_BYTES", 10)
            try:
                corpus = pq.read_coding(path, docs, chunksize=chunksize) if streamed else pq.read_coding(path, docs)
                results.append(corpus.to_corpus() if streamed else corpus)
            except ValidationError as error:
                results.append(error)
    return results


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(picks=st.lists(st.integers(0, len(STREAM_ROWS) - 1), min_size=1, max_size=8), chunksize=st.integers(1, 5))
def test_streamed_rows_of_empty_cells_are_reported_as_in_memory(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch, picks: list[int], chunksize: int
) -> None:
    docs = tmp_path / "documents.csv"
    docs.write_text(STREAM_DOCS)
    rows = [STREAM_ROWS[i] for i in picks]
    # One unit id per row: the property is about empty records, not duplicates.
    rows = [row.replace("-1,", f"-{n},", 1) for n, row in enumerate(rows)]
    path = tmp_path / "units.csv"
    path.write_bytes((STREAM_HEADER + "".join(rows)).encode())
    whole, streamed = whole_and_streamed(path, docs, chunksize, monkeypatch)
    assert type(whole) is type(streamed)
    if isinstance(whole, ValidationError):
        assert problem_rows(streamed, with_file=True) == problem_rows(whole, with_file=True)
    else:
        assert streamed.units["unit_id"].tolist() == whole.units["unit_id"].tolist()
        assert len(streamed.not_coded) == len(whole.not_coded)


def test_streamed_record_of_delimiters_is_an_empty_row(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    docs = tmp_path / "documents.csv"
    docs.write_text(STREAM_DOCS)
    path = tmp_path / "units.csv"
    path.write_bytes((STREAM_HEADER + STREAM_ROWS[0] + "\r\n" + ",,,,,,\r\n").encode())
    _whole, streamed = whole_and_streamed(path, docs, 2, monkeypatch)
    assert isinstance(streamed, ValidationError)
    assert set(streamed.problems["row"]) == {4}
    assert "empty required cell" in set(streamed.problems["problem"])


# 4. Streamed files: the whole-file reader's errors, not pyarrow's -------------------

GBK_HEADER = "条款编号,文件编号,条款内容,政策工具,政策目标,作用范围,措施力度\n"
GBK_DOCS = "doc_id,level,year\nN01,national,2020\n"


def gbk_rows(extra_at: int | None = None, count: int = 6) -> str:
    return "".join(
        f"N01-1-{i},N01,人工智能,standards_and_norms,public_safety,5,5" + (",extra" if i == extra_at else "") + "\n"
        for i in range(count)
    )


def outcomes(path: pathlib.Path, docs: pathlib.Path, monkeypatch: pytest.MonkeyPatch, **options) -> list:
    """What the whole-file reader and the streaming reader make of a file: a corpus's unit ids, or the error."""
    results = []
    for streamed in (False, True):
        with monkeypatch.context() as patch:
            if streamed:
                patch.setattr(chunked_module, "WHOLE_FILE_BYTES", 10)
            try:
                corpus = pq.read_coding(path, docs, chunksize=2, **options).validate()
                results.append(corpus.to_corpus().units["unit_id"].tolist())
            except (ReadError, ValidationError) as error:
                results.append((type(error), str(error), problem_rows(error, with_file=True)))
    return results


@pytest.mark.parametrize("encoding", [None, "gbk"])
def test_streamed_gbk_file_reads_as_whole(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch, encoding) -> None:
    docs = tmp_path / "documents.csv"
    docs.write_text(GBK_DOCS)
    path = tmp_path / "units.csv"
    path.write_bytes((GBK_HEADER + gbk_rows()).encode("gbk"))
    whole, streamed = outcomes(path, docs, monkeypatch, encoding=encoding)
    assert streamed == whole == [f"N01-1-{i}" for i in range(6)]


@pytest.mark.parametrize("encoding", [None, "gbk", "utf-8"])
def test_streamed_long_row_is_named_by_row(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch, encoding) -> None:
    docs = tmp_path / "documents.csv"
    docs.write_text(GBK_DOCS)
    path = tmp_path / "units.csv"
    path.write_bytes((GBK_HEADER + gbk_rows(extra_at=3)).encode(encoding or "utf-8"))
    whole, streamed = outcomes(path, docs, monkeypatch, encoding=encoding)
    assert streamed == whole
    kind, message, problems = streamed
    assert kind is ReadError
    assert "row 5 has 8 cells but the header has 7 columns" in message
    assert "encoding" not in message
    assert problems == [(str(path), "5", "8 cells", "more cells than headers")]


def test_streamed_file_in_no_known_encoding_says_where(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    docs = tmp_path / "documents.csv"
    docs.write_text(GBK_DOCS)
    path = tmp_path / "units.csv"
    path.write_bytes(GBK_HEADER.encode("utf-8") + b"N01-1-1,N01,\xff\xff,standards_and_norms,public_safety,5,5\n")
    whole, streamed = outcomes(path, docs, monkeypatch)
    assert streamed[0] is whole[0] is ReadError
    assert "cannot decode the file" in streamed[1]
    assert "line 2" in streamed[1]
    assert "no header row" not in streamed[1]


def test_streamed_record_longer_than_a_block_is_read(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    docs = tmp_path / "documents.csv"
    docs.write_text(GBK_DOCS)
    path = tmp_path / "units.csv"
    rows = gbk_rows(count=40).replace("人工智能", "x" * 5000, 1).replace("N01-1-30,N01,人工智能", "N01-1-30,N01," + "y" * 9000)
    path.write_text(GBK_HEADER + rows, encoding="utf-8")
    monkeypatch.setattr(chunked_module, "_BLOCK_BYTES", 1024)
    whole, streamed = outcomes(path, docs, monkeypatch)
    assert streamed == whole == [f"N01-1-{i}" for i in range(40)]


# 7. pyarrow's streaming reader is closed however reading ends ------------------------


class _SpyReader:
    """pyarrow's CSV reader, noting whether it was closed."""

    opened: ClassVar[list[_SpyReader]] = []

    def __init__(self, reader) -> None:
        self.reader, self.closed = reader, False
        _SpyReader.opened.append(self)

    def __iter__(self):
        return iter(self.reader)

    def close(self) -> None:
        self.closed = True
        self.reader.close()


@pytest.fixture
def spied(monkeypatch: pytest.MonkeyPatch) -> list[_SpyReader]:
    from pyarrow import csv as arrow_csv

    open_csv = arrow_csv.open_csv
    _SpyReader.opened = []
    monkeypatch.setattr(arrow_csv, "open_csv", lambda *args, **kwargs: _SpyReader(open_csv(*args, **kwargs)))
    monkeypatch.setattr(chunked_module, "WHOLE_FILE_BYTES", 10)
    return _SpyReader.opened


def test_streamed_reader_closed_after_an_error(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch, spied) -> None:
    docs = tmp_path / "documents.csv"
    docs.write_text(GBK_DOCS)
    path = tmp_path / "units.csv"
    rows = gbk_rows(count=40).replace("N01-1-30,N01,人工智能", "N01-1-30,N01," + "y" * 9000)
    path.write_text(GBK_HEADER + rows, encoding="utf-8")
    monkeypatch.setattr(chunked_module, "_BLOCK_BYTES", 1024)
    monkeypatch.setattr(chunked_module, "_MAX_BLOCK", 1024)
    with pytest.raises(ReadError, match="straddling"):
        pq.read_coding(path, docs, chunksize=2)
    assert spied and all(reader.closed for reader in spied)


def test_streamed_reader_closed_after_reading_the_first_chunk(tmp_path: pathlib.Path, spied) -> None:
    docs = tmp_path / "documents.csv"
    docs.write_text(GBK_DOCS)
    path = tmp_path / "units.csv"
    path.write_text(GBK_HEADER + gbk_rows(count=40), encoding="utf-8")
    corpus = chunked_module.ChunkedCorpus(path, docs, chunksize=2, validate=False)
    assert len(corpus.base.units) == 0
    assert spied and all(reader.closed for reader in spied)
    assert pq.crosstab(corpus).total == 40
    assert all(reader.closed for reader in spied)

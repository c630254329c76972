"""Tests of reading and writing coding sheets: ``read_coding``, ``write_coding`` and ``Corpus.to_*``.

Every file is written by the test itself; nothing depends on the bundled dataset.
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
import io
import json
import os
import tempfile
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policyquant as pq

WANG = pq.get_framework("wang2026")
INSTRUMENTS = WANG.instrument_keys
OBJECTIVES = WANG.objective_keys

# A small study as a coder in China would type it: Chinese headers, Chinese labels, leading-zero ids.
DOCUMENTS_ZH = (
    "文件编号,标题,发文机构,层级,发文日期,发文权威\n"
    "007,生成式人工智能服务管理暂行办法,国家网信办、国家发展改革委、教育部,中央,2023-07-13,部门规章\n"
    "0042,北京市促进通用人工智能创新发展的若干措施,北京市人民政府,省级,2023-05-30,部门或省级工作文件\n"
)
UNITS_ZH = (
    "条款编号,文件编号,条款内容,政策工具,政策目标,作用范围,措施力度\n"
    "007-1-1,007,提供者应当依法开展预训练、优化训练等训练数据处理活动,标准规范,公共安全与利益；技术安全与创新,"
    "全部部门、领域或场景,5\n"
    '007-2-1,007,"鼓励各行业、各领域创新应用，生成优质内容",试点示范,应用场景完善,3,措施较明确、可操作\n'
    "0042-1-1,0042,加强宣传,宣传推广,法定权益保护、公共安全与利益,1,1\n"
)


def expected_documents() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "doc_id": ["007", "0042"],
            "title": ["生成式人工智能服务管理暂行办法", "北京市促进通用人工智能创新发展的若干措施"],
            "issuers": [["国家网信办", "国家发展改革委", "教育部"], ["北京市人民政府"]],
            "level": ["national", "provincial"],
            "date": ["2023-07-13", "2023-05-30"],
            "DA": [3, 1],
        }
    )


def expected_units() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "unit_id": ["007-1-1", "007-2-1", "0042-1-1"],
            "doc_id": ["007", "007", "0042"],
            "text": [
                "提供者应当依法开展预训练、优化训练等训练数据处理活动",
                "鼓励各行业、各领域创新应用，生成优质内容",
                "加强宣传",
            ],
            "instrument": ["standards_and_norms", "pilots_and_demonstrations", "publicity_and_promotion"],
            "objectives": [
                ["public_safety", "tech_innovation"],
                ["application_scenarios"],
                ["rights_protection", "public_safety"],
            ],
            "AS": [5, 3, 1],
            "MI": [5, 3, 1],
        }
    )


@pytest.fixture(scope="module")
def expected() -> pq.Corpus:
    return pq.Corpus(expected_documents(), expected_units())


def zh_frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The Chinese-headed sheets as text DataFrames (as a coder's workbook holds them)."""
    documents = pd.read_csv(io.StringIO(DOCUMENTS_ZH), dtype=str, keep_default_na=False)
    units = pd.read_csv(io.StringIO(UNITS_ZH), dtype=str, keep_default_na=False)
    return documents, units


def write_zh_csv(folder: Path, encoding: str) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    documents, units = folder / "documents.csv", folder / "units.csv"
    documents.write_bytes(DOCUMENTS_ZH.encode(encoding))
    units.write_bytes(UNITS_ZH.encode(encoding))
    return units, documents


def assert_same_frames(left: pq.Corpus, right: pq.Corpus) -> None:
    pd.testing.assert_frame_equal(left.documents, right.documents)
    pd.testing.assert_frame_equal(left.units, right.units)


# --------------------------------------------------------------------------
# CSV in every encoding a Chinese coder's spreadsheet may produce.


def test_expected_corpus_is_what_the_chinese_sheet_means(expected):
    assert expected.documents["issuers"].tolist() == [
        ("国家网信办", "国家发展改革委", "教育部"),
        ("北京市人民政府",),
    ]
    assert expected.units["objectives"].tolist() == [
        ("public_safety", "tech_innovation"),
        ("application_scenarios",),
        ("rights_protection", "public_safety"),
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_with_chinese_headers_in_any_encoding(tmp_path, expected, encoding):
    units, documents = write_zh_csv(tmp_path, encoding)
    if encoding in ("gbk", "gb18030"):
        with pytest.raises(UnicodeDecodeError):
            units.read_bytes().decode("utf-8")  # the file really is not UTF-8
    if encoding == "utf-8-sig":
        assert units.read_bytes().startswith(b"\xef\xbb\xbf")
    corpus = pq.read_coding(units, documents)  # no encoding argument: detected
    assert corpus == expected
    assert_same_frames(corpus, expected)
    assert corpus.documents["title"].tolist()[0] == "生成式人工智能服务管理暂行办法"
    assert corpus.units["doc_id"].tolist() == ["007", "007", "0042"]
    assert pq.read_coding(tmp_path) == expected  # the directory holding both


@pytest.mark.parametrize("encoding", ["gbk", "GB18030", "utf-8-sig"])
def test_csv_with_an_explicit_encoding(tmp_path, expected, encoding):
    units, documents = write_zh_csv(tmp_path, encoding)
    assert pq.read_coding(units, documents, encoding=encoding) == expected


def test_gb18030_file_with_characters_gbk_lacks(tmp_path):
    text = "数据安全🤖 𠀀 €"  # emoji, CJK extension B and the euro sign: GB18030 but not GBK
    with pytest.raises(UnicodeEncodeError):
        text.encode("gbk")
    sheet = f"条款编号,文件编号,条款内容,政策工具,政策目标,作用范围,措施力度\n007-1-1,007,{text},标准规范,公共安全,5,3\n"
    path = tmp_path / "units.csv"
    path.write_bytes(sheet.encode("gb18030"))
    corpus = pq.read_coding(path)
    assert corpus.units.loc[0, "text"] == text
    assert corpus.units.loc[0, "unit_id"] == "007-1-1"


def test_tsv(tmp_path, expected):
    (tmp_path / "documents.tsv").write_text(DOCUMENTS_ZH.replace(",", "\t"), encoding="utf-8")
    (tmp_path / "units.tsv").write_text(UNITS_ZH.replace(",", "\t"), encoding="utf-8")
    corpus = pq.read_coding(tmp_path / "units.tsv", tmp_path / "documents.tsv")
    assert corpus == expected
    assert_same_frames(corpus, expected)
    assert pq.read_coding(tmp_path) == expected


def test_txt_is_read_as_csv(tmp_path, expected):
    (tmp_path / "units.txt").write_text(UNITS_ZH, encoding="utf-8")
    (tmp_path / "documents.txt").write_text(DOCUMENTS_ZH, encoding="utf-8")
    assert pq.read_coding(tmp_path / "units.txt", tmp_path / "documents.txt") == expected


def test_units_without_documents(tmp_path, expected):
    units, _ = write_zh_csv(tmp_path, "utf-8")
    corpus = pq.read_coding(units)
    assert list(corpus.documents.columns) == ["doc_id"]
    assert corpus.documents["doc_id"].tolist() == ["007", "0042"]
    pd.testing.assert_frame_equal(corpus.units, expected.units)


def test_read_table_indexes_rows_as_in_the_spreadsheet(tmp_path):
    units, _ = write_zh_csv(tmp_path, "gbk")
    frame = pq.io.read_table(units)
    assert frame.index.tolist() == [2, 3, 4]
    assert frame.columns.tolist() == [
        "条款编号",
        "文件编号",
        "条款内容",
        "政策工具",
        "政策目标",
        "作用范围",
        "措施力度",
    ]
    assert frame.loc[2, "文件编号"] == "007"
    assert frame.map(lambda v: isinstance(v, str)).all(axis=None)


# --------------------------------------------------------------------------
# Excel workbooks.


@pytest.mark.parametrize(
    ("documents_sheet", "units_sheet"), [("documents", "units"), ("文件", "条款"), ("Documents", "Units")]
)
def test_workbook_holding_both_sheets(tmp_path, expected, documents_sheet, units_sheet):
    documents, units = zh_frames()
    path = tmp_path / "coding.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        units.to_excel(writer, sheet_name=units_sheet, index=False)  # units first: found by name
        documents.to_excel(writer, sheet_name=documents_sheet, index=False)
    corpus = pq.read_coding(path)
    assert corpus == expected
    assert_same_frames(corpus, expected)


def test_two_workbooks(tmp_path, expected):
    documents, units = zh_frames()
    documents.to_excel(tmp_path / "policies.xlsx", sheet_name="Sheet1", index=False)
    units.to_excel(tmp_path / "clauses.xlsx", sheet_name="Sheet1", index=False)
    corpus = pq.read_coding(tmp_path / "clauses.xlsx", tmp_path / "policies.xlsx")
    assert corpus == expected
    assert_same_frames(corpus, expected)


def test_sheet_argument(tmp_path, expected):
    documents, units = zh_frames()
    path = tmp_path / "study.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        pd.DataFrame({"note": ["read me"]}).to_excel(writer, sheet_name="README", index=False)
        documents.to_excel(writer, sheet_name="docs 2023", index=False)
        units.to_excel(writer, sheet_name="coded clauses", index=False)
    from policyquant.io.tabular import SheetWarning

    # The README holds neither table: it is named as a sheet with data that was not read.
    with pytest.warns(SheetWarning, match="did not read 'README'"):
        both = pq.read_coding(path, sheet={"units": "coded clauses", "documents": "docs 2023"})
    assert both == expected
    # Only the units sheet named: the documents sheet is recognised by its headers (issue 13, item 4;
    # it used to be left unread, the documents built from the units without their DA).
    with pytest.warns(SheetWarning, match="read sheet 'docs 2023' as the documents, by their headers"):
        only_units = pq.read_coding(path, sheet="coded clauses")
    assert only_units == expected


def test_missing_sheet_lists_the_sheets(tmp_path):
    documents, units = zh_frames()
    path = tmp_path / "study.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        documents.to_excel(writer, sheet_name="docs 2023", index=False)
        units.to_excel(writer, sheet_name="coded clauses", index=False)
    with pytest.raises(pq.ReadError) as info:
        pq.read_coding(path, sheet="clauses")
    message = str(info.value)
    assert message.startswith(f"{path}: no sheet named 'clauses'; sheets: docs 2023, coded clauses")
    (problem,) = info.value.problems.to_dict("records")
    assert problem["file"] == str(path)
    assert problem["value"] == "clauses"
    assert problem["expected"] == "one of docs 2023, coded clauses"
    assert problem["suggestions"] == "coded clauses"


def test_workbook_whose_units_sheet_has_an_unknown_name(tmp_path, expected):
    # The one sheet not named like the documents is the units sheet, wherever it is.
    documents, units = zh_frames()
    path = tmp_path / "study.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        documents.to_excel(writer, sheet_name="documents", index=False)
        units.to_excel(writer, sheet_name="My clauses", index=False)
    assert pq.read_coding(path) == expected


def test_workbook_without_a_units_sheet(tmp_path):
    documents, _ = zh_frames()
    path = tmp_path / "study.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        documents.to_excel(writer, sheet_name="文件", index=False)
    error = read_error(path)
    assert str(error).startswith(f"{path}: no sheet holds the units; sheets: 文件")


def test_numbers_in_a_workbook_are_read_as_text(tmp_path):
    path = tmp_path / "study.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        pd.DataFrame({"doc_id": [7, 12], "DA": [3, 5]}).to_excel(writer, sheet_name="documents", index=False)
        make = {
            "unit_id": ["7-1-1", "12-1-1"],
            "doc_id": [7, 12],
            "instrument": ["标准规范"] * 2,
            "objectives": ["公共安全"] * 2,
            "AS": [5, 3],
            "MI": [1, 1],
        }
        pd.DataFrame(make).to_excel(writer, sheet_name="units", index=False)
    # Numbers in the score columns are scores; numbers in the id columns are reported (issue 13,
    # item 5: they used to be read as the ids "7" and "12", any leading zeros lost).
    with pytest.raises(pq.ValidationError) as info:
        pq.read_coding(path)
    assert info.value.problems[["row", "column", "value"]].to_numpy().tolist() == [
        [2, "doc_id", 7],
        [3, "doc_id", 12],
        [2, "doc_id", 7],
        [3, "doc_id", 12],
    ]
    assert "format the column as Text in Excel" in info.value.problems.loc[0, "expected"]
    documents = pq.io.read_table(path, "documents")
    assert documents["DA"].tolist() == ["3", "5"]


# --------------------------------------------------------------------------
# Parquet, JSON, directories.


def test_parquet_files_and_directory(tmp_path, expected):
    documents, units = zh_frames()
    documents.to_parquet(tmp_path / "documents.parquet")
    units.to_parquet(tmp_path / "units.pq")
    corpus = pq.read_coding(tmp_path / "units.pq", tmp_path / "documents.parquet")
    assert corpus == expected
    assert pq.read_coding(tmp_path) == expected


def test_parquet_with_typed_columns(tmp_path):
    units = pd.DataFrame(
        {
            "unit_id": ["007-1-1"],
            "doc_id": ["007"],
            "instrument": ["标准规范"],
            "objectives": ["公共安全"],
            "AS": [5],
            "MI": [3.0],
        }
    )
    units.to_parquet(tmp_path / "units.parquet")
    corpus = pq.read_coding(tmp_path / "units.parquet")
    assert corpus.units[["AS", "MI"]].to_numpy().tolist() == [[5, 3]]
    assert corpus.units.loc[0, "doc_id"] == "007"


def test_json_lists_of_records(tmp_path, expected):
    documents, units = zh_frames()
    (tmp_path / "documents.json").write_text(
        documents.to_json(orient="records", force_ascii=False), encoding="utf-8"
    )
    (tmp_path / "units.json").write_text(
        json.dumps(units.to_dict("records"), ensure_ascii=False), encoding="utf-8"
    )
    corpus = pq.read_coding(tmp_path / "units.json", tmp_path / "documents.json")
    assert corpus == expected
    assert pq.read_coding(tmp_path) == expected


def test_json_records_in_gbk(tmp_path):
    record = {
        "条款编号": "007-1-1",
        "文件编号": "007",
        "政策工具": "标准规范",
        "政策目标": "公共安全",
        "作用范围": "5",
        "措施力度": "3",
    }
    (tmp_path / "units.json").write_bytes(json.dumps([record], ensure_ascii=False).encode("gbk"))
    corpus = pq.read_coding(tmp_path / "units.json")
    assert corpus.units.loc[0, "unit_id"] == "007-1-1"
    assert corpus.units.loc[0, "instrument"] == "standards_and_norms"


def test_corpus_json(tmp_path, expected):
    path = tmp_path / "study.json"
    assert expected.to_json(path) == [path]
    payload = json.loads(path.read_text(encoding="utf-8"))
    assert payload["framework"] == "wang2026"
    assert payload["units"][0]["unit_id"] == "007-1-1"
    assert payload["documents"][1]["doc_id"] == "0042"
    assert "生成式人工智能服务管理暂行办法" in path.read_text(encoding="utf-8")  # not \\u-escaped
    assert pq.read_coding(path) == expected


@pytest.mark.parametrize("kind", ["csv", "tsv", "xlsx", "parquet", "json"])
def test_leading_zero_ids_stay_text_in_every_format(tmp_path, kind):
    documents = pd.DataFrame({"doc_id": ["007", "0042", "1e3"], "DA": ["3", "1", "5"]})
    units = pd.DataFrame(
        {
            "unit_id": ["007-01-01", "0042-1-1", "1e3-1-1"],
            "doc_id": ["007", "0042", "1e3"],
            "instrument": ["标准规范"] * 3,
            "objectives": ["公共安全"] * 3,
            "AS": ["5"] * 3,
            "MI": ["3"] * 3,
        }
    )
    names = {}
    for table, frame in (("documents", documents), ("units", units)):
        path = tmp_path / f"{table}.{kind}"
        if kind in ("csv", "tsv"):
            frame.to_csv(path, index=False, sep="\t" if kind == "tsv" else ",")
        elif kind == "xlsx":
            frame.to_excel(path, index=False)
        elif kind == "parquet":
            frame.to_parquet(path)
        else:
            frame.to_json(path, orient="records")
        names[table] = path
    corpus = pq.read_coding(names["units"], names["documents"])
    assert corpus.documents["doc_id"].tolist() == ["007", "0042", "1e3"]
    assert corpus.units["unit_id"].tolist() == ["007-01-01", "0042-1-1", "1e3-1-1"]
    assert corpus.units["doc_id"].tolist() == ["007", "0042", "1e3"]
    assert corpus.unit_id_parts()["chapter"].tolist() == [1, 1, 1]


def test_directory_with_documents_and_units(tmp_path, expected):
    write_zh_csv(tmp_path, "utf-8")
    (tmp_path / "README.md").write_text("not a table")
    (tmp_path / "notes.csv").write_text("a,b\n1,2\n")
    assert pq.read_coding(tmp_path) == expected
    assert pq.read_coding(str(tmp_path)) == expected


# --------------------------------------------------------------------------
# Headers.


def test_columns_maps_custom_headers(tmp_path, expected):
    documents, units = zh_frames()
    documents = documents.rename(columns={"文件编号": "Policy No.", "发文权威": "Authority (1-5)"})
    units = units.rename(
        columns={
            "条款编号": "Clause",
            "文件编号": "Policy No.",
            "政策工具": "Tool used",
            "政策目标": "Aims",
            "作用范围": "Scope",
            "措施力度": "Strength",
        }
    )
    documents.to_csv(tmp_path / "d.csv", index=False)
    units.to_csv(tmp_path / "u.csv", index=False)
    columns = {
        "Policy No.": "doc_id",
        "Authority (1-5)": "DA",
        "Clause": "unit_id",
        "Tool used": "instrument",
        "Aims": "objectives",
        "Scope": "AS",
        "Strength": "MI",
    }
    corpus = pq.read_coding(tmp_path / "u.csv", tmp_path / "d.csv", columns=columns)
    assert corpus == expected
    with pytest.raises(pq.ValidationError) as info:
        # In English: the sheets' other headers are the Chinese template's, which would choose Chinese.
        pq.read_coding(tmp_path / "u.csv", tmp_path / "d.csv", language="en")
    missing = info.value.problems.query("problem == 'missing required column'")["column"].tolist()
    assert missing == ["doc_id", "unit_id", "doc_id", "instrument", "objectives"]


def test_english_and_dimension_label_headers_are_recognised(tmp_path, expected):
    (tmp_path / "units.csv").write_text(
        "Clause ID,Document ID,Clause text,Policy instrument,Policy objectives,Audience scope,Measure intensity\n"
        + UNITS_ZH.split("\n", 1)[1],
        encoding="utf-8",
    )
    (tmp_path / "documents.csv").write_text(
        "Document ID,Title,Issuing bodies,Administrative level,Issue date,Authority strength\n"
        + DOCUMENTS_ZH.split("\n", 1)[1],
        encoding="utf-8",
    )
    assert pq.read_coding(tmp_path) == expected


def test_columns_naming_a_header_no_sheet_has(tmp_path):
    _, units = zh_frames()
    units = units.rename(columns={"政策工具": "Tool used"})
    units.to_csv(tmp_path / "units.csv", index=False)
    with pytest.raises(pq.ValidationError) as info:
        pq.read_coding(tmp_path / "units.csv", columns={"Tool usd": "instrument"})
    error = info.value
    assert not isinstance(error, pq.ReadError)
    (problem,) = error.problems.to_dict("records")
    assert problem["column"] == "Tool usd"
    assert problem["problem"] == "no such header"
    assert problem["suggestions"] == "Tool used"
    assert "Tool used" in problem["expected"]
    assert str(error).startswith("columns names 1 header(s) that no sheet has")


def test_two_headers_mapping_to_the_same_field(tmp_path):
    _, units = zh_frames()
    units["工具"] = units["政策工具"]
    units.to_csv(tmp_path / "units.csv", index=False)
    with pytest.raises(pq.ValidationError) as info:
        pq.read_coding(tmp_path / "units.csv")
    (problem,) = info.value.problems.to_dict("records")
    assert problem["file"] == str(tmp_path / "units.csv")
    assert problem["column"] == "工具"
    assert problem["problem"] == "a second column for 'instrument'"
    assert "'政策工具' is already 'instrument'" in problem["expected"]


def test_columns_mapping_two_headers_to_one_field(tmp_path):
    _, units = zh_frames()
    units = units.rename(columns={"政策工具": "Tool", "政策目标": "Aims"})
    units.to_csv(tmp_path / "units.csv", index=False)
    with pytest.raises(pq.ValidationError) as info:
        pq.read_coding(tmp_path / "units.csv", columns={"Tool": "instrument", "Aims": "instrument"})
    assert info.value.problems[["column", "problem"]].to_numpy().tolist() == [
        ["Aims", "a second column for 'instrument'"]
    ]


# --------------------------------------------------------------------------
# Files that cannot be read at all.


def read_error(*args: object, **kwargs: object) -> pq.ReadError:
    with pytest.raises(pq.ReadError) as info:
        pq.read_coding(*args, **kwargs)
    error = info.value
    assert isinstance(error, pq.ValidationError)
    assert isinstance(error, pq.PolicyQuantError)
    return error


def test_missing_file(tmp_path):
    error = read_error(tmp_path / "nope.csv")
    assert str(error) == f"{tmp_path / 'nope.csv'}: no such file"


def test_missing_documents_file(tmp_path):
    units, _ = write_zh_csv(tmp_path, "utf-8")
    error = read_error(units, tmp_path / "missing_documents.xlsx")
    assert str(error) == f"{tmp_path / 'missing_documents.xlsx'}: no such file"


def test_directory_without_a_units_file(tmp_path):
    (tmp_path / "documents.csv").write_text(DOCUMENTS_ZH, encoding="utf-8")
    (tmp_path / "units").mkdir()  # a folder named units is not a units file
    error = read_error(tmp_path)
    assert str(error) == f"{tmp_path}: no units file in the directory (expected e.g. units.csv)"


def test_directory_given_as_the_documents_file(tmp_path):
    units, _ = write_zh_csv(tmp_path / "study", "utf-8")
    error = read_error(units, tmp_path)
    assert str(error) == f"{tmp_path}: is a directory; name the documents file"


@pytest.mark.parametrize("content", [b"", b"   \n\n", b"\r\n"])
def test_empty_file(tmp_path, content):
    path = tmp_path / "units.csv"
    path.write_bytes(content)
    error = read_error(path)
    assert str(error) == f"{path}: the file is empty"


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".json"])
def test_header_only_file_gives_an_empty_corpus(tmp_path, suffix):
    header = ["unit_id", "doc_id", "instrument", "objectives", "AS", "MI"]
    path = tmp_path / f"units{suffix}"
    if suffix == ".csv":
        path.write_text(",".join(header) + "\n", encoding="utf-8")
    elif suffix == ".xlsx":
        pd.DataFrame(columns=header).to_excel(path, index=False)
    else:
        path.write_text(json.dumps({"units": [], "documents": []}))
    if suffix == ".json":
        # No records means no columns: every required column is missing, in one clear error.
        with pytest.raises(pq.ValidationError) as info:
            pq.read_coding(path)
        assert info.value.problems["problem"].unique().tolist() == ["missing required column"]
        assert info.value.problems["column"].tolist() == [
            "doc_id",
            "unit_id",
            "doc_id",
            "instrument",
            "objectives",
        ]
        return
    corpus = pq.read_coding(path)
    assert (len(corpus), len(corpus.documents), len(corpus.codings)) == (0, 0, 0)
    assert corpus.units["instrument"].cat.categories.tolist() == list(INSTRUMENTS)


def test_corrupt_workbook(tmp_path):
    path = tmp_path / "units.xlsx"
    path.write_bytes(bytes(range(256)) * 20)
    error = read_error(path)
    assert str(error).startswith(f"{path}: not a readable Excel workbook")


def test_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "units.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert str(read_error(path)).startswith(f"{path}: not a readable Excel workbook")


def test_truncated_workbook(tmp_path):
    full = tmp_path / "full.xlsx"
    zh_frames()[1].to_excel(full, index=False)
    path = tmp_path / "units.xlsx"
    path.write_bytes(full.read_bytes()[: full.stat().st_size // 2])
    assert str(read_error(path)).startswith(f"{path}: not a readable Excel workbook")


def test_corrupt_parquet(tmp_path):
    path = tmp_path / "units.parquet"
    path.write_bytes(b"PAR1 this is not parquet")
    assert str(read_error(path)).startswith(f"{path}: not a readable Parquet file")


@pytest.mark.parametrize("suffix", [".docx", ".xls", ""])
def test_unknown_suffix(tmp_path, suffix):
    path = tmp_path / f"units{suffix}"
    path.write_text(UNITS_ZH, encoding="utf-8")
    message = str(read_error(path))
    assert message.startswith(
        f"{path}: unknown file type {suffix or '(no suffix)'!r}; policyquant reads .csv"
    )
    assert ".xlsx" in message and ".parquet" in message and ".json" in message


def test_wrong_explicit_encoding(tmp_path):
    units, documents = write_zh_csv(tmp_path, "gbk")
    error = read_error(units, documents, encoding="utf-8")
    message = str(error)
    assert message.startswith(f"{units}: cannot decode the file as utf-8 (byte ")
    assert message.endswith(
        "save it as UTF-8, or give its encoding (encoding=... in Python, --encoding on the command line)"
    )


def test_undecodable_bytes_without_an_encoding(tmp_path):
    path = tmp_path / "units.csv"
    path.write_bytes(b"unit_id,doc_id\n\x81\xff\xfe,1\n")  # neither UTF-8 nor GB18030
    message = str(read_error(path))
    assert message.startswith(f"{path}: cannot decode the file as utf-8-sig or gb18030 (byte ")


def test_unknown_encoding_name(tmp_path):
    units, _ = write_zh_csv(tmp_path, "utf-8")
    message = str(read_error(units, encoding="klingon"))
    assert message.startswith(f"{units}: unknown encoding 'klingon'; use utf-8, gb18030")
    assert "\n" not in message


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "{not json",
            "not valid JSON: Expecting property name enclosed in double quotes at line 1, column 2",
        ),
        ('[{"unit_id": "a"},', "not valid JSON: Expecting value at line 1, column 19"),
        ("42", "units must be a list of records (objects)"),
        ('["a", "b"]', "units must be a list of records (objects)"),
        ('{"documents": []}', "the JSON object has no 'units' member; members: documents"),
    ],
)
def test_invalid_json(tmp_path, content, message):
    path = tmp_path / "units.json"
    path.write_text(content, encoding="utf-8")
    assert str(read_error(path)) == f"{path}: {message}"


def test_read_errors_are_not_pandas_tracebacks(tmp_path):
    path = tmp_path / "units.csv"
    path.write_text('unit_id,doc_id\n"unterminated,1\n', encoding="utf-8")
    error = read_error(path)
    assert str(error).startswith(f"{path}: not a valid CSV file")
    assert error.__suppress_context__


# --------------------------------------------------------------------------
# Problems name the file and the spreadsheet row.


def test_problems_name_the_file_and_spreadsheet_row_in_csv(tmp_path):
    units, documents = write_zh_csv(tmp_path, "gbk")
    units.write_bytes(
        UNITS_ZH.replace("0042-1-1,0042,加强宣传,宣传推广", "0042-1-1,0042,加强宣传,宣传").encode("gbk")
    )
    documents.write_bytes(DOCUMENTS_ZH.replace(",部门规章\n", ",4.5\n").encode("gbk"))
    with pytest.raises(pq.ValidationError) as info:
        # The Chinese headers would give Chinese problems (tests/test_messages_zh.py): English asked here.
        pq.read_coding(units, documents, language="en")
    error = info.value
    assert error.problems[["file", "row", "column", "value"]].to_numpy().tolist() == [
        [str(documents), 2, "DA", "4.5"],  # the first record is row 2: the header is row 1
        [str(units), 4, "instrument", "宣传"],
    ]
    message = str(error)
    assert message.startswith(f"{documents}, {units}: 2 problems found:")
    assert f"{documents}, row 2, column 'DA', value '4.5': not a level of DA" in message
    assert f"{units}, row 4, column 'instrument', value '宣传': unknown instrument" in message


def test_problems_name_the_workbook_and_spreadsheet_row(tmp_path):
    documents, units = zh_frames()
    units.loc[1, "作用范围"] = "4"
    path = tmp_path / "study.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        documents.to_excel(writer, sheet_name="文件", index=False)
        units.to_excel(writer, sheet_name="条款", index=False)
    with pytest.raises(pq.ValidationError) as info:
        pq.read_coding(path, language="en")
    assert info.value.problems[["file", "row", "column", "value"]].to_numpy().tolist() == [
        [f"{path} [units]", 3, "AS", "4"]
    ]
    # Both tables live in one workbook, so the problem names the sheet it is in.
    assert f"{path} [units], row 3, column 'AS', value '4': not a level of AS" in str(info.value)


def test_problem_rows_of_json_records_count_from_1(tmp_path):
    _, units = zh_frames()
    units.loc[2, "措施力度"] = "2"
    path = tmp_path / "units.json"
    path.write_text(units.to_json(orient="records", force_ascii=False), encoding="utf-8")
    with pytest.raises(pq.ValidationError) as info:
        pq.read_coding(path, language="en")
    assert info.value.problems[["row", "column", "value"]].to_numpy().tolist() == [[3, "MI", "2"]]


def test_orphan_doc_id_from_a_spreadsheet_suggests_the_padded_id(tmp_path):
    units, documents = write_zh_csv(tmp_path, "utf-8")
    units.write_text(UNITS_ZH.replace("0042-1-1,0042,", "0042-1-1,42,"), encoding="utf-8")
    with pytest.raises(pq.ValidationError) as info:
        pq.read_coding(units, documents, language="en")
    (problem,) = info.value.problems.to_dict("records")
    assert (problem["row"], problem["column"], problem["value"]) == (4, "doc_id", "42")
    assert problem["suggestions"].split(", ")[0] == "0042"


def test_orphan_doc_id_suggestion_is_not_repeated():
    documents = pd.DataFrame({"doc_id": ["0042"]})
    units = pd.DataFrame(
        {
            "unit_id": ["0042-1-1"],
            "doc_id": ["42"],
            "instrument": ["标准规范"],
            "objectives": ["公共安全"],
            "AS": [5],
            "MI": [3],
        }
    )
    with pytest.raises(pq.ValidationError) as info:
        pq.Corpus(documents, units)
    assert info.value.problems.loc[0, "suggestions"] == "0042"


# --------------------------------------------------------------------------
# Round trips.


def rich_documents() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "doc_id": ["007", "0042", "P03"],
            "title": ["生成式人工智能服务管理暂行办法 🤖", None, 'Shanghai, "quoted"\nmeasures；措施'],
            "issuers": ["国家网信办、国家发展改革委；教育部", None, ["上海市人民政府", "上海市经信委"]],
            "level": ["中央", None, "省级"],
            "region": [None, "北京", "上海"],
            "date": ["2023-07-13", None, "2024-02-29"],
            "DA": [3, 5, 1],
            "source": ["https://www.cac.gov.cn/", "beijing.gov.cn", "上海发布"],
        }
    )


def rich_units() -> pd.DataFrame:
    texts = [
        "第一条 🎉 数据安全，个人信息保护",
        "  leading and trailing spaces  ",
        'emoji 👩‍💻, commas; "quotes"\nand a newline',
        "全角　空格与ＡＢＣ",
        "NA",
        "0",
        "𠀀𠀁 rare CJK",
    ]
    doc_ids = ["007", "0042", "P03"]
    rows = []
    for i, instrument in enumerate(INSTRUMENTS):
        objectives = [o for j, o in enumerate(OBJECTIVES) if (i + 1) >> j & 1 or j == i % 4]
        rows.append(
            {
                "unit_id": f"{doc_ids[i % 3]}-{i // 3 + 1}-{i + 1:02d}",
                "doc_id": doc_ids[i % 3],
                "text": texts[i % len(texts)],
                "instrument": instrument,
                "objectives": objectives,
                "AS": (5, 3, 1)[i % 3],
                "MI": (1, 3, 5)[i % 3],
                "coder": f"编码员{i % 2}",
            }
        )
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def rich() -> pq.Corpus:
    corpus = pq.Corpus(rich_documents(), rich_units())
    # The corpus really exercises what the round trips claim to preserve.
    assert set(corpus.units["instrument"]) == set(INSTRUMENTS)
    assert {o for objectives in corpus.units["objectives"] for o in objectives} == set(OBJECTIVES)
    assert corpus.documents["issuers"].tolist() == [
        ("国家网信办", "国家发展改革委", "教育部"),
        (),
        ("上海市人民政府", "上海市经信委"),
    ]
    assert corpus.documents["title"].isna().tolist() == [False, True, False]
    assert corpus.documents["year"].tolist()[0] == 2023
    return corpus


WRITERS = {
    "to_csv": (lambda c, p: c.to_csv(p / "study"), ["study/documents.csv", "study/units.csv"]),
    "to_excel": (lambda c, p: c.to_excel(p / "study.xlsx"), ["study.xlsx"]),
    "to_parquet": (
        lambda c, p: c.to_parquet(p / "study"),
        ["study/documents.parquet", "study/units.parquet"],
    ),
    "to_json": (lambda c, p: c.to_json(p / "study.json"), ["study.json"]),
    "write_coding dir": (
        lambda c, p: pq.write_coding(c, p / "study"),
        ["study/documents.csv", "study/units.csv"],
    ),
    "write_coding xlsx": (lambda c, p: pq.write_coding(c, p / "s.xlsx"), ["s.xlsx"]),
    "write_coding json": (lambda c, p: pq.write_coding(c, p / "s.json"), ["s.json"]),
    "write_coding parquet": (
        lambda c, p: pq.write_coding(c, p / "pq", format="parquet"),
        ["pq/documents.parquet", "pq/units.parquet"],
    ),
    "write_coding excel named": (lambda c, p: pq.write_coding(c, p / "s.xlsm", format="excel"), ["s.xlsm"]),
}


def write_and_read(corpus: pq.Corpus, tmp_path: Path, writer: str) -> pq.Corpus:
    write, names = WRITERS[writer]
    written = write(corpus, tmp_path)
    assert written == [tmp_path / name for name in names]
    assert all(path.is_file() for path in written)
    target = written[0].parent if len(written) == 2 else written[0]
    return pq.read_coding(target)


@pytest.mark.parametrize("writer", list(WRITERS))
def test_round_trip_gives_an_equal_corpus(rich, tmp_path, writer):
    back = write_and_read(rich, tmp_path, writer)
    assert back == rich
    assert back.units["objectives"].tolist() == rich.units["objectives"].tolist()
    assert back.units["text"].tolist() == rich.units["text"].tolist()
    assert back.documents["title"].tolist()[0] == "生成式人工智能服务管理暂行办法 🤖"
    assert back.units["unit_id"].tolist()[0] == "007-1-01"


@pytest.mark.parametrize("writer", list(WRITERS))
def test_round_trip_keeps_issuers_as_tuples(rich, tmp_path, writer):
    back = write_and_read(rich, tmp_path, writer)
    issuers = back.documents["issuers"].tolist()
    assert all(type(value) is tuple for value in issuers)
    assert issuers == [("国家网信办", "国家发展改革委", "教育部"), (), ("上海市人民政府", "上海市经信委")]


@pytest.mark.parametrize("writer", list(WRITERS))
def test_round_trip_gives_equal_frames(rich, tmp_path, writer):
    assert_same_frames(write_and_read(rich, tmp_path, writer), rich)


def test_csv_is_written_as_utf8_with_bom(rich, tmp_path):
    documents, units = rich.to_csv(tmp_path)
    raw = units.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfunit_id,doc_id,text,instrument,objectives,AS,MI,coder")
    assert raw.splitlines()[0] == b"\xef\xbb\xbfunit_id,doc_id,text,instrument,objectives,AS,MI,coder"
    assert "第一条 🎉 数据安全".encode() in raw
    first_row = documents.read_text(encoding="utf-8-sig").splitlines()[1]
    assert first_row.startswith(
        "007,生成式人工智能服务管理暂行办法 🤖,国家网信办; 国家发展改革委; 教育部,national,,2023-07-13,3,"
    )


def test_workbook_has_documents_units_and_codebook_sheets(rich, tmp_path):
    (path,) = rich.to_excel(tmp_path / "study.xlsx")
    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        assert workbook.sheetnames == ["documents", "units", "codebook"]
        assert next(workbook["units"].iter_rows(min_row=2, max_row=2, values_only=True))[0] == "007-1-01"
    finally:
        workbook.close()


def test_write_coding_rejects_an_unknown_format(rich, tmp_path):
    with pytest.raises(
        pq.ValidationError, match="format must be one of csv, excel, parquet, json, got 'xml'"
    ):
        pq.write_coding(rich, tmp_path / "x", format="xml")


def test_round_trip_of_a_corpus_read_from_chinese_sheets(tmp_path, expected):
    units, documents = write_zh_csv(tmp_path / "in", "gbk")
    corpus = pq.read_coding(units, documents)
    for writer in ("to_csv", "to_excel", "to_json"):
        (tmp_path / writer).mkdir()
        assert_same_frames(write_and_read(corpus, tmp_path / writer, writer), expected)


@pytest.mark.parametrize("writer", ["to_csv", "to_excel", "to_parquet", "to_json"])
@pytest.mark.parametrize("empty", [None, ""])
def test_round_trip_of_missing_text_and_extra_cells(tmp_path, writer, empty):
    units = rich_units()
    units.loc[1, "text"] = empty
    units.loc[2, "coder"] = empty
    corpus = pq.Corpus(rich_documents(), units)
    back = write_and_read(corpus, tmp_path, writer)
    assert back == corpus
    assert_same_frames(back, corpus)
    assert back.units["text"].isna().tolist()[:3] == [False, True, False]
    assert back.units["coder"].isna().tolist()[:4] == [False, False, True, False]


@pytest.mark.parametrize("text", ["\r", "line one\rline two"])
def test_csv_round_trip_of_a_carriage_return(tmp_path, text):
    units = rich_units()
    units.loc[0, "text"] = text
    corpus = pq.Corpus(rich_documents(), units)
    back = write_and_read(corpus, tmp_path, "to_csv")
    assert back == corpus
    assert back.units.loc[0, "text"] == text


def test_excel_refuses_control_characters_it_cannot_hold(tmp_path):
    units = rich_units()
    units.loc[2, "text"] = "before\x00after"
    corpus = pq.Corpus(rich_documents(), units)
    assert corpus.units.loc[2, "text"] == "before\x00after"  # kept in memory, and in CSV/JSON
    with pytest.raises(pq.ValidationError) as info:
        corpus.to_excel(tmp_path / "study.xlsx")
    assert not isinstance(info.value, pq.ReadError)
    (problem,) = info.value.problems.to_dict("records")
    assert (problem["row"], problem["column"]) == (4, "text")  # spreadsheet row of the third clause
    assert "U+0000" in problem["problem"]
    assert write_and_read(corpus, tmp_path, "to_json") == corpus


# --------------------------------------------------------------------------
# Property: any small corpus survives CSV and JSON unchanged.

# Unit texts are arbitrary Unicode: CJK, emoji, quotes, separators, '\n', '\r', NUL, empty ...
# (only surrogates are left out: they cannot be encoded, so no file can hold them).
TEXT = st.one_of(
    st.text(alphabet=st.characters(codec="utf-8"), max_size=30),
    st.text(alphabet=list("数据安全生成式人工智能🤖🎉😀、；，,;|\"'\n\r\t 　"), min_size=1, max_size=12),
)
# "NAN" spells a missing value, which an id column refuses (tests/test_integrity_csv.py): not an id.
IDS = st.text(alphabet="0123456789ABNP", min_size=1, max_size=4).filter(lambda text: text != "NAN")
ISSUERS = st.lists(
    st.sampled_from(["国家网信办", "教育部", "上海市人民政府", "MIIT"]), max_size=3, unique=True
)


@st.composite
def corpora(draw: st.DrawFn) -> tuple[pd.DataFrame, pd.DataFrame]:
    doc_ids = draw(st.lists(IDS, min_size=1, max_size=3, unique=True))
    documents = pd.DataFrame(
        {
            "doc_id": doc_ids,
            "title": [draw(st.one_of(st.none(), TEXT)) for _ in doc_ids],
            "issuers": [draw(ISSUERS) for _ in doc_ids],
            "level": [draw(st.sampled_from(["national", "provincial", "中央", None])) for _ in doc_ids],
            "date": [
                draw(st.one_of(st.none(), st.dates(dt.date(1990, 1, 1), dt.date(2035, 12, 31)).map(str)))
                for _ in doc_ids
            ],
            "DA": [draw(st.sampled_from([5, 4, 3, 2, 1])) for _ in doc_ids],
        }
    )
    count = draw(st.integers(1, 8))
    rows = []
    for i in range(count):
        doc = draw(st.sampled_from(doc_ids))
        instrument = draw(st.sampled_from(WANG.instruments))
        rows.append(
            {
                "unit_id": f"{doc}-{i // 3 + 1}-{i + 1}",
                "doc_id": doc,
                "text": draw(TEXT),
                "instrument": draw(st.sampled_from(instrument.names())),
                "objectives": sorted(draw(st.sets(st.sampled_from(OBJECTIVES), min_size=1))),
                "AS": draw(st.sampled_from([5, 3, 1])),
                "MI": draw(st.sampled_from([5, 3, 1])),
                # A column of the coder's own ("note" is now read as the memo: issue 14 item 7).
                "remark": draw(st.one_of(st.none(), TEXT)),
            }
        )
    return documents, pd.DataFrame(rows)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corpora())
def test_random_corpora_survive_csv_and_json(tables):
    documents, units = tables
    corpus = pq.Corpus(documents, units)
    assert len(corpus) == len(units)
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        from_csv = pq.read_coding(corpus.to_csv(folder / "csv")[0].parent)
        (json_path,) = corpus.to_json(folder / "study.json")
        from_json = pq.read_coding(json_path)
    for back in (from_csv, from_json):
        assert back == corpus
        assert_same_frames(back, corpus)
        # Every text comes back as written; only an empty cell becomes missing.
        assert [None if pd.isna(t) else t for t in back.units["text"]] == [t or None for t in units["text"]]


def test_empty_corpus_round_trips_through_json(tmp_path):
    empty = pq.Corpus(
        None, pd.DataFrame(columns=["unit_id", "doc_id", "instrument", "objectives", "AS", "MI"])
    )
    (path,) = empty.to_json(tmp_path / "empty.json")
    assert pq.read_coding(path) == empty


@pytest.mark.parametrize("writer", ["to_csv", "to_excel", "to_parquet"])
def test_empty_corpus_round_trips(tmp_path, writer):
    empty = pq.Corpus(
        None, pd.DataFrame(columns=["unit_id", "doc_id", "instrument", "objectives", "AS", "MI"])
    )
    back = write_and_read(empty, tmp_path, writer)
    assert back == empty
    assert len(back) == 0


def open_descriptors(path: Path) -> list[str]:
    """The file descriptors of this process open on ``path`` (Linux)."""
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            if os.readlink(f"/proc/self/fd/{fd}") == str(path):
                found.append(fd)
        except OSError:
            pass
    return found


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc/self/fd")
def test_reading_a_workbook_closes_it(tmp_path):
    path = tmp_path / "study.xlsx"
    documents, units = zh_frames()
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        documents.to_excel(writer, sheet_name="documents", index=False)
        units.to_excel(writer, sheet_name="units", index=False)
    gc.collect()
    gc.disable()  # the workbook objects hold reference cycles: only the collector would close them
    try:
        pq.read_coding(path)
        assert open_descriptors(path) == []
    finally:
        gc.enable()
        gc.collect()


def test_excel_keeps_text_that_looks_like_a_formula(tmp_path):
    corpus = pq.datasets.load_genai_china()
    documents = corpus.documents.copy()
    documents["title"] = documents["title"].astype(object)
    documents.loc[0, "title"] = '=HYPERLINK("http://example.invalid","x")'
    units = corpus.units.copy()
    units["text"] = units["text"].astype(object)
    units.loc[1, "text"] = "=1+1"
    corpus = pq.Corpus(documents, units)
    path = tmp_path / "study.xlsx"
    corpus.to_excel(path)
    back = pq.read_coding(path)
    assert back == corpus
    assert back.documents.loc[0, "title"] == '=HYPERLINK("http://example.invalid","x")'
    assert back.units.loc[1, "text"] == "=1+1"


# --------------------------------------------------------------------------
# Spreadsheet row numbers of CSV files, carriage returns and error codes in workbooks.

UNITS_HEADER = "unit_id,doc_id,instrument,objectives,AS,MI"
GOOD_UNIT = "P01-1-1,P01,标准规范,公共安全与利益,3,5"
SUBSIDY_UNIT = "P01-1-2,P01,Subsidy,公共安全与利益,3,5"


def reported_rows(path: Path) -> list[list[object]]:
    with pytest.raises(pq.ValidationError) as info:
        pq.read_coding(path)
    return info.value.problems[["row", "column", "value"]].to_numpy().tolist()


def write_lines(path: Path, lines: list[str], encoding: str, newline: str = "\n") -> Path:
    path.write_bytes(newline.join(lines).encode(encoding))
    return path


# UTF-8 is read by the fast path, GB18030 (Chinese text that is not UTF-8) by the careful one.
READ_PATHS = pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])


def takes_the_fast_path(path: Path) -> bool:
    from policyquant.io.tabular import _read_utf8_csv

    return _read_utf8_csv(path, None, ",") is not None


@READ_PATHS
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_a_row_after_a_blank_line_is_reported_by_its_spreadsheet_row(tmp_path, encoding, newline):
    lines = [UNITS_HEADER, GOOD_UNIT, "", SUBSIDY_UNIT, ""]
    path = write_lines(tmp_path / "units.csv", lines, encoding, newline)
    assert takes_the_fast_path(path) == (encoding == "utf-8")
    assert reported_rows(path) == [[4, "instrument", "Subsidy"]]


@READ_PATHS
def test_blank_lines_and_lines_of_spaces_count_as_rows_and_are_skipped(tmp_path, encoding):
    lines = [
        UNITS_HEADER,
        GOOD_UNIT,
        "",
        "   ",
        "",
        "P01-1-3,P01,标准规范,公共安全与利益,3,5",
        SUBSIDY_UNIT,
        "",
        "",
    ]
    path = write_lines(tmp_path / "units.csv", lines, encoding)
    assert pq.io.read_table(path).index.tolist() == [2, 6, 7]
    assert reported_rows(path) == [[7, "instrument", "Subsidy"]]


@READ_PATHS
def test_blank_lines_above_the_header_count_as_rows(tmp_path, encoding):
    path = write_lines(tmp_path / "units.csv", ["", "", UNITS_HEADER, GOOD_UNIT, SUBSIDY_UNIT], encoding)
    frame = pq.io.read_table(path)
    assert frame.index.tolist() == [4, 5]
    assert frame.columns.tolist() == UNITS_HEADER.split(",")
    assert reported_rows(path) == [[5, "instrument", "Subsidy"]]


@READ_PATHS
def test_a_row_of_empty_cells_is_reported_not_skipped(tmp_path, encoding):
    # Only a line with nothing on it holds no row; ",,,,," is a row whose cells are empty.
    path = write_lines(tmp_path / "units.csv", [UNITS_HEADER, GOOD_UNIT, "", ",,,,,", SUBSIDY_UNIT], encoding)
    assert pq.io.read_table(path).index.tolist() == [2, 4, 5]
    rows = reported_rows(path)
    assert [row for row, column, _ in rows if column == "unit_id"] == [4]
    assert rows[-1] == [5, "instrument", "Subsidy"]


@READ_PATHS
def test_a_record_spanning_several_lines_is_one_spreadsheet_row(tmp_path, encoding):
    # A spreadsheet program shows a quoted cell with line breaks as one row, so a record is
    # numbered as one row however many lines it spans; a blank line inside the quotes is text.
    lines = [
        UNITS_HEADER,
        'P01-1-1,P01,"标准',
        "",
        '规范",公共安全与利益,3,5',
        "",
        SUBSIDY_UNIT,
    ]
    path = write_lines(tmp_path / "units.csv", lines, encoding)
    frame = pq.io.read_table(path)
    assert frame.index.tolist() == [2, 4]
    assert frame.loc[2, "instrument"] == "标准\n\n规范"
    assert reported_rows(path) == [[2, "instrument", "标准\n\n规范"], [4, "instrument", "Subsidy"]]


def test_a_csv_file_with_bare_carriage_returns_in_gb18030(tmp_path):
    # The careful path's header scan used to stop at a bare "\r" (csv: "new-line character
    # seen in unquoted field").
    path = write_lines(tmp_path / "units.csv", [UNITS_HEADER, GOOD_UNIT, ""], "gb18030", "\r")
    corpus = pq.read_coding(path)
    assert corpus.units["instrument"].tolist() == ["standards_and_norms"]


CELL = st.text(alphabet=st.sampled_from(list('a标,"\n\r 　\t')), max_size=6)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(st.tuples(CELL, CELL), min_size=1, max_size=8),
    blanks=st.lists(st.integers(0, 8), max_size=5),
    leading=st.integers(0, 2),
    trailing=st.integers(0, 3),
    quoting=st.sampled_from([csv.QUOTE_ALL, csv.QUOTE_MINIMAL]),
    encoding=st.sampled_from(["utf-8", "gb18030"]),
    newline=st.sampled_from(["\n", "\r\n"]),
    last_newline=st.booleans(),
)
def test_csv_rows_are_numbered_as_a_spreadsheet_shows_them(
    tmp_path, rows, blanks, leading, trailing, quoting, encoding, newline, last_newline
):
    """Every record keeps its row number (blank lines count, a multi-line record is one row); only blank lines go."""

    def record(cells: tuple[str, ...]) -> str:
        buffer = io.StringIO(newline="")
        # The csv module leaves a bare "\r" unquoted when the line ends are "\n": no reader could
        # tell it from a line end.
        style = csv.QUOTE_ALL if any("\r" in cell for cell in cells) else quoting
        csv.writer(buffer, lineterminator=newline, quoting=style).writerow(cells)
        return buffer.getvalue()

    lines = [newline] * leading + [record(("id", "text"))]
    expected = []
    for position, row in enumerate(rows):
        lines += [newline] * blanks.count(position)
        lines.append(record(row))
        expected.append(len(lines))  # the row a spreadsheet shows: one per record or blank line
    lines += [newline] * trailing
    text = "".join(lines)
    if not last_newline:
        text = text.removesuffix(newline)
    path = tmp_path / "table.csv"
    path.write_bytes(text.encode(encoding))
    frame = pq.io.read_table(path)
    assert frame.index.tolist() == expected
    assert list(zip(frame["id"], frame["text"], strict=True)) == rows


def test_rows_of_a_file_with_cells_over_128_kib_are_numbered(tmp_path):
    # The csv module refuses cells over 128 KiB unless told otherwise.
    long = "长" * 200_000
    lines = [UNITS_HEADER, "P01-1-1,P01,标准规范,公共安全与利益,3,5", "", ",,,,,", SUBSIDY_UNIT, ""]
    lines[1] = f'P01-1-1,P01,"{long}",公共安全与利益,3,5'
    path = write_lines(tmp_path / "units.csv", lines, "utf-8")
    assert pq.io.read_table(path).index.tolist() == [2, 4, 5]
    # Empty rows only at the end are told apart by the last lines of the file alone.
    lines = [lines[0], lines[1], SUBSIDY_UNIT, ",,,,,", "", "  ", ",,,,,", "", ""]
    path = write_lines(tmp_path / "units.csv", lines, "utf-8")
    assert pq.io.read_table(path).index.tolist() == [2, 3, 4, 7]


def test_if_the_csv_module_reads_other_records_empty_rows_are_dropped(tmp_path, monkeypatch):
    # The fallback when the csv module's records do not match pandas': no blank line is
    # reported as a row, and the rows keep pandas' record numbers.
    from policyquant.io import tabular

    monkeypatch.setattr(tabular, "_blank_records", lambda *args: None)
    path = write_lines(tmp_path / "units.csv", [UNITS_HEADER, GOOD_UNIT, "", ",,,,,", SUBSIDY_UNIT], "utf-8")
    assert pq.io.read_table(path).index.tolist() == [2, 5]


@pytest.mark.parametrize(
    "text",
    [
        "line one\rline two",
        "Windows\r\nline ends",
        "\r",
        "a_x000D_b",  # a literal escape stays literal
        "_x005F_x000D_",
        "_x000D\r",
        "_x0041_ and _x4E2D_",
        "\r" * 12_000,  # escaped, longer than a cell's 32,767 characters; the text is not
    ],
)
def test_excel_keeps_carriage_returns_and_escape_like_text(tmp_path, text):
    corpus = small_units_corpus([text], remark=[text[:50]])
    path = corpus.to_excel(tmp_path / "study.xlsx")[0]
    back = pq.read_coding(path)
    assert back.units["text"].tolist() == [text]
    assert back.units["remark"].tolist() == [text[:50]]
    # Written as Excel writes it, so Excel shows the carriage return too.
    workbook = openpyxl.load_workbook(path)
    assert "\r" not in workbook["units"]["C2"].value
    if text == "line one\rline two":
        assert workbook["units"]["C2"].value == "line one_x000D_line two"


def test_excel_escapes_in_a_workbook_excel_wrote_are_read(tmp_path):
    # Excel stores a cell's "\r\n" as "_x000D_\n" and a literal "_x000D_" as "_x005F_x000D_".
    path = tmp_path / "units.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["id", "text_x000D_"])
    sheet.append(["1", "第一行_x000D_\n第二行"])
    sheet.append(["2", "_x005F_x000D_"])
    workbook.save(path)
    frame = pq.io.read_table(path)
    assert frame.columns.tolist() == ["id", "text\r"]
    assert frame["text\r"].tolist() == ["第一行\r\n第二行", "_x000D_"]


EXCEL_ERROR_TEXTS = ["#N/A", "#REF!", "#DIV/0!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!"]


def test_excel_keeps_text_equal_to_an_error_code(tmp_path):
    codes = EXCEL_ERROR_TEXTS
    corpus = small_units_corpus(codes, remark=codes[::-1], title="#N/A")
    path = corpus.to_excel(tmp_path / "study.xlsx")[0]
    back = pq.read_coding(path)
    assert back == corpus
    assert back.units["text"].tolist() == codes
    assert back.units["remark"].tolist() == codes[::-1]
    assert back.documents["title"].tolist() == ["#N/A"]
    workbook = openpyxl.load_workbook(path)
    assert {workbook["units"][f"C{row}"].data_type for row in range(2, 9)} == {"s"}
    # An error code next to other text is ordinary text anyway.
    corpus = small_units_corpus([" #N/A", "#N/A!"])
    assert pq.read_coding(corpus.to_excel(tmp_path / "other.xlsx")[0]) == corpus


def test_excel_refuses_text_longer_than_a_cell_holds(tmp_path):
    corpus = small_units_corpus(["短", "长" * 32_768])
    with pytest.raises(pq.ValidationError) as info:
        corpus.to_excel(tmp_path / "study.xlsx")
    target = f"{tmp_path / 'study.xlsx'}, sheet units"
    assert info.value.problems[["file", "row", "column"]].to_numpy().tolist() == [[target, 3, "text"]]
    assert "32,768 characters" in str(info.value)
    assert not (tmp_path / "study.xlsx").exists()
    # Exactly as much as a cell holds is written and read back whole.
    corpus = small_units_corpus(["长" * 32_767])
    assert pq.read_coding(corpus.to_excel(tmp_path / "study.xlsx")[0]) == corpus


def small_units_corpus(
    texts: list[str], *, remark: list[str] | None = None, title: str | None = None
) -> pq.Corpus:
    count = len(texts)
    units = pd.DataFrame(
        {
            "unit_id": [f"P01-1-{n + 1}" for n in range(count)],
            "doc_id": ["P01"] * count,
            "text": texts,
            "instrument": ["标准规范"] * count,
            "objectives": ["公共安全与利益"] * count,
            "AS": [3] * count,
            "MI": [5] * count,
            "remark": remark or [None] * count,
        }
    )
    return pq.Corpus(pd.DataFrame({"doc_id": ["P01"], "title": [title], "DA": [3]}), units)

"""Issue 13, CSV reading: nothing altered, bounded by the data, and errors a coder can act on.

* ids and other text stay text in every reading path, whatever the file's size
  (pandas' chunked type guessing turned ``0131072`` into ``131072`` past row 131,072);
* hostile shapes (a million trailing commas, tens of thousands of columns) fail or
  succeed in seconds and within a memory limit;
* semicolon- and tab-separated files, Excel's "Unicode Text", HTML saved as .csv,
  undecodable bytes, a title row above the headers and unusable encodings get
  the right reading or one clear sentence.
"""

from __future__ import annotations

import codecs
import csv
import io
import subprocess
import sys
import textwrap
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policyquant as pq
from policyquant.cli import main
from policyquant.io import read_table, tabular

HEADER = ["unit_id", "doc_id", "instrument", "objectives", "AS", "MI"]
UNIT = ["P01-1-1", "P01", "标准规范", "公共安全与利益", "3", "5"]
DOCUMENTS = "doc_id,DA\nP01,5\n"

#: Text ids first (more than the old reader's 1,000-row sample), then more numeric-looking
#: ids than pandas' C parser guesses types for at once (it guessed chunk by chunk).
TEXT_ROWS = 1_000
LARGE = 300_000


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8", separator: str = ",") -> Path:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=separator, lineterminator="\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def no_arrow(monkeypatch: pytest.MonkeyPatch) -> None:
    """Read as without pyarrow: pandas (dtype=str) parses the UTF-8 file from its path."""
    monkeypatch.setattr(tabular, "_arrow_csv", lambda path, layout: None)


# Item 1: ids changed past 131,072 rows ------------------------------------------------


@pytest.mark.parametrize("route", ["arrow", "pandas", "decoded"])
def test_ids_that_look_numeric_past_row_131072_stay_text(tmp_path, monkeypatch, route):
    header = ["unit_id", "doc_id", "score", "note", "flag", "gap"]
    # Chinese text: in GB18030 it is no UTF-8, so the file takes the careful path.
    head = [[f"U{i}", f"D{i}", "x", "政策", "no", "-"] for i in range(TEXT_ROWS)]
    tail = [[f"{i:07d}", f"{i:03d}", "05", "1e3", "TRUE", "NaN"] for i in range(TEXT_ROWS, LARGE)]
    if route == "pandas":
        no_arrow(monkeypatch)
    # GB18030 is no UTF-8: the careful path decodes it and parses the text.
    path = write_csv(
        tmp_path / "units.csv", [header, *head, *tail], "gb18030" if route == "decoded" else "utf-8"
    )
    frame = read_table(path)
    assert frame.to_numpy().tolist() == head + tail
    assert frame.loc[LARGE - 131_072 + 1 :, "unit_id"].str.startswith("0").all()
    assert all(pd_is_text(frame[c]) for c in frame.columns)


def pd_is_text(column) -> bool:
    return column.map(type).eq(str).all()


def test_read_coding_keeps_leading_zeros_of_ids_past_row_131072(tmp_path):
    ids = [f"A{i}" for i in range(TEXT_ROWS)] + [f"{i:07d}" for i in range(TEXT_ROWS, LARGE)]
    units = write_csv(tmp_path / "units.csv", [HEADER] + [[i, "P01", *UNIT[2:]] for i in ids])
    (tmp_path / "documents.csv").write_text(DOCUMENTS, encoding="utf-8")
    corpus = pq.read_coding(units, tmp_path / "documents.csv")
    assert corpus.units["unit_id"].tolist() == ids


TRICKY_IDS = st.sampled_from(
    ["007", "0131072", "1e3", "1E3", "TRUE", "false", "NaN", "nan", "N/A", "NULL", "1.0", "1.50", "-0",
     "+1", "0x1F", "1,000", "2024-01-01", " 7 ", "inf", "", "\"q\"", "a;b", "1\n2"]
)  # fmt: skip
IDS = st.one_of(
    TRICKY_IDS,
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"), max_size=8),
)


@pytest.fixture(scope="module")
def large_prefix() -> list[list[str]]:
    return [[f"T{i}", "text"] for i in range(TEXT_ROWS)] + [
        [f"{i:07d}", "1"] for i in range(TEXT_ROWS, LARGE)
    ]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ids=st.lists(IDS, min_size=1, max_size=30))
def test_ids_of_any_shape_survive_a_small_file(tmp_path, ids):
    path = write_csv(tmp_path / "ids.csv", [["unit_id", "note"], *([i, "n"] for i in ids)])
    frame = read_table(path)
    # Only a line with nothing on it holds no row: a row whose only cell is empty is one.
    assert frame["unit_id"].tolist() == ids


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ids=st.lists(TRICKY_IDS.filter(lambda i: i.strip()), min_size=1, max_size=20))
def test_ids_of_any_shape_survive_past_row_131072(tmp_path, large_prefix, ids):
    path = write_csv(tmp_path / "ids.csv", [["unit_id", "note"], *large_prefix, *([i, "n"] for i in ids)])
    frame = read_table(path)
    assert frame["unit_id"].tolist() == [row[0] for row in large_prefix] + ids


# Item 11: bounded by the data ----------------------------------------------------------

#: Virtual memory a hostile read may use: a regression fails with MemoryError instead of
#: taking the machine (the reads below used up to 18.5 GB before the fix).
MEMORY_LIMIT = 2 << 30


def read_in_subprocess(path: Path) -> str:
    """Read ``path`` in a child process under MEMORY_LIMIT; its outcome as one line."""
    script = textwrap.dedent(
        f"""
        import resource
        resource.setrlimit(resource.RLIMIT_AS, ({MEMORY_LIMIT}, {MEMORY_LIMIT}))
        from policyquant.errors import PolicyQuantError
        from policyquant.io import read_table
        try:
            frame = read_table({str(path)!r})
            print("read", frame.shape[0], frame.shape[1], ",".join(map(str, frame.columns[:8])))
        except PolicyQuantError as error:
            print(type(error).__name__, str(error).replace("\\n", " | "))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip()


COMMAS = 1_000_000


def test_rows_each_followed_by_a_million_commas_are_reported_by_row(tmp_path):
    path = tmp_path / "units.csv"
    rows = "".join(",".join(UNIT) + "," * COMMAS + "\n" for _ in range(10))
    path.write_text(",".join(HEADER) + "\n" + rows, encoding="utf-8")
    outcome = read_in_subprocess(path)
    assert outcome.startswith(
        f"ReadError {path}: row 2 has more cells than the header has columns (6); so do 9 more rows"
    ), outcome
    assert "row 11, value '1,000,006 cells'" in outcome


def test_a_million_empty_columns_after_the_headers_are_dropped(tmp_path):
    path = tmp_path / "units.csv"
    rows = "".join(",".join(UNIT) + "," * COMMAS + "\n" for _ in range(10))
    path.write_text(",".join(HEADER) + "," * COMMAS + "\n" + rows, encoding="utf-8")
    assert read_in_subprocess(path) == "read 10 6 " + ",".join(HEADER)


def test_data_far_out_under_a_blank_header_is_reported_with_its_column(tmp_path):
    path = tmp_path / "units.csv"
    far = 500_000  # zero-based: column 500,001, beyond ZZZ (18,278)
    row = [*UNIT, *[""] * (far - len(UNIT)), "x", *[""] * 10]
    path.write_text(
        ",".join(HEADER)
        + "," * (len(row) - len(HEADER))
        + "\n"
        + ",".join(UNIT)
        + "," * (len(row) - 6)
        + "\n"
        + ",".join(row)
        + "\n",
        encoding="utf-8",
    )
    outcome = read_in_subprocess(path)
    assert outcome.startswith(f"ValidationError {path}: the header row has 1 problem(s)"), outcome
    assert f"column '{tabular._column_letter(far)}'" in outcome
    assert "data under a blank header (first in row 3)" in outcome


def test_more_columns_than_a_spreadsheet_has_are_refused_clearly(tmp_path):
    path = tmp_path / "wide.csv"
    names = [f"c{i}" for i in range(20_000)]
    path.write_text(",".join(["unit_id", *names]) + "\n" + ",".join(["u1", *names]) + "\n", encoding="utf-8")
    outcome = read_in_subprocess(path)
    assert outcome.startswith(f"ReadError {path}: the header row (row 1) has 20,001 columns"), outcome
    assert "column 'XFE'" in outcome


def test_as_many_columns_as_a_spreadsheet_has_are_read(tmp_path):
    path = tmp_path / "wide.csv"
    names = ["unit_id", *(f"c{i}" for i in range(16_383))]
    path.write_text(",".join(names) + "\n" + ",".join(["u1", *("x" * 16_383)]) + "\n", encoding="utf-8")
    frame = read_table(path)
    assert frame.shape == (1, 16_384)
    assert frame.columns[-1] == "c16382"


def test_column_letters_are_bijective_base_26_past_zzz():
    from openpyxl.utils import get_column_letter

    assert [tabular._column_letter(p) for p in range(18_278)] == [
        get_column_letter(p + 1) for p in range(18_278)
    ]
    assert tabular._column_letter(18_278) == "AAAA"
    assert tabular._column_letter(26**4 + 26**3 + 26**2 + 26 - 1) == "ZZZZ"
    assert tabular._column_letter(26**4 + 26**3 + 26**2 + 26) == "AAAAA"


# Item 14: separators, Unicode Text, HTML, bad bytes, title rows -------------------------


@pytest.mark.parametrize(
    ("name", "separator", "encoding"),
    [
        ("units.csv", ";", "utf-8"),
        ("units.csv", ";", "gb18030"),
        ("units.csv", "\t", "utf-8"),
        ("units.csv", "|", "utf-8"),
        ("units.tsv", ",", "utf-8"),
        ("units.txt", "\t", "utf-16"),  # Excel's "Unicode Text": UTF-16 LE with a byte-order mark
        ("units.csv", "\t", "utf-16"),
    ],
)
def test_a_file_with_another_separator_is_read_with_it(tmp_path, name, separator, encoding):
    rows = [HEADER, UNIT, ["P01-1-2", "P01", "标准规范", "公共安全与利益；技术安全与创新", "1", "3"]]
    path = write_csv(tmp_path / name, rows, encoding, separator)
    if encoding == "utf-16":
        assert path.read_bytes().startswith(codecs.BOM_UTF16_LE)
    frame = read_table(path)
    assert frame.columns.tolist() == HEADER
    assert frame.to_numpy().tolist() == rows[1:]
    (tmp_path / "documents.csv").write_text(DOCUMENTS, encoding="utf-8")
    assert len(pq.read_coding(path, tmp_path / "documents.csv").units) == 2


def test_a_separator_inside_quotes_or_a_header_does_not_switch(tmp_path):
    path = write_csv(tmp_path / "units.csv", [["unit_id", "note; remark", "a|b"], ["u1", "x;y", "p|q"]])
    frame = read_table(path)
    assert frame.columns.tolist() == ["unit_id", "note; remark", "a|b"]
    assert frame.to_numpy().tolist() == [["u1", "x;y", "p|q"]]


@pytest.mark.parametrize(
    "content",
    [
        b"<!DOCTYPE html>\n<html><body><table><tr><td>unit_id</td></tr></table></body></html>\n",
        b"\xef\xbb\xbf  <html>\n<table><tr><td>unit_id</td></tr></table>\n",
        b"<table border=1><tr><td>unit_id</td><td>doc_id</td></tr></table>",
    ],
)
def test_html_saved_as_csv_is_named_as_such(tmp_path, content):
    path = tmp_path / "units.csv"
    path.write_bytes(content)
    with pytest.raises(pq.ReadError) as raised:
        read_table(path)
    assert str(raised.value).startswith(f"{path}: this is an HTML page, not a CSV file")
    result = CliRunner().invoke(main, ["validate", str(path)], prog_name="policyquant")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [result.stderr.strip()]
    assert "this is an HTML page, not a CSV file" in result.stderr


def test_a_bad_byte_is_reported_where_utf8_fails_by_line_and_file_offset(tmp_path):
    path = tmp_path / "units.csv"
    good = (",".join(HEADER) + "\n" + ",".join(UNIT) + "\n").encode()
    path.write_bytes(codecs.BOM_UTF8 + good + b"P01-1-2,P01,\x81\xff\xfe,x,1,3\n")
    offset = len(codecs.BOM_UTF8) + len(good) + len(b"P01-1-2,P01,")
    with pytest.raises(pq.ReadError) as raised:
        read_table(path)
    message = str(raised.value)
    # GB18030, tried last, fails elsewhere; the coder needs where UTF-8 did.
    assert f"(byte {offset:,} of the file, on line 3, is not utf-8: b'\\x81\\xff\\xfe,')" in message
    with pytest.raises(pq.ReadError) as raised:
        read_table(path, encoding="utf-8")
    assert "on line 3" in str(raised.value)


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
@pytest.mark.parametrize("title", [["2025年政策编码表"], ["2025年政策编码表", "", "", "", "", ""]])
def test_a_title_row_above_the_headers_is_named(tmp_path, encoding, title):
    path = write_csv(tmp_path / "units.csv", [title, HEADER, UNIT], encoding)
    with pytest.raises(pq.ValidationError) as raised:
        pq.read_coding(path)
    message = str(raised.value)
    assert message.startswith(
        f"{path}: row 1 looks like a title ('2025年政策编码表'), not the headers; "
        "the headers (unit_id, doc_id, instrument, objectives, AS, MI) are in row 2: delete row 1"
    ), message
    assert "missing required column" not in message


def test_a_title_row_above_the_headers_of_a_sheet_is_named(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "units"
    for row in (["2025年政策编码表"], HEADER, UNIT):
        sheet.append(row)
    book.save(tmp_path / "study.xlsx")
    with pytest.raises(pq.ValidationError, match=r"row 1 looks like a title \('2025年政策编码表'\)"):
        pq.read_coding(tmp_path / "study.xlsx")


def test_one_recognised_header_is_no_title(tmp_path):
    path = write_csv(tmp_path / "documents.csv", [["doc_id"], ["P01"], ["P02"]])
    assert read_table(path, "documents")["doc_id"].tolist() == ["P01", "P02"]


# --encoding undefined ------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["undefined", "base64", "rot13", "klingon"])
def test_an_unusable_encoding_is_a_read_error_naming_it(tmp_path, encoding):
    path = write_csv(tmp_path / "units.csv", [HEADER, UNIT])
    with pytest.raises(pq.ReadError) as raised:
        pq.read_coding(path, encoding=encoding)
    message = str(raised.value)
    assert repr(encoding) in message
    assert "use utf-8, gb18030 (for GBK) or utf-16" in message
    assert "\n" not in message


def test_an_encoding_that_is_no_name_is_a_read_error(tmp_path):
    path = write_csv(tmp_path / "units.csv", [HEADER, UNIT])
    with pytest.raises(pq.ReadError, match="the encoding must be a name"):
        read_table(path, encoding=5)  # type: ignore[arg-type]


def test_cli_encoding_undefined_is_one_line_and_exit_2(tmp_path):
    path = write_csv(tmp_path / "units.csv", [HEADER, UNIT])
    result = CliRunner().invoke(
        main, ["validate", str(path), "--encoding", "undefined"], prog_name="policyquant"
    )
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == [
        f"policyquant: error: {path}: the encoding 'undefined' cannot decode this file; "
        "use utf-8, gb18030 (for GBK) or utf-16, or leave the encoding out to have it detected"
    ]

"""One Excel writer, one rule (issue 18 item 5; issue 13's "nothing altered silently").

Every workbook policyquant writes goes through ``policyquant._excel``:

* ``write_coding`` / ``Corpus.to_excel`` (the documents, units and codebook sheets),
* ``TableResult.to_excel`` and so ``FrameResult``, ``export(df, "x.xlsx")`` and
  ``policyquant codebook --format xlsx``,
* ``write_coding_template`` (pre-filled documents, framework text).

Each refuses, naming the cell (sheet, row, column, cell reference, the row's unit or label,
the length), a text longer than the 32,767 characters a cell holds, a control character,
U+FFFE, U+FFFF or half a surrogate pair; openpyxl would cut the long text to 32,767
characters without a word, which ``TableResult.to_excel`` and ``export`` did.  Text that
looks like a formula or an error code (``=SUM(A1)``, ``#N/A``) is stored as text, and
every text a cell holds reads back whole (Excel's ``_xHHHH_`` escapes).  Nothing is
written after a refusal.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policyquant as pq
from policyquant.cli import main
from policyquant.declarative import load_framework
from policyquant.errors import ValidationError
from policyquant.export import export
from policyquant.io import write_coding_template
from policyquant.results import FrameResult

EMPTY_UNITS = pd.DataFrame(columns=["unit_id", "doc_id", "instrument", "objectives"])


def read_column(path: Path, sheet: str | int, column: str) -> list[str]:
    """A sheet's column as calamine reads it, every cell as text ('' for an empty cell)."""
    frame = pd.read_excel(
        path, sheet_name=sheet, engine="calamine", dtype=object, keep_default_na=False, na_values=[]
    )
    return ["" if value is None else value for value in frame[column].tolist()]


def units_corpus(texts: list[str]) -> pq.Corpus:
    count = len(texts)
    units = pd.DataFrame(
        {
            "unit_id": [f"P01-1-{n + 1}" for n in range(count)],
            "doc_id": ["P01"] * count,
            "text": pd.Series(texts, dtype=object),
            "instrument": ["标准规范"] * count,
            "objectives": ["公共安全与利益"] * count,
            "AS": [3] * count,
            "MI": [5] * count,
        }
    )
    return pq.Corpus(pd.DataFrame({"doc_id": ["P01"], "title": ["标题"], "DA": [3]}), units)


def documents(texts: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {"doc_id": [f"D{n}" for n in range(len(texts))], "title": pd.Series(texts, dtype=object)}
    )


def as_cells(values: pd.Series) -> list[str]:
    return ["" if pd.isna(value) else value for value in values.tolist()]


@dataclasses.dataclass(frozen=True)
class Writer:
    """One XLSX writer: how it writes texts, where text ``k`` lands, how its row is named."""

    name: str
    write: Callable[[list[str], Path], object]
    sheet: str | int
    column: str
    named: Callable[[int], str]
    letter: str
    # The texts as the writer's input keeps them (a Corpus normalises blank text to missing).
    kept: Callable[[list[str]], list[str]] = lambda texts: texts

    def __repr__(self) -> str:
        return self.name


WRITERS = [
    Writer(
        "write_coding",
        lambda texts, path: pq.write_coding(units_corpus(texts), path),
        "units",
        "text",
        lambda k: f"in unit P01-1-{k + 1}",
        "C",
        lambda texts: as_cells(units_corpus(texts).units["text"]),
    ),
    Writer(
        "Corpus.to_excel",
        lambda texts, path: units_corpus(texts).to_excel(path),
        "units",
        "text",
        lambda k: f"in unit P01-1-{k + 1}",
        "C",
        lambda texts: as_cells(units_corpus(texts).units["text"]),
    ),
    Writer(
        "TableResult.to_excel",
        lambda texts, path: FrameResult(
            pd.DataFrame({"text": pd.Series(texts, index=[f"u{n}" for n in range(len(texts))], dtype=object)})
        ).to_excel(path),
        "Sheet1",
        "text",
        lambda k: f"row 'u{k}'",
        "B",
    ),
    Writer(
        "export",
        lambda texts, path: export(pd.DataFrame({"text": pd.Series(texts, dtype=object)}), path),
        "Sheet1",
        "text",
        lambda k: f"row '{k}'",
        "B",
    ),
    Writer(
        "write_coding_template",
        lambda texts, path: write_coding_template(
            "wang2026", path, documents=documents(texts), units_rows=5, documents_rows=max(5, len(texts))
        ),
        "documents",
        "title",
        lambda k: f"in document D{k}",
        "B",
        lambda texts: as_cells(pq.Corpus(documents(texts), EMPTY_UNITS).documents["title"]),
    ),
]


def cell_of(writer: Writer, k: int) -> str:
    """The cell text ``k`` goes to (the header is row 1)."""
    return f"{writer.letter}{k + 2}"


def assert_refused(info: pytest.ExceptionInfo[ValidationError], writer: Writer, k: int, path: Path) -> dict:
    """The error names the one bad cell: its sheet, row, column, cell reference and row."""
    problems = info.value.problems
    assert len(problems) >= 1
    problem = problems.iloc[0].to_dict()
    assert (problem["row"], problem["column"]) == (k + 2, writer.column), problems
    assert f"sheet {writer.sheet}" in problem["file"]
    assert f"(cell {cell_of(writer, k)}, " in problem["problem"]
    assert writer.named(k) in problem["problem"]
    assert not path.exists()
    return problem


# -- A text longer than a cell holds ----------------------------------------------------------


@pytest.mark.parametrize("writer", WRITERS, ids=repr)
def test_a_40000_character_cell_is_refused_by_every_writer_naming_the_cell(tmp_path, writer):
    """Before, TableResult.to_excel and export cut it to 32,767 characters without a word."""
    path = tmp_path / "out.xlsx"
    with pytest.raises(ValidationError, match="more than an Excel cell holds") as info:
        writer.write(["short", "长" * 40_000, "fine"], path)
    problem = assert_refused(info, writer, 1, path)
    assert problem["problem"].startswith("40,000 characters")
    assert "at most 32,767 characters" in problem["expected"]


@pytest.mark.parametrize("writer", WRITERS, ids=repr)
def test_exactly_as_much_as_a_cell_holds_is_written_whole_by_every_writer(tmp_path, writer):
    # Escaped, the text is longer than 32,767 characters: openpyxl would cut that too.
    text = "a\r" * 16_383 + "b"
    assert len(text) == 32_767
    path = tmp_path / "out.xlsx"
    writer.write(["short", text], path)
    assert read_column(path, writer.sheet, writer.column) == writer.kept(["short", text])


def test_the_long_cell_is_refused_by_the_codebook_command_naming_it(tmp_path):
    framework = framework_file(tmp_path, ["fine", "y" * 40_000])
    result = codebook(framework, tmp_path / "codebook.xlsx")
    assert result.exit_code == 2
    assert result.output.startswith("policyquant: error: ")
    assert (
        "40,000 characters, more than an Excel cell holds (cell G3, row 'family / voluntary')"
        in result.output
    )
    assert "sheet Sheet1, row 3, column 'description'" in result.output
    assert not (tmp_path / "codebook.xlsx").exists()


def test_framework_text_of_a_template_is_never_cut_and_stays_text(tmp_path):
    """Before, the template's codebook sheet cut a long coding rule and stored '#N/A' as an error cell."""
    framework = load_framework(framework_file(tmp_path, ["=SUM(A1)", "#N/A", "y" * 40_000]))
    with pytest.raises(ValidationError, match="40,000 characters") as info:
        write_coding_template(framework, tmp_path / "t.xlsx")
    (problem,) = info.value.problems.to_dict("records")
    assert (problem["file"], problem["row"], problem["column"]) == ("sheet codebook", 4, "G")
    assert not (tmp_path / "t.xlsx").exists()
    framework = load_framework(framework_file(tmp_path, ["=SUM(A1)", "#N/A", "a\rb"]))
    path = write_coding_template(framework, tmp_path / "t.xlsx")
    assert read_column(path, "codebook", "description")[:3] == ["=SUM(A1)", "#N/A", "a\rb"]
    assert {openpyxl.load_workbook(path)["codebook"][f"G{row}"].data_type for row in (2, 3, 4)} == {"s"}


# -- Characters no cell holds -------------------------------------------------------------------

BAD_CHARACTERS = ["\x00", "\x07", "\x1f", "\ufffe", "\uffff"]


@pytest.mark.parametrize("character", BAD_CHARACTERS, ids=lambda c: f"U+{ord(c):04X}")
@pytest.mark.parametrize("writer", WRITERS, ids=repr)
def test_characters_no_cell_holds_are_refused_by_every_writer_naming_the_cell(tmp_path, writer, character):
    path = tmp_path / "out.xlsx"
    with pytest.raises(ValidationError, match="which an Excel cell cannot hold") as info:
        writer.write(["fine", "ok", f"before{character}after"], path)
    problem = assert_refused(info, writer, 2, path)
    assert f"U+{ord(character):04X}" in problem["problem"]


@pytest.mark.parametrize(
    "writer", [w for w in WRITERS if not w.name.startswith(("write_coding", "Corpus"))], ids=repr
)
def test_half_a_surrogate_pair_is_refused_naming_the_cell(tmp_path, writer):
    # A Corpus refuses it earlier, for every format, naming the unit (test_integrity_surrogates).
    path = tmp_path / "out.xlsx"
    with pytest.raises(ValidationError, match="half a surrogate pair") as info:
        writer.write(["fine", "x\ud800y"], path)
    assert_refused(info, writer, 1, path)


@pytest.mark.parametrize("character", ["\x07", "\ufffe"], ids=lambda c: f"U+{ord(c):04X}")
def test_characters_no_cell_holds_are_refused_by_the_codebook_command(tmp_path, character):
    framework = framework_file(tmp_path, ["fine", "ok", f"a{character}b"])
    result = codebook(framework, tmp_path / "codebook.xlsx")
    assert result.exit_code == 2
    assert f"U+{ord(character):04X}" in result.output
    assert "(cell G4, row 'family / mixed')" in result.output
    assert not (tmp_path / "codebook.xlsx").exists()


def test_every_bad_cell_is_reported_at_once_labels_and_headers_too(tmp_path):
    columns = pd.MultiIndex.from_tuples([("group\x01", "n"), ("group\x01", "text")])
    frame = pd.DataFrame(
        [[1, "x" * 32_768], [2, "ok\ufffe"]], index=pd.Index(["a", "b\x02"], name="who"), columns=columns
    )
    with pytest.raises(ValidationError) as info:
        FrameResult(frame).to_excel(tmp_path / "t.xlsx")
    problems = info.value.problems
    cells = [re.search(r"\(cell (\w+)", text).group(1) for text in problems["problem"]]
    # Header row 1 (the merged group), the index column A from row 3, the text column C.
    assert sorted(cells) == ["A4", "B1", "C3", "C4"]
    assert "in the header" in problems.loc[problems["row"] == 1, "problem"].item()
    assert not (tmp_path / "t.xlsx").exists()
    # The row labels are not written with index=False, and are not checked then.
    with pytest.raises(ValidationError) as info:
        FrameResult(frame).to_excel(tmp_path / "t.xlsx", index=False)
    assert sorted(re.search(r"\(cell (\w+)", t).group(1) for t in info.value.problems["problem"]) == [
        "A1",
        "B3",
        "B4",
    ]


def test_a_refusal_leaves_the_file_that_was_there_as_it_was(tmp_path):
    path = tmp_path / "table.xlsx"
    FrameResult(pd.DataFrame({"text": ["first"]})).to_excel(path)
    before = path.read_bytes()
    for write in (
        lambda: FrameResult(pd.DataFrame({"text": ["y" * 40_000]})).to_excel(path),
        lambda: FrameResult(pd.DataFrame({"text": ["y" * 40_000]})).to_excel(
            path, sheet_name="More", mode="a"
        ),
        lambda: export(pd.DataFrame({"text": ["bell\x07"]}), path),
        lambda: units_corpus(["y" * 40_000]).to_excel(path),
    ):
        with pytest.raises(ValidationError):
            write()
        assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["table.xlsx"]  # no temporary file left


# -- Text kept as text ----------------------------------------------------------------------------

LITERALS = ["=SUM(A1)", "#N/A", "#REF!", "=", '=HYPERLINK("http://x")']


@pytest.mark.parametrize("writer", WRITERS, ids=repr)
def test_formula_and_error_code_text_reads_back_as_text_from_every_writer(tmp_path, writer):
    """Before, TableResult.to_excel and export stored them as a formula and an error cell (read back empty)."""
    path = tmp_path / "out.xlsx"
    writer.write(LITERALS, path)
    assert read_column(path, writer.sheet, writer.column) == LITERALS
    sheet = openpyxl.load_workbook(path)[writer.sheet if isinstance(writer.sheet, str) else 0]
    cells = [sheet[cell_of(writer, k)] for k in range(len(LITERALS))]
    assert [cell.value for cell in cells] == LITERALS
    assert {cell.data_type for cell in cells} == {"s"}


def test_formula_and_error_code_text_reads_back_as_text_from_the_codebook_command(tmp_path):
    framework = framework_file(tmp_path, ["=SUM(A1)", "#N/A", "a\rb _x0041_"])
    result = codebook(framework, tmp_path / "codebook.xlsx")
    assert result.exit_code == 0, result.output
    assert read_column(tmp_path / "codebook.xlsx", "Sheet1", "description")[:3] == [
        "=SUM(A1)",
        "#N/A",
        "a\rb _x0041_",
    ]
    sheet = openpyxl.load_workbook(tmp_path / "codebook.xlsx")["Sheet1"]
    assert [(sheet[f"G{row}"].value, sheet[f"G{row}"].data_type) for row in (2, 3)] == [
        ("=SUM(A1)", "s"),
        ("#N/A", "s"),
    ]


def test_the_codebook_sheet_of_a_coding_workbook_keeps_text_as_text(tmp_path):
    corpus = units_corpus(["t"])
    path = corpus.to_excel(tmp_path / "study.xlsx")[0]
    expected = corpus.framework.codebook()
    back = pd.read_excel(path, sheet_name="codebook", engine="calamine")
    assert back["key"].tolist() == expected["key"].tolist()
    assert back["score"].dropna().tolist() == expected["score"].dropna().tolist()  # numbers stay numbers
    assert back["description"].fillna("").tolist() == expected["description"].fillna("").tolist()


def test_adding_a_sheet_keeps_the_text_of_the_others(tmp_path):
    path = tmp_path / "paper.xlsx"
    FrameResult(pd.DataFrame({"text": ["a\rb", "=SUM(A1)", " ", "_x0041_"]})).to_excel(
        path, sheet_name="Table 1"
    )
    FrameResult(pd.DataFrame({"text": ["#N/A"]})).to_excel(path, sheet_name="Table 2", mode="a")
    assert read_column(path, "Table 1", "text") == ["a\rb", "=SUM(A1)", " ", "_x0041_"]
    assert read_column(path, "Table 2", "text") == ["#N/A"]


# -- Any text a cell holds round-trips; anything else is refused ----------------------------------

CELL_TEXT = st.one_of(
    st.sampled_from(
        ["=SUM(A1)", "#N/A", "#DIV/0!", "=", "_x000D_", "_x005F_", "_x0041_", " ", "\t", "\r\n", ""]
    ),
    st.text(
        alphabet=st.one_of(
            st.sampled_from(list(" \t\n\r_x0DF5=#N/A!\u3000\u00a0\ufdd0\ufffd\U0001fffe\U0010ffff标")),
            st.characters(blacklist_categories=("Cs", "Cc")),
        ),
        max_size=12,
    ),
)


@pytest.mark.parametrize("writer", WRITERS, ids=repr)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(CELL_TEXT, min_size=1, max_size=5))
def test_any_text_a_cell_holds_round_trips_through_every_writer(tmp_path, writer, texts):
    path = tmp_path / "out.xlsx"
    writer.write(texts, path)
    assert read_column(path, writer.sheet, writer.column) == writer.kept(texts)


BAD = st.one_of(
    st.sampled_from([*BAD_CHARACTERS, "\x08", "\x0b", "\x0c", "\x0e"]),
    st.integers(32_768, 33_000).map(lambda n: "x" * n),
)


@pytest.mark.parametrize("writer", WRITERS, ids=repr)
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(CELL_TEXT, min_size=1, max_size=4), bad=BAD, at=st.integers(0, 4))
def test_text_no_cell_holds_is_refused_naming_the_cell_and_nothing_is_written(
    tmp_path, writer, texts, bad, at
):
    k = min(at, len(texts))
    texts = [*texts[:k], f"a{bad}b", *texts[k:]]
    path = tmp_path / "refused.xlsx"
    with pytest.raises(ValidationError) as info:
        writer.write(texts, path)
    assert_refused(info, writer, k, path)


# -- One module ----------------------------------------------------------------------------------


def test_one_module_holds_the_excel_cell_rule():
    """Before: three cell checkers, two _display_width; now each is defined once, in policyquant/_excel.py."""
    package = Path(pq.__file__).parent
    definitions = {
        "def _display_width": [],
        "def _excel_text_problems": [],
        "def _escape_frame": [],
        "def _keep_as_text": [],
        "_EXCEL_CELL_LIMIT = ": [],
        "ILLEGAL_CHARACTERS_RE": [],
    }
    for source in package.rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        for name, found in definitions.items():
            if name in text:
                found.append(source.relative_to(package).as_posix())
    assert definitions == {
        "def _display_width": ["_excel.py"],
        "def _excel_text_problems": ["_excel.py"],
        "def _escape_frame": ["_excel.py"],
        "def _keep_as_text": ["_excel.py"],
        "_EXCEL_CELL_LIMIT = ": ["_excel.py"],
        "ILLEGAL_CHARACTERS_RE": [],
    }


# -- Helpers for the codebook command ------------------------------------------------------------


def toml_string(text: str) -> str:
    """A TOML basic string holding ``text`` exactly (every other character escaped)."""
    return (
        '"'
        + "".join(c if 0x20 <= ord(c) < 0x7F and c not in '"\\' else f"\\U{ord(c):08X}" for c in text)
        + '"'
    )


def framework_file(folder: Path, descriptions: list[str]) -> Path:
    """wang2026 as a TOML file whose first families' descriptions are ``descriptions``."""
    lines = pq.get_framework("wang2026").to_toml().split("\n")
    family = next(i for i, line in enumerate(lines) if line == "[[families]]")
    replaced = 0
    for i in range(family, len(lines)):
        if lines[i].startswith("description = ") and replaced < len(descriptions):
            lines[i] = "description = " + toml_string(descriptions[replaced])
            replaced += 1
    path = folder / "framework.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def codebook(framework: Path, output: Path):
    return CliRunner().invoke(
        main, ["codebook", str(framework), "--format", "xlsx", "-o", str(output)], prog_name="policyquant"
    )

"""Tests of the text-analysis and machine-coder commands: ``words``, ``kwic``, ``suggest`` and ``train``.

Inputs are the ten clauses of the text-analysis how-to (docs/how-to/examples/clauses.csv, a
units table as `policyquant ingest` writes it) and the bundled example (``--example``).
"""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policyquant as pq
from policyquant.cli import main
from policyquant.coders import get_coder
from policyquant.text import keyness, kwic, tokenize, top_features

CLAUSES = Path(__file__).parents[1] / "docs" / "how-to" / "examples" / "clauses.csv"
TERMS = ["生成式人工智能", "深度合成", "算法推荐", "服务提供者"]


def invoke(*args: object) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], prog_name="policyquant")


def assert_user_error(result: Result, message: str) -> str:
    """Exit status 2, nothing on stdout, one line on stderr: 'policyquant: error: <message>...'."""
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("policyquant: error: "), lines[0]
    assert message in lines[0], lines[0]
    assert "Traceback" not in result.stderr
    return lines[0]


def read_csv_output(result: Result) -> pd.DataFrame:
    assert result.exit_code == 0, result.output
    return pd.read_csv(io.StringIO(result.stdout), dtype={"unit_id": str, "feature": str, "group": str})


@pytest.fixture
def clauses(tmp_path: Path) -> tuple[Path, Path]:
    units = tmp_path / "clauses.csv"
    units.write_bytes(CLAUSES.read_bytes())
    terms = tmp_path / "terms.txt"
    terms.write_text("\n".join(TERMS) + "\n", encoding="utf-8")
    return units, terms


@pytest.fixture(scope="module")
def saved_coder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("coder") / "coder"
    result = invoke("train", "--example", "-o", folder, "--fields", "instrument,objectives")
    assert result.exit_code == 0, result.output
    return folder


# --------------------------------------------------------------------------
# words


def test_words_prints_the_top_features_of_a_units_file(clauses: tuple[Path, Path]) -> None:
    units, terms = clauses
    table = read_csv_output(invoke("words", units, "--user-words", terms, "-n", "5", "--format", "csv"))
    expected = top_features(tokenize(pd.read_csv(units, dtype=str), user_words=TERMS), 5).to_frame()
    assert table["feature"].tolist() == expected["feature"].tolist()
    assert dict(zip(table["feature"], table["frequency"], strict=True))["深度合成"] == 4
    assert set(table["group"]) == {"all"}


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=st.permutations(range(10)))
def test_words_and_keyness_do_not_depend_on_the_order_of_the_rows(
    clauses: tuple[Path, Path], order: list[int]
) -> None:
    units, terms = clauses
    shuffled = units.with_name("shuffled.csv")
    pd.read_csv(units, dtype=str).iloc[order].to_csv(shuffled, index=False)
    for args in (["-n", "100"], ["--by", "level", "-n", "100"]):
        tables = [
            read_csv_output(invoke("words", path, "--user-words", terms, "--format", "csv", *args))
            for path in (units, shuffled)
        ]
        # Ties keep the order of first appearance: compare the rows, not their order.
        first, second = (t.sort_values("feature").reset_index(drop=True) for t in tables)
        pd.testing.assert_frame_equal(first, second)


def test_words_text_output_names_rows_by_feature(clauses: tuple[Path, Path]) -> None:
    units, terms = clauses
    result = invoke("words", units, "--user-words", terms, "-n", "3")
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert lines[0] == "Top 3 words by frequency (10 units)"
    assert lines[2].split()[0] == "feature"
    assert lines[4].split()[0] == "服务提供者"


def test_words_by_a_column_of_two_groups_is_keyness(clauses: tuple[Path, Path]) -> None:
    units, terms = clauses
    result = invoke("words", units, "--user-words", terms, "--by", "level", "--format", "csv", "-n", "100")
    table = read_csv_output(result)
    expected = keyness(tokenize(pd.read_csv(units, dtype=str), user_words=TERMS), "national", groups="level")
    pd.testing.assert_frame_equal(table, expected.to_frame(), check_dtype=False)
    assert table.columns.tolist() == ["feature", "chi2", "p", "n_target", "n_reference"]


def test_words_target_group_against_the_rest_of_the_example() -> None:
    result = invoke("words", "--example", "--by", "level", "--target", "provincial", "--measure", "lr",
                    "-n", "5", "--format", "csv")
    table = read_csv_output(result)
    corpus = pq.datasets.load_genai_china()
    expected = keyness(tokenize(corpus), "provincial", groups="level", measure="lr").to_frame().head(5)
    pd.testing.assert_frame_equal(table, expected, check_dtype=False)


def test_words_by_a_column_of_many_groups_ranks_within_each() -> None:
    table = read_csv_output(invoke("words", "--example", "--by", "instrument", "-n", "2", "--format", "csv"))
    instruments = set(pq.datasets.load_genai_china().units["instrument"])
    assert set(table["group"]) == instruments
    assert table.groupby("group").size().max() <= 2 + 5  # ties at the cut share the rank, cut in order


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--by", "levle"], "the units have no column 'levle'; did you mean 'level'?"),
        (["--by", "level", "--target", "nationl"], "no group 'nationl' in column 'level'; did you mean 'national'?"),
        (["--target", "national"], "--target goes with --by COLUMN"),
    ],
)
def test_words_bad_groups_are_one_line(args: list[str], message: str) -> None:
    assert_user_error(invoke("words", "--example", *args), message)


def test_words_missing_file_is_one_line(tmp_path: Path) -> None:
    assert_user_error(invoke("words", tmp_path / "nothing.csv"), "nothing.csv")


@pytest.mark.parametrize(
    "args",
    [["words"], ["kwic", "标准"], ["suggest", "--coder", "dictionary", "-o", "out.csv"], ["train", "-o", "coder"]],
)
def test_a_coding_sheet_without_texts_is_one_line(tmp_path: Path, args: list[str]) -> None:
    sheet = tmp_path / "coded.csv"
    sheet.write_text("条款编号,文件编号,政策工具,政策目标,作用范围,措施力度\n007-1-1,007,标准规范,公共安全与利益,5,3\n",
                     encoding="utf-8")
    command, *rest = args
    if command == "kwic":
        rest = [sheet, *rest]
    else:
        rest = [sheet, *(tmp_path / a if a in ("out.csv", "coder") else a for a in rest)]
    assert_user_error(invoke(command, *rest), "text")


# --------------------------------------------------------------------------
# kwic


def test_kwic_finds_a_term_whole_in_a_units_file(clauses: tuple[Path, Path]) -> None:
    units, _ = clauses
    table = read_csv_output(invoke("kwic", units, "深度合成", "--window", "3", "--format", "csv"))
    assert table["unit_id"].tolist() == ["R2-1", "R2-2", "R2-2", "R2-3"]
    assert set(table["keyword"]) == {"深度合成"}
    expected = kwic(pd.read_csv(units, dtype=str), "深度合成", window=3).to_frame()
    pd.testing.assert_frame_equal(table.fillna(""), expected.fillna(""), check_dtype=False)


def test_kwic_reads_a_units_file_with_headers_as_people_write_them(clauses: tuple[Path, Path]) -> None:
    units, _ = clauses
    lines = units.read_text(encoding="utf-8").splitlines()
    units.write_text("\n".join(["Unit ID,Doc-ID,level,Text", *lines[1:]]) + "\n", encoding="utf-8")
    table = read_csv_output(invoke("kwic", units, "深度合成", "--format", "csv"))
    assert table["unit_id"].tolist() == ["R2-1", "R2-2", "R2-2", "R2-3"]


def test_kwic_on_the_example_with_a_glob() -> None:
    result = invoke("kwic", "--example", "标准*", "--window", "1", "--format", "csv")
    table = read_csv_output(result)
    assert len(table) > 0
    assert table["keyword"].str.startswith("标准").all()
    assert set(table["unit_id"]) <= set(pq.datasets.load_genai_china().units["unit_id"])


def test_kwic_without_term_is_one_line(clauses: tuple[Path, Path]) -> None:
    units, _ = clauses
    assert_user_error(invoke("kwic", units), "give the TERM to search for after the files")
    assert_user_error(invoke("kwic", "--example"), "Missing argument 'TERM'")


# --------------------------------------------------------------------------
# train


def test_train_saves_a_coder_and_prints_its_evaluation(tmp_path: Path) -> None:
    folder = tmp_path / "coder"
    result = invoke("train", "--example", "-o", folder, "--evaluate", "--cv", "3", "--fields", "instrument",
                    "--format", "csv")
    table = read_csv_output(result)
    assert sorted(p.name for p in folder.iterdir()) == ["arrays.npz", "manifest.json", "model.json"]
    row = table.set_index("dimension").loc["instrument"]
    assert row["units"] == 670
    # The model beats the majority-class baseline, and both are reported.
    assert row["alpha"] > row["baseline_alpha"]
    assert f"saved in {folder}" in result.stderr
    loaded = pq.coders.load(folder)
    assert loaded.fields == ("instrument",)


def test_train_unknown_field_is_one_line(tmp_path: Path) -> None:
    assert_user_error(invoke("train", "--example", "-o", tmp_path / "c", "--fields", "instrumnt"), "instrumnt")
    assert not (tmp_path / "c").exists()


def test_train_output_folder_holding_the_input_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "coder"
    folder.mkdir()
    units = folder / "model.json"
    units.write_text("unit_id,doc_id,instrument\n", encoding="utf-8")
    assert_user_error(invoke("train", units, "-o", folder), "would replace that input")
    assert units.read_text(encoding="utf-8") == "unit_id,doc_id,instrument\n"


# --------------------------------------------------------------------------
# suggest


def test_suggest_writes_the_template_least_confident_first(
    clauses: tuple[Path, Path], saved_coder: Path, tmp_path: Path
) -> None:
    units, _ = clauses
    output = tmp_path / "suggestions.xlsx"
    result = invoke("suggest", units, "--coder", "tfidf-linear", "--model", saved_coder, "-o", output,
                    "--order", "least-confident")
    assert result.exit_code == 0, result.output
    assert "10 units suggested by 'tfidf-linear'" in result.stdout
    sheet = openpyxl.load_workbook(output)["units"]
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    body = [dict(zip(header, row, strict=True)) for row in rows[1:] if row[0] is not None]
    assert sorted(r["unit_id"] for r in body) == sorted(pd.read_csv(units, dtype=str)["unit_id"])
    confidences = [r["suggested_confidence"] for r in body]
    assert confidences == sorted(confidences)
    # Suggestions sit beside the code columns, never in them.
    assert header.index("suggested") > header.index("instrument")
    assert all(r["instrument"] is None and r["objectives"] is None for r in body)
    assert all(r["suggested"] for r in body)


def test_suggest_on_a_coding_study_does_not_show_the_coder_the_codes(saved_coder: Path, tmp_path: Path) -> None:
    output = tmp_path / "suggestions.xlsx"
    result = invoke("suggest", "--example", "--coder", "tfidf-linear", "--model", saved_coder, "-o", output)
    assert result.exit_code == 0, result.output
    workbook = openpyxl.load_workbook(output)
    units = [row for row in workbook["units"].iter_rows(min_row=2, values_only=True) if row[0] is not None]
    assert len(units) == 670
    assert all(row[3] is None for row in units)  # the instrument column stays empty


def test_suggest_csv_is_the_suggestions_table(clauses: tuple[Path, Path], tmp_path: Path) -> None:
    units, _ = clauses
    output = tmp_path / "suggestions.csv"
    problems = tmp_path / "left.csv"
    result = invoke("suggest", units, "--coder", "dictionary", "-o", output, "--problems", problems)
    assert result.exit_code == 0, result.output
    written = pd.read_csv(output, dtype={"unit_id": str, "evidence": str})
    expected = get_coder("dictionary").suggest(pd.read_csv(units, dtype=str))
    pd.testing.assert_frame_equal(written.fillna(""), expected.to_frame().fillna(""), check_dtype=False)
    left = pd.read_csv(problems, dtype=str)
    # Nothing dropped silently: every unit and field without a suggestion is counted and listed.
    assert len(left) == len(expected.problems)
    if len(left):
        assert f"{len(left)} unit x field" in result.stderr


def test_suggest_unknown_coder_names_the_closest(clauses: tuple[Path, Path], tmp_path: Path) -> None:
    units, _ = clauses
    line = assert_user_error(invoke("suggest", units, "--coder", "dictionry", "-o", tmp_path / "s.csv"),
                             "no coder named 'dictionry'")
    assert "did you mean 'dictionary'?" in line
    assert not (tmp_path / "s.csv").exists()


def test_suggest_tfidf_linear_needs_a_model(clauses: tuple[Path, Path], tmp_path: Path) -> None:
    units, _ = clauses
    assert_user_error(invoke("suggest", units, "--coder", "tfidf-linear", "-o", tmp_path / "s.csv"),
                      "--coder tfidf-linear needs --model DIR")


def test_suggest_dictionary_with_an_invalid_regex_is_one_line(clauses: tuple[Path, Path], tmp_path: Path) -> None:
    units, _ = clauses
    bad = tmp_path / "bad.toml"
    bad.write_text('[instrument.infrastructure]\nregex = ["算力("]\n', encoding="utf-8")
    line = assert_user_error(
        invoke("suggest", units, "--coder", "dictionary", "--dictionary", bad, "-o", tmp_path / "s.csv"),
        "invalid regular expression",
    )
    assert "[instrument.infrastructure]" in line
    assert not (tmp_path / "s.csv").exists()


@pytest.mark.parametrize("option", ["-o", "--dictionary"])
def test_suggest_output_over_an_input_is_refused(clauses: tuple[Path, Path], tmp_path: Path, option: str) -> None:
    units, _ = clauses
    before = units.read_bytes()
    if option == "-o":
        args = ["suggest", units, "--coder", "dictionary", "-o", units]
    else:
        dictionary = tmp_path / "d.csv"
        dictionary.write_text("x", encoding="utf-8")
        args = ["suggest", units, "--coder", "dictionary", "--dictionary", dictionary, "-o", dictionary]
    assert_user_error(invoke(*args), "would replace that input")
    assert units.read_bytes() == before


def test_suggest_output_must_be_xlsx_or_csv(clauses: tuple[Path, Path], tmp_path: Path) -> None:
    units, _ = clauses
    assert_user_error(invoke("suggest", units, "--coder", "dictionary", "-o", tmp_path / "s.txt"),
                      "must end in .xlsx or .csv")
    assert_user_error(
        invoke("suggest", units, "--coder", "dictionary", "-o", tmp_path / "s.csv", "--order", "least-confident"),
        "--order is the order of the .xlsx template's units",
    )


def test_the_commands_are_listed_in_help() -> None:
    result = invoke("--help")
    for command in ("words", "kwic", "suggest", "train"):
        assert f"  {command} " in result.stdout

"""The clause texts of the bundled corpus (issue 16, item 8).

The 670 clauses of ``pq.datasets.load_genai_china()`` carried a placeholder made of
their codes' labels (``【重建条款】标准规范｜公共安全与利益``).  They now carry short
clause texts written for the project to fit each clause's codes, read by the build
script from ``policyquant/datasets/data/genai_china_texts.csv``.  These tests check that
every clause has its own text from that file, that the codes do not depend on the texts,
that ``--check`` covers the texts file, that a broken texts file is refused naming the
file, row, column and value, and that the corpus still says it is a reconstruction.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policyquant as pq
from policyquant.datasets import build_genai_china as script
from policyquant.errors import ReadError, ValidationError

CODE_COLUMNS = ["unit_id", "doc_id", "instrument", "objectives", "AS", "MI"]


@pytest.fixture(scope="module")
def built() -> tuple[pd.DataFrame, pd.DataFrame]:
    return script.build()


@pytest.fixture(scope="module")
def texts() -> pd.Series:
    return script.read_texts()


def write_texts(path: Path, rows: list[tuple[str, str]], *, encoding: str = "utf-8") -> Path:
    frame = pd.DataFrame(rows, columns=["unit_id", "text"])
    path.write_bytes(frame.to_csv(index=False, lineterminator="\n").encode(encoding))
    return path


# -- the bundled texts ---------------------------------------------------------------------------


def test_every_clause_has_its_own_text_from_the_texts_file(texts: pd.Series) -> None:
    units = pq.datasets.load_genai_china().units
    assert len(texts) == len(units) == 670
    # One text per clause, in the units' order, and the corpus carries exactly those texts.
    assert texts.index.tolist() == units["unit_id"].tolist()
    assert units["text"].tolist() == texts.tolist()
    assert texts.is_unique and texts.str.strip().ne("").all()
    assert texts.str.len().between(20, 120).all()


def test_no_text_is_a_placeholder_or_carries_a_code_label_as_a_tag(texts: pd.Series) -> None:
    framework = pq.get_framework("wang2026")
    labels = [item.labels["zh"] for item in (*framework.instruments, *framework.objectives)]
    assert not texts.str.contains("重建条款|[【】｜]").any()
    assert not texts.str.startswith(tuple(labels)).any()
    # A label may occur as ordinary words (关键信息基础设施), but no text is a list of labels.
    assert not texts.isin(labels).any()
    assert texts.map(lambda text: sum(label in text for label in labels)).max() <= 1


def test_the_texts_fit_their_clauses_documents(built: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    documents, units = built
    region = units["doc_id"].map(documents.set_index("doc_id")["region"])
    # A provincial document's clauses never name another province's capital.
    capitals = {"Beijing": "北京", "Shanghai": "上海", "Zhejiang": "杭州", "Jiangsu": "南京",
                "Sichuan": "成都", "Anhui": "合肥", "Shandong": "济南", "Hubei": "武汉"}  # fmt: skip
    for province, city in capitals.items():
        naming = units["text"].str.contains(city)
        assert set(region[naming]) <= {province, "China"}, (province, units.loc[naming & (region != province), "unit_id"])
    # Rules state obligations (应当, 不得), development plans set out measures (加快, 推动, 支持...).
    obliging = units["text"].str.contains("应当|不得|须")
    assert obliging[units["instrument"] == "standards_and_norms"].mean() > 0.5
    assert obliging[units["instrument"] == "development_planning"].mean() < 0.2


def test_the_codes_do_not_depend_on_the_texts(built: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    documents, units = built
    placeholder = pd.Series("第" + units["unit_id"] + "条：占位", index=units["unit_id"].to_numpy())
    again_documents, again = script.build(texts=placeholder)
    pd.testing.assert_frame_equal(again_documents, documents)
    pd.testing.assert_frame_equal(again[CODE_COLUMNS], units[CODE_COLUMNS])
    assert again["text"].tolist() == placeholder.tolist()
    # And the shipped codes still reproduce the study's Table 4, cell by cell.
    crosstab = pq.crosstab(pq.datasets.load_genai_china()).counts
    published = pq.datasets.table4()
    objectives = ["rights_protection", "public_safety", "tech_innovation", "application_scenarios"]
    assert crosstab.loc[published.index, objectives].to_numpy().tolist() == published[objectives].to_numpy().tolist()


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=st.permutations(range(670)))
def test_texts_are_matched_by_unit_id_whatever_their_order(built, texts, order) -> None:
    _, units = built
    _, again = script.build(texts=texts.iloc[list(order)])
    pd.testing.assert_frame_equal(again, units)


# -- --check covers the texts file ---------------------------------------------------------------


def test_check_covers_all_three_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert script.main(["--out", str(tmp_path)]) == 0
    written = {path.name for path in tmp_path.iterdir()}
    assert written == {script.DOCUMENTS_FILE, script.UNITS_FILE, script.TEXTS_FILE}
    # The texts file written is the bundled one byte for byte: it is in canonical form.
    assert (tmp_path / script.TEXTS_FILE).read_bytes() == (script.DATA_DIR / script.TEXTS_FILE).read_bytes()
    assert (tmp_path / script.UNITS_FILE).read_bytes() == (script.DATA_DIR / script.UNITS_FILE).read_bytes()
    assert script.main(["--check", "--out", str(tmp_path)]) == 0
    capsys.readouterr()
    # A texts file with Windows line endings, or a units file whose text was edited by hand, is stale.
    texts_file = tmp_path / script.TEXTS_FILE
    texts_file.write_bytes(texts_file.read_bytes().replace(b"\n", b"\r\n"))
    assert script.main(["--check", "--out", str(tmp_path)]) == 1
    assert f"stale or missing: {texts_file}" in capsys.readouterr().err
    script.main(["--out", str(tmp_path)])
    units_file = tmp_path / script.UNITS_FILE
    units_file.write_text(units_file.read_text(encoding="utf-8").replace("到2020年", "到2021年", 1), encoding="utf-8")
    assert script.main(["--check", "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert f"stale or missing: {units_file}" in err and str(texts_file) not in err


# -- bad texts files -----------------------------------------------------------------------------


def test_a_repeated_unit_id_an_empty_text_and_stray_space_are_listed_by_row(tmp_path: Path) -> None:
    path = write_texts(
        tmp_path / "texts.csv",
        [("N01-2-2", "甲条款的文字，足够长的一句话。"), ("N01-2-4", "  "), ("N01-2-2", "乙条款"), ("", "丙"), ("N01-2-7", " 前有空格")],
    )
    with pytest.raises(ValidationError) as caught:
        script.read_texts(path)
    problems = caught.value.problems
    assert problems[["row", "column", "value", "problem"]].to_numpy().tolist() == [
        [2, "unit_id", "N01-2-2", "repeated unit_id"],
        [3, "text", "  ", "empty text"],
        [4, "unit_id", "N01-2-2", "repeated unit_id"],
        [5, "unit_id", "", "empty unit_id"],
        [6, "text", " 前有空格", "space at an end"],
    ]
    assert (problems["file"] == str(path)).all()
    assert str(path) in str(caught.value)


def test_a_text_over_two_lines_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "texts.csv"
    path.write_text('unit_id,text\nN01-2-2,"第一行\n第二行"\n', encoding="utf-8")
    with pytest.raises(ValidationError, match="text runs over lines"):
        script.read_texts(path)


@pytest.mark.parametrize(
    ("content", "pattern"),
    [
        ("unit_id,texts\nN01-2-2,文字\n".encode(), r"columns \['unit_id', 'texts'\]; expected exactly \['unit_id', 'text'\]"),
        (b"id,text,extra\n", r"expected exactly \['unit_id', 'text'\]"),
        ("unit_id,text\nN01-2-2,政策文字\n".encode("gbk"), "is not UTF-8: byte 21"),
        (b"", "is not a CSV table of unit_id,text"),
    ],
    ids=["misnamed-column", "other-columns", "gbk", "empty"],
)
def test_an_unreadable_texts_file_is_a_read_error_naming_it(tmp_path: Path, content: bytes, pattern: str) -> None:
    path = tmp_path / "texts.csv"
    path.write_bytes(content)
    with pytest.raises(ReadError, match=pattern) as caught:
        script.read_texts(path)
    assert str(path) in str(caught.value)
    with pytest.raises(ReadError, match="cannot read the clause texts"):
        script.read_texts(tmp_path / "missing.csv")


def test_a_texts_file_with_a_byte_order_mark_is_read_and_rewritten_without_it(tmp_path: Path, texts: pd.Series) -> None:
    # As a spreadsheet program saves UTF-8: read as it is meant; --check then asks for a rebuild.
    path = tmp_path / "texts.csv"
    path.write_bytes(b"\xef\xbb\xbf" + (script.DATA_DIR / script.TEXTS_FILE).read_bytes())
    pd.testing.assert_series_equal(script.read_texts(path), texts)
    assert not script.render(texts.reset_index()).startswith(b"\xef\xbb\xbf")


def test_texts_that_miss_a_clause_or_name_another_are_refused_naming_them(texts: pd.Series) -> None:
    with pytest.raises(ValidationError) as caught:
        script.build(texts=texts.drop("N01-2-4").rename({"N01-2-2": "N01-9-9"}))
    problems = caught.value.problems
    assert sorted(zip(problems["value"], problems["problem"], strict=True)) == [
        ("N01-2-2", "no text for this clause"),
        ("N01-2-4", "no text for this clause"),
        ("N01-9-9", "no such clause"),
    ]
    # The texts were written for the clauses of one seed: another seed's clauses are told so.
    with pytest.raises(ValidationError, match=f"written for the clauses that seed {script.SEED} builds, not seed 1"):
        script.build(seed=1)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda text: text.where(text.index != 0, "【重建条款】标准规范｜公共安全与利益、技术安全与创新"), "code label as a tag"),
        (lambda text: text.where(text.index != 0, "标准规范：各地区各部门应当依据统一的技术规范开展工作。"), "code label as a tag"),
        (lambda text: text.where(text.index != 1, text.iloc[0]), "distinct"),
        (lambda text: text.where(text.index != 0, "短"), "20 to 120 characters"),
    ],
    ids=["placeholder", "label-first", "duplicate", "too-short"],
)
def test_validate_refuses_placeholders_duplicates_and_stubs(built, change, message) -> None:
    documents, units = built
    script.validate(documents, units)
    with pytest.raises(AssertionError, match=f"constraint 11: .*{message}"):
        script.validate(documents, units.assign(text=change(units["text"])))


def test_main_reports_a_broken_texts_file_in_one_line(tmp_path, monkeypatch, capsys) -> None:
    write_texts(tmp_path / script.TEXTS_FILE, [("N01-2-2", "一条文字"), ("N01-2-2", "另一条文字")])
    monkeypatch.setattr(script, "DATA_DIR", tmp_path)
    assert script.main(["--check", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("build_genai_china: error: the clause texts in ")
    assert "row 3, column 'unit_id', value 'N01-2-2': repeated unit_id" in err
    assert "Traceback" not in err


# -- still marked as a reconstruction ------------------------------------------------------------


def test_the_corpus_still_says_it_is_a_reconstruction_with_texts_written_for_the_project() -> None:
    corpus = pq.datasets.load_genai_china()
    titles = corpus.documents["title"]
    assert (titles.str.extract(r" \(reconstructed ([NP]\d{2})\)$")[0] == corpus.documents["doc_id"]).all()
    for doc in (pq.datasets.__doc__, script.__doc__):
        flat = " ".join(doc.split())
        assert "reconstruction" in flat and "written for policyquant to fit each clause's codes" in flat
        assert "not the authors' clauses" in flat or "not the authors' data" in flat
    readme = (Path(script.__file__).parent / "data" / "README.md").read_text(encoding="utf-8")
    assert "written for policyquant, not taken from the study or from real documents" in " ".join(readme.split())
    docs_page = Path(__file__).parents[1] / "docs" / "reference" / "datasets.rst"
    if docs_page.is_file():  # a source checkout
        assert "not quoted from real documents" in " ".join(docs_page.read_text(encoding="utf-8").split())

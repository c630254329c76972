"""Tests of :class:`policyquant.Corpus`: building a coded corpus from DataFrames and validating it.

Every input here is built in the test; nothing depends on the bundled dataset.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

import policyquant as pq
from policyquant.corpus import LEVELS, MAX_PROBLEMS, split_multi
from policyquant.errors import PROBLEM_COLUMNS

WANG = pq.get_framework("wang2026")
INSTRUMENTS = WANG.instrument_keys
OBJECTIVES = WANG.objective_keys


def make_units(rows: int = 3, **columns: object) -> pd.DataFrame:
    """A valid units table of ``rows`` clauses of document N01; ``columns`` replace or add columns."""
    frame = pd.DataFrame(
        {
            "unit_id": [f"N01-1-{i + 1}" for i in range(rows)],
            "doc_id": ["N01"] * rows,
            "instrument": ["标准规范"] * rows,
            "objectives": ["公共安全"] * rows,
            "AS": [5] * rows,
            "MI": [3] * rows,
        }
    )
    for name, values in columns.items():
        frame[name] = values
    return frame


def make_documents(**columns: object) -> pd.DataFrame:
    frame = pd.DataFrame({"doc_id": ["N01"], "level": ["national"], "DA": [3]})
    for name, values in columns.items():
        frame[name] = values
    return frame


def validation_error(documents: pd.DataFrame | None, units: pd.DataFrame) -> pq.ValidationError:
    with pytest.raises(pq.ValidationError) as info:
        pq.Corpus(documents, units)
    return info.value


def suggested_keys(suggestions: str, part: str) -> list[str]:
    """The framework keys that a problem's suggestions name ("Label (key)" or plain names, comma-separated)."""
    keys = []
    for suggestion in suggestions.split(", "):
        match = re.fullmatch(r".*\(([^()]+)\)", suggestion)
        keys.append(match.group(1) if match else WANG.resolve(part, suggestion))
    return keys


def problem_keys(error: pq.ValidationError) -> list[tuple[object, ...]]:
    """(row, column, value, problem) per problem, with missing cells as None."""
    frame = error.problems[["row", "column", "value", "problem"]].astype(object)
    frame = frame.where(frame.notna(), None)
    return [tuple(r) for r in frame.itertuples(index=False)]


# --------------------------------------------------------------------------
# Resolution of instruments and objectives.


def test_every_name_of_every_instrument_resolves_to_its_key():
    names, expected = [], []
    for instrument in WANG.instruments:
        for name in instrument.names():
            names += [name, name.upper(), f"  {name}  "]
            expected += [instrument.key] * 3
    corpus = pq.Corpus(None, make_units(len(names), instrument=names))
    assert corpus.units["instrument"].tolist() == expected


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("standards_and_norms", "standards_and_norms"),  # key
        ("Standards and Norms", "standards_and_norms"),  # Table 1 label
        ("Standards & norms", "standards_and_norms"),  # Table 4 wording
        ("标准规范", "standards_and_norms"),  # Chinese label
        ("sTaNdArDs   AND\tnorms ", "standards_and_norms"),  # case and inner whitespace
        ("ＳＴＡＮＤＡＲＤＳ　ａｎｄ　ＮＯＲＭＳ", "standards_and_norms"),  # full-width letters and spaces
        ("Pilots & demonstrations", "pilots_and_demonstrations"),
        ("Organizational support", "organizational_support"),
        ("监督评估", "assessment_and_supervision"),
        ("Fiscal & tax incentives", "fiscal_and_tax_incentives"),
        ("　宣传推广　", "publicity_and_promotion"),
    ],
)
def test_instrument_spellings(written, key):
    corpus = pq.Corpus(None, make_units(1, instrument=[written]))
    assert corpus.units.loc[0, "instrument"] == key


def test_every_name_of_every_objective_resolves_to_its_key():
    names, expected = [], []
    for objective in WANG.objectives:
        for name in objective.names():
            names += [name, name.swapcase(), f" {name} "]
            expected += [(objective.key,)] * 3
    corpus = pq.Corpus(None, make_units(len(names), objectives=names))
    assert corpus.units["objectives"].tolist() == expected


@pytest.mark.parametrize("separator", [";", "；", "、", ",", "，", "|", "\n", "\r\n", " ; ", "；\n"])
def test_every_multi_objective_separator(separator):
    cell = f"应用场景完善{separator}Public safety{separator}权益保护"
    corpus = pq.Corpus(None, make_units(1, objectives=[cell]))
    assert corpus.units.loc[0, "objectives"] == (
        "rights_protection",
        "public_safety",
        "application_scenarios",
    )
    assert len(corpus.codings) == 3


def test_objectives_given_as_lists_and_tuples():
    cells = [["应用场景", "public_safety"], ("技术创新",), ["Statutory Rights Protection", "公共安全与利益"]]
    corpus = pq.Corpus(None, make_units(3, objectives=cells))
    assert corpus.units["objectives"].tolist() == [
        ("public_safety", "application_scenarios"),
        ("tech_innovation",),
        ("rights_protection", "public_safety"),
    ]


def test_objectives_are_tuples_in_framework_order_without_duplicates():
    cells = [
        "应用场景完善; 法定权益保护; 技术安全与创新",
        "public_safety; Public safety；公共安全",  # one objective named three ways
        ";; 技术创新 ;",  # blank parts are dropped
        "application_scenarios|tech_innovation|public_safety|rights_protection",
    ]
    corpus = pq.Corpus(None, make_units(4, objectives=cells))
    objectives = corpus.units["objectives"].tolist()
    assert objectives == [
        ("rights_protection", "tech_innovation", "application_scenarios"),
        ("public_safety",),
        ("tech_innovation",),
        OBJECTIVES,
    ]
    assert all(type(value) is tuple for value in objectives)
    assert corpus.codings.groupby("unit_id", observed=True).size().tolist() == [3, 1, 1, 4]


def test_split_multi():
    assert split_multi("a；b、c,d，e|f\ng;h") == tuple("abcdefgh")
    assert split_multi(["a", " b ", ""]) == ("a", "b")
    assert split_multi(np.nan) == ()
    assert split_multi(pd.NA) == ()
    assert split_multi("  ") == ()


def test_categoricals_hold_every_category_in_framework_order():
    units = make_units(2, instrument=["宣传推广", "标准规范"], objectives=["应用场景", "权益保护"])
    corpus = pq.Corpus(make_documents(level=["省级"]), units)
    instrument = corpus.units["instrument"]
    assert isinstance(instrument.dtype, pd.CategoricalDtype)
    assert instrument.cat.categories.tolist() == list(INSTRUMENTS)
    assert instrument.cat.codes.tolist() == [15, 0]
    level = corpus.documents["level"]
    assert isinstance(level.dtype, pd.CategoricalDtype)
    assert level.cat.categories.tolist() == list(LEVELS) == ["national", "provincial"]
    codings = corpus.codings
    assert codings["instrument"].cat.categories.tolist() == list(INSTRUMENTS)
    assert codings["family"].cat.categories.tolist() == ["mandatory", "voluntary", "mixed"]
    assert codings["objective"].cat.categories.tolist() == list(OBJECTIVES)


# --------------------------------------------------------------------------
# Documents: levels, years, dates, authority.


@pytest.mark.parametrize(
    ("written", "level"),
    [
        ("national", "national"),
        (" NATIONAL ", "national"),
        ("central", "national"),
        ("中央", "national"),
        ("国家级", "national"),
        ("全国", "national"),
        ("provincial", "provincial"),
        ("Province", "provincial"),
        ("local", "provincial"),
        ("省级", "provincial"),
        ("地方", "provincial"),
        ("省", "provincial"),
    ],
)
def test_level_names(written, level):
    corpus = pq.Corpus(make_documents(level=[written]), make_units(1))
    assert corpus.documents.loc[0, "level"] == level


def test_missing_level_stays_missing():
    corpus = pq.Corpus(make_documents(level=[None]), make_units(1))
    assert pd.isna(corpus.documents.loc[0, "level"])


def test_year_is_taken_from_the_date():
    documents = pd.DataFrame(
        {"doc_id": ["A", "B", "C"], "date": ["2023-07-13", "2021/5/6", None], "DA": [3, 3, 3]}
    )
    units = make_units(3, doc_id=["A", "B", "C"])
    corpus = pq.Corpus(documents, units)
    docs = corpus.documents
    assert pd.api.types.is_datetime64_any_dtype(docs["date"])
    assert docs["date"].tolist()[:2] == [pd.Timestamp("2023-07-13"), pd.Timestamp("2021-05-06")]
    assert pd.isna(docs.loc[2, "date"])
    assert str(docs["year"].dtype) == "Int64"
    assert docs["year"].tolist()[:2] == [2023, 2021]
    assert pd.isna(docs.loc[2, "year"])


def test_blank_year_is_filled_from_the_date_and_a_given_year_is_kept():
    documents = pd.DataFrame(
        {"doc_id": ["A", "B"], "year": ["", "2020"], "date": ["2023-07-13", ""], "DA": [3, 3]}
    )
    corpus = pq.Corpus(documents, make_units(2, doc_id=["A", "B"]))
    assert corpus.documents["year"].tolist() == [2023, 2020]


@pytest.mark.parametrize(
    ("written", "score"),
    [
        (5, 5),
        ("4", 4),
        (2.0, 2),
        ("Administrative regulations", 5),
        ("administrative REGULATIONS", 5),
        ("行政法规", 5),
        ("Departmental rules", 3),
        ("部门规章", 3),
        ("部门规范性文件/省级规范性文件", 2),
        ("Normative documents", 2),
        ("部门或省级工作文件", 1),
        ("工作文件", 1),
    ],
)
def test_document_authority_given_as_label_or_score(written, score):
    corpus = pq.Corpus(make_documents(DA=pd.Series([written], dtype=object)), make_units(1))
    assert corpus.documents.loc[0, "DA"] == score
    assert str(corpus.documents["DA"].dtype) == "Int64"


def test_unit_scores_given_as_labels():
    units = make_units(
        3,
        AS=["全部部门、领域或场景", "Several departments, fields or scenarios", "1"],
        MI=["仅宏观表述", 5, "措施较明确、可操作"],
    )
    corpus = pq.Corpus(None, units)
    assert corpus.units["AS"].tolist() == [5, 3, 1]
    assert corpus.units["MI"].tolist() == [1, 5, 3]
    assert str(corpus.units["AS"].dtype) == str(corpus.units["MI"].dtype) == "Int64"


def test_issuers_are_split_into_tuples_and_text_is_stripped():
    documents = make_documents(
        issuers=["国家网信办、国家发展改革委；教育部"], title=["  办法  "], region=[""]
    )
    corpus = pq.Corpus(documents, make_units(1))
    docs = corpus.documents
    assert docs.loc[0, "issuers"] == ("国家网信办", "国家发展改革委", "教育部")
    assert docs.loc[0, "title"] == "办法"
    assert pd.isna(docs.loc[0, "region"])


# --------------------------------------------------------------------------
# Sizes, codings and ids.


def test_lengths_of_documents_units_and_codings():
    documents = pd.DataFrame({"doc_id": ["N01", "P02"], "DA": [5, 1]})
    units = pd.DataFrame(
        {
            "unit_id": ["N01-1-1", "N01-1-2", "P02-1-1"],
            "doc_id": ["N01", "N01", "P02"],
            "instrument": ["标准规范", "试点示范", "Finance"],
            "objectives": ["公共安全；技术创新", "应用场景", "权益保护、公共安全、技术创新"],
            "AS": [5, 3, 1],
            "MI": [1, 3, 5],
        }
    )
    corpus = pq.Corpus(documents, units)
    assert (len(corpus.documents), len(corpus.units), len(corpus.codings), len(corpus)) == (2, 3, 6, 3)
    assert repr(corpus) == "<Corpus wang2026: 2 documents, 3 units, 6 codings>"
    assert corpus.unit_document_positions().tolist() == [0, 0, 1]


def test_codings_have_one_row_per_clause_and_objective():
    units = pd.DataFrame(
        {
            "unit_id": ["N01-1-1", "N01-1-2"],
            "doc_id": ["N01", "N01"],
            "instrument": ["信息支持", "标准规范"],
            "objectives": ["应用场景; 公共安全", "技术创新"],
            "AS": [5, 3],
            "MI": [3, 1],
        }
    )
    codings = pq.Corpus(None, units).codings
    assert list(codings.columns) == ["unit_id", "doc_id", "instrument", "family", "objective"]
    assert codings.astype(object).to_numpy().tolist() == [
        ["N01-1-1", "N01", "information_support", "mixed", "public_safety"],
        ["N01-1-1", "N01", "information_support", "mixed", "application_scenarios"],
        ["N01-1-2", "N01", "standards_and_norms", "mandatory", "tech_innovation"],
    ]
    assert str(codings["unit_id"].dtype) == str(codings["doc_id"].dtype) == "string"


def test_unit_id_parts():
    ids = ["N01-2-3", "P007-12-30", "GB-T-1-2", "N01", "N01-2", "N01-x-3", "N01-2-3a"]
    corpus = pq.Corpus(pd.DataFrame({"doc_id": ["N01"]}), make_units(len(ids), unit_id=ids))
    parts = corpus.unit_id_parts()
    assert list(parts.columns) == ["doc", "chapter", "clause"]
    assert str(parts["chapter"].dtype) == str(parts["clause"].dtype) == "Int64"
    assert parts.iloc[0].tolist() == ["N01", 2, 3]
    assert parts.iloc[1].tolist() == ["P007", 12, 30]
    assert parts.iloc[2].tolist() == ["GB-T", 1, 2]
    assert parts.iloc[3:].isna().all(axis=None)


def test_doc_id_is_derived_from_unit_ids_without_a_doc_id_column():
    units = make_units(3, unit_id=["N01-1-1", "P007-2-3", "N01-3-1"]).drop(columns="doc_id")
    documents = pd.DataFrame({"doc_id": ["P007", "N01"], "DA": [1, 5]})
    corpus = pq.Corpus(documents, units)
    assert corpus.units["doc_id"].tolist() == ["N01", "P007", "N01"]
    assert list(corpus.units.columns[:2]) == ["unit_id", "doc_id"]
    assert corpus.unit_document_positions().tolist() == [1, 0, 1]


def test_documents_none_builds_documents_from_the_units():
    units = make_units(3, unit_id=["B-1-1", "A-1-1", "B-1-2"], doc_id=["B", "A", "B"])
    corpus = pq.Corpus(None, units)
    assert list(corpus.documents.columns) == ["doc_id"]
    assert corpus.documents["doc_id"].tolist() == ["B", "A"]
    derived = pq.Corpus(None, units.drop(columns="doc_id"))
    assert derived.documents["doc_id"].tolist() == ["B", "A"]
    assert derived == corpus


def test_ids_are_text_and_stripped():
    documents = pd.DataFrame({"doc_id": [" 007 "]})
    corpus = pq.Corpus(documents, make_units(1, unit_id=["007-1-1 "], doc_id=["007"]))
    assert corpus.documents.loc[0, "doc_id"] == "007"
    assert corpus.units.loc[0, "unit_id"] == "007-1-1"
    assert str(corpus.units["unit_id"].dtype) == "string"


def test_integer_ids_from_a_dataframe_are_reported():
    # A number where an id belongs is reported, an int as much as a float (issue 13, item 5;
    # integer ids used to be accepted as their text).
    documents = pd.DataFrame({"doc_id": [1, 2]})
    units = make_units(2, unit_id=[10, 11], doc_id=[1, 2])
    error = validation_error(documents, units)
    assert problem_keys(error) == [
        (0, "doc_id", 1, "id was read as a number"),
        (1, "doc_id", 2, "id was read as a number"),
        (0, "unit_id", 10, "id was read as a number"),
        (0, "doc_id", 1, "id was read as a number"),
        (1, "unit_id", 11, "id was read as a number"),
        (1, "doc_id", 2, "id was read as a number"),
    ]
    assert ".astype(str)" in error.problems.loc[0, "expected"]
    # As text, they are ids.
    corpus = pq.Corpus(documents.astype(str), units.astype({"unit_id": str, "doc_id": str}))
    assert corpus.units["unit_id"].tolist() == ["10", "11"]
    assert corpus.units["doc_id"].tolist() == ["1", "2"]


def test_nothing_is_dropped_and_extra_columns_are_kept():
    rows = 40
    units = make_units(
        rows,
        text=["同一文本"] * rows,  # identical clauses are still separate units
        coder=[f"coder{i % 3}" for i in range(rows)],
        confidence=np.linspace(0, 1, rows),
    )
    documents = make_documents(source_url=["https://example.org/n01"])
    corpus = pq.Corpus(documents, units)
    assert len(corpus.units) == rows
    assert corpus.units["unit_id"].tolist() == units["unit_id"].tolist()
    assert corpus.units["coder"].tolist() == units["coder"].tolist()
    # The user's own columns are kept with their values (policyquant may store them as text).
    assert corpus.units["confidence"].astype(str).tolist() == units["confidence"].astype(str).tolist()
    assert corpus.documents.loc[0, "source_url"] == "https://example.org/n01"
    assert list(corpus.units.columns) == [
        "unit_id",
        "doc_id",
        "instrument",
        "objectives",
        "AS",
        "MI",
        "text",
        "coder",
        "confidence",
    ]


def test_inputs_are_not_modified():
    units = make_units(2)
    documents = make_documents()
    before_units, before_documents = units.copy(), documents.copy()
    pq.Corpus(documents, units)
    pd.testing.assert_frame_equal(units, before_units)
    pd.testing.assert_frame_equal(documents, before_documents)


def test_the_index_of_the_input_is_not_carried_over():
    units = make_units(2).set_axis([10, 20])
    assert pq.Corpus(None, units).units.index.tolist() == [0, 1]


# --------------------------------------------------------------------------
# Equality.


def test_equality():
    base = pq.Corpus(make_documents(), make_units(2))
    # The same coding written differently is the same corpus.
    respelled = make_units(
        2,
        instrument=["Standards & norms", "standards_and_norms"],
        objectives=["Public safety", ["公共安全与利益"]],
        AS=["5", 5],
    )
    assert pq.Corpus(make_documents(level=["中央"], DA=["部门规章"]), respelled) == base
    assert pq.Corpus(make_documents(), make_units(2), framework="genai-china") == base
    assert (base != pq.Corpus(make_documents(), make_units(2))) is False


@pytest.mark.parametrize(
    "change",
    [
        lambda d, u: (d, u.assign(instrument=["试点示范", "标准规范"])),
        lambda d, u: (d, u.assign(objectives=["公共安全", "公共安全;应用场景"])),
        lambda d, u: (d, u.assign(AS=[5, 3])),
        lambda d, u: (d.assign(DA=[4]), u),
        lambda d, u: (d.assign(level=["provincial"]), u),
        lambda d, u: (d, u.assign(unit_id=["N01-1-1", "N01-1-9"])),
        lambda d, u: (d, u.iloc[:1]),
        lambda d, u: (d, u.assign(text=["a", "b"])),
        lambda d, u: (d, u.iloc[::-1]),
    ],
    ids=[
        "instrument",
        "objectives",
        "score",
        "DA",
        "level",
        "unit_id",
        "fewer units",
        "extra column",
        "order",
    ],
)
def test_inequality(change):
    documents, units = make_documents(), make_units(2)
    base = pq.Corpus(documents, units)
    other = pq.Corpus(*change(documents.copy(), units.copy()))
    assert other != base
    assert (other == base) is False


def test_comparison_with_other_types_and_hashing():
    corpus = pq.Corpus(make_documents(), make_units(1))
    assert corpus != "corpus"
    with pytest.raises(TypeError):
        hash(corpus)


def test_corpus_with_another_framework_differs():
    units = make_units(1).drop(columns=["objectives", "AS", "MI"]).assign(instrument=["Subsidies"])
    classic = pq.Corpus(None, units, framework="howlett-ramesh-1995")
    assert classic.framework.name == "howlett-ramesh-1995"
    assert len(classic.codings) == 1
    assert list(classic.codings.columns) == ["unit_id", "doc_id", "instrument", "family"]
    wang_units = make_units(1)
    assert pq.Corpus(None, wang_units) != classic


# --------------------------------------------------------------------------
# Validation: one error listing every problem.


def test_one_error_lists_every_problem():
    documents = pd.DataFrame(
        {
            "doc_id": ["N01", "007", "007", ""],
            "level": ["中央", "county", "省级", "national"],
            "year": ["2023", "20x3", "1700", ""],
            "date": ["2023-01-01", "not a date", "", ""],
            "DA": ["行政法规", 6, "foo", 1],
        }
    )
    units = pd.DataFrame(
        {
            "unit_id": ["N01-1-1", "N01-1-1", 1.0, "", "N01-1-5", "N01-1-6"],
            "doc_id": ["N01", "N01", "7", "N01", "N01", "zzz"],
            "instrument": ["Standards and norm", "试点示范", "nope", "", "infrastructure", "infrastructure"],
            "objectives": [
                "public safety; rights protection",
                "bogus",
                "",
                "公共安全",
                "公共安全",
                "公共安全",
            ],
            "AS": [4, 3, 1, 5, 5, 5],
            "MI": [3, "Macro-level only", 5, 1, 1, 7],
        }
    )
    error = validation_error(documents, units)
    assert type(error) is pq.ValidationError
    assert list(error.problems.columns) == list(PROBLEM_COLUMNS)
    assert problem_keys(error) == [
        # documents, by row
        (1, "level", "county", "unknown administrative level"),
        (1, "date", "not a date", "not a date"),
        (1, "year", "20x3", "not a year"),
        (1, "DA", 6, "not a level of DA (Authority strength)"),
        (2, "doc_id", "007", "duplicate doc_id"),
        (2, "year", "1700", "not a year"),
        (2, "DA", "foo", "not a level of DA (Authority strength)"),
        (3, "doc_id", None, "empty required cell"),
        # units, by row
        (0, "instrument", "Standards and norm", "unknown instrument"),
        (0, "AS", 4, "not a level of AS (Audience scope)"),
        (1, "unit_id", "N01-1-1", "duplicate unit_id"),
        (1, "objectives", "bogus", "unknown objective"),
        (2, "unit_id", 1.0, "id was read as a number"),
        (2, "doc_id", "7", "no document with this doc_id"),
        (2, "instrument", "nope", "unknown instrument"),
        (2, "objectives", None, "empty required cell"),
        (3, "unit_id", None, "empty required cell"),
        (3, "instrument", None, "empty required cell"),
        (5, "doc_id", "zzz", "no document with this doc_id"),
        (5, "MI", 7, "not a level of MI (Measure intensity)"),
    ]
    message = str(error)
    assert message.startswith("the coding: 20 problems found:\n")
    assert "... and 0 more" not in message
    assert "row 0, column 'instrument', value 'Standards and norm': unknown instrument" in message
    assert error.problems["file"].isna().all()


def test_problems_name_the_source_files():
    error = validation_error(make_documents(DA=[9]), make_units(1, AS=[4]))
    assert error.problems["file"].isna().all()
    with pytest.raises(pq.ValidationError) as info:
        pq.Corpus(
            make_documents(DA=[9]),
            make_units(1, AS=[4]),
            sources={"documents": "docs.csv", "units": "units.csv"},
        )
    problems = info.value.problems
    assert problems["file"].tolist() == ["docs.csv", "units.csv"]
    assert problems["column"].tolist() == ["DA", "AS"]
    assert str(info.value).startswith("docs.csv, units.csv: 2 problems found:")


def test_problems_are_sorted_by_row_within_each_table():
    # Columns are checked one after the other; the report is still top to bottom.
    units = make_units(
        6,
        instrument=["标准规范"] * 5 + ["nope"],
        objectives=["公共安全"] * 4 + ["bogus", "公共安全"],
        AS=[5, 5, 5, 4, 5, 5],
        MI=[3, 3, 2, 3, 3, 3],
    )
    units.loc[1, "unit_id"] = "N01-1-1"
    documents = pd.DataFrame({"doc_id": ["N01", "X", "X"], "DA": [9, 3, 3]})
    error = validation_error(documents, units)
    problems = error.problems
    assert problems["column"].tolist() == ["DA", "doc_id", "unit_id", "MI", "AS", "objectives", "instrument"]
    assert problems["row"].tolist() == [0, 2, 1, 2, 3, 4, 5]
    documents_part = problems.iloc[:2]["row"]
    units_part = problems.iloc[2:]["row"]
    assert documents_part.is_monotonic_increasing
    assert units_part.is_monotonic_increasing


def test_missing_required_columns_with_suggestions_for_near_headers():
    units = make_units(1).rename(columns={"instrument": "instrumnet", "objectives": "Objective"})
    error = validation_error(pd.DataFrame({"docid": ["N01"]}), units)
    missing = error.problems[error.problems["problem"] == "missing required column"]
    assert missing[["column", "suggestions"]].to_numpy().tolist() == [
        ["doc_id", "docid"],
        ["instrument", "instrumnet"],
        ["objectives", "Objective"],
    ]
    assert missing["row"].isna().all()
    assert "did you mean instrumnet?" in str(error)


def test_missing_required_columns_without_a_near_header():
    units = make_units(1).drop(columns=["unit_id", "instrument"])
    error = validation_error(None, units)
    assert problem_keys(error) == [
        (None, "unit_id", None, "missing required column"),
        (None, "instrument", None, "missing required column"),
    ]
    assert error.problems["suggestions"].isna().all()


def test_unknown_instrument_suggests_the_nearest_instrument():
    error = validation_error(None, make_units(1, instrument=["Standards and norm"]))
    (problem,) = error.problems.to_dict("records")
    assert problem["column"] == "instrument"
    assert problem["value"] == "Standards and norm"
    assert problem["problem"] == "unknown instrument"
    assert problem["expected"].startswith("one of standards_and_norms, infrastructure, ")
    assert problem["suggestions"].startswith("Standards and Norms")
    assert suggested_keys(problem["suggestions"], "instrument")[0] == "standards_and_norms"
    assert isinstance(error, pq.ValidationError)


def test_unknown_instrument_suggestions_name_distinct_instruments():
    error = validation_error(None, make_units(1, instrument=["Standards and norm"]))
    keys = suggested_keys(error.problems.loc[0, "suggestions"], "instrument")
    assert keys[0] == "standards_and_norms"
    assert len(keys) == len(set(keys))


def test_unknown_objective_names_the_part_that_is_unknown():
    error = validation_error(None, make_units(2, objectives=["公共安全; Public safty", ["nope", "应用场景"]]))
    assert problem_keys(error) == [
        (0, "objectives", "Public safty", "unknown objective"),
        (1, "objectives", "nope", "unknown objective"),
    ]
    assert suggested_keys(error.problems.loc[0, "suggestions"], "objective")[0] == "public_safety"
    assert error.problems.loc[1, "suggestions"] is None or pd.isna(error.problems.loc[1, "suggestions"])
    assert error.problems.loc[0, "expected"] == (
        "one of rights_protection, public_safety, tech_innovation, application_scenarios"
    )


def test_audience_scope_4_is_not_a_level():
    error = validation_error(None, make_units(2, AS=[5, 4]))
    assert type(error) is pq.ValidationError
    (problem,) = error.problems.to_dict("records")
    assert (problem["row"], problem["column"], problem["value"]) == (1, "AS", 4)
    assert problem["problem"] == "not a level of AS (Audience scope)"
    assert problem["expected"] == (
        "5 (All departments, fields or scenarios), 3 (Several departments, fields or scenarios), "
        "1 (A single department, field or scenario)"
    )
    assert "column 'AS', value 4: not a level of AS" in str(error)


@pytest.mark.parametrize("value", [0, 6, "six", "Departmental", 3.5, ""])
def test_authority_must_be_a_level(value):
    error = validation_error(make_documents(DA=pd.Series([value], dtype=object)), make_units(1))
    (problem,) = error.problems.to_dict("records")
    assert problem["column"] == "DA"
    assert problem["row"] == 0
    assert problem["problem"] == (
        "missing score" if value == "" else "not a level of DA (Authority strength)"
    )
    assert problem["expected"].startswith(
        "5 (Administrative regulations), 4 (State Council normative documents)"
    )


def test_missing_unit_scores_are_reported():
    error = validation_error(None, make_units(2, MI=[None, 3]))
    assert problem_keys(error) == [(0, "MI", None, "missing score")]


def test_duplicate_unit_id_names_the_first_row():
    units = make_units(4, unit_id=["a", "b", "a", "a"])
    error = validation_error(None, units)
    assert problem_keys(error) == [
        (2, "unit_id", "a", "duplicate unit_id"),
        (3, "unit_id", "a", "duplicate unit_id"),
    ]
    assert error.problems["expected"].tolist() == ["unique unit_ids; first used in row 0"] * 2


def test_duplicate_doc_id_names_the_first_row():
    documents = pd.DataFrame({"doc_id": ["A", "N01", "B", "N01"]})
    error = validation_error(documents, make_units(1))
    assert problem_keys(error) == [(3, "doc_id", "N01", "duplicate doc_id")]
    assert error.problems.loc[0, "expected"] == "unique doc_ids; first used in row 1"


def test_orphan_doc_id_suggests_the_padded_id():
    documents = pd.DataFrame({"doc_id": ["007", "N01"]})
    units = make_units(3, doc_id=["7", "N01", "N02"])
    error = validation_error(documents, units)
    assert problem_keys(error) == [
        (0, "doc_id", "7", "no document with this doc_id"),
        (2, "doc_id", "N02", "no document with this doc_id"),
    ]
    assert error.problems.loc[0, "suggestions"] == "007"
    assert error.problems.loc[1, "suggestions"] == "N01"
    assert (
        "value '7': no document with this doc_id; expected a doc_id of the documents table; did you mean 007?"
        in str(error)
    )


@pytest.mark.parametrize("blank", ["", "   ", None, np.nan])
def test_blank_required_cells(blank):
    units = make_units(4)
    units["unit_id"] = units["unit_id"].astype(object)
    units.loc[0, "unit_id"] = blank
    units.loc[1, "doc_id"] = blank
    units.loc[2, "instrument"] = blank
    units.loc[3, "objectives"] = blank
    error = validation_error(make_documents(), units)
    assert problem_keys(error) == [
        (0, "unit_id", None, "empty required cell"),
        (1, "doc_id", None, "empty required cell"),
        (2, "instrument", None, "empty required cell"),
        (3, "objectives", None, "empty required cell"),
    ]


@pytest.mark.parametrize("blank", ["", "   "])
def test_blank_doc_id_without_documents_is_reported_once(blank):
    units = make_units(3, doc_id=["N01", blank, "N01"])
    error = validation_error(None, units)
    assert problem_keys(error) == [(1, "doc_id", None, "empty required cell")]


def test_float_ids_from_a_dataframe_are_reported():
    documents = pd.DataFrame({"doc_id": [1.0, 2.0]})
    units = make_units(2, unit_id=[1.0, 2.0], doc_id=["1.0", "2.0"])
    error = validation_error(documents, units)
    assert problem_keys(error) == [
        (0, "doc_id", 1.0, "id was read as a number"),
        (1, "doc_id", 2.0, "id was read as a number"),
        (0, "unit_id", 1.0, "id was read as a number"),
        (1, "unit_id", 2.0, "id was read as a number"),
    ]
    assert ".astype(str)" in error.problems.loc[0, "expected"]


def test_unknown_level():
    error = validation_error(make_documents(level=["Nationall"]), make_units(1))
    assert problem_keys(error) == [(0, "level", "Nationall", "unknown administrative level")]
    assert error.problems.loc[0, "expected"] == "national or provincial"
    assert error.problems.loc[0, "suggestions"] == "national"


@pytest.mark.parametrize(
    ("column", "value", "problem"),
    [
        ("year", "twenty", "not a year"),
        ("year", "2023.5", "not a year"),
        ("year", "99999", "not a year"),
        ("year", "1066", "not a year"),
        ("date", "2023-13-45", "not a date"),
        ("date", "yesterday", "not a date"),
    ],
)
def test_bad_year_or_date(column, value, problem):
    error = validation_error(make_documents(**{column: [value]}), make_units(1))
    assert problem_keys(error) == [(0, column, value, problem)]


def test_every_problem_is_collected_and_the_message_counts_the_rest():
    rows = 5000
    units = make_units(rows, instrument=["no such tool"] * rows, objectives=["nope"] * rows, AS=[4] * rows)
    error = validation_error(None, units)
    assert MAX_PROBLEMS >= 1_000_000  # a guard on memory, not a limit on the report
    assert len(error.problems) == 3 * rows
    assert error.complete
    assert str(error).startswith("the coding: 15,000 problems found:")
    assert "... and 14,980 more (see .problems)" in str(error)
    assert error.problems["row"].is_monotonic_increasing


def test_the_memory_guard_says_where_it_stopped(monkeypatch):
    monkeypatch.setattr("policyquant.corpus.MAX_PROBLEMS", 1000)
    rows = 5000
    units = make_units(rows, instrument=["no such tool"] * rows, objectives=["nope"] * rows, AS=[4] * rows)
    error = validation_error(None, units)
    assert len(error.problems) == 1000
    assert not error.complete
    assert str(error).startswith("the coding: 1,000+ problems found:")
    assert "... and 980+ more (see .problems; " in str(error)
    assert "stopped looking after 1,000 problems, at column 'instrument', row 1000" in str(error)


def test_validation_errors_are_policyquant_errors():
    error = validation_error(None, make_units(1, AS=[4]))
    assert isinstance(error, pq.PolicyQuantError)
    assert isinstance(error, ValueError)


def test_units_must_be_a_dataframe():
    with pytest.raises(pq.ValidationError, match=r"units must be a pandas\.DataFrame, got list"):
        pq.Corpus(None, [{"unit_id": "a"}])
    with pytest.raises(pq.ValidationError, match=r"documents must be a pandas\.DataFrame or None, got dict"):
        pq.Corpus({"doc_id": ["a"]}, make_units(1))


def test_unknown_framework():
    with pytest.raises(pq.UnknownFrameworkError):
        pq.Corpus(None, make_units(1), framework="nope")


def test_unsplittable_unit_id_without_doc_id_is_reported_once_with_its_row():
    units = make_units(3, unit_id=["N01-1-1", "weird", "N01-1-3"]).drop(columns="doc_id")
    error = validation_error(None, units)
    assert len(error.problems) == 1
    assert error.problems.loc[0, "row"] == 1
    assert error.problems.loc[0, "value"] == "weird"


def test_problem_rows_stay_integers_next_to_rowless_problems():
    units = make_units(1, AS=[4]).drop(columns="instrument")
    error = validation_error(None, units)
    assert [str(r) for r in error.problems["row"].dropna()] == ["0"]


def test_missing_column_message_names_the_column():
    error = validation_error(None, make_units(1).drop(columns=["instrument", "objectives"]))
    assert error.problems["expected"].tolist() == ["a column 'instrument'", "a column 'objectives'"]

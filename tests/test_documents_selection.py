"""Sample selection, recorded (issue 15 item 3): the query language, the screening principles, the record.

Every document given comes out with the step that included or excluded it and why; the
selection table adds up; a query that cannot be read points at the position; the flow
diagram draws in English and Chinese; the HTML report gains a "sample" section.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import warnings
from datetime import date

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matplotlib import font_manager

import policyquant as pq
from policyquant import plotting
from policyquant.documents import parse_query, select
from policyquant.documents.selection import MAX_QUERY_DEPTH, MAX_QUERY_LENGTH, Query, QueryError, Selection
from policyquant.errors import InputTypeError, ValidationError
from policyquant.plotting import FontWarning

DOCS = pd.DataFrame(
    {
        "doc_id": ["D1", "D2", "D3", "D4", "D5", "D6"],
        "title": [
            "生成式人工智能服务管理暂行办法",
            "区块链信息服务管理规定",
            "Interim Measures for Generative AI Services",
            "关于加快人工智能产业发展的实施意见",
            "数据安全管理办法",
            "AIDS prevention notice",
        ],
        "text": [
            "为了促进生成式人工智能健康发展和规范应用，提供者应当依法开展预训练。",
            "本规定所称区块链信息服务，应当落实信息内容安全管理责任。",
            "These measures regulate generative AI services. Said providers shall label content.",
            "推动人工 智能\n与实体经济深度融合；加强数据安全。",
            "ＡＩ safety and data security（试行）",
            "said aids",
        ],
    }
)


def found(query: str, documents: pd.DataFrame = DOCS) -> set[str]:
    matches = parse_query(query).matches(documents)
    return set(matches.index[matches.to_numpy()])


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# -- The query language -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # Chinese terms match anywhere, across a space or line break inside the word.
        ("人工智能", {"D1", "D4"}),
        ("生成式", {"D1"}),
        # Latin terms: whole words, any case, full-width folded; not inside AIDS or said.
        ("AI", {"D3", "D5"}),
        ("ai", {"D3", "D5"}),
        ("aids", {"D6"}),
        ("said", {"D3", "D6"}),
        ("regulat*", {"D3"}),
        ("secur?ty", {"D5"}),
        # AND, its spellings and the implicit AND.
        ("人工智能 AND 数据", {"D4"}),
        ("人工智能 && 数据", {"D4"}),
        ("人工智能 数据", {"D4"}),
        # OR.
        ("人工智能 OR 区块链", {"D1", "D2", "D4"}),
        ("人工智能 || 区块链", {"D1", "D2", "D4"}),
        # NOT, its spellings, and binary NOT as AND NOT.
        ("人工智能 NOT 数据", {"D1"}),
        ("人工智能 -数据", {"D1"}),
        ("人工智能 AND !数据", {"D1"}),
        ("NOT 人工智能", {"D2", "D3", "D5", "D6"}),
        # Phrases: the words in order.
        ('"generative AI"', {"D3"}),
        ('"AI generative"', set()),
        ("“生成式人工智能”", {"D1"}),
        ('"人工智能 与实体经济"', {"D4"}),
        # Fields, Chinese field names, a field over a group.
        ("title:管理规定", {"D2"}),
        ("text:管理规定", set()),
        ("标题：区块链", {"D2"}),
        ("全文:预训练", {"D1"}),
        ("title:(AI OR 区块链)", {"D2", "D3"}),
        ('text:"data security"', {"D5"}),
        # Full-width operators, parentheses and spaces.
        ("（人工智能　ＯＲ 区块链）ＡＮＤ 安全", {"D2", "D4"}),
        # Precedence: NOT over AND over OR.
        ("AI OR 区块链 AND 安全", {"D2", "D3", "D5"}),
        ("(AI OR 区块链) AND 安全", {"D2", "D5"}),
        ("NOT AI AND 安全", {"D2", "D4"}),
        # Nesting.
        ("((人工智能 OR AI) AND NOT (区块链 OR aids)) OR title:数据", {"D1", "D3", "D4", "D5"}),
        ("NOT (NOT 人工智能)", {"D1", "D4"}),
        # Operators are capitals: a lower-case "and" is a word to search for.
        ("人工智能 and 数据", set()),
    ],
)
def test_query_language(query, expected):
    assert found(query) == expected


def test_a_query_reads_back_in_canonical_form():
    query = parse_query('title:(AI OR 人工智能) 生成式 -区块链 || "数据 安全"')
    assert str(query) == '(title:AI OR title:人工智能) AND 生成式 AND NOT 区块链 OR "数据 安全"'
    assert str(parse_query(str(query))) == str(query)
    assert [t.field for t in query.terms] == ["title", "title", None, None, None]
    assert parse_query(query) is query


def test_matches_is_a_series_by_doc_id_in_the_documents_order():
    matches = parse_query("人工智能").matches(DOCS)
    assert matches.index.tolist() == DOCS["doc_id"].tolist()
    assert matches.dtype == bool


def test_a_table_without_titles_searches_its_text_by_default():
    documents = DOCS.drop(columns="title")
    assert found("人工智能", documents) == {"D1", "D4"}
    with pytest.raises(ValidationError, match="fields=") as caught:
        select(documents, "人工智能", fields=["headline"])
    assert caught.value.problems.loc[0, "column"] == "headline"


# -- Queries that cannot be read ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "offset", "says"),
    [
        ("(人工智能 AND 大模型", 0, "'(' at column 1 is never closed"),
        ("人工智能 AND (生成式 OR 大模型", 9, "never closed"),
        ("AI)", 2, "')' at column 3 closes no '('"),
        ("人工智能 AND", 5, "AND at column 6 has no term after it"),
        ("AND 人工智能", 0, "has no term before it"),
        ("a OR OR b", 2, "OR at column 3 has no term after it"),
        ("a || ", 2, "|| at column 3 has no term after it"),
        ("a AND NOT", 6, "NOT at column 7 has no term after it"),
        ("a AND NOT (b OR)", 13, "OR at column 14 has no term after it"),
        ("(a OR (b +c))", 9, "'+'"),
        ("- a", 0, "'-' at column 1 is not written against a term"),
        ("()", 0, "empty"),
        ("a (NOT)", 3, "NOT at column 4"),
        ("title: 人工智能", 0, "no term right after the colon"),
        ('"人工智能', 0, "quote at column 1 is never closed"),
        ("*", 0, "nothing to search for"),
        ("   ", 0, "empty"),
        ("a AND\n(b OR", 6, "never closed"),
    ],
)
def test_a_query_that_cannot_be_read_points_at_the_position(query, offset, says):
    with pytest.raises(QueryError) as caught:
        parse_query(query)
    error = caught.value
    assert isinstance(error, ValidationError)
    assert error.offset == offset, str(error)
    assert says in str(error)
    lines = str(error).splitlines()
    # The query's line, then a caret under the position (a Chinese character is two columns wide).
    line_start = query.rfind("\n", 0, offset) + 1
    shown = query[line_start:].split("\n")[0]
    assert lines[1] == "    " + shown
    width = sum(2 if "\u4e00" <= c <= "\u9fff" else 1 for c in query[line_start:offset])
    assert lines[2] == "    " + " " * width + "^"
    assert error.problems.loc[0, "column"] == "query"


def test_an_unknown_field_points_at_it_and_names_the_columns():
    with pytest.raises(QueryError) as caught:
        select(DOCS, "人工智能 AND titel:办法")
    assert caught.value.offset == 9
    assert "titel" in str(caught.value) and "closest: title" in str(caught.value)


def test_too_long_or_too_deep_a_query_is_refused_not_a_crash():
    with pytest.raises(QueryError, match="at most"):
        parse_query("a " * MAX_QUERY_LENGTH)
    deep = "(" * (MAX_QUERY_DEPTH + 1) + "a" + ")" * (MAX_QUERY_DEPTH + 1)
    with pytest.raises(QueryError, match="nested") as caught:
        parse_query(deep)
    assert caught.value.offset == MAX_QUERY_DEPTH
    assert str(parse_query("(" * MAX_QUERY_DEPTH + "a" + ")" * MAX_QUERY_DEPTH)) == "a"
    assert str(parse_query("NOT " * 2001 + "a")) == "NOT a"


def test_a_query_that_is_not_text_is_a_type_error():
    with pytest.raises(InputTypeError, match="query must be text"):
        parse_query(42)  # type: ignore[arg-type]


# -- Property tests ----------------------------------------------------------------------------

WORDS = ["人工智能", "数据", "安全", "区块链", "AI", "data", "governance", "治理"]
LEVELS = ["national", "provincial", "municipal", "国家级", "省级", None]
FORMS = ["办法", "暂行办法", "条例", "通知", "实施意见", None]
DATES = ["2016-05-01", "2017-07-01", "2020-01-15", "2025-06-30", "2025-07-01", "2021年3月4日", None, "soon"]


@st.composite
def documents(draw):
    n = draw(st.integers(0, 10))
    words = st.lists(st.sampled_from(WORDS), max_size=5)
    separator = st.sampled_from([" ", "", "，", "\n"])
    rows = []
    for i in range(n):
        rows.append(
            {
                "doc_id": f"D{i:02d}",
                "title": draw(separator).join(draw(words)),
                "text": draw(separator).join(draw(words)),
                "issue_date": draw(st.sampled_from(DATES)),
                "level": draw(st.sampled_from(LEVELS)),
                "form": draw(st.sampled_from(FORMS)),
            }
        )
    return pd.DataFrame(rows, columns=["doc_id", "title", "text", "issue_date", "level", "form"])


def _leaf():
    term = st.sampled_from(WORDS)
    return st.one_of(
        term,
        term.map(lambda t: f'"{t}"'),
        st.tuples(st.sampled_from(["title:", "text:"]), term).map("".join),
    )


queries = st.recursive(
    _leaf(),
    lambda inner: st.one_of(
        inner.map(lambda q: f"NOT ({q})"),
        st.tuples(inner, st.sampled_from([" AND ", " OR ", " ", " && ", " || "]), inner).map(
            lambda p: f"({p[0]}){p[1]}({p[2]})"
        ),
    ),
    max_leaves=6,
)

screening = st.fixed_dictionaries(
    {
        "period": st.sampled_from([None, ("2017-07", "2025-06"), (None, "2020"), pd.Period("2025")]),
        "level": st.sampled_from([None, "national", ["national", "provincial"]]),
        "forms": st.sampled_from([None, ["办法", "意见"], ["条例"]]),
        "duplicates": st.booleans(),
    }
)

PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(documents(), queries, screening, st.data())
def test_the_selection_table_adds_up_and_every_document_is_recorded(docs, query, options, data):
    exclude = (
        data.draw(st.lists(st.sampled_from(docs["doc_id"].tolist()), unique=True)) if len(docs) else None
    )
    selection = select(docs, query, exclude=exclude or None, **options)
    table = selection.to_frame().reset_index()
    counts = selection.counts()
    assert counts["searched"] == len(docs)
    no_match = int(table.loc[table["step"] == "query", "documents"].sum())
    assert counts["searched"] == no_match + counts["found"]
    excluded = int(
        table.loc[~table["step"].isin(["searched", "query", "found", "included"]), "documents"].sum()
    )
    assert counts["found"] == excluded + counts["included"]
    records = selection.records.to_frame().reset_index()
    assert records["doc_id"].tolist() == docs["doc_id"].tolist(), "every document, once, in order"
    assert (records["reason"] != "").all(), "none without its reason"
    assert selection.kept["doc_id"].tolist() == records.loc[records["included"], "doc_id"].tolist()
    assert list(selection.kept.columns) == list(docs.columns)
    by_step = records.groupby("step").size()
    for step, count in by_step.items():
        if step not in ("included", "query"):
            assert table.loc[table["step"] == step, "documents"].sum() == count


@PROPERTY
@given(documents(), queries, screening, st.randoms(use_true_random=False))
def test_the_selection_does_not_depend_on_the_order_of_rows(docs, query, options, random):
    order = list(range(len(docs)))
    random.shuffle(order)
    shuffled = docs.iloc[order].reset_index(drop=True)
    first, second = select(docs, query, **options), select(shuffled, query, **options)
    pd.testing.assert_frame_equal(first.to_frame(), second.to_frame())
    pd.testing.assert_frame_equal(
        first.records.to_frame().sort_index(), second.records.to_frame().sort_index()
    )


@PROPERTY
@given(documents(), queries)
def test_not_is_the_complement(docs, query):
    matches = parse_query(query).matches(docs)
    negated = parse_query(f"NOT ({query})").matches(docs)
    assert (negated.to_numpy() == ~matches.to_numpy()).all()


@PROPERTY
@given(documents(), queries, queries, screening)
def test_de_morgan_gives_identical_selections(docs, a, b, options):
    for left, right in (
        (f"NOT (({a}) OR ({b}))", f"NOT ({a}) AND NOT ({b})"),
        (f"NOT (({a}) AND ({b}))", f"NOT ({a}) OR NOT ({b})"),
    ):
        one, other = select(docs, left, **options), select(docs, right, **options)
        pd.testing.assert_frame_equal(one.to_frame(), other.to_frame())
        pd.testing.assert_frame_equal(one.records.to_frame(), other.records.to_frame())


@PROPERTY
@given(queries)
def test_the_canonical_form_reads_back_to_the_same_query(query):
    parsed = parse_query(query)
    again = parse_query(str(parsed))
    assert str(again) == str(parsed)
    assert [str(t) for t in again.terms] == [str(t) for t in parsed.terms]


@PROPERTY
@given(documents(), queries)
def test_implicit_and_is_and(docs, query):
    with_and = parse_query(f"({query}) AND 数据").matches(docs)
    side_by_side = parse_query(f"({query}) 数据").matches(docs)
    assert (with_and == side_by_side).all()


# -- The screening principles --------------------------------------------------------------------

SCREEN = pd.DataFrame(
    {
        "doc_id": ["A", "B", "C", "D", "E", "F", "G", "H"],
        "title": ["人工智能办法"] * 8,
        "text": [f"人工智能第{i}条" for i in range(8)],
        "issue_date": [
            "2017-06-30",
            "2017-07-01",
            "2025-06-30",
            "2025-07-01",
            None,
            "not a date",
            "2021年11月25日",
            pd.Timestamp("2023-02-03"),
        ],
        "level": ["national", "provincial", "省级", "municipal", None, "national", "国家级", "county"],
        "form": ["办法", "暂行办法", "实施意见", "通知", "条例", None, "规定", "意见"],
    }
)


def _steps(selection: Selection) -> dict[str, str]:
    return selection.records.to_frame()["step"].to_dict()


@pytest.mark.parametrize(
    "period",
    [
        ("2017-07", "2025-06"),
        ("2017-07-01", "2025-06-30"),
        (date(2017, 7, 1), pd.Timestamp("2025-06-30")),
        (pd.Period("2017-07", "M"), pd.Period("2025-06", "M")),
        "2017-07/2025-06",
    ],
)
def test_period_in_every_spelling_includes_both_ends(period):
    selection = select(SCREEN, None, period=period)
    steps = _steps(selection)
    assert steps == {
        "A": "period",
        "B": "included",
        "C": "included",
        "D": "period",
        "E": "period",
        "F": "period",
        "G": "included",
        "H": "included",
    }
    reasons = selection.records.to_frame()
    assert reasons.loc["A", "reason"] == "issued before 2017-07-01"
    assert reasons.loc["A", "detail"] == "2017-06-30"
    assert reasons.loc["D", "reason"] == "issued after 2025-06-30"
    assert reasons.loc["E", "reason"] == "no issue date"
    assert reasons.loc["F", "reason"] == "issue date not readable"
    assert reasons.loc["F", "detail"] == "not a date"


def test_dates_as_objects_count_and_a_number_is_no_date():
    documents = pd.DataFrame(
        {
            "doc_id": ["A", "B", "C"],
            "text": ["甲", "乙", "丙"],
            "date": pd.Series([date(2020, 1, 2), 5, pd.Timestamp("2020-03-04", tz="Asia/Shanghai")], dtype=object),
        }
    )
    records = select(documents, None, period="2020").records.to_frame()
    assert records["step"].tolist() == ["included", "period", "included"]
    assert records.loc["B", "reason"] == "issue date not readable"
    assert records.loc["B", "detail"] == "5"


def test_one_year_and_open_ends():
    assert {
        k for k, v in _steps(select(SCREEN, None, period=pd.Period("2023"))).items() if v == "included"
    } == {"H"}
    assert {k for k, v in _steps(select(SCREEN, None, period="2021")).items() if v == "included"} == {"G"}
    kept = {k for k, v in _steps(select(SCREEN, None, period=(None, "2017-07"))).items() if v == "included"}
    assert kept == {"A", "B"}


@pytest.mark.parametrize(
    ("period", "says"),
    [
        (("2025", "2017"), "after the end"),
        (("someday", "2020"), "cannot read 'someday'"),
        ((None, None), "give a start"),
        (("2017",), r"must be \(start, end\)"),
    ],
)
def test_a_period_that_cannot_be_read_is_refused(period, says):
    with pytest.raises(ValidationError, match=says):
        select(SCREEN, None, period=period)


def test_the_date_column_falls_back_to_date_and_a_missing_one_names_extract_metadata():
    dated = SCREEN.rename(columns={"issue_date": "date"})
    assert _steps(select(dated, None, period=("2017-07", "2025-06"))) == _steps(
        select(SCREEN, None, period=("2017-07", "2025-06"))
    )
    for argument, column in (("period", "issue_date"), ("level", "level"), ("forms", "form")):
        with pytest.raises(ValidationError) as caught:
            select(DOCS, "人工智能", **{argument: ["national"] if argument != "period" else ("2017", "2025")})
        assert f"'{column}'" in str(caught.value) and "extract_metadata" in str(caught.value)
        assert caught.value.problems.loc[0, "column"] == column


def test_levels_by_key_or_chinese_label_and_a_missing_level_is_excluded_with_its_reason():
    selection = select(SCREEN, None, level=["national", "provincial"])
    assert {k for k, v in _steps(selection).items() if v == "included"} == {"A", "B", "C", "F", "G"}
    records = selection.records.to_frame()
    assert records.loc["D", "reason"] == "level not selected: municipal"
    assert records.loc["E", "reason"] == "no level"
    assert _steps(select(SCREEN, None, level="省级")) == _steps(select(SCREEN, None, level="provincial"))
    zh = selection.records.to_frame(language="zh")
    assert zh.loc["D", "原因"] == "层级不在范围内：市级"


def test_an_unknown_level_is_refused_with_the_closest():
    with pytest.raises(ValidationError) as caught:
        select(SCREEN, None, level="provincal")
    assert "provincial" in caught.value.problems.loc[0, "suggestions"]
    with pytest.raises(ValidationError, match="at least one"):
        select(SCREEN, None, level=[])


def test_forms_admit_the_forms_ending_with_them():
    selection = select(SCREEN, None, forms=["办法", "意见"])
    assert {k for k, v in _steps(selection).items() if v == "included"} == {"A", "B", "C", "H"}
    records = selection.records.to_frame()
    assert records.loc["D", "reason"] == "form not selected: 通知"
    assert records.loc["F", "reason"] == "no document form"
    with pytest.raises(ValidationError, match="forms"):
        select(SCREEN, None, forms=[""])


def test_the_exclusion_list_with_and_without_reasons():
    selection = select(SCREEN, None, exclude={"B": "not formally published", "C": "duplicate of B"})
    rows = selection.to_frame().loc["exclude"]
    assert dict(zip(rows["reason"], rows["documents"], strict=True)) == {
        "duplicate of B": 1,
        "not formally published": 1,
    }
    listed = select(SCREEN, None, exclude=["B", "C"])
    assert listed.to_frame().loc[["exclude"], "reason"].tolist() == ["excluded by the researcher"]
    assert listed.to_frame(language="zh").iloc[-2]["原因"] == "研究者剔除"
    assert select(SCREEN, None, exclude="B").counts()["exclude"] == 1


@pytest.mark.parametrize(
    ("exclude", "says"),
    [({"Z": "typo"}, "not a doc_id"), ({"B": 3}, "not a text"), (42, "exclude must map")],
)
def test_an_exclusion_that_cannot_be_applied_is_refused(exclude, says):
    with pytest.raises(ValidationError, match=says):
        select(SCREEN, None, exclude=exclude)


def test_the_steps_apply_in_order_each_document_at_its_first():
    selection = select(
        SCREEN,
        "人工智能 NOT 第7条",
        period=("2017-07", "2025-06"),
        level=["national", "provincial"],
        forms=["办法", "意见"],
        exclude={"B": "not formally published"},
    )
    assert _steps(selection) == {
        "A": "period",
        "B": "exclude",
        "C": "included",
        "D": "period",
        "E": "period",
        "F": "period",
        "G": "form",
        "H": "query",
    }
    assert selection.to_frame().index.tolist() == [
        "searched",
        "query",
        "found",
        "duplicate",
        "period",
        "period",
        "period",
        "period",
        "level",
        "form",
        "exclude",
        "included",
    ]


def test_duplicate_texts_keep_the_smallest_doc_id_whatever_the_order():
    documents = pd.DataFrame(
        {
            "doc_id": ["P2", "P1", "P3"],
            "text": ["第一条　为了规范ＡＩ服务。", "第一条 为了规范AI服务。", "第一条 另一文件"],
        }
    )
    selection = select(documents, None)
    records = selection.records.to_frame()
    assert records.loc["P2", "step"] == "duplicate"
    assert records.loc["P2", "detail"] == "same text as P1"
    assert selection.records.to_frame(language="zh").loc["P2", "依据"] == "与 P1 文本相同"
    assert selection.kept["doc_id"].tolist() == ["P1", "P3"]
    assert select(documents, None, duplicates=False).counts()["included"] == 3


@pytest.mark.parametrize(
    ("frame", "says"),
    [
        (pd.DataFrame({"doc_id": ["A", "A"], "text": ["x", "y"]}), "repeated"),
        (pd.DataFrame({"doc_id": ["A", None], "text": ["x", "y"]}), "missing"),
        (pd.DataFrame({"doc_id": ["A"]}), "'text'"),
    ],
)
def test_documents_without_their_own_ids_or_text_are_refused(frame, says):
    with pytest.raises(ValidationError, match=says):
        select(frame, "x")


def test_a_document_set_and_odd_inputs():
    class Documents:
        def to_frame(self):
            return DOCS

    assert select(Documents(), "人工智能").counts()["included"] == 2
    with pytest.raises(InputTypeError, match="DocumentSet"):
        select(["not", "documents"], "x")
    numbers = pd.DataFrame({"doc_id": [1, 2], "text": ["人工智能", None]})
    records = select(numbers, "人工智能").records.to_frame()
    assert records.index.tolist() == ["1", "2"], "ids come out as text"


# -- The result ------------------------------------------------------------------------------------


def test_the_selection_table_in_english_and_chinese_and_its_exports(tmp_path):
    selection = select(
        SCREEN, "人工智能", period=("2017-07", "2025-06"), exclude={"B": "not formally published"}
    )
    english = selection.to_frame(language="en")
    chinese = selection.to_frame(language="zh")
    assert [english.index.name, *english.columns] == ["Step", "Reason", "Documents"]
    assert [chinese.index.name, *chinese.columns] == ["步骤", "原因", "文件数"]
    assert chinese.shape == selection.to_frame().shape
    assert chinese.index.tolist()[:3] == ["检索范围", "检索式", "检索所得"]
    assert "发布于 2017-07-01 之前" in chinese["原因"].tolist()
    assert chinese["文件数"].tolist() == selection.to_frame()["documents"].tolist()
    for suffix in ("csv", "xlsx", "md", "html"):
        path = selection.save(tmp_path / f"selection.{suffix}", language="zh")
        assert path.stat().st_size > 0
    assert "检索所得" in (tmp_path / "selection.csv").read_text(encoding="utf-8")
    path = selection.records.save(tmp_path / "documents.csv", language="zh")
    back = pd.read_csv(path, dtype=str, encoding="utf-8-sig")
    assert back.columns.tolist() == ["文件编号", "标题", "是否纳入", "步骤", "原因", "依据", "命中检索词"]
    assert len(back) == len(SCREEN)
    text = repr(selection)
    assert text.startswith("Selection: 8 documents searched, 8 found, 3 included")
    assert "issued before 2017-07-01" in text and "not formally published" in text
    assert "<table" in selection._repr_html_()
    with pytest.raises(ValidationError, match=r"zh-TW"):
        selection.to_frame(language="zh-TW")


def test_criteria_and_summary_for_the_methods_section():
    selection = select(SCREEN, "人工智能 AI", period=("2017-07", "2025-06"), level="national", forms=["办法"])
    assert selection.criteria("zh") == [
        ("检索式", "人工智能 AND AI"),
        ("检索字段", "title、text"),
        ("重复文件", "文本与另一文件相同者剔除"),
        ("发布时间", "2017-07-01 – 2025-06-30"),
        ("发文层级", "国家级"),
        ("文件形式", "办法"),
    ]
    assert selection.summary() == "Selection: 8 documents searched, 0 found, 0 included"


def test_matched_terms_name_the_terms_found_and_those_that_excluded():
    records = select(DOCS, "(人工智能 OR AI) NOT 数据").records.to_frame()
    assert records.loc["D1", "matched"] == "人工智能"
    assert records.loc["D4", "matched"] == "人工智能; NOT 数据"
    assert records.loc["D4", "step"] == "query"
    assert records.loc["D2", "matched"] == ""


# -- The flow diagram ------------------------------------------------------------------------------


def _cjk_files() -> list[str]:
    program = shutil.which("fc-list")
    if program is None:
        return []
    listed = subprocess.run(
        [program, "--format=%{file}\\n", ":lang=zh"], capture_output=True, text=True, check=False
    ).stdout
    return [line for line in listed.splitlines() if line.lower().endswith((".ttf", ".otf", ".ttc"))]


needs_cjk_font = pytest.mark.skipif(
    not _cjk_files(), reason="no CJK font here (CI installs fonts-wqy-microhei)"
)

FLOW = select(
    SCREEN,
    "人工智能 NOT 第7条",
    period=("2017-07", "2025-06"),
    level=["national", "provincial"],
    exclude={"B": "not formally published"},
)


def _texts(fig) -> list[str]:
    return [t.get_text() for t in fig.axes[0].texts if t.get_text()]


def test_the_flow_diagram_has_a_box_per_stage_with_its_count():
    fig = plotting.selection_flow(FLOW)
    texts = _texts(fig)
    assert texts[:3] == [
        "Documents searched\n(n = 8)",
        "Found by the query\n(n = 7)",
        "Included in the sample\n(n = 2)",
    ]
    assert texts[3] == "Not found by the query\n(n = 1)"
    side = texts[4].splitlines()
    assert side[0] == "Excluded (n = 5)"
    assert "Period: issued before 2017-07-01 (1)" in side
    assert "Exclusion list: not formally published (1)" in side
    assert fig.axes[0].get_title() == "Selection of documents"
    arrows = [child for child in fig.axes[0].get_children() if type(child).__name__ == "Annotation"]
    assert len(arrows) == 4
    fig.savefig(io.BytesIO(), format="png")


def test_without_a_query_the_diagram_has_no_query_box_and_draws_on_a_given_axes():
    fig, ax = plt.subplots()
    assert plotting.selection_flow(select(SCREEN, None), ax=ax, title="") is fig
    assert [t.splitlines()[0] for t in _texts(fig)] == [
        "Documents searched",
        "Included in the sample",
        "Excluded (n = 0)",
    ]
    assert ax.get_title() == ""


@needs_cjk_font
def test_the_chinese_diagram_draws_real_glyphs():
    with warnings.catch_warnings():
        warnings.simplefilter("error", FontWarning)
        fig = FLOW.flow_figure(language="zh")
        fig.savefig(io.BytesIO(), format="png")
    texts = fig.axes[0].texts
    assert texts[0].get_text() == "检索范围内的文件\n（n = 8）"
    assert "人工剔除：not formally published（1）" in texts[4].get_text()
    assert fig.axes[0].get_title() == "政策文件筛选流程"
    for text in [*texts, fig.axes[0].title]:
        path = font_manager.findfont(font_manager.FontProperties(family=text.get_fontfamily()))
        glyphs = plotting._glyphs(os.path.realpath(path))
        missing = {c for c in text.get_text() if not c.isspace() and ord(c) not in glyphs}
        assert not missing, (text.get_text(), path, missing)


def test_the_diagram_refuses_what_is_not_a_selection():
    with pytest.raises(ValidationError, match="Selection"):
        plotting.selection_flow(SCREEN)
    with pytest.raises(ValidationError):
        plotting.selection_flow(FLOW, language="zh-TW")


# -- The report ------------------------------------------------------------------------------------


def test_the_report_gains_a_sample_section_after_the_overview():
    from policyquant.reporting import render_report

    corpus = pq.datasets.load_genai_china()
    documents = corpus.documents.assign(text=corpus.documents["title"])
    selection = select(
        documents,
        "artificial OR AI",
        period=("2017-07", "2025-06"),
        exclude={"N01": "not formally published"},
    )
    seen = []
    html = render_report(corpus, selection=selection, language="zh", progress=seen.append)
    assert seen[:2] == ["overview", "sample"]
    assert html.index('id="overview"') < html.index('id="sample"') < html.index('id="table4"')
    section = html[html.index('<section id="sample"') : html.index("</section>", html.index('id="sample"'))]
    assert "样本筛选" in section and "检索式" in section and "artificial OR AI" in section
    assert "not formally published" in section and "N01" in section
    assert "<svg" in section
    english = render_report(corpus, selection=selection)
    assert "Sample selection" in english and "Documents excluded after the query" in english
    plain = render_report(corpus)
    assert 'id="sample"' not in plain
    with pytest.raises(ValidationError, match="Selection"):
        render_report(corpus, selection="not a selection")


def test_select_is_reachable_from_the_package():
    assert pq.documents.select is select
    assert isinstance(parse_query("a"), Query)
    included = select(DOCS, "AI").records.to_frame()["included"]
    assert np.array_equal(included, [False, False, True, False, True, False])

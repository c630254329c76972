"""Issue 17 item 1: the cheaper ways of reading and validating a large CSV coding give the same corpus.

Each shortcut taken for a million clauses (a numpy hash of the unit ids
before pyarrow's exact count, the units' doc_id checked once per distinct
id, issuers split once per distinct cell, scores made Int64 directly, the
file parsed on one thread from a memory map) must find the same problems
in the same rows and build the same corpus as the general path.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policyquant as pq
from policyquant import corpus as corpus_module
from policyquant.io import tabular

TEXT = corpus_module.TEXT


# The duplicate check's hash -------------------------------------------------------------

ASCII_ID = st.text(alphabet=st.sampled_from(list("ab-1 ")), max_size=90)


def _arrays(values: list[str | None], cut: int) -> list[pa.Array | pa.ChunkedArray]:
    """The same values as one array, as two chunks cut at ``cut``, and sliced by one."""
    array = pa.array(values, pa.large_string())
    padded = pa.array(["x", *values], pa.string()).slice(1)
    cut = min(cut, len(values))
    return [array, padded, pa.chunked_array([array.slice(0, cut), array.slice(cut)], type=array.type)]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    values=st.lists(st.one_of(ASCII_ID, st.none()), min_size=1, max_size=40),
    repeats=st.lists(st.integers(min_value=0, max_value=39), max_size=3),
    cut=st.integers(min_value=0, max_value=40),
    step=st.integers(min_value=1, max_value=9),
)
def test_the_id_hash_depends_on_the_value_alone_and_never_hides_a_duplicate(values, repeats, cut, step):
    values = values + [values[i % len(values)] for i in repeats]
    present = [v for v in values if v is not None]
    with pytest.MonkeyPatch.context() as patch:
        # Small slices: values of different lengths meet in one slice and in different ones.
        patch.setattr(corpus_module, "_HASH_SLICE", step)
        for array in _arrays(values, cut):
            hashes = corpus_module._arrow_value_hashes(array)
            assert len(hashes) == len(present)
            by_value: dict[str, np.uint64] = {}
            for value, hashed in zip(present, hashes, strict=True):
                assert by_value.setdefault(value, hashed) == hashed, value
            assert corpus_module._arrow_unique_ascii(array) == (len(set(present)) == len(present))


def test_a_value_hashes_alike_whatever_its_neighbours():
    values = ["x" * n for n in range(100)] + ["y" * 70 + "x" * n for n in range(30)]
    together = corpus_module._arrow_value_hashes(pa.array(values))
    alone = [corpus_module._arrow_value_hashes(pa.array([v]))[0] for v in values]
    assert together.tolist() == alone
    assert len(set(together.tolist())) == len(values)


def _study(folder: Path, unit_ids: list[str], doc_ids: list[str] | None = None, **columns: list[str]) -> Path:
    rows = len(unit_ids)
    units = pd.DataFrame(
        {
            "unit_id": unit_ids,
            "doc_id": doc_ids or ["N01"] * rows,
            "instrument": ["标准规范"] * rows,
            "objectives": ["公共安全与利益"] * rows,
            "AS": ["5"] * rows,
            "MI": ["3"] * rows,
            **columns,
        }
    )
    units.to_csv(folder / "units.csv", index=False)
    pd.DataFrame({"doc_id": ["N01", "N02", "007"], "DA": ["3"] * 3}).to_csv(folder / "documents.csv", index=False)
    return folder


def test_long_ids_differing_past_the_hashed_bytes_are_no_duplicates(tmp_path):
    # 100-byte ids that differ only at bytes 70-73: the hash cannot tell them apart, the exact count can.
    prefix, suffix = "N01-" + "x" * 66, "-" + "y" * 25
    ids = [f"{prefix}{i:04d}{suffix}" for i in range(300)]
    corpus = pq.read_coding(_study(tmp_path, ids))
    assert corpus.units["unit_id"].tolist() == ids


def test_a_repeated_long_id_is_reported_with_its_first_row(tmp_path):
    prefix = "N01-" + "x" * 66
    ids = [f"{prefix}{i:04d}-tail" for i in range(300)]
    ids[250] = ids[40]
    with pytest.raises(pq.ValidationError) as caught:
        pq.read_coding(_study(tmp_path, ids))
    problems = caught.value.problems
    assert problems[["row", "column", "value"]].to_numpy().tolist() == [[252, "unit_id", ids[40]]]
    assert "first used in row 42" in problems.loc[0, "expected"]


# The units' doc_id, checked once per distinct id ----------------------------------------

DOC_ID = st.one_of(
    st.sampled_from(
        ["N01", " N01", "N01\u3000", "007", "7", "nan", "NULL", "#N/A", "=A1", "2024-01-31 00:00:00", "", None]
    ),
    st.text(alphabet=st.sampled_from(list("N01 =#\t")), max_size=6),
)


def _checked(check, values: list[str | None]) -> tuple[list, list, list]:
    problems = corpus_module._Problems("units.csv")
    series = pd.Series(values, dtype=TEXT, index=range(2, 2 + len(values)))
    text, kept = check(
        series,
        corpus_module._arrow_storage(series),
        "doc_id",
        problems,
        required=True,
        reported=pd.Index([3]),
        check_values=True,
    )
    table = problems.frame().astype(object)
    return text.tolist(), kept.to_pylist(), table.where(table.notna(), None).to_numpy().tolist()


@settings(max_examples=150, deadline=None)
@given(values=st.lists(DOC_ID, min_size=1, max_size=20))
def test_doc_ids_checked_per_distinct_id_are_checked_as_row_by_row(values):
    per_row = _checked(corpus_module._arrow_ids, values)
    per_distinct = _checked(corpus_module._arrow_repeated_ids, values)
    assert per_distinct == per_row


def test_units_naming_unknown_documents_are_reported_once_per_row_with_suggestions(tmp_path):
    ids = [f"N01-1-{i}" for i in range(6)]
    doc_ids = ["N01", "7", " N01 ", "N03", "7", "N01"]
    with pytest.raises(pq.ValidationError) as caught:
        pq.read_coding(_study(tmp_path, ids, doc_ids))
    problems = caught.value.problems
    assert problems[["row", "value", "problem"]].to_numpy().tolist() == [
        [3, "7", "no document with this doc_id"],
        [5, "N03", "no document with this doc_id"],
        [6, "7", "no document with this doc_id"],
    ]
    assert problems.loc[0, "suggestions"].startswith("007")


# Documents' issuers and scores ----------------------------------------------------------


def test_issuers_split_once_per_distinct_cell_are_the_cells_split_row_by_row():
    cells = ["教育部；科学技术部", "国家发展和改革委员会、财政部", "", None, "教育部；科学技术部", " 省人民政府 | 财政厅 "]
    documents = pd.DataFrame({"doc_id": [f"N{i:02d}" for i in range(len(cells))], "issuers": cells})
    units = pd.DataFrame(
        {"unit_id": ["N00-1-1"], "doc_id": ["N00"], "instrument": ["标准规范"], "objectives": ["公共安全与利益"]}
    )
    arrow = pq.Corpus(documents.astype({"issuers": TEXT}), units, framework="wang2026").documents["issuers"]
    python = pq.Corpus(documents.astype({"issuers": object}), units, framework="wang2026").documents["issuers"]
    assert arrow.tolist() == python.tolist() == [
        ("教育部", "科学技术部"),
        ("国家发展和改革委员会", "财政部"),
        (),
        (),
        ("教育部", "科学技术部"),
        ("省人民政府", "财政厅"),
    ]
    assert arrow.dtype == object


@pytest.mark.parametrize(
    "cells",
    [
        ["5", "3", "1", "全部部门、领域或场景"],  # every cell a level: scores per distinct value
        ["5", "", "4", "3"],  # a missing score and one off the scale: reported, the rest kept
    ],
)
def test_scores_are_int64_with_missing_ones_masked(cells):
    dimension = pq.get_framework("wang2026").scale.dimension("AS")
    problems = corpus_module._Problems(None)
    values = pd.Series(cells, dtype=TEXT)
    scores = pq.Corpus._scores(values, dimension, problems)
    expected = pd.Series([5 if c == "全部部门、领域或场景" else int(c) if c in ("5", "3", "1") else None for c in cells])
    pd.testing.assert_series_equal(scores, expected.astype("Int64"))
    assert problems.count == sum(c not in ("5", "3", "1", "全部部门、领域或场景") for c in cells)


# Parsing: one thread, from a memory map -------------------------------------------------


def _multiline_study(folder: Path, rows: int) -> Path:
    # Quoted cells with line breaks, commas and quotes, across pyarrow's 1 MiB blocks.
    texts = [f'第{i}条，"引号"\n第二行, with a comma\r\n第三行' if i % 3 == 0 else f"条款 {i}" for i in range(rows)]
    return _study(folder, [f"N01-1-{i}" for i in range(rows)], text=texts, memo=["备注\n续"] * rows)


def test_one_thread_or_several_read_the_same_corpus(tmp_path, monkeypatch: pytest.MonkeyPatch):
    folder = _multiline_study(tmp_path, 40_000)
    assert (folder / "units.csv").stat().st_size > 3 * 2**20
    monkeypatch.setattr(tabular, "_ARROW_THREADS", True)
    threaded = pq.read_coding(folder)
    monkeypatch.setattr(tabular, "_ARROW_THREADS", False)
    single = pq.read_coding(folder)
    assert single == threaded
    pd.testing.assert_frame_equal(single.units, threaded.units)
    assert single.units.loc[0, "text"] == '第0条，"引号"\n第二行, with a comma\r\n第三行'


def test_the_file_is_not_left_mapped_after_reading(tmp_path):
    folder = _multiline_study(tmp_path, 50)
    corpus = pq.read_coding(folder)
    maps = Path("/proc/self/maps")
    if not maps.exists():
        pytest.skip("no /proc on this system")
    assert str(folder / "units.csv") not in maps.read_text()
    # The corpus holds its own copy of the text: the file can go.
    (folder / "units.csv").unlink()
    assert corpus.units["text"].str.len().sum() > 0

"""Issue 17 item 1: text columns held by pyarrow (what the CSV reader gives) are validated in compiled code.

The checks and their reports must be exactly those of the path for Python
text (object columns): the same problems in the same rows, the same corpus.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policyquant as pq
from policyquant import corpus as corpus_module

ARROW_TEXT = pd.StringDtype("pyarrow")


def units_frame(unit_ids: list, doc_ids: list, texts: list | None = None) -> pd.DataFrame:
    rows = len(unit_ids)
    frame = pd.DataFrame(
        {
            "unit_id": pd.Series(unit_ids, dtype=object),
            "doc_id": pd.Series(doc_ids, dtype=object),
            "instrument": ["标准规范"] * rows,
            "objectives": ["公共安全"] * rows,
            "AS": [5] * rows,
            "MI": [3] * rows,
        }
    )
    if texts is not None:
        frame["text"] = pd.Series(texts, dtype=object)
    return frame


def documents_frame(doc_ids: list) -> pd.DataFrame:
    return pd.DataFrame({"doc_id": pd.Series(doc_ids, dtype=object), "level": "national", "DA": 3})


def as_arrow(frame: pd.DataFrame) -> pd.DataFrame:
    """The same table with its text columns in pyarrow storage, as the CSV reader returns them."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object:
            out[column] = out[column].astype(ARROW_TEXT)
    return out


def outcome(documents: pd.DataFrame, units: pd.DataFrame) -> tuple[str, object]:
    """("ok", the corpus' tables) or ("error", the problems as plain rows)."""
    try:
        corpus = pq.Corpus(documents, units)
    except pq.ValidationError as error:
        problems = error.problems.astype(object)
        return "error", problems.where(problems.notna(), None).to_numpy().tolist()
    return "ok", (corpus.units, corpus.documents)


def assert_same_outcome(documents: pd.DataFrame, units: pd.DataFrame) -> None:
    python_kind, python_result = outcome(documents, units)
    arrow_kind, arrow_result = outcome(as_arrow(documents), as_arrow(units))
    assert arrow_kind == python_kind
    if python_kind == "error":
        assert arrow_result == python_result
    else:
        for arrow_table, python_table in zip(arrow_result, python_result, strict=True):  # type: ignore[call-overload]
            pd.testing.assert_frame_equal(arrow_table, python_table)


def test_the_whitespace_stripped_by_pyarrow_is_what_str_strip_strips():
    assert set(corpus_module._WHITESPACE) == {chr(c) for c in range(0x110000) if chr(c).isspace()}


def test_every_id_problem_is_reported_alike_from_arrow_and_python_text():
    unit_ids = [
        " N01-1-1 ",
        "nan",
        "#N/A",
        "=A2",
        "2024-01-31 00:00:00",
        "２０２４-０１-３１ ００:００:００",  # full-width digits: \d matches them
        "2024-01-31 00:00:0x",  # 19 characters, no date
        "\u3000",
        "",
        None,
        "N01-1-1",  # a duplicate of the first (after stripping)
        "Pe\u0301-1",  # NFD
        "P\u00e9-1",  # its NFC twin
        "\u200bN01-1-9",  # a zero-width space is no whitespace: kept
        "0131072",
        "1e3",
        "TRUE",
    ]
    doc_ids = ["N01", " N01", "N02", "007", "N01\u3000", "", None, "=B2", "nan", *["N01"] * 8]
    documents = documents_frame(["N01", "7", "N0\u0301"])
    assert_same_outcome(documents, units_frame(unit_ids, doc_ids))


def test_a_valid_coding_gives_the_same_corpus_from_arrow_and_python_text():
    rows = 40
    units = units_frame(
        [f"N0{i % 3}-1-{i}" for i in range(rows)],
        [f"N0{i % 3}" for i in range(rows)],
        ["", " 条款 ", "\u3000", None] * 10,
    )
    assert_same_outcome(documents_frame(["N00", "N01", "N02"]), units)


def test_unit_ids_of_other_scripts_and_duplicates_are_still_compared_by_nfc():
    units = units_frame(["条款-1", "条款-2", "Pe\u0301-1", "P\u00e9-1"], ["N01"] * 4)
    kind, problems = outcome(documents_frame(["N01"]), as_arrow(units))
    assert kind == "error"
    assert [p[1:4] for p in problems] == [[3, "unit_id", "P\u00e9-1"]]
    assert "another Unicode normalization form" in problems[0][4]


class CountingPattern:
    """A stand-in for a compiled pattern that counts the cells it is asked about."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern, self.calls = pattern, 0

    def match(self, value: str) -> re.Match[str] | None:
        self.calls += 1
        return self.pattern.match(value)


def test_arrow_ids_are_checked_without_a_python_call_per_id(monkeypatch: pytest.MonkeyPatch):
    rows = 5_000
    unit_ids = [f"N01-1-{i}" for i in range(rows)]
    unit_ids[17], unit_ids[4_000] = "=A18", "NULL"
    counting = CountingPattern(corpus_module._SUSPECT_ID)
    monkeypatch.setattr(corpus_module, "_SUSPECT_ID", counting)
    error = outcome(as_arrow(documents_frame(["N01"])), as_arrow(units_frame(unit_ids, ["N01"] * rows)))
    assert error[0] == "error"
    assert [p[1:4] for p in error[1]] == [[17, "unit_id", "=A18"], [4_000, "unit_id", "NULL"]]
    # Only the candidate cells pyarrow found are looked at in Python, not the 5,000 ids.
    assert counting.calls == 2


def test_a_csv_of_many_clauses_keeps_every_id_as_written(tmp_path):
    rows = 3_000
    ids = np.array([f"{i:07d}" for i in range(rows)], dtype=object)
    ids[[5, 2_500]] = ["1e3", "TRUE"]
    units = units_frame(list(ids), ["007"] * rows)
    units.to_csv(tmp_path / "units.csv", index=False)
    documents_frame(["007"]).to_csv(tmp_path / "documents.csv", index=False)
    corpus = pq.read_coding(tmp_path)
    assert corpus.units["unit_id"].tolist() == list(ids)
    assert corpus.units["doc_id"].unique().tolist() == ["007"]
    assert corpus.units["unit_id"].dtype == corpus_module.TEXT


ID_TEXT = st.one_of(
    st.sampled_from(["N01-1-1", "N01-1-2", "nan", "=x", "NULL", "2024-01-31 00:00:00", "", None, "007", "7"]),
    st.text(alphabet=st.sampled_from(list("N01-7 \t\u3000\u00a0\u200be\u0301\u00e9=#")), max_size=8),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    unit_ids=st.lists(ID_TEXT, min_size=1, max_size=12),
    doc_ids=st.lists(ID_TEXT, min_size=12, max_size=12),
    documents=st.lists(st.sampled_from(["N01", "007", "e\u0301", "\u00e9"]), min_size=1, max_size=4, unique=True),
)
def test_arrow_and_python_text_give_the_same_problems_for_any_ids(unit_ids, doc_ids, documents):
    units = units_frame(unit_ids, doc_ids[: len(unit_ids)])
    assert_same_outcome(documents_frame(documents), units)

"""A lone surrogate (half of a UTF-16 pair, which JSON's ``\\ud800`` escape can carry) is no
character: reading it from JSON and writing it to any format is refused with the place named,
never a raw UnicodeEncodeError from pandas or pyarrow."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import policyquant as pq


def _study(text: str) -> dict:
    return {
        "documents": [{"doc_id": "P01", "DA": "3"}],
        "units": [
            {
                "unit_id": "P01-1-1",
                "doc_id": "P01",
                "text": text,
                "instrument": "标准规范",
                "objectives": "公共安全",
                "AS": "5",
                "MI": "3",
            }
        ],
    }


@pytest.mark.parametrize("surrogate", ["\ud800", "\udfff", "\udc00"])
def test_a_json_file_with_a_lone_surrogate_is_refused_naming_the_key(tmp_path, surrogate):
    path = tmp_path / "study.json"
    path.write_text(json.dumps(_study(f"before {surrogate} after")), encoding="utf-8")
    with pytest.raises(pq.ValidationError) as info:
        pq.read_coding(path)
    problem = info.value.problems.iloc[0]
    assert problem["column"] == "text"
    assert problem["file"] == str(path)
    assert f"U+{ord(surrogate):04X}" in problem["problem"]
    assert "before \\u" in problem["value"] or "before \\\\u" in problem["value"]


def test_a_json_file_with_a_surrogate_pair_is_one_character_and_reads(tmp_path):
    path = tmp_path / "study.json"
    # json.dumps escapes the emoji as the pair \ud83d\ude00, which json.loads joins again.
    path.write_text(json.dumps(_study("smile \U0001f600")), encoding="utf-8")
    assert pq.read_coding(path).units["text"].iloc[0] == "smile \U0001f600"


def test_a_lone_surrogate_is_refused_when_the_corpus_is_built_naming_the_row(tmp_path):
    # A corpus keeps text as UTF-8 (Arrow), which cannot hold one: it never reaches a writer.
    units = pd.DataFrame(_study("x")["units"])
    units["text"] = pd.Series(["bad \ud800 text"], dtype=object)
    with pytest.raises(pq.ValidationError) as info:
        pq.read_coding(units, pd.DataFrame(_study("x")["documents"]))
    problem = info.value.problems.iloc[0]
    assert (problem["row"], problem["column"]) == (0, "text")
    assert "U+D800" in problem["problem"]
    assert list(tmp_path.iterdir()) == []

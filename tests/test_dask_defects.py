"""Defects of policyquant.dask found by break-testing: unit ids repeated across partitions.

* An id repeated with spaces around it, or in another Unicode normalization form
  (``Café`` typed as NFC on one system and NFD on another), is one id used twice,
  as :class:`policyquant.Corpus` and :func:`policyquant.read_coding` find it.
* A repeated id is named by the partition and the row of each use, as
  :class:`~policyquant.io.chunked.ChunkedCorpus` names the file and row.

Most tests run on Dask's synchronous scheduler; one on a distributed LocalCluster
of worker processes, where the error crosses from a worker to this process.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

dask = pytest.importorskip("dask")
pytest.importorskip("distributed")

import dask.dataframe as dd  # noqa: E402
from distributed import Client, LocalCluster  # noqa: E402

import policyquant as pq  # noqa: E402
from policyquant import dask as pqd  # noqa: E402
from policyquant.errors import ValidationError  # noqa: E402

NFC = unicodedata.normalize("NFC", "Café-1-1")
NFD = unicodedata.normalize("NFD", "Café-1-1")
DOCUMENTS = pd.DataFrame({"doc_id": ["Café", "Cafe", "N01", "n01", "Å"], "level": ["national"] * 5, "year": ["2020"] * 5})
CODES = {"instrument": "standards_and_norms", "objectives": "public_safety"}


def sheet(ids: list[str]) -> pd.DataFrame:
    """Clauses with these unit ids, each of the document its id names."""
    docs = [unicodedata.normalize("NFC", i.strip().split("-")[0]) for i in ids]
    return pd.DataFrame({"unit_id": ids, "doc_id": docs, **{k: [v] * len(ids) for k, v in CODES.items()}})


def dask_problems(units: pd.DataFrame, npartitions: int) -> pd.DataFrame | None:
    with dask.config.set(scheduler="synchronous"):
        try:
            pq.crosstab(pqd.DaskCorpus(DOCUMENTS, dd.from_pandas(units, npartitions=npartitions)))
        except ValidationError as error:
            return error.problems
    return None


def memory_problems(units: pd.DataFrame) -> pd.DataFrame | None:
    try:
        pq.read_coding(units, DOCUMENTS)
    except ValidationError as error:
        return error.problems
    return None


# -- 1. Ids that the corpus treats as one id ----------------------------------------------------------


def test_ids_differing_by_spaces_or_normalization_form_are_repeated_across_partitions():
    # The break-tester's case: in memory both are duplicates; DaskCorpus counted 4 clauses, no error.
    units = sheet(["N01-1-1", NFC, " N01-1-1 ", NFD])
    expected = memory_problems(units)
    got = dask_problems(units, 2)
    assert got is not None
    assert got[["file", "row", "column", "value", "problem"]].to_numpy().tolist() == [
        ["units, partition 2", 1, "unit_id", "N01-1-1", "duplicate unit_id"],
        [
            "units, partition 2",
            2,
            "unit_id",
            NFD,
            "duplicate unit_id in another Unicode normalization form: 'Cafe\\u0301-1-1' here, 'Caf\\u00e9-1-1' in row 2",
        ],
    ]
    assert got["expected"].tolist() == [
        "unique unit_ids; first used in units, partition 1, row 1",
        "unique unit_ids; first used in units, partition 1, row 2; the same text typed on two systems: "
        "save both as NFC, or give them different ids",
    ]
    # The same ids, values and problems as in memory (which names rows of the whole sheet).
    assert got[["column", "value"]].to_numpy().tolist() == expected[["column", "value"]].to_numpy().tolist()
    assert [p.rsplit(" in row", 1)[0] for p in got["problem"]] == [p.rsplit(" in row", 1)[0] for p in expected["problem"]]


def test_n_not_coded_finds_the_same_duplicates():
    units = sheet(["N01-1-1", NFC, "\u3000N01-1-1\t", NFD])
    corpus = pqd.DaskCorpus(DOCUMENTS, dd.from_pandas(units, npartitions=2))
    with dask.config.set(scheduler="synchronous"), pytest.raises(ValidationError, match="N01-1-1") as raised:
        corpus.n_not_coded  # noqa: B018 - the property counts on the workers
    assert raised.value.problems[["file", "row", "value"]].to_numpy().tolist() == [
        ["units, partition 2", 1, "N01-1-1"],
        ["units, partition 2", 2, NFD],
    ]


def test_ids_that_differ_are_not_repeated_and_the_second_pass_is_not_made(monkeypatch):
    # Ids that differ past the spaces, in case, or by an accent that NFC keeps: distinct clauses.
    ids = ["N01-1-1", "n01-1-1", "N01-1-1 a", NFC, "Cafe-1-1", "Å-1-1", "A\u030a-1-2"]
    units = sheet(ids)
    assert memory_problems(units) is None

    def never(*args, **kwargs):
        raise AssertionError("the rows of repeated ids were looked for, though none is repeated")

    monkeypatch.setattr(pqd, "_repeated_rows", never)
    with dask.config.set(scheduler="synchronous"):
        table = pq.crosstab(pqd.DaskCorpus(DOCUMENTS, dd.from_pandas(units, npartitions=3)))
    assert table.total == len(ids) == pq.crosstab(pq.read_coding(units, DOCUMENTS)).total


def test_blank_ids_are_reported_missing_not_repeated():
    # Two blank ids are no id used twice: the corpus reports each as an empty cell (the first partition's here).
    units = sheet(["N01-1-1", "N01-1-2"])
    units.loc[:, "unit_id"] = ["  ", ""]
    expected = memory_problems(units)
    assert set(expected["problem"]) == {"empty required cell"}
    got = dask_problems(units, 2)
    assert got[["column", "problem"]].to_numpy().tolist() == [["unit_id", "empty required cell"]]


def test_numbers_as_ids_are_compared_by_their_text_as_in_memory():
    units = sheet(["N01-1-1", "N01-1-2"]).assign(unit_id=[7, 7])
    got = dask_problems(units, 2)
    assert got[got["problem"] == "duplicate unit_id"][["file", "row", "value"]].to_numpy().tolist() == [["units, partition 2", 1, "7"]]


def test_segment_and_code_still_compare_ids_exactly():
    # Their in-memory counterparts compare ids as given: " D1" is another document than "D1".
    documents = dd.from_pandas(pd.DataFrame({"doc_id": ["D1", " D1"], "text": ["第一条 甲。", "第一条 乙。"]}), npartitions=2)
    with dask.config.set(scheduler="synchronous"):
        assert len(pqd.segment(documents).frame.compute()) == 2


VARIANTS = [
    lambda i: i,
    lambda i: f" {i} ",
    lambda i: unicodedata.normalize("NFD", i),
    lambda i: f"\t{unicodedata.normalize('NFD', i)}\u3000",
]
BASES = ["N01-1-1", "N01-1-2", NFC, "Å-1-1", "Café-2-1"]


@settings(max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    picks=st.lists(st.tuples(st.integers(0, len(BASES) - 1), st.integers(0, len(VARIANTS) - 1)), min_size=1, max_size=14),
    npartitions=st.integers(1, 5),
)
@example(picks=[(0, 0), (2, 0), (0, 1), (2, 2)], npartitions=2)
def test_duplicates_are_those_of_read_coding_whatever_the_partitions(picks, npartitions):
    units = sheet([VARIANTS[v](BASES[b]) for b, v in picks])
    expected = memory_problems(units)
    partitioned = dd.from_pandas(units, npartitions=npartitions)
    got = dask_problems(units, npartitions)
    if expected is None:
        assert got is None
        return
    # A partition's row, as a row of the whole sheet: where the partition starts, plus the row in it.
    starts = dict(enumerate(partitioned.divisions[:-1], start=1))
    number = got["file"].str.extract(r"partition (\d+)")[0].astype(int)
    rows = [starts[n] + r - 1 for n, r in zip(number, got["row"], strict=True)]
    firsts = [
        starts[int(n)] + int(r) - 1
        for n, r in (re.search(r"partition (\d+), row (\d+)", e).groups() for e in got["expected"])
    ]
    assert rows == expected["row"].tolist()
    assert got[["column", "value"]].to_numpy().tolist() == expected[["column", "value"]].to_numpy().tolist()
    # The in-memory problem names its first use by the row of the whole sheet.
    local = [re.sub(r" in row \d+$", f" in row {first}", p) for p, first in zip(got["problem"], firsts, strict=True)]
    assert local == expected["problem"].tolist()
    assert len(np.unique(got["file"])) >= 1


# -- 2. Where each use is -----------------------------------------------------------------------------


def test_an_exact_duplicate_is_named_by_partition_and_row_of_both_uses():
    units = sheet(["N01-1-1", NFC, "N01-1-2", "N01-1-3", "Å-1-1", "N01-1-1"])
    got = dask_problems(units, 3)
    assert got.to_dict("records") == [
        {
            "file": "units, partition 3",
            "row": 2,
            "column": "unit_id",
            "value": "N01-1-1",
            "problem": "duplicate unit_id",
            "expected": "unique unit_ids; first used in units, partition 1, row 1",
            "suggestions": None,
        }
    ]


def test_an_id_used_three_times_names_every_later_use():
    units = sheet(["N01-1-1", "N01-1-9", "N01-1-2", "N01-1-9", "N01-1-3", "N01-1-9 "])
    with dask.config.set(scheduler="synchronous"), pytest.raises(ValidationError) as raised:
        pq.crosstab(pqd.DaskCorpus(DOCUMENTS, dd.from_pandas(units, npartitions=3)))
    assert "the corpus: unit_id 'N01-1-9' is used in more than one row" in str(raised.value)
    assert "units, partition 3, row 2, column 'unit_id', value 'N01-1-9'" in str(raised.value)
    assert raised.value.problems[["file", "row", "expected"]].to_numpy().tolist() == [
        ["units, partition 2", 2, "unique unit_ids; first used in units, partition 1, row 2"],
        ["units, partition 3", 2, "unique unit_ids; first used in units, partition 1, row 2"],
    ]


@pytest.fixture(scope="module")
def client():
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        yield client


def test_on_a_cluster_the_uses_are_named_across_worker_processes(client):
    units = sheet(["N01-1-1", NFC, "N01-1-2", " N01-1-1", "Å-1-1", NFD, "N01-1-3", "N01-1-4"])
    corpus = pqd.DaskCorpus(DOCUMENTS, dd.from_pandas(units, npartitions=4))
    with pytest.raises(ValidationError) as raised:
        pq.crosstab(corpus)
    assert type(raised.value) is ValidationError  # the workers' signal stays inside policyquant.dask
    assert raised.value.problems[["file", "row", "value"]].to_numpy().tolist() == [
        ["units, partition 2", 2, "N01-1-1"],
        ["units, partition 3", 2, NFD],
    ]


def test_read_documents_reports_ids_changed_from_file_names_as_in_memory(tmp_path):
    # Spaces around a name, a name read as a formula: the ids change, and each change is reported.
    (tmp_path / "a.txt").write_text("第一条 甲。\n", encoding="utf-8")
    (tmp_path / " a.txt").write_text("第一条 乙。\n", encoding="utf-8")
    (tmp_path / "=1+1.txt").write_text("第一条 丙。\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("第一条 丁。\n", encoding="utf-8")
    expected = pq.read_documents(tmp_path)
    for per_partition in (1, 2, 10):
        documents = pqd.read_documents(tmp_path, files_per_partition=per_partition)
        frame = documents.frame.compute(scheduler="synchronous")
        problems = documents.problems.compute(scheduler="synchronous")
        assert sorted(frame["doc_id"]) == sorted(expected.frame["doc_id"]) == ["_=1+1", "a.txt", "a.txt~2", "b"]
        columns = ["file", "value", "problem"]
        ours, theirs = problems[columns].astype(object), expected.problems[columns].astype(object)
        assert ours.to_numpy().tolist() == theirs.to_numpy().tolist()
        assert len(problems) == 2

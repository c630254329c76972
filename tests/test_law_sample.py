"""The real coded sample: 513 articles of seven national laws, two passes and the adjudication.

The codes ship with the package; the statute texts are read from the LawRefBook collection in
``../shared/anchors/lawrefbook`` (the tests that need them skip where it is absent).
"""

from __future__ import annotations

import shutil
import tarfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import policyquant as pq
from policyquant.datasets.law_sample import LAW_SAMPLE_CODERS, load_law_sample
from policyquant.errors import ValidationError
from policyquant.reliability import adjudicate, agreement_report, disagreements

ARCHIVE = Path(__file__).resolve().parents[2] / "shared" / "anchors" / "lawrefbook" / "national.tar.xz"
needs_laws = pytest.mark.skipif(not ARCHIVE.is_file(), reason="../shared/anchors/lawrefbook is absent")

FILES = pd.read_csv(pq.datasets.data_path("law_sample/documents.csv"), dtype=str)["file"].tolist()


@pytest.fixture(scope="module")
def law_folder(tmp_path_factory) -> Path:
    """The sample's seven Markdown files in the collection's own layout."""
    folder = tmp_path_factory.mktemp("laws")
    with tarfile.open(ARCHIVE) as archive:
        members = [m for m in archive.getmembers() if m.isfile() and m.name.split("/", 1)[-1] in FILES]
        archive.extractall(folder, members=members, filter="data")
    return folder


@pytest.mark.parametrize("coder", LAW_SAMPLE_CODERS)
def test_every_coding_holds_the_same_513_articles_of_7_documents(coder):
    sample = load_law_sample(coder)
    assert len(sample.documents) == 7
    everything = sample.all_units()
    assert len(everything) == 513 and everything["unit_id"].is_unique
    assert set(everything["unit_id"]) == set(load_law_sample("pass1").all_units()["unit_id"])
    # The ids are the segmenter's: <document>-<chapter>-<article>, the document id being the file's name.
    assert all(unit.startswith(doc + "-") for unit, doc in zip(everything["unit_id"], everything["doc_id"], strict=True))
    assert everything["unit_id"].dtype == sample.documents["doc_id"].dtype
    assert "text" not in sample.units.columns


def test_the_adjudicated_codes_are_the_passes_where_they_agree():
    one, two, agreed = (load_law_sample(name) for name in LAW_SAMPLE_CODERS)
    columns = ["unit_id", "instrument", "objectives", "AS", "MI"]

    def table(corpus):
        units = corpus.all_units()[columns].set_index("unit_id").sort_index()
        units["objectives"] = units["objectives"].map(lambda keys: tuple(sorted(keys)) if len(keys) else ())
        # A none clause's scores are missing for both: equal here, as the disagreement sheet counts them.
        return units.astype(object).where(units.notna(), "-")

    a, b, c = table(one), table(two), table(agreed)
    same = (a == b).all(axis=1)
    assert same.sum() > 300
    pd.testing.assert_frame_equal(c[same], a[same])
    # Where they differ, the committed decisions settle it: the adjudicated codes are exactly
    # what adjudicate() makes of the two passes and the decision sheet that ships with them.
    decisions = pq.datasets.data_path("law_sample/decisions.csv")
    remade = table(adjudicate({"pass1": one, "pass2": two}, decisions))
    pd.testing.assert_frame_equal(remade, c)
    assert (c[~same] != a[~same]).any(axis=None) and (c[~same] != b[~same]).any(axis=None)


def test_the_agreement_between_the_passes_is_krippendorffs_alpha():
    krippendorff = pytest.importorskip("krippendorff")
    one, two = load_law_sample("pass1"), load_law_sample("pass2")
    report = agreement_report({"pass1": one, "pass2": two}).to_frame()
    keys = {key: number for number, key in enumerate(["none", *one.framework.instrument_keys])}

    def codes(corpus):
        units = corpus.all_units().set_index("unit_id").sort_index()
        return units["instrument"].astype(object).fillna("none").map(keys).to_numpy(dtype=float)

    expected = krippendorff.alpha(np.vstack([codes(one), codes(two)]), level_of_measurement="nominal")
    assert report.loc["instrument", "estimate"] == pytest.approx(expected, abs=1e-12)
    assert 0.6 < report.loc["instrument", "estimate"] < 1


def test_the_disagreement_sheet_of_the_passes_names_every_differing_article():
    one, two = load_law_sample("pass1"), load_law_sample("pass2")
    sheet = disagreements({"pass1": one, "pass2": two}).to_frame()
    a = one.all_units().set_index("unit_id")["instrument"].astype(object).fillna("none")
    b = two.all_units().set_index("unit_id")["instrument"].astype(object).fillna("none").reindex(a.index)
    assert set(sheet.loc[sheet["dimension"] == "instrument", "id"]) == set(a.index[a != b])
    assert {"pass1 memo", "pass2 memo"} <= set(sheet.columns)


def test_an_unknown_coder_names_the_choices():
    with pytest.raises(ValidationError, match=r"unknown coder 'pass3'.*pass1, pass2, adjudicated"):
        load_law_sample("pass3")


def test_a_path_that_is_not_the_collection_is_a_clear_error(tmp_path):
    with pytest.raises(ValidationError, match=r"not a folder or a \.tar\.xz"):
        load_law_sample(laws=tmp_path / "nowhere")
    with pytest.raises(ValidationError, match=r"needs .*数据安全法\(2021-06-10\)\.md"):
        load_law_sample(laws=tmp_path)


@needs_laws
def test_the_texts_are_read_from_the_archive_and_from_any_folder_layout(law_folder, tmp_path):
    from_archive = load_law_sample("pass2", laws=ARCHIVE)
    from_tree = load_law_sample("pass2", laws=law_folder)
    flat = tmp_path / "flat"
    flat.mkdir()
    for path in law_folder.rglob("*.md"):
        shutil.copy(path, flat / path.name)
    from_flat = load_law_sample("pass2", laws=flat)
    assert from_archive == from_tree == from_flat
    text = from_archive.all_units().set_index("unit_id")["text"]
    assert text.notna().all() and (text.str.len() > 0).all()
    # Each text begins with its own article heading: the codes sit on the articles they were given for.
    labels = from_archive.all_units().set_index("unit_id")
    first = text.str.extract(r"^(第[零〇一二三四五六七八九十百千两]+条(?:之[一二三四五六七八九十]+)?)", expand=False)
    assert first.notna().all()
    assert text["数据安全法(2021-06-10)-1-1"].startswith("第一条 为了规范数据处理活动")
    # A purpose article ("为了……，制定本法") carries no instrument: both passes coded it none.
    assert labels.loc["网络安全法(2016-11-07)-1-1", "instrument"] == "none"


@needs_laws
def test_another_version_of_a_law_is_refused_with_the_articles_named(law_folder, tmp_path):
    changed = tmp_path / "changed"
    shutil.copytree(law_folder, changed)
    path = next(changed.rglob("数据安全法(2021-06-10).md"))
    text = path.read_text(encoding="utf-8")
    # The last article removed: the law as another edition might print it.
    path.write_text(text[: text.rindex("第五十五条")], encoding="utf-8")
    with pytest.raises(ValidationError, match=r"1 coded article\(s\) not found, 0 article\(s\) not coded; first: 数据安全法\(2021-06-10\)-7-55"):
        load_law_sample(laws=changed)
    path.unlink()
    with pytest.raises(ValidationError, match="needs 数据安全法"):
        load_law_sample(laws=changed)


@needs_laws
def test_the_adjudicated_sample_with_texts_goes_through_adjudicate_and_the_coders():
    pytest.importorskip("sklearn")
    from policyquant.coders import train

    sample = load_law_sample(laws=ARCHIVE)
    again = adjudicate({"adjudicated": sample, "copy": sample})
    assert again.units["instrument"].tolist() == sample.units["instrument"].tolist()
    with pytest.warns(UserWarning, match="fewer than 5 units"):
        evaluation = train(sample, fields=("instrument", "AS")).evaluate(cv=5)
    table = evaluation.frame
    # On real articles the machine must beat always answering the commonest code, and fall short of the humans.
    human = agreement_report({"pass1": load_law_sample("pass1"), "pass2": load_law_sample("pass2")}).to_frame()
    for field in ("instrument", "AS"):
        assert table.loc[field, "alpha"] > table.loc[field, "baseline_alpha"] + 0.3
        assert table.loc[field, "alpha"] < human.loc[field, "estimate"]

"""Issue 13, items 8 and 9 (REFI-QDA half): nothing mapped on a name alone, no text altered.

* Item 8: a code of a QDA project maps onto the framework by name only when its branch (the
  nearest parent code that stands for something) agrees: ``Memo flags > Public safety`` is not
  the objective *Public safety*; it is unmapped, with the reason.
* Item 9: a unit's text goes through :func:`write_qdpx` and :func:`read_qdpx` unchanged
  (whitespace only, no text, line breaks of every kind, control characters, U+FFFE, U+FFFF),
  or is refused at write time naming the unit and the character.
"""

from __future__ import annotations

import io
import itertools
import re
import uuid
import warnings
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from qdpx_fixtures import REFI_DATA, build_project, zip_fixture

import policyquant as pq
from policyquant.errors import ValidationError
from policyquant.io import qdc_guid, read_qdc, read_qdpx, write_qdc, write_qdpx

WANG = pq.get_framework("wang2026")
LI = "Li Hua"
_GUIDS = (f"C0000000-0000-4000-8000-{n:012d}" for n in itertools.count(1))


def guid() -> str:
    return next(_GUIDS)


def code(name: str, *children: str, codable: bool = True, guid_: str | None = None) -> str:
    """The XML of one Code element with its sub-codes."""
    name = name.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    attributes = f'guid="{guid_ or guid()}" name="{name}" isCodable="{"true" if codable else "false"}"'
    return f"<Code {attributes}>{''.join(children)}</Code>" if children else f"<Code {attributes}/>"


def read_quietly(path: Path, *args, **kwargs) -> pq.io.QDAProject:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return read_qdpx(path, *args, **kwargs)


# --------------------------------------------------------------------------
# Item 8: a code's branch must agree with what its name maps to.

TEXT = "Clause one.\n\nClause two."
FIRST, SECOND = (0, 11), (13, 24)


def test_a_code_named_like_an_objective_in_a_memo_branch_is_unmapped_with_the_reason(tmp_path):
    standards, safety, rights = guid(), guid(), guid()
    memo_safety, memo_standards, memo_level = guid(), guid(), guid()
    codes = (
        code("Mandatory", code("Standards and Norms", guid_=standards), codable=False)
        + code(
            "Objectives",
            code("Public safety", guid_=safety),
            code("Rights protection", guid_=rights),
            codable=False,
        )
        + code(
            "Memo flags",
            code("Public safety", guid_=memo_safety),
            code("Standards and Norms", guid_=memo_standards),
            code("AS = 5", guid_=memo_level),
            codable=False,
        )
    )
    path = build_project(
        tmp_path / "memo.qdpx",
        codes,
        TEXT,
        [
            (*FIRST, [standards, rights, memo_safety, memo_level]),
            (*SECOND, [memo_standards, safety]),
        ],
    )
    with pytest.warns(UserWarning) as record:
        project = read_qdpx(path)
    # One warning, counting the three memo codings among the unmapped.
    assert [str(w.message) for w in record.list] == [
        "memo.qdpx: 3 coding(s) did not map onto framework 'wang2026' (see .unmapped) "
        "and 1 problem(s) were found (see .problems)"
    ]
    units = project[LI].units
    # Before the fix the first clause served public_safety too and the memo level scored it.
    assert units["unit_id"].tolist() == ["D1:0-11"]
    assert units["objectives"].tolist() == [("rights_protection",)]
    assert "AS" not in units.columns
    unmapped = project.unmapped.set_index("guid")
    assert unmapped.loc[memo_safety, "reason"].startswith(
        "named like the objective 'public_safety' but under 'Memo flags'; read only as an "
        "objective under an objectives code ('Objectives'), or at top level"
    )
    assert unmapped.loc[memo_standards, "reason"].startswith(
        "named like the instrument 'standards_and_norms' (family 'Mandatory') but under 'Memo flags'"
    )
    assert "named like the level AS=5 but under 'Memo flags'" in unmapped.loc[memo_level, "reason"]
    assert "Public Safety and Interests (public_safety)" in unmapped.loc[memo_safety, "closest"]
    # The second clause, whose only instrument was the memo's, is an incomplete unit, not lost.
    assert project.problems["problem"].tolist() == ["incomplete unit, left out: no instrument"]
    codes_table = project.codes.set_index("guid")
    assert codes_table.loc[memo_safety, "path"] == "Memo flags / Public safety"
    assert pd.isna(codes_table.loc[memo_safety, "part"])
    assert codes_table.loc[safety, ["part", "key"]].tolist() == ["objective", "public_safety"]

    with pytest.raises(ValidationError, match=r"3 unmapped coding\(s\) and 1 problem\(s\)") as error:
        read_qdpx(path, strict=True)
    problems = error.value.problems
    assert problems["problem"].str.contains("but under 'Memo flags'").sum() == 3


# (parents from the top, code name) -> what it maps to, or None.
PLACEMENTS = [
    # The layout write_qdc gives, in English and Chinese.
    (["Mandatory"], "Standards and Norms", ("instrument", "standards_and_norms")),
    (["强制型"], "标准规范", ("instrument", "standards_and_norms")),
    (["Objectives"], "Public safety", ("objective", "public_safety")),
    (["政策目标"], "公共安全", ("objective", "public_safety")),
    (["AS · Audience scope"], "AS = 5 · All departments", ("level", "AS=5")),
    (["发文权威"], "行政法规", ("level", "DA=5")),
    # Other names a team gives its branches.
    (["Goals"], "Rights protection", ("objective", "rights_protection")),
    (["Instruments"], "Standards and Norms", ("instrument", "standards_and_norms")),
    (["政策工具"], "基础设施", ("instrument", "infrastructure")),
    (["Scores"], "AS = 5", ("level", "AS=5")),
    # Codes in between that stand for nothing only group; the nearest that stands for something decides.
    (["Mandatory", "Binding rules"], "Standards and Norms", ("instrument", "standards_and_norms")),
    (["Objectives", "Memo flags"], "Public safety", ("objective", "public_safety")),
    (["Memo flags", "Objectives"], "Public safety", ("objective", "public_safety")),
    (["Project", "Objectives"], "Public safety", ("objective", "public_safety")),
    # A sub-code of the same item (a finer or translated name).
    (["Standards and Norms"], "标准规范", ("instrument", "standards_and_norms")),
    # Top level: nothing contradicts the name (QualCoder, MAXQDA: uncategorised codes).
    ([], "Public safety", ("objective", "public_safety")),
    ([], "AS = 5", ("level", "AS=5")),
    # Branches that contradict the name.
    (["Memo flags"], "Public safety", None),
    (["Memo flags", "Flags"], "Public safety", None),
    (["Mandatory"], "Public safety", None),
    (["Objectives"], "Standards and Norms", None),
    (["Voluntary"], "Standards and Norms", None),
    (["MI · Measure intensity"], "AS = 5", None),
    (["Memo flags"], "AS = 5", None),
    (["Public safety"], "Standards and Norms", None),
]


@pytest.mark.parametrize(("parents", "name", "expected"), PLACEMENTS)
def test_where_a_code_sits_decides_whether_its_name_counts(tmp_path, parents, name, expected):
    placed = guid()
    inner = code(name, guid_=placed)
    for parent in reversed(parents):
        inner = code(parent, inner, codable=False)
    # A complete clause coded with flat codes next to it, so that the project has a coder.
    baseline = {name: guid() for name in ("Infrastructure", "Rights protection", "AS = 3", "MI = 1")}
    codes = "".join(code(name, guid_=g) for name, g in baseline.items()) + inner
    path = build_project(
        tmp_path / "p.qdpx", codes, TEXT, [(*FIRST, list(baseline.values())), (*SECOND, [placed])]
    )
    project = read_quietly(path)
    row = project.codes.set_index("guid").loc[placed]
    assert row["path"] == " / ".join([*parents, name])
    if expected is None:
        assert pd.isna(row["part"])
        assert row["reason"].startswith("named like the ")
        assert f"but under {' / '.join(parents)!r}" in row["reason"]
        assert project.unmapped["guid"].tolist() == [placed]
    else:
        assert (row["part"], row["key"]) == expected
        assert pd.isna(row["reason"])
        assert project.unmapped.empty


def test_an_instrument_under_another_family_names_both(tmp_path):
    placed, objective = guid(), guid()
    codes = code("Voluntary", code("Standards and Norms", guid_=placed), codable=False) + code(
        "Objectives", code("Public safety", guid_=objective), codable=False
    )
    path = build_project(tmp_path / "p.qdpx", codes, TEXT, [(*FIRST, [placed, objective])])
    with pytest.raises(ValidationError, match="no coder coded anything usable") as error:
        read_quietly(path)
    reasons = error.value.problems["problem"].tolist()
    assert (
        "unmapped code (named like the instrument 'standards_and_norms' (family 'Mandatory') but "
        "under 'Voluntary'; read only as an instrument under its family's code ('Mandatory'), "
        "or at top level)"
    ) in reasons


def test_a_name_shared_by_an_instrument_and_an_objective_is_read_by_its_branch(tmp_path):
    framework = pq.Framework(
        "shared",
        "Shared names",
        families=[pq.InstrumentFamily("support", "Support")],
        instruments=[pq.Instrument("innovation_fund", "Innovation", family="support")],
        objectives=[pq.Objective("innovation", "Innovation")],
    )
    as_instrument, as_objective, top = guid(), guid(), guid()
    codes = (
        code("Support", code("Innovation", guid_=as_instrument), codable=False)
        + code("Objectives", code("Innovation", guid_=as_objective), codable=False)
        + code("Innovation", guid_=top)
    )
    path = build_project(tmp_path / "p.qdpx", codes, TEXT, [(*FIRST, [as_instrument, as_objective, top])])
    project = read_quietly(path, framework)
    assert project[LI].units[["instrument", "objectives"]].to_numpy().tolist() == [
        ["innovation_fund", ("innovation",)]
    ]
    reason = project.unmapped.set_index("guid").loc[top, "reason"]
    assert (
        reason
        == "the name is ambiguous: it names the instrument 'innovation_fund' and the objective 'innovation'"
    )


def test_a_flat_codebook_exported_by_taguette_still_maps_by_name(tmp_path):
    """Taguette, a real QDA program, exports flat codebooks: no parents, every code at top level."""
    pytest.importorskip("taguette")
    import logging

    from taguette import database, export
    from taguette.database import models

    logging.getLogger("alembic").setLevel(logging.WARNING)
    session = database.connect(f"sqlite:///{tmp_path / 'taguette.sqlite3'}")()
    project = models.Project(name="AI policy", description="")
    session.add(project)
    session.flush()
    names = ["标准规范", "Public safety", "AS = 5", "MI = 3 · Fairly clear", "memo"]
    for name in names:
        session.add(models.Tag(project=project, path=name, description=""))
    session.commit()
    tags = list(session.query(models.Tag).filter(models.Tag.project_id == project.id))
    buffer = io.BytesIO()
    export.codebook_xml(tags, buffer)
    session.close()
    exported = buffer.getvalue().decode("utf-8")
    assert 'origin="Taguette' in exported
    codes = re.search(r"<Codes>(.*)</Codes>", exported, flags=re.S).group(1)
    guids = dict(re.findall(r'<Code guid="([^"]+)" name="([^"]+)"', codes))
    by_name = {name: g for g, name in guids.items()}
    path = build_project(
        tmp_path / "taguette.qdpx",
        codes,
        TEXT,
        [(*FIRST, [by_name[name] for name in names])],
        origin="Taguette 1.5.2",
    )
    read = read_quietly(path)
    assert read[LI].units[["instrument", "objectives", "AS", "MI"]].to_numpy().tolist() == [
        ["standards_and_norms", ("public_safety",), 5, 3]
    ]
    assert read.unmapped["code"].tolist() == ["memo"]


def test_the_hand_made_maxqda_project_still_maps_as_before(tmp_path):
    """The nested, foreign-GUID export of tests/data/refi: every code in its framework branch."""
    project = read_quietly(zip_fixture(REFI_DATA / "two_coders", tmp_path / "p.qdpx"))
    assert project.unmapped["code"].tolist() == ["Interesting quote", "Standard and norm", "强制型"]
    mapped = project.codes.dropna(subset=["part"])
    assert len(mapped) == 12


def _renew_guids(path: Path, target: Path) -> Path:
    """The project as a QDA program that gives every code a new GUID would export it."""
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    qde = members["project.qde"].decode("utf-8")
    codebook = re.search(r"<CodeBook>.*</CodeBook>", qde, flags=re.S).group(0)
    for old in re.findall(r'<Code guid="([0-9A-F-]{36})"', codebook):
        qde = qde.replace(old, str(uuid.uuid4()).upper())
    members["project.qde"] = qde.encode("utf-8")
    with zipfile.ZipFile(target, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return target


def test_the_codebook_layout_policyquant_writes_maps_by_name_and_branch_alone(tmp_path):
    corpus = pq.datasets.load_genai_china().subset(["N01", "P01"])
    written = write_qdpx({"A": corpus}, tmp_path / "own.qdpx")
    renewed = _renew_guids(written, tmp_path / "renewed.qdpx")
    assert qdc_guid(WANG, "objective", "public_safety").encode() not in zipfile.ZipFile(renewed).read(
        "project.qde"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        by_guid, by_name = read_qdpx(written), read_qdpx(renewed)
    assert by_name["A"] == by_guid["A"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_write_qdcs_layout_maps_back_by_name_for_any_framework(data, tmp_path):
    from policyquant.testing.strategies import corpora, frameworks

    framework = data.draw(frameworks(max_instruments=5, max_objectives=4, max_dimensions=2, max_levels=3))
    illegal = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
    names = [
        n
        for item in (*framework.families, *framework.instruments, *framework.objectives)
        for n in item.names()
    ]
    if framework.scale is not None:
        for dimension in framework.scale.dimensions:
            names += [dimension.label, dimension.description]
            names += [t for level in dimension.levels for t in (level.label, level.description)]
    names += [
        item.description for item in (*framework.families, *framework.instruments, *framework.objectives)
    ]
    if any(illegal.search(name) for name in names) or not (framework.instruments or framework.objectives):
        return
    corpus = data.draw(corpora(framework, max_documents=2, max_units=4))
    written = write_qdpx({"A": corpus}, tmp_path / "own.qdpx")
    renewed = _renew_guids(written, tmp_path / "renewed.qdpx")
    by_guid = read_qdpx(written, framework)
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        by_name = read_qdpx(renewed, framework)
    assert by_name["A"] == by_guid["A"], [str(w.message) for w in record]


def test_a_policyquant_code_moved_under_a_memo_branch_keeps_its_guid_mapping(tmp_path):
    """Codes with the GUIDs write_qdc gave are policyquant's own: trusted wherever they sit."""
    corpus = pq.datasets.load_genai_china().subset(["N01"])
    written = write_qdpx(corpus, tmp_path / "own.qdpx")
    folder = tmp_path / "moved"
    with zipfile.ZipFile(written) as archive:
        archive.extractall(folder)
    qde = (folder / "project.qde").read_text(encoding="utf-8")
    safety = qdc_guid(WANG, "objective", "public_safety")
    element = re.search(rf'\s*<Code guid="{safety}".*?</Code>', qde, flags=re.S).group(0)
    qde = qde.replace(element, "").replace(
        "</Codes>",
        f'<Code guid="{guid()}" name="Memo flags" isCodable="false">{element}</Code></Codes>',
    )
    (folder / "project.qde").write_text(qde, encoding="utf-8")
    moved = zip_fixture(folder, tmp_path / "moved.qdpx")
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        project = read_qdpx(moved)
    assert project.codes.set_index("guid").loc[safety, "path"].startswith("Memo flags / ")
    assert project["coder"] == read_qdpx(written)["coder"]


# --------------------------------------------------------------------------
# Item 9: unit texts through a project, exactly, or refused naming the unit.


def corpus_with_texts(texts: list, unit_ids: list[str] | None = None) -> pq.Corpus:
    count = len(texts)
    units = pd.DataFrame(
        {
            "unit_id": unit_ids or [f"P01-1-{n + 1}" for n in range(count)],
            "doc_id": ["P01"] * count,
            # object: pandas' default (Arrow) strings cannot hold a lone surrogate at all.
            "text": pd.Series(texts, dtype=object),
            "instrument": ["standards_and_norms"] * count,
            "objectives": ["public_safety"] * count,
            "AS": [3] * count,
            "MI": [5] * count,
        }
    )
    return pq.Corpus(pd.DataFrame({"doc_id": ["P01"], "DA": [3]}), units)


def texts_of(corpus: pq.Corpus) -> list:
    return [None if pd.isna(t) else t for t in corpus.units["text"]]


AWKWARD_TEXTS = [
    "   ",
    "\t",
    " \u3000\xa0",
    "\n",
    "\r\n",
    "\r",
    "\r\n\r\n",
    "line\rbreaks\r\nof\nevery\x85kind\u2028and\u2029more",
    "\x00",
    "NUL \x00 inside",
    "\ufffe",
    "\uffff and \ufffe",
    "bell \x07, escape \x1b, unit separator \x1f, delete \x7f",
    "\ufeff",
    "😀 astral \U0010fffd",
    "  padded  ",
    "[P01-1-1]",
]


def test_whitespace_only_and_control_character_texts_round_trip(tmp_path):
    corpus = corpus_with_texts([*AWKWARD_TEXTS, None])
    path = write_qdpx(corpus, tmp_path / "p.qdpx")
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        back = read_qdpx(path)["coder"]
    # Before the fix, blank texts came back as "[P01-1-1]" and control characters were refused.
    assert texts_of(back) == [*AWKWARD_TEXTS, None]
    assert back.units["unit_id"].tolist() == corpus.units["unit_id"].tolist()


def test_a_unit_without_text_is_an_empty_selection_not_a_placeholder(tmp_path):
    corpus = corpus_with_texts(["", None, "kept"])
    assert texts_of(corpus) == [None, None, "kept"]  # a Corpus holds no empty text
    path = write_qdpx(corpus, tmp_path / "p.qdpx")
    with zipfile.ZipFile(path) as archive:
        qde = archive.read("project.qde").decode("utf-8")
        source = next(archive.read(n) for n in archive.namelist() if n.startswith("sources/"))
    assert source == b"\n\n\n\nkept" and b"[P01" not in source
    assert 'name="P01-1-1" startPosition="0" endPosition="0"' in qde
    assert texts_of(read_qdpx(path)["coder"]) == [None, None, "kept"]


def test_two_coders_whose_blank_texts_differ_are_told_apart(tmp_path):
    # Before the fix both texts became the same placeholder and the difference was lost.
    first, second = corpus_with_texts(["  ", "x"]), corpus_with_texts(["\t", "x"])
    with pytest.raises(ValidationError, match="another document or text"):
        write_qdpx({"A": first, "B": second}, tmp_path / "p.qdpx")


@pytest.mark.parametrize("character", ["\ud800", "\udfff", "\ud83d\ude00"])
def test_a_lone_surrogate_is_refused_naming_the_unit_and_the_character(tmp_path, character):
    # A corpus stores text as UTF-8, which cannot hold one: it is refused when the corpus is
    # built, with the row and column, so that no writer ever meets it.
    with pytest.raises(ValidationError) as error:
        corpus_with_texts(["fine", f"bad {character} text"])
    code = f"U+{ord(character[0]):04X}"
    problem = error.value.problems.iloc[0]
    assert (problem["row"], problem["column"]) == (1, "text")
    assert f"lone surrogate {code} at position 4" in problem["problem"]
    assert "replace the character" in problem["expected"]
    assert len(error.value.problems) == 1


@pytest.mark.parametrize(
    ("coders", "column", "owner"),
    [
        ({"bell\x07": "corpus"}, "coder", "'bell\\x07'"),
        ({"A": "doc"}, "doc_id", "'P\\x0001'"),
        ({"A": "unit"}, "unit_id", "'u\\ufffe1'"),
    ],
)
def test_names_xml_cannot_hold_are_refused_naming_them(tmp_path, coders, column, owner):
    ((coder, what),) = coders.items()
    corpus = corpus_with_texts(["x"])
    if what == "doc":
        corpus = pq.Corpus(corpus.documents.assign(doc_id="P\x0001"), corpus.units.assign(doc_id="P\x0001"))
    elif what == "unit":
        corpus = corpus_with_texts(["x"], unit_ids=["u\ufffe1"])
    target = tmp_path / "p.qdpx"
    with pytest.raises(
        ValidationError, match=re.escape(f"the {column} {owner} holds the character U+")
    ) as error:
        write_qdpx({coder: corpus}, target)
    assert error.value.problems.loc[0, "column"] == column
    assert "rename the" in error.value.problems.loc[0, "expected"]
    assert not target.exists()


def test_a_project_file_name_xml_cannot_hold_still_gives_a_readable_project(tmp_path):
    # The name is only the project's label; before the fix it broke project.qde.
    path = write_qdpx(corpus_with_texts(["x"]), tmp_path / "study\x01.qdpx")
    assert read_qdpx(path)["coder"].units["text"].tolist() == ["x"]


_CHARACTERS = st.one_of(
    st.characters(),
    st.sampled_from(
        [*"\x00\x01\x1f\x7f\x85\r\n\t \u3000\ufeff\ufffe\uffff\u2028\ud800\udbff\udc00\U0001f600"]
    ),
)
TEXTS = st.one_of(
    st.none(),
    st.text(_CHARACTERS, max_size=12),
    st.text(st.sampled_from(" \t\r\n\u3000\xa0"), min_size=1, max_size=6),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(TEXTS, min_size=1, max_size=5))
def test_any_unit_text_round_trips_or_is_refused_naming_the_unit(tmp_path, texts):
    corpus = corpus_with_texts(texts)
    expected = texts_of(corpus)
    target = tmp_path / "p.qdpx"
    target.unlink(missing_ok=True)
    surrogate = re.compile("[\ud800-\udfff]")
    try:
        write_qdpx(corpus, target)
    except ValidationError as error:
        refused = [n for n, text in enumerate(expected) if text is not None and surrogate.search(text)]
        assert refused, str(error)
        problems = error.problems
        assert problems["column"].tolist() == ["text"] * len(refused)
        for n, problem in zip(refused, problems["problem"], strict=True):
            assert problem.startswith(f"the text of unit 'P01-1-{n + 1}' holds the character U+D")
        assert not target.exists()
        return
    assert not any(text is not None and surrogate.search(text) for text in expected)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        back = read_qdpx(target)["coder"]
    assert texts_of(back) == expected
    assert back.units["unit_id"].tolist() == corpus.units["unit_id"].tolist()


# --------------------------------------------------------------------------
# Item 9, codebooks: the same class of defect in write_qdc / read_qdc.


def _framework(label: str = "Licensing", description: str = "") -> pq.Framework:
    return pq.Framework(
        "codes",
        "Codes",
        families=[pq.InstrumentFamily("regulation", "Regulation", description=description)],
        instruments=[pq.Instrument("licensing", label, family="regulation", description=description)],
        objectives=[pq.Objective("safety", "Safety", description=description)],
    )


@pytest.mark.parametrize("description", ["   ", "\t", "\r\n", "\r", "  \n  ", "\n\n", "a\rb\r\nc\x85d"])
def test_blank_and_line_break_descriptions_round_trip_through_a_codebook(tmp_path, description):
    framework = _framework(description=description)
    back = read_qdc(write_qdc(framework, tmp_path / "c.qdc"))
    assert back.get("instrument", "licensing").description == description
    assert back.families[0].description == description
    project = read_qdpx(write_qdpx(corpus_for(framework), tmp_path / "p.qdpx"), framework=None)
    assert project.framework.get("objective", "safety").description == description


def corpus_for(framework: pq.Framework) -> pq.Corpus:
    units = pd.DataFrame(
        {
            "unit_id": ["u1"],
            "doc_id": ["d"],
            "text": ["t"],
            "instrument": ["licensing"],
            "objectives": ["safety"],
        }
    )
    return pq.Corpus(pd.DataFrame({"doc_id": ["d"]}), units, framework)


@pytest.mark.parametrize(
    ("label", "description", "column", "character"),
    [
        ("Lic\ufffeensing", "", "code 'Lic\\ufffeensing'", "U+FFFE"),
        ("Licensing", "rule \uffff", "description of code 'Licensing'", "U+FFFF"),
        ("Licensing", "NUL \x00", "description of code 'Licensing'", "U+0000"),
    ],
)
def test_codebook_text_xml_cannot_hold_is_refused_naming_the_code(
    tmp_path, label, description, column, character
):
    target = tmp_path / "c.qdc"
    with pytest.raises(ValidationError, match=re.escape(character)) as error:
        write_qdc(_framework(label, description), target)
    problems = error.value.problems
    assert column in problems["column"].tolist()
    assert problems["expected"].str.contains("edit the framework's name or description").all()
    assert not target.exists()

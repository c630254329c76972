"""Memos (issue 14 item 7): a coder's free-text note on a unit or document travels everywhere.

A ``memo`` column of the units and of the documents is read under its English and Chinese
headers, kept exactly (never checked against any category; blank is no memo), written and
read back by every format, the Excel template, REFI-QDA projects (``Notes``/``NoteRef``), and
shown next to each coder's code in the disagreement and adjudication sheets.

QualCoder is not on the package index this project can reach: what its import keeps of a
project is checked by the rule its source (``src/qualcoder/refi.py``) applies, as in
tests/test_qda_exchange.py: a coding's memo is its ``PlainTextSelection``'s ``Description``,
a file's memo its ``TextSource``'s ``Description``, and ``parse_notes`` fails on a ``Note``
with neither ``creationDateTime`` nor ``modifiedDateTime``.  Taguette, installed here, keeps
no memos at all (its highlights have none, and it imports only documents and CSV codebooks),
so there is nothing of memos to exchange with it.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import openpyxl
import pandas as pd
import pytest
import xmlschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from qdpx_fixtures import PROJECT_NS, build_project, edit_project

import policyquant as pq
from policyquant._excel import _put_text
from policyquant._text import normalize_name
from policyquant.corpus import DOCUMENT_FIELDS, UNIT_FIELDS
from policyquant.errors import ValidationError
from policyquant.io import HEADER_ALIASES, read_qdpx, standardize_columns, write_coding_template, write_qdpx
from policyquant.reliability import adjudicate, disagreements

SCHEMAS = Path(pq.io.__file__).parent / "schemas"
WANG = pq.get_framework("wang2026")
STUDY = pq.datasets.load_genai_china()
SMALL = STUDY.subset(["N01", "N02"])
MEMO_HEADERS = ("memo", "memos", "note", "notes", "comment", "备注", "备忘", "备忘录", "批注")

# Memos that break careless writers and readers: formulas and error values for Excel, leading
# zeros, every kind of line break, Excel's own escape syntax, CJK, spaces around the text.
AWKWARD = [
    "=SUM(A1:A3)",
    "+1",
    "-2",
    "@x",
    "#N/A",
    "NA",
    "nan",
    "None",
    "007",
    "1e5",
    "TRUE",
    "2023-07-13",
    "第一行\n第二行",
    "a\r\nb\rc",
    "  留空格  ",
    "_x000D_ literal",
    "tab\there",
    "引号 \"quoted\", comma; semicolon；顿号、",
    "\ufeffbom",
]


@pytest.fixture(scope="module")
def project_schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(SCHEMAS / "Project.xsd"))


def with_memos(corpus: pq.Corpus, units: list, documents: list | None = None) -> pq.Corpus:
    """The corpus with these memos on its first units (and documents), the others blank."""
    unit_table, document_table = corpus.units, corpus.documents
    unit_table["memo"] = (list(units) + [None] * len(unit_table))[: len(unit_table)]
    document_table["memo"] = (list(documents or []) + [None] * len(document_table))[: len(document_table)]
    return pq.Corpus(document_table, unit_table, corpus.framework)


def expected(memo: str | None) -> str | None:
    """What a memo reads back as: itself, or nothing when it is blank."""
    return memo if isinstance(memo, str) and memo.strip() else None


def memos_of(table: pd.DataFrame) -> list:
    return [None if pd.isna(v) else v for v in table["memo"].tolist()]


# -- the column ---------------------------------------------------------------------------------------


def test_memo_is_a_known_field_of_both_tables():
    assert DOCUMENT_FIELDS[-1] == "memo" and UNIT_FIELDS[-1] == "memo"
    for table in ("documents", "units"):
        assert set(MEMO_HEADERS) <= set(HEADER_ALIASES[table]["memo"])


@pytest.mark.parametrize("table", ["documents", "units"])
def test_every_memo_header_maps_onto_memo_and_no_alias_is_claimed_twice(table):
    for header in [*MEMO_HEADERS, "Memo", "NOTES", " 备注 "]:
        renamed = standardize_columns(pd.DataFrame(columns=[header]), table, WANG)
        assert list(renamed.columns) == ["memo"], header
    spellings = [normalize_name(a) for names in HEADER_ALIASES[table].values() for a in set(names)]
    assert len(spellings) == len(set(spellings))


def test_two_memo_columns_are_refused_by_name():
    frame = pd.DataFrame(columns=["unit_id", "备注", "notes"])
    with pytest.raises(ValidationError, match="a second column for 'memo'") as error:
        standardize_columns(frame, "units", WANG, source="units.csv")
    assert error.value.problems.loc[0, "column"] == "notes"


def test_a_memo_is_text_kept_exactly_and_never_checked():
    memos = ["标准规范", "not an instrument", "  spaced\r\n", "   ", "", None, 7, "007", "=A1"]
    corpus = with_memos(SMALL, memos, ["文件备注\n第二行"])
    # The corpus's one text dtype (UTF-8 in Arrow memory), whatever the memo cells held.
    assert corpus.units["memo"].dtype == pd.StringDtype("pyarrow")
    # Words that name codes stay words: a memo is never read as a code, nor reported.
    assert memos_of(corpus.units)[: len(memos)] == [
        "标准规范",
        "not an instrument",
        "  spaced\r\n",
        None,
        None,
        None,
        "7",
        "007",
        "=A1",
    ]
    assert corpus.units["instrument"].tolist() == SMALL.units["instrument"].tolist()
    assert memos_of(corpus.documents) == ["文件备注\n第二行", None]


def test_chinese_memo_headers_read_from_a_coding_sheet(tmp_path):
    (tmp_path / "documents.csv").write_text("文件编号,发文权威,备忘录\nP01,部门或省级工作文件,来源待核\n", encoding="utf-8")
    (tmp_path / "units.csv").write_text(
        "条款编号,文件编号,政策工具,政策目标,作用范围,措施力度,批注\n"
        'P01-1-1,P01,标准规范,公共安全与利益,3,5,"=为何是标准规范？\n见第二款"\n'
        "P01-1-2,P01,标准规范,公共安全与利益,3,5,\n",
        encoding="utf-8",
    )
    corpus = pq.read_coding(tmp_path)
    assert memos_of(corpus.units) == ["=为何是标准规范？\n见第二款", None]
    assert memos_of(corpus.documents) == ["来源待核"]


# -- every format -------------------------------------------------------------------------------------

# Text a file of every format holds: no lone surrogates, and none of the characters an Excel
# cell cannot hold (C0 controls but tab and line breaks, U+FFFE, U+FFFF), which write_coding
# refuses for a workbook by name (tests/test_integrity_excel.py).
MEMO_TEXT = st.text(
    st.characters(
        blacklist_categories=("Cs",),
        blacklist_characters="".join(map(chr, [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)]))
        + "\ufffe\uffff",
    ),
    max_size=40,
)
MEMOS = st.one_of(st.none(), st.sampled_from(AWKWARD), MEMO_TEXT)


@pytest.mark.parametrize("format", ["csv", "excel", "parquet", "json"])
def test_awkward_memos_survive_every_format(tmp_path, format):
    corpus = with_memos(SMALL, AWKWARD, ["=HYPERLINK(\"x\")", "007"])
    target = tmp_path / {"csv": "study", "excel": "study.xlsx", "parquet": "study", "json": "study.json"}[format]
    pq.write_coding(corpus, target, format=format)
    read = pq.read_coding(target)
    assert read == corpus
    assert memos_of(read.units)[: len(AWKWARD)] == AWKWARD
    assert memos_of(read.documents) == ['=HYPERLINK("x")', "007"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(units=st.lists(MEMOS, min_size=1, max_size=6), documents=st.lists(MEMOS, max_size=2))
def test_any_memos_round_trip_through_every_format_and_corpus_export(tmp_path_factory, units, documents):
    corpus = with_memos(SMALL, units, documents)
    assert memos_of(corpus.units)[: len(units)] == [expected(m) for m in units]
    folder = tmp_path_factory.mktemp("memos")
    writers = {
        "csv": (corpus.to_csv, folder / "csv"),
        "excel": (corpus.to_excel, folder / "study.xlsx"),
        "parquet": (corpus.to_parquet, folder / "parquet"),
        "json": (corpus.to_json, folder / "study.json"),
    }
    for name, (write, target) in writers.items():
        write(target)
        read = pq.read_coding(target)
        assert memos_of(read.units) == memos_of(corpus.units), name
        assert memos_of(read.documents) == memos_of(corpus.documents), name
        assert read == corpus, name


def test_a_workbook_stores_formula_like_memos_as_text(tmp_path):
    target = tmp_path / "study.xlsx"
    pq.write_coding(with_memos(SMALL, ["=SUM(A1:A3)", "#N/A"]), target)
    sheet = openpyxl.load_workbook(target)["units"]
    column = [c.value for c in sheet[1]].index("memo") + 1
    cells = [sheet.cell(row=row, column=column) for row in (2, 3)]
    assert [cell.data_type for cell in cells] == ["s", "s"]  # text, not a formula or an error
    assert [cell.value for cell in cells] == ["=SUM(A1:A3)", "#N/A"]


# -- the Excel template ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "header"), [("en", "memo"), ("zh", "备注")])
def test_the_template_has_a_wide_wrapped_text_memo_column_last(tmp_path, language, header):
    path = write_coding_template(WANG, tmp_path / "t.xlsx", language=language)
    book = openpyxl.load_workbook(path)
    for sheet in (book.worksheets[1], book.worksheets[2]):  # documents, units
        headers = [c.value for c in sheet[1]]
        assert headers[-1] == header
        letter = openpyxl.utils.get_column_letter(len(headers))
        dimension = sheet.column_dimensions[letter]
        assert dimension.width >= 30
        assert dimension.alignment.wrap_text
        assert dimension.number_format == "@"
        prompts = [v.prompt for v in sheet.data_validations.dataValidation if letter + "2" in str(v.sqref)]
        assert prompts and ("your note" in prompts[0].lower() or "编码备注" in prompts[0])
    instructions = "\n".join(str(r[0]) for r in book.worksheets[0].iter_rows(values_only=True) if r[0])
    assert ("Memo:" if language == "en" else "备注：") in instructions


@pytest.mark.parametrize("language", ["en", "zh"])
def test_memos_typed_into_the_template_read_back(tmp_path, language):
    path = write_coding_template(WANG, tmp_path / "t.xlsx", language=language)
    book = openpyxl.load_workbook(path)
    documents, units = book.worksheets[1], book.worksheets[2]
    level = "national" if language == "en" else "国家级"
    documents.append(["P01", "示例", None, level, None, 2023, None, 3])
    _put_text(documents.cell(row=2, column=documents.max_column), "文件\n备注")
    instrument = "Standards and Norms" if language == "en" else "标准规范"
    objective = "Public Safety and Interests" if language == "en" else "公共安全与利益"
    memos = ["=为何？\n见第二款", "007", None]
    for row, memo in enumerate(memos, start=2):
        units.append([f"P01-1-{row}", "P01", "……", instrument, objective, 5, 3])
        if memo is not None:
            # As Excel keeps what a coder types into a text-formatted cell: text, even "=...".
            _put_text(units.cell(row=row, column=units.max_column), memo)
    book.save(path)
    corpus = pq.read_coding(path)
    assert memos_of(corpus.units) == memos
    assert memos_of(corpus.documents) == ["文件\n备注"]
    assert corpus.units["instrument"].tolist() == ["standards_and_norms"] * 3


def test_a_template_prefilled_with_documents_keeps_their_memos(tmp_path):
    prefilled = with_memos(SMALL, [], ["=来源待核", None])
    path = write_coding_template(WANG, tmp_path / "t.xlsx", documents=prefilled)
    read = pq.read_coding(path)
    assert memos_of(read.documents) == ["=来源待核", None]


# -- REFI-QDA projects ------------------------------------------------------------------------------------


def qde(path: Path) -> ET.Element:
    with zipfile.ZipFile(path) as archive:
        return ET.fromstring(archive.read("project.qde"))


def two_coders() -> dict[str, pq.Corpus]:
    li = with_memos(SMALL, ["Li: 强制性规定\n见第三款", None, "  留空格 \r\n"], ["Li 对文件的备注", None])
    units = SMALL.units
    units.loc[0, "instrument"] = "infrastructure"
    wang = with_memos(pq.Corpus(SMALL.documents, units), ["Wang: 更像基础设施", "=仅王有"], [None, "王: 第二份"])
    return {"Li": li, "Wang": wang}


def test_memos_are_notes_referenced_from_the_coders_selection_and_source(tmp_path, project_schema):
    coders = two_coders()
    path = write_qdpx(coders, tmp_path / "study.qdpx")
    root = qde(path)
    project_schema.validate(ET.tostring(root, encoding="unicode"))
    users = {u.get("guid"): u.get("name") for u in root.iter(PROJECT_NS + "User")}
    notes = {n.get("guid"): n for n in root.find(PROJECT_NS + "Notes")}
    # One Note per memo, owned by its coder, with a date (QualCoder's import needs one).
    written = sum(int(corpus.units["memo"].notna().sum() + corpus.documents["memo"].notna().sum()) for corpus in coders.values())
    assert len(notes) == written == 6
    assert all(n.get("creationDateTime") for n in notes.values())
    found_units = {}
    for selection in root.iter(PROJECT_NS + "PlainTextSelection"):
        refs = selection.findall(PROJECT_NS + "NoteRef")
        if not refs:
            assert selection.find(PROJECT_NS + "Description") is None
            continue
        (ref,) = refs
        note = notes[ref.get("targetGUID")]
        coder = users[selection.get("creatingUser")]
        assert note.get("creatingUser") == selection.get("creatingUser")
        text = note.find(PROJECT_NS + "PlainTextContent").text
        # QualCoder reads a coding's memo from the selection's Description: the same text.
        assert selection.find(PROJECT_NS + "Description").text == text
        found_units[(coder, selection.get("name"))] = text
    assert found_units == {
        (coder, unit): memo
        for coder, corpus in coders.items()
        for unit, memo in zip(corpus.units["unit_id"], corpus.units["memo"], strict=True)
        if pd.notna(memo)
    }
    found_documents = {}
    for source in root.iter(PROJECT_NS + "TextSource"):
        for ref in source.findall(PROJECT_NS + "NoteRef"):
            note = notes[ref.get("targetGUID")]
            found_documents[(users[note.get("creatingUser")], source.get("name"))] = note.find(
                PROJECT_NS + "PlainTextContent"
            ).text
    assert found_documents == {("Li", "N01"): "Li 对文件的备注", ("Wang", "N02"): "王: 第二份"}
    descriptions = {s.get("name"): s.find(PROJECT_NS + "Description") for s in root.iter(PROJECT_NS + "TextSource")}
    assert descriptions["N01"].text == "Li: Li 对文件的备注"


def test_each_coders_memos_read_back_as_theirs(tmp_path):
    coders = two_coders()
    project = read_qdpx(write_qdpx(coders, tmp_path / "study.qdpx"))
    for name, corpus in coders.items():
        read = project[name]
        assert read.units["unit_id"].tolist() == corpus.units["unit_id"].tolist()
        assert memos_of(read.units) == memos_of(corpus.units)
        assert memos_of(read.documents) == memos_of(corpus.documents)


def test_a_project_without_memos_reads_back_without_a_memo_column(tmp_path):
    project = read_qdpx(write_qdpx(SMALL, tmp_path / "plain.qdpx"))
    assert "memo" not in project["coder"].units.columns
    assert "memo" not in project["coder"].documents.columns
    assert qde(tmp_path / "plain.qdpx").find(PROJECT_NS + "Notes") is None


# XML 1.0 holds these; a carriage return is written as &#13; so that it survives parsing.
XML_MEMO = st.text(
    st.characters(
        blacklist_categories=("Cs",),
        blacklist_characters="".join(map(chr, [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)]))
        + "\ufffe\uffff",
    ),
    max_size=30,
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    units=st.lists(st.one_of(st.none(), st.sampled_from(AWKWARD), XML_MEMO), min_size=1, max_size=5),
    documents=st.lists(st.one_of(st.none(), XML_MEMO), max_size=2),
)
def test_any_memos_round_trip_through_a_project_that_validates(
    tmp_path_factory, project_schema, units, documents
):
    corpus = with_memos(SMALL, units, documents)
    path = write_qdpx({"Li": corpus, "Wang": SMALL}, tmp_path_factory.mktemp("qdpx") / "p.qdpx")
    project_schema.validate(ET.tostring(qde(path), encoding="unicode"))
    project = read_qdpx(path)
    read = project["Li"]
    if corpus.units["memo"].notna().any():
        assert memos_of(read.units) == memos_of(corpus.units)
        assert project["Wang"].units["memo"].isna().all()
    else:
        assert "memo" not in read.units.columns
    if corpus.documents["memo"].notna().any():
        assert memos_of(read.documents) == memos_of(corpus.documents)


def test_a_memo_xml_cannot_hold_is_refused_naming_unit_and_coder(tmp_path):
    corpus = with_memos(SMALL, [None, "bell \x07 here"], ["ok"])
    target = tmp_path / "bad.qdpx"
    with pytest.raises(ValidationError) as error:
        write_qdpx({"Li": corpus}, target)
    problem = error.value.problems.iloc[0]
    assert problem["column"] == "memo"
    assert repr(SMALL.units["unit_id"][1]) in problem["problem"] and "U+0007" in problem["problem"] and "'Li'" in problem["problem"]
    assert not target.exists()


CODES = "".join(
    f'<Code guid="E0000000-0000-4000-8000-00000000000{n}" name="{name}" isCodable="true"/>'
    for n, name in enumerate(["Infrastructure", "Public Safety and Interests", "AS = 5", "MI = 3", "DA = 4"], 1)
)
ALL_CODES = [f"E0000000-0000-4000-8000-00000000000{n}" for n in range(1, 6)]


def test_memos_as_other_programs_write_them_are_read(tmp_path):
    """QualCoder and MAXQDA: the selection's and source's Description; NVivo-style Notes on a coding."""
    path = build_project(tmp_path / "other.qdpx", CODES, "First clause. Second clause.", [(0, 13, ALL_CODES), (14, 28, ALL_CODES)])
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    text = members["project.qde"].decode()
    text = text.replace(
        'creatingUser="A0000000-0000-4000-8000-000000000001"><Coding',
        'creatingUser="A0000000-0000-4000-8000-000000000001"><Description>第一条的备注\r\nline 2</Description><Coding',
        1,
    )
    # The second selection's memo is a Note on one of its codings.
    text = text.replace(
        '<CodeRef targetGUID="E0000000-0000-4000-8000-000000000005"/></Coding></PlainTextSelection>'
        '</TextSource>',
        '<CodeRef targetGUID="E0000000-0000-4000-8000-000000000005"/>'
        '<NoteRef targetGUID="F0000000-0000-4000-8000-000000000001"/></Coding></PlainTextSelection>'
        "</TextSource>",
    )
    text = text.replace(
        "</Sources>",
        '</Sources><Notes><Note guid="F0000000-0000-4000-8000-000000000001" name="n">'
        "<PlainTextContent>NVivo-style note</PlainTextContent></Note></Notes>",
    )
    source_start = text.index("<TextSource")
    source_open_end = text.index(">", source_start) + 1
    text = text[:source_open_end] + "<Description>文件备注</Description>" + text[source_open_end:]
    members["project.qde"] = text.encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    xmlschema.XMLSchema(str(SCHEMAS / "Project.xsd")).validate(text)
    project = read_qdpx(path)
    (corpus,) = project.values()
    assert memos_of(corpus.units) == ["第一条的备注\nline 2", "NVivo-style note"]
    assert memos_of(corpus.documents) == ["文件备注"]


@pytest.mark.parametrize("owner", [None, "B0000000-0000-4000-8000-00000000000B"])
def test_a_document_note_of_no_coder_is_every_coders(tmp_path, owner):
    """A Note of no user, or of a user who coded nothing, is no coder's in particular."""
    written = write_qdpx(two_coders(), tmp_path / "study.qdpx")

    def edit(root: ET.Element) -> None:
        users = root.find(PROJECT_NS + "Users")
        ET.SubElement(users, PROJECT_NS + "User", {"guid": "B0000000-0000-4000-8000-00000000000B", "name": "PI"})
        source = next(s for s in root.iter(PROJECT_NS + "TextSource") if s.get("name") == "N02")
        note = next(n for n in root.find(PROJECT_NS + "Notes") if n.get("name") == "N02")
        if owner is None:
            del note.attrib["creatingUser"]
        else:
            note.set("creatingUser", owner)
        assert source.find(PROJECT_NS + "NoteRef").get("targetGUID") == note.get("guid")

    project = read_qdpx(edit_project(written, tmp_path / "edited.qdpx", edit))
    assert memos_of(project["Li"].documents) == ["Li 对文件的备注", "王: 第二份"]
    assert memos_of(project["Wang"].documents) == [None, "王: 第二份"]
    assert list(project) == ["Li", "Wang"]


def test_qualcoder_keeps_every_coders_memo_by_its_documented_rule(tmp_path):
    """QualCoder's import: a coding's memo is its selection's Description; every Note needs a date."""
    coders = two_coders()
    root = qde(write_qdpx(coders, tmp_path / "study.qdpx"))
    users = {u.get("guid"): u.get("name") for u in root.iter(PROJECT_NS + "User")}
    kept = {}
    for selection in root.iter(PROJECT_NS + "PlainTextSelection"):
        description = selection.find(PROJECT_NS + "Description")
        memo = description.text if description is not None and description.text is not None else ""
        for _ in selection.findall(PROJECT_NS + "Coding"):
            # code_text (cid, fid, seltext, pos0, pos1, owner, memo): the memo of each coding.
            kept.setdefault((users[selection.get("creatingUser")], selection.get("name")), set()).add(memo)
    for name, corpus in coders.items():
        for unit, memo in zip(corpus.units["unit_id"], corpus.units["memo"], strict=True):
            assert kept[(name, unit)] == {memo if pd.notna(memo) else ""}
    for note in root.find(PROJECT_NS + "Notes"):
        # parse_notes: creationDateTime or modifiedDateTime, else the import stops with an error;
        # no plainTextPath, so no Note becomes a journal.
        assert note.get("creationDateTime") or note.get("modifiedDateTime")
        assert note.get("plainTextPath") is None


# -- disagreement and adjudication sheets ---------------------------------------------------------------


def study_coders() -> dict[str, pq.Corpus]:
    units = STUDY.units
    units.loc[1, "instrument"] = "infrastructure"
    units.loc[0, "AS"] = 1
    documents = STUDY.documents
    documents.loc[0, "DA"] = 1
    wang = pq.Corpus(documents, units)
    li = with_memos(STUDY, [None, "=第二款写明\n强制"], ["国务院文件"])
    wang = with_memos(wang, ["范围窄", "standards_and_norms"], ["级别存疑"])
    return {"Li": li, "Wang": wang}


def test_each_coders_memo_stands_next_to_their_code():
    sheet = disagreements(study_coders()).to_frame()
    assert sheet.columns.tolist() == ["id", "doc_id", "text", "dimension", "Li", "Li memo", "Wang", "Wang memo", "decision"]
    rows = sheet.set_index(["id", "dimension"])
    assert rows.loc[("N01-2-4", "instrument"), ["Li", "Li memo", "Wang", "Wang memo"]].tolist() == [
        "standards_and_norms",
        "=第二款写明\n强制",
        "infrastructure",
        "standards_and_norms",
    ]
    assert rows.loc[("N01-2-2", "AS"), ["Li memo", "Wang memo"]].tolist() == [None, "范围窄"]
    # A document-level score shows the coders' memos on the document.
    assert rows.loc[("N01", "DA"), ["Li memo", "Wang memo"]].tolist() == ["国务院文件", "级别存疑"]


def test_the_chinese_sheet_heads_memos_in_chinese_and_shows_them_as_written():
    sheet = disagreements(study_coders(), language="zh").to_frame()
    assert sheet.columns.tolist() == ["编号", "文件", "文本", "编码维度", "Li", "Li 备注", "Wang", "Wang 备注", "裁决"]
    row = sheet.loc[sheet["编号"] == "N01-2-4"].iloc[0]
    assert row["Wang"] == "基础设施" and row["Wang 备注"] == "standards_and_norms"  # a memo is not labelled


def test_without_memos_the_sheet_has_no_memo_columns():
    coders = {name: pq.Corpus(c.documents.drop(columns="memo"), c.units.drop(columns="memo")) for name, c in study_coders().items()}
    assert "Li memo" not in disagreements(coders).to_frame().columns
    blank = {name: with_memos(c, []) for name, c in coders.items()}
    assert disagreements(blank).to_frame().columns.tolist() == disagreements(coders).to_frame().columns.tolist()


@pytest.mark.parametrize(("language", "suffix"), [("zh", ".xlsx"), ("en", ".csv"), (None, ".xlsx")])
def test_a_filled_sheet_with_memos_reads_back_and_no_memo_is_a_decision(tmp_path, language, suffix):
    coders = study_coders()
    found = disagreements(coders, language=language)
    path = found.save(tmp_path / f"sheet{suffix}")
    sheet = pd.read_excel(path, dtype=str) if suffix == ".xlsx" else pd.read_csv(path, dtype=str, encoding="utf-8-sig")
    memo_column = "Wang 备注" if language == "zh" else "Wang memo"
    assert "=第二款写明\n强制" in set(sheet["Li 备注" if language == "zh" else "Li memo"])
    # The Wang memo on N01-2-4 reads "standards_and_norms", a code: it is no decision.
    assert "standards_and_norms" in set(sheet[memo_column])
    decision = "裁决" if language == "zh" else "Decision" if language else "decision"
    sheet[decision] = None
    sheet.to_csv(tmp_path / "filled.csv", index=False, encoding="utf-8-sig")
    with pytest.raises(ValidationError, match="tie"):
        adjudicate(coders, tmp_path / "filled.csv")  # two coders who differ tie, whatever the memos say
    id_column = "编号" if language == "zh" else "ID" if language else "id"
    chosen = sheet[id_column] == "N01-2-4"
    sheet[decision] = sheet["Wang"].where(~chosen, "infrastructure" if language != "zh" else "基础设施")
    sheet.to_csv(tmp_path / "filled.csv", index=False, encoding="utf-8-sig")
    agreed = adjudicate(coders, tmp_path / "filled.csv")
    assert agreed.units.loc[1, "instrument"] == "infrastructure"


def test_the_agreed_corpus_keeps_every_coders_memo_after_their_name():
    coders = study_coders()
    sheet = disagreements(coders).to_frame()
    sheet["decision"] = sheet["Wang"]
    agreed = adjudicate(coders, sheet)
    assert memos_of(agreed.units)[:3] == ["Wang: 范围窄", "Li: =第二款写明\n强制\n\nWang: standards_and_norms", None]
    assert memos_of(agreed.documents)[:2] == ["Li: 国务院文件\n\nWang: 级别存疑", None]


def test_a_coder_named_like_another_coders_memo_column_is_refused():
    coders = study_coders()
    with pytest.raises(ValidationError, match="'Li memo'"):
        disagreements({"Li": coders["Li"], "Li memo": coders["Wang"]})

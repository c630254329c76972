"""policyquant.documents.read_documents: every format, every bad input, folders, zips, progress, both cores."""

from __future__ import annotations

import codecs
import io
import json
import os
import socket
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from documents_fixtures import (
    article_lines,
    cac_page,
    crash_worker,
    encrypt_pdf,
    gov_cn_page,
    write_docx,
    write_official_pdf,
    write_pdf,
    write_scanned_pdf,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policyquant.documents import DocumentSet, read_documents
from policyquant.documents import reading as reading_module
from policyquant.documents._frame import documents_frame
from policyquant.errors import InputTypeError, ReadError, ValidationError

ARTICLES = ["第一条 为了规范生成式人工智能服务，制定本办法。", "第二条 本办法适用于境内的生成式人工智能服务。", "第三条 国家坚持发展和安全并重。"]
TEXT = "生成式人工智能服务管理暂行办法\n" + "\n".join(ARTICLES) + "\n"


def read(source, **options) -> DocumentSet:
    """read_documents without a bar, duplicate warnings recorded rather than shown."""
    options.setdefault("progress", False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return read_documents(source, **options)


def only_problem(documents: DocumentSet) -> dict:
    assert len(documents.problems) == 1, documents.problems
    return documents.problems.iloc[0].to_dict()


# -- Text and Markdown ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "prefix", "expected"),
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", codecs.BOM_UTF8, "utf-8"),
        ("gb18030", b"", "gb18030"),
        ("gbk", b"", "gb18030"),
        ("utf-16-le", codecs.BOM_UTF16_LE, "utf-16"),
        ("utf-16-be", codecs.BOM_UTF16_BE, "utf-16"),
        ("utf-32-le", codecs.BOM_UTF32_LE, "utf-32"),
    ],
)
def test_text_encodings_are_detected(tmp_path, encoding, prefix, expected):
    path = tmp_path / "办法.txt"
    path.write_bytes(prefix + TEXT.encode(encoding))
    documents = read(path)
    row = documents.frame.iloc[0]
    assert row["text"] == TEXT
    assert row["encoding"] == expected
    assert row["title"] == "生成式人工智能服务管理暂行办法"
    assert row["doc_id"] == "办法" and row["format"] == "text"
    assert documents.problems.empty


def test_encoding_argument_overrides_detection(tmp_path):
    path = tmp_path / "a.txt"
    # Big5 bytes that happen to decode as GB18030 into other characters: only encoding= reads them right.
    path.write_bytes("第一條 臺灣".encode("big5"))
    assert read(path).frame.loc[0, "text"] != "第一條 臺灣"
    documents = read(path, encoding="big5")
    assert documents.frame.loc[0, "text"] == "第一條 臺灣"
    assert documents.frame.loc[0, "encoding"] == "big5"


def test_line_ends_are_normalised_and_markdown_title_is_the_first_heading(tmp_path):
    path = tmp_path / "rule.md"
    path.write_bytes("<!-- head -->\r\n\r\n# 数据出境安全评估办法 #\r\n\r\n第一条 内容。\r".encode())
    row = read(path).frame.iloc[0]
    assert row["text"] == "<!-- head -->\n\n# 数据出境安全评估办法 #\n\n第一条 内容。\n"
    assert row["title"] == "数据出境安全评估办法"
    assert row["format"] == "markdown"


@pytest.mark.parametrize("content", [b"", b"  \r\n\t\n", "\u3000\n".encode()])
def test_empty_file_is_a_problem(tmp_path, content):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    documents = read(tmp_path)
    assert len(documents) == 0
    problem = only_problem(documents)
    assert problem["file"].endswith("empty.txt")
    assert "empty" in problem["problem"] and problem["problem"].startswith("not read")
    assert problem["expected"]


def test_bytes_in_no_encoding_are_a_problem_naming_the_line(tmp_path):
    (tmp_path / "bad.txt").write_bytes("第一条 内容。\n第二条 ".encode() + b"\xff\xff\xfe\n")
    problem = only_problem(read(tmp_path))
    assert "cannot decode" in problem["problem"] and "line 2" in problem["problem"]
    assert "encoding" in problem["expected"]


def test_utf16_without_mark_is_a_problem_not_garbage(tmp_path):
    (tmp_path / "u.txt").write_bytes("Article 1 text".encode("utf-16-le"))
    documents = read(tmp_path)
    assert len(documents) == 0
    assert "NUL" in only_problem(documents)["problem"]


# -- Word -------------------------------------------------------------------------------------------


def _word(path: Path, *, header: str | None = None) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph("国务院办公厅文件")
    document.add_paragraph("关于促进平台经济规范健康发展的指导意见", style="Title")
    document.add_paragraph(ARTICLES[0])
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = "附表 重点任务分工"
    for column, text in enumerate(["任务", "牵头单位", "时限"]):
        table.cell(1, column).text = text
    table.cell(2, 0).text = "完善规则"
    table.cell(2, 1).merge(table.cell(2, 2)).text = "市场监管总局"
    document.add_paragraph(ARTICLES[1])
    if header is not None:
        document.sections[0].header.paragraphs[0].text = header
    document.save(path)
    return path


def test_docx_paragraphs_and_tables_in_reading_order(tmp_path):
    documents = read(_word(tmp_path / "意见.docx", header="— 1 — 页眉"))
    row = documents.frame.iloc[0]
    assert row["text"].split("\n") == [
        "国务院办公厅文件",
        "关于促进平台经济规范健康发展的指导意见",
        ARTICLES[0],
        "附表 重点任务分工",
        "任务\t牵头单位\t时限",
        "完善规则\t市场监管总局",
        ARTICLES[1],
    ]
    assert row["title"] == "关于促进平台经济规范健康发展的指导意见"
    assert "页眉" not in row["text"]
    assert row["format"] == "docx" and pd.isna(row["encoding"]) and pd.isna(row["pages"])


def test_docx_from_markdown_lines_reads_back_the_same_lines(tmp_path):
    lines = ["# 网络数据安全管理条例", "## 第一章 总则", *ARTICLES]
    documents = read(write_docx(lines, tmp_path / "条例.docx"))
    assert documents.frame.loc[0, "text"].split("\n") == [line.lstrip("# ") for line in lines]
    assert documents.frame.loc[0, "title"] == "网络数据安全管理条例"


def _rewrite_zip(source: Path, target: Path, change: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info.filename, change.pop(info.filename, old.read(info.filename)))
        for name, data in change.items():
            new.writestr(name, data)
    return target


def test_docx_zip_bomb_is_refused_before_it_is_decompressed(tmp_path):
    plain = _word(tmp_path / "plain.docx")
    folder = tmp_path / "in"
    folder.mkdir()
    # 60 MB of zeros compress to about 60 kB: a thousand times, where text compresses ten.
    _rewrite_zip(plain, folder / "bomb.docx", {"word/media/padding.xml": bytes(60 << 20)})
    documents = read(folder)
    assert len(documents) == 0
    problem = only_problem(documents)
    assert "zip bomb" in problem["expected"] and "refused" in problem["problem"]
    assert problem["file"].endswith("bomb.docx")


def test_docx_with_external_relationships_is_read_without_fetching(tmp_path, monkeypatch):
    source = _word(tmp_path / "source.docx")
    rels = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" '
        b'Target="http://198.51.100.7/template.dotm" TargetMode="External"/></Relationships>'
    )
    with zipfile.ZipFile(source) as archive:
        document_rels = archive.read("word/_rels/document.xml.rels")
    # An ordinary hyperlink is external too, and not worth a problem.
    document_rels = document_rels.replace(
        b"</Relationships>",
        b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" '
        b'Target="https://www.gov.cn/" TargetMode="External"/></Relationships>',
    )
    _rewrite_zip(source, tmp_path / "linked.docx", {"word/_rels/settings.xml.rels": rels, "word/_rels/document.xml.rels": document_rels})
    source.unlink()

    def no_network(*args, **kwargs):
        raise AssertionError("read_documents opened a network connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    documents = read(tmp_path)
    assert len(documents) == 1 and ARTICLES[0] in documents.frame.loc[0, "text"]
    problem = only_problem(documents)
    assert problem["problem"].startswith("read;") and "198.51.100.7/template.dotm" in problem["problem"]
    assert "www.gov.cn" not in problem["problem"]
    assert documents.unread.empty


def test_docx_that_is_no_zip_or_is_damaged(tmp_path):
    (tmp_path / "text.docx").write_text("第一条 not a zip", encoding="utf-8")
    damaged = _word(tmp_path / "damaged.docx")
    damaged.write_bytes(damaged.read_bytes()[:3000])
    documents = read(tmp_path)
    assert len(documents) == 0
    problems = documents.problems.set_index(documents.problems["file"].map(lambda f: Path(f).name))
    assert "not a Word .docx" in problems.loc["text.docx", "problem"]
    assert problems.loc["damaged.docx", "problem"].startswith("not read")


# -- Old Office formats -------------------------------------------------------------------------------

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


@pytest.mark.parametrize(("name", "target"), [("通知.doc", ".docx"), ("通知.wps", ".docx"), ("表.et", ".xlsx"), ("misnamed.docx", ".docx")])
def test_old_binary_office_files_say_save_as(tmp_path, name, target):
    (tmp_path / name).write_bytes(OLE2)
    problem = only_problem(read(tmp_path))
    assert problem["problem"].startswith("not read: an old")
    assert f"save it as {target}" in problem["expected"] and "soffice --headless --convert-to" in problem["expected"]


# -- PDF ---------------------------------------------------------------------------------------------


def test_pdf_text_layer_is_read_page_by_page(tmp_path):
    path = write_pdf([["关于推进数据要素市场化配置的通知", ARTICLES[0]], [ARTICLES[1], "- 2 -"]], tmp_path / "通知.pdf")
    row = read(path).frame.iloc[0]
    assert row["text"].split("\n") == ["关于推进数据要素市场化配置的通知", ARTICLES[0], ARTICLES[1]]
    assert row["pages"] == 2 and row["format"] == "pdf"
    assert row["title"] == "关于推进数据要素市场化配置的通知"


#: Two articles; where the second wraps, its cross-reference 第十二条 starts a line of the PDF.
OFFICIAL = [
    "第一条 为了规范数据处理活动，保障数据安全，促进数据开发利用，保护个人、组织的合法权益，维护国家主权、安全和发展利益，制定本条例。",
    "第二条 在中华人民共和国境内开展数据处理活动及其安全监管，适用本条例。在中华人民共和国境外处理中华人民共和国境内自然人个人信息的活动，"
    "符合法律和行政法规有关规定第十二条规定情形的，也适用本条例。",
]


def test_pdf_wrapped_lines_are_joined_back_into_paragraphs(tmp_path):
    import pdfplumber

    paragraphs = OFFICIAL * 20
    path = write_official_pdf("网络数据安全管理条例", paragraphs, tmp_path / "条例.pdf")
    with pdfplumber.open(path) as pdf:
        raw = [line["text"] for page in pdf.pages for line in page.extract_text_lines()]
        pages = len(pdf.pages)
    # The trap is set: a cross-reference starts a line, and paragraphs run across pages.
    assert any(line.startswith("第十二条") for line in raw) and pages > 3 and len(raw) > 3 * len(paragraphs)
    row = read(path).frame.iloc[0]
    assert row["text"].split("\n") == ["网络数据安全管理条例", *paragraphs]
    assert row["pages"] == pages


def test_pdf_without_text_layer_needs_ocr(tmp_path):
    write_scanned_pdf(tmp_path / "scan.pdf", pages=3)
    problem = only_problem(read(tmp_path))
    assert "no text layer on any of its 3 pages" in problem["problem"]
    assert "OCR" in problem["expected"]


def test_encrypted_pdf(tmp_path):
    plain = write_pdf([[ARTICLES[0]]], tmp_path / "plain.pdf")
    encrypt_pdf(plain, tmp_path / "locked.pdf", user_password="secret")
    encrypt_pdf(plain, tmp_path / "restricted.pdf", user_password="")
    documents = read(tmp_path)
    # An owner password alone (printing or copying restricted) does not keep the text from a reader.
    assert documents.frame["doc_id"].tolist() == ["plain", "restricted"]
    assert documents.frame.loc[1, "duplicate_of"] == "plain"
    unread = documents.unread.iloc[0]
    assert unread["file"].endswith("locked.pdf") and "encrypted" in unread["problem"] and "password" in unread["expected"]


def test_damaged_pdf_is_a_problem_not_a_crash(tmp_path):
    plain = write_pdf([[ARTICLES[0]]] * 3, tmp_path / "whole.pdf")
    (tmp_path / "cut.pdf").write_bytes(plain.read_bytes()[:400])
    (tmp_path / "junk.pdf").write_bytes(b"%PDF-1.7\n" + os.urandom(2000))
    documents = read(tmp_path)
    assert documents.frame["doc_id"].tolist() == ["whole"]
    assert sorted(Path(f).name for f in documents.unread["file"]) == ["cut.pdf", "junk.pdf"]
    assert documents.unread["problem"].str.startswith("not read").all()


def test_pdf_under_another_suffix_is_read_by_its_bytes(tmp_path):
    write_pdf([[ARTICLES[0]]], tmp_path / "download")
    documents = read(tmp_path)
    assert documents.frame.loc[0, "format"] == "pdf" and documents.frame.loc[0, "doc_id"] == "download"


# -- HTML ----------------------------------------------------------------------------------------------

BODY = [
    "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：",
    "现将《新一代人工智能发展规划》印发给你们，请认真贯彻执行。",
    *ARTICLES,
    "国务院",
    "2017年7月8日",
]
JUNK = ["第九十九条", "第九十八条", "第九十七条", "中国政府网运行中心", "京ICP备", "责任编辑", "扫一扫", "相关稿件", "热点推荐", "关闭窗口", "请输入关键词", "索 引 号"]


@pytest.mark.parametrize("page", [gov_cn_page, cac_page])
def test_html_article_without_menus_scripts_iframes_or_footers(tmp_path, page):
    title = "国务院关于印发新一代人工智能发展规划的通知"
    (tmp_path / "page.html").write_text(page(title, BODY), encoding="utf-8")
    row = read(tmp_path).frame.iloc[0]
    lines = row["text"].split("\n")
    assert lines == [title, *BODY]
    assert row["title"] == title
    assert not [junk for junk in JUNK if junk in row["text"]]


def test_html_saved_in_gbk(tmp_path):
    page = gov_cn_page("关于加强数据安全管理的通知", BODY).replace('charset="utf-8"', 'charset="gb2312"')
    (tmp_path / "page.htm").write_bytes(page.encode("gb18030"))
    row = read(tmp_path).frame.iloc[0]
    assert row["encoding"] == "gb18030" and article_lines(row["text"]) == [a.replace(" ", "") for a in ARTICLES]


def test_html_without_article_is_a_problem(tmp_path):
    (tmp_path / "blank.html").write_text("<html><head><script>var a = '第一条';</script></head><body><iframe src='x'></iframe></body></html>", encoding="utf-8")
    problem = only_problem(read(tmp_path))
    assert problem["problem"] == "not read: no article text found on the page"


# -- Folders, zips, ids ----------------------------------------------------------------------------------


def test_folder_recursion_hidden_files_and_unknown_types(tmp_path):
    (tmp_path / "国家").mkdir()
    (tmp_path / "国家" / "办法.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (tmp_path / "~$意见.docx").write_bytes(b"lock")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("ref", encoding="utf-8")
    (tmp_path / "notes.tx").write_text("x", encoding="utf-8")
    documents = read(tmp_path)
    assert documents.frame["doc_id"].tolist() == ["国家/办法"]
    problems = {Path(row.file).name: row for row in documents.problems.itertuples()}
    assert set(problems) == {".DS_Store", "~$意见.docx", ".git", "notes.tx"}
    assert problems["notes.tx"].problem == "not read: unknown file type '.tx'"
    assert problems["notes.tx"].suggestions.startswith(".txt")
    assert problems[".git"].problem.startswith("skipped: a hidden or system folder (1 files")
    assert problems[".DS_Store"].problem.startswith("skipped")
    assert len(documents.unread) == 4

    flat = read(tmp_path, recursive=False)
    assert len(flat) == 0
    assert "skipped: a subfolder (recursive=False)" in flat.problems["problem"].tolist()


def test_links_to_folders_are_reported_not_followed_and_broken_links_say_so(tmp_path):
    folder = tmp_path / "政策"
    folder.mkdir()
    (folder / "办法.txt").write_text(TEXT, encoding="utf-8")
    # A link back up the tree would read the folder again and again if it were followed.
    (folder / "up").symlink_to(folder, target_is_directory=True)
    (folder / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    documents = read(folder)
    assert documents.frame["doc_id"].tolist() == ["办法"]
    problems = {Path(row.file).name: row for row in documents.problems.itertuples()}
    assert problems["up"].problem == "skipped: a link to a folder (links to folders are not followed)"
    assert problems["gone.txt"].problem == "not read: a broken link"


def test_ids_are_relative_paths_and_collisions_keep_their_suffix(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "通知.txt").write_text("第一条 甲。", encoding="utf-8")
    write_docx(["第一条 乙。"], tmp_path / "a" / "通知.docx")
    (tmp_path / "b.md").write_text("第一条 丙。", encoding="utf-8")
    documents = read(tmp_path)
    assert documents.frame["doc_id"].tolist() == ["a/通知.docx", "a/通知.txt", "b"]
    assert documents.frame["doc_id"].is_unique


def test_zip_source_and_zip_inside_a_folder(tmp_path):
    archive = tmp_path / "downloads.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("国家/办法.txt", TEXT.encode("gb18030"))
        handle.writestr("__MACOSX/国家/._办法.txt", b"\x00\x05\x16\x07")
        handle.writestr("page.html", gov_cn_page("某通知", BODY))
    documents = read(archive)
    assert documents.frame["doc_id"].tolist() == ["page", "国家/办法"]
    assert documents.frame["path"].tolist() == [f"{archive}/page.html", f"{archive}/国家/办法.txt"]
    assert documents.frame.loc[1, "text"] == TEXT
    assert documents.problems["problem"].str.startswith("skipped: a hidden or system folder").tolist() == [True]

    folder = tmp_path / "folder"
    folder.mkdir()
    archive.rename(folder / "downloads.zip")
    assert read(folder).frame["doc_id"].tolist() == ["downloads/page", "downloads/国家/办法"]


def test_zip_made_on_chinese_windows_keeps_its_names_and_zips_in_zips_are_reported(tmp_path):
    archive = tmp_path / "下载.zip"
    name = "国家/办法.txt".encode("gbk")
    placeholder = b"X" * 4 + b"/" + b"Y" * 4 + b".txt"
    assert len(placeholder) == len(name)
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr(placeholder.decode(), TEXT.encode("utf-8"))
        inner = io.BytesIO()
        with zipfile.ZipFile(inner, "w") as nested:
            nested.writestr("a.txt", "第一条 甲。")
        handle.writestr("inner.zip", inner.getvalue())
    # As Windows' own "send to compressed folder" writes names: GBK bytes, no UTF-8 flag.
    archive.write_bytes(archive.read_bytes().replace(placeholder, name))
    documents = read(archive)
    assert documents.frame["doc_id"].tolist() == ["国家/办法"]
    assert documents.frame.loc[0, "path"] == f"{archive}/国家/办法.txt"
    assert only_problem(documents)["problem"] == "not read: a zip archive inside a zip archive"


def test_zip_bomb_source_is_refused(tmp_path):
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as handle:
        handle.writestr("big.txt", bytes(50 << 20))
    documents = read(archive)
    assert len(documents) == 0
    assert "zip archive was refused" in only_problem(documents)["problem"]


def test_duplicates_are_flagged_never_dropped(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b.txt").write_text(TEXT.replace("\n", "\r\n  "), encoding="gb18030")
    (tmp_path / "c.txt").write_text("第一条 另一份。", encoding="utf-8")
    with pytest.warns(UserWarning, match="1 document has the same text as another"):
        documents = read_documents(tmp_path, progress=False)
    assert documents.frame["doc_id"].tolist() == ["a", "b", "c"]
    assert documents.frame["duplicate_of"].tolist()[1] == "a"
    assert documents.frame["duplicate_of"].isna().tolist() == [True, False, True]
    assert documents.duplicates["doc_id"].tolist() == ["b"]
    problem = only_problem(documents)
    assert problem["problem"].startswith("read; the same text as 'a'") and documents.unread.empty


NAMES = st.lists(
    st.tuples(
        st.sampled_from(["通知", "办法", "a", "b", "附件1", "x.y"]),
        st.sampled_from([".txt", ".md", ".doc", ".xyz", ""]),
        st.sampled_from(["", "第一条 甲。", "第一条 乙。\n第二条 丙。", "\u3000"]),
    ),
    min_size=1,
    max_size=8,
    unique_by=lambda item: (item[0] + item[1]).lower(),
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(files=NAMES, reverse=st.booleans())
def test_every_file_is_a_document_or_a_reported_problem(tmp_path_factory, files, reverse):
    folder = tmp_path_factory.mktemp("docs")
    for stem, suffix, text in reversed(files) if reverse else files:
        (folder / (stem + suffix)).write_bytes(OLE2 if suffix == ".doc" else text.encode("utf-8"))
    documents = read(folder)
    # Nothing dropped silently: each file read, or named in .unread; ids unique and in order.
    assert len(documents) + len(documents.unread) == len(files)
    named = {Path(f).name for f in documents.unread["file"]} | {Path(p).name for p in documents.frame["path"]}
    assert named == {stem + suffix for stem, suffix, _ in files}
    assert documents.frame["doc_id"].is_unique
    assert documents.frame["doc_id"].tolist() == sorted(documents.frame["doc_id"])
    # The order files were written in changes nothing.
    again = read(folder)
    pd.testing.assert_frame_equal(documents.frame, again.frame)


# -- Arguments, libraries, results ------------------------------------------------------------------------


def test_argument_errors(tmp_path):
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    with pytest.raises(ValidationError, match="unknown format 'pfd'") as error:
        read_documents(tmp_path, format="pfd")
    assert error.value.problems.loc[0, "suggestions"].startswith("pdf")
    with pytest.raises(ReadError, match="unknown encoding 'gbk2'"):
        read_documents(tmp_path, encoding="gbk2")
    with pytest.raises(ReadError, match="no such file or folder") as missing:
        read_documents(tmp_path / "a.tx")
    assert missing.value.problems.loc[0, "suggestions"] == "a.txt"
    with pytest.raises(InputTypeError, match=r"source must be a file, a folder or a \.zip"):
        read_documents(["a.txt"])
    with pytest.raises(ValidationError, match="recursive must be True or False"):
        read_documents(tmp_path, recursive="yes")


def test_format_argument_reads_every_file_in_that_format(tmp_path):
    (tmp_path / "rule.data").write_text(TEXT, encoding="utf-8")
    assert read(tmp_path).frame.empty
    assert read(tmp_path, format="txt").frame.loc[0, "text"] == TEXT


def test_missing_library_names_the_extra_before_reading(tmp_path, monkeypatch):
    write_pdf([[ARTICLES[0]]], tmp_path / "a.pdf")
    (tmp_path / "b.txt").write_text(TEXT, encoding="utf-8")
    monkeypatch.setitem(sys.modules, "pdfplumber", None)
    with pytest.raises(ReadError, match=r"reading PDF files needs the optional package pdfplumber: pip install 'policyquant\[documents\]'"):
        read_documents(tmp_path, progress=False)
    # Without a PDF in the folder, nothing asks for the library.
    (tmp_path / "a.pdf").unlink()
    assert len(read(tmp_path)) == 1


def test_document_set_saves_and_feeds_the_next_steps(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(TEXT, encoding="gb18030")
    write_pdf([[ARTICLES[2]]], tmp_path / "in" / "b.pdf")
    documents = read(tmp_path / "in")
    assert documents_frame(documents) is documents.frame
    documents.save(tmp_path / "documents.csv")
    back = pd.read_csv(tmp_path / "documents.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert back.columns.tolist() == list(reading_module.DOCUMENT_SET_COLUMNS)
    assert back["text"].tolist() == documents.frame["text"].tolist()
    assert back["doc_id"].tolist() == ["a", "b"] and back["pages"].tolist() == ["", "1"]
    documents.save(tmp_path / "documents.xlsx")
    import openpyxl

    sheet = openpyxl.load_workbook(tmp_path / "documents.xlsx").active
    assert [cell.value for cell in sheet[1]][:4] == ["doc_id", "path", "title", "text"]
    assert [(d.doc_id, d.format) for d in documents] == [("a", "text"), ("b", "pdf")]
    assert "DocumentSet: 2 documents" in repr(documents) and "0 problems" in repr(documents)
    assert "characters" in str(documents) and "<pre>" in documents._repr_html_()


def test_reader_failure_on_one_file_does_not_stop_the_folder(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b.html").write_text(gov_cn_page("t", BODY), encoding="utf-8")
    from policyquant.documents import _html

    def broken(*args, **kwargs):
        raise KeyError("a bug in a library")

    monkeypatch.setattr(_html, "read_html", broken)
    documents = read(tmp_path)
    assert documents.frame["doc_id"].tolist() == ["a"]
    assert "the reader failed on it (KeyError" in only_problem(documents)["problem"]


# -- Progress, both cores, a 5,000-page PDF --------------------------------------------------------------


def test_progress_bar_is_shown_when_asked(tmp_path, capsys):
    pytest.importorskip("tqdm")
    for index in range(3):
        (tmp_path / f"{index}.txt").write_text(f"第一条 {index}。", encoding="utf-8")
    read(tmp_path, progress=True)
    shown = capsys.readouterr().err
    assert "reading documents" in shown and "3/3" in shown
    read(tmp_path, progress=False)
    assert capsys.readouterr().err == ""


def test_progress_without_tqdm_warns_and_reads(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    monkeypatch.setitem(sys.modules, "tqdm", None)
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)
    with pytest.warns(UserWarning, match=r"progress=True needs the optional package tqdm"):
        documents = read_documents(tmp_path, progress=True)
    assert len(documents) == 1


def test_both_cores_give_the_same_documents(tmp_path, monkeypatch):
    for index in range(4):
        write_pdf([[f"第{index + 1}条 文件{index}。", ARTICLES[index % 3]]], tmp_path / f"p{index}.pdf")
        write_docx([f"第{index + 1}条 Word文件{index}。"], tmp_path / f"w{index}.docx")
    (tmp_path / "t.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "locked.pdf").write_bytes(encrypt_pdf(tmp_path / "p0.pdf", tmp_path / "locked.tmp").read_bytes())
    (tmp_path / "locked.tmp").unlink()
    monkeypatch.setattr(reading_module, "PARALLEL_MIN_FILES", 10_000)
    serial = read(tmp_path)
    monkeypatch.setattr(reading_module, "PARALLEL_MIN_FILES", 2)
    started = []
    original = reading_module._start_pool
    monkeypatch.setattr(reading_module, "_start_pool", lambda *a: started.append(1) or original(*a))
    parallel = read(tmp_path)
    if (os.cpu_count() or 1) > 1:
        assert started
    pd.testing.assert_frame_equal(serial.frame, parallel.frame)
    pd.testing.assert_frame_equal(serial.problems, parallel.problems)
    assert len(serial) == 9 and len(serial.unread) == 1


def test_broken_pool_falls_back_to_reading_here(tmp_path, monkeypatch):
    for index in range(3):
        write_pdf([[f"第{index + 1}条 文件。"]], tmp_path / f"p{index}.pdf")
    monkeypatch.setattr(reading_module, "PARALLEL_MIN_FILES", 2)
    monkeypatch.setattr(reading_module, "_read_job", crash_worker)
    documents = read(tmp_path)
    assert len(documents) == 3 and documents.problems.empty


_BIG_PDF_SCRIPT = """
import json, resource, sys
from policyquant.documents import read_documents
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
documents = read_documents(sys.argv[1], progress=True)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"pages": int(documents.frame.loc[0, "pages"]), "text": documents.frame.loc[0, "text"], "grown_kib": after - before}))
"""


def test_five_thousand_page_pdf_streams_with_progress_and_bounded_memory(tmp_path):
    pages = [[f"第{number}条 各级人民政府应当加强对本行政区域内数据安全工作的领导。"] for number in range(1, 5001)]
    path = write_pdf(pages, tmp_path / "big.pdf")
    run = subprocess.run([sys.executable, "-c", _BIG_PDF_SCRIPT, str(path)], capture_output=True, text=True, timeout=600, check=True)
    result = json.loads(run.stdout)
    assert result["pages"] == 5000
    lines = result["text"].split("\n")
    assert len(lines) == 5000 and lines[4999].startswith("第5000条")
    # A page bar below the bar of files, counted to the last page.
    assert "big.pdf" in run.stderr and "5000/5000" in run.stderr
    # Pages are released as they are read: the text is about 0.5 MB; the reader may not hold
    # every page's parsed characters (over 1 GB for this file) at once.
    assert result["grown_kib"] < 300 * 1024

"""Defects of reading documents found by break-testing: Word's list numbers, HTML tables and titles, encodings, files under a wrong suffix, articles without a space in chapters."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policyquant.documents import read_documents, segment

pytest.importorskip("docx")

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def read(source, **options):
    options.setdefault("progress", False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return read_documents(source, **options)


# -- 1. Word's automatic list numbers ------------------------------------------------------------------


def _numbered_docx(path: Path, paragraphs: list[tuple[str, int | None]], fmt: str = "chineseCounting", level_text: str = "第%1条", start: int = 1, second: tuple[str, str] = ("chineseCounting", "（%2）")) -> Path:
    """A .docx whose paragraphs ``(text, level)`` carry a list of ``fmt``/``level_text`` at ``level`` (None: no number)."""
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    numbering = document.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum xmlns:w="{W}" w:abstractNumId="90"><w:multiLevelType w:val="multilevel"/>'
        f'<w:lvl w:ilvl="0"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{level_text}"/><w:suff w:val="space"/></w:lvl>'
        f'<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="{second[0]}"/><w:lvlText w:val="{second[1]}"/><w:suff w:val="nothing"/></w:lvl>'
        "</w:abstractNum>"
    )
    numbering.insert(0, abstract)  # abstractNum elements come before num elements
    numbering.append(parse_xml(f'<w:num xmlns:w="{W}" w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    for text, level in paragraphs:
        paragraph = document.add_paragraph(text)
        if level is not None:
            paragraph._p.get_or_add_pPr().append(
                parse_xml(f'<w:numPr xmlns:w="{W}"><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>')
            )
    document.save(path)
    return path


def test_docx_list_number_style_is_written_into_the_text_and_reported(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("关于推进人工智能发展的办法", style="Title")
    document.add_paragraph("第一章　总则")
    for text in ["为了推进人工智能发展，制定本办法。", "本办法适用于人工智能服务。", "提供者应当履行安全义务。"]:
        document.add_paragraph(text, style="List Number")
    document.save(tmp_path / "autonum.docx")
    documents = read(tmp_path)
    lines = documents.frame.loc[0, "text"].split("\n")
    assert lines[2:] == ["1. 为了推进人工智能发展，制定本办法。", "2. 本办法适用于人工智能服务。", "3. 提供者应当履行安全义务。"]
    assert len(documents.problems) == 1
    assert "3 paragraph(s) carry Word's automatic numbers" in documents.problems.loc[0, "problem"]
    assert documents.unread.empty  # a note, not a file left unread


def test_docx_chinese_article_numbers_make_articles(tmp_path):
    rows = [("某办法", None), ("为了规范管理，制定本办法。", 0), ("本办法适用于：", 0), ("服务；", 1), ("产品。", 1), ("本办法自公布之日起施行。", 0)]
    _numbered_docx(tmp_path / "law.docx", rows)
    documents = read(tmp_path)
    assert documents.frame.loc[0, "text"].split("\n") == [
        "某办法",
        "第一条 为了规范管理，制定本办法。",
        "第二条 本办法适用于：",
        "（一）服务；",
        "（二）产品。",
        "第三条 本办法自公布之日起施行。",
    ]
    units = segment(documents).to_frame()
    assert units["text"].str.startswith("第").sum() == 3  # three articles, not one merged unit


def test_docx_numbers_not_rendered_are_reported_with_their_paragraphs(tmp_path):
    _numbered_docx(tmp_path / "odd.docx", [("某办法", None), ("为了规范管理。", 0), ("本办法适用于本市。", 0)], fmt="hebrew1", level_text="%1.")
    documents = read(tmp_path)
    assert documents.frame.loc[0, "text"].split("\n") == ["某办法", "为了规范管理。", "本办法适用于本市。"]
    [problem] = documents.problems["problem"].tolist()
    assert "2 paragraph(s) carry Word's automatic numbers, which are not in their text" in problem
    assert "'为了规范管理。'" in problem
    assert "numbering converted to text" in documents.problems.loc[0, "expected"]


def test_docx_without_numbers_has_no_note(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("第一条 为了规范管理。")
    document.add_paragraph("要点", style="List Bullet")  # a bullet holds no number: nothing lost
    document.save(tmp_path / "plain.docx")
    documents = read(tmp_path)
    assert documents.frame.loc[0, "text"] == "第一条 为了规范管理。\n要点"
    assert documents.problems.empty


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=st.integers(1, 150), count=st.integers(1, 12))
def test_docx_numbers_count_from_the_list_start(tmp_path, start, count):
    from policyquant.documents.segmentation import chinese_numeral, parse_numeral

    path = _numbered_docx(tmp_path / "n.docx", [(f"内容{i}。", 0) for i in range(count)], start=start)
    lines = read(path).frame.loc[0, "text"].split("\n")
    assert [line.split(" ")[0] for line in lines] == [f"第{chinese_numeral(start + i)}条" for i in range(count)]
    assert [parse_numeral(line[1 : line.index("条")]) for line in lines] == list(range(start, start + count))
    assert [line.split(" ", 1)[1] for line in lines] == [f"内容{i}。" for i in range(count)]  # no text lost


# -- 2. HTML: article lines in a small table ---------------------------------------------------------

SHORT_TABLE_PAGE = """<html><head><meta charset="utf-8"><title>某某市人工智能管理办法</title></head><body>
<div class="nav">首页 | 政策</div>
<div class="content">
<p>第一条\u3000为了推进人工智能发展，制定本办法。</p>
<p>第二条\u3000本办法适用于本市人工智能服务。</p>
<p>第三条\u3000提供者应当履行下列义务：</p>
<p>（一）安全评估；</p>
<p>（二）备案。</p>
<table><tr><td>第四条</td><td>本办法自公布之日起施行。</td></tr></table>
</div>
<div class="footer"><p>主办单位：某某市人民政府办公厅</p><p>一、网站地图</p></div></body></html>"""


def test_html_article_in_a_small_table_is_kept_in_order(tmp_path):
    (tmp_path / "notice.html").write_text(SHORT_TABLE_PAGE, encoding="utf-8")
    documents = read(tmp_path)
    lines = documents.frame.loc[0, "text"].split("\n")
    articles = [line for line in lines if line.startswith("第")]
    assert [line[:3] for line in articles] == ["第一条", "第二条", "第三条", "第四条"]
    assert lines[-1] == "第四条\t本办法自公布之日起施行。"  # after （二）备案。, where the page has it
    assert "一、网站地图" not in lines and not any("主办单位" in line for line in lines)  # the footer stays out
    units = segment(documents).to_frame()
    assert units["text"].str.startswith("第四条").sum() == 1


def test_html_heading_lines_before_the_article_are_not_brought_back(tmp_path):
    page = SHORT_TABLE_PAGE.replace('<div class="nav">首页 | 政策</div>', '<div class="nav"><p>一、首页</p><p>二、政策</p></div>')
    (tmp_path / "notice.html").write_text(page, encoding="utf-8")
    lines = read(tmp_path).frame.loc[0, "text"].split("\n")
    assert "一、首页" not in lines and "二、政策" not in lines


# -- 3. HTML: a <title> that is the site's name ------------------------------------------------------

SITE_TITLE_PAGE = """<html><head><meta charset="utf-8"><title>北京市人民政府门户网站</title></head><body>
<div class="nav">首页 | 政务公开 | 政策文件</div>
<h1>北京市人民政府关于加快人工智能产业发展的实施意见</h1>
<div class="content">
<p>京政发〔2024〕5号</p>
<p>各区人民政府，市政府各委、办、局：</p>
<p>一、总体要求</p><p>（一）加快人工智能产业发展，推动算力基础设施建设，支持企业开展技术创新。</p>
<p>二、重点任务</p><p>（二）建设人工智能创新平台，培育人工智能领军企业，完善产业生态体系。</p>
<p>北京市人民政府</p><p>2024年2月5日</p>
</div><div class="footer">主办：北京市人民政府办公厅</div></body></html>"""


def test_html_h1_wins_over_a_title_that_is_the_site_name(tmp_path):
    (tmp_path / "bj.html").write_text(SITE_TITLE_PAGE, encoding="utf-8")
    row = read(tmp_path).frame.iloc[0]
    heading = "北京市人民政府关于加快人工智能产业发展的实施意见"
    assert row["title"] == heading
    lines = row["text"].split("\n")
    assert lines[0] == heading and "北京市人民政府门户网站" not in row["text"]
    assert lines[1] == "京政发〔2024〕5号"


def test_html_title_naming_the_article_still_wins_over_a_column_h1(tmp_path):
    # <title> is the article's title and a line of the page; the <h1> is the column's name.
    page = SITE_TITLE_PAGE.replace("<title>北京市人民政府门户网站</title>", "<title>关于加快人工智能产业发展的实施意见_北京市人民政府</title>")
    page = page.replace("<h1>北京市人民政府关于加快人工智能产业发展的实施意见</h1>", "<h1>政策文件</h1><h2>关于加快人工智能产业发展的实施意见</h2>")
    (tmp_path / "bj.html").write_text(page, encoding="utf-8")
    assert read(tmp_path).frame.loc[0, "title"] == "关于加快人工智能产业发展的实施意见"


# -- 4. Encodings: Big5 and Shift-JIS ----------------------------------------------------------------

BIG5_TEXT = "關於推進人工智慧發展的通知\n第一條　為了推進人工智慧發展，制定本辦法。\n"
JAPANESE_TEXT = "人工知能の発展に関する法律\n第一条　この法律は、人工知能の発展を推進することを目的とする。\n"


@pytest.mark.parametrize(("text", "codec", "guess"), [(BIG5_TEXT, "big5", "Big5"), (JAPANESE_TEXT, "shift_jis", "Shift-JIS")])
def test_text_not_gbk_is_read_with_a_problem_naming_the_encoding(tmp_path, text, codec, guess):
    (tmp_path / "doc.txt").write_bytes(text.encode(codec))
    documents = read(tmp_path)
    assert documents.frame.loc[0, "encoding"] == "gb18030"  # still read: the text is kept
    [problem] = documents.problems["problem"].tolist()
    assert f"probably not GBK ({guess}?)" in problem and "give --encoding" in problem
    assert f"--encoding {codec}" in documents.problems.loc[0, "expected"]
    assert documents.unread.empty
    # Given the encoding, the text is read as written and nothing is reported.
    given_encoding = read(tmp_path, encoding=codec)
    assert given_encoding.frame.loc[0, "text"] == text.rstrip("\n") or given_encoding.frame.loc[0, "text"] == text
    assert given_encoding.problems.empty


HANZI = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)  # every one of them is in GBK
COMMON = st.sampled_from([*"关于推进人工智能发展的通知第一条为了制定本办法适用于境内服务管理规定，。；（）、", "\n", "　"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.one_of(HANZI, COMMON), min_size=1, max_size=300))
def test_gbk_text_is_never_reported_as_another_encoding(tmp_path, body):
    text = "管理办法\n" + body
    (tmp_path / "gbk.txt").write_bytes(text.encode("gbk"))
    documents = read(tmp_path)
    assert documents.problems.empty
    assert documents.frame.loc[0, "text"] == text  # nothing lost or changed


BIG5_PAGE = (
    '<html><head><meta http-equiv="Content-Type" content="text/html; charset=big5"><title>人工智慧基本法</title></head>'
    '<body><div class="content"><h1>人工智慧基本法</h1><p>第一條　為促進人工智慧發展，特制定本法。</p>'
    "<p>第二條　本法之主管機關為國家科學及技術委員會。</p><p>第三條　政府應推動人工智慧之研究。</p></div></body></html>"
)


@pytest.mark.parametrize("declaration", ["meta", "meta-charset", "xml"])
def test_html_declared_charset_is_honoured(tmp_path, declaration):
    page = BIG5_PAGE
    if declaration == "meta-charset":
        page = page.replace('<meta http-equiv="Content-Type" content="text/html; charset=big5">', '<meta charset="BIG5">')
    elif declaration == "xml":
        page = '<?xml version="1.0" encoding="big5"?>\n' + page.replace('<meta http-equiv="Content-Type" content="text/html; charset=big5">', "")
    (tmp_path / "tw.html").write_bytes(page.encode("big5"))
    documents = read(tmp_path)
    row = documents.frame.iloc[0]
    assert row["title"] == "人工智慧基本法"
    assert row["text"].split("\n")[1] == "第一條　為促進人工智慧發展，特制定本法。"
    assert row["encoding"] == "big5hkscs"
    assert documents.problems.empty


def test_html_declaring_gb2312_but_saved_as_utf8_is_read_as_utf8(tmp_path):
    page = BIG5_PAGE.replace("charset=big5", "charset=gb2312")
    (tmp_path / "tw.html").write_text(page, encoding="utf-8")
    row = read(tmp_path).frame.iloc[0]
    assert row["encoding"] == "utf-8" and row["title"] == "人工智慧基本法"


def test_html_big5_without_declaration_is_reported(tmp_path):
    page = BIG5_PAGE.replace('<meta http-equiv="Content-Type" content="text/html; charset=big5">', "")
    (tmp_path / "tw.html").write_bytes(page.encode("big5"))
    documents = read(tmp_path)
    assert "probably not GBK (Big5?)" in documents.problems.loc[0, "problem"]


# -- 5. Web pages under another suffix ---------------------------------------------------------------

PAGE = (
    '<html><head><meta charset="utf-8"><title>某办法</title><script>var a=1;</script></head><body>\n'
    "<p>第一条　为了推进人工智能发展，制定本办法。</p>\n<p>第二条　本办法适用于人工智能。</p>\n</body></html>\n"
)


@pytest.mark.parametrize("prefix", ["", "\ufeff", "  \n", "<!DOCTYPE html>\n", "<!-- saved from url=(0036)https://www.gov.cn/ -->\n"])
def test_html_saved_as_txt_is_read_as_a_page(tmp_path, prefix):
    (tmp_path / "page.txt").write_text(prefix + PAGE, encoding="utf-8")
    documents = read(tmp_path)
    row = documents.frame.iloc[0]
    assert row["format"] == "html"
    assert row["text"].split("\n") == ["某办法", "第一条　为了推进人工智能发展，制定本办法。", "第二条　本办法适用于人工智能。"]
    assert "<" not in row["text"] and "var a" not in row["text"]


def test_text_mentioning_html_is_still_text(tmp_path):
    (tmp_path / "note.txt").write_text("说明\n<html> 标签用于网页。\n", encoding="utf-8")
    assert read(tmp_path).frame.loc[0, "format"] == "text"


def test_read_file_reads_a_page_saved_as_doc(tmp_path):
    from policyquant.documents._formats import Unreadable, read_file

    (tmp_path / "page.doc").write_text(PAGE, encoding="utf-8")
    result = read_file(str(tmp_path / "page.doc"), "old", None)
    assert result["format"] == "html" and result["text"].split("\n")[1] == "第一条　为了推进人工智能发展，制定本办法。"
    (tmp_path / "other.doc").write_bytes(b"\x00\x01 not a page")
    with pytest.raises(Unreadable, match="Word 97-2003 document"):
        read_file(str(tmp_path / "other.doc"), "old", None)


def test_html_saved_as_doc_is_read_as_a_page(tmp_path):
    (tmp_path / "page.doc").write_text(PAGE, encoding="utf-8")
    documents = read(tmp_path)
    assert documents.frame.loc[0, "format"] == "html" and documents.problems.empty


# -- 6. Articles without a space in a document with chapters -----------------------------------------


def test_unspaced_articles_under_chapters_are_reported():
    text = "某条例\n第一章　总则\n第一条为了规范管理，制定本条例。\n第二条本条例适用于本市。\n第二章　附则\n第三条本条例自2024年1月1日起施行。\n"
    result = segment(pd.DataFrame({"doc_id": ["D"], "text": [text]}))
    assert result.to_frame()["text"].tolist() == ["某条例", "第一条为了规范管理，制定本条例。\n第二条本条例适用于本市。", "第三条本条例自2024年1月1日起施行。"]
    problems = result.problems
    assert problems["problem"].tolist() == ["article without space", "article without space"]
    assert problems["found"].tolist() == ["第一条", "第三条"]
    assert problems["line"].tolist() == [3, 6]
    assert "and 1 more line(s)" in problems.loc[0, "message"] and "第一条为了规范管理" in problems.loc[0, "message"]


def test_spaced_articles_and_cross_references_are_not_reported():
    text = "某条例\n第一章　总则\n本章依照本法第三条规定制定。\n第一条　为了规范管理。\n第二章　附则\n第二条　施行。\n"
    assert segment(pd.DataFrame({"doc_id": ["D"], "text": [text]})).problems.empty


@settings(max_examples=30, deadline=None)
@given(order=st.permutations(range(3)))
def test_unspaced_article_problems_do_not_depend_on_row_order(order):
    texts = [
        "甲\n第一章　总则\n第一条为了规范管理。\n",
        "乙\n第一章　总则\n第一条　为了规范管理。\n",
        "丙\n第一章　总则\n说明。\n第二章　附则\n第五条本办法自公布之日起施行。\n",
    ]
    frame = pd.DataFrame({"doc_id": [f"D{i}" for i in order], "text": [texts[i] for i in order]})
    problems = segment(frame).problems
    got = sorted(zip(problems["doc_id"], problems["found"], problems["line"], strict=True))
    assert got == [("D0", "第一条", 3), ("D2", "第五条", 5)]

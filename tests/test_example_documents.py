"""The bundled example documents (issue 15, item 6): there, in their encodings and styles, and in the wheel."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import policyquant as pq
from policyquant.datasets import build_example_documents

FOLDER = pq.datasets.example_documents_path()

#: file -> (encoding, document number, date as written, kept by the tutorial's selection)
EXPECTED = {
    "genai_service_security_measures.txt": ("utf-8", "令\n\n第21号", "2024年3月15日", True),
    "algorithm_governance_regulation.docx": ("docx", "第789号", "2025年1月10日", True),
    "guiding_opinions_genai_industry.txt": ("gbk", "国办发〔2023〕12号", "2023年8月20日", True),
    "beijing_agi_action_plan.html": ("utf-8", "京政发〔2024〕3号", "2024年2月5日", True),
    "shanghai_genai_pilot_notice.md": ("utf-8", "沪经信数〔2024〕128号", "2024年6月18日", True),
    "guangdong_deep_synthesis_filing_rules.txt": ("utf-8-sig", "粤网信发〔2025〕2号", "2025年3月28日", True),
    "draft_ai_content_labelling_measures.txt": ("utf-8", "征求意见稿", "2024年9月14日", False),
    "jiangsu_intelligent_voice_opinions_2016.txt": ("utf-8", "苏政办发〔2016〕98号", "2016年10月12日", False),
    "farmland_water_conservancy_notice.txt": ("utf-8", "湘农联〔2024〕156号", "2024年10月25日", False),
}

ARTICLE = re.compile(r"^第[一二三四五六七八九十百零〇]+条(?:之[一二三四五六七八九十]+)?[\s　]", re.MULTILINE)


def text_of(name: str) -> str:
    path = FOLDER / name
    encoding = EXPECTED[name][0]
    if encoding == "docx":
        import docx

        document = docx.Document(str(path))
        cells = ["\t".join(c.text for c in row.cells) for table in document.tables for row in table.rows]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    return path.read_bytes().decode(encoding)


def test_the_folder_holds_exactly_the_documents_described():
    assert FOLDER.is_dir() and FOLDER.name == "documents"
    assert sorted(p.name for p in FOLDER.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_document_decodes_in_its_encoding_and_holds_its_head(name):
    text = text_of(name)
    _, number, date, kept = EXPECTED[name]
    assert number in text.replace("\r\n", "\n") and date in text
    if kept:
        assert "人工智能" in text or "算法" in text
    assert "\ufffd" not in text and ">>>" not in text  # no doctest in a .md that pytest collects


def test_encodings_are_the_ones_a_reader_must_detect():
    gbk = (FOLDER / "guiding_opinions_genai_industry.txt").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        gbk.decode("utf-8")
    assert b"\r\n" in gbk and gbk.decode("gbk").startswith("国务院办公厅")
    assert (FOLDER / "guangdong_deep_synthesis_filing_rules.txt").read_bytes().startswith(b"\xef\xbb\xbf")
    for name, (encoding, *_) in EXPECTED.items():
        if encoding == "utf-8":
            data = (FOLDER / name).read_bytes()
            assert not data.startswith(b"\xef\xbb\xbf") and b"\r" not in data, name


def test_article_style_documents_have_their_articles_and_an_inserted_one():
    measures = text_of("genai_service_security_measures.txt")
    articles = ARTICLE.findall(measures)
    assert len(articles) == 20 and any("之一" in a for a in articles)
    assert re.findall(r"^第[一二三四五六]章", measures, re.MULTILINE) == [f"第{n}章" for n in "一二三四五六"]
    assert "依照本办法第十二条的规定" in measures and "\n附件\n" in measures
    regulation = text_of("algorithm_governance_regulation.docx")
    assert len(ARTICLE.findall(regulation)) == 19
    rules = text_of("guangdong_deep_synthesis_filing_rules.txt")
    assert len(ARTICLE.findall(rules)) == 13 and "第一章" not in rules


def test_outline_style_documents_number_as_real_ones_do():
    opinions = text_of("guiding_opinions_genai_industry.txt").replace("\r\n", "\n")
    assert re.findall(r"^[一二三四五]、", opinions, re.MULTILINE) == ["一、", "二、", "三、", "四、", "五、"]
    assert len(re.findall(r"^（[一二三四五六七八九十]+）", opinions, re.MULTILINE)) == 13
    assert re.findall(r"^\d\. ", opinions, re.MULTILINE) == ["1. ", "2. ", "3. "]
    assert opinions.rstrip().endswith("（此件公开发布）")


def test_the_html_page_has_the_clutter_of_a_government_site():
    page = text_of("beijing_agi_action_plan.html")
    assert '<meta charset="utf-8">' in page
    for clutter in ("<script", "<iframe", 'class="nav"', 'class="footer"', "京ICP备"):
        assert clutter in page
    for heading in ("一、发展目标", "（四）加强安全治理。", "8.建设安全测评平台", "（三）优化发展环境"):
        assert heading in page


def test_the_word_file_is_the_regulation_the_build_script_holds():
    import docx

    document = docx.Document(str(FOLDER / build_example_documents.DOCX_NAME))
    paragraphs = [p.text for p in document.paragraphs]
    expected = [text for kind, text in build_example_documents.REGULATION if kind != "table"]
    assert paragraphs == expected
    rows = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert rows == [t.split("|") for k, t in build_example_documents.REGULATION if k == "table"]
    # The build is deterministic: the same bytes on every run.
    assert build_example_documents.build_docx() == build_example_documents.build_docx()


def test_example_documents_path_is_documented_with_every_file():
    doc = pq.datasets.example_documents_path.__doc__
    readme = (FOLDER.parent / "README.md").read_text(encoding="utf-8")
    for name in EXPECTED:
        assert name in doc and name in readme


def test_the_documents_ship_in_the_wheel(tmp_path):
    root = Path(pq.__file__).resolve().parent.parent
    if not (root / "pyproject.toml").is_file() or shutil.which("git") is None:
        pytest.skip("not a source checkout")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(root), "--no-deps", "-q", "-w", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if built.returncode != 0:
        pytest.skip(f"cannot build a wheel here (no network for the build backend?): {built.stderr[-300:]}")
    (wheel,) = tmp_path.glob("policyquant-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        for name in EXPECTED:
            member = f"policyquant/datasets/data/documents/{name}"
            assert archive.read(member) == (FOLDER / name).read_bytes(), name
        assert "policyquant/datasets/data/README.md" in archive.namelist()

"""read_documents on real documents: the 1,564 national legal texts of ../shared/anchors/lawrefbook.

Every text is read as it is in its file; a sample rendered as Word (python-docx),
PDF (LibreOffice headless, from the Word file) and web pages (in the layouts
of www.gov.cn and www.cac.gov.cn) reads back to the same articles.  The texts
are unpacked into a temporary folder and never copied into tests/.
"""

from __future__ import annotations

import hashlib
import re
import tarfile
import warnings
from pathlib import Path

import pytest
from documents_fixtures import (
    article_lines,
    cac_page,
    convert_to_pdf,
    gov_cn_page,
    markdown_lines,
    soffice,
    write_docx,
)

from policyquant.documents import read_documents

ARCHIVE = Path(__file__).resolve().parents[2] / "shared" / "anchors" / "lawrefbook" / "national.tar.xz"

#: Documents rendered to the other formats: every 130th, which spans laws, regulations, rules,
#: judicial interpretations and a case (that has no articles).
SAMPLE_STEP = 130
SAMPLE_SIZE = 12


@pytest.fixture(scope="session")
def lawrefbook(tmp_path_factory) -> Path:
    if not ARCHIVE.exists():
        pytest.skip(f"{ARCHIVE} is absent")
    folder = tmp_path_factory.mktemp("lawrefbook")
    with tarfile.open(ARCHIVE) as archive:
        archive.extractall(folder, filter="data")
    return folder / "national"


@pytest.fixture(scope="session")
def sample(lawrefbook) -> list[Path]:
    return sorted(lawrefbook.rglob("*.md"))[::SAMPLE_STEP][:SAMPLE_SIZE]


def _squeezed(text: str) -> str:
    return "".join(text.split())


def test_every_lawrefbook_text_reads_as_it_is(lawrefbook):
    files = sorted(lawrefbook.rglob("*.md"))
    assert len(files) == 1564
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        documents = read_documents(lawrefbook, progress=False)
    assert len(documents) == 1564 and documents.unread.empty
    frame = documents.frame.set_index("path")
    for file in files:
        assert frame.loc[str(file), "text"] == file.read_bytes().decode("utf-8-sig"), file
    assert sorted(frame["doc_id"]) == sorted(str(f.relative_to(lawrefbook).with_suffix("").as_posix()) for f in files)
    assert frame["encoding"].eq("utf-8").all() and frame["format"].eq("markdown").all()
    assert frame["title"].notna().all()
    assert frame.loc[str(lawrefbook / "刑法" / "刑法.md"), "title"] == "中华人民共和国刑法"
    # The collection holds three laws filed under two branches each, byte for byte: flagged, kept.
    by_bytes: dict[str, list[str]] = {}
    for file in files:
        by_bytes.setdefault(hashlib.sha256(file.read_bytes()).hexdigest(), []).append(str(file.relative_to(lawrefbook).with_suffix("").as_posix()))
    expected = {ids[1]: ids[0] for ids in by_bytes.values() if len(ids) > 1}
    assert len(expected) == 3
    found = dict(zip(documents.duplicates["doc_id"], documents.duplicates["duplicate_of"], strict=True))
    assert found == expected
    assert documents.problems["problem"].str.startswith("read; the same text as").all() and len(documents.problems) == 3
    assert [str(w.message) for w in caught] == ["3 documents have the same text as another (see .duplicates and the column duplicate_of; none was dropped)"]


@pytest.fixture(scope="session")
def rendered(sample, tmp_path_factory) -> dict[str, Path]:
    """The sample as .docx and .html files (and .pdf, where LibreOffice is installed), one folder per format."""
    folders = {name: tmp_path_factory.mktemp(name) for name in ("docx", "html", "pdf")}
    words = []
    for number, file in enumerate(sample):
        lines = markdown_lines(file.read_text(encoding="utf-8"))
        title, body = (lines[0][2:], lines[1:]) if lines[0].startswith("# ") else (file.stem, lines)
        words.append(write_docx(lines, folders["docx"] / f"{number:02d}.docx"))
        page = (gov_cn_page if number % 2 else cac_page)(title, body)
        (folders["html"] / f"{number:02d}.html").write_text(page, encoding="utf-8")
    if soffice() is not None:
        convert_to_pdf(words, folders["pdf"])
    return folders


@pytest.mark.parametrize("format", ["docx", "html"])
def test_sample_as_word_and_web_pages_reads_back_to_the_same_articles(sample, rendered, format):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        documents = read_documents(rendered[format], progress=False)
    assert len(documents) == SAMPLE_SIZE and documents.unread.empty
    articles = 0
    for document in documents:
        source = sample[int(document.doc_id)].read_text(encoding="utf-8")
        assert article_lines(document.text) == article_lines(source), document.doc_id
        # Every line below the head, in order, and nothing else (a page's title is not repeated
        # where the article itself starts with it).
        lines = [line.lstrip("# ") for line in markdown_lines(source)]
        assert _squeezed(document.text) in {_squeezed("".join(lines)), _squeezed("".join(lines[1:]))}, document.doc_id
        articles += len(article_lines(source))
    assert articles > 250


def test_sample_as_pdf_reads_back_to_the_same_articles(sample, rendered):
    if soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        documents = read_documents(rendered["pdf"], progress=False)
    words = read_documents(rendered["docx"], progress=False).frame.set_index("doc_id")["text"]
    assert len(documents) == SAMPLE_SIZE and documents.unread.empty
    same = total = 0
    for document in documents:
        source = sample[int(document.doc_id)].read_text(encoding="utf-8")
        expected, found = article_lines(source), article_lines(document.text)
        # Every character in order (a PDF keeps no paragraphs: only line breaks may differ) ...
        assert _squeezed(document.text) == _squeezed(words[document.doc_id]), document.doc_id
        # ... every article heading starts a line, in order, none more ...
        heading = re.compile(r"^第[零〇一二三四五六七八九十百千两\d]+条")
        assert [heading.match(line).group() for line in found] == [heading.match(line).group() for line in expected]
        # ... and nearly every article is one line, as in the source: a paragraph that wraps
        # across a page right after a semicolon is split there (see policyquant.documents._pdf).
        same += sum(a == b for a, b in zip(expected, found, strict=True))
        total += len(expected)
        assert document.pages >= 1
    assert total > 250 and same / total >= 0.97, (same, total)


@pytest.mark.parametrize("format", ["docx", "html", "pdf"])
def test_sample_in_every_format_segments_to_the_same_clauses_as_its_text(sample, rendered, format):
    """The clauses of a document do not depend on the format it was downloaded in."""
    from policyquant.documents import segment

    if format == "pdf" and soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        documents = read_documents(rendered[format], progress=False).frame
        sources = read_documents(sample[0].parent.parent, progress=False).frame
    by_path = {Path(path).resolve(): text for path, text in zip(sources["path"], sources["text"], strict=True)}
    texts = documents.assign(text_source=[by_path[sample[int(i)].resolve()] for i in documents["doc_id"]])
    found = segment(texts[["doc_id", "text"]]).to_frame()
    expected = segment(texts[["doc_id", "text_source"]].rename(columns={"text_source": "text"})).to_frame()

    def clauses(table):
        articles = table[table["article_label"].astype("string").str.startswith("第", na=False)]
        return dict(zip(articles["unit_id"], articles["text"].map(_squeezed), strict=True))

    found, expected = clauses(found), clauses(expected)
    assert list(found) == list(expected)
    assert found == expected
    assert len(found) > 250

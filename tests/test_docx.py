"""Word tables (issue 14 item 3): three-line tables (三线表) that journals accept, read back with python-docx."""

from __future__ import annotations

import builtins
import string

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policyquant as pq
from policyquant.errors import ValidationError
from policyquant.export import TABLE_FORMATS, export, export_all
from policyquant.results import FrameResult, _cell_text

docx = pytest.importorskip("docx")
from docx.enum.text import WD_ALIGN_PARAGRAPH  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402

CORPUS = pq.datasets.load_genai_china()


def _body(document):
    """The block elements of the document body, in order: ("p", text) or ("tbl", table)."""
    blocks = []
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            blocks.append(("p", "".join(t.text or "" for t in child.iter(qn("w:t")))))
        elif child.tag == qn("w:tbl"):
            blocks.append(("tbl", child))
    return blocks


def _table_borders(table):
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    return {child.tag.split("}")[1]: dict(child.attrib) for child in borders}


def _val(attributes):
    return attributes.get(qn("w:val"))


def _cell_borders(tc):
    properties = tc.tcPr
    borders = None if properties is None else properties.find(qn("w:tcBorders"))
    return {} if borders is None else {child.tag.split("}")[1]: dict(child.attrib) for child in borders}


def _grid(table):
    """Cell texts per row, one per grid column (a merged cell repeats)."""
    return [[cell.text for cell in row.cells] for row in table.rows]


def _is_three_line(table, header_rows):
    borders = _table_borders(table)
    assert _val(borders["top"]) == "single" and int(borders["top"][qn("w:sz")]) == 12
    assert _val(borders["bottom"]) == "single" and int(borders["bottom"][qn("w:sz")]) == 12
    for side in ("left", "right", "insideH", "insideV"):
        assert _val(borders.get(side, {qn("w:val"): "nil"})) in ("nil", "none"), side
    rows = table._tbl.tr_lst
    for position, tr in enumerate(rows):
        for tc in tr.tc_lst:
            cell = _cell_borders(tc)
            if position == header_rows - 1:
                assert set(cell) == {"bottom"}
                assert _val(cell["bottom"]) == "single" and int(cell["bottom"][qn("w:sz")]) == 6
            else:
                # No other rule anywhere: not a cell border, not a vertical line.
                assert cell == {}, (position, cell)
    xml = table._tbl.xml
    assert "Table Grid" not in xml and "w:tblStyle" not in xml
    return True


# -- the three-line table --------------------------------------------------------------------------


def test_a_table_is_a_three_line_table_with_caption_above_and_notes_below(tmp_path):
    frame = pd.DataFrame(
        {"工具": ["标准规范", "Infrastructure"], "count": [28, 1], "share": [19.7136, 4.5154]},
        index=pd.Index(["a", "b"], name="key"),
    )
    path = FrameResult(frame).to_docx(
        tmp_path / "table.docx",
        caption="表1 政策工具 (Table 1. Instruments)",
        notes=["注：份额为列百分比。", "Note: shares are column percentages."],
    )
    document = docx.Document(path)
    blocks = _body(document)
    kinds = [kind for kind, _ in blocks]
    assert kinds == ["p", "tbl", "p", "p"]
    assert blocks[0][1] == "表1 政策工具 (Table 1. Instruments)"
    assert [text for kind, text in blocks[2:]] == [
        "注：份额为列百分比。",
        "Note: shares are column percentages.",
    ]
    table = document.tables[0]
    assert _is_three_line(table, header_rows=1)
    assert _grid(table) == [
        ["key", "工具", "count", "share"],
        ["a", "标准规范", "28", "19.71"],
        ["b", "Infrastructure", "1", "4.52"],
    ]
    # Numbers right-aligned (their decimals line up), text left-aligned.
    body_row = table.rows[1].cells
    assert body_row[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert body_row[2].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert body_row[3].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    # The caption stays with its table across a page break, and is centred.
    assert document.paragraphs[0].paragraph_format.keep_with_next is True
    assert document.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_fonts_are_set_for_chinese_and_latin_text_without_theme_fonts(tmp_path):
    path = FrameResult(pd.DataFrame({"名称": ["宋体"]})).to_docx(tmp_path / "t.docx")
    document = docx.Document(path)
    styles = document.styles.element
    for rpr in (
        styles.find(qn("w:docDefaults")).find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}"),
        document.styles["Normal"].element.rPr,
    ):
        fonts = rpr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == "SimSun"
        assert fonts.get(qn("w:ascii")) == fonts.get(qn("w:hAnsi")) == "Times New Roman"
        # A theme font would win over the named one.
        assert not [name for name in fonts.attrib if name.endswith("Theme") or name.endswith("theme")]
    assert document.styles["Normal"].font.size.pt == 10.5
    path = FrameResult(pd.DataFrame({"名称": ["黑体"]})).to_docx(
        tmp_path / "h.docx", font="Arial", east_asian_font="SimHei", font_size=12
    )
    fonts = docx.Document(path).styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert (fonts.get(qn("w:eastAsia")), fonts.get(qn("w:ascii"))) == ("SimHei", "Arial")


def test_table4_has_merged_group_headers_and_cells_as_to_frame_formats_them(tmp_path):
    table = pq.crosstab(CORPUS)
    path = table.save(tmp_path / "t4.docx", caption="Table 4. Policy instruments by objective")
    assert path == tmp_path / "t4.docx"
    frame = table.to_frame()
    word = docx.Document(path).tables[0]
    assert _is_three_line(word, header_rows=2)
    # The group header: one cell per objective, spanning its count and share.
    first = word._tbl.tr_lst[0]
    spans = [tc.grid_span for tc in first.tc_lst]
    assert spans == [1, 1] + [2] * (frame.shape[1] // 2)
    objectives = list(dict.fromkeys(frame.columns.get_level_values(0)))
    assert [cell.text for cell in word.rows[0].cells][2::2] == objectives
    assert [cell.text for cell in word.rows[1].cells] == [
        "group",
        frame.index.names[1],
        *frame.columns.get_level_values(1),
    ]
    grid = _grid(word)[2:]
    assert len(grid) == len(frame)
    expected = [
        [_cell_text(v, table.decimals) for v in row] for row in frame.astype(object).to_numpy().tolist()
    ]
    assert [row[2:] for row in grid] == expected
    assert [row[1] for row in grid] == [str(label) for label in frame.index.get_level_values(1)]
    # An instrument family is named on its first row only, as in a printed table.
    assert [row[0] for row in grid[:3]] == ["Mandatory", "", ""]
    # Header rows repeat on each page.
    assert all(tr.trPr.find(qn("w:tblHeader")) is not None for tr in word._tbl.tr_lst[:2])
    assert word._tbl.tr_lst[2].trPr.find(qn("w:tblHeader")) is None
    for cell in word.rows[5].cells[2:]:
        assert cell.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT


def test_table4_in_chinese_keeps_its_chinese_labels(tmp_path):
    table = pq.crosstab(CORPUS)
    path = table.save(
        tmp_path / "表4.docx", language="zh", caption="表4 政策工具与政策目标", notes="注：%为列百分比。"
    )
    document = docx.Document(path)
    assert [p.text for p in document.paragraphs] == ["表4 政策工具与政策目标", "注：%为列百分比。"]
    frame = table.to_frame(language="zh")
    grid = _grid(document.tables[0])
    assert grid[0][2::2] == list(dict.fromkeys(frame.columns.get_level_values(0)))
    assert grid[1] == [*frame.index.names, *frame.columns.get_level_values(1)]
    assert [row[1] for row in grid[2:]] == list(frame.index.get_level_values(1))
    assert "标准规范" in [row[1] for row in grid]


def test_columns_fit_their_contents_and_a_wide_table_gets_a_landscape_page(tmp_path):
    from docx.enum.section import WD_ORIENT

    narrow = FrameResult(pd.DataFrame({"n": [1, 22]}, index=pd.Index(["Assessment and Supervision", "x"])))
    document = docx.Document(narrow.to_docx(tmp_path / "narrow.docx"))
    assert document.sections[0].orientation == WD_ORIENT.PORTRAIT
    label, number = (column.width for column in document.tables[0].columns)
    assert label > 3 * number
    # Every cell of a column is as wide as the column (Word reads the cells' widths).
    for row in document.tables[0].rows:
        assert [cell.width for cell in row.cells] == [label, number]
    wide = docx.Document(pq.crosstab(CORPUS).to_docx(tmp_path / "t4.docx"))
    assert wide.sections[0].orientation == WD_ORIENT.LANDSCAPE
    assert wide.sections[0].page_width > wide.sections[0].page_height
    portrait = docx.Document(pq.crosstab(CORPUS).to_docx(tmp_path / "p.docx", landscape=False))
    assert portrait.sections[0].orientation == WD_ORIENT.PORTRAIT
    # Squeezed onto a portrait page, the text wraps between words; numbers keep their width.
    squeezed = [column.width for column in portrait.tables[0].columns]
    natural = [column.width for column in wide.tables[0].columns]
    assert squeezed[2:] == natural[2:]
    assert squeezed[1] < natural[1]


def test_trends_and_a_dataframe_export_to_word(tmp_path):
    # Issue 18's done-when: pq.trends(c).save("t.docx").
    path = pq.trends(CORPUS).save(tmp_path / "t.docx")
    frame = pq.trends(CORPUS).to_frame()
    grid = _grid(docx.Document(path).tables[0])
    assert grid[0] == ["year", *frame.columns]
    assert [row[0] for row in grid[1:]] == [str(year) for year in frame.index]
    frame = pd.DataFrame({"政策": ["关于加快发展的意见"], "score": [3.14159]})
    path = export(frame, tmp_path / "x.docx", decimals=3, caption="表2 示例")
    document = docx.Document(path)
    assert _grid(document.tables[0]) == [["", "政策", "score"], ["0", "关于加快发展的意见", "3.142"]]
    assert document.paragraphs[0].text == "表2 示例"
    assert export(frame, tmp_path / "word-table", format="word").read_bytes()[:2] == b"PK"
    assert export(frame, tmp_path / "no-index.docx", index=False).exists()
    assert _grid(docx.Document(tmp_path / "no-index.docx").tables[0])[0] == ["政策", "score"]


def test_docx_is_a_table_format_but_not_a_default_of_export_all(tmp_path):
    assert "docx" in TABLE_FORMATS
    written = export_all({"t4": pq.crosstab(CORPUS)}, tmp_path / "a")
    assert [p.suffix for p in written["t4"]] == [".csv", ".xlsx", ".md", ".tex", ".html"]
    written = export_all(
        {"t4": pq.crosstab(CORPUS)},
        tmp_path / "b",
        formats=["docx", "tex"],
        table_options={"caption": "Table 4"},
    )
    assert [p.name for p in written["t4"]] == ["t4.docx", "t4.tex"]


# -- bad inputs ------------------------------------------------------------------------------------


def test_an_unknown_option_bad_font_or_unwritable_path_is_a_clear_error_and_nothing_is_written(tmp_path):
    result = FrameResult(pd.DataFrame({"n": [1]}))
    with pytest.raises(ValidationError, match="docx export does not take the option 'sheet_name'"):
        result.save(tmp_path / "t.docx", sheet_name="x")
    with pytest.raises(ValidationError, match="font_size") as caught:
        result.to_docx(tmp_path / "t.docx", font_size=0)
    assert caught.value.problems.loc[0, "expected"].startswith("a size in points")
    with pytest.raises(ValidationError, match="east_asian_font"):
        result.to_docx(tmp_path / "t.docx", east_asian_font="")
    with pytest.raises(ValidationError, match="decimals must be a whole number"):
        result.to_docx(tmp_path / "t.docx", decimals=-1)
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    with pytest.raises(pq.WriteError, match="a-file"):
        result.save(tmp_path / "a-file" / "t.docx")
    (tmp_path / "folder.docx").mkdir()
    with pytest.raises(pq.WriteError, match="it is a folder"):
        result.save(tmp_path / "folder.docx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file", "folder.docx"]


def test_text_word_cannot_hold_is_refused_naming_each_cell(tmp_path):
    frame = pd.DataFrame({"text": ["fine", "bell\x07here"], "n": [1, 2]})
    with pytest.raises(ValidationError, match="U\\+0007") as caught:
        FrameResult(frame).to_docx(tmp_path / "t.docx")
    problem = caught.value.problems.iloc[0]
    assert (problem["row"], problem["column"], problem["value"]) == (2, "text", "bell\x07here")
    with pytest.raises(ValidationError, match="caption"):
        FrameResult(frame.iloc[:1]).to_docx(tmp_path / "t.docx", caption="a\x00b")
    assert not (tmp_path / "t.docx").exists()


def test_an_old_file_is_left_whole_when_the_write_fails(tmp_path, monkeypatch):
    path = FrameResult(pd.DataFrame({"n": [1]})).to_docx(tmp_path / "t.docx")
    before = path.read_bytes()

    def broken(self, stream):
        stream.write(b"PK half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(docx.document.Document, "save", broken)
    with pytest.raises(pq.WriteError, match=r"t\.docx"):
        FrameResult(pd.DataFrame({"n": [2]})).to_docx(path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["t.docx"]


def test_without_python_docx_the_error_names_the_extra(tmp_path, monkeypatch):
    real_import = builtins.__import__

    def no_docx(name, *args, **kwargs):
        if name == "docx" or name.startswith("docx."):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_docx)
    with pytest.raises(ValidationError, match=r"pip install 'policyquant\[docx\]'"):
        pq.crosstab(CORPUS).save(tmp_path / "t4.docx")
    with pytest.raises(ValidationError, match="python-docx"):
        export(pd.DataFrame({"n": [1]}), tmp_path / "x.docx")
    assert not list(tmp_path.iterdir())


# -- nothing lost ----------------------------------------------------------------------------------

_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\r")
    | st.sampled_from(["\n", "\t", " ", "标", "准"]),
    max_size=12,
)
_NAMES = st.text(alphabet=string.ascii_letters + "政策工具", min_size=1, max_size=6)


@st.composite
def _frames(draw):
    columns = draw(st.lists(_NAMES, min_size=1, max_size=4, unique=True))
    rows = draw(st.integers(min_value=0, max_value=5))
    data = {}
    for name in columns:
        kind = draw(st.sampled_from(["text", "int", "float"]))
        if kind == "text":
            data[name] = draw(st.lists(_TEXT, min_size=rows, max_size=rows))
        elif kind == "int":
            data[name] = draw(st.lists(st.integers(-(10**12), 10**12), min_size=rows, max_size=rows))
        else:
            values = st.floats(allow_nan=True, allow_infinity=False, width=64) | st.none()
            data[name] = (
                pd.array(draw(st.lists(values, min_size=rows, max_size=rows)), dtype="Float64")
                if rows
                else []
            )
    index = pd.Index(draw(st.lists(_TEXT, min_size=rows, max_size=rows)), name="行")
    return pd.DataFrame(data, index=index, columns=columns)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(frame=_frames(), decimals=st.integers(0, 4))
def test_any_small_table_keeps_every_cell_text(tmp_path_factory, frame, decimals):
    path = FrameResult(frame).to_docx(tmp_path_factory.mktemp("docx") / "t.docx", decimals=decimals)
    grid = _grid(docx.Document(path).tables[0])
    assert grid[0] == ["行", *frame.columns]
    expected = [
        [str(label), *(_cell_text(v, decimals) for v in row)]
        for label, row in zip(frame.index, frame.astype(object).to_numpy().tolist(), strict=True)
    ]
    assert grid[1:] == expected

"""Messages in Chinese (issue 14, item 4): validation problems and command-line errors.

A researcher who fills the Chinese template gets the problems of the sheet in
Chinese (``language="zh"``, ``--lang zh``, or by the template's headers when no
language is given), categories and score levels named by their Chinese labels,
and suggestions matched against Chinese labels and aliases.  The messages live
in gettext catalogues (``policyquant/locale``), which must not drift from the
source: the tests at the end fail when they do.
"""

from __future__ import annotations

import contextvars
import gettext
import io
import string
import subprocess
import sys
import threading
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policyquant as pq
from policyquant import _i18n
from policyquant._i18n import LOCALE_DIR, current_language, using_language
from policyquant._text import closest
from policyquant.cli import main
from policyquant.errors import PROBLEM_COLUMNS
from policyquant.io.columns import standardize_columns

babel = pytest.importorskip("babel")
from babel.messages.extract import extract_from_dir  # noqa: E402
from babel.messages.mofile import write_mo  # noqa: E402
from babel.messages.pofile import read_po  # noqa: E402

WANG = pq.get_framework("wang2026")
PO = LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "policyquant.po"
MO = PO.with_suffix(".mo")
POT = LOCALE_DIR / "policyquant.pot"
PACKAGE = Path(pq.__file__).parent

OBJECTIVES_ZH = "以下之一：法定权益保护、公共安全与利益、技术安全与创新、应用场景完善"
AS_LEVELS_ZH = "以下之一：5（全部部门、领域或场景）、3（多个部门、领域或场景）、1（单一部门、领域或场景）"
MI_LEVELS_ZH = "以下之一：5（措施详细、可操作性强）、3（措施较明确、可操作）、1（仅宏观表述）"


# --------------------------------------------------------------------------
# A Chinese template, filled with the mistakes coders make.


def filled_template(path: Path, *, language: str = "zh") -> Path:
    """The template of wang2026 in ``language``, filled with one document and five faulty clauses."""
    WANG.coding_template(path, language=language)
    book = openpyxl.load_workbook(path)
    sheets = {"zh": ("文件", "条款"), "en": ("documents", "units")}[language]
    documents, units = book[sheets[0]], book[sheets[1]]
    fill(documents, 2, {"doc_id": "P01", "title": "关于促进人工智能发展的意见", "level": "国家级", "DA": 5})
    for row, (unit_id, doc_id, objective, scope, measures) in enumerate(
        (
            ("P01-1-1", "P01", "创新发展", 5, 3),  # an unknown objective
            ("P01-1-2", "P01", "公共安全与利益", 4, 3),  # 4 on a 5/3/1 scale
            ("P01-1-3", "P01", "公共安全与利益", 5, None),  # a missing score
            ("P09-1-1", "P09", "公共安全与利益", 5, 3),  # no document P09
            ("P01-1-1", "P01", "公共安全与利益", 5, 3),  # the id of row 2 again
        ),
        start=2,
    ):
        values = {"unit_id": unit_id, "doc_id": doc_id, "text": f"条款{row - 1}", "instrument": "标准规范",
                  "objectives": objective, "AS": scope, "MI": measures}
        fill(units, row, values)
    book.save(path)
    return path


def fill(sheet, row: int, values: dict) -> None:
    """Write a row by field, wherever the template put each field's column (by its header)."""
    headers = [cell.value for cell in sheet[1]]
    table = "documents" if "doc_id" in values and "unit_id" not in values else "units"
    fields = standardize_columns(pd.DataFrame(columns=headers), table, WANG).columns
    for field, value in values.items():
        sheet.cell(row=row, column=list(fields).index(field) + 1, value=value)


@pytest.fixture
def chinese_sheet(tmp_path: Path) -> Path:
    return filled_template(tmp_path / "编码.xlsx")


def problems_of(*args: object, **kwargs: object) -> pq.ValidationError:
    with pytest.raises(pq.ValidationError) as info:
        pq.read_coding(*args, **kwargs)
    return info.value


def test_a_chinese_template_gets_its_problems_in_chinese(chinese_sheet):
    error = problems_of(chinese_sheet)
    problems = error.problems
    assert list(problems.columns) == list(PROBLEM_COLUMNS)  # the API keeps its English names
    assert set(problems["file"]) == {f"{chinese_sheet} [条款表]"}
    rows = problems[["row", "column", "value", "problem", "expected", "suggestions"]].to_numpy().tolist()
    assert rows == [
        [2, "政策目标", "创新发展", "未知的政策目标", OBJECTIVES_ZH, "技术安全与创新"],
        [3, "作用范围", "4", "不是作用范围（AS）的评分等级", AS_LEVELS_ZH, None],
        [4, "措施力度", None, "缺少评分", MI_LEVELS_ZH, None],
        [5, "文件编号", "P09", "文件表中没有此文件编号", "文件表中已有的文件编号", "P01"],
        [6, "条款编号", "P01-1-1", "条款编号重复", "互不相同的条款编号；第2行已使用此编号", None],
    ]
    message = str(error)
    assert message.startswith(f"{chinese_sheet} [条款表]：发现 5 个问题：\n")
    assert (
        f"  - {chinese_sheet} [条款表]，第2行，列“政策目标”，值“创新发展”：未知的政策目标；"
        f"应为{OBJECTIVES_ZH}；是否指：技术安全与创新？"
    ) in message.splitlines()
    assert f"第3行，列“作用范围”，值“4”：不是作用范围（AS）的评分等级；应为{AS_LEVELS_ZH}" in message
    # Nothing of the English wording is left.
    for english in ("row", "column", "expected", "did you mean", "unknown", "problems found"):
        assert english not in message


def test_language_chooses_over_the_headers(chinese_sheet, tmp_path):
    english = problems_of(chinese_sheet, language="en")
    assert english.problems["problem"].tolist() == [
        "unknown objective",
        "not a level of AS (Audience scope)",
        "missing score",
        "no document with this doc_id",
        "duplicate unit_id",
    ]
    # In English a problem names the field, as it always has.
    assert english.problems["column"].tolist() == ["objectives", "AS", "MI", "doc_id", "unit_id"]
    assert english.problems.loc[0, "suggestions"] == "Technological Security and Innovation (tech_innovation)"
    assert str(english).startswith(f"{chinese_sheet} [units]: 5 problems found:\n")
    # An English template, asked for Chinese: Chinese problems, the columns named as the sheet heads them.
    sheet = filled_template(tmp_path / "coding.xlsx", language="en")
    chinese = problems_of(sheet, language="zh-CN")
    assert chinese.problems["problem"].tolist()[:2] == ["未知的政策目标", "不是作用范围（AS）的评分等级"]
    assert chinese.problems["column"].tolist() == ["objectives", "AS", "MI", "doc_id", "unit_id"]
    assert problems_of(sheet).problems["problem"].tolist()[0] == "unknown objective"


@pytest.mark.parametrize("suffix", ["csv", "json", "parquet"])
def test_every_format_of_a_chinese_sheet_gets_chinese_problems(chinese_sheet, tmp_path, suffix):
    book = pd.read_excel(chinese_sheet, sheet_name=None, dtype=str, engine="openpyxl")
    units, documents = book["条款"], book["文件"]
    paths = {}
    for name, frame in (("units", units), ("documents", documents)):
        paths[name] = tmp_path / f"{name}.{suffix}"
        if suffix == "csv":
            frame.to_csv(paths[name], index=False, encoding="utf-8-sig")
        elif suffix == "json":
            frame.to_json(paths[name], orient="records", force_ascii=False)
        else:
            pytest.importorskip("pyarrow")
            frame.to_parquet(paths[name], index=False)
    error = problems_of(paths["units"], paths["documents"])
    assert error.problems["column"].tolist() == ["政策目标", "作用范围", "措施力度", "文件编号", "条款编号"]
    assert error.problems.loc[0, "suggestions"] == "技术安全与创新"
    assert "：发现 5 个问题：" in str(error)


def test_a_dataframe_gets_chinese_problems_by_language_and_by_headers():
    documents = pd.DataFrame({"文件编号": ["P01"], "发文权威": ["行政法规"]})
    units = pd.DataFrame(
        {
            "条款编号": ["P01-1-1"],
            "文件编号": ["P01"],
            "政策工具": ["标准之规范"],
            "政策目标": ["公共安全"],
            "作用范围": ["5"],
            "措施力度": ["3"],
        }
    )
    (problem,) = problems_of(units, documents).problems.to_dict("records")
    assert (problem["column"], problem["problem"], problem["suggestions"]) == ("政策工具", "未知的政策工具", "标准规范")
    assert problem["expected"].startswith("以下之一：标准规范、基础设施、")
    # A Corpus is validated in its language=, else in the language of the moment.
    fields = units.rename(columns={"条款编号": "unit_id", "文件编号": "doc_id", "政策工具": "instrument",
                                   "政策目标": "objectives", "作用范围": "AS", "措施力度": "MI"})
    with using_language("zh"), pytest.raises(pq.ValidationError) as info:
        pq.Corpus(None, fields)
    assert info.value.problems.loc[0, "problem"] == "未知的政策工具"
    assert info.value.language == "zh"
    with pytest.raises(pq.ValidationError) as info:
        pq.Corpus(None, fields, language="zh-Hans")
    assert info.value.problems.loc[0, ["column", "problem"]].tolist() == ["instrument", "未知的政策工具"]
    with using_language("zh"), pytest.raises(pq.ValidationError) as info:
        pq.Corpus(None, fields, language="en")
    assert info.value.problems.loc[0, "problem"] == "unknown instrument"
    assert current_language() == "en"


def test_levels_ids_dates_and_years_in_chinese():
    documents = pd.DataFrame(
        {"doc_id": ["P01", "P01", "P02"], "level": ["国家级", "市级", "中央"], "date": ["2023-01-02", "昨天", None],
         "year": ["2023", None, "二〇二三"]}
    )
    units = pd.DataFrame({"unit_id": ["P01-1-1", ""], "doc_id": ["P01", "P02"], "instrument": ["标准规范"] * 2,
                          "objectives": ["公共安全", ""], "AS": [5, 5], "MI": [3, 3]})
    with using_language("zh"), pytest.raises(pq.ValidationError) as info:
        pq.Corpus(documents, units)
    problems = info.value.problems
    by_problem = dict(zip(problems["problem"], problems["expected"], strict=False))
    assert by_problem["文件编号重复"] == "互不相同的文件编号；第0行已使用此编号"
    assert by_problem["未知的行政层级"] == "国家级或省级"
    assert by_problem["不是日期"] == "日期，例如 2023-07-13"
    assert by_problem["不是年份"] == "四位数的年份，例如 2023"
    assert by_problem["必填单元格为空"] in ("每行都填写条款编号", "一个或多个政策目标")
    level = problems[problems["problem"] == "未知的行政层级"].iloc[0]
    assert "levels=['national', 'provincial', 'municipal']" in level["suggestions"]


# --------------------------------------------------------------------------
# Suggestions: Chinese is matched by the words it shares.


def test_closest_matches_chinese_by_shared_words():
    names = [n for objective in WANG.objectives for n in objective.names()]
    assert closest("创新发展", names)[0] in ("技术创新", "技术安全与创新")
    assert WANG.suggest("objective", "创新发展") == ["Technological Security and Innovation (tech_innovation)"]
    with using_language("zh"):
        assert WANG.suggest("objective", "创新发展") == ["技术安全与创新"]
        assert WANG.suggest("instrument", "财税优惠") == ["财税激励"]
    # Nothing shared, nothing suggested: no noise.
    assert closest("完全无关", names) == []
    # English matching is as it was.
    assert closest("subsidy", ["subsidies", "taxes", "regulation"]) == ["subsidies"]
    assert WANG.suggest("instrument", "Standard and norm") == ["Standards and Norms (standards_and_norms)"]


@given(st.sampled_from([n for o in WANG.objectives for n in o.names() if any("\u4e00" <= c <= "\u9fff" for c in n)]))
def test_a_chinese_name_is_its_own_closest(name):
    assert closest(name, [n for o in WANG.objectives for n in o.names()])[0] == name


# --------------------------------------------------------------------------
# The command line.


def invoke(*args: object) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], prog_name="policyquant")


def one_line_error(result: Result) -> str:
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("policyquant: error: ")
    return line.removeprefix("policyquant: error: ")


@pytest.mark.parametrize("command", ["validate", "tables", "report"])
def test_cli_problems_in_chinese_by_lang_and_by_headers(command, chinese_sheet, tmp_path):
    extra = ["-o", tmp_path / "report"] if command == "report" else []
    expected = (
        f"{chinese_sheet} [条款表]：发现 5 个问题：{chinese_sheet} [条款表]，第2行，列“政策目标”，值“创新发展”："
        f"未知的政策目标；应为{OBJECTIVES_ZH}；是否指：技术安全与创新？（另有 4 个问题；用 --problems FILE 可保存全部问题）"
    )
    assert one_line_error(invoke(command, chinese_sheet, *extra)) == expected
    assert one_line_error(invoke(command, chinese_sheet, "--lang", "zh-Hans", *extra)) == expected
    english = one_line_error(invoke(command, chinese_sheet, "--lang", "en", *extra))
    assert english.startswith(f"{chinese_sheet} [units]: 5 problems found: {chinese_sheet} [units], row 2, column")
    assert english.endswith("(and 4 more; --problems FILE saves them all)")
    assert current_language() == "en"  # the command's language stayed in the command


def test_cli_problems_file_in_chinese(chinese_sheet, tmp_path):
    saved = tmp_path / "问题.csv"
    line = one_line_error(invoke("validate", chinese_sheet, "--problems", saved))
    assert line.endswith(f"（另有 4 个问题；全部 5 个问题已保存至 {saved}）")
    table = pd.read_csv(saved, dtype=str, encoding="utf-8-sig")
    assert list(table.columns) == list(PROBLEM_COLUMNS)
    assert table["column"].tolist() == ["政策目标", "作用范围", "措施力度", "文件编号", "条款编号"]


@pytest.mark.parametrize("command", ["validate", "tables", "report", "reliability", "pmc"])
def test_cli_user_mistakes_in_chinese(command, tmp_path):
    missing = tmp_path / "没有这个文件.xlsx"
    args = {
        "report": [missing, "-o", tmp_path / "report"],
        "reliability": [missing, tmp_path / "编码员乙.xlsx"],
        "pmc": [tmp_path / "没有这个文件.csv"],
    }.get(command, [missing])
    line = one_line_error(invoke(command, *args, "--lang", "zh"))
    assert line == f"{args[0]}：文件不存在"


@pytest.mark.parametrize("command", ["validate", "tables"])
def test_cli_unknown_framework_in_chinese(command, chinese_sheet):
    line = one_line_error(invoke(command, chinese_sheet, "-f", "wang2062", "--lang", "zh"))
    assert line.startswith("没有名为“wang2062”的编码框架；已有的编码框架：")
    assert line.endswith("；是否指：wang2026？")
    english = one_line_error(invoke(command, chinese_sheet, "-f", "wang2062"))
    assert english.startswith("no framework named 'wang2062'; known frameworks: ")


def test_cli_valid_study_in_chinese(tmp_path):
    path = tmp_path / "编码.xlsx"
    WANG.coding_template(path, language="zh")
    book = openpyxl.load_workbook(path)
    fill(book["文件"], 2, {"doc_id": "P01", "level": "国家级", "DA": "行政法规"})
    fill(book["条款"], 2, {"unit_id": "P01-1-1", "doc_id": "P01", "instrument": "标准规范", "objectives": "技术创新",
                         "AS": 5, "MI": 3})
    book.save(path)
    result = invoke("validate", path, "--lang", "zh")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{path}：符合编码框架 wang2026：1 份文件，1 个条款，1 条编码\n"


# --------------------------------------------------------------------------
# The language is per context: threads and commands do not leak it.


def test_the_language_does_not_leak_between_threads():
    seen: dict[str, str] = {}
    inside = threading.Event()
    done = threading.Event()

    def chinese() -> None:
        with using_language("zh"):
            inside.set()
            done.wait(5)
            seen["zh"] = _i18n._("missing score")

    thread = threading.Thread(target=chinese)
    thread.start()
    inside.wait(5)
    seen["main"] = _i18n._("missing score")
    done.set()
    thread.join()
    assert seen == {"zh": "缺少评分", "main": "missing score"}
    assert contextvars.copy_context().run(lambda: (_i18n.set_language("zh"), current_language())) == ("zh", "zh")
    assert current_language() == "en"


def test_catalogue_needs_no_babel_at_run_time():
    code = (
        "import sys; sys.modules['babel'] = None\n"
        "from policyquant._i18n import _, using_language\n"
        "with using_language('zh'):\n"
        "    print(_('unknown objective'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "未知的政策目标"
    assert gettext.translation("policyquant", LOCALE_DIR, languages=["zh_CN"]).gettext("missing score") == "缺少评分"


# --------------------------------------------------------------------------
# Properties.

SPELLINGS = st.sampled_from(["zh", "zh-CN", "zh_CN", "zh-Hans", "zh_Hans_CN", "zh-SG", "中文", "简体中文", "汉语", "chinese"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spelling=SPELLINGS, upper=st.booleans(), pad=st.sampled_from(["", " ", "  "]))
def test_any_spelling_of_chinese_gives_the_same_messages(spelling, upper, pad):
    units = pd.DataFrame({"unit_id": ["P01-1-1", "P01-1-1"], "doc_id": ["P01", "P02"], "instrument": ["标准规范"] * 2,
                          "objectives": ["创新发展", "公共安全"], "AS": ["4", "5"], "MI": ["3", None]})
    documents = pd.DataFrame({"doc_id": ["P01"]})
    language = pad + (spelling.upper() if upper else spelling) + pad
    reference = problems_of(units, documents, language="zh")
    error = problems_of(units, documents, language=language)
    assert str(error) == str(reference)
    assert error.problems.equals(reference.problems)
    assert current_language() == "en"


def catalogue_entries() -> list[tuple[str | tuple[str, str], str]]:
    """(msgid, msgstr) of every translated message (each plural form against the English plural)."""
    entries = []
    for message in read_po(PO.open("rb")):
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            entries += [(message.id[1], text) for text in message.string]
            entries.append((message.id[0], message.string[0]))
        else:
            entries.append((message.id, message.string))
    return entries


def placeholders(text: str) -> list[tuple[str, str]]:
    """(name, format spec) of each replacement field, ``{}`` numbered as str.format numbers it."""
    found, auto = [], 0
    for _, name, spec, _ in string.Formatter().parse(text):
        if name is None:
            continue
        if name == "":
            name, auto = str(auto), auto + 1
        found.append((name, spec or ""))
    return found


#: Messages shown as they are, never filled with str.format: their braces are text, which a
#: translation may translate ({名称: 语料} for {name: corpus}).
LITERAL_BRACES = frozenset({"no coders' corpora were given (pass coders={name: corpus} to measure agreement)"})


def fields(text: str) -> list[str]:
    return sorted(name for name, _ in placeholders(text))


VALUE = st.text(alphabet=string.ascii_letters + "政策工具目标编号0123456789", min_size=1, max_size=8)


@settings(max_examples=60, deadline=None)
@given(entry=st.sampled_from([e for e in catalogue_entries() if fields(e[0]) and e[0] not in LITERAL_BRACES]), data=st.data())
def test_a_translation_keeps_every_value_it_is_given(entry, data):
    msgid, msgstr = entry
    values, specs = {}, {}
    for name, spec in placeholders(msgid):
        if spec[-1:] in tuple("eEfFgG%"):
            values[name] = data.draw(st.floats(0, 1e6, allow_nan=False))
        elif "," in spec or spec[-1:] in tuple("dxXob"):
            # An integer presentation ({count:,}, U+{code:04X}) takes a whole number.
            values[name] = data.draw(st.integers(0, 10**7))
        else:
            values[name] = data.draw(VALUE)
        specs[name] = spec
    positional = [values[str(i)] for i in range(sum(name.isdigit() for name in values))]
    named = {name: value for name, value in values.items() if not name.isdigit()}
    english, chinese = msgid.format(*positional, **named), msgstr.format(*positional, **named)
    for name, value in values.items():
        shown = format(value, specs[name])
        assert shown in chinese or repr(shown) in chinese
        assert shown in english or repr(shown) in english


# --------------------------------------------------------------------------
# The catalogue does not drift from the source.


def source_messages() -> set[tuple[str | None, str | tuple[str, ...]]]:
    method_map = [("**.py", "python")]
    found = set()
    for _, _, message, _, context in extract_from_dir(str(PACKAGE), method_map):
        found.add((context, message))
    return found


def catalogue_problems(po_bytes: bytes, mo_bytes: bytes, marked: set) -> list[str]:
    """Everything wrong with a catalogue: missing, empty, fuzzy, a placeholder changed, a stale .mo."""
    catalogue = read_po(io.BytesIO(po_bytes))
    problems = []
    present = {(m.context, m.id) for m in catalogue if m.id}
    problems += [f"not in the catalogue: {m!r}" for m in sorted(marked - present, key=repr)]
    problems += [f"no longer in the source: {m!r}" for m in sorted(present - marked, key=repr)]
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string if isinstance(message.id, tuple) else (message.string,)
        if message.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        if not all(strings):
            problems.append(f"not translated: {message.id!r}")
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        wanted = fields(ids[-1])
        if ids[-1] not in LITERAL_BRACES and any(fields(text) != wanted for text in strings if text):
            problems.append(f"placeholders differ: {message.id!r}")
    # Babel's own checks, as `pybabel compile` runs them (printf-style placeholders and the like).
    problems += [f"{error}: {message.id!r}" for message, errors in catalogue.check() for error in errors]
    fresh = io.BytesIO()
    write_mo(fresh, catalogue)
    if fresh.getvalue() != mo_bytes:
        problems.append("the .mo is not a fresh compile of the .po (pybabel compile -d policyquant/locale)")
    return problems


def test_the_catalogue_matches_the_source_and_its_compiled_form():
    marked = source_messages()
    assert len(marked) > 100
    assert catalogue_problems(PO.read_bytes(), MO.read_bytes(), marked) == []
    template = {(m.context, m.id) for m in read_po(POT.open("rb")) if m.id}
    assert template == marked, "regenerate the template: pybabel extract (policyquant/locale/README.md)"


def test_catalogue_drift_is_caught():
    marked = source_messages()
    po = PO.read_bytes().decode("utf-8")
    mo = MO.read_bytes()
    broken = {
        "missing": po.replace('msgid "missing score"\nmsgstr "缺少评分"\n', ""),
        "empty": po.replace('msgstr "缺少评分"', 'msgstr ""'),
        "fuzzy": po.replace('msgid "missing score"', '#, fuzzy\nmsgid "missing score"', 1),
        "placeholder": po.replace('msgstr "第{row}行"', 'msgstr "第{行}行"'),
    }
    for what, text in broken.items():
        assert text != po, what
        problems = catalogue_problems(text.encode("utf-8"), mo, marked)
        assert problems, what
    stale = catalogue_problems(PO.read_bytes(), mo[:-1] + b"x", marked)
    assert stale == ["the .mo is not a fresh compile of the .po (pybabel compile -d policyquant/locale)"]
    assert catalogue_problems(PO.read_bytes(), mo, marked | {(None, "a message nobody translated")}) == [
        "not in the catalogue: (None, 'a message nobody translated')"
    ]


def test_the_mapping_file_extracts_what_the_tests_check():
    # The babel.cfg that `pybabel extract` uses maps the same files as source_messages().
    text = (LOCALE_DIR / "babel.cfg").read_text(encoding="utf-8")
    assert "[python: **.py]" in text


def test_reading_problems_in_chinese(tmp_path):
    titled = tmp_path / "条款.csv"
    titled.write_text("2025年政策编码表,,\n条款编号,文件编号,政策工具\nP01-1-1,P01,标准规范\n", encoding="utf-8")
    error = problems_of(titled, language="zh")
    assert str(error).startswith(
        f"{titled}：第1行看起来是标题（“2025年政策编码表”），不是表头；表头（条款编号, 文件编号, 政策工具）在第2行：请删除第1行"
    )
    assert error.problems.loc[0, ["problem", "expected"]].tolist() == ["表头上方有标题", "表头在第一行；现在在第2行"]
    assert str(problems_of(titled)).startswith(f"{titled}: row 1 looks like a title ('2025年政策编码表')")
    repeated = tmp_path / "units.csv"
    repeated.write_text("条款编号,文件编号,政策工具,政策工具\nP01-1-1,P01,标准规范,标准规范\n", encoding="utf-8")
    error = problems_of(repeated, language="zh")
    assert str(error) == (
        f"{repeated}：表头行有 1 个问题：\n"
        f"  - {repeated}，第1行，列“D”，值“政策工具”：表头重复；应为每个表头只能有一列；第 C 列已是“政策工具”"
    )
    line = one_line_error(invoke("validate", tmp_path / "none.csv", "--lang", "zh"))
    assert line == f"{tmp_path / 'none.csv'}：文件不存在"
    long_row = tmp_path / "long.csv"
    long_row.write_text("条款编号,文件编号\nP01-1-1,P01,多余\n", encoding="utf-8")
    assert str(problems_of(long_row, language="zh")).startswith(f"{long_row}：第2行的单元格多于表头的列数（2）")


# --------------------------------------------------------------------------
# The Chinese words of tables and figures come from the catalogue too.


def test_word_tables_come_from_the_catalogue_whatever_the_language_at_import():
    from policyquant import _language, plotting

    assert plotting.UI_STRINGS is _language.UI_STRINGS
    assert _language.UI_STRINGS["zh"]["count"] == "计数" and _language.UI_STRINGS["en"]["count"] == "Count"
    assert _language.COLUMN_TITLES["zh"]["mean"] == "均值"
    assert _language.CONTEXT_COLUMN_TITLES["efficacy"]["zh"]["mean"] == "平均效力"
    assert _language.table_title("crosstab", "zh", n=3) == "政策工具 × 政策目标的编码数（共 3 个编码）"
    zh = _i18n.translations("zh")
    assert zh.pgettext("column title", "Mean") == "均值"
    from policyquant import reporting
    from policyquant.io import template
    from policyquant.reliability import report

    assert reporting._STRINGS["zh"]["contents"] == zh.pgettext("report", "Contents") == "目录"
    assert template._UI["zh"]["reading"] == zh.pgettext("template", "Reading it back") == "读取"
    assert report._SHEET_COLUMNS["zh"]["decision"] == zh.pgettext("adjudication sheet", "Decision") == "裁决"
    for table in (_language.UI_STRINGS, _language.COLUMN_TITLES, reporting._STRINGS, template._UI):
        assert list(table["zh"]) == list(table["en"])
    # Imported while a caller works in Chinese, the English tables are still English.
    code = (
        "from policyquant._i18n import using_language\n"
        "with using_language('zh'):\n"
        "    from policyquant import _language\n"
        "print(_language.UI_STRINGS['en']['count'], _language.UI_STRINGS['zh']['count'])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["Count", "计数"]

"""Administrative levels beyond national and provincial (issue 14, item 5).

A framework's (or a study's) choice of levels: municipal (市级, 地市级, 市) and
county (县级, 区县, 县) as well as national and provincial, so that a
city-level study validates; ``wang2026`` keeps its two levels and every result.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import policyquant as pq
from policyquant._text import normalize_name
from policyquant.declarative import framework_to_toml, load_framework
from policyquant.io.template import TEMPLATE_SHEETS
from policyquant.model import ADMINISTRATIVE_LEVELS

WANG = pq.get_framework("wang2026")
CITY = ("municipal", "county")


def city_documents(levels: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "doc_id": [f"C{i:02d}" for i in range(1, len(levels) + 1)],
            "level": levels,
            "region": ["Hangzhou"] * len(levels),
            "year": [2024] * len(levels),
            "DA": [1] * len(levels),
        }
    )


def city_units(doc_ids: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "unit_id": [f"{doc}-1-1" for doc in doc_ids],
            "instrument": ["试点示范"] * len(doc_ids),
            "objectives": ["应用场景完善"] * len(doc_ids),
            "AS": [5] * len(doc_ids),
            "MI": [3] * len(doc_ids),
        }
    )


def city_corpus(cells: list[str], **kwargs: Any) -> pq.Corpus:
    documents = city_documents(cells)
    return pq.Corpus(documents, city_units(list(documents["doc_id"])), **kwargs)


# The model ----------------------------------------------------------------------


def test_default_levels_are_the_four_known_ones_in_order():
    framework = pq.Framework("demo", "Demo")
    assert framework.level_keys == ("national", "provincial", "municipal", "county")
    assert framework.levels == ADMINISTRATIVE_LEVELS
    assert [level.label_in("zh") for level in framework.levels] == ["国家级", "省级", "市级", "县级"]


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("市级", "municipal"),
        ("地市级", "municipal"),
        ("市", "municipal"),
        ("Prefecture-level", "municipal"),
        ("city", "municipal"),
        ("地级市", "municipal"),
        ("ＭＵＮＩＣＩＰＡＬ", "municipal"),
        ("县级", "county"),
        ("区县", "county"),
        ("县", "county"),
        ("County-level", "county"),
        ("district", "county"),
        ("中央", "national"),
        ("国家级", "national"),
        ("省级", "provincial"),
        ("地方", "provincial"),
    ],
)
def test_every_name_of_a_level(name, key):
    framework = pq.Framework("demo", "Demo")
    assert framework.resolve("level", name) == key
    assert pq.Framework("demo", "Demo", levels=[name]).level_keys == (key,)


def test_municipality_is_not_municipal():
    # China's municipalities (直辖市, Beijing, Shanghai ...) are provincial-level divisions.
    with pytest.raises(pq.UnknownCategoryError):
        pq.Framework("demo", "Demo").resolve("level", "municipality")


def test_wang2026_keeps_its_two_levels():
    assert WANG.level_keys == ("national", "provincial")
    assert pq.datasets.load_genai_china().documents["level"].cat.categories.tolist() == [
        "national",
        "provincial",
    ]


def test_a_new_level_and_bad_levels():
    town = pq.AdministrativeLevel("township", "Township", labels={"zh": "乡镇级"}, aliases=["乡镇"])
    framework = pq.Framework("towns", "Towns", levels=["county", town])
    assert framework.level_keys == ("county", "township")
    assert framework.resolve("level", "乡镇") == "township"
    with pytest.raises(
        pq.InvalidFrameworkError, match=r"'countyy' is not an administrative level.*did you mean county"
    ):
        pq.Framework("demo", "Demo", levels=["countyy"])
    with pytest.raises(pq.InvalidFrameworkError, match="at least one"):
        pq.Framework("demo", "Demo", levels=[])
    with pytest.raises(pq.InvalidFrameworkError, match="duplicate level key"):
        pq.Framework("demo", "Demo", levels=["county", "区县"])
    with pytest.raises(pq.InvalidFrameworkError, match="ambiguous"):
        pq.Framework(
            "demo", "Demo", levels=["county", pq.AdministrativeLevel("town", "Town", aliases=["县"])]
        )


def test_with_levels_changes_nothing_else():
    city = WANG.with_levels(["市级", "县级"])
    assert city.level_keys == CITY
    assert (city.instruments, city.objectives, city.scale, city.name) == (
        WANG.instruments,
        WANG.objectives,
        WANG.scale,
        WANG.name,
    )
    assert WANG.level_keys == ("national", "provincial")


# A city-level study validates ------------------------------------------------------


SPELLINGS = ["市级", "地市级", "市", "prefecture-level", "县级", "区县", "县", "County"]


def test_a_city_level_study_validates_with_levels():
    corpus = city_corpus(SPELLINGS, levels=["municipal", "county"])
    level = corpus.documents["level"]
    assert level.cat.categories.tolist() == list(CITY)
    assert level.tolist() == ["municipal"] * 4 + ["county"] * 4
    assert corpus.framework.level_keys == CITY
    # Analyses group by the study's levels, in its order.
    table = pq.crosstab(corpus, rows="level", columns="objective")
    assert table.counts.index.tolist() == list(CITY)
    assert table.counts["application_scenarios"].tolist() == [4, 4]
    # The subset keeps the study's levels.
    county = corpus.subset(lambda d: d["level"] == "county")
    assert county.framework.level_keys == CITY and len(county.documents) == 4


def test_a_city_level_study_validates_with_a_framework_of_its_own():
    framework = WANG.with_levels(["national", "provincial", "municipal", "county"])
    corpus = city_corpus(["国家级", "省级", "市级", "县级"], framework=framework)
    assert corpus.documents["level"].tolist() == ["national", "provincial", "municipal", "county"]


def test_without_the_levels_a_city_study_gets_a_clear_problem():
    with pytest.raises(pq.ValidationError) as caught:
        city_corpus(["市级", "Provincal", "县"])
    problems = caught.value.problems
    assert problems["column"].tolist() == ["level"] * 3
    assert problems["problem"].unique().tolist() == ["unknown administrative level"]
    assert problems["expected"].unique().tolist() == ["national or provincial"]
    first, typo, county = problems["suggestions"].tolist()
    assert first == (
        "municipal, a level that framework 'wang2026' does not hold: "
        "read the coding with levels=['national', 'provincial', 'municipal'] "
        "(pq.read_coding, or a TOML framework's levels)"
    )
    assert typo == "provincial"
    assert county.startswith("county, a level that framework 'wang2026' does not hold")
    assert "did you mean municipal, a level" in str(caught.value)


def test_unknown_level_of_a_city_study_names_the_closest_choices():
    with pytest.raises(pq.ValidationError) as caught:
        city_corpus(["Municipl", "national", "市级"], levels=CITY)
    problems = caught.value.problems
    assert problems["value"].tolist() == ["Municipl", "national"]
    assert problems["expected"].unique().tolist() == ["municipal or county"]
    assert problems["suggestions"].iloc[0] == "municipal"
    assert (
        problems["suggestions"]
        .iloc[1]
        .endswith("levels=['national', 'municipal', 'county'] (pq.read_coding, or a TOML framework's levels)")
    )


def test_bad_levels_argument_is_a_clear_error():
    with pytest.raises(pq.InvalidFrameworkError, match="'towns' is not an administrative level"):
        city_corpus(["市级"], levels=["towns"])


def test_read_coding_takes_the_study_levels(tmp_path: Path):
    documents = city_documents(["市级", "区县"])
    documents.to_csv(tmp_path / "documents.csv", index=False)
    city_units(list(documents["doc_id"])).to_csv(tmp_path / "units.csv", index=False)
    corpus = pq.read_coding(tmp_path / "units.csv", tmp_path / "documents.csv", levels=["市级", "县级"])
    assert corpus.documents["level"].tolist() == ["municipal", "county"]
    with pytest.raises(pq.ValidationError) as caught:
        pq.read_coding(tmp_path / "units.csv", tmp_path / "documents.csv")
    rows = caught.value.problems[["file", "row", "value"]].to_numpy().tolist()
    assert rows == [
        [str(tmp_path / "documents.csv"), 2, "市级"],
        [str(tmp_path / "documents.csv"), 3, "区县"],
    ]


def test_authority_by_a_city_level():
    corpus = city_corpus(["市级", "县级", "县"], levels=CITY)
    county = pq.authority_distribution(corpus, admin_level="county")
    assert int(county.counts.to_numpy().sum()) == 2
    with pytest.raises(pq.ValidationError, match=r"level must be 'municipal' or 'county', got 'national'"):
        pq.authority_distribution(corpus, admin_level="national")
    with pytest.raises(pq.ValidationError, match=r"did you mean County \(county\)"):
        pq.authority_distribution(corpus, admin_level="countyy")


# The template's drop-down list ------------------------------------------------------


def _level_entries(path: Path, language: str = "en") -> list[Any]:
    workbook = openpyxl.load_workbook(path)
    sheet = workbook[TEMPLATE_SHEETS[language]["documents"]]
    headers = [cell.value for cell in sheet[1]]
    column = next(i for i, h in enumerate(headers, start=1) if h in ("level", "层级"))
    (validation,) = [
        v
        for v in sheet.data_validations.dataValidation
        if any(r.min_col == r.max_col == column for r in v.sqref.ranges)
    ]
    match = re.fullmatch(r"='?(.+?)'?!\$([A-Z]+)\$(\d+):\$([A-Z]+)\$(\d+)", validation.formula1)
    assert match, validation.formula1
    name, first_col, first_row, _, last_row = match.groups()
    return [row[0].value for row in workbook[name][f"{first_col}{first_row}:{first_col}{last_row}"]]


@pytest.mark.parametrize(
    ("levels", "language", "entries"),
    [
        (None, "en", ["national", "provincial"]),
        (None, "zh", ["国家级", "省级"]),
        (CITY, "en", ["municipal", "county"]),
        (CITY, "zh", ["市级", "县级"]),
    ],
)
def test_template_lists_the_framework_levels(tmp_path, levels, language, entries):
    framework = WANG if levels is None else WANG.with_levels(levels)
    path = framework.coding_template(tmp_path / "coding.xlsx", language=language)
    assert _level_entries(path, language) == entries


@pytest.mark.parametrize(
    ("levels", "language", "prompt", "error"),
    [
        (
            None,
            "en",
            "national or provincial: pick from the list.",
            "Pick national or provincial from the list.",
        ),
        (None, "zh", "国家级或省级：从列表中选择。", "请从列表中选择国家级或省级。"),
        (CITY, "zh", "市级或县级：从列表中选择。", "请从列表中选择市级或县级。"),
        (
            ADMINISTRATIVE_LEVELS,
            "en",
            "national, provincial, municipal or county: pick from the list.",
            "Pick national, provincial, municipal or county from the list.",
        ),
        (
            ADMINISTRATIVE_LEVELS,
            "zh",
            "国家级、省级、市级或县级：从列表中选择。",
            "请从列表中选择国家级、省级、市级或县级。",
        ),
    ],
)
def test_template_prompts_name_the_framework_levels(tmp_path, levels, language, prompt, error):
    framework = WANG if levels is None else WANG.with_levels(levels)
    path = framework.coding_template(tmp_path / "coding.xlsx", language=language)
    sheet = openpyxl.load_workbook(path)[TEMPLATE_SHEETS[language]["documents"]]
    headers = [cell.value for cell in sheet[1]]
    column = next(i for i, h in enumerate(headers, start=1) if h in ("level", "层级"))
    (validation,) = [
        v
        for v in sheet.data_validations.dataValidation
        if any(r.min_col == r.max_col == column for r in v.sqref.ranges)
    ]
    assert (validation.prompt, validation.error) == (prompt, error)


def test_a_filled_city_template_reads_back(tmp_path):
    framework = WANG.with_levels(CITY)
    path = framework.coding_template(tmp_path / "coding.xlsx", language="zh")
    workbook = openpyxl.load_workbook(path)
    documents, units = workbook["文件"], workbook["条款"]
    headers = [c.value for c in documents[1]]
    documents.cell(row=2, column=headers.index("文件编号") + 1, value="C01")
    documents.cell(row=2, column=headers.index("层级") + 1, value="县级")
    documents.cell(row=2, column=headers.index("发文权威") + 1, value=1)  # the document's score, DA
    unit_headers = [c.value for c in units[1]]
    for header, value in (
        ("条款编号", "C01-1-1"),
        ("文件编号", "C01"),
        ("政策工具", "试点示范"),
        ("政策目标", "应用场景完善"),
        ("作用范围", 5),
        ("措施力度", 3),
    ):
        units.cell(row=2, column=unit_headers.index(header) + 1, value=value)
    workbook.save(path)
    corpus = pq.read_coding(path, framework=framework)
    assert corpus.documents["level"].tolist() == ["county"]
    template = pq.Framework("demo", "Demo", levels=CITY).coding_template(
        tmp_path / "again.xlsx", documents=corpus
    )
    assert _level_entries(template) == ["municipal", "county"]


# Declarative frameworks --------------------------------------------------------------


CITY_TOML = """
name = "city-ai"
title = "A city-level study"
levels = ["市级", "county", { key = "township", label = "Township", labels = { zh = "乡镇级" }, aliases = ["乡镇"] }]

[[objectives]]
key = "safety"
label = "Safety"
"""


def test_toml_levels_read_and_written_back():
    framework = load_framework(CITY_TOML)
    assert framework.level_keys == ("municipal", "county", "township")
    assert framework.get("level", "乡镇级").label == "Township"
    text = framework_to_toml(framework)
    assert 'levels = ["municipal", "county", { key = "township"' in text
    assert load_framework(text) == framework


def test_toml_without_levels_writes_none_and_wang2026_writes_its_two():
    assert "levels =" not in framework_to_toml(pq.Framework("demo", "Demo"))
    text = framework_to_toml(WANG)
    assert 'levels = ["national", "provincial"]' in text
    assert load_framework(text) == WANG


@pytest.mark.parametrize(
    ("levels", "path", "fragment"),
    [
        (
            '["countyy"]',
            "levels[0]",
            "'countyy' is not an administrative level policyquant knows (national, provincial, municipal, county); did you mean county?",
        ),
        ('"county"', "levels", 'must be a list, e.g. levels = ["national", "provincial"]; got text'),
        ("[]", "levels", "must name at least one level"),
        (
            '["county", "区县"]',
            "levels[1].key",
            "duplicate administrative level key 'county'; levels[0] has it too",
        ),
        ("[3]", "levels[0]", "must be a level's name in quotes or a table of a new level; got an integer"),
        ('[{ key = "town" }]', "levels[0].label", "missing; an administrative level needs a label"),
        ('[{ score = 3, label = "x" }]', "levels[0]", "the levels of a score belong to a dimension"),
    ],
)
def test_toml_level_mistakes_name_their_place(levels, path, fragment):
    with pytest.raises(pq.InvalidFrameworkError) as caught:
        load_framework(f'name = "x"\ntitle = "X"\nlevels = {levels}\n')
    problems = dict(caught.value.problems)
    assert path in problems, problems
    assert fragment in problems[path]


# Properties ------------------------------------------------------------------------------


KNOWN_NAMES = [(name, level.key) for level in ADMINISTRATIVE_LEVELS for name in level.names()]


@settings(max_examples=60, deadline=None, database=None)
@given(
    st.lists(st.sampled_from(range(len(ADMINISTRATIVE_LEVELS))), min_size=1, max_size=4, unique=True),
    st.data(),
)
def test_any_choice_of_levels_validates_its_own_names_and_round_trips(chosen, data):
    keys = tuple(ADMINISTRATIVE_LEVELS[i].key for i in chosen)
    framework = WANG.with_levels(keys)
    assert framework.level_keys == keys
    assert load_framework(framework_to_toml(framework)) == framework
    names = [(name, key) for name, key in KNOWN_NAMES if key in keys]
    cells = data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=8))
    spelled = [data.draw(st.sampled_from([n, n.upper(), f"  {n} "])) for n, _ in cells]
    corpus = city_corpus(spelled, framework=framework)
    assert corpus.documents["level"].tolist() == [key for _, key in cells]
    assert corpus.documents["level"].cat.categories.tolist() == list(keys)
    # Every other known level is a problem, on its row.
    others = [(name, key) for name, key in KNOWN_NAMES if key not in keys]
    if others:
        wrong = data.draw(st.sampled_from(others))[0]
        with pytest.raises(pq.ValidationError) as caught:
            city_corpus([*spelled, wrong], framework=framework)
        assert caught.value.problems["row"].tolist() == [len(spelled)]
        assert normalize_name(caught.value.problems["value"].iloc[0]) == normalize_name(wrong)


def test_issuer_network_by_a_city_level():
    documents = city_documents(["市级", "县级", "县"]).assign(
        issuers=["Hangzhou Municipal Government", "Xihu District Government; Xihu Bureau", "Xihu Bureau"]
    )
    corpus = pq.Corpus(documents, city_units(list(documents["doc_id"])), levels=CITY)
    network = pq.issuer_network(corpus, admin_level="county")
    assert sorted(network.graph.nodes) == ["Xihu Bureau", "Xihu District Government"]
    with pytest.raises(pq.ValidationError, match=r"level must be 'municipal' or 'county', got 'provincial'"):
        pq.issuer_network(corpus, admin_level="provincial")


def test_command_line_city_study_through_a_toml_framework(tmp_path):
    from click.testing import CliRunner

    from policyquant.cli import main

    documents = city_documents(["市级", "区县"])
    documents.to_csv(tmp_path / "documents.csv", index=False)
    city_units(list(documents["doc_id"])).to_csv(tmp_path / "units.csv", index=False)
    framework = tmp_path / "city.toml"
    framework.write_text(WANG.with_levels(CITY).to_toml(), encoding="utf-8")
    files = [str(tmp_path / "units.csv"), str(tmp_path / "documents.csv")]
    valid = CliRunner().invoke(main, ["validate", *files, "--framework", str(framework)])
    assert valid.exit_code == 0, valid.output
    assert "2 documents, 2 units" in valid.output
    refused = CliRunner().invoke(main, ["validate", *files])
    assert refused.exit_code == 2
    assert "value '市级': unknown administrative level; expected national or provincial" in refused.output
    assert "a TOML framework's levels" in refused.output

"""policyquant.text analyses: dfm, top_features, keyness, kwic, cooccurrence and their figures."""

from __future__ import annotations

import math
import tarfile
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("rjieba")
pytest.importorskip("sklearn")

from scipy.stats import chi2_contingency

from policyquant.errors import ValidationError
from policyquant.text import (
    Cooccurrence,
    cooccurrence,
    dfm,
    keyness,
    keyness_statistic,
    kwic,
    tokenize,
    top_features,
)

ARCHIVE = Path(__file__).resolve().parents[2] / "shared" / "anchors" / "lawrefbook" / "national.tar.xz"

#: Clauses written in the style of the national rules on algorithms, deep synthesis and generative AI.
CLAUSES = pd.DataFrame(
    {
        "unit_id": ["A-1", "A-2", "D-1", "D-2", "G-1", "G-2"],
        "doc_id": ["algorithm", "algorithm", "synthesis", "synthesis", "genai", "genai"],
        "level": ["national", "national", "national", "national", "provincial", "provincial"],
        "text": [
            "算法推荐服务提供者应当建立健全算法机制机理审核制度。",
            "算法推荐服务提供者不得利用算法实施垄断和不正当竞争行为。",
            "深度合成服务提供者应当落实信息安全主体责任。",
            "深度合成服务提供者应当对使用者输入数据和合成结果进行审核。",
            "提供生成式人工智能服务应当依法取得相关资质。",
            "鼓励生成式人工智能技术在各行业、各领域的创新应用。",
        ],
    }
)
TERMS = ["算法推荐", "深度合成", "生成式人工智能", "服务提供者"]


@pytest.fixture(scope="module")
def tokens():
    return tokenize(CLAUSES, user_words=TERMS)


@pytest.fixture(scope="module")
def laws() -> pd.DataFrame:
    if not ARCHIVE.is_file():
        pytest.skip(f"{ARCHIVE} is absent")
    wanted = ("数据安全法", "个人信息保护法", "网络数据安全管理条例", "互联网信息服务算法推荐管理规定")
    rows = []
    with tarfile.open(ARCHIVE, "r:xz") as archive:
        for member in archive:
            if member.isfile() and any(name in member.name for name in wanted):
                rows.append(
                    {"doc_id": Path(member.name).stem, "text": archive.extractfile(member).read().decode()}
                )
    return pd.DataFrame(rows)


# -- dfm -----------------------------------------------------------------------------------


def test_dfm_counts_equal_a_counter_of_each_units_tokens(laws):
    tokens = tokenize(laws)
    matrix = dfm(tokens)
    assert matrix.shape == (4, len(tokens.vocabulary))
    features = list(matrix.features)
    for row, words in enumerate(tokens.to_lists().values()):
        counts = Counter(words)
        dense = matrix.matrix.getrow(row).toarray().ravel()
        assert {features[i]: int(dense[i]) for i in np.flatnonzero(dense)} == dict(counts)
    assert matrix.total() == tokens.n_tokens
    # Features in order of first appearance, as quanteda's dfm.
    assert features[:3] == tokens.to_lists()[laws["doc_id"][0]][:3]


def test_dfm_groups_by_a_unit_column_and_keeps_empty_groups(tokens):
    by_doc = dfm(tokens, groups="doc_id")
    assert by_doc.docnames.tolist() == ["algorithm", "synthesis", "genai"]
    frame = dfm(tokens).to_frame()
    expected = frame.groupby(CLAUSES["doc_id"].to_numpy(), sort=False).sum()
    assert (by_doc.to_frame().to_numpy() == expected.to_numpy()).all()
    assert by_doc.ndoc.tolist() == [2, 2, 2]
    units = pd.concat(
        [CLAUSES, pd.DataFrame({"unit_id": ["E-1"], "doc_id": ["empty"], "level": ["x"], "text": ["。"]})]
    )
    grouped = dfm(tokenize(units, user_words=TERMS), groups="doc_id")
    assert grouped.matrix.getrow(3).sum() == 0 and grouped.docnames[3] == "empty"


def test_dfm_bad_groups(tokens):
    with pytest.raises(ValidationError, match="no such column") as caught:
        dfm(tokens, groups="levle")
    assert caught.value.problems["suggestions"].iloc[0] == "level"
    with pytest.raises(ValidationError, match="for 6 documents"):
        dfm(tokens, groups=["a", "b"])
    with pytest.raises(ValidationError, match="no group"):
        dfm(tokens, groups=["a", None, "b", "b", "b", "b"])
    with pytest.raises(ValidationError, match="needs Tokens"):
        dfm(CLAUSES)


@st.composite
def unit_tables(draw):
    n = draw(st.integers(1, 8))
    texts = draw(
        st.lists(
            st.sampled_from([*list(CLAUSES["text"]), "", "数据安全", "AI safety"]), min_size=n, max_size=n
        )
    )
    groups = draw(st.lists(st.sampled_from(["a", "b", "c"]), min_size=n, max_size=n))
    return pd.DataFrame({"unit_id": [f"u{i}" for i in range(n)], "group": groups, "text": texts})


@settings(max_examples=30, deadline=None)
@given(unit_tables(), st.randoms(use_true_random=False))
def test_dfm_invariants(units, random):
    tokens = tokenize(units, language="zh")
    matrix = dfm(tokens)
    # Token counts sum to the matrix's total, row by row.
    assert matrix.total() == tokens.n_tokens
    assert np.asarray(matrix.matrix.sum(axis=1)).ravel().tolist() == tokens.lengths().tolist()
    # The matrix does not depend on the order of the units.
    shuffled = units.sample(frac=1, random_state=random.randint(0, 1000))
    other = dfm(tokenize(shuffled, language="zh"))
    a = matrix.to_frame().sort_index().sort_index(axis=1)
    b = other.to_frame().sort_index().sort_index(axis=1)
    pd.testing.assert_frame_equal(a, b, check_names=False)
    # A group's row is the sum of its units' rows.
    grouped = dfm(tokens, groups="group").to_frame()
    summed = matrix.to_frame().groupby(units["group"].to_numpy()).sum()
    pd.testing.assert_frame_equal(grouped.sort_index(), summed.sort_index(), check_names=False)


# -- top_features ----------------------------------------------------------------------------


def test_top_features_by_frequency_docfreq_and_tfidf():
    tokens = tokenize(["数据 安全 数据 算法", "数据 安全", "算法 算法 算法"], language="zh")
    by_frequency = top_features(tokens, n=None).to_frame()
    assert by_frequency["feature"].tolist() == ["算法", "数据", "安全"]
    assert by_frequency["frequency"].tolist() == [4, 3, 2]
    assert by_frequency["rank"].tolist() == [1, 2, 3]
    assert by_frequency.set_index("feature")["docfreq"].to_dict() == {"数据": 2, "安全": 2, "算法": 2}
    tfidf = top_features(tokens, n=None, by="tfidf").to_frame().set_index("feature")["tfidf"]
    # count * log10(N / docfreq): every feature is in 2 of 3 documents.
    assert tfidf["算法"] == pytest.approx(4 * math.log10(3 / 2))
    assert tfidf["安全"] == pytest.approx(2 * math.log10(3 / 2))
    docfreq = top_features(tokens, n=2, by="docfreq").to_frame()
    assert docfreq["rank"].tolist() == [1, 1]  # ties share the lowest rank


def test_top_features_per_group_and_its_exports(tokens, tmp_path):
    table = top_features(tokens, n=2, groups="doc_id")
    frame = table.to_frame()
    assert frame.columns.tolist() == ["feature", "frequency", "rank", "docfreq", "group"]
    assert frame.groupby("group", sort=False).size().to_dict() == {"algorithm": 2, "synthesis": 2, "genai": 2}
    first = frame[frame["group"] == "algorithm"].iloc[0]
    assert (first["feature"], first["frequency"], first["docfreq"]) == ("算法推荐", 2, 2)
    assert table.to_frame(language="zh").columns.tolist() == ["词", "词频", "排名", "文档频数", "分组"]
    for name in ("t.csv", "t.xlsx", "t.tex", "t.docx"):
        assert table.save(tmp_path / name, language="zh").is_file()
    assert pd.read_csv(tmp_path / "t.csv").columns.tolist()[0] == "词"


def test_top_features_bad_options(tokens):
    with pytest.raises(ValidationError, match="by='freq'") as caught:
        top_features(tokens, by="freq")
    assert "frequency" in caught.value.problems["suggestions"].iloc[0]
    with pytest.raises(ValidationError, match="whole number"):
        top_features(tokens, n=0)


# -- keyness ---------------------------------------------------------------------------------


def _two_documents(a: int, b: int, c: int, d: int) -> list[str]:
    """A target with ``a`` of the feature and ``c`` other tokens, a reference with ``b`` and ``d``."""
    others = [f"词{i}" for i in range(max(c, d))]
    return [" ".join(["目标"] * a + others[:c]), " ".join(["目标"] * b + others[:d])]


def test_keyness_chi2_against_a_hand_computed_2x2_table():
    # a=10, b=2, c=90, d=98: N=200, ad-bc=800, every expected count >= 5, so no correction:
    # chi2 = 200 * 800^2 / (12 * 188 * 100 * 100) = 5.6737...
    assert float(keyness_statistic(10, 2, 90, 98)) == pytest.approx(200 * 800**2 / (12 * 188 * 100 * 100))
    # a=3, b=0, c=7, d=10: expected count 1.5 < 5 and |ad-bc| = 30 >= N/2 = 10: Yates applies:
    # chi2 = 20 * (30 - 10)^2 / (3 * 17 * 10 * 10) = 1.5686...
    assert float(keyness_statistic(3, 0, 7, 10)) == pytest.approx(20 * 20**2 / (3 * 17 * 10 * 10))
    assert float(keyness_statistic(3, 0, 7, 10, correction="none")) == pytest.approx(
        20 * 30**2 / (3 * 17 * 10 * 10)
    )
    # Below expectation in the target: negative.
    assert float(keyness_statistic(0, 3, 10, 7)) == pytest.approx(-20 * 20**2 / (3 * 17 * 10 * 10))


@pytest.mark.parametrize("cells", [(10, 2, 90, 98), (3, 0, 7, 10), (1, 4, 20, 9), (25, 30, 70, 60)])
def test_keyness_agrees_with_scipy_chi2_contingency(cells):
    a, b, c, d = cells
    tokens = tokenize(_two_documents(a, b, c, d), language="zh", stopwords=None)
    table = keyness(tokens, "text1").to_frame().set_index("feature").loc["目标"]
    assert (table["n_target"], table["n_reference"]) == (a, b)
    observed = np.array([[a, c], [b, d]])
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0)) / observed.sum()
    small = (expected < 5).any() and abs(a * d - b * c) >= observed.sum() / 2
    # quanteda corrects only when an expected count is below 5; scipy always does for 2x2.
    reference = chi2_contingency(observed, correction=bool(small))
    assert abs(table["chi2"]) == pytest.approx(reference.statistic)
    assert table["p"] == pytest.approx(reference.pvalue)
    assert np.sign(table["chi2"]) == (1 if a > expected[0, 0] else -1)
    g2 = keyness(tokens, "text1", measure="lr", correction="none").to_frame().set_index("feature").loc["目标"]
    log_likelihood = chi2_contingency(observed, correction=False, lambda_="log-likelihood")
    assert abs(g2["G2"]) == pytest.approx(log_likelihood.statistic, rel=1e-6)


def test_keyness_between_groups_is_sorted_and_named(tokens):
    result = keyness(tokens, "algorithm", groups="doc_id")
    frame = result.to_frame()
    assert frame.columns.tolist() == ["feature", "chi2", "p", "n_target", "n_reference"]
    assert frame["feature"].tolist()[:2] == ["算法", "算法推荐"] and frame["chi2"].is_monotonic_decreasing
    assert frame.set_index("feature").loc["算法推荐", ["n_target", "n_reference"]].tolist() == [2, 0]
    assert (result.target, result.reference) == ("algorithm", "reference")
    lr = keyness(tokens, ["algorithm", "synthesis"], groups="doc_id", measure="lr").to_frame()
    assert lr.columns[1] == "G2"
    assert result.to_frame(language="zh").columns.tolist() == ["词", "χ²", "p", "目标组频数", "参照组频数"]


def test_keyness_bad_inputs(tokens):
    with pytest.raises(ValidationError, match="measure='pmi'") as caught:
        keyness(tokens, "A-1", measure="pmi")
    assert caught.value.problems["expected"].iloc[0] == "chi2, lr"
    with pytest.raises(ValidationError, match="not a document") as caught:
        keyness(tokens, "algorthm", groups="doc_id")
    assert "algorithm" in caught.value.problems["suggestions"].iloc[0]
    with pytest.raises(ValidationError, match="every document"):
        keyness(tokens, ["algorithm", "synthesis", "genai"], groups="doc_id")
    empty = tokenize(pd.DataFrame({"unit_id": ["a", "b"], "text": ["数据安全", "的。"]}))
    with pytest.raises(ValidationError, match="'b' has no tokens"):
        keyness(empty, "a")


# -- kwic ------------------------------------------------------------------------------------


def test_kwic_finds_chinese_terms_whole_with_unit_ids():
    table = kwic(CLAUSES, "深度合成", window=3).to_frame()
    assert table["unit_id"].tolist() == ["D-1", "D-2"]
    assert table["keyword"].tolist() == ["深度合成", "深度合成"]
    assert table["post"].iloc[0] == "服务提供者应当落实"
    assert table.columns.tolist() == ["unit_id", "from", "to", "pre", "keyword", "post", "pattern"]


def test_kwic_on_real_law_text(laws):
    table = kwic(laws, "个人信息处理者", window=4).to_frame()
    assert len(table) > 50
    assert set(table["doc_id"]) <= set(laws["doc_id"])
    assert (table["keyword"] == "个人信息处理者").all()


def test_kwic_globs_phrases_and_tokens():
    english = pd.DataFrame(
        {"unit_id": ["a"], "text": ["Providers of generative AI services shall label AI content."]}
    )
    phrase = kwic(english, "generative AI", window=2).to_frame()
    assert phrase[["pre", "keyword", "post"]].iloc[0].tolist() == [
        "providers of",
        "generative ai",
        "services shall",
    ]
    glob = kwic(english, "serv*", window=1).to_frame()
    assert glob["keyword"].tolist() == ["services"]
    tokens = tokenize(CLAUSES, user_words=TERMS)
    assert kwic(tokens, "算法*", window=2).to_frame()["keyword"].tolist()[:2] == ["算法推荐", "算法"]


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.sampled_from(["数据 安全 数据", "安全", "", "数据", "算法 数据 算法 算法"]), min_size=1, max_size=6
    ),
    st.integers(0, 4),
)
def test_kwic_windows_never_cross_unit_boundaries(texts, window):
    tokens = tokenize(texts, language="zh")
    lists = tokens.to_lists()
    table = kwic(tokens, "数据", window=window).to_frame()
    assert len(table) == sum(words.count("数据") for words in lists.values())
    for row in table.itertuples(index=False):
        words = lists[row.unit_id]
        start = row._1 - 1  # "from"
        assert row.pre == "".join(words[max(0, start - window) : start])
        assert row.post == "".join(words[start + 1 : start + 1 + window])


def test_kwic_bad_inputs():
    with pytest.raises(ValidationError, match="pattern"):
        kwic(CLAUSES, "")
    with pytest.raises(ValidationError, match="window"):
        kwic(CLAUSES, "数据", window=-1)
    with pytest.raises(ValidationError, match="not text"):
        kwic(pd.DataFrame({"unit_id": ["a"], "text": [3.5]}), "数据")


# -- co-occurrence and figures ------------------------------------------------------------------


def test_cooccurrence_within_units_is_the_crossproduct(tokens):
    result = cooccurrence(tokens, top=6)
    assert isinstance(result, Cooccurrence)
    x = dfm(tokens).to_frame()[list(result.matrix.columns)].to_numpy()
    expected = x.T @ x
    np.fill_diagonal(expected, (x * (x - 1) // 2).sum(axis=0))
    assert (result.matrix.to_numpy() == expected).all()
    frame = result.to_frame()
    assert frame["cooccurrences"].is_monotonic_decreasing
    graph = result.graph
    assert set(graph.nodes) == set(result.matrix.columns)
    assert graph.number_of_edges() == len(frame)


def test_cooccurrence_in_windows_and_boolean():
    tokens = tokenize(["甲 乙 丙 甲", "乙 丙"], language="zh", stopwords=None)
    window = cooccurrence(tokens, top=3, window=1).matrix
    # Neighbours: 甲-乙, 乙-丙, 丙-甲 in the first unit; 乙-丙 in the second.
    assert window.loc["乙", "丙"] == 2 and window.loc["甲", "乙"] == 1 and window.loc["甲", "丙"] == 1
    boolean = cooccurrence(tokens, top=3, count="boolean").matrix
    assert boolean.loc["乙", "丙"] == 2 and boolean.loc["甲", "乙"] == 1


def test_cooccurrence_bad_inputs(tokens):
    with pytest.raises(ValidationError, match="top"):
        cooccurrence(tokens, top=1)
    with pytest.raises(ValidationError, match="window"):
        cooccurrence(tokens, window=0)
    with pytest.raises(ValidationError, match="count='weighted'"):
        cooccurrence(tokens, count="weighted")


def test_network_and_word_cloud_draw_chinese(tokens):
    pytest.importorskip("wordcloud")
    import matplotlib.pyplot as plt

    from policyquant import plotting
    from policyquant.text import wordcloud_figure

    fig = plotting.cooccurrence_network(cooccurrence(tokens, top=8), language="zh")
    labels = {text.get_text() for text in fig.axes[0].texts}
    assert "服务提供者" in labels and fig.axes[0].get_title() == "词语共现网络"
    plt.close(fig)
    fig = wordcloud_figure(top_features(tokens, 20), width=300, height=200)
    assert fig.axes[0].images[0].get_array().shape[:2] == (200, 300)
    plt.close(fig)
    with pytest.raises(ValidationError, match="several groups"):
        wordcloud_figure(top_features(tokens, 5, groups="doc_id"))
    with pytest.raises(ValidationError, match="no words"):
        wordcloud_figure({"数据": 0})
    with pytest.raises(ValidationError, match="cooccurrence"):
        plotting.cooccurrence_network(tokens)


@settings(max_examples=25, deadline=None)
@given(unit_tables())
def test_top_features_per_group_are_the_grouped_matrix(units):
    tokens = tokenize(units, language="zh")
    table = top_features(tokens, n=None, groups="group").to_frame()
    grouped = dfm(tokens, groups="group").to_frame()
    for row in table.itertuples(index=False):
        assert grouped.loc[row.group, row.feature] == row.frequency
    assert table["frequency"].sum() == tokens.n_tokens
    every_unit = top_features(tokens, n=None, groups="unit_id").to_frame()
    assert every_unit["docfreq"].eq(1).all() and every_unit["frequency"].sum() == tokens.n_tokens


# -- the report's words section ------------------------------------------------------------------


def test_the_report_gains_a_words_section_on_request():
    import re

    import policyquant as pq
    from policyquant.reporting import SECTIONS, _Context, render_report
    from policyquant.text._report import check_words, words_section

    full = pq.datasets.load_genai_china()
    # Six documents of both levels: the whole report of all 670 clauses takes seconds to draw.
    corpus = full.subset(["N01", "N02", "N03", "P01", "P02", "P03"])
    # Without words= the sections are SECTIONS (tests/test_report.py); with it, "words" comes before the codebook.
    # 人工智能安全 is one word only as a user word (the segmenter cuts 人工智能 / 安全); whole, it ranks 10th.
    html = render_report(corpus, language="zh", words={"top": 10, "user_words": ["人工智能安全"]})
    anchors = re.findall(r'<section id="([^"]+)">', html)
    at = SECTIONS.index("codebook")
    assert anchors == [*SECTIONS[:at], "words", *SECTIONS[at:]]
    part = re.search(r'<section id="words">(.*?)</section>', html, re.DOTALL).group(1)
    assert "条款文本词语分析" in part and part.count("<table") == 2 and part.count("<svg") == 2
    assert f"{len(corpus.units)}" in part and "人工智能安全" in part
    blocks = words_section(_Context(full, "en", None), check_words(True))
    assert [block.kind for block in blocks] == ["text", "table", "table", "figure", "figure"]
    assert blocks[0].text.startswith("670 clauses")
    with pytest.raises(ValidationError, match="unknown option 'topp'") as caught:
        render_report(corpus, words={"topp": 3})
    assert caught.value.problems["suggestions"].iloc[0] == "top"
    with pytest.raises(ValidationError, match="whole number"):
        check_words({"top": 0})
    with pytest.raises(ValidationError, match="True or a mapping"):
        check_words("yes")

"""policyquant.text.tokenize: Chinese and English tokens, user dictionaries, stop words, inputs and bad inputs."""

from __future__ import annotations

import re
import sys
import tarfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("rjieba")
pytest.importorskip("sklearn")

import rjieba

import policyquant as pq
from policyquant.errors import PolicyQuantError, ValidationError
from policyquant.text import (
    MissingTextDependencyError,
    Tokens,
    detect_language,
    stopword_list,
    tokenize,
)

ARCHIVE = Path(__file__).resolve().parents[2] / "shared" / "anchors" / "lawrefbook" / "national.tar.xz"

#: Sentences written in the style of the national rules on algorithms, deep synthesis and generative AI.
SENTENCES = [
    "提供生成式人工智能服务应当依法取得相关资质。",
    "深度合成服务提供者应当落实信息安全主体责任。",
    "算法推荐服务提供者应当建立健全算法机制机理审核制度。",
    "国家网信部门负责统筹协调个人信息保护工作和相关监督管理工作。",
    "各级人民政府应当加强对数据安全工作的领导，鼓励和支持数据开发利用。",
    "个人信息处理者不得利用人脸识别技术处理个人信息。",
]

TERMS = ["生成式人工智能", "深度合成", "算法推荐", "个人信息保护", "网信部门"]


@pytest.fixture(scope="module")
def laws() -> dict[str, str]:
    """Four real national texts (data security law, PIPL, network data regulations, algorithm rules)."""
    if not ARCHIVE.is_file():
        pytest.skip(f"{ARCHIVE} is absent")
    wanted = ("数据安全法", "个人信息保护法", "网络数据安全管理条例", "互联网信息服务算法推荐管理规定")
    texts = {}
    with tarfile.open(ARCHIVE, "r:xz") as archive:
        for member in archive:
            if member.isfile() and any(name in member.name for name in wanted):
                texts[Path(member.name).stem] = archive.extractfile(member).read().decode("utf-8")
    assert len(texts) == 4
    return texts


def _direct(text: str, stop: frozenset[str]) -> list[str]:
    """What tokenize should give: rjieba's tokens with a letter, lower-cased, not stop words."""
    letter = re.compile(r"[^\W\d_]")
    return [w.lower() for w in rjieba.cut(text) if letter.search(w) and w.lower() not in stop]


# -- Chinese ------------------------------------------------------------------------------


def test_policy_terms_split_without_and_whole_with_a_user_dictionary():
    plain = tokenize(SENTENCES, stopwords=None).to_lists()
    assert plain["text1"][:3] == ["提供", "生成式", "人工智能"]
    assert plain["text2"][:2] == ["深度", "合成"]
    assert plain["text3"][:2] == ["算法", "推荐"]
    assert plain["text4"][1:3] == ["网信", "部门"]
    joined = tokenize(SENTENCES, stopwords=None, user_words=TERMS).to_lists()
    assert "生成式人工智能" in joined["text1"]
    assert joined["text2"][0] == "深度合成"
    assert joined["text3"][0] == "算法推荐"
    assert {"网信部门", "个人信息保护"} <= set(joined["text4"])


def test_a_user_dictionary_does_not_leak_into_later_calls():
    tokenize(SENTENCES, user_words=["深度合成"])
    assert tokenize([SENTENCES[1]], stopwords=None).to_lists()["text1"][:2] == ["深度", "合成"]


def test_user_words_from_a_file_in_jieba_format(tmp_path):
    path = tmp_path / "terms.txt"
    path.write_text("# policy terms\n深度合成 10 n\n\n算法推荐\n", encoding="utf-8")
    lists = tokenize(SENTENCES[1:3], user_words=path).to_lists()
    assert lists["text1"][0] == "深度合成" and lists["text2"][0] == "算法推荐"


def test_default_stop_words_remove_boilerplate_and_keep_instrument_words():
    tokens = tokenize([SENTENCES[4]], stopwords="default").to_lists()["text1"]
    for word in ("各级", "应当", "加强", "的", "和"):
        assert word not in tokens
    assert {"鼓励", "支持", "数据安全"} <= set(tokens)
    words = stopword_list("zh")
    assert {"各级", "有关", "应当", "的", "和", "等", "进行", "加强"} <= words
    assert not {"不得", "鼓励", "支持", "引导", "规范"} & words
    assert "the" in words  # English words in Chinese texts go too


def test_stop_words_can_be_replaced_extended_or_read_from_a_file(tmp_path):
    text = [SENTENCES[4]]
    assert "应当" in tokenize(text, stopwords=None).to_lists()["text1"]
    assert tokenize(text, stopwords=["应当", "的"]).to_lists()["text1"][:2] == ["各级", "人民政府"]
    extended = tokenize(text, stopwords=stopword_list("zh") | {"人民政府"}).to_lists()["text1"]
    assert "人民政府" not in extended and "各级" not in extended
    path = tmp_path / "stop.txt"
    path.write_text("各级\n人民政府\n", encoding="utf-8")
    assert tokenize(text, stopwords=path).to_lists()["text1"][:2] == ["应当", "加强"]


def test_tokens_of_real_laws_are_rjiebas_words_without_stop_words(laws):
    units = pd.DataFrame({"doc_id": list(laws), "text": list(laws.values())})
    tokens = tokenize(units)
    assert tokens.language == "zh" and tokens.id_column == "doc_id"
    stop = stopword_list("zh")
    lists = tokens.to_lists()
    for doc_id, text in laws.items():
        assert lists[doc_id] == _direct(text, stop)
    frame = tokens.to_frame()
    assert len(frame) == tokens.n_tokens == sum(map(len, lists.values()))
    first = frame[frame["doc_id"] == units["doc_id"][0]]
    assert first["position"].tolist() == list(range(1, len(first) + 1))
    assert "数据安全" in lists[next(k for k in laws if "数据安全法" in k)]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from([*SENTENCES, "", "2023年", "AI"]), max_size=4).map("".join), max_size=6)
)
def test_every_kept_token_is_rjiebas_and_in_order(texts):
    tokens = tokenize(texts, language="zh")
    stop = stopword_list("zh")
    assert list(tokens.to_lists().values()) == [_direct(text, stop) for text in texts]
    assert tokens.offsets[-1] == tokens.n_tokens == len(tokens.codes)


# -- English and languages -----------------------------------------------------------------


def test_english_is_case_folded_by_a_regular_expression():
    lists = tokenize(
        ["The State's rules on Artificial Intelligence (AI) take effect in 2023; well-being matters."],
        user_words=["artificial intelligence"],
    ).to_lists()
    assert lists["text1"] == [
        "state's",
        "rules",
        "artificial intelligence",
        "ai",
        "effect",
        "well-being",
        "matters",
    ]
    assert tokenize(["Data SECURITY data"], stopwords=None).to_lists()["text1"] == [
        "data",
        "security",
        "data",
    ]


def test_language_is_detected_by_the_share_of_chinese_characters():
    assert detect_language(SENTENCES) == "zh"
    assert detect_language(["Generative AI services shall label content"]) == "en"
    assert detect_language(["AI 安全"]) == "zh"
    assert tokenize(["Data security 数据"]).language == "en"
    assert tokenize(["data"], language="zh-CN").language == "zh"


# -- Inputs ---------------------------------------------------------------------------------


def test_a_corpus_gives_its_units_with_their_documents_columns():
    corpus = pq.datasets.load_genai_china()
    tokens = tokenize(corpus)
    assert len(tokens) == len(corpus.units)
    assert tokens.unit_ids.tolist() == corpus.units["unit_id"].astype(str).tolist()
    assert {"doc_id", "instrument", "level", "year"} <= set(tokens.docvars.columns)


def test_series_lists_and_objects_with_to_frame():
    series = pd.Series(SENTENCES[:2], index=["a", "b"])
    assert tokenize(series).unit_ids.tolist() == ["a", "b"]

    class Segments:
        def to_frame(self):
            return pd.DataFrame({"unit_id": ["u1"], "doc_id": ["d"], "text": [SENTENCES[0]]})

    tokens = tokenize(Segments())
    assert tokens.unit_ids.tolist() == ["u1"] and tokens.docvars["doc_id"].tolist() == ["d"]


def test_empty_texts_are_units_without_tokens():
    tokens = tokenize(pd.DataFrame({"unit_id": ["a", "b", "c"], "text": ["", SENTENCES[0], "。。"]}))
    assert tokens.lengths().tolist()[0] == 0 and tokens.lengths().tolist()[2] == 0
    assert len(tokens) == 3
    assert tokenize([], language="zh").n_tokens == 0


def test_token_table_exports_with_chinese_headers(tmp_path):
    tokens = tokenize(pd.DataFrame({"unit_id": ["a"], "text": [SENTENCES[1]]}), user_words=["深度合成"])
    assert list(tokens.to_frame(language="zh").columns) == ["单元", "位置", "词"]
    path = tokens.save(tmp_path / "tokens.csv", language="zh")
    back = pd.read_csv(path, dtype=str)
    assert back.columns.tolist() == ["单元", "位置", "词"] and back["词"].iloc[0] == "深度合成"
    assert tokens.save(tmp_path / "tokens.xlsx").is_file()
    assert isinstance(tokens, Tokens) and "1 units" in str(tokens)


# -- Bad inputs -----------------------------------------------------------------------------


def test_non_text_and_missing_texts_are_named_by_row():
    with pytest.raises(ValidationError) as caught:
        tokenize(pd.DataFrame({"unit_id": ["a", "b", "c"], "text": ["文本", 12, None]}))
    problems = caught.value.problems
    assert problems["row"].tolist() == [2, 3]
    assert problems["column"].tolist() == ["text", "text"]
    assert "not text (int)" in problems["problem"].iloc[0] and problems["problem"].iloc[1] == "missing text"


def test_missing_columns_duplicate_ids_and_other_objects():
    with pytest.raises(ValidationError, match="no text column") as caught:
        tokenize(pd.DataFrame({"unit_id": ["a"], "txt": ["x"]}))
    assert "txt" in str(caught.value)
    with pytest.raises(ValidationError, match="duplicate id"):
        tokenize(pd.DataFrame({"unit_id": ["a", "a"], "text": ["x", "y"]}))
    with pytest.raises(ValidationError, match="got int"):
        tokenize(42)
    with pytest.raises(ValidationError, match="tokens already"):
        tokenize(tokenize(["数据"]))


def test_bad_options():
    with pytest.raises(ValidationError, match="unknown language 'fr'"):
        tokenize(["data"], language="fr")
    with pytest.raises(ValidationError, match="no such file"):
        tokenize(["data"], stopwords="stopwords.txt")
    with pytest.raises(ValidationError, match="no such file"):
        tokenize(["data"], user_words="深度合成")
    with pytest.raises(ValidationError, match="not a word"):
        tokenize(["data"], user_words=["深度合成", 3])
    with pytest.raises(ValidationError, match="list of words"):
        tokenize(["data"], stopwords=5)


def test_a_missing_segmenter_names_the_extra(monkeypatch):
    from policyquant.text import _tokens

    _tokens._chinese_cutter.cache_clear()
    monkeypatch.setitem(sys.modules, "rjieba", None)
    with pytest.raises(MissingTextDependencyError, match=r"policyquant\[text\]") as caught:
        tokenize(["数据安全"])
    assert isinstance(caught.value, PolicyQuantError) and isinstance(caught.value, ImportError)
    monkeypatch.undo()
    _tokens._chinese_cutter.cache_clear()
    assert tokenize(["数据安全"]).n_tokens == 1


def test_missing_scikit_learn_names_the_extra(monkeypatch):
    from policyquant.text import _tokens

    _tokens._builtin.cache_clear()
    monkeypatch.setitem(sys.modules, "sklearn.feature_extraction.text", None)
    with pytest.raises(MissingTextDependencyError, match=r"'scikit-learn'.*policyquant\[text\]"):
        tokenize(["Generative AI services"], language="en")
    monkeypatch.undo()
    _tokens._builtin.cache_clear()
    assert tokenize(["Generative AI services"], language="en").n_tokens == 3

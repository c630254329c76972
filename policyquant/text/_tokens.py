"""Tokens: the units' texts cut into words, with stop words removed.

Chinese is segmented with rjieba (the Rust port of jieba: the same dictionary and
algorithm, about 30 times faster); English with a regular expression.  The result
is a :class:`Tokens` object: every unit's tokens as codes into one vocabulary,
held in flat arrays (no Python list per unit), which :func:`~policyquant.text.dfm`
turns into a sparse matrix without another pass over the text.
"""

from __future__ import annotations

import array
import collections
import functools
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from importlib import resources
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._text import closest
from ..errors import PolicyQuantError, ValidationError
from ..results import TableResult

#: How to install what this subpackage needs.
INSTALL = "pip install 'policyquant[text]'"

#: Share of CJK characters among a text's letters above which it is read as Chinese.
CJK_SHARE = 0.2

#: An English token: letters and digits, with inner hyphens and apostrophes (``well-being``, ``state's``).
ENGLISH_TOKEN = r"\w+(?:[-'’]\w+)*"

_LETTER = re.compile(r"[^\W\d_]")
_CJK_CHAR = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LETTERS = re.compile(r"[^\W\d_]")

#: Column titles of the token table, by language.
TITLES = {
    "en": {"unit_id": "Unit", "doc_id": "Document", "position": "Position", "token": "Token"},
    "zh": {"unit_id": "单元", "doc_id": "文件", "position": "位置", "token": "词"},
}


class MissingTextDependencyError(PolicyQuantError, ImportError):
    """An optional package of the ``text`` extra is not installed (the message names it and the extra)."""


def require(module: str, purpose: str, package: str | None = None) -> Any:
    """Import ``module`` or raise a :class:`MissingTextDependencyError` naming its package and the extra."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingTextDependencyError(
            f"{purpose} needs the optional package {package or module!r}: {INSTALL}"
        ) from None


# -- Stop words --------------------------------------------------------------------------


def _read_words(path: Path, what: str) -> list[str]:
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise ValidationError(
            f"{path}: cannot read the {what}",
            [
                {
                    "file": str(path),
                    "problem": str(error),
                    "expected": "a UTF-8 text file with one word per line",
                }
            ],
        ) from None
    # A jieba dictionary line is "word [frequency] [tag]": the word is the first field.
    return [line.split()[0] for line in lines if line.strip() and not line.lstrip().startswith("#")]


@functools.cache
def _builtin(language: str) -> frozenset[str]:
    if language == "zh":
        text = resources.files("policyquant.text").joinpath("stopwords_zh.txt").read_text(encoding="utf-8")
        return frozenset(
            line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
        )
    text = require("sklearn.feature_extraction.text", "The English stop-word list", "scikit-learn")
    return frozenset(text.ENGLISH_STOP_WORDS)


def stopword_list(language: str = "zh") -> frozenset[str]:
    """The stop words policyquant removes by default in ``language``.

    Chinese: a list written for Chinese policy texts (``policyquant/text/stopwords_zh.txt``,
    232 words): particles and function words (的, 和, 与, 及), pronouns and
    determiners (各, 各级, 该, 本), the modal and boilerplate verbs of policy
    documents (应当, 进行, 加强, 推进, 落实), generic administrative nouns (工作,
    有关部门) and numbering words (第, 条, 款).  Words that signal a policy
    instrument (不得, 必须, 支持, 鼓励, 引导, 规范, 保障) are deliberately *not*
    in it.  Chinese text also drops the English list, for the English words
    mixed into it.  English: scikit-learn's ``ENGLISH_STOP_WORDS`` (318 words).

    Parameters
    ----------
    language : {"zh", "en"}
        The language (``"zh-CN"`` and the like are accepted).

    Returns
    -------
    frozenset of str
        Extend it with ``|`` and pass it as ``stopwords=`` to
        :func:`tokenize`.

    Examples
    --------
    >>> from policyquant.text import stopword_list
    >>> words = stopword_list("zh")
    >>> {"各级", "有关", "应当", "的"} <= words, "鼓励" in words
    (True, False)
    >>> "the" in stopword_list("en")
    True
    """
    code = _resolve(language)
    words = _builtin(code)
    return words | _builtin("en") if code == "zh" else words


def _stopwords(value: object, language: str) -> frozenset[str]:
    if value is None:
        return frozenset()
    if isinstance(value, str) and value == "default":
        return stopword_list(language)
    if isinstance(value, (PathLike, str)):
        path = Path(value)
        if not path.is_file():
            raise ValidationError(
                f"stopwords={str(value)!r} is neither 'default' nor a file",
                [
                    {
                        "column": "stopwords",
                        "value": str(value),
                        "problem": "no such file",
                        "expected": "None, 'default', an iterable of words, or the path of a file with one word a line",
                    }
                ],
            )
        return frozenset(word.lower() for word in _read_words(path, "stop-word list"))
    return frozenset(_words(value, "stopwords"))


def _words(value: object, what: str) -> list[str]:
    """A list of words from an iterable (not a string), each checked to be non-empty text."""
    if isinstance(value, (bytes, dict)) or not isinstance(value, Iterable):
        raise ValidationError(
            f"{what} must be a list of words or the path of a file, got {type(value).__name__}",
            [
                {
                    "column": what,
                    "value": repr(value)[:80],
                    "problem": "not a list of words",
                    "expected": "a list of str",
                }
            ],
        )
    words = list(value)
    bad = [(i, w) for i, w in enumerate(words) if not isinstance(w, str) or not w.strip()]
    if bad:
        raise ValidationError(
            f"{what}: {len(bad)} entr{'y is' if len(bad) == 1 else 'ies are'} not a word",
            [
                {
                    "column": what,
                    "row": i,
                    "value": repr(w),
                    "problem": "not a non-empty string",
                    "expected": "a word",
                }
                for i, w in bad
            ],
        )
    return [w.strip().lower() if what == "stopwords" else w.strip() for w in words]


def _user_words(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, (str, PathLike)):
        path = Path(value)
        if not path.is_file():
            raise ValidationError(
                f"user_words={str(value)!r}: no such file",
                [
                    {
                        "column": "user_words",
                        "value": str(value),
                        "problem": "no such file (a single word goes in a list: user_words=['深度合成'])",
                        "expected": "a list of words, or a file with one word a line (jieba's dictionary format)",
                    }
                ],
            )
        return tuple(dict.fromkeys(_read_words(path, "user dictionary")))
    return tuple(dict.fromkeys(_words(value, "user_words")))


# -- Languages ---------------------------------------------------------------------------


def _resolve(language: object) -> str:
    from .._language import resolve_language

    code = resolve_language(language, "language")
    if code not in ("zh", "en"):
        raise ValidationError(
            f"language={language!r}: policyquant tokenizes Chinese and English",
            [
                {
                    "column": "language",
                    "value": repr(language),
                    "problem": "no tokenizer",
                    "expected": "'zh', 'en' or None",
                }
            ],
        )
    return code


def detect_language(texts: Sequence[str]) -> str:
    """``"zh"`` when CJK characters make up at least a fifth of the letters of ``texts``, else ``"en"``.

    The texts are looked at together (one language per call), the first 200,000 characters.

    Examples
    --------
    >>> from policyquant.text import detect_language
    >>> detect_language(["网信部门负责 AI safety"]), detect_language(["Generative AI services"])
    ('zh', 'en')
    """
    sample = "".join(itertools.islice((t for t in texts if isinstance(t, str)), 2000))[:200_000]
    letters = len(_LETTERS.findall(sample))
    if not letters:
        return "zh" if _CJK_CHAR.search(sample) else "en"
    return "zh" if len(_CJK_CHAR.findall(sample)) / letters >= CJK_SHARE else "en"


# -- Segmenters --------------------------------------------------------------------------


@functools.lru_cache(maxsize=8)
def _chinese_cutter(user_words: tuple[str, ...]) -> Any:
    rjieba = require("rjieba", "Segmenting Chinese text")
    # One segmenter per user dictionary: jieba's global dictionary would leak words between calls.
    segmenter = rjieba.Jieba()
    for word in user_words:
        segmenter.add_word(word, None, None)
    return segmenter.cut


@functools.lru_cache(maxsize=8)
def _english_cutter(user_words: tuple[str, ...]) -> Any:
    phrases = sorted({re.sub(r"\s+", " ", w.lower()) for w in user_words}, key=len, reverse=True)
    alternatives = [r"\s+".join(re.escape(part) for part in p.split(" ")) + r"(?!\w)" for p in phrases]
    pattern = re.compile("|".join([*alternatives, ENGLISH_TOKEN]))
    return pattern.findall


_PUNCT_TOKEN = re.compile(r"\S")
_SPACES = re.compile(r"\s+")


def _cut_all(texts: Iterable[str], language: str, user_words: tuple[str, ...]) -> Iterator[list[str]]:
    """Each text's tokens, one text at a time."""
    if language == "zh":
        cut = _chinese_cutter(user_words)
        return map(cut, texts)
    findall = _english_cutter(user_words)
    if not user_words:
        return (findall(text.lower()) for text in texts)
    # A phrase of the user dictionary is one token, however the text spaces it.
    return ([_SPACES.sub(" ", token) for token in findall(text.lower())] for text in texts)


# -- Units -------------------------------------------------------------------------------


def _units_frame(units: object) -> tuple[pd.DataFrame, str]:
    """The units as a DataFrame with an id column and ``text``; the id column's name."""
    from ..corpus import Corpus

    if isinstance(units, Corpus):
        frame = units.units
        if "text" not in frame.columns:
            raise ValidationError(
                "the corpus's units have no text: tokenize needs each clause's text (a 'text' column "
                "in the coding sheet, or the units of policyquant.segment)",
                [{"column": "text", "problem": "missing column", "expected": "the clauses' texts"}],
            )
        extra = [c for c in units.documents.columns if c not in frame.columns]
        if extra:
            frame = frame.merge(
                units.documents[["doc_id", *extra]], on="doc_id", how="left", validate="many_to_one"
            )
        return frame, "unit_id"
    if isinstance(units, Tokens):
        raise ValidationError("these are tokens already: pass them to dfm(), kwic() or cooccurrence()")
    if (
        not isinstance(units, pd.DataFrame)
        and hasattr(units, "to_frame")
        and not isinstance(units, pd.Series)
    ):
        units = units.to_frame()
    if isinstance(units, pd.Series):
        ids = pd.Index(units.index).astype(str)
        return pd.DataFrame({"unit_id": ids, "text": units.to_numpy(dtype=object)}), "unit_id"
    if isinstance(units, (list, tuple)):
        return pd.DataFrame(
            {"unit_id": [f"text{i + 1}" for i in range(len(units))], "text": list(units)}
        ), "unit_id"
    if not isinstance(units, pd.DataFrame):
        raise ValidationError(
            f"tokenize needs units: a DataFrame with unit_id (or doc_id) and text, a Corpus, "
            f"a segmentation or a list of texts; got {type(units).__name__}"
        )
    id_column = next((c for c in ("unit_id", "doc_id") if c in units.columns), None)
    missing = [
        name for name, ok in (("unit_id or doc_id", id_column), ("text", "text" in units.columns)) if not ok
    ]
    if missing:
        columns = [str(c) for c in units.columns]
        raise ValidationError(
            "the units have no " + " and no ".join(missing) + " column",
            [
                {
                    "column": name,
                    "problem": "missing column",
                    "expected": "columns unit_id (or doc_id) and text",
                    "suggestions": ", ".join(closest(name.split()[0], columns)) or None,
                }
                for name in missing
            ],
        )
    return units, id_column


def _check_units(frame: pd.DataFrame, id_column: str) -> tuple[np.ndarray, list[str]]:
    ids = frame[id_column]
    texts = frame["text"]
    problems = []
    text_values = texts.to_numpy(dtype=object)
    if pd.api.types.is_string_dtype(texts.dtype) and texts.dtype != object:
        # A string column holds text or missing values only: no need to look at each cell.
        not_text = texts.isna().to_numpy()
    else:
        not_text = ~texts.map(type).isin([str]).to_numpy()
    for row in np.flatnonzero(not_text)[:1000]:
        value = text_values[row]
        missing = value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))
        problems.append(
            {
                "row": int(row) + 1,
                "column": "text",
                "value": None if missing else repr(value)[:60],
                "problem": "missing text" if missing else f"not text ({type(value).__name__})",
                "expected": "text (an empty string for a unit without text)",
            }
        )
    id_values = ids.to_numpy(dtype=object)
    missing_id = pd.isna(ids).to_numpy()
    for row in np.flatnonzero(missing_id)[:1000]:
        problems.append(
            {"row": int(row) + 1, "column": id_column, "problem": "missing id", "expected": "an id"}
        )
    as_text = pd.Series(id_values, dtype=object).astype("str")
    duplicated = as_text.duplicated(keep=False).to_numpy() & ~missing_id
    for row in np.flatnonzero(duplicated)[:1000]:
        problems.append(
            {
                "row": int(row) + 1,
                "column": id_column,
                "value": as_text.iloc[row],
                "problem": "duplicate id",
                "expected": "one row per unit",
            }
        )
    if problems:
        raise ValidationError(f"cannot tokenize the units: {len(problems)} problem(s)", problems)
    return as_text.to_numpy(dtype=object), list(text_values)


# -- Tokens ------------------------------------------------------------------------------


class TidyTable(TableResult):
    """A result whose rows are observations (a row number, not a label, as index).

    Files are written without that row number (CSV, Excel, HTML, Word), unless
    ``index=True`` is passed.
    """

    def to_csv(self, path: Any = None, **options: Any) -> Any:  # type: ignore[override]
        options.setdefault("index", False)
        return super().to_csv(path, **options)

    def to_excel(self, path: Any, *args: Any, index: bool = False, **options: Any) -> Any:  # type: ignore[override]
        return super().to_excel(path, *args, index=index, **options)

    def to_html(self, *args: Any, index: bool = False, **options: Any) -> Any:  # type: ignore[override]
        return super().to_html(*args, index=index, **options)

    def to_docx(self, *args: Any, index: bool = False, **options: Any) -> Any:  # type: ignore[override]
        return super().to_docx(*args, index=index, **options)

    # save() checks options against a writer's signature: these take the base writers' options.
    to_csv.__wrapped__ = TableResult.to_csv  # type: ignore[attr-defined]
    to_excel.__wrapped__ = TableResult.to_excel  # type: ignore[attr-defined]
    to_html.__wrapped__ = TableResult.to_html  # type: ignore[attr-defined]
    to_docx.__wrapped__ = TableResult.to_docx  # type: ignore[attr-defined]


class Tokens(TidyTable):
    """The tokens of every unit: what :func:`tokenize` returns.

    Held as flat arrays: ``codes`` (each token's index into ``vocabulary``) and
    ``offsets`` (unit ``i``'s tokens are ``codes[offsets[i]:offsets[i + 1]]``),
    in unit order.  :meth:`to_frame` gives the tidy table (one row per token);
    :meth:`to_lists` the tokens of each unit as lists.

    Attributes
    ----------
    unit_ids : numpy.ndarray of str
        The units' ids, in the order given.
    id_column : str
        ``"unit_id"`` or ``"doc_id"``: what the ids are.
    vocabulary : numpy.ndarray of str
        The distinct tokens, in order of first appearance.
    codes, offsets : numpy.ndarray
        See above.
    docvars : pandas.DataFrame
        The units' other columns (one row per unit, in order), for grouping.
    language : {"zh", "en"}
        The language the texts were tokenized as.
    stopwords : frozenset of str
        The stop words removed.

    Examples
    --------
    >>> import pandas as pd
    >>> from policyquant.text import tokenize
    >>> units = pd.DataFrame({"unit_id": ["a", "b"], "text": ["国家网信部门负责统筹协调", "Generative AI services"]})
    >>> tokens = tokenize(units, language="zh")
    >>> tokens.to_frame()
      unit_id  position token
    0       a         1    国家
    1       a         2    网信
    2       a         3    协调
    3       b         1  generative
    4       b         2    ai
    5       b         3  services
    >>> tokens.to_lists()["a"]
    ['国家', '网信', '协调']
    """

    decimals = 0

    def __init__(
        self,
        unit_ids: np.ndarray,
        offsets: np.ndarray,
        codes: np.ndarray,
        vocabulary: np.ndarray,
        docvars: pd.DataFrame,
        *,
        id_column: str = "unit_id",
        language: str = "zh",
        stopwords: frozenset[str] = frozenset(),
        user_words: tuple[str, ...] = (),
    ) -> None:
        self.unit_ids = unit_ids
        self.offsets = offsets
        self.codes = codes
        self.vocabulary = vocabulary
        self.docvars = docvars
        self.id_column = id_column
        self.language = language
        self.stopwords = stopwords
        self.user_words = user_words

    def __len__(self) -> int:
        return len(self.unit_ids)

    @property
    def n_tokens(self) -> int:
        """The number of tokens of all units."""
        return len(self.codes)

    def lengths(self) -> np.ndarray:
        """The number of tokens of each unit, in unit order."""
        return np.diff(self.offsets)

    def to_lists(self) -> dict[str, list[str]]:
        """Each unit's tokens as a list, by unit id (in unit order)."""
        words = self.vocabulary[self.codes].tolist()
        return {
            uid: words[a:b]
            for uid, a, b in zip(self.unit_ids.tolist(), self.offsets[:-1], self.offsets[1:], strict=True)
        }

    def to_frame(self, language: str | None = None) -> pd.DataFrame:
        """One row per token: the unit's id, the token's position in the unit (from 1) and the token.

        ``language`` (``"zh"``, ``"en"``) titles the columns for a reader in it.
        """
        lengths = self.lengths()
        starts = np.repeat(self.offsets[:-1], lengths)
        frame = pd.DataFrame(
            {
                self.id_column: pd.array(np.repeat(self.unit_ids, lengths), dtype="str"),
                "position": np.arange(len(self.codes), dtype=np.int64) - starts + 1,
                "token": pd.array(self.vocabulary[self.codes], dtype="str"),
            }
        )
        return _titled(frame, language)

    def __str__(self) -> str:
        # A summary: the table of millions of tokens is what to_frame() is for.
        return repr(self)

    def __repr__(self) -> str:
        return (
            f"<Tokens: {len(self)} units, {self.n_tokens:,} tokens, {len(self.vocabulary):,} types, "
            f"language {self.language!r}>"
        )


def _titled(
    frame: pd.DataFrame, language: object, titles: dict[str, dict[str, str]] | None = None
) -> pd.DataFrame:
    """``frame`` with its columns titled in ``language`` (unchanged without one)."""
    from .._language import column_title, resolve_language

    code = resolve_language(language)
    if code is None:
        return frame
    table = {**TITLES[code], **(titles or {}).get(code, {})}
    frame = frame.copy()
    frame.columns = [table.get(c, column_title(c, code)) if isinstance(c, str) else c for c in frame.columns]
    return frame


def tokenize(
    units: object,
    *,
    language: str | None = None,
    user_words: Iterable[str] | str | PathLike[str] | None = None,
    stopwords: Iterable[str] | str | PathLike[str] | None = "default",
) -> Tokens:
    """Cut the units' texts into tokens (words), in Chinese or English, without stop words.

    Chinese is segmented with rjieba (jieba's dictionary and algorithm in Rust);
    English with the regular expression :data:`ENGLISH_TOKEN` on the lower-cased
    text.  Latin letters in Chinese text are lower-cased too.  A token is kept
    when it has at least one letter (a CJK character counts): punctuation,
    spaces and bare numbers (``2023``, ``3.5``) are not tokens.

    Parameters
    ----------
    units : DataFrame, Corpus, segmentation, Series or list of str
        A DataFrame with ``unit_id`` (or ``doc_id``) and ``text``; its other
        columns are kept as :attr:`Tokens.docvars` for grouping.  A
        :class:`~policyquant.Corpus` gives its units, with its documents'
        columns (``year``, ``level`` ...).  Anything with ``to_frame()`` (a
        segmentation, a document set) is read from its frame.  A Series is
        read with its index as ids; a list gets the ids ``text1``, ``text2`` ...
    language : {"zh", "en"}, optional
        By default, Chinese when CJK characters are at least a fifth of the
        letters of the texts (:func:`detect_language`), else English.
    user_words : list of str, or path, optional
        Words to keep whole: policy terms such as 生成式人工智能 or 深度合成,
        which the segmenter's dictionary splits; in English, phrases such as
        ``"artificial intelligence"`` (kept as one token).  A path names a text
        file with one word a line (jieba's dictionary format; only the first
        field is read; ``#`` starts a comment).
    stopwords : "default", None, iterable of str, or path, default "default"
        ``"default"``: :func:`stopword_list` of the language; ``None``: keep
        every word; a collection of words replaces the list (extend it with
        ``stopword_list("zh") | {...}``); a path names a file with one word a
        line.  Matched against the lower-cased token.

    Returns
    -------
    Tokens
        Every unit, in order, with its tokens (a unit may have none).

    Raises
    ------
    ValidationError
        For units without ids or text, a text that is not a string (the row
        and value named), duplicate ids, an unknown language, or a stop-word
        or user-word file that does not exist.
    MissingTextDependencyError
        When rjieba (Chinese) or scikit-learn (English stop words) is not
        installed: ``pip install 'policyquant[text]'``.

    Examples
    --------
    >>> from policyquant.text import tokenize
    >>> text = "提供生成式人工智能服务应当依法取得相关资质"
    >>> tokenize([text]).to_lists()["text1"]
    ['提供', '生成式', '人工智能', '服务', '依法', '取得', '资质']
    >>> tokenize([text], user_words=["生成式人工智能"], stopwords=None).to_lists()["text1"]
    ['提供', '生成式人工智能', '服务', '应当', '依法', '取得', '相关', '资质']
    >>> tokenize(["The State's rules on Artificial  Intelligence (AI-2), 2023."],
    ...          user_words=["artificial intelligence"]).to_lists()
    {'text1': ["state's", 'rules', 'artificial intelligence', 'ai-2']}
    """
    frame, id_column = _units_frame(units)
    ids, texts = _check_units(frame, id_column)
    code = detect_language(texts) if language is None else _resolve(language)
    words = _user_words(user_words)
    stop = _stopwords(stopwords, code)
    docvars = frame.drop(columns=[c for c in (id_column, "text") if c in frame.columns]).reset_index(
        drop=True
    )
    offsets, codes, vocabulary = _encode(_cut_all(texts, code, words), stop)
    return Tokens(
        ids,
        offsets,
        codes,
        vocabulary,
        docvars,
        id_column=id_column,
        language=code,
        stopwords=stop,
        user_words=words,
    )


def _factorize(pieces: Iterable[list[str]]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Each text's number of tokens, every token's code and the distinct tokens (in order of first appearance).

    Streams: each text's tokens are coded as they are cut, by a dict whose
    missing keys take the next number, through ``map`` into an int64 buffer:
    every step in C, as fast as counting them with a ``Counter``, and no list
    of millions of tokens is ever built.
    """
    index: collections.defaultdict[str, int] = collections.defaultdict(itertools.count().__next__)
    code = index.__getitem__
    codes = array.array("q")
    ends = array.array("q")
    for tokens in pieces:
        codes.extend(map(code, tokens))
        ends.append(len(codes))
    ends_array = np.frombuffer(ends, dtype=np.int64) if len(ends) else np.zeros(0, dtype=np.int64)
    lengths = np.diff(ends_array, prepend=0)
    flat = np.frombuffer(codes, dtype=np.int64) if len(codes) else np.zeros(0, dtype=np.int64)
    return lengths, flat, list(index)


def _encode(
    pieces: Iterable[list[str]], stop: frozenset[str], *, punctuation: bool = False
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Offsets, codes and vocabulary of the segmented texts, keeping word tokens that are not stop words.

    Decided once per distinct token (a few ten thousand), not once per token
    (millions): each token is coded, the kept codes selected with one mask.
    With ``punctuation``, punctuation marks are kept too (for keyword in context).
    """
    lengths, raw_codes, raw = _factorize(pieces)
    lowered = np.array([token.lower() for token in raw], dtype=object)
    folded, vocabulary = pd.factorize(lowered, sort=False)
    vocabulary = np.asarray(vocabulary, dtype=object)
    pattern = _PUNCT_TOKEN if punctuation else _LETTER
    keep_type = np.fromiter(
        (pattern.search(token) is not None and token not in stop for token in vocabulary),
        dtype=bool,
        count=len(vocabulary),
    )
    # The folded types are in order of first appearance, and so are the kept ones among them (a kept
    # type first appears as a kept token): numbering them in that order is quanteda's order of features.
    renumber = (
        np.where(keep_type, np.cumsum(keep_type) - 1, -1)[folded]
        if len(folded)
        else np.zeros(0, dtype=np.int64)
    )
    numbered = renumber[raw_codes]
    kept = np.flatnonzero(numbered >= 0)
    raw_offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=raw_offsets[1:])
    # Kept tokens before each text's start (a cumulative sum over millions of flags costs ten times more).
    offsets = np.searchsorted(kept, raw_offsets).astype(np.int64)
    return offsets, numbered[kept].astype(np.int32), np.asarray(vocabulary[keep_type], dtype=object)

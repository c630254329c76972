"""The "words" section of the HTML report (:func:`policyquant.reporting.report` with ``words=``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import ValidationError

#: The section's words by language.
WORDS = {
    "en": {
        "words": "Words of the clauses",
        "summary": "{units:,} clauses, {tokens:,} words after removing stop words, {types:,} distinct words.",
        "top_caption": "The {n} most frequent words (frequency, rank, number of clauses)",
        "keyness_caption": "Keyness: words of {target} clauses against the others (χ², quanteda's textstat_keyness)",
        "cloud_caption": "Word cloud of the {n} most frequent words",
        "network_caption": "Co-occurrence of the {n} most frequent words within a clause",
        "no_words": "the clauses have no words after removing stop words",
        "no_wordcloud": "the word cloud needs the wordcloud package: pip install 'policyquant[text]'",
    },
    "zh": {
        "words": "条款文本词语分析",
        "summary": "共 {units:,} 个条款，去除停用词后 {tokens:,} 个词，{types:,} 个不同的词。",
        "top_caption": "前 {n} 个高频词（词频、排名、出现的条款数）",
        "keyness_caption": "关键性：{target}条款相对于其他条款的特征词（χ²，quanteda textstat_keyness）",
        "cloud_caption": "前 {n} 个高频词的词云",
        "network_caption": "前 {n} 个高频词在同一条款中的共现网络",
        "no_words": "去除停用词后条款中没有词",
        "no_wordcloud": "词云需要 wordcloud 包：pip install 'policyquant[text]'",
    },
}

_OPTIONS = ("user_words", "stopwords", "top", "language")


def check_words(words: object) -> dict[str, Any]:
    """The options of ``report(words=...)``: True or a mapping of tokenize options and ``top``."""
    if words is True:
        return {}
    if not isinstance(words, Mapping):
        raise ValidationError(
            f"words must be True or a mapping of options ({', '.join(_OPTIONS)}), got {type(words).__name__}"
        )
    unknown = [key for key in words if key not in _OPTIONS]
    if unknown:
        from .._text import closest

        raise ValidationError(
            f"words: unknown option {unknown[0]!r}",
            [
                {
                    "column": "words",
                    "value": key,
                    "problem": "not an option of the words section",
                    "expected": ", ".join(_OPTIONS),
                    "suggestions": ", ".join(closest(str(key), list(_OPTIONS))) or None,
                }
                for key in unknown
            ],
        )
    top = words.get("top", 20)
    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        raise ValidationError(f"words: top must be a whole number of 1 or more, got {top!r}")
    return dict(words)


def words_section(ctx: Any, options: Mapping[str, Any]) -> list[Any]:
    """The blocks of the report's words section: a summary, the top words, keyness by level, two figures."""
    import importlib.util

    from .. import plotting
    from ._analyses import TITLES, cooccurrence, keyness, top_features
    from ._tokens import tokenize
    from .figures import wordcloud_figure

    options = dict(options)
    top = options.pop("top", 20)
    text = WORDS[ctx.language]
    tokens = tokenize(ctx.corpus, **options)
    blocks = [
        ctx.text(
            text["summary"].format(units=len(tokens), tokens=tokens.n_tokens, types=len(tokens.vocabulary))
        )
    ]
    if not tokens.n_tokens:
        return [*blocks, ctx.note(text["no_words"])]
    titles = TITLES[ctx.language]
    table = top_features(tokens, top).to_frame().drop(columns="group").set_index("feature")
    blocks.append(
        ctx.table(
            table,
            text["top_caption"].format(n=len(table)),
            index_title=titles["feature"],
            index_labels=table.index.tolist(),
            column_labels={c: titles.get(c, c) for c in table.columns},
            decimals=0,
        )
    )
    levels = tokens.docvars["level"].dropna().unique().tolist() if "level" in tokens.docvars else []
    if len(levels) >= 2 and not tokens.docvars["level"].isna().any():
        target = levels[0]
        key = keyness(tokens, target, groups="level").to_frame().head(top).set_index("feature")
        blocks.append(
            ctx.table(
                key,
                text["keyness_caption"].format(target=ctx.category("level", target)),
                index_title=titles["feature"],
                index_labels=key.index.tolist(),
                column_labels={c: titles.get(c, c) for c in key.columns},
                decimals={"chi2": 2, "p": 4},
            )
        )
    if importlib.util.find_spec("wordcloud") is None:
        blocks.append(ctx.note(text["no_wordcloud"]))
    else:
        blocks.append(
            ctx.figure(
                lambda: wordcloud_figure(top_features(tokens, 100)), text["cloud_caption"].format(n=100)
            )
        )
    n = max(2, min(top, 30))
    blocks.append(
        ctx.figure(
            lambda: plotting.cooccurrence_network(
                cooccurrence(tokens, top=n), language=ctx.plot_language, title=""
            ),
            text["network_caption"].format(n=n),
        )
    )
    return blocks

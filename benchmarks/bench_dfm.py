"""A document-feature matrix of 1,000,000 clauses, against scikit-learn's CountVectorizer with the same tokenizer.

The clauses are the articles of the 1,564 real national legal texts of
``../shared/anchors/lawrefbook/national.tar.xz`` (cut by :func:`policyquant.documents.segment`),
repeated under new ids until there are 1,000,000 of them: real policy sentences, at the
number of clauses a provincial-and-municipal study reaches.  policyquant's path is
:func:`policyquant.text.tokenize` then :func:`policyquant.text.dfm`.  The baseline is what a
user of scikit-learn would write for the same matrix: ``CountVectorizer`` with the same
segmenter (an ``rjieba.Jieba``'s ``cut``) as its tokenizer, lower-casing, then the stop words,
punctuation and numbers dropped and features that differ only in case merged (one sparse
product over the columns, which is cheaper than filtering every token).  Both give the
same counts per feature (checked here before timing).  Both are timed in processor time (least of the runs), steadier than wall time on a
machine other jobs share.  ``--quick`` uses 50,000 clauses.
"""

from __future__ import annotations

import re
import tarfile
import tempfile
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from .harness import cpu_seconds

ARCHIVE = Path(__file__).resolve().parents[2] / "shared" / "anchors" / "lawrefbook" / "national.tar.xz"
CLAUSES = 1_000_000



def _articles() -> list[str]:
    """The article texts of the real legal documents, in file order."""
    from policyquant.documents import read_documents, segment

    with tempfile.TemporaryDirectory() as folder:
        with tarfile.open(ARCHIVE, "r:xz") as archive:
            archive.extractall(folder, filter="data")
        with warnings.catch_warnings():
            # A few laws appear twice in the collection: the duplicates are repeated anyway.
            warnings.simplefilter("ignore", UserWarning)
            units = segment(read_documents(folder)).to_frame()
    return units.loc[units["kind"] == "clause", "text"].tolist()


def run(quick: bool = False) -> list[str]:
    if not ARCHIVE.is_file():
        return ["## Document-feature matrix", f"  skipped: {ARCHIVE} is absent"]
    try:
        import rjieba
        from scipy import sparse
        from sklearn.feature_extraction.text import CountVectorizer

        from policyquant.text import dfm, stopword_list, tokenize
    except ImportError:
        return ["## Document-feature matrix", "  skipped: needs pip install 'policyquant[text,coders]'"]
    articles = _articles()
    size = 50_000 if quick else CLAUSES
    texts = (articles * (size // len(articles) + 1))[:size]
    units = pd.DataFrame({"unit_id": [f"c{i}" for i in range(size)], "text": texts})
    stop = stopword_list("zh")
    letter = re.compile(r"[^\W\d_]")
    cut = rjieba.Jieba().cut

    def ours() -> object:
        return dfm(tokenize(units, language="zh"))

    def baseline() -> tuple[object, np.ndarray]:
        # Lower-cased after cutting, as tokenize does: lower-casing first changes how jieba cuts (IP地址).
        vectorizer = CountVectorizer(tokenizer=cut, token_pattern=None, lowercase=False)
        matrix = vectorizer.fit_transform(texts)
        folded, names = pd.factorize(np.array([t.lower() for t in vectorizer.get_feature_names_out()], dtype=object))
        keep = np.fromiter((letter.search(t) is not None and t not in stop for t in names), dtype=bool, count=len(names))
        # Columns that differ only in case summed, the others dropped: one sparse product.
        columns = np.where(keep, np.cumsum(keep) - 1, -1)[folded]
        kept = np.flatnonzero(columns >= 0)
        fold = sparse.csr_matrix((np.ones(len(kept), dtype=np.int64), (kept, columns[kept])), shape=(len(folded), int(keep.sum())))
        return matrix @ fold, names[keep]

    # The same counts, feature by feature, before anything is timed.
    mine = ours()
    theirs, names = baseline()
    totals = pd.Series(np.asarray(mine.matrix.sum(axis=0)).ravel(), index=mine.features).sort_index()
    expected = pd.Series(np.asarray(theirs.sum(axis=0)).ravel(), index=names).sort_index()
    same = totals.index.equals(expected.index) and bool((totals.to_numpy() == expected.to_numpy()).all())
    repeat = 1 if not quick else 3
    cpu_ours = cpu_seconds(ours, repeat)
    cpu_base = cpu_seconds(baseline, repeat)
    tokens = int(mine.matrix.sum())
    return [
        f"## Document-feature matrix: {size:,} clauses (real articles, repeated), {sum(map(len, texts)):,} characters  (target: <= 1.2x)",
        f"  policyquant tokenize + dfm: {cpu_ours:.1f} s processor time; {size / cpu_ours:,.0f} clauses/s",
        f"  CountVectorizer(tokenizer=rjieba cut) + vocabulary filter: {cpu_base:.1f} s; {size / cpu_base:,.0f} clauses/s",
        f"  ratio policyquant / CountVectorizer: {cpu_ours / cpu_base:.2f}x; {mine.matrix.shape[1]:,} features, "
        f"{tokens:,} tokens; same counts per feature: {same}",
    ]

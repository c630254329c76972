"""Text analysis of policy texts: tokens, document-feature matrices, frequencies, keyness, KWIC, co-occurrence.

The analyses Chinese policy studies publish next to their instrument tables,
with quanteda (the R package) as the reference for names and columns:

* :func:`tokenize`: Chinese (rjieba) or English tokens, without stop words,
  with a user dictionary for policy terms;
* :func:`dfm`: a sparse document-feature matrix, grouped by any column;
* :func:`top_features`: ``textstat_frequency``; :func:`keyness`:
  ``textstat_keyness``; :func:`kwic`; :func:`cooccurrence`: ``fcm`` and its network;
* :func:`wordcloud_figure` (in :mod:`policyquant.text.figures`) and
  :func:`policyquant.plotting.cooccurrence_network`.

Needs the optional extra ``text``: ``pip install 'policyquant[text]'``.
"""

from ._analyses import (
    Cooccurrence,
    DocumentFeatureMatrix,
    FrequencyTable,
    KeynessTable,
    KwicTable,
    cooccurrence,
    dfm,
    group,
    keyness,
    keyness_statistic,
    kwic,
    top_features,
)
from ._tokens import MissingTextDependencyError, Tokens, detect_language, stopword_list, tokenize
from .figures import wordcloud_figure

__all__ = [
    "Cooccurrence",
    "DocumentFeatureMatrix",
    "FrequencyTable",
    "KeynessTable",
    "KwicTable",
    "MissingTextDependencyError",
    "Tokens",
    "cooccurrence",
    "detect_language",
    "dfm",
    "group",
    "keyness",
    "keyness_statistic",
    "kwic",
    "stopword_list",
    "tokenize",
    "top_features",
    "wordcloud_figure",
]

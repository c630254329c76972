"""How authoritative the documents are, region by region (the study's Figure 3)."""

from __future__ import annotations

from .._checks import require_corpus
from .._deprecation import renamed_arguments
from ..corpus import Corpus
from ..errors import ValidationError
from .crosstab import CrosstabResult, crosstab
from .groups import _admin_level_mask

__all__ = ["authority_distribution"]


@renamed_arguments(level="admin_level")
def authority_distribution(
    corpus: Corpus,
    by: str = "region",
    dimension: str | None = None,
    admin_level: str | None = None,
) -> CrosstabResult:
    """Documents per region (or another document field) per level of a document-level dimension.

    Parameters
    ----------
    corpus : Corpus
    by : str, default "region"
        The document field on the rows.
    dimension : str, optional
        A document-level dimension of the framework's scale; by default its
        first (``"DA"``, authority strength, in the study's framework).
    admin_level : str, optional
        Only documents of this administrative level: the key of one of the
        corpus's levels (``corpus.framework.level_keys``); the study's
        Figure 3 uses ``"provincial"``.  ``level=`` is its deprecated alias.

    Returns
    -------
    CrosstabResult
        Counts of documents with one column per level of the dimension (all
        levels, in the scale's order); ``.row_shares`` gives each region's
        percentages, ``.shares`` each level's.

    Raises
    ------
    ValidationError
        If the framework has no document-level dimension, or the documents
        have no scores for it, or ``admin_level`` is unknown.

    Examples
    --------
    >>> import policyquant as pq
    >>> figure3 = pq.authority_distribution(pq.datasets.load_genai_china(), admin_level="provincial")
    >>> figure3.counts.loc["Beijing"].tolist()
    [0, 0, 0, 1, 5]
    >>> figure3.row_shares.loc["Beijing", 1].round(1)
    np.float64(83.3)
    """
    from .partial import AuthorityDistributionKernel, dispatch

    partitioned = dispatch(corpus, lambda: AuthorityDistributionKernel(by, dimension, admin_level))
    if partitioned is not None:
        return partitioned
    corpus = require_corpus(corpus, "authority_distribution")
    scale = corpus.framework.scale
    candidates = [] if scale is None else [d.key for d in scale.dimensions_for("document")]
    if not candidates:
        raise ValidationError(f"framework {corpus.framework.name!r} has no document-level dimension")
    dimension = dimension or candidates[0]
    if dimension not in candidates:
        raise ValidationError(
            f"{dimension!r} is not a document-level dimension; choose one of {', '.join(candidates)}"
        )
    if dimension not in corpus.documents.columns:
        raise ValidationError(f"the documents have no {dimension} scores")
    if admin_level is not None:
        corpus = corpus.subset(_admin_level_mask(corpus, admin_level))
    return crosstab(corpus, rows=by, columns=dimension, count="documents")

"""Who issues policy with whom: the co-issuance network of issuing bodies (the study's Figure 2).

Issuing bodies are spelled many ways in coding sheets: ``CAC``,
``Cyberspace Administration of China``, ``国家互联网信息办公室``, ``国家网信办``.
:class:`IssuerAliases` maps every spelling onto one canonical body;
:data:`DEFAULT_ISSUER_ALIASES` knows the central bodies that issue most of
China's technology policy, and users extend it with their own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
import pandas as pd

from .._checks import describe_value, require_corpus
from .._deprecation import renamed_arguments
from .._language import column_title, has_cjk, resolve_language
from .._text import normalize_name
from ..corpus import Corpus
from ..errors import InputTypeError, ValidationError
from ..results import TableResult
from .groups import _admin_level_mask

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["DEFAULT_ISSUER_ALIASES", "IssuerAliases", "IssuerNetwork", "issuer_network"]


class IssuerAliases:
    """A table of issuing bodies and the names they go by.

    Parameters
    ----------
    bodies : mapping of str to iterable of str, optional
        ``{canonical name: [other names, ...]}``; abbreviations, English and
        Chinese names alike.

    Examples
    --------
    >>> from policyquant.analysis.network import DEFAULT_ISSUER_ALIASES
    >>> DEFAULT_ISSUER_ALIASES.canonical("国家网信办")
    'Cyberspace Administration of China'
    >>> aliases = DEFAULT_ISSUER_ALIASES.extend({"Beijing Municipal People's Government": ["北京市人民政府"]})
    >>> aliases.canonical("北京市人民政府")
    "Beijing Municipal People's Government"
    >>> aliases.canonical("Some Unknown Office")
    'Some Unknown Office'
    """

    def __init__(self, bodies: Mapping[str, Iterable[str]] | None = None) -> None:
        self._bodies: dict[str, tuple[str, ...]] = {}
        self._lookup: dict[str, str] = {}
        for canonical, names in (bodies or {}).items():
            self._add(canonical, names)

    def _add(self, canonical: str, names: Iterable[str]) -> None:
        if isinstance(names, str):
            names = (names,)
        names = tuple(names)
        for name in (canonical, *names):
            key = normalize_name(name)
            holder = self._lookup.get(key)
            if holder is not None and holder != canonical:
                raise ValidationError(
                    f"issuer name {name!r} is given for two bodies: {holder!r} and {canonical!r}"
                )
            self._lookup[key] = canonical
        self._bodies[canonical] = tuple(dict.fromkeys((*self._bodies.get(canonical, ()), *names)))

    def extend(self, bodies: Mapping[str, Iterable[str]]) -> IssuerAliases:
        """A copy with more bodies or more names for known bodies.

        A name already given to another body is an error.
        """
        copy = IssuerAliases()
        for canonical, names in self._bodies.items():
            copy._add(canonical, names)
        for canonical, names in bodies.items():
            # A new name for a known body may be given under any of its names.
            copy._add(
                copy.canonical(canonical),
                (
                    *([canonical] if copy.canonical(canonical) != canonical else []),
                    *((names,) if isinstance(names, str) else names),
                ),
            )
        return copy

    @staticmethod
    def resolve(aliases: IssuerAliases | Mapping[str, Iterable[str]] | None) -> IssuerAliases:
        """The table an ``aliases=`` argument stands for.

        ``None`` is :data:`DEFAULT_ISSUER_ALIASES`; a mapping extends it; an
        :class:`IssuerAliases` replaces it.

        Examples
        --------
        >>> from policyquant.analysis.network import DEFAULT_ISSUER_ALIASES, IssuerAliases
        >>> IssuerAliases.resolve(None) is DEFAULT_ISSUER_ALIASES
        True
        >>> IssuerAliases.resolve({"Beijing Municipal People's Government": ["北京市政府"]}).canonical("北京市政府")
        "Beijing Municipal People's Government"
        """
        if aliases is None:
            return DEFAULT_ISSUER_ALIASES
        if isinstance(aliases, IssuerAliases):
            return aliases
        if not isinstance(aliases, Mapping):
            raise InputTypeError(
                "aliases expects an IssuerAliases or a mapping {canonical name: [other names]}, such as "
                f"{{'Ministry of Education': ['教育部']}}; got {describe_value(aliases)}"
            )
        return DEFAULT_ISSUER_ALIASES.extend(aliases)

    def canonical(self, name: str) -> str:
        """The canonical name of a body (the name itself, trimmed, if the table does not know it)."""
        return self._lookup.get(normalize_name(name), " ".join(str(name).split()))

    def to_frame(self) -> pd.DataFrame:
        """One row per known body: ``canonical`` and ``names`` (the other names, joined by semicolons)."""
        return pd.DataFrame(
            {"canonical": list(self._bodies), "names": ["; ".join(n) for n in self._bodies.values()]}
        )

    def __len__(self) -> int:
        return len(self._bodies)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and normalize_name(name) in self._lookup


#: China's central bodies that most often issue technology and AI policy, with their
#: abbreviations and Chinese names.
DEFAULT_ISSUER_ALIASES = IssuerAliases(
    {
        "Cyberspace Administration of China": [
            "CAC",
            "国家互联网信息办公室",
            "国家网信办",
            "中央网信办",
            "中央网络安全和信息化委员会办公室",
        ],
        "Ministry of Industry and Information Technology": ["MIIT", "工业和信息化部", "工信部"],
        "National Development and Reform Commission": [
            "NDRC",
            "国家发展和改革委员会",
            "国家发展改革委",
            "发改委",
        ],
        "Ministry of Science and Technology": ["MOST", "科学技术部", "科技部"],
        "Ministry of Education": ["MOE", "教育部"],
        "Ministry of Public Security": ["MPS", "公安部"],
        "National Radio and Television Administration": ["NRTA", "国家广播电视总局", "广电总局"],
        "State Administration for Market Regulation": ["SAMR", "国家市场监督管理总局", "市场监管总局"],
        "Standardization Administration of China": ["SAC", "国家标准化管理委员会", "国家标准委"],
        "State Council": ["国务院"],
        "General Office of the State Council": ["国务院办公厅"],
        "Ministry of Commerce": ["MOFCOM", "商务部"],
        "Ministry of Finance": ["MOF", "财政部"],
        "Ministry of Justice": ["MOJ", "司法部"],
        "Ministry of Culture and Tourism": ["MCT", "文化和旅游部", "文旅部"],
        "National Health Commission": ["NHC", "国家卫生健康委员会", "国家卫健委"],
        "People's Bank of China": ["PBOC", "中国人民银行", "人民银行"],
        "National Data Administration": ["NDA", "国家数据局"],
        "State-owned Assets Supervision and Administration Commission of the State Council": [
            "SASAC",
            "国务院国有资产监督管理委员会",
            "国务院国资委",
        ],
        "China Securities Regulatory Commission": ["CSRC", "中国证券监督管理委员会", "证监会"],
        "National Financial Regulatory Administration": ["NFRA", "国家金融监督管理总局"],
        "Ministry of State Security": ["MSS", "国家安全部"],
        "National Press and Publication Administration": ["NPPA", "国家新闻出版署"],
        "National Intellectual Property Administration": ["CNIPA", "国家知识产权局"],
    }
)


@attrs.frozen(eq=False)
class IssuerNetwork(TableResult):
    """The co-issuance network of issuing bodies.

    Attributes
    ----------
    graph : networkx.Graph
        One node per body with the attribute ``documents`` (how many documents
        it issued or co-issued); one edge per pair of bodies that issued a
        document together, with the attributes ``weight`` (how many) and
        ``distance`` (``1 / weight``, the length betweenness uses).
    centrality : pandas.DataFrame
        One row per body, most central first, with the columns ``documents``,
        ``degree`` (number of partners), ``weighted_degree`` (joint documents
        with partners, counted per partner), ``degree_centrality``,
        ``betweenness`` and ``eigenvector`` (weighted).
    aliases : IssuerAliases or None
        The names each body goes by: the source of its Chinese name in
        ``to_frame(language="zh")``.
    """

    graph: Any
    centrality: pd.DataFrame
    aliases: IssuerAliases | None = attrs.field(default=None, repr=False)

    def to_frame(self, language: str | None = None) -> pd.DataFrame:
        """The centrality table.

        Parameters
        ----------
        language : str, optional
            Head the columns and the index in this language (``"发文机构"``,
            ``"中介中心度"`` ...) and, in Chinese, name each body by its
            first Chinese name in :attr:`aliases` (``"国家互联网信息办公室"``);
            a body with no Chinese name keeps its name.  By default the table
            as computed.  The values are the same in every language.

        Returns
        -------
        pandas.DataFrame
            The columns ``documents``, ``degree``, ``weighted_degree``,
            ``degree_centrality``, ``betweenness`` and ``eigenvector``,
            indexed by ``issuer``.

        Examples
        --------
        >>> import policyquant as pq
        >>> network = pq.issuer_network(pq.datasets.load_genai_china(), admin_level="national")
        >>> table = network.to_frame(language="zh")
        >>> table.index.name, table.index[0], list(table.columns[:2])
        ('发文机构', '国家互联网信息办公室', ['文件数', '合作机构数'])
        """
        code = resolve_language(language)
        if code is None:
            return self.centrality
        frame = self.centrality.copy()
        names = list(frame.index)
        if code == "zh" and self.aliases is not None:
            chinese = {
                body: next((n for n in others if has_cjk(n)), body)
                for body, others in self.aliases._bodies.items()
            }
            names = [chinese.get(body, body) for body in names]
        frame.index = pd.Index(names, name=column_title(frame.index.name or "issuer", code))
        frame.columns = pd.Index([column_title(c, code) for c in frame.columns])
        return frame

    def edges(self) -> pd.DataFrame:
        """One row per pair of co-issuing bodies: ``source``, ``target``, ``weight``, heaviest first."""
        rows = [(a, b, int(d["weight"])) for a, b, d in self.graph.edges(data=True)]
        frame = pd.DataFrame(rows, columns=["source", "target", "weight"])
        return frame.sort_values(
            ["weight", "source", "target"], ascending=[False, True, True], ignore_index=True
        )


@renamed_arguments(level="admin_level")
def issuer_network(
    corpus: Corpus,
    admin_level: str | None = None,
    aliases: IssuerAliases | Mapping[str, Iterable[str]] | None = None,
) -> IssuerNetwork:
    """Build the network of bodies that issue policy documents together (Figure 2).

    Parameters
    ----------
    corpus : Corpus
        Documents need an ``issuers`` column.
    admin_level : str, optional
        Only documents of this administrative level: the key of one of the
        corpus's levels (``corpus.framework.level_keys``).  ``level=`` is its
        deprecated alias.
    aliases : IssuerAliases or mapping, optional
        How to merge spellings of one body.  A mapping extends
        :data:`DEFAULT_ISSUER_ALIASES`; an :class:`IssuerAliases` replaces it.

    Returns
    -------
    IssuerNetwork

    Raises
    ------
    ValidationError
        If the documents have no issuers, or ``admin_level`` is unknown.

    Notes
    -----
    Betweenness uses the inverse of the edge weight as distance (bodies that
    co-issue often are close); eigenvector centrality uses the weights.  Both
    come from networkx.

    Examples
    --------
    >>> import policyquant as pq
    >>> network = pq.issuer_network(pq.datasets.load_genai_china(), admin_level="national")
    >>> network.centrality.index[0]
    'Cyberspace Administration of China'
    >>> network.edges().iloc[0].to_dict()
    {'source': 'Cyberspace Administration of China', 'target': 'Ministry of Industry and Information Technology', 'weight': 9}
    """
    corpus = require_corpus(corpus, "issuer_network")
    import networkx as nx

    table = IssuerAliases.resolve(aliases)
    documents = corpus.documents
    if "issuers" not in documents.columns:
        raise ValidationError("an issuer network needs the documents' issuers: give an issuers column")
    if admin_level is not None:
        documents = documents[_admin_level_mask(corpus, admin_level)]
    # Long table of (document, body); one body listed twice on a document counts once.
    long = documents[["doc_id", "issuers"]].explode("issuers").dropna(subset=["issuers"])
    distinct = pd.unique(long["issuers"])
    mapping = {name: table.canonical(name) for name in distinct}
    long = long.assign(body=long["issuers"].map(mapping)).drop_duplicates(["doc_id", "body"])
    graph = nx.Graph()
    for body, count in long["body"].value_counts().sort_index().items():
        graph.add_node(body, documents=int(count))
    pairs = long.merge(long, on="doc_id")
    pairs = pairs[pairs["body_x"] < pairs["body_y"]]
    weights = pairs.groupby(["body_x", "body_y"]).size()
    graph.add_weighted_edges_from((a, b, int(w)) for (a, b), w in weights.items())
    return IssuerNetwork(graph, _centrality(graph), aliases=table)


def _centrality(graph: nx.Graph) -> pd.DataFrame:
    import networkx as nx

    nodes = list(graph.nodes)
    columns = ["documents", "degree", "weighted_degree", "degree_centrality", "betweenness", "eigenvector"]
    if not nodes:
        return pd.DataFrame(columns=columns, index=pd.Index([], name="issuer"))
    for _, _, data in graph.edges(data=True):
        data["distance"] = 1.0 / data["weight"]
    betweenness = nx.betweenness_centrality(graph, weight="distance")
    degree_centrality = nx.degree_centrality(graph) if len(nodes) > 1 else {}
    eigenvector = _eigenvector(graph, nodes)
    frame = pd.DataFrame(
        {
            "documents": [graph.nodes[n]["documents"] for n in nodes],
            "degree": [graph.degree(n) for n in nodes],
            "weighted_degree": [graph.degree(n, weight="weight") for n in nodes],
            "degree_centrality": [degree_centrality.get(n, 0.0) for n in nodes],
            "betweenness": [betweenness[n] for n in nodes],
            "eigenvector": eigenvector,
        },
        index=pd.Index(nodes, name="issuer"),
    )
    return frame.sort_values(["degree", "weighted_degree", "documents"], ascending=False, kind="stable")


def _eigenvector(graph: nx.Graph, nodes: list[str]) -> np.ndarray:
    """Weighted eigenvector centrality, defined for disconnected networks too.

    Policy networks are usually disconnected (provincial bodies never co-issue
    with central ones), where networkx's own function refuses.  Each group of
    connected bodies gets the leading eigenvector of its weighted adjacency
    matrix, of unit length, scaled by its eigenvalue over the largest group
    eigenvalue; bodies without partners get 0.  On a connected network this is
    exactly networkx's eigenvector centrality.
    """
    import networkx as nx

    result = np.zeros(len(nodes))
    position = {node: i for i, node in enumerate(nodes)}
    leading: list[tuple[list[int], float, np.ndarray]] = []
    for component in nx.connected_components(graph):
        if len(component) < 2:
            continue
        members = sorted(component, key=position.__getitem__)
        adjacency = nx.to_numpy_array(graph, nodelist=members, weight="weight")
        values, vectors = np.linalg.eigh(adjacency)
        vector = np.abs(vectors[:, -1])
        leading.append(([position[m] for m in members], float(values[-1]), vector / np.linalg.norm(vector)))
    if leading:
        largest = max(value for _, value, _ in leading)
        for indices, value, vector in leading:
            result[indices] = vector * (value / largest)
    return result

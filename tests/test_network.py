"""Tests of :class:`policyquant.IssuerAliases` and :func:`policyquant.issuer_network`."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import policyquant as pq
from policyquant.analysis.network import DEFAULT_ISSUER_ALIASES

CAC = "Cyberspace Administration of China"
MIIT = "Ministry of Industry and Information Technology"
MPS = "Ministry of Public Security"
MOE = "Ministry of Education"
CENTRALITY_COLUMNS = [
    "documents",
    "degree",
    "weighted_degree",
    "degree_centrality",
    "betweenness",
    "eigenvector",
]


def issuer_corpus(issuers: list[object], levels: list[str] | None = None, **columns) -> pq.Corpus:
    """One document per entry of ``issuers`` (D1, D2, ...), each with one clause."""
    doc_ids = [f"D{i + 1}" for i in range(len(issuers))]
    documents = pd.DataFrame({"doc_id": doc_ids, "issuers": issuers, **columns})
    if levels is not None:
        documents["level"] = levels
    units = pd.DataFrame(
        {
            "unit_id": [f"{d}-1-1" for d in doc_ids],
            "doc_id": doc_ids,
            "instrument": ["standards_and_norms"] * len(doc_ids),
            "objectives": ["public_safety"] * len(doc_ids),
        }
    )
    return pq.Corpus(documents, units)


@pytest.fixture(scope="module")
def genai():
    return pq.datasets.load_genai_china()


# --------------------------------------------------------------------------
# IssuerAliases.


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("CAC", CAC),
        ("cac", CAC),
        ("ＣＡＣ", CAC),  # full-width letters
        ("  Cyberspace   ADMINISTRATION of china ", CAC),
        (CAC, CAC),
        ("国家网信办", CAC),
        ("国家互联网信息办公室", CAC),
        ("中央网络安全和信息化委员会办公室", CAC),
        ("MIIT", MIIT),
        ("工信部", MIIT),
        ("工业和信息化部", MIIT),
        ("ministry of industry and information technology", MIIT),
        ("公安部", MPS),
        ("State Council", "State Council"),
        ("国务院办公厅", "General Office of the State Council"),
    ],
)
def test_canonical_lookup(name, canonical):
    assert DEFAULT_ISSUER_ALIASES.canonical(name) == canonical
    assert name in DEFAULT_ISSUER_ALIASES


def test_unknown_names_are_kept_trimmed():
    assert DEFAULT_ISSUER_ALIASES.canonical("  Some   Unknown\tOffice ") == "Some Unknown Office"
    assert "Some Unknown Office" not in DEFAULT_ISSUER_ALIASES
    assert 5 not in DEFAULT_ISSUER_ALIASES
    assert None not in DEFAULT_ISSUER_ALIASES


def test_extend_with_a_new_body():
    aliases = DEFAULT_ISSUER_ALIASES.extend(
        {"Beijing Municipal People's Government": ["北京市人民政府", "BMPG"]}
    )
    assert len(aliases) == len(DEFAULT_ISSUER_ALIASES) + 1
    assert aliases.canonical("北京市人民政府") == "Beijing Municipal People's Government"
    assert aliases.canonical("bmpg") == "Beijing Municipal People's Government"
    assert aliases.canonical("工信部") == MIIT  # the defaults are kept
    # The original table is not changed.
    assert "北京市人民政府" not in DEFAULT_ISSUER_ALIASES
    assert DEFAULT_ISSUER_ALIASES.canonical("北京市人民政府") == "北京市人民政府"


def test_extend_with_a_single_name_as_a_string():
    aliases = DEFAULT_ISSUER_ALIASES.extend({"Shanghai Government": "上海市人民政府"})
    assert aliases.canonical("上海市人民政府") == "Shanghai Government"
    frame = aliases.to_frame().set_index("canonical")
    assert frame.loc["Shanghai Government", "names"] == "上海市人民政府"


def test_extend_a_known_body_under_its_canonical_name_or_an_alias():
    by_canonical = DEFAULT_ISSUER_ALIASES.extend({CAC: ["网信办"]})
    by_alias = DEFAULT_ISSUER_ALIASES.extend({"MIIT": ["工信部办公厅"]})
    assert len(by_canonical) == len(by_alias) == len(DEFAULT_ISSUER_ALIASES)
    assert by_canonical.canonical("网信办") == CAC
    assert by_alias.canonical("工信部办公厅") == MIIT
    names = by_alias.to_frame().set_index("canonical")["names"]
    assert names[MIIT] == "MIIT; 工业和信息化部; 工信部; 工信部办公厅"
    assert names[CAC].endswith("; 中央网络安全和信息化委员会办公室")
    assert by_canonical.to_frame().set_index("canonical")["names"][CAC].endswith("; 网信办")
    assert "工信部办公厅" not in DEFAULT_ISSUER_ALIASES


def test_a_name_given_to_two_bodies_is_an_error():
    with pytest.raises(pq.ValidationError, match="issuer name 'X' is given for two bodies: 'A' and 'B'"):
        pq.IssuerAliases({"A": ["x"], "B": ["X"]})
    with pytest.raises(pq.ValidationError, match=f"given for two bodies: '{CAC}' and 'New Office'"):
        DEFAULT_ISSUER_ALIASES.extend({"New Office": ["ｃａｃ"]})
    with pytest.raises(pq.ValidationError, match="'MOST' is given for two bodies"):
        DEFAULT_ISSUER_ALIASES.extend({"MIIT": ["MOST"]})
    # A canonical name that is another body's alias.
    with pytest.raises(pq.ValidationError, match="given for two bodies"):
        pq.IssuerAliases({"A": ["B"], "B": []})


def test_to_frame_and_len():
    aliases = pq.IssuerAliases({"Office A": ["OA", "甲办"], "Office B": []})
    frame = aliases.to_frame()
    assert list(frame.columns) == ["canonical", "names"]
    assert frame.to_dict("records") == [
        {"canonical": "Office A", "names": "OA; 甲办"},
        {"canonical": "Office B", "names": ""},
    ]
    assert len(aliases) == 2
    assert "oa" in aliases
    assert "office b" in aliases
    assert "Office C" not in aliases
    defaults = DEFAULT_ISSUER_ALIASES.to_frame()
    assert len(defaults) == len(DEFAULT_ISSUER_ALIASES)
    assert defaults["canonical"].is_unique
    assert defaults.set_index("canonical").loc[MIIT, "names"] == "MIIT; 工业和信息化部; 工信部"


def test_empty_table():
    aliases = pq.IssuerAliases()
    assert len(aliases) == 0
    assert aliases.canonical("CAC") == "CAC"
    assert "CAC" not in aliases


# --------------------------------------------------------------------------
# The network of a small hand-made corpus.


@pytest.fixture
def small():
    # National: D1 {CAC, MIIT}, D2 {CAC, MIIT, MPS}, D3 {CAC}, D4 {MIIT, MPS} (MIIT twice), D6 {MOE}.
    # Provincial: D5 {Beijing Office, Shanghai Office}.
    return issuer_corpus(
        [
            "CAC; MIIT",
            "Cyberspace Administration of China、工信部、MPS",
            "国家网信办",
            ["MIIT", "工业和信息化部", "公安部"],
            "Beijing Office; Shanghai Office",
            "MOE",
        ],
        ["national", "national", "national", "national", "provincial", "national"],
    )


def test_nodes_and_edges_with_merged_aliases(small):
    network = pq.issuer_network(small, admin_level="national")
    graph = network.graph
    assert set(graph.nodes) == {CAC, MIIT, MPS, MOE}
    assert {n: graph.nodes[n]["documents"] for n in graph.nodes} == {CAC: 3, MIIT: 3, MPS: 2, MOE: 1}
    weights = {frozenset((a, b)): d["weight"] for a, b, d in graph.edges(data=True)}
    # 工信部 is MIIT: CAC-MIIT in D1 and D2; MIIT listed twice on D4 counts once.
    assert weights == {frozenset((CAC, MIIT)): 2, frozenset((CAC, MPS)): 1, frozenset((MIIT, MPS)): 2}
    assert not any(a == b for a, b in graph.edges)


def test_centrality_by_hand(small):
    centrality = pq.issuer_network(small, admin_level="national").centrality
    assert list(centrality.columns) == CENTRALITY_COLUMNS
    assert centrality.index.name == "issuer"
    # Sorted by degree, then weighted degree, then documents, all descending.
    assert list(centrality.index) == [MIIT, CAC, MPS, MOE]
    assert centrality["documents"].tolist() == [3, 3, 2, 1]
    assert centrality["degree"].tolist() == [2, 2, 2, 0]
    # Weighted degree: MIIT 2 (CAC) + 2 (MPS); CAC 2 + 1; MPS 1 + 2; MOE none.
    assert centrality["weighted_degree"].tolist() == [4, 3, 3, 0]
    # Degree centrality: partners out of the 3 other bodies.
    np.testing.assert_allclose(centrality["degree_centrality"], [2 / 3, 2 / 3, 2 / 3, 0.0])
    # MOE never co-issues: no eigenvector centrality and no betweenness.
    assert centrality.loc[MOE, "eigenvector"] == 0.0
    assert centrality.loc[MOE, "betweenness"] == 0.0
    assert np.linalg.norm(centrality["eigenvector"]) == pytest.approx(1.0)


def test_without_level_all_documents(small):
    network = pq.issuer_network(small)
    assert set(network.graph.nodes) == {CAC, MIIT, MPS, MOE, "Beijing Office", "Shanghai Office"}
    assert network.edges().to_dict("records") == [
        {"source": CAC, "target": MIIT, "weight": 2},
        {"source": MIIT, "target": MPS, "weight": 2},
        {"source": "Beijing Office", "target": "Shanghai Office", "weight": 1},
        {"source": CAC, "target": MPS, "weight": 1},
    ]
    provincial = pq.issuer_network(small, admin_level="provincial")
    assert set(provincial.graph.nodes) == {"Beijing Office", "Shanghai Office"}
    assert provincial.centrality["degree"].tolist() == [1, 1]


def test_edges_table(small):
    edges = pq.issuer_network(small, admin_level="national").edges()
    assert list(edges.columns) == ["source", "target", "weight"]
    # Heaviest first; ties by source then target.
    assert edges.to_dict("records") == [
        {"source": CAC, "target": MIIT, "weight": 2},
        {"source": MIIT, "target": MPS, "weight": 2},
        {"source": CAC, "target": MPS, "weight": 1},
    ]


def test_weighted_betweenness_uses_inverse_weights():
    # A-B three times, B-C three times, A-C once.  With distance 1/weight, A to C is shorter
    # through B (1/3 + 1/3) than direct (1): B lies on the only shortest A-C path.
    # Normalized betweenness of B = 1 pair / ((3 - 1)(3 - 2) / 2) = 1.
    corpus = issuer_corpus(["A; B"] * 3 + ["B; C"] * 3 + ["A; C"])
    centrality = pq.issuer_network(corpus, aliases=pq.IssuerAliases()).centrality
    assert centrality["betweenness"].to_dict() == {"B": 1.0, "A": 0.0, "C": 0.0}
    assert centrality.loc["B", "weighted_degree"] == 6
    assert centrality.loc["A", "weighted_degree"] == 4


def test_star_eigenvector_by_hand():
    # Centre X with leaves Y and Z, weight 1: adjacency eigenvalue sqrt(2), vector (sqrt(2), 1, 1) / 2.
    corpus = issuer_corpus(["X; Y", "X; Z"])
    centrality = pq.issuer_network(corpus).centrality
    assert list(centrality.index) == ["X", "Y", "Z"]
    np.testing.assert_allclose(centrality["eigenvector"], [math.sqrt(2) / 2, 0.5, 0.5])
    np.testing.assert_allclose(centrality["degree_centrality"], [1.0, 0.5, 0.5])
    np.testing.assert_allclose(centrality["betweenness"], [1.0, 0.0, 0.0])


def test_centralities_equal_networkx_on_a_connected_network():
    issuers = ["A; B", "A; B", "A; B; C", "C; D", "D; E", "B; E", "A; E", "C; E", "E"]
    network = pq.issuer_network(issuer_corpus(issuers), aliases=pq.IssuerAliases())
    # The same graph built independently.
    graph = nx.Graph()
    pairs = {
        ("A", "B"): 3,
        ("A", "C"): 1,
        ("B", "C"): 1,
        ("C", "D"): 1,
        ("D", "E"): 1,
        ("B", "E"): 1,
        ("A", "E"): 1,
        ("C", "E"): 1,
    }
    for (a, b), w in pairs.items():
        graph.add_edge(a, b, weight=w, distance=1 / w)
    assert nx.is_connected(graph)
    assert network.edges().set_index(["source", "target"])["weight"].to_dict() == pairs
    centrality = network.centrality
    betweenness = nx.betweenness_centrality(graph, weight="distance")
    eigenvector = nx.eigenvector_centrality(graph, weight="weight", max_iter=10_000, tol=1e-12)
    degree_centrality = nx.degree_centrality(graph)
    for node in graph.nodes:
        assert centrality.loc[node, "betweenness"] == pytest.approx(betweenness[node], abs=1e-12)
        assert centrality.loc[node, "eigenvector"] == pytest.approx(eigenvector[node], abs=1e-6)
        assert centrality.loc[node, "degree_centrality"] == pytest.approx(degree_centrality[node])
        assert centrality.loc[node, "degree"] == graph.degree(node)
        assert centrality.loc[node, "weighted_degree"] == graph.degree(node, weight="weight")
    assert centrality.loc["E", "documents"] == 5
    assert centrality["betweenness"].max() > 0


def test_disconnected_network():
    # {CAC, MIIT} co-issue; MOE and the unknown office only issue alone.
    corpus = issuer_corpus(["CAC; 工信部", "MOE", "Some Office"])
    network = pq.issuer_network(corpus)
    centrality = network.centrality
    assert set(centrality.index) == {CAC, MIIT, MOE, "Some Office"}
    np.testing.assert_allclose(centrality.loc[[CAC, MIIT], "eigenvector"], [1 / math.sqrt(2)] * 2)
    assert centrality.loc[[MOE, "Some Office"], "eigenvector"].tolist() == [0.0, 0.0]
    assert centrality["betweenness"].tolist() == [0.0] * 4
    np.testing.assert_allclose(centrality.loc[[CAC, MIIT, MOE], "degree_centrality"], [1 / 3, 1 / 3, 0.0])
    assert network.edges().to_dict("records") == [{"source": CAC, "target": MIIT, "weight": 1}]


def test_eigenvector_is_positive_for_every_body_that_co_issues():
    # Two separate pairs, A-B co-issuing twice and C-D once: C and D co-issue, so they are not
    # "bodies that never co-issue", the only ones documented to get 0.
    unequal = pq.issuer_network(issuer_corpus(["A; B", "A; B", "C; D"])).centrality["eigenvector"]
    # Two interchangeable pairs: A, B, C and D are equivalent and must score alike.
    equal = pq.issuer_network(issuer_corpus(["A; B", "C; D"])).centrality["eigenvector"]
    assert unequal["A"] == pytest.approx(unequal["B"])
    assert (unequal > 0).all()
    assert equal["A"] == pytest.approx(equal["C"])
    assert (equal > 0).all()


def test_network_without_edges():
    centrality = pq.issuer_network(issuer_corpus(["CAC", "国家网信办"])).centrality
    assert centrality.to_dict("index") == {
        CAC: {
            "documents": 2,
            "degree": 0,
            "weighted_degree": 0,
            "degree_centrality": 0.0,
            "betweenness": 0.0,
            "eigenvector": 0.0,
        }
    }


def test_no_documents_at_the_level():
    network = pq.issuer_network(issuer_corpus(["CAC; MIIT"], ["national"]), admin_level="provincial")
    assert network.graph.number_of_nodes() == 0
    assert list(network.centrality.columns) == CENTRALITY_COLUMNS
    assert network.centrality.empty
    assert network.edges().empty


def test_documents_without_issuers_are_skipped():
    corpus = issuer_corpus(["CAC; MIIT", None, ""])
    network = pq.issuer_network(corpus)
    assert {n: d["documents"] for n, d in network.graph.nodes(data=True)} == {CAC: 1, MIIT: 1}


def test_aliases_mapping_extends_the_defaults():
    corpus = issuer_corpus(["北京办; 工信部", "Beijing Office; MIIT", "Beijing Office"])
    network = pq.issuer_network(corpus, aliases={"Beijing Office": ["北京办"]})
    assert {n: d["documents"] for n, d in network.graph.nodes(data=True)} == {"Beijing Office": 3, MIIT: 2}
    assert network.edges().to_dict("records") == [{"source": "Beijing Office", "target": MIIT, "weight": 2}]


def test_an_alias_table_replaces_the_defaults():
    corpus = issuer_corpus(["CAC; MIIT", "工信部; 网信"])
    network = pq.issuer_network(corpus, aliases=pq.IssuerAliases({"Cyberspace": ["CAC", "网信"]}))
    # MIIT and 工信部 are different bodies for a table that does not know them.
    assert set(network.graph.nodes) == {"Cyberspace", "MIIT", "工信部"}
    assert network.graph.nodes["Cyberspace"]["documents"] == 2


def test_unknown_level_is_an_error(small):
    with pytest.raises(pq.ValidationError, match="level must be 'national' or 'provincial', got 'central'"):
        pq.issuer_network(small, admin_level="central")


def test_documents_without_issuers_column_is_an_error():
    documents = pd.DataFrame({"doc_id": ["D1"], "level": ["national"]})
    corpus = pq.Corpus(documents, issuer_corpus(["CAC"]).units)
    with pytest.raises(pq.ValidationError, match="needs the documents' issuers"):
        pq.issuer_network(corpus)


def test_level_filter_without_level_column_is_a_validation_error():
    corpus = issuer_corpus(["CAC; MIIT"])  # no level column
    with pytest.raises(pq.ValidationError):
        pq.issuer_network(corpus, admin_level="national")


# --------------------------------------------------------------------------
# The bundled corpus.


def test_bundled_national_network(genai):
    network = pq.issuer_network(genai, admin_level="national")
    centrality = network.centrality
    assert centrality.index[0] == CAC
    assert centrality.loc[CAC, "degree"] == centrality["degree"].max()
    assert (centrality.loc[CAC, "degree"] > centrality["degree"].drop(CAC)).all()
    # MIIT is CAC's heaviest partner.
    partners = {b: d["weight"] for _, b, d in network.graph.edges(CAC, data=True)}
    assert max(partners, key=partners.get) == MIIT
    assert partners[MIIT] == 9
    assert sorted(partners.values()).count(9) == 1
    edges = network.edges()
    assert edges.iloc[0].to_dict() == {"source": CAC, "target": MIIT, "weight": 9}
    # Heaviest first, ties by source then target.
    keys = list(zip(-edges["weight"], edges["source"], edges["target"], strict=True))
    assert keys == sorted(keys)
    assert len(edges) == network.graph.number_of_edges()


def test_bundled_nodes_equal_pandas(genai):
    for level in ("national", "provincial"):
        documents = genai.documents
        documents = documents[documents["level"] == level]
        long = documents[["doc_id", "issuers"]].explode("issuers").dropna()
        long["body"] = long["issuers"].map(DEFAULT_ISSUER_ALIASES.canonical)
        expected = long.drop_duplicates(["doc_id", "body"])["body"].value_counts().to_dict()
        network = pq.issuer_network(genai, admin_level=level)
        assert {n: d["documents"] for n, d in network.graph.nodes(data=True)} == expected
        centrality = network.centrality
        total_weight = sum(d["weight"] for _, _, d in network.graph.edges(data=True))
        assert centrality["weighted_degree"].sum() == 2 * total_weight
        assert centrality["degree"].sum() == 2 * network.graph.number_of_edges()
        assert network.to_frame() is centrality

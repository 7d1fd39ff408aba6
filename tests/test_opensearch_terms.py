"""The cluster stores the product analyzer's terms: the same terms, frequencies and positions."""

from __future__ import annotations

from collections import defaultdict

import pytest
from opensearchpy import OpenSearch

from indexer.backends.opensearch.encode import REPEAT, carry, encode, encode_field, uncarry
from indexer.backends.opensearch.mapping import index_body
from indexer.config import CORPUS_DIR
from indexer.documents.articles import Article, load_file
from indexer.text.analysis import bigram_analyzer, index_terms, summit_analyzer
from indexer.text.lead import body_for_index
from tests.opensearch.cluster import Cluster

ANALYZER = summit_analyzer()


@pytest.mark.parametrize(
    ("terms", "repeat", "encoded"),
    [
        ([], 1, ""),
        ([("ai", 0), ("서울정상회의", 1), ("서울", 1), ("정상", 1), ("회의", 1)], 1,
         "ai 서울정상회의|서울|정상|회의"),
        # A stop word's position stays as a gap.
        ([("seoul", 0), ("summit", 2)], 1, "seoul _ summit"),
        ([("\x01국제협력", 0), ("국제", 0), ("협력", 1)], 1, "\x01국제협력|국제 협력"),
        # The title's terms twice: Whoosh's field boost of 2.
        ([("seoul", 0), ("summit", 1)], 2, "seoul|seoul summit|summit"),
    ],
)  # fmt: skip
def test_terms_are_encoded_one_token_per_position(
    terms: list[tuple[str, int]], repeat: int, encoded: str
) -> None:
    assert encode(terms, repeat) == encoded


@pytest.mark.parametrize(
    ("term", "held"),
    [("a|b", "a\ue001b"), ("_", "\ue002"), ("아이스더비인터내셔날 ", "아이스더비인터내셔날\ue000"),
     ("서울", "서울")],
)  # fmt: skip
def test_a_term_with_a_space_or_a_bar_is_carried_and_comes_back(term: str, held: str) -> None:
    assert (encode([(term, 0)]), uncarry(held)) == (held, term)


def corpus_articles() -> list[Article]:
    """The bundled articles."""
    found = []
    for path in sorted(p for p in CORPUS_DIR.glob("*.txt") if p.name != "aliases.txt"):
        found.extend(a for a in load_file(path, CORPUS_DIR) if isinstance(a, Article))
    return found


def expected(analyzer: object, value: str) -> dict[str, list[int]]:
    """Each term's positions as the embedded index stores them."""
    out: dict[str, list[int]] = defaultdict(list)
    for term, pos in index_terms(analyzer, value) or []:
        out[carry(term)].append(pos)
    return dict(out)


def test_the_cluster_indexes_exactly_the_product_terms(opensearch_cluster: Cluster) -> None:
    client = OpenSearch(opensearch_cluster.urls)
    name = "terms-check"
    client.indices.create(index=name, body=index_body(shards=1, replicas=0))
    try:
        grams = bigram_analyzer()
        for article in corpus_articles():
            body = body_for_index(article.body)
            values = {
                "title": (ANALYZER, article.title),
                "body": (ANALYZER, body),
                "title_grams": (grams, article.title),
                "body_grams": (grams, body),
            }
            doc = {f: encode_field(a, v, REPEAT[f]) for f, (a, v) in values.items()}
            client.index(index=name, id=article.id, body=doc)
            # The terms the index's analyzer makes of the encoded text, as it indexes them.
            got = client.termvectors(
                index=name,
                body={"doc": doc, "positions": True, "offsets": False, "field_statistics": False},
            )["term_vectors"]
            for field, (analyzer, value) in values.items():
                stored = {
                    term: [t["position"] for t in info["tokens"]]
                    for term, info in got.get(field, {}).get("terms", {}).items()
                }
                want = {k: sorted(v * REPEAT[field]) for k, v in expected(analyzer, value).items()}
                assert stored and stored == want, (article.id, field)
        client.indices.refresh(index=name)
        assert client.count(index=name)["count"] == 5
    finally:
        client.indices.delete(index=name)

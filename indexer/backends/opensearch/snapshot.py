"""The cluster backend behind the seam: a plan evaluated by OpenSearch, as the embedded one does.

Each request's reads go to the index the alias pointed at when the snapshot opened. The match
set and the relaxed tier are two queries (``query.tier``); facets and the undated count are
aggregations over the match set; a quoted phrase is checked as the embedded backend checks
it: candidates (the best-scoring articles with all its words, at most ``MAX_PHRASE_CHECKS``)
confirmed in the stored title or text for Hangul and Han, by ``match_phrase`` over positions
for Latin words.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from typing import Any

from opensearchpy import NotFoundError, OpenSearch

from indexer.backends.base import Facets, Found, Request, Stored, StoredHit
from indexer.backends.errors import IndexMissing, no_index
from indexer.backends.opensearch import query as dsl
from indexer.backends.opensearch.client import connect, unavailable
from indexer.backends.opensearch.encode import carry
from indexer.backends.opensearch.vocabulary import ClusterVocabulary
from indexer.backends.opensearch.writer import outdated, same_version
from indexer.config import ClusterSettings
from indexer.search.notices import Notice
from indexer.search.phrases import text_pattern
from indexer.search.query import Plan
from indexer.search.ranking import Settings
from indexer.search.results import FACETS, UNKNOWN, Filters, facet_values
from indexer.text.analysis import bigram_analyzer, summit_analyzer
from indexer.text.normalize import normalize

MAX_PHRASE_CHECKS = 3000
# Source fields a page shows (the encoded terms are not kept in ``_source``).
SHOWN = ["id", "stored_title", "stored_body", "raw", "outlet", "author_name", "lang", "summit",
         "url", "source", "content_hash", "origin", "added", "published"]  # fmt: skip


class OpenSearchBackend:
    """An index on an OpenSearch cluster, behind the alias ``settings.index``."""

    def __init__(self, settings: ClusterSettings, client: OpenSearch | None = None) -> None:
        self.settings = settings
        self.client = client or connect(settings)
        self.analyzer = summit_analyzer()
        self.gram_analyzer = bigram_analyzer()

    @contextmanager
    def snapshot(self) -> Iterator[OpenSearchSnapshot]:
        """The index the alias points at now; a cluster that fails says so in one line."""
        with unavailable(self.settings):
            index, meta = _resolve(self.client, self.settings.index)
            if not same_version(meta):
                raise outdated(index, meta)
            yield OpenSearchSnapshot(self.client, index, int(meta.get("generation", 0)))


def _resolve(client: OpenSearch, alias: str) -> tuple[str, dict[str, Any]]:
    """The index behind ``alias`` and its mapping's ``_meta``, in one request."""
    try:
        found = client.indices.get(index=alias, params={"filter_path": "*.mappings._meta"})
    except NotFoundError as exc:
        raise IndexMissing(no_index(alias)) from exc
    if not found:  # an index without _meta: not one of ours
        raise IndexMissing(no_index(alias))
    index = sorted(found)[-1]
    return index, found[index].get("mappings", {}).get("_meta", {})


def stored(source: dict[str, Any]) -> Stored:
    """A hit's ``_source`` in the shape the embedded index stores its fields."""
    out: Stored = {
        "id": source.get("id", ""),
        "title": source.get("stored_title", ""),
        "body": source.get("stored_body", ""),
        "raw": source.get("raw", ""),
        "outlet": source.get("outlet", ""),
        "author": source.get("author_name", ""),
        "lang": ",".join(source.get("lang") or []),
        "summit": ",".join(source.get("summit") or []),
        "url": source.get("url", ""),
        "source": source.get("source", ""),
        "content_hash": source.get("content_hash", ""),
        "origin": source.get("origin", ""),
    }
    for name in ("added", "published"):
        if source.get(name):
            out[name] = datetime.fromisoformat(source[name])
    return out


class OpenSearchSnapshot:
    """Reads of one request from one index."""

    def __init__(self, client: OpenSearch, index: str, generation: int) -> None:
        self.client, self.index = client, index
        # How many commits the index has had: what a reader's cache is keyed by.
        self.generation = generation
        self._vocabulary: ClusterVocabulary | None = None

    def _search(self, body: dict[str, Any]) -> dict[str, Any]:
        # Term and field statistics of the whole index, not of each shard: BM25 as one index.
        return self.client.search(index=self.index, body=body, search_type="dfs_query_then_fetch")

    def _count(self, q: dict[str, Any]) -> int:
        return int(self.client.count(index=self.index, body={"query": q})["count"])

    def doc_count(self) -> int:
        """Articles in the index."""
        return self._count({"match_all": {}})

    def articles(self) -> int:
        """Live articles in the index."""
        return self.doc_count()

    def doc_frequency(self, field: str, term: str) -> int:
        """How many articles have ``term`` in ``field``."""
        return self._count({"term": {field: carry(term)}})

    def vocabulary(self) -> ClusterVocabulary:
        """The index's terms, through aggregations and the term suggester."""
        if self._vocabulary is None:
            self._vocabulary = ClusterVocabulary(self.client, self.index)
        return self._vocabulary

    def _phrases(
        self, plan: Plan, settings: Settings, within: dict[str, Any]
    ) -> tuple[list[list[str]], list[Notice]]:
        """For each quoted phrase, the ids (of ``within``) that have it exactly."""
        found: list[list[str]] = []
        notices: list[Notice] = []
        for phrase in plan.phrases:
            words = [dsl.has_concept(plan.concepts[c]) for c in phrase.concepts]
            candidates = {"bool": {"filter": [within, *words]}}
            pattern = text_pattern(phrase.words)
            if pattern is None:  # Latin words: their positions decide
                candidates["bool"]["filter"].append(_positions(phrase))
            body = {
                "query": dsl.scored(candidates, dsl.scoring(plan, settings, set(phrase.concepts))),
                "size": MAX_PHRASE_CHECKS,
                "_source": ["stored_title", "stored_body"] if pattern is not None else False,
                "track_total_hits": True,
            }
            result = self._search(body)
            hits = result["hits"]["hits"]
            if result["hits"]["total"]["value"] > MAX_PHRASE_CHECKS:
                notices.append(
                    Notice.of("phrase_capped", phrase=phrase.text, checked=MAX_PHRASE_CHECKS)
                )
            ids = []
            for hit in hits:
                if pattern is None:
                    ids.append(hit["_id"])
                    continue
                src = hit["_source"]
                texts = (src.get("stored_title") or "", src.get("stored_body") or "")
                if any(pattern.search(normalize(t).text.lower()) for t in texts):
                    ids.append(hit["_id"])
            found.append(ids)
        return found, notices

    def find(self, plan: Plan, settings: Settings, request: Request) -> Found:
        """The plan's totals, one page of the ranking, and the counts the page shows."""
        return self._find(plan, settings, request, counts=True)

    def _find(self, plan: Plan, settings: Settings, request: Request, counts: bool) -> Found:
        """``find``; without ``counts`` no phrase, concept or undated counts (nobody reads them)."""
        filters = request.filters
        strict_q = dsl.tier(plan, settings, filters, request.any_word, strict=True)
        wide_q = dsl.tier(plan, settings, filters, request.any_word, strict=False)
        clauses = dsl.scoring(plan, settings)
        notices: list[Notice] = []
        phrase_ids, phrase_notices = self._phrases(plan, settings, wide_q)
        notices += phrase_notices
        for k, phrase in enumerate(plan.phrases):
            has = {"ids": {"values": phrase_ids[k]}}
            if phrase.sign == "+":
                strict_q = {"bool": {"filter": [strict_q, has]}}
                wide_q = {"bool": {"filter": [wide_q, has]}}
            elif plan.whole_phrase and not request.any_word:
                strict_q = {"bool": {"filter": [strict_q, has]}}
            bonus = dsl.scoring(plan, settings, set(phrase.concepts))
            clauses.append(
                {"bool": {"filter": [has], "should": bonus, "boost": settings.phrase_weight}}
            )
        relaxed_q = {"bool": {"filter": [wide_q], "must_not": [strict_q]}}
        sort = _sort(request.sort)
        start, size = request.start, request.size
        # The match set's page and its total in one request.
        hits, total = self._page(dsl.scored(strict_q, clauses), sort, start, size)
        relaxed_total = self._count(relaxed_q)
        if request.fill and start == 0 and total < size:
            relaxed, _ = self._page(dsl.scored(relaxed_q, clauses), sort, 0, size - total)
            hits += [StoredHit(h.fields, h.score, False) for h in relaxed]
        found = Found(total, relaxed_total, hits, notices=notices)
        if not counts:
            return found
        found.phrase_counts = [
            self._count({"bool": {"filter": [strict_q, {"ids": {"values": ids}}]}})
            for ids in phrase_ids
        ]
        found.concept_counts = [self._count(dsl.has_concept(c)) for c in plan.concepts]
        if request.facets:
            found.facets = self._facets(strict_q)
        dates = dsl.date_filter(filters)
        if dates is not None and not filters.undated:
            wider = dsl.tier(plan, settings, _with_undated(filters), request.any_word, True)
            for k, phrase in enumerate(plan.phrases):
                if phrase.sign == "+" or (plan.whole_phrase and not request.any_word):
                    wider = {"bool": {"filter": [wider, {"ids": {"values": phrase_ids[k]}}]}}
            hidden = {"bool": {"filter": [wider],
                               "must_not": [{"exists": {"field": "published"}}]}}  # fmt: skip
            found.undated_hidden = self._count(hidden)
            if request.facets and not total and found.undated_hidden:
                found.undated_facets = self._facets(hidden)
        return found

    def _page(
        self, q: dict[str, Any], sort: list[Any], start: int, size: int
    ) -> tuple[list[StoredHit], int]:
        """A page of ``q``'s articles in ``sort`` order, and how many articles it has."""
        body = {"query": q, "from": start, "size": max(0, size), "_source": SHOWN,
                "sort": sort, "track_total_hits": True}  # fmt: skip
        found = self._search(body)["hits"]
        hits = [
            StoredHit(stored(h["_source"]), float(h.get("_score") or 0.0), True)
            for h in found["hits"]
        ]
        return hits, int(found["total"]["value"])

    def _facets(self, q: dict[str, Any]) -> Facets:
        aggs = {}
        for name in FACETS:
            aggs[name] = {"terms": {"field": name, "size": 1000}}
            aggs[f"{name}_missing"] = {"missing": {"field": name}}
        result = self._search({"query": q, "size": 0, "aggs": aggs})["aggregations"]
        out: Facets = {}
        for name in FACETS:
            counts = {b["key"]: b["doc_count"] for b in result[name]["buckets"]}
            counts[UNKNOWN] = result[f"{name}_missing"]["doc_count"]
            out[name] = facet_values(counts)
        return out

    def count(self, plan: Plan, settings: Settings, filters: Filters, any_word: bool) -> int:
        """How many articles the match set of ``plan`` has."""
        request = Request(filters, any_word, size=0, fill=False)
        return self._find(plan, settings, request, counts=False).total

    def ranked(self, plan: Plan, settings: Settings, limit: int) -> list[tuple[str, float]]:
        """The first ``limit`` (id, score) of the ranking, relaxed tier included."""
        found = self._find(plan, settings, Request(size=limit), counts=False)
        return [(h.fields["id"], h.score) for h in found.hits]

    def document(self, doc_id: str) -> Stored | None:
        """The stored fields of article ``doc_id``, or None."""
        got = self.client.get(index=self.index, id=doc_id, _source_includes=SHOWN, ignore=404)
        return stored(got["_source"]) if got.get("found") else None

    def listing(self, filters: Filters, start: int, size: int) -> tuple[int, list[Stored]]:
        """Articles ``filters`` allow, newest arrival first, then by id."""
        q = {"bool": {"filter": dsl.interface_filters(filters)}}
        body = {"query": q, "from": start, "size": size, "_source": SHOWN,
                "sort": [{"added": {"order": "desc", "missing": "_last"}}, {"id": "asc"}],
                "track_total_hits": True}  # fmt: skip
        result = self._search(body)["hits"]
        return int(result["total"]["value"]), [stored(h["_source"]) for h in result["hits"]]

    def origin_counts(self, origins: tuple[str, ...]) -> dict[str, int]:
        """Live articles of each origin."""
        return {kind: self._count({"term": {"origin": kind}}) for kind in origins}

    def ids_from(self, source: str) -> list[str]:
        """The ids of the articles read from the file ``source``."""
        body = {"query": {"term": {"source": source}}, "size": 10000, "_source": False}
        return [h["_id"] for h in self._search(body)["hits"]["hits"]]


def _positions(phrase: Any) -> dict[str, Any]:
    """A Latin phrase's words one after another (``span_near`` over the encoded terms)."""
    clauses = []
    for f in phrase.fields:
        spans = [{"span_term": {f: carry(w.pieces[0].text)}} for w in phrase.words if w.pieces]
        if spans:
            clauses.append({"span_near": {"clauses": spans, "slop": 0, "in_order": True}})
    return dsl._any(clauses)


def _sort(sort: str) -> list[Any]:
    if sort == "relevance":
        return ["_score", {"id": "asc"}]
    order = "asc" if sort == "oldest" else "desc"
    return [{"published": {"order": order, "missing": "_last"}}, {"id": "asc"}]


def _with_undated(filters: Filters) -> Filters:
    return replace(filters, undated=True)

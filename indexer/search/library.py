"""Query -> ranked hits with snippets, facets, alias notes and suggestions, as dataclasses."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import replace
from functools import partial
from pathlib import Path

from indexer.backends import open_backend
from indexer.backends.base import Backend, Found, Request, Snapshot, Stored
from indexer.config import Config
from indexer.documents import summits
from indexer.documents.meta import meta_fields
from indexer.search import query as query_mod
from indexer.search import suggest
from indexer.search.aliases import (
    CORPUS_ALIASES,
    AliasGroup,
    load_aliases,
    spelling_terms,
    summit_groups,
)
from indexer.search.complete import Completer, Completion, complete
from indexer.search.notices import Notice
from indexer.search.passages import PhraseTarget, passages
from indexer.search.phrases import text_pattern
from indexer.search.query import Plan
from indexer.search.ranking import Settings, bm25_idf, min_should_match
from indexer.search.results import (
    FACETS,
    NO_FILTERS,
    ArticleView,
    ConceptMarks,
    Filters,
    Hit,
    PhraseCount,
    SearchResult,
)
from indexer.search.snippets import Target, find_matches, mark, paragraphs
from indexer.search.vocabulary import Vocabulary
from indexer.text import korean
from indexer.text.normalize import normalize

SORTS = ("relevance", "newest", "oldest")
MATCHES = ("all", "any")

__all__ = ["FACETS", "SORTS", "ArticleView", "Filters", "Hit", "Library", "SearchResult"]


class Library:
    """Searches one index through its backend; each call reads the latest commit."""

    def __init__(
        self,
        index: Path | Config | Backend,
        aliases_path: Path = CORPUS_ALIASES,
        settings: Settings | None = None,
    ) -> None:
        # A folder is the embedded index there; a config names either.
        self.backend = open_backend(index) if isinstance(index, Path | Config) else index
        self.settings = settings or Settings()
        self.analyzer = self.backend.analyzer
        self.gram_analyzer = self.backend.gram_analyzer
        self.completer = Completer(self._terms_of, _tags)
        self.aliases_path = aliases_path
        self._aliases: list[AliasGroup] = []
        self._aliases_mtime: float | None = None

    def aliases(self) -> list[AliasGroup]:
        """The alias groups, then the summits' names; the file re-read when it changes."""
        try:
            mtime = self.aliases_path.stat().st_mtime
        except OSError:
            mtime = None
        if mtime != self._aliases_mtime:
            self._aliases = load_aliases(self.aliases_path, self._spelling_terms)
            self._aliases += summit_groups(summits.summits(), self._spelling_terms)
            self._aliases_mtime = mtime
        return self._aliases

    def article_count(self) -> int:
        """Live articles in the index."""
        with self.backend.snapshot() as snap:
            return snap.articles()

    def complete(self, typed: str, limit: int = 8) -> list[Completion]:
        """Completions of the last word of ``typed`` from this index's words, most used first,
        each with the number of articles its query finds."""
        with self.backend.snapshot() as snap:
            vocabulary = snap.vocabulary()
            typed = normalize(typed).text
            found = self.completer.candidates(vocabulary, vocabulary.texts, typed, snap.generation)
            return complete(found, partial(self._count, snap, vocabulary), limit)

    def _count(self, snap: Snapshot, vocabulary: Vocabulary, text: str) -> int:
        """How many articles ``search(text)`` finds: its match set, without filters."""
        plan, _ = self._respell(self.plan(text), vocabulary)
        if plan.empty:
            return 0
        if not plan.phrases:  # the bigrams only score (phrases use scores to pick candidates)
            plan = replace(plan, grams=[])
        return snap.count(plan, self.settings, NO_FILTERS, False)

    def _respell(self, plan: Plan, vocabulary: Vocabulary) -> tuple[Plan, list[Notice]]:
        """``suggest.respell`` where the index has the bigram views it relies on."""
        if self.gram_analyzer is None:
            return plan, []
        return suggest.respell(plan, vocabulary)

    def _terms_of(self, word: str) -> list[str]:
        return [t.text for t in self.analyzer(word)]

    def _spelling_terms(self, spelling: str) -> tuple[str, ...]:
        return spelling_terms(self.analyzer, spelling)

    def plan(self, text: str, disabled: frozenset[str] = frozenset()) -> Plan:
        """Read ``text`` into a query plan with this index's analyzer and aliases."""
        return query_mod.build(
            text,
            self.analyzer,
            self.aliases(),
            disabled,
            grams=self.gram_analyzer,
            alias_gram_weight=self.settings.alias_gram_weight,
        )

    def search(
        self,
        text: str,
        *,
        page: int = 1,
        pagesize: int = 10,
        sort: str = "relevance",
        filters: Filters = NO_FILTERS,
        disabled_aliases: frozenset[str] = frozenset(),
        facets: bool = True,
        match: str = "all",
    ) -> SearchResult:
        """Run one search and return a page of hits with passages, facets and notes.

        ``match="any"`` makes every article with at least one of the words the match set.
        """
        started = time.perf_counter()
        page = max(1, page)
        sort = sort if sort in SORTS else "relevance"
        match = match if match in MATCHES else "all"
        result = SearchResult(text, 0, page, pagesize, sort, match=match)
        if facets:  # every facet is named, even when nothing could be searched
            result.facets = {name: [] for name in FACETS}
        plan = self.plan(text, disabled_aliases)
        result.notices.extend(plan.notices)
        result.expansions = plan.expansions
        result.concepts = len(plan.concepts)
        result.need = (
            min(1, result.concepts)
            if match == "any"
            else min_should_match(self.settings.min_match, result.concepts)
        )
        if plan.empty:
            if text.strip() and not plan.notices:
                result.notices.append(Notice("nothing_searchable"))
            result.took_ms = (time.perf_counter() - started) * 1000
            return result
        with self.backend.snapshot() as snap:
            vocabulary = snap.vocabulary()
            plan, unwritten = self._respell(plan, vocabulary)
            result.notices.extend(unwritten)
            request = Request(
                filters, match == "any", sort, (page - 1) * pagesize, pagesize, facets
            )
            found = snap.find(plan, self.settings, request)
            result.notices.extend(found.notices)
            result.total, result.relaxed_total = found.total, found.relaxed_total
            result.phrases = [
                PhraseCount(p.text, n)
                for p, n in zip(plan.phrases, found.phrase_counts, strict=True)
            ]
            if plan.whole_phrase and found.total == 0:
                result.notices.append(Notice.of("phrase_none", phrase=plan.phrases[0].text))
            targets = _targets(snap, plan)
            phrases = [PhraseTarget(p.concepts, text_pattern(p.words)) for p in plan.phrases]
            result.hits = [
                self._hit(
                    hit.fields,
                    hit.score if sort == "relevance" else 0.0,
                    hit.strict,
                    targets,
                    phrases,
                )
                for hit in found.hits
            ]
            if facets and found.facets is not None:
                result.facets = found.facets
            result.undated_hidden = found.undated_hidden
            if found.undated_facets is not None:
                result.undated_facets = found.undated_facets
            if result.total < 3 or unwritten:
                result.suggestion = self._suggest(snap, vocabulary, text, plan, filters, found)
        result.took_ms = (time.perf_counter() - started) * 1000
        return result

    def _hit(
        self,
        fields: Stored,
        score: float,
        strict: bool,
        targets: list[Target],
        phrases: list[PhraseTarget],
    ) -> Hit:
        body = fields.get("body", "")
        title = fields.get("title", "")
        return Hit(
            **meta_fields(fields),
            title_html=mark(title, 0, len(title), find_matches(title, targets, self.analyzer)),
            score=score,
            passages=tuple(passages(body, targets, self.analyzer, title=title, phrases=phrases)),
            strict=strict,
        )

    def _suggest(
        self,
        snap: Snapshot,
        vocabulary: Vocabulary,
        text: str,
        plan: Plan,
        filters: Filters,
        found: Found,
    ) -> str | None:
        """A corrected query that finds more than ``found``, for words no article has."""

        def finds_more(corrected: str) -> bool:
            alt, _ = self._respell(self.plan(corrected), vocabulary)
            return not alt.empty and snap.count(alt, self.settings, filters, False) > found.total

        return suggest.suggestion(text, plan, found.concept_counts, vocabulary, finds_more)

    def search_batch(
        self, queries: Iterable[tuple[str, str]], limit: int = 100
    ) -> Iterator[tuple[str, list[tuple[str, float]]]]:
        """Rank ids for many queries with one searcher (for evaluation): (qid, [(id, score)]).

        The ranking is the search page's: the match set first, then articles with fewer words.
        """
        with self.backend.snapshot() as snap:
            vocabulary = snap.vocabulary()
            for qid, text in queries:
                plan, _ = self._respell(self.plan(text), vocabulary)
                if plan.empty:
                    yield qid, []
                    continue
                yield qid, snap.ranked(plan, self.settings, limit)

    def article(self, doc_id: str, text: str = "") -> ArticleView | None:
        """One article by id, with the matches of query ``text`` highlighted."""
        with self.backend.snapshot() as snap:
            vocabulary = snap.vocabulary()
            fields = snap.document(doc_id)
            plan = self._respell(self.plan(text), vocabulary)[0] if text else None
        if fields is None:
            return None
        concepts = plan.concepts if plan else []
        body = fields.get("body", "")
        paras = tuple(paragraphs(body, [Target(c.words) for c in concepts], self.analyzer))
        counts = Counter(c for p in paras for _, _, c in p.marks)
        return ArticleView(
            **meta_fields(fields),
            body=body,
            raw=fields.get("raw", ""),
            paragraphs=paras,
            matches=sum(p.matches for p in paras),
            concepts=tuple(ConceptMarks(c.label, counts[n]) for n, c in enumerate(concepts)),
        )


def _targets(snap: Snapshot, plan: Plan) -> list[Target]:
    """The plan's concepts for highlighting, each weighted by its idf in the body."""
    count = snap.doc_count()
    out = []
    for concept in plan.concepts:
        terms = [t for w in concept.words for t in w.primary_terms()]
        df = max((snap.doc_frequency("body", t) for t in terms), default=0)
        out.append(Target(concept.words, bm25_idf(count, df)))
    return out


def _tags(word: str) -> list[tuple[str, str]]:
    return [(m.surface, m.tag) for m in korean.analyze(word)]

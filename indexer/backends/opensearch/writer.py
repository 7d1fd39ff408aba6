"""One job's writes to the cluster: batches encoded in the workers, sent in bulk, one refresh.

The index lives behind an alias (``ClusterSettings.index``). A job adds to the index the alias
points at; a rebuild, or the first job, writes a new index (``<alias>-<time>``) and moves the
alias to it at the final commit, deleting the old one, so searches see the old index whole
until the new one is whole. The index refreshes only when a job commits
(``refresh_interval`` -1): a failed rebuild leaves the old index as it was, and its own is
deleted; a failed job of another kind leaves what it sent, which the next commit shows (those
articles came from files a rerun reads again). Bulk requests retry what the cluster refuses
for load (429) with a growing pause; the client retries a request on another node when one
dies.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from typing import Any

from opensearchpy import OpenSearch, helpers

from indexer.backends.errors import IndexVersionError
from indexer.backends.opensearch.client import connect, live_index, unavailable
from indexer.backends.opensearch.encode import REPEAT, encode_field
from indexer.backends.opensearch.mapping import index_body, version_meta
from indexer.config import ClusterSettings
from indexer.documents.articles import Article
from indexer.text.analysis import bigram_analyzer, summit_analyzer
from indexer.text.lead import body_for_index

# Documents per bulk request: about 5 MB of encoded terms for news articles.
BULK_DOCS = 500
# Retries of a bulk item the cluster refused for load or for a primary that is moving, the
# first pause (doubling each time: about a minute in all).
BULK_RETRIES = 7
BULK_BACKOFF = 0.5
RETRIED = (429, 503)


class BulkRefused(Exception):
    """The cluster refused a document for good (a mapping conflict, say)."""


class ClusterExisting:
    """What the index holds, id -> (content hash, origin file): read whole on first use."""

    def __init__(self, client: OpenSearch, index: str | None) -> None:
        self.client, self.index = client, index
        self._all: dict[str, tuple[str, str]] | None = None

    def _read(self) -> dict[str, tuple[str, str]]:
        if self._all is None:
            self._all = {}
            if self.index is not None:
                query = {"_source": ["content_hash", "source"], "query": {"match_all": {}}}
                for hit in helpers.scan(self.client, query=query, index=self.index, size=2000):
                    src = hit["_source"]
                    self._all[hit["_id"]] = (src.get("content_hash", ""), src.get("source", ""))
        return self._all

    def get(self, doc_id: str) -> tuple[str, str] | None:
        """The content hash and origin of ``doc_id``, or None."""
        return self._read().get(doc_id)

    def __getitem__(self, doc_id: str) -> tuple[str, str]:
        return self._read()[doc_id]

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._read()

    def __len__(self) -> int:
        return len(self._read())

    def items(self) -> Iterable[tuple[str, tuple[str, str]]]:
        """Every indexed id with its hash and origin."""
        return list(self._read().items())

    def close(self) -> None:
        """Nothing is held open."""


def init_worker() -> None:
    """An analysis worker needs nothing beyond the analyzers it builds on first use."""


def encode_batch(docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The batch's documents with their analyzed fields replaced by the encoded terms."""
    words, grams = summit_analyzer(), bigram_analyzer()
    out = []
    for doc in docs:
        encoded = dict(doc)
        for name in ("title", "body", "author"):
            encoded[name] = encode_field(words, doc.get(name) or "", REPEAT[name])
        for name, source in (("title_grams", "title"), ("body_grams", "body")):
            encoded[name] = encode_field(grams, doc.get(source) or "", REPEAT[name])
        out.append(encoded)
    return out


class OpenSearchWriter:
    """The write session of one job over the index behind ``settings.index``."""

    def __init__(
        self,
        settings: ClusterSettings,
        rebuild: bool,
        client: OpenSearch | None = None,
    ) -> None:
        self.settings = settings
        self.client = client or connect(settings)
        self.alias = settings.index
        with unavailable(settings):
            self._open(rebuild)
        self.deletes: list[str] = []

    def _open(self, rebuild: bool) -> None:
        self.live = live_index(self.client, self.alias)
        if self.live is not None and not rebuild:
            check_version(self.client, self.live)
            self.target, self.fresh = self.live, False
        else:
            # Named by when it was built; the digits after the seconds keep two apart.
            stamp = f"{time.strftime('%Y%m%d%H%M%S')}{time.time_ns() % 10**9:09d}"
            self.target, self.fresh = f"{self.alias}-{stamp}", True
            body = index_body(self.settings.shards, self.settings.replicas)
            body["settings"]["index"]["refresh_interval"] = "-1"
            body["mappings"]["_meta"] = version_meta()
            self.client.indices.create(index=self.target, body=body)
            # Every copy of every shard allocated before the first batch, where the cluster
            # has the nodes for them: a node lost then loses no acknowledged write.
            nodes = self.client.cluster.health()["number_of_data_nodes"]
            status = "green" if nodes > self.settings.replicas else "yellow"
            self.client.cluster.health(
                index=self.target,
                params={"wait_for_status": status, "timeout": "60s"},
                request_timeout=90,
            )
        self.existing = ClusterExisting(self.client, None if self.fresh else self.target)

    worker_init: tuple[Callable[..., None], tuple[object, ...]] = (init_worker, ())

    def document(self, article: Article, origin: str, kind: str, added: datetime) -> dict:
        """The document of ``article``: what is searched (analyzed in the batch), what is shown."""
        doc: dict[str, Any] = {
            "id": article.id,
            "title": article.indexed_title,
            "stored_title": article.title,
            "body": body_for_index(article.body),
            "stored_body": article.body,
            "raw": article.raw,
            "outlet": article.outlet,
            "author": article.author,
            "author_name": article.author,
            "lang": [lang.lower() for lang in article.lang],
            "summit": list(article.summit),
            "url": article.url,
            "source": origin,
            "content_hash": article.content_hash,
            "origin": kind,
            "added": added.isoformat(),
        }
        if article.published is not None:
            doc["published"] = article.published.isoformat()
        # No outlet is no value, which the facets count as unknown (as the embedded index).
        return {k: v for k, v in doc.items() if not (k == "outlet" and not v)}

    def builder(self, in_worker: bool) -> Callable[[list[dict[str, object]]], object]:
        """Encoding the batch's terms: the same call in a worker or here."""
        return encode_batch

    def written(self, built: object, replaces: Sequence[str], last: bool) -> None:
        """Send one encoded batch; a new version replaces the old one under the same id."""
        assert isinstance(built, list)
        self._bulk({"_index": self.target, "_id": doc["id"], "_source": doc} for doc in built)

    def batches_done(self) -> None:
        """Nothing is kept aside while batches are built."""

    def delete(self, doc_id: str) -> None:
        """Delete article ``doc_id`` at the commit."""
        self.deletes.append(doc_id)

    def commit(
        self, optimize: bool = False, merge: bool = True, pool: ProcessPoolExecutor | None = None
    ) -> None:
        """Send the deletions, refresh, and point the alias at a new index."""
        deletes, self.deletes = self.deletes, []
        self._bulk({"_op_type": "delete", "_index": self.target, "_id": i} for i in deletes)
        with unavailable(self.settings):
            self._publish()

    def _publish(self) -> None:
        # Each commit counts in the mapping's _meta, so readers' caches (completions) know
        # the index changed, as a Whoosh generation tells them.
        meta = self.client.indices.get_mapping(index=self.target)[self.target]["mappings"]
        generation = int(meta.get("_meta", {}).get("generation", 0)) + 1
        body = {"_meta": {**version_meta(), "generation": generation}}
        self.client.indices.put_mapping(index=self.target, body=body)
        self.client.indices.refresh(index=self.target)
        if self.fresh:
            actions: list[dict[str, Any]] = [{"add": {"index": self.target, "alias": self.alias}}]
            if self.live is not None:
                actions.insert(0, {"remove": {"index": self.live, "alias": self.alias}})
            self.client.indices.update_aliases(body={"actions": actions})
            if self.live is not None:
                self.client.indices.delete(index=self.live)
            self.live, self.fresh = self.target, False

    def cancel(self) -> None:
        """Give up: a new index is deleted, the alias still points at the old one."""
        if self.fresh:
            self.client.indices.delete(index=self.target, ignore_unavailable=True)

    def close(self) -> None:
        """After the final commit: nothing is held open."""

    def _bulk(self, actions: Iterator[dict[str, Any]]) -> None:
        with unavailable(self.settings):
            self._send(actions)

    def _send(self, actions: Iterator[dict[str, Any]]) -> None:
        pending = list(actions)
        pause = BULK_BACKOFF
        for attempt in range(BULK_RETRIES + 1):
            failed: list[dict[str, Any]] = []
            for ok, item in helpers.streaming_bulk(
                self.client,
                pending,
                chunk_size=BULK_DOCS,
                raise_on_error=False,
                raise_on_exception=True,
            ):
                if ok:
                    continue
                ((op, result),) = item.items()
                status = result.get("status")
                if op == "delete" and status == 404:
                    continue  # an id the index does not have: nothing to delete
                if status in RETRIED and attempt < BULK_RETRIES:
                    failed.append(result)
                    continue
                raise BulkRefused(f"the cluster refused {op} of {result.get('_id')}: {result}")
            if not failed:
                return
            # Load (429), or a primary moving to another node after one died (503): again.
            refused = {r["_id"] for r in failed}
            pending = [a for a in pending if a["_id"] in refused]
            time.sleep(pause)
            pause *= 2


def cluster_state(settings: ClusterSettings) -> str:
    """Whether the cluster's index is ``missing``, ``outdated`` or ``ready``."""
    client = connect(settings)
    with unavailable(settings):
        live = live_index(client, settings.index)
        if live is None:
            return "missing"
        try:
            check_version(client, live)
        except IndexVersionError:
            return "outdated"
    return "ready"


def same_version(meta: dict[str, Any]) -> bool:
    """True if a mapping's ``_meta`` is this version's."""
    return {k: meta.get(k) for k in version_meta()} == version_meta()


def outdated(index: str, meta: dict[str, Any]) -> IndexVersionError:
    """The error for an index of another version, saying what to run."""
    return IndexVersionError(
        f"the cluster index {index} was built by another version of Summit Search "
        f"({meta.get('schema_version', '?')}, this is {version_meta()['schema_version']}): "
        "run `summit-search index --rebuild` to rebuild it"
    )


def check_version(client: OpenSearch, index: str) -> int:
    """Refuse an index built with another mapping or analysis; return its commit count."""
    found = client.indices.get_mapping(index=index)[index]["mappings"].get("_meta", {})
    if not same_version(found):
        raise outdated(index, found)
    return int(found.get("generation", 0))

"""The OpenSearch client for a cluster's settings, and the index behind the alias."""

from __future__ import annotations

from typing import Any

from opensearchpy import OpenSearch

from indexer.config import ClusterSettings

# Seconds a request may take: a bulk of a batch or a refresh of a large index is slow.
REQUEST_TIMEOUT = 120


def connect(settings: ClusterSettings) -> OpenSearch:
    """A client over every node of the cluster, retrying a request on another node."""
    auth = (settings.username, settings.password) if settings.username else None
    return OpenSearch(
        list(settings.hosts),
        http_auth=auth,
        verify_certs=settings.verify_certs,
        timeout=REQUEST_TIMEOUT,
        max_retries=3,
        retry_on_timeout=True,
    )


def live_index(client: OpenSearch, alias: str) -> str | None:
    """The index the alias points at, or None if there is none yet."""
    if not client.indices.exists_alias(name=alias):
        return None
    found: dict[str, Any] = client.indices.get_alias(name=alias)
    return sorted(found)[-1]

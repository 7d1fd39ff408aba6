"""The OpenSearch client for a cluster's settings, and the index behind the alias."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from opensearchpy import OpenSearch
from opensearchpy.exceptions import ConnectionError as NoConnection
from opensearchpy.exceptions import TransportError

from indexer.backends.errors import ClusterUnavailable
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


@contextmanager
def unavailable(settings: ClusterSettings) -> Iterator[None]:
    """Turn a cluster that does not answer, or fails a request, into ``ClusterUnavailable``."""
    try:
        yield
    except NoConnection as exc:
        raise ClusterUnavailable(
            f"the OpenSearch cluster at {', '.join(settings.hosts)} does not answer"
        ) from exc
    except TransportError as exc:
        if isinstance(exc.status_code, int) and exc.status_code < 500:
            raise
        raise ClusterUnavailable(
            f"the OpenSearch cluster at {', '.join(settings.hosts)} failed a request: "
            f"{exc.status_code} {exc.error}"
        ) from exc

"""Per-client token buckets on the search API and the admin login, answered with 429."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from flask import Flask, current_app, jsonify, render_template, request
from werkzeug.wrappers import Response

_KEY = "summit_search.ratelimit"
# Endpoints that are limited, and the config prefix of their rate and burst.
LIMITED = {"api.search": "RATELIMIT_SEARCH", "admin.login": "RATELIMIT_LOGIN"}
# Buckets kept at most; beyond that, clients whose bucket has refilled are forgotten.
MAX_CLIENTS = 10_000


class TokenBucket:
    """``burst`` requests at once per client, refilled at ``per_minute`` a minute."""

    def __init__(
        self, per_minute: float, burst: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate = per_minute / 60.0
        self.burst = burst
        self.clock = clock
        self._lock = threading.Lock()
        self._buckets: dict[str, tuple[float, float]] = {}  # client -> (tokens, last time)

    def take(self, client: str) -> float:
        """Spend one token for ``client``: 0.0 if allowed, else seconds until one is free."""
        now = self.clock()
        with self._lock:
            tokens, last = self._buckets.get(client, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) * self.rate)
            if tokens >= 1.0:
                self._buckets[client] = (tokens - 1.0, now)
                wait = 0.0
            else:
                self._buckets[client] = (tokens, now)
                wait = (1.0 - tokens) / self.rate if self.rate > 0 else math.inf
            if len(self._buckets) > MAX_CLIENTS:
                self._forget_full(now)
        return wait

    def _forget_full(self, now: float) -> None:
        # A bucket that has refilled to the burst is the same as no bucket at all.
        full = [
            c for c, (t, last) in self._buckets.items()
            if t + (now - last) * self.rate >= self.burst
        ]  # fmt: skip
        for client in full:
            del self._buckets[client]


def _limit() -> Response | tuple[Response | str, int, dict[str, str]] | None:
    prefix = LIMITED.get(request.endpoint or "")
    if prefix is None or request.method not in ("GET", "POST"):
        return None
    buckets: dict[str, TokenBucket] = current_app.extensions[_KEY]
    wait = buckets[prefix].take(request.remote_addr or "unknown")
    if wait <= 0:
        return None
    retry = str(max(1, math.ceil(min(wait, 86_400))))
    message = f"too many requests: try again in {retry} s"
    headers = {"Retry-After": retry}
    if request.path.startswith("/api/"):
        return jsonify(error=message, status=429), 429, headers
    return render_template("error.html", code=429, message=message), 429, headers


def init_app(app: Flask) -> None:
    """Create the buckets from the config and check them before each limited request."""
    if not app.config["RATELIMIT_ENABLED"]:
        return
    app.extensions[_KEY] = {
        prefix: TokenBucket(app.config[f"{prefix}_PER_MINUTE"], app.config[f"{prefix}_BURST"])
        for prefix in LIMITED.values()
    }
    app.before_request(_limit)

"""Quotations: the exact passage text plus its citation (``cite``), as plain text and Markdown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import quote as percent
from urllib.parse import urlsplit

from indexer.documents.meta import ArticleMeta
from webui import cite

# Text fragments longer than this are given as textStart,textEnd so a small difference in
# the middle of the page's text does not break the link.
FRAGMENT_WHOLE = 80
FRAGMENT_WORDS = 4


@dataclass(frozen=True)
class Quote:
    """One passage ready to copy, and the links to it."""

    plain: str
    markdown: str
    # This site's article view at the sentence (or paragraph), without the search (a permalink).
    sentence_link: str
    # The original page scrolled to the passage; "" without a URL.
    fragment_url: str
    # The same sentence with the search's words highlighted, for who asks for it.
    search_link: str = ""


def http_url(url: str) -> str:
    """``url`` if it is an http(s) address, else "" (never a javascript: or data: link)."""
    return url if urlsplit(url.strip()).scheme.lower() in ("http", "https") else ""


def make_quote(
    text: str,
    meta: ArticleMeta,
    sentence_link: str,
    accessed: date,
    accessed_label: str,
    search_link: str = "",
) -> Quote:
    """The plain and Markdown quotations of ``text`` (verbatim), cited from ``meta``.

    The Markdown form links this site's sentence only when others can open it: never a
    loopback address (set the public address, ``SUMMIT_SEARCH_PUBLIC_URL``, behind a proxy).
    """
    plain = f"{text}\n\n— {cite.plain(meta, accessed, accessed_label)}"
    quoted = "\n".join(f"> {line}" for line in text.split("\n"))
    markdown = f"{quoted}\n>\n> — {cite.markdown(meta, accessed, accessed_label)}"
    if sentence_link and not loopback(sentence_link):
        markdown += f" [↗]({sentence_link})"
    return Quote(plain, markdown, sentence_link, fragment_link(meta.url, text), search_link)


def opening(text: str, words: int = 2, width: int = 14) -> str:
    """The first ``words`` words of ``text`` (at most about ``width`` characters), then "…"."""
    head = " ".join(text.split()[:words])
    if len(head) > width:
        head = head[:width].rstrip()
    return head + "…" if len(head) < len(text.strip()) else head


def loopback(url: str) -> bool:
    """True if ``url`` names this machine (localhost, 127.x, ::1): nobody else can open it."""
    host = (urlsplit(url).hostname or "").lower()
    return host in ("localhost", "::1") or host.startswith("127.")


def _encode(text: str) -> str:
    # Text fragment syntax reserves "-", "," and "&"; quote() leaves "-" alone.
    return percent(text, safe="").replace("-", "%2D")


def fragment_link(url: str, text: str) -> str:
    """``url#:~:text=...`` pointing at ``text`` on the original page, or "" without a URL."""
    url = http_url(url)
    if not url or not text.strip():
        return ""
    base = url.split("#", 1)[0]
    words = text.split()
    if len(text) <= FRAGMENT_WHOLE or len(words) <= 2 * FRAGMENT_WORDS:
        spec = _encode(" ".join(words))
    else:
        start = " ".join(words[:FRAGMENT_WORDS])
        end = " ".join(words[-FRAGMENT_WORDS:])
        spec = f"{_encode(start)},{_encode(end)}"
    return f"{base}#:~:text={spec}"

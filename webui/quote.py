"""Quotations: the exact passage text plus a citation, as plain text and Markdown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import quote as percent
from urllib.parse import urlsplit

from indexer.meta import ArticleMeta

# Text fragments longer than this are given as textStart,textEnd so a small difference in
# the middle of the page's text does not break the link.
FRAGMENT_WHOLE = 80
FRAGMENT_WORDS = 4


@dataclass(frozen=True)
class Quote:
    """One passage ready to copy, and links to it."""

    plain: str
    markdown: str
    fragment_url: str  # the original page scrolled to the passage; "" without a URL
    permalink: str


def _cite(source: ArticleMeta, title: str, url: str, accessed: date, accessed_label: str) -> str:
    parts = [source.outlet, title, source.author]
    if source.published:
        parts.append(source.published.date().isoformat())
    head = ", ".join(p for p in parts if p)
    tail = f"{url} " if url else ""
    return f"{head}. {tail}({accessed_label} {accessed.isoformat()})"


def citation(source: ArticleMeta, accessed: date, accessed_label: str) -> str:
    """``outlet, “title”, author, date. URL (accessed YYYY-MM-DD)`` without the empty parts."""
    title = f"“{source.title}”" if source.title else ""
    return _cite(source, title, source.url, accessed, accessed_label)


def http_url(url: str) -> str:
    """``url`` if it is an http(s) address, else "" (never a javascript: or data: link)."""
    return url if urlsplit(url.strip()).scheme.lower() in ("http", "https") else ""


def _md_url(url: str) -> str:
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def _md_escape(text: str) -> str:
    return "".join("\\" + ch if ch in "\\`*_[]<>" else ch for ch in text)


def make_quote(
    text: str, source: ArticleMeta, permalink: str, accessed: date, accessed_label: str
) -> Quote:
    """Build the plain and Markdown quotations of ``text`` (used verbatim) from ``source``."""
    plain = f"{text}\n\n— {citation(source, accessed, accessed_label)}"
    quoted = "\n".join(f"> {line}" for line in text.split("\n"))
    if source.title and source.url:
        cite = _cite(
            source, f"[{_md_escape(source.title)}]({source.url})", "", accessed, accessed_label
        )
    else:
        cite = citation(source, accessed, accessed_label)
    markdown = f"{quoted}\n>\n> — {cite} [↗]({permalink})"
    return Quote(plain, markdown, fragment_link(source.url, text), permalink)


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

"""Citations of an article in the forms researchers paste or import.

One record (``ArticleMeta`` plus the access date) gives every format: plain text and Markdown
to paste, and BibTeX, RIS and CSL-JSON, which Zotero, EndNote and Mendeley import. Quotes use
the plain and Markdown forms of the same record.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date

from markupsafe import Markup, escape

from indexer.documents.meta import ArticleMeta

FORMATS = ("plain", "markdown", "bibtex", "ris", "csl")


def plain(meta: ArticleMeta, accessed: date, accessed_label: str) -> str:
    """``outlet, “title”, author, YYYY-MM-DD. URL (accessed YYYY-MM-DD)``, empty parts left out."""
    title = f"“{meta.title}”" if meta.title else ""
    return _line(meta, title, meta.url, accessed, accessed_label)


def markdown(meta: ArticleMeta, accessed: date, accessed_label: str) -> str:
    """The plain citation with the title linked to the original article."""
    if meta.title and meta.url:
        title = f"[“{_md_escape(meta.title)}”]({_md_url(meta.url)})"
        return _line(meta, title, "", accessed, accessed_label)
    return plain(meta, accessed, accessed_label)


def bibtex(meta: ArticleMeta, accessed: date) -> str:
    """A BibTeX ``@article`` entry (with ``urldate`` and ``date``, as biblatex reads them)."""
    # The author is braced whole: a Korean byline ("김철수 기자") is not "First Last".
    author = f"{{{_bib_escape(meta.author)}}}" if meta.author else ""
    fields = [
        ("title", _bib_escape(meta.title)),
        ("author", author),
        ("journal", _bib_escape(meta.outlet)),
        ("year", str(meta.published.year) if meta.published else ""),
        ("date", meta.published.date().isoformat() if meta.published else ""),
        # biblatex reads url verbatim: only braces, which would unbalance the entry, are encoded.
        ("url", meta.url.replace("{", "%7B").replace("}", "%7D")),
        ("urldate", accessed.isoformat()),
        ("language", ",".join(meta.lang)),
    ]
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields if v)
    return f"@article{{{cite_key(meta)},\n{body}\n}}\n"


def ris(meta: ArticleMeta, accessed: date) -> str:
    """An RIS record of type NEWS (a newspaper article)."""
    rows = [("TY", "NEWS")]
    rows += [("TI", meta.title), ("AU", meta.author), ("T2", meta.outlet)]
    if meta.published:
        rows += [("PY", str(meta.published.year)), ("DA", meta.published.strftime("%Y/%m/%d"))]
    rows += [("UR", meta.url), ("Y2", accessed.strftime("%Y/%m/%d"))]
    rows += [("LA", lang) for lang in meta.lang]
    rows.append(("ER", ""))
    return "".join(f"{tag}  - {value}\r\n" for tag, value in rows if value or tag == "ER")


def csl_json(meta: ArticleMeta, accessed: date) -> str:
    """A CSL-JSON item list of one ``article-newspaper``."""
    item: dict[str, object] = {"id": cite_key(meta), "type": "article-newspaper"}
    if meta.title:
        item["title"] = meta.title
    if meta.outlet:
        item["container-title"] = meta.outlet
    if meta.author:
        item["author"] = [{"literal": meta.author}]
    if meta.published:
        d = meta.published
        item["issued"] = {"date-parts": [[d.year, d.month, d.day]]}
    if meta.url:
        item["URL"] = meta.url
    item["accessed"] = {"date-parts": [[accessed.year, accessed.month, accessed.day]]}
    if meta.lang:
        item["language"] = meta.lang[0]
    return json.dumps([item], ensure_ascii=False, indent=2) + "\n"


def every_format(meta: ArticleMeta, accessed: date, accessed_label: str) -> dict[str, str]:
    """The citation in each of ``FORMATS``."""
    return {
        "plain": plain(meta, accessed, accessed_label),
        "markdown": markdown(meta, accessed, accessed_label),
        "bibtex": bibtex(meta, accessed),
        "ris": ris(meta, accessed),
        "csl": csl_json(meta, accessed),
    }


# A word joined by hyphens: a date (2024-05-23), a cite key, Asia-Pacific, article-newspaper.
_HYPHENATED = re.compile(r"[^\s-]+(?:-[^\s-]+)+")


def unbroken_html(text: str, longest: int = 40) -> Markup:
    """``text`` as HTML in which a hyphenated word of up to ``longest`` characters is one unit.

    Browsers wrap after any hyphen, so on a phone a date came out as 2024-05- / 23. Each such
    word goes in a ``word`` span, which the stylesheet makes an inline block: it moves to the
    next line whole and breaks inside only if it is longer than a line. The text is unchanged.
    """
    parts: list[Markup] = []
    pos = 0
    for m in _HYPHENATED.finditer(text):
        if len(m.group()) > longest:
            continue
        parts.append(escape(text[pos : m.start()]))
        parts.append(Markup('<span class="word">{}</span>').format(m.group()))
        pos = m.end()
    parts.append(escape(text[pos:]))
    return Markup("").join(parts)


def cite_key(meta: ArticleMeta) -> str:
    """A stable key: the outlet's Latin letters (or ``article``), the year, and a short hash."""
    head = re.sub(r"[^a-z0-9]", "", meta.outlet.lower())[:20] or "article"
    year = str(meta.published.year) if meta.published else "nd"
    return f"{head}{year}-{hashlib.sha1(meta.id.encode()).hexdigest()[:6]}"


def _line(meta: ArticleMeta, title: str, url: str, accessed: date, accessed_label: str) -> str:
    parts = [meta.outlet, title, meta.author]
    if meta.published:
        parts.append(meta.published.date().isoformat())
    # An article with no metadata at all is still named: by its file.
    head = ", ".join(p for p in parts if p) or meta.id
    tail = f"{url} " if url else ""
    return f"{head}. {tail}({accessed_label} {accessed.isoformat()})"


_TEX = {"\\": r"\textbackslash{}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def _bib_escape(text: str) -> str:
    # Braces must balance inside a field, and these characters mean something to TeX.
    return re.sub(r"[{}\\&%$#_^~]", lambda m: _TEX.get(m.group(), "\\" + m.group()), text)


def _md_url(url: str) -> str:
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def _md_escape(text: str) -> str:
    return "".join("\\" + ch if ch in "\\`*_[]<>" else ch for ch in text)

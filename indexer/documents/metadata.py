"""Title, outlet, author, date, URL and language: from page fields, the text, or metadata.json.

Dates are naive datetimes holding the wall-clock time the source printed (Korean pages print
KST, English ones their own zone); an explicit UTC offset in an ISO string is dropped, not
converted, so "2024-05-23T08:34:00+09:00" and "2024. 5. 23. 08:34" agree.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import lxml.html

from indexer.documents import bylines
from indexer.documents.cleaning import ends_as_sentence, is_boilerplate, is_prose, is_speaker_line
from indexer.text.scripts import HAN_RE, HANGUL

METADATA_NAME = "metadata.json"
FIELDS = ("title", "outlet", "author", "published", "url", "lang", "summit")
_TITLE_MAX = 100

_MONTHS = {
    m: i
    for i, names in enumerate(
        ("jan january", "feb february", "mar march", "apr april", "may", "jun june", "jul july",
         "aug august", "sep sept september", "oct october", "nov november", "dec december"),
        start=1,
    )
    for m in names.split()
}  # fmt: skip
_TIME = (
    r"(?:\D{0,6}?(?P<ap1>오전|오후)?\s*(?P<h>\d{1,2})\s*[:시]\s*(?P<mi>\d{2})"
    r"(?:\s*[:분]\s*(?P<s>\d{2}))?(?:\s*(?P<ap2>[AaPp]\.?[Mm]\.?)(?!\w))?)?"
)
_DATE_FORMS = (
    # 2024-05-23 14:41:12, 2024.05.23 08:34, 2024. 5. 23. 08:34, 2024/5/23, 2024년 5월 23일
    re.compile(
        r"(?<!\d)(?P<y>20\d\d|19\d\d)\s*[-./년]\s*(?P<m>\d{1,2})\s*[-./월]\s*(?P<d>\d{1,2})"
        r"(?!\d)\s*[.일]?" + _TIME
    ),
    # May 23, 2024 / 23 May 2024, optionally followed by a time
    re.compile(
        r"(?P<mon>[A-Za-z]{3,9})\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})" + _TIME
    ),
    re.compile(r"(?<!\d)(?P<d>\d{1,2})\s+(?P<mon>[A-Za-z]{3,9})\.?,?\s+(?P<y>\d{4})" + _TIME),
)
# Where a page or a text names its outlet: a copyright notice ("Copyright © 한빛일보", "ⓒ 매체",
# "<저작권자 © 가상일보, 무단전재 …>"), a byline in brackets ("(서울=연합뉴스)", "[한빛일보
# 홍길동 기자]", ``bylines.outlet``) or a byline with the outlet in angle brackets ("<한빛일보>
# 홍길동 기자").
_OUTLET_NOTICE = re.compile(
    r"(?:copyright|저작권자)?\s*(?:ⓒ|©|\(c\))\s*(?:\d{4}\s*)?(?P<outlet>[^\s,.|<>()\[\]]{2,20})",
    re.I,
)
_OUTLET_BYLINE = re.compile(rf"<(?P<outlet>[^<>]{{2,15}})>\s*[{HANGUL}]{{2,4}}\s*기자")
_NOT_OUTLETS = frozenset({"all", "무단", "무단전재", "저작권자", "copyright", "rights"})
_URL_LINE = re.compile(
    r"^(?:원문|출처|기사\s*원문|source|url|link)\s*[:\uff1a]?\s*(https?://\S+)$", re.I
)


def parse_date(value: str) -> datetime | None:
    """Parse an ISO 8601 or a common Korean/English date form; naive wall-clock time."""
    value = value.strip()
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).replace(tzinfo=None)
    except ValueError:
        pass
    for form in _DATE_FORMS:
        for match in form.finditer(value):
            parts = match.groupdict()
            month = int(parts["m"]) if parts.get("m") else _MONTHS.get(parts["mon"].lower())
            if month is None:
                continue
            hour = int(parts["h"] or 0)
            pm = parts["ap1"] == "오후" or (parts["ap2"] or "").lower().startswith("p")
            am = parts["ap1"] == "오전" or (parts["ap2"] or "").lower().startswith("a")
            if pm and hour < 12:
                hour += 12
            elif am and hour == 12:
                hour = 0
            try:
                return datetime(
                    int(parts["y"]), month, int(parts["d"]),
                    hour, int(parts["mi"] or 0), int(parts["s"] or 0),
                )  # fmt: skip
            except ValueError:
                continue
    return None


def detect_lang(text: str) -> tuple[str, ...]:
    """ISO 639-1 codes of the scripts that carry the text, largest share first."""
    counts = {
        "ko": len(re.findall(f"[{HANGUL}]+", text)),
        "ja": len(re.findall(r"[\u3040-\u30ff]+", text)),
        "zh": len(HAN_RE.findall(text)) // 2,  # ~2 Han characters a word
        # Acronyms (AI, OECD, KIST) turn up in text of any language; words don't.
        "en": len(re.findall(r"[A-Za-z]*[a-z][A-Za-z]*", text)),
    }
    if counts["ko"] or counts["ja"]:
        counts["zh"] = 0  # Hanja in Korean and Kanji in Japanese are not Chinese
    total = sum(counts.values())
    if not total:
        return ()
    # Brand names and quoted titles put some Latin words in Korean articles; a second
    # language has to carry a real share of the words to count.
    ranked = sorted(counts, key=lambda k: -counts[k])
    return tuple(k for k in ranked if counts[k] and (k == ranked[0] or counts[k] / total >= 0.25))


def derive_title(body: str) -> str:
    """First line of the text, cut to its first sentence and at most 100 characters.

    A transcript's opening marker ("◀ 앵커 ▶") and a short opener ("다음 소식입니다.") are
    passed over for the first line that can say what the article is about.
    """
    lines = [line.strip() for line in body.split("\n") if line.strip()]
    said = [x for x in lines if not is_speaker_line(x)]
    first = next((x for x in said if len(x) >= 10), said[0] if said else lines[0] if lines else "")
    sentence = re.match(r".+?[.!?。](?=\s|$)", first)
    title = sentence.group(0) if sentence and len(sentence.group(0)) >= 10 else first
    if len(title) <= _TITLE_MAX:
        return title
    cut = title[:_TITLE_MAX].rsplit(" ", 1)[0]
    return cut + "…"


def text_fields(lines: list[str], body: set[int]) -> dict[str, Any]:
    """Guess title, author, date and URL from a page's own lines (outside the body)."""
    found: dict[str, Any] = {}
    first_prose = min(body, default=next((i for i, x in enumerate(lines) if is_prose(x)), 0))
    # A headline is repeated on saved pages (tab title, h1, share cards); failing that it
    # is the longest line before the story that is not page furniture.
    # Not a sentence (a transcript opens with spoken lines) nor a speaker's marker.
    heads = [
        x.strip()
        for x in lines[:first_prose]
        if 10 <= len(x.strip()) <= 150
        and not is_prose(x)
        and not is_boilerplate(x)
        and not ends_as_sentence(x)
        and not is_speaker_line(x)
    ]
    heads = [h for h in heads if h.count(" | ") < 2]  # "World | Business | Tech" menus
    if heads:
        found["title"] = max(heads, key=lambda h: (sum(h in x for x in lines) > 1, len(h)))
    for i, raw in enumerate(lines):
        line = raw.strip()
        if "author" not in found and line:
            # A byline in brackets may open the story's first paragraph; others stand alone.
            outside = i not in body and len(line) <= 80
            name = bylines.author(line) if outside else bylines.bracket_author(line)
            if name:
                found["author"] = name
        if i in body or not line or len(line) > 80:
            continue
        if "published" not in found and re.search(r"\d{4}", line):
            date = parse_date(line)
            if date:
                found["published"] = date
        if "url" not in found and (match := _URL_LINE.match(line)):
            found["url"] = match.group(1)
    outlet = guess_outlet(lines)
    if outlet:
        found["outlet"] = outlet
    return found


def guess_outlet(lines: list[str]) -> str:
    """The outlet a text names of itself: a copyright notice first, then a byline."""
    for pattern in (_OUTLET_NOTICE, _OUTLET_BYLINE):
        for line in lines:
            if len(line) > 200:
                continue
            match = pattern.search(line)
            if match and match.group("outlet").lower() not in _NOT_OUTLETS:
                return match.group("outlet").strip()
        if pattern is _OUTLET_NOTICE:
            # A byline in brackets opens a line, however long the paragraph it opens.
            named = next((name for line in lines if (name := bylines.outlet(line))), "")
            if named and named.lower() not in _NOT_OUTLETS:
                return named
    return ""


def _meta(root: lxml.html.HtmlElement, *names: str) -> str:
    for name in names:
        for el in root.iter("meta"):
            if name in (el.get("property"), el.get("name"), el.get("itemprop")):
                value = (el.get("content") or "").strip()
                if value:
                    return value
    return ""


def _json_ld(root: lxml.html.HtmlElement) -> dict[str, Any]:
    # NewsArticle JSON-LD is how many Korean CMSs publish headline, date and author.
    for script in root.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        items = data.get("@graph", [data]) if isinstance(data, dict) else data
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict) and "Article" in str(item.get("@type", "")):
                return item
    return {}


def html_fields(root: lxml.html.HtmlElement) -> dict[str, Any]:
    """Title, outlet, author, date and URL from a page's <head> and NewsArticle JSON-LD."""
    ld = _json_ld(root)
    author = ld.get("author")
    if isinstance(author, list):
        author = author[0] if author else ""
    if isinstance(author, dict):
        author = author.get("name", "")
    tag_title = root.findtext(".//title") or ""
    canonical = next(
        (el.get("href") for el in root.iter("link") if el.get("rel") == "canonical"), ""
    )
    fields = {
        "title": _meta(root, "og:title", "twitter:title") or ld.get("headline") or tag_title,
        "outlet": _meta(root, "og:site_name", "application-name"),
        "author": _meta(root, "author", "article:author", "byl", "dable:author") or author,
        "published": _meta(
            root, "article:published_time", "datePublished", "pubdate", "publishdate", "date"
        )
        or ld.get("datePublished", ""),
        "url": canonical or _meta(root, "og:url"),
    }
    # "<title>Headline - Outlet</title>": the tab title carries the site name after the headline.
    parts = re.split(r"\s+[-|:\u2013]\s+", tag_title.strip())
    if fields["title"] == tag_title and len(parts) > 1 and len(parts[-1]) <= 20:
        fields["outlet"] = fields["outlet"] or parts[-1]
        if parts[-1] == fields["outlet"]:
            fields["title"] = tag_title.strip()[: -len(parts[-1])].rstrip(" -|:\u2013")
    if isinstance(fields["author"], str) and fields["author"].startswith("http"):
        fields["author"] = ""  # article:author is often a profile URL, not a name
    cleaned = {k: " ".join(str(v).split()) for k, v in fields.items() if v}
    if "published" in cleaned:
        cleaned["published"] = parse_date(cleaned["published"])
    return {k: v for k, v in cleaned.items() if v}


@lru_cache(maxsize=64)
def _read_metadata(path: Path, mtime_ns: int) -> tuple[dict[str, dict[str, Any]], str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return {}, f"bad {METADATA_NAME}: {exc}"
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        return {}, f"bad {METADATA_NAME}: expected an object of filename -> object"
    return data, ""


def read_metadata(directory: Path) -> tuple[dict[str, dict[str, Any]], str]:
    """The metadata.json beside the articles as filename -> fields, and an error if unusable."""
    path = directory / METADATA_NAME
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        return {}, ""
    return _read_metadata(path, mtime)


def sidecar_fields(entry: dict[str, Any]) -> dict[str, Any]:
    """Normalise one metadata.json entry: dates parsed, lang/summit as tuples."""
    fields: dict[str, Any] = {}
    for key in FIELDS:
        value = entry.get(key)
        if value in (None, "", []):
            continue
        if key in ("lang", "summit"):
            fields[key] = (value,) if isinstance(value, str) else tuple(str(v) for v in value)
        elif key == "published":
            fields[key] = parse_date(str(value))
        else:
            fields[key] = str(value).strip()
    return {k: v for k, v in fields.items() if v}

"""Bytes -> text for saved news pages: BOMs, UTF-8, a declared charset, CP949, then a guess."""

from __future__ import annotations

import codecs
import html
import re

import charset_normalizer

from indexer.text.scripts import HAN_RE, HANGUL_RE

# BOMs are checked longest first: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Only the first few KB are searched, as browsers do; later "charset=" text is content.
_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.I)
_HANGUL_RE = HANGUL_RE
_HAN_RE = HAN_RE
# Entities with a terminating ";" only: "R&D" or "AT&T" in plain text must survive.
_ENTITY_RE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# charset-normalizer reports "chaos" (0..1); above this its answer is mojibake, not text.
_MAX_CHAOS = 0.2


class DecodeError(ValueError):
    """Raised with a one-line, human-readable reason when bytes are not text."""


def declared_charset(data: bytes) -> str | None:
    """Return the codec named by an HTML `<meta charset>` in the first 4 KB, if Python knows it."""
    match = _CHARSET_RE.search(data[:4096])
    if not match:
        return None
    try:
        return codecs.lookup(match.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None


def _looks_korean(text: str) -> bool:
    # GBK and Big5 bytes often decode "strictly" as CP949 into Hangul mixed with many Han
    # characters; real Korean news uses Hanja only sparingly.
    hangul = len(_HANGUL_RE.findall(text))
    han = len(_HAN_RE.findall(text))
    return hangul > 0 and han <= 0.2 * (hangul + han)


def decode_bytes(data: bytes, html_page: bool = False) -> str:
    """Decode saved text; raise DecodeError with a one-line reason when it is not text."""
    if not data:
        raise DecodeError("empty file")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise DecodeError(f"cannot decode: invalid {encoding} after its BOM") from exc
    if b"\x00" in data:
        raise DecodeError("binary file: contains NUL bytes")
    # Valid UTF-8 with non-ASCII bytes is almost never an accident, and browsers re-encode
    # pages to UTF-8 on "save as" while leaving a stale <meta charset>, so UTF-8 goes first.
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = declared_charset(data) if html_page else None
    if declared and declared != "utf-8":
        try:
            return data.decode(declared)
        except UnicodeDecodeError:
            pass
    try:
        text = data.decode("cp949")
    except UnicodeDecodeError:
        text = None
    if text is not None and _looks_korean(text):
        return text
    best = charset_normalizer.from_bytes(data).best()
    if best is not None and best.chaos <= _MAX_CHAOS:
        return str(best)
    raise DecodeError("cannot decode: not UTF-8, UTF-16 or CP949")


def normalise_text(text: str) -> str:
    """Unify line endings, drop stray BOMs and unescape HTML entities left in saved text."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    return _ENTITY_RE.sub(lambda m: html.unescape(m.group(0)), text)

"""File -> Article: find article files, decode them, keep the article body, gather metadata.

Formats: `.txt` (a page saved from a browser as text), `.html`/`.htm`, and `.jsonl` (one
article a line: `id`, `text`, optional `title`, `url`, `published`, `outlet`, `author`, `lang`).
Decoding lives in `decoding`, body extraction in `extract`, metadata in `metadata`.

Metadata precedence, strongest first: JSONL/HTML fields, then `metadata.json` beside the
files (filename -> {title, outlet, author, published, url, lang, summit}), then guesses from
the text. For JSONL, metadata.json entries are keyed by article id. `summit` only ever comes
from metadata.json. `published` is a naive datetime (see
`metadata`). Inside one JSONL file the last line with a given id wins; earlier ones are
Rejected with the line that replaced them.
"""

from __future__ import annotations

import codecs
import hashlib
import itertools
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from indexer.documents import bylines, metadata, summits
from indexer.documents.cleaning import clean_lines, line_rules, text_kind
from indexer.documents.decoding import DecodeError, decode_bytes, normalise_text
from indexer.documents.extract import main_content_lines, parse_html, visible_lines
from indexer.documents.meta import ArticleMeta

MAX_BYTES = 20 * 1024 * 1024
SUFFIXES = frozenset({".txt", ".html", ".htm", ".jsonl"})


@dataclass(frozen=True, kw_only=True)
class Article(ArticleMeta):
    """One article, cleaned for indexing; `raw` keeps what was saved."""

    body: str
    raw: str
    source: str = ""
    content_hash: str = ""
    # The title was made from the first sentence (the source had none): shown, not indexed.
    title_derived: bool = False

    @property
    def indexed_title(self) -> str:
        """The title every backend indexes: none for a derived one (the body holds that
        sentence, and a boosted copy made first-sentence overlap decide rankings)."""
        return "" if self.title_derived else self.title


@dataclass(frozen=True)
class Rejected:
    """Input that could not be read as an article, and why (one line)."""

    source: str
    reason: str


def relpath(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` as a POSIX path (its name if it is not under it)."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.name


def load_file(path: Path, root: Path) -> Iterator[Article | Rejected]:
    """Read one file into articles (several for JSONL, read line by line); never raises."""
    rel = relpath(path, root)
    try:
        if path.suffix.lower() == ".jsonl":
            sidecar, _ = metadata.read_metadata(path.parent)
            yield from _jsonl_articles(rel, lambda: _jsonl_lines(path), sidecar)
            return
        size = path.stat().st_size
        if size > MAX_BYTES:
            yield Rejected(rel, f"too large: {size} bytes (limit {MAX_BYTES})")
            return
        data = path.read_bytes()
    except OSError as exc:
        yield Rejected(rel, f"cannot read: {exc.strerror or exc}")
        return
    sidecar, _ = metadata.read_metadata(path.parent)
    yield from parse_file(rel, data, sidecar)


def expected_items(path: Path) -> int:
    """How many articles or refusals reading ``path`` gives: a JSONL file's non-blank lines,
    one for any other file. Read in blocks, so one runaway line is never held whole."""
    if path.suffix.lower() != ".jsonl":
        return 1
    count, content = 0, False  # content: the line being read holds more than whitespace
    try:
        with path.open("rb") as f:
            while block := f.read(1 << 20):
                *ended, last = block.split(b"\n")
                for line in ended:
                    count += content or bool(line.strip())
                    content = False
                content = content or bool(last.strip())
    except OSError:
        return 1  # reading it fails again, with its reason: one refusal
    return count + content


def parse_file(
    rel: str, data: bytes, sidecar: Mapping[str, dict[str, Any]] | None = None
) -> list[Article | Rejected]:
    """A file's bytes -> its articles, by the suffix of ``rel``; never raises for bad input.

    ``rel`` is the file's path relative to its folder, which becomes the article's id (a JSONL
    record's own ``id`` wins); ``sidecar`` holds that folder's metadata.json entries.
    """
    sidecar = sidecar or {}
    suffix = PurePosixPath(rel).suffix.lower()
    if suffix == ".jsonl":
        return list(_jsonl_articles(rel, lambda: _byte_lines(data), sidecar))
    if len(data) > MAX_BYTES:
        return [Rejected(rel, f"too large: {len(data)} bytes (limit {MAX_BYTES})")]
    is_html = suffix in (".html", ".htm")
    try:
        text = normalise_text(decode_bytes(data, html_page=is_html))
    except DecodeError as exc:
        return [Rejected(rel, str(exc))]
    try:
        parsed = _from_html(text) if is_html else _from_text(text)
    except Exception as exc:  # one pathological page must not stop a whole indexing run
        parsed = _failure(exc)
    if isinstance(parsed, str):
        return [Rejected(rel, parsed)]
    name = PurePosixPath(rel).name
    return [_build(parsed, sidecar.get(name, {}), rel, rel, data)]


def parse_record(
    record: dict[str, Any], where: str, line: bytes, entry: Mapping[str, Any] | None = None
) -> Article | Rejected:
    """One JSONL record (already checked by ``check_record``) -> an article; never raises.

    ``where`` names it in messages (``file#line``) and is its id when it has none; ``line`` is
    its bytes, whose hash tells a changed record; ``entry`` its metadata.json fields.
    """
    ident = str(record.get("id", where))
    try:
        return _build(_from_record(record), dict(entry or {}), ident, where.split("#")[0], line)
    except Exception as exc:  # as for files: one bad record must not stop the rest
        return Rejected(where, _failure(exc))


def _failure(exc: Exception) -> str:
    return f"cannot extract: {type(exc).__name__}: {exc}".splitlines()[0]


# body, raw, fields the page declared, fields guessed from its text
_Parsed = tuple[str, str, dict[str, Any], dict[str, Any]]


def _from_text(text: str) -> _Parsed | str:
    lines = text.split("\n")
    title = metadata.text_fields(lines, set()).get("title", "")
    kept = clean_lines(lines, title)
    if not kept:
        return "no article text: every line looks like page furniture"
    body = "\n".join(lines[i].strip() for i in kept)
    return body, text, {}, metadata.text_fields(lines, set(kept))


def _from_html(text: str) -> _Parsed | str:
    root = parse_html(text)
    if root is None:
        return "no article text: empty HTML page"
    lines = visible_lines(root)
    declared = metadata.html_fields(root)
    title = declared.get("title") or metadata.text_fields(lines, set()).get("title", "")
    content = main_content_lines(text, lines)
    kept = [content[i] for i in clean_lines([lines[i] for i in content], title)]
    if not kept:
        return "no article text: every line looks like page furniture"
    body = "\n".join(lines[i] for i in kept)
    return body, "\n".join(lines), declared, metadata.text_fields(lines, set(kept))


def _build(parsed: _Parsed, entry: dict[str, Any], ident: str, source: str, data: bytes) -> Article:
    body, raw, declared, guessed = parsed
    fields = {**guessed, **metadata.sidecar_fields(entry), **declared}
    title = fields.get("title") or metadata.derive_title(body)
    return Article(
        id=ident,
        title=title,
        title_derived=not fields.get("title"),
        body=body,
        raw=raw,
        outlet=fields.get("outlet", ""),
        # A name the metadata gives in Hangul alone keeps the Hanja its byline writes.
        author=bylines.with_hanja(fields.get("author", ""), guessed.get("author", "")),
        published=fields.get("published"),
        url=fields.get("url", ""),
        lang=fields.get("lang") or metadata.detect_lang(body),
        # A summit the source does not give is the one the article names near its date.
        summit=fields.get("summit") or summits.detect(title, body, fields.get("published")),
        source=source,
        content_hash=hashlib.sha256(data).hexdigest(),
    )


def _jsonl_lines(path: Path) -> Iterator[tuple[int, bytes | None]]:
    # Line by line with a per-line cap, so a large JSONL corpus is never read whole and one
    # runaway line cannot exhaust memory; None stands for a line over the cap.
    with path.open("rb") as f:
        for number in itertools.count(1):
            line = f.readline(MAX_BYTES + 1)
            if not line:
                return
            if len(line) > MAX_BYTES and not line.endswith(b"\n"):
                while (rest := f.readline(1 << 20)) and not rest.endswith(b"\n"):
                    pass
                yield number, None
                continue
            line = line.rstrip(b"\r\n")
            yield number, line[3:] if number == 1 and line.startswith(codecs.BOM_UTF8) else line


def check_record(line: bytes) -> dict[str, Any] | str:
    """One JSONL line as a record with a text, or why it is not one."""
    try:
        record = json.loads(line.decode("utf-8"))
    except UnicodeDecodeError:
        return "cannot decode: JSONL lines must be UTF-8"
    except json.JSONDecodeError as exc:
        return f"invalid JSON: {exc.msg} at column {exc.colno}"
    if not isinstance(record, dict):
        return f"expected a JSON object, got {type(record).__name__}"
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        return "missing or empty 'text'"
    if "id" in record and not isinstance(record["id"], str | int):
        return "'id' must be a string or a number"
    return record


def _byte_lines(data: bytes) -> Iterator[tuple[int, bytes | None]]:
    for number, line in enumerate(data.split(b"\n"), 1):
        line = line.rstrip(b"\r")
        if len(line) > MAX_BYTES:
            yield number, None
            continue
        yield number, line[3:] if number == 1 and line.startswith(codecs.BOM_UTF8) else line


def _jsonl_articles(
    rel: str,
    lines: Callable[[], Iterator[tuple[int, bytes | None]]],
    sidecar: Mapping[str, dict[str, Any]],
) -> Iterator[Article | Rejected]:
    # Two passes: the last line with an id wins, so the first pass finds where each id ends.
    last: dict[str, int] = {}
    for number, line in lines():
        if line and line.strip():
            record = check_record(line)
            if isinstance(record, dict):
                last[str(record.get("id", f"{rel}#{number}"))] = number
    for number, line in lines():
        where = f"{rel}#{number}"
        if line is None:
            yield Rejected(where, f"line too large (limit {MAX_BYTES} bytes)")
            continue
        if not line.strip():
            continue
        record = check_record(line)
        if isinstance(record, str):
            yield Rejected(where, record)
            continue
        ident = str(record.get("id", where))
        if last.get(ident) != number:
            yield Rejected(where, f"duplicate id {ident!r}: replaced by line {last.get(ident)}")
            continue
        yield parse_record(record, where, line, sidecar.get(ident, {}))


def record_rules(record: dict[str, Any]) -> tuple[list[str], list[str | None]]:
    """A JSONL record's text lines and, for each, the cleaning rule that drops it (or None)."""
    lines = normalise_text(record["text"]).split("\n")
    # A record is article text unless it carries a saved page's furniture (cleaning.text_kind).
    rules = line_rules(lines, str(record.get("title") or ""), text_kind(lines))
    if all(rule is not None for rule in rules):
        # Text given in JSONL is meant as the article: never all of it furniture.
        rules = [None] * len(lines)
    return lines, rules


def _from_record(record: dict[str, Any]) -> _Parsed:
    text = normalise_text(record["text"])
    lines, rules = record_rules(record)
    kept = (x.strip() for x, rule in zip(lines, rules, strict=True) if rule is None)
    body = "\n".join(x for x in kept if x)
    declared: dict[str, Any] = {}
    for key in ("title", "outlet", "author", "url"):
        if isinstance(record.get(key), str) and record[key].strip():
            declared[key] = " ".join(record[key].split())
    if isinstance(record.get("published"), str):
        declared["published"] = metadata.parse_date(record["published"])
    for key in ("lang", "summit"):
        value = record.get(key)
        if isinstance(value, str) and value.strip():
            declared[key] = (value.strip(),)
        elif isinstance(value, list) and all(isinstance(x, str) for x in value) and value:
            declared[key] = tuple(value)
    declared = {k: v for k, v in declared.items() if v}
    guessed = {"outlet": outlet} if (outlet := metadata.guess_outlet(lines)) else {}
    return body, text, declared, guessed

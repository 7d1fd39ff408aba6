"""The ``summit-search`` command: thin click wrappers over the indexer.

``webui`` adds its ``serve`` command to this group (``webui.cli``), so the indexer never
imports the web front end.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import click

from indexer.backends import errors
from indexer.backends.whoosh.check import check_index
from indexer.backends.whoosh.stats import stats as index_stats
from indexer.config import Config
from indexer.ingest import run as ingest
from indexer.ingest.sources import LibraryError
from indexer.search.library import Library
from indexer.search.notices import Notice
from indexer.search.results import SearchResult, result_json
from indexer.search.snippets import Passage

INDEX_OPTION = click.option(
    "--index",
    "index_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Index folder [default: $SUMMIT_SEARCH_INDEX or ~/.local/share/summit-search/index]; "
    "the source library is the folder `library` beside it.",
)


def config_for(index_dir: Path | None, **overrides: object) -> Config:
    """The settings for one command: defaults, the environment, then its options."""
    return Config.from_env(index_dir=index_dir, **overrides)


def _library(index_dir: Path | None) -> Library:
    config = config_for(index_dir)
    try:
        return Library(config, settings=config.search)
    except errors.IndexError_ as exc:
        raise click.ClickException(str(exc)) from exc


@click.group()
def main() -> None:
    """Summit Search: index and search news coverage of the AI summits."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@INDEX_OPTION
@click.option(
    "--rebuild", is_flag=True, help="Delete the index and build it anew (the library included)."
)
@click.option("--prune", is_flag=True, help="Remove articles whose files are gone.")
@click.option(
    "--commit-every",
    type=click.IntRange(1),
    default=None,
    help="Articles per commit [default: $SUMMIT_SEARCH_COMMIT_EVERY or 5000].",
)
def index(
    paths: tuple[Path, ...],
    index_dir: Path | None,
    rebuild: bool,
    prune: bool,
    commit_every: int | None,
) -> None:
    """Add new and changed articles from PATHS (default: the source folders and the library)."""
    config = config_for(index_dir, commit_every=commit_every)
    report = run_index(config, list(paths) or None, rebuild=rebuild, prune=prune)
    for failure in report.failed:
        click.echo(f"failed: {failure.source}: {failure.reason}", err=True)
    click.echo(f"{config.index_dir}: {report.summary()}")
    if report.failed:
        sys.exit(1)


def run_index(config: Config, paths: list[Path] | None, **kwargs: bool) -> ingest.IndexReport:
    """Index ``paths`` (None: the source folders and the library) with a progress bar."""
    bar = None
    show = sys.stderr.isatty()

    def progress(done: int, total: int, name: str) -> None:
        nonlocal bar
        if not show:
            return
        if bar is None:
            bar = click.progressbar(
                length=total,
                label="indexing",
                file=sys.stderr,
                item_show_func=lambda s: s,
                show_pos=True,
                show_percent=True,
                # Batches finish in steps of thousands of articles: a time left read from
                # them would jump about.
                show_eta=False,
                # Draw every call, a new file or stage with no article done included: the
                # final merge is named while it runs, not after.
                update_min_steps=0,
            )
            bar.__enter__()
        bar.length = total
        bar.update(done - bar.pos, name)

    def waiting(message: str) -> None:
        click.echo(message, err=True)

    try:
        return ingest.index_sources(config, paths, progress=progress, on_wait=waiting, **kwargs)
    except (errors.IndexError_, LibraryError) as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@INDEX_OPTION
def add(files: tuple[Path, ...], index_dir: Path | None) -> None:
    """Keep FILES in the source library and index them, as an upload does."""
    config = config_for(index_dir)
    try:
        report = ingest.add_files(config, [(f.name, f.read_bytes()) for f in files])
    except (errors.IndexError_, LibraryError) as exc:
        raise click.ClickException(str(exc)) from exc
    for failure in report.failed:
        click.echo(f"failed: {failure.source}: {failure.reason}", err=True)
    click.echo(f"{config.index_dir}: {report.summary()}")
    if report.failed:
        sys.exit(1)


@main.command()
@click.argument("query", required=False)
@INDEX_OPTION
@click.option("--limit", type=click.IntRange(1, 1000), default=None, help="Hits to show.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@click.option(
    "--queries",
    type=click.File("r", encoding="utf-8"),
    default=None,
    help="Batch mode: a file of qid<TAB>query lines; prints one JSON line per query.",
)
def search(
    query: str | None, index_dir: Path | None, limit: int | None, as_json: bool, queries
) -> None:
    """Search the index for QUERY."""
    library = _library(index_dir)
    if queries is not None:
        pairs = (line.rstrip("\n").split("\t", 1) for line in queries if "\t" in line)
        for qid, hits in library.search_batch(((q, t) for q, t in pairs), limit or 100):
            ranked = [{"id": i, "score": round(s, 4)} for i, s in hits]
            click.echo(json.dumps({"qid": qid, "hits": ranked}, ensure_ascii=False))
        return
    if not query:
        raise click.UsageError("give a QUERY or --queries FILE")
    result = library.search(query, pagesize=limit or 10, facets=False)
    if as_json:
        click.echo(json.dumps(result_json(result, notice_text), ensure_ascii=False))
        return
    for note in result.notices:
        click.echo(f"note: {notice_text(note)}")
    for exp in result.expansions:
        click.echo(f"also searched for {' / '.join(exp.added)} (alias of {exp.matched})")
    click.echo(f"{counts_text(result)} ({result.took_ms:.0f} ms)")
    for pc in result.phrases:
        click.echo(f'"{pc.phrase}" exactly: {pc.count}')
    for n, hit in enumerate(result.hits, 1):
        day = hit.published.date().isoformat() if hit.published else "undated"
        some = "" if hit.strict else "  (some of the words)"
        where = f"[{hit.outlet or 'unknown outlet'}, {day}]"
        click.echo(f"{n}. {_printable(hit.title)}  {where}  {hit.id}{some}")
        for p in hit.passages:
            click.echo(f"   {passage_text(p)}")
    if result.suggestion:
        click.echo(f"did you mean: {result.suggestion}")


# The core's notices (indexer.search.notices) as the command line says them.
NOTICES = {
    "not_a_date": "{value} is not a date (try 2024-05)",
    "terms_capped": "only the first {limit} terms were searched",
    "nothing_searchable": "nothing searchable in the query: try words or names",
    "only_stop_words": "the query has only very common words (the, of, and...)",
    "phrase_none": 'no article has "{phrase}" exactly; showing articles with its words',
    "phrase_capped": '"{phrase}" is very common: looked for in the {checked} best articles only',
    "phrase_excluded_words": '"{phrase}" is very common: every article with all its words was '
    "left out",
    "unwritten_word": 'no article has "{word}", so it was not searched as "{syllable}" alone',
}


def notice_text(note: Notice) -> str:
    """A core notice in English."""
    return NOTICES[note.code].format(**note.values)


def counts_text(result: SearchResult) -> str:
    """How many articles have the query's words, and how many have only some."""
    if result.concepts < 2:
        text = f"{result.total} articles"
    elif result.match == "any":
        text = f"{result.total} articles with any of the words"
    elif result.need >= result.concepts:
        text = f"{result.total} articles with all {result.concepts} words"
    else:
        text = f"{result.total} articles with at least {result.need} of the {result.concepts} words"
    if result.relaxed_total and result.match == "all":
        text += f", {result.relaxed_total} more with some"
    return text


# Control characters in an article (an escape sequence, a carriage return) must not reach a
# terminal as commands: each becomes a space.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _printable(text: str) -> str:
    return _CONTROL.sub(" ", text)


def passage_text(passage: Passage) -> str:
    """A passage as plain text, each match in bold.

    The bold is an ANSI style, which ``click.echo`` keeps for a terminal and drops when the
    output is piped or captured, so piped output is the passage's text exactly.
    """
    text, start = passage.text, passage.start
    parts, pos = [], start
    for s, e, _ in passage.marks:
        s, e = max(s, pos), min(e, passage.end)
        if s >= e:
            continue
        parts.append(_printable(text[pos - start : s - start]))
        parts.append(click.style(_printable(text[s - start : e - start]), bold=True))
        pos = e
    parts.append(_printable(text[pos - start :]))
    return "".join(parts)


@main.command()
@click.argument("ids", nargs=-1, required=True)
@INDEX_OPTION
def remove(ids: tuple[str, ...], index_dir: Path | None) -> None:
    """Remove the articles with these IDS (and their library copies)."""
    try:
        present = ingest.remove_ids(config_for(index_dir), list(ids))
    except (errors.IndexError_, LibraryError) as exc:
        raise click.ClickException(str(exc)) from exc
    for doc_id in ids:
        click.echo(f"{'removed' if doc_id in present else 'not found'}: {doc_id}")
    if len(present) != len(ids):
        sys.exit(1)


def _embedded_only(config: Config, command: str) -> None:
    """``command`` reads the embedded index's files: say so on the cluster backend."""
    if config.cluster is not None:
        raise click.ClickException(
            f"`summit-search {command}` reads the embedded index; with "
            "SUMMIT_SEARCH_BACKEND=opensearch ask the cluster (_cat/indices, _cluster/health)"
        )


@main.command()
@INDEX_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def stats(index_dir: Path | None, as_json: bool) -> None:
    """Show what the index holds."""
    config = config_for(index_dir)
    _embedded_only(config, "stats")
    try:
        info = index_stats(config.index_dir)
    except errors.IndexError_ as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(info, ensure_ascii=False))
        return
    for key, value in info.items():
        click.echo(f"{key}: {value}")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@INDEX_OPTION
def check(paths: tuple[Path, ...], index_dir: Path | None) -> None:
    """Read every stored article and posting; compare with PATHS and the library.

    PATHS default to the source folders. Give the same PATHS as to `index`: article ids are
    file names relative to them.
    """
    config = config_for(index_dir)
    _embedded_only(config, "check")
    try:
        report = check_index(config, list(paths) or list(config.source_dirs))
    except errors.IndexError_ as exc:
        raise click.ClickException(str(exc)) from exc
    for line in report.lines():
        click.echo(line)
    if not report.ok:
        sys.exit(1)

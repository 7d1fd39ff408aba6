"""Interface text in Korean and English, chosen from a cookie or the browser's languages."""

from __future__ import annotations

import re

from flask import Flask, g, request
from markupsafe import Markup, escape

from indexer.backends.errors import IndexError_
from indexer.documents import summits
from indexer.search.notices import Notice
from indexer.search.results import UNKNOWN, SearchResult
from webui.strings import LANGUAGE_NAMES, STRINGS

LANGUAGES = ("ko", "en")
COOKIE = "ui"


def ui_language() -> str:
    """The interface language: the switch's cookie, else the browser's preference, else ko."""
    if "ui" not in g:
        chosen = request.cookies.get(COOKIE)
        if chosen not in LANGUAGES:
            chosen = request.accept_languages.best_match(LANGUAGES) or "ko"
        g.ui = chosen
    return g.ui


def t(key: str, **values: object) -> str:
    """The interface string ``key`` in the current language, with ``values`` filled in."""
    text = STRINGS[ui_language()][key]
    return text.format(**values) if values else text


# A command or a setting in the interface's sentences is written in backticks, as in Markdown.
_CODE = re.compile(r"`([^`\n]+)`")


def code_spans(text: str) -> Markup:
    """Interface text as HTML: escaped, each `command` in backticks shown as <code>."""
    return Markup(_CODE.sub(r"<code>\1</code>", str(escape(text))))


def notice(note: Notice) -> str:
    """A core notice as a sentence in the interface language."""
    return t(f"notice_{note.code}", **note.values)


def index_problem(exc: IndexError_) -> str:
    """An index problem (missing, outdated, busy) as a sentence in the interface language."""
    return t(exc.code)


def summary(result: SearchResult) -> str:
    """The line above the results: how many articles, and what they have of the query."""
    ms = f"{result.took_ms:.0f}"
    if result.match == "any" and result.concepts > 1:
        return t("results_any", total=result.total, ms=ms)
    if result.concepts < 2:
        return t("results", total=result.total, ms=ms)
    key = "results_all" if result.need >= result.concepts else "results_share"
    return t(key, total=result.total, need=result.need, concepts=result.concepts, ms=ms)


def facet_label(name: str, value: str) -> str:
    """A facet value as the interface shows it: languages and summits named, unknown said."""
    if value == UNKNOWN:
        return t("unknown")
    if name == "lang":
        return language_name(value)
    if name == "summit":
        return summit_name(value)
    return value


def summit_name(summit_id: str) -> str:
    """A summit's name in the interface language (its id if the table does not know it)."""
    summit = summits.by_id(summit_id)
    return summit.name(ui_language()) if summit else summit_id


def all_summits() -> list[tuple[str, str]]:
    """(id, name in the interface language) of every summit, for the forms."""
    return [(s.id, s.name(ui_language())) for s in summits.summits()]


def language_name(code: str) -> str:
    """A language code as a word in the interface language."""
    return LANGUAGE_NAMES[ui_language()].get(code, code)


def init_app(app: Flask) -> None:
    """Offer ``t``, ``notice``, ``summary``, ``language_name``, ``ui_language`` to templates.

    And the filter ``code_spans``, for sentences that name a command.
    """
    app.jinja_env.globals.update(
        t=t,
        language_name=language_name,
        ui_language=ui_language,
        notice=notice,
        summary=summary,
        facet_label=facet_label,
        summit_name=summit_name,
        all_summits=all_summits,
        unknown=UNKNOWN,
    )
    app.jinja_env.filters["code_spans"] = code_spans

"""Interface text in Korean and English, chosen from a cookie or the browser's languages."""

from __future__ import annotations

from flask import Flask, g, request

from indexer import summits
from indexer.facets import UNKNOWN
from indexer.notices import Notice
from indexer.results import SearchResult
from indexer.store import IndexError_

LANGUAGES = ("ko", "en")
COOKIE = "ui"

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "tagline": "News coverage of the AI summits",
        "search_label": "Search the news",
        "search": "Search",
        "slash_hint": "Press / to jump here",
        "results": "{total} found · {ms} ms",
        "results_all": "{total} articles contain all {concepts} words · {ms} ms",
        "results_share": "{total} articles contain at least {need} of the {concepts} words "
        "· {ms} ms",
        "results_any": "{total} articles contain any of the words · {ms} ms",
        "relaxed_more": "{n} more with only some of the words",
        "relaxed_show": "show them",
        "relaxed_back": "only articles with all words",
        "relaxed_title": "Articles with some of the words",
        "phrase_count": "“{phrase}” exactly: {count}",
        "notice_not_a_date": "{value} is not a date (try 2024-05).",
        "notice_terms_capped": "Only the first {limit} terms were searched.",
        "notice_nothing_searchable": "Nothing in the query can be searched: try words or names.",
        "notice_only_stop_words": "The query has only very common words (the, of, and…): "
        "add a name or a topic.",
        "notice_phrase_none": "No article has “{phrase}” exactly; below are articles with "
        "its words.",
        "notice_phrase_capped": "“{phrase}” is very common: it was looked for in the {checked} "
        "best-matching articles only.",
        "notice_phrase_excluded_words": "“{phrase}” is very common: every article with all its "
        "words was left out.",
        "filters_on": "on",
        "unknown": "unknown",
        "undated_hidden": "{n} undated articles hidden",
        "undated_include": "include them",
        "undated_included": "Undated articles included",
        "undated_exclude": "leave them out",
        "past_end_title": "No results on page {page}",
        "past_end": "The results end on page {pages}.",
        "last_page": "Go to page {page}",
        "try_suggestion": "Search for {q}",
        "try_any": "Articles with any of the words",
        "concepts_label": "Step through",
        "concept_all": "all",
        "sort": "Sort",
        "relevance": "Relevance",
        "newest": "Newest",
        "oldest": "Oldest",
        "filters": "Filters",
        "outlet": "Outlet",
        "lang": "Language",
        "summit": "Summit",
        "dates": "Published",
        "from": "From",
        "to": "To",
        "apply": "Apply",
        "clear_filters": "Clear all filters",
        "remove_filter": "Remove filter",
        "did_you_mean": "Did you mean",
        "also_searched": "Also searched:",
        "alias_of": "for {matched}",
        "drop_alias": "Don't search {added}",
        "alias_off": "Not searching the other spellings of {matched}",
        "alias_on": "search them again",
        "none_title": "No articles found",
        "none_tips": "Check the spelling, use fewer words, remove a filter or a -exclusion, "
        "or try the Korean or English name (AI / 인공지능).",
        "failed": "The search could not be run. Try simpler words, or remove quotes and signs.",
        "ignored": "Ignored a malformed part of the address: {names}",
        "undated": "undated",
        "prev": "Previous",
        "next": "Next",
        "pages": "Pages",
        "quote": "Quote",
        "quote_md": "Copy as Markdown",
        "quote_text": "Copy with citation",
        "copy_link": "Copy link to this sentence",
        "copy_search_link": "Copy link with the search highlighted",
        "quote_selection": "Quote selection",
        "cite_article": "Cite this article",
        "copy": "Copy",
        "copied": "Copied",
        "copy_failed": "Copy failed: select the text and copy it by hand",
        "at_source": "At source",
        "permalink": "Permalink",
        "accessed": "accessed",
        "original": "Original article",
        "raw": "Saved text as downloaded",
        "clean": "Article text",
        "matches": "{n} matches",
        "prev_match": "Previous match",
        "next_match": "Next match",
        "back": "Back to results",
        "author": "Author",
        "published": "Published",
        "raw_note": "Everything that was saved, including what cleaning removed.",
        "help": "Search help",
        "examples": "Try:",
        "admin": "Admin",
        "token": "Admin token",
        "login": "Log in",
        "logout": "Log out",
        "bad_token": "That token is not right.",
        "upload_title": "Upload article files",
        "upload_hint": ".txt, .html or .jsonl; several at once",
        "upload": "Upload and index",
        "upload_details": "For every file of this upload (optional; fields a file declares, in "
        "its JSONL record or its page tags, come first)",
        "paste_title": "Paste an article",
        "title": "Title",
        "text": "Article text",
        "url": "URL",
        "id_optional": "ID (optional)",
        "auto": "detect",
        "add": "Add to the index",
        "reindex_title": "Reindex source folders",
        "reindex": "Reindex now",
        "reindex_running": "A reindex is already running.",
        "state_idle": "Not run since the server started.",
        "state_running": "Indexing…",
        "state_done": "Finished",
        "state_failed": "Failed",
        "job_counts": "{added} added, {updated} updated, {unchanged} unchanged, "
        "{removed} removed, {failed} failed",
        "report": "Result",
        "added": "Added",
        "updated": "Updated",
        "unchanged": "Unchanged",
        "rejected": "Rejected",
        "nothing_sent": "No file was chosen.",
        "error_404": "There is no such page or article.",
        "error_413": "The upload is too large (limit {limit}). Send fewer or smaller files.",
        "error_400": "The request was not understood.",
        "error_csrf": "The form had expired. Reload the page and try again.",
        "error_403": "Log in on the admin page first.",
        "error_405": "That address does not accept this kind of request.",
        "error_503": "The index is not available.",
        "index_error": "The index is not available.",
        "index_missing": "There is no index yet: build it with `summit-search index`.",
        "index_outdated": "The index was built by another version of Summit Search: rebuild it "
        "with `summit-search index --rebuild`.",
        "index_busy": "Another job is writing to the index; try again in a moment.",
        "home": "Home",
        "ui_switch": "한국어",
    },
    "ko": {
        "tagline": "AI 정상회의 보도 검색",
        "search_label": "기사 검색",
        "search": "검색",
        "slash_hint": "/ 키를 누르면 검색창으로 이동",
        "results": "기사 {total}건 · {ms}ms",
        "results_all": "단어 {concepts}개가 모두 들어간 기사 {total}건 · {ms}ms",
        "results_share": "단어 {concepts}개 중 {need}개 이상 들어간 기사 {total}건 · {ms}ms",
        "results_any": "단어가 하나라도 들어간 기사 {total}건 · {ms}ms",
        "relaxed_more": "일부 단어만 들어간 기사 {n}건 더",
        "relaxed_show": "모두 보기",
        "relaxed_back": "모든 단어가 들어간 기사만 보기",
        "relaxed_title": "일부 단어만 들어간 기사",
        "phrase_count": "“{phrase}” 구절 그대로: {count}건",
        "notice_not_a_date": "{value}: 날짜가 아닙니다 (예: 2024-05).",
        "notice_terms_capped": "앞의 검색어 {limit}개만 검색했습니다.",
        "notice_nothing_searchable": "검색할 수 있는 말이 없습니다. 단어나 이름으로 검색해 보세요.",
        "notice_only_stop_words": "the, of, and 같은 아주 흔한 영어 단어만 있습니다. "
        "이름이나 주제어를 넣어 보세요.",
        "notice_phrase_none": "“{phrase}” 구절이 그대로 들어간 기사는 없습니다. "
        "아래는 그 단어들이 들어간 기사입니다.",
        "notice_phrase_capped": "“{phrase}” 구절은 아주 흔해서 가장 관련 있는 기사 "
        "{checked}건에서만 찾았습니다.",
        "notice_phrase_excluded_words": "“{phrase}” 구절은 아주 흔해서, 그 단어가 모두 들어간 "
        "기사를 모두 뺐습니다.",
        "filters_on": "사용 중",
        "unknown": "알 수 없음",
        "undated_hidden": "날짜 없는 기사 {n}건이 빠졌습니다",
        "undated_include": "포함하기",
        "undated_included": "날짜 없는 기사도 포함했습니다",
        "undated_exclude": "빼기",
        "past_end_title": "{page}페이지에는 결과가 없습니다",
        "past_end": "결과는 {pages}페이지까지입니다.",
        "last_page": "{page}페이지로 가기",
        "try_suggestion": "{q}(으)로 검색",
        "try_any": "단어가 하나라도 들어간 기사 보기",
        "concepts_label": "단어별로 보기",
        "concept_all": "전체",
        "sort": "정렬",
        "relevance": "관련도순",
        "newest": "최신순",
        "oldest": "오래된순",
        "filters": "필터",
        "outlet": "매체",
        "lang": "언어",
        "summit": "정상회의",
        "dates": "게재일",
        "from": "부터",
        "to": "까지",
        "apply": "적용",
        "clear_filters": "필터 모두 해제",
        "remove_filter": "필터 해제",
        "did_you_mean": "이것을 찾으셨나요?",
        "also_searched": "함께 검색한 표기:",
        "alias_of": "({matched})",
        "drop_alias": "{added} 빼고 검색",
        "alias_off": "{matched}의 다른 표기는 검색하지 않는 중",
        "alias_on": "다시 포함",
        "none_title": "검색 결과가 없습니다",
        "none_tips": "맞춤법을 확인하거나, 검색어를 줄이거나, 필터나 -제외어를 빼 보세요. "
        "한국어·영어 표기를 바꿔 검색해도 됩니다 (인공지능 / AI).",
        "failed": "검색을 실행하지 못했습니다. 더 간단한 단어로, 따옴표나 기호 없이 검색해 보세요.",
        "ignored": "주소에서 잘못된 부분은 무시했습니다: {names}",
        "undated": "날짜 없음",
        "prev": "이전",
        "next": "다음",
        "pages": "페이지",
        "quote": "인용",
        "quote_md": "마크다운으로 복사",
        "quote_text": "출처와 함께 복사",
        "copy_link": "이 문장 링크 복사",
        "copy_search_link": "검색어 표시한 링크 복사",
        "quote_selection": "선택한 글 인용",
        "cite_article": "이 기사 인용하기",
        "copy": "복사",
        "copied": "복사했습니다",
        "copy_failed": "복사하지 못했습니다. 글을 선택해 직접 복사하세요",
        "at_source": "원문 위치",
        "permalink": "고유 링크",
        "accessed": "검색일",
        "original": "원문 기사",
        "raw": "저장된 원본 텍스트",
        "clean": "기사 본문",
        "matches": "일치 {n}곳",
        "prev_match": "이전 일치",
        "next_match": "다음 일치",
        "back": "검색 결과로",
        "author": "기자",
        "published": "게재일",
        "raw_note": "정리 과정에서 뺀 부분까지 저장된 그대로 보여 줍니다.",
        "help": "검색 도움말",
        "examples": "예시:",
        "admin": "관리",
        "token": "관리자 토큰",
        "login": "로그인",
        "logout": "로그아웃",
        "bad_token": "토큰이 맞지 않습니다.",
        "upload_title": "기사 파일 올리기",
        "upload_hint": ".txt, .html, .jsonl 파일, 여러 개 가능",
        "upload": "올리고 색인",
        "upload_details": "이번에 올리는 모든 파일에 적용 (선택; JSONL 항목이나 페이지 태그에 "
        "적힌 정보가 우선)",
        "paste_title": "기사 붙여 넣기",
        "title": "제목",
        "text": "기사 본문",
        "url": "URL",
        "id_optional": "ID (선택)",
        "auto": "자동 감지",
        "add": "색인에 추가",
        "reindex_title": "원본 폴더 다시 색인",
        "reindex": "지금 다시 색인",
        "reindex_running": "이미 다시 색인하는 중입니다.",
        "state_idle": "서버 시작 후 실행한 적 없음.",
        "state_running": "색인 중…",
        "state_done": "완료",
        "state_failed": "실패",
        "job_counts": "추가 {added} · 갱신 {updated} · 변경 없음 {unchanged} · 삭제 {removed} · "
        "실패 {failed}",
        "report": "결과",
        "added": "추가",
        "updated": "갱신",
        "unchanged": "변경 없음",
        "rejected": "거부",
        "nothing_sent": "선택한 파일이 없습니다.",
        "error_404": "페이지나 기사를 찾을 수 없습니다.",
        "error_413": "올린 파일이 너무 큽니다 (한도 {limit}). 파일 수나 크기를 줄여 주세요.",
        "error_400": "요청을 이해하지 못했습니다.",
        "error_csrf": "양식이 만료되었습니다. 페이지를 새로 고친 뒤 다시 시도하세요.",
        "error_403": "먼저 관리 페이지에서 로그인하세요.",
        "error_405": "이 주소는 이런 요청을 받지 않습니다.",
        "error_503": "색인을 사용할 수 없습니다.",
        "index_error": "색인을 사용할 수 없습니다.",
        "index_missing": "아직 색인이 없습니다. `summit-search index`로 만드세요.",
        "index_outdated": "다른 버전의 Summit Search로 만든 색인입니다. "
        "`summit-search index --rebuild`로 다시 만드세요.",
        "index_busy": "다른 작업이 색인을 쓰는 중입니다. 잠시 뒤 다시 시도하세요.",
        "home": "처음으로",
        "ui_switch": "English",
    },
}

LANGUAGE_NAMES = {
    "en": {"ko": "Korean", "en": "English", "zh": "Chinese"},
    "ko": {"ko": "한국어", "en": "영어", "zh": "중국어"},
}


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
    """Offer ``t``, ``notice``, ``summary``, ``language_name``, ``ui_language`` to templates."""
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

"""The main journeys in a real headless Chromium (Debian's), served by waitress."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser_support import (
    NEEDS_CHROMIUM,
    WIDTHS,
    Shot,
    api,
    hit_ids,
    log_in,
    options,
    overflows,
)
from conftest import ADMIN_TOKEN
from playwright import sync_api as playwright_sync

S002 = "002_4eef7aca86074d55.txt"
S003 = "003_d2343a382aed7d1a.txt"
UPLOAD_TEXT = (
    "캥거루어휘 정상회의 현장 메모\n\n"
    "회의장 밖에서 만난 참가자들은 캥거루어휘 라는 낯선 말을 두고 이야기를 나눴다.\n"
    "이 말은 브라우저 시험에서 올린 기사에만 들어 있다.\n"
)

pytestmark = NEEDS_CHROMIUM


def test_korean_search_with_highlights_and_a_filter(page: playwright_sync.Page, shot: Shot) -> None:
    page.goto("/help")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q"
    page.goto("/")
    page.locator("body").click()
    page.keyboard.press("/")
    page.keyboard.type("정상회의")
    page.keyboard.press("Enter")
    page.wait_for_url("**/?q=*")
    assert page.locator("#summary").inner_text().startswith("기사 4건")
    assert hit_ids(page)[0] == "001_7ad3c6ee62ab7cbe.txt"
    marks = page.locator("li.hit mark").all_inner_texts()
    assert marks and set(marks) <= {"정상회의", "정상", "회의"}
    assert page.locator("li.hit mark").first.evaluate("m => getComputedStyle(m).backgroundColor")
    shot(page, "search")
    page.locator('a.facet-value[data-facet="outlet"][data-value="쿠키뉴스"]').click()
    page.wait_for_url("**outlet=*")
    assert hit_ids(page) == [S002]
    assert page.locator('a.facet-value.on[data-value="쿠키뉴스"] .count').inner_text() == "1"
    shot(page, "search-filtered")
    page.go_back()
    assert len(hit_ids(page)) == 4
    page.select_option("select[name=sort]", "oldest")
    page.wait_for_url("**sort=oldest*")
    assert hit_ids(page)[:2] == ["001_7ad3c6ee62ab7cbe.txt", S002]


def test_article_view_and_match_navigation(page: playwright_sync.Page, shot: Shot) -> None:
    page.goto("/?q=유네스코")
    page.locator("li.hit h2 a").first.click()
    page.wait_for_url(f"**/articles/{S002}?q=*")
    assert page.locator("h1").inner_text().startswith("유네스코 협약")
    assert page.locator("#match-count").inner_text() == "일치 6곳"
    page.locator("#next-match").click()
    assert page.locator("#match-count").inner_text() == "1 / 6"
    assert page.locator("#body mark.current").inner_text() == "유네스코"
    page.locator("#next-match").click()
    assert page.locator("#match-count").inner_text() == "2 / 6"
    assert page.locator("#body mark.current").is_visible()
    page.locator("#prev-match").click()
    page.locator("#prev-match").click()
    assert page.locator("#match-count").inner_text() == "6 / 6"
    page.locator("#next-match").click()
    shot(page, "article")
    page.locator("#raw-link").click()
    page.wait_for_url("**view=raw*")
    assert "기사승인 2024-05-23 14:41:12" in page.locator("#raw").inner_text()


@WIDTHS
def test_quote_copies_the_exact_passage(
    page: playwright_sync.Page, base_url: str, shot: Shot
) -> None:
    page.goto("/?q=기본법")
    passage = api(base_url, "/api/search?q=%EA%B8%B0%EB%B3%B8%EB%B2%95")["hits"][0]["passages"][0]
    body = api(base_url, f"/api/articles/{S003}")["body"]
    quote = page.locator("li.hit details.quote").first
    quote.locator("summary").click()
    quote.locator("button[data-format=plain]").click()
    quote.locator(".quote-status").wait_for(state="visible")
    copied = page.evaluate("navigator.clipboard.readText()")
    text, citation = copied.split("\n\n— ")
    assert text == body[passage["start"] : passage["end"]] == passage["text"]
    assert citation.startswith("대한민국 정책브리핑, “[과기정통부] 인공지능 행동 정상회의")
    assert quote.locator(".quote-status").inner_text() == "복사했습니다"
    quote.locator("button[data-format=markdown]").click()
    markdown = page.evaluate("navigator.clipboard.readText()")
    assert markdown.startswith(f"> {passage['text']}\n>\n> — 대한민국 정책브리핑")
    assert not overflows(page)
    shot(page, f"quote-menu-{page.viewport_size['width']}")
    # The permalink points at the sentence, highlights just it, and carries no search.
    quote.locator("a.permalink").click()
    page.wait_for_url("**#s*")
    assert "?q=" not in page.url
    target = page.locator(".s:target")
    assert target.inner_text() == passage["text"]
    assert target.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 240, 194)"
    shot(page, f"sentence-permalink-{page.viewport_size['width']}")


@WIDTHS
def test_cite_this_article_and_quote_a_selection(
    page: playwright_sync.Page, base_url: str, shot: Shot
) -> None:
    page.goto(f"/articles/{S002}")
    page.locator("#cite > summary").click()
    assert page.locator("#cite-bibtex").inner_text().startswith("@article{article2024-")
    page.locator("button.cite-copy[data-target=cite-ris]").click()
    assert page.evaluate("navigator.clipboard.readText()").startswith("TY  - NEWS")
    # Select a few words of one paragraph: the floating button quotes exactly them.
    assert page.locator("#selection-quote").is_hidden()
    paragraph = api(base_url, f"/api/articles/{S002}")["paragraphs"][1]
    page.evaluate(
        """(id) => {
          const node = document.getElementById(id).querySelector(".s").firstChild;
          const range = document.createRange();
          range.setStart(node, 0);
          range.setEnd(node, 12);
          document.getSelection().removeAllRanges();
          document.getSelection().addRange(range);
        }""",
        paragraph["anchor"],
    )
    page.locator("#selection-quote").wait_for(state="visible")
    page.locator("#quote-selection").click()
    text, citation = page.evaluate("navigator.clipboard.readText()").split("\n\n— ")
    assert text == paragraph["text"][:12].strip()
    assert citation.startswith("쿠키뉴스, “유네스코 협약")
    shot(page, f"selection-quote-{page.viewport_size['width']}")
    # Lines that are not sentences (the ◇ subheads of S000) get no quote tools.
    page.goto("/articles/000_c757f4b4d642b6d7.txt")
    assert (
        page.locator("#p2").inner_text().strip().endswith("◇’안전·혁신·포용’ 담은 서울 의향서 채택")
    )
    assert page.locator("#p2 details.quote").count() == 0
    assert page.locator("#p3 details.quote").count() == 1
    assert not overflows(page)


def test_admin_upload_then_find_it(
    page: playwright_sync.Page, tmp_path: Path, base_url: str, shot: Shot
) -> None:
    page.goto("/admin")
    page.fill("#token", "wrong")
    page.click("form[action='/admin/login'] button")
    assert page.locator(".error-msg").inner_text() == "토큰이 맞지 않습니다."
    page.fill("#token", ADMIN_TOKEN)
    page.click("form[action='/admin/login'] button")
    page.wait_for_selector("#files")
    article = tmp_path / "캥거루 기사.txt"
    article.write_text(UPLOAD_TEXT, encoding="utf-8")
    page.set_input_files("#files", [str(article)])
    page.click("form[action='/admin/upload'] button")
    page.wait_for_selector("#report")
    assert page.locator("#report tr.added td").inner_text() == "uploads/캥거루_기사.txt"
    shot(page, "admin-upload")
    page.click("#reindex")
    # A locator, not wait_for_function: the page's CSP forbids the eval that would need.
    page.locator("#job[data-state=done]").wait_for()
    # The reindex reads the source library too: the upload is one of the six, unchanged.
    assert page.locator("#job-text").inner_text().startswith("완료: 추가 0 · 갱신 0 · 변경 없음 6")
    shot(page, "admin")
    page.goto("/")
    page.fill("#q", "캥거루어휘")
    page.press("#q", "Enter")
    page.wait_for_url("**/?q=*")
    assert hit_ids(page) == ["uploads/캥거루_기사.txt"]
    assert page.locator("li.hit mark").first.inner_text() == "캥거루어휘"


@pytest.mark.parametrize(
    ("locale", "summary", "relaxed", "title"),
    [
        (
            "ko-KR",
            "단어 3개가 모두 들어간 기사 4건",
            "일부 단어만 들어간 기사 1건 더",
            "일부 단어만 들어간 기사",
        ),
        (
            "en-US",
            "4 articles contain all 3 words",
            "1 more with only some of the words",
            "Articles with some of the words",
        ),
    ],
)
def test_strict_and_relaxed_counts(
    browser: playwright_sync.Browser,
    base_url: str,
    locale: str,
    summary: str,
    relaxed: str,
    title: str,
    shot: Shot,
) -> None:
    context = browser.new_context(
        base_url=base_url, locale=locale, viewport={"width": 1280, "height": 900}
    )
    tab = context.new_page()
    tab.goto("/?q=AI 안전 서약")
    assert tab.locator("#summary").inner_text().startswith(summary)
    assert tab.locator("#relaxed-count").inner_text().startswith(relaxed)
    assert tab.locator("#relaxed-title").inner_text() == title
    assert tab.locator("ol.hits.relaxed li.hit").evaluate_all(
        "els => els.map(e => e.dataset.id)"
    ) == [S003]
    shot(tab, f"relaxed-{locale}")
    tab.locator("#relaxed-count a").click()
    tab.wait_for_url("**match=any*")
    assert len(hit_ids(tab)) == 5 and tab.locator("#relaxed-title").count() == 0
    context.close()


def test_match_bar_steps_through_one_word(page: playwright_sync.Page, shot: Shot) -> None:
    page.goto("/articles/001_7ad3c6ee62ab7cbe.txt?q=AI 안전 서약")
    assert page.locator("#match-count").inner_text() == "일치 55곳"
    steps = page.locator("button.concept-step")
    assert steps.all_inner_texts() == ["전체", "AI 40", "안전 12", "서약 3"]
    steps.nth(3).click()
    assert page.locator("#match-count").inner_text() == "1 / 3"
    assert page.locator("#body mark.current").inner_text() == "서약"
    page.locator("#next-match").click()
    page.locator("#next-match").click()
    page.locator("#next-match").click()
    assert page.locator("#match-count").inner_text() == "1 / 3"
    assert page.locator("#body mark.dim").count() == 52
    shot(page, "article-concept")
    steps.first.click()
    assert page.locator("#match-count").inner_text() == "1 / 55"


SPLIT_WORDS = """
() => {
  // Every run of Hangul in the page's text: the lines its letters lie on.
  const split = [];
  const walker = document.createTreeWalker(document.querySelector("main"), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    // Text not on screen (a closed menu) has no lines to break.
    if (!node.parentElement.checkVisibility({ contentVisibilityAuto: true })) continue;
    for (const m of node.data.matchAll(/[\\uac00-\\ud7a3]+/g)) {
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const tops = new Set(Array.from(range.getClientRects(), (r) => Math.round(r.top)));
      if (tops.size > 1) split.push(m[0]);
    }
  }
  return split;
}
"""


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (390, 844)])
@pytest.mark.parametrize("url", ["/?q=AI 안전 서약", "/articles/001_7ad3c6ee62ab7cbe.txt?q=AI"])
def test_no_korean_word_is_split_across_lines(
    browser: playwright_sync.Browser, base_url: str, url: str, width: int, height: int
) -> None:
    context = browser.new_context(
        base_url=base_url, locale="ko-KR", viewport={"width": width, "height": height}
    )
    tab = context.new_page()
    tab.goto(url)
    words = tab.evaluate("() => document.querySelector('main').innerText.length")
    assert words > 1000  # a page full of Korean text
    assert tab.evaluate(SPLIT_WORDS) == []
    context.close()


def test_a_phone_folds_the_filters_above_the_results(
    browser: playwright_sync.Browser, base_url: str, shot: Shot
) -> None:
    context = browser.new_context(
        base_url=base_url,
        locale="ko-KR",
        viewport={"width": 390, "height": 844},
        has_touch=True,
        is_mobile=True,
    )
    tab = context.new_page()
    tab.goto("/?q=AI")
    panel = tab.locator("#filters")
    assert panel.get_attribute("open") is None  # folded
    assert tab.locator("#filters > summary").is_visible()
    box, first_hit = panel.bounding_box(), tab.locator("li.hit").first.bounding_box()
    assert box is not None and first_hit is not None and box["y"] < first_hit["y"]
    assert not tab.locator(".kbd-hint").is_visible()  # no "/" shortcut without a keyboard
    tab.locator("#filters > summary").click()
    assert tab.locator('a.facet-value[data-value="쿠키뉴스"]').is_visible()
    shot(tab, "phone-filters")
    context.close()
    wide = browser.new_context(
        base_url=base_url, locale="ko-KR", viewport={"width": 1280, "height": 900}
    )
    tab = wide.new_page()
    tab.goto("/?q=AI")
    assert tab.locator("#filters").get_attribute("open") == ""
    assert not tab.locator("#filters > summary").is_visible()
    assert tab.locator(".kbd-hint").is_visible()
    wide.close()


@WIDTHS
def test_admin_lists_filters_and_deletes_a_paste(page: playwright_sync.Page, shot: Shot) -> None:
    log_in(page, "/admin/articles")  # the login comes back to the list
    assert page.url == page.url.split("/admin")[0] + "/admin/articles"
    count = page.locator("#list-count").inner_text()
    page.goto("/admin")
    page.fill("form.paste input[name=title]", "지울 브라우저 메모")
    page.fill(
        "form.paste textarea[name=text]", "브라우저에서 붙여넣은 메모다. 쿼카지움 이라는 말이 있다."
    )
    page.click("form.paste button")
    page.wait_for_selector("#report")
    page.click("#articles-link")
    total = int(re.sub(r"\D", "", count))
    assert page.locator("#list-count").inner_text() == f"색인된 기사 {total + 1}건"
    assert page.locator("li.entry").first.get_attribute("data-id") == "pasted/f6d8aaed30e9"
    page.select_option("#list-origin", "paste")
    page.click("form.list-filters button")
    page.wait_for_url("**origin=paste**")
    assert page.locator("li.entry").evaluate_all("els => els.map(e => e.dataset.id)") == [
        "pasted/f6d8aaed30e9"
    ]
    assert not overflows(page)
    shot(page, f"admin-list-{page.viewport_size['width']}")
    page.locator("li.entry a.delete").first.click()
    assert page.locator("#delete-note").inner_text() == (
        "색인에서 지우고 보관함의 파일 f6d8aaed30e9.jsonl도 지웁니다. "
        "다시 색인해도 돌아오지 않습니다."
    )
    page.click("#delete-confirm")
    assert page.locator("#removed").inner_text() == "‘지울 브라우저 메모’ 기사를 삭제했습니다."
    assert page.locator("#list-count").inner_text() == f"색인된 기사 {total}건"
    assert page.locator("li.entry[data-origin=paste]").count() == 0


@WIDTHS
def test_the_search_box_completes_half_typed_korean(page: playwright_sync.Page, shot: Shot) -> None:
    page.goto("/")
    box = page.locator("#q")
    assert box.get_attribute("aria-expanded") == "false"
    box.press_sequentially("앤ㅌ")  # the input method's state on the way to 앤트
    page.locator("#q-suggest[role=listbox]:not([hidden])").wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    labels = page.locator("#q-suggest [role=group]").evaluate_all(
        "els => els.map(e => e.getAttribute('aria-label'))"
    )
    assert labels == ["검색어", "기사"]
    assert options(page)[0] == "앤트로픽"
    assert page.locator("#q-suggest .suggest-count").first.inner_text() == "기사 4건"
    assert not overflows(page)
    shot(page, f"suggest-{page.viewport_size['width']}")
    box.press("ArrowDown")
    first = page.locator("#q-suggest [role=option]").first
    assert first.get_attribute("aria-selected") == "true"
    assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
    box.press("Enter")
    page.wait_for_url("**/?q=*")
    assert page.locator("#q").input_value() == "앤트로픽"
    assert len(hit_ids(page)) == 4


def test_suggestions_keyboard_escape_and_titles(page: playwright_sync.Page) -> None:
    page.goto("/help")  # the small box in the header suggests too
    box = page.locator("#q")
    box.press_sequentially("기본ㅂ")
    page.locator("#q-suggest:not([hidden])").wait_for()
    assert options(page) == [
        "기본법",
        "[과기정통부] 인공지능 행동 정상회의, 공공성과 지속가능성 논의",
    ]
    box.press("Escape")
    assert page.locator("#q-suggest").is_hidden()
    assert box.get_attribute("aria-expanded") == "false"
    box.press("Backspace")
    box.press_sequentially("ㅂ")
    page.locator("#q-suggest:not([hidden])").wait_for()
    for _ in range(2):
        box.press("ArrowDown")
    box.press("Enter")  # the second option: an article's title opens the article
    page.wait_for_url("**/articles/003_d2343a382aed7d1a.txt")


@WIDTHS
def test_the_readme_screenshot_page(page: playwright_sync.Page, shot: Shot) -> None:
    # The README's screenshots are these (tests/bench/screenshots.py copies them); the second
    # visit shows a warm search's time, not the first one's dictionary loading.
    page.goto("/?q=서울 정상회의")
    page.reload()
    # The four that name the Seoul summit, one word in any of its spellings (003 in Korean
    # and English; an upload of another test may follow them).
    assert hit_ids(page)[:4] == [
        "001_7ad3c6ee62ab7cbe.txt",
        S003,
        S002,
        "000_c757f4b4d642b6d7.txt",
    ]
    assert page.locator("#summary").inner_text().startswith("기사 4건 · ")
    assert not overflows(page)
    shot(page, f"readme-results-{page.viewport_size['width']}")


@WIDTHS
def test_empty_and_past_the_end_pages_say_what_to_do(
    page: playwright_sync.Page, shot: Shot
) -> None:
    page.goto("/?q=쿼카쿼카 유네스코&outlet=전자신문")
    assert page.locator("#empty h2").is_visible()
    results, main = page.locator(".results").bounding_box(), page.locator("main").bounding_box()
    assert results is not None and main is not None
    assert results["width"] > main["width"] * 0.6  # the whole width, not the filter column
    assert page.locator("#try-any").is_visible() and page.locator("#try-unfiltered").is_visible()
    assert not overflows(page)
    shot(page, f"empty-{page.viewport_size['width']}")
    page.locator("#try-unfiltered").click()
    page.wait_for_url("**/?q=*")
    assert "outlet" not in page.url
    assert hit_ids(page) == [S002, S003]  # 유네스코, without the outlet that had none
    page.goto("/?q=AI&page=9")
    assert page.locator("#past-end h2").inner_text() == "9페이지에는 결과가 없습니다"
    page.locator("#last-page").click()
    page.locator("li.hit").first.wait_for()
    assert page.locator("#past-end").count() == 0
    assert len(hit_ids(page)) >= 5


@WIDTHS
def test_a_date_range_says_what_it_hides(page: playwright_sync.Page, shot: Shot) -> None:
    page.goto("/?q=공공성&from=2024-01-01")
    note = page.locator("#undated")
    assert note.is_visible()  # beside the count, also where the filter panel is folded
    assert note.inner_text() == "날짜 없는 기사 1건이 빠졌습니다 · 포함하기"
    assert hit_ids(page) == []
    note.locator("a").click()
    page.wait_for_url("**undated=1*")
    assert hit_ids(page) == [S003]
    assert page.locator("#undated").inner_text().startswith("날짜 없는 기사도 포함했습니다")
    shot(page, f"undated-{page.viewport_size['width']}")


@WIDTHS
def test_an_upload_with_its_details(page: playwright_sync.Page, tmp_path: Path) -> None:
    width = page.viewport_size["width"]
    name = f"details-{width}.txt"
    article = tmp_path / name
    article.write_text(
        "서울 회의 뒷이야기\n\n회의장 밖에서 기자들이 만난 사람들은 펭귄어휘 를 이야기했다.\n",
        encoding="utf-8",
    )
    log_in(page)
    page.set_input_files("#files", [str(article)])
    page.fill("#up-outlet", "한빛일보")
    page.fill("#up-published", "2024-05-22")
    page.fill("#up-url", "https://example.com/penguin")
    page.select_option("#up-summit", "Seoul 2024")
    assert not overflows(page)
    page.click("form[action='/admin/upload'] button")
    page.wait_for_selector("#report")
    page.goto("/?q=펭귄어휘")
    hit = page.locator(f'li.hit[data-id="uploads/{name}"]')
    meta = hit.locator(".meta").inner_text()
    assert "한빛일보" in meta and "2024-05-22" in meta and "AI 서울 정상회의 (2024)" in meta
    page.goto(f"/articles/uploads/{name}")
    page.locator("#cite > summary").click()
    assert (
        page.locator("#cite-plain")
        .inner_text()
        .startswith("한빛일보, “서울 회의 뒷이야기”, 2024-05-22. https://example.com/penguin")
    )
    # Leave the shared index as it was: delete the upload again.
    page.goto(f"/admin/articles/delete?id=uploads/{name}")
    page.click("#delete-confirm")
    assert page.locator("#removed").is_visible()

"""The search box's suggestions and corrections in Chromium, at desktop and phone widths."""

from __future__ import annotations

import re
from urllib.parse import quote

from browser_support import NEEDS_CHROMIUM, WIDTHS, Shot, api, hit_ids, options, overflows
from playwright import sync_api as playwright_sync

pytestmark = NEEDS_CHROMIUM


@WIDTHS
def test_a_suggestions_count_is_what_its_search_finds(
    page: playwright_sync.Page, base_url: str, shot: Shot
) -> None:
    page.goto("/")
    box = page.locator("#q")
    box.press_sequentially("AI 안전 연")
    page.locator("#q-suggest[role=listbox]:not([hidden])").wait_for()
    counts = page.locator("#q-suggest .suggest-count").all_inner_texts()
    texts = options(page)[: len(counts)]
    assert texts[:3] == ["AI 안전 연구", "AI 안전 연구원", "AI 안전 연합"]
    assert counts[:3] == ["기사 5건", "기사 3건", "기사 2건"]
    # Every count is the total of the search the suggestion runs.
    totals = [api(base_url, f"/api/search?q={quote(t)}")["total"] for t in texts]
    assert counts == [f"기사 {n}건" for n in totals]
    assert not overflows(page)
    shot(page, f"suggest-counts-{page.viewport_size['width']}")
    box.press("ArrowDown")
    box.press("ArrowDown")
    box.press("Enter")  # AI 안전 연구원: the results page says what the suggestion said
    page.wait_for_url("**/?q=*")
    assert box.input_value() == "AI 안전 연구원"
    summary = page.locator("#summary").inner_text()
    assert re.fullmatch(r"단어 3개가 모두 들어간 기사 3건 · \d+ms", summary)
    assert page.locator("li.hit:not([data-relaxed])").count() == 3


@WIDTHS
def test_a_word_no_article_writes_is_corrected(page: playwright_sync.Page, shot: Shot) -> None:
    page.goto("/?q=서얄")
    notice = page.locator("p.notice[data-code=unwritten_word]")
    assert notice.inner_text() == (
        "“서얄”: 이렇게 쓴 기사가 없어 “서” 한 글자만으로는 찾지 않았습니다."
    )
    assert hit_ids(page) == []
    assert page.locator("#suggestion").inner_text() == "서약"
    assert not overflows(page)
    shot(page, f"unwritten-word-{page.viewport_size['width']}")
    page.click("#suggestion")
    page.wait_for_url("**/?q=%EC%84%9C%EC%95%BD")
    assert len(hit_ids(page)) == 4
    assert page.locator("p.notice[data-code=unwritten_word]").count() == 0

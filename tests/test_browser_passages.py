"""What a hit's passages show on the results page, at desktop and phone widths."""

from __future__ import annotations

from browser_support import NEEDS_CHROMIUM, WIDTHS, Shot, hit_ids, overflows
from playwright import sync_api as playwright_sync

pytestmark = NEEDS_CHROMIUM

S000 = "000_c757f4b4d642b6d7.txt"
S001 = "001_7ad3c6ee62ab7cbe.txt"


def passages(page: playwright_sync.Page, doc_id: str) -> list[str]:
    """The passage texts a hit shows, in order."""
    return page.locator(f'li.hit[data-id="{doc_id}"] blockquote.passage > p').all_inner_texts()


def marked(page: playwright_sync.Page, doc_id: str) -> list[str]:
    """The marked words of a hit's first passage."""
    first = page.locator(f'li.hit[data-id="{doc_id}"] blockquote.passage').first
    return first.locator("mark").all_inner_texts()


@WIDTHS
def test_the_first_passage_holds_the_phrase(page: playwright_sync.Page, shot: Shot) -> None:
    page.goto('/?q="AI 안전 서약"')
    assert hit_ids(page)[:2] == [S001, S000]
    for doc_id in (S001, S000):
        assert "프론티어 AI 안전서약" in passages(page, doc_id)[0]
    assert marked(page, S001) == ["AI", "안전", "서약"]
    assert marked(page, S000) == ["AI", "AI", "안전", "서약"]
    assert not overflows(page)
    shot(page, f"passages-phrase-{page.viewport_size['width']}")


@WIDTHS
def test_no_passage_repeats_the_title(page: playwright_sync.Page, shot: Shot) -> None:
    page.goto("/?q=서울정상회의")
    hit = page.locator(f'li.hit[data-id="{S000}"]')
    title = hit.locator("h2.hit-title").inner_text()
    assert title.startswith("인공지능(AI) 서울정상회의와")
    shown = passages(page, S000)
    assert [p[:12] for p in shown] == ["윤석열 대통령은 21일", "윤 대통령은 “대한민국"]
    assert not any(p.startswith(title[:20]) for p in shown)
    hit.scroll_into_view_if_needed()
    shot(page, f"passages-title-{page.viewport_size['width']}")

"""The search page, its filters, the help and the admin pages in Chromium, desktop and phone.

The index is the bundled corpus and the markup fixture, plus articles these tests need: four
undated ones with outlets (one without), thirty that fill fifteen pages, one with a long id.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from browser_support import NEEDS_CHROMIUM, WIDTHS, Shot, hit_ids, log_in, overflows
from conftest import SCRIPT_ARTICLE, index_paths
from playwright import sync_api as playwright_sync

from indexer.config import CORPUS_DIR

pytestmark = NEEDS_CHROMIUM

LONG_ID = "보관/인공지능_안전_연구소_네트워크_출범과_한미_영국_협력_방안_발표_전문"
RECORDS = [
    SCRIPT_ARTICLE,
    {
        "id": "north-1",
        "text": "북극곰 보호 구역이 넓어졌다. 연구진이 발표했다.",
        "outlet": "가나일보",
    },
    {"id": "north-2", "text": "북극곰 개체 수가 늘었다. 조사단이 밝혔다.", "outlet": "가나일보"},
    {"id": "north-3", "text": "북극곰 서식지를 취재했다. 현장은 추웠다."},
    {"id": "north-4", "text": "서울 정상회의 참가국이 북극곰 영상을 보았다.", "outlet": "다라뉴스"},
    *(
        {"id": f"page-{n:02}", "text": f"쪽수시험 기사 {n}번이다. 내용은 {n}번째 이야기다."}
        for n in range(1, 31)
    ),
    {"id": LONG_ID, "text": "긴 아이디를 가진 기사다. longidcheck 라는 말이 있다."},
]


@pytest.fixture(scope="module")
def corpus_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This module's index (the browser server of ``browser_support`` serves a copy of it)."""
    src = tmp_path_factory.mktemp("searchpage-src")
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS)
    (src / "searchpage.jsonl").write_text(lines, encoding="utf-8")
    index_dir = tmp_path_factory.mktemp("searchpage-index") / "index"
    report = index_paths(index_dir, [CORPUS_DIR, src])
    assert not report.failed
    return index_dir


def width(page: playwright_sync.Page) -> int:
    return page.viewport_size["width"] if page.viewport_size else 0


# How many lines an element's text takes: its text's boxes grouped by their vertical middle.
LINES = """el => {
  const range = document.createRange();
  range.selectNodeContents(el);
  const middles = [...range.getClientRects()].filter(r => r.width > 0)
    .map(r => (r.top + r.bottom) / 2).sort((a, b) => a - b);
  return middles.filter((m, i) => i === 0 || m - middles[i - 1] > 4).length;
}"""


def lines(locator: playwright_sync.Locator) -> int:
    return locator.evaluate(LINES)


def box(locator: playwright_sync.Locator) -> dict[str, float]:
    found = locator.bounding_box()
    assert found is not None
    return found


def same_line(a: playwright_sync.Locator, b: playwright_sync.Locator) -> bool:
    """True if the two boxes share a line (each one's middle within the other's height)."""
    one, two = box(a), box(b)
    middle = one["y"] + one["height"] / 2
    return two["y"] <= middle <= two["y"] + two["height"]


def open_filters(page: playwright_sync.Page) -> None:
    """Unfold the filter panel where a phone folds it."""
    if page.locator("#filters").get_attribute("open") is None:
        page.locator("#filters > summary").click()


# --- a date range that hides only undated articles (item 12) ---------------------------------


@WIDTHS
def test_a_range_with_only_undated_matches_says_so(page: playwright_sync.Page, shot: Shot) -> None:
    page.goto("/?q=북극곰&from=2024-01-01&to=2024-12-31")
    assert page.locator("#empty-undated h2").inner_text() == "이 기간에 게재된 기사는 없습니다"
    note = page.locator("#undated")
    assert note.inner_text() == "날짜 없는 기사 4건이 빠졌습니다 · 포함하기"
    # In the first screen, at the size of the text around it, on a background of its own.
    assert box(note)["y"] + box(note)["height"] <= page.viewport_size["height"]
    assert note.evaluate("el => getComputedStyle(el).fontSize") == "16px"
    assert note.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(238, 244, 255)"
    assert page.locator("#empty").count() == 0  # no spelling tips: the cause is known
    assert page.locator("#try-no-dates").inner_text() == "날짜 범위 지우기"
    assert page.get_by_role("link", name="필터 모두 해제", include_hidden=True).count() == 1
    assert not overflows(page)
    shot(page, f"undated-only-{width(page)}")
    # The other filters stay, counting what "include them" brings back.
    open_filters(page)
    assert page.locator("#facets-undated").inner_text() == (
        "아래 수는 빠진 날짜 없는 기사 4건 기준입니다"
    )
    outlets = page.locator("#facet-outlet .facet-value")
    assert outlets.evaluate_all(
        "els => els.map(e => [e.dataset.value, e.querySelector('.count').textContent])"
    ) == [["가나일보", "2"], ["다라뉴스", "1"], ["-", "1"]]
    shot(page, f"undated-only-filters-{width(page)}")
    page.locator('#facet-outlet a[data-value="가나일보"]').click()
    page.wait_for_url("**undated=1*")
    assert sorted(hit_ids(page)) == ["north-1", "north-2"]
    note.locator("a").wait_for()
    assert note.inner_text().startswith("날짜 없는 기사도 포함했습니다")


@WIDTHS
def test_what_a_range_hides_is_plain_beside_the_results(
    page: playwright_sync.Page, shot: Shot
) -> None:
    page.goto("/?q=정상회의&from=2024-05-01")
    assert hit_ids(page)[:2] == ["001_7ad3c6ee62ab7cbe.txt", "002_4eef7aca86074d55.txt"]
    note = page.locator("#undated")
    assert note.inner_text() == "날짜 없는 기사 3건이 빠졌습니다 · 포함하기"
    assert box(note)["y"] + box(note)["height"] <= page.viewport_size["height"]
    assert note.evaluate("el => getComputedStyle(el).fontSize") == "16px"
    assert note.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(238, 244, 255)"
    shot(page, f"undated-beside-{width(page)}")


# --- phone layout (item 16) ------------------------------------------------------------------


@WIDTHS
def test_the_admin_list_keeps_its_actions_and_date_range_whole(
    page: playwright_sync.Page, shot: Shot
) -> None:
    log_in(page, "/admin")
    page.fill("form.paste input[name=title]", "긴 아이디 붙여넣기")
    page.fill("form.paste input[name=id]", f"pasted/{LONG_ID.split('/')[1]}_{width(page)}")
    page.fill("form.paste textarea[name=text]", "긴 아이디로 붙여넣은 기사다. 삭제 단추를 본다.")
    page.click("form.paste button")
    page.wait_for_selector("#report")
    page.goto("/admin/articles")
    pasted = f"pasted/{LONG_ID.split('/')[1]}_{width(page)}"
    assert page.locator("li.entry").first.get_attribute("data-id") == pasted
    for doc_id, action, listed in (
        (pasted, "삭제", ""),
        (LONG_ID, "지우는 방법", "?q=longidcheck"),
    ):
        page.goto(f"/admin/articles{listed}")
        link = page.locator(f'li.entry[data-id="{doc_id}"] .entry-id .delete')
        assert link.inner_text() == action
        assert link.evaluate("el => getComputedStyle(el).whiteSpace") == "nowrap"
        assert lines(link) == 1
    # "~" stays with the date after it.
    tilde = page.locator(".range-to > span")
    assert tilde.inner_text() == "~"
    assert same_line(tilde, page.locator("#list-to"))
    assert not overflows(page)
    shot(page, f"admin-list-whole-{width(page)}")


@WIDTHS
def test_the_help_table_breaks_examples_only_at_their_spaces(
    page: playwright_sync.Page, shot: Shot
) -> None:
    page.goto("/help")
    words = page.locator(".help td code .tok")
    assert words.count() == 28
    assert words.evaluate_all("els => els.map(e => e.textContent)")[-3:] == [
        "2024",
        "2024-05-21",
        "2024..2025-02",
    ]
    assert [lines(words.nth(n)) for n in range(words.count())] == [1] * 28
    # What a reader copies is the example as typed, spaces included.
    assert page.locator(".help td code").nth(3).inner_text() == '유네스코 "AI 윤리" 교육'
    assert not overflows(page)
    shot(page, f"help-{width(page)}")


@WIDTHS
def test_pagination_keeps_next_on_the_first_line(page: playwright_sync.Page, shot: Shot) -> None:
    page.goto("/?q=쪽수시험&limit=2&page=8")
    nav = page.locator("nav.pagination")
    assert nav.locator("a, span").evaluate_all("els => els.map(e => e.textContent)") == [
        "← 이전",
        "1",
        "…",
        "6",
        "7",
        "8",
        "9",
        "10",
        "…",
        "15",
        "다음 →",
    ]
    previous, following = nav.locator("[rel=prev]"), nav.locator("[rel=next]")
    assert same_line(previous, following)
    assert lines(following) == 1 and lines(previous) == 1
    # The numbers share one line, beside the links on a wide screen, under them on a phone.
    numbers = nav.locator("a:not([rel]), span")
    assert all(same_line(numbers.nth(0), numbers.nth(n)) for n in range(numbers.count()))
    assert same_line(previous, numbers.nth(0)) == (width(page) > 600)
    assert not overflows(page)
    nav.scroll_into_view_if_needed()
    shot(page, f"pagination-{width(page)}")


@WIDTHS
def test_the_upload_legend_is_one_line(page: playwright_sync.Page, shot: Shot) -> None:
    log_in(page, "/admin")
    legend = page.locator("fieldset.details legend")
    assert legend.inner_text() == "모든 파일에 적용 (선택)"
    assert lines(legend) == 1
    assert box(legend)["width"] <= box(page.locator("fieldset.details"))["width"]
    assert page.locator("fieldset.details .details-hint").inner_text() == (
        "이번에 올리는 모든 파일에 적용합니다. JSONL 항목이나 페이지 태그에 적힌 정보가 우선합니다."
    )
    assert not overflows(page)
    page.locator("fieldset.details").scroll_into_view_if_needed()
    shot(page, f"admin-upload-{width(page)}")


# --- removing a source folder's article (item 17) --------------------------------------------


@WIDTHS
def test_a_folder_article_says_what_removing_it_needs(
    page: playwright_sync.Page, shot: Shot
) -> None:
    log_in(page, "/admin")
    page.goto(f"/admin/articles/delete?id={LONG_ID}")
    assert page.locator("h1").inner_text() == "이 기사를 지우려면"
    step = page.locator("#remove-file").inner_text()
    assert step.startswith("파일 ") and step.endswith(
        f'searchpage.jsonl: "id"가 "{LONG_ID}"인 줄을 지우세요. 같은 파일의 다른 기사 '
        "35건은 그대로 남습니다."
    )
    assert page.locator("#delete-confirm").inner_text() == "색인에서 지우기"
    assert not overflows(page)
    shot(page, f"admin-remove-folder-{width(page)}")

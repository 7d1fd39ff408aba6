"""axe-core on every page, at desktop and phone width: no serious or critical violation.

axe-core is the copy bundled by the pinned ``axe-playwright-python`` (installed by
``.ci/setup --test``), evaluated into each page through Playwright, which the pages' strict
CSP does not govern; nothing is downloaded at test time.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from importlib import resources

import pytest
from browser_support import DESKTOP, NEEDS_CHROMIUM, PHONE, WIDTHS, Shot, log_in
from playwright import sync_api as playwright_sync

pytestmark = NEEDS_CHROMIUM

AXE = (resources.files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")
S001 = "001_7ad3c6ee62ab7cbe.txt"
S002 = "002_4eef7aca86074d55.txt"
# The moderate rules the issue named are held to as well.
MODERATE = {"page-has-heading-one", "heading-order", "landmark-unique"}


LANDMARK = re.compile(
    r"^\s*- (banner|complementary|contentinfo|form|main|navigation|region|search)(?: \"(.*)\")?:?$"
)


def landmarks(page: playwright_sync.Page) -> list[tuple[str, str]]:
    """The page's landmarks as (role, accessible name), from Chromium's accessibility tree."""
    tree = page.locator("body").aria_snapshot()
    return [m.groups(default="") for m in map(LANDMARK.match, tree.splitlines()) if m]


def violations(page: playwright_sync.Page) -> list[str]:
    """axe-core's serious and critical violations on the page (and MODERATE), as lines.

    Two landmarks of one role and name are reported too: a screen reader's list of regions
    cannot tell them apart, whether or not this axe-core version counts the role.
    """
    page.evaluate(AXE)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    found = [
        f"{v['id']} ({v['impact']}): {', '.join(str(n['target']) for n in v['nodes'])}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical") or v["id"] in MODERATE
    ]
    twice = [mark for mark, n in Counter(landmarks(page)).items() if n > 1]
    found += [f"landmark-unique (moderate): {role} {name!r}" for role, name in twice]
    return sorted(found)


def open_cite_and_quote(page: playwright_sync.Page) -> None:
    """Open "Cite this article" and the first Quote menu of the article view."""
    page.locator("#cite > summary").click()
    page.locator("#body details.quote > summary").first.click()


def open_filters(page: playwright_sync.Page) -> None:
    """On a phone the filter panel is folded: open it, so its contents are checked too."""
    panel = page.locator("#filters")
    if panel.count() and not panel.evaluate("p => p.open"):
        panel.locator("> summary").click()


PUBLIC = [
    ("search-empty", "/", None),
    ("results", "/?q=서울+정상회의", None),
    ("results-filtered", "/?q=정상회의&outlet=쿠키뉴스&lang=ko&from=2024-01-01", open_filters),
    ("results-relaxed", "/?q=서울+정상회의+펭귄어휘", None),
    ("results-none", "/?q=펭귄어휘쿼카", None),
    ("article", f"/articles/{S001}?q=서울+정상회의", None),
    ("article-cite-quote", f"/articles/{S001}?q=서울+정상회의", open_cite_and_quote),
    ("article-plain", f"/articles/{S002}", None),
    ("article-raw", f"/articles/{S002}?view=raw", None),
    ("help", "/help", None),
    ("login", "/admin", None),
]


@WIDTHS
@pytest.mark.parametrize(("name", "path", "then"), PUBLIC, ids=[p[0] for p in PUBLIC])
def test_public_pages_pass_axe(
    page: playwright_sync.Page, shot: Shot, name: str, path: str, then: object
) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200
    if callable(then):
        then(page)
    assert violations(page) == []
    shot(page, f"axe-{name}-{page.viewport_size['width']}")


@WIDTHS
def test_admin_pages_pass_axe(page: playwright_sync.Page, shot: Shot) -> None:
    width = page.viewport_size["width"]
    log_in(page)
    assert page.locator("#report, form.paste").count() >= 1
    assert violations(page) == []
    shot(page, f"axe-admin-{width}")
    page.goto("/admin/articles?q=정상회의&origin=bundled")
    assert violations(page) == []
    shot(page, f"axe-admin-articles-{width}")
    # The confirmation for a bundled article (the folder's to remove) and for a paste.
    page.goto(f"/admin/articles/delete?id={S002}")
    assert violations(page) == []
    page.goto("/admin")
    page.fill("form.paste input[name=title]", f"접근성 점검 메모 {width}")
    page.fill("form.paste textarea[name=text]", f"접근성 점검에서 붙여넣은 메모다 ({width}).")
    page.click("form.paste button")
    page.wait_for_selector("#report")
    assert violations(page) == []
    shot(page, f"axe-admin-report-{width}")
    pasted = page.locator("#report tr.added td").first.inner_text()
    assert pasted.startswith("pasted/")
    page.goto(f"/admin/articles/delete?id={pasted}")
    assert page.locator("#delete-confirm").is_visible()
    assert violations(page) == []
    shot(page, f"axe-admin-delete-{width}")
    page.click("#delete-confirm")
    assert page.locator("#removed").is_visible()
    assert violations(page) == []


@pytest.fixture(params=[DESKTOP, PHONE], ids=["desktop", "phone"])
def error_tab(
    browser: playwright_sync.Browser, base_url: str, request: pytest.FixtureRequest
) -> Iterator[playwright_sync.Page]:
    """A Korean tab like ``page``, for pages whose 4xx status the console reports."""
    context = browser.new_context(base_url=base_url, locale="ko-KR", viewport=request.param)
    tab = context.new_page()
    problems: list[str] = []
    tab.on("pageerror", lambda exc: problems.append(str(exc)))
    tab.on(
        "console",
        lambda msg: (
            problems.append(msg.text)
            if msg.type == "error" and not re.search(r"status of 40[04]", msg.text)
            else None
        ),
    )
    yield tab
    context.close()
    assert problems == []


def test_the_not_found_page_passes_axe(error_tab: playwright_sync.Page, shot: Shot) -> None:
    response = error_tab.goto("/articles/no/such.txt")
    assert response is not None and response.status == 404
    assert error_tab.locator("h1").inner_text() == "404"
    assert violations(error_tab) == []
    shot(error_tab, f"axe-not-found-{error_tab.viewport_size['width']}")


def test_the_bad_request_page_passes_axe(error_tab: playwright_sync.Page, shot: Shot) -> None:
    # A login form whose CSRF token was lost (a stale tab) is refused with a 400 page.
    page = error_tab
    page.goto("/admin")
    page.locator("input[name=csrf_token]").evaluate("e => { e.value = 'stale'; }")
    page.fill("#token", "whatever")
    with page.expect_response("**/admin/login") as answer:
        page.click("form[action='/admin/login'] button")
    assert answer.value.status == 400
    assert page.locator("h1").inner_text() == "400"
    assert violations(page) == []
    shot(page, f"axe-bad-request-{page.viewport_size['width']}")

"""Reading and citing in a real headless Chromium: the article view's quotes and citations."""

from __future__ import annotations

from urllib.parse import quote

from browser_support import NEEDS_CHROMIUM, WIDTHS, Shot, api, overflows
from playwright import sync_api as playwright_sync

pytestmark = NEEDS_CHROMIUM

S001 = "001_7ad3c6ee62ab7cbe.txt"
SEOUL = "서울 정상회의"


def sentences(base_url: str, doc_id: str) -> dict[str, str]:
    """Each sentence of an article by its anchor (s<n>), cut from the body by the API's offsets."""
    data = api(base_url, f"/api/articles/{quote(doc_id)}")
    return {
        s["anchor"]: data["body"][s["start"] : s["end"]]
        for p in data["paragraphs"]
        for s in p["sentences"]
    }


def copy(page: playwright_sync.Page, menu: playwright_sync.Locator, fmt: str) -> str:
    """Open a Quote menu, copy one of its formats and return what the clipboard holds."""
    if not menu.evaluate("d => d.open"):
        menu.locator("summary").click()
    menu.locator(f"button[data-format={fmt}]").click()
    menu.locator(".quote-status").wait_for(state="visible")
    return page.evaluate("navigator.clipboard.readText()")


@WIDTHS
def test_the_article_view_quotes_the_highlighted_sentence(
    page: playwright_sync.Page, base_url: str, shot: Shot
) -> None:
    said = sentences(base_url, S001)
    page.goto(f"/?q={SEOUL}")
    page.locator(f'li.hit[data-id="{S001}"] h2 a').click()
    page.wait_for_url(f"**/articles/{S001}?q=*")
    # Paragraph 1 has three sentences; only the second names the summit (one mark: the name).
    assert page.locator("#p1 .s").evaluate_all("els => els.map(e => e.id)") == ["s1", "s2", "s3"]
    assert page.locator("#s2 mark").all_inner_texts() == ["서울 정상회의"]
    assert page.locator("#s1 mark, #s3 mark").count() == 0
    menus = page.locator("#p1 details.quote")
    assert menus.count() == 1
    text, citation = copy(page, menus, "plain").split("\n\n— ")
    assert text == said["s2"]
    assert citation.startswith("Asia-Pacific Region Intelligence Center, “한국, 글로벌 AI 협력")
    assert copy(page, menus, "link") == f"{base_url}/articles/{S001}#s2"
    assert copy(page, menus, "searchLink") == (
        f"{base_url}/articles/{S001}?q=%EC%84%9C%EC%9A%B8+%EC%A0%95%EC%83%81%ED%9A%8C%EC%9D%98#s2"
    )
    markdown = copy(page, menus, "markdown")
    assert markdown.startswith(f"> {said['s2']}\n>\n> — Asia-Pacific Region")
    # The menu names its sentence by its first words and, open, highlights it.
    assert menus.locator("summary").inner_text() == "인용 “우리 정부는…”"
    assert page.locator(".s.quoting").evaluate_all("els => els.map(e => e.id)") == ["s2"]
    # For 서울, paragraph 3 has three sentences with a match: one menu each, each its own.
    page.goto(f"/articles/{S001}?q=서울")
    page.locator("#p3").scroll_into_view_if_needed()
    menus = page.locator("#p3 details.quote")
    assert menus.evaluate_all("els => els.map(e => e.dataset.target)") == ["s5", "s6", "s8"]
    for n, target in enumerate(("s5", "s6", "s8")):
        menu = menus.nth(n)
        assert copy(page, menu, "plain").split("\n\n— ")[0] == said[target]
        assert copy(page, menu, "link") == f"{base_url}/articles/{S001}#{target}"
    assert not overflows(page)
    shot(page, f"article-sentence-quotes-{page.viewport_size['width']}")
    # The link opens the article at that sentence, highlighted.
    page.goto(f"/articles/{S001}#s6")
    assert page.locator(".s:target").inner_text() == said["s6"]


@WIDTHS
def test_a_paragraph_without_a_match_is_quoted_whole_with_its_own_link(
    page: playwright_sync.Page, base_url: str, shot: Shot
) -> None:
    data = api(base_url, f"/api/articles/{S001}")
    p1 = data["paragraphs"][0]
    page.goto(f"/articles/{S001}")
    page.locator("#p1").hover()
    menus = page.locator("#p1 details.quote")
    assert menus.count() == 1
    assert menus.locator("summary").inner_text() == "인용"
    text = copy(page, menus, "plain").split("\n\n— ")[0]
    assert text == p1["text"].strip()
    assert copy(page, menus, "link") == f"{base_url}/articles/{S001}#p1"
    assert menus.locator("button[data-format=link]").inner_text() == "이 문단 링크 복사"
    assert page.locator(".para.quoting").evaluate_all("els => els.map(e => e.id)") == ["p1"]
    shot(page, f"article-paragraph-quote-{page.viewport_size['width']}")
    # A paragraph of one sentence is that sentence.
    page.locator("#p6").hover()
    menu = page.locator("#p6 details.quote")
    assert copy(page, menu, "link") == f"{base_url}/articles/{S001}#s14"
    assert copy(page, menu, "plain").split("\n\n— ")[0] == sentences(base_url, S001)["s14"]


@WIDTHS
def test_a_highlighted_statement_line_has_a_quote(
    page: playwright_sync.Page, base_url: str, shot: Shot
) -> None:
    line = "'AI 정상회의' 선언 채택, “AI 개발 기업에 특별 책임”"
    page.goto(f"/articles/{S001}?q=정상회의")
    p7 = page.locator("#p7")
    assert p7.locator("p").inner_text() == line
    assert p7.locator("mark").all_inner_texts() == ["정상회의"]
    menu = p7.locator("details.quote")
    assert menu.count() == 1
    p7.scroll_into_view_if_needed()
    text, citation = copy(page, menu, "plain").split("\n\n— ")
    assert text == line
    assert citation.startswith("Asia-Pacific Region Intelligence Center")
    target = menu.get_attribute("data-target")
    assert sentences(base_url, S001)[target] == line
    assert copy(page, menu, "link") == f"{base_url}/articles/{S001}#{target}"
    assert not overflows(page)
    shot(page, f"article-statement-quote-{page.viewport_size['width']}")


# The words of a box that wrap inside (between two letters or digits, or after a hyphen),
# each with whether it is longer than a line, the only reason for it to.
BROKEN_WORDS = """(box) => {
  const style = getComputedStyle(box);
  const line = box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  const chars = [];
  const range = document.createRange();
  const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.data.length; i++) {
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const rect = range.getBoundingClientRect();
      chars.push({ ch: node.data[i], top: Math.round(rect.top), width: rect.width });
    }
  }
  const text = chars.map((c) => c.ch).join("");
  const out = [];
  for (let i = 1; i < chars.length; i++) {
    const before = chars[i - 1], here = chars[i];
    if (here.top <= before.top) continue;
    if (!/[\\p{L}\\p{N}-]/u.test(before.ch) || !/[\\p{L}\\p{N}]/u.test(here.ch)) continue;
    let start = i, end = i;
    while (start > 0 && !/\\s/.test(text[start - 1])) start--;
    while (end < text.length && !/\\s/.test(text[end])) end++;
    const width = chars.slice(start, end).reduce((sum, c) => sum + c.width, 0);
    out.push([text.slice(start, end), width > line]);
  }
  return out;
}"""


@WIDTHS
def test_cite_this_article_in_the_interface_language_with_a_permalink(
    page: playwright_sync.Page, base_url: str, shot: Shot
) -> None:
    page.goto(f"/articles/{S001}")
    page.locator("#cite > summary").click()
    # The article has no URL and this server is on loopback: the citation names no address,
    # so Markdown would repeat Text and is left out; the permalink is offered on its own.
    assert page.locator("#cite h2").all_inner_texts() == [
        "고유 링크",
        "텍스트",
        "BibTeX",
        "RIS",
        "CSL-JSON",
    ]
    page.locator("button.cite-copy[data-target=cite-link]").click()
    assert page.evaluate("navigator.clipboard.readText()") == f"{base_url}/articles/{S001}"
    assert page.locator("#cite-link").get_attribute("href") == f"{base_url}/articles/{S001}"
    page.locator("button.cite-copy[data-target=cite-plain]").click()
    plain = page.evaluate("navigator.clipboard.readText()")
    assert plain.startswith(
        "Asia-Pacific Region Intelligence Center, “한국, 글로벌 AI 협력 주도…AI 서울 정상회의 "
        "성공 개최”, 허관(許灌), 2024-05-23. (검색일 "
    )
    # Every word stays whole on its line (2024-05-23, 주도, the CSL type) unless it is
    # longer than the line.
    for box in ("plain", "bibtex", "ris", "csl"):
        broken = page.locator(f"#cite-{box}").evaluate(BROKEN_WORDS)
        assert [word for word, too_long in broken if not too_long] == [], box
    assert page.locator("#cite-bibtex").inner_text().startswith("@article{asiapacificregion")
    assert not overflows(page)
    shot(page, f"cite-article-{page.viewport_size['width']}")


@WIDTHS
def test_the_login_help_shows_the_command_as_code(page: playwright_sync.Page, shot: Shot) -> None:
    page.goto("/admin")
    help_text = page.locator("#login-help")
    assert help_text.inner_text() == (
        "관리자 토큰은 summit-search serve가 시작할 때 출력합니다(“admin token (this run "
        "only): …”). 시작할 때마다 새로 만들어지므로, 같은 토큰을 계속 쓰려면 서버를 시작하기 "
        "전에 SUMMIT_SEARCH_ADMIN_TOKEN을 설정하세요."
    )
    assert help_text.locator("code").all_inner_texts() == [
        "summit-search serve",
        "SUMMIT_SEARCH_ADMIN_TOKEN",
    ]
    assert (
        help_text.locator("code")
        .first.evaluate("e => getComputedStyle(e).fontFamily")
        .startswith("ui-monospace")
    )
    assert not overflows(page)
    shot(page, f"login-{page.viewport_size['width']}")

"""Fixtures and helpers for the browser tests: the app under waitress, Debian's Chromium, a tab.

Loaded as a plugin by ``conftest.py``, so every ``test_browser*.py`` module shares one server
and one browser per module. Screenshots go under pytest's temporary folder, or to
``$SUMMIT_SEARCH_SHOTS`` when set (``tests.bench.screenshots`` sets it).
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import waitress
from conftest import ADMIN_TOKEN, make_app
from playwright import sync_api as playwright_sync

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
WIDTHS = pytest.mark.parametrize("page", [DESKTOP, PHONE], indirect=True, ids=["desktop", "phone"])
# For each browser test module: skip it, with the reason, where Chromium is not installed.
NEEDS_CHROMIUM = pytest.mark.skipif(
    not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} missing: run `bash .ci/setup --test`"
)


@pytest.fixture(scope="module")
def base_url(corpus_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app over a private index copy, under waitress on a free port of 127.0.0.1."""
    index_dir = tmp_path_factory.mktemp("browser") / "index"
    shutil.copytree(corpus_index, index_dir)
    server = waitress.create_server(
        make_app(index_dir, MAX_CONTENT_LENGTH=1024 * 1024), host="127.0.0.1", port=0, threads=4
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()
    server.task_dispatcher.shutdown()
    thread.join(10)


@pytest.fixture(scope="module")
def browser() -> Iterator[playwright_sync.Browser]:
    """Headless Chromium, driven by Playwright (which never downloads a browser here)."""
    with playwright_sync.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(
    browser: playwright_sync.Browser, base_url: str, request: pytest.FixtureRequest
) -> Iterator[playwright_sync.Page]:
    """A Korean-speaking tab that may use the clipboard; fails the test on any page error.

    Desktop-sized unless parametrized (``WIDTHS``) with a viewport.
    """
    context = browser.new_context(
        base_url=base_url,
        locale="ko-KR",
        permissions=["clipboard-read", "clipboard-write"],
        viewport=getattr(request, "param", DESKTOP),
    )
    tab = context.new_page()
    problems: list[str] = []
    tab.on("pageerror", lambda exc: problems.append(str(exc)))
    # CSP violations and failed loads show up as console errors; a 403 is the designed answer
    # to a wrong admin token, which one journey tries.
    tab.on(
        "console",
        lambda msg: (
            problems.append(msg.text)
            if msg.type == "error" and "status of 403" not in msg.text
            else None
        ),
    )
    yield tab
    context.close()
    assert problems == []


@pytest.fixture(scope="session")
def shots_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go: ``$SUMMIT_SEARCH_SHOTS``, else a folder of this test session."""
    chosen = os.environ.get("SUMMIT_SEARCH_SHOTS")
    return Path(chosen) if chosen else tmp_path_factory.mktemp("shots")


@pytest.fixture
def shot(shots_dir: Path) -> Callable[[playwright_sync.Page, str], Path]:
    """Take a screenshot of the visible part of a tab as ``<name>.png``; returns its path."""

    def take(page: playwright_sync.Page, name: str) -> Path:
        shots_dir.mkdir(parents=True, exist_ok=True)
        path = shots_dir / f"{name}.png"
        page.screenshot(path=str(path), full_page=False)
        return path

    return take


Shot = Callable[[playwright_sync.Page, str], Path]


def api(base_url: str, path: str) -> dict:
    """GET ``path`` of the app as JSON."""
    with urllib.request.urlopen(base_url + path) as response:
        return json.load(response)


def hit_ids(page: playwright_sync.Page) -> list[str]:
    """The ids of the hits on a results page, in order."""
    return page.locator("li.hit").evaluate_all("els => els.map(e => e.dataset.id)")


def overflows(page: playwright_sync.Page) -> bool:
    """True if the page is wider than the window (a sideways scroll on a phone)."""
    return page.evaluate("() => document.scrollingElement.scrollWidth > window.innerWidth")


def log_in(page: playwright_sync.Page, path: str = "/admin") -> None:
    """Log in to the admin pages from ``path``'s login form."""
    page.goto(path)
    assert (
        page.locator("#login-help")
        .inner_text()
        .startswith("관리자 토큰은 summit-search serve가 시작할 때 출력합니다")
    )
    page.fill("#token", ADMIN_TOKEN)
    page.click("form[action='/admin/login'] button")
    page.wait_for_load_state()


def options(page: playwright_sync.Page) -> list[str]:
    """The texts the search box's suggestion list offers."""
    return page.locator("#q-suggest [role=option]").evaluate_all(
        "els => els.map(e => e.firstChild.textContent)"
    )

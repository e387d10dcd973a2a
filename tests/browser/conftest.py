"""Browser tests: Playwright for Python driving Debian's chromium, axe-core on every page opened.

Every page the test navigates to is checked with axe-core against WCAG 2.1 A and AA (the `Browser.goto`
helper does it, and teardown fails if any page the browser reached was not checked), and every request to
another host than the test server fails the test.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.apps import apps as django_apps
from django.db import connection
from playwright.sync_api import Frame, Page, Route, sync_playwright

from fagnett.places.models import Municipality

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("FAGNETT_CHROMIUM", "/usr/bin/chromium")
AXE_SOURCE = (ROOT / "node_modules" / "axe-core" / "axe.min.js").read_text()
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Playwright's sync API runs an event loop in this thread; the live server's ORM work happens in its own
# thread, and the test's direct ORM calls are synchronous by design.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark browser tests before `-m` selects, and give them committed data.

    They need transactional databases (the live server runs in another thread), and a transactional test
    ends by emptying every table, so they run after all others (tests/conftest.py sorts them last) and
    `_migration_data` puts back what the data migrations created.
    """
    for item in items:
        if "tests/browser/" in str(item.path):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.django_db(transaction=True))


DATA_MIGRATIONS = (
    ("fagnett.places.migrations.0002_load_reference_data", "load"),
    ("fagnett.networks.migrations.0002_builtin_roles", "create_roles"),
    ("fagnett.networks.migrations.0003_builtin_service_types", "create"),
    ("fagnett.plans.migrations.0002_builtin_vocabularies", "load"),
)


@pytest.fixture(autouse=True)
def _migration_data(transactional_db: None) -> None:
    """Reference data and built-in vocabularies, as the migrations made them.

    A transactional test's flush empties every table, data migrations' rows included. Django's
    serialized_rollback would restore them, but its copy is kept on the connection object, which the
    Playwright event loop's context does not see reliably; running the data migrations' own functions
    again is explicit and cheap.
    """
    if Municipality.objects.exists():
        return
    for module, function in DATA_MIGRATIONS:
        getattr(importlib.import_module(module), function)(
            django_apps, SimpleNamespace(connection=connection)
        )


def _page_url(url: str) -> str:
    """A page is the URL without its fragment: following an in-page link opens no new page."""
    return url.split("#", 1)[0]


class Browser:
    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.checked: set[str] = set()
        self.visited: list[str] = []
        self.third_party: list[str] = []
        page.on("framenavigated", self._record_navigation)

    def _record_navigation(self, frame: Frame) -> None:
        if frame == self.page.main_frame:
            self.visited.append(_page_url(frame.url))

    def goto(self, path: str) -> Page:
        self.page.goto(self.base_url + path)
        self.check()
        return self.page

    def check(self) -> None:
        """Run axe-core on the page as it is now; fail on any WCAG 2.1 A/AA violation."""
        self.page.wait_for_load_state("load")
        self.page.add_script_tag(content=AXE_SOURCE)
        result: dict[str, Any] = self.page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
        )
        violations = [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']]}"
            for v in result["violations"]
        ]
        assert violations == [], f"axe-core on {self.page.url}:\n" + "\n".join(violations)
        self.checked.add(_page_url(self.page.url))


@pytest.fixture(scope="session")
def _chromium() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing; CI must install Debian's chromium package")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium); browser tests not run")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def browser(_chromium: Any, live_server: Any) -> Iterator[Browser]:
    context = _chromium.new_context(locale="nb-NO", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    wrapper = Browser(page, live_server.url)
    own_host = urlsplit(live_server.url).netloc

    def guard(route: Route) -> None:
        url = route.request.url
        if url.startswith(("data:", "blob:")) or urlsplit(url).netloc == own_host:
            route.continue_()
        else:
            wrapper.third_party.append(url)
            route.abort()

    page.route("**/*", guard)
    yield wrapper
    context.close()
    assert wrapper.third_party == [], f"Pages requested other hosts: {wrapper.third_party}"
    unchecked = [url for url in wrapper.visited if url not in wrapper.checked and url != "about:blank"]
    assert unchecked == [], f"Pages opened without an axe-core check: {unchecked}"


@pytest.fixture
def phone(browser: Browser) -> Browser:
    browser.page.set_viewport_size({"width": 375, "height": 740})
    return browser

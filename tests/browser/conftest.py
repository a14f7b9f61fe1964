"""Playwright on Debian's Chromium, with axe-core on every page visited.

Without /usr/bin/chromium these tests skip with a clear message, except under
CI=true, where a skipped browser test is a failure.
"""

import os
import shutil

import pytest

from tests.conftest import reference_data

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
# Playwright's sync API runs an event loop in this thread; Django's live server
# tests touch the database from it too.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM}: install it with apt-get install -y chromium"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + " (browser tests may not skip under CI=true)")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

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


class AccessibilityChecker:
    """Runs axe-core on a page and fails on any violation, naming rule and nodes."""

    def __init__(self):
        from axe_playwright_python.sync_playwright import Axe

        self.axe = Axe()
        self.checked: list[str] = []

    def check(self, page) -> None:
        results = self.axe.run(page)
        violations = results.response["violations"]
        self.checked.append(page.url)
        if violations:
            details = "\n".join(
                f"- {v['id']} ({v['impact']}): {v['help']} — "
                + ", ".join(str(node["target"]) for node in v["nodes"][:5])
                for v in violations
            )
            pytest.fail(f"axe-core found {len(violations)} violation(s) on {page.url}:\n{details}")


@pytest.fixture
def axe():
    return AccessibilityChecker()


@pytest.fixture
def _audit_rows_flushable(live_server):
    """Let the test database be emptied after the test: only tests may do this."""
    from django.db import connection

    from audit import protection

    protection.install(connection)
    yield
    protection.remove(connection)


@pytest.fixture
def page(browser, live_server, axe, _audit_rows_flushable):
    reference_data()
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    yield page
    context.close()

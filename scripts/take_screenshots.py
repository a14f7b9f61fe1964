"""Retake docs/screenshots/ from a running demo (`make demo`), signed in as priya.

    .venv/bin/python scripts/take_screenshots.py [http://127.0.0.1:8000]

Needs Chromium (CHROMIUM_PATH, or chromium on the PATH). The demo's data is random,
so each run shows different (invented) people.
"""

import os
import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


def main() -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1200, "height": 900}, locale="en-GB")
        page.goto(BASE + "/sign-in/")
        page.get_by_label("Username").fill("priya")
        page.get_by_label("Password").fill("demo-password-2026")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state("load")
        page.screenshot(path=OUT / "my-work.png")
        page.goto(BASE + "/cases/")
        page.screenshot(path=OUT / "case-list.png")
        # A baby born a few weeks ago: the strip shows weeks before and after birth.
        page.goto(BASE + "/cases/?sort=edd")
        page.locator("table tbody tr a").nth(1).click()
        page.get_by_role("link", name="Timeline and milestones").click()
        page.screenshot(path=OUT / "timeline.png")
        # The same list on a phone.
        page.set_viewport_size({"width": 375, "height": 812})
        page.goto(BASE + "/my-work/")
        page.screenshot(path=OUT / "my-work-phone.png")
        browser.close()


if __name__ == "__main__":
    main()

"""Real Chromium (Debian's, driven by Playwright) against a real app server: every page renders with
no exception and is saved as a full-page screenshot under test-artifacts/; a sidebar filter changes
the headline."""

from __future__ import annotations

import re

import pytest
from conftest import ARTIFACTS, wait_rendered

pytestmark = pytest.mark.browser

PAGES = [""]  # the default page (Overview) is served at the root URL


def headline(page) -> str:
    return page.locator("h3", has_text="Official misconduct played a role").first.inner_text()


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("server_name", ["demo_server", "full_server"])
def test_page_renders_without_exception(request, page, server_name, path):
    server = request.getfixturevalue(server_name)
    page.goto(f"{server.url}/{path}")
    wait_rendered(page)
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.get_by_text("Page not found").count() == 0
    assert page.locator("[data-testid='stPlotlyChart'] .main-svg").count() >= 1
    shots = ARTIFACTS / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / f"{server_name.removesuffix('_server')}-{path or 'overview'}.png"), full_page=True)


def test_sidebar_filter_changes_headline(page, full_server):
    page.goto(f"{full_server.url}/?as_of=2026-02-05")
    wait_rendered(page)
    assert "2,297 of 3,776" in headline(page).replace("**", "")
    box = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']", has_text="State").first
    box.click()
    page.keyboard.type("New York")
    page.keyboard.press("Enter")
    page.wait_for_function("() => !document.body.innerText.includes('2,297 of 3,776')", timeout=20_000)
    wait_rendered(page)
    assert re.search(r"of [\d,]+ exonerations", headline(page))
    assert "state=New+York" in page.url or "state=New%20York" in page.url

"""A real app server on 127.0.0.1 and a headless Debian Chromium driven by Playwright.

Without Chromium or Playwright the browser tests are skipped (and say so), unless REQUIRE_BROWSER=1 is set,
as .ci/run does after installing Chromium: then a missing browser fails the run instead of hiding it.
"""

import os

import pytest

from bench.browser_tools import app_server, launch, missing_browser


@pytest.fixture(scope="session")
def app_url():
    reason = missing_browser()
    if reason:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"browser tests are required here, but {reason}")
        pytest.skip(f"browser tests skipped: {reason}")
    with app_server() as url:
        yield url


@pytest.fixture(scope="session")
def browser(app_url):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, app_url):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


@pytest.fixture
def phone(browser, app_url):
    """A page on a phone: 390 × 844 CSS pixels at twice the density, touch and no mouse."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()

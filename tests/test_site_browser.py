"""Browser test of the public site: headless Chromium opens the pages from disk.

Needs the Debian packages chromium and chromium-driver, and the selenium package.
Chromium reaches only the file:// pages rendered into tmp_path: host names do
not resolve, and the test checks that every request the page made was for a
local file.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from test_rendering_site import render, write_site_repo

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="the browser test needs /usr/bin/chromium; install the Debian packages "
    "chromium and chromium-driver",
)

if CHROMIUM.exists():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.remote.webdriver import WebDriver
    from selenium.webdriver.support.ui import Select
    from selenium.webdriver.support.wait import WebDriverWait

# In page order: regions by name, then newest first within each State.
ALL_REQUESTS = ["ago-2008", "per-2017", "arm-2015", "arm-2009"]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    repo = write_site_repo(tmp_path / "repo")
    return render(repo, tmp_path / "site")


@pytest.fixture
def browser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[WebDriver]:
    # Selenium Manager, which could download a driver, is not used because the
    # driver's path is given; this also turns off its usage statistics.
    monkeypatch.setenv("SE_AVOID_STATS", "true")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--window-size=1200,1400",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
    ):
        options.add_argument(argument)
    options.set_capability(
        "goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"}
    )
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    try:
        yield driver
    finally:
        driver.quit()


def visible_ids(browser: WebDriver, selector: str, prefix: str) -> list[str]:
    return [
        element.get_attribute("id").removeprefix(prefix)
        for element in browser.find_elements(By.CSS_SELECTOR, selector)
        if element.is_displayed()
    ]


def choose(browser: WebDriver, select_id: str, value: str) -> None:
    Select(browser.find_element(By.ID, select_id)).select_by_value(value)


def status_text(browser: WebDriver, status_id: str) -> str:
    return browser.find_element(By.ID, status_id).text


def console_errors(browser: WebDriver) -> list[str]:
    return [
        entry["message"]
        for entry in browser.get_log("browser")
        if entry["level"] in ("SEVERE", "ERROR", "WARNING")
    ]


def outside_requests(browser: WebDriver) -> list[str]:
    """List the URLs the browser requested that are neither local files nor its own.

    Chromium's start page loads chrome:// and data: resources from the browser
    itself; anything else would have left the machine.
    """
    urls = []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            url = message["params"]["request"]["url"]
            if not url.startswith(("file://", "chrome://", "data:", "about:")):
                urls.append(url)
    return urls


# (filter select id, value, requests shown, hidden region heading ids)
REQUEST_FILTERS = [
    ("filter-area", "op3c-border-law-enforcement", ["ago-2008", "per-2017"]),
    ("filter-weapon", "nuclear", ["ago-2008", "arm-2009"]),
    ("filter-region", "western-asia", ["arm-2015", "arm-2009"]),
    ("filter-year", "2017", ["per-2017"]),
]


def test_request_filters(browser: WebDriver, site: Path, tmp_path: Path) -> None:
    browser.get((site / "index.html").as_uri())

    assert browser.find_element(By.CSS_SELECTOR, "form.filters").is_displayed()
    assert visible_ids(browser, "li.request", "request-") == ALL_REQUESTS
    assert status_text(browser, "request-count") == "Showing 4 of 4 requests."

    for select_id, value, expected in REQUEST_FILTERS:
        choose(browser, select_id, value)
        assert visible_ids(browser, "li.request", "request-") == expected, value
        assert status_text(browser, "request-count") == (
            f"Showing {len(expected)} of 4 requests."
        )
        choose(browser, select_id, "")

    choose(browser, "filter-region", "western-asia")
    assert [
        heading.text
        for heading in browser.find_elements(By.CSS_SELECTOR, "section.region > h2")
        if heading.is_displayed()
    ] == ["Western Asia"]

    choose(browser, "filter-year", "2017")
    assert visible_ids(browser, "li.request", "request-") == []
    assert status_text(browser, "request-count") == (
        "No request matches these filters; clear a filter to see more."
    )

    browser.find_element(By.CSS_SELECTOR, "button[type=reset]").click()
    # The page re-filters after the form's reset event, so wait for it.
    WebDriverWait(browser, 5).until(
        lambda page: visible_ids(page, "li.request", "request-") == ALL_REQUESTS
    )
    assert visible_ids(browser, "li.request", "request-") == ALL_REQUESTS

    choose(browser, "filter-area", "op3c-border-law-enforcement")
    choose(browser, "filter-weapon", "biological")
    choose(browser, "filter-region", "south-america")
    assert visible_ids(browser, "li.request", "request-") == ["per-2017"]

    screenshot = tmp_path / "requests.png"
    browser.save_screenshot(str(screenshot))
    assert screenshot.read_bytes().startswith(b"\x89PNG")
    assert console_errors(browser) == []
    assert outside_requests(browser) == []


def test_filter_labels_and_focus(browser: WebDriver, site: Path) -> None:
    browser.get((site / "index.html").as_uri())

    for select in browser.find_elements(By.CSS_SELECTOR, "select"):
        label = browser.find_element(
            By.CSS_SELECTOR, f"label[for='{select.get_attribute('id')}']"
        )
        assert label.text
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    focused = browser.switch_to.active_element
    assert focused.text == "Skip to content"
    assert focused.value_of_css_property("outline-style") == "solid"
    assert focused.value_of_css_property("outline-width") == "3px"


# (filter select id, value, providers shown)
PROVIDER_FILTERS = [
    ("filter-provider-area", "laboratory-capacity", ["opcw"]),
    ("filter-provider-weapon", "biological", ["norway"]),
    ("filter-provider-kind", "international-organization", ["opcw"]),
]


def test_provider_filters(browser: WebDriver, site: Path, tmp_path: Path) -> None:
    browser.get((site / "providers.html").as_uri())

    assert visible_ids(browser, "li.provider", "provider-") == ["norway", "opcw"]
    for select_id, value, expected in PROVIDER_FILTERS:
        choose(browser, select_id, value)
        assert visible_ids(browser, "li.provider", "provider-") == expected, value
        assert status_text(browser, "provider-count") == (
            f"Showing {len(expected)} of 2 providers."
        )
        choose(browser, select_id, "")

    browser.find_element(By.LINK_TEXT, "Norway").click()
    assert browser.current_url == (site / "providers/norway.html").as_uri()
    assert browser.find_element(By.TAG_NAME, "h1").text == "Norway"

    browser.save_screenshot(str(tmp_path / "provider.png"))
    assert console_errors(browser) == []
    assert outside_requests(browser) == []


def test_request_page_links_back(browser: WebDriver, site: Path) -> None:
    browser.get((site / "requests/ago-2008.html").as_uri())

    assert browser.find_element(By.TAG_NAME, "h1").text == (
        "Request of Angola, 30 April 2008"
    )
    browser.find_element(By.LINK_TEXT, "All requests").click()
    assert browser.current_url == (site / "index.html").as_uri() + "#request-ago-2008"
    assert console_errors(browser) == []

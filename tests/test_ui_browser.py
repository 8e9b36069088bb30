"""The query UI and an entity page in a real browser, offline.

Debian's headless Chromium, driven through Debian's chromedriver by Selenium (given its path, so Selenium
Manager never downloads a driver), against a live server on the example store. Every host name but
127.0.0.1 resolves to nothing, and each test reads the browser's network events (chromedriver's
performance log) to check that no request went anywhere but the test server.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

from kg.api import create_app
from kg.api.routes import ui
from kg.config import Settings
from kg.pipeline.prepare import IngestReport
from kg.vocab.iri import Minter
from tests.conftest import EXAMPLES
from tests.live import LiveServer

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
_MISSING = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        bool(_MISSING),
        reason=f"no {' or '.join(_MISSING)} (Debian packages chromium and "
        "chromium-driver; ./scripts/test installs them)",
    ),
]

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    "--window-size=1400,1000",
]
EXAMPLE_QUERY = "Events by actor"
JNIM = "Jamaat Nusrat al-Islam wal-Muslimin"
WAIT_S = 60
_LOCAL_SCHEMES = ("about", "blob", "chrome", "chrome-extension", "data", "devtools")


@pytest.fixture(scope="module")
def root(example_build: tuple[Settings, IngestReport]) -> Iterator[str]:
    """A live server on the example store, whose query UI has been built."""
    with LiveServer(create_app(example_build[0])) as url:
        page = httpx.get(url + "/", timeout=30)
        assert page.status_code == 200, f"the query UI is not built ({page.text.strip()}); ./scripts/test builds it"
        yield url


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    profile = tmp_path_factory.mktemp("chromium-profile")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in [*FLAGS, f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def browser_log(driver: WebDriver, kind: str) -> list[dict[str, Any]]:
    """The entries of chromedriver's ``kind`` log ("performance" or "browser") since the last call."""
    entries: list[dict[str, Any]] = driver.get_log(kind)  # type: ignore[no-untyped-call]
    return entries


def drain_logs(driver: WebDriver) -> None:
    """Forget what the browser logged so far."""
    browser_log(driver, "performance")
    browser_log(driver, "browser")


def requested_urls(driver: WebDriver) -> list[str]:
    """The URLs the browser has asked for since the last call (HTTP requests and WebSockets)."""
    urls = []
    for entry in browser_log(driver, "performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
        elif message["method"] == "Network.webSocketCreated":
            urls.append(message["params"]["url"])
    return urls


def off_loopback(urls: list[str], root: str) -> list[str]:
    """The URLs that name another server than ``root`` (browser-internal schemes aside)."""
    server = urlsplit(root).netloc
    return [u for u in urls if urlsplit(u).scheme not in _LOCAL_SCHEMES and urlsplit(u).netloc != server]


def console_errors(driver: WebDriver) -> list[dict[str, Any]]:
    return [entry for entry in browser_log(driver, "browser") if entry["level"] == "SEVERE"]


def _wait(driver: WebDriver) -> WebDriverWait[WebDriver]:
    """Poll until a condition holds; an element that goes stale meanwhile (YASR redraws its table) is retried."""
    return WebDriverWait(driver, WAIT_S, ignored_exceptions=(StaleElementReferenceException,))


def _tab_names(driver: WebDriver) -> list[str]:
    return [span.text for span in driver.find_elements(By.CSS_SELECTOR, ".tabsList .tab a[role=tab] > span")]


def _visible(driver: WebDriver, css: str) -> list[WebElement]:
    return [el for el in driver.find_elements(By.CSS_SELECTOR, css) if el.is_displayed()]


def _open_example(browser: WebDriver, root: str, title: str) -> None:
    """Load the UI and select the example tab ``title``."""
    browser.get(root + "/")
    _wait(browser).until(lambda d: title in _tab_names(d))
    browser.find_element(By.XPATH, f"//div[@class='tabsList']//a[span='{title}']").click()
    _wait(browser).until(
        lambda d: d.execute_script("return window.kgYasgui.getTab().getName() === arguments[0]", title)
    )


def _run_query(browser: WebDriver) -> list[WebElement]:
    """Press the query button; the rows of the results table once they are shown."""
    _visible(browser, ".yasqe_queryButton")[0].click()
    rows: list[WebElement] = _wait(browser).until(
        lambda d: (
            _visible(d, ".yasr table.dataTable tbody tr td:not(.dt-empty)")
            and _visible(d, ".yasr table.dataTable tbody tr")
        )
    )
    return rows


def test_the_query_ui_runs_an_example_query_offline(root: str, browser: WebDriver) -> None:
    saved = httpx.get(root + "/api/queries", timeout=30).json()
    titles = [q["title"] for q in saved]
    assert EXAMPLE_QUERY in titles
    drain_logs(browser)

    browser.get(root + "/")
    _wait(browser).until(lambda d: set(titles) <= set(_tab_names(d)))
    names = _tab_names(browser)
    assert all(names.count(title) == 1 for title in titles), names
    assert browser.find_element(By.ID, "kg-endpoint").text == root + "/sparql"

    browser.find_element(By.XPATH, f"//div[@class='tabsList']//a[span='{EXAMPLE_QUERY}']").click()
    editor_text = _wait(browser).until(
        lambda d: d.execute_script(
            "return window.kgYasgui.getTab().getName() === arguments[0] && window.kgYasgui.getTab().getQuery()",
            EXAMPLE_QUERY,
        )
    )
    example = next(q for q in saved if q["title"] == EXAMPLE_QUERY)
    assert editor_text == example["query"]
    rows = _run_query(browser)

    expected = httpx.get(example["url"], timeout=30).json()
    bindings = expected["results"]["bindings"]
    assert bindings, "the example query finds nothing in the example store"
    headers = [th.text.lstrip("?") for th in _visible(browser, ".yasr table.dataTable thead th")]
    assert set(expected["head"]["vars"]) <= set(headers), headers
    column = headers.index("actorLabel")
    shown = [row.find_elements(By.TAG_NAME, "td")[column].text for row in rows]
    assert 0 < len(shown) <= len(bindings)
    assert shown == [b["actorLabel"]["value"] for b in bindings[: len(shown)]]  # the query's own ORDER BY

    urls = requested_urls(browser)
    assert f"{root}/api/queries" in urls and f"{root}/ui/yasgui.min.js" in urls
    assert any(urlsplit(u).path == "/sparql" for u in urls), "the query did not go to this server's endpoint"
    assert off_loopback(urls, root) == []
    assert console_errors(browser) == []

    browser.refresh()  # the tabs are kept in the browser's storage; the examples are not added twice
    _wait(browser).until(lambda d: "(0 new tabs)" in d.find_element(By.ID, "kg-status").text)
    assert sorted(_tab_names(browser)) == sorted(names)


def test_a_result_link_leads_to_this_servers_page_of_the_resource(
    root: str, browser: WebDriver, example_build: tuple[Settings, IngestReport]
) -> None:
    """A result link to an IRI minted here is rewritten to this server's page of it once the pointer reaches
    it, and that page describes the IRI. (The pointer event is dispatched by script: in headless Chromium,
    YASR's column-resize overlay lies on top of the table and takes a real click.)"""
    base = example_build[0].base_iri
    _open_example(browser, root, EXAMPLE_QUERY)
    _run_query(browser)
    drain_logs(browser)

    def hover_an_actor(d: WebDriver) -> tuple[str, str] | bool:
        """(public IRI, href after the pointer reached it) of the first result link to an actor minted here."""
        try:
            link = next(
                a
                for a in _visible(d, ".yasr table.dataTable tbody a[href]")
                if (a.get_attribute("href") or "").startswith(base + "actor/")
            )
            public = link.get_attribute("href") or ""
            d.execute_script("arguments[0].dispatchEvent(new MouseEvent('mouseover', {bubbles: true}))", link)
            return public, link.get_attribute("href") or ""
        except StopIteration:
            return False

    result = _wait(browser).until(hover_an_actor)
    assert isinstance(result, tuple)
    public, local = result
    assert local == root + urlsplit(public).path, (public, local)

    browser.get(local)
    assert browser.find_element(By.CSS_SELECTOR, "p.iri").text == public
    assert browser.find_element(By.TAG_NAME, "h1").text
    assert off_loopback(requested_urls(browser), root) == []
    assert console_errors(browser) == []


def test_the_api_docs_render_offline(root: str, browser: WebDriver) -> None:
    """/docs is Swagger UI from the UI build, on the app's OpenAPI schema, with nothing from a CDN."""
    drain_logs(browser)
    browser.get(root + "/docs")
    title = _wait(browser).until(lambda d: _visible(d, ".swagger-ui .info .title"))
    assert "osint-kg SPARQL endpoint" in title[0].text
    paths = _wait(browser).until(lambda d: [el.text for el in _visible(d, ".opblock-summary-path")])
    assert "/sparql" in paths and "/api/queries" in paths, paths
    urls = requested_urls(browser)
    assert f"{root}/ui/swagger-ui-bundle.js" in urls and f"{root}/openapi.json" in urls
    assert off_loopback(urls, root) == []


def test_query_completion_stays_offline(root: str, browser: WebDriver) -> None:
    """Typing a class name completes from nothing outside (YASGUI's own class completer asks LOV)."""
    browser.get(root + "/")
    _wait(browser).until(lambda d: d.execute_script("return !!window.kgYasgui"))
    drain_logs(browser)
    browser.execute_script(_COMPLETE_A_CLASS)
    # A completer's request starts at once (see the next test); a second lets a deferred one show up too.
    browser.execute_script("return new Promise(resolve => setTimeout(resolve, 1000))")
    assert off_loopback(requested_urls(browser), root) == []


def test_the_network_check_sees_a_request_off_loopback(root: str, browser: WebDriver) -> None:
    """The check of the tests above can fail: with YASGUI's class completer on, the LOV request is seen."""
    browser.get(root + "/")
    _wait(browser).until(lambda d: d.execute_script("return !!window.kgYasgui"))
    drain_logs(browser)
    browser.execute_script("window.kgYasgui.getTab().getYasqe().enableCompleter('class')")
    browser.execute_script(_COMPLETE_A_CLASS)
    leaked = _wait(browser).until(lambda d: off_loopback(requested_urls(d), root))
    assert urlsplit(leaked[0]).hostname == "lov.linkeddata.es"


_COMPLETE_A_CLASS = """
const yasqe = window.kgYasgui.getTab().getYasqe();
yasqe.setValue('PREFIX foaf: <http://xmlns.com/foaf/0.1/>\\nSELECT * WHERE { ?s a foaf:Per');
yasqe.setCursor(yasqe.lastLine(), 1000);
yasqe.autocomplete();
"""


def test_an_entity_page_shows_its_facts_and_sources(
    root: str, browser: WebDriver, example_build: tuple[Settings, IngestReport]
) -> None:
    settings = example_build[0]
    actor = Minter(settings.base_iri).actor(JNIM)
    drain_logs(browser)

    browser.get(root + urlsplit(actor).path)
    assert "Nusrat al-Islam" in browser.find_element(By.TAG_NAME, "h1").text
    assert browser.find_element(By.CSS_SELECTOR, "p.iri").text == str(actor)
    headings = [h.text for h in browser.find_elements(By.TAG_NAME, "h2")]
    assert "Facts" in headings and "Evidence" in headings

    sources = [th.text for th in browser.find_elements(By.CSS_SELECTOR, "th.source")]
    articles = {p.name for p in EXAMPLES.iterdir() if p.name != "meta.jsonl"}
    named = {text.removeprefix("Source: ").split(" — ")[0] for text in sources}
    assert len(named & articles) >= 2, sources
    facts = browser.find_elements(By.XPATH, "//h2[.='Facts']/following-sibling::table[1]//td")
    assert any(td.text == "rdfs:label" for td in facts)

    evidence = browser.find_elements(By.XPATH, "//h2[.='Evidence']/following-sibling::ul[1]/li")
    assert evidence and all(li.find_elements(By.TAG_NAME, "q") for li in evidence)
    source_link = evidence[0].find_element(By.TAG_NAME, "a")
    source_link.click()
    _wait(browser).until(
        lambda d: urlsplit(d.current_url).path.startswith(urlsplit(settings.base_iri).path + "article/")
    )
    assert browser.find_element(By.TAG_NAME, "h1").text

    assert off_loopback(requested_urls(browser), root) == []
    assert console_errors(browser) == []


def test_the_ui_build_is_what_the_app_serves(root: str) -> None:
    """The page and the pinned YASGUI bundle come from the build directory (ui/build.mjs)."""
    page = httpx.get(root + "/", timeout=30).text
    built = (ui.BUILD_DIR / "index.html").read_text(encoding="utf-8")
    meta = (
        '<meta name="kg-base-iri" content="https://w3id.org/osint-kg/id/">\n'
        '<meta name="kg-resource-path" content="/osint-kg/id/">\n'
    )
    assert page == built.replace("</head>", meta + "</head>", 1)
    assert "{{" not in page
    links = re.findall(r'(?:src|href)="([^"]*)"', page)
    assert "ui/yasgui.min.js" in links
    assert [link for link in links if urlsplit(link).netloc or urlsplit(link).scheme not in ("", "data")] == []
    lock = json.loads((Path(__file__).parents[1] / "ui" / "package-lock.json").read_text(encoding="utf-8"))
    pinned = lock["packages"]["node_modules/@zazuko/yasgui"]["version"]
    assert httpx.get(root + "/ui/versions.json", timeout=30).json()["@zazuko/yasgui"] == pinned

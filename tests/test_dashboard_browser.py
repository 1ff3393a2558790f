"""The dashboard in a real browser: headless Chromium (Debian's `chromium` and `chromium-driver`
packages; `.ci/run` installs them) driven by Selenium, against the dashboard served for real on
127.0.0.1, with the bot's side (the coordinator's chat, the reporters) in the same event loop.

Selenium blocks, so every step in the browser runs in a thread (`Screen.run`) while the event
loop goes on serving the pages. One Chromium is started for the whole module; its cookies are
cleared before each test. A test reads like what she does: `open_link`, `press`, `choose_filter`,
`rows_on_screen`. Selenium is given the installed driver and browser, so it downloads nothing."""

from __future__ import annotations

import asyncio
import csv
import io
import re
import shutil
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

import pytest
from aiohttp import web
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

from bot.app import App
from bot.settings import Settings
from dashboard import server as dashboard_server
from storage.models import Role
from tests.bot_process import free_port
from tests.conftest import make_settings
from tests.dashboard_helpers import link_from_bot
from tests.helpers import DESCRIPTION, file_report, new_staff

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
WAIT = 30  # seconds: the machine may be loaded; a page that takes longer is a failure
PHONE = (412, 915)
FULL_LINK = re.compile(r"http://\S+/dashboard/login/[A-Za-z0-9_\-]+")

pytestmark = [
    pytest.mark.skipif(BROWSER is None or DRIVER is None,
                       reason="no headless browser: install Debian's chromium and chromium-driver "
                              "(.ci/run does) to run the dashboard's browser test"),
    pytest.mark.timeout(300),  # Chromium's start counts in the first test
]

Result = TypeVar("Result")


def start_chromium(width: int, height: int) -> WebDriver:
    """Headless Chromium from the installed packages (we run as root: no sandbox)."""
    assert BROWSER is not None and DRIVER is not None
    options = webdriver.ChromeOptions()
    options.binary_location = BROWSER
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--no-first-run", "--disable-extensions", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", f"--window-size={width},{height}"):
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=DRIVER))
    driver.set_page_load_timeout(WAIT)
    return driver


@pytest.fixture(scope="module")
def chromium() -> Iterator[WebDriver]:
    driver = start_chromium(*PHONE)
    yield driver
    driver.quit()


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture
def settings(tmp_path: Path, new_database: Callable[..., str], port: int) -> Settings:
    """The app's settings with the dashboard on this test's port, so the bot's link opens it."""
    return make_settings(tmp_path, database_url=new_database(tmp_path), dashboard_port=port)


@dataclass
class Screen:
    """The browser on the dashboard served at `base`."""

    driver: WebDriver
    base: str

    async def run(self, work: Callable[..., Result], *args: Any) -> Result:
        """A Selenium step in a thread, so that the server in this event loop keeps serving."""
        return await asyncio.to_thread(work, *args)

    @property
    def url(self) -> str:
        return self.driver.current_url

    def wait(self) -> WebDriverWait:
        return WebDriverWait(self.driver, WAIT)

    def text(self) -> str:
        return self.driver.find_element(By.TAG_NAME, "body").text

    def loaded(self) -> None:
        self.wait().until(lambda driver: driver.execute_script("return document.readyState") == "complete")

    def goes_on(self, act: Callable[[], None]) -> None:
        """Do something that loads another page, and wait until that page is there."""
        before = self.driver.find_element(By.TAG_NAME, "html")
        act()
        self.wait().until(lambda _driver: _left_the_document(before))
        self.loaded()


def _left_the_document(element: Any) -> bool:
    """Whether the page this element was in is gone. Chromium sometimes answers for a node of a
    page being left with an "inspector error" instead of a stale element: gone all the same."""
    try:
        element.is_enabled()
    except StaleElementReferenceException:
        return True
    except WebDriverException as error:
        if "does not belong to the document" in str(error):
            return True
        raise
    return False


@pytest.fixture
async def screen(app: App, chromium: WebDriver, port: int) -> AsyncIterator[Screen]:
    """The dashboard served by aiohttp on 127.0.0.1:port, and the module's Chromium, no cookies."""
    root = web.Application()
    dashboard_server.mount(root, app)
    runner = web.AppRunner(root, access_log=None, shutdown_timeout=5)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    shown = Screen(chromium, f"http://127.0.0.1:{port}")
    await shown.run(chromium.execute_cdp_cmd, "Network.clearBrowserCookies", {})
    try:
        yield shown
    finally:
        try:
            await shown.run(chromium.get, "about:blank")  # let go of the connection before the server stops
        except WebDriverException:
            pass
        await runner.cleanup()


# --------------------------------------------------------------------------- what she does


async def dashboard_link(user) -> str:  # type: ignore[no-untyped-def]
    """Coordinator menu → Dashboard in the chat: the whole link the bot sends."""
    await link_from_bot(user)
    found = FULL_LINK.search(user.text)
    assert found, user.text
    return found.group(0)


async def open_link(screen: Screen, address: str) -> str:
    """Open an address (a whole link, or a path of the dashboard); the text on screen."""
    url = address if address.startswith("http") else screen.base + address

    def work() -> str:
        screen.driver.get(url)
        screen.loaded()
        return screen.text()

    return await screen.run(work)


async def press(screen: Screen, label: str) -> str:
    """Press the button or link whose text is `label` and wait for the page it leads to; its text."""
    assert "'" not in label, "an XPath literal: write the label without an apostrophe"

    def work() -> str:
        found = screen.wait().until(expected_conditions.element_to_be_clickable(
            (By.XPATH, f"//button[normalize-space()='{label}'] | //a[normalize-space()='{label}']")))
        screen.goes_on(found.click)
        return screen.text()

    return await screen.run(work)


async def choose_filter(screen: Screen, **chosen: str) -> None:
    """Fill the filter form as she would: a select by the label she reads (`status="Closed"`),
    a date as YYYY-MM-DD (`since="2026-01-01"`); then Show."""
    def work() -> None:
        form = screen.wait().until(expected_conditions.presence_of_element_located((By.ID, "filter")))
        for name, value in chosen.items():
            field = form.find_element(By.NAME, name)
            if field.tag_name == "select":
                Select(field).select_by_visible_text(value)
            else:  # a date field: its typing depends on the browser's locale, its value does not
                screen.driver.execute_script("arguments[0].value = arguments[1]", field, value)
        screen.goes_on(form.find_element(By.CSS_SELECTOR, "button[type=submit]").click)

    await screen.run(work)


async def rows_on_screen(screen: Screen) -> list[list[str]]:
    """The inbox's rows as she reads them, one list of cell texts per report (its code first);
    empty when the page says no report matches."""
    def work() -> list[list[str]]:
        screen.wait().until(lambda driver: driver.find_elements(By.ID, "reports") or driver.find_elements(By.ID, "no-reports"))
        return [[cell.text for cell in row.find_elements(By.TAG_NAME, "td")]
                for row in screen.driver.find_elements(By.CSS_SELECTOR, "#reports tbody tr")]

    return await screen.run(work)


def references(rows: list[list[str]]) -> list[str]:
    return [row[0] for row in rows]


def says(app: App, shown: str, key: str) -> bool:
    """The text of `key` is on screen, in any language (once logged out, the page no longer
    knows hers: it speaks the bot's default language)."""
    return any(app.content.catalog.text(language, key) in shown for language in app.content.catalog.languages)


# --------------------------------------------------------------------------- the walks


async def test_a_coordinator_logs_in_from_the_bot_filters_her_inbox_and_logs_out(
        app: App, make_user, channel, screen: Screen) -> None:
    osh = await file_report(app, make_user, "810", "osh_oblast")
    naryn = await file_report(app, make_user, "811", "naryn")
    closed = await file_report(app, make_user, "812", "naryn")
    coordinator = await new_staff(app, make_user, "813", Role.COORDINATOR, ["naryn"])
    await coordinator.press_action(f"rep:s:{closed.id}:closed")  # closed in the chat

    link = await dashboard_link(coordinator)
    assert link.startswith(screen.base + "/dashboard/login/")
    shown = await open_link(screen, link)
    assert "Press Continue to log in" in shown
    shown = await press(screen, "Continue")
    assert screen.url == screen.base + "/dashboard/"
    assert "Reports from your regions" in shown
    assert sorted(references(await rows_on_screen(screen))) == sorted([naryn.reference, closed.reference])
    assert osh.reference not in shown  # another region's report is not on her screen
    notice = [reply for chat, reply in channel.notified if chat == "813"][-1]
    assert "You logged in to the dashboard at" in notice.text

    await choose_filter(screen, status="Closed")
    assert "status=closed" in screen.url  # the filter is in the address, to be shared
    rows = await rows_on_screen(screen)
    assert references(rows) == [closed.reference] and rows[0][1] == "Closed"
    await choose_filter(screen, status="New")
    assert "status=new" in screen.url and references(await rows_on_screen(screen)) == [naryn.reference]
    await press(screen, "Clear the filter")
    assert len(await rows_on_screen(screen)) == 2

    again = await open_link(screen, link)  # the same link, a second time
    assert "expired or was already used" in again and "Continue" not in again

    shown = await press(screen, "Log out")
    assert screen.url == screen.base + "/dashboard/logged-out" and says(app, shown, "dashboard-logged-out")
    shown = await open_link(screen, "/dashboard/")
    assert says(app, shown, "dashboard-login-needed") and naryn.reference not in shown


async def choose(screen: Screen, form_id: str, name: str, label: str, button: str) -> str:
    """In one of the page's forms, choose `label` in its select `name` and press `button`."""
    def work() -> str:
        form = screen.wait().until(expected_conditions.presence_of_element_located((By.ID, form_id)))
        Select(form.find_element(By.NAME, name)).select_by_visible_text(label)
        screen.goes_on(form.find_element(By.XPATH, f".//button[normalize-space()='{button}']").click)
        return screen.text()

    return await screen.run(work)


async def test_a_coordinator_opens_a_report_shows_its_content_and_closes_it_and_the_reporter_hears(
        app: App, make_user, channel, screen: Screen) -> None:
    osh = await file_report(app, make_user, "820", "osh_oblast")
    naryn = await file_report(app, make_user, "821", "naryn")
    coordinator = await new_staff(app, make_user, "822", Role.COORDINATOR, ["naryn"])
    await open_link(screen, await dashboard_link(coordinator))
    await press(screen, "Continue")

    shown = await press(screen, naryn.reference)
    assert f"Report {naryn.reference}" in shown and DESCRIPTION not in shown
    shown = await press(screen, "Show the content")
    assert DESCRIPTION in shown and "Kochkor district" in shown
    shown = await choose(screen, "form-status", "status", "Closed", "Change the status")
    assert "The status is changed." in shown and "Closed" in shown
    told = [reply.text for chat, reply in channel.notified if chat == "821"]
    assert any(naryn.reference in text and "Closed" in text for text in told), told

    refused = await open_link(screen, f"/dashboard/reports/{osh.id}")  # another region's, by its address
    assert "There is no such report among those you may see." in refused and osh.reference not in refused


async def fetched(screen: Screen, address: str) -> str:
    """What the browser gets at `address` with her session, as a file she downloads would hold."""
    script = ("const done = arguments[arguments.length - 1];"
              "fetch(arguments[0], {credentials: 'same-origin'}).then(r => r.text()).then(done);")
    return await screen.run(screen.driver.execute_async_script, script, address)


async def link_of(screen: Screen, element_id: str) -> str:
    return await screen.run(lambda: screen.driver.find_element(By.ID, element_id).get_attribute("href"))


async def test_the_export_holds_what_the_screen_shows_and_the_public_page_no_small_number(
        app: App, make_user, channel, clock, screen: Screen) -> None:
    filed = [await file_report(app, make_user, str(830 + number), region)
             for number, region in enumerate(["naryn"] * 6 + ["talas"] * 2)]
    admin = await new_staff(app, make_user, "840", Role.ADMIN)
    await admin.press_action(f"rep:s:{filed[0].id}:closed")
    await open_link(screen, await dashboard_link(admin))
    await press(screen, "Continue")

    await choose_filter(screen, region="Naryn region", status="New")
    on_screen = references(await rows_on_screen(screen))
    assert sorted(on_screen) == sorted(report.reference for report in filed[1:6])
    exported = list(csv.reader(io.StringIO(await fetched(screen, await link_of(screen, "export-csv")))))
    assert exported[1][0].startswith("#")  # the HXL hashtags' row
    assert [row[0] for row in exported[2:]] == on_screen  # the same reports, in the same order

    clock.now += timedelta(days=40)  # November is a whole month now: it may be published
    await admin.press_action("coord")  # her session ended while idle: a new link
    await open_link(screen, await dashboard_link(admin))
    await press(screen, "Continue")
    await open_link(screen, "/dashboard/public/new")
    await press(screen, "Publish these figures")
    assert screen.url == screen.base + "/dashboard/public"
    await press(screen, "Log out")
    await open_link(screen, "/dashboard/public")  # no login needed
    cells = await screen.run(lambda: [cell.text for cell in screen.driver.find_elements(By.CSS_SELECTOR, "td.count")])
    hidden = app.content.catalog.text("en", "dashboard-public-hidden")  # her language, kept from her login
    assert cells and all(text in (hidden, "0") or int(text) >= 5 for text in cells), cells
    assert "8" in cells and hidden in cells  # Naryn's 6 stand, Talas's 2 are hidden, the total shows 8

"""Screenshots of the dashboard for the README: `docs/dashboard-inbox.png`, the inbox at a desktop
width and at a phone's width side by side.

A demo database in a temp folder gets 60 made-up reports of the last two months (the
benchmarks' `add_reports`: placeholder answers, encrypted as the bot keeps them), and a
coordinator of Osh region, Osh city and Batken who took some of them. The dashboard is served on
127.0.0.1 as `python -m bot run` serves it; headless Chromium (Debian's `chromium` and
`chromium-driver`, as in the browser test) opens her login link, presses Continue and takes
the pictures. Nothing outside the temp folder is touched, but the PNG.

    .venv/bin/python docs/make_screenshots.py
"""

from __future__ import annotations

import asyncio
import io
import shutil
import socket
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))  # add_reports, make_settings: the benchmarks' helpers

from aiohttp import web  # noqa: E402
from PIL import Image  # noqa: E402
from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from common import add_reports, make_settings  # noqa: E402

OUT = ROOT / "docs" / "dashboard-inbox.png"
DESKTOP = (1280, 860)
PHONE = (412, 915)
GAP = 24
REGIONS = ["osh_oblast", "osh_city", "batken"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def chromium() -> webdriver.Chrome:
    browser, driver = shutil.which("chromium") or shutil.which("chromium-browser"), shutil.which("chromedriver")
    if not (browser and driver):
        raise SystemExit("Needs Debian's chromium and chromium-driver: apt-get install chromium chromium-driver")
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--no-first-run",
                     "--disable-extensions", "--disable-background-networking", "--hide-scrollbars"):
        options.add_argument(argument)
    return webdriver.Chrome(options=options, service=Service(executable_path=driver))


def shoot(link: str) -> Image.Image:
    """Log in from the link, then the inbox at both widths, side by side on a white sheet."""
    driver = chromium()
    try:
        wait = WebDriverWait(driver, 30)
        driver.get(link)
        wait.until(expected_conditions.element_to_be_clickable((By.ID, "continue"))).click()
        wait.until(expected_conditions.presence_of_element_located((By.ID, "reports")))
        pictures = []
        for (width, height), mobile in ((DESKTOP, False), (PHONE, True)):
            driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                   {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})
            driver.refresh()
            wait.until(expected_conditions.presence_of_element_located((By.ID, "reports")))
            pictures.append(Image.open(io.BytesIO(driver.get_screenshot_as_png())).convert("RGB"))
    finally:
        driver.quit()
    desktop, phone = pictures
    sheet = Image.new("RGB", (desktop.width + GAP + phone.width, max(desktop.height, phone.height)), "white")
    sheet.paste(desktop, (0, 0))
    sheet.paste(phone, (desktop.width + GAP, 0))
    return sheet


async def main() -> None:
    from bot.app import build_app
    from dashboard import server as dashboard_server
    from handlers.dashboard_access import login_address
    from storage import dashboard_repo, people_repo
    from storage.models import Role

    with tempfile.TemporaryDirectory(prefix="tynchtyk-screenshots-") as directory:
        port = free_port()
        app = await build_app(make_settings(Path(directory), dashboard_port=port))
        try:
            async with app.sessions() as session, session.begin():
                coordinator, _ = await people_repo.get_or_create_user(session, "telegram", "100")
                coordinator.role, coordinator.coordinator_regions, coordinator.language = Role.COORDINATOR, REGIONS, "en"
                await session.flush()
                her_id = coordinator.id
                token = await dashboard_repo.issue_link(session, app.hasher, coordinator, app.engine.clock())
            await add_reports(app, 60, seed=3, days=60, assigned_to=her_id)
            root = web.Application()
            dashboard_server.mount(root, app)
            runner = web.AppRunner(root, access_log=None, shutdown_timeout=5)
            await runner.setup()
            await web.TCPSite(runner, "127.0.0.1", port).start()
            try:
                sheet = await asyncio.to_thread(shoot, login_address(app.settings, token))
            finally:
                await runner.cleanup()
        finally:
            await app.close()
    # A palette of 64 colours keeps the file small; the page has few colours of its own.
    sheet.quantize(64, dither=Image.Dither.NONE).save(OUT, optimize=True)
    print(f"{OUT.relative_to(ROOT)} written: {sheet.width}x{sheet.height}, {OUT.stat().st_size // 1024} KB")


if __name__ == "__main__":
    asyncio.run(main())

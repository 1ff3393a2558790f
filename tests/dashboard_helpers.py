"""What the dashboard's tests share: the way in from the bot's link, and a page's form token.
(The `browser` fixture, aiohttp's test client on the dashboard, is in conftest.py.)"""

from __future__ import annotations

import re

from aiohttp.test_utils import TestClient


LINK = re.compile(r"http://[^\s]+/dashboard/login/([A-Za-z0-9_\-]+)")


async def link_from_bot(user) -> str:  # type: ignore[no-untyped-def]
    """Coordinator menu → Dashboard, as she would press it; the token of the link it sends."""
    await user.send("/start")
    await user.press_action("coord")
    await user.press("Dashboard")
    found = LINK.search(user.text)
    assert found, user.text
    return found.group(1)


async def log_in(browser: TestClient, token: str) -> str:
    """Open the link, press Continue; the session cookie as the server set it."""
    page = await browser.get(f"/dashboard/login/{token}")
    assert page.status == 200 and 'id="continue"' in await page.text()
    done = await browser.post(f"/dashboard/login/{token}", allow_redirects=False)
    assert done.status == 303 and done.headers["Location"] == "/dashboard/"
    return done.headers["Set-Cookie"]


def csrf_of(page: str) -> str:
    """The form token a page carries, as a browser would send it back."""
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
    assert found, "no form on this page"
    return found.group(1)

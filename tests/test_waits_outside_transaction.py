"""A long wait of an update is done outside its transaction: a file she sends is downloaded,
and a coordinator's spreadsheet or chart is built, while the others' updates are answered (on
SQLite a transaction that has written holds the one write lock, so such a wait inside it made
every other update wait for it, and past 30 s answered them "try again"). Her own next update
still waits for hers: they stay in order."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import select

from bot.app import App
from core.messages import Incoming, IncomingKind, Media
from storage import export
from storage.models import AuditEntry, ChatMessage, InboundMessage, Role
from tests.chat import CollectingChannel, ScriptedUser
from tests.dashboard_helpers import link_from_bot, log_in
from tests.helpers import PHOTO, file_report, make_staff, new_staff, onboard, question, t, walk_to


class SlowDownloads:
    """The channel's download, held until the test lets it finish; counts the downloads."""

    def __init__(self, channel: CollectingChannel) -> None:
        self.started = asyncio.Event()
        self.release = asyncio.Event()
        self.count = 0
        self._download = channel.download
        channel.download = self.download  # type: ignore[method-assign]

    async def download(self, media: Media) -> bytes:
        self.count += 1
        self.started.set()
        await self.release.wait()
        return await self._download(media)


async def at_the_photo_step(app: App, make_user, channel: CollectingChannel,  # type: ignore[no-untyped-def]
                            user_key: str) -> tuple[ScriptedUser, SlowDownloads]:
    """She is at the incident report's photo step; the channel's downloads are held."""
    she = make_user(user_key=user_key, language_hint="en")
    await onboard(she, "en", None)
    await walk_to(app, she, "evidence")
    assert question(app, "incident", "evidence", "en") in she.text
    channel.files["photo-1"] = PHOTO
    return she, SlowDownloads(channel)


async def built_while_others_write(other: ScriptedUser, export_started: Callable[[], Awaitable[Any]],
                                   monkeypatch: pytest.MonkeyPatch) -> tuple[Any, list[Any]]:
    """Start an export whose file is built apart (`export.built_apart`, held until the other
    person has been answered); what the export gave, and what was built."""
    started, release, built = asyncio.Event(), asyncio.Event(), []
    build_apart = export.built_apart

    async def held(build, *arguments, **options):  # type: ignore[no-untyped-def]
        built.append(build)
        started.set()
        await release.wait()
        return await build_apart(build, *arguments, **options)

    monkeypatch.setattr(export, "built_apart", held)
    exporting = asyncio.create_task(export_started())
    await asyncio.wait_for(started.wait(), 10)
    await asyncio.wait_for(other.send("/menu"), 10)  # the file is still being built
    assert "Main menu" in other.text and not exporting.done()
    release.set()
    return await asyncio.wait_for(exporting, 60), built


async def exports_audited(app: App) -> list[int]:
    async with app.sessions() as session:
        entries = await session.scalars(select(AuditEntry.details).where(AuditEntry.action == "report.export"))
        return [entry["count"] for entry in entries]


async def test_others_are_answered_while_her_file_downloads(app: App, make_user, channel: CollectingChannel) -> None:
    other = make_user(user_key="702", language_hint="en")
    await onboard(other, "en", None)
    she, downloads = await at_the_photo_step(app, make_user, channel, "701")
    sending = asyncio.create_task(she.send_media(Media("photo", "photo-1", size=len(PHOTO), mime_type="image/jpeg")))
    await asyncio.wait_for(downloads.started.wait(), 10)
    await asyncio.wait_for(other.send("/menu"), 10)  # her download is still going on
    assert other.text == t(app, "en", "main-menu") and not sending.done()
    downloads.release.set()
    await asyncio.wait_for(sending, 10)
    assert t(app, "en", "form-file-received", count=1, limit=5) in she.text
    assert downloads.count == 1  # fetched once, though her update ran its transaction again with it
    async with app.sessions() as session:
        kept = list(await session.scalars(select(ChatMessage.message_id)))
    assert len(kept) == len(set(kept))  # the id of her photo's message kept once, not for each pass


async def test_a_file_delivered_again_is_answered_and_fetched_once(app: App, make_user, channel: CollectingChannel) -> None:
    she, downloads = await at_the_photo_step(app, make_user, channel, "705")
    downloads.release.set()
    photo = Incoming("telegram", "705", "705", IncomingKind.MEDIA, message_id="88", delivery_key="update:88",
                     media=Media("photo", "photo-1", size=len(PHOTO), mime_type="image/jpeg"), language_hint="en")
    first = await app.engine.handle(photo, channel)
    again = await app.engine.handle(photo, channel)  # Telegram sends it again after a restart
    assert any(t(app, "en", "form-file-received", count=1, limit=5) in effect.text for effect in first)  # type: ignore[attr-defined]
    assert again == [] and downloads.count == 1
    async with app.sessions() as session:
        assert len(list(await session.scalars(select(InboundMessage)))) == 1


async def test_her_next_update_waits_for_her_download(app: App, make_user, channel: CollectingChannel) -> None:
    she, downloads = await at_the_photo_step(app, make_user, channel, "703")
    sending = asyncio.create_task(she.send_media(Media("photo", "photo-1", size=len(PHOTO), mime_type="image/jpeg")))
    await asyncio.wait_for(downloads.started.wait(), 10)
    typed = asyncio.create_task(she.send("one more"))
    await asyncio.sleep(0.05)
    assert not typed.done()  # what she typed next is taken after her photo, not beside it
    downloads.release.set()
    await asyncio.wait_for(asyncio.gather(sending, typed), 10)
    texts = [reply.text for _, reply in channel.sent_to["703"]]
    received = texts.index(t(app, "en", "form-file-received", count=1, limit=5))
    # Her photo answered (and the question asked again), then what she typed: not a file.
    assert texts[received + 2:-1] == [t(app, "en", "form-need-media")]


@pytest.mark.parametrize("failure", [KeyError, TimeoutError])
async def test_a_download_that_fails_outside_the_transaction_is_told_as_before(
    app: App, make_user, channel: CollectingChannel, failure: type[Exception]
) -> None:
    she = make_user(user_key="704", language_hint="en")
    await onboard(she, "en", None)
    await walk_to(app, she, "evidence")

    async def failing(media: Media) -> bytes:
        raise failure("the file server is away")

    channel.download = failing  # type: ignore[method-assign]
    await she.send_media(Media("photo", "photo-1", size=len(PHOTO), mime_type="image/jpeg"))
    assert t(app, "en", "form-file-failed") in she.text
    channel.download = CollectingChannel.download.__get__(channel)  # type: ignore[method-assign]
    channel.files["photo-1"] = PHOTO
    await she.send_media(Media("photo", "photo-1", size=len(PHOTO), mime_type="image/jpeg"))
    assert t(app, "en", "form-file-received", count=1, limit=5) in she.text  # her draft was kept


async def test_others_are_answered_while_her_spreadsheet_is_built(app: App, make_user, channel: CollectingChannel,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    await file_report(app, make_user, "711", "naryn")
    admin, other = make_user(user_key="712", language_hint="en"), make_user(user_key="713", language_hint="en")
    await onboard(admin, "en", None)
    await onboard(other, "en", None)
    await make_staff(app, "712", Role.ADMIN, [])
    await admin.send("/reports")
    _, built = await built_while_others_write(other, lambda: admin.press("Excel"), monkeypatch)
    [workbook] = [reply for reply in admin.replies if reply.file]
    assert workbook.file is not None and workbook.file.file_name.endswith(".xlsx")
    assert built == [export.to_xlsx]  # built once, after her transaction committed
    assert await exports_audited(app) == [1]  # and written to the audit log once


async def test_chats_are_answered_while_a_dashboard_spreadsheet_is_built(app: App, make_user, browser: TestClient, clock,  # type: ignore[no-untyped-def]
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    await file_report(app, make_user, "721", "naryn")
    other = make_user(user_key="722", language_hint="en")
    await onboard(other, "en", None)
    staff = await new_staff(app, make_user, "723", Role.ADMIN, [])
    await log_in(browser, await link_from_bot(staff))
    clock.now += timedelta(minutes=1)  # the page records her visit: its transaction writes
    response, built = await built_while_others_write(other, lambda: browser.get("/dashboard/export.xlsx"), monkeypatch)
    assert response.status == 200 and (await response.read()).startswith(b"PK")  # an XLSX is a zip
    assert built == [export.to_xlsx] and await exports_audited(app) == [1]


async def test_a_spreadsheet_that_cannot_be_built_is_told_and_the_menu_stays(app: App, make_user,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    await file_report(app, make_user, "731", "naryn")
    admin = make_user(user_key="732", language_hint="en")
    await onboard(admin, "en", None)
    await make_staff(app, "732", Role.ADMIN, [])
    await admin.send("/reports")

    async def broken(build, *arguments, **options):  # type: ignore[no-untyped-def]
        raise OSError("the worker process could not start")

    monkeypatch.setattr(export, "built_apart", broken)
    await admin.press("Excel")
    assert t(app, "en", "error-generic") in admin.text and not [reply for reply in admin.replies if reply.file]
    await admin.press("CSV")  # the reports menu is still the one in force
    assert [reply.file.file_name for reply in admin.replies if reply.file][0].endswith(".csv")  # type: ignore[union-attr]

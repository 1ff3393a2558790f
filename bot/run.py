"""Serving the channels: Telegram by long polling (or its webhook when WEBHOOK_URL is set) and
WhatsApp's webhook when its settings are set; one web server holds both webhooks."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal
from dataclasses import replace

from aiohttp import web
from aiogram import Dispatcher
from aiogram.exceptions import TelegramAPIError
from aiogram.webhook.aiohttp_server import SimpleRequestHandler

from bot.app import App
from dashboard import server as dashboard
from bot.channels.telegram import TelegramChannel, create_bot
from bot.channels.whatsapp import WhatsAppChannel
from core.engine import OutputChannel
from core.logs import log_event
from core.messages import Receipt
from bot.settings import Settings
from scheduler.leader import lead, lock_for
from scheduler.runner import start_scheduler
from storage import broadcast_repo

logger = logging.getLogger("tynchtyk.run")


async def serve(app: App, reuse_port: bool = False) -> None:
    """Serve until SIGTERM or SIGINT. `reuse_port`: one of several worker processes on one port."""
    settings = app.settings
    problem = settings.serving_problem()
    if problem:
        raise SystemExit(problem)
    channels: dict[str, OutputChannel] = {}
    web_app = web.Application()
    web_app.router.add_get("/health", _health)
    if settings.dashboard_enabled:
        dashboard.mount(web_app, app)
    telegram: TelegramChannel | None = None
    commands: asyncio.Task[None] | None = None
    dispatcher: Dispatcher | None = None
    whatsapp: WhatsAppChannel | None = None

    if settings.telegram_bot_token is not None:
        telegram = TelegramChannel(create_bot(settings), app.engine)
        dispatcher = telegram.dispatcher()
        me = await telegram.bot.get_me()
        telegram.capabilities = replace(telegram.capabilities, start_link=f"https://t.me/{me.username}?start=")
        # The command menu in each language is set while the bot already answers: four calls
        # that a first answer after a restart need not wait for.
        commands = asyncio.create_task(_register_commands(telegram, app))
        channels["telegram"] = telegram
        if settings.webhook_url:
            secret = settings.webhook_secret.get_secret_value()  # type: ignore[union-attr]
            SimpleRequestHandler(dispatcher=dispatcher, bot=telegram.bot, secret_token=secret).register(
                web_app, path=settings.webhook_path
            )
    if settings.whatsapp_enabled:
        whatsapp = whatsapp_channel(app)
        await whatsapp.start()
        whatsapp.add_routes(web_app)
        channels["whatsapp"] = whatsapp
    for channel in channels.values():
        app.engine.register_channel(channel)
    keep_startup_objects_out_of_collections()

    leader_stop = asyncio.Event()
    leading = asyncio.create_task(
        lead(lock_for(app.database, settings.data_dir), lambda: start_scheduler(app, channels), leader_stop,
             every=settings.leader_check_seconds)
    )
    runner: web.AppRunner | None = None
    polling: asyncio.Task[None] | None = None
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        runner = await start_web(web_app, web_addresses(settings, webhooks=bool(settings.webhook_url or whatsapp)),
                                 reuse_port=reuse_port)
        if telegram is not None and dispatcher is not None:
            if settings.webhook_url:
                await telegram.bot.set_webhook(
                    settings.webhook_url.rstrip("/") + settings.webhook_path,
                    secret_token=settings.webhook_secret.get_secret_value(),  # type: ignore[union-attr]
                    allowed_updates=["message", "callback_query"],
                )
            else:
                log_event(logger, "polling Telegram")
                await telegram.bot.delete_webhook(drop_pending_updates=False)
                polling = asyncio.create_task(
                    dispatcher.start_polling(telegram.bot, polling_timeout=20, handle_signals=False, close_bot_session=False)
                )
                polling.add_done_callback(lambda _task: stop.set())
        await stop.wait()
    finally:
        if polling is not None and dispatcher is not None:
            with contextlib.suppress(RuntimeError):  # already stopped
                await dispatcher.stop_polling()
            await asyncio.wait([polling], timeout=10)
        if commands is not None:
            commands.cancel()
            await asyncio.gather(commands, return_exceptions=True)
        if runner is not None:
            await runner.cleanup()
        leader_stop.set()
        await leading
        await app.engine.drain(timeout=10)
        if whatsapp is not None:
            await whatsapp.close()
        if telegram is not None:
            await telegram.bot.session.close()


async def _register_commands(telegram: TelegramChannel, app: App) -> None:
    try:
        await telegram.register_commands(app.content)
    except TelegramAPIError as error:  # the menu of commands stays as it was; the chats go on
        log_event(logger, "command menu not set", logging.WARNING, error=type(error).__name__)


def keep_startup_objects_out_of_collections() -> None:
    """What is loaded by now (content, models, templates, the libraries) lives as long as the
    process. Frozen, it is left out of the collector's full passes: each would walk all of it
    (some 330,000 objects) and stall every chat for about 0.3 s, every few seconds at 100 updates a
    second (bench/whatsapp_webhook.py). No collection first: it would cost the start some 0.2 s
    to free a few hundred objects. The collector, paused while the bot starts (`python -m bot
    run`), runs again from here."""
    gc.freeze()
    gc.enable()


def web_addresses(settings: Settings, webhooks: bool) -> list[tuple[str, int, bool]]:
    """Where the web server listens: (host, port, required). The webhooks' address is required;
    the dashboard's is its own unless it shares the webhooks' port, where it is served too."""
    addresses = [(settings.webhook_host, settings.webhook_port, True)] if webhooks else []
    if settings.dashboard_enabled and not (webhooks and settings.dashboard_port == settings.webhook_port):
        addresses.append((settings.dashboard_host, settings.dashboard_port, False))
    return addresses


async def start_web(web_app: web.Application, addresses: list[tuple[str, int, bool]],
                    reuse_port: bool = False) -> web.AppRunner | None:
    """One aiohttp server for the webhooks and the dashboard. A dashboard port already taken is
    told in the log and the chats go on; a webhook port taken stops the start."""
    if not addresses:
        return None
    runner = web.AppRunner(web_app, access_log=None)
    await runner.setup()
    for host, port, required in addresses:
        try:
            await web.TCPSite(runner, host, port, reuse_port=reuse_port or None).start()
        except OSError as error:
            if required:
                await runner.cleanup()
                raise
            log_event(logger, "dashboard not served: its address is taken", logging.ERROR, port=port, error=error.errno)
            continue
        log_event(logger, "web server listening", port=port)
    return runner


def whatsapp_channel(app: App, settings: Settings | None = None) -> WhatsAppChannel:
    """The WhatsApp channel, with its delivery receipts written to the outbox."""
    return WhatsAppChannel(settings or app.settings, app.engine, app.content, on_receipts=lambda found: _record(app, found))


async def _record(app: App, receipts: list[Receipt]) -> None:
    async with app.sessions() as session, session.begin():
        await broadcast_repo.record_receipts(session, receipts)


async def _health(_request: web.Request) -> web.Response:
    return web.Response(text="ok")

"""Serving Telegram: long polling, or a webhook server when WEBHOOK_URL is set."""

from __future__ import annotations

import asyncio
import logging
import signal
from dataclasses import replace

from aiohttp import web
from aiogram.webhook.aiohttp_server import SimpleRequestHandler

from bot.app import App
from bot.channels.telegram import TelegramChannel, create_bot
from bot.logs import log_event
from scheduler.runner import start_scheduler

logger = logging.getLogger("tynchtyk.run")


async def serve(app: App) -> None:
    settings = app.settings
    if settings.telegram_bot_token is None:
        raise SystemExit("TELEGRAM_BOT_TOKEN is not set: nothing to serve. Try `make demo` for the terminal bot.")
    bot = create_bot(settings)
    channel = TelegramChannel(bot, app.engine)
    dispatcher = channel.dispatcher()
    me = await bot.get_me()
    channel.capabilities = replace(channel.capabilities, start_link=f"https://t.me/{me.username}?start=")
    app.engine.register_channel(channel)
    await channel.register_commands(app.content)
    scheduler = await start_scheduler(app, {"telegram": channel})
    try:
        if settings.webhook_url:
            await _serve_webhook(app, channel, dispatcher)
        else:
            log_event(logger, "polling Telegram")
            await bot.delete_webhook(drop_pending_updates=False)
            await dispatcher.start_polling(bot, polling_timeout=20, handle_signals=True, close_bot_session=False)
    finally:
        scheduler.shutdown(wait=False)
        await app.engine.drain(timeout=10)
        await bot.session.close()


async def _serve_webhook(app: App, channel: TelegramChannel, dispatcher) -> None:  # type: ignore[no-untyped-def]
    settings = app.settings
    if settings.webhook_secret is None:
        raise SystemExit("WEBHOOK_SECRET must be set with WEBHOOK_URL, so that forged updates are refused.")
    secret = settings.webhook_secret.get_secret_value()
    web_app = web.Application()
    SimpleRequestHandler(dispatcher=dispatcher, bot=channel.bot, secret_token=secret).register(
        web_app, path=settings.webhook_path
    )
    web_app.router.add_get("/health", _health)
    runner = web.AppRunner(web_app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, settings.webhook_host, settings.webhook_port)
    await site.start()
    await channel.bot.set_webhook(
        settings.webhook_url.rstrip("/") + settings.webhook_path,
        secret_token=secret,
        allowed_updates=["message", "callback_query"],
    )
    log_event(logger, "webhook listening", port=settings.webhook_port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()


async def _health(_request: web.Request) -> web.Response:
    return web.Response(text="ok")

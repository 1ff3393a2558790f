"""Throughput of the WhatsApp webhook: Meta's signed POSTs in, Graph API sends out, against the
fake Graph API (tests/fake_whatsapp.py), everything in one process and one event loop.

  (a) ours: each person types her way through onboarding and the menus (the same script as
      bench/telegram_vs_echo.py), every message a signed webhook POST; an update counts when
      its POST has been answered (the bot answers after its replies are sent).
  (b) an echo webhook on the same aiohttp stack: checks the signature, parses the JSON and sends
      the text back through the same Graph client, one send per message.

(a) / (b) is the headline: what the conversation engine, the database and the rendering cost on
top of the webhook round trip itself. People run concurrently; each one's messages in order.

    .venv/bin/python bench/whatsapp_webhook.py [--users 40] [--quick]
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
from pathlib import Path
from typing import Any

from common import banner, make_settings, parser, temp_dir, write_json

from aiohttp import web
from pydantic import SecretStr

SCRIPT = ["/start", "English", "Skip", "/help", "Main menu", "Settings", "Region", "Osh city", "Main menu", "Lessons"]
VERIFY_TOKEN = "bench"


async def serve(app_web: web.Application) -> tuple[web.AppRunner, str]:
    from tests.bot_process import free_port

    runner = web.AppRunner(app_web, access_log=None)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner, f"http://127.0.0.1:{port}/whatsapp/webhook"


async def drive(url: str, secret: str, users: int, first_id: int) -> tuple[float, int, list[float]]:
    """Every person's script, people concurrently; returns (seconds, updates, per-update seconds)."""
    import aiohttp

    from tests.fake_whatsapp import text_message

    timings: list[float] = []

    async def person(session: aiohttp.ClientSession, wa_id: str) -> None:
        for text in SCRIPT:
            body = json.dumps(text_message(wa_id, text), separators=(",", ":")).encode()
            signature = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
            started = time.perf_counter()
            async with session.post(url, data=body, headers={"X-Hub-Signature-256": signature,
                                                             "Content-Type": "application/json"}) as response:
                assert response.status == 200, response.status
            timings.append(time.perf_counter() - started)

    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:
        started = time.perf_counter()
        await asyncio.gather(*(person(session, str(996_700_000_000 + first_id + n)) for n in range(users)))
        seconds = time.perf_counter() - started
    return seconds, users * len(SCRIPT), timings


async def ours(users: int) -> dict[str, Any]:
    from bot.app import build_app
    from bot.run import whatsapp_channel
    from tests.fake_whatsapp import FakeGraphAPI

    async with FakeGraphAPI() as graph:
        graph.enforce_window = False
        with temp_dir("whatsapp") as directory:
            settings = make_settings(
                Path(directory), whatsapp_token=SecretStr(graph.token), whatsapp_phone_number_id=graph.phone_number_id,
                whatsapp_app_secret=SecretStr(graph.app_secret), whatsapp_verify_token=SecretStr(VERIFY_TOKEN),
                whatsapp_api_url=graph.base_url,
            )
            app = await build_app(settings)
            channel = whatsapp_channel(app)
            app.engine.register_channel(channel)
            web_app = web.Application()
            channel.add_routes(web_app)
            runner, url = await serve(web_app)
            try:
                await drive(url, graph.app_secret, 2, first_id=900_000)  # warm up imports and caches
                seconds, updates, timings = await drive(url, graph.app_secret, users, first_id=0)
                rejected = len(graph.rejected)
                sends = len(graph.sent)
            finally:
                await runner.cleanup()
                await channel.close()
                await app.close()
    return figures(seconds, updates, timings) | {"sends": sends, "rejected": rejected}


async def echo(users: int) -> dict[str, Any]:
    """A bare webhook: signature, JSON, one text back through the same Graph client."""
    from bot.channels.whatsapp import GraphClient, parse_webhook, text_message
    from tests.fake_whatsapp import FakeGraphAPI

    async with FakeGraphAPI() as graph:
        graph.enforce_window = False
        client = GraphClient(graph.base_url, graph.token, graph.phone_number_id)
        secret = graph.app_secret.encode()

        async def receive(request: web.Request) -> web.Response:
            body = await request.read()
            expected = "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()
            if not hmac.compare_digest(expected, request.headers.get("X-Hub-Signature-256", "")):
                return web.Response(status=401)
            incoming, _ = parse_webhook(json.loads(body), graph.phone_number_id)
            for update in incoming:
                await client.send(update.chat_key, text_message(update.text or "…"))
            return web.Response(text="ok")

        web_app = web.Application()
        web_app.router.add_post("/whatsapp/webhook", receive)
        runner, url = await serve(web_app)
        try:
            await drive(url, graph.app_secret, 2, first_id=900_000)
            seconds, updates, timings = await drive(url, graph.app_secret, users, first_id=0)
        finally:
            await runner.cleanup()
            await client.close()
    return figures(seconds, updates, timings)


def figures(seconds: float, updates: int, timings: list[float]) -> dict[str, Any]:
    from common import latency_ms

    return {"updates": updates, "seconds": seconds, "updates_per_s": updates / seconds, **latency_ms(timings)}


async def main_async(users: int, json_path: Path | None) -> None:
    banner("WhatsApp webhook: ours vs an echo webhook, fake Graph API on 127.0.0.1")
    echo_figures = await echo(users)
    ours_figures = await ours(users)
    ratio = ours_figures["updates_per_s"] / echo_figures["updates_per_s"]
    for name, result in (("echo", echo_figures), ("ours", ours_figures)):
        print(f"   {name:5} {result['updates']:5} updates in {result['seconds']:6.2f} s = "
              f"{result['updates_per_s']:7.1f}/s   p50 {result['p50_ms']:6.1f} ms   p99 {result['p99_ms']:7.1f} ms")
    print(f"   ours / echo = {ratio:.2f}   (Graph API sends: {ours_figures['sends']}, "
          f"rejected for WhatsApp's limits: {ours_figures['rejected']})")
    write_json(json_path, {"users": users, "ours": ours_figures, "echo": echo_figures, "ratio": ratio})


def main() -> None:
    arguments = parser(__doc__.splitlines()[0])
    arguments.add_argument("--users", type=int, default=40)
    options = arguments.parse_args()
    asyncio.run(main_async(3 if options.quick else options.users, options.json))


if __name__ == "__main__":
    main()

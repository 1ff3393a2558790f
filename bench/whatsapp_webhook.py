"""Throughput of the WhatsApp webhook: Meta's signed POSTs in, Graph API sends out, against the
fake Graph API (tests/fake_whatsapp.py), everything in one process and one event loop.

  (a) ours: each person types her way through onboarding and the menus (the same script as
      bench/telegram_vs_echo.py), every message a signed webhook POST; an update counts when
      its POST has been answered (the bot answers after its replies are sent).
  (b) an echo webhook on the same aiohttp stack, what any WhatsApp bot must do: check the
      signature, parse the JSON and send one text back through the same Graph client.
  (c) the same echo webhook doing one SQLite read + write transaction per message (session.get,
      an attribute, commit, on a migrated database, as engine_menus' bare baseline): what any
      bot that stores something per message can reach here.

(a) / (b) is the headline. People run concurrently; each one's messages in order. The three run
in turn, round after round, so that all of them see the same machine; every round prints its
own ratios and the headline is their median. "CPU/update" is the process's CPU time over the
timed run (aiosqlite's threads included) per update: on a shared machine it moves least.

--statuses adds Meta's status callbacks: for every message the bot sends, "sent", "delivered"
and "read" follow, each its own signed POST, while the people write (the echo webhooks answer
them after the signature and the JSON; ours records them).

    .venv/bin/python bench/whatsapp_webhook.py [--users 40] [--rounds 3] [--statuses] [--quick]
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import statistics
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from common import banner, latency_ms, make_settings, parser, serving_heap, temp_dir, write_json

from aiohttp import web
from pydantic import SecretStr

SCRIPT = ["/start", "English", "Skip", "/help", "Main menu", "Settings", "Region", "Osh city", "Main menu", "Lessons"]
VERIFY_TOKEN = "bench"
FIRST_PERSON = 996_700_000_000
WARM_UP_FIRST = 900_000  # two people walk the script untimed first (imports, caches, connections)
RUNS = ("echo", "echo + 1 txn", "ours")


async def main_async(users: int, rounds: int, statuses: bool, json_path: Path | None) -> None:
    banner("WhatsApp webhook: ours vs an echo webhook, fake Graph API on 127.0.0.1")
    print(f"   {users} people x {len(SCRIPT)} typed messages a run, {rounds} rounds"
          + (", with Meta's status callbacks (sent, delivered, read per message sent)" if statuses else ""))
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in RUNS}
    for round_number in range(1, rounds + 1):
        for name in RUNS:
            runs[name].append(await RUNNERS[name](users, statuses))
        line = "   ".join(f"{name} {runs[name][-1]['updates_per_s']:6.1f}/s" for name in RUNS)
        ratio = runs["ours"][-1]["updates_per_s"] / runs["echo"][-1]["updates_per_s"]
        print(f"   round {round_number}: {line}   ours / echo = {ratio:.2f}", flush=True)
    summary = {name: median_run(results) for name, results in runs.items()}
    ratio = statistics.median(ours["updates_per_s"] / echo["updates_per_s"]
                              for ours, echo in zip(runs["ours"], runs["echo"], strict=True))
    ratio_txn = statistics.median(ours["updates_per_s"] / echo["updates_per_s"]
                                  for ours, echo in zip(runs["ours"], runs["echo + 1 txn"], strict=True))
    for name in RUNS:
        result = summary[name]
        print(f"   {name:12} {result['updates']:5} updates {result['updates_per_s']:7.1f}/s   "
              f"CPU/update {result['cpu_ms']:5.2f} ms   p50 {result['p50_ms']:6.1f} ms   p99 {result['p99_ms']:7.1f} ms"
              "   (medians of the rounds)")
    ours = summary["ours"]
    print(f"   ours / echo = {ratio:.2f}   ours / (echo + 1 txn) = {ratio_txn:.2f}   (medians of the rounds' ratios)")
    print(f"   the same in CPU per update: echo's / ours = {summary['echo']['cpu_ms'] / ours['cpu_ms']:.2f}   "
          f"(echo + 1 txn)'s / ours = {summary['echo + 1 txn']['cpu_ms'] / ours['cpu_ms']:.2f}")
    print(f"   Graph API sends per run: {ours['sends']}, refused for WhatsApp's limits: {ours['rejected']}"
          + (f"; status callbacks per run: {ours['statuses']}, refused: {ours['statuses_refused']}" if statuses else ""))
    write_json(json_path, {"users": users, "rounds": rounds, "statuses": statuses, "ours": ours,
                           "echo": summary["echo"], "echo_txn": summary["echo + 1 txn"],
                           "ratio": ratio, "ratio_to_echo_txn": ratio_txn, "runs": runs})


async def ours(users: int, statuses: bool) -> dict[str, Any]:
    from bot.app import build_app
    from bot.run import whatsapp_channel

    async with graph_api() as graph, temp_directory("whatsapp") as directory:
        settings = make_settings(
            directory, whatsapp_token=SecretStr(graph.token), whatsapp_phone_number_id=graph.phone_number_id,
            whatsapp_app_secret=SecretStr(graph.app_secret), whatsapp_verify_token=SecretStr(VERIFY_TOKEN),
            whatsapp_api_url=graph.base_url,
        )
        app = await build_app(settings)
        channel = whatsapp_channel(app)
        app.engine.register_channel(channel)
        web_app = web.Application()
        channel.add_routes(web_app)
        try:
            async with served(web_app) as url:
                result = await measure(url, graph, users, statuses)
        finally:
            await channel.close()
            await app.close()
    return result


async def echo(users: int, statuses: bool) -> dict[str, Any]:
    return await echo_webhook(users, statuses, with_database=False)


async def echo_with_database(users: int, statuses: bool) -> dict[str, Any]:
    return await echo_webhook(users, statuses, with_database=True)


async def echo_webhook(users: int, statuses: bool, with_database: bool) -> dict[str, Any]:
    """A bare webhook: signature, JSON, one text back through the same Graph client; with_database,
    one read + write transaction per message as well."""
    from sqlalchemy import insert

    from bot.app import build_app
    from bot.channels.whatsapp import GraphClient, parse_webhook, text_message
    from storage.models import User

    async with graph_api() as graph, temp_directory("whatsapp-echo") as directory:
        client = GraphClient(graph.base_url, graph.token, graph.phone_number_id)
        secret = graph.app_secret.encode()
        app = None
        user_ids: dict[str, int] = {}
        if with_database:
            app = await build_app(make_settings(directory))
            now = app.engine.clock()
            numbers = [*people(2, WARM_UP_FIRST), *people(users, 0)]
            user_ids = {number: index for index, number in enumerate(numbers, 1)}
            async with app.database.begin() as connection:
                await connection.execute(insert(User), [
                    {"id": index, "channel": "whatsapp", "external_id": number, "role": "member",
                     "coordinator_regions": [], "active": True, "created_at": now, "last_seen_at": now}
                    for number, index in user_ids.items()
                ])

        async def receive(request: web.Request) -> web.Response:
            body = await request.read()
            expected = "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()
            if not hmac.compare_digest(expected, request.headers.get("X-Hub-Signature-256", "")):
                return web.Response(status=401)
            incoming, _ = parse_webhook(json.loads(body), graph.phone_number_id)
            for update in incoming:
                if app is not None:
                    async with app.sessions() as session, session.begin():
                        user = await session.get(User, user_ids[update.user_key])
                        assert user is not None
                        user.last_seen_at = app.engine.clock()
                await client.send(update.chat_key, text_message(update.text or "…"))
            return web.Response(text="ok")

        web_app = web.Application()
        web_app.router.add_post("/whatsapp/webhook", receive)
        try:
            async with served(web_app) as url:
                result = await measure(url, graph, users, statuses)
        finally:
            await client.close()
            if app is not None:
                await app.close()
    return result


RUNNERS: dict[str, Callable[[int, bool], Awaitable[dict[str, Any]]]] = {
    "echo": echo, "echo + 1 txn": echo_with_database, "ours": ours,
}


async def measure(url: str, graph: Any, users: int, statuses: bool) -> dict[str, Any]:
    """Two people untimed, then everyone at once, timed; what the fake saw of the timed run."""
    import aiohttp

    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:
        meta = StatusCallbacks(session, url, graph) if statuses else None
        await drive(session, url, graph.app_secret, people(2, WARM_UP_FIRST), meta)
        if meta is not None:
            await meta.drain()
        sends_before, statuses_before = len(graph.sent), meta.posted if meta else 0
        with serving_heap():  # the setup's objects (the other runs' garbage too) out of the timed run
            cpu_started, started = time.process_time(), time.perf_counter()
            timings = await drive(session, url, graph.app_secret, people(users, 0), meta)
            if meta is not None:
                await meta.drain()
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    updates = len(timings)
    return {
        "updates": updates, "seconds": seconds, "updates_per_s": updates / seconds, "cpu_ms": cpu * 1000 / updates,
        **latency_ms(timings), "sends": len(graph.sent) - sends_before, "rejected": len(graph.rejected),
        "statuses": (meta.posted - statuses_before) if meta else 0, "statuses_refused": meta.refused if meta else 0,
    }


async def drive(session: Any, url: str, secret: str, numbers: list[str], meta: StatusCallbacks | None) -> list[float]:
    """Every person's script, people concurrently, each waiting for her answer; per-update seconds."""
    from tests.fake_whatsapp import text_message

    timings: list[float] = []

    async def person(wa_id: str) -> None:
        for text in SCRIPT:
            started = time.perf_counter()
            status = await post_signed(session, url, secret, text_message(wa_id, text))
            assert status == 200, status
            timings.append(time.perf_counter() - started)
            if meta is not None:
                meta.follow_new_sends()

    await asyncio.gather(*(person(wa_id) for wa_id in numbers))
    return timings


class StatusCallbacks:
    """Meta's part: for every message sent, its "sent", "delivered" and "read" callbacks, each
    POSTed on its own, in that order, while the people go on writing."""

    def __init__(self, session: Any, url: str, graph: Any) -> None:
        self.session, self.url, self.graph = session, url, graph
        self.posted = self.refused = 0
        self._seen = 0
        self._tasks: set[asyncio.Task[None]] = set()

    def follow_new_sends(self) -> None:
        new, self._seen = self.graph.sent[self._seen:], len(self.graph.sent)
        for sent in new:
            task = asyncio.ensure_future(self._callbacks(sent))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def drain(self) -> None:
        self.follow_new_sends()
        while self._tasks:
            await asyncio.gather(*list(self._tasks))

    async def _callbacks(self, sent: Any) -> None:
        from tests.fake_whatsapp import status_payload

        for step, status in enumerate(("sent", "delivered", "read")):
            callback = {"id": sent.id, "status": status, "timestamp": str(int(sent.at) + step),
                        "recipient_id": sent.to}
            answer = await post_signed(self.session, self.url, self.graph.app_secret, status_payload([callback]))
            self.posted += 1
            self.refused += answer != 200


async def post_signed(session: Any, url: str, secret: str, payload: dict[str, Any]) -> int:
    body = json.dumps(payload, separators=(",", ":")).encode()
    signature = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    async with session.post(url, data=body, headers={"X-Hub-Signature-256": signature,
                                                     "Content-Type": "application/json"}) as response:
        await response.read()
        return int(response.status)


def people(count: int, first: int) -> list[str]:
    return [str(FIRST_PERSON + first + number) for number in range(count)]


@asynccontextmanager
async def graph_api() -> AsyncIterator[Any]:
    from tests.fake_whatsapp import FakeGraphAPI

    async with FakeGraphAPI() as graph:
        graph.enforce_window = False
        yield graph


@asynccontextmanager
async def temp_directory(prefix: str) -> AsyncIterator[Path]:
    with temp_dir(prefix) as directory:
        yield Path(directory)


@asynccontextmanager
async def served(app_web: web.Application) -> AsyncIterator[str]:
    from tests.bot_process import free_port

    runner = web.AppRunner(app_web, access_log=None)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield f"http://127.0.0.1:{port}/whatsapp/webhook"
    finally:
        await runner.cleanup()


def median_run(results: list[dict[str, Any]]) -> dict[str, Any]:
    """Each figure's median over the rounds (counts are the same in every round)."""
    return {key: statistics.median(result[key] for result in results) if isinstance(results[0][key], float)
            else results[0][key] for key in results[0]}


def main() -> None:
    arguments = parser(__doc__.splitlines()[0])
    arguments.add_argument("--users", type=int, default=40, help="people writing at the same time")
    arguments.add_argument("--rounds", type=int, default=3, help="rounds of echo, echo + 1 txn, ours")
    arguments.add_argument("--statuses", action="store_true",
                           help="Meta's status callbacks too (sent, delivered, read for every message sent)")
    options = arguments.parse_args()
    if options.quick:
        options.users, options.rounds = 3, 1
    asyncio.run(main_async(options.users, options.rounds, options.statuses, options.json))


if __name__ == "__main__":
    main()

"""Throughput through the real aiogram client against the fake Bot API: our bot vs a bare echo bot.

Everything runs in one process and one event loop: the fake Bot API (tests/fake_telegram.py, an
aiohttp server on 127.0.0.1), and the bot polling it through aiogram. All updates are pushed to the
fake up front; the clock runs from the start of polling until the fake has recorded the expected
number of answers (sendMessage / editMessageText calls).

  (a) ours, typed text only: each person sends /start and then types her way through the menus.
  (b) a bare aiogram echo bot (`await message.answer(message.text)`) with the same messages, and
      the same echo bot doing one SQLite read + write transaction per message (a reference for
      what any bot that stores something per update can reach here).
  (c) ours, mixed: people already onboarded (an untimed first phase) press inline buttons
      (callback queries, answered by editing the menu) and type commands and labels.

(a) / (b) is the headline: the echo bot is the floor aiogram + the fake allow on this machine.

    .venv/bin/python bench/telegram_vs_echo.py [--users 80] [--mixed-users 40] [--quick]

(`--users 200` gives the 2,000-update run of the brief; the default keeps bench/run_all.py short.)
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from common import banner, make_settings, parser, serving_heap, temp_dir, write_json

from pydantic import SecretStr

AIM_RATIO = 0.5
ANSWERS = ("sendMessage", "editMessageText")

# (what she types, how many messages the bot sends or edits in answer)
TEXT_SCRIPT: list[tuple[str, int]] = [
    ("/start", 1),  # the language picker
    ("English", 1),  # a typed label presses the button -> which region?
    ("Skip", 2),  # welcome + main menu
    ("/help", 1),
    ("Main menu", 1),
    ("Settings", 1),
    ("Region", 1),
    ("Osh city", 1),  # -> settings
    ("Main menu", 1),
    ("Lessons", 1),  # the course list
]

ONBOARDING: list[tuple[str, int]] = [("/start", 1), ("English", 1), ("Skip", 2)]
SECTION = "Find legal aid"  # a main-menu label; pressed by whatever action its button carries
# ("cb", action) presses a button of her main menu message; ("text", text) types
MIXED_SCRIPT: list[tuple[str, str, int]] = [
    ("cb", "set", 1),
    ("cb", "region", 1),
    ("cb", "region:set:osh_city", 1),
    ("cb", "home", 1),
    ("text", "/help", 1),
    ("cb", SECTION, 1),  # the main menu's "Find legal aid" button (its topics)
    ("cb", "home", 1),
    ("text", "/menu", 1),
    ("text", "Settings", 1),
    ("text", "Main menu", 1),
]

FIRST_USER = 700_000
WARM_UP_USERS = 3  # people run through each bot first, untimed (aiogram's models, SQL compile caches)
WARM_UP_FIRST = 600_000


def answer_counter(fake: Any, expected: int) -> tuple[Callable[[Any], bool], list[int]]:
    """A wait_for predicate that becomes true on the `expected`-th answer from now on.

    wait_for looks at every recorded call, earlier ones too, and again on each new wait_for, so
    calls are counted once each (by identity) and the answers recorded before are subtracted.
    """
    before = answers_in(fake.calls)
    counted: set[int] = set()
    seen = [-before]

    def count(call: Any) -> bool:
        if call.method in ANSWERS and id(call) not in counted:
            counted.add(id(call))
            seen[0] += 1
        return seen[0] >= expected

    return count, seen


async def poll_until(fake: Any, dispatcher: Any, bot: Any, expected: int, timeout: float,
                     stall: float = 10.0) -> tuple[float, int]:
    """Start polling; return (seconds until `expected` answers were recorded, answers seen).

    Gives up (seconds = nan) after `timeout`, or when no answer came for `stall` seconds.
    """
    done, seen = answer_counter(fake, expected)
    elapsed = float("nan")
    last = None
    with serving_heap():
        started = time.perf_counter()
        polling = asyncio.create_task(
            dispatcher.start_polling(bot, polling_timeout=1, handle_signals=False, close_bot_session=False)
        )
        while time.perf_counter() - started < timeout:
            try:
                await fake.wait_for(done, timeout=stall)
                elapsed = time.perf_counter() - started
                break
            except TimeoutError:
                if seen[0] == last:
                    break  # stalled: an update answered fewer messages than the script expects
                last = seen[0]
        await dispatcher.stop_polling()
        await polling
    return elapsed, max(seen[0], 0)


def answers_in(calls: list[Any]) -> int:
    return sum(1 for call in calls if call.method in ANSWERS)


class OurBot:
    """Our app and TelegramChannel, polling a fresh fake with a fresh database."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    async def __aenter__(self) -> OurBot:
        from tests.fake_telegram import FakeBotAPI

        from bot.app import build_app
        from bot.channels.telegram import TelegramChannel, create_bot

        self.fake = FakeBotAPI()
        await self.fake.start()
        settings = make_settings(
            self.directory,
            telegram_bot_token=SecretStr(self.fake.token),
            telegram_api_url=self.fake.base_url,
        )
        self.app = await build_app(settings)
        self.bot = create_bot(settings)
        self.channel = TelegramChannel(self.bot, self.app.engine)
        self.dispatcher = self.channel.dispatcher()
        return self

    async def run(self, expected: int, timeout: float) -> tuple[float, int]:
        """Poll until `expected` answers; returns (seconds, answers once the engine is idle again)."""
        before = answers_in(self.fake.calls)
        elapsed, _ = await poll_until(self.fake, self.dispatcher, self.bot, expected, timeout)
        await self.app.engine.drain(timeout=10)
        await asyncio.sleep(0.05)  # the last answerCallbackQuery calls
        return elapsed, answers_in(self.fake.calls) - before

    async def __aexit__(self, *exc_info: object) -> None:
        await self.bot.session.close()
        await self.fake.stop()
        await self.app.close()


def push_texts(fake: Any, users: int, script: list[tuple[str, int]], first: int = FIRST_USER) -> int:
    """Push each step for every person before the next step (people interleave); returns answers due."""
    for text, _ in script:
        for user in range(first, first + users):
            fake.message_update(user, text, language_code="en")
    return users * sum(answers for _, answers in script)


async def ours_text(users: int, timeout: float) -> dict[str, Any]:
    with temp_dir("tg-text") as directory:
        async with OurBot(Path(directory)) as ours:
            await ours.run(push_texts(ours.fake, WARM_UP_USERS, TEXT_SCRIPT, WARM_UP_FIRST), timeout)
            expected = push_texts(ours.fake, users, TEXT_SCRIPT)
            elapsed, seen = await ours.run(expected, timeout)
            failed = sum(1 for call in ours.fake.calls if call.status != 200 and call.method in ANSWERS)
    return figures("ours, typed text", users * len(TEXT_SCRIPT), expected, seen, elapsed, failed)


async def ours_mixed(users: int, timeout: float) -> dict[str, Any]:
    with temp_dir("tg-mixed") as directory:
        async with OurBot(Path(directory)) as ours:
            fake = ours.fake
            expected = push_texts(fake, users, ONBOARDING)
            onboarding_s, seen = await ours.run(expected, timeout)
            if seen < expected:
                raise RuntimeError(f"onboarding answered {seen} of {expected}")
            menus, section = {}, {}
            for user in range(FIRST_USER, FIRST_USER + users):
                with_buttons = [message for message in fake.bot_messages(user) if message.get("reply_markup")]
                menus[user] = with_buttons[-1]["message_id"]
                buttons = [button for row in with_buttons[-1]["reply_markup"]["inline_keyboard"] for button in row]
                section[user] = next(button["callback_data"] for button in buttons if SECTION in button["text"])
            before = len(fake.calls)
            for kind, value, _ in MIXED_SCRIPT:
                for user in range(FIRST_USER, FIRST_USER + users):
                    if kind == "cb":
                        action = section[user] if value == SECTION else value
                        fake.callback_update(user, action, message_id=menus[user], language_code="en")
                    else:
                        fake.message_update(user, value, language_code="en")
            expected = users * sum(answers for _, _, answers in MIXED_SCRIPT)
            elapsed, seen = await ours.run(expected, timeout)
            calls = fake.calls[before:]
            failed = sum(1 for call in calls if call.status != 200 and call.method in ANSWERS)
            presses = users * sum(1 for kind, _, _ in MIXED_SCRIPT if kind == "cb")
            answered = sum(1 for call in calls if call.method == "answerCallbackQuery" and call.status == 200)
    result = figures("ours, mixed", users * len(MIXED_SCRIPT), expected, seen, elapsed, failed)
    result.update(onboarding_s=onboarding_s, presses=presses, callbacks_answered=answered)
    return result


async def echo(users: int, timeout: float, with_database: bool = False) -> dict[str, Any]:
    """The bare echo bot; with_database: it also does one SQLite read + write transaction per message
    (session.get + an attribute update + commit, as in engine_menus' bare baseline)."""
    from aiogram import Dispatcher
    from aiogram.types import Message
    from sqlalchemy import insert

    from tests.fake_telegram import FakeBotAPI

    from bot.app import build_app
    from storage.models import User

    fake = FakeBotAPI()
    await fake.start()
    bot = fake.make_bot()
    dispatcher = Dispatcher()
    directory = temp_dir("tg-echo")
    app = None
    if with_database:
        app = await build_app(make_settings(Path(directory.name)))
        now = app.engine.clock()
        rows = [
            {"id": user, "channel": "telegram", "external_id": str(user), "role": "member",
             "coordinator_regions": [], "active": True, "created_at": now, "last_seen_at": now}
            for user in [*range(WARM_UP_FIRST, WARM_UP_FIRST + WARM_UP_USERS), *range(FIRST_USER, FIRST_USER + users)]
        ]
        async with app.database.begin() as connection:
            await connection.execute(insert(User), rows)

    in_flight = [0]

    @dispatcher.message()
    async def answer(message: Message) -> None:
        in_flight[0] += 1
        try:
            if app is not None and message.from_user is not None:
                async with app.sessions() as session, session.begin():
                    user = await session.get(User, message.from_user.id)
                    if user is not None:
                        user.last_seen_at = app.engine.clock()
            await message.answer(message.text or "?")
        finally:
            in_flight[0] -= 1

    async def settle() -> None:
        """Let the handlers still running finish before the fake goes away."""
        for _ in range(200):
            if not in_flight[0]:
                return
            await asyncio.sleep(0.05)

    try:
        script = [(text, 1) for text, _ in TEXT_SCRIPT]
        await poll_until(fake, dispatcher, bot, push_texts(fake, WARM_UP_USERS, script, WARM_UP_FIRST), timeout)
        await settle()
        expected = push_texts(fake, users, script)
        elapsed, seen = await poll_until(fake, dispatcher, bot, expected, timeout)
        await settle()
        failed = sum(1 for call in fake.calls if call.status != 200 and call.method in ANSWERS)
    finally:
        await bot.session.close()
        await fake.stop()
        if app is not None:
            await app.close()
        directory.cleanup()
    name = "echo + 1 SQLite txn" if with_database else "bare echo bot"
    return figures(name, users * len(TEXT_SCRIPT), expected, seen, elapsed, failed)


def figures(name: str, updates: int, expected: int, seen: int, elapsed: float, failed: int) -> dict[str, Any]:
    return {
        "name": name,
        "updates": updates,
        "answers_expected": expected,
        "answers_seen": seen,
        "failed_answers": failed,
        "seconds": elapsed,
        "updates_per_s": updates / elapsed if elapsed == elapsed else float("nan"),
        "answers_per_s": seen / elapsed if elapsed == elapsed else float("nan"),
    }


def show(result: dict[str, Any]) -> None:
    complete = ""
    if result["answers_seen"] < result["answers_expected"]:
        complete = "  INCOMPLETE: fewer answers than the script expects (gave up)"
    elif result["answers_seen"] > result["answers_expected"]:
        complete = "  MORE answers than the script expects: the bot changed, fix the script's counts"
    print(
        f"  {result['name']:<20} {result['updates']:>6} updates in {result['seconds']:6.2f} s = "
        f"{result['updates_per_s']:7,.0f} updates/s ({result['answers_seen']}/{result['answers_expected']} answers, "
        f"{result['failed_answers']} refused by the fake){complete}"
    )


async def main_async(users: int, mixed_users: int, timeout: float, json_path: Path | None) -> None:
    banner("telegram_vs_echo: real aiogram client against the fake Bot API, one process")
    # Build aiogram's types and our app once before timing anything.
    from aiogram import Bot, Dispatcher  # noqa: F401

    import bot.channels.telegram  # noqa: F401

    print(f"  typed runs: {users} people, {len(TEXT_SCRIPT)} messages each; "
          f"mixed run: {mixed_users} people, {len(MIXED_SCRIPT)} updates each ({sum(1 for k, _, _ in MIXED_SCRIPT if k == 'cb')} "
          f"button presses) after an untimed onboarding")
    text = await ours_text(users, timeout)
    show(text)
    bare = await echo(users, timeout)
    show(bare)
    echo_db = await echo(users, timeout, with_database=True)
    show(echo_db)
    mixed = await ours_mixed(mixed_users, timeout)
    show(mixed)
    print(f"  (mixed: {mixed['callbacks_answered']}/{mixed['presses']} button presses answered with "
          f"answerCallbackQuery; onboarding before it took {mixed['onboarding_s']:.2f} s)")
    ratio = text["updates_per_s"] / bare["updates_per_s"]
    mixed_ratio = mixed["updates_per_s"] / bare["updates_per_s"]
    print(f"ours / echo (typed text)    {ratio:.2f}   aim >= {AIM_RATIO}: "
          f"{'meets the aim' if ratio >= AIM_RATIO else 'MISSES the aim'}")
    print(f"ours mixed / echo           {mixed_ratio:.2f}   (for reference; the echo bot gets messages only)")
    print(f"echo + 1 txn / echo         {echo_db['updates_per_s'] / bare['updates_per_s']:.2f}   (what one SQLite "
          f"read + write per update costs any bot here; ours / it: {text['updates_per_s'] / echo_db['updates_per_s']:.2f})")
    write_json(json_path, {"ours_text": text, "echo": bare, "echo_db": echo_db, "ours_mixed": mixed, "ratio": ratio,
                           "mixed_ratio": mixed_ratio, "aim_ratio": AIM_RATIO})


def main() -> None:
    arguments = parser(__doc__.splitlines()[0])
    arguments.add_argument("--users", type=int, default=80, help="people in the typed and echo runs (10 updates each)")
    arguments.add_argument("--mixed-users", type=int, default=40, help="people in the mixed run (10 updates each)")
    arguments.add_argument("--timeout", type=float, default=300.0, help="give up a run after this many seconds")
    options = arguments.parse_args()
    if options.quick:
        options.users = options.mixed_users = 10
    asyncio.run(main_async(options.users, options.mixed_users, options.timeout, options.json))


if __name__ == "__main__":
    main()

"""Helpers shared by the benchmarks in this folder.

Every benchmark is a plain script (`.venv/bin/python bench/<name>.py` from the project root) that
prints what it measured; none of them asserts on time. `--quick` makes a tiny run (a smoke test),
`--json PATH` also writes the headline figures to PATH (used by bench/run_all.py).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import itertools
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `tests` (the fake Bot API, the chat helpers) is not installed
    sys.path.insert(0, str(ROOT))

from cryptography.fernet import Fernet  # noqa: E402
from pydantic import SecretStr  # noqa: E402

from core.context import ChannelCapabilities  # noqa: E402
from core.messages import DeleteMessages, Delivery, Effect, Incoming, IncomingKind, Reply  # noqa: E402
from bot.settings import Settings  # noqa: E402

# --------------------------------------------------------------------------- the heap


@contextmanager
def serving_heap() -> Iterator[None]:
    """The heap as a serving bot has it: the setup's garbage collected, then what is left frozen
    as `python -m bot run` freezes its own once it serves, so that no full collection of it falls
    into the measured run. Unfrozen, one would walk the setup's objects (content, aiogram's models,
    the rows inserted) and stall the event loop for 0.1-0.3 s, on whichever run crossed the threshold."""
    from bot.run import keep_startup_objects_out_of_collections

    gc.collect()  # a serving bot never made the setup's garbage
    keep_startup_objects_out_of_collections()
    try:
        yield
    finally:
        gc.unfreeze()


# --------------------------------------------------------------------------- command line


def parser(description: str) -> argparse.ArgumentParser:
    arguments = argparse.ArgumentParser(description=description)
    arguments.add_argument("--quick", action="store_true", help="a tiny run, to check the script works")
    arguments.add_argument("--json", type=Path, default=None, help="also write the headline figures here")
    return arguments


def write_json(path: Path | None, figures: dict[str, Any]) -> None:
    if path is not None:
        path.write_text(json.dumps(figures, indent=2, default=str), encoding="utf-8")


def banner(title: str) -> None:
    print(f"== {title} ==")
    print(
        f"   python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs, "
        f"{platform.system()} {platform.release()}"
    )


# --------------------------------------------------------------------------- settings and data


def temp_dir(prefix: str) -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix=f"tynchtyk-bench-{prefix}-")


def make_settings(data_dir: Path, **overrides: Any) -> Settings:
    """Settings for a temp file database; the flood guard is out of the way."""
    values: dict[str, Any] = dict(
        data_dir=data_dir,
        database_url=f"sqlite+aiosqlite:///{data_dir / 'tynchtyk.db'}",
        data_key=SecretStr(Fernet.generate_key().decode()),
        telegram_bot_token=None,
        admin_ids=[],
        flood_max_updates=10**9,
    )
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


# --------------------------------------------------------------------------- reports in bulk

STATUS_WEIGHTS = {"new": 30, "in_review": 25, "needs_info": 10, "referred": 10, "closed": 25}  # made up, for load


def sample_answers(form: Any, region: str, category: str | None, day: str, number: int, chance: random.Random) -> dict[str, Any]:
    """Answers for every field of a form as the bot keeps them (media and locations left out),
    with a made-up placeholder for the free text."""
    answers: dict[str, Any] = {}
    for field_ in form.fields:
        if field_.id == form.region_field:
            answers[field_.id] = region
        elif field_.id == form.category_field:
            answers[field_.id] = category
        elif field_.id == form.contact_field:
            answers[field_.id] = "anonymous"
        elif field_.type == "choice" and field_.options:
            answers[field_.id] = chance.choice(field_.options).id
        elif field_.type == "multi" and field_.options:
            answers[field_.id] = [chance.choice(field_.options).id]
        elif field_.type == "text":
            answers[field_.id] = f"Sample text for a test, not a real report (#{number})."
        elif field_.type == "number":
            answers[field_.id] = chance.randint(0, 40)
        elif field_.type == "date":
            answers[field_.id] = day
        elif field_.type == "yesno":
            answers[field_.id] = "yes" if field_.must_be_yes or field_.stop_when_no else chance.choice(["yes", "no"])
    return answers


async def add_reports(app: Any, count: int, seed: int = 1, days: int = 365, assigned_to: int | None = None) -> None:
    """`count` anonymous reports written straight into the database as the bot would keep them
    (answers encrypted with the app's cipher, times to the hour, one status event each), spread
    over the regions, both forms' categories, the statuses and the last `days` days."""
    from datetime import timedelta

    from sqlalchemy import insert, select

    from storage.models import Report, ReportEvent
    from storage.reports_repo import REFERENCE_ALPHABET

    chance = random.Random(seed)
    content = app.content
    forms = [form for form in content.forms.values() if form.category_field]
    weights = [3 if form.kind == "incident" else 1 for form in forms]
    statuses, status_weights = list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values())
    now = app.engine.clock().replace(minute=0, second=0, microsecond=0)
    references: set[str] = set()
    async with app.sessions() as session, session.begin():
        for start in range(0, count, 2000):
            reports, changes = [], []
            for number in range(start, min(count, start + 2000)):
                form = chance.choices(forms, weights)[0]
                options = form.field(form.category_field).options
                category = chance.choice(options).id if options else None
                region = chance.choice(content.regions)
                status = chance.choices(statuses, status_weights)[0]
                created = now - timedelta(hours=chance.randrange(days * 24))
                day = (created - timedelta(days=chance.randrange(7))).date().isoformat()
                reference = ""
                while not reference or reference in references:
                    reference = "R-" + "".join(chance.choice(REFERENCE_ALPHABET) for _ in range(6))
                references.add(reference)
                answers = sample_answers(form, region, category, day, number, chance)
                reports.append(dict(
                    reference=reference, kind=form.kind, form_id=form.id, form_version=form.version,
                    category=category, region=region, event_date=day, status=status, reporter_id=None,
                    contact_allowed=False, wants_legal_aid=False,
                    assigned_to=assigned_to if status != "new" else None,
                    answers=app.cipher.encrypt_json(answers), created_at=created, updated_at=created, version=1,
                ))
                changes.append((created, status))
            await session.execute(insert(Report.__table__), reports)  # one executemany, no ORM
            chunk = [row["reference"] for row in reports]
            ids = dict((await session.execute(select(Report.reference, Report.id).where(Report.reference.in_(chunk)))).all())
            events = []
            for reference, (created, status) in zip(chunk, changes):
                report_id = ids[reference]
                events.append(dict(report_id=report_id, at=created, actor_id=None, kind="status", status="new"))
                if status != "new":
                    events.append(dict(report_id=report_id, at=created + timedelta(hours=1), actor_id=assigned_to,
                                       kind="status", status=status))
            await session.execute(insert(ReportEvent.__table__), events)


# --------------------------------------------------------------------------- the fake Bot API apart

BOT_TOKEN = "123456:TEST-TOKEN"


@contextlib.asynccontextmanager
async def fake_bot_api_process(folder: Path, accepted: list[float], answer_delay: float = 0.0) -> AsyncIterator[Any]:
    """The bot's own aiogram `Bot` (`create_bot`, with its session's settings) talking to
    bench/fake_server.py in a process of its own; on leaving, the times the fake accepted each
    sendMessage (its own clock, sorted) are put in `accepted`. `answer_delay`: seconds each
    answer takes to come back, as from a Bot API across a network."""
    from bot.channels.telegram import create_bot
    from tests.bot_process import free_port

    calls_file = folder / "calls.json"
    server = await asyncio.create_subprocess_exec(
        sys.executable, str(Path(__file__).parent / "fake_server.py"), str(free_port()), str(calls_file), str(answer_delay),
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
    )
    assert server.stdout is not None and server.stdin is not None
    base_url = (await server.stdout.readline()).decode().strip()
    bot = create_bot(make_settings(folder, telegram_bot_token=SecretStr(BOT_TOKEN), telegram_api_url=base_url))
    try:
        yield bot
    finally:
        await bot.session.close()
        server.stdin.close()
        await server.wait()
    calls = json.loads(calls_file.read_text(encoding="utf-8"))
    accepted.extend(sorted(call["at"] for call in calls if call["method"] == "sendMessage" and call["status"] == 200))


# --------------------------------------------------------------------------- a light channel

_message_ids = itertools.count(1000)


@dataclass
class LightChannel:
    """Like tests.chat.CollectingChannel, but keeps only each chat's latest menu and a few counters."""

    capabilities: ChannelCapabilities = field(
        default_factory=lambda: ChannelCapabilities(name="telegram", can_delete_messages=True, keeps_message_ids=True)
    )
    replies: int = 0
    menus: dict[str, tuple[str, Reply]] = field(default_factory=dict)  # chat -> (message id, reply with buttons)
    error_texts: frozenset[str] = frozenset()
    errors: int = 0
    expired_texts: frozenset[str] = frozenset()
    expired: int = 0  # "this button has expired": the walk pressed something the bot no longer offers

    async def deliver(self, incoming: Incoming, effects: list[Effect]) -> Delivery:
        delivery = Delivery()
        menu_message = incoming.message_id if incoming.kind is IncomingKind.ACTION else None
        for effect in effects:
            if isinstance(effect, DeleteMessages):
                delivery.deleted_message_ids.extend(effect.message_ids)
                continue
            self.replies += 1
            if effect.text in self.error_texts:
                self.errors += 1
            elif effect.text in self.expired_texts:
                self.expired += 1
            if effect.edit and menu_message is not None:
                message_id, menu_message = menu_message, None  # edited in place, as Telegram does
            else:
                message_id = str(next(_message_ids))
                delivery.sent_message_ids.append(message_id)
            if effect.buttons:
                self.menus[incoming.chat_key] = (message_id, effect)
        return delivery


def texts(content: Any, *keys: str) -> frozenset[str]:
    """These catalog texts in every language."""
    from content.locales import LANGUAGES

    return frozenset(content.catalog.text(language, key) for language in LANGUAGES for key in keys)


def light_channel(content: Any) -> LightChannel:
    """A LightChannel that counts error answers and expired-button answers."""
    return LightChannel(
        error_texts=texts(content, "error-generic", "error-try-again"),
        expired_texts=texts(content, "button-expired"),
    )


class BenchUser:
    """A scripted person for the engine: types texts and presses buttons of her latest menu by label.

    Every `engine.handle` call is timed into `timings` (seconds).
    """

    def __init__(self, engine: Any, channel: LightChannel, user_key: str, timings: list[float],
                 language_hint: str | None = "en") -> None:
        self.engine = engine
        self.channel = channel
        self.user_key = user_key
        self.timings = timings
        self.language_hint = language_hint

    async def send(self, text: str) -> list[Effect]:
        return await self._do(IncomingKind.TEXT, text=text, message_id=str(next(_message_ids)))

    async def press_action(self, action: str, message_id: str | None = None) -> list[Effect]:
        if message_id is None:
            menu = self.channel.menus.get(self.user_key)
            message_id = menu[0] if menu else "1"
        return await self._do(IncomingKind.ACTION, action=action, message_id=message_id)

    async def press(self, label: str) -> list[Effect]:
        menu = self.channel.menus.get(self.user_key)
        if menu is not None:
            message_id, reply = menu
            for button in reply.flat_buttons:
                if label in button.label and button.action:
                    return await self.press_action(button.action, message_id)
        labels = [button.label for button in menu[1].flat_buttons] if menu else []
        raise RuntimeError(f"user {self.user_key}: no button {label!r} in the last menu {labels}")

    async def _do(self, kind: IncomingKind, **fields: Any) -> list[Effect]:
        incoming = Incoming(
            channel="telegram",
            user_key=self.user_key,
            chat_key=self.user_key,
            kind=kind,
            language_hint=self.language_hint,
            **fields,
        )
        started = time.perf_counter()
        effects = await self.engine.handle(incoming, self.channel)
        self.timings.append(time.perf_counter() - started)
        return effects


# --------------------------------------------------------------------------- figures


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (fraction in 0..1) of unsorted values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-fraction * len(ordered) // 1))))
    return ordered[rank - 1]


def latency_ms(timings: Sequence[float]) -> dict[str, float]:
    return {
        "p50_ms": percentile(timings, 0.50) * 1000,
        "p95_ms": percentile(timings, 0.95) * 1000,
        "p99_ms": percentile(timings, 0.99) * 1000,
        "max_ms": max(timings) * 1000 if timings else float("nan"),
        "mean_ms": statistics.fmean(timings) * 1000 if timings else float("nan"),
    }


def latency_line(timings: Sequence[float]) -> str:
    figures = latency_ms(timings)
    return (
        f"p50 {figures['p50_ms']:.2f} ms, p95 {figures['p95_ms']:.2f} ms, p99 {figures['p99_ms']:.2f} ms, "
        f"max {figures['max_ms']:.2f} ms (mean {figures['mean_ms']:.2f} ms)"
    )


def verdict(ok: bool) -> str:
    return "meets the aim" if ok else "MISSES the aim"


def rss_mb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 2**20


def peak_rss_mb() -> float:
    """The process's peak resident set size so far (Linux reports ru_maxrss in KiB)."""
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024


# --------------------------------------------------------------------------- what reaches the database


@dataclass
class Counts:
    statements: list[str] = field(default_factory=list)
    commits: int = 0
    rollbacks: int = 0
    hops: int = 0

    def line(self) -> str:
        return (f"{len(self.statements):2} statements, {self.commits} COMMIT, {self.rollbacks} ROLLBACK, "
                f"{self.hops:2} thread hops")


class DatabaseCounter:
    """Counts, between `start()` and `stop()`, what one async engine sends to SQLite."""

    def __init__(self, database: Any) -> None:
        from sqlalchemy import event

        self.counts: Counts | None = None
        event.listen(database.sync_engine, "before_cursor_execute", self._statement)

    @contextmanager
    def counting(self) -> Iterator[Counts]:
        import aiosqlite.core

        from storage.sqlite_connection import OnLoopConnection

        counts = self.counts = Counts()
        originals = {"_execute": aiosqlite.core.Connection._execute, "commit": OnLoopConnection.commit,
                     "rollback": OnLoopConnection.rollback}

        async def hop(connection: Any, fn: Any, *args: Any, **kwargs: Any) -> Any:
            counts.hops += 1
            return await originals["_execute"](connection, fn, *args, **kwargs)

        async def commit(connection: Any) -> None:
            counts.commits += 1
            await originals["commit"](connection)

        async def rollback(connection: Any) -> None:
            counts.rollbacks += 1
            await originals["rollback"](connection)

        # measurement only: every COMMIT and ROLLBACK, and every call into aiosqlite's thread
        aiosqlite.core.Connection._execute = hop
        OnLoopConnection.commit, OnLoopConnection.rollback = commit, rollback  # type: ignore[method-assign]
        try:
            yield counts
        finally:
            aiosqlite.core.Connection._execute = originals["_execute"]
            OnLoopConnection.commit, OnLoopConnection.rollback = originals["commit"], originals["rollback"]  # type: ignore[method-assign]
            self.counts = None

    def _statement(self, _connection: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if self.counts is not None:
            self.counts.statements.append(" ".join(statement.split()))

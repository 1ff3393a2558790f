"""What the database sees for one update of each kind: SQL statements (SQLAlchemy's
`before_cursor_execute` event), and the COMMITs, ROLLBACKs (the pool's reset on return included)
and thread hops that reach aiosqlite's thread, on a temp-file SQLite database migrated by
`build_app`.

The kinds: a main-menu button pressed (Find legal aid), a lesson's Next, a form answer (a
category of the incident form pressed) and a new person's /start. Each counted update follows
another update of the same walk, so that the ids of the messages just sent ride along with it as
they do when people write (they are written with the next transaction). `--delivery-key` gives
each update an update id, as the Telegram channel does (one more INSERT: the exactly-once check).
`--sql` prints the statements themselves.

    .venv/bin/python bench/statement_counts.py [--sql] [--delivery-key]
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from common import Counts, DatabaseCounter, banner, make_settings, parser, temp_dir, write_json

_update_ids = itertools.count(1)


async def count_kinds(with_delivery_key: bool) -> dict[str, Counts]:
    """Each kind's counted update, after the steps that lead to it."""
    from bot.app import build_app
    from core.messages import Incoming
    from tests.chat import CollectingChannel, ScriptedUser
    from tests.conftest import shared_content

    class Person(ScriptedUser):
        async def _do(self, kind: Any, **fields: Any) -> Any:
            if with_delivery_key:
                fields["delivery_key"] = f"update:{next(_update_ids)}"
            incoming = Incoming(channel=self.channel_name, user_key=self.user_key, chat_key=self.user_key, kind=kind,
                                language_hint=self.language_hint, **fields)
            effects = await self.engine.handle(incoming, self.channel)
            self.replies = [effect for effect in effects if getattr(effect, "text", None) is not None]
            return self.replies

    with temp_dir("statements") as directory:
        app = await build_app(make_settings(Path(directory)), run_migrations=True, content=shared_content())
        counter = DatabaseCounter(app.database)
        channel = CollectingChannel()
        app.engine.register_channel(channel)
        t = lambda key: app.content.catalog.text("en", key)  # noqa: E731
        results: dict[str, Counts] = {}

        async def measure(name: str, step: Callable[[], Awaitable[Any]]) -> None:
            with counter.counting() as counts:
                await step()
            results[name] = counts

        try:
            async def onboarded(key: str) -> ScriptedUser:
                person = Person(app.engine, channel, user_key=key, language_hint="en")
                await person.send("/start")
                await person.press("English")
                await person.press(t("button-skip"))
                return person

            for round_ in range(2):  # the first round warms the caches; the second is counted
                prefix = f"{round_}00"
                person = await onboarded(f"{prefix}1")
                await person.send("/menu")
                await measure("menu button", lambda: person.press("Find legal aid"))

                person = await onboarded(f"{prefix}2")
                await person.send("/menu")
                await person.press_exactly(t("menu-lessons"))
                await person.press(app.content.courses["wps1325"].title.get("en"))
                await person.press_exactly(app.content.courses["wps1325"].lessons[0].title.get("en"))
                await measure("lesson Next", lambda: person.press_exactly(t("lesson-next")))

                person = await onboarded(f"{prefix}3")
                await person.send("/menu")
                await person.press_exactly(t("menu-report"))
                await person.press_exactly(t("button-yes"))
                category = app.content.forms["incident"].field("category").option("politics_psych").label.get("en")
                await measure("form answer", lambda: person.press_exactly(category))

                newcomer = Person(app.engine, channel, user_key=f"{prefix}4", language_hint="en")
                await measure("new person's /start", lambda: newcomer.send("/start"))
            await app.engine.save_message_ids()
        finally:
            await app.close()
    return results


def main() -> None:
    arguments = parser(__doc__.splitlines()[0])
    arguments.add_argument("--sql", action="store_true", help="print each statement")
    arguments.add_argument("--delivery-key", action="store_true", help="give each update an update id, as Telegram does")
    options = arguments.parse_args()
    banner("statement_counts: what the database sees per update")
    results = asyncio.run(count_kinds(options.delivery_key))
    for name, counts in results.items():
        print(f"{name:22} {counts.line()}")
        if options.sql:
            for statement in counts.statements:
                print(f"    {statement[:160]}")
    write_json(options.json, {name: {"statements": len(counts.statements), "commits": counts.commits,
                                     "rollbacks": counts.rollbacks, "hops": counts.hops}
                              for name, counts in results.items()})


if __name__ == "__main__":
    main()

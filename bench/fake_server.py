"""The fake Bot API in a process of its own, so that a benchmark measures the bot and not the fake.

Usage: fake_server.py PORT CALLS_JSON [ANSWER_DELAY]. It serves until its standard input closes,
then writes each call's method, status, chat and time (its own monotonic clock, when the call
arrived) to CALLS_JSON. ANSWER_DELAY: seconds each answer takes to come back, as over a network.
"""

from __future__ import annotations

import asyncio
import gc
import json
import sys

from common import ROOT  # noqa: F401  (puts the project on sys.path)

from tests.fake_telegram import FakeBotAPI


async def main(port: int, output: str, answer_delay: float) -> None:
    fake = FakeBotAPI(accept_unknown_chats=True)
    fake.answer_delay = answer_delay
    await fake.start(port)
    # It keeps every call it answered (tens of thousands in a run); full collections walking
    # them held its answers up for 0.1-0.2 s now and then, which the bot's limiter, counting a
    # second from the answers, rightly took for a slow server. A fake must not be the bottleneck.
    gc.disable()
    print(fake.base_url, flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    calls = [
        {"method": call.method, "status": call.status, "chat": call.params.get("chat_id"), "at": call.at}
        for call in fake.calls
    ]
    with open(output, "w", encoding="utf-8") as handle:
        json.dump(calls, handle)
    await fake.stop()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), sys.argv[2], float(sys.argv[3]) if len(sys.argv) > 3 else 0.0))

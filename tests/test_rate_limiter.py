"""The rate limiter on a fake clock: never more than `rate` messages in any second at the server,
whatever delays there are between the limiter and the server, close to the rate all the same,
one message a second to a chat, and an even start after a 429."""

from __future__ import annotations

import asyncio
import heapq
import itertools
import random
from collections.abc import Awaitable, Callable

from core.delivery import RateLimiter
from tests.helpers import busiest_second



class FakeTime:
    """A clock that moves only when every task waits: `run` wakes the earliest sleepers, and with
    `stall` every `stall_every`-th wake-up comes that much late, as on a busy event loop (all
    who were due meanwhile wake together)."""

    def __init__(self, stall: float = 0.0, stall_every: int = 0) -> None:
        self.now = 1000.0
        self.stall, self.stall_every, self.wakeups = stall, stall_every, 0
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        woken: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.now + max(0.0, seconds), next(self._order), woken))
        await woken

    async def run(self, *work: Awaitable[object]) -> None:
        tasks = [asyncio.ensure_future(item) for item in work]
        left = [len(tasks)]
        for task in tasks:
            task.add_done_callback(lambda _: left.__setitem__(0, left[0] - 1))
        while left[0]:
            for _ in range(5):  # let the woken run on until they sleep again or finish
                await asyncio.sleep(0)
            if not self._sleepers:
                continue
            self.wakeups += 1
            self.now = max(self.now, self._sleepers[0][0])
            if self.stall_every and self.wakeups % self.stall_every == 0:
                self.now += self.stall
            while self._sleepers and self._sleepers[0][0] <= self.now:
                heapq.heappop(self._sleepers)[2].set_result(None)
        for task in tasks:
            task.result()


async def let_through(
    limiter: RateLimiter, clock: FakeTime, chats: list[str], on_the_way: Callable[[], float] = lambda: 0.0
) -> dict[str, list[float]]:
    """Send to each chat, all at once as the sender's window does; when each reached the server,
    `on_the_way()` seconds after it was let through (and answered as long again after that)."""
    arrived: dict[str, list[float]] = {}

    async def one(chat: str) -> None:
        async with limiter.sending(chat):
            delay = on_the_way()
            if delay:
                await clock.sleep(delay)
            arrived.setdefault(chat, []).append(clock())
            if delay:
                await clock.sleep(delay)

    await clock.run(*(one(chat) for chat in chats))
    return arrived


async def test_the_limiter_keeps_every_second_under_the_rate_and_comes_close_to_it() -> None:
    clock = FakeTime()
    limiter = RateLimiter(rate=1000, per_chat_seconds=1.0, clock=clock, sleep=clock.sleep)
    arrived = await let_through(limiter, clock, [f"chat{number}" for number in range(3000)])
    stamps = sorted(stamp for chat in arrived.values() for stamp in chat)
    assert busiest_second(stamps) <= 1000
    assert (len(stamps) - 1) / (stamps[-1] - stamps[0]) >= 0.95 * 1000  # on the fake clock: no time is measured


async def test_a_stalled_loop_does_not_bunch_sends_past_the_rate() -> None:
    """The limiter counted the moments it planned; a loop busy for 50 ms let the sends of those
    50 ms out together after it, and a second at the server held more than the rate."""
    clock = FakeTime(stall=0.05, stall_every=37)
    limiter = RateLimiter(rate=1000, per_chat_seconds=1.0, clock=clock, sleep=clock.sleep)
    arrived = await let_through(limiter, clock, [f"chat{number}" for number in range(3000)])
    assert busiest_second([stamp for chat in arrived.values() for stamp in chat]) <= 1000


async def test_delays_on_the_way_do_not_bunch_sends_at_the_server() -> None:
    """The alert test saw 201 messages in one second at a rate of 200: a loop busy for 30 ms
    held some sends between the limiter and the server, and the server counted them together
    with those a second later, which went at once."""
    clock = FakeTime()
    chance = random.Random(3)
    limiter = RateLimiter(rate=200, per_chat_seconds=1.0, clock=clock, sleep=clock.sleep)
    arrived = await let_through(limiter, clock, [f"chat{number}" for number in range(1000)],
                                on_the_way=lambda: chance.choice([0.0, 0.0, 0.001, 0.03]))
    stamps = sorted(stamp for chat in arrived.values() for stamp in chat)
    assert busiest_second(stamps) <= 200
    assert (len(stamps) - 1) / (stamps[-1] - stamps[0]) >= 0.9 * 200


async def test_one_chat_gets_at_most_one_message_a_second() -> None:
    clock = FakeTime()
    limiter = RateLimiter(rate=50, per_chat_seconds=1.0, clock=clock, sleep=clock.sleep)
    chance = random.Random(7)
    chats = [f"chat{chance.randrange(10)}" for _ in range(60)] + [f"chat{number % 10}" for number in range(60)]
    granted = await let_through(limiter, clock, chats)
    assert sum(len(stamps) for stamps in granted.values()) == 120
    for stamps in granted.values():
        assert all(later - earlier >= 1.0 for earlier, later in zip(stamps, stamps[1:]))
    assert busiest_second([stamp for stamps in granted.values() for stamp in stamps]) <= 50


async def test_a_429_holds_everyone_back_and_they_go_on_evenly_after_it() -> None:
    """Sends already waiting for their slots when a 429 came all went at once when the pause
    ended: the server, working through the burst, counted more than the rate in the second after."""
    clock = FakeTime()
    limiter = RateLimiter(rate=100, per_chat_seconds=0.0, clock=clock, sleep=clock.sleep)
    granted: dict[str, float] = {}

    async def one(chat: str) -> None:
        async with limiter.sending(chat):
            granted[chat] = clock()
        if chat == "chat0":
            await asyncio.sleep(0)  # the others have their slots and wait for them
            limiter.pause(3.0)  # its send was answered 429

    await clock.run(*(one(f"chat{number}") for number in range(20)))
    after = sorted(stamp for chat, stamp in granted.items() if chat != "chat0")
    assert len(after) == 19 and after[0] >= granted["chat0"] + 3.0
    assert all(later - earlier >= 0.01 - 1e-9 for earlier, later in zip(after, after[1:]))




async def test_a_row_of_several_messages_counts_each_of_them() -> None:
    """A row that makes two messages (a photo and a text, say) takes two of the second's places."""
    clock = FakeTime()
    limiter = RateLimiter(rate=10, per_chat_seconds=0.0, clock=clock, sleep=clock.sleep)
    arrived: list[float] = []

    async def one(chat: str) -> None:
        async with limiter.sending(chat, messages=2):
            arrived.extend([clock(), clock()])

    await clock.run(*(one(f"chat{number}") for number in range(30)))
    assert len(arrived) == 60
    assert busiest_second(arrived) <= 10


async def test_slots_missed_while_the_loop_was_busy_are_made_up() -> None:
    """Sends asked for one after another (as a batch's come while the one before goes): a loop
    busy for 20 ms now and then put every later slot 20 ms back for good, a fifth of the rate
    lost. The pace now makes up what it missed, and still no second passes the rate."""
    clock = FakeTime(stall=0.02, stall_every=10)
    limiter = RateLimiter(rate=1000, per_chat_seconds=1.0, clock=clock, sleep=clock.sleep)
    chats = iter(f"chat{number}" for number in range(3000))
    stamps: list[float] = []

    async def worker() -> None:
        for chat in chats:
            async with limiter.sending(chat):
                stamps.append(clock())

    await clock.run(*(worker() for _ in range(20)))
    assert busiest_second(stamps) <= 1000
    assert (len(stamps) - 1) / (max(stamps) - min(stamps)) >= 0.95 * 1000

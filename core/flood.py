"""Flood control: a person who sends too much too fast is asked once to slow down, then ignored
for a while. In memory on purpose: it protects one process and needs no persistence."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum


class FloodVerdict(Enum):
    PASS = "pass"
    WARN = "warn"  # the first update over the limit: tell her to slow down
    DROP = "drop"


@dataclass
class _Track:
    times: deque[float] = field(default_factory=deque)
    muted_until: float = 0.0


class FloodGuard:
    def __init__(
        self,
        max_updates: int,
        window_seconds: float,
        mute_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_updates = max_updates
        self.window = window_seconds
        self.mute = mute_seconds
        self._clock = clock
        self._tracks: dict[str, _Track] = {}

    def check(self, key: str) -> FloodVerdict:
        now = self._clock()
        track = self._tracks.setdefault(key, _Track())
        if now < track.muted_until:
            return FloodVerdict.DROP
        while track.times and track.times[0] <= now - self.window:
            track.times.popleft()
        track.times.append(now)
        if len(track.times) > self.max_updates:
            track.muted_until = now + self.mute
            track.times.clear()
            return FloodVerdict.WARN
        if len(self._tracks) > 50_000:
            self._forget_idle(now)
        return FloodVerdict.PASS

    def _forget_idle(self, now: float) -> None:
        idle = [
            key
            for key, track in self._tracks.items()
            if track.muted_until < now and (not track.times or track.times[-1] < now - self.window)
        ]
        for key in idle:
            del self._tracks[key]

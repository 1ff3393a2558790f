"""Flood control: a person who sends too much too fast is asked once to slow down, then ignored
for a while. In memory on purpose: it protects one process and needs no persistence."""

from __future__ import annotations

import time
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum


class FloodVerdict(Enum):
    PASS = "pass"
    WARN = "warn"  # the first update over the limit: tell her to slow down
    DROP = "drop"


@dataclass(slots=True)
class _Track:
    times: list[float] = field(default_factory=list)  # her updates in the window, oldest first
    muted_until: float = 0.0


class FloodGuard:
    """Counts each person's updates in a sliding window. People quiet for a whole window (and not
    muted) are forgotten once per window, so memory follows the people writing now, not everyone
    who ever wrote."""

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
        self._next_sweep = clock() + window_seconds

    @property
    def tracked(self) -> int:
        """How many people it keeps track of now."""
        return len(self._tracks)

    def check(self, key: str) -> FloodVerdict:
        now = self._clock()
        if now >= self._next_sweep:
            self._forget_idle(now)
            self._next_sweep = now + self.window
        track = self._tracks.get(key)
        if track is None:
            track = self._tracks[key] = _Track()
        if now < track.muted_until:
            return FloodVerdict.DROP
        times = track.times
        del times[:bisect_right(times, now - self.window)]
        times.append(now)
        if len(times) > self.max_updates:
            track.muted_until = now + self.mute
            times.clear()
            return FloodVerdict.WARN
        return FloodVerdict.PASS

    def _forget_idle(self, now: float) -> None:
        idle = [
            key
            for key, track in self._tracks.items()
            if track.muted_until < now and (not track.times or track.times[-1] <= now - self.window)
        ]
        for key in idle:
            del self._tracks[key]

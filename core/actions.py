"""The one codec for button actions.

An action is a short code such as `m:settings` or `set:lang:ky`: a name and up to a few
arguments, joined by colons, at most 64 bytes so that it fits Telegram's callback data. Every
button is built with `encode` and every pressed button is read with `decode`; anything that does
not parse is treated as an expired button, never as an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_ACTION_BYTES = 64
MAX_NUMBER_DIGITS = 18  # every 18-digit number fits a signed 64-bit integer

_NAME = re.compile(r"[a-z][a-z0-9_]{0,11}")
_ARG = re.compile(r"[A-Za-z0-9_\-.]{1,40}")


class InvalidAction(ValueError):
    """Callback data that no button of ours could have produced."""


@dataclass(frozen=True)
class Action:
    name: str  # the route, such as "set:lang"
    args: tuple[str, ...]


def encode(route: str, *args: object) -> str:
    parts = route.split(":")
    if not all(_NAME.fullmatch(part) for part in parts):
        raise ValueError(f"bad action route {route!r}")
    values = [str(arg) for arg in args]
    if not all(_ARG.fullmatch(value) for value in values):
        raise ValueError(f"bad action argument in {values!r}")
    data = ":".join([*parts, *values])
    if len(data.encode()) > MAX_ACTION_BYTES:
        raise ValueError(f"action {data!r} is longer than {MAX_ACTION_BYTES} bytes")
    return data


def decode(data: str | None, routes: dict[str, int]) -> Action:
    """Split `data` into a known route and exactly as many arguments as that route takes.

    `routes` maps each route to its number of arguments. The longest matching route wins, so
    `set:lang` with one argument and `set` with two never collide.
    """
    if not data or len(data.encode("utf-8", "replace")) > MAX_ACTION_BYTES:
        raise InvalidAction("empty or too long")
    parts = data.split(":")
    for cut in range(min(len(parts), 3), 0, -1):
        route = ":".join(parts[:cut])
        if route in routes:
            args = tuple(parts[cut:])
            if len(args) != routes[route] or not all(_ARG.fullmatch(arg) for arg in args):
                raise InvalidAction("wrong arguments")
            if any(arg.isdecimal() and len(arg) > MAX_NUMBER_DIGITS for arg in args):
                raise InvalidAction("a number no row of ours can have")  # the databases' 64-bit ids
            return Action(route, args)
    raise InvalidAction("unknown route")

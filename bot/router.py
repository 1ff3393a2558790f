"""Routes of one feature module: the button actions, commands and conversation states it
answers. `bot/engine.py` joins the routers of all features in one explicit order."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.context import Context

Handler = Callable[..., Awaitable[None]]


@dataclass(frozen=True)
class ActionRoute:
    handler: Handler
    arity: int


@dataclass(frozen=True)
class StateRoute:
    handler: Callable[["Context"], Awaitable[None]]
    # Free text is an answer here, so a typed number is not a button number. A function decides
    # per update (a form's number question takes numbers, its choice question takes button numbers).
    accepts_text: bool | Callable[["Context"], bool]

    def takes_text(self, ctx: "Context") -> bool:
        return self.accepts_text(ctx) if callable(self.accepts_text) else self.accepts_text


class Router:
    def __init__(self, name: str) -> None:
        self.name = name
        self.actions: dict[str, ActionRoute] = {}
        self.commands: dict[str, Handler] = {}
        self.states: dict[str, StateRoute] = {}

    def action(self, route: str, arity: int = 0) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self.actions[route] = ActionRoute(handler, arity)
            return handler

        return register

    def command(self, *names: str) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            for name in names:
                self.commands[name] = handler
            return handler

        return register

    def state(self, name: str, accepts_text: bool | Callable[["Context"], bool] = True) -> Callable[[Any], Any]:
        def register(handler: Any) -> Any:
            self.states[name] = StateRoute(handler, accepts_text)
            return handler

        return register


def join(routers: list[Router]) -> Router:
    """One router from many; a route defined twice is a programming error found at start."""
    joined = Router("all")
    for router in routers:
        for table, target in (
            (router.actions, joined.actions),
            (router.commands, joined.commands),
            (router.states, joined.states),
        ):
            clash = set(table) & set(target)
            if clash:
                raise ValueError(f"{router.name} redefines {sorted(clash)}")
            target.update(table)  # type: ignore[arg-type]
    return joined

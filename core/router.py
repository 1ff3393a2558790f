"""Routes of one feature module: the button actions, commands and conversation states it
answers, and what it hands the scheduler (the renderers of the outbox rows it owns, the actions
the scheduler may start). `core/engine.py` joins the routers of all features in one explicit
order; features meet through these registries, never through each other's screens."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from core.context import Context
    from core.delivery import Renderer

Handler = Callable[..., Awaitable[None]]
# Given the bot's services (core.services.App), the renderer of one kind of outbox row.
RendererFactory = Callable[[Any], "Renderer"]


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
        self.renderers: dict[str, RendererFactory] = {}
        self.scheduled: dict[str, str] = {}  # a name the scheduler knows -> the action it presses
        self.start_links: dict[str, Handler] = {}  # `/start <prefix>CODE` -> handler(ctx, code)
        self.screens: dict[str, Handler] = {}  # a screen other features may open by name
        self.listeners: dict[str, list[Handler]] = {}  # what this feature does when an event happens

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


    def renderer(self, kind: str) -> Callable[[RendererFactory], RendererFactory]:
        """What a person receives for an outbox row of this kind (a reminder, an alert)."""
        def register(factory: RendererFactory) -> RendererFactory:
            self.renderers[kind] = factory
            return factory

        return register

    def start_link(self, prefix: str) -> Callable[[Handler], Handler]:
        """What this feature does with its `/start <prefix>CODE` links (a group's invite)."""
        def register(handler: Handler) -> Handler:
            self.start_links[prefix] = handler
            return handler

        return register

    def screen(self, name: str) -> Callable[[Handler], Handler]:
        """A screen of this feature that others open with `ctx.show(name, ...)`."""
        def register(handler: Handler) -> Handler:
            self.screens[name] = handler
            return handler

        return register

    def on(self, event: str) -> Callable[[Handler], Handler]:
        """What this feature does when `ctx.emit(event, ...)` happens (a form was sent, a report
        was filed)."""
        def register(handler: Handler) -> Handler:
            self.listeners.setdefault(event, []).append(handler)
            return handler

        return register

    def scheduled_action(self, name: str, action: str) -> None:
        """An action the scheduler presses for her (a daily lesson's next card)."""
        self.scheduled[name] = action


def join(routers: list[Router]) -> Router:
    """One router from many; a route defined twice is a programming error found at start."""
    joined = Router("all")
    for router in routers:
        for table, target in (
            (router.actions, joined.actions),
            (router.commands, joined.commands),
            (router.states, joined.states),
            (router.renderers, joined.renderers),
            (router.scheduled, joined.scheduled),
            (router.start_links, joined.start_links),
            (router.screens, joined.screens),
        ):
            clash = set(table) & set(target)
            if clash:
                raise ValueError(f"{router.name} redefines {sorted(clash)}")
            target.update(table)  # type: ignore[arg-type]
        for event, handlers in router.listeners.items():
            joined.listeners.setdefault(event, []).extend(handlers)
    return joined

"""A collecting channel and a scripted person, to drive the engine as a user would."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from core.context import ChannelCapabilities
from core.engine import Engine
from core.messages import DeleteMessages, Delivery, Effect, Incoming, IncomingKind, Location, Media, Reply, Toast

_message_ids = itertools.count(1000)


@dataclass
class CollectingChannel:
    """Records every effect; gives each sent message an id, as a real channel would."""

    capabilities: ChannelCapabilities = field(
        default_factory=lambda: ChannelCapabilities(name="telegram", can_delete_messages=True, keeps_message_ids=True)
    )
    effects: list[Effect] = field(default_factory=list)
    sent: list[tuple[str, Reply]] = field(default_factory=list)  # (message id, reply)
    sent_to: dict[str, list[tuple[str, Reply]]] = field(default_factory=dict)  # per chat
    deleted: list[str] = field(default_factory=list)
    blocked: set[str] = field(default_factory=set)
    files: dict[str, bytes] = field(default_factory=dict)  # what `download` returns, by file id
    notified: list[tuple[str, Reply]] = field(default_factory=list)  # (chat, reply) sent to others
    toasts: list[str] = field(default_factory=list)  # notices that leave nothing in the chat

    async def download(self, media: Media) -> bytes:
        return self.files[media.file_id]

    async def deliver(self, incoming: Incoming, effects: list[Effect]) -> Delivery:
        delivery = Delivery(blocked=incoming.chat_key in self.blocked)
        if delivery.blocked:
            return delivery
        if incoming.scheduled and incoming.action is None:  # a notification to someone else
            self.notified.extend((incoming.chat_key, effect) for effect in effects if isinstance(effect, Reply))
        for effect in effects:
            self.effects.append(effect)
            if isinstance(effect, Toast):
                self.toasts.append(effect.text)
            elif isinstance(effect, DeleteMessages):
                self.deleted.extend(effect.message_ids)
                delivery.deleted_message_ids.extend(effect.message_ids)
            else:
                message_id = str(next(_message_ids))
                self.sent.append((message_id, effect))
                self.sent_to.setdefault(incoming.chat_key, []).append((message_id, effect))
                delivery.sent_message_ids.append(message_id)
        return delivery


class ScriptedUser:
    def __init__(self, engine: Engine, channel: CollectingChannel, user_key: str = "42", language_hint: str | None = "ru",
                 channel_name: str = "telegram") -> None:
        self.engine = engine
        self.channel = channel
        self.user_key = user_key
        self.language_hint = language_hint
        self.channel_name = channel_name
        self.replies: list[Reply] = []  # the replies to the last thing she did

    async def send(self, text: str) -> list[Reply]:
        return await self._do(IncomingKind.TEXT, text=text, message_id=str(next(_message_ids)))

    async def send_media(self, media: Media) -> list[Reply]:
        return await self._do(IncomingKind.MEDIA, media=media, message_id=str(next(_message_ids)))

    async def send_location(self, latitude: float, longitude: float) -> list[Reply]:
        return await self._do(IncomingKind.LOCATION, location=Location(latitude, longitude))

    async def press_action(self, action: str, message_id: str | None = None) -> list[Reply]:
        return await self._do(IncomingKind.ACTION, action=action, message_id=message_id or self._menu_message_id())

    async def press(self, label: str) -> list[Reply]:
        """Press the button of the latest menu whose label contains `label`."""
        for message_id, reply in reversed(self._my_replies()):
            for button in reply.flat_buttons:
                if label in button.label and button.action:
                    return await self.press_action(button.action, message_id)
            if reply.buttons:
                break
        raise AssertionError(f"no button {label!r} in the last menu: {self.button_labels()}")

    async def press_exactly(self, label: str) -> list[Reply]:
        """Press the button of the latest menu whose label is exactly `label`."""
        for message_id, reply in reversed(self._my_replies()):
            for button in reply.flat_buttons:
                if button.label == label and button.action:
                    return await self.press_action(button.action, message_id)
            if reply.buttons:
                break
        raise AssertionError(f"no button {label!r} in the last menu: {self.button_labels()}")

    def button_labels(self) -> list[str]:
        for reply in reversed(self.replies):
            if reply.buttons:
                return [button.label for button in reply.flat_buttons]
        return []

    @property
    def text(self) -> str:
        return "\n".join(reply.text for reply in self.replies)

    async def _do(self, kind: IncomingKind, **fields: object) -> list[Reply]:
        incoming = Incoming(
            channel=self.channel_name,
            user_key=self.user_key,
            chat_key=self.user_key,
            kind=kind,
            language_hint=self.language_hint,
            **fields,  # type: ignore[arg-type]
        )
        effects = await self.engine.handle(incoming, self.channel)
        self.replies = [effect for effect in effects if isinstance(effect, Reply)]
        return self.replies

    def _my_replies(self) -> list[tuple[str, Reply]]:
        return self.channel.sent_to.get(self.user_key, [])

    def _menu_message_id(self) -> str:
        for message_id, reply in reversed(self._my_replies()):
            if reply.buttons:
                return message_id
        return "1"

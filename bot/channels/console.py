"""The terminal channel of the demo: numbered buttons, typed numbers or labels press them."""

from __future__ import annotations

import asyncio
import itertools
import sys
from typing import TextIO

from core.context import ChannelCapabilities
from core.engine import Engine
from pathlib import Path

from core.messages import DeleteMessages, Delivery, Effect, Incoming, IncomingKind, Location, Media, Reply, Toast

CONSOLE_USER = "demo"


class ConsoleChannel:
    capabilities = ChannelCapabilities(name="console", can_delete_messages=True, keeps_message_ids=False)

    def __init__(self, engine: Engine, output: TextIO = sys.stdout, user_key: str = CONSOLE_USER) -> None:
        self.engine = engine
        self.output = output
        self.user_key = user_key
        self._ids = itertools.count(1)

    async def run(self, lines: TextIO = sys.stdin) -> None:
        self._print("Tynchtyk — demo. Type /start to begin, a number or a label to press a button, "
                    "'/location LAT LON' to share a location, '/file PATH' to send a file, Ctrl+D to quit.\n")
        await self.send_text("/start")
        while True:
            line = await asyncio.to_thread(lines.readline)
            if not line:
                break
            await self.send_text(line.rstrip("\n"))

    async def send_text(self, text: str) -> list[Effect]:
        return await self.engine.handle(self._incoming(text), self)

    async def deliver(self, incoming: Incoming, effects: list[Effect]) -> Delivery:
        delivery = Delivery()
        for effect in effects:
            if isinstance(effect, DeleteMessages):
                self._print("\033[2J\033[H(chat wiped)\n")
                delivery.deleted_message_ids.extend(effect.message_ids)
            elif isinstance(effect, Reply):
                self._print(render_reply(effect))
                delivery.sent_message_ids.append(str(next(self._ids)))
            elif isinstance(effect, Toast):
                self._print(f"[{effect.text}]\n")
        self._print("> ")
        return delivery

    async def download(self, media: Media) -> bytes:
        return await asyncio.to_thread(Path(media.file_id).expanduser().read_bytes)

    def _incoming(self, text: str) -> Incoming:
        if text.startswith("/file "):
            path = Path(text[len("/file ") :].strip()).expanduser()
            if path.is_file():
                kind = "photo" if path.suffix.lower() in (".jpg", ".jpeg", ".png") else "document"
                media = Media(kind, str(path), file_name=path.name, size=path.stat().st_size)
                return Incoming("console", self.user_key, self.user_key, IncomingKind.MEDIA, media=media)
        if text.startswith("/location "):
            parts = text.split()
            try:
                location = Location(float(parts[1]), float(parts[2]))
            except (IndexError, ValueError):
                pass
            else:
                return Incoming("console", self.user_key, self.user_key, IncomingKind.LOCATION, location=location)
        return Incoming("console", self.user_key, self.user_key, IncomingKind.TEXT, text=text,
                        message_id=str(next(self._ids)))

    def _print(self, text: str) -> None:
        self.output.write(text)
        self.output.flush()


def render_reply(reply: Reply) -> str:
    lines = ["", reply.text]
    if reply.file is not None:
        lines.append(f"[file: {reply.file.file_name}, {len(reply.file.content)} bytes]")
    pressable = [button for button in reply.flat_buttons if button.action]
    for number, button in enumerate(pressable, start=1):
        lines.append(f"  {number}. {button.label}")
    for button in reply.flat_buttons:
        if button.url:
            lines.append(f"  🔗 {button.label}: {button.url}")
    return "\n".join(lines) + "\n"

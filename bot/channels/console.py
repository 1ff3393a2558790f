"""The terminal channel of the demo: numbered buttons, typed numbers or labels press them."""

from __future__ import annotations

import asyncio
import itertools
import os
import sys
from pathlib import Path
from typing import TextIO

from core.context import ChannelCapabilities
from core.engine import Engine
from core.messages import (
    DeleteMessages,
    Delivery,
    Effect,
    Incoming,
    IncomingKind,
    Location,
    Media,
    OutgoingFile,
    Reply,
    Toast,
)

CONSOLE_USER = "demo"
EXPORTS = "exports"  # under the data folder: where the files the bot sends (exports, charts) are saved


class ConsoleChannel:
    capabilities = ChannelCapabilities(name="console", can_delete_messages=True, keeps_message_ids=False,
                                       text_limit=100_000, label_limit=200)

    def __init__(self, engine: Engine, output: TextIO = sys.stdout, user_key: str = CONSOLE_USER) -> None:
        self.engine = engine
        self.output = output
        self.user_key = user_key
        self.files_dir = engine.settings.data_dir / EXPORTS
        self._ids = itertools.count(1)
        self._menu: Reply | None = None  # the last reply with buttons, which typed numbers press

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
        last_reply: Reply | None = None
        for effect in effects:
            if isinstance(effect, DeleteMessages):
                self._print("\033[2J\033[H(chat wiped)\n")
                delivery.deleted_message_ids.extend(effect.message_ids)
            elif isinstance(effect, Reply):
                saved = await self._save_file(effect.file) if effect.file else None
                self._print(render_reply(effect, saved))
                delivery.sent_message_ids.append(str(next(self._ids)))
                last_reply = effect
                if effect.buttons:
                    self._menu = effect
            elif isinstance(effect, Toast):
                self._print(f"[{effect.text}]\n")
        if last_reply is not None and last_reply.file and not last_reply.buttons and self._menu is not None:
            # A file came last: its menu, still in force, would be out of sight above it.
            self._print(render_options(self._menu))
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

    async def _save_file(self, file: OutgoingFile) -> Path | None:
        try:
            return await asyncio.to_thread(self._save, file)
        except OSError:
            return None

    def _save(self, file: OutgoingFile) -> Path:
        """A file the bot sent, saved for her to open (0600, as everything in the data folder)."""
        self.files_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        name = Path(file.file_name).name or "file"
        path = self.files_dir / name
        for number in itertools.count(2):
            try:
                descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                break
            except FileExistsError:
                path = self.files_dir / f"{Path(name).stem}-{number}{Path(name).suffix}"
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(file.content)
        return path

    def _print(self, text: str) -> None:
        self.output.write(text)
        self.output.flush()


def render_reply(reply: Reply, saved: Path | None = None) -> str:
    lines = ["", reply.text]
    if reply.file is not None:
        where = f"saved as {saved}" if saved else "not saved"
        lines.append(f"[file: {reply.file.file_name}, {len(reply.file.content)} bytes, {where}]")
    return "\n".join(lines) + "\n" + render_options(reply)


def render_options(reply: Reply) -> str:
    lines = []
    pressable = [button for button in reply.flat_buttons if button.action]
    for number, button in enumerate(pressable, start=1):
        lines.append(f"  {number}. {button.label}")
    for button in reply.flat_buttons:
        if button.url:
            lines.append(f"  🔗 {button.label}: {button.url}")
    return "".join(line + "\n" for line in lines)

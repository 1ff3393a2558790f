"""What the bot is made of, handed to the scheduler and the channels: settings, the database,
the content, the key, the engine and the one delivery path. The shell (`bot/app.py`) builds it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from content import Content
from core.delivery import Sender
from core.engine import Engine
from storage.crypto import Cipher
from storage.secrets import Hasher

if TYPE_CHECKING:
    from bot.settings import Settings


@dataclass
class App:
    settings: Settings
    database: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    content: Content
    cipher: Cipher
    hasher: Hasher
    engine: Engine
    sender: Sender  # the one delivery path of messages the bot sends on its own or to others

    async def close(self) -> None:
        await self.database.dispose()

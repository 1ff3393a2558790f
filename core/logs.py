"""Structured logs without personal data: one JSON object a line, user ids as keyed hashes
(the secret is made on first run and never leaves the key's folder), never a message text or a
phone number."""

from __future__ import annotations

import json
import logging
import sys
import secrets
from typing import Any

from storage.secrets import Hasher

# Until the process knows its secret (tests, tools), references are keyed with a random one:
# stable within the process, and useless to anyone who reads the log.
_hasher = Hasher(secrets.token_bytes(32))


def use_hasher(hasher: Hasher) -> None:
    global _hasher
    _hasher = hasher


def configure_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    quiet_talkative_libraries(level)


def quiet_talkative_libraries(level: str = "INFO") -> None:
    """These libraries log user ids or SQL parameters below WARNING, at any root level. The
    scheduler's own loggers write two lines a second at INFO (every tick of its jobs): they are
    heard only when LOG_LEVEL is DEBUG."""
    for name in ("aiogram.event", "aiosqlite", "sqlalchemy.engine", "asyncpg", "aiohttp.access", "alembic"):
        logging.getLogger(name).setLevel(logging.WARNING)
    scheduler_level = logging.NOTSET if level.upper() == "DEBUG" else logging.WARNING
    logging.getLogger("apscheduler").setLevel(scheduler_level)


def user_ref(channel: str, user_key: str) -> str:
    """A stable pseudonym for logs: the same person gives the same reference, which names nobody."""
    return _hasher.digest("log", f"{channel}:{user_key}", 16)


def log_event(
    logger: logging.Logger, event: str, level: int = logging.INFO, exc_info: bool = False, **fields: Any
) -> None:
    """`exc_info`: add the exception being handled (its type and frames, never its message)."""
    logger.log(level, event, exc_info=exc_info, extra={"fields": fields})


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        entry.update(getattr(record, "fields", {}))
        if record.exc_info and record.exc_info[0] is not None:
            # The exception's type and where it happened; its message may quote what a person typed.
            entry["error"] = record.exc_info[0].__name__
            entry["where"] = _frames(record.exc_info[2])
        return json.dumps(entry, ensure_ascii=False, default=str)


def _frames(tb: Any) -> list[str]:
    frames = []
    while tb is not None:
        code = tb.tb_frame.f_code
        frames.append(f"{code.co_filename.rsplit('/', 1)[-1]}:{tb.tb_lineno}:{code.co_name}")
        tb = tb.tb_next
    return frames[-6:]

"""Typed configuration, read from the environment and an optional `.env` file."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from typing_extensions import Annotated


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    data_dir: Path = Path("data")
    database_url: str = ""
    data_key: SecretStr | None = None

    telegram_bot_token: SecretStr | None = None
    telegram_api_url: str | None = None
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_host: str = "0.0.0.0"
    webhook_port: int = 8080
    webhook_path: str = "/telegram/webhook"

    admin_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)

    flood_max_updates: int = 20
    flood_window_seconds: float = 10.0
    flood_mute_seconds: float = 30.0

    send_rate: float = 25.0  # messages per second, overall, for alerts and reminders
    per_chat_seconds: float = 1.0  # at most one message per this many seconds to one chat

    default_language: str = "ru"
    timezone: str = "Asia/Bishkek"
    log_level: str = "INFO"
    log_salt: SecretStr = SecretStr("tynchtyk")

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_admin_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return [int(part) for part in value.replace(";", ",").split(",") if part.strip()]
        if isinstance(value, int):
            return [value]
        return value

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{self.data_dir / 'tynchtyk.db'}"

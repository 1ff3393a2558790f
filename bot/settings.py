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
    # Where the key file is kept when DATA_KEY is empty; best outside DATA_DIR, so that a copy of
    # the data folder does not carry the key that opens it. The secret of the keyed hashes (log
    # pseudonyms, invite codes) is kept in the same folder.
    data_key_file: Path | None = None

    telegram_bot_token: SecretStr | None = None
    telegram_api_url: str | None = None
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_host: str = "0.0.0.0"
    webhook_port: int = 8080
    webhook_path: str = "/telegram/webhook"

    whatsapp_token: SecretStr | None = None
    whatsapp_phone_number_id: str | None = None
    whatsapp_app_secret: SecretStr | None = None
    whatsapp_verify_token: SecretStr | None = None
    whatsapp_api_url: str = "https://graph.facebook.com/v26.0"
    whatsapp_webhook_path: str = "/whatsapp/webhook"
    # An approved template with one body variable, for alerts and reminders to someone who has
    # not written for 24 hours; without one, such messages are skipped and counted.
    whatsapp_template: str | None = None
    whatsapp_template_languages: Annotated[dict[str, str], NoDecode] = Field(
        default_factory=lambda: {"ky": "ky_KG", "ru": "ru", "en": "en"}
    )

    # The coordinators' web dashboard, served by the bot's own web server. DASHBOARD_URL is the
    # public https address its login links use (behind a reverse proxy); without it, the links
    # name this machine's address, which is right for a demo or an SSH tunnel.
    dashboard_enabled: bool = True
    dashboard_host: str = "127.0.0.1"
    dashboard_port: int = 8080
    dashboard_path: str = "/dashboard"
    dashboard_url: str | None = None

    admin_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)

    flood_max_updates: int = 20
    flood_window_seconds: float = 10.0
    flood_mute_seconds: float = 30.0

    monitoring_tick_seconds: float = 10.0  # how often due reminders and recurring tasks are queued
    leader_check_seconds: float = 10.0  # how often a process tries to take over the scheduler
    send_rate: float = 25.0  # messages in any second, overall, of all the bot sends on its own
    per_chat_seconds: float = 1.0  # at most one message per this many seconds to one chat

    default_language: str = "ru"
    timezone: str = "Asia/Bishkek"
    log_level: str = "INFO"

    @field_validator("data_key_file", mode="before")
    @classmethod
    def _empty_path_is_none(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_admin_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return [int(part) for part in value.replace(";", ",").split(",") if part.strip()]
        if isinstance(value, int):
            return [value]
        return value

    @field_validator("whatsapp_template_languages", mode="before")
    @classmethod
    def _split_template_languages(cls, value: object) -> object:
        """`ky=ky_KG,ru=ru`: our language, then the code Meta approved the template under."""
        if isinstance(value, str):
            pairs = (part.split("=", 1) for part in value.split(",") if "=" in part)
            return {ours.strip(): theirs.strip() for ours, theirs in pairs}
        return value

    @property
    def whatsapp_missing(self) -> list[str]:
        """The WhatsApp settings still unset, when some are set; empty when WhatsApp is off or ready."""
        required = {
            "WHATSAPP_TOKEN": self.whatsapp_token,
            "WHATSAPP_PHONE_NUMBER_ID": self.whatsapp_phone_number_id,
            "WHATSAPP_APP_SECRET": self.whatsapp_app_secret,
            "WHATSAPP_VERIFY_TOKEN": self.whatsapp_verify_token,
        }
        missing = [name for name, value in required.items() if not value]
        return missing if len(missing) < len(required) else []

    @property
    def whatsapp_enabled(self) -> bool:
        return self.whatsapp_token is not None and not self.whatsapp_missing

    def serving_problem(self, workers: int = 1) -> str | None:
        """Why `run` cannot serve with these settings, in words for the technician; None if it can."""
        if workers > 1 and not self.effective_database_url.startswith("postgresql"):
            return "Several workers need PostgreSQL: set DATABASE_URL=postgresql+asyncpg://..."
        if workers > 1 and not (self.webhook_url or self.whatsapp_enabled):
            return ("Several workers need webhooks (WEBHOOK_URL, or WhatsApp): Telegram's long polling "
                    "allows one process only.")
        if self.whatsapp_missing:
            return f"WhatsApp is half configured; also set {', '.join(self.whatsapp_missing)}."
        if self.telegram_bot_token is None and not self.whatsapp_enabled:
            return ("Neither TELEGRAM_BOT_TOKEN nor the WHATSAPP_* settings are set: nothing to serve. "
                    "Try `make demo` for the terminal bot.")
        if self.webhook_url and self.webhook_secret is None:
            return "WEBHOOK_SECRET must be set with WEBHOOK_URL, so that forged updates are refused."
        return None

    @property
    def key_file(self) -> Path:
        return self.data_key_file or self.data_dir / "secret.key"

    @property
    def secrets_dir(self) -> Path:
        """The folder of the key file, where the hashing secret lives too."""
        return self.key_file.parent

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{self.data_dir / 'tynchtyk.db'}"

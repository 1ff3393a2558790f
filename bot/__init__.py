"""The shell: settings, channels, the web server and the command line.

aiogram's Bot API models are made to build on first use before anything here imports aiogram
(see bot/lazy_models.py): it saves seconds at start and most of aiogram's memory."""

from bot import lazy_models

lazy_models.install()

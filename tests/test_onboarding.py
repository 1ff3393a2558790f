"""Onboarding, the main menu and the commands that work from anywhere, through the engine."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.app import App
from storage.models import Conversation
from tests.chat import ScriptedUser
from tests.helpers import LANGUAGE_LABELS, onboard, stored_user

MAIN_MENU = {"ky": "Башкы меню", "ru": "Главное меню", "en": "Main menu"}


@pytest.mark.parametrize("language", ["ky", "ru", "en"])
async def test_onboarding_in_each_language(app: App, make_user, language: str) -> None:
    user = make_user(language_hint="de")
    await user.send("/start")
    assert "Тилди тандаңыз" in user.text and "Выберите язык" in user.text and "Choose your language" in user.text
    assert user.button_labels() == [
        "Кыргызча",
        "✓ Русский",  # an unknown Telegram language preselects the default
        "English",
    ]
    await user.press(LANGUAGE_LABELS[language])
    region_names = {"ky": "Нарын облусу", "ru": "Нарынская область", "en": "Naryn region"}
    assert region_names[language] in user.button_labels()
    await user.press(region_names[language])
    assert MAIN_MENU[language] in user.text
    labels = user.button_labels()
    assert len(labels) == 6  # a member sees no coordinator menu
    stored = await stored_user(app)
    assert (stored.language, stored.region) == (language, "naryn")


async def test_language_preselected_from_telegram(make_user) -> None:
    user = make_user(language_hint="ky")
    await user.send("/start")
    assert user.button_labels()[0] == "✓ Кыргызча"


async def test_region_can_be_skipped(app: App, make_user) -> None:
    user = make_user()
    await onboard(user, "en", region=None)
    assert "Main menu" in user.text
    assert (await stored_user(app)).region is None


async def test_buttons_of_sections_that_were_not_open_yet_now_expire(app: App, make_user) -> None:
    user = make_user()
    await onboard(user, "en", "Osh city")
    for old in ("soon:lessons", "soon:report"):
        await user.press_action(old)
        assert "This button has expired" in user.text and "Main menu" in user.text


async def test_menu_navigation_edits_in_place(make_user) -> None:
    user = make_user()
    await onboard(user, "en", "Talas region")
    replies = await user.press("Settings")
    assert replies[0].edit is True
    assert "Language: English" in user.text and "Region: Talas region" in user.text
    await user.press("Region")
    await user.press("Batken region")
    assert "Region: Batken region" in user.text


@pytest.mark.parametrize("language", ["ky", "ru", "en"])
async def test_help_menu_cancel_in_each_language(make_user, language: str) -> None:
    user = make_user()
    await onboard(user, language, None)
    await user.send("/help")
    assert "/menu" in user.text and "/language" in user.text
    await user.send("/menu")
    assert MAIN_MENU[language] in user.text
    await user.send("/cancel")
    assert MAIN_MENU[language] in user.text


async def test_switching_language_changes_every_later_reply(make_user) -> None:
    user = make_user()
    await onboard(user, "ru", None)
    await user.send("/language")
    await user.press("Кыргызча")
    assert "Башкы меню" in user.text
    await user.send("/help")
    assert "/menu" in user.text and "Главное меню" not in user.text and "Башкы меню" in user.button_labels()[0]
    await user.send("/menu")
    assert "Башкы меню" in user.text
    await user.press("Жөндөөлөр")
    assert "Кыргызча" in user.text and "Язык" not in user.text


async def test_unknown_command_and_gibberish_get_the_menu(make_user) -> None:
    user = make_user()
    await onboard(user, "en", None)
    await user.send("/doesnotexist")
    assert "do not know this command" in user.text and "Main menu" in user.text
    await user.send("asdf qwerty")
    assert "did not understand" in user.text and "Main menu" in user.text


async def test_typed_label_or_number_presses_the_button(make_user) -> None:
    user = make_user()
    await onboard(user, "en", None)
    await user.send("settings")  # a label, typed without its emoji
    assert "Language: English" in user.text
    await user.send("6")  # the sixth button: Main menu
    assert "Main menu" in user.text and "did not understand" not in user.text


async def test_text_before_onboarding_starts_it(make_user) -> None:
    user = make_user(language_hint="en")
    await user.send("hello")
    assert "Choose your language" in user.text


async def test_restart_in_the_middle_of_onboarding_goes_on(settings, clock, make_user) -> None:
    from bot.app import build_app
    from tests.chat import CollectingChannel

    first = await build_app(settings, clock=clock, run_migrations=False)
    channel = CollectingChannel()
    user = ScriptedUser(first.engine, channel)
    await user.send("/start")
    await user.press("English")
    assert "Which region" in user.text
    await first.close()

    second = await build_app(settings, clock=clock, run_migrations=False)
    user.engine = second.engine
    await user.send("hi")  # she types instead of pressing: asked again, where she was
    assert "Which region" in user.text
    await user.press("Chui region")
    assert "Main menu" in user.text
    async with second.sessions() as session:
        conversation = await session.scalar(select(Conversation))
        assert conversation is not None and conversation.state is None
    await second.close()

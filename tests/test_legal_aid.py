"""Find legal aid: every region and topic in every language, word search, location, the
admins' directory edits, and privacy."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sqlalchemy import select, text

from bot.app import App
from content import check_content
from content.legal_aid_model import Entry
from storage import legal_aid_repo
from storage.models import AuditEntry, LookupCount
from tests.databases import column_names
from tests.helpers import make_admin, onboard, t


async def open_legal_aid(app: App, user, language: str) -> None:  # type: ignore[no-untyped-def]
    await user.send("/menu")
    await user.press_exactly(t(app, language, "menu-legal"))


def expected_names(app: App, language: str, region: str, topic: str) -> set[str]:
    return {
        entry.name.get(language)
        for entry in app.content.directory.entries
        if topic in entry.topics and (entry.regions == "all" or region in entry.regions)
    }


@pytest.mark.parametrize("language", ["ky", "ru", "en"])
async def test_every_region_and_topic_in_each_language(app: App, make_user, language: str) -> None:
    user = make_user(language_hint=language)
    await onboard(user, language, None)
    emergency_numbers = [item.number for item in app.content.directory.emergency.numbers]
    all_names = {entry.name.get(language) for entry in app.content.directory.entries}
    for region in app.content.regions:
        await user.press_action(f"la:r:{region}")
        assert t(app, language, "legal-emergency-title") in user.text
        for topic in app.content.directory.topic_ids():
            await user.press_action(f"la:t:{region}:{topic}")
            answer = user.text
            assert answer.startswith(t(app, language, "legal-emergency-title"))
            assert all(f"☎️ {number}" in answer for number in emergency_numbers)
            shown = {name for name in all_names if name in answer}
            assert shown == expected_names(app, language, region, topic), (region, topic)
            assert len(answer) <= 4096


async def test_the_menu_opens_with_her_region_preselected(app: App, make_user) -> None:
    user = make_user()
    await onboard(user, "ru", "Ошская область")
    await open_legal_aid(app, user, "ru")
    assert "Регион: Ошская область" in user.text
    await user.press("Семейное насилие")
    assert "Ак-Журок" in user.text and "Сезим" not in user.text
    assert "+996" not in user.text.split("Ак-Журок")[1].split("🏛")[0]  # no phone invented for it


async def test_two_taps_from_the_main_menu_to_contacts(app: App, make_user, channel) -> None:
    user = make_user()
    await onboard(user, "en", "Bishkek city")
    await user.press("Find legal aid")
    await user.press("Free state-guaranteed legal aid")
    assert "Legal clinic \"Adilet\", Bishkek" in user.text and "+996 312 65 35 13" in user.text
    assert "Source: Legal clinic Adilet, 2020: free legal aid for vulnerable groups (adilet.kg/en/news/full/415) (checked 2026-11)" in user.text


@pytest.mark.parametrize(
    "language, word, topic_key",
    [
        ("en", "alimony", "topic-family_law"),
        ("ru", "алименты", "topic-family_law"),
        ("ru", "алимент", "topic-family_law"),
        ("ky", "зордук", "topic-family_violence"),
        ("ky", "адвокат", "topic-free_aid"),
        ("ru", "мне нужен адвокат", "topic-free_aid"),
        ("en", "my husband beats me", "topic-family_violence"),
        ("ky", "кыйноо", "topic-torture"),
    ],
)
async def test_a_typed_word_finds_topics_and_entries(app: App, make_user, language: str, word: str, topic_key: str) -> None:
    user = make_user()
    await onboard(user, language, None)
    await open_legal_aid(app, user, language)
    await user.send(word)
    assert t(app, language, "legal-search-found", query=word) in user.text
    topic = topic_key.removeprefix("topic-")
    for name in expected_names(app, language, "bishkek", topic) - {"Legal clinic \"Adilet\", Bishkek"}:
        if any(entry.regions == "all" and entry.name.get(language) == name for entry in app.content.directory.entries):
            assert name in user.text


async def test_a_word_that_matches_nothing_shows_the_topics(app: App, make_user) -> None:
    user = make_user()
    await onboard(user, "en", None)
    await open_legal_aid(app, user, "en")
    await user.send("zzzzqqq")
    assert 'Nothing found for "zzzzqqq"' in user.text
    assert "Violence in the family" in user.button_labels()


async def test_nothing_about_her_lookup_is_kept_but_an_anonymous_count(app: App, make_user) -> None:
    user = make_user(user_key="31415")
    await onboard(user, "en", "Naryn region")
    await open_legal_aid(app, user, "en")
    await user.press("Torture and ill-treatment")
    await user.press("Another topic")
    await user.press("Torture and ill-treatment")
    async with app.sessions() as session:
        counts = (await session.scalars(select(LookupCount))).all()
        assert [(row.region, row.topic, row.count) for row in counts] == [("naryn", "torture", 2)]
        assert await column_names(session, "legal_aid_lookups") == {"day", "region", "topic", "count"}
        state = (await session.execute(text("SELECT state, data FROM conversations"))).one()
        assert state.data is None  # no topic or query stored with her


async def test_location_sorts_entries_with_coordinates_nearest_first(app: App, make_user) -> None:
    near_osh = Entry.model_validate({**app.content.directory.entries[4].model_dump(), "latitude": 40.53, "longitude": 72.80})
    near_bishkek = Entry.model_validate({**app.content.directory.entries[5].model_dump(), "latitude": 42.87, "longitude": 74.59})
    async with app.sessions() as session, session.begin():
        await legal_aid_repo.save_entry(session, near_osh, admin_id=1, now=app.engine.clock())
        await legal_aid_repo.save_entry(session, near_bishkek, admin_id=1, now=app.engine.clock())
    user = make_user()
    await onboard(user, "en", None)
    await open_legal_aid(app, user, "en")
    await user.send_location(42.80, 74.60)  # just south of Bishkek
    answer = user.text
    assert "Nearest first" in answer
    assert answer.index(near_bishkek.name.en) < answer.index(near_osh.name.en)
    assert "About 8 km away." in answer


async def test_an_admins_edit_is_seen_at_once_and_audited(app: App, make_user) -> None:
    admin = make_user(user_key="1")
    await make_admin(app, "1")
    await onboard(admin, "en", None)
    member = make_user(user_key="2")
    await onboard(member, "en", "Bishkek city")

    await admin.press("Coordinator")
    await admin.press("Legal-aid directory")
    await admin.press('Legal clinic "Adilet", Bishkek')
    await admin.press("Phones")
    await admin.send("0312 65 35 13")
    assert "not a valid number" in admin.text  # and she is asked again
    await admin.send("+996 312 65 35 13, +996 700 000 001")
    assert "Where does this come from?" in admin.text
    await admin.send("adilet.kg contacts page")
    assert "Saved. People see the change at once." in admin.text

    await member.press("Find legal aid")
    await member.press("Free state-guaranteed legal aid")
    assert "+996 700 000 001" in member.text and "adilet.kg contacts page (checked 2026-11-23)" in member.text

    await admin.press("Hide from people")
    await member.press("Another topic")
    await member.press("Free state-guaranteed legal aid")
    assert "Adilet" not in member.text
    async with app.sessions() as session:
        actions = (await session.scalars(select(AuditEntry.action).where(AuditEntry.target == "adilet"))).all()
    assert actions == ["directory.saved", "directory.hidden"]


async def test_an_admin_adds_an_entry_in_the_chat(app: App, make_user) -> None:
    admin = make_user(user_key="1")
    await make_admin(app, "1")
    await onboard(admin, "en", None)
    await admin.press("Coordinator")
    await admin.press("Legal-aid directory")
    await admin.press("Add an entry")
    for answer in ["Жардам борбору", "Центр помощи", "Help centre", "Жардам", "Помощь", "Help for women"]:
        await admin.send(answer)
    await admin.send("+996 555 000 111")
    await admin.press("Skip")  # no website
    await admin.press("Talas region")
    await admin.press("Done")
    await admin.press("Done")
    assert "Choose at least one." in admin.text
    await admin.press("Violence in the family")
    await admin.press("Done")
    await admin.send("Talas oblast administration website, list of services")
    assert "Saved." in admin.text

    member = make_user(user_key="3")
    await onboard(member, "en", "Talas region")
    await member.press("Find legal aid")
    await member.press("Violence in the family")
    assert "Help centre" in member.text and "+996 555 000 111" in member.text
    other = make_user(user_key="4")
    await onboard(other, "en", "Naryn region")
    await other.press("Find legal aid")
    await other.press("Violence in the family")
    assert "Help centre" not in other.text


@pytest.mark.parametrize("forged", ["dir", "dir:e:adilet", "dir:edit:adilet:phones", "dir:hide:adilet:1", "dir:new", "dir:pick:naryn", "dir:done", "dir:skip"])
async def test_a_member_cannot_edit_the_directory_even_with_a_forged_button(app: App, make_user, forged: str) -> None:
    member = make_user(user_key="5")
    await onboard(member, "en", None)
    await member.press_action(forged)
    assert "only for coordinators and admins" in member.text
    async with app.sessions() as session:
        assert (await session.execute(text("SELECT count(*) FROM legal_aid_overrides"))).scalar() == 0


async def test_a_coordinator_cannot_edit_the_directory(app: App, make_user) -> None:
    from storage.models import Role, User

    coordinator = make_user(user_key="6")
    await onboard(coordinator, "en", None)
    async with app.sessions() as session, session.begin():
        user = await session.scalar(select(User).where(User.external_id == "6"))
        user.role = Role.COORDINATOR
    await coordinator.press_action("dir:hide:adilet:1")
    assert "only for coordinators and admins" in coordinator.text


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d["entries"][0].pop("source"), "entries[0].source: Field required"),
        (lambda d: d["entries"][2].update(phones=["0551 089 099"]), "is not a valid international number"),
        (lambda d: d["entries"][2].update(phones=["+996 551 089"]), "is not a valid international number"),
        (lambda d: d["entries"][3].update(regions=["bishkek", "atlantis"]), "region 'atlantis' does not exist"),
        (lambda d: d["entries"][3].update(topics=["astrology"]), "topic 'astrology' does not exist"),
        (lambda d: d["entries"][4].pop("website"), "needs a phone, an email, a website or an address"),
        (lambda d: d["entries"][1].update(checked="last year"), "checked must be a date"),
    ],
)
def test_a_bad_directory_entry_fails_the_check(content_copy: Path, change, message: str) -> None:  # type: ignore[no-untyped-def]
    path = content_copy / "legal_aid.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    problems = [str(problem) for problem in check_content(content_copy)]
    assert any(message in problem and "legal_aid.yaml:" in problem for problem in problems), problems

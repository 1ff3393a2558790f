"""Whatever a person (or a forger) sends, nothing escapes the engine, nothing it answers breaks
Telegram's limits, and the conversation state stays one the bot knows."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.app import App
from core.messages import Incoming, IncomingKind, Media, Reply
from storage.models import Conversation, Draft, Role, User
from tests.chat import CollectingChannel

KNOWN_ACTIONS = [
    "home", "set", "lang", "lang:set:ky", "lang:set:en", "region", "region:set:osh_city", "region:set:none",
    "priv:wipe", "priv:wipe_ok", "priv:del", "priv:del_ok", "priv:del_wipe", "ob:lang:ru", "ob:reg:skip",
    "ob:reg:batken", "rep:new", "rep:mon", "mon", "rep:status", "f:c:category:work", "f:y:safe:yes",
    "f:y:safe:no", "f:d:date:0", "f:skip:district", "f:back", "f:send", "f:cancel", "f:cancel_ok", "f:keep",
    "f:later", "f:edit:place", "f:done:evidence", "f:resume:incident", "f:new:incident", "f:again:safe", "rep",
    "rep:o:1", "rep:l:new:all:all:0", "rep:x:csv", "bc", "bc:new", "bc:each", "bc:opt", "bc:go", "bc:list",
    "bc:read:1", "set:mute", "grp", "grp:new", "grp:join", "grp:g:1", "tk", "tk:done:1", "tk:snz:1:h", "tk:new:1", "la", "la:r:naryn", "la:t:naryn:torture", "la:t:all:free_aid", "la:regions",
    "dir", "dir:new", "dir:e:adilet", "dir:edit:adilet:phones", "dir:pick:naryn", "dir:done", "dir:skip", "coord", "les", "les:cont", "les:daily", "les:dset:0730", "les:doff",
    "les:stats", "les:send", "les:c:wps1325", "les:l:wps1325:adopted", "les:n:rights:forms:1", "les:a:rights:forms:0:1",
    "les:q:rights:forms:1", "adm:inv", "adm:inv_reg:naryn", "adm:inv_ok", "adm:staff", "adm:rm:1",
]
COMMANDS = ["/start", "/help", "/menu", "/cancel", "/language", "/start coord-XXXX", "/", "/start@tynchtyk_bot"]

steps = st.one_of(
    st.tuples(st.just("text"), st.text(max_size=300)),
    st.tuples(st.just("text"), st.sampled_from(COMMANDS + ["1", "2", "9", "0", "-1", "Settings", "English"])),
    st.tuples(st.just("long"), st.integers(min_value=4000, max_value=10_000)),
    st.tuples(st.just("action"), st.sampled_from(KNOWN_ACTIONS)),
    st.tuples(st.just("action"), st.text(max_size=80)),
    st.tuples(st.just("sticker"), st.none()),
    st.tuples(st.just("photo"), st.none()),
    st.tuples(st.just("location"), st.none()),
)
user_keys = itertools.count(10_000)


def incoming_for(step: tuple[str, object], user_key: str, private: bool) -> Incoming:
    kind, value = step
    base = dict(channel="telegram", user_key=user_key, chat_key=user_key, message_id="5", private_chat=private,
                language_hint="ky")
    if kind == "text":
        return Incoming(kind=IncomingKind.TEXT, text=str(value), **base)
    if kind == "long":
        return Incoming(kind=IncomingKind.TEXT, text="ж" * int(value), **base)  # type: ignore[call-overload]
    if kind == "action":
        return Incoming(kind=IncomingKind.ACTION, action=str(value), **base)
    if kind == "photo":
        return Incoming(kind=IncomingKind.MEDIA, media=Media("photo", "file-1", size=10), **base)
    if kind == "location":
        from core.messages import Location

        return Incoming(kind=IncomingKind.LOCATION, location=Location(40.0, 72.8), **base)
    return Incoming(kind=IncomingKind.OTHER, **base)


def assert_within_telegram_limits(reply: Reply) -> None:
    assert 0 < len(reply.text) <= 4096
    assert sum(len(row) for row in reply.buttons) <= 100
    for button in reply.flat_buttons:
        assert 0 < len(button.label) <= 64
        assert button.action is None or 0 < len(button.action.encode()) <= 64


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(steps, min_size=1, max_size=12), st.booleans())
async def test_random_input_never_breaks_the_bot(app: App, walk: list[tuple[str, object]], private: bool) -> None:
    channel = CollectingChannel()
    user_key = str(next(user_keys))
    crashed = {app.content.catalog.text(language, "error-generic") for language in ("ky", "ru", "en")}
    group_answers = {app.content.catalog.text(language, "group-write-privately") for language in ("ky", "ru", "en")}
    for step in walk:
        effects = await app.engine.handle(incoming_for(step, user_key, private), channel)
        for effect in effects:
            if isinstance(effect, Reply):
                assert effect.text not in crashed
                assert_within_telegram_limits(effect)
    known_states = {None, "onboarding.language", "onboarding.region", "admin.invite", "lessons.daily_time", "legal.search", "form",
                    "status.code", "rep.answer", "rep.question", "dir.step", "bc.text", "bc.options",
                    "bc.photo", "bc.link", "bc.when", "grp.code", "grp.name", "grp.region", "grp.quiet",
                    "grp.offsets", "tk.title", "tk.description", "tk.due", "tk.recurrence", "tk.assignee"}
    async with app.sessions() as session:
        for conversation in (await session.scalars(select(Conversation))).all():
            assert conversation.state in known_states
    if not private:
        assert all(not isinstance(effect, Reply) or effect.text in group_answers for effect in channel.effects)


# Where a coordinator or an admin may be when the random steps begin: deep in a report, or in one
# of the hand-written dialogs.
STAFF_ENTRY_PATHS = [
    [("action", "rep:new"), ("action", "f:y:safe:yes"), ("action", "f:c:category:work"), ("action", "f:c:whom:me")],
    [("action", "rep:new"), ("action", "f:y:safe:yes"), ("action", "f:c:category:work"), ("action", "f:c:whom:me"),
     ("action", "f:c:region:naryn"), ("text", "Kochkor"), ("action", "f:d:date:0")],
    [("action", "bc:new"), ("text", "Hearing on Monday")],
    [("action", "bc:new"), ("action", "bc:each"), ("text", "Дүйшөмбүдө угуу")],
    [("action", "grp:new")],
    [("action", "grp:new"), ("text", "Naryn monitors")],
    [("action", "dir:new")],
    [("action", "adm:inv"), ("action", "adm:inv_reg:naryn")],
    [("action", "les:daily")],
]
staff_keys = itertools.count(50_000)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(STAFF_ENTRY_PATHS), st.lists(steps, min_size=1, max_size=10),
       st.sampled_from([Role.COORDINATOR, Role.ADMIN]))
async def test_random_input_in_staff_and_deep_form_states_leaves_no_half_written_state(
    app: App, entry: list[tuple[str, object]], walk: list[tuple[str, object]], role: Role
) -> None:
    channel = CollectingChannel()
    user_key = str(next(staff_keys))
    for step in [("text", "/start"), ("action", "ob:lang:en"), ("action", "ob:reg:naryn")]:
        await app.engine.handle(incoming_for(step, user_key, True), channel)
    async with app.sessions() as session, session.begin():
        user = await session.scalar(select(User).where(User.external_id == user_key))
        user.role, user.coordinator_regions = role, ["naryn"]
    crashed = {app.content.catalog.text(language, "error-generic") for language in ("ky", "ru", "en")}
    for step in [*entry, *walk]:
        effects = await app.engine.handle(incoming_for(step, user_key, True), channel)
        for effect in effects:
            if isinstance(effect, Reply):
                assert effect.text not in crashed, step
                assert_within_telegram_limits(effect)
        await _assert_state_whole(app, user_key)


async def _assert_state_whole(app: App, user_key: str) -> None:
    """The saved state is one the bot knows, its data opens, and it carries what that state needs."""
    async with app.sessions() as session:
        user = await session.scalar(select(User).where(User.external_id == user_key))
        if user is None:
            return  # she deleted her data
        conversation = await session.get(Conversation, user.id)
        drafts = list(await session.scalars(select(Draft).where(Draft.user_id == user.id)))
    if conversation is None:
        return
    data = app.cipher.decrypt_json(conversation.data) if conversation.data else {}
    menu = app.cipher.decrypt_json(conversation.menu_token) if conversation.menu_token else []
    assert isinstance(data, dict) and isinstance(menu, list)
    needs = {"form": "form", "bc.text": "texts", "bc.options": "texts", "dir.step": "steps", "admin.invite": "regions"}
    state = conversation.state or ""
    if state in needs:
        assert needs[state] in data, (state, sorted(data))
    for draft in drafts:
        assert isinstance(app.cipher.decrypt_json(draft.data), dict)

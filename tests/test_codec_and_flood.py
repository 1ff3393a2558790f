"""The action codec and the flood guard, alone."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.actions import MAX_ACTION_BYTES, InvalidAction, decode, encode
from bot.app import App
from core.flood import FloodGuard, FloodVerdict

ROUTES = {"home": 0, "set:lang": 1, "adm:rm": 1, "a:b:c": 2}


def test_round_trip() -> None:
    assert decode(encode("set:lang", "ky"), ROUTES).args == ("ky",)
    assert decode(encode("a:b:c", "x", 7), ROUTES).args == ("x", "7")


def test_encode_refuses_what_would_not_fit() -> None:
    with pytest.raises(ValueError):
        encode("adm:rm", "x" * 40 + "y" * 30)
    with pytest.raises(ValueError):
        encode("adm:rm", "has space")


@given(st.text(max_size=80))
def test_decode_accepts_only_known_routes_with_the_right_arguments(data: str) -> None:
    try:
        action = decode(data, ROUTES)
    except InvalidAction:
        return
    assert ROUTES[action.name] == len(action.args)
    assert len(data.encode()) <= MAX_ACTION_BYTES


def test_flood_warns_once_then_drops_then_forgives() -> None:
    now = [0.0]
    guard = FloodGuard(max_updates=3, window_seconds=10, mute_seconds=30, clock=lambda: now[0])
    verdicts = [guard.check("u") for _ in range(6)]
    assert verdicts == [FloodVerdict.PASS] * 3 + [FloodVerdict.WARN] + [FloodVerdict.DROP] * 2
    assert guard.check("someone else") is FloodVerdict.PASS
    now[0] = 31
    assert guard.check("u") is FloodVerdict.PASS


def test_the_guard_forgets_people_quiet_for_a_window_but_not_the_muted() -> None:
    now = [0.0]
    guard = FloodGuard(max_updates=3, window_seconds=10, mute_seconds=30, clock=lambda: now[0])
    for person in range(1000):
        guard.check(f"person-{person}")
    for _ in range(4):
        guard.check("flooder")  # muted until 30
    assert guard.tracked == 1001
    now[0] = 5
    guard.check("person-1")
    assert guard.tracked == 1001  # within the window: everyone is still counted
    now[0] = 12
    guard.check("person-1")
    assert guard.tracked == 2  # the one who wrote at 5 s and the muted flooder
    assert guard.check("flooder") is FloodVerdict.DROP


async def test_a_flood_of_messages_gets_one_slow_down(app: App, make_user) -> None:
    app.engine.flood = FloodGuard(max_updates=5, window_seconds=60, mute_seconds=60)
    user = make_user(language_hint="en")
    answers = [await user.send("/menu") for _ in range(12)]
    slow_downs = [replies for replies in answers if replies and "very fast" in replies[0].text]
    assert len(slow_downs) == 1
    assert answers[6:] == [[]] * 6  # dropped while muted

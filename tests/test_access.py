"""Roles are checked in the handler: a member pressing a forged coordinator button gets nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.app import App
from storage.models import AuditEntry, Role, User
from tests.helpers import make_admin, onboard


@pytest.mark.parametrize("forged", ["coord", "adm:staff", "adm:inv", "adm:inv_ok", "adm:rm:1"])
async def test_a_member_cannot_use_staff_actions_even_with_a_forged_button(app: App, make_user, forged: str) -> None:
    member = make_user(user_key="100")
    await onboard(member, "en", None)
    await member.press_action(forged)
    assert "only for coordinators and admins" in member.text
    assert "Main menu" in member.text
    async with app.sessions() as session:
        denied = (await session.scalars(select(AuditEntry).where(AuditEntry.action == "access.denied"))).all()
        assert len(denied) == 1
        assert (await session.scalar(select(User))).role == Role.MEMBER


async def test_admin_invites_a_coordinator_for_her_regions(app: App, make_user) -> None:
    admin = make_user(user_key="1")
    await make_admin(app, "1")
    await onboard(admin, "en", None)
    assert "Coordinator" in admin.button_labels()[-1]
    await admin.press("Coordinator")
    await admin.press("Add a coordinator")
    await admin.press("Create the code")
    assert "at least one region" in admin.text
    await admin.press("Naryn region")
    await admin.press("Talas region")
    await admin.press("Create the code")
    code = admin.text.split("/start coord-")[1].split()[0]

    future = make_user(user_key="2", language_hint="en")
    await onboard(future, "en", None)
    await future.send(f"/start coord-{code}")
    assert "coordinator for: Naryn region, Talas region" in future.text
    await future.press("Coordinator")
    assert "Your regions: Naryn region, Talas region" in future.text
    assert not any("Add a coordinator" in label for label in future.button_labels())

    again = make_user(user_key="3", language_hint="en")
    await onboard(again, "en", None)
    await again.send(f"/start coord-{code}")
    assert "does not work" in again.text  # a code works once

    await admin.send("/menu")
    await admin.press("Coordinator")
    await admin.press("Coordinators and admins")
    assert "coordinator – Naryn region, Talas region" in admin.text
    await admin.press("Remove coordinator")
    async with app.sessions() as session:
        removed = await session.scalar(select(User).where(User.external_id == "2"))
        assert removed.role == Role.MEMBER and removed.coordinator_regions == []
        actions = (await session.scalars(select(AuditEntry.action))).all()
    assert {"invite.created", "role.coordinator.joined", "role.coordinator.removed", "staff.list"} <= set(actions)


async def test_a_coordinator_cannot_do_admin_work(app: App, make_user) -> None:
    coordinator = make_user(user_key="9")
    await onboard(coordinator, "en", None)
    async with app.sessions() as session, session.begin():
        user = await session.scalar(select(User).where(User.external_id == "9"))
        user.role = Role.COORDINATOR
        user.coordinator_regions = ["osh_city"]
    await coordinator.press_action("adm:inv")
    assert "only for coordinators and admins" in coordinator.text


async def test_admin_ids_setting_makes_an_admin(app: App, make_user) -> None:
    app.engine.settings.admin_ids = [31337]
    admin = make_user(user_key="31337")
    await onboard(admin, "en", None)
    assert any("Coordinator" in label for label in admin.button_labels())


@pytest.mark.parametrize("data", ["", "x" * 65, "coord:extra", "ob:lang", "ob:lang:xx", "set:lang:ky:more", "region:set:mars", "::", "home:1", "soon:nothing"])
async def test_stale_or_forged_buttons_get_expired_and_the_menu(make_user, data: str) -> None:
    user = make_user()
    await onboard(user, "en", None)
    await user.press_action(data)
    assert "This button has expired" in user.text
    assert "Main menu" in user.text

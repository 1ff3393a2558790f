"""Handlers fit what they build to the channel's own limits (its capabilities), not to guessed
lengths: a report's page and the report list's buttons on a channel with small limits."""

from __future__ import annotations

from bot.app import App
from core.context import ChannelCapabilities
from storage.models import Role
from tests.chat import CollectingChannel, ScriptedUser
from tests.helpers import answer_incident, make_staff, onboard, start_incident, stored_reports, t


async def test_a_report_page_and_the_list_fit_a_small_channel(app: App) -> None:
    small = ChannelCapabilities(name="telegram", keeps_message_ids=True, text_limit=300, label_limit=20)
    channel = CollectingChannel(capabilities=small)
    app.engine.register_channel(channel)
    coordinator = ScriptedUser(app.engine, channel, user_key="900", language_hint="en")
    await onboard(coordinator, "en", None)
    await make_staff(app, "900", Role.COORDINATOR, ["naryn"])
    reporter = ScriptedUser(app.engine, channel, user_key="4247", language_hint="en")
    await onboard(reporter, "en", None)
    await start_incident(app, reporter, "en")
    await answer_incident(app, reporter, "en", photo=False)
    await reporter.press_exactly(t(app, "en", "form-send"))
    [report] = await stored_reports(app)

    await coordinator.press_action(f"rep:o:{report.id}")
    [page] = coordinator.replies
    assert len(page.text) == 300 and page.text.endswith("…")
    await coordinator.press_action("rep:l:new:all:all:0")
    labels = [button.label for button in coordinator.replies[-1].flat_buttons if button.action == f"rep:o:{report.id}"]
    assert labels and all(len(label) <= 20 for label in labels) and labels[0].startswith(report.reference)

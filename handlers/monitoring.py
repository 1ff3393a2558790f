"""Monitoring groups and their tasks. A coordinator creates a group for a region and invites
members with a link or a code, creates tasks with a due time (Bishkek time), a recurrence and
reminder times; members get reminders with Done, Snooze and "File the monitoring report", and see
their open tasks with /tasks. Every coordinator action checks her role and region here."""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from core.actions import encode
from core.context import AccessDenied, Context, StaleAction
from core.delivery import Renderer
from core.messages import Button, Effect, Reply
from core.router import Router
from core.services import App
from handlers.common import back_home, button, in_rows, parse_local_datetime, staff_region_codes, staff_regions, typed_text
from handlers.forms import open_form
from core.timing import outside_quiet_hours
from storage import monitoring_repo, people_repo
from storage.monitoring_repo import plan_reminders, task_members
from storage.models import (
    GroupMember,
    MonitoringGroup,
    Outbox,
    Reminder,
    Report,
    Role,
    Task,
)

router = Router("monitoring")


class MonitoringStates:
    """The states of this module's dialogs: joining a group, a new group and its settings, a new task (diagram: monitoring.mmd)."""

    JOIN_CODE = "grp.code"
    MEMBER_NAME = "grp.display_name"
    GROUP_NAME = "grp.name"
    GROUP_REGION = "grp.region"
    QUIET_HOURS = "grp.quiet"
    REMINDER_TIMES = "grp.offsets"
    TASK_TITLE = "tk.title"
    TASK_DESCRIPTION = "tk.description"
    TASK_DUE = "tk.due"
    TASK_RECURRENCE = "tk.recurrence"
    TASK_ASSIGNEE = "tk.assignee"

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
GROUP_CODE_LENGTH = 10
RECURRENCES = ("none", "weekly", "monthly")
DISPLAY_NAME_LENGTH = 40  # the column's size


# ---------------------------------------------------------------- a member's side


@router.action("mon")
async def monitoring_menu(ctx: Context) -> None:
    ctx.go(None)
    rows = [
        [button(ctx, "monitoring-file", "rep:mon")],
        [button(ctx, "monitoring-tasks", "tk")],
        [button(ctx, "monitoring-join", "grp:join")],
        back_home(ctx),
    ]
    ctx.reply(ctx.t("monitoring-menu"), rows, edit=True)


@router.action("grp:join")
async def ask_code(ctx: Context) -> None:
    ctx.go(MonitoringStates.JOIN_CODE)
    ctx.reply(ctx.t("group-ask-code"), [back_home(ctx)])


@router.state(MonitoringStates.JOIN_CODE)
async def code_typed(ctx: Context) -> None:
    ctx.go(None)
    await join_group(ctx, (ctx.incoming.text or "").strip())


@router.start_link("join-")
async def join_group(ctx: Context, code: str) -> None:
    """Join with a code typed or a link's /start join-<code> (after onboarding, for a newcomer)."""
    group = await monitoring_repo.group_by_invite(ctx.session, group_code_hash(ctx, code)) if 0 < len(code) <= 32 else None
    if group is None:
        ctx.reply(ctx.t("group-code-unknown"), [back_home(ctx)])
        return
    if await ctx.session.get(GroupMember, (group.id, ctx.user.id)) is not None:
        ctx.reply(ctx.t("group-joined", group=group.name), _joined_rows(ctx))
        return
    ctx.session.add(GroupMember(group_id=group.id, user_id=ctx.user.id, joined_at=ctx.hour))
    await ctx.session.flush()
    for task in await monitoring_repo.group_tasks_due_after(ctx.session, group.id, ctx.now):
        await plan_reminders(ctx.session, task, group, [ctx.user.id], ctx.now, ctx.settings.timezone)
    ctx.reply(ctx.t("group-joined", group=group.name))
    _ask_display_name(ctx, group)


def _ask_display_name(ctx: Context, group: MonitoringGroup) -> None:
    ctx.go(MonitoringStates.MEMBER_NAME, group=group.id)
    ctx.reply(ctx.t("group-ask-display-name", limit=DISPLAY_NAME_LENGTH), [[button(ctx, "button-skip", "grp:noname")]])


def _typed_name_not_number(ctx: Context) -> bool:
    """A name is not a number: a typed number presses the button of that number (Skip)."""
    return not (ctx.incoming.text or "").strip().isdecimal()


@router.state(MonitoringStates.MEMBER_NAME, accepts_text=_typed_name_not_number)
async def display_name_typed(ctx: Context) -> None:
    membership = await _new_membership(ctx)
    name = " ".join((ctx.incoming.text or "").split())
    if not 1 <= len(name) <= DISPLAY_NAME_LENGTH:
        ctx.reply(ctx.t("group-display-name-length", limit=DISPLAY_NAME_LENGTH),
                  [[button(ctx, "button-skip", "grp:noname")]])
        return
    membership.display_name_token = ctx.cipher.encrypt(name.encode())
    ctx.go(None)
    ctx.reply(ctx.t("group-display-name-saved", name=name), _joined_rows(ctx))


@router.action("grp:noname")
async def display_name_skipped(ctx: Context) -> None:
    await _new_membership(ctx)
    ctx.go(None)
    ctx.reply(ctx.t("group-display-name-skipped"), _joined_rows(ctx))


async def _new_membership(ctx: Context) -> GroupMember:
    group_id = ctx.data.get("group") if ctx.state == MonitoringStates.MEMBER_NAME else None
    membership = await ctx.session.get(GroupMember, (group_id, ctx.user.id)) if isinstance(group_id, int) else None
    if membership is None:  # an old Skip button, or she was removed from the group meanwhile
        raise StaleAction("no group joined")
    return membership


def _joined_rows(ctx: Context) -> list[list[Button]]:
    return [[button(ctx, "monitoring-tasks", "tk")], back_home(ctx)]


@router.command("tasks")
async def tasks_command(ctx: Context, _payload: str) -> None:
    await my_tasks(ctx)


@router.action("tk")
async def my_tasks(ctx: Context) -> None:
    ctx.go(None)
    if ctx.is_staff:
        await _coordinator_tasks(ctx)
        return
    zone = ZoneInfo(ctx.settings.timezone)
    tasks = await monitoring_repo.open_tasks_of_member(ctx.session, ctx.user.id, ctx.now - timedelta(days=30))
    lines = [ctx.t("tasks-yours")]
    rows = []
    for task in tasks:
        overdue = task.due_at <= ctx.now
        due = task.due_at.astimezone(zone).strftime("%d.%m %H:%M")
        title = task_title(ctx, task)
        lines.append(ctx.t("tasks-line-overdue" if overdue else "tasks-line", title=title, due=due))
        rows.append([Button(ctx.fit_label(ctx.t("tasks-done-button", title=title)), encode("tk:done", task.id))])
    if len(lines) == 1:
        lines.append(ctx.t("tasks-none"))
    rows.append(back_home(ctx))
    ctx.reply("\n".join(lines), rows, edit=True)


@router.action("tk:done", arity=1)
async def task_done(ctx: Context, task_id: str) -> None:
    task = await _members_task(ctx, task_id)
    await mark_done(ctx, task, None)
    ctx.reply(ctx.t("task-marked-done", title=task_title(ctx, task)), [[button(ctx, "monitoring-tasks", "tk")], back_home(ctx)])


@router.on("report.filed")
async def monitoring_report_filed(ctx: Context, report: Report, extra: dict[str, Any]) -> None:
    """A monitoring report started from a task's reminder marks the task done for her."""
    task = await ctx.session.get(Task, int(extra["task"])) if str(extra.get("task", "")).isdecimal() else None
    if task is not None:
        await mark_done(ctx, task, report.reference)


async def mark_done(ctx: Context, task: Task, report_reference: str | None) -> None:
    await monitoring_repo.mark_done(ctx.session, task.id, ctx.user.id, ctx.hour, report_reference)


@router.action("tk:snz", arity=2)
async def snooze(ctx: Context, task_id: str, length: str) -> None:
    task = await _members_task(ctx, task_id)
    if length not in ("h", "d"):
        raise StaleAction(length)
    group = await ctx.session.get(MonitoringGroup, task.group_id)
    delay = timedelta(hours=1) if length == "h" else timedelta(days=1)
    send_at = (outside_quiet_hours(ctx.now + delay, group.quiet_start, group.quiet_end, ctx.settings.timezone)
               if group else ctx.now + delay)
    await monitoring_repo.snooze(ctx.session, task.id, ctx.user.id, send_at)
    local = send_at.astimezone(ZoneInfo(ctx.settings.timezone)).strftime("%d.%m %H:%M")
    ctx.reply(ctx.t("task-snoozed", time=local))


@router.action("tk:rep", arity=1)
async def file_task_report(ctx: Context, task_id: str) -> None:
    task = await _members_task(ctx, task_id)

    await open_form(ctx, "monitoring", extra={"task": task.id})


async def _members_task(ctx: Context, task_id: str) -> Task:
    task = await ctx.session.get(Task, int(task_id)) if task_id.isdecimal() else None
    if task is None or await ctx.session.get(GroupMember, (task.group_id, ctx.user.id)) is None:
        raise StaleAction(task_id)
    if task.assignee_id not in (None, ctx.user.id):
        raise StaleAction(task_id)
    return task


# ---------------------------------------------------------------- a coordinator's side: groups


@router.action("grp")
async def groups(ctx: Context) -> None:
    _staff(ctx)
    ctx.go(None)
    rows = [[Button(f"{group.name} · {ctx.content.region_name(ctx.language, group.region)}", encode("grp:g", group.id))]
            for group in await _my_groups(ctx)]
    rows.append([button(ctx, "group-new", "grp:new")])
    rows.append([button(ctx, "button-back", "coord")])
    ctx.reply(ctx.t("groups-title"), rows, edit=True)


@router.action("grp:new")
async def new_group(ctx: Context) -> None:
    _staff(ctx)
    ctx.go(MonitoringStates.GROUP_NAME)
    ctx.reply(ctx.t("group-ask-name"), [[button(ctx, "dir-cancel", "grp")]])


@router.state(MonitoringStates.GROUP_NAME)
async def group_name_typed(ctx: Context) -> None:
    _staff(ctx)
    name = typed_text(ctx, "group-name-length", 100, shortest=2)
    if name is None:
        return
    ctx.go(MonitoringStates.GROUP_REGION, name=name)
    regions = staff_region_codes(ctx)
    buttons = [Button(ctx.content.region_name(ctx.language, code), encode("grp:reg", code)) for code in regions]
    ctx.reply(ctx.t("group-ask-region"), in_rows(buttons))


@router.action("grp:reg", arity=1)
async def group_region_chosen(ctx: Context, region: str) -> None:
    _staff(ctx)
    if ctx.state != MonitoringStates.GROUP_REGION or "name" not in ctx.data:
        raise StaleAction("no group being created")
    if region not in staff_region_codes(ctx):
        raise AccessDenied(region)
    group = MonitoringGroup(name=ctx.data["name"], region=region, coordinator_id=ctx.user.id, created_at=ctx.now,
                            quiet_start="22:00", quiet_end="08:00", default_offsets=[3 * 24 * 60, 120])
    _give_new_code(ctx, group)
    ctx.session.add(group)
    await ctx.session.flush()
    await ctx.audit("group.created", target=str(group.id), region=region)
    ctx.go(None)
    await _group_page(ctx, group)


@router.action("grp:g", arity=1)
async def group_page(ctx: Context, group_id: str) -> None:
    group = await _group(ctx, group_id)
    ctx.go(None)
    await _group_page(ctx, group)


async def _group_page(ctx: Context, group: MonitoringGroup) -> None:
    members = await monitoring_repo.member_count(ctx.session, group.id)
    code = ctx.cipher.decrypt(group.invite_token).decode()
    link = f"{ctx.capabilities.start_link}join-{code}" if ctx.capabilities.start_link else None
    lines = [
        ctx.t("group-page", name=group.name, region=ctx.content.region_name(ctx.language, group.region), members=members),
        ctx.t("group-code", code=code),
    ]
    if link:
        lines.append(ctx.t("group-link", link=link))
    lines.append(ctx.t("group-settings", start=group.quiet_start, end=group.quiet_end,
                       offsets=_offsets_text(ctx, group.default_offsets)))
    rows = [
        [button(ctx, "group-tasks", "grp:t", group.id), button(ctx, "task-new", "tk:new", group.id)],
        [button(ctx, "group-members", "grp:m", group.id), button(ctx, "group-renew", "grp:renew", group.id)],
        [button(ctx, "group-quiet", "grp:quiet", group.id), button(ctx, "group-offsets", "grp:offs", group.id)],
        [button(ctx, "button-back", "grp")],
    ]
    ctx.reply("\n".join(lines), rows, edit=True)


@router.action("grp:m", arity=1)
async def members(ctx: Context, group_id: str) -> None:
    group = await _group(ctx, group_id)
    names = await member_names(ctx, group)
    regions = await monitoring_repo.regions_of(ctx.session, list(names))
    lines = [ctx.t("group-members-title", name=group.name, count=len(names))]
    for user_id, name in names.items():
        region = regions.get(user_id)
        lines.append(ctx.t("group-member-line", member=name,
                           region=ctx.content.region_name(ctx.language, region) if region else "—"))
    rows = [[Button(ctx.t("group-remove", member=name), encode("grp:rm", group.id, user_id))]
            for user_id, name in names.items()]
    rows.append([button(ctx, "button-back", "grp:g", group.id)])
    ctx.reply("\n".join(lines), rows, edit=True)


@router.action("grp:rm", arity=2)
async def remove_member(ctx: Context, group_id: str, user_id: str) -> None:
    group = await _group(ctx, group_id)
    if not user_id.isdecimal():
        raise StaleAction(user_id)
    await monitoring_repo.remove_member(ctx.session, group.id, int(user_id))
    await ctx.audit("group.member_removed", target=str(group.id), member=int(user_id))
    await members(ctx, str(group.id))


@router.action("grp:renew", arity=1)
async def renew_code(ctx: Context, group_id: str) -> None:
    group = await _group(ctx, group_id)
    _give_new_code(ctx, group)
    await ctx.audit("group.code_renewed", target=str(group.id))
    await _group_page(ctx, group)


@router.action("grp:quiet", arity=1)
async def ask_quiet_hours(ctx: Context, group_id: str) -> None:
    group = await _group(ctx, group_id)
    ctx.go(MonitoringStates.QUIET_HOURS, group=group.id)
    ctx.reply(ctx.t("group-ask-quiet"), [[button(ctx, "button-back", "grp:g", group.id)]])


@router.state(MonitoringStates.QUIET_HOURS)
async def quiet_typed(ctx: Context) -> None:
    group = await _group(ctx, str(ctx.data.get("group", "")))
    match = re.fullmatch(r"\s*([01]?\d|2[0-3])[:.]([0-5]\d)\s*[-–—]\s*([01]?\d|2[0-3])[:.]([0-5]\d)\s*", ctx.incoming.text or "")
    if match is None:
        ctx.reply(ctx.t("group-bad-quiet"))
        return
    first_hour, first_minute, second_hour, second_minute = (int(part) for part in match.groups())
    group.quiet_start, group.quiet_end = f"{first_hour:02d}:{first_minute:02d}", f"{second_hour:02d}:{second_minute:02d}"
    await ctx.audit("group.quiet_hours", target=str(group.id), start=group.quiet_start, end=group.quiet_end)
    ctx.go(None)
    await _group_page(ctx, group)


@router.action("grp:offs", arity=1)
async def ask_offsets(ctx: Context, group_id: str) -> None:
    group = await _group(ctx, group_id)
    ctx.go(MonitoringStates.REMINDER_TIMES, group=group.id)
    ctx.reply(ctx.t("group-ask-offsets"), [[button(ctx, "button-back", "grp:g", group.id)]])


@router.state(MonitoringStates.REMINDER_TIMES)
async def offsets_typed(ctx: Context) -> None:
    group = await _group(ctx, str(ctx.data.get("group", "")))
    offsets = parse_offsets(ctx.incoming.text or "")
    if offsets is None:
        ctx.reply(ctx.t("group-bad-offsets"))
        return
    group.default_offsets = offsets
    await ctx.audit("group.reminder_times", target=str(group.id), offsets=offsets)
    ctx.go(None)
    await _group_page(ctx, group)


def parse_offsets(text: str) -> list[int] | None:
    """ "3d 2h", "1д 30м", "2 күн" … as minutes before the due time, largest first."""
    units = {"d": 1440, "д": 1440, "к": 1440, "h": 60, "ч": 60, "с": 60, "m": 1, "м": 1, "мүн": 1}
    found = re.findall(r"(\d{1,3})\s*([a-zа-яөүң]+)", text.lower())
    if not found or re.sub(r"[\d\s,a-zа-яөүң]", "", text.lower()):
        return None
    minutes = []
    for number, unit in found:
        factor = next((value for key, value in units.items() if unit.startswith(key)), None)
        if factor is None or int(number) == 0:
            return None
        minutes.append(int(number) * factor)
    return sorted(set(minutes), reverse=True)[:5] if all(value <= 60 * 24 * 60 for value in minutes) else None


# ---------------------------------------------------------------- a coordinator's side: tasks


@router.action("tk:new", arity=1)
async def new_task(ctx: Context, group_id: str) -> None:
    group = await _group(ctx, group_id)
    ctx.go(MonitoringStates.TASK_TITLE, group=group.id)
    ctx.reply(ctx.t("task-ask-title"), [[button(ctx, "dir-cancel", "grp:g", group.id)]])


@router.state(MonitoringStates.TASK_TITLE)
async def title_typed(ctx: Context) -> None:
    await _group(ctx, str(ctx.data.get("group", "")))
    title = typed_text(ctx, "task-title-length", 200, shortest=2)
    if title is None:
        return
    ctx.data["title"] = title
    ctx.go(MonitoringStates.TASK_DESCRIPTION, keep=True)
    ctx.reply(ctx.t("task-ask-description"), [[button(ctx, "button-skip", "tk:nodesc")]])


@router.action("tk:nodesc")
async def no_description(ctx: Context) -> None:
    if ctx.state != MonitoringStates.TASK_DESCRIPTION:
        raise StaleAction("no task being created")
    await _group(ctx, str(ctx.data.get("group", "")))
    _ask_due(ctx)


@router.state(MonitoringStates.TASK_DESCRIPTION)
async def description_typed(ctx: Context) -> None:
    await _group(ctx, str(ctx.data.get("group", "")))
    description = typed_text(ctx, "task-description-length", 2000)
    if description is None:
        return
    ctx.data["description"] = description
    _ask_due(ctx)


def _ask_due(ctx: Context) -> None:
    ctx.go(MonitoringStates.TASK_DUE, keep=True)
    ctx.reply(ctx.t("task-ask-due"))


@router.state(MonitoringStates.TASK_DUE)
async def due_typed(ctx: Context) -> None:
    await _group(ctx, str(ctx.data.get("group", "")))
    due = parse_local_datetime(ctx.incoming.text or "", ctx.settings.timezone, time_separators=":.")
    if due is None or due <= ctx.now:
        ctx.reply(ctx.t("task-bad-due"))
        return
    ctx.data["due"] = due.isoformat()
    ctx.go(MonitoringStates.TASK_RECURRENCE, keep=True)
    rows = [[button(ctx, f"task-recurrence-{value}", "tk:rec", value)] for value in RECURRENCES]
    ctx.reply(ctx.t("task-ask-recurrence"), rows)


@router.action("tk:rec", arity=1)
async def recurrence_chosen(ctx: Context, value: str) -> None:
    group = await _group(ctx, str(ctx.data.get("group", "")))
    if ctx.state != MonitoringStates.TASK_RECURRENCE or value not in RECURRENCES:
        raise StaleAction(value)
    ctx.data["recurrence"] = None if value == "none" else value
    ctx.go(MonitoringStates.TASK_ASSIGNEE, keep=True)
    rows = [[button(ctx, "task-whole-group", "tk:who", "all")]]
    rows += [[Button(ctx.t("task-one-member", member=name), encode("tk:who", user_id))]
             for user_id, name in (await member_names(ctx, group)).items()]
    ctx.reply(ctx.t("task-ask-assignee"), rows)


@router.action("tk:who", arity=1)
async def assignee_chosen(ctx: Context, who: str) -> None:
    group = await _group(ctx, str(ctx.data.get("group", "")))
    if ctx.state != MonitoringStates.TASK_ASSIGNEE:
        raise StaleAction(who)
    assignee = None
    if who != "all":
        if not who.isdecimal() or await ctx.session.get(GroupMember, (group.id, int(who))) is None:
            raise StaleAction(who)
        assignee = int(who)
    description = ctx.data.get("description")
    task = Task(group_id=group.id, title_token=ctx.cipher.encrypt(ctx.data["title"].encode()),
                description_token=ctx.cipher.encrypt(description.encode()) if description else None,
                due_at=datetime.fromisoformat(ctx.data["due"]), recurrence=ctx.data.get("recurrence"),
                assignee_id=assignee, offsets=list(group.default_offsets), created_by=ctx.user.id, created_at=ctx.now)
    ctx.session.add(task)
    await ctx.session.flush()
    planned = await plan_reminders(ctx.session, task, group, await task_members(ctx.session, task), ctx.now,
                                   ctx.settings.timezone)
    await ctx.audit("task.created", target=str(task.id), group=group.id, reminders=planned)
    ctx.go(None)
    local = task.due_at.astimezone(ZoneInfo(ctx.settings.timezone)).strftime("%d.%m.%Y %H:%M")
    ctx.reply(ctx.t("task-created", title=task_title(ctx, task), due=local, reminders=planned),
              [[button(ctx, "group-tasks", "grp:t", group.id)], [button(ctx, "button-back", "grp:g", group.id)]])


@router.action("grp:t", arity=1)
async def group_tasks(ctx: Context, group_id: str) -> None:
    group = await _group(ctx, group_id)
    lines = [ctx.t("group-tasks-title", name=group.name)]
    lines += await _task_states(ctx, [group])
    ctx.reply("\n".join(lines), [[button(ctx, "button-back", "grp:g", group.id)]], edit=True)


async def _coordinator_tasks(ctx: Context) -> None:
    my_groups = await _my_groups(ctx)
    lines = [ctx.t("tasks-coordinator-title")]
    for group in my_groups:
        lines.append("")
        lines.append(f"👥 {group.name}")
        lines += await _task_states(ctx, [group])
    if not my_groups:
        lines.append(ctx.t("groups-none"))
    ctx.reply("\n".join(lines), [[button(ctx, "coord-groups", "grp")], back_home(ctx)], edit=True)


async def _task_states(ctx: Context, groups_: list[MonitoringGroup]) -> list[str]:
    """Each task's state per member (done, open, overdue) and the group's completion rate."""
    zone = ZoneInfo(ctx.settings.timezone)
    lines = []
    for group in groups_:
        tasks = await monitoring_repo.group_tasks_since(ctx.session, group.id, ctx.now - timedelta(days=60))
        expected = finished = 0
        names = await member_names(ctx, group)
        for task in tasks:
            members_ = await task_members(ctx.session, task)
            done = await monitoring_repo.done_by(ctx.session, task.id)
            overdue = task.due_at <= ctx.now
            states = []
            for member in members_:
                state = "done" if member in done else ("overdue" if overdue else "open")
                states.append(ctx.t(f"task-state-{state}", member=names.get(member, ctx.t("group-member-gone"))))
            expected += len(members_)
            finished += len(done & set(members_))
            due = task.due_at.astimezone(zone).strftime("%d.%m %H:%M")
            lines.append(f"• {task_title(ctx, task)} ({due}): " + (", ".join(states) or ctx.t("tasks-no-members")))
        rate = round(100 * finished / expected) if expected else 0
        lines.append(ctx.t("group-completion", rate=rate, done=finished, expected=expected))
    return lines


# ---------------------------------------------------------------- helpers


def _staff(ctx: Context) -> None:
    ctx.require_role(Role.COORDINATOR, Role.ADMIN)


async def _my_groups(ctx: Context) -> list[MonitoringGroup]:
    _staff(ctx)
    return await monitoring_repo.groups_in(ctx.session, staff_regions(ctx))


async def _group(ctx: Context, group_id: str) -> MonitoringGroup:
    _staff(ctx)
    group = await ctx.session.get(MonitoringGroup, int(group_id)) if group_id.isdecimal() else None
    if group is None:
        raise StaleAction(group_id)
    if ctx.user.role != Role.ADMIN and group.region not in ctx.user.coordinator_regions:
        raise AccessDenied(group_id)
    return group


async def member_names(ctx: Context, group: MonitoringGroup) -> dict[int, str]:
    """How coordinators see the group's members, in the order they joined: the name she gave,
    or "Member 1, 2, 3…"; never an account id."""
    memberships = await monitoring_repo.memberships(ctx.session, group.id)
    return {
        membership.user_id: (ctx.cipher.decrypt(membership.display_name_token).decode() if membership.display_name_token
                             else ctx.t("group-member-number", number=number))
        for number, membership in enumerate(memberships, start=1)
    }


def task_title(ctx: Context, task: Task) -> str:
    return ctx.cipher.decrypt(task.title_token).decode()


def group_code_hash(ctx: Context, code: str) -> str:
    return ctx.hasher.digest("group-invite", code.strip().upper())


def _give_new_code(ctx: Context, group: MonitoringGroup) -> None:
    """A new invite code: kept encrypted (to show it again) and as a keyed hash (to find the
    group), so that a copy of the database lets nobody join. 50 random bits: guessing is hopeless
    at the pace flood control allows."""
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(GROUP_CODE_LENGTH))
    group.invite_hash = group_code_hash(ctx, code)
    group.invite_token = ctx.cipher.encrypt(code.encode())


def _offsets_text(ctx: Context, offsets: list[int]) -> str:
    parts = []
    for minutes in offsets:
        if minutes % 1440 == 0:
            parts.append(ctx.t("offset-days", count=minutes // 1440))
        elif minutes % 60 == 0:
            parts.append(ctx.t("offset-hours", count=minutes // 60))
        else:
            parts.append(ctx.t("offset-minutes", count=minutes))
    return ", ".join(parts) or "—"


# ---------------------------------------------------------------- what the scheduler sends for this feature


@router.renderer("reminder")
def reminder_renderer(app: App) -> Renderer:
    return ReminderRenderer(app)


class ReminderRenderer:
    """A reminder of a task, with Done, Snooze and "File the monitoring report". The sender hands
    over the rows of each claim first (`prepare`): their reminders are read in one query, and
    each task's title is decrypted once, and each message made once, for all its members."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.text, self.zone = app.content.catalog.text, ZoneInfo(app.settings.timezone)
        self._prepared: tuple[AsyncSession, dict[int, tuple[Reminder, Task]], dict[int, tuple[str, str | None]]] | None = None
        self._made: dict[tuple[int, str, bool, str], list[Effect]] = {}  # for the claim being read

    async def prepare(self, session: AsyncSession, rows: list[Outbox]) -> None:
        found = await monitoring_repo.reminders_to_send(session, [row.reminder_id for row in rows if row.reminder_id])
        tasks = {task.id: task for _, task in found.values()}
        self._prepared = (session, found, {task_id: self._task_texts(task) for task_id, task in tasks.items()})
        self._made = {}

    async def __call__(self, session: AsyncSession, row: Outbox) -> list[Effect] | None:
        if not row.reminder_id:
            return None
        if self._prepared is None or self._prepared[0] is not session:  # not read for this claim
            await self.prepare(session, [row])
        assert self._prepared is not None
        found, texts = self._prepared[1].get(row.reminder_id), self._prepared[2]
        if found is None:
            return None  # gone, or done since it was queued
        reminder, task = found
        key = (task.id, reminder.kind, reminder.late, row.language)
        if key not in self._made:  # the same for every member of the group in her language
            self._made[key] = self._render(task, reminder, texts[task.id], row.language)
        return self._made[key]

    def _render(self, task: Task, reminder: Reminder, texts: tuple[str, str | None], language: str) -> list[Effect]:
        title, description = texts
        text = self.text
        due = task.due_at.astimezone(self.zone).strftime("%d.%m.%Y %H:%M")
        key = "task-due-now" if reminder.kind == "due" else "task-reminder"
        parts = [text(language, key, title=title, due=due)]
        if description:
            parts.append(description)
        if reminder.late:
            parts.append(text(language, "task-late"))
        rows = (
            (Button(text(language, "task-done"), encode("tk:done", task.id)),),
            (Button(text(language, "task-snooze-hour"), encode("tk:snz", task.id, "h")),
             Button(text(language, "task-snooze-day"), encode("tk:snz", task.id, "d"))),
            (Button(text(language, "task-file-report"), encode("tk:rep", task.id)),),
        )
        return [Reply(text="\n\n".join(parts), buttons=rows, language=language)]

    def _task_texts(self, task: Task) -> tuple[str, str | None]:
        decrypt = self.app.cipher.decrypt
        return (decrypt(task.title_token).decode(),
                decrypt(task.description_token).decode() if task.description_token else None)


@router.renderer("summary")
def summary_renderer(app: App) -> Renderer:
    """A coordinator's morning summary of overdue tasks; none once she is no longer staff."""
    text, zone = app.content.catalog.text, ZoneInfo(app.settings.timezone)

    async def render(session: AsyncSession, row: Outbox) -> list[Effect] | None:
        if row.payload_token is None or not await people_repo.is_staff(session, row.user_id):
            return None
        overdue = app.cipher.decrypt_json(row.payload_token).get("overdue") or []
        if not overdue:
            return None
        lines = [text(row.language, "task-summary-title", count=len(overdue))]
        for item in overdue:
            due = datetime.fromisoformat(item["due"]).astimezone(zone).strftime("%d.%m %H:%M")
            lines.append(text(row.language, "task-summary-line", title=item["title"], group=item["group"], due=due,
                              missing=item["missing"], members=item["members"]))
        open_tasks = Button(text(row.language, "task-open-tasks"), encode("tk"))
        return [Reply(text="\n".join(lines), buttons=((open_tasks,),), language=row.language)]

    return render

"""The time rules, pure: when a recurring task comes next, a crontab rule as people write it,
a reminder moved out of a group's quiet hours, the next card of a daily lesson. The features
and the scheduler both use them; nothing here reads the database."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

DAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")


def next_occurrence(due_at: datetime, recurrence: str | None, timezone: str) -> datetime | None:
    """The next due time of a recurring task (weekly, monthly, or cron:<rule>), after `due_at`."""
    if not recurrence:
        return None
    zone = ZoneInfo(timezone)
    local = due_at.astimezone(zone)
    if recurrence == "weekly":
        trigger = CronTrigger(day_of_week=local.weekday(), hour=local.hour, minute=local.minute, timezone=zone)
    elif recurrence == "monthly":
        trigger = CronTrigger(day=local.day, hour=local.hour, minute=local.minute, timezone=zone)
    elif recurrence.startswith("cron:"):
        trigger = crontab_trigger(recurrence[len("cron:"):], zone)
    else:
        return None
    fire = trigger.get_next_fire_time(None, local + timedelta(seconds=1))
    return fire.astimezone(due_at.tzinfo) if fire else None


def crontab_trigger(expression: str, zone: ZoneInfo) -> CronTrigger:
    """A crontab rule as people write it (day of week 0 or 7 is Sunday, 1 is Monday).

    APScheduler 3 numbers the days from Monday = 0, so a numeric day of week is given by name."""
    fields = expression.split()
    if len(fields) == 5:
        fields[4] = re.sub(r"(?<![/\d])\d", lambda match: DAY_NAMES[int(match.group())], fields[4])
    return CronTrigger.from_crontab(" ".join(fields), timezone=zone)


def outside_quiet_hours(moment: datetime, quiet_start: str, quiet_end: str, timezone: str) -> datetime:
    """A reminder that falls in quiet hours (HH:MM to HH:MM, local) moves to their end."""
    zone = ZoneInfo(timezone)
    local = moment.astimezone(zone)
    start, end = clock_time(quiet_start), clock_time(quiet_end)
    now_time = local.time()
    if start == end:
        return moment
    in_quiet = (start <= now_time or now_time < end) if start > end else (start <= now_time < end)
    if not in_quiet:
        return moment
    end_day = local.date() if now_time < end else local.date() + timedelta(days=1)
    return datetime.combine(end_day, end, tzinfo=zone).astimezone(moment.tzinfo)


def next_daily_time(local_time: str, after: datetime, timezone: str) -> datetime:
    """When the next card of a daily lesson at HH:MM (local) is due, strictly after `after`."""
    hour, minute = (int(part) for part in local_time.split(":"))
    trigger = CronTrigger(hour=hour, minute=minute, timezone=ZoneInfo(timezone))
    fire = trigger.get_next_fire_time(None, after)
    if fire <= after:  # the trigger includes `after` itself; the next card is strictly later
        fire = trigger.get_next_fire_time(fire, fire.replace(second=1))
    return fire.astimezone(after.tzinfo)


def clock_time(value: str) -> time:
    hour, minute = (int(part) for part in value.split(":"))
    return time(hour, minute)

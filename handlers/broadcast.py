"""Campaign alerts: a coordinator composes one (a text for all or one per language, a photo, a
link button, an audience, an "I have read this" button), sees who it will reach, and sends it
now or at a time. A coordinator reaches only her regions; an admin reaches all and can cancel any
alert. The sending itself is the outbox sender's (scheduler/)."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from core.actions import encode
from core.context import AccessDenied, Context, StaleAction
from core.logs import log_event
from core.messages import Button, Effect, IncomingKind, OutgoingFile, Reply
from core.router import Router
from core.services import App
from content.locales import LANGUAGES
from handlers.common import back_home, button, marked_rows, parse_local_datetime, staff_region_codes
from storage import broadcast_repo
from storage import evidence as stored_files
from storage.broadcast_repo import Audience
from storage.crypto import Cipher
from storage.models import Broadcast, BroadcastStatus, Outbox, Role, User

router = Router("broadcast")
logger = logging.getLogger("tynchtyk.broadcast")


class AlertStates:
    """The states of the alert composer (diagram: broadcast.mmd)."""

    TEXT = "bc.text"
    OPTIONS = "bc.options"
    PHOTO = "bc.photo"
    LINK = "bc.link"
    WHEN = "bc.when"


COMPOSING = {AlertStates.TEXT, AlertStates.OPTIONS, AlertStates.PHOTO, AlertStates.LINK, AlertStates.WHEN}

TEXT_LIMIT = 1000  # fits a photo caption too
LINK_LIMIT = 500  # the longest link the database keeps (broadcasts.link_url)
ROLES = ("member", "coordinator", "admin")
ALERTS_KEPT = 8  # alerts whose texts and photo a renderer keeps at hand
DRAFT_PREVIEW = 200  # characters of the alert shown while composing it
LIST_PREVIEW = 40  # characters of each alert in the list of alerts


# ---------------------------------------------------------------- composing


@router.action("bc")
async def broadcasts_menu(ctx: Context) -> None:
    _staff(ctx)
    ctx.go(None)
    rows = [[button(ctx, "bc-new", "bc:new")], [button(ctx, "bc-list", "bc:list")], [button(ctx, "button-back", "coord")]]
    ctx.reply(ctx.t("bc-menu"), rows, edit=True)


@router.action("bc:new")
async def new_alert(ctx: Context) -> None:
    _staff(ctx)
    ctx.go(AlertStates.TEXT, texts={}, mode="all", audience={}, ack=False)
    ctx.reply(ctx.t("bc-ask-text", limit=TEXT_LIMIT), [[button(ctx, "bc-each-language", "bc:each")], [_cancel(ctx)]])


@router.action("bc:each")
async def text_per_language(ctx: Context) -> None:
    _composing(ctx)
    ctx.data.update(mode="each", texts={})
    _ask_language_text(ctx)


def _ask_language_text(ctx: Context) -> None:
    missing = [language for language in LANGUAGES if language not in ctx.data["texts"]]
    name = ctx.content.catalog.text(missing[0], "language-name")
    ctx.reply(ctx.t("bc-ask-text-in", language=name, limit=TEXT_LIMIT), [[_cancel(ctx)]])


@router.state(AlertStates.TEXT)
async def text_typed(ctx: Context) -> None:
    _composing(ctx)
    text = (ctx.incoming.text or "").strip() if ctx.incoming.kind is IncomingKind.TEXT else ""
    if not text or len(text) > TEXT_LIMIT:
        ctx.reply(ctx.t("bc-text-length", limit=TEXT_LIMIT, length=len(text)))
        return
    if ctx.data["mode"] == "all":
        ctx.data["texts"] = {"all": text}
    else:
        missing = [language for language in LANGUAGES if language not in ctx.data["texts"]]
        ctx.data["texts"][missing[0]] = text
        if len(missing) > 1:
            _ask_language_text(ctx)
            return
    await _options(ctx)


@router.action("bc:opt")
async def options(ctx: Context) -> None:
    _composing(ctx)
    await _options(ctx, edit=True)


async def _options(ctx: Context, edit: bool = False) -> None:
    ctx.go(AlertStates.TEXT if not ctx.data.get("texts") else AlertStates.OPTIONS, keep=True)
    audience = _audience(ctx)
    count = await broadcast_repo.count_audience(ctx.session, audience)
    texts = ctx.data.get("texts", {})
    preview = texts.get("all") or texts.get(ctx.language) or next(iter(texts.values()), "")
    lines = [
        ctx.t("bc-draft", text=preview[:DRAFT_PREVIEW] + ("…" if len(preview) > DRAFT_PREVIEW else "")),
        ctx.t("bc-photo-state", state=ctx.t("bc-yes" if ctx.data.get("photo") else "bc-no")),
        ctx.t("bc-link-state", state=ctx.data["link"][0] if ctx.data.get("link") else ctx.t("bc-no")),
        ctx.t("bc-audience-state", audience=_describe_audience(ctx, audience)),
        ctx.t("bc-ack-state", state=ctx.t("bc-yes" if ctx.data.get("ack") else "bc-no")),
        ctx.t("bc-recipients", count=count),
    ]
    rows = [
        [button(ctx, "bc-photo", "bc:photo"), button(ctx, "bc-link", "bc:link")],
        [button(ctx, "bc-audience", "bc:aud"), button(ctx, "bc-ack-toggle", "bc:ackset")],
        [button(ctx, "bc-preview", "bc:prev")],
        [button(ctx, "bc-send-now", "bc:go"), button(ctx, "bc-send-later", "bc:when")],
        [_cancel(ctx)],
    ]
    ctx.reply("\n".join(lines), rows, edit=edit)


@router.action("bc:ackset")
async def toggle_ack(ctx: Context) -> None:
    _composing(ctx)
    ctx.data["ack"] = not ctx.data.get("ack")
    await _options(ctx, edit=True)


@router.action("bc:photo")
async def ask_photo(ctx: Context) -> None:
    _composing(ctx)
    ctx.go(AlertStates.PHOTO, keep=True)
    rows = [[button(ctx, "bc-photo-remove", "bc:nophoto")]] if ctx.data.get("photo") else []
    rows.append([button(ctx, "button-back", "bc:opt")])
    ctx.reply(ctx.t("bc-ask-photo"), rows)


@router.action("bc:nophoto")
async def remove_photo(ctx: Context) -> None:
    _composing(ctx)
    ctx.data.pop("photo", None)
    await _options(ctx)


@router.state(AlertStates.PHOTO, accepts_text=False)
async def photo_sent(ctx: Context) -> None:
    _composing(ctx)
    media = ctx.incoming.media
    if ctx.incoming.kind is not IncomingKind.MEDIA or media is None or media.kind != "photo" or ctx.download is None:
        ctx.reply(ctx.t("bc-need-photo"))
        return
    try:
        content = await ctx.download(media)
    except Exception:  # the channel's download failed: she may simply send it again
        log_event(logger, "alert photo download failed", logging.WARNING, exc_info=True)
        ctx.reply(ctx.t("form-file-failed"))
        return
    # Encrypted like evidence; removed when the alert is finished, or unused for a day.
    ctx.data["photo"] = stored_files.store(ctx.cipher, ctx.settings.data_dir, content, stored_files.ALERT_PHOTOS).path
    await _options(ctx)


@router.action("bc:link")
async def ask_link(ctx: Context) -> None:
    _composing(ctx)
    ctx.go(AlertStates.LINK, keep=True)
    ctx.reply(ctx.t("bc-ask-link"), [[button(ctx, "button-back", "bc:opt")]])


@router.state(AlertStates.LINK)
async def link_typed(ctx: Context) -> None:
    _composing(ctx)
    match = re.fullmatch(r"\s*(https?://\S+\.\S+)\s+(.{1,40})\s*", ctx.incoming.text or "")
    if match is None or len(match.group(1)) > LINK_LIMIT:
        ctx.reply(ctx.t("bc-bad-link"))
        return
    ctx.data["link"] = [match.group(1), match.group(2).strip()]
    await _options(ctx)


@router.action("bc:aud")
async def audience_menu(ctx: Context) -> None:
    _composing(ctx)
    audience = _audience(ctx)
    count = await broadcast_repo.count_audience(ctx.session, audience)
    regions = [(code, ctx.content.region_name(ctx.language, code)) for code in staff_region_codes(ctx)]
    languages = [(code, ctx.content.catalog.text(code, "language-name")) for code in LANGUAGES]
    roles = [(role, ctx.t(f"role-{role}")) for role in ROLES]
    courses = [(course.id, ctx.t("bc-took-course", course=course.title.get(ctx.language))) for course in ctx.content.courses.values()]
    rows = marked_rows(regions, audience.regions, "bc:tg", "r")
    rows += marked_rows(languages, audience.languages, "bc:tg", "l", per_row=len(LANGUAGES))  # in one row
    rows += marked_rows(roles, audience.roles, "bc:tg", "o", per_row=len(ROLES))  # in one row
    rows += marked_rows(courses, audience.courses, "bc:tg", "c", per_row=1)
    rows.append([button(ctx, "dir-done", "bc:opt")])
    ctx.reply(ctx.t("bc-audience-help", audience=_describe_audience(ctx, audience), count=count), rows, edit=True)


@router.action("bc:tg", arity=2)
async def toggle_filter(ctx: Context, kind: str, value: str) -> None:
    _composing(ctx)
    keys = {"r": "regions", "l": "languages", "o": "roles", "c": "courses"}
    valid = {"r": staff_region_codes(ctx), "l": list(LANGUAGES), "o": list(ROLES), "c": list(ctx.content.courses)}
    if kind not in keys or value not in valid[kind]:
        raise StaleAction(value)
    chosen = set(ctx.data["audience"].get(keys[kind], []))
    chosen ^= {value}
    ctx.data["audience"][keys[kind]] = sorted(chosen)
    await audience_menu(ctx)


@router.action("bc:prev")
async def preview(ctx: Context) -> None:
    _composing(ctx)
    count = await broadcast_repo.count_audience(ctx.session, _audience(ctx))
    ctx.reply(ctx.t("bc-preview-intro", count=count))
    texts = ctx.data["texts"]
    for language in (["all"] if "all" in texts else list(LANGUAGES)):
        ctx.effects.append(render_alert(ctx.content, language if language != "all" else ctx.language, texts,
                                        ctx.data.get("link"), ctx.data.get("ack", False), 0, _photo_bytes(ctx, ctx.data.get("photo"))))
    await _options(ctx)


@router.action("bc:go")
async def send_now(ctx: Context) -> None:
    _composing(ctx)
    await _create(ctx, ctx.now)


@router.action("bc:when")
async def ask_time(ctx: Context) -> None:
    _composing(ctx)
    ctx.go(AlertStates.WHEN, keep=True)
    ctx.reply(ctx.t("bc-ask-time"), [[button(ctx, "button-back", "bc:opt")]])


@router.state(AlertStates.WHEN)
async def time_typed(ctx: Context) -> None:
    _composing(ctx)
    when = parse_local_datetime(ctx.incoming.text or "", ctx.settings.timezone)
    if when is None or when <= ctx.now:
        ctx.reply(ctx.t("bc-bad-time"))
        return
    await _create(ctx, when)


async def _create(ctx: Context, send_at: datetime) -> None:
    if not ctx.data.get("texts"):
        raise StaleAction("no text")
    audience = _audience(ctx)
    link = ctx.data.get("link")
    broadcast = await broadcast_repo.create_broadcast(
        ctx.session,
        ctx.cipher,
        ctx.data["texts"],
        created_by=ctx.user.id,
        created_at=ctx.now,
        status=BroadcastStatus.SCHEDULED,
        photo_path=ctx.data.get("photo"),
        link_url=link[0] if link else None,
        link_label=link[1] if link else None,
        audience=audience.to_json(),
        ask_ack=bool(ctx.data.get("ack")),
        send_at=send_at,
        progress_channel=ctx.user.channel,
        progress_chat=ctx.incoming.chat_key,
    )
    count = await broadcast_repo.count_audience(ctx.session, audience)
    await ctx.audit("broadcast.created", target=str(broadcast.id), recipients=count, send_at=send_at.isoformat())
    ctx.go(None)
    if send_at <= ctx.now:
        ctx.reply(ctx.t("bc-sending", count=count), [[button(ctx, "bc-list", "bc:list")], back_home(ctx)])
    else:
        local = send_at.astimezone(ZoneInfo(ctx.settings.timezone)).strftime("%d.%m.%Y %H:%M")
        ctx.reply(ctx.t("bc-scheduled", count=count, time=local), [[button(ctx, "bc-list", "bc:list")], back_home(ctx)])


# ---------------------------------------------------------------- lists, cancelling, acknowledging


@router.command("broadcasts")
async def broadcasts_command(ctx: Context, _payload: str) -> None:
    await broadcast_list(ctx)


@router.action("bc:list")
async def broadcast_list(ctx: Context) -> None:
    _staff(ctx)
    lines = [ctx.t("bc-list-title")]
    rows = []
    zone = ZoneInfo(ctx.settings.timezone)
    for broadcast in await alerts_seen_by(ctx.session, ctx.user):
        progress = await alert_progress(ctx.session, broadcast)
        lines.append(ctx.t(
            "bc-list-line", id=broadcast.id, status=ctx.t(f"bc-status-{broadcast.status}"),
            time=broadcast.send_at.astimezone(zone).strftime("%d.%m %H:%M"),
            text=alert_preview(ctx.cipher, broadcast, ctx.language),
            sent=progress.sent, failed=progress.failed, blocked=progress.blocked, left=progress.left,
        ))
        if progress.acked is not None:
            lines.append(ctx.t("bc-ack-rate", acked=progress.acked, sent=progress.sent, percent=progress.acked_percent))
        if progress.whatsapp:
            lines.append(ctx.t("bc-whatsapp-line", delivered=progress.delivered, opened=progress.opened,
                               outside=progress.outside_window))
        if broadcast.status in (BroadcastStatus.SCHEDULED, BroadcastStatus.SENDING):
            rows.append([Button(ctx.t("bc-cancel-one", id=broadcast.id), encode("bc:cancel", broadcast.id))])
    if len(lines) == 1:
        lines.append(ctx.t("bc-list-empty"))
    rows.append([button(ctx, "button-back", "bc")])
    ctx.reply("\n".join(lines), rows, edit=True)


@dataclass(frozen=True)
class AlertProgress:
    """An alert's figures as the list of alerts shows them. Delivered and opened come from
    WhatsApp's receipts only: Telegram tells a bot neither."""

    sent: int
    failed: int  # failed, or in doubt after a restart
    blocked: int
    left: int  # not sent yet
    acked: int | None  # pressed "I have read this"; None when the alert did not ask
    whatsapp: int  # recipients on WhatsApp
    delivered: int
    opened: int
    outside_window: int

    @property
    def acked_percent(self) -> int:
        return round(100 * (self.acked or 0) / self.sent) if self.sent else 0


async def alerts_seen_by(session: AsyncSession, user: User) -> list[Broadcast]:
    """The recent alerts she may follow: an admin every alert, a coordinator her own."""
    return await broadcast_repo.recent(session, None if user.role == Role.ADMIN else user.id)


async def alert_progress(session: AsyncSession, broadcast: Broadcast) -> AlertProgress:
    counts = await broadcast_repo.counts(session, broadcast.id)
    return AlertProgress(
        sent=counts["sent"], failed=counts["failed"] + counts["unknown"], blocked=counts["blocked"],
        left=counts["pending"] + counts["sending"], acked=counts["acked"] if broadcast.ask_ack else None,
        whatsapp=counts["whatsapp"], delivered=counts["delivered"], opened=counts["opened"],
        outside_window=counts["outside_window"],
    )


def alert_preview(cipher: Cipher, broadcast: Broadcast, language: str) -> str:
    """The start of the alert's text, in her language where it has one per language."""
    texts = cipher.decrypt_json(broadcast.texts_token)
    return (texts.get("all") or texts.get(language) or "")[:LIST_PREVIEW]


@router.action("bc:cancel", arity=1)
async def cancel_broadcast(ctx: Context, broadcast_id: str) -> None:
    _staff(ctx)
    broadcast = await ctx.session.get(Broadcast, int(broadcast_id)) if broadcast_id.isdecimal() else None
    if broadcast is None:
        raise StaleAction(broadcast_id)
    if ctx.user.role != Role.ADMIN and broadcast.created_by != ctx.user.id:
        raise AccessDenied(broadcast_id)
    if broadcast.status in (BroadcastStatus.SCHEDULED, BroadcastStatus.SENDING):
        await broadcast_repo.cancel(ctx.session, broadcast, ctx.now)
        stored_files.remove_alert_photo(ctx.settings.data_dir, broadcast.photo_path)
        await ctx.audit("broadcast.cancelled", target=str(broadcast.id))
    await broadcast_list(ctx)


@router.action("bc:read", arity=1)
async def acknowledge(ctx: Context, broadcast_id: str) -> None:
    if not broadcast_id.isdecimal():
        raise StaleAction(broadcast_id)
    await broadcast_repo.acknowledge(ctx.session, int(broadcast_id), ctx.user.id, ctx.now)
    ctx.reply(ctx.t("bc-thanks-read"))


@router.action("set:mute")
async def toggle_mute(ctx: Context) -> None:
    ctx.user.alerts_muted = not ctx.user.alerts_muted
    await ctx.show("settings", edit=True)


# ---------------------------------------------------------------- what a recipient sees


def render_alert(content: Any, language: str, texts: dict[str, str], link: list[str] | None, ask_ack: bool,
                 broadcast_id: int, photo: bytes | None) -> Reply:
    text = texts.get(language) or texts.get("all") or next(iter(texts.values()))
    rows: list[tuple[Button, ...]] = []
    if link:
        rows.append((Button(link[1], url=link[0]),))
    if ask_ack:
        rows.append((Button(content.catalog.text(language, "bc-read-button"), encode("bc:read", broadcast_id)),))
    file = OutgoingFile("alert.jpg", photo, "photo") if photo else None
    return Reply(text=f"📣 {text}", buttons=tuple(rows), file=file, language=language)


@router.renderer("broadcast")
class AlertRenderer:
    """What each recipient of an alert receives, in her language; the alert, its texts and its
    photo are read once for all its rows, and its message made once for each language."""

    def __init__(self, app: App) -> None:
        self.app = app
        self._alerts: dict[int, tuple[Broadcast, dict[str, str], bytes | None, dict[str, list[Effect]]]] = {}

    async def __call__(self, session: AsyncSession, row: Outbox) -> list[Effect] | None:
        cached = self._alerts.get(row.broadcast_id or 0)
        if cached is None:
            found = await session.get(Broadcast, row.broadcast_id)
            if found is None:
                return None
            photo = stored_files.read_alert_photo(self.app.cipher, self.app.settings.data_dir, found.photo_path)
            if len(self._alerts) >= ALERTS_KEPT:  # the alerts of the last batches are enough
                self._alerts.pop(next(iter(self._alerts)))
            cached = self._alerts[found.id] = (found, self.app.cipher.decrypt_json(found.texts_token), photo, {})
        broadcast, texts, photo, made = cached
        if broadcast.status in (BroadcastStatus.CANCELLED, BroadcastStatus.DONE):
            self._alerts.pop(broadcast.id, None)
            return None
        if row.language not in made:
            link = [broadcast.link_url, broadcast.link_label] if broadcast.link_url and broadcast.link_label else None
            made[row.language] = [render_alert(self.app.content, row.language, texts, link, broadcast.ask_ack,
                                               broadcast.id, photo)]
        return made[row.language]


# ---------------------------------------------------------------- helpers


def _staff(ctx: Context) -> None:
    ctx.require_role(Role.COORDINATOR, Role.ADMIN)


def _composing(ctx: Context) -> None:
    _staff(ctx)
    if ctx.state not in COMPOSING or "texts" not in ctx.data:
        raise StaleAction("no alert being composed")


def _audience(ctx: Context) -> Audience:
    chosen = ctx.data.get("audience", {})
    within = None if ctx.user.role == Role.ADMIN else tuple(staff_region_codes(ctx))
    return Audience(
        regions=tuple(chosen.get("regions", [])),
        languages=tuple(chosen.get("languages", [])),
        roles=tuple(chosen.get("roles", [])),
        courses=tuple(chosen.get("courses", [])),
        within_regions=within,
    )


def _describe_audience(ctx: Context, audience: Audience) -> str:
    parts = []
    if audience.regions:
        parts.append(", ".join(ctx.content.region_name(ctx.language, code) for code in audience.regions))
    elif audience.within_regions is not None:
        parts.append(", ".join(ctx.content.region_name(ctx.language, code) for code in audience.within_regions) or ctx.t("region-none"))
    if audience.languages:
        parts.append(", ".join(ctx.content.catalog.text(code, "language-name") for code in audience.languages))
    if audience.roles:
        parts.append(", ".join(ctx.t(f"role-{role}") for role in audience.roles))
    if audience.courses:
        parts.append(", ".join(ctx.content.courses[course].title.get(ctx.language) for course in audience.courses if course in ctx.content.courses))
    return "; ".join(parts) or ctx.t("bc-everyone")


def _cancel(ctx: Context) -> Button:
    return button(ctx, "dir-cancel", "bc")


def _photo_bytes(ctx: Context, path: str | None) -> bytes | None:
    return stored_files.read_alert_photo(ctx.cipher, ctx.settings.data_dir, path)


@router.state(AlertStates.OPTIONS, accepts_text=False)
async def options_expect_buttons(ctx: Context) -> None:
    _composing(ctx)
    ctx.reply(ctx.t("form-use-buttons"))
    await _options(ctx)

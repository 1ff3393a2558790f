"""Reports, her side: filing what the form runner collected (and telling the coordinators of
its region), following one up with its reference code, answering a coordinator's question.
The coordinators' side is handlers/review.py."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from core.actions import encode
from core.context import Context, StaleAction
from core.messages import Button
from core.router import Router
from content.forms_model import Form
from handlers.common import back_home, typed_text
from handlers.forms import open_form
from handlers.reporting import Reader, category_label, region_label
from storage import reports_repo
from storage.models import Evidence, Report, ReportEvent, ReportStatus, Role

router = Router("reports")

ANSWER_LIMIT = 3000  # characters of her answer to a coordinator


# ---------------------------------------------------------------- the reporter's side


@router.action("rep:new")
async def report_incident(ctx: Context) -> None:
    await open_form(ctx, "incident")


@router.action("rep:mon")
async def report_monitoring(ctx: Context) -> None:
    await open_form(ctx, "monitoring")


@router.on("form.sent")
async def file_report(ctx: Context, form: Form, answers: dict[str, Any], extra: dict[str, Any]) -> None:
    """File the answers of a finished form (the form runner removes the draft); a feature that
    started the form (a monitoring task) hears of it as "report.filed"."""
    contact = answers.get(form.contact_field) if form.contact_field else "contact"
    anonymous = contact == "anonymous"
    media = {field.id for field in form.fields if field.type == "media"}
    stored_answers = {key: value for key, value in answers.items() if key not in media}
    report = Report(
        reference=await reports_repo.new_reference(ctx.session),
        kind=form.kind,
        form_id=form.id,
        form_version=form.version,
        category=_plain_answer(answers, form.category_field),
        region=_plain_answer(answers, form.region_field),
        event_date=_plain_answer(answers, form.date_field),
        status=ReportStatus.NEW,
        reporter_id=None if anonymous else ctx.user.id,
        contact_allowed=contact == "contact",
        wants_legal_aid=bool(form.legal_aid_field and answers.get(form.legal_aid_field) == "yes"),
        answers=ctx.cipher.encrypt_json(stored_answers),
        created_at=ctx.hour,  # the hour only: nothing can be tied to the moment she filed it
        updated_at=ctx.hour,
    )
    ctx.session.add(report)
    await ctx.session.flush()
    for field_id in media:
        for item in answers.get(field_id) or []:
            ctx.session.add(
                Evidence(report_id=report.id, kind=item["kind"], mime_type=item.get("mime"), size=item["size"],
                         sha256=item["sha256"], path=item["path"], created_at=ctx.hour)
            )
    ctx.session.add(ReportEvent(report_id=report.id, at=ctx.hour, kind="status", status=ReportStatus.NEW))
    await ctx.emit("report.filed", report, extra)
    await _notify_staff(ctx, report, form)
    key = "form-sent-anonymous" if anonymous else "form-sent"
    ctx.go(None)
    ctx.reply(ctx.t(key, code=report.reference))
    if report.wants_legal_aid:
        await ctx.show("legal_aid.contacts", report.region, _topics_for(form, report.category) or ["free_aid"])
    else:
        await ctx.home()


async def _notify_staff(ctx: Context, report: Report, form: Form) -> None:
    for staff in await reports_repo.staff_for_region(ctx.session, report.region):
        if staff.id == ctx.user.id:
            continue
        reader = Reader(ctx.content, ctx.cipher, staff.language or ctx.settings.default_language)
        text = reader.t("report-new-notice", code=report.reference, kind=reader.t(f"report-kind-{report.kind}"),
                        category=category_label(reader, form, report.category), region=region_label(reader, report.region))
        rows = [[Button(reader.t("report-open"), encode("rep:o", report.id)),
                 Button(reader.t("report-take"), encode("rep:take", report.id))]]
        ctx.notify(staff, text, rows, as_staff=True)


@router.command("status")
async def status_command(ctx: Context, payload: str) -> None:
    if payload:
        await _show_status(ctx, payload)
        return
    mine = await reports_repo.reports_of(ctx.session, ctx.user.id)
    lines = [ctx.t("status-yours")] if mine else []
    rows = []
    for report in mine[:10]:
        lines.append(f"{report.reference}: {ctx.t(f'status-{report.status}')}")
        if report.status == ReportStatus.NEEDS_INFO and report.contact_allowed:
            rows.append([Button(ctx.t("report-answer-button", code=report.reference), encode("rep:ans", report.id))])
    lines.append(ctx.t("status-ask-code"))
    rows.append(back_home(ctx))
    ctx.go("status.code")
    ctx.reply("\n".join(lines), rows)


@router.action("rep:status")
async def status_from_menu(ctx: Context) -> None:
    await status_command(ctx, "")


@router.state("status.code")
async def status_code_typed(ctx: Context) -> None:
    ctx.go(None)
    await _show_status(ctx, ctx.incoming.text or "")


async def _show_status(ctx: Context, code: str) -> None:
    code = code.strip().upper()
    if not code.startswith("R-"):
        code = "R-" + code
    report = await reports_repo.by_reference(ctx.session, code) if len(code) <= 12 else None
    if report is None:
        ctx.reply(ctx.t("status-unknown"), [back_home(ctx)])
        return
    updated = report.updated_at.astimezone(ZoneInfo(ctx.settings.timezone)).strftime("%d.%m.%Y")
    ctx.reply(ctx.t("status-line", code=report.reference, status=ctx.t(f"status-{report.status}"), date=updated),
              [back_home(ctx)])


@router.action("rep:ans", arity=1)
async def answer_question(ctx: Context, report_id: str) -> None:
    report = await _own_report(ctx, report_id)
    ctx.go("rep.answer", report=report.id)
    ctx.reply(ctx.t("report-answer-prompt", code=report.reference), [back_home(ctx)])


@router.state("rep.answer")
async def answer_typed(ctx: Context) -> None:
    report = await _own_report(ctx, str(ctx.data.get("report", "")))
    text = typed_text(ctx, "report-answer-length", ANSWER_LIMIT)
    if text is None:
        return
    ctx.session.add(ReportEvent(report_id=report.id, at=ctx.hour, actor_id=None, kind="answer",
                                text=ctx.cipher.encrypt(text.encode())))
    report.updated_at = ctx.hour
    ctx.go(None)
    ctx.reply(ctx.t("report-answer-filed", code=report.reference), [back_home(ctx)])
    for staff in await reports_repo.staff_for_region(ctx.session, report.region):
        if report.assigned_to and staff.id != report.assigned_to and staff.role != Role.ADMIN:
            continue
        ctx.notify(staff, ctx.text_for(staff, "report-answer-notice", code=report.reference),
                   [[Button(ctx.text_for(staff, "report-open"), encode("rep:o", report.id))]], as_staff=True)


async def _own_report(ctx: Context, report_id: str) -> Report:
    report = await ctx.session.get(Report, int(report_id)) if report_id.isdecimal() else None
    if report is None or report.reporter_id != ctx.user.id or not report.contact_allowed:
        raise StaleAction(report_id)
    return report


# ---------------------------------------------------------------- helpers


def _plain_answer(answers: dict[str, Any], field_id: str | None) -> str | None:
    value = answers.get(field_id) if field_id else None
    return str(value) if isinstance(value, (str, int, float)) else None


def _topics_for(form: Form, category: str | None) -> list[str]:
    field = form.field(form.category_field) if form.category_field else None
    option = field.option(category) if field and category else None
    return list(option.topics) if option else []

"""Reports, the coordinators' side: the list of her regions' reports with filters, a report's
page, taking it, changing its status, asking the reporter, the evidence, the exports and the
chart. Every opening of a report's content and every change is checked against her role and
regions here, where the data is read, and written to the audit log."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from core.actions import encode
from core.context import AccessDenied, Context, StaleAction
from core.messages import Button, OutgoingFile
from core.router import Router
from handlers.common import button, in_rows, staff_regions, typed_text
from handlers import report_actions
from handlers.reporting import Reader, categories, category_label, evidence_file_name, export_headers, export_source, format_answers
from storage import evidence as evidence_files
from storage import export
from storage import reports_repo
from storage.models import Report, ReportStatus, Role

router = Router("review")

PAGE_SIZE = 5
STATUSES = [status.value for status in ReportStatus]
CHART_DAYS = 90


# ---------------------------------------------------------------- the coordinators' side


@router.command("reports")
async def reports_command(ctx: Context, _payload: str) -> None:
    await reports_menu(ctx)


@router.action("rep")
async def reports_menu(ctx: Context) -> None:
    regions = staff_regions(ctx)
    lines = [ctx.t("reports-title")]
    rows = []
    for status in STATUSES:
        _, total = await reports_repo.find_reports(ctx.session, regions, status=status, limit=0)
        rows.append([Button(f"{ctx.t(f'status-{status}')} ({total})", encode("rep:l", status, "all", "all", 0))])
    rows.append([button(ctx, "reports-export-csv", "rep:x", "csv"), button(ctx, "reports-export-xlsx", "rep:x", "xlsx")])
    rows.append([button(ctx, "reports-chart", "rep:x", "png")])
    rows.append([button(ctx, "button-back", "coord")])
    ctx.go(None)
    ctx.reply("\n".join(lines), rows, edit=True)


@router.action("rep:l", arity=4)
async def report_list(ctx: Context, status: str, region: str, category: str, page: str) -> None:
    regions = staff_regions(ctx)
    if status not in STATUSES or not page.isdecimal():
        raise StaleAction(status)
    if region != "all" and (region not in ctx.content.regions or (regions is not None and region not in regions)):
        raise AccessDenied(region)
    number = int(page)
    found, total = await reports_repo.find_reports(
        ctx.session, regions, status=status, region=None if region == "all" else region,
        category=None if category == "all" else category, offset=number * PAGE_SIZE, limit=PAGE_SIZE,
    )
    rows = [[Button(_list_label(ctx, report), encode("rep:o", report.id))] for report in found]
    paging = []
    if number > 0:
        paging.append(button(ctx, "reports-previous", "rep:l", status, region, category, number - 1))
    if (number + 1) * PAGE_SIZE < total:
        paging.append(button(ctx, "reports-next", "rep:l", status, region, category, number + 1))
    if paging:
        rows.append(paging)
    rows.append([button(ctx, "reports-filter-region", "rep:fr", status, category),
                 button(ctx, "reports-filter-category", "rep:fc", status, region)])
    rows.append([button(ctx, "button-back", "rep")])
    region_name = ctx.t("legal-region-all") if region == "all" else ctx.content.region_name(ctx.language, region)
    category_name = ctx.t("reports-all-categories") if category == "all" else category_label(Reader.of(ctx), None, category)
    header = ctx.t("reports-list", status=ctx.t(f"status-{status}"), region=region_name, category=category_name,
                   total=total, page=number + 1)
    ctx.reply(header if found else f"{header}\n{ctx.t('reports-none')}", rows, edit=True)


@router.action("rep:fr", arity=2)
async def filter_region(ctx: Context, status: str, category: str) -> None:
    regions = staff_regions(ctx)
    codes = ["all", *[code for code in ctx.content.regions if regions is None or code in regions]]
    buttons = [
        Button(ctx.t("legal-region-all") if code == "all" else ctx.content.region_name(ctx.language, code),
               encode("rep:l", status, code, category, 0))
        for code in codes
    ]
    rows = in_rows(buttons)
    ctx.reply(ctx.t("reports-choose-region"), rows, edit=True)


@router.action("rep:fc", arity=2)
async def filter_category(ctx: Context, status: str, region: str) -> None:
    staff_regions(ctx)
    every_category = categories(Reader.of(ctx))
    rows = [[Button(ctx.t("reports-all-categories"), encode("rep:l", status, region, "all", 0))]]
    rows += [[Button(label, encode("rep:l", status, region, code, 0))] for code, label in every_category]
    ctx.reply(ctx.t("reports-choose-category"), rows, edit=True)


@router.action("rep:o", arity=1)
async def open_report(ctx: Context, report_id: str) -> None:
    report = await _report_for_staff(ctx, report_id)
    await ctx.audit("report.opened", target=report.reference)
    await _show_report(ctx, report)


@router.action("rep:take", arity=1)
async def take_report(ctx: Context, report_id: str) -> None:
    report = await _report_for_staff(ctx, report_id)
    if report.assigned_to is None:
        await reports_repo.bump_version(ctx.session, report)
    ctx.effects.extend(await report_actions.take(_staff(ctx), report))
    await ctx.audit("report.opened", target=report.reference)
    await _show_report(ctx, report)


@router.action("rep:s", arity=2)
async def change_status(ctx: Context, report_id: str, status: str) -> None:
    report = await _report_for_staff(ctx, report_id)
    if status not in STATUSES or status == ReportStatus.NEW:
        raise StaleAction(status)
    if status == ReportStatus.NEEDS_INFO:
        if not (report.contact_allowed and report.reporter_id):
            ctx.reply(ctx.t("report-cannot-contact"))
            await _show_report(ctx, report)
            return
        ctx.go("rep.question", report=report.id)
        ctx.reply(ctx.t("report-question-prompt", code=report.reference), [[button(ctx, "button-back", "rep:o", report.id)]])
        return
    await _set_status(ctx, report, status)
    await _show_report(ctx, report)


@router.state("rep.question")
async def question_typed(ctx: Context) -> None:
    report = await _report_for_staff(ctx, str(ctx.data.get("report", "")))
    question = typed_text(ctx, "report-question-length", report_actions.QUESTION_LIMIT)
    if question is None:
        return
    await reports_repo.bump_version(ctx.session, report)
    notices = await report_actions.ask_reporter(_staff(ctx), report, question)
    ctx.go(None)
    if notices is None:
        ctx.reply(ctx.t("report-cannot-contact"))
        return
    ctx.effects.extend(notices)
    ctx.reply(ctx.t("report-question-sent"))
    await _show_report(ctx, report)


@router.action("rep:ev", arity=1)
async def show_evidence(ctx: Context, report_id: str) -> None:
    report = await _report_for_staff(ctx, report_id)
    files = await reports_repo.evidence_of(ctx.session, report.id)
    await ctx.audit("report.evidence", target=report.reference, files=len(files))
    for number, item in enumerate(files, start=1):
        try:
            content = evidence_files.load(ctx.cipher, ctx.settings.data_dir, item.path, item.sha256)
        except (OSError, evidence_files.EvidenceAltered):
            ctx.reply(ctx.t("report-evidence-broken", number=number))
            continue
        name = evidence_file_name(report, number, item)
        kind = "photo" if item.kind == "photo" else "document"
        ctx.reply(ctx.t("report-evidence-caption", number=number, sha=item.sha256[:16]), file=OutgoingFile(name, content, kind))
    await _show_report(ctx, report, edit=False)


@router.action("rep:x", arity=1)
async def export_reports(ctx: Context, file_format: str) -> None:
    regions = staff_regions(ctx)
    if file_format not in ("csv", "xlsx", "png"):
        raise StaleAction(file_format)
    since = ctx.now - timedelta(days=CHART_DAYS) if file_format == "png" else None
    found, _ = await reports_repo.find_reports(ctx.session, regions, since=since)
    reader = Reader.of(ctx)
    include = ctx.user.role == Role.ADMIN
    source = await export_source(ctx.session, reader, found, include_contact=include)
    await ctx.audit("report.export", target=file_format, count=len(found), regions=["all"] if regions is None else regions)
    stamp = ctx.now.astimezone(ZoneInfo(ctx.settings.timezone)).strftime("%Y%m%d")
    # The rows are made and the file built once this transaction has committed (OutgoingFile.build),
    # a chart or a spreadsheet in a process of its own: inside it, they held everyone else up.
    if file_format == "png":
        title, now = ctx.t("reports-chart-title", days=CHART_DAYS), ctx.now

        async def chart() -> bytes:
            return await export.built_apart(export.chart_png, await source.rows(), title, now, CHART_DAYS)

        ctx.reply(ctx.t("reports-chart-caption", days=CHART_DAYS),
                  file=OutgoingFile(f"reports-{stamp}.png", b"", "photo", build=chart))
        return
    headers, sheet_title = export_headers(reader), ctx.t("reports-sheet-title")

    async def table() -> bytes:
        rows = await source.rows()
        if file_format == "csv":
            return export.to_csv(rows, headers, include)
        return await export.built_apart(export.to_xlsx, rows, headers, include, sheet_title)

    ctx.reply(ctx.t("reports-export-caption", count=len(found)),
              file=OutgoingFile(f"reports-{stamp}.{file_format}", b"", build=table))


# ---------------------------------------------------------------- helpers


async def _show_report(ctx: Context, report: Report, edit: bool = True) -> None:
    form = ctx.content.forms.get(report.form_id)
    answers = ctx.cipher.decrypt_json(report.answers)
    zone = ZoneInfo(ctx.settings.timezone)
    reporter = ctx.t("report-anonymous") if report.reporter_id is None else (
        ctx.t("report-may-contact") if report.contact_allowed else ctx.t("report-no-contact"))
    lines = [
        ctx.t("report-header", code=report.reference, kind=ctx.t(f"report-kind-{report.kind}"),
              status=ctx.t(f"status-{report.status}"), created=report.created_at.astimezone(zone).strftime("%d.%m.%Y %H:%M")),
        ctx.t("report-reporter", reporter=reporter),
        "",
    ]
    lines += [f"• {label}: {value}" for label, value in format_answers(Reader.of(ctx), form, answers)]
    files = await reports_repo.evidence_of(ctx.session, report.id)
    events = await reports_repo.events_of(ctx.session, report.id)
    history = []
    for event in events:
        when = event.at.astimezone(zone).strftime("%d.%m %H:%M")
        if event.kind == "status":
            history.append(f"{when} – {ctx.t(f'status-{event.status}')}")
        elif event.text is not None:
            said = ctx.cipher.decrypt(event.text).decode()
            history.append(f"{when} – {ctx.t(f'report-event-{event.kind}')}: {said}")
    if history:
        lines += ["", ctx.t("report-history"), *history]
    text = "\n".join(lines)
    text = ctx.fit_text(text)
    rows = []
    if report.assigned_to is None:
        rows.append([button(ctx, "report-take", "rep:take", report.id)])
    changes = [status for status in STATUSES if status not in (ReportStatus.NEW, report.status)]
    buttons = [Button(ctx.t(f"status-set-{status}"), encode("rep:s", report.id, status)) for status in changes]
    rows += in_rows(buttons)
    if files:
        rows.append([Button(ctx.t("report-evidence", count=len(files)), encode("rep:ev", report.id))])
    rows.append([button(ctx, "reports-back-to-list", "rep:l", report.status, "all", "all", 0)])
    ctx.reply(text, rows, edit=edit)


async def _set_status(ctx: Context, report: Report, status: str) -> None:
    await reports_repo.bump_version(ctx.session, report)
    ctx.effects.extend(await report_actions.set_status(_staff(ctx), report, status))


def _staff(ctx: Context) -> report_actions.Staff:
    return report_actions.Staff(ctx.session, ctx.user, ctx.cipher, ctx.content, ctx.now, ctx.settings.default_language)


async def _report_for_staff(ctx: Context, report_id: str) -> Report:
    regions = staff_regions(ctx)
    report = await ctx.session.get(Report, int(report_id)) if report_id.isdecimal() else None
    if report is None:
        raise StaleAction(report_id)
    if regions is not None and report.region not in regions:
        raise AccessDenied(report.reference)
    return report


def _list_label(ctx: Context, report: Report) -> str:
    when = report.created_at.astimezone(ZoneInfo(ctx.settings.timezone)).strftime("%d.%m")
    category = category_label(Reader.of(ctx), ctx.content.forms.get(report.form_id), report.category)
    label = f"{report.reference} · {when} · {category}"
    return ctx.fit_label(label)

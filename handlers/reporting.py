"""How a filed report reads, in one language: its labels (category, region, answers) and its row
of an export. Shared by the coordinators' review in the chat, the command line's export and any
other reader; it needs no conversation, only the content, the key and a language."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from content import Content
from content.forms_model import Form, FormField
from handlers.form_fields import kind_of
from storage import export, people_repo, reports_repo
from storage.crypto import Cipher
from storage.models import Evidence, Report

ROWS_AT_ONCE = 50  # export rows made between two turns of the event loop (about 12 ms of decrypting)
EXPORT_COLUMNS = ("reference", "kind", "created", "status", "category", "region", "event_date", "evidence", "contact")


@dataclass(frozen=True)
class Reader:
    content: Content
    cipher: Cipher
    language: str

    @classmethod
    def of(cls, ctx: Any) -> Reader:
        """The reader of a conversation: its content, key and her language."""
        return cls(ctx.content, ctx.cipher, ctx.language)

    def t(self, key: str, /, **args: Any) -> str:
        return self.content.catalog.text(self.language, key, **args)


def export_headers(reader: Reader) -> dict[str, str]:
    return {key: reader.t(f"export-{key.replace('_', '-')}") for key in EXPORT_COLUMNS}


async def export_row(session: AsyncSession, reader: Reader, report: Report, include_contact: bool) -> export.ReportRow:
    return (await export_rows(session, reader, [report], include_contact))[0]


async def export_rows(session: AsyncSession, reader: Reader, reports: list[Report], include_contact: bool) -> list[export.ReportRow]:
    """The export rows of many reports, in their order (`ExportSource.rows`)."""
    return await (await export_source(session, reader, reports, include_contact)).rows()


@dataclass(frozen=True)
class ExportSource:
    """What the rows of an export are made of, read in the transaction: the reports, their
    evidence counts, and the contact of each reporter who allowed it (when contacts are included)."""

    reader: Reader
    reports: list[Report]
    files: dict[int, int]
    contacts: dict[int, str]

    async def rows(self) -> list[export.ReportRow]:
        """The rows, the event loop given back every ROWS_AT_ONCE: each row decrypts its report's
        answers, and thousands of them in one go held every chat up for seconds. Made after the
        transaction has committed, where it need not hold SQLite's write lock meanwhile."""
        rows = []
        for number, report in enumerate(self.reports, start=1):
            rows.append(_export_row(self.reader, report, self.files.get(report.id, 0), self.contacts.get(report.id)))
            if number % ROWS_AT_ONCE == 0:
                await asyncio.sleep(0)
        return rows


async def export_source(session: AsyncSession, reader: Reader, reports: list[Report], include_contact: bool) -> ExportSource:
    """Two queries for all the reports: their evidence counts, and the reporters who allowed contact."""
    files = await reports_repo.evidence_counts(session, [report.id for report in reports])
    wanted = {report.reporter_id for report in reports if report.contact_allowed and report.reporter_id}
    reporters = await people_repo.users_by_id(session, wanted) if include_contact and wanted else {}
    contacts = {report.id: f"{reporter.channel}:{reporter.external_id}" for report in reports
                if report.contact_allowed and report.reporter_id and (reporter := reporters.get(report.reporter_id))}
    return ExportSource(reader, reports, files, contacts)


def _export_row(reader: Reader, report: Report, evidence_count: int, contact: str | None) -> export.ReportRow:
    form = reader.content.forms.get(report.form_id)
    answers = reader.cipher.decrypt_json(report.answers)
    return export.ReportRow(
        reference=report.reference,
        kind=reader.t(f"report-kind-{report.kind}"),
        created_at=report.created_at,
        status=reader.t(f"status-{report.status}"),
        category=report.category,
        category_label=category_label(reader, form, report.category),
        region=report.region,
        region_label=region_label(reader, report.region),
        event_date=report.event_date,
        answers=dict(format_answers(reader, form, answers)),
        evidence_count=evidence_count,
        contact=contact,
    )


def format_answers(reader: Reader, form: Form | None, answers: dict[str, Any]) -> list[tuple[str, str]]:
    """Each answer with its field's label, in the form's order; fields this version of the form
    no longer has keep their id as the label."""
    result = []
    known = {field.id: field for field in form.fields} if form else {}
    for field_id, value in answers.items():
        field: FormField | None = known.get(field_id)
        if field is None:
            result.append((field_id, str(value)))
            continue
        try:
            shown = shown_value(reader, field, value) if field.type != "text" else str(value)
        except (StopIteration, ValueError, TypeError, IndexError):
            shown = str(value)
        result.append((field.label.get(reader.language), shown))
    order = {field.label.get(reader.language): index for index, field in enumerate(form.fields)} if form else {}
    return sorted(result, key=lambda pair: order.get(pair[0], len(order)))


def shown_value(reader: Reader, field: FormField, value: Any, limit: int | None = None) -> str:
    """An answer as a person reads it; free text cut to `limit` characters when one is given."""
    return kind_of(field).show(reader, field, value, limit)


def category_label(reader: Reader, form: Form | None, category: str | None) -> str:
    if category is None:
        return "—"
    forms = [form] if form else list(reader.content.forms.values())
    for candidate in forms:
        field = candidate.field(candidate.category_field) if candidate.category_field else None
        option = field.option(category) if field else None
        if option is not None:
            return option.label.get(reader.language)
    return category


def region_label(reader: Reader, region: str | None) -> str:
    return reader.content.region_name(reader.language, region) if region in reader.content.regions else "—"


def categories(reader: Reader) -> list[tuple[str, str]]:
    """Every category of every form, once, with its label."""
    seen: dict[str, str] = {}
    for form in reader.content.forms.values():
        field = form.field(form.category_field) if form.category_field else None
        for option in field.options if field else []:
            seen.setdefault(option.id, option.label.get(reader.language))
    return list(seen.items())


def evidence_file_name(report: Report, number: int, item: Evidence) -> str:
    """The name a report's evidence file is given when a coordinator opens it (R-7K3F9Q-1.jpg)."""
    mime = item.mime_type or ""
    if item.kind == "photo" or mime == "image/jpeg":
        extension = ".jpg"
    elif mime == "application/pdf":
        extension = ".pdf"
    elif item.kind == "voice":
        extension = ".ogg"
    else:
        extension = ".bin"
    return f"{report.reference}-{number}{extension}"

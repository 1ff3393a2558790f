"""How the legal-aid directory reads in a chat: the emergency numbers on top of every answer, and
one entry with its contacts and its source. Shared by the features that show the directory
(Find legal aid, its admin, the report form's safety pause)."""

from __future__ import annotations

from content.legal_aid_model import Entry
from core.context import Context


def emergency_block(ctx: Context) -> str:
    emergency = ctx.content.directory.emergency
    lines = [ctx.t("legal-emergency-title")]
    lines += [f"☎️ {item.number} – {item.label.get(ctx.language)}" for item in emergency.numbers]
    return "\n".join(lines)


def describe(ctx: Context, entry: Entry) -> str:
    language = ctx.language
    lines = [f"🏛 {entry.name.get(language)}", entry.about.get(language)]
    if entry.phones:
        lines.append("📞 " + ", ".join(entry.phones))
    if entry.email:
        lines.append(f"✉️ {entry.email}")
    if entry.website:
        lines.append(f"🌐 {entry.website}")
    if entry.address:
        lines.append(f"📍 {entry.address.get(language)}")
    if entry.hours:
        lines.append(f"🕘 {entry.hours.get(language)}")
    if entry.languages:
        names = ", ".join(ctx.t(f"language-short-{code}") for code in entry.languages)
        lines.append(f"🗣 {names}")
    lines.append(ctx.t("legal-source", source=ctx.content.readable_source(entry.source), checked=entry.checked))
    return "\n".join(lines)

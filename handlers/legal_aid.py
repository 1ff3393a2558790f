"""Find legal aid: her region (preselected), a topic or a typed word, then the contacts, with the
emergency numbers on top of every answer. Nothing about what she looked up is kept but an
anonymous count per day, region and topic."""

from __future__ import annotations

import math
from zoneinfo import ZoneInfo

from core.actions import encode
from core.context import Context, StaleAction
from core.messages import Button, IncomingKind
from core.router import Router
from handlers.common import back_home, button, checked_region, in_rows
from handlers.directory import describe, emergency_block
from storage import legal_aid_repo

router = Router("legal_aid")

ALL_REGIONS = "all"
MIN_WORD = 3


@router.action("la")
async def find_legal_aid(ctx: Context) -> None:
    await show_topics(ctx, ctx.user.region or ALL_REGIONS, edit=True)


@router.action("la:r", arity=1)
async def region_chosen(ctx: Context, region: str) -> None:
    await show_topics(ctx, _region(ctx, region), edit=True)


@router.action("la:regions")
async def choose_region(ctx: Context) -> None:
    codes = [*ctx.content.regions, ALL_REGIONS]
    buttons = [Button(_region_name(ctx, code), encode("la:r", code)) for code in codes]
    rows = in_rows(buttons)
    rows.append(back_home(ctx))
    ctx.reply(ctx.t("legal-choose-region"), rows, edit=True)


async def show_topics(ctx: Context, region: str, edit: bool = False) -> None:
    rows = [
        [Button(ctx.t(f"topic-{topic}"), encode("la:t", region, topic))] for topic in ctx.content.directory.topic_ids()
    ]
    rows.append([button(ctx, "legal-change-region", "la:regions")])
    rows.append(back_home(ctx))
    text = "\n\n".join([emergency_block(ctx), ctx.t("legal-choose-topic", region=_region_name(ctx, region))])
    ctx.go("legal.search")
    ctx.reply(text, rows, edit=edit)


@router.action("la:t", arity=2)
async def topic_chosen(ctx: Context, region: str, topic: str) -> None:
    region = _region(ctx, region)
    if topic not in ctx.content.directory.topic_ids():
        raise StaleAction(topic)
    await show_contacts(ctx, region, [topic])


@router.screen("legal_aid.contacts")
async def contacts_for_a_report(ctx: Context, region: str | None, topics: list[str]) -> None:
    """Shown when a report is filed by someone who asked for legal aid."""
    await show_contacts(ctx, region or ALL_REGIONS, topics)


async def show_contacts(ctx: Context, region: str, topics: list[str], query: str | None = None) -> None:
    """The contacts for a region and topics; also the end of an incident report that asked for help."""
    await legal_aid_repo.count_lookup(ctx.session, _today(ctx), region, topics[0] if len(topics) == 1 else "search")
    live = [entry for entry, _ in await legal_aid_repo.entries(ctx.session, ctx.content.directory)]
    matching = [entry for entry in live if set(entry.topics) & set(topics)]
    local = [entry for entry in matching if entry.regions != "all" and (region == ALL_REGIONS or region in entry.regions)]
    nationwide = [entry for entry in matching if entry.regions == "all"]
    title = ctx.t("legal-search-found", query=query) if query else ctx.t(
        "legal-results-title", topic=ctx.t(f"topic-{topics[0]}"), region=_region_name(ctx, region)
    )
    parts = [emergency_block(ctx), title]
    if local:
        parts += [describe(ctx, entry) for entry in local]
    if nationwide:
        if not local and region != ALL_REGIONS:
            parts.append(ctx.t("legal-none-local"))
        parts += [describe(ctx, entry) for entry in nationwide]
    if not matching:
        parts.append(ctx.t("legal-nothing"))
    parts.append(ctx.t("legal-privacy-tip"))
    rows = [[button(ctx, "legal-other-topic", "la:r", region)], back_home(ctx)]
    ctx.go("legal.search")
    ctx.reply("\n\n".join(parts), rows, edit=True)


def _takes_text(ctx: Context) -> bool:
    """A typed word is a search; a number too short to be one is the number of a button."""
    typed = (ctx.incoming.text or "").strip()
    return not (typed.isdecimal() and len(typed) < MIN_WORD)


@router.state("legal.search", accepts_text=_takes_text)
async def word_or_location(ctx: Context) -> None:
    if ctx.incoming.kind is IncomingKind.LOCATION and ctx.incoming.location is not None:
        await nearest_first(ctx, ctx.incoming.location.latitude, ctx.incoming.location.longitude)
        return
    query = (ctx.incoming.text or "").strip()
    if ctx.incoming.kind is not IncomingKind.TEXT or len(query) < MIN_WORD or len(query) > 100:
        ctx.reply(ctx.t("legal-type-a-word"))
        await show_topics(ctx, ctx.user.region or ALL_REGIONS)
        return
    topics = search_topics(ctx, query)
    if not topics:
        ctx.reply(ctx.t("legal-search-none", query=query))
        await show_topics(ctx, ctx.user.region or ALL_REGIONS)
        return
    await show_contacts(ctx, ctx.user.region or ALL_REGIONS, topics, query=query)


async def nearest_first(ctx: Context, latitude: float, longitude: float) -> None:
    """Entries with coordinates, nearest first; the location itself is never stored."""
    live = [entry for entry, _ in await legal_aid_repo.entries(ctx.session, ctx.content.directory)]
    placed = sorted(
        (entry for entry in live if entry.latitude is not None and entry.longitude is not None),
        key=lambda entry: distance_km(latitude, longitude, entry.latitude or 0, entry.longitude or 0),
    )
    parts = [emergency_block(ctx)]
    if placed:
        parts.append(ctx.t("legal-nearest"))
        for entry in placed[:5]:
            km = distance_km(latitude, longitude, entry.latitude or 0, entry.longitude or 0)
            parts.append(f"{describe(ctx, entry)}\n{ctx.t('legal-distance', km=round(km))}")
    else:
        parts.append(ctx.t("legal-no-coordinates"))
    rows = [[button(ctx, "legal-other-topic", "la")], back_home(ctx)]
    ctx.reply("\n\n".join(parts), rows)


def search_topics(ctx: Context, query: str) -> list[str]:
    """Topics whose keywords, in any language, begin one of her words (or the whole phrase)."""
    words = [word for word in _words(query) if len(word) >= MIN_WORD]
    phrase = " ".join(_words(query))
    found = []
    for topic in ctx.content.directory.topics:
        keywords = [keyword for language_words in topic.keywords.values() for keyword in language_words]
        if any(
            phrase.startswith(keyword) or (" " in keyword and keyword in phrase)
            or any(word.startswith(keyword) or (len(word) >= 4 and keyword.startswith(word)) for word in words)
            for keyword in keywords
        ):
            found.append(topic.id)
    return found


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    radius = 6371.0
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = math.radians(lat2 - lat1), math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * radius * math.asin(math.sqrt(a))


def _words(text: str) -> list[str]:
    kept = "".join(char if char.isalnum() or char == "-" else " " for char in text.casefold())
    return kept.split()


def _region(ctx: Context, code: str) -> str:
    return code if code == ALL_REGIONS else checked_region(ctx, code)


def _region_name(ctx: Context, code: str) -> str:
    return ctx.t("legal-region-all") if code == ALL_REGIONS else ctx.content.region_name(ctx.language, code)


def _today(ctx: Context) -> str:
    return ctx.now.astimezone(ZoneInfo(ctx.settings.timezone)).strftime("%Y-%m-%d")

"""One object per field type of a guided dialog: the buttons it offers, how it takes an answer
(pressed, typed, sent as a file or a place) and how it shows one. The runner (`handlers/forms.py`)
asks `KINDS[field.type]` and never switches on the type itself; a new type is a new class here.

Taking an answer gives an `Answer` (final: the dialog moves on; not final: the question is asked
again with it, as while ticking a list or sending files) or raises `Refused` with the message key
that tells her what to do instead. A pressed value a field cannot have raises `StaleAction`, like
any old button."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field as dataclass_field
from datetime import date, timedelta
from typing import Any, Protocol

from core.actions import encode
from core.context import Context, StaleAction
from core.messages import Button, IncomingKind
from content import Content
from content.forms_model import FormField
from handlers.common import button, marked
from storage import evidence

logger = logging.getLogger("tynchtyk.forms")

OLDEST_YEAR = 1990


class Refused(Exception):
    """An answer the field cannot take; `key` is the message that says what to send instead."""

    def __init__(self, key: str, **args: Any) -> None:
        super().__init__(key)
        self.key, self.values = key, args


@dataclass(frozen=True)
class Answer:
    value: Any
    final: bool = True


@dataclass(frozen=True)
class Facts:
    """What parsing needs to know of the world: her today and the regions' codes."""

    today: date
    regions: tuple[str, ...] = dataclass_field(default=())


class Readable(Protocol):
    """Who reads an answer: a conversation, or `handlers.reporting.Reader` outside one."""

    @property
    def content(self) -> Content: ...

    @property
    def language(self) -> str: ...

    def t(self, key: str, /, **args: Any) -> str: ...


def plain(number: float) -> int | float:
    return int(number) if float(number).is_integer() else number


def option_label(reader: Readable, field: FormField, option: str) -> str:
    if field.options_from == "regions":
        return reader.content.region_name(reader.language, option)
    return next(item.label.get(reader.language) for item in field.options if item.id == option)


class FieldKind:
    """The defaults: no answer buttons, a typed answer refused, the value shown as text."""

    code: str | None = None  # the action its answer buttons carry ("f:c:FIELD:VALUE")
    takes_text = False  # a typed message is its answer, so a typed number is not a button number
    repeats_answer = False  # the question shows the answer given so far
    gathers = False  # several answers, then "Done" (a list to tick, files)
    has_skip_button = True  # an optional field gets a Skip button beside "Back"

    def buttons(self, ctx: Context, field: FormField, answer: Any) -> list[list[Button]]:
        return []

    def press(self, field: FormField, value: str, answer: Any, facts: Facts) -> Answer:
        raise StaleAction(value)

    def parse(self, field: FormField, text: str, facts: Facts) -> Any:
        raise Refused("form-choice-unknown")

    async def receive(self, ctx: Context, field: FormField, answer: Any, facts: Facts) -> Answer:
        """An incoming message as the answer: typed text, parsed."""
        incoming = ctx.incoming
        if incoming.kind is not IncomingKind.TEXT or not (incoming.text or "").strip():
            raise Refused(f"form-need-{field.type}")
        return Answer(self.parse(field, (incoming.text or "").strip(), facts))

    def done(self, field: FormField, answer: Any) -> Answer:
        if not self.gathers:
            raise StaleAction(field.id)
        if not answer and not field.optional:
            raise Refused("form-need-one")
        return Answer(answer or [])

    def show(self, reader: Readable, field: FormField, value: Any, limit: int | None = None) -> str:
        text = str(value)
        return text if limit is None or len(text) <= limit else text[:limit] + "…"


class TextKind(FieldKind):
    takes_text = True
    repeats_answer = True

    def parse(self, field: FormField, text: str, facts: Facts) -> Any:
        if len(text) < field.min_length:
            raise Refused("form-text-too-short", minimum=field.min_length)
        if len(text) > field.max_length:
            raise Refused("form-text-too-long", maximum=field.max_length, length=len(text))
        return text


class NumberKind(FieldKind):
    takes_text = True
    repeats_answer = True

    def parse(self, field: FormField, text: str, facts: Facts) -> Any:
        try:
            number = float(text.replace(",", ".").replace(" ", ""))
        except ValueError:
            raise Refused("form-need-number") from None
        if (field.minimum is not None and number < field.minimum) or (field.maximum is not None and number > field.maximum):
            raise Refused("form-number-range", minimum=plain(field.minimum or 0), maximum=plain(field.maximum or 0))
        return plain(number)


class DateKind(FieldKind):
    code = "f:d"  # Today (0) and Yesterday (1)
    repeats_answer = True

    def buttons(self, ctx: Context, field: FormField, answer: Any) -> list[list[Button]]:
        return [[button(ctx, "form-today", self.code, field.id, "0"), button(ctx, "form-yesterday", self.code, field.id, "1")]]

    def press(self, field: FormField, value: str, answer: Any, facts: Facts) -> Answer:
        if value not in ("0", "1"):
            raise StaleAction(value)
        return Answer((facts.today - timedelta(days=int(value))).isoformat())

    def parse(self, field: FormField, text: str, facts: Facts) -> Any:
        day = parse_date(text)
        if day is None or day.year < OLDEST_YEAR:
            raise Refused("form-need-date")
        if field.not_future and day > facts.today:
            raise Refused("form-date-future")
        return day.isoformat()

    def show(self, reader: Readable, field: FormField, value: Any, limit: int | None = None) -> str:
        return date.fromisoformat(value).strftime("%d.%m.%Y")


class ChoiceKind(FieldKind):
    code = "f:c"

    def buttons(self, ctx: Context, field: FormField, answer: Any) -> list[list[Button]]:
        return [
            [Button(option_label(ctx, field, option), encode(self.code, field.id, option))]
            for option in field.option_ids(ctx.content.regions)
        ]

    def press(self, field: FormField, value: str, answer: Any, facts: Facts) -> Answer:
        if value not in field.option_ids(facts.regions):
            raise StaleAction(value)
        return Answer(value)

    def parse(self, field: FormField, text: str, facts: Facts) -> Any:
        """A typed option number, where the buttons' numbers were not read (after a restart)."""
        options = field.option_ids(facts.regions)
        if text.isdecimal() and 1 <= int(text) <= len(options):
            return options[int(text) - 1]
        raise Refused("form-choice-unknown")

    def show(self, reader: Readable, field: FormField, value: Any, limit: int | None = None) -> str:
        return option_label(reader, field, str(value))


class MultiKind(ChoiceKind):
    code = "f:m"
    gathers = True

    def buttons(self, ctx: Context, field: FormField, answer: Any) -> list[list[Button]]:
        chosen = set(answer or [])
        rows = [
            [Button(marked(option_label(ctx, field, option), option in chosen), encode(self.code, field.id, option))]
            for option in field.option_ids(ctx.content.regions)
        ]
        rows.append([button(ctx, "form-done", "f:done", field.id)])
        return rows

    def press(self, field: FormField, value: str, answer: Any, facts: Facts) -> Answer:
        if value not in field.option_ids(facts.regions):
            raise StaleAction(value)
        chosen = set(answer or []) ^ {value}
        if len(chosen) > field.max_items:
            raise Refused("form-too-many", limit=field.max_items)
        return Answer(sorted(chosen), final=False)

    def parse(self, field: FormField, text: str, facts: Facts) -> Any:
        return [super().parse(field, text, facts)]

    def show(self, reader: Readable, field: FormField, value: Any, limit: int | None = None) -> str:
        return ", ".join(option_label(reader, field, option) for option in value)


class YesNoKind(FieldKind):
    code = "f:y"

    def buttons(self, ctx: Context, field: FormField, answer: Any) -> list[list[Button]]:
        return [[button(ctx, "button-yes", self.code, field.id, "yes"), button(ctx, "button-no", self.code, field.id, "no")]]

    def press(self, field: FormField, value: str, answer: Any, facts: Facts) -> Answer:
        if value not in ("yes", "no"):
            raise StaleAction(value)
        return Answer(value)

    def parse(self, field: FormField, text: str, facts: Facts) -> Any:
        if text in ("1", "2"):
            return "yes" if text == "1" else "no"
        raise Refused("form-choice-unknown")

    def show(self, reader: Readable, field: FormField, value: Any, limit: int | None = None) -> str:
        return reader.t("button-yes" if value == "yes" else "button-no")


class LocationKind(FieldKind):
    async def receive(self, ctx: Context, field: FormField, answer: Any, facts: Facts) -> Answer:
        place = ctx.incoming.location
        if ctx.incoming.kind is not IncomingKind.LOCATION or place is None:
            raise Refused("form-need-location")
        return Answer([place.latitude, place.longitude])

    def show(self, reader: Readable, field: FormField, value: Any, limit: int | None = None) -> str:
        return f"📍 {value[0]:.4f}, {value[1]:.4f}"


class MediaKind(FieldKind):
    gathers = True
    has_skip_button = False  # its own button row offers Skip until a file is sent, then Done

    def buttons(self, ctx: Context, field: FormField, answer: Any) -> list[list[Button]]:
        if answer:
            return [[button(ctx, "form-done", "f:done", field.id)]]
        if field.optional:  # nothing sent yet: the Skip its question promises
            return [[button(ctx, "button-skip", "f:skip", field.id)]]
        return []

    async def receive(self, ctx: Context, field: FormField, answer: Any, facts: Facts) -> Answer:
        """A file, downloaded, checked and stored encrypted; the question is asked again for more."""
        incoming, files = ctx.incoming, list(answer or [])
        or_skip = "-or-skip" if not files and field.optional else ""  # the button shown is Skip, not Done
        if incoming.kind is not IncomingKind.MEDIA or incoming.media is None:
            raise Refused(f"form-need-media{or_skip}")
        limit = int(field.max_megabytes * 1024 * 1024)
        if len(files) >= field.max_items:
            raise Refused("form-too-many", limit=field.max_items)
        if incoming.media.size is not None and incoming.media.size > limit:
            raise Refused("form-file-too-big", megabytes=plain(field.max_megabytes))
        if ctx.download is None:
            raise Refused(f"form-no-files-here{or_skip}")
        try:
            content = await ctx.download(incoming.media)
        except Exception:  # the channel's download failed: she may simply send it again
            logger.warning("evidence download failed", exc_info=True)
            raise Refused("form-file-failed") from None
        if len(content) > limit:
            raise Refused("form-file-too-big", megabytes=plain(field.max_megabytes))
        stored = evidence.store(ctx.cipher, ctx.settings.data_dir, content)
        files.append({"path": stored.path, "sha256": stored.sha256, "size": stored.size,
                      "kind": incoming.media.kind, "mime": incoming.media.mime_type})
        ctx.reply(ctx.t("form-file-received", count=len(files), limit=field.max_items))
        return Answer(files, final=False)

    def show(self, reader: Readable, field: FormField, value: Any, limit: int | None = None) -> str:
        return reader.t("form-files", count=len(value))


KINDS: dict[str, FieldKind] = {
    "text": TextKind(),
    "number": NumberKind(),
    "date": DateKind(),
    "choice": ChoiceKind(),
    "multi": MultiKind(),
    "yesno": YesNoKind(),
    "location": LocationKind(),
    "media": MediaKind(),
}


def kind_of(field: FormField) -> FieldKind:
    return KINDS[field.type]


def parse_date(text: str) -> date | None:
    text = text.strip()
    for pattern, order in ((r"(\d{1,2})[./\-](\d{1,2})[./\-](\d{4})", "dmy"), (r"(\d{4})-(\d{1,2})-(\d{1,2})", "ymd")):
        match = re.fullmatch(pattern, text)
        if match:
            first, second, third = (int(part) for part in match.groups())
            day, month, year = (first, second, third) if order == "dmy" else (third, second, first)
            try:
                return date(year, month, day)
            except ValueError:
                return None
    return None


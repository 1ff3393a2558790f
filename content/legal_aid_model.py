"""The legal-aid directory's typed shape (`content/legal_aid.yaml`) and its checks: every entry
has a source and a checked date, phones are valid numbers, regions and topics exist."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal

import yaml

from content import yaml_files
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator, model_validator

from content.lessons_model import Localized, _closest_line, _line_index, _place
from content.locales import LANGUAGES, Problem

INTERNATIONAL = re.compile(r"\+\d[\d ]{7,18}")
NATIONAL_SHORT = re.compile(r"1\d{2}")  # the country's three-digit service numbers: 102, 112, 114...
CHECKED = re.compile(r"20\d{2}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?")

Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]{1,24}$")]


def valid_phone(value: str) -> bool:
    digits = re.sub(r"\D", "", value)
    if NATIONAL_SHORT.fullmatch(value):
        return True
    return bool(INTERNATIONAL.fullmatch(value)) and 10 <= len(digits) <= 15 and (
        not digits.startswith("996") or len(digits) == 12
    )


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EmergencyNumber(Strict):
    number: str
    label: Localized

    @field_validator("number")
    @classmethod
    def _phone(cls, value: str) -> str:
        if not valid_phone(value):
            raise ValueError(f"'{value}' is not a valid phone number")
        return value


class Emergency(Strict):
    source: Annotated[str, StringConstraints(min_length=3)]
    checked: str
    numbers: list[EmergencyNumber] = Field(min_length=1)


class Topic(Strict):
    id: Identifier
    keywords: dict[Literal["ky", "ru", "en"], list[str]]

    @field_validator("keywords")
    @classmethod
    def _every_language(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        missing = [language for language in LANGUAGES if not value.get(language)]
        if missing:
            raise ValueError(f"keywords missing in {', '.join(missing)}")
        return {language: [word.casefold() for word in words] for language, words in value.items()}


class Entry(Strict):
    id: Identifier
    name: Localized
    about: Localized
    phones: list[str] = Field(default_factory=list)
    email: str | None = None
    website: str | None = None
    address: Localized | None = None
    hours: Localized | None = None
    languages: list[Literal["ky", "ru", "en", "uz"]] = Field(default_factory=list)
    latitude: float | None = Field(default=None, ge=39.0, le=43.5)
    longitude: float | None = Field(default=None, ge=69.0, le=81.0)
    regions: Literal["all"] | list[str]
    topics: list[str] = Field(min_length=1)
    source: Annotated[str, StringConstraints(min_length=3)]
    checked: str

    @field_validator("phones")
    @classmethod
    def _phones(cls, phones: list[str]) -> list[str]:
        for phone in phones:
            if not valid_phone(phone):
                raise ValueError(f"'{phone}' is not a valid international number such as +996 312 123 456")
        return phones

    @field_validator("checked")
    @classmethod
    def _checked(cls, value: str) -> str:
        if not CHECKED.fullmatch(value):
            raise ValueError("checked must be a date such as 2026-11 or 2026-11-23")
        return value

    @field_validator("website")
    @classmethod
    def _website(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"https?://[^\s]+\.[^\s]+", value):
            raise ValueError("website must start with https://")
        return value

    @model_validator(mode="after")
    def _reachable(self) -> Entry:
        if not (self.phones or self.email or self.website or self.address):
            raise ValueError("an entry needs a phone, an email, a website or an address")
        if (self.latitude is None) != (self.longitude is None):
            raise ValueError("give both latitude and longitude, or neither")
        return self

    def serves(self, region: str | None) -> bool:
        return self.regions == "all" or region is None or region in self.regions


class Directory(Strict):
    emergency: Emergency
    topics: list[Topic] = Field(min_length=1)
    entries: list[Entry] = Field(default_factory=list)

    def topic_ids(self) -> list[str]:
        return [topic.id for topic in self.topics]


def check_entry(entry: Entry, regions: tuple[str, ...], topics: list[str]) -> list[str]:
    """What is wrong with an entry beyond its shape: regions and topics that do not exist."""
    problems = []
    if entry.regions != "all":
        problems += [f"region '{code}' does not exist" for code in entry.regions if code not in regions]
    problems += [f"topic '{topic}' does not exist" for topic in entry.topics if topic not in topics]
    return problems


def load_directory(path: Path, regions: tuple[str, ...], problems: list[Problem]) -> Directory | None:
    try:
        source = path.read_text(encoding="utf-8")
        data = yaml_files.load(source)
        directory = Directory.model_validate(data)
    except OSError as error:
        problems.append(Problem(str(path), f"cannot read: {error}"))
        return None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problems.append(Problem(f"{path}:{mark.line + 1 if mark else 0}", "not valid YAML"))
        return None
    except ValidationError as error:
        lines = _line_index(source)
        for issue in error.errors():
            problems.append(
                Problem(f"{path}:{_closest_line(lines, issue['loc'])}", f"{_place(issue['loc'])}: {issue['msg']}")
            )
        return None
    lines = _line_index(source)
    seen: set[str] = set()
    for index, entry in enumerate(directory.entries):
        where = f"{path}:{lines.get(('entries', index), 0)}"
        if entry.id in seen:
            problems.append(Problem(where, f"entries[{index}]: id '{entry.id}' is used twice"))
        seen.add(entry.id)
        for message in check_entry(entry, regions, directory.topic_ids()):
            problems.append(Problem(where, f"entries[{index}] ({entry.id}): {message}"))
    return directory

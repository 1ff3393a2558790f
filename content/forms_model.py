"""Guided dialogs as data: the typed shape of `content/forms/*.yaml`.

A form is a list of fields; each has a type, a question, validation and an optional `when:`
condition on earlier answers. Changing a form is editing its file: new fields are new data, and
a report keeps the version of the form it was filed with.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import yaml

from content import yaml_files
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

from content.lessons_model import Localized, _closest_line, _line_index, _place
from content.locales import Problem

FieldType = Literal["choice", "multi", "text", "number", "date", "location", "media", "yesno"]
Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]{1,20}$")]
LABEL_LIMIT = 60


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(Strict):
    id: Identifier
    label: Localized
    topics: list[str] = Field(default_factory=list)  # legal-aid directory topics that match


class FormField(Strict):
    id: Identifier
    type: FieldType
    label: Localized  # short, for the summary
    question: Localized
    hint: Localized | None = None
    optional: bool = False
    when: dict[str, str | list[str]] | None = None  # earlier field id -> value(s) that show this one
    options: list[Option] = Field(default_factory=list)
    options_from: Literal["regions"] | None = None
    min_length: int = 1
    max_length: int = 1000
    minimum: float | None = None
    maximum: float | None = None
    not_future: bool = True
    max_items: int = 5  # media and multi
    max_megabytes: float = 20
    stop_when_no: Localized | None = None  # yesno: "no" pauses the dialog with this message
    must_be_yes: Localized | None = None  # yesno: "no" cannot be sent; this message says why

    @model_validator(mode="after")
    def _consistent(self) -> FormField:
        if self.type in ("choice", "multi") and not (self.options or self.options_from):
            raise ValueError(f"a {self.type} field needs options or options_from")
        if self.type not in ("choice", "multi") and (self.options or self.options_from):
            raise ValueError(f"a {self.type} field takes no options")
        if self.type != "yesno" and (self.stop_when_no or self.must_be_yes):
            raise ValueError("stop_when_no and must_be_yes are for yesno fields")
        if len({option.id for option in self.options}) != len(self.options):
            raise ValueError("option ids must be unique")
        if self.min_length > self.max_length:
            raise ValueError("min_length is over max_length")
        return self

    def option(self, option_id: str) -> Option | None:
        return next((option for option in self.options if option.id == option_id), None)

    def option_ids(self, regions: tuple[str, ...]) -> list[str]:
        return list(regions) if self.options_from == "regions" else [option.id for option in self.options]

    def shown(self, answers: dict[str, Any]) -> bool:
        if not self.when:
            return True
        for field_id, expected in self.when.items():
            value = answers.get(field_id)
            wanted = expected if isinstance(expected, list) else [expected]
            given = value if isinstance(value, list) else [value]
            if not any(str(item) in wanted for item in given if item is not None):
                return False
        return True


class Form(Strict):
    id: Identifier
    version: int = Field(ge=1)
    kind: Literal["incident", "monitoring"]
    title: Localized
    intro: Localized
    fields: list[FormField] = Field(min_length=1)
    # Which answers are kept in plain columns, so reports can be counted without decrypting.
    category_field: str | None = None
    region_field: str | None = None
    date_field: str | None = None
    legal_aid_field: str | None = None  # yes: the matching directory contacts at the end
    contact_field: str | None = None  # the answer "anonymous" means no user id is kept
    consent_field: str | None = None

    @model_validator(mode="after")
    def _references(self) -> Form:
        ids = [field.id for field in self.fields]
        if len(set(ids)) != len(ids):
            raise ValueError("field ids must be unique")
        for field_name in (
            "category_field", "region_field", "date_field", "legal_aid_field", "contact_field", "consent_field"
        ):
            target = getattr(self, field_name)
            if target is not None and target not in ids:
                raise ValueError(f"{field_name} names '{target}', which is not a field")
        for position, field in enumerate(self.fields):
            for earlier in (field.when or {}):
                if earlier not in ids[:position]:
                    raise ValueError(f"field '{field.id}': when: names '{earlier}', which is not an earlier field")
        return self

    def field(self, field_id: str) -> FormField | None:
        return next((field for field in self.fields if field.id == field_id), None)


def load_forms(folder: Path, problems: list[Problem]) -> dict[str, Form]:
    forms: dict[str, Form] = {}
    for path in sorted(folder.glob("*.yaml")):
        source = path.read_text(encoding="utf-8")
        try:
            form = Form.model_validate(yaml_files.load(source))
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            problems.append(Problem(f"{path}:{mark.line + 1 if mark else 0}", "not valid YAML"))
            continue
        except ValidationError as error:
            lines = _line_index(source)
            for issue in error.errors():
                problems.append(
                    Problem(f"{path}:{_closest_line(lines, issue['loc'])}", f"{_place(issue['loc'])}: {issue['msg']}")
                )
            continue
        if form.id in forms:
            problems.append(Problem(str(path), f"form id '{form.id}' is used by another file"))
            continue
        forms[form.id] = form
    return forms

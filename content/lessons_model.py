"""Courses, lessons, cards and quizzes: the typed shape of `content/lessons/*.yaml`.

A course file is data: an admin adds a course by adding a file. Everything is validated at start
and by `python -m bot check-content`; a problem is reported with the file, the line and the
place in the file (such as `lessons[2].cards[1].ru`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import yaml

from content import yaml_files
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator, model_validator

from content.locales import LANGUAGES, Problem

CARD_LIMIT = 700  # characters: one phone screen
QUESTION_LIMIT = 300  # a quiz question is sent as a message with its options as buttons
OPTION_LIMIT = 60  # an option is a button label
EXPLANATION_LIMIT = 500
MENU_LINKS = ("legal", "lessons", "report", "monitor")

Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]{1,12}$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Localized(Strict):
    ky: str
    ru: str
    en: str

    @field_validator("ky", "ru", "en")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("empty text")
        return value.strip()

    def get(self, language: str) -> str:
        return getattr(self, language)


def _limited(limit: int):  # type: ignore[no-untyped-def]
    def check(value: Localized) -> Localized:
        for language in LANGUAGES:
            length = len(value.get(language))
            if length > limit:
                raise ValueError(f"{language} text is {length} characters, over the limit of {limit}")
        return value

    return check


class Option(Strict):
    text: Localized
    correct: bool = False

    _short = field_validator("text")(_limited(OPTION_LIMIT))


class Question(Strict):
    question: Localized
    options: list[Option] = Field(min_length=2, max_length=4)
    explanation: Localized

    _short_question = field_validator("question")(_limited(QUESTION_LIMIT))
    _short_explanation = field_validator("explanation")(_limited(EXPLANATION_LIMIT))

    @model_validator(mode="after")
    def _exactly_one_right_answer(self) -> Question:
        right = sum(option.correct for option in self.options)
        if right != 1:
            raise ValueError(f"a question needs exactly one right answer, this one has {right}")
        return self

    @property
    def right_index(self) -> int:
        return next(index for index, option in enumerate(self.options) if option.correct)


class Link(Strict):
    """A button at the end of a lesson: another lesson, a directory entry, or a menu section."""

    lesson: str | None = None  # "course/lesson", or "lesson" in the same course
    directory: str | None = None  # an entry id of the legal-aid directory
    menu: str | None = None
    label: Localized

    @model_validator(mode="after")
    def _one_target(self) -> Link:
        targets = [target for target in (self.lesson, self.directory, self.menu) if target]
        if len(targets) != 1:
            raise ValueError("a link needs exactly one of lesson, directory or menu")
        if self.menu and self.menu not in MENU_LINKS:
            raise ValueError(f"menu must be one of {', '.join(MENU_LINKS)}")
        return self


class Lesson(Strict):
    id: Identifier
    title: Localized
    sources: list[Annotated[str, StringConstraints(min_length=3)]] = Field(min_length=1)
    cards: list[Annotated[Localized, AfterValidator(_limited(CARD_LIMIT))]] = Field(min_length=1, max_length=8)
    quiz: list[Question] = Field(min_length=2, max_length=4)
    links: list[Link] = Field(default_factory=list, max_length=3)

    _short_title = field_validator("title")(_limited(OPTION_LIMIT))


class Course(Strict):
    id: Identifier
    order: int = 100
    title: Localized
    description: Localized
    lessons: list[Lesson] = Field(min_length=1)

    _short_title = field_validator("title")(_limited(OPTION_LIMIT))

    @model_validator(mode="after")
    def _unique_lessons(self) -> Course:
        seen: set[str] = set()
        for lesson in self.lessons:
            if lesson.id in seen:
                raise ValueError(f"lesson id '{lesson.id}' is used twice")
            seen.add(lesson.id)
        return self

    def lesson(self, lesson_id: str) -> Lesson | None:
        return next((lesson for lesson in self.lessons if lesson.id == lesson_id), None)


def load_courses(folder: Path, directory_ids: set[str] | None, problems: list[Problem]) -> dict[str, Course]:
    """Every course in `folder`, in their order; problems are appended, not raised.

    `directory_ids` are the legal-aid entries lessons may link to (None: no directory yet, so
    any directory link is a problem).
    """
    courses: dict[str, Course] = {}
    for path in sorted(folder.glob("*.yaml")):
        source = path.read_text(encoding="utf-8")
        try:
            data = yaml_files.load(source)
            course = Course.model_validate(data)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = mark.line + 1 if mark else 0
            problems.append(Problem(f"{path}:{line}", f"not valid YAML: {getattr(error, 'problem', error)}"))
            continue
        except ValidationError as error:
            lines = _line_index(source)
            for issue in error.errors():
                place = _place(issue["loc"])
                line = _closest_line(lines, issue["loc"])
                problems.append(Problem(f"{path}:{line}", f"{place}: {issue['msg']}"))
            continue
        if course.id in courses:
            problems.append(Problem(str(path), f"course id '{course.id}' is used by another file"))
            continue
        courses[course.id] = course
    _check_links(courses, directory_ids, folder, problems)
    return dict(sorted(courses.items(), key=lambda item: (item[1].order, item[0])))


def _check_links(
    courses: dict[str, Course], directory_ids: set[str] | None, folder: Path, problems: list[Problem]
) -> None:
    for course in courses.values():
        for index, lesson in enumerate(course.lessons):
            for link_index, link in enumerate(lesson.links):
                place = f"{folder / course.id}.yaml: lessons[{index}] ({lesson.id}).links[{link_index}]"
                if link.lesson:
                    course_id, _, lesson_id = link.lesson.rpartition("/")
                    target = courses.get(course_id or course.id)
                    if target is None or target.lesson(lesson_id) is None:
                        problems.append(Problem(place, f"links to lesson '{link.lesson}', which does not exist"))
                if link.directory and (directory_ids is None or link.directory not in directory_ids):
                    problems.append(
                        Problem(place, f"links to directory entry '{link.directory}', which does not exist")
                    )


def _place(location: tuple[int | str, ...]) -> str:
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _line_index(source: str) -> dict[tuple[int | str, ...], int]:
    """Map each place in a YAML document to the line it starts on."""
    index: dict[tuple[int | str, ...], int] = {}

    def walk(node: yaml.Node, path: tuple[int | str, ...]) -> None:
        index[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                walk(value, (*path, key.value))
                index[(*path, key.value)] = key.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode):
            for position, item in enumerate(node.value):
                walk(item, (*path, position))

    try:
        root = yaml_files.compose(source)
    except yaml.YAMLError:
        return index
    if root is not None:
        walk(root, ())
    return index


def _closest_line(lines: dict[tuple[int | str, ...], int], location: tuple[int | str, ...]) -> int:
    path = tuple(part for part in location if not (isinstance(part, str) and re.fullmatch(r"function-.*|value_error", part)))
    while path and path not in lines:
        path = path[:-1]
    return lines.get(path, 1)

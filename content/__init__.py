"""Content: data, not code. Loaded and validated once at start; `python -m bot check-content`
runs the same validation in CI, so a broken file fails with its name and line, never in front of
a person."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from content.forms_model import Form, load_forms
from content.legal_aid_model import Directory, load_directory
from content.lessons_model import Course, load_courses
from content.locales import LANGUAGES, Catalog, Problem

CONTENT_DIR = Path(__file__).resolve().parent
SEED_REFERENCE = re.compile(r"seed (\d{3}_[0-9a-f]{16}\.txt)")
FACT_SHEET_REFERENCE = re.compile(r"FACTS\.md(?:,[^:;)]*)?(?:: |(?=[;)]))")


EMPTY_DIRECTORY = Directory.model_construct(emergency=None, topics=[], entries=[])


class ContentError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


@dataclass(frozen=True)
class Content:
    catalog: Catalog
    regions: tuple[str, ...]
    courses: dict[str, Course]
    seed_titles: dict[str, str]
    directory: Directory
    forms: dict[str, Form]

    def region_name(self, language: str, code: str) -> str:
        return self.catalog.text(language, f"region-{code}")

    def readable_source(self, source: str) -> str:
        """A source as a person reads it: a seed's title instead of its file name, and no
        reference to our fact sheet."""
        source = SEED_REFERENCE.sub(lambda match: self.seed_titles.get(match.group(1), match.group(0)), source)
        return FACT_SHEET_REFERENCE.sub("", source)


def check_content(directory: Path = CONTENT_DIR) -> list[Problem]:
    _, problems = _load(directory)
    return problems


def load_content(directory: Path = CONTENT_DIR) -> Content:
    content, problems = _load(directory)
    if problems:
        raise ContentError(problems)
    return content


def _load(directory: Path) -> tuple[Content, list[Problem]]:
    catalog = Catalog(directory / "locales")
    problems = list(catalog.problems)
    regions = _load_regions(directory / "regions.yaml", problems)
    for code in regions:
        for language in LANGUAGES:
            if not catalog.has(language, f"region-{code}"):
                problems.append(
                    Problem(str(directory / "regions.yaml"), f"region '{code}' has no name in {language}")
                )
    seed_titles = _load_seed_titles(directory / "sources.yaml", problems)
    legal_aid = load_directory(directory / "legal_aid.yaml", regions, problems)
    entry_ids = {entry.id for entry in legal_aid.entries} if legal_aid else None
    courses = load_courses(directory / "lessons", entry_ids, problems)
    for course in courses.values():
        for lesson in course.lessons:
            for source in lesson.sources:
                for name in SEED_REFERENCE.findall(source):
                    if name not in seed_titles:
                        problems.append(
                            Problem(
                                str(directory / "lessons" / f"{course.id}.yaml"),
                                f"lesson '{lesson.id}' names seed '{name}', which sources.yaml does not know",
                            )
                        )
    if legal_aid is not None:
        for topic in legal_aid.topic_ids():
            for language in LANGUAGES:
                if not catalog.has(language, f"topic-{topic}"):
                    problems.append(
                        Problem(str(directory / "legal_aid.yaml"), f"topic '{topic}' has no name in {language}")
                    )
    content = Content(
        catalog=catalog,
        regions=regions,
        courses=courses,
        seed_titles=seed_titles,
        directory=legal_aid or EMPTY_DIRECTORY,
        forms=load_forms(directory / "forms", problems),
    )
    topic_ids = set(content.directory.topic_ids()) if legal_aid else set()
    for form in content.forms.values():
        for field in form.fields:
            for option in field.options:
                for topic in option.topics:
                    if topic not in topic_ids:
                        problems.append(
                            Problem(
                                str(directory / "forms" / f"{form.id}.yaml"),
                                f"{field.id}.{option.id}: topic '{topic}' is not a legal-aid topic",
                            )
                        )
    return content, problems


def _load_seed_titles(path: Path, problems: list[Problem]) -> dict[str, str]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        problems.append(Problem(str(path), f"cannot read: {error}"))
        return {}
    seeds = data.get("seeds") if isinstance(data, dict) else None
    if not isinstance(seeds, dict):
        problems.append(Problem(str(path), "'seeds' must map file names to titles"))
        return {}
    return {str(name): str(title) for name, title in seeds.items()}


def _load_regions(path: Path, problems: list[Problem]) -> tuple[str, ...]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        problems.append(Problem(str(path), f"cannot read: {error}"))
        return ()
    regions = data.get("regions") if isinstance(data, dict) else None
    if not isinstance(regions, list) or not all(isinstance(code, str) for code in regions):
        problems.append(Problem(str(path), "'regions' must be a list of codes"))
        return ()
    return tuple(regions)

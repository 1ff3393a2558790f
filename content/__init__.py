"""Content: data, not code. Loaded and validated once at start; `python -m bot check-content`
runs the same validation in CI, so a broken file fails with its name and line, never in front of
a person."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import yaml

from content import yaml_files

from content.checks import (
    Sources,
    check_directory_sources,
    check_form_diagrams,
    check_glossary,
    check_lesson_files,
    entry_source_parts,
    load_glossary,
    load_sources,
    readable_sources,
)
from content.forms_model import Form, load_forms
from content.legal_aid_model import Directory, load_directory
from content.lessons_model import Course, load_courses
from content.locales import LANGUAGES, Catalog, Problem

CONTENT_DIR = Path(__file__).resolve().parent
SOURCES_SHOWN = 400  # characters of sources under a finished lesson


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
    sources: Sources
    directory: Directory
    forms: dict[str, Form]

    def region_name(self, language: str, code: str) -> str:
        return self.catalog.text(language, f"region-{code}")

    def readable_sources(self, references: list[str]) -> str:
        """A lesson's sources as a person reads them: short titles, a link only where it is
        short, under SOURCES_SHOWN characters."""
        return readable_sources(self.sources, references, SOURCES_SHOWN)

    def readable_source(self, source: str) -> str:
        """A directory entry's source ("<id>; <id>: note", or what an admin typed)."""
        return readable_sources(self.sources, entry_source_parts(source), SOURCES_SHOWN)


def check_content(directory: Path = CONTENT_DIR) -> list[Problem]:
    content, problems = _load(directory)
    _check_texts(directory, content.sources, problems)
    # Documentation, not what the bot reads: checked here, never a reason not to start.
    check_form_diagrams(directory / "forms", content.forms, problems)
    return problems


def load_content(directory: Path = CONTENT_DIR, passed: Path | None = None) -> Content:
    """The content, refused with every problem found. `passed`: a file that keeps the digest of
    the content files (this package's code included) that last passed every check. When they
    are the same files again, the checks that only read the texts (the glossary's terms, the
    lessons' sources: a third of a start's loading) are not run again; the content is still
    loaded and its structure checked as always."""
    content, problems = _load(directory)
    digest = content_digest(directory) if passed is not None else None
    checked_before = digest is not None and _read(passed) == digest
    if not checked_before:
        _check_texts(directory, content.sources, problems)
    if problems:
        raise ContentError(problems)
    if passed is not None and digest is not None and not checked_before:
        passed.write_text(digest, encoding="utf-8")
    return content


def content_digest(directory: Path = CONTENT_DIR) -> str:
    """SHA-256 over every file of the content folder, by name and bytes (compiled caches left out)."""
    digest = hashlib.sha256()
    for path in sorted(path for path in directory.rglob("*") if path.is_file() and "__pycache__" not in path.parts):
        digest.update(str(path.relative_to(directory)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _read(path: Path | None) -> str | None:
    try:
        return path.read_text(encoding="utf-8") if path is not None else None
    except OSError:
        return None


def _check_texts(directory: Path, sources: Sources, problems: list[Problem]) -> None:
    """What reads the texts without loading anything: the lessons' files and sources, and the
    glossary's forbidden variants everywhere."""
    check_lesson_files(directory / "lessons", sources, problems)
    check_glossary(directory, load_glossary(directory / "glossary.yaml", problems), problems)


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
    sources = load_sources(directory / "sources.yaml", problems)
    legal_aid = load_directory(directory / "legal_aid.yaml", regions, problems)
    check_directory_sources(directory / "legal_aid.yaml", sources, problems)
    entry_ids = {entry.id for entry in legal_aid.entries} if legal_aid else None
    courses = load_courses(directory / "lessons", entry_ids, problems)
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
        sources=sources,
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


def _load_regions(path: Path, problems: list[Problem]) -> tuple[str, ...]:
    try:
        data = yaml_files.load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        problems.append(Problem(str(path), f"cannot read: {error}"))
        return ()
    regions = data.get("regions") if isinstance(data, dict) else None
    if not isinstance(regions, list) or not all(isinstance(code, str) for code in regions):
        problems.append(Problem(str(path), "'regions' must be a list of codes"))
        return ()
    return tuple(regions)

"""Checks that read the content files as text, so that every problem has a file and a line:
the sources a lesson or directory entry names, figures that one language of a text has and
another lacks, and the glossary's forbidden variants of key terms.

Sources are defined once in `sources.yaml`:

    seeds:                      # ../shared/seeds/ file name -> title
      003_752f3af1b5a9a378.txt: "..."
    sources:                    # short id -> what people see
      unscr1325: {title: "UN Security Council resolution 1325 (2000)", url: "https://...", seen: "2026-11"}

A lesson's `sources:` item (and each `;`-separated part of a directory entry's `source`) is
`"<id>"` or `"<id>: what it supports"`, where <id> is a key of `sources:` or `seed <file name>`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from content import yaml_files

from content.form_diagram import COMMAND, diagrams
from content.forms_model import Form
from content.lessons_model import _line_index, _place
from content.locales import LANGUAGES, Problem

SOURCE_ID = re.compile(r"^[a-z0-9_]{1,40}$")
SEEN = re.compile(r"^20\d{2}-(0[1-9]|1[0-2])$")
SOURCE_REFERENCE = re.compile(r"^\s*(?:seed (?P<seed>\S+)|(?P<id>[a-z0-9_]+))\s*(?::\s*(?P<note>.+))?$", re.S)
# A figure: a number followed by "%", or a year 19xx/20xx standing alone.
PERCENT = re.compile(r"(?<![\d.,])(\d+(?:[.,]\d+)?)\s?%")
YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
SHORT_LINK = 32  # characters: a longer address is left out of what people see


@dataclass(frozen=True)
class Source:
    title: str
    url: str | None
    seen: str


@dataclass
class Sources:
    seeds: dict[str, str] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)

    def resolve(self, reference: str) -> tuple[str, str | None] | None:
        """The title and link of a source reference, or None when it names nothing defined."""
        match = SOURCE_REFERENCE.match(reference)
        if match is None:
            return None
        if match.group("seed"):
            title = self.seeds.get(match.group("seed"))
            return (title, None) if title else None
        source = self.sources.get(match.group("id") or "")
        return (source.title, source.url) if source else None

    def problem(self, reference: str) -> str | None:
        """What is wrong with a reference, or None."""
        match = SOURCE_REFERENCE.match(reference)
        if match is None:
            return f"source '{_short(reference)}' must be '<id>' or '<id>: what it supports' (an id of sources.yaml, or 'seed <file name>')"
        if match.group("seed"):
            if match.group("seed") not in self.seeds:
                return f"names seed '{match.group('seed')}', which sources.yaml does not know"
            return None
        if match.group("id") not in self.sources:
            return f"names source '{match.group('id')}', which sources.yaml does not define"
        return None


def load_sources(path: Path, problems: list[Problem]) -> Sources:
    try:
        source = path.read_text(encoding="utf-8")
        data = yaml_files.load(source)
    except (OSError, yaml.YAMLError) as error:
        problems.append(Problem(str(path), f"cannot read: {error}"))
        return Sources()
    lines = _line_index(source)
    result = Sources()
    seeds = data.get("seeds") if isinstance(data, dict) else None
    if not isinstance(seeds, dict):
        problems.append(Problem(str(path), "'seeds' must map file names to titles"))
    else:
        result.seeds = {str(name): str(title) for name, title in seeds.items()}
    defined = data.get("sources") if isinstance(data, dict) else None
    if not isinstance(defined, dict):
        problems.append(Problem(str(path), "'sources' must map short ids to {title, url, seen}"))
        return result
    for key, value in defined.items():
        where = f"{path}:{lines.get(('sources', key), 0)}"
        if not SOURCE_ID.match(str(key)):
            problems.append(Problem(where, f"source id '{key}' must be a-z, 0-9 and _"))
            continue
        if not isinstance(value, dict) or set(value) - {"title", "url", "seen"}:
            problems.append(Problem(where, f"source '{key}' must have title, seen and an optional url, nothing else"))
            continue
        title, url, seen = value.get("title"), value.get("url"), value.get("seen")
        if not isinstance(title, str) or not title.strip():
            problems.append(Problem(where, f"source '{key}' needs a title"))
            continue
        if url is not None and not (isinstance(url, str) and re.fullmatch(r"https?://\S+", url)):
            problems.append(Problem(where, f"source '{key}': url must start with https://"))
            continue
        if not isinstance(seen, str) or not SEEN.match(seen):
            problems.append(Problem(where, f"source '{key}': seen must be the month it was read, such as 2026-11"))
            continue
        result.sources[str(key)] = Source(title.strip(), url, seen)
    return result


def readable_sources(sources: Sources, references: list[str], limit: int = 400) -> str:
    """Sources as a person reads them: titles, with a link only where it is short, each once,
    and no more than `limit` characters (whole sources only)."""
    parts: list[str] = []
    for reference in references:
        resolved = sources.resolve(reference)
        if resolved is None:
            text = reference.strip()  # typed by an admin in the chat: shown as typed
        else:
            title, url = resolved
            link = re.sub(r"^https?://(www\.)?", "", url).rstrip("/") if url else ""
            text = f"{title} ({link})" if link and len(link) <= SHORT_LINK else title
        if text and text not in parts:
            parts.append(text)
    shown: list[str] = []
    for part in parts:
        if shown and len("; ".join([*shown, part])) > limit - 3:  # room for "; …"
            return "; ".join(shown) + "; …"
        shown.append(part)
    return "; ".join(shown)


def entry_source_parts(source: str) -> list[str]:
    return [part.strip() for part in source.split(";") if part.strip()]


# ---------------------------------------------------------------- lessons: sources and figures


def check_lesson_files(folder: Path, sources: Sources, problems: list[Problem]) -> None:
    """Every lesson names only defined sources, and every figure of a text is in all its languages."""
    for path in sorted(folder.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        try:
            data = yaml_files.load(text)
        except yaml.YAMLError:
            continue  # reported by the course loader
        if not isinstance(data, dict) or not isinstance(data.get("lessons"), list):
            continue
        lines = _line_index(text)
        for index, lesson in enumerate(data["lessons"]):
            if not isinstance(lesson, dict):
                continue
            name = lesson.get("id", index)
            for number, reference in enumerate(lesson.get("sources") or []):
                message = sources.problem(str(reference))
                if message:
                    line = lines.get(("lessons", index, "sources", number), 0)
                    problems.append(Problem(f"{path}:{line}", f"lesson '{name}' {message}"))
            for place, texts in _localized_texts(lesson):
                message = figures_problem(texts)
                if message:
                    line = lines.get(("lessons", index, *place), 0)
                    problems.append(Problem(f"{path}:{line}", f"lesson '{name}' {_place(place)}: {message}"))


def check_directory_sources(path: Path, sources: Sources, problems: list[Problem]) -> None:
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml_files.load(text)
    except (OSError, yaml.YAMLError):
        return  # reported by the directory loader
    if not isinstance(data, dict):
        return
    lines = _line_index(text)
    places: list[tuple[tuple[str | int, ...], object]] = []
    if isinstance(data.get("emergency"), dict):
        places.append((("emergency", "source"), data["emergency"].get("source")))
    for index, entry in enumerate(data.get("entries") or []):
        if isinstance(entry, dict):
            places.append((("entries", index, "source"), entry.get("source")))
    for place, source in places:
        for part in entry_source_parts(str(source or "")):
            message = sources.problem(part)
            if message:
                problems.append(Problem(f"{path}:{lines.get(place, 0)}", f"{_place(place)}: {message}"))


def figures(text: str) -> set[str]:
    found = {number.replace(",", ".") + "%" for number in PERCENT.findall(text)}
    return found | set(YEAR.findall(text))


def figures_problem(texts: dict[str, str]) -> str | None:
    every = {language: figures(text) for language, text in texts.items()}
    missing = []
    for language, found in every.items():
        for other, other_found in every.items():
            for figure in sorted(found - other_found):
                missing.append(f"{figure} ({language}) is missing in {other}")
    return "; ".join(missing) if missing else None


def _localized_texts(lesson: dict) -> Iterator[tuple[tuple[str | int, ...], dict[str, str]]]:
    def localized(value: object) -> dict[str, str] | None:
        if isinstance(value, dict) and all(isinstance(value.get(language), str) for language in LANGUAGES):
            return {language: value[language] for language in LANGUAGES}
        return None

    for number, card in enumerate(lesson.get("cards") or []):
        if texts := localized(card):
            yield ("cards", number), texts
    for number, question in enumerate(lesson.get("quiz") or []):
        if not isinstance(question, dict):
            continue
        for key in ("question", "explanation"):
            if texts := localized(question.get(key)):
                yield ("quiz", number, key), texts
        for option_number, option in enumerate(question.get("options") or []):
            if isinstance(option, dict) and (texts := localized(option.get("text"))):
                yield ("quiz", number, "options", option_number, "text"), texts


# ---------------------------------------------------------------- forms: their diagrams


def check_form_diagrams(folder: Path, forms: dict[str, Form], problems: list[Problem]) -> None:
    """Each form's Mermaid diagram (<id>.mmd beside it) is the one its YAML gives today."""
    expected = diagrams(folder, forms)
    for path, text in expected.items():
        try:
            committed = path.read_text(encoding="utf-8")
        except OSError:
            problems.append(Problem(str(path), f"missing: run {COMMAND}"))
            continue
        if committed != text:
            problems.append(Problem(str(path), f"out of date: run {COMMAND}"))
    for path in sorted(folder.glob("*.mmd")):
        if path not in expected and not path.with_suffix(".yaml").exists():
            problems.append(Problem(str(path), f"belongs to no form: delete it, or add {path.stem}.yaml"))


# ---------------------------------------------------------------- glossary


@dataclass(frozen=True)
class Forbidden:
    term: str
    language: str
    variant: str
    use: str
    pattern: re.Pattern[str]
    allowed: tuple[re.Pattern[str], ...]

    def find(self, text: str) -> Iterator[int]:
        for pattern in self.allowed:
            text = pattern.sub(lambda match: " " * len(match.group(0)), text)
        for match in self.pattern.finditer(text):
            yield match.start()


def load_glossary(path: Path, problems: list[Problem]) -> list[Forbidden]:
    try:
        source = path.read_text(encoding="utf-8")
        data = yaml_files.load(source)
    except (OSError, yaml.YAMLError) as error:
        problems.append(Problem(str(path), f"cannot read: {error}"))
        return []
    lines = _line_index(source)
    terms = data.get("terms") if isinstance(data, dict) else None
    if not isinstance(terms, list):
        problems.append(Problem(str(path), "'terms' must be a list"))
        return []
    rules: list[Forbidden] = []
    for index, term in enumerate(terms):
        where = f"{path}:{lines.get(('terms', index), 0)}"
        if not isinstance(term, dict) or not all(isinstance(term.get(language), str) for language in LANGUAGES):
            problems.append(Problem(where, f"terms[{index}] needs an id and its one term in ky, ru and en"))
            continue
        for language, variants in (term.get("forbidden") or {}).items():
            if language not in LANGUAGES or not isinstance(variants, list):
                problems.append(Problem(where, f"terms[{index}].forbidden: '{language}' must be ky, ru or en with a list"))
                continue
            for variant in variants:
                rule = _forbidden(str(term.get("id", index)), language, variant, str(term[language]))
                if rule is None:
                    problems.append(Problem(where, f"terms[{index}].forbidden.{language}: cannot read {variant!r}"))
                else:
                    rules.append(rule)
    return rules


def check_glossary(directory: Path, rules: list[Forbidden], problems: list[Problem]) -> None:
    """Forbidden variants in lessons, forms, the directory and the UI strings, with file and line."""
    if not rules:
        return
    for path in [*sorted((directory / "lessons").glob("*.yaml")), *sorted((directory / "forms").glob("*.yaml")), directory / "legal_aid.yaml"]:
        for language, text, line in _yaml_texts(path):
            _report(rules, language, text, line, path, problems)
    for language in LANGUAGES:
        for path in sorted((directory / "locales" / language).glob("*.ftl")):
            for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if not text.lstrip().startswith("#"):
                    _report(rules, language, text, number, path, problems, first_line_only=True)


def _report(
    rules: list[Forbidden], language: str, text: str, line: int, path: Path, problems: list[Problem],
    first_line_only: bool = False,
) -> None:
    for rule in rules:
        if rule.language != language:
            continue
        for offset in rule.find(text):
            at = line if first_line_only else line + text[:offset].count("\n")
            found = text[offset : offset + 40].split("\n")[0]
            problems.append(
                Problem(f"{path}:{at}", f"glossary ({rule.term}, {language}): «{found.strip()}…» uses «{rule.variant}»; write «{rule.use}»")
            )


def _forbidden(term: str, language: str, variant: object, default_use: str) -> Forbidden | None:
    if isinstance(variant, str):
        variant = {"text": variant}
    if not isinstance(variant, dict):
        return None
    flags = 0 if variant.get("case") else re.IGNORECASE
    try:
        if "regex" in variant:
            pattern = re.compile(str(variant["regex"]), flags)
            shown = str(variant.get("shown", variant["regex"]))
        elif "text" in variant:
            pattern = _words(str(variant["text"]), flags)
            shown = str(variant["text"])
        else:
            return None
        allowed = tuple(_words(str(phrase), re.IGNORECASE) for phrase in variant.get("allowed") or [])
    except re.error:
        return None
    return Forbidden(term, language, shown, str(variant.get("use", default_use)), pattern, allowed)


def _words(text: str, flags: int) -> re.Pattern[str]:
    """A phrase of whole words; a word ending in * matches any ending of that stem."""
    parts = []
    for word in text.split():
        stem = word.endswith("*")
        parts.append(re.escape(word.rstrip("*")) + (r"\w*" if stem else ""))
    return re.compile(r"(?<!\w)" + r"\s+".join(parts) + r"(?!\w)", flags)


def _yaml_texts(path: Path) -> Iterator[tuple[str, str, int]]:
    """Every scalar under a ky/ru/en key, with the line its text starts on."""
    try:
        root = yaml_files.compose(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value in LANGUAGES and isinstance(value, yaml.ScalarNode):
                    first = value.start_mark.line + 1
                    if value.style in ("|", ">"):
                        first += 1
                    yield key.value, value.value, first
                else:
                    stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


# ---------------------------------------------------------------- helpers


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."

"""UI strings in Kyrgyz, Russian and English, as Fluent catalogues (`content/locales/<lang>/*.ftl`).

A key missing in one language is an error found by `check` (and so by CI and at start), never a
silent fallback to another language in front of a user.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import pickle
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fluent.runtime import FluentBundle
from fluent.syntax import FluentParser, ast

LANGUAGES: tuple[str, ...] = ("ky", "ru", "en")
PARSER_VERSION = importlib.metadata.version("fluent.syntax")  # part of the key of a kept parse


class MissingTranslation(KeyError):
    pass


@dataclass(frozen=True)
class Problem:
    where: str  # file and line, or file alone
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class Catalog:
    def __init__(self, directory: Path, languages: tuple[str, ...] = LANGUAGES) -> None:
        self.directory = directory
        self.languages = languages
        self._bundles: dict[str, FluentBundle] = {}
        self._keys: dict[str, dict[str, str]] = {}  # language -> key -> "file:line"
        self.problems: list[Problem] = []
        for language in languages:
            self._load(language)
        self._compare_languages()

    def text(self, language: str, key: str, /, **args: Any) -> str:
        bundle = self._bundles.get(language)
        if bundle is None or not bundle.has_message(key):
            raise MissingTranslation(f"{language}:{key}")
        message = bundle.get_message(key)
        if message.value is None:
            raise MissingTranslation(f"{language}:{key} has no value")
        value, errors = bundle.format_pattern(message.value, args)
        if errors:
            raise MissingTranslation(f"{language}:{key}: {errors[0]}")
        return str(value)

    def has(self, language: str, key: str) -> bool:
        return key in self._keys.get(language, {})

    def keys(self, language: str) -> set[str]:
        return set(self._keys.get(language, {}))

    def _load(self, language: str) -> None:
        bundle = FluentBundle([language], use_isolating=False)
        keys: dict[str, str] = {}
        folder = self.directory / language
        files = sorted(folder.glob("*.ftl")) if folder.is_dir() else []
        if not files:
            self.problems.append(Problem(str(folder), "no .ftl files for this language"))
        for path, source, resource in _parsed(self.directory, language, files):
            line_starts = _line_starts(source)
            for entry in resource.body:
                line = _line_of(line_starts, entry.span.start) if entry.span else 0
                if isinstance(entry, ast.Junk):
                    self.problems.append(Problem(f"{path}:{line}", "cannot parse this entry"))
                elif isinstance(entry, ast.Message):
                    key = entry.id.name
                    if key in keys:
                        self.problems.append(
                            Problem(f"{path}:{line}", f"'{key}' is already defined at {keys[key]}")
                        )
                    keys[key] = f"{path}:{line}"
            bundle.add_resource(resource)
        self._bundles[language] = bundle
        self._keys[language] = keys

    def _compare_languages(self) -> None:
        every_key = set().union(*(set(keys) for keys in self._keys.values()))
        for language in self.languages:
            for key in sorted(every_key - set(self._keys[language])):
                defined_at = next(
                    keys[key] for keys in self._keys.values() if key in keys
                )
                self.problems.append(
                    Problem(
                        str(self.directory / language),
                        f"'{key}' is missing in {language} (defined at {defined_at})",
                    )
                )


def _parsed(directory: Path, language: str, files: list[Path]) -> list[tuple[Path, str, ast.Resource]]:
    """Each file with its text and what Fluent's parser makes of it (what fluent.runtime's
    FluentResource does: each file parsed once, here).

    Parsing is most of a start's loading of the content (a third of a second for the three
    languages). The parsed files are kept beside the package's compiled code, in the
    `__pycache__` folder of the content, under the digest of the files' names and bytes and of
    fluent.syntax's version: read back in a third of the time, parsed again whenever a file or
    the parser changes. The folder is trusted as Python trusts its bytecode there (both are code
    it runs), and written under the same rule: not when Python writes no bytecode
    (PYTHONDONTWRITEBYTECODE), nor where it cannot."""
    sources = [path.read_text(encoding="utf-8") for path in files]
    digest = hashlib.sha256(PARSER_VERSION.encode())
    for path, source in zip(files, sources):
        digest.update(f"\0{path.relative_to(directory)}\0{source}".encode())
    kept = directory.parent / "__pycache__" / f"fluent-{language}-{digest.hexdigest()[:32]}.pickle"
    try:
        resources = pickle.loads(kept.read_bytes())  # noqa: S301 (written by this function, trusted as .pyc files are)
    except Exception:  # none kept yet, or unreadable (partial, corrupt, another version's): parse
        parser = FluentParser()
        resources = [parser.parse(source) for source in sources]
        if not sys.dont_write_bytecode:
            _keep(kept, pickle.dumps(resources, protocol=pickle.HIGHEST_PROTOCOL))
    return list(zip(files, sources, resources))


def _keep(path: Path, data: bytes) -> None:
    """Written whole or not at all, the parses of older files removed; a folder it cannot write is
    left as it is."""
    try:
        path.parent.mkdir(exist_ok=True)
        for older in path.parent.glob(path.name.rsplit("-", 1)[0] + "-*.pickle"):
            if older != path:
                older.unlink(missing_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(data)
        partial.replace(path)
    except OSError:
        pass


def _line_starts(source: str) -> list[int]:
    starts = [0]
    for index, char in enumerate(source):
        if char == "\n":
            starts.append(index + 1)
    return starts


def _line_of(line_starts: list[int], offset: int) -> int:
    low, high = 0, len(line_starts) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if line_starts[middle] <= offset:
            low = middle
        else:
            high = middle - 1
    return low + 1

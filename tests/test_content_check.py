"""The content check: every UI string in every language, found with its file and line."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from content import CONTENT_DIR, ContentError, check_content, load_content
from content.locales import LANGUAGES

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, copy, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return copy


def test_the_shipped_content_is_complete() -> None:
    assert check_content() == []


def test_a_missing_translation_fails_with_the_file(content_copy: Path) -> None:
    ky = content_copy / "locales" / "ky" / "main.ftl"
    ky.write_text(re.sub(r"(?m)^welcome =\n(    .*\n)+", "", ky.read_text(encoding="utf-8")), encoding="utf-8")
    problems = [str(problem) for problem in check_content(content_copy)]
    assert any("'welcome' is missing in ky" in problem and "/main.ftl:" in problem for problem in problems)
    with pytest.raises(ContentError):
        load_content(content_copy)


def test_a_broken_entry_fails_with_its_line(content_copy: Path) -> None:
    ru = content_copy / "locales" / "ru" / "main.ftl"
    lines = ru.read_text(encoding="utf-8").splitlines()
    lines.insert(4, "this line is not fluent")
    ru.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = [str(problem) for problem in check_content(content_copy)]
    assert any(problem.endswith("ru/main.ftl:5: cannot parse this entry") for problem in problems), problems


def test_a_region_without_a_name_fails(content_copy: Path) -> None:
    regions = content_copy / "regions.yaml"
    regions.write_text(regions.read_text(encoding="utf-8") + "  - atlantis\n", encoding="utf-8")
    problems = [str(problem) for problem in check_content(content_copy)]
    assert sum("region 'atlantis' has no name" in problem for problem in problems) == 3


def test_every_key_the_code_uses_exists_in_every_language() -> None:
    catalog = load_content().catalog
    used: set[str] = set()
    for path in [*ROOT.glob("handlers/*.py"), *ROOT.glob("bot/**/*.py")]:
        source = path.read_text(encoding="utf-8")
        used |= set(re.findall(r'(?:\.t|_text|catalog\.text)\((?:[^,()]+, )?"([a-z0-9-]+)"', source))
        used |= set(re.findall(r'button\(ctx, "([a-z0-9-]+)"', source))
    dynamic = {f"menu-{s}" for s in ("lessons", "legal", "report", "monitor")}
    dynamic |= {f"coord-{s}" for s in ("reports", "tasks", "alerts")}
    dynamic |= {f"role-{r}" for r in ("member", "coordinator", "admin")}
    dynamic |= {f"command-{c}" for c in ("start", "menu", "help", "language", "cancel")}
    dynamic |= {"wipe-unsupported-whatsapp", "wipe-unsupported-console"}
    assert len(used) > 40
    for language in LANGUAGES:
        missing = (used | dynamic) - catalog.keys(language)
        assert not missing, f"{language}: {sorted(missing)}"


def test_check_content_command_fails_on_broken_content(content_copy: Path) -> None:
    ok = subprocess.run([sys.executable, "-m", "bot", "check-content"], cwd=ROOT, capture_output=True, text=True)
    assert ok.returncode == 0 and "content OK" in ok.stdout
    (content_copy / "locales" / "en" / "main.ftl").unlink()
    broken = subprocess.run(
        [sys.executable, "-m", "bot", "check-content", "--content", str(content_copy)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert broken.returncode == 1
    assert "no .ftl files for this language" in broken.stderr and "problem(s) in the content" in broken.stderr

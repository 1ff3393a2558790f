"""The content check: every UI string in every language, found with its file and line."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from content import CONTENT_DIR, ContentError, check_content, content_digest, load_content
from content.locales import LANGUAGES

ROOT = Path(__file__).resolve().parent.parent


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
    dynamic |= {"form-need-media-or-skip", "form-no-files-here-or-skip"}
    assert len(used) > 40
    for language in LANGUAGES:
        missing = (used | dynamic) - catalog.keys(language)
        assert not missing, f"{language}: {sorted(missing)}"


def test_check_content_command_fails_on_broken_content(content_copy: Path) -> None:
    ok = subprocess.run([sys.executable, "-m", "bot", "check-content"], cwd=ROOT, capture_output=True, text=True)
    assert ok.returncode == 0 and "content OK" in ok.stdout
    for catalogue in (content_copy / "locales" / "en").glob("*.ftl"):
        catalogue.unlink()
    broken = subprocess.run(
        [sys.executable, "-m", "bot", "check-content", "--content", str(content_copy)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert broken.returncode == 1
    assert "no .ftl files for this language" in broken.stderr and "problem(s) in the content" in broken.stderr


# ---------------------------------------------------------------- sources, figures, glossary


def _problems(copy: Path) -> list[str]:
    return [str(problem) for problem in check_content(copy)]


def _replace(path: Path, old: str, new: str) -> int:
    """Replace the first `old` in the file; the line it is on (1-based)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def test_a_lesson_naming_an_undefined_source_fails_with_file_and_line(content_copy: Path) -> None:
    lessons = content_copy / "lessons" / "rights.yaml"
    line = _replace(lessons, '- "law_184_2008"', '- "law_999_2030: a law nobody passed"')
    problems = _problems(content_copy)
    assert f"rights.yaml:{line}: lesson 'politics' names source 'law_999_2030', which sources.yaml does not define" in "\n".join(problems), problems


def test_a_lesson_source_in_the_old_free_text_form_fails(content_copy: Path) -> None:
    lessons = content_copy / "lessons" / "rights.yaml"
    line = _replace(lessons, '- "law_184_2008"', '- "Law No. 184 (FACTS.md: cis-legislation.com)"')
    problems = _problems(content_copy)
    assert any(f"rights.yaml:{line}:" in p and "must be '<id>' or '<id>: what it supports'" in p for p in problems), problems


def test_a_source_without_the_month_it_was_seen_fails(content_copy: Path) -> None:
    sources = content_copy / "sources.yaml"
    _replace(sources, '    seen: "2026-11"\n', "")  # the first source loses its date
    problems = _problems(content_copy)
    assert any("sources.yaml:" in p and "source 'unscr1325': seen must be the month" in p for p in problems), problems


def test_a_directory_entry_naming_an_undefined_source_fails(content_copy: Path) -> None:
    directory = content_copy / "legal_aid.yaml"
    line = _replace(directory, 'source: "adilet_2020"', 'source: "adilet_2020; a_blog_post: phone"')
    problems = _problems(content_copy)
    assert any(f"legal_aid.yaml:{line}:" in p and "names source 'a_blog_post'" in p for p in problems), problems


def test_the_sources_under_a_finished_lesson_are_short_titles() -> None:
    content = load_content()
    for course in content.courses.values():
        for lesson in course.lessons:
            shown = content.readable_sources(lesson.sources)
            assert len(shown) <= 400, (lesson.id, len(shown))
            assert ".txt" not in shown and "FACTS.md" not in shown
            title, _ = content.sources.resolve(lesson.sources[0]) or ("", None)
            assert shown.startswith(title)


def test_a_figure_missing_in_one_language_fails_with_file_and_line(content_copy: Path) -> None:
    lessons = content_copy / "lessons" / "wps1325.yaml"
    _replace(lessons, "Добуштар 15–0 болгон", "Добуштар 15–0 болгон (2000)")
    _replace(lessons, "ru: \"Итог голосования", "ru: \"В 2000 году итог голосования")
    _replace(lessons, "Коопсуздук Кеңеши — БУУнун эл аралык", "Коопсуздук Кеңеши (1945) — БУУнун эл аралык")
    problems = _problems(content_copy)
    joined = "\n".join(problems)
    assert "lesson 'what1325' quiz[1].explanation: 2000 (ky) is missing in en; 2000 (ru) is missing in en" in joined, problems
    card = [p for p in problems if "lesson 'what1325' cards[0]:" in p]
    assert card and "1945 (ky) is missing in ru; 1945 (ky) is missing in en" in card[0]
    assert all("wps1325.yaml:" in p and p.split("wps1325.yaml:")[1].split(":")[0].isdigit() for p in problems)


def test_a_percentage_missing_in_one_language_fails(content_copy: Path) -> None:
    lessons = content_copy / "lessons" / "wps1325.yaml"
    _replace(lessons, "• at least 30% youth representation in aiyl aimaks (Osh);", "• youth representation in aiyl aimaks (Osh);")
    problems = _problems(content_copy)
    assert any("lesson 'plans2025' cards[2]: 30% (ky) is missing in en; 30% (ru) is missing in en" in p for p in problems), problems


@pytest.mark.parametrize(
    "file, old, new, message",
    [
        ("locales/ru/main.ftl", "menu-status = 🔎 Статус обращения", "menu-status = 🔎 Статус сообщения",
         "glossary (incident_report, ru): «Статус сообщения…» uses «статус сообщени*»; write «статус обращения»"),
        ("locales/ru/main.ftl", "(квота в местном кенеше, общественные слушания,", "(квота в местном кенеше, публичные слушания,",
         "glossary (public_hearing, ru): «публичные слушания"),
        ("locales/ru/main.ftl", "monitoring-tasks = 🗓 Мои задачи", "monitoring-tasks = 🗓 Мои задания",
         "glossary (task, ru): «задания…» uses «задани*»; write «задача»"),
        ("locales/ky/main.ftl", "settings-alerts-off = 🔕 Жарыяларды албай коюу", "settings-alerts-off = 🔕 Билдирүүлөрдү өчүрүү",
         "glossary (campaign_alert, ky): «🔕 Билдирүүлөрдү өчүрүү…» uses «🔕 Билдирүүлөр…»; write «🔕 Жарыяларды албай коюу»"),
        ("locales/ky/main.ftl", "menu-legal = ⚖️ Юридикалык жардам", "menu-legal = ⚖️ Укуктук жардам",
         "glossary (legal_aid, ky): «Укуктук жардам…» uses «укуктук жардам*»"),
        ("locales/ky/main.ftl", "menu-status = 🔎 Кайрылуунун абалы", "menu-status = 🔎 Кабардын абалы",
         "glossary (incident_report, ky): «Кабардын абалы…» uses «кабар (a report)»; write «кайрылуу»"),
        ("lessons/wps1325.yaml", "БУУ Коопсуздук Кеңешинин 1325-резолюциясы эмне", "БУ Коопсуздук Кеңешинин 1325-резолюциясы эмне",
         "glossary (the_un, ky): «БУ Коопсуздук"),
        ("lessons/rights.yaml", "«Бир Дуйно – Кыргызстан» укук коргоо кыймылы.", "«Бир Дүйнө – Кыргызстан» укук коргоо кыймылы.",
         "glossary (bir_duino, ky)"),
        ("lessons/wps1325.yaml", "Кыргызстан CEDAWга 1997-жылы", "Кыргызстан КЛДЖга 1997-жылы",
         "glossary (cedaw, ky): «КЛДЖга"),
        ("forms/incident.yaml", 'ru: "Юридическая помощь"', 'ru: "Контакты юрпомощи"',
         "glossary (legal_aid, ru): «юрпомощи…» uses «юрпомощ*»; write «юридическая помощь»"),
    ],
)
def test_a_forbidden_variant_fails_with_file_and_line(content_copy: Path, file: str, old: str, new: str, message: str) -> None:
    path = content_copy / file
    line = _replace(path, old, new)
    problems = _problems(content_copy)
    matching = [p for p in problems if message in p]
    assert matching, problems
    assert any(p.startswith(f"{path}:") for p in matching), matching
    assert any(f"{path.name}:{line}:" in p for p in matching), matching


def test_legitimate_words_do_not_trip_the_glossary(content_copy: Path) -> None:
    ru = content_copy / "locales" / "ru" / "main.ftl"
    ky = content_copy / "locales" / "ky" / "main.ftl"
    _replace(ru, "button-skip = Пропустить", "button-skip = Пропустить\nextra-one = Недавние сообщения этого чата; голосовое сообщение; Сообщить о случае")
    _replace(ky, "button-skip = Өткөрүп жиберүү", "button-skip = Өткөрүп жиберүү\nextra-one = Чыр-чатак; окуя тууралуу кабарлоо; үн билдирүү; «Очистить чат»; БУУнун")
    en = content_copy / "locales" / "en" / "main.ftl"
    _replace(en, "button-skip = Skip", "button-skip = Skip\nextra-one = Recent messages")
    assert _problems(content_copy) == []


def test_the_glossary_lists_every_key_term_in_three_languages() -> None:
    data = yaml.safe_load((CONTENT_DIR / "glossary.yaml").read_text(encoding="utf-8"))
    ids = {term["id"] for term in data["terms"]}
    assert {"incident_report", "monitoring_report", "monitoring_group", "task", "coordinator", "campaign_alert",
            "public_hearing", "legal_aid", "the_un", "cedaw"} <= ids
    assert all(all(term.get(language) for language in LANGUAGES) for term in data["terms"])


def test_counts_read_naturally_in_every_language() -> None:
    catalog = load_content().catalog
    assert catalog.text("en", "bc-sending", count=1).startswith("Sending to 1 person.")
    assert catalog.text("en", "bc-sending", count=3).startswith("Sending to 3 people.")
    assert catalog.text("en", "bc-preview-intro", count=1) == "This is how the alert looks (1 recipient):"
    assert catalog.text("en", "dir-title", count=1).startswith("Legal-aid directory: 1 entry.")
    assert "1 файл" in catalog.text("ru", "form-files", count=1) and "5 файлов" in catalog.text("ru", "form-files", count=5)
    assert "3 дня" in catalog.text("ru", "invite-created", code="X", regions="Нарын", days=3)


def test_the_summary_and_the_draft_show_the_form_name_as_a_heading() -> None:
    catalog = load_content().catalog
    for language in LANGUAGES:
        for key in ("form-summary", "form-draft-found"):
            text = catalog.text(language, key, form="FORM", date="01.12.2026")
            assert text.splitlines()[0] == "FORM", (language, key, text)
            assert "FORM" not in text.splitlines()[1]


def test_content_that_passed_is_checked_again_once_a_file_changes(content_copy: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """At start the glossary and the lessons' files are checked only when the content is not the
    content that last passed (its digest kept in the data folder); what a change breaks is found."""
    import content as content_package

    passed = tmp_path / "content-passed"
    load_content(content_copy, passed=passed)
    assert passed.read_text(encoding="utf-8") == content_digest(content_copy)
    checked: list[Path] = []
    check_texts = content_package._check_texts

    def counted(directory: Path, *rest: object) -> None:
        checked.append(directory)
        check_texts(directory, *rest)

    monkeypatch.setattr(content_package, "_check_texts", counted)
    load_content(content_copy, passed=passed)
    assert checked == []  # the same files: not read again
    _replace(content_copy / "locales" / "ru" / "main.ftl", "menu-status = 🔎 Статус обращения", "menu-status = 🔎 Статус сообщения")
    with pytest.raises(ContentError, match="uses «статус сообщени\\*»"):
        load_content(content_copy, passed=passed)
    assert checked == [content_copy]
    assert passed.read_text(encoding="utf-8") != content_digest(content_copy)  # what failed is never marked as passed


def test_parsed_strings_are_kept_and_parsed_again_when_a_file_changes(content_copy: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The UI strings' parse is kept beside the content's bytecode and read back at the next start;
    a changed file, or a kept parse that cannot be read, is parsed again; nothing is written where
    Python writes no bytecode."""
    from fluent.syntax import FluentParser

    from content.locales import Catalog

    kept = content_copy / "__pycache__"
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    Catalog(content_copy / "locales")
    assert not kept.exists()
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    first = Catalog(content_copy / "locales")
    assert sorted(path.name.split("-")[1] for path in kept.glob("fluent-*.pickle")) == sorted(LANGUAGES)

    parse = FluentParser.parse
    parsed: list[str] = []

    def counted(self: FluentParser, source: str) -> object:
        parsed.append(source)
        return parse(self, source)

    monkeypatch.setattr(FluentParser, "parse", counted)
    again = Catalog(content_copy / "locales")
    assert parsed == []  # read back, not parsed
    assert again.text("ky", "main-menu") == first.text("ky", "main-menu") and again.keys("ru") == first.keys("ru")

    _replace(content_copy / "locales" / "en" / "main.ftl", "main-menu = Main menu.", "main-menu = The main menu.")
    changed = Catalog(content_copy / "locales")
    assert changed.text("en", "main-menu").startswith("The main menu.")
    assert len(parsed) == len(list((content_copy / "locales" / "en").glob("*.ftl")))  # English only
    assert len(list(kept.glob("fluent-en-*.pickle"))) == 1  # the older parse is gone

    (ky,) = kept.glob("fluent-ky-*.pickle")
    ky.write_bytes(b"not a parse")
    assert Catalog(content_copy / "locales").text("ky", "main-menu") == first.text("ky", "main-menu")

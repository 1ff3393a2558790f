"""The content check on course files: each broken course names its file, line and place."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from content import check_content

GOOD_COURSE = {
    "id": "sample",
    "order": 99,
    "title": {"ky": "Сабак", "ru": "Курс", "en": "Course"},
    "description": {"ky": "Сүрөттөмө", "ru": "Описание", "en": "Description"},
    "lessons": [
        {
            "id": "one",
            "title": {"ky": "Биринчи", "ru": "Первый", "en": "First"},
            "sources": ["unscr1325: the text of the resolution"],
            "cards": [{"ky": "Карта", "ru": "Карточка", "en": "Card"}],
            "quiz": [
                {
                    "question": {"ky": "Суроо?", "ru": "Вопрос?", "en": "Question?"},
                    "options": [
                        {"text": {"ky": "Ооба", "ru": "Да", "en": "Yes"}, "correct": True},
                        {"text": {"ky": "Жок", "ru": "Нет", "en": "No"}},
                    ],
                    "explanation": {"ky": "Себеби", "ru": "Потому что", "en": "Because"},
                }
            ]
            * 2,
            "links": [{"lesson": "one", "label": {"ky": "Кайра", "ru": "Снова", "en": "Again"}}],
        }
    ],
}


def problems_with(content_copy: Path, course: dict) -> list[str]:
    (content_copy / "lessons" / "sample.yaml").write_text(yaml.safe_dump(course, allow_unicode=True), encoding="utf-8")
    return [str(problem) for problem in check_content(content_copy)]


def broken(change) -> dict:  # type: ignore[no-untyped-def]
    course = yaml.safe_load(yaml.safe_dump(GOOD_COURSE))
    change(course)
    return course


def test_the_sample_course_is_valid(content_copy: Path) -> None:
    assert problems_with(content_copy, GOOD_COURSE) == []


@pytest.mark.parametrize(
    "change, place, message",
    [
        (lambda c: c["lessons"][0]["cards"][0].pop("ky"), "lessons[0].cards[0].ky", "Field required"),
        (lambda c: c["lessons"][0]["cards"][0].update(ru="д" * 701), "lessons[0].cards[0]", "701 characters, over the limit of 700"),
        (lambda c: c["lessons"][0]["quiz"][1]["options"][1].update(correct=True), "lessons[0].quiz[1]", "exactly one right answer, this one has 2"),
        (lambda c: c["lessons"][0]["quiz"][0]["options"][0].update(correct=False), "lessons[0].quiz[0]", "exactly one right answer, this one has 0"),
        (lambda c: c["lessons"][0].update(sources=[]), "lessons[0].sources", "at least 1 item"),
        (lambda c: c["lessons"][0].pop("sources"), "lessons[0].sources", "Field required"),
        (lambda c: c["lessons"][0]["links"][0].update(lesson="nowhere"), "lessons[0] (one).links[0]", "links to lesson 'nowhere', which does not exist"),
        (lambda c: c["lessons"][0]["links"][0].update(lesson=None, directory="no_such_entry"), "lessons[0] (one).links[0]", "directory entry 'no_such_entry', which does not exist"),
        (lambda c: c["lessons"][0].update(quiz=c["lessons"][0]["quiz"][:1]), "lessons[0].quiz", "at least 2 items"),
    ],
)
def test_each_broken_course_is_named_with_file_line_and_place(content_copy: Path, change, place: str, message: str) -> None:
    problems = problems_with(content_copy, broken(change))
    matching = [problem for problem in problems if place in problem and message in problem]
    assert matching, problems
    assert all("sample.yaml" in problem for problem in problems)
    if "links" not in place:
        assert ":" in matching[0].split("sample.yaml")[1][:2]  # file:line


def test_a_lesson_naming_an_unknown_seed_fails(content_copy: Path) -> None:
    course = broken(lambda c: c["lessons"][0].update(sources=["seed 999_0123456789abcdef.txt"]))
    problems = problems_with(content_copy, course)
    assert any("names seed '999_0123456789abcdef.txt', which sources.yaml does not know" in p for p in problems)


def test_a_line_number_points_at_the_broken_text(content_copy: Path) -> None:
    course = broken(lambda c: c["lessons"][0]["cards"][0].pop("ky"))
    problems = problems_with(content_copy, course)
    line = int(problems[0].split("sample.yaml:")[1].split(":")[0])
    source_lines = (content_copy / "lessons" / "sample.yaml").read_text(encoding="utf-8").splitlines()
    assert "cards" in source_lines[line - 1] or "en: Card" in source_lines[line - 1] or "ru:" in source_lines[line - 1]


def test_a_course_added_as_a_file_appears_in_the_bot(content_copy: Path) -> None:
    from content import load_content

    (content_copy / "lessons" / "sample.yaml").write_text(yaml.safe_dump(GOOD_COURSE, allow_unicode=True), encoding="utf-8")
    assert "sample" in load_content(content_copy).courses

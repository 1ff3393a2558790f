"""The form runner's pure pieces: where a step leads (content/form_steps.py) and how each field
type takes an answer (handlers/form_fields.py), on the shipped forms."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from hypothesis import given, settings, strategies as st

from content.form_steps import FormDraft, answered, first_unanswered, go_back, next_field, ready_to_send, start_editing, visible_answers
from content.forms_model import FormField
from handlers.form_fields import KINDS, Facts, Refused, parse_date
from tests.conftest import shared_content

FORMS = shared_content().forms
REGIONS = shared_content().regions
FACTS = Facts(today=date(2026, 11, 23), regions=REGIONS)


def any_answers(form_id: str) -> st.SearchStrategy[dict]:
    """Answers to any subset of a form's choice and yes/no fields, with any of their options."""
    form = FORMS[form_id]
    picks = {}
    for field in form.fields:
        if field.type in ("choice", "yesno"):
            options = field.option_ids(REGIONS) if field.type == "choice" else ["yes", "no"]
            picks[field.id] = st.sampled_from(options)
    return st.fixed_dictionaries({}, optional=picks)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted(FORMS)), st.data())
def test_the_next_field_is_always_one_the_answers_show(form_id: str, data: st.DataObject) -> None:
    form = FORMS[form_id]
    answers = data.draw(any_answers(form_id))
    for field in [None, *form.fields]:
        following = next_field(form, answers, after=field.id if field else None)
        if following is not None:
            assert form.field(following).shown(answers)
    missing = first_unanswered(form, answers)
    assert missing is None or (missing not in answers and form.field(missing).shown(answers))
    assert all(form.field(field_id).shown(answers) for field_id in visible_answers(form, answers))


def a_valid_answer(field: FormField) -> object:
    if field.type == "choice":
        return field.option_ids(REGIONS)[0]
    return {"yesno": "yes", "text": "x", "date": "2026-11-20", "media": []}[field.type]


def test_a_walk_through_the_incident_form_ends_at_the_summary_and_back_returns() -> None:
    form = FORMS["incident"]
    draft = FormDraft.begin(form, None, datetime(2026, 11, 23, 9, tzinfo=timezone.utc))
    assert draft.current == form.fields[0].id
    asked = []
    while draft.current is not None:
        field = form.field(draft.current)
        asked.append(field.id)
        if not field.optional:
            draft.answers[field.id] = a_valid_answer(field)
        answered(draft, form, field)
        assert len(asked) <= len(form.fields)
    assert draft.history == asked
    assert go_back(draft) and draft.current == asked[-1]
    answered(draft, form, form.field(asked[-1]))
    assert ready_to_send(draft, form)


def test_an_edit_from_the_summary_returns_to_the_summary() -> None:
    form = FORMS["incident"]
    draft = FormDraft.begin(form, None, datetime(2026, 11, 23, 9, tzinfo=timezone.utc))
    draft.current = None
    first = form.fields[0]
    assert start_editing(draft, form, first.id) and draft.editing
    draft.answers[first.id] = "yes"
    answered(draft, form, first)
    assert not draft.editing and draft.current == first_unanswered(form, draft.answers)
    assert not start_editing(draft, form, "no_such_field")


def test_a_draft_is_stored_as_the_same_plain_dict_it_was_read_from() -> None:
    draft = FormDraft.begin(FORMS["monitoring"], {"task": 7}, datetime(2026, 11, 23, 9, tzinfo=timezone.utc))
    draft.answers["evidence"] = [{"path": "ab/cd", "sha256": "0" * 64, "size": 3, "kind": "photo", "mime": None}]
    again = FormDraft.from_stored(draft.stored())
    assert again == draft and again.files() == draft.answers["evidence"] and again.extra == {"task": 7}


@pytest.mark.parametrize(("text", "expected"), [
    ("3.11.2026", date(2026, 11, 3)), ("03/11/2026", date(2026, 11, 3)), ("2026-11-03", date(2026, 11, 3)),
    ("31.02.2026", None), ("yesterday", None), ("3.11.26", None),
])
def test_dates_are_read_day_first_or_iso(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected


def field_of(field_type: str):  # type: ignore[no-untyped-def]
    return next(field for form in FORMS.values() for field in form.fields if field.type == field_type)


@pytest.mark.parametrize(("field_type", "text", "refusal"), [
    ("date", "31.12.2099", "form-date-future"),
    ("date", "1.1.1900", "form-need-date"),
    ("choice", "99", "form-choice-unknown"),
    ("yesno", "maybe", "form-choice-unknown"),
])
def test_each_type_refuses_what_it_cannot_take_with_a_message(field_type: str, text: str, refusal: str) -> None:
    with pytest.raises(Refused) as raised:
        KINDS[field_type].parse(field_of(field_type), text, FACTS)
    assert raised.value.key == refusal


def test_each_type_takes_its_own_answers() -> None:
    assert KINDS["date"].parse(field_of("date"), "20.11.2026", FACTS) == "2026-11-20"
    assert KINDS["date"].press(field_of("date"), "1", None, FACTS).value == "2026-11-22"
    choice = field_of("choice")
    assert KINDS["choice"].parse(choice, "1", FACTS) == choice.option_ids(REGIONS)[0]
    assert KINDS["yesno"].parse(field_of("yesno"), "2", FACTS) == "no"
    words = {"ky": "x", "ru": "x", "en": "x"}
    multi = FormField.model_validate({
        "id": "topics", "type": "multi", "label": words, "question": words, "max_items": 2,
        "options": [{"id": name, "label": words} for name in ("land", "work", "school")],
    })
    first, second = multi.option_ids(REGIONS)[:2]
    ticked = KINDS["multi"].press(multi, second, [first], FACTS)
    assert ticked.value == sorted([first, second]) and not ticked.final
    assert KINDS["multi"].press(multi, first, ticked.value, FACTS).value == [second]
    with pytest.raises(Refused) as raised:
        KINDS["multi"].press(multi, "school", ticked.value, FACTS)
    assert raised.value.key == "form-too-many" and raised.value.values == {"limit": 2}

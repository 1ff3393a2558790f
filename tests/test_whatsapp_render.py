"""WhatsApp rendering and parsing without a server: every reply fits WhatsApp's limits, and every
payload shape from Meta's documentation becomes the right Incoming or receipt."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from core.actions import encode
from bot.channels.whatsapp import parse_webhook, render, template_message, unique_titles
from core.messages import Button, IncomingKind, Reply
from tests.fake_whatsapp import (
    PHONE_NUMBER_ID,
    GraphError,
    _validate_message,
    button_reply,
    image_message,
    list_reply,
    location_message,
    status_payload,
    sticker_message,
    text_message,
)

WORDS = {"whatsapp-list-button": "Выбрать", "whatsapp-number-hint": "Отправьте номер выбранного пункта."}


def shown(reply: Reply) -> list[dict]:
    """The messages for `reply`, each checked by the fake Graph API's validator."""
    messages = render(reply, WORDS.__getitem__)
    for message in messages:
        _validate_message({"messaging_product": "whatsapp", "to": "996700000000", **message}, set(), {})
    return messages


def menu(*labels: str) -> Reply:
    return Reply("Главное меню", tuple((Button(label, encode("les:l", "wps1325", str(n))),) for n, label in enumerate(labels)))


def test_up_to_three_buttons_are_reply_buttons_with_titles_of_20() -> None:
    [message] = shown(menu("📚 Уроки", "⚖️ Найти юридическую помощь", "⚙️ Настройки"))
    buttons = message["interactive"]["action"]["buttons"]
    assert message["interactive"]["type"] == "button"
    assert [button["reply"]["title"] for button in buttons] == ["📚 Уроки", "⚖️ Найти юридическу…", "⚙️ Настройки"]


def test_four_to_ten_are_a_list_with_the_whole_label_below_a_shortened_title() -> None:
    [message] = shown(menu(*(f"Пункт {n}" for n in range(9)), "Свобода от пыток и жестокого обращения"))
    action = message["interactive"]["action"]
    assert message["interactive"]["type"] == "list" and action["button"] == "Выбрать"
    last = action["sections"][0]["rows"][-1]
    assert last["title"] == "Свобода от пыток и жест…"
    assert last["description"] == "Свобода от пыток и жестокого обращения"


def test_more_than_ten_are_a_numbered_text() -> None:
    [message] = shown(menu(*(f"Пункт {n}" for n in range(12))))
    body = message["text"]["body"]
    assert message["type"] == "text" and "1. Пункт 0" in body and "12. Пункт 11" in body
    assert body.endswith("Отправьте номер выбранного пункта.")


def test_titles_made_equal_by_shortening_are_numbered_apart() -> None:
    titles = unique_titles(["Нарушение прав женщин в семье", "Нарушение прав женщин на работе"], 20)
    assert titles == ["Нарушение прав женщ…", "Нарушение прав же… 2"] and all(len(title) <= 20 for title in titles)


def test_a_long_text_goes_first_and_the_buttons_with_its_end() -> None:
    reply = Reply("Абзац.\n" * 400, ((Button("Далее", "les:n"),),))
    messages = shown(reply)
    assert [message["type"] for message in messages] == ["text"] * (len(messages) - 1) + ["interactive"]
    assert len(messages[-1]["interactive"]["body"]["text"]) <= 1024
    assert "".join(m["text"]["body"] for m in messages[:-1]).count("Абзац") + messages[-1][
        "interactive"]["body"]["text"].count("Абзац") == 400  # nothing lost


def test_a_link_button_becomes_a_line_of_the_text() -> None:
    [message] = shown(Reply("Подробнее:", ((Button("Сайт", url="https://example.org/1325"),),)))
    assert message["text"]["body"] == "Подробнее:\n\nСайт: https://example.org/1325"


def test_the_template_parameter_has_no_line_breaks() -> None:
    message = template_message("tynchtyk_alert", "ky_KG", "📣 Эртең\n\n   жыйын\tболот")
    assert message["template"]["components"][0]["parameters"][0]["text"] == "📣 Эртең · жыйын болот"


label_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=60).filter(str.strip)


@settings(max_examples=150, deadline=None)
@given(
    text=st.text(min_size=0, max_size=6000),
    labels=st.lists(label_text, min_size=0, max_size=14),
    links=st.integers(0, 2),
)
def test_any_reply_renders_within_whatsapps_limits(text: str, labels: list[str], links: int) -> None:
    buttons = [(Button(label, encode("les:l", "c", str(n))),) for n, label in enumerate(labels)]
    buttons += [(Button(f"Ссылка {n}", url=f"https://example.org/{n}"),) for n in range(links)]
    try:
        messages = shown(Reply(text, tuple(buttons)))
    except GraphError as error:  # pragma: no cover - the message says what broke
        raise AssertionError(error.body()) from error
    assert messages


def test_meta_payloads_become_incoming() -> None:
    wa_id = "996700123456"
    cases = [
        (text_message(wa_id, "Салам"), IncomingKind.TEXT, "Салам"),
        (button_reply(wa_id, "les:n", "Далее"), IncomingKind.ACTION, "les:n"),
        (list_reply(wa_id, "ob:reg:naryn", "Нарын"), IncomingKind.ACTION, "ob:reg:naryn"),
        (image_message(wa_id, "media-1", caption="эшик"), IncomingKind.MEDIA, "эшик"),
        (location_message(wa_id, 41.43, 75.99), IncomingKind.LOCATION, None),
        (sticker_message(wa_id, "media-2"), IncomingKind.OTHER, None),
    ]
    for payload, kind, value in cases:
        [incoming], receipts = parse_webhook(payload, PHONE_NUMBER_ID)
        assert receipts == [] and incoming.kind is kind and incoming.user_key == wa_id
        assert incoming.message_id and incoming.message_id.startswith("wamid.")
        if kind is IncomingKind.ACTION:
            assert incoming.action == value
        elif kind is IncomingKind.MEDIA:
            assert incoming.media is not None and incoming.media.file_id == "media-1" and incoming.text == value
        elif kind is IncomingKind.LOCATION:
            assert incoming.location is not None and incoming.location.latitude == 41.43
        elif kind is IncomingKind.TEXT:
            assert incoming.text == value


def test_statuses_become_receipts_and_other_numbers_are_ignored() -> None:
    failed = {"id": "wamid.9", "status": "failed", "timestamp": "1795424400", "recipient_id": "996700123456",
              "errors": [{"code": 131047, "title": "Re-engagement message"}]}
    [], [receipt] = parse_webhook(status_payload([failed]), PHONE_NUMBER_ID)
    assert receipt.message_id == "wamid.9" and receipt.status == "failed" and receipt.error == "outside-window"
    assert parse_webhook(text_message("996700123456", "hi", phone_number_id="999"), PHONE_NUMBER_ID) == ([], [])
    assert parse_webhook({"object": "page", "entry": []}, PHONE_NUMBER_ID) == ([], [])

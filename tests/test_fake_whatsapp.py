"""Self-test of the fake WhatsApp Cloud API (tests/fake_whatsapp.py)."""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from tests.fake_whatsapp import (
    FakeGraphAPI,
    button_reply,
    image_message,
    list_reply,
    location_message,
    post_webhook,
    sign,
    status_payload,
    sticker_message,
    text_message,
)

WA_ID = "996700123456"


@pytest.fixture
async def graph() -> AsyncIterator[FakeGraphAPI]:
    async with FakeGraphAPI() as fake:
        yield fake


@pytest.fixture
async def http(graph: FakeGraphAPI) -> AsyncIterator[aiohttp.ClientSession]:
    headers = {"Authorization": f"Bearer {graph.token}"}
    async with aiohttp.ClientSession(headers=headers) as session:
        yield session


async def send(
    http: aiohttp.ClientSession, graph: FakeGraphAPI, payload: dict[str, Any]
) -> tuple[int, Any]:
    url = f"{graph.base_url}/{graph.phone_number_id}/messages"
    async with http.post(url, json={"messaging_product": "whatsapp", **payload}) as response:
        return response.status, await response.json()


def buttons(*titles: str) -> dict[str, Any]:
    return {
        "to": WA_ID, "type": "interactive",
        "interactive": {
            "type": "button", "body": {"text": "Choose"},
            "action": {"buttons": [
                {"type": "reply", "reply": {"id": f"b{i}", "title": title}}
                for i, title in enumerate(titles)
            ]},
        },
    }


async def test_auth_rejected(graph: FakeGraphAPI) -> None:
    async with aiohttp.ClientSession() as session:
        for headers in ({}, {"Authorization": "Bearer wrong"}):
            url = f"{graph.base_url}/{graph.phone_number_id}"
            async with session.get(url, headers=headers) as r:
                assert r.status == 401
                error = (await r.json())["error"]
                assert error["code"] == 190 and error["type"] == "OAuthException"
                assert error["message"] == "Invalid OAuth access token." and error["fbtrace_id"]


async def test_phone_number_info(graph: FakeGraphAPI, http: aiohttp.ClientSession) -> None:
    assert graph.base_url.endswith("/v26.0")
    url = f"{graph.base_url}/{graph.phone_number_id}?fields=display_phone_number"
    async with http.get(url) as r:
        assert await r.json() == {"display_phone_number": "996 555 000 111",
                                  "verified_name": "Tynchtyk", "id": "1000001"}


async def test_text_send_recorded(graph: FakeGraphAPI, http: aiohttp.ClientSession) -> None:
    graph.user_wrote(WA_ID)
    status, body = await send(http, graph, {"to": WA_ID, "type": "text", "text": {"body": "Салам!"}})
    assert status == 200
    assert body["contacts"] == [{"input": WA_ID, "wa_id": WA_ID}]
    message_id = body["messages"][0]["id"]
    assert message_id.startswith("wamid.")
    sent = await graph.wait_for(lambda s: s.to == WA_ID, timeout=1)
    assert sent.id == message_id and sent.accepted and sent.type == "text"
    assert graph.texts_to(WA_ID) == ["Салам!"] and graph.last_to(WA_ID) is sent
    assert graph.statuses == [{"id": message_id, "status": "sent",
                               "timestamp": str(int(sent.at)), "recipient_id": WA_ID}]
    assert graph.rejected == []


async def test_bad_text_rejected(graph: FakeGraphAPI, http: aiohttp.ClientSession) -> None:
    for payload in ({"to": WA_ID, "text": {"body": ""}},
                    {"to": WA_ID, "text": {"body": "x" * 4097}},
                    {"to": "not-a-number", "text": {"body": "hi"}},
                    {"to": WA_ID, "type": "audio", "audio": {"link": "https://x/a.ogg"}}):
        status, body = await send(http, graph, payload)
        assert status == 400 and body["error"]["code"] == 100
    assert len(graph.rejected) == 4 and graph.sent == []


async def test_button_title_too_long_rejected(graph: FakeGraphAPI, http: aiohttp.ClientSession) -> None:
    graph.user_wrote(WA_ID)
    status, body = await send(http, graph, buttons("Yes", "x" * 21))
    assert status == 400
    error = body["error"]
    assert error["message"] == "(#100) Invalid parameter" and error["code"] == 100
    assert "buttons[1].reply.title" in error["error_data"]["details"]
    assert graph.sent == [] and len(graph.rejected) == 1
    status, _ = await send(http, graph, buttons("Same", "Same"))
    assert status == 400
    status, _ = await send(http, graph, buttons("x" * 20, "Ok", "No"))
    assert status == 200 and graph.texts_to(WA_ID) == ["Choose"]


async def test_list_with_11_rows_rejected(graph: FakeGraphAPI, http: aiohttp.ClientSession) -> None:
    graph.user_wrote(WA_ID)

    def menu(*counts: int) -> dict[str, Any]:
        sections = [{"title": f"S{n}", "rows": [{"id": f"r{n}.{i}", "title": f"Row {i}"} for i in range(c)]}
                    for n, c in enumerate(counts)]
        return {"to": WA_ID, "type": "interactive", "interactive": {
            "type": "list", "body": {"text": "Menu"},
            "action": {"button": "Open", "sections": sections}}}

    status, body = await send(http, graph, menu(6, 5))
    assert status == 400 and "10" in body["error"]["error_data"]["details"]
    status, _ = await send(http, graph, menu(5, 5))
    assert status == 200 and graph.texts_to(WA_ID) == ["Menu"]


async def test_window_enforced(graph: FakeGraphAPI, http: aiohttp.ClientSession) -> None:
    graph.user_wrote(WA_ID, at=time.time() - 25 * 3600)
    status, body = await send(http, graph, {"to": WA_ID, "text": {"body": "late"}})
    assert status == 200
    sent = graph.last_to(WA_ID)
    assert not sent.accepted and graph.texts_to(WA_ID) == []
    failed = graph.statuses[-1]
    assert failed["id"] == body["messages"][0]["id"] and failed["status"] == "failed"
    assert failed["errors"][0]["code"] == 131047
    envelope = status_payload(graph.statuses)
    value = envelope["entry"][0]["changes"][0]["value"]
    assert value["statuses"][0]["status"] == "failed" and "messages" not in value


async def test_template_outside_window(graph: FakeGraphAPI, http: aiohttp.ClientSession) -> None:
    def template(name: str, code: str, *params: str) -> dict[str, Any]:
        return {"to": WA_ID, "type": "template", "template": {
            "name": name, "language": {"code": code},
            "components": [{"type": "body", "parameters": [{"type": "text", "text": p} for p in params]}]}}

    graph.approved_templates = {"reminder": {"ru", "ky"}}
    status, _ = await send(http, graph, template("reminder", "ru", "Айгуль", "завтра"))
    assert status == 200 and graph.last_to(WA_ID).accepted
    assert graph.texts_to(WA_ID) == ["Айгуль завтра"] and graph.statuses[-1]["status"] == "sent"
    status, body = await send(http, graph, template("reminder", "en"))
    assert status == 404 and body["error"]["code"] == 132001
    status, body = await send(http, graph, template("reminder", "ky", "two\nlines"))
    assert status == 400 and body["error"]["code"] == 132000
    status, body = await send(http, graph, template("reminder", "ky", "wide     gap"))
    assert status == 400 and body["error"]["code"] == 132000


async def test_media_upload_then_image_send(graph: FakeGraphAPI, http: aiohttp.ClientSession) -> None:
    graph.user_wrote(WA_ID)
    form = aiohttp.FormData()
    form.add_field("messaging_product", "whatsapp")
    form.add_field("type", "image/png")
    form.add_field("file", b"\x89PNG...", filename="chart.png", content_type="image/png")
    async with http.post(f"{graph.base_url}/{graph.phone_number_id}/media", data=form) as r:
        assert r.status == 200
        media_id = (await r.json())["id"]
    assert graph.uploads[media_id] == ("chart.png", "image/png", b"\x89PNG...")

    form = aiohttp.FormData({"messaging_product": "whatsapp", "type": "image/png"})
    async with http.post(f"{graph.base_url}/{graph.phone_number_id}/media", data=form) as r:
        assert r.status == 400

    status, _ = await send(http, graph, {"to": WA_ID, "type": "image",
                                         "image": {"id": media_id, "caption": "Chart"}})
    assert status == 200 and graph.texts_to(WA_ID) == ["Chart"]
    status, body = await send(http, graph, {"to": WA_ID, "type": "image", "image": {"id": "999"}})
    assert status == 400 and body["error"]["error_data"]["details"] == "unknown media id"


async def test_media_download_two_step(graph: FakeGraphAPI, http: aiohttp.ClientSession) -> None:
    content = b"jpeg bytes"
    graph.add_media("555", content)
    async with http.get(f"{graph.base_url}/555") as r:
        info = await r.json()
    assert info["mime_type"] == "image/jpeg" and info["file_size"] == len(content)
    assert info["sha256"] == hashlib.sha256(content).hexdigest()
    async with http.get(info["url"]) as r:
        assert r.status == 200 and r.content_type == "image/jpeg"
        assert await r.read() == content
    async with aiohttp.ClientSession() as anonymous, anonymous.get(info["url"]) as r:
        assert r.status == 401
    async with http.get(f"{graph.base_url}/404404") as r:
        assert r.status == 404 and (await r.json())["error"]["code"] == 100


async def test_fail_next_and_slow(graph: FakeGraphAPI, http: aiohttp.ClientSession) -> None:
    graph.user_wrote(WA_ID)
    graph.fail_next()
    status, body = await send(http, graph, {"to": WA_ID, "text": {"body": "one"}})
    assert status == 429 and body["error"]["code"] == 130429
    assert body["error"]["error_data"]["details"] == "Rate limit hit"
    graph.fail_slow(0.2)
    started = time.monotonic()
    status, _ = await send(http, graph, {"to": WA_ID, "text": {"body": "two"}})
    assert status == 200 and time.monotonic() - started >= 0.2
    assert graph.texts_to(WA_ID) == ["two"]


async def test_a_lost_answer_leaves_the_message_sent(graph: FakeGraphAPI, http: aiohttp.ClientSession) -> None:
    graph.user_wrote(WA_ID)
    graph.answer_late(5.0)
    graph.drop_answer()
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0.5):
            await send(http, graph, {"to": WA_ID, "text": {"body": "late"}})
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await send(http, graph, {"to": WA_ID, "text": {"body": "dropped"}})
    status, _ = await send(http, graph, {"to": WA_ID, "text": {"body": "answered"}})
    assert status == 200 and graph.texts_to(WA_ID) == ["late", "dropped", "answered"]
    assert [sent.answer_lost for sent in graph.sent] == [True, True, False]


async def test_a_stopped_fake_refuses_connections_and_comes_back(graph: FakeGraphAPI, http: aiohttp.ClientSession) -> None:
    graph.user_wrote(WA_ID)
    port = graph.port
    await graph.stop()
    with pytest.raises(aiohttp.ClientConnectorError):
        await send(http, graph, {"to": WA_ID, "text": {"body": "refused"}})
    await graph.start(port)
    status, _ = await send(http, graph, {"to": WA_ID, "text": {"body": "after"}})
    assert status == 200 and graph.texts_to(WA_ID) == ["after"]


async def test_mark_read(graph: FakeGraphAPI, http: aiohttp.ClientSession) -> None:
    status, body = await send(http, graph, {"status": "read", "message_id": "wamid.7"})
    assert status == 200 and body == {"success": True} and graph.read_marks == ["wamid.7"]


async def test_webhook_builders_and_signature() -> None:
    received: list[tuple[bytes, str | None]] = []

    async def hook(request: web.Request) -> web.Response:
        received.append((await request.read(), request.headers.get("X-Hub-Signature-256")))
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        payload = text_message(WA_ID, "Салам")
        assert await post_webhook(f"http://127.0.0.1:{port}/hook", payload, "secret") == (200, "ok")
        body, signature = received[-1]
        assert signature == sign(body, "secret") and json.loads(body) == payload
        await post_webhook(f"http://127.0.0.1:{port}/hook", payload, None)
        assert received[-1][1] is None
        await post_webhook(f"http://127.0.0.1:{port}/hook", payload, "secret", signature="sha256=bad")
        assert received[-1][1] == "sha256=bad"
    finally:
        await runner.cleanup()

    value = payload["entry"][0]["changes"][0]["value"]
    assert payload["object"] == "whatsapp_business_account" and payload["entry"][0]["id"] == "2000002"
    assert value["metadata"] == {"display_phone_number": "996555000111", "phone_number_id": "1000001"}
    assert value["contacts"] == [{"profile": {"name": "Айгуль"}, "wa_id": WA_ID}]
    message = value["messages"][0]
    assert message["text"] == {"body": "Салам"} and message["timestamp"].isdigit()

    reply = button_reply(WA_ID, "yes", "Да")["entry"][0]["changes"][0]["value"]["messages"][0]
    assert reply["interactive"]["button_reply"] == {"id": "yes", "title": "Да"}
    assert reply["context"] == {"from": "996555000111", "id": "wamid.menu"}
    row = list_reply(WA_ID, "r1", "Row", "More")["entry"][0]["changes"][0]["value"]["messages"][0]
    assert row["interactive"]["list_reply"] == {"id": "r1", "title": "Row", "description": "More"}
    others = [image_message(WA_ID, "m1", caption="c"), location_message(WA_ID, 42.87, 74.59),
              sticker_message(WA_ID, "s1")]
    kinds = [p["entry"][0]["changes"][0]["value"]["messages"][0]["type"] for p in others]
    assert kinds == ["image", "location", "sticker"]
    ids = {text_message(WA_ID, "a")["entry"][0]["changes"][0]["value"]["messages"][0]["id"] for _ in range(3)}
    assert len(ids) == 3

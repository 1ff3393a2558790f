"""Privacy: "Wipe this chat" and "Delete my data". Both ask once, then act at once.

A wipe deletes every message of her private chat the bot knows of (hers, its answers, and what
others caused: alerts, reminders, a coordinator's question), then says what it removed in a
notice that leaves nothing behind where the channel allows it (Telegram's answer to the button)."""

from __future__ import annotations

from core.context import Context
from core.router import Router
from handlers.common import button
from handlers.forms import discard_draft
from storage import people_repo

router = Router("privacy")


@router.action("priv:wipe")
async def confirm_wipe(ctx: Context) -> None:
    if not ctx.capabilities.can_delete_messages:
        ctx.reply(ctx.t(f"wipe-unsupported-{ctx.capabilities.name}"), [[button(ctx, "button-back", "set")]])
        return
    rows = [
        [button(ctx, "wipe-confirm-button", "priv:wipe_ok")],
        [button(ctx, "button-back", "set")],
    ]
    ctx.reply(ctx.t("wipe-confirm"), rows, edit=True)


@router.action("priv:wipe_ok")
async def wipe_chat(ctx: Context) -> None:
    if not ctx.capabilities.can_delete_messages:
        await confirm_wipe(ctx)
        return
    removed = await _wipe(ctx)
    ctx.toast(ctx.t("wipe-done", count=removed))
    ctx.go(None)


@router.action("priv:del")
async def confirm_delete(ctx: Context) -> None:
    rows = [[button(ctx, "delete-confirm-button", "priv:del_ok")]]
    if ctx.capabilities.can_delete_messages:
        rows.append([button(ctx, "delete-and-wipe-button", "priv:del_wipe")])
    rows.append([button(ctx, "button-back", "set")])
    ctx.reply(ctx.t("delete-confirm"), rows, edit=True)


@router.action("priv:del_ok")
async def delete_data(ctx: Context) -> None:
    text = ctx.t("data-deleted")
    await _delete(ctx)
    ctx.reply(text, edit=True)  # in place of the question: no new message


@router.action("priv:del_wipe")
async def delete_data_and_wipe(ctx: Context) -> None:
    if not ctx.capabilities.can_delete_messages:
        await delete_data(ctx)
        return
    text = ctx.t("data-deleted-and-wiped")
    await _wipe(ctx)
    await _delete(ctx)
    ctx.toast(text)


async def _wipe(ctx: Context) -> int:
    """Delete the messages of this chat; returns how many were asked to go."""
    messages = await people_repo.wipeable_messages(ctx.session, ctx.user, ctx.now)
    ids = list(dict.fromkeys(message.message_id for message in messages if message.chat_key == ctx.incoming.chat_key))
    if ctx.incoming.message_id and ctx.incoming.message_id not in ids:
        ids.append(ctx.incoming.message_id)
    ctx.effects.clear()
    ctx.delete_messages(ids)
    await people_repo.forget_messages(ctx.session, ctx.user)
    return len(ids)


async def _delete(ctx: Context) -> None:

    for form_id in ctx.content.forms:
        await discard_draft(ctx, form_id)  # with the evidence files she attached
    await people_repo.delete_user_data(ctx.session, ctx.user)
    ctx.user_deleted = True

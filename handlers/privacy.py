"""Privacy: "Wipe this chat" and "Delete my data". Both ask once, then act at once."""

from __future__ import annotations

from bot.context import Context
from bot.router import Router
from handlers.common import button
from storage import repo

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
    await _wipe(ctx)
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
    await _delete(ctx)


@router.action("priv:del_wipe")
async def delete_data_and_wipe(ctx: Context) -> None:
    if ctx.capabilities.can_delete_messages:
        await _wipe(ctx)
    await _delete(ctx)


async def _wipe(ctx: Context) -> None:
    messages = await repo.wipeable_messages(ctx.session, ctx.user, ctx.now)
    ids = [message.message_id for message in messages if message.chat_key == ctx.incoming.chat_key]
    if ctx.incoming.message_id and ctx.incoming.message_id not in ids:
        ids.append(ctx.incoming.message_id)
    ctx.effects.clear()
    ctx.delete_messages(ids)
    await repo.forget_messages(ctx.session, ctx.user)


async def _delete(ctx: Context) -> None:
    from handlers.forms import discard_draft

    reply_in = ctx.language
    for form_id in ctx.content.forms:
        await discard_draft(ctx, form_id)  # with the evidence files she attached
    await repo.delete_user_data(ctx.session, ctx.user)
    ctx.user_deleted = True
    ctx.reply(ctx.content.catalog.text(reply_in, "data-deleted"))

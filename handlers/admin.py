"""The coordinator menu, and the admin's work on roles: inviting coordinators for their regions,
listing and removing them. Every handler checks the role itself and writes the audit log."""

from __future__ import annotations

from datetime import timedelta

from core.actions import encode
from core.context import Context, StaleAction
from core.messages import Button
from core.router import Router
from handlers.common import back_home, button, checked_region, marked_rows
from storage import people_repo
from storage.models import Role, User

router = Router("admin")

INVITE_VALID_FOR = timedelta(days=7)


@router.action("coord")
async def coordinator_menu(ctx: Context) -> None:
    ctx.require_role(Role.COORDINATOR, Role.ADMIN)
    ctx.go(None)
    rows = [[button(ctx, "coord-reports", "rep")], [button(ctx, "coord-alerts", "bc")], [button(ctx, "coord-groups", "grp")]]
    rows.append([button(ctx, "coord-lessons", "les:stats")])
    rows.append([button(ctx, "coord-dashboard", "dash")])
    if ctx.user.role == Role.ADMIN:
        rows.append([button(ctx, "coord-directory", "dir")])
        rows.append([button(ctx, "admin-staff", "adm:staff")])
        rows.append([button(ctx, "admin-invite", "adm:inv")])
    rows.append(back_home(ctx))
    regions = _region_list(ctx, ctx.user.coordinator_regions) if ctx.user.role != Role.ADMIN else ctx.t("all-regions")
    ctx.reply(ctx.t("coordinator-menu", regions=regions), rows, edit=True)


@router.action("adm:staff")
async def list_staff(ctx: Context) -> None:
    ctx.require_role(Role.ADMIN)
    staff = await people_repo.list_staff(ctx.session)
    lines = [ctx.t("staff-title")]
    rows = []
    for member in staff:
        lines.append(_describe(ctx, member))
        if member.id != ctx.user.id:  # not herself: the last admin could lock everyone out
            key = "staff-remove" if member.role == Role.COORDINATOR else "staff-remove-admin"
            rows.append([Button(ctx.t(key, id=member.id), encode("adm:rm", member.id))])
    rows.append([button(ctx, "button-back", "coord")])
    await ctx.audit("staff.list")
    ctx.reply("\n".join(lines), rows, edit=True)


@router.action("adm:rm", arity=1)
async def remove_staff(ctx: Context, user_id: str) -> None:
    """A coordinator or another admin becomes a member: nothing more reaches her as staff, and
    the alerts she scheduled are cancelled."""
    ctx.require_role(Role.ADMIN)
    member = await _staff_member(ctx, user_id)
    previous = member.role
    cancelled = await people_repo.end_staff_role(ctx.session, member, ctx.now)
    await ctx.audit(f"role.{previous}.removed", target=str(member.id), alerts_cancelled=cancelled)
    ctx.reply(ctx.t("staff-removed", id=member.id, alerts=cancelled))
    await list_staff(ctx)


@router.action("adm:inv")
async def start_invite(ctx: Context) -> None:
    ctx.require_role(Role.ADMIN)
    ctx.go("admin.invite", regions=[])
    await _show_invite_regions(ctx)


@router.action("adm:inv_reg", arity=1)
async def toggle_invite_region(ctx: Context, code: str) -> None:
    ctx.require_role(Role.ADMIN)
    if ctx.state != "admin.invite":
        raise StaleAction("no invite in progress")
    chosen = set(ctx.data.get("regions", []))
    chosen ^= {checked_region(ctx, code)}
    ctx.data["regions"] = sorted(chosen)
    await _show_invite_regions(ctx)


@router.action("adm:inv_ok")
async def create_invite(ctx: Context) -> None:
    ctx.require_role(Role.ADMIN)
    regions = ctx.data.get("regions", []) if ctx.state == "admin.invite" else []
    if not regions:
        ctx.reply(ctx.t("invite-needs-region"))
        await _show_invite_regions(ctx)
        return
    code = await people_repo.create_invite(ctx.session, ctx.hasher, ctx.user, Role.COORDINATOR, regions, INVITE_VALID_FOR)
    await ctx.audit("invite.created", regions=regions)
    ctx.go(None)
    ctx.reply(
        ctx.t("invite-created", code=code, regions=_region_list(ctx, regions), days=INVITE_VALID_FOR.days),
        [[button(ctx, "button-back", "coord")]],
        edit=True,
    )


@router.state("admin.invite", accepts_text=False)
async def invite_expects_buttons(ctx: Context) -> None:
    await _show_invite_regions(ctx)


@router.start_link("coord-")
async def redeem_invite(ctx: Context, code: str) -> None:
    """`/start coord-CODE`, after onboarding when she had not chosen a language yet."""
    invite = await people_repo.redeem_invite(ctx.session, ctx.hasher, code, ctx.user, ctx.now)
    if invite is None:
        ctx.reply(ctx.t("invite-invalid"))
    else:
        await ctx.audit("role.coordinator.joined", target=str(ctx.user.id), regions=invite.regions)
        ctx.reply(ctx.t("invite-accepted", regions=_region_list(ctx, ctx.user.coordinator_regions)))
    ctx.go(None)
    await ctx.home()


async def _show_invite_regions(ctx: Context) -> None:
    names = [(code, ctx.content.region_name(ctx.language, code)) for code in ctx.content.regions]
    rows = marked_rows(names, set(ctx.data.get("regions", [])), "adm:inv_reg")
    rows.append([button(ctx, "invite-create", "adm:inv_ok")])
    rows.append([button(ctx, "button-back", "coord")])
    ctx.reply(ctx.t("invite-choose-regions"), rows, edit=True)


async def _staff_member(ctx: Context, user_id: str) -> User:
    if not user_id.isdecimal():
        raise StaleAction(user_id)
    member = await ctx.session.get(User, int(user_id))
    if member is None or member.role not in (Role.COORDINATOR, Role.ADMIN) or member.id == ctx.user.id:
        raise StaleAction(user_id)
    return member


def _describe(ctx: Context, member: User) -> str:
    regions = ctx.t("all-regions") if member.role == Role.ADMIN else _region_list(ctx, member.coordinator_regions)
    return ctx.t("staff-line", id=member.id, role=ctx.t(f"role-{member.role}"), regions=regions)


def _region_list(ctx: Context, codes: list[str]) -> str:
    return ", ".join(ctx.content.region_name(ctx.language, code) for code in codes) or ctx.t("region-none")

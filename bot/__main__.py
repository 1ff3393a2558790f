"""Command line: `python -m bot run | demo | migrate | check-content | form-diagrams | admin add ID | admin list`."""

from __future__ import annotations

import argparse
import asyncio
import gc
import sys
from pathlib import Path

from bot.settings import Settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Tynchtyk chatbot")
    commands = parser.add_subparsers(dest="command", required=True)
    runner = commands.add_parser("run", help="serve Telegram (long polling, or a webhook when WEBHOOK_URL is set) "
                                            "and WhatsApp (when its settings are set)")
    runner.add_argument("--workers", type=int, default=1,
                        help="bot processes behind the one webhook port (needs PostgreSQL and webhooks)")
    runner.add_argument("--reuse-port", action="store_true", help=argparse.SUPPRESS)  # set for the workers
    commands.add_parser("demo", help="chat with the bot in this terminal, as an admin")
    commands.add_parser("migrate", help="apply database migrations")
    check = commands.add_parser("check-content", help="validate lessons, forms, directory and UI strings")
    check.add_argument("--content", type=Path, default=None, help="a content folder other than the shipped one")
    diagrams = commands.add_parser("form-diagrams", help="write each form's Mermaid diagram (content/forms/*.mmd) "
                                                         "from its YAML")
    diagrams.add_argument("--content", type=Path, default=None, help="a content folder other than the shipped one")
    exporter = commands.add_parser("export", help="export reports as CSV or XLSX")
    exporter.add_argument("what", choices=["reports"])
    exporter.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    exporter.add_argument("--output", type=Path, default=None, help="file to write (default: reports-DATE.FORMAT)")
    exporter.add_argument("--language", choices=["ky", "ru", "en"], default=None)
    exporter.add_argument("--region", default=None, help="only this region (a code such as naryn)")
    exporter.add_argument("--status", default=None, help="only this status (new, in_review, ...)")
    commands.add_parser("rotate-key", help="re-encrypt all stored data under a new key")
    admin = commands.add_parser("admin", help="manage admins")
    admin_commands = admin.add_subparsers(dest="admin_command", required=True)
    add = admin_commands.add_parser("add", help="make a Telegram user (or, with --whatsapp, a WhatsApp number) an admin")
    add.add_argument("user_id", help="the Telegram user id, or the WhatsApp number in international form")
    add.add_argument("--whatsapp", action="store_true", help="the id is a WhatsApp number")
    remove = admin_commands.add_parser("remove", help="make an admin or a coordinator a member again")
    remove.add_argument("user_id", help="the Telegram user id, or the WhatsApp number in international form")
    remove.add_argument("--whatsapp", action="store_true", help="the id is a WhatsApp number")
    admin_commands.add_parser("list", help="list coordinators and admins")
    args = parser.parse_args(argv)

    if args.command == "check-content":
        return check_content(args.content)
    if args.command == "form-diagrams":
        return form_diagrams(args.content)
    settings = Settings()
    from core.logs import configure_logging

    # In the demo, logs would mix with the chat: only warnings and errors reach the terminal.
    level = "WARNING" if args.command == "demo" else settings.log_level
    configure_logging(level)
    runners = {
        "run": _run,
        "demo": _demo,
        "migrate": _migrate,
        "admin": _admin,
        "export": _export,
        "rotate-key": _rotate_key,
    }
    return asyncio.run(runners[args.command](settings, args))


def check_content(directory: Path | None) -> int:
    from content import CONTENT_DIR
    from content import check_content as find_problems

    problems = find_problems(directory or CONTENT_DIR)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) in the content", file=sys.stderr)
        return 1
    print("content OK")
    return 0


def form_diagrams(directory: Path | None) -> int:
    from content import CONTENT_DIR
    from content.form_diagram import diagrams
    from content.forms_model import load_forms
    from content.locales import Problem

    folder = (directory or CONTENT_DIR) / "forms"
    problems: list[Problem] = []
    forms = load_forms(folder, problems)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:  # a diagram of half the forms would pass for all of them
        print(f"{len(problems)} problem(s) in the forms: no diagram written", file=sys.stderr)
        return 1
    for path, text in diagrams(folder, forms).items():
        if path.exists() and path.read_text(encoding="utf-8") == text:
            print(f"{path} is up to date")
            continue
        path.write_text(text, encoding="utf-8")
        print(f"{path} written")
    return 0


async def _run(settings: Settings, args: argparse.Namespace) -> int:
    problem = settings.serving_problem(args.workers)
    if problem:  # before the slow imports and the database, so that a typo is told at once
        print(problem, file=sys.stderr)
        return 2
    if args.workers > 1:
        from bot.workers import supervise

        return await supervise(args.workers)
    # No collections while the bot starts: each full pass walks everything imported and loaded so
    # far (loading the content took 0.5 s with them, 0.2 s without; bench/start_time.py). A start
    # makes little garbage that only the collector frees; serve() starts it again
    # (keep_startup_objects_out_of_collections).
    gc.disable()
    from bot.app import build_app
    from bot.run import serve

    app = await build_app(settings)
    try:
        await serve(app, reuse_port=args.reuse_port)
    finally:
        await app.close()
    return 0


async def _demo(settings: Settings, _args: argparse.Namespace) -> int:
    from bot.app import build_app
    from bot.channels.console import CONSOLE_USER, ConsoleChannel
    from storage import people_repo

    app = await build_app(settings)
    try:
        async with app.sessions() as session, session.begin():
            user, _ = await people_repo.get_or_create_user(session, "console", CONSOLE_USER)
            user.role = "admin"
        from scheduler.runner import start_scheduler

        from aiohttp import web

        from bot.run import start_web, web_addresses
        from dashboard import server as dashboard

        console = ConsoleChannel(app.engine)
        app.engine.register_channel(console)
        scheduler = await start_scheduler(app, {"console": console})
        web_app = web.Application()
        dashboard.mount(web_app, app)  # Coordinator menu → Dashboard prints its login link here
        runner = await start_web(web_app, web_addresses(settings, webhooks=False))
        try:
            await console.run()
        finally:
            if runner is not None:
                await runner.cleanup()
            await scheduler.stop()
    finally:
        await app.close()
    return 0


async def _migrate(settings: Settings, _args: argparse.Namespace) -> int:
    from bot.app import build_app

    app = await build_app(settings)  # migrates, with the key and the hashing secret at hand
    await app.close()
    print("database is up to date")
    return 0


async def _admin(settings: Settings, args: argparse.Namespace) -> int:
    from datetime import datetime, timezone

    from bot.app import build_app
    from storage import people_repo
    from storage.models import Role

    app = await build_app(settings)
    try:
        async with app.sessions() as session, session.begin():
            if args.admin_command in ("add", "remove"):
                channel = "whatsapp" if args.whatsapp else "telegram"
                external_id = "".join(char for char in args.user_id if char.isdecimal())
                if not external_id:
                    print("The id must be digits: a Telegram user id, or a WhatsApp number such as 996555123456.")
                    return 2
                who = f"{'WhatsApp' if args.whatsapp else 'Telegram'} user {external_id}"
                if args.admin_command == "add":
                    user = await people_repo.set_admin(session, channel, external_id)
                    print(f"{who} is an admin (#{user.id})")
                    return 0
                found = await people_repo.find_user(session, channel, external_id)
                if found is None or found.role == Role.MEMBER:
                    print(f"{who} is not an admin or a coordinator.")
                    return 2
                listed = channel == "telegram" and int(external_id) in settings.admin_ids
                cancelled = await people_repo.end_staff_role(session, found, datetime.now(timezone.utc))
                await people_repo.audit(session, None, "role.removed", target=str(found.id), source="command line")
                print(f"{who} (#{found.id}) is a member now; {cancelled} scheduled alert(s) of hers cancelled.")
                if listed:
                    print("Her id is still in ADMIN_IDS: take it out, or she is an admin again at her next message.")
            else:
                for member in await people_repo.list_staff(session):
                    regions = ", ".join(member.coordinator_regions) or "-"
                    print(f"#{member.id}\t{member.channel}:{member.external_id}\t{member.role}\t{regions}")
    finally:
        await app.close()
    return 0


async def _export(settings: Settings, args: argparse.Namespace) -> int:
    """The same export as in the chat, by the technician, with the contact columns of an admin."""
    from datetime import datetime

    from bot.app import build_app
    from handlers.reporting import Reader, export_headers, export_row
    from storage import export, people_repo
    from storage.reports_repo import find_reports

    app = await build_app(settings)
    reader = Reader(app.content, app.cipher, args.language or settings.default_language)
    try:
        async with app.sessions() as session, session.begin():
            found, _ = await find_reports(session, None, status=args.status, region=args.region)
            rows = [await export_row(session, reader, report, include_contact=True) for report in found]
            headers = export_headers(reader)
            content = export.to_csv(rows, headers, True) if args.format == "csv" else export.to_xlsx(
                rows, headers, True, reader.t("reports-sheet-title"))
            await people_repo.audit(session, None, "report.export", target=args.format, count=len(rows), source="command line")
        output = args.output or Path(f"reports-{datetime.now().strftime('%Y%m%d')}.{args.format}")
        output.write_bytes(content)
        print(f"{len(rows)} report(s) written to {output}")
    finally:
        await app.close()
    return 0


async def _rotate_key(settings: Settings, _args: argparse.Namespace) -> int:
    from bot.app import build_app
    from scheduler.leader import lock_for
    from storage.rotation import rotate_key

    app = await build_app(settings)
    data_key = settings.data_key.get_secret_value() if settings.data_key else None
    try:
        # Held while rotating: a running bot would write under the old key; a bot started in
        # between does not lead the scheduler.
        lock = lock_for(app.database, settings.data_dir)
        if not await lock.try_acquire():
            print("The bot is running (it holds the scheduler lock): stop it first, then run rotate-key.",
                  file=sys.stderr)
            return 2
        try:
            rotated = await rotate_key(app.sessions, data_key, settings.data_dir, settings.key_file)
        finally:
            await lock.release()
    finally:
        await app.close()
    print(f"Re-encrypted {rotated.values} value(s) and {rotated.files} file(s).")
    for what, unreadable in (("file", rotated.unreadable_files), ("value", rotated.unreadable_values)):
        if unreadable:
            print(f"{len(unreadable)} {what}{'s' if len(unreadable) > 1 else ''} could not be read: "
                  f"{', '.join(unreadable)}")
    if data_key:
        print("DATA_KEY is set in the environment: set it to the new key below, and keep a copy of it "
              "somewhere safe, apart from the data.")
        print(rotated.new_key.decode())
        print(f"Until DATA_KEY holds it, the new key is also in {rotated.key_kept_in}, which the bot reads; "
              "the first start with DATA_KEY set to it removes that file.")
    else:
        print(f"The new key is in {settings.key_file}; keep a copy of it somewhere safe, apart from the data.")
    return 0

if __name__ == "__main__":
    sys.exit(main())

"""Campaign alerts on their way: scheduled alerts become outbox rows when due (the alerts feature
renders each row in its recipient's language), and the coordinator's progress message is updated
in place (sent, failed, blocked, left) until a final report."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from core.services import App
from core.engine import OutputChannel
from core.messages import Incoming, IncomingKind, Reply
from storage import broadcast_repo
from storage import people_repo
from storage.evidence import remove_alert_photo
from storage.models import Broadcast, BroadcastStatus, User

PROGRESS_EVERY = timedelta(seconds=2)


class BroadcastService:
    def __init__(self, app: App, channels: dict[str, OutputChannel]) -> None:
        self.app = app
        self.channels = channels
        # The alerts feature's renderer of an outbox row (the sender shares it).
        self.render = app.engine.routes.renderers["broadcast"](app)

    async def start_due(self, now: datetime) -> int:
        started = 0
        async with self.app.sessions() as session, session.begin():
            for broadcast in await broadcast_repo.due_broadcasts(session, now):
                await broadcast_repo.enqueue(session, broadcast, now)
                started += 1
        return started

    async def report_progress(self, now: datetime, force: bool = False) -> None:
        async with self.app.sessions() as session, session.begin():
            for broadcast in await broadcast_repo.sending_broadcasts(session):
                counts = await broadcast_repo.counts(session, broadcast.id)
                creator = await session.get(User, broadcast.created_by) if broadcast.created_by else None
                language = (creator.language if creator else None) or self.app.settings.default_language
                left = counts["pending"] + counts["sending"]
                if left == 0:
                    broadcast.status = BroadcastStatus.DONE
                    broadcast.finished_at = now
                    remove_alert_photo(self.app.settings.data_dir, broadcast.photo_path)
                    await self._tell(session, broadcast, self._text(language, broadcast, "bc-final", counts),
                                     now, new_message=True)
                elif force or broadcast.progress_at is None or now - broadcast.progress_at >= PROGRESS_EVERY:
                    broadcast.progress_at = now
                    message_id = await self._tell(session, broadcast, self._text(language, broadcast, "bc-progress", counts), now)
                    if message_id:
                        broadcast.progress_message = message_id

    def _text(self, language: str, broadcast: Broadcast, key: str, counts: dict[str, int]) -> str:
        return self.app.content.catalog.text(
            language, key, id=broadcast.id, sent=counts["sent"], failed=counts["failed"] + counts["unknown"],
            blocked=counts["blocked"], left=counts["pending"] + counts["sending"],
            skipped=counts["skipped"], acked=counts["acked"],
        )

    async def _tell(
        self, session: AsyncSession, broadcast: Broadcast, text: str, now: datetime, new_message: bool = False
    ) -> str | None:
        """The coordinator's progress message: edited in place, or a new one, whose id is kept
        for her "Wipe this chat" like every other message sent to her."""
        channel = self.channels.get(broadcast.progress_channel or "")
        if channel is None or not broadcast.progress_chat or broadcast.created_by is None:
            return None
        edit = broadcast.progress_message if not new_message else None
        incoming = Incoming(broadcast.progress_channel or "", broadcast.progress_chat, broadcast.progress_chat,
                            IncomingKind.ACTION, message_id=edit, scheduled=True)
        delivery = await channel.deliver(incoming, [Reply(text=text, edit=edit is not None)])
        if delivery.sent_message_ids and channel.capabilities.keeps_message_ids:
            await people_repo.remember_messages(
                session, [(broadcast.created_by, broadcast.progress_chat, delivery.sent_message_ids, now)]
            )
        return delivery.sent_message_ids[0] if delivery.sent_message_ids else edit

"""Campaign alerts on their way: scheduled alerts become outbox rows when due (the alerts feature
renders each row in its recipient's language), and the coordinator's progress message is updated
in place (sent, failed, blocked, left) until a final report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from core.services import App
from core.engine import OutputChannel
from core.messages import Incoming, IncomingKind, Reply
from storage import broadcast_repo
from storage import people_repo
from storage.db import in_batches
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
        """The alerts that are due, queued a batch of recipients a transaction, the loop given
        back in between so that the chats are answered meanwhile; how many were started. The
        rows of the first batches may go out while the rest are queued; an alert cancelled
        meanwhile is queued no further."""
        async with self.app.sessions() as session:
            due = [broadcast.id for broadcast in await broadcast_repo.due_broadcasts(session, now)]
        for broadcast_id in due:
            await in_batches(self.app.sessions, _Queueing(broadcast_id, now).next_batch)
        return len(due)

    async def report_progress(self, now: datetime, force: bool = False) -> None:
        """Each sending alert's progress message, or its final report once nothing is left. The
        messages go out once the transaction that decided them has committed, and their ids are
        kept by another: a send is a wait, and on SQLite a transaction that has written holds
        every other writer up for as long (with two alerts at once, the first one's writes held
        the lock while the second's message was sent)."""
        async with self.app.sessions() as session, session.begin():
            messages = [message for broadcast in await broadcast_repo.sending_broadcasts(session)
                        if (message := await self._progress(session, broadcast, now, force)) is not None]
        told = [(message, await self._tell(message)) for message in messages]
        if not any(sent for _, sent in told):
            return
        async with self.app.sessions() as session, session.begin():
            for message, sent in told:
                await self._keep(session, message, sent, now)

    async def _progress(self, session: AsyncSession, broadcast: Broadcast, now: datetime,
                        force: bool) -> _Progress | None:
        counts = await broadcast_repo.counts(session, broadcast.id)
        creator = await session.get(User, broadcast.created_by) if broadcast.created_by else None
        language = (creator.language if creator else None) or self.app.settings.default_language
        final = counts["pending"] + counts["sending"] == 0
        if final:
            broadcast.status = BroadcastStatus.DONE
            broadcast.finished_at = now
            remove_alert_photo(self.app.settings.data_dir, broadcast.photo_path)
        elif force or broadcast.progress_at is None or now - broadcast.progress_at >= PROGRESS_EVERY:
            broadcast.progress_at = now
        else:
            return None
        if broadcast.progress_channel not in self.channels or not broadcast.progress_chat or broadcast.created_by is None:
            return None
        text = self._text(language, broadcast, "bc-final" if final else "bc-progress", counts)
        return _Progress(broadcast.id, broadcast.progress_channel or "", broadcast.progress_chat, broadcast.created_by,
                         text, final, None if final else broadcast.progress_message)

    def _text(self, language: str, broadcast: Broadcast, key: str, counts: dict[str, int]) -> str:
        return self.app.content.catalog.text(
            language, key, id=broadcast.id, sent=counts["sent"], failed=counts["failed"] + counts["unknown"],
            blocked=counts["blocked"], left=counts["pending"] + counts["sending"],
            skipped=counts["skipped"], acked=counts["acked"],
        )

    async def _tell(self, message: _Progress) -> list[str]:
        """The coordinator's progress message, edited in place or sent as a new one; the ids sent."""
        channel = self.channels[message.channel]
        incoming = Incoming(message.channel, message.chat, message.chat, IncomingKind.ACTION,
                            message_id=message.edit, scheduled=True)
        delivery = await channel.deliver(incoming, [Reply(text=message.text, edit=message.edit is not None)])
        return delivery.sent_message_ids

    async def _keep(self, session: AsyncSession, message: _Progress, sent: list[str], now: datetime) -> None:
        """The id of a new progress message, to edit it next time, and every id sent, for her
        "Wipe this chat" like every other message sent to her (unless she has left since)."""
        if not sent:
            return
        broadcast = await session.get(Broadcast, message.broadcast_id)
        if broadcast is not None and not message.final and broadcast.progress_chat == message.chat:
            broadcast.progress_message = sent[0]
        if self.channels[message.channel].capabilities.keeps_message_ids:
            await people_repo.remember_messages(session, [(message.coordinator, message.chat, sent, now)])


@dataclass
class _Queueing:
    """An alert being queued, a batch of recipients at a time: where it has got to."""

    broadcast_id: int
    now: datetime
    after: int | None = None  # the last recipient queued (None: read from the rows queued so far)

    async def next_batch(self, session: AsyncSession) -> bool:
        """The next batch queued; whether more are left (not for an alert cancelled meanwhile)."""
        broadcast = await session.get(Broadcast, self.broadcast_id)
        if broadcast is None or broadcast.status != BroadcastStatus.SCHEDULED:
            return False
        self.after = await broadcast_repo.enqueue(session, broadcast, self.now, self.after)
        return self.after is not None


@dataclass(frozen=True)
class _Progress:
    """A progress message decided: to whom, what it says, and the message it edits (None: a new one)."""

    broadcast_id: int
    channel: str
    chat: str
    coordinator: int
    text: str
    final: bool
    edit: str | None

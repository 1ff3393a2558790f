"""no trace: task, alert, summary and menu texts encrypted; group invite codes keyed; message ids
hashed; times that could tie an anonymous report to a person kept to the hour; configured admins

Existing rows are converted with the key and the hashing secret that `storage.db.migrate` hands
in (a database with such rows cannot be upgraded without them).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 15:40:00
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

# Rows that name a person, and the rows of reports: their times are kept to the hour.
HOURLY = {
    'users': ('id', ('created_at', 'last_seen_at')),
    'conversations': ('user_id', ('updated_at',)),
    'chat_messages': ('id', ('at',)),
    'drafts': (('user_id', 'form_id'), ('updated_at',)),
    'reports': ('id', ('created_at', 'updated_at')),
    'evidence': ('id', ('created_at',)),
    'report_events': ('id', ('at',)),
    'inbound_messages': (('channel', 'message_id'), ('received_at',)),
}


def upgrade() -> None:
    with op.batch_alter_table('users') as batch_op:
        batch_op.add_column(sa.Column('configured_admin', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('users') as batch_op:
        batch_op.alter_column('configured_admin', server_default=None)

    with op.batch_alter_table('conversations') as batch_op:
        batch_op.add_column(sa.Column('menu_token', sa.LargeBinary(), nullable=True))
        batch_op.drop_column('menu')  # a menu is only the last buttons shown: the next reply makes a new one

    _add_encrypted('broadcasts', 'texts', 'texts_token', nullable=False, is_json=True)
    _add_encrypted('outbox', 'payload', 'payload_token', nullable=True, is_json=True)
    _add_encrypted('tasks', 'title', 'title_token', nullable=False)
    _add_encrypted('tasks', 'description', 'description_token', nullable=True)

    with op.batch_alter_table('monitoring_groups') as batch_op:
        batch_op.add_column(sa.Column('invite_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('invite_token', sa.LargeBinary(), nullable=True))
    connection = op.get_bind()
    groups = connection.execute(sa.text('SELECT id, invite_code FROM monitoring_groups')).all()
    for group_id, code in groups:
        connection.execute(
            sa.text('UPDATE monitoring_groups SET invite_hash = :hash, invite_token = :token WHERE id = :id'),
            {'hash': _hasher().digest('group-invite', code.upper()), 'token': _cipher().encrypt(code.encode()),
             'id': group_id},
        )
    with op.batch_alter_table('monitoring_groups') as batch_op:
        batch_op.alter_column('invite_hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('invite_token', existing_type=sa.LargeBinary(), nullable=False)
        batch_op.create_unique_constraint('uq_monitoring_groups_invite_hash', ['invite_hash'])
    _drop_invite_code()

    seen = connection.execute(sa.text('SELECT channel, message_id FROM inbound_messages')).all()
    for channel, message_id in seen:
        connection.execute(
            sa.text('UPDATE inbound_messages SET message_id = :new WHERE channel = :channel AND message_id = :old'),
            {'new': _hasher().digest('inbound', f'{channel}:{message_id}'), 'channel': channel, 'old': message_id},
        )
    for table, (key, columns) in HOURLY.items():
        _floor_to_hour(table, key, columns)


def downgrade() -> None:
    connection = op.get_bind()
    with op.batch_alter_table('monitoring_groups') as batch_op:
        batch_op.add_column(sa.Column('invite_code', sa.String(length=16), nullable=True))
    for group_id, token in connection.execute(sa.text('SELECT id, invite_token FROM monitoring_groups')).all():
        connection.execute(sa.text('UPDATE monitoring_groups SET invite_code = :code WHERE id = :id'),
                           {'code': _cipher().decrypt(token).decode(), 'id': group_id})
    with op.batch_alter_table('monitoring_groups') as batch_op:
        batch_op.drop_constraint('uq_monitoring_groups_invite_hash', type_='unique')
        batch_op.drop_column('invite_token')
        batch_op.drop_column('invite_hash')
        batch_op.alter_column('invite_code', existing_type=sa.String(length=16), nullable=False)
        batch_op.create_unique_constraint('uq_monitoring_groups_invite_code', ['invite_code'])

    _remove_encrypted('tasks', 'description', 'description_token', sa.String(length=2000), nullable=True)
    _remove_encrypted('tasks', 'title', 'title_token', sa.String(length=200), nullable=False)
    _remove_encrypted('outbox', 'payload', 'payload_token', sa.JSON(), nullable=True, is_json=True)
    _remove_encrypted('broadcasts', 'texts', 'texts_token', sa.JSON(), nullable=False, is_json=True)

    with op.batch_alter_table('conversations') as batch_op:
        batch_op.add_column(sa.Column('menu', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.drop_column('menu_token')
    with op.batch_alter_table('users') as batch_op:
        batch_op.drop_column('configured_admin')


# ---------------------------------------------------------------- helpers


def _add_encrypted(table: str, plain: str, token: str, nullable: bool, is_json: bool = False) -> None:
    with op.batch_alter_table(table) as batch_op:
        batch_op.add_column(sa.Column(token, sa.LargeBinary(), nullable=True))
    connection = op.get_bind()
    for row_id, value in connection.execute(sa.text(f'SELECT id, {plain} FROM {table}')).all():
        if value is None:
            continue
        if is_json:
            value = json.dumps(json.loads(value) if isinstance(value, str) else value,
                               ensure_ascii=False, separators=(',', ':'))
        connection.execute(sa.text(f'UPDATE {table} SET {token} = :token WHERE id = :id'),
                           {'token': _cipher().encrypt(value.encode()), 'id': row_id})
    with op.batch_alter_table(table) as batch_op:
        if not nullable:
            batch_op.alter_column(token, existing_type=sa.LargeBinary(), nullable=False)
        batch_op.drop_column(plain)


def _remove_encrypted(table: str, plain: str, token: str, type_: Any, nullable: bool, is_json: bool = False) -> None:
    with op.batch_alter_table(table) as batch_op:
        batch_op.add_column(sa.Column(plain, type_, nullable=True))
    connection = op.get_bind()
    for row_id, value in connection.execute(sa.text(f'SELECT id, {token} FROM {table}')).all():
        if value is None:
            continue
        text = _cipher().decrypt(value).decode()
        statement = sa.text(f'UPDATE {table} SET {plain} = :value WHERE id = :id')
        if is_json:
            statement = statement.bindparams(sa.bindparam('value', type_=sa.JSON()))
        connection.execute(statement, {'value': json.loads(text) if is_json else text, 'id': row_id})
    with op.batch_alter_table(table) as batch_op:
        if not nullable:
            batch_op.alter_column(plain, existing_type=type_, nullable=False)
        batch_op.drop_column(token)


def _drop_invite_code() -> None:
    connection = op.get_bind()
    if connection.dialect.name == 'sqlite':
        # The unnamed UNIQUE of 0006 goes with the table that batch mode builds anew.
        with op.batch_alter_table('monitoring_groups', recreate='always') as batch_op:
            batch_op.drop_column('invite_code')
        return
    for constraint in sa.inspect(connection).get_unique_constraints('monitoring_groups'):
        if constraint['column_names'] == ['invite_code']:
            op.drop_constraint(constraint['name'], 'monitoring_groups', type_='unique')
    op.drop_column('monitoring_groups', 'invite_code')


def _floor_to_hour(table: str, key: str | tuple[str, ...], columns: tuple[str, ...]) -> None:
    connection = op.get_bind()
    keys = (key,) if isinstance(key, str) else key
    when = sa.DateTime(timezone=True)
    rows = connection.execute(sa.text(f'SELECT {", ".join(keys + columns)} FROM {table}')).all()
    for row in rows:
        values = {f'c{index}': _hour(row[len(keys) + index]) for index in range(len(columns))}
        where = ' AND '.join(f'{name} = :k{index}' for index, name in enumerate(keys))
        sets = ', '.join(f'{name} = :c{index}' for index, name in enumerate(columns))
        statement = sa.text(f'UPDATE {table} SET {sets} WHERE {where}').bindparams(
            *(sa.bindparam(f'c{index}', type_=when) for index in range(len(columns))))
        connection.execute(statement, {**values, **{f'k{index}': row[index] for index in range(len(keys))}})


def _hour(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).replace(minute=0, second=0, microsecond=0)


def _cipher() -> Any:
    cipher = op.get_context().config.attributes.get('cipher')
    if cipher is None:
        raise RuntimeError('this database holds texts to encrypt: run the migration through the bot (python -m bot migrate)')
    return cipher


def _hasher() -> Any:
    hasher = op.get_context().config.attributes.get('hasher')
    if hasher is None:
        raise RuntimeError('this database holds invite codes to hash: run the migration through the bot (python -m bot migrate)')
    return hasher

"""broadcasts, outbox, muted alerts

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 08:52:27.211225
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('broadcasts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('texts', sa.JSON(), nullable=False),
    sa.Column('photo_path', sa.String(length=200), nullable=True),
    sa.Column('link_url', sa.String(length=500), nullable=True),
    sa.Column('link_label', sa.String(length=64), nullable=True),
    sa.Column('audience', sa.JSON(), nullable=False),
    sa.Column('ask_ack', sa.Boolean(), nullable=False),
    sa.Column('send_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('progress_channel', sa.String(length=16), nullable=True),
    sa.Column('progress_chat', sa.String(length=64), nullable=True),
    sa.Column('progress_message', sa.String(length=64), nullable=True),
    sa.Column('progress_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('broadcasts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_broadcasts_send_at'), ['send_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_broadcasts_status'), ['status'], unique=False)

    op.create_table('outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('broadcast_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('chat_key', sa.String(length=64), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('acked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('error', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['broadcast_id'], ['broadcasts.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('broadcast_id', 'user_id', name='uq_outbox_broadcast_user')
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_broadcast_id'), ['broadcast_id'], unique=False)
        batch_op.create_index('ix_outbox_due', ['status', 'next_attempt_at'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('alerts_muted', sa.Boolean(), nullable=False, server_default=sa.false()))



def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('alerts_muted')

    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_due')
        batch_op.drop_index(batch_op.f('ix_outbox_broadcast_id'))

    op.drop_table('outbox')
    with op.batch_alter_table('broadcasts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_broadcasts_status'))
        batch_op.drop_index(batch_op.f('ix_broadcasts_send_at'))

    op.drop_table('broadcasts')

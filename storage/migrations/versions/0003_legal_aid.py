"""legal-aid overrides and anonymous lookup counts

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 08:32:49.639790
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('legal_aid_lookups',
    sa.Column('day', sa.String(length=10), nullable=False),
    sa.Column('region', sa.String(length=32), nullable=False),
    sa.Column('topic', sa.String(length=24), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('day', 'region', 'topic')
    )
    op.create_table('legal_aid_overrides',
    sa.Column('entry_id', sa.String(length=24), nullable=False),
    sa.Column('data', sa.JSON(), nullable=True),
    sa.Column('hidden', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('entry_id')
    )


def downgrade() -> None:
    op.drop_table('legal_aid_overrides')
    op.drop_table('legal_aid_lookups')

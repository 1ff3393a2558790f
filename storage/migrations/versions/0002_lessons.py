"""lesson progress, course completions, daily lessons

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 08:15:29.547255
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('course_completions',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.String(length=12), nullable=False),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'course_id')
    )
    op.create_table('daily_lessons',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('local_time', sa.String(length=5), nullable=False),
    sa.Column('next_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id')
    )
    with op.batch_alter_table('daily_lessons', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_daily_lessons_next_at'), ['next_at'], unique=False)

    op.create_table('lesson_progress',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.String(length=12), nullable=False),
    sa.Column('lesson_id', sa.String(length=12), nullable=False),
    sa.Column('card', sa.Integer(), nullable=False),
    sa.Column('question', sa.Integer(), nullable=False),
    sa.Column('correct', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'course_id', 'lesson_id')
    )


def downgrade() -> None:
    op.drop_table('lesson_progress')
    with op.batch_alter_table('daily_lessons', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_daily_lessons_next_at'))

    op.drop_table('daily_lessons')
    op.drop_table('course_completions')

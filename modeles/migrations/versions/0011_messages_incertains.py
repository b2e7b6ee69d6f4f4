"""Messages incertains : l'heure de chaque tentative d'envoi, et la vérification du coordinateur (issue 10, §4).

`messages.tente_le` dit depuis quand un message est « en cours » : resté ainsi bien au-delà de la durée d'un
envoi, il a été interrompu (processus tué) et se montre « incertain ». `verifications_messages` garde qui a
confirmé ou fait renvoyer un message incertain, quand, et ce qu'il a noté.

Revision ID: 0011
Revises: 0008
Create Date: 2026-12-05 18:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0011'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

def upgrade() -> None:
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tente_le', sa.DateTime(timezone=True), nullable=True))

    op.create_table('verifications_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('issue', sa.String(length=20), nullable=False),
    sa.Column('par', sa.String(length=200), nullable=False),
    sa.Column('le', sa.DateTime(timezone=True), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.CheckConstraint("issue IN ('confirme', 'renvoye')", name=op.f('ck_verifications_messages_issue')),
    sa.ForeignKeyConstraint(['message_id'], ['messages.id'], name=op.f('fk_verifications_messages_message_id_messages'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_verifications_messages'))
    )
    with op.batch_alter_table('verifications_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_verifications_messages_message_id'), ['message_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('verifications_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_verifications_messages_message_id'))
    op.drop_table('verifications_messages')
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_column('tente_le')

"""Réponses à vérifier (expéditeur qui n'est pas l'invité) et adresses secondaires des personnes.

Revision ID: 0009
Revises: 0005
Create Date: 2026-12-05 14:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0009'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('personnes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('emails_secondaires', sa.JSON(), nullable=False, server_default=sa.text("'[]'")))

    op.create_table('reponses_a_verifier',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('invitation_id', sa.Integer(), nullable=False),
    sa.Column('participant', sa.String(length=320), nullable=False),
    sa.Column('expediteurs', sa.Text(), nullable=False),
    sa.Column('motif', sa.Text(), nullable=False),
    sa.Column('source', sa.String(length=1000), nullable=False),
    sa.Column('reponse', sa.String(length=20), nullable=False),
    sa.Column('commentaire', sa.Text(), nullable=True),
    sa.Column('delegue_a', sa.String(length=320), nullable=True),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('horodatage', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recue_le', sa.DateTime(timezone=True), nullable=False),
    sa.Column('etat', sa.String(length=20), nullable=False),
    sa.Column('tranchee_le', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['invitation_id'], ['invitations.id'], name=op.f('fk_reponses_a_verifier_invitation_id_invitations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reponses_a_verifier'))
    )
    with op.batch_alter_table('reponses_a_verifier', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reponses_a_verifier_invitation_id'), ['invitation_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('reponses_a_verifier', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reponses_a_verifier_invitation_id'))
    op.drop_table('reponses_a_verifier')
    with op.batch_alter_table('personnes', schema=None) as batch_op:
        batch_op.drop_column('emails_secondaires')

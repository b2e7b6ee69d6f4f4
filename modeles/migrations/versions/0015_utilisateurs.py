"""Comptes de l'application web (rôle, territoires, instances d'un secrétaire) et journal des actions.

Revision ID: 0015
Revises: 0011
Create Date: 2026-12-05 17:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0015'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROLES = "'coordinateur', 'secretaire', 'lecture'"
ACTIONS = (
    "'connexion', 'planification', 'modification_reunion', 'convocation', 'annulation', 'suppression_reunion', "
    "'import_compte_rendu', 'validation_compte_rendu', 'diffusion_compte_rendu', 'modification_action', "
    "'annuaire', 'membres', 'import_contacts', 'referentiel', 'calendrier', 'bilan'"
)


def upgrade() -> None:
    op.create_table('utilisateurs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('nom', sa.String(length=200), nullable=False),
    sa.Column('mot_de_passe', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('actif', sa.Boolean(), nullable=False),
    sa.Column('cree_le', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint(f"role IN ({ROLES})", name=op.f('ck_utilisateurs_role')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_utilisateurs')),
    sa.UniqueConstraint('email', name=op.f('uq_utilisateurs_email'))
    )
    op.create_table('utilisateurs_territoires',
    sa.Column('utilisateur_id', sa.Integer(), nullable=False),
    sa.Column('territoire_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['territoire_id'], ['territoires.id'], name=op.f('fk_utilisateurs_territoires_territoire_id_territoires'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['utilisateur_id'], ['utilisateurs.id'], name=op.f('fk_utilisateurs_territoires_utilisateur_id_utilisateurs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('utilisateur_id', 'territoire_id', name=op.f('pk_utilisateurs_territoires'))
    )
    with op.batch_alter_table('utilisateurs_territoires', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_utilisateurs_territoires_territoire_id'), ['territoire_id'], unique=False)

    op.create_table('utilisateurs_instances',
    sa.Column('utilisateur_id', sa.Integer(), nullable=False),
    sa.Column('instance_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['instance_id'], ['instances.id'], name=op.f('fk_utilisateurs_instances_instance_id_instances'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['utilisateur_id'], ['utilisateurs.id'], name=op.f('fk_utilisateurs_instances_utilisateur_id_utilisateurs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('utilisateur_id', 'instance_id', name=op.f('pk_utilisateurs_instances'))
    )
    with op.batch_alter_table('utilisateurs_instances', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_utilisateurs_instances_instance_id'), ['instance_id'], unique=False)

    op.create_table('journal_actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('utilisateur_id', sa.Integer(), nullable=True),
    sa.Column('auteur', sa.String(length=320), nullable=False),
    sa.Column('le', sa.DateTime(timezone=True), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('reunion_id', sa.Integer(), nullable=True),
    sa.Column('details', sa.Text(), nullable=True),
    sa.CheckConstraint(f"action IN ({ACTIONS})", name=op.f('ck_journal_actions_action')),
    sa.ForeignKeyConstraint(['reunion_id'], ['reunions.id'], name=op.f('fk_journal_actions_reunion_id_reunions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['utilisateur_id'], ['utilisateurs.id'], name=op.f('fk_journal_actions_utilisateur_id_utilisateurs'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_journal_actions'))
    )
    with op.batch_alter_table('journal_actions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_journal_actions_le'), ['le'], unique=False)
        batch_op.create_index(batch_op.f('ix_journal_actions_reunion_id'), ['reunion_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_journal_actions_utilisateur_id'), ['utilisateur_id'], unique=False)


def downgrade() -> None:
    op.drop_table('journal_actions')
    op.drop_table('utilisateurs_instances')
    op.drop_table('utilisateurs_territoires')
    op.drop_table('utilisateurs')

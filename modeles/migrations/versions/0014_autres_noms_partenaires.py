"""Les autres noms d'un partenaire (« Mairie de L'Union », « CAF 31 »), que l'import des contacts reconnaît.

Revision ID: 0014
Revises: 0015
Create Date: 2026-12-05 18:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0014'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('partenaires', schema=None) as batch_op:
        batch_op.add_column(sa.Column('autres_noms', sa.JSON(), nullable=False, server_default=sa.text("'[]'")))


def downgrade() -> None:
    with op.batch_alter_table('partenaires', schema=None) as batch_op:
        batch_op.drop_column('autres_noms')

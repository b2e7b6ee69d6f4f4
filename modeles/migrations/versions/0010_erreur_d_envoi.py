"""La dernière erreur d'envoi d'un courriel et depuis quand elle dure (issue 10, §3).

`ctg reunion voir` en tire « convocation en cours : 12 envoyés, 28 en attente (serveur injoignable depuis 9 h 02) ».

Revision ID: 0010
Revises: 0014
Create Date: 2026-12-05 18:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0010'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('derniere_erreur', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('erreur_depuis', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_column('erreur_depuis')
        batch_op.drop_column('derniere_erreur')

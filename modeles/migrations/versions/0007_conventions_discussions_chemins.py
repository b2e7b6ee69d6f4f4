"""Plusieurs conventions par territoire (statut, signataires), les discussions d'un compte rendu en table,
les chemins des fichiers enregistrés relativement à CTG_HOME.

Le dossier CTG_HOME vient de `ctg migrer` (attribut « ctg_home » de la configuration Alembic), sinon de la
variable d'environnement CTG_HOME ; sans l'un ni l'autre, les chemins restent tels quels (un chemin absolu
reste lisible). Un chemin hors de CTG_HOME n'est jamais touché.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05
"""

import json
import os
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

import sqlalchemy as sa
from alembic import context, op


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUTS = ("en_preparation", "signee", "echue")
TABLES_A_CHEMIN = ("documents", "messages")


def upgrade() -> None:
    _conventions_multiples()
    op.create_table('signataires',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('convention_id', sa.Integer(), nullable=False),
    sa.Column('partenaire_id', sa.Integer(), nullable=False),
    sa.Column('personne_id', sa.Integer(), nullable=True),
    sa.Column('signe_le', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['convention_id'], ['conventions.id'], name=op.f('fk_signataires_convention_id_conventions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['partenaire_id'], ['partenaires.id'], name=op.f('fk_signataires_partenaire_id_partenaires'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['personne_id'], ['personnes.id'], name=op.f('fk_signataires_personne_id_personnes'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signataires')),
    sa.UniqueConstraint('convention_id', 'partenaire_id', name=op.f('uq_signataires_convention_id_partenaire_id'))
    )
    with op.batch_alter_table('signataires', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signataires_partenaire_id'), ['partenaire_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_signataires_personne_id'), ['personne_id'], unique=False)
    _discussions_en_table()
    _chemins(vers_relatif=True)


def downgrade() -> None:
    _chemins(vers_relatif=False)
    _discussions_en_json()
    with op.batch_alter_table('signataires', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signataires_personne_id'))
        batch_op.drop_index(batch_op.f('ix_signataires_partenaire_id'))
    op.drop_table('signataires')
    _une_convention_par_territoire()


def _conventions_multiples() -> None:
    with op.batch_alter_table('conventions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_conventions_territoire_id'), type_='unique')
        batch_op.add_column(sa.Column('statut', sa.String(length=20), nullable=False, server_default='en_preparation'))
        batch_op.create_check_constraint(
            op.f('ck_conventions_statut'), sa.column('statut').in_(STATUTS)
        )
        batch_op.create_index(batch_op.f('ix_conventions_territoire_id'), ['territoire_id'], unique=False)
    # Une convention dont la période est connue a été signée (c'est ce que donnait le référentiel).
    op.execute("UPDATE conventions SET statut = 'signee' WHERE debut IS NOT NULL AND fin IS NOT NULL")


def _une_convention_par_territoire() -> None:
    # L'ancien schéma n'en garde qu'une par territoire : la plus récente reste, les autres sont perdues.
    conventions = sa.table('conventions', sa.column('id', sa.Integer), sa.column('territoire_id', sa.Integer),
                           sa.column('debut', sa.Date))
    lien = op.get_bind()
    gardees: dict[int, tuple[str, int]] = {}
    for ligne in lien.execute(sa.select(conventions.c.id, conventions.c.territoire_id, conventions.c.debut)):
        cle = (ligne.debut.isoformat() if ligne.debut else '', ligne.id)
        gardees[ligne.territoire_id] = max(gardees.get(ligne.territoire_id, cle), cle)
    a_garder = [identifiant for _, identifiant in gardees.values()]
    lien.execute(sa.delete(conventions).where(conventions.c.id.not_in(a_garder)))
    with op.batch_alter_table('conventions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conventions_territoire_id'))
        batch_op.drop_constraint(op.f('ck_conventions_statut'), type_='check')
        batch_op.drop_column('statut')
        batch_op.create_unique_constraint(batch_op.f('uq_conventions_territoire_id'), ['territoire_id'])


def _discussions_en_table() -> None:
    # Lues avant de toucher aux tables : sur SQLite, le mode batch recrée comptes_rendus, et son DROP TABLE
    # viderait par ON DELETE CASCADE une table discussions déjà remplie (si les clés étrangères sont actives).
    comptes_rendus = sa.table('comptes_rendus', sa.column('id', sa.Integer), sa.column('discussions', sa.JSON))
    lien = op.get_bind()
    lignes = []
    for compte_rendu in lien.execute(sa.select(comptes_rendus.c.id, comptes_rendus.c.discussions)).all():
        contenu = compte_rendu.discussions
        if isinstance(contenu, str):  # un JSON relu comme texte (selon le pilote)
            contenu = json.loads(contenu or '{}')
        for numero, texte in (contenu or {}).items():
            if str(numero).strip().isdigit():
                lignes.append({'compte_rendu_id': compte_rendu.id, 'numero_point': int(numero), 'texte': str(texte)})
    with op.batch_alter_table('comptes_rendus', schema=None) as batch_op:
        batch_op.drop_column('discussions')
    discussions = op.create_table('discussions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('compte_rendu_id', sa.Integer(), nullable=False),
    sa.Column('numero_point', sa.Integer(), nullable=False),
    sa.Column('texte', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['compte_rendu_id'], ['comptes_rendus.id'], name=op.f('fk_discussions_compte_rendu_id_comptes_rendus'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_discussions')),
    sa.UniqueConstraint('compte_rendu_id', 'numero_point', name=op.f('uq_discussions_compte_rendu_id_numero_point'))
    )
    if lignes:
        op.bulk_insert(discussions, lignes)


def _discussions_en_json() -> None:
    discussions = sa.table('discussions', sa.column('compte_rendu_id', sa.Integer), sa.column('numero_point', sa.Integer),
                           sa.column('texte', sa.Text))
    lien = op.get_bind()
    par_compte_rendu: dict[int, dict[str, str]] = {}
    for ligne in lien.execute(sa.select(discussions).order_by(discussions.c.compte_rendu_id, discussions.c.numero_point)):
        par_compte_rendu.setdefault(ligne.compte_rendu_id, {})[str(ligne.numero_point)] = ligne.texte
    op.drop_table('discussions')  # avant de recréer comptes_rendus (mode batch de SQLite), comme à la montée
    with op.batch_alter_table('comptes_rendus', schema=None) as batch_op:
        batch_op.add_column(sa.Column('discussions', sa.JSON(), nullable=False, server_default='{}'))
    comptes_rendus = sa.table('comptes_rendus', sa.column('id', sa.Integer), sa.column('discussions', sa.JSON))
    for identifiant, contenu in par_compte_rendu.items():
        lien.execute(sa.update(comptes_rendus).where(comptes_rendus.c.id == identifiant).values(discussions=contenu))


def _dossier_des_donnees() -> Path | None:
    dossier = context.config.attributes.get('ctg_home') or os.environ.get('CTG_HOME')
    if not dossier:
        return None
    return Path(os.path.abspath(dossier))


def _relatif(chemin: str, dossier: Path) -> str | None:
    """Le chemin relatif à `dossier` s'il s'y trouve, sinon None (laissé tel quel)."""
    absolu = Path(chemin)
    if not absolu.is_absolute():
        return None
    for racine, cible in ((dossier, Path(os.path.normpath(absolu))), (dossier.resolve(), absolu.resolve())):
        try:
            return PurePosixPath(*cible.relative_to(racine).parts).as_posix()
        except ValueError:
            continue
    return None


def _chemins(*, vers_relatif: bool) -> None:
    dossier = _dossier_des_donnees()
    if dossier is None:
        return
    lien = op.get_bind()
    for nom in TABLES_A_CHEMIN:
        table = sa.table(nom, sa.column('id', sa.Integer), sa.column('chemin', sa.String))
        for ligne in lien.execute(sa.select(table.c.id, table.c.chemin)).all():
            if vers_relatif:
                nouveau = _relatif(ligne.chemin, dossier)
            else:
                nouveau = None if Path(ligne.chemin).is_absolute() else str(dossier / ligne.chemin)
            if nouveau is not None and nouveau != ligne.chemin:
                lien.execute(sa.update(table).where(table.c.id == ligne.id).values(chemin=nouveau))

"""Vocabulaires fermés : une contrainte CHECK par colonne de statut, d'état, de nature, de rôle, de réponse…

Les valeurs sont celles des `StrEnum` de `modeles.vocabulaire` au moment de cette migration, écrites ici en
toutes lettres : une migration ne dépend pas du code des modèles, qui change après elle. Les lignes existantes
gardent leurs valeurs (les mêmes chaînes qu'avant) ; une valeur inconnue arrête la migration avec un message
qui dit laquelle, sans rien changer.

Revision ID: 0006
Revises: 0009
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0006'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROLES = ('president', 'vice-president', 'membre', 'secretaire', 'invite')

#: (table, colonne, valeurs admises) ; la contrainte s'appelle ck_<table>_<colonne>.
VOCABULAIRES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ('partenaires', 'categorie', ('commune', 'epci', 'ccas', 'caf', 'msa', 'departement', 'etat', 'association', 'autre')),
    ('instances', 'type', ('copil', 'cotech', 'atelier', 'seminaire', 'groupe-travail', 'autre')),
    ('membres', 'role', ROLES),
    ('reunions', 'statut', ('planifiee', 'convoquee', 'tenue', 'annulee')),
    ('invitations', 'role', ROLES),
    ('invitations', 'reponse', ('NEEDS-ACTION', 'ACCEPTED', 'DECLINED', 'TENTATIVE', 'DELEGATED')),
    ('invitations', 'presence', ('present', 'excuse', 'absent', 'represente')),
    ('comptes_rendus', 'statut', ('projet', 'importe', 'valide', 'diffuse')),
    ('actions', 'statut', ('a_faire', 'en_cours', 'fait', 'abandonnee')),
    ('messages', 'nature', (
        'convocation', 'modification', 'annulation', 'compte_rendu', 'relance_reponse', 'relance_compte_rendu',
        'recapitulatif',
    )),
    ('messages', 'etat', (
        'a_envoyer', 'en_cours', 'envoye', 'depose', 'echec_temporaire', 'echec', 'incertain', 'caduc',
    )),
    ('documents', 'type', (
        'convocation', 'convocation_pdf', 'modification', 'modification_pdf', 'annulation', 'annulation_pdf',
        'invitation', 'ordre_du_jour', 'ordre_du_jour_pdf', 'emargement', 'emargement_pdf', 'compte_rendu_projet',
        'compte_rendu_importe', 'compte_rendu_valide', 'compte_rendu_valide_pdf', 'bilan_annuel',
        'bilan_annuel_pdf', 'bilan_graphique', 'bilan_csv',
    )),
    ('reponses_a_verifier', 'reponse', ('NEEDS-ACTION', 'ACCEPTED', 'DECLINED', 'TENTATIVE', 'DELEGATED')),
    ('reponses_a_verifier', 'etat', ('a_verifier', 'acceptee', 'rejetee')),
    ('courriels_recus', 'resultat', (
        'applique', 'a_verifier', 'ignore', 'refuse', 'sans_calendrier', 'trop_volumineux', 'deja_traite',
    )),
)


def _condition(colonne: str, valeurs: tuple[str, ...]) -> str:
    return f"{colonne} IN ({', '.join(repr(valeur) for valeur in valeurs)})"


def _verifier_les_donnees() -> None:
    """Refuse de migrer (sans rien changer) si une ligne porte une valeur hors vocabulaire, et dit laquelle."""
    connexion = op.get_bind()
    for table, colonne, valeurs in VOCABULAIRES:
        requete = sa.text(
            f"SELECT DISTINCT {colonne} FROM {table} WHERE {colonne} IS NOT NULL AND NOT ({_condition(colonne, valeurs)})"
        )
        inconnues = [ligne[0] for ligne in connexion.execute(requete)]
        if inconnues:
            raise RuntimeError(
                f"La table {table} contient des valeurs inconnues dans la colonne {colonne} : "
                f"{', '.join(map(repr, inconnues))}. Corrigez-les (valeurs admises : {', '.join(valeurs)}) "
                "puis relancez `ctg migrer`."
            )


def _exiger_cles_etrangeres_suspendues() -> None:
    """Sous SQLite, recréer une table citée avec les clés étrangères actives effacerait en cascade ses citations."""
    connexion = op.get_bind()
    if connexion.dialect.name == "sqlite" and connexion.exec_driver_sql("PRAGMA foreign_keys").scalar():
        raise RuntimeError(
            "Sous SQLite, cette migration se lance par `ctg migrer`, qui suspend les clés étrangères pendant "
            "qu'elle recrée les tables : rien n'a été changé."
        )


def upgrade() -> None:
    _exiger_cles_etrangeres_suspendues()
    _verifier_les_donnees()
    for table in dict.fromkeys(table for table, _, _ in VOCABULAIRES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for autre, colonne, valeurs in VOCABULAIRES:
                if autre == table:
                    batch_op.create_check_constraint(op.f(f'ck_{table}_{colonne}'), _condition(colonne, valeurs))


def downgrade() -> None:
    _exiger_cles_etrangeres_suspendues()
    for table in reversed(dict.fromkeys(table for table, _, _ in VOCABULAIRES)):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for autre, colonne, _ in VOCABULAIRES:
                if autre == table:
                    batch_op.drop_constraint(op.f(f'ck_{table}_{colonne}'), type_='check')

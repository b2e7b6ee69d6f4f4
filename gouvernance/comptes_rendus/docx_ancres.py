"""Les ancres du compte rendu Word, partagées par le modèle, le constructeur et le lecteur.

Ce qui survit à Word et à LibreOffice (docx → docx, docx → odt → docx) : les propriétés personnalisées
du document (docProps/custom.xml), l'identifiant des propriétés principales et les signets. Les en-têtes
des tableaux servent de repli quand les signets ont disparu (tableau recopié dans un nouveau document).
"""

from __future__ import annotations

#: Les propriétés personnalisées du document (Fichier › Propriétés › Personnalisation).
PROPRIETE_IDENTIFIANT = "ctg_identifiant"
PROPRIETE_VERSION = "ctg_version"
PROPRIETE_TYPE = "ctg_type"
PROPRIETE_DATE = "ctg_date_reunion"
TYPE_COMPTE_RENDU = "compte_rendu"
#: La version officielle écrite à la validation : elle ne se complète ni ne se réimporte.
TYPE_COMPTE_RENDU_VALIDE = "compte_rendu_valide"

#: Les signets des rubriques (dans leur intertitre), et leur numéro, unique dans le document.
SIGNET_PARTICIPANTS = "ctg_participants"
SIGNET_DECISIONS = "ctg_decisions"
SIGNET_ACTIONS = "ctg_actions"
SIGNET_ACTIONS_OUVERTES = "ctg_actions_ouvertes"
SIGNETS = {SIGNET_PARTICIPANTS: 1, SIGNET_DECISIONS: 2, SIGNET_ACTIONS: 3, SIGNET_ACTIONS_OUVERTES: 4}
#: « ctg_point_2 » dans le titre du point 2 ; « ctg_action_12 » dans la ligne de l'action 12.
PREFIXE_POINT = "ctg_point_"
PREFIXE_ACTION = "ctg_action_"
#: Les numéros des signets des points et des lignes d'actions commencent ici.
PREMIER_SIGNET_POINT = 100
PREMIER_SIGNET_ACTION = 2000
PREMIER_SIGNET_ACTION_OUVERTE = 5000

#: Les colonnes de chaque tableau, avec leur largeur en millimètres (166 mm entre les marges) : assez large pour
#: que ni un intitulé ni une date (« 31/12/2027 ») ne se coupe, même composé dans la police de repli plus large
#: qui remplace Calibri sans Carlito (tests/test_documents_polices.py).
PARTICIPANTS = (("Nom", 45), ("Organisme", 45), ("Fonction", 44), ("Présence", 32))
DECISIONS = (("N°", 12), ("Décision", 118), ("Orientations", 36))
ACTIONS = (("Réf.", 14), ("Action", 66), ("Responsable", 30), ("Échéance", 26), ("Orientations", 30))
ACTIONS_OUVERTES = (
    ("Réf.", 14),
    ("Action", 43),
    ("Responsable", 30),
    ("Échéance", 26),
    ("Origine", 26),
    ("Statut", 27),
)

#: L'intitulé du paragraphe où le secrétaire écrit les échanges de chaque point.
ECHANGES = "Échanges"
SECRETAIRE = "Secrétaire de séance"


def reference_action(identifiant: int) -> str:
    """La référence visible d'une action dans les tableaux : « A-12 »."""
    return f"A-{identifiant}"

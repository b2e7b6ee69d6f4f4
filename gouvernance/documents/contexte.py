"""Les variables offertes aux modèles Word pour une réunion (décrites dans templates_docx/LISEZMOI.md)."""

from __future__ import annotations

from datetime import date

from gouvernance.documents.image import Image
from gouvernance.documents.signature import est_autorite, preside, signature
from gouvernance.francais import avec_article, de_commune
from gouvernance.reunions.vue import CoordinateurVue, InstitutionVue, PersonneVue, PointVue, ReunionVue
from gouvernance.textes import cle_de_comparaison

#: Largeur du logo dans l'en-tête.
LARGEUR_LOGO_MM = 25.0


_CIVILITES = {"madame": "Madame", "mme": "Madame", "monsieur": "Monsieur", "m": "Monsieur", "mr": "Monsieur"}


#: Les fonctions qu'on rappelle dans la formule d'appel (« Monsieur le Maire »), au masculin et au féminin.
_TITRES = (
    ("maire", "le Maire", "la Maire"),
    ("vice-president", "le Vice-Président", "la Vice-Présidente"),
    ("president", "le Président", "la Présidente"),
)


def _appel(civilite: str | None, fonction: str | None) -> str:
    """« Madame, Monsieur » sans civilité ; « Madame la Maire », « Monsieur le Président » pour ces fonctions."""
    if civilite is None:
        return "Madame, Monsieur"
    premier_mot = (cle_de_comparaison(fonction or "").split() or [""])[0]
    for debut, masculin, feminin in _TITRES:
        if premier_mot in (debut, f"{debut}e"):
            return f"{civilite} {feminin if civilite == 'Madame' else masculin}"
    return civilite


def _personne(personne: PersonneVue) -> dict[str, object]:
    """Le destinataire : son adresse et la civilité des formules d'appel et de politesse."""
    civilite = _CIVILITES.get(cle_de_comparaison(personne.civilite or "").rstrip("."))
    return {
        "civilite": civilite or "",
        "prenom": personne.prenom,
        "nom": personne.nom,
        "nom_complet": personne.nom_complet,
        # « Madame Jeanne Martin » en tête de l'adresse.
        "civilite_nom": f"{civilite} {personne.nom_complet}" if civilite else personne.nom_complet,
        # « Madame », « Monsieur le Maire » dans « Madame, » et « Je vous prie d'agréer, Madame, … ».
        "appel": _appel(civilite, personne.fonction),
        "fonction": personne.fonction or "",
        "organisme": personne.organisme or "",
        "adresse_lignes": [ligne.strip() for ligne in (personne.adresse or "").splitlines() if ligne.strip()],
        "email": personne.email,
    }


def _institution(institution: InstitutionVue) -> dict[str, object]:
    lignes = [ligne.strip() for ligne in (institution.adresse or "").splitlines() if ligne.strip()]
    return {
        "nom": institution.nom,
        "adresse_lignes": lignes,
        "adresse": " – ".join(lignes),
        "logo": Image(institution.logo, LARGEUR_LOGO_MM) if institution.logo else "",
    }


def _coordinateur(coordinateur: CoordinateurVue) -> dict[str, object]:
    return {
        "nom": coordinateur.nom,
        "fonction": coordinateur.fonction or "",
        "email": coordinateur.email,
        "telephone": coordinateur.telephone or "",
    }


def _point(point: PointVue) -> dict[str, object]:
    return {
        "numero": point.ordre,
        "titre": point.titre,
        "rapporteur": point.rapporteur or "",
        "duree_minutes": point.duree_minutes or 0,
        "orientations": [
            {
                "code": o.code,
                "intitule": o.intitule,
                "enjeu_numero": o.enjeu_numero,
                "enjeu_intitule": o.enjeu_intitule,
            }
            for o in point.orientations
        ],
    }


def _titre_distinct(reunion: ReunionVue) -> str:
    """Le titre de la réunion, s'il dit autre chose que le nom de l'instance."""
    titre = cle_de_comparaison(reunion.titre)
    generiques = {cle_de_comparaison(reunion.instance_intitule), cle_de_comparaison(reunion.instance_code)}
    return "" if titre in generiques else reunion.titre


def _signataire(reunion: ReunionVue, destinataire: PersonneVue | None) -> dict[str, object]:
    qui = signature(reunion, destinataire)
    return {"nom": qui.nom, "fonction": qui.fonction}


def _courrier(reunion: ReunionVue, destinataire: PersonneVue | None) -> dict[str, object]:
    """Qui écrit à qui : le ton de la lettre (voir gouvernance/documents/signature.py)."""
    signataire = signature(reunion, destinataire)
    return {
        # Le coordinateur signe : il invite et informe, il ne « convie » pas en autorité.
        "par_coordinateur": signataire.par_coordinateur,
        # Le destinataire préside l'instance : on lui rappelle sa réunion, on ne l'y convoque pas.
        "a_la_presidence": preside(reunion, destinataire),
        # Le destinataire préside ou a signé la convention : le coordinateur lui écrit avec déférence.
        "a_une_autorite": est_autorite(reunion, destinataire),
    }


def contexte(reunion: ReunionVue, destinataire: PersonneVue | None, *, date_courrier: date) -> dict[str, object]:
    """Les variables offertes aux modèles Word pour cette réunion et ce destinataire."""
    return {
        "reunion": {
            "instance_code": reunion.instance_code,
            "instance_intitule": reunion.instance_intitule,
            # « au Comité de pilotage de suivi », « du Comité… » (« à la Commission… »).
            "a_instance": avec_article(reunion.instance_intitule, "à"),
            "de_instance": avec_article(reunion.instance_intitule, "de"),
            "titre": reunion.titre,
            "titre_distinct": _titre_distinct(reunion),
            "territoire": reunion.territoire,
            # « de L'Union », « du Havre ».
            "de_territoire": de_commune(reunion.territoire),
            "debut": reunion.debut_local,
            "fin": reunion.fin_local,
            "meme_jour": reunion.debut_local.date() == reunion.fin_local.date(),
            "lieu": reunion.lieu or "",
            "visio": reunion.visio or "",
            "points": [_point(point) for point in sorted(reunion.points, key=lambda p: p.ordre)],
            "changements": list(reunion.changements),
            "motif_annulation": reunion.motif_annulation or "",
            "statut": reunion.statut,
        },
        "destinataire": _personne(destinataire) if destinataire else {},
        "institution": _institution(reunion.institution),
        "coordinateur": _coordinateur(reunion.coordinateur),
        "signataire": _signataire(reunion, destinataire),
        "courrier": _courrier(reunion, destinataire),
        "lieu_courrier": reunion.territoire,
        "date_courrier": date_courrier,
        "modification": bool(reunion.changements),
    }

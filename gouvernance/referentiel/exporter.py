"""Décrire le référentiel d'un territoire : le fichier YAML d'export, et l'arbre JSON pour les scripts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from gouvernance.durees import ecrire_duree
from gouvernance.referentiel import FORMAT
from modeles import ChampIntervention, Enjeu, Instance, Orientation, Partenaire, Territoire

ENTETE_EXPORT = (
    "# Référentiel de la Convention territoriale globale, exporté par `ctg referentiel exporter`.\n"
    "# Modifiez-le puis rechargez-le avec `ctg referentiel importer FICHIER` : les enjeux, orientations,\n"
    "# partenaires et instances sont reconnus par leurs numéros et codes, et mis à jour sur place.\n"
)


def enjeux_du_territoire(session: Session, territoire: Territoire) -> list[Enjeu]:
    """Les enjeux avec leurs orientations et leurs champs, chargés en trois requêtes plutôt qu'une par enjeu."""
    requete = (
        select(Enjeu)
        .where(Enjeu.territoire_id == territoire.id)
        .order_by(Enjeu.numero)
        .options(selectinload(Enjeu.orientations).selectinload(Orientation.champs))
    )
    return list(session.scalars(requete))


def instances_du_territoire(session: Session, territoire: Territoire) -> list[Instance]:
    requete = select(Instance).where(Instance.territoire_id == territoire.id).order_by(Instance.id)
    return list(session.scalars(requete))


def partenaires_du_territoire(session: Session, territoire: Territoire) -> list[Partenaire]:
    """Les partenaires du territoire, avec leurs fonctions (les contacts que compte `ctg partenaires`)."""
    requete = (
        select(Partenaire)
        .where(Partenaire.territoires.contains(territoire))
        .options(selectinload(Partenaire.fonctions))
        .order_by(Partenaire.id)
    )
    return list(session.scalars(requete))


def decrire_arbre(session: Session, territoire: Territoire) -> dict[str, Any]:
    """L'arbre enjeux → orientations, dans la forme stable que lisent les scripts (`--json`)."""
    convention = territoire.convention
    return {
        "territoire": {
            "code": territoire.code,
            "nom": territoire.nom,
            "departement": territoire.departement,
            "convention": None
            if convention is None
            else {
                "intitule": convention.intitule,
                "debut": convention.debut.isoformat() if convention.debut else None,
                "fin": convention.fin.isoformat() if convention.fin else None,
            },
        },
        "enjeux": [
            {
                "numero": enjeu.numero,
                "intitule": enjeu.intitule,
                "intitule_court": enjeu.intitule_court,
                "precisions": list(enjeu.precisions),
                "orientations": [
                    {"code": o.code, "intitule": o.intitule, "champs": [c.code for c in o.champs]}
                    for o in enjeu.orientations
                ],
            }
            for enjeu in enjeux_du_territoire(session, territoire)
        ],
    }


def decrire_referentiel(session: Session, territoire: Territoire) -> dict[str, Any]:
    """Tout le référentiel, dans le format que relit `ctg referentiel importer`."""
    convention = territoire.convention
    champs = session.scalars(select(ChampIntervention).order_by(ChampIntervention.id))
    return {
        "format": FORMAT,
        "territoire": _sans_vides(
            {
                "code": territoire.code,
                "nom": territoire.nom,
                "departement": territoire.departement,
                "source": territoire.source,
            }
        ),
        "convention": None
        if convention is None
        else {
            "intitule": convention.intitule,
            "debut": convention.debut,
            "fin": convention.fin,
            **_sans_vides({"objet": convention.objet}),
        },
        "demarche": {
            "phases": [
                {"numero": p.numero, "intitule": p.intitule, "etapes": [e.intitule for e in p.etapes]}
                for p in territoire.phases
            ],
            "methodes": [m.intitule for m in territoire.methodes],
        },
        "champs_intervention": [{"code": c.code, "libelle": c.libelle} for c in champs],
        "enjeux": [
            _sans_vides(
                {
                    "numero": e.numero,
                    "intitule": e.intitule,
                    "intitule_court": e.intitule_court,
                    "precisions": list(e.precisions) or None,
                    "orientations": [
                        _sans_vides(
                            {
                                "code": o.code,
                                "intitule": o.intitule,
                                "champs": [c.code for c in o.champs] or None,
                            }
                        )
                        for o in e.orientations
                    ],
                }
            )
            for e in enjeux_du_territoire(session, territoire)
        ],
        "partenaires": [
            _sans_vides(
                {
                    "nom": p.nom,
                    "sigle": p.sigle,
                    "categorie": p.categorie.value,
                    "adresse": p.adresse,
                    "autres_noms": list(p.autres_noms or []) or None,
                }
            )
            for p in partenaires_du_territoire(session, territoire)
        ],
        "dispositifs": [{"sigle": d.sigle, "intitule": d.intitule} for d in territoire.dispositifs],
        "instances": [
            _sans_vides(
                {
                    "code": i.code,
                    "intitule": i.intitule,
                    "type": i.type.value,
                    "description": i.description,
                    "duree": ecrire_duree(i.duree_minutes),
                    "lieu": i.lieu,
                    "delai_convocation_jours": i.delai_convocation_jours,
                    "partenaire": i.partenaire.nom if i.partenaire else None,
                    "rythme": _rythme(i),
                    "relances": {
                        "reponse_jours": i.relance_reponse_jours,
                        "compte_rendu_jours": i.relance_compte_rendu_jours,
                    },
                }
            )
            for i in instances_du_territoire(session, territoire)
        ],
    }


def exporter_yaml(session: Session, territoire: Territoire) -> str:
    """Le référentiel en YAML lisible, commentaire d'en-tête compris."""
    import yaml  # import tardif : `ctg referentiel` (lecture) n'en a pas besoin

    class DumperLisible(yaml.SafeDumper):
        """Les textes sur plusieurs lignes en bloc « | », lisibles et modifiables à la main."""

    def representer_texte(dumper: yaml.SafeDumper, texte: str) -> yaml.ScalarNode:
        style = "|" if "\n" in texte else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", texte, style=style)

    DumperLisible.add_representer(str, representer_texte)
    return ENTETE_EXPORT + yaml.dump(
        decrire_referentiel(session, territoire),
        Dumper=DumperLisible,
        allow_unicode=True,
        sort_keys=False,
        width=100_000,
    )


def _rythme(instance: Instance) -> dict[str, str] | None:
    if instance.rythme_regle is None or instance.rythme_heure is None:
        return None
    return {"rrule": instance.rythme_regle, "heure": f"{instance.rythme_heure:%H:%M}"}


def _sans_vides(valeurs: dict[str, Any]) -> dict[str, Any]:
    return {cle: valeur for cle, valeur in valeurs.items() if valeur is not None}

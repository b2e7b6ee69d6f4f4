"""Le projet de compte rendu au format Word, que le secrétaire de séance complète puis renvoie au logiciel.

Le modèle (templates_docx/compte_rendu.docx) est rempli dans le bac à sable des documents ; l'identifiant
de la réunion et la version sont ensuite inscrits dans les propriétés du fichier (principales et
personnalisées), qui survivent à Word comme à LibreOffice : c'est à elles que le lecteur reconnaît le fichier.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from lxml import etree  # type: ignore[import-untyped]

from gouvernance.comptes_rendus.docx_ancres import (
    PREFIXE_ACTION,
    PREFIXE_POINT,
    PREMIER_SIGNET_ACTION,
    PREMIER_SIGNET_ACTION_OUVERTE,
    PREMIER_SIGNET_POINT,
    PROPRIETE_DATE,
    PROPRIETE_IDENTIFIANT,
    PROPRIETE_TYPE,
    PROPRIETE_VERSION,
    TYPE_COMPTE_RENDU,
    reference_action,
)
from gouvernance.comptes_rendus.presences import presence_ecrite
from gouvernance.comptes_rendus.vue import ActionVue, CompteRenduVue
from gouvernance.documents.contexte import contexte
from gouvernance.documents.rendu import proprietes_reunion, rendre_docx
from gouvernance.francais import date_longue
from gouvernance.reunions.vue import OrientationVue
from modeles.vocabulaire import StatutAction

COMPTE_RENDU = "compte_rendu.docx"

_CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
_DC = "http://purl.org/dc/elements/1.1/"
_PROPRIETES = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_RELATIONS = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
_TYPE_PROPRIETES = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_RELATION_PROPRIETES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # le format des propriétés définies par l'utilisateur
_ANALYSEUR = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_blank_text=False)


def _codes(orientations: tuple[OrientationVue, ...]) -> str:
    return ", ".join(o.code for o in orientations)


def _action(action: ActionVue, rang: int, premier_signet: int) -> dict[str, object]:
    """Une ligne d'action : sa référence visible « A-12 » et son signet « ctg_action_12 »."""
    connue = action.identifiant is not None
    return {
        "reference": reference_action(action.identifiant) if action.identifiant is not None else "",
        "signet": f"{PREFIXE_ACTION}{action.identifiant}" if connue else f"ctg_ligne_{premier_signet + rang}",
        "numero_signet": premier_signet + rang,
        "libelle": action.libelle,
        "responsable": action.responsable or "",
        "echeance": f"{action.echeance:%d/%m/%Y}" if action.echeance else "",
        "orientations": _codes(action.orientations),
        "origine": action.origine or "",
        "statut": StatutAction(action.statut).libelle,
    }


def contexte_compte_rendu(vue: CompteRenduVue) -> dict[str, object]:
    """Les variables du modèle compte_rendu.docx : celles des courriers, plus `compte_rendu`."""
    variables = contexte(vue.reunion, None, date_courrier=vue.date_document)
    points = sorted(vue.reunion.points, key=lambda point: point.ordre)
    variables["compte_rendu"] = {
        "identifiant": vue.identifiant,
        "version": vue.version,
        "secretaire": vue.secretaire or "",
        "precedent": vue.precedent or "",
        "prochaine_reunion": vue.prochaine_reunion or "",
        "participants": [
            {
                "nom": participant.nom_complet,
                "organisme": participant.organisme or "",
                "fonction": participant.fonction or "",
                "presence": presence_ecrite(participant.presence, participant.civilite, participant.represente_par),
            }
            for participant in vue.participants
        ],
        "points": [
            {
                "numero": point.ordre,
                "titre": point.titre,
                "rapporteur": point.rapporteur or "",
                "signet": f"{PREFIXE_POINT}{point.ordre}",
                "numero_signet": PREMIER_SIGNET_POINT + point.ordre,
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
            for point in points
        ],
        "decisions": [
            {"numero": decision.numero, "texte": decision.texte, "orientations": _codes(decision.orientations)}
            for decision in vue.decisions
        ],
        "actions": [_action(action, rang, PREMIER_SIGNET_ACTION) for rang, action in enumerate(vue.actions)],
        "actions_ouvertes": [
            _action(action, rang, PREMIER_SIGNET_ACTION_OUVERTE) for rang, action in enumerate(vue.actions_ouvertes)
        ],
    }
    return variables


def construire_compte_rendu(vue: CompteRenduVue, *, modeles: Path) -> bytes:
    """Le projet de compte rendu Word de la réunion, marqué de son identifiant et de sa version."""
    contenu = rendre_docx(
        modeles / COMPTE_RENDU,
        contexte_compte_rendu(vue),
        proprietes_reunion(vue.reunion, "Compte rendu", date_courrier=vue.date_document),
    )
    reunion = vue.reunion
    sujet = f"Compte rendu – {reunion.instance_intitule} – réunion du {date_longue(reunion.debut_local)}"
    proprietes = {
        PROPRIETE_IDENTIFIANT: vue.identifiant,
        PROPRIETE_VERSION: str(vue.version),
        PROPRIETE_TYPE: TYPE_COMPTE_RENDU,
        PROPRIETE_DATE: reunion.debut_local.date().isoformat(),
    }
    return marquer(contenu, proprietes, identifiant=vue.identifiant, version=vue.version, sujet=sujet)


def _xml(element: etree._Element) -> bytes:
    return bytes(etree.tostring(element, xml_declaration=True, encoding="UTF-8", standalone=True))


def _proprietes_principales(xml: bytes, identifiant: str, version: int, sujet: str) -> bytes:
    racine = etree.fromstring(xml, _ANALYSEUR)
    for espace, nom, valeur in (
        (_DC, "identifier", identifiant),
        (_DC, "subject", sujet),
        (_CP, "version", str(version)),
    ):
        element = racine.find(f"{{{espace}}}{nom}")
        if element is None:
            element = etree.SubElement(racine, f"{{{espace}}}{nom}")
        element.text = valeur
    return _xml(racine)


def _proprietes_personnalisees(xml: bytes | None, proprietes: dict[str, str]) -> bytes:
    """Les propriétés `proprietes` (texte), à la place des homonymes ; les autres sont gardées."""
    if xml is None:
        racine = etree.Element(f"{{{_PROPRIETES}}}Properties", nsmap={None: _PROPRIETES, "vt": _VT})
    else:
        racine = etree.fromstring(xml, _ANALYSEUR)
    for ancienne in list(racine):
        if ancienne.get("name") in proprietes:
            racine.remove(ancienne)
    pid = max((int(p.get("pid") or 1) for p in racine), default=1)
    for rang, (nom, valeur) in enumerate(proprietes.items(), start=pid + 1):
        propriete = etree.SubElement(racine, f"{{{_PROPRIETES}}}property", fmtid=_FMTID, pid=str(rang), name=nom)
        etree.SubElement(propriete, f"{{{_VT}}}lpwstr").text = valeur
    return _xml(racine)


def _declarer(types: bytes, relations: bytes) -> tuple[bytes, bytes]:
    """Déclare docProps/custom.xml dans [Content_Types].xml et _rels/.rels, s'il ne l'est pas déjà."""
    racine_types = etree.fromstring(types, _ANALYSEUR)
    if not any(o.get("PartName") == "/docProps/custom.xml" for o in racine_types):
        etree.SubElement(
            racine_types, f"{{{_TYPES}}}Override", PartName="/docProps/custom.xml", ContentType=_TYPE_PROPRIETES
        )
    racine_relations = etree.fromstring(relations, _ANALYSEUR)
    if not any(r.get("Type") == _RELATION_PROPRIETES for r in racine_relations):
        existants = {r.get("Id") for r in racine_relations}
        numero = next(n for n in range(1, len(existants) + 2) if f"rId{n}" not in existants)
        etree.SubElement(
            racine_relations,
            f"{{{_RELATIONS}}}Relationship",
            Id=f"rId{numero}",
            Type=_RELATION_PROPRIETES,
            Target="docProps/custom.xml",
        )
    return _xml(racine_types), _xml(racine_relations)


def marquer(contenu: bytes, proprietes: dict[str, str], *, identifiant: str, version: int, sujet: str) -> bytes:
    """Le même .docx, avec identifiant, version et sujet dans ses propriétés, `proprietes` en personnalisées."""
    with zipfile.ZipFile(io.BytesIO(contenu)) as entree:
        parties = {info.filename: entree.read(info) for info in entree.infolist()}
    if "docProps/core.xml" in parties:  # toujours là dans un fichier enregistré par Word ou python-docx
        parties["docProps/core.xml"] = _proprietes_principales(
            parties["docProps/core.xml"], identifiant, version, sujet
        )
    parties["docProps/custom.xml"] = _proprietes_personnalisees(parties.get("docProps/custom.xml"), proprietes)
    parties["[Content_Types].xml"], parties["_rels/.rels"] = _declarer(
        parties["[Content_Types].xml"], parties["_rels/.rels"]
    )
    sortie = io.BytesIO()
    with zipfile.ZipFile(sortie, "w", zipfile.ZIP_DEFLATED) as archive:
        for nom in ["[Content_Types].xml", *(n for n in parties if n != "[Content_Types].xml")]:
            archive.writestr(zipfile.ZipInfo(nom, date_time=(2026, 1, 1, 0, 0, 0)), parties[nom], zipfile.ZIP_DEFLATED)
    return sortie.getvalue()

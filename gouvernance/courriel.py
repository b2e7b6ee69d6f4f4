"""Le courriel d'une réunion tel qu'il part : en-têtes sûrs, corps texte et HTML, invitation iMIP, pièces jointes.

Des fonctions pures : mêmes entrées, mêmes octets. Les en-têtes saisis passent par `gouvernance.envoi.en_tetes`.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Sequence
from datetime import datetime
from email import policy
from email.generator import BytesGenerator
from email.message import EmailMessage, MIMEPart
from email.utils import format_datetime
from html import escape
from pathlib import Path
from typing import cast
from urllib.parse import quote

from gouvernance.documents.signature import est_autorite, preside
from gouvernance.envoi import en_tetes
from gouvernance.envoi.en_tetes import neutraliser
from gouvernance.francais import INSECABLE, date_complete, duree, heure, moment
from gouvernance.reunions.vue import FUSEAU, PersonneVue, PointVue, ReunionVue

#: Les méthodes iTIP qu'un courriel de réunion peut porter (RFC 6047 §2.4).
METHODES = ("REQUEST", "CANCEL")
#: Le début de l'objet, par nature de message.
NATURES = {"convocation": "Convocation", "modification": "Modification", "annulation": "Annulation"}

_POLITIQUE = policy.SMTP
_MESSAGE_ID = re.compile(r"<[!-;=?-~]+@[!-;=?-~]+>")
_TYPE_MIME = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+-]*/[A-Za-z0-9][A-Za-z0-9.+-]*")


#: Le type MIME d'un document Word.
MIME_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def piece_jointe(chemin: Path) -> tuple[str, str, bytes]:
    """Une pièce jointe (nom, type MIME, contenu) tirée d'un document produit, en PDF ou en Word."""
    mime = {".pdf": "application/pdf", ".docx": MIME_DOCX}.get(chemin.suffix.lower(), "application/octet-stream")
    return chemin.name, mime, chemin.read_bytes()


def construire_message_id(domaine: str, cle: str) -> str:
    """Un Message-ID déterministe pour `cle` : un nouvel essai après une panne réutilise le même."""
    ascii_ = en_tetes.domaine_ascii(domaine.strip()).lower()
    if not re.fullmatch(r"[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?", ascii_):
        raise ValueError(f"domaine de Message-ID invalide : {domaine!r}")
    return f"<{hashlib.sha256(cle.encode('utf-8')).hexdigest()[:32]}@{ascii_}>"


def construire_courriel(
    *,
    expediteur: tuple[str, str],
    destinataire: tuple[str, str],
    objet: str,
    texte: str,
    html: str,
    calendrier: bytes | None,
    methode: str | None,
    pieces_jointes: Sequence[tuple[str, str, bytes]],
    message_id: str,
    horodatage: datetime,
    repondre_a: str | None = None,
) -> bytes:
    """Le message complet (RFC 5322, MIME, iMIP) en octets 7 bits, fins de ligne CRLF."""
    if not _MESSAGE_ID.fullmatch(message_id):
        raise ValueError(f"Message-ID invalide : {message_id!r}")
    if horodatage.tzinfo is None:
        raise ValueError("la date d'un courriel doit porter son fuseau horaire")
    lignes = [("From", en_tetes.adresse_nommee(*expediteur)), ("To", en_tetes.adresse_nommee(*destinataire))]
    if repondre_a is not None:
        lignes.append(("Reply-To", en_tetes.adresse_verifiee(repondre_a)))
    lignes += [
        ("Subject", en_tetes.texte_d_en_tete(objet, "Subject")),
        ("Date", format_datetime(horodatage.astimezone(FUSEAU))),
        ("Message-ID", message_id),
        ("Content-Language", "fr"),
        ("MIME-Version", "1.0"),
    ]
    corps = _corps(texte, html, calendrier=calendrier, methode=methode, pieces=pieces_jointes, message_id=message_id)
    tampon = io.BytesIO()
    # MIMEPart plutôt qu'EmailMessage : pas d'en-tête MIME-Version répété dans chaque partie.
    BytesGenerator(tampon, policy=_POLITIQUE).flatten(cast(EmailMessage, corps))
    return b"".join(en_tetes.ligne_d_en_tete(nom, valeur) for nom, valeur in lignes) + tampon.getvalue()


def _corps(
    texte: str,
    html: str,
    *,
    calendrier: bytes | None,
    methode: str | None,
    pieces: Sequence[tuple[str, str, bytes]],
    message_id: str,
) -> MIMEPart:
    """multipart/mixed > (multipart/alternative > texte, HTML, calendrier) + pièces jointes."""
    alternative = MIMEPart(policy=_POLITIQUE)
    alternative.set_content(texte, subtype="plain", charset="utf-8", cte="quoted-printable")
    alternative.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    if calendrier is not None:
        parametres = {"method": _verifier_methode(calendrier, methode)}
        alternative.add_alternative(calendrier.decode(), subtype="calendar", cte="base64", params=parametres)
    elif methode is not None:
        raise ValueError("une méthode iTIP sans calendrier n'a pas de sens")
    mixte = MIMEPart(policy=_POLITIQUE)
    mixte.make_mixed()
    mixte.attach(alternative)
    for nom, type_mime, contenu in pieces:
        if not _TYPE_MIME.fullmatch(type_mime):
            raise ValueError(f"type MIME invalide pour la pièce jointe {nom!r} : {type_mime!r}")
        principal, secondaire = type_mime.lower().split("/")
        piece = MIMEPart(policy=_POLITIQUE)
        piece.set_content(contenu, principal, secondaire, cte="base64")
        # Écrit tel quel : `email` décoderait un « =?…?= » glissé dans le nom (CVE-2024-6923).
        piece.set_raw("Content-Disposition", _disposition(nom))
        mixte.attach(piece)
    # Des frontières déterministes ; « =_ » n'apparaît ni en quoted-printable ni en base64.
    graine = hashlib.sha256(message_id.encode("ascii")).hexdigest()[:16]
    mixte.set_boundary(f"=_ctg_mixte_{graine}")
    alternative.set_boundary(f"=_ctg_alternative_{graine}")
    return mixte


def _verifier_methode(calendrier: bytes, methode: str | None) -> str:
    """La méthode du part text/calendar doit être celle de la ligne METHOD du calendrier (RFC 6047 §2.4)."""
    if methode not in METHODES:
        raise ValueError(f"méthode iTIP inconnue : {methode!r} (attendu : {', '.join(METHODES)})")
    ligne = re.search(rb"^METHOD:([^\r\n]*)", calendrier, re.MULTILINE)
    if ligne is None or ligne[1].strip().upper() != methode.encode("ascii"):
        raise ValueError(f"le calendrier ne porte pas METHOD:{methode}, la méthode annoncée dans le courriel")
    return methode


def _disposition(nom: str) -> str:
    """« attachment; filename=… », le nom accentué en RFC 2231 (UTF-8, %XX), replié en lignes courtes."""
    # « =? » : certains lecteurs décoderaient un mot encodé jusque dans un nom RFC 2231 déjà décodé.
    propre = neutraliser(nom).replace("/", "-").replace("\\", "-").replace("=?", "=-?").strip(". ")
    if not propre:
        raise ValueError(f"nom de pièce jointe vide ou invalide : {nom!r}")
    if re.fullmatch(r"[A-Za-z0-9 !#$%&'()*+,.:;<>@\[\]^_`{|}~-]{1,60}", propre):
        return f'attachment;\r\n filename="{propre}"'
    code = quote(propre, safe="")
    if len(code) <= 56:
        return f"attachment;\r\n filename*=utf-8''{code}"
    morceaux = re.findall(r"(?:%[0-9A-F]{2}|[^%]){1,54}", code)
    suite = [f"filename*{rang}*={'utf-8' + chr(39) * 2 if rang == 0 else ''}{m}" for rang, m in enumerate(morceaux)]
    # Chaque ligne reste sous 78 caractères : le générateur d'`email` la recopie alors sans la réanalyser.
    return "attachment;\r\n " + ";\r\n ".join(suite)


#: Un bloc du corps : un paragraphe (ses lignes), une liste à puces « ul » ou numérotée « ol » (ses éléments).
Bloc = tuple[str, Sequence[str]]


def texte_convocation(reunion: ReunionVue, destinataire: PersonneVue, nature: str) -> tuple[str, str, str]:
    """L'objet, le corps texte et le corps HTML du courriel : convocation, modification ou annulation."""
    if nature not in NATURES:
        raise ValueError(f"nature de message inconnue : {nature!r} (attendu : {', '.join(NATURES)})")
    objet = neutraliser(f"{NATURES[nature]} — {reunion.instance_intitule}, {moment(reunion.debut)}")
    cadre = f"dans le cadre de la Convention territoriale globale (CTG) — {reunion.territoire}"
    blocs: list[Bloc] = [("p", [f"{destinataire.civilite or 'Madame, Monsieur'},"])]
    if nature == "annulation":
        blocs += [("p", [f"La réunion suivante, {cadre}, est annulée :"]), details_reunion(reunion)]
        if reunion.motif_annulation:
            blocs.append(("p", [f"Motif : {reunion.motif_annulation}"]))
        blocs.append(
            ("p", ["Votre messagerie vous propose de retirer cette réunion de votre agenda. Veuillez nous en excuser."])
        )
    else:
        if nature == "convocation":
            blocs.append(("p", [_annonce(reunion, destinataire, cadre)]))
        elif reunion.changements:
            blocs += [("p", [f"La réunion suivante, {cadre}, a été modifiée :"]), ("ul", reunion.changements)]
            blocs.append(("p", ["Voici les informations à jour :"]))
        else:
            blocs.append(("p", [f"Les informations de la réunion suivante, {cadre}, ont été mises à jour :"]))
        blocs += [details_reunion(reunion), *_ordre_du_jour(reunion), ("p", [_comment_repondre(reunion)])]
    blocs += pied_coordinateur(reunion)
    return composer(objet, blocs, en_tete=reunion.institution.nom)


def _annonce(reunion: ReunionVue, destinataire: PersonneVue, cadre: str) -> str:
    """Le coordinateur écrit : il rappelle sa réunion à la présidence, informe le maire, invite les partenaires."""
    if preside(reunion, destinataire):
        return f"Voici les informations de la réunion que vous présiderez, {cadre} :"
    if est_autorite(reunion, destinataire):
        return f"Nous avons l'honneur de vous informer de la réunion suivante, {cadre} :"
    return f"Nous avons le plaisir de vous convier à la réunion suivante, {cadre} :"


def texte_compte_rendu(reunion: ReunionVue, destinataire: PersonneVue) -> tuple[str, str, str]:
    """L'objet, le corps texte et le corps HTML du courriel qui diffuse le compte rendu validé."""
    objet = neutraliser(f"Compte rendu — {reunion.instance_intitule}, réunion du {date_complete(reunion.debut)}")
    blocs: list[Bloc] = [
        ("p", [f"{destinataire.civilite or 'Madame, Monsieur'},"]),
        (
            "p",
            [
                f"Vous trouverez ci-joint le compte rendu validé de la réunion du {moment(reunion.debut)}, "
                f"dans le cadre de la Convention territoriale globale (CTG) — {reunion.territoire}."
            ],
        ),
        ("p", ["Les décisions et les actions qu'il consigne sont suivies jusqu'à leur réalisation."]),
        *pied_coordinateur(reunion),
    ]
    return composer(objet, blocs, en_tete=reunion.institution.nom)


def composer(objet: str, blocs: Sequence[Bloc], *, en_tete: str | None = None) -> tuple[str, str, str]:
    """L'objet, le corps texte et le corps HTML d'un courriel fait de `blocs`, en typographie française.

    `en_tete` : l'institution qui écrit, en tête du corps HTML comme sur son papier à lettres."""
    propres = [(genre, [_typographie(element) for element in elements]) for genre, elements in blocs]
    objet = _typographie(neutraliser(objet))
    return objet, _en_texte(propres), _en_html(objet, propres, en_tete=en_tete)


def _typographie(texte: str) -> str:
    """Les espaces insécables de la typographie française : avant « : ; ! ? », à l'intérieur des guillemets."""
    texte = re.sub(r" ([:;!?»])", INSECABLE + r"\1", texte)
    return texte.replace("« ", "«" + INSECABLE)


def details_reunion(reunion: ReunionVue) -> Bloc:
    """Instance, titre, date en toutes lettres, lieu et visio : le bloc « quoi, quand, où » d'une réunion."""
    debut, fin = reunion.debut_local, reunion.fin_local
    quand = f"{date_complete(debut)}, de {heure(debut)} à {heure(fin)}"
    if fin.date() != debut.date():
        quand = f"du {moment(debut)} au {moment(fin)}"
    lignes = [
        f"Instance : {reunion.instance_intitule} ({reunion.instance_code})",
        *(
            [f"Réunion : {reunion.titre}"]
            if neutraliser(reunion.titre) != neutraliser(reunion.instance_intitule)
            else []
        ),
        f"Date : {quand}",
        *([f"Lieu : {reunion.lieu}"] if reunion.lieu else []),
        *([f"Visioconférence : {reunion.visio}"] if reunion.visio else []),
    ]
    return ("p", lignes if reunion.lieu or reunion.visio else [*lignes, "Lieu : à préciser"])


def _ordre_du_jour(reunion: ReunionVue) -> list[Bloc]:
    if not reunion.points:
        return [("p", ["Ordre du jour : il vous sera communiqué prochainement."])]
    return [("p", ["Ordre du jour :"]), ("ol", [_point(point) for point in reunion.points])]


def _point(point: PointVue) -> str:
    lignes = [point.titre]
    lignes += [
        f"Orientation {o.code} : {o.intitule} (enjeu n°{INSECABLE}{o.enjeu_numero} : {o.enjeu_intitule})"
        for o in point.orientations
    ]
    precisions = [f"présenté par {point.rapporteur}"] if point.rapporteur else []
    if point.duree_minutes:
        precisions.append(f"durée prévue : {duree(point.duree_minutes)}")
    if precisions:
        texte = " ; ".join(precisions)
        lignes.append(texte[0].upper() + texte[1:])
    return "\n".join(lignes)


def _comment_repondre(reunion: ReunionVue) -> str:
    return (
        "Vous trouverez en pièces jointes la convocation et l'ordre du jour. Pour indiquer votre présence ou votre "
        "absence, utilisez les boutons « Accepter », « Peut-être » ou « Refuser » que votre messagerie affiche avec "
        f"l'invitation, ou répondez simplement à ce courriel : votre réponse parviendra à {reunion.coordinateur.nom}."
    )


def pied_coordinateur(reunion: ReunionVue) -> list[Bloc]:
    """Le contact, la formule de politesse et la signature du coordinateur."""
    qui = reunion.coordinateur
    telephone = f", tél. {qui.telephone}" if qui.telephone else ""
    signature = [qui.nom, *([qui.fonction] if qui.fonction else []), reunion.institution.nom]
    return [
        ("p", [f"Pour toute question : {qui.nom}, {qui.email}{telephone}."]),
        ("p", ["Bien cordialement,"]),
        ("p", signature),
    ]


def _en_texte(blocs: Sequence[Bloc]) -> str:
    morceaux = []
    for genre, elements in blocs:
        if genre == "p":
            morceaux.append("\n".join(elements))
            continue
        puces = [f"{rang}." if genre == "ol" else "–" for rang in range(1, len(elements) + 1)]
        morceaux.append("\n".join(f"{p} {e}".replace("\n", "\n   ") for p, e in zip(puces, elements, strict=True)))
    return "\n\n".join(morceaux) + "\n"


#: Une adresse web dans un texte déjà échappé : jusqu'à une espace, sans la ponctuation qui la suit.
_LIEN = re.compile(r"https?://[^\s<>\"]+?(?=[.,;:!?)»\u00a0]*(?:\s|$))")


def _ligne_html(ligne: str) -> str:
    """Une ligne échappée, ses adresses web rendues cliquables (l'adresse échappée sert aussi de lien)."""
    return _LIEN.sub(lambda lien: f'<a href="{lien[0]}">{lien[0]}</a>', escape(ligne))


def _en_html(objet: str, blocs: Sequence[Bloc], *, en_tete: str | None = None) -> str:
    """Le même contenu en HTML ; chaque donnée est échappée (html.escape), aucune n'est du balisage."""
    saut = "<br>\n"
    morceaux = []
    if en_tete:
        morceaux.append(f'<p style="font-weight:bold;color:#1F3864;font-size:1.2em">{escape(en_tete)}</p>')
    for genre, elements in blocs:
        if genre == "p":
            morceaux.append(f"<p>{saut.join(_ligne_html(ligne) for e in elements for ligne in e.split(chr(10)))}</p>")
            continue
        items = "".join(f"<li>{saut.join(_ligne_html(ligne) for ligne in e.split(chr(10)))}</li>\n" for e in elements)
        morceaux.append(f"<{genre}>\n{items}</{genre}>")
    return (
        f'<!DOCTYPE html>\n<html lang="fr">\n<head>\n<meta charset="utf-8">\n<title>{escape(objet)}</title>\n'
        "</head>\n<body>\n" + "\n".join(morceaux) + "\n</body>\n</html>\n"
    )

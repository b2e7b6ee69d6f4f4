"""Le courriel d'une réunion : structure iMIP, en-têtes français, aucune injection d'en-tête, textes en français."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from html import escape
from typing import Any, cast

import pytest
from icalendar import Calendar

from gouvernance.courriel import construire_courriel, construire_message_id, texte_convocation
from gouvernance.erreurs import DonneesInvalides
from gouvernance.reunions.vue import (
    CoordinateurVue,
    InstitutionVue,
    OrientationVue,
    PersonneVue,
    PointVue,
    ReunionVue,
    SignataireVue,
)

NBSP = "\u00a0"
MIME_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HORODATAGE = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
EN_TETES_ATTENDUS = {
    "From",
    "To",
    "Reply-To",
    "Subject",
    "Date",
    "Message-ID",
    "Content-Language",
    "MIME-Version",
    "Content-Type",
}
HELENE = PersonneVue(
    email="helene.daubigne@exemple.fr",
    prenom="Hélène",
    nom="d'Aubigné",
    civilite="Madame",
    fonction="Directrice",
    organisme="CAF",
    role="membre",
)


def vue_reunion(**changements: Any) -> ReunionVue:
    """Le COPIL de L'Union du mardi 8 décembre 2026, 18 h – 20 h à Paris."""
    orientation = OrientationVue(
        code="3.3", intitule="Faciliter l'accès aux droits", enjeu_numero=3, enjeu_intitule="Accès aux droits"
    )
    vue = ReunionVue(
        id=1,
        uid="reunion-COPIL-20261208@ctg.example.org",
        sequence=0,
        statut="planifiee",
        territoire="L'Union",
        instance_code="COPIL",
        instance_intitule="Comité de pilotage de suivi",
        titre="Bilan à mi-parcours",
        debut=datetime(2026, 12, 8, 17, 0, tzinfo=UTC),
        fin=datetime(2026, 12, 8, 19, 0, tzinfo=UTC),
        lieu="Salle du conseil, mairie de L'Union",
        visio=None,
        points=(PointVue(1, "Bilan de l'année", "Claire Fictive", 90, (orientation,)),),
        invites=(HELENE,),
        president=None,
        institution=InstitutionVue(nom="Mairie de L'Union", adresse=None, logo=None),
        coordinateur=CoordinateurVue(
            nom="Camille Coordinatrice",
            fonction="Chargée de coopération",
            email="ctg@mairie-exemple.fr",
            telephone=None,
        ),
    )
    return dataclasses.replace(vue, **changements)


def calendrier(methode: str = "REQUEST") -> bytes:
    """Une invitation minimale, assez pour vérifier que le courriel annonce la même méthode."""
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//ctg-gouvernance//FR\r\n"
        f"METHOD:{methode}\r\nBEGIN:VEVENT\r\nUID:reunion-1@ctg.example.org\r\nSEQUENCE:0\r\n"
        "DTSTAMP:20261201T093000Z\r\nDTSTART:20261208T170000Z\r\nDTEND:20261208T190000Z\r\n"
        "SUMMARY:Comité de pilotage de suivi\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()


def courriel(**changements: Any) -> bytes:
    """Un courriel de convocation complet ; chaque paramètre peut être remplacé."""
    ics = calendrier()
    valeurs: dict[str, Any] = {
        "expediteur": ("Camille Coordinatrice", "ctg@mairie-exemple.fr"),
        "destinataire": ("Hélène d'Aubigné", "helene.daubigne@exemple.fr"),
        "objet": "Convocation — Comité de pilotage de suivi",
        "texte": "Madame,\n\nVous êtes conviée.\n",
        "html": "<p>Madame,</p>",
        "calendrier": ics,
        "methode": "REQUEST",
        "pieces_jointes": [
            ("Convocation — Hélène d'Aubigné.docx", MIME_DOCX, b"PK\x03\x04 courrier"),
            ("Ordre du jour COPIL.pdf", "application/pdf", b"%PDF-1.7"),
            ("invitation.ics", "application/ics", ics),
        ],
        "message_id": construire_message_id("mairie-exemple.fr", "reunion-1/0/convocation/helene"),
        "horodatage": HORODATAGE,
        "repondre_a": "ctg@mairie-exemple.fr",
    }
    valeurs.update(changements)
    return construire_courriel(**valeurs)


def lire(octets: bytes) -> EmailMessage:
    return BytesParser(policy=policy.default).parsebytes(octets)


def section_en_tetes(octets: bytes) -> list[bytes]:
    return octets.split(b"\r\n\r\n", 1)[0].split(b"\r\n")


def test_le_courriel_a_la_structure_imip_avec_la_methode_du_calendrier() -> None:
    message = lire(courriel())
    assert message.get_content_type() == "multipart/mixed"
    alternative, *pieces = message.iter_parts()
    assert [p.get_content_type() for p in alternative.iter_parts()] == ["text/plain", "text/html", "text/calendar"]
    texte, html, invitation = alternative.iter_parts()
    assert texte.get_content_charset() == html.get_content_charset() == invitation.get_content_charset() == "utf-8"
    assert invitation["Content-Transfer-Encoding"] == "base64"
    assert invitation.get_param("method") == "REQUEST"
    assert Calendar.from_ical(cast(bytes, invitation.get_payload(decode=True)))["METHOD"] == "REQUEST"
    assert [(p.get_content_type(), p.get_filename()) for p in pieces] == [
        (MIME_DOCX, "Convocation — Hélène d'Aubigné.docx"),
        ("application/pdf", "Ordre du jour COPIL.pdf"),
        ("application/ics", "invitation.ics"),
    ]
    assert cast(EmailMessage, pieces[0]).get_content() == b"PK\x03\x04 courrier"
    assert cast(EmailMessage, texte).get_content().replace("\r\n", "\n") == "Madame,\n\nVous êtes conviée.\n"


def test_une_annulation_porte_method_cancel() -> None:
    message = lire(courriel(calendrier=calendrier("CANCEL"), methode="CANCEL", pieces_jointes=[]))
    alternative = next(message.iter_parts())
    assert list(alternative.iter_parts())[2].get_param("method") == "CANCEL"


@pytest.mark.parametrize(
    ("ics", "methode"),
    [(calendrier("REQUEST"), "CANCEL"), (calendrier("REQUEST"), "PUBLISH"), (calendrier("REQUEST"), None)],
)
def test_une_methode_differente_de_celle_du_calendrier_est_refusee(ics: bytes, methode: str | None) -> None:
    with pytest.raises(ValueError, match=r"METHOD|méthode"):
        courriel(calendrier=ics, methode=methode)


def test_les_en_tetes_se_relisent_en_francais() -> None:
    message = lire(courriel())
    assert set(message.keys()) == EN_TETES_ATTENDUS
    assert message["Subject"] == "Convocation — Comité de pilotage de suivi"
    expediteur = message["From"].addresses[0]
    assert (expediteur.display_name, expediteur.addr_spec) == ("Camille Coordinatrice", "ctg@mairie-exemple.fr")
    destinataire = message["To"].addresses[0]
    assert (destinataire.display_name, destinataire.addr_spec) == ("Hélène d'Aubigné", "helene.daubigne@exemple.fr")
    assert message["Reply-To"] == "ctg@mairie-exemple.fr"
    assert message["Content-Language"] == "fr"
    assert message["MIME-Version"] == "1.0"
    assert message["Message-ID"] == construire_message_id("mairie-exemple.fr", "reunion-1/0/convocation/helene")
    assert parsedate_to_datetime(message["Date"]) == HORODATAGE
    assert b"\r\nDate: Tue, 01 Dec 2026 10:30:00 +0100\r\n" in courriel()


def test_le_courriel_est_en_7_bits_avec_des_lignes_crlf_courtes() -> None:
    octets = courriel()
    assert octets.isascii()
    assert b"\n" not in octets.replace(b"\r\n", b"")
    assert b"\r" not in octets.replace(b"\r\n", b"")
    longues = [ligne for ligne in octets.split(b"\r\n") if len(ligne) > 78]
    assert longues == [f"Content-Type: {MIME_DOCX}".encode()]  # un seul mot : impossible à replier


def test_les_memes_entrees_donnent_les_memes_octets() -> None:
    assert courriel() == courriel()


INJECTIONS = [
    "Jeanne\r\nBcc: pirate@example.org",
    "Jeanne\nBcc: pirate@example.org",
    "Jeanne\rBcc: pirate@example.org",
    "Jeanne\n",
    "Jeanne\r\n\r\nBcc: pirate@example.org",
    "Jeanne\u2028Bcc: pirate@example.org",
    "Jeanne\x00Bcc: pirate@example.org",
    "Jeanne\x85Bcc: pirate@example.org",
    "Jeanne =?UTF-8?Q?=0A?=Bcc: pirate@example.org",
    "Jeanne=?utf-8?q?=0D=0ABcc=3A_pirate=40example=2Eorg?=",
]


def verifier_sans_injection(octets: bytes) -> EmailMessage:
    """Aucune ligne d'en-tête ajoutée, un seul destinataire, aucun saut de ligne dans les valeurs relues."""
    lignes = section_en_tetes(octets)
    assert not any(ligne.lower().startswith(b"bcc") for ligne in lignes)
    message = lire(octets)
    assert set(message.keys()) == EN_TETES_ATTENDUS
    assert message.defects == []
    assert [a.addr_spec for a in message["To"].addresses] == ["helene.daubigne@exemple.fr"]
    for nom in ("From", "To", "Subject"):
        assert not any(c in str(message[nom]) for c in "\r\n\x00")
    return message


@pytest.mark.parametrize("piege", INJECTIONS)
def test_un_nom_de_destinataire_ne_peut_pas_ajouter_d_en_tete(piege: str) -> None:
    message = verifier_sans_injection(courriel(destinataire=(piege, "helene.daubigne@exemple.fr")))
    assert message["To"].addresses[0].display_name.startswith("Jeanne")


@pytest.mark.parametrize("piege", INJECTIONS)
def test_un_nom_d_expediteur_ne_peut_pas_ajouter_d_en_tete(piege: str) -> None:
    verifier_sans_injection(courriel(expediteur=(piege, "ctg@mairie-exemple.fr")))


@pytest.mark.parametrize("piege", INJECTIONS)
def test_un_objet_ne_peut_pas_ajouter_d_en_tete(piege: str) -> None:
    message = verifier_sans_injection(courriel(objet=f"Convocation — {piege}"))
    assert str(message["Subject"]).startswith("Convocation — Jeanne")


@pytest.mark.parametrize("piege", INJECTIONS)
def test_un_nom_de_piece_jointe_ne_peut_pas_ajouter_d_en_tete(piege: str) -> None:
    octets = courriel(pieces_jointes=[(f"{piege}.pdf", "application/pdf", b"%PDF")])
    message = verifier_sans_injection(octets)
    piece = list(message.iter_parts())[1]
    assert set(piece.keys()) == {"Content-Type", "Content-Transfer-Encoding", "Content-Disposition"}
    assert not any(c in (piece.get_filename() or "") for c in "\r\n\x00")


@pytest.mark.parametrize(
    "adresse",
    [
        "helene@exemple.fr\r\nBcc: pirate@example.org",
        "helene@exemple.fr\n",
        "helene@exemple.fr, pirate@example.org",
        "Hélène <helene@exemple.fr>",
        "helene",
        "helene@exemple.fr>\r\nBcc:<x@y.z",
    ],
)
@pytest.mark.parametrize("champ", ["destinataire", "expediteur", "repondre_a"])
def test_une_adresse_invalide_est_refusee_avant_l_ecriture(adresse: str, champ: str) -> None:
    valeur: object = adresse if champ == "repondre_a" else ("Hélène", adresse)
    with pytest.raises(DonneesInvalides, match="adresse électronique"):
        courriel(**{champ: valeur})


def test_un_domaine_accentue_passe_en_idna() -> None:
    message = lire(courriel(destinataire=("Hélène", "helene@mairie-évry.fr")))
    assert message["To"].addresses[0].domain == "xn--mairie-vry-h7a.fr"


def test_le_message_id_est_deterministe_et_propre_a_chaque_cle() -> None:
    premier = construire_message_id("mairie-exemple.fr", "reunion-1/0/convocation/helene@exemple.fr")
    assert premier == construire_message_id("mairie-exemple.fr", "reunion-1/0/convocation/helene@exemple.fr")
    assert premier != construire_message_id("mairie-exemple.fr", "reunion-1/1/convocation/helene@exemple.fr")
    assert premier.startswith("<") and premier.endswith("@mairie-exemple.fr>")
    with pytest.raises(ValueError, match="domaine"):
        construire_message_id("mairie\r\nBcc: x", "cle")


def test_l_objet_d_une_convocation_donne_l_instance_la_date_en_lettres_et_l_heure() -> None:
    objet, _, _ = texte_convocation(vue_reunion(), HELENE, "convocation")
    assert objet == f"Convocation — Comité de pilotage de suivi, mardi 8 décembre 2026 à 18{NBSP}h{NBSP}00"


def textes(vue: ReunionVue, nature: str = "convocation", personne: PersonneVue = HELENE) -> tuple[str, str, str]:
    """Objet, texte et HTML, les espaces insécables remplacées par des espaces pour la lisibilité des tests."""
    objet, texte, html = texte_convocation(vue, personne, nature)
    return objet.replace(NBSP, " "), texte.replace(NBSP, " "), html.replace(NBSP, " ")


def test_la_typographie_francaise_met_des_espaces_insecables() -> None:
    objet, texte, html = texte_convocation(vue_reunion(titre="Bilan : étape 1 ?"), HELENE, "convocation")
    assert objet == f"Convocation — Comité de pilotage de suivi, mardi 8 décembre 2026 à 18{NBSP}h{NBSP}00"
    assert f"Instance{NBSP}: Comité" in texte and f"Réunion{NBSP}: Bilan{NBSP}: étape 1{NBSP}?" in texte
    assert f"«{NBSP}Accepter{NBSP}»" in texte and f"«{NBSP}Accepter{NBSP}»" in html
    assert " :" not in texte and " ;" not in texte and "« " not in texte and " »" not in texte


def test_le_premier_du_mois_s_ecrit_1er() -> None:
    vue = vue_reunion(debut=datetime(2027, 4, 1, 7, 30, tzinfo=UTC), fin=datetime(2027, 4, 1, 9, 0, tzinfo=UTC))
    objet, texte, _ = texte_convocation(vue, HELENE, "convocation")
    texte = texte.replace(f"{NBSP}:", " :")
    assert objet.endswith(f"jeudi 1er avril 2027 à 9{NBSP}h{NBSP}30")
    assert f"Date : jeudi 1er avril 2027, de 9{NBSP}h{NBSP}30 à 11{NBSP}h{NBSP}00" in texte
    vue = vue_reunion(debut=datetime(2027, 4, 11, 7, 30, tzinfo=UTC), fin=datetime(2027, 4, 11, 9, 0, tzinfo=UTC))
    assert texte_convocation(vue, HELENE, "convocation")[0].endswith(f"dimanche 11 avril 2027 à 9{NBSP}h{NBSP}30")


def test_la_convocation_donne_l_ordre_du_jour_avec_les_orientations_et_comment_repondre() -> None:
    _, texte, html = textes(vue_reunion())
    assert texte.startswith("Madame,\n\nNous avons le plaisir de vous convier")
    assert "Instance : Comité de pilotage de suivi (COPIL)\nRéunion : Bilan à mi-parcours" in texte
    assert "Date : mardi 8 décembre 2026, de 18 h 00 à 20 h 00" in texte
    assert "Lieu : Salle du conseil, mairie de L'Union" in texte
    assert (
        "1. Bilan de l'année\n"
        "   Orientation 3.3 : Faciliter l'accès aux droits (enjeu n° 3 : Accès aux droits)\n"
        "   Présenté par Claire Fictive ; durée prévue : 1 h 30"
    ) in texte
    assert "« Accepter »" in texte and "répondez simplement à ce courriel" in texte
    assert texte.rstrip().endswith("Camille Coordinatrice\nChargée de coopération\nMairie de L'Union")
    assert html.startswith('<!DOCTYPE html>\n<html lang="fr">')
    assert "<ol>\n<li>Bilan de l&#x27;année<br>\nOrientation 3.3" in html


def test_le_courriel_rappelle_sa_reunion_a_la_presidence_et_informe_le_maire_sans_les_convier() -> None:
    presidente = dataclasses.replace(HELENE, role="president")
    _, a_la_presidente, _ = textes(vue_reunion(president=presidente), personne=presidente)
    assert a_la_presidente.startswith("Madame,\n\nVoici les informations de la réunion que vous présiderez, dans le")
    maire = SignataireVue(HELENE.email, HELENE.nom_complet, "Madame", "Maire")
    _, au_maire, _ = textes(vue_reunion(signataire_convention=maire))
    assert au_maire.startswith("Madame,\n\nNous avons l'honneur de vous informer de la réunion suivante, dans le")
    assert "convier" not in a_la_presidente + au_maire


def test_sans_civilite_on_ecrit_madame_monsieur() -> None:
    _, texte, _ = textes(vue_reunion(), personne=dataclasses.replace(HELENE, civilite=None))
    assert texte.startswith("Madame, Monsieur,\n")


def test_la_modification_liste_les_changements() -> None:
    changements = (f"Nouvelle date : mercredi 9 décembre 2026 à 18{NBSP}h{NBSP}00", "Nouveau lieu : salle B")
    objet, texte, html = textes(vue_reunion(changements=changements), "modification")
    assert objet.startswith("Modification — Comité de pilotage de suivi, ")
    assert (
        "a été modifiée :\n\n– Nouvelle date : mercredi 9 décembre 2026 à 18 h 00\n– Nouveau lieu : salle B\n\nVoici les informations à jour"
        in texte
    )
    assert "<ul>\n<li>Nouvelle date" in html


def test_l_annulation_donne_le_motif_sans_ordre_du_jour() -> None:
    vue = vue_reunion(motif_annulation="Quorum impossible à réunir.", statut="annulee")
    objet, texte, _ = textes(vue, "annulation")
    assert objet == "Annulation — Comité de pilotage de suivi, mardi 8 décembre 2026 à 18 h 00"
    assert "est annulée :" in texte and "Motif : Quorum impossible à réunir." in texte
    assert "Ordre du jour" not in texte


def test_le_html_echappe_chaque_donnee_saisie() -> None:
    piege = '<script>alert("x")</script> & <b>'
    vue = vue_reunion(titre=piege, lieu=piege, motif_annulation=piege, points=(PointVue(1, piege, piege, None, ()),))
    for nature in ("convocation", "annulation"):
        _, _, html = texte_convocation(vue, dataclasses.replace(HELENE, civilite=piege), nature)
        assert "<script>" not in html and "<b>" not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;" in html


def test_l_objet_reste_sur_une_ligne_quand_l_intitule_contient_un_saut_de_ligne() -> None:
    objet, _, _ = texte_convocation(vue_reunion(instance_intitule="Comité\r\nBcc: x@y.z"), HELENE, "convocation")
    assert "\n" not in objet and "\r" not in objet


def test_une_nature_inconnue_est_refusee() -> None:
    with pytest.raises(ValueError, match="nature de message inconnue"):
        texte_convocation(vue_reunion(), HELENE, "relance")


@pytest.mark.parametrize(
    "nom",
    [
        "Convocation — Hélène d'Aubigné.docx",
        "ordre-du-jour.pdf",
        "Ordre du jour de la réunion du comité de pilotage de suivi de la CTG, version définitive (2).pdf",
        'Nom "entre guillemets" ; fin.pdf',
    ],
)
def test_un_nom_de_piece_jointe_se_relit_a_l_identique(nom: str) -> None:
    octets = courriel(pieces_jointes=[(nom, "application/pdf", b"%PDF")])
    assert list(lire(octets).iter_parts())[1].get_filename() == nom


def test_un_nom_de_piece_jointe_perd_ses_barres_et_ses_mots_encodes() -> None:
    octets = courriel(pieces_jointes=[("../a\\b =?utf-8?q?=0A?=.pdf", "application/pdf", b"%PDF")])
    assert list(lire(octets).iter_parts())[1].get_filename() == "-a-b =-?utf-8?q?=0A?=.pdf"


def test_le_html_a_l_en_tete_de_l_institution_et_des_liens_cliquables() -> None:
    vue = vue_reunion(visio="https://visio.example.org/copil?salle=1&code=2")
    _, texte, html = texte_convocation(vue, HELENE, "convocation")
    corps = html.split("<body>\n", 1)[1]
    assert corps.startswith(
        f'<p style="font-weight:bold;color:#1F3864;font-size:1.2em">{escape(vue.institution.nom)}</p>'
    )
    lien = "https://visio.example.org/copil?salle=1&amp;code=2"
    assert f'<a href="{lien}">{lien}</a>' in html
    assert "<ol>\n<li>" in html  # l'ordre du jour en liste numérotée
    assert "https://visio.example.org/copil?salle=1&code=2" in texte and "<a " not in texte


def test_un_lien_piege_ne_sort_pas_de_son_attribut() -> None:
    piege = 'https://x.example/"onmouseover="alert(1)'
    _, _, html = texte_convocation(vue_reunion(visio=piege), HELENE, "convocation")
    assert 'onmouseover="' not in html and '<a href="https://x.example/&quot;onmouseover=&quot;alert(1">' in html

"""`ctg demo` : le parcours d'un coordinateur, commande par commande, sur la CTG de L'Union.

Chaque étape lance la vraie commande `ctg` et l'affiche, pour qu'on puisse la refaire à la main.
Les contacts sont fictifs (adresses @example.org).
"""

from __future__ import annotations

import shlex
from datetime import date, timedelta
from importlib.resources import files
from pathlib import Path

import click
from rich.rule import Rule
from rich.text import Text

from flows.cli.contexte import console, reglages
from gouvernance.erreurs import BaseExistante
from gouvernance.fichiers import ecrire_atomiquement

NOM_FICHIER_CONTACTS = "contacts-demo.csv"
NOM_FICHIER_REUNION = "reunion-copil.yaml"


REGLAGES_DEMO = """\
# Réglages de la démonstration (voir le README) : le coordinateur signe les invitations et reçoit les réponses.
# Le logo de l'en-tête des courriers (un chemin relatif part de ce dossier).
logo = "logo-ville.png"

[coordinateur]
nom = "Nadia Prototype"
fonction = "Chargée de coopération CTG"
email = "cooperation.ctg@example.org"
telephone = "05 00 00 00 08"
"""


def _reunion_demo(debut: date) -> str:
    return f"""\
# Une réunion à planifier : `ctg reunion planifier {NOM_FICHIER_REUNION}`.
instance: COPIL
titre: Comité de pilotage de la CTG — bilan de l'année
debut: {debut.isoformat()} 18:00      # heure de Paris
duree: 2h
lieu: Salle du conseil municipal, mairie de L'Union
visio: https://visio.example.org/copil-ctg
points:
  - titre: Approbation du compte rendu de la réunion précédente
  - titre: Bilan des actions petite enfance
    orientations: ["3.3", "3.1"]
    rapporteur: Service petite enfance
    duree: 30min
  - titre: Parentalité, les actions de l'année
    orientations: ["5.3", "orientation 5.4"]
    rapporteur: Centre communal d'action sociale
  - titre: Questions diverses
invites: [federations@example.org]
"""


def _premier_mardi_apres(jour: date, jours: int) -> date:
    """Un mardi au moins `jours` jours après `jour` (le délai de convocation du COPIL est de 5 jours francs)."""
    candidat = jour + timedelta(days=jours)
    return candidat + timedelta(days=(1 - candidat.weekday()) % 7)


def _etapes(
    contacts: str, reunion: str, reunion_cotech: str, calendrier: str, reponses: str, *, relance: str
) -> list[tuple[str, list[str]]]:
    return [
        ("Créer la base et charger le référentiel de L'Union (conseil municipal du 8 décembre 2021)", ["init"]),
        ("Le référentiel : 8 enjeux, 33 orientations, mot pour mot", ["referentiel"]),
        (
            "Donner à la convention sa période (dates d'exemple)",
            ["convention", "modifier", "--debut", "2022-01-01", "--fin", "2026-12-31"],
        ),
        (
            "Charger les contacts depuis le tableur du coordinateur (personnes fictives)",
            ["personnes", "importer", contacts],
        ),
        (
            "Désigner la présidente du comité de pilotage",
            ["membres", "modifier", "COPIL", "maire@example.org", "--role", "president"],
        ),
        (
            "La maire a signé la convention pour la Ville : elle signe les courriers des instances sans présidence",
            [
                "convention",
                "modifier",
                "--signataire",
                "Ville",
                "--signe-par",
                "maire@example.org",
                "--signe-le",
                "2022-01-10",
            ],
        ),
        (
            "Le secrétariat du comité technique",
            ["membres", "modifier", "COTECH", "cooperation.ctg@example.org", "--role", "secretaire"],
        ),
        ("Les partenaires de la CTG", ["partenaires"]),
        ("Les contacts", ["personnes"]),
        ("Les instances de gouvernance et leurs membres", ["instances"]),
        (
            "L'adresse de la Ville, pour l'en-tête des courriers",
            ["partenaires", "modifier", "Ville", "--adresse", "Hôtel de ville\\n31240 L'Union"],
        ),
        ("Planifier le comité de pilotage", ["reunion", "planifier", reunion]),
        (
            "Le convoquer : courriers Word et PDF, ordre du jour, courriels avec l'invitation de calendrier",
            ["reunion", "convoquer", "1"],
        ),
        ("Le convoquer une seconde fois : rien n'est envoyé deux fois", ["reunion", "convoquer", "1"]),
        (
            "Changer de salle : chaque invité reçoit la mise à jour, que son agenda reporte sur la réunion inscrite",
            ["reunion", "modifier", "1", "--lieu", "Salle des fêtes, mairie de L'Union"],
        ),
        ("Les invités répondent depuis leur agenda (boutons « Accepter », « Refuser »)", [REPONSES_DEMO]),
        ("", ["reponses", "importer", reponses]),
        ("Les mêmes réponses, relevées directement dans la boîte du coordinateur (IMAP)", [RELEVE_IMAP]),
        ("Où en est la réunion", ["reunion", "voir", "1"]),
        (
            "Cinq jours avant la réunion : qui serait relancé (simulation, rien n'est envoyé)",
            ["relances", "--date", relance, "--simulation"],
        ),
        (
            "Les relances du jour : un rappel à chaque invité sans réponse, le récapitulatif de la semaine",
            ["relances", "--date", relance],
        ),
        ("Relancées une seconde fois le même jour : rien ne repart", ["relances", "--date", relance]),
        (
            "Planifier puis annuler un comité technique",
            [
                "reunion",
                "planifier",
                "--instance",
                "COTECH",
                "--debut",
                f"{reunion_cotech} 14:00",
                "--titre",
                "Comité technique — préparation du bilan",
            ],
        ),
        ("", ["reunion", "convoquer", "2"]),
        ("", ["reunion", "annuler", "2", "--motif", "Ordre du jour reporté au prochain comité technique"]),
        ("Les réunions de la CTG", ["reunions"]),
        (
            "Le calendrier à partager (abonnement Outlook, Thunderbird, Google Agenda)",
            ["calendrier", "exporter", "--sortie", calendrier],
        ),
    ]


SECRETAIRE = "(le secrétaire de séance)"
REUNION_TENUE = "(la réunion a eu lieu)"
#: Un compte rendu ne s'importe qu'une fois la réunion tenue : la démonstration la date d'autant plus tôt.
SEMAINES_EN_ARRIERE = 3
RELEVE_IMAP = "(la boîte du coordinateur)"
REPONSES_DEMO = "(les agendas des invités)"


def _recevoir_les_reponses(dossier: Path) -> None:
    """Écrit les réponses que les agendas de trois invités renverraient à la dernière invitation."""
    from flows.cli.contexte import session
    from flows.cli.reponses_demo import ecrire_reponses
    from modeles import Reunion

    with session() as ouverte:
        reunion = ouverte.get(Reunion, 1)
        assert reunion is not None  # noqa: S101  (planifiée aux étapes précédentes)
        uid, sequence = reunion.uid, reunion.sequence
    organisateur = reglages().valeur("COORDINATEUR_EMAIL") or ""
    for chemin in ecrire_reponses(dossier, uid=uid, sequence=sequence, organisateur=organisateur):
        console.print(Text(f"Réponse reçue : {chemin}"))
    click.echo()


AIDE_IMAP = (
    "Sans serveur IMAP, la démonstration passe cette étape. Avec CTG_IMAP_HOST, CTG_IMAP_USER et "
    "CTG_IMAP_PASSWORD réglés, `ctg reponses relever` lit les réponses arrivées dans la boîte du coordinateur, "
    "sans la modifier."
)

NOM_COMPTE_RENDU_COMPLETE = "compte-rendu-complete-par-le-secretaire.docx"


def _etapes_compte_rendu(complete: str) -> list[tuple[str, list[str]]]:
    return [
        ("La feuille d'émargement, à faire signer à l'entrée", ["reunion", "emargement", "1"]),
        (
            f"La réunion a eu lieu (la démonstration l'a avancée de {SEMAINES_EN_ARRIERE} semaines)",
            [REUNION_TENUE],
        ),
        ("Le projet de compte rendu, pré-rempli, pour le secrétaire de séance", ["compte-rendu", "generer", "1"]),
        ("Le secrétaire le complète dans Word : présences, décisions, actions, échanges", [SECRETAIRE]),
        ("Relire son fichier sans rien enregistrer", ["compte-rendu", "importer", "1", complete, "--simulation"]),
        ("L'importer", ["compte-rendu", "importer", "1", complete]),
        (
            "Le valider : sa version officielle, mise au propre, est figée en PDF",
            ["compte-rendu", "valider", "1"],
        ),
        ("Le diffuser à chaque invité, présent ou non", ["compte-rendu", "diffuser", "1"]),
        ("Le suivi des actions et des décisions", ["suivi"]),
        ("Une action avance", ["action", "modifier", "1", "--statut", "en cours"]),
        ("Le suivi de l'orientation 3.3", ["suivi", "--orientation", "3.3"]),
    ]


def _etapes_annee(annee_du_comite: int) -> list[tuple[str, list[str]]]:
    """L'année suivante planifiée d'après le rythme des instances, puis le bilan de l'année du comité."""
    from gouvernance.calendrier.vacances import periode_couverte

    suivante = str(annee_du_comite + 1)
    # Les vacances scolaires ne sont connues que jusqu'à la dernière année scolaire publiée.
    zone = ["--vacances-zone", "C"] if periode_couverte()[1].year > annee_du_comite + 1 else []
    return [
        (
            "Le rythme du comité technique : quatre réunions par an, le jeudi à 14 h, relance 5 jours avant",
            [
                "instances",
                "modifier",
                "COTECH",
                "--par-an",
                "4",
                "--jour",
                "jeudi",
                "--heure",
                "14:00",
                "--relance-reponse-jours",
                "5",
            ],
        ),
        (
            f"Planifier {suivante} d'après le rythme de chaque instance (jours fériés et vacances de la zone C évités)",
            ["calendrier", "planifier", suivante, *zone, "--enregistrer"],
        ),
        ("Planifier une seconde fois : rien n'est dupliqué", ["calendrier", "planifier", suivante, *zone]),
        ("Les réunions de la CTG", ["reunions"]),
        (
            f"Le bilan {annee_du_comite} pour la CAF (arrêté au 31 décembre, comme si l'année était finie)",
            ["bilan", str(annee_du_comite), "--au", f"{annee_du_comite}-12-31"],
        ),
    ]


def _tenir_la_reunion() -> None:
    """Date la réunion n°1 de quelques semaines plus tôt, comme si elle avait eu lieu (rien n'est envoyé)."""
    from flows.cli.contexte import moteur
    from gouvernance.francais import moment
    from gouvernance.services.demonstration import reculer_reunion

    debut = reculer_reunion(moteur(), 1, semaines=SEMAINES_EN_ARRIERE)
    console.print(Text(f"La réunion n°1 s'est tenue le {moment(debut)}."))
    click.echo()


def _faire_le_secretaire(complete: Path) -> None:
    """Remplit le dernier projet de compte rendu comme le ferait le secrétaire, et l'enregistre à côté."""
    from flows.cli.contexte import session
    from flows.cli.secretaire_demo import annee_suivante, completer_compte_rendu
    from gouvernance.archives import dernier_document

    with session() as ouverte:
        projet = dernier_document(ouverte, "compte_rendu_projet")
    assert projet is not None  # noqa: S101  (l'étape précédente vient de le produire)
    contenu = completer_compte_rendu(reglages().fichier(projet.chemin).read_bytes(), annee=annee_suivante())
    ecrire_atomiquement(complete, contenu)
    console.print(Text(f"Fichier du secrétaire : {complete}"))
    click.echo()


def _creer_le_compte_du_coordinateur() -> None:
    """Le compte web de la coordinatrice de la démonstration ; son mot de passe, tiré au sort, n'est montré qu'ici."""
    import secrets
    from datetime import datetime

    from flows.cli.contexte import moteur
    from gouvernance.services.comptes import ajouter_utilisateur

    console.print(Rule("L'application web : le compte de la coordinatrice", align="left"))
    mot_de_passe = secrets.token_urlsafe(12)
    compte = ajouter_utilisateur(
        moteur(),
        "cooperation.ctg@example.org",
        mot_de_passe,
        "coordinateur",
        nom="Nadia Prototype",
        maintenant=datetime.now().astimezone(),
    )
    console.print(
        f"Compte créé : {compte.email} (coordinateur), mot de passe : {mot_de_passe}\n"
        "Notez-le : il n'est affiché qu'ici (un autre : ctg utilisateurs mot-de-passe cooperation.ctg@example.org).\n"
        f"Démarrez l'application avec : CTG_HOME={shlex.quote(str(reglages().dossier))} ctg web",
        markup=False,
        soft_wrap=True,
    )
    click.echo()


def lancer_demonstration() -> None:
    """Déroule le parcours dans le dossier CTG_HOME, qui doit être neuf."""
    from flows.cli.principal import ctg

    dossier = reglages().dossier
    chemin_sqlite = reglages().chemin_sqlite
    if chemin_sqlite is not None and chemin_sqlite.exists():
        raise BaseExistante(
            f"La démonstration crée sa propre base, mais {chemin_sqlite} existe déjà. "
            "Choisissez un dossier neuf : CTG_HOME=demo-ctg ctg demo (ou `make demo`)."
        )
    contacts = dossier / NOM_FICHIER_CONTACTS
    texte = files("gouvernance.donnees").joinpath("contacts_demo.csv").read_bytes()
    ecrire_atomiquement(contacts, texte)
    ecrire_atomiquement(dossier / "ctg.toml", REGLAGES_DEMO.encode("utf-8"))
    ecrire_atomiquement(dossier / "logo-ville.png", files("gouvernance.donnees").joinpath("logo_demo.png").read_bytes())
    reglages.cache_clear()
    jour = _premier_mardi_apres(date.today(), 10)
    reunion = dossier / NOM_FICHIER_REUNION
    ecrire_atomiquement(reunion, _reunion_demo(jour).encode("utf-8"))
    calendrier = dossier / "calendrier-ctg.ics"
    reponses = dossier / "reponses-recues"
    relance = (jour - timedelta(days=5)).isoformat()
    cotech = (jour + timedelta(days=7)).isoformat()
    etapes = _etapes(str(contacts), str(reunion), cotech, str(calendrier), str(reponses), relance=relance)
    complete = dossier / NOM_COMPTE_RENDU_COMPLETE
    tenue = jour - timedelta(weeks=SEMAINES_EN_ARRIERE)
    for titre, arguments in [*etapes, *_etapes_compte_rendu(str(complete)), *_etapes_annee(tenue.year)]:
        if titre:
            console.print(Rule(titre, align="left"))
        if arguments == [REUNION_TENUE]:
            _tenir_la_reunion()
            continue
        if arguments == [SECRETAIRE]:
            _faire_le_secretaire(complete)
            continue
        if arguments == [REPONSES_DEMO]:
            _recevoir_les_reponses(reponses)
            continue
        if arguments == [RELEVE_IMAP] and not reglages().valeur("IMAP_HOST"):
            console.print(Text(AIDE_IMAP), soft_wrap=True)
            click.echo()
            continue
        commande = ["reponses", "relever"] if arguments == [RELEVE_IMAP] else arguments
        console.print(Text(f"$ ctg {shlex.join(commande)}", style="dim"))
        ctg.main(args=commande, prog_name="ctg", standalone_mode=False)
        click.echo()
    _creer_le_compte_du_coordinateur()
    console.print(Rule("Et ensuite", align="left"))
    console.print(
        f"Tout est dans {dossier} :\n"
        f"  – ctg.sqlite3, la base ; ctg.toml, les réglages ; {NOM_FICHIER_CONTACTS} et {NOM_FICHIER_REUNION} ;\n"
        f"  – documents/ : convocations, ordre du jour, annulation, émargement et compte rendu, en Word et en PDF ;\n"
        f"  – documents/bilans/ : le bilan annuel (Word, PDF, graphiques) et ses chiffres en CSV ;\n"
        f"  – {NOM_COMPTE_RENDU_COMPLETE} : le compte rendu tel que le secrétaire l'a complété ;\n"
        f"  – boite-envoi/ : les courriels (.eml) tels qu'ils partiraient (convocations, relances, récapitulatif,\n"
        f"    compte rendu), à ouvrir dans Thunderbird ou Outlook ;\n"
        f"  – calendrier-ctg.ics : le calendrier des réunions ; reponses-recues/ : les réponses des agendas.\n"
        f"Essayez : CTG_HOME={shlex.quote(str(dossier))} ctg reunion voir 1 --json",
        markup=False,
        soft_wrap=True,
    )

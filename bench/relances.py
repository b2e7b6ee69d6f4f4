"""Mesure les relances d'un jour chargé : la sélection de ce qui est dû, puis la préparation des courriels.

Lancement : `.venv/bin/python bench/relances.py` (une minute environ). Tout tourne dans un dossier temporaire,
sur une base SQLite neuve : L'Union, 600 contacts, 200 réunions convoquées dans les trois semaines qui viennent
(30 invités chacune, la moitié sans réponse) et 40 réunions passées sans compte rendu. Le délai de relance des
instances est porté à 21 jours pour que toutes ces réunions soient relancées le même jour : c'est un jour bien
plus chargé que ceux d'une vraie CTG, exprès.

Mesures, dans la même exécution pour rester comparables :
1. la sélection (`relances_dues`), rapportée à une requête SQL brute qui lit les mêmes invitations sans réponse ;
2. la préparation (`rediger_relances` : courriel .eml écrit, invitation .ics jointe, ligne de la boîte
   d'envoi), rapportée à `construire_courriel` seul qui construit autant de messages de la même taille.
Le nombre de requêtes SQL émises par chacune est compté (écouteur `before_cursor_execute` de SQLAlchemy) :
il ne doit pas croître avec le nombre de réunions ou d'invités (pas de « N+1 »).
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from mesure import compter_requetes, mediane

REPETITIONS_PREPARATION = 3
REUNIONS = 200
INVITES = 30
CONTACTS = 600
REUNIONS_PASSEES = 40
#: Le jour des relances (un lundi), et l'heure à laquelle le flux quotidien tourne.
JOUR = date(2027, 3, 1)
MAINTENANT = datetime(2027, 3, 1, 6, 0, tzinfo=UTC)
COORDINATEUR = "cooperation.ctg@example.org"

#: Les invitations sans réponse des réunions convoquées à venir : ce que la sélection doit trouver.
SQL_REFERENCE = """
SELECT r.uid, r.sequence, r.debut, i.code, i.territoire_id, p.email, p.prenom, p.nom
FROM invitations AS v
JOIN reunions AS r ON r.id = v.reunion_id
JOIN instances AS i ON i.id = r.instance_id
JOIN personnes AS p ON p.id = v.personne_id
WHERE r.statut = 'convoquee' AND r.debut >= ? AND v.reponse = 'NEEDS-ACTION' AND i.relance_reponse_jours > 0
ORDER BY r.debut, r.id, v.id
"""


def preparer_base(dossier: Path) -> None:
    """L'Union, 600 contacts dans ses organismes partenaires, 200 réunions convoquées, 40 passées."""
    os.environ["CTG_HOME"] = str(dossier)
    os.environ.pop("CTG_DATABASE_URL", None)
    os.environ["CTG_COORDINATEUR_NOM"] = "Nadia Prototype"
    os.environ["CTG_COORDINATEUR_EMAIL"] = COORDINATEUR
    from sqlalchemy import select

    from gouvernance.base_donnees import creer_base
    from gouvernance.reglages import lire_reglages
    from gouvernance.relances.calendrier import debut_du_jour
    from gouvernance.territoires import charger_referentiel_exemple, choisir_territoire
    from modeles import Fonction, Instance, Invitation, Orientation, Partenaire, Personne, PointOrdreDuJour, Reunion
    from modeles.moteur import ouvrir_session

    hasard = random.Random(2027)  # noqa: S311  (des données de banc, pas de la cryptographie)
    with ouvrir_session(creer_base(lire_reglages()), ecriture=True) as session:
        charger_referentiel_exemple(session)
        territoire = choisir_territoire(session, None)
        instances = list(session.scalars(select(Instance).where(Instance.territoire_id == territoire.id)))
        for instance in instances:
            instance.relance_reponse_jours = 21
        partenaires = list(session.scalars(select(Partenaire)))
        orientations = list(session.scalars(select(Orientation)))
        contacts = []
        for numero in range(CONTACTS):
            personne = Personne(email=f"contact{numero:03d}@example.org", prenom="Contact", nom=f"N°{numero:03d}")
            personne.fonctions.append(
                Fonction(partenaire=hasard.choice(partenaires), intitule="Représentant", debut=date(2020, 1, 1))
            )
            contacts.append(personne)
        session.add_all(contacts)
        premier = debut_du_jour(JOUR)

        def reunion(numero: int, debut: datetime, statut: str) -> Reunion:
            instance = instances[numero % len(instances)]
            nouvelle = Reunion(
                instance=instance,
                titre=f"{instance.intitule} n°{numero}",
                debut=debut,
                fin=debut + timedelta(hours=2),
                lieu="Salle du conseil",
                statut=statut,
                uid=f"bench-relances-{numero}@ctg.example.org",
                cree_le=premier - timedelta(days=60),
                convoquee_le=premier - timedelta(days=30),
            )
            for ordre in (1, 2):
                nouvelle.points.append(
                    PointOrdreDuJour(ordre=ordre, titre=f"Point {ordre}", orientations=hasard.sample(orientations, 2))
                )
            for rang, personne in enumerate(hasard.sample(contacts, INVITES)):
                reponse = "NEEDS-ACTION" if rang % 2 == 0 else hasard.choice(("ACCEPTED", "DECLINED", "TENTATIVE"))
                nouvelle.invitations.append(Invitation(personne=personne, reponse=reponse))
            return nouvelle

        session.add_all(
            reunion(numero, premier + timedelta(days=1 + numero % 20, hours=17), "convoquee")
            for numero in range(REUNIONS)
        )
        session.add_all(
            reunion(REUNIONS + numero, premier - timedelta(days=20 + numero, hours=-17), "tenue")
            for numero in range(REUNIONS_PASSEES)
        )


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    with tempfile.TemporaryDirectory() as temporaire:
        preparer_base(Path(temporaire) / "ctg")
        mesurer()


def mesurer() -> None:  # noqa: PLR0915  (un banc se lit d'un bout à l'autre)
    from sqlalchemy.orm import Session

    from gouvernance.base_donnees import ouvrir_base
    from gouvernance.courriel import construire_courriel, construire_message_id
    from gouvernance.reglages import lire_reglages
    from gouvernance.relances.caducite import relances_perimees
    from gouvernance.relances.calendrier import debut_du_jour
    from gouvernance.relances.preparation import ParametresRelances, rediger_relances, relances_dues
    from gouvernance.reunions.lecture import lire_coordinateur
    from modeles import Message

    reglages = lire_reglages()
    moteur = ouvrir_base(reglages)
    coordinateur = lire_coordinateur(reglages)

    def selectionner() -> list[Any]:
        with Session(moteur) as session:  # une session neuve : rien de déjà chargé, comme le flux quotidien
            return relances_dues(session, JOUR, coordinateur)

    def reference_sql() -> int:
        with moteur.connect() as connexion:
            borne = debut_du_jour(JOUR).strftime("%Y-%m-%d %H:%M:%S")
            return len(connexion.exec_driver_sql(SQL_REFERENCE, (borne,)).fetchall())

    selectionner()  # une première fois : compilation des requêtes, cache du système de fichiers
    with compter_requetes(moteur) as requetes_selection:
        dues = selectionner()
    lignes_sql = reference_sql()
    temps_sql = mediane(reference_sql)
    temps_selection = mediane(selectionner)
    reponses = sum(d.nature == "relance_reponse" for d in dues)
    if reponses != lignes_sql:
        sys.exit(f"La sélection trouve {reponses} relances de réponse, la requête de référence {lignes_sql}.")

    parametres = ParametresRelances(
        reglages=reglages, maintenant=MAINTENANT, jour=JOUR, coordinateur=coordinateur, smtp=False
    )
    boite = reglages.boite_envoi
    exemple: list[Message] = []
    caducite: list[float] = []

    def preparer(requetes: list[str] | None = None) -> float:
        """Sélection faite, la préparation seule ; tout est annulé ensuite pour la répétition suivante."""
        shutil.rmtree(boite, ignore_errors=True)
        with Session(moteur) as session:
            choisies = relances_dues(session, JOUR, coordinateur)
            debut = time.perf_counter()
            if requetes is None:
                lignes = rediger_relances(session, choisies, parametres)
            else:
                with compter_requetes(moteur) as notees:
                    lignes = rediger_relances(session, choisies, parametres)
                requetes.extend(notees)
            duree = time.perf_counter() - debut
            if requetes is not None:  # la première fois : ce que le flux fait juste avant l'envoi
                session.expunge_all()
                debut = time.perf_counter()
                with compter_requetes(moteur) as notees:
                    perimees = relances_perimees(session, jour=JOUR)
                caducite.extend([time.perf_counter() - debut, len(notees), len(perimees)])
            if not exemple:
                premier = session.get(Message, lignes[0].message)
                assert premier is not None  # noqa: S101
                session.expunge(premier)
                exemple.append(premier)
            session.rollback()
        return duree

    requetes_preparation: list[str] = []
    durees = [preparer(requetes_preparation), *(preparer() for _ in range(REPETITIONS_PREPARATION - 1))]
    temps_preparation = statistics.median(durees)
    fichiers = sorted(boite.glob("*.eml"))
    taille = statistics.median(f.stat().st_size for f in fichiers)

    # La référence : construire_courriel seul, autant de messages, mêmes textes et même invitation jointe.
    import email
    import email.policy

    modele = email.message_from_bytes(reglages.fichier(exemple[0].chemin).read_bytes(), policy=email.policy.default)
    corps = modele.get_body(("plain",))
    html = modele.get_body(("html",))
    ics = next(p.get_content() for p in modele.walk() if p.get_content_type() == "text/calendar")
    ics_octets = ics.encode() if isinstance(ics, str) else bytes(ics)
    assert corps is not None and html is not None  # noqa: S101

    def reference_courriel() -> None:
        for numero in range(len(dues)):
            construire_courriel(
                expediteur=(coordinateur.nom, coordinateur.email),
                destinataire=("Contact N°001", "contact001@example.org"),
                objet=str(modele["Subject"]),
                texte=corps.get_content(),
                html=html.get_content(),
                calendrier=ics_octets,
                methode="REQUEST",
                pieces_jointes=[("invitation.ics", "application/ics", ics_octets)],
                message_id=construire_message_id("example.org", f"bench/{numero}"),
                horodatage=MAINTENANT,
                repondre_a=coordinateur.email,
            )

    temps_courriel = mediane(reference_courriel, REPETITIONS_PREPARATION)

    n = len(dues)
    print(
        f"Relances du {JOUR:%d/%m/%Y} : {REUNIONS} réunions convoquées ({INVITES} invités, la moitié sans réponse), "
        f"{REUNIONS_PASSEES} réunions passées sans compte rendu"
    )
    print(f"  {n} relances dues ({reponses} de réponse, {n - reponses} du compte rendu)")
    print("Sélection (médiane de 5, session neuve)")
    print(f"  référence : requête SQL brute, {lignes_sql} lignes   : {temps_sql * 1000:7.0f} ms")
    print(
        f"  relances_dues                                : {temps_selection * 1000:7.0f} ms"
        f"  ({temps_selection / temps_sql:.1f} × la référence, {len(requetes_selection)} requêtes SQL)"
    )
    print(
        f"Préparation de {n} courriels (médiane de {REPETITIONS_PREPARATION}, taille médiane {taille / 1024:.0f} Kio)"
    )
    print(
        f"  référence : construire_courriel seul          : {temps_courriel:7.2f} s"
        f"  ({temps_courriel / n * 1000:.1f} ms par message)"
    )
    print(
        f"  rediger_relances (vue, .ics, .eml, base)    : {temps_preparation:7.2f} s"
        f"  ({temps_preparation / n * 1000:.1f} ms par message, {temps_preparation / temps_courriel:.1f} × la "
        f"référence, {len(requetes_preparation)} requêtes SQL)"
    )
    print(f"  durées des préparations : {', '.join(f'{d:.2f} s' for d in durees)}")
    perimees = f"{caducite[2]:.0f} périmées" if caducite[2] else "aucune périmée"
    print(
        f"Recherche des relances périmées juste avant l'envoi ({n} messages à envoyer, {perimees}) : "
        f"{caducite[0] * 1000:.0f} ms, {caducite[1]:.0f} requêtes SQL"
    )
    print("Requêtes SQL par forme (les plus fréquentes)")
    formes: dict[str, int] = {}
    for requete in [*requetes_selection, *requetes_preparation]:
        forme = " ".join(requete.split())[:90]
        formes[forme] = formes.get(forme, 0) + 1
    for forme, nombre in sorted(formes.items(), key=lambda paire: -paire[1])[:6]:
        print(f"  {nombre:5d} × {forme}")


if __name__ == "__main__":
    main()

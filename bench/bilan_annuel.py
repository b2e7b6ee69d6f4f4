"""Mesure le bilan annuel d'une grande CTG, étape par étape, et rapporte chaque étape à une référence.

Lancement : `.venv/bin/python bench/bilan_annuel.py` (une minute environ ; `--sans-pdf` pour ne pas lancer
LibreOffice). Tout tourne dans un dossier temporaire, sur une base SQLite neuve : L'Union et trois groupes de
travail de plus (7 instances), 16 organismes partenaires, 200 contacts, et l'année 2027 : 40 réunions tenues
de 30 invités (présences relevées pour 36 d'entre elles), 3 annulées, 150 décisions, 300 actions réparties sur
les 33 orientations.

Mesures (médiane de 5), chacune avec sa référence dans la même exécution :
1. les chiffres (`lire_bilan` : requêtes et calcul), rapportés à une requête SQL brute qui lit les mêmes lignes ;
2. les deux graphiques, rapportés à matplotlib seul qui trace un barh de 33 barres de la même taille ;
3. le document Word, rapporté à docxtpl seul qui remplit le même modèle avec les mêmes données ;
4. les CSV ; le PDF (LibreOffice), rapporté à la conversion d'un document d'une ligne ;
5. la mémoire de pointe d'un processus qui produit le bilan, rapportée à celle d'un processus qui importe
   seulement les mêmes bibliothèques.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from unittest.mock import patch

from mesure import compter_requetes, mediane

ANNEE = 2027
ARRETE_LE = datetime(2028, 1, 15, 10, 0, tzinfo=UTC)
TENUES, RELEVEES, ANNULEES = 40, 36, 3
INVITES, CONTACTS, DECISIONS, ACTIONS = 30, 200, 150, 300
PARTENAIRES_EN_PLUS = (
    ("Centre social Les Pradettes", "CS"),
    ("Maison des jeunes et de la culture", "MJC"),
    ("Association des assistantes maternelles", "AAM"),
    ("Collège Jean Jaurès", "Collège"),
    ("Mission locale", "ML"),
    ("Protection maternelle et infantile", "PMI"),
    ("Relais petite enfance", "RPE"),
    ("Association familiale laïque", "AFL"),
    ("Club de prévention", "Prévention"),
    ("Ludothèque associative", "Ludo"),
)
GROUPES_DE_TRAVAIL = (
    ("GT-PE", "Groupe de travail petite enfance"),
    ("GT-JEUNESSE", "Groupe de travail jeunesse"),
    ("GT-PARENTALITE", "Groupe de travail parentalité"),
)
PRESENCES = ("present",) * 6 + ("represente", "excuse", "excuse", "absent")
STATUTS_ACTION = ("fait", "fait", "en_cours", "en_cours", "a_faire", "abandonnee")

#: Les lignes que lit `lire_bilan`, en SQL brut (les bornes de l'année à Paris, en UTC).
SQL_REFERENCE = (
    "SELECT r.*, i.code, i.intitule FROM reunions r JOIN instances i ON i.id = r.instance_id "
    "WHERE i.territoire_id = :t AND r.debut >= :debut AND r.debut < :fin",
    "SELECT v.*, p.*, f.*, pa.nom, pa.sigle FROM invitations v JOIN reunions r ON r.id = v.reunion_id "
    "JOIN instances i ON i.id = r.instance_id JOIN personnes p ON p.id = v.personne_id "
    "LEFT JOIN fonctions f ON f.personne_id = p.id LEFT JOIN partenaires pa ON pa.id = f.partenaire_id "
    "WHERE i.territoire_id = :t AND r.debut >= :debut AND r.debut < :fin",
    "SELECT po.*, pt.reunion_id FROM points_orientations po JOIN points_ordre_du_jour pt ON pt.id = po.point_id "
    "JOIN reunions r ON r.id = pt.reunion_id JOIN instances i ON i.id = r.instance_id "
    "WHERE i.territoire_id = :t AND r.debut >= :debut AND r.debut < :fin",
    "SELECT c.reunion_id, c.statut FROM comptes_rendus c JOIN reunions r ON r.id = c.reunion_id "
    "WHERE r.debut >= :debut AND r.debut < :fin",
    "SELECT d.*, o.orientation_id FROM decisions d JOIN reunions r ON r.id = d.reunion_id "
    "JOIN decisions_orientations o ON o.decision_id = d.id WHERE r.debut >= :debut AND r.debut < :fin",
    "SELECT a.*, o.orientation_id FROM actions a JOIN reunions r ON r.id = a.reunion_id "
    "JOIN actions_orientations o ON o.action_id = a.id WHERE r.debut >= :debut AND r.debut < :fin",
    "SELECT e.*, o.* FROM enjeux e JOIN orientations o ON o.enjeu_id = e.id WHERE e.territoire_id = :t",
)


def regler_environnement(dossier: Path) -> None:
    os.environ["CTG_HOME"] = str(dossier)
    os.environ.pop("CTG_DATABASE_URL", None)
    os.environ["CTG_COORDINATEUR_NOM"] = "Nadia Prototype"
    os.environ["CTG_COORDINATEUR_FONCTION"] = "Chargée de coopération CTG"
    os.environ["CTG_COORDINATEUR_EMAIL"] = "cooperation.ctg@example.org"


def preparer_base(dossier: Path) -> None:  # noqa: PLR0912, PLR0915  (une année entière se décrit d'un trait)
    """L'année 2027 d'une grande CTG : réunions, présences relevées, décisions et actions."""
    regler_environnement(dossier)
    from sqlalchemy import select

    from gouvernance.base_donnees import creer_base
    from gouvernance.reglages import lire_reglages
    from gouvernance.territoires import charger_referentiel_exemple, choisir_territoire
    from modeles import (
        Action,
        CompteRendu,
        Decision,
        Fonction,
        Instance,
        Invitation,
        Orientation,
        Partenaire,
        Personne,
        PointOrdreDuJour,
        Reunion,
    )
    from modeles.moteur import ouvrir_session

    hasard = random.Random(ANNEE)  # noqa: S311  (des données de banc, pas de la cryptographie)
    with ouvrir_session(creer_base(lire_reglages()), ecriture=True) as session:
        charger_referentiel_exemple(session)
        territoire = choisir_territoire(session, None)
        for code, intitule in GROUPES_DE_TRAVAIL:
            session.add(Instance(territoire=territoire, code=code, intitule=intitule, type="groupe-travail"))
        for nom, sigle in PARTENAIRES_EN_PLUS:
            session.add(Partenaire(nom=nom, sigle=sigle, categorie="association"))
        session.flush()
        instances = list(session.scalars(select(Instance).where(Instance.territoire_id == territoire.id)))
        partenaires = list(session.scalars(select(Partenaire)))
        orientations = list(session.scalars(select(Orientation)))
        contacts = []
        for numero in range(CONTACTS):
            personne = Personne(email=f"contact{numero:03d}@example.org", prenom="Contact", nom=f"N°{numero:03d}")
            if numero % 10 == 0:  # une mutation en cours d'année : l'organisme du jour de la réunion compte
                personne.fonctions.append(
                    Fonction(
                        partenaire=hasard.choice(partenaires),
                        intitule="Ancien poste",
                        debut=date(2019, 1, 1),
                        fin=date(2027, 6, 30),
                    )
                )
                debut_fonction = date(2027, 7, 1)
            else:
                debut_fonction = date(2020, 1, 1)
            if numero % 25 != 7:  # quelques bénévoles sans organisme
                personne.fonctions.append(
                    Fonction(partenaire=hasard.choice(partenaires), intitule="Représentant", debut=debut_fonction)
                )
            contacts.append(personne)
        session.add_all(contacts)

        reunions = []
        for numero in range(TENUES + ANNULEES):
            instance = instances[numero % len(instances)]
            jour = date(ANNEE, 1, 12) + timedelta(days=8 * numero)
            debut = datetime(jour.year, jour.month, jour.day, 16, 0, tzinfo=UTC)
            reunion = Reunion(
                instance=instance,
                titre=f"{instance.intitule} du {jour:%d/%m}",
                debut=debut,
                fin=debut + timedelta(hours=2),
                statut="annulee" if numero >= TENUES else "tenue",
                uid=f"bench-bilan-{numero}@ctg.example.org",
                cree_le=debut - timedelta(days=30),
            )
            for ordre in range(1, 4):
                reunion.points.append(
                    PointOrdreDuJour(
                        ordre=ordre,
                        titre=f"Point {ordre}",
                        orientations=hasard.sample(orientations, hasard.choice((1, 2))),
                    )
                )
            if numero < TENUES:
                for personne in hasard.sample(contacts, INVITES):
                    reunion.invitations.append(
                        Invitation(personne=personne, reponse="ACCEPTED", presence=hasard.choice(PRESENCES))
                    )
                if numero < RELEVEES:
                    session.add(CompteRendu(reunion=reunion, statut="importe", genere_le=debut + timedelta(days=3)))
                reunions.append(reunion)
            session.add(reunion)
        session.flush()
        for numero in range(DECISIONS):
            decision = Decision(
                reunion=reunions[numero % TENUES],
                numero=numero // TENUES + 1,
                texte=f"Le comité approuve la proposition n°{numero} du groupe de travail, après discussion.",
                cree_le=ARRETE_LE,
            )
            decision.orientations.extend(hasard.sample(orientations, hasard.choice((1, 2))))
            session.add(decision)
        for numero in range(ACTIONS):
            action = Action(
                reunion=reunions[numero % TENUES],
                libelle=f"Action n°{numero} à conduire avec les partenaires du territoire",
                responsable="Service enfance jeunesse",
                statut=hasard.choice(STATUTS_ACTION),
                echeance=date(ANNEE, 1, 1) + timedelta(days=hasard.randrange(540)),
                cree_le=ARRETE_LE,
            )
            # Chacune des 33 orientations a ses actions, puis une seconde orientation au hasard pour une sur deux.
            action.orientations.append(orientations[numero % len(orientations)])
            if numero % 2:
                autre = hasard.choice(orientations)
                if autre not in action.orientations:
                    action.orientations.append(autre)
            session.add(action)


def en_images_docxtpl(valeur: object, gabarit: Any) -> object:
    """Le contexte de la référence : nos `Image` deviennent des `InlineImage` de docxtpl, le reste à l'identique."""
    from docx.shared import Mm
    from docxtpl import InlineImage

    from gouvernance.documents.image import Image

    if isinstance(valeur, Image):
        return InlineImage(gabarit, str(valeur.chemin), width=Mm(valeur.largeur_mm))
    if isinstance(valeur, Mapping):
        return {str(cle): en_images_docxtpl(v, gabarit) for cle, v in valeur.items()}
    if isinstance(valeur, list | tuple):
        return [en_images_docxtpl(v, gabarit) for v in valeur]
    return valeur


def reference_barh(hauteur: float) -> bytes:
    """matplotlib seul : un barh de 33 barres, de la taille et à la résolution de notre graphique de couverture."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from gouvernance.bilan.graphiques import LARGEUR_POUCES, RESOLUTION

    figure, axe = plt.subplots(figsize=(LARGEUR_POUCES, hauteur))
    axe.barh(range(33), [n % 7 for n in range(33)])
    axe.set_yticks(range(33), [f"Orientation n°{n}" for n in range(33)])
    tampon = io.BytesIO()
    figure.savefig(tampon, format="png", dpi=RESOLUTION)
    plt.close(figure)
    return tampon.getvalue()


def memoire(mode: str) -> None:
    """Dans un processus neuf : produit le bilan (sans PDF) ou importe seulement ; imprime sa mémoire en JSON."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import docxtpl  # noqa: F401
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot

    from gouvernance.base_donnees import ouvrir_base
    from gouvernance.documents.rendu import MODELES_D_ORIGINE
    from gouvernance.reglages import lire_reglages
    from gouvernance.reunions.envoi_reunion import Parametres
    from gouvernance.services.bilan import produire_bilan

    pointe_python = 0
    if mode == "bilan":
        reglages = lire_reglages()
        parametres = Parametres(reglages, ARRETE_LE, MODELES_D_ORIGINE, None, smtp=False)
        tracemalloc.start()
        produire_bilan(ouvrir_base(reglages), None, ANNEE, parametres, arrete_le=ARRETE_LE)
        pointe_python = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    print(json.dumps({"rss": pointe_residente(), "python": pointe_python}))


def pointe_residente() -> int:
    """La pointe de mémoire résidente du processus, en octets.

    Sous Linux, VmHWM de /proc/self/status : ru_maxrss, lui, garde après exec la pointe du processus parent
    au moment du fork, et montrerait ici celle du banc.
    """
    statut = Path("/proc/self/status")
    if statut.is_file():
        for ligne in statut.read_text().splitlines():
            if ligne.startswith("VmHWM:"):
                return int(ligne.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # en Kio sous Linux, en octets sous macOS


def mesurer_memoire(mode: str) -> dict[str, int]:
    sortie = subprocess.run(  # noqa: S603  (ce script lui-même, avec le même interpréteur)
        [sys.executable, __file__, "--memoire", mode], check=True, capture_output=True, text=True, env=os.environ
    ).stdout
    resultat: dict[str, int] = json.loads(sortie.strip().splitlines()[-1])
    return resultat


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--sans-pdf", action="store_true", help="ne pas convertir en PDF (LibreOffice)")
    options.add_argument("--memoire", choices=("bilan", "reference"), help=argparse.SUPPRESS)
    arguments = options.parse_args()
    if arguments.memoire:
        memoire(arguments.memoire)
        return
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    with tempfile.TemporaryDirectory() as temporaire:
        preparer_base(Path(temporaire) / "ctg")
        mesurer(Path(temporaire), pdf=not arguments.sans_pdf)


def mesurer(temporaire: Path, *, pdf: bool) -> None:  # noqa: PLR0915  (un banc se lit d'un bout à l'autre)
    from docxtpl import DocxTemplate
    from jinja2 import Environment
    from sqlalchemy import text
    from sqlalchemy.orm import Session

    from gouvernance.base_donnees import ouvrir_base
    from gouvernance.bilan import lecture
    from gouvernance.bilan.calcul import bornes_de_l_annee, calculer_bilan
    from gouvernance.bilan.chiffres import Bilan
    from gouvernance.bilan.document import BILAN_ANNUEL, construire_bilan_docx, contexte_bilan
    from gouvernance.bilan.graphiques import graphique_couverture, graphique_presence, hauteur_couverture
    from gouvernance.bilan.production import entete_du_bilan
    from gouvernance.bilan.tableurs import tableaux_csv
    from gouvernance.documents.pdf import convertir_en_pdf, libreoffice_disponible
    from gouvernance.documents.rendu import MODELES_D_ORIGINE
    from gouvernance.documents.securite import environnement
    from gouvernance.reglages import lire_reglages
    from gouvernance.reunions.envoi_reunion import Parametres
    from gouvernance.services.bilan import produire_bilan
    from gouvernance.territoires import choisir_territoire

    reglages = lire_reglages()
    moteur = ouvrir_base(reglages)
    with Session(moteur) as session:
        territoire_id = choisir_territoire(session, None).id

    # 1. Les chiffres : lire_bilan dans une session neuve, et la part du calcul (sans requête) à l'intérieur.
    calculs: list[float] = []

    def calcul_chronometre(**valeurs: Any) -> Bilan:
        debut = time.perf_counter()
        resultat = calculer_bilan(**valeurs)
        calculs.append(time.perf_counter() - debut)
        return resultat

    def chiffres() -> Bilan:
        with Session(moteur) as session:
            territoire = choisir_territoire(session, None)
            return lecture.lire_bilan(session, territoire, ANNEE, arrete_le=ARRETE_LE)

    debut_annee, fin_annee = (b.astimezone(UTC).replace(tzinfo=None) for b in bornes_de_l_annee(ANNEE))

    def reference_sql() -> int:
        with moteur.connect() as connexion:
            valeurs = {"t": territoire_id, "debut": debut_annee, "fin": fin_annee}
            return sum(len(connexion.execute(text(sql), valeurs).fetchall()) for sql in SQL_REFERENCE)

    bilan = chiffres()
    with compter_requetes(moteur) as requetes:
        chiffres()
    lignes_sql = reference_sql()
    temps_sql = mediane(reference_sql)
    temps_chiffres = mediane(chiffres)
    with patch.object(lecture, "calculer_bilan", calcul_chronometre):
        mediane(chiffres)
    temps_calcul = statistics.median(calculs)

    # 2. Les graphiques ; la première fois, l'import de matplotlib compris.
    debut = time.perf_counter()
    images = {"couverture": graphique_couverture(bilan.couverture, ANNEE)}
    premier_graphique = time.perf_counter() - debut
    images["presence"] = graphique_presence(bilan.presences, ANNEE)
    temps_graphiques = mediane(
        lambda: (graphique_couverture(bilan.couverture, ANNEE), graphique_presence(bilan.presences, ANNEE))
    )
    temps_couverture = mediane(lambda: graphique_couverture(bilan.couverture, ANNEE))
    temps_presence = mediane(lambda: graphique_presence(bilan.presences, ANNEE))
    temps_barh = mediane(lambda: reference_barh(hauteur_couverture(len(bilan.couverture))))
    graphiques = {}
    for cle, png in images.items():
        graphiques[cle] = temporaire / f"{cle}.png"
        graphiques[cle].write_bytes(png)

    # 3. Le document Word, et docxtpl seul sur le même modèle avec les mêmes données.
    with Session(moteur) as session:
        entete = entete_du_bilan(session, choisir_territoire(session, None), reglages)
    contexte = contexte_bilan(bilan, entete, graphiques=graphiques, fichiers_csv=["a.csv", "b.csv"])
    docx = construire_bilan_docx(contexte, modeles=MODELES_D_ORIGINE)
    temps_word = mediane(lambda: construire_bilan_docx(contexte, modeles=MODELES_D_ORIGINE))
    env = Environment(autoescape=True)
    env.filters.update(environnement().filters)

    def reference_docxtpl() -> None:
        gabarit = DocxTemplate(MODELES_D_ORIGINE / BILAN_ANNUEL)
        gabarit.render(en_images_docxtpl(contexte, gabarit), jinja_env=env)
        gabarit.save(io.BytesIO())

    temps_docxtpl = mediane(reference_docxtpl)

    # 4. Les CSV, le PDF.
    temps_csv = mediane(lambda: tableaux_csv(bilan))
    temps_pdf = temps_pdf_vide = pages = None
    if pdf and libreoffice_disponible():
        import docx as python_docx

        chemin = temporaire / "bilan.docx"
        chemin.write_bytes(docx)
        vide = python_docx.Document()
        vide.add_paragraph("Une ligne.")
        vide.save(str(temporaire / "vide.docx"))
        debut = time.perf_counter()
        convertir_en_pdf([temporaire / "vide.docx"], temporaire)
        temps_pdf_vide = time.perf_counter() - debut
        debut = time.perf_counter()
        (converti,) = convertir_en_pdf([chemin], temporaire)
        temps_pdf = time.perf_counter() - debut
        pages = len(re.findall(rb"/Type\s*/Page\b", converti.read_bytes()))

    # Le bilan entier par produire_bilan (fichiers écrits et consignés, sans PDF), puis la mémoire.
    parametres = Parametres(reglages, ARRETE_LE, MODELES_D_ORIGINE, None, smtp=False)

    def produire() -> None:
        produire_bilan(moteur, None, ANNEE, parametres, arrete_le=ARRETE_LE)

    temps_total = mediane(produire, 3)
    memoire_bilan = mesurer_memoire("bilan")
    memoire_reference = mesurer_memoire("reference")

    relevees = sum(r.presences_relevees for r in bilan.reunions)
    print(
        f"Bilan {ANNEE} : {len(bilan.reunions)} réunions tenues ({relevees} aux présences relevées, "
        f"{INVITES} invités), "
        f"{bilan.decisions} décisions, {bilan.total_actions} actions, {len(bilan.couverture)} orientations, "
        f"{len(bilan.presences)} lignes de présence"
    )
    print("Les chiffres (médiane de 5, session neuve)")
    print(f"  référence : SQL brut, mêmes lignes ({lignes_sql})    : {temps_sql * 1000:7.0f} ms")
    print(
        f"  lire_bilan (requêtes et calcul)              : {temps_chiffres * 1000:7.0f} ms"
        f"  ({temps_chiffres / temps_sql:.1f} × la référence, {len(requetes)} requêtes SQL)"
    )
    print(f"    dont le calcul en Python, sans requête     : {temps_calcul * 1000:7.0f} ms")
    print("Les graphiques (médiane de 5)")
    print(f"  référence : matplotlib seul, barh de 33 barres : {temps_barh * 1000:7.0f} ms")
    print(
        f"  couverture seule (33 orientations)           : {temps_couverture * 1000:7.0f} ms"
        f"  ({temps_couverture / temps_barh:.1f} × la référence)"
    )
    print(
        f"  présence seule ({len(bilan.presences)} partenaires)             : {temps_presence * 1000:7.0f} ms"
        f"  ({temps_presence / temps_barh:.1f} × la référence)"
    )
    print(f"  les deux : couverture et présence            : {temps_graphiques * 1000:7.0f} ms")
    print(f"  premier graphique, import de matplotlib compris : {premier_graphique * 1000:7.0f} ms")
    print(f"Le document Word ({len(docx) // 1024} Kio, médiane de 5)")
    print(f"  référence : docxtpl seul, même modèle et données : {temps_docxtpl * 1000:7.0f} ms")
    print(
        f"  construire_bilan_docx (bac à sable, contrôles)  : {temps_word * 1000:7.0f} ms"
        f"  ({temps_word / temps_docxtpl:.2f} × la référence)"
    )
    print(f"Les six CSV (médiane de 5)                       : {temps_csv * 1000:7.1f} ms")
    if temps_pdf is not None and temps_pdf_vide is not None:
        print(f"Le PDF ({pages} pages, un seul essai)")
        print(f"  référence : LibreOffice, document d'une ligne : {temps_pdf_vide:7.2f} s")
        print(
            f"  bilan                                      : {temps_pdf:7.2f} s  ({temps_pdf / temps_pdf_vide:.1f} ×)"
        )
    print(f"Le bilan entier sans PDF (produire_bilan, médiane de 3) : {temps_total:.2f} s")
    mio = 1024 * 1024
    print("Mémoire résidente de pointe d'un processus neuf (VmHWM)")
    print(
        "  référence : imports seuls (SQLAlchemy, modèles, matplotlib, docxtpl) : "
        f"{memoire_reference['rss'] / mio:5.0f} Mio"
    )
    print(
        f"  produire le bilan sans PDF                                       : {memoire_bilan['rss'] / mio:5.0f} Mio"
        f"  (+{(memoire_bilan['rss'] - memoire_reference['rss']) / mio:.0f} Mio, "
        f"{memoire_bilan['rss'] / memoire_reference['rss']:.2f} × la référence)"
    )
    print(f"  dont pointe des allocations Python (tracemalloc) : {memoire_bilan['python'] / mio:.0f} Mio")


if __name__ == "__main__":
    main()

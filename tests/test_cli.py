"""La commande `ctg` telle que l'emploie un agent de collectivité : de vrais processus, une vraie base.

Chaque test lance `ctg` en sous-processus avec CTG_HOME dans un dossier temporaire. `ctg init` ne tourne
qu'une fois pour toute la session : les tests qui partent de L'Union en reçoivent une copie. Les
commandes indépendantes d'un même test tournent en parallèle (`lanceur.ensemble`), ce qui vérifie
au passage que plusieurs `ctg` partagent sans heurt la même base SQLite.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

DONNEES = Path(__file__).parent / "donnees"
CTG = Path(sys.executable).with_name("ctg")
JEANNE = "jeanne.martin@example.org"
DUPONT = "Dupont & Fils <SARL>"

#: Ce que click écrit en anglais quand il n'est pas traduit.
TEXTES_ANGLAIS = (
    "Show this message",
    "Usage:",
    "Commands",
    "Options:",
    "Arguments:",
    "[required]",
    "[default:",
    "Missing",
    "No such option",
    "Error:",
    "Try '",
    "for help",
)

#: Un second territoire, au format de `gouvernance/donnees/referentiel_lunion.yaml`.
REFERENTIEL_SAINT_AUBIN = """\
format: ctg-referentiel/1
territoire:
  code: saint-aubin
  nom: Saint-Aubin
  departement: Haute-Garonne
convention:
  intitule: Convention territoriale globale de Saint-Aubin
enjeux:
- numero: 1
  intitule: L'accès aux droits de tous les habitants
  orientations:
  - code: '1.1'
    intitule: Ouvrir un lieu d'accueil et d'orientation en mairie
  - code: '1.2'
    intitule: Accompagner les démarches en ligne
- numero: 2
  intitule: Une offre d'accueil pour chaque enfant
  orientations:
  - code: '2.1'
    intitule: Maintenir une offre petite enfance suffisante
instances:
- code: COPIL
  intitule: Comité de pilotage de Saint-Aubin
  type: copil
  duree: 1h30
"""

#: Lance des commandes de lecture dans un seul processus et dit, après chacune, si Prefect a été importé.
SCRIPT_SANS_PREFECT = """\
import json, sys
from flows.cli.principal import main

LOURDS = ("babel", "pydantic", "dateutil", "icalendar", "docx", "docxtpl", "jinja2", "matplotlib", "yaml")
resultats = []
commandes = (["referentiel", "--json"], ["personnes"], ["reunions"], ["suivi"], ["instances"], ["--help"])
for arguments in commandes:
    sys.argv = ["ctg", *arguments]
    try:
        main()
        code = 0
    except SystemExit as fin:
        code = fin.code
    prefect = sorted(nom for nom in sys.modules if nom == "prefect" or nom.startswith("prefect."))
    lourds = [nom for nom in LOURDS if nom in sys.modules]
    resultats.append({"commande": " ".join(arguments), "code": code, "prefect": prefect[:5], "lourds": lourds})
print("\\nRESULTATS " + json.dumps(resultats))
"""

Resultat = subprocess.CompletedProcess[str]


class LanceurCtg:
    """Lance `ctg` comme dans un terminal, avec ses données dans `dossier` (CTG_HOME)."""

    def __init__(self, dossier: Path) -> None:
        self.dossier = dossier
        self.base = dossier / "ctg.sqlite3"
        self.environnement = {cle: valeur for cle, valeur in os.environ.items() if not cle.startswith("CTG_")}
        self.environnement.update(CTG_HOME=str(dossier), COLUMNS="200", PYTHONIOENCODING="utf-8", NO_COLOR="1")
        self.environnement.pop("FORCE_COLOR", None)

    def __call__(self, *arguments: str) -> Resultat:
        return self._executer([str(CTG), *arguments])

    def python(self, script: str) -> Resultat:
        return self._executer([sys.executable, "-c", script])

    def _executer(self, commande: list[str]) -> Resultat:
        return subprocess.run(
            commande,
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=self.environnement,
            cwd=self.dossier.parent,
            timeout=120,
            check=False,
        )

    def ensemble(self, *commandes: Sequence[str]) -> list[Resultat]:
        """Lance ces commandes en même temps ; leurs résultats dans l'ordre donné."""
        with ThreadPoolExecutor(max_workers=len(commandes)) as executeur:
            return list(executeur.map(lambda arguments: self(*arguments), commandes))

    def requete(self, sql: str, *parametres: object) -> list[tuple[Any, ...]]:
        """Lit directement la base SQLite, pour vérifier ce que la commande n'affiche pas."""
        with closing(sqlite3.connect(self.base)) as connexion:
            return connexion.execute(sql, parametres).fetchall()


def lire_json(resultat: Resultat) -> Any:
    assert resultat.returncode == 0, resultat.stderr
    return json.loads(resultat.stdout)


def verifier_erreur(resultat: Resultat, *fragments: str, code: int = 1) -> None:
    """La commande a échoué avec `code`, un message en français contenant `fragments`, sans trace Python."""
    assert resultat.returncode == code, (resultat.stdout, resultat.stderr)
    assert "Traceback" not in resultat.stderr
    assert "Erreur : " in resultat.stderr
    for fragment in fragments:
        assert fragment in resultat.stderr
    for anglais in TEXTES_ANGLAIS:
        assert anglais not in resultat.stderr


@pytest.fixture(scope="session")
def init_lunion(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Resultat]:
    """`ctg init` une seule fois pour la session : le dossier de données obtenu et ce qu'a affiché la commande."""
    if not CTG.exists():
        pytest.fail(f"La commande {CTG} est introuvable : installez le projet (make installer).")
    dossier = tmp_path_factory.mktemp("ctg-donnees")  # un dossier vide, comme celui qu'on crée pour l'outil
    return dossier, LanceurCtg(dossier)("init")


@pytest.fixture
def lancer_ctg(tmp_path: Path) -> LanceurCtg:
    """`ctg` dans un dossier de données qui n'existe pas encore."""
    return LanceurCtg(tmp_path / "ctg-donnees")


@pytest.fixture
def ctg_lunion(init_lunion: tuple[Path, Resultat], tmp_path: Path) -> LanceurCtg:
    """`ctg` sur une copie de la base créée par `ctg init` (référentiel de L'Union, aucun contact)."""
    modele, resultat = init_lunion
    assert resultat.returncode == 0, resultat.stderr
    shutil.copytree(modele, tmp_path / "ctg-donnees")
    return LanceurCtg(tmp_path / "ctg-donnees")


# --- Créer la base -----------------------------------------------------------------------------


def test_init_cree_la_base_et_charge_l_union(init_lunion: tuple[Path, Resultat]) -> None:
    dossier, resultat = init_lunion
    assert resultat.returncode == 0, resultat.stderr
    assert (dossier / "ctg.sqlite3").is_file()
    assert "Base de données créée" in resultat.stdout
    assert "Territoire « L'Union » créé" in resultat.stdout
    assert "8 enjeux et 33 orientations" in resultat.stdout
    assert "4 instances" in resultat.stdout
    for code in ("COPIL", "COTECH", "ATELIER", "SEMINAIRE"):
        assert code in resultat.stdout
    assert resultat.stderr == ""


def test_un_second_init_refuse_et_garde_les_donnees(ctg_lunion: LanceurCtg) -> None:
    verifier_erreur(ctg_lunion("init"), "La base de données existe déjà", "rien n'a été modifié")

    arbre = lire_json(ctg_lunion("referentiel", "--json"))
    assert arbre["territoire"]["code"] == "lunion"
    assert len(arbre["enjeux"]) == 8
    assert sum(len(enjeu["orientations"]) for enjeu in arbre["enjeux"]) == 33


def test_init_vide_laisse_une_base_sans_territoire(lancer_ctg: LanceurCtg) -> None:
    resultat = lancer_ctg("init", "--vide")
    assert resultat.returncode == 0, resultat.stderr
    assert "ctg referentiel importer" in resultat.stdout
    assert lancer_ctg.base.is_file()

    verifier_erreur(lancer_ctg("referentiel"), "aucun territoire", "ctg referentiel importer FICHIER")


def test_avant_init_chaque_commande_demande_ctg_init(lancer_ctg: LanceurCtg) -> None:
    resultats = lancer_ctg.ensemble(
        ["referentiel", "--json"],
        ["personnes", "ajouter", JEANNE, "--prenom", "Jeanne", "--nom", "Martin"],
    )
    for resultat in resultats:
        verifier_erreur(resultat, "Aucune base de données", "Lancez d'abord `ctg init`")
        assert resultat.stdout == ""
    assert not lancer_ctg.dossier.exists()


# --- Lire le référentiel -----------------------------------------------------------------------


def test_referentiel_json_donne_les_enjeux_et_leurs_orientations(ctg_lunion: LanceurCtg) -> None:
    arbre = lire_json(ctg_lunion("referentiel", "--json"))

    assert arbre.keys() >= {"territoire", "enjeux"}
    assert isinstance(arbre["territoire"], dict)
    assert arbre["territoire"]["nom"] == "L'Union"
    assert [enjeu["numero"] for enjeu in arbre["enjeux"]] == list(range(1, 9))
    for enjeu in arbre["enjeux"]:
        assert isinstance(enjeu["intitule"], str)
        assert enjeu["intitule"]
        assert enjeu["orientations"]
        for rang, orientation in enumerate(enjeu["orientations"], start=1):
            assert orientation["code"] == f"{enjeu['numero']}.{rang}"
            assert isinstance(orientation["intitule"], str)
            assert orientation["intitule"]
    premiere = arbre["enjeux"][0]["orientations"][0]
    assert premiere["intitule"].startswith("Organiser et mettre en œuvre une gouvernance")


# --- Parler français ---------------------------------------------------------------------------


def test_l_aide_est_en_francais(lancer_ctg: LanceurCtg) -> None:
    generale, ajout = lancer_ctg.ensemble(["--help"], ["personnes", "ajouter", "--help"])

    for resultat in (generale, ajout):
        assert resultat.returncode == 0, resultat.stderr
        assert "Utilisation : ctg" in resultat.stdout
        assert "Affiche cette aide et s'arrête." in resultat.stdout
        for anglais in TEXTES_ANGLAIS:
            assert anglais not in resultat.stdout
    assert "Commandes :" in generale.stdout
    assert "personnes" in generale.stdout
    assert "Utilisation : ctg personnes ajouter [OPTIONS] EMAIL" in ajout.stdout
    assert "--prenom TEXTE" in ajout.stdout
    assert "[obligatoire]" in ajout.stdout
    assert not lancer_ctg.dossier.exists()


def test_une_option_inconnue_ou_manquante_est_signalee_en_francais(lancer_ctg: LanceurCtg) -> None:
    inconnue, manquante = lancer_ctg.ensemble(
        ["referentiel", "--bidule"],
        ["personnes", "ajouter", JEANNE, "--nom", "Martin"],
    )

    verifier_erreur(inconnue, "Option inconnue : --bidule", "Essayez « ctg referentiel --help »", code=2)
    verifier_erreur(manquante, "Option manquante", "--prenom", code=2)


def test_les_commandes_de_lecture_n_importent_pas_prefect(ctg_lunion: LanceurCtg) -> None:
    """Ni Prefect, ni (pour les listes) ce dont elles n'ont pas besoin : leur démarrage reste court (issue 15)."""
    resultat = ctg_lunion.python(SCRIPT_SANS_PREFECT)

    assert resultat.returncode == 0, resultat.stderr
    resultats = json.loads(resultat.stdout.rpartition("RESULTATS ")[2])
    assert [r["commande"] for r in resultats] == [
        "referentiel --json",
        "personnes",
        "reunions",
        "suivi",
        "instances",
        "--help",
    ]
    for commande in resultats:
        assert commande["code"] == 0, (commande, resultat.stderr)
        assert commande["prefect"] == [], commande
    # Dans un même processus, les modules s'accumulent : les quatre listes passent avant `ctg instances`,
    # qui charge de quoi écrire le rythme en clair (pydantic, dateutil, babel).
    assert [r["lourds"] for r in resultats[:4]] == [[], [], [], []], resultats


#: `ctg --help` seul, dans un processus neuf : ce qu'il a chargé de lourd.
SCRIPT_AIDE = """\
import sys
from flows.cli.principal import main

sys.argv = ["ctg", "--help"]
try:
    main()
except SystemExit:
    pass
lourds = ("prefect", "sqlalchemy", "matplotlib", "docxtpl", "modeles")
print("\\nCHARGES " + ",".join(sorted(nom for nom in lourds if nom in sys.modules)))
"""


def test_l_aide_ne_charge_ni_la_base_ni_prefect_ni_les_documents(ctg_lunion: LanceurCtg) -> None:
    resultat = ctg_lunion.python(SCRIPT_AIDE)
    assert resultat.returncode == 0, resultat.stderr
    assert "Commandes :" in resultat.stdout
    assert resultat.stdout.rpartition("CHARGES ")[2].strip() == ""


# --- L'annuaire --------------------------------------------------------------------------------


def test_partenaires_personnes_et_membres_se_gerent_en_ligne_de_commande(ctg_lunion: LanceurCtg) -> None:
    ajout_partenaire, ajout_personne = ctg_lunion.ensemble(
        ["partenaires", "ajouter", DUPONT, "--sigle", "DF"],
        [
            "personnes",
            "ajouter",
            JEANNE,
            "--prenom",
            "Jeanne",
            "--nom",
            "Martin",
            "--civilite",
            "Mme",
            "--fonction",
            "Adjointe au maire",
            "--organisme",
            "Ville",
        ],
    )
    assert ajout_partenaire.returncode == 0, ajout_partenaire.stderr
    assert f"Partenaire « {DUPONT} » ajouté." in ajout_partenaire.stdout
    assert ajout_personne.returncode == 0, ajout_personne.stderr
    assert f"Jeanne Martin ({JEANNE}) ajoutée." in ajout_personne.stdout

    changement, adhesion, partenaires = ctg_lunion.ensemble(
        ["personnes", "modifier", JEANNE, "--fonction", "Maire"],
        ["membres", "ajouter", "COPIL", JEANNE, "--role", "president"],
        ["partenaires", "--json"],
    )
    assert changement.returncode == 0, changement.stderr
    assert "fonction" in changement.stdout
    assert adhesion.returncode == 0, adhesion.stderr
    assert "Jeanne Martin est membre de COPIL" in adhesion.stdout
    dupont = [partenaire for partenaire in lire_json(partenaires) if partenaire["sigle"] == "DF"]
    assert dupont == [
        {"nom": DUPONT, "sigle": "DF", "categorie": "autre", "adresse": None, "autres_noms": [], "contacts": 0}
    ]

    personnes, instances, suppression_partenaire = ctg_lunion.ensemble(
        ["personnes", "--json"], ["instances", "--json"], ["partenaires", "supprimer", "DF"]
    )
    (jeanne,) = lire_json(personnes)
    assert {cle: jeanne[cle] for cle in ("email", "civilite", "prenom", "nom", "fonction", "organisme")} == {
        "email": JEANNE,
        "civilite": "Madame",
        "prenom": "Jeanne",
        "nom": "Martin",
        "fonction": "Maire",
        "organisme": "Ville de L'Union",
    }
    assert jeanne["instances"] == ["COPIL"]
    membres = {instance["code"]: instance["membres"] for instance in lire_json(instances)}
    assert [(m["email"], m["role"]) for m in membres.pop("COPIL")] == [(JEANNE, "president")]
    assert all(not liste for liste in membres.values())
    # L'ancienne fonction n'est pas effacée : elle est close à la date du jour.
    fonctions = ctg_lunion.requete("SELECT intitule, fin IS NOT NULL FROM fonctions ORDER BY id")
    assert fonctions == [("Adjointe au maire", 1), ("Maire", 0)]
    assert suppression_partenaire.returncode == 0, suppression_partenaire.stderr
    assert f"« {DUPONT} » a été supprimé." in suppression_partenaire.stdout
    assert ctg_lunion.requete("SELECT count(*) FROM partenaires WHERE sigle = 'DF'") == [(0,)]

    role = ctg_lunion("membres", "modifier", "COPIL", JEANNE, "--role", "secretaire")
    assert role.returncode == 0, role.stderr
    assert "Rôle dans COPIL" in role.stdout
    assert ctg_lunion.requete("SELECT role FROM membres") == [("secretaire",)]

    retrait = ctg_lunion("membres", "supprimer", "COPIL", JEANNE)
    assert retrait.returncode == 0, retrait.stderr
    assert "Jeanne Martin n'est plus membre de COPIL." in retrait.stdout
    assert ctg_lunion.requete("SELECT count(*) FROM membres") == [(0,)]

    suppression_personne = ctg_lunion("personnes", "supprimer", JEANNE)
    assert suppression_personne.returncode == 0, suppression_personne.stderr
    assert "Jeanne Martin supprimé(e)" in suppression_personne.stdout
    for table in ("personnes", "fonctions"):
        assert ctg_lunion.requete(f"SELECT count(*) FROM {table}") == [(0,)], table  # noqa: S608


def test_une_saisie_refusee_est_expliquee_en_francais_et_rien_n_est_enregistre(ctg_lunion: LanceurCtg) -> None:
    instance_inconnue, adresse_inconnue, adresse_invalide, prenom_sur_deux_lignes = ctg_lunion.ensemble(
        ["membres", "ajouter", "BIDULE", JEANNE],
        ["membres", "ajouter", "COPIL", "inconnue@example.org"],
        ["personnes", "ajouter", "jeanne.martin@", "--prenom", "Jeanne", "--nom", "Martin"],
        ["personnes", "ajouter", JEANNE, "--prenom", "Jean\nne", "--nom", "Martin", "--organisme", "Ville"],
    )

    verifier_erreur(instance_inconnue, "Aucune instance « BIDULE »", "COPIL", "COTECH", "ATELIER", "SEMINAIRE")
    verifier_erreur(adresse_inconnue, "Aucune personne n'a l'adresse « inconnue@example.org »", "`ctg personnes`")
    verifier_erreur(adresse_invalide, "« jeanne.martin@ » n'est pas une adresse électronique valide")
    verifier_erreur(prenom_sur_deux_lignes, "Prénom", "sur une ligne")
    for table in ("personnes", "fonctions", "membres"):
        assert ctg_lunion.requete(f"SELECT count(*) FROM {table}") == [(0,)], table  # noqa: S608


def test_l_import_csv_windows_garde_les_accents_sans_creer_de_doublons(ctg_lunion: LanceurCtg) -> None:
    fichier = str(DONNEES / "contacts_windows1252.csv")

    premier = ctg_lunion("personnes", "importer", fichier)
    assert premier.returncode == 0, premier.stderr
    assert "3 personnes créées" in premier.stdout
    # Le second import ne change rien : la liste est la même, qu'elle soit lue pendant ou après lui.
    second, liste = ctg_lunion.ensemble(["personnes", "importer", fichier], ["personnes", "--json"])
    assert second.returncode == 0, second.stderr
    assert "0 personne créée, 0 modifiée, 3 inchangées" in second.stdout
    assert "adhésion" not in second.stdout

    personnes = lire_json(liste)
    assert sorted(p["email"] for p in personnes) == [
        "agnes.muller@example.org",
        "francois.gael-coeur@example.org",
        "helene.lefevre@example.org",
    ]
    par_adresse = {p["email"]: p for p in personnes}
    helene = par_adresse["helene.lefevre@example.org"]
    assert (helene["civilite"], helene["prenom"], helene["nom"]) == ("Madame", "Hélène", "Lefèvre")
    assert helene["instances"] == ["COPIL"]
    agnes = par_adresse["agnes.muller@example.org"]
    assert (agnes["nom"], agnes["fonction"]) == ("Müller", "Conseillère technique")
    assert agnes["organisme"] == "Caisse d'allocations familiales de la Haute-Garonne"
    assert agnes["instances"] == ["COPIL", "COTECH"]
    francois = par_adresse["francois.gael-coeur@example.org"]
    assert (francois["prenom"], francois["nom"]) == ("François", "Gaël-Cœur")
    assert francois["fonction"] == "Chargé de mission « jeunesse »"
    # Ni personne, ni fonction, ni adhésion en double après les deux imports.
    for table, nombre in (("personnes", 3), ("fonctions", 3), ("membres", 4)):
        assert ctg_lunion.requete(f"SELECT count(*) FROM {table}") == [(nombre,)], table  # noqa: S608


def test_un_csv_fautif_ou_absent_est_refuse_en_francais_sans_rien_enregistrer(
    ctg_lunion: LanceurCtg, tmp_path: Path
) -> None:
    fichier = tmp_path / "contacts.csv"
    fichier.write_text(
        "civilite;prenom;nom;email;instances\n"
        "Mme;Jeanne;Martin;jeanne.martin@example.org;COPIL\n"
        "M.;Paul;Durand;paul.durand@@example.org;COPIL\n",
        encoding="utf-8",
    )

    fautif, absent = ctg_lunion.ensemble(
        ["personnes", "importer", str(fichier)], ["personnes", "importer", str(tmp_path / "absent.csv")]
    )

    verifier_erreur(
        fautif, "« contacts.csv » est refusé : rien n'a été enregistré", "ligne 3", "paul.durand@@example.org"
    )
    # La ligne 2, correcte, n'est pas enregistrée pour autant : le fichier passe en entier ou pas du tout.
    assert ctg_lunion.requete("SELECT count(*) FROM personnes") == [(0,)]
    assert ctg_lunion.requete("SELECT count(*) FROM membres") == [(0,)]
    verifier_erreur(absent, "absent.csv n'existe pas")
    for anglais in ("No such file", "directory"):
        assert anglais not in absent.stderr


# --- La convention et les territoires ----------------------------------------------------------


def test_la_periode_de_la_convention_se_modifie_et_une_date_impossible_est_refusee(ctg_lunion: LanceurCtg) -> None:
    impossible, periode = ctg_lunion.ensemble(
        ["convention", "modifier", "--debut", "2022-02-30"],
        ["convention", "modifier", "--debut", "2022-01-01", "--fin", "31/12/2025"],
    )

    verifier_erreur(impossible, "« 2022-02-30 » n'est pas une date du calendrier")
    assert periode.returncode == 0, periode.stderr
    assert "du 01/01/2022 au 31/12/2025" in periode.stdout
    convention = lire_json(ctg_lunion("referentiel", "--json"))["territoire"]["convention"]
    assert (convention["debut"], convention["fin"]) == ("2022-01-01", "2025-12-31")


def test_avec_deux_territoires_il_faut_preciser_lequel(ctg_lunion: LanceurCtg, tmp_path: Path) -> None:
    fichier = tmp_path / "referentiel_saint_aubin.yaml"
    fichier.write_text(REFERENTIEL_SAINT_AUBIN, encoding="utf-8")
    resultat = ctg_lunion("referentiel", "importer", str(fichier))
    assert resultat.returncode == 0, resultat.stderr
    assert "Territoire « Saint-Aubin » créé" in resultat.stdout
    assert "2 enjeux et 3 orientations" in resultat.stdout

    sans_choix, saint_aubin, lunion, territoires = ctg_lunion.ensemble(
        ["referentiel"],
        ["referentiel", "--territoire", "saint-aubin", "--json"],
        ["referentiel", "--territoire", "L'Union", "--json"],
        ["territoires", "--json"],
    )

    verifier_erreur(
        sans_choix, "plusieurs territoires", "--territoire", "lunion (L'Union)", "saint-aubin (Saint-Aubin)"
    )
    arbre = lire_json(saint_aubin)
    assert arbre["territoire"]["nom"] == "Saint-Aubin"
    assert [(e["numero"], [o["code"] for o in e["orientations"]]) for e in arbre["enjeux"]] == [
        (1, ["1.1", "1.2"]),
        (2, ["2.1"]),
    ]
    arbre = lire_json(lunion)
    assert arbre["territoire"]["code"] == "lunion"
    assert len(arbre["enjeux"]) == 8
    assert [(t["code"], t["nom"]) for t in lire_json(territoires)] == [
        ("lunion", "L'Union"),
        ("saint-aubin", "Saint-Aubin"),
    ]


# --- Les impasses : organismes presque connus, réunions en double, réunion supprimée -----------


def test_un_organisme_presque_connu_fait_refuser_l_import_jusqu_a_ce_qu_on_le_nomme(
    ctg_lunion: LanceurCtg, tmp_path: Path
) -> None:
    fichier = tmp_path / "contacts.csv"
    fichier.write_text(
        "civilite;prenom;nom;fonction;organisme;email;instances\n"
        "Mme;Agnès;Müller;Conseillère technique;Caf 31;agnes.muller@example.org;COPIL\n"
        "M.;Karim;Benali;Adjoint au maire;Mairie de l'Union;karim.benali@example.org;COPIL\n",
        encoding="utf-8",
    )

    verifier_erreur(
        ctg_lunion("personnes", "importer", str(fichier)),
        "« Caf 31 » ressemble à « Caisse d'allocations familiales de la Haute-Garonne » (sigle CAF)",
        "« Mairie de l'Union » ressemble à « Ville de L'Union »",
        "--creer-organismes",
    )
    assert ctg_lunion.requete("SELECT count(*) FROM personnes") == [(0,)]

    caf, ville = ctg_lunion.ensemble(
        ["partenaires", "modifier", "CAF", "--autre-nom", "Caf 31"],
        ["partenaires", "modifier", "Ville", "--autre-nom", "Mairie de l'Union"],
    )
    assert caf.returncode == 0 and ville.returncode == 0, caf.stderr + ville.stderr
    assert "modifié : autres noms." in caf.stdout
    importe = ctg_lunion("personnes", "importer", str(fichier))
    assert importe.returncode == 0, importe.stderr
    assert "2 personnes créées" in importe.stdout and "Organisme" not in importe.stdout
    assert ctg_lunion.requete(
        "SELECT p.sigle FROM fonctions f JOIN partenaires p ON p.id = f.partenaire_id ORDER BY f.personne_id"
    ) == [("CAF",), ("Ville",)]
    partenaires = {p["sigle"]: p for p in lire_json(ctg_lunion("partenaires", "--json"))}
    assert partenaires["CAF"]["autres_noms"] == ["Caf 31"]


def test_planifier_deux_fois_un_fichier_ou_avec_une_option_en_plus_est_refuse(
    ctg_lunion: LanceurCtg, tmp_path: Path
) -> None:
    debut = (date.today() + timedelta(days=60)).isoformat()
    fichier = tmp_path / "copil.yaml"
    fichier.write_text(f"instance: COPIL\ndebut: {debut} 18:00\npoints:\n  - titre: Bilan\n", encoding="utf-8")

    premiere = ctg_lunion("reunion", "planifier", str(fichier))
    assert premiere.returncode == 0, premiere.stderr
    seconde, avec_option = ctg_lunion.ensemble(
        ["reunion", "planifier", str(fichier)],
        ["reunion", "planifier", str(fichier), "--instance", "COTECH", "--lieu", "Salle B"],
    )
    verifier_erreur(seconde, "La réunion n°1 existe déjà : COPIL du ", "--doublon pour en planifier une seconde")
    verifier_erreur(avec_option, "copil.yaml décrit déjà la réunion : --instance et --lieu ne peuvent pas s'y ajouter")
    assert ctg_lunion.requete("SELECT count(*) FROM reunions") == [(1,)]

    doublon = ctg_lunion("reunion", "planifier", str(fichier), "--doublon")
    assert doublon.returncode == 0, doublon.stderr
    supprimee = ctg_lunion("reunion", "supprimer", "2")
    assert supprimee.returncode == 0, supprimee.stderr
    assert "Réunion n°2 supprimée (COPIL du " in supprimee.stdout
    assert ctg_lunion.requete("SELECT id FROM reunions") == [(1,)]
    verifier_erreur(ctg_lunion("reunion", "supprimer", "2"), "Aucune réunion n°2")

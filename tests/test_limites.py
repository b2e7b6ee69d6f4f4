"""Des modèles et des fichiers qui ne peuvent pas épuiser la machine : durée et mémoire du rendu bornées,
tailles des fichiers importés bornées, CSV lu dans un seul encodage (issue 10, § 5)."""

from __future__ import annotations

import io
import resource
import signal
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import docx
import pytest

from gouvernance.contacts_csv import LIGNES_MAX, lire_contacts_csv
from gouvernance.documents import isolement
from gouvernance.documents.contexte import contexte
from gouvernance.documents.erreurs import ModeleInvalide
from gouvernance.documents.rendu import (
    ANNULATION,
    CONVOCATION,
    MODELES_D_ORIGINE,
    ORDRE_DU_JOUR,
    _rendre_ici,
    proprietes_reunion,
    rendre_docx,
)
from gouvernance.erreurs import DonneesInvalides
from gouvernance.referentiel.validation import lire_referentiel
from gouvernance.reunions.demande import POINTS_MAX, lire_demande
from gouvernance.territoires import texte_referentiel_exemple
from tests.test_cli import LanceurCtg, ctg_lunion, init_lunion, verifier_erreur
from tests.test_documents import LE_1ER_DECEMBRE, creer_vue, personne

__all__ = ["ctg_lunion", "init_lunion"]  # les fixtures de test_cli : la base de L'Union créée par `ctg init`

RACINE = Path(__file__).resolve().parents[1]
DONNEES = Path(__file__).parent / "donnees"
CODES = ("COPIL", "COTECH")
BOUCLES_SANS_FIN = "{% for i in range(100000) %}{% for j in range(100000) %}{{ i }}{% endfor %}{% endfor %}"
#: Un texte qui double à chaque tour : 100 000 × 2²⁰ caractères, sans `*` ni méthode à largeur.
TEXTE_QUI_DOUBLE = (
    '{% set ns = namespace(t="x" * 100000) %}{% for i in range(20) %}{% set ns.t = ns.t ~ ns.t %}{% endfor %}'
    "{{ ns.t | length }}"
)


def modele_avec(dossier: Path, *paragraphes: str, nom: str = "convocation.docx") -> Path:
    document = docx.Document()
    document.add_paragraph("Bonjour {{ destinataire.appel }},")
    for texte in paragraphes:
        document.add_paragraph(texte)
    chemin = dossier / nom
    document.save(str(chemin))
    return chemin


def rendu(modele: Path) -> bytes:
    return rendre_docx(modele, contexte(creer_vue(), personne(), date_courrier=LE_1ER_DECEMBRE))


def texte_docx(contenu: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(contenu)).paragraphs)


def parties(contenu: bytes) -> dict[str, bytes]:
    """Le contenu de chaque partie du .docx (l'heure d'écriture dans l'archive mise à part)."""
    with zipfile.ZipFile(io.BytesIO(contenu)) as archive:
        return {nom: archive.read(nom) for nom in archive.namelist()}


# --- Modèles Word : durée et mémoire bornées ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "charge",
    [
        '{{ "x".center(300000000) }}',
        '{{ "x".ljust(10**9) }}',
        '{{ "7".zfill(300000000) }}',
        '{{ "x" | center(300000000) }}',
        '{{ "x\\ny" | indent(300000000) }}',
        '{{ "{:300000000}".format("x") }}',
    ],
)
def test_un_texte_demesure_est_refuse_aussitot_sans_consommer_de_memoire(tmp_path: Path, charge: str) -> None:
    debut = time.monotonic()
    with pytest.raises(ModeleInvalide) as erreur:
        rendu(modele_avec(tmp_path, charge))

    assert time.monotonic() - debut < 10
    assert str(erreur.value).startswith("Le modèle Word « convocation.docx » tente une opération interdite")
    assert "templates_docx/" in str(erreur.value)
    # Le processus principal n'a jamais tenu le texte démesuré.
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss < 600 * 1024


def test_des_boucles_sans_fin_sont_arretees_a_la_duree_permise_puis_un_modele_normal_se_remplit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(isolement, "DUREE_MAX", 2.0)
    rendu(modele_avec(tmp_path, "Prêt"))  # le processus de rendu est démarré
    debut = time.monotonic()
    with pytest.raises(ModeleInvalide) as erreur:
        rendu(modele_avec(tmp_path, BOUCLES_SANS_FIN))

    assert time.monotonic() - debut < 5
    assert str(erreur.value).startswith(
        "Le modèle Word « convocation.docx » n'a pas pu être rempli en 2 secondes, la durée permise pour un document"
    )
    assert "restaurez l'original depuis le dossier templates_docx/" in str(erreur.value)
    autre = tmp_path / "autre"
    autre.mkdir()
    assert "Bonjour Madame,\nRéunion « Comité de pilotage de suivi »" in texte_docx(
        rendu(modele_avec(autre, "Réunion « {{ reunion.instance_intitule }} »"))
    )


def test_un_modele_qui_fabrique_un_texte_geant_bute_sur_la_memoire_permise(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(isolement, "MEMOIRE_MAX", 768 * 1024 * 1024)
    debut = time.monotonic()
    with pytest.raises(ModeleInvalide) as erreur:
        rendu(modele_avec(tmp_path, TEXTE_QUI_DOUBLE))

    assert time.monotonic() - debut < 15
    assert str(erreur.value).startswith(
        "Le modèle Word « convocation.docx » demande plus de mémoire que les 768 Mo permis pour un document"
    )
    # Ni le processus principal, ni le processus de rendu (terminé, donc compté) n'ont dépassé la limite.
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss < 600 * 1024
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss <= 768 * 1024
    assert "Bonjour Madame" in texte_docx(rendu(modele_avec(tmp_path, "Encore")))


def test_un_arret_demande_pendant_un_rendu_sans_fin_est_obei_aussitot_et_ne_laisse_aucun_processus(
    tmp_path: Path,
) -> None:
    modele = modele_avec(tmp_path, BOUCLES_SANS_FIN)
    script = textwrap.dedent(
        f"""
        import threading, time
        from gouvernance.documents import isolement
        from tests.test_limites import rendu
        from pathlib import Path

        def signaler():
            while isolement._OUVRIER._processus is None:
                time.sleep(0.05)
            time.sleep(0.5)
            print(isolement._OUVRIER._processus.pid, flush=True)

        threading.Thread(target=signaler, daemon=True).start()
        rendu(Path({str(modele)!r}))
        """
    )
    processus = subprocess.Popen(
        [sys.executable, "-c", script], cwd=RACINE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert processus.stdout is not None
    ouvriers = [int(pid) for pid in processus.stdout.readline().split()]
    assert ouvriers, processus.stderr.read() if processus.stderr else ""
    debut = time.monotonic()
    processus.send_signal(signal.SIGTERM)
    processus.wait(timeout=5)

    assert time.monotonic() - debut < 2
    for _ in range(50):
        if not any(Path(f"/proc/{pid}").exists() and _vivant(pid) for pid in ouvriers):
            break
        time.sleep(0.1)
    assert not any(Path(f"/proc/{pid}").exists() and _vivant(pid) for pid in ouvriers)


def _vivant(pid: int) -> bool:
    try:
        etat = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return etat not in {"Z", "X"}


@pytest.mark.parametrize(("nom", "destinataire"), [(CONVOCATION, True), (ORDRE_DU_JOUR, False), (ANNULATION, True)])
def test_les_modeles_livres_se_remplissent_a_l_identique_dans_le_processus_de_rendu(
    nom: str, destinataire: bool
) -> None:
    reunion = creer_vue()
    donnees = contexte(reunion, personne() if destinataire else None, date_courrier=LE_1ER_DECEMBRE)
    proprietes = proprietes_reunion(reunion, "Convocation", date_courrier=LE_1ER_DECEMBRE)

    assert parties(rendre_docx(MODELES_D_ORIGINE / nom, donnees, proprietes)) == parties(
        _rendre_ici(MODELES_D_ORIGINE / nom, donnees, proprietes)
    )


def test_un_modele_normalement_modifie_se_remplit_a_l_identique(tmp_path: Path) -> None:
    modele = modele_avec(
        tmp_path,
        "{% for point in reunion.points %}{{ point.numero }}. {{ point.titre | upper }}{% endfor %}",
        '{{ reunion.titre.center(40, "*") }} – {{ "%03d" | format(7) }} – {{ destinataire.nom | center(30) }}',
    )
    donnees = contexte(creer_vue(), personne(), date_courrier=LE_1ER_DECEMBRE)

    contenu = rendre_docx(modele, donnees)

    assert parties(contenu) == parties(_rendre_ici(modele, donnees, None))
    assert "007" in texte_docx(contenu)


# --- Fichiers YAML : taille et nombre de points bornés ------------------------------------------------------------


def demande_yaml(points: int) -> str:
    lignes = ["instance: COPIL", "debut: 2026-12-08 18:00", "points:"]
    lignes += [f"  - titre: Point n° {numero}\n    orientations: ['3.3']" for numero in range(points)]
    return "\n".join(lignes) + "\n"


def test_une_reunion_de_88000_points_dans_un_fichier_de_10_mo_est_refusee_aussitot() -> None:
    texte = demande_yaml(88_000) + "# " + "x" * (10 * 1024 * 1024 - 88_000 * 40) + "\n"
    debut = time.monotonic()
    with pytest.raises(DonneesInvalides) as erreur:
        lire_demande(texte, "reunion.yaml")

    assert time.monotonic() - debut < 1
    assert str(erreur.value).startswith("reunion.yaml est refusé : il pèse ")
    assert "1024 Ko au plus" in str(erreur.value)


def test_le_nombre_de_points_a_l_ordre_du_jour_est_borne() -> None:
    assert len(lire_demande(demande_yaml(POINTS_MAX), "reunion.yaml").points) == POINTS_MAX
    with pytest.raises(DonneesInvalides) as erreur:
        lire_demande(demande_yaml(POINTS_MAX + 1), "reunion.yaml")

    assert str(erreur.value) == (
        "reunion.yaml, ligne 4 : 101 points à l'ordre du jour, 100 au plus pour une réunion. Rien n'a été enregistré."
    )


def test_un_referentiel_demesure_ou_trop_imbrique_est_refuse() -> None:
    exemple = texte_referentiel_exemple()
    assert lire_referentiel(exemple, "referentiel.yaml").enjeux
    with pytest.raises(DonneesInvalides) as trop_gros:
        lire_referentiel(exemple * 200, "referentiel.yaml")
    with pytest.raises(DonneesInvalides) as trop_profond:
        lire_referentiel("enjeux: " + "[" * 5000 + "]" * 5000 + "\n", "referentiel.yaml")

    assert str(trop_gros.value).startswith("referentiel.yaml est refusé : il pèse ")
    assert str(trop_profond.value).startswith(
        "referentiel.yaml est refusé : ses listes et rubriques sont imbriquées sur plus de 20 niveaux"
    )


# --- Contacts CSV : un seul encodage, taille bornée --------------------------------------------------------------


def refus_csv(contenu: bytes) -> str:
    with pytest.raises(DonneesInvalides) as erreur:
        lire_contacts_csv(contenu, codes_instances=CODES, nom_fichier="contacts.csv")
    return str(erreur.value)


def test_un_csv_qui_melange_utf8_puis_windows_1252_est_refuse_a_la_premiere_ligne_fautive() -> None:
    message = refus_csv((DONNEES / "contacts_melange_utf8_puis_windows.csv").read_bytes())

    assert message.startswith(
        "Le fichier « contacts.csv » est refusé : il mélange deux encodages (la ligne 2 est en UTF-8, mais la "
        "ligne 4 ne l'est pas, sans doute en Windows-1252). Rien n'a été enregistré."
    )
    assert "« CSV UTF-8 »" in message


def test_un_csv_qui_melange_windows_1252_puis_utf8_est_refuse_au_lieu_d_etre_abime() -> None:
    message = refus_csv((DONNEES / "contacts_melange_windows_puis_utf8.csv").read_bytes())

    assert "il mélange deux encodages (la ligne 3 est en UTF-8, mais la ligne 2 ne l'est pas" in message
    assert "Ã" not in message


def test_une_ligne_windows_1252_dans_un_csv_marque_utf8_est_refusee() -> None:
    contenu = "\ufeffprenom;nom;email\r\nZoé;Dubois;zoe@example.org\r\n".encode() + (
        "Étienne;Lefèvre;etienne@example.org\r\n".encode("cp1252")
    )

    assert "(il commence par la marque UTF-8, mais la ligne 3 ne l'est pas" in refus_csv(contenu)


def test_un_texte_deja_abime_par_un_mauvais_encodage_est_refuse_avec_sa_ligne() -> None:
    message = refus_csv((DONNEES / "contacts_texte_abime.csv").read_bytes())

    assert message.startswith("Le fichier « contacts.csv » est refusé : ligne 3, « Mme;ZoÃ©;Dubois")
    assert "est un texte abîmé par un mauvais encodage" in message


@pytest.mark.parametrize("abime", ["Ã‰tienne", "Lâ€™Union", "CÅ“ur", "ZoÃ©"])
def test_les_formes_courantes_de_texte_abime_sont_reconnues(abime: str) -> None:
    contenu = f"prenom;nom;email\r\nJean;{abime};jean@example.org\r\n".encode()

    assert "ligne 2" in refus_csv(contenu)
    assert "texte abîmé" in refus_csv(contenu)


def test_un_csv_windows_1252_ou_utf8_d_un_seul_tenant_est_toujours_lu() -> None:
    for contenu in (
        (DONNEES / "contacts_windows1252.csv").read_bytes(),
        (DONNEES / "contacts_utf8_bom.csv").read_bytes(),
        "prenom;nom;email\r\nÉtienne;L’Hôte-Cœur;etienne@example.org\r\n".encode(),
        "prenom;nom;email\r\nÉtienne;L’Hôte-Cœur;etienne@example.org\r\n".encode("cp1252"),
    ):
        assert lire_contacts_csv(contenu, codes_instances=CODES)


def test_un_csv_trop_long_ou_trop_lourd_est_refuse() -> None:
    lignes = "".join(f"Jean;Numéro {n};jean{n}@example.org\r\n" for n in range(LIGNES_MAX + 1))
    trop_long = refus_csv(f"prenom;nom;email\r\n{lignes}".encode())
    trop_lourd = refus_csv(b"prenom;nom;email\r\n" + b"x" * (3 * 1024 * 1024))

    assert trop_long.startswith(
        "Le fichier « contacts.csv » est refusé : il compte 5001 lignes de contacts, 5000 au plus par import."
    )
    assert trop_lourd.startswith("Le fichier « contacts.csv » est refusé : il pèse 3073 Ko, 2048 Ko au plus.")
    exactement = "".join(f"Jean;Numéro {n};jean{n}@example.org\r\n" for n in range(LIGNES_MAX))
    assert len(lire_contacts_csv(f"prenom;nom;email\r\n{exactement}".encode(), codes_instances=CODES)) == LIGNES_MAX


# --- Par la ligne de commande, comme l'utilisateur ---------------------------------------------------------------


def test_la_ligne_de_commande_refuse_un_tableur_melange_et_une_reunion_demesuree(
    ctg_lunion: LanceurCtg, tmp_path: Path
) -> None:
    melange = tmp_path / "contacts.csv"
    melange.write_bytes((DONNEES / "contacts_melange_utf8_puis_windows.csv").read_bytes())
    reunion = tmp_path / "reunion.yaml"
    reunion.write_text(demande_yaml(POINTS_MAX + 1), encoding="utf-8")

    verifier_erreur(
        ctg_lunion("personnes", "importer", str(melange)),
        "Le fichier « contacts.csv » est refusé : il mélange deux encodages",
        "la ligne 4 ne l'est pas",
    )
    verifier_erreur(
        ctg_lunion("reunion", "planifier", str(reunion)), "101 points à l'ordre du jour, 100 au plus pour une réunion"
    )
    assert ctg_lunion.requete("SELECT count(*) FROM personnes") == [(0,)]
    assert ctg_lunion.requete("SELECT count(*) FROM reunions") == [(0,)]

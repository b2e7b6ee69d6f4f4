"""Convertir des documents Word en PDF/A balisés avec LibreOffice sans interface, en un seul appel pour tout un lot.

Chaque appel a son propre profil LibreOffice (dossier temporaire) : deux conversions simultanées
avec le même profil échouent en silence. Les PDF sont produits dans un dossier temporaire puis
déplacés d'un coup : jamais de PDF à moitié écrit dans le dossier de sortie.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from gouvernance.documents.erreurs import ConversionImpossible
from gouvernance.documents.polices import signaler_polices_absentes
from gouvernance.francais import compte

#: PDF/A-2b (polices incorporées, métadonnées XMP : pour l'archivage) et PDF balisé (titres, en-têtes de
#: tableaux, ordre de lecture, langue : pour les lecteurs d'écran), par les options du filtre d'export de Writer.
FILTRE_PDF_A = (
    'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"},'
    '"UseTaggedPDF":{"type":"boolean","value":"true"}}'
)

#: Le délai d'un appel : le démarrage de LibreOffice, puis quelques secondes par document.
DELAI_DE_BASE = 60.0
DELAI_PAR_DOCUMENT = 10.0


def executable_libreoffice() -> str | None:
    """Le chemin de `soffice` (ou `libreoffice`) trouvé dans le PATH, sinon None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def libreoffice_disponible() -> bool:
    """Vrai si LibreOffice est installé et trouvable dans le PATH."""
    return executable_libreoffice() is not None


def _lancer(commande: list[str], delai: float, environnement: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Lance LibreOffice dans son propre groupe de processus, tué en entier si le délai est dépassé."""
    with subprocess.Popen(  # noqa: S603 (LibreOffice trouvé dans le PATH, des chemins de fichiers en arguments)
        commande,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environnement,
        start_new_session=True,
    ) as processus:
        try:
            sortie, erreurs = processus.communicate(timeout=delai)
        except subprocess.TimeoutExpired:
            os.killpg(processus.pid, signal.SIGKILL)
            processus.communicate()
            raise ConversionImpossible(
                f"LibreOffice n'a pas terminé la conversion en PDF en {delai:.0f} secondes : réessayez, ou "
                "vérifiez qu'aucun document n'est démesuré."
            ) from None
    return subprocess.CompletedProcess(commande, processus.returncode, sortie, erreurs)


def convertir_en_pdf(docx: list[Path], dossier_sortie: Path, *, delai: float | None = None) -> list[Path]:
    """Convertit les documents `docx` en PDF dans `dossier_sortie`, en un seul appel à LibreOffice."""
    if not docx:
        return []
    executable = executable_libreoffice()
    if executable is None:
        raise ConversionImpossible(
            "LibreOffice est introuvable : installez-le (paquet Debian « libreoffice-writer-nogui ») pour "
            "produire des PDF ; les documents Word restent utilisables."
        )
    manquants = [str(chemin) for chemin in docx if not chemin.is_file()]
    if manquants:
        raise ConversionImpossible("Documents à convertir introuvables.", details=manquants)
    noms = [chemin.with_suffix(".pdf").name for chemin in docx]
    if len(set(noms)) != len(noms):
        raise ConversionImpossible("Deux documents du lot donneraient le même nom de PDF : renommez-les.")
    dossier_sortie.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory(prefix="ctg-libreoffice-") as profil,
        tempfile.TemporaryDirectory(dir=dossier_sortie, prefix=".pdf-") as provisoire,
    ):
        commande = [
            executable,
            f"-env:UserInstallation={Path(profil).as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            FILTRE_PDF_A,
            "--outdir",
            provisoire,
            *(str(chemin.resolve()) for chemin in docx),
        ]
        environnement = {**os.environ, "HOME": profil}
        resultat = _lancer(commande, delai or DELAI_DE_BASE + DELAI_PAR_DOCUMENT * len(docx), environnement)
        produits = [Path(provisoire) / nom for nom in noms]
        rates = [nom for nom, pdf in zip(noms, produits, strict=True) if not _est_un_pdf(pdf)]
        if resultat.returncode != 0 or rates:
            message = (resultat.stderr or resultat.stdout or "").strip()[-500:]
            raise ConversionImpossible(
                f"LibreOffice n'a pas pu convertir {compte(len(rates) or len(noms), 'document')} en PDF "
                f"(code {resultat.returncode}{' : ' + message if message else ''}). Ouvrez le document Word "
                "dans LibreOffice pour voir ce qui bloque.",
                details=rates,
            )
        finaux = [dossier_sortie / nom for nom in noms]
        for pdf, final in zip(produits, finaux, strict=True):
            os.replace(pdf, final)
    signaler_polices_absentes(docx)
    return finaux


def _est_un_pdf(chemin: Path) -> bool:
    """Vrai si le fichier existe et commence comme un PDF."""
    try:
        with chemin.open("rb") as fichier:
            return fichier.read(5) == b"%PDF-"
    except OSError:
        return False

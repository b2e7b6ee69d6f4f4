"""Les graphiques du bilan en PNG : couverture des orientations, présence par partenaire.

matplotlib n'est importé qu'ici, à l'appel (il coûte près d'une seconde) : les autres commandes ne le paient
pas. Le moteur Agg dessine sans écran. Les séries se distinguent par leur niveau de gris et par des hachures,
pas seulement par leur teinte : la page reste lisible imprimée en noir et blanc et par un lecteur daltonien.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from gouvernance.bilan.chiffres import LigneCouverture, LignePresence
from gouvernance.francais import INSECABLE

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: Entre 150 et 200 points par pouce : net à l'impression, léger dans le document.
RESOLUTION = 180
LARGEUR_POUCES = 7.0
#: Sombre, moyen, clair (luminance d'environ 0,2, 0,65 et 0,9) : trois gris distincts une fois imprimés.
BLEU_NUIT, ORANGE, BLEU_PALE = "#1F3864", "#E69F00", "#D9E2F3"
GRIS_FOND = "#F2F2F2"
LONGUEUR_LIBELLE = 48


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    # parse_math : un « $ » dans un nom saisi (« Association 1 $ = 1 € ») n'est pas une formule LaTeX, qui
    # serait mal affichée, voire ferait échouer tout le bilan.
    plt.rcParams.update(
        {"font.family": "DejaVu Sans", "font.size": 8, "hatch.linewidth": 0.6, "text.parse_math": False}
    )
    return plt


def _png(figure: Figure) -> bytes:
    tampon = io.BytesIO()
    # Pas de date ni de version dans les métadonnées : le même bilan donne le même fichier.
    figure.savefig(
        tampon, format="png", dpi=RESOLUTION, metadata={"Software": None}, bbox_inches="tight", pad_inches=0.08
    )
    return tampon.getvalue()


def _abreger(texte: str, longueur: int = LONGUEUR_LIBELLE) -> str:
    return texte if len(texte) <= longueur else texte[: longueur - 1].rstrip(" ,;:'") + "…"


def hauteur_couverture(orientations: int) -> float:
    """La hauteur de la figure en pouces : une ligne lisible par orientation, plus les marges et la légende."""
    return 1.3 + 0.22 * max(orientations, 1)


def graphique_couverture(lignes: tuple[LigneCouverture, ...], annee: int) -> bytes:
    """Barres horizontales : réunions, décisions et actions de l'année pour chaque orientation."""
    plt = _pyplot()
    figure, axe = plt.subplots(figsize=(LARGEUR_POUCES, hauteur_couverture(len(lignes))))
    positions = list(range(len(lignes)))
    epaisseur = 0.27
    series = (
        ("Réunions tenues", [len(ligne.reunions) for ligne in lignes], BLEU_NUIT, ""),
        ("Décisions", [len(ligne.decisions) for ligne in lignes], ORANGE, "////"),
        ("Actions", [len(ligne.actions) for ligne in lignes], BLEU_PALE, "...."),
    )
    for rang, (nom, valeurs, couleur, hachures) in enumerate(series):
        decalees = [p + (rang - 1) * epaisseur for p in positions]
        axe.barh(
            decalees,
            valeurs,
            height=epaisseur,
            color=couleur,
            hatch=hachures,
            edgecolor="#222222",
            linewidth=0.4,
            label=nom,
        )
    _bandes_par_enjeu(axe, lignes)
    axe.set_yticks(positions, [f"{ligne.code}  {_abreger(ligne.intitule)}" for ligne in lignes], fontsize=7)
    for etiquette, ligne in zip(axe.get_yticklabels(), lignes, strict=True):
        if not ligne.abordee:
            etiquette.set_fontstyle("italic")
            etiquette.set_color("#595959")
    axe.invert_yaxis()
    axe.set_ylim(len(lignes) - 0.5, -0.5)
    plus_grand = max((max(valeurs) for _, valeurs, _, _ in series if valeurs), default=0)
    axe.set_xlim(0, max(plus_grand, 1) + 0.5)  # une barre ne touche jamais le bord droit
    axe.xaxis.get_major_locator().set_params(integer=True)
    axe.set_xlabel("Nombre dans l'année")
    axe.grid(axis="x", color="#BFBFBF", linewidth=0.5)
    axe.set_axisbelow(True)
    axe.spines[["top", "right"]].set_visible(False)
    axe.set_title(f"Couverture des orientations en {annee}", loc="left", fontsize=10, fontweight="bold")
    axe.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, -0.6 / hauteur_couverture(len(lignes))),
        ncol=3,
        frameon=False,
        fontsize=8,
    )
    figure.tight_layout()
    try:
        return _png(figure)
    finally:
        plt.close(figure)


def _bandes_par_enjeu(axe: Any, lignes: tuple[LigneCouverture, ...]) -> None:
    """Un fond gris un enjeu sur deux : l'œil retrouve à quel enjeu appartient chaque orientation."""
    debut = 0
    for rang in range(1, len(lignes) + 1):
        if rang == len(lignes) or lignes[rang].enjeu_numero != lignes[debut].enjeu_numero:
            if lignes[debut].enjeu_numero % 2 == 0:
                axe.axhspan(debut - 0.5, rang - 0.5, color=GRIS_FOND, zorder=0)
            debut = rang


def graphique_presence(lignes: tuple[LignePresence, ...], annee: int) -> bytes:
    """Barres empilées à 100 % par partenaire : présents, représentés, excusés, absents ; le taux à droite."""
    plt = _pyplot()
    hauteur = 1.4 + 0.34 * max(len(lignes), 1)
    figure, axe = plt.subplots(figsize=(LARGEUR_POUCES, hauteur))
    positions = list(range(len(lignes)))
    gauche = [0.0] * len(lignes)
    series = (
        ("Présents", "presents", BLEU_NUIT, ""),
        ("Représentés", "representes", ORANGE, "////"),
        ("Excusés", "excuses", BLEU_PALE, "...."),
        ("Absents", "absents", "#FFFFFF", ""),
    )
    for nom, champ, couleur, hachures in series:
        parts = [100 * getattr(ligne, champ) / ligne.invitations if ligne.invitations else 0 for ligne in lignes]
        axe.barh(
            positions,
            parts,
            left=gauche,
            height=0.6,
            color=couleur,
            hatch=hachures,
            edgecolor="#222222",
            linewidth=0.4,
            label=nom,
        )
        gauche = [g + p for g, p in zip(gauche, parts, strict=True)]
    for position, ligne in zip(positions, lignes, strict=True):
        axe.text(102, position, f"{ligne.taux}{INSECABLE}%", va="center", fontsize=8, fontweight="bold")
    axe.set_yticks(positions, [_abreger(ligne.sigle or ligne.partenaire, 34) for ligne in lignes])
    axe.invert_yaxis()
    axe.set_xlim(0, 112)
    axe.set_xticks(range(0, 101, 25), [f"{x}{INSECABLE}%" for x in range(0, 101, 25)])
    axe.set_xlabel("Part des invitations (réunions aux présences relevées) ; à droite, le taux de présence")
    axe.spines[["top", "right"]].set_visible(False)
    axe.set_title(f"Présence des partenaires aux réunions de {annee}", loc="left", fontsize=10, fontweight="bold")
    axe.legend(loc="upper center", bbox_to_anchor=(0.5, -0.9 / hauteur), ncol=4, frameon=False, fontsize=8)
    figure.tight_layout()
    try:
        return _png(figure)
    finally:
        plt.close(figure)

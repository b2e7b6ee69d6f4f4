"""Les graphiques du bilan en PNG : couverture des orientations, présence par partenaire.

matplotlib n'est importé qu'ici, à l'appel (il coûte près d'une seconde) : les autres commandes ne le paient
pas. Le moteur Agg dessine sans écran, et chaque figure n'est dessinée qu'une fois : les marges sont calculées
d'après la largeur des libellés (mesurée sans dessiner), au lieu de `tight_layout` puis `bbox_inches="tight"`
qui la dessinaient trois fois (`bench/bilan_annuel.py` compare à un graphique matplotlib nu). Les séries se
distinguent par leur niveau de gris et par des hachures, pas seulement par leur teinte : la page reste
lisible imprimée en noir et blanc et par un lecteur daltonien.
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


#: Les marges fixes, en pouces : titre en haut ; graduations, titre de l'axe et légende en bas ; bord droit.
MARGE_HAUT, MARGE_BAS, MARGE_DROITE, BORD = 0.34, 0.78, 0.12, 0.08


def _figure(hauteur: float) -> Figure:
    """Une figure Agg sans pyplot (ni gestionnaire de fenêtres ni figure à fermer)."""
    import matplotlib

    # parse_math : un « $ » dans un nom saisi (« Association 1 $ = 1 € ») n'est pas une formule LaTeX, qui
    # serait mal affichée, voire ferait échouer tout le bilan.
    matplotlib.rcParams.update(
        {
            "font.family": "DejaVu Sans",
            "font.size": 8,
            "hatch.linewidth": 0.6,
            "text.parse_math": False,
            # Le titre à une hauteur fixe : matplotlib ne mesure plus tous les libellés pour le placer.
            "axes.titley": 1.0,
        }
    )
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(LARGEUR_POUCES, hauteur), dpi=RESOLUTION)
    FigureCanvasAgg(figure)
    return figure


def _placer(figure: Figure, axe: Any, libelles: list[str], taille: float) -> None:
    """Place les axes : la marge de gauche suit le plus long libellé, mesuré par la police sans rien dessiner.

    Les titres des axes sont mis à une place fixe, sous les graduations : matplotlib ne mesure plus chaque
    libellé au dessin pour les placer.
    """
    from matplotlib.font_manager import FontProperties

    rendu = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    police = FontProperties(size=taille)
    largeur = max((rendu.get_text_width_height_descent(t, police, ismath=False)[0] for t in libelles), default=0)
    gauche = largeur / RESOLUTION + BORD + 0.1  # 0,1 pouce : la graduation et son écart au libellé
    largeur_figure, hauteur_figure = figure.get_size_inches()
    figure.subplots_adjust(
        left=gauche / largeur_figure,
        right=1 - MARGE_DROITE / largeur_figure,
        top=1 - MARGE_HAUT / hauteur_figure,
        bottom=MARGE_BAS / hauteur_figure,
    )
    hauteur_axe = hauteur_figure - MARGE_HAUT - MARGE_BAS
    axe.xaxis.set_label_coords(0.5, -0.27 / hauteur_axe)
    axe.yaxis.set_label_coords(0.0, 0.5)


def _png(figure: Figure) -> bytes:
    tampon = io.BytesIO()
    # Pas de date ni de version dans les métadonnées : le même bilan donne le même fichier.
    figure.savefig(tampon, format="png", dpi=RESOLUTION, metadata={"Software": None})
    return tampon.getvalue()


def _abreger(texte: str, longueur: int = LONGUEUR_LIBELLE) -> str:
    return texte if len(texte) <= longueur else texte[: longueur - 1].rstrip(" ,;:'") + "…"


def hauteur_couverture(orientations: int) -> float:
    """La hauteur de la figure en pouces : une ligne lisible par orientation, plus les marges et la légende."""
    return MARGE_HAUT + MARGE_BAS + 0.22 * max(orientations, 1)


def graphique_couverture(lignes: tuple[LigneCouverture, ...], annee: int) -> bytes:
    """Barres horizontales : réunions, décisions et actions de l'année pour chaque orientation."""
    figure = _figure(hauteur_couverture(len(lignes)))
    axe = figure.add_subplot()
    positions = list(range(len(lignes)))
    epaisseur = 0.27
    series = (
        ("Réunions tenues", [len(ligne.reunions) for ligne in lignes], BLEU_NUIT, ""),
        ("Décisions", [len(ligne.decisions) for ligne in lignes], ORANGE, "////"),
        ("Actions", [len(ligne.actions) for ligne in lignes], BLEU_PALE, "...."),
    )
    vignettes = []
    for rang, (nom, valeurs, couleur, hachures) in enumerate(series):
        decalees = [p + (rang - 1) * epaisseur for p in positions]
        vignettes.append(_barres(axe, decalees, valeurs, [0.0] * len(valeurs), epaisseur, (nom, couleur, hachures)))
    _bandes_par_enjeu(axe, lignes)
    libelles = [f"{ligne.code}  {_abreger(ligne.intitule)}" for ligne in lignes]
    axe.set_yticks(positions, libelles, fontsize=7)
    for etiquette, ligne in zip(axe.get_yticklabels(), lignes, strict=True):
        if not ligne.abordee:
            etiquette.set_fontstyle("italic")
            etiquette.set_color("#595959")
    axe.invert_yaxis()
    axe.set_ylim(len(lignes) - 0.5, -0.5)
    plus_grand = max((max(valeurs) for _, valeurs, _, _ in series if valeurs), default=0)
    axe.set_xlim(0, max(plus_grand, 1) + 0.5)  # une barre ne touche jamais le bord droit
    from matplotlib.ticker import MaxNLocator

    axe.xaxis.set_major_locator(MaxNLocator(integer=True))
    axe.set_xlabel("Nombre dans l'année")
    axe.grid(axis="x", color="#BFBFBF", linewidth=0.5)
    axe.set_axisbelow(True)
    axe.spines[["top", "right"]].set_visible(False)
    axe.set_title(f"Couverture des orientations en {annee}", loc="left", fontsize=10, fontweight="bold")
    _placer(figure, axe, libelles, 7)
    _legende_en_bas(figure, vignettes)
    return _png(figure)


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
    hauteur = MARGE_HAUT + MARGE_BAS + 0.34 * max(len(lignes), 1)
    figure = _figure(hauteur)
    axe = figure.add_subplot()
    positions = list(range(len(lignes)))
    gauche = [0.0] * len(lignes)
    series = (
        ("Présents", "presents", BLEU_NUIT, ""),
        ("Représentés", "representes", ORANGE, "////"),
        ("Excusés", "excuses", BLEU_PALE, "...."),
        ("Absents", "absents", "#FFFFFF", ""),
    )
    vignettes = []
    for nom, champ, couleur, hachures in series:
        parts = [100 * getattr(ligne, champ) / ligne.invitations if ligne.invitations else 0 for ligne in lignes]
        vignettes.append(_barres(axe, positions, parts, gauche, 0.6, (nom, couleur, hachures)))
        gauche = [g + p for g, p in zip(gauche, parts, strict=True)]
    for position, ligne in zip(positions, lignes, strict=True):
        axe.text(102, position, f"{ligne.taux}{INSECABLE}%", va="center", fontsize=8, fontweight="bold")
    libelles = [_abreger(ligne.sigle or ligne.partenaire, 34) for ligne in lignes]
    axe.set_yticks(positions, libelles)
    axe.set_ylim(len(lignes) - 0.4, -0.6)  # de haut en bas, dans l'ordre de la liste
    axe.set_xlim(0, 112)
    axe.set_xticks(range(0, 101, 25), [f"{x}{INSECABLE}%" for x in range(0, 101, 25)])
    axe.set_xlabel("Part des invitations (réunions aux présences relevées) ; à droite, le taux de présence")
    axe.spines[["top", "right"]].set_visible(False)
    axe.set_title(f"Présence des partenaires aux réunions de {annee}", loc="left", fontsize=10, fontweight="bold")
    _placer(figure, axe, libelles, 8)
    _legende_en_bas(figure, vignettes)
    return _png(figure)


def _barres(  # noqa: PLR0917  (une barre : position, longueur, départ, épaisseur, série)
    axe: Any,
    positions: list[float] | list[int],
    longueurs: list[float] | list[int],
    departs: list[float],
    epaisseur: float,
    serie: tuple[str, str, str],
) -> Any:
    """Une série de barres horizontales en une seule collection : dessinée, hachures comprises, d'un trait.

    `barh` ferait un rectangle par barre, chacun dessiné et haché séparément : deux fois plus lent. Rend la
    vignette de la série pour la légende.
    """
    from matplotlib.collections import PolyCollection
    from matplotlib.patches import Patch

    nom, couleur, hachures = serie
    rectangles = [
        [(x, y - epaisseur / 2), (x + n, y - epaisseur / 2), (x + n, y + epaisseur / 2), (x, y + epaisseur / 2)]
        for y, n, x in zip(positions, longueurs, departs, strict=True)
        if n
    ]
    style: dict[str, Any] = {"facecolor": couleur, "hatch": hachures or None, "edgecolor": "#222222"}
    axe.add_collection(PolyCollection(rectangles, closed=True, linewidth=0.4, **style))
    return Patch(label=nom, linewidth=0.4, **style)


def _legende_en_bas(figure: Figure, vignettes: list[Any]) -> None:
    """La légende sur une ligne, centrée sous le titre de l'axe, au bas de la figure."""
    figure.legend(
        vignettes,
        [vignette.get_label() for vignette in vignettes],
        loc="lower center",
        bbox_to_anchor=(0.5, BORD / figure.get_size_inches()[1]),
        ncol=len(vignettes),
        frameon=False,
        fontsize=8,
    )

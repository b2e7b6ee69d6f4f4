"""Les textes des relances et du récapitulatif : objet, corps texte et corps HTML, en français de courrier."""

from __future__ import annotations

from datetime import date

from gouvernance.courriel import Bloc, composer, details_reunion, pied_coordinateur
from gouvernance.francais import date_complete, date_longue, de_commune, heure, moment
from gouvernance.relances.recapitulatif import ActionEnRetard, Recapitulatif, ReunionAVenir
from gouvernance.reunions.vue import CoordinateurVue, PersonneVue, ReunionVue
from modeles.vocabulaire import StatutReunion

CADRE = "dans le cadre de la Convention territoriale globale (CTG)"
_NOMBRES = {1: "une", 2: "deux", 3: "trois", 4: "quatre", 5: "cinq", 6: "six", 7: "sept", 8: "huit"}


def _salutation(personne: PersonneVue | None) -> Bloc:
    """« Madame, », « Madame, Monsieur, » ; « Bonjour, » pour le coordinateur, qui n'est pas dans l'annuaire."""
    if personne is None:
        return ("p", ["Bonjour,"])
    return ("p", [f"{personne.civilite or 'Madame, Monsieur'},"])


def _dans(jours: int) -> str:
    return "demain" if jours == 1 else f"dans {jours} jours"


def _il_y_a(jours: int) -> str:
    return "hier" if jours == 1 else f"il y a {jours} jours"


def texte_relance_reponse(reunion: ReunionVue, invite: PersonneVue, *, jours: int) -> tuple[str, str, str]:
    """La relance d'un invité qui n'a pas encore répondu, `jours` jours avant la réunion."""
    objet = f"Rappel : votre réponse est attendue — {reunion.instance_intitule}, {moment(reunion.debut)}"
    blocs: list[Bloc] = [
        _salutation(invite),
        (
            "p",
            [
                "Sauf erreur de notre part, nous n'avons pas encore reçu votre réponse à l'invitation à la réunion "
                f"suivante, qui se tiendra {_dans(jours)}, {CADRE} — {reunion.territoire} :"
            ],
        ),
        details_reunion(reunion),
        (
            "p",
            [
                "Pourriez-vous nous indiquer si vous y participerez ? L'invitation est de nouveau jointe à ce "
                "courriel : les boutons « Accepter », « Peut-être » ou « Refuser » que votre messagerie affiche "
                "enregistrent votre réponse et placent la réunion dans votre agenda. Vous pouvez aussi répondre "
                f"simplement à ce courriel : votre réponse parviendra à {reunion.coordinateur.nom}."
            ],
        ),
        ("p", ["Si vous avez répondu entre-temps, merci de ne pas tenir compte de ce message."]),
        *pied_coordinateur(reunion),
    ]
    return composer(objet, blocs, en_tete=reunion.institution.nom)


def texte_relance_compte_rendu(
    reunion: ReunionVue,
    destinataire: PersonneVue | None,
    *,
    jours: int,
    projet_joint: bool,
    est_coordinateur: bool,
    secretaire_designe: bool,
) -> tuple[str, str, str]:
    """La relance du secrétaire (ou, à défaut, du coordinateur) quand le compte rendu n'est pas importé."""
    objet = f"Compte rendu attendu — {reunion.instance_intitule}, réunion du {date_complete(reunion.debut)}"
    blocs: list[Bloc] = [
        _salutation(destinataire),
        (
            "p",
            [
                f"La réunion suivante, {CADRE} — {reunion.territoire}, s'est tenue {_il_y_a(jours)} ; "
                "son compte rendu ne nous est pas encore parvenu :"
            ],
        ),
        details_reunion(reunion),
    ]
    if projet_joint:
        consigne = (
            "Vous trouverez ci-joint le projet de compte rendu, pré-rempli (participants, ordre du jour, tableaux "
            "des décisions et des actions). Pourriez-vous le compléter dans Word ou LibreOffice — présences, "
            "décisions, actions avec leur responsable et leur échéance (« 15/03/2027 » ou « 15 mars 2027 ») — "
            "et nous le renvoyer en réponse à ce courriel ?"
        )
    else:
        consigne = (
            "Pourriez-vous nous transmettre le compte rendu — présences, décisions, actions avec leur responsable "
            "et leur échéance — en réponse à ce courriel ?"
        )
    blocs.append(("p", [consigne]))
    if est_coordinateur:
        blocs += _aide_coordinateur(reunion, secretaire_designe=secretaire_designe)
    blocs += pied_coordinateur(reunion)
    return composer(objet, blocs, en_tete=reunion.institution.nom)


def _aide_coordinateur(reunion: ReunionVue, *, secretaire_designe: bool) -> list[Bloc]:
    lignes = []
    if not secretaire_designe:
        lignes.append(
            f"Aucun secrétariat n'est désigné pour le {reunion.instance_code} : ce rappel vous est donc adressé. "
            f"Pour le désigner : ctg membres modifier {reunion.instance_code} ADRESSE --role secretaire"
        )
    lignes += [
        f"Le projet pré-rempli : ctg compte-rendu generer {reunion.id}",
        f"Le fichier complété : ctg compte-rendu importer {reunion.id} FICHIER.docx",
    ]
    return [("ul", lignes)]


def texte_recapitulatif(recapitulatif: Recapitulatif, coordinateur: CoordinateurVue) -> tuple[str, str, str]:
    """Le récapitulatif de la semaine, pour le coordinateur."""
    lundi = date.fromisocalendar(*recapitulatif.jour.isocalendar()[:2], 1)
    ctg = f"CTG {de_commune(recapitulatif.territoire)}"
    objet = f"Récapitulatif de la {ctg} — semaine du {date_longue(lundi)}"
    blocs: list[Bloc] = [
        ("p", ["Bonjour,"]),
        ("p", [f"Voici où en est la Convention territoriale globale (CTG) au {date_complete(recapitulatif.jour)}."]),
        *_reunions(recapitulatif),
        *_actions(recapitulatif.actions),
        *_relances(recapitulatif),
        *_a_verifier(recapitulatif.a_verifier),
        *_incertains(recapitulatif.incertains),
        ("p", ["Le détail : ctg reunions, ctg reunion voir NUMÉRO, ctg suivi."]),
        ("p", [f"Ce récapitulatif est envoyé chaque semaine à {coordinateur.nom} par ctg-gouvernance."]),
    ]
    return composer(objet, blocs)


def _semaines(nombre: int) -> str:
    if nombre == 1:
        return "de la semaine à venir"
    return f"des {_NOMBRES.get(nombre, str(nombre))} prochaines semaines"


def _reunions(recapitulatif: Recapitulatif) -> list[Bloc]:
    jusqu_au = date_longue(recapitulatif.jusqu_au)
    if not recapitulatif.reunions:
        return [("p", [f"Réunions {_semaines(recapitulatif.semaines)} : aucune d'ici le {jusqu_au}."])]
    titre = f"Réunions {_semaines(recapitulatif.semaines)} (jusqu'au {jusqu_au}) :"
    return [("p", [titre]), ("ul", [_reunion(reunion) for reunion in recapitulatif.reunions])]


def _reunion(reunion: ReunionAVenir) -> str:
    lieu = reunion.lieu or ("en visioconférence" if reunion.visio else "lieu à préciser")
    lignes = [f"{reunion.titre} ({reunion.instance_code}, réunion n°{reunion.id}) : le {moment(reunion.debut)}, {lieu}"]
    if reunion.statut == StatutReunion.PLANIFIEE:
        lignes.append(f"Pas encore convoquée : ctg reunion convoquer {reunion.id}")
    elif reunion.sans_reponse:
        lignes.append(
            f"Réponses : {reunion.reponses} sur {reunion.invites} ; sans réponse ({len(reunion.sans_reponse)}) : "
            + ", ".join(reunion.sans_reponse)
        )
    else:
        lignes.append(f"Tous les invités ont répondu ({reunion.invites}).")
    return "\n".join(lignes)


def _actions(actions: tuple[ActionEnRetard, ...]) -> list[Bloc]:
    if not actions:
        return [("p", ["Actions en retard : aucune."])]
    lignes = []
    for action in actions:
        responsable = f" ; responsable : {action.responsable}" if action.responsable else ""
        lignes.append(
            f"n°{action.numero} — {action.libelle}{responsable} ; échéance : {date_longue(action.echeance)} "
            f"(décidée au {action.origine})"
        )
    return [("p", [f"Actions en retard ({len(actions)}) :"]), ("ul", lignes)]


def _a_verifier(lignes: tuple[str, ...]) -> list[Bloc]:
    if not lignes:
        return []
    return [
        (
            "p",
            [f"Réponses à vérifier ({len(lignes)}), non enregistrées : envoyées par quelqu'un d'autre que l'invité."],
        ),
        ("ul", list(lignes)),
        ("p", ["Vérifiez auprès de la personne, puis : ctg reponses accepter N, ou ctg reponses rejeter N."]),
    ]


def _incertains(lignes: tuple[str, ...]) -> list[Bloc]:
    if not lignes:
        return []
    return [
        (
            "p",
            [
                f"Courriels incertains ({len(lignes)}) : la connexion s'est perdue pendant leur envoi, ils sont "
                "peut-être arrivés et ne repartent pas d'eux-mêmes."
            ],
        ),
        ("ul", list(lignes)),
        (
            "p",
            [
                "Vérifiez auprès du destinataire, puis : ctg courriel confirmer N s'il l'a reçu, "
                "sinon ctg courriel renvoyer N."
            ],
        ),
    ]


def _relances(recapitulatif: Recapitulatif) -> list[Bloc]:
    depuis = f" depuis le {moment(recapitulatif.depuis)}" if recapitulatif.depuis else ""
    if not recapitulatif.relances:
        return [("p", [f"Relances envoyées{depuis} : aucune."])]
    lignes = [
        f"{relance.nature.capitalize()} — {relance.destinataire}, {relance.sujet}, le {date_longue(relance.le)} "
        f"à {heure(relance.le)}"
        for relance in recapitulatif.relances
    ]
    return [("p", [f"Relances envoyées{depuis} ({len(lignes)}) :"]), ("ul", lignes)]

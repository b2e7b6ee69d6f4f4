"""L'import des contacts exportés d'un tableur : lecture du CSV, refus motivés, mise à jour de la base."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gouvernance.contacts import BilanContacts, enregistrer_contacts, lire_contacts_csv
from gouvernance.erreurs import DonneesInvalides
from gouvernance.organismes_proches import partenaires_proches
from gouvernance.partenaires import nommer_autrement
from modeles import Fonction, Instance, Membre, Partenaire, Personne, Territoire

DONNEES = Path(__file__).parent / "donnees"
CODES = ("COPIL", "COTECH")
ENTETE = "civilite;prenom;nom;fonction;organisme;email;telephone;instances"
LIGNE_CORRECTE = "Mme;Hélène;Lefèvre;DGS;Ville de Saint-Aubin;helene.lefevre@example.org;;COPIL"
JANVIER = date(2025, 1, 15)
MARS = date(2025, 3, 1)


def csv_windows(*lignes: str) -> bytes:
    """Un fichier tel qu'Excel l'enregistre en français : Windows-1252, fins de ligne CRLF."""
    return "".join(f"{ligne}\r\n" for ligne in lignes).encode("cp1252")


def refus(contenu: bytes, codes: tuple[str, ...] = CODES) -> DonneesInvalides:
    with pytest.raises(DonneesInvalides) as erreur:
        lire_contacts_csv(contenu, codes_instances=codes)
    return erreur.value


def creer_territoire(session: Session, code: str = "saint-aubin") -> Territoire:
    """Un territoire avec son comité de pilotage (COPIL) et son comité technique (COTECH)."""
    territoire = Territoire(code=code, nom=f"Territoire {code}")
    session.add(territoire)
    for code_instance in CODES:
        session.add(
            Instance(
                territoire=territoire,
                code=code_instance,
                intitule=f"{code_instance} de {code}",
                type=code_instance.lower(),
            )
        )
    session.flush()
    return territoire


def instance(session: Session, territoire: Territoire, code: str) -> Instance:
    return session.scalars(select(Instance).where(Instance.territoire == territoire, Instance.code == code)).one()


def importer(session: Session, territoire: Territoire, contenu: bytes, jour: date) -> BilanContacts:
    """Ce que fait `ctg personnes importer` : lire, importer, valider."""
    lignes = lire_contacts_csv(contenu, codes_instances=CODES)
    bilan = enregistrer_contacts(session, territoire, lignes, aujourd_hui=jour)
    session.commit()
    session.expire_all()
    return bilan


def personne(session: Session, email: str) -> Personne:
    return session.scalars(select(Personne).where(Personne.email == email)).one()


def nombre(session: Session, modele: type[Personne | Fonction | Partenaire | Membre]) -> int:
    return session.scalar(select(func.count()).select_from(modele)) or 0


def adhesions(session: Session, email: str) -> set[tuple[str, str, str]]:
    """(territoire, instance, rôle) de chaque adhésion de la personne."""
    requete = (
        select(Territoire.code, Instance.code, Membre.role)
        .join(Membre.instance)
        .join(Instance.territoire)
        .join(Membre.personne)
        .where(Personne.email == email)
    )
    return {(t, i, r) for t, i, r in session.execute(requete)}


# --- Lecture du fichier -------------------------------------------------------------------------


def test_un_fichier_windows_1252_garde_les_accents() -> None:
    lignes = lire_contacts_csv((DONNEES / "contacts_windows1252.csv").read_bytes(), codes_instances=CODES)

    assert [(ligne.prenom, ligne.nom) for ligne in lignes] == [
        ("Hélène", "Lefèvre"),
        ("Agnès", "Müller"),
        ("François", "Gaël-Cœur"),
    ]
    helene, agnes, francois = lignes
    assert helene.email == "helene.lefevre@example.org"
    assert (helene.civilite, agnes.civilite, francois.civilite) == ("Madame", "Madame", "Monsieur")
    assert francois.fonction == "Chargé de mission « jeunesse »"
    assert (helene.telephone, agnes.telephone) == ("05 55 00 00 01", None)
    assert (helene.instances, agnes.instances, francois.instances) == (("COPIL",), CODES, ("COTECH",))
    assert [ligne.numero_ligne for ligne in lignes] == [2, 3, 4]


def test_un_fichier_utf8_avec_bom_separe_par_des_virgules_est_lu() -> None:
    lignes = lire_contacts_csv((DONNEES / "contacts_utf8_bom.csv").read_bytes(), codes_instances=CODES)

    aicha, jerome = lignes
    assert (aicha.prenom, aicha.email, aicha.instances) == ("Aïcha", "aicha.benali@example.org", CODES)
    assert (jerome.nom, jerome.organisme, jerome.instances) == ("Noël", "Association « Lire, écrire »", ())
    assert aicha.civilite is None and aicha.telephone is None


def test_un_fichier_utf8_sans_bom_separe_par_des_points_virgules_est_lu() -> None:
    contenu = f"{ENTETE}\n{LIGNE_CORRECTE}\n".encode()

    (ligne,) = lire_contacts_csv(contenu, codes_instances=CODES)

    assert (ligne.prenom, ligne.nom, ligne.organisme) == ("Hélène", "Lefèvre", "Ville de Saint-Aubin")


def test_les_noms_de_colonnes_ignorent_casse_accents_et_espaces() -> None:
    contenu = csv_windows(" PRÉNOM ;Nom; e-mail ;TÉLÉPHONE", "Agnès;Müller;agnes.muller@example.org;06 00 00 00 02")

    (ligne,) = lire_contacts_csv(contenu, codes_instances=CODES)

    assert (ligne.prenom, ligne.email, ligne.telephone) == (
        "Agnès",
        "agnes.muller@example.org",
        "06 00 00 00 02",
    )


def test_les_cellules_vides_ajoutees_a_droite_par_le_tableur_sont_admises() -> None:
    contenu = csv_windows("prenom;nom;email;;", "Agnès;Müller;agnes.muller@example.org;;")

    (ligne,) = lire_contacts_csv(contenu, codes_instances=CODES)

    assert ligne.email == "agnes.muller@example.org"


def test_un_fichier_dans_un_encodage_inconnu_est_refuse() -> None:
    erreur = refus(b"prenom;nom;email\r\nAgn\x81s;M\x9dller;agnes.muller@example.org\r\n")

    assert erreur.message == (
        "Le fichier est refusé : son encodage n'est ni UTF-8 (ligne 2) ni Windows-1252 (ligne 2). Rien n'a été "
        "enregistré. Enregistrez-le de nouveau depuis le tableur au format « CSV UTF-8 », puis relancez l'import."
    )


def test_une_colonne_inconnue_est_refusee_en_citant_les_colonnes_attendues() -> None:
    erreur = refus(csv_windows("prenom;nom;email;Ville;Service", "Agnès;Müller;agnes.muller@example.org;;"))

    assert "ligne d'en-tête" in erreur.message
    assert erreur.details == [
        "colonnes inconnues : « Ville », « Service » ; colonnes attendues : "
        "civilite, prenom, nom, fonction, organisme, email, telephone, instances, emails_secondaires."
    ]


def test_une_colonne_obligatoire_absente_est_refusee() -> None:
    erreur = refus(csv_windows("prenom;nom;telephone", "Agnès;Müller;06 00 00 00 02"))

    assert erreur.details == ["colonne obligatoire absente : email."]


@pytest.mark.parametrize(
    ("ligne_fautive", "detail"),
    [
        pytest.param(
            "M.;Jean;Dupont;;;jean.dupont@;;",
            "ligne 3, colonne « email » : « jean.dupont@ » n'est pas une adresse électronique valide.",
            id="adresse invalide",
        ),
        pytest.param(
            "M.;Jean;;;;jean.dupont@example.org;;",
            "ligne 3, colonne « nom » : la cellule est vide ; cette donnée est obligatoire.",
            id="nom vide",
        ),
        pytest.param(
            "M.;;Dupont;;;jean.dupont@example.org;;",
            "ligne 3, colonne « prenom » : la cellule est vide ; cette donnée est obligatoire.",
            id="prénom vide",
        ),
        pytest.param(
            "M.;Jean;Dupont;;;;;",
            "ligne 3, colonne « email » : la cellule est vide ; cette donnée est obligatoire.",
            id="adresse vide",
        ),
        pytest.param(
            "M.;Jean;Dupont;;;jean.dupont@example.org;;COPIL|CODIR",
            "ligne 3, colonne « instances » : l'instance « CODIR » n'existe pas ; instances possibles : COPIL, COTECH.",
            id="instance inconnue",
        ),
        pytest.param(
            "M.;Jean\tPierre;Dupont;;;jean.dupont@example.org;;",
            "ligne 3, colonne « prenom » : la cellule contient une tabulation ; gardez-la sur une seule ligne.",
            id="tabulation",
        ),
        pytest.param(
            "Dr;Jean;Dupont;;;jean.dupont@example.org;;",
            "ligne 3, colonne « civilite » : « Dr » n'est pas une civilité reconnue ; "
            "écrivez M., Monsieur, Mme ou Madame, ou laissez la cellule vide.",
            id="civilité inconnue",
        ),
        pytest.param(
            "M.;Jean;Dupont;Chef de service; adjoint;Mairie;jean.dupont@example.org;;",
            "ligne 3 : 9 cellules pour 8 colonnes d'en-tête ; une virgule ou un point-virgule "
            "sans guillemets autour décale sans doute les colonnes.",
            id="cellule en trop",
        ),
    ],
)
def test_chaque_ligne_fautive_est_signalee_avec_son_numero(ligne_fautive: str, detail: str) -> None:
    erreur = refus(csv_windows(ENTETE, LIGNE_CORRECTE, ligne_fautive))

    assert erreur.details == [detail]
    assert erreur.message == (
        "Le fichier est refusé : rien n'a été enregistré. Corrigez ces lignes puis relancez l'import."
    )


def test_plusieurs_erreurs_sont_signalees_en_une_fois() -> None:
    contenu = csv_windows(
        ENTETE,
        "M.;Jean;Dupont;;;jean.dupont@;;",
        LIGNE_CORRECTE,
        "Mlle;Rose;;;;rose@example.org;;COPIL",
        "M.;Paul;Martin;;;paul.martin@example.org;;CODIR",
    )

    erreur = refus(contenu)

    assert [detail.split(",")[0].split(" :")[0] for detail in erreur.details] == [
        "ligne 2",
        "ligne 4",
        "ligne 4",
        "ligne 5",
    ]
    assert "« Mlle » n'est pas une civilité reconnue" in erreur.details[2]
    assert "ligne 4" in str(erreur) and "ligne 5" in str(erreur)


def test_une_adresse_en_double_nomme_les_deux_lignes() -> None:
    contenu = csv_windows(
        ENTETE,
        LIGNE_CORRECTE,
        "",
        "M.;Jean;Dupont;;;jean.dupont@example.org;;",
        "Mme;Hélène;Lefèvre;;;Helene.Lefevre@Example.org;;",
    )

    erreur = refus(contenu)

    assert erreur.details == [
        "ligne 5, colonne « email » : l'adresse « helene.lefevre@example.org » figure déjà ligne 2 ; "
        "chaque personne ne doit apparaître qu'une fois."
    ]


def test_un_saut_de_ligne_dans_un_champ_entre_guillemets_est_refuse_a_la_bonne_ligne() -> None:
    contenu = csv_windows(
        ENTETE,
        LIGNE_CORRECTE,
        'M.;Jean;Dupont;"Chef de service',
        'enfance-jeunesse";Mairie;jean.dupont@example.org;;',
        "M.;Paul;Martin;;;paul.martin@;;",
    )

    erreur = refus(contenu)

    assert erreur.details == [
        "ligne 3, colonne « fonction » : la cellule contient un saut de ligne ; gardez-la sur une seule ligne.",
        "ligne 5, colonne « email » : « paul.martin@ » n'est pas une adresse électronique valide.",
    ]


def test_un_guillemet_jamais_referme_est_signale_a_sa_ligne() -> None:
    contenu = csv_windows(ENTETE, LIGNE_CORRECTE, 'M.;Jean;Dupont;"Chef de service;;jean.dupont@example.org;;')

    erreur = refus(contenu)

    assert erreur.details[0].startswith("ligne 3 : un guillemet est mal placé ou jamais refermé")


def test_les_lignes_vides_sont_ignorees_sans_decaler_les_numeros() -> None:
    contenu = csv_windows(ENTETE, "", LIGNE_CORRECTE, ";;;;;;;", "M.;Jean;Dupont;;;jean.dupont@example.org;;")

    lignes = lire_contacts_csv(contenu, codes_instances=CODES)

    assert [(ligne.numero_ligne, ligne.nom) for ligne in lignes] == [(3, "Lefèvre"), (5, "Dupont")]


def test_un_texte_trop_long_pour_la_base_est_refuse() -> None:
    contenu = csv_windows(ENTETE, f"M.;Jean;{'X' * 101};;;jean.dupont@example.org;;")

    assert refus(contenu).details == ["ligne 2, colonne « nom » : 101 caractères, 100 au plus."]


def test_le_message_de_refus_nomme_le_fichier() -> None:
    with pytest.raises(DonneesInvalides, match=r"^Le fichier « contacts\.csv » est refusé : rien n'a été"):
        lire_contacts_csv(
            csv_windows(ENTETE, "M.;Jean;Dupont;;;jean.dupont@;;"),
            codes_instances=CODES,
            nom_fichier="contacts.csv",
        )


def test_le_bilan_accorde_singulier_et_pluriel() -> None:
    bilan = BilanContacts(
        personnes_creees=["a@example.org", "b@example.org", "c@example.org"],
        personnes_modifiees=["d@example.org"],
        organismes_crees=["Centre social des Tilleuls"],
        adhesions_retirees=[("d@example.org", "COTECH")],
    )

    assert bilan.lignes_resume() == [
        "3 personnes créées, 1 modifiée, 0 inchangée",
        "Organisme créé : Centre social des Tilleuls",
        "1 adhésion retirée : d@example.org (COTECH)",
    ]


# --- Import dans la base ------------------------------------------------------------------------


def test_l_import_enregistre_les_personnes_leurs_fonctions_et_leurs_adhesions(session: Session) -> None:
    territoire = creer_territoire(session)

    bilan = importer(session, territoire, (DONNEES / "contacts_windows1252.csv").read_bytes(), JANVIER)

    helene = personne(session, "helene.lefevre@example.org")
    assert (helene.civilite, helene.prenom, helene.nom, helene.telephone) == (
        "Madame",
        "Hélène",
        "Lefèvre",
        "05 55 00 00 01",
    )
    fonction = helene.fonction_actuelle
    assert fonction is not None and fonction.partenaire is not None
    assert (fonction.intitule, fonction.partenaire.nom, fonction.debut) == (
        "Directrice générale des services",
        "Ville de Saint-Aubin",
        JANVIER,
    )
    assert adhesions(session, "agnes.muller@example.org") == {
        ("saint-aubin", "COPIL", "membre"),
        ("saint-aubin", "COTECH", "membre"),
    }
    assert bilan.lignes_resume()[0] == "3 personnes créées, 0 modifiée, 0 inchangée"
    assert len(bilan.adhesions_ajoutees) == 4


def test_reimporter_le_meme_fichier_ne_cree_aucun_doublon(session: Session) -> None:
    territoire = creer_territoire(session)
    contenu = (DONNEES / "contacts_windows1252.csv").read_bytes()
    importer(session, territoire, contenu, JANVIER)
    avant = [nombre(session, modele) for modele in (Personne, Fonction, Partenaire, Membre)]

    bilan = importer(session, territoire, contenu, MARS)

    assert [nombre(session, modele) for modele in (Personne, Fonction, Partenaire, Membre)] == avant
    assert avant == [3, 3, 3, 4]
    assert bilan.personnes_inchangees == [
        "helene.lefevre@example.org",
        "agnes.muller@example.org",
        "francois.gael-coeur@example.org",
    ]
    assert bilan.lignes_resume() == ["0 personne créée, 0 modifiée, 3 inchangées"]


def test_un_changement_de_fonction_clot_l_ancienne_et_ouvre_la_nouvelle(session: Session) -> None:
    territoire = creer_territoire(session)
    importer(session, territoire, csv_windows(ENTETE, LIGNE_CORRECTE), JANVIER)
    mutation = "Mme;Hélène;Lefèvre;Directrice;CCAS de Saint-Aubin;helene.lefevre@example.org;;COPIL"

    bilan = importer(session, territoire, csv_windows(ENTETE, mutation), MARS)

    ancienne, nouvelle = personne(session, "helene.lefevre@example.org").fonctions
    assert ancienne.partenaire is not None and nouvelle.partenaire is not None
    assert (ancienne.intitule, ancienne.partenaire.nom, ancienne.debut, ancienne.fin) == (
        "DGS",
        "Ville de Saint-Aubin",
        JANVIER,
        MARS,
    )
    assert (nouvelle.intitule, nouvelle.partenaire.nom, nouvelle.debut, nouvelle.fin) == (
        "Directrice",
        "CCAS de Saint-Aubin",
        MARS,
        None,
    )
    assert bilan.personnes_modifiees == ["helene.lefevre@example.org"]


def test_une_ligne_sans_fonction_ni_organisme_laisse_la_fonction_en_cours(session: Session) -> None:
    territoire = creer_territoire(session)
    importer(session, territoire, csv_windows(ENTETE, LIGNE_CORRECTE), JANVIER)

    importer(
        session,
        territoire,
        csv_windows(ENTETE, "Mme;Hélène;Lefèvre;;;helene.lefevre@example.org;;COPIL"),
        MARS,
    )

    (fonction,) = personne(session, "helene.lefevre@example.org").fonctions
    assert (fonction.intitule, fonction.fin) == ("DGS", None)


def test_un_organisme_inconnu_est_cree_et_rattache_au_territoire(session: Session) -> None:
    territoire = creer_territoire(session)
    caf = Partenaire(nom="Caisse d'allocations familiales de la Haute-Vienne", sigle="CAF", categorie="caf")
    mairie = Partenaire(nom="Ville de Saint-Aubin", categorie="commune", territoires=[territoire])
    session.add_all([caf, mairie])
    session.flush()

    bilan = importer(session, territoire, (DONNEES / "contacts_windows1252.csv").read_bytes(), JANVIER)

    assert bilan.organismes_crees == ["Centre social des Tilleuls"]
    centre = session.scalars(select(Partenaire).where(Partenaire.nom == "Centre social des Tilleuls")).one()
    assert (centre.categorie, [t.code for t in centre.territoires]) == ("autre", ["saint-aubin"])
    fonction_agnes = personne(session, "agnes.muller@example.org").fonction_actuelle
    assert fonction_agnes is not None and fonction_agnes.partenaire_id == caf.id
    assert [t.code for t in caf.territoires] == ["saint-aubin"]
    assert [t.code for t in mairie.territoires] == ["saint-aubin"]
    assert nombre(session, Partenaire) == 3
    assert "Organisme créé : Centre social des Tilleuls" in bilan.lignes_resume()


def test_les_adhesions_sont_synchronisees_sans_toucher_un_autre_territoire(session: Session) -> None:
    territoire = creer_territoire(session)
    voisin = creer_territoire(session, "voisin")
    helene = Personne(email="helene.lefevre@example.org", prenom="Hélène", nom="Lefèvre")
    copil, cotech = instance(session, territoire, "COPIL"), instance(session, territoire, "COTECH")
    cotech_voisin = instance(session, voisin, "COTECH")
    session.add_all(
        [
            Membre(instance=copil, personne=helene, role="president"),
            Membre(instance=cotech, personne=helene, role="membre"),
            Membre(instance=cotech_voisin, personne=helene, role="invite"),
        ]
    )
    session.flush()

    bilan = importer(session, territoire, csv_windows(ENTETE, LIGNE_CORRECTE), JANVIER)

    assert adhesions(session, "helene.lefevre@example.org") == {
        ("saint-aubin", "COPIL", "president"),
        ("voisin", "COTECH", "invite"),
    }
    assert bilan.adhesions_retirees == [("helene.lefevre@example.org", "COTECH")]
    assert bilan.adhesions_ajoutees == []

    importer(session, territoire, csv_windows(ENTETE, LIGNE_CORRECTE.replace(";COPIL", ";COPIL,COTECH")), MARS)

    assert adhesions(session, "helene.lefevre@example.org") == {
        ("saint-aubin", "COPIL", "president"),
        ("saint-aubin", "COTECH", "membre"),
        ("voisin", "COTECH", "invite"),
    }


def test_une_colonne_absente_du_fichier_ne_touche_pas_aux_donnees(session: Session) -> None:
    territoire = creer_territoire(session)
    importer(
        session,
        territoire,
        csv_windows(ENTETE, LIGNE_CORRECTE.replace(";;COPIL", ";05 55 00 00 01;COPIL")),
        JANVIER,
    )

    bilan = importer(
        session,
        territoire,
        csv_windows("prenom;nom;email", "Hélène;Lefèvre-Roux;helene.lefevre@example.org"),
        MARS,
    )

    helene = personne(session, "helene.lefevre@example.org")
    assert (helene.nom, helene.telephone, helene.civilite) == ("Lefèvre-Roux", "05 55 00 00 01", "Madame")
    assert adhesions(session, "helene.lefevre@example.org") == {("saint-aubin", "COPIL", "membre")}
    assert bilan.lignes_resume() == ["0 personne créée, 1 modifiée, 0 inchangée"]


def test_un_fichier_refuse_n_enregistre_rien(session: Session) -> None:
    territoire = creer_territoire(session)
    importer(session, territoire, csv_windows(ENTETE, LIGNE_CORRECTE), JANVIER)
    avant = [nombre(session, modele) for modele in (Personne, Fonction, Partenaire, Membre)]
    contenu = csv_windows(
        ENTETE,
        "Mme;Hélène;Lefèvre;Directrice;CCAS;helene.lefevre@example.org;;COTECH",
        "M.;Jean;Dupont;;;jean.dupont@;;",
    )

    with pytest.raises(DonneesInvalides):
        importer(session, territoire, contenu, MARS)

    assert [nombre(session, modele) for modele in (Personne, Fonction, Partenaire, Membre)] == avant
    assert personne(session, "helene.lefevre@example.org").fonctions[0].fin is None


def test_un_sigle_partage_par_plusieurs_organismes_est_refuse_avant_toute_ecriture(session: Session) -> None:
    territoire = creer_territoire(session)
    session.add_all(
        [
            Partenaire(nom="CCAS de Limoges", sigle="CCAS", categorie="ccas"),
            Partenaire(nom="CCAS de Panazol", sigle="CCAS", categorie="ccas"),
        ]
    )
    session.commit()
    lignes = lire_contacts_csv(
        csv_windows(ENTETE, "Mme;Hélène;Lefèvre;Directrice;CCAS;helene.lefevre@example.org;;COPIL"),
        codes_instances=CODES,
    )

    with pytest.raises(DonneesInvalides) as erreur:
        enregistrer_contacts(session, territoire, lignes, aujourd_hui=JANVIER)

    assert erreur.value.details == [
        "ligne 2, colonne « organisme » : « CCAS » peut désigner plusieurs organismes "
        "(« CCAS de Limoges », « CCAS de Panazol ») ; écrivez le nom complet."
    ]
    assert not session.new and not session.dirty
    assert nombre(session, Personne) == 0


# --- Les organismes presque connus -------------------------------------------------------------

PARTENAIRES_LUNION = (
    ("Ville de L'Union", "Ville"),
    ("Centre communal d'action sociale de L'Union", "CCAS"),
    ("Caisse d'allocations familiales de la Haute-Garonne", "CAF"),
    ("Conseil départemental de la Haute-Garonne", "CD31"),
    ("Éducation nationale", "EN"),
    ("Fédérations associatives", None),
)


@pytest.mark.parametrize(
    ("ecrit", "probable"),
    [
        ("Caf 31", "Caisse d'allocations familiales de la Haute-Garonne"),
        ("CAF de la Haute Garonne", "Caisse d'allocations familiales de la Haute-Garonne"),
        ("Caisse d'Allocations Familiales 31", "Caisse d'allocations familiales de la Haute-Garonne"),
        ("Mairie de l'Union", "Ville de L'Union"),
        ("CCAS L'Union", "Centre communal d'action sociale de L'Union"),
        ("Conseil departemental 31", "Conseil départemental de la Haute-Garonne"),
        ("Fédération associative", "Fédérations associatives"),
        ("Ville de Saint-Aubin", None),
        ("Mairie de Saint-Jean", None),
        ("Centre social des Tilleuls", None),
        ("Conseil départemental du Gers", None),
        ("Conseil régional Occitanie", None),
        ("Union sportive", None),
        ("Maison des jeunes de L'Union", None),
        ("CCAS de Saint-Aubin", None),
        ("Ville de Toulouse", None),
    ],
)
def test_un_organisme_mal_ecrit_est_rapproche_du_partenaire_probable(ecrit: str, probable: str | None) -> None:
    partenaires = [Partenaire(nom=nom, sigle=sigle, autres_noms=[]) for nom, sigle in PARTENAIRES_LUNION]
    proches = partenaires_proches(ecrit, partenaires)
    assert (proches[0].nom if proches else None) == probable


def creer_partenaires_lunion(session: Session, territoire: Territoire) -> dict[str, Partenaire]:
    partenaires = {
        sigle or nom: Partenaire(nom=nom, sigle=sigle, territoires=[territoire]) for nom, sigle in PARTENAIRES_LUNION
    }
    session.add_all(partenaires.values())
    session.commit()
    return partenaires


PRESQUE_CONNUS = (
    ENTETE,
    "Mme;Agnès;Müller;Conseillère technique;Caf 31;agnes.muller@example.org;;COPIL",
    "M.;Karim;Benali;Adjoint;Mairie de l'Union;karim.benali@example.org;;COPIL",
    "M.;Paul;Roux;Directeur;Caf 31;paul.roux@example.org;;COTECH",
)


def test_un_organisme_proche_d_un_partenaire_n_est_pas_cree_en_silence(session: Session) -> None:
    territoire = creer_territoire(session)
    creer_partenaires_lunion(session, territoire)
    lignes = lire_contacts_csv(csv_windows(*PRESQUE_CONNUS), codes_instances=CODES)

    with pytest.raises(DonneesInvalides) as erreur:
        enregistrer_contacts(session, territoire, lignes, aujourd_hui=JANVIER)

    assert "--creer-organismes" in str(erreur.value)
    assert erreur.value.details == [
        "lignes 2 et 4, colonne « organisme » : « Caf 31 » ressemble à « Caisse d'allocations familiales de la "
        "Haute-Garonne » (sigle CAF) : écrivez « CAF » ou « Caisse d'allocations familiales de la Haute-Garonne », "
        "ou faites de « Caf 31 » un autre nom de ce partenaire (`ctg partenaires modifier CAF --autre-nom "
        '"Caf 31"`).',
        "ligne 3, colonne « organisme » : « Mairie de l'Union » ressemble à « Ville de L'Union » (sigle Ville) : "
        "écrivez « Ville » ou « Ville de L'Union », ou faites de « Mairie de l'Union » un autre nom de ce "
        'partenaire (`ctg partenaires modifier Ville --autre-nom "Mairie de l\'Union"`).',
    ]
    assert not session.new and not session.dirty
    assert (nombre(session, Personne), nombre(session, Partenaire)) == (0, len(PARTENAIRES_LUNION))


def test_un_autre_nom_du_partenaire_est_reconnu_a_l_import(session: Session) -> None:
    territoire = creer_territoire(session)
    partenaires = creer_partenaires_lunion(session, territoire)
    nommer_autrement(session, partenaires["CAF"], ajouter=["Caf 31"])
    nommer_autrement(session, partenaires["Ville"], ajouter=["Mairie de L'Union"])
    session.commit()

    bilan = importer(session, territoire, csv_windows(*PRESQUE_CONNUS), JANVIER)

    assert bilan.organismes_crees == []
    organismes = {p.email: p.fonction_actuelle.partenaire.sigle for p in session.scalars(select(Personne))}  # type: ignore[union-attr]
    assert organismes == {
        "agnes.muller@example.org": "CAF",
        "karim.benali@example.org": "Ville",
        "paul.roux@example.org": "CAF",
    }


def test_avec_creer_organismes_les_organismes_proches_sont_crees(session: Session) -> None:
    territoire = creer_territoire(session)
    creer_partenaires_lunion(session, territoire)
    lignes = lire_contacts_csv(csv_windows(*PRESQUE_CONNUS), codes_instances=CODES)

    bilan = enregistrer_contacts(session, territoire, lignes, aujourd_hui=JANVIER, creer_organismes=True)

    assert bilan.organismes_crees == ["Caf 31", "Mairie de l'Union"]
    assert nombre(session, Partenaire) == len(PARTENAIRES_LUNION) + 2


def test_un_autre_nom_qui_designe_deja_un_partenaire_est_refuse(session: Session) -> None:
    territoire = creer_territoire(session)
    partenaires = creer_partenaires_lunion(session, territoire)
    with pytest.raises(DonneesInvalides, match="« CCAS » désigne déjà le partenaire « Centre communal"):
        nommer_autrement(session, partenaires["CAF"], ajouter=["CCAS"])
    assert partenaires["CAF"].autres_noms == []

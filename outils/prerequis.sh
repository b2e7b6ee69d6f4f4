#!/usr/bin/env bash
# Les composants système dont ont besoin les PDF (LibreOffice, polices), la démonstration et les tests
# (second lecteur iCalendar, texte des PDF, serveur IMAP de test, navigateur des tests de l'application web).
# Appelé par `make demo` et `make test`.
#
# Sur Debian ou Ubuntu, en root (ou avec sudo sans mot de passe), ce qui manque est installé par apt-get ;
# sinon ce script dit quels paquets manquent et la commande qui les installe, sans échouer : les tests qui
# en ont besoin sont alors sautés, raison affichée (sauf sous CTG_TESTS_COMPLETS=1, où ils échouent).
# CTG_SANS_INSTALLATION=1 : ne rien installer, seulement dire ce qui manque.
set -uo pipefail

paquets=(
  libreoffice-writer-nogui   # Word → PDF
  fonts-crosextra-carlito    # Carlito : la police de Calibri, aux mêmes métriques (mise en page identique à Word)
  fonts-crosextra-caladea    # Caladea : celle de Cambria
  fonts-dejavu               # les caractères que Carlito n'a pas
  poppler-utils              # pdftotext, pdfinfo : relire les PDF produits (tests)
  gir1.2-ical-3.0 python3-gi # libical : un second lecteur des .ics, indépendant du nôtre (tests)
  dovecot-imapd openssl      # un vrai serveur IMAP sur la boucle locale et son certificat (tests)
  chromium                   # le navigateur que pilote Playwright pour les parcours de l'application web (tests)
)

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  echo "prerequis : ce n'est pas une Debian ni une Ubuntu ; installez LibreOffice et la police Carlito pour les PDF."
  exit 0
fi

manquants=()
for paquet in "${paquets[@]}"; do
  dpkg-query -W -f='${Status}' "$paquet" 2>/dev/null | grep -q "install ok installed" || manquants+=("$paquet")
done
[ ${#manquants[@]} -eq 0 ] && exit 0

if [ "${CTG_SANS_INSTALLATION:-0}" != "1" ]; then
  if [ "$(id -u)" -eq 0 ]; then
    avec=()
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    avec=(sudo -n)
  else
    avec=(absent)
  fi
  if [ "${avec[*]:-}" != "absent" ]; then
    echo "prerequis : installation de ${manquants[*]} (quelques minutes la première fois)…"
    export DEBIAN_FRONTEND=noninteractive
    if "${avec[@]}" apt-get update -qq && "${avec[@]}" apt-get install -y -qq --no-install-recommends "${manquants[@]}" >/dev/null; then
      exit 0
    fi
    echo "prerequis : l'installation a échoué (voir ci-dessus)."
  fi
fi
echo "prerequis : paquets manquants : ${manquants[*]}"
echo "  pour les installer : sudo apt-get install --no-install-recommends ${manquants[*]}"
echo "  sans eux, pas de PDF dans la démonstration, et les tests qui en ont besoin sont sautés (raison affichée)."
exit 0

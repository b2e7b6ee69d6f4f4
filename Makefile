# Deux commandes sur une machine neuve : `make demo` et `make test`.
# Chacune crée d'abord l'environnement Python (.venv) avec les versions vérifiées de contraintes.txt.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INSTALLE := $(VENV)/.installe
DEMO ?= demo-ctg

.PHONY: installer prerequis demo test verifier-style bench contraintes

$(INSTALLE): pyproject.toml contraintes.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "ctg-gouvernance demande Python 3.11 ou plus récent.")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c contraintes.txt -e '.[dev]'
	@touch $(INSTALLE)

installer: $(INSTALLE)

# Les paquets système (LibreOffice, polices, poppler, dovecot…) : installés s'ils manquent et qu'on le peut,
# sinon nommés avec la commande qui les installe (voir outils/prerequis.sh).
prerequis:
	@bash outils/prerequis.sh

# La démonstration complète, dans un dossier neuf ($(DEMO)/) : base SQLite, Prefect local, boîte d'envoi.
# Le serveur Prefect local d'une démonstration précédente est d'abord arrêté (sa base va être effacée).
demo: prerequis $(INSTALLE)
	if [ -d $(DEMO) ]; then CTG_HOME=$(DEMO) $(BIN)/ctg serveur arreter; fi
	rm -rf $(DEMO)
	CTG_HOME=$(DEMO) $(BIN)/ctg demo

# Tout ce que vérifie la CI : style, types, architecture, tests.
test: prerequis $(INSTALLE)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/pytest

# Après un changement de dépendances dans pyproject.toml : refaire le fichier de contraintes.
contraintes:
	rm -rf .venv-contraintes
	$(PYTHON) -m venv .venv-contraintes
	.venv-contraintes/bin/pip install --quiet --upgrade pip
	.venv-contraintes/bin/pip install --quiet '.[dev]'
	.venv-contraintes/bin/pip freeze --exclude-editable | grep -v '^ctg-gouvernance' > contraintes.txt
	rm -rf .venv-contraintes

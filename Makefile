# Comity: `make demo` runs the product, `make test` passes the tests.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml requirements/*.txt | sha256sum | cut -c1-12)

.PHONY: install demo test lint typecheck pytest messages bench clean

install: $(STAMP)

$(STAMP): pyproject.toml $(wildcard requirements/*.txt)
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Comity needs Python 3.11"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/pip install --quiet -r requirements/followthemoney-deps.txt
	$(BIN)/pip install --quiet --no-deps -r requirements/followthemoney.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

# The demo turns two-factor sign-in off (it says so on the sign-in page); a real node keeps it.
demo: install
	COMITY_OTP_REQUIRED_ROLES=none $(BIN)/comity demo

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy comity tests bench

# Tests run in parallel processes (pytest-xdist), one per core by default.
PYTEST_WORKERS ?= auto

pytest: install
	$(BIN)/comity makemigrations --check --dry-run
	$(BIN)/comity compilemessages --ignore=.venv --verbosity 0
	$(BIN)/pytest -n $(PYTEST_WORKERS)

test: lint typecheck pytest

messages: install
	cd comity && ../$(BIN)/comity makemessages -l ru -l fa --no-obsolete --ignore=tests

bench: install
	$(BIN)/python bench/incoming_box.py
	$(BIN)/python bench/legal_basis.py --rounds 3

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache

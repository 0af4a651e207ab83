# The two commands: `make run` (the app with demo data on http://127.0.0.1:5000, and the mail worker beside it)
# and `make test` (the whole suite).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
DEMO_PASSWORD ?= kunnskap2026
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test test-postgres install install-test system-deps translations db demo bench clean

# The mail worker runs in the background for as long as the server does, and is stopped with it.
run: install db demo
	@echo "Logg inn på http://$(HOST):$(PORT) som marianne.solbakk@bergen.kommune.no (FoU-rådgiver), passord $(DEMO_PASSWORD)"
	$(FLASK) mail worker & worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; trap 'exit 130' INT TERM; \
	$(FLASK) run --host $(HOST) --port $(PORT)

test: install-test system-deps
	$(BIN)/python -m pytest
	bash .ci/with-postgres.sh $(BIN)/python -m pytest -p no:cacheprovider -m "not load"

test-postgres: install-test system-deps
	bash .ci/with-postgres.sh $(BIN)/python -m pytest -p no:cacheprovider -m "not load"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed translations

install-test: $(VENV)/.installed-test translations

translations:
	$(BIN)/pybabel compile --use-fuzzy -d app/translations > /dev/null

system-deps:
	bash .ci/system-deps.sh

bench: install-test
	command -v wrk >/dev/null || { [ "$$(id -u)" -eq 0 ] && apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python -m benchmarks.run

db: install
	$(FLASK) db upgrade

demo: db
	$(FLASK) seed-demo --password $(DEMO_PASSWORD)

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info

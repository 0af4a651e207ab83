# The two commands: `make run` (the app with demo data on http://127.0.0.1:5000, and the mail worker beside it)
# and `make test` (the whole suite).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
DEMO_PASSWORD ?= kunnskap2026
HOST ?= 127.0.0.1
PORT ?= 5000

# `make lock` resolves pyproject.toml into pinned, hashed lock files with uv, kept in a venv of its own.
LOCK_TOOLS := .venv-lock
UV_VERSION := 0.13.9
UV_COMPILE := $(LOCK_TOOLS)/bin/uv pip compile pyproject.toml --quiet --universal --python-version 3.11 \
	--generate-hashes --custom-compile-command "make lock"

.PHONY: run test test-postgres mutation install install-test lock system-deps translations css db demo bench clean

# The mail worker runs in the background for as long as the server does, and is stopped with it.
run: install db demo
	@echo "Logg inn på http://$(HOST):$(PORT) som marianne.solbakk@bergen.kommune.no (FoU-rådgiver), passord $(DEMO_PASSWORD)"
	$(FLASK) mail worker & worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; trap 'exit 130' INT TERM; \
	$(FLASK) run --host $(HOST) --port $(PORT)

test: install-test system-deps
	$(BIN)/python -m pytest
	bash .ci/with-postgres.sh $(BIN)/python -m pytest -p no:cacheprovider -m "not load and not packaging"

test-postgres: install-test system-deps
	bash .ci/with-postgres.sh $(BIN)/python -m pytest -p no:cacheprovider -m "not load and not packaging"

# Not part of `make test`: mutmut mutates the pure modules listed in pyproject.toml ([tool.mutmut]) and runs the
# pure tests against each mutant, from scratch (mutants/ is mutmut's work folder; `$(BIN)/mutmut run` alone resumes
# it). Fails below 90 % detected; mutation/SURVIVORS.md explains the survivors.
mutation: $(VENV)/.installed-mutation system-deps
	rm -rf mutants
	$(BIN)/mutmut run
	$(BIN)/mutmut export-cicd-stats
	$(BIN)/mutmut results | $(BIN)/python mutation/score.py

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The dependencies exactly as locked, then the app itself without resolving anything; `pip check` fails when
# pyproject.toml asks for something the lock file does not hold (run `make lock`).
$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m pip check
	touch $@

$(VENV)/.installed-test: requirements-test.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-test.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m pip check
	touch $(VENV)/.installed $@

# The test lock plus mutmut (requirements-mutation.lock is the test lock with the mutation extra added).
$(VENV)/.installed-mutation: requirements-mutation.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-mutation.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m pip check
	touch $(VENV)/.installed $(VENV)/.installed-test $@

install: $(VENV)/.installed translations css

install-test: $(VENV)/.installed-test translations css tests/oidc/node_modules/.installed

# The OpenID provider the tests sign in at (tests/oidc: the npm package oidc-provider, as locked).
tests/oidc/node_modules/.installed: tests/oidc/package.json tests/oidc/package-lock.json
	cd tests/oidc && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Pins that still satisfy pyproject.toml are kept; delete a lock file first to move everything to the newest.
lock: $(LOCK_TOOLS)/bin/uv
	$(UV_COMPILE) -o requirements.lock
	$(UV_COMPILE) --extra test --constraint requirements.lock -o requirements-test.lock
	$(UV_COMPILE) --extra test --extra mutation --constraint requirements-test.lock -o requirements-mutation.lock

$(LOCK_TOOLS)/bin/uv:
	$(PYTHON) -m venv $(LOCK_TOOLS)
	$(LOCK_TOOLS)/bin/python -m pip install --quiet uv==$(UV_VERSION)

translations:
	$(BIN)/pybabel compile --use-fuzzy -D messages -d app/translations > /dev/null
	$(BIN)/pybabel compile -D wtforms -d app/translations > /dev/null

# Designsystemet (Digdir): its theme (tokens) and component CSS from the npm package pinned in package-lock.json, copied
# into a git-ignored folder the app serves as static files (no CDN). npm comes with Debian's nodejs.
DS_PACKAGE := node_modules/@digdir/designsystemet-css
DS_STATIC := app/static/vendor/designsystemet

css: $(DS_STATIC)/theme.css

$(DS_STATIC)/theme.css: package.json package-lock.json
	command -v npm >/dev/null || { [ "$$(id -u)" -eq 0 ] && apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; } || \
		{ echo "Mangler npm. Installer det med: sudo apt-get install npm" >&2; exit 1; }
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	rm -rf $(DS_STATIC) && mkdir -p $(DS_STATIC)
	cp $(DS_PACKAGE)/LICENSE $(DS_STATIC)/LICENSE
	cp $(DS_PACKAGE)/dist/src/index.css $(DS_STATIC)/components.css
	cp $(DS_PACKAGE)/dist/theme/designsystemet.css $@

system-deps:
	bash .ci/system-deps.sh

bench: install-test
	command -v wrk >/dev/null || { [ "$$(id -u)" -eq 0 ] && apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python -m benchmarks.run

db: install
	$(FLASK) db upgrade

# seed-demo refuses (exit 2) a database with accounts it did not make, e.g. one added while trying the app: it says
# so, and the app is served with the data it has. Its signed agreements are sealed with a test certificate (README,
# "Sealed agreements").
demo: db
	$(FLASK) agreements make-test-seal --keep
	$(FLASK) seed-demo --password $(DEMO_PASSWORD) || test $$? -eq 2

clean:
	rm -rf $(VENV) $(LOCK_TOOLS) .pytest_cache build *.egg-info node_modules $(DS_STATIC)

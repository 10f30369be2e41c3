# Two commands on a fresh machine: `make run` and `make test`. Everything else is set up by them.
# The first supported interpreter on PATH (3.11, 3.12 or 3.13); override with `make run PYTHON=/path/to/python`.
PYTHON ?= $(shell for p in python3.11 python3.12 python3.13 python3; do command -v $$p >/dev/null 2>&1 && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test test-core setup browser bench bench-web bench-web-cpu snapshot clean lint typecheck lock lock-upgrade messages compile-messages
.PHONY: test-postgres

setup: $(STAMP)

# Exactly the versions in requirements.lock (the whole tree, dev tools included), then the package itself.
$(STAMP): pyproject.toml requirements.lock
	@# Debian's Pango and DejaVu fonts for the plan's PDF (WeasyPrint; DejaVu draws Sámi letters such as ŋ)
	@if ! fc-list 2>/dev/null | grep -q DejaVuSans || ! ldconfig -p 2>/dev/null | grep -q libpangoft2; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fontconfig >/dev/null; \
	  else echo "The plan's PDF needs Debian's Pango and DejaVu: sudo apt-get install libpangoft2-1.0-0 fonts-dejavu-core"; fi; fi
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

## Re-resolve requirements.lock after a change to the ranges in pyproject.toml: pins already in the lock are
## kept where they still fit, new dependencies get their newest fitting version (see docs/development.md).
LOCK_ARGS := pyproject.toml --extra dev --extra postgres --extra redis --extra rq --universal --python-version 3.11 --no-header \
	--output-file requirements.lock
lock: setup
	$(BIN)/uv pip compile --quiet $(LOCK_ARGS)

## Move every pin in requirements.lock to the newest version its range allows (then run the tests).
lock-upgrade: setup
	$(BIN)/uv pip compile --quiet --upgrade $(LOCK_ARGS)

## The core's tests (stats, demography, plan, cli) on another Python, in its own venv made from the lock:
## make test-core PYTHON=/root/.pyenv/versions/3.13.0/bin/python CORE_VENV=.venv-3.13
CORE_VENV ?= .venv-core
test-core:
	$(PYTHON) -m venv $(CORE_VENV)
	$(CORE_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(CORE_VENV)/bin/python -m pip install --quiet -r requirements.lock
	$(CORE_VENV)/bin/python -m pip install --quiet --no-deps -e .
	$(CORE_VENV)/bin/python -m pytest -q -m "not browser" tests/stats tests/demography tests/plan tests/cli

## Set up and run the web app on the embedded default (SQLite + bundled SSB data).
run: setup
	$(BIN)/blilyst web serve

## Set up and run the whole test suite (SQLite; browser tests use Debian's chromium).
test: setup browser
	$(BIN)/python -m pytest

## The same tests against PostgreSQL (DATABASE_URL must point at a server).
test-postgres: setup browser
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(BIN)/python -m pytest -m "not browser" tests/web

## Debian's chromium for the playwright browser tests (playwright's own browser download is not used).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Browser tests need Debian's chromium: sudo apt-get install chromium"; fi; }

## Lint and format check (CI runs this before the tests).
lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

## Type check (mypy; strict on stats, demography and plan, see [tool.mypy] in pyproject.toml). CI runs it before the tests.
typecheck: setup
	$(BIN)/mypy

## Extract every message into its gettext catalog, for bokmål (nb), nynorsk (nn) and English (en):
## the core's (Django-free) texts into src/blilyst/locale/<lang>/LC_MESSAGES/blilyst.po with pybabel, and the web
## app's into each Django app's locale/<lang>/LC_MESSAGES/django.po (the project catalog src/blilyst/web/locale
## takes apps without one) with Django's makemessages. No source locations, so merges stay small. English catalogs
## translate each message to itself (tools/english_catalogs.py), fuzzy guesses replaced; nb and nn are translated by
## hand, and tests/test_catalogs.py fails on any entry left empty or fuzzy.
CORE_SOURCES := src/blilyst/stats src/blilyst/demography src/blilyst/plan src/blilyst/cli src/blilyst/errors.py src/blilyst/matchwords.py \
	src/blilyst/cachestore.py src/blilyst/matching.py src/blilyst/i18n.py
I18N_LANGUAGES := nb nn en
# The public front door also speaks Polish and Ukrainian: its own catalogs only, kept by hand (they also hold the
# privacy consent text, which makemessages would drop), compiled here.
PUBLIC_ONLY_LANGUAGES := pl uk
# Click's and Typer's own texts ("Usage:", "Options", "Missing option", "No such command" ...) are marked for the
# standard library's gettext in the installed packages: extracted from there (so `make messages` after the lock
# moves brings their new texts) into a catalog of their own, src/blilyst/locale/<lang>/LC_MESSAGES/click.po, which
# blilyst.cli hands to the standard library for each command (tests/cli/test_cli_click_texts.py checks it is current).
CLICK_SOURCES = $$($(BIN)/python -c 'import pathlib, click, typer; print(*(pathlib.Path(m.__file__).parent for m in (click, typer)))')
messages: setup
	mkdir -p build
	$(BIN)/pybabel -q extract --no-location --sort-output --no-wrap -k ngettext_noop:1,2 --project blilyst -o build/blilyst.pot $(CORE_SOURCES)
	for lang in $(I18N_LANGUAGES); do \
	  $(BIN)/pybabel -q update --no-wrap -i build/blilyst.pot -d src/blilyst/locale -D blilyst -l $$lang --ignore-obsolete; \
	done
	cd src/blilyst/web && DJANGO_SETTINGS_MODULE=blilyst.web.settings PYTHONPATH=$(CURDIR)/src $(abspath $(BIN))/django-admin \
	  makemessages --no-location --no-obsolete --no-wrap --verbosity 0 $(addprefix -l ,$(I18N_LANGUAGES))
	$(BIN)/pybabel -q extract --no-location --sort-output --no-wrap --project click -o build/click.pot $(CLICK_SOURCES)
	for lang in $(I18N_LANGUAGES); do \
	  $(BIN)/pybabel -q update --init-missing --no-wrap -i build/click.pot -d src/blilyst/locale -D click -l $$lang --ignore-obsolete; \
	done
	$(BIN)/python tools/english_catalogs.py src/blilyst/locale/en/LC_MESSAGES/blilyst.po src/blilyst/locale/en/LC_MESSAGES/click.po \
	  $$(find src/blilyst/web -path '*/locale/en/LC_MESSAGES/django.po')

## Compile the catalogs (.po → .mo); the .mo files are committed so an install needs no gettext tools.
compile-messages: setup
	$(BIN)/pybabel compile -d src/blilyst/locale -D 'blilyst click' --statistics
	cd src/blilyst/web && DJANGO_SETTINGS_MODULE=blilyst.web.settings PYTHONPATH=$(CURDIR)/src $(abspath $(BIN))/django-admin \
	  compilemessages --verbosity 0 $(addprefix -l ,$(I18N_LANGUAGES) $(PUBLIC_ONLY_LANGUAGES))

## Benchmarks (bench/), with baselines run in the same process.
bench: setup
	$(BIN)/python -m pytest bench -o python_files='bench_*.py' --benchmark-only

## 100 users over two app processes on 100 municipalities x 1 000 households (PostgreSQL and Redis on
## 127.0.0.1; see docs/production.md). On a quiet machine: its figures include the load average.
## BENCH_ARGS="--quick" for a small run; "--model reading" or "--model stress" for one user model.
bench-web: setup
	$(BIN)/python bench/bench_web_two_processes.py $(BENCH_ARGS)

## CPU time and queries per request of the household pages, in one process (sizes a deployment; see
## docs/production.md). PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres.
bench-web-cpu: setup
	$(BIN)/python bench/bench_web_cpu.py $(BENCH_ARGS)

## Rebuild the bundled snapshot from data/raw (maintainers only; the result is committed).
snapshot: setup
	$(BIN)/blilyst data build-snapshot

clean:
	rm -rf $(VENV) .venv-3.12 .venv-3.13 .venv-core .pytest_cache

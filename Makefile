# KY Debitor — the two front-door commands are `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
KOMMUNE ?= 101
KONTI ?= 3000

.PHONY: demo test test-fast venv lint typecheck check clean

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

venv: $(BIN)/.installed

# The demo shows what a user sees: debug off (Danish error pages, no settings on a page), over
# plain http on 127.0.0.1 (no HTTPS redirect, HSTS or secure-only cookies); static files are
# served by WhiteNoise straight from the apps.
DEMO_MILJOE := DJANGO_DEBUG=0 DJANGO_HTTPS=0

## Set everything up and serve the demo on http://127.0.0.1:8000 (SQLite, in-process tasks).
demo: venv
	$(DEMO_MILJOE) $(BIN)/python manage.py migrate --no-input
	$(DEMO_MILJOE) $(BIN)/python manage.py opret_demobrugere --kommune $(KOMMUNE)
	$(DEMO_MILJOE) $(BIN)/python manage.py generer_demodata --kommune $(KOMMUNE) --konti $(KONTI) --seed 1 --hvis-tom
	$(DEMO_MILJOE) $(BIN)/python manage.py sagstilknytning --kommune $(KOMMUNE)
	$(DEMO_MILJOE) $(BIN)/python manage.py saml_demodata --kommune $(KOMMUNE)
	$(DEMO_MILJOE) $(BIN)/python manage.py runserver 127.0.0.1:8000

# Tests run on every core (pytest-xdist: one test database and KY_VAR_DIR per process; the
# tests on real Celery workers take the test Redis in turn). TEST_WORKERS=0: one process.
TEST_WORKERS ?= auto
XDIST := -n $(TEST_WORKERS)

## Run the whole test suite (PostgreSQL when DATABASE_URL is set, SQLite otherwise).
test: venv
	$(BIN)/python manage.py collectstatic --no-input -v0
	$(BIN)/python -m pytest $(XDIST) $(PYTEST_ARGS)

## The fast loop: everything but the slow (enumerating, property, fuzz, worker) and browser tests.
test-fast: venv
	$(BIN)/python manage.py collectstatic --no-input -v0
	$(BIN)/python -m pytest $(XDIST) -m "not slow and not browser" $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: venv
	$(BIN)/mypy .

check: lint typecheck test

clean:
	rm -rf $(VENV) var staticfiles test-artifacts

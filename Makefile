# Two commands do everything on a fresh clone:
#   make demo   – virtualenv, dependencies, SQLite database, demo data, server on :8000
#   make test   – the whole test suite (unit, property, database, browser)
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo demo-code test lint format check-deploy bench clean frontend

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo "Serving the demo on http://$(HOST):$(PORT)/ – press Ctrl+C to stop"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# The sign-in code a demo person's phone would show: make demo-code who=priya
demo-code: $(STAMP)
	@$(BIN)/python manage.py demo_code $(who)

test: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy --strict rules
	$(BIN)/lint-imports --no-cache
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy --strict rules
	$(BIN)/lint-imports --no-cache

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check-deploy: $(STAMP)
	DJANGO_ENV=production SECRET_KEY=check-deploy-$$(date +%s)-a-long-random-looking-secret-value-xyz ALLOWED_HOSTS=prebirth.example.org DOCUMENTS_SCANNER=tcp://127.0.0.1:3310 \
	  $(BIN)/python manage.py check --deploy --fail-level WARNING

bench: $(STAMP)
	$(BIN)/python bench/run.py --cases $${BENCH_CASES:-100000} --output var/bench-report.md

frontend:
	scripts/build_frontend.sh

clean:
	rm -rf $(VENV) var/*.sqlite3 .pytest_cache .ruff_cache

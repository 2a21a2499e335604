# Two commands: `make run` and `make test` (see README). Everything else is a helper target.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test up down lint contracts bench-events clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c "import sys; sys.exit(sys.version_info < (3, 11))" || { echo "Python 3.11 or newer is needed"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m gateway.embedded

test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(PY) -m pytest -m "not timing"
	$(PY) -m pytest -m timing  # S3's timing comparisons alone, after the rest: nothing else loads the machine

# The distributed mode on this machine under supervisor (deploy/up.py; README "make up"): Ctrl-C or
# `make down` (from another terminal) stops it.
up: $(STAMP)
	$(PY) -m deploy.up

down: $(STAMP)
	$(PY) -m deploy.up down

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

# The events catalogue from the code, then the released contracts (contracts/released/: what changed
# compatibly is released; a breaking change is refused with exit 1 — contracts/release.py).
contracts: $(STAMP)
	$(PY) -m contracts.generate
	$(PY) -m contracts.release

bench-events: $(STAMP)
	$(PY) bench/events.py

clean:
	rm -rf $(VENV) var/*.db var/mail

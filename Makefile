# Every target builds or reuses .venv from this project's own files:
# pyproject.toml says what we need, constraints.txt pins the versions we test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint format bench readme mutation clean bytecode

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	$(MAKE) --no-print-directory bytecode
	touch $(STAMP)

# An installed wheel has its bytecode written by pip; a checkout installed in place
# (pip install -e) gets none where PYTHONDONTWRITEBYTECODE is set, and every
# `reconciler` command would compile its modules first (a third of a second).
bytecode:
	@$(BIN)/python -m compileall -q reconciler

DEMO_WORKBOOK := demo-workbook

demo: $(STAMP) bytecode
	$(BIN)/reconciler validate examples/company.yaml
	$(BIN)/reconciler plan examples/company.yaml --sandbox
	@echo
	@echo "== The workbook loop (driver: workbook, the one a real Ledgy account supports) =="
	rm -rf $(DEMO_WORKBOOK) && mkdir $(DEMO_WORKBOOK)
	sed 's/^  driver: api /  driver: workbook /' examples/company.yaml > $(DEMO_WORKBOOK)/company.yaml
	$(BIN)/reconciler sandbox init $(DEMO_WORKBOOK) --size 60 --config $(DEMO_WORKBOOK)/company.yaml
	$(BIN)/reconciler apply $(DEMO_WORKBOOK)/company.yaml --sandbox-dir $(DEMO_WORKBOOK) | sed -n '/^Prepared/,$$p'
	$(BIN)/reconciler sandbox upload $(DEMO_WORKBOOK) $(DEMO_WORKBOOK)/ledgy-upload/*
	$(BIN)/reconciler plan $(DEMO_WORKBOOK)/company.yaml --sandbox-dir $(DEMO_WORKBOOK) | head -n 2

# Tests run in parallel (pytest-xdist): most of their time is spent waiting on
# loopback servers, subprocesses and fresh venvs, not on the CPU.
WORKERS ?= 2

test: $(STAMP)
	$(BIN)/python -m pytest -q -n $(WORKERS)

lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/reconciler schema --check

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Regenerate the console samples in README.md and docs/ from the commands they show.
readme: $(STAMP)
	$(BIN)/python scripts/docs_samples.py --update

bench: $(STAMP) bytecode
	$(BIN)/python bench/fetch.py
	$(BIN)/python bench/apply.py
	$(BIN)/python bench/plan.py
	$(BIN)/python bench/saved_plan.py
	$(BIN)/python bench/identity_check.py
	$(BIN)/python bench/hostile.py
	$(BIN)/python bench/e2e.py --sizes 10000
	$(BIN)/python bench/install.py

# Mutation testing of engine/, render/, config/ and github/ (settings: [tool.mutmut] in
# pyproject.toml); mutmut is installed on demand, it is not part of the test environment.
# Every mutant takes hours on two cores; SAMPLE=N scores a seeded, uniform sample of N.
SAMPLE ?= 0

mutation: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt mutmut
	rm -rf mutants
ifeq ($(SAMPLE),0)
	$(BIN)/mutmut run --max-children 2 >/dev/null 2>&1 || true
	$(BIN)/python scripts/mutation_score.py
else
	# Running one mutant makes them all (and the test statistics); then the sample runs.
	$(BIN)/mutmut run --max-children 2 'reconciler.engine.diff.*__mutmut_1' >/dev/null 2>&1 || true
	names=$$($(BIN)/python scripts/mutation_score.py --sample $(SAMPLE) --names); \
	  [ -z "$$names" ] || $(BIN)/mutmut run --max-children 2 $$names >/dev/null 2>&1 || true
	$(BIN)/python scripts/mutation_score.py --sample $(SAMPLE)
endif

clean:
	rm -rf $(VENV) mutants

# Two commands do all the set-up (see README):
#   make run   - create .venv if needed, install, run the pipeline on the example inputs
#   make test  - same set-up, then the whole test suite
# Both are idempotent: a second `make run` finds nothing to do.

PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(not (3, 11) <= sys.version_info < (3, 14))' \
	&& echo $$p && break; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CORES ?= 2

.PHONY: run test lint lock clean-results example-data report-bundle update-deflators

# Exact versions from requirements.lock (with hashes), then the project itself without
# resolving anything again: every machine runs the same code. `make lock` refreshes the lock.
$(STAMP): pyproject.toml requirements.lock
	@test -n "$(PYTHON)" || { echo "Python 3.11 to 3.13 is needed (python3 --version)"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

lock: $(STAMP)
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra test --universal --fork-strategy fewest \
		--python-version 3.11 --generate-hashes --custom-compile-command "make lock" \
		-o requirements.lock
	@echo "requirements.lock refreshed: update environment.yml to the same versions (make test checks)"

run: $(STAMP)
	$(BIN)/snakemake --cores $(CORES)
	@echo ""
	@echo "Done. Outputs are in results/:"
	@echo "  results/manifest.csv                 checksums of every input"
	@echo "  results/<authority>/ingest/          validated, normalised input tables"
	@echo "  results/<authority>/published/       disclosure-controlled tables and figures"
	@echo "  results/reports/                     the reports, HTML and PDF: start at results/reports/index.html"

test: $(STAMP)
	$(BIN)/python -m pytest

PY_SOURCES := analysis workflow/scripts survey tests benchmarks

lint: $(STAMP)
	$(BIN)/ruff check $(PY_SOURCES)
	$(BIN)/ruff format --check $(PY_SOURCES)
	$(BIN)/snakefmt --check Snakefile workflow/
	$(BIN)/snakemake --lint

# A new HM Treasury GDP deflator release (xlsx or csv as downloaded from gov.uk):
#   make update-deflators FILE=GDP_Deflators_Qtrly_National_Accounts_June_2026_update.xlsx
# validates it and rewrites analysis/data/gdp_deflators.csv with its vintage (VINTAGE=hmt_2026_06
# when the file name names no month and year).
update-deflators: $(STAMP)
	@test -n "$(FILE)" || { echo "usage: make update-deflators FILE=<HM Treasury release>"; exit 2; }
	$(BIN)/python -m analysis.costs.deflator_update "$(FILE)" $(if $(VINTAGE),--vintage "$(VINTAGE)")

example-data: $(STAMP)
	$(BIN)/python survey/generate_example.py

clean-results:
	rm -rf results logs

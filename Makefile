# Sổ tay — the two commands: `make run` (set up, ingest corpus/, serve) and `make test`.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
export PIP_DISABLE_PIP_VERSION_CHECK=1

.PHONY: run test install install-dev eval bench durability search-quality clean

$(BIN)/python:
	@command -v $(PY) >/dev/null 2>&1 || { echo "Cần Python 3.11 ($(PY))"; exit 1; }
	$(PY) -m venv $(VENV)

# torch is pinned to the local CPU wheel before anything can pull a CUDA build.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q "torch==2.13.0"
	$(BIN)/pip install -q -e ".[dense,dev]"
	@touch $(STAMP)

# axe-core for the browser journeys' accessibility checks (tests/journeys/axe/package-lock.json); skipped
# without npm (the checks then skip, or fail under CI=true).
AXE := tests/journeys/axe/node_modules/axe-core/axe.min.js
$(AXE): tests/journeys/axe/package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --prefix tests/journeys/axe --no-audit --no-fund --silent; \
	else echo "npm not found: the axe checks will be skipped"; fi

install: $(STAMP)

run: $(STAMP)
	$(BIN)/sotay ingest corpus
	$(BIN)/sotay serve --host $(HOST) --port $(PORT)

test: $(STAMP) $(AXE)
	$(BIN)/python -m pytest -q

search-quality: $(STAMP)
	$(BIN)/python -m eval.search_quality

# Every question set on corpus/ + ../shared/eval/corpus-dev/, each Sổ tay variant side by side; failing
# questions in eval/out/failures.txt. EVAL_ARGS: e.g. "--quick", "--peers", "--variants sparse sparse+minilm".
EVAL_ARGS ?=
eval: $(STAMP)
	$(BIN)/python -m eval.run $(EVAL_ARGS)

bench: $(STAMP)
	$(BIN)/python -m eval.bench

# SIGKILL loops (CLI ingest, HTTP upload) and backup/restore/migrate timings; figures in eval/out/durability.json
durability: $(STAMP)
	$(BIN)/python -m eval.durability

clean:
	rm -rf $(VENV) data .pytest_cache

# Sổ tay — the two commands: `make run` (set up, ingest corpus/, serve) and `make test`.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
export PIP_DISABLE_PIP_VERSION_CHECK=1

.PHONY: run test install install-dev eval bench durability search-quality ocr-quality office-fidelity tools clean

# The system packages the readers need (Debian): .doc/.odt/.rtf → LibreOffice; scanned PDFs → Tesseract
# with its Vietnamese model and poppler. Without them those files are refused with the reason.
READER_PACKAGES := libreoffice-writer-nogui tesseract-ocr tesseract-ocr-vie poppler-utils

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

# Says which formats lack their tool (and the apt-get line); installs them when run as root with apt.
tools: $(STAMP)
	@$(BIN)/python -m ingest.readers || true
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && ! $(BIN)/python -c "import sys, ingest.readers as r; sys.exit(bool(r.missing_tools()))"; then \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(READER_PACKAGES) >/dev/null) \
	    && $(BIN)/python -m ingest.readers || echo "Không cài được $(READER_PACKAGES); các định dạng đó sẽ bị từ chối."; fi

run: $(STAMP) tools
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
	$(BIN)/python -m eval.ocr_quality

# OCR character error rate per document (scans made at 300 dpi); .doc converter fidelity
ocr-quality: $(STAMP)
	$(BIN)/python -m eval.ocr_quality

office-fidelity: $(STAMP)
	$(BIN)/python -m eval.office_fidelity

# ...then what a dense model would cost (query embedding, passages/s, 200k chunks; eval/out/bench-dense.json).
# SOTAY_BENCH_MILLION=1 adds 1M chunks (a province's whole archive; hours here, ~10 GB of disk).
bench: $(STAMP)
	$(BIN)/python -m eval.bench
	$(BIN)/python -m eval.bench_dense

# SIGKILL loops (CLI ingest, HTTP upload) and backup/restore/migrate timings; figures in eval/out/durability.json
durability: $(STAMP)
	$(BIN)/python -m eval.durability

clean:
	rm -rf $(VENV) data .pytest_cache

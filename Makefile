# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install sample bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# torch is installed first, pinned: pip takes the CPU wheel that lies on these machines
# instead of downloading a multi-GB CUDA build.
$(STAMP): pyproject.toml $(BIN)/python
	$(BIN)/pip install --upgrade pip
	$(BIN)/pip install "torch==2.13.0"
	$(BIN)/pip install -e ".[dev]"
	touch $(STAMP)

# @tensorflow/tfjs for checking TF.js translations, from the committed lockfile, into the project (never
# globally). Without npm the translations are still written; `reader-app translate` says how to check them.
TFJS_DIR := reader_app/translate/node
TFJS_STAMP := $(TFJS_DIR)/node_modules/.installed

$(TFJS_STAMP): $(TFJS_DIR)/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		cd $(TFJS_DIR) && npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.installed; \
	else echo "npm not found: TF.js translations will be written but not run (install Node.js 18+)"; fi

# The layer libraries research models build on (timm, einops, ...), for zero-config traces: pinned in
# packaging/model-libraries.txt, --no-deps so pip never brings torch or torchvision (reader_app/trace/libraries.py).
LIBS_DIR := $(VENV)/model-libraries
LIBS_STAMP := $(LIBS_DIR)/.installed

$(LIBS_STAMP): packaging/model-libraries.txt $(STAMP)
	rm -rf $(LIBS_DIR)
	$(BIN)/pip install --no-deps --target $(LIBS_DIR) -r packaging/model-libraries.txt
	touch $(LIBS_STAMP)

install: $(STAMP) $(TFJS_STAMP) $(LIBS_STAMP)

sample: $(STAMP)
	$(BIN)/python -m reader_app.sample

run: install
	$(BIN)/reader-app $(ARGS)

test: install
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q $(PYTEST_ARGS)

bench: install
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) build dist *.egg-info $(TFJS_DIR)/node_modules

# The one-folder bundle dist/reader-app/ (PyInstaller, several minutes of CPU; not part of `make test`).
# `make smoke` then runs the built bundle offscreen: screenshot timing, a trace, its size.
.PHONY: package smoke
PYINSTALLER := $(BIN)/pyinstaller

$(PYINSTALLER): | $(STAMP)
	$(BIN)/pip install "pyinstaller==6.22.3" "pyinstaller-hooks-contrib==2026.9"

package: $(STAMP) $(PYINSTALLER)
	$(PYINSTALLER) --noconfirm --clean --distpath dist --workpath build/pyinstaller packaging/reader-app.spec

smoke: $(STAMP)
	$(BIN)/python packaging/smoke.py dist/reader-app

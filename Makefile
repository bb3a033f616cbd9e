# Two commands do everything on a fresh clone: `make run` and `make test`.
# Each sets up .venv (only python3 is needed) before doing its job.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
EVAL   ?= ../shared/eval

.PHONY: run test bench bench-dedup bench-engines bench-html lint eval setup clean

setup: $(STAMP)

# Reinstall when the project's dependencies change.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/cleaner clean seeds -o out --html out/report.html

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/run.py --eval $(EVAL)

# Deduplication at scale: 200,000 documents with planted copies (about 30 minutes).
bench-dedup: $(STAMP)
	$(BIN)/python bench/dedup_scale.py --eval $(EVAL) --docs 200000 --baseline

# The local and the Dask executor on the same corpus: equal bytes, time and memory of each.
bench-engines: $(STAMP)
	$(BIN)/python bench/engines.py --eval $(EVAL) --docs 200000
	$(BIN)/python bench/cluster_steps.py --eval $(EVAL) --docs 200000

# The HTML report of a 10,000-document run: size, and time to interactive in
# headless Debian chromium (apt-get install chromium); the README's screenshots.
bench-html: $(STAMP)
	$(BIN)/python bench/html_report.py --eval $(EVAL) --docs 10000 --screenshots docs

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Each script exits 1 when it misses a target; "-" runs the next one all the same.
# The spun-text eval's spinner needs the eval extra (WordNet) and, for French,
# Debian's mythes-fr thesaurus (apt-get install mythes-fr).
eval: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,eval]'
	-$(BIN)/python scripts/eval_mojibake.py $(EVAL)
	-$(BIN)/python scripts/eval_boilerplate.py $(EVAL)
	-$(BIN)/python scripts/eval_langid.py $(EVAL)
	-$(BIN)/python scripts/eval_neardup.py $(EVAL)
	-$(BIN)/python scripts/eval_shingles.py $(EVAL)
	-$(BIN)/python scripts/eval_spun.py $(EVAL)
	-$(BIN)/python scripts/eval_xling.py $(EVAL)

clean:
	rm -rf out .pytest_cache build *.egg-info

# The course's commands. Each one creates and fills .venv on first use, then reuses it.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
FIRST  := notebooks/00_what_is_a_large_model.ipynb

.PHONY: lab lab-zh test test-e2e install clean

# torch first, the build that fits this machine (CPU-only without an NVIDIA GPU; nothing if a
# torch in requirements.txt's range is there already): see tools/install_torch.py.
$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python tools/install_torch.py
	$(BIN)/python -m pip install -r requirements.txt
	@touch $(STAMP)

install: $(STAMP)  ## create .venv and install the course into it

ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

lab: $(STAMP)  ## open the course in JupyterLab (with a token, as always)
	$(BIN)/jupyter lab $(ROOT_FLAG) --LabApp.default_url=/lab/tree/$(FIRST)

# 中文版: the Chinese edition, notebooks/zh/, built from the English by tools/translate.py
lab-zh: $(STAMP)  ## open the Chinese edition (中文版) in JupyterLab, at notebooks/zh/00_*
	$(BIN)/jupyter lab $(ROOT_FLAG) --LabApp.default_url=/lab/tree/notebooks/zh/$(notdir $(FIRST))

test: $(STAMP)  ## unit tests + every notebook under nbval, fast mode, offline
	COURSE_FAST=1 COURSE_OFFLINE=1 $(BIN)/python -m pytest

E2E_STAMP := $(VENV)/.installed-e2e

$(E2E_STAMP): $(STAMP) tests/e2e/requirements.txt
	$(BIN)/python -m pip install -r tests/e2e/requirements.txt
	@touch $(E2E_STAMP)

test-e2e: $(E2E_STAMP)  ## the course in real JupyterLab + Debian's headless Chromium (apt-get install chromium)
	COURSE_FAST=1 COURSE_OFFLINE=1 $(BIN)/python -m pytest tests/e2e -v

clean:
	rm -rf build test-artifacts .pytest_cache

# ---- teaching tools (docs/TEACHING.md). FULL=1 runs the notebooks in full mode instead of fast.
.PHONY: student slides site dev student-zh slides-zh site-zh nbgrader-zh
MODE := $(if $(FULL),--full,)

student: $(STAMP)  ## student copies, solutions removed, into build/student/
	$(BIN)/python tools/make_student.py --out build/student

student-zh: $(STAMP)  ## the Chinese edition's student copies, into build/student/zh/
	$(BIN)/python tools/make_student.py --lang zh --out build/student/zh

.PHONY: nbgrader grade
nbgrader: $(STAMP)  ## an nbgrader course folder (source/<notebook>/, nbgrader_config.py) in build/nbgrader/; nbgrader itself: make dev
	$(BIN)/python tools/make_nbgrader.py --out build/nbgrader

nbgrader-zh: $(STAMP)  ## the Chinese edition's nbgrader course folder, build/nbgrader/zh/
	$(BIN)/python tools/make_nbgrader.py --lang zh --out build/nbgrader/zh

grade: $(STAMP)  ## grade a class: make grade SUBMISSIONS=folder (one folder per student) [JOBS=4] -> build/grades/grades.csv, summary.md
	@test -n "$(SUBMISSIONS)" || { echo "usage: make grade SUBMISSIONS=folder-with-one-folder-per-student [JOBS=4] [FULL=1]"; exit 2; }
	$(BIN)/python tools/grade.py "$(SUBMISSIONS)" --out build/grades --jobs $(or $(JOBS),1) $(MODE)

# reveal.js and MathJax for the decks and the site, installed once with npm (tools/vendor_js.py)
VENDOR_STAMP := build/vendor/.installed
$(VENDOR_STAMP): tools/vendor_js.py
	$(BIN)/python tools/vendor_js.py
	@touch $(VENDOR_STAMP)

slides: $(STAMP) $(VENDOR_STAMP)  ## a 1280x720 reveal.js deck per notebook, executed once (shared with the site), into build/slides/; works offline
	$(BIN)/python tools/build_slides.py --out build/slides $(MODE)

slides-zh: $(STAMP) $(VENDOR_STAMP)  ## the Chinese edition's decks, titled in Chinese, into build/slides/zh/
	$(BIN)/python tools/build_slides.py --lang zh --out build/slides/zh $(MODE)

SITE_STAMP := $(VENV)/.installed-site
$(SITE_STAMP): $(STAMP) site/requirements.txt
	$(BIN)/python -m pip install -r site/requirements.txt
	@touch $(SITE_STAMP)

site: $(SITE_STAMP) $(VENDOR_STAMP)  ## the course's website (Sphinx + myst-nb), notebooks executed once (shared with the decks), into build/site/
	$(BIN)/python tools/build_site.py --out build/site $(MODE)

site-zh: $(SITE_STAMP) $(VENDOR_STAMP)  ## the Chinese edition's website, into build/site/zh/ (inside the English one)
	$(BIN)/python tools/build_site.py --lang zh --out build/site/zh $(MODE)

dev: $(STAMP)  ## developer tools (jupyter-repo2docker for tests/test_binder.py)
	$(BIN)/python -m pip install -r requirements-dev.txt

# ---- benchmarks (not tests): figures printed and written to benchmarks/RESULTS.md
.PHONY: bench
BENCH_STAMP := $(VENV)/.installed-bench

$(BENCH_STAMP): $(STAMP) benchmarks/requirements.txt
	$(BIN)/python -m pip install -r benchmarks/requirements.txt
	@touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)  ## Keras recipe vs course, machine limit, NumPy vs PyTorch MLP, notebook times
	$(BIN)/python benchmarks/run_all.py

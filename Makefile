# keel: the two commands of the README.
#   make demo   install what is missing, build, run the main job on ./keel.db
#   make test   install what is missing, build with warnings as errors, run the default suite
BUILD ?= build
ASAN_BUILD ?= build-asan
JOBS ?= $(shell nproc)
CONFIGURE = cmake -S . -G Ninja -DCMAKE_BUILD_TYPE=Release

.PHONY: all setup build demo test test-all sanitize sanitize-build sanitize-run bench format clean python fuzz serve lighthouse

all: build

setup:
	@scripts/setup

build: setup
	@$(CONFIGURE) -B $(BUILD) > /dev/null
	@cmake --build $(BUILD) -j $(JOBS) --target keel

demo: build
	@scripts/demo $(BUILD)/apps/keel/keel

# The default suite: everything but tests labelled "slow", then the foundation's tests again
# under AddressSanitizer and UndefinedBehaviorSanitizer, then a brief run of every fuzz target.
# The benchmark kernels are not built here (make bench and make test-all build them).
test: setup
	@scripts/test $(BUILD) $(ASAN_BUILD) $(FUZZ_TEST_SECONDS)

# Slow tests too (cross-checks against peers on large generated inputs).
test-all: setup
	@$(CONFIGURE) -B $(BUILD) -DKEEL_WERROR=ON -DKEEL_BUILD_BENCH=ON -DKEEL_FUZZ_REPLAYS=ON > /dev/null
	@cmake --build $(BUILD) -j $(JOBS)
	@ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

# The foundation (core, portfolio, the readers, the store) and the plan engine, under
# AddressSanitizer and UndefinedBehaviorSanitizer, in the sanitizer build (scripts/sanitized-build:
# clang -O0 with line tables). The fuzz targets are built there too and share its libraries; every
# fuzz input ever found is replayed by the fuzz step of make test (scripts/fuzz). The service's
# tests are left out of make test for time (they compile the whole service layer again);
# `make sanitize SANITIZED_TESTS="$(SANITIZED_TESTS) keel_service_tests"` adds them.
SANITIZED_TESTS = keel_core_tests keel_portfolio_tests keel_io_tests keel_store_tests keel_plan_tests
# The ctest labels of those binaries (keel_<label>_tests), so a test binary left in the directory
# by an earlier, wider run is not run again.
empty :=
space := $(empty) $(empty)
SANITIZED_LABELS = $(subst $(space),|,$(strip $(patsubst keel_%_tests,%,$(filter keel_%_tests,$(SANITIZED_TESTS)))))
# Built beside them (make test adds the fuzz targets: keel_fuzzers).
SANITIZED_EXTRA ?=
sanitize: setup
	@$(MAKE) --no-print-directory sanitize-build
	@$(MAKE) --no-print-directory sanitize-run

sanitize-build:
	@scripts/sanitized-build $(ASAN_BUILD) $(SANITIZED_TESTS) $(SANITIZED_EXTRA)

sanitize-run:
	@ctest --test-dir $(ASAN_BUILD) --output-on-failure -L "$(SANITIZED_LABELS)" -LE slow -j $(JOBS)

# The Python module keel (python/, docs/python.md), importable with PYTHONPATH=$(BUILD)/python.
python: setup
	@$(CONFIGURE) -B $(BUILD) > /dev/null
	@cmake --build $(BUILD) -j $(JOBS) --target keel_python

bench: setup
	@$(CONFIGURE) -B $(BUILD) -DKEEL_BUILD_BENCH=ON > /dev/null
	@cmake --build $(BUILD) -j $(JOBS)
	@bench/run_all.sh $(BUILD)

# Lighthouse (mobile) on the overview, a dashboard and a ledger account of a demo store served
# from web/dist (web/lighthouse/run.mjs; docs/web.md, "Lighthouse"); LIGHTHOUSE_RUNS per page.
LIGHTHOUSE_RUNS ?= 3
lighthouse: build
	@cd web && npm ci --no-audit --no-fund --loglevel=error && KEEL_BIN=$(abspath $(BUILD))/apps/keel/keel npm run --silent build
	@cd web/lighthouse && npm ci --no-audit --no-fund --loglevel=error && node run.mjs $(abspath $(BUILD))/apps/keel/keel $(LIGHTHOUSE_RUNS)

format:
	@git ls-files '*.cpp' '*.h' | xargs clang-format -i

# libFuzzer targets (fuzz/) built in the sanitizer build (clang, ASan + UBSan), each run
# FUZZ_SECONDS; make test runs each for FUZZ_TEST_SECONDS.
FUZZ_SECONDS ?= 60
FUZZ_TEST_SECONDS ?= 2
fuzz: setup
	@scripts/fuzz $(ASAN_BUILD) $(FUZZ_SECONDS)

clean:
	@rm -rf $(BUILD) $(ASAN_BUILD)

# The demo store served with the web app (web/dist, built by make demo) on http://127.0.0.1:8080/.
serve: build
	@$(BUILD)/apps/keel/keel --db $${KEEL_DB:-keel.db} serve --web-root web/dist

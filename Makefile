# The two entry points of the README: `make demo` and `make test`. Both install what they need.
BUILD ?= build
JOBS ?= 2

.PHONY: all deps build demo test asan bench clean

all: build

deps:
	bash scripts/install-deps.sh

$(BUILD)/build.ninja: | deps
	cmake --preset default -B $(BUILD) >/dev/null

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j$(JOBS)

# Diagnose the bundled broken cluster (examples/demo-bundle). Exit 1 = the demo has failures, as intended.
demo: build
	@$(BUILD)/meshdoctor check --bundle examples/demo-bundle || test $$? -eq 1

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS)

# Unit, scenario, live and fakekube tests, plus one end-to-end script each for restart, serve and
# posting, under AddressSanitizer + UndefinedBehaviorSanitizer (the rest of the black-box scripts
# run the same code; leaving them out keeps CI within its time). secrets.suite_grep (last, by its
# DEPENDS) greps the outputs of these runs too.
ASAN_TESTS ?= ^(unit|scenario|live|fakekube|fuzz|secrets)\.|^cli\.test_(restart_apply|restart_safe_writes|serve_metrics|serve_watch|post_receiver)$$
asan: deps
	cmake --preset asan >/dev/null
	cmake --build build-asan -j$(JOBS)
	ASAN_OPTIONS=halt_on_error=1:detect_leaks=1 LSAN_OPTIONS=suppressions=$(CURDIR)/tests/fuzz/lsan.supp:print_suppressions=0 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	  ctest --test-dir build-asan --output-on-failure -j$(JOBS) -R '$(ASAN_TESTS)'

# Scale benchmark (bench/README.md): one Markdown table; builds its own Release tree in build-bench.
BENCH_ARGS ?= --pods 20000 --nodes 200
bench: deps
	bash bench/run.sh $(BENCH_ARGS)

clean:
	rm -rf $(BUILD) build-asan

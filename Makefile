# Kolokol: `make run` to start the PBX, `make test` to run every test.
# Both install what is missing from Debian first (scripts/install-deps.sh).

JOBS ?= $(shell nproc)
CONFIG ?=

.PHONY: all deps test-deps build run test unit-asan fuzz bench format tidy clean

all: build

deps:
	./scripts/install-deps.sh

test-deps:
	./scripts/install-deps.sh --test

build: deps
	cmake --preset release -DKOLOKOL_BUILD_BENCH=OFF >/dev/null
	cmake --build --preset release -j $(JOBS)

# Starts kolokold in the foreground with its embedded defaults (data in ./var).
# Pass a YAML file with: make run CONFIG=kolokol.yaml
run: build
	./build/release/src/server/kolokold $(if $(CONFIG),--config $(CONFIG))

# Every test: unit, conformance and integration (release build), then the unit tests again
# under ASan + UBSan, then the fuzz targets for a bounded time.
test: test-deps
	cmake --preset release -DKOLOKOL_BUILD_BENCH=ON >/dev/null
	cmake --build --preset release -j $(JOBS)
	ctest --preset release -j $(JOBS) --timeout 600
	$(MAKE) --no-print-directory unit-asan
	$(MAKE) --no-print-directory fuzz

unit-asan: test-deps
	cmake --preset asan >/dev/null
	cmake --build --preset asan -j $(JOBS) --target unit_tests
	ctest --preset asan -L unit -j $(JOBS)

fuzz: test-deps
	./scripts/fuzz.sh 30

bench: test-deps
	cmake --preset release -DKOLOKOL_BUILD_BENCH=ON >/dev/null
	cmake --build --preset release -j $(JOBS)
	./bench/run.sh

format:
	git ls-files '*.cc' '*.h' | xargs clang-format -i

tidy:
	git ls-files 'src/*.cc' | xargs clang-tidy -p build/release --quiet

clean:
	rm -rf build

# dxmap — two commands: `make run` maps the default scenario, `make test` runs every test.
# Both install what is missing first (GSL, SQLite and pkg-config, via scripts/install-deps);
# `make test` also brings up a one-node Slurm cluster (slurm-wlm) for the sweep's cluster test, and drives
# Debian's chromium over every chart and report (Tests/browser; chromium, chromium-driver and Selenium in a venv),
# and runs the Python package's tests and every notebook (Tests/python; pandas, pytest, nbclient in a venv).

SWIFT    ?= swift
SCENARIO ?= Scenarios/italian-pa.yaml
OUT      ?= out
PREFIX   ?= /usr/local

.PHONY: run test deps build install clean compare bench fuzz docs

deps:
	@scripts/install-deps

build: deps
	$(SWIFT) build -c release --product dxmap

run: build
	"$$($(SWIFT) build -c release --show-bin-path)/dxmap" map $(SCENARIO) --out $(OUT)

# Puts the release binary on PATH (PREFIX/bin/dxmap).
install: build
	install -d "$(PREFIX)/bin"
	install -m 755 "$$($(SWIFT) build -c release --show-bin-path)/dxmap" "$(PREFIX)/bin/dxmap"

test: deps
	$(SWIFT) build --build-tests
	DXMAP_CORPUS_DIR="$(CURDIR)/.build-python/corpus" $(SWIFT) test --skip-build
	Tests/slurm/slurm-sweep-test.sh "$$($(SWIFT) build --show-bin-path)/dxmap"
	Tests/browser/browser-test.sh "$$($(SWIFT) build --show-bin-path)/dxmap"
	Tests/python/python-test.sh "$$($(SWIFT) build --show-bin-path)/dxmap"
	scripts/fuzz 60
	$(MAKE) docs

# The Swift API's DocC catalogue (Sources/DXMap/DXMap.docc and every public declaration's comment), one combined
# archive for the layers, as static files in .build/docs; a broken symbol link fails the build.
DOC_TARGETS = DXMap DXSupport DXSampling DXScenario DXEngine DXAnalysis DXExperiments DXReport
docs:
	$(SWIFT) package --disable-sandbox --allow-writing-to-directory .build/docs generate-documentation \
	    $(foreach t,$(DOC_TARGETS),--target $(t)) --enable-experimental-combined-documentation \
	    --transform-for-static-hosting --output-path .build/docs --warnings-as-errors
	@echo "wrote .build/docs (serve it, e.g. python3 -m http.server -d .build/docs, and open /documentation/dxmap)"

# libFuzzer over the scenario and sweep loaders (Tests/Fuzz); FUZZ_SECONDS=600 by default. `make test` runs 60 s.
FUZZ_SECONDS ?= 600
fuzz: deps
	scripts/fuzz $(FUZZ_SECONDS)

# package-benchmark suites (Benchmarks/ is its own package, so `make test` never builds them).
bench: deps
	cd Benchmarks && $(SWIFT) package --disable-sandbox benchmark

# Side by side with the peers (Benchmarks/README.md): the mapping against a C + GSL loop and NumPy, Sobol
# indices against SALib, PRIM against the EMA Workbench, EVPPI against R mgcv, a sweep against the EMA Workbench driving NumPy,
# Sobol indices against a closed form at few draws a point, and the draw designs' standard errors;
# QUICK=1 for a short run.
compare: build
	scripts/install-deps --compare
	python3 Benchmarks/compare.py "$$($(SWIFT) build -c release --show-bin-path)/dxmap" $(if $(QUICK),--quick,)
	cd Benchmarks && $(SWIFT) build -c release --product SobolReference
	.build-peers/venv/bin/python Benchmarks/compare_sensitivity.py "$$($(SWIFT) build -c release --show-bin-path)/dxmap" \
	    "$$(cd Benchmarks && $(SWIFT) build -c release --show-bin-path)/SobolReference" $(if $(QUICK),--quick,)
	.build-peers/venv/bin/python Benchmarks/compare_prim.py "$$($(SWIFT) build -c release --show-bin-path)/dxmap"
	python3 Benchmarks/compare_voi.py "$$($(SWIFT) build -c release --show-bin-path)/dxmap" $(if $(QUICK),--quick,)
	.build-peers/venv/bin/python Benchmarks/compare_sweep.py "$$($(SWIFT) build -c release --show-bin-path)/dxmap" $(if $(QUICK),--quick,)
	python3 Benchmarks/compare_sobol_noise.py "$$($(SWIFT) build -c release --show-bin-path)/dxmap" $(if $(QUICK),--quick,)
	python3 Benchmarks/compare_designs.py "$$($(SWIFT) build -c release --show-bin-path)/dxmap" $(if $(QUICK),--quick,)

clean:
	rm -rf .build .build-fuzz $(OUT)

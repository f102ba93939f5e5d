# dxmap — two commands: `make run` maps the default scenario, `make test` runs every test.
# Both install what is missing first (GSL and pkg-config, via scripts/install-deps).

SWIFT    ?= swift
SCENARIO ?= Scenarios/italian-pa.yaml
OUT      ?= out

.PHONY: run test deps build clean

deps:
	@scripts/install-deps

build: deps
	$(SWIFT) build -c release --product dxmap

run: build
	"$$($(SWIFT) build -c release --show-bin-path)/dxmap" map $(SCENARIO) --out $(OUT)

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

clean:
	rm -rf .build $(OUT)

GO ?= go

.PHONY: build test bench fuzz vet

build:
	$(GO) build -o bin/renewsim ./cmd/renewsim

# The test command the README gives and CI runs.
test:
	$(GO) vet ./...
	$(GO) test -race -count=1 ./...

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

fuzz:
	$(GO) test -run '^$$' -fuzz FuzzParse -fuzztime 60s ./scenarios

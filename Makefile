GO ?= go

.PHONY: build test lint bench fuzz vet screenshot docs-plot

build:
	$(GO) build -o bin/renewsim ./cmd/renewsim

# The test command the README gives and CI runs.
test:
	$(GO) vet ./...
	$(GO) test -race -count=1 ./...

# staticcheck, pinned in go.mod's tool block (go get -tool …@VERSION to move it).
lint:
	$(GO) tool staticcheck ./...

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime 1000000x -timeout 30m ./scenarios
	$(GO) test -run '^$$' -fuzz '^FuzzBatchesReadLikeTheWholeFile$$' -fuzztime 200000x -timeout 30m ./scenarios
	$(GO) test -run '^$$' -fuzz '^FuzzPartsDecodeLikeTheWholeFile$$' -fuzztime 200000x -timeout 30m ./scenarios

# Renders the HTML report of two library scenarios, and the reports of the
# synthetic fleets of 1,000 and 10,000 certificates, in headless Chromium
# and checks the screenshots; they stay in bin/screenshot to be looked at.
# Skips where Chromium is not installed.
screenshot:
	@if command -v chromium >/dev/null 2>&1; then \
		SCREENSHOT_DIR=$(CURDIR)/bin/screenshot $(GO) test -count=1 -timeout 20m -run '^(TestHTMLScreenshot|TestFleetReportScreenshot)$$' -v ./report/; \
	else echo "chromium not installed (apt-get install chromium): screenshot check skipped"; fi

# Re-renders the timeline shown in the README.
docs-plot:
	mkdir -p bin
	$(GO) run ./cmd/renewsim run dns-missing-cname -events bin/dns-missing-cname.jsonl > /dev/null
	$(GO) run ./cmd/renewsim plot bin/dns-missing-cname.jsonl -timeline docs/dns-missing-cname.svg

package main

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/ with the current output")

// The human summary of the whole library is a golden file: any change in
// what the model does, or in how a run is told, shows up here as a diff
// to review. Refresh with: go test ./cmd/renewsim -run TestLibrarySummaryGolden -update
func TestLibrarySummaryGolden(t *testing.T) {
	code, out, errs := renewsim(t, "run")
	require.Equal(t, 0, code, errs)
	golden := filepath.Join("testdata", "library.golden")
	if *update {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(golden, []byte(out), 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err, "no golden file: go test ./cmd/renewsim -run TestLibrarySummaryGolden -update")
	assert.Equal(t, string(want), out, "the library summary changed; if that is intended: go test ./cmd/renewsim -run TestLibrarySummaryGolden -update")
}

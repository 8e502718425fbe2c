package report_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/renewsim/renewsim/result"
	"github.com/renewsim/renewsim/scenarios"
	simrun "github.com/renewsim/renewsim/sim/run"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/ with the current output")

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "missing golden file; create it with: go test ./report/ -run %s -update", t.Name())
	if !bytes.Equal(want, got) {
		require.Equal(t, string(want), string(got),
			"%s differs from the output; if the change is intended, refresh it with: go test ./report/ -run %s -update", path, t.Name())
	}
}

// runLibrary runs built-in scenarios by name and builds their summary.
func runLibrary(t testing.TB, names ...string) *result.Summary {
	t.Helper()
	sum := &result.Summary{}
	for _, n := range names {
		sc, err := scenarios.LoadLibrary(n)
		require.NoError(t, err)
		res, err := simrun.Run(context.Background(), sc, simrun.Options{})
		require.NoError(t, err)
		sum.Scenarios = append(sum.Scenarios, result.Build(sc, res.Seed, res.Log))
	}
	return sum
}

var (
	libOnce sync.Once
	libSum  *result.Summary
)

// library is the whole built-in library, run once per test binary.
func library(t testing.TB) *result.Summary {
	t.Helper()
	libOnce.Do(func() { libSum = runLibrary(t, scenarios.LibraryNames()...) })
	require.NotNil(t, libSum)
	return libSum
}

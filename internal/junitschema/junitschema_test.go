package junitschema

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// recorder is a TB that keeps what Validate said.
type recorder struct{ skipped, fatal, errors []string }

func (r *recorder) Helper() {}
func (r *recorder) Skipf(f string, args ...any) {
	r.skipped = append(r.skipped, fmt.Sprintf(f, args...))
}
func (r *recorder) Fatalf(f string, args ...any) { r.fatal = append(r.fatal, fmt.Sprintf(f, args...)) }
func (r *recorder) Errorf(f string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(f, args...))
}

const valid = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="x" tests="1" failures="0" errors="0">
  <testsuite name="x" tests="1" failures="0" errors="0" skipped="0">
    <testcase name="a" classname="b"></testcase>
  </testsuite>
</testsuites>
`

// A valid file passes; one the schema refuses is an error naming it.
func TestValidate(t *testing.T) {
	if _, _, why := tools(); why != "" {
		Validate(t) // skips here, or fails under CI, saying why
		return
	}
	dir := t.TempDir()
	good, bad := filepath.Join(dir, "good.xml"), filepath.Join(dir, "bad.xml")
	require.NoError(t, os.WriteFile(good, []byte(valid), 0o644))
	require.NoError(t, os.WriteFile(bad, []byte(strings.Replace(valid, `classname="b"`, `classname="b" colour="red"`, 1)), 0o644))
	var r recorder
	Validate(&r, good, bad)
	assert.Empty(t, r.skipped)
	assert.Empty(t, r.fatal)
	require.Len(t, r.errors, 1)
	assert.Contains(t, r.errors[0], bad+" does not validate")
}

// In a clone without the shared folder beside it the check skips and says
// where the schema is expected; under CI it fails instead.
func TestValidateWithoutSchema(t *testing.T) {
	root := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(root, "go.mod"), []byte("module example.com/clone\n"), 0o644))
	pkg := filepath.Join(root, "report")
	require.NoError(t, os.Mkdir(pkg, 0o755))
	t.Chdir(pkg)
	want := filepath.Join(root, "..", "shared", "schemas", "junit-10.xsd")

	t.Setenv("CI", "") // so that the test's end restores it
	require.NoError(t, os.Unsetenv("CI"))
	var r recorder
	Validate(&r, "any.xml")
	require.Len(t, r.skipped, 1)
	assert.Empty(t, r.fatal)
	assert.Contains(t, r.skipped[0], "no schema at "+want)
	assert.Contains(t, r.skipped[0], "../shared/schemas/junit-10.xsd from its root")

	t.Setenv("CI", "true")
	r = recorder{}
	Validate(&r, "any.xml")
	assert.Empty(t, r.skipped)
	require.Len(t, r.fatal, 1)
	assert.Contains(t, r.fatal[0], "no schema at "+want)
	assert.Contains(t, r.fatal[0], "CI is set, so the check must run")
}

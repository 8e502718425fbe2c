package junitschema

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// TB is the part of testing.TB that Validate uses.
type TB interface {
	Helper()
	Skipf(format string, args ...any)
	Fatalf(format string, args ...any)
	Errorf(format string, args ...any)
}

// SchemaPath is where the schema is expected, from the module's root.
const SchemaPath = "../shared/schemas/junit-10.xsd"

// Validate checks each file against the schema with xmllint, and reports
// every file that does not validate as an error of t. Without the schema
// or xmllint it skips t, or fails it when the CI environment variable is
// set.
func Validate(t TB, files ...string) {
	t.Helper()
	schema, xmllint, why := tools()
	if why != "" {
		if _, ci := os.LookupEnv("CI"); ci {
			t.Fatalf("JUnit schema check: %s; CI is set, so the check must run", why)
			return
		}
		t.Skipf("JUnit schema check skipped: %s", why)
		return
	}
	for _, f := range files {
		if out, err := exec.Command(xmllint, "--noout", "--schema", schema, f).CombinedOutput(); err != nil {
			t.Errorf("%s does not validate against %s: %v\n%s", f, schema, err, out)
		}
	}
}

// tools finds the schema and xmllint, or says why it cannot.
func tools() (schema, xmllint, why string) {
	root, err := moduleRoot()
	if err != nil {
		return "", "", err.Error()
	}
	schema = filepath.Join(root, filepath.FromSlash(SchemaPath))
	if _, err := os.Stat(schema); err != nil {
		return "", "", fmt.Sprintf("no schema at %s (the shared folder is expected beside the repository, as %s from its root)", schema, SchemaPath)
	}
	xmllint, err = exec.LookPath("xmllint")
	if err != nil {
		return "", "", "xmllint is not installed (Debian: apt-get install libxml2-utils)"
	}
	return schema, xmllint, ""
}

// moduleRoot is the nearest folder at or above the working directory
// (a test's package folder) that holds go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("find the module root: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		up := filepath.Dir(dir)
		if up == dir {
			return "", errors.New("find the module root: no go.mod above the working directory")
		}
		dir = up
	}
}

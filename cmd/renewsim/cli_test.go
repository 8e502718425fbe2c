package main

import (
	"errors"
	"flag"
	"fmt"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// commandFlagSet is the flag set of a command, as its -h leaves it.
func commandFlagSet(t *testing.T, name string) *flag.FlagSet {
	t.Helper()
	var out, errb strings.Builder
	err := run(t.Context(), []string{name, "-h"}, &out, &errb)
	var h *helpShown
	require.True(t, errors.As(err, &h), "%s -h: %v", name, err)
	return h.fs
}

// -h on every command prints its purpose, its usage line and its flags, to
// stderr, and exits 0; "renewsim help NAME" prints the same to stdout.
func TestEveryCommandHasHelp(t *testing.T) {
	for _, c := range commands {
		code, out, errs := renewsim(t, c.name, "-h")
		assert.Equal(t, 0, code, c.name)
		assert.Empty(t, out, c.name)
		assert.True(t, strings.HasPrefix(errs, "renewsim "+c.name+": "+c.purpose+".\n\nUsage: renewsim "+c.name), "%s -h begins with its purpose and usage:\n%s", c.name, errs)
		commandFlagSet(t, c.name).VisitAll(func(f *flag.Flag) {
			assert.Contains(t, errs, "\n  -"+f.Name, "%s -h lists -%s", c.name, f.Name)
		})
		code, out, _ = renewsim(t, "help", c.name)
		assert.Equal(t, 0, code, c.name)
		assert.Equal(t, errs, out, "help %s", c.name)

		assert.NotEmpty(t, c.purpose, c.name)
		assert.False(t, strings.HasSuffix(c.purpose, "."), "%s: the purpose is one line without a full stop", c.name)
		assert.NotContains(t, c.purpose, "\n", c.name)
	}
	code, out, _ := renewsim(t, "-h")
	assert.Equal(t, 0, code)
	for _, c := range commands {
		assert.Contains(t, out, fmt.Sprintf("\n  %-9s %s\n", c.name, c.purpose))
	}
}

// version says what the build recorded and "unknown" for the rest: CI builds
// with -buildvcs=false, and go run records no revision.
func TestVersion(t *testing.T) {
	code, out, errs := renewsim(t, "version")
	assert.Equal(t, 0, code, errs)
	assert.Regexp(t, `^renewsim \S+.*\nrevision \S+.*\n(committed \S+\n)?built with \S+\n$`, out)
	code, _, _ = renewsim(t, "version", "extra")
	assert.Equal(t, 2, code)

	for _, tc := range []struct {
		bi   *debug.BuildInfo
		want string
	}{
		{nil, "renewsim unknown\nrevision unknown\nbuilt with unknown\n"},
		{&debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/renewsim/renewsim", Version: "(devel)"}},
			"renewsim (devel)\nrevision unknown\nbuilt with go1.26.8\n"},
		{&debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.4.0"}, Settings: []debug.BuildSetting{
			{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: "0123abc"}, {Key: "vcs.time", Value: "2026-05-01T10:00:00Z"}, {Key: "vcs.modified", Value: "false"}}},
			"renewsim v1.4.0\nrevision 0123abc\ncommitted 2026-05-01T10:00:00Z\nbuilt with go1.26.8\n"},
		{&debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "0123abc"}, {Key: "vcs.modified", Value: "true"}}},
			"renewsim (devel)\nrevision 0123abc (with uncommitted changes)\nbuilt with go1.26.8\n"},
	} {
		assert.Equal(t, tc.want, versionText(tc.bi))
	}
}

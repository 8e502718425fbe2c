package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
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
			if _, old := f.Value.(*alias); !old {
				assert.Contains(t, errs, "\n  -"+f.Name, "%s -h lists -%s", c.name, f.Name)
			}
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

// One name per concept: a flag that several commands take has the same
// kind (bool or not) and the same placeholder everywhere, so -acm cannot be
// a path in one command and an address in another again.
func TestFlagNamesAreConsistent(t *testing.T) {
	type use struct{ command, placeholder string }
	seen := map[string]use{}
	for _, c := range commands {
		commandFlagSet(t, c.name).VisitAll(func(f *flag.Flag) {
			if _, old := f.Value.(*alias); old {
				return
			}
			placeholder, _ := flag.UnquoteUsage(f)
			if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
				placeholder = "(bool)"
			}
			if prev, ok := seen[f.Name]; ok {
				assert.Equal(t, prev.placeholder, placeholder, "-%s takes %q in %s but %q in %s", f.Name, prev.placeholder, prev.command, placeholder, c.name)
				return
			}
			seen[f.Name] = use{c.name, placeholder}
		})
	}
	// The names the issue found doubled stay retired.
	for _, old := range []string{"cache-dns", "cache-probes", "o"} {
		assert.NotContains(t, seen, old, "-%s is a deprecated spelling only", old)
	}
}

// Old spellings keep working for a release: each sets its new flag, and says
// on stderr what to write instead.
func TestDeprecatedSpellings(t *testing.T) {
	dir := t.TempDir()
	events := filepath.Join(dir, "events.jsonl")
	code, _, errs := renewsim(t, "run", "dns-happy", "-events", events)
	require.Equal(t, 0, code, errs)

	// plot -o is -timeline.
	svg := filepath.Join(dir, "old.svg")
	code, _, errs = renewsim(t, "plot", events, "-o", svg)
	require.Equal(t, 0, code, errs)
	assert.Equal(t, "renewsim: -o is deprecated and goes in the next release; use -timeline\n", errs)
	assert.FileExists(t, svg)
	code, _, errs = renewsim(t, "plot", events, "-o", filepath.Join(dir, "x.pdf"))
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "-timeline "+filepath.Join(dir, "x.pdf")+": want a file name ending in .svg or .png")

	// sweep -cache-dns=false and -cache-probes=false are -every-attempt,
	// with the same results; -cache-dns alone was the default.
	sweep := []string{"sweep", "dns-missing-cname", "-vary", "resources.alb-prod.deploy_delay=30m,2h", "-json"}
	code, want, errs := renewsim(t, append(sweep, "-every-attempt")...)
	require.Equal(t, 0, code, errs)
	assert.Empty(t, errs)
	code, got, errs := renewsim(t, append(sweep, "-cache-dns=false", "-cache-probes=false")...)
	require.Equal(t, 0, code, errs)
	assert.Equal(t, want, got)
	assert.Equal(t, "renewsim: -cache-dns=false is deprecated and goes in the next release; use -every-attempt\n"+
		"renewsim: -cache-probes=false is deprecated and goes in the next release; use -every-attempt\n", errs)
	code, got, errs = renewsim(t, append(sweep, "-cache-dns")...)
	require.Equal(t, 0, code, errs)
	assert.Equal(t, want, got)
	assert.Equal(t, "renewsim: -cache-dns is deprecated and goes in the next release; leave it out: it was the default, which -every-attempt=false is\n", errs)
	code, _, errs = renewsim(t, append(sweep, "-cache-dns=maybe")...)
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, `renewsim: invalid boolean value "maybe" for -cache-dns: want true or false`)

	// serve -acm is -acm-api: the check of the address names the new flag.
	code, _, errs = renewsim(t, "serve", "-acm", "127.0.0.1:99999", "dns-happy")
	assert.Equal(t, 2, code)
	assert.Equal(t, "renewsim: -acm is deprecated and goes in the next release; use -acm-api\n"+
		"renewsim: -acm-api 127.0.0.1:99999: want a port number from 0 to 65535, got \"99999\"\n", errs)

	// -h shows the old spellings apart from the flags.
	_, _, help := renewsim(t, "sweep", "-h")
	flags, old, ok := strings.Cut(help, "\nDeprecated spellings")
	require.True(t, ok, help)
	assert.NotContains(t, flags, "cache-dns")
	assert.Contains(t, old, "\n  -cache-dns=false\n    \tuse -every-attempt")
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

// docs/cli.md is written from the commands' docs and FlagSets; a flag
// added, renamed or reworded without refreshing it fails here.
func TestCLIReference(t *testing.T) {
	got := cliReference(t)
	path := filepath.Join("..", "..", "docs", "cli.md")
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./cmd/renewsim -run TestCLIReference -update")
	assert.True(t, string(want) == got, "docs/cli.md is not what the commands' FlagSets say: run go test ./cmd/renewsim -run TestCLIReference -update")
}

// cliReference is docs/cli.md.
func cliReference(t *testing.T) string {
	var b strings.Builder
	b.WriteString(`# Command-line reference

<!-- Written by TestCLIReference from each command's doc and FlagSet in
cmd/renewsim; do not edit. Refresh: go test ./cmd/renewsim -run TestCLIReference -update -->

Every command prints this with ` + "`renewsim COMMAND -h`" + `. Flags may come before
or after the arguments; a lone ` + "`--`" + ` ends the flags. Exit codes: 0 all
expectations held (or the command did what it was asked), 1 some
expectation failed (run, check, merge of a check), 2 unusable input or
usage.

| command | what it does |
|---|---|
`)
	for _, c := range commands {
		fmt.Fprintf(&b, "| [`%s`](#%s) | %s |\n", c.name, c.name, cell(c.purpose))
	}
	users := map[string][]string{}
	for _, c := range commands {
		fs := commandFlagSet(t, c.name)
		flags, old := splitFlags(fs)
		fmt.Fprintf(&b, "\n## %s\n\n%s.\n\n```text\nUsage: %s\n", c.name, upperFirst(c.purpose), c.usageLine())
		if c.about != "" {
			fmt.Fprintf(&b, "\n%s\n", strings.TrimSpace(c.about))
		}
		b.WriteString("```\n")
		if len(flags) > 0 {
			b.WriteString("\n| flag | meaning |\n|---|---|\n")
		}
		for _, f := range flags {
			fmt.Fprintf(&b, "| `%s` | %s |\n", spelled(f), cell(meaning(f)))
			users[f.Name] = append(users[f.Name], c.name)
		}
		if len(old) > 0 {
			b.WriteString("\nDeprecated spellings, still accepted in this release with a warning on stderr:\n\n")
			for _, a := range old {
				fmt.Fprintf(&b, "- `%s`: %s\n", a.spelling(), a.instead())
			}
		}
	}
	b.WriteString("\n## Every flag\n\nWhich commands take each flag; a name means the same thing wherever it appears.\n\n| flag | commands |\n|---|---|\n")
	names := make([]string, 0, len(users))
	for n := range users {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		var links []string
		for _, c := range users[n] {
			links = append(links, fmt.Sprintf("[%s](#%s)", c, c))
		}
		fmt.Fprintf(&b, "| `-%s` | %s |\n", n, strings.Join(links, ", "))
	}
	return b.String()
}

// spelled is "-name PLACEHOLDER" (bool flags have none).
func spelled(f *flag.Flag) string {
	name, _ := flag.UnquoteUsage(f)
	if name == "" {
		return "-" + f.Name
	}
	return "-" + f.Name + " " + name
}

// meaning is the flag's usage, and its default where that is not the zero
// value.
func meaning(f *flag.Flag) string {
	_, usage := flag.UnquoteUsage(f)
	switch f.DefValue {
	case "", "0", "false":
		return usage
	}
	return usage + " (default `" + f.DefValue + "`)"
}

// cell makes text safe in a Markdown table cell.
func cell(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	s = strings.ReplaceAll(s, "|", `\|`)
	s = strings.ReplaceAll(s, "<", "&lt;")
	s = strings.ReplaceAll(s, "*", `\*`)
	return s
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const repoRoot = "../.."

// docFiles are the README and every page of docs/, relative to the
// repository's root.
func docFiles(t *testing.T) []string {
	t.Helper()
	pages, err := filepath.Glob(filepath.Join(repoRoot, "docs", "*.md"))
	require.NoError(t, err)
	files := []string{"README.md"}
	for _, p := range pages {
		rel, err := filepath.Rel(repoRoot, p)
		require.NoError(t, err)
		files = append(files, rel)
	}
	return files
}

// shownRun is a command with its output as a page shows it: a fenced block
// whose first line is "$ go run ./cmd/renewsim ARGS" (continued by lines
// ending in "\").
type shownRun struct {
	file, command string
	args          []string
	output        string
}

func shownRuns(t *testing.T, file string) []shownRun {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, file))
	require.NoError(t, err)
	var runs []shownRun
	lines := strings.Split(string(data), "\n")
	for i := 0; i < len(lines); i++ {
		if !strings.HasPrefix(lines[i], "```") || i+1 >= len(lines) || !strings.HasPrefix(lines[i+1], "$ go run ./cmd/renewsim ") {
			continue
		}
		i++
		cmd := strings.TrimPrefix(lines[i], "$ go run ./cmd/renewsim ")
		for strings.HasSuffix(cmd, `\`) && i+1 < len(lines) {
			i++
			cmd = strings.TrimSpace(strings.TrimSuffix(cmd, `\`)) + " " + strings.TrimSpace(lines[i])
		}
		var out []string
		for i++; i < len(lines) && !strings.HasPrefix(lines[i], "```"); i++ {
			out = append(out, lines[i])
		}
		args, err := shellWords(cmd)
		require.NoError(t, err, "%s: %s", file, cmd)
		runs = append(runs, shownRun{file: file, command: "renewsim " + cmd, args: args, output: strings.Join(out, "\n") + "\n"})
	}
	return runs
}

// shellWords splits a command line as sh would, for the quoting the docs
// use: single and double quotes, no expansions.
func shellWords(s string) ([]string, error) {
	var words []string
	var w strings.Builder
	inWord := false
	var quote rune
	for _, r := range s {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			w.WriteRune(r)
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == ' ' || r == '\t':
			if inWord {
				words = append(words, w.String())
				w.Reset()
				inWord = false
			}
		default:
			w.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 {
		return nil, os.ErrInvalid
	}
	if inWord {
		words = append(words, w.String())
	}
	return words, nil
}

// showsOutput reports whether shown is got, where a line "…" in shown
// stands for lines left out: the lines between the "…" lines must appear
// in got, each run of them in one piece and the runs in order.
func showsOutput(shown, got string) bool {
	lines := strings.Split(strings.TrimSuffix(shown, "\n"), "\n")
	var runs [][]string
	cut := false
	cur := []string{}
	for _, l := range lines {
		if strings.TrimSpace(l) == "…" {
			cut = true
			runs = append(runs, cur)
			cur = []string{}
			continue
		}
		cur = append(cur, l)
	}
	runs = append(runs, cur)
	if !cut {
		return shown == got
	}
	rest := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	for k, run := range runs {
		if len(run) == 0 {
			continue
		}
		at := indexRun(rest, run)
		if at < 0 || (k == 0 && at != 0) || (k == len(runs)-1 && at+len(run) != len(rest)) {
			return false
		}
		rest = rest[at+len(run):]
	}
	return true
}

func indexRun(lines, run []string) int {
	for i := 0; i+len(run) <= len(lines); i++ {
		match := true
		for j := range run {
			if lines[i+j] != run[j] {
				match = false
				break
			}
		}
		if match {
			return i
		}
	}
	return -1
}

// Every output a page shows after "$ go run ./cmd/renewsim …" is what the
// command prints today (with "…" for lines left out), so the front door
// cannot drift from the program again.
func TestDocsShowRealOutput(t *testing.T) {
	var runs []shownRun
	for _, f := range docFiles(t) {
		runs = append(runs, shownRuns(t, f)...)
	}
	require.NotEmpty(t, runs)
	t.Chdir(repoRoot) // the commands name files from the repository's root
	for _, r := range runs {
		var out, errb bytes.Buffer
		err := run(t.Context(), r.args, &out, &errb)
		code := exitCode(err, &errb)
		assert.Contains(t, []int{0, 1}, code, "%s: %s: %s", r.file, r.command, errb.String())
		assert.True(t, showsOutput(r.output, out.String()), "%s shows output of %q that it no longer prints; paste the real output (\"…\" for lines left out):\n%s", r.file, r.command, out.String())
	}
}

func TestShowsOutput(t *testing.T) {
	got := "a\nb\nc\nd\n"
	for shown, want := range map[string]bool{
		"a\nb\nc\nd\n":  true,
		"a\nb\nc\n":     false,
		"a\n…\nd\n":     true,
		"a\n…\n":        true,
		"…\nc\n…\n":     true,
		"…\nd\n":        true,
		"…\nc\n":        false, // the last run must end the output
		"b\n…\n":        false, // the first run must start it
		"a\n…\nc\nb\n":  false,
		"…\nb\nc\n…\n":  true,
		"…\nb\nd\n…\n":  false, // one run is one piece
		"  …\nc\nd\n":   true,
		"a\nb\n…\nx\n":  false,
		"…\na\n…\nd\n…": true,
	} {
		assert.Equal(t, want, showsOutput(shown, got), "%q", shown)
	}
}

// Every relative link of the README and docs/ leads to a file that exists
// and, with #anchor, to a heading of it: pages moved around must not leave
// dead links behind.
func TestDocsLinksResolve(t *testing.T) {
	link := regexp.MustCompile(`\]\(([^)\s]+)\)`)
	for _, f := range docFiles(t) {
		data, err := os.ReadFile(filepath.Join(repoRoot, f))
		require.NoError(t, err)
		for _, m := range link.FindAllStringSubmatch(string(data), -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			path, anchor, _ := strings.Cut(target, "#")
			file := f
			if path != "" {
				file = filepath.Join(filepath.Dir(f), path)
				if _, err := os.Stat(filepath.Join(repoRoot, file)); err != nil {
					t.Errorf("%s links to %s, which does not exist", f, target)
					continue
				}
			}
			if anchor != "" && strings.HasSuffix(file, ".md") {
				assert.Contains(t, anchors(t, file), anchor, "%s links to %s: no such heading", f, target)
			}
		}
	}
}

// anchors are the ids GitHub gives the headings of a Markdown file.
func anchors(t *testing.T, file string) map[string]bool {
	data, err := os.ReadFile(filepath.Join(repoRoot, file))
	require.NoError(t, err)
	ids := map[string]bool{}
	seen := map[string]int{}
	fence := false
	for _, l := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(l, "```") {
			fence = !fence
		}
		if fence || !strings.HasPrefix(l, "#") {
			continue
		}
		id := slug(strings.TrimSpace(strings.TrimLeft(l, "#")))
		if n := seen[id]; n > 0 {
			ids[id+"-"+strconv.Itoa(n)] = true
		} else {
			ids[id] = true
		}
		seen[id]++
	}
	return ids
}

// slug is GitHub's heading id: lower case, letters, digits, spaces (as
// hyphens), hyphens and underscores kept, everything else dropped.
func slug(h string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(h) {
		switch {
		case r == ' ':
			b.WriteRune('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Nothing in the repository cites the domain reference that lived outside
// it; docs/model.md and docs/sources.md stand in for it.
func TestNothingCitesTheOutsideModel(t *testing.T) {
	outside := "acm-renewal-" + "model.md" // spelled apart so that this file does not cite it
	err := filepath.WalkDir(repoRoot, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); name == ".git" || name == "bin" || name == "node_modules" {
				return filepath.SkipDir
			}
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if bytes.Contains(data, []byte(outside)) {
			t.Errorf("%s cites %s, which is not in the repository: cite docs/model.md §N and docs/sources.md", path, outside)
		}
		return nil
	})
	require.NoError(t, err)
}

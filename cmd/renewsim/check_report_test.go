package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"github.com/renewsim/renewsim/internal/junitschema"
)

// The example fleet's JUnit and Markdown are golden files, and the JUnit
// validates against the Surefire schema. Refresh with:
// go test ./cmd/renewsim -run TestCheckCIGolden -update
func TestCheckCIGolden(t *testing.T) {
	dir := t.TempDir()
	junit, md := filepath.Join(dir, "junit.xml"), filepath.Join(dir, "check.md")
	code, _, errs := renewsim(t, checkArgs("-junit", junit, "-markdown", md)...)
	assert.Equal(t, 1, code, errs)
	assert.Empty(t, errs)
	for file, name := range map[string]string{junit: "check-example.junit.xml", md: "check-example.md"} {
		got, err := os.ReadFile(file)
		require.NoError(t, err)
		golden(t, name, string(got))
	}
	x, err := os.ReadFile(junit)
	require.NoError(t, err)
	assert.Equal(t, 16, strings.Count(string(x), "<testcase "), "one testcase per certificate")
	assert.Equal(t, 8, strings.Count(string(x), "<failure "), "7 expire, 1 already expired")
	assert.Equal(t, 2, strings.Count(string(x), "<skipped "), "2 cannot tell: no zone data, ACME")

	junitschema.Validate(t, junit)
}

// check -report writes the fleet page: every certificate in the table,
// nothing fetched, results.json as check -json prints it, events.jsonl the
// record of the run; twice the same bytes.
func TestCheckReportDir(t *testing.T) {
	_, wantJSON, _ := renewsim(t, checkArgs("-json")...)
	var dirs []string
	for range 2 {
		dir := filepath.Join(t.TempDir(), "out")
		code, _, errs := renewsim(t, checkArgs("-report", dir)...)
		assert.Equal(t, 1, code, errs)
		assert.Empty(t, errs)
		dirs = append(dirs, dir)
	}
	entries, err := os.ReadDir(dirs[0])
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
		a, err := os.ReadFile(filepath.Join(dirs[0], e.Name()))
		require.NoError(t, err)
		b, err := os.ReadFile(filepath.Join(dirs[1], e.Name()))
		require.NoError(t, err)
		assert.True(t, bytes.Equal(a, b), "%s differs between two checks", e.Name())
	}
	assert.Equal(t, []string{"events.jsonl", "fleet-timeline.svg", "index.html", "results.json"}, names)

	results, err := os.ReadFile(filepath.Join(dirs[0], "results.json"))
	require.NoError(t, err)
	assert.Equal(t, wantJSON, string(results))

	events, err := os.Open(filepath.Join(dirs[0], "events.jsonl"))
	require.NoError(t, err)
	defer events.Close()
	lines := 0
	kinds := map[string]int{}
	sc := bufio.NewScanner(events)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var l struct{ Scenario, Kind string }
		require.NoError(t, json.Unmarshal(sc.Bytes(), &l))
		assert.Equal(t, "fleet-123456789012-us-east-1", l.Scenario)
		kinds[l.Kind]++
		lines++
	}
	require.NoError(t, sc.Err())
	assert.Greater(t, lines, 1000)
	assert.Equal(t, 7, kinds["expired"], "the record of the run")

	page, err := os.ReadFile(filepath.Join(dirs[0], "index.html"))
	require.NoError(t, err)
	rows, external := pageRows(t, page)
	assert.Empty(t, external, "the page needs nothing but itself")
	var doc checkJSON
	require.NoError(t, json.Unmarshal([]byte(wantJSON), &doc))
	require.Len(t, rows, 16)
	for i, c := range doc.Certificates {
		assert.Equal(t, "row-"+c.ID, rows[i], "the table is in the check's order")
	}
	for _, want := range []string{
		"16 certificates of account 123456789012 in us-east-1, from 2026-04-01 to 2028-03-31 under acm-cabf",
		"after 2027-03-15 renewals are assumed to start 33 days 8h before expiry",
		`<span class="n">7</span>expire`, `<span class="n">2</span>cannot tell`,
		"cannot tell: no zone data for status.example.net", // the cannot-tell line is on the page
		"_275254356de4f6135f788d580d332eaa.example.com.",   // the shared record
		"apigateway-api-example-com: <span class=\"outage\">OUTAGE",
		"attempt N: api.example.com not validated", // api's story, from the record
	} {
		assert.Contains(t, string(page), want)
	}
}

// pageRows reads the ids of the rows of the page's certificate table, and
// whatever on the page would fetch something or leave it.
func pageRows(t *testing.T, page []byte) (rows, external []string) {
	t.Helper()
	root, err := html.Parse(bytes.NewReader(page))
	require.NoError(t, err)
	var walk func(n *html.Node, inCerts bool)
	walk = func(n *html.Node, inCerts bool) {
		if n.Type == html.ElementNode {
			attr := map[string]string{}
			for _, a := range n.Attr {
				attr[a.Key] = a.Val
				if (a.Key == "href" && !strings.HasPrefix(a.Val, "#")) || a.Key == "src" || strings.HasPrefix(a.Key, "on") {
					external = append(external, fmt.Sprintf("<%s %s=%q>", n.Data, a.Key, a.Val))
				}
			}
			switch n.Data {
			case "script", "link", "img", "iframe", "object", "embed", "base":
				external = append(external, "<"+n.Data+">")
			case "table":
				inCerts = attr["class"] == "certs"
			case "tr":
				if inCerts && n.Parent != nil && n.Parent.Data == "tbody" {
					rows = append(rows, attr["id"])
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inCerts)
		}
	}
	walk(root, false)
	return rows, external
}

// With nothing to simulate, the page still lists every certificate, and
// the record is empty.
func TestCheckReportNothingSimulated(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	code, _, errs := renewsim(t, "check", "-acm", fleetDir+"/acm/describe-status.example.net.json", "-acm", fleetDir+"/acm/describe-promo.example.com.json",
		"-zones", fleetDir+"/zones", "-now", "2026-04-01T00:00:00Z", "-report", dir)
	assert.Equal(t, 0, code, errs)
	events, err := os.ReadFile(filepath.Join(dir, "events.jsonl"))
	require.NoError(t, err)
	assert.Empty(t, events)
	page, err := os.ReadFile(filepath.Join(dir, "index.html"))
	require.NoError(t, err)
	rows, external := pageRows(t, page)
	assert.Empty(t, external)
	assert.Equal(t, []string{"row-promo-example-com", "row-status-example-net"}, rows)
	assert.Contains(t, string(page), "Nothing was simulated, so there is no story to tell.")
}

// merge of the parts of a check writes -junit and -markdown byte for byte
// as the whole check does; -report it refuses, as the parts carry no
// record. check -shard refuses the three.
func TestCheckShardsMergeReports(t *testing.T) {
	dir := t.TempDir()
	wholeJUnit, wholeMD := filepath.Join(dir, "whole.xml"), filepath.Join(dir, "whole.md")
	_, _, errs := renewsim(t, checkArgs("-junit", wholeJUnit, "-markdown", wholeMD)...)
	require.Empty(t, errs)
	var parts []string
	for i := range 3 {
		code, out, errs := renewsim(t, checkArgs("-shard", fmt.Sprintf("%d/3", i))...)
		require.Contains(t, []int{0, 1}, code, errs)
		path := filepath.Join(dir, fmt.Sprintf("part-%d.json", i))
		require.NoError(t, os.WriteFile(path, []byte(out), 0o644))
		parts = append(parts, path)
	}
	slices.Reverse(parts)
	junit, md := filepath.Join(dir, "merged.xml"), filepath.Join(dir, "merged.md")
	code, _, errs := renewsim(t, append([]string{"merge", "-junit", junit, "-markdown", md}, parts...)...)
	assert.Equal(t, 1, code, errs)
	for merged, whole := range map[string]string{junit: wholeJUnit, md: wholeMD} {
		a, err := os.ReadFile(whole)
		require.NoError(t, err)
		b, err := os.ReadFile(merged)
		require.NoError(t, err)
		assert.Equal(t, string(a), string(b), "%s and %s", filepath.Base(whole), filepath.Base(merged))
	}

	code, _, errs = renewsim(t, append([]string{"merge", "-report", filepath.Join(dir, "page")}, parts...)...)
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "merge: -report is refused for the parts of a check: the fleet page tells each certificate's story from the record of the run, which the parts do not carry")
	assert.NoDirExists(t, filepath.Join(dir, "page"))

	for _, flag := range []string{"-junit", "-markdown", "-report"} {
		code, _, errs = renewsim(t, checkArgs("-shard", "0/2", flag, filepath.Join(dir, "x"))...)
		assert.Equal(t, 2, code, flag)
		assert.Contains(t, errs, "check: -shard prints a part for renewsim merge; give -junit and -markdown to merge", flag)
	}
	assert.NoFileExists(t, filepath.Join(dir, "x"))

	code, _, errs = renewsim(t, "merge", "-junit", filepath.Join(dir, "x"), "-")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "merge: -junit and -markdown are for the parts of a check")
}

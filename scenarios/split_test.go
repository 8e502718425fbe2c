package scenarios

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

// sameTree says where two node trees differ, or "" when they are the same
// but for comments (which the loader never reads, and which attach to
// other nodes at a part's edges).
func sameTree(a, b *yaml.Node, path string) string {
	switch {
	case a == nil || b == nil:
		if a != b {
			return path + ": one tree is missing"
		}
		return ""
	case a.Kind != b.Kind || a.Style != b.Style || a.Tag != b.Tag || a.Value != b.Value || a.Anchor != b.Anchor:
		return fmt.Sprintf("%s: %v %v %q %q differs from %v %v %q %q", path, a.Kind, a.Style, a.Tag, a.Value, b.Kind, b.Style, b.Tag, b.Value)
	case a.Line != b.Line || a.Column != b.Column:
		return fmt.Sprintf("%s (%q): at %d:%d, not %d:%d", path, a.Value, a.Line, a.Column, b.Line, b.Column)
	case len(a.Content) != len(b.Content):
		return fmt.Sprintf("%s: %d children, not %d", path, len(a.Content), len(b.Content))
	}
	for i := range a.Content {
		if d := sameTree(a.Content[i], b.Content[i], fmt.Sprintf("%s/%d", path, i)); d != "" {
			return d
		}
	}
	return ""
}

// checkParts decodes data in the parts cuts make and wants the whole
// document's tree, or data decoded whole; it says whether the parts were
// used.
func checkParts(t testing.TB, data []byte, cuts []cut) bool {
	t.Helper()
	whole := decodeOne(data)
	doc, ok := decodeParts(data, cuts)
	if !ok {
		return false
	}
	require.NotNil(t, whole, "the parts decoded, the whole document does not (cuts %+v)\n%s", cuts, data)
	if d := sameTree(doc, whole, ""); d != "" {
		t.Fatalf("cuts %+v: the joined parts differ from the whole document: %s\n%s", cuts, d, data)
	}
	return true
}

// parseBothDecodes parses data decoded whole and decoded in parts.
func parseBothDecodes(t testing.TB, data []byte, parts int) (whole, split parsed) {
	t.Helper()
	defer func(f, p, c int) { splitFrom, splitParts, chunkFrom = f, p, c }(splitFrom, splitParts, chunkFrom)
	chunkFrom = math.MaxInt
	splitFrom = math.MaxInt
	sc, err := Parse("f.yaml", data)
	whole = describeParse(sc, err)
	splitFrom, splitParts = 0, parts
	sc, err = Parse("f.yaml", data)
	return whole, describeParse(sc, err)
}

// bigFleet is a generated scenario of many certificates, resources and
// records, the kind of document decode cuts.
func bigFleet() []byte {
	return NewSynthetic(FleetShape{Certs: 300, PerResource: 3, PerZone: 50, Old: 0.25, Deleted: 0.03, Wrong: 0.02, CAA: 0.02, Unattached: 0.02, Email: 0.02, Imported: 0.02, Private: 0.02}, 1).YAML()
}

// TestPartsDecodeLikeTheWholeFile cuts every file the tests know at every
// line a cut may start, alone, and into 2, 3 and 9 parts, and wants the
// whole document's tree and the same scenario or errors.
func TestPartsDecodeLikeTheWholeFile(t *testing.T) {
	used := 0
	docs := append(sameBothWays(t), bigFleet())
	for i, data := range docs {
		cands := cutsPossible(data)
		step := max(1, len(cands)/40) // every possible cut of small files, forty of the big ones
		for j := 0; j < len(cands); j += step {
			if checkParts(t, data, cands[j:j+1]) {
				used++
			}
		}
		for _, parts := range []int{2, 3, 9} {
			if cuts := findCuts(data, parts); cuts != nil {
				checkParts(t, data, cuts)
			}
			whole, split := parseBothDecodes(t, data, parts)
			if ok, diff := same(whole, split); !ok {
				t.Fatalf("document %d in %d parts: whole and split reads differ: %s\ndocument:\n%s", i, parts, diff, data)
			}
		}
	}
	// Not a test that passes by decoding everything whole.
	assert.Greater(t, used, 300, "documents decoded in parts")
}

// TestCutsSplitEvenly checks that a generated fleet is cut near its
// thirds, at entries of its blocks, and read as before.
func TestCutsSplitEvenly(t *testing.T) {
	data := bigFleet()
	cuts := findCuts(data, 3)
	require.Len(t, cuts, 2)
	for i, c := range cuts {
		assert.InDelta(t, float64(len(data)*(i+1)/3), float64(c.off), float64(len(data))/20, "cut %d", i)
		line := strings.Split(string(data), "\n")[c.line-1]
		assert.True(t, strings.HasPrefix(line, strings.Repeat(" ", c.indent)+"- "), "cut %d at %q", i, line)
	}
	doc, ok := decodeParts(data, cuts)
	require.True(t, ok)
	assert.Empty(t, sameTree(doc, decodeOne(data), ""))
	// Windows line ends, and a byte order mark: the same cuts, the same
	// tree, the same scenario.
	for name, doc := range map[string][]byte{
		"CRLF": []byte(strings.ReplaceAll(string(data), "\n", "\r\n")),
		"BOM":  append([]byte("\ufeff"), data...),
	} {
		cuts = findCuts(doc, 3)
		require.Len(t, cuts, 2, name)
		require.True(t, checkParts(t, doc, cuts), name)
		whole, split := parseBothDecodes(t, doc, 3)
		ok, diff := same(whole, split)
		assert.True(t, ok, "%s: %s", name, diff)
		assert.Empty(t, split.err, name)
	}
}

// TestDocumentsDecodedWholeWhenPartsCouldDiffer lists what makes decode
// read a document whole, and checks that a part that does not decode
// leaves the whole document's error, where it is.
func TestDocumentsDecodedWholeWhenPartsCouldDiffer(t *testing.T) {
	base := "name: x\nstart: 2026-03-01T00:00:00Z\ncertificates:\n  - {id: a, domain: a.example.com}\n  - {id: b, domain: b.example.com}\n  - {id: c, domain: c.example.com}\n"
	require.Len(t, cutsPossible([]byte(base)), 2)
	for name, doc := range map[string]string{
		"anchor":          base + "  - &d {id: d, domain: d.example.com}\n",
		"document marker": "---\n" + base,
		"directive":       "%YAML 1.2\n---\n" + base,
		"tab":             base + "\t- {id: d}\n",
		"not UTF-8":       base + "# \xff\n",
	} {
		assert.Nil(t, cutsPossible([]byte(doc)), name)
	}
	for name, doc := range map[string]string{
		"flow sequence":            "name: x\ncertificates: [{id: a}, {id: b}]\n",
		"a mapping under the key":  "name: x\ncertificates:\n  a: {id: a}\n  - b\n",
		"an under-indented entry":  "certificates:\n    - {id: a}\n  - {id: b}\n  - {id: c}\n",
		"an entry of a nested key": "dns:\n  records:\n    - a\n    - b\n",
		"a quoted key":             "\"certificates\":\n  - {id: a}\n  - {id: b}\n",
	} {
		assert.Empty(t, cutsPossible([]byte(doc)), name)
	}
	// The cut falls inside a quoted scalar: the first part does not
	// decode, and the document is read whole.
	quoted := base + "  - {id: d, domain: \"d.example.com\n  - e\"}\n  - {id: f, domain: f.example.com}\n"
	for _, c := range cutsPossible([]byte(quoted)) {
		checkParts(t, []byte(quoted), []cut{c})
	}
	broken := base + "  - {id: d, domain: [}\n" + strings.Repeat("  - {id: e, domain: e.example.com}\n", 5)
	whole, split := parseBothDecodes(t, []byte(broken), 3)
	ok, diff := same(whole, split)
	require.True(t, ok, diff)
	assert.Contains(t, split.err, "YAML syntax error")
}

// FuzzPartsDecodeLikeTheWholeFile cuts any input at the first possible
// cuts, alone, and into three parts, and wants the whole document's tree,
// or the input decoded whole; and the same scenario or errors.
func FuzzPartsDecodeLikeTheWholeFile(f *testing.F) {
	for _, data := range sameBothWays(f) {
		if len(data) < 64<<10 {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cands := cutsPossible(data)
		for _, c := range cands[:min(len(cands), 8)] {
			checkParts(t, data, []cut{c})
		}
		if cuts := findCuts(data, 3); cuts != nil {
			checkParts(t, data, cuts)
		}
		whole, split := parseBothDecodes(t, data, 3)
		if ok, diff := same(whole, split); !ok {
			t.Fatalf("whole and split reads differ: %s", diff)
		}
	})
}

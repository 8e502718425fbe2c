package scenarios

import (
	"bytes"
	"io"
	"runtime"
	"sync"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// yaml.v3 decodes a document on one core, and for a big scenario that is
// most of loading it: the 12 MB scenario check writes for 10,000
// certificates took 0.34 s to decode and 0.2 s to load. So decode cuts a
// big document into parts at entries of its top-level block sequences
// (certificates, resources, expectations, a timeline; not the records
// nested under dns) and decodes the parts at once, then joins their trees.
//
// A part that starts inside the block of a key K is decoded as "K:" then
// its text, so it is a mapping whose first key is K, holding the rest of
// K's entries, then whatever top-level keys follow in the part. Joining
// appends those entries to the sequence the previous parts left open and
// the part's other keys to the top mapping; positions are moved to where
// they stand in the file. A cut is only made at a line that starts an
// entry at the indentation of the block's first entry: at that
// indentation, a line starting with "- " can only be a sibling entry
// (block scalars and continuation lines are indented deeper). Where that
// could fail, the document is decoded whole: anchors (an alias in one part
// may name an anchor in another), document markers and directives, tabs at
// the start of a line, text that is not UTF-8, a part that does not decode
// (the whole document then reports its first error exactly as before), or
// parts whose trees do not join as the cut says (the sequences not at the
// cut's line and indentation).

// splitFrom is the size from which decode cuts a document into parts; a
// variable so that the tests cut small files.
var splitFrom = 1 << 20

// splitParts is how many parts decode makes: one per core, at most 8 (0);
// a variable so that the tests make more parts than the machine has cores.
var splitParts = 0

// cut is where a part starts: an entry of the block sequence of the
// top-level key key, at byte off and line line, indented by indent.
type cut struct {
	off, line int
	key       string
	indent    int
}

// partsFor is how many parts decode makes of a document of n bytes.
func partsFor(n int) int {
	if splitParts > 0 {
		return splitParts
	}
	parts := min(runtime.GOMAXPROCS(0), 8)
	// Below 256 KiB a part costs more to start than it saves.
	return min(parts, n/(256<<10))
}

// findCuts finds up to parts-1 cuts that split data into parts of nearly
// equal size, or nil when data must be decoded whole.
func findCuts(data []byte, parts int) []cut {
	if parts < 2 {
		return nil
	}
	cands := cutsPossible(data)
	var cuts []cut
	for i, p := 0, 1; p < parts && i < len(cands); p++ {
		target := len(data) * p / parts
		for i+1 < len(cands) && cands[i+1].off <= target {
			i++
		}
		if i+1 < len(cands) && cands[i+1].off-target < target-cands[i].off {
			i++
		}
		if len(cuts) == 0 || cands[i].off > cuts[len(cuts)-1].off {
			cuts = append(cuts, cands[i])
		}
	}
	return cuts
}

// cutsPossible lists every line of data a part may start at, or nil when
// data must be decoded whole.
func cutsPossible(data []byte) []cut {
	if bytes.IndexByte(data, '&') >= 0 || !utf8.Valid(data) {
		return nil
	}
	var cands []cut
	key := ""    // the top-level key whose block the line is in, "" when none
	indent := -1 // the indentation of that block's entries, once known
	line := 0
	for off := 0; off < len(data); {
		line++
		next, sp, rest := lineAt(data, off)
		if len(rest) > 0 && rest[0] == '\t' {
			return nil
		}
		blank := len(bytes.TrimSpace(rest)) == 0
		switch {
		case blank || rest[0] == '#':
			// Nothing to the YAML.
		case sp == 0 && (bytes.HasPrefix(rest, []byte("---")) || bytes.HasPrefix(rest, []byte("...")) || rest[0] == '%'):
			return nil
		case key != "" && isEntryStart(rest) && (indent < 0 || sp == indent):
			if indent < 0 {
				indent = sp // the first entry: a cut there would leave the block empty
			} else {
				cands = append(cands, cut{off: off, line: line, key: key, indent: indent})
			}
		case key != "" && indent >= 0 && sp > indent:
			// A continuation of the current entry.
		case sp == 0:
			key, indent = blockKey(rest), -1
		default:
			// Under the key but not a block sequence, or misplaced: no cut
			// until the next top-level key.
			key = ""
		}
		off = next
	}
	return cands
}

// blockKey is the key of a top-level line "key:" (perhaps with a
// comment) whose value follows on the next lines, or "".
func blockKey(rest []byte) string {
	i := 0
	for i < len(rest) && (isLetter(rest[i]) || rest[i] == '_' || i > 0 && (rest[i] == '-' || '0' <= rest[i] && rest[i] <= '9')) {
		i++
	}
	if i == 0 || i >= len(rest) || rest[i] != ':' {
		return ""
	}
	after := bytes.TrimLeft(rest[i+1:], " ")
	if len(bytes.TrimSpace(after)) != 0 && after[0] != '#' {
		return ""
	}
	return string(rest[:i])
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// decodeParts decodes the parts cuts make of data at once and joins them
// into the document decoding data whole gives; ok is false when data must
// be decoded whole.
func decodeParts(data []byte, cuts []cut) (doc *yaml.Node, ok bool) {
	docs := make([]*yaml.Node, len(cuts)+1)
	var wg sync.WaitGroup
	for i := range docs {
		wg.Go(func() {
			if i == 0 {
				docs[0] = decodeOne(data[:cuts[0].off])
				return
			}
			c := cuts[i-1]
			end := len(data)
			if i < len(cuts) {
				end = cuts[i].off
			}
			text := make([]byte, 0, len(c.key)+2+end-c.off)
			text = append(append(append(text, c.key...), ":\n"...), data[c.off:end]...)
			if d := decodeOne(text); d != nil {
				shiftLines(d, c.line-2)
				docs[i] = d
			}
		})
	}
	wg.Wait()
	top := topMapping(docs[0])
	if top == nil {
		return nil, false
	}
	for i, c := range cuts {
		m := topMapping(docs[i+1])
		if m == nil || len(m.Content) < 2 || m.Content[0].Value != c.key {
			return nil, false
		}
		open, more := top.Content[len(top.Content)-1], m.Content[1]
		if top.Content[len(top.Content)-2].Value != c.key || !blockSeqAt(open, 0, c.indent) || !blockSeqAt(more, c.line, c.indent) {
			return nil, false
		}
		open.Content = append(open.Content, more.Content...)
		top.Content = append(top.Content, m.Content[2:]...)
	}
	return docs[0], true
}

// decodeOne decodes text that must hold exactly one document, or nil.
func decodeOne(text []byte) *yaml.Node {
	dec := yaml.NewDecoder(bytes.NewReader(text))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		return nil
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err != io.EOF {
		return nil
	}
	return &doc
}

// topMapping is a decoded document's top mapping, in block style, or nil.
func topMapping(doc *yaml.Node) *yaml.Node {
	if doc == nil || doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return nil
	}
	m := doc.Content[0]
	if m.Kind != yaml.MappingNode || m.Style&yaml.FlowStyle != 0 || len(m.Content)%2 != 0 || len(m.Content) == 0 {
		return nil
	}
	return m
}

// blockSeqAt tells whether n is a block sequence whose entries stand at
// indent, and, for line > 0, starts at that line.
func blockSeqAt(n *yaml.Node, line, indent int) bool {
	return n.Kind == yaml.SequenceNode && n.Style&yaml.FlowStyle == 0 && n.Column == indent+1 && (line == 0 || n.Line == line)
}

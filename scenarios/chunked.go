package scenarios

import (
	"bytes"
	"io"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/renewsim/renewsim/sim"
)

// A big scenario is nearly always a long timeline. yaml.v3 builds a node
// tree of the whole document before anything can be read from it, and that
// tree costs about twenty times the text: a timeline of a million entries
// took 1.5 GB before the loader saw its first entry. So parse reads a
// timeline written in block style in batches: the rest of the document is
// decoded first with the timeline's lines left blank (every other line
// keeps its number), then each batch of entries is decoded on its own, its
// positions moved to where it stands in the file, checked and dropped.
//
// The batches are the same text in the same context (entries of a block
// sequence at the same indentation), so they give the same nodes as the
// whole document would. Where that could fail, the file is read whole:
// anchors (an alias in one batch may name an anchor in another), document
// markers and directives, tabs at the start of a line, text that is not
// UTF-8, a line in the timeline that is neither an entry, a continuation,
// a comment nor blank, and any syntax error (the whole document then
// reports its first error exactly as before).

// chunkFrom is the size from which parse reads a block-style timeline in
// batches; a variable so that the tests read every file both ways.
var chunkFrom = bigInput

// batchEntries is how many timeline entries one batch decodes (a variable
// so that the tests cross batch boundaries with small files).
var batchEntries = 1024

// timelineBlock is where a top-level block-style timeline stands in a file.
type timelineBlock struct {
	data    []byte
	keyLine int // the line of "timeline:"
	start   int // offset of the line after it
	end     int // offset just past the block
	first   pos // where the sequence starts: its first "-"
	count   int // entries
	batches []batch

	used   bool // the loader read the block
	failed bool // a batch did not decode as expected: read the file whole
}

// batch is a run of whole entries: their text and its first line.
type batch struct {
	off, end int
	line     int
	n        int
}

// findTimelineBlock finds the block-style sequence of a top-level
// "timeline:" key whose batches decode like the whole document, or nil.
func findTimelineBlock(data []byte) *timelineBlock {
	if bytes.IndexByte(data, '&') >= 0 || !utf8.Valid(data) {
		return nil
	}
	var tb *timelineBlock
	indent := -1     // the entries' indentation, once known
	inBlock := false // between the key and the end of the block
	var cur batch
	endBlock := func(at int) {
		if cur.n > 0 {
			cur.end = at
			tb.batches = append(tb.batches, cur)
		}
		tb.end = at
		inBlock = false
	}
	line := 0
	for off := 0; off < len(data); {
		line++
		next, sp, rest := lineAt(data, off)
		if len(rest) > 0 && rest[0] == '\t' {
			return nil
		}
		blank := len(bytes.TrimSpace(rest)) == 0
		comment := !blank && rest[0] == '#'
		if inBlock {
			switch {
			case blank, comment && (indent < 0 || sp <= indent):
				// Nothing to the YAML: it stays with the entry before it.
			case indent >= 0 && sp > indent:
				// A continuation of the current entry.
			case isEntryStart(rest) && (indent < 0 || sp == indent):
				if indent < 0 {
					indent = sp
					tb.first = pos{line, sp + 1}
				}
				if cur.n == batchEntries {
					cur.end = off
					tb.batches = append(tb.batches, cur)
					cur = batch{}
				}
				if cur.n == 0 {
					cur.off, cur.line = off, line
				}
				cur.n++
				tb.count++
			case sp == 0 && indent >= 0:
				// The next top-level key: the block ends here, and the
				// line is read below as any top-level line.
				endBlock(off)
			default:
				// Under-indented or misplaced text: let the whole
				// document say what it is.
				return nil
			}
			if inBlock {
				off = next
				continue
			}
		}
		if sp == 0 && !blank && !comment {
			switch {
			case bytes.HasPrefix(rest, []byte("---")), bytes.HasPrefix(rest, []byte("...")), rest[0] == '%':
				return nil
			case isTimelineKey(rest):
				if tb != nil {
					return nil // a second timeline key: the whole document reports it
				}
				tb = &timelineBlock{data: data, keyLine: line, start: next}
				inBlock = true
			}
		}
		off = next
	}
	if tb == nil {
		return nil
	}
	if inBlock {
		endBlock(len(data))
	}
	if tb.count == 0 {
		return nil
	}
	return tb
}

// lineAt reads the line of data that starts at off: where the next line
// starts, how many spaces indent it, and its text after them.
func lineAt(data []byte, off int) (next, sp int, rest []byte) {
	next = bytes.IndexByte(data[off:], '\n')
	if next < 0 {
		next = len(data)
	} else {
		next += off + 1
	}
	text := data[off:next]
	for sp < len(text) && text[sp] == ' ' {
		sp++
	}
	return next, sp, text[sp:]
}

// isEntryStart reports a line (from its first non-space) that starts a
// block sequence entry: "-" then a space or the end of the line.
func isEntryStart(rest []byte) bool {
	return len(rest) > 0 && rest[0] == '-' && (len(rest) == 1 || rest[1] == ' ' || rest[1] == '\n' || rest[1] == '\r')
}

// isTimelineKey reports the line "timeline:", perhaps with a comment.
func isTimelineKey(rest []byte) bool {
	const key = "timeline:"
	if !bytes.HasPrefix(rest, []byte(key)) {
		return false
	}
	after := bytes.TrimLeft(rest[len(key):], " ")
	return len(bytes.TrimSpace(after)) == 0 || after[0] == '#'
}

// top is the file with the block's lines left empty: the same number of
// lines, so that every other position stays where it is.
func (tb *timelineBlock) top() []byte {
	block := tb.data[tb.start:tb.end]
	lines := bytes.Count(block, []byte{'\n'})
	out := make([]byte, 0, tb.start+lines+len(tb.data)-tb.end)
	out = append(out, tb.data[:tb.start]...)
	for range lines {
		out = append(out, '\n')
	}
	return append(out, tb.data[tb.end:]...)
}

// decodeBatch decodes one batch into its sequence of entries, with the
// positions of the file; ok is false when it does not decode to exactly its
// entries.
func (tb *timelineBlock) decodeBatch(bt batch) (entries []*yaml.Node, ok bool) {
	dec := yaml.NewDecoder(bytes.NewReader(tb.data[bt.off:bt.end]))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		return nil, false
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err != io.EOF {
		return nil, false
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return nil, false
	}
	seq := doc.Content[0]
	if seq.Kind != yaml.SequenceNode || len(seq.Content) != bt.n {
		return nil, false
	}
	shiftLines(seq, bt.line-1)
	return seq.Content, true
}

// shiftLines moves every position in the tree down by n lines.
func shiftLines(n *yaml.Node, by int) {
	if n.Line > 0 {
		n.Line += by
	}
	for _, c := range n.Content {
		shiftLines(c, by)
	}
}

// parseChunked is parse for a file with a timeline block; ok is false when
// the file must be read whole after all.
func parseChunked(file string, tb *timelineBlock, wantName string) (sc *sim.Scenario, err error, ok bool) {
	doc, errs := decode(file, tb.top())
	if errs != nil {
		return nil, nil, false
	}
	l := &loader{file: file, block: tb}
	s := l.scenario(doc, wantName)
	if !tb.used || tb.failed {
		return nil, nil, false
	}
	if len(l.errs) > 0 {
		return nil, sortErrors(l.errs), true
	}
	return s, nil, true
}

package fleet

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// jdoc is one JSON value of a file: a whole file, or one line of a JSON
// Lines file (line > 0), and where its problems go.
type jdoc struct {
	file string
	line int
	c    *collector
}

func (d *jdoc) bad(path, format string, args ...any) {
	d.c.add(&Problem{File: d.file, Line: d.line, Path: path, Msg: fmt.Sprintf(format, args...)})
}

// jv is one JSON value and its path from the document's root.
type jv struct {
	d    *jdoc
	v    any
	path string
}

// decodeJSON reads every JSON value in data: one document, or several
// (JSON Lines, or values simply concatenated). Syntax problems are
// reported with line and column; nothing is returned for a file with one.
// Values of a file with more than one carry their line in messages.
func decodeJSON(file string, data []byte, c *collector) []jv {
	if len(bytes.TrimSpace(data)) == 0 {
		c.at(file, 0, 0, "empty file: want the JSON the AWS CLI writes")
		return nil
	}
	values, lines, ok := decodeHalves(data)
	if !ok {
		var start int
		var err error
		if values, lines, start, err = decodeValues(data, 1); err != nil {
			reportSyntax(file, data, start, err, c)
			return nil
		}
	}
	out := make([]jv, len(values))
	for i, v := range values {
		d := &jdoc{file: file, c: c}
		if len(values) > 1 {
			d.line = lines[i]
		}
		out[i] = jv{d: d, v: v, path: "$"}
	}
	return out
}

// decodeValues decodes every value in data, with the line each starts on
// (data's first line is line). On a syntax error it returns where the
// value that failed starts.
func decodeValues(data []byte, line int) (values []any, lines []int, start int, err error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	// The line of each value, counted on from the last one: a JSON Lines
	// export of many certificates is read in one pass.
	counted := 0
	for {
		start = skipSpace(data, int(dec.InputOffset()))
		var v any
		if err := dec.Decode(&v); err == io.EOF {
			return values, lines, 0, nil
		} else if err != nil {
			return nil, nil, start, err
		}
		values = append(values, v)
		line += bytes.Count(data[counted:start], []byte("\n"))
		counted = start
		lines = append(lines, line)
	}
}

// decodeHalves decodes a large JSON Lines file in two halves at once, cut
// where a line starts with "{": an account's describe-certificate export
// of 10,000 certificates is 9 MB, 0.3 s to decode on one core. A cut that
// does not fall between two values leaves a half that does not decode;
// then, as for a small file or one with a syntax error, ok is false and
// the file is decoded whole, which reports the error where it is.
func decodeHalves(data []byte) (values []any, lines []int, ok bool) {
	const halvesFrom = 1 << 20
	if len(data) < halvesFrom {
		return nil, nil, false
	}
	cut := bytes.Index(data[len(data)/2:], []byte("\n{"))
	if cut < 0 {
		return nil, nil, false
	}
	cut += len(data)/2 + 1
	type half struct {
		values []any
		lines  []int
		err    error
	}
	var second half
	done := make(chan struct{})
	go func() {
		defer close(done)
		firstLine := 1 + bytes.Count(data[:cut], []byte("\n"))
		second.values, second.lines, _, second.err = decodeValues(data[cut:], firstLine)
	}()
	values, lines, _, err := decodeValues(data[:cut], 1)
	<-done
	if err != nil || second.err != nil || len(values) == 0 || len(second.values) == 0 {
		return nil, nil, false
	}
	return append(values, second.values...), append(lines, second.lines...), true
}

func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
		i++
	}
	return i
}

type position struct{ line, col int }

// lineCol is the 1-based line and column (in bytes) of offset in data.
func lineCol(data []byte, offset int) position {
	offset = min(max(offset, 0), len(data))
	line := 1 + bytes.Count(data[:offset], []byte("\n"))
	col := offset + 1
	if i := bytes.LastIndexByte(data[:offset], '\n'); i >= 0 {
		col = offset - i
	}
	return position{line, col}
}

// reportSyntax turns a decoding error into a problem at line:col.
func reportSyntax(file string, data []byte, start int, err error, c *collector) {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		off := int(se.Offset)
		if off > 0 {
			off-- // the offset is just past the offending byte
		}
		p := lineCol(data, off)
		c.at(file, p.line, p.col, "JSON syntax error: %s", strings.TrimPrefix(se.Error(), "json: "))
	case errors.Is(err, io.ErrUnexpectedEOF):
		p := lineCol(data, len(data))
		s := lineCol(data, start)
		c.at(file, p.line, p.col, "truncated JSON: the file ends inside the value that starts at line %d (was the export cut short?)", s.line)
	default:
		p := lineCol(data, start)
		c.at(file, p.line, p.col, "JSON: %v", err)
	}
}

// describe names a JSON value for "want X, got Y" messages.
func describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return fmt.Sprint(x)
	case json.Number:
		return "the number " + x.String()
	case string:
		if len(x) > 60 {
			x = x[:57] + "..."
		}
		return strconv.Quote(x)
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

func (v jv) child(key string) jv {
	return jv{d: v.d, v: v.v.(map[string]any)[key], path: v.path + "." + key}
}

// object reports a value that is not an object.
func (v jv) object() bool {
	if _, ok := v.v.(map[string]any); ok {
		return true
	}
	v.d.bad(v.path, "want an object, got %s", describe(v.v))
	return false
}

// keys lists the keys of an object, sorted, for messages.
func (v jv) keys() []string {
	m, _ := v.v.(map[string]any)
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// get returns the member key of an object; ok is false when it is absent
// or null (the CLI writes absent members for most optional fields).
func (v jv) get(key string) (jv, bool) {
	m, _ := v.v.(map[string]any)
	x, ok := m[key]
	if !ok || x == nil {
		return jv{}, false
	}
	return jv{d: v.d, v: x, path: v.path + "." + key}, true
}

func (v jv) missing(key string) {
	v.d.bad(v.path, "missing %s", key)
}

// str reads a string member; a required one that is absent is reported.
func (v jv) str(key string, required bool) (string, bool) {
	m, ok := v.get(key)
	if !ok {
		if required {
			v.missing(key)
		}
		return "", false
	}
	s, ok := m.v.(string)
	if !ok {
		m.d.bad(m.path, "want a string, got %s", describe(m.v))
		return "", false
	}
	return s, true
}

// enum reads a string member that must be one of allowed.
func (v jv) enum(key string, allowed []string, required bool) (string, bool) {
	s, ok := v.str(key, required)
	if !ok {
		return "", false
	}
	if !slices.Contains(allowed, s) {
		v.d.bad(v.path+"."+key, "unknown value %q (expected one of: %s)", s, strings.Join(allowed, ", "))
		return "", false
	}
	return s, true
}

// boolean reads a true/false member.
func (v jv) boolean(key string) (*bool, bool) {
	m, ok := v.get(key)
	if !ok {
		return nil, false
	}
	b, ok := m.v.(bool)
	if !ok {
		m.d.bad(m.path, "want true or false, got %s", describe(m.v))
		return nil, false
	}
	return &b, true
}

// integer reads a whole-number member.
func (v jv) integer(key string, required bool) (int, bool) {
	m, ok := v.get(key)
	if !ok {
		if required {
			v.missing(key)
		}
		return 0, false
	}
	n, isNum := m.v.(json.Number)
	i, err := strconv.Atoi(n.String())
	if !isNum || err != nil {
		m.d.bad(m.path, "want a whole number, got %s", describe(m.v))
		return 0, false
	}
	return i, true
}

// list reads an array member, each element with its path.
func (v jv) list(key string) []jv {
	m, ok := v.get(key)
	if !ok {
		return nil
	}
	a, ok := m.v.([]any)
	if !ok {
		m.d.bad(m.path, "want an array, got %s", describe(m.v))
		return nil
	}
	out := make([]jv, len(a))
	for i, x := range a {
		out[i] = jv{d: m.d, v: x, path: fmt.Sprintf("%s[%d]", m.path, i)}
	}
	return out
}

// strings reads an array of strings; elements that are not strings are
// reported and left out.
func (v jv) strings(key string) []string {
	var out []string
	for _, e := range v.list(key) {
		s, ok := e.v.(string)
		if !ok {
			e.d.bad(e.path, "want a string, got %s", describe(e.v))
			continue
		}
		out = append(out, s)
	}
	return out
}

// timestamp reads a time as the AWS CLI writes it: an ISO 8601 string
// (CLI v2: "2026-03-01T00:00:00+00:00", fractional seconds allowed) or
// epoch seconds (CLI v1 and the raw API: 1772323200 or 1772323200.123).
func (v jv) timestamp(key string, required bool) (time.Time, bool) {
	m, ok := v.get(key)
	if !ok {
		if required {
			v.missing(key)
		}
		return time.Time{}, false
	}
	const want = `want a timestamp: an ISO 8601 string like "2026-03-01T00:00:00+00:00" or epoch seconds like 1772323200`
	switch x := m.v.(type) {
	case string:
		t, err := time.Parse(time.RFC3339Nano, x)
		if err != nil {
			m.d.bad(m.path, "%s, got %s", want, describe(x))
			return time.Time{}, false
		}
		return t.UTC(), true
	case json.Number:
		t, ok := epochSeconds(x.String())
		if !ok {
			m.d.bad(m.path, "%s, got %s", want, describe(x))
			return time.Time{}, false
		}
		return t, true
	}
	m.d.bad(m.path, "%s, got %s", want, describe(m.v))
	return time.Time{}, false
}

// epochSeconds reads seconds since the epoch, possibly fractional or in
// exponent form, to the microsecond (the SDKs keep milliseconds).
func epochSeconds(s string) (time.Time, bool) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) || f < 0 || f > 253402300799 { // year 9999
		return time.Time{}, false
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(math.Round(frac*1e6))*1e3).UTC(), true
}

package iac

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"

	"github.com/renewsim/renewsim/fleet"
)

// collector gathers every problem of every file, as fleet.Problems: the
// check reports them the way it reports the exports'.
type collector struct{ probs fleet.Problems }

// at adds a problem at a JSON path of file.
func (c *collector) at(file, path, format string, args ...any) {
	c.probs = append(c.probs, &fleet.Problem{File: file, Path: path, Msg: fmt.Sprintf(format, args...)})
}

// line adds a problem at a line (and column, when known) of file.
func (c *collector) line(file string, line, col int, format string, args ...any) {
	c.probs = append(c.probs, &fleet.Problem{File: file, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)})
}

func (c *collector) count() int { return len(c.probs) }

// err is the problems sorted by file (stable within one), or nil.
func (c *collector) err() error {
	if len(c.probs) == 0 {
		return nil
	}
	// A state is both sides of the fleet: what is wrong in it is found
	// twice, and said once.
	var out fleet.Problems
	seen := map[fleet.Problem]bool{}
	for _, p := range c.probs {
		if !seen[*p] {
			seen[*p] = true
			out = append(out, p)
		}
	}
	slices.SortStableFunc(out, func(a, b *fleet.Problem) int { return cmp.Compare(a.File, b.File) })
	return out
}

// lineCol is the 1-based line and column (in bytes) of offset in data.
func lineCol(data []byte, offset int) (int, int) {
	offset = min(max(offset, 0), len(data))
	line := 1 + bytes.Count(data[:offset], []byte("\n"))
	col := offset + 1
	if i := bytes.LastIndexByte(data[:offset], '\n'); i >= 0 {
		col = offset - i
	}
	return line, col
}

// checkJSON reports what keeps data from being one JSON value, with line
// and column, and tells whether it is one. what names the file's kind for
// the message about an empty file.
func checkJSON(file string, data []byte, what string, c *collector) bool {
	if len(bytes.TrimSpace(data)) == 0 {
		c.line(file, 0, 0, "empty file: want %s", what)
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	var v json.RawMessage
	err := dec.Decode(&v)
	if err == nil {
		if _, err2 := dec.Token(); err2 != io.EOF {
			line, col := lineCol(data, int(dec.InputOffset()))
			c.line(file, line, col, "more than one JSON value: want %s alone", what)
			return false
		}
		return true
	}
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se) && !strings.Contains(se.Error(), "unexpected end of JSON input"):
		off := int(se.Offset)
		if off > 0 {
			off-- // the offset is just past the offending byte
		}
		line, col := lineCol(data, off)
		c.line(file, line, col, "JSON syntax error: %s", strings.TrimPrefix(se.Error(), "json: "))
	case errors.Is(err, io.ErrUnexpectedEOF) || se != nil:
		line, col := lineCol(data, len(data))
		c.line(file, line, col, "truncated JSON: the file ends inside a value (was it cut short?)")
	default:
		c.line(file, 0, 0, "JSON: %v", err)
	}
	return false
}

// typeProblem turns an error of decoding well-formed JSON into typed
// structures into a problem with the JSON path the decoder names.
func typeProblem(file string, data []byte, err error, c *collector) {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		line, col := lineCol(data, int(te.Offset))
		path := "$"
		if te.Field != "" {
			path += "." + te.Field
		}
		c.probs = append(c.probs, &fleet.Problem{File: file, Line: line, Col: col, Path: path,
			Msg: fmt.Sprintf("want %s, got a JSON %s", kindWord(te.Type), te.Value)})
		return
	}
	c.line(file, 0, 0, "%v", err)
}

// kindWord names a Go type the way a JSON document would.
func kindWord(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Map, reflect.Struct:
		return "an object"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return "a number"
	}
	return t.String()
}

// describe names a JSON value for "want X, got Y" messages.
func describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return fmt.Sprint(x)
	case float64, json.Number:
		return fmt.Sprintf("the number %v", x)
	case string:
		if len(x) > 60 {
			x = x[:57] + "..."
		}
		return fmt.Sprintf("%q", x)
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// problemAt is a problem at a line and column and a JSON path of file.
func problemAt(file string, line, col int, path, format string, args ...any) *fleet.Problem {
	return &fleet.Problem{File: file, Line: line, Col: col, Path: path, Msg: fmt.Sprintf(format, args...)}
}

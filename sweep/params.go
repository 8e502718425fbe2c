package sweep

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Param is one parameter of a sweep variant: a path into the scenario and
// the value it had.
type Param struct {
	Path  string
	Value string
}

// Params keep their order; in JSON they are one object whose keys are the
// paths, in that order.
type Params []Param

// MarshalJSON writes {"path": "value", …} in order.
func (ps Params) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, p := range ps {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := marshalString(p.Path)
		if err != nil {
			return nil, err
		}
		v, err := marshalString(p.Value)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// UnmarshalJSON reads an object of strings, keeping the order of its keys.
func (ps *Params) UnmarshalJSON(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok == nil {
		*ps = nil
		return nil
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return fmt.Errorf("params: want an object of path: value, got %v", tok)
	}
	out := Params{}
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return err
		}
		var v string
		if err := dec.Decode(&v); err != nil {
			return fmt.Errorf("params: %q: want a string value: %w", kt, err)
		}
		out = append(out, Param{Path: kt.(string), Value: v})
	}
	*ps = out
	return nil
}

// Value returns the value of path.
func (ps Params) Value(path string) (string, bool) {
	for _, p := range ps {
		if p.Path == path {
			return p.Value, true
		}
	}
	return "", false
}

func marshalString(s string) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

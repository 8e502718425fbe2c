package sim

import (
	"bytes"
	"encoding/json"
	"time"
)

// entryWire is an Entry as the JSON event log writes it: the attempt number
// inside the detail, after the cycle.
type entryWire struct {
	Time     time.Time   `json:"time"`
	Kind     Kind        `json:"kind"`
	Cert     string      `json:"cert,omitempty"`
	Resource string      `json:"resource,omitempty"`
	Detail   *detailWire `json:"detail"`
}

// detailWire is a Detail with the entry's attempt number after the cycle.
// Every other field is the embedded Detail's own, with its tags and in its
// order (encoding/json writes an embedded struct's fields where it is
// embedded), so a field added to Detail reaches the event log by itself.
// Text and Cycle are repeated here only because the attempt must follow
// them: fields at the outer level hide the embedded ones of the same name.
type detailWire struct {
	Text    string `json:"text,omitempty"`
	Cycle   int    `json:"cycle,omitempty"`
	Attempt int    `json:"attempt,omitempty"`
	*Detail
}

// MarshalJSON writes e the way the event log holds it.
func (e Entry) MarshalJSON() ([]byte, error) {
	w := entryWire{Time: e.Time, Kind: e.Kind, Cert: e.Cert, Resource: e.Resource(), Detail: &detailWire{Attempt: e.Attempt, Detail: e.Detail}}
	if d := e.Detail; d != nil {
		w.Detail.Text, w.Detail.Cycle = d.Text, d.Cycle
	}
	// Leave HTML characters alone: the encoder that called us escapes
	// them or not, as it was told.
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(w); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// UnmarshalJSON reads an entry of the event log back. Logs written before
// the attempt number moved out of Detail have the same form.
func (e *Entry) UnmarshalJSON(b []byte) error {
	d := &Detail{}
	w := entryWire{Detail: &detailWire{Detail: d}}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	attempt := 0
	if w.Detail != nil { // "detail": null leaves an empty Detail
		d.Text, d.Cycle, attempt = w.Detail.Text, w.Detail.Cycle, w.Detail.Attempt
	}
	d.Resource = w.Resource
	*e = Entry{Time: w.Time, Kind: w.Kind, Cert: w.Cert, Attempt: attempt, Detail: d}
	return nil
}

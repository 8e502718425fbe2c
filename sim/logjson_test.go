package sim

import (
	"encoding/json"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The event log's detail has every field of Detail, in Detail's order, and
// the attempt number after the cycle: a field added to Detail must be added
// to the wire form (and its two copies) too.
func TestDetailWireMatchesDetail(t *testing.T) {
	fields := func(v any) []reflect.StructField {
		var out []reflect.StructField
		for _, f := range reflect.VisibleFields(reflect.TypeOf(v)) {
			f.Index, f.Offset = nil, 0
			out = append(out, f)
		}
		return out
	}
	want := fields(Detail{})
	i := slices.IndexFunc(want, func(f reflect.StructField) bool { return f.Name == "Cycle" })
	require.GreaterOrEqual(t, i, 0)
	want = slices.Insert(want, i+1, reflect.StructField{Name: "Attempt", Type: reflect.TypeOf(0), Tag: `json:"attempt,omitempty"`})
	assert.Equal(t, want, fields(detailWire{}))
}

// Every field survives a round trip through JSON, the attempt number too.
func TestEntryJSONRoundTrip(t *testing.T) {
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	d := Detail{}
	v := reflect.ValueOf(&d).Elem()
	for i := range v.NumField() {
		f := v.Field(i)
		switch f.Kind() {
		case reflect.String:
			f.SetString(v.Type().Field(i).Name)
		case reflect.Int:
			f.SetInt(int64(i + 1))
		}
	}
	d.Names, d.NotBefore, d.NotAfter, d.OK = []string{"a", "b"}, &at, &at, boolPtr(true)
	d.Checks = []NameCheck{{Domain: "example.com", Status: ValidationSuccess}}
	d.CAA = []CAAAnswer{{Name: "example.com", OK: true}}
	d.Approved, d.Expired, d.Verified = boolPtr(false), boolPtr(true), boolPtr(true)
	e := Entry{Time: at, Kind: KindAttempt, Cert: "web", Resource: "alb", Attempt: 7, Detail: &d}
	b, err := json.Marshal(e)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"cycle":2,"attempt":7,"status":"Status"`)
	var back Entry
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, e, back)
}

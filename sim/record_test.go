package sim

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A record larger than one array reads back whole and in order, however
// often it is read while it grows, and a slice handed out keeps its
// entries while the record goes on.
func TestRecordInChunks(t *testing.T) {
	m := &Model{}
	m.UseRecord(make([]Entry, 0, 10))
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	d := &Detail{Text: "x"}
	var kept [][]Entry
	n := 0
	for _, upto := range []int{5, 300, recordChunk, 3*recordChunk + 17, 3*recordChunk + 18, 5 * recordChunk} {
		for ; n < upto; n++ {
			m.append(t0.Add(time.Duration(n)*time.Second), KindTimeline, nil, n, d)
		}
		rec := m.Record()
		require.Len(t, rec, n)
		assert.Same(t, &rec[0], &m.Record()[0], "read twice without growing: one join")
		kept = append(kept, rec)
	}
	for _, rec := range kept {
		for i, e := range rec {
			if e.Attempt != i || !e.Time.Equal(t0.Add(time.Duration(i)*time.Second)) {
				t.Fatalf("entry %d of a record of %d reads attempt %d at %s", i, len(rec), e.Attempt, e.Time)
			}
		}
	}
	m.UseRecord(nil)
	m.append(t0, KindEnd, nil, 0, d)
	assert.Len(t, m.Record(), 1, "a recycled record starts empty")
}

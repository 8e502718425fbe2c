package report

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// flattenBandsNaive is flattenBands as its comment says it: at every cut,
// look at every band.
func flattenBandsNaive(layers [][]Band) []Band {
	var cuts []time.Time
	for _, layer := range layers {
		for _, b := range layer {
			cuts = append(cuts, b.Start, b.End)
		}
	}
	var tr bandTrack
	slices.SortFunc(cuts, func(a, b time.Time) int { return a.Compare(b) })
	for i, at := range cuts {
		if i > 0 && at.Equal(cuts[i-1]) {
			continue
		}
		var top *Band
		for _, layer := range layers {
			for j := range layer {
				if b := &layer[j]; !at.Before(b.Start) && at.Before(b.End) {
					top = b
				}
			}
		}
		if top == nil {
			tr.close(at)
			continue
		}
		tr.set(at, top.State, top.Note)
	}
	if len(cuts) > 0 {
		tr.close(cuts[len(cuts)-1])
	}
	return tr.bands
}

func TestFlattenBands(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	band := func(from, to int, state, note string) Band {
		return Band{Start: t0.Add(time.Duration(from) * time.Hour), End: t0.Add(time.Duration(to) * time.Hour), State: state, Note: note}
	}
	for _, tc := range []struct {
		name   string
		layers [][]Band
		want   []Band
	}{
		{"nothing", nil, nil},
		{"one layer with a gap", [][]Band{{band(0, 2, "a", ""), band(5, 7, "b", "")}},
			[]Band{band(0, 2, "a", ""), band(5, 7, "b", "")}},
		{"the same state and note run on", [][]Band{{band(0, 2, "a", "n"), band(2, 4, "a", "n")}},
			[]Band{band(0, 4, "a", "n")}},
		{"overlapping bands of one layer: the later wins", [][]Band{{band(0, 10, "a", "x"), band(2, 5, "a", "y")}},
			[]Band{band(0, 2, "a", "x"), band(2, 5, "a", "y"), band(5, 10, "a", "x")}},
		{"an earlier band under a later one does not show", [][]Band{{band(2, 5, "a", ""), band(0, 10, "b", "")}},
			[]Band{band(0, 10, "b", "")}},
		{"a later layer on top", [][]Band{{band(0, 10, "serving", "web")}, nil, {band(4, 6, "outage", "web")}},
			[]Band{band(0, 4, "serving", "web"), band(4, 6, "outage", "web"), band(6, 10, "serving", "web")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, flattenBands(tc.layers))
		})
	}

	// Random layers, overlapping or not, against the rule itself.
	rng := rand.New(rand.NewPCG(1, 2))
	for k := range 500 {
		layers := make([][]Band, 1+rng.IntN(3))
		for i := range layers {
			for range rng.IntN(6) {
				from := rng.IntN(20)
				layers[i] = append(layers[i], band(from, from+1+rng.IntN(8), fmt.Sprint("s", rng.IntN(3)), fmt.Sprint(rng.IntN(2))))
			}
		}
		require.Equal(t, flattenBandsNaive(layers), flattenBands(layers), "case %d: %v", k, layers)
	}
}

package fleet

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// Certificates that share a resource land in the same part (directly or
// through a chain of resources); the rest go round-robin, and every
// certificate is in exactly one part.
func TestShardOfKeepsSharedResourcesTogether(t *testing.T) {
	e := func(id string, sim bool, res ...string) *Entry { return &Entry{ID: id, Simulated: sim, InUseBy: res} }
	entries := []*Entry{
		e("a", true, "alb-1"),
		e("b", true, "alb-2"),
		e("c", true, "alb-1", "cdn-1"), // with a
		e("d", false),
		e("e", true, "cdn-1"), // with c, so with a
		e("f", true),
		e("g", true, "alb-2"), // with b
	}
	const n = 3
	where := map[string]int{}
	for i := range n {
		for _, x := range shardOf(entries, i, n) {
			_, dup := where[x.ID]
			assert.False(t, dup, "%s in two parts", x.ID)
			where[x.ID] = i
		}
	}
	assert.Len(t, where, len(entries))
	assert.Equal(t, where["a"], where["c"])
	assert.Equal(t, where["a"], where["e"])
	assert.Equal(t, where["b"], where["g"])
	// Groups in order of their first certificate: {a,c,e} {b,g} {d} {f}.
	assert.Equal(t, map[string]int{"a": 0, "c": 0, "e": 0, "b": 1, "g": 1, "d": 2, "f": 0}, where)
}

package engine

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var t0 = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

func TestOrderByTimeThenSequence(t *testing.T) {
	e := New(t0, 1)
	var got []string
	add := func(d time.Duration, name string) {
		e.After(d, name, func() { got = append(got, name) })
	}
	add(2*time.Hour, "c")
	add(time.Hour, "a")
	add(2*time.Hour, "d")
	add(time.Hour, "b")
	add(0, "now")
	e.Run(t0.Add(24 * time.Hour))
	assert.Equal(t, []string{"now", "a", "b", "c", "d"}, got)
	assert.Equal(t, t0.Add(24*time.Hour), e.Now(), "Run leaves the clock at until")
}

func TestEqualTimeOrderIsInsertionOrderAtScale(t *testing.T) {
	e := New(t0, 1)
	var got []int
	for i := range 1000 {
		// Many events share a few instants; within one instant the order
		// must be the order of scheduling.
		e.After(time.Duration(i%7)*time.Minute, "x", func() { got = append(got, i) })
	}
	e.Run(t0.Add(time.Hour))
	require.Len(t, got, 1000)
	last := map[int]int{}
	for _, v := range got {
		k := v % 7
		if prev, ok := last[k]; ok {
			assert.Less(t, prev, v)
		}
		last[k] = v
	}
}

func TestScheduleFromCallbackAndNow(t *testing.T) {
	e := New(t0, 1)
	var at []time.Time
	var tick func()
	tick = func() {
		at = append(at, e.Now())
		if len(at) < 24 {
			e.After(time.Hour, "tick", tick)
		}
	}
	e.At(t0, "tick", tick)
	n := e.Run(t0.Add(48 * time.Hour))
	assert.EqualValues(t, 24, n)
	require.Len(t, at, 24)
	for i, ts := range at {
		assert.Equal(t, t0.Add(time.Duration(i)*time.Hour), ts)
	}
}

func TestRunStopsBeforeLaterEvents(t *testing.T) {
	e := New(t0, 1)
	ran := false
	e.After(2*time.Hour, "late", func() { ran = true })
	e.Run(t0.Add(time.Hour))
	assert.False(t, ran)
	assert.Equal(t, 1, e.Pending())
	e.Run(t0.Add(2 * time.Hour))
	assert.True(t, ran, "an event exactly at until runs")
}

func TestCancel(t *testing.T) {
	e := New(t0, 1)
	var got []string
	h1 := e.After(time.Hour, "a", func() { got = append(got, "a") })
	e.After(time.Hour, "b", func() { got = append(got, "b") })
	assert.True(t, e.Cancel(h1))
	assert.False(t, e.Cancel(h1), "second cancel is a no-op")
	assert.False(t, e.Cancel(Handle{}), "zero handle")
	e.Run(t0.Add(2 * time.Hour))
	assert.Equal(t, []string{"b"}, got)

	// A handle of an event that ran must not cancel whatever reuses its slot.
	h2 := e.After(time.Hour, "c", func() { got = append(got, "c") })
	e.Run(t0.Add(3 * time.Hour))
	e.After(time.Hour, "d", func() { got = append(got, "d") })
	assert.False(t, e.Cancel(h2))
	e.Run(t0.Add(4 * time.Hour))
	assert.Equal(t, []string{"b", "c", "d"}, got)
}

func TestSchedulePast(t *testing.T) {
	e := New(t0, 1)
	e.Run(t0.Add(time.Hour))
	_, err := e.Schedule(Event{At: t0, Name: "past", Fn: func() {}})
	assert.ErrorIs(t, err, ErrPast)
	ran := false
	e.At(t0, "clamped", func() { ran = true })
	e.Run(t0.Add(time.Hour))
	assert.True(t, ran, "At clamps a past time to now")
}

func TestStopAndStep(t *testing.T) {
	e := New(t0, 1)
	count := 0
	for i := range 5 {
		e.After(time.Duration(i)*time.Minute, "n", func() {
			count++
			if count == 2 {
				e.Stop()
			}
		})
	}
	e.Run(t0.Add(time.Hour))
	assert.Equal(t, 2, count)
	assert.Equal(t, t0.Add(time.Minute), e.Now(), "a stopped run leaves the clock at the last event")
	assert.True(t, e.Step())
	assert.Equal(t, 3, count)
}

func TestTrace(t *testing.T) {
	e := New(t0, 1)
	var tr []Entry
	e.SetTrace(func(en Entry) { tr = append(tr, en) })
	e.After(time.Hour, "b", func() {})
	e.After(0, "a", func() {})
	e.Run(t0.Add(time.Hour))
	require.Len(t, tr, 2)
	assert.Equal(t, "a", tr[0].Name)
	assert.Equal(t, t0, tr[0].At)
	assert.Equal(t, "b", tr[1].Name)
	assert.Equal(t, t0.Add(time.Hour), tr[1].At)
}

func TestClockFollowsVirtualTime(t *testing.T) {
	e := New(t0, 1)
	c := e.Clock()
	var seen []time.Time
	e.After(90*time.Minute, "a", func() { seen = append(seen, c.Now()) })
	e.After(3*time.Hour, "b", func() { seen = append(seen, c.Now()) })
	e.Run(t0.Add(5 * time.Hour))
	assert.Equal(t, []time.Time{t0.Add(90 * time.Minute), t0.Add(3 * time.Hour)}, seen)
	assert.Equal(t, t0.Add(5*time.Hour), c.Now())
}

func TestRandStreamsAreSeededAndIndependent(t *testing.T) {
	draw := func(seed uint64, names ...string) []uint64 {
		e := New(t0, seed)
		var out []uint64
		for _, n := range names {
			out = append(out, e.Rand(n).Uint64())
		}
		return out
	}
	a := draw(7, "dns", "serial")
	assert.Equal(t, a, draw(7, "dns", "serial"), "same seed, same numbers")
	assert.NotEqual(t, a, draw(8, "dns", "serial"), "another seed, other numbers")
	// Using a new stream first must not shift the numbers of another.
	b := draw(7, "new-stream", "dns", "serial")
	assert.Equal(t, a, b[1:])
	assert.NotEqual(t, a[0], a[1], "streams differ by name")
}

func TestDeterministicSchedule(t *testing.T) {
	run := func() string {
		e := New(t0, 42)
		var log []string
		r := e.Rand("jitter")
		for i := range 200 {
			d := time.Duration(r.IntN(1000)) * time.Second
			e.After(d, fmt.Sprint("e", i), func() { log = append(log, fmt.Sprint(i, "@", e.Now().Unix())) })
		}
		e.Run(t0.Add(time.Hour))
		return fmt.Sprint(log)
	}
	assert.Equal(t, run(), run())
}

// BenchmarkEventLoop measures the pure scheduler: each event re-arms itself,
// with 1,000 timers pending, the shape of a simulation with many pollers.
func BenchmarkEventLoop(b *testing.B) {
	e := New(t0, 1)
	const pending = 1000
	var fns [pending]func()
	for i := range pending {
		d := time.Duration(i+1) * time.Second
		fns[i] = func() { e.After(d, "", fns[i]) }
		e.After(d, "", fns[i])
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		e.Step()
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds()/1e6, "Mevents/s")
}

func BenchmarkEventLoopPending(b *testing.B) {
	for _, pending := range []int{1, 16, 1000, 100000} {
		b.Run(fmt.Sprint("pending=", pending), func(b *testing.B) {
			e := New(t0, 1)
			fns := make([]func(), pending)
			for i := range pending {
				d := time.Duration(i%97+1) * time.Second
				fns[i] = func() { e.After(d, "", fns[i]) }
				e.After(d, "", fns[i])
			}
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				e.Step()
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds()/1e6, "Mevents/s")
		})
	}
}

// Run looks at the next event to know it lies after until; an event
// scheduled afterwards, between until and that event, still runs first.
func TestScheduleBeforeAnEventRunStoppedAt(t *testing.T) {
	e := New(t0, 1)
	var got []string
	e.After(2*time.Hour, "late", func() { got = append(got, "late") })
	e.Run(t0.Add(time.Hour))
	e.After(30*time.Minute, "early", func() { got = append(got, "early") })
	e.After(30*time.Minute, "early2", func() { got = append(got, "early2") })
	e.Run(t0.Add(3 * time.Hour))
	assert.Equal(t, []string{"early", "early2", "late"}, got)
}

func TestTimesAcrossTheEpoch(t *testing.T) {
	start := time.Date(1969, 12, 31, 23, 0, 0, 0, time.UTC)
	e := New(start, 1)
	var got []string
	e.At(start.Add(3*time.Hour), "after", func() { got = append(got, "after") })
	e.At(start.Add(30*time.Minute), "before", func() { got = append(got, "before") })
	e.At(start.Add(time.Hour), "epoch", func() { got = append(got, "epoch") })
	e.Run(start.Add(4 * time.Hour))
	assert.Equal(t, []string{"before", "epoch", "after"}, got)
}

// The queue runs events in (time, insertion) order whatever the mix of
// scheduling from callbacks, cancels and runs that stop early: checked
// against a plain sort over many random schedules.
func TestOrderAgainstAReference(t *testing.T) {
	for seed := range uint64(50) {
		r := rand.New(rand.NewPCG(seed, 7))
		e := New(t0, seed)
		type ev struct {
			at   time.Time
			seq  int
			live bool
		}
		var all []*ev
		var ran []int
		var schedule func(d time.Duration)
		schedule = func(d time.Duration) {
			x := &ev{at: e.Now().Add(d), seq: len(all), live: true}
			all = append(all, x)
			h := e.After(d, "", func() {
				ran = append(ran, x.seq)
				if r.IntN(3) == 0 && len(all) < 3000 {
					schedule(time.Duration(r.IntN(5)) * time.Minute)
				}
			})
			if r.IntN(10) == 0 {
				e.Cancel(h)
				x.live = false
			}
		}
		for range 300 {
			schedule(time.Duration(r.IntN(600)) * time.Minute)
		}
		for step := 1; step <= 24; step++ {
			e.Run(t0.Add(time.Duration(step) * time.Hour))
			for range r.IntN(20) {
				schedule(time.Duration(r.IntN(120)) * time.Minute)
			}
		}
		e.Run(t0.Add(1000 * time.Hour))
		// What ran must be every live event, sorted by (time, seq).
		var want []*ev
		for _, x := range all {
			if x.live {
				want = append(want, x)
			}
		}
		slices.SortStableFunc(want, func(a, b *ev) int {
			if c := a.at.Compare(b.at); c != 0 {
				return c
			}
			return a.seq - b.seq
		})
		require.Len(t, ran, len(want), "seed %d", seed)
		for i := range want {
			require.Equal(t, want[i].seq, ran[i], "seed %d, position %d", seed, i)
		}
	}
}

// An event that re-arms itself at the same instant would keep Run busy
// forever; the budget stops it and names it.
func TestBudgetStopsARunawayEvent(t *testing.T) {
	e := New(t0, 1)
	e.SetBudget(5000)
	var spin func()
	spin = func() { e.After(0, "spin", spin) }
	ticks := 0
	var tick func()
	tick = func() { ticks++; e.After(time.Hour, "tick", tick) }
	e.After(0, "tick", tick)
	e.After(time.Hour, "spin", spin)

	n := e.Run(t0.Add(24 * time.Hour))
	assert.EqualValues(t, 5000, n)
	var be *BudgetError
	require.ErrorAs(t, e.Err(), &be)
	assert.ErrorIs(t, e.Err(), ErrBudget)
	assert.Equal(t, "spin", be.Name)
	assert.EqualValues(t, 5000, be.Window, "a budget below the window counts every event")
	assert.EqualValues(t, 5000-2, be.Count, "two ticks ran before the spin began")
	assert.Equal(t, t0.Add(time.Hour), be.At)
	assert.Equal(t, t0.Add(time.Hour), e.Now(), "the clock stays where the budget ran out")
	assert.Equal(t, `engine: event budget of 5000 events used up at 2026-03-01T01:00:00Z with events still due before 2026-03-02T00:00:00Z: "spin" ran 4998 of the last 5000 events`, be.Error())
	assert.EqualValues(t, 0, e.Run(t0.Add(48*time.Hour)), "a spent budget stays spent")
	assert.Equal(t, 2, ticks)
}

func TestBudgetCountsOnlyTheTail(t *testing.T) {
	e := New(t0, 1)
	const budget = budgetWindow + 10000
	e.SetBudget(budget)
	var early func()
	early = func() { e.After(time.Second, "early", early) }
	e.After(0, "early", early)
	e.Run(t0.Add(20000 * time.Second)) // 20001 events: all before the counted tail
	require.NoError(t, e.Err())
	var late func()
	late = func() { e.After(0, "late", late) }
	e.After(0, "late", late)
	e.Run(t0.Add(40000 * time.Second))
	var be *BudgetError
	require.ErrorAs(t, e.Err(), &be)
	assert.EqualValues(t, budgetWindow, be.Window)
	assert.Equal(t, "late", be.Name)
	assert.Less(t, be.Count, uint64(budgetWindow))
	assert.Greater(t, be.Count, uint64(budgetWindow/2))
}

func TestBudgetBoundaries(t *testing.T) {
	cases := []struct {
		name    string
		budget  uint64
		events  int
		cancel  bool // cancel the one event past the budget
		wantErr bool
	}{
		{"no budget", 0, 100, false, false},
		{"exactly enough", 100, 100, false, false},
		{"one too few", 99, 100, false, true},
		{"the event past the budget was cancelled", 99, 100, true, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := New(t0, 1)
			e.SetBudget(tc.budget)
			var last Handle
			for i := range tc.events {
				last = e.After(time.Duration(i)*time.Minute, "n", func() {})
			}
			if tc.cancel {
				e.Cancel(last)
			}
			e.After(48*time.Hour, "after until", func() {})
			until := t0.Add(24 * time.Hour)
			e.Run(until)
			if tc.wantErr {
				assert.ErrorIs(t, e.Err(), ErrBudget)
				return
			}
			assert.NoError(t, e.Err())
			assert.Equal(t, until, e.Now())
		})
	}
}

// Scheduling a list of events one at a time, each when the one before it
// runs, in places reserved up front, gives exactly the order of scheduling
// them all at once, whatever else is scheduled at the same instants.
func TestReservedPlacesKeepTheOrder(t *testing.T) {
	for seed := range uint64(20) {
		r := rand.New(rand.NewPCG(seed, 1))
		n := 1 + r.IntN(60)
		at := make([]time.Duration, n)
		for i := range at {
			at[i] = time.Duration(r.IntN(8)) * time.Minute
		}
		slices.Sort(at)
		// Other events: some scheduled before the list, some by the list's
		// events, at the same few instants.
		others := make([]time.Duration, 1+r.IntN(30))
		for i := range others {
			others[i] = time.Duration(r.IntN(8)) * time.Minute
		}
		play := func(lazy bool) []string {
			e := New(t0, seed)
			var got []string
			note := func(s string) func() { return func() { got = append(got, s) } }
			var first uint64
			if lazy {
				first = e.Reserve(uint64(n))
			}
			var fire func(i int) func()
			fire = func(i int) func() {
				return func() {
					got = append(got, fmt.Sprint("list", i))
					if lazy && i+1 < n {
						e.AtReserved(t0.Add(at[i+1]), first+uint64(i+1), "list", fire(i+1))
					}
					if i%3 == 0 {
						e.After(0, "echo", note(fmt.Sprint("echo", i)))
					}
				}
			}
			if lazy {
				e.AtReserved(t0.Add(at[0]), first, "list", fire(0))
			} else {
				for i := range n {
					e.At(t0.Add(at[i]), "list", fire(i))
				}
			}
			for i, d := range others {
				e.At(t0.Add(d), "other", note(fmt.Sprint("other", i)))
			}
			e.Run(t0.Add(time.Hour))
			return got
		}
		assert.Equal(t, play(false), play(true), "seed %d", seed)
	}
}

func TestAtReservedNeedsAReservedNumber(t *testing.T) {
	e := New(t0, 1)
	assert.Panics(t, func() { e.AtReserved(t0, 1, "x", func() {}) })
	first := e.Reserve(2)
	assert.NotPanics(t, func() { e.AtReserved(t0, first+1, "x", func() {}) })
}

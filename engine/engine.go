package engine

import (
	"cmp"
	"errors"
	"hash/fnv"
	"math/bits"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"
)

// ErrPast is returned by Schedule when asked to run something before the
// current virtual time: the past cannot be changed.
var ErrPast = errors.New("engine: event scheduled before now")

// Event is one piece of work to run at a virtual time.
type Event struct {
	At   time.Time
	Name string // shown in the trace; not interpreted
	Fn   func()
}

// Handle identifies a scheduled event so it can be cancelled. The zero Handle
// refers to nothing.
type Handle struct {
	slot int32
	gen  uint32
}

// Entry is one line of the trace: an event that ran.
type Entry struct {
	Seq  uint64
	At   time.Time
	Name string
}

// item is what the queue orders. Keeping it small and free of pointers makes
// sifting cheap; the callback lives in the slot table.
type item struct {
	when int64  // Unix nanoseconds
	key  uint64 // insertion sequence << slotBits | slot
}

// slotBits is how many low bits of an item's key hold its slot: the
// sequence number above them keeps keys unique and in insertion order, so
// one comparison orders equal times.
const (
	slotBits = 24
	slotMask = 1<<slotBits - 1
	maxSlots = 1 << slotBits
)

func (it item) slot() int32 { return int32(it.key & slotMask) }
func (it item) seq() uint64 { return it.key >> slotBits }

type slot struct {
	fn   func()
	name string
	gen  uint32
	live bool
}

// Engine is a single-threaded discrete-event scheduler. It is not safe for
// concurrent use; everything runs on the goroutine that calls Run or Step.
type Engine struct {
	now     int64
	base    time.Time // carries the location of the start time
	seq     uint64
	buckets [65][]item // radix heap, see push
	mask    uint64     // bit b set: bucket b holds items (bucket 64, for times of opposite signs, is looked at when no bit is set)
	head0   int        // next item of bucket 0
	last    int64      // the last minimum: every queued time is >= last
	n       int
	slots   []slot
	free    []int32

	seed    uint64
	streams map[string]*rand.Rand

	stopped bool
	ran     uint64
	trace   func(Entry)

	clockOnce sync.Once
	clock     *clockwork.FakeClock
}

// New returns an engine whose virtual time starts at start and whose random
// streams all derive from seed.
func New(start time.Time, seed uint64) *Engine {
	return &Engine{
		now:     start.UnixNano(),
		last:    start.UnixNano(),
		base:    start,
		seed:    seed,
		streams: make(map[string]*rand.Rand),
	}
}

// Now is the current virtual time: the time of the event being run, or of the
// last one that ran.
func (e *Engine) Now() time.Time { return e.toTime(e.now) }

func (e *Engine) toTime(ns int64) time.Time {
	return time.Unix(0, ns).In(e.base.Location())
}

// Seed is the seed the engine was created with.
func (e *Engine) Seed() uint64 { return e.seed }

// Schedule queues ev. Events at the same time run in the order they were
// scheduled.
func (e *Engine) Schedule(ev Event) (Handle, error) {
	when := ev.At.UnixNano()
	if when < e.now {
		return Handle{}, ErrPast
	}
	return e.schedule(when, ev.Name, ev.Fn), nil
}

// At schedules fn at t. A time before now is clamped to now: callers that
// compute "the next attempt" from stale data still get a well-defined order.
func (e *Engine) At(t time.Time, name string, fn func()) Handle {
	return e.schedule(max(t.UnixNano(), e.now), name, fn)
}

// After schedules fn d after now (d < 0 is treated as 0).
func (e *Engine) After(d time.Duration, name string, fn func()) Handle {
	return e.schedule(e.now+max(int64(d), 0), name, fn)
}

func (e *Engine) schedule(when int64, name string, fn func()) Handle {
	var s int32
	if n := len(e.free); n > 0 {
		s = e.free[n-1]
		e.free = e.free[:n-1]
	} else {
		if len(e.slots) == maxSlots {
			panic("engine: more than 16M events pending")
		}
		e.slots = append(e.slots, slot{})
		s = int32(len(e.slots) - 1)
	}
	sl := &e.slots[s]
	sl.fn, sl.name, sl.live = fn, name, true
	e.seq++
	e.push(item{when: when, key: e.seq<<slotBits | uint64(s)})
	return Handle{slot: s + 1, gen: sl.gen}
}

// Cancel removes a scheduled event. It reports whether the event was still
// pending; cancelling twice, or after the event ran, is harmless.
func (e *Engine) Cancel(h Handle) bool {
	if h.slot <= 0 || int(h.slot) > len(e.slots) {
		return false
	}
	sl := &e.slots[h.slot-1]
	if sl.gen != h.gen || !sl.live {
		return false
	}
	sl.live = false
	sl.fn = nil
	return true
}

// Pending is the number of events queued, cancelled ones included until they
// reach the head of the queue.
func (e *Engine) Pending() int { return e.n }

// Ran is the number of events run so far.
func (e *Engine) Ran() uint64 { return e.ran }

// Stop makes Run return after the current event.
func (e *Engine) Stop() { e.stopped = true }

// SetTrace installs fn to be told of every event that runs (nil: none).
func (e *Engine) SetTrace(fn func(Entry)) { e.trace = fn }

// Step runs the next event, if any, and reports whether one ran.
func (e *Engine) Step() bool {
	return e.step(int64(^uint64(0) >> 1))
}

// Run runs events in order until the queue is empty, the next event lies
// after until, or Stop is called. Virtual time then stands at until (or at
// the last event, when stopped early). It returns the number of events run.
func (e *Engine) Run(until time.Time) uint64 {
	limit := until.UnixNano()
	start := e.ran
	e.stopped = false
	for !e.stopped && e.step(limit) {
	}
	if !e.stopped && limit > e.now {
		e.setNow(limit)
	}
	return e.ran - start
}

func (e *Engine) step(limit int64) bool {
	for e.n > 0 {
		top := e.peek()
		if top.when > limit {
			return false
		}
		e.pop()
		sl := &e.slots[top.slot()]
		fn, name, live := sl.fn, sl.name, sl.live
		sl.fn, sl.name, sl.live = nil, "", false
		sl.gen++
		e.free = append(e.free, top.slot())
		if !live {
			continue
		}
		e.setNow(top.when)
		e.ran++
		if e.trace != nil {
			e.trace(Entry{Seq: top.seq(), At: e.toTime(top.when), Name: name})
		}
		fn()
		return true
	}
	return false
}

func (e *Engine) setNow(ns int64) {
	e.now = ns
	if e.clock != nil {
		// Only pay for the clock when someone asked for it.
		if d := time.Duration(ns - e.clock.Now().UnixNano()); d > 0 {
			e.clock.Advance(d)
		}
	}
}

// Clock is a clockwork.Clock that reads the current virtual time. Use it for
// reading the time only: its timers and sleeps are not the scheduler.
func (e *Engine) Clock() clockwork.Clock {
	e.clockOnce.Do(func() { e.clock = clockwork.NewFakeClockAt(e.Now()) })
	return e.clock
}

// Rand returns the random stream called name. Each name gets its own PCG
// generator seeded from the engine seed and the name, so adding a new stream
// never changes the numbers another stream produces.
func (e *Engine) Rand(name string) *rand.Rand {
	if r, ok := e.streams[name]; ok {
		return r
	}
	r := rand.New(rand.NewPCG(e.seed, streamSeed(name)))
	e.streams[name] = r
	return r
}

// streamSeed is the second PCG seed word for the stream called name.
func streamSeed(name string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(name))
	return h.Sum64()
}

// The queue is a radix heap. Discrete-event time never goes backwards, so
// keys only grow: an item sits in the bucket of the highest bit in which its
// time differs from the last minimum, a push is an append, and a pop
// redistributes one bucket now and then. Items with equal times keep their
// insertion order: they are appended in sequence order, and a bucket is
// only ever emptied into buckets that are empty.

func bucketOf(when, last int64) int {
	if when == last {
		return 0
	}
	return 64 - bits.LeadingZeros64(uint64(when^last))
}

func (e *Engine) push(it item) {
	if it.when < e.last {
		e.rebase(it.when)
	}
	b := bucketOf(it.when, e.last)
	e.buckets[b] = append(e.buckets[b], it)
	e.mask |= 1 << (b & 63)
	e.n++
}

// rebase lowers the heap's last minimum to when, for an event scheduled
// before a minimum that was looked at but not run (Run stopped at until).
func (e *Engine) rebase(when int64) {
	var all []item
	for b := range e.buckets {
		start := 0
		if b == 0 {
			start = e.head0
		}
		all = append(all, e.buckets[b][start:]...)
		e.buckets[b] = e.buckets[b][:0]
	}
	e.head0 = 0
	e.mask = 0
	e.last = when
	slices.SortStableFunc(all, func(x, y item) int { return cmp.Compare(x.key, y.key) })
	for _, it := range all {
		b := bucketOf(it.when, e.last)
		e.buckets[b] = append(e.buckets[b], it)
		e.mask |= 1 << (b & 63)
	}
}

// peek returns the earliest item, moving it to the front of bucket 0.
func (e *Engine) peek() item {
	if e.head0 == len(e.buckets[0]) {
		e.buckets[0] = e.buckets[0][:0]
		e.head0 = 0
		e.mask &^= 1
		i := 64
		if e.mask != 0 {
			i = bits.TrailingZeros64(e.mask)
		}
		src := e.buckets[i]
		m := src[0].when
		for _, it := range src[1:] {
			m = min(m, it.when)
		}
		e.last = m
		e.mask &^= 1 << (i & 63)
		for _, it := range src {
			b := bucketOf(it.when, m)
			e.buckets[b] = append(e.buckets[b], it)
			e.mask |= 1 << (b & 63)
		}
		e.buckets[i] = src[:0]
	}
	return e.buckets[0][e.head0]
}

func (e *Engine) pop() {
	e.head0++
	e.n--
}

package engine

import (
	"cmp"
	"errors"
	"fmt"
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

// ErrBudget is what a *BudgetError unwraps to: Run stopped because the
// events it may run were used up (see SetBudget).
var ErrBudget = errors.New("engine: event budget used up")

// BudgetError says that Run stopped with events still due, because the
// budget set with SetBudget was used up, and names what kept firing.
type BudgetError struct {
	Budget uint64    // events the engine was allowed to run
	At     time.Time // virtual time of the last event run
	Until  time.Time // the until of the Run that stopped
	// Name ran Count times among the last Window events: the event that
	// kept the engine busy (ties go to the name that sorts first).
	Name   string
	Count  uint64
	Window uint64
}

func (e *BudgetError) Error() string {
	return fmt.Sprintf("engine: event budget of %d events used up at %s with events still due before %s: %q ran %d of the last %d events",
		e.Budget, e.At.UTC().Format(time.RFC3339), e.Until.UTC().Format(time.RFC3339), e.Name, e.Count, e.Window)
}

// Unwrap makes errors.Is(err, ErrBudget) hold.
func (e *BudgetError) Unwrap() error { return ErrBudget }

// budgetWindow is how many of the last events before the budget runs out
// are counted by name. Counting only the tail keeps the event loop free of
// per-event map updates; an event that keeps firing dominates the tail.
const budgetWindow = 1 << 16

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

	budget    uint64            // 0: none
	countFrom uint64            // events after this many are counted by name
	tail      map[string]uint64 // names of the events counted
	err       error             // why Run stopped for good
	sorted    bool              // false once AtReserved was used: bucket 0 may need ordering

	clockOnce sync.Once
	clock     *clockwork.FakeClock
}

// New returns an engine whose virtual time starts at start and whose random
// streams all derive from seed.
func New(start time.Time, seed uint64) *Engine {
	return &Engine{
		now:       start.UnixNano(),
		last:      start.UnixNano(),
		base:      start,
		seed:      seed,
		streams:   make(map[string]*rand.Rand),
		countFrom: ^uint64(0),
		sorted:    true,
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

// Reserve sets aside n places in the order of equal-time events and returns
// the sequence number of the first; the others follow it. An event later
// scheduled with AtReserved and one of these numbers runs, among the events
// of its time, where it would have run had it been scheduled when Reserve
// was called. A driver can so keep a long list of future events out of the
// queue, scheduling each when the one before it runs, without changing the
// order of anything.
func (e *Engine) Reserve(n uint64) uint64 {
	first := e.seq + 1
	e.seq += n
	return first
}

// AtReserved schedules fn at t (clamped to now, like At) in the place of
// seq, a number Reserve returned. If that place has already passed (an
// event scheduled after Reserve ran at t), fn runs next.
func (e *Engine) AtReserved(t time.Time, seq uint64, name string, fn func()) Handle {
	if seq == 0 || seq > e.seq {
		panic("engine: AtReserved with a sequence number Reserve did not return")
	}
	e.sorted = false
	return e.scheduleSeq(max(t.UnixNano(), e.now), seq, name, fn)
}

func (e *Engine) schedule(when int64, name string, fn func()) Handle {
	e.seq++
	return e.scheduleSeq(when, e.seq, name, fn)
}

func (e *Engine) scheduleSeq(when int64, seq uint64, name string, fn func()) Handle {
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
	e.push(item{when: when, key: seq<<slotBits | uint64(s)})
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

// SetBudget limits the events Run may run, counted from the engine's
// start, to n (0, the default: no limit). When the budget is used up while
// events are still due, Run stops and Err reports a *BudgetError naming the
// event that kept firing; the engine then runs nothing more. A driver sets
// a budget well above what its input needs, so that an input that would
// keep the engine busy without end fails quickly instead.
func (e *Engine) SetBudget(n uint64) {
	e.budget = n
	e.countFrom = ^uint64(0)
	if n > 0 {
		e.countFrom = n - min(n, budgetWindow)
	}
}

// Err is why Run stopped for good: a *BudgetError once the budget is used
// up, nil otherwise.
func (e *Engine) Err() error { return e.err }

// Run runs events in order until the queue is empty, the next event lies
// after until, Stop is called or the budget is used up (see SetBudget and
// Err). Virtual time then stands at until (or at the last event, when
// stopped early). It returns the number of events run.
func (e *Engine) Run(until time.Time) uint64 {
	limit := until.UnixNano()
	start := e.ran
	e.stopped = false
	if e.err != nil {
		return 0
	}
	for !e.stopped {
		if e.budget > 0 && e.ran >= e.budget {
			if _, due := e.head(limit); due {
				e.err = e.budgetError(until)
				e.stopped = true
			}
			break
		}
		if !e.step(limit) {
			break
		}
	}
	if !e.stopped && limit > e.now {
		e.setNow(limit)
	}
	return e.ran - start
}

// budgetError names the event that ran most in the counted tail.
func (e *Engine) budgetError(until time.Time) *BudgetError {
	be := &BudgetError{Budget: e.budget, At: e.Now(), Until: until, Window: e.ran - e.countFrom}
	for name, n := range e.tail {
		if n > be.Count || (n == be.Count && name < be.Name) {
			be.Name, be.Count = name, n
		}
	}
	return be
}

// head drops cancelled events from the front of the queue and returns the
// next live one, if it lies at or before limit.
func (e *Engine) head(limit int64) (item, bool) {
	for e.n > 0 {
		top := e.peek()
		if top.when > limit {
			return item{}, false
		}
		if e.slots[top.slot()].live {
			return top, true
		}
		e.pop()
		e.release(top.slot())
	}
	return item{}, false
}

// release returns a slot to the free list.
func (e *Engine) release(s int32) {
	sl := &e.slots[s]
	sl.fn, sl.name, sl.live = nil, "", false
	sl.gen++
	e.free = append(e.free, s)
}

func (e *Engine) step(limit int64) bool {
	top, ok := e.head(limit)
	if !ok {
		return false
	}
	e.pop()
	sl := &e.slots[top.slot()]
	fn, name := sl.fn, sl.name
	e.release(top.slot())
	e.setNow(top.when)
	e.ran++
	if e.ran > e.countFrom {
		if e.tail == nil {
			e.tail = map[string]uint64{}
		}
		e.tail[name]++
	}
	if e.trace != nil {
		e.trace(Entry{Seq: top.seq(), At: e.toTime(top.when), Name: name})
	}
	fn()
	return true
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
// only ever emptied into buckets that are empty. AtReserved is the one
// exception, an older sequence number appended late; once it was used,
// bucket 0 is put in key order when it is refilled and a push into it is
// moved to its place.

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
	if b == 0 && !e.sorted {
		// A reserved sequence number may belong before events of this
		// time that are already waiting.
		q := e.buckets[0][e.head0:]
		for i := len(q) - 1; i > 0 && q[i].key < q[i-1].key; i-- {
			q[i], q[i-1] = q[i-1], q[i]
		}
	}
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
		if !e.sorted {
			// Only AtReserved appends out of sequence order.
			slices.SortFunc(e.buckets[0], func(x, y item) int { return cmp.Compare(x.key, y.key) })
		}
	}
	return e.buckets[0][e.head0]
}

func (e *Engine) pop() {
	e.head0++
	e.n--
}

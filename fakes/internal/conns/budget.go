package conns

import (
	"sync"
)

const (
	// MinReserve is the fewest descriptors the budget leaves to the rest of
	// the process: the simulator's clients, files, the runtime.
	MinReserve = 128
	// ReserveShare is the share of RLIMIT_NOFILE left in reserve when
	// that is more than MinReserve: one tenth.
	ReserveShare = 10
	// fallbackLimit stands for RLIMIT_NOFILE where it cannot be read.
	fallbackLimit = 4096
)

// Budget counts the descriptors the fakes hold and refuses a connection
// that would take more than its limit. All methods are safe for concurrent
// use.
type Budget struct {
	mu    sync.Mutex
	limit int
	held  int
	// refusing is a semaphore: the refusals under way in the process.
	refusing chan struct{}
}

// NewBudget returns a budget of limit descriptors (at least 2, so that a
// listener's half is at least one connection).
func NewBudget(limit int) *Budget {
	return &Budget{limit: max(limit, 2), refusing: make(chan struct{}, MaxRefusing)}
}

var (
	sharedOnce sync.Once
	shared     *Budget
)

// Shared is the process's budget: RLIMIT_NOFILE (as the Go runtime raised
// it at start-up) minus [Reserve] of it.
func Shared() *Budget {
	sharedOnce.Do(func() {
		n := openFileLimit()
		if n <= 0 {
			n = fallbackLimit
		}
		shared = NewBudget(n - Reserve(n))
	})
	return shared
}

// Reserve is how many of a process's n descriptors no fake may take: a
// tenth, and at least MinReserve, but never more than half.
func Reserve(n int) int {
	return min(max(n/ReserveShare, MinReserve), n/2)
}

// Limit is how many descriptors the fakes may hold at once.
func (b *Budget) Limit() int { return b.limit }

// Held is how many they hold now.
func (b *Budget) Held() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.held
}

// take counts one more descriptor, unless that would pass the limit.
func (b *Budget) take() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.held >= b.limit {
		return false
	}
	b.held++
	return true
}

// Hold counts a descriptor that is open already, such as a listening
// socket, even beyond the limit (it exists whether counted or not), and
// returns the function that gives it back; calling that more than once
// gives it back once.
func (b *Budget) Hold() (release func()) {
	b.mu.Lock()
	b.held++
	b.mu.Unlock()
	var once sync.Once
	return func() { once.Do(b.give) }
}

func (b *Budget) give() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.held--
}

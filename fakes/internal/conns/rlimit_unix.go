//go:build unix

package conns

import "syscall"

// maxCounted caps what the budget believes of a huge or unlimited
// RLIMIT_NOFILE: no fake comes near a million connections.
const maxCounted = 1 << 20

// openFileLimit is RLIMIT_NOFILE's soft limit, which the Go runtime raised
// to the hard limit at start-up; 0 when it cannot be read.
func openFileLimit() int {
	var r syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &r); err != nil {
		return 0
	}
	return int(min(uint64(r.Cur), maxCounted))
}

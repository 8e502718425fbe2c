//go:build !unix

package conns

// openFileLimit is 0 where there is no RLIMIT_NOFILE: Shared then assumes
// fallbackLimit.
func openFileLimit() int { return 0 }

//go:build !unix

package main

// openFileLimit is a guess where there is no RLIMIT_NOFILE.
func openFileLimit() int { return 4096 }

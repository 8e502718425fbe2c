//go:build !race

package main

// raceEnabled tells tests that measure memory that the race detector runs.
const raceEnabled = false

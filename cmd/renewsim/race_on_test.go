//go:build race

package main

// raceEnabled tells tests that measure memory that the race detector runs:
// its shadow memory grows with what the program touched and is not given
// back.
const raceEnabled = true

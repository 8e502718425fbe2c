//go:build race

package report_test

// raceEnabled tells the tests that run a fleet of 10,000 certificates that
// the race detector runs: ten times slower, they leave it to make screenshot.
const raceEnabled = true

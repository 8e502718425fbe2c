// Package report turns what a run produced into what people and CI read:
// the human summary, JSON and JSON Lines, JUnit, Markdown, an HTML report
// and timelines drawn with gonum/plot. It renders; it does not judge. The
// result of a run (per-certificate outcomes, outage per resource, checked
// expectations) comes from package result, what the scenario's alarms did
// from package alarm, and where each certificate's entries are from
// package record; report reads those and the record, never the model or
// the fakes, and never drives a run.
//
// The fleet page, JUnit and Markdown of `renewsim check` (WriteFleetDir,
// WriteFleetHTML, WriteFleetJUnit, WriteFleetMarkdown) read a FleetCheck:
// the check's verdicts in plain terms, built by the caller, for report
// judges no certificate itself. The page also reads the record of the
// check's run, for the stories and timelines of the failing certificates.
package report

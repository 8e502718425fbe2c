// Package report turns the record of a run into what people and CI read:
// per-certificate outcomes, outage per resource, checked expectations, a
// human summary, JSON and JSON Lines, and what the scenario's alarms did
// (when each fired, its lead time before an expiry or outage, its false
// alarms). It reads the record (a []sim.Entry) and the scenario's
// expectations and alarms, never the model or the fakes.
//
// The record must be in time order, as a run writes it. Build (and
// NewTimeline, for a record read back from an event log) indexes it once
// by certificate and resource, and every reader then visits only the
// entries it is about, so that a report costs time in proportion to the
// length of the record, however many certificates and resources it has.
//
// The fleet page, JUnit and Markdown of `renewsim check` (WriteFleetDir,
// WriteFleetHTML, WriteFleetJUnit, WriteFleetMarkdown) read a FleetCheck:
// the check's verdicts in plain terms, built by the caller, for report
// judges no certificate itself. The page also reads the record of the
// check's run, for the stories and timelines of the failing certificates.
package report

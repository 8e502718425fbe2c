// Package result judges a run on its record: what happened to each
// certificate, cycle by cycle and last of all (Cert: its first cycle's
// outcome as always, its Cycles and FinalOutcome, read with
// sim.CycleReader as fleet reads them), what each resource served
// expired and for how long (Resource), what the scenario's alarms did
// (package alarm) and whether each of its expectations held (Expectation).
// A Summary of Scenarios is what `renewsim run` prints, writes as
// results.json and exits on; package report renders it.
//
// Build is the one entry: the caller hands it the scenario that ran, the
// seed and the record, in time order, as a run writes it. Build indexes the
// record once (package record) and every reader then visits only the
// entries it is about, so a result costs time in proportion to the length
// of the record, however many certificates and resources it has. A
// Scenario keeps its record, its index and the scenario (Log, Index,
// Spec) for the renderers; one made by hand or read back from JSON has
// none of them.
//
// It reads the record and the scenario, never the model or the fakes, and
// never drives a run.
package result

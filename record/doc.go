// Package record reads the record of a run (the []sim.Entry the model
// wrote, or an event log read back) for the packages that judge and render
// it: where each certificate's and each resource's entries are (Index),
// and the stretches in which a resource served an expired certificate
// (Index.Outage).
//
// Callers must hand it the record in time order, as a run writes it. New
// indexes the record in one pass; every reader then visits only the
// entries it is about, so that judging or drawing a run costs time in
// proportion to the length of its record, however many certificates and
// resources it has. An Index is read-only once built and may be shared.
//
// It reads nothing but the record: no scenario, no model, no fake.
package record

// Package report turns the record of a run into what people and CI read:
// per-certificate outcomes, outage per resource, checked expectations, a
// human summary, JSON and JSON Lines. It reads the record (a []sim.Entry)
// and the scenario's expectations, never the model or the fakes.
package report

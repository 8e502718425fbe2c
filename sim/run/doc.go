// Package run is where the network meets the model: it starts the fakes on
// loopback, drives a sim.Model from an engine.Engine, carries out the
// model's effects with real clients against the fakes, and feeds the answers
// back at the same virtual time. It returns the record of what happened.
//
// Callers load a scenario (package scenarios), call Check to reject what
// cannot run before anything starts, then Run. Reports read the Result's Log
// and nothing else.
//
// Scenarios name no DNS zones; the runner infers them from the names a
// scenario uses (registrable domains, zones.go) and tells the fake DNS
// server, which then answers like an authoritative server. The model keeps
// seeing what it always saw: REFUSED, and NODATA at an empty zone's apex,
// read as NXDOMAIN.
package run

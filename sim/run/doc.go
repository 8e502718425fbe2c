// Package run is where the network meets the model: it starts the fakes on
// loopback, drives a sim.Model from an engine.Engine, carries out the
// model's effects with real clients against the fakes, and feeds the answers
// back at the same virtual time. It returns the record of what happened.
//
// Callers load a scenario (package scenarios), call Check to reject what
// cannot run before anything starts, then Run. Reports read the Result's Log
// and nothing else.
package run

// Package engine is a small discrete-event core: virtual time, an event queue
// ordered by (time, insertion sequence), seeded random streams and a trace of
// what ran. It knows nothing about certificates; the simulator builds on it.
//
// Callers create an Engine with New, schedule work with At, After or
// Schedule, and drive it with Run or Step. Callbacks run on the caller's
// goroutine, one at a time, in (time, sequence) order, so two runs with the
// same seed and the same schedule do the same thing in the same order.
//
// A driver whose input could keep the engine busy without end sets a budget
// with SetBudget and checks Err after Run: a *BudgetError names the event
// that kept firing. A driver with a long list of future events reserves
// their places with Reserve and schedules each with AtReserved when the one
// before it runs, which keeps the queue short without changing the order.
//
// Code that wants a clock (rather than an event) can use Clock, a
// clockwork.Clock that always reads the virtual time of the event being run.
// Do not create timers on it: clockwork runs their callbacks on goroutines in
// no fixed order, which would break determinism. Schedule events instead.
package engine

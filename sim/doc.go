// Package sim is ACM's managed renewal as a pure state machine: profiles
// (every number of a renewal regime), the certificates and resources of a
// scenario, the renewal cycle of each certificate, its validation rules
// (DNS, HTTP, e-mail, the legacy HTTPS probe, CAA), the notices ACM sends,
// and the record of everything that happened.
//
// The model does no I/O, owns no clock and starts no goroutine, in the shape
// of etcd's raft. What callers must do:
//
//   - Build a Model with NewModel for a loaded Scenario and a seed, then feed
//     it inputs in time order with Step(now, input): Begin first, then the
//     Timers it asked for (Wake effects) at their times, the scenario's
//     timeline Changes, and the world's answers to its effects (CNAMEAnswer,
//     HTTPAnswer, HTTPSAnswer, CAAResult, EmailResult, ClickResult,
//     TLSAnswer) at the time the effect was carried out; End last.
//   - After each Step, take Ready().Effects and carry them out in order;
//     an answer's own effects go after the ones already waiting.
//   - Treat an error from Step as a bug in the driver (an unknown input or
//     timer, an index out of range): the model has not changed. A panic
//     means the model itself tried an illegal transition.
//   - Read what happened from Record (and View for what ACM would show at
//     a time, CycleReader for each certificate's renewal cycles and how
//     they ended); reports read nothing else. Each certificate's Phase is
//     internal; its effects on the record are what counts.
//   - Take a profile's lifetimes and windows from Validity and Window (by
//     the issue date: a dated profile such as acm-cabf changes them on
//     given days) and its validation reuse from Reuse (by the day the
//     validation is used), never from the fields alone.
//
// Identifiers (ARNs, serials, validation records, event ids) are functions
// of the seed and of what they name, so the same scenario and seed give the
// same record, byte for byte.
package sim

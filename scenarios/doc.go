// Package scenarios loads renewsim scenario files: YAML descriptions of
// certificates, the resources that serve them, changes to the world at
// virtual times and expectations about the outcome. It turns them into the
// plain sim.Scenario that the simulator runs, with every time resolved to an
// absolute UTC instant and every default filled in (profile, seed,
// validation method, validation record, deploy delays, NotAfter, until,
// account e-mail, what the mail server does with unlisted addresses, and
// mailboxes that never click).
//
// The shipped library (library/*.yaml, see LibraryNames and LibrarySource)
// shows the format in use. Times are
// RFC 3339, start±D, <cert>.issued±D or <cert>.expiry±D; durations are Go
// durations plus d and w (sim.ParseDuration).
//
// What callers must do:
//
//   - Load a file with Load, bytes with Parse, or a node tree that they
//     edited (a what-if sweep) with FromNode. A shipped scenario is loaded
//     with LoadLibrary or, all of them, Library.
//   - Treat a non-nil error as "do not run": the scenario is then nil. The
//     error is an Errors value listing every problem found, each with its
//     file:line:col, sorted by position; print err.Error() as it is (one
//     problem per line, the first MaxReported of them, then how many more).
//     Load returns the os error as is when the file cannot be read.
//   - Rely on what is bounded here: every time lies in sim's supported
//     range and the run ends a lifetime before the simulator CA expires;
//     the profile passes sim.Profile.Check; a certificate has at most 100
//     names, a timeline at most 1,000,000 entries, the zone at most 100,000
//     zone-file lines, none of them $GENERATE or $INCLUDE.
//   - Not rely on this package for what it leaves to the runner: the zone-file
//     lines in dns.records and in dns-add are not parsed here, and
//     expectations are only checked for consistency, not evaluated. An
//     expected renewal status reason of "none" (the empty reason) is passed
//     on as the word "none" in Expectation.Reason, and so is renewal_status
//     "none" (no renewal summary) in Expectation.RenewalStatus.
//   - Expect a timeline entry to become more than one change: a dns-fault
//     with a duration is followed by its dns-fault-clear.
//   - Treat the returned Scenario as owned by the caller: every call builds a
//     new one, and Profile is a fresh copy with the overrides applied.
//   - Add the alarms of a file given on the command line (renewsim -alarms)
//     with LoadAlarms and AlarmSet.AddTo (AddToPart for one part of a split
//     fleet): what they name is checked against each scenario, and a name
//     the scenario declares too is an error at both places. Alarms change
//     nothing in a run; package report judges them on its record.
//
// NewSynthetic draws a synthetic fleet of a given shape (FleetShape:
// certificates per resource and per zone, the 395-day share, each trap's
// share) for benchmarks and tests; its YAML is a scenario like any other,
// and package fleet writes the same fleet as an account's exports
// (fleet.SyntheticExports). ShapeMatrix is the shapes the benchmarks run.
//
// Parsing never panics: the input is walked through yaml.Node and every
// scalar (times, durations, numbers) is read by this package, so each message
// can name its position.
//
// Inside, every kind of mapping is read through a table with one row per
// key (table.go): a key added to the format is a row there, and -vary
// paths learn it from the same table.
package scenarios

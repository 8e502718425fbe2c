// Package report renders what the packages that judge produced into what
// people and CI read: the text summary, results.json and the JSON Lines
// event log, JUnit, Markdown, the HTML report and timelines drawn with
// gonum/plot for a run (result.Summary); the CSV, the text tables, the
// charts and the page of a sweep (sweep.Variant, sweep.Aggregate); and the
// JUnit, Markdown and fleet page of a check (fleet.Report) — for a check of
// a change, the breaks first and the verdicts before it beside those after
// (fleet_change.go), the Markdown bounded to fit a pull-request comment.
//
// It judges nothing itself. What happened to each certificate and resource
// and whether each expectation held come from package result, what the
// alarms did from package alarm, a sweep's sums from package sweep and a
// check's verdicts from package fleet; report reads those, the record and
// its index (package record), never the model or the fakes, and never
// drives a run. The layout test in cmd/renewsim holds it to that.
//
// A scenario of more than 50 certificates or resources is at fleet size
// (Timeline.AtFleetSize): its timeline is the fleet page's aggregate chart,
// its HTML section and Markdown lead with the counts, the failures by cause
// and the outages and drill down on demand, and WriteDir writes its event
// log gzip-compressed; no file grows with the length of the record but the
// event log, and none with more than the number of certificates but it.
//
// Every writer gives the same bytes for the same input. A record must be
// in time order, as a run writes it; the timelines and the fleet page read
// each certificate's and resource's own entries through the record's
// index, so that their cost grows with the length of the record, not with
// its product with the number of certificates.
package report

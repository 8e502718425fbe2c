// Package sweep judges the variants of a what-if sweep (renewsim sweep
// -vary, -runs) and sums them up: per variant, each certificate's first
// renewal cycle and its margin (how long before expiry the renewed
// certificate was served everywhere), each resource's outage and what each
// alarm did (Variant, from Build); over every variant, the outcomes, the
// margin and outage percentiles by nearest rank, and the alarms' warnings
// and false alarms (Aggregate, from Sum).
//
// A Variant is one line of `renewsim sweep -json`: WriteJSON and
// WriteJSONLines write it, Read reads it back, and Merge joins the shards
// of a sweep (sweep -shard i/n) into exactly the variants the unsharded
// sweep gives. Callers run each variant themselves and hand Build its
// scenario and record; the package never drives a run. Package report
// renders the variants and their sum (CSV, text tables, charts, the sweep
// page).
package sweep

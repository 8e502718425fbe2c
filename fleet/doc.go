// Package fleet reads what users already have about their ACM
// certificates — the AWS CLI's exports of ACM (list-certificates,
// describe-certificate, get-account-configuration) and of their zones
// (Route 53 list-resource-record-sets, BIND zone files) — and turns it into
// a renewsim scenario of the fleet as it stands at a given time.
//
// The flow is Read (every problem in every file collected: file and JSON
// path, or file:line for JSON Lines and zone files), then Build (a Plan:
// the scenario as YAML text, loaded by scenarios.Parse like any other, and
// what could not be simulated), then — after the caller has run the
// scenario — Assess, which reads the record of the run and says per
// certificate whether it renews, when, and if not why and what to fix,
// with the traps users fall into as notes. The assessment, a Report, is
// the check's one result: WriteText prints it in the check's words,
// WriteJSON writes it as the -json document (the Report's own fields),
// WriteShard and MergeShards carry it through a split check, and package
// report renders it as JUnit, Markdown and the fleet page. SetAlarms adds,
// per certificate, what the alarms the caller judged on the same record
// did (package alarm; renewsim check -alarms). A check of a change
// (infrastructure code: a plan, a change set) joins the reports of its
// fleets with Combine and marks the result with SetChange, after giving
// each certificate its Address, Before and Planned; what the change does
// to each renewal (breaks, fixes, created, unchanged) is decided there and
// nowhere else (change.go).
//
// The package does no I/O beyond reading the files it is given and never
// runs a simulation itself: callers (cmd/renewsim check) run the plan's
// scenario with sim/run, so a scenario written to disk and run with
// `renewsim run` gives the same outcomes.
//
// Decisions a user can rely on:
//   - Build runs the fleet under DefaultProfile (acm-cabf, the CA/B
//     Forum's dated schedule) unless Options.Profile names another. What
//     that profile assumes where AWS is silent and the horizon reaches it
//     (the renewal windows of 100- and 47-day certificates) is in the
//     Plan's and the Report's Assumptions, which check prints under its
//     header.
//   - A verdict covers every renewal cycle in the horizon, read with
//     sim.CycleReader as a run's results read them: renews when every
//     cycle decided renewed, expires when the last one decided expired,
//     with that cycle's reason. Notes about renewals (a certificate from
//     before 2026-02-18 renewing into shorter ones, a lifetime longer than
//     the CA/B Forum allows on its date) are said only of renewals the run
//     recorded.
//   - A describe-certificate output whose ARN is missing from the
//     list-certificates output given alongside is an error (exit 2): the
//     exports are stale or from another account or region. Without a list,
//     the describe outputs alone are the fleet. A listed certificate with no
//     describe output is a "cannot tell" line.
//   - A fleet may span accounts and regions (exports of several, or
//     renewsim check -aws): the scenario's default account and region are
//     where most certificates are, and every other certificate names its
//     own; each Entry carries its account and region, the Report every
//     one (home first), and the text goes account by account when there
//     are several. One account configuration (DaysBeforeExpiry) applies
//     to the whole fleet.
//   - Inputs may be UTF-8 (with or without a byte order mark) or UTF-16
//     with a BOM; the AWS CLI's text, table and YAML output is named as
//     such, with the fix (--output json). Documents held in memory
//     (Input.ACMDocs and friends) are read exactly as files of their
//     names would be.
//   - A list-hosted-zones output among the zone files names the private
//     hosted zones: a certificate name in one is reported in a note (ACM
//     validates through public DNS), and no record of it is used.
//   - A certificate issued through ACM's ACME endpoint
//     (CertificateKeyPairOrigin ACME) is renewed by its ACME client, not by
//     ACM: it is not simulated, no ACM renewal is predicted, and it is a
//     cannot-tell line whose fix names the client's renewal as what to
//     watch. Like every cannot-tell line it does not make check fail.
//   - A certificate name outside every given zone (or under a delegation
//     the zones do not cover) is reported as "cannot tell: no zone data for
//     X" and not simulated; nothing is guessed.
//
// SyntheticExports writes a synthetic fleet (scenarios.NewSynthetic) as
// the exports of its account, for benchmarks and tests that check the
// fleet run beside its scenario.
//
// Callers that describe a fleet from other sources (package iac) build it
// with NewZone/AddRecord and NewFleet (construct.go). A certificate with an
// Address is not checked against list-certificates, and one with Unsettled
// is reported as cannot-tell with its own reason, without simulation.
package fleet

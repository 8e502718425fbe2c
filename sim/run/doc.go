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
//
// A live run (StartLive, what serve drives) also answers AWS's APIs:
// ACMBackend serves fakes/acmapi from the record as of now minus the status
// lag, and Route53Backend serves fakes/route53 from the DNS server's zones,
// turning a change batch into dns-delete and dns-add changes of the
// timeline at the current virtual time. A live run issues each certificate
// with its own key from issuers shaped like ACM's (issuers.go); other runs
// keep the Ed25519 simulator CA, whose probes give the same record at a
// fraction of the handshake cost.
package run

// Package alarm judges a scenario's alarms on the record of its run:
// would the monitoring people run have told them in time, and would it
// have cried wolf? Each alarm is evaluated on the record alone, at virtual
// time, the way the real service evaluates it (docs/alarms.md gives the
// sources of every timing):
//
//   - an EventBridge rule fires on every matching event;
//   - a CloudWatch alarm on DaysToExpiry sees one datapoint a day, at 00:00
//     UTC, of the whole days left (ACM stops publishing at expiry, and the
//     alarm treats the days without one as its TreatMissingData says), and
//     fires when it goes into ALARM;
//   - AWS Config's acm-certificate-expiration-check (and Security Hub's
//     ACM.1) evaluates periodically, at multiples of its frequency from
//     00:00 UTC, and on every change of the certificate, and fires when a
//     certificate becomes NON_COMPLIANT;
//   - a TLS probe (blackbox_exporter, ssl_exporter) is scraped and its
//     rule evaluated every minute, on the minute, and fires when the
//     certificate a resource serves starts to expire within the limit.
//
// Every firing belongs to the certificate it is about and to the cycle of
// that certificate it came in; an event telling of a renewal that just
// happened (ACM Certificate Available, AWS Health's notice of it) belongs
// to the cycle that renewal ended and is a notice: neither a warning nor a
// false alarm. It was a true alarm when that certificate
// then expired, a resource served it expired, or it renewed only after a
// change (a timeline change or an approval click after the firing): its
// lead time runs to the expiry or outage, the earlier (to the expiry for a
// renewal after a change). It was a false alarm when the certificate then
// renewed by itself and no resource served it expired. A firing whose
// cycle the run ended before deciding is undecided.
//
// Callers hand Evaluate the scenario and the index of its run's record
// (package record); it reads nothing else and never drives a run. The
// results (Result, per certificate Cert, per firing Firing) are what the
// run's results.json, expectations on alarms, sweeps and check -alarms
// read; package report renders them.
package alarm

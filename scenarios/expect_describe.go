package scenarios

import "github.com/renewsim/renewsim/sim"

// renewalNone is how an `at:` expectation writes "no renewal summary": what
// DescribeCertificate shows before a renewal starts, and always for a
// certificate that is not amazon-issued.
const renewalNone = "none"

// describedReason refuses, on an `at:` expectation, a reason
// DescribeCertificate never shows: PENDING_DOMAIN_VALIDATION is the
// RenewalStatusReason of Renewal Action Required events only (the model
// writes it there when no other reason applies), never of a renewal
// summary.
func (l *loader) describedReason(f *field, reason string) {
	if reason == sim.ReasonPendingDomainValidation {
		l.errf(f.vpos, "reason: %s appears only in %s events (their RenewalStatusReason); DescribeCertificate's RenewalStatusReason never holds it, so an at: expectation cannot see it: count the events instead, or expect renewal_status: PENDING_VALIDATION",
			reason, sim.EventActionRequired)
	}
}

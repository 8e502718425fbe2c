package sim

import (
	"fmt"
	"slices"
	"time"
)

// Phase is where a certificate is in its renewal cycle. It decides what the
// model does next; what ACM shows (Status, RenewalStatus, the reason,
// eligibility) is kept beside it, because ACM shows the same renewal status
// in more than one phase (PENDING_VALIDATION while validating and while
// issuing, SUCCESS while idle after a renewal).
type Phase uint8

const (
	// PhaseIdle: issued, outside its renewal window (or renewed and waiting
	// for the next one).
	PhaseIdle Phase = iota
	// PhaseIneligible: in the window, but ACM would not renew it now (not in
	// use, imported, …). Attaching or exporting it can start the renewal.
	PhaseIneligible
	// PhaseValidating: in the window and eligible: an attempt now and every
	// retry interval (or when an approval arrives) until every name
	// validates and CAA allows Amazon.
	PhaseValidating
	// PhaseIssuing: validated; the new certificate follows after the issue
	// delay.
	PhaseIssuing
	// PhaseExpired: the certificate reached NotAfter unrenewed. Terminal.
	PhaseExpired
)

var phaseNames = [...]string{"idle", "ineligible", "validating", "issuing", "expired"}

func (p Phase) String() string {
	if int(p) < len(phaseNames) {
		return phaseNames[p]
	}
	return fmt.Sprintf("phase(%d)", p)
}

// certState is one certificate in the model.
type certState struct {
	idx     int
	spec    *Certificate
	p       *Profile // the profile with the certificate's own account and region
	names   []string
	records []validationRec // per name: the DNS validation record, computed once

	// The current certificate.
	arn       string
	serial    string
	notBefore time.Time
	notAfter  time.Time
	window    time.Duration // of the current certificate
	cycle     int           // renewal cycle under way: 1 renews the first certificate

	// What ACM shows.
	status        Status
	renewalStatus RenewalStatus // "" until a renewal starts for an eligible certificate
	reason        string
	eligibility   Eligibility
	nameStatus    []ValidationStatus // per name, aligned with names
	exported      bool               // since issued or last renewed
	attached      []int              // resource indices

	mailings int // approval e-mail batches sent over every cycle: approval codes derive from it

	// pcaFailure is the PCA_* reason AWS Private CA refuses this private
	// certificate's renewals with, "" while it issues (pca-failure).
	pcaFailure string

	phase      Phase
	attemptGen int // bumped when attempts start or stop, to ignore stale attempt timers
	att        attemptState
	cyc        cycleState
}

// attemptState is the validation attempt under way, or the last one.
type attemptState struct {
	n          int         // attempt number within the cycle
	pending    []checkKey  // the checks still out
	keys       []checkKey  // per name: the check it waits on
	checks     []NameCheck // what this attempt found, per name
	prev       []NameCheck // what the previous attempt found
	scratch    []NameCheck // where an attempt's checks are written
	lastText   string
	lastDetail *Detail // of the last validation-attempt entry, shared by the ones like it
	lastCAA    *Detail // of the last caa-check entry, likewise
	caaPending bool    // every name validated, the CAA lookup is out
}

// cycleState is what one renewal cycle remembers; issuing a new certificate
// starts a fresh one.
type cycleState struct {
	failingSince time.Time   // first failed attempt since the last success
	instructed   bool        // legacy instruction e-mail sent
	caaNotified  bool        // CAA_CHECK_FAILURE sent
	pcaNotified  bool        // AWS_ACM_RENEWAL_FAILURE sent
	mailed       bool        // first approval e-mails sent
	approvedAt   []time.Time // per name: when its newest approval arrived
}

type validationRec struct {
	name, value string
	key         checkKey
}

// checkKey names a check an attempt waits on: its method and what it asks
// about (a validation record, a name). Names that share a record share its
// check.
type checkKey struct {
	method byte // 'd' DNS, 'h' HTTP, 's' the legacy HTTPS probe
	name   string
}

// to moves c to phase next and panics when the move is not one of from:
// an illegal transition is a bug in the model, never a property of the
// input.
func (c *certState) to(name string, next Phase, from ...Phase) {
	if !slices.Contains(from, c.phase) {
		panic(fmt.Sprintf("sim: certificate %s: transition %q from %s to %s is not allowed (allowed from %v)", c.spec.ID, name, c.phase, next, from))
	}
	c.phase = next
}

// The named transitions of a certificate.

// windowOpens: the renewal window opened; eligible certificates start
// validating, the others wait.
func (c *certState) windowOpens(eligible bool) {
	if eligible {
		c.to("window opens", PhaseValidating, PhaseIdle)
	} else {
		c.to("window opens ineligible", PhaseIneligible, PhaseIdle)
	}
}

// becomesEligible: attached or exported while waiting in the window.
func (c *certState) becomesEligible() { c.to("becomes eligible", PhaseValidating, PhaseIneligible) }

// losesEligibility: detached (or otherwise no longer eligible) while
// validating; attempts stop.
func (c *certState) losesEligibility() {
	c.to("loses eligibility", PhaseIneligible, PhaseValidating)
	c.att.caaPending = false
}

// stopsIssuing: no longer eligible while the new certificate was on its
// way (detached during the issue delay). ACM re-evaluates eligibility all
// the time and renews only eligible certificates, so the issuance stops:
// inside the renewal window the certificate waits as ineligible, and
// becoming eligible again starts a fresh attempt (its names must validate
// again); before the window (a RenewCertificate issuing early) it goes back
// to idle and the window decides later.
func (c *certState) stopsIssuing(inWindow bool) {
	if inWindow {
		c.to("stops issuing", PhaseIneligible, PhaseIssuing)
	} else {
		c.to("stops issuing before the window", PhaseIdle, PhaseIssuing)
	}
}

// validated: every name validated and CAA allowed Amazon (or no validation
// is needed: private certificates, RenewCertificate).
func (c *certState) validated() {
	c.to("validated", PhaseIssuing, PhaseValidating, PhaseIdle)
	c.att.caaPending = false
}

// renewalRequested: RenewCertificate on an amazon-issued certificate
// before its window: its names are validated now, as when the window opens.
func (c *certState) renewalRequested() {
	c.to("renewal requested", PhaseValidating, PhaseIdle)
}

// reimported: an imported certificate replaced in place (ReimportCertificate):
// the new one waits for its expiry like the first; an expired one is
// valid again.
func (c *certState) reimported() { c.to("reimported", PhaseIdle, PhaseIdle, PhaseExpired) }

// renewed: the new certificate exists; the next cycle waits for its window.
func (c *certState) renewed() { c.to("renewed", PhaseIdle, PhaseIssuing) }

// expires: NotAfter reached unrenewed.
func (c *certState) expires() {
	c.to("expires", PhaseExpired, PhaseIdle, PhaseIneligible, PhaseValidating, PhaseIssuing)
	c.att.caaPending = false
}

// Phase tells where the certificate with index cert (in the scenario) is in
// its renewal cycle; ok is false for an index out of range. It exists for
// drivers and tests that show the state machine at work: what ACM shows is
// in the record, and the record is what reports read.
func (m *Model) Phase(cert int) (p Phase, ok bool) {
	if cert < 0 || cert >= len(m.certs) {
		return 0, false
	}
	return m.certs[cert].phase, true
}

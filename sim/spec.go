package sim

import "time"

// Scenario is the plain description of one simulation: what exists at the
// start, what changes when, and what the user expects. The scenarios package
// builds it from YAML; every time in it is already absolute.
type Scenario struct {
	Name        string
	Description string
	File        string // where it was loaded from, for messages and reports
	ProfileName string
	Profile     Profile // the named profile with the scenario's overrides applied
	Start       time.Time
	Until       time.Time
	Seed        uint64

	Resources    []Resource
	Certificates []Certificate
	DNSRecords   []string // zone-file lines served by the fake DNS from the start
	DNSLines     []int    // line of each DNSRecords entry in File (0 when unknown)
	Timeline     []Change
	Expect       []Expectation
	// Alarms are the alert rules people run against the certificates,
	// judged on the record of the run; they change nothing in it.
	Alarms []Alarm

	// E-mail validation: the people behind the addresses ACM writes to.
	Mailboxes []Mailbox
	// UnlistedMailboxes says what the mail server does with an address no
	// mailbox declares: accept (default) or reject (550).
	UnlistedMailboxes string
	// Whois lists the registrant, technical and administrative contacts of
	// registered domains, for profiles that still e-mail them.
	Whois []WhoisEntry
	// AccountEmail receives the legacy instruction e-mail.
	AccountEmail string
}

// Mailbox is one address ACM may write to, and what its reader does.
type Mailbox struct {
	Address string
	Clicks  string        // ClickNever | ClickAfter | ClickAt
	After   time.Duration // ClickAfter: this long after each approval e-mail arrived
	At      time.Time     // ClickAt: at this time, the newest unexpired link of each name
	Rejects bool          // the mail server answers 550 for it
	Line    int
}

// Mailbox click behaviours.
const (
	ClickNever = "never"
	ClickAfter = "after"
	ClickAt    = "at"
)

// WhoisEntry is the WHOIS contacts of one registered domain.
type WhoisEntry struct {
	Domain   string
	Contacts []string
}

// Resource is an integrated AWS resource that can serve a certificate.
type Resource struct {
	ID          string
	Kind        string        // elb | cloudfront | apigateway | other
	DeployDelay time.Duration // new certificate issued -> served by this resource
	// Hostnames get an A record pointing at the resource's address, so that
	// probes of those names reach it (legacy HTTPS probe, HTTP validation).
	Hostnames []string
	// ARN is the real resource behind the id, when the scenario was made
	// from an account's exports (display only).
	ARN string
}

// Certificate types.
const (
	TypeAmazonIssued = "amazon-issued"
	TypePrivate      = "private"    // private certificate requested through ACM
	TypePrivateCA    = "private-ca" // issued directly by AWS Private CA: never renewed by ACM
	TypeImported     = "imported"
)

// Validation methods.
const (
	ValidationDNS   = "dns"
	ValidationEmail = "email"
	ValidationHTTP  = "http"
)

// Validation record states at the start of a scenario.
const (
	RecordPresent = "present"
	RecordAbsent  = "absent"
	RecordWrong   = "wrong"
	// RecordDoubledSuffix: the DNS provider appended the zone to an already
	// absolute name (_x.example.com.example.com.), so the right name is
	// missing.
	RecordDoubledSuffix = "doubled-suffix"
	// RecordNoUnderscore: the value lacks its leading underscore, which ACM
	// tolerates.
	RecordNoUnderscore = "no-underscore"
	// RecordRedirect: an HTTP validation token path that redirects to ACM's
	// copy of the token.
	RecordRedirect = "redirect"
	// RecordZone: renewsim adds no validation record: what the scenario's
	// DNS records (an imported zone) hold decides.
	RecordZone = "zone"
)

// Certificate is one ACM certificate as the scenario declares it.
type Certificate struct {
	ID               string
	Domain           string
	SANs             []string // without the domain; Names() gives all of them
	Validation       string   // dns | email | http ("" for private and imported)
	Type             string
	Issued           time.Time // NotBefore of the first certificate
	NotAfter         time.Time // NotAfter of the first certificate (resolved by the loader)
	InUseBy          []string  // resource ids
	Exported         bool
	ValidationRecord string // present | absent | wrong | chain-N (dns); present | redirect | absent | wrong (http)
	// ValidationRecords gives the state of single names' records where it
	// differs from ValidationRecord (validation_record written as a mapping
	// of name to state). For dns, a wildcard and its parent share one
	// record, and either name stands for it.
	ValidationRecords map[string]string
	// ValidationDomains maps a name to the domain whose admin addresses
	// receive its approval e-mail, when it is not the name itself minus a
	// leading "www." or "*." (e-mail validation only).
	ValidationDomains map[string]string
	// ARN is the certificate's real ARN; "" derives one from the seed.
	ARN string
	// Account and Region are where the certificate lives when that is not
	// the profile's account and region ("": the profile's), as in a fleet
	// read from several: its derived ARN and validation records, its
	// events and its e-mails carry them.
	Account, Region string
	// ValidationCNAMEs maps a name to the validation record ACM gave for it
	// (DescribeCertificate's ResourceRecord); names without one get the
	// record derived from the seed (ValidationRecord).
	ValidationCNAMEs map[string]ValidationCNAME
	// KeyAlgorithm is the key's algorithm as ACM names it (RSA_2048,
	// EC_prime256v1, ...); "" is RSA_2048, ACM's default. The model does
	// not read it; the ACM API reports it and live runs issue such keys.
	KeyAlgorithm string
}

// ProfileFor is p as it applies to c: p itself, or a copy with c's own
// account and region.
func (c *Certificate) ProfileFor(p *Profile) *Profile {
	if (c.Account == "" || c.Account == p.Account) && (c.Region == "" || c.Region == p.Region) {
		return p
	}
	cp := *p
	if c.Account != "" {
		cp.Account = c.Account
	}
	if c.Region != "" {
		cp.Region = c.Region
	}
	return &cp
}

// ValidationCNAME is one DNS validation record: Name CNAME Value, both
// absolute names ending in a dot.
type ValidationCNAME struct{ Name, Value string }

// ValidationCNAME is the validation record ACM expects for name: the one
// the scenario gives for it (or for a name sharing its record, as
// *.example.com and example.com do), else the one derived from seed and
// account.
func (c *Certificate) ValidationCNAME(seed uint64, account, name string) (record, value string) {
	if r, ok := c.ValidationCNAMEs[name]; ok {
		return r.Name, r.Value
	}
	if len(c.ValidationCNAMEs) > 0 {
		base := BaseName(name)
		for _, n := range c.Names() {
			if r, ok := c.ValidationCNAMEs[n]; ok && BaseName(n) == base {
				return r.Name, r.Value
			}
		}
	}
	return ValidationRecord(seed, account, name)
}

// RecordState is the state of name's validation record at the start: its
// own entry in ValidationRecords (for dns also its wildcard's or parent's,
// which share the record), else ValidationRecord.
func (c *Certificate) RecordState(name string) string {
	if st, ok := c.ValidationRecords[name]; ok {
		return st
	}
	if c.Validation == ValidationDNS {
		base := BaseName(name)
		for n, st := range c.ValidationRecords {
			if BaseName(n) == base {
				return st
			}
		}
	}
	return c.ValidationRecord
}

// Names is the domain followed by the SANs, without duplicates.
func (c *Certificate) Names() []string {
	out := []string{c.Domain}
	for _, s := range c.SANs {
		dup := false
		for _, o := range out {
			if o == s {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, s)
		}
	}
	return out
}

// Timeline actions.
const (
	DoDeleteValidationRecord  = "delete-validation-record"
	DoRestoreValidationRecord = "restore-validation-record"
	DoDNSAdd                  = "dns-add"
	DoDNSDelete               = "dns-delete"
	DoAttach                  = "attach"
	DoDetach                  = "detach"
	DoExport                  = "export"
	DoClickApproval           = "click-approval"          // Domain: the newest unexpired link for it, from the sink
	DoResendValidationEmail   = "resend-validation-email" // Cert
	DoMailboxReject           = "mailbox-reject"          // Address: the mail server starts answering 550
	DoMailboxAccept           = "mailbox-accept"          // Address
	// DoRenewCertificate is the RenewCertificate API call (forced renewal):
	// ACM renews on request a private or amazon-issued certificate that
	// is eligible and was exported since it was issued or last renewed;
	// any other request is refused, and the record says why.
	DoRenewCertificate = "renew-certificate"
	// DoReimport imports a new certificate into the ARN of an imported one
	// (Cert), valid from now until NotAfter.
	DoReimport = "reimport"
	// DoPCAFailure makes AWS Private CA refuse to issue Cert's renewals,
	// with RenewalStatusReason Reason (a PCA_* value), until DoPCARestore.
	DoPCAFailure = "pca-failure"
	DoPCARestore = "pca-restore"
	// DoDNSFault makes DNS misbehave for a name (Name) or a zone (Zone):
	// Fault is servfail, timeout or slow, Probability the share of queries
	// struck (0: all). DoDNSFaultClear ends it.
	DoDNSFault      = "dns-fault"
	DoDNSFaultClear = "dns-fault-clear"
)

// DNS fault kinds (Change.Fault, DNSFault.Kind).
const (
	FaultServfail = "servfail" // SERVFAIL
	FaultTimeout  = "timeout"  // no answer
	// FaultSlow: an answer that arrives after ACM's resolver has given up.
	// Virtual time does not move during a query, so a slow answer is a
	// failed attempt, like no answer at all.
	FaultSlow = "slow"
)

// Change is one world change on the timeline.
type Change struct {
	At       time.Time
	AtText   string // as written, e.g. "web.expiry-20d"
	Do       string
	Cert     string
	Resource string
	Record   string    // dns-add: a zone-file line
	Name     string    // dns-delete: owner name
	Type     string    // dns-delete: RR type, "" for all
	Domain   string    // click-approval
	Address  string    // mailbox-reject, mailbox-accept
	NotAfter time.Time // reimport: the new certificate's NotAfter
	Reason   string    // pca-failure: the PCA_* RenewalStatusReason
	Zone     string    // dns-fault, dns-fault-clear: the zone (Name names a single name)
	Fault    string    // dns-fault: servfail | timeout | slow
	// Probability is the share of queries a dns-fault strikes, in (0, 1];
	// 0 means every query.
	Probability float64
	Line        int // line in the scenario file, for messages
}

// Expectation is one claim about the run. Exactly one group of fields is set,
// as Kind says.
type Expectation struct {
	Kind string // one of the Expect* constants
	Text string // how the scenario wrote it, shown in results
	Line int

	Cert     string
	Resource string

	Outcome Outcome // ExpectOutcome (of Cycle), ExpectFinalOutcome: renewed | expired | pending

	RenewedAfter  *time.Time // ExpectRenewedWindow
	RenewedBefore *time.Time

	At            time.Time // ExpectStatusAt
	Status        Status
	RenewalStatus RenewalStatus
	Reason        string // RenewalStatusReason, e.g. CAA_ERROR

	Event string // ExpectEventCount: EventBridge detail-type
	Code  string // ExpectEventCount on AWS Health Event: its eventTypeCode
	Count *int
	Min   *int
	Max   *int

	Outage        *time.Duration // ExpectOutage: exact total
	OutageAtLeast *time.Duration

	Email string // ExpectEmail: approval | instruction | any (with Count/Min/Max)
	To    string // ExpectEmail: only messages delivered to this address

	// Cycle is the renewal cycle ExpectOutcome, ExpectRenewedWindow and
	// ExpectServes are about: 1 (the default, 0) renews the first
	// certificate, 2 the one that renewal issued, and so on. On
	// ExpectEventCount and ExpectEmail (with Cert) it keeps the events and
	// e-mails sent while that cycle's certificate was the current one
	// (0: all of them); a renewal's Available event belongs to the
	// certificate it issued, the next cycle.
	Cycle int
	// EventAt and Detail narrow ExpectEventCount to the events sent at that
	// time whose detail holds those fields.
	EventAt *time.Time
	Detail  []DetailWant

	Renewals *int // ExpectRenewals: renewals over the whole run

	// ExpectServes: when Resource started serving the certificate the
	// renewal of Cycle issued (Cert: the certificate it is about).
	ServesAfter  *time.Time
	ServesBefore *time.Time

	// ExpectAlarm: the alarm named, for Cert when set. Count, Min and Max
	// count its firings (fires: never is Count 0).
	Alarm           string
	FalseAlarms     *int // exactly this many false alarms
	FalseAlarmsMin  *int // at least this many
	FalseAlarmsMax  *int // at most this many
	LeadTimeAtLeast *time.Duration
}

// DetailWant is one field an event's detail must hold: its name as the
// event writes it (DaysToExpiry, Action, eventTypeCode, …) and its value
// as text ("30", "RENEWAL", "true"; "none" for a field left out).
type DetailWant struct {
	Field, Value string
}

// Expectation kinds.
const (
	ExpectOutcome       = "outcome"
	ExpectFinalOutcome  = "final-outcome" // what happened last: the last decided cycle's outcome (FinalOutcome)
	ExpectRenewedWindow = "renewed-window"
	ExpectStatusAt      = "status-at"
	ExpectEventCount    = "event-count"
	ExpectOutage        = "outage"
	ExpectEmail         = "email"
	ExpectRenewals      = "renewals"
	ExpectServes        = "serves-renewed"
	ExpectAlarm         = "alarm"
)

// E-mail kinds, in the record and in expectations.
const (
	EmailApproval    = "approval"
	EmailInstruction = "instruction"
	EmailAny         = "any"
)

// Outcome is how a certificate's renewal cycle ended.
type Outcome string

// Outcomes of a certificate's first renewal cycle.
const (
	OutcomeRenewed Outcome = "renewed"
	OutcomeExpired Outcome = "expired"
	OutcomePending Outcome = "pending"
)

// Resource kinds.
var ResourceKinds = []string{"elb", "cloudfront", "apigateway", "other"}

// DefaultDeployDelay is how long a resource of kind takes to serve a renewed
// certificate when the scenario does not say. AWS documents no figure; these
// are the orders of magnitude users report (CloudFront takes hours).
func DefaultDeployDelay(kind string) time.Duration {
	switch kind {
	case "cloudfront":
		return 4 * time.Hour
	case "elb", "apigateway":
		return 30 * time.Minute
	default:
		return time.Hour
	}
}

// Alarm is one alert rule as people write it against ACM certificates:
// an EventBridge rule, a CloudWatch alarm on DaysToExpiry, the AWS Config
// rule acm-certificate-expiration-check (and Security Hub's ACM.1, which
// is that rule with 30 days), or a TLS endpoint probe. Exactly one kind's
// fields are set, as Kind says.
type Alarm struct {
	Name string // [a-z0-9-]+, unique in a scenario
	Kind string // one of the Alarm* kinds

	// AlarmEventBridge: events of this detail type, optionally only those
	// whose detail says DaysToExpiry <= DaysToExpiryAtMost, whose
	// RenewalStatusReason is Reason, or (AWS Health events) whose
	// eventTypeCode is Code.
	DetailType         string
	DaysToExpiryAtMost *int
	Reason             string
	Code               string

	// AlarmMetric: DaysToExpiry <= Days. AlarmConfig, AlarmSecurityHub:
	// the rule's daysToExpiration.
	Days int
	// AlarmMetric: how the alarm treats a day without a datapoint (after
	// the certificate expired): one of the Missing* values; "" is
	// CloudWatch's default, MissingMissing.
	TreatMissingData string
	// AlarmConfig, AlarmSecurityHub: how often the rule is evaluated
	// periodically (AWS Config's MaximumExecutionFrequency).
	Every time.Duration

	// AlarmProbe: the certificate a resource serves expires within Within,
	// or within Share of its lifetime (above 0, below 1) when Within is 0.
	Within   time.Duration
	Share    Share
	Resource string // only this resource; "" for every resource

	// Certs limits the alarm to these certificates; empty for all.
	Certs []string

	// Where it was declared, for messages.
	File      string
	Line, Col int
}

// Alarm kinds.
const (
	AlarmEventBridge = "eventbridge"
	AlarmMetric      = "metric"
	AlarmConfig      = "config"
	AlarmSecurityHub = "securityhub"
	AlarmProbe       = "probe"
)

// CloudWatch's treatments of missing data (TreatMissingData), in the order
// its documentation gives them.
const (
	MissingNotBreaching = "notBreaching" // as within the threshold: OK
	MissingBreaching    = "breaching"    // as beyond the threshold: ALARM
	MissingIgnore       = "ignore"       // the alarm keeps its state
	MissingMissing      = "missing"      // INSUFFICIENT_DATA (the default)
)

// MissingDataTreatments lists the treatments of missing data.
var MissingDataTreatments = []string{MissingNotBreaching, MissingBreaching, MissingIgnore, MissingMissing}

// The documented defaults of the AWS rules.
const (
	// ConfigDefaultDays is acm-certificate-expiration-check's default
	// daysToExpiration.
	ConfigDefaultDays = 14
	// SecurityHubACM1Days is the daysToExpiration Security Hub's control
	// ACM.1 passes to acm-certificate-expiration-check.
	SecurityHubACM1Days = 30
	// ConfigDefaultEvery is how often AWS Config evaluates a periodic
	// rule unless told otherwise.
	ConfigDefaultEvery = 24 * time.Hour
)

// Watches reports whether the alarm is about certificate id.
func (a *Alarm) Watches(id string) bool {
	if len(a.Certs) == 0 {
		return true
	}
	for _, c := range a.Certs {
		if c == id {
			return true
		}
	}
	return false
}

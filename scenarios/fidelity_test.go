package scenarios

import (
	"testing"

	"github.com/renewsim/renewsim/sim"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fidelityBroken are scenarios the keys and checks of issue 10 refuse, each
// with every message the loader gives (file:line:col).
var fidelityBroken = []struct {
	name string
	doc  string
	want string
}{
	{"a sign inside an offset", validDoc + `timeline:
  - at: web.expiry-58d+30m
    do: export
    cert: web
`, `t.yaml:10:9: at: bad offset: duration "-58d+30m" has a sign inside it (at "+30m"): a duration takes one sign, in front; for -58d + 30m write -57d23h30m in "web.expiry-58d+30m"`},
	{"PENDING_DOMAIN_VALIDATION at a time", validDoc + `expect:
  - cert: web
    at: web.expiry-10d
    reason: PENDING_DOMAIN_VALIDATION
`, `t.yaml:12:13: reason: PENDING_DOMAIN_VALIDATION appears only in ACM Certificate Renewal Action Required events (their RenewalStatusReason); DescribeCertificate's RenewalStatusReason never holds it, so an at: expectation cannot see it: count the events instead, or expect renewal_status: PENDING_VALIDATION`},
	{"validation_record per name", `name: ok
start: 2026-03-01T00:00:00Z
resources:
  - {id: alb, kind: elb}
  - {id: cdn, kind: cloudfront}
certificates:
  - id: web
    domain: example.com
    sans: ["*.example.com", api.example.com]
    in_use_by: [alb]
    validation_record: {www.example.com: absent, example.com: absent, "*.example.com": present, api.example.com: redirect}
  - id: static
    domain: static.example.com
    validation: http
    in_use_by: [cdn]
    validation_record: {static.example.com: chain-2}
  - id: mail
    domain: mail.example.com
    validation: email
    validation_record: {mail.example.com: absent}
`, `t.yaml:11:25: validation_record: "www.example.com" is not a name of this certificate (its names: example.com, *.example.com, api.example.com)
t.yaml:11:88: validation_record: "example.com" and "*.example.com" share one validation record in ACM, so they cannot differ (absent and present)
t.yaml:11:114: validation_record: redirect is a state of http validation; dns validation takes one of: present, absent, wrong, doubled-suffix, no-underscore, chain-N, zone
t.yaml:16:45: validation_record: chain-N is a state of dns validation; http validation takes one of: present, redirect, absent, wrong
t.yaml:20:5: validation_record applies only to dns and http validation; this certificate uses email validation`},
	{"dns-fault", validDoc + `timeline:
  - {at: start+1d, do: dns-fault, name: example.com, zone: example.com, fault: servfail}
  - {at: start+1d, do: dns-fault, fault: timeout}
  - {at: start+1d, do: dns-fault, zone: example.com, fault: flaky}
  - {at: start+1d, do: dns-fault, zone: example.com, fault: slow, probability: 0}
  - {at: start+1d, do: dns-fault, zone: example.com, fault: slow, probability: 1.5}
  - {at: start+1d, do: dns-fault, zone: "*.example.com", fault: slow, duration: 0s}
  - {at: start+1d, do: dns-fault, zone: example.com}
  - {at: start+1d, do: dns-fault-clear, zone: example.com, fault: slow}
  - {at: start+1d, do: dns-fault-clear}
`, `t.yaml:10:54: dns-fault takes name or zone, not both: name is one DNS name, zone a name and everything below it
t.yaml:11:5: missing key "name" or "zone" for dns-fault: which DNS names misbehave?
t.yaml:12:61: fault: unknown DNS fault "flaky" (expected one of: servfail, timeout, slow)
t.yaml:13:80: probability: want a share of the queries above 0 and at most 1, like 0.3, got "0"
t.yaml:14:80: probability: want a share of the queries above 0 and at most 1, like 0.3, got "1.5"
t.yaml:15:41: zone: want a DNS name like example.com or _x.example.com, got "*.example.com"
t.yaml:15:81: duration: want a positive duration like 6h, got "0s" (leave it out for a fault that lasts until dns-fault-clear or the end)
t.yaml:16:5: missing required key "fault" for dns-fault
t.yaml:17:60: key "fault" is not used by dns-fault-clear (it takes: name, zone)
t.yaml:18:5: missing key "name" or "zone" for dns-fault-clear: which DNS names misbehave?`},
	{"event contents, cycles, renewals, serving", validDoc + `expect:
  - {cert: web, event: ACM Certificate Available, detail: {Action: RENEW, DaysToExpiry: soon, Colour: blue}}
  - {cert: web, event: ACM Certificate Renewal Action Required, detail: {RenewalStatusReason: PENDING_DOMAIN_VALIDATION, InUse: yes, CertificateExpirationDate: web.expiry+1q}}
  - {cert: web, event: ACM Certificate Expired, at: web.expiry, outage: 0s}
  - {cert: web, detail: {DaysToExpiry: 1}}
  - {cert: web, renewals: -1, outcome: renewed}
  - {cert: web, cycle: 0, outcome: renewed}
  - {cert: web, cycle: 2, at: web.expiry, status: EXPIRED}
  - {resource: alb, serves_renewed_after: web.expiry}
  - {resource: alb, cert: web, serves_renewed_after: web.expiry, serves_renewed_before: web.expiry-1d}
`, `t.yaml:10:68: detail: Action: want one of ISSUANCE, RENEWAL, IMPORT, REIMPORT, got "RENEW"
t.yaml:10:89: detail: DaysToExpiry: want a whole number of days, got "soon"
t.yaml:10:95: detail: "Colour" is not a field of ACM Certificate Available events (fields: Action, CertificateType, CommonName, DomainValidationMethod, CertificateCreatedDate, CertificateExpirationDate, DaysToExpiry, InUse, Exported)
t.yaml:11:129: detail: InUse: want true or false, got "yes"
t.yaml:11:161: CertificateExpirationDate: bad offset: want a duration like 45d, 1d12h or 30m, got "+1q" in "web.expiry+1q"
t.yaml:12:65: key "outage" is not used by an event content expectation (it takes: cert, event, code, at, detail, cycle, count, min, max)
t.yaml:13:5: missing required key "event" in expectation
t.yaml:14:27: renewals: want a whole number >= 0, got "-1"
t.yaml:14:31: key "outcome" is not used by a renewals expectation (it takes: cert, renewals)
t.yaml:15:24: cycle: want 1 (renewing the first certificate) or more, got 0
t.yaml:16:17: key "cycle" is not used by a status-at expectation (cycle goes with outcome, renewed_after/renewed_before, serves_renewed_after/serves_renewed_before, and event or email counts about a certificate)
t.yaml:17:5: missing required key "cert" in expectation
t.yaml:18:89: serves_renewed_before (2026-09-14T00:00:00Z) is not after serves_renewed_after (2026-09-15T00:00:00Z)`},
	{"renew-certificate, reimport, pca-failure", `name: ok
start: 2026-03-01T00:00:00Z
certificates:
  - {id: web, domain: example.com, exported: true}
  - {id: imp, domain: old.example.com, type: imported, not_after: 2026-06-01T00:00:00Z}
  - {id: pca, domain: internal.example.com, type: private-ca}
timeline:
  - {at: start+1d, do: renew-certificate, cert: imp}
  - {at: start+1d, do: reimport, cert: web, not_after: 2027-01-01T00:00:00Z}
  - {at: start+1d, do: reimport, cert: imp, not_after: start}
  - {at: start+1d, do: reimport, cert: imp}
  - {at: start+1d, do: pca-failure, cert: pca, reason: PCA_INVALID_STATE}
  - {at: start+1d, do: pca-failure, cert: web, reason: CAA_ERROR}
  - {at: start+1d, do: pca-restore, cert: web, reason: PCA_INVALID_STATE}
`, `t.yaml:8:49: cert: renew-certificate needs a private or amazon-issued certificate; "imp" is an imported certificate
t.yaml:9:40: cert: reimport needs an imported certificate; "web" is an amazon-issued certificate
t.yaml:10:56: not_after (2026-03-01T00:00:00Z) is not after the reimport (2026-03-02T00:00:00Z): the new certificate must be valid
t.yaml:11:5: missing required key "not_after" for reimport
t.yaml:12:43: cert: pca-failure needs a private certificate; "pca" is a private-ca certificate
t.yaml:13:43: cert: pca-failure needs a private certificate; "web" is an amazon-issued certificate
t.yaml:13:56: reason: unknown Private CA failure reason "CAA_ERROR" (expected one of: PCA_LIMIT_EXCEEDED, PCA_INVALID_ARN, PCA_INVALID_STATE, PCA_REQUEST_FAILED, PCA_NAME_CONSTRAINTS_VALIDATION, PCA_RESOURCE_NOT_FOUND, PCA_INVALID_ARGS, PCA_INVALID_DURATION, PCA_ACCESS_DENIED)
t.yaml:14:43: cert: pca-restore needs a private certificate; "web" is an amazon-issued certificate
t.yaml:14:48: key "reason" is not used by pca-restore (it takes: cert)`},
	{"days_before_expiry", `name: ok
start: 2026-03-01T00:00:00Z
days_before_expiry: 0
certificates: [{id: web, domain: example.com}]
`, `t.yaml:3:21: days_before_expiry: want a whole number of days from 1 (ExpiryEventsConfiguration's valid range: minimum 1, no maximum), got 0`},
	{"cycle of e-mails needs a certificate", `name: ok
start: 2026-03-01T00:00:00Z
certificates: [{id: web, domain: example.com}]
expect:
  - {email: approval, cycle: 2, count: 0}
  - {cert: web, final_outcome: lost}
  - {final_outcome: expired}
  - {cert: web, final_outcome: expired, cycle: 2}
`, `t.yaml:5:23: cycle counts the e-mails of one certificate's cycle: give cert too
t.yaml:6:32: final_outcome: unknown final outcome "lost" (expected one of: renewed, expired, pending)
t.yaml:7:5: missing required key "cert" in expectation
t.yaml:8:41: key "cycle" is not used by a final-outcome expectation (cycle goes with outcome, renewed_after/renewed_before, serves_renewed_after/serves_renewed_before, and event or email counts about a certificate)`},
	{"days_before_expiry not a number", `name: ok
start: 2026-03-01T00:00:00Z
days_before_expiry: 99999999999999999999
certificates: [{id: web, domain: example.com}]
`, `t.yaml:3:21: days_before_expiry: want a whole number of days from 1 (ExpiryEventsConfiguration's valid range: minimum 1, no maximum), got "99999999999999999999"`},
	{"days_before_expiry and the knob", `name: ok
start: 2026-03-01T00:00:00Z
overrides: {approaching_expiration_days: 20}
days_before_expiry: 10
certificates: [{id: web, domain: example.com}]
`, `t.yaml:4:1: days_before_expiry sets approaching_expiration_days for the account; leave it out of overrides (line 3)`},
}

func TestFidelityBroken(t *testing.T) {
	for _, tc := range fidelityBroken {
		t.Run(tc.name, func(t *testing.T) {
			sc, err := Parse("t.yaml", []byte(tc.doc))
			require.Error(t, err)
			assert.Nil(t, sc)
			_, ok := err.(Errors)
			require.True(t, ok, "error is %T, want Errors", err)
			assert.Equal(t, tc.want, err.Error())
		})
	}
}

// renewal_status: none is what an at: expectation writes for "no renewal
// summary".
func TestRenewalStatusNone(t *testing.T) {
	sc, err := Parse("t.yaml", []byte(validDoc+`expect:
  - cert: web
    at: web.expiry-50d
    renewal_status: none
    reason: none
`))
	require.NoError(t, err)
	require.Len(t, sc.Expect, 1)
	assert.Equal(t, sim.RenewalStatus("none"), sc.Expect[0].RenewalStatus)
	assert.Equal(t, "none", sc.Expect[0].Reason)
}

// validation_record as a mapping sets single names' states; the others
// keep the default.
func TestValidationRecordPerName(t *testing.T) {
	sc, err := Parse("t.yaml", []byte(`name: ok
start: 2026-03-01T00:00:00Z
resources:
  - {id: alb, kind: elb}
certificates:
  - id: web
    domain: example.net
    sans: ["*.example.net", api.example.net]
    in_use_by: [alb]
    validation_record: {API.example.net: absent, example.net: chain-3, "*.example.net": chain-3}
`))
	require.NoError(t, err)
	c := sc.Certificates[0]
	assert.Equal(t, "present", c.ValidationRecord)
	assert.Equal(t, map[string]string{"api.example.net": "absent", "example.net": "chain-3", "*.example.net": "chain-3"}, c.ValidationRecords)
	assert.Equal(t, "absent", c.RecordState("api.example.net"))
	assert.Equal(t, "chain-3", c.RecordState("*.example.net"))
	c.ValidationRecords = map[string]string{"*.example.net": "wrong"}
	assert.Equal(t, "wrong", c.RecordState("example.net"), "a wildcard's state is its parent's")
	assert.Equal(t, "present", c.RecordState("api.example.net"))
}

// A dns-fault with a duration ends by itself: the loader adds its
// dns-fault-clear; one that would end after until lasts to the end.
func TestDNSFaultDuration(t *testing.T) {
	sc, err := Parse("t.yaml", []byte(validDoc+`until: start+10d
timeline:
  - {at: start+1d, do: dns-fault, zone: Example.com., fault: timeout, probability: 0.25, duration: 6h}
  - {at: start+2d, do: dns-fault, name: _x.example.com, fault: servfail, duration: 30d}
`))
	require.NoError(t, err)
	require.Len(t, sc.Timeline, 3)
	f, c, long := sc.Timeline[0], sc.Timeline[1], sc.Timeline[2]
	assert.Equal(t, sim.Change{At: date("2026-03-02T00:00:00Z"), AtText: "start+1d", Do: sim.DoDNSFault, Zone: "Example.com.", Fault: sim.FaultTimeout, Probability: 0.25, Line: 11}, f)
	assert.Equal(t, sim.Change{At: date("2026-03-02T06:00:00Z"), AtText: "start+1d+6h", Do: sim.DoDNSFaultClear, Zone: "Example.com.", Line: 11}, c)
	assert.Equal(t, sim.DoDNSFault, long.Do)
	assert.Equal(t, "_x.example.com", long.Name)
}

// days_before_expiry is the account's: it sets both daily-event knobs.
func TestDaysBeforeExpiry(t *testing.T) {
	sc, err := Parse("t.yaml", []byte(validDoc+"days_before_expiry: 10\n"))
	require.NoError(t, err)
	assert.Equal(t, 10, sc.Profile.ApproachingDaysPublic)
	assert.Equal(t, 10, sc.Profile.ApproachingDaysPrivate)
}

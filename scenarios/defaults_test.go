package scenarios

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/renewsim/renewsim/sim"
)

func TestDefaults(t *testing.T) {
	doc := `name: defaults
description: |
  Two lines
  of text.
start: 2026-03-01T00:00:00Z
resources:
  - {id: alb, kind: elb}
  - {id: cdn, kind: cloudfront}
  - {id: api, kind: apigateway}
  - {id: box, kind: other}
  - {id: slow, kind: elb, deploy_delay: 1d12h}
certificates:
  - {id: web, domain: example.com, in_use_by: [alb, cdn]}
  - {id: old, domain: old.example.com, issued: 2026-02-17T23:59:59Z}
  - {id: mail, domain: mail.example.com, validation: email}
  - {id: priv, domain: internal.example.com, type: private}
  - {id: pca, domain: pca.example.com, type: private-ca}
  - {id: imp, domain: imp.example.com, type: imported}
  - {id: gone, domain: gone.example.com, validation_record: absent, exported: true}
`
	sc, err := Parse("d.yaml", []byte(doc))
	require.NoError(t, err)

	assert.Equal(t, "d.yaml", sc.File)
	assert.Equal(t, "Two lines\nof text.", sc.Description)
	assert.Equal(t, sim.DefaultProfile, sc.ProfileName)
	want, _ := sim.LookupProfile(sim.DefaultProfile)
	assert.Equal(t, want, sc.Profile)
	assert.Equal(t, uint64(1), sc.Seed)
	assert.Empty(t, sc.Timeline)
	assert.Empty(t, sc.Expect)
	assert.Empty(t, sc.DNSRecords)
	assert.Equal(t, "owner@account.example", sc.AccountEmail)
	assert.Equal(t, "accept", sc.UnlistedMailboxes)
	assert.Empty(t, sc.Mailboxes)
	assert.Empty(t, sc.Whois)

	assert.Equal(t, []sim.Resource{
		{ID: "alb", Kind: "elb", DeployDelay: 30 * time.Minute},
		{ID: "cdn", Kind: "cloudfront", DeployDelay: 4 * time.Hour},
		{ID: "api", Kind: "apigateway", DeployDelay: 30 * time.Minute},
		{ID: "box", Kind: "other", DeployDelay: time.Hour},
		{ID: "slow", Kind: "elb", DeployDelay: 36 * time.Hour},
	}, sc.Resources)

	start := date("2026-03-01T00:00:00Z")
	oldIssued := date("2026-02-17T23:59:59Z")
	assert.Equal(t, []sim.Certificate{
		{ID: "web", Domain: "example.com", Validation: "dns", Type: "amazon-issued", Issued: start, NotAfter: start.Add(198 * sim.Day),
			InUseBy: []string{"alb", "cdn"}, ValidationRecord: "present"},
		// Issued before the 2026-02-18 transition: the old 395-day lifetime.
		{ID: "old", Domain: "old.example.com", Validation: "dns", Type: "amazon-issued", Issued: oldIssued, NotAfter: oldIssued.Add(395 * sim.Day),
			ValidationRecord: "present"},
		{ID: "mail", Domain: "mail.example.com", Validation: "email", Type: "amazon-issued", Issued: start, NotAfter: start.Add(198 * sim.Day)},
		{ID: "priv", Domain: "internal.example.com", Type: "private", Issued: start, NotAfter: start.Add(395 * sim.Day)},
		{ID: "pca", Domain: "pca.example.com", Type: "private-ca", Issued: start, NotAfter: start.Add(395 * sim.Day)},
		{ID: "imp", Domain: "imp.example.com", Type: "imported", Issued: start, NotAfter: start.Add(198 * sim.Day)},
		{ID: "gone", Domain: "gone.example.com", Validation: "dns", Type: "amazon-issued", Issued: start, NotAfter: start.Add(198 * sim.Day),
			Exported: true, ValidationRecord: "absent"},
	}, sc.Certificates)

	// until: the latest first expiry (the private ones, 395 days from start)
	// + 7 days.
	assert.Equal(t, start.Add(395*sim.Day+7*sim.Day), sc.Until)
}

func TestExplicitValues(t *testing.T) {
	doc := `name: explicit
profile: acm-legacy
start: 2025-03-01T00:00:00Z
until: 2026-06-01T00:00:00Z
seed: 18446744073709551615
certificates:
  - id: web
    domain: example.com
    sans: ["*.example.com", example.com, www.example.com]
    validation: email
    issued: start-30d
    exported: True
dns:
  records:
    - 'example.com. 300 IN CAA 0 issue "amazon.com"'
    - "www.example.com. 300 IN A 192.0.2.1"
`
	sc, err := Parse("e.yaml", []byte(doc))
	require.NoError(t, err)
	assert.Equal(t, "acm-legacy", sc.ProfileName)
	assert.Equal(t, "acm-legacy", sc.Profile.Name)
	assert.Equal(t, uint64(18446744073709551615), sc.Seed)
	assert.Equal(t, date("2026-06-01T00:00:00Z"), sc.Until)
	web := sc.Certificates[0]
	assert.Equal(t, []string{"*.example.com", "example.com", "www.example.com"}, web.SANs)
	assert.Equal(t, []string{"example.com", "*.example.com", "www.example.com"}, web.Names())
	assert.Equal(t, "email", web.Validation)
	assert.Equal(t, "", web.ValidationRecord, "e-mail validation has no record")
	assert.Nil(t, web.ValidationDomains)
	assert.True(t, web.Exported)
	issued := date("2025-01-30T00:00:00Z")
	assert.Equal(t, issued, web.Issued)
	assert.Equal(t, issued.Add(395*sim.Day), web.NotAfter, "acm-legacy: 395 days")
	assert.Equal(t, []string{`example.com. 300 IN CAA 0 issue "amazon.com"`, "www.example.com. 300 IN A 192.0.2.1"}, sc.DNSRecords)
	assert.Equal(t, []int{15, 16}, sc.DNSLines)

	sc, err = Parse("e.yaml", []byte("name: zero\nseed: 0\nstart: 2026-03-01T00:00:00Z\ncertificates: [{id: web, domain: example.com}]\n"))
	require.NoError(t, err)
	assert.Equal(t, uint64(0), sc.Seed)
}

func TestOverrides(t *testing.T) {
	doc := `name: overrides
start: 2026-03-01T00:00:00Z
overrides:
  retry_interval: 2h
  public_validity: 100d
  action_required_days: [7, 30]
  private_action_required_days: "45, 15"
  whois_contacts: true
  eligibility: in-use
  transition_date: 2026-04-01
  max_cname_chain: 8
  region: eu-west-1
certificates:
  - {id: web, domain: example.com}
`
	sc, err := Parse("o.yaml", []byte(doc))
	require.NoError(t, err)
	p := sc.Profile
	assert.Equal(t, "acm-2026", p.Name)
	assert.Equal(t, 2*time.Hour, p.RetryInterval)
	assert.Equal(t, 100*sim.Day, p.PublicValidity)
	assert.Equal(t, []int{30, 7}, p.ActionRequiredDays)
	assert.Equal(t, []int{45, 15}, p.PrivateActionRequired)
	assert.True(t, p.WhoisContacts)
	assert.Equal(t, sim.EligibleInUse, p.Eligibility)
	assert.Equal(t, date("2026-04-01T00:00:00Z"), p.TransitionDate)
	assert.Equal(t, 8, p.MaxCNAMEChain)
	assert.Equal(t, "eu-west-1", p.Region)

	// The overrides apply before NotAfter is computed: issued before the
	// moved transition date, so the pre-transition lifetime applies.
	assert.Equal(t, date("2026-03-01T00:00:00Z").Add(395*sim.Day), sc.Certificates[0].NotAfter)

	// Other profiles are untouched: each load gets a fresh copy.
	fresh, _ := sim.LookupProfile("acm-2026")
	assert.Equal(t, time.Hour, fresh.RetryInterval)

	doc2 := `name: overrides
start: 2026-03-01T00:00:00Z
overrides: {public_validity: 100d}
certificates: [{id: web, domain: example.com}]
`
	sc, err = Parse("o.yaml", []byte(doc2))
	require.NoError(t, err)
	assert.Equal(t, date("2026-03-01T00:00:00Z").Add(100*sim.Day), sc.Certificates[0].NotAfter)
	assert.Equal(t, sc.Certificates[0].NotAfter.Add(7*sim.Day), sc.Until)

	_, err = Parse("o.yaml", []byte(`name: overrides
start: 2026-03-01T00:00:00Z
overrides: {public_validity: 0s}
certificates: [{id: web, domain: example.com}]
`))
	assert.EqualError(t, err, `o.yaml:3:30: public_validity: 0s is out of range (want 2d to 3650d)`)

	_, err = Parse("o.yaml", []byte(`name: overrides
start: 2026-01-01T00:00:00Z
overrides: {pre_transition_validity: 0s}
certificates: [{id: web, domain: example.com}]
`))
	assert.EqualError(t, err, `o.yaml:3:38: pre_transition_validity: 0 is out of range (want 2d to 3650d: transition_date gives certificates issued before it this lifetime)
o.yaml:4:16: certificate "web": profile acm-2026 gives it a lifetime of 0s; set not_after or change the overrides`)
}

func TestExpectations(t *testing.T) {
	doc := `name: expect
start: 2026-03-01T00:00:00Z
resources: [{id: alb, kind: elb}]
certificates: [{id: web, domain: example.com, in_use_by: [alb]}]
expect:
  - {cert: web, outcome: pending}
  - {renewed_before: "web.expiry-44d", cert: web}
  - cert: web
    at: web.expiry-10d
    renewal_status: PENDING_VALIDATION
  - {cert: web, event: ACM Certificate Approaching Expiration, min: 1, max: 30}
  - {cert: web, event: ACM Certificate Available, max: 1}
  - {resource: alb, outage: 1d12h}
`
	sc, err := Parse("x.yaml", []byte(doc))
	require.NoError(t, err)
	expiry := date("2026-09-15T00:00:00Z")
	before := expiry.Add(-44 * sim.Day)
	one, thirty := 1, 30
	outage := 36 * time.Hour
	assert.Equal(t, []sim.Expectation{
		{Kind: sim.ExpectOutcome, Text: "{cert: web, outcome: pending}", Line: 6, Cert: "web", Outcome: "pending"},
		{Kind: sim.ExpectRenewedWindow, Text: "{renewed_before: web.expiry-44d, cert: web}", Line: 7, Cert: "web", RenewedBefore: &before},
		{Kind: sim.ExpectStatusAt, Text: "{cert: web, at: web.expiry-10d, renewal_status: PENDING_VALIDATION}", Line: 8,
			Cert: "web", At: expiry.Add(-10 * sim.Day), RenewalStatus: "PENDING_VALIDATION"},
		{Kind: sim.ExpectEventCount, Text: "{cert: web, event: ACM Certificate Approaching Expiration, min: 1, max: 30}", Line: 11,
			Cert: "web", Event: "ACM Certificate Approaching Expiration", Min: &one, Max: &thirty},
		{Kind: sim.ExpectEventCount, Text: "{cert: web, event: ACM Certificate Available, max: 1}", Line: 12,
			Cert: "web", Event: "ACM Certificate Available", Max: &one},
		{Kind: sim.ExpectOutage, Text: "{resource: alb, outage: 1d12h}", Line: 13, Resource: "alb", Outage: &outage},
	}, sc.Expect)
}

func TestTimelineActions(t *testing.T) {
	doc := `name: actions
start: 2026-03-01T00:00:00Z
resources: [{id: alb, kind: elb}]
certificates: [{id: web, domain: example.com}]
timeline:
  - {at: start+1d, do: delete-validation-record, cert: web}
  - {at: start+2d, do: restore-validation-record, cert: web}
  - {at: start+3d, do: dns-add, record: '_x.example.com. 300 IN CNAME _y.acm-validations.aws.'}
  - {at: start+4d, do: dns-delete, name: example.com., type: CAA}
  - {at: start+4d, do: dns-delete, name: example.com.}
  - {at: start+5d, do: attach, cert: web, resource: alb}
  - {at: start+6d, do: detach, cert: web, resource: alb}
  - {at: start+7d, do: export, cert: web}
`
	sc, err := Parse("a.yaml", []byte(doc))
	require.NoError(t, err)
	start := date("2026-03-01T00:00:00Z")
	at := func(d int) time.Time { return start.Add(time.Duration(d) * sim.Day) }
	assert.Equal(t, []sim.Change{
		{At: at(1), AtText: "start+1d", Do: sim.DoDeleteValidationRecord, Cert: "web", Line: 6},
		{At: at(2), AtText: "start+2d", Do: sim.DoRestoreValidationRecord, Cert: "web", Line: 7},
		{At: at(3), AtText: "start+3d", Do: sim.DoDNSAdd, Record: "_x.example.com. 300 IN CNAME _y.acm-validations.aws.", Line: 8},
		{At: at(4), AtText: "start+4d", Do: sim.DoDNSDelete, Name: "example.com.", Type: "CAA", Line: 9},
		{At: at(4), AtText: "start+4d", Do: sim.DoDNSDelete, Name: "example.com.", Line: 10},
		{At: at(5), AtText: "start+5d", Do: sim.DoAttach, Cert: "web", Resource: "alb", Line: 11},
		{At: at(6), AtText: "start+6d", Do: sim.DoDetach, Cert: "web", Resource: "alb", Line: 12},
		{At: at(7), AtText: "start+7d", Do: sim.DoExport, Cert: "web", Line: 13},
	}, sc.Timeline)
}

func TestAliases(t *testing.T) {
	doc := `name: aliases
start: &t0 2026-03-01T00:00:00Z
resources: [{id: alb, kind: elb}]
certificates:
  - {id: web, domain: example.com, issued: *t0, in_use_by: &users [alb]}
  - {id: api, domain: api.example.com, in_use_by: *users}
`
	sc, err := Parse("a.yaml", []byte(doc))
	require.NoError(t, err)
	assert.Equal(t, []string{"alb"}, sc.Certificates[1].InUseBy)
	assert.Equal(t, sc.Start, sc.Certificates[0].Issued)

	// A list that contains itself is reported, not followed forever.
	_, err = Parse("a.yaml", []byte(`name: aliases
start: 2026-03-01T00:00:00Z
certificates:
  - {id: web, domain: example.com, sans: &s [*s]}
expect:
  - &e {cert: web, outcome: [*e]}
`))
	assert.EqualError(t, err, `a.yaml:4:46: sans: item 1: want a single value, got a list
a.yaml:6:29: outcome: want a single value, got a list`)
}

func TestRenderBounded(t *testing.T) {
	var doc yaml.Node
	require.NoError(t, yaml.Unmarshal([]byte("&e {cert: web, outcome: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]}\n"), &doc))
	text := render(doc.Content[0])
	assert.True(t, strings.HasPrefix(text, "{cert: web, outcome: [{cert: web, outcome: [{cert: web"), text)
	assert.Less(t, len(text), 3000)
	assert.Contains(t, text, "…")

	require.NoError(t, yaml.Unmarshal([]byte("{cert: web, sans: [a, b], x: {y: z}, e: ''}\n"), &doc))
	assert.Equal(t, "{cert: web, sans: [a, b], x: {y: z}, e: }", render(doc.Content[0]))
}

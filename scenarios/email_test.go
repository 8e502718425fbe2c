package scenarios

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/renewsim/renewsim/sim"
)

func TestEmailDefaults(t *testing.T) {
	sc, err := Parse("d.yaml", []byte(`name: defaults
start: 2026-03-01T00:00:00Z
mailboxes:
  - address: admin@example.com
certificates:
  - {id: web, domain: example.com, validation: email}
  - {id: site, domain: www.example.com, validation: http, in_use_by: [cdn]}
resources:
  - {id: cdn, kind: cloudfront}
`))
	require.NoError(t, err)
	assert.Equal(t, "owner@account.example", sc.AccountEmail)
	assert.Equal(t, "accept", sc.UnlistedMailboxes)
	assert.Empty(t, sc.Whois)
	assert.Equal(t, []sim.Mailbox{{Address: "admin@example.com", Clicks: sim.ClickNever, Line: 4}}, sc.Mailboxes)
	assert.Nil(t, sc.Certificates[0].ValidationDomains)
	assert.Equal(t, "", sc.Certificates[0].ValidationRecord, "e-mail validation has no record")
	assert.Equal(t, sim.RecordPresent, sc.Certificates[1].ValidationRecord, "http validation: the token file is there")
	assert.Nil(t, sc.Resources[0].Hostnames)
}

func TestEmailKeys(t *testing.T) {
	doc := `name: email
start: 2026-03-01T00:00:00Z
account_email: Owner+acm@Example.NET
unlisted_mailboxes: reject
mailboxes:
  - address: admin@example.com
    clicks: after 2d
  - address: hostmaster@example.org
    clicks: at web.expiry-10d
    rejects: true
  - {address: postmaster@example.org, clicks: never, rejects: false}
  - {address: webmaster@example.org, clicks: at 2026-08-01T12:00:00+02:00}
  - {address: x.y@shop.example.org, clicks: after 0s}
whois:
  example.org: [registrant@example.org, tech@example.org]
  example.net: []
resources:
  - {id: alb, kind: elb, hostnames: [example.com, WWW.example.com]}
  - {id: cdn, kind: cloudfront, hostnames: [static.example.net]}
certificates:
  - id: web
    domain: www.example.com
    sans: [example.com, "*.example.com", shop.example.org]
    validation: email
    validation_domain: {WWW.example.com: example.com, shop.example.org: example.org}
  - id: org
    domain: a.b.example.org
    sans: ["*.b.example.org"]
    validation: email
    validation_domain: example.org
  - id: static
    domain: static.example.net
    validation: http
    validation_record: redirect
    in_use_by: [cdn]
timeline:
  - {at: web.expiry-20d, do: click-approval, domain: "*.example.com"}
  - {at: web.expiry-30d, do: resend-validation-email, cert: web}
  - {at: start+1d, do: mailbox-reject, address: admin@example.com}
  - {at: start+2d, do: mailbox-accept, address: unknown@example.com}
  - {at: start+3d, do: delete-validation-record, cert: static}
  - {at: start+4d, do: restore-validation-record, cert: static}
  - {at: start+5d, do: detach, cert: static, resource: cdn}
  - {at: start+6d, do: attach, cert: static, resource: cdn}
  - {at: start+7d, do: click-approval, domain: a.b.example.org}
expect:
  - {cert: web, at: web.expiry-10d, status: ISSUED, renewal_status: PENDING_VALIDATION, reason: CAA_ERROR}
  - {cert: web, at: web.expiry-9d, reason: none}
  - {cert: web, event: AWS Health Event, code: CAA_CHECK_FAILURE, min: 1}
  - {cert: web, event: AWS Health Event, count: 2}
  - {email: approval, to: admin@example.com, cert: web, count: 6}
  - {email: instruction, max: 1}
  - {min: 1, max: 3, email: any}
`
	sc, err := Parse("m.yaml", []byte(doc))
	require.NoError(t, err)
	start := date("2026-03-01T00:00:00Z")
	expiry := start.Add(198 * sim.Day)

	assert.Equal(t, "Owner+acm@Example.NET", sc.AccountEmail)
	assert.Equal(t, "reject", sc.UnlistedMailboxes)
	assert.Equal(t, []sim.Mailbox{
		{Address: "admin@example.com", Clicks: sim.ClickAfter, After: 48 * time.Hour, Line: 6},
		{Address: "hostmaster@example.org", Clicks: sim.ClickAt, At: expiry.Add(-10 * sim.Day), Rejects: true, Line: 8},
		{Address: "postmaster@example.org", Clicks: sim.ClickNever, Line: 11},
		{Address: "webmaster@example.org", Clicks: sim.ClickAt, At: date("2026-08-01T10:00:00Z"), Line: 12},
		{Address: "x.y@shop.example.org", Clicks: sim.ClickAfter, Line: 13},
	}, sc.Mailboxes)
	assert.Equal(t, time.UTC, sc.Mailboxes[3].At.Location())
	assert.Equal(t, []sim.WhoisEntry{
		{Domain: "example.org", Contacts: []string{"registrant@example.org", "tech@example.org"}},
		{Domain: "example.net", Contacts: []string{}},
	}, sc.Whois)
	assert.Equal(t, []string{"example.com", "WWW.example.com"}, sc.Resources[0].Hostnames)
	assert.Equal(t, []string{"static.example.net"}, sc.Resources[1].Hostnames)

	web, org, static := sc.Certificates[0], sc.Certificates[1], sc.Certificates[2]
	// Mapping keys take the certificate's spelling of the name.
	assert.Equal(t, map[string]string{"www.example.com": "example.com", "shop.example.org": "example.org"}, web.ValidationDomains)
	// A scalar applies to every name.
	assert.Equal(t, map[string]string{"a.b.example.org": "example.org", "*.b.example.org": "example.org"}, org.ValidationDomains)
	assert.Equal(t, sim.ValidationHTTP, static.Validation)
	assert.Equal(t, "redirect", static.ValidationRecord)
	assert.Equal(t, []string{"cdn"}, static.InUseBy)

	at := func(d int) time.Time { return start.Add(time.Duration(d) * sim.Day) }
	assert.Equal(t, []sim.Change{
		{At: at(1), AtText: "start+1d", Do: sim.DoMailboxReject, Address: "admin@example.com", Line: 39},
		{At: at(2), AtText: "start+2d", Do: sim.DoMailboxAccept, Address: "unknown@example.com", Line: 40},
		{At: at(3), AtText: "start+3d", Do: sim.DoDeleteValidationRecord, Cert: "static", Line: 41},
		{At: at(4), AtText: "start+4d", Do: sim.DoRestoreValidationRecord, Cert: "static", Line: 42},
		{At: at(5), AtText: "start+5d", Do: sim.DoDetach, Cert: "static", Resource: "cdn", Line: 43},
		{At: at(6), AtText: "start+6d", Do: sim.DoAttach, Cert: "static", Resource: "cdn", Line: 44},
		{At: at(7), AtText: "start+7d", Do: sim.DoClickApproval, Domain: "a.b.example.org", Line: 45},
		{At: expiry.Add(-30 * sim.Day), AtText: "web.expiry-30d", Do: sim.DoResendValidationEmail, Cert: "web", Line: 38},
		{At: expiry.Add(-20 * sim.Day), AtText: "web.expiry-20d", Do: sim.DoClickApproval, Domain: "*.example.com", Line: 37},
	}, sc.Timeline)

	one, two, three, six := 1, 2, 3, 6
	assert.Equal(t, []sim.Expectation{
		{Kind: sim.ExpectStatusAt, Text: "{cert: web, at: web.expiry-10d, status: ISSUED, renewal_status: PENDING_VALIDATION, reason: CAA_ERROR}", Line: 47,
			Cert: "web", At: expiry.Add(-10 * sim.Day), Status: "ISSUED", RenewalStatus: "PENDING_VALIDATION", Reason: "CAA_ERROR"},
		// The empty reason is passed on as "none".
		{Kind: sim.ExpectStatusAt, Text: "{cert: web, at: web.expiry-9d, reason: none}", Line: 48,
			Cert: "web", At: expiry.Add(-9 * sim.Day), Reason: "none"},
		{Kind: sim.ExpectEventCount, Text: "{cert: web, event: AWS Health Event, code: CAA_CHECK_FAILURE, min: 1}", Line: 49,
			Cert: "web", Event: sim.EventHealth, Code: "CAA_CHECK_FAILURE", Min: &one},
		{Kind: sim.ExpectEventCount, Text: "{cert: web, event: AWS Health Event, count: 2}", Line: 50,
			Cert: "web", Event: sim.EventHealth, Count: &two},
		{Kind: sim.ExpectEmail, Text: "{email: approval, to: admin@example.com, cert: web, count: 6}", Line: 51,
			Cert: "web", Email: sim.EmailApproval, To: "admin@example.com", Count: &six},
		{Kind: sim.ExpectEmail, Text: "{email: instruction, max: 1}", Line: 52, Email: sim.EmailInstruction, Max: &one},
		{Kind: sim.ExpectEmail, Text: "{min: 1, max: 3, email: any}", Line: 53, Email: sim.EmailAny, Min: &one, Max: &three},
	}, sc.Expect)
}

func TestCheckAddress(t *testing.T) {
	for _, s := range []string{"admin@example.com", "a.b+c@sub.example.co.uk", "O'Brien@example.ie", "x_y-z@xn--bcher-kva.example"} {
		assert.Empty(t, checkAddress(s), s)
	}
	for _, s := range []string{"", "admin", "@example.com", "admin@", "admin@localhost", "a..b@example.com", ".a@example.com",
		"a b@example.com", "a@b@example.com", "admin@*.example.com", "admin@example.com.", "\"q\"@example.com"} {
		assert.Equal(t, fmt.Sprintf("want an e-mail address like admin@example.com, got %q", s), checkAddress(s), s)
	}
}

func TestWithinDomain(t *testing.T) {
	assert.True(t, withinDomain("www.example.com", "example.com"))
	assert.True(t, withinDomain("*.example.com", "example.com"))
	assert.True(t, withinDomain("Example.COM", "example.com"))
	assert.True(t, withinDomain("a.b.example.com", "b.example.com"))
	assert.False(t, withinDomain("example.com", "www.example.com"))
	assert.False(t, withinDomain("badexample.com", "example.com"))
	assert.False(t, withinDomain("*.example.com", "www.example.com"))
}

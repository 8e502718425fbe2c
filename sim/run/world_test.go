package run

import (
	"context"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	mdns "github.com/miekg/dns"

	"github.com/renewsim/renewsim/engine"
	fakedns "github.com/renewsim/renewsim/fakes/dns"
	"github.com/renewsim/renewsim/sim"
)

func testWorld(t *testing.T, mut func(*sim.Scenario)) (*world, *engine.Engine) {
	t.Helper()
	p, _ := sim.LookupProfile("acm-2026")
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	sc := &sim.Scenario{
		Name: "w", File: "w.yaml", ProfileName: p.Name, Profile: p, Start: start, Until: start.Add(400 * sim.Day), Seed: 1,
		Resources: []sim.Resource{{ID: "alb", Kind: "elb", Hostnames: []string{"www.example.com"}}},
		Certificates: []sim.Certificate{{ID: "web", Domain: "www.example.com", Validation: sim.ValidationEmail,
			Type: sim.TypeAmazonIssued, Issued: start, NotAfter: start.Add(198 * sim.Day), InUseBy: []string{"alb"}}},
		UnlistedMailboxes: "accept", AccountEmail: "owner@account.example",
	}
	if mut != nil {
		mut(sc)
	}
	eng := engine.New(start, 1)
	w := &world{}
	t.Cleanup(w.close)
	require.NoError(t, w.prepare(context.Background(), sc, 1, eng.Clock()))
	return w, eng
}

// The approval e-mail goes over real SMTP, one message per recipient, and
// parses with net/mail; its link opens the approval page for that name only.
func TestApprovalEmailOverSMTP(t *testing.T) {
	w, eng := testWorld(t, nil)
	p := &w.sc.Profile
	arn := "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-4333-8444-555555555555"
	subject, body := sim.ApprovalEmail(p, arn, "www.example.com", "example.com", sim.LinkPlaceholder)
	res, err := w.sendMail(sim.SendEmail{
		Cert: 0, Kind: sim.EmailApproval, Domain: "www.example.com", ValidationDomain: "example.com",
		To: sim.AdminAddresses("example.com"), Code: "c0de", Context: "ctx-1", ExpiresAt: eng.Now().Add(72 * time.Hour),
		ARN: arn, Subject: subject, Body: body,
	}, eng.Now())
	require.NoError(t, err)
	require.Len(t, res.Deliveries, 5)
	msgs := w.sink.Messages()
	require.Len(t, msgs, 5, "one message per recipient")
	for i, m := range msgs {
		assert.Equal(t, []string{sim.AdminAddresses("example.com")[i]}, m.To)
		parsed, err := mail.ReadMessage(strings.NewReader(string(m.Raw)))
		require.NoError(t, err)
		assert.Equal(t, "Certificate request for www.example.com", parsed.Header.Get("Subject"))
		_, err = parsed.Header.Date()
		assert.NoError(t, err)
		for _, want := range []string{"Domain: www.example.com", "AWS account ID: 123456789012", "AWS Region name: us-east-1", arn, w.approval.URL() + "/approvals?code=c0de&context=ctx-1"} {
			assert.Contains(t, m.Body, want)
		}
	}
	click := w.click("www.example.com", "admin@example.com")
	assert.True(t, click.Approved, click.Err)
	assert.Equal(t, "c0de", click.Code)
	assert.True(t, w.approval.Approved("c0de"))
	none := w.click("example.org", "admin@example.com")
	assert.False(t, none.Approved)
	assert.Contains(t, none.Err, "no approval e-mail")

	w.close()
	goleak.VerifyNone(t)
}

func TestRejectedRecipientsAreReported(t *testing.T) {
	w, eng := testWorld(t, func(sc *sim.Scenario) {
		sc.UnlistedMailboxes = "reject"
		sc.Mailboxes = []sim.Mailbox{{Address: "admin@example.com", Clicks: sim.ClickNever}}
	})
	res, err := w.sendMail(sim.SendEmail{Cert: 0, Kind: sim.EmailApproval, Domain: "www.example.com", To: sim.AdminAddresses("example.com"),
		Code: "x", Context: "y", ExpiresAt: eng.Now().Add(time.Hour), Subject: "Certificate request for www.example.com", Body: sim.LinkPlaceholder}, eng.Now())
	require.NoError(t, err)
	var accepted []string
	for _, d := range res.Deliveries {
		if d.Accepted {
			accepted = append(accepted, d.To)
		} else {
			assert.Equal(t, 550, d.Code)
		}
	}
	assert.Equal(t, []string{"admin@example.com"}, accepted)
}

// CAA is found by climbing the name tree with real queries, following
// CNAMEs; issuewild governs wildcard names.
func TestCAAClimbing(t *testing.T) {
	w, _ := testWorld(t, nil)
	require.NoError(t, w.dns.Add(
		`example.com. 300 IN CAA 0 issue "amazon.com"`,
		`example.com. 300 IN CAA 0 issuewild ";"`,
		`shop.example.com. 300 IN CAA 0 issue "letsencrypt.org"`,
		`alias.example.com. 300 IN CNAME target.example.net.`,
		`target.example.net. 300 IN CAA 0 issue "amazontrust.com"`,
	))
	for _, tc := range []struct {
		name, foundAt string
		ok            bool
	}{
		{"www.example.com", "example.com.", true},
		{"deep.www.example.com", "example.com.", true},
		{"*.example.com", "example.com.", false},
		{"shop.example.com", "shop.example.com.", false},
		{"a.shop.example.com", "shop.example.com.", false},
		{"alias.example.com", "target.example.net.", true},
		{"example.org", "", true},
	} {
		got := sim.JudgeCAA(tc.name, w.caa(tc.name))
		assert.Equal(t, tc.foundAt, got.FoundAt, tc.name)
		assert.Equal(t, tc.ok, got.OK, "%s: %s", tc.name, got.Problem)
	}
}

// A deployed certificate is served over real TLS and judged at virtual time.
func TestDeployAndProbeAtVirtualTime(t *testing.T) {
	w, eng := testWorld(t, nil)
	na := eng.Now().Add(10 * sim.Day)
	require.NoError(t, w.deploy(sim.Deploy{Resource: 0, Cert: 0, Serial: "0a:0b:0c", Names: []string{"www.example.com"}, NotBefore: eng.Now(), NotAfter: na}))
	ok, err := w.probeTLS(sim.ProbeTLS{Resource: 0, ServerName: "www.example.com"}, na)
	require.NoError(t, err)
	assert.True(t, ok.Verified, ok.Err)
	assert.Equal(t, "0a:0b:0c", ok.Serial)
	late, err := w.probeTLS(sim.ProbeTLS{Resource: 0, ServerName: "www.example.com"}, na.Add(time.Second))
	require.NoError(t, err)
	assert.False(t, late.Verified)
	assert.True(t, late.Expired)
	assert.Equal(t, "0a:0b:0c", late.Serial)
	// The legacy probe reaches the resource through the name's A record.
	require.NoError(t, w.dns.Add("www.example.com. 300 IN A "+sim.ResourceAddress(0)))
	seen, err := w.probeHTTPS(sim.ProbeHTTPS{Domain: "example.com", Alternatives: []string{"www.example.com"}}, eng.Now())
	require.NoError(t, err)
	assert.Equal(t, "www.example.com", seen.Via)
	assert.Equal(t, "0a:0b:0c", seen.Serial)
}

// Every verdict the change-driven mode derives is what a real handshake
// with the certificate really served says, text and all: valid, a name the
// certificate does not cover, expired, not yet valid; and nothing is
// derived before a handshake of that class proved the derivation.
func TestDerivedVerdictsAreTheHandshakes(t *testing.T) {
	w, eng := testWorld(t, nil)
	w.probeCache = map[probeKey]sim.TLSAnswer{}
	start := eng.Now()
	nb, na := start.Add(sim.Day), start.Add(30*sim.Day)
	d := sim.Deploy{Resource: 0, Cert: 0, Serial: "0a:0b:0c", Names: []string{"www.example.com", "*.api.example.com"}, NotBefore: nb, NotAfter: na}
	require.NoError(t, w.deploy(d))
	for _, tc := range []struct {
		name  string
		at    time.Time
		class probeClass
	}{
		{"www.example.com", nb.Add(time.Hour), classValid},
		{"x.api.example.com", nb.Add(time.Hour), classValid},
		{"api.example.com", nb.Add(time.Hour), classMismatch},
		{"other.example.com", na, classMismatch},
		{"www.example.com", na.Add(time.Second), classExpired},
		{"other.example.com", na.Add(90 * sim.Day), classExpired},
		{"www.example.com", start, classEarly},
	} {
		class, derived := w.derive(d, tc.name, tc.at)
		assert.Equal(t, tc.class, class, "%s at %s", tc.name, tc.at)
		real, err := w.handshake(0, tc.name, tc.at)
		require.NoError(t, err)
		derived.Resource = real.Resource
		assert.Equal(t, real, derived, "%s at %s", tc.name, tc.at)
		assert.Zero(t, w.proven[w.ca]&class, "not proven before probeTLS asks")
		got, err := w.probeTLS(sim.ProbeTLS{Resource: 0, ServerName: tc.name}, tc.at)
		require.NoError(t, err)
		assert.Equal(t, real, got)
		assert.NotZero(t, w.proven[w.ca]&class, "proven by probeTLS's handshake")
		clear(w.proven)
	}
	// Nothing served: never derived.
	require.NoError(t, w.deploy(sim.Deploy{Resource: 0}))
	class, _ := w.derive(w.served[0], "www.example.com", nb)
	assert.Equal(t, classUnknown, class)
}

// With the cache on, a CAA climb and a CNAME chain are remembered whole,
// and forgotten as soon as a record they went through or climbed past
// changes: the answers are those of fresh queries.
func TestRememberedAnswersFollowTheZone(t *testing.T) {
	w, _ := testWorld(t, nil)
	w.cache = map[dnsKey]*mdns.Msg{}
	change := func(add string, remove ...string) {
		for _, name := range remove {
			w.dns.Remove(name, 0)
			w.zoneChanged(name)
		}
		if add != "" {
			rrs, err := fakedns.ParseRecords(add)
			require.NoError(t, err)
			w.dns.AddRR(rrs...)
			w.zoneChanged(rrs[0].Header().Name)
		}
	}
	fresh := func(do func() any) any {
		cache := w.cache
		w.cache = nil
		defer func() { w.cache = cache }()
		return do()
	}
	caa := func() any { return w.caa("a.www.example.com") }
	check := sim.CheckCNAME{Record: "_v.www.example.com.", Expected: "_ok.acm-validations.aws.", MaxHops: 8}
	cname := func() any { return w.resolveCNAME(check) }
	steps := []struct {
		add    string
		remove []string
	}{
		{add: `_v.www.example.com. 300 IN CNAME hop.example.net.`},
		{add: `hop.example.net. 300 IN CNAME _ok.acm-validations.aws.`},
		{add: `example.com. 300 IN CAA 0 issue "letsencrypt.org"`},
		{add: `www.example.com. 300 IN CAA 0 issue "amazon.com"`},
		{add: `x.a.www.example.com. 300 IN A 192.0.2.1`},
		{remove: []string{"hop.example.net."}},
		{add: `hop.example.net. 300 IN CNAME elsewhere.example.org.`},
		{remove: []string{"www.example.com."}},
		// The record goes (NXDOMAIN), then a name below it comes: the
		// record is an empty non-terminal, NOERROR without data.
		{remove: []string{"_v.www.example.com."}},
		{add: `x._v.www.example.com. 300 IN A 192.0.2.2`},
		{add: `a.www.example.com. 300 IN CAA 0 issue "amazon.com"`},
	}
	for i, st := range steps {
		// Asked twice: the second answer comes from memory.
		for range 2 {
			assert.Equal(t, fresh(caa), caa(), "step %d: CAA", i)
			assert.Equal(t, fresh(cname), cname(), "step %d: CNAME", i)
		}
		assert.Len(t, w.caaMemo.answers, 1, "step %d", i)
		assert.Len(t, w.cnameMemo.answers, 1, "step %d", i)
		change(st.add, st.remove...)
	}
}

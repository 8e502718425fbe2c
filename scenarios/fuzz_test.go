package scenarios

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/renewsim/renewsim/sim"
)

// FuzzParse checks that no input makes Parse panic, that every failure is an
// Errors whose entries carry a position, and that every success is a
// consistent scenario.
func FuzzParse(f *testing.F) {
	for _, name := range LibraryNames() {
		src, _ := LibrarySource(name)
		f.Add(src)
	}
	for _, tc := range brokenCases {
		f.Add([]byte(tc.doc))
	}
	for _, tc := range fidelityBroken {
		f.Add([]byte(tc.doc))
	}
	f.Add([]byte("name: x\nstart: 2026-03-01T00:00:00Z\ncertificates: [{id: a, domain: a.example.com, not_after: a.issued-1d}]\n"))
	f.Add([]byte("a: &x [*x, *x]\nb: *x\n"))
	// The e-mail, CAA and HTTP keys.
	f.Add([]byte(`name: m
start: 2026-03-01T00:00:00Z
account_email: ops@example.net
unlisted_mailboxes: reject
mailboxes:
  - {address: admin@example.com, clicks: after 2d, rejects: false}
  - {address: admin@example.org, clicks: at web.expiry-10d}
whois: {example.org: [registrant@example.org], example.net: []}
resources:
  - {id: cdn, kind: cloudfront, hostnames: [static.example.net]}
  - {id: alb, kind: elb, hostnames: [www.example.com]}
certificates:
  - {id: web, domain: www.example.com, sans: [example.org, "*.example.com"], validation: email,
     validation_domain: {www.example.com: example.com}, in_use_by: [alb]}
  - {id: s, domain: static.example.net, validation: http, validation_record: redirect, in_use_by: [cdn]}
timeline:
  - {at: web.expiry-20d, do: click-approval, domain: example.org}
  - {at: web.expiry-30d, do: resend-validation-email, cert: web}
  - {at: start+1d, do: mailbox-reject, address: admin@example.com}
  - {at: start+2d, do: mailbox-accept, address: admin@example.com}
  - {at: start+3d, do: delete-validation-record, cert: s}
expect:
  - {cert: web, at: web.expiry-10d, renewal_status: PENDING_VALIDATION, reason: none}
  - {cert: web, event: AWS Health Event, code: CAA_CHECK_FAILURE, min: 1}
  - {email: approval, to: admin@example.org, cert: web, count: 6}
`))
	f.Add([]byte("name: v\nstart: 2026-03-01T00:00:00Z\ncertificates: [{id: a, domain: a.example.com, validation: email, validation_domain: example.com}]\nexpect: [{email: any, max: 0}, {cert: a, at: a.expiry, reason: CAA_ERROR}]\n"))
	f.Add([]byte("name: h\nstart: 2026-03-01T00:00:00Z\nresources: [{id: c, kind: cloudfront}]\ncertificates: [{id: a, domain: \"*.example.com\", validation: http, in_use_by: [c]}]\nmailboxes: [{address: a@b.example, clicks: at start+1d}]\n"))
	hostile, _ := filepath.Glob("testdata/hostile/*.yaml")
	for _, name := range hostile {
		src, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Add([]byte("name: [\n"))
	f.Add([]byte("\xff\xfe\x00n"))

	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := Parse("f.yaml", data)
		if err != nil {
			if sc != nil {
				t.Fatalf("scenario and error both returned")
			}
			errs, ok := err.(Errors)
			if !ok {
				t.Fatalf("error is %T, want Errors: %v", err, err)
			}
			if len(errs) == 0 {
				t.Fatalf("empty Errors returned")
			}
			if n := strings.Count(err.Error(), "\n") + 1; n > MaxReported+1 {
				t.Fatalf("%d lines reported, want at most %d", n, MaxReported+1)
			}
			for _, e := range errs {
				if e.File != "f.yaml" || e.Line < 1 || e.Col < 1 {
					t.Fatalf("bad position: %q %d:%d", e.File, e.Line, e.Col)
				}
				if strings.Contains(e.Msg, "internal error") {
					t.Fatalf("panic: %s", e.Msg)
				}
			}
			return
		}
		if sc == nil {
			t.Fatal("nil scenario without error")
		}
		if !sc.Until.After(sc.Start) {
			t.Fatalf("until %v not after start %v", sc.Until, sc.Start)
		}
		if !sim.Supported(sc.Start) || !sim.Supported(sc.Until) {
			t.Fatalf("start %v or until %v outside %s", sc.Start, sc.Until, sim.SupportedRange())
		}
		if sc.Until.Add(sc.Profile.LongestLifetime()).After(sim.IssuerNotAfter) {
			t.Fatalf("until %v + %v is after the CA's %v", sc.Until, sc.Profile.LongestLifetime(), sim.IssuerNotAfter)
		}
		if err := sc.Profile.Check(); err != nil {
			t.Fatalf("profile accepted with: %v", err)
		}
		for _, r := range sc.DNSRecords {
			for _, line := range strings.Split(r, "\n") {
				if w := strings.Fields(strings.ToUpper(line)); len(w) > 0 && (w[0] == "$GENERATE" || w[0] == "$INCLUDE") {
					t.Fatalf("zone directive accepted: %q", r)
				}
			}
		}
		if len(sc.Certificates) == 0 {
			t.Fatal("no certificates")
		}
		for _, c := range sc.Certificates {
			if !c.NotAfter.After(c.Issued) || c.Issued.After(sc.Until) {
				t.Fatalf("certificate %q: issued %v, not after %v, until %v", c.ID, c.Issued, c.NotAfter, sc.Until)
			}
			if !sim.Supported(c.Issued) || !sim.Supported(c.NotAfter) || len(c.Names()) > maxNames {
				t.Fatalf("certificate %q: issued %v, not after %v, %d names", c.ID, c.Issued, c.NotAfter, len(c.Names()))
			}
		}
		for _, ch := range sc.Timeline {
			if ch.At.Before(sc.Start) || ch.At.After(sc.Until) {
				t.Fatalf("change at %v outside [%v, %v]", ch.At, sc.Start, sc.Until)
			}
		}
		for _, e := range sc.Expect {
			if e.Kind == "" || e.Text == "" || e.Line < 1 {
				t.Fatalf("bad expectation %+v", e)
			}
		}
		if sc.AccountEmail == "" || (sc.UnlistedMailboxes != "accept" && sc.UnlistedMailboxes != "reject") {
			t.Fatalf("e-mail defaults missing: %q %q", sc.AccountEmail, sc.UnlistedMailboxes)
		}
		for _, mb := range sc.Mailboxes {
			if mb.Address == "" || mb.Clicks == "" {
				t.Fatalf("bad mailbox %+v", mb)
			}
			if mb.Clicks == "at" && (mb.At.Before(sc.Start) || mb.At.After(sc.Until)) {
				t.Fatalf("mailbox clicks at %v outside [%v, %v]", mb.At, sc.Start, sc.Until)
			}
		}
	})
}

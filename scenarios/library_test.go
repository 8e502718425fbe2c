package scenarios

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/renewsim/renewsim/sim"
)

// The library holds at least the scenarios the issues ask for, sorted.
func TestLibraryNames(t *testing.T) {
	names := LibraryNames()
	assert.IsIncreasing(t, names)
	assert.Subset(t, names, []string{
		"acm-2026-transition",
		"caa-fixed-in-time",
		"caa-forbids-amazon",
		"cname-chain-too-long",
		"deployment-delay-outage",
		"detached-before-window",
		"dns-cname-restored-late",
		"dns-happy",
		"dns-missing-cname",
		"dns-wrong-cname",
		"email-clicked-late",
		"email-no-mailbox",
		"email-partial-approval",
		"email-unclicked",
		"imported-cert",
		"legacy-dns-happy",
		"legacy-https-probe",
		"legacy-wildcard-probe",
		"legacy-pending-after-15-days",
		"not-in-use",
		"email-clicked-after-link-expired",
		"exported-renewed-detached",
		"stale-cycle-approval",
		"dns-servfail-recovers",
		"dns-one-record-missing",
		"imported-reimported",
		"private-ca-failure",
		"private-cert",
		"wildcard-issuewild-blocks",
		"http-validation-cloudfront",
		"http-token-removed",
		"cabf-schedule-2026-2027",
		"cabf-schedule-2029-cname-deleted",
		"cabf-schedule-reuse-2029",
	})
}

// libraryValidation is the validation method of each library scenario's
// certificate that is not validated by DNS.
var libraryValidation = map[string]string{
	"email-clicked-late":               sim.ValidationEmail,
	"email-no-mailbox":                 sim.ValidationEmail,
	"email-partial-approval":           sim.ValidationEmail,
	"email-unclicked":                  sim.ValidationEmail,
	"legacy-https-probe":               sim.ValidationEmail,
	"legacy-wildcard-probe":            sim.ValidationEmail,
	"email-clicked-after-link-expired": sim.ValidationEmail,
	"stale-cycle-approval":             sim.ValidationEmail,
	"imported-reimported":              "",
	"private-ca-failure":               "",
	"imported-cert":                    "",
	"http-token-removed":               sim.ValidationHTTP,
	"whois-mail-no-longer-sent":        sim.ValidationEmail,
	"http-validation-cloudfront":       sim.ValidationHTTP,
	"private-cert":                     "",
	"cabf-schedule-reuse-2029":         sim.ValidationEmail,
}

// multiCycle are the library scenarios that run past their certificate's
// first expiry, to show a later cycle.
var multiCycle = map[string]bool{
	"acm-2026-transition":              true,
	"exported-renewed-detached":        true,
	"stale-cycle-approval":             true,
	"alarms-after-the-2026-change":     true,
	"cabf-schedule-2026-2027":          true,
	"cabf-schedule-2029-cname-deleted": true,
}

func TestLibraryLoads(t *testing.T) {
	for _, name := range LibraryNames() {
		t.Run(name, func(t *testing.T) {
			sc, err := LoadLibrary(name)
			require.NoError(t, err)
			assert.Equal(t, name, sc.Name)
			assert.Equal(t, "library/"+name+".yaml", sc.File)
			assert.NotEmpty(t, sc.Description)
			assert.NotEmpty(t, sc.Expect)
			require.Len(t, sc.Certificates, 1)
			web := sc.Certificates[0]
			assert.Equal(t, "web", web.ID)
			validation, ok := libraryValidation[name]
			if !ok {
				validation = sim.ValidationDNS
			}
			assert.Equal(t, validation, web.Validation)
			assert.Equal(t, web.Issued, sc.Start, "the certificate is issued at start")
			if !multiCycle[name] {
				assert.Equal(t, web.NotAfter.Add(7*sim.Day), sc.Until)
			}
			for _, e := range sc.Expect {
				if e.Kind != sim.ExpectAlarm { // lead_time_at_least is a key of its own
					assert.NotContains(t, e.Text, "lead", "a comment leaked into an expectation")
				}
			}

			src, ok := LibrarySource(name)
			require.True(t, ok)
			assert.True(t, strings.HasPrefix(string(src), "# "), "a library file starts with a comment header")
			again, err := Parse("library/"+name+".yaml", src)
			require.NoError(t, err)
			assert.Equal(t, sc, again)
		})
	}
}

func TestLibrary(t *testing.T) {
	all, err := Library()
	require.NoError(t, err)
	require.Len(t, all, len(LibraryNames()))
	for i, name := range LibraryNames() {
		assert.Equal(t, name, all[i].Name)
	}
}

func TestLibraryUnknown(t *testing.T) {
	_, err := LoadLibrary("no-such-scenario")
	require.EqualError(t, err, `no library scenario "no-such-scenario" (known: `+strings.Join(LibraryNames(), ", ")+`)`)
	_, ok := LibrarySource("no-such-scenario")
	assert.False(t, ok)
	_, ok = LibrarySource("../load.go")
	assert.False(t, ok)
}

func TestLibraryNameMustMatchFile(t *testing.T) {
	src, _ := LibrarySource("dns-happy")
	_, err := parse("library/other.yaml", src, "other")
	require.EqualError(t, err, `library/other.yaml:5:7: name: "dns-happy" differs from the file name other.yaml; a library file must be named after its scenario`)
}

func date(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestLibraryDetails(t *testing.T) {
	sc, err := LoadLibrary("dns-missing-cname")
	require.NoError(t, err)
	assert.Equal(t, date("2026-03-01T00:00:00Z"), sc.Start)
	assert.Equal(t, date("2026-09-15T00:00:00Z"), sc.Certificates[0].NotAfter)
	assert.Equal(t, date("2026-09-22T00:00:00Z"), sc.Until)
	assert.Equal(t, []sim.Resource{{ID: "alb-prod", Kind: "elb", DeployDelay: 30 * time.Minute}}, sc.Resources)
	assert.Equal(t, []sim.Change{{
		At: date("2026-03-31T00:00:00Z"), AtText: "web.issued+30d", Do: sim.DoDeleteValidationRecord, Cert: "web", Line: 30,
	}}, sc.Timeline)
	five, one, week := 5, 1, 7*sim.Day
	assert.Equal(t, []sim.Expectation{
		{Kind: sim.ExpectOutcome, Text: "{cert: web, outcome: expired}", Line: 35, Cert: "web", Outcome: sim.OutcomeExpired},
		{Kind: sim.ExpectStatusAt, Text: "{cert: web, at: web.expiry-10d, status: ISSUED, renewal_status: PENDING_VALIDATION}", Line: 39,
			Cert: "web", At: date("2026-09-05T00:00:00Z"), Status: "ISSUED", RenewalStatus: "PENDING_VALIDATION"},
		{Kind: sim.ExpectEventCount, Text: "{cert: web, event: ACM Certificate Renewal Action Required, count: 5}", Line: 43,
			Cert: "web", Event: "ACM Certificate Renewal Action Required", Count: &five},
		{Kind: sim.ExpectEventCount, Text: "{cert: web, event: ACM Certificate Expired, count: 1}", Line: 46,
			Cert: "web", Event: "ACM Certificate Expired", Count: &one},
		{Kind: sim.ExpectOutage, Text: "{resource: alb-prod, outage_at_least: 7d}", Line: 51, Resource: "alb-prod", OutageAtLeast: &week},
	}, sc.Expect)

	sc, err = LoadLibrary("dns-cname-restored-late")
	require.NoError(t, err)
	var window sim.Expectation
	for _, e := range sc.Expect {
		if e.Kind == sim.ExpectRenewedWindow {
			window = e
		}
	}
	require.NotNil(t, window.RenewedAfter)
	require.NotNil(t, window.RenewedBefore)
	assert.Equal(t, date("2026-08-26T00:00:00Z"), *window.RenewedAfter)
	assert.Equal(t, date("2026-08-26T01:10:00Z"), *window.RenewedBefore)

	sc, err = LoadLibrary("legacy-dns-happy")
	require.NoError(t, err)
	assert.Equal(t, "acm-legacy", sc.ProfileName)
	assert.Equal(t, date("2026-03-31T00:00:00Z"), sc.Certificates[0].NotAfter, "395 days")

	sc, err = LoadLibrary("cname-chain-too-long")
	require.NoError(t, err)
	assert.Equal(t, "chain-6", sc.Certificates[0].ValidationRecord)

	sc, err = LoadLibrary("not-in-use")
	require.NoError(t, err)
	assert.Empty(t, sc.Resources)
	assert.Empty(t, sc.Certificates[0].InUseBy)
}

func TestLibraryEmailDetails(t *testing.T) {
	sc, err := LoadLibrary("email-unclicked")
	require.NoError(t, err)
	assert.Equal(t, "acm-legacy", sc.ProfileName)
	assert.Equal(t, date("2026-03-31T00:00:00Z"), sc.Certificates[0].NotAfter, "395 days")
	assert.Equal(t, "ops@example.com", sc.AccountEmail)
	assert.Equal(t, "accept", sc.UnlistedMailboxes)
	assert.Empty(t, sc.Mailboxes)
	assert.Equal(t, []sim.WhoisEntry{{Domain: "example.com", Contacts: []string{"registrant@example.com", "tech@example.com", "domains@registrar.example"}}}, sc.Whois)
	assert.Empty(t, sc.Resources[0].Hostnames)
	var emails []string
	for _, e := range sc.Expect {
		if e.Kind == sim.ExpectEmail {
			emails = append(emails, e.Email+" "+e.To+" "+e.Cert)
		}
	}
	assert.Equal(t, []string{"approval registrant@example.com web", "approval admin@example.com web", "approval  web", "instruction ops@example.com "}, emails)

	sc, err = LoadLibrary("email-clicked-late")
	require.NoError(t, err)
	assert.Equal(t, []sim.Mailbox{{Address: "admin@example.com", Clicks: sim.ClickAt, At: date("2026-09-05T00:00:00Z"), Line: 17}}, sc.Mailboxes)
	assert.Equal(t, "owner@account.example", sc.AccountEmail)

	sc, err = LoadLibrary("email-partial-approval")
	require.NoError(t, err)
	assert.Equal(t, []sim.Mailbox{{Address: "admin@example.com", Clicks: sim.ClickAfter, After: time.Hour, Line: 16}}, sc.Mailboxes)
	assert.Equal(t, []string{"example.com", "example.org"}, sc.Certificates[0].Names())

	sc, err = LoadLibrary("email-no-mailbox")
	require.NoError(t, err)
	assert.Equal(t, "reject", sc.UnlistedMailboxes)
	require.Len(t, sc.Expect, 4)
	assert.Equal(t, "NO_AVAILABLE_CONTACTS", sc.Expect[1].Reason)
	zero := 0
	assert.Equal(t, sim.Expectation{Kind: sim.ExpectEmail, Text: "{email: approval, cert: web, count: 0}", Line: 36, Cert: "web", Email: "approval", Count: &zero}, sc.Expect[2])

	sc, err = LoadLibrary("legacy-https-probe")
	require.NoError(t, err)
	assert.Equal(t, []sim.Resource{{ID: "alb-prod", Kind: "elb", DeployDelay: 30 * time.Minute, Hostnames: []string{"www.example.com", "example.com"}}}, sc.Resources)
}

func TestLibraryOtherDetails(t *testing.T) {
	sc, err := LoadLibrary("caa-fixed-in-time")
	require.NoError(t, err)
	fix := date("2026-08-26T00:00:00Z")
	assert.Equal(t, []string{`example.com. 300 IN CAA 0 issue "letsencrypt.org"`}, sc.DNSRecords)
	assert.Equal(t, []sim.Change{
		{At: fix, AtText: "web.expiry-20d", Do: sim.DoDNSDelete, Name: "example.com.", Type: "CAA", Line: 32},
		{At: fix, AtText: "web.expiry-20d", Do: sim.DoDNSAdd, Record: `example.com. 300 IN CAA 0 issue "amazon.com"`, Line: 36},
	}, sc.Timeline, "the deletion stays before the addition")

	for _, name := range []string{"caa-forbids-amazon", "wildcard-issuewild-blocks"} {
		sc, err = LoadLibrary(name)
		require.NoError(t, err)
		var reason, code string
		for _, e := range sc.Expect {
			reason += e.Reason
			code += e.Code
		}
		assert.Equal(t, "CAA_ERROR", reason, name)
		assert.Equal(t, "CAA_CHECK_FAILURE", code, name)
	}

	sc, err = LoadLibrary("deployment-delay-outage")
	require.NoError(t, err)
	assert.Equal(t, time.Duration(0), sc.Profile.IssueDelay)
	assert.Equal(t, []sim.Resource{{ID: "cdn", Kind: "cloudfront", DeployDelay: 6 * time.Hour}}, sc.Resources)
	assert.Equal(t, date("2026-09-14T22:30:00Z"), sc.Timeline[1].At)

	sc, err = LoadLibrary("private-cert")
	require.NoError(t, err)
	assert.Equal(t, sim.TypePrivate, sc.Certificates[0].Type)
	assert.Equal(t, date("2027-03-31T00:00:00Z"), sc.Certificates[0].NotAfter, "395 days")

	sc, err = LoadLibrary("imported-cert")
	require.NoError(t, err)
	assert.Equal(t, sim.TypeImported, sc.Certificates[0].Type)
	assert.Equal(t, date("2026-05-30T00:00:00Z"), sc.Certificates[0].NotAfter)

	sc, err = LoadLibrary("acm-2026-transition")
	require.NoError(t, err)
	assert.Equal(t, date("2027-02-09T00:00:00Z"), sc.Certificates[0].NotAfter, "issued before the transition: 395 days")
	assert.Equal(t, date("2027-09-01T00:00:00Z"), sc.Until)

	sc, err = LoadLibrary("detached-before-window")
	require.NoError(t, err)
	assert.Equal(t, []sim.Change{{At: date("2026-07-27T00:00:00Z"), AtText: "web.expiry-50d", Do: sim.DoDetach, Cert: "web", Resource: "alb-prod", Line: 28}}, sc.Timeline)
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s.yaml")
	src, _ := LibrarySource("dns-happy")
	require.NoError(t, os.WriteFile(path, src, 0o644))
	sc, err := Load(path)
	require.NoError(t, err)
	assert.Equal(t, path, sc.File)
	assert.Equal(t, "dns-happy", sc.Name)

	_, err = Load(filepath.Join(dir, "missing.yaml"))
	assert.ErrorIs(t, err, os.ErrNotExist)

	bad := filepath.Join(dir, "bad.yaml")
	require.NoError(t, os.WriteFile(bad, []byte("name: x\n"), 0o644))
	_, err = Load(bad)
	assert.EqualError(t, err, bad+`:1:1: missing required key "start" in scenario
`+bad+`:1:1: missing required key "certificates" in scenario`)
}

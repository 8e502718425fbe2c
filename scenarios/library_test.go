package scenarios

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/renewsim/renewsim/sim"
)

func TestLibraryNames(t *testing.T) {
	assert.Equal(t, []string{
		"cname-chain-too-long",
		"dns-cname-restored-late",
		"dns-happy",
		"dns-missing-cname",
		"dns-wrong-cname",
		"legacy-dns-happy",
		"not-in-use",
	}, LibraryNames())
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
			assert.Equal(t, sim.ValidationDNS, web.Validation)
			assert.Equal(t, web.Issued, sc.Start, "the certificate is issued at start")
			assert.Equal(t, web.NotAfter.Add(7*sim.Day), sc.Until)

			src, ok := LibrarySource(name)
			require.True(t, ok)
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
	require.EqualError(t, err, `no library scenario "no-such-scenario" (known: cname-chain-too-long, dns-cname-restored-late, dns-happy, dns-missing-cname, dns-wrong-cname, legacy-dns-happy, not-in-use)`)
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

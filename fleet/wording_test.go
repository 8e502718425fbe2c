package fleet_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/renewsim/renewsim/fleet"
)

// staticVariant is the example fleet's static.example.com, a 395-day
// certificate from before 2026-02-18, with edit applied to its export.
func staticVariant(t *testing.T, edit func(string) string) fleet.Input {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(example, "acm", "describe-static.example.com.json"))
	require.NoError(t, err)
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "d.json"), []byte(edit(string(src))), 0o644))
	return fleet.Input{ACM: []string{dir}, Zones: []fleet.ZoneSource{{Path: filepath.Join(example, "zones")}}}
}

// Wording (issue 18 §6): a 395-day certificate issued at 00:00:00 whose
// NotAfter is 23:59:59 the day before its 395th anniversary — how ACM and
// RFC 5280 write it, the last second included — has a 395-day lifetime,
// not a "394d23h-day" one.
func TestLifetimeInDaysAsACMCountsIt(t *testing.T) {
	in := staticVariant(t, func(s string) string {
		return strings.Replace(s, `"NotAfter": "2026-12-31T00:00:00+00:00"`, `"NotAfter": "2026-12-30T23:59:59+00:00"`, 1)
	})
	_, r := check(t, in, "")
	e := r.Certificates[0]
	require.Equal(t, fleet.VerdictRenews, e.Verdict)
	notes := strings.Join(e.Notes, "\n")
	assert.Contains(t, notes, "issued on 2025-12-01 with a 395-day lifetime, before ACM moved to 198-day certificates on 2026-02-18: it renews at T−60 (2026-11-01) into a 198-day certificate")
	assert.NotContains(t, notes, "394d")
}

// Wording (issue 18 §6): a certificate whose renewal fails is not told
// that it renews at T−60 into a 198-day certificate: that is said only of
// certificates that renew.
func TestRenewalNoteOnlyForCertificatesThatRenew(t *testing.T) {
	in := staticVariant(t, func(s string) string {
		return strings.Replace(s, "_ab48ac89980f6e331eaf164dd54dd4bd.puqhwpgzet.acm-validations.aws.", "_0000000000000000000000000000000.puqhwpgzet.acm-validations.aws.", 1)
	})
	_, r := check(t, in, "")
	e := r.Certificates[0]
	require.Equal(t, fleet.VerdictExpires, e.Verdict)
	assert.Contains(t, e.Reason, "CNAME wrong")
	for _, n := range e.Notes {
		assert.NotContains(t, n, "renews at T−60", "a failing renewal is not promised")
		assert.NotContains(t, n, "198-day certificate")
	}
}

// An ACME certificate (issue 18 §7) alone: ACM does not renew it, so
// nothing is simulated, no ACM renewal is predicted, the check says to
// watch the ACME client and does not fail.
func TestACMECertificateAlone(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile(filepath.Join(example, "acm", "describe-edge.example.com.json"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "d.json"), src, 0o644))
	f, err := fleet.Read(fleet.Input{ACM: []string{dir}, Zones: []fleet.ZoneSource{{Path: filepath.Join(example, "zones")}}})
	require.NoError(t, err)
	p, err := fleet.Build(f, fleet.Options{Now: now})
	require.NoError(t, err)
	assert.Nil(t, p.YAML, "nothing to simulate")
	r := fleet.Assess(p, nil)
	require.Len(t, r.Certificates, 1)
	e := r.Certificates[0]
	assert.Equal(t, fleet.VerdictCannotTell, e.Verdict)
	assert.False(t, e.Simulated)
	assert.Empty(t, e.Renewals)
	assert.Nil(t, e.Date)
	assert.Equal(t, "watch the ACME client's renewal (its scheduler and its log): it must obtain a new certificate from the ACME endpoint before 2026-06-17 and deploy it where this one is used", e.Fix)
	assert.False(t, r.Failed(), "a cannot-tell line does not fail the check")
	for _, n := range e.Notes {
		assert.NotContains(t, n, "not in use and not exported", "ACM's eligibility rules are not what renews it")
	}

	// Listed only: the list's origin says as much.
	dir = t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "l.json"), []byte(`{"CertificateSummaryList": [{"CertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/7ac3e0f1-5b6d-4e2a-9c8b-0d1e2f3a4b5c",
  "DomainName": "edge.example.com", "Type": "AMAZON_ISSUED", "Status": "ISSUED", "NotAfter": "2026-06-17T23:59:59+00:00", "CertificateKeyPairOrigin": "ACME"}]}`), 0o644))
	f, err = fleet.Read(fleet.Input{ACM: []string{dir}, Zones: []fleet.ZoneSource{{Path: filepath.Join(example, "zones")}}})
	require.NoError(t, err)
	p, err = fleet.Build(f, fleet.Options{Now: now})
	require.NoError(t, err)
	assert.Contains(t, p.Entries[0].Reason, "ACM does not renew it, its ACME client does")
}

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

package fleet_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/renewsim/renewsim/fleet"
	"github.com/renewsim/renewsim/report"
	"github.com/renewsim/renewsim/scenarios"
	"github.com/renewsim/renewsim/sim"
	simrun "github.com/renewsim/renewsim/sim/run"
)

var now = time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)

const example = "../examples/fleet"

// check does what renewsim check does: read, build, load the scenario the
// way run loads a file, run it, assess.
func check(t *testing.T, in fleet.Input, profile string) (*fleet.Plan, *fleet.Report) {
	t.Helper()
	f, err := fleet.Read(in)
	require.NoError(t, err)
	p, err := fleet.Build(f, fleet.Options{Now: now, Profile: profile})
	require.NoError(t, err)
	sc, err := scenarios.Parse(p.File, p.YAML)
	require.NoError(t, err, "the generated scenario loads:\n%s", p.YAML)
	require.NoError(t, simrun.Check(sc))
	res, err := simrun.Run(context.Background(), sc, simrun.Options{CacheDNS: true, CacheProbes: true})
	require.NoError(t, err)
	return p, fleet.Assess(p, res.Log)
}

// The example fleet gives the same record in the change-driven mode (check's
// default) as in the every-attempt mode.
func TestExampleFleetSameRecordInBothModes(t *testing.T) {
	f, err := fleet.Read(exampleInput())
	require.NoError(t, err)
	p, err := fleet.Build(f, fleet.Options{Now: now, Profile: sim.DefaultProfile})
	require.NoError(t, err)
	sc, err := scenarios.Parse(p.File, p.YAML)
	require.NoError(t, err)
	var logs [2]string
	for i, opt := range []simrun.Options{{}, {CacheDNS: true, CacheProbes: true}} {
		res, err := simrun.Run(context.Background(), sc, opt)
		require.NoError(t, err)
		var b bytes.Buffer
		require.NoError(t, report.WriteEventLines(&b, sc.Name, res.Log))
		logs[i] = b.String()
	}
	assert.Equal(t, logs[0], logs[1])
}

func exampleInput() fleet.Input {
	return fleet.Input{
		ACM:     []string{filepath.Join(example, "acm")},
		Zones:   []fleet.ZoneSource{{Path: filepath.Join(example, "zones")}},
		Account: filepath.Join(example, "account-config.json"),
	}
}

func byID(r *fleet.Report) map[string]*fleet.Entry {
	out := map[string]*fleet.Entry{}
	for _, e := range r.Certificates {
		out[e.ID] = e
	}
	return out
}

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

// The example fleet covers every trap; each certificate gets the verdict,
// date and reason its exports imply.
func TestExampleFleet(t *testing.T) {
	_, r := check(t, exampleInput(), "")
	got := byID(r)
	for _, tc := range []struct {
		id      string
		verdict fleet.Verdict
		date    string // day of the first renewal (renews) or of the expiry
		reason  []string
		notes   []string
	}{
		{"www-example-com", fleet.VerdictRenews, "2026-08-10", []string{"its validation CNAME _b42e8fbd8b744070483c8f894a077506.www.example.com. is in place"}, nil},
		{"api-example-com", fleet.VerdictExpires, "2026-09-06", []string{"CNAME missing: _fa91dc000fadd7627b36a40980c127f5.api.example.com. does not exist (NXDOMAIN)"}, nil},
		{"shop-example-com", fleet.VerdictExpires, "2026-09-15", []string{"CNAME wrong: _7a1150bc548dee8651280077fc1a948e.shop.example.com. points at _3e77593702af902fb077ca90b8ce5ee5.lguylyjfhi.acm-validations.aws., but ACM expects _5a93352d53d6d28ba88a8544c1f6577c.mrbtfgcjmi.acm-validations.aws."}, nil},
		{"blog-example-org", fleet.VerdictExpires, "2026-09-19", []string{"CNAME doubled suffix", "_93a946e7ba0499fb14d0c31588f46bfe.blog.example.org.example.org. does in zone example.org"}, nil},
		{"example-com-b7df7a31", fleet.VerdictRenews, "2026-07-28", nil, []string{"shared validation record: _275254356de4f6135f788d580d332eaa.example.com. is also what wildcard-example-com, example-com-c8017295 rely on"}},
		{"example-com-c8017295", fleet.VerdictRenews, "2026-08-15", nil, []string{"breaks the renewal of all 3"}},
		{"wildcard-example-com", fleet.VerdictRenews, "2026-08-20", nil, []string{"shared validation record"}},
		{"pay-example-org", fleet.VerdictExpires, "2026-09-16", []string{"CAA forbids Amazon: CAA issue at pay.example.org. allows only letsencrypt.org, not Amazon"}, nil},
		{"old-example-com", fleet.VerdictExpires, "2026-09-05", []string{"not in use: nothing uses it and it was not exported"}, []string{"not in use and not exported: ACM will not renew it and sends no Renewal Action Required notice; it expires silently on 2026-09-05"}},
		{"mail-example-org", fleet.VerdictExpires, "2026-09-17", []string{"e-mail validation nobody answers", "admin@, administrator@, hostmaster@, postmaster@ and webmaster@example.org"},
			[]string{"about every 153 days under acm-cabf (2.4 times a year), then every 66 days 16h from 2027-03-15 (5.5 times a year)"}},
		{"legacy-example-com", fleet.VerdictExpires, "2026-06-01", []string{"imported: ACM never renews imported certificates"}, []string{"imported: ACM never renews it"}},
		{"intranet-example-com", fleet.VerdictRenews, "2026-10-02", []string{"private and in use"}, []string{"private (arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/"}},
		{"static-example-com", fleet.VerdictRenews, "2026-11-01", nil, []string{"issued on 2025-12-01 with a 395-day lifetime, before ACM moved to 198-day certificates on 2026-02-18: it renews at T−60 (2026-11-01) into a 198-day certificate, which then renews every ~153 days at T−45, and from 2027-04-03 into 100-day certificates every ~66 days 16h at T−33d8h"}},
		{"edge-example-com", fleet.VerdictCannotTell, "", []string{"issued through ACM's ACME endpoint (CertificateKeyPairOrigin ACME): ACM does not renew it, its ACME client does"},
			[]string{"issued by ACME endpoint arn:aws:acm:us-east-1:123456789012:acme-endpoint/0c5e8a7b-3d2f-4b1a-8e9c-6f7a8b9c0d1e"}},
		{"status-example-net", fleet.VerdictCannotTell, "", []string{"no zone data for status.example.net"}, nil},
		{"promo-example-com", fleet.VerdictExpired, "2026-03-03", []string{"already expired on 2026-03-03"}, []string{"still attached to CloudFront distribution E5PROMO6EXAMPL"}},
	} {
		e := got[tc.id]
		require.NotNil(t, e, tc.id)
		assert.Equal(t, tc.verdict, e.Verdict, tc.id)
		if tc.date != "" {
			require.NotNil(t, e.Date, tc.id)
			assert.Equal(t, tc.date, e.Date.Format("2006-01-02"), tc.id)
		}
		for _, s := range tc.reason {
			assert.Contains(t, e.Reason, s, tc.id)
		}
		for _, s := range tc.notes {
			assert.True(t, strings.Contains(strings.Join(e.Notes, "\n"), s), "%s: no note with %q in %q", tc.id, s, e.Notes)
		}
		if e.Verdict == fleet.VerdictExpires || e.Verdict == fleet.VerdictExpired || e.Verdict == fleet.VerdictCannotTell {
			assert.NotEmpty(t, e.Fix, tc.id)
		}
	}
	assert.Len(t, r.Certificates, 16)
	assert.True(t, r.Failed())
	assert.Equal(t, "acm-cabf", r.Profile, "check runs on the dated schedule unless told")
	assert.Equal(t, []string{"after 2027-03-15 renewals are assumed to start 33 days 8h before expiry (window_100d: ACM has not announced its renewal window for 100-day certificates)"},
		r.Assumptions, "the horizon (to 2028-03-31) does not reach 2029-03-15")
	assert.Contains(t, got["edge-example-com"].Fix, "watch the ACME client's renewal")
	assert.Empty(t, got["edge-example-com"].Renewals, "no ACM renewal predicted for an ACME certificate")
	require.Len(t, r.Shared, 1)
	assert.Equal(t, []string{"wildcard-example-com", "example-com-b7df7a31", "example-com-c8017295"}, r.Shared[0].Certificates)
	notes := strings.Join(r.Notes, "\n")
	assert.Contains(t, notes, "DaysBeforeExpiry is 50 (account configuration)")
	assert.Contains(t, notes, "it renews public certificates only at T−45 (T−33d8h from 2027-03-15)")
	assert.Contains(t, notes, "Alarm below 33 days")
	assert.Contains(t, notes, "Approaching Expiration events before renewals that then succeeded")
	assert.NotContains(t, notes, "-profile cabf-2027", "the dated schedule already gives the CA/B lifetimes")

	// Most urgent first: already expired, then expiries by date, then the
	// cannot-tell line, then renewals by date.
	var order []string
	for _, e := range r.Certificates {
		order = append(order, string(e.Verdict))
	}
	assert.Equal(t, []string{"expired", "expires", "expires", "expires", "expires", "expires", "expires", "expires", "cannot-tell", "cannot-tell",
		"renews", "renews", "renews", "renews", "renews", "renews"}, order)
	assert.Equal(t, "legacy-example-com", r.Certificates[1].ID, "the soonest expiry comes first")
}

// The shared-CNAME trap: the stack that created the record is deleted, and
// all three certificates relying on it expire, each saying who else does.
// The zone's wildcard (*.example.com, an alias) then answers for the
// record's name: NODATA, not NXDOMAIN, and the reason says why.
func TestSharedCNAMEDeleted(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(example, "zones", "example.com.json"))
	require.NoError(t, err)
	const shared = `
        {
            "Name": "_275254356de4f6135f788d580d332eaa.example.com.",
            "Type": "CNAME",
            "TTL": 300,
            "ResourceRecords": [
                {
                    "Value": "_3217f2cab96407e1dcc78454cfae5202.yxiudwhrmr.acm-validations.aws."
                }
            ]
        },`
	require.Contains(t, string(src), shared)
	zones := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(zones, "example.com.json"), []byte(strings.Replace(string(src), shared, "", 1)), 0o644))
	in := exampleInput()
	in.Zones = []fleet.ZoneSource{{Path: zones}, {Path: filepath.Join(example, "zones", "example.org.zone")}}
	_, r := check(t, in, "")
	got := byID(r)
	for _, id := range []string{"wildcard-example-com", "example-com-b7df7a31", "example-com-c8017295"} {
		e := got[id]
		assert.Equal(t, fleet.VerdictExpires, e.Verdict, id)
		assert.Contains(t, e.Reason, "CNAME missing: _275254356de4f6135f788d580d332eaa.example.com. does not exist; the wildcard *.example.com. answers for it, with no CNAME (NODATA) (3 certificates rely on it: wildcard-example-com, example-com-b7df7a31, example-com-c8017295)", id)
	}
	assert.Equal(t, "example.com, *.example.com: CNAME missing: _275254356de4f6135f788d580d332eaa.example.com. does not exist; the wildcard *.example.com. answers for it, with no CNAME (NODATA) (3 certificates rely on it: wildcard-example-com, example-com-b7df7a31, example-com-c8017295)",
		got["example-com-c8017295"].Reason, "names that share the record are told together")
}

// Under a what-if profile the same fleet renews more often, and e-mail
// validation needs a click far more often.
func TestExampleFleetUnderCABF2029(t *testing.T) {
	_, r := check(t, exampleInput(), "cabf-2029")
	got := byID(r)
	assert.Equal(t, "cabf-2029", r.Profile)
	assert.Greater(t, len(got["www-example-com"].Renewals), 10)
	assert.Contains(t, strings.Join(got["mail-example-org"].Notes, "\n"), "about every 31 days 8h under cabf-2029 (11.6 times a year)")
	assert.NotContains(t, strings.Join(r.Notes, "\n"), "run again with -profile cabf-2027")
}

// Under acm-2026, chosen by hand, renewals after 2027-03-15 still get 198
// days: each such certificate is told that the CA/B Forum allows 100 then,
// and the fleet note points at the default profile, which follows the
// schedule. No assumption is printed: acm-2026 has no 100-day step.
func TestExampleFleetUnderACM2026(t *testing.T) {
	_, r := check(t, exampleInput(), "acm-2026")
	got := byID(r)
	assert.Empty(t, r.Assumptions)
	assert.Len(t, got["www-example-com"].Renewals, 4, "198-day certificates all along: 2026-08, 2027-01, 2027-06, 2027-11")
	assert.Contains(t, strings.Join(got["www-example-com"].Notes, "\n"),
		"renewals from 2027-03-15 (the first on 2027-06-12) get 198-day certificates under acm-2026, longer than the CA/B Forum allows from 2027-03-15 (100 days): see -profile acm-cabf")
	assert.Contains(t, strings.Join(got["static-example-com"].Notes, "\n"),
		"it renews at T−60 (2026-11-01) into a 198-day certificate, which then renews every ~153 days at T−45 — scripts")
	assert.Contains(t, strings.Join(r.Notes, "\n"),
		"renewals of 5 certificates get longer lifetimes under acm-2026 than the CA/B Forum allows on their dates (100 days from 2027-03-15, 47 from 2029-03-15): run again with -profile acm-cabf (check's default)")
}

// A horizon that reaches 2029-03-15 says the second assumption too, and
// the renewals there get 47-day certificates.
func TestAssumptionsOfTheHorizon(t *testing.T) {
	f, err := fleet.Read(exampleInput())
	require.NoError(t, err)
	p, err := fleet.Build(f, fleet.Options{Now: day("2027-06-01")})
	require.NoError(t, err)
	assert.Equal(t, "acm-cabf", p.ProfileName)
	assert.Equal(t, []string{
		"after 2027-03-15 renewals are assumed to start 33 days 8h before expiry (window_100d: ACM has not announced its renewal window for 100-day certificates)",
		"after 2029-03-15 renewals are assumed to start 15 days 16h before expiry (window_47d: ACM has not announced its renewal window for 47-day certificates)",
	}, p.Assumptions)
	r := fleet.Assess(p, nil)
	var b strings.Builder
	require.NoError(t, fleet.WriteText(&b, r))
	lines := strings.SplitN(b.String(), "\n", 4)
	assert.Equal(t, p.Assumptions, lines[1:3], "printed under the header")
}

// Horizon-wide verdicts: a private certificate nobody uses but someone
// exported renews once (the export made it eligible), then expires at the
// next cycle because a renewal resets the export; a horizon that ends
// before the renewal is decided says so.
func TestRenewsThenExpires(t *testing.T) {
	dir := t.TempDir()
	const arn = "arn:aws:acm:us-east-1:123456789012:certificate/44444444-4444-4444-8444-444444444444"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "d.json"), []byte(`{"Certificate": {"CertificateArn": "`+arn+`",
  "DomainName": "vpn.internal.example", "SubjectAlternativeNames": ["vpn.internal.example"], "Status": "ISSUED", "Type": "PRIVATE",
  "NotBefore": 1746057600, "NotAfter": 1780185600.0, "InUseBy": [], "RenewalEligibility": "ELIGIBLE",
  "CertificateAuthorityArn": "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/1"}}`), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "l.json"), []byte(`{"CertificateSummaryList": [{"CertificateArn": "`+arn+`",
  "DomainName": "vpn.internal.example", "Type": "PRIVATE", "Status": "ISSUED", "InUse": false, "Exported": true}]}`), 0o644))
	in := fleet.Input{ACM: []string{dir}, Zones: []fleet.ZoneSource{{Path: filepath.Join(example, "zones")}}}
	_, r := check(t, in, "")
	e := r.Certificates[0]
	assert.Equal(t, fleet.VerdictExpires, e.Verdict)
	require.Len(t, e.Renewals, 1)
	assert.Equal(t, "2026-04-01", e.Renewals[0].Format("2006-01-02"), "in its window already at -now: renewed at once")
	assert.Equal(t, "2027-05-01", e.Date.Format("2006-01-02"))
	assert.Equal(t, "not in use: its export made one renewal eligible, but a renewal resets that, so ACM does not try again (and sends no notice)", e.Reason)
	var b strings.Builder
	require.NoError(t, fleet.WriteText(&b, r))
	assert.Contains(t, b.String(), "✗ vpn.internal.example  renews 2026-04-01, then expires on 2027-05-01 because not in use")

	f, err := fleet.Read(in)
	require.NoError(t, err)
	p, err := fleet.Build(f, fleet.Options{Now: day("2026-04-01").Add(-40 * 24 * time.Hour), Until: day("2026-04-01")})
	require.NoError(t, err)
	sc, err := scenarios.Parse(p.File, p.YAML)
	require.NoError(t, err)
	res, err := simrun.Run(context.Background(), sc, simrun.Options{})
	require.NoError(t, err)
	r = fleet.Assess(p, res.Log)
	assert.Equal(t, fleet.VerdictUndecided, r.Certificates[0].Verdict)
	assert.Equal(t, "the horizon ends on 2026-04-01, before its renewal is decided (it expires on 2026-05-31)", r.Certificates[0].Reason)
	assert.False(t, r.Failed())
}

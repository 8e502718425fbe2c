package fleet_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/renewsim/renewsim/fleet"
)

// What a change does to a renewal is decided from the verdicts before and
// after it, in one place: a break is a renewal that held and no longer
// does, or a certificate the change creates that fails; cannot tell and
// undecided are never pinned on the change.
func TestSetChangeDifference(t *testing.T) {
	const (
		renews    = fleet.VerdictRenews
		expires   = fleet.VerdictExpires
		expired   = fleet.VerdictExpired
		notIssued = fleet.VerdictNotIssued
		cannot    = fleet.VerdictCannotTell
		undecided = fleet.VerdictUndecided
	)
	for _, tc := range []struct {
		before *fleet.Verdict
		after  fleet.Verdict
		want   string
	}{
		{ptr(renews), renews, fleet.DiffUnchanged},
		{ptr(renews), expires, fleet.DiffBreaks},
		{ptr(renews), notIssued, fleet.DiffBreaks},
		{ptr(renews), expired, fleet.DiffBreaks},
		{ptr(renews), cannot, fleet.DiffUnchanged},
		{ptr(renews), undecided, fleet.DiffUnchanged},
		{ptr(expires), renews, fleet.DiffFixes},
		{ptr(notIssued), renews, fleet.DiffFixes},
		{ptr(expired), renews, fleet.DiffFixes},
		{ptr(expires), expires, fleet.DiffUnchanged},
		{ptr(cannot), expires, fleet.DiffUnchanged},
		{ptr(cannot), renews, fleet.DiffUnchanged},
		{ptr(undecided), expires, fleet.DiffUnchanged},
		{nil, renews, fleet.DiffCreated},
		{nil, cannot, fleet.DiffCreated},
		{nil, notIssued, fleet.DiffBreaks},
		{nil, expires, fleet.DiffBreaks},
	} {
		e := &fleet.Entry{ID: "a", Address: "aws_acm_certificate.a", Verdict: tc.after}
		if tc.before != nil {
			e.Before = &fleet.Before{Verdict: *tc.before}
		}
		r := &fleet.Report{Certificates: []*fleet.Entry{e}}
		r.SetChange("plan", nil)
		assert.Equal(t, tc.want, e.Difference, "%v → %s", tc.before, tc.after)
		assert.Equal(t, tc.want == fleet.DiffBreaks, r.Failed(), "a change fails exactly when it breaks a renewal")
		assert.NotNil(t, r.Breaks)
		assert.NotNil(t, r.Fixes)
		assert.NotNil(t, r.Deleted)
	}
}

func ptr(v fleet.Verdict) *fleet.Verdict { return &v }

// Reports of several regions join into one: ordered by urgency across
// them, the regions and accounts listed, notes once each; a certificate
// only the exports describe is named by its ARN.
func TestCombine(t *testing.T) {
	now := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	until := now.AddDate(2, 0, 0)
	at := func(d string) *time.Time { t := day(d); return &t }
	eu := &fleet.Report{Account: "123456789012", Region: "eu-west-1", Certificates: []*fleet.Entry{
		{ID: "app", ARN: "arn:aws:acm:eu-west-1:123456789012:certificate/1", Address: "aws_acm_certificate.app", Simulated: true,
			Verdict: fleet.VerdictRenews, Date: at("2026-08-02"), Reason: "its validation CNAME is in place"},
	}}
	us := &fleet.Report{Account: "123456789012", Region: "us-east-1", Certificates: []*fleet.Entry{
		{ID: "cdn", ARN: "arn:aws:acm:us-east-1:123456789012:certificate/2", Simulated: true,
			Verdict: fleet.VerdictExpires, Date: at("2026-09-15"), Reason: "CNAME missing"},
	}}
	r := fleet.Combine(now, until, "acm-2026", []string{"a note on the code", "a note on the code"}, eu, us)
	assert.Equal(t, "123456789012", r.Account)
	assert.Equal(t, "eu-west-1, us-east-1", r.Region)
	require.Len(t, r.Certificates, 2)
	assert.Equal(t, "cdn", r.Certificates[0].ID, "the most urgent first, whatever its region")
	assert.Equal(t, fleet.Counts{Certificates: 2, Renews: 1, Expires: 1}, r.Counts)
	assert.Equal(t, []string{"a note on the code"}, r.Notes)
	assert.True(t, r.Failed(), "without a change, an expiry fails the check")

	r.Certificates[0].Before = &fleet.Before{Verdict: fleet.VerdictRenews, Date: at("2026-08-01"), Reason: "its validation CNAME is in place"}
	r.Certificates[1].Before = &fleet.Before{Verdict: fleet.VerdictRenews, Date: at("2026-08-02"), Reason: "its validation CNAME is in place"}
	r.SetChange("plan", []string{"aws_acm_certificate.z", "aws_acm_certificate.b"})
	assert.Equal(t, []string{"arn:aws:acm:us-east-1:123456789012:certificate/2"}, r.Breaks)
	assert.Equal(t, []string{}, r.Fixes)
	assert.Equal(t, []string{"aws_acm_certificate.b", "aws_acm_certificate.z"}, r.Deleted)

	empty := fleet.Combine(now, until, "acm-2026", nil)
	var b bytes.Buffer
	require.NoError(t, fleet.WriteJSON(&b, empty))
	assert.Contains(t, b.String(), `"certificates": []`)
	assert.NotContains(t, b.String(), `"breaks"`, "no change compared, no breaks")
	b.Reset()
	require.NoError(t, fleet.WriteText(&b, empty))
	assert.Equal(t, "no certificates: nothing in the inputs is an ACM certificate, so there is no renewal to check\n", b.String())
}

// The text of a change says first what it breaks, each break with its
// verdict after and before and the planned changes that bear on it, then
// what it fixes, creates, deletes and leaves, then the fleet after it.
func TestWriteTextOfAChange(t *testing.T) {
	now := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	at := func(d string) *time.Time { t := day(d); return &t }
	www := &fleet.Entry{ID: "www-example-com", ARN: "arn:aws:acm:us-east-1:123456789012:certificate/1", Address: "aws_acm_certificate.www",
		Domains: []string{"www.example.com"}, Simulated: true, Verdict: fleet.VerdictExpires, Date: at("2026-09-06"), Reason: "CNAME missing: _x.www.example.com. does not exist (NXDOMAIN)",
		Fix:     "add _x.www.example.com. CNAME _y.acm-validations.aws. to zone example.com",
		Before:  &fleet.Before{Verdict: fleet.VerdictRenews, Date: at("2026-07-24"), Reason: "its validation CNAME _x.www.example.com. is in place"},
		Planned: []fleet.Planned{{Address: `aws_route53_record.validation["www.example.com"]`, Action: "delete", Effect: "destroys the validation record _x.www.example.com that aws_acm_certificate.www validates with"}}}
	old := &fleet.Entry{ID: "old-example-com", ARN: "arn:aws:acm:us-east-1:123456789012:certificate/2", Address: "aws_acm_certificate.old",
		Domains: []string{"old.example.com"}, Simulated: true, Verdict: fleet.VerdictExpires, Date: at("2026-06-01"), Reason: "imported: ACM never renews imported certificates",
		Before: &fleet.Before{Verdict: fleet.VerdictExpires, Date: at("2026-06-01"), Reason: "imported: ACM never renews imported certificates"}}
	api := &fleet.Entry{ID: "api-example-com", ARN: "arn:aws:acm:us-east-1:123456789012:certificate/3", Address: "aws_acm_certificate.api",
		Domains: []string{"api.example.com"}, Simulated: true, Verdict: fleet.VerdictRenews, Date: at("2026-09-01"), Reason: "its validation CNAME _z.api.example.com. is in place"}
	r := fleet.Combine(now, now.AddDate(2, 0, 0), "acm-2026", nil, &fleet.Report{Account: "123456789012", Region: "us-east-1", Certificates: []*fleet.Entry{www, old, api}})
	r.SetChange("plan", []string{"aws_acm_certificate.apex"})
	var b bytes.Buffer
	require.NoError(t, fleet.WriteText(&b, r))
	want := `this plan breaks the renewal of 1 certificate

✗ aws_acm_certificate.www  www.example.com
    after the plan: expires on 2026-09-06 because CNAME missing: _x.www.example.com. does not exist (NXDOMAIN)
    before the plan: renews around 2026-07-24: its validation CNAME _x.www.example.com. is in place
    planned: aws_route53_record.validation["www.example.com"] (delete): destroys the validation record _x.www.example.com that aws_acm_certificate.www validates with

it fixes 0, creates 1, deletes 1 and leaves 1 unchanged
  creates aws_acm_certificate.api: renews around 2026-09-01: its validation CNAME _z.api.example.com. is in place
  deletes aws_acm_certificate.apex
  aws_acm_certificate.old does not renew before the plan either, so it is not the plan's doing: expires on 2026-06-01 because imported: ACM never renews imported certificates

after the plan: 3 certificates of account 123456789012 in us-east-1, from 2026-04-01 to 2028-04-01 under acm-2026
`
	assert.True(t, strings.HasPrefix(b.String(), want), b.String())
	assert.Contains(t, b.String(), "\n    aws_acm_certificate.www  www-example-com  arn:aws:acm:us-east-1:123456789012:certificate/1\n    before the plan: renews around 2026-07-24")
	assert.Contains(t, b.String(), "\n    aws_acm_certificate.api  api-example-com  arn:aws:acm:us-east-1:123456789012:certificate/3\n    before the plan: it did not exist\n")
	assert.True(t, r.Failed())

	b.Reset()
	require.NoError(t, fleet.WriteJSON(&b, r))
	var doc struct {
		Change       string   `json:"change"`
		Breaks       []string `json:"breaks"`
		Deleted      []string `json:"deleted"`
		Certificates []struct {
			Address    string          `json:"address"`
			Difference string          `json:"difference"`
			Before     *fleet.Before   `json:"before"`
			Planned    []fleet.Planned `json:"planned"`
		} `json:"certificates"`
	}
	require.NoError(t, json.Unmarshal(b.Bytes(), &doc))
	assert.Equal(t, "plan", doc.Change)
	assert.Equal(t, []string{"aws_acm_certificate.www"}, doc.Breaks)
	assert.Equal(t, []string{"aws_acm_certificate.apex"}, doc.Deleted)
	require.Len(t, doc.Certificates, 3)
	assert.Equal(t, "aws_acm_certificate.old", doc.Certificates[0].Address)
	assert.Equal(t, fleet.DiffUnchanged, doc.Certificates[0].Difference)
	assert.Equal(t, fleet.DiffBreaks, doc.Certificates[1].Difference)
	assert.Equal(t, fleet.VerdictRenews, doc.Certificates[1].Before.Verdict)
	assert.Len(t, doc.Certificates[1].Planned, 1)
	assert.Nil(t, doc.Certificates[2].Before, "created: nothing before")
}

// A check of infrastructure code may give no ACM export: the code
// describes the certificates.
func TestReadWithoutACMWhenOptional(t *testing.T) {
	_, err := fleet.Read(fleet.Input{Zones: []fleet.ZoneSource{{Path: example + "/zones"}}})
	require.Error(t, err)
	f, err := fleet.Read(fleet.Input{Zones: []fleet.ZoneSource{{Path: example + "/zones"}}, ACMOptional: true})
	require.NoError(t, err)
	assert.Empty(t, f.Certificates)
	assert.Len(t, f.Zones, 2)
}

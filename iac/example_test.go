package iac_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/renewsim/renewsim/fleet"
	"github.com/renewsim/renewsim/iac"
	"github.com/renewsim/renewsim/scenarios"
	"github.com/renewsim/renewsim/sim"
	simrun "github.com/renewsim/renewsim/sim/run"
)

var now = time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)

// outcome is what a check says of one certificate.
type outcome struct {
	Verdict fleet.Verdict
	Date    string
	Reason  string
}

// judge does what renewsim check does with one fleet: build, load the
// scenario the way run loads a file, run it, assess; the verdicts are
// keyed by the code's address (the ARN for a certificate only the exports
// describe).
func judge(t *testing.T, fs *iac.Fleets, f *fleet.Fleet) map[string]outcome {
	t.Helper()
	p, err := fleet.Build(f, fleet.Options{Now: now, Profile: sim.DefaultProfile})
	require.NoError(t, err)
	var log []sim.Entry
	if p.YAML != nil {
		sc, err := scenarios.Parse(p.File, p.YAML)
		require.NoError(t, err, "the scenario loads:\n%s", p.YAML)
		require.NoError(t, simrun.Check(sc))
		res, err := simrun.Run(context.Background(), sc, simrun.Options{CacheDNS: true, CacheProbes: true})
		require.NoError(t, err)
		log = res.Log
	}
	out := map[string]outcome{}
	for _, e := range fleet.Assess(p, log).Certificates {
		key := e.ARN
		if c := fs.Lookup(e.ARN); c != nil {
			key = c.Address
		}
		o := outcome{Verdict: e.Verdict, Reason: e.Reason}
		if e.Date != nil {
			o.Date = e.Date.Format("2006-01-02")
		}
		out[key] = o
	}
	return out
}

// judgeAll judges every part of the fleets, before and after.
func judgeAll(t *testing.T, fs *iac.Fleets) (before, after map[string]outcome) {
	t.Helper()
	before, after = map[string]outcome{}, map[string]outcome{}
	for _, r := range fs.Regions {
		if !iac.Empty(r.Before) {
			for k, v := range judge(t, fs, r.Before) {
				before[k] = v
			}
		}
		if iac.Empty(r.After) {
			continue
		}
		for k, v := range judge(t, fs, r.After) {
			after[k] = v
		}
	}
	return before, after
}

func load(t *testing.T, in iac.Input, base *fleet.Fleet) *iac.Fleets {
	t.Helper()
	m, err := iac.Read(in)
	require.NoError(t, err)
	fs, err := m.Fleets(base, iac.Options{Now: now})
	require.NoError(t, err)
	return fs
}

const tfExample = "../examples/terraform/"

var (
	renewsWWW  = outcome{fleet.VerdictRenews, "2026-07-24", "its validation CNAME _a92c7e4b1d8f3a6c5e0b9d2f7a4c1e8b.www.example.com., _4f1d7c2a9b3e8d6f0a5c1b7e2d9f3a4c.example.com. is in place"}
	renewsWild = outcome{fleet.VerdictRenews, "2026-08-03", "its validation CNAME _4f1d7c2a9b3e8d6f0a5c1b7e2d9f3a4c.example.com. is in place"}
	renewsApex = outcome{fleet.VerdictRenews, "2026-10-11", "its validation CNAME _4f1d7c2a9b3e8d6f0a5c1b7e2d9f3a4c.example.com. is in place"}
	stateWant  = map[string]outcome{"aws_acm_certificate.www": renewsWWW, "aws_acm_certificate.wild": renewsWild, "aws_acm_certificate.apex": renewsApex}
)

// The example's state, as terraform.tfstate and as terraform show -json:
// one fleet, every certificate renewing.
func TestExampleTerraformState(t *testing.T) {
	for _, file := range []string{"terraform.tfstate", "state.json"} {
		t.Run(file, func(t *testing.T) {
			fs := load(t, iac.Input{Terraform: []string{tfExample + file}}, nil)
			assert.False(t, fs.Change)
			assert.Empty(t, fs.Actions)
			require.Len(t, fs.Regions, 1)
			assert.Nil(t, fs.Regions[0].Before)
			_, after := judgeAll(t, fs)
			assert.Equal(t, stateWant, after)
		})
	}
}

// effect is an action's address and one of its effects.
type effect struct {
	Address string
	Kind    iac.ActionKind
	Text    string
	Certs   []string
}

func effects(fs *iac.Fleets) []effect {
	var out []effect
	for _, a := range fs.Actions {
		if len(a.Effects) == 0 {
			out = append(out, effect{Address: a.Address, Kind: a.Kind})
		}
		for _, e := range a.Effects {
			out = append(out, effect{a.Address, a.Kind, e.Text, e.Certificates})
		}
	}
	return out
}

// The three example plans, before and after, with what each planned
// change does.
func TestExampleTerraformPlans(t *testing.T) {
	const shared = "_4f1d7c2a9b3e8d6f0a5c1b7e2d9f3a4c.example.com."
	missing := "CNAME missing: " + shared + " does not exist (NXDOMAIN) (2 certificates rely on it: wildcard-example-com, www-example-com)"
	caa := "CAA forbids Amazon: CAA issue at example.com. allows only letsencrypt.org, not Amazon"
	for _, tc := range []struct {
		file    string
		after   map[string]outcome
		effects []effect
	}{
		{"plan-harmless.json",
			map[string]outcome{"aws_acm_certificate.www": renewsWWW, "aws_acm_certificate.wild": renewsWild, "aws_acm_certificate.apex": renewsApex,
				"aws_acm_certificate.api": {fleet.VerdictRenews, "2026-09-01", "its validation CNAME _b3af7df48dd0b723276ba1f87d682e84.api.example.com. is in place"}},
			[]effect{
				{"aws_acm_certificate.api", iac.ActionCreate, `requests a certificate for api.example.com; created by the change and validated (api.example.com by aws_route53_record.validation_api["api.example.com"]): it stands as issued at -now, for the profile's lifetime`, []string{"aws_acm_certificate.api"}},
				{Address: "aws_acm_certificate.www", Kind: iac.ActionUpdate},
				{"aws_lb_listener_certificate.api", iac.ActionCreate, "puts aws_acm_certificate.api on load balancer listener certificate aws_lb_listener_certificate.api", []string{"aws_acm_certificate.api"}},
				{`aws_route53_record.validation_api["api.example.com"]`, iac.ActionCreate, "creates the validation record _b3af7df48dd0b723276ba1f87d682e84.api.example.com that aws_acm_certificate.api validates with", []string{"aws_acm_certificate.api"}},
			}},
		{"plan-delete-shared-record.json",
			map[string]outcome{
				"aws_acm_certificate.www":  {fleet.VerdictExpires, "2026-09-06", "example.com: " + missing},
				"aws_acm_certificate.wild": {fleet.VerdictExpires, "2026-09-16", "*.example.com, example.com: " + missing},
			},
			[]effect{
				{"aws_acm_certificate.apex", iac.ActionDelete, "deletes aws_acm_certificate.apex", []string{"aws_acm_certificate.apex"}},
				{Address: "aws_acm_certificate_validation.www", Kind: iac.ActionReplace},
				{"aws_cloudfront_distribution.apex", iac.ActionUpdate, "moves CloudFront distribution aws_cloudfront_distribution.apex from aws_acm_certificate.apex to aws_acm_certificate.wild", []string{"aws_acm_certificate.apex", "aws_acm_certificate.wild"}},
				{`aws_route53_record.validation["example.com"]`, iac.ActionDelete, "destroys the validation record _4f1d7c2a9b3e8d6f0a5c1b7e2d9f3a4c.example.com that aws_acm_certificate.apex, .wild and .www validate with", []string{"aws_acm_certificate.apex", "aws_acm_certificate.wild", "aws_acm_certificate.www"}},
			}},
		{"plan-caa-letsencrypt.json",
			map[string]outcome{
				"aws_acm_certificate.www":  {fleet.VerdictExpires, "2026-09-06", caa},
				"aws_acm_certificate.wild": {fleet.VerdictExpires, "2026-09-16", caa},
				"aws_acm_certificate.apex": {fleet.VerdictExpires, "2026-12-09", caa},
			},
			[]effect{
				{"aws_route53_record.caa", iac.ActionCreate, "adds CAA at example.com naming only letsencrypt.org: Amazon may no longer issue for example.com or the names below it, which aws_acm_certificate.apex, .wild and .www cover", []string{"aws_acm_certificate.apex", "aws_acm_certificate.wild", "aws_acm_certificate.www"}},
			}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			fs := load(t, iac.Input{Terraform: []string{tfExample + tc.file}}, nil)
			assert.True(t, fs.Change)
			before, after := judgeAll(t, fs)
			assert.Equal(t, stateWant, before, "before the change: the state")
			assert.Equal(t, tc.after, after)
			assert.Equal(t, tc.effects, effects(fs))
		})
	}
}

// The CloudFormation example: a change set that removes a RecordSet the
// web stack's certificate validates with.
func TestExampleCloudFormation(t *testing.T) {
	base, err := fleet.Read(fleet.Input{ACM: []string{"../examples/cloudformation/acm"}})
	require.NoError(t, err)
	fs := load(t, iac.Input{CloudFormation: []string{"../examples/cloudformation", "../examples/cloudformation/cdk.out"}}, base)
	assert.True(t, fs.Change)
	require.Len(t, fs.Certificates, 1)
	assert.Equal(t, iac.Certificate{Address: "web/Certificate4E7ABB08", Source: "../examples/cloudformation/cdk.out/web.template.json: line 3 ($.Resources.Certificate4E7ABB08)",
		ARN: "arn:aws:acm:us-east-1:123456789012:certificate/e3b7c1a2-4d5f-4a6b-9c8d-7e6f5a4b3c2d", Account: "123456789012", Region: "us-east-1",
		Domain: "shop.example.net", Before: true, After: true}, *fs.Certificates[0])
	before, after := judgeAll(t, fs)
	assert.Equal(t, map[string]outcome{"web/Certificate4E7ABB08": {fleet.VerdictRenews, "2026-07-28", "its validation CNAME _7e1c5b9a3d2f4e6a8c0b1d3f5a7c9e2b.shop.example.net., _b5d3f1a9c7e2b4d6f8a0c2e4b6d8f0a1.www.example.net. is in place"}}, before)
	assert.Equal(t, map[string]outcome{"web/Certificate4E7ABB08": {fleet.VerdictExpires, "2026-09-10", "shop.example.net: CNAME missing: _7e1c5b9a3d2f4e6a8c0b1d3f5a7c9e2b.shop.example.net. does not exist (NXDOMAIN)"}}, after)
	assert.Equal(t, []effect{{"dns/ShopValidation", iac.ActionDelete, "destroys the validation record _7e1c5b9a3d2f4e6a8c0b1d3f5a7c9e2b.shop.example.net that web/Certificate4E7ABB08 validates with", []string{"web/Certificate4E7ABB08"}}}, effects(fs))
	assert.Equal(t, []string{"zone example.net (dns/Zone): only the records the code manages are known; records made outside it (a CAA record, a validation CNAME added by hand) are not — give the zone's export with -zones to see them"}, fs.Notes)
}

package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/renewsim/renewsim/internal/junitschema"
)

const (
	tfExample  = "../../examples/terraform/"
	cfnExample = "../../examples/cloudformation"
	tfData     = "../../iac/testdata/terraform/"
	cfnData    = "../../iac/testdata/cloudformation/"
	iacExports = "../../iac/testdata/exports/"
	at0401     = "2026-04-01T00:00:00Z"
)

// codeJSON is the -json document of a check of infrastructure code.
type codeJSON struct {
	Account      string   `json:"account"`
	Region       string   `json:"region"`
	Change       string   `json:"change"`
	Breaks       []string `json:"breaks"`
	Fixes        []string `json:"fixes"`
	Deleted      []string `json:"deleted"`
	Notes        []string `json:"notes"`
	Certificates []struct {
		ID         string     `json:"id"`
		ARN        string     `json:"arn"`
		Address    string     `json:"address"`
		Verdict    string     `json:"verdict"`
		Date       *time.Time `json:"date"`
		Reason     string     `json:"reason"`
		Fix        string     `json:"fix"`
		Difference string     `json:"difference"`
		Before     *struct {
			ARN     string     `json:"arn"`
			Verdict string     `json:"verdict"`
			Date    *time.Time `json:"date"`
			Reason  string     `json:"reason"`
		} `json:"before"`
		Planned []struct {
			Address string `json:"address"`
			Action  string `json:"action"`
			Effect  string `json:"effect"`
		} `json:"planned"`
	} `json:"certificates"`
}

// verdictOf is "VERDICT DATE" ("VERDICT" without a date).
func verdictOf(v string, d *time.Time) string {
	if d == nil {
		return v
	}
	return v + " " + d.Format("2006-01-02")
}

// judged is what a check of code says of one certificate: before → after
// (difference), keyed by name (address, or ARN outside the code).
type judged struct{ Before, After, Difference string }

func judgedOf(doc codeJSON) map[string]judged {
	out := map[string]judged{}
	for _, c := range doc.Certificates {
		j := judged{After: verdictOf(c.Verdict, c.Date), Difference: c.Difference}
		if c.Before != nil {
			j.Before = verdictOf(c.Before.Verdict, c.Before.Date)
		}
		name := c.Address
		if name == "" {
			name = c.ARN
		}
		out[name] = j
	}
	return out
}

func checkCode(t *testing.T, args ...string) (int, codeJSON, string) {
	t.Helper()
	code, out, errs := renewsim(t, append(append([]string{"check"}, args...), "-now", at0401, "-json")...)
	require.NotEqual(t, 2, code, errs)
	var doc codeJSON
	require.NoError(t, json.Unmarshal([]byte(out), &doc), out)
	return code, doc, errs
}

// Every trap as infrastructure code, with its verdicts before and after
// the change and the exit status pinned: a plan exits 1 exactly when it
// breaks a renewal that held before (or creates a certificate that never
// issues), and names the planned changes that bear on each break.
func TestCheckCodeTraps(t *testing.T) {
	// Every fleet's fakes are closed when its run ends.
	defer goleak.VerifyNone(t)
	const outside = "arn:aws:acm:us-east-1:123456789012:certificate/9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a"
	const apexARN = "arn:aws:acm:us-east-1:123456789012:certificate/2f8b5d3e-1c4a-4f6b-9d8e-7a6f5e4d3c2b"
	www := judged{"renews 2026-07-24", "renews 2026-07-24", "unchanged"}
	wild := judged{"renews 2026-08-03", "renews 2026-08-03", "unchanged"}
	apex := judged{"renews 2026-10-11", "renews 2026-10-11", "unchanged"}
	app := judged{"renews 2026-08-02", "renews 2026-08-02", "unchanged"}
	shared := `aws_route53_record.validation["example.com"]`
	for _, tc := range []struct {
		name    string
		args    []string
		exit    int
		change  string
		want    map[string]judged
		breaks  []string
		deleted []string
		planned map[string][]string // the planned changes (addresses) named for a certificate
		effect  string              // in the effect of the first planned change of the first break
	}{
		{name: "harmless plan: a new certificate validated by its own records", args: []string{"-terraform", tfExample + "plan-harmless.json"}, exit: 0, change: "plan",
			want: map[string]judged{"aws_acm_certificate.www": www, "aws_acm_certificate.wild": wild, "aws_acm_certificate.apex": apex,
				"aws_acm_certificate.api": {"", "renews 2026-09-01", "created"}}},
		{name: "the deletion of a validation record three certificates share", args: []string{"-terraform", tfExample + "plan-delete-shared-record.json"}, exit: 1, change: "plan",
			want:   map[string]judged{"aws_acm_certificate.www": {"renews 2026-07-24", "expires 2026-09-06", "breaks"}, "aws_acm_certificate.wild": {"renews 2026-08-03", "expires 2026-09-16", "breaks"}},
			breaks: []string{"aws_acm_certificate.www", "aws_acm_certificate.wild"}, deleted: []string{"aws_acm_certificate.apex"},
			planned: map[string][]string{"aws_acm_certificate.www": {shared}, "aws_acm_certificate.wild": {shared, "aws_cloudfront_distribution.apex"}},
			effect:  "destroys the validation record _4f1d7c2a9b3e8d6f0a5c1b7e2d9f3a4c.example.com that aws_acm_certificate.apex, .wild and .www validate with"},
		{name: "a CAA record that names only another CA", args: []string{"-terraform", tfExample + "plan-caa-letsencrypt.json"}, exit: 1, change: "plan",
			want: map[string]judged{"aws_acm_certificate.www": {"renews 2026-07-24", "expires 2026-09-06", "breaks"}, "aws_acm_certificate.wild": {"renews 2026-08-03", "expires 2026-09-16", "breaks"},
				"aws_acm_certificate.apex": {"renews 2026-10-11", "expires 2026-12-09", "breaks"}},
			breaks:  []string{"aws_acm_certificate.www", "aws_acm_certificate.wild", "aws_acm_certificate.apex"},
			planned: map[string][]string{"aws_acm_certificate.apex": {"aws_route53_record.caa"}},
			effect:  "adds CAA at example.com naming only letsencrypt.org"},
		{name: "a listener moved to a new certificate leaves the old one attached to nothing; the new one's records are never created",
			args: []string{"-terraform", tfData + "never-issues-plan.json"}, exit: 1, change: "plan",
			want:   map[string]judged{"aws_acm_certificate.old": {"renews 2026-08-02", "expires 2026-09-15", "breaks"}, "aws_acm_certificate.new": {"", "not-issued", "breaks"}},
			breaks: []string{"aws_acm_certificate.old", "aws_acm_certificate.new"},
			planned: map[string][]string{"aws_acm_certificate.old": {"aws_lb_listener.https", "aws_lb_listener.https"},
				"aws_acm_certificate.new": {"aws_acm_certificate.new", "aws_acm_certificate_validation.new", "aws_lb_listener.https"}},
			effect: "moves load balancer listener aws_lb_listener.https from aws_acm_certificate.old to aws_acm_certificate.new"},
		{name: "a replacement destroyed first, its new certificate never validated", args: []string{"-terraform", tfData + "replace-plan.json"}, exit: 1, change: "plan",
			want:   map[string]judged{"aws_acm_certificate.app": {"renews 2026-08-02", "not-issued", "breaks"}, "data.aws_acm_certificate.legacy": {"cannot-tell", "cannot-tell", "unchanged"}},
			breaks: []string{"aws_acm_certificate.app"}, planned: map[string][]string{"aws_acm_certificate.app": {"aws_acm_certificate.app"}},
			effect: "add lifecycle { create_before_destroy = true }"},
		{name: "modules and for_each", args: []string{"-terraform", tfData + "modules-plan.json"}, exit: 0, change: "plan",
			want: map[string]judged{`module.edge.aws_acm_certificate.this["cdn"]`: {"renews 2026-08-02", "renews 2026-08-02", "unchanged"},
				`module.edge.aws_acm_certificate.this["shop"]`: {"renews 2026-08-02", "renews 2026-08-02", "unchanged"},
				`module.edge.aws_acm_certificate.this["blog"]`: {"", "renews 2026-09-01", "created"}}},
		{name: "unknown values: known after apply", args: []string{"-terraform", tfData + "unknown-plan.json"}, exit: 0, change: "plan",
			want: map[string]judged{"aws_acm_certificate.app": app, "aws_acm_certificate.pay": {"", "cannot-tell", "created"}}},
		{name: "Cloudflare holds the validation records (a state: exit 1 when one expires)", args: []string{"-terraform", tfData + "cloudflare-state.json"}, exit: 1,
			want: map[string]judged{"aws_acm_certificate.docs": {"", "renews 2026-08-02", ""}, "aws_acm_certificate.wiki": {"", "renews 2026-08-02", ""},
				"aws_acm_certificate.status": {"", "expires 2026-09-15", ""}}},
		{name: "a stale state", args: []string{"-terraform", tfData + "stale.tfstate"}, exit: 0,
			want: map[string]judged{"aws_acm_certificate.cdn": {"", "cannot-tell", ""}}},
		{name: "a cdk synth template and a change set that removes a RecordSet", args: []string{"-cloudformation", cfnExample, "-cloudformation", cfnExample + "/cdk.out", "-acm", cfnExample + "/acm"},
			exit: 1, change: "change set",
			want:   map[string]judged{"web/Certificate4E7ABB08": {"renews 2026-07-28", "expires 2026-09-10", "breaks"}},
			breaks: []string{"web/Certificate4E7ABB08"}, planned: map[string][]string{"web/Certificate4E7ABB08": {"dns/ShopValidation"}},
			effect: "destroys the validation record _7e1c5b9a3d2f4e6a8c0b1d3f5a7c9e2b.shop.example.net that web/Certificate4E7ABB08 validates with"},
		{name: "a stack deletion takes the validation record another certificate shares", args: []string{"-cloudformation", cfnData + "stack-deletion",
			"-acm", cfnData + "stack-deletion/acm", "-zones", cfnData + "stack-deletion/zones"}, exit: 1, change: "change set",
			want:   map[string]judged{apexARN: {"renews 2026-08-11", "expires 2026-09-24", "breaks"}},
			breaks: []string{apexARN}, deleted: []string{"legacy/Certificate"}, planned: map[string][]string{apexARN: {"legacy/Certificate"}},
			effect: "deletes with the certificate the validation record _51c9e7a3b5d1f2e4a6c8b0d2f4e6a8c1.example.com"},
		{name: "a change set that creates a stack: one certificate validated, one never", args: []string{"-cloudformation", cfnData + "new"}, exit: 1, change: "change set",
			want:   map[string]judged{"shop/ShopCertificate": {"", "renews 2026-09-01", "created"}, "shop/BlogCertificate": {"", "not-issued", "breaks"}},
			breaks: []string{"shop/BlogCertificate"}, planned: map[string][]string{"shop/BlogCertificate": {"shop/BlogCertificate", "shop/Blog"}},
			effect: "nothing creates the validation record of blog.example.org"},
		{name: "a change set that replaces a certificate, validated again by the records CloudFormation creates; a name renewsim cannot resolve",
			args: []string{"-cloudformation", cfnData + "replace/api.yaml", "-cloudformation", cfnData + "replace/api.changeset.json",
				"-acm", cfnData + "replace/acm", "-zones", cfnData + "replace/example.com.zone"}, exit: 0, change: "change set",
			want: map[string]judged{"api/Certificate": {"renews 2026-08-04", "renews 2026-09-01", "unchanged"}, "api/Spare": {"cannot-tell", "cannot-tell", "unchanged"}}},
		{name: "the code with the exports: a certificate outside the code breaks too", args: []string{"-terraform", tfExample + "plan-delete-shared-record.json",
			"-acm", iacExports + "acm", "-zones", iacExports + "zones"}, exit: 1, change: "plan",
			want: map[string]judged{"aws_acm_certificate.www": {"renews 2026-07-24", "expires 2026-09-06", "breaks"}, "aws_acm_certificate.wild": {"renews 2026-08-03", "expires 2026-09-16", "breaks"},
				outside: {"renews 2026-08-21", "expires 2026-10-04", "breaks"}},
			breaks: []string{"aws_acm_certificate.www", "aws_acm_certificate.wild", outside}, deleted: []string{"aws_acm_certificate.apex"},
			planned: map[string][]string{outside: {shared}}, effect: "destroys the validation record"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, doc, errs := checkCode(t, tc.args...)
			assert.Equal(t, tc.exit, code, errs)
			assert.Equal(t, tc.want, judgedOf(doc))
			assert.Equal(t, tc.change, doc.Change)
			if tc.change == "" {
				assert.Nil(t, doc.Breaks, "a state has no breaks")
				return
			}
			assert.Equal(t, append([]string{}, tc.breaks...), doc.Breaks)
			assert.Equal(t, append([]string{}, tc.deleted...), doc.Deleted)
			for _, c := range doc.Certificates {
				name := c.Address
				if name == "" {
					name = c.ARN
				}
				want, ok := tc.planned[name]
				if !ok {
					continue
				}
				var got []string
				for _, p := range c.Planned {
					got = append(got, p.Address)
				}
				assert.Equal(t, want, got, name)
				if tc.effect != "" && len(tc.breaks) > 0 && name == tc.breaks[0] {
					require.NotEmpty(t, c.Planned)
					assert.Contains(t, c.Planned[0].Effect, tc.effect)
				}
			}
		})
	}
}

// Text: what the plan breaks comes first, each break with its reason after
// the change and the planned change that causes it; a certificate created
// with nothing to settle it says why; a stale state says how to refresh.
func TestCheckCodeText(t *testing.T) {
	code, out, errs := renewsim(t, "check", "-terraform", tfExample+"plan-delete-shared-record.json", "-now", at0401)
	assert.Equal(t, 1, code, errs)
	assert.Empty(t, errs)
	assert.True(t, strings.HasPrefix(out, "this plan breaks the renewal of 2 certificates\n\n✗ aws_acm_certificate.www  www.example.com, example.com\n"+
		"    after the plan: expires on 2026-09-06 because example.com: CNAME missing: _4f1d7c2a9b3e8d6f0a5c1b7e2d9f3a4c.example.com. does not exist (NXDOMAIN)"), out)
	assert.Contains(t, out, "    planned: aws_route53_record.validation[\"example.com\"] (delete): destroys the validation record _4f1d7c2a9b3e8d6f0a5c1b7e2d9f3a4c.example.com that aws_acm_certificate.apex, .wild and .www validate with\n")
	assert.Contains(t, out, "it fixes 0, creates 0, deletes 1 and leaves 0 unchanged\n  deletes aws_acm_certificate.apex\n")
	assert.Contains(t, out, "\nafter the plan: 2 certificates of account 123456789012 in us-east-1, from 2026-04-01 to 2028-03-31 under acm-cabf\n")

	code, out, errs = renewsim(t, "check", "-terraform", tfData+"unknown-plan.json", "-now", at0401)
	assert.Equal(t, 0, code, errs)
	assert.Contains(t, out, "this plan breaks no renewal\n")
	assert.Contains(t, out, "  creates aws_acm_certificate.pay: cannot tell: known after apply: aws_route53_record.validation[\"pay\"], created by the change")

	code, out, errs = renewsim(t, "check", "-terraform", tfData+"stale.tfstate", "-now", at0401)
	assert.Equal(t, 0, code, errs)
	assert.Contains(t, out, "? www.example.org  cannot tell: stale state: Terraform recorded it as PENDING_VALIDATION with no not_after")
	assert.Contains(t, out, "renewsim does not invent its dates\n    aws_acm_certificate.cdn  www-example-org  arn:aws:acm:us-east-1:123456789012:certificate/0e0e0e0e-0000-4000-8000-0000000000f1\n"+
		"    fix: run terraform apply -refresh-only (or terraform refresh) and export the state again")
	assert.NotContains(t, out, "not used", "the zone holds the stale certificate's names")

	code, out, errs = renewsim(t, "check", "-cloudformation", cfnData+"replace/api.yaml", "-cloudformation", cfnData+"replace/api.changeset.json",
		"-acm", cfnData+"replace/acm", "-zones", cfnData+"replace/example.com.zone", "-now", at0401)
	assert.Equal(t, 0, code, errs)
	assert.True(t, strings.HasPrefix(out, "this change set breaks no renewal\n"), out)
	assert.Contains(t, out, "\n? api/Spare  cannot tell: renewsim cannot resolve its DomainName, {\"Fn::If\":[\"IsProd\",\"spare.example.com\",\"spare.dev.example.com\"]}\n",
		"a certificate whose names the code does not say is named by its address")
	assert.Contains(t, out, "\n    before the change set, as arn:aws:acm:us-east-1:123456789012:certificate/3a4b5c6d-7e8f-4a9b-8c0d-1e2f3a4b5c6d: renews around 2026-08-04",
		"replaced: the ARN it had before")

	code, out, errs = renewsim(t, "check", "-terraform", tfData+"no-certificate-plan.json", "-now", at0401)
	assert.Equal(t, 0, code, errs)
	assert.Equal(t, "no certificates: nothing in the inputs is an ACM certificate, so there is no renewal to check\n", out)
	code, js, _ := renewsim(t, "check", "-terraform", tfData+"no-certificate-plan.json", "-now", at0401, "-json")
	assert.Equal(t, 0, code)
	assert.Contains(t, js, "\"certificates\": [],\n")
	assert.Contains(t, js, "\"breaks\": [],\n")
}

// A certificate that does not renew before the change either is no
// break: exit 0, and the text says it is not the change's doing. A
// certificate the change creates into the same trouble is one.
func TestCheckCodeExpiryBeforeAndAfter(t *testing.T) {
	dir := t.TempDir()
	// The example's zone with a CAA record that names only DigiCert:
	// every certificate expires before the CAA plan, and after it.
	zone := "$ORIGIN example.com.\n@ 300 IN SOA ns1 hostmaster 1 2 3 4 5\n@ 3600 IN CAA 0 issue \"digicert.com\"\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "db.example.com"), []byte(zone), 0o644))
	code, out, errs := renewsim(t, "check", "-terraform", tfExample+"plan-caa-letsencrypt.json", "-zones", dir, "-now", at0401)
	assert.Equal(t, 0, code, errs)
	assert.Contains(t, out, "this plan breaks no renewal\n")
	assert.Contains(t, out, "  aws_acm_certificate.www does not renew before the plan either, so it is not the plan's doing: expires on 2026-09-06 because CAA forbids Amazon")

	code, out, errs = renewsim(t, "check", "-terraform", tfExample+"plan-harmless.json", "-zones", dir, "-now", at0401)
	assert.Equal(t, 1, code, errs)
	assert.True(t, strings.HasPrefix(out, "this plan breaks the renewal of 1 certificate\n\n✗ aws_acm_certificate.api  api.example.com\n"+
		"    after the plan: expires on 2026-10-16 because CAA forbids Amazon"), out)
	assert.Contains(t, out, "    before the plan: it did not exist (the plan creates it)\n")
}

// terraform.tfstate and terraform show -json of the same state give the
// same verdicts, byte for byte but for the file names.
func TestCheckCodeStateForms(t *testing.T) {
	for _, pair := range [][2]string{
		{tfExample + "terraform.tfstate", tfExample + "state.json"},
		{tfData + "modules-state.tfstate", tfData + "modules-state.json"},
	} {
		var outs [2]string
		for i, file := range pair {
			code, out, errs := renewsim(t, "check", "-terraform", file, "-now", at0401, "-json")
			assert.Equal(t, 0, code, errs)
			outs[i] = strings.ReplaceAll(out, file, "FILE")
		}
		assert.Equal(t, outs[0], outs[1], pair[0])
		assert.Contains(t, outs[0], `"address": "`)
		assert.NotContains(t, outs[0], `"before"`, "a state has no before")
	}
}

// Unusable input: exit 2, every problem of every file (the code's and the
// exports') with its file and its line and column or JSON path; nothing is
// printed or written.
func TestCheckCodeUnusableInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "describe.json")
	require.NoError(t, os.WriteFile(bad, []byte(`{"Certificate": []}`), 0o644))
	junit := filepath.Join(dir, "junit.xml")
	code, out, errs := renewsim(t, "check", "-terraform", tfData+"malformed.tfstate", "-terraform", tfData+"truncated-plan.json", "-terraform", tfData+"bad-values.tfstate",
		"-cloudformation", filepath.Join(dir, "missing.yaml"), "-acm", bad, "-now", at0401, "-junit", junit)
	assert.Equal(t, 2, code)
	assert.Empty(t, out)
	assert.Equal(t, "renewsim: unusable input:\n"+strings.Join([]string{
		tfData + "bad-values.tfstate: $.resources[1].instances[0].attributes.arn: want an ACM certificate ARN like arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012, got \"arn:aws:acm:us-east-1:123456789012:cert/7b2e9d41\"",
		tfData + "bad-values.tfstate: $.resources[3].instances[0].attributes.subject_alternative_names[1]: want a string, got the number 42",
		tfData + "bad-values.tfstate: $.resources[3].instances[0].attributes.not_after: want an RFC 3339 time like \"2026-09-06T12:00:00Z\", got \"next spring\"",
		tfData + "bad-values.tfstate: $.resources[9].instances[0].attributes.ttl: want a whole number, got \"an hour\"",
		tfData + "bad-values.tfstate: $.resources[10].instances[0].attributes.ttl: want a whole number, got \"an hour\"",
		tfData + "malformed.tfstate:13:1: JSON syntax error: invalid character '<' looking for beginning of object key string",
		tfData + "truncated-plan.json:38:16: truncated JSON: the file ends inside a value (was it cut short?)",
		bad + ": $.Certificate: want an object, got an array",
		filepath.Join(dir, "missing.yaml") + ": no such file or directory",
	}, "\n")+"\n", errs)
	assert.NoFileExists(t, junit)
}

// Flags that do not fit a check of code are usage errors, before anything
// is read; -scenario-out writes the fleet after the change, which run runs
// to the same verdicts; a fleet that spans regions has no one scenario.
func TestCheckCodeFlags(t *testing.T) {
	code, _, errs := renewsim(t, "check", "-terraform", tfExample+"plan-harmless.json", "-shard", "0/2")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "renewsim: check: -shard splits a fleet of exports; a check of -terraform or -cloudformation runs whole")

	file := filepath.Join(t.TempDir(), "after.yaml")
	code, out, errs := renewsim(t, "check", "-terraform", tfExample+"plan-caa-letsencrypt.json", "-now", at0401, "-json", "-scenario-out", file)
	assert.Equal(t, 1, code, errs)
	var doc codeJSON
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	runCode, runOut, runErrs := renewsim(t, "run", "-json", file)
	assert.Equal(t, 1, runCode, "the fleet after the plan: every certificate expires (%s)", runErrs)
	var r runJSON
	require.NoError(t, json.Unmarshal([]byte(runOut), &r))
	require.Len(t, r.Scenarios, 1)
	expired := map[string]time.Time{}
	for _, c := range r.Scenarios[0].Certificates {
		if c.ExpiredAt != nil {
			expired[c.ID] = *c.ExpiredAt
		}
	}
	for _, c := range doc.Certificates {
		require.NotNil(t, c.Date)
		assert.Equal(t, *c.Date, expired[c.ID], c.Address)
	}

	code, _, errs = renewsim(t, "check", "-terraform", tfData+"cloudflare-state.json", "-terraform", tfData+"stale.tfstate", "-now", at0401, "-scenario-out", file+".2")
	assert.Equal(t, 1, code, "the stale certificate is not simulated, so one region has a scenario: %s", errs)
	assert.FileExists(t, file+".2")
	code, _, errs = renewsim(t, "check", "-terraform", tfData+"cloudflare-state.json", "-terraform", tfData+"count-state.tfstate",
		"-terraform", tfData+"modules-state.json", "-acm", "../../examples/fleet/acm/describe-www.example.com.json", "-zones", "../../examples/fleet/zones", "-now", at0401, "-scenario-out", file+".3")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "-scenario-out: the code describes certificates in 2 regions (123456789012/eu-west-1, 123456789012/us-east-1), one scenario each, and a file holds one")
	assert.NoFileExists(t, file+".3")

	// -until is the horizon of both sides; -profile their rules.
	code, doc, _ = checkCode(t, "-terraform", tfExample+"plan-delete-shared-record.json", "-until", "2026-09-10T00:00:00Z")
	assert.Equal(t, 1, code)
	assert.Equal(t, map[string]judged{"aws_acm_certificate.www": {"renews 2026-07-24", "expires 2026-09-06", "breaks"},
		"aws_acm_certificate.wild": {"renews 2026-08-03", "undecided", "unchanged"}}, judgedOf(doc))
	code, doc, _ = checkCode(t, "-terraform", tfExample+"plan-harmless.json", "-profile", "acm-legacy")
	assert.Equal(t, 0, code)
	assert.Equal(t, "created", judgedOf(doc)["aws_acm_certificate.api"].Difference)
}

// -alarms judges the alert rules on every fleet; an alarm naming a
// certificate the plan deletes is left out after the change, not an error.
func TestCheckCodeAlarms(t *testing.T) {
	file := writeScenario(t, "alarms.yaml", "alarms:\n  - name: days-30\n    metric: {threshold: 30}\n  - name: apex-only\n    config: {}\n    certs: [example-com]\n")
	code, out, errs := renewsim(t, "check", "-terraform", tfExample+"plan-delete-shared-record.json", "-now", at0401, "-alarms", file)
	assert.Equal(t, 1, code, errs)
	assert.Contains(t, out, "    alarm days-30: warns in time: fires 2026-08-07, 30d23h59m59s before it breaks on 2026-09-06\n")
	assert.NotContains(t, out, "alarm apex-only", "apex is deleted")
	code, _, errs = renewsim(t, "check", "-terraform", tfExample+"plan-delete-shared-record.json", "-now", at0401,
		"-alarms", writeScenario(t, "typo.yaml", "alarms:\n  - name: x\n    config: {}\n    certs: [nowhere]\n"))
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, `has no certificate "nowhere"`)
}

// Same inputs, same bytes, at any GOMAXPROCS: text, JSON, JUnit,
// Markdown and the fleet page.
func TestCheckCodeDeterministic(t *testing.T) {
	prev := runtime.GOMAXPROCS(0)
	defer runtime.GOMAXPROCS(prev)
	var first map[string]string
	for _, procs := range []int{1, 2, 2} {
		runtime.GOMAXPROCS(procs)
		dir := t.TempDir()
		args := []string{"check", "-terraform", tfExample + "plan-delete-shared-record.json", "-terraform", tfData + "stale.tfstate", "-now", at0401,
			"-junit", filepath.Join(dir, "junit.xml"), "-markdown", filepath.Join(dir, "check.md"), "-report", filepath.Join(dir, "page")}
		_, text, errs := renewsim(t, args...)
		require.Empty(t, errs)
		got := map[string]string{"text": text}
		for _, f := range []string{"junit.xml", "check.md", "page/index.html", "page/results.json", "page/events.jsonl", "page/fleet-timeline.svg"} {
			b, err := os.ReadFile(filepath.Join(dir, f))
			require.NoError(t, err)
			got[f] = string(b)
		}
		if first == nil {
			first = got
			continue
		}
		for k, v := range first {
			assert.Equal(t, v, got[k], k)
		}
	}
}

// -report writes the fleet page of the fleet after the change with the
// verdicts before it, results.json is the -json document, and the JUnit
// validates against the schema CI servers use.
func TestCheckCodeReport(t *testing.T) {
	dir := t.TempDir()
	page := filepath.Join(dir, "page")
	junit := filepath.Join(dir, "junit.xml")
	args := []string{"check", "-terraform", tfExample + "plan-delete-shared-record.json", "-now", at0401}
	_, want, _ := renewsim(t, append(args, "-json")...)
	code, _, errs := renewsim(t, append(args, "-report", page, "-junit", junit)...)
	assert.Equal(t, 1, code, errs)
	results, err := os.ReadFile(filepath.Join(page, "results.json"))
	require.NoError(t, err)
	assert.Equal(t, want, string(results))
	html, err := os.ReadFile(filepath.Join(page, "index.html"))
	require.NoError(t, err)
	rows, external := pageRows(t, html)
	assert.Empty(t, external)
	assert.Equal(t, []string{"row-www-example-com", "row-wildcard-example-com"}, rows)
	for _, s := range []string{`<h2 id="change">this plan breaks the renewal of 2 certificates</h2>`, "<th>Before</th>",
		"<code>aws_acm_certificate.www</code>", "deletes aws_acm_certificate.apex", "attempt N: example.com not validated"} {
		assert.Contains(t, string(html), s)
	}
	events, err := os.ReadFile(filepath.Join(page, "events.jsonl"))
	require.NoError(t, err)
	assert.Contains(t, string(events), `"scenario":"fleet-123456789012-us-east-1"`)
	x, err := os.ReadFile(junit)
	require.NoError(t, err)
	assert.Equal(t, 2, strings.Count(string(x), "<failure "))
	junitschema.Validate(t, junit)
}

// The three example plans' text, JSON and Markdown are golden files; the
// JUnit of each validates against the schema. Refresh with:
// go test ./cmd/renewsim -run TestCheckCodeGolden -update
func TestCheckCodeGolden(t *testing.T) {
	for _, tc := range []struct {
		plan string
		exit int
	}{{"plan-harmless", 0}, {"plan-delete-shared-record", 1}, {"plan-caa-letsencrypt", 1}} {
		t.Run(tc.plan, func(t *testing.T) {
			// The path as the README and docs/check.md show it, from the
			// repository's root.
			t.Chdir(repoRoot)
			dir := t.TempDir()
			md, junit := filepath.Join(dir, "check.md"), filepath.Join(dir, "junit.xml")
			args := []string{"check", "-terraform", "examples/terraform/" + tc.plan + ".json", "-now", at0401}
			code, text, errs := renewsim(t, append(args, "-markdown", md, "-junit", junit)...)
			assert.Equal(t, tc.exit, code, errs)
			assert.Empty(t, errs)
			_, js, _ := renewsim(t, append(args, "-json")...)
			mdText, err := os.ReadFile(md)
			require.NoError(t, err)
			what := "the check of " + tc.plan
			t.Chdir("cmd/renewsim")
			goldenOf(t, "TestCheckCodeGolden", what, "check-"+tc.plan+".golden", text)
			goldenOf(t, "TestCheckCodeGolden", what, "check-"+tc.plan+".json.golden", js)
			goldenOf(t, "TestCheckCodeGolden", what, "check-"+tc.plan+".md", string(mdText))
			junitschema.Validate(t, junit)
		})
	}
}

// Code that spans regions is checked region by region and reported as one
// fleet: the header lists the regions, the page tells each failing
// certificate's story from its own region's run, and events.jsonl holds
// both runs.
func TestCheckCodeRegions(t *testing.T) {
	page := filepath.Join(t.TempDir(), "page")
	args := []string{"-terraform", tfExample + "plan-delete-shared-record.json", "-terraform", tfData + "cloudflare-state.json"}
	code, doc, errs := checkCode(t, append(args, "-report", page)...)
	assert.Equal(t, 1, code, errs)
	assert.Equal(t, "eu-west-1, us-east-1", doc.Region)
	assert.Equal(t, []string{"aws_acm_certificate.www", "aws_acm_certificate.wild"}, doc.Breaks)
	assert.Equal(t, judged{"expires 2026-09-15", "expires 2026-09-15", "unchanged"}, judgedOf(doc)["aws_acm_certificate.status"],
		"expires before and after: not the plan's doing")
	events, err := os.ReadFile(filepath.Join(page, "events.jsonl"))
	require.NoError(t, err)
	assert.Contains(t, string(events), `"scenario":"fleet-123456789012-eu-west-1"`)
	assert.Contains(t, string(events), `"scenario":"fleet-123456789012-us-east-1"`)
	html, err := os.ReadFile(filepath.Join(page, "index.html"))
	require.NoError(t, err)
	assert.Equal(t, 1+3, strings.Count(string(html), "<svg"), "the fleet timeline and each of the 3 failing certificates' own, from its region's run")
	assert.Contains(t, string(html), "attempt N: status.example.net not validated")
	_, out, _ := renewsim(t, append(append([]string{"check"}, args...), "-now", at0401)...)
	assert.Contains(t, out, "\nafter the plan: 5 certificates of account 123456789012 in eu-west-1, us-east-1, from 2026-04-01 to 2028-03-31 under acm-cabf\n")
	assert.Contains(t, out, "  aws_acm_certificate.status does not renew before the plan either, so it is not the plan's doing")
}

// Every fleet runs over one horizon: the longest any of them needs. An
// imported certificate valid until 2030 in us-east-1 stretches the eu-west-1
// fleet's horizon too, before and after the plan alike.
func TestCheckCodeOneHorizon(t *testing.T) {
	src, err := os.ReadFile("../../examples/fleet/acm/describe-legacy.example.com.json")
	require.NoError(t, err)
	imported := strings.NewReplacer(`"NotAfter": "2026-06-01T00:00:00+00:00"`, `"NotAfter": "2030-06-01T00:00:00+00:00"`).Replace(string(src))
	file := filepath.Join(t.TempDir(), "legacy.json")
	require.NoError(t, os.WriteFile(file, []byte(imported), 0o644))
	_, out, errs := renewsim(t, "check", "-terraform", tfExample+"plan-delete-shared-record.json", "-terraform", tfData+"cloudflare-state.json",
		"-acm", file, "-now", at0401, "-json")
	require.Empty(t, errs)
	var doc struct {
		Until        time.Time `json:"until"`
		Certificates []struct {
			Address  string      `json:"address"`
			Renewals []time.Time `json:"renewals"`
		} `json:"certificates"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	assert.True(t, doc.Until.After(time.Date(2030, 6, 1, 0, 0, 0, 0, time.UTC)), "the imported certificate's expiry is in the horizon: %s", doc.Until)
	for _, c := range doc.Certificates {
		if c.Address == "aws_acm_certificate.docs" {
			require.NotEmpty(t, c.Renewals)
			assert.True(t, c.Renewals[len(c.Renewals)-1].After(time.Date(2029, 1, 1, 0, 0, 0, 0, time.UTC)), "eu-west-1 runs to the same horizon: %v", c.Renewals)
		}
	}
}

package iac_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/renewsim/renewsim/fleet"
	"github.com/renewsim/renewsim/iac"
)

const tfData = "testdata/terraform/"

// A raw terraform.tfstate and terraform show -json of the same state give
// the same fleet: the same scenario, byte for byte but for the file names
// in its comments, and the same certificates.
func TestStateFormsGiveTheSameFleet(t *testing.T) {
	for _, pair := range [][2]string{
		{tfExample + "terraform.tfstate", tfExample + "state.json"},
		{tfData + "modules-state.tfstate", tfData + "modules-state.json"},
	} {
		var yamls [2]string
		var certs [2][]iac.Certificate
		for i, file := range pair {
			fs := load(t, iac.Input{Terraform: []string{file}}, nil)
			require.Len(t, fs.Regions, 1)
			p, err := fleet.Build(fs.Regions[0].After, fleet.Options{Now: now})
			require.NoError(t, err)
			yamls[i] = strings.ReplaceAll(string(p.YAML), file, "FILE")
			for _, c := range fs.Certificates {
				cp := *c
				cp.Source = ""
				certs[i] = append(certs[i], cp)
			}
		}
		assert.Equal(t, yamls[0], yamls[1], pair[0])
		assert.Equal(t, certs[0], certs[1], pair[0])
		assert.NotEmpty(t, certs[0])
	}
}

// Every trap, with its verdicts before and after and what each planned
// change does.
func TestTerraformTraps(t *testing.T) {
	renews := func(date, record string) outcome {
		return outcome{fleet.VerdictRenews, date, "its validation CNAME " + record + " is in place"}
	}
	cdn := renews("2026-08-02", "_dc479c4b38694446fc494a8e42be7429.cdn.example.org.")
	shop := renews("2026-08-02", "_455b8de9c413551d10b72872f5839e60.shop.example.org.")
	app := renews("2026-08-02", "_628672df44a66be417f9722083a7c177.app.example.org.")
	lookedUp := outcome{fleet.VerdictCannotTell, "", "data.aws_acm_certificate.legacy only looks the certificate up (its ARN, name and status); its dates and validation are not in the code"}
	for _, tc := range []struct {
		name          string
		files         []string
		before, after map[string]outcome
		effects       []effect
		notes         map[string][]string // certificate notes, by address
	}{
		{name: "modules and for_each: a certificate created in a module, validated by the module's records, put on the listener by the root's for_each",
			files:  []string{"modules-plan.json"},
			before: map[string]outcome{`module.edge.aws_acm_certificate.this["cdn"]`: cdn, `module.edge.aws_acm_certificate.this["shop"]`: shop},
			after: map[string]outcome{`module.edge.aws_acm_certificate.this["cdn"]`: cdn, `module.edge.aws_acm_certificate.this["shop"]`: shop,
				`module.edge.aws_acm_certificate.this["blog"]`: renews("2026-09-01", "_24ffc53eaa27247ce7d3cb2521ed4b9d.blog.example.org.")},
			effects: []effect{
				{`aws_lb_listener_certificate.others["blog"]`, iac.ActionCreate, `puts module.edge.aws_acm_certificate.this["blog"] on load balancer listener certificate aws_lb_listener_certificate.others["blog"]`, []string{`module.edge.aws_acm_certificate.this["blog"]`}},
				{`module.edge.aws_acm_certificate.this["blog"]`, iac.ActionCreate, `requests a certificate for blog.example.org; created by the change and validated (blog.example.org by module.edge.aws_route53_record.validation["blog.example.org"]): it stands as issued at -now, for the profile's lifetime`, []string{`module.edge.aws_acm_certificate.this["blog"]`}},
				{`module.edge.aws_route53_record.validation["blog.example.org"]`, iac.ActionCreate, `creates the validation record _24ffc53eaa27247ce7d3cb2521ed4b9d.blog.example.org that module.edge.aws_acm_certificate.this["blog"] validates with`, []string{`module.edge.aws_acm_certificate.this["blog"]`}},
			}},
		{name: "count: records indexed over the options, in an order known at apply, cover the names between them",
			files:  []string{"count-plan.json"},
			before: map[string]outcome{"aws_acm_certificate.app": app},
			after:  map[string]outcome{"aws_acm_certificate.app": app, "aws_acm_certificate.api": renews("2026-09-01", "_c38fa3b9fbf1da0e699709768cbde982.api.example.org., _14b8ae92e75a0c7aad9b0ef005f38811.v2.api.example.org.")},
			notes:  map[string][]string{"aws_acm_certificate.api": {"created by the change and validated (api.example.org by aws_route53_record.api_validation[0]; v2.api.example.org by aws_route53_record.api_validation[1]): it stands as issued at -now, for the profile's lifetime"}},
		},
		{name: "count in a state: the record at index 0 validates both names of the certificate (a wildcard and its base)",
			files: []string{"count-state.tfstate"},
			after: map[string]outcome{"aws_acm_certificate.app": app}},
		{name: "Cloudflare holds the validation records: v4 and v5 resources; a proxied record answers with Cloudflare's addresses, not the CNAME",
			files: []string{"cloudflare-state.json"},
			after: map[string]outcome{
				"aws_acm_certificate.docs":   renews("2026-08-02", "_9e4d4c199e705ca5bcec05c3190c13b0.docs.example.net."),
				"aws_acm_certificate.wiki":   renews("2026-08-02", "_0ac5b129d62ce22a88856a9f32ff5d27.wiki.example.net."),
				"aws_acm_certificate.status": {fleet.VerdictExpires, "2026-09-15", "CNAME missing: _97c2d178d5353a52e98bef0f734cf4a5.status.example.net. exists but has no CNAME (NODATA)"},
			}},
		{name: "unknown values: the records come from a local value the plan's configuration does not spell out",
			files:  []string{"unknown-plan.json"},
			before: map[string]outcome{"aws_acm_certificate.app": app},
			after: map[string]outcome{"aws_acm_certificate.app": app,
				"aws_acm_certificate.pay": {fleet.VerdictCannotTell, "", `known after apply: aws_route53_record.validation["pay"], created by the change, may be the validation record of pay.example.org, but its name, records (from local.validation, which the plan's configuration does not spell out)`}},
		},
		{name: "a certificate nothing validates never issues; the listener moved to it leaves the old one attached to nothing",
			files:  []string{"never-issues-plan.json"},
			before: map[string]outcome{"aws_acm_certificate.old": app},
			after: map[string]outcome{
				"aws_acm_certificate.old": {fleet.VerdictExpires, "2026-09-15", "not in use: nothing uses it and it was not exported since it was last issued, so ACM never tries to renew it (and sends no notice)"},
				"aws_acm_certificate.new": {fleet.VerdictNotIssued, "", "status PENDING_VALIDATION: it was never issued (or no longer is), so there is nothing to renew"},
			},
			effects: []effect{
				{"aws_acm_certificate.new", iac.ActionCreate, "requests a certificate for new.example.org; created by the change, but nothing creates the validation record of new.example.org and none is in place: ACM never issues it (the request times out after 72 hours)", []string{"aws_acm_certificate.new"}},
				{"aws_acm_certificate_validation.new", iac.ActionCreate, "waits for aws_acm_certificate.new to be issued, but nothing validates it: terraform apply fails when the wait times out (75 minutes by default)", []string{"aws_acm_certificate.new"}},
				{"aws_lb_listener.https", iac.ActionUpdate, "moves load balancer listener aws_lb_listener.https from aws_acm_certificate.old to aws_acm_certificate.new", []string{"aws_acm_certificate.old", "aws_acm_certificate.new"}},
				{"aws_lb_listener.https", iac.ActionUpdate, "leaves aws_acm_certificate.old attached to nothing: ACM does not renew a certificate nothing uses (and sends no notice)", []string{"aws_acm_certificate.old"}},
			}},
		{name: "a stale state: PENDING_VALIDATION with no not_after, for a certificate a distribution already uses",
			files: []string{"stale.tfstate"},
			after: map[string]outcome{"aws_acm_certificate.cdn": {fleet.VerdictCannotTell, "", "stale state: Terraform recorded it as PENDING_VALIDATION with no not_after (the state was written right after it was requested), yet CloudFront distribution aws_cloudfront_distribution.www already uses it, so it has most likely been issued since; renewsim does not invent its dates"}}},
		{name: "a replacement Terraform destroys first while a listener uses it; a certificate only looked up by a data source",
			files:  []string{"replace-plan.json"},
			before: map[string]outcome{"aws_acm_certificate.app": app, "data.aws_acm_certificate.legacy": lookedUp},
			after: map[string]outcome{"data.aws_acm_certificate.legacy": lookedUp,
				"aws_acm_certificate.app": {fleet.VerdictNotIssued, "", "status PENDING_VALIDATION: it was never issued (or no longer is), so there is nothing to renew"}},
			effects: []effect{
				{"aws_acm_certificate.app", iac.ActionReplace, "replaces aws_acm_certificate.app: the new certificate has a new ARN and must be validated again; created by the change, but nothing creates the validation record of www.app.example.org and none is in place: ACM never issues it (the request times out after 72 hours); it destroys the old one first, which ACM refuses while load balancer listener aws_lb_listener.https uses it (ResourceInUseException): add lifecycle { create_before_destroy = true }", []string{"aws_acm_certificate.app"}},
				{Address: "aws_lb_listener.https", Kind: iac.ActionUpdate},
			}},
		{name: "several root modules form one fleet: the same address in two files is told apart by its file",
			files: []string{"count-state.tfstate", "modules-state.json"},
			after: map[string]outcome{"aws_acm_certificate.app": app, `module.edge.aws_acm_certificate.this["cdn"]`: cdn, `module.edge.aws_acm_certificate.this["shop"]`: shop}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var in iac.Input
			for _, f := range tc.files {
				in.Terraform = append(in.Terraform, tfData+f)
			}
			fs := load(t, in, nil)
			before, after := judgeAll(t, fs)
			if tc.before == nil {
				tc.before = map[string]outcome{}
			}
			assert.Equal(t, tc.before, before)
			assert.Equal(t, tc.after, after)
			if tc.effects != nil {
				assert.Equal(t, tc.effects, effects(fs))
			}
			for addr, want := range tc.notes {
				var got []string
				for _, c := range fs.Certificates {
					if c.Address == addr {
						got = c.Notes
					}
				}
				assert.Equal(t, want, got, addr)
			}
		})
	}
}

// A certificate the plan creates stands under a placeholder ARN in the
// account and region of the others; the records the plan makes for it
// carry the same placeholder name and value.
func TestCreatedCertificate(t *testing.T) {
	fs := load(t, iac.Input{Terraform: []string{tfData + "count-plan.json"}}, nil)
	var api *iac.Certificate
	for _, c := range fs.Certificates {
		if c.Address == "aws_acm_certificate.api" {
			api = c
		}
	}
	require.NotNil(t, api)
	assert.True(t, api.Placeholder)
	assert.Equal(t, "arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-4000-8000-29500f027009", api.ARN)
	assert.Equal(t, iac.ActionCreate, api.Action)
	assert.True(t, api.After)
	assert.False(t, api.Before)
	require.Len(t, fs.Regions, 1)
	c := fs.Regions[0].After.Certificate(api.ARN)
	require.NotNil(t, c)
	assert.Equal(t, "ISSUED", c.Status)
	assert.Equal(t, now, c.NotBefore)
	assert.Equal(t, "2026-10-16", c.NotAfter.Format("2006-01-02"), "the profile's 198 days")
	rec := c.Validation("v2.api.example.org").Record
	var zone *fleet.Zone
	for _, z := range fs.Regions[0].After.Zones {
		if z.Contains(rec.Name) {
			zone = z
		}
	}
	require.NotNil(t, zone)
	rrs := zone.RecordsAt(rec.Name)
	require.Len(t, rrs, 1)
	assert.Contains(t, rrs[0].String(), rec.Value)
	assert.Contains(t, zone.Note(rec.Name), "is created by aws_route53_record.api_validation[1] from the domain_validation_options of aws_acm_certificate.api")
}

// A plan for a configuration with no certificate is fine: no fleets, no
// certificates, nothing to judge.
func TestPlanWithoutCertificates(t *testing.T) {
	fs := load(t, iac.Input{Terraform: []string{tfData + "no-certificate-plan.json"}}, nil)
	assert.True(t, fs.Change)
	assert.Empty(t, fs.Regions)
	assert.Empty(t, fs.Certificates)
	assert.Empty(t, fs.Actions, "the bucket bears on no certificate")
}

// Unusable input: every problem, with its file and its line and column
// or JSON path; nothing is returned.
func TestTerraformProblems(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
		return p
	}
	for _, tc := range []struct {
		name  string
		files []string
		want  string
	}{
		{"syntax", []string{tfData + "malformed.tfstate"},
			tfData + "malformed.tfstate:13:1: JSON syntax error: invalid character '<' looking for beginning of object key string"},
		{"truncated", []string{tfData + "truncated-plan.json"},
			tfData + "truncated-plan.json:38:16: truncated JSON: the file ends inside a value (was it cut short?)"},
		{"values", []string{tfData + "bad-values.tfstate"}, strings.Join([]string{
			tfData + `bad-values.tfstate: $.resources[1].instances[0].attributes.arn: want an ACM certificate ARN like arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012, got "arn:aws:acm:us-east-1:123456789012:cert/7b2e9d41"`,
			tfData + `bad-values.tfstate: $.resources[3].instances[0].attributes.subject_alternative_names[1]: want a string, got the number 42`,
			tfData + `bad-values.tfstate: $.resources[3].instances[0].attributes.not_after: want an RFC 3339 time like "2026-09-06T12:00:00Z", got "next spring"`,
			tfData + `bad-values.tfstate: $.resources[9].instances[0].attributes.ttl: want a whole number, got "an hour"`,
			tfData + `bad-values.tfstate: $.resources[10].instances[0].attributes.ttl: want a whole number, got "an hour"`,
		}, "\n")},
		{"several files, each problem", []string{write("empty.json", " \n"), write("list.json", "[1, 2]"), write("other.json", `{"CertificateSummaryList": []}`),
			write("v3.tfstate", `{"version": 3, "terraform_version": "0.11.14", "serial": 1, "modules": []}`),
			write("future.json", `{"format_version": "2.0", "terraform_version": "2.0.0", "planned_values": {}}`),
			write("actions.json", `{"format_version": "1.2", "resource_changes": [{"address": "a.b", "type": "a", "name": "b", "change": {"actions": "create"}}]}`)},
			strings.Join([]string{
				dir + "/actions.json:1:123: $.resource_changes.change.actions: want an array, got a JSON string",
				dir + "/empty.json: empty file: want the output of terraform show -json (a plan or a state) or a terraform.tfstate file",
				dir + `/future.json: $.format_version: unsupported plan format version: "2.0.0" does not satisfy ">= 0.1, < 2.0"`,
				dir + "/list.json: $: want the output of terraform show -json (a plan or a state) or a terraform.tfstate file: a JSON object, got an array",
				dir + `/other.json: $: not a Terraform plan or state: want the output of terraform show -json (a plan or a state) or a terraform.tfstate file ("format_version", or "version": 4 and "resources"); got an object with keys CertificateSummaryList`,
				dir + "/v3.tfstate: $.version: state format version 3: renewsim reads version 4 (Terraform 0.12 and later); run terraform show -json and give its output instead",
			}, "\n")},
		{"missing", []string{filepath.Join(dir, "nothing.json")}, filepath.Join(dir, "nothing.json") + ": no such file or directory"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := iac.Read(iac.Input{Terraform: tc.files})
			require.Error(t, err)
			assert.Nil(t, m)
			var probs fleet.Problems
			require.ErrorAs(t, err, &probs)
			assert.Equal(t, tc.want, err.Error())
		})
	}
}

// The code combines with the exports: a certificate outside the code that
// validates with a record the plan destroys breaks too, and is named; a
// certificate both describe takes the export's view, with the users the
// code manages as the change leaves them; the exported zone replaces the
// note that only the code's records are known.
func TestCombinedWithExports(t *testing.T) {
	base, err := fleet.Read(fleet.Input{ACM: []string{"testdata/exports/acm"}, Zones: []fleet.ZoneSource{{Path: "testdata/exports/zones"}}})
	require.NoError(t, err)
	fs := load(t, iac.Input{Terraform: []string{tfExample + "plan-delete-shared-record.json"}}, base)
	const outside = "arn:aws:acm:us-east-1:123456789012:certificate/9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a"
	before, after := judgeAll(t, fs)
	assert.Equal(t, map[string]outcome{"aws_acm_certificate.www": renewsWWW, "aws_acm_certificate.wild": renewsWild, "aws_acm_certificate.apex": renewsApex,
		outside: {fleet.VerdictRenews, "2026-08-21", "its validation CNAME _4f1d7c2a9b3e8d6f0a5c1b7e2d9f3a4c.example.com., _c1e3a5b7d9f2a4c6e8b0d1f3a5c7e9b2.intranet.example.com. is in place"}}, before)
	missing := "CNAME missing: _4f1d7c2a9b3e8d6f0a5c1b7e2d9f3a4c.example.com. does not exist (NXDOMAIN) (3 certificates rely on it: wildcard-example-com, example-com, www-example-com)"
	assert.Equal(t, map[string]outcome{
		"aws_acm_certificate.www":  {fleet.VerdictExpires, "2026-09-06", "example.com: " + missing},
		"aws_acm_certificate.wild": {fleet.VerdictExpires, "2026-09-16", "*.example.com, example.com: " + missing},
		outside:                    {fleet.VerdictExpires, "2026-10-04", "example.com: " + missing},
	}, after)
	assert.Contains(t, effects(fs), effect{`aws_route53_record.validation["example.com"]`, iac.ActionDelete,
		"destroys the validation record _4f1d7c2a9b3e8d6f0a5c1b7e2d9f3a4c.example.com that aws_acm_certificate.apex, .wild, .www and the certificate of example.com (" + outside + ") validate with",
		[]string{"aws_acm_certificate.apex", "aws_acm_certificate.wild", "aws_acm_certificate.www", outside}})
	assert.Empty(t, fs.Notes)
	www := fs.Regions[0].After.Certificate("arn:aws:acm:us-east-1:123456789012:certificate/1f0c3b7e-5a4d-4c1e-9b2a-6d8e0f4a1c21")
	require.NotNil(t, www)
	assert.Equal(t, "aws_acm_certificate.www", www.Address)
	assert.Equal(t, []string{"arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/intranet/7e6d5c4b3a291807",
		"arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web-prod/8f3a1c2b4d5e6f70"}, www.InUseBy, "the export's users outside the code, then the code's")
}

// A fleet that spans regions is split: a certificate in us-east-1 beside
// others in eu-west-1.
func TestRegionsSplit(t *testing.T) {
	fs := load(t, iac.Input{Terraform: []string{tfData + "cloudflare-state.json", tfData + "stale.tfstate"}}, nil)
	var regions []string
	for _, r := range fs.Regions {
		regions = append(regions, r.Account+"/"+r.Region+":"+strings.Join(certsOf(r.After), ","))
	}
	assert.Equal(t, []string{
		"123456789012/eu-west-1:docs.example.net,status.example.net,wiki.example.net",
		"123456789012/us-east-1:www.example.org",
	}, regions)
}

func certsOf(f *fleet.Fleet) []string {
	var out []string
	for _, c := range f.Certificates {
		out = append(out, c.Domain)
	}
	return out
}

// The same inputs give the same fleets, byte for byte, every time.
func TestDeterministic(t *testing.T) {
	var first []string
	for range 5 {
		fs := load(t, iac.Input{Terraform: []string{tfExample + "plan-harmless.json", tfData + "modules-plan.json", tfData + "cloudflare-state.json"},
			CloudFormation: []string{cfnData + "new"}}, nil)
		var got []string
		for _, r := range fs.Regions {
			for _, f := range []*fleet.Fleet{r.Before, r.After} {
				if iac.Empty(f) {
					continue
				}
				p, err := fleet.Build(f, fleet.Options{Now: now})
				require.NoError(t, err)
				got = append(got, string(p.YAML))
			}
		}
		for _, a := range fs.Actions {
			for _, e := range a.Effects {
				got = append(got, a.Address+": "+e.Text)
			}
		}
		for _, c := range fs.Certificates {
			got = append(got, c.Address+" "+c.ARN+" "+strings.Join(c.Notes, "|"))
		}
		if first == nil {
			first = got
			continue
		}
		require.Equal(t, first, got)
	}
}

// A certificate a data source looks up is settled by its ACM export, and
// named by the data source's address.
func TestDataSourceWithExport(t *testing.T) {
	dir := t.TempDir()
	const arn = "arn:aws:acm:eu-west-1:123456789012:certificate/0f0f0f0f-0000-4000-8000-0000000000b2"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "legacy.json"), []byte(`{"Certificate": {"CertificateArn": "`+arn+`", "DomainName": "legacy.example.org",
  "DomainValidationOptions": [{"DomainName": "legacy.example.org", "ValidationMethod": "DNS", "ResourceRecord": {"Name": "_a1.legacy.example.org.", "Type": "CNAME", "Value": "_b2.xyz.acm-validations.aws."}}],
  "Status": "ISSUED", "Type": "AMAZON_ISSUED", "NotBefore": "2026-03-01T00:00:00Z", "NotAfter": "2026-09-15T23:59:59Z", "InUseBy": [], "RenewalEligibility": "ELIGIBLE"}}`), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "db.example.org"), []byte("$ORIGIN example.org.\n@ 300 IN SOA ns h 1 2 3 4 5\n_a1.legacy 300 IN CNAME _b2.xyz.acm-validations.aws.\n"), 0o644))
	base, err := fleet.Read(fleet.Input{ACM: []string{filepath.Join(dir, "legacy.json")}, Zones: []fleet.ZoneSource{{Path: filepath.Join(dir, "db.example.org")}}})
	require.NoError(t, err)
	fs := load(t, iac.Input{Terraform: []string{tfData + "replace-plan.json"}}, base)
	before, _ := judgeAll(t, fs)
	assert.Equal(t, outcome{fleet.VerdictRenews, "2026-08-02", "its validation CNAME _a1.legacy.example.org. is in place"}, before["data.aws_acm_certificate.legacy"],
		"the listener certificate the code manages puts it in use")
	for _, c := range fs.Certificates {
		if c.Address == "data.aws_acm_certificate.legacy" {
			assert.Equal(t, []string{"looked up by data.aws_acm_certificate.legacy; the ACM export describes it"}, c.Notes)
		}
	}
}

// A Route 53 alias record stands in the zone with a documentation
// address, and says so.
func TestAliasRecord(t *testing.T) {
	fs := load(t, iac.Input{Terraform: []string{tfData + "count-state.tfstate"}}, nil)
	require.Len(t, fs.Regions, 1)
	var zone *fleet.Zone
	for _, z := range fs.Regions[0].After.Zones {
		zone = z
	}
	require.NotNil(t, zone)
	rrs := zone.RecordsAt("www.app.example.org")
	require.Len(t, rrs, 1)
	assert.Equal(t, "www.app.example.org.\t300\tIN\tA\t192.0.2.1", rrs[0].String())
	assert.Equal(t, "www.app.example.org. A is a Route 53 alias to edge-1234567890.eu-west-1.elb.amazonaws.com (aws_route53_record.www): a documentation address stands for its addresses", zone.Note("www.app.example.org"))
}

// An account configuration given without any ACM export names no region:
// it applies to every region of the code (DaysBeforeExpiry reaches each
// fleet), with a note when there are several, rather than to none.
func TestAccountConfigWithoutExports(t *testing.T) {
	base, err := fleet.Read(fleet.Input{Account: "../examples/fleet/account-config.json", ACMOptional: true})
	require.NoError(t, err)
	require.NotNil(t, base.Account)
	fs := load(t, iac.Input{Terraform: []string{tfData + "cloudflare-state.json", tfData + "stale.tfstate"}}, base)
	require.Len(t, fs.Regions, 2)
	for _, r := range fs.Regions {
		require.NotNil(t, r.After.Account, r.Region)
		assert.Equal(t, 50, r.After.Account.DaysBeforeExpiry, r.Region)
	}
	assert.Contains(t, fs.Notes, "the account configuration (DaysBeforeExpiry 50) names no region, and no ACM export does: it applies to every region of the code")

	fs = load(t, iac.Input{Terraform: []string{tfExample + "plan-harmless.json"}}, base)
	require.Len(t, fs.Regions, 1)
	assert.Equal(t, 50, fs.Regions[0].Before.Account.DaysBeforeExpiry)
	assert.Equal(t, 50, fs.Regions[0].After.Account.DaysBeforeExpiry)
	for _, n := range fs.Notes {
		assert.NotContains(t, n, "account configuration", "one region: nothing to say")
	}
}

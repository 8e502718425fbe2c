package iac_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/renewsim/renewsim/fleet"
	"github.com/renewsim/renewsim/iac"
)

const cfnData = "testdata/cloudformation/"

// The stack-deletion trap: removing a certificate whose
// DomainValidationOptions name a HostedZoneId removes the validation
// records CloudFormation made for it, which another certificate, outside
// the stack, validates with.
func TestStackDeletion(t *testing.T) {
	dir := cfnData + "stack-deletion/"
	base, err := fleet.Read(fleet.Input{ACM: []string{dir + "acm"}, Zones: []fleet.ZoneSource{{Path: dir + "zones"}}})
	require.NoError(t, err)
	fs := load(t, iac.Input{CloudFormation: []string{dir}}, base)
	const apex = "arn:aws:acm:us-east-1:123456789012:certificate/2f8b5d3e-1c4a-4f6b-9d8e-7a6f5e4d3c2b"
	before, after := judgeAll(t, fs)
	assert.Equal(t, map[string]outcome{
		"legacy/Certificate": {fleet.VerdictRenews, "2026-08-06", "its validation CNAME _9b1d3f5a7c2e4b6d8f0a1c3e5b7d9f2a.www.example.com., _51c9e7a3b5d1f2e4a6c8b0d2f4e6a8c1.example.com. is in place"},
		apex:                 {fleet.VerdictRenews, "2026-08-11", "its validation CNAME _51c9e7a3b5d1f2e4a6c8b0d2f4e6a8c1.example.com. is in place"},
	}, before)
	assert.Equal(t, map[string]outcome{
		apex: {fleet.VerdictExpires, "2026-09-24", "CNAME missing: _51c9e7a3b5d1f2e4a6c8b0d2f4e6a8c1.example.com. does not exist (NXDOMAIN)"},
	}, after)
	assert.Equal(t, []effect{
		{"legacy/Certificate", iac.ActionDelete, "deletes legacy/Certificate", []string{"legacy/Certificate"}},
		{"legacy/Certificate", iac.ActionDelete, "deletes with the certificate the validation record _51c9e7a3b5d1f2e4a6c8b0d2f4e6a8c1.example.com that legacy/Certificate and the certificate of example.com (" + apex + ") validate with", []string{"legacy/Certificate", apex}},
		{"legacy/Certificate", iac.ActionDelete, "deletes with the certificate the validation record _9b1d3f5a7c2e4b6d8f0a1c3e5b7d9f2a.www.example.com that legacy/Certificate validates with", []string{"legacy/Certificate"}},
		{"legacy/Listener", iac.ActionDelete, "deletes load balancer listener legacy/Listener, which serves legacy/Certificate", []string{"legacy/Certificate"}},
	}, effects(fs))
}

// A change set that creates a stack: a certificate whose records
// CloudFormation creates (HostedZoneId) is issued; one with nothing to
// create its record never is. A region whose certificates the change all
// creates has an empty fleet before it.
func TestChangeSetCreates(t *testing.T) {
	fs := load(t, iac.Input{CloudFormation: []string{cfnData + "new"}}, nil)
	require.Len(t, fs.Regions, 1)
	assert.Equal(t, "210987654321", fs.Regions[0].Account, "the account of the stack's ARN")
	assert.Equal(t, "eu-central-1", fs.Regions[0].Region)
	assert.True(t, iac.Empty(fs.Regions[0].Before))
	_, after := judgeAll(t, fs)
	assert.Equal(t, map[string]outcome{
		"shop/ShopCertificate": {fleet.VerdictRenews, "2026-09-01", "its validation CNAME _1b18499738337c12f3e6bd094507a154.shop.example.org., _15edd2a65299793198d4956942bc459f.cart.example.org. is in place"},
		"shop/BlogCertificate": {fleet.VerdictNotIssued, "", "status PENDING_VALIDATION: it was never issued (or no longer is), so there is nothing to renew"},
	}, after)
	notes := map[string][]string{}
	for _, c := range fs.Certificates {
		notes[c.Address] = c.Notes
	}
	assert.Equal(t, map[string][]string{
		"shop/ShopCertificate": {"created by the change and validated (shop.example.org and cart.example.org by the record CloudFormation creates with it (its DomainValidationOptions name a HostedZoneId)): it stands as issued at -now, for the profile's lifetime"},
		"shop/BlogCertificate": {"created by the change, but nothing creates the validation record of blog.example.org and none is in place: ACM never issues it (the request times out after 72 hours)"},
	}, notes)
}

// A template alone says a certificate exists, not its state: "cannot
// tell", with what would settle it; its ARN (describe-stack-resources) and
// its ACM export settle it.
func TestTemplateWithoutState(t *testing.T) {
	fs := load(t, iac.Input{CloudFormation: []string{"../examples/cloudformation/cdk.out"}}, nil)
	_, after := judgeAll(t, fs)
	assert.Equal(t, map[string]outcome{"web/Certificate4E7ABB08": {fleet.VerdictCannotTell, "", "the template describes web/Certificate4E7ABB08 but not its state (status, dates, validation records)"}}, after)
}

// Unusable CloudFormation input: every problem, with file and line (and
// JSON path where there is one).
func TestCloudFormationProblems(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
		return p
	}
	files := []string{
		write("bad.yaml", "Resources:\n  A:\n    Type: AWS::Route53::RecordSet\n   Properties: {}\n"),
		write("tag.yaml", "Resources:\n  Cert:\n    Type: AWS::CertificateManager::Certificate\n    Properties:\n      DomainName: !Reff Domain\n"),
		write("types.yaml", "Resources:\n  NoType:\n    Properties: {}\n  Cert:\n    Type: AWS::CertificateManager::Certificate\n    Properties:\n      DomainName: not a name\n      ValidationMethod: FAX\n"),
		write("cs.json", `{"StackName": "s", "Changes": [{"Type": "Resource", "ResourceChange": {"Action": "Rename", "LogicalResourceId": "A", "ResourceType": "AWS::Route53::RecordSet"}},
 {"Type": "Resource", "ResourceChange": {"Action": "Remove", "LogicalResourceId": "B", "ResourceType": "AWS::Route53::RecordSet", "BeforeContext": "{not json"}}]}`),
		write("other.json", `{"StackSummaries": []}`),
		write("truncated.json", `{"Resources": {"A": {"Type": "AWS::Route53::HostedZone",`),
	}
	_, err := iac.Read(iac.Input{CloudFormation: files})
	require.Error(t, err)
	assert.Equal(t, strings.Join([]string{
		dir + "/bad.yaml:2: YAML: did not find expected key in the block that starts here (a line below it is indented wrongly?)",
		dir + `/cs.json:1:71: $.Changes[0].ResourceChange.Action: unknown action "Rename" (expected one of: Add, Modify, Remove, Import, Dynamic)`,
		dir + "/cs.json:2:148: $.Changes[1].ResourceChange.BeforeContext: want the resource's properties as a JSON string: invalid character 'n' looking for beginning of object key string",
		dir + `/other.json:1:1: $: not a CloudFormation input: want a template ("Resources"), aws cloudformation describe-change-set output ("Changes") or describe-stack-resources output ("StackResources"); got an object with keys StackSummaries`,
		dir + "/tag.yaml:5:19: $.Resources.Cert.Properties.DomainName: unknown tag !Reff (CloudFormation knows !Ref, !GetAtt, !Sub, !Join, !ImportValue, !Select, !Split, !If and the other intrinsic functions)",
		dir + "/truncated.json:1:57: truncated JSON: the file ends inside a value (was it cut short?)",
		dir + "/types.yaml:3:5: $.Resources.NoType: missing Type",
		dir + `/types.yaml:7:19: $.Resources.Cert.Properties.DomainName: "not a name" is not a valid domain name (want labels of letters, digits and hyphens separated by dots, like example.com or *.example.com)`,
	}, "\n"), err.Error())
}

// A few nested YAML aliases can stand for billions of values: reading
// stops at a bound, with a problem, quickly.
func TestYAMLAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 12; i++ {
		fmt.Fprintf(&b, "a%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d]\n", i, i, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1)
	}
	b.WriteString("Resources: {}\n")
	file := filepath.Join(t.TempDir(), "bomb.yaml")
	require.NoError(t, os.WriteFile(file, []byte(b.String()), 0o644))
	_, err := iac.Read(iac.Input{CloudFormation: []string{file}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "more than 1000000 values (YAML aliases expanding?)")
}

// A change set that replaces a certificate (Replacement: True): the new
// one stands under a new ARN, validated again by the records
// CloudFormation creates; a value renewsim cannot resolve (Fn::If) leaves
// its certificate "cannot tell", with the expression.
func TestChangeSetReplaces(t *testing.T) {
	dir := cfnData + "replace/"
	base, err := fleet.Read(fleet.Input{ACM: []string{dir + "acm"}, Zones: []fleet.ZoneSource{{Path: dir + "example.com.zone"}}})
	require.NoError(t, err)
	fs := load(t, iac.Input{CloudFormation: []string{dir + "api.yaml", dir + "api.changeset.json"}}, base)
	spare := outcome{fleet.VerdictCannotTell, "", `renewsim cannot resolve its DomainName, {"Fn::If":["IsProd","spare.example.com","spare.dev.example.com"]}`}
	before, after := judgeAll(t, fs)
	assert.Equal(t, map[string]outcome{"api/Spare": spare,
		"api/Certificate": {fleet.VerdictRenews, "2026-08-04", "its validation CNAME _e1d2c3b4a5f6e7d8c9b0a1f2e3d4c5b6.api.example.com. is in place"}}, before)
	assert.Equal(t, map[string]outcome{"api/Spare": spare,
		"api/Certificate": {fleet.VerdictRenews, "2026-09-01", "its validation CNAME _e1d2c3b4a5f6e7d8c9b0a1f2e3d4c5b6.api.example.com., _124cab091f06b0376ff7bf1fc5206b60.v2.api.example.com. is in place"}}, after)
	c := fs.Lookup("arn:aws:acm:us-east-1:123456789012:certificate/3a4b5c6d-7e8f-4a9b-8c0d-1e2f3a4b5c6d")
	require.NotNil(t, c, "the ARN before the replacement names the certificate too")
	assert.Equal(t, "api/Certificate", c.Address)
	assert.Same(t, c, fs.Lookup(c.ARN))
	assert.True(t, c.Placeholder)
	assert.Equal(t, iac.ActionReplace, c.Action)
	assert.Equal(t, []effect{
		{"api/Certificate", iac.ActionReplace, "replaces api/Certificate: the new certificate has a new ARN and must be validated again; created by the change and validated (api.example.com and v2.api.example.com by the record CloudFormation creates with it (its DomainValidationOptions name a HostedZoneId)): it stands as issued at -now, for the profile's lifetime", []string{"api/Certificate"}},
		{"api/Certificate", iac.ActionReplace, "creates the validation record _124cab091f06b0376ff7bf1fc5206b60.v2.api.example.com that api/Certificate validates with", []string{"api/Certificate"}},
	}, effects(fs))
}

package iac

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Ref, Fn::GetAtt, Fn::Sub, Fn::Join and Fn::ImportValue are resolved
// where the templates allow, in short and long form; anything else stays
// the expression it was.
func TestIntrinsics(t *testing.T) {
	const web = `
Parameters:
  Domain: {Type: String, Default: example.com}
  NoDefault: {Type: String}
Resources:
  Cert:
    Type: AWS::CertificateManager::Certificate
    Properties: {DomainName: !Sub "www.${Domain}"}
  LB:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
  Probe:
    Type: Custom::Probe
    Properties:
      RefShort: !Ref Cert
      RefLong: {Ref: Cert}
      RefPhysical: !Ref LB
      RefParam: !Ref Domain
      RefNoDefault: !Ref NoDefault
      Pseudo: !Sub "${AWS::Region}/${AWS::AccountId}/${AWS::StackName}/${AWS::Partition}"
      GetAtt: !GetAtt LB.DNSName
      GetAttList: {"Fn::GetAtt": [LB, DNSName]}
      SubVars: !Sub ["_${Hash}.${Domain}.", {Hash: abc123}]
      SubLiteral: !Sub "${!NotAVariable}.${Domain}"
      SubOnly: !Sub "${Cert}"
      SubMixed: !Sub "arn-of-${Cert}"
      Join: !Join [".", [shop, !Ref Domain]]
      JoinUnknown: !Join ["", [!GetAtt LB.DNSName, x]]
      Import: !ImportValue dns-ZoneId
      ImportMissing: !ImportValue nobody-exports-this
      If: !If [IsProd, a, b]
`
	const dns = `
Resources:
  Zone: {Type: AWS::Route53::HostedZone, Properties: {Name: example.com}}
Outputs:
  ZoneId:
    Value: !Ref Zone
    Export: {Name: !Join ["-", [!Ref "AWS::StackName", ZoneId]]}
`
	c := &collector{}
	parse := func(file, text string) *cfnTemplate {
		n := parseCFN(file, []byte(text), c)
		require.NotNil(t, n, "%v", c.err())
		return readTemplate(file, n, c)
	}
	wt, dt := parse("web.yaml", web), parse("dns.yaml", dns)
	require.NoError(t, c.err())
	st := &cfnStack{name: "web", tmpl: wt, physical: map[string]string{"LB": "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/1"},
		region: "eu-west-1", account: "123456789012"}
	x := &cfnExtract{st: st, tmpls: []*cfnTemplate{wt, dt}, c: c, view: wt.res}
	props := wt.res["Probe"].props
	got := map[string]cval{}
	for i, k := range props.keys {
		got[k] = x.resolve(props.vals[i], 0)
	}
	lit := func(s string) cval { return cval{lit: s, isLit: true} }
	assert.Equal(t, map[string]cval{
		"RefShort":      {ref: "web/Cert"},
		"RefLong":       {ref: "web/Cert"},
		"RefPhysical":   {ref: "web/LB", lit: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/1", isLit: true},
		"RefParam":      lit("example.com"),
		"RefNoDefault":  {expr: `{"Ref":"NoDefault"} (a parameter without a Default)`},
		"Pseudo":        lit("eu-west-1/123456789012/web/aws"),
		"GetAtt":        {ref: "web/LB", attr: "DNSName"},
		"GetAttList":    {ref: "web/LB", attr: "DNSName"},
		"SubVars":       lit("_abc123.example.com."),
		"SubLiteral":    lit("${NotAVariable}.example.com"),
		"SubOnly":       {ref: "web/Cert"},
		"SubMixed":      {expr: `{"Fn::Sub":"arn-of-${Cert}"}`},
		"Join":          lit("shop.example.com"),
		"JoinUnknown":   {expr: `{"Fn::Join":["",[{"Fn::GetAtt":["LB","DNSName"]},"x"]]}`},
		"Import":        {ref: "dns/Zone"},
		"ImportMissing": {expr: `{"Fn::ImportValue":"nobody-exports-this"} (no template given exports it)`},
		"If":            {expr: `{"Fn::If":["IsProd","a","b"]}`},
	}, got)
	assert.Equal(t, lit("www.example.com"), x.resolve(wt.res["Cert"].props.get("DomainName"), 0))
	assert.NoError(t, c.err())
}

// The region of a resource without an ARN comes from its provider
// configuration, an aliased one included, through a root variable too.
func TestProviderRegion(t *testing.T) {
	const plan = `{"format_version": "1.2", "variables": {"edge_region": {"value": "us-east-1"}},
 "resource_changes": [
  {"address": "aws_acm_certificate.cdn", "mode": "managed", "type": "aws_acm_certificate", "name": "cdn", "change": {"actions": ["create"], "before": null,
   "after": {"domain_name": "cdn.example.com", "validation_method": "DNS"}, "after_unknown": {"arn": true}}},
  {"address": "aws_acm_certificate.app", "mode": "managed", "type": "aws_acm_certificate", "name": "app", "change": {"actions": ["create"], "before": null,
   "after": {"domain_name": "app.example.com", "validation_method": "DNS"}, "after_unknown": {"arn": true}}}],
 "configuration": {"provider_config": {
   "aws": {"name": "aws", "expressions": {"region": {"constant_value": "eu-west-1"}}},
   "aws.edge": {"name": "aws", "alias": "edge", "expressions": {"region": {"references": ["var.edge_region"]}}}},
  "root_module": {"resources": [
   {"address": "aws_acm_certificate.cdn", "mode": "managed", "type": "aws_acm_certificate", "name": "cdn", "provider_config_key": "aws.edge", "expressions": {}},
   {"address": "aws_acm_certificate.app", "mode": "managed", "type": "aws_acm_certificate", "name": "app", "provider_config_key": "aws", "expressions": {}}]}}}`
	c := &collector{}
	d := readTerraform("plan.json", []byte(plan), c)
	require.NoError(t, c.err())
	s := &side{}
	newTFSide(d, d.after, true, func(_ *tfDoc, a string) string { return a }, c).extract(s)
	require.NoError(t, c.err())
	regions := map[string]string{}
	for _, cr := range s.certs {
		regions[cr.addr] = cr.region
	}
	assert.Equal(t, map[string]string{"aws_acm_certificate.cdn": "us-east-1", "aws_acm_certificate.app": "eu-west-1"}, regions)
}

package scenarios

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/renewsim/renewsim/sim"
)

func TestImportedKeys(t *testing.T) {
	doc := `name: imported
start: 2026-03-01T00:00:00Z
resources:
  - id: alb
    kind: elb
    arn: arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/web/50dc6c495c0c9188
certificates:
  - id: web
    arn: arn:aws:acm:eu-west-1:111122223333:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0
    domain: example.com
    sans: ["*.example.com"]
    validation_record: zone
    validation_cnames:
      example.com: {name: _1a2b.example.com., value: _3c4d.mhbtsbpdnt.acm-validations.aws.}
      "*.example.com": {name: _1A2B.Example.com., value: _3c4d.mhbtsbpdnt.acm-validations.aws.}
    in_use_by: [alb]
dns:
  records:
    - '_1a2b.example.com. 300 IN CNAME _3c4d.mhbtsbpdnt.acm-validations.aws.'
`
	sc, err := Parse("i.yaml", []byte(doc))
	require.NoError(t, err)
	assert.Equal(t, "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/web/50dc6c495c0c9188", sc.Resources[0].ARN)
	c := sc.Certificates[0]
	assert.Equal(t, "arn:aws:acm:eu-west-1:111122223333:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", c.ARN)
	assert.Equal(t, sim.RecordZone, c.ValidationRecord)
	assert.Equal(t, map[string]sim.ValidationCNAME{
		"example.com":   {Name: "_1a2b.example.com.", Value: "_3c4d.mhbtsbpdnt.acm-validations.aws."},
		"*.example.com": {Name: "_1A2B.Example.com.", Value: "_3c4d.mhbtsbpdnt.acm-validations.aws."},
	}, c.ValidationCNAMEs)
}

func TestImportedKeysBroken(t *testing.T) {
	for _, tc := range []struct {
		name string
		doc  string
		want string
	}{
		{"bad ARNs", `name: x
start: 2026-03-01T00:00:00Z
resources: [{id: alb, kind: elb, arn: "not an arn"}]
certificates:
  - {id: a, domain: a.example.com, arn: "arn:aws:acm:us-east-1:123:certificate/x"}
  - {id: b, domain: b.example.com, arn: "arn:aws:acm:us-east-1:123456789012:certificate/1"}
  - {id: c, domain: c.example.com, arn: "arn:aws:acm:us-east-1:123456789012:certificate/1"}
`, `t.yaml:3:39: arn: want an AWS ARN like arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188, got "not an arn"
t.yaml:5:41: arn: want an ACM certificate ARN like arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012, got "arn:aws:acm:us-east-1:123:certificate/x"
t.yaml:7:41: arn: "arn:aws:acm:us-east-1:123456789012:certificate/1" is already the ARN of certificate "b"`},
		{"validation_cnames", `name: x
start: 2026-03-01T00:00:00Z
certificates:
  - id: a
    domain: example.com
    sans: ["*.example.com", www.example.com]
    validation_cnames:
      example.com: {name: _a.example.com., value: _b.acm-validations.aws.}
      "*.example.com": {name: _z.example.com., value: _b.acm-validations.aws.}
      www.example.com: {name: _a.example.org., value: _b.acm-validations.aws.}
      other.example.com: {name: _a.other.example.com., value: _b.acm-validations.aws.}
  - id: b
    domain: b.example.com
    validation_cnames:
      b.example.com: {name: _a.b.example.com, value: "_b.acm validations.aws."}
  - id: c
    domain: c.example.com
    validation_cnames:
      c.example.com: {name: _a.c.example.com.}
  - id: d
    domain: d.example.com
    validation: email
    validation_cnames: {d.example.com: {name: _a.d.example.com., value: _b.acm-validations.aws.}}
  - id: e
    domain: e.example.com
    type: imported
    validation_cnames: {e.example.com: {name: _a.e.example.com., value: _b.acm-validations.aws.}}
  - id: f
    domain: f.example.com
    validation: http
    validation_record: zone
    in_use_by: [cdn]
resources: [{id: cdn, kind: cloudfront}]
`, `t.yaml:9:24: validation_cnames: "example.com" and "*.example.com" share one validation record in ACM, but the records differ (_a.example.com. CNAME _b.acm-validations.aws., _z.example.com. CNAME _b.acm-validations.aws.)
t.yaml:10:31: validation_cnames: the record of "www.example.com" must be a name under www.example.com. (ACM gives _<hash>.www.example.com.), got "_a.example.org."
t.yaml:11:7: validation_cnames: "other.example.com" is not a name of this certificate (its names: example.com, *.example.com, www.example.com)
t.yaml:15:29: name: "_a.b.example.com": write the absolute name, ending with a dot (like _3639ac514e785e898d2646601fa951d5.example.com.)
t.yaml:15:54: value: "_b.acm validations.aws." is not a valid DNS record name (want labels of letters, digits, '-' and '_' separated by dots)
t.yaml:19:22: missing required key "value" in validation record of c.example.com
t.yaml:23:5: validation_cnames applies only to dns validation; this certificate uses email validation
t.yaml:27:5: validation_cnames must be omitted for an imported certificate: it has no validation
t.yaml:31:24: validation_record: zone is a state of dns validation; http validation takes one of: present, redirect, absent, wrong`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sc, err := Parse("t.yaml", []byte(tc.doc))
			require.Error(t, err)
			assert.Nil(t, sc)
			assert.Equal(t, tc.want, err.Error())
		})
	}
}

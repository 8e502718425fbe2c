package scenarios

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A certificate may live in another account and region than the
// profile's: a fleet read from several is one scenario.
func TestCertificateAccountAndRegion(t *testing.T) {
	sc, err := Parse("t.yaml", []byte(`name: ok
start: 2026-03-01T00:00:00Z
resources:
  - {id: alb, kind: elb}
certificates:
  - {id: here, domain: example.com, in_use_by: [alb]}
  - {id: there, domain: example.org, in_use_by: [alb], account: "111122223333", region: eu-west-1}
  - id: named
    domain: example.net
    in_use_by: [alb]
    region: ap-southeast-2
    arn: arn:aws:acm:ap-southeast-2:123456789012:certificate/11111111-1111-4111-8111-111111111111
`))
	require.NoError(t, err)
	assert.Equal(t, "", sc.Certificates[0].Region)
	assert.Equal(t, "", sc.Certificates[0].Account)
	assert.Equal(t, "eu-west-1", sc.Certificates[1].Region)
	assert.Equal(t, "111122223333", sc.Certificates[1].Account)
	assert.Equal(t, "ap-southeast-2", sc.Certificates[2].Region)
	assert.Equal(t, "eu-west-1", sc.Certificates[1].ProfileFor(&sc.Profile).Region)
	assert.Same(t, &sc.Profile, sc.Certificates[0].ProfileFor(&sc.Profile))

	_, err = Parse("t.yaml", []byte(`name: ok
start: 2026-03-01T00:00:00Z
resources:
  - {id: alb, kind: elb}
certificates:
  - {id: a, domain: example.com, in_use_by: [alb], account: "12345", region: Europe}
  - id: b
    domain: example.org
    in_use_by: [alb]
    account: "111122223333"
    region: eu-west-1
    arn: arn:aws:acm:us-east-1:123456789012:certificate/11111111-1111-4111-8111-111111111111
`))
	require.Error(t, err)
	assert.Equal(t, `t.yaml:6:61: account: want an AWS account id of 12 digits like 123456789012, got "12345"
t.yaml:6:78: region: want an AWS region like us-east-1 (^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]{1,2}$), got "Europe"
t.yaml:12:10: arn: "arn:aws:acm:us-east-1:123456789012:certificate/11111111-1111-4111-8111-111111111111" is in region us-east-1, but the certificate's region is eu-west-1
t.yaml:12:10: arn: "arn:aws:acm:us-east-1:123456789012:certificate/11111111-1111-4111-8111-111111111111" is in account 123456789012, but the certificate's account is 111122223333`, err.Error())
}

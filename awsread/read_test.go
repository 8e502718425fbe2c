package awsread

import (
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	acmtypes "github.com/aws/aws-sdk-go-v2/service/acm/types"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
)

// Documents are written as `aws … --output json` writes them: four-space
// indentation, the API's member order, members the service left out
// absent, false booleans present, ISO 8601 times with the UTC offset.
func TestCLIJSON(t *testing.T) {
	d := acmtypes.CertificateDetail{
		CertificateArn: aws.String("arn:aws:acm:us-east-1:123456789012:certificate/1"),
		DomainName:     aws.String("example.com"),
		InUseBy:        []string{},
		NotAfter:       aws.Time(time.Date(2026, 9, 15, 0, 0, 0, 0, time.UTC)),
		NotBefore:      aws.Time(time.Date(2026, 3, 1, 12, 0, 0, 716_000_000, time.UTC)),
		Status:         acmtypes.CertificateStatusIssued,
	}
	assert.Equal(t, `{
    "Certificate": {
        "CertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/1",
        "DomainName": "example.com",
        "InUseBy": [],
        "NotAfter": "2026-09-15T00:00:00+00:00",
        "NotBefore": "2026-03-01T12:00:00.716000+00:00",
        "Status": "ISSUED"
    }
}
`, string(cliJSON(object{{"Certificate", &d}})))
	rs := r53types.ResourceRecordSet{Name: aws.String(`\052.example.com.`), Type: r53types.RRTypeA,
		AliasTarget: &r53types.AliasTarget{DNSName: aws.String("d1.cloudfront.net."), HostedZoneId: aws.String("Z2FDTNDATAQYW2")}}
	assert.Equal(t, `{
    "ResourceRecordSets": [
        {
            "Name": "\\052.example.com.",
            "Type": "A",
            "AliasTarget": {
                "DNSName": "d1.cloudfront.net.",
                "EvaluateTargetHealth": false,
                "HostedZoneId": "Z2FDTNDATAQYW2"
            }
        }
    ]
}
`, string(cliJSON(object{{"ResourceRecordSets", []any{rs}}})))
}

// ListCertificates is asked for every key type and every key pair origin:
// its defaults leave out all but RSA_1024 and RSA_2048, and ACME.
func TestListInputAsksForEveryCertificate(t *testing.T) {
	in := listInput()
	assert.ElementsMatch(t, []acmtypes.KeyAlgorithm{"RSA_1024", "RSA_2048", "RSA_3072", "RSA_4096", "EC_prime256v1", "EC_secp384r1", "EC_secp521r1"}, in.Includes.KeyTypes)
	assert.ElementsMatch(t, []acmtypes.CertificateKeyPairOrigin{"AWS_MANAGED", "ACME", "CUSTOMER_PROVIDED"}, in.CertificateKeyPairOrigins)
	assert.Empty(t, in.Includes.ExportOption, "no export filter: exportable and other certificates alike")
}

func TestDeniedAndPartition(t *testing.T) {
	assert.True(t, Denied(&smithy.GenericAPIError{Code: "AccessDeniedException"}))
	assert.True(t, Denied(&CallError{Err: &smithy.GenericAPIError{Code: "AccessDenied"}}))
	assert.False(t, Denied(&smithy.GenericAPIError{Code: "ThrottlingException"}))
	assert.False(t, Denied(errors.New("AccessDenied")))
	assert.Equal(t, "aws", partition("eu-west-1"))
	assert.Equal(t, "aws-cn", partition("cn-north-1"))
	assert.Equal(t, "aws-us-gov", partition("us-gov-west-1"))
	assert.Equal(t, "route53:ListResourceRecordSets", iamAction("Route 53", "ListResourceRecordSets"))
	assert.Equal(t, "acm:DescribeCertificate", iamAction("ACM", "DescribeCertificate"))
}

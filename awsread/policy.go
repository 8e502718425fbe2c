package awsread

// ReadActions are the IAM actions Read calls in each account: the
// read-only policy of docs/iam/renewsim-check-policy.json names exactly
// these. With Options.AssumeRole the caller also needs sts:AssumeRole on
// the role in each account (docs/iam/renewsim-check-trust-policy.json is
// the role's side of that).
var ReadActions = []string{
	"account:ListRegions",
	"acm:DescribeCertificate",
	"acm:GetAccountConfiguration",
	"acm:ListCertificates",
	"route53:ListHostedZones",
	"route53:ListResourceRecordSets",
}

// AssumeAction is what the caller's own identity needs with
// Options.AssumeRole.
const AssumeAction = "sts:AssumeRole"

package acmapi_test

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/acm"
	"github.com/aws/aws-sdk-go-v2/service/acm/types"
	smithy "github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/renewsim/renewsim/fakes/acmapi"
)

// These tests drive the fake with the real aws-sdk-go-v2 ACM client and
// check what the client makes of the answers.

var ctx = context.Background()

func describe(t *testing.T, c *acm.Client, arn string) *types.CertificateDetail {
	t.Helper()
	out, err := c.DescribeCertificate(ctx, &acm.DescribeCertificateInput{CertificateArn: aws.String(arn)})
	require.NoError(t, err)
	require.NotNil(t, out.Certificate)
	return out.Certificate
}

func TestDescribeIssuedDNSCertificate(t *testing.T) {
	_, c := start(t, newBackend(t))
	d := describe(t, c, arnWeb)

	assert.Equal(t, arnWeb, aws.ToString(d.CertificateArn))
	assert.Equal(t, "example.com", aws.ToString(d.DomainName))
	assert.Equal(t, []string{"example.com", "www.example.com"}, d.SubjectAlternativeNames)
	assert.Equal(t, types.CertificateStatusIssued, d.Status)
	assert.Equal(t, types.CertificateTypeAmazonIssued, d.Type)
	assert.Equal(t, types.RenewalEligibilityEligible, d.RenewalEligibility)
	assert.Equal(t, types.KeyAlgorithmRsa2048, d.KeyAlgorithm)
	assert.Equal(t, []string{albARN}, d.InUseBy)
	assert.Equal(t, "6b:32:f3:24:1d:d9:73:45:e5:a9:06:da:b5:fe:06:08", aws.ToString(d.Serial))
	assert.Equal(t, "CN=example.com", aws.ToString(d.Subject))
	assert.Equal(t, "Amazon", aws.ToString(d.Issuer))
	assert.Equal(t, "SHA256WITHRSA", aws.ToString(d.SignatureAlgorithm))

	require.NotNil(t, d.NotAfter)
	assert.True(t, webNotAfter.Equal(*d.NotAfter), "NotAfter %v", d.NotAfter)
	require.NotNil(t, d.NotBefore)
	assert.True(t, webNotBefore.Equal(*d.NotBefore))
	require.NotNil(t, d.IssuedAt)
	assert.True(t, t0.Equal(*d.IssuedAt))
	require.NotNil(t, d.CreatedAt)
	assert.True(t, t0.Add(-time.Hour).Equal(*d.CreatedAt))
	assert.Nil(t, d.ImportedAt)
	assert.Nil(t, d.RevokedAt)

	require.Len(t, d.DomainValidationOptions, 2)
	dv := d.DomainValidationOptions[0]
	assert.Equal(t, "example.com", aws.ToString(dv.DomainName))
	assert.Equal(t, types.ValidationMethodDns, dv.ValidationMethod)
	assert.Equal(t, types.DomainStatusSuccess, dv.ValidationStatus)
	require.NotNil(t, dv.ResourceRecord)
	assert.Equal(t, "_38d0c69c826e1b7de6fc26a214d5a5be.example.com.", aws.ToString(dv.ResourceRecord.Name))
	assert.Equal(t, types.RecordTypeCname, dv.ResourceRecord.Type, "an empty Type is sent as CNAME")
	assert.Equal(t, "_cc23a6b1f7c3e5d09a8f8e1d2c3b4a59.kbwbeyjmug.acm-validations.aws.", aws.ToString(dv.ResourceRecord.Value))

	rs := d.RenewalSummary
	require.NotNil(t, rs)
	assert.Equal(t, types.RenewalStatusPendingValidation, rs.RenewalStatus)
	assert.Empty(t, rs.RenewalStatusReason)
	require.NotNil(t, rs.UpdatedAt)
	assert.True(t, renewalUpdated.Equal(*rs.UpdatedAt), "milliseconds survive: %v", rs.UpdatedAt)
	require.Len(t, rs.DomainValidationOptions, 2)
	assert.Equal(t, "example.com", aws.ToString(rs.DomainValidationOptions[0].DomainName))
	assert.Equal(t, types.DomainStatusSuccess, rs.DomainValidationOptions[0].ValidationStatus)
	assert.Equal(t, "www.example.com", aws.ToString(rs.DomainValidationOptions[1].DomainName))
	assert.Equal(t, types.DomainStatusPendingValidation, rs.DomainValidationOptions[1].ValidationStatus)

	require.NotNil(t, d.Options)
	//lint:ignore SA1019 ACM still returns the field, and the fake writes it as ACM does
	assert.Equal(t, types.CertificateTransparencyLoggingPreferenceEnabled, d.Options.CertificateTransparencyLoggingPreference)
	assert.Equal(t, types.CertificateExportDisabled, d.Options.Export)
	require.Len(t, d.KeyUsages, 2)
	assert.Equal(t, types.KeyUsageNameDigitalSignature, d.KeyUsages[0].Name)
	require.Len(t, d.ExtendedKeyUsages, 2)
	assert.Equal(t, types.ExtendedKeyUsageNameTlsWebServerAuthentication, d.ExtendedKeyUsages[0].Name)
	assert.Equal(t, "1.3.6.1.5.5.7.3.1", aws.ToString(d.ExtendedKeyUsages[0].OID))
}

func TestDescribeExpiredEmailAndImportedCertificates(t *testing.T) {
	_, c := start(t, newBackend(t))

	m := describe(t, c, arnMail)
	assert.Equal(t, types.CertificateStatusExpired, m.Status)
	assert.Equal(t, types.RenewalEligibilityIneligible, m.RenewalEligibility)
	assert.Empty(t, m.InUseBy)
	require.Len(t, m.DomainValidationOptions, 1)
	dv := m.DomainValidationOptions[0]
	assert.Equal(t, types.ValidationMethodEmail, dv.ValidationMethod)
	assert.Equal(t, types.DomainStatusFailed, dv.ValidationStatus)
	assert.Equal(t, "example.net", aws.ToString(dv.ValidationDomain))
	assert.Equal(t, []string{"admin@example.net", "hostmaster@example.net"}, dv.ValidationEmails)
	assert.Nil(t, dv.ResourceRecord)
	require.NotNil(t, m.RenewalSummary)
	assert.Equal(t, types.RenewalStatusFailed, m.RenewalSummary.RenewalStatus)
	assert.Equal(t, types.FailureReasonNoAvailableContacts, m.RenewalSummary.RenewalStatusReason)
	assert.Empty(t, m.RenewalSummary.DomainValidationOptions)
	assert.Nil(t, m.Options)

	i := describe(t, c, arnImported)
	assert.Equal(t, types.CertificateTypeImported, i.Type)
	assert.Equal(t, types.KeyAlgorithmEcPrime256v1, i.KeyAlgorithm)
	require.NotNil(t, i.ImportedAt)
	assert.True(t, t0.Add(-48*time.Hour).Equal(*i.ImportedAt))
	assert.Nil(t, i.IssuedAt)
	assert.Nil(t, i.CreatedAt)
	assert.Nil(t, i.RenewalSummary)
	assert.Empty(t, i.DomainValidationOptions)
}

// The server keeps nothing: each answer shows the backend as it is now,
// so a renewal that completes in the simulation shows up at once (any
// status lag is the backend's to apply).
func TestDescribeFollowsTheBackend(t *testing.T) {
	b := newBackend(t)
	_, c := start(t, b)
	require.Equal(t, types.RenewalStatusPendingValidation, describe(t, c, arnWeb).RenewalSummary.RenewalStatus)

	renewedUntil := time.Date(2027, 3, 12, 0, 10, 0, 0, time.UTC)
	b.update(arnWeb, func(c *acmapi.Certificate) {
		c.RenewalSummary.RenewalStatus = acmapi.RenewalSuccess
		c.RenewalSummary.DomainValidationOptions[1].ValidationStatus = acmapi.DomainSuccess
		c.NotAfter = renewedUntil
		c.Serial = "68:37:1c:07:32:d6:4c:ef:59:72:23:fe:a1:6b:32:ac"
	})
	d := describe(t, c, arnWeb)
	assert.Equal(t, types.RenewalStatusSuccess, d.RenewalSummary.RenewalStatus)
	assert.Equal(t, types.DomainStatusSuccess, d.RenewalSummary.DomainValidationOptions[1].ValidationStatus)
	assert.True(t, renewedUntil.Equal(*d.NotAfter))
	assert.Equal(t, "68:37:1c:07:32:d6:4c:ef:59:72:23:fe:a1:6b:32:ac", aws.ToString(d.Serial))
}

func TestARNErrors(t *testing.T) {
	_, c := start(t, newBackend(t))
	for _, arn := range []string{
		"not-an-arn",
		"",
		"arn:aws:acm:us-east-1:123456789012:certificate/not-a-uuid",
		"arn:aws:acm:us-east-1:12345:certificate/6b32f324-1dd9-4345-a5a9-06dab5fe0608",
		"arn:aws:iam::123456789012:server-certificate/6b32f324-1dd9-4345-a5a9-06dab5fe0608",
		"arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/6b32f324-1dd9-4345-a5a9-06dab5fe0608",
	} {
		_, err := c.DescribeCertificate(ctx, &acm.DescribeCertificateInput{CertificateArn: aws.String(arn)})
		var ia *types.InvalidArnException
		assert.ErrorAs(t, err, &ia, "DescribeCertificate(%q)", arn)
	}

	_, err := c.DescribeCertificate(ctx, &acm.DescribeCertificateInput{CertificateArn: aws.String(arnUnknown)})
	var nf *types.ResourceNotFoundException
	require.ErrorAs(t, err, &nf)
	assert.Contains(t, nf.ErrorMessage(), arnUnknown)

	// Every operation taking an ARN refuses the same way.
	calls := map[string]func(arn string) error{
		"GetCertificate": func(arn string) error {
			_, err := c.GetCertificate(ctx, &acm.GetCertificateInput{CertificateArn: &arn})
			return err
		},
		"RenewCertificate": func(arn string) error {
			_, err := c.RenewCertificate(ctx, &acm.RenewCertificateInput{CertificateArn: &arn})
			return err
		},
		"ListTagsForCertificate": func(arn string) error {
			_, err := c.ListTagsForCertificate(ctx, &acm.ListTagsForCertificateInput{CertificateArn: &arn})
			return err
		},
		"ResendValidationEmail": func(arn string) error {
			_, err := c.ResendValidationEmail(ctx, &acm.ResendValidationEmailInput{
				CertificateArn: &arn, Domain: aws.String("example.com"), ValidationDomain: aws.String("example.com")})
			return err
		},
	}
	for name, call := range calls {
		var ia *types.InvalidArnException
		assert.ErrorAs(t, call("bogus"), &ia, name)
		var nf *types.ResourceNotFoundException
		assert.ErrorAs(t, call(arnUnknown), &nf, name)
	}
}

func arns(list []types.CertificateSummary) []string {
	var out []string
	for _, s := range list {
		out = append(out, aws.ToString(s.CertificateArn))
	}
	return out
}

var allKeyTypes = []types.KeyAlgorithm{
	types.KeyAlgorithmRsa1024, types.KeyAlgorithmRsa2048, types.KeyAlgorithmRsa3072, types.KeyAlgorithmRsa4096,
	types.KeyAlgorithmEcPrime256v1, types.KeyAlgorithmEcSecp384r1, types.KeyAlgorithmEcSecp521r1,
}

func TestListCertificatesFilters(t *testing.T) {
	_, c := start(t, newBackend(t))
	list := func(in *acm.ListCertificatesInput) []string {
		t.Helper()
		out, err := c.ListCertificates(ctx, in)
		require.NoError(t, err)
		assert.Nil(t, out.NextToken)
		return arns(out.CertificateSummaryList)
	}

	// By default only RSA_1024/RSA_2048 certificates: the EC-keyed
	// imported one and the RSA_4096 one are hidden.
	assert.Equal(t, []string{arnWeb, arnMail, arnPending}, list(&acm.ListCertificatesInput{}))
	assert.Equal(t, []string{arnWeb, arnMail, arnImported, arnPending, arnBroken},
		list(&acm.ListCertificatesInput{Includes: &types.Filters{KeyTypes: allKeyTypes}}))
	assert.Equal(t, []string{arnImported},
		list(&acm.ListCertificatesInput{Includes: &types.Filters{KeyTypes: []types.KeyAlgorithm{types.KeyAlgorithmEcPrime256v1}}}))

	assert.Equal(t, []string{arnWeb}, list(&acm.ListCertificatesInput{
		CertificateStatuses: []types.CertificateStatus{types.CertificateStatusIssued}}))
	assert.Equal(t, []string{arnWeb, arnImported, arnBroken}, list(&acm.ListCertificatesInput{
		CertificateStatuses: []types.CertificateStatus{types.CertificateStatusIssued},
		Includes:            &types.Filters{KeyTypes: allKeyTypes}}))
	assert.Equal(t, []string{arnMail, arnPending}, list(&acm.ListCertificatesInput{
		CertificateStatuses: []types.CertificateStatus{types.CertificateStatusExpired, types.CertificateStatusPendingValidation}}))
	assert.Empty(t, list(&acm.ListCertificatesInput{
		CertificateStatuses: []types.CertificateStatus{types.CertificateStatusRevoked}}))

	assert.Equal(t, []string{arnWeb}, list(&acm.ListCertificatesInput{Includes: &types.Filters{
		ExtendedKeyUsage: []types.ExtendedKeyUsageName{types.ExtendedKeyUsageNameTlsWebServerAuthentication}}}))
	assert.Equal(t, []string{arnWeb}, list(&acm.ListCertificatesInput{Includes: &types.Filters{
		KeyUsage: []types.KeyUsageName{types.KeyUsageNameKeyEncipherment}}}))
	assert.Empty(t, list(&acm.ListCertificatesInput{Includes: &types.Filters{ExportOption: types.CertificateExportEnabled}}))
	assert.Empty(t, list(&acm.ListCertificatesInput{CertificateKeyPairOrigins: []types.CertificateKeyPairOrigin{types.CertificateKeyPairOriginAcme}}))
	assert.Equal(t, []string{arnImported}, list(&acm.ListCertificatesInput{
		CertificateKeyPairOrigins: []types.CertificateKeyPairOrigin{types.CertificateKeyPairOriginCustomerProvided},
		Includes:                  &types.Filters{KeyTypes: allKeyTypes}}))

	// Sorted by creation (imported certificates by ImportedAt).
	assert.Equal(t, []string{arnPending, arnBroken, arnWeb, arnImported, arnMail}, list(&acm.ListCertificatesInput{
		Includes: &types.Filters{KeyTypes: allKeyTypes}, SortBy: types.SortByCreatedAt, SortOrder: types.SortOrderDescending}))
	assert.Equal(t, []string{arnMail, arnImported, arnWeb, arnBroken, arnPending}, list(&acm.ListCertificatesInput{
		Includes: &types.Filters{KeyTypes: allKeyTypes}, SortBy: types.SortByCreatedAt, SortOrder: types.SortOrderAscending}))
}

func TestListCertificatesSummary(t *testing.T) {
	_, c := start(t, newBackend(t))
	out, err := c.ListCertificates(ctx, &acm.ListCertificatesInput{})
	require.NoError(t, err)
	require.Len(t, out.CertificateSummaryList, 3)
	s := out.CertificateSummaryList[0]
	assert.Equal(t, arnWeb, aws.ToString(s.CertificateArn))
	assert.Equal(t, "example.com", aws.ToString(s.DomainName))
	assert.Equal(t, []string{"example.com", "www.example.com"}, s.SubjectAlternativeNameSummaries)
	assert.Equal(t, aws.Bool(false), s.HasAdditionalSubjectAlternativeNames)
	assert.Equal(t, types.CertificateStatusIssued, s.Status)
	assert.Equal(t, types.CertificateTypeAmazonIssued, s.Type)
	assert.Equal(t, types.KeyAlgorithmRsa2048, s.KeyAlgorithm)
	assert.Equal(t, aws.Bool(true), s.InUse)
	assert.Equal(t, aws.Bool(false), s.Exported)
	assert.Equal(t, types.RenewalEligibilityEligible, s.RenewalEligibility)
	assert.Equal(t, types.CertificateExportDisabled, s.ExportOption)
	assert.Equal(t, []types.KeyUsageName{types.KeyUsageNameDigitalSignature, types.KeyUsageNameKeyEncipherment}, s.KeyUsages)
	assert.Equal(t, []types.ExtendedKeyUsageName{types.ExtendedKeyUsageNameTlsWebServerAuthentication,
		types.ExtendedKeyUsageNameTlsWebClientAuthentication}, s.ExtendedKeyUsages)
	require.NotNil(t, s.NotAfter)
	assert.True(t, webNotAfter.Equal(*s.NotAfter))
	require.NotNil(t, s.NotBefore)
	assert.True(t, webNotBefore.Equal(*s.NotBefore))
	require.NotNil(t, s.IssuedAt)
	assert.True(t, t0.Equal(*s.IssuedAt))
	require.NotNil(t, s.CreatedAt)
	assert.Nil(t, s.ImportedAt)

	p := out.CertificateSummaryList[2]
	assert.Equal(t, types.CertificateStatusPendingValidation, p.Status)
	assert.Equal(t, aws.Bool(false), p.InUse)
	assert.Nil(t, p.NotAfter)
}

func TestListCertificatesTruncatesSANs(t *testing.T) {
	b := newBackend(t)
	var sans []string
	for i := range 101 {
		sans = append(sans, "n"+string(rune('a'+i%26))+string(rune('a'+i/26))+".example.com")
	}
	b.update(arnWeb, func(c *acmapi.Certificate) { c.SubjectAlternativeNames = sans })
	_, c := start(t, b)
	out, err := c.ListCertificates(ctx, &acm.ListCertificatesInput{
		CertificateStatuses: []types.CertificateStatus{types.CertificateStatusIssued}})
	require.NoError(t, err)
	require.Len(t, out.CertificateSummaryList, 1)
	s := out.CertificateSummaryList[0]
	assert.Equal(t, sans[:100], s.SubjectAlternativeNameSummaries)
	assert.Equal(t, aws.Bool(true), s.HasAdditionalSubjectAlternativeNames)
	assert.Len(t, describe(t, c, arnWeb).SubjectAlternativeNames, 101, "DescribeCertificate shows them all")
}

func TestListCertificatesPaging(t *testing.T) {
	_, c := start(t, newBackend(t))
	all := &acm.ListCertificatesInput{Includes: &types.Filters{KeyTypes: allKeyTypes}}
	out, err := c.ListCertificates(ctx, all)
	require.NoError(t, err)
	want := arns(out.CertificateSummaryList)
	require.Len(t, want, 5)

	for _, size := range []int32{1, 2, 4, 5} {
		in := *all
		in.MaxItems = aws.Int32(size)
		var got []string
		pages := 0
		for p := acm.NewListCertificatesPaginator(c, &in); p.HasMorePages(); {
			page, err := p.NextPage(ctx)
			require.NoError(t, err)
			assert.LessOrEqual(t, len(page.CertificateSummaryList), int(size))
			got = append(got, arns(page.CertificateSummaryList)...)
			pages++
		}
		assert.Equal(t, want, got, "MaxItems %d", size)
		assert.Equal(t, (5+int(size)-1)/int(size), pages, "MaxItems %d", size)
	}

	// The same request gives the same token.
	first := func() string {
		out, err := c.ListCertificates(ctx, &acm.ListCertificatesInput{MaxItems: aws.Int32(2)})
		require.NoError(t, err)
		require.NotNil(t, out.NextToken)
		return *out.NextToken
	}
	tok := first()
	assert.Equal(t, tok, first())
	out, err = c.ListCertificates(ctx, &acm.ListCertificatesInput{MaxItems: aws.Int32(2), NextToken: &tok})
	require.NoError(t, err)
	assert.Equal(t, []string{arnPending}, arns(out.CertificateSummaryList))
	assert.Nil(t, out.NextToken)
}

func TestListCertificatesInvalidInput(t *testing.T) {
	_, c := start(t, newBackend(t))
	for name, in := range map[string]*acm.ListCertificatesInput{
		"MaxItems 0":    {MaxItems: aws.Int32(0)},
		"MaxItems 1001": {MaxItems: aws.Int32(1001)},
		"bad status":    {CertificateStatuses: []types.CertificateStatus{"BOGUS"}},
		"bad key type":  {Includes: &types.Filters{KeyTypes: []types.KeyAlgorithm{"RSA_512"}}},
		"empty token":   {NextToken: aws.String("")},
	} {
		_, err := c.ListCertificates(ctx, in)
		var ve *types.ValidationException
		assert.ErrorAs(t, err, &ve, name)
	}
	for name, in := range map[string]*acm.ListCertificatesInput{
		"bad token":            {NextToken: aws.String("not a token")},
		"SortBy alone":         {SortBy: types.SortByCreatedAt},
		"SortOrder alone":      {SortOrder: types.SortOrderAscending},
		"token of another API": {NextToken: aws.String("eyJvZmZzZXQiOjF9")},
	} {
		_, err := c.ListCertificates(ctx, in)
		var ia *types.InvalidArgsException
		assert.ErrorAs(t, err, &ia, name)
	}
}

func TestGetCertificate(t *testing.T) {
	_, c := start(t, newBackend(t))
	out, err := c.GetCertificate(ctx, &acm.GetCertificateInput{CertificateArn: aws.String(arnWeb)})
	require.NoError(t, err)

	block, rest := pem.Decode([]byte(aws.ToString(out.Certificate)))
	require.NotNil(t, block)
	assert.Empty(t, rest)
	leaf, err := x509.ParseCertificate(block.Bytes)
	require.NoError(t, err)
	assert.Equal(t, "example.com", leaf.Subject.CommonName)
	assert.True(t, webNotAfter.Equal(leaf.NotAfter))

	block, _ = pem.Decode([]byte(aws.ToString(out.CertificateChain)))
	require.NotNil(t, block)
	ca, err := x509.ParseCertificate(block.Bytes)
	require.NoError(t, err)
	assert.NoError(t, leaf.CheckSignatureFrom(ca))

	_, err = c.GetCertificate(ctx, &acm.GetCertificateInput{CertificateArn: aws.String(arnPending)})
	var rip *types.RequestInProgressException
	assert.ErrorAs(t, err, &rip)
}

func TestRenewCertificate(t *testing.T) {
	b := newBackend(t)
	srv, c := start(t, b)
	_, err := c.RenewCertificate(ctx, &acm.RenewCertificateInput{CertificateArn: aws.String(arnWeb)})
	require.NoError(t, err)
	assert.Equal(t, []string{arnWeb}, b.renewCalls())

	_, err = c.RenewCertificate(ctx, &acm.RenewCertificateInput{CertificateArn: aws.String(arnImported)})
	var ve *types.ValidationException
	require.ErrorAs(t, err, &ve)
	assert.Contains(t, ve.ErrorMessage(), "not eligible")

	// A plain backend error is a 500 InternalFailure, which the SDK does
	// not know as a modelled error.
	before := len(srv.History())
	_, err = c.RenewCertificate(ctx, &acm.RenewCertificateInput{CertificateArn: aws.String(arnBroken)})
	var ae smithy.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "InternalFailure", ae.ErrorCode())
	assert.Equal(t, smithy.FaultUnknown, ae.ErrorFault())
	var re *awshttp.ResponseError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, 500, re.HTTPStatusCode())
	assert.Len(t, srv.History(), before+1, "RetryMaxAttempts 1: no retry")
	assert.Equal(t, []string{arnWeb}, b.renewCalls())
}

func TestResendValidationEmail(t *testing.T) {
	b := newBackend(t)
	_, c := start(t, b)
	resend := func(arn, domain, vd string) error {
		_, err := c.ResendValidationEmail(ctx, &acm.ResendValidationEmailInput{
			CertificateArn: aws.String(arn), Domain: aws.String(domain), ValidationDomain: aws.String(vd)})
		return err
	}

	require.NoError(t, resend(arnPending, "new.example.org", "example.org"))
	require.NoError(t, resend(arnPending, "NEW.example.org.", "Example.ORG"))
	require.NoError(t, resend(arnPending, "new.example.org", "new.example.org"))
	assert.Equal(t, [][3]string{
		{arnPending, "new.example.org", "example.org"},
		{arnPending, "new.example.org", "example.org"},
		{arnPending, "new.example.org", "new.example.org"},
	}, b.resendCalls(), "the backend gets the certificate's spelling and a lower-case validation domain")

	var ido *types.InvalidDomainValidationOptionsException
	assert.ErrorAs(t, resend(arnPending, "other.example.org", "example.org"), &ido, "not a name of the certificate")
	assert.ErrorAs(t, resend(arnPending, "new.example.org", "example.com"), &ido, "not a superdomain")
	assert.ErrorAs(t, resend(arnPending, "new.example.org", "org"), &ido, "a bare TLD")
	assert.ErrorAs(t, resend(arnPending, "new.example.org", "www.new.example.org"), &ido, "a subdomain")

	var is *types.InvalidStateException
	require.ErrorAs(t, resend(arnWeb, "www.example.com", "example.com"), &is, "DNS-validated")
	assert.Contains(t, is.ErrorMessage(), "DNS")
	require.ErrorAs(t, resend(arnMail, "mail.example.net", "example.net"), &is, "the backend refuses")
	assert.Contains(t, is.ErrorMessage(), "expired")
	assert.Len(t, b.resendCalls(), 3)
}

func TestAccountConfiguration(t *testing.T) {
	b := newBackend(t)
	_, c := start(t, b)
	days := func() int32 {
		out, err := c.GetAccountConfiguration(ctx, &acm.GetAccountConfigurationInput{})
		require.NoError(t, err)
		require.NotNil(t, out.ExpiryEvents)
		return aws.ToInt32(out.ExpiryEvents.DaysBeforeExpiry)
	}
	put := func(token string, d *int32) error {
		in := &acm.PutAccountConfigurationInput{IdempotencyToken: aws.String(token)}
		if d != nil {
			in.ExpiryEvents = &types.ExpiryEventsConfiguration{DaysBeforeExpiry: d}
		}
		_, err := c.PutAccountConfiguration(ctx, in)
		return err
	}

	assert.Equal(t, int32(45), days())
	require.NoError(t, put("token1", aws.Int32(30)))
	assert.Equal(t, int32(30), days())
	require.NoError(t, put("token2", nil), "no ExpiryEvents changes nothing")
	assert.Equal(t, int32(30), days())

	var ve *types.ValidationException
	require.ErrorAs(t, put("token3", aws.Int32(0)), &ve)
	assert.Contains(t, ve.ErrorMessage(), "expiryEvents.daysBeforeExpiry")
	assert.ErrorAs(t, put("not a token!", aws.Int32(10)), &ve)
	assert.ErrorAs(t, put("012345678901234567890123456789012", aws.Int32(10)), &ve, "33 characters")
	assert.Equal(t, int32(30), days())
}

func TestListTagsForCertificate(t *testing.T) {
	_, c := start(t, newBackend(t))
	out, err := c.ListTagsForCertificate(ctx, &acm.ListTagsForCertificateInput{CertificateArn: aws.String(arnWeb)})
	require.NoError(t, err)
	require.Len(t, out.Tags, 2)
	assert.Equal(t, "Name", aws.ToString(out.Tags[0].Key))
	assert.Equal(t, "web", aws.ToString(out.Tags[0].Value))
	assert.Equal(t, "team", aws.ToString(out.Tags[1].Key))
	assert.Nil(t, out.Tags[1].Value, "a tag without value has no Value")

	out, err = c.ListTagsForCertificate(ctx, &acm.ListTagsForCertificateInput{CertificateArn: aws.String(arnMail)})
	require.NoError(t, err)
	assert.Empty(t, out.Tags)
}

func TestConcurrentClients(t *testing.T) {
	srv, c := start(t, newBackend(t))
	var wg sync.WaitGroup
	errs := make(chan error, 80)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 10 {
				var err error
				if (i+j)%2 == 0 {
					_, err = c.DescribeCertificate(ctx, &acm.DescribeCertificateInput{CertificateArn: aws.String(arnWeb)})
				} else {
					_, err = c.ListCertificates(ctx, &acm.ListCertificatesInput{MaxItems: aws.Int32(1)})
				}
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		assert.NoError(t, err)
	}
	h := srv.History()
	require.Len(t, h, 80)
	for i, r := range h {
		assert.Equal(t, i+1, r.Seq)
		assert.Equal(t, 200, r.Status)
	}
}

package acmapi_test

import (
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/acm"
	"github.com/aws/aws-sdk-go-v2/service/acm/types"
	smithy "github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/renewsim/renewsim/fakes/acmapi"
)

// fleetBackend is a large account: n certificates per region, RSA_2048
// and a few EC ones, which a default listing leaves out.
type fleetBackend struct {
	testBackend
}

func fleetARN(region string, i int) string {
	return fmt.Sprintf("arn:aws:acm:%s:123456789012:certificate/%08x-0000-4000-8000-%012x", region, i, i)
}

func newFleet(perRegion map[string]int) *fleetBackend {
	b := &fleetBackend{testBackend{days: 45}}
	for _, region := range []string{"us-east-1", "eu-west-1"} {
		for i := range perRegion[region] {
			key := acmapi.KeyRSA2048
			if i%100 == 99 {
				key = acmapi.KeyECPrime256v1
			}
			b.certs = append(b.certs, acmapi.Certificate{
				ARN: fleetARN(region, i), DomainName: fmt.Sprintf("host%d.%s.example.com", i, region),
				Status: acmapi.StatusIssued, Type: acmapi.TypeAmazonIssued, KeyAlgorithm: key,
				CreatedAt: t0.Add(time.Duration(i) * time.Minute),
			})
		}
	}
	return b
}

func clientFor(url, region string, tr *http.Transport, retryer aws.Retryer) *acm.Client {
	return acm.New(acm.Options{
		BaseEndpoint: aws.String(url), Region: region, Retryer: retryer,
		Credentials: credentials.NewStaticCredentialsProvider("AKID", "SECRET", ""),
		HTTPClient:  &http.Client{Transport: tr},
	})
}

func serve(t *testing.T, cfg acmapi.Config) (*acmapi.Server, *http.Transport) {
	t.Helper()
	srv := acmapi.New(cfg)
	require.NoError(t, srv.Start())
	tr := &http.Transport{}
	t.Cleanup(func() {
		tr.CloseIdleConnections()
		require.NoError(t, srv.Close())
	})
	return srv, tr
}

func listAll(t *testing.T, c *acm.Client, in *acm.ListCertificatesInput) (arns []string, pages int) {
	t.Helper()
	p := acm.NewListCertificatesPaginator(c, in)
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		require.NoError(t, err)
		pages++
		for _, s := range out.CertificateSummaryList {
			arns = append(arns, aws.ToString(s.CertificateArn))
		}
	}
	return arns, pages
}

// The region a client signs for selects the certificates, as each
// regional endpoint of ACM knows its own.
func TestRegionsSelectCertificates(t *testing.T) {
	srv, tr := serve(t, acmapi.Config{Backend: newFleet(map[string]int{"us-east-1": 3, "eu-west-1": 2}), Region: "us-east-1"})
	east := clientFor(srv.URL(), "us-east-1", tr, nil)
	west := clientFor(srv.URL(), "eu-west-1", tr, nil)

	got, _ := listAll(t, east, &acm.ListCertificatesInput{})
	assert.Equal(t, []string{fleetARN("us-east-1", 0), fleetARN("us-east-1", 1), fleetARN("us-east-1", 2)}, got)
	got, _ = listAll(t, west, &acm.ListCertificatesInput{})
	assert.Equal(t, []string{fleetARN("eu-west-1", 0), fleetARN("eu-west-1", 1)}, got)

	_, err := west.DescribeCertificate(ctx, &acm.DescribeCertificateInput{CertificateArn: aws.String(fleetARN("eu-west-1", 1))})
	require.NoError(t, err)
	_, err = east.DescribeCertificate(ctx, &acm.DescribeCertificateInput{CertificateArn: aws.String(fleetARN("eu-west-1", 1))})
	var nf *types.ResourceNotFoundException
	require.ErrorAs(t, err, &nf, "a us-east-1 endpoint does not know an eu-west-1 certificate")

	// An unsigned request (curl) gets Config.Region.
	rec := srv.History()
	assert.Equal(t, "us-east-1", rec[0].Region)
	assert.Equal(t, "eu-west-1", rec[1].Region)
}

// 2,500 certificates in us-east-1 come in three pages of at most 1,000,
// 1,200 in eu-west-1 in two, with every operation throttled at a few
// requests a second: the SDK's adaptive retry mode retries the
// ThrottlingExceptions and slows down until every page and every
// description arrives.
func TestThrottledFleetWithAdaptiveRetry(t *testing.T) {
	if testing.Short() {
		t.Skip("waits out the rate limit in wall time")
	}
	b := newFleet(map[string]int{"us-east-1": 2500, "eu-west-1": 1200})
	srv, tr := serve(t, acmapi.Config{Backend: b, RateLimit: 2})
	adaptive := func() aws.Retryer {
		return retry.NewAdaptiveMode(func(o *retry.AdaptiveModeOptions) {
			o.StandardOptions = append(o.StandardOptions, func(so *retry.StandardOptions) { so.MaxAttempts = 20 })
		})
	}
	all := &acm.ListCertificatesInput{Includes: &types.Filters{KeyTypes: []types.KeyAlgorithm{types.KeyAlgorithmRsa2048, types.KeyAlgorithmEcPrime256v1}}}
	var wg sync.WaitGroup
	results := map[string][]string{}
	pages := map[string]int{}
	var mu sync.Mutex
	for _, region := range []string{"us-east-1", "eu-west-1"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := clientFor(srv.URL(), region, tr, adaptive())
			arns, n := listAll(t, c, all)
			// And describe a sample, four at a time.
			var dwg sync.WaitGroup
			sem := make(chan struct{}, 4)
			for i := 0; i < len(arns); i += 200 {
				dwg.Add(1)
				sem <- struct{}{}
				go func(arn string) {
					defer dwg.Done()
					defer func() { <-sem }()
					_, err := c.DescribeCertificate(ctx, &acm.DescribeCertificateInput{CertificateArn: aws.String(arn)})
					assert.NoError(t, err)
				}(arns[i])
			}
			dwg.Wait()
			mu.Lock()
			results[region], pages[region] = arns, n
			mu.Unlock()
		}()
	}
	wg.Wait()
	assert.Len(t, results["us-east-1"], 2500)
	assert.Equal(t, 3, pages["us-east-1"])
	assert.Len(t, results["eu-west-1"], 1200)
	assert.Equal(t, 2, pages["eu-west-1"])
	assert.Equal(t, fleetARN("us-east-1", 2499), results["us-east-1"][2499], "in the backend's order, none twice")

	throttled := 0
	for _, r := range srv.History() {
		if r.ErrorType == acmapi.ErrThrottling {
			throttled++
		}
	}
	assert.Positive(t, throttled, "the rate limit was reached and the SDK recovered")
	t.Logf("%d requests, %d throttled", len(srv.History()), throttled)
}

func TestThrottlingException(t *testing.T) {
	now := t0
	srv, tr := serve(t, acmapi.Config{Backend: newBackend(t), RateLimit: 1, Clock: func() time.Time { return now }})
	c := clientFor(srv.URL(), "us-east-1", tr, aws.NopRetryer{})
	_, err := c.ListCertificates(ctx, &acm.ListCertificatesInput{})
	require.NoError(t, err)
	_, err = c.ListCertificates(ctx, &acm.ListCertificatesInput{})
	var api smithy.APIError
	require.ErrorAs(t, err, &api)
	assert.Equal(t, "ThrottlingException", api.ErrorCode())
	assert.Equal(t, "Rate exceeded", api.ErrorMessage())
	assert.True(t, retry.IsErrorThrottles(retry.DefaultThrottles).IsErrorThrottle(err).Bool(), "the SDK's retryers take it for throttling")

	_, err = c.DescribeCertificate(ctx, &acm.DescribeCertificateInput{CertificateArn: aws.String(arnWeb)})
	require.NoError(t, err, "each operation has its own rate")
	now = now.Add(time.Second)
	_, err = c.ListCertificates(ctx, &acm.ListCertificatesInput{})
	require.NoError(t, err, "a second later the operation may be called again")
}

func TestAccessDeniedKnob(t *testing.T) {
	srv, tr := serve(t, acmapi.Config{Backend: newBackend(t), Deny: []string{"DescribeCertificate", "getaccountconfiguration"}, Account: "111122223333"})
	c := clientFor(srv.URL(), "us-east-1", tr, aws.NopRetryer{})
	_, err := c.DescribeCertificate(ctx, &acm.DescribeCertificateInput{CertificateArn: aws.String(arnWeb)})
	var denied *types.AccessDeniedException
	require.ErrorAs(t, err, &denied)
	assert.Equal(t, "User: arn:aws:iam::111122223333:user/renewsim is not authorized to perform: acm:DescribeCertificate on resource: "+arnWeb+
		" because no identity-based policy allows the acm:DescribeCertificate action", denied.ErrorMessage())
	_, err = c.GetAccountConfiguration(ctx, &acm.GetAccountConfigurationInput{})
	require.ErrorAs(t, err, &denied)
	assert.Contains(t, denied.ErrorMessage(), "acm:GetAccountConfiguration on resource: *")
	_, err = c.ListCertificates(ctx, &acm.ListCertificatesInput{})
	require.NoError(t, err, "what is not denied is answered")
}

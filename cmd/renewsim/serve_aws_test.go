package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/acm"
	acmtypes "github.com/aws/aws-sdk-go-v2/service/acm/types"
	r53 "github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
	smithy "github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/renewsim/renewsim/scenarios"
	"github.com/renewsim/renewsim/sim"
)

// serveYAML starts serve on a scenario written in the test.
func serveYAML(t *testing.T, doc string, cfg serveConfig) (*server, clients) {
	t.Helper()
	sc, err := scenarios.Parse("t.yaml", []byte(doc))
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	s, err := startServer(ctx, sc, cfg, io.Discard)
	require.NoError(t, err)
	c := sdkClients(s, sc.Profile.Region)
	t.Cleanup(func() {
		c.tr.CloseIdleConnections()
		cancel()
		require.NoError(t, s.stop())
	})
	return s, c
}

// everyOp has a certificate for each ACM operation to act on.
const everyOp = `name: every-op
start: 2026-03-01T00:00:00Z
resources:
  - {id: alb, kind: elb}
certificates:
  - {id: web, domain: example.com, in_use_by: [alb], exported: true}
  - {id: mail, domain: shop.example.org, validation: email, in_use_by: [alb], issued: 2025-10-01T00:00:00Z, not_after: 2026-04-01T00:00:00Z}
  - {id: ec, domain: ec.example.com, key_algorithm: EC_prime256v1, in_use_by: [alb]}
mailboxes:
  - {address: admin@example.org, clicks: never}
`

// Every operation of both APIs, with the real SDK, against serve.
func TestServeEveryAWSOperationWithTheSDK(t *testing.T) {
	t.Cleanup(func() { goleak.VerifyNone(t) })
	ctx := context.Background()
	s, c := serveYAML(t, everyOp, freeConfig())

	// ACM.
	list, err := c.acm.ListCertificates(ctx, &acm.ListCertificatesInput{})
	require.NoError(t, err)
	require.Len(t, list.CertificateSummaryList, 2, "the EC certificate is hidden by default")
	all, err := c.acm.ListCertificates(ctx, &acm.ListCertificatesInput{Includes: &acmtypes.Filters{KeyTypes: []acmtypes.KeyAlgorithm{acmtypes.KeyAlgorithmRsa2048, acmtypes.KeyAlgorithmEcPrime256v1}}})
	require.NoError(t, err)
	require.Len(t, all.CertificateSummaryList, 3)
	arn := map[string]*string{}
	for _, cs := range all.CertificateSummaryList {
		arn[aws.ToString(cs.DomainName)] = cs.CertificateArn
	}
	d, err := c.acm.DescribeCertificate(ctx, &acm.DescribeCertificateInput{CertificateArn: arn["ec.example.com"]})
	require.NoError(t, err)
	assert.Equal(t, acmtypes.KeyAlgorithmEcPrime256v1, d.Certificate.KeyAlgorithm)
	assert.Equal(t, "SHA256WITHECDSA", aws.ToString(d.Certificate.SignatureAlgorithm))
	assert.Equal(t, "Amazon", aws.ToString(d.Certificate.Issuer))
	require.Len(t, d.Certificate.KeyUsages, 1)
	assert.Equal(t, acmtypes.KeyUsageNameDigitalSignature, d.Certificate.KeyUsages[0].Name)
	require.Len(t, d.Certificate.ExtendedKeyUsages, 1)
	assert.Equal(t, "1.3.6.1.5.5.7.3.1", aws.ToString(d.Certificate.ExtendedKeyUsages[0].OID))
	got, err := c.acm.GetCertificate(ctx, &acm.GetCertificateInput{CertificateArn: arn["ec.example.com"]})
	require.NoError(t, err)
	assert.Contains(t, aws.ToString(got.CertificateChain), "BEGIN CERTIFICATE")
	_, err = c.acm.RenewCertificate(ctx, &acm.RenewCertificateInput{CertificateArn: arn["example.com"]})
	require.NoError(t, err, "exported and in use: eligible for a forced renewal")
	// Into shop.example.org's renewal window, where it waits for approval.
	require.NoError(t, s.live.Advance(5*sim.Day))
	_, err = c.acm.ResendValidationEmail(ctx, &acm.ResendValidationEmailInput{CertificateArn: arn["shop.example.org"],
		Domain: aws.String("shop.example.org"), ValidationDomain: aws.String("example.org")})
	require.NoError(t, err)
	_, err = c.acm.PutAccountConfiguration(ctx, &acm.PutAccountConfigurationInput{IdempotencyToken: aws.String("t1"),
		ExpiryEvents: &acmtypes.ExpiryEventsConfiguration{DaysBeforeExpiry: aws.Int32(30)}})
	require.NoError(t, err)
	cfg, err := c.acm.GetAccountConfiguration(ctx, &acm.GetAccountConfigurationInput{})
	require.NoError(t, err)
	assert.Equal(t, int32(30), aws.ToInt32(cfg.ExpiryEvents.DaysBeforeExpiry))
	tags, err := c.acm.ListTagsForCertificate(ctx, &acm.ListTagsForCertificateInput{CertificateArn: arn["example.com"]})
	require.NoError(t, err)
	assert.Empty(t, tags.Tags)

	// Route 53.
	zones, err := c.r53.ListHostedZones(ctx, &r53.ListHostedZonesInput{})
	require.NoError(t, err)
	require.Len(t, zones.HostedZones, 2, "example.com and example.org")
	byName, err := c.r53.ListHostedZonesByName(ctx, &r53.ListHostedZonesByNameInput{DNSName: aws.String("example.org")})
	require.NoError(t, err)
	org := byName.HostedZones[0].Id
	hz, err := c.r53.GetHostedZone(ctx, &r53.GetHostedZoneInput{Id: org})
	require.NoError(t, err)
	assert.Equal(t, []string{"ns1.example.org"}, hz.DelegationSet.NameServers)
	ch, err := c.r53.ChangeResourceRecordSets(ctx, &r53.ChangeResourceRecordSetsInput{HostedZoneId: org, ChangeBatch: &r53types.ChangeBatch{
		Changes: []r53types.Change{{Action: r53types.ChangeActionCreate, ResourceRecordSet: &r53types.ResourceRecordSet{
			Name: aws.String("example.org"), Type: r53types.RRTypeCaa, TTL: aws.Int64(3600),
			ResourceRecords: []r53types.ResourceRecord{{Value: aws.String(`0 issue "amazon.com"`)}}}}}}})
	require.NoError(t, err)
	w := r53.NewResourceRecordSetsChangedWaiter(c.r53)
	require.NoError(t, w.Wait(ctx, &r53.GetChangeInput{Id: ch.ChangeInfo.Id}, 1e9))
	sets, err := c.r53.ListResourceRecordSets(ctx, &r53.ListResourceRecordSetsInput{HostedZoneId: org})
	require.NoError(t, err)
	var caa []string
	for _, rs := range sets.ResourceRecordSets {
		if rs.Type == r53types.RRTypeCaa {
			caa = append(caa, aws.ToString(rs.ResourceRecords[0].Value))
		}
	}
	assert.Equal(t, []string{`0 issue "amazon.com"`}, caa, "the DNS server holds it now")

	// All of it is in the record, as the timeline's changes are.
	var did []string
	for _, e := range s.live.Entries(0) {
		if e.Kind == sim.KindTimeline {
			did = append(did, e.Detail.TimelineOf().Do)
		}
	}
	assert.Equal(t, []string{sim.DoRenewCertificate, sim.DoResendValidationEmail, sim.DoDNSAdd}, did)
}

// A fleet of 2,500 certificates, 1,500 in us-east-1 and 1,000 in
// eu-west-1, read with serve throttling every API: three pages of at most
// 1,000 in all, a client per region, descriptions read four at a time, and
// the zone paged through Route 53; the SDK's adaptive retry mode takes the
// throttling errors and slows down until everything arrives.
func TestServeThrottledFleetInTwoRegions(t *testing.T) {
	if testing.Short() {
		t.Skip("waits out the rate limit in wall time")
	}
	t.Cleanup(func() { goleak.VerifyNone(t) })
	var doc strings.Builder
	doc.WriteString("name: fleet\nstart: 2026-03-01T00:00:00Z\ncertificates:\n")
	for i := range 2500 {
		region := "us-east-1"
		if i >= 1500 {
			region = "eu-west-1"
		}
		fmt.Fprintf(&doc, "  - {id: c%d, domain: host%d.example.com, arn: \"arn:aws:acm:%s:123456789012:certificate/%08x-0000-4000-8000-%012x\"}\n", i, i, region, i, i)
	}
	cfg := freeConfig()
	cfg.throttle = 4
	s, _ := serveYAML(t, doc.String(), cfg)
	ctx := context.Background()
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	adaptive := func() aws.Retryer {
		return retry.NewAdaptiveMode(func(o *retry.AdaptiveModeOptions) {
			o.StandardOptions = append(o.StandardOptions, func(so *retry.StandardOptions) { so.MaxAttempts = 20 })
		})
	}
	creds := credentials.NewStaticCredentialsProvider("AKID", "SECRET", "")

	var wg sync.WaitGroup
	var mu sync.Mutex
	listed, pages := map[string]int{}, 0
	for _, region := range []string{"us-east-1", "eu-west-1"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := acm.New(acm.Options{BaseEndpoint: aws.String(s.acm.URL()), Region: region, Retryer: adaptive(),
				Credentials: creds, HTTPClient: &http.Client{Transport: tr}})
			p := acm.NewListCertificatesPaginator(c, &acm.ListCertificatesInput{})
			var arns []string
			n := 0
			for p.HasMorePages() {
				out, err := p.NextPage(ctx)
				if !assert.NoError(t, err) {
					return
				}
				n++
				for _, cs := range out.CertificateSummaryList {
					assert.Contains(t, aws.ToString(cs.CertificateArn), ":"+region+":")
					arns = append(arns, aws.ToString(cs.CertificateArn))
				}
			}
			var dwg sync.WaitGroup
			sem := make(chan struct{}, 4)
			for i := 0; i < len(arns); i += 100 {
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
			listed[region], pages = len(arns), pages+n
			mu.Unlock()
		}()
	}
	// Route 53 at the same time: the zone's 2,500 validation CNAMEs and
	// its SOA and NS, 300 a page.
	wg.Add(1)
	records := 0
	go func() {
		defer wg.Done()
		c := r53.New(r53.Options{BaseEndpoint: aws.String(s.route53.URL()), Region: "us-east-1", Retryer: adaptive(),
			Credentials: creds, HTTPClient: &http.Client{Transport: tr}})
		zones, err := c.ListHostedZones(ctx, &r53.ListHostedZonesInput{})
		if !assert.NoError(t, err) || !assert.Len(t, zones.HostedZones, 1) {
			return
		}
		in := &r53.ListResourceRecordSetsInput{HostedZoneId: zones.HostedZones[0].Id}
		for {
			out, err := c.ListResourceRecordSets(ctx, in)
			if !assert.NoError(t, err) {
				return
			}
			records += len(out.ResourceRecordSets)
			if !out.IsTruncated {
				return
			}
			in.StartRecordName, in.StartRecordType = out.NextRecordName, out.NextRecordType
		}
	}()
	wg.Wait()
	assert.Equal(t, map[string]int{"us-east-1": 1500, "eu-west-1": 1000}, listed)
	assert.Equal(t, 3, pages)
	assert.Equal(t, 2502, records)

	throttled := 0
	for _, r := range s.acm.History() {
		if r.ErrorType == "ThrottlingException" {
			throttled++
		}
	}
	for _, r := range s.route53.History() {
		if r.ErrorCode == "Throttling" {
			throttled++
		}
	}
	assert.Positive(t, throttled, "the limit was reached, and the SDK recovered")
}

// -deny refuses chosen calls as IAM would; the others are answered.
func TestServeDeny(t *testing.T) {
	t.Cleanup(func() { goleak.VerifyNone(t) })
	ctx := context.Background()
	cfg := freeConfig()
	var err error
	cfg.deny, err = parseDeny("route53:ListResourceRecordSets,acm:DescribeCertificate")
	require.NoError(t, err)
	_, c := startServe(t, "dns-happy", cfg)

	zones, err := c.r53.ListHostedZones(ctx, &r53.ListHostedZonesInput{})
	require.NoError(t, err)
	_, err = c.r53.ListResourceRecordSets(ctx, &r53.ListResourceRecordSetsInput{HostedZoneId: zones.HostedZones[0].Id})
	var api smithy.APIError
	require.ErrorAs(t, err, &api)
	assert.Equal(t, "AccessDenied", api.ErrorCode())
	assert.Contains(t, api.ErrorMessage(), "is not authorized to perform: route53:ListResourceRecordSets on resource: arn:aws:route53:::hostedzone/Z")

	list, err := c.acm.ListCertificates(ctx, &acm.ListCertificatesInput{})
	require.NoError(t, err)
	_, err = c.acm.DescribeCertificate(ctx, &acm.DescribeCertificateInput{CertificateArn: list.CertificateSummaryList[0].CertificateArn})
	var denied *acmtypes.AccessDeniedException
	require.ErrorAs(t, err, &denied)
	assert.Contains(t, denied.ErrorMessage(), "acm:DescribeCertificate on resource: arn:aws:acm:us-east-1:123456789012:certificate/")

	for _, bad := range []string{"s3:GetObject", "acm:DeleteCertificate", "ListCertificates"} {
		_, err := parseDeny(bad)
		assert.Error(t, err, bad)
	}
}

// The AWS CLIs installed (v1 and v2) against serve: listing, describing,
// and deleting the validation CNAME with change-resource-record-sets,
// which fails the renewal as the timeline's delete-validation-record
// does; an UPSERT puts it back and the next attempt renews.
func TestServeAWSCLI(t *testing.T) {
	clis := awsCLIs()
	if len(clis) == 0 || testing.Short() {
		t.Skip("no aws CLI installed (or -short): apt-get install awscli, or pip install awscli")
	}
	for _, cli := range clis {
		v, _ := exec.Command(cli, "--version").CombinedOutput()
		t.Run(strings.Fields(string(v))[0], func(t *testing.T) {
			t.Cleanup(func() { goleak.VerifyNone(t) })
			s, _ := startServe(t, "dns-happy", freeConfig())
			aws := func(args ...string) string {
				t.Helper()
				endpoint := s.acm.URL()
				if args[0] == "route53" {
					endpoint = s.route53.URL()
				}
				cmd := exec.Command(cli, append(args, "--endpoint-url", endpoint, "--region", "us-east-1", "--output", "text")...)
				cmd.Env = cliEnv()
				out, err := cmd.Output()
				var ee *exec.ExitError
				if errors.As(err, &ee) {
					t.Fatalf("aws %s: %s", strings.Join(args, " "), ee.Stderr)
				}
				require.NoError(t, err)
				return strings.TrimSpace(string(out))
			}
			arn := aws("acm", "list-certificates", "--query", "CertificateSummaryList[0].CertificateArn")
			name := aws("acm", "describe-certificate", "--certificate-arn", arn, "--query", "Certificate.DomainValidationOptions[0].ResourceRecord.Name")
			value := aws("acm", "describe-certificate", "--certificate-arn", arn, "--query", "Certificate.DomainValidationOptions[0].ResourceRecord.Value")
			assert.Contains(t, aws("acm", "get-certificate", "--certificate-arn", arn, "--query", "Certificate"), "BEGIN CERTIFICATE")
			zone := aws("route53", "list-hosted-zones-by-name", "--dns-name", "example.com", "--query", "HostedZones[0].Id")
			batch := func(action string) string {
				return fmt.Sprintf(`{"Changes":[{"Action":%q,"ResourceRecordSet":{"Name":%q,"Type":"CNAME","TTL":300,"ResourceRecords":[{"Value":%q}]}}]}`, action, name, value)
			}
			id := aws("route53", "change-resource-record-sets", "--hosted-zone-id", zone, "--change-batch", batch("DELETE"), "--query", "ChangeInfo.Id")
			aws("route53", "wait", "resource-record-sets-changed", "--id", id)

			// Into the renewal window: the record is missing, the
			// renewal waits for it.
			require.NoError(t, s.live.Advance(160*sim.Day))
			status := aws("acm", "describe-certificate", "--certificate-arn", arn, "--query", "Certificate.RenewalSummary.RenewalStatus")
			assert.Equal(t, "PENDING_AUTO_RENEWAL", status)

			aws("route53", "change-resource-record-sets", "--hosted-zone-id", zone, "--change-batch", batch("UPSERT"))
			require.NoError(t, s.live.Advance(sim.Day))
			status = aws("acm", "describe-certificate", "--certificate-arn", arn, "--query", "Certificate.RenewalSummary.RenewalStatus")
			assert.Equal(t, "SUCCESS", status)
		})
	}
}

// awsCLIs finds the AWS CLIs installed: the aws on PATH and the usual
// place of a second (v1 from pip, v2 from a package), one of each.
func awsCLIs() []string {
	var out []string
	seen := map[string]bool{}
	cands := []string{"/usr/bin/aws", "/usr/local/bin/aws"}
	if p, err := exec.LookPath("aws"); err == nil {
		cands = append([]string{p}, cands...)
	}
	for _, c := range cands {
		v, err := exec.Command(c, "--version").CombinedOutput()
		if err != nil || len(strings.Fields(string(v))) == 0 {
			continue
		}
		if version := strings.Fields(string(v))[0]; !seen[version] {
			seen[version] = true
			out = append(out, c)
		}
	}
	return out
}

// cliEnv runs a CLI with made-up credentials and none of the user's AWS
// settings.
func cliEnv() []string {
	env := []string{
		"AWS_ACCESS_KEY_ID=AKID", "AWS_SECRET_ACCESS_KEY=SECRET",
		"AWS_CONFIG_FILE=" + os.DevNull, "AWS_SHARED_CREDENTIALS_FILE=" + os.DevNull,
		"AWS_EC2_METADATA_DISABLED=true", "AWS_PAGER=", "AWS_MAX_ATTEMPTS=1",
	}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") {
			env = append(env, kv)
		}
	}
	return env
}

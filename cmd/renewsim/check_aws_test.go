package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/renewsim/renewsim/awsread"
	"github.com/renewsim/renewsim/scenarios"
)

// Every usage error of -aws comes out before any call is made.
func TestCheckAWSUsage(t *testing.T) {
	dir := t.TempDir()
	ids := filepath.Join(dir, "accounts.txt")
	require.NoError(t, os.WriteFile(ids, []byte("# prod\n111122223333\n444455556666, 111122223333\n\n"), 0o644))
	bad := filepath.Join(dir, "bad.txt")
	require.NoError(t, os.WriteFile(bad, []byte("111122223333\nprod-account\n"), 0o644))
	used := filepath.Join(dir, "used")
	require.NoError(t, os.MkdirAll(filepath.Join(used, "acm"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(used, "acm", "old.json"), []byte("{}"), 0o644))
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-regions", "eu-west-1"}, "check: -regions reads a live account: give it with -aws"},
		{[]string{"-export", dir}, "check: -export reads a live account: give it with -aws"},
		{[]string{"-aws", "-acm", fleetDir + "/acm"}, "check: -aws reads the account itself; leave out -acm, -zones, -zone, -account-config, -terraform and -cloudformation (check the exports of -export with the first four)"},
		{[]string{"-aws", "-terraform", "plan.json"}, "check: -aws reads the account itself; leave out -acm, -zones, -zone, -account-config, -terraform and -cloudformation (check the exports of -export with the first four)"},
		{[]string{"-aws", "-regions", "us-east-1,Europe"}, `-regions: "Europe" is not an AWS region like us-east-1 (or give all)`},
		{[]string{"-aws", "-assume-role", "renewsim-check"}, "check: -assume-role and -accounts go together: the role is assumed in each account"},
		{[]string{"-aws", "-accounts", "111122223333"}, "check: -assume-role and -accounts go together: the role is assumed in each account"},
		{[]string{"-aws", "-assume-role", "r", "-accounts", "111122223333,12345"}, `-accounts: want 12-digit account ids like 111122223333,444455556666, got "12345"`},
		{[]string{"-aws", "-assume-role", "r", "-accounts", bad}, bad + `:2: want a 12-digit account id, got "prod-account"`},
		{[]string{"-aws", "-assume-role", "r", "-accounts", filepath.Join(dir, "none.txt")}, "-accounts: want account ids like 111122223333,444455556666 or a file of them: open " + filepath.Join(dir, "none.txt") + ": no such file or directory"},
		{[]string{"-aws", "-export", used}, "-export " + used + ": " + filepath.Join(used, "acm") + " already holds files; give a new or empty directory (the check of an export reads every file in it)"},
	} {
		code, _, errs := renewsim(t, append([]string{"check"}, tc.args...)...)
		assert.Equal(t, 2, code, tc.args)
		assert.Contains(t, errs, "renewsim: "+tc.want+"\n", tc.args)
	}
	ok, err := accountIDs(ids)
	require.NoError(t, err)
	assert.Equal(t, []string{"111122223333", "444455556666"}, ok)
}

// awsEnv points the SDK's default chain at s, the standard way: static
// credentials and a region from the environment, no shared files, no
// instance metadata, and every endpoint on loopback (ACM and Route 53 at
// serve's, anything else at a closed port).
func awsEnv(t *testing.T, s *server) {
	t.Helper()
	none := filepath.Join(t.TempDir(), "none")
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID": "AKIDRENEWSIMTEST", "AWS_SECRET_ACCESS_KEY": "renewsim-test-secret", "AWS_SESSION_TOKEN": "",
		"AWS_PROFILE": "", "AWS_DEFAULT_PROFILE": "", "AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "",
		"AWS_CONFIG_FILE": none, "AWS_SHARED_CREDENTIALS_FILE": none, "AWS_EC2_METADATA_DISABLED": "true",
		"AWS_ENDPOINT_URL": "http://127.0.0.1:1", "AWS_ENDPOINT_URL_ACM": s.acm.URL(), "AWS_ENDPOINT_URL_ROUTE_53": s.route53.URL(),
		"AWS_MAX_ATTEMPTS": "", "AWS_RETRY_MODE": "",
	} {
		t.Setenv(k, v)
	}
}

// serveExample serves the scenario check makes of the example fleet,
// paused at -now: the live account the example files were exported from.
func serveExample(t *testing.T, cfg serveConfig) *server {
	t.Helper()
	yaml := filepath.Join(t.TempDir(), "fleet.yaml")
	code, _, errs := renewsim(t, checkArgs("-scenario-out", yaml)...)
	require.Equal(t, 1, code, errs)
	sc, err := scenarios.Load(yaml)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	s, err := startServer(ctx, sc, cfg, io.Discard)
	require.NoError(t, err)
	t.Cleanup(func() {
		cancel()
		require.NoError(t, s.stop())
	})
	return s
}

// check -aws against a serve of the example fleet gives what check gives
// on the example files — verdict, date, renewals, reason, fix and notes —
// for every certificate the scenario holds (the already expired one, the
// one without zone data and the ACME one, which ACM does not renew, are not
// in it).
func TestCheckAWSAgainstServeOfTheExampleFleet(t *testing.T) {
	t.Cleanup(func() { goleak.VerifyNone(t) })
	s := serveExample(t, freeConfig())
	awsEnv(t, s)
	code, out, errs := renewsim(t, "check", "-aws", "-now", "2026-04-01T00:00:00Z", "-json")
	require.Equal(t, 1, code, errs)
	_, want, _ := renewsim(t, checkArgs("-json")...)
	got, exp := entries(t, out), entries(t, want)
	// The scenario does not carry a private certificate's CA, so serve
	// names one of its own: the one difference.
	ca := regexp.MustCompile(`certificate-authority/[0-9a-f-]+`)
	for arn, v := range got {
		assert.Equal(t, ca.ReplaceAllString(exp[arn], "CA"), ca.ReplaceAllString(v, "CA"), arn)
	}
	assert.Len(t, got, len(exp)-3, out)
}

// entries maps each certificate's ARN to its whole entry of the -json
// document.
func entries(t *testing.T, doc string) map[string]string {
	t.Helper()
	var r struct {
		Certificates []map[string]any
	}
	require.NoError(t, json.Unmarshal([]byte(doc), &r), doc)
	out := map[string]string{}
	for _, c := range r.Certificates {
		b, err := json.Marshal(c)
		require.NoError(t, err)
		out[c["arn"].(string)] = string(b)
	}
	return out
}

// verdicts maps each certificate's ARN to its verdict and reason.
func verdicts(t *testing.T, doc string) map[string]string {
	t.Helper()
	var r struct {
		Certificates []struct{ ARN, Verdict, Reason string }
	}
	require.NoError(t, json.Unmarshal([]byte(doc), &r), doc)
	out := map[string]string{}
	for _, c := range r.Certificates {
		out[c.ARN] = c.Verdict + ": " + c.Reason
	}
	return out
}

// -export writes what was read in the CLI's shapes, and check on the
// export prints exactly what the live check printed, in text and JSON.
func TestCheckAWSExportRoundTrip(t *testing.T) {
	t.Cleanup(func() { goleak.VerifyNone(t) })
	s := serveExample(t, freeConfig())
	awsEnv(t, s)
	for _, format := range [][]string{nil, {"-json"}} {
		dir := filepath.Join(t.TempDir(), "export")
		args := append([]string{"check", "-aws", "-now", "2026-04-01T00:00:00Z", "-export", dir}, format...)
		code, live, errs := renewsim(t, args...)
		require.Equal(t, 1, code, errs)
		rerun := []string{"check", "-acm", filepath.Join(dir, "acm"), "-zones", filepath.Join(dir, "zones"),
			"-account-config", filepath.Join(dir, "account-config.json"), "-now", "2026-04-01T00:00:00Z"}
		assert.Contains(t, errs, "check them again with: renewsim "+strings.Join(rerun, " ")+"\n")
		code, offline, errs2 := renewsim(t, append(rerun, format...)...)
		assert.Equal(t, 1, code, errs2)
		assert.Empty(t, errs2)
		assert.Equal(t, live, offline, "check of the export")
		// What the files hold is what the AWS CLI writes.
		var describe struct {
			Certificate struct {
				CertificateArn string
				NotAfter       string
				InUseBy        []string
			}
		}
		data, err := os.ReadFile(filepath.Join(dir, "acm", "us-east-1.describe-22ada16a-bc1e-42dd-aa23-e6feefe06890.json"))
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(data, &describe))
		assert.Equal(t, "arn:aws:acm:us-east-1:123456789012:certificate/22ada16a-bc1e-42dd-aa23-e6feefe06890", describe.Certificate.CertificateArn)
		assert.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00$`, describe.Certificate.NotAfter)
		assert.True(t, strings.HasPrefix(string(data), "{\n    \"Certificate\": {\n        \"CertificateArn\": "), string(data[:80]))
		acct, err := os.ReadFile(filepath.Join(dir, "account-config.json"))
		require.NoError(t, err)
		assert.Equal(t, "{\n    \"ExpiryEvents\": {\n        \"DaysBeforeExpiry\": 50\n    }\n}\n", string(acct))
		// No credential reaches a file or a message.
		for _, secret := range []string{"AKIDRENEWSIMTEST", "renewsim-test-secret"} {
			assert.NotContains(t, errs+live, secret)
			assert.NoError(t, filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					b, _ := os.ReadFile(p)
					assert.NotContains(t, string(b), secret, p)
				}
				return err
			}))
		}
	}
}

// A permission missing on Route 53 does not end the check: it says which
// call was refused where, and the certificates it cannot judge without
// the zones are "cannot tell: no zone data".
func TestCheckAWSAccessDeniedOnRecords(t *testing.T) {
	t.Cleanup(func() { goleak.VerifyNone(t) })
	cfg := freeConfig()
	cfg.deny = map[string][]string{"route53": {"ListResourceRecordSets"}}
	s := serveExample(t, cfg)
	awsEnv(t, s)
	code, out, errs := renewsim(t, "check", "-aws", "-now", "2026-04-01T00:00:00Z", "-json")
	assert.Equal(t, 1, code, errs)
	assert.Contains(t, errs, "renewsim: warning: zone example.com. (")
	assert.Contains(t, errs, ") of account 123456789012: access denied to route53:ListResourceRecordSets: certificates validated there are \"cannot tell: no zone data\"; add route53:ListResourceRecordSets to the policy\n")
	got := verdicts(t, out)
	assert.Equal(t, "cannot-tell: no zone data for api.example.com", got["arn:aws:acm:us-east-1:123456789012:certificate/f27b5ef3-a3c9-45eb-a624-dc3d7b5f1ed0"])
	// What needs no zone is still told.
	assert.Equal(t, "expires: imported: ACM never renews imported certificates", got["arn:aws:acm:us-east-1:123456789012:certificate/9f85cb7c-16a2-4a58-a035-d8f5bb62e980"])
}

// The progress bar draws on a terminal only, on one line it clears.
func TestProgressBar(t *testing.T) {
	var b strings.Builder
	bar := &progressBar{w: &b, on: true}
	bar.show(awsread.Progress{Certificates: 3, CertificatesTotal: 10})
	bar.show(awsread.Progress{Certificates: 3, CertificatesTotal: 10})
	bar.show(awsread.Progress{Certificates: 10, CertificatesTotal: 10, Zones: 1, ZonesTotal: 2})
	bar.done()
	assert.Equal(t, "\rreading 3/10 certificates, 0/0 zones \rreading 10/10 certificates, 1/2 zones \r\x1b[K", b.String())
	b.Reset()
	quiet := newProgressBar(&b)
	quiet.show(awsread.Progress{Certificates: 1})
	quiet.done()
	assert.Empty(t, b.String(), "not a terminal")
}

// The IAM policies in docs/iam are valid JSON policies, and the read-only
// one names exactly the calls check -aws makes: none more (least
// privilege), none fewer (an AccessDenied in production).
func TestIAMPolicies(t *testing.T) {
	type statement struct {
		Sid       string
		Effect    string
		Action    any
		Resource  any
		Principal map[string]any
	}
	type policy struct {
		Version   string
		Statement []statement
	}
	read := func(name string) policy {
		data, err := os.ReadFile(filepath.Join("..", "..", "docs", "iam", name))
		require.NoError(t, err)
		var p policy
		dec := json.NewDecoder(strings.NewReader(string(data)))
		dec.DisallowUnknownFields()
		require.NoError(t, dec.Decode(&p), name)
		assert.Equal(t, "2012-10-17", p.Version, name)
		require.NotEmpty(t, p.Statement, name)
		return p
	}
	actions := func(p policy) []string {
		var out []string
		for _, s := range p.Statement {
			assert.Equal(t, "Allow", s.Effect)
			switch a := s.Action.(type) {
			case string:
				out = append(out, a)
			case []any:
				for _, x := range a {
					out = append(out, x.(string))
				}
			}
		}
		return out
	}
	assert.Equal(t, awsread.ReadActions, actions(read("renewsim-check-policy.json")))
	trust := read("renewsim-check-trust-policy.json")
	assert.Equal(t, []string{awsread.AssumeAction}, actions(trust))
	assert.NotEmpty(t, trust.Statement[0].Principal["AWS"])
	assert.Equal(t, []string{awsread.AssumeAction}, actions(read("renewsim-check-caller-policy.json")))
}

// The calls check -aws makes are the policy's: a read of the example
// fleet makes every ACM and Route 53 call, and nothing else.
func TestCheckAWSCallsArePolicy(t *testing.T) {
	t.Cleanup(func() { goleak.VerifyNone(t) })
	s := serveExample(t, freeConfig())
	awsEnv(t, s)
	res, err := awsread.Read(context.Background(), awsread.Options{})
	require.NoError(t, err)
	var called []string
	for a := range res.Calls {
		called = append(called, a)
		assert.Contains(t, awsread.ReadActions, a)
	}
	assert.ElementsMatch(t, []string{"acm:DescribeCertificate", "acm:GetAccountConfiguration", "acm:ListCertificates",
		"route53:ListHostedZones", "route53:ListResourceRecordSets"}, called)
	assert.Equal(t, 13, res.Calls["acm:DescribeCertificate"])
	assert.Empty(t, res.Warnings)
}

// router sends a serve's AWS requests to its ACM API (awsJson1_1, told by
// X-Amz-Target) or its Route 53 API (REST): one base endpoint per
// account, as the SDK's BaseEndpoint takes it.
func router(t *testing.T, s *server) string {
	t.Helper()
	to := func(raw string) *httputil.ReverseProxy {
		u, err := url.Parse(raw)
		require.NoError(t, err)
		return httputil.NewSingleHostReverseProxy(u)
	}
	acmAPI, r53API := to(s.acm.URL()), to(s.route53.URL())
	tr := &http.Transport{}
	acmAPI.Transport, r53API.Transport = tr, tr
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.Header.Get("X-Amz-Target"), "CertificateManager.") {
			acmAPI.ServeHTTP(w, r)
			return
		}
		r53API.ServeHTTP(w, r)
	}))
	t.Cleanup(func() {
		srv.Close()
		tr.CloseIdleConnections()
	})
	return srv.URL
}

// Several accounts are one fleet, account by account in the output. The
// accounts are two serves, each reached through its own endpoint where
// production assumes the role through STS (which serve does not answer:
// the STS call itself is untested here).
func TestCheckAWSSeveralAccounts(t *testing.T) {
	t.Cleanup(func() { goleak.VerifyNone(t) })
	home := serveExample(t, freeConfig())
	other, err := scenarios.Parse("other.yaml", []byte(`name: other-account
start: 2026-04-01T00:00:00Z
until: 2027-04-01T00:00:00Z
overrides: {account: "444455556666", region: us-east-1}
resources:
  - {id: alb, kind: elb}
certificates:
  - {id: shop, domain: shop.example.net, in_use_by: [alb], issued: 2026-03-01T00:00:00Z}
`))
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	away, err := startServer(ctx, other, freeConfig(), io.Discard)
	require.NoError(t, err)
	t.Cleanup(func() {
		cancel()
		require.NoError(t, away.stop())
	})
	awsEnv(t, home)
	endpoints := map[string]string{"123456789012": router(t, home), "444455556666": router(t, away)}
	awsConfigHook = func(_ context.Context, account string) (aws.Config, error) {
		ep, ok := endpoints[account]
		if !ok {
			return aws.Config{}, fmt.Errorf("no serve for account %q", account)
		}
		return aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(ep),
			Credentials: credentials.NewStaticCredentialsProvider("AKIDRENEWSIMTEST", "renewsim-test-secret", "")}, nil
	}
	t.Cleanup(func() { awsConfigHook = nil })
	code, out, errs := renewsim(t, "check", "-aws", "-assume-role", "renewsim-check", "-accounts", "123456789012,444455556666", "-now", "2026-04-01T00:00:00Z")
	require.Equal(t, 1, code, errs)
	assert.True(t, strings.HasPrefix(out, "14 certificates of accounts 123456789012 and 444455556666 in us-east-1, from 2026-04-01"), out)
	first := strings.Index(out, "\n== account 123456789012: 13 certificates in us-east-1;")
	second := strings.Index(out, "\n== account 444455556666: 1 certificate in us-east-1; 1 renews, 0 expire, 0 already expired, 0 not issued, 0 cannot tell ==\n")
	require.Positive(t, first, out)
	require.Greater(t, second, first, out)
	assert.Contains(t, out[second:], "✓ shop.example.net  renews around ")

	// Exported, the accounts' documents are apart and the check of them
	// is the same.
	dir := filepath.Join(t.TempDir(), "export")
	code, live, errs := renewsim(t, "check", "-aws", "-assume-role", "renewsim-check", "-accounts", "123456789012,444455556666", "-now", "2026-04-01T00:00:00Z", "-export", dir)
	require.Equal(t, 1, code, errs)
	_, err = os.Stat(filepath.Join(dir, "acm", "444455556666.us-east-1.list-certificates.json"))
	assert.NoError(t, err)
	code, offline, errs := renewsim(t, "check", "-acm", filepath.Join(dir, "acm"), "-zones", filepath.Join(dir, "zones"),
		"-account-config", filepath.Join(dir, "account-config.json"), "-now", "2026-04-01T00:00:00Z")
	assert.Equal(t, 1, code, errs)
	assert.True(t, live == offline, "the check of the export prints what the live check printed")
}

// A fleet of 2,500 certificates in two regions, us-east-1's over three
// pages of ListCertificates, read under throttling: the adaptive retry
// mode and the bounded pool get every certificate, and the check of the
// export is the same. The throttle and the SDK's retries make it take
// tens of seconds, so it is left out of -short and -race runs; .ci/run
// runs it on its own, without -race.
func TestCheckAWSLargeFleetThrottled(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("reads 2,500 certificates through serve: not with -short or -race")
	}
	t.Cleanup(func() { goleak.VerifyNone(t) })
	var b strings.Builder
	for _, line := range strings.SplitAfter(string(scenarios.SyntheticFleet(2500, 1)), "\n") {
		b.WriteString(line)
		// Every tenth certificate in eu-west-1: 2,250 in us-east-1 (three
		// pages of 1,000) and 250 there.
		if id, ok := strings.CutPrefix(strings.TrimSpace(line), "- id: c"); ok && strings.HasSuffix(id, "9") {
			b.WriteString("    region: eu-west-1\n")
		}
	}
	sc, err := scenarios.Parse("large.yaml", []byte(b.String()))
	require.NoError(t, err)
	cfg := freeConfig()
	cfg.throttle = 300 // requests a second, per operation and region: the 8 workers of each region outrun it
	ctx, cancel := context.WithCancel(context.Background())
	s, err := startServer(ctx, sc, cfg, io.Discard)
	require.NoError(t, err)
	t.Cleanup(func() {
		cancel()
		require.NoError(t, s.stop())
	})
	awsEnv(t, s)

	dir := filepath.Join(t.TempDir(), "export")
	t0 := time.Now()
	code, live, errs := renewsim(t, "check", "-aws", "-regions", "us-east-1,eu-west-1", "-now", "2026-12-01T00:00:00Z", "-export", dir)
	t.Logf("check -aws of 2,500 certificates: %v", time.Since(t0))
	require.NotEqual(t, 2, code, errs)
	assert.True(t, strings.HasPrefix(live, "2500 certificates of account 123456789012 in us-east-1 and eu-west-1, "), live[:100])
	assert.False(t, strings.Contains(live, "\n? "), "every certificate was described and its zone read")

	pages := map[string]int{}
	described, throttled := map[string]bool{}, 0
	for _, h := range s.acm.History() {
		switch {
		case h.ErrorType == "ThrottlingException":
			throttled++
		case h.Status == http.StatusOK && h.Operation == "ListCertificates":
			pages[h.Region]++
		case h.Status == http.StatusOK && h.Operation == "DescribeCertificate":
			described[h.ARN] = true
		}
	}
	assert.Equal(t, map[string]int{"us-east-1": 3, "eu-west-1": 1}, pages)
	assert.Len(t, described, 2500)
	t.Logf("%d requests were answered ThrottlingException and retried", throttled)
	assert.Positive(t, throttled, "the throttle was reached, so the retries were exercised")

	_, offline, _ := renewsim(t, "check", "-acm", filepath.Join(dir, "acm"), "-zones", filepath.Join(dir, "zones"),
		"-account-config", filepath.Join(dir, "account-config.json"), "-now", "2026-12-01T00:00:00Z")
	assert.True(t, live == offline, "the check of the export prints what the live check printed")
}

// ACM refusing a call: ListCertificates refused leaves nothing to check
// (exit 2, naming the account, region and permission); DescribeCertificate
// refused leaves the certificates listed, as "cannot tell".
func TestCheckAWSAccessDeniedOnACM(t *testing.T) {
	t.Cleanup(func() { goleak.VerifyNone(t) })
	cfg := freeConfig()
	cfg.deny = map[string][]string{"acm": {"ListCertificates"}}
	s := serveExample(t, cfg)
	awsEnv(t, s)
	code, out, errs := renewsim(t, "check", "-aws", "-regions", "eu-west-1", "-now", "2026-04-01T00:00:00Z")
	assert.Equal(t, 2, code, errs)
	assert.Empty(t, out)
	assert.Contains(t, errs, "renewsim: check -aws: the account of the default credentials, eu-west-1: acm:ListCertificates: ")
	assert.Contains(t, errs, "(the credentials lack acm:ListCertificates: see docs/iam/renewsim-check-policy.json)\n")

	cfg = freeConfig()
	cfg.deny = map[string][]string{"acm": {"DescribeCertificate", "GetAccountConfiguration"}}
	s = serveExample(t, cfg)
	awsEnv(t, s)
	code, out, errs = renewsim(t, "check", "-aws", "-now", "2026-04-01T00:00:00Z", "-json")
	assert.Equal(t, 0, code, errs)
	assert.Contains(t, errs, "renewsim: warning: account 123456789012, us-east-1: acm:DescribeCertificate: access denied for 13 of 13 certificates: they are listed as \"cannot tell\"; add acm:DescribeCertificate to the policy\n")
	assert.Contains(t, errs, "renewsim: warning: account 123456789012, us-east-1: acm:GetAccountConfiguration: access denied: ")
	for arn, v := range verdicts(t, out) {
		assert.Equal(t, "cannot-tell: listed by list-certificates, but no describe-certificate output was given for it", v, arn)
	}
}

// The file route: an export written as text (output = text in the AWS
// config) is named for what it is, and a PowerShell export in UTF-16 reads
// as the UTF-8 one does.
func TestCheckFileRouteEncodingsAndFormats(t *testing.T) {
	dir := t.TempDir()
	text := filepath.Join(dir, "describe.json")
	require.NoError(t, os.WriteFile(text, []byte("CERTIFICATE\t2026-03-01T00:00:00+00:00\tarn:aws:acm:us-east-1:123456789012:certificate/1\n"), 0o644))
	code, _, errs := renewsim(t, "check", "-acm", text, "-zones", fleetDir+"/zones", "-now", "2026-04-01T00:00:00Z")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, text+":1:1: this looks like `--output text`; re-run the command with `--output json`")

	// The example's account configuration, as Windows PowerShell 5's `>`
	// writes it.
	data, err := os.ReadFile(fleetDir + "/account-config.json")
	require.NoError(t, err)
	utf16 := []byte{0xFF, 0xFE}
	for _, r := range string(data) {
		utf16 = append(utf16, byte(r), byte(r>>8))
	}
	cfg := filepath.Join(dir, "account-config.json")
	require.NoError(t, os.WriteFile(cfg, utf16, 0o644))
	_, want, _ := renewsim(t, checkArgs()...)
	code, got, errs := renewsim(t, "check", "-acm", fleetDir+"/acm", "-zones", fleetDir+"/zones", "-account-config", cfg, "-now", "2026-04-01T00:00:00Z")
	assert.Equal(t, 1, code, errs)
	assert.True(t, want == got, "the same output")
}

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/renewsim/renewsim/awsread"
)

// The AWS services check -aws calls that serve does not answer — STS and
// the Account API — are stood in for by these loopback stubs: a handful
// of lines each that answer the one call, in the service's own protocol,
// and record what they were asked. They stand for AWS, not for a fake of
// ours.

// stsStub answers AssumeRole (awsQuery) with credentials named after the
// account, and records the role ARNs and session names asked for.
type stsStub struct {
	mu    sync.Mutex
	asked []string // RoleArn RoleSessionName
}

func (s *stsStub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	if r.Form.Get("Action") != "AssumeRole" {
		http.Error(w, "<ErrorResponse><Error><Code>InvalidAction</Code></Error></ErrorResponse>", http.StatusBadRequest)
		return
	}
	role := r.Form.Get("RoleArn")
	s.mu.Lock()
	s.asked = append(s.asked, role+" "+r.Form.Get("RoleSessionName"))
	s.mu.Unlock()
	account := strings.Split(role, ":")[4]
	w.Header().Set("Content-Type", "text/xml")
	fmt.Fprintf(w, `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>
<Credentials><AccessKeyId>ASIA%s</AccessKeyId><SecretAccessKey>assumed-secret-%s</SecretAccessKey><SessionToken>assumed-token-%s</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>
<AssumedRoleUser><Arn>arn:aws:sts::%s:assumed-role/renewsim-check/renewsim-check</Arn><AssumedRoleId>AROATEST:renewsim-check</AssumedRoleId></AssumedRoleUser>
</AssumeRoleResult><ResponseMetadata><RequestId>renewsim-test</RequestId></ResponseMetadata></AssumeRoleResponse>`, account, account, account, account)
}

// accountStub answers the Account API's ListRegions (restJson1) with
// regions, one page at a time.
func accountStub(regions ...string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/listRegions" {
			http.Error(w, `{"message":"unknown operation"}`, http.StatusNotFound)
			return
		}
		var in struct{ NextToken string }
		_ = json.NewDecoder(r.Body).Decode(&in)
		page, next := regions, ""
		if in.NextToken == "" && len(regions) > 1 {
			page, next = regions[:1], "more"
		} else if in.NextToken == "more" {
			page = regions[1:]
		}
		var out struct {
			Regions   []map[string]string
			NextToken string `json:",omitempty"`
		}
		for _, rg := range page {
			out.Regions = append(out.Regions, map[string]string{"RegionName": rg, "RegionOptStatus": "ENABLED_BY_DEFAULT"})
		}
		out.NextToken = next
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(out)
	})
}

// signedBy records the access key id that signed each request it passes
// on to target.
type signedBy struct {
	mu   sync.Mutex
	keys map[string]int
	next *httputil.ReverseProxy
}

var credentialRE = regexp.MustCompile(`Credential=([A-Z0-9]+)/`)

func (s *signedBy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if m := credentialRE.FindStringSubmatch(r.Header.Get("Authorization")); m != nil {
		s.mu.Lock()
		s.keys[m[1]]++
		s.mu.Unlock()
	}
	s.next.ServeHTTP(w, r)
}

func recordingProxy(t *testing.T, target string) (*signedBy, string) {
	t.Helper()
	u, err := url.Parse(target)
	require.NoError(t, err)
	tr := &http.Transport{}
	p := httputil.NewSingleHostReverseProxy(u)
	p.Transport = tr
	s := &signedBy{keys: map[string]int{}, next: p}
	srv := httptest.NewServer(s)
	t.Cleanup(func() {
		srv.Close()
		tr.CloseIdleConnections()
	})
	return s, srv.URL
}

func stub(t *testing.T, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// -assume-role assumes the role in each account through STS (the SDK's
// stscreds, from the default chain's credentials) and reads each account
// with that account's credentials: every ACM call is signed with the
// assumed keys, never with the caller's own.
func TestCheckAWSAssumesTheRoleInEachAccount(t *testing.T) {
	t.Cleanup(func() { goleak.VerifyNone(t) })
	s := serveExample(t, freeConfig())
	awsEnv(t, s)
	sts := &stsStub{}
	t.Setenv("AWS_ENDPOINT_URL_STS", stub(t, sts))
	signed, acmURL := recordingProxy(t, s.acm.URL())
	t.Setenv("AWS_ENDPOINT_URL_ACM", acmURL)
	code, out, errs := renewsim(t, "check", "-aws", "-assume-role", "audit/renewsim-check", "-accounts", "111122223333,444455556666", "-now", "2026-04-01T00:00:00Z")
	require.Equal(t, 1, code, errs)
	assert.Contains(t, out, "api.example.com  expires on 2026-09-06")
	assert.ElementsMatch(t, []string{
		"arn:aws:iam::111122223333:role/audit/renewsim-check renewsim-check",
		"arn:aws:iam::444455556666:role/audit/renewsim-check renewsim-check",
	}, sts.asked, "one AssumeRole per account: the credentials are cached")
	assert.Positive(t, signed.keys["ASIA111122223333"])
	assert.Positive(t, signed.keys["ASIA444455556666"])
	assert.Zero(t, signed.keys["AKIDRENEWSIMTEST"], "the caller's own keys sign nothing but AssumeRole")
	for _, secret := range []string{"renewsim-test-secret", "assumed-secret", "assumed-token"} {
		assert.NotContains(t, out+errs, secret)
	}
}

// -regions all reads every region the Account API says is enabled, and
// us-east-1 for CloudFront whether or not it is one of them.
func TestCheckAWSAllRegions(t *testing.T) {
	t.Cleanup(func() { goleak.VerifyNone(t) })
	s := serveExample(t, freeConfig())
	awsEnv(t, s)
	t.Setenv("AWS_ENDPOINT_URL_ACCOUNT", stub(t, accountStub("eu-west-1", "us-east-1")))
	signed, acmURL := recordingProxy(t, s.acm.URL())
	t.Setenv("AWS_ENDPOINT_URL_ACM", acmURL)
	dir := t.TempDir() + "/export"
	code, _, errs := renewsim(t, "check", "-aws", "-regions", "all", "-now", "2026-04-01T00:00:00Z", "-export", dir)
	require.Equal(t, 1, code, errs)
	for _, region := range []string{"eu-west-1", "us-east-1"} {
		assert.FileExists(t, dir+"/acm/"+region+".list-certificates.json")
	}
	assert.Positive(t, signed.keys["AKIDRENEWSIMTEST"])

	// With ListRegions, every call of the read-only policy is made, and
	// nothing else.
	res, err := awsread.Read(context.Background(), awsread.Options{AllRegions: true})
	require.NoError(t, err)
	var called []string
	for a := range res.Calls {
		called = append(called, a)
	}
	assert.ElementsMatch(t, awsread.ReadActions, called)
	assert.Equal(t, []string{"eu-west-1", "us-east-1"}, res.Regions)
}

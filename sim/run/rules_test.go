package run

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/acm"
	"github.com/aws/aws-sdk-go-v2/service/acm/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/renewsim/renewsim/fakes/acmapi"
	"github.com/renewsim/renewsim/fakes/web"
	"github.com/renewsim/renewsim/scenarios"
	"github.com/renewsim/renewsim/sim"
)

// Rules of the model that only the runner and the real fakes can break:
// what reaches the model through a real HTTP client, a real DNS server
// and the real ACM API (docs/model.md §5, §6, §2 "status lag").

// liveOf starts a live run of a scenario written in YAML.
func liveOf(t *testing.T, src string) *Live {
	t.Helper()
	t.Cleanup(func() { goleak.VerifyNone(t) }) // runs last
	sc, err := scenarios.Parse("rules.yaml", []byte(src))
	require.NoError(t, err)
	l, err := StartLive(context.Background(), sc, Options{}, Addrs{})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, l.Close()) })
	return l
}

// renewedBy reports whether the record holds a renewal of cert by t.
func renewedBy(l *Live, cert string, t time.Time) bool {
	for _, e := range l.Entries(0) {
		if e.Kind == sim.KindIssued && e.Cert == cert && !e.Time.After(t) {
			return true
		}
	}
	return false
}

// The fake web server answers the token path of an HTTP-validated
// certificate with each redirect status to ACM's copy of the token; the
// runner's client reads the status and Location without following it, and
// the model renews for 301, 302, 303, 307 and 308, not for 304 (a status
// that sends no client anywhere).
func TestHTTPValidationFollowsEachRedirectStatus(t *testing.T) {
	const src = `name: http-redirect
start: 2026-03-01T00:00:00Z
until: web.expiry-44d
resources:
  - {id: cdn, kind: cloudfront, hostnames: [static.example.com]}
certificates:
  - {id: web, domain: static.example.com, validation: http, validation_record: redirect, in_use_by: [cdn]}
`
	for _, tc := range []struct {
		status  int
		renewed bool
	}{{301, true}, {302, true}, {303, true}, {307, true}, {308, true}, {304, false}} {
		t.Run(fmt.Sprint(tc.status), func(t *testing.T) {
			l := liveOf(t, src)
			sc := l.Scenario()
			path, _, redirect := sim.HTTPToken(l.Seed(), &sc.Profile, "static.example.com")
			l.w.http[0].Set(path, web.Response{Status: tc.status, Location: redirect})
			opens := sc.Certificates[0].NotAfter.Add(-45 * sim.Day)
			require.NoError(t, l.AdvanceTo(opens.Add(30*time.Minute)))
			assert.Equal(t, tc.renewed, renewedBy(l, "web", opens.Add(30*time.Minute)))
			var got []int
			for _, r := range l.w.http[0].History() {
				if r.Path == path {
					got = append(got, r.Status)
				}
			}
			require.NotEmpty(t, got, "the attempt asked the fake web server")
			assert.Equal(t, tc.status, got[0])
		})
	}
}

// CAA tags and issuer names reach the model as the DNS server holds them,
// in upper case too, and are matched without regard to case (RFC 8659):
// ISSUE for another CA forbids Amazon, ISSUE "AmazonTrust.COM" allows it.
func TestCAACaseThroughTheFakeDNS(t *testing.T) {
	l := liveOf(t, `name: caa-case
start: 2026-03-01T00:00:00Z
until: ok.expiry-44d
resources: [{id: alb, kind: elb}]
certificates:
  - {id: ok, domain: ok.example.com, in_use_by: [alb]}
  - {id: other, domain: other.example.com, in_use_by: [alb]}
dns:
  records:
    - 'ok.example.com. 300 IN CAA 0 ISSUE "AmazonTrust.COM"'
    - 'other.example.com. 300 IN CAA 0 ISSUE "letsencrypt.org"'
`)
	at := l.Scenario().Certificates[0].NotAfter.Add(-45*sim.Day + 30*time.Minute)
	require.NoError(t, l.AdvanceTo(at))
	assert.True(t, renewedBy(l, "ok", at))
	assert.False(t, renewedBy(l, "other", at))
	var failed *sim.CAAAnswer
	for _, e := range l.Entries(0) {
		if e.Kind == sim.KindCAA && e.Cert == "other" {
			failed = &e.Detail.CAA[0]
		}
	}
	require.NotNil(t, failed)
	assert.Equal(t, []string{`0 ISSUE "letsencrypt.org"`}, failed.Records, "the tag arrives as the zone holds it")
	assert.Equal(t, sim.CauseCAAForbids, failed.Cause)
}

// DescribeCertificate, asked with the real ACM client, shows a live run
// as it was status_lag ago: half an hour after the renewal (lag 1h) the
// old certificate and no renewal yet; an hour and a quarter after, the
// new one with renewal status SUCCESS.
func TestDescribeCertificateLagsByStatusLag(t *testing.T) {
	l := startLive(t, "dns-happy")
	sc := l.Scenario()
	require.Equal(t, time.Hour, sc.Profile.StatusLag, "acm-2026's default lag")
	srv := acmapi.New(acmapi.Config{Backend: NewACMBackend(l)})
	require.NoError(t, srv.Start())
	tr := &http.Transport{}
	t.Cleanup(func() {
		tr.CloseIdleConnections()
		require.NoError(t, srv.Close())
	})
	client := acm.New(acm.Options{BaseEndpoint: aws.String(srv.URL()), Region: "us-east-1", RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider("AKID", "SECRET", ""), HTTPClient: &http.Client{Transport: tr}})
	describe := func() *types.CertificateDetail {
		arn := l.View()[0].ARN
		out, err := client.DescribeCertificate(context.Background(), &acm.DescribeCertificateInput{CertificateArn: aws.String(arn)})
		require.NoError(t, err)
		return out.Certificate
	}
	first := describe()
	require.NotNil(t, first.Serial)

	// The window opens at T−45d; the renewal issues 10 minutes later.
	renewed := sc.Certificates[0].NotAfter.Add(-45*sim.Day + 10*time.Minute)
	require.NoError(t, l.AdvanceTo(renewed.Add(30*time.Minute)))
	require.True(t, renewedBy(l, "web", renewed), "the model has renewed")
	d := describe()
	assert.Equal(t, aws.ToString(first.Serial), aws.ToString(d.Serial), "half an hour after the renewal, an hour's lag still shows the old certificate")
	assert.True(t, first.NotAfter.Equal(*d.NotAfter))
	assert.Nil(t, d.RenewalSummary, "nor has the window opened, an hour ago")

	require.NoError(t, l.AdvanceTo(renewed.Add(75*time.Minute)))
	d = describe()
	assert.NotEqual(t, aws.ToString(first.Serial), aws.ToString(d.Serial))
	require.NotNil(t, d.RenewalSummary)
	assert.Equal(t, types.RenewalStatusSuccess, d.RenewalSummary.RenewalStatus)
}

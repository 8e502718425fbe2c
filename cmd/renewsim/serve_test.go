package main

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/smtp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/acm"
	acmtypes "github.com/aws/aws-sdk-go-v2/service/acm/types"
	mdns "github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/renewsim/renewsim/scenarios"
)

func freeConfig() serveConfig {
	return serveConfig{dns: "127.0.0.1:0", smtp: "127.0.0.1:0", approval: "127.0.0.1:0", acm: "127.0.0.1:0", route53: "127.0.0.1:0", control: "127.0.0.1:0", tick: 10 * time.Millisecond}
}

// Every port serve lists answers its protocol to a Go client; the control
// API steps the clock and injects a world change; the ACM API shows the
// effect through the real SDK; everything shuts down without a goroutine
// left.
func TestServeEveryPortAndTheControlAPI(t *testing.T) {
	defer goleak.VerifyNone(t)
	sc, err := scenarios.LoadLibrary("dns-happy")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := startServer(ctx, sc, freeConfig(), io.Discard)
	require.NoError(t, err)
	dnsAddr, smtpAddr, approvalURL, resources := s.live.Addrs()
	ctl := "http://" + s.ctlAddr
	hc := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}

	post := func(path, body string) map[string]any {
		resp, err := hc.Post(ctl+path, "application/json", strings.NewReader(body))
		require.NoError(t, err)
		defer resp.Body.Close()
		var out map[string]any
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
		require.Equal(t, http.StatusOK, resp.StatusCode, out)
		return out
	}
	get := func(path string) string {
		resp, err := hc.Get(ctl + path)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}

	assert.Contains(t, get("/now"), `"now": "2026-03-01T00:00:00Z"`)
	// Delete the validation CNAME, then run into the renewal window.
	post("/timeline", `{"do":"delete-validation-record","cert":"web"}`)
	out := post("/advance?d=155d", "")
	assert.Equal(t, "2026-08-03T00:00:00Z", out["now"])

	// DNS: the record is gone, the A-less name answers NXDOMAIN over UDP.
	var view []struct {
		NameStatus []struct{ Record string }
	}
	require.NoError(t, json.Unmarshal([]byte(get("/certificates")), &view))
	q := new(mdns.Msg)
	q.SetQuestion(view[0].NameStatus[0].Record, mdns.TypeCNAME)
	r, _, err := (&mdns.Client{}).Exchange(q, dnsAddr)
	require.NoError(t, err)
	assert.Equal(t, mdns.RcodeNameError, r.Rcode)

	// ACM API through the real SDK: renewal pending, per-name status.
	client := acm.New(acm.Options{BaseEndpoint: aws.String(s.acm.URL()), Region: "us-east-1", RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider("AKID", "SECRET", ""), HTTPClient: hc})
	list, err := client.ListCertificates(ctx, &acm.ListCertificatesInput{})
	require.NoError(t, err)
	require.Len(t, list.CertificateSummaryList, 1)
	d, err := client.DescribeCertificate(ctx, &acm.DescribeCertificateInput{CertificateArn: list.CertificateSummaryList[0].CertificateArn})
	require.NoError(t, err)
	assert.Equal(t, acmtypes.CertificateStatusIssued, d.Certificate.Status)
	require.NotNil(t, d.Certificate.RenewalSummary)
	assert.Equal(t, acmtypes.RenewalStatusPendingAutoRenewal, d.Certificate.RenewalSummary.RenewalStatus)
	assert.Equal(t, acmtypes.DomainStatusPendingValidation, d.Certificate.RenewalSummary.DomainValidationOptions[0].ValidationStatus)
	assert.Equal(t, sc.Certificates[0].NotAfter, *d.Certificate.NotAfter)

	// Restore it: the next hourly attempt renews.
	post("/timeline", `{"do":"restore-validation-record","cert":"web"}`)
	post("/advance?d=1d", "")
	d, err = client.DescribeCertificate(ctx, &acm.DescribeCertificateInput{CertificateArn: list.CertificateSummaryList[0].CertificateArn})
	require.NoError(t, err)
	assert.Equal(t, acmtypes.RenewalStatusSuccess, d.Certificate.RenewalSummary.RenewalStatus)
	assert.True(t, d.Certificate.NotAfter.After(sc.Certificates[0].NotAfter))
	pem, err := client.GetCertificate(ctx, &acm.GetCertificateInput{CertificateArn: list.CertificateSummaryList[0].CertificateArn})
	require.NoError(t, err)
	assert.Contains(t, *pem.Certificate, "BEGIN CERTIFICATE")

	// SMTP and approval answer; the resource serves TLS.
	c, err := smtp.Dial(smtpAddr)
	require.NoError(t, err)
	require.NoError(t, c.Hello("client.test"))
	require.NoError(t, c.Quit())
	resp, err := hc.Get(approvalURL + "/approvals?code=nope&context=nope")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	require.Len(t, resources, 1)
	conn, err := tls.Dial("tcp", resources[0].TLS, &tls.Config{InsecureSkipVerify: true, ServerName: "example.com"})
	require.NoError(t, err)
	assert.NotEmpty(t, conn.ConnectionState().PeerCertificates)
	conn.Close()
	hconn, err := net.Dial("tcp", resources[0].HTTP)
	require.NoError(t, err)
	hconn.Close()

	assert.Contains(t, get("/events?from=0"), `"kind":"renewal-issued"`)
	bad, err := hc.Post(ctl+"/timeline", "application/json", strings.NewReader(`{"do":"detach","cert":"web","resource":"nope"}`))
	require.NoError(t, err)
	bad.Body.Close()
	assert.Equal(t, http.StatusBadRequest, bad.StatusCode)

	hc.CloseIdleConnections()
	cancel()
	require.NoError(t, s.stop())
}

// With a speed the clock moves by itself.
func TestServeAcceleratedClock(t *testing.T) {
	sc, err := scenarios.LoadLibrary("dns-happy")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cfg := freeConfig()
	cfg.speed = 3600 * 24 * 365 // a virtual year per second
	s, err := startServer(ctx, sc, cfg, io.Discard)
	require.NoError(t, err)
	for !s.live.Ended() {
		select {
		case err := <-s.errc:
			t.Fatal(err)
		case <-time.After(5 * time.Millisecond):
		}
	}
	assert.Equal(t, sc.Until, s.live.Now())
	cancel()
	require.NoError(t, s.stop())
}

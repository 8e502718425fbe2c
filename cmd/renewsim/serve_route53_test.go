package main

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/acm"
	acmtypes "github.com/aws/aws-sdk-go-v2/service/acm/types"
	r53 "github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/renewsim/renewsim/scenarios"
	"github.com/renewsim/renewsim/sim"
)

// clients are the real SDK's ACM and Route 53 clients pointed at a serve.
type clients struct {
	acm *acm.Client
	r53 *r53.Client
	tr  *http.Transport
}

func sdkClients(s *server, region string) clients {
	tr := &http.Transport{}
	creds := credentials.NewStaticCredentialsProvider("AKID", "SECRET", "")
	return clients{
		acm: acm.New(acm.Options{BaseEndpoint: aws.String(s.acm.URL()), Region: region, RetryMaxAttempts: 1,
			Credentials: creds, HTTPClient: &http.Client{Transport: tr}}),
		r53: r53.New(r53.Options{BaseEndpoint: aws.String(s.route53.URL()), Region: "us-east-1", RetryMaxAttempts: 1,
			Credentials: creds, HTTPClient: &http.Client{Transport: tr}}),
		tr: tr,
	}
}

func startServe(t *testing.T, name string, cfg serveConfig) (*server, clients) {
	t.Helper()
	sc, err := scenarios.LoadLibrary(name)
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

// The Route 53 API lists the DNS server's zones and what they hold, with
// the real SDK, and leaves ACM's own zone (the validation targets) out.
func TestServeRoute53Lists(t *testing.T) {
	t.Cleanup(func() { goleak.VerifyNone(t) }) // after the serves close
	cfg := freeConfig()
	cfg.privateZones = []string{"example.com", "corp.internal"}
	s, c := startServe(t, "dns-happy", cfg)
	ctx := context.Background()

	zones, err := c.r53.ListHostedZones(ctx, &r53.ListHostedZonesInput{})
	require.NoError(t, err)
	var names []string
	var public string
	for _, z := range zones.HostedZones {
		kind := "public"
		if z.Config.PrivateZone {
			kind = "private"
		} else {
			public = aws.ToString(z.Id)
		}
		names = append(names, kind+" "+aws.ToString(z.Name))
	}
	assert.Equal(t, []string{"public example.com.", "private example.com.", "private corp.internal."}, sortedZones(names))

	sets, err := c.r53.ListResourceRecordSets(ctx, &r53.ListResourceRecordSetsInput{HostedZoneId: aws.String(public)})
	require.NoError(t, err)
	var got []string
	for _, rs := range sets.ResourceRecordSets {
		got = append(got, aws.ToString(rs.Name)+" "+string(rs.Type))
	}
	v := s.live.View()[0]
	assert.Equal(t, []string{"example.com. NS", "example.com. SOA", v.NameStatus[0].Record + " CNAME"}, got,
		"the apex's SOA and NS the DNS server makes up, and the validation CNAME (shared by example.com and *.example.com)")
	cn := sets.ResourceRecordSets[2]
	assert.Equal(t, v.NameStatus[0].Value, aws.ToString(cn.ResourceRecords[0].Value))
}

func sortedZones(names []string) []string {
	// ListHostedZones orders by name with the labels reversed, then by
	// ID; IDs are hashes, so put each name's public zone first here.
	out := append([]string(nil), names...)
	for i := 1; i < len(out); i++ {
		if strings.HasPrefix(out[i], "public ") && strings.TrimPrefix(out[i], "public ") == strings.TrimPrefix(out[i-1], "private ") {
			out[i], out[i-1] = out[i-1], out[i]
		}
	}
	return out
}

// Deleting the validation CNAME with ChangeResourceRecordSets, as a person
// cleaning up DNS would, fails the renewal exactly as the timeline's
// delete-validation-record does: the two runs' records differ only in how
// the timeline entry names the change.
func TestServeRoute53DeleteFailsRenewalLikeTheTimeline(t *testing.T) {
	t.Cleanup(func() { goleak.VerifyNone(t) }) // after the serves close
	ctx := context.Background()

	viaTimeline, _ := startServe(t, "dns-happy", freeConfig())
	require.NoError(t, viaTimeline.live.Inject(sim.Change{Do: sim.DoDeleteValidationRecord, Cert: "web"}))

	viaAPI, c := startServe(t, "dns-happy", freeConfig())
	list, err := c.acm.ListCertificates(ctx, &acm.ListCertificatesInput{})
	require.NoError(t, err)
	arn := list.CertificateSummaryList[0].CertificateArn
	d, err := c.acm.DescribeCertificate(ctx, &acm.DescribeCertificateInput{CertificateArn: arn})
	require.NoError(t, err)
	rr := d.Certificate.DomainValidationOptions[0].ResourceRecord
	zones, err := c.r53.ListHostedZonesByName(ctx, &r53.ListHostedZonesByNameInput{DNSName: aws.String("example.com"), MaxItems: aws.Int32(1)})
	require.NoError(t, err)
	zone := zones.HostedZones[0].Id
	_, err = c.r53.ChangeResourceRecordSets(ctx, &r53.ChangeResourceRecordSetsInput{HostedZoneId: zone, ChangeBatch: &r53types.ChangeBatch{
		Changes: []r53types.Change{{Action: r53types.ChangeActionDelete, ResourceRecordSet: &r53types.ResourceRecordSet{
			Name: rr.Name, Type: r53types.RRTypeCname, TTL: aws.Int64(300),
			ResourceRecords: []r53types.ResourceRecord{{Value: rr.Value}}}}}}})
	require.NoError(t, err)

	for _, s := range []*server{viaTimeline, viaAPI} {
		require.NoError(t, s.live.Advance(s.live.Scenario().Until.Sub(s.live.Now())))
	}
	a, b := viaTimeline.live.Entries(0), viaAPI.live.Entries(0)
	require.Equal(t, len(a), len(b))
	timeline := 0
	for i := range a {
		if a[i].Kind == sim.KindTimeline {
			timeline++
			assert.Equal(t, sim.DoDeleteValidationRecord, a[i].Detail.TimelineOf().Do)
			assert.Equal(t, sim.DoDNSDelete, b[i].Detail.TimelineOf().Do)
			assert.Equal(t, a[i].Time, b[i].Time)
			assert.Contains(t, b[i].Detail.Text, aws.ToString(rr.Name))
			continue
		}
		assert.Equal(t, a[i], b[i], "entry %d", i)
	}
	assert.Equal(t, 1, timeline)

	// The renewal failed: the certificate expired.
	d, err = c.acm.DescribeCertificate(ctx, &acm.DescribeCertificateInput{CertificateArn: arn})
	require.NoError(t, err)
	assert.Equal(t, acmtypes.CertificateStatusExpired, d.Certificate.Status)
}

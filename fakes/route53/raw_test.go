package route53_test

import (
	"encoding/xml"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/renewsim/renewsim/fakes/route53"
)

type rawResponse struct {
	status int
	header http.Header
	body   string
}

func (r rawResponse) code(t *testing.T) string {
	t.Helper()
	var e struct {
		Error struct{ Type, Code, Message string }
	}
	require.NoError(t, xml.Unmarshal([]byte(r.body), &e), r.body)
	return e.Error.Code
}

func startRaw(t *testing.T, cfg route53.Config) (*route53.Server, func(method, path, body string) rawResponse) {
	t.Helper()
	srv, _ := start(t, newMem(), cfg)
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	hc := &http.Client{Transport: tr}
	return srv, func(method, path, body string) rawResponse {
		t.Helper()
		req, err := http.NewRequest(method, srv.URL()+path, strings.NewReader(body))
		require.NoError(t, err)
		resp, err := hc.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return rawResponse{resp.StatusCode, resp.Header, string(b)}
	}
}

// What the wire looks like: Route 53's namespace on the root, lists sent
// even when empty, text/xml, a request ID in the header and in errors.
func TestWireFormat(t *testing.T) {
	_, do := startRaw(t, route53.Config{})
	r := do("GET", "/2013-04-01/hostedzone?hostedzonetype=PrivateHostedZone&maxitems=1", "")
	assert.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, "text/xml", r.header.Get("Content-Type"))
	assert.Equal(t, "00000000-0000-4000-8000-000000000001", r.header.Get("X-Amzn-Requestid"))
	assert.True(t, strings.HasPrefix(r.body, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+`<ListHostedZonesResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><HostedZones><HostedZone><Id>/hostedzone/Z`), r.body)
	assert.Contains(t, r.body, `<Name>example.com.</Name><CallerReference>renewsim-Z`)
	assert.Contains(t, r.body, `<Config><Comment>split horizon</Comment><PrivateZone>true</PrivateZone></Config><ResourceRecordSetCount>3</ResourceRecordSetCount></HostedZone></HostedZones><IsTruncated>false</IsTruncated><MaxItems>1</MaxItems></ListHostedZonesResponse>`)

	r = do("GET", "/2013-04-01/hostedzonesbyname?dnsname=zzz.zzz", "")
	assert.Contains(t, r.body, `<HostedZones></HostedZones><DNSName>zzz.zzz</DNSName><IsTruncated>false</IsTruncated>`, "an empty list is sent")

	r = do("GET", "/2013-04-01/hostedzone/ZNOPE/rrset", "")
	assert.Equal(t, http.StatusNotFound, r.status)
	assert.Equal(t, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+`<ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Error><Type>Sender</Type><Code>NoSuchHostedZone</Code><Message>No hosted zone found with ID: ZNOPE</Message></Error><RequestId>00000000-0000-4000-8000-000000000003</RequestId></ErrorResponse>`, r.body)
}

func TestBadRequests(t *testing.T) {
	srv, do := startRaw(t, route53.Config{})
	r := do("GET", "/2013-04-01/hostedzone", "")
	id := r.body[strings.Index(r.body, "/hostedzone/Z")+len("/hostedzone/") : strings.Index(r.body, "/hostedzone/Z")+len("/hostedzone/")+21]

	for _, tc := range []struct {
		method, path, body string
		status             int
		code               string
	}{
		{"GET", "/", "", 404, "UnknownOperationException"},
		{"GET", "/2013-04-01/healthcheck", "", 404, "UnknownOperationException"},
		{"DELETE", "/2013-04-01/hostedzone/" + id, "", 404, "UnknownOperationException"},
		{"POST", "/2013-04-01/hostedzone", "", 404, "UnknownOperationException"},
		{"GET", "/2013-04-01/hostedzone?maxitems=abc", "", 400, "InvalidInput"},
		{"GET", "/2013-04-01/hostedzone?maxitems=0", "", 400, "InvalidInput"},
		{"GET", "/2013-04-01/hostedzone?delegationsetid=N1", "", 400, "NoSuchDelegationSet"},
		{"GET", "/2013-04-01/hostedzonesbyname?hostedzoneid=" + id, "", 400, "InvalidInput"},
		{"GET", "/2013-04-01/hostedzonesbyname?dnsname=a..b", "", 400, "InvalidDomainName"},
		{"GET", "/2013-04-01/hostedzone/" + id + "/rrset?type=XYZ&name=example.com", "", 400, "InvalidInput"},
		{"POST", "/2013-04-01/hostedzone/" + id + "/rrset", "not xml", 400, "InvalidInput"},
		{"POST", "/2013-04-01/hostedzone/" + id + "/rrset", "<ChangeResourceRecordSetsRequest/>", 400, "InvalidInput"},
		{"POST", "/2013-04-01/hostedzone/" + id + "/rrset/", `<ChangeResourceRecordSetsRequest xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><ChangeBatch><Changes><Change><Action>RENAME</Action><ResourceRecordSet><Name>a.example.com</Name><Type>A</Type><TTL>1</TTL><ResourceRecords><ResourceRecord><Value>127.0.0.1</Value></ResourceRecord></ResourceRecords></ResourceRecordSet></Change></Changes></ChangeBatch></ChangeResourceRecordSetsRequest>`, 400, "InvalidInput"},
		{"POST", "/2013-04-01/hostedzone/" + id + "/rrset/", `<ChangeResourceRecordSetsRequest><ChangeBatch><Changes><Change><Action>CREATE</Action><ResourceRecordSet><Name>a.example.com</Name><Type>A</Type><TTL>-1</TTL><ResourceRecords><ResourceRecord><Value>127.0.0.1</Value></ResourceRecord></ResourceRecords></ResourceRecordSet></Change></Changes></ChangeBatch></ChangeResourceRecordSetsRequest>`, 400, "InvalidInput"},
		{"POST", "/2013-04-01/hostedzone/" + id + "/rrset/", `<ChangeResourceRecordSetsRequest><ChangeBatch><Changes><Change><Action>CREATE</Action><ResourceRecordSet><Name>a.example.com</Name><Type>TXT</Type><TTL>1</TTL><ResourceRecords><ResourceRecord><Value>"x"` + "\n" + `$INCLUDE /etc/passwd</Value></ResourceRecord></ResourceRecords></ResourceRecordSet></Change></Changes></ChangeBatch></ChangeResourceRecordSetsRequest>`, 400, "InvalidChangeBatch"},
		{"POST", "/2013-04-01/hostedzone/" + id + "/rrset/", `<ChangeResourceRecordSetsRequest><ChangeBatch><Changes><Change><Action>CREATE</Action><ResourceRecordSet><Name>a.example.com</Name><Type>A</Type><TTL>1</TTL><ResourceRecords><ResourceRecord><Value>127.0.0.1; a.example.com 1 IN A 10.0.0.1</Value></ResourceRecord></ResourceRecords></ResourceRecordSet></Change></Changes></ChangeBatch></ChangeResourceRecordSetsRequest>`, 400, "InvalidChangeBatch"},
		{"GET", "/2013-04-01/change/C1", "", 404, "NoSuchChange"},
	} {
		r := do(tc.method, tc.path, tc.body)
		assert.Equal(t, tc.status, r.status, "%s %s: %s", tc.method, tc.path, r.body)
		assert.Equal(t, tc.code, r.code(t), "%s %s", tc.method, tc.path)
	}

	// botocore's trailing slash, and an ID that keeps its prefix.
	ok := do("POST", "/2013-04-01/hostedzone/%2Fhostedzone%2F"+id+"/rrset/", `<ChangeResourceRecordSetsRequest xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><ChangeBatch><Changes><Change><Action>CREATE</Action><ResourceRecordSet><Name>a.example.com</Name><Type>A</Type><TTL>60</TTL><ResourceRecords><ResourceRecord><Value>127.0.0.1</Value></ResourceRecord></ResourceRecords></ResourceRecordSet></Change></Changes></ChangeBatch></ChangeResourceRecordSetsRequest>`)
	assert.Equal(t, http.StatusOK, ok.status, ok.body)
	assert.Contains(t, ok.body, "<Status>PENDING</Status><SubmittedAt>2026-03-01T12:00:00.000Z</SubmittedAt>")

	h := srv.History()
	last := h[len(h)-1]
	assert.Equal(t, "ChangeResourceRecordSets", last.Operation)
	assert.Equal(t, id, last.ZoneID)
	assert.Equal(t, http.StatusOK, last.Status)
	assert.Equal(t, "NoSuchChange", h[len(h)-2].ErrorCode)
}

// A body announced beyond MaxBodyBytes is refused before it is read.
func TestBodyTooLarge(t *testing.T) {
	srv, _ := start(t, newMem(), route53.Config{})
	c, err := net.Dial("tcp", srv.Addr())
	require.NoError(t, err)
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	_, err = fmt.Fprintf(c, "POST /2013-04-01/hostedzone/Z/rrset HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n", route53.MaxBodyBytes+1)
	require.NoError(t, err)
	b, _ := io.ReadAll(c)
	assert.Contains(t, string(b), "HTTP/1.1 413")
	assert.Contains(t, string(b), "<Code>RequestEntityTooLargeException</Code>")
}

// A client beyond MaxConns is told to come back, in Route 53's shape.
func TestConnectionCap(t *testing.T) {
	srv, _ := start(t, newMem(), route53.Config{MaxConns: 1})
	hold, err := net.Dial("tcp", srv.Addr())
	require.NoError(t, err)
	defer hold.Close()
	_, err = hold.Write([]byte("GET /2013-04-01/hostedzone HTTP/1.1\r\nHost: x\r\n\r\n"))
	require.NoError(t, err)
	buf := make([]byte, 1)
	_, err = hold.Read(buf) // served: it holds the one place
	require.NoError(t, err)

	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr}).Get(srv.URL() + "/2013-04-01/hostedzone")
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	assert.Contains(t, string(b), "<Code>ServiceUnavailable</Code>")
}

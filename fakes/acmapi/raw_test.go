package acmapi_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/renewsim/renewsim/fakes/acmapi"
)

// These tests speak HTTP to the fake directly, for what the SDK never
// sends and for the exact bytes on the wire.

type rawResponse struct {
	status int
	header http.Header
	body   []byte
}

// errorType decodes an error body's __type and message.
func (r rawResponse) errorType(t *testing.T) (string, string) {
	t.Helper()
	var e map[string]string
	require.NoError(t, json.Unmarshal(r.body, &e), "body %q", r.body)
	return e["__type"], e["message"]
}

type rawClient struct {
	t   *testing.T
	url string
	hc  *http.Client
}

func startRaw(t *testing.T, b acmapi.Backend) (*acmapi.Server, rawClient) {
	t.Helper()
	srv := acmapi.New(acmapi.Config{Backend: b})
	require.NoError(t, srv.Start())
	tr := &http.Transport{}
	t.Cleanup(func() {
		tr.CloseIdleConnections()
		require.NoError(t, srv.Close())
	})
	return srv, rawClient{t: t, url: srv.URL(), hc: &http.Client{Transport: tr}}
}

// do sends a request; an empty target or contentType leaves the header out.
func (c rawClient) do(method, path, target, contentType, body string) rawResponse {
	c.t.Helper()
	req, err := http.NewRequest(method, c.url+path, strings.NewReader(body))
	require.NoError(c.t, err)
	if target != "" {
		req.Header.Set("X-Amz-Target", target)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := c.hc.Do(req)
	require.NoError(c.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(c.t, err)
	return rawResponse{status: resp.StatusCode, header: resp.Header, body: b}
}

func (c rawClient) call(op, body string) rawResponse {
	c.t.Helper()
	return c.do(http.MethodPost, "/", acmapi.TargetPrefix+op, acmapi.ContentType, body)
}

func TestUnknownOperation(t *testing.T) {
	srv, c := startRaw(t, newBackend(t))
	desc := `{"CertificateArn":"` + arnWeb + `"}`
	for name, r := range map[string]rawResponse{
		"misspelt":             c.call("DescribeCertificates", desc),
		"not served":           c.call("RequestCertificate", `{"DomainName":"example.com"}`),
		"other service":        c.do(http.MethodPost, "/", "DynamoDB_20120810.ListTables", acmapi.ContentType, `{}`),
		"no prefix":            c.do(http.MethodPost, "/", "DescribeCertificate", acmapi.ContentType, desc),
		"no X-Amz-Target":      c.do(http.MethodPost, "/", "", acmapi.ContentType, desc),
		"GET":                  c.do(http.MethodGet, "/", acmapi.TargetPrefix+"DescribeCertificate", "", ""),
		"path other than root": c.do(http.MethodPost, "/v1/certificates", acmapi.TargetPrefix+"DescribeCertificate", acmapi.ContentType, desc),
	} {
		assert.Equal(t, http.StatusBadRequest, r.status, name)
		typ, msg := r.errorType(t)
		assert.Equal(t, "UnknownOperationException", typ, name)
		assert.NotEmpty(t, msg, name)
		assert.Equal(t, acmapi.ContentType, r.header.Get("Content-Type"), name)
	}
	for _, r := range srv.History() {
		assert.Equal(t, acmapi.ErrUnknownOperation, r.ErrorType)
	}
}

func TestMalformedBodies(t *testing.T) {
	_, c := startRaw(t, newBackend(t))
	for name, body := range map[string]string{
		"truncated":        `{"CertificateArn": `,
		"not JSON":         `CertificateArn=` + arnWeb,
		"array":            `[]`,
		"number for a str": `{"CertificateArn": 5}`,
		"trailing garbage": `{"CertificateArn":"` + arnWeb + `"} x`,
	} {
		r := c.call("DescribeCertificate", body)
		assert.Equal(t, http.StatusBadRequest, r.status, name)
		typ, _ := r.errorType(t)
		assert.Equal(t, "SerializationException", typ, name)
	}
	r := c.call("ListCertificates", `{"MaxItems": 1.5}`)
	typ, _ := r.errorType(t)
	assert.Equal(t, "SerializationException", typ)
}

func TestContentType(t *testing.T) {
	_, c := startRaw(t, newBackend(t))
	desc := `{"CertificateArn":"` + arnWeb + `"}`
	target := acmapi.TargetPrefix + "DescribeCertificate"
	// AWS finds no operation under another protocol's content type.
	for _, ct := range []string{"application/json", "text/plain", "application/x-www-form-urlencoded", "application/x-amz-json-1.0", "application/octet-stream", "%%"} {
		r := c.do(http.MethodPost, "/", target, ct, desc)
		assert.Equal(t, http.StatusBadRequest, r.status, ct)
		typ, msg := r.errorType(t)
		assert.Equal(t, "UnknownOperationException", typ, ct)
		assert.Contains(t, msg, acmapi.ContentType, ct)
	}
	for _, ct := range []string{"", "application/x-amz-json-1.1", "application/x-amz-json-1.1; charset=utf-8", "Application/X-Amz-JSON-1.1"} {
		r := c.do(http.MethodPost, "/", target, ct, desc)
		assert.Equal(t, http.StatusOK, r.status, "Content-Type %q: %s", ct, r.body)
	}
}

func TestMissingRequiredMembers(t *testing.T) {
	_, c := startRaw(t, newBackend(t))
	for _, op := range []string{"DescribeCertificate", "GetCertificate", "RenewCertificate", "ListTagsForCertificate"} {
		for _, body := range []string{``, `{}`, `{"CertificateArn": null}`} {
			r := c.call(op, body)
			assert.Equal(t, http.StatusBadRequest, r.status, op)
			typ, msg := r.errorType(t)
			assert.Equal(t, "ValidationException", typ, op)
			assert.Equal(t, "1 validation error detected: Value null at 'certificateArn' failed to satisfy constraint: Member must not be null", msg, op)
		}
	}
	r := c.call("ResendValidationEmail", `{"CertificateArn":"`+arnPending+`"}`)
	typ, msg := r.errorType(t)
	assert.Equal(t, "ValidationException", typ)
	assert.True(t, strings.HasPrefix(msg, "2 validation errors detected: "), msg)
	assert.Contains(t, msg, "'domain'")
	assert.Contains(t, msg, "'validationDomain'")

	r = c.call("PutAccountConfiguration", `{"ExpiryEvents":{"DaysBeforeExpiry":10}}`)
	typ, msg = r.errorType(t)
	assert.Equal(t, "ValidationException", typ)
	assert.Contains(t, msg, "'idempotencyToken'")
}

// Timestamps go out as JSON numbers of epoch seconds; members without a
// value are left out; InUseBy is always there.
func TestWireFormat(t *testing.T) {
	_, c := startRaw(t, newBackend(t))
	r := c.call("DescribeCertificate", `{"CertificateArn":"`+arnWeb+`"}`)
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	assert.Equal(t, acmapi.ContentType, r.header.Get("Content-Type"))
	assert.Equal(t, strconv.Itoa(len(r.body)), r.header.Get("Content-Length"))
	assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`, r.header.Get("X-Amzn-Requestid"))

	var out struct{ Certificate map[string]any }
	dec := json.NewDecoder(bytes.NewReader(r.body))
	dec.UseNumber()
	require.NoError(t, dec.Decode(&out))
	d := out.Certificate
	assert.Equal(t, json.Number(strconv.FormatInt(webNotAfter.Unix(), 10)), d["NotAfter"])
	assert.Equal(t, json.Number(strconv.FormatInt(webNotBefore.Unix(), 10)), d["NotBefore"])
	assert.Equal(t, json.Number(strconv.FormatInt(t0.Unix(), 10)), d["IssuedAt"])
	rs := d["RenewalSummary"].(map[string]any)
	assert.Equal(t, json.Number(strconv.FormatInt(renewalUpdated.Unix(), 10)+".25"), rs["UpdatedAt"])
	assert.Equal(t, "PENDING_VALIDATION", rs["RenewalStatus"])
	assert.NotContains(t, d, "ImportedAt")
	assert.NotContains(t, d, "RevokedAt")
	assert.NotContains(t, d, "FailureReason")
	assert.Equal(t, "ISSUED", d["Status"])
	dvo := d["DomainValidationOptions"].([]any)[0].(map[string]any)
	assert.Equal(t, map[string]any{
		"Name":  "_38d0c69c826e1b7de6fc26a214d5a5be.example.com.",
		"Type":  "CNAME",
		"Value": "_cc23a6b1f7c3e5d09a8f8e1d2c3b4a59.kbwbeyjmug.acm-validations.aws.",
	}, dvo["ResourceRecord"])

	r = c.call("DescribeCertificate", `{"CertificateArn":"`+arnPending+`"}`)
	out.Certificate = nil
	require.NoError(t, json.Unmarshal(r.body, &out))
	assert.Equal(t, []any{}, out.Certificate["InUseBy"])
	assert.NotContains(t, out.Certificate, "NotAfter")
	assert.NotContains(t, out.Certificate, "RenewalSummary")

	var list map[string]any
	r = c.call("ListCertificates", `{"CertificateStatuses":["REVOKED"]}`)
	require.NoError(t, json.Unmarshal(r.body, &list))
	assert.Equal(t, map[string]any{"CertificateSummaryList": []any{}}, list)

	// Operations without output answer an empty body.
	r = c.call("RenewCertificate", `{"CertificateArn":"`+arnWeb+`"}`)
	assert.Equal(t, http.StatusOK, r.status)
	assert.Empty(t, r.body)
	assert.Equal(t, acmapi.ContentType, r.header.Get("Content-Type"))

	// Operations without input take an empty body.
	r = c.call("GetAccountConfiguration", ``)
	assert.Equal(t, http.StatusOK, r.status)
	assert.JSONEq(t, `{"ExpiryEvents":{"DaysBeforeExpiry":45}}`, string(r.body))

	r = c.call("DescribeCertificate", `{"CertificateArn":"`+arnUnknown+`"}`)
	assert.Equal(t, http.StatusBadRequest, r.status)
	assert.JSONEq(t, `{"__type":"ResourceNotFoundException","message":"Could not find certificate `+arnUnknown+`."}`, string(r.body))
}

// AccessDeniedException's message member is "Message" in ACM's model.
func TestAccessDeniedUsesCapitalMessage(t *testing.T) {
	b := &deniedBackend{newBackend(t)}
	_, c := startRaw(t, b)
	r := c.call("PutAccountConfiguration", `{"IdempotencyToken":"t1","ExpiryEvents":{"DaysBeforeExpiry":10}}`)
	assert.Equal(t, http.StatusBadRequest, r.status)
	assert.JSONEq(t, `{"__type":"AccessDeniedException","Message":"no"}`, string(r.body))
}

type deniedBackend struct{ *testBackend }

func (d *deniedBackend) SetExpiryEventsDays(int) error { return acmapi.AccessDenied("no") }

func TestHistory(t *testing.T) {
	srv, c := startRaw(t, newBackend(t))
	c.call("DescribeCertificate", `{"CertificateArn":"`+arnWeb+`"}`)
	c.call("GetCertificate", `{"CertificateArn":"`+arnPending+`"}`)
	c.call("DescribeCertificate", `{"CertificateArn":"bogus"}`)
	c.call("Nope", `{}`)
	c.do(http.MethodPost, "/", "", acmapi.ContentType, `{}`)
	assert.Equal(t, []acmapi.Request{
		{Seq: 1, Operation: "DescribeCertificate", ARN: arnWeb, Status: 200},
		{Seq: 2, Operation: "GetCertificate", ARN: arnPending, Status: 400, ErrorType: "RequestInProgressException"},
		{Seq: 3, Operation: "DescribeCertificate", ARN: "bogus", Status: 400, ErrorType: "InvalidArnException"},
		{Seq: 4, Operation: "Nope", Status: 400, ErrorType: "UnknownOperationException"},
		{Seq: 5, Operation: "", Status: 400, ErrorType: "UnknownOperationException"},
	}, srv.History())
}

// The Server is an http.Handler and works without Start.
func TestMountedHandler(t *testing.T) {
	srv := acmapi.New(acmapi.Config{Backend: newBackend(t)})
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{"CertificateArn":"`+arnWeb+`"}`))
	req.Header.Set("X-Amz-Target", "CertificateManager.ListTagsForCertificate")
	req.Header.Set("Content-Type", acmapi.ContentType)
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	assert.Equal(t, http.StatusOK, rec.Code)
	assert.JSONEq(t, `{"Tags":[{"Key":"Name","Value":"web"},{"Key":"team"}]}`, rec.Body.String())
	assert.Equal(t, "", srv.URL())
	require.NoError(t, srv.Close())
}

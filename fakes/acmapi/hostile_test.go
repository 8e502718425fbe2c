package acmapi_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/renewsim/renewsim/fakes/acmapi"
)

// Hostile clients: each test sends a bounded amount of traffic to
// loopback, with a deadline on every connection, and checks that the
// answers are ACM-shaped and that the server still answers a normal call.

// clientDeadline bounds every connection a hostile test opens.
const clientDeadline = 10 * time.Second

// zeros is an endless body of JSON-ish filler, counted as it is read.
type zeros struct {
	mu   sync.Mutex
	read int64
	left int64
}

func (z *zeros) Read(b []byte) (int, error) {
	z.mu.Lock()
	defer z.mu.Unlock()
	if z.left == 0 {
		return 0, io.EOF
	}
	n := int64(len(b))
	if n > z.left {
		n = z.left
	}
	for i := range b[:n] {
		b[i] = ' '
	}
	z.left -= n
	z.read += n
	return int(n), nil
}

func (z *zeros) sent() int64 {
	z.mu.Lock()
	defer z.mu.Unlock()
	return z.read
}

// assertServes makes a normal DescribeCertificate call.
func assertServes(t *testing.T, c rawClient) {
	t.Helper()
	r := c.call("DescribeCertificate", `{"CertificateArn":"`+arnWeb+`"}`)
	assert.Equal(t, http.StatusOK, r.status, "a normal call after the hostile one: %s", r.body)
}

// A 100 MB body, announced or chunked, is answered 413
// RequestEntityTooLargeException long before it is all sent.
func TestHundredMegabyteBody(t *testing.T) {
	const body = 100 << 20
	for _, tc := range []struct {
		name    string
		chunked bool
	}{
		{"Content-Length", false},
		{"chunked", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, c := startRaw(t, newBackend(t))
			conn, err := net.DialTimeout("tcp", strings.TrimPrefix(srv.URL(), "http://"), clientDeadline)
			require.NoError(t, err)
			defer conn.Close()
			require.NoError(t, conn.SetDeadline(time.Now().Add(clientDeadline)))

			head := "POST / HTTP/1.1\r\nHost: acm\r\nX-Amz-Target: CertificateManager.DescribeCertificate\r\nContent-Type: " + acmapi.ContentType + "\r\n"
			if tc.chunked {
				head += "Transfer-Encoding: chunked\r\n\r\n"
			} else {
				head += fmt.Sprintf("Content-Length: %d\r\n\r\n", body)
			}
			src := &zeros{left: body}
			var wg sync.WaitGroup
			wg.Go(func() {
				// The server answers and hangs up before the end, so the
				// write fails; that is the point.
				if _, err := io.WriteString(conn, head); err != nil {
					return
				}
				w := io.Writer(conn)
				if tc.chunked {
					cw := newChunkedWriter(conn)
					defer cw.Close()
					w = cw
				}
				_, _ = io.Copy(w, src)
			})
			resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
			require.NoError(t, err)
			b, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			resp.Body.Close()
			conn.Close()
			wg.Wait()

			assert.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
			assert.Equal(t, acmapi.ContentType, resp.Header.Get("Content-Type"))
			var e map[string]string
			require.NoError(t, json.Unmarshal(b, &e), "%s", b)
			assert.Equal(t, "RequestEntityTooLargeException", e["__type"])
			assert.Contains(t, e["message"], fmt.Sprint(acmapi.MaxBodyBytes))
			assert.Less(t, src.sent(), int64(body), "the server read the whole body before answering")
			h := srv.History()
			require.NotEmpty(t, h)
			assert.Equal(t, acmapi.Request{Seq: 1, Operation: "DescribeCertificate", Status: 413, ErrorType: "RequestEntityTooLargeException"}, h[0])
			assertServes(t, c)
		})
	}
}

// newChunkedWriter frames writes as HTTP/1.1 chunks.
func newChunkedWriter(w io.Writer) io.WriteCloser { return &chunked{w: w} }

type chunked struct{ w io.Writer }

func (c *chunked) Write(b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	if _, err := fmt.Fprintf(c.w, "%x\r\n", len(b)); err != nil {
		return 0, err
	}
	if _, err := c.w.Write(b); err != nil {
		return 0, err
	}
	_, err := io.WriteString(c.w, "\r\n")
	return len(b), err
}

func (c *chunked) Close() error {
	_, err := io.WriteString(c.w, "0\r\n\r\n")
	return err
}

// A body just within the limit is read and judged as JSON.
func TestBodyAtTheLimit(t *testing.T) {
	_, c := startRaw(t, newBackend(t))
	arn := `{"CertificateArn":"` + arnWeb + `"}`
	padded := arn + strings.Repeat(" ", acmapi.MaxBodyBytes-len(arn))
	r := c.call("DescribeCertificate", padded)
	assert.Equal(t, http.StatusOK, r.status, "%s", r.body)
	r = c.call("DescribeCertificate", padded+" ")
	assert.Equal(t, http.StatusRequestEntityTooLarge, r.status)
	typ, _ := r.errorType(t)
	assert.Equal(t, "RequestEntityTooLargeException", typ)
}

// Bodies no SDK sends are SerializationException (or, when they are JSON,
// the validation the operation does), never a 500 or a hang.
func TestHostileJSON(t *testing.T) {
	_, c := startRaw(t, newBackend(t))
	for _, tc := range []struct {
		name, body, want string
	}{
		{"deep nesting", strings.Repeat("[", 100000), "SerializationException"},
		{"deep object nesting", strings.Repeat(`{"a":`, 100000), "SerializationException"},
		{"invalid UTF-8", "{\"CertificateArn\":\"\xff\xfe\"}", "InvalidArnException"},
		{"NUL bytes", "\x00\x00\x00", "SerializationException"},
		{"huge exponent", `{"CertificateArn":1e999999}`, "SerializationException"},
		{"two objects", `{} {}`, "SerializationException"},
		{"string, not object", `"CertificateArn"`, "SerializationException"},
		{"null", `null`, "ValidationException"},
		{"long ARN", `{"CertificateArn":"` + strings.Repeat("a", 500000) + `"}`, "ValidationException"},
		{"ARN just too long", `{"CertificateArn":"` + arnWeb + strings.Repeat("0", 2049-len(arnWeb)) + `"}`, "ValidationException"},
		{"ARN of the longest length", `{"CertificateArn":"` + arnWeb + strings.Repeat("0", 2048-len(arnWeb)) + `"}`, "InvalidArnException"},
		{"duplicate member", `{"CertificateArn":"x","CertificateArn":"` + arnUnknown + `"}`, "ResourceNotFoundException"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := c.call("DescribeCertificate", tc.body)
			assert.Equal(t, http.StatusBadRequest, r.status)
			typ, msg := r.errorType(t)
			assert.Equal(t, tc.want, typ, msg)
			// A message may quote an ARN, of 2048 bytes at most, never
			// more of the input.
			assert.Less(t, len(msg), 2200, "the message echoes the input")
		})
	}
	// ResendValidationEmail's names are bounded the same way.
	r := c.call("ResendValidationEmail", `{"CertificateArn":"`+arnPending+`","Domain":"`+strings.Repeat("a", 300000)+`","ValidationDomain":"example.com"}`)
	typ, msg := r.errorType(t)
	assert.Equal(t, "ValidationException", typ)
	assert.Contains(t, msg, "'domain'")
	assert.Less(t, len(msg), 2000)
	assertServes(t, c)
}

// Targets no SDK sends: UnknownOperationException, never a 500.
func TestHostileTargets(t *testing.T) {
	_, c := startRaw(t, newBackend(t))
	desc := `{"CertificateArn":"` + arnWeb + `"}`
	for name, target := range map[string]string{
		"prefix only":     acmapi.TargetPrefix,
		"lower case":      "certificatemanager.DescribeCertificate",
		"operation only":  "DescribeCertificate",
		"trailing dot":    acmapi.TargetPrefix + "DescribeCertificate.",
		"path traversal":  acmapi.TargetPrefix + "../DescribeCertificate",
		"long":            acmapi.TargetPrefix + strings.Repeat("A", 8000),
		"spaces":          " " + acmapi.TargetPrefix + "DescribeCertificate ",
		"other service":   "DynamoDB_20120810.DescribeCertificate",
		"two operations":  acmapi.TargetPrefix + "DescribeCertificate," + acmapi.TargetPrefix + "RenewCertificate",
		"method of Go":    acmapi.TargetPrefix + "ServeHTTP",
		"unexported name": acmapi.TargetPrefix + "describeCertificate",
	} {
		r := c.do(http.MethodPost, "/", target, acmapi.ContentType, desc)
		if name == "spaces" && r.status == http.StatusOK {
			// HTTP trims header values: the target is the real one.
			continue
		}
		typ, _ := r.errorType(t)
		assert.Equal(t, http.StatusBadRequest, r.status, name)
		assert.Equal(t, "UnknownOperationException", typ, name)
	}
	assertServes(t, c)
}

// 500 requests at once, good and bad mixed: each gets its own answer, the
// history numbers them all, and when the server closes no goroutine is
// left (TestMain checks that too).
func TestFiveHundredConcurrentRequests(t *testing.T) {
	srv := acmapi.New(acmapi.Config{Backend: newBackend(t)})
	require.NoError(t, srv.Start())
	tr := &http.Transport{MaxIdleConnsPerHost: 16}
	hc := &http.Client{Transport: tr, Timeout: clientDeadline}
	c := rawClient{t: t, url: srv.URL(), hc: hc}

	const n = 500
	type outcome struct {
		status int
		typ    string
	}
	got := make([]outcome, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			var op, body string
			switch i % 4 {
			case 0:
				op, body = "DescribeCertificate", `{"CertificateArn":"`+arnWeb+`"}`
			case 1:
				op, body = "DescribeCertificate", `{"CertificateArn":`
			case 2:
				op, body = "Nope", `{}`
			case 3:
				op, body = "ListCertificates", `{}`
			}
			req, err := http.NewRequest(http.MethodPost, c.url, strings.NewReader(body))
			if !assert.NoError(t, err) {
				return
			}
			req.Header.Set("X-Amz-Target", acmapi.TargetPrefix+op)
			req.Header.Set("Content-Type", acmapi.ContentType)
			resp, err := hc.Do(req)
			if !assert.NoError(t, err) {
				return
			}
			defer resp.Body.Close()
			var e map[string]any
			_ = json.NewDecoder(resp.Body).Decode(&e)
			typ, _ := e["__type"].(string)
			got[i] = outcome{resp.StatusCode, typ}
		})
	}
	wg.Wait()
	want := []outcome{{200, ""}, {400, "SerializationException"}, {400, "UnknownOperationException"}, {200, ""}}
	for i, o := range got {
		assert.Equal(t, want[i%4], o, "request %d", i)
	}
	h := srv.History()
	require.Len(t, h, n)
	for i, r := range h {
		assert.Equal(t, i+1, r.Seq)
	}

	tr.CloseIdleConnections()
	require.NoError(t, srv.Close())
	goleak.VerifyNone(t)
}

// Beyond MaxConns a client gets 503 ServiceUnavailableException in ACM's
// shape, which the SDKs retry; once a place is free it is served again.
func TestConnectionCap(t *testing.T) {
	srv := acmapi.New(acmapi.Config{Backend: newBackend(t), MaxConns: 2})
	require.NoError(t, srv.Start())
	t.Cleanup(func() {
		require.NoError(t, srv.Close())
		goleak.VerifyNone(t)
	})
	var held []net.Conn
	for range 2 {
		c, err := net.DialTimeout("tcp", srv.Addr(), clientDeadline)
		require.NoError(t, err)
		t.Cleanup(func() { _ = c.Close() })
		held = append(held, c)
	}
	tr := &http.Transport{DisableKeepAlives: true}
	hc := &http.Client{Transport: tr, Timeout: clientDeadline}
	c := rawClient{t: t, url: srv.URL(), hc: hc}
	// The held connections are accepted once a request is answered after
	// them, or refused; either way the third client is over the cap.
	r := c.call("ListCertificates", `{}`)
	typ, msg := r.errorType(t)
	assert.Equal(t, http.StatusServiceUnavailable, r.status)
	assert.Equal(t, "ServiceUnavailableException", typ)
	assert.Contains(t, msg, "too many connections")
	assert.Equal(t, acmapi.ContentType, r.header.Get("Content-Type"))

	for _, h := range held {
		require.NoError(t, h.Close())
	}
	require.Eventually(t, func() bool {
		return c.call("ListCertificates", `{}`).status == http.StatusOK
	}, clientDeadline, 10*time.Millisecond)
}

// A client that sends requests without end cannot make the history grow
// without end; the requests are still answered.
func TestHistoryCap(t *testing.T) {
	srv := acmapi.New(acmapi.Config{Backend: newBackend(t)})
	for range acmapi.MaxHistory + 5 {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{}`)))
		require.Equal(t, http.StatusBadRequest, rec.Code)
	}
	h := srv.History()
	require.Len(t, h, acmapi.MaxHistory)
	assert.Equal(t, acmapi.MaxHistory, h[len(h)-1].Seq)
}

package acmapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/renewsim/renewsim/fakes/acmapi"
)

func TestLifecycle(t *testing.T) {
	defer goleak.VerifyNone(t)
	b := newBackend(t)

	never := acmapi.New(acmapi.Config{Backend: b})
	assert.Equal(t, "", never.URL())
	require.NoError(t, never.Close())
	assert.Error(t, never.Start(), "Start after Close")

	for _, addr := range []string{"192.0.2.1:0", "0.0.0.0:0", "localhost:0", "127.0.0.1", ":4566"} {
		assert.Error(t, acmapi.New(acmapi.Config{Backend: b, Addr: addr}).Start(), addr)
	}
	s := acmapi.New(acmapi.Config{Backend: b, Addr: "127.0.0.1:0"})
	require.NoError(t, s.Start())
	assert.True(t, strings.HasPrefix(s.URL(), "http://127.0.0.1:"), s.URL())
	assert.Error(t, s.Start(), "second Start")

	hc := &http.Client{Transport: &http.Transport{}}
	defer hc.CloseIdleConnections()
	resp, err := hc.Post(s.URL(), acmapi.ContentType, strings.NewReader(`{}`))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode, "no X-Amz-Target")

	// The idle keep-alive connection must not hold Close up.
	require.NoError(t, s.Close())
	require.NoError(t, s.Close(), "Close is idempotent")
	_, err = hc.Post(s.URL(), acmapi.ContentType, strings.NewReader(`{}`))
	assert.Error(t, err, "nothing listens after Close")
}

func TestNewNeedsABackend(t *testing.T) {
	assert.Panics(t, func() { acmapi.New(acmapi.Config{}) })
}

func TestValidARN(t *testing.T) {
	for _, s := range []string{
		arnWeb,
		"arn:aws:acm:eu-central-1:000000000000:certificate/6B32F324-1DD9-4345-A5A9-06DAB5FE0608",
		"arn:aws-cn:acm:cn-north-1:123456789012:certificate/6b32f324-1dd9-4345-a5a9-06dab5fe0608",
		"arn:aws-us-gov:acm:us-gov-west-1:123456789012:certificate/6b32f324-1dd9-4345-a5a9-06dab5fe0608",
	} {
		assert.True(t, acmapi.ValidARN(s), s)
	}
	for _, s := range []string{
		"",
		"arn:aws:acm:us-east-1:123456789012:certificate/",
		"arn:aws:acm::123456789012:certificate/6b32f324-1dd9-4345-a5a9-06dab5fe0608",
		"arn:aws:acm:us-east-1:1234567890123:certificate/6b32f324-1dd9-4345-a5a9-06dab5fe0608",
		"arn:aws:acm:us-east-1:123456789012:certificate/6b32f324-1dd9-4345-a5a9-06dab5fe060",
		"arn:aws:acm:us-east-1:123456789012:certificate/6b32f324-1dd9-4345-a5a9-06dab5fe0608/x",
		"arn:aws:acm:us-east-1:123456789012:key/6b32f324-1dd9-4345-a5a9-06dab5fe0608",
		" " + arnWeb,
	} {
		assert.False(t, acmapi.ValidARN(s), s)
	}
}

func TestErrorValues(t *testing.T) {
	e := acmapi.NotFound(arnWeb)
	assert.Equal(t, "ResourceNotFoundException: Could not find certificate "+arnWeb+".", e.Error())
	assert.Equal(t, http.StatusBadRequest, e.HTTPStatus())
	assert.Equal(t, http.StatusInternalServerError, acmapi.Internal("x").HTTPStatus())
	assert.Equal(t, "ValidationException", acmapi.NotEligible(arnWeb).Type)
}

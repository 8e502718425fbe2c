package awsapi

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRegion(t *testing.T) {
	for _, tc := range []struct{ auth, query, want string }{
		{"AWS4-HMAC-SHA256 Credential=AKID/20260301/eu-west-1/acm/aws4_request, SignedHeaders=host, Signature=ab", "", "eu-west-1"},
		{"AWS4-HMAC-SHA256 Credential=AKID/20260301/us-east-1/route53/aws4_request,SignedHeaders=host,Signature=ab", "", "us-east-1"},
		{"", "X-Amz-Credential=AKID%2F20260301%2Fap-south-2%2Facm%2Faws4_request", "ap-south-2"},
		{"", "", ""},
		{"Basic dXNlcjpwYXNz", "", ""},
	} {
		r, err := http.NewRequest(http.MethodPost, "http://127.0.0.1/?"+tc.query, nil)
		require.NoError(t, err)
		if tc.auth != "" {
			r.Header.Set("Authorization", tc.auth)
		}
		assert.Equal(t, tc.want, Region(r), "%q %q", tc.auth, tc.query)
	}
}

func TestLimiter(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l := NewLimiter(2, func() time.Time { return now })
	assert.True(t, l.Allow("a"))
	assert.True(t, l.Allow("a"))
	assert.False(t, l.Allow("a"), "a burst is one second's worth")
	assert.True(t, l.Allow("b"), "keys have their own buckets")
	now = now.Add(500 * time.Millisecond)
	assert.True(t, l.Allow("a"), "half a second brings one token back")
	assert.False(t, l.Allow("a"))
	now = now.Add(time.Hour)
	assert.True(t, l.Allow("a"))
	assert.True(t, l.Allow("a"))
	assert.False(t, l.Allow("a"), "an idle key saves no more than a burst")

	var none *Limiter
	assert.True(t, none.Allow("a"))
	assert.Nil(t, NewLimiter(0, nil))
	assert.Zero(t, none.Rate())
}

func TestDeny(t *testing.T) {
	d := NewDeny([]string{"listcertificates", " DescribeCertificate "})
	assert.True(t, d.Denies("ListCertificates"))
	assert.True(t, d.Denies("DescribeCertificate"))
	assert.False(t, d.Denies("GetCertificate"))
	assert.True(t, NewDeny([]string{"*"}).Denies("GetCertificate"))
	assert.False(t, Deny{}.Denies("GetCertificate"))
	assert.Contains(t, DeniedMessage("111122223333", "acm:ListCertificates", "*"),
		"User: arn:aws:iam::111122223333:user/renewsim is not authorized to perform: acm:ListCertificates on resource: *")
}

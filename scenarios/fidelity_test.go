package scenarios

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fidelityBroken are scenarios the keys and checks of issue 10 refuse, each
// with every message the loader gives (file:line:col).
var fidelityBroken = []struct {
	name string
	doc  string
	want string
}{
	{"a sign inside an offset", validDoc + `timeline:
  - at: web.expiry-58d+30m
    do: export
    cert: web
`, `t.yaml:10:9: at: bad offset: duration "-58d+30m" has a sign inside it (at "+30m"): a duration takes one sign, in front; for -58d + 30m write -57d23h30m in "web.expiry-58d+30m"`},
	{"PENDING_DOMAIN_VALIDATION at a time", validDoc + `expect:
  - cert: web
    at: web.expiry-10d
    reason: PENDING_DOMAIN_VALIDATION
`, `t.yaml:12:13: reason: PENDING_DOMAIN_VALIDATION appears only in ACM Certificate Renewal Action Required events (their RenewalStatusReason); DescribeCertificate's RenewalStatusReason never holds it, so an at: expectation cannot see it: count the events instead, or expect renewal_status: PENDING_VALIDATION`},
}

func TestFidelityBroken(t *testing.T) {
	for _, tc := range fidelityBroken {
		t.Run(tc.name, func(t *testing.T) {
			sc, err := Parse("t.yaml", []byte(tc.doc))
			require.Error(t, err)
			assert.Nil(t, sc)
			_, ok := err.(Errors)
			require.True(t, ok, "error is %T, want Errors", err)
			assert.Equal(t, tc.want, err.Error())
		})
	}
}

// renewal_status: none is what an at: expectation writes for "no renewal
// summary".
func TestRenewalStatusNone(t *testing.T) {
	sc, err := Parse("t.yaml", []byte(validDoc+`expect:
  - cert: web
    at: web.expiry-50d
    renewal_status: none
    reason: none
`))
	require.NoError(t, err)
	require.Len(t, sc.Expect, 1)
	assert.Equal(t, "none", sc.Expect[0].RenewalStatus)
	assert.Equal(t, "none", sc.Expect[0].Reason)
}

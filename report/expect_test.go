package report_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/renewsim/renewsim/report"
	"github.com/renewsim/renewsim/result"
	"github.com/renewsim/renewsim/scenarios"
	simrun "github.com/renewsim/renewsim/sim/run"
)

// runDoc loads a scenario from YAML, runs it over loopback and builds its
// result.
func runDoc(t *testing.T, doc string) result.Scenario {
	t.Helper()
	sc, err := scenarios.Parse("t.yaml", []byte(doc))
	require.NoError(t, err)
	res, err := simrun.Run(context.Background(), sc, simrun.Options{CacheDNS: true, CacheProbes: true})
	require.NoError(t, err)
	return result.Build(sc, res.Seed, res.Log)
}

// The diagnosis of an unanswered e-mail names the profile's approval link
// lifetime, not a constant.
func TestDiagnosisLinkTTLFromProfile(t *testing.T) {
	for _, tc := range []struct{ override, want string }{
		{"", "approve the newest e-mail within 72 hours"},
		{"overrides: {approval_link_ttl: 48h}\n", "approve the newest e-mail within 48 hours"},
		{"overrides: {approval_link_ttl: 7d}\n", "approve the newest e-mail within 7 days"},
		{"overrides: {approval_link_ttl: 90m}\n", "approve the newest e-mail within 1h30m"},
	} {
		t.Run(tc.want, func(t *testing.T) {
			rs := runDoc(t, `name: mail
start: 2026-03-01T00:00:00Z
`+tc.override+`resources:
  - {id: alb, kind: elb}
certificates:
  - id: web
    domain: example.com
    validation: email
    in_use_by: [alb]
`)
			var b strings.Builder
			require.NoError(t, report.WriteText(&b, &result.Summary{Scenarios: []result.Scenario{rs}}))
			assert.Contains(t, b.String(), tc.want)
		})
	}
}

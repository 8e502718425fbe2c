package run

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/renewsim/renewsim/scenarios"
	"github.com/renewsim/renewsim/sim"
)

// The simulator CA covers the whole supported range, and a scenario at
// either end of it runs: issued at 1970-01-01, and renewed a lifetime
// before the CA expires.
func TestSupportedRangeRuns(t *testing.T) {
	defer goleak.VerifyNone(t)
	assert.False(t, caNotBefore.After(sim.SupportedFrom), "the CA is valid from the first supported time")
	assert.Equal(t, sim.IssuerNotAfter, caNotAfter, "the loader ends runs a lifetime before the CA's NotAfter")

	for name, doc := range map[string]string{
		"earliest": `name: earliest
start: 1970-01-01T00:00:00Z
profile: acm-legacy
resources: [{id: alb, kind: elb}]
certificates: [{id: web, domain: example.com, in_use_by: [alb]}]
`,
		"latest": `name: latest
start: 2198-01-01T00:00:00Z
until: 2198-12-01T00:00:00Z
resources: [{id: alb, kind: elb}]
certificates: [{id: web, domain: example.com, in_use_by: [alb]}]
`,
	} {
		t.Run(name, func(t *testing.T) {
			sc, err := scenarios.Parse(name+".yaml", []byte(doc))
			require.NoError(t, err)
			res, err := Run(context.Background(), sc, Options{})
			require.NoError(t, err)
			renewed := 0
			for _, e := range res.Log {
				if e.Kind == sim.KindIssued {
					renewed++
					assert.False(t, e.Detail.NotAfter.After(sim.IssuerNotAfter))
				}
			}
			assert.Positive(t, renewed)
		})
	}
}

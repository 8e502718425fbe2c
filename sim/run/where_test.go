package run

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/renewsim/renewsim/scenarios"
	"github.com/renewsim/renewsim/sim"
)

// A certificate of another account and region than the profile's gets its
// ARN, validation record and events from its own: a fleet of several
// regions is one scenario whose record says where each event happened.
func TestCertificateOwnAccountAndRegion(t *testing.T) {
	sc, err := scenarios.Parse("t.yaml", []byte(`name: where
start: 2026-03-01T00:00:00Z
until: 2026-09-30T00:00:00Z
resources:
  - {id: alb, kind: elb}
certificates:
  - {id: home, domain: example.com, in_use_by: [alb]}
  - {id: away, domain: example.org, in_use_by: [alb], account: "111122223333", region: eu-west-1}
`))
	require.NoError(t, err)
	res, err := Run(context.Background(), sc, Options{CacheDNS: true, CacheProbes: true})
	require.NoError(t, err)
	events := map[string][]*sim.Event{}
	arns := map[string]string{}
	for _, e := range res.Log {
		if e.Detail != nil && e.Detail.ARN != "" && arns[e.Cert] == "" {
			arns[e.Cert] = e.Detail.ARN
		}
		if e.Kind == sim.KindEventBus && e.Detail.Event != nil {
			events[e.Cert] = append(events[e.Cert], e.Detail.Event)
		}
	}
	require.NotEmpty(t, events["home"])
	require.NotEmpty(t, events["away"])
	for _, ev := range events["home"] {
		assert.Equal(t, "us-east-1", ev.Region)
		assert.Equal(t, "123456789012", ev.Account)
	}
	for _, ev := range events["away"] {
		assert.Equal(t, "eu-west-1", ev.Region)
		assert.Equal(t, "111122223333", ev.Account)
		assert.True(t, strings.HasPrefix(ev.Resources[0], "arn:aws:acm:eu-west-1:111122223333:certificate/"), ev.Resources[0])
	}
	assert.True(t, strings.HasPrefix(arns["away"], "arn:aws:acm:eu-west-1:111122223333:certificate/"), arns["away"])
	assert.True(t, strings.HasPrefix(arns["home"], "arn:aws:acm:us-east-1:123456789012:certificate/"), arns["home"])
	// The validation record ACM derives depends on the account.
	away := &sc.Certificates[1]
	rec, _ := away.ValidationCNAME(res.Seed, "111122223333", "example.org")
	other, _ := away.ValidationCNAME(res.Seed, "123456789012", "example.org")
	assert.NotEqual(t, rec, other)
	views := sim.View(sc, res.Seed, nil, sc.Start)
	assert.Equal(t, rec, views[1].NameStatus[0].Record)
}

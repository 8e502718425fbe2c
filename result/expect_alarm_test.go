package result_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/renewsim/renewsim/result"
	"github.com/renewsim/renewsim/scenarios"
	simrun "github.com/renewsim/renewsim/sim/run"
)

// librarySource is a library scenario's YAML with old replaced by new.
func librarySource(t *testing.T, name, old, new string) string {
	t.Helper()
	src, ok := scenarios.LibrarySource(name)
	require.True(t, ok)
	require.Contains(t, string(src), old)
	return strings.Replace(string(src), old, new, 1)
}

// Alarm expectations pass and fail with what happened in their text.
func TestAlarmExpectations(t *testing.T) {
	src := librarySource(t, "dns-missing-cname", "expect:", `alarms:
  - {name: days-30, metric: {threshold: 30}}
  - {name: days-50, metric: {threshold: 50}}
  - {name: expired, eventbridge: {detail_type: ACM Certificate Expired}}
  - {name: quiet, metric: {threshold: 0}}
expect:
  - {alarm: days-30, fires: 1}
  - {alarm: days-30, cert: web, lead_time_at_least: 30d}
  - {alarm: days-30, cert: web, lead_time_at_least: 31d}
  - {alarm: days-30, false_alarms: 0}
  - {alarm: days-30, fires: never}
  - {alarm: days-50, fires_at_least: 1, fires_at_most: 1}
  - {alarm: days-50, false_alarms_at_most: 0}
  - {alarm: days-50, false_alarms_at_least: 1}
  - {alarm: days-50, false_alarms_at_least: 0, false_alarms_at_most: 1}
  - {alarm: expired, cert: web, lead_time_at_least: 1m}
  - {alarm: quiet, fires: never}
  - {alarm: quiet, cert: web, lead_time_at_least: 1d}`)
	sc, err := scenarios.Parse("t.yaml", []byte(src))
	require.NoError(t, err)
	res, err := simrun.Run(context.Background(), sc, simrun.Options{CacheDNS: true, CacheProbes: true})
	require.NoError(t, err)
	s := result.Build(sc, res.Seed, res.Log)
	got := map[string]result.Expectation{}
	for _, e := range s.Expectations {
		got[e.Text] = e
	}
	for text, want := range map[string]struct {
		passed bool
		detail string
	}{
		"{alarm: days-30, fires: 1}":                                          {true, "expected exactly 1 firing of alarm days-30, got 1"},
		"{alarm: days-30, cert: web, lead_time_at_least: 30d}":                {true, "expected a warning at least 30d before each expiry or outage, got 30d (web expired 2026-09-15 00:00)"},
		"{alarm: days-30, cert: web, lead_time_at_least: 31d}":                {false, "expected a warning at least 31d before each expiry or outage, got 30d (web expired 2026-09-15 00:00)"},
		"{alarm: days-30, false_alarms: 0}":                                   {true, "expected exactly 0 false alarms, got 0 (of 1 firing)"},
		"{alarm: days-30, fires: never}":                                      {false, "expected alarm days-30 never to fire, got 1 firing, the first at 2026-08-16 00:00Z (web)"},
		"{alarm: days-50, fires_at_least: 1, fires_at_most: 1}":               {true, "expected at least 1 and at most 1 firing of alarm days-50, got 1"},
		"{alarm: days-50, false_alarms_at_most: 0}":                           {true, "expected at most 0 false alarms, got 0 (of 1 firing)"},
		"{alarm: days-50, false_alarms_at_least: 1}":                          {false, "expected at least 1 false alarm, got 0 (of 1 firing)"},
		"{alarm: days-50, false_alarms_at_least: 0, false_alarms_at_most: 1}": {true, "expected at least 0 and at most 1 false alarm, got 0 (of 1 firing)"},
		"{alarm: expired, cert: web, lead_time_at_least: 1m}":                 {false, "expected a warning at least 1m before each expiry or outage, got none before web's 1 expiry or outage"},
		"{alarm: quiet, fires: never}":                                        {true, "expected alarm quiet never to fire, got no firing"},
		"{alarm: quiet, cert: web, lead_time_at_least: 1d}":                   {false, "expected a warning at least 1d before each expiry or outage, got none before web's 1 expiry or outage"},
	} {
		e, ok := got[text]
		if assert.True(t, ok, text) {
			assert.Equal(t, want.passed, e.Passed, text)
			assert.Equal(t, want.detail, e.Detail, text)
		}
	}
	assert.False(t, s.Passed)
}

package scenarios

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/renewsim/renewsim/sim"
)

// withoutPlace drops where alarms were declared, which writing them
// elsewhere changes.
func withoutPlace(alarms []sim.Alarm) []sim.Alarm {
	out := make([]sim.Alarm, len(alarms))
	for i, a := range alarms {
		a.File, a.Line, a.Col = "", 0, 0
		out[i] = a
	}
	return out
}

// Alarms of every kind, written and read back, are the same alarms.
func TestAlarmsYAMLReadsBack(t *testing.T) {
	sc, err := Parse("t.yaml", []byte(validDoc+`alarms:
  - name: days-30
    metric: {threshold: 30}
  - name: days-0
    metric: {threshold: 0, treat_missing_data: breaching}
  - name: config
    config: {}
  - name: config-hourly
    config: {days_to_expiration: 20, frequency: 1h}
  - name: acm-1
    securityhub: ACM.1
  - name: action
    eventbridge: {detail_type: ACM Certificate Renewal Action Required, days_to_expiry_at_most: 15, reason: CAA_ERROR}
  - name: available
    eventbridge: {detail_type: ACM Certificate Available}
  - name: caa
    eventbridge: {detail_type: AWS Health Event, code: CAA_CHECK_FAILURE}
  - name: tls
    probe: {expires_within: 33.5%}
    certs: [web]
  - name: tls-third
    probe: {expires_within: 1/3}
  - name: tls-14d
    probe: {expires_within: 14d12h30m, resource: alb}
`))
	require.NoError(t, err)
	text := AlarmsYAML(sc.Alarms)
	assert.Contains(t, text, "  - name: 'tls'\n    probe: {expires_within: '33.5%'}\n    certs: ['web']\n")
	set, err := ParseAlarms("w.yaml", []byte(text))
	require.NoError(t, err, text)
	assert.Equal(t, withoutPlace(sc.Alarms), withoutPlace(set.Alarms))
	assert.Empty(t, AlarmsYAML(nil))

	// Every library scenario's alarms read back the same.
	for _, name := range LibraryNames() {
		sc, err := LoadLibrary(name)
		require.NoError(t, err)
		if len(sc.Alarms) == 0 {
			continue
		}
		set, err := ParseAlarms(name, []byte(AlarmsYAML(sc.Alarms)))
		require.NoError(t, err, name)
		assert.Equal(t, withoutPlace(sc.Alarms), withoutPlace(set.Alarms), name)
	}
}

// A share of the lifetime is written as the percentage it is, or its
// fraction, and reads back as exactly the same share whichever form it
// was written in.
func TestShareReadsBack(t *testing.T) {
	for _, in := range []string{"33%", "33.5%", "0.33", "1/3", "2/3", "0.000001", "99.9999%", "1/7"} {
		set, err := ParseAlarms("a.yaml", []byte("alarms:\n  - {name: tls, probe: {expires_within: '"+in+"'}}\n"))
		require.NoError(t, err, in)
		back, err := ParseAlarms("b.yaml", []byte(AlarmsYAML(set.Alarms)))
		require.NoError(t, err, in)
		assert.Equal(t, withoutPlace(set.Alarms), withoutPlace(back.Alarms), in)
	}
}

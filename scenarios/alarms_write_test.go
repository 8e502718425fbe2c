package scenarios

import (
	"math/rand/v2"
	"strconv"
	"strings"
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
  - name: tls
    probe: {expires_within: 33.5%}
    certs: [web]
  - name: tls-third
    probe: {expires_within: 33.333333333333336%}
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

// A share of the lifetime is written as a percentage that reads back as
// exactly the same share, whatever digits it was written with.
func TestSharePercentReadsBack(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 100000; i++ {
		var p float64
		switch i % 3 {
		case 0:
			p = r.Float64() * 100
		case 1:
			p = float64(r.IntN(9999)+1) / 100 // two decimals, as people write them
		default:
			p = float64(r.IntN(99) + 1)
		}
		if p <= 0 || p >= 100 {
			continue
		}
		share := p / 100
		s := sharePercent(share)
		q, err := strconv.ParseFloat(strings.TrimSuffix(s, "%"), 64)
		require.NoError(t, err, s)
		require.Equal(t, share, q/100, "%v%% written as %s", p, s)
	}
}

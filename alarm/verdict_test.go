package alarm_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/renewsim/renewsim/alarm"
)

// Each certificate's verdict says in a word what the alarm did, and which
// expiry or outage its shortest warning came before.
func TestVerdicts(t *testing.T) {
	at := func(h int) *time.Time { v := time.Date(2026, 9, 15, h, 0, 0, 0, time.UTC); return &v }
	lead := func(s int64) *int64 { return &s }
	rs := []alarm.Result{{Name: "a", Rule: "r", Certificates: []alarm.Cert{
		{Cert: "missed", Fired: 1, FirstFired: at(1), Troubles: 1, Missed: 1, Firings: []alarm.Firing{{Outcome: alarm.TrueAlarm}}},
		{Cert: "in-time", Fired: 2, FirstFired: at(0), Troubles: 1, LeadTimeSeconds: lead(60), Firings: []alarm.Firing{
			{Outcome: alarm.TrueAlarm, LeadTimeSeconds: lead(120), At: at(5)},
			{Outcome: alarm.TrueAlarm, LeadTimeSeconds: lead(60), At: at(6)},
			{Outcome: alarm.TrueAlarm, LeadTimeSeconds: lead(60), At: at(7)},
		}},
		{Cert: "undecided", Fired: 2, FalseAlarms: 1, Firings: []alarm.Firing{{Outcome: alarm.FalseAlarm}, {Outcome: alarm.Undecided}}},
		{Cert: "noisy", Fired: 1, FalseAlarms: 1, Firings: []alarm.Firing{{Outcome: alarm.FalseAlarm}}},
		{Cert: "quiet", Firings: []alarm.Firing{}},
	}}, {Name: "b", Certificates: []alarm.Cert{{Cert: "quiet", Firings: []alarm.Firing{}}}}}
	got := alarm.Verdicts(rs)
	warns := map[string]alarm.Warns{}
	for cert, vs := range got {
		warns[cert] = vs[0].Warns
	}
	assert.Equal(t, map[string]alarm.Warns{"missed": alarm.WarnsMissed, "in-time": alarm.WarnsInTime, "undecided": alarm.WarnsUndecided,
		"noisy": alarm.WarnsFalse, "quiet": alarm.WarnsSilent}, warns)
	assert.Equal(t, at(6), got["in-time"][0].Before, "the first firing with the shortest lead")
	require.Len(t, got["quiet"], 2, "one verdict per alarm, in the order of the alarms")
	assert.Equal(t, []string{"a", "b"}, []string{got["quiet"][0].Alarm, got["quiet"][1].Alarm})
}

// A verdict written with the run's field names reads back the same; one
// written with check's old ones ("fires", "first_fires") too.
func TestVerdictJSON(t *testing.T) {
	first := time.Date(2026, 8, 16, 0, 0, 0, 0, time.UTC)
	v := alarm.Verdict{Alarm: "days-30", Rule: "r", Warns: alarm.WarnsInTime, Fired: 3, FirstFired: &first, Troubles: 1}
	b, err := json.Marshal(v)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"fired":3,"first_fired":"2026-08-16T00:00:00Z"`)
	var back alarm.Verdict
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, v, back)

	var old alarm.Verdict
	require.NoError(t, json.Unmarshal([]byte(`{"alarm":"days-30","rule":"r","warns":"in-time","fires":3,"first_fires":"2026-08-16T00:00:00Z","troubles":1}`), &old))
	assert.Equal(t, v, old)
}

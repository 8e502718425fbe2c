package scenarios

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/renewsim/renewsim/sim"
)

func TestParseTimeExpr(t *testing.T) {
	utc := func(s string) time.Time { return date(s) }
	good := []struct {
		in   string
		want timeRef
	}{
		{"2026-03-01T00:00:00Z", timeRef{abs: utc("2026-03-01T00:00:00Z")}},
		{"2026-03-01T02:30:00+02:00", timeRef{abs: utc("2026-03-01T00:30:00Z")}},
		{"2026-03-01T00:00:00-05:00", timeRef{abs: utc("2026-03-01T05:00:00Z")}},
		{"2026-03-01T00:00:00.25Z", timeRef{abs: utc("2026-03-01T00:00:00.25Z")}},
		{"start", timeRef{anchor: anchorStart}},
		{"start+10d", timeRef{anchor: anchorStart, offset: 10 * sim.Day}},
		{"start-1h", timeRef{anchor: anchorStart, offset: -time.Hour}},
		{"start + 2w", timeRef{anchor: anchorStart, offset: 14 * sim.Day}},
		{" start+0 ", timeRef{anchor: anchorStart}},
		{"web.issued", timeRef{anchor: anchorIssued, cert: "web"}},
		{"web.issued+30d", timeRef{anchor: anchorIssued, cert: "web", offset: 30 * sim.Day}},
		{"web.expiry", timeRef{anchor: anchorExpiry, cert: "web"}},
		{"web.expiry-19d22h50m", timeRef{anchor: anchorExpiry, cert: "web", offset: -(19*sim.Day + 22*time.Hour + 50*time.Minute)}},
		{"api-prod_2.expiry-1d12h", timeRef{anchor: anchorExpiry, cert: "api-prod_2", offset: -36 * time.Hour}},
		{"start.expiry+1d", timeRef{anchor: anchorExpiry, cert: "start", offset: sim.Day}},
	}
	for _, tc := range good {
		t.Run(tc.in, func(t *testing.T) {
			got, err := parseTimeExpr(tc.in)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
			if got.anchor == anchorAbs {
				assert.Equal(t, time.UTC, got.abs.Location())
			}
		})
	}

	bad := []struct{ in, want string }{
		{"", "bad time"},
		{"tomorrow", "bad time"},
		{"2026-03-01", "bad time"},
		{"2026-13-01T00:00:00Z", "bad time"},
		{"2026-03-01 00:00:00", "bad time"},
		{"startle", "bad time"},
		{"start*2", "bad time"},
		{"web.expires", "bad time"},
		{"web.expiry.x", "bad time"},
		{".expiry", "bad time"},
		{"start+", `bad offset "+": want +D or -D with a duration like 45d, 1d12h or 30m`},
		{"start++1d", `bad offset "++1d": want +D or -D with a duration like 45d, 1d12h or 30m`},
		{"web.expiry 3d", `bad offset "3d": want +D or -D with a duration like 45d, 1d12h or 30m`},
		{"start+3x", `bad offset: want a duration like 45d, 1d12h or 30m, got "+3x"`},
		{"start-1.5d", `bad offset: want a duration like 45d, 1d12h or 30m, got "-1.5d"`},
		{"start+99999w", `bad offset: duration "+99999w" is too long (more than 36500d)`},
		{"start+100000d100000d", `bad offset: duration "+100000d100000d" is too long (more than 36500d)`},
	}
	for _, tc := range bad {
		t.Run("bad "+tc.in, func(t *testing.T) {
			_, err := parseTimeExpr(tc.in)
			assert.EqualError(t, err, tc.want)
		})
	}
}

// TestTimesResolved checks every time form where a scenario uses it.
func TestTimesResolved(t *testing.T) {
	doc := `name: times
start: 2026-03-01T01:00:00+01:00
certificates:
  - {id: web, domain: example.com, issued: start-10d}
  - {id: api, domain: api.example.com, issued: 2026-03-05T12:00:00-06:00, not_after: api.issued+90d}
  - {id: old, domain: old.example.com, not_after: start+1w}
timeline:
  - {at: web.expiry-3d, do: export, cert: web}
  - {at: 2026-03-02T00:00:00+09:00, do: export, cert: web}
  - {at: api.issued + 1d12h, do: export, cert: api}
  - {at: start, do: export, cert: old}
  - {at: web.expiry+7d, do: export, cert: old}
expect:
  - {cert: web, renewed_after: web.expiry-45d, renewed_before: api.expiry+100d}
  - {cert: web, at: old.expiry, status: ISSUED}
`
	sc, err := Parse("t.yaml", []byte(doc))
	require.NoError(t, err)
	start := date("2026-03-01T00:00:00Z")
	assert.Equal(t, start, sc.Start)
	assert.Equal(t, time.UTC, sc.Start.Location())

	web, api, old := sc.Certificates[0], sc.Certificates[1], sc.Certificates[2]
	assert.Equal(t, date("2026-02-19T00:00:00Z"), web.Issued)
	assert.Equal(t, date("2026-02-19T00:00:00Z").Add(198*sim.Day), web.NotAfter)
	assert.Equal(t, date("2026-03-05T18:00:00Z"), api.Issued)
	assert.Equal(t, time.UTC, api.Issued.Location())
	assert.Equal(t, date("2026-03-05T18:00:00Z").Add(90*sim.Day), api.NotAfter)
	assert.Equal(t, start, old.Issued)
	assert.Equal(t, date("2026-03-08T00:00:00Z"), old.NotAfter)
	assert.Equal(t, web.NotAfter.Add(7*sim.Day), sc.Until, "the latest first expiry + 7d")

	// The timeline comes sorted by time, keeping what each entry said.
	var got []string
	for _, c := range sc.Timeline {
		got = append(got, fmt.Sprintf("%s %s %s line %d", stamp(c.At), c.AtText, c.Cert, c.Line))
	}
	assert.Equal(t, []string{
		"2026-03-01T00:00:00Z start old line 11",
		"2026-03-01T15:00:00Z 2026-03-02T00:00:00+09:00 web line 9",
		"2026-03-07T06:00:00Z api.issued + 1d12h api line 10",
		"2026-09-02T00:00:00Z web.expiry-3d web line 8",
		"2026-09-12T00:00:00Z web.expiry+7d old line 12",
	}, got)

	require.Len(t, sc.Expect, 2)
	assert.Equal(t, web.NotAfter.Add(-45*sim.Day), *sc.Expect[0].RenewedAfter)
	assert.Equal(t, api.NotAfter.Add(100*sim.Day), *sc.Expect[0].RenewedBefore)
	assert.Equal(t, old.NotAfter, sc.Expect[1].At)
}

func TestDurations(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"45d":        45 * sim.Day,
		"1d12h":      36 * time.Hour,
		"2w":         14 * sim.Day,
		"90m":        90 * time.Minute,
		"0":          0,
		"36500d":     36500 * sim.Day,
		"-19d22h50m": -(19*sim.Day + 22*time.Hour + 50*time.Minute),
	} {
		got, err := parseDuration(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{"36501d", "5215w", "99999w", "100000d100000d", "2562047h", "-36501d", "soon", "", "1.5d"} {
		_, err := parseDuration(in)
		assert.Error(t, err, in)
	}
}

package report_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/renewsim/renewsim/internal/fixture"
	"github.com/renewsim/renewsim/report"
	"github.com/renewsim/renewsim/sim"
)

func bandStates(l report.Lane) []string {
	var out []string
	for _, b := range l.Bands {
		out = append(out, b.State)
	}
	return out
}

func lane(t *testing.T, tl *report.Timeline, id string) report.Lane {
	t.Helper()
	for _, l := range tl.Lanes {
		if l.ID == id {
			return l
		}
	}
	t.Fatalf("no lane %s", id)
	return report.Lane{}
}

func labels(tl *report.Timeline, laneID string) []string {
	var out []string
	for _, m := range tl.Markers {
		if tl.Lanes[m.Lane].ID == laneID && m.Label != "" {
			out = append(out, m.Label)
		}
	}
	return out
}

func TestTimelineOfAnExpiry(t *testing.T) {
	sc := &runLibrary(t, "dns-missing-cname").Scenarios[0]
	tl := report.TimelineOf(sc)
	assert.Equal(t, "acm-2026", tl.Profile)
	web := lane(t, tl, "web")
	assert.Equal(t, report.LaneCertificate, web.Kind)
	assert.Equal(t, []string{report.StateValid, report.StatePendingAuto, report.StatePendingVal, report.StateExpired}, bandStates(web))
	assert.Equal(t, sc.Certificates[0].NotAfter, web.Bands[3].Start, "expired from NotAfter")
	alb := lane(t, tl, "alb-prod")
	assert.Equal(t, []string{report.StateServing, report.StateOutage}, bandStates(alb))
	assert.Equal(t, sc.Resources[0].Windows[0].Start, alb.Bands[1].Start, "the outage band is the summary's outage window")
	assert.Equal(t, sc.Resources[0].Windows[0].End, alb.Bands[1].End)
	assert.Contains(t, labels(tl, "web"), "CNAME deleted")
	assert.Contains(t, labels(tl, "web"), "Action Required (30d)")
	assert.Contains(t, labels(tl, "web"), "expired")
	verdict, bad := tl.Verdict()
	assert.True(t, bad)
	assert.Equal(t, "web EXPIRED 2026-09-15 00:00  ·  alb-prod OUTAGE 7d from 2026-09-15 00:00", verdict)
}

func TestTimelineOfARenewal(t *testing.T) {
	tl := report.TimelineOf(&runLibrary(t, "dns-cname-restored-late").Scenarios[0])
	web := lane(t, tl, "web")
	assert.Equal(t, []string{report.StateValid, report.StatePendingAuto, report.StatePendingVal, report.StateValid}, bandStates(web))
	require.Len(t, tl.Margins, 1)
	assert.Equal(t, 19*sim.Day+23*time.Hour+50*time.Minute, tl.Margins[0].Expiry.Sub(tl.Margins[0].Renewed))
	assert.Contains(t, labels(tl, "web"), "renewed 20d before expiry")
	assert.Contains(t, labels(tl, "web"), "CNAME restored")
	assert.Equal(t, []string{report.StateServing}, bandStates(lane(t, tl, "alb-prod")), "no outage")
	_, bad := tl.Verdict()
	assert.False(t, bad)
}

// A timeline read back from the event log is the one of the live run:
// after the JSON round trip EventBridge details are maps, not structs.
func TestTimelineFromEventLog(t *testing.T) {
	sum := runLibrary(t, "dns-missing-cname", "dns-cname-restored-late", "not-in-use")
	var buf bytes.Buffer
	require.NoError(t, report.WriteEvents(&buf, sum))
	names, logs, err := report.ReadEvents(&buf)
	require.NoError(t, err)
	require.Len(t, names, len(sum.Scenarios))
	for i := range sum.Scenarios {
		sc := &sum.Scenarios[i]
		live := report.TimelineOf(sc)
		read := report.NewTimeline(sc.Name, logs[sc.Name])
		assert.Equal(t, live.Profile, read.Profile, sc.Name)
		assert.Equal(t, live.Seed, read.Seed, sc.Name)
		assert.True(t, live.Start.Equal(read.Start) && live.End.Equal(read.End), sc.Name)
		assert.Equal(t, live.Lanes, read.Lanes, sc.Name)
		assert.Equal(t, live.Margins, read.Margins, sc.Name)
		require.Len(t, read.Markers, len(live.Markers), sc.Name)
		for j := range live.Markers {
			assert.Equal(t, live.Markers[j].Label, read.Markers[j].Label, sc.Name)
		}
		var a, b bytes.Buffer
		require.NoError(t, live.WriteSVG(&a))
		require.NoError(t, read.WriteSVG(&b))
		assert.Equal(t, a.String(), b.String(), "%s: the same plot from the event log", sc.Name)
	}
}

func TestTimelineOfABusyRecord(t *testing.T) {
	tl := report.NewTimeline("busy", fixture.Busy())
	assert.Equal(t, "acm-2026", tl.Profile)
	assert.Equal(t, "7", tl.Seed)
	var ids []string
	for _, l := range tl.Lanes {
		ids = append(ids, l.Kind+" "+l.ID)
	}
	assert.Equal(t, []string{"world world", "certificate web", "certificate api", "resource alb-prod", "resource cdn", "resource apigw"}, ids)
	assert.Equal(t, "www.example.com", lane(t, tl, "web").Title)

	apigw := lane(t, tl, "apigw")
	assert.Equal(t, []string{report.StateServing, report.StateTLSError, report.StateServing, report.StateServing}, bandStates(apigw),
		"a handshake that fails for another reason; a gap while detached; the renewed certificate")
	assert.Equal(t, []string{report.StateServing, report.StateOutage}, bandStates(lane(t, tl, "cdn")), "detached two days after expiry")
	assert.Equal(t, 2*sim.Day, lane(t, tl, "cdn").Bands[1].End.Sub(lane(t, tl, "cdn").Bands[1].Start))

	api := labels(tl, "api")
	assert.Contains(t, api, "48 failed validation attempts")
	assert.Contains(t, api, "48 failed CAA checks")
	assert.Contains(t, api, "approval e-mail refused")
	assert.Contains(t, api, "Action Required (30d)", "days read from a map detail")
	assert.Contains(t, labels(tl, "world"), "frobnicate", "an unknown kind still shows, under its name")
	assert.Contains(t, labels(tl, "web"), "e-mail (7d)")
}

func TestTimelineOfAnEmptyRecord(t *testing.T) {
	tl := report.NewTimeline("empty", nil)
	var buf bytes.Buffer
	require.NoError(t, tl.WriteSVG(&buf))
	svgTexts(t, buf.Bytes())
}

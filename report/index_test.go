package report

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/renewsim/renewsim/sim"
)

// foldKey stands for strings.EqualFold in the e-mail counts: two strings
// must share a key exactly when EqualFold holds.
func TestFoldKeyAgreesWithEqualFold(t *testing.T) {
	words := []string{
		"", "a", "A", "admin@example.com", "ADMIN@Example.COM", "admin@example.co",
		"k", "K", "\u212a", // Kelvin sign
		"s", "S", "\u017f", // long s
		"ss", "ß", "ẞ",
		"σ", "Σ", "ς",
		"\xff", "\xfe", "\ufffd", "a\xffb", "A\xfeB",
		"ǅ", "ǆ", "Ǆ",
	}
	for _, a := range words {
		for _, b := range words {
			assert.Equal(t, strings.EqualFold(a, b), foldKey(a) == foldKey(b), "%q and %q", a, b)
		}
	}
}

func TestRecordIndex(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	log := []sim.Entry{
		{Time: t0, Kind: sim.KindStart},
		{Time: t0, Kind: sim.KindStatus, Cert: "web"},
		{Time: t0, Kind: sim.KindDeployed, Cert: "web", Resource: "alb", Detail: sim.Detail{Serial: "01"}},
		{Time: t0.Add(time.Hour), Kind: sim.KindTimeline, Detail: sim.Detail{Do: sim.DoDNSAdd}},
		{Time: t0.Add(time.Hour), Kind: sim.KindStatus, Cert: "api"},
		{Time: t0.Add(2 * time.Hour), Kind: sim.KindDeployed, Cert: "api", Resource: "alb", Detail: sim.Detail{Serial: "01"}},
		{Time: t0.Add(2 * time.Hour), Kind: sim.KindProbe, Resource: "cdn"},
		{Time: t0.Add(3 * time.Hour), Kind: sim.KindStatus, Cert: "web"},
		{Time: t0.Add(4 * time.Hour), Kind: sim.KindEnd},
		{Time: t0.Add(5 * time.Hour), Kind: sim.KindEnd},
	}
	x := newRecordIndex(log)
	assert.Equal(t, []string{"web", "api"}, x.certs.ids, "in the order first mentioned")
	assert.Equal(t, []string{"alb", "cdn"}, x.resources.ids)
	assert.Equal(t, []int32{1, 2, 7}, x.certEntries("web"))
	assert.Equal(t, []int32{4, 5}, x.certEntries("api"))
	assert.Nil(t, x.certEntries("nope"))
	assert.Equal(t, [][]int32{{2, 5}, {6}}, x.byResource)
	assert.Equal(t, []bool{false, true}, x.probed)
	assert.Equal(t, "api", x.deployedBy[resourceSerial{0, "01"}], "the last deployment of a serial")
	assert.True(t, x.world)
	assert.Equal(t, t0.Add(5*time.Hour), x.endOr(log, t0), "the last end entry")
	assert.Equal(t, t0.Add(9*time.Hour), newRecordIndex(log[:8]).endOr(log, t0.Add(9*time.Hour)), "no end entry")

	assert.Nil(t, x.statusAt(log, "web", t0.Add(-time.Second)))
	assert.Same(t, &log[1], x.statusAt(log, "web", t0.Add(3*time.Hour-time.Second)))
	assert.Same(t, &log[7], x.statusAt(log, "web", t0.Add(3*time.Hour)))
	assert.Nil(t, x.statusAt(log, "nope", t0.Add(3*time.Hour)))
}

package sim

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The range each policy's source gives for the start of renewal, computed
// here from the sources, not from RenewalBounds: [lo, hi] with the ends
// open where the source says so.
type sourceRange struct {
	lo, hi         time.Time
	loOpen, hiOpen bool
}

func (r sourceRange) holds(t time.Time) bool {
	return (t.After(r.lo) || (!r.loOpen && t.Equal(r.lo))) && (t.Before(r.hi) || (!r.hiOpen && t.Equal(r.hi)))
}

func TestRenewalStartInsideTheSourceWindow(t *testing.T) {
	issued := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	pebble := func(life time.Duration) sourceRange {
		// Pebble's RenewalInfoSimple: the ideal renewal a third of the
		// validity before expiry, the window 24 hours either side, [start, end).
		ideal := issued.Add(life).Add(-life / 3)
		return sourceRange{lo: ideal.Add(-24 * time.Hour), hi: ideal.Add(24 * time.Hour), hiOpen: true}
	}
	stepCA := func(life time.Duration) sourceRange {
		// step-cli nextRenewDuration: expiry less a third of the validity,
		// less rand.Int63n(validity/20): (anchor - validity/20, anchor].
		anchor := issued.Add(life).Add(-life / 3)
		return sourceRange{lo: anchor.Add(-life / 20), hi: anchor, loOpen: true}
	}
	at := func(t time.Time) sourceRange { return sourceRange{lo: t, hi: t} }
	for _, tc := range []struct {
		profile string
		typ     string
		life    time.Duration
		want    sourceRange
		seeded  bool
	}{
		{"acm-2026", TypeAmazonIssued, 198 * Day, at(issued.Add(198 * Day).Add(-45 * Day)), false},
		{"acm-2026", TypePrivate, 395 * Day, at(issued.Add(395 * Day).Add(-60 * Day)), false},
		{"ari", TypeAmazonIssued, 198 * Day, pebble(198 * Day), true},
		{"ari", TypePrivate, 395 * Day, pebble(395 * Day), true},
		{"two-thirds-jitter", TypeAmazonIssued, 198 * Day, stepCA(198 * Day), true},
		{"two-thirds-jitter", TypePrivate, 395 * Day, stepCA(395 * Day), true},
		{"fixed-30d", TypeAmazonIssued, 198 * Day, at(issued.Add(198 * Day).Add(-30 * Day)), false},
		{"letsencrypt-2026", TypeAmazonIssued, 45 * Day, pebble(45 * Day), true},
		{"letsencrypt-2026+two-thirds-jitter", TypeAmazonIssued, 45 * Day, stepCA(45 * Day), true},
		{"letsencrypt-2026+fixed-30d", TypeAmazonIssued, 45 * Day, at(issued.Add(15 * Day)), false},
		// A lifetime the profile does not give (not_after set by hand): the
		// policy follows the certificate's own lifetime.
		{"ari", TypeAmazonIssued, 90*Day + 7*time.Hour, pebble(90*Day + 7*time.Hour), true},
		{"two-thirds-jitter", TypeAmazonIssued, 90*Day + 7*time.Hour, stepCA(90*Day + 7*time.Hour), true},
	} {
		t.Run(fmt.Sprintf("%s %s %s", tc.profile, tc.typ, FormatDuration(tc.life)), func(t *testing.T) {
			p, ok := LookupProfile(tc.profile)
			require.True(t, ok)
			notAfter := issued.Add(tc.life)
			lo, hi := p.RenewalBounds(tc.typ, issued, notAfter)
			assert.True(t, tc.want.holds(lo), "earliest %s outside %+v", lo, tc.want)
			assert.True(t, tc.want.holds(hi), "latest %s outside %+v", hi, tc.want)
			seen := map[time.Time]bool{}
			var early, late int
			mid := tc.want.lo.Add(tc.want.hi.Sub(tc.want.lo) / 2)
			for seed := uint64(1); seed <= 300; seed++ {
				for cycle := 1; cycle <= 3; cycle++ {
					got := p.RenewalStart(seed, "web", cycle, tc.typ, issued, notAfter)
					require.True(t, tc.want.holds(got), "seed %d cycle %d: %s outside %+v", seed, cycle, got, tc.want)
					require.False(t, got.Before(lo) || got.After(hi), "seed %d cycle %d: %s outside RenewalBounds", seed, cycle, got)
					assert.Equal(t, got, p.RenewalStart(seed, "web", cycle, tc.typ, issued, notAfter), "the same seed and cycle, the same time")
					assert.Zero(t, got.Sub(issued)%time.Minute, "to the minute")
					seen[got] = true
					if got.Before(mid) {
						early++
					} else {
						late++
					}
				}
			}
			if !tc.seeded {
				assert.Len(t, seen, 1, "no draw")
				return
			}
			// n uniform draws over m minutes hit m(1-(1-1/m)^n) distinct ones
			// on average (773 of 2880 for 900 draws); a draw stuck on a few
			// values, or on every other minute, falls far below.
			m := float64(hi.Sub(lo)/time.Minute + 1)
			want := m * (1 - math.Pow(1-1/m, 900))
			assert.Greater(t, float64(len(seen)), 0.9*want, "900 draws over %v minutes", m)
			assert.InDelta(t, 450, early, 90, "both halves of the span, about evenly (early %d, late %d)", early, late)
		})
	}
}

// Another certificate, cycle or seed draws anew; the draw of one does not
// move with the others.
func TestRenewalStartDrawsPerCertificateCycleAndSeed(t *testing.T) {
	p, _ := LookupProfile("ari")
	issued := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	na := issued.Add(198 * Day)
	base := p.RenewalStart(1, "web", 1, TypeAmazonIssued, issued, na)
	assert.NotEqual(t, base, p.RenewalStart(1, "api", 1, TypeAmazonIssued, issued, na), "another certificate")
	assert.NotEqual(t, base, p.RenewalStart(1, "web", 2, TypeAmazonIssued, issued, na), "another cycle")
	assert.NotEqual(t, base, p.RenewalStart(2, "web", 1, TypeAmazonIssued, issued, na), "another seed")
	// Shifting the certificate shifts the time by as much: the draw is an
	// offset in the window, not a time.
	later := issued.Add(10 * Day)
	assert.Equal(t, base.Add(10*Day), p.RenewalStart(1, "web", 1, TypeAmazonIssued, later, later.Add(198*Day)))
}

// Uniform over the span: 3000 draws in ten equal slices of the ARI window,
// each within a generous band around 300.
func TestRenewalStartIsUniform(t *testing.T) {
	p, _ := LookupProfile("ari")
	issued := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	na := issued.Add(198 * Day)
	lo, _ := p.RenewalBounds(TypeAmazonIssued, issued, na)
	var slices [10]int
	for i := range 3000 {
		got := p.RenewalStart(7, fmt.Sprintf("cert-%d", i), 1, TypeAmazonIssued, issued, na)
		slices[got.Sub(lo)*10/(48*time.Hour)]++
	}
	for i, n := range slices {
		assert.InDelta(t, 300, n, 75, "slice %d of the window: %v", i, slices)
	}
}

func TestShareKnobs(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		of198d   time.Duration
	}{
		{"2/3", "2/3", 132 * Day},
		{"1/20", "1/20", 9*Day + 21*time.Hour + 36*time.Minute},
		{"0.05", "1/20", 9*Day + 21*time.Hour + 36*time.Minute},
		{"4/6", "2/3", 132 * Day},
		{"0.5", "1/2", 99 * Day},
		{"0", "0", 0},
		{" 1/3 ", "1/3", 66 * Day},
		// The three forms of a third, as a probe alarm writes them.
		{"0.33", "33/100", 65*Day + 8*time.Hour + 9*time.Minute + 36*time.Second},
		{"33%", "33/100", 65*Day + 8*time.Hour + 9*time.Minute + 36*time.Second},
		{"33.5%", "67/200", 66*Day + 7*time.Hour + 55*time.Minute + 12*time.Second},
		{"0.25%", "1/400", 11*time.Hour + 52*time.Minute + 48*time.Second},
		{"5 %", "1/20", 9*Day + 21*time.Hour + 36*time.Minute},
		{"0%", "0", 0},
	} {
		s, err := ParseShare(tc.in)
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.want, s.String(), tc.in)
		assert.Equal(t, tc.of198d, s.Of(198*Day), tc.in)
	}
	for _, bad := range []string{"", "1", "1/1", "3/2", "-1/3", "1/0", "2/-3", ".5", "0.1234567", "two thirds", "1.5", "-0.1", "0x1", "100%", "120%", "-5%", "%", "1.23456%", "5%%", "a%", "1/3%"} {
		_, err := ParseShare(bad)
		assert.ErrorContains(t, err, "want a share of the lifetime like 2/3, 0.05 or 5% (at least 0, below 1)", "%q", bad)
	}
}

// A share is written as the percentage it is, or as its fraction when no
// short percentage is exact, and reads back as the same share.
func TestSharePercent(t *testing.T) {
	for _, tc := range []struct {
		s    Share
		want string
	}{
		{Share{33, 100}, "33%"}, {Share{1, 2}, "50%"}, {Share{67, 200}, "33.5%"}, {Share{1, 400}, "0.25%"},
		{Share{1, 3}, "1/3"}, {Share{2, 3}, "2/3"}, {Share{1, 1_000_000}, "0.0001%"}, {Share{1, 20}, "5%"},
	} {
		assert.Equal(t, tc.want, tc.s.Percent(), "%v", tc.s)
		back, err := ParseShare(tc.want)
		require.NoError(t, err, tc.want)
		assert.Equal(t, tc.s.String(), back.String(), tc.want)
	}
}

func TestRenewalPolicyKnobs(t *testing.T) {
	p, _ := LookupProfile("acm-2026")
	assert.Equal(t, PolicyWindow, p.RenewalPolicy, "ACM's own profile keeps its window")
	require.NoError(t, p.Set("renewal_policy", "fixed"))
	require.NoError(t, p.Set("renew_before", "21d"))
	issued := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	assert.Equal(t, issued.Add(177*Day), p.RenewalStart(1, "web", 1, TypeAmazonIssued, issued, issued.Add(198*Day)))
	require.NoError(t, p.Set("renewal_policy", "two-thirds"))
	require.NoError(t, p.Set("renew_at", "1/2"))
	require.NoError(t, p.Set("renew_jitter", "0"))
	assert.Equal(t, issued.Add(99*Day), p.RenewalStart(1, "web", 1, TypeAmazonIssued, issued, issued.Add(198*Day)), "no jitter, no draw")
	require.NoError(t, p.Set("renewal_policy", "ari"))
	require.NoError(t, p.Set("ari_window_width", "0s"))
	assert.Equal(t, issued.Add(99*Day), p.RenewalStart(1, "web", 1, TypeAmazonIssued, issued, issued.Add(198*Day)), "a window of no width")
	require.NoError(t, p.Set("renew_at", "0.99"))
	require.NoError(t, p.Set("ari_window_width", "10d"))
	lo, hi := p.RenewalBounds(TypeAmazonIssued, issued, issued.Add(100*Day))
	assert.Equal(t, issued.Add(94*Day), lo)
	assert.Equal(t, issued.Add(100*Day).Add(-time.Minute), hi, "the window ends at expiry at the latest")

	for _, tc := range []struct{ knob, value, err string }{
		{"renewal_policy", "asap", `want one of window, ari, two-thirds, fixed, got "asap"`},
		{"renew_at", "0", "renew_at must be above 0"},
		{"renew_at", "1", "want a share of the lifetime"},
		{"renew_jitter", "1/1", "want a share of the lifetime"},
		{"ari_window_width", "-1h", "ari_window_width: -1h is out of range (want 0 to 3650d)"},
		{"renew_before", "soon", "soon"},
	} {
		assert.ErrorContains(t, p.Set(tc.knob, tc.value), tc.err, "%s=%s", tc.knob, tc.value)
	}
	kind, ok := KnobKind("renew_at")
	assert.True(t, ok)
	assert.Equal(t, "share", kind)
}

// The comparison profiles are acm-2026 but for the timing; each
// letsencrypt-2026 variant is letsencrypt-2026 but for the policy.
func TestComparisonProfiles(t *testing.T) {
	base, _ := LookupProfile("acm-2026")
	le, _ := LookupProfile("letsencrypt-2026")
	for name, want := range map[string]struct {
		of     Profile
		policy string
	}{
		"ari":                                {base, PolicyARI},
		"two-thirds-jitter":                  {base, PolicyTwoThirds},
		"fixed-30d":                          {base, PolicyFixed},
		"letsencrypt-2026+two-thirds-jitter": {le, PolicyTwoThirds},
		"letsencrypt-2026+fixed-30d":         {le, PolicyFixed},
	} {
		p, ok := LookupProfile(name)
		require.True(t, ok, name)
		assert.Equal(t, name, p.Name)
		assert.Equal(t, want.policy, p.RenewalPolicy, name)
		other := want.of
		other.Name, other.RenewalPolicy = p.Name, p.RenewalPolicy
		assert.Equal(t, other, p, "%s differs from %s only in its policy", name, want.of.Name)
	}
	assert.Equal(t, PolicyARI, le.RenewalPolicy)
	assert.Equal(t, 45*Day, le.Validity(TypeAmazonIssued, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)), "no 2026 transition rule")
	assert.Contains(t, ProfileNames(), "letsencrypt-2026+fixed-30d")
}

// The ends of a span, where an off-by-one would show: over a span of three
// minutes, 200 seeds land on each of its minutes and never on an excluded
// end (ARI's window end, the far end of step-ca's jitter).
func TestRenewalStartEndsOfTinySpans(t *testing.T) {
	issued := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	ari, _ := LookupProfile("ari")
	require.NoError(t, ari.Set("ari_window_width", "3m"))
	// A 60-minute certificate: two thirds is 40 minutes in, a twentieth 3.
	jitter, _ := LookupProfile("two-thirds-jitter")
	for _, tc := range []struct {
		p    Profile
		life time.Duration
		want []time.Duration // offsets from issue the draws must hit, all of them and only them
	}{
		{ari, 198 * Day, []time.Duration{132*Day - 90*time.Second, 132*Day - 30*time.Second, 132*Day + 30*time.Second}},
		{jitter, time.Hour, []time.Duration{38 * time.Minute, 39 * time.Minute, 40 * time.Minute}},
	} {
		hits := map[time.Duration]int{}
		for seed := uint64(1); seed <= 200; seed++ {
			got := tc.p.RenewalStart(seed, "web", 1, TypeAmazonIssued, issued, issued.Add(tc.life))
			hits[got.Sub(issued)]++
		}
		var offsets []time.Duration
		for d := range hits {
			offsets = append(offsets, d)
		}
		assert.ElementsMatch(t, tc.want, offsets, "%s: %v", tc.p.RenewalPolicy, hits)
	}
}

package sim

import (
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseDuration(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
		err  bool
	}{
		{"45d", 45 * Day, false},
		{"1d12h", 36 * time.Hour, false},
		{"2w", 14 * Day, false},
		{"-19d22h50m", -(19*Day + 22*time.Hour + 50*time.Minute), false},
		{"90m", 90 * time.Minute, false},
		{"0", 0, false},
		{"0s", 0, false},
		{"", 0, true},
		{"d", 0, true},
		{"3x", 0, true},
		{"1h-2m", 0, true},
		{"-", 0, true},
		{"+", 0, true},
		{"+3d", 3 * Day, false},
		{"-0", 0, false},
		{"99999w", 0, true},
		{"100000d100000d", 0, true},
		{"36500d", 36500 * Day, false},
		{"36500d1h", 0, true},
	} {
		got, err := ParseDuration(tc.in)
		if tc.err {
			assert.Error(t, err, tc.in)
			continue
		}
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.want, got, tc.in)
	}
}

// A unit given twice, or a smaller before a larger, is refused: Go would add
// the terms up, which is rarely what was meant.
func TestParseDurationUnitOrder(t *testing.T) {
	for _, tc := range []struct{ in, msg string }{
		{"1h1h", `duration "1h1h" gives h twice: give each unit once, largest first, as in 1d12h`},
		{"30m1h", `duration "30m1h" gives m before h: give each unit once, largest first, as in 1d12h`},
		{"1d2d", `duration "1d2d" gives d twice: give each unit once, largest first, as in 1d12h`},
		{"12h1d", `duration "12h1d" gives h before d: give each unit once, largest first, as in 1d12h`},
		{"-1d1w", `duration "-1d1w" gives d before w: give each unit once, largest first, as in 1d12h`},
	} {
		_, err := ParseDuration(tc.in)
		if assert.Error(t, err, tc.in) {
			assert.Equal(t, tc.msg, err.Error(), tc.in)
		}
	}
	for _, ok := range []string{"1w2d3h4m5s6ms7us8ns", "1h90m", "1.5h", "2w1d", "45d"} {
		_, err := ParseDuration(ok)
		assert.NoError(t, err, ok)
	}
}

// TestParseDurationInnerSign pins the choice for a sign inside a
// duration: refused, with the single duration the terms add up to, so that
// "-58d+30m" can mean neither −(58d30m) silently nor anything by accident.
func TestParseDurationInnerSign(t *testing.T) {
	for _, tc := range []struct{ in, msg string }{
		{"-58d+30m", `duration "-58d+30m" has a sign inside it (at "+30m"): a duration takes one sign, in front; for -58d + 30m write -57d23h30m`},
		{"58d+30m", `duration "58d+30m" has a sign inside it (at "+30m"): a duration takes one sign, in front; for 58d + 30m write 58d30m`},
		{"1h-2m", `duration "1h-2m" has a sign inside it (at "-2m"): a duration takes one sign, in front; for 1h - 2m write 58m`},
		{"-58d-30m", `duration "-58d-30m" has a sign inside it (at "-30m"): a duration takes one sign, in front; for -58d - 30m write -58d30m`},
		{" -1d+1d ", `duration "-1d+1d" has a sign inside it (at "+1d"): a duration takes one sign, in front; for -1d + 1d write 0s`},
		{"-1d--2h", `duration "-1d--2h" has a sign inside it (at "--2h"): a duration takes one sign, in front`},
		{"5d+99999w", `duration "5d+99999w" has a sign inside it (at "+99999w"): a duration takes one sign, in front`},
		{"1d+x", `duration "1d+x" has a sign inside it (at "+x"): a duration takes one sign, in front`},
	} {
		_, err := ParseDuration(tc.in)
		if assert.Error(t, err, tc.in) {
			assert.Equal(t, tc.msg, err.Error(), tc.in)
		}
	}
}

func TestSpellDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		72 * time.Hour: "72 hours", time.Hour: "1 hour", 48 * time.Hour: "48 hours",
		7 * Day: "7 days", 4 * Day: "4 days", 90 * time.Minute: "1h30m", 0: "0s", 30 * time.Second: "30s",
	} {
		assert.Equal(t, want, SpellDuration(d), d.String())
	}
}

func TestFormatDuration(t *testing.T) {
	assert.Equal(t, "0s", FormatDuration(0))
	assert.Equal(t, "45d", FormatDuration(45*Day))
	assert.Equal(t, "1d12h", FormatDuration(36*time.Hour))
	assert.Equal(t, "5h", FormatDuration(5*time.Hour))
	assert.Equal(t, "1h10m", FormatDuration(70*time.Minute))
	assert.Equal(t, "-2d", FormatDuration(-2*Day))
	assert.Equal(t, "10s", FormatDuration(10*time.Second))
	assert.Equal(t, "38m50s", FormatDuration(38*time.Minute+50*time.Second))
	assert.Equal(t, "1h10s", FormatDuration(time.Hour+10*time.Second))
	assert.Equal(t, "2d3h20m", FormatDuration(2*Day+3*time.Hour+20*time.Minute))
	for _, d := range []time.Duration{time.Second, 10 * time.Second, 25 * time.Hour, 7*Day + 30*time.Minute, time.Hour + 10*time.Second, 90 * time.Millisecond} {
		back, err := ParseDuration(FormatDuration(d))
		require.NoError(t, err)
		assert.Equal(t, d, back)
	}
}

func TestProfileTransitionRule(t *testing.T) {
	p, ok := LookupProfile("acm-2026")
	require.True(t, ok)
	before := time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC)
	after := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	assert.Equal(t, 395*Day, p.Validity(TypeAmazonIssued, before))
	assert.Equal(t, 60*Day, p.Window(TypeAmazonIssued, before))
	assert.Equal(t, 198*Day, p.Validity(TypeAmazonIssued, after))
	assert.Equal(t, 45*Day, p.Window(TypeAmazonIssued, after))
	assert.Equal(t, 395*Day, p.Validity(TypePrivate, after))
	assert.Equal(t, 60*Day, p.Window(TypePrivate, after))

	l, _ := LookupProfile("acm-legacy")
	assert.Equal(t, 395*Day, l.Validity(TypeAmazonIssued, after))
	assert.Equal(t, 60*Day, l.Window(TypeAmazonIssued, after))
	assert.Equal(t, EligibleInUse, l.Eligibility)
	assert.True(t, l.WhoisContacts)
	assert.True(t, l.HTTPSProbe)
}

func TestProfileSet(t *testing.T) {
	p, _ := LookupProfile("acm-2026")
	require.NoError(t, p.Set("retry_interval", "30m"))
	assert.Equal(t, 30*time.Minute, p.RetryInterval)
	require.NoError(t, p.Set("action_required_days", "7, 30, 1"))
	assert.Equal(t, []int{30, 7, 1}, p.ActionRequiredDays)
	require.NoError(t, p.Set("https_probe", "true"))
	assert.True(t, p.HTTPSProbe)
	require.NoError(t, p.Set("transition_date", "2027-01-01"))
	assert.Equal(t, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), p.TransitionDate)
	assert.EqualError(t, p.Set("retry_interval", "0s"), "retry_interval: 0s is out of range (want 1m to 30d)")
	assert.ErrorContains(t, p.Set("eligibility", "always"), "in-use-or-exported")
	assert.ErrorContains(t, p.Set("nope", "1"), `unknown profile knob "nope"`)
	for _, k := range KnobNames() {
		kind, ok := KnobKind(k)
		assert.True(t, ok)
		assert.NotEmpty(t, kind)
	}
	fresh, _ := LookupProfile("acm-2026")
	assert.Equal(t, time.Hour, fresh.RetryInterval, "LookupProfile returns a copy")
}

func TestValidationRecord(t *testing.T) {
	name, value := ValidationRecord(1, "123456789012", "www.example.com")
	assert.Regexp(t, regexp.MustCompile(`^_[0-9a-f]{32}\.www\.example\.com\.$`), name)
	assert.Regexp(t, regexp.MustCompile(`^_[0-9a-f]{32}\.[a-z]{10}\.acm-validations\.aws\.$`), value)
	n2, v2 := ValidationRecord(1, "123456789012", "*.WWW.example.com.")
	assert.Equal(t, name, n2, "wildcard and apex share the record")
	assert.Equal(t, value, v2)
	n3, _ := ValidationRecord(2, "123456789012", "www.example.com")
	assert.NotEqual(t, name, n3, "another seed, another record")
}

func TestCNAMEMatches(t *testing.T) {
	want := "_abc.xyz.acm-validations.aws."
	assert.True(t, CNAMEMatches("_abc.xyz.acm-validations.aws.", want))
	assert.True(t, CNAMEMatches("_ABC.xyz.acm-validations.aws", want), "case and trailing dot")
	assert.True(t, CNAMEMatches("abc.xyz.acm-validations.aws.", want), "leading underscore dropped")
	assert.False(t, CNAMEMatches("_abd.xyz.acm-validations.aws.", want))
	assert.False(t, CNAMEMatches("", want))
}

func TestIDNProblem(t *testing.T) {
	for name, bad := range map[string]bool{
		"example.com":       false,
		"a--example.com":    false,
		"abc--example.com":  false,
		"xn--xyz.com":       false, // 简.com
		"*.xn--xyz.com":     false,
		"xn--example.com":   true,
		"ab--example.com":   true,
		"www.ab--x.com":     false, // only the first label counts
		"xn--.com":          true,
		"xn--bcher-kva.com": false, // bücher
	} {
		assert.Equal(t, bad, IDNProblem(name) != "", name)
	}
}

func TestJudgeCNAME(t *testing.T) {
	const rec, want = "_r.example.com.", "_v.abc.acm-validations.aws."
	chain := func(n int) []string {
		var out []string
		for i := 1; i < n; i++ {
			out = append(out, "hop.example.com.")
		}
		return append(out, want)
	}
	for _, tc := range []struct {
		name    string
		a       CNAMEAnswer
		ok      bool
		problem string
	}{
		{"direct", CNAMEAnswer{Chain: []string{want}, Rcode: "NOERROR"}, true, ""},
		{"chain of five", CNAMEAnswer{Chain: chain(5), Rcode: "NOERROR"}, true, ""},
		{"chain of six", CNAMEAnswer{Chain: chain(6), Rcode: "NOERROR"}, false, "has 6 records; ACM follows at most 5"},
		{"deleted", CNAMEAnswer{Rcode: "NXDOMAIN"}, false, "does not exist (NXDOMAIN)"},
		{"nodata", CNAMEAnswer{Rcode: "NOERROR"}, false, "has no CNAME record (NODATA)"},
		{"servfail", CNAMEAnswer{Rcode: "SERVFAIL"}, false, "DNS answered SERVFAIL"},
		{"wrong", CNAMEAnswer{Chain: []string{"_other.abc.acm-validations.aws."}, Rcode: "NOERROR"}, false, "but ACM expects"},
		{"transport", CNAMEAnswer{Err: "timeout"}, false, "query failed"},
	} {
		nc := NameCheck{Record: rec, Expected: want}
		judgeCNAME(&nc, tc.a, 5)
		if tc.ok {
			assert.Equal(t, ValidationSuccess, nc.Status, tc.name)
			assert.Empty(t, nc.Problem, tc.name)
			continue
		}
		assert.Equal(t, ValidationPending, nc.Status, tc.name)
		assert.Contains(t, nc.Problem, tc.problem, tc.name)
		assert.NotEmpty(t, nc.Fix, tc.name)
	}
}

func TestWhatIfProfiles(t *testing.T) {
	issued := time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC)
	p27, ok := LookupProfile("cabf-2027")
	require.True(t, ok)
	assert.Equal(t, 100*Day, p27.Validity(TypeAmazonIssued, issued))
	assert.Equal(t, 100*Day/3, p27.Window(TypeAmazonIssued, issued), "window assumed at a third of the lifetime")
	assert.Equal(t, 395*Day, p27.Validity(TypePrivate, issued), "private certificates unchanged")
	p29, _ := LookupProfile("cabf-2029")
	assert.Equal(t, 47*Day, p29.Validity(TypeAmazonIssued, issued))
	assert.Equal(t, 10*Day, p29.ValidationReuse)
	require.NoError(t, p29.Set("public_window", "20d"))
	assert.Equal(t, 20*Day, p29.Window(TypeAmazonIssued, issued), "the assumption is overridable")
	old := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	assert.Equal(t, 47*Day, p29.Validity(TypeAmazonIssued, old), "no 2026 transition rule in what-if profiles")
}

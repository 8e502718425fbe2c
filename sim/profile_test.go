package sim

import (
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every knob refuses values outside its range and names the knob, the
// value and the range; the profile keeps its old value.
func TestProfileSetRanges(t *testing.T) {
	cases := []struct {
		knob, value, want string
	}{
		{"retry_interval", "1ns", "retry_interval: 1ns is out of range (want 1m to 30d)"},
		{"retry_interval", "59s", "retry_interval: 59s is out of range (want 1m to 30d)"},
		{"retry_interval", "31d", "retry_interval: 31d is out of range (want 1m to 30d)"},
		{"retry_interval", "-1h", "retry_interval: -1h is out of range (want 1m to 30d)"},
		{"public_validity", "2s", "public_validity: 2s is out of range (want 2d to 3650d)"},
		{"public_validity", "3651d", "public_validity: 3651d is out of range (want 2d to 3650d)"},
		{"public_window", "1s", "public_window: 1s is out of range (want 1h to 3649d)"},
		{"private_validity", "1d23h", "private_validity: 1d23h is out of range (want 2d to 3650d)"},
		{"private_window", "0", "private_window: 0 is out of range (want 1h to 3649d)"},
		{"pre_transition_validity", "1h", "pre_transition_validity: 1h is out of range (want 0 (none) or 2d to 3650d)"},
		{"pre_transition_window", "30m", "pre_transition_window: 30m is out of range (want 0 (none) or 1h to 3649d)"},
		{"pending_validation_after", "3651d", "pending_validation_after: 3651d is out of range (want 0 to 3650d)"},
		{"instruction_email_after", "1m", "instruction_email_after: 1m is out of range (want 0 (none) or 1h to 3650d)"},
		{"email_before", "0s", "email_before: 0s is out of range (want 1h to 3650d)"},
		{"approval_link_ttl", "1s", "approval_link_ttl: 1s is out of range (want 1m to 365d)"},
		{"validation_reuse", "3651d", "validation_reuse: 3651d is out of range (want 0 to 3650d, or such a duration followed by up to 8 more, each from a later date (like 398d, 200d from 2026-03-15))"},
		{"validation_reuse", "398d, 3651d from 2026-03-15", "validation_reuse: 3651d is out of range (want 0 to 3650d, or such a duration followed by up to 8 more, each from a later date (like 398d, 200d from 2026-03-15))"},
		{"validation_reuse", "200d from 2026-03-15", `validation_reuse: want a duration first, without a date (like 398d, 200d from 2026-03-15), got "200d from 2026-03-15"`},
		{"validation_reuse", "398d, 200d", `validation_reuse: want DURATION from DATE after the first duration (like 200d from 2026-03-15), got "200d"`},
		{"validation_reuse", "398d, 200d from 2027-03-15, 100d from 2027-03-15", "validation_reuse: 2027-03-15 does not come after 2027-03-15 (want the dates in ascending order)"},
		{"validation_reuse", "398d, 200d from March", `validation_reuse: want a date like 2026-02-18 or an RFC 3339 time, got "March"`},
		{"validation_reuse", "398d, 200d from 2200-01-01", "validation_reuse: 2200-01-01 is out of range (want a date in [1970-01-01T00:00:00Z, 2200-01-01T00:00:00Z))"},
		{"validation_reuse", "1d" + strings.Repeat(", 1d from 2030-01-01", 9), "validation_reuse: 9 steps is too many (want 0 to 3650d, or such a duration followed by up to 8 more, each from a later date (like 398d, 200d from 2026-03-15))"},
		{"validity_100d", "1d", "validity_100d: 1d is out of range (want 0 (none) or 2d to 3650d)"},
		{"window_47d", "59m", "window_47d: 59m is out of range (want 0 (none) or 1h to 3649d)"},
		{"from_100d", "2200-01-01", "from_100d: 2200-01-01 is out of range (want none or a date in [1970-01-01T00:00:00Z, 2200-01-01T00:00:00Z))"},
		{"issue_delay", "8d", "issue_delay: 8d is out of range (want 0 to 7d)"},
		{"status_lag", "-1m", "status_lag: -1m is out of range (want 0 to 7d)"},
		{"max_cname_chain", "17", "max_cname_chain: 17 is out of range (want 0 to 16)"},
		{"max_cname_chain", "-1", "max_cname_chain: -1 is out of range (want 0 to 16)"},
		{"max_cname_chain", "many", `max_cname_chain: want a whole number from 0 to 16, got "many"`},
		{"approaching_expiration_days", "1000000000", "approaching_expiration_days: 1000000000 is out of range (want 0 to 3650)"},
		{"private_approaching_expiration_days", "3651", "private_approaching_expiration_days: 3651 is out of range (want 0 to 3650)"},
		{"action_required_days", "30, 4000", "action_required_days: 4000 is out of range (want at most 32 different whole days, each 1 to 3650)"},
		{"email_resend_days", "7, 3, 7", "email_resend_days: day 7 is listed twice"},
		{"private_action_required_days", strings.Repeat("1,", 40) + "1", "private_action_required_days: 41 days is too many (want at most 32 different whole days, each 1 to 3650)"},
		{"action_required_days", "30, x", `action_required_days: want a list of whole days like 30,15,7, got "30, x"`},
		{"transition_date", "0001-01-01", "transition_date: 0001-01-01 is out of range (want none or a date in [1970-01-01T00:00:00Z, 2200-01-01T00:00:00Z))"},
		{"transition_date", "2200-01-01", "transition_date: 2200-01-01 is out of range (want none or a date in [1970-01-01T00:00:00Z, 2200-01-01T00:00:00Z))"},
		{"account", "../../../etc/passwd", `account: want 12 digits like 123456789012, got "../../../etc/passwd"`},
		{"account", "12345678901", `account: want 12 digits like 123456789012, got "12345678901"`},
		{"region", "us-east-1\"}],\"x\":\"\n", `region: want an AWS region like us-east-1 (^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]{1,2}$), got "us-east-1\"}],\"x\":\"\n"`},
		{"region", "US-EAST-1", `region: want an AWS region like us-east-1 (^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]{1,2}$), got "US-EAST-1"`},
		{"region", "useast1", `region: want an AWS region like us-east-1 (^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]{1,2}$), got "useast1"`},
		{"eligibility", "always", `eligibility: want in-use-or-exported or in-use, got "always"`},
		{"https_probe", "maybe", `https_probe: want true or false, got "maybe"`},
	}
	for _, tc := range cases {
		t.Run(tc.knob+"="+tc.value, func(t *testing.T) {
			p, _ := LookupProfile(DefaultProfile)
			before := p
			assert.EqualError(t, p.Set(tc.knob, tc.value), tc.want)
			assert.Equal(t, before, p, "a refused value changes nothing")
		})
	}
}

func TestProfileSetAcceptsTheBounds(t *testing.T) {
	ok := map[string][]string{
		"retry_interval":          {"1m", "30d"},
		"public_validity":         {"2d", "3650d"},
		"pre_transition_validity": {"0", "2d"},
		"instruction_email_after": {"0", "1h"},
		"max_cname_chain":         {"0", "16"},
		"action_required_days":    {"", "3650", "[30, 15, 7]"},
		"transition_date":         {"1970-01-01", "2199-12-31T23:59:59Z"},
		"validation_reuse":        {"0", "3650d", "398d, 200d from 2026-03-15", " 1d ,2d from 2030-01-01T12:00:00Z , 0s from 2031-01-01"},
		"window_100d":             {"0", "1h"},
		"from_47d":                {"2199-12-31", "none"},
		"account":                 {"000000000000"},
		"region":                  {"us-east-1", "eu-central-2", "us-gov-west-1", "cn-northwest-1", "us-iso-east-1", "us-isob-east-1", "eu-isoe-west-1", "us-isof-south-1", "ap-southeast-5", "il-central-1", "mx-central-1"},
	}
	for knob, values := range ok {
		for _, v := range values {
			p, _ := LookupProfile(DefaultProfile)
			assert.NoError(t, p.Set(knob, v), "%s=%s", knob, v)
		}
	}
}

func TestShippedProfilesPassCheck(t *testing.T) {
	for _, name := range ProfileNames() {
		p, _ := LookupProfile(name)
		assert.NoError(t, p.Check(), name)
		assert.LessOrEqual(t, p.LongestLifetime(), 3650*Day)
	}
}

// Check finds what Set cannot see alone: rules between knobs, and values
// put in a Profile by code rather than by Set.
func TestProfileCheck(t *testing.T) {
	cases := []struct {
		name string
		edit func(p *Profile)
		want []KnobError
	}{
		{"window as long as the lifetime", func(p *Profile) { p.PublicWindow = 198 * Day }, []KnobError{
			{"public_window", "public_validity", "public_window: 198d is out of range (want 1h to 197d, public_validity 198d minus a day)"}}},
		{"window opening within the first day", func(p *Profile) { p.PublicWindow = 197*Day + time.Minute }, []KnobError{
			{"public_window", "public_validity", "public_window: 197d1m is out of range (want 1h to 197d, public_validity 198d minus a day)"}}},
		{"private window against a shorter lifetime", func(p *Profile) { p.PrivateValidity = 30 * Day }, []KnobError{
			{"private_window", "private_validity", "private_window: 60d is out of range (want 1h to 29d, private_validity 30d minus a day)"}}},
		// Notice days beyond the lifetime are fine (they never come); the
		// first e-mail must still fall inside it.
		{"notice days beyond a short public lifetime", func(p *Profile) { p.PublicValidity = 20 * Day; p.PublicWindow = 5 * Day }, []KnobError{
			{"email_before", "public_validity", "email_before: 45d is out of range (want 1h to 20d, public_validity)"}}},
		{"transition without its lifetime", func(p *Profile) { p.PreTransitionValidity, p.PreTransitionWindow = 0, 0 }, []KnobError{
			{"pre_transition_validity", "transition_date", "pre_transition_validity: 0 is out of range (want 2d to 3650d: transition_date gives certificates issued before it this lifetime)"},
			{"pre_transition_window", "transition_date", "pre_transition_window: 0 is out of range (want 1h to 3649d: transition_date gives certificates issued before it this window)"}}},
		{"a dated step without its lifetime and window", func(p *Profile) { p.From100d = time.Date(2027, 3, 15, 0, 0, 0, 0, time.UTC) }, []KnobError{
			{"validity_100d", "from_100d", "validity_100d: 0 is out of range (want 2d to 3650d: from_100d gives certificates issued from it this lifetime)"},
			{"window_100d", "from_100d", "window_100d: 0 is out of range (want 1h to 3649d: from_100d gives certificates issued from it this window)"}}},
		{"a dated window as long as its lifetime", func(p *Profile) {
			p.From47d, p.Validity47d, p.Window47d = time.Date(2029, 3, 15, 0, 0, 0, 0, time.UTC), 47*Day, 47*Day
		}, []KnobError{
			{"window_47d", "validity_47d", "window_47d: 47d is out of range (want 1h to 46d, validity_47d 47d minus a day)"}}},
		{"steps out of order", func(p *Profile) {
			p.From100d, p.Validity100d, p.Window100d = time.Date(2029, 3, 15, 0, 0, 0, 0, time.UTC), 100*Day, 33*Day
			p.From47d, p.Validity47d, p.Window47d = time.Date(2027, 3, 15, 0, 0, 0, 0, time.UTC), 47*Day, 15*Day
		}, []KnobError{
			{"from_47d", "from_100d", "from_47d: 2027-03-15 is out of range (want a date after from_100d, 2029-03-15)"}}},
		{"a step before the transition", func(p *Profile) {
			p.From100d, p.Validity100d, p.Window100d = time.Date(2026, 2, 18, 0, 0, 0, 0, time.UTC), 100*Day, 33*Day
		}, []KnobError{
			{"from_100d", "transition_date", "from_100d: 2026-02-18 is out of range (want a date after transition_date, 2026-02-18)"}}},
		{"reuse steps set by code", func(p *Profile) { p.ReuseSteps = []ReuseStep{{Reuse: Day}} }, []KnobError{
			{"validation_reuse", "", "validation_reuse: 0001-01-01 is out of range (want a date in [1970-01-01T00:00:00Z, 2200-01-01T00:00:00Z))"}}},
		{"values set by code", func(p *Profile) { p.RetryInterval = time.Nanosecond; p.Region = "x"; p.MaxCNAMEChain = 99 }, []KnobError{
			{"retry_interval", "", "retry_interval: 1ns is out of range (want 1m to 30d)"},
			{"max_cname_chain", "", "max_cname_chain: 99 is out of range (want 0 to 16)"},
			{"region", "", `region: want an AWS region like us-east-1 (^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]{1,2}$), got "x"`}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, _ := LookupProfile(DefaultProfile)
			tc.edit(&p)
			err := p.Check()
			require.Error(t, err)
			var got []KnobError
			for _, e := range err.(KnobErrors) {
				got = append(got, *e)
			}
			assert.Equal(t, tc.want, got)
		})
	}
	legacy, _ := LookupProfile("acm-legacy")
	legacy.PreTransitionValidity = 0
	assert.NoError(t, legacy.Check(), "no transition date: no pre-transition lifetime needed")
}

func TestSupportedTimes(t *testing.T) {
	assert.True(t, Supported(SupportedFrom))
	assert.False(t, Supported(SupportedFrom.Add(-time.Nanosecond)))
	assert.True(t, Supported(SupportedUntil.Add(-time.Nanosecond)))
	assert.False(t, Supported(SupportedUntil))
	assert.True(t, IssuerNotAfter.Before(SupportedUntil))
	// The engine counts nanoseconds since 1970 in an int64.
	assert.Equal(t, SupportedUntil, time.Unix(0, SupportedUntil.UnixNano()).UTC())
	assert.Equal(t, "[1970-01-01T00:00:00Z, 2200-01-01T00:00:00Z)", SupportedRange())
}

// docs/profiles.md states every knob's range as KnobRange does.
func TestProfilesDocStatesKnobRanges(t *testing.T) {
	data, err := os.ReadFile("../docs/profiles.md")
	require.NoError(t, err)
	for _, k := range KnobNames() {
		rows := regexp.MustCompile("(?m)^\\| `"+regexp.QuoteMeta(k)+"` \\|.*$").FindAllString(string(data), -1)
		found := false
		for _, row := range rows {
			row = strings.ReplaceAll(row, `\|`, "|") // a | in a cell is escaped
			found = found || strings.Contains(row, "| "+KnobRange(k)+" |")
		}
		assert.True(t, found, "docs/profiles.md has no row | `%s` | %s | …", k, KnobRange(k))
	}
}

// acm-cabf gives a public certificate the lifetime and window of its issue
// date, each step from its instant on, and judges validation reuse by the
// date it is used; private certificates keep 395 days throughout.
func TestCABFSchedule(t *testing.T) {
	p, ok := LookupProfile("acm-cabf")
	require.True(t, ok)
	at := func(s string) time.Time {
		tm, err := time.Parse(time.RFC3339, s)
		require.NoError(t, err)
		return tm
	}
	for _, tc := range []struct {
		issued           string
		validity, window time.Duration
	}{
		{"2025-12-01T00:00:00Z", 395 * Day, 60 * Day},
		{"2026-02-17T23:59:59Z", 395 * Day, 60 * Day},
		{"2026-02-18T00:00:00Z", 198 * Day, 45 * Day},
		{"2027-03-14T23:59:59Z", 198 * Day, 45 * Day},
		{"2027-03-15T00:00:00Z", 100 * Day, 100 * Day / 3},
		{"2029-03-14T23:59:59Z", 100 * Day, 100 * Day / 3},
		{"2029-03-15T00:00:00Z", 47 * Day, 47 * Day / 3},
		{"2040-01-01T00:00:00Z", 47 * Day, 47 * Day / 3},
	} {
		assert.Equal(t, tc.validity, p.Validity(TypeAmazonIssued, at(tc.issued)), "lifetime of a certificate issued %s", tc.issued)
		assert.Equal(t, tc.window, p.Window(TypeAmazonIssued, at(tc.issued)), "window of a certificate issued %s", tc.issued)
		assert.Equal(t, 395*Day, p.Validity(TypePrivate, at(tc.issued)), "private, issued %s", tc.issued)
		assert.Equal(t, 60*Day, p.Window(TypePrivate, at(tc.issued)), "private, issued %s", tc.issued)
	}
	for _, tc := range []struct {
		used  string
		reuse time.Duration
	}{
		{"2026-03-14T23:59:59Z", 398 * Day},
		{"2026-03-15T00:00:00Z", 200 * Day},
		{"2027-03-14T23:59:59Z", 200 * Day},
		{"2027-03-15T00:00:00Z", 100 * Day},
		{"2029-03-14T23:59:59Z", 100 * Day},
		{"2029-03-15T00:00:00Z", 10 * Day},
	} {
		assert.Equal(t, tc.reuse, p.Reuse(at(tc.used)), "reuse on %s", tc.used)
	}
	assert.Equal(t, 395*Day, p.LongestLifetime())
	assert.Equal(t, 47*Day-47*Day/3, p.ShortestCycle(), "the 47-day certificates renew soonest")
	assert.Equal(t, 60*Day, p.LongestWindow())

	// The knobs move the schedule; none of them is a constant.
	require.NoError(t, p.Set("window_100d", "30d"))
	require.NoError(t, p.Set("from_47d", "none"))
	assert.Equal(t, 30*Day, p.Window(TypeAmazonIssued, at("2030-01-01T00:00:00Z")), "no 47-day step: the 100-day terms go on")
}

// One source of truth: the profiles that follow SC-081v3 take its numbers
// from the same table, and acm-2026 and acm-legacy take its reuse periods.
func TestSC081v3IsTheOneSource(t *testing.T) {
	get := func(name string) Profile {
		p, ok := LookupProfile(name)
		require.True(t, ok, name)
		return p
	}
	cabf, p27, p29 := get("acm-cabf"), get("cabf-2027"), get("cabf-2029")
	assert.Equal(t, sc081v3[step100].from, cabf.From100d)
	assert.Equal(t, sc081v3[step47].from, cabf.From47d)
	assert.Equal(t, p27.PublicValidity, cabf.Validity100d)
	assert.Equal(t, p27.PublicWindow, cabf.Window100d, "one assumption for the 100-day window")
	assert.Equal(t, p29.PublicValidity, cabf.Validity47d)
	assert.Equal(t, p29.PublicWindow, cabf.Window47d, "one assumption for the 47-day window")
	assert.Equal(t, p27.ValidationReuse, cabf.Reuse(cabf.From100d))
	assert.Equal(t, p29.ValidationReuse, cabf.Reuse(cabf.From47d))
	assert.Equal(t, get("acm-2026").ValidationReuse, cabf.Reuse(sc081v3[step200].from))
	assert.Equal(t, get("acm-legacy").ValidationReuse, cabf.Reuse(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)))
	for i := 1; i < len(sc081v3); i++ {
		assert.True(t, sc081v3[i].from.After(sc081v3[i-1].from), "step %d", i)
		assert.Less(t, sc081v3[i].maxValidity, sc081v3[i-1].maxValidity, "step %d", i)
	}
}

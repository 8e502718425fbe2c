package scenarios

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/renewsim/renewsim/sim"
)

func libraryNode(t testing.TB, name string) (string, *yaml.Node) {
	t.Helper()
	src, ok := LibrarySource(name)
	require.True(t, ok)
	file := "library/" + name + ".yaml"
	doc, err := DecodeNode(file, src)
	require.NoError(t, err)
	return file, doc
}

func textNode(t testing.TB, text string) *yaml.Node {
	t.Helper()
	doc, err := DecodeNode("x.yaml", []byte(text))
	require.NoError(t, err)
	return doc
}

func mustVary(t *testing.T, spec string) Vary {
	t.Helper()
	v, err := ParseVary(spec)
	require.NoError(t, err, spec)
	return v
}

func TestParseVaryLists(t *testing.T) {
	for spec, want := range map[string][]string{
		"profile=acm-2026,cabf-2027,cabf-2029":              {"acm-2026", "cabf-2027", "cabf-2029"},
		"profile=(acm-2026, cabf-2027)":                     {"acm-2026", "cabf-2027"},
		"profile=cabf-2029":                                 {"cabf-2029"},
		"overrides.action_required_days=[30,15],[7]":        {"[30,15]", "[7]"},
		"resources.cdn.deploy_delay={uniform: [1h, 3d]},2h": {"{uniform: [1h, 3d]}", "2h"},
		"resources.cdn.deploy_delay=~,1h":                   {"~", "1h"},
	} {
		v := mustVary(t, spec)
		assert.Equal(t, want, v.Values, spec)
		assert.Equal(t, spec, v.String())
	}
}

func TestParseVaryRanges(t *testing.T) {
	for spec, want := range map[string][]string{
		"x=0h..48h/12h":                     {"0s", "12h", "1d", "1d12h", "2d"},
		"x=30m..2h/45m":                     {"30m", "1h15m", "2h"},
		"x=2h..0h/1h":                       {"2h", "1h", "0s"},
		"x=1..5":                            {"1", "2", "3", "4", "5"},
		"x=10..1/4":                         {"10", "6", "2"},
		"x=web.expiry-3d..web.expiry-1d/1d": {"web.expiry-3d", "web.expiry-2d", "web.expiry-1d"},
		"x=web.expiry-1d..web.expiry+1d/1d": {"web.expiry-1d", "web.expiry", "web.expiry+1d"},
		"x=start..start+2d/1d":              {"start", "start+1d", "start+2d"},
		"x=2026-08-01T00:00:00Z..2026-08-03T00:00:00Z/1d": {"2026-08-01T00:00:00Z", "2026-08-02T00:00:00Z", "2026-08-03T00:00:00Z"},
		"x=0h..1h/30m,3h,5h..6h/1h":                       {"0s", "30m", "1h", "3h", "5h", "6h"},
		"x=0..90s/45s":                                    {"0s", "45s", "1m30s"},
		// Different bases wait for the scenario (NewPlan).
		"x=start..web.expiry-1d/1d": {"start..web.expiry-1d/1d"},
	} {
		assert.Equal(t, want, mustVary(t, spec).Values, spec)
	}
}

func TestParseVaryErrors(t *testing.T) {
	for spec, msg := range map[string]string{
		"profile":                        "want PATH=VALUES",
		"=1h":                            "want PATH=VALUES",
		"x=":                             "no values",
		"x=1h,,2h":                       "value 2 of \"1h,,2h\" is empty",
		"x..y=1":                         "bad path",
		"x=0h..48h":                      "a range of durations needs a step, like 0h..48h/1d",
		"x=0h..48h/0h":                   "the step is a duration > 0",
		"x=1..5/0":                       "a whole number > 0",
		"x=foo..bar/1h":                  `cannot read "foo"`,
		"x=[1,2":                         "unbalanced",
		"x=web.expiry-3d..web.expiry-1d": "a range of times needs a step",
		"x=0..100000000s/1ns":            "more than 1000000 values",
	} {
		_, err := ParseVary(spec)
		if assert.Error(t, err, spec) {
			assert.Contains(t, err.Error(), msg, spec)
		}
	}
}

// Paths resolve by key, by id, by address (dots and all) and by index.
func TestPathResolution(t *testing.T) {
	file, doc := libraryNode(t, "email-clicked-late")
	for _, c := range []struct {
		spec  string
		check func(t *testing.T, sc *sim.Scenario)
	}{
		{"resources.alb-prod.deploy_delay=2h", func(t *testing.T, sc *sim.Scenario) {
			assert.Equal(t, 2*time.Hour, sc.Resources[0].DeployDelay)
		}},
		{"resources.0.deploy_delay=3h", func(t *testing.T, sc *sim.Scenario) {
			assert.Equal(t, 3*time.Hour, sc.Resources[0].DeployDelay)
		}},
		{"mailboxes.admin@example.com.clicks=after 2d", func(t *testing.T, sc *sim.Scenario) {
			assert.Equal(t, sim.ClickAfter, sc.Mailboxes[0].Clicks)
			assert.Equal(t, 2*sim.Day, sc.Mailboxes[0].After)
		}},
		{"mailboxes.ADMIN@example.com.rejects=true", func(t *testing.T, sc *sim.Scenario) {
			assert.True(t, sc.Mailboxes[0].Rejects, "addresses match without regard to case")
		}},
		{"certificates.web.issued=start+1d", func(t *testing.T, sc *sim.Scenario) {
			assert.Equal(t, sc.Start.Add(sim.Day), sc.Certificates[0].Issued)
		}},
		{"timeline.0.at=web.expiry-12d", func(t *testing.T, sc *sim.Scenario) {
			assert.Equal(t, sc.Certificates[0].NotAfter.Add(-12*sim.Day), sc.Timeline[0].At)
		}},
		{"profile=cabf-2029", func(t *testing.T, sc *sim.Scenario) {
			assert.Equal(t, "cabf-2029", sc.ProfileName)
			assert.Equal(t, 47*sim.Day, sc.Certificates[0].NotAfter.Sub(sc.Certificates[0].Issued))
		}},
		// overrides is not written: the mapping and the key are added.
		{"overrides.retry_interval=3h", func(t *testing.T, sc *sim.Scenario) {
			assert.Equal(t, 3*time.Hour, sc.Profile.RetryInterval)
		}},
		// A key the scenario may take but did not write is added.
		{"seed=7", func(t *testing.T, sc *sim.Scenario) { assert.Equal(t, uint64(7), sc.Seed) }},
		{"certificates.web.exported=true", func(t *testing.T, sc *sim.Scenario) { assert.True(t, sc.Certificates[0].Exported) }},
		// A mailbox the scenario does not list is added.
		{"mailboxes.oncall@example.com.clicks=after 1d", func(t *testing.T, sc *sim.Scenario) {
			require.Len(t, sc.Mailboxes, 2)
			assert.Equal(t, "oncall@example.com", sc.Mailboxes[1].Address)
			assert.Equal(t, sim.Day, sc.Mailboxes[1].After)
		}},
		// A list takes a YAML flow value.
		{"certificates.web.in_use_by=[]", func(t *testing.T, sc *sim.Scenario) { assert.Empty(t, sc.Certificates[0].InUseBy) }},
	} {
		t.Run(c.spec, func(t *testing.T) {
			vs, err := Expand(file, doc, []Vary{mustVary(t, c.spec)})
			require.NoError(t, err)
			require.Len(t, vs, 1)
			assert.Equal(t, []Param{{Path: c.spec[:strings.Index(c.spec, "=")], Value: c.spec[strings.Index(c.spec, "=")+1:]}}, vs[0].Params)
			c.check(t, vs[0].Scenario)
		})
	}
	// The plan's tree is not changed.
	again, err := FromNode(file, doc)
	require.NoError(t, err)
	want, err := LoadLibrary("email-clicked-late")
	require.NoError(t, err)
	assert.Equal(t, want, again)
}

// Keys that hold dots (whois domains) and ids that share a prefix resolve
// to the longest match.
func TestPathResolutionGreedy(t *testing.T) {
	doc := textNode(t, `name: greedy
start: 2026-03-01T00:00:00Z
profile: acm-legacy
whois:
  example.com: [a@example.net]
  example.com.au: [b@example.net]
resources:
  - id: alb
    kind: elb
  - id: alb-prod
    kind: elb
certificates:
  - id: web
    domain: example.com
    validation: email
    in_use_by: [alb, alb-prod]
`)
	p, err := NewPlan("x.yaml", doc, []Vary{mustVary(t, "whois.example.com.au.0=c@example.net"), mustVary(t, "resources.alb-prod.deploy_delay=5h")}, PlanOptions{})
	require.NoError(t, err)
	v, err := p.Variant(0)
	require.NoError(t, err)
	assert.Equal(t, []string{"c@example.net"}, v.Scenario.Whois[1].Contacts)
	assert.Equal(t, []string{"a@example.net"}, v.Scenario.Whois[0].Contacts)
	assert.Equal(t, 30*time.Minute, v.Scenario.Resources[0].DeployDelay, "the default")
	assert.Equal(t, 5*time.Hour, v.Scenario.Resources[1].DeployDelay, "added where the scenario had none")
}

// An unknown path is a usage error that says what exists where the path
// stopped matching.
func TestUnknownPaths(t *testing.T) {
	file, doc := libraryNode(t, "dns-happy")
	for spec, msg := range map[string]string{
		"resources.alb-prd.deploy_delay=1h": `-vary resources.alb-prd.deploy_delay=1h: resources has no item "alb-prd" (ids: alb-prod; or an index from 0 to 0)`,
		"resources.alb-prod.deploy_dely=1h": `resources.alb-prod has no key "deploy_dely" (it has: id, kind, deploy_delay; a resource may also take: hostnames, arn)`,
		"certificates.api.issued=start":     `certificates has no item "api" (ids: web; or an index from 0 to 0)`,
		"overrides.retry=1h":                `overrides: "retry" is not a profile knob (knobs: public_validity, public_window,`,
		"colour=blue":                       `the scenario has no key "colour" (it has: name, description, profile, start, until, resources, certificates, expect; a scenario may also take: seed, overrides,`,
		"timeline.0.at=start":               `the scenario has no key "timeline"; a -vary can add it, but only with its value (timeline=VALUE)`,
		"expect.9.outcome=renewed":          `expect has no item "9" (it has items 0 to 4)`,
		"resources.alb-prod=1h":             `resources.alb-prod is a mapping (keys: id, kind, deploy_delay): vary one of its values, like resources.alb-prod.deploy_delay`,
		"profile.name=x":                    `profile is the single value "acm-2026"; there is no "name" below it`,
		"mailboxes.not-an-address.clicks=x": `mailboxes has no item "not-an-address" (the list is empty)`,
	} {
		_, err := Expand(file, doc, []Vary{mustVary(t, spec)})
		if assert.Error(t, err, spec) {
			assert.Contains(t, err.Error(), msg, spec)
		}
	}
	_, err := Expand(file, doc, []Vary{mustVary(t, "profile=acm-2026"), mustVary(t, "profile=cabf-2027")})
	assert.ErrorContains(t, err, "the path profile is varied twice")
}

// A value that does not load is reported at its place in the file, naming
// the -vary that put it there.
func TestBadValuesNameTheVary(t *testing.T) {
	file, doc := libraryNode(t, "dns-happy")
	_, err := Expand(file, doc, []Vary{mustVary(t, "resources.alb-prod.deploy_delay=1h,soon,-2h")})
	require.Error(t, err)
	assert.Equal(t, `library/dns-happy.yaml:17:19: deploy_delay: want a duration like 45d, 1d12h or 30m, got "soon" (from -vary resources.alb-prod.deploy_delay=soon)
library/dns-happy.yaml:17:19: deploy_delay: must not be negative, got "-2h" (from -vary resources.alb-prod.deploy_delay=-2h)`, err.Error())
	_, ok := err.(Errors)
	assert.True(t, ok, "Errors, one per problem")

	// A key added by the -vary is reported where the loader puts it.
	_, err = Expand(file, doc, []Vary{mustVary(t, "overrides.retry_interval=0s")})
	assert.EqualError(t, err, "library/dns-happy.yaml:5:1: retry_interval: 0s is out of range (want 1m to 30d) (from -vary overrides.retry_interval=0s)")

	_, err = Expand(file, doc, []Vary{mustVary(t, "profile=cabf-2031")})
	assert.ErrorContains(t, err, `library/dns-happy.yaml:10:10: profile: unknown profile "cabf-2031" (known: acm-2026, acm-cabf, acm-legacy, ari, cabf-2027, cabf-2029, fixed-30d, letsencrypt-2026, letsencrypt-2026+fixed-30d, letsencrypt-2026+two-thirds-jitter, two-thirds-jitter) (from -vary profile=cabf-2031)`)
}

// Values that load alone but not together are reported when their variant
// is built, naming all its values.
func TestCombinationErrors(t *testing.T) {
	file, doc := libraryNode(t, "dns-missing-cname")
	p, err := NewPlan(file, doc, []Vary{mustVary(t, "until=web.expiry+7d,web.expiry+1d"), mustVary(t, "timeline.0.at=web.issued+30d,web.expiry+5d")}, PlanOptions{})
	require.NoError(t, err, "each value loads on its own")
	require.Equal(t, 4, p.Len())
	for k := range 3 {
		_, err = p.Variant(k)
		assert.NoError(t, err)
	}
	_, err = p.Variant(3)
	assert.EqualError(t, err, "library/dns-missing-cname.yaml:30:9: at: web.expiry+5d (2026-09-20T00:00:00Z) is after until (2026-09-16T00:00:00Z) (from -vary timeline.0.at=web.expiry+5d)")
}

// Several -vary make a grid in row-major order: the first varies slowest.
func TestGridSizeAndOrder(t *testing.T) {
	file, doc := libraryNode(t, "deployment-delay-outage")
	varies := []Vary{
		mustVary(t, "profile=acm-2026,cabf-2027"),
		mustVary(t, "resources.cdn.deploy_delay=0h..12h/6h"),
		mustVary(t, "overrides.retry_interval=1h,2h,3h,4h"),
	}
	vs, err := Expand(file, doc, varies)
	require.NoError(t, err)
	require.Len(t, vs, 2*3*4)
	for k, v := range vs {
		assert.Equal(t, k, v.Index)
		assert.Equal(t, -1, v.Run)
		want := []Param{
			{"profile", []string{"acm-2026", "cabf-2027"}[k/12]},
			{"resources.cdn.deploy_delay", []string{"0s", "6h", "12h"}[k/4%3]},
			{"overrides.retry_interval", []string{"1h", "2h", "3h", "4h"}[k%4]},
		}
		assert.Equal(t, want, v.Params, "variant %d", k)
		assert.Equal(t, want[0].Value, v.Scenario.ProfileName)
		assert.Equal(t, time.Duration(k/4%3)*6*time.Hour, v.Scenario.Resources[0].DeployDelay)
		assert.Equal(t, time.Duration(k%4+1)*time.Hour, v.Scenario.Profile.RetryInterval)
		assert.Equal(t, time.Duration(0), v.Scenario.Profile.IssueDelay, "the scenario's own overrides stay")
		assert.Equal(t, uint64(1), v.Scenario.Seed, "grid variants keep the scenario seed")
	}
	p, err := NewPlan(file, doc, varies, PlanOptions{})
	require.NoError(t, err)
	assert.Equal(t, 24, p.Len())
	assert.Equal(t, 24, p.GridSize())
	assert.Equal(t, vs[17].Params, p.GridParams(17))

	// No -vary: the scenario itself, once.
	vs, err = Expand(file, doc, nil)
	require.NoError(t, err)
	require.Len(t, vs, 1)
	want, _ := LoadLibrary("deployment-delay-outage")
	assert.Equal(t, want, vs[0].Scenario)

	_, err = Expand(file, doc, []Vary{mustVary(t, "seed=1..1000"), mustVary(t, "overrides.retry_interval=1s..1000s/1s"), mustVary(t, "resources.cdn.deploy_delay=0s..2s/1s")})
	assert.ErrorContains(t, err, "the grid has more than 1000000 variants")
}

// A range between times of different bases is resolved against the
// scenario as written, into RFC 3339 times.
func TestMixedBaseRange(t *testing.T) {
	file, doc := libraryNode(t, "dns-cname-restored-late")
	v := mustVary(t, "timeline.1.at=2026-09-10T00:00:00Z..web.expiry-3d/1d")
	vs, err := Expand(file, doc, []Vary{v})
	require.NoError(t, err)
	var got []string
	for _, x := range vs {
		got = append(got, x.Params[0].Value)
	}
	assert.Equal(t, []string{"2026-09-10T00:00:00Z", "2026-09-11T00:00:00Z", "2026-09-12T00:00:00Z"}, got)
	assert.Equal(t, time.Date(2026, 9, 11, 0, 0, 0, 0, time.UTC), vs[1].Scenario.Timeline[1].At)

	_, err = Expand(file, doc, []Vary{mustVary(t, "timeline.1.at=start..api.expiry/1d")})
	assert.ErrorContains(t, err, `unknown certificate "api" (known: web)`)
}

func TestVariantOutOfRange(t *testing.T) {
	file, doc := libraryNode(t, "dns-happy")
	p, err := NewPlan(file, doc, []Vary{mustVary(t, "seed=1..3")}, PlanOptions{})
	require.NoError(t, err)
	_, err = p.Variant(3)
	assert.EqualError(t, err, "variant 3: the sweep has variants 0 to 2")
	_, err = p.Variant(-1)
	assert.Error(t, err)
}

func TestFormatDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "0s", 45 * sim.Day: "45d", 36*time.Hour + 30*time.Minute: "1d12h30m", 38*time.Minute + 50*time.Second: "38m50s",
		-40 * sim.Day: "-40d", 10 * time.Second: "10s", time.Hour + 10*time.Second: "1h10s", 1500 * time.Millisecond: "1.5s",
	} {
		assert.Equal(t, want, sim.FormatDuration(d))
		back, err := parseDuration(want)
		require.NoError(t, err)
		assert.Equal(t, d, back)
	}
}

// No -vary, however odd, makes a plan panic.
func FuzzVary(f *testing.F) {
	for _, s := range []string{
		"resources.alb-prod.deploy_delay=0h..48h/6h", "timeline.0.at=web.expiry-40d..web.expiry-1d/1d", "overrides.retry_interval=[1h]",
		"mailboxes.a@b.example.clicks={after: {uniform: [0d, 10d]}}", "certificates.0.sans.0=x", "dns.records.0={a: [b]}", "seed=~",
		"x=start..web.expiry/1d", "expect.0.cert={choice: [web]}", "whois.example.com=1..3",
	} {
		f.Add(s)
	}
	_, happy := libraryNode(f, "dns-happy")
	f.Fuzz(func(t *testing.T, spec string) {
		v, err := ParseVary(spec)
		if err != nil || len(v.Values) > 100 {
			return
		}
		for _, runs := range []int{0, 2} {
			p, err := NewPlan("x.yaml", copyNode(happy), []Vary{v}, PlanOptions{Runs: runs})
			if err != nil {
				continue
			}
			for k := range min(p.Len(), 3) {
				_, _ = p.Variant(k)
			}
		}
	})
}

func TestParseVaryQuotes(t *testing.T) {
	v := mustVary(t, `dns.records.0="a.example.com. 300 IN TXT \"x,y\"",'b, c',it's,{choice: ["1,2", it's]}`)
	assert.Equal(t, []string{`"a.example.com. 300 IN TXT \"x,y\""`, `'b, c'`, "it's", `{choice: ["1,2", it's]}`}, v.Values)
	_, err := ParseVary(`x="open`)
	assert.ErrorContains(t, err, "unbalanced quote")

	// A quoted value is the string inside the quotes.
	file, doc := libraryNode(t, "dns-happy")
	vs, err := Expand(file, doc, []Vary{mustVary(t, `account_email="ops@example.com",'admin@example.com'`)})
	require.NoError(t, err)
	assert.Equal(t, "ops@example.com", vs[0].Scenario.AccountEmail)
	assert.Equal(t, "admin@example.com", vs[1].Scenario.AccountEmail)
	assert.Equal(t, `"ops@example.com"`, vs[0].Params[0].Value)
}

package run

import (
	"testing"

	mdns "github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/renewsim/renewsim/scenarios"
	"github.com/renewsim/renewsim/sim"
)

func TestZoneFor(t *testing.T) {
	for name, want := range map[string]string{
		"www.example.com":                    "example.com.",
		"WWW.Example.COM.":                   "example.com.",
		"*.example.com":                      "example.com.",
		"_abc.api.example.co.uk.":            "example.co.uk.",
		"_x.kbwbeyjmug.acm-validations.aws.": "acm-validations.aws.",
		"example.com":                        "example.com.",
		"com.":                               "com.",
		"localhost":                          "localhost.",
		".":                                  "",
		"":                                   "",
	} {
		assert.Equal(t, want, zoneFor(name), name)
	}
}

// A run's zones are those of every name the scenario makes the runner ask
// about: certificate names, validation records and targets, hostnames,
// records and what the timeline adds.
func TestScenarioZones(t *testing.T) {
	sc, err := scenarios.LoadLibrary("dns-happy")
	require.NoError(t, err)
	assert.Equal(t, []string{"example.com.", "acm-validations.aws."}, scenarioZones(sc, sc.Seed, nil))

	sc = &sim.Scenario{
		Certificates: []sim.Certificate{{Domain: "www.example.org", SANs: []string{"*.shop.example.net"}, Validation: sim.ValidationEmail}},
		Resources:    []sim.Resource{{Hostnames: []string{"lb.example.io"}}},
		DNSRecords:   []string{"_v.example.org. CNAME _t.validations.example.dev."},
		Timeline:     []sim.Change{{Do: sim.DoDNSAdd, Record: "later.example.biz. A 192.0.2.1"}},
	}
	assert.Equal(t, []string{"example.org.", "example.net.", "example.io.", "example.dev.", "example.biz."}, scenarioZones(sc, 1, nil))
}

// `dig SOA` finds the zone of an e-mail-validated certificate that has no
// record at all, a name outside the scenario is REFUSED, and the model
// still sees what it saw before the fake knew zones: the empty apex and
// the name outside do not exist.
func TestZonesOfARun(t *testing.T) {
	w, _ := testWorld(t, func(sc *sim.Scenario) {
		sc.Certificates[0].Domain = "shop.example.net"
		sc.Resources[0].Hostnames = nil
	})
	ask := func(name string, qtype uint16) *mdns.Msg {
		t.Helper()
		r, err := mdns.Exchange(new(mdns.Msg).SetQuestion(name, qtype), w.dns.Addr())
		require.NoError(t, err)
		return r
	}
	r := ask("example.net.", mdns.TypeSOA)
	assert.Equal(t, "NOERROR", mdns.RcodeToString[r.Rcode])
	require.Len(t, r.Answer, 1)
	assert.Equal(t, "example.net.", r.Answer[0].Header().Name)
	r = ask("www.google.com.", mdns.TypeA)
	assert.Equal(t, "REFUSED", mdns.RcodeToString[r.Rcode])

	ip, problem := w.resolveA("example.net")
	assert.Empty(t, ip)
	assert.Equal(t, "example.net has no address (NXDOMAIN)", problem, "the model's view of an empty apex")
	_, problem = w.resolveA("www.google.com")
	assert.Equal(t, "www.google.com has no address (NXDOMAIN)", problem, "the model's view of a name in no zone")

	// A record added while the run goes on brings its zone.
	require.NoError(t, w.dns.Add("late.example.biz. A 192.0.2.7"))
	ip, problem = w.resolveA("late.example.biz")
	assert.Equal(t, "192.0.2.7", ip, problem)
	r = ask("example.biz.", mdns.TypeNS)
	assert.Equal(t, "NOERROR", mdns.RcodeToString[r.Rcode])
	assert.Len(t, r.Answer, 1)
}

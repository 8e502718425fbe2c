package dns_test

import (
	"testing"

	mdns "github.com/miekg/dns"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	fakedns "github.com/renewsim/renewsim/fakes/dns"
)

// TestMain catches goroutines left behind by any test, on top of the
// targeted VerifyNone checks after Close.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

var protos = []string{"udp", "tcp"}

// testZones are the zones the tests' servers serve.
var testZones = []string{"example.com.", "example.org."}

// startServer starts a server holding lines and closes it when the test
// ends, failing the test if Close reports an error.
func startServer(t testing.TB, lines ...string) *fakedns.Server {
	t.Helper()
	s := fakedns.New(fakedns.Config{Zones: testZones})
	require.NoError(t, s.Start())
	t.Cleanup(func() { require.NoError(t, s.Close()) })
	require.NoError(t, s.Add(lines...))
	return s
}

func exchange(t testing.TB, s *fakedns.Server, proto, name string, qtype uint16) *mdns.Msg {
	t.Helper()
	m := new(mdns.Msg)
	m.SetQuestion(name, qtype)
	return exchangeMsg(t, s, proto, m)
}

func exchangeMsg(t testing.TB, s *fakedns.Server, proto string, m *mdns.Msg) *mdns.Msg {
	t.Helper()
	c := &mdns.Client{Net: proto}
	r, _, err := c.Exchange(m, s.Addr())
	require.NoError(t, err)
	require.Equal(t, m.Id, r.Id)
	return r
}

// rrStrings renders zone lines the way miekg prints them, so expectations
// can be written as ordinary zone text.
func rrStrings(t testing.TB, lines ...string) []string {
	t.Helper()
	var out []string
	for _, l := range lines {
		rr, err := mdns.NewRR(l)
		require.NoError(t, err, l)
		out = append(out, rr.String())
	}
	return out
}

func sectionStrings(rrs []mdns.RR) []string {
	var out []string
	for _, rr := range rrs {
		out = append(out, rr.String())
	}
	return out
}

package dns_test

import (
	"testing"

	mdns "github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	fakedns "github.com/renewsim/renewsim/fakes/dns"
)

func TestHistory(t *testing.T) {
	s := startServer(t, testZone...)
	s.SetRcode("broken.example.com.", mdns.RcodeServerFailure)

	exchange(t, s, "udp", "WWW.example.com.", mdns.TypeA)
	exchange(t, s, "tcp", "_abc.example.com.", mdns.TypeCNAME)
	exchange(t, s, "udp", "nothere.example.com.", mdns.TypeCAA)
	exchange(t, s, "tcp", "broken.example.com.", mdns.TypeTXT)
	exchange(t, s, "udp", "example.com.", 65534)

	want := []fakedns.Request{
		{Seq: 1, Proto: "udp", Name: "WWW.example.com.", Type: "A", Rcode: "NOERROR", Answer: rrStrings(t,
			"www.example.com. 300 IN CNAME web.example.com.",
			"web.example.com. 300 IN CNAME host.example.com.",
			"host.example.com. 300 IN A 192.0.2.10",
			"host.example.com. 300 IN A 192.0.2.11",
		)},
		{Seq: 2, Proto: "tcp", Name: "_abc.example.com.", Type: "CNAME", Rcode: "NOERROR", Answer: rrStrings(t,
			"_abc.example.com. 300 IN CNAME _def.acm-validations.aws.",
		)},
		{Seq: 3, Proto: "udp", Name: "nothere.example.com.", Type: "CAA", Rcode: "NXDOMAIN"},
		{Seq: 4, Proto: "tcp", Name: "broken.example.com.", Type: "TXT", Rcode: "SERVFAIL"},
		{Seq: 5, Proto: "udp", Name: "example.com.", Type: "TYPE65534", Rcode: "NOERROR"},
	}
	got := s.History()
	assert.Equal(t, want, got)

	got[0].Answer[0] = "changed"
	got[1].Name = "changed"
	assert.Equal(t, want, s.History(), "History returns a deep copy")

	s.SetHistory(false)
	exchange(t, s, "udp", "example.com.", mdns.TypeA)
	assert.Equal(t, want, s.History(), "nothing recorded while off")

	s.SetHistory(true)
	exchange(t, s, "tcp", "example.com.", mdns.TypeA)
	h := s.History()
	require.Len(t, h, 6)
	assert.Equal(t, uint64(7), h[5].Seq, "Seq counts the unrecorded query")

	s.ResetHistory()
	assert.Empty(t, s.History())
	exchange(t, s, "udp", "example.com.", mdns.TypeA)
	h = s.History()
	require.Len(t, h, 1)
	assert.Equal(t, uint64(8), h[0].Seq, "Seq survives ResetHistory")
}

// Queries miekg rejects before the handler never reach the history, while
// refused classes do.
func TestHistoryOfMalformedQueries(t *testing.T) {
	s := startServer(t)
	m := new(mdns.Msg).SetQuestion("example.com.", mdns.TypeA)
	m.Question = append(m.Question, m.Question[0])
	exchangeMsg(t, s, "udp", m)

	m = new(mdns.Msg)
	m.Id = mdns.Id()
	m.Question = []mdns.Question{{Name: "version.bind.", Qtype: mdns.TypeTXT, Qclass: mdns.ClassCHAOS}}
	exchangeMsg(t, s, "tcp", m)

	assert.Equal(t, []fakedns.Request{
		{Seq: 1, Proto: "tcp", Name: "version.bind.", Type: "TXT", Rcode: "REFUSED"},
	}, s.History())
}

package dns_test

import (
	"fmt"
	"strings"
	"testing"

	mdns "github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var testZone = []string{
	"example.com. 3600 SOA ns1.example.com. hostmaster.example.com. 1 7200 900 1209600 60",
	"example.com. A 192.0.2.1",
	`example.com. CAA 0 issue "amazon.com"`,
	"www.example.com. CNAME web.example.com.",
	"web.example.com. CNAME host.example.com.",
	"host.example.com. A 192.0.2.10",
	"host.example.com. A 192.0.2.11",
	"_abc.example.com. CNAME _def.acm-validations.aws.",
	"dangling.example.com. CNAME missing.example.com.",
	"loop1.example.com. CNAME loop2.example.com.",
	"loop2.example.com. CNAME loop1.example.com.",
	`_x._y.example.com. TXT "deep"`,
	"sub.example.com. 600 SOA ns1.sub.example.com. hostmaster.example.com. 1 7200 900 1209600 900",
	"other.test. A 198.51.100.1",
}

const (
	exampleSOA = "example.com. 60 IN SOA ns1.example.com. hostmaster.example.com. 1 7200 900 1209600 60"
	subSOA     = "sub.example.com. 600 IN SOA ns1.sub.example.com. hostmaster.example.com. 1 7200 900 1209600 900"
)

func TestAnswers(t *testing.T) {
	s := startServer(t, testZone...)

	tests := []struct {
		name      string
		qname     string
		qtype     uint16
		rcode     int
		answer    []string
		authority []string
	}{
		{
			name: "A record", qname: "example.com.", qtype: mdns.TypeA,
			answer: []string{"example.com. 300 IN A 192.0.2.1"},
		},
		{
			name: "CAA record", qname: "example.com.", qtype: mdns.TypeCAA,
			answer: []string{`example.com. 300 IN CAA 0 issue "amazon.com"`},
		},
		{
			name: "ANY returns every type, with the NS the apex lacks", qname: "example.com.", qtype: mdns.TypeANY,
			answer: []string{
				"example.com. 300 IN NS ns1.example.com.",
				"example.com. 3600 IN SOA ns1.example.com. hostmaster.example.com. 1 7200 900 1209600 60",
				"example.com. 300 IN A 192.0.2.1",
				`example.com. 300 IN CAA 0 issue "amazon.com"`,
			},
		},
		{
			name: "CNAME chain followed for A", qname: "www.example.com.", qtype: mdns.TypeA,
			answer: []string{
				"www.example.com. 300 IN CNAME web.example.com.",
				"web.example.com. 300 IN CNAME host.example.com.",
				"host.example.com. 300 IN A 192.0.2.10",
				"host.example.com. 300 IN A 192.0.2.11",
			},
		},
		{
			name: "case-insensitive owner", qname: "WwW.ExAmPlE.CoM.", qtype: mdns.TypeA,
			answer: []string{
				"www.example.com. 300 IN CNAME web.example.com.",
				"web.example.com. 300 IN CNAME host.example.com.",
				"host.example.com. 300 IN A 192.0.2.10",
				"host.example.com. 300 IN A 192.0.2.11",
			},
		},
		{
			name: "qtype CNAME is not chased", qname: "www.example.com.", qtype: mdns.TypeCNAME,
			answer: []string{"www.example.com. 300 IN CNAME web.example.com."},
		},
		{
			name: "chain ends in NODATA", qname: "www.example.com.", qtype: mdns.TypeTXT,
			answer: []string{
				"www.example.com. 300 IN CNAME web.example.com.",
				"web.example.com. 300 IN CNAME host.example.com.",
			},
		},
		{
			name: "chain leaves the store", qname: "_abc.example.com.", qtype: mdns.TypeA,
			answer: []string{"_abc.example.com. 300 IN CNAME _def.acm-validations.aws."},
		},
		{
			name: "chain target missing inside the zone", qname: "dangling.example.com.", qtype: mdns.TypeA,
			answer: []string{"dangling.example.com. 300 IN CNAME missing.example.com."},
		},
		{
			name: "CNAME loop stops", qname: "loop1.example.com.", qtype: mdns.TypeA,
			answer: []string{
				"loop1.example.com. 300 IN CNAME loop2.example.com.",
				"loop2.example.com. 300 IN CNAME loop1.example.com.",
			},
		},
		{
			name: "NODATA carries SOA with negative TTL", qname: "example.com.", qtype: mdns.TypeAAAA,
			authority: []string{exampleSOA},
		},
		{
			name: "NXDOMAIN carries SOA", qname: "nothere.example.com.", qtype: mdns.TypeA,
			rcode: mdns.RcodeNameError, authority: []string{exampleSOA},
		},
		{
			name: "NXDOMAIN below a name that exists", qname: "a.b.host.example.com.", qtype: mdns.TypeA,
			rcode: mdns.RcodeNameError, authority: []string{exampleSOA},
		},
		{
			name: "empty non-terminal is NODATA", qname: "_y.example.com.", qtype: mdns.TypeTXT,
			authority: []string{exampleSOA},
		},
		{
			name: "record below the empty non-terminal", qname: "_x._y.example.com.", qtype: mdns.TypeTXT,
			answer: []string{`_x._y.example.com. 300 IN TXT "deep"`},
		},
		{
			name: "closest enclosing SOA wins", qname: "nx.sub.example.com.", qtype: mdns.TypeA,
			rcode: mdns.RcodeNameError, authority: []string{subSOA},
		},
		{
			name: "NODATA at a zone apex uses its own SOA", qname: "sub.example.com.", qtype: mdns.TypeA,
			authority: []string{subSOA},
		},
		{
			name: "record outside every zone is not served", qname: "other.test.", qtype: mdns.TypeA,
			rcode: mdns.RcodeRefused,
		},
		{
			name: "below it neither", qname: "nx.other.test.", qtype: mdns.TypeA,
			rcode: mdns.RcodeRefused,
		},
		{
			name: "parent of a zone", qname: "com.", qtype: mdns.TypeA,
			rcode: mdns.RcodeRefused,
		},
		{
			name: "root", qname: ".", qtype: mdns.TypeNS,
			rcode: mdns.RcodeRefused,
		},
		{
			name: "unrelated name", qname: "www.google.com.", qtype: mdns.TypeA,
			rcode: mdns.RcodeRefused,
		},
	}
	for _, proto := range protos {
		for _, tt := range tests {
			t.Run(proto+"/"+tt.name, func(t *testing.T) {
				r := exchange(t, s, proto, tt.qname, tt.qtype)
				assert.Equal(t, mdns.RcodeToString[tt.rcode], mdns.RcodeToString[r.Rcode])
				assert.Equal(t, tt.rcode != mdns.RcodeRefused, r.Authoritative, "AA bit")
				assert.False(t, r.Truncated, "TC bit")
				assert.Equal(t, []mdns.Question{{Name: tt.qname, Qtype: tt.qtype, Qclass: mdns.ClassINET}}, r.Question)
				assert.Equal(t, rrStrings(t, tt.answer...), sectionStrings(r.Answer), "answer")
				assert.Equal(t, rrStrings(t, tt.authority...), sectionStrings(r.Ns), "authority")
			})
		}
	}
}

func TestCNAMEChainLimit(t *testing.T) {
	var zone []string
	for i := range 20 {
		zone = append(zone, fmt.Sprintf("c%d.example.com. CNAME c%d.example.com.", i, i+1))
	}
	zone = append(zone, "c20.example.com. A 192.0.2.1")
	s := startServer(t, zone...)

	r := exchange(t, s, "tcp", "c0.example.com.", mdns.TypeA)
	require.Equal(t, mdns.RcodeSuccess, r.Rcode)
	require.Len(t, r.Answer, 16)
	for i, rr := range r.Answer {
		assert.Equal(t, fmt.Sprintf("c%d.example.com.", i), rr.Header().Name)
		assert.Equal(t, mdns.TypeCNAME, rr.Header().Rrtype)
	}

	r = exchange(t, s, "tcp", "c5.example.com.", mdns.TypeA)
	require.Len(t, r.Answer, 16, "15 CNAMEs and the A record")
	assert.Equal(t, "192.0.2.1", r.Answer[15].(*mdns.A).A.String())
}

func TestRemoveWhileServing(t *testing.T) {
	for _, proto := range protos {
		t.Run(proto, func(t *testing.T) {
			s := startServer(t,
				"example.com. SOA ns1.example.com. hostmaster.example.com. 1 7200 900 1209600 60",
				"_v.example.com. CNAME _t.acm-validations.aws.",
				`_v.example.com. TXT "keep"`,
				`example.com. CAA 0 issue "amazon.com"`,
			)
			r := exchange(t, s, proto, "_v.example.com.", mdns.TypeCNAME)
			require.Len(t, r.Answer, 1)

			assert.Equal(t, 1, s.Remove("_v.example.com.", mdns.TypeCNAME))
			r = exchange(t, s, proto, "_v.example.com.", mdns.TypeCNAME)
			assert.Equal(t, mdns.RcodeSuccess, r.Rcode, "TXT keeps the name alive")
			assert.Empty(t, r.Answer)
			r = exchange(t, s, proto, "_v.example.com.", mdns.TypeTXT)
			assert.Len(t, r.Answer, 1)

			assert.Equal(t, 1, s.Remove("_V.EXAMPLE.COM.", 0))
			r = exchange(t, s, proto, "_v.example.com.", mdns.TypeTXT)
			assert.Equal(t, mdns.RcodeNameError, r.Rcode)

			r = exchange(t, s, proto, "example.com.", mdns.TypeCAA)
			require.Len(t, r.Answer, 1)
			assert.True(t, s.RemoveRR(r.Answer[0]), "a record as received can be removed")
			r = exchange(t, s, proto, "example.com.", mdns.TypeCAA)
			assert.Equal(t, mdns.RcodeSuccess, r.Rcode)
			assert.Empty(t, r.Answer)

			require.NoError(t, s.Add("_v.example.com. CNAME _t2.acm-validations.aws."))
			r = exchange(t, s, proto, "_v.example.com.", mdns.TypeCNAME)
			assert.Equal(t, rrStrings(t, "_v.example.com. 300 IN CNAME _t2.acm-validations.aws."), sectionStrings(r.Answer))
		})
	}
}

// Removing the only name below an empty non-terminal must turn the
// non-terminal into NXDOMAIN again; the zone's apex exists whatever it
// holds, and a name above the zone is not the server's to answer.
func TestEmptyNonTerminalFollowsRemoval(t *testing.T) {
	s := startServer(t, `_x._y.a.example.com. TXT "a"`, `_z._y.a.example.com. TXT "b"`)
	for _, step := range []struct {
		remove string
		rcode  int
	}{
		{"", mdns.RcodeSuccess},
		{"_x._y.a.example.com.", mdns.RcodeSuccess},
		{"_z._y.a.example.com.", mdns.RcodeNameError},
	} {
		if step.remove != "" {
			require.Equal(t, 1, s.Remove(step.remove, 0))
		}
		for _, name := range []string{"_y.a.example.com.", "a.example.com."} {
			r := exchange(t, s, "udp", name, mdns.TypeA)
			assert.Equal(t, mdns.RcodeToString[step.rcode], mdns.RcodeToString[r.Rcode], "after removing %q: %s", step.remove, name)
		}
		assert.Equal(t, "NOERROR", mdns.RcodeToString[exchange(t, s, "udp", "example.com.", mdns.TypeA).Rcode], "the apex")
		assert.Equal(t, "REFUSED", mdns.RcodeToString[exchange(t, s, "udp", "com.", mdns.TypeA).Rcode], "above the zone")
	}
}

func TestSetRcode(t *testing.T) {
	s := startServer(t, testZone...)
	for _, proto := range protos {
		t.Run(proto, func(t *testing.T) {
			s.SetRcode("WWW.example.com", mdns.RcodeServerFailure)
			s.SetRcode("nothere.example.com.", mdns.RcodeRefused)

			r := exchange(t, s, proto, "www.example.com.", mdns.TypeA)
			assert.Equal(t, "SERVFAIL", mdns.RcodeToString[r.Rcode])
			assert.Empty(t, r.Answer)
			assert.Empty(t, r.Ns)
			r = exchange(t, s, proto, "nothere.example.com.", mdns.TypeA)
			assert.Equal(t, "REFUSED", mdns.RcodeToString[r.Rcode])

			// Only the queried name counts, not names reached by a chain.
			s.SetRcode("host.example.com.", mdns.RcodeServerFailure)
			r = exchange(t, s, proto, "web.example.com.", mdns.TypeA)
			assert.Equal(t, "NOERROR", mdns.RcodeToString[r.Rcode])
			assert.Len(t, r.Answer, 3)

			s.ClearRcode("www.example.com.")
			s.ClearRcode("nothere.example.com.")
			s.ClearRcode("host.example.com.")
			r = exchange(t, s, proto, "www.example.com.", mdns.TypeA)
			assert.Equal(t, "NOERROR", mdns.RcodeToString[r.Rcode])
			assert.Len(t, r.Answer, 4)
		})
	}
}

func TestMalformedQueries(t *testing.T) {
	s := startServer(t, testZone...)
	for _, proto := range protos {
		t.Run(proto+"/non-IN class refused", func(t *testing.T) {
			m := new(mdns.Msg)
			m.Question = []mdns.Question{{Name: "version.bind.", Qtype: mdns.TypeTXT, Qclass: mdns.ClassCHAOS}}
			m.Id = mdns.Id()
			r := exchangeMsg(t, s, proto, m)
			assert.Equal(t, "REFUSED", mdns.RcodeToString[r.Rcode])
			assert.False(t, r.Authoritative)
		})
		t.Run(proto+"/two questions", func(t *testing.T) {
			m := new(mdns.Msg).SetQuestion("example.com.", mdns.TypeA)
			m.Question = append(m.Question, mdns.Question{Name: "example.com.", Qtype: mdns.TypeCAA, Qclass: mdns.ClassINET})
			r := exchangeMsg(t, s, proto, m)
			assert.Equal(t, "FORMERR", mdns.RcodeToString[r.Rcode])
			assert.Empty(t, r.Answer)
		})
	}
}

func TestUDPTruncation(t *testing.T) {
	var zone []string
	for i := range 20 {
		zone = append(zone, fmt.Sprintf(`big.example.com. TXT "%02d %s"`, i, strings.Repeat("x", 100)))
	}
	s := startServer(t, zone...)

	plain := new(mdns.Msg).SetQuestion("big.example.com.", mdns.TypeTXT)
	r := exchangeMsg(t, s, "udp", plain)
	assert.True(t, r.Truncated, "over 512 bytes without EDNS0")
	assert.Less(t, len(r.Answer), 20)
	r.Compress = true // Len must measure what went over the wire
	assert.LessOrEqual(t, r.Len(), mdns.MinMsgSize)
	truncatedLen := len(r.Answer)

	edns := new(mdns.Msg).SetQuestion("big.example.com.", mdns.TypeTXT).SetEdns0(4096, false)
	r = exchangeMsg(t, s, "udp", edns)
	assert.False(t, r.Truncated, "fits in the EDNS0 size")
	assert.Len(t, r.Answer, 20)
	require.NotNil(t, r.IsEdns0(), "EDNS0 query gets an OPT back")

	small := new(mdns.Msg).SetQuestion("big.example.com.", mdns.TypeTXT).SetEdns0(1200, false)
	r = exchangeMsg(t, s, "udp", small)
	assert.True(t, r.Truncated)
	r.Compress = true
	assert.LessOrEqual(t, r.Len(), 1200)
	assert.Greater(t, len(r.Answer), truncatedLen)

	r = exchangeMsg(t, s, "tcp", plain)
	assert.False(t, r.Truncated, "TCP is never truncated")
	assert.Len(t, r.Answer, 20)

	h := s.History()
	require.Len(t, h, 4)
	assert.Len(t, h[0].Answer, truncatedLen, "history shows what was sent")
	assert.Len(t, h[3].Answer, 20)
}

package dns_test

import (
	"fmt"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	mdns "github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	fakedns "github.com/renewsim/renewsim/fakes/dns"
)

// The server answers the way an authoritative server does: SOA and NS at
// every apex, the zone's SOA in negative answers, REFUSED outside its
// zones, zone transfers over TCP, and the EDNS rules.

// synthSOA is the SOA the server makes up for zone at version v.
func synthSOA(zone string, v uint64) string {
	return fmt.Sprintf("%s 300 IN SOA ns1.%s hostmaster.%s %d 7200 900 1209600 60", zone, zone, zone, v)
}

func TestSynthesizedApex(t *testing.T) {
	s := startServer(t,
		"www.example.org. A 192.0.2.1",
		// example.com brings its own SOA and NS: they win.
		"example.com. 3600 SOA ns.dns.example. admin.example.com. 7 7200 900 1209600 600",
		"example.com. NS ns.dns.example.",
	)
	v := s.Version()
	for _, proto := range protos {
		t.Run(proto, func(t *testing.T) {
			r := exchange(t, s, proto, "example.org.", mdns.TypeSOA)
			assert.Equal(t, "NOERROR", mdns.RcodeToString[r.Rcode])
			assert.True(t, r.Authoritative)
			assert.Equal(t, rrStrings(t, synthSOA("example.org.", v)), sectionStrings(r.Answer))

			r = exchange(t, s, proto, "EXAMPLE.org.", mdns.TypeNS)
			assert.Equal(t, rrStrings(t, "example.org. 300 IN NS ns1.example.org."), sectionStrings(r.Answer))

			r = exchange(t, s, proto, "example.com.", mdns.TypeSOA)
			assert.Equal(t, rrStrings(t, "example.com. 3600 IN SOA ns.dns.example. admin.example.com. 7 7200 900 1209600 600"), sectionStrings(r.Answer))
			r = exchange(t, s, proto, "example.com.", mdns.TypeNS)
			assert.Equal(t, rrStrings(t, "example.com. 300 IN NS ns.dns.example."), sectionStrings(r.Answer))

			// An apex that holds nothing else is NODATA, not NXDOMAIN.
			r = exchange(t, s, proto, "example.org.", mdns.TypeA)
			assert.Equal(t, "NOERROR", mdns.RcodeToString[r.Rcode])
			assert.Empty(t, r.Answer)
			assert.Equal(t, rrStrings(t, fmt.Sprintf("example.org. 60 IN SOA ns1.example.org. hostmaster.example.org. %d 7200 900 1209600 60", v)), sectionStrings(r.Ns))
		})
	}
	// Records keep only what was added; the made-up ones are answers.
	for _, rr := range s.Records() {
		assert.NotEqual(t, "example.org.", rr.Header().Name)
	}
}

// Negative answers carry the zone's SOA with the negative TTL of RFC 2308:
// the smaller of the SOA's own TTL and its MINIMUM.
func TestNegativeTTL(t *testing.T) {
	s := startServer(t,
		"example.com. 3600 SOA ns1.example.com. hostmaster.example.com. 1 7200 900 1209600 120",
		"sub.example.com. 30 SOA ns1.example.com. hostmaster.example.com. 1 7200 900 1209600 900",
		"www.example.com. A 192.0.2.1",
	)
	for _, tc := range []struct {
		qname string
		qtype uint16
		rcode int
		soa   string
	}{
		{"nx.example.com.", mdns.TypeA, mdns.RcodeNameError, "example.com. 120 IN SOA ns1.example.com. hostmaster.example.com. 1 7200 900 1209600 120"},
		{"www.example.com.", mdns.TypeAAAA, mdns.RcodeSuccess, "example.com. 120 IN SOA ns1.example.com. hostmaster.example.com. 1 7200 900 1209600 120"},
		{"nx.sub.example.com.", mdns.TypeA, mdns.RcodeNameError, "sub.example.com. 30 IN SOA ns1.example.com. hostmaster.example.com. 1 7200 900 1209600 900"},
		{"nx.example.org.", mdns.TypeTXT, mdns.RcodeNameError, fmt.Sprintf("example.org. 60 IN SOA ns1.example.org. hostmaster.example.org. %d 7200 900 1209600 60", s.Version())},
	} {
		r := exchange(t, s, "udp", tc.qname, tc.qtype)
		assert.Equal(t, mdns.RcodeToString[tc.rcode], mdns.RcodeToString[r.Rcode], tc.qname)
		assert.Empty(t, r.Answer, tc.qname)
		assert.Equal(t, rrStrings(t, tc.soa), sectionStrings(r.Ns), tc.qname)
	}
}

func TestRefusedOutsideTheZones(t *testing.T) {
	s := startServer(t, "www.example.com. A 192.0.2.1", "stray.example.net. A 192.0.2.9",
		"in.example.com. CNAME out.example.net.")
	for _, proto := range protos {
		for _, name := range []string{"www.google.com.", "com.", ".", "stray.example.net."} {
			r := exchange(t, s, proto, name, mdns.TypeA)
			assert.Equal(t, "REFUSED", mdns.RcodeToString[r.Rcode], name)
			assert.False(t, r.Authoritative, "%s: REFUSED carries no AA", name)
			assert.Empty(t, r.Answer, name)
			assert.Empty(t, r.Ns, name)
		}
		// A CNAME chain stops where it leaves the zones.
		r := exchange(t, s, proto, "in.example.com.", mdns.TypeA)
		assert.Equal(t, "NOERROR", mdns.RcodeToString[r.Rcode])
		assert.Len(t, r.Answer, 1)
	}
	require.NoError(t, s.AddZone("example.net"))
	r := exchange(t, s, "udp", "stray.example.net.", mdns.TypeA)
	assert.Equal(t, "NOERROR", mdns.RcodeToString[r.Rcode], "served once its zone is")
	assert.Len(t, r.Answer, 1)
}

func TestZones(t *testing.T) {
	s := fakedns.New(fakedns.Config{Zones: []string{"Example.COM", "example.org."}})
	require.NoError(t, s.Add("sub.example.com. SOA ns. host. 1 2 3 4 5"))
	require.NoError(t, s.AddZone("example.net."))
	assert.Equal(t, []string{"example.com.", "sub.example.com.", "example.net.", "example.org."}, s.Zones())
	v := s.Version()
	require.NoError(t, s.AddZone("EXAMPLE.net"))
	assert.Equal(t, v, s.Version(), "a zone added twice changes nothing")
	assert.Error(t, s.AddZone("bad..name"))
	assert.Error(t, s.AddZone(""))

	s.Reset()
	assert.Equal(t, []string{"example.com.", "example.org."}, s.Zones(), "Reset keeps the zones of Config")

	bad := fakedns.New(fakedns.Config{Zones: []string{"example.com.", "a..b"}})
	err := bad.Start()
	require.Error(t, err)
	assert.Contains(t, err.Error(), `zone "a..b" is not a domain name`)
	require.NoError(t, bad.Close())
}

// AXFR over TCP sends the zone: its SOA, every record of its names (the
// apex first, the made-up NS included, nested zones left out) and the SOA
// again, over as many messages as it takes. Elsewhere it is refused.
func TestZoneTransfer(t *testing.T) {
	zone := []string{
		"www.example.com. A 192.0.2.1",
		`example.com. CAA 0 issue "amazon.com"`,
		"_v.example.com. CNAME _t.acm-validations.aws.",
		"sub.example.com. SOA ns1.sub.example.com. hostmaster.example.com. 1 7200 900 1209600 60",
		"deep.sub.example.com. A 192.0.2.2",
	}
	for i := range 400 {
		zone = append(zone, fmt.Sprintf(`big.example.com. TXT "%03d %s"`, i, strings.Repeat("x", 100)))
	}
	s := startServer(t, zone...)
	soa := synthSOA("example.com.", s.Version())

	tr := new(mdns.Transfer)
	q := new(mdns.Msg).SetAxfr("example.com.")
	ch, err := tr.In(q, s.Addr())
	require.NoError(t, err)
	var got []string
	messages := 0
	for env := range ch {
		require.NoError(t, env.Error)
		messages++
		got = append(got, sectionStrings(env.RR)...)
	}
	assert.Greater(t, messages, 1, "a large zone takes several messages")
	require.Len(t, got, 2+1+1+1+1+400)
	assert.Equal(t, rrStrings(t, soa)[0], got[0])
	assert.Equal(t, rrStrings(t, soa)[0], got[len(got)-1])
	assert.Equal(t, rrStrings(t, "example.com. 300 IN NS ns1.example.com.")[0], got[1])
	assert.Equal(t, rrStrings(t, `example.com. 300 IN CAA 0 issue "amazon.com"`)[0], got[2])
	for _, line := range got {
		assert.NotContains(t, line, "sub.example.com.\t", "a nested zone is not sent")
	}

	h := s.History()
	require.NotEmpty(t, h)
	assert.Equal(t, "AXFR", h[len(h)-1].Type)
	assert.Len(t, h[len(h)-1].Answer, len(got))

	for _, tc := range []struct {
		proto, name string
		qtype       uint16
		rcode       string
		answer      []string
	}{
		{"udp", "example.com.", mdns.TypeAXFR, "NOTIMP", nil},
		{"tcp", "www.example.com.", mdns.TypeAXFR, "NOTAUTH", nil},
		{"tcp", "example.net.", mdns.TypeAXFR, "REFUSED", nil},
		// Over UDP an IXFR gets the SOA alone: ask again over TCP.
		{"udp", "example.com.", mdns.TypeIXFR, "NOERROR", rrStrings(t, soa)},
	} {
		r := exchange(t, s, tc.proto, tc.name, tc.qtype)
		assert.Equal(t, tc.rcode, mdns.RcodeToString[r.Rcode], "%s %s %s", tc.proto, mdns.Type(tc.qtype), tc.name)
		assert.Equal(t, tc.answer, sectionStrings(r.Answer), "%s %s %s", tc.proto, mdns.Type(tc.qtype), tc.name)
	}

	// Over TCP an IXFR gets the whole zone, as from a server that keeps no
	// history (RFC 1995 section 4).
	ixfr := new(mdns.Msg).SetIxfr("sub.example.com.", 0, "ns.", "host.")
	ch, err = new(mdns.Transfer).In(ixfr, s.Addr())
	require.NoError(t, err)
	got = nil
	for env := range ch {
		require.NoError(t, env.Error)
		got = append(got, sectionStrings(env.RR)...)
	}
	assert.Equal(t, rrStrings(t,
		"sub.example.com. 300 IN SOA ns1.sub.example.com. hostmaster.example.com. 1 7200 900 1209600 60",
		"sub.example.com. 300 IN NS ns1.sub.example.com.",
		"deep.sub.example.com. 300 IN A 192.0.2.2",
		"sub.example.com. 300 IN SOA ns1.sub.example.com. hostmaster.example.com. 1 7200 900 1209600 60",
	), got)
}

func TestEDNS(t *testing.T) {
	s := startServer(t, "www.example.com. A 192.0.2.1")
	for _, proto := range protos {
		t.Run(proto, func(t *testing.T) {
			// RFC 3225: the DO bit is copied into the reply.
			for _, do := range []bool{true, false} {
				q := new(mdns.Msg).SetQuestion("www.example.com.", mdns.TypeA).SetEdns0(1232, do)
				r := exchangeMsg(t, s, proto, q)
				opt := r.IsEdns0()
				require.NotNil(t, opt)
				assert.Equal(t, do, opt.Do(), "DO bit, asked %v", do)
				assert.Len(t, r.Answer, 1)
			}

			// RFC 6891: a version it does not speak is BADVERS, with an
			// OPT of version 0 and nothing else.
			q := new(mdns.Msg).SetQuestion("www.example.com.", mdns.TypeA).SetEdns0(1232, true)
			q.IsEdns0().SetVersion(1)
			r := exchangeMsg(t, s, proto, q)
			assert.Equal(t, mdns.RcodeBadVers, r.Rcode, "BADVERS")
			require.NotNil(t, r.IsEdns0())
			assert.Equal(t, uint8(0), r.IsEdns0().Version())
			assert.Empty(t, r.Answer)
			assert.False(t, r.Authoritative)

			// Two OPT records are a format error.
			q = new(mdns.Msg).SetQuestion("www.example.com.", mdns.TypeA).SetEdns0(1232, false)
			q.Extra = append(q.Extra, mdns.Copy(q.Extra[0]))
			r = exchangeMsg(t, s, proto, q)
			assert.Equal(t, "FORMERR", mdns.RcodeToString[r.Rcode])
		})
	}
	h := s.History()
	assert.Contains(t, fmt.Sprint(h), "BADVERS")
}

// dig, where installed, sees what the miekg clients see: it is what
// people point at `renewsim serve`.
func TestWithDig(t *testing.T) {
	dig, err := exec.LookPath("dig")
	if err != nil {
		t.Skip("dig is not installed (apt-get install dnsutils); the miekg/dns tests above cover the same answers")
	}
	s := startServer(t, "www.example.com. A 192.0.2.1", "_v.example.com. CNAME _t.acm-validations.aws.")
	host, port, _ := strings.Cut(s.Addr(), ":")
	run := func(args ...string) string {
		t.Helper()
		out, err := exec.Command(dig, append([]string{"@" + host, "-p", port, "+time=5", "+tries=1"}, args...)...).CombinedOutput()
		require.NoError(t, err, "dig %v: %s", args, out)
		return string(out)
	}
	status := regexp.MustCompile(`status: ([A-Z]+)`)
	flags := regexp.MustCompile(`;; flags: ([a-z ]+);`)
	for _, tc := range []struct {
		args   []string
		status string
		aa     bool
		want   []string
	}{
		{[]string{"SOA", "example.com"}, "NOERROR", true, []string{"example.com.\t\t300\tIN\tSOA\tns1.example.com. hostmaster.example.com."}},
		{[]string{"NS", "example.com"}, "NOERROR", true, []string{"ns1.example.com."}},
		{[]string{"A", "nx.example.com"}, "NXDOMAIN", true, []string{"AUTHORITY SECTION", "example.com.\t\t60\tIN\tSOA"}},
		{[]string{"TXT", "www.example.com"}, "NOERROR", true, []string{"AUTHORITY SECTION", "example.com.\t\t60\tIN\tSOA"}},
		{[]string{"A", "www.google.com"}, "REFUSED", false, nil},
		{[]string{"+dnssec", "A", "www.example.com"}, "NOERROR", true, []string{"flags: do;"}},
		{[]string{"+edns=1", "+noednsneg", "A", "www.example.com"}, "BADVERS", false, []string{"EDNS: version: 0"}},
		{[]string{"CNAME", "_v.example.com"}, "NOERROR", true, []string{"_t.acm-validations.aws."}},
	} {
		out := run(tc.args...)
		m := status.FindStringSubmatch(out)
		require.NotNil(t, m, "dig %v printed no status: %s", tc.args, out)
		assert.Equal(t, tc.status, m[1], "dig %v: %s", tc.args, out)
		f := flags.FindStringSubmatch(out)
		require.NotNil(t, f, "dig %v: %s", tc.args, out)
		assert.Equal(t, tc.aa, strings.Contains(" "+f[1]+" ", " aa "), "dig %v: AA flag: %s", tc.args, out)
		for _, w := range tc.want {
			assert.Contains(t, squeeze(out), squeeze(w), "dig %v", tc.args)
		}
	}
	out := run("AXFR", "example.com")
	assert.NotContains(t, out, "Transfer failed")
	assert.Contains(t, out, "XFR size: 5 records")
	assert.Contains(t, squeeze(out), "www.example.com. 300 IN A 192.0.2.1")
}

// squeeze makes every run of white space one space: dig aligns its
// columns with tabs.
func squeeze(s string) string { return strings.Join(strings.Fields(s), " ") }

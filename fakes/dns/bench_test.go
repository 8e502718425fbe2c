package dns_test

import (
	"testing"

	mdns "github.com/miekg/dns"
	"github.com/stretchr/testify/require"
)

// The benchmarks mirror a sweep: history off, one client connection reused
// for every query, and the validation-CNAME lookup the simulator makes.
func benchmarkQueryReusedConn(b *testing.B, proto string) {
	s := startServer(b,
		"_x.example.com. CNAME _y.acm-validations.aws.",
		"example.com. SOA ns1.example.com. hostmaster.example.com. 1 7200 900 1209600 60",
	)
	s.SetHistory(false)

	c := &mdns.Client{Net: proto}
	conn, err := c.Dial(s.Addr())
	require.NoError(b, err)
	defer conn.Close()
	m := new(mdns.Msg).SetQuestion("_x.example.com.", mdns.TypeCNAME)

	b.ReportAllocs()
	for b.Loop() {
		r, _, err := c.ExchangeWithConn(m, conn)
		if err != nil {
			b.Fatal(err)
		}
		if len(r.Answer) != 1 {
			b.Fatalf("answer %v", r.Answer)
		}
	}
}

func BenchmarkQueryUDPReusedConn(b *testing.B) { benchmarkQueryReusedConn(b, "udp") }

func BenchmarkQueryTCPReusedConn(b *testing.B) { benchmarkQueryReusedConn(b, "tcp") }

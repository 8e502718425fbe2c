package tls

import (
	"context"
	"math/big"
	"testing"
)

func BenchmarkIssueLeaf(b *testing.B) {
	ca := newTestCA(b)
	spec := testSpec(1)
	b.ReportAllocs()
	i := int64(0)
	for b.Loop() {
		i++
		spec.Serial = big.NewInt(i)
		if _, err := ca.Issue(spec); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkProbe(b *testing.B) {
	ca := newTestCA(b)
	ep := startEndpoint(b, issue(b, ca, testSpec(0x0a1b)))
	roots := ca.Pool()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if res := Probe(ctx, ep.Addr(), "www.example.com", roots, midValidity); !res.Verified {
			b.Fatal(res.Err)
		}
	}
}

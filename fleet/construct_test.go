package fleet

import (
	"testing"
	"time"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func mustRR(t *testing.T, s string) dns.RR {
	t.Helper()
	rr, err := dns.NewRR(s)
	require.NoError(t, err)
	return rr
}

// A zone built record by record answers like one read from a file, and
// loses a record on RemoveRecord whatever its TTL.
func TestNewZone(t *testing.T) {
	z := NewZone("Example.COM", "main.tf")
	z.AddRecord(mustRR(t, "_a1.www.example.com. 300 IN CNAME _b2.xyz.acm-validations.aws."), "")
	z.AddRecord(mustRR(t, "_a1.www.example.com. 60 IN CNAME _b2.xyz.acm-validations.aws."), "") // the same record
	z.AddRecord(mustRR(t, "example.com. 300 IN CAA 0 issue \"amazon.com\""), "managed in Terraform")
	f := NewFleet(Exports{}, []*Zone{z}, nil, []string{"main.tf"})
	require.Len(t, f.Zones, 1)
	assert.Equal(t, "example.com.", z.Apex)
	assert.True(t, z.Contains("a.b.example.com"))
	assert.Len(t, z.Records(), 2)
	assert.Equal(t, "managed in Terraform", z.Note("EXAMPLE.com."))
	assert.True(t, z.exists("www.example.com."), "an empty non-terminal exists")

	c := z.Clone()
	assert.True(t, c.RemoveRecord(mustRR(t, "_a1.www.example.com. 3600 IN CNAME _b2.xyz.acm-validations.aws.")))
	assert.False(t, c.RemoveRecord(mustRR(t, "_a1.www.example.com. 3600 IN CNAME _b2.xyz.acm-validations.aws.")))
	assert.Len(t, c.Records(), 1)
	assert.Len(t, z.Records(), 2, "the clone is its own")
}

// Certificates built by a caller: one with an address is not asked to be
// in the list given alongside, and an unsettled one gets its reason.
func TestNewFleetCertificates(t *testing.T) {
	z := NewZone("example.com")
	z.AddRecord(mustRR(t, "_a1.www.example.com. 300 IN CNAME _b2.xyz.acm-validations.aws."), "")
	www := &Certificate{ARN: arn1, Domain: "www.example.com", Type: "AMAZON_ISSUED", Status: "ISSUED",
		NotBefore: now.Add(-30 * 24 * time.Hour), NotAfter: now.Add(168 * 24 * time.Hour),
		InUseBy:     []string{"arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/1"},
		Validations: []DomainValidation{{Domain: "www.example.com", Method: "DNS", Record: &ResourceRecord{Name: "_a1.www.example.com.", Type: "CNAME", Value: "_b2.xyz.acm-validations.aws."}}},
		Address:     "aws_acm_certificate.www"}
	www.Locate("plan.json", "$.prior_state.values.root_module.resources[0]")
	stale := &Certificate{ARN: arn2, Domain: "cdn.example.com", Type: "AMAZON_ISSUED", Status: "PENDING_VALIDATION",
		Address: "aws_acm_certificate.cdn", Unsettled: &Unsettled{Reason: "stale state", Fix: "terraform apply -refresh-only"}}
	f := NewFleet(Exports{Certificates: []*Certificate{www, stale, www}, Listed: true}, []*Zone{z}, []string{"plan.json"}, nil)
	require.Len(t, f.Certificates, 2)
	assert.Same(t, www, f.Certificate(arn1))
	p, err := Build(f, Options{Now: now})
	require.NoError(t, err)
	assert.True(t, entry(t, p, arn1).Simulated)
	e := entry(t, p, arn2)
	assert.Equal(t, VerdictCannotTell, e.Verdict)
	assert.Equal(t, "stale state", e.Reason)
	assert.Equal(t, "terraform apply -refresh-only", e.Fix)
}

package route53_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	r53 "github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/renewsim/renewsim/fakes/route53"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

var (
	ctx = context.Background()
	t0  = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
)

// memBackend is a Backend over records held in memory, applying changes
// as a DNS server would hold them: DELETE drops the name and type, CREATE
// adds the records, UPSERT does both.
type memBackend struct {
	mu      sync.Mutex
	zones   []route53.Zone
	records map[string][]route53.Record // zone name -> records
	applied [][]route53.Change
	fail    error
}

func newMem() *memBackend {
	b := &memBackend{records: map[string][]route53.Record{}}
	b.zone(route53.Zone{Name: "example.com."},
		"example.com. 300 IN SOA ns1.example.com. hostmaster.example.com. 1 7200 900 1209600 60",
		"example.com. 300 IN NS ns1.example.com.",
		"example.com. 300 IN NS ns2.example.com.",
		"example.com. 3600 IN CAA 0 issue \"amazon.com\"",
		"example.com. 300 IN A 127.0.1.1",
		"www.example.com. 300 IN CNAME example.com.",
		"_38d0c69c826e1b7de6fc26a214d5a5be.example.com. 300 IN CNAME _cc23a6b1f7c3e5d09a8f8e1d2c3b4a59.kbwbeyjmug.acm-validations.aws.",
		"*.example.com. 300 IN A 127.0.1.2",
		"a.b.example.com. 60 IN TXT \"hello world\"",
	)
	b.zone(route53.Zone{Name: "example.org."},
		"example.org. 300 IN SOA ns1.example.org. hostmaster.example.org. 1 7200 900 1209600 60",
		"example.org. 300 IN NS ns1.example.org.",
	)
	b.zone(route53.Zone{Name: "example.com.", Private: true, VPCRegion: "eu-west-1", Comment: "split horizon"},
		"example.com. 300 IN SOA ns1.example.com. hostmaster.example.com. 1 7200 900 1209600 60",
		"example.com. 300 IN NS ns1.example.com.",
		"internal.example.com. 300 IN A 10.0.0.1",
	)
	return b
}

// zone adds a zone with records written as zone-file lines.
func (b *memBackend) zone(z route53.Zone, lines ...string) {
	b.zones = append(b.zones, z)
	for _, l := range lines {
		f := strings.SplitN(l, " ", 5)
		b.records[key(z)] = append(b.records[key(z)], route53.Record{Name: f[0], Type: f[3], TTL: atoi(f[1]), Value: f[4]})
	}
}

func key(z route53.Zone) string {
	if z.Private {
		return "private:" + z.Name
	}
	return z.Name
}

func atoi(s string) uint32 {
	n := uint32(0)
	for _, c := range s {
		n = n*10 + uint32(c-'0')
	}
	return n
}

func (b *memBackend) Zones() []route53.Zone {
	b.mu.Lock()
	defer b.mu.Unlock()
	return slices.Clone(b.zones)
}

func (b *memBackend) Records(z route53.Zone) ([]route53.Record, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return slices.Clone(b.records[key(z)]), nil
}

func (b *memBackend) Apply(z route53.Zone, changes []route53.Change) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.fail != nil {
		return b.fail
	}
	b.applied = append(b.applied, changes)
	k := key(z)
	for _, c := range changes {
		if c.Action != route53.ActionCreate {
			b.records[k] = slices.DeleteFunc(b.records[k], func(r route53.Record) bool {
				return strings.EqualFold(r.Name, c.Set.Name) && r.Type == c.Set.Type
			})
		}
		if c.Action != route53.ActionDelete {
			b.records[k] = append(b.records[k], c.Set.Records()...)
		}
	}
	return nil
}

func (b *memBackend) Now() time.Time { return t0 }

var errBroken = errors.New("the backend broke")

// start serves b and returns a Route 53 client of the real SDK pointed at
// it, which tries each request once.
func start(t *testing.T, b route53.Backend, cfg route53.Config) (*route53.Server, *r53.Client) {
	t.Helper()
	cfg.Backend = b
	srv := route53.New(cfg)
	require.NoError(t, srv.Start())
	tr := &http.Transport{}
	t.Cleanup(func() {
		tr.CloseIdleConnections()
		require.NoError(t, srv.Close())
	})
	return srv, client(srv.URL(), tr, 1)
}

func client(url string, tr *http.Transport, attempts int) *r53.Client {
	return r53.New(r53.Options{
		BaseEndpoint:     aws.String(url),
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider("AKID", "SECRET", ""),
		RetryMaxAttempts: attempts,
		HTTPClient:       &http.Client{Transport: tr},
	})
}

func credentialsFor() aws.CredentialsProvider {
	return credentials.NewStaticCredentialsProvider("AKID", "SECRET", "")
}

// noLimit lets a test's retryer retry without its client-side retry
// quota, so a long run of throttled answers cannot exhaust it.
type noLimit struct{}

func (noLimit) GetToken(context.Context, uint) (func() error, error) {
	return func() error { return nil }, nil
}
func (noLimit) AddTokens(uint) error { return nil }

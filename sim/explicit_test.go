package sim

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// explicitScenario is one DNS-validated certificate whose ARN and
// validation record come from an account's exports.
func explicitScenario(mode string) *Scenario {
	p, _ := LookupProfile(DefaultProfile)
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	return &Scenario{
		Name: "explicit", Profile: p, ProfileName: p.Name, Start: start, Until: start.Add(200 * Day), Seed: 1,
		Resources: []Resource{{ID: "alb", Kind: "elb", ARN: "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/web/1"}},
		Certificates: []Certificate{{
			ID: "web", Domain: "example.com", SANs: []string{"*.example.com"}, Validation: ValidationDNS,
			Type: TypeAmazonIssued, Issued: start, NotAfter: start.Add(198 * Day), InUseBy: []string{"alb"},
			ValidationRecord: mode,
			ARN:              "arn:aws:acm:eu-west-1:111122223333:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
			ValidationCNAMEs: map[string]ValidationCNAME{
				"*.example.com": {Name: "_abc.example.com.", Value: "_def.xyz.acm-validations.aws."},
			},
		}},
	}
}

func TestExplicitValidationRecords(t *testing.T) {
	for _, tc := range []struct {
		mode string
		want []string // validation records the model puts in the zone
	}{
		{RecordPresent, []string{"_abc.example.com. 300 IN CNAME _def.xyz.acm-validations.aws."}},
		{RecordDoubledSuffix, []string{"_abc.example.com.example.com. 300 IN CNAME _def.xyz.acm-validations.aws."}},
		{RecordZone, nil},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			sc := explicitScenario(tc.mode)
			m := NewModel(sc, sc.Seed)
			var added []string
			require.NoError(t, m.Step(sc.Start, Begin{}))
			for _, e := range m.Ready().Effects {
				if z, ok := e.(DNSChange); ok {
					added = append(added, z.Add...)
				}
			}
			assert.Equal(t, tc.want, added)
			require.NotEmpty(t, m.Record())
			var arn string
			for _, e := range m.Record() {
				if e.Kind == KindCert {
					arn = e.Detail.ARN
				}
			}
			assert.Equal(t, sc.Certificates[0].ARN, arn, "the real ARN replaces the seed-derived one")

			// Every name checks the given record, example.com included,
			// which shares it with *.example.com.
			c := m.certs[0]
			for i := range c.names {
				assert.Equal(t, "_abc.example.com.", c.records[i].name, c.names[i])
				assert.Equal(t, "_def.xyz.acm-validations.aws.", c.records[i].value, c.names[i])
			}
		})
	}
}

func TestExplicitRecordDeleteAndRestore(t *testing.T) {
	sc := explicitScenario(RecordZone)
	m := NewModel(sc, sc.Seed)
	require.NoError(t, m.Step(sc.Start, Begin{}))
	m.Ready()
	at := sc.Start.Add(Day)
	var del, add DNSChange
	require.NoError(t, m.Step(at, Change{At: at, Do: DoDeleteValidationRecord, Cert: "web"}))
	for _, e := range m.Ready().Effects {
		if z, ok := e.(DNSChange); ok {
			del = z
		}
	}
	require.NoError(t, m.Step(at, Change{At: at, Do: DoRestoreValidationRecord, Cert: "web"}))
	for _, e := range m.Ready().Effects {
		if z, ok := e.(DNSChange); ok {
			add = z
		}
	}
	assert.Equal(t, []DNSRemove{{Name: "_abc.example.com.", Type: "CNAME"}}, del.Remove)
	assert.Equal(t, []string{"_abc.example.com. 300 IN CNAME _def.xyz.acm-validations.aws."}, add.Add)
}

func TestValidationCNAMEFallsBackToSeed(t *testing.T) {
	c := Certificate{Domain: "example.com", SANs: []string{"www.example.com"},
		ValidationCNAMEs: map[string]ValidationCNAME{"example.com": {Name: "_a.example.com.", Value: "_b.acm-validations.aws."}}}
	rec, val := c.ValidationCNAME(1, "123456789012", "www.example.com")
	wantRec, wantVal := ValidationRecord(1, "123456789012", "www.example.com")
	assert.Equal(t, wantRec, rec)
	assert.Equal(t, wantVal, val)
	rec, _ = c.ValidationCNAME(1, "123456789012", "*.example.com")
	assert.Equal(t, "_a.example.com.", rec, "a name missing from the map shares the record of its base name")
}

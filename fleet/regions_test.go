package fleet_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/renewsim/renewsim/fleet"
	"github.com/renewsim/renewsim/sim"
)

// The example fleet with two of its certificates moved: www to eu-west-1
// of the same account, api to eu-west-1 of another account.
const (
	wwwID = "22ada16a-bc1e-42dd-aa23-e6feefe06890"
	apiID = "f27b5ef3-a3c9-45eb-a624-dc3d7b5f1ed0"
)

func movedExample(t *testing.T) fleet.Input {
	t.Helper()
	in := copyEncoded(t, func(b []byte) []byte {
		return []byte(strings.NewReplacer(
			"arn:aws:acm:us-east-1:123456789012:certificate/"+wwwID, "arn:aws:acm:eu-west-1:123456789012:certificate/"+wwwID,
			"arn:aws:acm:us-east-1:123456789012:certificate/"+apiID, "arn:aws:acm:eu-west-1:999999999999:certificate/"+apiID,
		).Replace(string(b)))
	})
	return in
}

// Exports of several regions and accounts are one fleet: every
// certificate gets the verdict it gets alone, the outputs say where each
// is, and the text goes account by account.
func TestSeveralRegionsAndAccountsAreOneFleet(t *testing.T) {
	_, want := check(t, exampleInput(), sim.DefaultProfile)
	_, got := check(t, movedExample(t), sim.DefaultProfile)
	require.Len(t, got.Certificates, len(want.Certificates))
	wantBy := byID(want)
	for _, e := range got.Certificates {
		w := wantBy[e.ID]
		require.NotNil(t, w, e.ID)
		assert.Equal(t, w.Verdict, e.Verdict, e.ID)
		assert.Equal(t, w.Reason, e.Reason, e.ID)
		assert.Equal(t, w.Renewals, e.Renewals, e.ID)
	}
	gotBy := byID(got)
	assert.Equal(t, "eu-west-1", gotBy["www-example-com"].Region)
	assert.Equal(t, "123456789012", gotBy["www-example-com"].Account)
	assert.Equal(t, "eu-west-1", gotBy["api-example-com"].Region)
	assert.Equal(t, "999999999999", gotBy["api-example-com"].Account)
	assert.Equal(t, "us-east-1", gotBy["static-example-com"].Region)
	assert.Equal(t, []string{"123456789012", "999999999999"}, got.Accounts)
	assert.Equal(t, []string{"us-east-1", "eu-west-1"}, got.Regions)
	assert.Equal(t, "123456789012", got.Account)
	assert.Equal(t, "us-east-1", got.Region)

	var b bytes.Buffer
	require.NoError(t, fleet.WriteText(&b, got))
	text := b.String()
	assert.True(t, strings.HasPrefix(text, "16 certificates of accounts 123456789012 and 999999999999 in us-east-1 and eu-west-1, from 2026-04-01"), text[:120])
	first := strings.Index(text, "\n== account 123456789012: 15 certificates in eu-west-1 and us-east-1; 6 renew, 6 expire, 1 already expired, 0 not issued, 2 cannot tell ==\n")
	second := strings.Index(text, "\n== account 999999999999: 1 certificate in eu-west-1; 0 renew, 1 expires, 0 already expired, 0 not issued, 0 cannot tell ==\n")
	require.Positive(t, first, text)
	require.Greater(t, second, first)
	assert.Contains(t, text[second:], "✗ api.example.com  expires on 2026-09-06 because CNAME missing")
	assert.NotContains(t, text[first:second], "api.example.com  expires")

	// A fleet of one account prints no account headers, as before.
	b.Reset()
	require.NoError(t, fleet.WriteText(&b, want))
	assert.NotContains(t, b.String(), "== account")
}

// A list-hosted-zones output among the zone files says which zones are
// private: a certificate whose name is only in one is reported so, and
// its records (none exported) are not used.
func TestPrivateHostedZoneIsReported(t *testing.T) {
	in := exampleInput()
	dir := writeDir(t, map[string]string{"list-hosted-zones.json": `{"HostedZones": [
  {"Id": "/hostedzone/Z1PUBLIC", "Name": "example.com.", "CallerReference": "a", "Config": {"PrivateZone": false}, "ResourceRecordSetCount": 9},
  {"Id": "/hostedzone/Z2PRIVATE", "Name": "example.net.", "CallerReference": "b", "Config": {"Comment": "vpc", "PrivateZone": true}, "ResourceRecordSetCount": 3}
]}`})
	in.Zones = append(in.Zones, fleet.ZoneSource{Path: dir})
	_, r := check(t, in, sim.DefaultProfile)
	assert.Contains(t, r.Notes, "zone example.net (Z2PRIVATE) is a private hosted zone: ACM validates through public DNS, so its records are not used for status.example.net")
	assert.Equal(t, "no zone data for status.example.net", byID(r)["status-example-net"].Reason)
}

package fleet

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/renewsim/renewsim/scenarios"
)

var now = time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)

// build reads the files and builds the plan at now.
func build(t *testing.T, acm, zones map[string]string) (*Plan, error) {
	t.Helper()
	in := Input{ACM: []string{writeFiles(t, acm)}}
	if zones != nil {
		in.Zones = []ZoneSource{{Path: writeFiles(t, zones)}}
	}
	f, err := Read(in)
	require.NoError(t, err)
	return Build(f, Options{Now: now})
}

func entry(t *testing.T, p *Plan, arn string) *Entry {
	t.Helper()
	for _, e := range p.Entries {
		if e.ARN == arn {
			return e
		}
	}
	t.Fatalf("no entry for %s", arn)
	return nil
}

func listDoc(arns ...string) string {
	var items []string
	for _, a := range arns {
		items = append(items, `{"CertificateArn": "`+a+`", "DomainName": "x.example.com", "Status": "ISSUED", "Type": "AMAZON_ISSUED", "InUse": true}`)
	}
	return `{"CertificateSummaryList": [` + strings.Join(items, ", ") + `]}`
}

// A describe-certificate output of an ARN the list given alongside does
// not hold is an error: the exports do not belong together.
func TestDescribeOfUnknownARN(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"list.json": listDoc(arn1),
		"b.json":    describeDoc(arn2, "b.example.com", ""),
	})
	f, err := Read(Input{ACM: []string{dir}, Zones: []ZoneSource{{Path: writeFiles(t, map[string]string{"z": okZone})}}})
	require.NoError(t, err)
	_, err = Build(f, Options{Now: now})
	require.Error(t, err)
	assert.Equal(t, dir+"/b.json: $.Certificate.CertificateArn: "+arn2+" is not in the list-certificates output ("+dir+"/list.json): the exports are stale or from another account or region — export both again, or leave the list out (the describe-certificate outputs alone are enough; list-certificates shows RSA certificates only unless given --includes keyTypes=…)",
		err.Error())
}

// Exports of several accounts and regions are one fleet: the scenario's
// default is where most certificates are, and the others say where they
// are, in the plan and in the scenario.
func TestMixedAccountsAndRegionsAreOneFleet(t *testing.T) {
	other := "arn:aws:acm:eu-west-1:999999999999:certificate/33333333-3333-4333-8333-333333333333"
	dir := writeFiles(t, map[string]string{
		"a.json": describeDoc(arn1, "a.example.com", ""),
		"b.json": describeDoc(arn2, "b.example.com", ""),
		"c.json": describeDoc(other, "c.example.com", ""),
	})
	f, err := Read(Input{ACM: []string{dir}, Zones: []ZoneSource{{Path: writeFiles(t, map[string]string{"z": okZone})}}})
	require.NoError(t, err)
	p, err := Build(f, Options{Now: now})
	require.NoError(t, err)
	assert.Equal(t, "123456789012", p.Account)
	assert.Equal(t, "us-east-1", p.Region)
	where := map[string]string{}
	for _, e := range p.Entries {
		where[e.ID] = e.Account + " " + e.Region
	}
	assert.Equal(t, map[string]string{"a-example-com": "123456789012 us-east-1", "b-example-com": "123456789012 us-east-1", "c-example-com": "999999999999 eu-west-1"}, where)
	y := string(p.YAML)
	assert.Contains(t, y, "# Written by renewsim check: the ACM certificates of accounts 123456789012 and 999999999999 in us-east-1 and eu-west-1 as\n")
	assert.Contains(t, y, "    arn: "+other+"\n    account: \"999999999999\"\n    region: eu-west-1\n")
	assert.Equal(t, 1, strings.Count(y, "    region: "), "only the certificate away from home names its region")
	sc, err := scenarios.Parse(p.File, p.YAML)
	require.NoError(t, err)
	for _, c := range sc.Certificates {
		if c.ARN == other {
			assert.Equal(t, "eu-west-1", c.Region)
			assert.Equal(t, "999999999999", c.Account)
		}
	}
}

// What the inputs cannot settle is listed, with why, and not simulated.
func TestNotSimulated(t *testing.T) {
	expired := strings.NewReplacer(`"Status": "ISSUED"`, `"Status": "EXPIRED"`, "2026-09-15", "2026-03-15").Replace(describeDoc("arn:aws:acm:us-east-1:123456789012:certificate/e", "old.example.com", ""))
	stale := strings.Replace(describeDoc("arn:aws:acm:us-east-1:123456789012:certificate/s", "stale.example.com", ""), "2026-09-15", "2026-03-31", 1)
	pending := strings.NewReplacer(`"Status": "ISSUED"`, `"Status": "PENDING_VALIDATION"`, `"NotBefore": "2026-03-01T00:00:00+00:00", "NotAfter": "2026-09-15T00:00:00+00:00"`, `"CreatedAt": 1774915200`).
		Replace(describeDoc("arn:aws:acm:us-east-1:123456789012:certificate/p", "new.example.com", ""))
	future := strings.Replace(describeDoc("arn:aws:acm:us-east-1:123456789012:certificate/f", "later.example.com", ""), "2026-03-01", "2026-05-01", 1)
	http := strings.Replace(describeDoc("arn:aws:acm:us-east-1:123456789012:certificate/h", "cdn.example.com", ""), `"ValidationMethod": "DNS",
    "ResourceRecord": {"Name": "_a1.cdn.example.com.", "Type": "CNAME", "Value": "_b2.xyz.acm-validations.aws."}`, `"ValidationMethod": "HTTP", "HttpRedirect": {"RedirectFrom": "http://cdn.example.com/.well-known/pki-validation/x.txt", "RedirectTo": "https://validation.us-east-1.acm-validations.aws/1/.well-known/pki-validation/x.txt"}`, 1)
	p, err := build(t, map[string]string{
		"list.json":    listDoc("arn:aws:acm:us-east-1:123456789012:certificate/o", "arn:aws:acm:us-east-1:123456789012:certificate/e", "arn:aws:acm:us-east-1:123456789012:certificate/s", "arn:aws:acm:us-east-1:123456789012:certificate/p", "arn:aws:acm:us-east-1:123456789012:certificate/f", "arn:aws:acm:us-east-1:123456789012:certificate/h", "arn:aws:acm:us-east-1:123456789012:certificate/n", "arn:aws:acm:us-east-1:123456789012:certificate/l", "arn:aws:acm:us-east-1:123456789012:certificate/d"),
		"expired.json": expired, "stale.json": stale, "pending.json": pending, "future.json": future, "http.json": http,
		"nozone.json":    describeDoc("arn:aws:acm:us-east-1:123456789012:certificate/n", "www.example.net", ""),
		"delegated.json": describeDoc("arn:aws:acm:us-east-1:123456789012:certificate/d", "www.child.example.com", ""),
		"ok.json":        describeDoc("arn:aws:acm:us-east-1:123456789012:certificate/o", "www.example.com", ""),
	}, map[string]string{"z": okZone + "child 300 IN NS ns.elsewhere.example.\n"})
	require.NoError(t, err)
	for _, tc := range []struct {
		arn     string
		verdict Verdict
		reason  string
	}{
		{"e", VerdictExpired, "already expired on 2026-03-15"},
		{"s", VerdictExpired, "already expired on 2026-03-31 (the export says ISSUED: it is older than -now)"},
		{"p", VerdictNotIssued, "status PENDING_VALIDATION: it was never issued (or no longer is), so there is nothing to renew"},
		{"f", VerdictCannotTell, "issued on 2026-05-01, after -now: the exports are newer than the time asked about"},
		{"h", VerdictCannotTell, "HTTP validation: whether the CloudFront distribution still serves the token (RedirectFrom) is not in the exports"},
		{"n", VerdictCannotTell, "no zone data for www.example.net"},
		{"l", VerdictCannotTell, "listed by list-certificates, but no describe-certificate output was given for it"},
		{"d", VerdictCannotTell, "no zone data for www.child.example.com (zone example.com. delegates child.example.com. to other name servers)"},
	} {
		e := entry(t, p, "arn:aws:acm:us-east-1:123456789012:certificate/"+tc.arn)
		assert.False(t, e.Simulated, tc.arn)
		assert.Equal(t, tc.verdict, e.Verdict, tc.arn)
		assert.Equal(t, tc.reason, e.Reason, tc.arn)
		assert.NotEmpty(t, e.Fix, tc.arn)
		assert.Contains(t, string(p.YAML), "#   "+e.ID+" ("+e.ARN+"): "+string(tc.verdict)+": "+tc.reason+"\n", "the scenario lists it as a comment")
		assert.NotContains(t, string(p.YAML), "  - id: "+e.ID+"\n")
	}
}

// Only the records that decide a renewal go into the scenario: at the
// names and up to the apex, at the validation record and along its chain,
// under a doubled suffix; an empty non-terminal keeps one name below it and
// a wildcard answers for a name that does not exist.
func TestZoneRecordsInTheScenario(t *testing.T) {
	zone := okZone + `unrelated 300 IN A 192.0.2.7
www 300 IN A 192.0.2.8
_a1.www 300 IN CNAME hop.example.com.
hop 300 IN CNAME _b2.xyz.acm-validations.aws.
deep.ent 300 IN TXT "below an empty non-terminal"
x.deep.ent 300 IN TXT "further below"
*.wild 300 IN CNAME _wrong.acm-validations.aws.
_a1.twice.example.com 300 IN CNAME _b2.xyz.acm-validations.aws.
`
	p, err := build(t, map[string]string{
		"www.json":   describeDoc(arn1, "www.example.com", ""),
		"ent.json":   describeDoc(arn2, "ent.example.com", ""),
		"wild.json":  describeDoc("arn:aws:acm:us-east-1:123456789012:certificate/w", "a.wild.example.com", ""),
		"twice.json": describeDoc("arn:aws:acm:us-east-1:123456789012:certificate/t", "twice.example.com", ""),
	}, map[string]string{"db.example.com": zone, "db.example.net": "$ORIGIN example.net.\n@ 300 IN SOA ns h 1 2 3 4 5\n"})
	require.NoError(t, err)
	y := string(p.YAML)
	for _, want := range []string{
		"    - 'example.com. 300 IN SOA ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 300'\n",
		"    - 'www.example.com. 300 IN A 192.0.2.8'\n",
		"    - '_a1.www.example.com. 300 IN CNAME hop.example.com.'\n",
		"    - 'hop.example.com. 300 IN CNAME _b2.xyz.acm-validations.aws.'\n",
		"    # ent.example.com. has no records but this name below it: it exists (NODATA, not NXDOMAIN)\n    - 'deep.ent.example.com. 300 IN TXT \"below an empty non-terminal\"'\n",
		"    # _a1.a.wild.example.com. does not exist: the wildcard *.wild.example.com. answers for it (records copied)\n    - '_a1.a.wild.example.com. 300 IN CNAME _wrong.acm-validations.aws.'\n",
		"    - '_a1.twice.example.com.example.com. 300 IN CNAME _b2.xyz.acm-validations.aws.'\n",
	} {
		assert.Contains(t, y, want)
	}
	assert.NotContains(t, y, "unrelated.example.com.")
	assert.NotContains(t, y, "x.deep.ent.example.com.", "one name below an empty non-terminal is enough")
	assert.Equal(t, "_a1.twice.example.com.example.com.", entry(t, p, "arn:aws:acm:us-east-1:123456789012:certificate/t").records[0].Doubled)
	assert.Equal(t, "*.wild.example.com.", entry(t, p, "arn:aws:acm:us-east-1:123456789012:certificate/w").records[0].Wildcard)
	assert.Contains(t, p.Notes, "zone example.net ("+p.ZoneFiles[1]+") holds none of the certificates' names: not used")
}

func TestIDsAndResources(t *testing.T) {
	p, err := build(t, map[string]string{
		"a.json": describeDoc(arn1, "example.com", ""),
		"b.json": strings.Replace(describeDoc(arn2, "example.com", ""), `"InUseBy": ["arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/1"]`,
			`"InUseBy": ["arn:aws:cloudfront::123456789012:distribution/EDFDVBD6EXAMPLE", "arn:aws:apigateway:us-east-1::/domainnames/api.example.com"]`, 1),
		"c.json": describeDoc("arn:aws:acm:us-east-1:123456789012:certificate/c", "*.example.com", ""),
	}, map[string]string{"z": okZone})
	require.NoError(t, err)
	assert.Equal(t, "example-com-11111111", entry(t, p, arn1).ID)
	assert.Equal(t, "example-com-22222222", entry(t, p, arn2).ID)
	assert.Equal(t, "wildcard-example-com", entry(t, p, "arn:aws:acm:us-east-1:123456789012:certificate/c").ID)
	y := string(p.YAML)
	for _, want := range []string{
		"  - {id: apigateway-api-example-com, kind: apigateway, arn: arn:aws:apigateway:us-east-1::/domainnames/api.example.com}\n",
		"  - {id: cloudfront-EDFDVBD6EXAMPLE, kind: cloudfront, arn: arn:aws:cloudfront::123456789012:distribution/EDFDVBD6EXAMPLE}\n",
		"  - {id: elb-web, kind: elb, arn: arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/1}\n",
		"    in_use_by: [cloudfront-EDFDVBD6EXAMPLE, apigateway-api-example-com]\n",
		"    domain: '*.example.com'\n",
		"  account: \"123456789012\"\n  region: us-east-1\n",
	} {
		assert.Contains(t, y, want)
	}
}

func TestRoute53NameDecoding(t *testing.T) {
	for in, want := range map[string]string{
		`\052.example.com.`:  "*.example.com.",
		`a\055b.example.com`: "a-b.example.com.",
		`a\040b.example.com`: `a\032b.example.com.`,
		`a\056b.example.com`: `a\046b.example.com.`,
	} {
		got, err := decodeRoute53Name(in)
		assert.Empty(t, err, in)
		assert.Equal(t, want, got, in)
	}
	_, err := decodeRoute53Name(`bad\05`)
	assert.Equal(t, `"bad\\05": a backslash must start a three-digit octal escape like \052`, err)
}

// A validation record whose CNAME chain continues into a zone nobody gave
// cannot be judged; one that ends at ACM's own domain can.
func TestChainLeavingTheZones(t *testing.T) {
	zone := okZone + `_a1.out 300 IN CNAME _a1.out.validation.example.net.
_a1.acm 300 IN CNAME _other.xyz.acm-validations.aws.
`
	p, err := build(t, map[string]string{
		"out.json": describeDoc(arn1, "out.example.com", ""),
		"acm.json": describeDoc(arn2, "acm.example.com", ""),
	}, map[string]string{"z": zone})
	require.NoError(t, err)
	out := entry(t, p, arn1)
	assert.Equal(t, VerdictCannotTell, out.Verdict)
	assert.Equal(t, "no zone data for _a1.out.validation.example.net, where the validation record _a1.out.example.com. leads by CNAME", out.Reason)
	assert.True(t, entry(t, p, arn2).Simulated, "a wrong value under acm-validations.aws is judged")
}

// Nothing to simulate: no scenario, and every certificate still listed.
func TestNothingToSimulate(t *testing.T) {
	p, err := build(t, map[string]string{"a.json": describeDoc(arn1, "a.example.net", "")}, map[string]string{"z": okZone})
	require.NoError(t, err)
	assert.Nil(t, p.YAML)
	r := Assess(p, nil)
	require.Len(t, r.Certificates, 1)
	assert.Equal(t, VerdictCannotTell, r.Certificates[0].Verdict)
	assert.False(t, r.Failed())
}

// compareNames orders like the canonical order of RFC 4034 §6.1, as the
// straightforward split-and-lower-case comparison does.
func TestCompareNamesIsCanonical(t *testing.T) {
	slow := func(a, b string) int {
		la, lb := dns.SplitDomainName(a), dns.SplitDomainName(b)
		for i, j := len(la)-1, len(lb)-1; i >= 0 && j >= 0; i, j = i-1, j-1 {
			if c := strings.Compare(strings.ToLower(la[i]), strings.ToLower(lb[j])); c != 0 {
				return c
			}
		}
		return len(la) - len(lb)
	}
	names := []string{".", "", "example.com", "example.com.", "Example.COM", "www.example.com", "a.example.com.", "*.example.com",
		"example.org", "b.a.example.com", "xn--bcher-kva.example", "example", "com", "_x.example.com.", "A.B.C.D."}
	for _, a := range names {
		for _, b := range names {
			assert.Equal(t, sign(slow(a, b)), sign(compareNames(a, b)), "%q vs %q", a, b)
		}
	}
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}

// A name belongs to the deepest zone that holds it, whatever the order of
// the zones, and to none when no zone holds it.
func TestZoneLookupDeepest(t *testing.T) {
	parent, child, other := NewZone("example.com"), NewZone("child.example.com"), NewZone("example.org")
	for _, order := range [][]*Zone{{parent, child, other}, {other, child, parent}} {
		zi := newZoneIndex(order)
		for name, want := range map[string]*Zone{
			"www.example.com": parent, "example.com.": parent, "WWW.Example.COM": parent,
			"a.b.child.example.com": child, "child.example.com": child,
			"x.example.org.": other, "example.net": nil, "com": nil,
		} {
			got, why := zi.lookup(name)
			assert.Same(t, want, got, name)
			assert.Equal(t, want == nil, why != "", "%s: %s", name, why)
		}
	}
}

// One rule for DaysBeforeExpiry (issue 18 §3): what check accepts from
// get-account-configuration the scenario it writes accepts too, with the
// same days of Approaching Expiration events — from 1, with no maximum, as
// the API reference has it — and what one refuses the other refuses in the
// same words.
func TestDaysBeforeExpiryOneRule(t *testing.T) {
	for _, n := range []int{1, 45, 46, 50, 400, 5000} {
		p, err := build(t, map[string]string{
			"d.json": describeDoc(arn1, "a.example.com", ""),
			"c.json": fmt.Sprintf(`{"ExpiryEvents": {"DaysBeforeExpiry": %d}}`, n),
		}, map[string]string{"example.com.zone": okZone})
		require.NoError(t, err, n)
		assert.Contains(t, string(p.YAML), fmt.Sprintf("\ndays_before_expiry: %d ", n))
		sc, err := scenarios.Parse(p.File, p.YAML)
		require.NoError(t, err, n)
		want := min(n, 3650) // more days than any lifetime: from issue, all the same
		assert.Equal(t, want, sc.Profile.ApproachingDaysPublic, n)
		assert.Equal(t, want, sc.Profile.ApproachingDaysPrivate, n)
		assert.Equal(t, p.Profile.ApproachingDaysPublic, sc.Profile.ApproachingDaysPublic, n)
	}
	const refusal = "want a whole number of days from 1 (ExpiryEventsConfiguration's valid range: minimum 1, no maximum), got 0"
	_, err := Read(Input{ACM: []string{writeFiles(t, map[string]string{"c.json": `{"ExpiryEvents": {"DaysBeforeExpiry": 0}}`})}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), refusal)
	_, err = scenarios.Parse("t.yaml", []byte("name: t\nstart: 2026-03-01T00:00:00Z\ndays_before_expiry: 0\ncertificates: [{id: web, domain: example.com}]\n"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), refusal)
}

// A lifetime in days counts the validity period's last second, as ACM and
// RFC 5280 do: NotAfter may be written at 23:59:59 or at 00:00:00.
func TestLifetimeDays(t *testing.T) {
	nb := time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		notAfter time.Time
		want     int
	}{
		{nb.Add(395 * 24 * time.Hour), 395},
		{nb.Add(395*24*time.Hour - time.Second), 395},
		{nb.Add(198*24*time.Hour - time.Second), 198},
		{nb.Add(47 * 24 * time.Hour), 47},
	} {
		assert.Equal(t, tc.want, lifetimeDays(nb, tc.notAfter), tc.notAfter)
	}
}

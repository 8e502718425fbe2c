package fleet

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// writeFiles writes name -> content into a fresh directory and returns it.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644))
	}
	return dir
}

const okZone = `$ORIGIN example.com.
@ 300 IN SOA ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 300
@ 300 IN NS ns1.example.com.
`

// describeDoc is a describe-certificate output with fields replaced.
func describeDoc(arn, domain, extra string) string {
	return `{"Certificate": {"CertificateArn": "` + arn + `", "DomainName": "` + domain + `",
  "SubjectAlternativeNames": ["` + domain + `"],
  "DomainValidationOptions": [{"DomainName": "` + domain + `", "ValidationMethod": "DNS",
    "ResourceRecord": {"Name": "_a1.` + strings.TrimPrefix(domain, "*.") + `.", "Type": "CNAME", "Value": "_b2.xyz.acm-validations.aws."}}],
  "Status": "ISSUED", "Type": "AMAZON_ISSUED", "InUseBy": ["arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/1"],
  "NotBefore": "2026-03-01T00:00:00+00:00", "NotAfter": "2026-09-15T00:00:00+00:00"` + extra + `}}`
}

const arn1 = "arn:aws:acm:us-east-1:123456789012:certificate/11111111-1111-4111-8111-111111111111"
const arn2 = "arn:aws:acm:us-east-1:123456789012:certificate/22222222-2222-4222-8222-222222222222"

func TestTimestamps(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Time
	}{
		{`"2026-03-01T00:00:00+00:00"`, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)},
		{`"2026-03-01T09:00:00+09:00"`, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)},
		{`"2026-03-09T23:54:12.716000+00:00"`, time.Date(2026, 3, 9, 23, 54, 12, 716000000, time.UTC)},
		{`"2026-03-01T00:00:00Z"`, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)},
		{`1772323200`, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)},
		{`1772323200.0`, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)},
		{`1772323200.716`, time.Date(2026, 3, 1, 0, 0, 0, 716000000, time.UTC)},
		{`1.7723232E9`, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)},
	} {
		c := &collector{}
		docs := decodeJSON("t.json", []byte(`{"T": `+tc.in+`}`), c)
		require.Len(t, docs, 1, tc.in)
		got, ok := docs[0].timestamp("T", true)
		require.True(t, ok, "%s: %v", tc.in, c.err())
		assert.Equal(t, tc.want, got, tc.in)
	}
	for _, bad := range []string{`"March 1st"`, `true`, `-5`, `"2026-03-01"`, `{}`} {
		c := &collector{}
		docs := decodeJSON("t.json", []byte(`{"T": `+bad+`}`), c)
		_, ok := docs[0].timestamp("T", true)
		assert.False(t, ok, bad)
		require.Error(t, c.err(), bad)
		assert.Contains(t, c.err().Error(), `t.json: $.T: want a timestamp: an ISO 8601 string like "2026-03-01T00:00:00+00:00" or epoch seconds like 1772323200, got `, bad)
	}
}

// Every problem of every file is reported, with the file and the JSON path
// (or file:line:col for syntax, file:line for JSON Lines).
func TestReadACMProblems(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"truncated JSON", map[string]string{"d.json": "{\"Certificate\": {\"CertificateArn\": \"" + arn1 + "\",\n  \"DomainName\": \"a.example.com\",\n"},
			`D/d.json:3:1: truncated JSON: the file ends inside the value that starts at line 1 (was the export cut short?)`},
		{"syntax error", map[string]string{"d.json": "{\"Certificate\": {\n  \"DomainName\": \"a.example.com\" \"Status\": \"ISSUED\"}}"},
			`D/d.json:2:33: JSON syntax error: invalid character '"' after object key:value pair`},
		{"empty file", map[string]string{"d.json": "\n"}, `D/d.json: empty file: want the JSON the AWS CLI writes`},
		{"not an ACM export", map[string]string{"d.json": `{"ResourceRecordSets": []}`},
			`D/d.json: $: not an ACM export: want the output of aws acm describe-certificate ("Certificate"), list-certificates ("CertificateSummaryList") or get-account-configuration ("ExpiryEvents"); got an object with keys ResourceRecordSets`},
		{"wrong values, every one reported", map[string]string{"d.json": strings.NewReplacer(
			`"Status": "ISSUED"`, `"Status": "GONE"`,
			`"NotAfter": "2026-09-15T00:00:00+00:00"`, `"NotAfter": true`,
			`"Value": "_b2.xyz.acm-validations.aws."`, `"Value": 42`,
			`"Name": "_a1.a.example.com."`, `"Name": "_a1.b.example.com."`,
		).Replace(describeDoc(arn1, "a.example.com", `, "InUseBy": "alb"`))},
			`D/d.json: $.Certificate.Status: unknown value "GONE" (expected one of: PENDING_VALIDATION, ISSUED, INACTIVE, EXPIRED, VALIDATION_TIMED_OUT, REVOKED, FAILED)
D/d.json: $.Certificate.NotAfter: want a timestamp: an ISO 8601 string like "2026-03-01T00:00:00+00:00" or epoch seconds like 1772323200, got true
D/d.json: $.Certificate.InUseBy: want an array, got "alb"
D/d.json: $.Certificate.DomainValidationOptions[0].ResourceRecord.Value: want a string, got the number 42
D/d.json: $.Certificate.DomainValidationOptions[0].ResourceRecord.Name: want the validation record of a.example.com, a name under a.example.com. (like _<hash>.a.example.com.), got "_a1.b.example.com."`},
		{"missing members and a bad ARN", map[string]string{"d.json": `{"Certificate": {"CertificateArn": "arn:aws:acm:us-east-1:123:certificate/x", "Status": "ISSUED"}}`},
			`D/d.json: $.Certificate.CertificateArn: want an ACM certificate ARN like arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012, got "arn:aws:acm:us-east-1:123:certificate/x"
D/d.json: $.Certificate: missing DomainName
D/d.json: $.Certificate: missing Type
D/d.json: $.Certificate: missing NotBefore
D/d.json: $.Certificate: missing NotAfter`},
		{"JSON Lines give the line", map[string]string{"fleet.jsonl": oneLine(describeDoc(arn1, "a.example.com", "")) + "\n" +
			oneLine(strings.Replace(describeDoc(arn2, "b.example.com", ""), `"Type": "AMAZON_ISSUED"`, `"Type": "AMAZON"`, 1)) + "\n"},
			`D/fleet.jsonl:2: $.Certificate.Type: unknown value "AMAZON" (expected one of: AMAZON_ISSUED, PRIVATE, IMPORTED)`},
		{"a name that is not a name of the certificate", map[string]string{"d.json": strings.Replace(describeDoc(arn1, "a.example.com", ""), `[{"DomainName": "a.example.com"`, `[{"DomainName": "c.example.com"`, 1)},
			`D/d.json: $.Certificate.DomainValidationOptions[0].ResourceRecord.Name: want the validation record of c.example.com, a name under c.example.com. (like _<hash>.c.example.com.), got "_a1.a.example.com."
D/d.json: $.Certificate.DomainValidationOptions[0].DomainName: "c.example.com" is not a name of the certificate (its names: a.example.com)`},
		{"the same certificate described differently", map[string]string{
			"a.json": describeDoc(arn1, "a.example.com", ""),
			"b.json": strings.Replace(describeDoc(arn1, "a.example.com", ""), "2026-09-15", "2026-09-16", 1)},
			`D/b.json: $.Certificate.CertificateArn: ` + arn1 + ` is also described in D/a.json, differently (status, NotAfter or InUseBy): keep one export per certificate`},
		{"a resource ARN YAML could not hold", map[string]string{"d.json": strings.Replace(describeDoc(arn1, "a.example.com", ""), "app/web/1", "app/web/{1}", 1)},
			`D/d.json: $.Certificate.InUseBy[0]: want the ARN of the resource that uses the certificate, got "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/{1}"`},
		{"account configuration", map[string]string{"c.json": `{"ExpiryEvents": {"DaysBeforeExpiry": 0}}`},
			`D/c.json: $.ExpiryEvents.DaysBeforeExpiry: want a whole number of days from 1 (ExpiryEventsConfiguration's valid range: minimum 1, no maximum), got 0`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeFiles(t, tc.files)
			zones := writeFiles(t, map[string]string{"example.com.zone": okZone})
			f, err := Read(Input{ACM: []string{dir}, Zones: []ZoneSource{{Path: zones}}})
			require.Error(t, err)
			assert.Nil(t, f)
			assert.Equal(t, strings.ReplaceAll(tc.want, "D/", dir+"/"), err.Error())
		})
	}
}

func TestReadZoneProblems(t *testing.T) {
	gen := "$ORIGIN example.com.\n@ 300 IN SOA ns1.example.com. h.example.com. 1 2 3 4 5\n"
	for i := 0; i < 4; i++ {
		gen += "$GENERATE 1-65535 host" + string(rune('a'+i)) + "-$ 300 IN A 192.0.2.1\n"
	}
	for _, tc := range []struct {
		name  string
		files map[string]string
		pairs map[string]string // file -> zone name given with -zone
		want  string
	}{
		{"syntax error", map[string]string{"db.example.com": okZone + "www 300 IN A not-an-address\n"}, nil,
			`D/db.example.com:4:27: zone file syntax error: bad A A: "not-an-address"`},
		{"$INCLUDE refused", map[string]string{"db.example.com": okZone + "  $include other.zone\n"}, nil,
			`D/db.example.com:4:3: $INCLUDE is not supported: renewsim reads each zone from one file; put the included records in it`},
		{"relative names without an origin", map[string]string{"db.example.com": "@ 300 IN SOA ns1 hostmaster 1 2 3 4 5\n"}, nil,
			`D/db.example.com: relative names (or @) and no $ORIGIN: give the zone's name with -zone NAME=D/db.example.com`},
		{"no apex", map[string]string{"db": "www.example.com. 300 IN A 192.0.2.1\n"}, nil,
			`D/db: cannot tell the zone's name: no SOA or NS record; give it with -zone NAME=D/db`},
		{"-zone disagrees with the SOA", map[string]string{"db": okZone}, map[string]string{"db": "example.org"},
			`D/db: the zone's SOA is at example.com., but -zone names it example.org.`},
		{"$GENERATE beyond the cap", map[string]string{"db": gen}, nil,
			`D/db: more than 250000 records (a large $GENERATE range?): renewsim reads zones of up to 250000 records; export only the zones that hold your certificates' names`},
		{"Route 53 value", map[string]string{"z.json": `{"ResourceRecordSets": [
  {"Name": "example.com.", "Type": "SOA", "TTL": 900, "ResourceRecords": [{"Value": "ns. h. 1 2 3 4 5"}]},
  {"Name": "www.example.com.", "Type": "CAA", "TTL": 300, "ResourceRecords": [{"Value": "0 issue"}]},
  {"Name": "x.example.com.", "Type": "A"}
]}`}, nil,
			`D/z.json: $.ResourceRecordSets[2]: a record set needs ResourceRecords or an AliasTarget`},
		{"Route 53 bad value", map[string]string{"z.json": `{"ResourceRecordSets": [
  {"Name": "example.com.", "Type": "SOA", "TTL": 900, "ResourceRecords": [{"Value": "ns. h. 1 2 3 4 5"}]},
  {"Name": "www.example.com.", "Type": "A", "TTL": 300, "ResourceRecords": [{"Value": "300.1.1.1"}]}
]}`}, nil,
			`D/z.json: $.ResourceRecordSets[1].ResourceRecords[0].Value: not a valid A record value: bad A A: "300.1.1.1"`},
		{"only the list of hosted zones", map[string]string{"z.json": `{"HostedZones": [{"Id": "/hostedzone/Z1", "Name": "example.com.", "Config": {"PrivateZone": false}}]}`}, nil,
			`D/z.json: list-hosted-zones output names the zones but holds none of their records: export each public zone with aws route53 list-resource-record-sets --hosted-zone-id ID and pass those files too`},
		{"not a Route 53 export", map[string]string{"z.json": `{"Zones": []}`}, nil,
			`D/z.json: $: not a Route 53 export: want the output of aws route53 list-resource-record-sets ("ResourceRecordSets"), got an object`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			acm := writeFiles(t, map[string]string{"d.json": describeDoc(arn1, "a.example.com", "")})
			dir := writeFiles(t, tc.files)
			var srcs []ZoneSource
			for name := range tc.files {
				srcs = append(srcs, ZoneSource{Name: tc.pairs[name], Path: filepath.Join(dir, name)})
			}
			_, err := Read(Input{ACM: []string{acm}, Zones: srcs})
			require.Error(t, err)
			assert.Equal(t, strings.ReplaceAll(tc.want, "D/", dir+"/"), err.Error())
		})
	}
}

func TestRoute53Zone(t *testing.T) {
	dir := writeFiles(t, map[string]string{"z.json": `{"ResourceRecordSets": [
  {"Name": "example.com.", "Type": "NS", "TTL": 172800, "ResourceRecords": [{"Value": "ns-1.awsdns-00.com."}]},
  {"Name": "example.com.", "Type": "SOA", "TTL": 900, "ResourceRecords": [{"Value": "ns-1.awsdns-00.com. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400"}]},
  {"Name": "\\052.example.com.", "Type": "CNAME", "TTL": 300, "ResourceRecords": [{"Value": "lb.example.net"}]},
  {"Name": "www.example.com.", "Type": "A", "AliasTarget": {"HostedZoneId": "Z35SXDOTRQ7X7K", "DNSName": "dualstack.web.us-east-1.elb.amazonaws.com.", "EvaluateTargetHealth": false}},
  {"Name": "apex-alias.example.com.", "Type": "CNAME", "AliasTarget": {"HostedZoneId": "Z1", "DNSName": "\\052.example.com."}},
  {"Name": "deep.sub.example.com.", "Type": "TXT", "TTL": 60, "ResourceRecords": [{"Value": "\"hello\""}], "SetIdentifier": "x", "Weight": 10},
  {"Name": "child.example.com.", "Type": "NS", "TTL": 60, "ResourceRecords": [{"Value": "ns.elsewhere.net."}]}
], "MaxItems": "300", "IsTruncated": false}`})
	zs := &zoneSet{byApex: map[string]*Zone{}}
	c := &collector{}
	data, err := os.ReadFile(filepath.Join(dir, "z.json"))
	require.NoError(t, err)
	zs.readZone("z.json", data, "", c)
	require.NoError(t, c.err())
	z := zs.byApex["example.com."]
	require.NotNil(t, z)
	z.finish()

	assert.Equal(t, []string{"*.example.com. 300 IN CNAME lb.example.net."}, lines(z.records("*.example.com.")), "octal escape decoded, relative target made absolute")
	assert.Equal(t, []string{"www.example.com. 60 IN A 192.0.2.1"}, lines(z.records("www.example.com.")), "an alias outside the zone stands as a documentation address")
	assert.Equal(t, []string{"apex-alias.example.com. 300 IN CNAME lb.example.net."}, lines(z.records("apex-alias.example.com.")), "an alias to a record of the zone takes its records")
	assert.True(t, z.exists("sub.example.com."), "an empty non-terminal exists")
	assert.False(t, z.exists("nothing.sub.example.com."))
	assert.Equal(t, "*.example.com.", z.wildcard("_x.example.com."))
	assert.Equal(t, "", z.wildcard("_x.sub.example.com."), "the closest encloser sub.example.com has no wildcard")
	assert.Equal(t, "child.example.com.", z.delegation("_x.www.child.example.com."))
	assert.Equal(t, "", z.delegation("www.example.com."))
}

func lines(rrs []dns.RR) []string {
	var out []string
	for _, rr := range rrs {
		out = append(out, rrLine(rr))
	}
	return out
}

func oneLine(s string) string { return strings.ReplaceAll(s, "\n", " ") }

// get-account-configuration output may sit among the ACM exports; two
// that disagree are a problem.
func TestAccountConfigAmongACMFiles(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"a.json":              describeDoc(arn1, "a.example.com", ""),
		"account-config.json": `{"ExpiryEvents": {"DaysBeforeExpiry": 45}}`,
	})
	f, err := Read(Input{ACM: []string{dir}, Zones: []ZoneSource{{Path: writeFiles(t, map[string]string{"z": okZone})}}})
	require.NoError(t, err)
	require.NotNil(t, f.Account)
	assert.Equal(t, 45, f.Account.DaysBeforeExpiry)

	other := writeFiles(t, map[string]string{"c.json": `{"ExpiryEvents": {"DaysBeforeExpiry": 30}}`})
	_, err = Read(Input{ACM: []string{dir}, Account: filepath.Join(other, "c.json"), Zones: []ZoneSource{{Path: writeFiles(t, map[string]string{"z": okZone})}}})
	require.Error(t, err)
	assert.Equal(t, other+"/c.json: $.ExpiryEvents.DaysBeforeExpiry: 30 differs from 45 in "+dir+"/account-config.json: give one account configuration", err.Error())
}

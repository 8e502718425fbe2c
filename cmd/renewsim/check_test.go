package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const fleetDir = "../../examples/fleet"

// checkArgs are the command for the example fleet that the README and
// docs/check.md show.
func checkArgs(extra ...string) []string {
	return append([]string{"check", "-acm", fleetDir + "/acm", "-zones", fleetDir + "/zones",
		"-account-config", fleetDir + "/account-config.json", "-now", "2026-04-01T00:00:00Z"}, extra...)
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	goldenOf(t, "TestCheckExampleGolden", "the check of the example fleet", name, got)
}

// goldenOf compares got with testdata/name, or rewrites it with -update;
// test is the test that refreshes it, what says what changed.
func goldenOf(t *testing.T, test, what, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "no golden file: go test ./cmd/renewsim -run %s -update", test)
	assert.Equal(t, string(want), got, "%s changed; if that is intended: go test ./cmd/renewsim -run %s -update", what, test)
}

// The example fleet's text and JSON output are golden files; docs/check.md
// shows the text (TestDocsShowRealOutput).
func TestCheckExampleGolden(t *testing.T) {
	code, out, errs := renewsim(t, checkArgs()...)
	assert.Equal(t, 1, code, "some certificates of the example fleet will not renew: %s", errs)
	assert.Empty(t, errs)
	golden(t, "check-example.golden", out)

	code, out, errs = renewsim(t, checkArgs("-json")...)
	assert.Equal(t, 1, code, errs)
	golden(t, "check-example.json.golden", out)
	var doc struct {
		Counts       map[string]int `json:"counts"`
		Certificates []struct {
			ID, ARN, Verdict, Reason, Fix string
			Domains                       []string
			Date                          *time.Time
			Notes                         []string
		} `json:"certificates"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	assert.Equal(t, 16, doc.Counts["certificates"])
	assert.Len(t, doc.Certificates, 16)
	for _, c := range doc.Certificates {
		assert.NotEmpty(t, c.ID)
		assert.True(t, strings.HasPrefix(c.ARN, "arn:aws:acm:us-east-1:123456789012:certificate/"), c.ARN)
		assert.NotEmpty(t, c.Domains, c.ID)
		assert.NotEmpty(t, c.Reason, c.ID)
	}
}

// runJSON is the -json document of renewsim run, for comparing outcomes.
type runJSON struct {
	Scenarios []struct {
		Passed       bool `json:"passed"`
		Certificates []struct {
			ID        string     `json:"id"`
			ARN       string     `json:"arn"`
			Outcome   string     `json:"outcome"`
			RenewedAt *time.Time `json:"renewed_at"`
			ExpiredAt *time.Time `json:"expired_at"`
			Renewals  int        `json:"renewals"`
		} `json:"certificates"`
	} `json:"scenarios"`
}

type checkJSON struct {
	Certificates []struct {
		ID        string      `json:"id"`
		ARN       string      `json:"arn"`
		Simulated bool        `json:"simulated"`
		Verdict   string      `json:"verdict"`
		Date      *time.Time  `json:"date"`
		Renewals  []time.Time `json:"renewals"`
	} `json:"certificates"`
}

// The generated scenario loads with renewsim run and gives the same
// outcomes: the same certificates and ARNs, the same first renewal or
// expiry, as many renewals, and the same exit status.
func TestCheckScenarioRoundTrip(t *testing.T) {
	for _, args := range [][]string{
		checkArgs(),
		checkArgs("-profile", "cabf-2027"),
		{"check", "-acm", fleetDir + "/acm/describe-www.example.com.json", "-acm", fleetDir + "/acm/describe-intranet.example.com.json",
			"-zones", fleetDir + "/zones", "-now", "2026-04-01T00:00:00Z"},
	} {
		t.Run(strings.Join(args[len(args)-2:], " "), func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "fleet.yaml")
			code, out, errs := renewsim(t, append(args, "-json", "-scenario-out", file)...)
			require.NotEqual(t, 2, code, errs)
			var c checkJSON
			require.NoError(t, json.Unmarshal([]byte(out), &c))

			runCode, runOut, runErrs := renewsim(t, "run", "-json", file)
			assert.Equal(t, code, runCode, "run exits like check: %s", runErrs)
			var r runJSON
			require.NoError(t, json.Unmarshal([]byte(runOut), &r))
			require.Len(t, r.Scenarios, 1)
			runCerts := map[string]int{}
			for i, rc := range r.Scenarios[0].Certificates {
				runCerts[rc.ID] = i
			}
			simulated := 0
			for _, cc := range c.Certificates {
				i, ok := runCerts[cc.ID]
				if !cc.Simulated {
					assert.False(t, ok, "%s is not simulated, so not in the scenario", cc.ID)
					continue
				}
				simulated++
				require.True(t, ok, cc.ID)
				rc := r.Scenarios[0].Certificates[i]
				assert.Equal(t, cc.ARN, rc.ARN, cc.ID)
				assert.Equal(t, len(cc.Renewals), rc.Renewals, cc.ID)
				switch {
				case len(cc.Renewals) > 0:
					require.NotNil(t, rc.RenewedAt, cc.ID)
					assert.Equal(t, cc.Renewals[0], *rc.RenewedAt, cc.ID)
				case cc.Verdict == "expires":
					require.NotNil(t, rc.ExpiredAt, cc.ID)
					assert.Equal(t, *cc.Date, *rc.ExpiredAt, cc.ID)
					assert.Equal(t, "expired", rc.Outcome, cc.ID)
				}
			}
			assert.Equal(t, simulated, len(r.Scenarios[0].Certificates))
		})
	}
}

// A fleet where everything renews exits 0, and so does run on its scenario.
func TestCheckHealthyFleetExitsZero(t *testing.T) {
	file := filepath.Join(t.TempDir(), "fleet.yaml")
	code, out, errs := renewsim(t, "check", "-acm", fleetDir+"/acm/describe-www.example.com.json", "-acm", fleetDir+"/acm/describe-static.example.com.json",
		"-zones", fleetDir+"/zones/example.com.json", "-now", "2026-04-01T00:00:00Z", "-scenario-out", file)
	assert.Equal(t, 0, code, errs)
	assert.Contains(t, out, "✓ www.example.com  renews around 2026-08-10")
	assert.Contains(t, out, "2 renew, 0 expire, 0 already expired, 0 not issued, 0 cannot tell")
	code, _, errs = renewsim(t, "run", file)
	assert.Equal(t, 0, code, errs)
}

// The same describe outputs as one JSON Lines file, or as one JSON array,
// give the same check as the directory of files.
func TestCheckJSONLinesAndArray(t *testing.T) {
	_, want, _ := renewsim(t, checkArgs()...)
	files, err := filepath.Glob(fleetDir + "/acm/describe-*.json")
	require.NoError(t, err)
	require.Len(t, files, 16)
	var lines, items []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		var buf bytes.Buffer
		require.NoError(t, json.Compact(&buf, data))
		lines = append(lines, buf.String())
		items = append(items, buf.String())
	}
	dir := t.TempDir()
	jsonl := filepath.Join(dir, "fleet.jsonl")
	array := filepath.Join(dir, "fleet.json")
	require.NoError(t, os.WriteFile(jsonl, []byte(strings.Join(lines, "\n")+"\n"), 0o644))
	require.NoError(t, os.WriteFile(array, []byte("["+strings.Join(items, ",\n")+"]\n"), 0o644))
	for _, acm := range []string{jsonl, array} {
		code, out, errs := renewsim(t, "check", "-acm", acm, "-acm", fleetDir+"/acm/list-certificates.json", "-zones", fleetDir+"/zones",
			"-account-config", fleetDir+"/account-config.json", "-now", "2026-04-01T00:00:00Z")
		assert.Equal(t, 1, code, errs)
		assert.Equal(t, want, out, acm)
	}
}

// Same inputs, same bytes: twice, and at GOMAXPROCS 1 and 2, the output
// and the scenario are identical.
func TestCheckDeterministic(t *testing.T) {
	prev := runtime.GOMAXPROCS(0)
	defer runtime.GOMAXPROCS(prev)
	var outs, yamls []string
	for _, procs := range []int{1, 2, 2} {
		runtime.GOMAXPROCS(procs)
		file := filepath.Join(t.TempDir(), "fleet.yaml")
		_, out, errs := renewsim(t, checkArgs("-json", "-scenario-out", file)...)
		require.Empty(t, errs)
		y, err := os.ReadFile(file)
		require.NoError(t, err)
		outs = append(outs, out)
		yamls = append(yamls, string(y))
	}
	for i := 1; i < len(outs); i++ {
		assert.Equal(t, outs[0], outs[i])
		assert.Equal(t, yamls[0], yamls[i])
	}
}

// Unusable input: exit 2, every problem with its file and JSON path or
// line, and nothing run or written.
func TestCheckUnusableInput(t *testing.T) {
	www, err := os.ReadFile(fleetDir + "/acm/describe-www.example.com.json")
	require.NoError(t, err)
	other := strings.Replace(string(www), "22ada16a-bc1e-42dd-aa23-e6feefe06890", "00000000-0000-4000-8000-000000000000", 1)
	for _, tc := range []struct {
		name  string
		acm   map[string]string
		zones map[string]string
		want  string
	}{
		{"truncated JSON", map[string]string{"www.json": string(www[:len(www)/2])}, nil,
			"renewsim: unusable input:\nA/www.json:26:2: truncated JSON: the file ends inside the value that starts at line 1 (was the export cut short?)\n"},
		{"describe of an unknown ARN", map[string]string{"www.json": string(www), "other.json": other, "list.json": `{"CertificateSummaryList": [{"CertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/22ada16a-bc1e-42dd-aa23-e6feefe06890", "DomainName": "www.example.com"}]}`}, nil,
			"renewsim: unusable input:\nA/other.json: $.Certificate.CertificateArn: arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-4000-8000-000000000000 is not in the list-certificates output (A/list.json): the exports are stale or from another account or region — export both again, or leave the list out (the describe-certificate outputs alone are enough; list-certificates shows RSA certificates only unless given --includes keyTypes=…)\n"},
		{"zone file syntax error", map[string]string{"www.json": string(www)}, map[string]string{"db.example.com": "$ORIGIN example.com.\n@ 300 IN SOA ns1 hostmaster 1 2 3 4 5\nwww 300 IN AAAA 192.0.2.1\n"},
			"renewsim: unusable input:\nZ/db.example.com:3:25: zone file syntax error: bad AAAA AAAA: \"192.0.2.1\"\n"},
		{"problems in two files at once", map[string]string{"www.json": `{"Certificate": []}`}, map[string]string{"z.json": `{"ResourceRecordSets": [{"Name": "example.com.", "Type": "SOA", "TTL": "900"}]}`},
			"renewsim: unusable input:\nA/www.json: $.Certificate: want an object, got an array\nZ/z.json: $.ResourceRecordSets[0].TTL: want a whole number, got \"900\"\nZ/z.json: $.ResourceRecordSets[0]: a record set needs ResourceRecords or an AliasTarget\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			acm := t.TempDir()
			for n, c := range tc.acm {
				require.NoError(t, os.WriteFile(filepath.Join(acm, n), []byte(c), 0o644))
			}
			zones := fleetDir + "/zones"
			if tc.zones != nil {
				zones = t.TempDir()
				for n, c := range tc.zones {
					require.NoError(t, os.WriteFile(filepath.Join(zones, n), []byte(c), 0o644))
				}
			}
			out := filepath.Join(t.TempDir(), "fleet.yaml")
			code, stdout, errs := renewsim(t, "check", "-acm", acm, "-zones", zones, "-now", "2026-04-01T00:00:00Z", "-scenario-out", out)
			assert.Equal(t, 2, code)
			assert.Empty(t, stdout)
			assert.Equal(t, strings.NewReplacer("A/", acm+"/", "Z/", zones+"/").Replace(tc.want), errs)
			assert.NoFileExists(t, out, "nothing is written from unusable input")
		})
	}
}

func TestCheckUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"check"}, "renewsim: check: give the ACM exports with -acm and the zones with -zones or -zone, infrastructure code with -terraform or -cloudformation, or read the account with -aws\n"},
		{[]string{"check", "-acm", "x", "-zones", "y", "extra"}, "renewsim: check: unexpected argument \"extra\" (inputs are given with -acm, -zones, -zone, -terraform and -cloudformation)\n"},
		{checkArgs("-now", "yesterday"), "renewsim: -now: want an RFC 3339 time like 2026-04-01T00:00:00Z, got \"yesterday\"\n"},
		{checkArgs("-until", "2026-03-01T00:00:00Z"), "renewsim: -until (2026-03-01T00:00:00Z) is not after -now (2026-04-01T00:00:00Z)\n"},
		{checkArgs("-profile", "acm-2030"), "renewsim: -profile: unknown profile \"acm-2030\" (known: acm-2026, acm-cabf, acm-legacy, ari, cabf-2027, cabf-2029, fixed-30d, letsencrypt-2026, letsencrypt-2026+fixed-30d, letsencrypt-2026+two-thirds-jitter, two-thirds-jitter)\n"},
		{checkArgs("-zone", "example.com"), "renewsim: -zone: want NAME=FILE like example.com=db.example.com, got \"example.com\"\n"},
		{[]string{"check", "-acm", "/nonexistent", "-zones", fleetDir + "/zones"}, "renewsim: unusable input:\n/nonexistent: no such file or directory\n"},
	} {
		code, _, errs := renewsim(t, tc.args...)
		assert.Equal(t, 2, code, tc.args)
		assert.True(t, strings.HasSuffix(errs, tc.want), "%v: stderr %q does not end with %q", tc.args, errs, tc.want)
	}
	code, _, errs := renewsim(t, "check", "-h")
	assert.Equal(t, 0, code)
	assert.Contains(t, errs, "Usage: renewsim check -acm PATH -zones PATH | -terraform PATH | -cloudformation PATH | -aws [flags]")
}

// A BIND file named with -zone NAME=FILE may use relative names without
// $ORIGIN.
func TestCheckZonePair(t *testing.T) {
	zone := filepath.Join(t.TempDir(), "db")
	src, err := os.ReadFile(fleetDir + "/zones/example.org.zone")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(zone, []byte(strings.Replace(string(src), "$ORIGIN example.org.\n", "", 1)), 0o644))
	code, _, errs := renewsim(t, "check", "-acm", fleetDir+"/acm/describe-pay.example.org.json", "-zones", zone, "-now", "2026-04-01T00:00:00Z")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, zone+": relative names (or @) and no $ORIGIN: give the zone's name with -zone NAME="+zone)
	code, out, errs := renewsim(t, "check", "-acm", fleetDir+"/acm/describe-pay.example.org.json", "-zone", "example.org="+zone, "-now", "2026-04-01T00:00:00Z")
	assert.Equal(t, 1, code, errs)
	assert.Contains(t, out, "✗ pay.example.org  expires on 2026-09-16 because CAA forbids Amazon")
}

// sweep works on the generated scenario: the same fleet under other
// profiles.
func TestCheckScenarioSweeps(t *testing.T) {
	file := filepath.Join(t.TempDir(), "fleet.yaml")
	_, _, errs := renewsim(t, checkArgs("-scenario-out", file)...)
	require.Empty(t, errs)
	code, out, errs := renewsim(t, "sweep", file, "-vary", "profile=acm-2026,cabf-2029", "-json")
	assert.Equal(t, 0, code, errs)
	assert.Equal(t, 2, strings.Count(out, "\n"), out)
}

// When no certificate can be simulated, check still lists them all, runs
// nothing and writes no scenario.
func TestCheckNothingToSimulate(t *testing.T) {
	file := filepath.Join(t.TempDir(), "fleet.yaml")
	code, out, errs := renewsim(t, "check", "-acm", fleetDir+"/acm/describe-status.example.net.json", "-acm", fleetDir+"/acm/describe-promo.example.com.json",
		"-zones", fleetDir+"/zones", "-now", "2026-04-01T00:00:00Z", "-scenario-out", file)
	assert.Equal(t, 0, code, errs)
	assert.Equal(t, "renewsim: no certificate can be simulated, so no scenario is written to "+file+"\n", errs)
	assert.Contains(t, out, "? status.example.net  cannot tell: no zone data for status.example.net")
	assert.Contains(t, out, "✗ promo.example.com  already expired on 2026-03-03 (not simulated)")
	assert.NoFileExists(t, file)
}

// A check split with -shard i/n and joined with merge prints exactly what
// the whole check prints, text and JSON, whatever the order of the parts;
// a part missing, repeated or of another check is refused.
func TestCheckShardsMergeToTheSameBytes(t *testing.T) {
	_, whole, _ := renewsim(t, checkArgs()...)
	_, wholeJSON, _ := renewsim(t, checkArgs("-json")...)
	dir := t.TempDir()
	for _, n := range []int{2, 3, 5} {
		var parts []string
		for i := range n {
			code, out, errs := renewsim(t, checkArgs("-shard", fmt.Sprintf("%d/%d", i, n))...)
			require.Contains(t, []int{0, 1}, code, errs)
			path := filepath.Join(dir, fmt.Sprintf("part-%d-of-%d.json", i, n))
			require.NoError(t, os.WriteFile(path, []byte(out), 0o644))
			parts = append(parts, path)
		}
		slices.Reverse(parts)
		code, out, errs := renewsim(t, append([]string{"merge"}, parts...)...)
		assert.Equal(t, 1, code, errs)
		assert.Equal(t, whole, out, "%d parts", n)
		_, out, _ = renewsim(t, append([]string{"merge", "-json"}, parts...)...)
		assert.Equal(t, wholeJSON, out, "%d parts", n)
		if n == 3 {
			code, _, errs = renewsim(t, "merge", parts[0], parts[1])
			assert.Equal(t, 2, code)
			assert.Contains(t, errs, "is missing")
			code, _, errs = renewsim(t, "merge", parts[0], parts[1], parts[2], parts[0])
			assert.Equal(t, 2, code)
			assert.Contains(t, errs, "given twice")
		}
	}
	code, other, _ := renewsim(t, "check", "-acm", fleetDir+"/acm", "-zones", fleetDir+"/zones", "-now", "2026-05-01T00:00:00Z", "-shard", "1/2")
	require.Contains(t, []int{0, 1}, code)
	otherPath := filepath.Join(dir, "other.json")
	require.NoError(t, os.WriteFile(otherPath, []byte(other), 0o644))
	code, _, errs := renewsim(t, "merge", filepath.Join(dir, "part-0-of-2.json"), otherPath)
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "of another check")
	code, _, errs = renewsim(t, checkArgs("-shard", "2/2")...)
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "-shard")
}

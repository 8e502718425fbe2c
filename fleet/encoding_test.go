package fleet_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/renewsim/renewsim/fleet"
	"github.com/renewsim/renewsim/sim"
)

// encodings turn a UTF-8 export into what PowerShell and friends write.
var encodings = map[string]func([]byte) []byte{
	"utf-8 with BOM": func(b []byte) []byte { return append([]byte{0xEF, 0xBB, 0xBF}, b...) },
	"utf-16le with BOM": func(b []byte) []byte {
		return append([]byte{0xFF, 0xFE}, utf16Bytes(b, false)...)
	},
	"utf-16be with BOM": func(b []byte) []byte {
		return append([]byte{0xFE, 0xFF}, utf16Bytes(b, true)...)
	},
	"utf-16le without BOM": func(b []byte) []byte { return utf16Bytes(b, false) },
}

func utf16Bytes(b []byte, bigEndian bool) []byte {
	var out []byte
	for _, u := range utf16.Encode([]rune(string(b))) {
		hi, lo := byte(u>>8), byte(u)
		if bigEndian {
			out = append(out, hi, lo)
		} else {
			out = append(out, lo, hi)
		}
	}
	return out
}

// copyEncoded copies every file of the example fleet into a fresh
// directory, each re-encoded with enc.
func copyEncoded(t *testing.T, enc func([]byte) []byte) fleet.Input {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, filepath.WalkDir(example, func(path string, d os.DirEntry, err error) error {
		require.NoError(t, err)
		rel, _ := filepath.Rel(example, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dir, rel), 0o755)
		}
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		return os.WriteFile(filepath.Join(dir, rel), enc(data), 0o644)
	}))
	return fleet.Input{
		ACM:     []string{filepath.Join(dir, "acm")},
		Zones:   []fleet.ZoneSource{{Path: filepath.Join(dir, "zones")}},
		Account: filepath.Join(dir, "account-config.json"),
	}
}

// Exports written with a byte order mark, or in UTF-16, read as the UTF-8
// originals do: the same scenario, byte for byte, but for the file names
// in its comments. Route 53 JSON and BIND zone files alike.
func TestReadsBOMAndUTF16(t *testing.T) {
	f, err := fleet.Read(exampleInput())
	require.NoError(t, err)
	want, err := fleet.Build(f, fleet.Options{Now: now, Profile: sim.DefaultProfile})
	require.NoError(t, err)
	for name, enc := range encodings {
		t.Run(name, func(t *testing.T) {
			in := copyEncoded(t, enc)
			f, err := fleet.Read(in)
			require.NoError(t, err)
			got, err := fleet.Build(f, fleet.Options{Now: now, Profile: sim.DefaultProfile})
			require.NoError(t, err)
			assert.Equal(t, withoutComments(want.YAML), withoutComments(got.YAML))
		})
	}
}

func withoutComments(yaml []byte) string {
	var b strings.Builder
	for _, l := range strings.Split(string(yaml), "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "#") {
			b.WriteString(l + "\n")
		}
	}
	return b.String()
}

// The AWS CLI's other output formats, as `output = text` (or table, or
// yaml) in ~/.aws/config makes it write them, are told apart from broken
// JSON and from BIND zone files, with the fix.
func TestOtherCLIOutputFormats(t *testing.T) {
	for _, tc := range []struct {
		name, content, format string
		zone                  bool
	}{
		{"describe text", "CERTIFICATE\t2026-03-01T00:00:00+00:00\tarn:aws:acm:us-east-1:123456789012:certificate/1\texample.com\n", "text", false},
		{"list text", "CERTIFICATESUMMARYLIST\tarn:aws:acm:us-east-1:123456789012:certificate/1\texample.com\n", "text", false},
		{"query text", "arn:aws:acm:us-east-1:123456789012:certificate/1\tarn:aws:acm:us-east-1:123456789012:certificate/2\n", "text", false},
		{"describe table", "-----------------------------\n|    DescribeCertificate    |\n+---------------------------+\n", "table", false},
		{"describe yaml", "Certificate:\n  CertificateArn: arn:aws:acm:us-east-1:123456789012:certificate/1\n", "yaml", false},
		{"account yaml", "ExpiryEvents:\n  DaysBeforeExpiry: 45\n", "yaml", false},
		{"records text", "RESOURCERECORDSETS\texample.com.\t172800\tNS\nRESOURCERECORDS\tns-1.awsdns-1.com.\n", "text", true},
		{"records table", "------------------------------\n|   ListResourceRecordSets   |\n+----------------------------+\n", "table", true},
		{"records yaml", "ResourceRecordSets:\n- Name: example.com.\n  Type: NS\n", "yaml", true},
		{"records utf-16 text", string(encodings["utf-16le with BOM"]([]byte("RESOURCERECORDSETS\texample.com.\t172800\tNS\n"))), "text", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeDir(t, map[string]string{"x.json": tc.content, "ok.json": `{"Certificate": {}}`})
			in := fleet.Input{ACM: []string{filepath.Join(dir, "x.json")}}
			if tc.zone {
				in = fleet.Input{ACM: []string{filepath.Join(dir, "ok.json")}, Zones: []fleet.ZoneSource{{Path: filepath.Join(dir, "x.json")}}}
			}
			_, err := fleet.Read(in)
			require.Error(t, err)
			assert.Contains(t, err.Error(), filepath.Join(dir, "x.json")+":1:1: this looks like `--output "+tc.format+"`; re-run the command with `--output json`")
			assert.NotContains(t, err.Error(), "invalid character")
		})
	}
	// A BIND zone file and broken JSON are still what they are.
	dir := writeDir(t, map[string]string{"db": "$ORIGIN example.com.\n@ 300 IN SOA ns1 h 1 2 3 4 5\n@ 300 IN NS ns1\n", "bad.json": "Certificate\n"})
	_, err := fleet.Read(fleet.Input{ACM: []string{filepath.Join(dir, "bad.json")}, Zones: []fleet.ZoneSource{{Path: filepath.Join(dir, "db")}}})
	require.Error(t, err)
	assert.Equal(t, filepath.Join(dir, "bad.json")+":1:1: JSON syntax error: invalid character 'C' looking for beginning of value", err.Error())
}

func writeDir(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644))
	}
	return dir
}

// A UTF-16 file cut in the middle of a character says so.
func TestUTF16CutShort(t *testing.T) {
	data := encodings["utf-16le with BOM"]([]byte(`{"ExpiryEvents": {"DaysBeforeExpiry": 45}}`))
	dir := writeDir(t, map[string]string{"a.json": string(data[:len(data)-1])})
	_, err := fleet.Read(fleet.Input{ACM: []string{filepath.Join(dir, "a.json")}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "a.json: UTF-16 text with an odd number of bytes: the file was cut short; export it again")
}

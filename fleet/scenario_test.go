package fleet

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

// plain says what the regular expression it replaced said: a letter or an
// underscore, then letters, digits, ._/@+- and colons each followed by one
// of those.
func TestPlainScalar(t *testing.T) {
	re := regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9._/@+-]*(:[A-Za-z0-9._/@+-]+)*$`)
	alphabet := []string{"a", "Z", "_", "0", ".", "/", "@", "+", "-", ":", " ", "#", "'", "é", ","}
	var walk func(prefix string, depth int)
	walk = func(prefix string, depth int) {
		assert.Equal(t, re.MatchString(prefix), plain(prefix), "%q", prefix)
		if depth == 0 {
			return
		}
		for _, a := range alphabet {
			walk(prefix+a, depth-1)
		}
	}
	walk("", 4)
	for _, s := range []string{"arn:aws:acm:us-east-1:123456789012:certificate/abc", "_x.example.com.", "a::b", "a:", "a: b", "1abc"} {
		assert.Equal(t, re.MatchString(s), plain(s), s)
	}
}

// A large JSON Lines export decoded in two halves at once gives the values
// and lines of one pass; a large file whose halves do not decode alone (a
// pretty-printed array, a syntax error) is read whole, its error where it
// is.
// ys quotes a wildcard name exactly as the YAML encoder does, and every
// scalar it writes reads back as itself.
func TestScalarQuoting(t *testing.T) {
	for _, s := range []string{"*.example.com", "*.a", "*.svc0.zone0.example", "*.x_y.example.", "*", "*.", "*.a b", "*.a'b", "*a.b",
		"example.com", "yes", "No", "on", "null", "a: b", "#x", "x,y", "[a]", "arn:aws:acm:us-east-1:1:certificate/x", "_0.x.example.", "1.2.3.4", "-a", "",
		"arn:aws:apigateway:us-east-1::/domainnames/api.example.com", "arn:aws:apigateway:us-east-1::/restapis/abc/stages/prod", "a::b", "a:::b", "arn::x", "abcdef::"} {
		got := ys(s)
		if strings.HasPrefix(s, "*.") && plain(s[2:]) || strings.Contains(s, "::") {
			out, err := yaml.Marshal(s)
			require.NoError(t, err)
			assert.Equal(t, strings.TrimSuffix(string(out), "\n"), got, "%q", s)
		}
		var back map[string]string
		require.NoError(t, yaml.Unmarshal([]byte("k: "+got), &back), "%q -> %s", s, got)
		assert.Equal(t, s, back["k"], "%q -> %s", s, got)
		require.NoError(t, yaml.Unmarshal([]byte("k: {v: "+got+"}"), new(map[string]map[string]string)), "%q in a flow mapping", s)
	}
}

func TestDecodeJSONInHalves(t *testing.T) {
	var lines, pretty strings.Builder
	pretty.WriteString("[\n")
	for i := range 20000 {
		fmt.Fprintf(&lines, "{\"Certificate\": {\"CertificateArn\": \"arn:%d\", \"DomainName\": \"d%d.example.com\"}}\n", i, i)
		if i%3 == 0 {
			lines.WriteString("\n") // blank lines move the line numbers on
		}
		fmt.Fprintf(&pretty, "{\"n\": %d, \"pad\": \"%s\"},\n", i, strings.Repeat("x", 60))
	}
	pretty.WriteString("{\"n\": -1}\n]\n")
	for name, data := range map[string][]byte{"lines": []byte(lines.String()), "pretty": []byte(pretty.String())} {
		require.Greater(t, len(data), 1<<20, name)
		whole, wholeLines, _, err := decodeValues(data, 1)
		require.NoError(t, err, name)
		values, valueLines, ok := decodeHalves(data)
		if name == "pretty" {
			assert.False(t, ok, "an array cut in two does not decode")
			continue
		}
		require.True(t, ok)
		assert.Equal(t, whole, values)
		assert.Equal(t, wholeLines, valueLines)
		got := decodeJSON("f.jsonl", data, &collector{})
		require.Len(t, got, len(whole))
		assert.Equal(t, wholeLines[len(whole)-1], got[len(got)-1].d.line)
	}
	bad := []byte(lines.String())
	at := len(bad) * 3 / 4
	at += bytes.IndexByte(bad[at:], '\n') + 1
	bad = slices.Concat(bad[:at], []byte("{\"Certificate\": }\n"), bad[at:])
	c := &collector{}
	assert.Nil(t, decodeJSON("f.jsonl", bad, c))
	require.NotEmpty(t, c.probs)
	assert.Equal(t, 1+bytes.Count(bad[:at], []byte("\n")), c.probs[0].Line, "the error where it is")
}

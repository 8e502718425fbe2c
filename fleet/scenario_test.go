package fleet

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
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

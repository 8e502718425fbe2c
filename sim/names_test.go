package sim

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// ValidLabel says what the regular expressions it replaced said, with
// and without underscores.
func TestValidLabel(t *testing.T) {
	hostname := regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$`)
	record := regexp.MustCompile(`^[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$`)
	check := func(l string) {
		assert.Equal(t, hostname.MatchString(l), ValidLabel(l, false), "%q", l)
		assert.Equal(t, record.MatchString(l), ValidLabel(l, true), "%q", l)
	}
	alphabet := []string{"a", "Z", "0", "9", "-", "_", ".", " ", "é", "*"}
	var walk func(prefix string, depth int)
	walk = func(prefix string, depth int) {
		check(prefix)
		if depth == 0 {
			return
		}
		for _, a := range alphabet {
			walk(prefix+a, depth-1)
		}
	}
	walk("", 4)
	for _, n := range []int{61, 62, 63, 64, 65} {
		check(strings.Repeat("a", n))
		check("a" + strings.Repeat("-", n-2) + "b")
		check("_" + strings.Repeat("x", n-1))
	}
}

package result

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// foldKey stands for strings.EqualFold in the e-mail counts: two strings
// must share a key exactly when EqualFold holds.
func TestFoldKeyAgreesWithEqualFold(t *testing.T) {
	words := []string{
		"", "a", "A", "admin@example.com", "ADMIN@Example.COM", "admin@example.co",
		"k", "K", "\u212a", // Kelvin sign
		"s", "S", "\u017f", // long s
		"ss", "ß", "ẞ",
		"σ", "Σ", "ς",
		"\xff", "\xfe", "\ufffd", "a\xffb", "A\xfeB",
		"ǅ", "ǆ", "Ǆ",
	}
	for _, a := range words {
		for _, b := range words {
			assert.Equal(t, strings.EqualFold(a, b), foldKey(a) == foldKey(b), "%q and %q", a, b)
		}
	}
}

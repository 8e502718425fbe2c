package report

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// maskAttempts stands for the digits regexp in story.
func TestMaskAttemptsIsTheRegexp(t *testing.T) {
	for _, s := range []string{
		"", "attempt", "attempt ", "attempt x", "attempt 1", "attempt 12: example.com not validated",
		"reattempt 5", "_attempt 5", "Attempt 5", "attempt 5attempt 6", "attempt 5 attempt 6",
		"attempt attempt 3", "xattempt 3 attempt 4", "é attempt 12", "éattempt 12", "9attempt 1",
		"attempt 1: a\\nattempt 2: b", "attempt 1\nattempt 2", "(attempt 7)", "attempt 00012x",
		"renewed: new certificate 01:02 valid until 2027-01-01T00:00:00Z",
	} {
		assert.Equal(t, digits.ReplaceAllString(s, "#"), maskAttempts(s), "%q", s)
	}
}

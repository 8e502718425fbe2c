package sim

import (
	"math/rand/v2"
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

// ParseCertARN and ValidID say what the regular expressions they replaced
// said: on ARNs mutated at random a character at a time, and on every id
// of up to four characters over a small alphabet.
func TestParseCertARNAndValidID(t *testing.T) {
	arnRE := regexp.MustCompile(`^arn:(aws[a-z-]*):acm:([a-z0-9-]+):([0-9]{12}):certificate/([A-Za-z0-9-]+)$`)
	check := func(s string) {
		a, ok := ParseCertARN(s)
		m := arnRE.FindStringSubmatch(s)
		if !assert.Equal(t, m != nil, ok, "%q", s) || m == nil {
			return
		}
		assert.Equal(t, CertARN{Partition: m[1], Region: m[2], Account: m[3], ID: m[4]}, a, "%q", s)
	}
	seeds := []string{
		"arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012",
		"arn:aws-us-gov:acm:us-gov-west-1:123456789012:certificate/abc",
		"arn:aws-cn:acm:cn-north-1:000000000000:certificate/A-b-9",
	}
	alphabet := "a:/-0Z_ .c9A\xc3"
	rng := rand.New(rand.NewPCG(1, 2))
	for _, s := range seeds {
		check(s)
		for range 20000 {
			b := []byte(s)
			for range 1 + rng.IntN(3) {
				i := rng.IntN(len(b) + 1)
				switch c := alphabet[rng.IntN(len(alphabet))]; rng.IntN(3) {
				case 0:
					b = append(b[:i], append([]byte{c}, b[i:]...)...)
				case 1:
					if i < len(b) {
						b = append(b[:i], b[i+1:]...)
					}
				default:
					if i < len(b) {
						b[i] = c
					}
				}
			}
			check(string(b))
		}
	}
	idRE := regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]*$`)
	var walk func(prefix string, depth int)
	walk = func(prefix string, depth int) {
		assert.Equal(t, idRE.MatchString(prefix), ValidID(prefix), "%q", prefix)
		if depth == 0 {
			return
		}
		for _, c := range []string{"a", "Z", "0", "_", "-", ".", " ", "é"} {
			walk(prefix+c, depth-1)
		}
	}
	walk("", 4)
}

package sim

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// digest derives stable bytes from the seed and some labels: identifiers in a
// run (ARNs, serials, validation records, event ids) are functions of the
// seed and of what they name, never of the order things happened in.
func digest(seed uint64, parts ...string) [32]byte {
	h := sha256.New()
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], seed)
	h.Write(b[:])
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	var out [32]byte
	h.Sum(out[:0])
	return out
}

// BaseName is the name a validation record belongs to: the name without a
// leading "*.", so *.example.com and example.com share one record.
func BaseName(name string) string {
	return strings.TrimPrefix(strings.ToLower(strings.TrimSuffix(name, ".")), "*.")
}

// ValidationRecord is the CNAME ACM asks for name: `_<32 hex>.<name>.` →
// `_<32 hex>.<10 letters>.acm-validations.aws.`. It belongs to the domain and
// the account, so it is the same for every certificate and every renewal.
func ValidationRecord(seed uint64, account, name string) (recordName, value string) {
	base := BaseName(name)
	d := digest(seed, "validation-record", account, base)
	label := make([]byte, 10)
	for i := range label {
		label[i] = 'a' + d[16+i]%26
	}
	v := digest(seed, "validation-value", account, base)
	return "_" + hex.EncodeToString(d[:16]) + "." + base + ".",
		"_" + hex.EncodeToString(v[:16]) + "." + string(label) + ".acm-validations.aws."
}

// CNAMEMatches tells whether a CNAME target found in DNS is the value ACM
// expects. ACM tolerates a missing leading underscore and a missing trailing
// dot, and DNS names compare case-insensitively.
func CNAMEMatches(found, expected string) bool {
	norm := func(s string) string {
		return strings.TrimPrefix(strings.TrimSuffix(strings.TrimSpace(s), "."), "_")
	}
	return found != "" && strings.EqualFold(norm(found), norm(expected))
}

// IDNProblem explains why ACM refuses to renew name under its Punycode rule,
// or returns "": a label starting with "<c><c>--" must be "xn--", and an
// "xn--" label must be a valid internationalised name.
func IDNProblem(name string) string {
	first := strings.SplitN(BaseName(name), ".", 2)[0]
	if len(first) < 4 || first[2:4] != "--" {
		return ""
	}
	if !strings.HasPrefix(first, "xn--") {
		return fmt.Sprintf("%q starts with %q but not with \"xn--\"", name, first[:4])
	}
	if u, ok := decodePunycode(first[4:]); !ok || !validULabel(u) {
		return fmt.Sprintf("%q is not a valid internationalised domain name", name)
	}
	return ""
}

// validULabel approximates IDNA's round trip: a valid label decodes to
// letters, marks, digits and hyphens with no upper-case letter (IDNA maps
// those to lower case, so an encoding of them never comes back unchanged)
// and at least one non-ASCII character.
func validULabel(u string) bool {
	nonASCII := false
	for _, r := range u {
		switch {
		case r >= 0x80:
			nonASCII = true
		case r == '-':
			continue
		}
		if unicode.IsUpper(r) || unicode.IsTitle(r) {
			return false
		}
		if !unicode.IsLetter(r) && !unicode.IsMark(r) && !unicode.IsDigit(r) && r != '-' {
			return false
		}
	}
	return nonASCII
}

// decodePunycode decodes the part of an "xn--" label after the prefix
// (RFC 3492). It exists to tell valid labels from invalid ones; the
// simulator never needs the Unicode form otherwise.
func decodePunycode(s string) (string, bool) {
	const (
		base, tmin, tmax, skew, damp = 36, 1, 26, 38, 700
		initialBias, initialN        = 72, 128
	)
	var out []rune
	if i := strings.LastIndexByte(s, '-'); i >= 0 {
		for _, c := range s[:i] {
			if c >= 0x80 {
				return "", false
			}
			out = append(out, c)
		}
		s = s[i+1:]
	}
	if s == "" {
		return "", false
	}
	n, bias, i := rune(initialN), int32(initialBias), int32(0)
	for pos := 0; pos < len(s); {
		oldi, w := i, int32(1)
		for k := int32(base); ; k += base {
			if pos >= len(s) {
				return "", false
			}
			c := s[pos]
			pos++
			var digit int32
			switch {
			case c >= '0' && c <= '9':
				digit = int32(c-'0') + 26
			case c >= 'a' && c <= 'z':
				digit = int32(c - 'a')
			case c >= 'A' && c <= 'Z':
				digit = int32(c - 'A')
			default:
				return "", false
			}
			if digit > (1<<31-1-i)/w {
				return "", false
			}
			i += digit * w
			t := k - bias
			if t < tmin {
				t = tmin
			} else if t > tmax {
				t = tmax
			}
			if digit < t {
				break
			}
			if w > (1<<31-1)/(base-t) {
				return "", false
			}
			w *= base - t
		}
		numPoints := int32(len(out) + 1)
		delta := i - oldi
		if oldi == 0 {
			delta /= damp
		} else {
			delta /= 2
		}
		delta += delta / numPoints
		k := int32(0)
		for delta > ((base-tmin)*tmax)/2 {
			delta /= base - tmin
			k += base
		}
		bias = k + (base-tmin+1)*delta/(delta+skew)
		n += rune(i / numPoints)
		i %= numPoints
		if n > utf8.MaxRune || (n >= 0xD800 && n <= 0xDFFF) || n < 0x80 {
			return "", false
		}
		out = append(out, 0)
		copy(out[i+1:], out[i:])
		out[i] = n
		i++
	}
	return string(out), true
}

// ValidLabel tells whether l is one DNS label: 1 to 63 ASCII letters,
// digits and hyphens, not starting or ending with a hyphen; with
// underscore, underscores count as letters (record names such as
// _acme.example.com). A scan, not a regular expression: checks read every
// label of every name of a fleet.
func ValidLabel(l string, underscore bool) bool {
	extra := "-"
	if underscore {
		extra = "-_"
	}
	return len(l) > 0 && len(l) <= 63 && l[0] != '-' && l[len(l)-1] != '-' && onlyBytes(l, alnumBytes, extra)
}

// CertARN is an ACM certificate ARN taken apart.
type CertARN struct {
	Partition, Region, Account, ID string
}

// ParseCertARN takes apart an ACM certificate ARN,
// arn:PARTITION:acm:REGION:ACCOUNT:certificate/ID: a partition "aws"
// perhaps followed by lower-case letters and hyphens, a region of
// lower-case letters, digits and hyphens, a 12-digit account and an id of
// letters, digits and hyphens; ok is false for anything else. A scan, not
// a regular expression: checks read one for every certificate of a fleet.
func ParseCertARN(s string) (a CertARN, ok bool) {
	rest, found := strings.CutPrefix(s, "arn:")
	if !found {
		return a, false
	}
	var field [3]string
	for i := range field {
		j := strings.IndexByte(rest, ':')
		if j < 0 {
			return a, false
		}
		field[i], rest = rest[:j], rest[j+1:]
	}
	part, service, region := field[0], field[1], field[2]
	account, id, found := strings.Cut(rest, ":certificate/")
	switch {
	case !found, service != "acm", !strings.HasPrefix(part, "aws"), !onlyBytes(part[3:], lowerBytes, "-"),
		region == "", !onlyBytes(region, lowerBytes|digitBytes, "-"), !ValidAccount(account),
		id == "", !onlyBytes(id, alnumBytes, "-"):
		return a, false
	}
	return CertARN{Partition: part, Region: region, Account: account, ID: id}, true
}

// ValidID tells whether s is an id of a scenario's certificate or
// resource: a letter or a digit, then letters, digits, '_' and '-'.
func ValidID(s string) bool {
	return s != "" && onlyBytes(s[:1], alnumBytes, "") && onlyBytes(s, alnumBytes, "_-")
}

// The byte classes onlyBytes accepts.
const (
	lowerBytes = 1 << iota // a-z
	upperBytes             // A-Z
	digitBytes             // 0-9
	alnumBytes = lowerBytes | upperBytes | digitBytes
)

// onlyBytes tells whether every byte of s is in one of classes or among
// extra.
func onlyBytes(s string, classes int, extra string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case classes&lowerBytes != 0 && 'a' <= c && c <= 'z',
			classes&upperBytes != 0 && 'A' <= c && c <= 'Z',
			classes&digitBytes != 0 && '0' <= c && c <= '9':
		case strings.IndexByte(extra, c) >= 0:
		default:
			return false
		}
	}
	return true
}

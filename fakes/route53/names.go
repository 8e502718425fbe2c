package route53

import (
	"crypto/sha256"
	"encoding/base32"
	"fmt"
	"slices"
	"strings"
)

// Names on the wire. Route 53 takes a name with or without its final dot,
// in any case, with any character written as a backslash and three octal
// digits (\052 for "*"); it answers in lower case, fully qualified, with
// every character but a-z, 0-9, "-", "_" and "." written so (API
// reference, "DNS domain name format"). The backend sees plain names:
// lower case, fully qualified, unescaped.

// plainName reads a name as Route 53 takes it. ok is false for an empty
// name, an empty label or a bad escape.
func plainName(s string) (string, bool) {
	s = strings.TrimSpace(s)
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' {
			if i+4 > len(s) {
				return "", false
			}
			n := 0
			for _, d := range s[i+1 : i+4] {
				if d < '0' || d > '7' {
					return "", false
				}
				n = n*8 + int(d-'0')
			}
			if n > 255 {
				return "", false
			}
			b.WriteByte(byte(n))
			i += 3
			continue
		}
		b.WriteByte(c)
	}
	n := strings.ToLower(b.String())
	if n != "." {
		n = strings.TrimSuffix(n, ".")
		if n == "" || slices.Contains(strings.Split(n, "."), "") {
			return "", false
		}
		n += "."
	}
	return n, true
}

// wireName writes a plain name as Route 53 answers it.
func wireName(name string) string {
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '-', c == '_', c == '.':
			b.WriteByte(c)
		case c >= 'A' && c <= 'Z':
			b.WriteByte(c + 'a' - 'A')
		default:
			fmt.Fprintf(&b, "\\%03o", c)
		}
	}
	return b.String()
}

// sortKey orders names as Route 53 lists them: by their labels reversed
// ("www.example.com." sorts as "com.example.www"), compared as written on
// the wire.
func sortKey(name string) string {
	labels := strings.Split(strings.TrimSuffix(wireName(name), "."), ".")
	slices.Reverse(labels)
	return strings.Join(labels, ".")
}

// inZone reports whether name is the zone's apex or below it.
func inZone(name, zone string) bool {
	return name == zone || zone == "." || strings.HasSuffix(name, "."+zone)
}

// zoneID is a zone's ID, derived from its name and kind so that it is the
// same on every run: "Z" and 20 characters of A-Z and 2-7, like Route 53's
// (which are 13 to 32 characters of A-Z and 0-9).
func zoneID(z Zone) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("renewsim/route53 zone\x00%s\x00%t", z.Name, z.Private)))
	return "Z" + base32.StdEncoding.EncodeToString(sum[:])[:20]
}

// changeID is the ID of the n-th accepted change batch.
func changeID(n int) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("renewsim/route53 change\x00%d", n)))
	return "C" + base32.StdEncoding.EncodeToString(sum[:])[:20]
}

// vpcID is the made-up VPC of a private zone.
func vpcID(z Zone) string {
	sum := sha256.Sum256([]byte("renewsim/route53 vpc\x00" + z.Name))
	return fmt.Sprintf("vpc-%x", sum[:8])
}

package sim

import (
	"fmt"
	"strconv"
	"strings"
)

// shareForms says how a share of the lifetime may be written, for
// messages: every setting that takes a share (the profile's renew_at and
// renew_jitter, a probe alarm's expires_within) reads all three forms.
const shareForms = ShareForms

// ShareForms is shareForms for the loader's messages.
const ShareForms = "a share of the lifetime like 2/3, 0.05 or 5%"

// ParseShare reads a share of the lifetime as every setting writes it: a
// fraction (1/3), a decimal (0.33) or a percentage (33%), at least 0 and
// below 1; the error says which forms it takes. Callers that need more
// (above 0) check the result.
func ParseShare(s string) (Share, error) { return parseShare(s) }

// percentShare reads the number of a percentage (33, 33.5, 0.25: at most
// four decimals, so the share has at most six, as a decimal share may)
// as an exact share.
func percentShare(s string, bad error) (Share, error) {
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" || len(whole) > 2 || len(frac) > 4 || strings.Trim(whole+frac, "0123456789") != "" {
		return Share{}, bad
	}
	num, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil {
		return Share{}, bad
	}
	den := int64(100)
	for range frac {
		den *= 10
	}
	return Share{num, den}, nil
}

// Percent writes the share as the percentage it is exactly (33%, 33.5%),
// or as its fraction in lowest terms when no percentage with at most four
// decimals is (1/3). ParseShare reads either back as the same share.
func (s Share) Percent() string {
	if s.Den <= 0 || s.Num <= 0 {
		return "0%"
	}
	num, den := s.Num*100, s.Den
	for decimals := 0; decimals <= 4; decimals++ {
		if num%den == 0 {
			p := num / den
			if decimals == 0 {
				return fmt.Sprintf("%d%%", p)
			}
			text := fmt.Sprintf("%0*d", decimals+1, p)
			return text[:len(text)-decimals] + "." + text[len(text)-decimals:] + "%"
		}
		num *= 10
	}
	return s.String()
}

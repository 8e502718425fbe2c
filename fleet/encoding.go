package fleet

import (
	"bytes"
	"regexp"
	"unicode/utf16"
	"unicode/utf8"
)

// Byte order marks. PowerShell's `>` writes UTF-16 LE with a BOM (Windows
// PowerShell 5) or UTF-8 with a BOM (Out-File -Encoding utf8), and both
// reach check as exports of the AWS CLI.
var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// toUTF8 returns data as UTF-8 without a byte order mark: UTF-8 with or
// without a BOM as it is, UTF-16 (LE or BE, told by its BOM, or without
// one by the NUL bytes an ASCII export has) converted. A UTF-16 file cut
// in the middle of a character is a problem.
func toUTF8(file string, data []byte, c *collector) ([]byte, bool) {
	switch {
	case bytes.HasPrefix(data, bomUTF8):
		return data[len(bomUTF8):], true
	case bytes.HasPrefix(data, bomUTF16LE):
		return fromUTF16(file, data[2:], false, c)
	case bytes.HasPrefix(data, bomUTF16BE):
		return fromUTF16(file, data[2:], true, c)
	case len(data) >= 4 && data[0] != 0 && data[1] == 0 && data[2] != 0 && data[3] == 0:
		return fromUTF16(file, data, false, c)
	case len(data) >= 4 && data[0] == 0 && data[1] != 0 && data[2] == 0 && data[3] != 0:
		return fromUTF16(file, data, true, c)
	}
	return data, true
}

func fromUTF16(file string, data []byte, bigEndian bool, c *collector) ([]byte, bool) {
	if len(data)%2 != 0 {
		c.at(file, 0, 0, "UTF-16 text with an odd number of bytes: the file was cut short; export it again")
		return nil, false
	}
	units := make([]uint16, len(data)/2)
	for i := range units {
		hi, lo := data[2*i+1], data[2*i]
		if bigEndian {
			hi, lo = lo, hi
		}
		units[i] = uint16(hi)<<8 | uint16(lo)
	}
	out := make([]byte, 0, len(units))
	for _, r := range utf16.Decode(units) {
		out = utf8.AppendRune(out, r)
	}
	return out, true
}

// The shapes of the AWS CLI's other output formats, told apart by their
// first line: `--output table` draws a box (a line of dashes, then one
// starting with |), `--output text` starts with an upper-case key and a
// tab (CERTIFICATE, CERTIFICATESUMMARYLIST, RESOURCERECORDSETS, …) or with
// a bare ARN when --query picked values, and `--output yaml` with a
// top-level key of the JSON output (Certificate:, ResourceRecordSets:, …)
// or a list item. None of them starts a JSON value or a BIND zone file's
// line.
var (
	tableFirstRE = regexp.MustCompile(`^-{3,}\s*$`)
	tableNextRE  = regexp.MustCompile(`^[|+]`)
	textFirstRE  = regexp.MustCompile(`^(?:[A-Z][A-Z0-9]+\t|arn:aws)`)
	yamlFirstRE  = regexp.MustCompile(`^(?:[A-Z][A-Za-z0-9]*:(?:\s|$)|- [A-Z][A-Za-z0-9]*:(?:\s|$)|---\s*$)`)
)

// cliFormat names the AWS CLI output format data looks like when it is
// not JSON ("text", "table" or "yaml"), or "".
func cliFormat(data []byte) string {
	var lines [][]byte
	for _, l := range bytes.Split(data, []byte("\n")) {
		l = bytes.TrimRight(l, "\r")
		if len(bytes.TrimSpace(l)) == 0 {
			continue
		}
		lines = append(lines, l)
		if len(lines) == 2 {
			break
		}
	}
	if len(lines) == 0 {
		return ""
	}
	first := lines[0]
	switch {
	case tableFirstRE.Match(first) && len(lines) > 1 && tableNextRE.Match(lines[1]):
		return "table"
	case textFirstRE.Match(first):
		return "text"
	case yamlFirstRE.Match(first):
		if bytes.Equal(bytes.TrimSpace(first), []byte("---")) && (len(lines) < 2 || !yamlFirstRE.Match(lines[1])) {
			return ""
		}
		return "yaml"
	}
	return ""
}

// notJSON reports data that is another output format of the AWS CLI, and
// tells whether it was.
func notJSON(file string, data []byte, c *collector) bool {
	if t := bytes.TrimSpace(data); len(t) > 0 && (t[0] == '{' || t[0] == '[') {
		return false
	}
	f := cliFormat(data)
	if f == "" {
		return false
	}
	c.at(file, 1, 1, "this looks like `--output %s`; re-run the command with `--output json` (or set output = json in ~/.aws/config)", f)
	return true
}

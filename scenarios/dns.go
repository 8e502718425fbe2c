package scenarios

import (
	"fmt"
	"strings"
	"unicode"
)

// dnsTable is how the dns mapping is read: the zone the fake DNS server
// starts with.
var dnsTable = newKeyTable("dns", []keyRow[build]{
	{key: "records", read: (*loader).dnsRecords},
})

func (l *loader) dns(b *build, f *field) {
	if dm := dnsTable.mapping(l, f.val, f.vpos); dm != nil {
		dnsTable.read(l, b, dm, b)
	}
}

func (l *loader) dnsRecords(b *build, _ *build, f *field) {
	for i, s := range l.stringList(f) {
		if strings.TrimSpace(s.s) == "" {
			l.errf(s.pos, "records: item %d is blank", i+1)
			continue
		}
		if !l.zoneText(b, s.pos, fmt.Sprintf("records: item %d", i+1), s.s) {
			continue
		}
		b.sc.DNSRecords = append(b.sc.DNSRecords, s.s)
		b.sc.DNSLines = append(b.sc.DNSLines, max(s.line, 0))
	}
}

// maxZoneLines bounds the zone-file lines of a scenario, dns.records and
// dns-add together: far more records than any zone a scenario is about,
// few enough that the fake DNS server loads them in a moment.
const maxZoneLines = 100_000

// zoneText checks what the loader can see of zone-file text, whose records
// the runner parses: no $GENERATE or $INCLUDE (a scenario lists each record
// it needs, in the file), and not more than maxZoneLines lines in all. It
// reports a problem as what at p and tells whether the text may be used.
func (l *loader) zoneText(b *build, p pos, what, text string) bool {
	lines := 0
	for line := range strings.Lines(text) {
		// The zone parser drops a carriage return wherever it stands;
		// any other space ends the word here, which refuses a little more
		// than the parser would read as a directive, never less.
		word := strings.TrimLeftFunc(strings.ReplaceAll(line, "\r", ""), unicode.IsSpace)
		if i := strings.IndexFunc(word, unicode.IsSpace); i >= 0 {
			word = word[:i]
		}
		switch strings.ToUpper(word) {
		case "$GENERATE":
			l.errf(p, "%s: $GENERATE is not supported: list each record the scenario needs", what)
			return false
		case "$INCLUDE":
			l.errf(p, "%s: $INCLUDE is not supported: a scenario holds its records itself and reads no other file", what)
			return false
		default:
			if word != "" && !strings.HasPrefix(word, ";") {
				lines++
			}
		}
	}
	b.zoneLines += lines
	if b.zoneLines > maxZoneLines && !b.zoneFull {
		b.zoneFull = true
		l.errf(p, "%s: the scenario's zone holds more than %d zone-file lines (dns.records and dns-add together)", what, maxZoneLines)
	}
	return !b.zoneFull
}

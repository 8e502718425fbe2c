package fleet

import (
	"bytes"
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/miekg/dns"
)

// maxZoneRecords bounds the records of one zone file: $GENERATE can make
// many, and only the names of certificates are ever looked at.
const maxZoneRecords = 250_000

// noOrigin is the origin a BIND file is parsed with when the user gave no
// zone name: finding it in a record proves the file uses relative names
// without $ORIGIN.
const noOrigin = "no-origin.renewsim.invalid."

// Route 53 alias records have no address in the export; these documentation
// addresses (RFC 5737, RFC 3849) stand for them, so that the name exists.
const (
	aliasA    = "192.0.2.1"
	aliasAAAA = "2001:db8::1"
)

// ZoneSource is one zone input: a file or directory, and the zone's name
// when the user gave it (-zone NAME=FILE).
type ZoneSource struct {
	Name string
	Path string
}

// Zone is the records of one DNS zone, from one or more files.
type Zone struct {
	Apex   string   // canonical (lower case) with the trailing dot
	Files  []string // where its records came from
	owners map[string][]dns.RR
	sorted []string          // owner names in canonical order
	below  map[string]string // name -> its first descendant owner (canonical order)
	notes  map[string]string // owner -> what stands in for a Route 53 alias there
}

func newZone(apex string) *Zone {
	return &Zone{Apex: canonical(apex), owners: map[string][]dns.RR{}, below: map[string]string{}, notes: map[string]string{}}
}

// contains tells whether name is the apex or below it.
func (z *Zone) contains(name string) bool {
	name = canonical(name)
	return name == z.Apex || len(name) > len(z.Apex) && name[len(name)-len(z.Apex)-1] == '.' && strings.HasSuffix(name, z.Apex)
}

// canonical is dns.CanonicalName (ASCII lower case, fully qualified)
// without a copy of a name that already is: nearly every name a check
// looks up is, many times per certificate.
func canonical(name string) string {
	if !dns.IsFqdn(name) {
		return dns.CanonicalName(name)
	}
	for i := 0; i < len(name); i++ {
		if 'A' <= name[i] && name[i] <= 'Z' {
			return dns.CanonicalName(name)
		}
	}
	return name
}

func (z *Zone) add(rr dns.RR) {
	h := rr.Header()
	h.Name = canonical(h.Name)
	for _, old := range z.owners[h.Name] {
		if dns.IsDuplicate(old, rr) {
			return
		}
	}
	z.owners[h.Name] = append(z.owners[h.Name], rr)
}

// finish sorts the owners and notes, for each name above an owner, its
// first descendant: an empty non-terminal must stay NODATA, not NXDOMAIN.
func (z *Zone) finish() {
	z.sorted = z.sorted[:0]
	for n := range z.owners {
		z.sorted = append(z.sorted, n)
	}
	slices.SortFunc(z.sorted, compareNames)
	clear(z.below)
	for _, n := range z.sorted {
		for a := parent(n); a != "" && z.contains(a); a = parent(a) {
			if _, ok := z.below[a]; !ok {
				z.below[a] = n
			}
			if a == z.Apex {
				break
			}
		}
	}
}

// records are the records at owner, in the order read.
func (z *Zone) records(owner string) []dns.RR { return z.owners[canonical(owner)] }

// exists tells whether name exists in the zone: it has records or names
// below it.
func (z *Zone) exists(name string) bool {
	name = canonical(name)
	return len(z.owners[name]) > 0 || z.below[name] != ""
}

// delegation is the name at or above name (below the apex) with NS
// records: the data for name then lives in another zone. "" when none.
func (z *Zone) delegation(name string) string {
	for n := canonical(name); n != "" && n != z.Apex && z.contains(n); n = parent(n) {
		for _, rr := range z.owners[n] {
			if rr.Header().Rrtype == dns.TypeNS {
				return n
			}
		}
	}
	return ""
}

// wildcard is the wildcard owner that answers for name when name does not
// exist (RFC 4592: at the closest encloser), or "".
func (z *Zone) wildcard(name string) string {
	name = canonical(name)
	if z.exists(name) {
		return ""
	}
	for a := parent(name); a != "" && z.contains(a); a = parent(a) {
		if z.exists(a) {
			if w := "*." + a; len(z.owners[w]) > 0 {
				return w
			}
			return ""
		}
	}
	return ""
}

// cnameAt is the target of the CNAME that answers for name (its own, or a
// wildcard's), "" when none does.
func (z *Zone) cnameAt(name string) string {
	rrs := z.records(name)
	if len(rrs) == 0 {
		if w := z.wildcard(name); w != "" {
			rrs = z.records(w)
		}
	}
	for _, rr := range rrs {
		if cn, ok := rr.(*dns.CNAME); ok {
			return cn.Target
		}
	}
	return ""
}

// parent is name without its first label ("" above the root).
func parent(name string) string {
	if name == "." || name == "" {
		return ""
	}
	i := strings.IndexByte(name, '.')
	if i < 0 || i == len(name)-1 {
		return "."
	}
	return name[i+1:]
}

// compareNames orders names canonically (RFC 4034 6.1): label by label from
// the right, so a zone's apex comes before its children.
func compareNames(a, b string) int {
	// Label by label from the right, without splitting or lower-casing
	// copies: sorting a fleet compares names a few hundred thousand times.
	a, b = strings.TrimSuffix(a, "."), strings.TrimSuffix(b, ".")
	for a != "" && b != "" {
		la, lb := a, b
		if i := strings.LastIndexByte(a, '.'); i >= 0 {
			la, a = a[i+1:], a[:i]
		} else {
			a = ""
		}
		if i := strings.LastIndexByte(b, '.'); i >= 0 {
			lb, b = b[i+1:], b[:i]
		} else {
			b = ""
		}
		if c := compareFold(la, lb); c != 0 {
			return c
		}
	}
	return labelCount(a) - labelCount(b)
}

// compareFold compares ASCII case-insensitively, as strings.Compare of the
// lower-cased strings would.
func compareFold(a, b string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		ca, cb := lower(a[i]), lower(b[i])
		if ca != cb {
			return cmp.Compare(ca, cb)
		}
	}
	return cmp.Compare(len(a), len(b))
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func labelCount(s string) int {
	if s == "" {
		return 0
	}
	return strings.Count(s, ".") + 1
}

// rrLine writes rr as a one-line zone-file record with single spaces.
func rrLine(rr dns.RR) string {
	h := rr.Header()
	rdata := strings.TrimPrefix(rr.String(), h.String())
	return h.Name + " " + strconv.FormatUint(uint64(h.Ttl), 10) + " IN " + dns.TypeToString[h.Rrtype] + " " + rdata
}

// zoneSet gathers zones by apex while reading.
type zoneSet struct {
	byApex  map[string]*Zone
	order   []string
	private []PrivateZone
	// listings are the files of list-hosted-zones output that name
	// public zones.
	listings []string
}

// PrivateZone is a private hosted zone that list-hosted-zones showed: ACM
// validates through public DNS, so its records never decide a renewal.
type PrivateZone struct {
	Name   string // canonical, with the trailing dot
	ID     string // the hosted zone's Id, without /hostedzone/
	Source string
}

func (s *zoneSet) zone(apex, file string) *Zone {
	apex = canonical(apex)
	z := s.byApex[apex]
	if z == nil {
		z = newZone(apex)
		s.byApex[apex] = z
		s.order = append(s.order, apex)
	}
	if !slices.Contains(z.Files, file) {
		z.Files = append(z.Files, file)
	}
	return z
}

// readZone reads one zone file, Route 53 JSON or BIND, told apart by its
// first character.
func (s *zoneSet) readZone(file string, data []byte, name string, c *collector) {
	if t := bytes.TrimSpace(data); len(t) > 0 && (t[0] == '{' || t[0] == '[') {
		s.readRoute53(file, data, name, c)
		return
	}
	s.readBIND(file, data, name, c)
}

// route53Set is one ResourceRecordSet as read.
type route53Set struct {
	v          jv
	name, typ  string
	ttl        int
	values     []jv
	aliasName  string
	aliasFound bool
}

// readRoute53 reads `aws route53 list-resource-record-sets` output.
func (s *zoneSet) readRoute53(file string, data []byte, name string, c *collector) {
	docs := decodeJSON(file, data, c)
	if len(docs) == 0 {
		return
	}
	if len(docs) > 1 {
		c.at(file, docs[1].d.line, 0, "more than one JSON value: give each page of list-resource-record-sets in its own file")
		return
	}
	root := docs[0]
	if m, ok := root.v.(map[string]any); ok && m["HostedZones"] != nil && m["ResourceRecordSets"] == nil {
		s.readHostedZones(root)
		return
	}
	if _, ok := root.v.(map[string]any); !ok || root.v.(map[string]any)["ResourceRecordSets"] == nil {
		root.d.bad(root.path, "not a Route 53 export: want the output of aws route53 list-resource-record-sets (\"ResourceRecordSets\"), got %s", describe(root.v))
		return
	}
	before := len(c.probs)
	var sets []route53Set
	for _, v := range root.list("ResourceRecordSets") {
		if !v.object() {
			continue
		}
		rs := route53Set{v: v, ttl: 300}
		if n, ok := v.str("Name", true); ok {
			dec, err := decodeRoute53Name(n)
			if err != "" {
				v.d.bad(v.path+".Name", "%s", err)
			}
			rs.name = dec
		}
		rs.typ, _ = v.str("Type", true)
		if ttl, ok := v.integer("TTL", false); ok {
			rs.ttl = ttl
		}
		rs.values = v.list("ResourceRecords")
		if at, ok := v.get("AliasTarget"); ok && at.object() {
			rs.aliasName, rs.aliasFound = at.str("DNSName", true)
		}
		if len(rs.values) == 0 && !rs.aliasFound && rs.name != "" && rs.typ != "" {
			v.d.bad(v.path, "a record set needs ResourceRecords or an AliasTarget")
		}
		sets = append(sets, rs)
	}
	if len(c.probs) > before {
		return
	}
	apex := name
	soa := ""
	for _, rs := range sets {
		if rs.typ == "SOA" && soa == "" {
			soa = rs.name
		}
	}
	switch {
	case apex != "" && soa != "" && canonical(soa) != canonical(apex):
		root.d.bad(root.path, "the zone's SOA is at %s, but -zone names it %s", soa, dns.Fqdn(apex))
		return
	case apex == "" && soa != "":
		apex = soa
	case apex == "":
		apex = shortestNS(sets)
		if apex == "" {
			c.at(file, 0, 0, "cannot tell the zone's name: no SOA or NS record set; give it with -zone NAME=%s", file)
			return
		}
	}
	z := s.zone(dns.Fqdn(apex), file)
	for _, rs := range sets {
		if !z.contains(rs.name) {
			rs.v.d.bad(rs.v.path+".Name", "%s is outside the zone %s", rs.name, z.Apex)
			continue
		}
		for _, val := range rs.values {
			if !val.object() {
				continue
			}
			text, ok := val.str("Value", true)
			if !ok {
				continue
			}
			line := fmt.Sprintf("%s %d IN %s %s", zoneOwner(rs.name), rs.ttl, rs.typ, text)
			rr, err := dns.NewRR(line)
			if err != nil || rr == nil {
				val.d.bad(val.path+".Value", "not a valid %s record value: %s", rs.typ, dnsErrText(err))
				continue
			}
			z.add(rr)
		}
	}
	// Aliases last: one pointing at a record of the zone takes its records.
	for _, rs := range sets {
		if !rs.aliasFound || !z.contains(rs.name) {
			continue
		}
		s.addAlias(z, rs)
	}
}

// readHostedZones reads `aws route53 list-hosted-zones` output: it holds
// no records, only which zones are private.
func (s *zoneSet) readHostedZones(root jv) {
	for _, hz := range root.list("HostedZones") {
		if !hz.object() {
			continue
		}
		name, okName := hz.str("Name", true)
		id, okID := hz.str("Id", true)
		cfg, ok := hz.get("Config")
		if !okName || !okID || !ok || !cfg.object() {
			continue
		}
		private, _ := cfg.boolean("PrivateZone")
		if private == nil || !*private {
			if !slices.Contains(s.listings, root.d.file) {
				s.listings = append(s.listings, root.d.file)
			}
			continue
		}
		dec, bad := decodeRoute53Name(name)
		if bad != "" {
			hz.d.bad(hz.path+".Name", "%s", bad)
			continue
		}
		s.private = append(s.private, PrivateZone{Name: canonical(dec), ID: strings.TrimPrefix(id, "/hostedzone/"), Source: sourceOf(hz.d)})
	}
}

func (s *zoneSet) addAlias(z *Zone, rs route53Set) {
	owner := canonical(rs.name)
	t, ok := dns.StringToType[rs.typ]
	if !ok {
		rs.v.d.bad(rs.v.path+".Type", "unknown record type %q", rs.typ)
		return
	}
	target, _ := decodeRoute53Name(rs.aliasName)
	target = canonical(target)
	copied := false
	if z.contains(target) {
		for _, rr := range z.owners[target] {
			if rr.Header().Rrtype == t {
				cp := dns.Copy(rr)
				cp.Header().Name = owner
				z.add(cp)
				copied = true
			}
		}
	}
	if copied {
		z.notes[owner] = fmt.Sprintf("%s %s is a Route 53 alias to %s: its records are copied", owner, rs.typ, target)
		return
	}
	var line string
	switch t {
	case dns.TypeA:
		line = fmt.Sprintf("%s 60 IN A %s", zoneOwner(owner), aliasA)
	case dns.TypeAAAA:
		line = fmt.Sprintf("%s 60 IN AAAA %s", zoneOwner(owner), aliasAAAA)
	default:
		z.notes[owner] = fmt.Sprintf("%s %s is a Route 53 alias to %s, outside the zone data: left out", owner, rs.typ, target)
		return
	}
	rr, err := dns.NewRR(line)
	if err != nil {
		rs.v.d.bad(rs.v.path, "alias record: %s", dnsErrText(err))
		return
	}
	z.add(rr)
	z.notes[owner] = fmt.Sprintf("%s %s is a Route 53 alias to %s: %s stands for its addresses", owner, rs.typ, target, strings.Fields(rr.String())[4])
}

func shortestNS(sets []route53Set) string {
	best := ""
	for _, rs := range sets {
		if rs.typ == "NS" && (best == "" || len(dns.SplitDomainName(rs.name)) < len(dns.SplitDomainName(best))) {
			best = rs.name
		}
	}
	return best
}

// decodeRoute53Name undoes Route 53's octal escapes (\052 for "*") and
// writes the name as a zone file does (RFC 1035 decimal escapes for
// anything but letters, digits, '-', '_' and '*').
func decodeRoute53Name(s string) (string, string) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		ch, escaped := s[i], false
		if ch == '\\' {
			n, err := strconv.ParseUint(s[i+1:min(i+4, len(s))], 8, 8)
			if err != nil || i+4 > len(s) {
				return s, fmt.Sprintf("%q: a backslash must start a three-digit octal escape like \\052", s)
			}
			ch, escaped = byte(n), true
			i += 3
		}
		switch {
		case ch >= 'a' && ch <= 'z', ch >= 'A' && ch <= 'Z', ch >= '0' && ch <= '9', ch == '-', ch == '_', ch == '*', ch == '.' && !escaped:
			b.WriteByte(ch)
		default:
			fmt.Fprintf(&b, "\\%03d", ch)
		}
	}
	return dns.Fqdn(b.String()), ""
}

// zoneOwner is name as an owner in a zone-file line.
func zoneOwner(name string) string { return dns.Fqdn(name) }

var includeRE = regexp.MustCompile(`(?im)^[ \t]*\$INCLUDE\b`)

// findInclude is includeRE.FindIndex(data), which only runs where a
// "$INCLUDE" (in any case) stands somewhere in the file: a fleet has
// thousands of zone files, and nearly none has one.
func findInclude(data []byte) []int {
	for rest := data; ; {
		i := bytes.IndexByte(rest, '$')
		if i < 0 {
			return nil
		}
		rest = rest[i+1:]
		if len(rest) >= 7 && bytes.EqualFold(rest[:7], []byte("INCLUDE")) {
			return includeRE.FindIndex(data)
		}
	}
}

// readBIND reads a BIND zone file.
func (s *zoneSet) readBIND(file string, data []byte, name string, c *collector) {
	if loc := findInclude(data); loc != nil {
		p := lineCol(data, loc[0]+bytes.IndexByte(data[loc[0]:], '$'))
		c.at(file, p.line, p.col, "$INCLUDE is not supported: renewsim reads each zone from one file; put the included records in it")
		return
	}
	origin := noOrigin
	if name != "" {
		origin = dns.Fqdn(name)
	}
	zp := dns.NewZoneParser(bytes.NewReader(data), origin, file)
	zp.SetDefaultTTL(300)
	var rrs []dns.RR
	relative := false
	for rr, ok := zp.Next(); ok; rr, ok = zp.Next() {
		if len(rrs) == maxZoneRecords {
			c.at(file, 0, 0, "more than %d records (a large $GENERATE range?): renewsim reads zones of up to %d records; export only the zones that hold your certificates' names", maxZoneRecords, maxZoneRecords)
			return
		}
		if strings.HasSuffix(canonical(rr.Header().Name), noOrigin) {
			relative = true
		}
		if rr.Header().Class != dns.ClassINET {
			c.at(file, 0, 0, "record %q is of class %s: only IN is supported", rr.String(), dns.Class(rr.Header().Class))
			return
		}
		rrs = append(rrs, rr)
	}
	if err := zp.Err(); err != nil {
		line, col, msg := parseErrorPosition(err)
		c.at(file, line, col, "zone file syntax error: %s", msg)
		return
	}
	if relative {
		c.at(file, 0, 0, "relative names (or @) and no $ORIGIN: give the zone's name with -zone NAME=%s", file)
		return
	}
	apex := origin
	var soa string
	for _, rr := range rrs {
		if rr.Header().Rrtype == dns.TypeSOA && soa == "" {
			soa = rr.Header().Name
		}
	}
	switch {
	case name != "" && soa != "" && canonical(soa) != canonical(name):
		c.at(file, 0, 0, "the zone's SOA is at %s, but -zone names it %s", soa, dns.Fqdn(name))
		return
	case name == "" && soa != "":
		apex = soa
	case name == "":
		apex = ""
		for _, rr := range rrs {
			if rr.Header().Rrtype == dns.TypeNS && (apex == "" || dns.CountLabel(rr.Header().Name) < dns.CountLabel(apex)) {
				apex = rr.Header().Name
			}
		}
		if apex == "" {
			c.at(file, 0, 0, "cannot tell the zone's name: no SOA or NS record; give it with -zone NAME=%s", file)
			return
		}
	}
	if len(rrs) == 0 {
		c.at(file, 0, 0, "no records in the zone file")
		return
	}
	z := s.zone(apex, file)
	for _, rr := range rrs {
		if z.contains(rr.Header().Name) { // out-of-zone data is ignored, as name servers do
			z.add(rr)
		}
	}
}

var parseErrRE = regexp.MustCompile(`^(?:.*?: )?dns: (.*) at line: (\d+):(\d+)$`)

// parseErrorPosition takes line, column and message out of a miekg/dns
// parse error ("file: dns: bad CNAME Target: \"x\" at line: 3:10").
func parseErrorPosition(err error) (int, int, string) {
	msg := err.Error()
	if m := parseErrRE.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[2])
		col, _ := strconv.Atoi(m[3])
		return line, col, m[1]
	}
	return 0, 0, strings.TrimPrefix(msg, "dns: ")
}

func dnsErrText(err error) string {
	if err == nil {
		return "no record in it"
	}
	_, _, msg := parseErrorPosition(err)
	return msg
}

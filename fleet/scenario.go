package fleet

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/miekg/dns"
	"go.yaml.in/yaml/v3"

	"github.com/renewsim/renewsim/sim"
)

// maxChainHops bounds how far a validation record's CNAME chain is
// followed through the zones (ACM follows 5; one more shows the overflow).
const maxChainHops = 8

// scenarioTypes maps ACM's certificate types to the scenario's.
var scenarioTypes = map[string]string{
	"AMAZON_ISSUED": sim.TypeAmazonIssued,
	"PRIVATE":       sim.TypePrivate,
	"IMPORTED":      sim.TypeImported,
}

// zoneRecords gathers the records the scenario needs, per zone and owner.
type zoneRecords struct {
	zones  []*Zone
	owners map[string]map[string][]string // apex -> owner -> record lines
	notes  map[string]map[string]string   // apex -> owner -> comment
}

// include adds what z holds at owner and returns those records: the
// records there; for an empty non-terminal, the records of one name below
// it (so the name stays NODATA, not NXDOMAIN); for a name a wildcard
// answers, the wildcard's records under the name.
func (zr *zoneRecords) include(z *Zone, owner string) []dns.RR {
	owner = canonical(owner)
	if zr.owners[z.Apex] == nil {
		zr.owners[z.Apex] = map[string][]string{}
		zr.notes[z.Apex] = map[string]string{}
		zr.zones = append(zr.zones, z)
	}
	add := func(at string, rrs []dns.RR, note string) {
		if _, done := zr.owners[z.Apex][at]; done {
			return
		}
		lines := make([]string, len(rrs))
		for i, rr := range rrs {
			lines[i] = rrLine(rr)
		}
		zr.owners[z.Apex][at] = lines
		if note == "" {
			note = z.notes[at]
		}
		if note != "" {
			zr.notes[z.Apex][at] = note
		}
	}
	if rrs := z.records(owner); len(rrs) > 0 {
		add(owner, rrs, "")
		return rrs
	}
	if below := z.below[owner]; below != "" {
		add(below, z.records(below), fmt.Sprintf("%s has no records but this name below it: it exists (NODATA, not NXDOMAIN)", owner))
		return nil
	}
	if w := z.wildcard(owner); w != "" {
		var out []dns.RR
		for _, rr := range z.records(w) {
			cp := dns.Copy(rr)
			cp.Header().Name = owner
			out = append(out, cp)
		}
		add(owner, out, fmt.Sprintf("%s does not exist: the wildcard %s answers for it (records copied)", owner, w))
		return out
	}
	return nil
}

// collectRecords picks, for every simulated certificate ACM validates, the
// records that decide its renewal: at each name and every ancestor up to
// the zone's apex (CAA), at each validation record and along its CNAME
// chain inside the zones, and under a doubled suffix.
func collectRecords(p *Plan, zones *zoneIndex) *zoneRecords {
	zr := &zoneRecords{owners: map[string]map[string][]string{}, notes: map[string]map[string]string{}}
	for _, e := range p.Entries {
		if !e.Simulated || e.Type != "AMAZON_ISSUED" {
			continue
		}
		for _, n := range e.Domains {
			z, _ := zones.lookup(sim.BaseName(n))
			if z == nil {
				continue
			}
			for a := dns.Fqdn(sim.BaseName(n)); a != "" && z.contains(a); a = parent(a) {
				zr.include(z, a)
			}
		}
		for _, r := range e.records {
			cur := r.Name
			seen := map[string]bool{}
			for hop := 0; hop < maxChainHops && !seen[canonical(cur)]; hop++ {
				seen[canonical(cur)] = true
				z, why := zones.lookup(cur)
				if why != "" {
					break
				}
				next := ""
				for _, rr := range zr.include(z, cur) {
					if cn, ok := rr.(*dns.CNAME); ok {
						next = cn.Target
						break
					}
				}
				if next == "" {
					break
				}
				cur = next
			}
			if r.Doubled != "" {
				if z, _ := zones.lookup(r.Zone); z != nil {
					zr.include(z, r.Doubled)
				}
			}
		}
	}
	return zr
}

// writeScenario writes the plan's scenario as YAML.
func writeScenario(p *Plan, zones *zoneIndex) []byte {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w("# Written by renewsim check: the ACM certificates of %s as\n", whose(p.Account, p.Region, p.Entries))
	w("# exported (%s), with their zones (%s),\n", summarizeFiles(p.ACMFiles), summarizeFiles(p.ZoneFiles))
	w("# from %s under %s. Edit it and ask what-ifs: renewsim run FILE,\n", stamp(p.Now), p.ProfileName)
	w("# renewsim sweep FILE -vary ...\n")
	var skipped []*Entry
	for _, e := range p.Entries {
		if !e.Simulated {
			skipped = append(skipped, e)
		}
	}
	if len(skipped) > 0 {
		w("#\n# Not simulated (renewsim check lists them):\n")
		for _, e := range skipped {
			w("#   %s (%s): %s: %s\n", e.ID, e.ARN, e.Verdict, e.Reason)
		}
	}
	w("name: %s\n", p.Name)
	w("description: >-\n  The ACM certificates of %s as they stand at %s,\n  run forward under %s by renewsim check.\n",
		whose(p.Account, p.Region, p.Entries), stamp(p.Now), p.ProfileName)
	w("profile: %s\n", p.ProfileName)
	w("start: %s\n", ts(p.Now))
	w("until: %s\n", ts(p.Until))
	w("overrides:\n")
	w("  account: %s\n", ys(p.Account))
	w("  region: %s\n", ys(p.Region))
	if p.DaysBeforeExpiry > 0 {
		w("days_before_expiry: %d          # DaysBeforeExpiry of the account configuration\n", p.DaysBeforeExpiry)
	}

	var simulated []*Entry
	email := false
	for _, e := range p.Entries {
		if e.Simulated {
			simulated = append(simulated, e)
			email = email || e.Method == "EMAIL"
		}
	}
	if email {
		w("# Nobody is assumed to answer approval e-mails. To ask what happens if\n")
		w("# someone does, add for example:\n")
		w("# mailboxes:\n#   - {address: admin@example.com, clicks: after 1d}\n")
	}

	// The records the renewals read are gathered and written while the
	// resources and certificates are: each is about half of a large
	// fleet's scenario.
	var records strings.Builder
	recorded := make(chan struct{})
	go func() {
		defer close(recorded)
		writeRecords(&records, collectRecords(p, zones))
	}()
	resIDs := writeResources(&b, simulated)
	w("certificates:\n")
	for _, e := range simulated {
		writeCertificate(&b, p, e, resIDs)
	}
	<-recorded
	b.WriteString(records.String())
	w("expect:\n")
	w("  # Still ISSUED at the end: renewed every time it had to (an expiry is final).\n")
	until := ts(p.Until)
	for _, e := range simulated {
		b.WriteString("  - {cert: " + e.ID + ", at: " + until + ", status: ISSUED}\n")
	}
	return []byte(b.String())
}

// writeRecords writes the dns section: the records zr gathered, zone by
// zone, owners in canonical order.
func writeRecords(b *strings.Builder, zr *zoneRecords) {
	if len(zr.zones) == 0 {
		return
	}
	b.WriteString("dns:\n  records:\n")
	for _, z := range zr.zones {
		b.WriteString("    # zone " + strings.TrimSuffix(z.Apex, ".") + " (" + strings.Join(z.Files, ", ") + ")\n")
		owners := make([]string, 0, len(zr.owners[z.Apex]))
		for o := range zr.owners[z.Apex] {
			owners = append(owners, o)
		}
		slices.SortFunc(owners, compareNames)
		for _, o := range owners {
			if note := zr.notes[z.Apex][o]; note != "" {
				b.WriteString("    # " + note + "\n")
			}
			for _, line := range zr.owners[z.Apex][o] {
				b.WriteString("    - " + yq(line) + "\n")
			}
		}
	}
}

// writeResources writes the resources the simulated certificates use and
// returns the id of each resource ARN.
func writeResources(b *strings.Builder, simulated []*Entry) map[string]string {
	var arns []string
	seen := map[string]bool{}
	for _, e := range simulated {
		for _, a := range e.InUseBy {
			if !seen[a] {
				seen[a] = true
				arns = append(arns, a)
			}
		}
	}
	slices.Sort(arns)
	ids := map[string]string{}
	used := map[string]bool{}
	if len(arns) == 0 {
		return ids
	}
	b.WriteString("resources:\n")
	for _, a := range arns {
		r := resourceOf(a)
		ids[a] = unique(r.id, used)
		b.WriteString("  - {id: " + ids[a] + ", kind: " + r.kind + ", arn: " + ys(a) + "}\n")
	}
	return ids
}

func writeCertificate(b *strings.Builder, p *Plan, e *Entry, resIDs map[string]string) {
	c := e.cert
	// Plain concatenation, not fmt: check writes these lines for every
	// certificate of a fleet.
	line := func(parts ...string) {
		for _, s := range parts {
			b.WriteString(s)
		}
		b.WriteByte('\n')
	}
	line("  - id: ", e.ID)
	line("    arn: ", ys(c.ARN))
	// Certificates away from the scenario's default account and region
	// name their own: their events and e-mails carry them.
	if e.Account != "" && e.Account != p.Account {
		line("    account: ", ys(e.Account))
	}
	if e.Region != "" && e.Region != p.Region {
		line("    region: ", ys(e.Region))
	}
	line("    domain: ", ys(c.Domain))
	names := e.Domains // c.Names(), as entries made them
	if len(names) > 1 {
		line("    sans: [", joinQuoted(names[1:]), "]")
	}
	line("    type: ", scenarioTypes[c.Type])
	switch e.Method {
	case "DNS":
		line("    validation: dns")
		line("    validation_record: zone            # the zone's records below decide")
		line("    validation_cnames:")
		for _, n := range names {
			if v := c.Validation(n); v != nil && v.Record != nil {
				line("      ", ys(n), ": {name: ", ys(v.Record.Name), ", value: ", ys(v.Record.Value), "}")
			}
		}
	case "EMAIL":
		line("    validation: email")
		var vds []string
		for _, n := range names {
			if v := c.Validation(n); v != nil && v.ValidationDomain != "" && !strings.EqualFold(v.ValidationDomain, sim.DefaultValidationDomain(n)) {
				vds = append(vds, ys(n)+": "+ys(strings.ToLower(v.ValidationDomain)))
			}
		}
		if len(vds) > 0 {
			line("    validation_domain: {", strings.Join(vds, ", "), "}")
		}
	}
	line("    issued: ", ts(c.NotBefore))
	line("    not_after: ", ts(c.NotAfter))
	users := make([]string, len(c.InUseBy))
	for i, a := range c.InUseBy {
		users[i] = resIDs[a]
	}
	line("    in_use_by: [", strings.Join(users, ", "), "]")
	if e.exported {
		line("    exported: true")
	}
}

// ys writes s as a YAML scalar, quoted only when YAML needs it, also
// inside a flow mapping or list.
func ys(s string) string {
	if plain(s) && (len(s) > 5 || !yamlWords[strings.ToLower(s)]) {
		return s // names and ARNs: the common case, without an encoder
	}
	if len(s) > 2 && s[0] == '*' && s[1] == '.' && plain(s[2:]) {
		return yq(s) // a wildcard name, as the encoder quotes it
	}
	if len(s) > 5 && plain(strings.ReplaceAll(s, "::", ":x:")) {
		return s // an ARN without an account or a region (API Gateway's), plain to the encoder too
	}
	if strings.ContainsAny(s, ",[]{}#") {
		return yq(s)
	}
	out, err := yaml.Marshal(s)
	if err != nil {
		return yq(s)
	}
	return strings.TrimSuffix(string(out), "\n")
}

// plain tells whether YAML reads s back as the same string unquoted: it
// starts with a letter or an underscore (every validation record does),
// then holds only letters, digits and ._/@+- , and each colon is followed
// by one of those (no ": ", no colon at the end). A scan, not a regular
// expression: check writes a dozen names and ARNs for each certificate.
func plain(s string) bool {
	if s == "" || !(isLetter(s[0]) || s[0] == '_') {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case plainByte(c):
		case c == ':' && i+1 < len(s) && plainByte(s[i+1]):
		default:
			return false
		}
	}
	return true
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func plainByte(c byte) bool {
	return isLetter(c) || '0' <= c && c <= '9' || strings.IndexByte("._/@+-", c) >= 0
}

// yamlWords are plain scalars YAML would read as something else.
var yamlWords = map[string]bool{"true": true, "false": true, "yes": true, "no": true, "on": true, "off": true, "null": true, "y": true, "n": true}

// yq writes s single-quoted.
func yq(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func joinQuoted(names []string) string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = ys(n)
	}
	return strings.Join(out, ", ")
}

// ts writes a time for the scenario, keeping fractions of a second.
func ts(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// summarizeFiles names the input files shortly: their common directory
// when there are many.
func summarizeFiles(files []string) string {
	switch len(files) {
	case 0:
		return "no files"
	case 1, 2:
		return strings.Join(files, ", ")
	}
	dir := files[0][:strings.LastIndexByte(files[0], '/')+1]
	for _, f := range files[1:] {
		if !strings.HasPrefix(f, dir) {
			return fmt.Sprintf("%d files", len(files))
		}
	}
	if dir == "" {
		return fmt.Sprintf("%d files", len(files))
	}
	return fmt.Sprintf("%d files in %s", len(files), strings.TrimSuffix(dir, "/"))
}

// whose says whose certificates these are: "account A in R", or, for a
// fleet that spans several, every account and region, home first.
func whose(account, region string, entries []*Entry) string {
	accounts, regions := spread(account, region, entries)
	if len(accounts) <= 1 && len(regions) <= 1 || strings.Contains(account+region, ", ") {
		// One of each, or a report of several fleets joined (a check of
		// code, region by region) that lists them already.
		return "account " + account + " in " + region
	}
	a := "account " + andList(accounts)
	if len(accounts) > 1 {
		a = "accounts " + andList(accounts)
	}
	return a + " in " + andList(regions)
}

// spread is every account and every region of the entries, the home
// account and region first, then the others sorted.
func spread(account, region string, entries []*Entry) (accounts, regions []string) {
	// A report of several fleets joined names them as a list.
	if account != "" {
		accounts = strings.Split(account, ", ")
	}
	if region != "" {
		regions = strings.Split(region, ", ")
	}
	var moreA, moreR []string
	for _, e := range entries {
		if e.Account != "" && !slices.Contains(accounts, e.Account) && !slices.Contains(moreA, e.Account) {
			moreA = append(moreA, e.Account)
		}
		if e.Region != "" && !slices.Contains(regions, e.Region) && !slices.Contains(moreR, e.Region) {
			moreR = append(moreR, e.Region)
		}
	}
	slices.Sort(moreA)
	slices.Sort(moreR)
	return append(accounts, moreA...), append(regions, moreR...)
}

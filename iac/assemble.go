package iac

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/renewsim/renewsim/fleet"
	"github.com/renewsim/renewsim/sim"
)

// Options say when the fleets stand and under which rules: a certificate
// the change creates is issued at Now, for the profile's lifetime.
type Options struct {
	Now     time.Time
	Profile string // "" is sim.DefaultProfile
}

// Fleets is the infrastructure code, with the exports given alongside,
// as fleets that fleet.Build takes: per account and region, the fleet
// before the change and after it.
type Fleets struct {
	// Change: the inputs hold a plan or a change set; Before is set.
	Change bool
	// Regions has one entry per account and region, sorted; none when no
	// input describes a certificate (the check then says "no
	// certificates").
	Regions []*RegionFleets
	// Certificates is every certificate the code describes, before or
	// after the change, sorted by address.
	Certificates []*Certificate
	// Actions are the planned changes that bear on certificates, in the
	// order of the inputs, each with what it does to the fleet.
	Actions []*Action
	// Notes are about the inputs as a whole.
	Notes []string
}

// RegionFleets is the fleet of one account and region.
//
// A side may hold no certificate (the change creates the first one of the
// region, or deletes the last): fleet.Build refuses such a fleet ("no
// certificate"), so callers ask Empty first and take it as a fleet with
// no certificates.
type RegionFleets struct {
	Account, Region string
	Before          *fleet.Fleet // nil when the inputs hold no change
	After           *fleet.Fleet // the fleet once the change is applied; as it stands, without a change
}

// Empty tells whether a fleet holds no certificate at all.
func Empty(f *fleet.Fleet) bool { return f == nil || len(f.Certificates) == 0 && len(f.Summaries) == 0 }

// Certificate is one certificate the code describes, and how the inputs
// settle it.
type Certificate struct {
	// Address is the Terraform address (module path and key included:
	// module.edge.aws_acm_certificate.this["cdn"]), or the CloudFormation
	// stack and logical ID (web/Certificate); followed by the file when
	// two files describe the same address.
	Address string
	Source  string // file: JSON path, or file:line
	// ARN is the certificate's, or, for one that does not exist yet
	// (Placeholder), the one it stands under in the fleets.
	ARN         string
	Placeholder bool
	// BeforeARN is the ARN before the change when it differs (a
	// replacement gets a new certificate, under a new ARN).
	BeforeARN string
	Account   string
	Region    string
	Domain    string
	// Before and After tell on which side of the change the certificate
	// exists (without a change: After).
	Before, After bool
	// Action is what the change does to it, "" nothing.
	Action ActionKind
	// Notes say how the inputs settle it, when that is not plain: created
	// and validated by which records, never issued and why, a stale
	// state, a look-up the exports complete.
	Notes []string
}

// Action is one planned change that bears on certificates.
type Action struct {
	Address string // Terraform address, or stack/LogicalID
	Type    string // resource type
	Kind    ActionKind
	Source  string // file: JSON path
	Reason  string // why the tool plans it so, when it says (Terraform's action_reason, CloudFormation's replacement)
	Effects []Effect
}

// Effect is what an action does to the fleet, and the certificates it
// bears on: the later comparison names it as the cause of their change.
type Effect struct {
	Text string
	// Certificates are the addresses of the certificates concerned (the
	// ARN for a certificate only the exports describe).
	Certificates []string
}

// world is one side of the change, resolved against the exports.
type world struct {
	after bool
	s     *side
	certs map[string]*certRes
	waits map[string]*waitRes
	zones map[string]*zoneRes // by id
	arn   map[string]string   // certificate id → the ARN it stands under
	byARN map[string]string   // ARN → certificate id
	// uses: certificate key (id, or ARN for one outside the code) → the
	// users that serve it.
	uses  map[string][]*userRes
	recs  []*rrec
	fz    []*fleet.Zone
	fc    map[string]*fleet.Certificate // certificate key → as the fleets hold it
	order []string                      // certificate keys, in the order built
	notes map[string][]string           // certificate id → notes
}

// rrec is a record resolved: its zone and its records.
type rrec struct {
	res  *recordRes
	name string // absolute, "" unknown
	zone string // apex, "" when no zone says
	rrs  []dns.RR
	note string
}

type assembler struct {
	m       *Model
	base    *fleet.Fleet
	opt     Options
	prof    sim.Profile
	account string
	region  string
	notes   []string
	// records: (account, base name) → the validation record ACM gives it.
	records map[string]*fleet.ResourceRecord
	// managed: every record the code manages, either side.
	managed map[string]bool
	// users: the ARNs of every user the code manages, either side.
	users map[string]bool
}

// Fleets combines the code with base, the exports read by fleet.Read (nil
// when none were given): records and certificates the code does not
// describe come from them, and what the code changes overrides them.
func (m *Model) Fleets(base *fleet.Fleet, opt Options) (*Fleets, error) {
	if opt.Now.IsZero() {
		return nil, fmt.Errorf("iac fleets: no time given")
	}
	if opt.Profile == "" {
		opt.Profile = sim.DefaultProfile
	}
	prof, ok := sim.LookupProfile(opt.Profile)
	if !ok {
		return nil, fmt.Errorf("unknown profile %q (known: %s)", opt.Profile, strings.Join(sim.ProfileNames(), ", "))
	}
	if base == nil {
		base = fleet.NewFleet(fleet.Exports{}, nil, nil, nil)
	}
	a := &assembler{m: m, base: base, opt: opt, prof: prof, records: map[string]*fleet.ResourceRecord{}, managed: map[string]bool{}, users: map[string]bool{}}
	a.defaults()
	var bw *world
	if m.Change {
		bw = a.resolve(m.before, false)
	}
	aw := a.resolve(m.after, true)
	a.knownRecords(bw, aw)
	for _, w := range []*world{bw, aw} {
		if w != nil {
			a.settle(w)
			a.resolveRecords(w)
		}
	}
	a.validators(aw)
	for _, w := range []*world{bw, aw} {
		if w != nil {
			for _, r := range w.recs {
				for _, rr := range r.rrs {
					a.managed[rrKey(rr)] = true
				}
			}
			for _, u := range w.s.users {
				if u.arn != "" {
					a.users[u.arn] = true
				}
			}
		}
	}
	for _, w := range []*world{bw, aw} {
		if w != nil {
			a.zones(w)
		}
	}
	for _, w := range []*world{bw, aw} {
		if w != nil {
			a.certificates(w, bw, aw)
		}
	}
	out := &Fleets{Change: m.Change}
	out.Regions = a.regions(bw, aw)
	out.Certificates = a.described(bw, aw)
	out.Actions = a.actions(bw, aw)
	out.Notes = append(slices.Clone(m.notes), a.notes...)
	return out, nil
}

// defaults finds the account and region of the fleet for certificates
// whose ARN is not known yet: the ones most of the known ARNs name.
func (a *assembler) defaults() {
	accounts, regions := map[string]int{}, map[string]int{}
	var order []string
	note := func(arn string, certificate bool) {
		if m := certARNRE.FindStringSubmatch(arn); m != nil {
			accounts[m[3]]++
			regions[m[2]]++
			order = append(order, m[3], m[2])
			return
		}
		if m := anyARNRE.FindStringSubmatch(arn); m != nil && !certificate {
			if len(m[2]) == 12 {
				accounts[m[2]]++
				order = append(order, m[2])
			}
		}
	}
	for _, s := range []*side{a.m.before, a.m.after} {
		for _, c := range s.certs {
			note(c.arn, true)
			if c.region != "" {
				regions[c.region]++
				order = append(order, c.region)
			}
			if c.account != "" {
				accounts[c.account]++
				order = append(order, c.account)
			}
		}
		for _, u := range s.users {
			note(u.arn, false)
		}
	}
	for _, c := range a.base.Certificates {
		note(c.ARN, true)
	}
	for _, s := range a.base.Summaries {
		note(s.ARN, true)
	}
	pick := func(counts map[string]int) string {
		best := ""
		for _, k := range order {
			if n, ok := counts[k]; ok && (best == "" || n > counts[best]) {
				best = k
			}
		}
		return best
	}
	a.account, a.region = pick(accounts), pick(regions)
	if a.account == "" {
		a.account = "000000000000"
		if len(a.m.before.certs)+len(a.m.after.certs) > 0 {
			a.notes = append(a.notes, "no ARN in the inputs names the AWS account: certificates stand under the placeholder account 000000000000")
		}
	}
	if a.region == "" {
		a.region = "us-east-1"
		if len(a.m.before.certs)+len(a.m.after.certs) > 0 {
			a.notes = append(a.notes, "neither an ARN nor a provider configuration names the region: certificates stand in us-east-1")
		}
	}
}

// resolve indexes one side and gives every certificate its ARN.
func (a *assembler) resolve(s *side, after bool) *world {
	w := &world{after: after, s: s, certs: map[string]*certRes{}, waits: map[string]*waitRes{}, zones: map[string]*zoneRes{},
		arn: map[string]string{}, byARN: map[string]string{}, uses: map[string][]*userRes{}, fc: map[string]*fleet.Certificate{},
		notes: map[string][]string{}}
	for _, c := range s.certs {
		if w.certs[c.id] != nil {
			continue
		}
		w.certs[c.id] = c
		arn := c.arn
		if arn == "" {
			arn = placeholderARN(a.regionOf(c), firstOf(c.account, a.account), c.id)
		}
		w.arn[c.id] = arn
		if w.byARN[arn] == "" {
			w.byARN[arn] = c.id
		}
	}
	for _, wt := range s.waits {
		w.waits[wt.id] = wt
	}
	for _, z := range s.zones {
		w.zones[z.id] = z
	}
	for _, u := range s.users {
		seen := map[string]bool{}
		for _, l := range u.certs {
			for _, k := range w.certKeys(l, 0) {
				if !seen[k] {
					seen[k] = true
					w.uses[k] = append(w.uses[k], u)
				}
			}
		}
	}
	return w
}

func (a *assembler) regionOf(c *certRes) string {
	if c.region != "" {
		return c.region
	}
	return a.region
}

// certKeys are the certificates a link names: ids of the code's, ARNs of
// others.
func (w *world) certKeys(l link, depth int) []string {
	if l.value != "" {
		if id := w.byARN[l.value]; id != "" {
			return []string{id}
		}
		if certARNRE.MatchString(l.value) {
			return []string{l.value}
		}
		return nil
	}
	var out []string
	for _, id := range l.addrs {
		switch {
		case w.certs[id] != nil:
			out = append(out, id)
		case w.waits[id] != nil && depth < 4:
			out = append(out, w.certKeys(w.waits[id].cert, depth+1)...)
		}
	}
	return out
}

// knownRecords notes the validation record ACM gives each name in the
// account: the same for every certificate of the account with that name,
// so a new certificate for a name validated before reuses its record.
func (a *assembler) knownRecords(ws ...*world) {
	add := func(account string, v fleet.DomainValidation) {
		if v.Record == nil {
			return
		}
		k := account + "|" + baseName(v.Domain)
		if a.records[k] == nil {
			r := *v.Record
			a.records[k] = &r
		}
	}
	for _, c := range a.base.Certificates {
		if m := certARNRE.FindStringSubmatch(c.ARN); m != nil {
			for _, v := range c.Validations {
				add(m[3], v)
			}
		}
	}
	for _, w := range ws {
		if w == nil {
			continue
		}
		for _, s := range w.s.certs {
			for _, v := range s.dvos {
				add(a.accountOf(w.arn[s.id]), v)
			}
		}
	}
}

func (a *assembler) accountOf(arn string) string {
	if m := certARNRE.FindStringSubmatch(arn); m != nil {
		return m[3]
	}
	return a.account
}

// recordFor is the validation record of name for a certificate of account.
func (a *assembler) recordFor(account, name string) *fleet.ResourceRecord {
	k := account + "|" + baseName(name)
	if r := a.records[k]; r != nil {
		return r
	}
	rn, rv := sim.ValidationRecord(0, account, name)
	r := &fleet.ResourceRecord{Name: rn, Type: "CNAME", Value: rv}
	a.records[k] = r
	return r
}

// zoneName is the name of the zone a record is in, as far as the code
// says.
func (w *world) zoneName(r *recordRes, others ...*world) string {
	if r.zoneName != "" {
		return r.zoneName
	}
	for _, x := range append([]*world{w}, others...) {
		if x == nil {
			continue
		}
		for _, id := range r.zone.addrs {
			if z := x.zones[id]; z != nil && z.name != "" {
				return z.name
			}
		}
		if r.zone.value != "" {
			for _, z := range x.s.zones {
				if z.zoneID != "" && z.zoneID == r.zone.value && z.name != "" && z.provider == r.provider {
					return z.name
				}
			}
		}
	}
	return ""
}

// resolveRecords resolves the records of a side whose values are known: their
// absolute names and their records; and the validation records
// CloudFormation creates for a certificate in the hosted zone its
// DomainValidationOptions name.
func (a *assembler) resolveRecords(w *world) {
	for _, r := range w.s.records {
		rec := &rrec{res: r, zone: w.zoneName(r)}
		if rec.zone != "" {
			rec.zone = canon(rec.zone)
		}
		rec.name = absName(r.name, rec.zone)
		w.recs = append(w.recs, rec)
		switch {
		case r.unknown != "":
		case r.typ == "" && rec.name != "":
			// A record set known by its name only (a change set without
			// its properties): what the exported zone holds there.
			for _, z := range a.base.Zones {
				if z.Contains(rec.name) {
					for _, rr := range z.RecordsAt(rec.name) {
						if t := rr.Header().Rrtype; t != dns.TypeNS && t != dns.TypeSOA {
							rec.rrs = append(rec.rrs, rr)
						}
					}
				}
			}
			if len(rec.rrs) == 0 {
				r.unknown = "type and records (only its name, " + strings.TrimSuffix(rec.name, ".") + ", is known, and no exported zone holds it)"
			}
		default:
			rec.rrs, rec.note = buildRRs(r, rec.name)
		}
	}
	for _, id := range sortedKeys(w.certs) {
		c := w.certs[id]
		if len(c.zoneOf) == 0 {
			continue
		}
		dvs := c.dvos
		if len(dvs) == 0 && c.arn != "" {
			if ex := a.base.Certificate(c.arn); ex != nil {
				dvs = ex.Validations
			}
		}
		for _, name := range sortedKeys(c.zoneOf) {
			var v *fleet.DomainValidation
			for i := range dvs {
				if strings.EqualFold(dvs[i].Domain, name) {
					v = &dvs[i]
				}
			}
			r := &recordRes{id: id + "#" + name, addr: c.addr, file: c.file, path: c.path, provider: "route53", zone: c.zoneOf[name],
				typ: "CNAME", ttl: 300, owner: id}
			rec := &rrec{res: r}
			if z := w.zoneName(r); z != "" {
				rec.zone = canon(z)
			}
			w.recs = append(w.recs, rec)
			if v == nil || v.Record == nil {
				r.unknown = "name and value (ACM's validation record of " + name + ", which no export describes)"
				continue
			}
			rec.name = canon(v.Record.Name)
			r.values = []string{v.Record.Value}
			if rec.zone != "" && !dns.IsSubDomain(rec.zone, rec.name) {
				rec.zone = ""
			}
			rec.rrs, _ = buildRRs(r, rec.name)
			rec.note = fmt.Sprintf("%s is created by CloudFormation with %s (its DomainValidationOptions name a HostedZoneId) and deleted with it", strings.TrimSuffix(v.Record.Name, "."), c.addr)
		}
	}
}

// absName makes a record's name absolute: Route 53 and Cloudflare take a
// name relative to the zone ("www", "@") as well as a full one.
func absName(name, zone string) string {
	if name == "" {
		return ""
	}
	n := strings.TrimSuffix(name, ".")
	if zone == "" {
		return canon(n)
	}
	z := strings.TrimSuffix(zone, ".")
	switch {
	case n == "@":
		return canon(z)
	case strings.EqualFold(n, z) || strings.HasSuffix(strings.ToLower(n), "."+strings.ToLower(z)):
		return canon(n)
	case strings.HasSuffix(name, "."):
		return canon(n) // absolute, outside the zone: the zone will say so
	}
	return canon(n + "." + z)
}

// aliasAddress stands for the addresses of a Route 53 alias or a proxied
// Cloudflare record: documentation addresses (RFC 5737, RFC 3849).
const (
	aliasA    = "192.0.2.1"
	aliasAAAA = "2001:db8::1"
)

// buildRRs makes the DNS records of a record set at name.
func buildRRs(r *recordRes, name string) ([]dns.RR, string) {
	if name == "" || r.typ == "" {
		return nil, ""
	}
	var out []dns.RR
	note := ""
	mk := func(typ, val string) {
		rr, err := dns.NewRR(fmt.Sprintf("%s %d IN %s %s", name, r.ttl, typ, val))
		if err == nil && rr != nil {
			out = append(out, rr)
		}
	}
	switch {
	case r.proxied && (r.typ == "CNAME" || r.typ == "A" || r.typ == "AAAA"):
		mk("A", aliasA)
		mk("AAAA", aliasAAAA)
		note = fmt.Sprintf("%s %s is proxied by Cloudflare (%s): Cloudflare answers with its own addresses, not the %s; %s and %s stand for them", name, r.typ, r.addr, r.typ, aliasA, aliasAAAA)
	case r.alias != "":
		switch r.typ {
		case "A":
			mk("A", aliasA)
		case "AAAA":
			mk("AAAA", aliasAAAA)
		}
		note = fmt.Sprintf("%s %s is a Route 53 alias to %s (%s): a documentation address stands for its addresses", name, r.typ, r.alias, r.addr)
	default:
		for _, v := range r.values {
			mk(r.typ, rdata(r.typ, v))
		}
	}
	return out, note
}

// rdata writes a record value as a zone file wants it: TXT strings quoted
// (Route 53 and Cloudflare take them bare).
func rdata(typ, v string) string {
	if typ == "TXT" && !strings.HasPrefix(strings.TrimSpace(v), "\"") {
		return fmt.Sprintf("%q", v)
	}
	return v
}

// rrKey is a record without its TTL, for comparing.
func rrKey(rr dns.RR) string {
	h := rr.Header()
	return dns.CanonicalName(h.Name) + " " + dns.TypeToString[h.Rrtype] + " " + strings.ToLower(strings.TrimPrefix(rr.String(), h.String()))
}

// validators gives the records the change creates from a certificate's
// domain_validation_options, unknown until apply, the names and values ACM
// will give them.
func (a *assembler) validators(w *world) {
	for _, rec := range w.recs {
		r := rec.res
		if r.unknown == "" || len(r.dvoOf) == 0 {
			continue
		}
		var certs []*certRes
		for _, id := range r.dvoOf {
			if c := w.certs[id]; c != nil && c.domain != "" && c.method == "DNS" {
				certs = append(certs, c)
			}
		}
		if len(certs) == 0 {
			continue
		}
		name := ""
		if r.dvoName != "" {
			for _, c := range certs {
				for _, n := range c.sans {
					if strings.EqualFold(baseName(n), baseName(r.dvoName)) {
						name = n
					}
				}
			}
		}
		if name == "" {
			// A count over the options, or a key that is no name: the
			// records cover the names between them, in an order set only at
			// apply; give each instance a name not yet given.
			taken := map[string]bool{}
			for _, o := range w.recs {
				if o != rec && o.res.dvoName != "" && len(o.rrs) > 0 {
					taken[baseName(o.res.dvoName)] = true
				}
			}
			for _, c := range certs {
				for _, n := range c.sans {
					if name == "" && !taken[baseName(n)] {
						name = n
					}
				}
			}
			if name == "" {
				continue
			}
			r.dvoName = name
		}
		vr := a.recordFor(a.accountOf(w.arn[certs[0].id]), name)
		rec.name = canon(vr.Name)
		if rec.zone != "" && !dns.IsSubDomain(rec.zone, rec.name) {
			rec.zone = ""
		}
		rr, err := dns.NewRR(fmt.Sprintf("%s %d IN CNAME %s", vr.Name, r.ttl, vr.Value))
		if err == nil {
			rec.rrs = []dns.RR{rr}
			rec.note = fmt.Sprintf("%s is created by %s from the domain_validation_options of %s: its name and value are known after apply; these stand for them", vr.Name, r.addr, addresses(r.dvoOf))
		}
	}
}

// zones builds the zones of a side: the exported zones, less the records
// the code manages that this side does not hold, with the code's zones
// and records added.
func (a *assembler) zones(w *world) {
	byApex := map[string]*fleet.Zone{}
	var order []string
	get := func(apex, file string) *fleet.Zone {
		apex = canon(apex)
		z := byApex[apex]
		if z == nil {
			z = fleet.NewZone(apex)
			byApex[apex] = z
			order = append(order, apex)
		}
		if file != "" && !slices.Contains(z.Files, file) {
			z.Files = append(z.Files, file)
		}
		return z
	}
	here := map[string]bool{}
	for _, r := range w.recs {
		for _, rr := range r.rrs {
			here[rrKey(rr)] = true
		}
	}
	for _, bz := range a.base.Zones {
		z := bz.Clone()
		for _, rr := range z.Records() {
			if k := rrKey(rr); a.managed[k] && !here[k] {
				z.RemoveRecord(rr)
			}
		}
		byApex[z.Apex] = z
		order = append(order, z.Apex)
	}
	exported := map[string]bool{}
	for _, apex := range order {
		exported[apex] = true
	}
	for _, zr := range w.s.zones {
		if zr.name == "" {
			continue
		}
		z := get(zr.name, zr.file)
		if !exported[z.Apex] {
			a.noteOnce(fmt.Sprintf("zone %s (%s): only the records the code manages are known; records made outside it (a CAA record, a validation CNAME added by hand) are not — give the zone's export with -zones to see them",
				strings.TrimSuffix(z.Apex, "."), zr.addr))
		}
	}
	for _, r := range w.recs {
		if len(r.rrs) == 0 {
			switch {
			case r.res.unknown != "" && r.res.owner != "":
				a.noteOnce(fmt.Sprintf("%s: its %s cannot be told, so it is left out", r.res.addr, r.res.unknown))
			case r.res.unknown != "" && len(r.res.dvoOf) == 0:
				a.noteOnce(fmt.Sprintf("%s: its %s are known only after apply, so it is left out", r.res.addr, r.res.unknown))
			}
			continue
		}
		var z *fleet.Zone
		if r.zone != "" {
			z = byApex[r.zone]
			if z == nil {
				z = get(r.zone, r.res.file)
				if !exported[z.Apex] {
					a.noteOnce(fmt.Sprintf("zone %s (of %s): only the records the code manages are known; give the zone's export with -zones to see the others",
						strings.TrimSuffix(z.Apex, "."), r.res.addr))
				}
			}
		} else {
			for _, apex := range order {
				if c := byApex[apex]; c.Contains(r.name) && (z == nil || len(c.Apex) > len(z.Apex)) {
					z = c
				}
			}
		}
		if z == nil || !z.Contains(r.name) {
			a.noteOnce(fmt.Sprintf("%s (%s): no zone in the inputs holds %s, so it is left out", r.res.addr, r.res.file, strings.TrimSuffix(r.name, ".")))
			continue
		}
		if !slices.Contains(z.Files, r.res.file) {
			z.Files = append(z.Files, r.res.file)
		}
		for _, rr := range r.rrs {
			z.AddRecord(rr, r.note)
		}
	}
	for _, apex := range order {
		w.fz = append(w.fz, byApex[apex])
	}
}

func (a *assembler) noteOnce(s string) {
	if !slices.Contains(a.notes, s) {
		a.notes = append(a.notes, s)
	}
}

// zoneFor is the zone of a side that holds name, or nil.
func (w *world) zoneFor(name string) *fleet.Zone {
	var z *fleet.Zone
	for _, c := range w.fz {
		if c.Contains(name) && (z == nil || len(c.Apex) > len(z.Apex)) {
			z = c
		}
	}
	return z
}

// hasCNAME tells whether a side's zones hold name CNAME value.
func (w *world) hasCNAME(name, value string) bool {
	z := w.zoneFor(name)
	if z == nil {
		return false
	}
	for _, rr := range z.RecordsAt(name) {
		if cn, ok := rr.(*dns.CNAME); ok && sim.CNAMEMatches(cn.Target, value) {
			return true
		}
	}
	return false
}

// creators are the records of a side made from a certificate's
// domain_validation_options.
func (w *world) creators(id string) []*rrec {
	var out []*rrec
	for _, r := range w.recs {
		if slices.Contains(r.res.dvoOf, id) || r.res.owner == id {
			out = append(out, r)
		}
	}
	return out
}

// settle gives every certificate of a side whose validation records are
// known only after apply the records ACM will give it: the one already
// known for each name in the account, or a placeholder.
func (a *assembler) settle(w *world) {
	for _, id := range sortedKeys(w.certs) {
		c := w.certs[id]
		if c.data || c.domain == "" {
			continue
		}
		if c.method == "DNS" && c.dvoUnknown {
			account := a.accountOf(w.arn[id])
			c.dvos = nil
			for _, n := range c.sans {
				r := a.recordFor(account, n)
				c.dvos = append(c.dvos, fleet.DomainValidation{Domain: n, Method: "DNS", Record: &fleet.ResourceRecord{Name: r.Name, Type: "CNAME", Value: r.Value}})
			}
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// byAddress orders certificates by address.
func byAddress(a, b *Certificate) int { return cmp.Compare(a.Address, b.Address) }

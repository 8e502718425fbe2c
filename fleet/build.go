package fleet

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/renewsim/renewsim/alarm"
	"github.com/renewsim/renewsim/sim"
)

// Verdict is what a check says of one certificate.
type Verdict string

// Verdicts, per certificate. They are the strings of the -json document.
const (
	VerdictRenews     Verdict = "renews"      // every renewal in the horizon succeeds
	VerdictExpires    Verdict = "expires"     // some renewal in the horizon fails
	VerdictUndecided  Verdict = "undecided"   // the horizon (-until) ends before its next renewal is decided
	VerdictExpired    Verdict = "expired"     // already expired at -now: not simulated
	VerdictNotIssued  Verdict = "not-issued"  // PENDING_VALIDATION, FAILED, …: nothing to renew, not simulated
	VerdictCannotTell Verdict = "cannot-tell" // the inputs do not say enough: not simulated
)

// DefaultProfile is the profile a check runs under unless told: ACM on
// the CA/B Forum's dated schedule (acm-cabf), since a check runs two years
// forward, into the 100-day certificates of 2027. renewsim run keeps
// sim.DefaultProfile (acm-2026) for scenarios that name none.
const DefaultProfile = "acm-cabf"

// DefaultHorizon is how far a check looks at least; it looks further when
// a certificate's next renewal is decided later.
const DefaultHorizon = 730 * sim.Day

// untilMargin is how long past the latest expiry a default horizon runs,
// as a scenario's default until does.
const untilMargin = 7 * sim.Day

// Options say when and under which rules to look at the fleet.
type Options struct {
	Now     time.Time // the fleet as it stands then
	Until   time.Time // zero: the default horizon
	Profile string    // "" is DefaultProfile
	// Shard and Shards split the fleet for machines that run it in parts
	// (check -shard i/n): the plan holds only shard Shard of Shards. Zero
	// Shards is the whole fleet.
	Shard, Shards int
}

// Entry is one certificate of the fleet and, after Assess, what happens to
// it. Its tagged fields, in their order, are a certificate of the check's
// -json document: a field added here with a tag reaches it by itself.
type Entry struct {
	ID        string    `json:"id"`
	ARN       string    `json:"arn"`
	Account   string    `json:"account"` // of its ARN; "" without one
	Region    string    `json:"region"`
	Domains   []string  `json:"domains"`
	Type      string    `json:"type"`   // AMAZON_ISSUED | PRIVATE | IMPORTED; "" when only listed
	Method    string    `json:"-"`      // DNS | EMAIL | HTTP for AMAZON_ISSUED
	Status    string    `json:"status"` // as exported
	NotAfter  time.Time `json:"-"`
	InUseBy   []string  `json:"-"` // resource ARNs
	Simulated bool      `json:"simulated"`

	Verdict  Verdict     `json:"verdict"`
	Date     *time.Time  `json:"date"`     // renews: the first renewal; expires: the expiry; expired: NotAfter
	Renewals []time.Time `json:"renewals"` // in the horizon
	Reason   string      `json:"reason"`
	Fix      string      `json:"fix"`
	Notes    []string    `json:"notes"`
	// ApproachingBeforeRenewal counts the Approaching Expiration events of
	// cycles that then renewed (what an alarm on them fires on for nothing).
	ApproachingBeforeRenewal int `json:"-"`
	// Alarms are the verdicts of the alarms about it (check -alarms only).
	Alarms []alarm.Verdict `json:"alarms,omitempty"`
	// Address, Before, Difference and Planned come from infrastructure
	// code (check -terraform, -cloudformation; see change.go): they are
	// empty, and left out of the JSON, for a check of exports alone.
	Address    string    `json:"address,omitempty"`
	Before     *Before   `json:"before,omitempty"`
	Difference string    `json:"difference,omitempty"`
	Planned    []Planned `json:"planned,omitempty"`

	cert     *Certificate
	exported bool
	records  []*recordInfo
	origin   string // CertificateKeyPairOrigin, from the describe output or the list
}

// recordInfo is one DNS validation record a certificate relies on.
type recordInfo struct {
	Name, Value string
	Names       []string // the certificate's names it validates
	Zone        string   // apex of the zone that holds Name
	Doubled     string   // a copy found under a doubled suffix, "" if none
	Wildcard    string   // a wildcard that answers for Name, "" if none
	Users       []string // ids of every certificate relying on it
}

// SharedRecord is a validation record several certificates rely on.
type SharedRecord struct {
	Record       string   `json:"record"`
	Value        string   `json:"value"`
	Certificates []string `json:"certificates"`
}

// Plan is the fleet turned into a scenario, and what Assess needs to read
// the run.
type Plan struct {
	Name        string // the scenario's name
	File        string // the name it is parsed under
	YAML        []byte // nil when no certificate can be simulated
	Now, Until  time.Time
	ProfileName string
	Profile     sim.Profile // with the scenario's overrides
	// Account and Region are where most certificates are: the scenario's
	// default. A certificate elsewhere says so itself (Entry.Account,
	// Entry.Region).
	Account string
	Region  string
	Entries []*Entry // sorted by domain
	Shared  []SharedRecord
	Notes   []string // about the fleet as a whole
	// Assumptions are what the profile assumes where AWS is silent and the
	// horizon needs it (the renewal windows of 100- and 47-day
	// certificates), as check's header says them.
	Assumptions []string
	// Shard of Shards when the plan is one part of a split fleet (Shards 0:
	// the whole fleet). Shared and Notes are the whole fleet's in every
	// part, Entries only the part's.
	Shard, Shards int
	// FleetCertificates are, in a part, the ids of the simulated
	// certificates of the whole fleet (what an alarm may name).
	FleetCertificates []string
	// DaysBeforeExpiry is the account configuration's, 0 when none was
	// given.
	DaysBeforeExpiry int
	ACMFiles         []string
	ZoneFiles        []string

	// unusedZones are the notes on zones no certificate of the plan uses:
	// Combine drops them when the fleet of another region uses the zone.
	unusedZones []string
}

// Build turns the fleet into a plan: the scenario of the certificates that
// can be simulated, as YAML for scenarios.Parse, and a verdict for those
// that cannot. Inconsistent inputs (a described certificate missing from
// the list given) are Problems. A fleet may span accounts and regions.
func Build(f *Fleet, opt Options) (*Plan, error) {
	c := &collector{}
	if opt.Profile == "" {
		opt.Profile = DefaultProfile
	}
	prof, ok := sim.LookupProfile(opt.Profile)
	if !ok {
		return nil, fmt.Errorf("unknown profile %q (known: %s)", opt.Profile, strings.Join(sim.ProfileNames(), ", "))
	}
	if opt.Now.IsZero() {
		return nil, fmt.Errorf("build fleet scenario: no time given")
	}
	checkListed(f, c)
	account, region := home(f)
	if len(f.Certificates) == 0 && len(f.Summaries) == 0 {
		c.at(strings.Join(f.ACMFiles, ", "), 0, 0, "no certificate in the ACM exports (want describe-certificate or list-certificates output)")
	}
	if err := c.err(); err != nil {
		return nil, err
	}
	p := &Plan{
		Now: opt.Now.UTC(), ProfileName: opt.Profile, Profile: prof, Account: account, Region: region,
		ACMFiles: f.ACMFiles, ZoneFiles: f.ZoneFiles,
	}
	p.Profile.Account, p.Profile.Region = account, region
	if f.Account != nil {
		p.DaysBeforeExpiry = f.Account.DaysBeforeExpiry
		days, err := sim.DaysBeforeExpiry(int64(f.Account.DaysBeforeExpiry))
		if err != nil {
			return nil, fmt.Errorf("%s: $.ExpiryEvents.DaysBeforeExpiry: %w", f.Account.Source, err)
		}
		p.Profile.ApproachingDaysPublic, p.Profile.ApproachingDaysPrivate = days, days
	}
	p.Name = sanitizeID(strings.ToLower("fleet-"+account+"-"+region), "fleet")
	p.File = p.Name + ".yaml"
	p.Entries = entries(f)
	zones := newZoneIndex(f.Zones)
	for _, e := range p.Entries {
		classify(p, e, zones)
	}
	p.Shared = shareRecords(p.Entries)
	latest := time.Time{}
	for _, e := range p.Entries {
		if e.Simulated && e.NotAfter.After(latest) {
			latest = e.NotAfter
		}
	}
	p.Until = p.Now.Add(DefaultHorizon)
	if t := latest.Add(untilMargin); t.After(p.Until) {
		p.Until = t
	}
	if !opt.Until.IsZero() {
		if !opt.Until.After(p.Now) {
			return nil, fmt.Errorf("-until (%s) is not after -now (%s)", stamp(opt.Until), stamp(p.Now))
		}
		p.Until = opt.Until.UTC()
	}
	for _, e := range p.Entries {
		preNotes(p, e)
	}
	p.Notes = fleetNotes(p, f, zones)
	p.Assumptions = assumptions(p)
	if opt.Shards > 0 {
		if opt.Shard < 0 || opt.Shard >= opt.Shards {
			return nil, fmt.Errorf("shard %d/%d: want 0 <= i < n", opt.Shard, opt.Shards)
		}
		p.Shard, p.Shards = opt.Shard, opt.Shards
		for _, e := range p.Entries {
			if e.Simulated {
				p.FleetCertificates = append(p.FleetCertificates, e.ID)
			}
		}
		p.Entries = shardOf(p.Entries, opt.Shard, opt.Shards)
	}
	if slices.ContainsFunc(p.Entries, func(e *Entry) bool { return e.Simulated }) {
		p.YAML = writeScenario(p, zones)
	}
	return p, nil
}

// checkListed reports described certificates that a given list does not
// hold, and merges what the list says into the certificates.
func checkListed(f *Fleet, c *collector) {
	byARN := map[string]*Summary{}
	var lists []string
	for _, s := range f.Summaries {
		byARN[s.ARN] = s
		if !slices.Contains(lists, s.at.file) {
			lists = append(lists, s.at.file)
		}
	}
	for _, cert := range f.Certificates {
		s, ok := byARN[cert.ARN]
		if ok {
			cert.Listed = true
			cert.Exported = s.Exported
			continue
		}
		if !f.Listed || cert.Address != "" {
			continue
		}
		more := ""
		if len(f.NextTokens) > 0 {
			more = fmt.Sprintf("; %s says more pages follow (NextToken): give every page", strings.Join(f.NextTokens, ", "))
		}
		c.add(cert.at.problem("CertificateArn", "%s is not in the list-certificates output (%s): the exports are stale or from another account or region — export both again, or leave the list out (the describe-certificate outputs alone are enough; list-certificates shows RSA certificates only unless given --includes keyTypes=…)%s",
			cert.ARN, strings.Join(lists, ", "), more))
	}
}

// home is the account and region most of the fleet's certificates are
// in (the first seen on a tie): the scenario's default, which the others
// override per certificate. A fleet may span accounts and regions: ACM
// renews each certificate where it is, and a validation record is the
// same for every region of one account.
func home(f *Fleet) (account, region string) {
	type key struct{ account, region string }
	var order []key
	count := map[key]int{}
	note := func(arn string) {
		if a, r, ok := arnWhere(arn); ok {
			k := key{a, r}
			if count[k] == 0 {
				order = append(order, k)
			}
			count[k]++
		}
	}
	for _, cert := range f.Certificates {
		note(cert.ARN)
	}
	for _, s := range f.Summaries {
		if f.byARN[s.ARN] == nil {
			note(s.ARN)
		}
	}
	if len(order) == 0 {
		return "", ""
	}
	best := order[0]
	for _, k := range order[1:] {
		if count[k] > count[best] {
			best = k
		}
	}
	return best.account, best.region
}

// arnWhere is the account and region of an ACM certificate ARN.
func arnWhere(arn string) (account, region string, ok bool) {
	a, ok := sim.ParseCertARN(arn)
	return a.Account, a.Region, ok
}

// entries makes one entry per certificate, sorted by name (zone order:
// example.com, *.example.com, www.example.com), with ids from the domain.
func entries(f *Fleet) []*Entry {
	var out []*Entry
	described := map[string]bool{}
	for _, c := range f.Certificates {
		described[c.ARN] = true
		e := &Entry{
			ARN: c.ARN, Domains: c.Names(), Type: c.Type, Method: c.Method(), Status: c.Status,
			NotAfter: c.NotAfter, InUseBy: c.InUseBy, cert: c, origin: c.KeyPairOrigin,
		}
		e.Account, e.Region, _ = arnWhere(c.ARN)
		out = append(out, e)
	}
	for _, s := range f.Summaries {
		if described[s.ARN] {
			continue
		}
		e := &Entry{ARN: s.ARN, Type: s.Type, Status: s.Status, NotAfter: s.NotAfter, origin: s.KeyPairOrigin}
		e.Account, e.Region, _ = arnWhere(s.ARN)
		if s.Domain != "" {
			e.Domains = []string{s.Domain}
		}
		out = append(out, e)
	}
	slices.SortStableFunc(out, func(a, b *Entry) int {
		return cmp.Or(compareNames(dns.Fqdn(sim.BaseName(first(a.Domains))), dns.Fqdn(sim.BaseName(first(b.Domains)))),
			cmp.Compare(first(a.Domains), first(b.Domains)), cmp.Compare(a.ARN, b.ARN))
	})
	// Ids come from the domain; certificates that share one also get the
	// start of their ARN's id, so that every id says which one it is.
	slug := func(e *Entry) string {
		base := "certificate"
		if d := first(e.Domains); d != "" {
			base = strings.Replace(strings.ToLower(d), "*.", "wildcard.", 1)
		}
		return sanitizeID(base, "certificate")
	}
	count := map[string]int{}
	for _, e := range out {
		count[slug(e)]++
	}
	used := map[string]bool{}
	for _, e := range out {
		id := slug(e)
		if count[id] > 1 {
			if a, ok := sim.ParseCertARN(e.ARN); ok {
				id += "-" + strings.ToLower(a.ID[:min(8, len(a.ID))])
			}
		}
		e.ID = unique(id, used)
	}
	return out
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

// sanitizeID makes s a scenario id: letters, digits, '-' and '_', starting
// with a letter or digit.
func sanitizeID(s, fallback string) string {
	var b strings.Builder
	dash := false
	for _, r := range s {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_'
		switch {
		case ok:
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	out := strings.TrimRight(b.String(), "-")
	if out == "" || out[0] == '_' {
		return fallback
	}
	return out
}

func unique(id string, used map[string]bool) string {
	out := id
	for i := 2; used[out]; i++ {
		out = fmt.Sprintf("%s-%d", id, i)
	}
	used[out] = true
	return out
}

// zoneIndex finds the zone that holds a name, and remembers which zones
// served some certificate.
type zoneIndex struct {
	zones  []*Zone
	used   map[string]bool
	byApex map[string]*Zone // the first zone of each apex
}

// newZoneIndex indexes zones by apex: a map, not a walk through every zone
// for every name, which would make a check of thousands of zones
// quadratic.
func newZoneIndex(zones []*Zone) *zoneIndex {
	zi := &zoneIndex{zones: zones, byApex: make(map[string]*Zone, len(zones))}
	for _, z := range zones {
		if _, ok := zi.byApex[z.Apex]; !ok {
			zi.byApex[z.Apex] = z
		}
	}
	return zi
}

// lookup is the zone whose data answers for name: the deepest zone that
// contains it, unless a delegation in it sends name elsewhere. why says
// what is missing when there is none.
func (zi *zoneIndex) lookup(name string) (z *Zone, why string) {
	name = canonical(name)
	// The deepest zone is the first found climbing from the name. The
	// root zone contains only the root (Zone.contains).
	for cand := name; cand != "" && z == nil; cand = parent(cand) {
		if cand != "." || name == "." {
			z = zi.byApex[cand]
		}
	}
	if z == nil {
		return nil, "no zone data for " + strings.TrimSuffix(name, ".")
	}
	if cut := z.delegation(name); cut != "" {
		return nil, fmt.Sprintf("no zone data for %s (zone %s delegates %s to other name servers)", strings.TrimSuffix(name, "."), z.Apex, cut)
	}
	if zi.used == nil {
		zi.used = map[string]bool{}
	}
	zi.used[z.Apex] = true
	return z, ""
}

// classify decides whether e can be simulated and, when it cannot, its
// verdict.
func classify(p *Plan, e *Entry, zones *zoneIndex) {
	c := e.cert
	if e.origin == KeyPairOriginACME && e.Status == "ISSUED" && (c == nil || c.NotAfter.After(p.Now)) {
		acme(e, c)
		return
	}
	if c == nil {
		e.Verdict = VerdictCannotTell
		e.Reason = "listed by list-certificates, but no describe-certificate output was given for it"
		e.Fix = fmt.Sprintf("aws acm describe-certificate --certificate-arn %s > FILE.json, and pass it with -acm", e.ARN)
		return
	}
	if u := c.Unsettled; u != nil {
		e.Verdict, e.Reason, e.Fix = VerdictCannotTell, u.Reason, u.Fix
		// Its zone holds its names all the same: not an unused zone.
		for _, n := range e.Domains {
			zones.lookup(sim.BaseName(n))
		}
		return
	}
	switch {
	case c.Status == "EXPIRED" || (c.Status == "ISSUED" && !c.NotAfter.After(p.Now)):
		t := c.NotAfter
		e.Verdict, e.Date = VerdictExpired, &t
		e.Reason = "already expired on " + day(t)
		if c.Status == "ISSUED" {
			e.Reason += " (the export says ISSUED: it is older than -now)"
		}
		e.Fix = "request a new certificate, put it where this one is used, and delete this one"
		if len(c.InUseBy) > 0 {
			e.Fix = fmt.Sprintf("request a new certificate now and put it on %s, which still serves this expired one; then delete this one", strings.Join(resourceNames(c.InUseBy), ", "))
		}
		return
	case c.Status != "ISSUED":
		e.Verdict = VerdictNotIssued
		e.Reason = fmt.Sprintf("status %s: it was never issued (or no longer is), so there is nothing to renew", c.Status)
		e.Fix = notIssuedFix[c.Status]
		return
	case c.NotBefore.After(p.Now):
		e.Verdict = VerdictCannotTell
		e.Reason = fmt.Sprintf("issued on %s, after -now: the exports are newer than the time asked about", day(c.NotBefore))
		e.Fix = "run the check with a later -now"
		return
	}
	e.exported = c.Exported != nil && *c.Exported
	if !e.exported && len(c.InUseBy) == 0 && c.RenewalEligibility == "ELIGIBLE" && c.Type != "IMPORTED" {
		// Eligible while nothing uses it: ACM counts an export since the
		// last issue, which only the list's Exported would show.
		e.exported = true
	}
	if c.Type != "AMAZON_ISSUED" {
		e.Simulated = true
		return
	}
	var missing []string
	for _, n := range e.Domains {
		if _, why := zones.lookup(sim.BaseName(n)); why != "" {
			missing = appendNew(missing, why)
		}
	}
	switch e.Method {
	case "":
		e.Verdict = VerdictCannotTell
		e.Reason = "the export names no validation method (DomainValidationOptions is empty)"
		e.Fix = "export it again with aws acm describe-certificate"
		return
	case "HTTP":
		e.Verdict = VerdictCannotTell
		e.Reason = "HTTP validation: whether the CloudFront distribution still serves the token (RedirectFrom) is not in the exports"
		e.Fix = "check that each RedirectFrom URL redirects to its RedirectTo (curl -sI), then model it with validation: http in the scenario"
		return
	case "DNS":
		for _, n := range e.Domains {
			v := c.Validation(n)
			if v == nil || v.Record == nil {
				missing = appendNew(missing, "no validation record (ResourceRecord) for "+n+" in the export")
				continue
			}
			r := recordFor(e, v)
			r.Names = append(r.Names, n)
			if len(missing) > 0 {
				continue // the names' zones are missing already: say that once
			}
			z, why := zones.lookup(r.Name)
			if why != "" {
				missing = appendNew(missing, why)
				continue
			}
			r.Zone = z.Apex
			doubled := strings.TrimSuffix(canonical(r.Name), ".") + "." + z.Apex
			if len(z.records(doubled)) > 0 {
				r.Doubled = doubled
			}
			r.Wildcard = z.wildcard(r.Name)
			if why := chainLeaves(zones, r); why != "" {
				missing = appendNew(missing, why)
			}
		}
	}
	if len(missing) > 0 {
		e.Verdict = VerdictCannotTell
		e.Reason = strings.Join(missing, "; ")
		e.Fix = "export the zone that holds these names (aws route53 list-resource-record-sets --hosted-zone-id ID > zone.json, or its BIND file) and pass it with -zones"
		if strings.HasPrefix(missing[0], "no validation record") {
			e.Fix = "export it again with aws acm describe-certificate: a DNS-validated certificate shows each name's ResourceRecord"
		}
		return
	}
	e.Simulated = true
}

// acme settles a certificate issued through ACM's ACME endpoint: ACM does
// not renew it (S21), its ACME client does, and renewsim models no ACME
// client, so it cannot tell; it names the client's renewal as what to
// watch, predicts no ACM renewal, and does not count against the exit
// status.
func acme(e *Entry, c *Certificate) {
	by := "before it expires"
	if !e.NotAfter.IsZero() {
		by = "before " + day(e.NotAfter)
	}
	e.Verdict = VerdictCannotTell
	e.Reason = "issued through ACM's ACME endpoint (CertificateKeyPairOrigin ACME): ACM does not renew it, its ACME client does, which renewsim does not simulate"
	e.Fix = "watch the ACME client's renewal (its scheduler and its log): it must obtain a new certificate from the ACME endpoint " + by + " and deploy it where this one is used"
	if c != nil && c.AcmeEndpoint != "" {
		e.Notes = append(e.Notes, "issued by ACME endpoint "+c.AcmeEndpoint)
	}
}

// chainLeaves follows a validation record's CNAME chain through the zones.
// When it continues to a name no zone holds (other than ACM's own
// acm-validations.aws), what DNS answers there cannot be told: it says so.
func chainLeaves(zones *zoneIndex, r *recordInfo) string {
	cur := r.Name
	seen := map[string]bool{}
	for hop := 0; hop < maxChainHops; hop++ {
		k := canonical(cur)
		if seen[k] || strings.HasSuffix(k, ".acm-validations.aws.") {
			return ""
		}
		seen[k] = true
		z, why := zones.lookup(cur)
		if why != "" {
			return fmt.Sprintf("%s, where the validation record %s leads by CNAME", why, r.Name)
		}
		next := z.cnameAt(cur)
		if next == "" || sim.CNAMEMatches(next, r.Value) {
			return ""
		}
		cur = next
	}
	return ""
}

// recordFor is e's entry for the validation record of v, shared by names
// that share the record.
func recordFor(e *Entry, v *DomainValidation) *recordInfo {
	for _, r := range e.records {
		if strings.EqualFold(r.Name, v.Record.Name) {
			return r
		}
	}
	r := &recordInfo{Name: v.Record.Name, Value: v.Record.Value}
	e.records = append(e.records, r)
	return r
}

var notIssuedFix = map[string]string{
	"PENDING_VALIDATION":   "validate it (add its CNAME, or approve its e-mail) within 72 hours of the request, or delete it",
	"VALIDATION_TIMED_OUT": "request it again and validate it within 72 hours; delete this one",
	"FAILED":               "see FailureReason in describe-certificate, request it again, and delete this one",
	"REVOKED":              "request a new certificate, replace this one wherever it is used, and delete it",
	"INACTIVE":             "replace it with an issued certificate wherever it is used, or delete it",
}

// shareRecords finds the validation records several certificates rely on:
// deleting one breaks the renewal of all of them.
func shareRecords(entries []*Entry) []SharedRecord {
	type rec struct {
		name, value string
		users       []string
	}
	var order []string
	recs := map[string]*rec{}
	for _, e := range entries {
		if e.cert == nil || (e.Status != "ISSUED" && e.Status != "PENDING_VALIDATION") {
			continue
		}
		for _, v := range e.cert.Validations {
			if v.Record == nil {
				continue
			}
			k := canonical(v.Record.Name)
			r := recs[k]
			if r == nil {
				r = &rec{name: v.Record.Name, value: v.Record.Value}
				recs[k] = r
				order = append(order, k)
			}
			r.users = appendNew(r.users, e.ID)
		}
	}
	infos := map[string][]*recordInfo{}
	for _, e := range entries {
		for _, ri := range e.records {
			k := canonical(ri.Name)
			infos[k] = append(infos[k], ri)
		}
	}
	var out []SharedRecord
	for _, k := range order {
		r := recs[k]
		if len(r.users) < 2 {
			continue
		}
		out = append(out, SharedRecord{Record: r.name, Value: r.value, Certificates: r.users})
		for _, ri := range infos[k] {
			ri.Users = r.users
		}
	}
	return out
}

// preNotes are the traps an entry falls into that the exports show before
// any run.
func preNotes(p *Plan, e *Entry) {
	c := e.cert
	if c == nil {
		return
	}
	for _, r := range e.records {
		if len(r.Users) < 2 {
			continue
		}
		s := SharedRecord{Record: r.Name, Certificates: r.Users}
		var others []string
		for _, id := range s.Certificates {
			if id != e.ID {
				others = append(others, id)
			}
		}
		e.Notes = append(e.Notes, fmt.Sprintf("shared validation record: %s is also what %s rely on; deleting it (for example with the stack that created it) breaks the renewal of all %d",
			s.Record, strings.Join(others, ", "), len(s.Certificates)))
	}
	if e.origin == KeyPairOriginACME && e.Verdict == VerdictCannotTell {
		return // its ACME client renews it: ACM's eligibility and notices do not apply
	}
	if c.Status != "ISSUED" || !e.Simulated && e.Verdict != VerdictCannotTell {
		if len(c.InUseBy) > 0 && (c.Status == "EXPIRED" || c.Status == "REVOKED" || e.Verdict == VerdictExpired) {
			e.Notes = append(e.Notes, fmt.Sprintf("still attached to %s", strings.Join(resourceNames(c.InUseBy), ", ")))
		}
		return
	}
	switch c.Type {
	case "IMPORTED":
		e.Notes = append(e.Notes, "imported: ACM never renews it; it sends Approaching Expiration events but no Expired event")
	case "PRIVATE":
		ca := c.CertificateAuthority
		if ca == "" {
			ca = "its private CA"
		}
		e.Notes = append(e.Notes, fmt.Sprintf("private (%s): ACM renews it without validation while it is in use or exported, as long as the CA is ACTIVE and lets ACM issue (a PCA_* reason otherwise); the exports do not show the CA's state", ca))
	}
	if c.Type != "IMPORTED" && len(c.InUseBy) == 0 {
		if e.exported {
			e.Notes = append(e.Notes, "not in use but exported: that makes the next renewal eligible, and a renewal resets it — export it again after each renewal or attach it")
		} else {
			note := fmt.Sprintf("not in use and not exported: ACM will not renew it and sends no Renewal Action Required notice; it expires silently on %s", day(c.NotAfter))
			if c.Export == "ENABLED" {
				note += " (it is exportable: an export before the renewal window would make that renewal eligible)"
			}
			e.Notes = append(e.Notes, note)
		}
	}
	// The note on a certificate from before 2026-02-18 is told after the
	// run (renewalNotes), and only of one that renews.
	if c.Type == "AMAZON_ISSUED" && e.Method == "EMAIL" {
		e.Notes = append(e.Notes, emailNote(p))
	}
	if r := c.Renewal; r != nil && r.Status != "" && r.Status != "SUCCESS" {
		s := "ACM reports now: renewal " + r.Status
		if r.Reason != "" {
			s += " (" + r.Reason + ")"
		}
		if !r.UpdatedAt.IsZero() {
			s += " since " + day(r.UpdatedAt)
		}
		e.Notes = append(e.Notes, s)
	}
}

// emailNote says how often someone must approve an e-mail-validated
// certificate's renewal: every lifetime minus window of the certificates
// renewals give now, and of each step of the profile's schedule the
// horizon reaches.
func emailNote(p *Plan) string {
	every := func(at time.Time) time.Duration {
		return p.Profile.Validity(sim.TypeAmazonIssued, at) - p.Profile.Window(sim.TypeAmazonIssued, at)
	}
	now := every(p.Now)
	s := fmt.Sprintf("e-mail validation: someone must follow an approval link at every renewal, about every %s under %s (%.1f times a year)",
		days(now), p.ProfileName, perYear(now))
	var later []string
	for _, step := range horizonSteps(p) {
		d := every(step)
		later = append(later, fmt.Sprintf("every %s from %s (%.1f times a year)", days(d), day(step), perYear(d)))
	}
	if len(later) > 0 {
		s += ", then " + strings.Join(later, ", then ")
	}
	return s
}

func perYear(every time.Duration) float64 { return float64(365*sim.Day) / float64(every) }

// horizonSteps are the dates from which the profile's public certificates
// get other lifetimes and windows, in order, that fall after the plan's
// now and before its until.
func horizonSteps(p *Plan) []time.Time {
	var out []time.Time
	for _, t := range []time.Time{p.Profile.TransitionDate, p.Profile.From100d, p.Profile.From47d} {
		if !t.IsZero() && t.After(p.Now) && t.Before(p.Until) {
			out = append(out, t)
		}
	}
	return out
}

// assumptions are the numbers of the profile that AWS has not announced
// and the horizon reaches, as check's header says them: the renewal
// windows of the schedule's 100- and 47-day certificates.
func assumptions(p *Plan) []string {
	var out []string
	for _, st := range []struct {
		from   time.Time
		window time.Duration
		knob   string
		days   time.Duration
	}{
		{p.Profile.From100d, p.Profile.Window100d, "window_100d", p.Profile.Validity100d},
		{p.Profile.From47d, p.Profile.Window47d, "window_47d", p.Profile.Validity47d},
	} {
		if st.from.IsZero() || !st.from.Before(p.Until) {
			continue
		}
		out = append(out, fmt.Sprintf("after %s renewals are assumed to start %s before expiry (%s: ACM has not announced its renewal window for %s-day certificates)",
			day(st.from), days(st.window), st.knob, dayCount(st.days)))
	}
	return out
}

// fleetNotes are the notes about the inputs as a whole.
func fleetNotes(p *Plan, f *Fleet, zones *zoneIndex) []string {
	var out []string
	for _, z := range f.Zones {
		if !zones.used[z.Apex] {
			note := fmt.Sprintf("zone %s (%s) holds none of the certificates' names: not used", strings.TrimSuffix(z.Apex, "."), strings.Join(z.Files, ", "))
			out = append(out, note)
			p.unusedZones = append(p.unusedZones, note)
		}
	}
	for _, pz := range f.PrivateZones {
		var names []string
		for _, e := range p.Entries {
			if e.Type != "AMAZON_ISSUED" && e.Type != "" {
				continue
			}
			for _, n := range e.Domains {
				base := canonical(sim.BaseName(n))
				if (base == pz.Name || strings.HasSuffix(base, "."+pz.Name)) && !slices.Contains(names, n) {
					names = append(names, n)
				}
			}
		}
		if len(names) > 0 {
			out = append(out, fmt.Sprintf("zone %s (%s) is a private hosted zone: ACM validates through public DNS, so its records are not used for %s",
				strings.TrimSuffix(pz.Name, "."), pz.ID, andList(names)))
		}
	}
	if len(f.NextTokens) > 0 {
		out = append(out, fmt.Sprintf("%s ends with a NextToken: more list-certificates pages exist; certificates only on them are missing here unless described", strings.Join(f.NextTokens, ", ")))
	}
	if d := p.DaysBeforeExpiry; d > 0 {
		// The windows of public certificates renewed now and, on a dated
		// schedule, from each later step the horizon reaches: events from
		// more days than the shortest of them come before every healthy
		// renewal.
		window := p.Profile.Window(sim.TypeAmazonIssued, p.Now)
		at := "T−" + dayCount(window)
		shortest := window
		for _, step := range horizonSteps(p) {
			w := p.Profile.Window(sim.TypeAmazonIssued, step)
			at += fmt.Sprintf(" (T−%s from %s)", dayCount(w), day(step))
			shortest = min(shortest, w)
		}
		if w := int(shortest / sim.Day); d >= w {
			out = append(out, fmt.Sprintf("DaysBeforeExpiry is %d (account configuration): ACM sends Approaching Expiration events from %d days before expiry, but under %s it renews public certificates only at %s — every healthy renewal raises them first, so an alarm on them (or on DaysToExpiry ≤ %d) fires every cycle; a threshold between 45 and 60 days was silent when ACM renewed at T−60. Alarm below %d days, or on Renewal Action Required",
				d, d, p.ProfileName, at, d, w))
		}
	}
	return out
}

// resourceNames shortens resource ARNs for messages.
func resourceNames(arns []string) []string {
	out := make([]string, len(arns))
	for i, a := range arns {
		out[i] = resourceOf(a).label
	}
	return out
}

func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

func day(t time.Time) string { return t.UTC().Format("2006-01-02") }

// lifetimeDays is a certificate's lifetime in days as ACM counts it: the
// validity period from NotBefore to NotAfter with its last second
// included (RFC 5280 §4.1.2.5: both ends belong to it), to the nearest day.
// A 395-day certificate issued at 00:00:00 that ends at 23:59:59 the day
// before, and one that ends at 00:00:00 (as renewsim's do), are both 395.
func lifetimeDays(notBefore, notAfter time.Time) int {
	return int((notAfter.Sub(notBefore) + time.Second + sim.Day/2) / sim.Day)
}

// dayCount writes a duration in whole days, with hours when there are any
// ("45", "33d8h").
func dayCount(d time.Duration) string {
	if d%sim.Day == 0 {
		return fmt.Sprint(int(d / sim.Day))
	}
	return sim.FormatDuration(d.Truncate(time.Hour))
}

// days writes a duration in days, rounded down ("45 days", "33 days 8h").
func days(d time.Duration) string {
	n := int(d / sim.Day)
	rest := d - time.Duration(n)*sim.Day
	s := fmt.Sprintf("%d days", n)
	if n == 1 {
		s = "1 day"
	}
	if h := int(rest / time.Hour); h > 0 {
		s += fmt.Sprintf(" %dh", h)
	}
	return s
}

package sim_test

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	fakedns "github.com/renewsim/renewsim/fakes/dns"
	"github.com/renewsim/renewsim/sim"
)

// hworld is the world of the harness: it answers every effect of the model
// in memory, the way sim/run's fakes answer over loopback. What the model
// built with its effects (the zone, the HTTP paths, what each resource
// serves, the mail that was delivered, the approval links) answers by
// default; canned answers set by a test (the `world` command, or the
// property generator) replace it for one name from a virtual time on.
type hworld struct {
	sc   *sim.Scenario
	seed uint64

	zone     map[string][]zrr // owner (lower case, absolute) -> records
	web      []map[string]webPath
	served   []sim.Deploy // per resource: what its TLS side serves (Serial "" = nothing)
	rejected map[string]bool
	msgs     []message
	links    map[string]link
	sent     []sim.SendEmail // approval e-mails asked for, in order (click mail=N)

	canned []canned
	faults []*hfault
}

// hfault is a DNS fault in force, struck the way fakes/dns strikes it
// (fakedns.Strikes, counted per question).
type hfault struct {
	owner string
	zone  bool
	kind  string
	p     float64
	seed  uint64
	seen  map[string]uint64
}

// The texts sim/run gives a query whose answer a fault held back.
const (
	heldTimeout = "no answer from the name server (timed out)"
	heldSlow    = "the answer came after ACM's resolver had given up (slow name server)"
)

func (w *hworld) dnsFault(e sim.DNSFault) {
	owner := fqdn(e.Owner)
	w.faults = slices.DeleteFunc(w.faults, func(f *hfault) bool { return f.owner == owner && f.zone == e.Zone })
	if !e.Clear {
		w.faults = append(w.faults, &hfault{owner: owner, zone: e.Zone, kind: e.Kind, p: e.Probability, seed: e.Seed, seen: map[string]uint64{}})
	}
}

// fault is what a fault does to the query (qname, qtype): "" when none
// covers it or it is spared, else servfail, timeout or slow. A name fault
// wins over zone faults, the nearest zone over the others.
func (w *hworld) fault(qname, qtype string) string {
	name := fqdn(qname)
	var hit *hfault
	for _, f := range w.faults {
		if !f.zone && f.owner == name {
			hit = f
		}
	}
	for cand := name; hit == nil; {
		for _, f := range w.faults {
			if f.zone && f.owner == cand {
				hit = f
			}
		}
		if cand == "." {
			break
		}
		if i := strings.IndexByte(cand, '.'); i >= 0 && i+1 < len(cand) {
			cand = cand[i+1:]
		} else {
			cand = "."
		}
	}
	if hit == nil {
		return ""
	}
	key := name + "/" + qtype
	n := hit.seen[key]
	hit.seen[key] = n + 1
	if !fakedns.Strikes(hit.seed, name, qtype, n, hit.p) {
		return ""
	}
	return hit.kind
}

func heldText(kind string) string {
	if kind == sim.FaultSlow {
		return heldSlow
	}
	return heldTimeout
}

// zrr is one record of the zone.
type zrr struct {
	owner, typ, data string
}

type webPath struct{ body, location string }

// message is one e-mail the mail server accepted.
type message struct {
	to, subject, code, kind, domain string
}

type link struct {
	domain    string
	expiresAt time.Time
}

// canned is a test's answer for one question from a virtual time on:
// what = cname (key: a name of a certificate: its validation record),
// caa (key: an owner name), http and https (key: a domain), tls (key: a
// resource id), mail (key: an address).
type canned struct {
	from      time.Time
	what, key string
	answer    string
}

func newWorld(sc *sim.Scenario, seed uint64) *hworld {
	w := &hworld{sc: sc, seed: seed, zone: map[string][]zrr{}, rejected: map[string]bool{},
		links: map[string]link{}}
	w.web = make([]map[string]webPath, len(sc.Resources))
	for i := range w.web {
		w.web[i] = map[string]webPath{}
	}
	w.served = make([]sim.Deploy, len(sc.Resources))
	for _, mb := range sc.Mailboxes {
		if mb.Rejects {
			w.rejected[strings.ToLower(mb.Address)] = true
		}
	}
	return w
}

// cannedKinds are the questions a test can answer.
var cannedKinds = []string{"cname", "caa", "http", "https", "tls", "mail"}

// setCanned parses one line of the `world` command: "what key: answer".
func (w *hworld) setCanned(from time.Time, line string) error {
	head, answer, ok := strings.Cut(line, ":")
	f := strings.Fields(head)
	if !ok || len(f) != 2 || !slices.Contains(cannedKinds, f[0]) {
		return fmt.Errorf("world: want \"<%s> <name>: <answer>\", got %q", strings.Join(cannedKinds, "|"), line)
	}
	what, key, answer := f[0], f[1], strings.TrimSpace(answer)
	if err := checkCanned(what, answer); err != nil {
		return fmt.Errorf("world: %s %s: %w", what, key, err)
	}
	if what == "cname" {
		key, _ = sim.ValidationRecord(w.seed, w.sc.Profile.Account, key)
	}
	if what == "caa" {
		key = fqdn(key)
	}
	w.canned = append(w.canned, canned{from: from, what: what, key: strings.ToLower(key), answer: answer})
	return nil
}

func checkCanned(what, answer string) error {
	first, rest, _ := strings.Cut(answer, " ")
	if answer == "zone" {
		return nil
	}
	var ok bool
	switch what {
	case "cname":
		ok = slices.Contains([]string{"nxdomain", "nodata", "servfail", "timeout", "wrong"}, answer)
		if first == "chain" {
			_, err := strconv.Atoi(rest)
			ok = err == nil
		}
	case "caa":
		ok = slices.Contains([]string{"servfail", "timeout", "none"}, answer) || len(strings.Fields(answer)) >= 3
	case "http":
		_, err := strconv.Atoi(first)
		ok = err == nil || answer == "token" || answer == "redirect" || answer == "unreachable"
		if first == "redirect" && rest != "" {
			code, err := strconv.Atoi(rest)
			ok = err == nil && code >= 300 && code < 400
		}
	case "https", "tls":
		ok = first == "error" && rest != ""
	case "mail":
		ok = answer == "refuse" || answer == "tempfail" || answer == "accept"
	}
	if !ok {
		return fmt.Errorf("unknown answer %q", answer)
	}
	return nil
}

// answerFor is the canned answer for (what, key) at now, "" when the world
// answers from what the model built.
func (w *hworld) answerFor(what, key string, now time.Time) string {
	key = strings.ToLower(key)
	best := ""
	for _, c := range w.canned {
		if c.what == what && c.key == key && !now.Before(c.from) {
			best = c.answer
		}
	}
	if best == "zone" {
		return ""
	}
	return best
}

func fqdn(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

// The zone.

func (w *hworld) dnsChange(c sim.DNSChange) error {
	for _, rm := range c.Remove {
		owner := fqdn(rm.Name)
		if rm.Type == "" {
			delete(w.zone, owner)
			continue
		}
		w.zone[owner] = slices.DeleteFunc(w.zone[owner], func(r zrr) bool { return strings.EqualFold(r.typ, rm.Type) })
		if len(w.zone[owner]) == 0 {
			delete(w.zone, owner)
		}
	}
	for _, line := range c.Add {
		r, err := parseZoneLine(line)
		if err != nil {
			return err
		}
		if !slices.Contains(w.zone[r.owner], r) {
			w.zone[r.owner] = append(w.zone[r.owner], r)
		}
	}
	return nil
}

// parseZoneLine reads "owner [ttl] [IN] TYPE rdata".
func parseZoneLine(line string) (zrr, error) {
	f := strings.Fields(line)
	if len(f) < 3 {
		return zrr{}, fmt.Errorf("zone line %q: want owner, type and data", line)
	}
	r := zrr{owner: fqdn(f[0])}
	i := 1
	if _, err := strconv.Atoi(f[i]); err == nil {
		i++
	}
	if i < len(f) && strings.EqualFold(f[i], "IN") {
		i++
	}
	if i+1 >= len(f) {
		return zrr{}, fmt.Errorf("zone line %q: want a type and data", line)
	}
	r.typ = strings.ToUpper(f[i])
	data := f[i+1:]
	switch r.typ {
	case "CNAME":
		r.data = fqdn(data[0])
	case "CAA":
		if len(data) < 3 {
			return zrr{}, fmt.Errorf("zone line %q: CAA wants flag, tag and value", line)
		}
		// The tag keeps its case, as miekg/dns (and so fakes/dns and
		// sim/run) keeps it: the model must match tags case-insensitively
		// (RFC 8659 §4), and a harness that lowered them would hide a
		// model that does not.
		value := strings.Trim(strings.Join(data[2:], " "), `"`)
		r.data = fmt.Sprintf("%s %s %q", data[0], data[1], value)
	default:
		r.data = strings.Join(data, " ")
	}
	return r, nil
}

// lookup answers a query the way fakes/dns does: NXDOMAIN for a name
// without records unless names exist below it, the records of the type
// asked, or the CNAME chain from the name.
func (w *hworld) lookup(name, typ string) (rcode string, answer []zrr) {
	name = fqdn(name)
	rrs := w.zone[name]
	if len(rrs) == 0 {
		for owner := range w.zone {
			if strings.HasSuffix(owner, "."+name) {
				return "NOERROR", nil
			}
		}
		return "NXDOMAIN", nil
	}
	if answer = ofType(nil, rrs, typ); len(answer) > 0 {
		return "NOERROR", answer
	}
	seen := map[string]bool{name: true}
	for len(answer) < 16 {
		i := slices.IndexFunc(rrs, func(r zrr) bool { return r.typ == "CNAME" })
		if i < 0 {
			break
		}
		answer = append(answer, rrs[i])
		target := rrs[i].data
		if seen[target] {
			break
		}
		seen[target] = true
		rrs = w.zone[target]
		if next := ofType(answer, rrs, typ); len(next) > len(answer) {
			return "NOERROR", next
		}
	}
	return "NOERROR", answer
}

func ofType(dst, rrs []zrr, typ string) []zrr {
	for _, r := range rrs {
		if r.typ == typ {
			dst = append(dst, r)
		}
	}
	return dst
}

// resolveCNAME follows the validation record's chain up to MaxHops
// queries, as sim/run does.
func (w *hworld) resolveCNAME(c sim.CheckCNAME, now time.Time) sim.CNAMEAnswer {
	ans := sim.CNAMEAnswer{Cert: c.Cert, Attempt: c.Attempt, Record: c.Record}
	canned := w.answerFor("cname", c.Record, now)
	var synthetic []string // a canned chain, hop by hop
	switch first, rest, _ := strings.Cut(canned, " "); {
	case canned == "nxdomain":
		ans.Rcode = "NXDOMAIN"
		return ans
	case canned == "nodata":
		ans.Rcode = "NOERROR"
		return ans
	case canned == "servfail":
		ans.Rcode = "SERVFAIL"
		return ans
	case canned == "timeout":
		ans.Err = "no answer from the name server"
		return ans
	case canned == "wrong":
		_, other := sim.ValidationRecord(w.seed, w.sc.Profile.Account, "wrong."+c.Record)
		synthetic = []string{other}
	case first == "chain":
		n, _ := strconv.Atoi(rest)
		for i := 1; i < n; i++ {
			synthetic = append(synthetic, fmt.Sprintf("_hop%d.%s", i, strings.TrimPrefix(c.Record, "_")))
		}
		synthetic = append(synthetic, c.Expected)
	}
	name := c.Record
	for hop := 0; hop < c.MaxHops; hop++ {
		target := ""
		if canned != "" {
			ans.Rcode = "NOERROR"
			if hop < len(synthetic) {
				target = synthetic[hop]
			}
		} else {
			switch f := w.fault(name, "CNAME"); f {
			case sim.FaultServfail:
				ans.Rcode = "SERVFAIL"
				return ans
			case sim.FaultTimeout, sim.FaultSlow:
				ans.Err = heldText(f)
				return ans
			}
			rcode, answer := w.lookup(name, "CNAME")
			ans.Rcode = rcode
			if rcode != "NOERROR" {
				return ans
			}
			for _, r := range answer {
				if r.typ == "CNAME" && r.owner == fqdn(name) {
					target = r.data
					break
				}
			}
		}
		if target == "" {
			return ans
		}
		ans.Chain = append(ans.Chain, target)
		if sim.CNAMEMatches(target, c.Expected) {
			return ans
		}
		name = target
	}
	return ans
}

// caa finds the CAA record set that governs name, climbing toward the root
// and following CNAMEs, as sim/run does.
func (w *hworld) caa(name string, now time.Time) sim.CAAAnswer {
	ans := sim.CAAAnswer{Name: name}
	cand := fqdn(strings.TrimPrefix(strings.ToLower(name), "*."))
	for {
		canned := w.answerFor("caa", cand, now)
		switch canned {
		case "servfail":
			ans.Err = "SERVFAIL for " + cand
			return ans
		case "timeout":
			ans.Err = "no answer from the name server"
			return ans
		case "", "none":
			if canned == "" {
				switch f := w.fault(cand, "CAA"); f {
				case sim.FaultServfail:
					ans.Err = "SERVFAIL for " + cand
					return ans
				case sim.FaultTimeout, sim.FaultSlow:
					ans.Err = heldText(f)
					return ans
				}
				_, answer := w.lookup(cand, "CAA")
				for _, r := range answer {
					if r.typ == "CAA" {
						ans.Records = append(ans.Records, r.data)
						ans.FoundAt = r.owner
					}
				}
			}
		default:
			for _, rec := range strings.Split(canned, ";;") {
				r, err := parseZoneLine(cand + " CAA " + strings.TrimSpace(rec))
				if err == nil {
					ans.Records = append(ans.Records, r.data)
					ans.FoundAt = cand
				}
			}
		}
		if len(ans.Records) > 0 || cand == "." {
			return ans
		}
		if i := strings.IndexByte(cand, '.'); i >= 0 && i+1 < len(cand) {
			cand = cand[i+1:]
		} else {
			cand = "."
		}
	}
}

// resolveA finds the address a name points at, and the resource there
// (-1 when none answers at it).
func (w *hworld) resolveA(name string) (ip string, res int, problem string) {
	switch f := w.fault(name, "A"); f {
	case sim.FaultServfail:
		return "", -1, fmt.Sprintf("%s has no address (SERVFAIL)", name)
	case sim.FaultTimeout, sim.FaultSlow:
		return "", -1, heldText(f)
	}
	rcode, answer := w.lookup(name, "A")
	if rcode != "NOERROR" {
		return "", -1, fmt.Sprintf("%s has no address (%s)", name, rcode)
	}
	for _, r := range answer {
		if r.typ != "A" {
			continue
		}
		for i := range w.sc.Resources {
			if sim.ResourceAddress(i) == r.data {
				return r.data, i, ""
			}
		}
		return r.data, -1, ""
	}
	return "", -1, fmt.Sprintf("%s has no A record", name)
}

// checkHTTP answers the HTTP validation check.
func (w *hworld) checkHTTP(c sim.CheckHTTP, now time.Time) sim.HTTPAnswer {
	ans := sim.HTTPAnswer{Cert: c.Cert, Attempt: c.Attempt, Domain: c.Domain}
	_, content, redirect := sim.HTTPToken(w.seed, &w.sc.Profile, c.Domain)
	switch canned := w.answerFor("http", c.Domain, now); {
	case canned == "token":
		ans.Status, ans.Body = 200, content
		return ans
	case canned == "redirect" || strings.HasPrefix(canned, "redirect "):
		// ACM's copy of the token, with the status given (301 when none).
		ans.Status, ans.Location = 301, redirect
		if code, ok := strings.CutPrefix(canned, "redirect "); ok {
			ans.Status, _ = strconv.Atoi(code)
		}
		return ans
	case canned == "unreachable":
		ans.Err = "connection failed"
		return ans
	case canned != "":
		code, rest, _ := strings.Cut(canned, " ")
		ans.Status, _ = strconv.Atoi(code)
		if ans.Status >= 300 && ans.Status < 400 {
			ans.Location = rest
		} else {
			ans.Body = rest
		}
		return ans
	}
	ip, i, problem := w.resolveA(c.Domain)
	switch {
	case problem != "":
		ans.Err = problem
		return ans
	case i < 0:
		ans.Err = fmt.Sprintf("nothing answers at %s", ip)
		return ans
	}
	p, ok := w.web[i][c.Path]
	switch {
	case !ok:
		ans.Status, ans.Body = 404, "404 page not found\n"
	case p.location != "":
		ans.Status, ans.Location, ans.Body = 301, p.location, p.body
	default:
		ans.Status, ans.Body = 200, p.body
	}
	return ans
}

func (w *hworld) webChange(c sim.WebChange) {
	if c.Delete {
		delete(w.web[c.Resource], c.Path)
		return
	}
	w.web[c.Resource][c.Path] = webPath{body: c.Body, location: c.Location}
}

// probeHTTPS is the legacy probe: which certificate does the name serve?
func (w *hworld) probeHTTPS(p sim.ProbeHTTPS, now time.Time) sim.HTTPSAnswer {
	ans := sim.HTTPSAnswer{Cert: p.Cert, Attempt: p.Attempt, Domain: p.Domain}
	var problems []string
	for _, name := range append([]string{p.Domain}, p.Alternatives...) {
		if canned := w.answerFor("https", name, now); canned != "" {
			problems = append(problems, name+": "+strings.TrimPrefix(canned, "error "))
			continue
		}
		ip, i, problem := w.resolveA(name)
		switch {
		case problem != "":
			problems = append(problems, problem)
			continue
		case i < 0:
			problems = append(problems, fmt.Sprintf("nothing answers HTTPS at %s (%s)", ip, name))
			continue
		}
		if w.served[i].Serial == "" {
			problems = append(problems, name+": handshake: the server has no certificate")
			continue
		}
		ans.Via, ans.Serial = name, w.served[i].Serial
		return ans
	}
	ans.Err = strings.Join(problems, "; ")
	return ans
}

// probeTLS is a client connecting to a resource: verified iff the served
// certificate's NotBefore <= now <= NotAfter and it is valid for the name
// asked (the validity period is checked first, as crypto/x509 does).
func (w *hworld) probeTLS(p sim.ProbeTLS, now time.Time) sim.TLSAnswer {
	a := sim.TLSAnswer{Resource: p.Resource}
	if canned := w.answerFor("tls", w.sc.Resources[p.Resource].ID, now); canned != "" {
		a.Err = "handshake: " + strings.TrimPrefix(canned, "error ")
		return a
	}
	d := w.served[p.Resource]
	if d.Serial == "" {
		a.Err = "handshake: the server has no certificate"
		return a
	}
	a.Serial, a.NotAfter = d.Serial, d.NotAfter
	switch {
	case now.Before(d.NotBefore):
		a.Expired = true
		a.Err = fmt.Sprintf("verify: x509: certificate has expired or is not yet valid: current time %s is before %s",
			now.UTC().Format(time.RFC3339), d.NotBefore.UTC().Format(time.RFC3339))
	case now.After(d.NotAfter):
		a.Expired = true
		a.Err = fmt.Sprintf("verify: x509: certificate has expired or is not yet valid: current time %s is after %s",
			now.UTC().Format(time.RFC3339), d.NotAfter.UTC().Format(time.RFC3339))
	case !slices.ContainsFunc(d.Names, func(n string) bool { return nameMatches(n, p.ServerName) }):
		a.Err = fmt.Sprintf("verify: x509: certificate is not valid for %s", p.ServerName)
	default:
		a.Verified = true
	}
	return a
}

// nameMatches is VerifyHostname's rule: exact, or a wildcard standing for
// exactly one label.
func nameMatches(pattern, host string) bool {
	pattern, host = strings.ToLower(strings.TrimSuffix(pattern, ".")), strings.ToLower(strings.TrimSuffix(host, "."))
	if pattern == host {
		return true
	}
	rest, ok := strings.CutPrefix(pattern, "*.")
	if !ok {
		return false
	}
	_, hostRest, found := strings.Cut(host, ".")
	return found && hostRest == rest
}

// Mail and approval links.

func (w *hworld) listed(addr string) bool {
	return slices.ContainsFunc(w.sc.Mailboxes, func(m sim.Mailbox) bool { return strings.EqualFold(m.Address, addr) })
}

// sendMail delivers one message per recipient, as the SMTP sink would.
func (w *hworld) sendMail(e sim.SendEmail, now time.Time) sim.EmailResult {
	res := sim.EmailResult{Cert: e.Cert, Kind: e.Kind, Domain: e.Domain, Code: e.Code}
	if e.Kind == sim.EmailApproval {
		w.links[e.Code] = link{domain: e.Domain, expiresAt: e.ExpiresAt}
		w.sent = append(w.sent, e)
	}
	for _, to := range e.To {
		lower := strings.ToLower(to)
		if w.sc.UnlistedMailboxes == "reject" && !w.listed(to) {
			w.rejected[lower] = true
		}
		d := sim.Delivery{To: to, Accepted: true, Code: 250}
		switch canned := w.answerFor("mail", lower, now); {
		case canned == "tempfail":
			d = sim.Delivery{To: to, Code: 451, Err: "Temporary failure, please try again later"}
		case canned == "refuse" || (canned != "accept" && w.rejected[lower]):
			d = sim.Delivery{To: to, Code: 550, Err: "Mailbox does not exist"}
		}
		if d.Accepted {
			w.msgs = append(w.msgs, message{to: to, subject: e.Subject, code: e.Code, kind: e.Kind, domain: e.Domain})
		}
		res.Deliveries = append(res.Deliveries, d)
	}
	return res
}

// latest is the newest message delivered to address.
func (w *hworld) latest(address string) (message, bool) {
	for i := len(w.msgs) - 1; i >= 0; i-- {
		if strings.EqualFold(w.msgs[i].to, address) {
			return w.msgs[i], true
		}
	}
	return message{}, false
}

// click follows the newest approval link for domain that reached address
// ("" = any mailbox).
func (w *hworld) click(domain, address string, now time.Time) sim.ClickResult {
	subject := "Certificate request for " + domain
	for i := len(w.msgs) - 1; i >= 0; i-- {
		m := w.msgs[i]
		if m.subject == subject && m.kind == sim.EmailApproval && (address == "" || strings.EqualFold(m.to, address)) {
			return w.clickCode(m.code, domain, address, now)
		}
	}
	return sim.ClickResult{Address: address, Domain: domain, Err: "no approval e-mail for " + domain + " reached that mailbox"}
}

// clickCode follows the link with code as the approval endpoint answers
// it: expired from ExpiresAt on, approved before (again, if it already
// was: the page answers approved either way).
func (w *hworld) clickCode(code, domain, address string, now time.Time) sim.ClickResult {
	r := sim.ClickResult{Address: address, Domain: domain, Code: code}
	l, ok := w.links[code]
	switch {
	case !ok:
		r.Status, r.Err = 404, "the approval page did not work"
	case !now.Before(l.expiresAt):
		r.Status, r.Expired = 410, true
	default:
		r.Status, r.Approved = 200, true
	}
	return r
}

// domainsIn lists the names of the approval e-mails delivered to address,
// in the order first seen.
func (w *hworld) domainsIn(address string) []string {
	var out []string
	for _, m := range w.msgs {
		if d, ok := strings.CutPrefix(m.subject, "Certificate request for "); ok && strings.EqualFold(m.to, address) && !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	return out
}

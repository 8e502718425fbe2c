package scenarios

import (
	"fmt"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/renewsim/renewsim/sim"
)

// Defaults of the e-mail keys.
const (
	defaultAccountEmail = "owner@account.example"
	unlistedAccept      = "accept"
	unlistedReject      = "reject"
)

var (
	mailboxKeys     = mailboxTable.keys
	unlistedAnswers = []string{unlistedAccept, unlistedReject}
	// localRE is the dot-atom local part of RFC 5322, which is what ACM's
	// addresses and people's mailboxes use.
	localRE = regexp.MustCompile("^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")
)

// checkAddress returns what is wrong with an e-mail address, or "".
func checkAddress(s string) string {
	bad := fmt.Sprintf("want an e-mail address like admin@example.com, got %q", s)
	local, domain, ok := strings.Cut(s, "@")
	if !ok || len(local) > 64 || len(s) > 254 || !localRE.MatchString(local) || checkHostname(domain) != "" {
		return bad
	}
	return ""
}

// address reads an e-mail address.
func (l *loader) address(f *field) (string, bool) {
	s, ok := l.scalar(f)
	if !ok {
		return "", false
	}
	if msg := checkAddress(s); msg != "" {
		l.errf(f.vpos, "%s: %s", f.name, msg)
		return s, false
	}
	return s, true
}

// mailboxDraft is one mailbox while its keys are read.
type mailboxDraft struct {
	mb    sim.Mailbox
	lines map[string]int // lower-case address -> line of the mailboxes so far
}

// mailboxTable is how a mailbox is read.
var mailboxTable = newKeyTable("mailbox", []keyRow[mailboxDraft]{
	{key: "address", required: true, read: (*loader).mailboxAddress},
	{key: "clicks", read: (*loader).mailboxClicks},
	{key: "rejects", read: (*loader).mailboxRejects},
})

func (l *loader) mailboxes(b *build, f *field) {
	items, _ := l.list(f)
	lines := map[string]int{}
	for _, it := range items {
		mm := mailboxTable.mapping(l, it.n, it.pos)
		if mm == nil {
			continue
		}
		d := &mailboxDraft{mb: sim.Mailbox{Clicks: sim.ClickNever, Line: mm.pos.line}, lines: lines}
		mailboxTable.read(l, b, mm, d)
		b.sc.Mailboxes = append(b.sc.Mailboxes, d.mb)
	}
}

func (l *loader) mailboxAddress(_ *build, d *mailboxDraft, f *field) {
	addr, ok := l.address(f)
	d.mb.Address = addr
	key := strings.ToLower(addr)
	if line, dup := d.lines[key]; ok && dup {
		l.errf(f.vpos, "duplicate mailbox %q (first at line %d)", addr, line)
	} else if ok {
		d.lines[key] = d.mb.Line
	}
}

func (l *loader) mailboxClicks(b *build, d *mailboxDraft, f *field) { l.clicks(b, f, &d.mb) }

func (l *loader) mailboxRejects(_ *build, d *mailboxDraft, f *field) {
	d.mb.Rejects, _ = l.boolean(f)
}

const clicksWant = `want never, "after <duration>" (like after 2d) or "at <time>" (like at web.expiry-10d)`

// clicks reads never, "after <duration>" or "at <time>".
func (l *loader) clicks(b *build, f *field, mb *sim.Mailbox) {
	s, ok := l.scalar(f)
	if !ok {
		return
	}
	word, rest, _ := strings.Cut(strings.TrimSpace(s), " ")
	rest = strings.TrimSpace(rest)
	switch {
	case word == sim.ClickNever && rest == "":
		mb.Clicks = sim.ClickNever
	case word == sim.ClickAfter && rest != "":
		d, err := parseDuration(rest)
		switch {
		case err != nil:
			l.errf(f.vpos, "clicks: %v", err)
		case d < 0:
			l.errf(f.vpos, "clicks: after must not be negative, got %q", rest)
		default:
			mb.Clicks, mb.After = sim.ClickAfter, d
		}
	case word == sim.ClickAt && rest != "":
		// Read the time as if it were the whole value, so that messages
		// quote what follows "at".
		n := *f.val
		n.Value = rest
		tf := &field{name: f.name, key: f.key, val: &n, kpos: f.kpos, vpos: f.vpos}
		if at, ok := l.timeValue(tf, formsAll, b.env, "", nil); ok {
			mb.Clicks, mb.At = sim.ClickAt, at
			l.inRange(b, tf, at)
		}
	default:
		l.errf(f.vpos, "clicks: %s, got %q", clicksWant, s)
	}
}

func (l *loader) whois(b *build, f *field) {
	if f == nil {
		return
	}
	wm := l.mapping(f.val, f.vpos, "whois", nil)
	if wm == nil {
		return
	}
	for _, df := range wm.fields {
		if msg := checkHostname(df.name); msg != "" {
			l.errf(df.kpos, "whois: %s", msg)
			continue
		}
		if df.null() {
			l.errf(df.vpos, "key %q in whois has no value (write [] for a domain without WHOIS contacts)", df.name)
			continue
		}
		entry := sim.WhoisEntry{Domain: df.name, Contacts: []string{}}
		seen := map[string]bool{}
		for _, s := range l.stringList(df) {
			if msg := checkAddress(s.s); msg != "" {
				l.errf(s.pos, "%s: %s", df.name, msg)
				continue
			}
			key := strings.ToLower(s.s)
			if seen[key] {
				l.errf(s.pos, "%s: contact %q is listed twice", df.name, s.s)
				continue
			}
			seen[key] = true
			entry.Contacts = append(entry.Contacts, s.s)
		}
		b.sc.Whois = append(b.sc.Whois, entry)
	}
}

// withinDomain reports whether domain is name itself or a superdomain of
// it, after stripping a leading "*." from name.
func withinDomain(name, domain string) bool {
	n := strings.ToLower(strings.TrimPrefix(name, "*."))
	d := strings.ToLower(domain)
	return n == d || strings.HasSuffix(n, "."+d)
}

// validationDomain reads validation_domain: one domain for every name, or a
// mapping from names of the certificate to domains. names are all the
// certificate's names; those in bad were reported already and are skipped.
func (l *loader) validationDomain(f *field, names []string, bad map[string]bool) map[string]string {
	out := map[string]string{}
	check := func(vf *field, name string) (string, bool) {
		d, ok := l.scalar(vf)
		if !ok {
			return "", false
		}
		if msg := checkHostname(d); msg != "" {
			l.errf(vf.vpos, "validation_domain: %s", msg)
			return "", false
		}
		if name != "" && !withinDomain(name, d) {
			l.errf(vf.vpos, "validation_domain: %q is neither the name %q nor a superdomain of it", d, name)
			return "", false
		}
		return d, true
	}
	switch f.val.Kind {
	case yaml.ScalarNode:
		d, ok := check(f, "")
		if !ok {
			return nil
		}
		for _, n := range names {
			if bad[n] {
				continue
			}
			if !withinDomain(n, d) {
				l.errf(f.vpos, "validation_domain: %q is neither the name %q nor a superdomain of it", d, n)
				continue
			}
			out[n] = d
		}
	case yaml.MappingNode:
		vm := l.mapping(f.val, f.vpos, "validation_domain", nil)
		if vm == nil {
			return nil
		}
		l.perName(vm, "validation_domain", names, func(kf *field, name string) {
			if bad[name] {
				return
			}
			if d, ok := check(kf, name); ok {
				out[name] = d
			}
		})
	default:
		l.errf(f.vpos, "validation_domain: want a domain name or a mapping of names to domains, got %s", kindName(f.val))
		return nil
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

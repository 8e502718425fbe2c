package scenarios

import (
	"strings"

	"github.com/renewsim/renewsim/sim"
)

// Cross-references: ids that one section declares and others name. A
// section may name only what the sections before it declared (resources,
// then certificates, then alarms), so each reference is resolved where it
// is read, against what build holds by then.

// firstCertID registers the first certificate with id, declared at line;
// a later one is reported, and stays unknown to the rest of the scenario.
func (l *loader) firstCertID(b *build, f *field, id string, line int) bool {
	if first, dup := b.certLines[id]; dup {
		l.errf(f.vpos, "duplicate certificate id %q (first at line %d)", id, first)
		return false
	}
	b.certLines[id] = line
	return true
}

// registerCertificate makes a certificate known to the sections after the
// certificates: its times to time expressions, its method and type to
// timeline entries and expectations, its names to click-approval.
func (b *build) registerCertificate(c *sim.Certificate, meta *certMeta) {
	for _, n := range c.Names() {
		key := strings.ToLower(n)
		own := b.names[key]
		if own == nil {
			own = &nameOwners{first: c.ID}
			b.names[key] = own
		}
		own.email = own.email || meta.validation == sim.ValidationEmail
	}
	b.env.certs[c.ID] = meta.times
	b.env.order = append(b.env.order, c.ID)
	b.certs[c.ID] = meta
}

// resourceKnown reports an unknown resource id.
func (l *loader) resourceKnown(b *build, id string, p pos, key string) bool {
	if _, ok := b.resources[id]; ok {
		return true
	}
	if len(b.resOrder) == 0 {
		l.errf(p, "%s: unknown resource %q (the scenario declares no resources)", key, id)
	} else {
		l.errf(p, "%s: unknown resource %q (known: %s)", key, id, known(b.resOrder))
	}
	return false
}

// certKnown reports an unknown certificate id.
func (l *loader) certKnown(b *build, f *field) (string, *certMeta, bool) {
	id, ok := l.scalar(f)
	if !ok {
		return "", nil, false
	}
	meta := b.certs[id]
	if meta == nil {
		l.errf(f.vpos, "%s: unknown certificate %q (known: %s)", f.name, id, known(b.env.order))
		return id, nil, false
	}
	return id, meta, true
}

// firstResourceID registers the first resource with id, declared at
// line; a later one is reported.
func (l *loader) firstResourceID(b *build, f *field, id string, line int) {
	if first, dup := b.resources[id]; dup {
		l.errf(f.vpos, "duplicate resource id %q (first at line %d)", id, first)
		return
	}
	b.resources[id] = line
	b.resOrder = append(b.resOrder, id)
}

// resourceKind records the kind of the first resource with id that has a
// valid one, for the rules of http validation.
func (b *build) resourceKind(id, kind string) {
	if _, seen := b.resKinds[id]; !seen {
		b.resKinds[id] = kind
	}
}

// approvalName reports a click-approval domain that is not a name of an
// e-mail-validated certificate.
func (l *loader) approvalName(b *build, df *field, do, name string) {
	own := b.names[strings.ToLower(name)]
	if own != nil && own.email {
		return
	}
	if own != nil {
		id := own.first
		meta := b.certs[id]
		switch {
		case meta.typ != sim.TypeAmazonIssued:
			l.errf(df.vpos, "domain: %s needs a name of an e-mail-validated certificate; %q belongs to %q, %s %s certificate, which has no validation", do, name, id, article(meta.typ), meta.typ)
		case meta.validation != "":
			l.errf(df.vpos, "domain: %s needs a name of an e-mail-validated certificate; %q belongs to %q, which uses %s validation", do, name, id, meta.validation)
		}
		return
	}
	if b.emailNames == nil {
		b.emailNames = new(string)
		*b.emailNames = b.listEmailNames()
	}
	if *b.emailNames == "" {
		l.errf(df.vpos, "domain: %s needs a name of an e-mail-validated certificate; no certificate has the name %q, and none uses email validation", do, name)
		return
	}
	l.errf(df.vpos, "domain: %s needs a name of an e-mail-validated certificate; no certificate has the name %q (e-mail-validated names: %s)", do, name, *b.emailNames)
}

// listEmailNames lists the names of the e-mail-validated certificates, in
// the order they are declared, for messages ("" when there are none).
func (b *build) listEmailNames() string {
	var names []string
	ids, seen := map[string]bool{}, map[string]bool{}
	for i := range b.sc.Certificates {
		c := &b.sc.Certificates[i]
		meta := b.certs[c.ID]
		if meta == nil || ids[c.ID] {
			continue
		}
		// Only the first certificate with an id was registered.
		ids[c.ID] = true
		if meta.validation != sim.ValidationEmail {
			continue
		}
		for _, n := range c.Names() {
			if !seen[n] {
				seen[n] = true
				names = append(names, n)
			}
		}
	}
	if len(names) == 0 {
		return ""
	}
	return known(names)
}

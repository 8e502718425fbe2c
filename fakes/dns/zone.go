package dns

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	mdns "github.com/miekg/dns"
)

// DefaultTTL is the TTL given to records added with [Server.Add] that state
// none.
const DefaultTTL = 300

// relativeOrigin is the origin handed to the zone parser. No real name ends
// in it, so finding it in a parsed record proves the line used a relative
// name (or "@") without an $ORIGIN of its own, which is rejected: completing
// such names with "." would hide a missing trailing dot in the caller, and
// that mistake matters against real DNS providers.
const relativeOrigin = "relative-name-without-trailing-dot.renewsim.invalid."

// Add parses each argument as a zone-file fragment, usually one record such
// as "_x.example.com. CNAME _y.acm-validations.aws.", and adds the records.
// A fragment may hold several lines, parentheses and $TTL/$ORIGIN
// directives; directives do not carry over to the next argument. $GENERATE
// and $INCLUDE are refused: one line stands for at most one record, and
// nothing is read from elsewhere. Records
// without a TTL get [DefaultTTL]. Names must be fully qualified unless the
// fragment sets $ORIGIN, and only class IN is accepted. Either every record
// is added or, on error, none is; the error names the 1-based argument
// number, its text and what was wrong.
func (s *Server) Add(lines ...string) error {
	var rrs []mdns.RR
	for i, line := range lines {
		parsed, err := parseFragment(line)
		if err != nil {
			return fmt.Errorf("fakes/dns: Add line %d %q: %w", i+1, line, err)
		}
		rrs = append(rrs, parsed...)
	}
	s.AddRR(rrs...)
	return nil
}

// ParseRecords parses zone-file text exactly as Add does, without adding
// anything: callers use it to reject bad records before a server starts.
func ParseRecords(text string) ([]mdns.RR, error) { return parseFragment(text) }

func parseFragment(text string) ([]mdns.RR, error) {
	if d := expandingDirective(text); d != "" {
		return nil, fmt.Errorf("%s is not supported: give each record on a line of its own", d)
	}
	zp := mdns.NewZoneParser(strings.NewReader(text), relativeOrigin, "")
	zp.SetDefaultTTL(DefaultTTL)
	var rrs []mdns.RR
	for rr, ok := zp.Next(); ok; rr, ok = zp.Next() {
		// The parser appends the origin as it is given, in lower case: no
		// need to lower the text of every record to find it.
		if strings.Contains(rr.String(), relativeOrigin) {
			// The text of the fragment is already in the caller's message;
			// rr.String() would show the sentinel origin, which means nothing
			// to the reader.
			return nil, errors.New(`relative name (or "@") without $ORIGIN: write fully qualified names ending in "."`)
		}
		if rr.Header().Class != mdns.ClassINET {
			return nil, fmt.Errorf("class %s not supported, only IN: %q",
				mdns.Class(rr.Header().Class), rr.String())
		}
		rrs = append(rrs, rr)
	}
	if err := zp.Err(); err != nil {
		return nil, err
	}
	return rrs, nil
}

// expandingDirective returns "$GENERATE" or "$INCLUDE" when a line of text
// starts with one (in any case; the parser drops carriage returns), or "".
// $GENERATE turns one line into up to 65,536 records and $INCLUDE reads a
// file: a fake fed by scenarios and an HTTP control API wants neither.
func expandingDirective(text string) string {
	for line := range strings.Lines(text) {
		fields := strings.Fields(strings.ReplaceAll(line, "\r", ""))
		if len(fields) == 0 {
			continue
		}
		if d := strings.ToUpper(fields[0]); d == "$GENERATE" || d == "$INCLUDE" {
			return d
		}
	}
	return ""
}

// AddRR adds copies of rrs, so the caller may reuse them. Owner names are
// made fully qualified and a zero class becomes IN. Adding a record that is
// already held (same name, class, type and data, compared with
// mdns.IsDuplicate, so owner-name case is ignored) only updates its TTL and
// keeps the stored spelling. nil entries are ignored.
func (s *Server) AddRR(rrs ...mdns.RR) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, rr := range rrs {
		if rr == nil {
			continue
		}
		rr = mdns.Copy(rr)
		h := rr.Header()
		h.Name = mdns.Fqdn(h.Name)
		if h.Class == 0 {
			h.Class = mdns.ClassINET
		}
		if s.addLocked(rr) {
			s.version++
		}
	}
}

// addLocked stores rr, which the store then owns and never mutates, so the
// handler may keep using RRs it read after dropping the lock.
func (s *Server) addLocked(rr mdns.RR) bool {
	key := mdns.CanonicalName(rr.Header().Name)
	list := s.owners[key]
	for i, old := range list {
		if !mdns.IsDuplicate(old, rr) {
			continue
		}
		if old.Header().Ttl == rr.Header().Ttl {
			return false
		}
		// Copy rather than update in place: a handler may still be packing
		// the old record after dropping the read lock.
		cp := mdns.Copy(old)
		cp.Header().Ttl = rr.Header().Ttl
		next := slices.Clone(list)
		next[i] = cp
		s.owners[key] = next
		return true
	}
	if len(list) == 0 {
		forAncestors(key, func(a string) { s.below[a]++ })
		s.impliedLocked(key, 1)
	}
	s.owners[key] = append(slices.Clip(list), rr)
	return true
}

// Remove deletes every record of the given owner name and type and returns
// how many it deleted. rrtype 0 or mdns.TypeANY deletes all types.
func (s *Server) Remove(name string, rrtype uint16) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := mdns.CanonicalName(name)
	list := s.owners[key]
	var kept []mdns.RR
	for _, rr := range list {
		if rrtype != 0 && rrtype != mdns.TypeANY && rr.Header().Rrtype != rrtype {
			kept = append(kept, rr)
		}
	}
	removed := len(list) - len(kept)
	if removed > 0 {
		s.setOwnerLocked(key, kept)
		s.version++
	}
	return removed
}

// Reset removes every record, injected rcode and fault, and the zones added
// with AddZone, as if the server had just started; the zones of
// Config.Zones, the request history and its setting are kept.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.zones)
	for z := range s.cfgZones {
		s.zones[z] = true
	}
	clear(s.owners)
	clear(s.below)
	clear(s.implied)
	clear(s.rcodes)
	clear(s.faults)
	s.version++
}

// RemoveRR deletes the held record that mdns.IsDuplicate considers equal to
// rr (the TTL is ignored) and reports whether there was one.
func (s *Server) RemoveRR(rr mdns.RR) bool {
	if rr == nil {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	key := mdns.CanonicalName(rr.Header().Name)
	list := s.owners[key]
	for i, old := range list {
		if mdns.IsDuplicate(old, rr) {
			s.setOwnerLocked(key, slices.Concat(list[:i], list[i+1:]))
			s.version++
			return true
		}
	}
	return false
}

func (s *Server) setOwnerLocked(key string, list []mdns.RR) {
	if len(list) > 0 {
		s.owners[key] = list
		return
	}
	delete(s.owners, key)
	forAncestors(key, func(a string) {
		if s.below[a]--; s.below[a] == 0 {
			delete(s.below, a)
		}
	})
	s.impliedLocked(key, -1)
}

// impliedLocked counts an owner in, or out of, the zone Config.ZoneOf
// names for it.
func (s *Server) impliedLocked(owner string, delta int) {
	if s.cfg.ZoneOf == nil {
		return
	}
	z := s.cfg.ZoneOf(owner)
	if z == "" {
		return
	}
	z = mdns.CanonicalName(z)
	if s.implied[z] += delta; s.implied[z] <= 0 {
		delete(s.implied, z)
	}
}

// Records returns copies of all held records in RFC 4034 canonical name
// order (labels compared right to left, so a zone's apex comes before its
// children), then by type, then by text.
func (s *Server) Records() []mdns.RR {
	s.mu.RLock()
	var out []mdns.RR
	for _, list := range s.owners {
		for _, rr := range list {
			out = append(out, mdns.Copy(rr))
		}
	}
	s.mu.RUnlock()
	slices.SortFunc(out, compareRR)
	return out
}

func compareRR(a, b mdns.RR) int {
	if c := compareNames(a.Header().Name, b.Header().Name); c != 0 {
		return c
	}
	if a.Header().Rrtype != b.Header().Rrtype {
		if a.Header().Rrtype < b.Header().Rrtype {
			return -1
		}
		return 1
	}
	return strings.Compare(a.String(), b.String())
}

func compareNames(a, b string) int {
	la := mdns.SplitDomainName(mdns.CanonicalName(a))
	lb := mdns.SplitDomainName(mdns.CanonicalName(b))
	slices.Reverse(la)
	slices.Reverse(lb)
	return slices.Compare(la, lb)
}

// Holds reports whether name, or a name below it, holds a record added to
// the server: whether the name exists by the records alone, apart from the
// SOA and NS made up at a zone's apex.
func (s *Server) Holds(name string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	key := mdns.CanonicalName(name)
	return len(s.owners[key]) > 0 || s.below[key] > 0
}

// Version returns a number that grows with every change to the records or
// to the injected rcodes, so equal versions mean equal answers.
func (s *Server) Version() uint64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.version
}

// SetRcode makes every query whose name is name (compared without case)
// fail with rcode and an empty answer, whatever the store holds. Names
// reached through a CNAME chain are not affected.
func (s *Server) SetRcode(name string, rcode int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := mdns.CanonicalName(name)
	if old, ok := s.rcodes[key]; ok && old == rcode {
		return
	}
	s.rcodes[key] = rcode
	s.version++
}

// ClearRcode undoes SetRcode for name.
func (s *Server) ClearRcode(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := mdns.CanonicalName(name)
	if _, ok := s.rcodes[key]; !ok {
		return
	}
	delete(s.rcodes, key)
	s.version++
}

// forAncestors calls fn with every proper ancestor of the canonical name,
// nearest first, ending with the root.
func forAncestors(name string, fn func(string)) {
	if name == "." {
		return
	}
	off, end := mdns.NextLabel(name, 0)
	for ; !end; off, end = mdns.NextLabel(name, off) {
		fn(name[off:])
	}
	fn(".")
}

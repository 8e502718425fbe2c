package route53

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	mdns "github.com/miekg/dns"
)

// maxBatch is how many changes one ChangeResourceRecordSets may carry.
const maxBatch = 1000

func (s *Server) changeResourceRecordSets(_ *http.Request, body []byte, id string) (any, error) {
	z, err := s.zoneByID(id)
	if err != nil {
		return nil, err
	}
	var in changeRequest
	if err := xml.Unmarshal(body, &in); err != nil {
		return nil, InvalidInput("Invalid XML ; %v", err)
	}
	if in.ChangeBatch == nil || in.ChangeBatch.Changes == nil || len(in.ChangeBatch.Changes.Changes) == 0 {
		return nil, InvalidInput("1 validation error detected: Value null at 'changeBatch.changes' failed to satisfy constraint: Member must not be null and must have at least one change")
	}
	if n := len(in.ChangeBatch.Changes.Changes); n > maxBatch {
		return nil, InvalidInput("a change batch holds at most %d changes, this one %d", maxBatch, n)
	}
	var changes []Change
	for i, wc := range in.ChangeBatch.Changes.Changes {
		c, err := readChange(wc, i)
		if err != nil {
			return nil, err
		}
		changes = append(changes, c)
	}
	sets, err := s.sets(z)
	if err != nil {
		return nil, err
	}
	if msgs := check(z, sets, changes); len(msgs) > 0 {
		return nil, InvalidChangeBatch(msgs)
	}
	if err := s.backend.Apply(z.Zone, changes); err != nil {
		return nil, err
	}
	s.nchange++
	ci := wireChangeInfo{ID: "/change/" + changeID(s.nchange), Status: "PENDING",
		SubmittedAt: wireTime(s.backend.Now()), Comment: in.ChangeBatch.Comment}
	key := bareID(ci.ID, "change")
	s.changes[key] = ci
	s.order = append(s.order, key)
	if len(s.order) > maxChanges {
		delete(s.changes, s.order[0])
		s.order = s.order[1:]
	}
	return changeResourceRecordSetsResponse{ChangeInfo: ci}, nil
}

// readChange reads one change as Route 53's input validation would, and
// parses its values as zone-file data of its type.
func readChange(wc wireChange, i int) (Change, error) {
	member := fmt.Sprintf("changeBatch.changes.%d", i+1)
	action := strings.TrimSpace(wc.Action)
	if !slices.Contains([]string{ActionCreate, ActionDelete, ActionUpsert}, action) {
		return Change{}, InvalidInput("1 validation error detected: Value '%s' at '%s.action' failed to satisfy constraint: Member must satisfy enum value set: [CREATE, DELETE, UPSERT]", wc.Action, member)
	}
	rs := wc.ResourceRecordSet
	if rs == nil || rs.Name == nil || rs.Type == nil {
		return Change{}, InvalidInput("1 validation error detected: Value null at '%s.resourceRecordSet' failed to satisfy constraint: Member must have a Name and a Type", member)
	}
	typ := strings.ToUpper(strings.TrimSpace(*rs.Type))
	if !slices.Contains(recordTypes, typ) {
		return Change{}, InvalidInput("1 validation error detected: Value '%s' at '%s.resourceRecordSet.type' failed to satisfy constraint: Member must satisfy enum value set: [%s]", *rs.Type, member, strings.Join(recordTypes, ", "))
	}
	if len(rs.Other) > 0 {
		var names []string
		for _, o := range rs.Other {
			names = append(names, o.XMLName.Local)
		}
		return Change{}, InvalidInput("%s: renewsim's Route 53 does not simulate %s; it takes plain record sets (Name, Type, TTL, ResourceRecords)", member, strings.Join(names, ", "))
	}
	name, ok := plainName(*rs.Name)
	if !ok {
		return Change{}, InvalidChangeBatch([]string{fmt.Sprintf("FATAL problem: DomainLabelEmpty (Domain label is empty) encountered with '%s'", *rs.Name)})
	}
	if rs.TTL == nil || rs.ResourceRecords == nil || len(rs.ResourceRecords.Records) == 0 {
		return Change{}, InvalidInput("Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found none in Change with [Action=%s, Name=%s, Type=%s, SetIdentifier=null]", action, *rs.Name, typ)
	}
	ttl, err := strconv.ParseUint(strings.TrimSpace(*rs.TTL), 10, 31)
	if err != nil {
		return Change{}, InvalidInput("1 validation error detected: Value '%s' at '%s.resourceRecordSet.TTL' failed to satisfy constraint: Member must have value between 0 and 2147483647", *rs.TTL, member)
	}
	set := RecordSet{Name: name, Type: typ, TTL: uint32(ttl)}
	var bad []string
	for _, r := range rs.ResourceRecords.Records {
		v := strings.TrimSpace(r.Value)
		if msg := checkValue(name, typ, v); msg != "" {
			bad = append(bad, msg)
			continue
		}
		if slices.Contains(set.Values, v) {
			bad = append(bad, fmt.Sprintf("Duplicate Resource Record: '%s'", v))
			continue
		}
		set.Values = append(set.Values, v)
	}
	if len(bad) > 0 {
		return Change{}, InvalidChangeBatch(bad)
	}
	return Change{Action: action, Set: set}, nil
}

// checkValue parses a value as the rdata of a record of its type, as the
// DNS server will hold it; "" when it is good, else Route 53's message.
func checkValue(name, typ, value string) string {
	problem := func(what string) string {
		return fmt.Sprintf("Invalid Resource Record: 'FATAL problem: %s encountered with '%s''", what, value)
	}
	if value == "" {
		return problem("ValueEmpty (Value is empty)")
	}
	// One line of zone-file data: a newline, a comment or a directive
	// would make it more (or other) than the record asked for.
	if strings.ContainsAny(value, "\n\r;$") && typ != "TXT" && typ != "SPF" {
		return problem("InvalidCharacter (Value holds a character the type does not take)")
	}
	if strings.ContainsAny(value, "\n\r") {
		return problem("InvalidCharacter (Value holds a line break)")
	}
	rr, err := mdns.NewRR(fmt.Sprintf("%s 300 IN %s %s", mdns.Fqdn(name), typ, value))
	if err != nil || rr == nil {
		why := "the value is not valid " + typ + " data"
		if err != nil {
			why = err.Error()
		}
		return problem(fmt.Sprintf("%sRDATAInvalid (%s)", typ, why))
	}
	if mdns.TypeToString[rr.Header().Rrtype] != typ {
		return problem(fmt.Sprintf("%sRDATAInvalid (the value is not %s data)", typ, typ))
	}
	return ""
}

// sameValues reports whether two value lists hold the same records,
// compared as DNS data (case and a final dot of names do not count).
func sameValues(typ string, a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	parse := func(v string) mdns.RR {
		rr, _ := mdns.NewRR(fmt.Sprintf(". 300 IN %s %s", typ, v))
		return rr
	}
	for _, va := range a {
		ra := parse(va)
		if ra == nil || !slices.ContainsFunc(b, func(vb string) bool {
			rb := parse(vb)
			return rb != nil && mdns.IsDuplicate(ra, rb)
		}) {
			return false
		}
	}
	return true
}

// check runs the batch against the zone's record sets, one change after
// the other as Route 53 does (so a DELETE followed by a CREATE of the same
// set replaces it), and returns Route 53's message for every change that
// fails; none when all of them can be made.
func check(z zone, current []RecordSet, changes []Change) []string {
	state := map[[2]string]RecordSet{}
	types := map[string][]string{} // name -> types held
	for _, s := range current {
		state[[2]string{s.Name, s.Type}] = s
		types[s.Name] = append(types[s.Name], s.Type)
	}
	zoneName := wireName(z.Name)
	var msgs []string
	for _, c := range changes {
		s := c.Set
		key := [2]string{s.Name, s.Type}
		ident := fmt.Sprintf("[name='%s', type='%s']", wireName(s.Name), s.Type)
		have, exists := state[key]
		switch {
		case !inZone(s.Name, z.Name):
			msgs = append(msgs, fmt.Sprintf("RRSet with DNS name %s is not permitted in zone %s", wireName(s.Name), zoneName))
			continue
		case s.Type == "CNAME" && s.Name == z.Name:
			msgs = append(msgs, fmt.Sprintf("RRSet of type CNAME with DNS name %s is not permitted at apex in zone %s", wireName(s.Name), zoneName))
			continue
		case s.Type == "CNAME" && len(s.Values) > 1:
			msgs = append(msgs, fmt.Sprintf("RRSet of type CNAME with DNS name %s has %d values; a CNAME has exactly one", wireName(s.Name), len(s.Values)))
			continue
		case s.Type == "SOA" && s.Name != z.Name:
			msgs = append(msgs, fmt.Sprintf("RRSet of type SOA with DNS name %s is not permitted; the only SOA is the zone's, at %s", wireName(s.Name), zoneName))
			continue
		case s.Type == "SOA" && c.Action != ActionUpsert:
			msgs = append(msgs, "A HostedZone must contain exactly one SOA record.")
			continue
		case s.Type == "NS" && s.Name == z.Name && c.Action == ActionDelete:
			msgs = append(msgs, "A HostedZone must contain at least one NS record for the zone itself.")
			continue
		}
		conflict := func() bool {
			others := slices.DeleteFunc(slices.Clone(types[s.Name]), func(t string) bool { return t == s.Type })
			switch {
			case s.Type == "CNAME" && len(others) > 0:
				msgs = append(msgs, fmt.Sprintf("RRSet of type CNAME with DNS name %s is not permitted as it conflicts with other records with the same DNS name in zone %s", wireName(s.Name), zoneName))
				return true
			case s.Type != "CNAME" && slices.Contains(others, "CNAME"):
				msgs = append(msgs, fmt.Sprintf("RRSet of type %s with DNS name %s is not permitted because a conflicting RRSet of type CNAME with the same DNS name already exists in zone %s", s.Type, wireName(s.Name), zoneName))
				return true
			}
			return false
		}
		switch c.Action {
		case ActionCreate:
			if exists {
				msgs = append(msgs, fmt.Sprintf("Tried to create resource record set %s but it already exists", ident))
				continue
			}
			if conflict() {
				continue
			}
		case ActionUpsert:
			if conflict() {
				continue
			}
		case ActionDelete:
			if !exists {
				msgs = append(msgs, fmt.Sprintf("Tried to delete resource record set %s but it was not found", ident))
				continue
			}
			if have.TTL != s.TTL || !sameValues(s.Type, have.Values, s.Values) {
				msgs = append(msgs, fmt.Sprintf("Tried to delete resource record set %s but the values provided do not match the current values", ident))
				continue
			}
			delete(state, key)
			types[s.Name] = slices.DeleteFunc(types[s.Name], func(t string) bool { return t == s.Type })
			continue
		}
		if !exists {
			types[s.Name] = append(types[s.Name], s.Type)
		}
		state[key] = s
	}
	return msgs
}

package route53

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Page sizes: Route 53 returns at most 100 hosted zones and 300 record
// sets a page, also when asked for more, and that many when not asked.
const (
	maxZoneItems   = 100
	maxRecordItems = 300
)

// zone is a hosted zone with its ID.
type zone struct {
	Zone
	id string
}

// zones lists the backend's zones in Route 53's order for
// ListHostedZonesByName: by name with the labels reversed, then by ID.
// ListHostedZones keeps the same order.
func (s *Server) zones() []zone {
	var out []zone
	seen := map[string]bool{}
	for _, z := range s.backend.Zones() {
		name, ok := plainName(z.Name)
		if !ok {
			continue
		}
		z.Name = name
		id := zoneID(z)
		if seen[id] {
			continue
		}
		seen[id] = true
		out = append(out, zone{z, id})
	}
	slices.SortFunc(out, func(a, b zone) int {
		return cmp.Or(strings.Compare(sortKey(a.Name), sortKey(b.Name)), strings.Compare(a.id, b.id))
	})
	return out
}

func (s *Server) zoneByID(id string) (zone, error) {
	for _, z := range s.zones() {
		if z.id == id {
			return z, nil
		}
	}
	return zone{}, NoSuchHostedZone(id)
}

// sets returns the zone's record sets in Route 53's order: by name with
// the labels reversed, then by type.
func (s *Server) sets(z zone) ([]RecordSet, error) {
	recs, err := s.backend.Records(z.Zone)
	if err != nil {
		return nil, err
	}
	index := map[[2]string]int{}
	var out []RecordSet
	for _, r := range recs {
		name, ok := plainName(r.Name)
		if !ok {
			continue
		}
		typ := strings.ToUpper(r.Type)
		k := [2]string{name, typ}
		i, ok := index[k]
		if !ok {
			i = len(out)
			index[k] = i
			out = append(out, RecordSet{Name: name, Type: typ, TTL: r.TTL})
		}
		if !slices.Contains(out[i].Values, r.Value) {
			out[i].Values = append(out[i].Values, r.Value)
		}
	}
	slices.SortFunc(out, compareSets)
	return out, nil
}

func compareSets(a, b RecordSet) int {
	return cmp.Or(strings.Compare(sortKey(a.Name), sortKey(b.Name)), strings.Compare(a.Type, b.Type))
}

func (s *Server) wireZone(z zone) (wireHostedZone, error) {
	sets, err := s.sets(z)
	if err != nil {
		return wireHostedZone{}, err
	}
	return wireHostedZone{
		ID: "/hostedzone/" + z.id, Name: wireName(z.Name), CallerReference: "renewsim-" + z.id,
		Config:                 wireZoneConfig{Comment: z.Comment, PrivateZone: z.Private},
		ResourceRecordSetCount: len(sets),
	}, nil
}

// maxItems reads a maxitems parameter: absent is limit, above limit is
// limit, and anything but a positive whole number is InvalidInput.
func maxItems(r *http.Request, limit int) (int, error) {
	v := r.URL.Query().Get("maxitems")
	if v == "" {
		return limit, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, InvalidInput("1 validation error detected: Value '%s' at 'maxItems' failed to satisfy constraint: Member must be a positive integer", v)
	}
	return min(n, limit), nil
}

func (s *Server) listHostedZones(r *http.Request, _ []byte, _ string) (any, error) {
	q := r.URL.Query()
	size, err := maxItems(r, maxZoneItems)
	if err != nil {
		return nil, err
	}
	if q.Get("delegationsetid") != "" {
		return nil, &Error{Code: "NoSuchDelegationSet", Message: "A reusable delegation set with the specified ID does not exist."}
	}
	var private *bool
	switch t := q.Get("hostedzonetype"); t {
	case "":
	case "PrivateHostedZone":
		private = new(bool)
		*private = true
	default:
		return nil, InvalidInput("1 validation error detected: Value '%s' at 'hostedZoneType' failed to satisfy constraint: Member must satisfy enum value set: [PrivateHostedZone]", t)
	}
	var list []zone
	for _, z := range s.zones() {
		if private == nil || z.Private == *private {
			list = append(list, z)
		}
	}
	out := listHostedZonesResponse{MaxItems: size, Marker: q.Get("marker")}
	start := 0
	if m := out.Marker; m != "" {
		start = slices.IndexFunc(list, func(z zone) bool { return z.id == bareID(m, "hostedzone") })
		if start < 0 {
			return nil, InvalidInput("The marker %s is not the ID of a hosted zone of this account.", m)
		}
	}
	end := min(start+size, len(list))
	for _, z := range list[start:end] {
		wz, err := s.wireZone(z)
		if err != nil {
			return nil, err
		}
		out.HostedZones.Zones = append(out.HostedZones.Zones, wz)
	}
	if end < len(list) {
		out.IsTruncated, out.NextMarker = true, list[end].id
	}
	return out, nil
}

func (s *Server) listHostedZonesByName(r *http.Request, _ []byte, _ string) (any, error) {
	q := r.URL.Query()
	size, err := maxItems(r, maxZoneItems)
	if err != nil {
		return nil, err
	}
	dnsName, id := q.Get("dnsname"), q.Get("hostedzoneid")
	if id != "" && dnsName == "" {
		return nil, InvalidInput("hostedzoneid requires dnsname: the listing starts at that name and, among zones of that name, at that ID.")
	}
	list := s.zones()
	out := listHostedZonesByNameResponse{MaxItems: size, DNSName: dnsName, HostedZoneID: id}
	start := 0
	if dnsName != "" {
		name, ok := plainName(dnsName)
		if !ok {
			return nil, &Error{Code: ErrInvalidDomainName, Message: "The domain name is not valid: " + dnsName}
		}
		key, bare := sortKey(name), bareID(id, "hostedzone")
		start = len(list)
		for i, z := range list {
			if c := strings.Compare(sortKey(z.Name), key); c > 0 || c == 0 && z.id >= bare {
				start = i
				break
			}
		}
	}
	end := min(start+size, len(list))
	for _, z := range list[start:end] {
		wz, err := s.wireZone(z)
		if err != nil {
			return nil, err
		}
		out.HostedZones.Zones = append(out.HostedZones.Zones, wz)
	}
	if end < len(list) {
		out.IsTruncated, out.NextDNSName, out.NextHostedZoneID = true, wireName(list[end].Name), list[end].id
	}
	return out, nil
}

func (s *Server) getHostedZone(_ *http.Request, _ []byte, id string) (any, error) {
	z, err := s.zoneByID(id)
	if err != nil {
		return nil, err
	}
	wz, err := s.wireZone(z)
	if err != nil {
		return nil, err
	}
	out := getHostedZoneResponse{HostedZone: wz}
	if z.Private {
		region := cmp.Or(z.VPCRegion, "us-east-1")
		out.VPCs = &wireVPCs{VPCs: []wireVPC{{VPCRegion: region, VPCID: vpcID(z.Zone)}}}
		return out, nil
	}
	sets, err := s.sets(z)
	if err != nil {
		return nil, err
	}
	ds := &wireDelegationSet{NameServers: []string{}}
	for _, set := range sets {
		if set.Name == z.Name && set.Type == "NS" {
			for _, v := range set.Values {
				ds.NameServers = append(ds.NameServers, strings.TrimSuffix(v, "."))
			}
		}
	}
	out.DelegationSet = ds
	return out, nil
}

func (s *Server) listResourceRecordSets(r *http.Request, _ []byte, id string) (any, error) {
	z, err := s.zoneByID(id)
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	size, err := maxItems(r, maxRecordItems)
	if err != nil {
		return nil, err
	}
	startName, startType := q.Get("name"), strings.ToUpper(q.Get("type"))
	if startType != "" && startName == "" {
		return nil, InvalidInput("type requires name: the listing starts at that name and, among its record sets, at that type.")
	}
	if startType != "" && !slices.Contains(recordTypes, startType) {
		return nil, InvalidInput("1 validation error detected: Value '%s' at 'startRecordType' failed to satisfy constraint: Member must satisfy enum value set: [%s]", q.Get("type"), strings.Join(recordTypes, ", "))
	}
	sets, err := s.sets(z)
	if err != nil {
		return nil, err
	}
	start := 0
	if startName != "" {
		name, ok := plainName(startName)
		if !ok {
			return nil, &Error{Code: ErrInvalidDomainName, Message: "The domain name is not valid: " + startName}
		}
		from := RecordSet{Name: name, Type: startType}
		start = len(sets)
		for i, set := range sets {
			if compareSets(set, from) >= 0 {
				start = i
				break
			}
		}
	}
	out := listResourceRecordSetsResponse{MaxItems: size}
	end := min(start+size, len(sets))
	for _, set := range sets[start:end] {
		ttl := set.TTL
		w := wireRecordSet{Name: wireName(set.Name), Type: set.Type, TTL: &ttl, ResourceRecords: &wireRecordList{}}
		for _, v := range set.Values {
			w.ResourceRecords.Records = append(w.ResourceRecords.Records, wireRecord{Value: v})
		}
		out.ResourceRecordSets.Sets = append(out.ResourceRecordSets.Sets, w)
	}
	if end < len(sets) {
		out.IsTruncated, out.NextRecordName, out.NextRecordType = true, wireName(sets[end].Name), sets[end].Type
	}
	return out, nil
}

func (s *Server) getChange(_ *http.Request, _ []byte, id string) (any, error) {
	ci, ok := s.changes[id]
	if !ok {
		return nil, &Error{Code: ErrNoSuchChange, Status: http.StatusNotFound, Message: "A change with the specified change ID does not exist: " + id}
	}
	// A change takes effect when it arrives (at the simulation's virtual
	// time), so it is in sync by the time anyone asks.
	ci.Status = "INSYNC"
	return getChangeResponse{ChangeInfo: ci}, nil
}

// recordTypes are the record types Route 53 takes.
var recordTypes = []string{"A", "AAAA", "CAA", "CNAME", "DS", "HTTPS", "MX", "NAPTR", "NS", "PTR", "SOA", "SPF", "SRV", "SSHFP", "SVCB", "TLSA", "TXT"}

package route53

import "time"

// Backend is where the server gets its zones and records and where it sends
// the changes it accepted. The server calls it once or a few times per
// request, never caches what it returns, and holds its own lock while it
// does, so an implementation only has to synchronise with its own writers.
type Backend interface {
	// Zones lists the hosted zones of the account. Two zones may share a
	// name when one is private (a split-horizon pair), never otherwise.
	Zones() []Zone
	// Records returns every record set of the zone now, the SOA and NS at
	// its apex included; the server groups, sorts and pages them. Records
	// with the same name and type form one record set; the first one's
	// TTL counts.
	Records(z Zone) ([]Record, error)
	// Apply carries out a change batch the server has checked against
	// Records: in order, at once, every change or none. DELETE removes the
	// record set (name and type), CREATE adds its records, UPSERT replaces
	// the record set. An *Error it returns is sent as it is; any other
	// error becomes a 500 InternalFailure.
	Apply(z Zone, changes []Change) error
	// Now is the time a change is submitted at (the simulation's virtual
	// time), shown as ChangeInfo's SubmittedAt.
	Now() time.Time
}

// Zone is one hosted zone.
type Zone struct {
	// Name is the zone's apex, fully qualified ("example.com.").
	Name string
	// Private marks a private hosted zone: Route 53 answers for it only
	// inside its VPCs, so it is listed and described as private, with a
	// VPC and no delegation set.
	Private bool
	// VPCRegion is the region of a private zone's VPC ("" is us-east-1).
	VPCRegion string
	// Comment is the zone's comment, "" for none.
	Comment string
}

// Record is one resource record: name (fully qualified), type ("CNAME"),
// TTL in seconds and its value in zone-file presentation form, as Route 53
// shows values ("10 mail.example.com.", "\"v=spf1 -all\"").
type Record struct {
	Name  string
	Type  string
	TTL   uint32
	Value string
}

// RecordSet is the records of one name and type, as Route 53 lists and
// changes them.
type RecordSet struct {
	Name   string
	Type   string
	TTL    uint32
	Values []string
}

// Records is the set as records, one per value.
func (s RecordSet) Records() []Record {
	out := make([]Record, 0, len(s.Values))
	for _, v := range s.Values {
		out = append(out, Record{Name: s.Name, Type: s.Type, TTL: s.TTL, Value: v})
	}
	return out
}

// Change is one change of a batch: Action is CREATE, DELETE or UPSERT. Its
// set's name is fully qualified and in lower case, its type in upper case.
type Change struct {
	Action string
	Set    RecordSet
}

// Change actions.
const (
	ActionCreate = "CREATE"
	ActionDelete = "DELETE"
	ActionUpsert = "UPSERT"
)

package record

import (
	"time"

	"github.com/renewsim/renewsim/sim"
)

// Index is a record with where each certificate's and each resource's
// entries are in it. Positions are indexes into Log().
type Index struct {
	log              []sim.Entry
	certs, resources idOrder

	byCert     [][]int32 // per certificate, the positions of its entries
	byResource [][]int32 // per resource, the positions of its entries

	probed []bool // per resource: some client probed it
	// deployedBy is, per resource and serial, the certificate of the last
	// deployment of that serial there.
	deployedBy map[resourceSerial]string

	world bool  // a timeline entry concerns no certificate and no resource
	end   int32 // position of the last end entry, -1 without one
}

type resourceSerial struct {
	resource int32
	serial   string
}

// idOrder numbers ids in the order the record first mentions them.
type idOrder struct {
	ids []string
	at  map[string]int32
}

func (o *idOrder) add(id string) int32 {
	if i, ok := o.at[id]; ok {
		return i
	}
	i := int32(len(o.ids))
	o.at[id] = i
	o.ids = append(o.ids, id)
	return i
}

func (o *idOrder) lookup(id string) (int32, bool) {
	i, ok := o.at[id]
	return i, ok
}

// New indexes log in one pass.
func New(log []sim.Entry) *Index {
	x := &Index{
		log:        log,
		certs:      idOrder{at: map[string]int32{}},
		resources:  idOrder{at: map[string]int32{}},
		deployedBy: map[resourceSerial]string{},
		end:        -1,
	}
	// Entries of one certificate or resource often follow each other:
	// remember the last id to skip most map lookups.
	lastCert, lastRes := "", ""
	c, r := int32(-1), int32(-1)
	for i := range log {
		e := &log[i]
		p := int32(i)
		if e.Cert != "" {
			if c < 0 || e.Cert != lastCert {
				c, lastCert = x.certs.add(e.Cert), e.Cert
				if int(c) == len(x.byCert) {
					x.byCert = append(x.byCert, nil)
				}
			}
			x.byCert[c] = append(x.byCert[c], p)
		}
		if e.Resource() != "" {
			if r < 0 || e.Resource() != lastRes {
				r, lastRes = x.resources.add(e.Resource()), e.Resource()
				if int(r) == len(x.byResource) {
					x.byResource = append(x.byResource, nil)
					x.probed = append(x.probed, false)
				}
			}
			x.byResource[r] = append(x.byResource[r], p)
			switch e.Kind {
			case sim.KindProbe:
				x.probed[r] = true
			case sim.KindDeployed:
				x.deployedBy[resourceSerial{r, e.Detail.Serial}] = e.Cert
			}
		}
		switch e.Kind {
		case sim.KindEnd:
			x.end = p
		case sim.KindTimeline:
			x.world = x.world || (e.Cert == "" && e.Resource() == "")
		}
	}
	return x
}

// Log is the record indexed.
func (x *Index) Log() []sim.Entry { return x.log }

// Certs are the certificates the record mentions, in the order it first
// does. The caller must not change the list.
func (x *Index) Certs() []string { return x.certs.ids }

// Resources are the resources the record mentions, in the order it first
// does. The caller must not change the list.
func (x *Index) Resources() []string { return x.resources.ids }

// CertEntries are the positions of the entries of certificate id, in time
// order. The caller must not change the list.
func (x *Index) CertEntries(id string) []int32 {
	if c, ok := x.certs.lookup(id); ok {
		return x.byCert[c]
	}
	return nil
}

// ResourceEntries are the positions of the entries of resource id, in
// time order. The caller must not change the list.
func (x *Index) ResourceEntries(id string) []int32 {
	if r, ok := x.resources.lookup(id); ok {
		return x.byResource[r]
	}
	return nil
}

// World tells whether some timeline entry concerns no certificate and no
// resource (a DNS change, say).
func (x *Index) World() bool { return x.world }

// EndOr is the time of the record's last end entry, or until when it has
// none (a record cut short, or one read back without its end).
func (x *Index) EndOr(until time.Time) time.Time {
	if x.end >= 0 {
		return x.log[x.end].Time
	}
	return until
}

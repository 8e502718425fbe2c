package report

import (
	"strings"
	"time"
	"unicode"

	"github.com/renewsim/renewsim/sim"
)

// recordIndex says where each certificate's and each resource's entries
// are in a record. It is built in one pass, so that a reader of one
// certificate or resource visits its own entries and no others: reading
// all of them costs the length of the record once, however many there are.
// It is read-only once built, and reads nothing but the record.
type recordIndex struct {
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

func newRecordIndex(log []sim.Entry) *recordIndex {
	x := &recordIndex{
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
		if e.Resource != "" {
			if r < 0 || e.Resource != lastRes {
				r, lastRes = x.resources.add(e.Resource), e.Resource
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
			x.world = x.world || (e.Cert == "" && e.Resource == "")
		}
	}
	return x
}

// certEntries are the positions of the entries of certificate id.
func (x *recordIndex) certEntries(id string) []int32 {
	if c, ok := x.certs.lookup(id); ok {
		return x.byCert[c]
	}
	return nil
}

// endOr is the time of the record's last end entry, or until when it has
// none.
func (x *recordIndex) endOr(log []sim.Entry, until time.Time) time.Time {
	if x.end >= 0 {
		return log[x.end].Time
	}
	return until
}

// eventKey counts EventBridge events of one certificate and detail type,
// with any AWS Health code or with one.
type eventKey struct {
	cert, detailType string
	code             string
	anyCode          bool
}

// eventCounts counts the record's EventBridge events by certificate,
// detail type and AWS Health code.
func eventCounts(log []sim.Entry) map[eventKey]int {
	n := map[eventKey]int{}
	for i := range log {
		e := &log[i]
		if e.Kind != sim.KindEventBus || e.Detail.Event == nil {
			continue
		}
		dt := e.Detail.Event.DetailType
		n[eventKey{cert: e.Cert, detailType: dt, anyCode: true}]++
		n[eventKey{cert: e.Cert, detailType: dt, code: healthCode(e.Detail.Event)}]++
	}
	return n
}

// emailKey counts delivered e-mails of one certificate (or any), one kind
// (or any) and one recipient (or any), the recipient folded by foldKey.
type emailKey struct {
	cert, kind, to          string
	anyCert, anyKind, anyTo bool
}

// emailCounts counts the record's delivered e-mails under every key that
// matches them.
func emailCounts(log []sim.Entry) map[emailKey]int {
	n := map[emailKey]int{}
	for i := range log {
		e := &log[i]
		if e.Kind != sim.KindEmail || e.Detail.OK == nil || !*e.Detail.OK {
			continue
		}
		to := foldKey(e.Detail.To)
		for _, anyCert := range [2]bool{false, true} {
			for _, anyKind := range [2]bool{false, true} {
				for _, anyTo := range [2]bool{false, true} {
					k := emailKey{anyCert: anyCert, anyKind: anyKind, anyTo: anyTo}
					if !anyCert {
						k.cert = e.Cert
					}
					if !anyKind {
						k.kind = e.Detail.Email
					}
					if !anyTo {
						k.to = to
					}
					n[k]++
				}
			}
		}
	}
	return n
}

// foldKey maps s to a string that two strings share exactly when
// strings.EqualFold holds between them: every rune becomes the smallest of
// its Unicode simple case folding orbit.
func foldKey(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		low := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			low = min(low, f)
		}
		b.WriteRune(low)
	}
	return b.String()
}
